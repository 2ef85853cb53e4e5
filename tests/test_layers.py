"""The pipeline's layering holds: each folder imports only from the layers below it, and each engine has one home.

The order is the table of docs/architecture.md. Both wol's own imports
(relative or absolute, at the top of a module or inside a function) and
third-party ones are read, for every module under wol/.
"""

import ast
from pathlib import Path

import pytest

WOL = Path(__file__).resolve().parents[1] / "wol"

LAYERS = [  # lowest first; a module may import its own layer and the layers before it
    ("problems", "settings", "i18n", "collector"),  # i18n: wol's own words per locale (Babel); collector: gc pauses
    ("content",),  # what people write: text ⇄ objects
    ("derive",),  # what it means: the graph
    ("stage", "health", "notify"),  # what the site shows, the health figures, notifications (pure)
    ("engines",),  # Git, MkDocs, the search engine
    ("knowledge",),  # the one reader
    ("commit", "changes"),  # the one road for a change
    ("pipeline", "build_manifest"),  # the one build, and what its last complete build made
    ("server",),  # the live site
    ("editor",),  # the web editor
    ("commands",),  # one module per verb
    ("cli", "__main__"),
]
PURE = ("content", "derive", "stage", "health", "notify")
ENGINES = {"mkdocs": "engines/mkdocs", "whoosh": "engines/search", "git": "engines/gitrepo"}
UI = {"click": ("cli.py",), "flask": ("editor", "server"), "werkzeug": ("editor", "server"),
      "waitress": ("commands/serve.py",), "babel": ("i18n.py",), "watchdog": ("server/watch.py",)}
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}
MODULES = sorted(WOL.rglob("*.py"))


def unit_of(path: Path) -> str:
    """The layer unit of a module: its top folder or module under wol/ (`wol/stage/feeds.py` → `stage`)."""
    rel = path.relative_to(WOL)
    return "problems" if rel.parts == ("__init__.py",) else rel.parts[0].removesuffix(".py")


def imports(path: Path, source: str | None = None) -> tuple[set[str], set[str]]:
    """(wol units the module at path imports, third-party top-level packages it imports)."""
    package = list(path.relative_to(WOL.parent).parts[:-1])
    own, third = set(), set()
    source = path.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                (own.add(parts[1]) if parts[0] == "wol" and len(parts) > 1 else third.add(parts[0]))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = base + (node.module.split(".") if node.module else [])
            else:
                target = (node.module or "").split(".")
            if target[0] != "wol":
                third.add(target[0])
            elif len(target) > 1:
                own.add(target[1])
            else:  # `from wol import x` / `from . import x` at the top: x is a module or a name of wol/__init__
                own |= {a.name if (WOL / a.name).exists() or (WOL / f"{a.name}.py").exists() else "problems"
                        for a in node.names}
    return own, third


def in_home(path: Path, homes) -> bool:
    rel = path.relative_to(WOL).as_posix()
    return any(rel == home or rel.startswith(home.removesuffix(".py") + "/") or rel == home + ".py"
               for home in homes)


def test_every_folder_and_module_has_a_layer():
    units = {unit_of(p) for p in MODULES}
    assert units <= set(RANK), f"not in LAYERS (add it, and to docs/architecture.md): {sorted(units - set(RANK))}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(WOL)))
def test_a_module_imports_only_its_own_layer_and_those_below(path):
    me = unit_of(path)
    own, _ = imports(path)
    upward = sorted(u for u in own if RANK.get(u, -1) > RANK[me])
    assert not upward, f"{path.relative_to(WOL)} ({me}) imports {upward}, which stand above it in LAYERS"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(WOL)))
def test_each_engine_and_ui_library_is_imported_by_its_home_only(path):
    _, third = imports(path)
    for library, home in ENGINES.items():
        if library in third:
            assert in_home(path, [home]), f"{path.relative_to(WOL)} imports {library}; only wol/{home} may"
    for library, homes in UI.items():
        if library in third:
            assert in_home(path, homes), f"{path.relative_to(WOL)} imports {library}; only {homes} may"


@pytest.mark.parametrize("library, home", ENGINES.items())
def test_each_engines_home_exists_and_imports_it(library, home):
    modules = [WOL / f"{home}.py"] if (WOL / f"{home}.py").exists() else sorted((WOL / home).rglob("*.py"))
    assert modules and any(library in imports(m)[1] for m in modules), f"wol/{home} no longer imports {library}"


@pytest.mark.parametrize("path", [p for p in MODULES if unit_of(p) in PURE], ids=lambda p: str(p.relative_to(WOL)))
def test_pure_layers_import_no_engine_no_ui_and_no_git_adapter(path):
    own, third = imports(path)
    assert not third & (set(ENGINES) | set(UI)), f"{path.relative_to(WOL)} is a pure layer"
    assert "engines" not in own, f"{path.relative_to(WOL)} is a pure layer: it may not import wol/engines"


def test_the_layer_test_sees_a_pure_module_importing_the_git_adapter_or_a_higher_layer():
    probe = WOL / "stage" / "probe.py"  # read, never written: its imports as if it stood in stage/
    source = "from ..engines import gitrepo\ndef f():\n    from wol.commit import Change\n    import git\n"
    own, third = imports(probe, source)
    assert own == {"engines", "commit"} and third == {"git"}
    assert RANK["commit"] > RANK["stage"]
