"""One place that opens transactions and turns driver errors into messages for people."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

from shopdesk.db.errors import translate_storage_errors
from shopdesk.db.models import database_proxy

P = ParamSpec("P")
R = TypeVar("R")


@contextlib.contextmanager
def atomic() -> Iterator[None]:
    """A transaction (a savepoint when nested) whose environment errors become StorageError."""
    with translate_storage_errors(), database_proxy.atomic():
        yield


def guarded(function: Callable[P, R]) -> Callable[P, R]:
    """Decorate a read-only service so that a locked, missing or broken database is explained."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with translate_storage_errors():
            return function(*args, **kwargs)

    return wrapper


def raw_rows(query: object) -> list[tuple]:
    """Run a Peewee query through the bare cursor: no row wrapping, as fast as hand-written SQL."""
    sql, params = query.sql()  # type: ignore[attr-defined]
    return database_proxy.execute_sql(sql, params).fetchall()
