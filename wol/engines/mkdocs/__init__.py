"""Staged pages → the HTML site, rendered by MkDocs with Material: the only package that imports MkDocs.

- `config`: mkdocs.yml without `wol:`, with wol's theme, nav and plugin;
- `plugin`: `WolPlugin`, which hands MkDocs the staged pages in memory and sanitises what it renders;
- `renderer`: `SiteRenderer`, a full build through MkDocs' own `build()`, and the incremental re-render;
- `private`: the few MkDocs internals the incremental re-render needs (MkDocs 1.6 only).
"""

from .renderer import RenderResult, SiteRenderer

__all__ = ["RenderResult", "SiteRenderer"]
