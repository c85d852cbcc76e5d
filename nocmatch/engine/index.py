"""The index: what matching reads of the ingested catalog, derived and checked once at load.

``nocmatch ingest`` writes the parts (the catalog tables, their embeddings, the TF-IDF lexicon, the
duty-evidence models, the ONNX export); :class:`CatalogIndex` holds the first three with the views
every letter uses — each unit group's duties as one slice of the duty rows, its duty table
(optional flags, sub-occupation groups), the duty weights and coverage divisors of the scoring
bound, and the example titles by exact form and by embedding — so that no stage rebuilds them per
letter and their invariants are checked in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nocmatch.catalog import Catalog
from nocmatch.engine.embed import CatalogEmbeddings
from nocmatch.engine.evidence import TitleIndex
from nocmatch.engine.lexical import ProfileLexicon
from nocmatch.engine.score import DutyTable, ScoringConfig
from nocmatch.errors import CatalogError
from nocmatch.letter.classify import DEFAULT_TITLE_HEADS


@dataclass(frozen=True)
class CatalogIndex:
    """The catalog, its embeddings and lexicon, and the views of them that matching reads.

    Build it with :meth:`derive`; every attribute is read-only by convention (shared by threads).
    """

    catalog: Catalog
    embeddings: CatalogEmbeddings
    lexicon: ProfileLexicon
    codes: list[str]                  #: the unit groups, in catalog order
    slices: dict[str, slice]          #: each code's rows of the duty table and of ``embeddings.duties``
    tables: dict[str, DutyTable]      #: each code's duties: optional flags and sub-occupation groups
    starts: np.ndarray                #: where each code's duties start, in catalog order
    duty_weights: np.ndarray          #: every duty's weight in coverage (optional duties weigh less)
    coverage_norms: np.ndarray        #: each code's smallest coverage divisor (the bound of LetterScores.best)
    lead_statements: dict[str, str]
    duty_texts: list[str]
    duty_codes: list[str]
    titles: TitleIndex                #: example titles, exact and by embedding
    title_heads: frozenset[str]       #: head nouns of the example titles (find a letter's job title)
    known_titles: frozenset[str]      #: every example title, lower-cased

    @classmethod
    def derive(cls, catalog: Catalog, embeddings: CatalogEmbeddings, lexicon: ProfileLexicon,
               config: ScoringConfig, preferred_codes: tuple[str, ...]) -> "CatalogIndex":
        """The views of ``catalog``; a :class:`CatalogError` when the parts do not belong together.

        ``preferred_codes`` win a title listed under several codes (the candidates)."""
        # the caches are keyed by the catalog's hash (their loaders check their sizes against it)
        if embeddings.catalog_sha256 != catalog.sha256 or lexicon.catalog_sha256_ != catalog.sha256:
            raise CatalogError("the embeddings or lexicon were built for another catalog; run `nocmatch ingest`")
        codes = catalog.codes
        optional = np.array(catalog.column("duties", "optional"), dtype=bool)
        subs = catalog.column("duties", "sub_occupation")
        slices, tables = {}, {}
        for code in codes:
            rows = catalog.rows("duties", code)
            if not rows or rows[-1] - rows[0] + 1 != len(rows):  # ingest writes each group's duties together
                raise CatalogError(f"unit group {code}'s duties are missing or not together; run `nocmatch ingest`")
            start, stop = rows[0], rows[-1] + 1
            names = tuple(dict.fromkeys(subs[start:stop]))
            slices[code] = slice(start, stop)
            tables[code] = DutyTable(code=code, optional=optional[start:stop],
                                     group=np.array([names.index(s) for s in subs[start:stop]]), group_names=names)
        duty_weights = np.where(optional, config.optional_weight, 1.0)
        coverage_norms = np.array([min(max(duty_weights[slices[code]][cols].sum(), config.min_duty_weight)
                                       for _, cols in tables[code].group_columns) for code in codes])
        titles = catalog.column("titles", "title")
        return cls(catalog=catalog, embeddings=embeddings, lexicon=lexicon, codes=codes, slices=slices, tables=tables,
                   starts=np.array([slices[code].start for code in codes]), duty_weights=duty_weights,
                   coverage_norms=coverage_norms,
                   lead_statements=dict(zip(codes, catalog.column("units", "lead_statement"))),
                   duty_texts=catalog.column("duties", "text"), duty_codes=catalog.column("duties", "code"),
                   titles=TitleIndex(catalog, embeddings.titles, preferred_codes),
                   title_heads=_example_title_heads(titles),
                   known_titles=frozenset(t.lower() for t in titles))


def _example_title_heads(titles: list[str]) -> frozenset[str]:
    """The last word of every example title, lower-cased with every trailing 's' cut, and the default heads.

    Not :func:`nocmatch.letter.classify.title_head` (which keeps "ss": "business", "press"): using it
    here changes the titles found in 2 of the 262 labelled letters, one for the better ("Manager IT"),
    one for the worse ("Heading IT dept." read as a position), so it waits for a measured change.
    """
    return frozenset({t.split()[-1].lower().rstrip("s") for t in titles if t.split()} | DEFAULT_TITLE_HEADS)
