"""Evidence units: a duty sentence becomes one clause per action, whatever the letter's shape."""

from nocmatch.letter import parse_letter
from nocmatch.letter.units import clause_spans, evidence_units


def clauses(sentence: str) -> list[str]:
    return [sentence[a:b] for a, b in clause_spans(sentence)]


def duty_units(letter: str) -> list[str]:
    return [u.text for u in evidence_units([s.text for s in parse_letter(letter).duties])]


def test_a_sentence_of_three_actions_is_three_clauses():
    assert clauses("Designed the payments API, built its batch jobs and wrote their unit tests.") == [
        "Designed the payments API", "built its batch jobs", "wrote their unit tests"]


def test_a_list_of_verbs_on_one_object_stays_whole():
    # the NOC's own shape: one action on one object, however many verbs name it
    text = "Research, design, evaluate, integrate and maintain technical and business applications"
    assert clauses(text) == [text]
    assert clauses("Design, develop and test software components") == ["Design, develop and test software components"]


def test_gerund_chains_of_a_run_on_sentence_are_cut():
    assert clauses("Responsible for designing microservices, implementing CI/CD pipelines, and maintaining "
                   "Kubernetes clusters") == ["Responsible for designing microservices", "implementing CI/CD pipelines",
                                              "maintaining Kubernetes clusters"]


def test_a_noun_after_and_is_not_a_new_action():
    # "deployment" is a nominalisation: it starts no clause; "tests" after a verb-only clause neither
    assert clauses("Built CI pipelines and deployment scripts for the billing service") == [
        "Built CI pipelines and deployment scripts for the billing service"]
    assert clauses("Wrote code and tests for the API") == ["Wrote code and tests for the API"]


def test_a_short_tail_is_not_a_clause():
    assert clauses("Develop and test web services and deploy them") == ["Develop and test web services and deploy them"]


def test_terse_bullets_are_one_unit_each():
    letter = ("Job title: Software Developer\nDuties:\n- Develop REST APIs using Spring Boot\n"
              "- Write unit tests with JUnit\n- Fix defects logged by QA\n- Review pull requests\n"
              "- Keep API docs current in Swagger\n")
    assert duty_units(letter) == ["Develop REST APIs using Spring Boot", "Write unit tests with JUnit",
                                  "Fix defects logged by QA", "Review pull requests", "Keep API docs current in Swagger"]


def test_one_run_on_paragraph_yields_one_unit_per_action():
    letter = ("To whom it may concern,\n\nMr. Kumar worked with us as Software Engineer from 2019 to 2024. "
              "In this role he was designing the order management modules, developing REST services in Java, "
              "writing the automated test suites, and supporting the production releases on weekends "
              "while mentoring two junior programmers in the team.\n\nRegards,\nHR Manager\n")
    units = duty_units(letter)
    assert "developing REST services in Java" in units
    assert "writing the automated test suites" in units
    assert any(u.startswith("supporting the production releases") for u in units)
    assert "mentoring two junior programmers in the team" in units


def test_table_rows_yield_one_unit_per_duty_cell():
    letter = ("Position: Database Administrator\n\n"
              "| Duty | Share of time |\n|---|---|\n"
              "| Install and upgrade SQL Server instances and apply patches | 30% |\n"
              "| Monitor query performance and tune indexes | 40% |\n"
              "| Design backup and recovery plans, and test restores every quarter | 30% |\n")
    units = duty_units(letter)
    assert "Install and upgrade SQL Server instances and apply patches" in units
    assert "Monitor query performance and tune indexes" in units
    assert "Design backup and recovery plans" in units and "test restores every quarter" in units


def test_units_keep_their_sentence_and_offsets():
    sentences = ["Led the data team, and built the reporting warehouse.", "Code reviews"]
    units = evidence_units(sentences)
    assert [(u.sentence_index, u.text) for u in units] == [
        (0, "Led the data team"), (0, "built the reporting warehouse"), (1, "Code reviews")]
    assert all(sentences[u.sentence_index][u.start:u.end] == u.text for u in units)


