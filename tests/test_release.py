"""The release: the wheel and sdist hold all of wol, a tag publishes them, and a new repository's CI passes
when it installs wol from that wheel in a fresh virtual environment."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from wol import __version__
from wol.cli import main

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github/workflows"


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """The sdist, and the wheel built from it, exactly as the release workflow builds them (`python -m build`)."""
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return out


@pytest.fixture
def git_identity(tmp_path, monkeypatch):
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Ada Lovelace\n\temail = ada@example.com\n[commit]\n\tgpgsign = false\n",
                      encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def _package_files() -> set[str]:
    listed = subprocess.run(["git", "ls-files", "wol"], cwd=ROOT, capture_output=True, text=True, check=True)
    return {path for path in listed.stdout.splitlines() if (ROOT / path).is_file()}


SOURCES_ONLY = ("wol/editor/assets-src/",)  # the editor bundle's npm sources: the wheel ships the built bundle


@pytest.mark.slow
def test_the_wheel_and_the_sdist_hold_every_file_of_the_package(dist):
    wheel = zipfile.ZipFile(next(dist.glob(f"wol_wiki-{__version__}-py3-none-any.whl")))
    names = set(wheel.namelist())
    with tarfile.open(next(dist.glob(f"wol_wiki-{__version__}.tar.gz"))) as sdist:
        in_sdist = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    files = {f for f in _package_files() if not f.startswith(SOURCES_ONLY)}
    for data in ("wol/resources/hooks/pre-commit", "wol/resources/init/github-workflow.yml",
                 "wol/resources/init/publish/artifact-github.yml", "wol/editor/static/editor.js",
                 "wol/editor/templates/base.html"):
        assert data in files and data in names, data
    assert any(n.startswith("wol/resources/theme/") and not n.endswith(".py") for n in names)
    assert sorted(files - names) == [], "in Git but not in the wheel"
    assert sorted(files - in_sdist) == [], "in Git but not in the sdist"
    metadata = wheel.read(f"wol_wiki-{__version__}.dist-info/METADATA").decode()
    assert f"Version: {__version__}\n" in metadata and "Name: wol-wiki\n" in metadata
    assert "wol = wol.cli:main" in wheel.read(f"wol_wiki-{__version__}.dist-info/entry_points.txt").decode()


def test_a_tag_builds_checks_and_publishes_with_trusted_publishing():
    release = yaml.safe_load((WORKFLOWS / "release.yml").read_text(encoding="utf-8"))
    assert release[True] == {"push": {"tags": ["v*"]}}  # YAML 1.1 reads the key `on` as true
    build = [s.get("run", "") for s in release["jobs"]["build"]["steps"]]
    assert "python -m build" in build and any("twine check" in s for s in build)
    assert any("GITHUB_REF_NAME" in s for s in build), "the tag must name the version built"
    publish = release["jobs"]["publish"]
    assert publish["needs"] == "build" and publish["permissions"] == {"id-token": "write"}
    uses = [s.get("uses", "") for s in publish["steps"]]
    assert any(u.startswith("pypa/gh-action-pypi-publish@") for u in uses)
    assert "password" not in str(publish) and "secrets." not in str(publish), "trusted publishing: no token"

    ci = yaml.safe_load((WORKFLOWS / "ci.yml").read_text(encoding="utf-8"))
    assert {"push", "pull_request"} <= set(ci[True])
    package = [s.get("run", "") for s in ci["jobs"]["package"]["steps"]]
    assert "python -m build" in package and any("twine check" in s for s in package)


@pytest.mark.slow
def test_a_new_repository_ci_passes_in_a_fresh_venv_installing_the_built_wheel(dist, tmp_path, git_identity):
    wheel = next(dist.glob("*.whl"))
    root = tmp_path / "acme-wiki"
    started = CliRunner().invoke(main, ["init", str(root), "--install", str(wheel),
                                        "--site-url", "https://acme.example/wiki"])
    assert started.exit_code == 0, started.output
    workflow = yaml.safe_load((root / ".github/workflows/wol.yml").read_text(encoding="utf-8"))
    runs = [step["run"] for step in workflow["jobs"]["build"]["steps"] if "run" in step]
    assert runs == [f'pip install "{wheel}"', "wol check", "wol build --strict"]
    gitlab = yaml.safe_load((root / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["before_script"] + gitlab["check"]["script"] == runs, "GitLab runs the same steps"

    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(PATH=f"{fresh / 'bin'}{os.pathsep}{env['PATH']}", VIRTUAL_ENV=str(fresh), NO_MKDOCS_2_WARNING="1")
    for run in runs + ["command -v wol"]:
        done = subprocess.run(["bash", "-eo", "pipefail", "-c", run], cwd=root, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{run}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert done.stdout.strip() == str(fresh / "bin/wol"), "the wol of the fresh venv ran, not this checkout's"
    home = (root / "site/index.html").read_text(encoding="utf-8")
    assert "Welcome to the wiki" in home
    feed = (root / "site/feed.xml").read_text(encoding="utf-8")
    assert "https://acme.example/wiki/" in feed, "the feed links absolutely, under the project path"
