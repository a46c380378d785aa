"""tone.annotate_frame (pandas)."""
from __future__ import annotations

import pytest

pd = pytest.importorskip("pandas")


def test_annotate_frame_adds_columns():
    import tone

    df = pd.DataFrame({"text": ["What a joy!", None, "I am so angry."], "n": [1, 2, 3]},
                      index=[10, 20, 30])
    out = tone.annotate_frame(df, "text")
    assert list(out.index) == [10, 20, 30] and list(out["n"]) == [1, 2, 3]
    for col in ("anger", "fear", "joy", "love", "sadness", "surprise", "top", "valence",
                "arousal", "dominance", "intensity"):
        assert col in out.columns
    assert out["top"].tolist() == ["joy", "", "anger"]
    assert out.loc[20, "intensity"] == 0.0 and "joy" not in df.columns


def test_annotate_frame_unknown_column():
    import tone
    from tone.errors import UsageError

    with pytest.raises(UsageError):
        tone.annotate_frame(pd.DataFrame({"a": ["x"]}), "text")
