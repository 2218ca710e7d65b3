"""`make demo`: the whole job end to end on the embedded defaults, offline.

The replays serve on loopback: SPbPU's news section (built in) and a partner university's WordPress news
site added by a four-line [sources.partner] block (no selectors: generic discovery and extraction).
newsmon crawls them into a SQLite file, the sites move to their second state, newsmon crawls again (new,
changed), delivers the cooperation alerts to a local Maildir, shows its status and searches the archive.
It lives beside the replay it drives (tests/), not in the shipped package.
"""

from __future__ import annotations

import email
import email.policy
import mailbox
import shutil
import subprocess
import sys
from email.header import decode_header, make_header
from pathlib import Path

DEMO_DIR = Path("data/demo")


def say(text: str) -> None:
    print(f"\n\033[1m== {text}\033[0m" if sys.stdout.isatty() else f"\n== {text}", flush=True)


def newsmon(config: Path, *args: str) -> int:
    """Run one newsmon command as a user would, printing its output."""
    print(f"$ newsmon {' '.join(args)}", flush=True)
    return subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), *args]).returncode


def write_config(path: Path, ru_url: str, en_url: str, partner: str, partner_listing: str) -> None:
    path.write_text(
        f"""# newsmon demo: the replay site on loopback, a SQLite file, a local Maildir (no [smtp] host).
[storage]
path = "{DEMO_DIR / 'newsmon.db'}"
maildir = "{DEMO_DIR / 'maildir'}"

[crawl]
timeout = 10
autothrottle = false

[sources.spbpu-ru]
base_url = "{ru_url}"
download_delay = 0

[sources.spbpu-en]
base_url = "{en_url}"
download_delay = 0

# Any other university: its origin and its news listing; the feed, pager, articles and fields are found.
[sources.partner]
base_url = "{partner}"
listing_urls = ["{partner_listing}"]
download_delay = 0

[[subscriptions]]
name = "international office"
recipients = ["intl@example.org"]
topics = ["cooperation"]
mode = "per_item"
""",
        encoding="utf-8",
    )


def show_maildir(path: Path) -> int:
    """Print the alert emails delivered to the local Maildir; returns how many."""
    box = mailbox.Maildir(path, create=False) if path.exists() else None
    messages = list(box) if box is not None else []
    for message in messages:
        subject = str(make_header(decode_header(message["Subject"] or "")))
        print(f"  To: {message['To']}  Subject: {subject}")
    if messages:
        first = email.message_from_bytes(messages[0].as_bytes(), policy=email.policy.default)
        text = first.get_body(("plain",)).get_content().strip().splitlines()
        print("  --- the first one, as text ---")
        print("\n".join(f"  | {line}" for line in text[:18]))
    return len(messages)


def main() -> int:
    from tests.replay import ReplaySite, UniSite

    shutil.rmtree(DEMO_DIR, ignore_errors=True)
    DEMO_DIR.mkdir(parents=True)
    config = DEMO_DIR / "newsmon.toml"
    with ReplaySite(ru_port=0, en_port=0, state=1) as site, UniSite("wp", port=0, state=1) as partner:
        truth = site.ground_truth()
        say(f"Replay of the SPbPU news section: {site.ru_url} (ru) and {site.en_url} (en), "
            f"{sum(r['lang'] == 'ru' for r in truth)} Russian and {sum(r['lang'] == 'en' for r in truth)} English articles; "
            f"a partner university's news at {partner.listing_url} ({len(partner.ground_truth())} articles)")
        write_config(config, site.ru_url, site.en_url, partner.url, partner.listing_url)
        say("First crawl: sets the archive's baseline (no alerts for the past)")
        failures = newsmon(config, "crawl")
        say("A second crawl with nothing new: a few requests, no article pages")
        failures |= newsmon(config, "crawl")
        site.set_state(2)
        partner.set_state(2)
        edited = next(row["url"] for row in site.ground_truth() if row["edited_in_state_2"])
        say("The site moves on: new items in both languages, one article edited")
        failures |= newsmon(config, "crawl")
        say("A full sweep re-checks every article with conditional GET and finds the edit")
        failures |= newsmon(config, "crawl", "--full")
    say("Alert delivery: no [smtp] host configured, so alerts go to the local Maildir")
    failures |= newsmon(config, "alerts", "send")
    count = show_maildir(DEMO_DIR / "maildir")
    print(f"  {count} email(s) in {DEMO_DIR / 'maildir'}")
    say("What changed in the edited article")
    failures |= newsmon(config, "show", edited, "--diff")
    say("Which extractor read the partner's articles (no selectors configured)")
    failures |= newsmon(config, "search", "--source", "partner", "--limit", "3")
    say("Status")
    failures |= newsmon(config, "status")
    say("Search the archive: a Russian word form and an English word")
    failures |= newsmon(config, "search", "сотрудничеству", "--limit", "5")
    failures |= newsmon(config, "search", "cooperation", "--limit", "5")
    say("Next steps")
    print(f"  Web UI:  .venv/bin/newsmon --config {config} serve   (then open http://127.0.0.1:8001/)")
    print(f"  Search:  .venv/bin/newsmon --config {config} search 'соглашение' --lang ru --format json")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
