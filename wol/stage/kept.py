"""A value a step store keeps pickled until it is first read: what makes loading a store cheap.

A build after an edit reuses nearly every step, and reads few of the values it reuses
(it renders only what changed). Unpickling 10,000 pages' front matter, or 10,000
documents' events, costs more than the rest of their staging; a `Kept` value is only
its digest and its bytes until something asks for it.
"""

from __future__ import annotations

import pickle


class Kept:
    """A value and its digest; from a store, its pickle, unpickled when `value` is first read.
    Pickles as itself (the digest and the bytes), never as the value. Equal when the digests are."""

    __slots__ = ("digest", "_blob", "_value")

    def __init__(self, blob: bytes | None, digest: str, value=None):
        self._blob, self.digest, self._value = blob, digest, value

    @classmethod
    def of(cls, value, digest: str) -> "Kept":
        """The value kept as it is (pickled only when the store is saved)."""
        return value if isinstance(value, cls) else cls(None, digest, value)

    @property
    def value(self):
        if self._value is None:
            self._value = pickle.loads(self._blob)
        return self._value

    @property
    def read(self) -> bool:
        """Whether the value is at hand (unpickled, or never pickled)."""
        return self._value is not None

    def __reduce_ex__(self, protocol):
        if self._blob is None:
            self._blob = pickle.dumps(self._value, protocol=pickle.HIGHEST_PROTOCOL)
        # protocol 5: the bytes may travel out of band (`cachefiles.save_dict` leaves them out of its pickle,
        # and its load gives back a view of the file, which `value` unpickles from as it would from bytes)
        return type(self), (pickle.PickleBuffer(self._blob) if protocol >= 5 else self._blob, self.digest)

    def __eq__(self, other) -> bool:
        if isinstance(other, Kept):
            return self.digest == other.digest
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.digest)
