"""Word lists for the demo business: a café and sandwich shop in Tampere and its customers.

Plain data only. Place names and postal codes are real; street numbers are made up.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Culture:
    """Where a customer's name comes from, and which language they prefer to be written in."""

    key: str
    weight: float
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]  # the male form where the surname has two
    female_surnames: tuple[str, ...] = ()  # same order as ``surnames``, when they differ
    english_share: float = 0.0  # share who prefer letters in English


@dataclass(frozen=True)
class Place:
    city: str
    weight: float
    postal_codes: tuple[str, ...]
    streets: tuple[str, ...]


def _items(text: str) -> tuple[str, ...]:
    """Comma-separated words to a tuple; keeps long lists readable in a few lines."""
    return tuple(item.strip() for item in text.split(","))


_TOWN_STREETS = _items("Asemakatu, Kirkkokatu, Koulukatu, Puistotie, Rantatie, Myllytie")

CULTURES = (
    Culture(
        "fi",
        86.0,
        male=_items(
            "Matti, Mikko, Juha, Timo, Jari, Antti, Ville, Janne, Pekka, Jukka, Markku, Heikki, "
            "Mika, Petri, Sami, Teemu, Lauri, Eero, Onni, Elias, Aleksi, Joona, Väinö, Kalle, "
            "Tapio, Esa"
        ),
        female=_items(
            "Maria, Anna, Aino, Helena, Johanna, Tiina, Sari, Päivi, Kaisa, Laura, Emma, Sanna, "
            "Minna, Hanna, Eeva, Riikka, Liisa, Elina, Sofia, Venla, Ella, Iida, Maija, Tuula, "
            "Pirjo, Sirpa, Marjatta"
        ),
        surnames=_items(
            "Korhonen, Virtanen, Mäkinen, Nieminen, Mäkelä, Hämäläinen, Laine, Heikkinen, "
            "Koskinen, Järvinen, Lehtonen, Lehtinen, Saarinen, Salminen, Heinonen, Niemi, "
            "Heikkilä, Kinnunen, Salonen, Turunen, Salo, Laitinen, Tuominen, Rantanen, "
            "Karjalainen, Jokinen, Mattila, Savolainen, Lahtinen, Ahonen, Mäki, Räsänen, "
            "Väisänen, Virtala, Hyvönen, Pöllänen, Ylönen, Kärkkäinen, Öhman, Åkerlund"
        ),
    ),
    Culture(
        "sv",
        5.0,
        male=_items("Erik, Lars, Anders, Johan, Björn, Sven, Henrik, Mikael"),
        female=_items("Karin, Ingrid, Astrid, Sofia, Linnea, Ebba, Malin, Frida"),
        surnames=_items(
            "Lindqvist, Åberg, Sjöberg, Holmström, Ekström, Lindholm, Björklund, Nyström, "
            "Söderberg, Wikström"
        ),
    ),
    Culture(
        "et",
        3.0,
        male=_items("Mart, Tõnu, Jaan, Siim, Märt, Priit, Andres"),
        female=_items("Kadri, Liis, Triin, Ülle, Kärt, Merike, Piret"),
        surnames=_items("Tamm, Saar, Sepp, Mägi, Kask, Kukk, Rebane, Ilves, Pärn, Õunapuu"),
        english_share=0.4,
    ),
    Culture(
        "pl",
        2.0,
        male=_items("Łukasz, Paweł, Piotr, Michał, Grzegorz, Wojciech, Jakub"),
        female=_items("Agnieszka, Małgorzata, Katarzyna, Żaneta, Bożena, Zofia"),
        surnames=_items(
            "Kowalski, Nowak, Wiśniewski, Wójcik, Kamiński, Żak, Łuczak, Grabowski, Zieliński, "
            "Dąbrowski"
        ),
        female_surnames=_items(
            "Kowalska, Nowak, Wiśniewska, Wójcik, Kamińska, Żak, Łuczak, Grabowska, Zielińska, "
            "Dąbrowska"
        ),
        english_share=0.8,
    ),
    Culture(
        "ru",
        2.0,
        male=_items("Иван, Дмитрий, Сергей, Алексей, Андрей, Михаил"),
        female=_items("Анна, Ольга, Наталья, Екатерина, Татьяна, Юлия"),
        surnames=_items("Иванов, Смирнов, Кузнецов, Попов, Волков, Соколов, Лебедев"),
        female_surnames=_items("Иванова, Смирнова, Кузнецова, Попова, Волкова, Соколова, Лебедева"),
        english_share=0.6,
    ),
    Culture(
        "en",
        2.0,
        male=_items("James, Oliver, Thomas, Daniel, George, Patrick"),
        female=_items("Emily, Sarah, Charlotte, Grace, Hannah, Siobhan"),
        surnames=_items("Smith, Brown, Taylor, Wilson, O'Connor, Evans, Walker, Jones-Hughes"),
        english_share=1.0,
    ),
)

