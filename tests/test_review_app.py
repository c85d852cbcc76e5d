"""The review page (FastAPI TestClient) and the standalone report, on the real catalog and letters."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import logging
import os
import re
import socket
import subprocess
import sys
from urllib.parse import urlencode

import lxml.html
import pytest
from conftest import LETTERS, letter_labels
from fastapi.testclient import TestClient

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_ATTRIBUTE = '"><img src=x onerror=alert(1)>'


#: The page's port in these tests; the client names it in every request's Host header, as a browser does.
PAGE_PORT = 8765
PAGE_ORIGIN = f"http://127.0.0.1:{PAGE_PORT}"
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy",
                    "cache-control")


@pytest.fixture(scope="module")
def client(matcher):
    from nocmatch.review.app import create_app
    return TestClient(create_app(matcher, port=PAGE_PORT), base_url=PAGE_ORIGIN)


@pytest.fixture(scope="module")
def mismatch_letter():
    """A letter whose stated title (21231) is not what its duties support (20012)."""
    row = next(r for r in letter_labels() if r["title_mismatch"] == "true" and r["scope"] == "tech")
    return (LETTERS / row["file"]).read_text(encoding="utf-8"), row


def page(response):
    return lxml.html.fromstring(response.text)


def best_code(response) -> str:
    """The code ranked first on the page."""
    return page(response).xpath('//table[contains(@class, "ranking")]/tbody/tr')[0].get("data-code")


def error_of(response) -> str:
    found = page(response).xpath('//*[@id="error"]')
    return found[0].text_content() if found else ""


def panel(doc, code):
    found = doc.xpath(f'//div[contains(@class, "evidence") and @data-code="{code}"]')
    assert len(found) == 1, f"no evidence panel for {code}"
    return found[0]


def visible_panels(doc):
    return [p.get("data-code") for p in doc.xpath('//div[contains(@class, "evidence")]') if p.get("hidden") is None]


def duty_rows(panel_element):
    return panel_element.xpath('.//tr[contains(@class, "duty")]')


def review(client, text, **form):
    return client.post("/review", data={"letter": text, **form})


# -- the page --------------------------------------------------------------------------------
def test_index_has_the_form_and_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    doc = page(response)
    assert doc.xpath('//form[@id="letter-form"]//textarea[@name="letter"]')
    assert doc.xpath('//input[@type="file" and @name="file"]')
    assert {i.get("value") for i in doc.xpath('//input[@name="candidates"]')} == {"tech", "all"}
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
    # not no-referrer: under it browsers post the page's own form with `Origin: null`
    assert headers["referrer-policy"] == "same-origin"
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_csp_hashes_admit_exactly_the_inline_script_and_style(client):
    response = client.get("/")
    csp = response.headers["content-security-policy"]
    script = re.search(r"<script>(.*?)</script>", response.text, re.S).group(1)
    style = re.search(r"<style>(.*?)</style>", response.text, re.S).group(1)
    for directive, content in (("script-src", script), ("style-src", style)):
        digest = base64.b64encode(hashlib.sha256(content.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in csp


def assert_self_contained(html: str) -> None:
    """Nothing is loaded from elsewhere: no linking elements or attributes, no URLs in the CSS/JS."""
    doc = lxml.html.fromstring(html)
    assert not doc.xpath("//link | //img | //iframe | //object | //embed | //*[@src or @href or @srcset]")
    own = " ".join(e.text or "" for e in doc.xpath("//style | //script"))
    assert not re.search(r"url\(|@import|https?:|//fonts|fetch\(|XMLHttpRequest", own, re.I)


def test_no_external_assets(client, mismatch_letter):
    text, _ = mismatch_letter
    for response in (client.get("/"), review(client, text)):
        assert_self_contained(response.text)


def test_pasted_letter_shows_ranking_warnings_and_evidence(client, matcher, mismatch_letter):
    text, row = mismatch_letter
    expected = matcher.match(text)
    response = review(client, text)
    assert response.status_code == 200, error_of(response)
    doc = page(response)
    ranking = doc.xpath('//table[contains(@class, "ranking")]/tbody/tr')
    assert [r.get("data-code") for r in ranking] == [c.code for c in expected.candidates]
    assert len(ranking) == 11 and ranking[0].get("data-code") == row["expected_code"]
    warnings = doc.xpath('//li[contains(@class, "kind-title_mismatch")]')
    assert warnings and row["title_code"] in warnings[0].text_content()
    # the best code's evidence is shown; each ranked code has its (hidden) panel
    assert visible_panels(doc) == [row["expected_code"]]
    assert {p.get("data-code") for p in doc.xpath('//div[contains(@class, "evidence")]')} == \
        {c.code for c in expected.candidates}
    rows = duty_rows(panel(doc, expected.best_code))
    assert len(rows) == len(expected.evidence.duties)
    for tr, duty in zip(rows, expected.evidence.duties):
        assert duty.duty in tr.text_content()
        assert ("missing" in tr.get("class")) == (not duty.evidenced)
        assert ("✗ missing" in tr.text_content()) == (not duty.evidenced)
        assert f"{duty.probability:.2f}" in tr.text_content()  # the model's probability, not the cosine
        assert ("optional" in tr.get("class")) == duty.optional
        if duty.evidenced:
            assert duty.unit in tr.text_content()  # the clause that evidences it


def test_claimed_code_is_shown_first_with_its_missing_duties(client, matcher, mismatch_letter):
    text, row = mismatch_letter
    claimed = row["title_code"]
    expected = matcher.match(text, evidence_code=claimed)
    response = review(client, text, claimed_code=claimed)
    assert response.status_code == 200, error_of(response)
    doc = page(response)
    assert visible_panels(doc) == [claimed]
    rows = duty_rows(panel(doc, claimed))
    missing = [tr for tr in rows if "missing" in tr.get("class")]
    assert len(missing) == sum(not d.evidenced for d in expected.evidence.duties) > 0
    line = doc.xpath('//*[@id="claimed"]')[0].text_content()
    assert claimed in line and f"fit {row['expected_code']} better" in line
    assert doc.xpath('//select[@id="evidence-code"]/option[@selected]')[0].get("value") == claimed
    # the claimed panel's unmatched sentences are the letter's duty sentences no duty of it took
    unmatched = [li.text_content() for li in panel(doc, claimed).xpath('.//ul[@class="unmatched"]/li')]
    assert unmatched == [s["text"] for s in expected.evidence.unmatched_sentences]


def test_every_switchable_code_comes_from_one_encoding(client, matcher, mismatch_letter, monkeypatch):
    text, _ = mismatch_letter
    calls = []
    original = matcher.encoder.encode
    monkeypatch.setattr(matcher.encoder, "encode", lambda texts, *a, **k: calls.append(len(texts)) or
                        original(texts, *a, **k))
    doc = page(review(client, text, claimed_code="21232"))
    assert len(calls) == 1, "the letter must be encoded once per review"
    codes = [o.get("value") for o in doc.xpath('//select[@id="evidence-code"]/option')]
    assert codes[:11] == [c.code for c in matcher.match(text).candidates] and "21232" in codes
    # the panels differ: switching changes what the consultant reads
    assert panel(doc, "21232").text_content() != panel(doc, codes[0]).text_content()


def test_claimed_code_outside_the_tech_list_is_ranked_with_them(client, mismatch_letter):
    text, _ = mismatch_letter
    doc = page(review(client, text, claimed_code="31301"))
    codes = [r.get("data-code") for r in doc.xpath('//table[contains(@class, "ranking")]/tbody/tr')]
    assert len(codes) == 12 and "31301" in codes
    assert visible_panels(doc) == ["31301"]


def test_out_of_scope_letter_offers_the_evidence_of_the_code_it_fits(client, matcher):
    row = next(r for r in letter_labels() if r["scope"] == "non-tech")
    text = (LETTERS / row["file"]).read_text(encoding="utf-8")
    doc = page(review(client, text))
    assert doc.xpath('//li[contains(@class, "kind-out_of_scope")]')
    outside = panel(doc, row["expected_code"])  # not a candidate, but what the warning points to
    assert row["expected_code"] not in [r.get("data-code") for r in doc.xpath('//table[contains(@class, "ranking")]/tbody/tr')]
    expected = matcher.match(text, evidence_code=row["expected_code"]).evidence
    rows = duty_rows(outside)
    assert [("missing" in tr.get("class")) for tr in rows] == [not d.evidenced for d in expected.duties]
    assert doc.xpath(f'//section[@id="summary"]//button[@data-code="{row["expected_code"]}"]')


def test_all_516_codes(client, matcher, mismatch_letter):
    text, _ = mismatch_letter
    response = review(client, text, candidates="all", claimed_code="21231")
    assert response.status_code == 200, error_of(response)
    doc = page(response)
    expected = matcher.match(text, candidates="all")
    rows = doc.xpath('//table[contains(@class, "ranking")]/tbody/tr')
    assert [r.get("data-code") for r in rows[:25]] == [c.code for c in expected.candidates[:25]]
    assert "of 516 unit groups" in doc.xpath('//section[@id="ranking"]')[0].text_content()
    panels = {p.get("data-code") for p in doc.xpath('//div[contains(@class, "evidence")]')}
    assert {c.code for c in expected.candidates[:15]} | {"21231"} == panels
    assert doc.xpath('//input[@name="candidates" and @value="all"]')[0].get("checked") is not None


def test_uploaded_txt_matches_like_pasted(client, mismatch_letter):
    text, row = mismatch_letter
    response = client.post("/review", files={"file": ("letter.txt", text.encode("utf-8"), "text/plain")},
                           data={"letter": "", "candidates": "tech"})
    assert response.status_code == 200, error_of(response)
    doc = page(response)
    assert doc.xpath('//table[contains(@class, "ranking")]/tbody/tr')[0].get("data-code") == row["expected_code"]
    assert doc.xpath('//textarea[@name="letter"]')[0].text_content().strip() == text.strip()


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_uploaded_docx_and_pdf_match_like_pasted(client, matcher, mismatch_letter, kind):
    from test_readers_docx_pdf import docx_from_text, pdf_from_text

    text, row = mismatch_letter
    raw = docx_from_text(text) if kind == "docx" else pdf_from_text(text)
    response = client.post("/review", files={"file": (f"letter.{kind}", raw, "application/octet-stream")})
    assert response.status_code == 200, error_of(response)
    doc = page(response)
    expected = matcher.match(text)
    assert [r.get("data-code") for r in doc.xpath('//table[contains(@class, "ranking")]/tbody/tr')] == \
        [c.code for c in expected.candidates]
    assert doc.xpath('//li[contains(@class, "kind-title_mismatch")]')


def test_scanned_pdf_upload_is_a_clear_message(client):
    from test_readers_docx_pdf import scanned_pdf

    response = client.post("/review", files={"file": ("scan.pdf", scanned_pdf(), "application/pdf")})
    assert response.status_code == 400
    assert "scanned PDF without text" in error_of(response)


def test_completeness_checklist_is_shown(client, mismatch_letter):
    pytest.importorskip("nocmatch.checklist.completeness")
    text, _ = mismatch_letter
    doc = page(review(client, text))
    rows = doc.xpath('//table[@class="checklist"]/tbody/tr')
    assert rows, "the completeness checklist is missing"
    statuses = {tr.get("class") for tr in rows}
    assert statuses <= {"status-present", "status-missing", "status-ambiguous"}
    # this letter states its hours, so the hours row is present and shows the hours
    hours = [tr for tr in rows if "hours" in tr.text_content().lower()]
    assert hours and "40" in hours[0].text_content()


# -- bad input ----------------------------------------------------------------------------------
FRENCH = ("Nous confirmons que Madame Tremblay occupe le poste de développeuse de logiciels au sein de notre "
          "entreprise depuis le mois de juin. Elle conçoit les applications, rédige le code et assure la "
          "maintenance des systèmes de la société avec son équipe.")


@pytest.mark.parametrize("form, files, status, message", [
    ({"letter": ""}, None, 400, "empty"),
    ({"letter": "   \n\t "}, None, 400, "empty"),
    ({"letter": FRENCH}, None, 400, "English"),
    ({"letter": "Dear Sir,\n\nThank you for your letter of March 3.\n\nSincerely,\nJane Doe"}, None, 400,
     "no duty sentences"),
    ({"letter": "", "candidates": "everything"}, None, 400, "candidate set"),
    ({"letter": ""}, {"file": ("letter.txt", b"\x00\x01\x02binary\x00" * 50, "text/plain")}, 400, "binary"),
    ({"letter": ""}, {"file": ("letter.exe", b"MZ\x90\x00", "application/octet-stream")}, 415,
     "unsupported file type"),
    ({"letter": "duty " * 260_000}, None, 413, "larger than 1 MB"),
])
def test_bad_input_is_a_clear_message_and_a_4xx(client, form, files, status, message):
    response = client.post("/review", data=form, files=files)
    assert response.status_code == status
    assert message in error_of(response)
    assert "Traceback" not in response.text


def test_unknown_claimed_code(client, mismatch_letter):
    text, _ = mismatch_letter
    for code in ("99999", "abc", "2123"):
        response = review(client, text, claimed_code=code)
        assert response.status_code == 400
        assert "is not a NOC 2021 unit group" in error_of(response)
    # the letter is echoed back so the consultant can fix the code without pasting again
    assert page(response).xpath('//textarea[@name="letter"]')[0].text_content().strip() == text.strip()


# -- escaping -------------------------------------------------------------------------------------
def hostile_letter(text: str) -> str:
    """The letter with script injected into its title, a duty bullet and the letterhead."""
    text = text.replace("Senior Software Engineer", "Senior Software Engineer" + XSS_ATTRIBUTE, 1)
    text = text.replace("• Recruits", f"• Recruits {XSS_SCRIPT} and", 1)
    text = text.replace("• Supervises", f"• Supervises {XSS_ATTRIBUTE} the", 1)
    return XSS_SCRIPT + "\n" + text


def assert_escaped(html: str) -> None:
    doc = lxml.html.fromstring(html)
    assert len(doc.xpath("//script")) == 1, "only the page's own script may exist"
    assert not doc.xpath("//img") and not doc.xpath("//*[@onerror]")
    assert XSS_SCRIPT not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_script_in_a_letter_comes_back_escaped(client, mismatch_letter):
    text, _ = mismatch_letter
    response = review(client, hostile_letter(text), claimed_code="21231")
    assert response.status_code == 200, error_of(response)
    assert_escaped(response.text)
    doc = page(response)
    # the hostile sentences are shown as text, as written, in the evidence
    shown = [element.text_content() for p in doc.xpath('//div[contains(@class, "evidence")]')
             for element in duty_rows(p) + p.xpath('.//li')]
    assert any(XSS_SCRIPT in t for t in shown) and any(XSS_ATTRIBUTE in t for t in shown)


def test_script_in_a_rejected_letter_comes_back_escaped(client):
    response = review(client, f"</textarea>{XSS_SCRIPT}{XSS_ATTRIBUTE}", claimed_code=XSS_ATTRIBUTE)
    assert response.status_code == 400
    assert_escaped(response.text)
    assert page(response).xpath('//textarea[@name="letter"]')[0].text_content().startswith("</textarea>")


def test_letters_are_not_logged(client, mismatch_letter, caplog):
    text, _ = mismatch_letter
    marker = "Negotiates contracts with outside vendors"
    assert marker in text
    with caplog.at_level(logging.DEBUG):
        review(client, text)
        review(client, text.replace("•", "\x00"))
    assert marker not in caplog.text


# -- reading the request: counted as it arrives, parsed in memory --------------------------------
#: A server hands the app the body in reads of about this size (uvicorn reads 64 KiB at a time).
READ_SIZE = 64 * 1024


def send_in_reads(app, headers: dict[str, str], reads) -> tuple[int, bytes, int]:
    """POST /review straight to the ASGI app, handing it the body read by read, as a server does.

    Returns the answer's status and body, and how many body bytes the app asked the server for.
    """
    taken = 0
    answer = {"status": 0, "body": b""}

    async def exchange():
        answered = asyncio.Event()
        pending = iter(reads)

        async def receive():
            nonlocal taken
            chunk = next(pending, None)
            if chunk is None:  # the client has sent everything: wait for the answer, then hang up
                await answered.wait()
                return {"type": "http.disconnect"}
            taken += len(chunk)
            return {"type": "http.request", "body": chunk, "more_body": True}

        async def send(message):
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            elif message["type"] == "http.response.body":
                answer["body"] += message.get("body", b"")
                if not message.get("more_body"):
                    answered.set()

        all_headers = {"host": f"127.0.0.1:{PAGE_PORT}", **headers}
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
                 "scheme": "http", "path": "/review", "raw_path": b"/review", "query_string": b"", "root_path": "",
                 "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", PAGE_PORT),
                 "headers": [(name.encode(), value.encode()) for name, value in all_headers.items()]}
        await app(scope, receive, send)

    asyncio.run(exchange())
    return answer["status"], answer["body"], taken


@pytest.mark.parametrize("declared", [{"content-length": "100"}, {"transfer-encoding": "chunked"}],
                         ids=["lying-content-length", "chunked"])
def test_a_body_past_the_cap_is_refused_as_it_arrives(client, declared):
    from nocmatch.review.app import MAX_REQUEST_BYTES

    reads = itertools.repeat(b"x" * READ_SIZE, 4 * MAX_REQUEST_BYTES // READ_SIZE)  # 4 MiB in all
    status, body, taken = send_in_reads(client.app, {"content-type": "application/x-www-form-urlencoded",
                                                     **declared}, reads)
    assert status == 413 and b"larger than 1 MB" in body
    assert taken <= MAX_REQUEST_BYTES + READ_SIZE, "the app read past the cap"


def test_a_chunked_letter_under_the_cap_is_reviewed(client, mismatch_letter):
    text, row = mismatch_letter
    body = urlencode({"letter": text, "candidates": "tech"}).encode()
    response = client.post("/review", content=(body[i:i + 1000] for i in range(0, len(body), 1000)),
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert "content-length" not in response.request.headers  # sent chunked
    assert response.status_code == 200, error_of(response)
    assert best_code(response) == row["expected_code"]


def test_an_uploaded_letter_never_reaches_a_temporary_file(client, mismatch_letter, monkeypatch, tmp_path):
    import tempfile

    import starlette.formparsers

    text, row = mismatch_letter
    raw = (text + "\n" * (900_000 - len(text.encode("utf-8")))).encode("utf-8")  # 900 KB: the letter, blank lines
    temp_dir = tmp_path / "temp"
    temp_dir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp_dir))  # this test's own, so other processes' files don't count
    opened = []

    def no_temporary_file(*args, **kwargs):
        opened.append(args)
        raise AssertionError("a temporary file was opened while an upload was read")

    for name in ("SpooledTemporaryFile", "TemporaryFile", "NamedTemporaryFile", "mkstemp"):
        monkeypatch.setattr(tempfile, name, no_temporary_file)
    # Starlette's form parser imported SpooledTemporaryFile under its own name
    monkeypatch.setattr(starlette.formparsers, "SpooledTemporaryFile", no_temporary_file, raising=False)
    response = client.post("/review", files={"file": ("letter.txt", raw, "text/plain")})
    assert response.status_code == 200, error_of(response)
    assert best_code(response) == row["expected_code"]
    assert not opened and not list(temp_dir.iterdir())


def test_a_malformed_form_is_a_clear_message_and_nothing_of_it_is_logged(client, caplog):
    body = (b'--b\r\nContent-Disposition: form-data; name="letter"\r\nX-Bad\xff: 1\r\n\r\n'
            b"Negotiates contracts with outside vendors\r\n--b--\r\n")
    with caplog.at_level(logging.DEBUG):
        response = client.post("/review", content=body, headers={"content-type": "multipart/form-data; boundary=b"})
    assert response.status_code == 400 and "the form could not be read" in error_of(response)
    assert not [r for r in caplog.records if "multipart" in r.name], "the form parser logged the body"


@pytest.mark.parametrize("content_type, status, message", [
    ("text/plain", 415, "not a form"),
    ("multipart/form-data", 400, "without a boundary"),
])
def test_a_body_that_is_not_a_form_is_refused(client, content_type, status, message):
    response = client.post("/review", content=b"letter=x", headers={"content-type": content_type})
    assert response.status_code == status and message in error_of(response)


@pytest.mark.parametrize("files", [None, {"file": ("letter.txt", b"x", "text/plain")}], ids=["urlencoded", "multipart"])
def test_a_form_with_too_many_fields_is_refused(client, files):
    response = client.post("/review", data={f"field{i}": "x" for i in range(9)}, files=files)
    assert response.status_code == 400 and "more than 8 fields" in error_of(response)


# -- only this computer's browser, on this page ------------------------------------------------------
def assert_refused(response, status: int) -> None:
    """A short text refusal that still carries every security header."""
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/plain") and response.text.startswith("refused")
    assert all(name in response.headers for name in SECURITY_HEADERS)
    assert response.headers["cache-control"] == "no-store" and response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("host", [f"evil.example:{PAGE_PORT}", f"127.0.0.1.evil.example:{PAGE_PORT}", "127.0.0.1:9999",
                                  "localhost", "testserver", f"[::2]:{PAGE_PORT}"])
def test_a_request_for_another_host_is_refused(client, host):
    """DNS rebinding: another site's name resolving to 127.0.0.1 reaches the page under that name."""
    assert_refused(client.get("/", headers={"host": host}), 400)
    assert_refused(client.post("/review", data={"letter": "x"}, headers={"host": host}), 400)


