"""Install wol's Git hooks: small shims that call `wol check --staged`."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

from ..engines import gitrepo

HOOKS = ("pre-commit",)


def install_hooks(root: str | Path) -> list[Path]:
    """Write the hooks into the repository's hooks folder, pointing at this Python."""
    repo = gitrepo.require_repo(root)
    folder = Path(repo.git_dir) / "hooks"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in HOOKS:
        shim = resources.files("wol").joinpath("resources", "hooks", name).read_text(encoding="utf-8")
        path = folder / name
        package = Path(__file__).resolve().parents[1] / "__init__.py"  # a file test, cheaper than `import wol`
        path.write_text(shim.replace("@PYTHON@", sys.executable).replace("@PACKAGE@", str(package)),
                        encoding="utf-8")
        path.chmod(0o755)
        written.append(path)
    return written
