"""Alembic environment: runs on the connection handed in by Kanta (or pytest-alembic)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine, create_engine

from crm_desktop.models import Base
from crm_desktop.models.search_index import is_search_index_object

config = context.config


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    # The search indexes (FTS5 tables, trigram index) are made by hand in the migrations.
    return not is_search_index_object(name)


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if isinstance(connection, Engine):  # pytest-alembic hands over an engine
    with connection.begin() as engine_connection:
        run_migrations(engine_connection)
elif connection is not None:
    run_migrations(connection)
else:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "set sqlalchemy.url or pass a connection"
    engine = create_engine(url)
    with engine.begin() as new_connection:
        run_migrations(new_connection)
