"""pandas: add emotion columns to a DataFrame (``pip install "tone[pandas]"``).

>>> import pandas as pd
>>> df = annotate_frame(pd.DataFrame({"text": ["What a joy!", None, "I am so angry."]}), "text")
>>> df["top"].tolist()
['joy', <NA>, 'anger']
>>> list(df.columns[1:8])
['anger', 'fear', 'joy', 'love', 'sadness', 'surprise', 'top']
>>> df["joy"].isna().tolist()    # a missing text has no scores, not zero scores
[False, True, False]
>>> wide = annotate_frame(pd.DataFrame({"text": ["So happy!"]}), "text", tiers=(1, 2),
...                       scheme="plutchik")
>>> wide[["secondary_cheerfulness", "plutchik_joy", "plutchik_top"]].columns.tolist()
['secondary_cheerfulness', 'plutchik_joy', 'plutchik_top']
"""
from __future__ import annotations

from ..batching import BATCH_SIZE
from ..errors import UsageError, require

__all__ = ["annotate_frame", "columns_for", "PRIMARIES"]

PRIMARIES = ("anger", "fear", "joy", "love", "sadness", "surprise")
TIER_NAMES = {2: "secondary", 3: "tertiary"}


def columns_for(tiers=(1,), scheme: str | None = None, ontology=None) -> list[tuple[str, str]]:
    """The added columns and their dtypes: the 6 primary scores, ``top`` (labels joined by
    commas), ``valence``, ``arousal``, ``dominance``, ``intensity``; with ``tiers`` 2 or 3 the
    scores of every secondary/tertiary concept as ``secondary_<label>``/``tertiary_<label>``;
    with ``scheme`` its categories as ``<scheme>_<category>`` and ``<scheme>_top``."""
    bad = set(tiers) - {1, 2, 3}
    if bad or 1 not in tiers:
        raise UsageError(f"tiers must include 1 and be among 1, 2, 3 (got {tuple(tiers)})")
    columns = ([(p, "float64") for p in PRIMARIES] + [("top", "string")]
               + [(v, "float64") for v in ("valence", "arousal", "dominance", "intensity")])
    if 2 in tiers or 3 in tiers:
        table = _ontology(ontology).table()
        for tier in sorted(set(tiers) - {1}):
            columns += [(f"{TIER_NAMES[tier]}_{label}", "float64")
                        for label, t in zip(table.labels, table.tiers) if int(t) == tier]
    if scheme is not None:
        from ..scoring.schemes import get_scheme

        categories = get_scheme(scheme, _ontology(ontology)).labels
        columns += [(f"{scheme}_{c}", "float64") for c in categories]
        columns.append((f"{scheme}_top", "string"))
    return columns


def _ontology(ontology):
    if ontology is not None:
        return ontology
    from ..defaults import default_ontology

    return default_ontology()


def _missing(value) -> bool:
    pd = require("pandas", "pandas", "tone.annotate_frame")
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like cells are not missing values
        return False


def annotate_frame(df, column: str, annotator=None, batch_size: int = BATCH_SIZE,
                   prefix: str = "", tiers=(1,), scheme: str | None = None,
                   overwrite: bool = False):
    """A copy of ``df`` with the emotion columns of :func:`columns_for` added (named
    ``prefix + name``).

    Missing values (None, NaN, ``pd.NA``) in ``column`` are not annotated: their scores are NaN
    and their ``top`` is ``<NA>``, so means and counts leave them out. Other non-str values are
    annotated as ``str(value)``. A column that already exists raises :class:`UsageError`
    unless ``overwrite=True`` (or choose a ``prefix``)."""
    pd = require("pandas", "pandas", "tone.annotate_frame")
    if column not in df.columns:
        raise UsageError(f"no column {column!r} in the DataFrame; columns: {list(df.columns)}")
    if annotator is None:
        from ..annotator import Annotator

        annotator = Annotator()
    columns = columns_for(tiers, scheme, annotator.ontology)
    clash = [prefix + name for name, _ in columns if prefix + name in df.columns]
    if clash and not overwrite:
        raise UsageError(f"the DataFrame already has the column(s) {clash[:5]}: pass prefix=... "
                         "to name tone's columns apart, or overwrite=True")
    values = df[column].tolist()
    present = [i for i, v in enumerate(values) if not _missing(v)]
    rows = {name: [None] * len(values) for name, _ in columns}
    texts = (v if isinstance(v, str) else str(v) for v in (values[i] for i in present))
    for i, ann in zip(present, annotator.pipe(texts, batch_size=batch_size)):
        for p in PRIMARIES:
            rows[p][i] = ann.primary.get(p, 0.0)
        rows["top"][i] = ",".join(ann.top)
        for v in ("valence", "arousal", "dominance"):
            rows[v][i] = ann.vad[v]
        rows["intensity"][i] = ann.intensity
        for tier in set(tiers) - {1}:
            name = TIER_NAMES[tier]
            for label, score in getattr(ann, name).items():
                rows[f"{name}_{label}"][i] = score
        if scheme is not None:
            scored = ann.in_scheme(scheme, annotator.ontology)
            for category, score in scored.scores.items():
                if f"{scheme}_{category}" in rows:
                    rows[f"{scheme}_{category}"][i] = score
            rows[f"{scheme}_top"][i] = ",".join(scored.top)
    annotated = set(present)
    missing = [i for i in range(len(values)) if i not in annotated]
    added = {}
    for name, dtype in columns:
        cells = rows[name]
        if dtype == "float64":  # an annotated text without this concept scores 0
            cells = [0.0 if c is None else c for c in cells]
            for i in missing:
                cells[i] = float("nan")
        added[prefix + name] = pd.Series(cells, index=df.index, dtype=dtype)
    kept = df.drop(columns=[c for c in added if c in df.columns])
    return pd.concat([kept, pd.DataFrame(added, index=df.index)], axis=1)
