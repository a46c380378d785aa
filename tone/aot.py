"""tone's kernels compiled ahead of time: one extension module that runs without Numba.

Importing Numba and loading its cached kernels costs about 0.8 s per process, more than the
rest of a first annotation. So building the package (``pip install .``, a wheel; see
``setup.py``) runs the example annotation on the njit kernels and then compiles every
signature the entry kernels (:data:`ENTRIES`) were called with into ``tone/_aot*.so`` with
``numba.pycc``: the same Python functions, compiled once more into a plain CPython extension.
Beside it, ``tone/_aot.json`` (the manifest) holds a hash of the kernel sources it was compiled
from and, per entry kernel, its exported symbols with their argument types. In a source
checkout, ``python -m tone.aot tone`` compiles them in place.

At run time :func:`kernels` hands out, for one kernel module, callables that take the compiled
function when the extension imports, the manifest's hash matches the installed sources and the
call's argument types are among those compiled; anything else (no extension: an editable
install, ``TONE_BUILD_KERNELS=0``, another Python; changed kernel sources; ``TONE_AOT=0``; new
argument types) goes to the njit kernel, which imports Numba and loads or compiles it as
before (see :mod:`tone.jit_cache`). Both run the same code and give the same results.

>>> k = kernels("tone.lexicon._kernel")
>>> k is kernels("tone.lexicon._kernel")
True
>>> import numpy as np
>>> k.vocab_filter(np.array([3, 7], dtype=np.uint64)).dtype
dtype('uint64')
"""
from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import json
import os
import sys
from pathlib import Path

import numpy as np

__all__ = ["ENTRIES", "kernels", "loaded", "type_key", "build", "MANIFEST"]

_PACKAGE = Path(__file__).resolve().parent
EXTENSION = "_aot"  # tone._aot: the compiled kernels (absent unless the package was built)
MANIFEST = _PACKAGE / "_aot.json"

# The kernels Python code calls (their callees are compiled into them), per kernel module.
ENTRIES = {
    "tone.text._kernel": ("keys_of", "build_lemma_table", "tokenize_cp", "attributes"),
    "tone.lexicon._kernel": ("match_kernel", "edge_filter", "vocab_filter"),
    "tone.rules.kernel": ("apply_rules",),
    "tone.infer.kernel": ("chain", "oppose"),
    "tone.appraisal._kernel": ("cause_clause", "cue_counts"),
}


# ---------------------------------------------------------------------------------------------
# argument types, as Numba would type them (without importing Numba)


def type_key(value):
    """What Numba's dispatcher would compile *value* as, in a form JSON keeps; ``None`` for
    anything the compiled kernels never take.

    >>> type_key(np.zeros(3, dtype=np.int32)), type_key(7), type_key((1.5, True))
    ('a<i4:1:C:w', '<i8', ('<f8', '|b1'))
    """
    if isinstance(value, np.ndarray):
        flags = value.flags
        layout = "C" if flags.c_contiguous else "F" if flags.f_contiguous else "A"
        return (f"a{value.dtype.str}:{value.ndim}:{layout}:{'w' if flags.writeable else 'r'}"
                + ("" if flags.aligned else ":u"))
    if isinstance(value, tuple):
        return tuple(map(type_key, value))
    if isinstance(value, bool):
        return "|b1"
    if isinstance(value, int):
        return "<i8" if -(1 << 63) <= value < (1 << 63) else None
    if isinstance(value, float):
        return "<f8"
    if isinstance(value, np.generic):
        return value.dtype.str
    return None


def _numba_type_key(t):
    """:func:`type_key` of a Numba type (build time)."""
    from numba.core import types
    from numba.np.numpy_support import as_dtype

    if isinstance(t, types.Array):
        return (f"a{as_dtype(t.dtype).str}:{t.ndim}:{t.layout}:{'w' if t.mutable else 'r'}"
                + ("" if t.aligned else ":u"))
    if isinstance(t, types.BaseTuple):
        return tuple(map(_numba_type_key, t.types))
    return as_dtype(t).str


def _freeze(key):
    """A key read back from JSON (lists) as :func:`type_key` makes it (tuples)."""
    return tuple(map(_freeze, key)) if isinstance(key, list) else key


# ---------------------------------------------------------------------------------------------
# which sources the compiled kernels come from


