"""`wol forget HANDLE`: the right to be forgotten, as one commit; never rewrites history.

What the commit does, for the person with HANDLE:
- removes their profile (and files beside it, such as a photo) and their votes file;
- adds the hash of their handle to content/forgotten.txt, so every build shows
  their documents as by a former colleague and mentions of them as plain
  words (wol/content/forgotten.py);
- renames files whose name carries their handle or name (an answer
  `answers/<handle>.md`, a post `handover-notes-<handle>.md`), updating the
  votes and `accepted:` that pointed at them;
- replaces their name and e-mail address, written out in titles and bodies, by "a former colleague".
Whatever it could not clean (the handle inside code, a link to a renamed
file) is listed for the administrator, with how to erase them from history.
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass, field

from ..commit import Change, apply_change, require_git_user
from ..engines import gitrepo
from ..knowledge import Knowledge
from ..build_manifest import FOLDER, MEMOS_FILE, STEPS_FILE
from ..content.load import CACHE_NAME
from ..content.parse import normalise_target, split_front_matter
from ..content.forgotten import MENTION_TEXT, hash_handle, parse_forgotten, render_forgotten
from ..content.spans import is_valid_handle
from ..problems import WolError
from ..settings import Settings
from ..content.write import slugify

TOKEN = "former-colleague"
COMMIT_MESSAGE = "Forget a person at their request (wol forget)"


@dataclass
class Plan:
    """The changes under content/ (paths relative to it): files removed, renamed, and new texts."""

    removed: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # old path → new path
    texts: dict[str, str] = field(default_factory=dict)  # path (after renames) → new text
    redacted: list[str] = field(default_factory=list)  # "path:line" where the name was replaced
    remaining: list[str] = field(default_factory=list)  # "path:line: what" left for the administrator
    name: str = ""  # from the removed profile: shown to the administrator, never stored
    email: str = ""


def plan_forget(files: dict[str, str], handle: str, name: str, email: str = "") -> Plan:
    """Plan forgetting `handle` (named `name`, with `email`) over content/'s text files {relpath: text}. Pure."""
    plan = Plan()
    for path in files:
        if path == f"votes/{handle}.txt" or (path.startswith(f"people/{handle}.")):
            plan.removed.append(path)
    words = _name_words(name)
    tokens = {handle, slugify(name)}  # not each name part: a first name can be a common word in a slug
    kept = {p: t for p, t in files.items() if p not in plan.removed}
    taken = set(kept)
    for path in sorted(kept):
        new = _rename(path, tokens)
        if new != path:
            new = _unique(new, taken)
            taken.discard(path)
            taken.add(new)
            plan.renamed[path] = new
    ids = {_id(old): _id(new) for old, new in plan.renamed.items() if _id(old)}
    for path, text in kept.items():
        new_path = plan.renamed.get(path, path)
        new_text = _retarget(path, text, ids)
        if path.startswith("topics/"):
            new_text = _drop_facilitator(new_text, handle)
        new_text = _redact(new_path, new_text, name, words, plan, email)
        if path == "forgotten.txt":
            new_text = render_forgotten(parse_forgotten(text) | _hashes(handle))
        if new_text != text or new_path != path:
            plan.texts[new_path] = new_text
        plan.remaining += _leftovers(new_path, new_text, handle)
    if "forgotten.txt" not in kept:
        plan.texts["forgotten.txt"] = render_forgotten(_hashes(handle))
    return plan


def _hashes(handle: str) -> set[str]:
    """The handle's hash, and that of the word history erasure puts in its place (see docs/privacy.md)."""
    return {hash_handle(handle), hash_handle(TOKEN)}


