"""Name suggestions for rule files: the nearest known name to a misspelled one.

>>> nearest("joyy", ["joy", "fear", "sadness"])
'joy'
>>> nearest("tone:isComposedOff", ["tone:isComposedOf", "tone:isOppositeOf"])
'tone:isComposedOf'
>>> nearest("xyzzy", ["joy", "fear"]) is None
True
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["nearest"]


def nearest(name: str, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The known name closest to ``name`` (:func:`difflib.get_close_matches`, compared
    case-insensitively), or None when none is close enough."""
    known = list(dict.fromkeys(str(k) for k in known))
    by_lower = {k.lower(): k for k in reversed(known)}
    close = difflib.get_close_matches(str(name).lower(), list(by_lower), n=1, cutoff=cutoff)
    return by_lower[close[0]] if close else None
