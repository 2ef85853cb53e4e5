"""Watch content/, mkdocs.yml and theme/ (watchdog) and ask the live site to update on any change.

Changes made outside the editor — `git pull`, a text editor, `wol vote` in a
terminal — reach readers the same way as the editor's own writes.
"""

from __future__ import annotations

from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..render import find_company_theme


class _Handler(FileSystemEventHandler):
    def __init__(self, root: Path, request, accept):
        self.root = root
        self.request = request
        self.accept = accept

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or event.is_directory and event.event_type == "modified":
            return
        paths = [p for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        paths = [str(p) for p in paths if self.accept(Path(str(p)))]
        if paths:
            self.request(paths)


def watch(settings, request) -> Observer:
    """Start watching; `request(paths)` is called with the absolute paths that changed. Stop with .stop()."""
    root = Path(settings.root)
    content = Path(settings.content_path)
    theme = find_company_theme(root, None)

    def accept(path: Path) -> bool:
        if any(part.startswith(".") for part in path.relative_to(root).parts) if path.is_relative_to(root) else True:
            return False  # .git, the cache, editors' hidden swap files
        return path == root / "mkdocs.yml" or path.is_relative_to(content) or (
            theme is not None and path.is_relative_to(theme))

    handler = _Handler(root, request, accept)
    observer = Observer()
    observer.daemon = True
    if content.is_dir():
        observer.schedule(handler, str(content), recursive=True)
    if theme is not None:
        observer.schedule(handler, str(theme), recursive=True)
    observer.schedule(handler, str(root), recursive=False)  # mkdocs.yml; editors often replace it
    observer.start()
    return observer
