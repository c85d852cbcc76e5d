"""The matching engine, in the order a letter goes through it.

``index`` (the catalog, its embeddings and lexicon, derived views) → ``embed`` (sentence-transformers,
or its ONNX export) → ``score`` (the ranking) → ``judge`` (duty-evidence and support models,
fitted by ``duty_training``) → ``decide`` (ranking, out of scope, review) → ``explain`` (evidence
pairs and warnings). :class:`nocmatch.matcher.Matcher` runs them.
"""
