"""The light query-time runtime (ONNX export) ranks letters exactly as sentence-transformers does."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from conftest import LETTERS, letter_labels

from nocmatch.engine.embed import Encoder
from nocmatch.engine.embed_onnx import SPEC_FILE, OnnxSentenceEncoder, runtime_folder
from nocmatch.errors import NocmatchError
from nocmatch.matcher import Matcher

#: home and matcher are the small test index: nothing here depends on the other unit groups
pytestmark = pytest.mark.small_index


def test_ingest_exports_a_checked_runtime_and_match_uses_it(home, matcher):
    assert matcher.encoder.runtime_used == "onnx"
    folder = runtime_folder(home / "models", matcher.encoder.model_id)
    spec = json.loads((folder / SPEC_FILE).read_text(encoding="utf-8"))
    assert spec["pooling"] == "mean" and spec["normalize"] is True and spec["dimension"] == 384
    assert 0 <= spec["max_cosine_gap"] <= 1e-5


def test_onnx_and_sentence_transformers_give_the_same_rankings(matcher):
    reference = Matcher(matcher.catalog, matcher.embeddings,
                        Encoder(matcher.encoder.model_name, runtime="sentence-transformers"),
                        lexicon=matcher.lexicon)
    assert reference.encoder.runtime_used == "sentence-transformers"
    texts = [(LETTERS / row["file"]).read_text(encoding="utf-8") for row in letter_labels()]
    light, heavy = matcher.match_many(texts), reference.match_many(texts)
    for a, b in zip(light, heavy):
        assert [c.code for c in a.candidates] == [c.code for c in b.candidates]
        assert np.allclose([c.score for c in a.candidates], [c.score for c in b.candidates], atol=2e-4)
        assert a.best_overall_code == b.best_overall_code and a.out_of_scope == b.out_of_scope
    sentences = light[0].letter.duty_sentences
    assert np.allclose(matcher.encoder.encode(sentences), reference.encoder.encode(sentences), atol=1e-5)


def test_damaged_export_is_not_trusted_a_query_falls_back_and_building_rebuilds_it(home, tmp_path):
    copy = tmp_path / "home"
    shutil.copytree(home, copy)
    encoder = Encoder(models_dir=copy / "models")
    folder = runtime_folder(copy / "models", encoder.model_id)
    model = folder / "model.onnx"
    model.write_bytes(model.read_bytes()[:-4096] + bytes(4096))  # same size, last weights zeroed
    assert OnnxSentenceEncoder.load(folder, encoder.model_id) is None
    letter = (LETTERS / "l05_software-dev-websites.txt").read_text(encoding="utf-8")
    # a query never exports (minutes): it embeds with sentence-transformers, the reference runtime
    fallback = Matcher.load(copy / "data" / "noc2021", copy / "models")
    assert fallback.match(letter).best_code == "21234"
    assert fallback.encoder.runtime_used == "sentence-transformers"
    assert OnnxSentenceEncoder.load(folder, encoder.model_id) is None
    embeddings = sorted((copy / "models").rglob("catalog-*.f32"))
    written = [path.stat().st_mtime_ns for path in embeddings]
    built = Matcher.build(copy / "data" / "noc2021", copy / "models")  # what `nocmatch ingest` runs
    assert built.encoder.runtime_used == "onnx"
    assert OnnxSentenceEncoder.load(folder, encoder.model_id) is not None
    assert [path.stat().st_mtime_ns for path in embeddings] == written  # only the export was rebuilt
    assert Matcher.load(copy / "data" / "noc2021", copy / "models").encoder.runtime_used == "onnx"


def test_runtime_choice_is_checked(tmp_path):
    with pytest.raises(NocmatchError, match="unknown runtime"):
        Encoder(runtime="tensorflow")
    with pytest.raises(NocmatchError, match="no ONNX export"):
        Encoder(models_dir=tmp_path, runtime="onnx").encode(["Designs software"])


def test_batches_on_several_threads_give_the_vectors_of_one_thread(matcher):
    light = matcher.encoder.light
    texts = [s for r in letter_labels()[:6]
             for s in matcher.parse((LETTERS / r["file"]).read_text(encoding="utf-8")).duties]
    texts = [s.text for s in texts]
    workers = light.workers
    try:
        light.workers = 1
        one = light.encode(texts, batch_size=8)
        light.workers = 2
        two = light.encode(texts, batch_size=8)
    finally:
        light.workers = workers
    assert one.shape == two.shape == (len(texts), light.dimension)
    assert np.allclose(one, two, atol=1e-6)


def test_prefetch_loads_the_runtime_in_the_background(home):
    encoder = Encoder(models_dir=home / "models").prefetch()
    assert encoder.light is not None and encoder.runtime_used == "onnx"
    missing = Encoder(models_dir=home / "nowhere").prefetch()
    assert missing.light is None  # no export there: sentence-transformers is used


def test_a_text_given_twice_is_embedded_once(matcher, monkeypatch):
    texts = ["Designs and develops software", "Leads the QA team", "Designs and develops software"]
    light = matcher.encoder.light
    seen: list[list[str]] = []
    original = light.encode
    monkeypatch.setattr(light, "encode", lambda t, **kw: seen.append(list(t)) or original(t, **kw))
    vectors = matcher.encoder.encode(texts)
    assert seen == [texts[:2]]
    assert np.array_equal(vectors[0], vectors[2])
    assert np.allclose(vectors[:2], original(texts[:2]), atol=1e-6)
