"""The shared defaults: the annotator behind :func:`tone.annotate` and the built-in ontology
that scheme scores and data-frame columns read when given none.

Both are built on first use and then reused. This module imports nothing at module level, so
any layer may read the defaults without reaching up into :mod:`tone.annotator`.

>>> from tone.defaults import default_annotator, default_ontology
>>> default_annotator() is default_annotator()
True
>>> default_ontology() is default_ontology()
True
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .annotator import Annotator
    from .ontology import Ontology

__all__ = ["default_annotator", "default_ontology"]

_ANNOTATOR: list = []
_ONTOLOGY: list = []


def default_annotator() -> "Annotator":
    """The default :class:`tone.Annotator` (``Annotator()``), built once, then reused."""
    if not _ANNOTATOR:
        from .annotator import Annotator

        _ANNOTATOR.append(Annotator())
    return _ANNOTATOR[0]


def default_ontology() -> "Ontology":
    """The built-in ontology, shared with the default annotator if that was built first."""
    if not _ONTOLOGY:
        if _ANNOTATOR:
            _ONTOLOGY.append(_ANNOTATOR[0].ontology)
        else:
            from .ontology import Ontology

            _ONTOLOGY.append(Ontology())
    return _ONTOLOGY[0]
