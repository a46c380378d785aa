"""tone.integrations.dask on a two-worker LocalCluster: same results, in order, as a single process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [f"{i}: " + ("so happy" if i % 3 else "sad and angry") for i in range(40)] + [""]


@pytest.fixture(scope="module")
def client():
    os.environ["NUMBA_NUM_THREADS"] = "1"
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_annotate_bag_same_as_single_process(client):
    import dask.bag as db

    from tone.annotator import Annotator
    from tone.integrations.dask import annotate_bag

    got = annotate_bag(db.from_sequence(TEXTS, npartitions=4)).compute()
    single = list(Annotator().pipe(TEXTS))
    assert [r["emotions"] for r in got] == [a.to_dict()["emotions"] for a in single]
    assert [r["id"] for r in got] == list(range(len(TEXTS)))  # not restarting per partition
    pids = client.run(os.getpid)
    assert len(set(pids.values())) == 2


def test_annotate_dataframe(client):
    import dask.dataframe as dd

    import tone
    from tone.integrations.dask import annotate_dataframe

    df = pd.DataFrame({"text": TEXTS})
    got = annotate_dataframe(dd.from_pandas(df, npartitions=3), "text").compute()
    want = tone.annotate_frame(df, "text")
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_cli_dask_local_same_output(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("\n".join(TEXTS) + "\n")
    base = [sys.executable, "-m", "tone.cli", "annotate", "-q", str(src), "--batch-size", "7"]
    one = subprocess.run(base, capture_output=True, text=True, cwd=ROOT)
    two = subprocess.run(base + ["--dask", "local:2"], capture_output=True, text=True, cwd=ROOT)
    assert one.returncode == 0 and two.returncode == 0, two.stderr[-2000:]
    assert one.stdout == two.stdout
    assert len([json.loads(x) for x in one.stdout.splitlines()]) == len(TEXTS)


def test_dask_takes_a_users_lexicon(client, tmp_path):
    import dask.bag as db
    import dask.dataframe as dd

    from tone.integrations.dask import annotate_bag, annotate_dataframe

    emolex = tmp_path / "emolex.txt"
    emolex.write_text("bus\tanger\t1\n", encoding="utf-8")
    texts = ["The bus is late.", "What a joy!"]
    got = annotate_bag(db.from_sequence(texts, npartitions=2), lexicon=emolex).compute()
    assert [r["top"] for r in got] == [["anger"], []]
    frame = annotate_dataframe(dd.from_pandas(pd.DataFrame({"text": texts}), npartitions=2),
                               "text", lexicon=emolex).compute()
    assert frame["top"].tolist() == ["anger", ""]
