"""The local review page: a FastAPI app over one loaded :class:`~nocmatch.matcher.Matcher`.

Privacy by construction: the letter arrives in the request body, is read in memory (the body is
capped below the size at which the form parser would spill an upload to a temporary file), is
matched, and is returned inside the HTML answer. It is never written, logged or kept between
requests; the answer carries ``Cache-Control: no-store`` so the browser does not keep it either.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
import socket
import threading
from pathlib import PurePath

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from nocmatch.errors import InputError, NocmatchError
from nocmatch.letter.readers import MAX_LETTER_BYTES
from nocmatch.review.model import build_review
from nocmatch.review.render import FormState, assets, render_page

#: Largest request body accepted: a 1 MB letter plus the form's few fields. Starlette keeps an
#: uploaded file in memory up to 1 MiB and spools beyond it to disk, so the cap keeps letters off disk.
MAX_REQUEST_BYTES = 1024 * 1024
UPLOAD_SUFFIXES = (".txt", ".docx", ".pdf")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
DEFAULT_PORT = 8765

log = logging.getLogger("nocmatch.review")


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


class LengthRequired(InputError):
    """A request without Content-Length: its size cannot be checked before it is read."""

    http_status = 411


class UnsupportedType(InputError):
    """An upload that is not .txt, .docx or .pdf."""

    http_status = 415


def security_headers(csp: str) -> dict[str, str]:
    """Headers sent with every answer: only the page's own inline assets run, nothing is cached."""
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def create_app(matcher):
    """Build the review app around an already loaded matcher (the model is loaded once).

    Parameters
    ----------
    matcher : Matcher
        Used for every letter; calls are serialised with a lock (one consultant, one model).
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
    async def add_security_headers(request, call_next):
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
            size = request.headers.get("content-length")
            if size is None:
                raise LengthRequired("the request has no Content-Length; send the letter from the page's form")
            if not size.isdigit() or int(size) > MAX_REQUEST_BYTES:
                raise TooLarge("the letter is larger than 1 MB; a reference letter is a few pages of text")
            try:
                form = await request.form(max_files=1, max_fields=8, max_part_size=MAX_REQUEST_BYTES)
            except Exception as exc:  # malformed multipart: the parser's message, as a user error
                raise InputError(f"the form could not be read ({exc})") from None
            form_state = FormState(letter=_field(form, "letter"), candidate_set=_field(form, "candidates") or "tech",
                                   claimed_code=_field(form, "claimed_code").strip())
            upload = form.get("file")
            if isinstance(upload, UploadFile) and upload.filename:
                text, name = await read_upload(upload)
                form_state.letter = text
            else:
                text, name = form_state.letter, "pasted letter"
                if len(text.encode("utf-8", errors="ignore")) > MAX_LETTER_BYTES:
                    raise TooLarge("the letter is larger than 1 MB; a reference letter is a few pages of text")
            await form.close()

            def run():
                with lock:
                    return build_review(matcher, text, name=name, candidate_set=form_state.candidate_set,
                                        claimed_code=form_state.claimed_code)

            result = await run_in_threadpool(run)
        except NocmatchError as exc:
            return page(getattr(exc, "http_status", 400), form=form_state, error=str(exc))
        except Exception as exc:  # never a traceback on the page, and never the letter in the log
            log.error("review failed: %s", type(exc).__name__)
            return page(500, form=form_state, error=f"internal error ({type(exc).__name__}); the letter was not kept")
        return page(form=form_state, review=result)

    return app


def warm_up(matcher) -> None:
    """Match :data:`WARM_UP_LETTER` once (run at server start; a failure only costs the warm-up)."""
    try:
        build_review(matcher, WARM_UP_LETTER, name="warm-up letter")
    except NocmatchError as exc:
        log.warning("warm-up skipped: %s", exc)


def _field(form, key: str) -> str:
    value = form.get(key)
    return value if isinstance(value, str) else ""


async def read_upload(upload) -> tuple[str, str]:
    """The text of an uploaded letter, read from memory: ``(text, file name)``."""
    name = PurePath(upload.filename).name[:200] or "upload"
    suffix = PurePath(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise UnsupportedType(f"{name}: unsupported file type {suffix or '(none)'!r} (upload .txt, .docx or .pdf)")
    raw = await upload.read()
    from nocmatch.letter.readers import read_letter_bytes
    if len(raw) > MAX_LETTER_BYTES:
        raise TooLarge(f"{name}: larger than 1 MB; a reference letter is a few pages of text")
    return read_letter_bytes(raw, name), name


def check_loopback(host: str) -> None:
    """Refuse to listen beyond this computer: the page receives letters (personal data)."""
    if host not in LOOPBACK_HOSTS:
        raise NocmatchError(f"refusing to listen on {host}: the review page serves letters (personal data) and "
                            "listens on this computer only (127.0.0.1, localhost or ::1)")


def check_port_free(host: str, port: int) -> None:
    """One clear line instead of uvicorn's bind error when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
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
