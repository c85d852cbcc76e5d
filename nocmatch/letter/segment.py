"""Split a letter into sentence-sized units.

Four shapes of duty text are handled: bulleted lists of every kind (•, -, *, o, 1., 2), a), (iv)),
prose paragraphs (spaCy's rule-based sentencizer on a blank English pipeline — no pretrained
model is needed or downloaded), long sentences that chain duties with ';', and run-on sentences
that splice them with commas ("..., she made the prototypes, she was preparing the images, ...").

Every pattern here runs in time linear in the letter: none has two adjacent quantifiers that can
take the same characters, and a word longer than :data:`MAX_TOKEN_CHARS` is cut before any of them
(or spaCy) reads it — a letter of one 1 MB "word" is garbage, not a reason to hang.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from nocmatch.letter.dates import FOREIGN_MONTH_NUMBERS, MONTH_NUMBERS
from nocmatch.letter.duty_like import is_duty_like
from nocmatch.letter.nlp import component, run
from nocmatch.letter.pages import join_lines, reading_order

BULLET = re.compile(
    r"^\s*(?:[•◦▪▫●○■□‣⁃∙·➢➤►▸✓✔❖\-\*–—>+]"          # symbol bullets
    # Word's Symbol and Wingdings bullets pasted as private-use characters (U+F0B7 …), and what a phone or
    # a wrong encoding makes of a bullet: "?" or U+FFFD at the start of the line
    r"|[\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8\uf0e0\uf06e\ufffd?]"
    r"|\(?\d{1,2}[.)](?!\d)"                            # 1.  2)  (3)
    r"|\d{1,2}(?= {2,}[A-Za-z])"                        # a table's row number: "1    Develop gameplay features"
    r"|\(?[a-z][.)]"                                    # a)  b.  (c)
    r"|\(?[A-Z]\)"                                      # A)
    r"|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)[.)]"   # roman numerals
    r"|o(?=\s+[A-Z]))"                                   # Word's second-level bullet pasted as text
    r"\s+(?=\S)")
#: A line at least this long that does not end a sentence continues on the next line (wrapped prose).
WRAP_MIN_CHARS = 50
#: Parts of a ';'-chained sentence are split only when each has at least this many words.
MIN_CLAUSE_WORDS = 3
#: A sentence at least this long that splices clauses with commas ("..., she made the prototypes, she
#: was preparing the images, ...") is split into them; shorter sentences are left to the clause units.
RUN_ON_MIN_WORDS = 40
#: Punctuation that a sentence cut only at its runs of spaces has none of; a run of two or more spaces.
SENTENCE_PUNCTUATION = re.compile(r"[.,;:!?]")
SPACE_GAP = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
#: A comma splice: a comma, then a subject pronoun, after at most three linking words ("..., and she
#: coordinated", "..., in this period she has done"); "..., embedding models he evaluated" is no new clause.
SPLICE_SUBJECTS = frozenset({"she", "he", "they"})
SPLICE_LEAD = frozenset("and but so then also later where when while in at on during after since this that the "
                        "same time period addition meantime being".split())
SPLICE_MAX_LEAD = 3
#: A possessive subject opens a clause too when a verb follows within a few words ("..., his main work is
#: developing the app", "..., his salary is 45,000,000 VND"); "..., his team's code" does not.
SPLICE_POSSESSIVES = frozenset({"his", "her", "their"})
SPLICE_VERBS = frozenset("is are was were includes include included consists consisted involves involved".split())
SPLICE_SUBJECT_WORDS = 4
#: "... and this certificate is given to him upon his request": the document's own statement opens a clause.
SPLICE_DOCUMENTS = frozenset({"certificate", "letter"})
#: A run-on sentence also splices clauses with "and" and no comma ("... 48 hours weekly and his monthly
#: salary is EGP 95,000 and he is responsible on our software department ..."): where a clause opens.
AND_SPLICE = re.compile(r"(?<=\S)\s+(?=and\s)")
#: The greeting of a letter to no one in particular, as letters from Canada and from India write it.
TO_WHOM = r"to:? whom(?:soever)? it may concern"  # also a form's "To: Whom it may concern"
#: The words that close a letter before its signature.
CLOSING_PHRASES = (r"sincerely|regards|best regards|kind regards|warm regards|thanks and regards"
                   r"|yours (?:truly|sincerely|faithfully)|respectfully|cordially|best wishes")
#: A greeting or a closing written on the line of the text after it ("Dear Sir/Madam, this letter is to
#: confirm ...", "Best regards, Nguyen Thi Lan, HR Manager"): the text after it is a sentence of its own.
LEADING_SALUTATION = re.compile(rf"^(?:dear\s[^,:;.]{{1,40}}|{TO_WHOM}|{CLOSING_PHRASES})\s*[,:]\s+", re.I)
#: The longest run of non-space characters kept whole: an e-mail address has at most 254 characters
#: and no word or web address of a letter is longer. A longer run is cut to this length, because
#: spaCy's tokenizer splits the punctuation off a token in time quadratic in the token's length.
MAX_TOKEN_CHARS = 254
OVERLONG_TOKEN = re.compile(rf"(?<!\S)(\S{{{MAX_TOKEN_CHARS}}})\S+")  # from a token's start only: linear
#: spaCy's tokenizer splits leading and trailing punctuation off a token one character at a time,
#: each split copying the rest: a token of 250 brackets costs ~10 ms, a 1 MB letter of them 40 s.
#: No letter needs more than this many punctuation marks in a row (rules and dot leaders included).
MAX_PUNCTUATION_RUN = 32
PUNCTUATION_RUN = re.compile(rf"([^\w\s]{{{MAX_PUNCTUATION_RUN}}})[^\w\s]+")
# a line of rule characters ("-----+-----"), after any leading whitespace; the leading whitespace
# may only end in a non-space character, so that spaces are not shared by two quantifiers
TABLE_RULE = re.compile(r"^(?:\s*[^\S ])?[-+=|_ ]{3,}$")
#: How close to the text's widest line a list item's line must run to be read as wrapped (bullet and space included).
ITEM_WRAP_MARGIN = 14
#: A line that opens an item of its own: a section's number ("2.3 Test execution") or a field ("Stack: Swift, ...").
NEW_ITEM = re.compile(r"\d|[^\W\d_][\w/&-]*(?: [\w/&-]+){0,2}:\s")
#: A table's last column of shares of time, after a gap ("...; write unit tests          20", "... designs\t15%").
SHARE_COLUMN = re.compile(r"(?<=\S) {2,}(\d{1,3}(?:[.,]\d{1,2})? ?%?)$")
#: A table's total row ("TOTAL      100", "Total: 100%").
TOTAL_LINE = re.compile(r"(?:total|sum)\b", re.I)
#: The fewest duties a paragraph of wrapped lines must open to be read as a list that lost its bullets.
MIN_WRAPPED_ITEMS = 3
#: How close to its column's width a cell's line must run to be read as wrapped.
CELL_WRAP_MARGIN = 12
#: A column's bar: at a line's end, or between spaces, so that an empty cell ("|     |") is a cell too; the spaces
#: around it stay with the cells (stripped after), so the cells' widths can be measured (:func:`_cell_widths`).
TABLE_CELL_SEPARATOR = re.compile(r"^\s*\||\|\s*$|(?<!\S)\|(?!\S)")
ABBREVIATION_END = re.compile(r"\b(?:approx|e\.g|i\.e|etc|incl|vs|inc|ltd|corp|co|mr|ms|mrs|dr|st|no|dept|min|max|sr|jr"
                              r"|est|eng|engr|pvt|tel|ul|vul|str|av|emp"
                              # titles foreign offices put before a name ("Lic. Fernanda Ibarra", "Ing. Davide
                              # Rinaldi", "Cr. Martín Galarza") and the Italian legal form "S.p.A."
                              r"|lic|ing|arq|dra|sra|srta|cr|mgr|bc|dipl|dott|prof|s\.p"
                              # "Mohd. Imran", "MA. THERESA" (Maria), and a legal form in brackets: "(Pvt.) Limited"
                              r"|mohd|md|ma)\.\)?$", re.I)
#: A German date's day ("München, 18. März 2024"): its full stop ends no sentence before the month's name.
DAY_DOT_END = re.compile(r"(?:^|[\s,])\d{1,2}\.$")
MONTHS = frozenset(MONTH_NUMBERS) | frozenset(FOREIGN_MONTH_NUMBERS)
#: The label cell of a template table's "field | value" row: a few words, no digits, no sentence end.
FIELD_LABEL = re.compile(r"[^\W\d_][^\d.!?]*$")
FIELD_LABEL_WORDS = 4
FIELD_LABEL_CHARS = 40
#: A form's field laid out in columns: a short label, its colon and a gap ("Address:        77 Industrial
#: Pkwy N, Aurora ON"). Such a line starts a unit: it never continues the field above, though that
#: field's value ends without a full stop as a wrapped line does.
ALIGNED_FIELD = re.compile(r"[^\W\d_][\w/&().'-]*(?: [\w/&().'-]+){0,3}:\s{2,}\S")
DUTY_HEAD = re.compile(r"\b(?:dut(?:y|ies)|responsibilit\w*|tasks?|role)\b", re.I)
#: A forwarded e-mail's quote marks at a line's start ("> ", "> > ").
QUOTE_MARKS = re.compile(r"^(?:[ \t]{0,3}>)+ ?")
#: Markdown's strong emphasis around a few words ("**Job title:**"; not a masked "******").
MARKDOWN_STRONG = re.compile(r"(?<![*\w])(?:\*\*|__)(?=[^\s*_])([^\n]{1,80}?)(?<=[^\s*_])(?:\*\*|__)(?![*\w])")
#: A Markdown heading's marks ("## Duties").
MARKDOWN_HEADING = re.compile(r"^#{1,6} +(?=\S)")
#: Longest line of a list of lines; prose is usually wrapped wider.
LIST_LINE_MAX_CHARS = 72
FIRST_WORD = re.compile(r"[A-Z][a-z]{1,29}\b")
#: A line ending like this continues on the next one ("... and", "... of the", "... such as,").
CONTINUED = re.compile(r"(?:[,;(/&-]|\b(?:and|or|of|the|a|an|to|in|for|with|on|by|as|from|including|such as))$", re.I)
INLINE_HEADING = re.compile(r"^(?P<head>[A-Z][\w ,&/'-]{2,60}):\s+(?P<rest>\S.{20,})$")


@dataclass(frozen=True)
class Unit:
    """A sentence-sized piece of the letter, with where it came from."""

    text: str
    line: int         #: 1-based line of the letter where it starts
    block: int        #: paragraph / list index
    bulleted: bool    #: came from a list item


def sentencizer():
    """spaCy's rule-based sentencizer, a component of the shared blank English pipeline."""
    return component("sentencizer", "sentencizer")


