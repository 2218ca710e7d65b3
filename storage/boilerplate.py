"""Each source's learned boilerplate model (chrome that repeats across its pages), stored as JSON."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from storage.db import write_transaction


def load_model(db: sqlite_utils.Database, source: str) -> dict[str, Any] | None:
    """The stored model of `source`, or None before its first crawl."""
    for row in db.query("SELECT model FROM boilerplate WHERE source = ?", [source]):
        try:
            return json.loads(row["model"])
        except ValueError:
            return None  # a damaged model is relearned, never fatal
    return None


def save_model(db: sqlite_utils.Database, source: str, model: dict[str, Any]) -> None:
    from storage.archive import now_iso

    with write_transaction(db):
        db.execute("INSERT INTO boilerplate (source, model, updated) VALUES (?, ?, ?)"
                   " ON CONFLICT(source) DO UPDATE SET model = excluded.model, updated = excluded.updated",
                   [source, json.dumps(model, ensure_ascii=False), now_iso()])
