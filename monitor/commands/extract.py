"""newsmon extract: parse one saved page or URL with the crawl's own parsers and print the fields."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import click

from monitor.cliutil import state, user_errors
from monitor.errors import NewsmonError
from spiders import __version__

USER_AGENT = f"newsmon/{__version__}"
MAX_BYTES = 10 * 1024 * 1024  # the crawl's DOWNLOAD_MAXSIZE (spiders/settings.py): a page is never bigger
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class PageNotFound(NewsmonError):
    """The saved page to extract does not exist or cannot be read."""


class FetchError(NewsmonError):
    """The page URL could not be fetched (network error, HTTP error, timeout)."""


class NotAPage(NewsmonError):
    """The input is larger than any page a crawl would take, or binary rather than text."""


def too_large(what: str) -> NotAPage:
    return NotAPage(f"{what} is larger than {MAX_BYTES // (1024 * 1024)} MiB, the crawl's size limit for a page;"
                    " not a news page")


def check_text(content: bytes, what: str) -> None:
    """Refuse binary input (an image, an archive, /dev/zero): NUL bytes or many control bytes at its start.

    A page in UTF-16 (with its byte-order mark) is text despite its NUL bytes.
    """
    head = content[:8192]
    if not head or head.startswith(_BOMS[1:]):
        return
    control = sum(1 for b in head if b < 32 and b not in b"\t\n\r\f\x1b")
    if b"\x00" in head or control > len(head) // 20:
        raise NotAPage(f"{what} is not a text page (binary content); give a saved HTML, RSS or text page")


def fetch(url: str, timeout: float, user_agent: str = USER_AGENT) -> tuple[bytes, str | None, str]:
    """(body, Content-Type, final URL) of one GET; errors become FetchError with a one-line reason."""
    request = urllib.request.Request(url, headers={"User-Agent": user_agent or USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise too_large(url)
            return body, response.headers.get("Content-Type"), response.geturl()
    except urllib.error.HTTPError as exc:
        raise FetchError(f"cannot fetch {url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"cannot fetch {url}: {exc.reason}; check the URL and the network") from None
    except (TimeoutError, OSError, ValueError) as exc:
        raise FetchError(f"cannot fetch {url}: {exc or type(exc).__name__}") from None


def read_page(target: str) -> bytes:
    """The bytes of a saved page; a missing or unreadable file is a PageNotFound."""
    path = Path(target)
    try:
        with path.open("rb") as page:  # never more than the cap: /dev/zero or a huge file must not fill memory
            content = page.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise PageNotFound(f"{target} is a directory; give a saved page or an http(s):// URL") from None
    except FileNotFoundError:
        raise PageNotFound(f"no such file: {target} (give a saved page or an http(s):// URL)") from None
    except OSError as exc:
        raise PageNotFound(f"cannot read {target}: {exc.strerror or exc}") from None
    if len(content) > MAX_BYTES:
        raise too_large(target)
    return content


def render_text(result: dict[str, Any]) -> str:
    """A readable block: the fields, then cards/entries or the body."""
    lines = [f"{key + ':':<14}{result[key]}" for key in ("kind", "url", "source", "lang", "section",
                                                            "section_name", "title", "published")]
    if result.get("print_url"):
        lines.append(f"{'print_url:':<14}{result['print_url']}")
    if result.get("extractors"):
        lines.append(f"{'extracted:':<14}" + ", ".join(f"{k} by {v}" for k, v in result["extractors"].items()))
    lines.append(f"{'problems:':<14}{', '.join(result['problems']) or 'none'}")
    for image in result["images"]:
        lines.append(f"{'image:':<14}{image['url']}" + (f"  ({image['caption']})" if image["caption"] else ""))
    for card in result.get("cards", []):
        lines.append(f"- {card['published'] or '?':<10}  {card['section'] or '-'}  {card['title']}\n  {card['url']}")
    if result.get("next_url"):
        lines.append(f"{'next_url:':<14}{result['next_url']}")
    for entry in result.get("entries", []):
        lines.append(f"- {entry['published'] or '?'}  {entry['section_name'] or '-'}  {entry['title']}\n"
                     f"  {entry['url']}")
    if result.get("body"):
        lines += ["", result["body"]]
    return "\n".join(lines)


def source_for(url: str | None) -> Any:
    """The configured source whose base URL the page lives under (the longest match), or None."""
    from spiders.source import from_config

    if not url:
        return None
    config = state().config
    matches = [from_config(name, table) for name, table in config.data["sources"].items()
               if url.startswith(table["base_url"].rstrip("/") + "/") or url == table["base_url"]]
    return max(matches, key=lambda s: len(s.base_url), default=None)


@click.command("extract")
@click.argument("target", metavar="PATH_OR_URL")
@click.option("--url", "page_url", metavar="URL",
              help="The page's own URL, for a saved file: absolute links, section and language.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="A readable block, or JSON with stable keys.")
@user_errors
def extract_command(target: str, page_url: str | None, fmt: str) -> None:
    """Parse one saved page or URL (article, print page or its text capture, listing, RSS) and print its fields.

    The page kind is sniffed; the fields are what a crawl would archive, with `problems` naming what
    could not be read. A URL is fetched with [crawl] timeout and user_agent from the configuration.

    \b
    Example:
      newsmon extract saved.html --url https://news.example.edu/2024/03/12/some-slug/ --format json
    """
    from spiders.parsing.detect import extract
    from spiders.profile import GENERIC

    content_type = None
    if target.startswith(("http://", "https://")):
        crawl = state().config.section("crawl")
        content, content_type, final_url = fetch(target, float(crawl["timeout"]), crawl["user_agent"])
        page_url = page_url or final_url
    else:
        content = read_page(target)
    check_text(content, target)
    source = source_for(page_url)
    result = extract(content, page_url, content_type, site=source.profile if source else GENERIC,
                     source=source.name if source else None, selectors=source.selectors if source else None)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(result))


COMMANDS: list[click.Command] = [extract_command]