@pytest.mark.parametrize("host", [f"127.0.0.1:{PAGE_PORT}", f"localhost:{PAGE_PORT}", f"[::1]:{PAGE_PORT}",
                                  f"LocalHost:{PAGE_PORT}"])
def test_the_loopback_names_with_the_served_port_are_answered(client, host):
    assert client.get("/", headers={"host": host}).status_code == 200


def test_by_default_the_served_port_is_the_one_the_request_arrived_on(matcher):
    from nocmatch.review.app import create_app

    other = TestClient(create_app(matcher), base_url="http://127.0.0.1:5555")
    assert other.get("/").status_code == 200
    assert_refused(other.get("/", headers={"host": f"127.0.0.1:{PAGE_PORT}"}), 400)


@pytest.mark.parametrize("headers", [
    {"origin": "http://evil.example"},
    {"origin": "null"},  # a sandboxed frame or a local file
    {"origin": "http://127.0.0.1:9999"},
    {"origin": f"https://127.0.0.1:{PAGE_PORT}"},
    {"origin": "http://localhost:1", "referer": f"{PAGE_ORIGIN}/"},  # the Origin decides when there is one
    {"referer": "http://evil.example/form.html"},
    {"referer": f"{PAGE_ORIGIN}.evil.example/"},
    {"referer": "http://[::1/"},  # not a URL
])
def test_a_post_from_another_origin_is_refused(client, headers):
    letter = "Negotiates contracts with outside vendors"
    response = client.post("/review", data={"letter": letter}, headers=headers)
    assert_refused(response, 403)
    assert letter not in response.text


