"""Counters for the sign-in and e-mail throttles, kept in the database so every worker sees one count.

Each change is one atomic statement. `reserve` counts an attempt *before* the work it guards (checking a
password, sending an e-mail) and refuses it when a count goes over its limit, so parallel requests
cannot all pass a check made before any of them was counted:

    INSERT ... VALUES (key, 1, now + window)
    ON CONFLICT (key) DO UPDATE SET count = count + 1 (or 1 when the window has ended), ...
    RETURNING count, window_ends

SQLite (3.35 or newer) and PostgreSQL both run this statement. Call these functions outside
`transaction.atomic()`: a count made inside a transaction that rolls back is lost.

SQLite's in-memory test database is shared between threads with table locks that fail at once
("database table is locked") instead of waiting, so on SQLite the statements of one process take turns
behind a process-wide lock. Between processes on a SQLite file, SQLite's own busy timeout makes them wait.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection
from django.utils import timezone

from .models import ThrottleCounter

T = TypeVar("T")

# Expired rows are removed at most this often per process, by one indexed DELETE.
PURGE_INTERVAL_SECONDS = 60

_sqlite_lock = threading.Lock()
_last_purge = 0


@dataclass(frozen=True)
class Limit:
    """At most `limit` attempts counted under `key` within `window` seconds."""

    key: str
    limit: int
    window: int


@dataclass(frozen=True)
class Refusal:
    """The limit an attempt went over, and how many seconds remain until its window ends."""

    limit: Limit
    retry_after: int

    @property
    def minutes(self) -> int:
        return max(1, -(-self.retry_after // 60))


def now() -> int:
    """Unix time in whole seconds (UTC)."""
    return int(timezone.now().timestamp())


def _run(statement: Callable[[Any], T]) -> T:
    if connection.vendor == "sqlite":
        with _sqlite_lock, connection.cursor() as cursor:
            return statement(cursor)
    with connection.cursor() as cursor:
        return statement(cursor)


def _table() -> str:
    return connection.ops.quote_name(ThrottleCounter._meta.db_table)


def _column(name: str) -> str:
    return connection.ops.quote_name(name)


def increment(key: str, window: int) -> tuple[int, int]:
    """Count one under `key`; returns the new count and the end of its window (Unix time)."""
    table, key_col, count, ends = _table(), _column("key"), _column("count"), _column("window_ends")
    moment = now()
    sql = (
        f"INSERT INTO {table} ({key_col}, {count}, {ends}) VALUES (%s, 1, %s) "  # noqa: S608 - names are quoted constants
        f"ON CONFLICT ({key_col}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{ends} <= %s THEN 1 ELSE {table}.{count} + 1 END, "
        f"{ends} = CASE WHEN {table}.{ends} <= %s THEN excluded.{ends} ELSE {table}.{ends} END "
        f"RETURNING {count}, {ends}"
    )

    def statement(cursor: Any) -> tuple[int, int]:
        cursor.execute(sql, [key, moment + window, moment, moment])
        row = cursor.fetchone()
        return int(row[0]), int(row[1])

    result = _run(statement)
    _purge_now_and_then(moment)
    return result


def give_back(key: str) -> None:
    """Undo one count under `key`, if its window is still running and it has one to give."""
    table, key_col, count, ends = _table(), _column("key"), _column("count"), _column("window_ends")
    sql = (
        f"UPDATE {table} SET {count} = {count} - 1 "  # noqa: S608 - names are quoted constants
        f"WHERE {key_col} = %s AND {count} > 0 AND {ends} > %s"
    )
    _run(lambda cursor: cursor.execute(sql, [key, now()]))


def clear(keys: Iterable[str]) -> None:
    """Forget the counts under these keys."""
    keys = list(keys)
    if not keys:
        return
    table, key_col = _table(), _column("key")
    marks = ", ".join(["%s"] * len(keys))
    sql = f"DELETE FROM {table} WHERE {key_col} IN ({marks})"  # noqa: S608 - names are quoted constants
    _run(lambda cursor: cursor.execute(sql, keys))


def purge_expired() -> int:
    """Delete every counter whose window has ended; returns how many."""
    table, ends = _table(), _column("window_ends")
    sql = f"DELETE FROM {table} WHERE {ends} <= %s"  # noqa: S608 - names are quoted constants

    def statement(cursor: Any) -> int:
        cursor.execute(sql, [now()])
        return int(cursor.rowcount or 0)

    return _run(statement)


def _purge_now_and_then(moment: int) -> None:
    global _last_purge
    if abs(moment - _last_purge) >= PURGE_INTERVAL_SECONDS:
        _last_purge = moment
        purge_expired()


def reserve(limits: Sequence[Limit]) -> Refusal | None:
    """Count one attempt under every limit, in order; None when all are within their limits.

    An attempt over any limit is refused and leaves no count behind: what it counted is given back,
    so a refused attempt neither extends a lock nor uses up another limit. The counts of the attempts
    that pass stay until their windows end or the caller gives them back (`give_back`, `clear`).
    """
    taken: list[Limit] = []
    for limit in limits:
        count, window_ends = increment(limit.key, limit.window)
        if count > limit.limit:
            for counted in [*taken, limit]:
                give_back(counted.key)
            return Refusal(limit=limit, retry_after=max(1, window_ends - now()))
        taken.append(limit)
    return None