def test_a_finite_verb_of_no_duty_list_starts_a_clause_before_its_object():
    # "turns" is no verb of work, but a finite verb in the first verb's form with "the" after it is an action
    assert clauses("He meets with claims managers to capture what they need, turns the department's goals into "
                   "change requests, and recommends configuration changes to the claims system.") == [
        "He meets with claims managers to capture what they need", "turns the department's goals into change requests",
        "recommends configuration changes to the claims system"]
    # a plural noun in a list has no determiner after it: nothing is cut
    assert clauses("Works with product owners, designers and testers on each release") == [
        "Works with product owners, designers and testers on each release"]


def test_the_actions_after_a_lead_in_colon_are_cut_by_their_own_first_verb():
    # the lead-in's own verb ("is spent") is no guide to the actions its colon introduces
    assert clauses("About two thirds of his time is spent programming: he writes new Java batch programs for the "
                   "billing system, modifies existing programs when the rules change, and tests his code before each "
                   "release.") == [
        "About two thirds of his time is spent programming: he writes new Java batch programs for the billing system",
        "modifies existing programs when the rules change", "tests his code before each release"]
    assert clauses("Website design (about 70% of her time): plans the look of each site, prepares wireframes in "
                   "Figma and sets the design guidelines for the site") == [
        "Website design (about 70% of her time): plans the look of each site", "prepares wireframes in Figma",
        "sets the design guidelines for the site"]
    # a list of things after the colon ("secure" and "run" are nouns there) stays one action
    for sentence in ("Wrote and maintains our engineering policies: on-call, incident post-mortems, secure coding "
                     "standard and release process",
                     "Writes new modules of the instrument software in C#: run scheduler, sample tracking, export to LIMS"):
        assert clauses(sentence) == [sentence]


def test_a_series_of_gerunds_after_another_verb_form_is_one_action_each():
    sentence = ("he also build the REST API in Node.js for the app, writing unit test and UI test, reviewing code of "
                "the junior developers, fixing the bugs reported by the testers and customers")
    assert clauses(sentence) == ["he also build the REST API in Node.js for the app", "writing unit test and UI test",
                                 "reviewing code of the junior developers",
                                 "fixing the bugs reported by the testers and customers"]


def test_one_participle_after_the_action_describes_it():
    sentence = "Built the payments API, using Spring Boot and Kafka"
    assert clauses(sentence) == [sentence]


def test_an_and_inside_a_subordinate_clause_joins_its_parts_not_the_actions():
    # "working" belongs to "that the controls are in place and ...", not to the series of actions
    assert clauses("She installed and now operates our intrusion prevention rules, verifying after every change "
                   "that the controls are in place and working as intended.") == [
        "She installed and now operates our intrusion prevention rules",
        "verifying after every change that the controls are in place and working as intended"]
    # a main action after the subordinate clause, in the sentence's own verb form, is still one of the actions
    assert clauses("Reviews the requests that come in from clinics and recommends whether a module should change") == [
        "Reviews the requests that come in from clinics", "recommends whether a module should change"]


def test_a_verb_after_a_possessive_is_a_noun_and_sets_no_verb_form():
    # "her work includes assessing ...": the sentence's verb is "includes", so "support" (a base form) after
    # "and" is a noun of the list, not an action like "work"
    sentence = ("and her work includes assessing clients' information systems, IT infrastructure and support "
                "processes, and identifying areas for improvement")
    assert clauses(sentence)[0].endswith("IT infrastructure and support processes")


def test_a_series_of_infinitives_is_one_action_each_and_one_purpose_clause_is_not():
    sentence = ("she was responsible to create the layout of the websites in Figma, to produce the banners and icons "
                "for the site, to mount the pages in WordPress with Elementor, and to make tests of usability with clients")
    assert clauses(sentence) == ["she was responsible to create the layout of the websites in Figma",
                                 "produce the banners and icons for the site",
                                 "mount the pages in WordPress with Elementor", "make tests of usability with clients"]
    one = "Designs the release pipeline in GitHub Actions, to make every deployment repeatable"
    assert clauses(one) == [one]
