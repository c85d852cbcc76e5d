"""The library entry point: :class:`Matcher` loads the catalog and its embeddings and matches letters."""

from __future__ import annotations

import dataclasses
import datetime
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, TypeVar

import numpy as np

from nocmatch.catalog import Catalog
from nocmatch.checklist.completeness import MIN_DUTIES, Completeness, check_completeness
from nocmatch.config import DEFAULT_MODEL, NOC_VERSION, TECH_CODES, default_data_dir, default_models_dir
from nocmatch.engine.decide import Decision, MatchRequest, decide, own_words_contradict, own_words_to_judge
from nocmatch.engine.duty_evidence import DutyEvidence, LetterRows
from nocmatch.engine.duty_training import ensure_models
from nocmatch.engine.embed import CatalogEmbeddings, Encoder, ensure_embeddings, light_runtime_check_texts, load_embeddings
from nocmatch.engine.evidence import build_evidence, copied_sentences, no_title_match
from nocmatch.engine.explain import copies_set_aside, match_warnings
from nocmatch.engine.index import CatalogIndex
from nocmatch.engine.judge import EvidenceJudge, SupportModel
from nocmatch.engine.lexical import ProfileLexicon
from nocmatch.engine.score import CodeScore, LetterScores, ScoringConfig, explained_by_code
from nocmatch.errors import CatalogError, InputError, NocmatchError
from nocmatch.letter import ParsedLetter, parse_letter
from nocmatch.letter.experience import summarize
from nocmatch.letter.positions import Position, experience, find_positions, held_now, letter_date, overlaps
from nocmatch.letter.readers import check_text
from nocmatch.letter.tools import describe_tools
from nocmatch.letter.units import EvidenceUnit, evidence_units
from nocmatch.results import Candidate, Evidence, LetterInfo, MatchResult, MatchWarning, PositionMatch, TitleCheck

CONFIDENCE_METHOD = ("confidence: softmax over the candidate codes of score / {t} (score = {wc}·duty coverage + "
                     "{we}·letter explained + {wl}·lead-statement credit + {wx}·lexical profile match), a "
                     "relative share among the candidates, not a probability that an officer accepts the code; "
                     "support_probability: the chance a careful reviewer calls the code supported, a logistic "
                     "regression fitted on reviewers' verdicts over the duty-evidence model's duty probabilities, "
                     "the lead-statement similarity and the score (cross-validated by letter, docs/method.md)")
T = TypeVar("T")
#: With ``--all``, the duty-evidence model judges this many of the best-ranked codes (and every tech code).
JUDGED_TOP = 20


def embedded_units(sentences: list[str]) -> tuple[list[EvidenceUnit], list[str]]:
    """A letter's duty sentences as evidence units, and the text of each that is embedded
    (the clause with the tools it names described)."""
    units = evidence_units(sentences)
    return units, [describe_tools(u.text) for u in units]


def _folders(data_dir: Path | str | None, models_dir: Path | str | None) -> tuple[Path, Path]:
    """The data and models folders, the defaults (``NOCMATCH_HOME``) where not given."""
    return Path(data_dir) if data_dir else default_data_dir(), Path(models_dir) if models_dir else default_models_dir()


def _loaded(part: T | None, name: str, models_dir: Path, model: str) -> T:
    """``part`` of the index, or the one-line error that says how to rebuild it."""
    if part is None:
        raise CatalogError(f"the {name} of the catalog under {models_dir} (model {model}) is missing or damaged; "
                           "run `nocmatch ingest` to rebuild it")
    return part


