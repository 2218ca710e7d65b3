"""newsmon.toml over the defaults: good files load, bad ones stop with the key and the file named."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor import config as config_mod
from monitor.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newsmon.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(config_mod.ENV_VAR, raising=False)
    config = config_mod.load()
    assert config.path is None
    assert config.source("spbpu-ru")["base_url"] == "https://www.spbstu.ru"
    assert config.source("spbpu-en")["base_url"] == "https://english.spbstu.ru"
    assert config.db_path == tmp_path / "data" / "newsmon.db"


def test_base_url_is_configuration(tmp_path: Path) -> None:
    path = write(tmp_path, '[sources.spbpu-ru]\nbase_url = "http://127.0.0.1:8001/"\n[storage]\npath = "x/a.db"\n')
    config = config_mod.load(path)
    assert config.source("spbpu-ru")["base_url"] == "http://127.0.0.1:8001"
    assert config.data["storage"]["path"] == "x/a.db"


def test_env_var_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[crawl]\ntimeout = 7\n')
    monkeypatch.setenv(config_mod.ENV_VAR, str(path))
    assert config_mod.load().data["crawl"]["timeout"] == 7.0


@pytest.mark.parametrize("text,words", [
    ("[storage]\npaht = 'x'\n", ["paht", "[storage]"]),
    ("[nonsense]\na = 1\n", ["[nonsense]"]),
    ("[sources.partner-uni]\nlang = 'de'\n", ["partner-uni", "base_url"]),
    ("[sources.x]\nbase_url = 'https://x.edu'\nfeed_url = 'rss'\n", ["feed_url"]),
    ("[sources.x]\nbase_url = 'https://x.edu'\narticle_pattern = '(['\n", ["article_pattern"]),
    ("[sources.x]\nbase_url = 'https://x.edu'\nprofile = 'wordpress'\n", ["profile"]),
    ("[sources.x]\nbase_url = 'https://x.edu'\n[sources.x.selectors]\nbody = 'div[['\n", ["body", "selectors"]),
    ("[sources.x]\nbase_url = 'https://x.edu'\n[sources.x.selectors]\ntitel = 'h1'\n", ["titel"]),
    ("[sources.x]\nbase_url = 'https://x.edu'\nlisting_urls = ['/news']\n", ["listing_urls"]),
    ("[sources.\"Bad Name\"]\nbase_url = 'https://x.edu'\n", ["Bad Name"]),
    ("[sources.spbpu-ru]\nbase_url = 'ftp://x'\n", ["base_url"]),
    ("[sources.spbpu-ru]\ninterval = 'soon'\n", ["interval"]),
    ("[sources.spbpu-ru]\nconcurrency = 'two'\n", ["concurrency"]),
    ("[smtp]\nsecurity = 'ssl'\n", ["security"]),
    ("[smtp]\npassword = 'hunter2'\n", ["NEWSMON_SMTP_PASSWORD"]),
    ("[smtp]\nport = 70000\n", ["port"]),
    ("[[subscriptions]]\nname = 'x'\n", ["recipients"]),
    ("[[subscriptions]]\nrecipients = ['a@b']\nmode = 'daily'\n", ["mode"]),
    ("[[subscriptions]]\nrecipients = ['a@b']\nsources = ['spbpu-xx']\n", ["spbpu-xx"]),
    ("[topics.coop]\nterms = 'agreement'\n", ["terms"]),
    ("[[subscriptions]]\nrecipients = ['a@b']\ntopics = ['coperation']\n", ["coperation", "unknown topic"]),
    ("[[subscriptions]]\nrecipients = ['a@b']\nlanguages = ['de']\n", ["'de'", "languages"]),
    ("[crawl\n", ["not valid TOML"]),
])
def test_bad_config_names_key_and_file(tmp_path: Path, text: str, words: list[str]) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        config_mod.load(path)
    message = str(err.value)
    assert str(path) in message
    for word in words:
        assert word in message


def test_a_subscription_may_name_a_topic_defined_later_in_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[[subscriptions]]\nrecipients = ['a@b']\ntopics = ['ai']\n"
                           "[topics.ai]\nterms = ['neural']\n")
    assert config_mod.load(path).data["subscriptions"][0]["topics"] == ["ai"]


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        config_mod.load(tmp_path / "nope.toml")


@pytest.mark.parametrize("value,seconds", [("90s", 90), ("30m", 1800), ("2h", 7200), ("1d", 86400), (15, 15)])
def test_durations(value: str | int, seconds: float) -> None:
    assert config_mod.parse_duration(value) == seconds


def test_cli_reports_config_error_in_one_line(tmp_path: Path) -> None:
    from tests.conftest import run_newsmon

    path = write(tmp_path, "[storage]\npaht = 'x'\n")
    proc = run_newsmon(path, "crawl", check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "paht" in proc.stderr and str(path) in proc.stderr
