"""The small product catalogue (Settings) and each customer's favourites with a note.

Product names are unique regardless of case, so "Oat latte" and "oat latte" cannot both
exist. A product that is no longer sold is deactivated rather than deleted when customers
still have it as a favourite.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_desktop.i18n import _, ngettext
from crm_desktop.models import Customer, Favourite, Product
from crm_desktop.services.changes import Changes
from crm_desktop.services.errors import NotFound, ValidationError

NAME_MAX_LENGTH = 100
CATEGORY_MAX_LENGTH = 50
NOTE_MAX_LENGTH = 200
_PRODUCT_KINDS = frozenset({"products"})
_FAVOURITE_KINDS = ("customers", "favourites")


@dataclass(frozen=True)
class ProductInput:
    name: str
    category: str = ""
    price_cents: int | None = None
    active: bool = True


@dataclass(frozen=True)
class ProductRow:
    id: int
    name: str
    category: str
    price_cents: int | None
    active: bool


@dataclass(frozen=True)
class SavedProduct:
    product: ProductRow
    changes: Changes


@dataclass(frozen=True)
class FavouriteRow:
    id: int
    customer_id: int
    product_id: int
    product_name: str
    category: str
    note: str  # "oat milk, no sugar"


@dataclass(frozen=True)
class SavedFavourite:
    favourite: FavouriteRow
    changes: Changes


def list_products(session: Session, include_inactive: bool = False) -> list[ProductRow]:
    query = select(Product).order_by(Product.category, func.lower(Product.name))
    if not include_inactive:
        query = query.where(Product.active.is_(True))
    return [_product_row(item) for item in session.scalars(query)]


def create_product(session: Session, data: ProductInput) -> SavedProduct:
    clean = _clean_product(session, data, exclude_id=None)
    product = Product()
    _apply_product(product, clean)
    session.add(product)
    session.flush()
    return SavedProduct(_product_row(product), Changes(kinds=_PRODUCT_KINDS))


def update_product(session: Session, product_id: int, data: ProductInput) -> SavedProduct:
    product = _load_product(session, product_id)
    clean = _clean_product(session, data, exclude_id=product_id)
    _apply_product(product, clean)
    session.flush()
    return SavedProduct(_product_row(product), Changes(kinds=_PRODUCT_KINDS))


def delete_product(session: Session, product_id: int) -> Changes:
    """Delete a product nobody has as a favourite; otherwise say to deactivate it."""
    product = _load_product(session, product_id)
    users = session.scalar(
        select(func.count()).select_from(Favourite).where(Favourite.product_id == product_id)
    )
    if users:
        raise ValidationError(
            {"product": ngettext(
                "{name} is a favourite of {count} customer: deactivate it instead.",
                "{name} is a favourite of {count} customers: deactivate it instead.",
                users,
            ).format(name=product.name, count=users)}
        )
    session.delete(product)
    session.flush()
    return Changes(kinds=_PRODUCT_KINDS)


def list_favourites(session: Session, customer_id: int) -> list[FavouriteRow]:
    _require_customer(session, customer_id)
    rows = session.execute(
        select(Favourite, Product)
        .join(Product, Product.id == Favourite.product_id)
        .where(Favourite.customer_id == customer_id)
        .order_by(func.lower(Product.name))
    )
    return [_favourite_row(favourite, product) for favourite, product in rows]


def add_favourite(
    session: Session, customer_id: int, product_id: int, note: str = ""
) -> SavedFavourite:
    _require_customer(session, customer_id)
    product = _load_product(session, product_id)
    note = _clean_note(note)
    taken = session.scalar(
        select(Favourite.id).where(
            Favourite.customer_id == customer_id, Favourite.product_id == product_id
        )
    )
    if taken is not None:
        raise ValidationError(
            {"product": _("{name} is already a favourite.").format(name=product.name)}
        )
    favourite = Favourite(customer_id=customer_id, product_id=product_id, note=note)
    session.add(favourite)
    session.flush()
    return SavedFavourite(_favourite_row(favourite, product), _favourite_changes(customer_id))


def update_favourite_note(session: Session, favourite_id: int, note: str) -> SavedFavourite:
    favourite = _load_favourite(session, favourite_id)
    favourite.note = _clean_note(note)
    session.flush()
    product = _load_product(session, favourite.product_id)
    return SavedFavourite(
        _favourite_row(favourite, product), _favourite_changes(favourite.customer_id)
    )


def remove_favourite(session: Session, favourite_id: int) -> SavedFavourite:
    """Remove a favourite; the result holds it, so adding it back is an undo."""
    favourite = _load_favourite(session, favourite_id)
    product = _load_product(session, favourite.product_id)
    row = _favourite_row(favourite, product)
    session.delete(favourite)
    session.flush()
    return SavedFavourite(row, _favourite_changes(row.customer_id))


def _clean_product(session: Session, data: ProductInput, exclude_id: int | None) -> ProductInput:
    name, category = data.name.strip(), data.category.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Enter the product's name.")
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = _("A product name can be at most {count} characters long.").format(
            count=NAME_MAX_LENGTH
        )
    elif _name_taken(session, name, exclude_id):
        errors["name"] = _("There is already a product called {name}.").format(name=name)
    if len(category) > CATEGORY_MAX_LENGTH:
        errors["category"] = _("A category can be at most {count} characters long.").format(
            count=CATEGORY_MAX_LENGTH
        )
    if data.price_cents is not None and data.price_cents < 0:
        errors["price_cents"] = _("A price cannot be negative.")
    if errors:
        raise ValidationError(errors)
    return ProductInput(name, category, data.price_cents, data.active)


def _name_taken(session: Session, name: str, exclude_id: int | None) -> bool:
    query = select(Product.id).where(func.lower(Product.name) == name.lower())
    if exclude_id is not None:
        query = query.where(Product.id != exclude_id)
    return session.scalar(query.limit(1)) is not None


def _clean_note(note: str) -> str:
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("A note can be at most {count} characters long.").format(
                count=NOTE_MAX_LENGTH
            )}
        )
    return note


def _apply_product(product: Product, data: ProductInput) -> None:
    product.name = data.name
    product.category = data.category
    product.price_cents = data.price_cents
    product.active = data.active


def _load_product(session: Session, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(_("Product {id} does not exist.").format(id=product_id))
    return product


def _load_favourite(session: Session, favourite_id: int) -> Favourite:
    favourite = session.get(Favourite, favourite_id)
    if favourite is None:
        raise NotFound(_("Favourite {id} does not exist.").format(id=favourite_id))
    return favourite


def _require_customer(session: Session, customer_id: int) -> None:
    if session.get(Customer, customer_id) is None:
        raise NotFound(_("Customer {id} does not exist.").format(id=customer_id))


def _product_row(product: Product) -> ProductRow:
    return ProductRow(
        product.id, product.name, product.category, product.price_cents, product.active
    )


def _favourite_row(favourite: Favourite, product: Product) -> FavouriteRow:
    return FavouriteRow(
        id=favourite.id,
        customer_id=favourite.customer_id,
        product_id=product.id,
        product_name=product.name,
        category=product.category,
        note=favourite.note,
    )


def _favourite_changes(customer_id: int) -> Changes:
    return Changes.of_customers(customer_id, kinds=_FAVOURITE_KINDS)
