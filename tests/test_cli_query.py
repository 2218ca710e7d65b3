"""newsmon search/show/export/stats on the command line: formats, field names, errors as one line."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bench.query import build_archive as build_synthetic
from monitor.cli import cli
from storage import queries
from tests.query_fixtures import query_archive  # noqa: F401


def newsmon(archive, *args: str, columns: int = 100) -> Result:  # noqa: ANN001
    runner = CliRunner()
    return runner.invoke(cli, ["--config", str(archive.config), *args], env={"COLUMNS": str(columns)},
                         catch_exceptions=False)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_output_formats_carry_the_documented_fields(query_archive, fmt: str) -> None:  # noqa: F811
    result = newsmon(query_archive, "search", "сотрудничеству", "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        rows = json.loads(result.stdout)
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in result.stdout.splitlines()]
    else:
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 3
    assert all(list(row) == list(queries.FIELDS) for row in rows)
    assert rows[0]["title"] == "Сотрудничество с индустриальными партнёрами"  # title outranks body
    assert any("[сотрудничеству]" in row["snippet"] for row in rows)


def test_json_without_matches_is_an_empty_list(query_archive) -> None:  # noqa: F811
    result = newsmon(query_archive, "search", "nothingmatchesthis", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


@pytest.mark.parametrize("columns", [60, 100, 160])
def test_table_fits_the_terminal(query_archive, columns: int) -> None:  # noqa: F811
    result = newsmon(query_archive, "search", "китай OR china", columns=columns)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 6 and all(len(line) <= columns for line in lines)
    assert "[Китаем]" in result.stdout or columns < 80


def test_search_without_query_lists_newest_first_with_filters(query_archive) -> None:  # noqa: F811
    result = newsmon(query_archive, "search", "--lang", "en", "--since", "2022", "--format", "jsonl")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["published"] for r in rows] == ["2024-02-02", "2023-09-01"]
    topic = newsmon(query_archive, "search", "--topic", "cooperation", "--format", "jsonl", "--limit", "2")
    assert len(topic.stdout.splitlines()) == 2


HOSTILE = ['"unbalanced', "NOT", "a AND", "*", '"', "(", "china)", "' OR 1=1; --", "\"; DROP TABLE articles; --",
           "NOT NOT", "AND OR NOT", '""', "?", "%"]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_exit_2_with_one_line(query_archive, query: str) -> None:  # noqa: F811
    result = newsmon(query_archive, "search", query)
    if result.exit_code == 0:  # a hostile-looking query that is just words is fine
        return
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert not any(word in result.stderr.lower() for word in ("traceback", "sqlite", "fts5", "select "))


@pytest.mark.parametrize("args,message", [
    (["--since", "last week"], "bad date"),
    (["--until", "2024-02-30"], "bad date"),
    (["--source", "spbpu-de"], "unknown source"),
    (["--section", "nonsense"], "unknown section"),
    (["--topic", "football"], "unknown topic"),
])
def test_bad_filters_exit_2_with_one_line(query_archive, args: list[str], message: str) -> None:  # noqa: F811
    for command in ("search", "export"):
        result = newsmon(query_archive, command, *args)
        assert result.exit_code == 2 and message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_bad_lang_is_rejected_by_click(query_archive) -> None:  # noqa: F811
    assert newsmon(query_archive, "search", "--lang", "de").exit_code == 2


def test_hostile_query_in_a_real_process(query_archive) -> None:  # noqa: F811
    proc = subprocess.run([sys.executable, "-m", "monitor", "--config", str(query_archive.config), "search",
                           '"unbalanced'], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        'Error: unbalanced quote in the query: close the phrase with a second ", as in "double degree"']


def test_show_diff_shows_the_stored_diff(query_archive) -> None:  # noqa: F811
    article_id = query_archive.ids["china_ru"]
    result = newsmon(query_archive, "show", str(article_id), "--versions", "--diff")
    assert result.exit_code == 0
    out = result.stdout
    assert "Политех расширяет связи с Китаем" in out and "topics:     cooperation" in out
    assert "--- version 1 (2024-06-01T10:00:00+00:00)" in out and "+++ version 2 (2024-06-02T10:00:00+00:00)" in out
    assert "+Стороны договорились о совместных программах двойного диплома и летних школах." in out
    assert "    1  2024-06-01T10:00:00+00:00" in out and "    2  2024-06-02T10:00:00+00:00" in out


def test_show_by_url_and_missing(query_archive) -> None:  # noqa: F811
    ok = newsmon(query_archive, "show", "https://english.spbstu.ru/media/news/education/double-degree/", "--diff")
    assert ok.exit_code == 0 and "single version" in ok.stdout
    missing = newsmon(query_archive, "show", "https://example.org/nope/")
    assert missing.exit_code == 2 and "no archived article" in missing.stderr


def test_export_fields_and_csv_round_trip(query_archive) -> None:  # noqa: F811
    result = newsmon(query_archive, "export", "--format", "csv", "--lang", "ru")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 4 and list(rows[0]) == list(queries.EXPORT_FIELDS)
    china = next(r for r in rows if r["url"].endswith("china-cooperation/"))
    assert "\n\n" in china["body"] and china["topics"] == "cooperation" and china["version"] == "2"


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big")
    build_synthetic(root / "newsmon.db", 3000)
    (root / "newsmon.toml").write_text(f'[storage]\npath = "{root / "newsmon.db"}"\n', encoding="utf-8")
    return root


@pytest.mark.parametrize("fmt,lines", [("jsonl", 3000), ("csv", None)])
def test_export_streams_the_whole_archive(big_archive: Path, fmt: str, lines: int | None) -> None:
    out = big_archive / f"export.{fmt}"
    proc = subprocess.run([sys.executable, "-m", "monitor", "--config", str(big_archive / "newsmon.toml"),
                           "export", "--format", fmt, "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "exported 3000 articles" in proc.stderr
    with out.open(encoding="utf-8", newline="") as fh:
        if fmt == "jsonl":
            count = sum(1 for line in fh if json.loads(line)["body"])
        else:
            count = sum(1 for row in csv.DictReader(fh) if row["body"])
    assert count == 3000


def test_stats_table_and_json(query_archive) -> None:  # noqa: F811
    table = newsmon(query_archive, "stats")
    assert table.exit_code == 0 and "articles: 8  versions: 9" in table.stdout and "spbpu-ru" in table.stdout
    data = json.loads(newsmon(query_archive, "stats", "--format", "json").stdout)
    assert data["by_lang"] == {"en": 4, "ru": 4} and data["last_crawl"]["spbpu-ru"]["outcome"] == "ok"


def test_no_archive_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "newsmon.toml"
    config.write_text(f'[storage]\npath = "{tmp_path / "none.db"}"\n', encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["--config", str(config), "search", "x"])
    assert result.exit_code == 2 and "no archive" in result.stderr
