"""The referral tree picture: names, counts and marks on the page, big trees over pages."""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from crm_desktop.reports.referral_tree import render_referral_tree
from crm_desktop.reports.referral_tree_data import TreePictureNode

PAGE_NUMBER = re.compile(r"(\d+) \((\d+)\)")


def node(name: str, *children: TreePictureNode, rewarded=False, due=False) -> TreePictureNode:
    total = sum(child.total + 1 for child in children)
    return TreePictureNode(name, len(children), total, rewarded, children, thanks_due=due)


def small_tree() -> TreePictureNode:
    return node(
        "Łukasz Żółć",
        node("Дмитрий <Иванов> & co", node("Aino Mäki", rewarded=True), rewarded=True),
        node("Bert Berg", due=True),
    )


def big_tree(people: int, seed: int = 3) -> TreePictureNode:
    """A random family of ``people`` named P0…, each brought by one of the earlier ones."""
    rng = random.Random(seed)
    kids: dict[int, list[int]] = {i: [] for i in range(people)}
    for i in range(1, people):
        kids[max(0, i - 1 - int(rng.expovariate(1 / 30)))].append(i)
    built: dict[int, TreePictureNode] = {}
    for i in reversed(range(people)):
        built[i] = node(f"P{i}", *(built.pop(k) for k in kids[i]), rewarded=i % 4 == 1)
    return built[0]


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_names_counts_and_legend_are_on_the_page() -> None:
    (text,) = pages_text(render_referral_tree(small_tree()))
    for expected in ("Łukasz Żółć", "Дмитрий <Иванов> & co", "Aino Mäki", "Bert Berg",
                     "2 / 3", "1 / 1", "Referral tree: Łukasz Żółć", "4 people in this tree",
                     "referrer thanked", "thank-you due", "1 (1)"):
        assert expected in text
    assert "✓" in text and "!" in text


def test_title_and_subtitle_can_be_given() -> None:
    pdf = render_referral_tree(small_tree(), title="Suositukset", subtitle="4 henkeä")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None and reader.metadata.title == "Suositukset"
    text = reader.pages[0].extract_text()
    assert "Suositukset" in text and "4 henkeä" in text


def test_every_font_is_embedded_dejavu() -> None:
    reader = PdfReader(io.BytesIO(render_referral_tree(small_tree())))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = set()
    for ref in fonts.values():
        font = ref.get_object()
        assert isinstance(font, DictionaryObject)
        names.add(str(font["/BaseFont"]).split("+")[-1])
        descendants = font.get("/DescendantFonts")
        descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object()
    assert names <= {"DejaVuSans", "DejaVuSans-Bold"}


def test_a_family_of_a_thousand_runs_over_numbered_pages_each_name_once() -> None:
    texts = pages_text(render_referral_tree(big_tree(1000)))
    assert 15 <= len(texts) <= 40
    numbers = [tuple(map(int, PAGE_NUMBER.findall(text)[-1])) for text in texts]
    assert numbers == [(page, len(texts)) for page in range(1, len(texts) + 1)]
    # One line per box name; the "continued under" line of later pages repeats some names.
    boxes = [name for text in texts for name in re.findall(r"^P\d+$", text, re.M)]
    assert sorted(boxes, key=lambda name: int(name[1:])) == [f"P{i}" for i in range(1000)]
    assert "1000 people in this tree" in texts[0]


def test_a_continued_page_says_whom_its_first_row_hangs_from() -> None:
    chain = node("Last")
    for i in reversed(range(80)):
        chain = node(f"Gen{i}", chain)
    texts = pages_text(render_referral_tree(chain))
    assert len(texts) >= 2
    first_on_second = re.search(r"^(Gen\d+)$", texts[1], re.M)
    assert first_on_second is not None
    generation = int(first_on_second.group(1)[3:])
    assert "continued under" in texts[1]
    assert f"Gen{generation - 1}" in texts[1].split(first_on_second.group(1))[0]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)")
def test_boxes_and_lines_are_drawn_inside_the_margins_even_for_a_deep_chain(
    tmp_path: Path,
) -> None:
    chain = node("Last")
    for i in reversed(range(300)):
        chain = node(f"Generation {i} with a long name", chain)
    pdf = tmp_path / "deep.pdf"
    pdf.write_bytes(render_referral_tree(chain))
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", "60", "-f", "3", "-l", "3",
                    str(pdf), str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")

    def inked(left_mm: float, top_mm: float, right_mm: float, bottom_mm: float) -> bool:
        box = tuple(round(v * 60 / 25.4) for v in (left_mm, top_mm, right_mm, bottom_mm))
        darkest, _ = image.crop(box).getextrema()
        return bool(darkest < 160)

    assert inked(15, 30, 195, 270)  # boxes and lines
    assert not inked(0, 0, 14, 297)  # left margin
    assert not inked(196, 0, 210, 280)  # right margin, above the page number
    text = pages_text(pdf.read_bytes())[2]
    assert re.search(r"^level \d+$", text, re.M)  # past the last column: which generation