def _lines(text: str) -> list[str]:
    """The letter's lines, with tabs and no-break spaces made spaces, overlong tokens and runs of
    punctuation cut, and what e-mail and Markdown add to a line read off (:func:`_plain_line`)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\t", "    ")
    return [_plain_line(line) for line in PUNCTUATION_RUN.sub(r"\1", OVERLONG_TOKEN.sub(r"\1", text)).split("\n")]


def _plain_line(line: str) -> str:
    """A line without the quote marks of a forwarded e-mail ("> > - Wrote test plans") and without Markdown's
    emphasis ("**Job title:** UI/UX Developer") or heading marks ("# Employment letter"); "## Duties" is "Duties:"."""
    quoted = QUOTE_MARKS.match(line)
    if quoted:
        line = line[quoted.end():]
    if "**" in line or "__" in line:
        line = MARKDOWN_STRONG.sub(r"\1", line)
    heading = MARKDOWN_HEADING.match(line)
    if heading:
        line = line[heading.end():].rstrip()
        if DUTY_HEAD.search(line) and not line.endswith(":"):
            line += ":"  # "## Duties" opens the list of duties as "Duties:" does
    return line


@dataclass
class _Block:
    """A list item or paragraph, collected line by line and joined once at the end: re-joining
    it at every line is quadratic in a paragraph of many lines."""

    line: int
    bulleted: bool
    indent: str = ""  #: the bullet line's indentation: a deeper-indented line continues the item
    parts: list[str] = field(default_factory=list)  #: its lines (stripped, never empty)
    length: int = 0   #: the length of the joined text
    width: int | None = None  #: a table cell's column width (its characters between the bars)
    cell: bool = False  #: a table's cell: its lines may be a list ("| Duties | Modifies ... |" then "|  | Writes ... |")

    @classmethod
    def of(cls, line: int, text: str, bulleted: bool, indent: str = "") -> _Block:
        block = cls(line, bulleted, indent)
        block.add(text)
        return block

    def add(self, text: str) -> None:
        self.length += len(text) + bool(self.parts)
        self.parts.append(text)

    @property
    def text(self) -> str:
        return join_lines(self.parts)


def blocks(text: str) -> list[tuple[int, str, bool]]:
    """Group lines into list items and paragraphs: ``(first_line, text, bulleted)``; a table row's cells
    are items, a cell wrapped over several lines one item (:func:`_continues`)."""
    out: list[_Block] = []
    current: _Block | None = None
    row: list[_Block | None] | None = None  # the table row just read, its cells by column (None: empty)
    in_table = False  # the line before was a table's row or rule ("a | b" alone may be a letterhead's line)
    lines = _lines(text)
    width = max((len(line.rstrip()) for line in lines), default=0)  # a PDF's text is wrapped at about this
    for number, raw in reading_order(lines):
        line = raw.rstrip()
        if not line.strip() or TABLE_RULE.match(line):
            current = row = None
            in_table = bool(line.strip())
            continue
        bordered, in_table = in_table or line.lstrip().startswith("|"), False
        if TABLE_CELL_SEPARATOR.search(line):
            in_table = True
            # a table row (or "phone | email" line): every cell is its own unit
            current = None
            cells = [cell.strip() for cell in TABLE_CELL_SEPARATOR.split(line)]
            if row is not None and _continues(cells, row):
                for block, cell in zip(row, cells):
                    if cell and block is not None:
                        block.add(cell)
                continue
            field = _field_row(cells) if bordered else None
            if field is not None:  # "| Position | Business Systems Analyst |" is the line "Position: Business ..."
                label, value = field
                joined = _Block.of(number, f"{cells[label]}:", False)
                joined.add(cells[value])
                row = [joined if i in (label, value) else None for i in range(len(cells))]
                out.append(joined)
                continue
            row = [_Block.of(number, cell, True) if cell else None for cell in cells]
            for block, cell_width in zip(row, _cell_widths(line)):
                if block is not None:
                    block.width, block.cell = cell_width, True
            out.extend(block for block in row if block is not None)
            continue
        row = None
        line, share = _without_share(line)
        match = BULLET.match(line)
        if share is not None:  # a row of a table without bars ("1    Develop gameplay features ...    35"): an item,
            # its share a unit of its own after it; the row's wrapped lines (indented) go on the item
            item = line[match.end():] if match else line
            current = _Block.of(number, item.strip(), True, raw[: len(raw) - len(raw.lstrip())])
            out += [current, _Block.of(number, share, False)]
            continue
        if match:
            current = _Block.of(number, line[match.end():].strip(), True, raw[: len(raw) - len(raw.lstrip())])
            out.append(current)
            continue
        stripped = line.strip()
        if TOTAL_LINE.match(stripped) and current is not None and current.bulleted:
            out.append(_Block.of(number, stripped, False))  # a table's "TOTAL   100": not part of its last row
            current = None
            continue
        if current is not None and ALIGNED_FIELD.match(stripped):
            current = None
        if current is not None:
            last = current.parts[-1]
            indented = current.bulleted and raw.startswith(" ") and len(raw) - len(raw.lstrip()) > len(current.indent)
            wrapped = (current.length >= WRAP_MIN_CHARS or current.bulleted) and not last.endswith((".", ":", "!", "?"))
            if stripped[0].islower() or indented or (wrapped and not current.bulleted) or (
                    current.bulleted and wrapped and _item_goes_on(last, stripped, width)):
                current.add(stripped)
                continue
            if not current.bulleted and current.length >= WRAP_MIN_CHARS and not last.endswith(":"):
                current.add(stripped)
                continue
        current = _Block.of(number, stripped, False)
        out.append(current)
    return [(b.line, b.text, b.bulleted) for block in out for b in _as_line_list(block)]


def _without_share(line: str) -> tuple[str, str | None]:
    """A duty's line without the share of time a table without bars gives it in a last column ("Write, test and
    fix code for new game modules; write unit tests          20"), and that share (None when there is none)."""
    found = SHARE_COLUMN.search(line)
    if found is None:
        return line, None
    before = line[:found.start()]
    item = BULLET.match(before)
    if not _opens_with_a_duty_verb(before[item.end():] if item else before.strip()):
        return line, None  # "Total hours of work per week      40": a field, not a duty's row
    return before, found.group(1)


