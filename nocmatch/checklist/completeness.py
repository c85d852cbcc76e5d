"""Does the letter carry what IRCC expects of an employment reference letter?

IRCC's instruction (spec §5.2) asks for: company letterhead, the applicant's name, the company's
address, telephone and email, the signer's name, title and signature, and for every position held
its job title, duties, dates worked, hours per week and annual salary plus benefits.
:func:`check_completeness` reports each of these as present, missing or ambiguous, with the text
it found, and raises the flags a consultant acts on (part-time hours, no end date, several
positions without their own dates).

Detection is rule-based and needs no model: the parsed letter's sentence kinds and layout (what
precedes the greeting is the letterhead, what follows "Sincerely" is the signature block) plus a
blank English spaCy pipeline with an ``entity_ruler`` that tags money (in any currency), weekly hours,
phone numbers, emails, web addresses, postal codes and street addresses. Dates are read by the same
reader as the positions' dates (:func:`nocmatch.letter.dates.find_dates`: "12-Jun-2019", "01.03.2018",
"3rd March 2019" ...). It runs on the sentences the parser already made, so the matcher's own parsing
is not slowed down.

Every check runs in time linear in the letter, whatever its words: the patterns have no adjacent
quantifiers that can take the same characters, the context read around an entity is bounded, and
a sentence is never rebuilt or re-sliced once per entity in it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from nocmatch.letter.classify import DEFAULT_TITLE_HEADS, HONORIFIC, SIGNED_BY, ParsedLetter, Sentence, title_head, title_phrase
from nocmatch.letter.dates import EMPLOYMENT_CONTINUES as CURRENT
from nocmatch.letter.dates import FULL_TIME_HOURS, JOINING_FIELD, LEAVING_FIELD, day_order, find_dates
from nocmatch.letter.layout import CLOSING_WORD, LEGAL_SUFFIX
from nocmatch.letter.nlp import component, run
from nocmatch.letter.positions import Position, find_positions

#: (element id, label) in the order of IRCC's list; the ids are stable keys of ``to_dict()``.
ELEMENTS: tuple[tuple[str, str], ...] = (
    ("letterhead", "Company letterhead / name"),
    ("company_address", "Company address"),
    ("company_phone", "Company telephone"),
    ("company_email", "Company email"),
    ("signer_name", "Signer's name"),
    ("signer_title", "Signer's title"),
    ("signature_line", "Signature"),
    ("employee_name", "Employee's name"),
    ("employment_dates", "Employment dates (per position)"),
    ("job_title", "Job title(s)"),
    ("hours_per_week", "Hours per week"),
    ("salary", "Annual salary"),
    ("benefits", "Benefits"),
    ("duties", "Main duties"),
)
LABELS = dict(ELEMENTS)
STATUSES = ("present", "missing", "ambiguous")

#: IRCC counts work of at least 30 hours a week as full-time (1,560 hours = one year).
#: Fewer listed duty sentences than this and an officer cannot compare the duties with the NOC.
MIN_DUTIES = 3
#: The most positions (job titles) read from one letter. A career history names a handful; every
#: sentence is searched for every title, which is quadratic in a letter that "states" thousands.
MAX_POSITIONS = 20
#: Sentences tagged for names and dates at each end of a very long text (:func:`_letter`).
MAX_TAGGED_END = 200

# -- the entity ruler ------------------------------------------------------------------------
STREET_TYPES = ["street", "st", "st.", "avenue", "ave", "ave.", "road", "rd", "rd.", "boulevard", "blvd", "blvd.",
                "drive", "dr", "dr.", "way", "lane", "ln", "crescent", "cres", "court", "ct", "place", "pl",
                "parkway", "pkwy", "square", "sq", "highway", "hwy", "circle", "trail", "terrace", "row", "gate",
                "line", "sideroad", "concession", "plaza", "centre", "center", "mall"]
HOUR_WORDS = ["hours", "hour", "hrs", "hr", "h"]
#: Currencies before or after an amount: symbols, and ISO codes as letters abroad write them ("INR 18,00,000",
#: "180,000 RMB", "Rs. 12,00,000", "R$ 120.000,00", "₦6,000,000").
CURRENCY_SIGNS = ["$", "C$", "CA$", "US$", "A$", "AU$", "NZ$", "S$", "HK$", "R$", "€", "£", "¥", "₹", "₱", "₦", "₩",
                  "₺", "₴", "₽", "₫", "৳", "₨", "₪", "Rs", "Tk", "Ksh", "KSh"]
CURRENCY_CODES = ["CAD", "CDN", "USD", "EUR", "GBP", "CHF", "INR", "PKR", "LKR", "BDT", "NPR", "CNY", "RMB", "HKD",
                  "TWD", "JPY", "KRW", "SGD", "MYR", "THB", "IDR", "VND", "PHP", "AUD", "NZD", "AED", "SAR", "QAR",
                  "KWD", "OMR", "BHD", "JOD", "EGP", "ILS", "TRY", "IRR", "NGN", "GHS", "KES", "ZAR", "ETB", "MAD",
                  "PLN", "CZK", "HUF", "RON", "SEK", "NOK", "DKK", "UAH", "RUB", "BRL", "MXN", "COP", "ARS", "CLP",
                  "PEN"]
CURRENCY_WORDS = ["dollars", "rupees", "yuan", "euros", "euro", "pounds", "pesos", "naira", "dirhams", "riyals",
                  "reais", "zloty", "hryvnia", "rubles", "roubles", "taka", "cedis", "shillings", "rand", "ringgit",
                  "baht", "dong", "won", "yen"]
#: Lakh and crore: "INR 12 lakhs per annum".
INDIAN_UNITS = ["lakh", "lakhs", "lac", "lacs", "crore", "crores"]
WEEK_WORDS = ["week", "wk", "weekly"]
PER_WORDS = ["per", "a", "/", "each", "every", "an"]

# Token predicates use spaCy's token shapes ("ddd,ddd" for 148,500; "XdX" for M5H) rather than
# REGEX: shapes are compared in C, a REGEX calls Python for every token of every letter.
_NUM = {"LIKE_NUM": True, "IS_ALPHA": False}                                  # 40, 37.5, 148,500 (not "forty")
_DIGITS = lambda n: {"SHAPE": "d" * n}  # noqa: E731 — a token of exactly n (≤ 4) digits
_SEP = {"ORTH": {"IN": ["-", ".", "–"]}, "OP": "?"}
_HOUSE_NUMBER = {"SHAPE": {"IN": ["d", "dd", "ddd", "dddd", "dX", "ddX", "dddX", "ddddX"]}}

ENTITY_PATTERNS: list[dict] = [
    # money: "$148,500", "$118k", "CAD 95,000", "C$95,000", "85,000 dollars"
    # "INR 12 lakhs", "₹18,00,000", "EUR 52.000", "180,000 RMB", "85,000 dollars"
    {"label": "MONEY", "pattern": [{"ORTH": {"IN": CURRENCY_SIGNS}}, {"ORTH": ".", "OP": "?"}, _NUM,
                                   {"LOWER": {"IN": INDIAN_UNITS}, "OP": "?"}]},
    {"label": "MONEY", "pattern": [{"ORTH": {"IN": ["$", "C$", "CA$", "US$"]}}, {"SHAPE": {"IN": ["dx", "ddx", "dddx"]}}]},
    {"label": "MONEY", "pattern": [{"ORTH": {"IN": CURRENCY_CODES}}, {"ORTH": {"IN": ["$", "."]}, "OP": "?"}, _NUM,
                                   {"LOWER": {"IN": INDIAN_UNITS}, "OP": "?"}]},
    {"label": "MONEY", "pattern": [_NUM, {"LOWER": {"IN": INDIAN_UNITS}, "OP": "?"}, {"ORTH": {"IN": CURRENCY_CODES}}]},
    {"label": "MONEY", "pattern": [_NUM, {"LOWER": {"IN": INDIAN_UNITS}, "OP": "?"},
                                   {"LOWER": {"IN": CURRENCY_WORDS + ["cad", "usd", "cdn"]}}]},
    # weekly hours: "40 hours per week", "37.5 hrs/week", "40 h/week", "a 40-hour week", "hours per week: 40"
    {"label": "HOURS", "pattern": [_NUM, {"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": ["working", "work"]}, "OP": "?"},
                                   {"LOWER": {"IN": HOUR_WORDS}}, {"LOWER": {"IN": PER_WORDS + ["in"]}, "OP": "?"},
                                   {"LOWER": {"IN": ["a", "the"]}, "OP": "?"}, {"LOWER": {"IN": WEEK_WORDS}}]},
    {"label": "HOURS", "pattern": [_NUM, {"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": HOUR_WORDS}},
                                   {"LOWER": "work", "OP": "?"}, {"LOWER": {"IN": WEEK_WORDS}}]},
    {"label": "HOURS", "pattern": [{"SHAPE": {"IN": ["dx", "ddx", "dxx", "ddxx", "dxxx", "ddxxx", "dxxxx", "ddxxxx",
                                                     "dd.dx", "dd.dxx", "dd.dxxx"]}},   # 40h, 40hrs, 37.5hrs
                                   {"LOWER": {"IN": PER_WORDS}, "OP": "?"}, {"LOWER": {"IN": WEEK_WORDS}}]},
    {"label": "HOURS", "pattern": [{"LOWER": {"IN": ["hours", "hrs"]}}, {"LOWER": {"IN": PER_WORDS}},
                                   {"LOWER": {"IN": WEEK_WORDS}}, {"ORTH": {"IN": [":", "-", "–"]}, "OP": "?"}, _NUM]},
    {"label": "HOURS", "pattern": [{"LOWER": "weekly"}, {"LOWER": "hours"}, {"ORTH": {"IN": [":", "-", "–"]}, "OP": "?"},
                                   _NUM]},
    # telephone: "(416) 555-0142", "416-555-0125", "905.555.0174", "+1 416 555 0125"
    {"label": "PHONE", "pattern": [{"ORTH": {"IN": ["+1", "1"]}, "OP": "?"}, {"ORTH": "-", "OP": "?"},
                                   {"ORTH": "(", "OP": "?"}, _DIGITS(3), {"ORTH": ")", "OP": "?"}, _SEP,
                                   _DIGITS(3), _SEP, _DIGITS(4)]},
    {"label": "PHONE", "pattern": [{"SHAPE": {"IN": ["ddd.ddd.dddd", "ddd-ddd-dddd"]}}]},
    # abroad, with the country code: "+55 11 5550-3321", "+234 1 555 0174", "+86 755 5550 1234"
    {"label": "PHONE", "pattern": [{"SHAPE": {"IN": ["+d", "+dd", "+ddd"]}}, {"SHAPE": {"IN": ["d", "dd", "ddd", "dddd"]}},
                                   {"ORTH": {"IN": ["-", "."]}, "OP": "?"}, {"SHAPE": {"IN": ["dd", "ddd", "dddd"]}},
                                   {"ORTH": {"IN": ["-", "."]}, "OP": "?"},
                                   {"SHAPE": {"IN": ["dd", "ddd", "dddd"]}, "OP": "?"},
                                   # pairs at the end ("+90 212 555 48 90", "+33 1 23 45 67 89"), not a house number
                                   # on the next line ("+234 1 555 0174 / 220 King Street")
                                   {"SHAPE": "dd", "OP": "?"}, {"SHAPE": "dd", "OP": "?"}]},
    # an area or country code in brackets: "(02) 8555-0176" (Manila), "(+84) 28 5550 1234", "(+63 32) 555 8800"
    {"label": "PHONE", "pattern": [{"ORTH": "("}, {"SHAPE": {"IN": ["+d", "+dd", "+ddd"]}, "OP": "?"},
                                   {"SHAPE": {"IN": ["d", "dd", "ddd"]}, "OP": "?"}, {"ORTH": ")"},
                                   {"SHAPE": {"IN": ["d", "dd", "ddd", "dddd"]}}, {"ORTH": {"IN": ["-", "."]}, "OP": "?"},
                                   {"SHAPE": {"IN": ["ddd", "dddd"]}}, {"ORTH": {"IN": ["-", "."]}, "OP": "?"},
                                   {"SHAPE": {"IN": ["ddd", "dddd"]}, "OP": "?"}]},
    # the country code joined by hyphens: "+91-20-555-0187"
    {"label": "PHONE", "pattern": [{"SHAPE": {"IN": ["+d", "+dd", "+ddd"]}}, {"ORTH": "-"},
                                   {"SHAPE": {"IN": ["d", "dd", "ddd"]}}, {"ORTH": "-"}, {"SHAPE": {"IN": ["ddd", "dddd"]}},
                                   {"ORTH": "-"}, {"SHAPE": {"IN": ["ddd", "dddd"]}}]},
    {"label": "EMAIL", "pattern": [{"LIKE_EMAIL": True}]},
    {"label": "URL", "pattern": [{"LIKE_URL": True}]},
    # Canadian postal code "M5H 1K4" / "M5H1K4"; US ZIP after a state abbreviation
    {"label": "POSTAL", "pattern": [{"SHAPE": {"IN": ["XdX", "xdx"]}}, {"SHAPE": {"IN": ["dXd", "dxd"]}}]},
    {"label": "POSTAL", "pattern": [{"SHAPE": {"IN": ["XdXdXd", "xdxdxd"]}}]},
    # the tokenizer splits some codes as a number and a unit ("N2G" → "N2" "G")
    {"label": "POSTAL", "pattern": [{"SHAPE": "Xd"}, {"SHAPE": "X"}, {"SHAPE": "dXd"}]},
    {"label": "POSTAL", "pattern": [{"SHAPE": "XX"}, {"SHAPE": "dddd", "LENGTH": 5}]},
    # street address: "220 King Street West", "301-1 Yonge St", "4100 Highway 7", "P.O. Box 123"
    {"label": "STREET", "pattern": [_HOUSE_NUMBER, {"ORTH": "-", "OP": "?"}, {**_HOUSE_NUMBER, "OP": "?"},
                                    {"IS_TITLE": True, "OP": "+"}, {"LOWER": {"IN": STREET_TYPES}}]},
    {"label": "STREET", "pattern": [_HOUSE_NUMBER, {"IS_TITLE": True, "OP": "*"},
                                    {"LOWER": {"IN": ["highway", "hwy", "route", "county"]}}, _NUM]},
    {"label": "STREET", "pattern": [{"LOWER": {"IN": ["p.o.", "po"]}}, {"LOWER": "box"}, _NUM]},
]


#: Every pattern above (and every date) needs a digit, an "@" (LIKE_EMAIL) or a web address (LIKE_URL: "http",
#: "www." or a dot inside a token): the ruler skips the many sentences that have none.
ENTITY_CUE = re.compile(r"\d|@|\S\.\S|https?:|www\.", re.I)


def entity_ruler():
    """The entity ruler above, a component of the shared blank English pipeline."""
    return component("contact_entities", "entity_ruler", {"validate": True},
                     setup=lambda ruler: ruler.add_patterns(ENTITY_PATTERNS))


# -- cue patterns (searched case-insensitively in a sentence) ---------------------------------
# PAY_PERIOD, NOT_PAY, HOURLY and RANGE_AFTER are matched where an amount or a date ends
# (``pattern.match(text, end)``), not in a copy of the rest of the sentence: one copy per entity
# is quadratic in a sentence of many. "\s*(?:(?:cad|…)\s*)?" rather than "\s*(?:cad|…)?\s*": two
# \s* side by side share a run of spaces quadratically.
SALARY_CUE = re.compile(r"\b(?:salary|salaries|wages?|pay|paid|earns?|earning|compensation|remuneration|rate|income"
                        r"|annuali[sz]ed|stipend)\b", re.I)
PAY_PERIOD = re.compile(r"\s*(?:(?:cad|cdn|usd|dollars)\s*)?(?:(?:per|a|an|/|each)\s*(?:year|yr|annum|hour|hr|month)"
                        r"|annually|yearly|hourly|p\.?a\.?\b)", re.I)
#: Amounts that are not pay ("a $1,500 yearly training allowance").
NOT_PAY = re.compile(r"\s*(?:cad\s+)?(?:(?!plus\b|and\b|with\b|per\b)[\w-]+\s+){0,3}(?:allowance|budget|bonus|stipend"
                     r"|reimbursement|grant)\b", re.I)
HOURLY = re.compile(r"\s*(?:(?:cad|cdn|usd|dollars)\s*)?(?:(?:per|an|/|each)\s*(?:hour|hr)\b|hourly)", re.I)
SALARY_WITHOUT_AMOUNT = re.compile(r"\b(?:salary|wage|compensation|remuneration)\b", re.I)
BENEFITS = re.compile(r"\b(?:benefits?|extended health|health(?:care)?|dental|vision(?: care)?|pension|rrsp|dpsp"
                      r"|vacation|paid time off|pto|bonus(?:es)?|stock options?|rsus?|equity|(?:life|disability)"
                      r" insurance|insurance|disability|sick (?:days|leave)|allowances?|group plan|profit[- ]sharing)\b",
                      re.I)
FULL_TIME = re.compile(r"\bfull[- ]time\b", re.I)
#: Hours a day, which a week's hours are not ("rendering 8 hours a day, Monday to Friday").
DAILY_HOURS = re.compile(r"\b\d{1,2}(?:\.\d)?\s*(?:hours|hrs)\s*(?:a|per|each)\s*(?:working\s+)?day\b", re.I)
PART_TIME = re.compile(r"\bpart[- ]time\b", re.I)
#: Words that say the employment is ongoing (no end date is then expected).
START_CUE = re.compile(r"(?:\b(?:since|from|starting|started|start(?:ing)? date|joined|hired|commenced|began|effective"
                       rf"|{JOINING_FIELD}|as of|promoted|appointed|moved|transferred)\b[^.;]{{0,40}}?)$", re.I)
END_CUE = re.compile(r"(?:\b(?:until|till|to|through|thru|ended|ending|end date|last (?:working )?day|left|resigned"
                     r"|terminated|departed|relieved(?: from (?:his|her|their|the) (?:duties|services?|employment|post))?"
                     rf"|{LEAVING_FIELD})\b\W{{0,8}}(?:on\s+)?|[-–—]\s*)$", re.I)
RANGE_AFTER = re.compile(r"\s*(?:[-–—]|to|until|till|through)\s*(?:the\s+)?(?P<end>present|date|today|now)?", re.I)
YEAR_RANGE = re.compile(r"\b(?P<start>(?:19|20)\d{2})\s*(?:[-–—]|to|until)\s*(?P<end>(?:19|20)\d{2}|present)\b", re.I)
DURATION_ONLY = re.compile(r"\b(?:for|over) (?:the )?(?:past|last )?(?:\w+ )?(?:years?|months?)\b", re.I)
SIGNATURE_MARK = re.compile(r"\(signed\)|\[signed\]|\bsigned\b|/s/|_{3,}|\bsignature\b|\[signature\]|\be-?signed\b",
                            re.I)
#: A template's field that holds the signer ("Signed: Marisol Kwan, HR Business Partner", "Manager: ...").
#: The label of a signature block's line ("Verified by:", "Name:", "Title:"), read off before its name or title.
SIGNER_LABEL = re.compile(rf"^(?:{SIGNED_BY}|signed|manager|supervisor|signatory|name|title)\s*:\s*", re.I)
_UPPER = "A-ZÀ-ÖØ-Þ"
#: The longest part of a name word ("Wolfeschlegelsteinhausenbergerdorff" has 35 letters), and the most
#: parts joined by an apostrophe or hyphen ("Jean-Pierre", "O'Connell-Smith"). Bounding them keeps a
#: name search linear in a long capitalised token, which it is tried from every letter of.
NAME_PART_CHARS = 40
NAME_PARTS = 4
#: A capitalised name word in any Latin script: "Fatima", "Al-Sayed", "O'Connell", "Lefèvre", "McAllister".
#: (A part after the apostrophe or hyphen is any letters: "[A-Z]?[a-z]+" would match "Sayed" two ways,
#: and those choices multiply — exponentially — along "A-Bc-Bc-Bc-…".)
NAME_WORD = (rf"[{_UPPER}][^\W\d_]{{0,{NAME_PART_CHARS - 1}}}"
             rf"(?:['’-][^\W\d_]{{1,{NAME_PART_CHARS}}}){{0,{NAME_PARTS - 1}}}")
#: A nickname between the names: 'Devendra ("Dev") Raghunathan', "Oleksandr (Alex) Kravets".
NICKNAME = r"[(\"“']{1,2}[^\W\d_]{1,20}[)\"”']{1,2}"
NAME = (rf"{NAME_WORD}(?:\s+(?:[{_UPPER}]\.|{NAME_WORD}|{NICKNAME}|(?:van|de|der|von|da|di|del|la|le|bin|al|el)\b))"
        rf"{{0,3}}")
#: Capitalised words that open a subject line or a heading, never a person's name.
NOT_NAME = frozenset("employment verification reference letter confirmation certificate experience re subject "
                     "human resources to whom whomsoever it may concern dear the our this "
                     # pronouns and verbs that open a sentence of an all-capitals letter ("HE WORKS AT ...")
                     "he she they his her has have had is was who also currently".split())
_TITLE_HEAD = "|".join(sorted(DEFAULT_TITLE_HEADS))
#: Where a letter names the employee: cues that mark the name (an honorific, a field's label, the subject line) ...
MARKED_NAME_CUES = [re.compile(p) for p in (
    rf"\b{HONORIFIC}\s+(?P<name>{NAME})",
    rf"(?i:\b(?:employee(?:'s)?(?: full)? name|name of (?:the )?employee|employee|full name|name)\s*[:\-–]\s*)"
    rf"(?P<name>{NAME})",
    # "RE: Wei Zhang", "Subject: Employment confirmation - Ms. C. Nwankwo", "Reference - Sofia Lindqvist-Okafor"
    # "Employment letter: Nnamdi Okafor"
    rf"(?i:^(?:re|subject|objet|asunto|assunto|reference|(?:employment|experience|reference|service|work)\s+(?:letter|confirmation"
    rf"|certificate|verification))\s*[:\-–—]\s*(?:.*?(?:\s[-–—]\s|:|\bfor\b|\bof\b)\s*)?)(?:{HONORIFIC}\s+)?"
    rf"(?P<name>{NAME})\s*(?:,|$)",
)]
#: ... and cues that read it from the words around it, which a letter written in capitals defeats (every word
#: there looks like a name: "HE WORKED FULL TIME AND HAS WORKED IN ..."): a name in capitals is taken only if marked.
CONTEXT_NAME_CUES = [re.compile(p) for p in (
    # a terse letter's first line: "Nadia Hashemi - Data Analyst, Customer Analytics. Full time since ..."
    rf"^(?:{HONORIFIC}\s+)?(?P<name>{NAME})\s+[-–—]\s+(?=(?:[^\W\d_]+\s+){{0,4}}(?i:{_TITLE_HEAD})s?\b)",
    rf"(?i:\b(?:confirm|certif|verif|attest)\w*\s+that\s+)(?P<name>{NAME})(?i:\s+(?:has|is|was|works|worked"
    rf"|joined|held|holds|had|have|served|serves|started|remains|continues))\b",
    rf"(?P<name>{NAME})(?i:\s+(?:has been|was|is)\s+(?:\w+\s+)?(?:employed|working)"
    rf"|\s+(?:has |had )?(?:worked|works|served|serves|joined)\s+(?:for|with|at|as|in|us|our)\b)\b",
)]
#: Each cue, and whether it marks the name.
EMPLOYEE_CUES = [(cue, True) for cue in MARKED_NAME_CUES] + [(cue, False) for cue in CONTEXT_NAME_CUES]
COMPANY_SUFFIX = re.compile(r"\b(?:inc|incorporated|ltd|limited|corp|corporation|co|company|llp|llc|lp|plc|ulc|gmbh"
                            r"|group|technologies|systems|solutions|software|services|consulting|labs|partners"
                            r"|associates|bank|university|college|hospital|agency|ministry|institute)\b\.?", re.I)
# nothing follows the repeat, so the first (greedy) way it matches is the match: it never backtracks
EMPLOYER_CUE = re.compile(r"\b(?:employed|working|works|worked)\s+(?:by|at|with|for)\s+(?P<org>(?:[A-Z][\w&'.-]*\s*){1,6})")
RECIPIENT_CUE = re.compile(r"\b(?:receives?|received|eligible|entitled|enrolled|participates?|is provided|are provided"
                           r"|also gets?|has access|is covered|includes?)\b", re.I)
#: The employer's title for a position, when the parser's head nouns do not know it ("a full-time Lecturer").
LOOSE_TITLE_CUE = re.compile(rf"\b(?:as an?|as the|as our|position of|role of|title of)\s+(?:(?:full|part)[- ]time\s+)?"
                             rf"(?P<t>{NAME_WORD}(?:\s+(?:(?:of|de|du|la|and|&)\s*)?{NAME_WORD}){{0,4}})")
SIGNER_TITLE_WORDS = frozenset(
    "manager director officer president vice vp ceo cto cfo coo cio chro hr human resources supervisor lead head clerk "
    "owner partner founder co-founder principal recruiter generalist administrator coordinator specialist advisor "
    "controller chief executive superintendent chair dean registrar proprietor payroll talent people "
    "operations".split()) | DEFAULT_TITLE_HEADS
FREE_MAIL = re.compile(r"@(?:gmail|yahoo|hotmail|outlook|live|icloud|aol|protonmail|proton)\.", re.I)
#: A capitalised word (or "&") and spaces just before a match: it is part of a name ("Mutual Insurance").
#: Searched only in the NAME_CONTEXT_CHARS before the match.
NAME_BEFORE = re.compile(r"(?:\b[A-Z][\w.'-]*|&)\s+$")
NAME_CONTEXT_CHARS = 64
#: Labels and separators that end an address line before its phone or e-mail ("… M5H 1K4 | Tel:").
#: Searched only in the ADDRESS_TAIL_CHARS at the end of the line.
ADDRESS_TAIL = re.compile(r"(?i)[\s|·•,;–—-]*(?:\b(?:tel|phone|telephone|fax|t|e|email|e-mail|web)\b\.?:?[\s|·•]*)*$")
ADDRESS_TAIL_CHARS = 80
CONTACT_LABEL = re.compile(r"(?i)\b(?:tel|phone|telephone|fax|cell|mobile|email|e-mail|web|ext|x)\b\.?:?|[|•·]|\s/\s")
#: An address line as letters from abroad (and Quebec) write it: a number beside a word of an address ("Plot No.
#: 42", "Unit 1203", "18/F", "House 27, Road 11", "ul. Lubicz 23", "Rua Funchal, 418", "2211 rue Notre-Dame",
#: "Av. Paulista, 1578", "Landsberger Straße 302", "Room 1806", "P.O. Box 555914"). Searched only in the
#: letterhead, the signature block and contact lines.
_ADDRESS_WORD = (r"(?:plot|house|building|bldg|block|tower|floor|level|unit|suite|office|room|road|rd|street|st|str"
                 r"|avenue|ave|av|boulevard|boul|blvd|rue|rua|calle|carrera|vul|ul|way|close|lane|drive|crescent"
                 r"|highway|hwy|mawatha|marg|caddesi|sector|phase|gat|p\.?\s?o\.?\s?box)")
ADDRESS_ABROAD = re.compile(rf"\b{_ADDRESS_WORD}\b\.?,?\s{{0,2}}(?:no\.?\s?|#\s?)?\d|\b\d{{1,3}}(?:st|nd|rd|th)?\s?/\s?f\b"
                            rf"|\b{_ADDRESS_WORD}\.?\s(?:[^\W\d][\w'.-]{{0,30}},?\s){{1,4}}\d"  # "Rua das Araucárias, 1555"
                            rf"|\b\d[\w-]{{0,6}},?\s{{1,2}}(?:-\s)?(?:[^\W\d][\w'.-]{{0,30}}\s){{0,3}}{_ADDRESS_WORD}\b"
                            r"|\w(?:straße|strasse|gasse|weg|platz)\s\d", re.I)
#: The parts of an address line after its street: a city, a region, a postal code, a country.
ADDRESS_PARTS = re.compile(r"\s*(?:,|\s[-–—·|/]\s)\s*")
#: An address line of this many parts holds the city too ("Plot 7, Okonjo Close, Lekki Phase 1, Lagos, Nigeria").
ADDRESS_LINE_PARTS = 3
#: Sentences of these kinds state the employment, not the employer's address.
NOT_ADDRESS_KINDS = ("employment", "compensation", "hours")
PROVINCE = re.compile(r"\b(?:ontario|quebec|british columbia|alberta|manitoba|saskatchewan|nova scotia|new brunswick"
                      r"|newfoundland|prince edward island|yukon|nunavut|northwest territories"
                      r"|ON|QC|BC|AB|MB|SK|NS|NB|NL|PE|PEI|YT|NU|NT)\b")


# -- results ----------------------------------------------------------------------------------
@dataclass
class CompletenessItem:
    """One element IRCC expects in the letter, and what was found for it."""

    element: str        #: stable id, e.g. "hours_per_week"
    label: str          #: what a person reads
    status: str         #: "present", "missing" or "ambiguous"
    found: list[str] = field(default_factory=list)  #: the letter's text that evidences it
    note: str = ""      #: why it is ambiguous or missing, or what to check

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class CompletenessFlag:
    """A finding a consultant must act on even when every element is present."""

    kind: str           #: part_time_hours, missing_end_date, positions_without_dates
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Completeness:
    """The letter checked against IRCC's list of reference-letter contents."""

    items: list[CompletenessItem]
    flags: list[CompletenessFlag] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """Ids of the elements not found."""
        return [i.element for i in self.items if i.status == "missing"]

    @property
    def ambiguous(self) -> list[str]:
        return [i.element for i in self.items if i.status == "ambiguous"]

    @property
    def complete(self) -> bool:
        """Every element present and nothing flagged."""
        return not self.flags and all(i.status == "present" for i in self.items)

    def item(self, element: str) -> CompletenessItem:
        """The item of one element id (KeyError for an unknown id)."""
        for item in self.items:
            if item.element == element:
                return item
        raise KeyError(element)

    def to_dict(self) -> dict:
        return {"items": [i.to_dict() for i in self.items], "flags": [f.to_dict() for f in self.flags],
                "missing": self.missing}


