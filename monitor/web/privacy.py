"""What the web UI never serves: subscribers' addresses and notification targets, and the archive's path.

Datasette lets anyone run read-only SQL (`?sql=`), so hiding a table is not enough: every connection
the served database opens gets an SQLite authorizer that refuses to read the private tables and
columns, whatever query asks. `/-/databases.json` is answered without file paths, and the raw file
download is switched off (settings), because the file holds the outbox.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from datasette.utils.asgi import Response

PRIVATE_TABLES = frozenset({"outbox", "subscribers", "subscriptions", "targets", "notification_targets"})
PRIVATE_COLUMNS = frozenset({"recipient", "recipients", "target", "targets", "email", "email_address"})


def authorizer(action: int, arg1: str | None, arg2: str | None, db_name: str | None, source: str | None) -> int:
    """Refuse a query that reads a private column (an address) of any table; read every other column of
    a private table as NULL, so Datasette's own bookkeeping (counting rows that point at an article)
    still works and learns nothing."""
    if action != sqlite3.SQLITE_READ:
        return sqlite3.SQLITE_OK
    if (arg2 or "").lower() in PRIVATE_COLUMNS:
        return sqlite3.SQLITE_DENY
    if (arg1 or "").lower() in PRIVATE_TABLES:
        return sqlite3.SQLITE_IGNORE
    return sqlite3.SQLITE_OK


def protect(conn: sqlite3.Connection) -> None:
    conn.set_authorizer(authorizer)


async def databases(datasette: Any) -> Response:
    """`/-/databases.json` without the `path` of each file."""
    return Response.json([{"name": db.name, "route": db.route, "is_mutable": db.is_mutable,
                           "is_memory": db.is_memory}
                          for name, db in datasette.databases.items() if name != "_internal"])