def _item_goes_on(last: str, line: str, width: int) -> bool:
    """Whether an unbulleted line carries on a list item whose ``last`` line ends mid-sentence: it opens in
    lower case or with a bracket, or the item's line stopped at a word that needs more ("... fix defects
    reported by" / "QA and by customers."), or ran to the text's wrapping ``width`` (a PDF's text: "... reports
    (Firebase Crashlytics, Android" / "Vitals) and recommend ...") and the line opens with no verb of work."""
    if NEW_ITEM.match(line):
        return False  # "2.3 Identifying ...", "Tools: Python, PySpark, SQL"
    return (line[0].islower() or line[0] in "([" or CONTINUED.search(last) is not None
            or len(last) >= width - ITEM_WRAP_MARGIN and not _opens_with_a_duty_verb(line))


def _field_row(cells: list[str]) -> tuple[int, int] | None:
    """The columns of a template table's "field | value" row: two filled cells, the first a short label
    (at most :data:`FIELD_LABEL_WORDS` words, no digit, no sentence end) that does not head the duties,
    the second not opening with a verb of work (a duties table's "Area | Duty" row keeps its duty as it
    is); None for any other row."""
    filled = [i for i, cell in enumerate(cells) if cell]
    if len(filled) != 2:
        return None
    label, value = cells[filled[0]], cells[filled[1]]
    if (len(label.split()) > FIELD_LABEL_WORDS or len(label) > FIELD_LABEL_CHARS or not FIELD_LABEL.match(label)
            or DUTY_HEAD.search(label) or _opens_with_a_duty_verb(value)):
        return None
    return filled[0], filled[1]