# -- the letter's layout and entities ---------------------------------------------------------
@dataclass
class _Entity:
    label: str
    text: str
    start: int   #: character offsets in the sentence
    end: int


@dataclass
class _Letter:
    """The parsed letter's layout (header / body / signature) with the entities of each sentence."""

    parsed: ParsedLetter
    header: list[Sentence]
    body: list[Sentence]
    signature: list[Sentence]
    entities: dict[int, list[_Entity]]

    def ents(self, sentences: list[Sentence], label: str) -> list[tuple[Sentence, _Entity]]:
        return [(s, e) for s in sentences for e in self.entities.get(s.index, []) if e.label == label]

    def with_entity(self, sentences: list[Sentence], label: str) -> list[Sentence]:
        """The sentences holding at least one ``label`` entity (each once, however many it holds)."""
        return [s for s in sentences if any(e.label == label for e in self.entities.get(s.index, []))]

    @property
    def titles(self) -> list[str]:
        """The job titles the parser found, at most MAX_POSITIONS of them."""
        return self.parsed.titles[:MAX_POSITIONS]

    @property
    def non_duty(self) -> list[Sentence]:
        return [s for s in self.parsed.sentences if s.kind != "duty"]


def _letter(parsed: ParsedLetter) -> _Letter:
    sentences, layout = parsed.sentences, parsed.layout
    tagged = [s for s in sentences if ENTITY_CUE.search(s.text)]
    if len(tagged) > 2 * MAX_TAGGED_END:
        # the employer, the signer and the dates stand at a letter's head and foot: a text of thousands of
        # sentences (no letter has more than a few dozen) is tagged there only, so that it cannot tie up a core
        tagged = tagged[:MAX_TAGGED_END] + tagged[-MAX_TAGGED_END:]
    order = day_order(parsed.text) if tagged else None
    entities = {s.index: _with_dates(s.text, [_Entity(e.label_, e.text, e.start_char, e.end_char) for e in doc.ents],
                                     order)
                for s, doc in zip(tagged, run(entity_ruler(), (s.text for s in tagged)))}
    return _Letter(parsed, layout.header, layout.body, layout.signature, entities)


