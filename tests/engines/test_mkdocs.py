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


def _prepared_files(root, theme=None):
    from wol.engines.mkdocs.config import load_mkdocs_config
    from wol.settings import load_settings
    settings = load_settings(root)
    docs = root / ".wol-cache" / "mkdocs-docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "extra.css").write_text("/* the docs' own file, which a theme file of the same name must not replace */")
    config = load_mkdocs_config(settings, root / "site", docs, {})
    config.plugins.on_startup(command="build", dirty=False)
    config, files, _, _ = private.prepare_build(config, theme)
    return config, files, [(f.src_uri, f.abs_src_path, f.dest_uri) for f in files]


def test_the_theme_files_a_build_recorded_are_those_mkdocs_finds_again(kb):
    root = kb({"posts/2026/a.md": "---\ntitle: A\nauthor: alice\ndate: 2026-03-01\n---\nHello.\n"})
    config, files, walked = _prepared_files(root)
    theme = private.theme_files(files, config)
    assert any(path.startswith("assets/javascripts/bundle.") for path, _ in theme[1]), "Material's scripts"
    assert "extra.css" not in {path for path, _ in theme[1]}, "the docs' own files are not the theme's"
    assert all(folder in config.theme.dirs for _, folder in theme[1])
    _, _, replayed = _prepared_files(root, theme)
    assert replayed == walked, "the same files, in the same order, from the same folders"
    moved = (("/elsewhere/theme",), ((theme[1][0][0], "/elsewhere/theme"),))  # another checkout's paths
    _, _, fallback = _prepared_files(root, moved)
    assert fallback == walked, "a record of other folders is not used"
