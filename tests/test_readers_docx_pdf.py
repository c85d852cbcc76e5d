""".docx and .pdf letters: read in order (Word paragraphs, lists, tables, page header; every PDF
page), refused with one clear line when scanned or damaged, and matched like the same letter as text.

The fixtures are made here: Word files with python-docx, a text PDF written by hand (Helvetica,
WinAnsi encoding, one content stream per page) and an image-only PDF from matplotlib.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from conftest import LETTERS

from nocmatch.checklist.completeness import check_completeness
from nocmatch.errors import InputError
from nocmatch.letter import parse_letter
from nocmatch.letter.readers import read_docx, read_letter, read_letter_bytes
from nocmatch.letter.segment import BULLET  # noqa: E402 — every list marker the parser knows

#: home and matcher are the small test index: nothing here depends on the other unit groups
pytestmark = pytest.mark.small_index
CLI = "import sys; from nocmatch.cli import main; sys.argv[0] = 'nocmatch'; main()"


# -- fixture writers ----------------------------------------------------------------------------
def docx_from_text(text: str, *, letterhead_in_header: bool = False) -> bytes:
    """A Word letter as a person would type the text letter: each blank-line block is a paragraph
    (its lines kept as line breaks), each bullet a "List Bullet" paragraph without its marker."""
    from docx import Document

    document = Document()
    blocks = [b for b in re.split(r"\n\s*\n", text.strip("\n"))]
    if letterhead_in_header:
        header = document.sections[0].header
        header.is_linked_to_previous = False
        header.paragraphs[0].text = blocks.pop(0)
    for block in blocks:
        items: list[list[str]] = []   # [style, text]
        for line in block.splitlines():
            if BULLET.match(line):
                items.append(["List Bullet", BULLET.sub("", line).strip()])
            elif items and items[-1][0] == "List Bullet" and line.startswith(" "):
                items[-1][1] += " " + line.strip()          # a wrapped bullet continues
            elif items and items[-1][0] == "Normal":
                items[-1][1] += "\n" + line.rstrip()
            else:
                items.append(["Normal", line.rstrip()])
        for style, item in items:
            paragraph = document.add_paragraph(style=style)
            for i, line in enumerate(item.split("\n")):
                run = paragraph.add_run(line)
                if i < len(item.split("\n")) - 1:
                    run.add_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf_string(line: str) -> bytes:
    raw = line.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_from_text(text: str, lines_per_page: int = 48, width: int = 95) -> bytes:
    """A text PDF as a word processor prints the letter: lines wrapped at ``width`` characters,
    ``lines_per_page`` lines a page, Helvetica with WinAnsi encoding (so •, – and ’ survive)."""
    lines: list[str] = []
    for line in text.splitlines():
        indent = " " * (len(line) - len(line.lstrip()))
        hanging = indent + "    " if BULLET.match(line) else indent   # a list item wraps under its text
        lines.extend(textwrap.wrap(line, width, initial_indent=indent, subsequent_indent=hanging) or [""])
    pages = [lines[i:i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")          # filled in once the page ids are known
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for page_lines in pages:
        # each line at its own position, as word processors print: a wrapped list item's hanging
        # indent is an x offset, not spaces in the string
        content = b"BT /F1 10 Tf " + b" ".join(
            b"1 0 0 1 %d %d Tm " % (56 + 6 * (len(line) - len(line.lstrip())), 760 - 12 * i) + _pdf_string(line.lstrip())
            + b" Tj" for i, line in enumerate(page_lines) if line.strip()) + b" ET"
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >>"
                        b" /Contents %d 0 R >>" % (pages_id, font, stream)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                             + b"] /Count %d >>" % len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


def scanned_pdf() -> bytes:
    """A page that is only a picture (what a scanner makes): matplotlib, no text drawn."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8.5, 11))
    figure.figimage(np.random.default_rng(0).integers(0, 255, (200, 160)).astype(np.uint8), cmap="gray")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf")
    return buffer.getvalue()


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


@pytest.fixture(scope="module")
def l01() -> str:
    return (LETTERS / "l01_senior-swe-dept-head.txt").read_text(encoding="utf-8")


