"""`newsmon crawl` as a user meets it: the per-source line, the lock, the exit statuses."""

from __future__ import annotations

from pathlib import Path

from monitor import config as config_mod
from monitor.locks import source_lock
from tests.conftest import run_newsmon, write_config


def test_a_locked_source_is_skipped_with_exit_status_3(tmp_path: Path) -> None:
    path = write_config(tmp_path / "newsmon.toml", "http://127.0.0.1:9", "http://127.0.0.1:9",
                        tmp_path / "data" / "n.db", extra='[scheduler]\nlock = "skip"\n')
    with source_lock(config_mod.load(path), "spbpu-ru"):
        proc = run_newsmon(path, "crawl", "--source", "spbpu-ru", check=False)
    assert proc.returncode == 3, proc.stderr
    assert "spbpu-ru: skipped: another newsmon process is crawling it" in proc.stdout


def test_an_unreachable_site_is_a_failed_crawl_with_exit_status_1(tmp_path: Path) -> None:
    path = write_config(tmp_path / "newsmon.toml", "http://127.0.0.1:9", "http://127.0.0.1:9",
                        tmp_path / "data" / "n.db")
    proc = run_newsmon(path, "crawl", "--source", "spbpu-en", check=False)
    assert proc.returncode == 1
    assert proc.stdout.startswith("spbpu-en: 0 new") and "failed: neither the RSS feed nor the news listing" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


MAIL_MODULES = ("jinja2", "smtplib", "mailbox", "apprise")


def test_a_crawl_process_loads_no_mail_or_channel_code() -> None:
    """Every `newsmon` process imports the CLI and checks the config: without notify targets, neither pulls in
    templating, mail or Apprise (~0.1 s of CPU per crawl process); a config with targets still checks them."""
    import subprocess
    import sys

    from tests.conftest import REPO

    probe = ("import sys; from monitor import cli, config; config.from_dict({cfg}); "
             f"print(sorted(m for m in {MAIL_MODULES!r} if m in sys.modules))")

    def loaded(cfg: str) -> str:
        return subprocess.run([sys.executable, "-c", probe.format(cfg=cfg)], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout.strip()
    assert loaded("{}") == "[]"
    with_target = "{'alerts': {'operator_notify': ['json://127.0.0.1:9/hook']}}"
    assert "apprise" in loaded(with_target)