@pytest.mark.parametrize("headers", [
    {"origin": PAGE_ORIGIN},
    {"origin": f"http://localhost:{PAGE_PORT}"},
    {"origin": f"http://[::1]:{PAGE_PORT}"},
    {"referer": f"{PAGE_ORIGIN}/"},
    {"origin": PAGE_ORIGIN, "referer": "http://evil.example/"},  # the Origin decides when there is one
    {},  # curl on this computer
])
def test_a_post_from_the_page_itself_or_from_a_program_is_answered(client, headers):
    response = client.post("/review", data={"letter": ""}, headers=headers)
    assert response.status_code == 400 and "empty" in error_of(response)  # the form was read


# -- restarting the server ------------------------------------------------------------------------------
def test_a_port_in_time_wait_is_free_and_a_listening_port_is_not():
    from nocmatch.errors import NocmatchError
    from nocmatch.review.app import check_port_free

    # the last run: a listener set up as uvicorn's (asyncio sets SO_REUSEADDR) served one connection
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)):
            served, _ = listener.accept()
            served.close()  # the server side closes first, so its end lingers in TIME_WAIT
    with socket.socket() as plain, pytest.raises(OSError):  # the port is in TIME_WAIT indeed
        plain.bind(("127.0.0.1", port))
    check_port_free("127.0.0.1", port)

    with socket.socket() as running:  # another server on the port, with SO_REUSEADDR too
        running.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        running.bind(("127.0.0.1", 0))
        running.listen()
        with pytest.raises(NocmatchError, match="cannot listen on 127.0.0.1"):
            check_port_free("127.0.0.1", running.getsockname()[1])


