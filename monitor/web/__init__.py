"""`newsmon serve`: the reader's pages and the archive read-only in Datasette, with our metadata, canned
queries and plugin."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import yaml

WEB_DIR = Path(__file__).parent
METADATA = WEB_DIR / "metadata.yaml"
PLUGINS_DIR = WEB_DIR / "plugins"
STATIC_DIR = WEB_DIR / "static"
STATIC_MOUNT = "-/newsmon"  # /-/newsmon/newsmon.css: under Datasette's own /-/ so no archive name can clash
PLACEHOLDER = "ARCHIVE"
SETTINGS = {"sql_time_limit_ms": 3000, "facet_time_limit_ms": 1000, "default_page_size": 50,
            "truncate_cells_html": 600, "allow_download": False}  # the file holds the outbox: never served


def database_name(db_path: Path) -> str:
    """The name Datasette gives the archive: its file name without the extension."""
    return Path(db_path).stem


def metadata(db_path: Path) -> dict[str, Any]:
    """Our metadata with the database key (and links) named after the archive file."""
    text = METADATA.read_text(encoding="utf-8").replace(PLACEHOLDER, database_name(db_path))
    return yaml.safe_load(text)


def build(db_path: Path, config: Any = None) -> Any:
    """A Datasette over the archive (opened with mode=ro: Datasette never writes a mutable file).

    `config` (the loaded newsmon.toml) gives the status page its sources and schedules.
    """
    from datasette.app import Datasette

    ds = Datasette([str(db_path)], metadata=metadata(db_path), plugins_dir=str(PLUGINS_DIR),
                   settings=SETTINGS, cors=False, static_mounts=[(STATIC_MOUNT, str(STATIC_DIR))])
    ds.newsmon_config = config
    return ds


def serve(db_path: Path, *, host: str = "127.0.0.1", port: int = 8001, config: Any = None) -> None:
    """Run the web UI until interrupted, bound to `host` (loopback unless told otherwise)."""
    import uvicorn

    ds = build(db_path, config)
    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
