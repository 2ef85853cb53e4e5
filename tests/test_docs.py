"""Every command, option and setting is documented (a test that fails when docs lag behind)."""

import re
from dataclasses import fields
from pathlib import Path

import click
import pytest

from wol.cli import main
from wol.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


def commands(group, prefix="wol"):
    for name, command in group.commands.items():
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix} {name}")


@pytest.mark.parametrize("name, command", list(commands(main)), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_and_option_is_documented(name, command):
    assert f"`{name}" in DOCS, f"{name} is not documented in README.md or docs/"
    for param in command.params:
        if isinstance(param, click.Option):
            option = max(param.opts, key=len)
            assert option in DOCS, f"{name} {option} is not documented"


def test_every_setting_is_documented():
    internal = {"root", "site_name", "site_url", "site_description", "markdown_extensions", "mdx_configs",
                "theme_dir", "locale"}  # MkDocs' own settings (theme_dir is theme.custom_dir, locale theme.language)
    assert "theme.language" in DOCS
    for f in fields(Settings):
        if f.name not in internal:
            assert f"wol.{f.name}" in DOCS, f"the setting wol.{f.name} is not documented"


def test_readme_quick_start_has_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"## Quick start.*?```sh\n(.*?)```.*?```sh\n(.*?)```", readme, re.DOTALL)
    assert blocks, "the README has a quick start with two shell commands"
    setup, test = (b.strip() for b in blocks[0])
    assert "pip install" in setup and "wol " in setup
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert test.replace(".venv/bin/", "") in ci.replace(".venv/bin/", ""), "CI runs the README's test command"
