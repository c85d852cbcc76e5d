"""The review page in a real browser: Debian's chromium driven by selenium through chromedriver.

The page is served by uvicorn on 127.0.0.1 (a free port) from the session's matcher. The test
pastes a letter whose title says one code and whose duties say another, claims the title's code,
and checks what the consultant sees: the evidence table, the missing-duty marks, and that
switching the code shows that code's evidence (in the page, without a request). It takes a
screenshot in its temporary folder; with ``NOCMATCH_UPDATE_SCREENSHOT=1`` it replaces the one the README
shows (docs/img/review-page.png) instead, so a test run leaves the repository as it was.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest
from conftest import LETTERS, REPO, letter_labels

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOT = REPO / "docs" / "img" / "review-page.png"
#: replace the README's screenshot (set to 1 when the page changes); otherwise it goes to a temporary folder
UPDATE_SCREENSHOT = os.environ.get("NOCMATCH_UPDATE_SCREENSHOT") == "1"

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    if os.environ.get("CI"):
        pytest.fail("CI must run the browser test: install Debian's chromium and chromium-driver "
                    "(.ci/run does)", pytrace=False)
    pytest.skip("Debian's chromium and chromium-driver are not installed", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(matcher):
    import uvicorn

    from nocmatch.review import create_app

    port = free_port()
    config = uvicorn.Config(create_app(matcher), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1320,2700", "--hide-scrollbars", "--force-device-scale-factor=1",
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()


def shown_panel(driver):
    from selenium.webdriver.common.by import By
    panels = [p for p in driver.find_elements(By.CSS_SELECTOR, "div.evidence") if p.is_displayed()]
    assert len(panels) == 1, "exactly one code's evidence is shown at a time"
    return panels[0]


def test_paste_submit_read_the_evidence_and_switch_codes(server, browser, matcher, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.ui import WebDriverWait

    row = next(r for r in letter_labels() if r["title_mismatch"] == "true" and r["scope"] == "tech")
    text = (LETTERS / row["file"]).read_text(encoding="utf-8")
    claimed, supported = row["title_code"], row["expected_code"]
    expected = {code: matcher.match(text, evidence_code=code).evidence for code in (claimed, supported)}

    browser.get(server + "/")
    box = browser.find_element(By.NAME, "letter")
    box.send_keys(text)
    browser.find_element(By.NAME, "claimed_code").send_keys(claimed)
    browser.find_element(By.CSS_SELECTOR, "#letter-form button[type=submit]").click()
    WebDriverWait(browser, 120).until(ec.presence_of_element_located((By.ID, "evidence")))

    # the title says one code, the duties another: the consultant is told so first
    warnings = browser.find_element(By.ID, "warnings").text
    assert "Title mismatch" in warnings and claimed in warnings and supported in warnings
    assert claimed in browser.find_element(By.ID, "claimed").text

    # the claimed code's evidence table: every official duty, missing ones marked
    panel = shown_panel(browser)
    assert panel.get_attribute("data-code") == claimed
    rows = panel.find_elements(By.CSS_SELECTOR, "table.duties tr.duty")
    assert len(rows) == len(expected[claimed].duties)
    missing = panel.find_elements(By.CSS_SELECTOR, "tr.duty.missing")
    assert len(missing) == sum(not d.evidenced for d in expected[claimed].duties) > 0
    assert all("✗ missing" in r.text for r in missing)
    marked = missing[0].find_element(By.CSS_SELECTOR, ".mark")
    assert marked.is_displayed() and marked.value_of_css_property("color") == "rgba(179, 38, 30, 1)"  # --bad
    claimed_text = panel.text

    # switch to the code the duties support: its evidence replaces the claimed code's
    requests_before = browser.execute_script("return performance.getEntriesByType('navigation').length"
                                             " + performance.getEntriesByType('resource').length")
    Select(browser.find_element(By.ID, "evidence-code")).select_by_value(supported)
    panel = shown_panel(browser)
    assert panel.get_attribute("data-code") == supported and panel.text != claimed_text
    supported_missing = panel.find_elements(By.CSS_SELECTOR, "tr.duty.missing")
    assert len(supported_missing) == sum(not d.evidenced for d in expected[supported].duties)
    assert len(supported_missing) < len(missing)

    # the ranking's buttons switch too, and none of this asked the server for anything
    browser.find_element(By.CSS_SELECTOR, f'button.show-evidence[data-code="{claimed}"]').click()
    assert shown_panel(browser).get_attribute("data-code") == claimed
    assert browser.execute_script("return performance.getEntriesByType('navigation').length"
                                  " + performance.getEntriesByType('resource').length") == requests_before

    # the inline style and script ran under the page's Content-Security-Policy, and nothing was refused
    refused = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]
               or "Refused" in e["message"]]
    assert not refused, refused

    shot = SCREENSHOT if UPDATE_SCREENSHOT else tmp_path / SCREENSHOT.name
    browser.execute_script("window.scrollTo(0, 0)")
    assert browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


def test_a_bad_letter_shows_the_message_in_the_page(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/")
    browser.find_element(By.NAME, "letter").send_keys("Dear Sir, thank you. Sincerely, Jane")
    browser.find_element(By.CSS_SELECTOR, "#letter-form button[type=submit]").click()
    error = WebDriverWait(browser, 60).until(ec.visibility_of_element_located((By.ID, "error")))
    assert "no duty sentences" in error.text
    assert "Traceback" not in browser.page_source



def test_report_printed_to_pdf_by_chromium(home, tmp_path):
    import subprocess
    import sys

    from pypdf import PdfReader

    row = next(r for r in letter_labels() if r["title_mismatch"] == "true" and r["scope"] == "tech")
    out = tmp_path / "review.pdf"
    proc = subprocess.run([sys.executable, "-c", "from nocmatch.cli import main; main()", "report",
                           str(LETTERS / row["file"]), "--out", str(out), "--pdf", "--code", row["title_code"]],
                          capture_output=True, env=dict(os.environ, NOCMATCH_HOME=str(home)), timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    assert out.read_bytes().startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Title mismatch" in text and "missing" in text and row["title_code"] in text
    assert "Ranking" in text and "Review the letter" not in text  # the print view: no form
