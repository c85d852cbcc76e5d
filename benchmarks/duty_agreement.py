"""Agreement between the two independent duty labellers (``benchmarks/data/duty_labels``).

Run from the repository root::

    .venv/bin/python benchmarks/duty_agreement.py

Labeller A labelled every letter; labeller B, working apart, a third of them (every third letter of
the sorted list of all sets). The blind set's own labels (``benchmarks/data/blind_letters/duty_labels``)
have the same shape: in each batch one labeller every letter (C; E; G; I), another a third (D; F; H; J), all apart from
A, B, each other and the code. On the
(letter, code, duty) triples both labellers of a pair labelled it reports, with scikit-learn's metrics:

* raw agreement and Cohen's kappa on the three classes (2 clearly / 1 partly / 0 not), unweighted
  and linearly weighted;
* agreement and kappa on the "clearly evidenced" judgment (2 against 1 or 0), the one the
  evidence model is judged on;
* the same on the lead statement, and agreement on the verdict (supported / not supported).

Writes ``benchmarks/results/duty_agreement.json`` and ``duty_agreement.md``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from sklearn.metrics import cohen_kappa_score, confusion_matrix

from nocmatch.engine.duty_training import read_csv_rows

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "benchmarks" / "data" / "duty_labels"
#: (folder, the labeller of every letter, the second labeller): the pairs whose agreement is reported
BLIND_LABELS = REPO / "benchmarks" / "data" / "blind_letters" / "duty_labels"
PAIRS = ((LABELS, "A", "B"), (BLIND_LABELS, "C", "D"), (BLIND_LABELS, "E", "F"), (BLIND_LABELS, "G", "H"),
         (BLIND_LABELS, "I", "J"))
RESULTS = REPO / "benchmarks" / "results"


def read_rows(pattern: str, folder: Path = LABELS) -> list[dict]:
    """Rows of every ``pattern`` file of a labels folder (a labeller's parts together)."""
    return read_csv_rows(sorted(folder.glob(pattern)))


def by_key(rows: list[dict], key: tuple[str, ...]) -> dict[tuple, dict]:
    return {tuple(row[k] for k in key): row for row in rows}


def agreement(first: list[int], second: list[int]) -> dict:
    """Raw agreement, Cohen's kappa (and linearly weighted kappa on more than two classes)."""
    out = {"n": len(first), "agreement": round(sum(a == b for a, b in zip(first, second)) / len(first), 4),
           "kappa": round(float(cohen_kappa_score(first, second)), 4)}
    if len(set(first) | set(second)) > 2:
        out["kappa_linear"] = round(float(cohen_kappa_score(first, second, weights="linear")), 4)
    return out


def measure(folder: Path = LABELS, first: str = "A", second: str = "B") -> dict:
    """Agreement of labeller ``second`` with labeller ``first`` on what both labelled in ``folder``."""
    a_duties, b_duties = read_rows(f"labels_{first}*.csv", folder), read_rows(f"labels_{second}*.csv", folder)
    a_verdicts, b_verdicts = read_rows(f"verdicts_{first}*.csv", folder), read_rows(f"verdicts_{second}*.csv", folder)
    duty_key, verdict_key = ("set", "letter", "code", "position"), ("set", "letter", "code")
    a, b = by_key(a_duties, duty_key), by_key(b_duties, duty_key)
    shared = sorted(set(a) & set(b))
    labels_1 = [int(a[k]["label"]) for k in shared]
    labels_2 = [int(b[k]["label"]) for k in shared]
    av, bv = by_key(a_verdicts, verdict_key), by_key(b_verdicts, verdict_key)
    shared_codes = sorted(set(av) & set(bv))
    report = {
        "folder": str(folder.relative_to(REPO)), "labellers": [first, second],
        "letters": {"first": len({(r["set"], r["letter"]) for r in a_verdicts}),
                    "second": len({(r["set"], r["letter"]) for r in b_verdicts}),
                    "both": len({k[:2] for k in shared_codes})},
        "duties_3_classes": agreement(labels_1, labels_2),
        "duties_clear": agreement([x == 2 for x in labels_1], [x == 2 for x in labels_2]),
        "duties_confusion": {"labels": [0, 1, 2],
                             "rows_first_columns_second": confusion_matrix(labels_1, labels_2, labels=[0, 1, 2]).tolist()},
        "lead": agreement([int(av[k]["lead"]) for k in shared_codes], [int(bv[k]["lead"]) for k in shared_codes]),
        "verdict": agreement([av[k]["verdict"] == "supported" for k in shared_codes],
                             [bv[k]["verdict"] == "supported" for k in shared_codes]),
        "label_shares_first": dict(sorted(Counter(int(r["label"]) for r in a_duties).items())),
        "by_set": {},
    }
    for name in sorted({k[0] for k in shared}):
        keys = [k for k in shared if k[0] == name]
        report["by_set"][name] = agreement([int(a[k]["label"]) == 2 for k in keys], [int(b[k]["label"]) == 2 for k in keys])
    return report


def markdown(report: dict) -> str:
    first, second = report["labellers"]
    rows = [("duty, 3 classes (2/1/0)", report["duties_3_classes"]), ("duty, clearly evidenced (2 vs 1/0)",
            report["duties_clear"]), ("lead statement (2/1/0)", report["lead"]), ("verdict (supported or not)",
            report["verdict"])]
    out = [f"## Labellers {first} and {second} (`{report['folder']}`)", "",
           f"Letters labelled by {first}: {report['letters']['first']}; by {second} (independently): "
           f"{report['letters']['second']}; by both: {report['letters']['both']}.", "",
           "| judgment | pairs | agreement | Cohen's kappa | linearly weighted kappa |", "|---|---|---|---|---|"]
    for name, m in rows:
        weighted = f"{m['kappa_linear']:.3f}" if "kappa_linear" in m else "–"
        out.append(f"| {name} | {m['n']} | {m['agreement']:.3f} | {m['kappa']:.3f} | {weighted} |")
    out += ["", "Clearly-evidenced agreement by letter set:", "", "| set | pairs | agreement | kappa |", "|---|---|---|---|"]
    out += [f"| {name} | {m['n']} | {m['agreement']:.3f} | {m['kappa']:.3f} |" for name, m in report["by_set"].items()]
    matrix = report["duties_confusion"]["rows_first_columns_second"]
    out += ["", f"Duty labels, {first} (rows) against {second} (columns):", "", "| {} \\ {} | 0 | 1 | 2 |".format(first, second),
            "|---|---|---|---|"]
    out += [f"| {label} | {' | '.join(str(n) for n in row)} |" for label, row in zip((0, 1, 2), matrix)]
    return "\n".join(out) + "\n"


def main() -> None:
    reports = [measure(folder, first, second) for folder, first, second in PAIRS if folder.is_dir()]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "duty_agreement.json").write_text(json.dumps(reports, indent=2) + "\n", encoding="utf-8")
    text = "# Duty-label agreement between independent labellers\n\n" + "\n".join(markdown(r) for r in reports)
    (RESULTS / "duty_agreement.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
