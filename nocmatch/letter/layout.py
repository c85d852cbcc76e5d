"""The letter's layout: letterhead, body and signature block, worked out once from the classified sentences.

:func:`~nocmatch.letter.classify.classify` gives each sentence a kind from the letter's cues: what
precedes the greeting is ``letterhead``, what follows "Sincerely" is ``signature``. Many letters
have neither cue (no greeting; "Best," or no closing at all), so the layout completes them with the
shape of the page: the leading run of short lines (name, address, date) is the letterhead, and the
trailing run of short lines, back to a closing word or a full sentence, is the signature block
(the classifier marks that block itself when it holds a person's name: "Erik Lindqvist, Managing Partner").
Everything between is the body. :attr:`ParsedLetter.layout` computes it once per letter; the
completeness checks read it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nocmatch.letter.sentence import Sentence

#: a short line that closes a letter without the parser's closing phrase ("Best regards," "Thanks!")
CLOSING_WORD = re.compile(r"^(?:best|thanks|thank you|cheers|respectfully|regards|sincerely|yours)\b[\w ]{0,15}[,.!]?$",
                          re.I)
#: a company's legal form ("Inc.", "Ltd"): a line ending in one is a name, not a sentence
#: Legal forms of a company's name ("Inc.", "Ltd", "GmbH"), lower case, as a regex alternation.
LEGAL_FORMS = "inc|incorporated|ltd|limited|corp|corporation|co|company|llp|llc|lp|plc|ulc|gmbh"
LEGAL_SUFFIX = re.compile(rf"\b(?:{LEGAL_FORMS})\b\.?", re.I)
#: at most this many words in a line of a letterhead or a signature block found by its shape
BLOCK_LINE_WORDS = 8


@dataclass(frozen=True)
class Layout:
    """The sentences of each part of a letter, in order."""

    header: list[Sentence]
    body: list[Sentence]
    signature: list[Sentence]


def _is_block_line(sentence: Sentence) -> bool:
    return len(sentence.text.split()) <= BLOCK_LINE_WORDS and not sentence.text.endswith(".")


def letter_layout(sentences: Sequence[Sentence]) -> Layout:
    """Letterhead, body and signature block of a classified letter (see the module's description)."""
    greeting = next((s.index for s in sentences if s.kind == "greeting"), None)
    if greeting is not None:
        header = [s for s in sentences if s.index < greeting]
    else:
        header = []
        for s in sentences:
            if s.kind in ("letterhead", "contact", "date") or _is_block_line(s):
                header.append(s)
            else:
                break
    signature = [s for s in sentences if s.kind == "signature"]
    if not signature:
        for s in reversed(sentences[len(header):]):
            if CLOSING_WORD.match(s.text):
                break
            if len(s.text.split()) > BLOCK_LINE_WORDS or s.kind in ("closing", "greeting") or (
                    s.text.endswith((".", ":")) and not LEGAL_SUFFIX.search(s.text.split()[-1])):
                break
            signature.append(s)
        signature.reverse()
    ends = {s.index for s in header} | {s.index for s in signature}
    return Layout(header, [s for s in sentences if s.index not in ends], signature)
