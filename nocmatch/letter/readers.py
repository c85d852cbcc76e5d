"""Read a letter from a file or stdin into checked text.

Readers are looked up by file suffix, so docx/pdf readers can be added with
:func:`register_reader` without touching the rest of the pipeline.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Callable


from nocmatch.errors import InputError

MAX_LETTER_BYTES = 1_000_000
#: Share of words that must be English stop words; English prose runs at 35–50 %, French ~5 %.
MIN_ENGLISH_STOPWORD_SHARE = 0.15
MIN_WORDS_FOR_LANGUAGE_CHECK = 20

Reader = Callable[[bytes, str], str]
_READERS: dict[str, Reader] = {}


def register_reader(suffixes: tuple[str, ...], reader: Reader) -> None:
    """Make ``reader(raw_bytes, name) -> text`` handle files ending in any of ``suffixes``."""
    for suffix in suffixes:
        _READERS[suffix.lower()] = reader


def decode_text(raw: bytes, name: str) -> str:
    """Plain text: UTF-8 (with or without BOM), else cp1252; binary content is refused."""
    sample = raw[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in sample or (sample and controls / len(sample) > 0.05):
        raise InputError(f"{name}: this is a binary file, not a text letter")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


register_reader((".txt", ".text", ".md", ""), decode_text)


def read_letter(source: str | Path) -> tuple[str, str]:
    """Read and check a letter; ``source`` is a path or ``-`` for stdin.

    Returns ``(text, name)``. Raises :class:`InputError` with a one-line message for a missing,
    binary, oversized, empty or non-English letter.
    """
    if str(source) == "-":
        raw, name = sys.stdin.buffer.read(MAX_LETTER_BYTES + 1), "stdin"
        reader = decode_text
    else:
        path = Path(source)
        name = str(path)
        if not path.is_file():
            raise InputError(f"{name}: no such file")
        if path.stat().st_size > MAX_LETTER_BYTES:
            raise InputError(f"{name}: larger than 1 MB; a reference letter is a few pages of text")
        reader = _READERS.get(path.suffix.lower())
        if reader is None:
            known = ", ".join(sorted(s for s in _READERS if s))
            raise InputError(f"{name}: unsupported file type {path.suffix!r} (supported: {known})")
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from exc
    if len(raw) > MAX_LETTER_BYTES:
        raise InputError(f"{name}: larger than 1 MB; a reference letter is a few pages of text")
    text = reader(raw, name)
    check_text(text, name)
    return text, name


def check_text(text: str, name: str = "letter") -> None:
    """Refuse empty and non-English text with a one-line :class:`InputError`."""
    if not text or not text.strip():
        raise InputError(f"{name}: the letter is empty")
    if len(text.encode("utf-8", errors="ignore")) > MAX_LETTER_BYTES:
        raise InputError(f"{name}: larger than 1 MB; a reference letter is a few pages of text")
    from nocmatch.letter.segment import _import_spacy
    _import_spacy()
    from spacy.lang.en.stop_words import STOP_WORDS as stop_words
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) >= MIN_WORDS_FOR_LANGUAGE_CHECK:
        share = sum(w in stop_words for w in words) / len(words)
        if share < MIN_ENGLISH_STOPWORD_SHARE:
            raise InputError(f"{name}: the letter does not appear to be in English "
                             f"({share:.0%} English function words); NOC matching needs an English letter")
    elif not words:
        raise InputError(f"{name}: the letter has no words")
