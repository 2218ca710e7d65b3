"""CLI of the replay sites: `python -m tests.replay serve|ground-truth`."""

from __future__ import annotations

import json
import signal
import sys
import threading
from contextlib import ExitStack
from urllib.parse import urlsplit

import click

from tests.replay.corpus import build_hosts
from tests.replay.server import ReplaySite
from tests.replay.truth import ground_truth
from tests.replay.uni_server import SITES, UniSite


@click.group()
def main() -> None:
    """Offline replays of university news sections on 127.0.0.1 (SPbPU, WordPress-like, Drupal-like)."""


@main.command()
@click.option("--ru-port", type=int, default=8001, show_default=True, help="Port of the Russian host (0: any).")
@click.option("--en-port", type=int, default=8002, show_default=True, help="Port of the English host (0: any).")
@click.option("--wp-port", type=int, default=None, help="Also serve the WordPress-like site here (0: any).")
@click.option("--drupal-port", type=int, default=None, help="Also serve the Drupal-like site here (0: any).")
@click.option("--state", type=click.IntRange(1, 3), default=1, show_default=True,
              help="Site state to serve (3: SPbPU's redesigned article template; the other sites serve 2).")
@click.option("--faults", is_flag=True, help="Add the fault items to the Russian all-news listing page 1.")
@click.option("--scale", type=click.IntRange(min=1), default=None, help="Serve N generated Russian articles.")
@click.option("--slow-seconds", type=float, default=5.0, show_default=True, help="Delay of the slow fault page.")
def serve(ru_port: int, en_port: int, wp_port: int | None, drupal_port: int | None, state: int, faults: bool,
          scale: int | None, slow_seconds: float) -> None:
    """Serve both SPbPU hosts (and the other sites asked for) until SIGINT/SIGTERM; print one base URL a line.

    Example: python -m tests.replay serve --ru-port 8001 --en-port 8002 --wp-port 8003 --drupal-port 8004 --state 2
    """
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with ExitStack() as stack:
        site = stack.enter_context(ReplaySite(ru_port, en_port, state=state, faults=faults, scale=scale,
                                              slow_seconds=slow_seconds))
        urls = [site.ru_url, site.en_url]
        for label, port in (("wp", wp_port), ("drupal", drupal_port)):
            if port is not None:
                urls.append(stack.enter_context(UniSite(label, port, state=state)).url)
        for url in urls:
            click.echo(url)
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass


def _port(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".rstrip("/")


@main.command("ground-truth")
@click.option("--state", type=click.IntRange(1, 3), default=1, show_default=True)
@click.option("--site", "label", type=click.Choice(["spbpu", *SITES]), default="spbpu", show_default=True,
              help="Which replay's truth to print.")
@click.option("--ru-url", default="http://127.0.0.1:8001", show_default=True, help="Base URL of the Russian host.")
@click.option("--en-url", default="http://127.0.0.1:8002", show_default=True, help="Base URL of the English host.")
@click.option("--url", default="http://127.0.0.1:8003", show_default=True, help="Base URL of the wp or drupal site.")
@click.option("--faults", is_flag=True, help="Include the fault items.")
@click.option("--scale", type=click.IntRange(min=1), default=None)
def ground_truth_cmd(state: int, label: str, ru_url: str, en_url: str, url: str, faults: bool,
                     scale: int | None) -> None:
    """Print the ground truth of a state as JSON (no server needed).

    Example: python -m tests.replay ground-truth --state 2 --ru-url http://127.0.0.1:8001
    """
    if label != "spbpu":
        from tests.replay.uni_truth import ground_truth as uni_truth
        from tests.replay.unis import build_corpus
        click.echo(json.dumps(uni_truth(build_corpus(SITES[label], state), _port(url)), ensure_ascii=False, indent=1))
        return
    rows = ground_truth(build_hosts(state, scale), _port(ru_url), _port(en_url), faults)
    click.echo(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
