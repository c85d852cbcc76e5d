"""Evidence and checks built on the scores: duty-by-duty pairs, the title check, the copy check."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

import numpy as np

from nocmatch.catalog import Catalog
from nocmatch.results import DutyEvidence, Evidence, TitleCheck
from nocmatch.score import CodeScore, ScoringConfig

#: Words that qualify a title without changing the occupation ("Senior", "II", "Lead" is kept:
#: "lead developer" is still a developer, but the NOC has "lead" titles of its own).
SENIORITY = re.compile(r"\b(?:senior|sr|junior|jr|intermediate|principal|staff|associate|trainee|intern|chief"
                       r"|level\s*\d|i{1,3}|iv|[1-5])\b\.?", re.I)
#: A title embedding this close to an example title points to that title's code.
TITLE_MATCH_MIN = 0.70
#: A letter sentence this close (cosine) to an official duty *and* this close as text is a copy.
COPY_COSINE_MIN = 0.80
COPY_TEXT_RATIO_MIN = 0.75


#: Runs of letters and digits: normalising a title removes or blanks whole runs, never parts of one.
TITLE_WORD = re.compile(r"[a-z0-9]+")


def normalise_title(title: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", title.lower())
    text = SENIORITY.sub(" ", text)
    text = re.sub(r"[^a-z0-9+#/ ]+", " ", text)
    return " ".join(text.split())


class TitleIndex:
    """Example titles of the catalog, exact (normalised) and by embedding."""

    def __init__(self, catalog: Catalog, title_vectors: np.ndarray, preferred: tuple[str, ...]):
        self.titles = list(catalog.titles["title"])
        self.codes = list(catalog.titles["code"])
        self.vectors = title_vectors
        self.preferred = preferred
        self._rows_with_word: dict[str, list[int]] | None = None

    def exact_rows(self, key: str) -> list[int]:
        """Rows whose normalised title is ``key``.

        Normalising removes whole runs of letters and digits (seniority words, parentheses) or
        blanks other characters, so every such run in a normalised title is one of the lower-cased
        title: only titles holding the key's longest run are normalised (normalising all 29,669 on
        every start would cost a tenth of a second).
        """
        runs = TITLE_WORD.findall(key)
        if not runs:
            return [i for i, title in enumerate(self.titles) if key and normalise_title(title) == key]
        if self._rows_with_word is None:  # built on first use: ~30 ms, then ~0.1 ms a look-up
            index: dict[str, list[int]] = {}
            for i, title in enumerate(self.titles):
                for word in set(TITLE_WORD.findall(title.lower())):
                    index.setdefault(word, []).append(i)
            self._rows_with_word = index
        probe = max(runs, key=len)
        return [i for i in self._rows_with_word.get(probe, ()) if normalise_title(self.titles[i]) == key]

    def check(self, title: str | None, vector: np.ndarray | None) -> TitleCheck:
        if not title:
            return TitleCheck(None, None, None, 0.0, "none")
        rows = self.exact_rows(normalise_title(title))
        if rows:
            # a title listed under several codes: prefer a candidate code, then the first listed
            rows = sorted(rows, key=lambda r: (self.codes[r] not in self.preferred, r))
            return TitleCheck(title, self.codes[rows[0]], self.titles[rows[0]], 1.0, "exact")
        if vector is not None and len(self.vectors):
            sims = self.vectors @ vector
            best = int(np.argmax(sims))
            if sims[best] >= TITLE_MATCH_MIN:
                return TitleCheck(title, self.codes[best], self.titles[best], round(float(sims[best]), 4), "embedding")
        return TitleCheck(title, None, None, 0.0, "none")


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def copied_sentences(sentences: list[str], sims: np.ndarray, duty_texts: list[str],
                     duty_codes: list[str]) -> list[tuple[int, str, str]]:
    """Letter sentences that are near-verbatim NOC duty text: ``(sentence index, code, duty)``."""
    copies = []
    for i, sentence in enumerate(sentences):
        j = int(np.argmax(sims[i]))
        if sims[i, j] >= COPY_COSINE_MIN and \
                SequenceMatcher(None, _plain(sentence), _plain(duty_texts[j])).ratio() >= COPY_TEXT_RATIO_MIN:
            copies.append((i, duty_codes[j], duty_texts[j]))
    return copies


def build_evidence(score: CodeScore, catalog: Catalog, sentences: list[str],
                   lead_statement: str, cfg: ScoringConfig) -> Evidence:
    """Each official duty of ``score``'s code with the sentence paired to it, then what matched nothing."""
    unit = catalog.unit(score.code)
    rows = []
    used = set()
    for duty_row, sentence_index, similarity in score.pairs:
        duty = unit.duties[duty_row]
        evidenced = sentence_index >= 0 and similarity >= cfg.evidence_min
        if evidenced:
            used.add(sentence_index)
        rows.append(DutyEvidence(
            position=duty.position, duty=duty.text, optional=duty.optional, sub_occupation=duty.sub_occupation,
            sentence=sentences[sentence_index] if sentence_index >= 0 else None,
            sentence_index=sentence_index if sentence_index >= 0 else None,
            similarity=round(similarity, 4), evidenced=evidenced))
    unmatched = [{"index": i, "text": s} for i, s in enumerate(sentences) if i not in used]
    return Evidence(code=unit.code, title=unit.title, lead_statement=lead_statement,
                    lead_statement_similarity=round(score.lead_statement_similarity, 4), duties=rows,
                    unmatched_sentences=unmatched)
