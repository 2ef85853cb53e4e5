"""wol init: a new repository that checks clean, builds, and refuses a broken commit through its hook."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from wol.cli import main


@pytest.fixture
def git_identity(tmp_path, monkeypatch):
    """A global Git configuration of our own: who `wol init` takes the first profile from."""
    def configure(name: str | None = "Ada Lovelace", email: str | None = "ada.lovelace@example.com"):
        config = tmp_path / "gitconfig"
        lines = ["[user]"] + ([f"\tname = {_quoted(name)}"] if name else []) + ([f"\temail = {email}"] if email else [])
        config.write_text("\n".join(lines + ["[commit]", "\tgpgsign = false", ""]), encoding="utf-8")
        monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
        monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    configure()
    return configure


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wol(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "wol", *args], cwd=cwd, capture_output=True, text=True)


def git(root, *args):
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)


@pytest.mark.slow
def test_new_repository_checks_clean_builds_and_its_hook_refuses_a_broken_post(tmp_path, git_identity):
    root = tmp_path / "acme-wiki"
    result = wol("init", str(root), "--site-url", "https://wiki.acme.example")
    assert result.returncode == 0, result.stderr
    assert "Created a knowledge repository" in result.stdout and "site_url is empty" not in result.stdout
    assert 'site_url: "https://wiki.acme.example/"' in (root / "mkdocs.yml").read_text()

    assert (root / "content/people/ada.lovelace.md").read_text().startswith("---\nname: Ada Lovelace\n")
    assert git(root, "log", "--format=%s").stdout.strip() == "Start the knowledge repository (wol init)"
    assert git(root, "status", "--porcelain").stdout == ""
    assert os.access(root / ".git/hooks/pre-commit", os.X_OK)

    check = wol("check", cwd=root)
    assert check.returncode == 0 and "0 error(s), 0 warning(s)" in check.stderr

    build = wol("build", "--strict", cwd=root)
    assert build.returncode == 0, build.stderr
    assert "Welcome to the wiki" in (root / "site/index.html").read_text(encoding="utf-8")
    assert git(root, "status", "--porcelain").stdout == "", "site/ and the cache are ignored"

    broken = root / "content/posts/2026/broken.md"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("---\ntitle: Half written\ndate: 2026-03-01\n---\nNo author yet.\n", encoding="utf-8")
    git(root, "add", "content/posts/2026/broken.md")
    commit = git(root, "commit", "-m", "A broken post")
    assert commit.returncode != 0
    output = commit.stdout + commit.stderr
    assert "content/posts/2026/broken.md:" in output and "error" in output and "author" in output
    assert git(root, "log", "--format=%s").stdout.count("\n") == 1, "nothing was committed"


def test_ci_checks_every_change_and_keeps_the_site_private_by_default(tmp_path, git_identity):
    root = tmp_path / "wiki"
    result = CliRunner().invoke(main, ["init", str(root), "--install", "wol-wiki @ git+https://git.example/wol@v0.1.0"])
    assert result.exit_code == 0, result.output
    assert "private CI artifact" in result.output and 'pip install "wol-wiki @ git+https://git.example/wol@v0.1.0"' \
        in result.output
    github = yaml.safe_load((root / ".github/workflows/wol.yml").read_text())
    triggers = github[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    steps = [s.get("run") or s.get("uses") for s in github["jobs"]["build"]["steps"]]
    assert "wol check" in steps and "wol build --strict" in steps
    assert 'pip install "wol-wiki @ git+https://git.example/wol@v0.1.0"' in steps
    assert "actions/upload-artifact@v4" in steps and "deploy" not in github["jobs"]
    assert not any("pages" in (s or "") for s in steps)
    cache = next(s for s in github["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"].split() == [".wol-cache", "site"], "the build cache and the last site are restored"
    assert steps.index(cache["uses"]) < steps.index("wol build --strict")

    assert 'pip install "wol-wiki @ git+https://git.example/wol@v0.1.0"' in (root / "README.md").read_text()
    gitlab = yaml.safe_load((root / ".gitlab-ci.yml").read_text())
    assert gitlab["before_script"] == ['pip install "wol-wiki @ git+https://git.example/wol@v0.1.0"']
    assert gitlab["check"]["script"] == ["wol check", "wol build --strict"]
    assert "merge_request_event" in gitlab["check"]["rules"][0]["if"]
    assert "pages" not in gitlab and gitlab["site"]["artifacts"]["paths"] == ["site"]
    assert "$CI_DEFAULT_BRANCH" in gitlab["site"]["rules"][0]["if"]
    assert {".wol-cache/", "site/", "public/"} <= set(gitlab["cache"]["paths"])


def test_ci_publishes_with_pages_only_when_asked_and_says_it_is_public(tmp_path, git_identity):
    root = tmp_path / "wiki"
    result = CliRunner().invoke(main, ["init", str(root), "--publish", "pages"])
    assert result.exit_code == 0 and "PUBLIC" in result.output
    github = yaml.safe_load((root / ".github/workflows/wol.yml").read_text())
    steps = [s.get("run") or s.get("uses") for s in github["jobs"]["build"]["steps"]]
    assert any(s.startswith("actions/upload-pages-artifact") for s in steps if s)
    assert github["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")
    gitlab = yaml.safe_load((root / ".gitlab-ci.yml").read_text())
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"] and "--site-dir public" in gitlab["pages"]["script"][-1]


def test_a_wol_installed_from_a_local_folder_says_ci_cannot_install_it_from_there(tmp_path, git_identity):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "wiki")])
    assert result.exit_code == 0
    assert "local folder" in result.output and "--install" in result.output  # this checkout is an editable install


def test_a_non_empty_folder_is_refused(tmp_path, git_identity):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes/todo.txt").write_text("x")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "notes")])
    assert result.exit_code == 1
    assert "is not empty (it holds todo.txt)" in result.output
    assert not (tmp_path / "notes/.git").exists()


def test_without_a_git_identity_nothing_is_written(tmp_path, git_identity):
    git_identity(name=None, email=None)
    result = CliRunner().invoke(main, ["init", str(tmp_path / "wiki")])
    assert result.exit_code == 1 and "git config --global user.email" in result.output
    assert not (tmp_path / "wiki").exists()


def test_a_name_with_yaml_punctuation_makes_a_valid_profile(tmp_path, git_identity):
    git_identity(name='Zoë "Z" O\'Neil: ops', email="Zoe.ONeil@example.com")
    root = tmp_path / "wiki"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    text = (root / "content/people/zoe.oneil.md").read_text(encoding="utf-8")
    assert yaml.safe_load(text.split("---")[1])["name"] == 'Zoë "Z" O\'Neil: ops'
    assert wol("check", cwd=root).returncode == 0


@pytest.mark.slow
def test_without_a_site_url_init_says_so_build_warns_and_strict_refuses_naming_the_file(tmp_path, git_identity):
    root = tmp_path / "wiki"
    result = CliRunner().invoke(main, ["init", str(root)])
    assert result.exit_code == 0 and "site_url is empty in mkdocs.yml" in result.output
    build = wol("build", cwd=root)
    assert build.returncode == 0 and "warning: mkdocs.yml: site_url is empty" in build.stderr
    assert "https://org.github.io/repo/" in build.stderr
    strict = wol("build", "--strict", cwd=root)
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert "mkdocs.yml: site_url is empty" in strict.stderr and "--strict" in strict.stderr


def test_a_site_url_that_is_no_address_is_refused(tmp_path, git_identity):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "wiki"), "--site-url", "wiki.example.com"])
    assert result.exit_code == 1 and "--site-url" in result.output and "https://" in result.output
    assert not (tmp_path / "wiki").exists()
