"""The embedding cache is mapped, not read: a match holds only the rows it reads."""

from __future__ import annotations

import numpy as np

from nocmatch.engine.embed import load_embeddings, mapped_product


def test_the_cache_is_mapped_and_checked(matcher, home):
    embeddings = load_embeddings(home / "models", matcher.encoder.model_id, matcher.catalog)
    assert isinstance(embeddings.titles, np.memmap) and not embeddings.titles.flags.writeable
    assert embeddings.titles.shape == (matcher.catalog.table_length("titles"), matcher.encoder.dimension)


def test_the_block_product_of_a_mapped_matrix_is_the_product(matcher):
    titles = matcher.embeddings.titles
    queries = matcher.encoder.encode(["Senior Data Analyst", "Lead DevOps Engineer", "Registered Nurse"])
    blocked = mapped_product(titles, queries, rows_per_block=1000)
    assert np.allclose(blocked, np.asarray(titles) @ queries.T, atol=1e-6)
    assert np.array_equal(np.argmax(blocked, axis=0), np.argmax(np.asarray(titles) @ queries.T, axis=0))
    # an array in memory goes through the same function unchanged
    assert np.array_equal(mapped_product(np.asarray(titles[:10]), queries), np.asarray(titles[:10]) @ queries.T)