# -- .docx ------------------------------------------------------------------------------------
def test_docx_paragraphs_and_lists_read_in_order(l01):
    text = read_letter_bytes(docx_from_text(l01), "letter.docx")
    assert words(text) == words(l01)                             # every word, in order
    assert "• Plans, directs and evaluates the work" in text      # list paragraphs keep being list items
    parsed = parse_letter(text)
    assert [s.text for s in parsed.duties] == [s.text for s in parse_letter(l01).duties]


def test_docx_letterhead_in_the_page_header_comes_first(l01):
    text = read_letter_bytes(docx_from_text(l01, letterhead_in_header=True), "letter.docx")
    assert text.startswith("MAPLEGROVE SYSTEMS INC.")
    assert text.index("220 King Street West") < text.index("To Whom It May Concern")


def test_docx_tables_are_read_cell_by_cell_in_place():
    from docx import Document

    document = Document()
    document.add_paragraph("Positions held:")
    table = document.add_table(rows=3, cols=2)
    rows = [("Position", "Dates"), ("Software Developer", "May 2, 2016 – March 31, 2019"),
            ("Manager, Application Development", "April 1, 2019 – present")]
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    merged = document.add_table(rows=1, cols=2)
    merged.rows[0].cells[0].merge(merged.rows[0].cells[1]).text = "Duties: designs and writes the code of our apps"
    cell_with_list = document.add_table(rows=1, cols=1).rows[0].cells[0]
    cell_with_list.text = "Main duties:"
    cell_with_list.add_paragraph("Writes and tests Java code", style="List Bullet")
    document.add_paragraph("Sincerely,")
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_docx(buffer.getvalue(), "table.docx")  # the reader alone: too short for the language check
    lines = [line for line in text.splitlines() if line]
    assert lines == ["Positions held:", "Position | Dates", "Software Developer | May 2, 2016 – March 31, 2019",
                     "Manager, Application Development | April 1, 2019 – present",
                     "Duties: designs and writes the code of our apps",          # a merged cell once
                     "Main duties:", "• Writes and tests Java code", "Sincerely,"]


