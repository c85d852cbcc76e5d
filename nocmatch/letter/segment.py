"""Split a letter into sentence-sized units.

Three shapes of duty text are handled: bulleted lists of every kind (•, -, *, 1., 2), a), (iv)),
prose paragraphs (spaCy's rule-based sentencizer on a blank English pipeline — no pretrained
model is needed or downloaded) and long sentences that chain duties with ';'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nocmatch.letter.nlp import component, run

BULLET = re.compile(
    r"^\s*(?:[•◦▪▫●○■□‣⁃∙·➢➤►▸✓✔❖\-\*–—>+]"          # symbol bullets
    r"|\(?\d{1,2}[.)](?!\d)"                            # 1.  2)  (3)
    r"|\(?[a-z][.)]"                                    # a)  b.  (c)
    r"|\(?[A-Z]\)"                                      # A)
    r"|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)[.)])"  # roman numerals
    r"\s+(?=\S)")
#: A line at least this long that does not end a sentence continues on the next line (wrapped prose).
WRAP_MIN_CHARS = 50
#: Parts of a ';'-chained sentence are split only when each has at least this many words.
MIN_CLAUSE_WORDS = 3
TABLE_RULE = re.compile(r"^\s*[-+=|_ ]{3,}$")
TABLE_CELL_SEPARATOR = re.compile(r"\s+\|\s+|^\s*\||\|\s*$")
ABBREVIATION_END = re.compile(r"\b(?:approx|e\.g|i\.e|etc|incl|vs|inc|ltd|corp|co|mr|ms|mrs|dr|st|no|dept|min|max|sr|jr|est)\.$", re.I)
DUTY_HEAD = re.compile(r"\b(?:dut(?:y|ies)|responsibilit\w*|tasks?|role)\b", re.I)
INLINE_HEADING = re.compile(r"^(?P<head>[A-Z][\w ,&/'-]{2,60}):\s+(?P<rest>\S.{20,})$")


@dataclass(frozen=True)
class Unit:
    """A sentence-sized piece of the letter, with where it came from."""

    text: str
    line: int         #: 1-based line of the letter where it starts
    block: int        #: paragraph / list index
    bulleted: bool    #: came from a list item


def sentencizer():
    """spaCy's rule-based sentencizer, a component of the shared blank English pipeline."""
    return component("sentencizer", "sentencizer")


def _lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\t", "    ")
    return text.split("\n")


def blocks(text: str) -> list[tuple[int, str, bool]]:
    """Group lines into list items and paragraphs: ``(first_line, text, bulleted)``."""
    out: list[list] = []
    current: list | None = None
    for number, raw in enumerate(_lines(text), start=1):
        line = raw.rstrip()
        if not line.strip() or TABLE_RULE.match(line):
            current = None
            continue
        if TABLE_CELL_SEPARATOR.search(line):
            # a table row (or "phone | email" line): every cell is its own unit
            current = None
            out.extend([number, cell.strip(), True, ""] for cell in TABLE_CELL_SEPARATOR.split(line) if cell.strip())
            continue
        match = BULLET.match(line)
        if match:
            current = [number, line[match.end():].strip(), True, raw[: len(raw) - len(raw.lstrip())]]
            out.append(current)
            continue
        stripped = line.strip()
        if current is not None:
            previous = current[1]
            indented = current[2] and raw.startswith(" ") and len(raw) - len(raw.lstrip()) > len(current[3])
            wrapped = (len(previous) >= WRAP_MIN_CHARS or current[2]) and not previous.endswith((".", ":", "!", "?"))
            if stripped[0].islower() or indented or (wrapped and not current[2]) or (
                    current[2] and wrapped and stripped[0].islower()):
                current[1] = f"{previous} {stripped}"
                continue
            if not current[2] and len(previous) >= WRAP_MIN_CHARS and len(stripped) >= 1 and not previous.endswith(":"):
                current[1] = f"{previous} {stripped}"
                continue
        current = [number, stripped, False, ""]
        out.append(current)
    return [(b[0], b[1], b[2]) for b in out]


def _sentences(doc) -> list[str]:
    """The sentences spaCy's sentencizer found, re-joined where it split after an abbreviation
    ("approx. $2M") or before a lower-case word."""
    merged: list[str] = []
    for sent in (s.text.strip() for s in doc.sents):
        if merged and (ABBREVIATION_END.search(merged[-1]) or not sent[:1].isupper() and not sent[:1] in "\"'(•"):
            merged[-1] = f"{merged[-1]} {sent}"
        elif sent:
            merged.append(sent)
    return merged


def _split_semicolons(sentence: str) -> list[str]:
    parts = [p.strip(" ;") for p in sentence.split(";")]
    if len(parts) > 1 and all(len(p.split()) >= MIN_CLAUSE_WORDS for p in parts):
        return [p for p in parts if p]
    return [sentence]


def segment(text: str) -> list[Unit]:
    """The letter as an ordered list of sentence units."""
    pieces = []  # (first line, block index, bulleted, inline duty heading or None, text to split)
    for index, (line, block, bulleted) in enumerate(blocks(text)):
        heading = INLINE_HEADING.match(block)
        if heading and len(heading.group("head").split()) <= 5 and DUTY_HEAD.search(heading.group("head")):
            pieces.append((line, index, bulleted, heading.group("head") + ":", heading.group("rest")))
        else:
            pieces.append((line, index, bulleted, None, block))
    units: list[Unit] = []
    # all blocks through the sentencizer in one pass
    for (line, index, bulleted, heading, _), doc in zip(pieces, run(sentencizer(), [p[-1] for p in pieces])):
        if heading:
            units.append(Unit(heading, line, index, bulleted))
        for sent in _sentences(doc):
            for clause in _split_semicolons(sent):
                if clause:
                    units.append(Unit(clause, line, index, bulleted))
    return units