# -- the report command ---------------------------------------------------------------------------
def run_cli(args, home):
    env = dict(os.environ, NOCMATCH_HOME=str(home))
    # the way the `nocmatch` console script starts
    return subprocess.run([sys.executable, "-c", "from nocmatch.cli import main; main()", *args], capture_output=True,
                          env=env, timeout=300)


def test_report_writes_one_standalone_escaped_file_and_never_overwrites(home, tmp_path, mismatch_letter):
    text, row = mismatch_letter
    letter = tmp_path / "letter.txt"
    letter.write_text(hostile_letter(text), encoding="utf-8")
    out = tmp_path / "report.html"
    proc = run_cli(["report", str(letter), "--out", str(out), "--code", row["title_code"]], home)
    assert proc.returncode == 0, proc.stderr.decode()
    html = out.read_text(encoding="utf-8")
    assert_escaped(html)
    doc = lxml.html.fromstring(html)
    assert not doc.xpath("//form"), "the report is not a form"
    assert visible_panels(doc) == [row["title_code"]]
    assert doc.xpath('//tr[contains(@class, "missing")]')
    assert "@media print" in html
    meta = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]')[0].get("content")
    assert "default-src 'none'" in meta
    assert_self_contained(html)

    before = out.read_bytes()
    again = run_cli(["report", str(letter), "--out", str(out)], home)
    assert again.returncode != 0
    assert "already exists" in again.stderr.decode() and "--force" in again.stderr.decode()
    assert len(again.stderr.decode().strip().splitlines()) == 1
    assert out.read_bytes() == before
    forced = run_cli(["report", str(letter), "--out", str(out), "--force"], home)
    assert forced.returncode == 0, forced.stderr.decode()
    assert visible_panels(lxml.html.fromstring(out.read_text(encoding="utf-8"))) == [row["expected_code"]]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_serve_refuses_a_non_loopback_host(home):
    proc = run_cli(["serve", "--host", "0.0.0.0"], home)
    assert proc.returncode != 0
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "refusing to listen on 0.0.0.0" in lines[0]


