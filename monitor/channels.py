"""Alerts to chat and webhook targets through Apprise: one target, one Apprise object, one verdict.

A target is an Apprise URL as written in newsmon.toml (`[[subscriptions]] notify`, `[alerts]
operator_notify`). `${VAR}` references are expanded only when a message is sent, so secrets stay in
the environment, and the outbox stores the URL as written. `mask` is the only form of a target
that reaches the terminal or a log. Apprise's `notify()` is all-or-nothing across the services of
one object, so every target gets its own: a row is marked sent only when its target accepted.

Messages fit the channel: HTML, Markdown or plain text by what the service takes, and never longer
than its limit (Telegram: 4,096 characters), cutting quoted paragraphs but never a title or link.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jinja2

from monitor import mailer
from monitor.errors import ConfigError
from monitor.outbox import APPRISE

_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_CODE = re.compile(r"error=(\d{3})")
# Generic webhooks get plain text (a program reads them); chat services get their richest format.
_WEBHOOKS = {"json", "jsons", "form", "forms", "xml", "xmls"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_MARGIN = 16  # characters kept free under a service's limit (line ends a service may add)


class TargetError(Exception):
    """A target did not accept a message; `transient` when the fault was the service's (down, 5xx)."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


def expand(url: str, key: str) -> str:
    """The URL with every ${VAR} replaced from the environment; an unset variable names its key."""
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ConfigError(f"{key}: ${{{name}}} is not set; export it in the environment newsmon runs in")
        return os.environ[name]

    return _REF.sub(value, url)


def _apprise() -> Any:
    import apprise  # imported on first use: loading its plugins costs every other command time

    # Apprise's and urllib3's debug lines carry whole URLs (a webhook's path may be its secret): never below INFO.
    for name in ("apprise", "urllib3"):
        if logging.getLogger(name).getEffectiveLevel() < logging.INFO:
            logging.getLogger(name).setLevel(logging.INFO)
    return apprise


def instantiate(url: str, key: str) -> Any:
    """The Apprise service for a URL as written, or a ConfigError naming the key (and no secret)."""
    apprise = _apprise()
    scheme = _SCHEME.match(url.strip())
    if not scheme:
        raise ConfigError(f"{key}: {mask(url)!r} is not an Apprise URL like 'tgram://${{TOKEN}}/CHAT_ID'")
    name = scheme.group(1).lower()
    if name not in apprise.apprise.N_MGR:
        raise ConfigError(f"{key}: unknown scheme '{name}://' (not an Apprise service; see the Apprise wiki)")
    plugin = apprise.Apprise.instantiate(expand(url.strip(), key))
    if plugin is None:
        raise ConfigError(f"{key}: {mask(url)!r} is not a valid {name}:// URL (a token or target is missing)")
    return plugin


def check(urls: list[str], key: str) -> None:
    """Validate targets at config load: known scheme, set variables, a URL the service accepts."""
    for index, url in enumerate(urls, 1):
        instantiate(url, f"{key} #{index}" if len(urls) > 1 else key)


def mask(url: str) -> str:
    """A target as it may be shown: Apprise's privacy form, ${VAR} names kept, no query; else scheme only."""
    scheme = _SCHEME.match(url.strip())
    prefix = f"{scheme.group(1)}://" if scheme else ""
    try:
        plugin = _apprise().Apprise.instantiate(expand(url.strip(), "target"))
    except ConfigError:
        plugin = None
    if plugin is None:
        return prefix + "…"
    shown = plugin.url(privacy=True).split("?", 1)[0]
    for name in _REF.findall(url):
        value = os.environ.get(name, "")
        if len(value) >= 4:
            shown = shown.replace(value, f"${{{name}}}")
    return shown


def display(row: dict[str, Any]) -> str:
    """An outbox row's recipient for humans: the address, or the masked target."""
    return mask(row["recipient"]) if row.get("channel") == APPRISE else row["recipient"]


@dataclass
class Note:
    """One message for one target: title (empty when the service shows none apart), body, format."""

    title: str
    body: str
    format: str