def _continues(cells: list[str], row: list[_Block | None]) -> bool:
    """Whether a table line carries on the cells of the row above, wrapped: the same columns, text only under
    filled cells, and either the row's first filled column empty here ("| 1 | Monitor firewall ... for
    attacks, | 30% |" then "|   | intrusions and unusual activity |  |"), or some filled column empty here and
    the text going on mid-phrase ("| Monitor SIEM alerts ... for cyber | 30% |" then "| attacks, intrusions ... |
    |": a lower-case start, or a cell above that ended without a stop and filled its column)."""
    if len(cells) != len(row) or not any(cells) or any(block is None for block, cell in zip(row, cells) if cell):
        return False
    first = next((i for i, block in enumerate(row) if block is not None), None)
    if first is None:
        return False
    if not cells[first]:
        return True
    if all(cell for block, cell in zip(row, cells) if block is not None):
        return False  # every column filled again: a new row
    return all(cell[0].islower() or cell[0] in "([" or _wrapped_cell(block) for block, cell in zip(row, cells) if cell)


def _cell_widths(line: str) -> list[int]:
    """The width of each cell of a table line, bar to bar (one per cell of ``TABLE_CELL_SEPARATOR.split``)."""
    bars = [found.start() + found.group().index("|") for found in TABLE_CELL_SEPARATOR.finditer(line)]
    edges = [-1, *bars, len(line)]
    return [end - start - 1 for start, end in zip(edges, edges[1:])]


