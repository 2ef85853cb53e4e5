"""One typed settings object, read from the knowledge repository's mkdocs.yml.

wol's own settings live under a top-level `wol:` key; everything else belongs
to MkDocs. wol/engines/mkdocs/config.py removes the `wol:` key before MkDocs sees the file.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .problems import WolError

CONFIG_FILE = "mkdocs.yml"
DEFAULT_CACHE_DIR = ".wol-cache"
PARSED_FORMAT = b"wol-settings-1"  # the key of a parsed mkdocs.yml kept in .wol-cache/ (change with the loader)


@lru_cache(maxsize=1)
def _tolerant_loader():
    """A safe loader that reads MkDocs' custom tags (!ENV, !!python/name:…) as plain values."""
    import yaml  # 30 ms of imports: only when mkdocs.yml changed since it was last parsed

    class TolerantLoader(yaml.SafeLoader):
        pass

    def construct_unknown(loader, tag_suffix, node):
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_mapping(node)

    TolerantLoader.add_multi_constructor("!", construct_unknown)
    TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", construct_unknown)
    return yaml, TolerantLoader


def _parse_config(path: Path, raw: bytes):
    """mkdocs.yml's data; broken YAML or text is a WolError naming the file and line."""
    yaml, loader = _tolerant_loader()
    try:
        return yaml.load(raw.decode("utf-8"), Loader=loader) or {}
    except UnicodeDecodeError:
        raise WolError(f"{path}: is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise WolError(f"{path}:{line}: not valid YAML: {getattr(exc, 'problem', exc)}") from None


def _read_config(root: Path, path: Path):
    """mkdocs.yml's data, parsed once per version of its bytes: the parse is kept in the default cache
    folder once it exists (`.wol-cache/settings-<digest>.pickle`), so `wol search` and the pre-commit hook
    do not import PyYAML. A repository whose `wol.cache_dir` is elsewhere parses it every time."""
    raw = path.read_bytes()
    digest = hashlib.blake2b(PARSED_FORMAT + raw, digest_size=16).hexdigest()
    kept = root / DEFAULT_CACHE_DIR / f"settings-{digest}.pickle"
    try:
        return pickle.loads(kept.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    data = _parse_config(path, raw)
    wol = data.get("wol") if isinstance(data, dict) else None
    if not kept.parent.is_dir() or (isinstance(wol, dict) and wol.get("cache_dir", DEFAULT_CACHE_DIR)
                                    != DEFAULT_CACHE_DIR):
        return data
    try:  # atomically, without the cache folder's helpers (wol/content/cachefiles.py is a layer above)
        for old in kept.parent.glob("settings-*.pickle"):
            old.unlink(missing_ok=True)
        tmp = kept.with_name(f"{kept.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, kept)
    except OSError:  # a read-only checkout: parse it again next time
        pass
    return data


NOTIFY_FORMATS = ("slack", "teams")  # Slack and Mattermost share one incoming-webhook format; Teams has its own
SMTP_SECURITY = ("starttls", "tls", "none")


@dataclass(frozen=True)
class Webhook:
    """A chat channel's incoming webhook, named in mkdocs.yml; its URL (a secret) comes from the environment."""

    name: str
    url_env: str
    format: str = "slack"


@dataclass(frozen=True)
class NotifySettings:
    """`wol.notify`: who a new question reaches, and the channels `wol notify` may use (none by default)."""

    experts: int = 3  # a new question goes to this many people with the most earned expertise on its topics
    escalate_after_hours: int = 48  # still unanswered this long after its date: it goes to the next experts
    escalate_experts: int = 3
    smtp_host: str = ""  # empty: no e-mail is sent
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_from: str = ""
    smtp_user_env: str = ""  # names of environment variables, never the credentials themselves
    smtp_password_env: str = ""
    webhooks: dict = field(default_factory=dict)  # name → Webhook
    ref: str = "refs/wol/notify"  # the record of what was sent, pushed to origin

    @property
    def channels_configured(self) -> bool:
        return bool(self.smtp_host or self.webhooks)


@dataclass(frozen=True)
class Settings:
    """What wol needs to know about a knowledge repository."""

    root: Path
    site_name: str = "wol"
    site_url: str = ""
    site_description: str = ""
    content_dir: str = "content"
    cache_dir: str = ".wol-cache"
    language: str = "en"  # the search stemmer: `wol.language`, else the interface's language
    locale: str = "en"  # the interface's language: mkdocs.yml's `theme.language` (wol/i18n.py)
    identity_header: str = ""
    identity_name_header: str = ""  # the SSO proxy's headers with the name and e-mail: a first profile's prefill
    identity_email_header: str = ""
    feed_length: int = 20
    home_length: int = 10
    push: bool = False  # wol serve pulls from and pushes to origin around each write
    attachment_max_mb: float = 10  # files beside documents: bigger ones are an error of `wol check` (use Git LFS)
    notify: NotifySettings = field(default_factory=NotifySettings)
    theme_dir: str = "theme"  # the company's theme overrides: mkdocs.yml's `theme.custom_dir`, else `theme/`
    markdown_extensions: list = field(default_factory=list)
    mdx_configs: dict = field(default_factory=dict)
    editor_url: str = ""  # where `wol serve` runs behind SSO: a static site's "Useful", "Answer", "Ask" lead there
    teams: dict = field(default_factory=dict)  # team slug → the name readers see (`people-ops: People Operations`)

    def team_name(self, slug: str) -> str:
        return self.teams.get(slug, slug)

    @property
    def attachment_max_bytes(self) -> int:
        return int(self.attachment_max_mb * 1024 * 1024)

    @property
    def content_path(self) -> Path:
        return self.root / self.content_dir

    @property
    def cache_path(self) -> Path:
        return self.root / self.cache_dir

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def theme_path(self) -> Path:
        """The one folder of the company's theme overrides (it may not exist)."""
        return self.root / self.theme_dir

    def is_site_config(self, path: str | Path) -> bool:
        """Whether a change to this path (absolute, or relative to the root) needs a new MkDocs configuration."""
        full = Path(path) if Path(path).is_absolute() else self.root / path
        return full == self.config_path or full == self.theme_path or full.is_relative_to(self.theme_path)


def parse_markdown_extensions(entries) -> tuple[list, dict]:
    """Split MkDocs' `markdown_extensions` list into names and per-extension configs."""
    names, configs = [], {}
    for entry in entries or []:
        if isinstance(entry, str):
            names.append(entry)
        elif isinstance(entry, dict):
            for name, config in entry.items():
                names.append(name)
                if isinstance(config, dict):
                    configs[name] = config
    return names, configs


def load_settings(root: str | Path = ".") -> Settings:
    """Read mkdocs.yml at the repository root; a missing or broken file is a WolError."""
    root = Path(root).resolve()
    path = root / CONFIG_FILE
    if not path.is_file():
        raise WolError(f"{path}: not found. Run wol in the root of a knowledge repository "
                       f"(the folder with mkdocs.yml and content/), or create one with `wol init DIR`.")
    data = _read_config(root, path)
    if not isinstance(data, dict):
        raise WolError(f"{path}: must be a mapping of settings (key: value)")
    wol = data.get("wol") or {}
    if not isinstance(wol, dict):
        raise WolError(f"{path}: the `wol:` setting must be a mapping")
    names, configs = parse_markdown_extensions(data.get("markdown_extensions"))
    theme = data.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    locale = str((theme.get("language") if isinstance(theme, dict) else None) or "en")
    known = {"content_dir", "cache_dir", "language", "identity_header", "feed_length", "home_length", "push",
             "notify"}
    known |= {"attachment_max_mb", "editor_url", "teams"}
    known |= {"identity_name_header", "identity_email_header"}
    unknown = sorted(set(wol) - known)
    if unknown:
        raise WolError(f"{path}: unknown setting wol.{unknown[0]} (known: {', '.join(sorted(known))})")
    if "push" in wol and not isinstance(wol["push"], bool):
        raise WolError(f"{path}: wol.push must be true or false")
    limit = wol.get("attachment_max_mb", 10)
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit <= 0:
        raise WolError(f"{path}: wol.attachment_max_mb must be a positive number of megabytes")
    editor_url = str(wol.get("editor_url") or "").strip()
    if editor_url and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", editor_url):
        raise WolError(f"{path}: wol.editor_url must be the http(s) address where `wol serve` runs, "
                       f"such as https://wiki-editor.example/ (got {editor_url!r})")
    teams = wol.get("teams") or {}
    if not isinstance(teams, dict) or not all(isinstance(v, (str, int)) and str(v).strip() for v in teams.values()):
        raise WolError(f"{path}: wol.teams must map a team's slug to its name (people-ops: People Operations)")
    for key in ("feed_length", "home_length"):
        if key in wol and not (isinstance(wol[key], int) and wol[key] > 0):
            raise WolError(f"{path}: wol.{key} must be a positive whole number")
    return Settings(
        root=root,
        site_name=str(data.get("site_name") or "wol"),
        site_url=str(data.get("site_url") or ""),
        site_description=str(data.get("site_description") or ""),
        content_dir=str(wol.get("content_dir", "content")),
        cache_dir=str(wol.get("cache_dir", DEFAULT_CACHE_DIR)),
        language=str(wol.get("language") or locale),
        locale=locale,
        identity_header=str(wol.get("identity_header", "")),
        identity_name_header=str(wol.get("identity_name_header", "")),
        identity_email_header=str(wol.get("identity_email_header", "")),
        feed_length=wol.get("feed_length", 20),
        home_length=wol.get("home_length", 10),
        push=wol.get("push", False),
        attachment_max_mb=limit,
        notify=parse_notify_settings(wol.get("notify"), path),
        theme_dir=str(custom_dir or "theme"),
        markdown_extensions=names,
        mdx_configs=configs,
        editor_url=editor_url.rstrip("/") + "/" if editor_url else "",
        teams={str(k): str(v).strip() for k, v in teams.items()},
    )


def parse_notify_settings(data, path: Path) -> NotifySettings:
    """`wol.notify` → NotifySettings; a wrong value is a WolError naming the setting."""
    if data is None:
        return NotifySettings()
    if not isinstance(data, dict):
        raise WolError(f"{path}: wol.notify must be a mapping (experts:, smtp:, webhooks:, …)")
    known = {"experts", "escalate_after_hours", "escalate_experts", "smtp", "webhooks"}
    _refuse_unknown(data, known, "wol.notify", path)
    for key in ("experts", "escalate_after_hours", "escalate_experts"):
        value = data.get(key, 1)
        if not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
            raise WolError(f"{path}: wol.notify.{key} must be a whole number, 0 or more")
    smtp = data.get("smtp") or {}
    if not isinstance(smtp, dict):
        raise WolError(f"{path}: wol.notify.smtp must be a mapping (host:, port:, security:, from:, …)")
    _refuse_unknown(smtp, {"host", "port", "security", "from", "user_env", "password_env"}, "wol.notify.smtp", path)
    security = str(smtp.get("security", "starttls")).lower()
    if security not in SMTP_SECURITY:
        raise WolError(f"{path}: wol.notify.smtp.security must be one of {', '.join(SMTP_SECURITY)}")
    port = smtp.get("port", 465 if security == "tls" else 587)
    if not (isinstance(port, int) and 0 < port < 65536):
        raise WolError(f"{path}: wol.notify.smtp.port must be a port number (1 to 65535)")
    host = str(smtp.get("host") or "")
    sender = str(smtp.get("from") or "")
    if host and "@" not in sender:
        raise WolError(f"{path}: wol.notify.smtp.from must be the sender's address, such as wiki@example.com")
    for key in ("user_env", "password_env"):
        if key in smtp and not _is_env_name(smtp[key]):
            raise WolError(f"{path}: wol.notify.smtp.{key} must name an environment variable (such as "
                           f"WOL_SMTP_PASSWORD), never hold the credential itself")
    webhooks = {}
    hooks = data.get("webhooks") or {}
    if not isinstance(hooks, dict):
        raise WolError(f"{path}: wol.notify.webhooks must map a name to {{url_env: VARIABLE, format: slack|teams}}")
    for name, hook in hooks.items():
        if not isinstance(hook, dict) or not _is_env_name(hook.get("url_env")):
            raise WolError(f"{path}: wol.notify.webhooks.{name} needs url_env: the environment variable holding "
                           f"the webhook's URL (a webhook URL is a secret: it is never written in the repository)")
        _refuse_unknown(hook, {"url_env", "format"}, f"wol.notify.webhooks.{name}", path)
        fmt = str(hook.get("format", "slack")).lower()
        if fmt not in NOTIFY_FORMATS:
            raise WolError(f"{path}: wol.notify.webhooks.{name}.format must be slack (also Mattermost) or teams")
        webhooks[str(name)] = Webhook(str(name), hook["url_env"], fmt)
    return NotifySettings(
        experts=data.get("experts", 3), escalate_after_hours=data.get("escalate_after_hours", 48),
        escalate_experts=data.get("escalate_experts", 3), smtp_host=host, smtp_port=port,
        smtp_security=security, smtp_from=sender, smtp_user_env=str(smtp.get("user_env") or ""),
        smtp_password_env=str(smtp.get("password_env") or ""), webhooks=webhooks)


def _refuse_unknown(data: dict, known: set, where: str, path: Path) -> None:
    unknown = sorted(str(k) for k in set(data) - known)
    if unknown:
        raise WolError(f"{path}: unknown setting {where}.{unknown[0]} (known: {', '.join(sorted(known))})")


def _is_env_name(value) -> bool:
    import re
    return isinstance(value, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value) is not None
