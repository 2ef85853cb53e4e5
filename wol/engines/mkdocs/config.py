"""mkdocs.yml → MkDocs' config: the repository's settings without `wol:`, with wol's theme, nav and plugin.

The theme: wol's templates and assets ship inside the package
(`wol/resources/theme/`, the single source of truth). A repository's own
`theme/` folder (or `theme.custom_dir` in mkdocs.yml) holds only the company's
overrides and is searched first; wol's theme comes next, Material last.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's MkDocs-2 banner, printed on import

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import MkDocsException  # noqa: E402
from mkdocs.utils.yaml import get_yaml_loader, yaml_load  # noqa: E402

from ...problems import WolError  # noqa: E402
from ...stage import REQUIRED_EXTENSIONS  # noqa: E402
from .plugin import WolPlugin  # noqa: E402
from ...i18n import N_, translator  # noqa: E402

PACKAGED_THEME = Path(__file__).parents[2] / "resources" / "theme"
NAV = ((N_("Home"), "index.md"), (N_("Questions"), "questions/index.md"),
       (N_("Topics"), "topics/index.md"), (N_("People"), "people/index.md"),
       (N_("Health"), "health/index.md"), (N_("Your data"), "about/privacy.md"))  # the last two: wol/health/page.py

log = logging.getLogger("mkdocs")


def load_mkdocs_config(settings, site_dir: Path, docs_dir: Path, pages=()) -> MkDocsConfig:
    """The repository's mkdocs.yml without `wol:`, with wol's theme, nav (of `pages`) and plugin.

    Read with MkDocs' own YAML loader, so `!ENV`, `!relative` and `INHERIT` keep
    working. A missing or broken file is a WolError naming the file and line.
    `docs_dir` must exist; the plugin adds the staged pages to what MkDocs finds there.
    """
    path = Path(settings.config_path)
    if not path.is_file():
        raise WolError(f"{path}: not found. Run wol in the root of a knowledge repository.")
    config = MkDocsConfig(config_file_path=str(path))
    try:
        with open(path, "rb") as fd:
            data = yaml_load(fd, get_yaml_loader(config=config))
    except MkDocsException as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise WolError(f"{path}:{match.group(1) if match else 0}: {exc}") from None
    if not isinstance(data, dict):
        raise WolError(f"{path}:1: must be a mapping of settings (key: value)")
    data.pop("wol", None)
    words = translator(settings.locale)
    theme = data.get("theme") or {"name": "material"}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    company = settings.theme_path if settings.theme_path.is_dir() else None
    theme["custom_dir"] = str(company or PACKAGED_THEME)
    if words.direction == "rtl":
        theme.setdefault("direction", "rtl")  # Material's `dir` on <html>: wol's and Material's parts mirror
    theme.setdefault("font", False)  # system fonts: an intranet site makes no requests to Google Fonts
    data["theme"] = theme
    extensions = data.get("markdown_extensions") or []
    named = {e if isinstance(e, str) else next(iter(e), None) for e in extensions}
    data["markdown_extensions"] = extensions + [e for e in REQUIRED_EXTENSIONS if e not in named]
    data["plugins"] = _without_search(data.get("plugins"), path)
    data.update(docs_dir=str(docs_dir), site_dir=str(site_dir),
                nav=[{words.gettext(title): page} for title, page in NAV if page in pages])
    config.load_dict(data)
    errors, warnings = config.validate()
    if errors:
        key, error = errors[0]
        raise WolError(f"{path}:{_line_of_key(path, key)}: {key}: {error}")
    for key, warning in warnings:
        log.warning(f"{path}:{_line_of_key(path, key)}: {key}: {warning}")
    if company:
        config.theme.dirs.insert(1, str(PACKAGED_THEME))
    config.plugins["wol"] = WolPlugin(words)
    return config


def _without_search(plugins, path: Path):
    """The plugins without MkDocs' or Material's `search`: wol's own index and box replace it
    (docs/search.md). An older mkdocs.yml that lists it still builds; the line is ignored."""
    if plugins is None:
        return []  # MkDocs' default would be `search`
    names = {"search", "material/search"}
    if isinstance(plugins, dict):
        kept = {name: value for name, value in plugins.items() if name not in names}
    elif isinstance(plugins, list):
        kept = [p for p in plugins if (p if isinstance(p, str) else next(iter(p), None)) not in names]
    else:
        return plugins  # MkDocs' validation names what is wrong
    if len(kept) != len(plugins):
        log.info(f"{path}: the `search` plugin is ignored: wol's own search box replaces it; "
                 f"remove it from `plugins`")
    return kept


def _line_of_key(path: Path, key: str) -> int:
    top = key.split(".")[0]
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if re.match(rf"{re.escape(top)}\s*:", line):
            return number
    return 0