def _wrapped_cell(block: _Block | None) -> bool:
    """Whether a cell's last line stops mid-phrase at its column's width (:data:`CELL_WRAP_MARGIN`)."""
    if block is None or block.width is None:
        return False
    last = block.parts[-1]
    return not last.endswith((".", ";", ":", "!", "?")) and (
        len(last) >= block.width - CELL_WRAP_MARGIN or CONTINUED.search(last) is not None)


def _opens_with_a_duty_verb(line: str) -> bool:
    """Whether ``line`` starts like a listed duty: a capitalised verb of work ("Design", "Develops")."""
    first = FIRST_WORD.match(line)
    return first is not None and is_duty_like(first.group())


def _as_line_list(block: _Block) -> list[_Block]:
    """A paragraph that is really a list of lines, as one block per line; any other block as it is.

    Duties pasted without bullets or full stops ("Collect and document users' requirements ...",
    "Windows Server / Active Directory admin") and template fields ("Start date: 2019-03-18") would
    otherwise run together as wrapped prose. A paragraph is a list when no line ends mid-phrase and
    either every line opens with a verb of work, or its three or more lines are short, all start
    with a capital or a digit and all end alike (with or without a full stop). Wrapped prose starts
    most lines in lower case, runs to the wrapping width, and ends some lines mid-sentence and
    others at a full stop.
    """
    parts = block.parts
    if block.bulleted and not block.cell or len(parts) < 2:
        return [block]
    if any(CONTINUED.search(part) for part in parts[:-1]):
        return _wrapped_items(block)
    short_capitals = (len(parts) >= 3 and all(part[0].isupper() or part[0].isdigit() for part in parts)
                      and all(len(part) <= LIST_LINE_MAX_CHARS for part in parts[:-1])
                      and len({part.endswith((".", "!", "?")) for part in parts[:-1]}) == 1)
    if short_capitals or all(_opens_with_a_duty_verb(part) for part in parts) or _broken_by_hand(parts):
        return [_Block.of(block.line + i, part, True) for i, part in enumerate(parts)]
    return _wrapped_items(block)


