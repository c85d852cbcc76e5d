"""Evidence and checks built on the scores: duty-by-duty pairs, the title check, the copy check."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence
from difflib import SequenceMatcher

import numpy as np

from nocmatch.catalog import Catalog
from nocmatch.engine.duty_evidence import EVIDENCED_MIN
from nocmatch.engine.embed import mapped_product
from nocmatch.engine.score import CodeScore, ScoringConfig
from nocmatch.results import DutyEvidence, Evidence, TitleCheck

#: Words that qualify a title without changing the occupation ("Senior", "II", "Lead" is kept:
#: "lead developer" is still a developer, but the NOC has "lead" titles of its own).
SENIORITY = re.compile(r"\b(?:senior|sr|junior|jr|intermediate|principal|staff|associate|trainee|intern|chief"
                       r"|level\s*\d|i{1,3}|iv|[1-5])\b\.?", re.I)
#: A title embedding this close to an example title points to that title's code.
TITLE_MATCH_MIN = 0.70
#: A letter sentence this close (cosine) to an official duty *and* this close as text is a copy.
COPY_COSINE_MIN = 0.80
COPY_TEXT_RATIO_MIN = 0.75
#: From this many words, the text test alone is strict enough (a few shared words cannot make three
#: quarters of a long sentence), and the closeness in meaning asked first is only a clause's
#: (:data:`COPY_CLAUSE_COSINE_MIN`): a pasted duty with a word changed ("the information systems
#: department" for "EDP departments and companies") moves its cosine more than its text.
COPY_LONG_WORDS = 10
#: A clause of a sentence cut in two is compared with the whole duty: it is less close.
COPY_CLAUSE_COSINE_MIN = 0.60
#: ... and with each clause's closest few duties.
COPY_CLAUSE_CANDIDATES = 5
#: A duty sentence of at least this many words, this much of whose words (in order) a lead statement
#: holds, copies that lead statement ("Research, design, evaluate, integrate and maintain software
#: applications" is 21231's, word for word). A lead statement is long, so the share is of the
#: sentence's words, not of both texts (a duty is a sentence, so a duty copy is judged on both).
LEAD_COPY_WORDS = 7
LEAD_COPY_SHARE_MIN = 0.85
#: A lead statement names many objects, so a clause that copies a part of it is less close to the whole
#: in meaning than a copied duty is to its duty (0.57-0.66 for 21231's, copied in four parts).
LEAD_COPY_COSINE_MIN = 0.50


#: Runs of letters and digits: normalising a title removes or blanks whole runs, never parts of one.
TITLE_WORD = re.compile(r"[a-z0-9]+")


def no_title_match(title: str | None) -> TitleCheck:
    """The check of a title that points to no code (or of a letter that states none)."""
    return TitleCheck(title or None, None, None, 0.0, "none")


def normalise_title(title: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", title.lower())
    text = SENIORITY.sub(" ", text)
    text = re.sub(r"[^a-z0-9+#/ ]+", " ", text)
    return " ".join(text.split())


class TitleIndex:
    """Example titles of the catalog, exact (normalised) and by embedding."""

    def __init__(self, catalog: Catalog, title_vectors: np.ndarray, preferred: tuple[str, ...]):
        self.titles = catalog.column("titles", "title")
        self.codes = catalog.column("titles", "code")
        self.vectors = title_vectors
        self.preferred = preferred
        self._lower: list[str] = []
        self._rows_with_word: dict[str, list[int]] | None = None

    def exact_rows(self, key: str) -> list[int]:
        """Rows whose normalised title is ``key``.

        Normalising removes whole runs of letters and digits (seniority words, parentheses) or
        blanks other characters, so every run of a normalised title is a run of the lower-cased
        title: only titles holding all of the key's runs are normalised (normalising all 29,669
        on every start would cost a tenth of a second). The first look-up finds them by a text
        search; later ones by an index of the titles' words, built once on the second look-up, then
        ~0.1 ms a look-up. Kept by measurement (2026-12-02, this project's 2-core machine): the search
        takes 10 ms, building the index 126 ms — a single-letter `nocmatch match` (cold start 2.2 s
        against a 1.5 s target) would pay the index for one look-up; a batch pays it once.
        """
        runs = TITLE_WORD.findall(key)
        if not runs:
            return [i for i, title in enumerate(self.titles) if key and normalise_title(title) == key]
        if not self._lower:
            self._lower = [title.lower() for title in self.titles]
            rows = self._rows_by_search(max(runs, key=len))
        else:
            index = self._rows_with_word
            if index is None:
                index = {}
                for i, title in enumerate(self._lower):
                    for word in set(TITLE_WORD.findall(title)):
                        index.setdefault(word, []).append(i)
                self._rows_with_word = index
            rows = index.get(min(runs, key=lambda run: len(index.get(run, []))), [])
        return [i for i in rows if all(run in self._lower[i] for run in runs) and normalise_title(self.titles[i]) == key]

    def _rows_by_search(self, word: str) -> list[int]:
        """Rows whose lower-cased title contains ``word`` (as text: a superset of holding it as a run)."""
        joined = "\n".join(self._lower)
        starts = list(itertools.accumulate((len(t) + 1 for t in self._lower[:-1]), initial=0))
        rows: list[int] = []
        at = joined.find(word)
        while at >= 0:
            row = bisect.bisect_right(starts, at) - 1
            if not rows or rows[-1] != row:
                rows.append(row)
            at = joined.find(word, at + len(word))
        return rows

    def check(self, title: str | None, vector: np.ndarray | None) -> TitleCheck:
        """The code a letter's title points to: an exact example title, else the closest by embedding."""
        if not title:
            return no_title_match(None)
        found = self.exact(title)
        if found is None and vector is not None:
            found = self.nearest([title], vector[None, :])[0]
        return found or no_title_match(title)

    def exact(self, title: str) -> TitleCheck | None:
        """The check when ``title``, normalised, is an example title of the NOC (no embedding needed)."""
        rows = self.exact_rows(normalise_title(title))
        if not rows:
            return None
        # a title listed under several codes: prefer a candidate code, then the first listed
        rows = sorted(rows, key=lambda r: (self.codes[r] not in self.preferred, r))
        return TitleCheck(title, self.codes[rows[0]], self.titles[rows[0]], 1.0, "exact")

    def nearest(self, titles: list[str], vectors: np.ndarray) -> list[TitleCheck]:
        """Checks of ``titles`` (one row of ``vectors`` each) by their closest example title.

        All titles are compared with the 29,669 example titles in one matrix product: reading that
        matrix once per letter cost ~4 ms a letter in batches.
        """
        if not titles or not len(self.vectors):
            return [no_title_match(title) for title in titles]
        sims = mapped_product(self.vectors, vectors)
        best = np.argmax(sims, axis=0)
        return [TitleCheck(title, self.codes[b], self.titles[b], round(float(sims[b, i]), 4), "embedding")
                if sims[b, i] >= TITLE_MATCH_MIN else no_title_match(title)
                for i, (title, b) in enumerate(zip(titles, best))]


def _words_of(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def copied_sentences(sentences: list[str], unit_sentence: list[int], sims: np.ndarray, duty_texts: list[str],
                     duty_codes: list[str], lead_sims: np.ndarray | None = None, lead_texts: Sequence[str] = (),
                     lead_codes: Sequence[str] = ()) -> list[tuple[int, str, str]]:
    """Letter sentences that are near-verbatim NOC text: ``(sentence index, code, copied duty or lead statement)``.

    ``sims`` has a row per evidence unit (``unit_sentence`` gives each unit's sentence). A sentence's
    candidate duties are its clauses' closest; it is a copy of one when a clause is close to it in
    meaning and the whole sentence is close to it as text (a copied duty of two actions is two clauses).
    A sentence that copies no duty may copy part of a lead statement (``lead_sims``: the units' cosines
    with ``lead_texts``, the lead statements of ``lead_codes``), :data:`LEAD_COPY_SHARE_MIN` of its words.
    """
    rows_of: dict[int, list[int]] = {}
    for unit, sentence_index in enumerate(unit_sentence):
        rows_of.setdefault(sentence_index, []).append(unit)
    copies = []
    for i, sentence in enumerate(sentences):
        rows = rows_of.get(i)
        if not rows:
            continue
        best = sims[rows]
        if len(rows) == 1:
            candidates = [int(np.argmax(best[0]))]
            cosine_min = COPY_CLAUSE_COSINE_MIN if len(sentence.split()) >= COPY_LONG_WORDS else COPY_COSINE_MIN
        else:  # the copied duty may be no clause's closest: several NOC duties share a clause's words
            cosine_min = COPY_CLAUSE_COSINE_MIN
            if best.max() < cosine_min:
                continue  # no duty is close enough in meaning to any clause (most sentences): skip the sort
            candidates = list(dict.fromkeys(_closest(best, COPY_CLAUSE_CANDIDATES).ravel().tolist()))
        plain = _words_of(sentence)
        for j in candidates:
            if best[:, j].max() < cosine_min:
                continue
            text = SequenceMatcher(None, plain, _words_of(duty_texts[j]))
            # the quick ratios are upper bounds of ratio(), which costs quadratic time in the lengths
            if (text.real_quick_ratio() >= COPY_TEXT_RATIO_MIN and text.quick_ratio() >= COPY_TEXT_RATIO_MIN
                    and text.ratio() >= COPY_TEXT_RATIO_MIN):
                copies.append((i, duty_codes[j], duty_texts[j]))
                break
        else:
            if lead_sims is not None:
                lead = _lead_copied(plain.split(), lead_sims[rows], lead_texts)
                if lead is not None:
                    copies.append((i, lead_codes[lead], lead_texts[lead]))
    return copies


def _lead_copied(words: list[str], sims: np.ndarray, lead_texts: Sequence[str]) -> int | None:
    """The lead statement (an index of ``lead_texts``) that holds :data:`LEAD_COPY_SHARE_MIN` of ``words`` in
    order, among those close in meaning to one of the sentence's clauses (``sims``), or None."""
    if len(words) < LEAD_COPY_WORDS:
        return None
    closeness = sims.max(axis=0)
    needed = LEAD_COPY_SHARE_MIN * len(words)
    for j in np.argsort(-closeness)[:COPY_CLAUSE_CANDIDATES]:
        if closeness[j] < LEAD_COPY_COSINE_MIN:
            break
        lead = _lead_words(lead_texts[j])
        # the words the lead statement has at all bound those it holds in order (most candidates stop here)
        if sum(word in lead[1] for word in words) < needed:
            continue
        text = SequenceMatcher(None, words, lead[0], autojunk=False)
        if sum(block.size for block in text.get_matching_blocks()) >= needed:
            return int(j)
    return None


@functools.lru_cache(maxsize=1024)
def _lead_words(lead_statement: str) -> tuple[list[str], frozenset[str]]:
    """A lead statement's normalised words, in order and as a set (read once per lead statement)."""
    words = _words_of(lead_statement).split()
    return words, frozenset(words)


def _closest(sims: np.ndarray, k: int) -> np.ndarray:
    """The columns of each row's ``k`` largest values, largest first (a partition, then a sort of k)."""
    top = np.argpartition(-sims, k, axis=1)[:, :k]
    rows = np.arange(len(sims))[:, None]
    return top[rows, np.argsort(-sims[rows, top], axis=1, kind="stable")]


def build_evidence(score: CodeScore, catalog: Catalog, sentences: list[str], units: list,
                   lead_statement: str, cfg: ScoringConfig, method: str = "cosine threshold") -> Evidence:
    """Each official duty of ``score``'s code with the clause paired to it, then what matched nothing.

    ``units`` are the letter's evidence units (clauses), the rows ``score.pairs`` index; a duty's
    ``sentence`` is the whole sentence its clause comes from.
    """
    unit = catalog.unit(score.code)
    rows = []
    used = set()
    probabilities: list[float | None] = list(score.probabilities) if score.probabilities else [None] * len(score.pairs)
    for (duty_row, unit_index, similarity), probability in zip(score.pairs, probabilities):
        duty = unit.duties[duty_row]
        paired = units[unit_index] if unit_index >= 0 else None
        evidenced = paired is not None and (similarity >= cfg.evidence_min if probability is None
                                            else probability >= EVIDENCED_MIN)
        if evidenced and paired is not None:
            used.add(paired.sentence_index)
        rows.append(DutyEvidence(
            position=duty.position, duty=duty.text, optional=duty.optional, sub_occupation=duty.sub_occupation,
            sentence=sentences[paired.sentence_index] if paired else None,
            sentence_index=paired.sentence_index if paired else None,
            similarity=round(similarity, 4), evidenced=evidenced,
            probability=None if probability is None else round(probability, 4),
            unit=paired.text if paired else None))
    unmatched = [{"index": i, "text": s} for i, s in enumerate(sentences) if i not in used]
    return Evidence(code=unit.code, title=unit.title, lead_statement=lead_statement,
                    lead_statement_similarity=round(score.lead_statement_similarity, 4), duties=rows,
                    unmatched_sentences=unmatched, method=method)