# -- letters with several positions ---------------------------------------------------------------------
#: Software Developer (2017-08-14 to 2020-03-31, 31 months, duties of 21232), then Software Development
#: Manager (2020-04-01 to the letter's date 2024-06-03, 50 months, duties of 20012).
TWO_POSITIONS = LETTERS.parents[2] / "benchmarks" / "data" / "realistic_letters" / "ra006_promotion_developer_to_dev_manager.txt"


def position_sections(doc):
    return doc.xpath('//section[@id="positions"]/div[contains(@class, "position")]')


def words(element) -> str:
    return " ".join(element.text_content().split())


def test_each_position_has_its_section_with_its_code_months_and_evidence(client, matcher):
    text = TWO_POSITIONS.read_text(encoding="utf-8")
    expected = matcher.match(text)
    response = review(client, text)
    assert response.status_code == 200, error_of(response)
    doc = page(response)
    sections = position_sections(doc)
    assert len(sections) == 2
    for section, title, months, code, position in zip(
            sections, ("Software Developer", "Software Development Manager"), ("31", "50"), ("21232", "20012"),
            expected.positions):
        assert words(section.xpath("./h3")[0]) == f"Position {position.index}: {title}"
        assert section.xpath('.//*[@class="months"]')[0].text_content() == months
        assert section.xpath('.//b[@class="code"]')[0].text_content() == code == position.best_code
        assert "supported" in words(section.xpath('.//p[contains(@class, "position-code")]')[0])
        # that position's duty-by-duty evidence: its own duties and its own clauses
        rows = section.xpath('.//tr[contains(@class, "duty")]')
        assert [("missing" in tr.get("class")) for tr in rows] == [not d.evidenced for d in position.evidence.duties]
        assert any(d.evidenced and d.unit in words(tr) for tr, d in zip(rows, position.evidence.duties))
    assert "present (counted to the letter date, 2024-06-03)" in words(sections[1])
    assert "Plans, organizes and directs" not in words(sections[0])  # the manager's duties are not the developer's
    assert "of position 2's duties, the one held now" in words(doc.xpath('//section[@id="positions"]')[0])
    # the months per code, and those of the code the letter's duties support (no claimed code)
    experience = doc.xpath('//section[@id="experience"]')[0]
    assert [(tr.get("data-code"), words(tr.xpath("./td")[2])) for tr in experience.xpath(".//tbody/tr")] == [
        ("21232", "31"), ("20012", "50")]
    assert words(doc.xpath('//*[@id="claimed-months"]')[0]).startswith(
        "Months in 20012 Computer and information systems managers (the best code; no claimed code given): 50 calendar")


