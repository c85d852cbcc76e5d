"""The light runtime of the embedding model: ONNX Runtime + Hugging Face ``tokenizers``.

Importing sentence-transformers (and so torch and transformers) costs about 4 s, more than a whole
``nocmatch match`` should take. ``nocmatch ingest`` therefore exports the model's transformer to
ONNX once, next to the embedding cache, and checks on catalog text that the export reproduces
sentence-transformers' vectors (cosine within :data:`MAX_COSINE_GAP`). Letters are then embedded
with onnxruntime, tokenizers and numpy only. sentence-transformers stays the reference: it builds
the export, and it is used whenever a model cannot be exported (a pooling or module this runtime
does not reproduce) or the export is missing or damaged.

Only the common sentence-transformers shape is exported: ``Transformer → Pooling (mean, cls or
max) → optional Normalize``; anything else is left to sentence-transformers.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from nocmatch.errors import NocmatchError
from nocmatch.files import file_sha256

RUNTIME_FORMAT = 1
#: Largest 1 − cosine allowed between the ONNX and the sentence-transformers vector of one text.
MAX_COSINE_GAP = 1e-5
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
SPEC_FILE = "runtime.json"
#: Padded tokens per forward pass: caps the work (and memory) of a batch of long texts.
TOKENS_PER_BATCH = 1024


_POOL_LOCK = threading.Lock()


def default_workers() -> int:
    """The cores this process may run on (the batches of one encode call run in parallel)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class RuntimeSpec:
    """What the exported runtime needs to reproduce the model's sentence vectors."""

    format: int
    model_id: str
    input_names: list[str]
    pooling: str          #: "mean", "cls" or "max"
    normalize: bool
    max_seq_length: int
    dimension: int
    pad_token: str
    pad_id: int
    model_sha256: str
    max_cosine_gap: float  #: measured at export on catalog text