def _with_dates(text: str, entities: list[_Entity], day_first: bool | None) -> list[_Entity]:
    """The ruler's entities and the sentence's dates (a day or a month; years alone are read as ranges, see
    :data:`YEAR_RANGE`), in order; a date wins over a ruler's entity it overlaps."""
    dates = [_Entity("DATE", date.text, start, end) for start, end, date in find_dates(text, day_first)
             if date.precision != "year"]
    kept = [e for e in entities if not any(d.start < e.end and e.start < d.end for d in dates)]
    return sorted(kept + dates, key=lambda e: e.start)


def _unique(values) -> list[str]:
    """Distinct values in order, with their whitespace normalised ("Toronto, Ontario  M5H")."""
    return list(dict.fromkeys(" ".join(v.split()) for v in values if v and v.strip()))


def _item(element: str, status: str, found=(), note: str = "") -> CompletenessItem:
    return CompletenessItem(element, LABELS[element], status, _unique(found), note)


def _without_entities(letter: _Letter, sentence: Sentence) -> str:
    """The sentence with its phone numbers, emails, addresses ... cut out, and what labels them."""
    kept, position = [], 0  # the text between the (non-overlapping) entities, joined once
    for e in sorted(letter.entities.get(sentence.index, []), key=lambda e: e.start):
        kept.append(sentence.text[position:e.start])
        position = e.end
    text = CONTACT_LABEL.sub(" ", " ".join(kept + [sentence.text[position:]]))
    return re.sub(r"\s+", " ", text).strip(" ,;-–")


