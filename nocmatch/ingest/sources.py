"""Locate or fetch Statistics Canada's two NOC 2021 Version 1.0 CSV files.

The catalog is built from two files that Statistics Canada publishes for the classification
(see :data:`SOURCE_FILES`). :func:`resolve_source` returns a folder holding both: a folder the user
gave, or ``data_dir`` after downloading them from a base URL or from the official addresses.
Downloads are streamed to a temporary file and renamed only when complete, so an interrupted
download never leaves a partial CSV, and an existing file is never replaced silently.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from nocmatch.errors import CatalogError

STRUCTURE_FILE = "noc_2021_version_1.0_-_classification_structure.csv"
ELEMENTS_FILE = "noc_2021_version_1.0_-_elements.csv"
#: The two official file names, classification structure first.
SOURCE_FILES: tuple[str, str] = (STRUCTURE_FILE, ELEMENTS_FILE)

# Official addresses -- the ONE place they are kept. Looked up on 2026-11-25 with the project's
# search tool (stored copies of public pages and code; no live web):
# - LANDING_PAGE: Statistics Canada's NOC 2021 Version 1.0 page, cited as the source in many public
#   projects that use these two files.
# - DATASET_PAGE: the Open Government Portal record 1feee3b5-8068-4dbb-b361-180875837593
#   ("National Occupational Classification (NOC) 2021 Version 1.0", CSV; mirrored by
#   donnees.iriu.ca), whose resources carry exactly these file names.
# - The direct per-file links (open.canada.ca/data/dataset/<id>/resource/<uuid>/download/<name>)
#   could not be confirmed from the stored copies, so none is pinned (None): at download time
#   they are read from the dataset's own CKAN record (PACKAGE_API), matched by file name.
#   Pin a confirmed direct link here to skip that look-up.
LANDING_PAGE = "https://www.statcan.gc.ca/en/subjects/standard/noc/2021/indexV1"
DATASET_PAGE = "https://open.canada.ca/data/en/dataset/1feee3b5-8068-4dbb-b361-180875837593"
PACKAGE_API = ("https://open.canada.ca/data/api/action/package_show"
               "?id=1feee3b5-8068-4dbb-b361-180875837593")
OFFICIAL_URLS: dict[str, str | None] = {STRUCTURE_FILE: None, ELEMENTS_FILE: None}

_URL_SCHEMES = ("http://", "https://", "file://")
_CHUNK = 1 << 16
_USER_AGENT = "nocmatch (NOC 2021 catalog builder; urllib)"
# Everything a dropped, refused, timed-out or failed HTTP request can raise from urllib.
_NETWORK_ERRORS = (OSError, http.client.HTTPException)


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in chunks.

    Parameters
    ----------
    path : Path
        The file to hash.

    Returns
    -------
    str
        64 lowercase hex digits.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_source(source: str | Path | None, data_dir: Path, *, progress: bool = True,
                   timeout: float = 30.0, overwrite: bool = False) -> Path:
    """Return a folder that contains both NOC 2021 files, downloading them if needed.

    Parameters
    ----------
    source : str, Path or None
        An existing folder holding both files (returned as is); an ``http(s)://`` or ``file://``
        base URL (``<base>/<file name>`` is fetched for both files into `data_dir`); or None
        (`data_dir` if it already holds both files, else the missing ones are fetched from the
        official addresses into `data_dir`).
    data_dir : Path
        Where downloads go; created if needed.
    progress : bool, default True
        Show a progress bar (bytes, speed) on stderr while downloading.
    timeout : float, default 30.0
        Seconds before a stalled connection is given up.
    overwrite : bool, default False
        Replace a file already in `data_dir` whose content differs from the download.

    Returns
    -------
    Path
        A folder holding both files named in :data:`SOURCE_FILES`.

    Raises
    ------
    CatalogError
        Files missing from the given folder, an unusable `source`, a failed download, a response
        that is not the CSV, or an existing different file without `overwrite`.
    """
    data_dir = Path(data_dir)
    opts: dict[str, Any] = {"progress": progress, "timeout": timeout, "overwrite": overwrite}
    if source is None:
        missing = [name for name in SOURCE_FILES if not (data_dir / name).is_file()]
        if missing:
            _download_all(_official_urls(missing, data_dir, timeout), data_dir, **opts)
        return data_dir
    if isinstance(source, str) and source.lower().startswith(_URL_SCHEMES):
        base = source.rstrip("/")
        _download_all({name: f"{base}/{name}" for name in SOURCE_FILES}, data_dir, **opts)
        return data_dir
    folder = Path(source).expanduser()
    if folder.is_dir():
        missing = [name for name in SOURCE_FILES if not (folder / name).is_file()]
        if missing:
            raise CatalogError(f"{' and '.join(missing)} not found in {folder}: that folder must "
                               f"hold both {STRUCTURE_FILE} and {ELEMENTS_FILE}")
        return folder
    raise CatalogError(f"--source must be an existing folder holding {STRUCTURE_FILE} and "
                       f"{ELEMENTS_FILE}, or an http(s):// or file:// base URL; "
                       f"got {str(source)!r}")


def _offline_error(data_dir: Path, url: str, reason: object) -> CatalogError:
    detail = " ".join(str(reason).split()) or type(reason).__name__
    return CatalogError(
        f"cannot download the NOC 2021 files (offline?): get {STRUCTURE_FILE} and {ELEMENTS_FILE} "
        f"from {LANDING_PAGE} (or {DATASET_PAGE}) and put them in {data_dir}, "
        f"or pass --source <folder> [{url}: {detail}]")


def _not_csv(url: str, dest: Path, what: str) -> CatalogError:
    return CatalogError(f"{url} returned {what}, not the CSV file {dest.name}; nothing was saved")


def _open(url: str, timeout: float):
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    return urllib.request.urlopen(request, timeout=timeout)


def _official_urls(names: list[str], data_dir: Path, timeout: float) -> dict[str, str]:
    """Pinned official links for `names`, the rest read from the dataset's CKAN record."""
    urls = {name: OFFICIAL_URLS.get(name) for name in names}
    if all(urls.values()):
        return urls  # type: ignore[return-value]
    try:
        with _open(PACKAGE_API, timeout) as resp:
            record = json.load(resp)
    except _NETWORK_ERRORS as exc:
        raise _offline_error(data_dir, PACKAGE_API, exc) from exc
    except ValueError as exc:
        raise CatalogError(f"{PACKAGE_API} did not return the dataset record (not JSON); get the "
                           f"files from {LANDING_PAGE} and put them in {data_dir}") from exc
    result = record.get("result") if isinstance(record, dict) else None
    resources = (result.get("resources") if isinstance(result, dict) else None) or []
    listed = {Path(urllib.parse.urlparse(r.get("url") or "").path).name: r["url"]
              for r in resources if isinstance(r, dict) and r.get("url")}
    for name in names:
        urls[name] = urls[name] or listed.get(name)
        if not urls[name]:
            raise CatalogError(f"{DATASET_PAGE} no longer lists {name}: get it from {LANDING_PAGE} "
                               f"and put it in {data_dir}, or pass --source <folder>")
    return urls  # type: ignore[return-value]


