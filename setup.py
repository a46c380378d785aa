"""Build hook: compile tone's Numba kernels into the package, so the first run loads them.

Everything else is in setup.cfg. ``build_py`` copies the package as usual, then, from the
built copy:

1. runs ``tone annotate --example`` with its kernel cache pointed at ``tone/_jit/`` inside it
   (see tone/jit_cache.py, which seeds the user's cache from there);
2. runs ``python -m tone.aot``, which compiles the kernels that run called into the extension
   module ``tone/_aot*.so`` with ``numba.pycc`` (see tone/aot.py: annotating then needs no
   Numba at all; it needs a C compiler and Python's headers here).

The build needs no network beyond the build requirements. It is skipped for editable installs,
when ``TONE_BUILD_KERNELS=0``, and, with a warning, when the kernels cannot be compiled here
(the kernels then compile on first use, as they always could; without step 2 they load from
the bundle of step 1).
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py


def _remove_compiled(package: Path) -> None:
    """Remove the kernels compiled ahead of time (tone/_aot*.so, tone/_aot.json)."""
    for built in package.glob("_aot.*"):
        built.unlink()


class build_py_with_kernels(build_py):
    def run(self):
        super().run()
        build_lib = Path(self.build_lib).resolve()
        package = build_lib / "tone"
        bundle = package / "_jit"
        shutil.rmtree(bundle, ignore_errors=True)  # never ship a bundle of an earlier build
        _remove_compiled(package)  # nor its compiled kernels
        if self.editable_mode or os.environ.get("TONE_BUILD_KERNELS") == "0":
            return
        with tempfile.TemporaryDirectory() as scratch:
            path = os.pathsep.join(filter(None, [str(build_lib), os.environ.get("PYTHONPATH")]))
            env = dict(os.environ, PYTHONPATH=path, TONE_JIT_CACHE_DIR=str(bundle),
                       TONE_CACHE_DIR=scratch, PYTHONDONTWRITEBYTECODE="1", TONE_AOT="0")
            env.pop("NUMBA_CACHE_DIR", None)
            print("compiling tone's kernels into the package (about a minute)", flush=True)
            done = subprocess.run([sys.executable, "-m", "tone", "annotate", "--example", "-q",
                                   "-o", os.devnull], env=env, cwd=scratch)
            if done.returncode != 0:
                shutil.rmtree(bundle, ignore_errors=True)
                print("warning: tone's kernels were not compiled into the package; "
                      "they will compile on first use", file=sys.stderr)
                return
            print("compiling tone's kernels ahead of time (tone/_aot)", flush=True)
            fresh = Path(scratch) / "cache"  # nothing cached: every kernel runs, keys_of too
            done = subprocess.run([sys.executable, "-m", "tone.aot", str(package)],
                                  env=dict(env, TONE_CACHE_DIR=str(fresh)), cwd=scratch)
        if done.returncode != 0:
            _remove_compiled(package)
            print("warning: tone's kernels were not compiled ahead of time; they will load "
                  "with Numba (from the package's bundle)", file=sys.stderr)


class CompiledDistribution(Distribution):
    """A distribution whose wheel holds a compiled extension (tone/_aot*.so), so the wheel is
    tagged for this Python and platform rather than as pure Python."""

    def has_ext_modules(self):
        return os.environ.get("TONE_BUILD_KERNELS") != "0"


setup(cmdclass={"build_py": build_py_with_kernels}, distclass=CompiledDistribution)