class Matcher:
    """Match reference letters to NOC 2021 unit groups by their duties.

    Parameters
    ----------
    catalog : Catalog
        The parsed NOC tables (``nocmatch ingest``).
    embeddings : CatalogEmbeddings
        Embeddings of the catalog under ``encoder``'s model.
    encoder : Encoder
        Embeds the letter's sentences (same model as ``embeddings``).
    config : ScoringConfig
        Every constant of the scoring and decision rule.
    candidates : tuple of str
        The codes ranked by default (the 11 tech codes).
    lexicon : ProfileLexicon, optional
        The fitted TF-IDF profiles (fitted from ``catalog`` when not given).
    duty_model, support_model : optional
        The fitted duty-evidence and support models (:mod:`nocmatch.engine.judge`); without them a duty is
        evidenced by the cosine threshold and no support probability is given.
    """

    def __init__(self, catalog: Catalog, embeddings: CatalogEmbeddings, encoder: Encoder,
                 config: ScoringConfig | None = None, candidates: tuple[str, ...] = TECH_CODES,
                 lexicon: ProfileLexicon | None = None, duty_model: DutyEvidence | None = None,
                 support_model: SupportModel | None = None):
        self.encoder = encoder
        self.config = config or ScoringConfig()
        self.candidates = tuple(candidates)
        unknown = [c for c in self.candidates if c not in catalog]
        if unknown:
            raise CatalogError(f"candidate code {unknown[0]} is not a NOC 2021 unit group")
        self.index = CatalogIndex.derive(catalog, embeddings, lexicon or ProfileLexicon().fit(catalog), self.config,
                                         self.candidates)
        self.judge = EvidenceJudge(catalog, embeddings.duties, self.index.lexicon, self.index.slices, self.index.tables,
                                   duty_model, support_model, self.config)

    # the index's parts, as the public API has always named them
    catalog = property(lambda self: self.index.catalog, doc="The NOC catalog (:class:`nocmatch.catalog.Catalog`).")
    embeddings = property(lambda self: self.index.embeddings, doc="The catalog's embeddings under the encoder's model.")
    lexicon = property(lambda self: self.index.lexicon, doc="The fitted TF-IDF profiles of the unit groups.")

    @classmethod
    def load(cls, data_dir: Path | str | None = None, models_dir: Path | str | None = None,
             model: str = DEFAULT_MODEL, config: ScoringConfig | None = None, progress: bool = False) -> "Matcher":
        """Load the index that ``nocmatch ingest`` wrote: the catalog, its embeddings, lexicon and
        duty-evidence models, each checked against its digest.

        A query never builds: a missing or damaged part is a :class:`CatalogError` that says to run
        ``nocmatch ingest`` (which rebuilds it), not minutes of embedding behind a match.
        ``progress`` is accepted as before; loading has nothing to report.
        """
        data_dir, models_dir = _folders(data_dir, models_dir)
        # the ONNX runtime loads in the background while the catalog is read (and the caller reads the letter)
        encoder = Encoder(model, models_dir=models_dir).prefetch()
        catalog = Catalog.load(data_dir / "catalog")
        embeddings = _loaded(load_embeddings(models_dir, encoder.model_id, catalog), "embedding cache", models_dir, model)
        lexicon = _loaded(ProfileLexicon.load(models_dir, catalog), "lexicon cache", models_dir, model)
        matcher = cls(catalog, embeddings, encoder, config, lexicon=lexicon)
        ensure_models(matcher, models_dir, fit_missing=False)
        return matcher

    @classmethod
    def build(cls, data_dir: Path | str | None = None, models_dir: Path | str | None = None,
              model: str = DEFAULT_MODEL, config: ScoringConfig | None = None, progress: bool = False) -> "Matcher":
        """Load the index, first building (and caching) every part that is missing or damaged:
        the embeddings, the ONNX export of the model, the lexicon, the duty-evidence models."""
        data_dir, models_dir = _folders(data_dir, models_dir)
        encoder = Encoder(model, models_dir=models_dir)
        catalog = Catalog.load(data_dir / "catalog")
        embeddings, _ = ensure_embeddings(catalog, encoder, models_dir, progress=progress)
        encoder.export_light_runtime(light_runtime_check_texts(catalog))  # checked, and rebuilt when damaged
        return cls.completed(catalog, embeddings, encoder, models_dir, config, progress=progress)

    @classmethod
    def completed(cls, catalog: Catalog, embeddings: CatalogEmbeddings, encoder: Encoder, models_dir: Path,
                  config: ScoringConfig | None = None, progress: bool = False) -> "Matcher":
        """A matcher of these parts, its lexicon and duty-evidence models loaded or else fitted and cached
        under ``models_dir`` (what ``ingest`` runs once it has the embeddings and the ONNX export)."""
        matcher = cls(catalog, embeddings, encoder, config, lexicon=ProfileLexicon.load_or_fit(catalog, models_dir))
        ensure_models(matcher, models_dir, progress=progress)
        return matcher

    # -- stages -------------------------------------------------------------------------
    def parse(self, text: str, name: str = "letter") -> ParsedLetter:
        """Check and parse a letter's text (no model needed)."""
        check_text(text, name)
        parsed = parse_letter(text, name=name, title_heads=self.index.title_heads, known_titles=self.index.known_titles)
        if not parsed.duties:
            raise InputError(f"{name}: no duty sentences found; a reference letter must list the main duties")
        return parsed

    def score_all(self, sentences: list[str], vectors: np.ndarray, sims: np.ndarray | None = None) -> LetterScores:
        """Every unit group's score for the letter's duty sentences and their vectors (a lazy mapping).

        ``sims`` (sentences × catalog duties) is computed from ``vectors`` when not given.
        """
        if sims is None:
            sims = vectors @ self.embeddings.duties.T
        centroid = vectors.mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        return LetterScores(sims, lead=self.embeddings.lead @ centroid, lexical=self.lexicon.credit(sentences),
                            explained=explained_by_code(sims, self.index.starts, self.config), codes=self.index.codes,
                            slices=self.index.slices, tables=self.index.tables, cfg=self.config, starts=self.index.starts,
                            weights=self.index.duty_weights, coverage_norms=self.index.coverage_norms)

    # -- the whole match ----------------------------------------------------------------
    def match(self, text: str, *, candidates: tuple[str, ...] | str | None = None,
              evidence_code: str | None = None, evidence_codes: Iterable[str] = (), evidence_top: int = 0,
              name: str = "letter") -> MatchResult:
        """Rank the candidate codes for one letter.

        Parameters
        ----------
        text : str
            The letter.
        candidates : tuple of str, "all" or None
            Codes to rank; None means the tech codes, "all" every unit group.
        evidence_code : str, optional
            Code whose duty-by-duty evidence is returned (default: the best candidate).
        evidence_codes : iterable of str
            Codes whose evidence also goes into ``result.evidence_by_code``, from the same single
            encoding of the letter (the review page switches between them without re-encoding).
        evidence_top : int
            Also put the evidence of the ``evidence_top`` best-ranked candidates in ``evidence_by_code``
            (and of the best of all 516 unit groups when it is not a candidate: what an out-of-scope
            or alternative-code warning points to).
        """
        result = self.match_many([text], names=[name], candidates=candidates, evidence_code=evidence_code,
                                 evidence_codes=evidence_codes, evidence_top=evidence_top, errors="raise")[0]
        assert isinstance(result, MatchResult)  # errors="raise": an error is raised, not returned
        return result

    def match_many(self, texts: Iterable[str], *, names: Iterable[str] | None = None,
                   candidates: tuple[str, ...] | str | None = None, evidence_code: str | None = None,
                   evidence_codes: Iterable[str] = (), evidence_top: int = 0,
                   errors: str = "raise") -> list[MatchResult | NocmatchError]:
        """Match many letters, encoding all their sentences together (one batched pass).

        Parameters
        ----------
        texts : iterable of str
            The letters.
        names : iterable of str, optional
            A name per letter (used in messages and ``result.letter.name``).
        errors : {"raise", "return"}
            With "return", a letter that cannot be matched (empty, no duties, not English ...)
            gives its :class:`NocmatchError` in its place instead of stopping the batch.
        """
        request = MatchRequest(candidates, evidence_code, tuple(evidence_codes), evidence_top)
        with _SINGLE_THREADED_BLAS:
            return self._match_many(list(texts), names, request, errors)

    def _match_many(self, texts: list[str], names, request: MatchRequest,
                    errors: str) -> list[MatchResult | NocmatchError]:
        names = list(names) if names is not None else [f"letter {i + 1}" for i in range(len(texts))]
        outcomes, batch = self._prepare(list(zip(texts, names)), errors)
        with ThreadPoolExecutor(1, thread_name_prefix="nocmatch-embed") as embedder:
            embedding = embedder.submit(self.encoder.encode, batch)
            # while the sentences are embedded (onnxruntime runs without the GIL), the check that
            # needs no vectors runs here: measured, the batch went from 80 % to 84 % of the encoder rate
            # (a pipeline over chunks of 16 letters, scoring one while the next is embedded, was slower:
            # 60 % against 68 %, the two cores being the encoder's)
            for letter in outcomes:
                if isinstance(letter, _PreparedLetter):
                    letter.completeness = check_completeness(letter.parsed, letter.positions)
            vectors = embedding.result()
        return self._finish(outcomes, vectors, request, errors)

    def _prepare(self, letters: list[tuple[str, str]], errors: str) -> tuple[list, list[str]]:
        """Parse letters: one :class:`_PreparedLetter` (or error) per letter, and the texts to embed."""
        outcomes: list[_PreparedLetter | NocmatchError] = []
        batch: list[str] = []
        for text, name in letters:
            try:
                parsed = self.parse(text, name)
            except NocmatchError as exc:
                if errors == "raise":
                    raise
                outcomes.append(exc)
                continue
            sentences = [s.text for s in parsed.duties]
            units, unit_texts = embedded_units(sentences)
            positions = find_positions(parsed, self.index.title_heads)
            # a title that is an example title needs no embedding (two letters in three, here)
            titles = dict.fromkeys(t for t in [parsed.title] + [p.title for p in positions] if t)
            checks = {title: self.index.titles.exact(title) for title in titles}
            letter = _PreparedLetter(parsed, sentences, units, unit_texts, len(batch), checks, positions)
            batch.extend(letter.unit_texts + letter.titles_to_embed)
            outcomes.append(letter)
        return outcomes, batch

    def _finish(self, outcomes: list, vectors: np.ndarray, request: MatchRequest,
                errors: str) -> list[MatchResult | NocmatchError]:
        """Score the letters of :meth:`_prepare` given the vectors of their texts."""
        # one product each for all the letters: the catalog's duty and title matrices are read once
        # per batch instead of once per letter
        duty_sims = vectors @ self.embeddings.duties.T
        titled = [(o, title, row) for o in outcomes if isinstance(o, _PreparedLetter)
                  for title, row in zip(o.titles_to_embed, range(o.rows.stop, o.rows.stop + len(o.titles_to_embed)))]
        for (letter, title, _), check in zip(titled, self.index.titles.nearest([t for _, t, _ in titled],
                                                                         vectors[[r for _, _, r in titled]])):
            letter.title_checks[title] = check
        results: list[MatchResult | NocmatchError] = []
        for letter in outcomes:
            if isinstance(letter, NocmatchError):
                results.append(letter)
                continue
            try:
                assessed = self._assess(letter, vectors[letter.rows], duty_sims[letter.rows])
                judged, rows, held = self._judged_part(assessed, letter, vectors[letter.rows], duty_sims[letter.rows])
                result = self._letter_result(judged, letter, vectors[letter.rows][rows], duty_sims[letter.rows][rows],
                                             request)
                result.judged_position = held.index + 1 if held else None
                self._add_positions(result, letter, assessed, vectors[letter.rows], duty_sims[letter.rows], request,
                                    judged if held else None)
                results.append(result)
            except NocmatchError as exc:
                if errors == "raise":
                    raise
                results.append(exc)
        return results

    def match_frame(self, frame, text_column: str = "text", *, candidates=None):
        """Match the letters of a pandas DataFrame column; one row of results per row of ``frame``."""
        from nocmatch.batch import match_frame
        return match_frame(self, frame, text_column, candidates=candidates)

    def _assess(self, letter: "_PreparedLetter", vectors: np.ndarray, sims: np.ndarray) -> "AssessedLetter":
        """Score a prepared letter's clauses against every unit group."""
        scores = self.score_all(letter.unit_texts, vectors, sims)
        rows = self.judge.letter_rows(letter.unit_texts, vectors, sims)
        return AssessedLetter(letter.parsed, letter.sentences, letter.units, letter.unit_texts, scores, rows)

    def _add_positions(self, result: MatchResult, letter: "_PreparedLetter", assessed: "AssessedLetter",
                       vectors: np.ndarray, sims: np.ndarray, request: MatchRequest,
                       held_part: "AssessedLetter | None" = None) -> None:
        """Match each position of a letter on its own duties, and sum its months per code (in place).

        A letter of one position, or whose positions share one list of duties, gives every position
        the letter's match: the duties cannot tell the positions apart. ``held_part``: the part of the
        position held now, when the letter's match judged it (:meth:`_judged_part`), not assessed again.
        """
        held_index = result.judged_position - 1 if held_part is not None and result.judged_position else None
        own_duties = len(letter.positions) > 1 and not any(p.shared_duties for p in letter.positions)
        matched = []
        dated = letter_date(letter.parsed)
        months = [experience(position, letter_dated=dated) for position in letter.positions]
        for position, exp in zip(letter.positions, months):
            check = letter.title_check(position.title)
            if position.index == held_index:
                part: AssessedLetter | None = held_part
            else:
                restricted = self._part_of(assessed, vectors, sims, position) if own_duties else None
                part = restricted[0] if restricted else None
            if part is not None:
                match = self._result(part, check, None, dataclasses.replace(request, evidence_codes=(), evidence_top=0))
            elif own_duties:
                match = None  # a position that lists no duties of its own has no code to give
            else:
                match = result
            matched.append(_position_match(position, exp, match, check, part.sentences if part else
                                           ([] if own_duties else assessed.sentences)))
        result.positions = matched
        if matched:
            counted_to = dated or datetime.date.today()
            result.experience = summarize(
                [(p.index, p.supported_code, exp) for p, exp in zip(matched, months)],
                request.evidence_code or result.best_code, self.catalog.title_of, dated, counted_to,
                [(a + 1, b + 1) for a, b in overlaps(letter.positions)])

    def _letter_result(self, assessed: "AssessedLetter", letter: "_PreparedLetter", vectors: np.ndarray,
                       sims: np.ndarray, request: MatchRequest) -> MatchResult:
        """The letter's match; for a letter that pastes NOC duty text, its own sentences' match when they
        contradict the copies (:func:`nocmatch.engine.decide.own_words_to_judge`)."""
        title_check = letter.title_check(letter.parsed.title)
        copies = self._copies(assessed)
        result = self._result(assessed, title_check, letter.completeness, request, copies)
        copied = {i for i, _, _ in copies}
        own_actions = sum(u.sentence_index not in copied for u in assessed.units)
        if not own_words_to_judge(len(copies), len(assessed.sentences), own_actions, MIN_DUTIES):
            return result
        own_part = self._restricted(assessed, vectors, sims, [i for i in range(len(assessed.sentences)) if i not in copied])
        assert own_part is not None  # own_words_to_judge: some sentences are not copies
        own = self._result(own_part[0], title_check, letter.completeness, request, [])
        if not own_words_contradict(own, result.supported_code):
            return result  # the copies agree with the letter's own words: they count as evidence
        own.warnings.insert(0, copies_set_aside(copies, len(assessed.sentences), result.supported_code, own.supported_code,
                                                self.catalog.title_of))
        return own

    def _copies(self, assessed: "AssessedLetter") -> list[tuple[int, str, str]]:
        lead_sims = assessed.rows.vectors @ self.embeddings.lead.T if assessed.rows is not None else None
        return copied_sentences(assessed.sentences, [u.sentence_index for u in assessed.units], assessed.scores.sims,
                                self.index.duty_texts, self.index.duty_codes, lead_sims,
                                self.catalog.column("units", "lead_statement"), self.index.codes)

    def _judged_part(self, assessed: "AssessedLetter", letter: "_PreparedLetter", vectors: np.ndarray,
                     sims: np.ndarray) -> tuple["AssessedLetter", list[int], Position | None]:
        """What the letter's match judges, its clauses' rows and the position it is: the duties of the
        position held now when the letter lists several with duties of their own (:func:`held_now`), else
        all its duties (and None)."""
        current = held_now(letter.positions, MIN_DUTIES)
        part = self._part_of(assessed, vectors, sims, current) if current else None
        if part is None or len(part[0].sentences) == len(assessed.sentences):
            return assessed, list(range(len(assessed.units))), None
        return part[0], part[1], current

    def _part_of(self, assessed: "AssessedLetter", vectors: np.ndarray, sims: np.ndarray,
                 position: Position) -> "tuple[AssessedLetter, list[int]] | None":
        """The letter's assessment restricted to one position's duty sentences (no new encoding)."""
        duty_number = {s.index: i for i, s in enumerate(assessed.parsed.duties)}
        return self._restricted(assessed, vectors, sims,
                                sorted(duty_number[i] for i in position.duty_indices if i in duty_number))

    def _restricted(self, assessed: "AssessedLetter", vectors: np.ndarray, sims: np.ndarray,
                    kept: list[int]) -> "tuple[AssessedLetter, list[int]] | None":
        """The letter's assessment restricted to some of its duty sentences (indices into ``assessed.sentences``),
        and the rows of its clauses among the letter's."""
        if not kept:
            return None
        renumbered = {old: new for new, old in enumerate(kept)}
        rows = [k for k, u in enumerate(assessed.units) if u.sentence_index in renumbered]
        units = [dataclasses.replace(assessed.units[k], sentence_index=renumbered[assessed.units[k].sentence_index])
                 for k in rows]
        unit_texts = [assessed.unit_texts[k] for k in rows]
        return AssessedLetter(assessed.parsed, [assessed.sentences[i] for i in kept], units, unit_texts,
                              self.score_all(unit_texts, vectors[rows], sims[rows]),
                              self.judge.letter_rows(unit_texts, vectors[rows], sims[rows])), rows

    def assess_many(self, texts: list[str], names: list[str] | None = None) -> list["AssessedLetter"]:
        """Parse, embed and score letters without deciding anything (what the evidence model learns from):
        the part of each letter its match judges (:meth:`_judged_part`)."""
        names = names or [f"letter {i + 1}" for i in range(len(texts))]
        with _SINGLE_THREADED_BLAS:
            outcomes, batch = self._prepare(list(zip(texts, names)), "raise")
            vectors = self.encoder.encode(batch)
            sims = vectors @ self.embeddings.duties.T
            return [self._judged_part(self._assess(letter, vectors[letter.rows], sims[letter.rows]), letter,
                                      vectors[letter.rows], sims[letter.rows])[0] for letter in outcomes]

    def _result(self, assessed: "AssessedLetter", title_check: TitleCheck, completeness: Completeness | None,
                request: MatchRequest, copies: list[tuple[int, str, str]] | None = None) -> MatchResult:
        """Judge, decide and explain one assessed letter (or one position's part of it); ``copies``: its
        sentences that copy NOC duty text, when already found."""
        pool = request.pool(self.catalog.codes, self.candidates)
        missing = [] if request.candidates == "all" else [c for c in pool if c not in self.catalog]
        if missing:
            raise InputError(f"{missing[0]} is not a NOC 2021 unit group")
        by_score = sorted((assessed.scores[c] for c in pool), key=lambda s: -s.score)
        judged = self._judged(assessed, by_score, request)
        overall = assessed.scores.best().code
        decision = decide([judged.get(s.code, s) for s in by_score], judged[overall], pool, self.config,
                          excludes=[note.ref_code for note in self.catalog.unit(overall).exclusions],
                          teer_of=self.catalog.teer_of)
        evidence, evidence_by_code = self._evidence(assessed, decision, judged, request)
        copies = self._copies(assessed) if copies is None else copies
        warnings = match_warnings(decision, pool, title_check, copies, len(assessed.sentences), self.catalog.title_of)
        return self._assemble(assessed.parsed, assessed.sentences, decision, title_check, warnings, evidence,
                              evidence_by_code, completeness)

    def _judged(self, assessed: "AssessedLetter", by_score: list[CodeScore],
                request: MatchRequest) -> dict[str, CodeScore]:
        """The codes the duty-evidence model judges, in one evaluation: the default candidates, the best
        of a longer pool (all 516 would take 0.5 s), the best of all unit groups and the codes asked for."""
        scores = assessed.scores
        wanted = [s.code for i, s in enumerate(by_score) if i < JUDGED_TOP or s.code in self.candidates]
        asked = [c for c in (request.evidence_code, *request.evidence_codes) if c and c in scores]
        return self.judge.judge_many(wanted + [scores.best().code] + asked, scores, assessed.rows)

    def _evidence(self, assessed: "AssessedLetter", decision: Decision, judged: dict[str, CodeScore],
                  request: MatchRequest) -> tuple[Evidence, dict[str, Evidence]]:
        """The evidence of the best candidate (or of the code asked for), and of the other codes asked for."""
        scores = assessed.scores

        def judge(code: str) -> CodeScore:
            if code not in judged:
                judged[code] = self.judge.judge(code, scores, assessed.rows)
            return judged[code]

        def evidence_for(score: CodeScore) -> Evidence:
            return build_evidence(score, self.catalog, assessed.sentences, assessed.units,
                                  self.index.lead_statements[score.code], self.config, self.judge.method)

        if request.evidence_code and request.evidence_code not in scores:
            raise InputError(f"{request.evidence_code} is not a NOC 2021 unit group")
        evidence = evidence_for(judge(request.evidence_code) if request.evidence_code else decision.best)
        unknown = [c for c in request.evidence_codes if c not in scores]
        if unknown:
            raise InputError(f"{unknown[0]} is not a NOC 2021 unit group")
        wanted = request.evidence_wanted([s.code for s in decision.ranked], decision.overall.code)
        return evidence, {code: evidence if code == evidence.code else evidence_for(judge(code)) for code in wanted}

    def _assemble(self, parsed: ParsedLetter, sentences: list[str], decision: Decision, title_check: TitleCheck,
                  warnings: list[MatchWarning], evidence: Evidence, evidence_by_code: dict[str, Evidence],
                  completeness: Completeness | None) -> MatchResult:
        cfg, best, overall = self.config, decision.best, decision.overall
        return MatchResult(
            noc_version=self.catalog.manifest.get("noc_version", NOC_VERSION),
            model=self.encoder.model_name,
            catalog_sha256=self.catalog.sha256,
            letter=LetterInfo(parsed.name, parsed.title, parsed.titles, sentences,
                              [{"kind": s.kind, "text": s.text, "line": s.line}
                               for s in parsed.sentences if s.kind != "duty"]),
            candidates=[self._candidate(i, s, float(decision.confidences[i])) for i, s in enumerate(decision.ranked)],
            best_code=best.code,
            best_title=self.catalog.title_of(best.code),
            needs_review=bool(decision.reasons),
            review_reasons=decision.reasons,
            out_of_scope=decision.out_of_scope,
            best_overall_code=overall.code,
            best_overall_title=self.catalog.title_of(overall.code),
            best_overall_score=round(overall.score, 4),
            title_check=title_check,
            warnings=warnings,
            evidence=evidence,
            evidence_by_code=evidence_by_code,
            confidence_method=CONFIDENCE_METHOD.format(t=cfg.temperature, wc=cfg.w_coverage,
                                                       we=cfg.w_explained, wl=cfg.w_lead, wx=cfg.w_lexical),
            completeness=completeness,
            best_overall_support_probability=(None if overall.support_probability is None
                                              else round(overall.support_probability, 4)),
        )

    def _candidate(self, rank: int, s: CodeScore, confidence: float) -> Candidate:
        return Candidate(**s.rounded(), rank=rank + 1, title=self.catalog.title_of(s.code),
                         teer=self.catalog.teer_of(s.code), confidence=round(confidence, 4),
                         support_probability=None if s.support_probability is None else round(s.support_probability, 4))


