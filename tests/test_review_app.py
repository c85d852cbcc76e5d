"""The review page (FastAPI TestClient) and the standalone report, on the real catalog and letters."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import subprocess
import sys

import lxml.html
import pytest
from fastapi.testclient import TestClient

from conftest import LETTERS, letter_labels

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_ATTRIBUTE = '"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def client(matcher):
    from nocmatch.review import create_app
    return TestClient(create_app(matcher))


@pytest.fixture(scope="module")
def mismatch_letter():
    """A letter whose stated title (21231) is not what its duties support (20012)."""
    row = next(r for r in letter_labels() if r["title_mismatch"] == "true" and r["scope"] == "tech")
    return (LETTERS / row["file"]).read_text(encoding="utf-8"), row


def page(response):
    return lxml.html.fromstring(response.text)


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
        assert f"{duty.similarity:.2f}" in tr.text_content()
        assert ("optional" in tr.get("class")) == duty.optional
        if duty.evidenced:
            assert duty.sentence in tr.text_content()


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
    pytest.importorskip("nocmatch.letter.completeness")
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


def test_a_body_of_unknown_size_is_refused_before_it_is_read(client):
    response = client.post("/review", content=iter([b"letter=", b"x" * 100]),
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 411
    assert "Content-Length" in error_of(response)


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
