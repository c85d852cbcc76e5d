"""Ingestion: locate the two official NOC 2021 CSVs, parse and validate them, embed the catalog."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

from nocmatch.config import DEFAULT_MODEL, default_data_dir, default_models_dir


@dataclass
class IngestReport:
    """What ``nocmatch ingest`` did."""

    source_folder: str
    catalog_folder: str
    catalog_sha256: str
    counts: dict
    sources: dict
    model: str
    embeddings_path: str
    embeddings_rebuilt: bool
    runtime: str  #: how letters will be embedded: "onnx (…)" or "sentence-transformers (why)"
    seconds: float

    def to_dict(self) -> dict:
        return asdict(self)


def ingest(source: str | Path | None = None, data_dir: Path | None = None, models_dir: Path | None = None,
           model: str = DEFAULT_MODEL, progress: bool = True) -> IngestReport:
    """Build the catalog from the official files and cache its embeddings.

    Parameters
    ----------
    source : str or Path, optional
        A folder with the two CSVs, or a base URL (http/https/file) serving them. None: use
        ``data_dir`` if the files are there, else download them from Statistics Canada.
    data_dir, models_dir : Path, optional
        Where the catalog (``data/noc2021``) and the embedding caches (``models/``) go.
    model : str
        The sentence-transformers model to embed with.
    """
    from nocmatch.engine.embed import Encoder, ensure_embeddings, light_runtime_check_texts
    from nocmatch.ingest.parse import build_catalog
    from nocmatch.ingest.sources import ELEMENTS_FILE, STRUCTURE_FILE, resolve_source

    started = time.perf_counter()
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    models_dir = Path(models_dir) if models_dir else default_models_dir()
    folder = resolve_source(source, data_dir, progress=progress)
    catalog = build_catalog(folder / STRUCTURE_FILE, folder / ELEMENTS_FILE)
    catalog_folder = catalog.save(data_dir / "catalog")
    encoder = Encoder(model, models_dir=models_dir)
    embeddings, rebuilt = ensure_embeddings(catalog, encoder, models_dir, progress=progress)
    runtime = encoder.export_light_runtime(light_runtime_check_texts(catalog))
    from nocmatch.matcher import Matcher
    Matcher.completed(catalog, embeddings, encoder, models_dir, progress=progress)  # lexicon, duty-evidence models
    return IngestReport(
        source_folder=str(folder), catalog_folder=str(catalog_folder), catalog_sha256=catalog.sha256,
        counts=catalog.manifest["counts"], sources=catalog.manifest["sources"], model=model,
        embeddings_path=str(embeddings.cache_path(models_dir)), embeddings_rebuilt=rebuilt, runtime=runtime,
        seconds=round(time.perf_counter() - started, 2))