# -- one check per element ---------------------------------------------------------------------
def _organisation(letter: _Letter) -> list[str]:
    """Company names stated outside the letterhead (signature block, "employed by X Inc.")."""
    names = [_without_entities(letter, s) for s in letter.signature if COMPANY_SUFFIX.search(s.text)]
    names += [m.group("org").strip() for s in letter.body for m in EMPLOYER_CUE.finditer(s.text)
              if COMPANY_SUFFIX.search(m.group("org"))]
    return [n for n in names if n]


def _letterhead(letter: _Letter) -> CompletenessItem:
    names = []
    for s in letter.header:
        if s.kind in ("date", "greeting", "closing") or CLOSING_WORD.match(s.text) or re.match(
                r"(?i)(?:re|subject|date|our ref|ref)\b", s.text):
            continue
        # the text before the line's first address / phone entity: "Acme Inc. 12 King St ..." → "Acme Inc."
        first = min((e.start for e in letter.entities.get(s.index, [])), default=len(s.text))
        name = s.text[:first].strip(" ,|·-–")
        looks_like_address = s.kind == "contact" or PROVINCE.search(name)  # "Toronto, Ontario M5H 1K4"
        if (name[:1].isupper() and 1 <= len(name.split()) <= 12 and re.search(r"[^\W\d_]{2}", name)
                and (not looks_like_address or COMPANY_SUFFIX.search(name))):
            names.append(name)
    if names:
        return _item("letterhead", "present", names[:1])
    elsewhere = _organisation(letter)
    if elsewhere:
        return _item("letterhead", "ambiguous", elsewhere[:2],
                     "the company is named, but not as a letterhead at the top of the letter")
    return _item("letterhead", "missing", note="no company name or letterhead above the greeting")


