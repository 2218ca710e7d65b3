"""The README is the user's contract: every command, option and config key must be documented there."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from monitor import config as config_mod
from monitor.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def walk(group: click.Group, prefix: str = "newsmon") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        out.append((path, command))
        if isinstance(command, click.Group):
            out.extend(walk(command, path))
    return out


COMMANDS = walk(cli)


@pytest.mark.parametrize("path,command", COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_and_options_documented(path: str, command: click.Command) -> None:
    assert f"`{path}" in README, f"{path} is not documented in README.md"
    for param in command.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt != "--help":
                assert opt in README, f"{path} {opt} is not documented in README.md"


def config_keys() -> list[str]:
    keys = []
    for section, table in config_mod.DEFAULTS.items():
        if section == "sources":
            keys += [f"[sources.{name}] {key}" for name in table for key in table[name]]
        elif isinstance(table, dict) and table:
            keys += [f"[{section}] {key}" for key in table]
    return keys


@pytest.mark.parametrize("key", config_keys())
def test_config_key_documented(key: str) -> None:
    """Each key is named on a line of the README's table together with its own section."""
    section, name = key.split("] ")
    section = section.strip("[")
    if section.startswith("sources."):
        section = "sources.NAME"
    rows = [line for line in README.splitlines() if f"`[{section}]`" in line and f"`{name}`" in line]
    assert rows, f"config key {key} is not documented in README.md's configuration table"


def test_every_command_has_an_example() -> None:
    missing = [path for path, command in COMMANDS
               if not isinstance(command, click.Group) and "Example" not in (command.help or "")]
    assert not missing, f"commands without an example in --help: {missing}"
