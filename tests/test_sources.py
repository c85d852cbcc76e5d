"""Tests for nocmatch.ingest.sources: finding and downloading the NOC 2021 CSVs, offline."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import socket
import threading
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from nocmatch.errors import CatalogError
from nocmatch.ingest import sources
from nocmatch.ingest.sources import SOURCE_FILES, resolve_source, sha256_file

STRUCTURE, ELEMENTS = SOURCE_FILES


def _shared_noc() -> Path:
    env = os.environ.get("NOCMATCH_SHARED")
    shared = Path(env) if env else Path(__file__).resolve().parents[2] / "shared"
    return shared / "noc2021"


SHARED = _shared_noc()
pytestmark = pytest.mark.skipif(not all((SHARED / n).is_file() for n in SOURCE_FILES),
                                reason=f"the NOC 2021 source files are not in {SHARED}")


@pytest.fixture(scope="module")
def readme_sha() -> dict[str, str]:
    text = (SHARED / "README.md").read_text(encoding="utf-8")
    found = dict(re.findall(r"-\s*(classification_structure|elements):\s*([0-9a-f]{64})", text))
    return {f"noc_2021_version_1.0_-_{key}.csv": value for key, value in found.items()}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


@contextlib.contextmanager
def _serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _serve_dir(directory: Path):
    return _serve(functools.partial(_Quiet, directory=str(directory)))


def _raw_handler(body: bytes, content_type: str = "text/csv", length: int | None = None):
    """A handler that answers every GET with `body`, announcing `length` bytes."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass
    return Handler


@pytest.fixture(scope="module")
def shared_url():
    with _serve_dir(SHARED) as url:
        yield url


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_downloads_both_files_over_http(shared_url, tmp_path, readme_sha):
    data_dir = tmp_path / "data" / "noc2021"
    assert resolve_source(shared_url + "/", data_dir, progress=True) == data_dir
    assert _names(data_dir) == sorted(SOURCE_FILES)
    assert set(readme_sha) == set(SOURCE_FILES)
    for name in SOURCE_FILES:
        assert sha256_file(data_dir / name) == readme_sha[name]


def test_downloads_from_file_url(tmp_path, readme_sha):
    data_dir = tmp_path / "data"
    assert resolve_source(SHARED.as_uri(), data_dir, progress=False) == data_dir
    assert {n: sha256_file(data_dir / n) for n in SOURCE_FILES} == readme_sha


@pytest.mark.parametrize("as_str", [False, True])
def test_existing_folder_is_returned(tmp_path, as_str):
    source = str(SHARED) if as_str else SHARED
    assert resolve_source(source, tmp_path / "unused", progress=False) == SHARED
    assert not (tmp_path / "unused").exists()