def _address_line(letter: _Letter, sentence: Sentence) -> str:
    """The address part of a line: up to its phone, email or web address ("… M5H 1K4 Tel: …")."""
    contact = [e.start for e in letter.entities.get(sentence.index, []) if e.label in ("PHONE", "EMAIL", "URL")]
    end = min(contact, default=len(sentence.text))
    # searched from a bounded distance before the end: tried from every position of a long line, the
    # pattern would run to its end each time ("e e e …" are all labels)
    tail = ADDRESS_TAIL.search(sentence.text, max(0, end - ADDRESS_TAIL_CHARS), end)
    assert tail is not None  # the pattern also matches the empty tail
    return sentence.text[:tail.start()]


def _address_lines(letter: _Letter) -> list[Sentence]:
    """Where the employer's address is written: the letterhead (whatever the parser took its lines for), the
    lines above the letter's first statement when the layout found no letterhead, contact lines and the
    signature block; not the employment's facts."""
    first = next((k for k, s in enumerate(letter.body) if s.kind in ("greeting", "employment", "duty")), len(letter.body))
    top = [s for s in letter.body[:first] if s.kind in ("contact", "letterhead", "other")]
    contact = [s for s in letter.body[first:] if s.kind == "contact"]
    # a line above the greeting that the parser took for a duty is still the letterhead's ("Level 12, 200 Queen
    # Street, Brisbane QLD 4000"); a listed item is never an address ("Install Office 365, VPN client")
    return [s for s in letter.header + top + contact + [t for t in letter.signature if t.kind != "duty"]
            if s.kind not in NOT_ADDRESS_KINDS and not s.bulleted]