def _module_file(name: str) -> Path:
    path = _PACKAGE.parent.joinpath(*name.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _kernel_sources() -> list[str]:
    """The kernel modules and the tone modules they import at module level (transitively),
    as paths relative to the package: everything compiled into the kernels."""
    todo, seen = list(ENTRIES), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = _module_file(name)
        package = name.rpartition(".")[0] if path.name != "__init__.py" else name
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    todo.append(sub if _module_file(sub).exists() else base)
    return sorted(str(_module_file(n).relative_to(_PACKAGE)) for n in seen)


def _stamp(sources: list[str]) -> str:
    """A hash of the named sources (paths relative to the package)."""
    digest = hashlib.sha256()
    for relative in sources:
        digest.update(relative.encode() + b"\0" + (_PACKAGE / relative).read_bytes() + b"\0")
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# run time


@functools.lru_cache(maxsize=1)
def _compiled() -> tuple[object, dict] | None:
    """(the extension module, the manifest's exports) when both are there and match the
    installed sources; ``None`` otherwise (or under ``TONE_AOT=0``)."""
    if os.environ.get("TONE_AOT") == "0":
        return None
    try:
        manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
        if manifest["stamp"] != _stamp(manifest["sources"]):
            return None  # the kernels changed since the extension was built
        module = importlib.import_module(f"{__package__}.{EXTENSION}")
    except (OSError, ValueError, KeyError, ImportError):
        return None  # not built, unreadable, or built for another Python or numpy
    return module, manifest["exports"]


def loaded() -> bool:
    """Whether the kernels compiled ahead of time are in use (else the njit kernels)."""
    return _compiled() is not None


@functools.lru_cache(maxsize=None)
def _jit(module: str, name: str):
    """The njit kernel (imports Numba; loads it from the cache or compiles it)."""
    from .compile_notice import install

    install()
    return getattr(importlib.import_module(module), name)


class _Kernel:
    """One entry kernel: the compiled function of the call's argument types, else njit
    (imported on first use)."""

    def __init__(self, module: str, name: str, overloads: dict) -> None:
        self.module, self.__name__, self.overloads = module, name, overloads

    def __call__(self, *args):
        function = self.overloads.get(tuple(map(type_key, args)))
        if function is None:
            function = _jit(self.module, self.__name__)
        return function(*args)


class _Kernels:
    """The entry kernels of one kernel module, as attributes."""

    def __init__(self, module: str) -> None:
        compiled = _compiled()
        for name in ENTRIES[module]:
            overloads = {}
            if compiled is not None:
                extension, exports = compiled
                overloads = {_freeze(key): getattr(extension, symbol)
                             for symbol, key in exports.get(module, {}).get(name, [])}
            setattr(self, name, _Kernel(module, name, overloads))


@functools.lru_cache(maxsize=None)
def kernels(module: str) -> _Kernels:
    """The entry kernels of *module* (a key of :data:`ENTRIES`), each an attribute."""
    return _Kernels(module)


# ---------------------------------------------------------------------------------------------
# build time


def build(out_dir: Path) -> dict:
    """Compile every signature the entry kernels were called with in this process into
    ``out_dir/_aot*.so`` and write the manifest ``out_dir/_aot.json``; returns the manifest."""
    from numba.pycc import CC

    cc = CC(EXTENSION, source_module=__name__)
    cc.output_dir = str(out_dir)
    exports: dict = {}
    for module, names in ENTRIES.items():
        kernel_module = importlib.import_module(module)
        for name in names:
            dispatcher = getattr(kernel_module, name)
            for i, result in enumerate(dispatcher.overloads.values()):
                symbol = f"{module.rpartition('.')[0].replace('.', '_')}_{name}_{i}"
                cc.export(symbol, result.signature)(dispatcher.py_func)
                key = [_numba_type_key(t) for t in result.signature.args]
                exports.setdefault(module, {}).setdefault(name, []).append([symbol, key])
    if not exports:
        raise RuntimeError("no kernel was called: nothing to compile")
    cc.compile()
    sources = _kernel_sources()
    manifest = {"stamp": _stamp(sources), "sources": sources, "exports": exports}
    (Path(out_dir) / MANIFEST.name).write_text(json.dumps(manifest, indent=1) + "\n",
                                               encoding="utf-8")
    return manifest


# a valence word ("terrible") in a clause a causal link opens: the appraisal layer's kernel
CAUSE = "He was rude because the weather was terrible."


def _warm_up() -> None:
    """Call the entry kernels as users do: the example annotation, as ``tone annotate
    --example`` runs it, and one sentence that reaches the appraisal layer's kernel."""
    from .annotator import annotate
    from .cli import cli

    code = cli.main(["annotate", "--example", "-q", "-o", os.devnull], standalone_mode=False)
    if code:
        raise SystemExit(f"tone annotate --example failed (exit code {code})")
    annotate(CAUSE)


if __name__ == "__main__":  # python -m tone.aot OUT_DIR (setup.py: OUT_DIR is the built tone/)
    os.environ["TONE_AOT"] = "0"  # call the njit kernels, whatever is installed
    _warm_up()
    done = build(Path(sys.argv[1]))
    print("compiled ahead of time:", ", ".join(
        f"{name} ({len(sigs)})" for module in done["exports"].values()
        for name, sigs in module.items()), flush=True)
