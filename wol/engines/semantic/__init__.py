"""Semantic recall: meaning as vectors, from a local static-embedding model.

`model` loads the model that ships inside wol (distilled from all-MiniLM-L6-v2
by model2vec; nothing is downloaded); `dense` makes a vector of each document
(cached by content hash) and of each word a reader types. `search/fusion.py`
puts them beside the words, the same in `wol search`, the live API and the
reader's box (docs/semantic.md).
"""

from .model import semantic_enabled

__all__ = ["semantic_enabled"]