# The café is in central Tampere: most customers live nearby, a few come from further away.
PLACES = (
    Place(
        "Tampere",
        55.0,
        _items("33100, 33200, 33210, 33230, 33500, 33540, 33720, 33900"),
        _items(
            "Hämeenkatu, Satakunnankatu, Hämeenpuisto, Pirkankatu, Kuninkaankatu, "
            "Hatanpään valtatie, Teiskontie, Sammonkatu, Kalevantie, Insinöörinkatu, "
            "Tammelan puistokatu, Pyynikintie, Itsenäisyydenkatu, Näsilinnankatu"
        ),
    ),
    Place("Nokia", 6.0, _items("37100, 37120"), ("Nokianvaltatie", *_TOWN_STREETS)),
    Place("Kangasala", 6.0, _items("36200, 36220"), _TOWN_STREETS),
    Place("Pirkkala", 5.0, _items("33950, 33960"), _TOWN_STREETS),
    Place("Ylöjärvi", 5.0, _items("33470, 33480"), _TOWN_STREETS),
    Place("Lempäälä", 4.0, ("37500",), _TOWN_STREETS),
    Place(
        "Helsinki",
        6.0,
        _items("00100, 00120, 00130, 00150, 00170, 00500, 00530"),
        _items(
            "Mannerheimintie, Aleksanterinkatu, Fredrikinkatu, Bulevardi, Runeberginkatu, "
            "Hämeentie, Sturenkatu"
        ),
    ),
    Place("Espoo", 2.0, _items("02100, 02150, 02600"), _items("Otaniementie, Leppävaarankatu")),
    Place(
        "Turku",
        2.0,
        _items("20100, 20500, 20700"),
        _items("Aurakatu, Eerikinkatu, Yliopistonkatu, Humalistonkatu"),
    ),
    Place("Jyväskylä", 2.0, _items("40100, 40320"), _items("Kauppakatu, Kilpisenkatu, Väinönkatu")),
    Place("Hämeenlinna", 2.0, _items("13100, 13200"), ("Raatihuoneenkatu", *_TOWN_STREETS)),
    Place("Lahti", 1.5, _items("15100, 15110"), _items("Aleksanterinkatu, Vapaudenkatu")),
    Place("Oulu", 1.0, _items("90100, 90130"), _items("Isokatu, Hallituskatu, Kirkkokatu")),
    Place("Pori", 1.0, ("28100",), _items("Yrjönkatu, Antinkatu")),
    Place("Ähtäri", 0.5, ("63700",), _TOWN_STREETS),
    Place("Vaasa", 0.5, ("65100",), _items("Hovioikeudenpuistikko, Kauppapuistikko")),
    Place("Porvoo", 0.5, ("06100",), _items("Mannerheiminkatu, Runeberginkatu")),
)

DEMO_BUSINESS = {
    "name": "Kahvila Aamukaste",
    "street": "Hämeenkatu 12",
    "postal_code": "33100",
    "city": "Tampere",
    "business_id": "1234567-1",
    "phone": "+358 3 123 4567",
    "email": "kahvila@example.fi",
    "website": "aamukaste.example.fi",
}

# (name, category, price in cents or None for quoted work)
PRODUCTS = (
    ("Suodatinkahvi", "kahvi", 290),
    ("Cappuccino", "kahvi", 450),
    ("Caffè latte", "kahvi", 480),
    ("Tee", "tee", 320),
    ("Korvapuusti", "leivonnaiset", 380),
    ("Karjalanpiirakka", "leivonnaiset", 250),
    ("Kinkkujuustovoileipä", "voileivät", 790),
    ("Kasvisvoileipä", "voileivät", 750),
    ("Päivän keitto", "lounas", 1150),
    ("Täytekakku tilauksesta", "kakut", 4900),
    ("Kokoustarjoilu", "pitopalvelu", None),
)

# What staff write next to a favourite, by product category.
FAVOURITE_NOTES = {
    "kahvi": ("kauramaidolla", "extrakuuma", "kofeiiniton", "tupla-annos", "laktoositon"),
    "tee": ("ilman sokeria", "sitruunalla"),
    "leivonnaiset": ("lämmitettynä", "mukaan"),
    "voileivät": ("ilman sipulia", "gluteeniton leipä", "lisää juustoa"),
    "lounas": ("gluteeniton", "laktoositon", "lisää leipää"),
}
CUSTOMER_NOTES = (
    "Istuu mieluiten ikkunapöydässä.",
    "Allerginen pähkinöille.",
    "Tilaa kakun jokaiseen perheen syntymäpäivään.",
    "Töissä naapurin kirjastossa.",
    "Tulee koiran kanssa; vesikuppi valmiiksi.",
    "Maksaa yrityksen kortilla.",
    "Haluaa kuulla uusista leivonnaisista ensimmäisenä.",
)
COMPANIES = (
    "Tampereen Tilitoimisto Oy",
    "Pirkanmaan Rakennus Oy",
    "Hervannan Hammaslääkärit Oy",
    "Kalevan Kirjapaino Oy",
    "Näsin Arkkitehdit Oy",
    "Koulutuskeskus Amuri",
)
COMPLAINTS = (
    "Cappuccino oli haaleaa.",
    "Lounastilauksessa väärä voileipä.",
    "Jonotti tiskillä kaksikymmentä minuuttia.",
    "Kakkutilaus myöhästyi päivällä.",
    "Keitto oli liian suolaista.",
    "Yhdestä kahvista veloitettiin kahdesti.",
)
STAFF = ("Aino", "Jussi", "Mira", "Tuomas")
DESKS = ("Kassa 1", "Kassa 2")
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")

_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_CYRILLIC_LATIN = _items(
    "a, b, v, g, d, e, e, zh, z, i, i, k, l, m, n, o, p, r, s, t, u, f, kh, ts, ch, sh, shch, , "
    "y, , e, yu, ya"
)
_LATIN_FOR = str.maketrans(
    {"ł": "l", "ø": "o", "æ": "ae", "ß": "ss", "'": ""}
    | dict(zip(_CYRILLIC, _CYRILLIC_LATIN, strict=True))
)


def email_local_part(name: str) -> str:
    """ASCII letters for an address: "Łukasz" → "lukasz", "Ольга" → "olga"."""
    latin = name.lower().translate(_LATIN_FOR)
    decomposed = unicodedata.normalize("NFKD", latin)
    return "".join(ch for ch in decomposed if ch.isascii() and (ch.isalnum() or ch == "-"))
