"""Letter parsing: read a letter, split it into sentences, and tell duties from everything else."""

from nocmatch.letter.classify import ParsedLetter, Sentence, parse_letter
from nocmatch.letter.readers import read_letter, register_reader

__all__ = ["ParsedLetter", "Sentence", "parse_letter", "read_letter", "register_reader"]