def _address(letter: _Letter) -> CompletenessItem:
    where = letter.non_duty
    street = [_address_line(letter, s) for s in letter.with_entity(where, "STREET")]
    postal = [_address_line(letter, s) for s in letter.with_entity(where, "POSTAL")]
    city = [s.text for s in letter.header + letter.signature if PROVINCE.search(s.text)]
    # a street as letters from abroad and Quebec write it; a whole address on one line ("Plot No. 42, 3rd
    # Floor, Cyber Towers Road, HITEC City, Hyderabad - 500081, Telangana, INDIA") needs no other line
    abroad = [line for line in (_address_line(letter, s) for s in _address_lines(letter)
                                if ADDRESS_ABROAD.search(s.text))
              if line not in street]
    whole = [line for line in street + abroad if len(ADDRESS_PARTS.split(line.strip())) >= ADDRESS_LINE_PARTS]
    if (street or abroad) and (postal or city) or whole:
        return _item("company_address", "present", street + abroad + postal)  # _item drops repeats
    if street or abroad or postal:
        return _item("company_address", "ambiguous", street + abroad + postal,
                     "only part of an address: " + ("no city or postal code" if street or abroad else "no street address"))
    if city:
        return _item("company_address", "ambiguous", city, "a city or province but no street address")
    return _item("company_address", "missing", note="no street address or postal code")


def _phone(letter: _Letter) -> CompletenessItem:
    phones = [e.text for _, e in letter.ents(letter.non_duty, "PHONE")]
    if phones:
        return _item("company_phone", "present", phones)
    return _item("company_phone", "missing", note="no telephone number")


def _email(letter: _Letter) -> CompletenessItem:
    emails = [e.text for _, e in letter.ents(letter.non_duty, "EMAIL")]
    company = [e for e in emails if not FREE_MAIL.search(e)]
    if company:
        return _item("company_email", "present", company)
    if emails:
        return _item("company_email", "ambiguous", emails,
                     "only a personal email address (free mail); IRCC expects the company's contact details")
    websites = [e.text for _, e in letter.ents(letter.non_duty, "URL")]
    return _item("company_email", "missing", websites,
                 "a website but no email address" if websites else "no email address")


def _is_title(text: str) -> bool:
    return any(w in SIGNER_TITLE_WORDS or title_head(w) in SIGNER_TITLE_WORDS for w in re.findall(r"[^\W_]+", text.lower()))


def _person(text: str) -> str | None:
    """The person's name a signature line opens with: "Dr. Anjali Deshmukh, P.Eng." → "Anjali Deshmukh"."""
    text = re.sub(rf"^{HONORIFIC}\s+", "", text.strip())
    first = text.split(",")[0].strip()
    words = first.split()
    if (2 <= len(words) <= 4 and re.fullmatch(NAME, first) and not LEGAL_SUFFIX.search(first)
            and not _is_title(first) and not NOT_NAME & {w.lower() for w in words}):
        return first
    return None


def _signer(letter: _Letter) -> tuple[str | None, list[str]]:
    """The signer's name and title(s) from the signature block ("Jane Smith, HR Manager" or two lines)."""
    name, titles = None, []
    for sentence in letter.signature:
        line = SIGNER_LABEL.sub("", _without_entities(letter, sentence))
        if not line or SIGNATURE_MARK.search(line) or CLOSING_WORD.match(line):
            continue
        person = _person(line) if name is None else None
        if person:
            name = person
            rest = line.split(",", 1)[1].strip() if "," in line else ""
            if rest and _is_title(rest):
                titles.append(rest)
        elif _is_title(line) and not LEGAL_SUFFIX.search(line):
            titles.append(line)
        elif _is_title(line.split(",")[0]) and LEGAL_SUFFIX.search(line):
            titles.append(line.split(",")[0].strip())  # "CTO, NorthVision AI Inc."
    return name, titles


def _signer_name(letter: _Letter) -> CompletenessItem:
    name, _ = _signer(letter)
    if name:
        return _item("signer_name", "present", [name])
    return _item("signer_name", "missing", note="no line of the signature block reads as a person's name"
                 if letter.signature else "no signature block (name of the person signing)")


