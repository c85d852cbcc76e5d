"""A sentence of a letter, as the parser classifies it (what the layout and every later stage read)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class Sentence:
    """One sentence of the letter and what kind of content it is."""

    index: int
    text: str
    kind: str
    line: int
    bulleted: bool

    def to_dict(self) -> dict:
        return asdict(self)
