"""OINP Expression of Interest scoring fed by the matched NOC code.

Grids are versioned data files (``grids/OWP2026.json`` current, ``grids/G2022.json`` legacy);
draw facts are dated data (``draws.json``); the municipality → census division → region table is
built from Statistics Canada's geography (``data/ontario_municipalities.csv``).

>>> from nocmatch.eoi import EoiScorer, Profile
>>> scorer = EoiScorer.load()
>>> scorer.score(Profile.from_toml("profile.toml"), grid="G2022").total

Names are imported on first use, so ``nocmatch --help`` does not load pandas through this package.
"""

from importlib import import_module

_EXPORTS = {
    "Municipalities": "geo", "Place": "geo",
    "Grid": "grid", "available_grids": "grid", "load_grid": "grid",
    "Profile": "profile", "TEMPLATE": "profile",
    "EoiReport": "results", "EoiScore": "results",
    "DEFAULT_PLACES": "score", "EoiScorer": "score", "letter_match": "score",
    "score_profile": "score",  # not "score": that name is the submodule
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        module = import_module(f"nocmatch.eoi.{_EXPORTS[name]}")
        return getattr(module, "score" if name == "score_profile" else name)
    raise AttributeError(f"module 'nocmatch.eoi' has no attribute {name!r}")