def _signer_title(letter: _Letter) -> CompletenessItem:
    _, titles = _signer(letter)
    if titles:
        return _item("signer_title", "present", titles[:1])
    return _item("signer_title", "missing", note="the signer's position (e.g. HR Manager) is not given"
                 if letter.signature else "no signature block")


def _signature_line(letter: _Letter) -> CompletenessItem:
    signature = {s.index for s in letter.signature}
    marks = [s.text for s in letter.parsed.sentences[len(letter.header):] if SIGNATURE_MARK.search(s.text)
             and (s.index in signature or s.kind in ("closing", "other", "signature"))]
    if marks:
        return _item("signature_line", "present", marks)
    name, _ = _signer(letter)
    if name or letter.signature:
        return _item("signature_line", "ambiguous", [name] if name else [],
                     "the text cannot show a handwritten or image signature: check that the original is signed")
    return _item("signature_line", "missing", note="no closing and signature block")


def _employee_name(letter: _Letter) -> CompletenessItem:
    names: list[str] = []
    signer, _ = _signer(letter)
    for s in letter.header + letter.body:
        if s.kind == "duty":
            continue
        for cue, marked in EMPLOYEE_CUES:
            for m in cue.finditer(s.text):
                candidate = m.group("name").strip()
                if candidate.isupper() and not marked:
                    continue
                words = {w.lower() for w in candidate.split()}
                if (not LEGAL_SUFFIX.search(candidate) and candidate != signer and not NOT_NAME & words
                        and not DEFAULT_TITLE_HEADS & words):  # "RE: Senior Data Engineer" names a position
                    names.append(candidate)
    full = [n for n in names if len(n.split()) >= 2]
    if full:
        return _item("employee_name", "present", full[:2])
    if names:
        return _item("employee_name", "ambiguous", names[:2], "only a first name; the full legal name is expected")
    return _item("employee_name", "missing", note="the employee's full name is not found")


@dataclass
class _Dates:
    starts: list[str]
    ends: list[str]
    current: list[str]
    other: list[str]
    positions: dict[str, list[str]]  #: title → dates stated with it


def _dates(letter: _Letter, found: list[Position]) -> _Dates:
    starts, ends, current, other = [], [], [], []
    # a form above a letter without greeting states them in what the layout reads as the letterhead
    # ("Date of Joining : 04/01/2016"); the letter's own date there is not the employment's
    for s in [s for s in letter.header if s.kind == "employment"] + letter.body:
        text = s.text
        dates = [e for e in letter.entities.get(s.index, []) if e.label == "DATE"]
        for i, e in enumerate(dates):
            before = text[max(0, e.start - 60):e.start]
            between = text[dates[i - 1].end:e.start].strip(" ,").lower() if i else None
            follows_date = between in ("-", "–", "—", "to", "until", "till", "through", "and")
            range_end = RANGE_AFTER.match(text, e.end)  # "… – March 31, 2019" or "… to present" follows
            if follows_date or END_CUE.search(before) and not START_CUE.search(before[-12:]):
                ends.append(e.text)
            elif START_CUE.search(before) or range_end and (i + 1 < len(dates) or range_end.group("end")):
                starts.append(e.text)
                if range_end and range_end.group("end"):
                    current.append(f"{e.text} {text[e.end:range_end.end()].strip()}")
            else:
                other.append(e.text)
        # "(2016–2019)" counts beside a job title or in the employment facts, not in "the 2024-2027 roadmap"
        year_ranges = YEAR_RANGE.finditer(text) if s.kind != "duty" or any(
            t.lower() in text.lower() for t in letter.titles) else ()
        for m in year_ranges:
            if any(e.start < m.end() and m.start() < e.end for e in dates):
                continue  # "June 3, 2019 to present" is already read as a date
            starts.append(m.group("start"))
            (current if m.group("end").lower() == "present" else ends).append(m.group(0))
        if s.kind != "duty" and (still := CURRENT.search(text)):
            current.append(still.group(0))
    positions = _positions(letter, found)
    return _Dates(starts, ends, current, other, positions)


def _positions(letter: _Letter, found: list[Position]) -> dict[str, list[str]]:
    """Each job title the letter states, with the dates stated for it.

    The positions are those the matcher matches (:func:`nocmatch.letter.positions.find_positions`);
    only when it finds no titled position are titles looked for more loosely, for the job-title item.
    """
    titled = [p for p in found if p.title]
    if titled:
        return {p.title or "": [d.text for d in (p.start, p.end) if d] + (["present"] if p.current and not p.end else [])
                for p in titled}
    titles = list(letter.titles)
    if not titles:
        # a title whose head noun the parser does not know ("a full-time Lecturer", "our Sous-Chef")
        loose = _unique(m.group("t") for s in letter.body if s.kind != "duty"
                        for m in LOOSE_TITLE_CUE.finditer(s.text)
                        if not LEGAL_SUFFIX.search(m.group("t")) and not COMPANY_SUFFIX.search(m.group("t")))
        titles = loose[:MAX_POSITIONS]
    for s in letter.body:
        if len(titles) >= MAX_POSITIONS:
            break
        dates = [e for e in letter.entities.get(s.index, []) if e.label == "DATE"]
        year_range = YEAR_RANGE.search(s.text)
        first = min([e.start for e in dates] + ([year_range.start()] if year_range else []), default=None)
        if first and len(dates) + bool(year_range) and len(s.text[:first].split()) <= 10:
            # "Software Developer ........ May 2, 2016 – March 31, 2019": a positions table row
            title = title_phrase(s.text[:first].strip(" .:–—-|\t"), DEFAULT_TITLE_HEADS)
            if title and title.lower() not in (t.lower() for t in titles):
                titles.append(title)
    positions: dict[str, list[str]] = {}
    lowered = [(s, s.text.lower()) for s in letter.body + letter.header]
    for title in titles:
        stated = []
        for s, text in lowered:
            if title.lower() in text:
                stated += [e.text for e in letter.entities.get(s.index, []) if e.label == "DATE"]
                stated += [m.group(0) for m in YEAR_RANGE.finditer(s.text)]
        positions[title] = _unique(stated)
    return positions


def _employment_dates(letter: _Letter, dates: _Dates) -> CompletenessItem:
    per_position = [f"{title}: {', '.join(found)}" for title, found in dates.positions.items() if found]
    found = ([f"start {d}" for d in dates.starts] + [f"end {d}" for d in dates.ends]
             + [f"ongoing: “{w}”" for w in _unique(dates.current)[:2]]
             + (per_position if len(dates.positions) > 1 else []))
    undated = [t for t, found_dates in dates.positions.items() if not found_dates]
    if dates.starts and (dates.ends or dates.current):
        if len(dates.positions) > 1 and undated:
            return _item("employment_dates", "ambiguous", found,
                         f"{len(dates.positions)} positions, but no dates for {', '.join(undated)}")
        return _item("employment_dates", "present", found)
    if dates.starts:
        return _item("employment_dates", "ambiguous", found,
                     "a start date but no end date and no 'to present' / current-employment wording")
    if dates.other:
        return _item("employment_dates", "ambiguous", dates.other,
                     "dates are mentioned, but none reads as the start of employment")
    durations = [m.group(0) for s in letter.body if s.kind != "duty" for m in DURATION_ONLY.finditer(s.text)]
    if durations:
        return _item("employment_dates", "ambiguous", durations, "a duration but no start and end dates")
    return _item("employment_dates", "missing", note="no dates of employment")