def test_folder_missing_a_file_names_it(tmp_path):
    (tmp_path / STRUCTURE).write_text("Level\n", encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        resolve_source(tmp_path, tmp_path / "data", progress=False)
    message = str(err.value)
    assert ELEMENTS in message and str(tmp_path) in message
    assert f"{STRUCTURE} and {ELEMENTS} not found" not in message


@pytest.mark.parametrize("source", ["ftp://example.org/noc", "no/such/folder"])
def test_other_strings_are_rejected(tmp_path, source):
    with pytest.raises(CatalogError, match=r"http\(s\)://"):
        resolve_source(source, tmp_path / "data", progress=False)


def test_unreachable_url_gives_one_line_instructions(tmp_path):
    data_dir = tmp_path / "data"
    with pytest.raises(CatalogError) as err:
        resolve_source(_closed_port_url(), data_dir, progress=False, timeout=5)
    message = str(err.value)
    assert "\n" not in message
    assert STRUCTURE in message and ELEMENTS in message and str(data_dir) in message
    assert sources.LANDING_PAGE in message
    assert _names(data_dir) == []


def test_none_uses_data_dir_when_complete_without_network(tmp_path, monkeypatch):
    for name in SOURCE_FILES:
        shutil.copyfile(SHARED / name, tmp_path / name)
    monkeypatch.setattr(sources, "PACKAGE_API", _closed_port_url())
    assert resolve_source(None, tmp_path, progress=False) == tmp_path


def test_none_offline_gives_one_line_instructions(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "PACKAGE_API", _closed_port_url())
    data_dir = tmp_path / "data"
    with pytest.raises(CatalogError) as err:
        resolve_source(None, data_dir, progress=False, timeout=5)
    message = str(err.value)
    assert "\n" not in message
    assert STRUCTURE in message and ELEMENTS in message and str(data_dir) in message


def test_none_downloads_from_the_official_record(shared_url, tmp_path, monkeypatch, readme_sha):
    record = {"success": True, "result": {"resources": [
        {"url": f"{shared_url}/{name}"} for name in (*SOURCE_FILES, "README.md")]}}
    api_dir = tmp_path / "api"
    api_dir.mkdir()
    (api_dir / "package.json").write_text(json.dumps(record), encoding="utf-8")
    data_dir = tmp_path / "data"
    with _serve_dir(api_dir) as api_url:
        monkeypatch.setattr(sources, "PACKAGE_API", f"{api_url}/package.json")
        assert resolve_source(None, data_dir, progress=False) == data_dir
    assert {n: sha256_file(data_dir / n) for n in SOURCE_FILES} == readme_sha


@pytest.mark.parametrize("served", ["html-header", "html-body", "empty"])
def test_not_a_csv_is_rejected(tmp_path, served):
    page = b"<!DOCTYPE html>\n<html><body>Page not found</body></html>\n"
    if served == "html-header":
        handler = _raw_handler(b"Level,Title\n1,x\n", content_type="text/html; charset=utf-8")
    else:
        handler = _raw_handler(page if served == "html-body" else b"")
    data_dir = tmp_path / "data"
    with _serve(handler) as url:
        with pytest.raises(CatalogError) as err:
            resolve_source(url, data_dir, progress=False)
    assert f"{url}/{STRUCTURE}" in str(err.value)
    assert _names(data_dir) == []


def test_existing_identical_file_is_kept(shared_url, tmp_path):
    shutil.copyfile(SHARED / STRUCTURE, tmp_path / STRUCTURE)
    inode = (tmp_path / STRUCTURE).stat().st_ino
    resolve_source(shared_url, tmp_path, progress=False)
    assert (tmp_path / STRUCTURE).stat().st_ino == inode
    assert _names(tmp_path) == sorted(SOURCE_FILES)


def test_existing_different_file_is_not_overwritten(shared_url, tmp_path, readme_sha):
    mine = tmp_path / STRUCTURE
    mine.write_bytes(b"Level,my own edits\n")
    with pytest.raises(CatalogError, match="already exists") as err:
        resolve_source(shared_url, tmp_path, progress=False)
    assert str(mine) in str(err.value)
    assert mine.read_bytes() == b"Level,my own edits\n"
    assert _names(tmp_path) == [STRUCTURE]
    resolve_source(shared_url, tmp_path, progress=False, overwrite=True)
    assert sha256_file(mine) == readme_sha[STRUCTURE]


def test_interrupted_download_leaves_no_partial_file(tmp_path):
    data_dir = tmp_path / "data"
    handler = _raw_handler(b"Level,Hierarchical structure\n" * 10, length=1_000_000)
    with _serve(handler) as url:
        with pytest.raises(CatalogError) as err:
            resolve_source(url, data_dir, progress=False, timeout=5)
    assert "\n" not in str(err.value) and "connection closed after" in str(err.value)
    assert _names(data_dir) == []


def test_interrupted_download_keeps_existing_file(tmp_path):
    (tmp_path / STRUCTURE).write_bytes(b"Level,old\n")
    handler = _raw_handler(b"Level,new\n", length=500)
    with _serve(handler) as url:
        with pytest.raises(CatalogError):
            resolve_source(url, tmp_path, progress=False, overwrite=True, timeout=5)
    assert (tmp_path / STRUCTURE).read_bytes() == b"Level,old\n"
    assert _names(tmp_path) == [STRUCTURE]


def test_sha256_file_streams(tmp_path):
    path = tmp_path / "blob"
    path.write_bytes(b"x" * (3 << 20))
    assert sha256_file(path) == hashlib.sha256(b"x" * (3 << 20)).hexdigest()
