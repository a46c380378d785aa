"""The benchmark's dialogue corpora as conversations: gold labels to fit transition tables on
(``tone dialogue fit --dataset``) and each conversation's rows to mix context into
(``tone eval --dialogue``).

MELD, DailyDialog and EmoryNLP come from :func:`tone.evaluate.read_dataset` (their readers
know the files, splits and gold mappings); EmoryNLP's ``train`` (absent from the original
release here) is the MELD authors' re-release of its training part
(``meld/data/emorynlp/emorynlp_train_final.csv``).

>>> import numpy as np
>>> from tone.evaluate import Dataset
>>> from tone.dialogue.context import Mixer
>>> data = Dataset("x", "dev", "", ["a", "b", "c"], dialogues=["1", "1", "2"],
...                speakers=["A", "A", "B"])
>>> mix_dataset(data, np.array([[1.0], [0.5], [1.0]]), np.array([True, True, True]),
...             Mixer(np.eye(1), np.eye(1), alpha=1.0)).round(3).tolist()
[[1.0], [1.381], [1.0]]
"""
from __future__ import annotations

from itertools import groupby

import numpy as np

from ..errors import UsageError

__all__ = ["labelled_dialogues", "mix_dataset", "dialogue_groups"]


def dialogue_groups(dataset) -> list[np.ndarray]:
    """The row indices of each conversation (consecutive rows of one dialogue id)."""
    if dataset.dialogues is None or dataset.speakers is None:
        raise UsageError(f"{dataset.name} has no dialogue structure (dialogue ids and "
                         "speakers); --dialogue works on meld, emorynlp and dailydialog")
    out, start = [], 0
    for _, rows in groupby(dataset.dialogues):
        n = len(list(rows))
        out.append(np.arange(start, start + n))
        start += n
    return out


def mix_dataset(dataset, matrix: np.ndarray, evidence: np.ndarray, mixer) -> np.ndarray:
    """``matrix`` (``[n_docs, n_categories]``) with each conversation's context mixed in."""
    out = np.array(matrix, dtype=np.float64, copy=True)
    for rows in dialogue_groups(dataset):
        out[rows], _ = mixer.run(out[rows], [dataset.speakers[k] for k in rows],
                                 np.asarray(evidence)[rows])
    return out


def labelled_dialogues(name: str, split: str, data_dir=None) -> tuple[str, list, str]:
    """``(scheme, conversations as [(speaker, gold label)], source)`` of a benchmark corpus."""
    from ..evaluate import read_dataset, shared_data_dir

    if name == "emorynlp" and split == "train":
        from ..evaluate_corpora import EMORYNLP_GOLD
        from .readers import read_conversations

        path = (shared_data_dir(data_dir) / "meld" / "data" / "emorynlp" /
                "emorynlp_train_final.csv")
        convs = [[(t.speaker, EMORYNLP_GOLD.get(t.label or "", "neutral")) for t in c.turns]
                 for c in read_conversations([str(path)]) if c.error is None]
        return "feeling-wheel", convs, ("EmoryNLP (Zahiri & Choi 2018) training part, "
                                        "MELD authors' re-release emorynlp_train_final.csv")
    data = read_dataset(name, split, root=data_dir)
    convs = [[(data.speakers[k], data.labels[k][0] if data.labels[k] else "neutral")
              for k in rows] for rows in dialogue_groups(data)]
    return data.scheme, convs, f"{name} {split} ({data.path.rsplit('/', 1)[-1]})"
