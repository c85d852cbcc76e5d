"""Tool names in duties are found where they are tools, and restated as the work they are for."""

from __future__ import annotations

import re

import pytest

from nocmatch.letter.tools import (
    CASE_SENSITIVE,
    GUARDED,
    TOOL_ALIASES,
    TOOL_FUNCTIONS,
    TOOL_PATTERN,
    describe_tools,
    find_tools,
)

SPELLINGS = sorted({*TOOL_FUNCTIONS, *TOOL_ALIASES})


def canonical(name: str) -> str:
    return TOOL_ALIASES.get(name, name)


# --- the table


def test_every_phrase_is_a_short_lower_case_phrase():
    for name, phrase in TOOL_FUNCTIONS.items():
        assert phrase == phrase.lower() and phrase == phrase.strip(), name
        assert 1 <= len(phrase.split()) <= 8, name


def test_every_alias_names_a_tool_and_is_not_itself_one():
    for alias, name in TOOL_ALIASES.items():
        assert name in TOOL_FUNCTIONS, alias
        assert alias not in TOOL_FUNCTIONS, alias


def test_case_rules_and_guards_name_known_spellings():
    assert CASE_SENSITIVE <= set(SPELLINGS)
    assert set(GUARDED) <= set(SPELLINGS)


def test_no_two_spellings_that_match_the_same_text_mean_different_tools():
    folded: dict[str, str] = {}
    for name in SPELLINGS:
        if name not in CASE_SENSITIVE:
            key = " ".join(name.split()).casefold()
            assert folded.setdefault(key, canonical(name)) == canonical(name), name
    for name in CASE_SENSITIVE:  # a case-sensitive spelling must not also be reached case-insensitively
        assert folded.get(name.casefold(), canonical(name)) == canonical(name), name


@pytest.mark.parametrize("name", SPELLINGS)
def test_every_spelling_is_found_as_its_tool(name):
    assert find_tools(f"Worked with {name} for years.") == [canonical(name)]


def test_pattern_is_exported_compiled():
    assert isinstance(TOOL_PATTERN, re.Pattern)


# --- finding tools


def test_a_framework_and_an_interface_style():
    assert find_tools("Develop REST APIs using Spring Boot") == ["REST", "Spring Boot"]


def test_tools_come_in_order_of_first_occurrence_once_each():
    text = "Terraform modules for AWS; Terraform state in S3 and Ansible for AWS hosts"
    assert find_tools(text) == ["Terraform", "AWS", "Amazon S3", "Ansible"]


@pytest.mark.parametrize("text", [
    "We react quickly to incidents", "React quickly to production alerts", "React to customer escalations",
    "Reactive programming with Project Reactor",
])
def test_react_the_verb_is_not_react(text):
    assert "React" not in find_tools(text)


@pytest.mark.parametrize("text", ["Built UIs in React", "React, Redux and TypeScript front end",
                                  "React-based dashboards", "ReactJS components"])
def test_react_the_library_is_react(text):
    assert "React" in find_tools(text)


@pytest.mark.parametrize("text", ["Go-live support for the ERP", "Plan the go to market launch",
                                  "Go to client sites for installs", "Supported the Go Live weekend",
                                  "Wrote a Gopher protocol client", "Algorithms and ergonomics"])
def test_go_the_verb_is_not_go(text):
    assert "Go" not in find_tools(text)


@pytest.mark.parametrize("text", ["Build services in Go and Python", "Languages: Go, Rust", "Golang microservices",
                                  "Python/Go tooling"])
def test_go_the_language_is_go(text):
    assert "Go" in find_tools(text)


def test_dotnet_names_with_punctuation():
    assert find_tools("C#, .NET and ASP.NET Core") == ["C#", ".NET", "ASP.NET"]
    assert find_tools("Services in C#.") == ["C#"]
    assert find_tools("Migrated the portal to ASP.NET.") == ["ASP.NET"]


def test_a_name_with_a_dot_before_a_comma_or_full_stop():
    assert find_tools("Built APIs in Node.js, then moved them") == ["Node.js"]
    assert find_tools("Built APIs in Node.js.") == ["Node.js"]