def forget_person(settings: Settings, handle: str) -> tuple[str, Plan]:
    """Carry out the plan in the work tree and commit it as one change; return (sha, plan)."""
    handle = handle.strip().lower().lstrip("@")
    if not is_valid_handle(handle):
        raise WolError(f"`{handle}` is not a handle (lower-case letters, digits, `.`, `_`, `-`)")
    gitrepo.require_repo(settings.root)
    require_git_user(settings)
    base = settings.content_path
    files = {}
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in rel.split("/")):
            try:
                files[rel] = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                if rel.startswith(f"people/{handle}."):
                    files[rel] = ""  # a photo: removed all the same
    profile = files.get(f"people/{handle}.md")
    if profile is None:
        if hash_handle(handle) in parse_forgotten(files.get("forgotten.txt", "")):
            raise WolError(f"`{handle}` is already forgotten")
        raise WolError(f"nobody has the handle `{handle}` (no {settings.content_dir}/people/{handle}.md)")
    name, email = _profile_field(profile, "name") or handle, _profile_field(profile, "email")
    plan = plan_forget(files, handle, name, email)
    plan.name, plan.email = name, email
    deleted = {path: None for path in plan.removed + list(plan.renamed)}
    change = Change({**deleted, **plan.texts}, COMMIT_MESSAGE)
    content, graph = Knowledge(settings).current()
    sha = apply_change(settings, content, graph, change, author=None).commit
    clear_caches(settings)
    return sha, plan


def clear_caches(settings: Settings) -> None:
    """Drop the caches that hold old text: the parse cache, staging's memos (linked bodies, feed entries) and steps
    (staged pages), the search index (whose deleted documents would keep their words until a merge), with their journals;
    all are rebuilt on the next run."""
    shutil.rmtree(settings.cache_path / "search", ignore_errors=True)
    for name in (CACHE_NAME, f"{FOLDER}/{MEMOS_FILE}", f"{FOLDER}/{STEPS_FILE}"):
        for path in (settings.cache_path / name, settings.cache_path / f"{name}.journal"):
            path.unlink(missing_ok=True)


def render_erase_history(settings: Settings, handle: str, plan: Plan) -> str:
    """How an administrator erases the person from Git history too (wol never does it itself)."""
    prefix = settings.content_dir + "/"
    path_args = " ".join(f"--path {shlex.quote(prefix + p)}" for p in plan.removed + list(plan.renamed))
    words = [plan.name] + [w for w in _name_words(plan.name) if w != plan.name]
    replacements = " ".join(shlex.quote(f"{w}==>{MENTION_TEXT}") for w in words)
    mailmap = f"A former colleague <former-colleague@invalid> <{plan.email or 'their-email'}>"
    return (
        "wol did not rewrite history: the person's files and name are still in older commits.\n"
        "To erase them from history as well (every clone must then be cloned anew), an administrator\n"
        "runs git-filter-repo in a fresh mirror clone (git clone --mirror URL wiki.git && cd wiki.git):\n\n"
        f"  git filter-repo --invert-paths {path_args}\n"
        f"  printf '%s\\n' {replacements} 'regex:(?i)\\b{re.escape(handle)}\\b==>{TOKEN}' > ../forget.txt\n"
        "  git filter-repo --replace-text ../forget.txt --replace-message ../forget.txt\n"
        f"  printf '%s\\n' {shlex.quote(mailmap)} > ../forget.mailmap\n"
        "  git filter-repo --mailmap ../forget.mailmap\n"
        "  git push --force --mirror\n\n"
        "then delete ../forget.txt and ../forget.mailmap. See docs/privacy.md.\n"
    )


def _name_words(name: str) -> list[str]:
    """The parts of a name worth redacting: capitalised words of two letters or more."""
    return [w for w in re.findall(r"[\w'’-]+", name) if len(w) >= 2 and w[0].isupper()]


def _rename(path: str, tokens: set[str]) -> str:
    """Posts and questions only: a topic's file name is its tag, a profile's and votes file's the handle."""
    parts = path.split("/")
    if parts[0] not in ("posts", "questions"):
        return path
    for i, part in enumerate(parts):
        stem, dot, ext = part.rpartition(".") if "." in part and i == len(parts) - 1 else (part, "", "")
        new = stem
        for token in sorted(tokens, key=len, reverse=True):
            new = re.sub(rf"(?<![a-z0-9]){re.escape(token)}(?![a-z0-9])", TOKEN, new)
        parts[i] = new + (dot + ext if dot else "")
    return "/".join(parts)


def _unique(path: str, taken: set[str]) -> str:
    if path not in taken:
        return path
    stem, dot, ext = path.rpartition(".")
    n = 2
    while f"{stem}-{n}.{ext}" in taken:
        n += 1
    return f"{stem}-{n}.{ext}"


def _id(path: str) -> str | None:
    if path.startswith("questions/") and path.endswith("/index.md"):
        return path[: -len("/index.md")]
    if path.endswith(".md") and path.split("/")[0] in ("posts", "questions"):
        return path[: -len(".md")]
    return None


