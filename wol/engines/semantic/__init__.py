"""Semantic recall: each document's related vocabulary, from a local static-embedding model.

`model` loads the model that ships inside wol (distilled from all-MiniLM-L6-v2
by model2vec; nothing is downloaded), `expansion` turns an entry into the
words it is about but does not use, cached by content hash. The search index
and the static index hold those words in a low-weight field, so `wol search`,
the live API and the reader's box share one ranking (docs/semantic.md).
"""

from .expansion import Expander, semantic_enabled

__all__ = ["Expander", "semantic_enabled"]
