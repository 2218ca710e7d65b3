"""The status page's data, computed by the same functions as `newsmon status` (runs, health, outbox).

It opens its own read-only connection: the health checks count the outbox, which the served
database never lets a query read (monitor/web/privacy.py). Only counts and one-line summaries leave
this module, never a recipient.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from monitor import health, locks, outbox
from storage import runs
from storage import web as web_sql
from storage.db import connect


def collect(config: Any, db_path: Path) -> dict[str, Any]:
    """Per source the last crawl and the next one, overdue sources, problems, alert counts, the daemon."""
    from monitor.commands.daemon import local_time, next_run
    from monitor.scheduler import read_state

    db = connect(db_path, readonly=True)
    try:
        configured = list(config.source_names) if config is not None else []
        daemon = read_state(config) if config is not None else None
        sources = []
        for name in configured + [s for s in web_sql.crawled_sources(db) if s not in configured]:
            last = runs.last_run(db, name)
            sources.append({
                "name": name, "last": last, "configured": name in configured,
                "busy": name in configured and locks.is_locked(config, name),
                "next": next_run(config, name, daemon, last) if name in configured else None,
                "fallbacks": last.get("fallbacks") if last else None,
                "started": local_time(last["started"]) if last else None,
            })
        incidents = health.check(config, db) if config is not None else []
        return {
            "zone": datetime.now().astimezone().tzname(), "daemon": daemon, "sources": sources,
            "overdue": [i.source for i in incidents if i.key.startswith("overdue:")],
            "problems": [i.summary for i in incidents],
            "alerts": outbox.counts(db),
        }
    finally:
        db.conn.close()