def _retarget(path: str, text: str, ids: dict[str, str]) -> str:
    """Votes and `accepted:` that pointed at renamed documents point at their new ids."""
    if not ids:
        return text
    if path.startswith("votes/"):
        out = []
        for line in text.splitlines(keepends=True):
            parts = line.split()
            if parts and not parts[0].startswith("#") and normalise_target(parts[-1]) in ids:
                line = line.replace(parts[-1], ids[normalise_target(parts[-1])])
            out.append(line)
        return "".join(out)
    q_id = _id(path)
    if path.endswith("/index.md") and q_id:
        for old, new in ids.items():
            if old.startswith(q_id + "/answers/"):
                old_name, new_name = old.rsplit("/", 1)[1], new.rsplit("/", 1)[1]
                text = re.sub(rf"(?m)^(accepted:\s*){re.escape(old_name)}\s*$", rf"\g<1>{new_name}", text)
    return text


def _drop_facilitator(text: str, handle: str) -> str:
    """A topic file without the handle among its `facilitators:` (inline list, plain value or block list)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return text
    same = re.compile(rf"(?i)^\s*@?{re.escape(handle)}\s*$")
    out, in_list = [lines[0]], False
    for line in lines[1:]:
        if line.rstrip() in ("---", "..."):
            out += lines[len(out):]
            break
        m = re.match(r"^(facilitators:\s*)(.*?)\s*$", line)
        if m:
            value = m.group(2)
            in_list = not value
            if value:
                items = [i for i in re.split(r"\s*,\s*", value.strip("[] ")) if i and not same.match(i)]
                line = f"{m.group(1)}[{', '.join(items)}]\n"
        elif in_list and re.match(r"^\s*-\s*", line):
            if same.match(re.sub(r"^\s*-\s*", "", line)):
                line = ""
        else:
            in_list = False
        out.append(line)
    return "".join(out)


def _redact(path: str, text: str, name: str, words: list[str], plan: Plan, email: str = "") -> str:
    """The person's written-out name (in full, then each part) → "a former colleague", in titles and bodies."""
    if path.startswith(("votes/", "people/")) and not path.endswith(".md"):
        return text
    try:
        front, body, body_line = split_front_matter(text)
    except ValueError:
        front, body, body_line = None, text, 1
    patterns = ([re.escape(email)] if email else []) + [re.escape(name)]
    patterns += [re.escape(w) for w in sorted(words, key=len, reverse=True)]
    pattern = re.compile(rf"(?<![\w@/])(?:{'|'.join(patterns)})(?!\w)")

    def sub(segment: str, first_line: int) -> str:
        def replace(m):
            plan.redacted.append(f"{path}:{first_line + segment.count(chr(10), 0, m.start())}")
            starts_sentence = re.search(r"(?:\A|[.!?]\s+|\n\s*|^title:\s*)\Z", segment[:m.start()])
            return MENTION_TEXT.capitalize() if starts_sentence else MENTION_TEXT
        return pattern.sub(replace, segment)

    if front is None:
        return sub(body, 1)
    is_profile = path.startswith("people/")
    lines = front.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("title:") and not is_profile:
            lines[i] = sub(line, i + 2)
    return "---\n" + "".join(lines) + "---\n" + sub(body, body_line)


def _leftovers(path: str, text: str, handle: str) -> list[str]:
    """Lines that still carry the handle where the build will not hide it."""
    out = []
    word = re.compile(rf"(?i)(?<![a-z0-9]){re.escape(handle)}(?![a-z0-9])")
    for number, line in enumerate(text.splitlines(), start=1):
        if path.startswith("votes/") or re.match(r"^author:\s*", line):
            continue
        stripped = re.sub(rf"(?i)(?<![\w./@])@{re.escape(handle)}(?![a-z0-9])", "", line)
        if "`" in line and word.search(line):
            out.append(f"{path}:{number}: the handle appears in code, which the build does not change")
        elif word.search(stripped):
            out.append(f"{path}:{number}: the handle appears in the text")
    return out


def _profile_field(text: str, key: str) -> str:
    m = re.search(rf"(?m)^{key}:\s*['\"]?(.+?)['\"]?\s*$", text)
    return m.group(1).strip() if m else ""
