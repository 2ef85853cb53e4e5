"""The pipeline's layering holds: pure layers import no engine, and each engine has one home."""

import ast
from pathlib import Path

import pytest

WOL = Path(__file__).resolve().parents[1] / "wol"
ENGINES = {"mkdocs": "engines/mkdocs/", "whoosh": "engines/search.py", "git": "engines/gitrepo.py"}  # a module, or a package/
PURE = ["content", "derive", "stage"]
UI = {"click", "flask", "waitress", "watchdog"}


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


MODULES = sorted(WOL.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(WOL)))
def test_each_engine_is_imported_by_its_one_module(path):
    for engine, home in ENGINES.items():
        if engine in imported(path):
            inside = path.is_relative_to(WOL / home) if home.endswith("/") else path == WOL / home
            assert inside, f"{path.relative_to(WOL)} imports {engine}; only wol/{home} may"


@pytest.mark.parametrize("engine, home", ENGINES.items())
def test_each_engines_home_exists_and_imports_it(engine, home):
    modules = sorted((WOL / home).rglob("*.py")) if home.endswith("/") else [WOL / home]
    assert modules and any(engine in imported(m) for m in modules), f"wol/{home} no longer imports {engine}"


@pytest.mark.parametrize("path", [p for p in MODULES if any(str(p.relative_to(WOL)).startswith(x) for x in PURE)],
                         ids=lambda p: str(p.relative_to(WOL)))
def test_pure_layers_import_no_engine_and_no_ui(path):
    assert not imported(path) & (set(ENGINES) | UI), f"{path.relative_to(WOL)} is a pure layer"
