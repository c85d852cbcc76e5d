"""The cached TF-IDF lexicon gives exactly scikit-learn's similarities, without importing it."""

from __future__ import annotations

import numpy as np
from conftest import LETTERS
from sklearn.feature_extraction.text import TfidfVectorizer

from nocmatch.engine.lexical import TOKEN, ProfileLexicon


def test_cached_lexicon_matches_scikit_learn(catalog, tmp_path):
    fitted = ProfileLexicon().fit(catalog)
    fitted.save(tmp_path)
    cached = ProfileLexicon.load(tmp_path, catalog)
    duties = catalog.duties.groupby("code")["text"].apply(" ".join)
    titles = catalog.titles.groupby("code")["title"].apply(" ".join)
    profiles = [" ".join((t, lead, duties.get(code, ""), titles.get(code, "")))
                for code, t, lead in zip(catalog.units["code"], catalog.units["title"], catalog.units["lead_statement"])]
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", ngram_range=(1, 2))
    assert TOKEN.pattern == vectorizer.token_pattern  # the lexicon's analyzer is scikit-learn's default one
    matrix = vectorizer.fit_transform(profiles)
    assert cached.vocabulary_ == {term: int(i) for term, i in vectorizer.vocabulary_.items()}
    for path in sorted(LETTERS.glob("*.txt"))[:6]:
        text = path.read_text(encoding="utf-8")
        reference = (matrix @ vectorizer.transform([text]).T).toarray().ravel()
        assert np.allclose(cached.similarity([text]), reference, atol=1e-12)
    credit = cached.credit(["Designs and develops web applications in React and Node.js"])
    assert credit.max() == 1.0 and catalog.codes[int(credit.argmax())].startswith("2")


def test_damaged_lexicon_cache_is_refitted(catalog, tmp_path):
    path = ProfileLexicon().fit(catalog).save(tmp_path)
    path.write_bytes(path.read_bytes()[:-100])
    assert ProfileLexicon.load(tmp_path, catalog) is None
    assert ProfileLexicon.load_or_fit(catalog, tmp_path).n_codes_ == 516
    assert ProfileLexicon.load(tmp_path, catalog) is not None
