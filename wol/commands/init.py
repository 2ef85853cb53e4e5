"""`wol init DIR`: a new knowledge repository that checks, builds and guards itself at once.

It writes mkdocs.yml, a content/ skeleton for the Git user (their profile, a
welcome post, a topic), .gitignore, a README and CI for GitHub Actions and
GitLab, then runs `git init`, installs the pre-commit hook and commits.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from .. import __version__
from ..commit import no_git_user
from ..engines import gitrepo
from .hooks import install_hooks
from ..problems import WolError

# template (under wol/resources/init/) → path in the new repository; {year} and {handle} filled in
FILES = {
    "mkdocs.yml": "mkdocs.yml",
    "gitignore": ".gitignore",
    "README.md": "README.md",
    "github-workflow.yml": ".github/workflows/wol.yml",
    "gitlab-ci.yml": ".gitlab-ci.yml",
    "profile.md": "content/people/{handle}.md",
    "welcome.md": "content/posts/{year}/welcome.md",
    "topic.md": "content/topics/wiki.md",
}


def handle_of(email: str) -> str:
    """A handle from an email address's local part: `Ada.Lovelace@x` → `ada.lovelace`."""
    handle = re.sub(r"[^a-z0-9._-]", "", email.split("@")[0].lower()).strip("._-")
    return handle or "me"


def site_name_of(folder: Path) -> str:
    words = re.split(r"[-_ .]+", folder.name)
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "Knowledge"


def _read(name: str) -> str:
    return resources.files("wol").joinpath("resources", "init", *name.split("/")).read_text(encoding="utf-8")


def render_template(name: str, values: dict[str, str]) -> str:
    text = _read(name)
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    return text


PUBLISH_TARGETS = ("artifact", "pages")
PUBLISH_NOTES = {
    "artifact": "kept as a private CI artifact; to serve it inside the company see wol's administrator guide",
    "pages": "published with GitHub or GitLab Pages, which is PUBLIC on most plans: check who can see it",
}


@dataclass(frozen=True)
class Started:
    """What `wol init` did, for its output: the files committed, the install source and the publish target."""

    written: list[str]
    install: str
    install_note: str
    publish: str
    site_url: str = ""


def find_install_source() -> tuple[str, str]:
    """How the new repository's CI installs this very wol, and a note when it is only a guess.

    A wol installed from a Git URL is installed from that URL at its revision;
    anything else from the package index at this version.
    """
    from importlib import metadata
    # the installed one: a source folder's wol_wiki.egg-info, found first on sys.path, records no origin
    direct = next(filter(None, (d.read_text("direct_url.json") for d in metadata.distributions(name="wol-wiki"))), None)
    info = json.loads(direct) if direct else {}
    vcs = info.get("vcs_info")
    if vcs:
        revision = vcs.get("requested_revision") or vcs.get("commit_id")
        return f"wol-wiki @ {vcs.get('vcs', 'git')}+{info['url']}@{revision}", ""
    spec = f"wol-wiki=={__version__}"
    if info.get("url", "").startswith("file:"):
        return spec, (f"wol is installed here from a local folder ({info['url']}), which CI cannot reach: "
                      f"CI installs {spec} from your package index; give --install to choose another source")
    return spec, ""


def init_repository(folder: str | Path, install: str = "", publish: str = "artifact", site_url: str = "") -> Started:
    """Create the repository in `folder` (new or empty), CI installing wol from `install`, keeping
    or publishing the site as `publish` says, for readers at `site_url` (may be set later)."""
    if publish not in PUBLISH_TARGETS:
        raise WolError(f"unknown publish target `{publish}`: choose {' or '.join(PUBLISH_TARGETS)}")
    site_url = parse_site_url(site_url)
    install_note = ""
    if not install:
        install, install_note = find_install_source()
    folder = Path(folder).absolute()
    if folder.exists() and not folder.is_dir():
        raise WolError(f"{folder} is a file; give wol init a new or empty folder")
    if folder.is_dir() and any(folder.iterdir()):
        found = ", ".join(sorted(p.name for p in folder.iterdir())[:5])
        raise WolError(f"{folder} is not empty (it holds {found}); wol init starts a repository in a new or "
                       f"empty folder. To add wol to existing files, run `wol init` elsewhere and copy them in.")
    user = gitrepo.git_user(folder if folder.is_dir() else folder.parent if folder.parent.is_dir() else ".")
    if user is None:
        raise WolError(f"{no_git_user('--global')} (the first profile and commit need it; "
                       f"`git config --global user.name \"Your Name\"` too), then wol init again")
    handle = handle_of(user.email)
    today = datetime.now(timezone.utc)
    values = {"SITE_NAME": site_name_of(folder), "NAME": _yaml_text(user.name), "EMAIL": user.email,
              "HANDLE": handle, "SITE_URL": site_url, "DATE": today.date().isoformat(), "INSTALL": install.replace('"', ""),
              "PUBLISH_NOTE": PUBLISH_NOTES[publish],
              "PUBLISH_GITHUB": _read(f"publish/{publish}-github.yml"),
              "PUBLISH_GITLAB": _read(f"publish/{publish}-gitlab.yml")}
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WolError(f"cannot create {folder}: {exc.strerror}") from None
    for template, target in FILES.items():
        relpath = target.format(handle=handle, year=today.year)
        path = folder / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_template(template, values), encoding="utf-8")
        written.append(relpath)
    gitrepo.init_repo(folder)
    install_hooks(folder)
    gitrepo.commit_paths(folder, written, "Start the knowledge repository (wol init)")
    return Started(written, install, install_note, publish, site_url)


def parse_site_url(value: str) -> str:
    """`--site-url`: an absolute http(s) address ending in `/`, or empty (to be set in mkdocs.yml later)."""
    value = value.strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c in value for c in '"\\ \n'):
        raise WolError(f"--site-url {value!r}: give the site's absolute address, e.g. https://wiki.example.com/")
    return value if value.endswith("/") else value + "/"


def _yaml_text(value: str) -> str:
    """A name safe as a plain YAML scalar (quoted when it holds YAML punctuation)."""
    if re.fullmatch(r"[\w][\w .'-]*", value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
