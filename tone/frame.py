"""pandas: add emotion columns to a DataFrame (``pip install "tone[pandas]"``).

>>> import pandas as pd
>>> df = annotate_frame(pd.DataFrame({"text": ["What a joy!", "", "I am so angry."]}), "text")
>>> df["top"].tolist()
['joy', '', 'anger']
>>> list(df.columns[1:8])
['anger', 'fear', 'joy', 'love', 'sadness', 'surprise', 'top']
"""
from __future__ import annotations

from .batching import BATCH_SIZE
from .errors import UsageError, require

__all__ = ["annotate_frame", "columns_for", "PRIMARIES"]

PRIMARIES = ("anger", "fear", "joy", "love", "sadness", "surprise")


def columns_for() -> list[tuple[str, str]]:
    """The added columns and their dtypes: the 6 primary scores, ``top`` (labels joined by
    commas), ``valence``, ``arousal``, ``dominance``, ``intensity``."""
    return ([(p, "float64") for p in PRIMARIES] + [("top", "object")]
            + [(v, "float64") for v in ("valence", "arousal", "dominance", "intensity")])


def annotate_frame(df, column: str, annotator=None, batch_size: int = BATCH_SIZE,
                   prefix: str = ""):
    """A copy of ``df`` with the emotion columns of :func:`columns_for` added (named
    ``prefix + name``). Missing values (NaN/None) in ``column`` count as empty texts."""
    pd = require("pandas", "pandas", "tone.annotate_frame")
    if column not in df.columns:
        raise UsageError(f"no column {column!r} in the DataFrame; columns: {list(df.columns)}")
    if annotator is None:
        from .annotator import Annotator

        annotator = Annotator()
    texts = ["" if (v is None or (isinstance(v, float) and v != v)) else str(v)
             for v in df[column].tolist()]
    rows = {name: [] for name, _ in columns_for()}
    for ann in annotator.pipe(texts, batch_size=batch_size):
        for p in PRIMARIES:
            rows[p].append(ann.primary.get(p, 0.0))
        rows["top"].append(",".join(ann.top))
        for v in ("valence", "arousal", "dominance"):
            rows[v].append(ann.vad[v])
        rows["intensity"].append(ann.intensity)
    out = df.copy()
    for name, dtype in columns_for():
        out[prefix + name] = pd.Series(rows[name], index=df.index, dtype=dtype)
    return out