def test_c_and_cpp_are_told_apart():
    assert find_tools("Firmware in C and C++") == ["C", "C++"]
    assert find_tools("C/C++ drivers") == ["C", "C++"]
    assert find_tools("Wrote C++ only") == ["C++"]


@pytest.mark.parametrize("text", ["Vitamin C, iron", "(C) 2021 Acme Inc.", "C) Review the designs",
                                  "Serviced A/C units", "Kept rooms at 21 C", "Holds a Class C licence"])
def test_a_capital_c_that_is_not_the_language(text):
    assert "C" not in find_tools(text)


def test_r_only_as_a_standalone_capital():
    assert find_tools("Models in R and Python") == ["R", "Python"]
    assert find_tools("Works in our R&D centre") == []
    assert find_tools("Signed by John R. Smith") == []
    assert find_tools("r is a variable") == []


def test_lower_case_names_match_case_insensitively():
    assert find_tools("deployed on kubernetes") == ["Kubernetes"]
    assert find_tools("DEPLOYED ON KUBERNETES WITH TERRAFORM") == ["Kubernetes", "Terraform"]
    assert find_tools("postgres and MONGODB") == ["PostgreSQL", "MongoDB"]


def test_words_on_several_lines_still_make_one_name():
    assert find_tools("REST services in Spring\nBoot") == ["REST", "Spring Boot"]


@pytest.mark.parametrize("alias, name", [
    ("Golang", "Go"), ("k8s", "Kubernetes"), ("Postgres", "PostgreSQL"), ("GH Actions", "GitHub Actions"),
    ("Splunk ES", "Splunk Enterprise Security"), ("ReactJS", "React"), ("sklearn", "scikit-learn"),
    ("MS SQL Server", "SQL Server"), ("Jira Service Desk", "Jira Service Management"), ("Apache Kafka", "Kafka"),
])
def test_aliases_map_to_the_canonical_name(alias, name):
    assert find_tools(f"Used {alias} daily") == [name]


@pytest.mark.parametrize("text", [
    "The rest of the team", "We express our thanks", "She will excel at any role", "A swift response to outages",
    "Spring cleaning of the server room", "The spark for the project", "Made flask samples", "A ruby necklace",
    "Set the angular offset", "Rust removal and painting", "Express Entry application support",
    "Ms. Ruby Chen led the team", "Mr. Jenkins signed off", "Worked in Swift Current, Saskatchewan",
    "Lives in Ajax, Ontario", "Spring 2021 term projects",
])
def test_ordinary_words_and_names_are_not_tools(text):
    assert find_tools(text) == []


@pytest.mark.parametrize("text", ["Gopher", "Reactive streams", "Springfield office", "Expressway signs",
                                  "Dockerize", "Pythonic code", "MySQLi driver", "Rusty bolts", "Javadoc comments"])
def test_a_name_inside_a_longer_word_is_not_found(text):
    assert find_tools(text) == []


# --- describing tools


def test_describe_appends_the_phrase_in_brackets():
    text = "Write unit tests with JUnit"
    described = describe_tools(text)
    assert described == f"{text} ({TOOL_FUNCTIONS['JUnit']})"
    assert "testing" in described


def test_describe_leaves_a_tool_free_sentence_identical():
    text = "Prepare the monthly budget report for the director."
    assert describe_tools(text) == text


def test_describe_appends_each_phrase_once_in_order():
    text = "React front end on a Django back end, tested with Jest, Cypress and Selenium"
    assert describe_tools(text) == (f"{text} (web user interface development; server-side application development;"
                                     " testing software code; automated software testing)")


def test_a_large_input_is_handled():
    chunk = ("Deployed Go services to Kubernetes with Helm. We react quickly; R&D budget in Excel. "
             + "C " * 20 + " " * 200 + "\n" * 100 + "Spring" + " " * 100 + "Boot. ")
    text = (chunk * (1_000_000 // len(chunk) + 1))[:1_000_000]
    assert find_tools(text) == ["Go", "Kubernetes", "Helm", "Excel", "Spring Boot"]
