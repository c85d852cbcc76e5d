"""HTML for the review page and the standalone report (Jinja2, autoescaped).

Everything from the letter reaches the HTML through Jinja2's autoescaping; the only unescaped
inserts are this package's own stylesheet and script. Both are inline (the page works offline
and the report is one file) and are allowed by a Content-Security-Policy that lists their
sha256 hashes, so no other script or style can run even if something slipped through.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from markupsafe import Markup

from nocmatch.config import TECH_CODES, UNIT_GROUPS
from nocmatch.present.report import POSITIONS_CAUTION, dates_of, months_of, position_notes
from nocmatch.results import Candidate
from nocmatch.review.model import ALL_SET_EVIDENCE_CODES, Review

VERDICT_CLASS = {"supported": "ok", "weak": "warn", "not supported": "bad"}
WARNING_LABEL = {
    "title_mismatch": "Title mismatch", "out_of_scope": "Out of scope", "alternative_code": "Alternative code",
    "verbatim_copy": "Copied from the NOC", "copies_set_aside": "NOC copies set aside", "few_duties": "Few duties",
    "needs_review": "Needs review",
}


@dataclass
class FormState:
    """What the form shows: the consultant's last input (the letter text is echoed back escaped)."""

    letter: str = ""
    candidate_set: str = "tech"
    claimed_code: str = ""


@dataclass(frozen=True)
class Assets:
    """The inline stylesheet and script, and the CSP that admits exactly them."""

    css: str
    js: str
    csp: str = field(default="")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@lru_cache(maxsize=1)
def assets() -> Assets:
    folder = resources.files("nocmatch.review") / "static"
    css = (folder / "review.css").read_text(encoding="utf-8")
    js = (folder / "review.js").read_text(encoding="utf-8")
    csp = (f"default-src 'none'; script-src {_sha256(js)}; style-src {_sha256(css)}; img-src 'none'; "
           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
    return Assets(css, js, csp)


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("nocmatch.review", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["found_text"] = found_text
    env.globals.update(unit_groups=UNIT_GROUPS, verdict_class=lambda v: VERDICT_CLASS.get(v, ""),
                       warning_label=lambda k: WARNING_LABEL.get(k, k.replace("_", " ").capitalize()),
                       # a position's dates and months, worded as `nocmatch match` prints them
                       dates_of=dates_of, months_of=months_of, position_notes=position_notes,
                       positions_caution=POSITIONS_CAUTION,
                       candidate_in=candidate_in)
    return env


def candidate_in(candidates: list[Candidate], code: str) -> Candidate | None:
    """The candidate of ``code`` in a ranking (a position's), or None."""
    return next((c for c in candidates if c.code == code), None)


def found_text(found) -> str:
    """The text the completeness check found: a string, a list of strings, or nothing."""
    if found is None or found == "" or found == []:
        return "—"
    if isinstance(found, (list, tuple)):
        return "; ".join(str(f) for f in found)
    return str(found)


def _render(template: str, **context) -> str:
    a = assets()
    return _environment().get_template(template).render(
        css=Markup(a.css), js=Markup(a.js), csp=a.csp, tech_codes=TECH_CODES,
        evidence_limit=ALL_SET_EVIDENCE_CODES, **context)


def render_page(review: Review | None = None, form: FormState | None = None, error: str | None = None,
                code_titles: dict[str, str] | None = None) -> str:
    """The review page: the form, then the error or the review."""
    return _render("page.html", review=review, form=form or FormState(), error=error,
                   code_titles=code_titles or {})


def render_report(review: Review) -> str:
    """The review as one standalone, printable HTML file (no form, no external assets)."""
    return _render("report.html", review=review)
