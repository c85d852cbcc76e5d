"""Does fine-tuning the embedding model on labelled duty pairs improve duty-evidence detection?

Run from the repository root::

    .venv/bin/python benchmarks/evidence_finetune.py --out /tmp/ft    # pairs built from the repository

The pairs (built from the repository's duty labels, or read from ``--pairs``) hold (letter clause, official NOC duty)
pairs labelled by a reviewer (2 clearly evidenced, 1 partly, 0 not) with a ``fold`` column grouped by letter
and ``cos``, the pair's cosine under the base model. On the clear pairs (2 = positive, 0 = negative; label 1 is left out of
training and metrics) it measures, fold by fold, the ROC AUC and the F1 at a threshold chosen on
the training folds of the base cosine against the cosine of a copy of the default model fine-tuned
on the training folds. The loss and the number of epochs are chosen per fold on an inner split of
the training folds (one training fold held out), never on the test fold.

It then fine-tunes one model on every clear pair with the settings chosen most often, saves it,
exports it with the project's ONNX exporter and checks the export against sentence-transformers.

Writes to ``--out``: ``heldout_cos.csv`` (row, fold, ft_cos: every pair, in the CSV's order),
``metrics.json``, ``full_model/`` and ``onnx/``. Everything is local: it never needs the network.
Training uses sentence-transformers' legacy ``old_fit`` loop, because its ``SentenceTransformerTrainer``
and ``fit`` need ``datasets`` and ``accelerate``, which the project does not install.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import math
import random
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.metrics import f1_score, precision_recall_curve, roc_auc_score

import nocmatch  # noqa: F401  (first: it sets the offline, no-telemetry environment)
from nocmatch.engine.embed import Encoder, resolve_model
from nocmatch.engine.embed_onnx import OnnxSentenceEncoder, export_runtime

LOSSES = ("cosine", "contrastive")
BATCH_SIZE = 16
LEARNING_RATE = 2e-5
WARMUP = 0.1
SEED = 13


def repository_pairs() -> pd.DataFrame:
    """The (paired clause, official duty, label) rows of labeller A's duty labels, with the folds of
    :func:`nocmatch.engine.duty_training.cross_validated` (grouped by letter) and the base model's cosine."""
    from sklearn.model_selection import GroupKFold

    from nocmatch.engine.duty_evidence import FEATURES
    from nocmatch.engine.duty_training import build_training_set, default_labels_dir
    from nocmatch.matcher import Matcher

    matcher = Matcher.load()
    data = build_training_set(matcher, default_labels_dir())
    letters_of_code = np.array([info["letter"] for info in data.codes])
    fold_of_code = np.zeros(len(data.codes), dtype=int)
    for k, (_, test) in enumerate(GroupKFold(5).split(letters_of_code, groups=letters_of_code)):
        fold_of_code[test] = k
    duty_texts = {}
    rows = []
    for i, ((set_name, letter, code, position), unit) in enumerate(zip(data.duty_keys, data.units)):
        if unit is None:
            continue
        if code not in duty_texts:
            duty_texts[code] = {d.position: d.text for d in matcher.catalog.unit(code).duties}
        rows.append({"set": set_name, "letter": letter, "code": code, "position": position,
                     "label": int(data.label[i]), "unit_text": unit, "duty_text": duty_texts[code][position],
                     "fold": int(fold_of_code[data.code_of_row[i]]), "cos": float(data.X[i, FEATURES.index("cos")])})
    return pd.DataFrame(rows)


def load_base():
    """The default model (an offline package) as a ``SentenceTransformer`` on the CPU."""
    from sentence_transformers import SentenceTransformer
    return SentenceTransformer(resolve_model(Encoder().model_name), device="cpu")


def clear(pairs: pd.DataFrame) -> pd.DataFrame:
    """The clearly evidenced (label 2) and not evidenced (label 0) pairs."""
    return pairs[pairs.label.isin([0, 2])]


def pair_cosines(model, pairs: pd.DataFrame) -> np.ndarray:
    """Cosine of each pair's letter clause and duty, each distinct text embedded once."""
    texts = list(dict.fromkeys(pairs.unit_text.tolist() + pairs.duty_text.tolist()))
    vectors = model.encode(texts, batch_size=64, convert_to_numpy=True, normalize_embeddings=True)
    row = {text: i for i, text in enumerate(texts)}
    units = vectors[[row[t] for t in pairs.unit_text]]
    duties = vectors[[row[t] for t in pairs.duty_text]]
    return np.sum(units * duties, axis=1)