class Target:
    """One Apprise URL with its own Apprise object (never batched: notify() is all-or-nothing)."""

    def __init__(self, url: str, key: str = "target") -> None:
        self.url, self.shown = url, mask(url)
        self.plugin = instantiate(url, key)
        apprise = _apprise()
        formats = self.plugin._formats()
        fmt = self.plugin.resolve_format(None)
        if fmt == apprise.NotifyFormat.TEXT and apprise.NotifyFormat.MARKDOWN in formats \
                and self.plugin.secure_protocol not in _WEBHOOKS and self.plugin.protocol not in _WEBHOOKS:
            fmt = apprise.NotifyFormat.MARKDOWN
        self.format = fmt.value
        if "overflow=" not in url:  # only a digest too long even without its paragraphs reaches the limit
            self.plugin.overflow_mode = apprise.common.OverflowMode.SPLIT
        self.limit = int(self.plugin.body_maxlen)
        self.blended = self.plugin.title_maxlen <= 0  # the service has no title: it goes into the body
        self.apprise = apprise.Apprise()
        self.apprise.add(self.plugin)

    def send(self, note: Note) -> None:
        """Hand one message to the service; returns only once it accepted, else raises TargetError."""
        result = self.apprise.notify(body=note.body, title=note.title, body_format=note.format)
        if result:
            return
        lines = [e.message for e in result.logs() if e.level in ("WARNING", "ERROR")]
        detail = lines[-1] if lines else f"not accepted ({result.status.name.lower()})"
        code = next((int(m.group(1)) for line in lines if (m := _CODE.search(line))), None)
        refused = code is not None and 400 <= code < 500 and code not in (408, 429)
        raise TargetError(f"{self.shown}: {detail}", transient=not refused)


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """The notify templates: HTML autoescaped, Markdown through the `md` filter, text as is."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("monitor", "templates"),
                             autoescape=jinja2.select_autoescape(["html"]), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = lambda text: _MD_SPECIAL.sub(r"\\\1", str(text or ""))
    return env


_EXT = {"html": "html", "markdown": "md", "text": "txt"}


def render(name: str, target: Target, **context: Any) -> str:
    return templates().get_template(f"{name}.{_EXT[target.format]}").render(blended=target.blended, **context).strip()


def _shorten(text: str, room: int) -> str:
    """The text, or its start cut at a word with '…'; nothing when too little room is left to say anything."""
    if len(text) <= room:
        return text
    if room < 40:
        return ""
    cut = text[: max(0, room - 1)].rsplit(" ", 1)[0].rstrip()
    return cut + "…" if cut else ""


def _cut(items: list[dict[str, Any]], room: int) -> list[dict[str, Any]]:
    """Items whose quoted paragraphs share `room` characters; titles and links are left whole."""
    share = max(0, room) // max(1, len(items))
    out = []
    for item in items:
        left, kept = share, []
        for paragraph in item["paragraphs"]:
            part = _shorten(paragraph, left)
            if part:
                kept.append(part)
            left -= len(part) + 2
            if left <= 0 or part != paragraph:
                break
        out.append({**item, "paragraphs": kept, "diff": ""})
    return out


def alert_note(target: Target, items: list[dict[str, Any]], label: str, subscription: str) -> Note:
    """The alert (one item, or a digest) for one target, within the target's length limit."""
    title = mailer.alert_subject(items, label)
    limit = target.limit - _MARGIN

    def body(its: list[dict[str, Any]]) -> str:
        return render("notify", target, items=its, title=title, subscription=subscription)

    text = body(items)
    if len(text) > limit:
        bare = body(_cut(items, 0))
        room = limit - len(bare)
        for _ in range(4):
            text = body(_cut(items, room))
            if len(text) <= limit:
                break
            room -= len(text) - limit
        else:
            text = bare  # titles and links alone; longer still, Apprise splits it into several messages
    return Note("" if target.blended else title, text, target.format)


def notice(target: Target, title: str, text: str) -> Note:
    """A health incident or a test message for one target."""
    body = render("notice", target, title=title, text=_shorten(text, max(0, target.limit - len(title) - 64)))
    return Note("" if target.blended else title, body, target.format)
