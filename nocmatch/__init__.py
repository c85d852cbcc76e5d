"""nocmatch: which NOC 2021 code do a reference letter's duties support, with the evidence."""

import os as _os
import sys as _sys

#: Set before any dependency is imported, in every process that imports nocmatch (the CLI, a
#: notebook, the review page, the ONNX export child): letters are personal data and nothing may
#: leave the machine or be kept on it.
#: - onnxruntime records usage telemetry on every run under ~/.cache/Microsoft and, in long runs,
#:   looks up Microsoft's event endpoint; only this variable, read when it is imported, stops both
#:   (its ``disable_telemetry_events()`` alone does not).
#: - Hugging Face libraries must never reach a hub: a model is a local folder or already cached.
PRIVATE_ENVIRONMENT = {
    "ORT_DISABLE_TELEMETRY": "1",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}
#: onnxruntime reads its variable once, when imported: a process that imported it before nocmatch
#: without the variable keeps its telemetry on, and the encoder refuses to run in it.
ONNXRUNTIME_TELEMETRY_ON = ("onnxruntime" in _sys.modules
                            and _os.environ.get("ORT_DISABLE_TELEMETRY") != PRIVATE_ENVIRONMENT["ORT_DISABLE_TELEMETRY"])
_os.environ.update(PRIVATE_ENVIRONMENT)

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
        from nocmatch.engine.score import ScoringConfig
        return ScoringConfig
    if name == "NocmatchError":
        from nocmatch.errors import NocmatchError
        return NocmatchError
    raise AttributeError(name)
