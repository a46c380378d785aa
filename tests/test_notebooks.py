"""The notebooks in notebooks/ run top to bottom (nbclient, the running interpreter's python3
kernel), offline, on the bundled data only."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 120  # seconds per cell; the first annotation compiles tone's kernels


def _require():
    for module in ("nbclient", "nbformat", "ipykernel", "matplotlib"):
        pytest.importorskip(module, reason=f"{module} is not installed (pip install "
                                           f"'tone[notebooks]')")


def test_there_are_five_notebooks_with_cleared_outputs():
    nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (pip install "
                                                      "'tone[notebooks]')")
    assert len(NOTEBOOKS) == 5
    for path in NOTEBOOKS:
        nb = nbformat.read(str(path), as_version=4)
        nbformat.validate(nb)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), path.name
        text = "".join(c.source for c in nb.cells)
        assert "../shared" not in "".join(c.source for c in code), path.name
        assert "plotly" not in text, path.name


def _kernel_manager():
    """A python3 kernel run by this interpreter (not whatever ``python3`` is on PATH)."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import KernelManager

    class ThisPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            return KernelSpec(display_name="Python 3", language="python", name="python3",
                              argv=[sys.executable, "-m", "ipykernel_launcher", "-f",
                                    "{connection_file}"])

    return KernelManager(kernel_name="python3", kernel_spec_manager=ThisPython())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, monkeypatch, tmp_path):
    _require()
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("MPLBACKEND", "Agg")
    # tone from this checkout, whatever is installed; no shared data; no WordNet
    path_parts = [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(path_parts))
    monkeypatch.setenv("TONE_SHARED_DATA", str(tmp_path / "no-shared-data"))
    monkeypatch.delenv("NLTK_DATA", raising=False)
    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(nb, km=_kernel_manager(), timeout=CELL_TIMEOUT,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError, naming the cell, on the first error
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
