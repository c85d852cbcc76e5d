"""The positions a reference letter lists, the dates and hours of each, and the duties of each.

IRCC asks a reference letter to list every position held at the employer, each with its title,
dates, hours and duties. Promotions are common ("Software Developer 2016–2020, Engineering Manager
2020–present"), and each position may support its own NOC code. :func:`find_positions` reads the
positions of a parsed letter (:func:`nocmatch.letter.parse_letter`, no catalog and no model needed),
:func:`experience` counts the months of each, and :func:`overlaps` says which positions overlap.

Where a position is declared
----------------------------
A *declaration* names a job title (a phrase whose head noun is a job's, as
:func:`nocmatch.letter.classify.title_phrase` finds it) and, usually, its dates. The title is kept as
the letter writes it after its head noun: a level ("Programmer Analyst I", "Systems Analyst II") and,
after a job's own noun, a department's initials ("Manager IT", but "Manager" in "Manager IT
Services"). A word that names the employment itself ("Job duties:", "Work duties:", "Employment") is
no title, whatever head nouns the catalog lists.

- **heading**: a line that opens with the title and goes on to its dates — "1) Software Developer,
  Policy Systems - August 14, 2017 to March 31, 2020", "QA Analyst (Jan 2018 – Jun 2020)",
  "Position 2: Network Technician (June 1, 2018 – …)", "B. Information Security Analyst
  (02/2018 - 11/2020)", a bullet or a column-aligned row. A label or the letter, number or numeral
  that enumerates the sections is not part of the title, nor are the duty words of a section heading
  ("Activities as Data Scientist (Jun 2019 - current)": the title is "Data Scientist"). A heading
  may take two lines: a line that is only a title (a department in brackets after it is left out:
  "Business Systems Analyst (Lending Operations)") over a line that is only its dates, labelled or
  not ("Jan 2018 – Jun 2020"; "Position 1: Android Developer" over "Period: July 2017 - March 2020").
  The dates line may go on, after a "|", "," or ";", with the position's weekly hours and what else the
  writer says of its terms ("May 2018 – Aug 2019 | 20 hours per week, while at college"), also when
  the parser split it at its "|" into list items;
- **table row**: a row of a ``|`` table or of a column-aligned table with a title cell and dates
  (title | start | end | hours); a header row says which column holds the weekly hours. The rows of
  an aligned table that the parser ran together into one sentence are read line by line (each line a
  row of two cells at least, "Accountant      2017 to March 2020"). A row that
  names a title and states no dates ("IT Service Desk Co-op Student   co-op work term") declares a
  position without dates when a dated row of the same table is next to it. A row that declares no
  position ("Employment period | 2018-10-01 to present", "Duties | Sets up the test stations") is
  read like any other sentence: for the employment's dates and hours, or as a duty;
- **prose**: a sentence with a title cue ("worked as", "was promoted to", "position of", "became",
  "moved to the role of", "began as", "held the title", "was reclassified to", "has been a", and
  after one of these "… and to <title>", "… and as <title>", or ", as <title>" in a list of titles:
  "served as Analyst from 2014, as Senior Analyst from 2017, and as …") — "From 02/2018 to 01/2021
  he worked as a QA Analyst", "was promoted to Engineering Manager on March 1, 2021", "began as a Clinical
  Systems Analyst on April 4, 2016", "held the title Programmer Analyst I from May 2014, was
  reclassified to Programmer Analyst II in January 2017, and has been a Senior Programmer Analyst
  from July 2020 to date". A sentence
  naming several titles is cut at the last clause break ("," ";" "and") between one title and the
  next cue, and each title takes the dates and hours of its part ("hired as a Network Technician
  and in April 2017 promoted to …": April 2017 is the second title's);
- **fields**: "Job title: …", "Designation : …" or "Post held: …" followed by "Start date: …", "End date: …"
  ("Present" makes it current), "Period : 12th July 2016 to 31st May 2019" (or "Tenure : …",
  "Duration : …", "Service period : …"), "Hours per week: …"
  lines, whatever kind the parser took them for (it reads some for duties). The template's other
  lines between them ("Department: …", "Branch / Unit : …") do not end the fields and, like the
  fields, belong to the declaration, not to the duties; a heading ("Key Responsibilities:") or a
  duty ends them. When the parser joins the fields into one sentence ("Designation : Software Engineer
  Department : Payments Period : …"), a title after a colon ends before the next field's label (its
  last word followed by a colon);
- **title heading**: a heading naming a title ("As Engineering Manager, her duties include:",
  "Duties as QA Analyst:", "Programmer Analyst duties:") or a line that is only a title (its terms in
  brackets after it are left out, and their hours are the position's: "QA Test Technician
  (part-time, 20 hours per week)") and is followed by duties or by the items of a list (terse items
  may not read as duties). It switches to the position of that title, or declares an undated one.
  Duties divided under short headings of which one only names a title, beside one that names none
  ("Management" and "Hands-on"), are groups of one position's duties: in a letter that declares its
  positions elsewhere, that heading declares no position of its own. A sentence that opens with
  "As <title>," ("As a Software Developer (2016–2019), Tomasz wrote …") switches to a position
  already declared with that title and stays a duty.

Non-duty sentences are read for every kind of declaration. Duty sentences — the parser takes some
headings for duties — are read only for headings, title headings, and (when not a list item) for
prose that states both a title cue and a date: no other duty sentence is searched for titles. The
same title declared again (a table row, then a heading with the same title) is the same position,
unless both state different start dates. A letter yields at most :data:`MAX_POSITIONS` positions.

Positions are in letter order: where each is first declared, except that when every position has a
section of its own (a heading followed by a list of its duties) they are in the order of their
sections — the text above the sections may name them in passing in another order ("Current title:
Front-End Developer, since March 2021. Before that she worked as a Web Designer." over a "Web
Designer" section and then a "Front-End Developer" section).

Dates
-----
A declaration's dates are the first range of its text (:func:`nocmatch.letter.dates.find_ranges`),
else its single dates: after "until", "till", "to", "ended", "left" … a date is an end, any other is
a start. Numeric dates are read in the day order the whole letter reveals
(:func:`nocmatch.letter.dates.day_order`). Sentences that state the employment's dates without a title
("has been employed with us since August 14, 2017") give the first position its start when it has
none, and tell whether the employment continues. A position with a start but no end is ended the
day before the next position starts (the next the letter lists that starts later; in a letter that
lists the latest first, the next in time), unless a range says it runs to the present
("2019 – present"); "since 2016" and a prose "currently" do not prevent it, since they often
speak of the employment, not the position — the notes say when an end is inferred. A position the
letter gives no dates, listed before a dated one in a letter that lists its positions oldest first
(each dated position starts after those listed before it), ends the day before that one starts —
unless a table row names it without dates (the table leaves its dates out: none is inferred). The
latest position without an end takes the employment's end, or is current when the letter says the
employment continues ("is currently employed", "has been employed … since …"). When a sentence
without a title says the employment runs to the present ("employed since 1 June 2018 up to the
present"), a range elsewhere without a title ("from 1 September 2020 to 31 October 2020 she held
both positions") ends a period within it, not the employment. Overlapping positions are never
adjusted: :func:`overlaps` reports them and each position's notes say so.

The letter's date (:func:`letter_date`), to which a current position is counted, is the date line
above the body; when the parser finds no letterhead or greeting, it is a line of the letter's header
(above its first line of running text) that is only a date, a date after a date label ("Date issued:
2025-01-20") or after the place of writing ("São Paulo, 10 March 2025"). The cells of the letterhead's
contact line ("Tel. No.: (02) 8555-7120 | hr@…"), which the parser reads as list items, do not end
the header. An undated letter has none.

Duties
------
A letter with one position: that position holds every duty sentence. With several, duty sentences
are walked in letter order and each belongs to the position declared (or switched to by a title
heading, a "current duties" heading or an "As <title>," sentence) most recently before it. Duty
sentences before any declaration belong to no position (the letter has not yet said whose they are:
"She has held three positions with us."), unless the duties are undivided. The duties are
*undivided* — every position gets all duty sentences, with ``shared_duties`` True — when the letter
says so ("duties remained the same", "in both roles", "in all three roles"), or when at most one
position received duties and it received them only through prose or a table row (a narrative
"joined as X … promoted to Y" followed by one list of duties, or a table of positions followed by
one list). When the statement that the duties did not change is in one position's part of the letter
("Position 2 … His job duties remained the same as in Position 1"), that position has no duties of
its own, and another position lists its own, the duties are divided: that position takes the duties
of the position listed before it, and its notes say so. A position whose own heading is followed by
duties keeps them even when the other positions have none (their duties may be written inside their
declaration sentence); a position with no duty sentence of its own says so in its notes.
Declaration sentences are never duties of a position.

Hours
-----
The weekly hours stated in a position's declaration (or its table column, its "Hours per week:"
field or the brackets after its title line) are its own ("forty (40) hours per week" is 40); one
figure stated elsewhere in the letter applies to every position that has none. :func:`experience`
counts a part-time position pro rata: IRCC counts 30 hours a week as full time (1,560 hours a year).

Every pattern runs in time linear in the sentence it searches: quantifiers are bounded or separated
by characters they cannot share, and the text around a date is read from a bounded window.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass, field, replace

from nocmatch.letter.classify import (
    DEFAULT_TITLE_HEADS,
    EMPLOYMENT_TYPE,
    FIELD_GAP,
    TITLE_CUE,
    ParsedLetter,
    Sentence,
    title_head,
    title_phrase,
)
from nocmatch.letter.dates import (
    CUE_WINDOW_CHARS,
    EMPLOYMENT_CONTINUES,
    END_CUE_BEFORE,
    FULL_TIME_HOURS,
    PLACE_BEFORE,
    START_CUE_BEFORE,
    DateRange,
    StatedDate,
    day_before,
    day_order,
    find_dates,
    find_ranges,
    foreign_date_line,
    whole_months,
)

TITLE_KEY_WORD = re.compile(r"[a-z0-9+#]+")
#: The most declarations (titles with or without dates) read from one text; a letter has a few dozen at most.
MAX_DECLARATIONS = 200
#: The most positions read from one letter: a career at one employer has a handful, and each
#: declaration is compared with every position found before it.
MAX_POSITIONS = 12
#: A heading's title is at most this many words before its dates ("Senior Software Engineer, Platform").
MAX_TITLE_WORDS = 10
#: Lower-case words that may follow a title before its dates ("Developer at Acme (2019 – 2021)",
#: "Analyst in the Risk team, 2019 – 2021"); another lower-case word makes the words a sentence.
TITLE_FOLLOWERS = frozenset("at in for with of within on under and".split())
#: A line that is only a title ("Senior Developer") has at most this many words.
MAX_TITLE_LINE_WORDS = 8
#: A heading ("Duties as QA Analyst:") has at most this many words.
MAX_HEADING_WORDS = 16
#: The title must start within this many words of the heading's text (after its label).
TITLE_START_WORDS = 3
#: Column-aligned table rows have at least this many cells, separated by two or more spaces.
MIN_ALIGNED_CELLS = 3
#: How many characters of a sentence are searched for a title after a cue; a title is short.
TITLE_CHARS = 120

#: Sentence kinds that are never part of the letter's body (the letterhead above it, the signature below).
OUTSIDE_BODY = frozenset({"letterhead", "contact", "greeting", "closing", "signature"})
#: Kinds of the lines above the body; a "date" line below them is a table cell or a field, not the letter's date.
HEADER_KINDS = frozenset({"letterhead", "contact", "date", "greeting"})

#: "Position 1:", "Role 2 -", "Job title:", "Current position:" before a heading's title, or the letter,
#: number or numeral that enumerates headed sections ("A. ", "2) ", "iii. ") (always ``match``-ed).
LABEL = re.compile(r"(?:(?:current|previous|prior|former|present|new|first|second|third|last)\s+)?"
                   r"(?:position|role|job\s+title|title|designation|period|dates?)\s*(?:#\s*)?(?:(?:\d{1,2}|[ivx]{1,4})\s*)?"
                   r"(?:\([^()\n]{1,30}\)\s*)?(?:[:.)–—-]\s*|$)|\(?(?:[a-z]|\d{1,2}|[ivx]{2,4})[.)]\s+", re.I)
#: The word that opens a part of a form or a document, not a title ("SECTION C - HOURS AND PAY").
FORM_SECTION = re.compile(r"(?:section|part|schedule)\s+(?:[a-z]|\d{1,2}|[ivx]{1,4})\b", re.I)
#: The word that opens a project's heading (duties grouped by project) or a leave's, not a position's.
NOT_A_POSITION = re.compile(r"(?:project|client|programme|program|contract|engagement|leave|lwop|absence|maternity"
                            r"|parental|sick)\b", re.I)
#: What may separate a heading's title from its dates: "Software Developer - ", "QA Analyst (", "Title:".
TITLE_TRAIL = " \t-–—:,(|/[.;"
#: Abbreviations whose full stop would end a title early ("Sr. Software Engineer").
ABBREVIATION_DOT = re.compile(r"\b(Sr|Snr|Jr|Jnr|Asst|Assoc|Mgr|Exec|Prin|Tech)\.", re.I)
#: Title cues that classify.TITLE_CUE lacks and promotions use ("became a Senior …", "moved into",
#: "was reclassified to"), the first position's "began as a …", and a title held ("held the title
#: Programmer Analyst I", "has been a Senior Analyst from July 2020 to date"), and a template's "Post held: …".
PROMOTION_CUE = re.compile(
    r"\b(?:became|becomes|become|promoted\s+as|re-?(?:designated|classified|titled)\s+(?:as|to)|moved\s+(?:in)?to"
    r"|transferred\s+to|took\s+over\s+as|took\s+up\s+the\s+(?:role|position)\s+of|was\s+named|now\s+works\s+as"
    r"|continues\s+as|(?:held|holds|hold)\s+the\s+(?:job\s+)?(?:title|position|role|designation)(?:\s+of)?"
    r"|has\s+been(?=\s+(?:an?|our|the)\s)|(?:began|begun|commenced|started\s+(?:out|off))\s+as"
    r"|\b(?:post|position|role)[ \t]{1,4}held[ \t]{0,20}[:\-–])\s+"
    r"(?:the\s+(?:role|position)\s+of\s+)?(?:an?\s+|the\s+|our\s+)?(?P<t>[A-Za-z][^\n]{0,120})", re.I)
#: A title named again after a cue in the same sentence: "… and to Senior Web Developer", "… and as IT Manager",
#: or after a comma of a list of titles ("served as Analyst from 2014, as Senior Analyst from 2017 and …").
ELLIPTIC_CUE = re.compile(r"(?:\b(?:and|then)|[,;])\s+(?:(?:later|then|subsequently|finally)\s+)?(?:to|as)\s+"
                          r"(?:the\s+(?:role|position)\s+of\s+)?(?:an?\s+|the\s+|our\s+)?(?P<t>[A-Za-z][^\n]{0,120})", re.I)
#: The duty words that open a section heading before its title: "Duties as", "Main responsibilities of
#: the", "Activities as" ("ACTIVITIES AS DATA SCIENTIST (Jun 2019 - current)").
_DUTY_LEAD = (r"(?:(?:main|key|primary|principal)\s+)?(?:duties|responsibilities|tasks|functions|activities)"
              r"(?:\s+and\s+responsibilities)?\s+(?:(?:as|of|for|in\s+the\s+(?:role|position)\s+of)\s+"
              # "Tasks in position 1 (Working Student IT Support):", a table's numbered positions
              r"|in\s+(?:position|role)\s+\d{1,2}\s*\(\s*)")
DUTY_LEAD = re.compile(rf"{_DUTY_LEAD}(?:an?\s+|the\s+|our\s+)?", re.I)
#: A heading's words before its title: "Duties as", "As", "In her role as", "Main responsibilities of the",
#: "Since my promotion to".
_HEADING_LEAD = (
    rf"(?:{_DUTY_LEAD}"
    r"|(?:as|while|when)\s+|(?:since|after|following|upon)\s+(?:(?:my|his|her|their|the)\s+)?promotion\s+(?:to|as)\s+"
    r"|in\s+(?:(?:his|her|their|the|this|that)\s+)?(?:(?:current|present|previous|former|new|earlier"
    r"|prior|first|second)\s+)?(?:role|position|job|capacity)\s+(?:as|of)\s+)"
    r"(?:an?\s+|the\s+|our\s+)?")
HEADING_LEAD = re.compile("^" + _HEADING_LEAD, re.I)
#: The same words before a dated heading's title, where a label may precede them ("As Lead Software Engineer
#: (February 1, 2021 - Present):") (always ``match``-ed at the title's start).
DATED_HEADING_LEAD = re.compile(_HEADING_LEAD, re.I)
#: A sentence that opens by naming the position its duties belong to ("As a Software Developer, …", "In the
#: position of Chief Specialist of the IT Department his duties included: …").
AS_TITLE = re.compile(r"^(?i:as|while|when\s+(?:he|she|they)\s+was|in\s+(?:(?:his|her|their|the)\s+)?(?:position|role|capacity)"
                      r"\s+(?:of|as))\s+(?:(?i:an?|the|our)\s+)?[A-Z]")
#: A duty sentence about the work since a promotion ("Since his promotion on September 1, 2021, he has led …");
#: "Since his promotion to …" names its position and is read as a heading.
SINCE_PROMOTION = re.compile(r"(?:since|after|following|upon)\s+(?:his|her|their|my|the)\s+promotion\b(?!\s+(?:to|as)\b)",
                             re.I)
#: A heading over the duties of the position held now ("Her current duties include:").
CURRENT_HEADING = re.compile(r"\b(?:current|present)\b", re.I)
#: Words that qualify duties and are job titles too ("Principal duties", "General duties").
DUTY_ADJECTIVES = frozenset({"principal", "general", "main", "key", "primary", "major", "chief", "core"})
DUTY_WORDS = re.compile(r"\b(?:duties|responsibilities|tasks|functions|activities)\b", re.I)
#: The letter says the duties did not change between positions, or lists them once for all.
SAME_DUTIES = re.compile(
    r"\b(?:duties|responsibilities|role|tasks)\b[^.;:]{0,40}?\b(?:remained|remain|remains|stayed|stay|were|are|have been"
    r"|continued|continue)\s+(?:largely\s+|substantially\s+|essentially\s+|much\s+)?(?:the\s+)?(?:same|unchanged|similar"
    r"|identical)\b|\b(?:same|unchanged|identical|similar)\s+(?:duties|responsibilities)\b"
    r"|\b(?:in|for|across)\s+(?:both|all|each\s+of)(?:\s+(?:his|her|their|these|those|the|two|three|four|five)){0,2}"
    r"\s+(?:positions|roles|titles|jobs)\b", re.I)
#: Weekly hours: "40 hours per week", "37.5 hrs/week", "20 h/week", "a 40-hour week", "forty (40) hours per
#: week", "Hours per week: 37.5".
HOURS = re.compile(
    r"(?<![\d.])(?P<n>\d{1,2}(?:\.\d{1,2})?)\)?\s*(?:-\s*)?(?:hours?|hrs?|h)\b\.?\s*(?:(?:per|a|an|/|each|every)\s*)?"
    r"(?:week|wk)\b"
    r"|\b(?:hours|hrs)\s*(?:(?:per|a|/)\s*)?(?:week|wk)\b\s*(?:[:\-–]\s*)?(?P<n2>\d{1,2}(?:\.\d{1,2})?)(?![\d.])", re.I)
NUMBER = re.compile(r"^\s*(?P<n>\d{1,2}(?:\.\d{1,2})?)\s*(?:(?:h|hrs?|hours?)\s*)?$", re.I)
#: Template fields after a "Job title:" line (the value is read from the first 120 characters: the parser
#: may run the next field of the template into the line).
FIELD = re.compile(
    r"^(?P<label>(?:employment\s+start(?:ing)?(?:\s+date)?|start(?:ing)?\s+date"
    r"|date\s+(?:of\s+)?(?:hire|joining|start|employment|engagement|appointment)|start|from)"
    r"|(?:employment\s+end(?:ing)?(?:\s+date)?|end(?:ing)?\s+date|date\s+(?:of\s+)?(?:leaving|end|departure)|end|to|until)"
    r"|(?:(?:employment\s+|service\s+)?(?:dates?|period)|duration|tenure)"
    r"|(?:hours(?:\s*(?:per|a|/)\s*week)?|weekly\s+hours|hours/week))"
    # the label's colon, a table's column gap ("Employment start\tMarch 1, 2022") or a form's dot leader
    rf"(?:\s*[:\-–]\s*|{FIELD_GAP})(?P<value>\S.{{0,120}})", re.I)
#: The title field of a template ("Designation : Software Engineer", "Job title: QA Analyst", "Post held: QA
#: Analyst", a Portuguese form's "Function: Mainframe Programmer") (always ``match``-ed).
TITLE_FIELD = re.compile(r"(?:(?:job|current|present)\s+)?(?:title|position|designation|role|post|function)"
                         r"(?:[ \t]{1,4}held)?[ \t]{0,20}[:\-–]", re.I)
#: The colon after a field's label ("Department  :"), ``match``-ed right after a word.
FIELD_COLON = re.compile(r"[ \t]{0,20}:")
#: The label of a line that states a position's dates ("Period: July 2017 - March 2020", "Dates of employment:").
DATES_LABEL = re.compile(r"(?:(?:employment|service)\s+)?(?:period|dates?|duration|tenure)"
                         r"(?:\s+of\s+(?:employment|service))?[ \t]{0,20}[:\-–]", re.I)
#: Words that name the employment, not an occupation: "Job duties:" and "Work duties:" name no title.
GENERIC_TITLES = frozenset({"job", "work", "position", "role", "post", "employment", "career", "assignment"})
#: A head noun of NOC titles that names an activity or a field, not a person ("Director, software
#: development" makes "development" a head): a title of such words alone is a section of duties
#: ("Development (approx. 70%):", "Support:"), not a position.
ACTIVITY_HEAD = re.compile(r"(?:ment|tion|sion|ing|ance|ence|ity|ure|ics|ogy|support|design|research|finance|services?"
                           r"|operations|sales)$")
#: What the title goes on with after its head noun as the letter writes it: a level ("Programmer Analyst II",
#: "Software Engineer I"), or, after a job's own noun in a title not written in capitals, a department's
#: initials ("Manager IT"); not when a capitalised word follows ("Manager IT Department") (always
#: ``match``-ed after the head noun).
TITLE_LEVEL = re.compile(r"[ \t]{1,4}(?P<level>I{1,3}|IV|V)(?![\w'’-])(?![ \t]{1,4}[A-Z][a-z])")
TITLE_INITIALS = re.compile(r"[ \t]{1,4}(?P<level>[A-Z]{2,4})(?![\w'’-])(?![ \t]{1,4}[A-Z][a-z])")
#: Any line of a template ("Department: Information Technology", "Job classification ........ IT-04"): a label of
#: up to four words and a colon or a dot leader.
TEMPLATE_LINE = re.compile(r"^[A-Za-z][\w/&().-]{0,20}(?:[ \t]{1,20}[\w/&().-]{1,20}){0,3}[ \t]{0,20}(?::|\.{3,})[ \t]*\S")
#: Words of a template line that states duties ("Duties: Prepares the payroll", "Job description: …").
DUTY_LABEL = re.compile(r"\b(?:duties|responsibilities|tasks|functions|activities|description)\b", re.I)
START_LABEL = re.compile(r"start|hire|joining|^from", re.I)
END_LABEL = re.compile(r"end|leaving|departure|^to|^until", re.I)
HOURS_LABEL = re.compile(r"hour", re.I)
#: Words of a table header (the row above the positions).
HEADER_TITLE = re.compile(r"\b(?:position|title|role|designation|job)\b", re.I)
#: A header cell that is only the title column's name ("Position", "Job title"; not "Position 1" over a
#: table of fields, one column per position).
TITLE_COLUMN = re.compile(r"(?:job\s+|position\s+)?(?:position|title|role|designation)(?:\s+held)?", re.I)
#: A header cell of a positions table's dates ("From", "To", "Period"): with :data:`TITLE_COLUMN`, the header
#: of a table of positions, not a table of fields ("Title | Software Developer | Lead Developer").
HEADER_DATES = re.compile(r"\b(?:from|to|period|dates?|start|end|since|until|duration|tenure)\b", re.I)
HEADER_HOURS = re.compile(r"\b(?:hours?|hrs)\b", re.I)
#: A prose declaration's words that say the position is held now ("currently", "to date", "till date").
CURRENT_IN_PROSE = re.compile(r"\b(?:currently|presently|till\s+date|until\s+now|to\s+this\s+day|still|ongoing"
                              r"|(?:current|present)\s+(?:position|title|role|designation)"
                              r"|(?<=\S\s)to\s+date|(?:is|are)\s+(?:now\s+)?(?:working|employed|serving)\s+as|holds)\b",
                              re.I)
COLUMN_GAP = re.compile(r"\t\s*|\s{2,}")  # a Word table pasted as text separates its cells by one tab
#: A bracketed department after a title on a line of its own ("Business Systems Analyst (Lending Operations)").
DEPARTMENT_SUFFIX = re.compile(r"[ \t]{0,8}\([^()\n]{1,60}\)[ \t]{0,8}$")
RANGE_OPENING = re.compile(r"\s+(?:from|since|between)$", re.I)
#: Present-tense employment that EMPLOYMENT_CONTINUES does not list ("She works full-time").
WORKS_NOW = re.compile(r"\b(?:works|is\s+working|holds)\b", re.I)
#: Where a clause ends inside a sentence that names two positions.
CLAUSE_BREAK = re.compile(r"[,;]|\b(?:and|then|but|while)\b", re.I)
#: A prose duty sentence that states the employment's own dates ("Her employment started on … and ended on …").
EMPLOYMENT_WORDS = re.compile(r"\b(?:employ\w*|joined|hired|worked\s+(?:for|at|with)\s+(?:us|our))\b", re.I)
DIGIT = re.compile(r"\d")


# -- results ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Position:
    """One position the letter lists, with its dates, weekly hours and duty sentences.

    Attributes
    ----------
    index : int
        0-based, in letter order.
    title : str or None
        The job title as the letter states it (None when the letter states none).
    start, end : StatedDate or None
        The dates stated (or inferred: see ``notes``).
    current : bool
        The position is held now.
    hours_per_week : float or None
        Stated for this position, or the letter's one figure when only one is stated.
    declared_at : int or None
        ``Sentence.index`` of the sentence that declares the position.
    duty_indices : tuple of int
        ``Sentence.index`` of its duty sentences.
    shared_duties : bool
        Its duties are the letter's common duties (the same duties in every position).
    notes : tuple of str
        What a reader should check: ambiguous dates, inferred ends, missing dates, overlaps. Other
        positions are counted from 1 in the notes, as a reader counts them.
    """

    index: int
    title: str | None
    start: StatedDate | None
    end: StatedDate | None
    current: bool
    hours_per_week: float | None
    declared_at: int | None
    duty_indices: tuple[int, ...]
    shared_duties: bool
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """JSON-ready: ``start`` is the first day of the start period and ``end`` the last day of the
        end period, as ISO dates; ``stated`` holds each date as written, with its precision."""
        return {"index": self.index, "title": self.title,
                "start": self.start.value.isoformat() if self.start else None,
                "end": self.end.last_day().isoformat() if self.end else None,
                "current": self.current,
                "stated": {"start": self.start.to_dict() if self.start else None,
                           "end": self.end.to_dict() if self.end else None},
                "hours_per_week": self.hours_per_week, "declared_at": self.declared_at,
                "duty_indices": list(self.duty_indices), "shared_duties": self.shared_duties, "notes": list(self.notes)}


@dataclass(frozen=True)
class Experience:
    """The experience one position gives, in whole calendar months and in full-time months.

    Attributes
    ----------
    start : datetime.date or None
        The first day of the position's start period.
    end : datetime.date or None
        The last day of its end period, or the date counted to when it is current.
    current : bool
    counted_to : str or None
        "letter date" or "today" for a current position, else None.
    months : int or None
        Whole calendar months from ``start`` to ``end``, the end day included; None when a date is missing.
    fte_months : float or None
        ``months`` × hours / 30 when under 30 hours a week are stated, else ``months`` (1 decimal).
    note : str or None
    """

    start: datetime.date | None
    end: datetime.date | None
    current: bool
    counted_to: str | None
    months: int | None
    fte_months: float | None
    note: str | None = None

    def to_dict(self) -> dict:
        return {"start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None, "current": self.current,
                "counted_to": self.counted_to, "months": self.months, "fte_months": self.fte_months, "note": self.note}


# -- declarations ---------------------------------------------------------------------------------
@dataclass
class _Dates:
    """The dates and hours one declaration states."""

    start: StatedDate | None = None
    end: StatedDate | None = None
    current: bool = False
    current_implied: bool = False   #: current only through "since …": a later position ends it
    hours: float | None = None

    @property
    def any(self) -> bool:
        return self.start is not None or self.end is not None or self.current


@dataclass
class _Declaration:
    sentence: int
    title: str
    dates: _Dates
    style: str        #: "heading", "table", "prose", "field", "title heading"


@dataclass
class _Draft:
    """A position being built from its declarations."""

    title: str
    declared_at: int
    start: StatedDate | None = None
    end: StatedDate | None = None
    current: bool = False
    current_implied: bool = False
    hours: float | None = None
    duties: list[int] = field(default_factory=list)
    own_section: bool = False        #: it received duties after its own heading (not prose or a table row)
    undated_row: bool = False        #: a table row names it and states no dates: no end is inferred for it
    section_at: int | None = None    #: the sentence of the first heading over a list of its duties
    notes: list[str] = field(default_factory=list)

    def take(self, dates: _Dates) -> None:
        """Fill what the draft lacks from another statement of the same position."""
        if self.start is None and dates.start is not None:
            self.start = dates.start
        if self.end is None and not self.current:
            if dates.end is not None:
                self.end = dates.end
            elif dates.current:
                self.current, self.current_implied = True, dates.current_implied
        if self.hours is None:
            self.hours = dates.hours


#: A person's name and a dash before a title ("Ines Moreau - Front-End Developer").
NAME_DASH = re.compile(r"[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2}\s+[-–—]\s+")


def _clean_title(text: str, heads) -> str:
    """The job title a piece of text opens with, or "" when it opens with none.

    What follows a comma is the department when the title is whole before it ("Data Scientist,
    Advanced Analytics", "Junior QA Tester, IT Department"), and part of the title when only a head
    noun precedes it ("Manager, Information Systems", "Director, Human Resources").
    """
    text = _without_name(ABBREVIATION_DOT.sub(r"\1", text)[:TITLE_CHARS], heads)
    if FORM_SECTION.match(text):
        return ""  # "SECTION C - HOURS AND PAY": a part of a form
    title = title_phrase(text, heads)
    if not title or title.lower() in GENERIC_TITLES or not _names_a_person(title, heads):
        return ""
    before, comma, _ = title.partition(",")
    if comma and len(before.split()) >= 2 and title_head(before.split()[-1]) in heads:
        return before.strip()
    return title + _title_suffix(text, title)


def _without_name(text: str, heads) -> str:
    """``text`` without the employee's name and a dash before its title ("Ines Moreau - Front-End Developer")."""
    named = NAME_DASH.match(text)
    if named and not any(title_head(word) in heads for word in named.group().split()):
        return text[named.end():]
    return text


def _names_a_person(title: str, heads) -> bool:
    """Whether a title has a head noun that names a person (:data:`ACTIVITY_HEAD`)."""
    return any(head in heads and not ACTIVITY_HEAD.search(head)
               for head in (title_head(word) for word in re.findall(r"[\w'-]+", title)))


def _without_label(text: str, title: str) -> str:
    """The title of a field ("Designation : …") without the label of the template's next field, which the
    parser joins onto the title's sentence ("Designation : Software Engineer Department : Payments" →
    "Software Engineer"): when a colon goes before the title, a last word followed by one."""
    words = title.split()
    at = text.find(title)
    if len(words) < 2 or at < 1 or not text[:at].rstrip().endswith(":") or not FIELD_COLON.match(text, at + len(title)):
        return title
    return " ".join(words[:-1])


def _title_suffix(text: str, title: str) -> str:
    """The level or department initials the letter writes right after a title ("Programmer Analyst II",
    "Manager IT"), which the title phrase leaves out, with its leading space; else ""."""
    last = title.split()[-1]
    at = text.find(last)
    if at < 0:
        return ""
    end = at + len(last)
    initials = title != title.upper() and title_head(last) in DEFAULT_TITLE_HEADS  # "Manager IT", not "Software JSC"
    suffix = TITLE_LEVEL.match(text, end) or (TITLE_INITIALS.match(text, end) if initials else None)
    return " " + suffix.group("level") if suffix else ""


def _starts_with(text: str, title: str) -> bool:
    """Whether ``title`` begins within the first few words of ``text`` (not deep inside a sentence)."""
    first = title.split()[0].strip("(),.:;").lower()
    return first in [w.strip("(),.:;").lower() for w in ABBREVIATION_DOT.sub(r"\1", text).split()[:TITLE_START_WORDS]]


def _title_key(title: str) -> str:
    return " ".join(TITLE_KEY_WORD.findall(title.lower()))


def _hours_in(text: str) -> float | None:
    for match in HOURS.finditer(text):
        value = float(match.group("n") or match.group("n2"))
        if 0 < value <= 100:
            return value
    return None


def _dates_in(text: str, ranges: list[DateRange], dates: list[tuple[int, int, StatedDate]]) -> _Dates:
    """The dates a piece of text states: its first range, else its single dates by their cue."""
    found = _Dates(hours=_hours_in(text))
    if ranges:
        first = ranges[0]
        found.start, found.end, found.current = first.start, first.end, first.current
        found.current_implied = first.current_implied
        return found
    for start, _, date in dates:
        before = text[max(0, start - CUE_WINDOW_CHARS):start]
        if END_CUE_BEFORE.search(before):
            found.end = found.end or date
        elif found.start is None:
            found.start = date
    if found.end is None and CURRENT_IN_PROSE.search(text):
        # "currently" may speak of the employment, not of this position ("joined as a Developer on
        # June 3, 2019 and is currently employed with us"): a later position still ends it
        found.current = found.current_implied = True
    return found


def _title_cues(text: str, heads) -> list[tuple[int, int, str]]:
    """The titles a sentence states after a cue: ``(cue offset, title end offset, title)``, in order."""
    found: dict[int, tuple[int, str]] = {}
    for pattern in (TITLE_CUE, PROMOTION_CUE, ELLIPTIC_CUE):
        # "… promoted to Web Developer in 2018 and to Senior Web Developer in 2022": "and to" names a
        # title only after a cue has named one
        position = min(found, default=len(text)) + 1 if pattern is ELLIPTIC_CUE else 0
        while len(found) < MAX_POSITIONS and (match := pattern.search(text, position)):
            position = match.start("t") + 1
            title = _clean_title(match.group("t"), heads)
            if title and not any(_title_key(title) == _title_key(t) and abs(at - match.start()) < 80
                                 for at, (_, t) in found.items()):
                last_word = title.split()[-1]
                at = text.find(last_word, match.start("t"), match.start("t") + 2 * TITLE_CHARS)
                found[match.start()] = (at + len(last_word) if at >= 0 else match.start("t"), title)
    return [(at, end, title) for at, (end, title) in sorted(found.items())]


def _part_bounds(text: str, cues: list[tuple[int, int, str]], dated: list[tuple[int, int]]) -> list[int]:
    """Where each title's part of a sentence begins and ends: the last clause break ("," "and" ";")
    between a title and the next cue, else the next cue. "hired as a Network Technician and in
    April 2017 promoted to …": "in April 2017" is the second title's; "joined as a Developer on
    June 1, 2017 and was promoted to …": "June 1, 2017" is the first's. The comma of a date
    ("on March 1, 2022 was promoted") is no clause break: ``dated`` are the spans of the dates."""
    spans = sorted(dated)
    starts = [a for a, _ in spans]

    def in_a_date(at: int) -> bool:
        k = bisect.bisect_right(starts, at) - 1  # the last date starting at or before ``at``
        return k >= 0 and at < spans[k][1]

    bounds = [0]
    for (_, title_end, _), (next_cue, _, _) in zip(cues, cues[1:]):
        low = min(title_end, next_cue)
        breaks = [m.start() for m in CLAUSE_BREAK.finditer(text, low, next_cue) if not in_a_date(m.start())]
        bounds.append(breaks[-1] if breaks else next_cue)
    return bounds + [len(text)]


def _prose(sentence: Sentence, order: bool | None, heads) -> list[_Declaration]:
    """The positions a sentence states in prose, each with the dates and hours of its own part."""
    text = sentence.text
    cues = _title_cues(text, heads)
    if not cues:
        return []
    ranges = find_ranges(text, order)
    dates = [d for d in find_dates(text, order) if not any(r.span[0] <= d[0] < r.span[1] for r in ranges)]
    bounds = _part_bounds(text, cues, [r.span for r in ranges] + [(d[0], d[1]) for d in dates])
    declarations = []
    for i, (_, _, title) in enumerate(cues):
        low, high = bounds[i], bounds[i + 1]
        part = text[low:high]
        own_ranges = [r for r in ranges if low <= r.span[0] < high]
        own_dates = [(s - low, e - low, d) for s, e, d in dates if low <= s < high]
        shifted = [DateRange(r.start, r.end, r.current, (r.span[0] - low, r.span[1] - low), r.text, r.current_implied)
                   for r in own_ranges]
        declarations.append(_Declaration(sentence.index, title, _dates_in(part, shifted, own_dates), "prose"))
    return declarations


def _heading(sentence: Sentence, order: bool | None, heads) -> list[_Declaration]:
    """The positions of a line that opens with a title and goes on to its dates, or the other way round.

    "QA Analyst (Jan 2018 – Jun 2020)", "Position 2: Network Technician (June 1, 2018 – …)",
    "Jan 2018 – Jun 2020: QA Analyst". One line
    may hold several ("Software Developer ..... May 2, 2016 – March 31, 2019 Manager, Application
    Development ..... April 1, 2019 – present" when the parser joined two rows): after each title's
    range, what follows is read again the same way. The line's dates are found once.
    """
    text = sentence.text
    ranges = find_ranges(text, order)
    dates = [d for d in find_dates(text, order) if not any(r.span[0] <= d[0] < r.span[1] for r in ranges)]
    # each date mention in order: a range, or a single date
    anchors = sorted([(r.span[0], r.span[1], r) for r in ranges] + [(d[0], d[1], d) for d in dates],
                     key=lambda anchor: anchor[0])
    found: list[tuple[int, _Declaration]] = []   # (where the position's part of the line starts, declaration)
    position = 0
    for k, (begin, end, anchor) in enumerate(anchors):
        if begin < position or len(found) >= MAX_POSITIONS:
            continue
        label = LABEL.match(text, position)
        title_from = label.end() if label else position
        # "Duties as QA Analyst (2018 – 2020)": the section of a title, its duty words are not part of it
        # "As Lead Software Engineer (February 1, 2021 - Present):" heads its duties; "As a Software Developer
        # (2016–2019), Tomasz wrote …" is a duty of that position (read as one by ``AS_TITLE``)
        lead = (DATED_HEADING_LEAD if text.rstrip().endswith(":") else DUTY_LEAD).match(text, title_from)
        title_from = lead.end() if lead else title_from
        prefix = text[title_from:begin].strip().rstrip(TITLE_TRAIL)
        # the opening word of a range ("from", "since") is not part of the title
        prefix = RANGE_OPENING.sub("", " " + prefix).strip().rstrip(TITLE_TRAIL)
        if not prefix and isinstance(anchor, DateRange):
            # the dates first: "Jan 2018 – Jun 2020: QA Analyst", "2020 – present — Software Developer"
            after = anchors[k + 1][0] if k + 1 < len(anchors) else len(text)
            rest = text[end:after].lstrip(TITLE_TRAIL + ")]")
            title = _clean_title(rest, heads)
            if not title or not _starts_with(rest, title):
                break
            found.append((title_from, _Declaration(sentence.index, title, _dates_in("", [anchor], []), "heading")))
            position = after
            continue
        if not prefix or len(prefix.split()) > MAX_TITLE_WORDS or NOT_A_POSITION.match(prefix) or "..." in prefix:
            # "PROJECT ORIONE – On-board unit (2017 – 2020)": a project's heading, within the position; "Leave
            # without pay ...... 2022-09-12 to 2023-03-10": a leave from it; "Group and level ...... IT-02
            # (converted on 2022-06-01)": a form's field (a dot leader before a row's dates is stripped)
            break
        prefix = _without_name(prefix, heads)
        title = _clean_title(prefix, heads)
        if not title or not _starts_with(prefix, title) or (found and not isinstance(anchor, DateRange)):
            break  # a second title on the line is a position only with a range of its own
        if _runs_on(prefix, title):
            break  # "Assemble and staff project teams for new initiatives (2023 …)": a duty that names a year
        if isinstance(anchor, DateRange):
            stated = _dates_in("", [anchor], [])
            position = end
        else:
            own = [d for d in dates if d[0] >= begin]
            stated = _dates_in(text, [], own)
            position = len(text)
        found.append((title_from, _Declaration(sentence.index, title, stated, "heading")))
        position = len(text) - len(text[position:].lstrip(TITLE_TRAIL + ")]"))
    # the hours of a position are in its part of the line, up to the next position's title
    bounds = [at for at, _ in found[1:]] + [len(text)]
    for (at, declaration), until in zip(found, bounds):
        declaration.dates.hours = _hours_in(text[at:until])
    return [declaration for _, declaration in found]


def _runs_on(prefix: str, title: str) -> bool:
    """Whether the words before a line's dates go on past its title as a sentence: a lower-case word
    that is no preposition and no kind of employment follows the title ("Assemble and staff | project
    teams for …"), where a heading has its dates, a place or a department ("Developer at Acme")."""
    last = title.split()[-1]
    at = prefix.find(last)
    after = prefix[at + len(last):].split() if at >= 0 else []
    return bool(after) and after[0][:1].islower() and after[0].lower() not in TITLE_FOLLOWERS \
        and not EMPLOYMENT_TYPE.match(after[0])


def _title_only(text: str, heads) -> str:
    """The title a short line consists of ("Senior Developer", "Position 2: Senior Developer"), or ""."""
    label = LABEL.match(text)
    body = (text[label.end():] if label else text).strip().rstrip(":")
    # a department or the terms in brackets after the title: "Business Systems Analyst (Lending
    # Operations)", "QA Test Technician (part-time, 20 hours per week)"
    bare = DEPARTMENT_SUFFIX.sub("", body)
    if DIGIT.search(bare) or body.endswith("."):
        return ""
    words = bare.split()
    if not words or len(words) > MAX_TITLE_LINE_WORDS:
        return ""
    title = _clean_title(body, heads)
    if title and not _title_cased(title):
        return ""  # "Brand consistency across client sites" is a terse duty, not a title heading
    return title if title and len(title.split()) >= len(words) - 1 and _starts_with(body, title) else ""


def _title_cased(title: str) -> bool:
    """Every word of four letters or more starts with a capital, as a title standing alone on its line
    is written ("Front-End Developer", "Manager, Information Systems", "HEAD OF IT")."""
    return all(word[:1].isupper() for word in title.replace("-", " ").split() if len(word) >= 4 and word.isalpha())


def _heading_title(text: str, heads, declared: list[_Declaration] | None = None) -> str:
    """The title a heading names ("As Engineering Manager, her duties include:" → "Engineering Manager"), or
    one the letter has ``declared`` though no example title ends like it ("Tasks in position 1 (Working
    Student IT Support):" below the table that declares it)."""
    body = text.rstrip(": ")
    lead = HEADING_LEAD.match(body)
    rest = body[lead.end():] if lead else body
    title = _clean_title(rest, heads)
    if title and _starts_with(rest, title) and not (title.lower() in DUTY_ADJECTIVES
                                                     and DUTY_WORDS.match(rest[len(title):].lstrip())):
        return title  # not "Principal duties (as stated in …):", whose "Principal" is no school's
    named = rest.strip(" )").lower() if lead else ""
    return next((d.title for d in declared or () if named and d.title.lower() == named), "")


def _is_heading(sentence: Sentence) -> bool:
    return sentence.kind == "heading" or (sentence.text.endswith(":")
                                           and len(sentence.text.split()) <= MAX_HEADING_WORDS)


# -- table rows -----------------------------------------------------------------------------------
def _rows(sentences: list[Sentence], text: str) -> list[tuple[list[int], list[str], int]]:
    """The table rows of the letter: ``(sentence indices, cells, line)``.

    A ``|`` row is split by the parser into one list item per cell, all from one line of the letter
    that holds a "|"; a column-aligned row is one sentence whose cells are separated by runs of spaces,
    or one line of a sentence into which the parser ran the lines of a table.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    piped = {number for number, line in enumerate(lines, start=1) if "|" in line}
    rows: list[tuple[list[int], list[str], int]] = []
    i = 0
    while i < len(sentences):
        s = sentences[i]
        j = i
        if s.line in piped and s.bulleted:
            while j + 1 < len(sentences) and sentences[j + 1].line == s.line and sentences[j + 1].bulleted:
                j += 1
        if j > i:
            rows.append(([t.index for t in sentences[i:j + 1]], [t.text for t in sentences[i:j + 1]], s.line))
        else:
            rows += [([s.index], cells, line) for cells, line in _aligned_rows(s, lines)]
        i = j + 1
    return rows


def _aligned_rows(s: Sentence, lines: list[str]) -> list[tuple[list[str], int]]:
    """The column-aligned rows of a sentence, ``(cells, line)``: none, one, or one per line of the letter
    when the parser ran the rows of a table together into one sentence (every line a row of its own)."""
    cells = [c for c in COLUMN_GAP.split(s.text.strip()) if c]
    if len(cells) < MIN_ALIGNED_CELLS:
        return []
    flat, rows, at = " ".join(s.text.split()), [], 0
    for number in range(s.line, min(s.line + MAX_POSITIONS, len(lines) + 1)):
        line = " ".join(lines[number - 1].split())
        row = [c for c in COLUMN_GAP.split(lines[number - 1].strip()) if c]
        # each line a row of two cells at least (title and dates): the sentence has the three a table needs
        if not line or not flat.startswith(line, at) or len(row) < 2:
            break
        rows.append((row, number))
        at += len(line) + 1
    return rows if len(rows) > 1 and at >= len(flat) else [(cells, s.line)]


def _table_declarations(sentences: list[Sentence], text: str, order: bool | None,
                        heads) -> tuple[list[_Declaration], set[int], set[int]]:
    """Positions stated as table rows (title | start | end | hours), with the hours column of the header;
    the indices of the sentences of the table's rows, and of the rows that declare a position (a row that
    declares none, "Employment period | 2018-10-01 to present", states the employment's dates or a duty).

    A row that names a title and states no dates ("IT Service Desk Co-op Student | co-op work term") is a
    position without dates when a dated row of the same table is next to it (a line or two away)."""
    rows: list[tuple[int, _Declaration]] = []   # (line, declaration), in the order of the table
    dated_lines: list[int] = []
    hours_column = title_column = None
    table = _rows(sentences, text)
    for indices, cells, line in table:
        if not any(DIGIT.search(c) for c in cells) and any(HEADER_TITLE.search(c) for c in cells):
            hours_column = next((k for k, c in enumerate(cells) if HEADER_HOURS.search(c)), None)
            title_column = next((k for k, c in enumerate(cells) if TITLE_COLUMN.fullmatch(c.strip())), None) if any(
                HEADER_DATES.search(c) for c in cells) else None
            continue
        # the header's "Position" column names the title, even one no example title ends like ("Working Student
        # IT Support"), before a department's cell that does ("IT Service Desk")
        named = (title_column is not None and title_column < len(cells) and cells[title_column].strip()
                 and not DIGIT.search(cells[title_column]) and len(cells[title_column].split()) <= MAX_TITLE_LINE_WORDS)
        title_at = title_column if named else next(
            (k for k, c in enumerate(cells) if not DIGIT.search(c) and _title_only(c, heads)), None)
        if title_at is None:
            continue
        others = " | ".join(c for k, c in enumerate(cells) if k != title_at)
        ranges, dates = (find_ranges(others, order), find_dates(others, order)) if DIGIT.search(others) else ([], [])
        # a pipe table's row has a sentence per cell; a column-aligned row ("2019 - 2021   Developer   ...") is one
        sentence = indices[title_at] if len(indices) == len(cells) else indices[0]
        title = _title_only(cells[title_at], heads) or (cells[title_at].strip() if named else "")
        if not ranges and not dates:
            rows.append((line, _Declaration(sentence, title, _Dates(), "undated row")))
            continue
        dated_lines.append(line)
        stated = _dates_in(others, ranges, dates)
        if hours_column is not None and hours_column < len(cells) and (number := NUMBER.match(cells[hours_column])):
            stated.hours = float(number.group("n"))
        rows.append((line, _Declaration(sentence, title, stated, "table")))
    kept = [d for line, d in rows if d.style == "table" or any(abs(line - other) <= 2 for other in dated_lines)]
    declaring = {d.sentence for d in kept}
    return (kept, {i for indices, _, _ in table for i in indices},
            {i for indices, _, _ in table if declaring.intersection(indices) for i in indices})


# -- the letter's own employment dates and hours --------------------------------------------------
@dataclass
class _LetterFacts:
    start: StatedDate | None = None
    end: StatedDate | None = None
    continues: bool = False
    open_since: StatedDate | None = None   #: the start of the latest range that runs to the present
    runs_on: bool = False   #: a range says the employment runs to the present ("since 2018 up to the present")
    hours: list[float] = field(default_factory=list)


def _letter_facts(body: list[Sentence], declared: set[int], order: bool | None) -> _LetterFacts:
    """The employment's dates and hours stated outside the declarations ("employed since …").

    Read from the body's non-duty sentences that declare no position, and from its prose duty
    sentences for a start only ("Ms. Souza started on January 18, 2022." reads as a duty). Whether
    the employment continues is read from every non-duty sentence, declarations included ("is
    employed … as a Security Engineer").
    """
    facts = _LetterFacts()
    for s in body:
        if s.kind in ("employment", "hours", "compensation", "other") and (
                EMPLOYMENT_CONTINUES.search(s.text) or WORKS_NOW.search(s.text)):
            facts.continues = True
        prose_duty = s.kind == "duty" and not s.bulleted
        if (s.kind == "duty" and not prose_duty) or s.index in declared or not DIGIT.search(s.text):
            continue
        ranges = [] if prose_duty and not EMPLOYMENT_WORDS.search(s.text) else find_ranges(s.text, order)
        starts = [r.start for r in ranges if r.start]
        for r in ranges:
            facts.end = r.end or facts.end
            if r.current:
                facts.continues = True
                facts.runs_on = facts.runs_on or not r.current_implied
                if r.start is not None and (facts.open_since is None or r.start.value > facts.open_since.value):
                    facts.open_since = r.start
        # single dates after a cue: "He started on 2021-11-01", "His last day was March 29, 2024"
        for at, _, date in find_dates(s.text, order):
            if any(r.span[0] <= at < r.span[1] for r in ranges):
                continue
            before = s.text[max(0, at - CUE_WINDOW_CHARS):at]
            if START_CUE_BEFORE.search(before):
                starts.append(date)
            elif END_CUE_BEFORE.search(before) and facts.end is None and not prose_duty:
                facts.end = date
        for start in starts:
            if facts.start is None or start.value < facts.start.value:
                facts.start = start
        hours = None if prose_duty else _hours_in(s.text)
        if hours is not None and hours not in facts.hours:
            facts.hours.append(hours)
    if facts.runs_on:
        # "employed since 1 June 2018 up to the present": a range without a title that ends ("from
        # 1 September to 31 October 2020 she held both positions") ends a period within the employment
        facts.end = None
    return facts


# -- the stage --------------------------------------------------------------------------------------
def _body(parsed: ParsedLetter) -> list[Sentence]:
    """The sentences between the letterhead and greeting above and the closing and signature below."""
    top = next((k for k, s in enumerate(parsed.sentences) if s.kind not in HEADER_KINDS), len(parsed.sentences))
    return [s for s in parsed.sentences[top:] if s.kind not in OUTSIDE_BODY]


def _followed_by_duty(body: list[Sentence], position: int) -> bool:
    """Whether the sentence at ``position`` of ``body`` is followed by duties: the next two sentences,
    past at most one heading, are duties or items of a list (terse items such as "Page layouts in
    Figma" may not read as duties). One is not enough: a signer's "DIRECTOR" is followed by "(signed)"."""
    following = body[position + 1:position + 4]
    if following and _is_heading(following[0]):
        following = following[1:]
    return len(following) >= 2 and all((s.kind == "duty" or s.bulleted) and not _is_heading(s)
                                       for s in following[:2])


def _declarations(parsed: ParsedLetter, body: list[Sentence], order: bool | None, heads):
    """Every declaration and title heading (undated) of the letter, in letter order, and the indices of
    the sentences that belong to a declaration: table rows that declare a position, the dates line of a
    two-line heading, a template's fields and lines."""
    table, cells, in_rows = _table_declarations(body, parsed.text, order, heads)
    found: list[_Declaration] = list(table)
    stated = {title.lower() for title in parsed.titles}
    last_field_owner: _Declaration | None = None
    lone: list[_Declaration] = []   # lines that are only a title, over duties
    grouped = False                  # a line over duties names no title ("Hands-on")
    for position, s in enumerate(body):
        if len(found) >= MAX_DECLARATIONS:
            break  # a text of thousands of titles is no letter: what is past them is not read for positions
        if s.index in in_rows or s.index in cells:
            continue
        text = s.text
        has_digit = DIGIT.search(text) is not None
        heading = _heading(s, order, heads) if has_digit else []
        if heading:
            found.extend(heading)
            last_field_owner = None
            continue
        if _is_heading(s):
            if title := _heading_title(text, heads, found):
                found.append(_Declaration(s.index, title, _Dates(), "title heading"))
            last_field_owner = None  # a heading ("Duties:") ends a template's fields
            continue
        if AS_TITLE.match(text) and (title := _heading_title(text, heads)):
            # "As a Software Developer (2016–2019), Tomasz wrote …": a duty of that position
            found.append(_Declaration(s.index, title, _Dates(), "as"))
            continue
        if fits := _template_line(s, last_field_owner, order):
            if s.kind == "duty":
                in_rows.add(s.index)  # part of the declaration, not a duty
            continue
        last_field_owner = None if fits is False else last_field_owner
        prose = _prose_of(s, has_digit, order, heads, stated)
        if prose:
            found.extend(prose)
            last_field_owner = prose[-1] if prose[-1].style == "field" else None
            continue
        line = _title_line(body, position, order, heads)
        if line is not None and line.style == "heading":
            found.append(line)
            in_rows.update(t.index for t in body[position + 1:position + 2 + MIN_ALIGNED_CELLS]
                           if t.line == body[position + 1].line)
        elif line is not None:
            lone.append(line)
        elif _groups_duties(body, position):
            grouped = True
    # duties under short headings of which one only names a title ("Management", "Hands-on") are the groups
    # of one position's duties, when the letter declares its positions elsewhere and not that one
    unnamed = [d for d in lone if _match_title(found, d.title) is None] if grouped and found else []
    found += [d for d in lone if len(unnamed) != 1 or d is not unnamed[0]]
    found.sort(key=lambda d: d.sentence)
    texts = {s.index: s.text for s in body}
    for d in found:
        d.title = _without_label(texts.get(d.sentence, ""), d.title)
    return found, in_rows


def _template_line(s: Sentence, owner: _Declaration | None, order: bool | None) -> bool | None:
    """How a line stands to the template whose last title field declared ``owner``: True when it is a
    field ("Period : 12th July 2016 to …", "Hours per week: 20", which fill the owner's dates and hours)
    or another line of the template ("Branch / Unit : Finance"), whatever kind the parser took it for;
    False when it is a duty that ends the template's fields; None when it is neither.

    Without a title field before it, only a whole line that is a field and not a duty counts (it is left
    out of the positions); after one, a longer line is a field too (the parser may run the next field
    into it). A line that states duties ("Duties: …", "Direct reports: 11 Key duties: …", or ends with a
    full stop) is no template line."""
    text = s.text
    field_line = FIELD.match(text) if s.kind != "duty" or owner else None
    if field_line and (owner or field_line.end() == len(text)):
        if owner is not None:
            _fill_field(owner.dates, field_line, order)
        return True
    if s.kind != "duty":
        return None
    template = TEMPLATE_LINE.match(text)
    if owner is not None and template and not DUTY_LABEL.search(text) and not text.endswith("."):
        return True
    return False if s.bulleted or not template else None


def _prose_of(s: Sentence, has_digit: bool, order: bool | None, heads, stated: set[str]) -> list[_Declaration]:
    """The positions a sentence declares in prose, or as a template's title field ("Job title: QA Analyst",
    "Designation : Software Engineer", whatever kind the parser took it for), styled "prose" or "field".

    A duty sentence is read only when it is not a list item and states a date, or is a title field."""
    title_field = s.kind == "duty" and not s.bulleted and TITLE_FIELD.match(s.text) is not None
    if not (s.kind != "duty" or (has_digit and not s.bulleted) or title_field):
        return []
    # a title in lower case ("as a full-time staff member") only when the parse took it for one (a
    # NOC example title): letters capitalise job titles
    prose = [d for d in _prose(s, order, heads) if not d.title[:1].islower() or d.title.lower() in stated]
    if not prose or not (s.kind != "duty" or title_field or any(d.dates.any for d in prose)):
        return []
    field_style = s.text.lower().lstrip().startswith(("job title", "title", "position", "designation", "post", "function"))
    style = "field" if field_style else "prose"
    for d in prose:
        d.style = style
    return prose




def _title_line(body: list[Sentence], position: int, order: bool | None, heads) -> _Declaration | None:
    """The declaration of a line that is only a title: a heading over two lines when the next line states
    only dates ("Business Systems Analyst" / "Jan 2018 – Jun 2020", "Position 1: Android Developer" /
    "Period: July 2017 - March 2020"), a title heading when duties follow ("QA Test Technician (part-time,
    20 hours per week)": its hours are the position's); else None."""
    s = body[position]
    title = _title_only(s.text, heads) if s.kind != "duty" or not s.bulleted else ""
    if not title:
        return None
    below = _dates_line(_line_below(body, position), order) if position + 1 < len(body) else None
    if below is not None:
        return _Declaration(s.index, title, below, "heading")
    # duties that follow only past the letterhead's lines (a college's name over its department and
    # address, then a form's table) are not under this line
    if _followed_by_duty(body, position) and body[position + 1].index == s.index + 1:
        return _Declaration(s.index, title, _Dates(hours=_hours_in(s.text)), "title heading")
    return None


def _line_below(body: list[Sentence], position: int) -> Sentence:
    """The line after the sentence at ``position``: the next sentence, or, when the parser split that line
    at its "|" into list items ("May 2018 – Aug 2019 | 20 hours per week"), the line's cells joined again
    (a sentence with the first cell's index and the line's text, not bulleted)."""
    first = body[position + 1]
    if not first.bulleted:
        return first
    cells = [first.text]
    for s in body[position + 2:position + 2 + MIN_ALIGNED_CELLS]:
        if s.line != first.line or not s.bulleted:
            break
        cells.append(s.text)
    return replace(first, text=" | ".join(cells), bulleted=False) if len(cells) > 1 else first


def _groups_duties(body: list[Sentence], position: int) -> bool:
    """Whether a line heads a group of duties without naming a title: a short line of a few capitalised
    words ("Hands-on", "Technical work") over duties, with no digit, no full stop and no duty word (a
    "Responsibilities" line heads a position's duties, not a group of them)."""
    s = body[position]
    words = s.text.split()
    return (not s.bulleted and 0 < len(words) <= TITLE_START_WORDS and s.text[:1].isupper()
            and not s.text.endswith((".", ":")) and not DIGIT.search(s.text) and not DUTY_WORDS.search(s.text)
            and _followed_by_duty(body, position))


def _dates_line(sentence: Sentence, order: bool | None) -> _Dates | None:
    """The dates of a line that states a range and nothing else ("Jan 2018 – Jun 2020", "(2019 – present)"),
    after a label or not ("Period: July 2017 - March 2020"), or a range followed, after "|", "," or ";",
    by the weekly hours ("Sep 2019 – Present | full-time, 37.5 hours per week"), which it returns too."""
    text = sentence.text
    if sentence.bulleted or not DIGIT.search(text):
        return None
    label = DATES_LABEL.match(text)
    text = text[label.end():] if label else text
    ranges = find_ranges(text, order)
    if len(ranges) != 1 or text[:ranges[0].span[0]].strip(" \t()[]–—-,.:;|"):
        return None
    rest = text[ranges[0].span[1]:]
    hours = _hours_in(rest) if rest.lstrip(" \t)]")[:1] in ("|", ",", ";") else None
    if rest.strip(" \t()[]–—-,.:;|") and hours is None:
        return None  # more than the dates, and not the position's weekly hours after a separator
    stated = _dates_in(text[:ranges[0].span[1]], ranges, [])
    stated.hours = hours
    return stated


def _fill_field(dates: _Dates, field_line: re.Match, order: bool | None) -> None:
    """A template field ("Start date: Sep 12, 2018", "End date: Currently employed") of the last title."""
    label, value = field_line.group("label"), field_line.group("value")
    if HOURS_LABEL.search(label):
        number = NUMBER.match(value) or HOURS.search(value)
        if number and dates.hours is None:
            dates.hours = float(number.group("n") or number.groupdict().get("n2") or "")
        return
    ranges, found = find_ranges(value, order), find_dates(value, order)
    if END_LABEL.search(label) and not START_LABEL.search(label):
        if found and dates.end is None:
            dates.end = found[0][2]
        elif re.search(r"\b(?:present|current(?:ly)?|ongoing|to\s+date|till\s+date|now)\b", value, re.I):
            dates.current = True
    elif START_LABEL.search(label):
        if found and dates.start is None:
            dates.start = found[0][2]
    elif ranges and dates.start is None:
        dates.start, dates.end, dates.current = ranges[0].start, ranges[0].end, ranges[0].current


def _match_title(drafts: list, title: str):
    """The position a title heading names: the same title, else the one position whose title contains it
    (of ``drafts``, positions or declarations: anything with a ``title``)."""
    key = _title_key(title)
    exact = [d for d in drafts if _title_key(d.title) == key]
    if exact:
        return exact[-1]
    words = set(key.split())
    near = [d for d in drafts if words <= set(_title_key(d.title).split())
            or set(_title_key(d.title).split()) <= words]
    return near[0] if len(near) == 1 else None


def _same_position(draft: _Draft, declaration: _Declaration) -> bool:
    """A second statement of a position: the same title, and no different start date (a heading's
    "Principal Engineer (2020-present)" restates "Principal Engineer - July 1, 2020 to present" at a year's
    precision: the periods the two dates name overlap); or, in prose without any date, a shorter form of a
    dated position's title ("joined us as Java developer" after "since 01.04.2018 as Senior Java Developer")."""
    declared, drafted = _title_key(declaration.title), _title_key(draft.title)
    if declared != drafted:
        return (declaration.style == "prose" and not declaration.dates.any and draft.start is not None
                and set(declared.split()) < set(drafted.split()))
    start = declaration.dates.start
    return (start is None or draft.start is None
            or start.value <= draft.start.last_day() and draft.start.value <= start.last_day())


def find_positions(parsed: ParsedLetter, title_heads: frozenset[str] | set[str] | None = None) -> list[Position]:
    """The positions a letter lists, each with its dates, weekly hours and duty sentences.

    Parameters
    ----------
    parsed : ParsedLetter
        From :func:`nocmatch.letter.parse_letter` (no catalog needed).
    title_heads : set of str, optional
        Head nouns of job titles; :data:`nocmatch.letter.classify.DEFAULT_TITLE_HEADS` by default.

    Returns
    -------
    list of Position
        In letter order, at most :data:`MAX_POSITIONS`. A letter that states no title gives one
        untitled position holding every duty; a letter with no sentences gives none.
    """
    heads = set(title_heads or ()) | DEFAULT_TITLE_HEADS
    if not parsed.sentences:
        return []
    order = day_order(parsed.text)
    body = _body(parsed)
    declarations, in_rows = _declarations(parsed, body, order, heads)
    declared = {d.sentence for d in declarations if d.style not in ("title heading", "as")} | in_rows
    facts = _letter_facts(body, declared, order)
    duty_sentences = [s.index for s in parsed.sentences if s.kind == "duty" and s.index not in declared]
    drafts, switches = _drafts(declarations)
    if not drafts:
        return [_single_position(parsed, facts, duty_sentences)]

    # the sentences that say the duties did not change (read only when there are positions to compare)
    same = {s.index for s in parsed.sentences if len(drafts) > 1 and s.kind not in OUTSIDE_BODY
            and SAME_DUTIES.search(s.text)}
    said_same = _walk_duties(parsed, drafts, switches, declared, same)
    if len(drafts) > 1 and all(d.section_at is not None for d in drafts):
        # every position has a section of its own: the letter lists them in the order of its sections
        # (the text above them may name them in passing in another order)
        drafts.sort(key=lambda d: d.section_at or 0)
    _infer_dates(drafts, facts)
    shared = len(drafts) > 1 and _undivided(drafts, said_same)
    if shared and not said_same:
        # one list for every position, not said to be the same in each: whose work it describes is the
        # reader's call, and an officer counts a position's months only for the work its duties describe
        latest = max(drafts, key=lambda d: d.start.value if d.start else datetime.date.min)
        for draft in [d for d in drafts if d is not latest] if len({d.title.lower() for d in drafts}) > 1 else []:
            draft.notes.append(f"duties listed once for all positions, not said to be the same in each: "
                               f"check that they describe this position ({draft.title}) before claiming its months")
    no_dates = not facts.start and not any(p.start or p.end for p in drafts) and not any(
        find_dates(s.text, order) for s in body if DIGIT.search(s.text))
    positions = [_position(i, draft, drafts, facts, shared, no_dates, duty_sentences) for i, draft in enumerate(drafts)]
    return _note_overlaps(positions)


@dataclass
class _Switches:
    """Where the letter switches from one position's duties to another's."""

    #: sentence → the position it declares or switches to
    owner_of: dict[int, _Draft] = field(default_factory=dict)
    #: of those, the headings (a section of the position's duties follows)
    by_heading: set[int] = field(default_factory=set)
    #: duty sentence → the position it names ("As a …,")
    switch_at: dict[int, _Draft] = field(default_factory=dict)


def _drafts(declarations: list[_Declaration]) -> tuple[list[_Draft], _Switches]:
    """The positions the declarations name (a title declared again is the same position), in letter order."""
    drafts: list[_Draft] = []
    switches = _Switches()
    for d in declarations:
        if d.style == "as":
            if (target := _match_title(drafts, d.title)) is not None:
                switches.switch_at[d.sentence] = target
            continue
        if d.style == "title heading":
            target = _match_title(drafts, d.title)
            if target is None and len(drafts) < MAX_POSITIONS:
                target = _Draft(d.title, d.sentence)
                drafts.append(target)
            if target is not None:
                switches.owner_of[d.sentence] = target
                switches.by_heading.add(d.sentence)
                target.hours = d.dates.hours if target.hours is None else target.hours
            continue
        target = next((p for p in drafts if _same_position(p, d)), None)
        if target is None:
            if len(drafts) >= MAX_POSITIONS:
                continue
            target = _Draft(d.title, d.sentence)
            drafts.append(target)
        target.take(d.dates)
        target.undated_row = target.undated_row or d.style == "undated row"
        # the duties after a sentence follow the last position it declares
        switches.owner_of[d.sentence] = target
        if d.style in ("heading", "field"):
            switches.by_heading.add(d.sentence)
    return drafts, switches


def _position(i: int, draft: _Draft, drafts: list[_Draft], facts: _LetterFacts, shared: bool, no_dates: bool,
              duty_sentences: list[int]) -> Position:
    """The finished position: its duties, its hours (the letter's one figure when it states none) and notes."""
    duties = tuple(duty_sentences) if (shared or len(drafts) == 1) else tuple(draft.duties)
    hours = draft.hours
    if hours is None and len(facts.hours) == 1:
        hours = facts.hours[0]
    elif hours is None and len(facts.hours) > 1:
        draft.notes.append("hours stated in the letter (" + ", ".join(f"{h:g}" for h in facts.hours)
                           + ") are not tied to this position")
    notes = list(draft.notes)
    if no_dates:
        notes.insert(0, "no dates stated")
    else:
        if draft.start is None:
            notes.append("no start date stated")
        if draft.end is None and not draft.current:
            notes.append("no end date stated")
    notes += [d.ambiguous for d in (draft.start, draft.end) if d is not None and d.ambiguous]
    if len(drafts) > 1 and not shared and not draft.duties:
        notes.append("no duty sentences of its own")
    return Position(i, draft.title, draft.start, draft.end, draft.current, hours, draft.declared_at,
                    duties, shared, tuple(notes))


def _single_position(parsed: ParsedLetter, facts: _LetterFacts, duties: list[int]) -> Position:
    """The one position of a letter that declares none: the parser's title and the letter's dates."""
    notes = [] if parsed.title else ["no job title stated"]
    if facts.start is None:
        notes.append("no start date stated")
    end = facts.end
    # "until December 31, 2021 … and since January 1, 2022": the employment goes on past the end stated
    if end is not None and facts.open_since is not None and facts.open_since.value > end.value:
        end = None
    current = end is None and facts.continues
    return Position(0, parsed.title, facts.start, end, current,
                    facts.hours[0] if len(facts.hours) == 1 else None, None, tuple(duties), False, tuple(notes))


def _walk_duties(parsed: ParsedLetter, drafts: list[_Draft], switches: _Switches, declared: set[int],
                 same: set[int]) -> dict[int, _Draft | None]:
    """Give each duty sentence to the position declared or switched to most recently before it.

    A heading over the current position's duties ("Her current duties include:") switches to it.
    Each position notes the first heading followed by a list of its duties (``section_at``). Returns the
    position in whose part of the letter each sentence of ``same`` (that says the duties did not
    change) is, or None before any position.
    """
    owner_of, switch_at = switches.owner_of, switches.switch_at
    current_headings = {s.index for s in parsed.sentences if _is_heading(s) and s.index not in owner_of
                        and CURRENT_HEADING.search(s.text) and DUTY_WORDS.search(s.text)}
    pointer: _Draft | None = None
    by_section = False
    heading_at: int | None = None
    current = [d for d in drafts if d.current] or drafts[-1:]
    said_same: dict[int, _Draft | None] = {}
    for s in parsed.sentences:
        if s.index in owner_of or s.index in current_headings:
            by_section = s.index in switches.by_heading or s.index in current_headings
            pointer, heading_at = owner_of.get(s.index) or current[-1], s.index if by_section else None
        elif s.index in switch_at:
            pointer, by_section, heading_at = switch_at[s.index], True, None
        elif s.kind == "duty" and len(drafts) > 1 and SINCE_PROMOTION.match(s.text):
            # "Since his promotion on September 1, 2021, he has led …": the position the promotion led to
            pointer, by_section, heading_at = _promoted_to(s.text, drafts), True, None
        if s.index in same:
            said_same[s.index] = pointer
        if s.kind != "duty" or s.index in declared or s.index in owner_of or s.index in current_headings:
            continue
        if pointer is not None:
            pointer.duties.append(s.index)
            pointer.own_section = pointer.own_section or by_section
            if pointer.section_at is None and heading_at is not None and s.bulleted:
                pointer.section_at = heading_at
    # duties before any position is named: the letter does not say whose they are (when the duties
    # are undivided they are among the shared duties all the same)
    return said_same


def _promoted_to(text: str, drafts: list[_Draft]) -> _Draft:
    """The position a sentence opening "Since his promotion …" is about: the one that starts on a date it
    names, else the one that started last."""
    named = {found.value for _, _, found in find_dates(text, day_order(text))}
    started = [d for d in drafts if d.start is not None]
    return (next((d for d in started if _start(d).value in named), None)
            or max(started, key=lambda d: _start(d).value, default=drafts[-1]))


def _undivided(drafts: list[_Draft], said_same: dict[int, _Draft | None]) -> bool:
    """Whether the letter lists one set of duties for all its positions (see the module docstring)."""
    if said_same and not _duties_as_before(drafts, said_same):
        return True
    receivers = [d for d in drafts if d.duties]
    return len(receivers) == 0 or (len(receivers) == 1 and not receivers[0].own_section)


def _duties_as_before(drafts: list[_Draft], said_same: dict[int, _Draft | None]) -> bool:
    """Give a position whose part of the letter says its duties did not change ("Position 2 … His job
    duties remained the same as in Position 1") the duties of the position listed before it, when it has
    none of its own and another position lists duties of its own: the letter's duties are divided, and
    only that position repeats its predecessor's. Returns whether it did (else the duties are undivided)."""
    copies = []
    for owner in {id(d): d for d in said_same.values()}.values():
        if owner is None:
            return False
        k = next(j for j, d in enumerate(drafts) if d is owner)
        if k == 0 or any(i not in said_same for i in owner.duties) or not drafts[k - 1].duties:
            return False
        if not any(d.duties for j, d in enumerate(drafts) if j not in (k - 1, k)):
            return False  # no other position lists duties: they are the same for all
        copies.append((owner, drafts[k - 1]))
    for owner, before in copies:
        owner.duties = list(before.duties)
        owner.notes.append(f"duties stated unchanged from {before.title}: its duties are that position's")
    return True


def _infer_dates(drafts: list[_Draft], facts: _LetterFacts) -> None:
    """Fill the dates the letter implies: the first start, ends before the next start, the current position."""
    first = drafts[0]  # in letter order
    if first.start is None and facts.start is not None and all(
            d.start is None or d.start.value >= facts.start.value for d in drafts):
        first.start = facts.start
        first.notes.append("start taken from the letter's employment dates")
    for k, draft in enumerate(drafts):
        if draft.start is None or draft.end is not None or (draft.current and not draft.current_implied):
            continue
        # the position the letter lists next and that starts later (a promotion follows what it ends);
        # in a letter that lists the latest position first, the one that starts next in time
        begins = draft.start.value
        later = [d for d in drafts[k + 1:] if d.start is not None and d.start.value > begins]
        listed_before = [d for d in drafts[:k] if d.start is not None and d.start.value > begins]
        if later:
            following = later[0]
        elif listed_before:
            following = min(listed_before, key=lambda d: _start(d).value)
        else:
            continue
        draft.end = day_before(_start(following))
        draft.current = draft.current_implied = False
        draft.notes.append(f"end inferred: the day before {following.title} started ({_start(following).text})")
    _end_undated(drafts)
    dated = [d for d in drafts if d.start is not None]
    latest = max(dated, key=lambda d: _start(d).value) if dated else drafts[-1]
    if latest.end is None and not latest.current:
        if facts.end is not None and (latest.start is None or facts.end.last_day() >= latest.start.value):
            latest.end = facts.end
            latest.notes.append("end taken from the letter's employment dates")
        elif facts.continues and (latest.start is not None or not dated):
            latest.current = True
            latest.notes.append("current: the letter says the employment continues")


def _start(draft: _Draft) -> StatedDate:
    """The start of a draft already known to have one."""
    if draft.start is None:
        raise ValueError(f"position {draft.title!r} has no start")
    return draft.start


def _end_undated(drafts: list[_Draft]) -> None:
    """End a position the letter gives no dates, listed before a dated one, the day before that one
    starts, when the letter lists its positions oldest first (each dated position starts after the
    dated ones listed before it): "Web Designer" (no dates), then "Front-End Developer, since March
    2021" — the web designer's position ended in February 2021."""
    starts = [d.start.value for d in drafts if d.start is not None]
    if len(starts) == len(drafts) or any(a >= b for a, b in zip(starts, starts[1:])):
        return
    for k, draft in enumerate(drafts):
        if draft.start is not None or draft.end is not None or draft.current or draft.undated_row:
            continue
        following = next((d for d in drafts[k + 1:] if d.start is not None), None)
        if following is not None:
            draft.end = day_before(_start(following))
            draft.notes.append(f"end inferred: the day before {following.title} started ({_start(following).text})")


def _period(position: Position) -> tuple[datetime.date, datetime.date] | None:
    if position.start is None:
        return None
    if position.end is not None:
        return position.start.value, position.end.last_day()
    return (position.start.value, datetime.date.max) if position.current else None


def held_now(positions: list[Position], min_duties: int) -> Position | None:
    """The position a letter of several positions is judged on: the one held now.

    Reviewers judge a promotion letter on the current position's duties; an earlier position's
    duties count only when the letter says they continue. When at least two positions list
    ``min_duties`` duty sentences of their own, it is the one of them held now, or, when none is,
    the one that started last. None (judge the whole letter) when the positions share one list of
    duties, when only one describes the work, when two are held now, or when the dates cannot tell
    which came last.
    """
    if len(positions) < 2 or any(p.shared_duties for p in positions):
        return None
    described = [p for p in positions if len(p.duty_indices) >= min_duties]
    if len(described) < 2:
        return None  # one position describes the work: a split-off line or two is no earlier position
    held = [p for p in described if p.current]
    if len(held) == 1:
        return held[0]
    if held or any(p.start is None for p in described):
        return None
    starts = sorted(described, key=lambda p: p.start.value)  # type: ignore[union-attr]  # all have a start
    if starts[-1].start.value == starts[-2].start.value:  # type: ignore[union-attr]
        return None
    return starts[-1]


def overlaps(positions: list[Position]) -> list[tuple[int, int]]:
    """The pairs of positions whose dates overlap, as ``(index, index)`` with the smaller first.

    A current position runs to the present; a position missing a date overlaps nothing (it cannot
    be known). Year- and month-precision dates cover their whole period: "2016–2019" and
    "2019–2021" overlap (in 2019).
    """
    pairs = []
    periods = [(p.index, _period(p)) for p in positions]
    for k, (i, first) in enumerate(periods):
        for j, second in periods[k + 1:]:
            if first and second and first[0] <= second[1] and second[0] <= first[1]:
                pairs.append((min(i, j), max(i, j)))
    return sorted(pairs)


def _note_overlaps(positions: list[Position]) -> list[Position]:
    pairs = overlaps(positions)
    if not pairs:
        return positions
    out = []
    for p in positions:
        others = [j if i == p.index else i for i, j in pairs if p.index in (i, j)]
        extra = tuple(f"overlaps position {o + 1} ({positions[o].title or 'untitled'})" for o in others)
        out.append(Position(p.index, p.title, p.start, p.end, p.current, p.hours_per_week, p.declared_at,
                            p.duty_indices, p.shared_duties, p.notes + extra))
    return out


# -- the letter's date and the months of experience ------------------------------------------------
DATE_LABEL = re.compile(r"^\s*(?:date(?:d)?(?:\s+(?:issued|of\s+issue))?|issued(?:\s+on)?|issue\s+date)"
                        r"\s*(?:[:\-–]\s*|\.{3,}\s*)?", re.I)  # "Date of issue ............ October 4, 2023"
DATE_LABEL_ANYWHERE = re.compile(r"\bdate(?:d|\s+of\s+issue|\s+issued)?\s*:\s*", re.I)
#: A certificate's closing formula, the letter's date right after it: "Given this 15th day of October 2025
#: at Pasig City", "Issued on 3 March 2025", "Done at Lagos, this 3rd day of March 2025".
ISSUED_ON = re.compile(r"\b(?:given|issued|signed|done|dated)\s+(?:at\s+[^\W\d][^\d,;.]{0,40},?\s+)?(?:on\s+)?"
                       r"(?:this\s+|the\s+)?", re.I)
PLACE_BEFORE_DATE = re.compile(PLACE_BEFORE)
#: The letter's first line of running text (at least this many words, ending with a full stop or a
#: colon) ends its header: a date line is looked for above it when the parser found no letterhead.
HEADER_PROSE_WORDS = 6
#: A form's revision ("rev. 2023-11", "revision 2021"): its date is the form's.
REVISION = re.compile(r"\brev(?:ision|\.)?\s*\d", re.I)
#: The kinds of line a letter's date may stand on (not a position's "Fecha de ingreso" in its facts).
LETTER_DATE_KINDS = frozenset({"letterhead", "contact", "date", "greeting", "other", "closing", "signature"})
#: A letter's header (letterhead, address, contact lines, date) is within its first sentences.
HEADER_MAX_SENTENCES = 20


def letter_date(parsed: ParsedLetter) -> datetime.date | None:
    """The date the letter was written: a date line above its body ("March 14, 2025", "Date: 2025-02-03").

    Read first from the lines the parser puts above the body (letterhead, date, greeting). When it
    finds none there (a letterhead it took for text, a letter without a greeting), from the header
    above the first line of running text, but only a line that is a date and nothing else, a date
    after a date label ("Date issued: 2025-01-20") or after the place the letter was written
    ("São Paulo, 10 March 2025"): a "Start date: …" field is not the letter's date. Last, a
    "Date: …" line in the signature block, or a certificate's closing formula ("Given this 15th day of
    October 2025 at Pasig City").

    Returns
    -------
    datetime.date or None
    """
    order = day_order(parsed.text)
    sentences = parsed.sentences
    body_starts = next((k for k, s in enumerate(sentences) if s.kind not in ("letterhead", "contact", "date")),
                       len(sentences))
    greeting = next((k for k, s in enumerate(sentences) if s.kind == "greeting"), None)
    top = sentences[:max(body_starts, greeting or 0)]
    for s in top:
        if REVISION.search(s.text):
            continue  # "Template HR-EV-07 (rev. 2023-11)": the form's date, not the letter's
        if s.kind in ("date", "letterhead", "contact", "other") or DATE_LABEL.match(s.text):
            text = DATE_LABEL.sub("", s.text)
            found = find_dates(text, order)
            if found and found[0][2].precision != "year" and (
                    s.kind == "date" or DATE_LABEL.match(s.text) or len(text.split()) <= 5):
                return found[0][2].value
    # the cells of the letterhead's contact line ("Tel: … | hr@…") are list items to the parser, not a list
    contact_lines = {s.line for s in sentences[:HEADER_MAX_SENTENCES] if s.kind == "contact"}
    header = next((k for k, s in enumerate(sentences) if (s.bulleted and s.line not in contact_lines)
                   or s.kind in ("heading", "greeting", "closing")
                   or (len(s.text.split()) >= HEADER_PROSE_WORDS and s.text.rstrip().endswith((".", ":")))),
                  len(sentences))
    for s in sentences[len(top):header]:
        # the line, or of a line laid out in columns its first cell ("20/1/2025   (all dates in this letter
        # are ...)") or a labelled cell ("CONFIRMATION OF EMPLOYMENT      Date: 2025-01-30"; not the value of
        # "Start date:      2018-06-04")
        first, *others = COLUMN_GAP.split(s.text.strip())
        for cell in dict.fromkeys([s.text, first] + [c for c in others if DATE_LABEL.match(c)]):
            if (dated := _date_line(cell, order)) is not None:
                return dated
    for s in sentences:
        if s.kind in ("signature", "contact", "date", "other", "closing") and (
                label := DATE_LABEL_ANYWHERE.search(s.text) or ISSUED_ON.search(s.text)):
            found = find_dates(s.text[label.end():], order)
            if found and found[0][2].precision != "year" and found[0][0] == 0:
                return found[0][2].value
    # last, a date line in the writer's own language ("Madrid, 14 de marzo de 2025"), wherever it stands
    return next((dated for s in sentences if s.kind in LETTER_DATE_KINDS and (dated := foreign_date_line(s.text))), None)


def _date_line(text: str, order: bool | None) -> datetime.date | None:
    """The date of a line that is only a date, after a date label or the place of writing, or None."""
    label = DATE_LABEL.match(text)
    rest = text[label.end():] if label else text
    if not DIGIT.search(rest):
        return None
    found = find_dates(rest, order)
    if len(found) != 1 or found[0][2].precision == "year" or rest[found[0][1]:].strip(" .") != "":
        return None
    before = rest[:found[0][0]]
    if before.strip() and (label or not PLACE_BEFORE_DATE.fullmatch(before)):
        return None
    return found[0][2].value


def experience(position: Position, as_of: datetime.date | None = None,
               letter_dated: datetime.date | None = None) -> Experience:
    """The months of experience a position gives.

    Parameters
    ----------
    position : Position
    as_of : datetime.date, optional
        The day a current position is counted to when the letter is undated (default: today).
    letter_dated : datetime.date, optional
        The letter's date (:func:`letter_date`): a current position is counted to it.

    Returns
    -------
    Experience
        Whole calendar months from the start to the end, the end day included (1 January 2018 –
        30 June 2020 is 30), and the full-time equivalent: under 30 hours a week counts pro rata.
    """
    start = position.start.value if position.start else None
    counted_to = None
    if position.end is not None:
        end = position.end.last_day()
    elif position.current:
        end = letter_dated or as_of or datetime.date.today()
        counted_to = "letter date" if letter_dated else "today"
    else:
        end = None
    if start is None or end is None:
        missing = "start" if start is None else "end"
        return Experience(start, end, position.current, counted_to, None, None, f"no {missing} date stated")
    if end < start:
        return Experience(start, end, position.current, counted_to, None, None,
                          f"the end ({end.isoformat()}) is before the start ({start.isoformat()})")
    months = whole_months(start, end)
    note = None
    fte = float(months)
    hours = position.hours_per_week
    if hours is not None and hours < FULL_TIME_HOURS:
        fte = round(months * min(hours, FULL_TIME_HOURS) / FULL_TIME_HOURS, 1)
        note = f"part-time: {hours:g} hours a week count {hours:g}/{FULL_TIME_HOURS:g} of full time"
    if counted_to:
        reached = f"current: counted to {'the letter date' if letter_dated else 'today'} ({end.isoformat()})"
        note = f"{note}; {reached}" if note else reached
    return Experience(start, end, position.current, counted_to, months, fte, note)