@dataclass
class _PreparedLetter:
    """A parsed letter inside :meth:`Matcher.match_many`, and where its texts sit in the batch."""

    parsed: ParsedLetter
    sentences: list[str]                #: its duty sentences
    units: list[EvidenceUnit]           #: their clauses, one action each
    unit_texts: list[str]               #: the clauses with tool names described, embedded from row ``start``
    start: int
    #: the check of each title it states (the letter's and its positions'); None until the title's
    #: embedding is compared (a title that is not an example title)
    title_checks: dict[str, TitleCheck | None]
    positions: list[Position]
    completeness: Completeness | None = None

    @property
    def rows(self) -> slice:
        return slice(self.start, self.start + len(self.unit_texts))

    @property
    def titles_to_embed(self) -> list[str]:
        """The titles embedded after the clauses (rows from ``rows.stop``)."""
        return [title for title, check in self.title_checks.items() if check is None]

    def title_check(self, title: str | None) -> TitleCheck:
        return self.title_checks.get(title) or no_title_match(title) if title else no_title_match(None)


def _position_match(position: Position, exp, match: MatchResult | None, check: TitleCheck,
                    sentences: list[str]) -> PositionMatch:
    """A position's dates and months, with the match of its duties (None: it lists none of its own)."""
    best = match.candidates[0] if match else None
    return PositionMatch(
        index=position.index + 1, title=position.title,
        start=exp.start.isoformat() if exp.start else None, end=exp.end.isoformat() if exp.end else None,
        current=position.current, counted_to=exp.counted_to, months=exp.months, fte_months=exp.fte_months,
        hours_per_week=position.hours_per_week, shared_duties=position.shared_duties,
        notes=list(dict.fromkeys([*position.notes, *([exp.note] if exp.note else [])])), sentences=list(sentences),
        best_code=match.best_code if match else None, best_title=match.best_title if match else None,
        out_of_scope=match.out_of_scope if match else False,
        best_overall_code=match.best_overall_code if match else None,
        best_overall_title=match.best_overall_title if match else None,
        verdict=best.verdict if best else None, support_probability=best.support_probability if best else None,
        needs_review=match.needs_review if match else True, candidates=list(match.candidates) if match else [],
        evidence=match.evidence if match else None, warnings=list(match.warnings) if match else [],
        title_check=check)


