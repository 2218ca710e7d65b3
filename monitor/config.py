"""Load newsmon.toml over the built-in defaults and check every key; errors name the key and the file.

Lookup order: an explicit path (``--config``), then ``$NEWSMON_CONFIG``, then ``./newsmon.toml``,
else the defaults alone.
"""

from __future__ import annotations

import copy
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.errors import ConfigError
from spiders.sites import BUILTIN_SOURCES

ENV_VAR = "NEWSMON_CONFIG"
DEFAULT_FILE = "newsmon.toml"

# The built-in profiles' sources are in every config unless disabled (`enabled = false`); more are
# added as [sources.NAME] tables with any name.
SELECTOR_KEYS = {"title": str, "body": str, "date": str, "next_page": str, "drop": list}
_SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,62}$")

_SOURCE_DEFAULTS: dict[str, Any] = {
    "base_url": "",
    "listing_urls": [],
    "feed_url": "",
    "article_pattern": "",
    "profile": "",
    "lang": "",
    "enabled": True,
    "interval": "30m",
    "cron": "",
    "jitter": "60s",
    "full_sweep": "24h",
    "download_delay": 1.0,
    "concurrency": 2,
}


def _usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system has one), not the host's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


DEFAULTS: dict[str, Any] = {
    "storage": {"path": "data/newsmon.db", "maildir": "data/maildir"},
    # parse_processes: worker processes reading article pages beside the crawl (one per core this process
    # may use beside its own, at most 2: each adds ~75 MB; 0: the crawl's own process reads them).
    "crawl": {"timeout": 30.0, "retries": 3, "obey_robots": True, "autothrottle": True, "user_agent": "",
              "parse_processes": max(0, min(2, _usable_cores() - 1))},
    "sources": {name: {**_SOURCE_DEFAULTS, **over} for name, over in BUILTIN_SOURCES.items()},
    "scheduler": {
        "delivery_interval": "1m",
        "health_interval": "5m",
        "crawl_timeout": "20m",
        "misfire_grace": "5m",
        "lock": "wait",
        "lock_timeout": "10m",
    },
    "smtp": {"host": "", "port": 25, "security": "none", "username": "", "sender": "newsmon <newsmon@localhost>",
             "timeout": 30.0},
    "alerts": {"max_attempts": 8, "backoff": "30s", "backoff_max": "1h", "max_age": "5d", "operator": "",
               "operator_notify": [], "max_paragraphs": 3},
    "topics": {},
    "subscriptions": [],
}

_TOPIC_KEYS = {"terms": list, "phrases": list, "sections": list, "threshold": float, "add": list,
               "remove": list, "section_weight": float, "label": str}
_SUBSCRIPTION_KEYS = {"name": str, "recipients": list, "notify": list, "topics": list, "sources": list,
                      "languages": list, "mode": str, "changed": bool}
# Numbers that only make sense in a range: (section, key) -> (minimum, whether the minimum itself is allowed).
_MINIMA = {("crawl", "timeout"): (0, False), ("crawl", "retries"): (0, True),
           ("crawl", "parse_processes"): (0, True), ("smtp", "timeout"): (0, False),
           ("alerts", "max_attempts"): (1, True), ("alerts", "max_paragraphs"): (0, True)}
_CHOICES = {("smtp", "security"): {"none", "starttls", "tls"}, ("scheduler", "lock"): {"wait", "skip"}}
_SHARED: dict[Path, tuple[tuple[int, int], Config]] = {}  # see share()
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}


