"""Read a letter from a file, stdin or uploaded bytes into checked text.

Readers are looked up by file suffix (:func:`register_reader`): plain text, Word ``.docx``
(python-docx: paragraphs and table cells in document order, with the page header first and the
footer last, where letterheads live) and ``.pdf`` (pypdf: the text of every page). Bytes with no
known suffix (stdin, an upload without extension) are recognised by their first bytes.
:func:`read_letter_bytes` is the one entry point for bytes; :func:`read_letter` adds files and stdin.
"""

from __future__ import annotations

import codecs
import io
import logging
import os
import re
import stat
import sys
import zipfile
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

from nocmatch.errors import InputError

MAX_LETTER_BYTES = 1_000_000
#: A .docx or .pdf may embed a logo or a scanned signature; its text is still held to MAX_LETTER_BYTES.
MAX_DOCUMENT_BYTES = 20_000_000
#: Pages of a PDF read at the most (pypdf itself caps what one compressed stream may expand to).
MAX_PDF_PAGES = 50

Reader = Callable[[bytes, str], str]


class _Registered(NamedTuple):
    reader: Reader
    max_bytes: int


_READERS: dict[str, _Registered] = {}


def register_reader(suffixes: tuple[str, ...], reader: Reader, max_bytes: int = MAX_LETTER_BYTES) -> None:
    """Make ``reader(raw_bytes, name) -> text`` handle files ending in any of ``suffixes``
    (files larger than ``max_bytes`` are refused before they are read)."""
    for suffix in suffixes:
        _READERS[suffix.lower()] = _Registered(reader, max_bytes)


#: Byte-order marks and their encodings; UTF-32 first, as its little-endian mark begins with UTF-16's.
BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
                    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
#: How much of a file is looked at to tell text from binary content.
BINARY_SAMPLE = 8192


def _is_binary(codes: Iterable[int]) -> bool:
    """A NUL, or over 5 % control characters other than tab, newline, form feed and carriage return."""
    codes = list(codes)
    controls = sum(1 for c in codes if c < 32 and c not in (9, 10, 12, 13))
    return 0 in codes or (bool(codes) and controls / len(codes) > 0.05)


def decode_text(raw: bytes, name: str) -> str:
    """Plain text: by its byte-order mark (UTF-8, UTF-16 or UTF-32), else UTF-8, else cp1252.

    Binary content is refused. A UTF-16 or UTF-32 letter is decoded before that check, as its
    bytes are full of NULs; its characters are checked instead.
    """
    for mark, encoding in BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            text = raw.decode(encoding, errors="replace")
            if _is_binary(map(ord, text[:BINARY_SAMPLE])):
                raise InputError(f"{name}: this is a binary file, not a text letter")
            return text
    if _is_binary(raw[:BINARY_SAMPLE]):
        raise InputError(f"{name}: this is a binary file, not a text letter")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _reason(exc: Exception) -> str:
    """An exception as a short clause for a one-line message."""
    first = str(exc).strip().splitlines()[0][:100] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


# -- .docx ----------------------------------------------------------------------------------
# A .docx is a zip of XML parts, and python-docx reads every part into memory and holds each XML
# element as an object: a 96 KB file expanding to 570,000 paragraphs took 3.5 GB. So the zip's own
# directory is checked before python-docx opens it, and the reading stops at a letter's size.
#: The XML parts uncompressed: a real letter's document.xml is under 1 MB even with heavy formatting.
MAX_DOCX_XML_BYTES = 20_000_000
#: All the parts uncompressed (images are stored compressed: this is about the file's own size).
MAX_DOCX_EXPANDED_BYTES = 2 * MAX_DOCUMENT_BYTES
#: A part of over 1 MB that expands more than this many times is a zip bomb (Word's XML: about 10).
MAX_DOCX_COMPRESSION_RATIO = 100
#: XML tags (opening and closing) in all the parts: lxml holds ~400 bytes per element. A letter
#: written from python-docx's own template has 25,000 tags, most of them in its style sheet.
MAX_DOCX_XML_TAGS = 500_000
#: Paragraphs and table cells read: a letter has a few hundred.
MAX_DOCX_BLOCKS = 20_000