def _wrapped_items(block: _Block) -> list[_Block]:
    """A paragraph of duties whose bullets a PDF lost, each wrapped over lines ("Administer the Oracle 19c ...
    capacity planning" / "Design logical and physical data models for the warehouse management and" / "pharmacy
    dispensing projects"), as one item per duty: :data:`MIN_WRAPPED_ITEMS` or more lines, the first among them,
    open with a verb of work after a line that ends mid-list, and no line ends a sentence; else the block."""
    parts = block.parts
    if any(part.endswith((".", "!", "?")) for part in parts[:-1]) or not _opens_with_a_duty_verb(parts[0]):
        return [block]
    starts = [0] + [i for i in range(1, len(parts)) if _opens_with_a_duty_verb(parts[i])
                    and not CONTINUED.search(parts[i - 1])]
    if len(starts) < MIN_WRAPPED_ITEMS:
        return [block]
    items = []
    for start, end in zip(starts, [*starts[1:], len(parts)]):
        item = _Block.of(block.line + start, parts[start], True)
        for part in parts[start + 1:end]:
            item.add(part)
        items.append(item)
    return items


def _broken_by_hand(parts: list[str]) -> bool:
    """Whether three or more lines without full stops, none opening in lower case, were broken by the writer
    rather than wrapped at a width: at least half of the breaks leave room on the line for the next line's
    first word (measured against the block's longest line). Wrapped prose breaks a line only when the next
    word does not fit; a pasted list of duties of any lengths ("Phone/Teams/remote support (ConnectWise) for
    end users at ~30 client offices", "~25 tickets/day in ConnectWise Manage") breaks wherever an item ends."""
    if len(parts) < 3 or any(part[0].islower() or part.endswith(".") for part in parts):
        return False
    width = max(len(part) for part in parts)
    roomy = sum(len(line) + 1 + len(after.split()[0]) <= width for line, after in zip(parts, parts[1:]))
    return 2 * roomy >= len(parts) - 1