def test_damaged_docx_is_one_clear_error(l01):
    good = docx_from_text(l01)
    for raw in (b"PK\x03\x04" + b"\x00" * 50, good[: len(good) // 2], b"plain text renamed to docx " * 20):
        with pytest.raises(InputError, match=r"^letter\.docx: not a readable \.docx file \(") as caught:
            read_letter_bytes(raw, "letter.docx")
        assert "\n" not in str(caught.value)


# -- .pdf -------------------------------------------------------------------------------------
def test_pdf_every_page_is_read(l01):
    raw = pdf_from_text(l01, lines_per_page=20)
    from pypdf import PdfReader
    assert len(PdfReader(io.BytesIO(raw)).pages) >= 3
    text = read_letter_bytes(raw, "letter.pdf")
    assert words(text) == words(l01)
    assert "• Plans, directs and evaluates" in text and "danielle.fortin@maplegrovesystems.example.com" in text


@pytest.mark.parametrize("letter", ["l01_senior-swe-dept-head.txt", "l06_software-architect-prose.txt",
                                    "l11_web-designer-wrapped.txt", "l20_network-administrator.txt"])
@pytest.mark.parametrize("make", [pdf_from_text, docx_from_text], ids=["pdf", "docx"])
def test_wrapped_lines_and_paragraphs_give_the_same_letter(letter, make):
    """The page wraps lines and a PDF has no blank lines between paragraphs, only space: the
    duties, the titles and the checklist (the signature block stays apart from the text) are those
    of the text letter."""
    text = (LETTERS / letter).read_text(encoding="utf-8")
    read = read_letter_bytes(make(text), "letter" + (".pdf" if make is pdf_from_text else ".docx"))
    parsed, expected = parse_letter(read), parse_letter(text)
    assert [s.text for s in parsed.duties] == [s.text for s in expected.duties]
    assert parsed.titles == expected.titles
    assert check_completeness(parsed).to_dict() == check_completeness(expected).to_dict()


def test_scanned_pdf_is_refused_with_one_line():
    raw = scanned_pdf()
    assert raw.startswith(b"%PDF")
    with pytest.raises(InputError) as caught:
        read_letter_bytes(raw, "scan.pdf")
    message = str(caught.value)
    assert "appears to be a scanned PDF without text" in message and "OCR is out of scope" in message
    assert "\n" not in message


@pytest.mark.parametrize("raw", [b"%PDF-1.4\nnot really a pdf\n%%EOF", b"%PDF-1.7\n" + bytes(range(256)) * 8, b""])
def test_damaged_pdf_is_one_clear_error(raw):
    with pytest.raises(InputError, match=r"^bad\.pdf: (?:not a readable PDF|appears to be a scanned PDF)") as caught:
        read_letter_bytes(raw, "bad.pdf")
    assert "\n" not in str(caught.value)


# -- bytes without a name, sizes --------------------------------------------------------------
def test_stdin_and_nameless_uploads_are_recognised_by_their_bytes(l01):
    for raw in (docx_from_text(l01), pdf_from_text(l01)):
        assert words(read_letter_bytes(raw, "stdin")) == words(l01)


def test_a_docx_with_a_large_logo_is_not_refused_for_its_size(l01, tmp_path):
    import matplotlib
    from docx import Document
    from docx.shared import Inches
    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    logo = io.BytesIO()
    figure = Figure(figsize=(12, 12), dpi=110)
    figure.figimage(np.random.default_rng(1).integers(0, 255, (1300, 1300, 3)).astype(np.uint8))
    figure.savefig(logo, format="png")
    document = Document(io.BytesIO(docx_from_text(l01)))
    document.sections[0].header.paragraphs[0].add_run().add_picture(io.BytesIO(logo.getvalue()), width=Inches(1))
    path = tmp_path / "with_logo.docx"
    document.save(path)
    assert path.stat().st_size > 1_000_000
    text, name = read_letter(path)
    assert name == str(path) and "Arjun Mehta" in text


# -- matching and the command line --------------------------------------------------------------
@pytest.mark.parametrize("letter", ["l01_senior-swe-dept-head.txt", "l06_software-architect-prose.txt",
                                    "l11_web-designer-wrapped.txt"])
def test_docx_and_pdf_match_like_the_text_letter(matcher, tmp_path, letter):
    text = (LETTERS / letter).read_text(encoding="utf-8")
    expected = matcher.match(text)
    for suffix, raw in ((".docx", docx_from_text(text)), (".pdf", pdf_from_text(text))):
        path = tmp_path / f"letter{suffix}"
        path.write_bytes(raw)
        read, name = read_letter(path)
        result = matcher.match(read, name=name)
        assert result.best_code == expected.best_code, suffix
        assert result.letter.title == expected.letter.title
        assert result.completeness.missing == expected.completeness.missing


def run(args, home):
    env = dict(os.environ, NOCMATCH_HOME=str(home), COLUMNS="200")
    return subprocess.run([sys.executable, "-c", CLI, *args], capture_output=True, env=env, timeout=300)


def test_cli_match_check_and_batch_accept_docx_and_pdf(home, tmp_path, l01):
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "a.docx").write_bytes(docx_from_text(l01))
    (folder / "b.pdf").write_bytes(pdf_from_text(l01))
    (folder / "c.txt").write_text(l01, encoding="utf-8")
    (folder / "scan.pdf").write_bytes(scanned_pdf())

    proc = run(["match", str(folder / "a.docx"), "--json"], home)
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout)["best_code"] == "20012"

    proc = run(["check", str(folder / "b.pdf")], home)
    assert proc.returncode == 0 and "Arjun Mehta" in proc.stdout.decode()

    proc = run(["match", str(folder / "scan.pdf")], home)
    lines = proc.stderr.decode().strip().splitlines()
    assert proc.returncode != 0 and len(lines) == 1 and "scanned PDF" in lines[0]

    out = tmp_path / "rows.jsonl"
    proc = run(["batch", str(folder), "--out", str(out)], home)
    rows = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert proc.returncode == 1   # the scan is an error row
    assert {rows[i]["best_code"] for i in ("a.docx", "b.pdf", "c.txt")} == {"20012"}
    assert "scanned PDF" in rows["scan.pdf"]["error"]
    assert rows["a.docx"]["missing_elements"] == "" and "missing_elements" in rows["scan.pdf"]