def _check_docx_size(raw: bytes, name: str) -> None:
    """Refuse a .docx that would expand past a letter's size, from its zip directory and a count
    of its XML tags (streamed), before python-docx parses anything."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        parts = archive.infolist()
        xml = [p for p in parts if p.filename.endswith((".xml", ".rels"))]
        if sum(p.file_size for p in xml) > MAX_DOCX_XML_BYTES:
            raise InputError(f"{name}: its XML expands to more than {MAX_DOCX_XML_BYTES // 1_000_000} MB; "
                             "a letter is a few pages")
        if sum(p.file_size for p in parts) > MAX_DOCX_EXPANDED_BYTES:
            raise InputError(f"{name}: expands to more than {MAX_DOCX_EXPANDED_BYTES // 1_000_000} MB; "
                             "a letter is a few pages")
        for part in parts:
            if part.file_size > MAX_LETTER_BYTES and part.file_size > MAX_DOCX_COMPRESSION_RATIO * part.compress_size:
                raise InputError(f"{name}: {part.filename} expands {part.file_size // max(part.compress_size, 1):,} "
                                 "times (a zip bomb); not a letter")
        tags = 0
        for part in xml:
            with archive.open(part) as stream:  # zipfile stops at the declared size
                while chunk := stream.read(1 << 20):
                    tags += chunk.count(b"<")
            if tags > MAX_DOCX_XML_TAGS:
                raise InputError(f"{name}: more than {MAX_DOCX_XML_TAGS:,} XML tags; a letter is a few pages")


class _DocxText:
    """The text of one .docx, read block by block up to a letter's size.

    Paragraphs are separated by a blank line: a Word paragraph is a whole unit, never a wrapped
    line to re-join. A list paragraph gets a "• " so the segmenter sees a list item. A table row
    whose cells are one line each becomes "cell | cell" (the segmenter splits such rows into
    cells); cells holding several paragraphs are emitted one after the other.
    """

    def __init__(self, name: str):
        self.name = name
        self.blocks_left = MAX_DOCX_BLOCKS
        self.chars_left = MAX_LETTER_BYTES
        # python-docx resolves a paragraph's style by scanning the whole style sheet (~1 ms a
        # paragraph): each style is looked up once
        self._list_styles: dict[str | None, bool] = {}

    def lines(self, container) -> list[str]:
        """Paragraphs and tables of a body, header, footer or cell, in order."""
        from docx.table import Table

        lines: list[str] = []
        for block in container.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells, seen = [], set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:
                            continue  # a merged cell is returned once per grid column it spans
                        seen.add(id(cell._tc))
                        self._count("")
                        cells.append([line for line in self.lines(cell) if line])
                    if all(len(c) <= 1 for c in cells):
                        row_text = " | ".join(c[0] for c in cells if c)
                        lines.extend([row_text, ""] if row_text else [])
                    else:
                        for cell_lines in cells:
                            lines.extend(cell_lines + [""])
            else:
                text = block.text.strip()
                self._count(text)
                if text:
                    lines.extend([("• " if self._is_list_item(block) else "") + text, ""])
        return lines

    def _count(self, text: str) -> None:
        """Count a paragraph or table cell and its text against the bounds."""
        self.blocks_left -= 1
        self.chars_left -= len(text)
        if self.blocks_left < 0:
            raise InputError(f"{self.name}: more than {MAX_DOCX_BLOCKS:,} paragraphs and table cells; "
                             "a letter is a few pages")
        if self.chars_left < 0:
            raise _too_large(self.name, MAX_LETTER_BYTES)

    def _is_list_item(self, paragraph) -> bool:
        """A Word list paragraph (bullets are numbering, not characters, so the text has none)."""
        properties = paragraph._p.pPr
        if properties is not None and properties.numPr is not None:
            return True
        style_id = paragraph._p.style
        if style_id not in self._list_styles:
            style = paragraph.style
            self._list_styles[style_id] = style is not None and (style.name or "").lower().startswith("list")
        return self._list_styles[style_id]


def read_docx(raw: bytes, name: str) -> str:
    """A Word .docx letter as text: page header, body (paragraphs and tables), page footer.

    A file that would expand past a letter's size (more than MAX_DOCX_XML_BYTES of XML, a zip bomb,
    more than MAX_DOCX_BLOCKS paragraphs and table cells or MAX_LETTER_BYTES of text) is refused.
    """
    try:
        _check_docx_size(raw, name)
        from docx import Document

        document = Document(io.BytesIO(raw))
        reader = _DocxText(name)
        ends: dict[str, tuple[list[str], set[str]]] = {"header": ([], set()), "footer": ([], set())}
        for section in document.sections:
            for where, part in (("header", section.header), ("footer", section.footer)):
                if not part.is_linked_to_previous:
                    # a line repeated by another section's header is read once (a set: a list is
                    # searched once per line); the blank lines between paragraphs are all kept
                    kept, seen = ends[where]
                    for line in reader.lines(part):
                        if not line or line not in seen:
                            kept.append(line)
                            seen.add(line)
        lines = ends["header"][0] + reader.lines(document) + ends["footer"][0]
    except InputError:
        raise
    except Exception as exc:  # zipfile and python-docx raise zip, XML and KeyError failures for damaged files
        raise InputError(f"{name}: not a readable .docx file ({_reason(exc)})") from exc
    return "\n".join(lines)


def refuse_doc(raw: bytes, name: str) -> str:
    raise InputError(f"{name}: old Word .doc files are not supported; save the letter as .docx or PDF")


# -- .pdf -----------------------------------------------------------------------------------
def _page_text(page) -> str:
    """One page's text with its paragraph breaks.

    pypdf's plain extraction drops the vertical space between paragraphs, and the segmenter would
    then run a paragraph, "Sincerely," and the signer's name into one sentence; the layout mode
    keeps that space as blank lines. Its column alignment is undone: runs of spaces inside a line
    become one (indentation is kept: it marks a wrapped list item). Words broken by a hyphen at a
    line's end are joined with the lines (:mod:`nocmatch.letter.pages`), as in pasted text.
    """
    try:
        text = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # the layout mode fails on some fonts; the plain text is still good
        text = page.extract_text() or ""
    lines = [re.sub(r"(?<=\S) {2,}(?=\S)", " ", line.rstrip()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def read_pdf(raw: bytes, name: str) -> str:
    """A PDF letter as text, page after page (pypdf). A PDF without text is a scan: refused."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)  # pypdf warns about recoverable damage on stderr; one line is ours
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name}: the PDF is password-protected; ask for an unprotected copy")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise InputError(f"{name}: {len(reader.pages)} pages; a reference letter is a few pages "
                             f"(at most {MAX_PDF_PAGES} are read)")
        pages: list[str] = []
        size = 0
        for page in reader.pages:  # page by page, stopping once the text is larger than a letter
            pages.append(_page_text(page))
            size += len(pages[-1])
            if size > MAX_LETTER_BYTES:
                raise _too_large(name, MAX_LETTER_BYTES)
        text = "\n".join(pages)
    except InputError:
        raise
    except Exception as exc:  # pypdf raises PdfReadError, ValueError, KeyError ... for damaged files
        raise InputError(f"{name}: not a readable PDF ({_reason(exc)})") from exc
    finally:
        logger.setLevel(level)
    if not re.search(r"[^\W\d_]{2}", text):
        raise InputError(f"{name}: appears to be a scanned PDF without text; OCR is out of scope, "
                         "so ask for the original .docx or a PDF saved from the word processor")
    return text