def _download_all(urls: dict[str, str], data_dir: Path, *, progress: bool, timeout: float,
                  overwrite: bool) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    bar = (Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                    TransferSpeedColumn(), TimeRemainingColumn(), console=Console(stderr=True))
           if progress else None)
    with bar or contextlib.nullcontext():
        for name, url in urls.items():
            _download(url, data_dir / name, data_dir, bar, timeout, overwrite)


def _download(url: str, dest: Path, data_dir: Path, bar: Progress | None, timeout: float,
              overwrite: bool) -> None:
    """Stream `url` to a temporary file beside `dest`; rename it into place only when complete."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with _open(url, timeout) as resp:
                    if "html" in (resp.headers.get("Content-Type") or "").lower():
                        raise _not_csv(url, dest, "an HTML page")
                    expected = int(resp.headers.get("Content-Length") or 0) or None
                    task = bar.add_task(dest.name, total=expected) if bar else None
                    size = 0
                    while chunk := resp.read(_CHUNK):
                        if size == 0 and chunk.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                            raise _not_csv(url, dest, "an HTML page")
                        out.write(chunk)
                        size += len(chunk)
                        if bar is not None and task is not None:
                            bar.update(task, advance=len(chunk))
            except _NETWORK_ERRORS as exc:
                raise _offline_error(data_dir, url, exc) from exc
        if size == 0:
            raise _not_csv(url, dest, "an empty body")
        if expected is not None and size != expected:
            cut = f"connection closed after {size} of {expected} bytes"
            raise _offline_error(data_dir, url, cut)
        if dest.exists():
            if sha256_file(dest) == sha256_file(tmp):
                return  # same content already in place: keep it
            if not overwrite:
                raise CatalogError(f"{dest} already exists and differs from {url}; not overwriting "
                                   f"it: move it away, or pass overwrite=True to replace it")
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
