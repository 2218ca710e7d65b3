"""CLI of the replay site: `python -m tests.replay serve|ground-truth`."""

from __future__ import annotations

import json
import signal
import sys
import threading
from urllib.parse import urlsplit

import click

from tests.replay.corpus import build_hosts
from tests.replay.server import ReplaySite
from tests.replay.truth import ground_truth


@click.group()
def main() -> None:
    """An offline replay of the SPbPU news section on 127.0.0.1."""


@main.command()
@click.option("--ru-port", type=int, default=8001, show_default=True, help="Port of the Russian host (0: any).")
@click.option("--en-port", type=int, default=8002, show_default=True, help="Port of the English host (0: any).")
@click.option("--state", type=click.IntRange(1, 2), default=1, show_default=True, help="Site state to serve.")
@click.option("--faults", is_flag=True, help="Add the fault items to the Russian all-news listing page 1.")
@click.option("--scale", type=click.IntRange(min=1), default=None, help="Serve N generated Russian articles.")
@click.option("--slow-seconds", type=float, default=5.0, show_default=True, help="Delay of the slow fault page.")
def serve(ru_port: int, en_port: int, state: int, faults: bool, scale: int | None, slow_seconds: float) -> None:
    """Serve both hosts until SIGINT/SIGTERM.

    Example: python -m tests.replay serve --ru-port 8001 --en-port 8002 --state 2 --faults
    """
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with ReplaySite(ru_port, en_port, state=state, faults=faults, scale=scale, slow_seconds=slow_seconds) as site:
        click.echo(site.ru_url)
        click.echo(site.en_url, nl=True)
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass


def _port(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".rstrip("/")


@main.command("ground-truth")
@click.option("--state", type=click.IntRange(1, 2), default=1, show_default=True)
@click.option("--ru-url", default="http://127.0.0.1:8001", show_default=True, help="Base URL of the Russian host.")
@click.option("--en-url", default="http://127.0.0.1:8002", show_default=True, help="Base URL of the English host.")
@click.option("--faults", is_flag=True, help="Include the fault items.")
@click.option("--scale", type=click.IntRange(min=1), default=None)
def ground_truth_cmd(state: int, ru_url: str, en_url: str, faults: bool, scale: int | None) -> None:
    """Print the ground truth of a state as JSON (no server needed).

    Example: python -m tests.replay ground-truth --state 2 --ru-url http://127.0.0.1:8001
    """
    rows = ground_truth(build_hosts(state, scale), _port(ru_url), _port(en_url), faults)
    click.echo(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
