"""Watch content/, mkdocs.yml and the theme folder (watchdog) and ask the live site to update on any change.

Changes made outside the editor — `git pull`, a text editor, `wol vote` in a
terminal — reach readers the same way as the editor's own writes. The theme
folder is the one `Settings.theme_path` names (`theme.custom_dir`, else
`theme/`); after mkdocs.yml changes, a new one is watched too.
"""

from __future__ import annotations

import threading
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: "Watcher"):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or event.is_directory and event.event_type == "modified":
            return
        paths = [str(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        self.watcher.changed([Path(p) for p in paths])


class Watcher:
    """An observer of one repository; `settings()` gives the settings as they are now."""

    def __init__(self, settings, request):
        self.settings = settings
        self.request = request
        self.root = Path(settings().root)
        self.observer = Observer()
        self.observer.daemon = True
        self._handler = _Handler(self)
        self._watched: set[Path] = set()
        self._lock = threading.Lock()

    def start(self) -> "Watcher":
        content = Path(self.settings().content_path)
        if content.is_dir():
            self._schedule(content)
        self._schedule(self.root, recursive=False)  # mkdocs.yml; editors often replace it
        self._watch_theme()
        self.observer.start()
        return self

    def stop(self) -> None:
        self.observer.stop()

    def changed(self, paths: list[Path]) -> None:
        settings = self.settings()
        accepted = [str(p) for p in paths if self._accept(settings, p)]
        if any(p == settings.config_path or p == settings.theme_path for p in paths):
            self._watch_theme()
        if accepted:
            self.request(accepted)

    def _accept(self, settings, path: Path) -> bool:
        if not path.is_relative_to(self.root) or any(part.startswith(".") for part in path.relative_to(self.root).parts):
            return False  # .git, the cache, editors' hidden swap files
        return path.is_relative_to(settings.content_path) or settings.is_site_config(path)

    def _watch_theme(self) -> None:
        theme = Path(self.settings().theme_path)
        if theme.is_dir():
            self._schedule(theme)

    def _schedule(self, folder: Path, recursive: bool = True) -> None:
        with self._lock:
            if folder in self._watched:
                return
            self._watched.add(folder)
            self.observer.schedule(self._handler, str(folder), recursive=recursive)


def watch(settings, request) -> Watcher:
    """Start watching; `request(paths)` is called with the absolute paths that changed. Stop with .stop().

    `settings`: the Settings, or a function returning them as they are now (they change with mkdocs.yml).
    """
    return Watcher(settings if callable(settings) else (lambda: settings), request).start()