def parse_duration(value: str | int | float, key: str = "duration", where: str = "config") -> float:
    """Seconds in '90s', '30m', '2h', '1d' or a bare number of seconds."""
    if isinstance(value, bool):
        raise ConfigError(f"{where}: {key} must be a duration like '30m', not {value!r}")
    if isinstance(value, int | float):
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ConfigError(f"{where}: {key} must be a duration like '90s', '30m' or '2h', not {value!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


@dataclass
class Config:
    """The merged, checked configuration; `data` mirrors newsmon.toml's structure."""

    data: dict[str, Any]
    path: Path | None = None
    base_dir: Path = field(default_factory=Path.cwd)

    def section(self, name: str) -> dict[str, Any]:
        return self.data[name]

    def source(self, name: str) -> dict[str, Any]:
        if name not in self.data["sources"]:
            known = ", ".join(sorted(self.data["sources"]))
            raise ConfigError(f"unknown source {name!r}; known sources: {known}")
        return self.data["sources"][name]

    @property
    def source_names(self) -> list[str]:
        return [name for name, src in self.data["sources"].items() if src["enabled"]]

    def resolve(self, value: str) -> Path:
        """A path from the config, relative to the directory newsmon runs in."""
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.base_dir / path

    @property
    def db_path(self) -> Path:
        return self.resolve(self.data["storage"]["path"])

    @property
    def maildir(self) -> Path:
        return self.resolve(self.data["storage"]["maildir"])

    def duration(self, section: str, key: str) -> float:
        return parse_duration(self.data[section][key], f"[{section}] {key}", self.where)

    @property
    def where(self) -> str:
        return str(self.path) if self.path else "built-in defaults"


def find_config_file(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The file to read: explicit path, $NEWSMON_CONFIG, ./newsmon.toml, or None."""
    if explicit:
        return Path(explicit)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    local = Path.cwd() / DEFAULT_FILE
    return local if local.exists() else None


def _stamp(file: Path) -> tuple[int, int] | None:
    try:
        stat = file.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def share(config: Config) -> None:
    """Later `load` calls of this process for the same, unchanged file return `config` itself: a crawl
    process reads a thousand sources' config once, not once per source. Only for read-only use."""
    if config.path is not None and (stamp := _stamp(Path(config.path))) is not None:
        _SHARED[Path(config.path).resolve()] = (stamp, config)


def load(path: str | os.PathLike[str] | None = None) -> Config:
    """Read and check the configuration; raise ConfigError naming the key and the file."""
    file = find_config_file(path)
    if file is not None and _SHARED:
        stamp, shared = _SHARED.get(file.resolve(), (None, None))
        if shared is not None and stamp == _stamp(file):
            return shared
    raw: dict[str, Any] = {}
    if file is not None:
        if not file.exists():
            raise ConfigError(f"config file {file} does not exist (given by --config or ${ENV_VAR})")
        try:
            raw = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file}: not valid TOML: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{file}: not UTF-8 text: {exc}") from exc
        except RecursionError:
            raise ConfigError(f"{file}: not a newsmon config: values nested too deeply to read") from None
    return from_dict(raw, file)


def from_dict(raw: dict[str, Any], file: Path | None = None) -> Config:
    """Merge `raw` over the defaults and validate it (also used by tests and the demo)."""
    where = str(file) if file else "config"
    data = copy.deepcopy(DEFAULTS)
    for key, value in raw.items():
        if key not in data:
            raise ConfigError(f"{where}: unknown section [{key}]; known: {', '.join(sorted(DEFAULTS))}")
        if key == "sources":
            _merge_sources(data["sources"], value, where)
        elif key == "topics":
            data["topics"] = _check_topics(value, where)
        elif key == "subscriptions":
            data["subscriptions"] = _check_subscriptions(value, where)
        else:
            _merge_table(data[key], value, f"[{key}]", where, key)
    _check_values(data, where)
    return Config(data=data, path=file)


def _merge_table(target: dict[str, Any], value: Any, label: str, where: str, section: str) -> None:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {label} must be a table")
    for key, item in value.items():
        if key == "password" and section == "smtp":
            raise ConfigError(f"{where}: [smtp] password is not read from files; set NEWSMON_SMTP_PASSWORD instead")
        if key not in target:
            raise ConfigError(f"{where}: unknown key {key!r} in {label}; known: {', '.join(sorted(target))}")
        target[key] = _coerce(item, target[key], f"{label} {key}", where)
        _check_range(target[key], (section, key), f"{label} {key}", where)
        choices = _CHOICES.get((section, key))
        if choices and target[key] not in choices:
            raise ConfigError(f"{where}: {label} {key} must be one of {', '.join(sorted(choices))}, not {item!r}")


def _coerce(value: Any, default: Any, label: str, where: str) -> Any:
    """Check a value against the type of its default (ints are accepted where floats are)."""
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, str):
        ok = isinstance(value, str) or (isinstance(value, int | float) and not isinstance(value, bool))
        value = str(value) if ok else value
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise ConfigError(f"{where}: {label} must be {type(default).__name__}, not {value!r}")
    return value


def _check_range(value: Any, key: tuple[str, str], label: str, where: str) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{where}: {label} must be a finite number, not {value!r}")
    if key in _MINIMA:
        low, inclusive = _MINIMA[key]
        if value < low or (value == low and not inclusive):
            bound = f"at least {low}" if inclusive else f"more than {low}"
            raise ConfigError(f"{where}: {label} must be {bound}, not {value!r}")


