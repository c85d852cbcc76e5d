"""The local review page: a FastAPI app over one loaded :class:`~nocmatch.matcher.Matcher`.

Privacy by construction: the letter arrives in the request body, which is read into memory and
counted as it arrives (refused as soon as it passes :data:`MAX_REQUEST_BYTES`), parsed in memory
(never spooled to a temporary file), matched, and returned inside the HTML answer. It is never
written, logged or kept between requests; the answer carries ``Cache-Control: no-store`` so the
browser does not keep it either.

Only this computer's browser, on this page, may use it: a request must name the page's loopback
address and port in its ``Host`` header (a site whose name resolves to 127.0.0.1, DNS rebinding,
is refused), and a form posted from another site's page (``Origin``/``Referer``) is refused.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from contextlib import aclosing, asynccontextmanager
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks
from starlette.concurrency import run_in_threadpool

from nocmatch.errors import InputError, NocmatchError
from nocmatch.letter.readers import MAX_LETTER_BYTES
from nocmatch.review.model import build_review
from nocmatch.review.render import FormState, assets, render_page

#: Largest request body accepted: a 1 MB letter plus the form's few fields.
MAX_REQUEST_BYTES = 1024 * 1024
#: The page's form has four parts (letter, file, candidates, claimed_code); a few more are tolerated.
MAX_FORM_PARTS = 8
UPLOAD_SUFFIXES = (".txt", ".docx", ".pdf")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
DEFAULT_PORT = 8765
#: Methods another site's page may cause (links, images) without changing or submitting anything.
SAFE_METHODS = ("GET", "HEAD")

log = logging.getLogger("nocmatch.review")

#: python-multipart logs the offending byte of a malformed body, which may be a byte of the letter;
#: its parsers log here instead, and nothing is emitted.
_form_parser_log = logging.getLogger("nocmatch.review.form_parser")
_form_parser_log.disabled = True


#: A made-up letter matched once when the server starts, so the first consultant does not wait for
#: the imports and first-call costs (about a second here).
WARM_UP_LETTER = """Example Software Ltd.

To whom it may concern,

Jane Doe has been employed by us as a Software Developer since May 2020, 40 hours per week.
Her main duties are:
- Writes, tests and debugs the code of our web applications
- Designs software components and reviews the code of the team
- Documents the programs and fixes defects reported by the users

Sincerely,
John Roe, Manager
"""


class TooLarge(InputError):
    """The request is larger than a letter can be."""

    http_status = 413


class UnsupportedType(InputError):
    """An upload that is not .txt, .docx or .pdf, or a request body that is not a form."""

    http_status = 415


class ForeignHost(InputError):
    """A request addressed to a name other than the page's loopback address and port.

    A browser sends such a request when another site's name resolves to this computer (DNS
    rebinding): that site's scripts could then read the page's answers.
    """

    http_status = 400


class CrossSiteRequest(InputError):
    """A form posted from another site's page (or from a sandboxed or local file, ``Origin: null``)."""

    http_status = 403


def http_status_of(error: NocmatchError) -> int:
    """The HTTP status answering ``error``: its ``http_status``, else 400 (the user's input)."""
    return getattr(error, "http_status", 400)


def security_headers(csp: str) -> dict[str, str]:
    """Headers sent with every answer: only the page's own inline assets run, nothing is cached.

    ``Referrer-Policy: same-origin`` rather than ``no-referrer``: under ``no-referrer`` browsers send
    ``Origin: null`` with the page's own form post, which could not be told from another site's.
    The page loads nothing from elsewhere, so no other site receives a referrer either way.
    """
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
    }


@dataclass(frozen=True)
class UploadedFile:
    """A file part of the form, held in memory."""

    filename: str
    content: bytes


