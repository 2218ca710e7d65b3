"""A broken archive says so in one line (exit 2), never a traceback: a directory, an empty, garbage or
truncated file, a read-only mount (where reading must still work), an immutable file; and input the
archive cannot take (a query nested 480 deep, an id past SQLite's integers).

Real files and, where the machine allows it (root), real read-only tmpfs mounts; skipped otherwise.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.db import connect
from tests.conftest import run_newsmon
from tests.monitor_fixtures import COOP_RU, OTHER_RU, archive_items, article, make_config

READERS = [("stats",), ("search", "сотрудничество"), ("export", "--format", "jsonl"), ("show", "1"), ("status",),
           ("alerts", "list")]


def config_for(tmp_path: Path, db: Path) -> Path:
    path = tmp_path / "newsmon.toml"
    path.write_text(f'[storage]\npath = "{db}"\nmaildir = "{tmp_path / "maildir"}"\n', encoding="utf-8")
    return path


def build_archive(directory: Path, n: int = 1) -> Path:
    config = make_config(directory)
    db = connect(config.db_path)
    archive_items(config, [article(i, *(COOP_RU if i % 2 else OTHER_RU)) for i in range(1, n + 1)], db=db)
    db.close()  # the last connection checkpoints the WAL into the file
    return config.db_path


def one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def make_dir(tmp_path: Path) -> Path:
    (tmp_path / "adir").mkdir()
    return tmp_path / "adir"


def make_empty(tmp_path: Path) -> Path:
    (tmp_path / "empty.db").write_bytes(b"")
    return tmp_path / "empty.db"


def make_garbage(tmp_path: Path) -> Path:
    (tmp_path / "garbage.db").write_bytes(bytes(range(256)) * 40)
    return tmp_path / "garbage.db"


def make_truncated(tmp_path: Path) -> Path:
    db = build_archive(tmp_path / "src", 300)
    data = db.read_bytes()
    (tmp_path / "truncated.db").write_bytes(data[: len(data) // 2])
    return tmp_path / "truncated.db"


@pytest.mark.parametrize(("make", "words"), [
    (make_dir, ("is a directory",)), (make_empty, ("not a newsmon archive",)),
    (make_garbage, ("damaged or not an SQLite file",)), (make_truncated, ("damaged",))])
@pytest.mark.parametrize("args", READERS, ids=lambda a: a[0])
def test_broken_archive_is_one_line(tmp_path: Path, make, words, args) -> None:
    db = make(tmp_path)
    one_line_error(run_newsmon(config_for(tmp_path, db), *args, check=False), str(db), *words)


@pytest.mark.parametrize("make", [make_dir, make_garbage, make_truncated])
def test_broken_archive_stops_writers_in_one_line(tmp_path: Path, make) -> None:
    db = make(tmp_path)
    config = config_for(tmp_path, db)
    for args in (("alerts", "send"), ("crawl", "--source", "spbpu-en")):
        one_line_error(run_newsmon(config, *args, check=False), str(db))


def test_query_nested_480_deep_is_one_line(tmp_path: Path) -> None:
    config = config_for(tmp_path, build_archive(tmp_path))
    query = "(" * 480 + "сотрудничество" + ")" * 480
    one_line_error(run_newsmon(config, "search", query, check=False), "nested too deeply")


def test_huge_article_id_is_one_line(tmp_path: Path) -> None:
    config = config_for(tmp_path, build_archive(tmp_path))
    one_line_error(run_newsmon(config, "show", "99999999999999999999999", check=False), "out of range")


def _mount_tmpfs(target: Path) -> None:
    target.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(target)], check=True,
                       capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot mount a tmpfs here (needs root and mount rights): {exc}")


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[Path]:
    """A real tmpfs of 8 MB, unmounted afterwards."""
    target = tmp_path / "mnt"
    _mount_tmpfs(target)
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True, timeout=10)


def test_read_only_mount_reads_and_refuses_writes_in_one_line(tmp_path: Path, mount: Path) -> None:
    db = build_archive(mount, 3)
    shutil.rmtree(tmp_path / "maildir", ignore_errors=True)
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True, capture_output=True, timeout=10)
    config = config_for(tmp_path, db)
    assert "articles: 3" in run_newsmon(config, "stats").stdout
    assert COOP_RU[0] in run_newsmon(config, "search", "сотрудничество").stdout
    assert len(run_newsmon(config, "export", "--format", "jsonl").stdout.splitlines()) == 3
    assert "alerts:" in run_newsmon(config, "status").stdout
    one_line_error(run_newsmon(config, "alerts", "send", check=False), str(db), "read-only")
    one_line_error(run_newsmon(config, "crawl", "--source", "spbpu-en", check=False), str(db), "read-only")


def test_immutable_file_reads_and_refuses_writes_in_one_line(tmp_path: Path) -> None:
    db = build_archive(tmp_path / "imm", 3)
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not permitted here (needs root and a file system that supports it)")
    try:
        config = config_for(tmp_path, db)
        assert "articles: 3" in run_newsmon(config, "stats").stdout
        one_line_error(run_newsmon(config, "alerts", "send", check=False), str(db), "read-only")
        one_line_error(run_newsmon(config, "crawl", "--source", "spbpu-en", check=False), str(db), "read-only")
    finally:
        subprocess.run(["chattr", "-i", str(db)], capture_output=True)
