"""The language check: every English letter is matched however terse; other languages get one line.

The letters are in ``tests/data/language`` (see its README): 40 English letters in the styles real
letters come in (terse tool-named bullets, foreign offices' English, HR templates, NOC pastes,
capitals) and 25 letters in 18 other languages, many naming English tools.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nocmatch.errors import InputError
from nocmatch.letter.language import identify_language, ordinary_words
from nocmatch.letter.readers import check_text

CORPUS = Path(__file__).parent / "data" / "language"
ENGLISH = sorted((CORPUS / "en").glob("*.txt"))
OTHER = sorted((CORPUS / "other").glob("*.txt"))
#: How each other language is named in the refusal: its name, or its script's for non-Latin text.
NAMED = {"es": "Spanish", "pt": "Portuguese", "de": "German", "it": "Italian", "nl": "Dutch", "pl": "Polish",
         "ro": "Romanian", "tr": "Turkish", "vi": "Vietnamese", "tl": "Tagalog", "id": "Indonesian",
         "ru": "Cyrillic script", "uk": "Cyrillic script", "zh": "Chinese (Han) script",
         "hi": "Devanagari script", "ar": "Arabic script", "fa": "Arabic script"}


def test_the_corpus_is_there():
    assert len(ENGLISH) == 40 and len(OTHER) == 25


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_every_english_letter_is_accepted(path):
    check_text(path.read_text(encoding="utf-8"), path.name)


@pytest.mark.parametrize("path", OTHER, ids=lambda p: p.stem)
def test_every_other_language_is_refused_in_one_line_naming_it(path):
    with pytest.raises(InputError) as refused:
        check_text(path.read_text(encoding="utf-8"), path.name)
    message = str(refused.value)
    assert "\n" not in message and message.startswith(path.name)
    language = path.stem.split("_")[0]
    if language == "fr":
        assert "French letters are not supported yet" in message
    else:
        assert NAMED[language] in message and "not English" in message


@pytest.mark.parametrize("path", [p for p in OTHER if p.stem.split("_")[0] in ("fr", "es", "de", "tr")],
                         ids=lambda p: p.stem)
def test_a_letter_in_capitals_is_judged_on_its_words(path):
    with pytest.raises(InputError):
        check_text(path.read_text(encoding="utf-8").upper(), path.name)


def test_the_terse_letter_an_officer_would_read_as_english():
    letter = ("Job title: Software Developer\nDuties:\n- Develop REST APIs using Spring Boot\n"
              "- Write unit tests with JUnit\n- Fix defects logged by QA\n- Review pull requests\n"
              "- Keep API docs current in Swagger\n")
    guess = identify_language(letter)
    assert guess.english and guess.language == "English" and guess.confidence > 0.9


def test_tool_names_and_acronyms_are_not_words_of_a_language():
    assert ordinary_words("- Kubernetes, Terraform, AWS, GCP, CI/CD, Node.js, C#, S3\n1) Review PRs in GitHub") == [
        "kubernetes", "review", "in"]
    # a list of tools alone says nothing about a language, so it is not refused
    assert identify_language("- Jira, Confluence, Git\n- SQL, PL/SQL, ETL (Informatica)\n- AWS / DynamoDB").english


def test_a_spanish_paragraph_with_english_tools_is_refused():
    with pytest.raises(InputError, match="Spanish"):
        check_text("Desarrolla aplicaciones web con React y Node.js; diseña las bases de datos en PostgreSQL y "
                   "revisa el código del equipo en GitHub. Participa en la planificación de cada sprint.", "carta")


MOSTLY_GERMAN = ("Sehr geehrte Damen und Herren,\n\nhiermit bestätigen wir, dass Frau Anna Weber seit dem 1. März 2020 "
                 "in unserem Unternehmen als Softwareentwicklerin in Vollzeit beschäftigt ist. Sie entwickelt und "
                 "testet die Anwendungen unserer Kunden und arbeitet eng mit dem Team zusammen.\n\n"
                 "Zu ihren Aufgaben gehören unter anderem:\n- Develop REST APIs using Spring Boot\n"
                 "- die Betreuung der Datenbanken und die Dokumentation der Schnittstellen\n\n"
                 "Mit freundlichen Grüßen\nKarl Meier, Geschäftsführer\n")


def test_a_letter_in_another_language_with_an_english_duty_is_refused_in_a_batch_and_alone(matcher):
    english = (CORPUS / "en" / "en_terse_01.txt").read_text(encoding="utf-8")
    outcomes = matcher.match_many([english, MOSTLY_GERMAN], names=["english", "german"], errors="return")
    assert outcomes[0].best_code
    assert isinstance(outcomes[1], InputError) and "German" in str(outcomes[1])
    with pytest.raises(InputError, match="German"):
        matcher.match(MOSTLY_GERMAN, name="german")


BILINGUAL = ("ATTESTATION D'EMPLOI / EMPLOYMENT CONFIRMATION\n\nÀ qui de droit,\n\nNous confirmons que M. Karim Benali "
             "occupe le poste de développeur logiciel au sein de notre entreprise depuis le 4 avril 2019, à temps plein "
             "(37,5 heures par semaine). Son salaire annuel actuel est de 92 000 $.\n\n"
             "Ses principales tâches sont les suivantes :\n- Concevoir, écrire et tester le code de nouvelles "
             "applications web et mobiles;\n- Rédiger la documentation technique des logiciels.\n\n"
             "To whom it may concern,\n\nWe confirm that Mr. Karim Benali has held the position of Software Developer "
             "in our company since April 4, 2019, full time (37.5 hours per week). His current annual salary is "
             "$92,000.\n\nHis main duties are:\n- Design, write and test code for new web and mobile applications;\n"
             "- Write technical documentation for the software.\n")


def test_a_letter_in_french_and_english_is_read_in_english():
    # Quebec employers write both versions in one letter: the officer reads the English one
    check_text(BILINGUAL, "lettre")
    from nocmatch.letter import parse_letter
    assert [s.text for s in parse_letter(BILINGUAL).duties] == [
        "Design, write and test code for new web and mobile applications;",
        "Write technical documentation for the software."]
    french_only = BILINGUAL.split("To whom")[0]
    with pytest.raises(InputError, match="French"):
        check_text(french_only, "lettre")


def test_the_french_half_after_the_english_one_gives_no_duties():
    french, english = BILINGUAL.split("To whom")
    from nocmatch.letter import parse_letter
    french = french.split("\n\n", 1)[1]  # the French half, from its salutation on
    duties = [s.text for s in parse_letter("To whom" + english + "\n" + french).duties]
    assert duties == ["Design, write and test code for new web and mobile applications;",
                      "Write technical documentation for the software."]