def test_the_claimed_codes_months_come_from_its_positions(client):
    text = TWO_POSITIONS.read_text(encoding="utf-8")
    doc = page(review(client, text, claimed_code="21232"))
    line = words(doc.xpath('//*[@id="claimed-months"]')[0])
    assert line == ("Months in 21232 Software developers and programmers (claimed): 31 calendar, 31 full-time, "
                    "from position 1.")
    # no position's duties are a software engineer's: no months qualify for it, in red
    unsupported = page(review(client, text, claimed_code="21231")).xpath('//*[@id="claimed-months"]')[0]
    assert "(claimed): 0 calendar" in words(unsupported) and "bad" in unsupported.get("class")


def test_a_one_position_letter_has_no_position_sections(client, mismatch_letter):
    text, _ = mismatch_letter
    doc = page(review(client, text))
    assert not doc.xpath('//section[@id="positions"]') and doc.xpath('//section[@id="experience"]')
    assert words(doc.xpath('//p[@id="position"]')[0]).startswith("Position: ")


def test_script_in_a_position_comes_back_escaped(client, matcher, tmp_path):
    from dataclasses import replace

    from nocmatch.review import build_review, render_report
    from nocmatch.review.export import write_report

    text = TWO_POSITIONS.read_text(encoding="utf-8").replace(
        "- Corrected defects", f"- Corrected defects {XSS_SCRIPT} and {XSS_ATTRIBUTE}", 1)
    response = review(client, text)
    assert response.status_code == 200, error_of(response)
    assert_escaped(response.text)
    assert XSS_SCRIPT in words(position_sections(page(response))[0])  # shown as written, in its evidence
    # titles do not reach the page from the letter's text with markup in them; put it there
    built = build_review(matcher, text)
    built.result.positions = [replace(p, title=f"{XSS_SCRIPT}{XSS_ATTRIBUTE}") for p in built.result.positions]
    html = render_report(built)
    assert_escaped(html)
    titles = [words(s.xpath("./h3")[0]) for s in position_sections(lxml.html.fromstring(html))]
    assert titles == [f"Position {n}: {XSS_SCRIPT}{XSS_ATTRIBUTE}" for n in (1, 2)]
    # the exported report has the same sections
    written = write_report(build_review(matcher, TWO_POSITIONS.read_text(encoding="utf-8"), claimed_code="21232"),
                           tmp_path / "review.html")
    doc = lxml.html.fromstring(written.read_text(encoding="utf-8"))
    assert [s.xpath('.//b[@class="code"]')[0].text_content() for s in position_sections(doc)] == ["21232", "20012"]
    assert "31 calendar" in words(doc.xpath('//*[@id="claimed-months"]')[0])
