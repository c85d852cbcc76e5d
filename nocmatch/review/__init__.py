"""The consultant's review: a local web page (``nocmatch serve``) and a standalone HTML report.

>>> from nocmatch import Matcher
>>> from nocmatch.review import build_review, render_report
>>> html = render_report(build_review(Matcher.load(), letter_text, claimed_code="21231"))
"""

from nocmatch.review.model import Review, build_review
from nocmatch.review.render import render_page, render_report

__all__ = ["Review", "build_review", "render_page", "render_report", "create_app"]


def create_app(matcher, **options):
    """The FastAPI app of the review page (imported lazily: FastAPI is not needed for reports)."""
    from nocmatch.review.app import create_app as _create_app
    return _create_app(matcher, **options)