def runtime_folder(models_dir: Path, model_id: str) -> Path:
    """Where the export of ``model_id`` lives under the models folder."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", model_id.split("@")[0])[-60:]
    key = hashlib.sha256(model_id.encode()).hexdigest()[:16]
    return models_dir / slug / f"onnx-{key}"


class OnnxSentenceEncoder:
    """Sentence vectors from an exported model, without torch.

    Use :meth:`load` (returns None when there is no valid export) rather than the constructor.
    """

    def __init__(self, folder: Path, spec: RuntimeSpec, workers: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.folder = folder
        self.spec = spec
        self.workers = workers or default_workers()
        options = ort.SessionOptions()
        options.log_severity_level = 3
        # Batches run side by side, each on one thread (Run() may be called from several threads
        # at once), rather than one batch at a time split across the cores: no thread waits for
        # another inside an operator, and the cores stay free for other work between batches.
        # Measured on 2 cores: 327 sentences/s against 288 with one batch on two threads.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"])
        self._pool = None
        self.tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self.tokenizer.enable_truncation(spec.max_seq_length)
        self.tokenizer.no_padding()  # batches are padded by encode(), after sorting by length

    @classmethod
    def load(cls, folder: Path, model_id: str, *, check_digest: bool = True) -> "OnnxSentenceEncoder | None":
        """The export in ``folder`` for ``model_id``, or None when absent, stale or damaged."""
        import nocmatch
        if nocmatch.ONNXRUNTIME_TELEMETRY_ON:
            raise NocmatchError("onnxruntime was imported before nocmatch with its usage telemetry on; import "
                                "nocmatch first, or set ORT_DISABLE_TELEMETRY=1 before starting Python")
        try:
            spec = RuntimeSpec(**json.loads((folder / SPEC_FILE).read_text(encoding="utf-8")))
            if spec.format != RUNTIME_FORMAT or spec.model_id != model_id:
                return None
            if check_digest and file_sha256(folder / MODEL_FILE) != spec.model_sha256:
                return None
            return cls(folder, spec)
        except Exception:  # a missing, unreadable or corrupt export is rebuilt, never trusted
            return None

    @property
    def dimension(self) -> int:
        return self.spec.dimension

    def encode(self, texts: list[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
        """Unit (or raw, if the model does not normalise) float32 sentence vectors of ``texts``.

        Texts are tokenised once, sorted by length and cut into batches of at most ``batch_size``
        texts and :data:`TOKENS_PER_BATCH` padded tokens: long texts go in small batches (measured
        here: 516 lead statements embed 1.7× faster 8 at a time than 64), short ones in full batches.
        A few texts (one letter) are spread over at least ``workers`` batches, and the batches
        run on ``workers`` threads.
        """
        out = np.zeros((len(texts), self.spec.dimension), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts))
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(-lengths, kind="stable")
        spread = -(-len(texts) // self.workers)  # ceil: every worker gets a batch
        batches, start = [], 0
        while start < len(order):
            size = max(1, min(batch_size, spread, TOKENS_PER_BATCH // max(1, lengths[order[start]])))
            batches.append(order[start:start + size])
            start += size

        def run(rows: np.ndarray) -> None:
            width = int(lengths[rows[0]])  # the longest of the batch: rows are sorted by length
            ids = np.full((len(rows), width), self.spec.pad_id, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                ids[r, :lengths[i]] = encodings[i].ids
                mask[r, :lengths[i]] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            tokens = self.session.run(None, {k: feeds[k] for k in self.spec.input_names})[0]
            out[rows] = _pool(tokens, mask, self.spec.pooling)

        done = map(run, batches) if self.workers == 1 or len(batches) == 1 else self._threads().map(run, batches)
        if progress:
            from tqdm.auto import tqdm
            done = tqdm(done, total=len(batches), desc="Batches", unit="batch")
        for _ in done:  # consumes the map; an error in a batch is raised here
            pass
        if self.spec.normalize:
            out /= np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None)
        return out

    def _threads(self):
        with _POOL_LOCK:  # letters may be matched from several threads (the review page)
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="nocmatch-onnx")
        return self._pool


def _pool(tokens: np.ndarray, mask: np.ndarray, mode: str) -> np.ndarray:
    if mode == "cls":
        return tokens[:, 0]
    weights = mask[..., None].astype(tokens.dtype)
    if mode == "max":
        return np.where(weights > 0, tokens, -1e9).max(axis=1)
    return (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)


def _exportable(model) -> tuple[str, bool] | None:
    """``(pooling, normalize)`` when ``model`` has the shape this runtime reproduces, else None."""
    modules = list(model)
    kinds = [type(m).__name__ for m in modules]
    if kinds[:2] != ["Transformer", "Pooling"] or kinds[2:] not in ([], ["Normalize"]):
        return None
    pooling = modules[1]
    config = pooling.get_config_dict() if hasattr(pooling, "get_config_dict") else {}
    mode = config.get("pooling_mode") or next(
        (m for m in ("mean", "cls", "max") if config.get(f"pooling_mode_{m}_tokens")), None)
    mode = {"mean": "mean", "cls": "cls", "max": "max", "mean_tokens": "mean"}.get(str(mode))
    if mode is None or not getattr(modules[0], "tokenizer", None) or not modules[0].tokenizer.is_fast:
        return None
    return mode, kinds[2:] == ["Normalize"]


class ExportUnavailable(Exception):
    """The model cannot be served by the light runtime; sentence-transformers is used instead."""


def export_runtime(model, model_id: str, folder: Path, check_texts: list[str]) -> RuntimeSpec:
    """Export a loaded ``SentenceTransformer`` to ``folder`` and check it on ``check_texts``.

    Raises :class:`ExportUnavailable` (and leaves no export behind) when the model's shape is not
    one this runtime reproduces, the export fails, or its vectors differ from sentence-transformers'.
    """
    shape = _exportable(model)
    if shape is None:
        raise ExportUnavailable("modules other than Transformer → Pooling → Normalize, or no fast tokenizer")
    import torch

    transformer = model[0]
    tokenizer = transformer.tokenizer
    input_names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in tokenizer.model_input_names]
    if input_names[:2] != ["input_ids", "attention_mask"]:
        raise ExportUnavailable(f"unexpected tokenizer inputs {tokenizer.model_input_names}")

    class _Tokens(torch.nn.Module):  # positional inputs → last hidden state, whatever forward() takes
        def __init__(self, auto_model):
            super().__init__()
            self.auto_model = auto_model

        def forward(self, *inputs):
            return self.auto_model(**dict(zip(input_names, inputs))).last_hidden_state

    staging = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        sample = tokenizer(["a short sentence", "another one"], return_tensors="pt", padding=True)
        axes = {name: {0: "batch", 1: "tokens"} for name in input_names + ["last_hidden_state"]}
        with torch.no_grad(), warnings.catch_warnings():
            # the TorchScript exporter on purpose: the dynamo one needs onnxscript and gains nothing here
            warnings.simplefilter("ignore", DeprecationWarning)
            torch.onnx.export(_Tokens(transformer.auto_model.eval()), tuple(sample[n] for n in input_names),
                              str(staging / MODEL_FILE), input_names=input_names,
                              output_names=["last_hidden_state"], dynamic_axes=axes, opset_version=17,
                              dynamo=False)
        tokenizer.backend_tokenizer.save(str(staging / TOKENIZER_FILE))
        spec = RuntimeSpec(format=RUNTIME_FORMAT, model_id=model_id, input_names=input_names, pooling=shape[0],
                           normalize=shape[1], max_seq_length=int(model.max_seq_length),
                           dimension=int((getattr(model, "get_embedding_dimension", None)
                                          or model.get_sentence_embedding_dimension)()),
                           pad_token=tokenizer.pad_token, pad_id=int(tokenizer.pad_token_id),
                           model_sha256=file_sha256(staging / MODEL_FILE), max_cosine_gap=0.0)
        light = OnnxSentenceEncoder(staging, spec).encode(check_texts)
        reference = model.encode(check_texts, convert_to_numpy=True, normalize_embeddings=True)
        light /= np.clip(np.linalg.norm(light, axis=1, keepdims=True), 1e-12, None)
        spec.max_cosine_gap = float(np.max(1.0 - np.sum(light * reference, axis=1)))
        if spec.max_cosine_gap > MAX_COSINE_GAP:
            raise ValueError(f"export differs from sentence-transformers (1 - cosine = {spec.max_cosine_gap:.2e})")
        (staging / SPEC_FILE).write_text(json.dumps(asdict(spec), indent=2), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        staging.replace(folder)
        return spec
    except Exception as exc:
        shutil.rmtree(staging, ignore_errors=True)
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ExportUnavailable(first) from exc