register_reader((".txt", ".text", ".md", ""), decode_text)
register_reader((".docx",), read_docx, MAX_DOCUMENT_BYTES)
register_reader((".pdf",), read_pdf, MAX_DOCUMENT_BYTES)
register_reader((".doc",), refuse_doc, MAX_DOCUMENT_BYTES)


def _sniff(raw: bytes) -> str:
    """The suffix that bytes without a name are: ".pdf", ".docx" or "" (text)."""
    if raw[:5] == b"%PDF-":
        return ".pdf"
    if raw[:4] == b"PK\x03\x04" and b"word/" in raw:
        return ".docx"
    return ""


def _registered(filename: str) -> _Registered:
    suffix = Path(filename).suffix.lower()
    if suffix not in _READERS:
        known = ", ".join(sorted(s for s in _READERS if s and _READERS[s].reader is not refuse_doc))
        raise InputError(f"{filename}: unsupported file type {suffix!r} (supported: {known})")
    return _READERS[suffix]


def _too_large(name: str, max_bytes: int) -> InputError:
    what = "a reference letter is a few pages of text" if max_bytes == MAX_LETTER_BYTES else "a letter is a few pages"
    return InputError(f"{name}: larger than {max_bytes // 1_000_000} MB; {what}")


def read_letter_bytes(raw: bytes, filename: str) -> str:
    """The checked text of a letter given as bytes (a file's content, an upload, stdin).

    ``filename`` picks the reader by its suffix (.txt, .docx, .pdf ...) and names the letter in
    messages; bytes under a name without a suffix are recognised as PDF or .docx by their first
    bytes, else read as text. Raises :class:`InputError` with a one-line message for an
    unsupported, damaged, scanned, binary, oversized, empty or non-English letter.
    """
    suffix = Path(filename).suffix.lower()
    registered = _READERS[_sniff(raw)] if suffix == "" else _registered(filename)
    if len(raw) > registered.max_bytes:
        raise _too_large(filename, registered.max_bytes)
    text = registered.reader(raw, filename)
    check_text(text, filename)
    return text


