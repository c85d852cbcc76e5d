"""Which language a letter is written in: English letters are matched, others refused with one line.

Two steps, both offline:

1. **Script.** Letters mostly outside the Latin alphabet (Cyrillic, Arabic, Devanagari, Han ...)
   are not English, whatever their tool names; the Unicode name of each letter says its script.
2. **Language.** Latin-script text goes to Lingua (``lingua-language-detector``, whose n-gram
   models ship inside the package), built for English and the Latin-script languages reference
   letters reaching an Ontario file are most often written in. Lingua is accurate on short text,
   so a terse bullet list of tool names ("Develop REST APIs using Spring Boot") is English,
   where a count of English function words is not.

Plain English prose is recognised before Lingua is asked (it is 1.8 ms a letter, a twentieth of a
batch's time per letter): at least :data:`PLAIN_ENGLISH_MIN_WORDS` ordinary words of which
:data:`PLAIN_ENGLISH_MIN_SHARE` are English-only function words ("the", "and", "with" ...). None
of the 25 letters in 18 other languages of the test corpus has a single one of them; 190 of 228
English letters are recognised so, the others (terse lists, templates) go to Lingua.

A letter is refused only when another language is clearly detected (its confidence at least
:data:`MIN_OTHER_CONFIDENCE` and above English's): text that is mostly product names and acronyms
("Kubernetes, Terraform, AWS") has no clear language and is accepted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: Lingua's names of the languages it tells English from (Latin script; others are caught by script).
LANGUAGES = ("ENGLISH", "FRENCH", "SPANISH", "PORTUGUESE", "GERMAN", "ITALIAN", "DUTCH", "POLISH",
             "ROMANIAN", "TURKISH", "VIETNAMESE", "TAGALOG", "INDONESIAN")
#: A language other than English must be this sure (and surer than English) to refuse a letter.
MIN_OTHER_CONFIDENCE = 0.5
#: Below this share of Latin letters, a letter is in another script.
MIN_LATIN_SHARE = 0.5
#: Unicode's script words that read badly in title case.
SCRIPT_NAMES = {"CJK": "Chinese (Han)", "HANGUL": "Korean (Hangul)", "HIRAGANA": "Japanese", "KATAKANA": "Japanese"}
#: Function words that are English and no word of the other languages checked (not "a", "in",
#: "is", "was", "on", "die": they are words of French, German, Dutch or Spanish too).
ENGLISH_ONLY_WORDS = frozenset("the and of to for with that this from which their has have were our will been by".split())
PLAIN_ENGLISH_MIN_WORDS = 30
PLAIN_ENGLISH_MIN_SHARE = 0.15
#: A letter in two languages is English when this share of its ordinary words is in English paragraphs.
BILINGUAL_MIN_ENGLISH_SHARE = 0.3
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
#: Function words of the other Latin-script languages letters come in that are no English words.
FOREIGN_FUNCTION_WORDS = frozenset("""le la les des du et au aux pour avec sur dans une est sont leur nous vous
el los las del y para con por una es son su sus em os um uma com não ao pelo pela der die das und mit für
von zu ist sind het een voor van il della che per sono""".split())
FOREIGN_MIN_WORDS = 2
LETTER_RUN = re.compile(r"[^\W\d_]+")
#: Enough text to tell a language; a longer letter is judged on its beginning (bounds the work).
SAMPLE_CHARS = 20_000
#: Fewer ordinary words than this say nothing about a language (a list of tool names).
MIN_WORDS = 3
#: A word of one script, with the sentence-or-line break before it when there is one.
ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
NON_ASCII = re.compile(r"[^\x00-\x7f]")
WORD = re.compile(r"(?P<start>(?:^|[.!?:;•]\s)[\W\d_]{0,20})?(?<![\w#+])(?<!\w[./-])"
                  r"(?P<word>[^\W\d_]{1,40})(?![\w#+]|[./-]\w)", re.M)


@dataclass(frozen=True)
class LanguageGuess:
    """What a text was identified as.

    Attributes
    ----------
    language : str
        ``"English"``, another language's English name, a script (``"Cyrillic script"``), or
        ``"unknown"`` when the text has no clear language (tool names, acronyms).
    confidence : float
        Lingua's confidence for ``language`` (1.0 for a script decision).
    english : bool
        Whether the text may be matched as English.
    """

    language: str
    confidence: float
    english: bool


@lru_cache(maxsize=1)
def detector():
    """The Lingua detector (low-accuracy mode: trigram models, 36 MB and 0.13 s to load, instead of
    0.5 GB and 5 s for the high-accuracy models, which separate whole letters no better)."""
    from lingua import Language, LanguageDetectorBuilder
    languages = [getattr(Language, name) for name in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _script_of(char: str) -> str:
    """The script a letter belongs to, from its Unicode name ("LATIN SMALL LETTER A" → "LATIN")."""
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def main_script(text: str) -> tuple[str, float]:
    """The script most of the text's letters are written in, and the Latin letters' share."""
    # ASCII letters are counted in C (most of a letter); only the other characters are looked at one by one
    ascii_part = text.encode("ascii", "ignore")
    counts: dict[str, int] = {"LATIN": len(ascii_part) - len(ascii_part.translate(None, ASCII_LETTERS))}
    for char in NON_ASCII.findall(text):
        if char.isalpha():
            script = _script_of(char)
            counts[script] = counts.get(script, 0) + 1
    total = sum(counts.values())
    if not total:
        return "NONE", 0.0
    return max(counts, key=lambda script: counts[script]), counts.get("LATIN", 0) / total


def ordinary_words(text: str) -> list[str]:
    """The text's words of its language, without product names and acronyms.

    Tools and names (Spring Boot, JUnit, AWS, Node.js, S3) are the same in every language and
    pull a detector towards whichever language their letters resemble. Kept: lower-case words,
    and a capitalised word that opens a line or sentence ("Develop REST APIs" keeps "Develop").
    Dropped: mixed case, all capitals, and words joined to digits, dots or symbols.
    """
    kept = []
    for match in WORD.finditer(text):
        word = match.group("word")
        if word.islower() or (match.group("start") is not None and word[:1].isupper() and word[1:].islower()):
            kept.append(word.lower())
    return kept


def identify_language(text: str) -> LanguageGuess:
    """Identify the language of ``text`` (its first :data:`SAMPLE_CHARS` characters).

    A letter in two languages (Quebec's "ATTESTATION D'EMPLOI / EMPLOYMENT CONFIRMATION", French
    paragraphs then their English version) is English when its English paragraphs hold at least
    :data:`PLAIN_ENGLISH_MIN_WORDS` ordinary words and :data:`BILINGUAL_MIN_ENGLISH_SHARE` of them:
    the officer reads the English part, and the parser leaves the other language's sentences out
    (:func:`foreign_sentence`).
    """
    guess = _identify(text[:SAMPLE_CHARS])
    if guess.english or guess.language.endswith("script") or guess.language == "unknown":
        return guess
    english = total = 0
    for paragraph in PARAGRAPH_BREAK.split(text[:SAMPLE_CHARS]):
        words = len(ordinary_words(paragraph))
        total += words
        if words >= MIN_WORDS and _identify(paragraph).english:
            english += words
    if english >= PLAIN_ENGLISH_MIN_WORDS and english >= BILINGUAL_MIN_ENGLISH_SHARE * total:
        return LanguageGuess("English", round(english / total, 2), True)
    return guess


def foreign_sentence(text: str) -> bool:
    """Whether a sentence is written in another language than English: at least
    :data:`FOREIGN_MIN_WORDS` function words of French, Spanish, Portuguese, German, Dutch or Italian
    and no English-only one ("Concevoir, écrire et tester le code de nouvelles applications")."""
    # every sentence the classifier has no rule for comes here: a count over its plain runs of letters
    # (each ordinary word is one) rules out almost all of them before the ordinary words are read
    if sum(run in FOREIGN_FUNCTION_WORDS for run in LETTER_RUN.findall(text.lower())) < FOREIGN_MIN_WORDS:
        return False
    words = ordinary_words(text)
    return (sum(word in FOREIGN_FUNCTION_WORDS for word in words) >= FOREIGN_MIN_WORDS
            and not any(word in ENGLISH_ONLY_WORDS for word in words))


def _identify(sample: str) -> LanguageGuess:
    script, latin_share = main_script(sample)
    if script == "NONE":
        return LanguageGuess("unknown", 0.0, False)
    if latin_share < MIN_LATIN_SHARE:
        return LanguageGuess(f"{SCRIPT_NAMES.get(script, script.title())} script", 1.0, False)
    words = ordinary_words(sample)
    if len(words) < MIN_WORDS and sum(c.isupper() for c in sample) > sum(c.islower() for c in sample):
        words = ordinary_words(sample.lower())  # a letter written in capitals: every word is ordinary
    if len(words) < MIN_WORDS:
        return LanguageGuess("unknown", 0.0, True)
    english_words = sum(word in ENGLISH_ONLY_WORDS for word in words)
    if len(words) >= PLAIN_ENGLISH_MIN_WORDS and english_words >= PLAIN_ENGLISH_MIN_SHARE * len(words):
        return LanguageGuess("English", 1.0, True)
    values = {v.language.name: v.value for v in detector().compute_language_confidence_values(" ".join(words))}
    english = values.get("ENGLISH", 0.0)
    other, confidence = max(((name, value) for name, value in values.items() if name != "ENGLISH"),
                            key=lambda item: item[1], default=("", 0.0))
    if confidence >= MIN_OTHER_CONFIDENCE and confidence > english:
        return LanguageGuess(other.title(), confidence, False)
    return LanguageGuess("English" if english >= confidence else "unknown", max(english, confidence), True)
