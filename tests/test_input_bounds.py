"""Letters at and past a letter's bounds are read in bounded time and memory, or refused in one line.

Long tokens (a 1 MB "word", "a.a.a.…", "a@a@…", a line without spaces, "((((…") once made the
letter patterns backtrack for minutes; a small .docx expanding to 570,000 paragraphs took 3.5 GB.
Each such input runs in a child process under a generous guard: the guards catch catastrophic
backtracking or an unbounded parse, not a slow machine (the same inputs take about a second).
"""

from __future__ import annotations

import codecs
import io
import json
import random
import subprocess
import sys
import zipfile

import pytest
from conftest import LETTERS

from nocmatch.errors import InputError
from nocmatch.letter import parse_letter
from nocmatch.letter.readers import read_docx, read_letter, read_letter_bytes
from nocmatch.letter.segment import MAX_TOKEN_CHARS

MB = 1_000_000
#: Seconds each stage (segment, parse, completeness) of a pathological letter may take: the old
#: patterns took minutes to hours on these letters; now each stage takes about a second.
STAGE_SECONDS = 20
#: Seconds to read (or refuse) a pathological .docx, and the memory it may take.
DOCX_SECONDS = 30
DOCX_PEAK_MB = 1000


# -- long tokens --------------------------------------------------------------------------------
LONG_TOKEN_LETTERS = {
    "one 1 MB token of letters": "a" * MB,
    "a.a.a.": "a." * (MB // 2),
    "a@a@": "a@" * (MB // 2),
    "1/1/1/": "1/" * (MB // 2),
    "dashes and spaces": "- " * (MB // 2),
    "one line without spaces": ("Managed,the-team.of@12/engineers;" * (MB // 33 + 1))[:MB],
    "parentheses": "(" * MB,
    "capitals": "A" * MB,                                   # a name is searched from every capital
    "a hyphenated name": "Ab-" * (MB // 3),                 # exponential in the old name pattern
    "spaces after 'Date'": "Date" + " " * MB + "x",         # two \s* side by side in the date rule
    "spaces after an amount": "$5" + " " * MB + "x",        # and in the pay-period pattern
    "short lower-case lines": "a\n" * (MB // 2),            # a paragraph re-joined at every line
    "words broken at every line": "ab-\n" * (MB // 4),      # each line joined to the word before it
    "page numbers on every line": "Page 1 of 2\n" * (MB // 12) + "ab",  # every line a page break's footer
    "address labels": "Sincerely,\n\n" + "e " * (MB // 2) + "x",  # "e" is an e-mail label
    # spaCy splits leading punctuation off one mark at a time: 40 s before runs of marks were cut
    "tokens of 250 brackets": " ".join("(" * 250 + f"x{i}" for i in range(3_900))[:MB],
    "tokens of 250 quotes": " ".join('"' * 250 + f"x{i}" for i in range(3_900))[:MB],
    "thousands of job titles": "".join(f"He was employed as a Senior{i} Engineer.\n" for i in range(24_000)),
}

#: One child reads every shape (one import of spaCy instead of one per shape), printing a line per
#: shape; a stage stuck past the guard makes the watchdog end the child, and the shape it was on has
#: no line.
_RUN_STAGES = """
import faulthandler, json, sys, time
from nocmatch.letter.classify import parse_letter
from nocmatch.checklist.completeness import check_completeness
from nocmatch.letter.segment import segment

shapes, seconds = json.load(open(sys.argv[1], encoding="utf-8")), float(sys.argv[2])

def timed(stage, call, times):
    faulthandler.dump_traceback_later(seconds, exit=True)  # a stuck regex holds the GIL: a C watchdog
    start = time.perf_counter()
    result = call()
    faulthandler.cancel_dump_traceback_later()
    times[stage] = round(time.perf_counter() - start, 2)
    return result

for shape, text in shapes.items():
    print(json.dumps({"shape": shape}), flush=True)  # started
    times = {}
    timed("segment", lambda: segment(text), times)
    parsed = timed("parse_letter", lambda: parse_letter(text), times)
    timed("check_completeness", lambda: check_completeness(parsed), times)
    print(json.dumps({"shape": shape, "times": times}), flush=True)
"""


@pytest.fixture(scope="module")
def long_token_runs(tmp_path_factory) -> dict:
    """Per shape, the stages' seconds, or the child's last words when the shape did not finish."""
    path = tmp_path_factory.mktemp("long_tokens") / "shapes.json"
    path.write_text(json.dumps(LONG_TOKEN_LETTERS), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", _RUN_STAGES, str(path), str(STAGE_SECONDS)], capture_output=True,
                          text=True, timeout=len(LONG_TOKEN_LETTERS) * 3 * STAGE_SECONDS + 60)
    runs: dict = {}
    for line in proc.stdout.splitlines():
        record = json.loads(line)
        runs[record["shape"]] = record.get("times") or f"a stage ran over {STAGE_SECONDS} s\n{proc.stderr[-3000:]}"
    return runs


@pytest.mark.xdist_group("long_token_letters")  # one worker runs the child that reads them all
@pytest.mark.parametrize("shape", list(LONG_TOKEN_LETTERS))
def test_a_letter_of_long_tokens_is_parsed_in_bounded_time(shape, long_token_runs):
    run = long_token_runs.get(shape, "not read: an earlier shape stopped the child")
    assert isinstance(run, dict), f"{shape}: {run}"
    assert set(run) == {"segment", "parse_letter", "check_completeness"}


def test_an_overlong_token_is_cut_and_the_rest_of_the_letter_is_read_as_before():
    letter = (LETTERS / "l01_senior-swe-dept-head.txt").read_text(encoding="utf-8")
    blob = "x" * 300_000
    parsed, plain = parse_letter(f"{blob}\n\n{letter}"), parse_letter(letter)
    assert parsed.sentences[0].text == "x" * MAX_TOKEN_CHARS
    assert [(s.text, s.kind) for s in parsed.sentences[1:]] == [(s.text, s.kind) for s in plain.sentences]
    assert parsed.titles == plain.titles


# -- .docx that expand far past a letter ----------------------------------------------------------
def docx_with_body(body: bytes) -> bytes:
    """A .docx (python-docx's own template) whose document body is ``body``, raw WordprocessingML."""
    from docx import Document

    template = io.BytesIO()
    Document().save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                head, _, rest = data.partition(b"<w:body>")
                section = rest[rest.index(b"<w:sectPr"):]
                data = head + b"<w:body>" + body + section
            target.writestr(info.filename, data)
    return out.getvalue()


def _noise(count: int, seed: int = 0) -> list[str]:
    """Random revision ids: they keep the XML from compressing like a zip bomb."""
    rnd = random.Random(seed)
    return [f"{rnd.getrandbits(32):08X}" for _ in range(count)]


def _words(count: int, seed: int = 0) -> str:
    rnd = random.Random(seed)
    return " ".join("".join(rnd.choices("abcdefghijklmnopqrstuvwxyz", k=rnd.randint(2, 9))) for _ in range(count))


def _table(rows: int, columns: int, texts=None) -> bytes:
    """A table of ``rows`` × ``columns`` cells holding ``texts`` (by default "cell")."""
    texts = iter(texts or ["cell"] * rows * columns)
    cells = lambda: "".join(f"<w:tc><w:p><w:r><w:t>{next(texts)}</w:t></w:r></w:p></w:tc>"  # noqa: E731
                            for _ in range(columns))
    return ("<w:tbl>" + "".join(f"<w:tr>{cells()}</w:tr>" for _ in range(rows)) + "</w:tbl>").encode()


BOMB_DOCX = {
    # shape: (body, what the one-line refusal says)
    "600,000 empty paragraphs": (lambda: b"<w:p/>" * 600_000, "zip bomb"),
    "600,000 paragraphs that do not compress":
        (lambda: "".join(f'<w:p w:rsidR="{n}"/>' for n in _noise(600_000)).encode(), "XML tags"),
    "30,000 paragraphs of text":
        (lambda: "".join(f'<w:p w:rsidR="{n}"><w:r><w:t>Duty {n}</w:t></w:r></w:p>'
                         for n in _noise(30_000)).encode(), "more than 20,000 paragraphs and table cells"),
    "a table of 25,000 cells":
        (lambda: _table(2_500, 10, _noise(25_000)), "more than 20,000 paragraphs and table cells"),
    "1.2 MB of text": (lambda: "".join(f"<w:p><w:r><w:t>{_words(50_000, seed)}</w:t></w:r></w:p>"
                                       for seed in range(4)).encode(), "larger than 1 MB"),
    "21 MB of XML": (lambda: b"<w:p><w:r><w:t>" + random.Random(0).randbytes(10_500_000).hex().encode()
                     + b"</w:t></w:r></w:p>", "XML expands to more than 20 MB"),
}

_READ_LETTER = """
import json, resource, sys, time
from nocmatch.errors import InputError
from nocmatch.letter.readers import read_letter

start, error = time.perf_counter(), None
try:
    read_letter(sys.argv[1])
except InputError as exc:
    error = str(exc)
try:  # this process's own peak: ru_maxrss can carry the forking parent's
    peak_kb = int(next(line for line in open("/proc/self/status") if line.startswith("VmHWM:")).split()[1])
except OSError:
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"error": error, "seconds": round(time.perf_counter() - start, 2), "peak_mb": peak_kb / 1024}))
"""


@pytest.mark.parametrize("shape", list(BOMB_DOCX))
def test_a_docx_that_expands_past_a_letter_is_refused_quickly_in_little_memory(shape, tmp_path):
    body, says = BOMB_DOCX[shape]
    path = tmp_path / "letter.docx"
    path.write_bytes(docx_with_body(body()))
    proc = subprocess.run([sys.executable, "-c", _READ_LETTER, str(path)], capture_output=True, text=True,
                          timeout=DOCX_SECONDS)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    assert result["error"] and result["error"].startswith(f"{path}: ") and says in result["error"], result
    assert "\n" not in result["error"]
    assert result["peak_mb"] < DOCX_PEAK_MB, result


def test_a_docx_of_a_few_paragraphs_and_a_table_is_still_read():
    body = b"<w:p><w:r><w:t>Main duties:</w:t></w:r></w:p>" + _table(3, 2)
    assert [line for line in read_docx(docx_with_body(body), "small.docx").splitlines() if line] == \
        ["Main duties:"] + ["cell | cell"] * 3


# -- text encodings -------------------------------------------------------------------------------
ENCODINGS = {
    "UTF-16 LE with BOM": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "UTF-16 BE with BOM": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "UTF-32 LE with BOM": lambda text: codecs.BOM_UTF32_LE + text.encode("utf-32-le"),
    "UTF-32 BE with BOM": lambda text: codecs.BOM_UTF32_BE + text.encode("utf-32-be"),
    "UTF-8 with BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_a_utf16_or_utf32_letter_reads_as_the_same_text_as_utf8(encoding, tmp_path):
    letter = (LETTERS / "l01_senior-swe-dept-head.txt").read_text(encoding="utf-8") + "Café – “résumé” ✓\n"
    (tmp_path / "utf8.txt").write_bytes(letter.encode("utf-8"))
    (tmp_path / "encoded.txt").write_bytes(ENCODINGS[encoding](letter))
    expected, _ = read_letter(tmp_path / "utf8.txt")
    assert read_letter(tmp_path / "encoded.txt")[0] == expected == letter
    assert read_letter_bytes(ENCODINGS[encoding](letter), "stdin") == expected  # recognised without a suffix


def test_a_binary_file_behind_a_byte_order_mark_is_still_refused():
    with pytest.raises(InputError, match=r"^blob\.txt: this is a binary file, not a text letter$"):
        read_letter_bytes(codecs.BOM_UTF16_LE + "\x00\x01\x02\x03".encode("utf-16-le") * 500, "blob.txt")


# -- folders --------------------------------------------------------------------------------------
def test_a_folder_given_as_a_letter_is_named_a_folder(tmp_path):
    (tmp_path / "letter.txt").write_text("Dear Sir,", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_letter(tmp_path)
    assert str(caught.value) == (f"{tmp_path}: is a folder, not a letter file; "
                                 "use `nocmatch batch` for a folder of letters")
    with pytest.raises(InputError, match=r": no such file$"):
        read_letter(tmp_path / "missing.txt")


def test_a_pdf_of_more_pages_than_a_letter_is_refused_before_its_text_is_read():
    from pypdf import PdfWriter

    from nocmatch.letter.readers import MAX_PDF_PAGES, read_letter_bytes
    writer = PdfWriter()
    for _ in range(MAX_PDF_PAGES + 1):
        writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(InputError, match=f"{MAX_PDF_PAGES + 1} pages; a reference letter is a few pages"):
        read_letter_bytes(buffer.getvalue(), "long.pdf")
