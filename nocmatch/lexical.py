"""The lexical signal: TF-IDF similarity between a letter's duties and each unit group's profile.

Embeddings judge what a sentence *does*; they blur the domain it is done in: "plans, directs and
evaluates the work of the group" is managerial in any field, so an IT manager's letter scores
nearly as well on 10019 (other administrative services managers) as on 20012. The words of the
letter ("developers", "release", "cloud", "software") and of each code's profile (title, lead
statement, duties and every example title) carry that domain. On the development letters this
signal, at weight 0.15, widened the gap between tech letters' best outside code and real other
occupations (see README, "The method").
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from nocmatch.catalog import Catalog


class ProfileLexicon:
    """TF-IDF profiles of the unit groups (sklearn-style: ``fit`` then ``similarity``).

    Parameters
    ----------
    ngram_range : tuple of int
        Word n-grams of the vectorizer; bigrams keep "software development" apart from "development".
    """

    def __init__(self, ngram_range: tuple[int, int] = (1, 2)):
        self.ngram_range = ngram_range

    def fit(self, catalog: Catalog) -> "ProfileLexicon":
        duties = catalog.duties.groupby("code")["text"].apply(" ".join)
        titles = catalog.titles.groupby("code")["title"].apply(" ".join)
        self.codes_ = list(catalog.units["code"])
        profiles = [" ".join((title, lead, duties.get(code, ""), titles.get(code, "")))
                    for code, title, lead in zip(self.codes_, catalog.units["title"], catalog.units["lead_statement"])]
        self.vectorizer_ = TfidfVectorizer(sublinear_tf=True, stop_words="english", ngram_range=self.ngram_range)
        self.profiles_ = self.vectorizer_.fit_transform(profiles)
        return self

    def similarity(self, sentences: list[str]) -> np.ndarray:
        """Cosine of the sentences (as one document) with every profile, in ``codes_`` order."""
        letter = self.vectorizer_.transform([" ".join(sentences)])
        return (self.profiles_ @ letter.T).toarray().ravel()

    def credit(self, sentences: list[str]) -> np.ndarray:
        """Similarity relative to the best-matching unit group (1.0 for the best, 0 for no shared word)."""
        sims = self.similarity(sentences)
        top = sims.max()
        return sims / top if top > 0 else sims