def _job_title(letter: _Letter, dates: _Dates) -> CompletenessItem:
    if dates.positions:
        return _item("job_title", "present", list(dates.positions))
    return _item("job_title", "missing", note="no job title stated ('employed as …', 'Position: …')")


def _hours_values(text: str) -> list[float]:
    return [float(n.replace(",", "")) for n in re.findall(r"\d+(?:\.\d+)?", text)]


def _hours(letter: _Letter) -> tuple[CompletenessItem, list[float], bool]:
    hours = [e.text for _, e in letter.ents(letter.non_duty, "HOURS")]
    values = [v for h in hours for v in _hours_values(h) if 0 < v <= 100]
    status_words = [m.group(0) for s in letter.non_duty for m in (FULL_TIME.search(s.text), PART_TIME.search(s.text)) if m]
    part_time = any(PART_TIME.match(w) for w in status_words)
    if values:
        return _item("hours_per_week", "present", hours + status_words), values, part_time
    daily = [m.group(0) for s in letter.non_duty for m in DAILY_HOURS.finditer(s.text)]
    if daily:
        return (_item("hours_per_week", "ambiguous", daily + status_words,
                      "hours a day, not hours per week: the letter should say how many a week"), values, part_time)
    if status_words:
        return (_item("hours_per_week", "ambiguous", status_words,
                      f"says {status_words[0]} but not how many hours per week"), values, part_time)
    return _item("hours_per_week", "missing", note="no hours per week"), values, part_time


def _salary(letter: _Letter, hours: list[float]) -> CompletenessItem:
    amounts, hourly = [], []
    for s, e in letter.ents(letter.non_duty, "MONEY"):
        # the pay cue must be in the amount's own clause: "earns $139,000 a year plus …, a $1,500 allowance"
        before = re.split(r"[,;(]", s.text[max(0, e.start - 60):e.start])[-1]
        period = PAY_PERIOD.match(s.text, e.end)
        if (SALARY_CUE.search(before) or period) and not NOT_PAY.match(s.text, e.end):
            amounts.append(f"{e.text}{s.text[e.end:period.end()]}" if period else e.text)
            if HOURLY.match(s.text, e.end):
                hourly.append(e.text)
    if amounts:
        note = ""
        if len(hourly) == len(amounts):
            note = "an hourly rate only; the annual salary is not stated"
            rate = _hours_values(hourly[0])
            if hours and rate:
                note += f" (≈ {_in_currency_of(hourly[0], rate[0] * max(hours) * 52)} a year at {max(hours):g} h/week)"
        return _item("salary", "present", amounts, note)
    mentioned = [s.text for s in letter.non_duty if SALARY_WITHOUT_AMOUNT.search(s.text)]
    if mentioned:
        return _item("salary", "ambiguous", mentioned[:1], "salary is mentioned without an amount")
    return _item("salary", "missing", note="no salary or wage")


def _in_currency_of(amount: str, value: float) -> str:
    """``value`` written with the currency of ``amount`` ("$52", "INR 350", "350 RMB")."""
    digits = re.search(r"\d[\d,.]*", amount)
    before, after = (amount[:digits.start()], amount[digits.end():]) if digits else ("", "")
    return f"{before}{value:,.0f}{after}"


def _in_a_name(text: str, start: int) -> bool:
    """A capitalised word after another one is part of a name ("Mutual Insurance Company")."""
    return text[start].isupper() and bool(NAME_BEFORE.search(text, max(0, start - NAME_CONTEXT_CHARS), start))


def _benefits(letter: _Letter) -> CompletenessItem:
    # a duty sentence counts only when the employee receives the benefit ("administers benefits" is a duty)
    words = [m.group(0) for s in letter.body if s.kind != "duty" or RECIPIENT_CUE.search(s.text)
             for m in BENEFITS.finditer(s.text) if not _in_a_name(s.text, m.start())]
    if words:
        return _item("benefits", "present", words)
    return _item("benefits", "missing", note="no benefits (health, dental, vacation, pension, bonus …) — "
                                              "if there are none, the letter should say so")


def _duties(letter: _Letter) -> CompletenessItem:
    duties = [s.text for s in letter.parsed.duties]
    if len(duties) >= MIN_DUTIES:
        return _item("duties", "present", duties[:3], f"{len(duties)} duty sentences")
    if duties:
        return _item("duties", "ambiguous", duties, f"only {len(duties)} duty sentence(s); "
                                                    "an officer expects the main duties to be listed")
    return _item("duties", "missing", note="no duty sentences")


def _flags(dates: _Dates, hours: list[float], part_time: bool) -> list[CompletenessFlag]:
    flags = []
    short = [h for h in hours if h < FULL_TIME_HOURS]
    if short or part_time:
        said = f"{min(short):g} hours per week" if short else "part-time work"
        flags.append(CompletenessFlag(
            "part_time_hours", f"{said}: under {FULL_TIME_HOURS:g} h/week is part-time; it counts pro rata "
                               "(1,560 hours make one year of full-time experience)"))
    if dates.starts and not dates.ends and not dates.current:
        flags.append(CompletenessFlag(
            "missing_end_date", f"employment starts {dates.starts[0]} but no end date and no 'to present' or "
                                "current-employment wording is given"))
    undated = [t for t, found in dates.positions.items() if not found]
    if len(dates.positions) > 1 and undated:
        flags.append(CompletenessFlag(
            "positions_without_dates", f"{len(dates.positions)} positions ({', '.join(dates.positions)}) but no "
                                       f"dates for {', '.join(undated)}; IRCC expects the dates of each position"))
    return flags


def check_completeness(parsed: ParsedLetter, positions: list[Position] | None = None) -> Completeness:
    """Check a parsed letter against IRCC's reference-letter contents (spec §5.2).

    Parameters
    ----------
    parsed : ParsedLetter
        From :func:`nocmatch.letter.parse_letter` or :meth:`nocmatch.Matcher.parse`.
    positions : list of Position, optional
        Its positions (:func:`nocmatch.letter.positions.find_positions`; found here when not given).

    Returns
    -------
    Completeness
        One item per element of :data:`ELEMENTS`, in that order, and the flags.
    """
    letter = _letter(parsed)
    if positions is None:
        positions = find_positions(parsed)
    dates = _dates(letter, positions)
    hours_item, hours, part_time = _hours(letter)
    items = [_letterhead(letter), _address(letter), _phone(letter), _email(letter), _signer_name(letter),
             _signer_title(letter), _signature_line(letter), _employee_name(letter), _employment_dates(letter, dates),
             _job_title(letter, dates), hours_item, _salary(letter, hours), _benefits(letter), _duties(letter)]
    return Completeness(items, _flags(dates, hours, part_time))