def _merge_sources(target: dict[str, Any], value: Any, where: str) -> None:
    """Built-in sources are overridden key by key; any other name is a new source."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [sources] must hold tables like [sources.my-university]")
    for name, table in value.items():
        label = f"[sources.{name}]"
        if not _SOURCE_NAME.match(name):
            raise ConfigError(f"{where}: {label}: a source name is lower-case letters, digits, '-', '_' or '.'")
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: {label} must be a table")
        table = dict(table)
        selectors = table.pop("selectors", {})
        source = target.setdefault(name, {**copy.deepcopy(_SOURCE_DEFAULTS), "selectors": {}})
        _merge_table(source, {k: v for k, v in table.items() if k != "selectors"}, label, where, "sources")
        source["selectors"] = {**source.get("selectors", {}),
                               **_check_keys(selectors, SELECTOR_KEYS, f"[sources.{name}.selectors]", where)}


def _check_topics(value: Any, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [topics] must hold tables like [topics.cooperation]")
    topics: dict[str, dict[str, Any]] = {}
    for name, table in value.items():
        topics[name] = _check_keys(table, _TOPIC_KEYS, f"[topics.{name}]", where)
    return topics


def _check_subscriptions(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ConfigError(f"{where}: subscriptions must be written as [[subscriptions]] tables")
    subs = []
    for index, table in enumerate(value, 1):
        label = f"[[subscriptions]] #{index}"
        sub = _check_keys(table, _SUBSCRIPTION_KEYS, label, where)
        sub.setdefault("name", f"subscription-{index}")
        sub.setdefault("topics", ["cooperation"])
        sub.setdefault("sources", [])
        sub.setdefault("languages", [])
        sub.setdefault("mode", "per_item")
        sub.setdefault("changed", False)
        sub.setdefault("recipients", [])
        sub.setdefault("notify", [])
        if not sub["recipients"] and not sub["notify"]:
            raise ConfigError(f"{where}: {label} needs recipients = [\"someone@example.org\"] "
                              f"or notify = [\"tgram://${{NEWSMON_TG_TOKEN}}/CHAT_ID\"]")
        if sub["mode"] not in {"per_item", "digest"}:
            raise ConfigError(f"{where}: {label} mode must be per_item or digest, not {sub['mode']!r}")

        subs.append(sub)
    return subs


def _check_keys(table: Any, schema: dict[str, type], label: str, where: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: {label} must be a table")
    out: dict[str, Any] = {}
    for key, val in table.items():
        if key not in schema:
            raise ConfigError(f"{where}: unknown key {key!r} in {label}; known: {', '.join(sorted(schema))}")
        want = schema[key]
        if want is float and isinstance(val, int) and not isinstance(val, bool):
            val = float(val)
        if not isinstance(val, want) or isinstance(val, bool) and want is not bool:
            raise ConfigError(f"{where}: {label} {key} must be {want.__name__}, not {val!r}")
        if want is list and not all(isinstance(x, str) for x in val):
            raise ConfigError(f"{where}: {label} {key} must be a list of strings")
        out[key] = val
    return out


def _check_subscription_names(data: dict[str, Any], where: str) -> None:
    """A subscription naming a topic or language that does not exist would silently never alert."""
    from monitor.topics import BUILTIN

    topics = set(BUILTIN) | set(data["topics"])
    languages = {src["lang"] for src in data["sources"].values() if src["lang"]} | {"ru", "en"}
    for index, sub in enumerate(data["subscriptions"], 1):
        label = f"[[subscriptions]] #{index} ({sub['name']})"
        for topic in sub["topics"]:
            if topic not in topics:
                raise ConfigError(f"{where}: {label} topics names unknown topic {topic!r}; "
                                  f"known: {', '.join(sorted(topics))} (define it under [topics.{topic}])")
        for src in sub["sources"]:
            if src not in data["sources"]:
                raise ConfigError(f"{where}: {label} sources names unknown source {src!r}; "
                                  f"known: {', '.join(sorted(data['sources']))}")
        for lang in sub["languages"]:
            if lang not in languages:
                raise ConfigError(f"{where}: {label} languages names unknown language {lang!r}; "
                                  f"known: {', '.join(sorted(languages))}")


def _check_source(name: str, src: dict[str, Any], where: str) -> None:
    """One source's URLs, pattern and profile: each error names the key."""
    from spiders.sites import PROFILES

    label = f"[sources.{name}]"
    src.setdefault("selectors", {})
    if not src["base_url"]:
        raise ConfigError(f"{where}: {label} base_url is missing: the news site's origin, like "
                          f"'https://news.example.edu' (optionally with a path prefix)")
    if not re.match(r"^https?://[^/\s?#]+(/[^\s?#]*)?$", src["base_url"]):
        raise ConfigError(f"{where}: {label} base_url must be an http(s) origin with an optional path, like "
                          f"'https://www.example.edu' or 'https://example.edu/en', not {src['base_url']!r}")
    src["base_url"] = src["base_url"].rstrip("/")
    for url in src["listing_urls"]:
        if not isinstance(url, str) or not re.match(r"^https?://\S+$", url):
            raise ConfigError(f"{where}: {label} listing_urls must hold absolute http(s) URLs, not {url!r}")
    if src["feed_url"] not in ("", "none") and not re.match(r"^https?://\S+$", src["feed_url"]):
        raise ConfigError(f"{where}: {label} feed_url must be an http(s) URL, \"\" (autodiscover) or \"none\", "
                          f"not {src['feed_url']!r}")
    if src["article_pattern"]:
        try:
            re.compile(src["article_pattern"])
        except re.error as exc:
            raise ConfigError(f"{where}: {label} article_pattern is not a valid regular expression: {exc}") from None
    if src["profile"] not in PROFILES:
        known = ", ".join(repr(n) for n in PROFILES)
        raise ConfigError(f"{where}: {label} profile must be one of {known}, not {src['profile']!r}")
    if src["lang"] and not re.match(r"^[a-z]{2,3}$", src["lang"]):
        raise ConfigError(f"{where}: {label} lang must be a language code like 'ru' or 'en', or \"\" to detect")
    _check_selectors(name, src["selectors"], where)


