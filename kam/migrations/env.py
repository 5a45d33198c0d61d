"""Alembic environment: runs on the Engine handed in by kam.core.migrate, inside one locked transaction."""

from alembic import context
from sqlalchemy import text

from kam.core.models import Base

target_metadata = Base.metadata
config = context.config


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    # kam_write makes SQLite open the transaction with BEGIN IMMEDIATE: two processes starting
    # at once then migrate one after the other instead of both creating the same tables.
    # transactional_ddl keeps that one transaction for every step: Alembic's SQLite default
    # commits after each step, and a process that had read the version before another's commit
    # ran the same step again ("duplicate column"). Our SQLite connections do transactional DDL.
    with engine.execution_options(kam_write=True).connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            transactional_ddl=True,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(744201)"))
            context.run_migrations()


run_migrations_online()
