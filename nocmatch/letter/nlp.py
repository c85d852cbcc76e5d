"""The one blank English spaCy pipeline that the letter stages share.

Building spaCy's English tokenizer costs about a tenth of a second, so the stages that need spaCy
do not each build a pipeline: segmentation adds the rule-based ``sentencizer`` and the
completeness check an ``entity_ruler`` to this one, and each stage runs only its own component
over the tokenised text. No pretrained model is needed or downloaded.
"""

from __future__ import annotations

import sys
import threading
from functools import lru_cache
from typing import Callable, Iterable, Iterator

_adding = threading.Lock()  # the review page matches letters from several threads


def import_spacy():
    """Import spaCy without letting thinc import torch (≈0.8 s), which the rule-based components
    never use; torch stays importable for everything else."""
    if "torch" in sys.modules or "spacy" in sys.modules:
        import spacy
        return spacy
    sys.modules["torch"] = None  # makes thinc's optional `import torch` fail fast
    try:
        import spacy
    finally:
        del sys.modules["torch"]
    return spacy


@lru_cache(maxsize=1)
def english():
    """The shared blank English pipeline (tokenizer only until a stage adds its component)."""
    return import_spacy().blank("en")


def component(name: str, factory: str, config: dict | None = None, setup: Callable | None = None):
    """The component ``name`` of the shared pipeline, added from ``factory`` (then ``setup(component)``)
    the first time it is asked for."""
    nlp = english()
    with _adding:
        if name not in nlp.component_names:
            added = nlp.add_pipe(factory, name=name, config=config or {})
            if setup is not None:
                setup(added)
    return nlp.get_pipe(name)


def run(pipe, texts: Iterable[str]) -> Iterator:
    """Docs of ``texts`` tokenised by the shared pipeline and processed by ``pipe`` alone."""
    return pipe.pipe(english().tokenizer.pipe(texts))
