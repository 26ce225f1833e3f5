"""Normalised work names, for duplicate detection across provinces.

Two names are the same work's name when they are equal after: Unicode NFKC
(full-width letters, digits and punctuation become half-width), case folding,
and removing every space, punctuation mark and symbol (《》“”·—！，、 …).
So 《山河·新歌》, 山河新歌 and 山 河 新 歌！ are one name; ＡＢＣ and abc are one name.
"""

from __future__ import annotations

import unicodedata

# Unicode categories dropped: punctuation (P*), symbols (S*), separators (Z*), controls/format (C*).
_DROPPED = ("P", "S", "Z", "C")


def normalise_name(name: str | None) -> str:
    text = unicodedata.normalize("NFKC", name or "").casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in _DROPPED)
