"""A duty states work done; a letter with no such sentence is refused, however polite it is."""

from __future__ import annotations

import glob

import pytest
from conftest import LETTERS, REPO

from nocmatch.errors import InputError
from nocmatch.letter import parse_letter
from nocmatch.letter.duty_like import is_duty_like, word_stems


@pytest.mark.parametrize("text", [
    "Develop REST APIs using Spring Boot", "Write unit tests with JUnit", "Fix defects logged by QA",
    "Review pull requests", "Keep API docs current in Swagger", "Kubernetes, Helm, ArgoCD deployments",
    "Sprint planning and code reviews", "Mentors two junior developers", "Responsible for the payroll systems",
    "He is doing the coding of modules as per client requirement", "Led the migration to AWS",
    "Setting up database access rules for partner systems", "Wrote the integration layer",
])
def test_work_in_any_form_is_a_duty(text):
    assert is_duty_like(text)


@pytest.mark.parametrize("text", [
    "We enjoyed the picnic.", "She is a valued member of our team.", "He got married in 2019.",
    "The company picnic was held in July.", "Our office is located downtown near the lake.",
    "He loves playing football on weekends.", "We would hate to lose her!",
])
def test_a_sentence_without_work_is_not(text):
    assert not is_duty_like(text)


def test_stems_reach_inflections_and_nominalisations():
    assert "deploy" in word_stems("deployments")
    assert "configur" in word_stems("configuration")
    assert "plan" in word_stems("planning")
    assert "integrat" in word_stems("integration")


def test_every_listed_duty_of_the_labelled_letters_is_still_a_duty():
    """The rule drops praise and company facts, never a bulleted duty of the project's letters."""
    letters = sorted(glob.glob(str(LETTERS / "*.txt")) + glob.glob(str(REPO / "benchmarks/data/dev_letters/*.txt")))
    assert len(letters) == 96
    lost = []
    for path in letters:
        for sentence in parse_letter(open(path, encoding="utf-8").read()).sentences:
            # (a lower-case start is the wrapped tail of a table cell, not a duty of its own)
            if sentence.bulleted and sentence.kind == "other" and len(sentence.text.split()) >= 4 \
                    and not sentence.text[0].islower():
                lost.append((path, sentence.text))
    assert lost == []


@pytest.mark.parametrize("letter", [
    "To whom it may concern,\n\nJohn worked here. We enjoyed the picnic.\n\nRegards,\nMary Smith",
    "To whom it may concern, John worked here. Regards",
    "Dear Sir or Madam,\n\nShe is a valued member of our team and we wish her well.\n\nSincerely,\nA. Manager",
])
def test_a_letter_without_a_duty_is_refused_in_one_line(matcher, letter):
    with pytest.raises(InputError, match="no duty sentences") as refused:
        matcher.match(letter)
    assert "\n" not in str(refused.value)


def test_a_picnic_is_not_scored_as_a_duty(matcher):
    letter = ("To whom it may concern,\n\nJohn has been employed as a Software Developer since 2020.\n"
              "His duties:\n- Develop REST APIs using Spring Boot\n- Write unit tests with JUnit\n"
              "- Review pull requests\n\nWe enjoyed the picnic.\n\nRegards,\nMary Smith")
    result = matcher.match(letter)
    assert "We enjoyed the picnic." not in result.letter.duty_sentences
    assert len(result.letter.duty_sentences) == 3
