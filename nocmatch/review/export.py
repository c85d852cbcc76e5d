"""Write a review to a standalone HTML file (or a PDF printed by a local chromium)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from nocmatch.errors import InputError, NocmatchError
from nocmatch.files import replace_atomically
from nocmatch.review.model import Review
from nocmatch.review.render import render_report

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PDF_TIMEOUT_SECONDS = 120
#: Memory-backed folder for the page chromium prints (the letter is not put on a disk), when there is one.
SHARED_MEMORY = Path("/dev/shm")


def check_writable(path: Path, force: bool) -> None:
    """Refuse to replace an existing file unless ``force`` (checked before the model is loaded)."""
    path = Path(path)
    if path.exists() and not force:
        raise InputError(f"{path}: already exists; use --force to replace it")
    if path.exists() and path.is_dir():
        raise InputError(f"{path}: is a folder; give a file name")
    if not path.parent.is_dir():
        raise InputError(f"{path.parent}: no such folder")


def write_report(review: Review, path: Path | str, *, pdf: bool = False, force: bool = False) -> Path:
    """Write ``review`` as one HTML file (or a PDF with ``pdf=True``) at ``path``.

    The file is written to a temporary name beside ``path`` and moved into place when complete;
    without ``force`` an existing file is never replaced (even one created meanwhile).
    """
    path = Path(path)
    check_writable(path, force)
    html = render_report(review)
    content = html_to_pdf(html) if pdf else html.encode("utf-8")
    try:
        # it holds a letter's content: readable by its owner only
        return replace_atomically(path, lambda temp: temp.write_bytes(content), what="the report", private=True,
                                  overwrite=force)
    except FileExistsError:
        raise InputError(f"{path}: already exists; use --force to replace it") from None


def find_chromium() -> str | None:
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def html_to_pdf(html: str) -> bytes:
    """Print ``html`` to PDF with a headless chromium (the page's own print stylesheet applies)."""
    browser = find_chromium()
    if browser is None:
        raise NocmatchError("--pdf needs the chromium browser (apt-get install chromium); "
                            "or write the HTML report and print it from any browser")
    # chromium reads the page from a private (0700) temporary folder, deleted right after; not from a
    # data: URL on its command line, where any user could read the letter in the process list
    scratch = SHARED_MEMORY if SHARED_MEMORY.is_dir() and os.access(SHARED_MEMORY, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="nocmatch-pdf-", dir=scratch) as work:
        page, target = Path(work) / "report.html", Path(work) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [browser, "--headless", "--disable-gpu", "--no-first-run", "--disable-extensions",
                   "--disable-background-networking", f"--user-data-dir={work}/profile",
                   "--no-pdf-header-footer", f"--print-to-pdf={target}", page.as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # chromium will not start as root with its sandbox
        try:
            subprocess.run(command, capture_output=True, timeout=PDF_TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise NocmatchError(f"chromium did not print the report within {PDF_TIMEOUT_SECONDS} s") from None
        if not target.is_file() or target.stat().st_size == 0:
            raise NocmatchError("chromium could not print the report to PDF; write the HTML report instead")
        return target.read_bytes()