def fine_tune(base, pairs: pd.DataFrame, loss: str, epochs: int):
    """A copy of ``base`` trained on the clear ``pairs`` (batch 16, lr 2e-5, 10 % linear warmup).

    ``cosine``: CosineSimilarityLoss towards 1 (label 2) or 0 (label 0); ``contrastive``:
    OnlineContrastiveLoss (hard positives and negatives of each batch, cosine distance, margin 0.5).
    """
    from sentence_transformers import InputExample, losses
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    model = copy.deepcopy(base)
    pairs = clear(pairs)
    examples = [InputExample(texts=[u, d], label=float(y == 2))
                for u, d, y in zip(pairs.unit_text, pairs.duty_text, pairs.label)]
    batches = torch.utils.data.DataLoader(examples, shuffle=True, batch_size=BATCH_SIZE)
    objective = losses.CosineSimilarityLoss(model) if loss == "cosine" else losses.OnlineContrastiveLoss(model)
    model.old_fit([(batches, objective)], epochs=epochs, warmup_steps=math.ceil(WARMUP * epochs * len(batches)),
                  optimizer_params={"lr": LEARNING_RATE}, show_progress_bar=False)
    return model.eval()


def auc(pairs: pd.DataFrame, scores: np.ndarray) -> float:
    """ROC AUC of ``scores`` on the clear pairs of ``pairs`` (row-aligned)."""
    keep = pairs.label.isin([0, 2]).to_numpy()
    return float(roc_auc_score(pairs.label.to_numpy()[keep] == 2, scores[keep]))


def best_threshold(labels: np.ndarray, scores: np.ndarray) -> float:
    """The score at and above which a pair is called evidenced that maximises F1 on these pairs."""
    precision, recall, thresholds = precision_recall_curve(labels == 2, scores)
    f1 = 2 * precision * recall / np.clip(precision + recall, 1e-12, None)
    return float(thresholds[np.argmax(f1[:-1])])


def choose(base, train: pd.DataFrame, candidates: list[tuple[str, int]], inner_fold: int) -> tuple[dict, dict]:
    """The (loss, epochs) whose model ranks the held-out inner fold's clear pairs best (AUC)."""
    if len(candidates) == 1:
        return dict(zip(("loss", "epochs"), candidates[0])), {}
    fit, held = train[train.fold != inner_fold], train[train.fold == inner_fold]
    scores = {f"{loss}/{epochs}": auc(held, pair_cosines(fine_tune(base, fit, loss, epochs), held))
              for loss, epochs in candidates}
    loss, epochs = candidates[int(np.argmax(list(scores.values())))]
    return {"loss": loss, "epochs": epochs}, scores


def run_fold(base, pairs: pd.DataFrame, fold: int, candidates: list[tuple[str, int]]) -> tuple[np.ndarray, dict]:
    """Held-out fine-tuned cosines of ``fold``'s pairs and the fold's metrics, base against fine-tuned."""
    start = time.time()
    train, test = pairs[pairs.fold != fold], pairs[pairs.fold == fold]
    folds = sorted(set(pairs.fold))
    inner_fold = folds[(folds.index(fold) + 1) % len(folds)]  # the next fold, a training one
    chosen, inner = choose(base, train, candidates, inner_fold)
    model = fine_tune(base, train, **chosen)
    ft_test, ft_train = pair_cosines(model, test), pair_cosines(model, clear(train))
    record = {"fold": fold, **chosen, "inner_fold": inner_fold, "inner_auc": inner}
    for name, test_scores, train_scores in (("base", test.cos.to_numpy(), clear(train).cos.to_numpy()),
                                            ("ft", ft_test, ft_train)):
        threshold = best_threshold(clear(train).label.to_numpy(), train_scores)
        keep = test.label.isin([0, 2]).to_numpy()
        record[f"{name}_auc"] = auc(test, test_scores)
        record[f"{name}_threshold"] = threshold
        record[f"{name}_f1"] = float(f1_score(test.label.to_numpy()[keep] == 2, test_scores[keep] >= threshold))
    record["seconds"] = round(time.time() - start, 1)
    print(json.dumps(record), flush=True)
    return ft_test, record


