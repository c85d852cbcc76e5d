"""Evidence units: a duty sentence cut into clauses of one action each.

An officer reads "Designed the payments API, built its batch jobs and wrote their unit tests" as
three duties. Scored as one sentence, it can evidence only one official duty (the assignment pairs
each sentence with one duty), and its embedding is a blur of the three. So a duty sentence is cut
where a new action starts: at a comma, ";", "and", "or", "as well as", "while" or "including" that
is followed by a verb of work (:mod:`nocmatch.letter.duty_like`) in a verb form (develops,
developed, developing), when both sides are real clauses:

* the verb has the form of the sentence's first verb (parallel clauses: "Designed …, built …";
  "designing …, implementing …"; after a lead-in's colon followed by a subject or an inflected verb
  ("…: he writes …", "…: plans …"), the first verb after it), so "analysts, engineers, programmers" or "systems, processes"
  — nouns that could be verbs — start nothing; another verb starts a clause when it is finite
  and a determiner follows ("meets with users …, turns the goals into features");
* it is not one of a list of verbs ("design, develop and test": the clause before it ends in a
  verb, or the verb is followed by "," or "and"), nor a noun-verb followed by a preposition
  ("tests for …", "design in collaboration");
* the new clause has at least :data:`MIN_CLAUSE_WORDS` words, and
* the clause before it has words besides verbs ("Research, design, evaluate and maintain
  software" is one action on one object, as the NOC writes it, and stays whole).

Terse fragments ("Code reviews") are one unit each; a run-on paragraph of comma-joined actions
becomes one unit per action. Each unit also carries its text with tool names described
(:func:`nocmatch.letter.tools.describe_tools`), which is what gets embedded.

Every pattern here is linear: the cut points are found by one alternation of literals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nocmatch.letter.duty_like import DUTY_ROOTS, IRREGULAR_FORMS, word_stems

#: A clause after a cut has at least this many words ("wrote unit tests").
MIN_CLAUSE_WORDS = 3
#: Where a new clause may start: the separator, then the first word after it.
CUT = re.compile(r"(?:\s*[,;]\s*(?:(?:and|or|as well as|while|including|plus)\s+)?"
                 r"|\s+(?:and|or|as well as|while|plus)\s+)(?=(?P<word>[A-Za-z]{2,30})\b)")
WORD = re.compile(r"[A-Za-z][A-Za-z'-]{0,29}")
#: Verb endings (not nominalisations: "deployment" or "integration" starts no new action).
VERB_SUFFIXES = ("ing", "ies", "ied", "es", "ed", "s", "d")
#: Gerunds of work after commas that, in a sentence opening with another verb form, are a series of actions.
GERUND_SERIES = 2
#: Infinitives of work after commas or "and" ("responsible to create the layout ..., to elaborate the style
#: guide ... and to watch that ..., to produce the banners ..."): from two on, one action each.
INFINITIVE_CUT = re.compile(r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)to\s+(?=(?P<word>[A-Za-z]{2,30})\b)")
INFINITIVE_SERIES = 2
#: Words that open a subordinate clause: an "and" after one, before a verb in another form than the
#: sentence's first, joins that clause's parts ("installed ... rules, verifying that the controls are in
#: place and working as intended"), not the letter's actions ("Reviews the requests that come in from
#: clinics and recommends ..." keeps its two).
SUBORDINATORS = frozenset("that whether".split())
#: Words that are neither an object nor an action: they do not make a verb list a clause.
FILLER = frozenset("""a an the and or of to for in on with as at by from into its their our his her my
also well both while including plus etc regularly daily may can will should must""".split())
#: After a base or -s verb form, these words show a noun ("tests for the release", "design in collaboration").
PREPOSITIONS = frozenset("for in of to with on at by from into as about within across".split())
#: Words that open a noun phrase: after a finite verb form, they show the verb's object.
DETERMINERS = frozenset("the a an its their our his her all new existing every each".split())
#: Determiners of a noun: a verb's form right after one is a noun's ("her work", "our design").
POSSESSIVES = frozenset("his her their its our my your".split())
#: A subject that opens the actions after a lead-in's colon ("…: he writes …, modifies …").
SUBJECTS = frozenset("he she they we i".split())
#: Words that introduce duties without being the action ("Responsible for designing …").
INTRODUCERS = frozenset("responsible accountable responsibility responsibilities duty duties task tasks".split())
#: A verb of work that opens a common noun compound in IT letters.
NOUN_COMPOUNDS = frozenset({("machine", "learning"), ("process", "improvement"), ("test", "cases"),
                            ("test", "plans"), ("test", "scripts"), ("design", "patterns"), ("code", "reviews"),
                            ("build", "pipelines"), ("release", "management"), ("change", "management")})


@dataclass(frozen=True)
class EvidenceUnit:
    """One action of the letter: a clause of a duty sentence."""

    text: str            #: the clause as written
    sentence_index: int  #: which duty sentence it comes from (0-based)
    start: int           #: character offset of the clause in that sentence
    end: int


def _verb_root(word: str) -> str | None:
    """The duty verb ``word`` is a verb form of (develop, develops, developed, developing), if any."""
    word = word.lower()
    if word in IRREGULAR_FORMS:
        return IRREGULAR_FORMS[word]
    found = word_stems(word, VERB_SUFFIXES, min_stem=2) & DUTY_ROOTS
    return next(iter(found)) if found else None


def verb_form(word: str) -> str:
    """"past", "gerund", "third" (-s) or "base": the inflection of a verb form."""
    word = word.lower()
    if word in IRREGULAR_FORMS and word != "running":
        return "past"
    if word.endswith("ing"):
        return "gerund"
    if word.endswith(("ed", "ied")):
        return "past"
    if word.endswith("s") and not word.endswith("ss"):
        return "third"
    return "base"


def _first_verb_form(sentence: str) -> str | None:
    # after a lead-in ("About three quarters of his time is spent programming: he writes …, modifies …"),
    # the actions start after its colon
    lead_in, colon, actions = sentence.partition(": ")
    opening = WORD.findall(actions[:40])
    if colon and lead_in and opening and (opening[0].lower() in SUBJECTS
                                             or _verb_root(opening[0]) is not None and verb_form(opening[0]) != "base"):
        form = _first_verb_form(actions)
        if form is not None:
            return form
    previous = ""
    for word in WORD.findall(sentence):
        # after a possessive comes a noun: "her work includes assessing ..." opens with "includes"
        if word.lower() not in INTRODUCERS and previous not in POSSESSIVES and _verb_root(word) is not None:
            return verb_form(word)
        previous = word.lower()
    return None


def _has_object(clause: str) -> bool:
    """Whether a clause has a word that is neither a verb of work nor filler (it acts on something)."""
    return any(w.lower() not in FILLER and _verb_root(w) is None for w in WORD.findall(clause))


def _other_verb(form: str | None, after: list[str]) -> bool:
    """Whether a word of that form, no verb of work, still starts a parallel clause: a finite verb in the form of
    the sentence's first ("meets with users …, turns their goals into features, and …") followed by
    a determiner, as a verb is and a plural noun rarely is."""
    return form in ("third", "past") and bool(after) and after[0].lower() in DETERMINERS


def _joins_subordinate(cut: re.Match, before: str) -> bool:
    """Whether a cut is an "and"/"or" inside a subordinate clause that ``before`` (the text since the
    clause's start) opens: no comma, and a :data:`SUBORDINATORS` word before it."""
    return "," not in cut.group() and ";" not in cut.group() and any(
        w.lower() in SUBORDINATORS for w in WORD.findall(before))


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """Character spans of the clauses of one duty sentence (the whole sentence when it has one)."""
    spans: list[tuple[int, int]] = []
    start = 0
    first_form = _first_verb_form(sentence)
    cuts = list(CUT.finditer(sentence))
    forms = {first_form}
    # "he also build the API, writing unit tests, reviewing code, fixing bugs": a series of gerunds after
    # another form are actions of their own; one gerund alone ("built the API, using Spring") describes the
    # action before it
    if first_form != "gerund" and sum(verb_form(c.group("word")) == "gerund" and _verb_root(c.group("word"))
                                      is not None for c in cuts) >= GERUND_SERIES:
        forms.add("gerund")
    infinitives = [c for c in INFINITIVE_CUT.finditer(sentence) if _verb_root(c.group("word")) is not None
                   and verb_form(c.group("word")) == "base"]
    if len(infinitives) >= INFINITIVE_SERIES:
        at = {c.start() for c in infinitives}
        cuts = sorted([c for c in cuts if c.start() not in at] + infinitives, key=lambda c: c.start())
    else:
        infinitives = []
    for cut in cuts:
        word = cut.group("word")
        if cut in infinitives:
            if (cut.start() > start and sentence[cut.end() + len(word):].lstrip()[:1] != ","
                    and len(sentence[cut.end():].split()) >= MIN_CLAUSE_WORDS
                    and _has_object(sentence[start:cut.start()])):
                spans.append((start, cut.start()))
                start = cut.end()
            continue
        if cut.start() <= start or verb_form(word) not in forms or (
                verb_form(word) != first_form and _joins_subordinate(cut, sentence[start:cut.start()])):
            continue
        after = WORD.findall(sentence[cut.end() + len(word):cut.end() + len(word) + 40])
        if _verb_root(word) is None and not _other_verb(first_form, after):
            continue
        follows = sentence[cut.end() + len(word):].lstrip()[:1]
        before = WORD.findall(sentence[start:cut.start()])
        if (follows == "," or (after and after[0].lower() in ("and", "or"))
                or (before and _verb_root(before[-1]) is not None and verb_form(before[-1]) == verb_form(word))
                or (verb_form(word) in ("base", "third") and after and after[0].lower() in PREPOSITIONS)
                or (after and (word.lower(), after[0].lower()) in NOUN_COMPOUNDS)):
            continue
        rest_words = len(sentence[cut.end():].split())
        if rest_words < MIN_CLAUSE_WORDS or not _has_object(sentence[start:cut.start()]):
            continue
        spans.append((start, cut.start()))
        start = cut.end()
    spans.append((start, len(sentence)))
    # a clause cut off at the end may still be short when later cuts took its words: merge it back
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and len(sentence[s:e].split()) < MIN_CLAUSE_WORDS:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return [(s, e) for s, e in ((s, len(sentence[:e].rstrip(" ,;.")) ) for s, e in merged) if e > s]


def evidence_units(sentences: list[str]) -> list[EvidenceUnit]:
    """Every clause of every duty sentence, in order."""
    units = []
    for index, sentence in enumerate(sentences):
        for start, end in clause_spans(sentence):
            units.append(EvidenceUnit(sentence[start:end], index, start, end))
    return units
