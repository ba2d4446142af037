"""One place that opens transactions and turns driver errors into messages for people."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

import peewee

from shopdesk.db.errors import translate_storage_errors
from shopdesk.db.models import database_proxy

P = ParamSpec("P")
R = TypeVar("R")


_ROLLBACK_NOISE = ("no transaction is active", "no such savepoint")


def _cause(exc: BaseException) -> BaseException:
    """The error that started it all: SQLite rolls a transaction back by itself on a full disk or an I/O
    error, so Peewee's own rollback then fails and would hide the real reason."""
    while any(text in str(exc) for text in _ROLLBACK_NOISE) and exc.__context__ is not None:
        exc = exc.__context__
    return exc


@contextlib.contextmanager
def atomic() -> Iterator[None]:
    """A transaction (a savepoint when nested) whose environment errors become StorageError."""
    with translate_storage_errors():
        try:
            with database_proxy.atomic():
                yield
        except peewee.DatabaseError as exc:
            cause = _cause(exc)
            if cause is exc:
                raise
            raise cause from None


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
