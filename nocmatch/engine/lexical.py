"""The lexical signal: TF-IDF similarity between a letter's duties and each unit group's profile.

Embeddings judge what a sentence *does*; they blur the domain it is done in: "plans, directs and
evaluates the work of the group" is managerial in any field, so an IT manager's letter scores
nearly as well on 10019 (other administrative services managers) as on 20012. The words of the
letter ("developers", "release", "cloud", "software") and of each code's profile (title, lead
statement, duties and every example title) carry that domain. On the development letters this
signal, at weight 0.15, widened the gap between tech letters' best outside code and real other
occupations (see docs/method.md).

The profiles are fitted with scikit-learn's ``TfidfVectorizer`` and cached as plain arrays
(vocabulary, idf, the sparse profile matrix), so matching a letter needs numpy only: importing
scikit-learn costs ~0.8 s of a cold ``nocmatch match``. One analyzer
(:meth:`ProfileLexicon.build_analyzer`) is handed to the vectorizer when fitting and applied to
each letter, so the two cannot drift apart (tested to agree with scikit-learn's own analysis).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Callable

import numpy as np

from nocmatch.catalog import Catalog
from nocmatch.files import write_atomic

LEXICON_FORMAT = 1
TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


class ProfileLexicon:
    """TF-IDF profiles of the unit groups (sklearn-style: ``fit`` then ``similarity``).

    Parameters
    ----------
    ngram_range : tuple of int
        Word n-grams; bigrams keep "software development" apart from "development".
    """

    def __init__(self, ngram_range: tuple[int, int] = (1, 2)):
        self.ngram_range = ngram_range

    # -- fitting (scikit-learn) ---------------------------------------------------------
    def fit(self, catalog: Catalog) -> "ProfileLexicon":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

        profiles = [" ".join((catalog.title_of(code), lead, _joined(catalog, "duties", "text", code),
                              _joined(catalog, "titles", "title", code)))
                    for code, lead in zip(catalog.codes, catalog.column("units", "lead_statement"))]
        self.stop_words_ = frozenset(ENGLISH_STOP_WORDS)
        # the one analyzer, shared by fitting here and by :meth:`vectorize` on every letter
        vectorizer = TfidfVectorizer(sublinear_tf=True, analyzer=self.build_analyzer())
        matrix = vectorizer.fit_transform(profiles).tocsc()
        self.catalog_sha256_ = catalog.sha256
        self.vocabulary_ = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
        self.idf_ = vectorizer.idf_.astype(np.float64)
        self.columns_ = (matrix.indptr.astype(np.int64), matrix.indices.astype(np.int32), matrix.data)
        self.n_codes_ = matrix.shape[0]
        return self

    # -- transforming (numpy only) ------------------------------------------------------
    def build_analyzer(self) -> Callable[[str], list[str]]:
        """The text → terms function: lower-cased word tokens (scikit-learn's default token pattern)
        without stop words, then their word n-grams; fitting and every letter use this one."""
        stop_words, (low, high) = self.stop_words_, self.ngram_range

        def analyze(text: str) -> list[str]:
            tokens = [t for t in TOKEN.findall(text.lower()) if t not in stop_words]
            grams: list[str] = []
            for n in range(low, high + 1):
                grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
            return grams
        return analyze

    def vectorize(self, text: str) -> dict[int, float]:
        """The letter's l2-normalised sublinear TF-IDF vector as {term index: weight}."""
        counts = Counter(self.vocabulary_[g] for g in self.build_analyzer()(text) if g in self.vocabulary_)
        weights = {i: (1.0 + math.log(c)) * self.idf_[i] for i, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {i: w / norm for i, w in weights.items()} if norm else {}

    def similarity(self, sentences: list[str]) -> np.ndarray:
        """Cosine of the sentences (as one document) with every profile, in catalog order."""
        indptr, indices, data = self.columns_
        vector = self.vectorize(" ".join(sentences))
        terms = np.fromiter(vector, dtype=np.int64, count=len(vector))
        starts, lengths = indptr[terms], indptr[terms + 1] - indptr[terms]
        # the stored entries of every term's column, term after term (one gather, no Python loop)
        entries = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        weights = data[entries] * np.repeat(np.fromiter(vector.values(), dtype=float, count=len(vector)), lengths)
        return np.bincount(indices[entries], weights=weights, minlength=self.n_codes_).astype(float)

    def credit(self, sentences: list[str]) -> np.ndarray:
        """Similarity relative to the best-matching unit group (1.0 for the best, 0 for no shared word)."""
        sims = self.similarity(sentences)
        top = sims.max()
        return sims / top if top > 0 else sims

    # -- cache ----------------------------------------------------------------------------
    @staticmethod
    def cache_path(models_dir: Path, catalog_sha256: str) -> Path:
        return models_dir / "lexicon" / f"lexicon-{catalog_sha256[:16]}.npz"

    def save(self, models_dir: Path) -> Path:
        indptr, indices, data = self.columns_
        terms = sorted(self.vocabulary_, key=lambda term: self.vocabulary_[term])
        meta = json.dumps({"format": LEXICON_FORMAT, "catalog_sha256": self.catalog_sha256_,
                           "ngram_range": list(self.ngram_range), "n_codes": self.n_codes_,
                           "terms": terms, "stop_words": sorted(self.stop_words_)})
        buffer = io.BytesIO()
        np.savez(buffer, indptr=indptr, indices=indices, data=data, idf=self.idf_,
                 meta=np.frombuffer(meta.encode(), dtype=np.uint8))
        payload = buffer.getvalue()
        path = self.cache_path(models_dir, self.catalog_sha256_)
        write_atomic(path, payload, what="the lexicon cache")
        write_atomic(path.with_suffix(".sha256"), hashlib.sha256(payload).hexdigest(), what="the lexicon cache")
        return path

    @classmethod
    def load(cls, models_dir: Path, catalog: Catalog) -> "ProfileLexicon | None":
        """The cached lexicon of ``catalog``, or None when absent or damaged."""
        path = cls.cache_path(models_dir, catalog.sha256)
        try:
            payload = path.read_bytes()
            if hashlib.sha256(payload).hexdigest() != path.with_suffix(".sha256").read_text().strip():
                return None
            arrays = np.load(io.BytesIO(payload))
            meta = json.loads(arrays["meta"].tobytes().decode())
        except (OSError, ValueError, KeyError):
            return None
        if meta.get("format") != LEXICON_FORMAT or meta.get("catalog_sha256") != catalog.sha256:
            return None
        lexicon = cls(tuple(meta["ngram_range"]))
        lexicon.catalog_sha256_ = meta["catalog_sha256"]
        lexicon.stop_words_ = frozenset(meta["stop_words"])
        lexicon.vocabulary_ = dict(zip(meta["terms"], range(len(meta["terms"]))))
        lexicon.idf_ = arrays["idf"]
        lexicon.columns_ = (arrays["indptr"], arrays["indices"], arrays["data"])
        lexicon.n_codes_ = int(meta["n_codes"])
        return lexicon

    @classmethod
    def load_or_fit(cls, catalog: Catalog, models_dir: Path | None) -> "ProfileLexicon":
        """The cached lexicon, or a freshly fitted one (cached when ``models_dir`` is given)."""
        if models_dir is not None and (cached := cls.load(models_dir, catalog)) is not None:
            return cached
        lexicon = cls().fit(catalog)
        if models_dir is not None:
            lexicon.save(models_dir)
        return lexicon


def _joined(catalog: Catalog, table: str, column: str, code: str) -> str:
    """``code``'s values of ``column`` in ``table``, space-joined."""
    values = catalog.column(table, column)
    return " ".join(values[r] for r in catalog.rows(table, code))
