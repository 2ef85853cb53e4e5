"""The MkDocs internals wol's incremental re-render uses are still there, in the MkDocs release installed."""

import mkdocs
import pytest
from mkdocs.commands import build

from wol.engines.mkdocs import private


def test_the_installed_mkdocs_is_a_release_wol_was_tested_with():
    assert mkdocs.__version__.startswith("1.6."), f"MkDocs {mkdocs.__version__}: pyproject.toml pins >=1.6,<1.7"


def test_every_mkdocs_internal_the_rerender_uses_is_there_with_its_parameters():
    assert private.missing() == [], f"MkDocs {mkdocs.__version__} moved: {private.missing()}"


@pytest.mark.parametrize("name", private.USED)
def test_a_moved_internal_is_named(monkeypatch, name):
    monkeypatch.delattr(build, name)
    assert private.missing() == [f"mkdocs.commands.build.{name}{private.USED[name]}"]