def _check_selectors(name: str, selectors: dict[str, Any], where: str) -> None:
    """Each CSS selector must parse, so a typo fails at load time, not as a silent fallback."""
    from cssselect import GenericTranslator, SelectorError

    for key, value in selectors.items():
        for css in value if isinstance(value, list) else [value]:
            if not css:
                continue
            try:
                GenericTranslator().css_to_xpath(css)
            except SelectorError as exc:
                raise ConfigError(f"{where}: [sources.{name}.selectors] {key} is not a valid CSS selector "
                                  f"{css!r}: {exc}") from None


def _check_targets(data: dict[str, Any], where: str) -> None:
    """Apprise URLs: a known scheme, every ${VAR} set, a URL the service accepts (the error names the key)."""
    jobs = [(sub["notify"], f"[[subscriptions]] #{index} ({sub['name']}) notify")
            for index, sub in enumerate(data["subscriptions"], 1)]
    jobs.append((data["alerts"]["operator_notify"], "[alerts] operator_notify"))
    for urls, key in jobs:
        if not all(isinstance(url, str) for url in urls):
            raise ConfigError(f"{where}: {key} must be a list of strings")
        if urls:  # channels (Apprise, jinja2, mail) imported only for a config that has targets
            from monitor import channels

            channels.check(urls, f"{where}: {key}")


def _check_values(data: dict[str, Any], where: str) -> None:
    for name, src in data["sources"].items():
        label = f"[sources.{name}]"
        _check_source(name, src, where)
        for key in ("interval", "jitter", "full_sweep"):
            parse_duration(src[key], f"{label} {key}", where)
        if src["cron"]:
            from monitor import cron

            cron.trigger(src["cron"], label=f"{where}: {label} cron")
        if src["concurrency"] < 1:
            raise ConfigError(f"{where}: {label} concurrency must be at least 1")
        if src["download_delay"] < 0:
            raise ConfigError(f"{where}: {label} download_delay must not be negative")
    _check_subscription_names(data, where)
    _check_targets(data, where)
    for key in ("delivery_interval", "health_interval", "crawl_timeout", "misfire_grace", "lock_timeout"):
        parse_duration(data["scheduler"][key], f"[scheduler] {key}", where)
    for key in ("backoff", "backoff_max"):
        parse_duration(data["alerts"][key], f"[alerts] {key}", where)
    if parse_duration(data["alerts"]["max_age"], "[alerts] max_age", where) <= 0:
        raise ConfigError(f"{where}: [alerts] max_age must be longer than 0 (the queue lifetime, e.g. '5d')")
    if not 0 < data["smtp"]["port"] < 65536:
        raise ConfigError(f"{where}: [smtp] port must be between 1 and 65535")
