"""nocmatch: which NOC 2021 code do a reference letter's duties support, with the evidence."""

__version__ = "0.1.0"
__all__ = ["Matcher", "MatchResult", "ScoringConfig", "NocmatchError"]


def __getattr__(name):  # lazy: `import nocmatch` must not pull in torch
    if name == "Matcher":
        from nocmatch.matcher import Matcher
        return Matcher
    if name == "MatchResult":
        from nocmatch.results import MatchResult
        return MatchResult
    if name == "ScoringConfig":
        from nocmatch.score import ScoringConfig
        return ScoringConfig
    if name == "NocmatchError":
        from nocmatch.errors import NocmatchError
        return NocmatchError
    raise AttributeError(name)