def read_letter(source: str | Path) -> tuple[str, str]:
    """Read and check a letter; ``source`` is a path (.txt, .docx, .pdf) or ``-`` for stdin.

    Returns ``(text, name)``. Raises :class:`InputError` with a one-line message for a missing,
    unsupported, damaged, binary, oversized, empty or non-English letter.
    """
    if str(source) == "-":
        return read_letter_bytes(sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1), "stdin"), "stdin"
    path = Path(source)
    name = str(path)
    if path.is_dir():
        raise InputError(f"{name}: is a folder, not a letter file; use `nocmatch batch` for a folder of letters")
    if not path.exists():
        raise InputError(f"{name}: no such file")
    registered = _registered(name)
    try:
        # opened without blocking and checked once open: a pipe (or a file swapped for one) is
        # refused instead of waiting forever for a writer
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from exc
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            raise InputError(f"{name}: not a regular file (a pipe, socket or device), not a letter file")
        if status.st_size > registered.max_bytes:
            raise _too_large(name, registered.max_bytes)
        raw = stream.read(registered.max_bytes + 1)  # a file that grew meanwhile is still refused below
    return read_letter_bytes(raw, name), name


def check_text(text: str, name: str = "letter", *, language: bool = True) -> None:
    """Refuse empty, oversized, wordless and (with ``language``) non-English text with a one-line
    :class:`InputError`."""
    if not text or not text.strip():
        raise InputError(f"{name}: the letter is empty")
    if len(text.encode("utf-8", errors="ignore")) > MAX_LETTER_BYTES:
        raise _too_large(name, MAX_LETTER_BYTES)
    if not re.search(r"[^\W\d_]{2}", text):
        raise InputError(f"{name}: the letter has no words")
    if language:
        check_english(text, name)


def check_english(text: str, name: str = "letter") -> None:
    """Refuse a letter in another language than English with a one-line :class:`InputError` naming it."""
    from nocmatch.letter.language import identify_language
    guess = identify_language(text)
    if guess.english:
        return
    if guess.language == "French":
        raise InputError(f"{name}: the letter is in French; French letters are not supported yet, "
                         "so match its certified English translation")
    written = (f"written in {guess.language}" if guess.language.endswith("script")
               else f"in {guess.language} (confidence {guess.confidence:.2f})")
    raise InputError(f"{name}: the letter is {written}, not English; "
                     "NOC matching needs an English letter or its certified English translation")