def _sentences(doc) -> list[str]:
    """The sentences spaCy's sentencizer found, re-joined where it split after an abbreviation
    ("approx. $2M") or before a lower-case word."""
    merged: list[list[int]] = []  # [start, end] of each sentence in the text: a merge keeps the text's own spacing
    last = ""  # the last piece merged
    for span in doc.sents:
        sent = span.text.strip()
        if not sent:
            continue
        # an abbreviation has no space: it ends the last piece if it ends the merged sentence
        if merged and (ABBREVIATION_END.search(last) or not sent[:1].isupper() and sent[:1] not in "\"'(•"
                       or DAY_DOT_END.search(last) and _opening_word(sent) in MONTHS):
            merged[-1][1] = span.end_char
        else:
            merged.append([span.start_char, span.end_char])
        last = sent
    return [doc.text[start:end].strip() for start, end in merged]


def _split_semicolons(sentence: str) -> list[str]:
    parts = [p.strip(" ;") for p in sentence.split(";")]
    if len(parts) > 1 and all(len(p.split()) >= MIN_CLAUSE_WORDS for p in parts):
        return [p for p in parts if p]
    return [sentence]


def _opens_clause(piece: str) -> bool:
    """Whether the text after a comma opens a clause of its own: linking words, then he / she / they, or
    his / her / their and a verb within a few words ("his main work is ...")."""
    words = piece.lower().split()
    k = 0
    while k < min(len(words), SPLICE_MAX_LEAD + 3):
        word = words[k]
        if word in SPLICE_SUBJECTS:
            return True
        if word in SPLICE_POSSESSIVES:
            if any(w in SPLICE_VERBS for w in words[k + 1:k + 1 + SPLICE_SUBJECT_WORDS]):
                return True
            k += 2  # "during his work he showed ...": a possessive and its noun lead to the subject
            continue
        if word in ("this", "the") and words[k + 1:k + 2] and words[k + 1].strip(".,") in SPLICE_DOCUMENTS:
            return len(words) > k + 2 and words[k + 2] in SPLICE_VERBS
        if word not in SPLICE_LEAD or k > SPLICE_MAX_LEAD:
            return False
        k += 1
    return False


def _split_salutation(sentence: str) -> list[str]:
    """A greeting or closing and the text written after it on its line, as two sentences."""
    lead = LEADING_SALUTATION.match(sentence)
    if lead and len(sentence[lead.end():].split()) >= MIN_CLAUSE_WORDS:
        return [sentence[:lead.end()].strip(), sentence[lead.end():].strip()]
    return [sentence]


