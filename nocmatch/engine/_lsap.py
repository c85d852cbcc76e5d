"""scipy's ``linear_sum_assignment`` without importing all of ``scipy.optimize``.

The assignment itself is a small compiled module, ``scipy.optimize._lsap``; importing it the usual
way first runs ``scipy/optimize/__init__.py``, which loads every optimizer (measured on
2026-12-01: importing ``scipy.optimize`` took 0.87–0.95 s of a cold ``nocmatch match``, this module
0.14–0.23 s, against the 1.5 s target). The compiled module is loaded directly when it is where scipy keeps it, and
through the public import otherwise, so the function is scipy's either way.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path


def _load_direct():
    name = "scipy.optimize._lsap"
    if name in sys.modules:
        return sys.modules[name].linear_sum_assignment
    spec = importlib.util.find_spec("scipy")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "optimize"
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = folder / f"_lsap{suffix}"
        if path.is_file():
            loader = importlib.machinery.ExtensionFileLoader(name, str(path))
            module_spec = importlib.util.spec_from_file_location(name, path, loader=loader)
            module = importlib.util.module_from_spec(module_spec)
            loader.exec_module(module)
            return getattr(module, "linear_sum_assignment", None)
    return None


def _find():
    try:
        found = _load_direct()
    except Exception:  # a scipy laid out differently: the public import is always right
        found = None
    if found is None:
        from scipy.optimize import linear_sum_assignment as found
    return found


linear_sum_assignment = _find()