def overall(pairs: pd.DataFrame, ft_cos: np.ndarray, folds: list[dict]) -> dict:
    """Metrics on all held-out clear pairs pooled (each fold at its own threshold)."""
    out = {"fold": "all"}
    for name, scores in (("base", pairs.cos.to_numpy()), ("ft", ft_cos)):
        thresholds = pairs.fold.map({f["fold"]: f[f"{name}_threshold"] for f in folds}).to_numpy()
        keep = pairs.label.isin([0, 2]).to_numpy()
        out[f"{name}_auc"] = auc(pairs, scores)
        out[f"{name}_f1"] = float(f1_score(pairs.label.to_numpy()[keep] == 2, (scores >= thresholds)[keep]))
    return out


def export_and_check(model, folder: Path, out: Path, pairs: pd.DataFrame) -> dict:
    """Save ``model``, export it to ONNX with the project's exporter, and compare 20 pair texts' vectors."""
    model.save(str(folder))
    model_id = Encoder(str(folder)).model_id
    sample = pairs.sample(110, random_state=SEED)
    check = list(dict.fromkeys(sample.unit_text.tolist() + sample.duty_text.tolist()))
    spec = export_runtime(model, model_id, out, check[20:])
    light = OnnxSentenceEncoder.load(out, model_id)
    if light is None:
        raise RuntimeError(f"the export in {out} did not load back")
    texts = check[:20]
    reference = model.encode(texts, convert_to_numpy=True, normalize_embeddings=True)
    onnx = light.encode(texts)
    return {"model_id": model_id, "export_max_cosine_gap": spec.max_cosine_gap,
            "max_abs_diff_20_texts": float(np.max(np.abs(onnx - reference))),
            "max_1_minus_cos_20_texts": float(np.max(1 - np.sum(onnx * reference, axis=1)))}


def markdown(rows: list[dict]) -> str:
    lines = ["| fold | chosen | AUC base | AUC ft | F1 base | F1 ft |", "|---|---|---|---|---|---|"]
    for r in rows:
        chosen = f"{r['loss']}/{r['epochs']}" if "loss" in r else ""
        lines.append(f"| {r['fold']} | {chosen} | {r['base_auc']:.3f} | {r['ft_auc']:.3f} "
                     f"| {r['base_f1']:.3f} | {r['ft_f1']:.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=None,
                        help="labelled pairs CSV with a fold column (default: built from the repository's duty "
                             "labels with the ingested catalog, folds as benchmarks/accuracy.py's)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/ft"), help="output folder")
    parser.add_argument("--epochs", type=int, nargs="+", default=[1], help="candidate epoch counts (1-3)")
    parser.add_argument("--loss", choices=(*LOSSES, "both"), default="both", help="candidate loss(es)")
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    args.out.mkdir(parents=True, exist_ok=True)
    pairs = (pd.read_csv(args.pairs, keep_default_na=False) if args.pairs else repository_pairs()).reset_index(drop=True)
    candidates = list(itertools.product(LOSSES if args.loss == "both" else (args.loss,), args.epochs))
    base = load_base()
    started = time.time()

    ft_cos, folds = np.zeros(len(pairs)), []
    for fold in sorted(set(pairs.fold)):
        rows = (pairs.fold == fold).to_numpy()
        ft_cos[rows], record = run_fold(base, pairs, fold, candidates)
        folds.append(record)
    pd.DataFrame({"row": pairs.index, "fold": pairs.fold, "ft_cos": ft_cos}).to_csv(args.out / "heldout_cos.csv",
                                                                                    index=False)
    table = folds + [overall(pairs, ft_cos, folds)]
    cv_seconds = time.time() - started

    # the settings chosen in most folds; a tie goes to the best mean inner AUC (never a test fold's)
    votes = Counter((f["loss"], f["epochs"]) for f in folds)
    loss, epochs = max(votes, key=lambda c: (votes[c], np.mean([f["inner_auc"].get(f"{c[0]}/{c[1]}", 0)
                                                                for f in folds])))
    full = fine_tune(base, pairs, loss, epochs)
    export = export_and_check(full, args.out / "full_model", args.out / "onnx", pairs)
    result = {"candidates": candidates, "full_model": {"loss": loss, "epochs": epochs}, "table": table,
              "export": export, "seconds": {"cross_validation": round(cv_seconds, 1),
                                            "full_model_and_export": round(time.time() - started - cv_seconds, 1)}}
    (args.out / "metrics.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(markdown(table))
    print(json.dumps({k: result[k] for k in ("full_model", "export", "seconds")}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