class _SingleThreadedBlas:
    """numpy's BLAS on one thread while any thread is inside the context, as it was after.

    The letter's matrix products are small (a few sentences × 5,140 duties), and BLAS threads that
    keep spinning after them take the cores the ONNX encoder runs on: measured here, the next
    letter's encoding took 106 ms instead of 52 ms.

    The limit is process-wide (threadpoolctl sets OpenBLAS's thread count), so concurrent matches
    (the review page serves requests on a thread pool) share one limit: the first in sets it, the
    last out restores the original count.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._inside = 0
        self._blas = None  # numpy's BLAS libraries, found once (5 ms)
        self._limiter = None

    def __enter__(self):
        with self._lock:
            if self._inside == 0:
                if self._blas is None:
                    from threadpoolctl import ThreadpoolController
                    self._blas = ThreadpoolController().select(user_api="blas")
                self._limiter = self._blas.limit(limits=1)
            self._inside += 1
        return self

    def __exit__(self, *exc):
        with self._lock:
            self._inside -= 1
            if self._inside == 0:
                self._limiter.restore_original_limits()
                self._limiter = None
        return False


_SINGLE_THREADED_BLAS = _SingleThreadedBlas()


@dataclass
class AssessedLetter:
    """A letter scored against every unit group: what :meth:`Matcher.assess_many` returns."""

    parsed: ParsedLetter
    sentences: list[str]
    units: list[EvidenceUnit]
    unit_texts: list[str]
    scores: LetterScores
    rows: LetterRows | None  #: what the duty-evidence model reads of the clauses
