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
    assert out["top"].tolist() == ["joy", pd.NA, "anger"]
    assert pd.isna(out.loc[20, "intensity"]) and "joy" not in df.columns


def test_missing_texts_are_missing_scores_not_zero():
    import tone

    df = pd.DataFrame({"text": ["What a joy!", None, pd.NA, float("nan"), "The bus is late."]})
    out = tone.annotate_frame(df, "text")
    assert out["joy"].isna().tolist() == [False, True, True, True, False]
    assert out.loc[4, "joy"] == 0.0 and out.loc[4, "top"] == ""
    assert out["joy"].mean() == pytest.approx(out.loc[0, "joy"] / 2)  # NaN left out
    assert str(out["top"].dtype) == "string"


def test_existing_columns_are_not_overwritten_silently():
    import tone
    from tone.errors import UsageError

    df = pd.DataFrame({"text": ["What a joy!"], "joy": ["mine"]})
    with pytest.raises(UsageError, match="prefix"):
        tone.annotate_frame(df, "text")
    assert tone.annotate_frame(df, "text", prefix="tone_")["joy"].tolist() == ["mine"]
    assert tone.annotate_frame(df, "text", overwrite=True)["joy"].tolist()[0] > 0


def test_finer_tiers_and_schemes_as_columns():
    import tone

    out = tone.annotate_frame(pd.DataFrame({"text": ["I am furious.", "So happy!"]}), "text",
                              tiers=(1, 2, 3), scheme="plutchik")
    assert out.loc[0, "secondary_rage"] > 0 and out.loc[0, "tertiary_fury"] > 0
    assert out.loc[1, "plutchik_joy"] > 0 and out["plutchik_top"].tolist() == ["anger", "joy"]
    assert out.columns.is_unique


def test_annotate_frame_unknown_column():
    import tone
    from tone.errors import UsageError

    with pytest.raises(UsageError):
        tone.annotate_frame(pd.DataFrame({"a": ["x"]}), "text")