def _split_comma_splices(sentence: str) -> list[str]:
    """A run-on sentence as its comma-spliced clauses; any other sentence as it is.

    Foreign employers often write the whole employment in one sentence: "We declare that Mrs. X worked
    ... with a salary of ..., in this period she has done the UI design of websites ..., she made the
    prototypes ..., she coordinated the junior designers". Its clauses are sentences of different
    kinds (employment, duties); left whole, the salary decides the kind of all of it. A piece after a
    comma starts a new clause when it opens with a subject pronoun, after at most
    :data:`SPLICE_MAX_LEAD` linking words; the others (lists, participles: "..., creating the layouts
    in Figma") stay with the clause before.
    """
    words = sentence.split()
    if len(words) < RUN_ON_MIN_WORDS:
        return [sentence]
    clauses: list[str] = []
    for comma, piece in enumerate(sentence.split(",")):
        for spliced, part in enumerate(AND_SPLICE.split(piece)):
            joiner = " " if spliced else ","
            if clauses and (not _opens_clause(part) or not (comma or spliced)):
                clauses[-1] += joiner + part
            else:
                clauses.append(part)
    parts = [c.strip() for c in clauses]
    if len(parts) > 1 and all(len(p.split()) >= MIN_CLAUSE_WORDS for p in parts):
        return parts
    return [sentence]


def _split_space_gaps(sentence: str) -> list[str]:
    """A long sentence without any punctuation cut at its runs of spaces, where a letter typed on a phone
    ends its sentences ("… in swift and swiftui  he takes the screens …  writes the unit tests …"); a
    piece under :data:`MIN_CLAUSE_WORDS` words stays with the one before."""
    if len(sentence.split()) < RUN_ON_MIN_WORDS or SENTENCE_PUNCTUATION.search(sentence):
        return [sentence]
    parts: list[str] = []
    for piece in SPACE_GAP.split(sentence.strip()):
        if parts and len(piece.split()) < MIN_CLAUSE_WORDS:
            parts[-1] += " " + piece
        else:
            parts.append(piece)
    return parts


def segment(text: str) -> list[Unit]:
    """The letter as an ordered list of sentence units."""
    pieces = []  # (first line, block index, bulleted, inline duty heading or None, text to split)
    for index, (line, block, bulleted) in enumerate(blocks(text)):
        heading = INLINE_HEADING.match(block)
        if heading and len(heading.group("head").split()) <= 5 and DUTY_HEAD.search(heading.group("head")):
            pieces.append((line, index, bulleted, heading.group("head") + ":", heading.group("rest")))
        else:
            pieces.append((line, index, bulleted, None, block))
    units: list[Unit] = []
    # the blocks that may hold several sentences through the sentencizer, in one pass; a block with no
    # sentence-ending mark before its end (most bullets) is one sentence as it is
    ends = sentence_end()
    several = [ends.search(p[-1].rstrip().rstrip(ends.chars)) is not None for p in pieces]
    docs = iter(run(sentencizer(), [p[-1] for p, split in zip(pieces, several) if split]))
    for (line, index, bulleted, head, text), split in zip(pieces, several):
        if head:
            units.append(Unit(head, line, index, bulleted))
        sentences = _sentences(next(docs)) if split else [text.strip()]
        for sent in sentences:
            for clause in (g for greeted in _split_salutation(sent) for part in _split_semicolons(greeted)
                           for c in _split_comma_splices(part) for g in _split_space_gaps(c)):
                if clause:
                    units.append(Unit(clause, line, index, bulleted))
    return units


class _SentenceEnd:
    """The sentencizer's sentence-ending characters, as a pattern and as a string (for ``rstrip``)."""

    def __init__(self, chars: str):
        self.chars = chars
        self.search = re.compile("[" + re.escape(chars) + "]").search


@lru_cache(maxsize=1)
def sentence_end() -> _SentenceEnd:
    """The characters after which spaCy's sentencizer may start a sentence (its ``punct_chars``)."""
    return _SentenceEnd("".join(sorted(sentencizer().punct_chars)))


def _opening_word(text: str) -> str:
    """The first word of a text, lower case, without the punctuation around it."""
    return text.split(maxsplit=1)[0].strip(".,;:()").lower() if text.strip() else ""