def create_app(matcher, port: int | None = None):
    """Build the review app around an already loaded matcher (the model is loaded once).

    Parameters
    ----------
    matcher : Matcher
        Used for every letter; calls are serialised with a lock (one consultant, one model).
    port : int, optional
        The port the page is served on: requests must name it in their ``Host`` (and ``Origin``)
        header. By default, the port each request arrived on, as the server reports it.
    """
    @asynccontextmanager
    async def lifespan(_app):
        await run_in_threadpool(warm_up, matcher)
        yield

    app = FastAPI(title="nocmatch review", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    lock = threading.Lock()
    headers = security_headers(assets().csp)
    code_titles = {code: matcher.catalog.title_of(code) for code in matcher.candidates}

    @app.middleware("http")
    async def refuse_foreign_requests_and_add_security_headers(request, call_next):
        try:
            check_from_this_page(request, port)
        except NocmatchError as exc:  # a short text: the refused page shows nothing of the app
            response = PlainTextResponse(str(exc), status_code=http_status_of(exc))
        else:
            response = await call_next(request)
        response.headers.update(headers)
        return response

    def page(status: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(render_page(code_titles=code_titles, **context), status_code=status)

    @app.get("/", response_class=HTMLResponse)
    def index() -> HTMLResponse:
        return page()

    @app.post("/review", response_class=HTMLResponse)
    async def review(request: Request) -> HTMLResponse:
        form_state = FormState()
        try:
            form_state, text, name = await read_review_form(request, form_state)

            def run():
                with lock:
                    return build_review(matcher, text, name=name, candidate_set=form_state.candidate_set,
                                        claimed_code=form_state.claimed_code)

            result = await run_in_threadpool(run)
        except NocmatchError as exc:
            return page(http_status_of(exc), form=form_state, error=str(exc))
        except Exception as exc:  # never a traceback on the page, and never the letter in the log
            log.error("review failed: %s", type(exc).__name__)
            return page(500, form=form_state, error=f"internal error ({type(exc).__name__}); the letter was not kept")
        return page(form=form_state, review=result)

    return app


async def read_review_form(request: Request, form_state: FormState) -> tuple[FormState, str, str]:
    """The review form's fields, and the letter's text and name (pasted, or the uploaded file's).

    ``form_state`` is filled in as far as the form was read, so that a page refusing the letter
    still shows what the consultant typed."""
    form = parse_form(request.headers.get("content-type", ""), await read_body(request))
    form_state.letter = _field(form, "letter")
    form_state.candidate_set = _field(form, "candidates") or "tech"
    form_state.claimed_code = _field(form, "claimed_code").strip()
    upload = form.get("file")
    if isinstance(upload, UploadedFile) and upload.filename:
        text, name = read_upload(upload)
        form_state.letter = text
    else:
        text, name = form_state.letter, "pasted letter"
        if len(text.encode("utf-8", errors="ignore")) > MAX_LETTER_BYTES:
            raise TooLarge("the letter is larger than 1 MB; a reference letter is a few pages of text")
    return form_state, text, name


def own_authorities(port: int) -> set[str]:
    """The ``host[:port]`` spellings a browser uses for the page on ``port`` (it omits port 80)."""
    suffix = "" if port == 80 else f":{port}"
    return {(f"[{host}]" if ":" in host else host) + suffix for host in LOOPBACK_HOSTS}


def check_from_this_page(request: Request, port: int | None) -> None:
    """Refuse a request that is not this computer's browser using this page.

    Parameters
    ----------
    request : Request
        Its ``Host`` must be a loopback name with the served port; unless its method is safe, its
        ``Origin`` (or, without one, its ``Referer``), when present, must be the page's own origin.
        A post with neither header is allowed: a browser always sends ``Origin`` with a form post,
        so a post without it comes from a program on this computer (``curl``).
    port : int or None
        The served port; None takes the port the request arrived on.

    Raises
    ------
    ForeignHost
        The ``Host`` header names another host or port (DNS rebinding).
    CrossSiteRequest
        The request was posted from another origin, or from an opaque one (``Origin: null``).
    """
    if port is None:
        server = request.scope.get("server")  # (address, port) of the listening socket, not a header
        port = server[1] if server else None
    authorities = own_authorities(port) if port is not None else set()
    if request.headers.get("host", "").lower() not in authorities:
        raise ForeignHost("refused: this page answers only at its own address on this computer "
                          f"(http://127.0.0.1:{port}/ or http://localhost:{port}/)")
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("origin")
    if origin is None and "referer" in request.headers:
        origin = origin_of(request.headers["referer"])
    if origin is not None and origin.lower() not in {f"http://{authority}" for authority in authorities}:
        raise CrossSiteRequest("refused: the form was sent from another page than this one; "
                               "open the review page itself and send the letter from there")


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url`` (a ``Referer``); ``""``, which matches no origin, if unparsable."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


async def read_body(request: Request) -> bytes:
    """The request body, read into memory and counted as it arrives (chunked or not).

    Reading stops at the first chunk past :data:`MAX_REQUEST_BYTES`, whatever ``Content-Length``
    claims: the declared length only lets a too-large body be refused before it is read.

    Raises
    ------
    TooLarge
        The body (declared or received) is larger than :data:`MAX_REQUEST_BYTES`.
    InputError
        ``Content-Length`` is not a number.
    """
    declared = request.headers.get("content-length")
    if declared is not None and not declared.isdigit():
        raise InputError("the request's Content-Length is not a number; send the letter from the page's form")
    too_large = TooLarge("the letter is larger than 1 MB; a reference letter is a few pages of text")
    if declared is not None and int(declared) > MAX_REQUEST_BYTES:
        raise too_large
    body = bytearray()
    async with aclosing(request.stream()) as chunks:
        async for chunk in chunks:
            body += chunk
            if len(body) > MAX_REQUEST_BYTES:
                raise too_large
    return bytes(body)


def parse_form(content_type: str, body: bytes) -> dict[str, str | UploadedFile]:
    """The fields of a form body, parsed in memory: name -> text, or :class:`UploadedFile` for a file.

    Parameters
    ----------
    content_type : str
        The request's ``Content-Type``: ``multipart/form-data`` (with its boundary) or
        ``application/x-www-form-urlencoded``.
    body : bytes
        The whole body (already capped by :func:`read_body`).

    Returns
    -------
    dict
        The first value of each field name (the page's form sends each once).

    Raises
    ------
    UnsupportedType
        The body is not a form.
    InputError
        The form is malformed or has more than :data:`MAX_FORM_PARTS` parts.
    """
    media_type, options = parse_options_header(content_type)
    pairs: list[tuple[str, str | UploadedFile]]
    if media_type == b"application/x-www-form-urlencoded":
        try:
            pairs = list(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True,
                                   max_num_fields=MAX_FORM_PARTS))
        except ValueError:  # more fields than max_num_fields
            raise InputError(f"the form has more than {MAX_FORM_PARTS} fields") from None
    elif media_type == b"multipart/form-data":
        pairs = parse_multipart(body, options.get(b"boundary", b""))
    else:
        raise UnsupportedType("the request is not a form; send the letter from the page's form")
    fields: dict[str, str | UploadedFile] = {}
    for name, value in pairs:
        fields.setdefault(name, value)
    return fields


def parse_multipart(body: bytes, boundary: bytes) -> list[tuple[str, str | UploadedFile]]:
    """The parts of a ``multipart/form-data`` body, each kept in memory (a file too, unlike Starlette's
    parser, which spools a file part to a temporary file)."""
    if not boundary:
        raise InputError("the form could not be read (multipart body without a boundary)")
    collector = _PartCollector()
    try:
        parser = MultipartParser(boundary, collector.callbacks())
        parser.logger = _form_parser_log
        parser.write(body)
        parser.finalize()
    except FormParserError:  # the parser's message may quote the body: a generic one instead
        raise InputError("the form could not be read (malformed multipart body)") from None
    return collector.parts


class _PartCollector:
    """python-multipart callbacks that collect each part's name, file name and bytes in memory."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, str | UploadedFile]] = []
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._disposition = b""
        self._data = bytearray()

    def callbacks(self) -> MultipartCallbacks:
        return {"on_part_begin": self.on_part_begin, "on_header_field": self.on_header_field,
                "on_header_value": self.on_header_value, "on_header_end": self.on_header_end,
                "on_part_data": self.on_part_data, "on_part_end": self.on_part_end}

    def on_part_begin(self) -> None:
        self._disposition = b""
        self._data = bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = bytes(self._header_value)
        self._header_name.clear()
        self._header_value.clear()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self._data += data[start:end]

    def on_part_end(self) -> None:
        if len(self.parts) == MAX_FORM_PARTS:
            raise InputError(f"the form has more than {MAX_FORM_PARTS} fields")
        _, options = parse_options_header(self._disposition)
        name = options.get(b"name", b"").decode("utf-8", errors="replace")
        value: str | UploadedFile
        if b"filename" in options:  # browsers send the file name as UTF-8
            value = UploadedFile(options[b"filename"].decode("utf-8", errors="replace"), bytes(self._data))
        else:
            value = self._data.decode("utf-8", errors="replace")
        self.parts.append((name, value))


def warm_up(matcher) -> None:
    """Match :data:`WARM_UP_LETTER` once (run at server start; a failure only costs the warm-up)."""
    try:
        build_review(matcher, WARM_UP_LETTER, name="warm-up letter")
    except NocmatchError as exc:
        log.warning("warm-up skipped: %s", exc)


def _field(form, key: str) -> str:
    value = form.get(key)
    return value if isinstance(value, str) else ""


def read_upload(upload: UploadedFile) -> tuple[str, str]:
    """The text of an uploaded letter, read from memory: ``(text, file name)``."""
    from nocmatch.letter.readers import read_letter_bytes

    name = PurePath(upload.filename).name[:200] or "upload"
    suffix = PurePath(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise UnsupportedType(f"{name}: unsupported file type {suffix or '(none)'!r} (upload .txt, .docx or .pdf)")
    if len(upload.content) > MAX_LETTER_BYTES:
        raise TooLarge(f"{name}: larger than 1 MB; a reference letter is a few pages of text")
    return read_letter_bytes(upload.content, name), name


def check_loopback(host: str) -> None:
    """Refuse to listen beyond this computer: the page receives letters (personal data)."""
    if host not in LOOPBACK_HOSTS:
        raise NocmatchError(f"refusing to listen on {host}: the review page serves letters (personal data) and "
                            "listens on this computer only (127.0.0.1, localhost or ::1)")


def check_port_free(host: str, port: int) -> None:
    """One clear line instead of uvicorn's bind error when the port is taken.

    The probe binds as uvicorn's listener will (asyncio sets ``SO_REUSEADDR`` on POSIX), so a port
    whose only sockets are the last run's connections in TIME_WAIT is free, and a port with a live
    listener is still taken. Windows lets ``SO_REUSEADDR`` bind over a live listener, so the probe
    sets it on POSIX only, as asyncio does.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        if os.name == "posix":
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise NocmatchError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                                "choose another port with --port") from None


def serve(app, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> None:
    """Run the app with uvicorn on a loopback address (blocks until Ctrl+C).

    Uvicorn's access log names the method and path only (``POST /review``), never a request body.
    """
    import uvicorn

    check_loopback(host)
    check_port_free(host, port)
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=True, server_header=False)
