"""Dated draw facts (``draws.json``): HCP tech draws, the +600 CRS bonus, legacy EOI cut-offs.

An EOI cut-off is only compared with a total on the same grid (the same points scale): a G2022
cut-off says nothing about an OWP2026 total.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from nocmatch.eoi.results import DrawCheck, HcpFacts

DRAWS_FILE = Path(__file__).resolve().parent / "draws.json"


@lru_cache(maxsize=1)
def draw_facts() -> dict:
    return json.loads(DRAWS_FILE.read_text(encoding="utf-8"))


def hcp_facts(code: str, facts: dict | None = None) -> HcpFacts:
    """On which dates Ontario's HCP tech draws targeted ``code``; that HCP closed; the +600 CRS fact."""
    facts = facts or draw_facts()
    hcp, bonus = facts["hcp"], facts["crs_bonus"]
    lists = [name for name, spec in hcp["tech_lists"].items() if code in spec["codes"]]
    draws = [d for d in hcp["tech_draws"] if d["list"] in lists]
    dates = [d["date"] for d in draws]
    if dates:
        targeted = f"Ontario targeted NOC {code} in Human Capital Priorities tech draws on {', '.join(dates)}"
    else:
        targeted = f"NOC {code} was on no Ontario Human Capital Priorities tech-draw list (NOC 2021 era)"
    summary = (f"{targeted}; HCP closed on {hcp['closed']}; {hcp['open_express_entry_stream']}. "
               f"A nomination through an Express-Entry-aligned stream adds {bonus['points']} CRS points; "
               f"{bonus['owp_note']}.")
    return HcpFacts(code=code, targeted=bool(dates), lists=lists, draw_dates=dates, draws=draws,
                    stream_closed=hcp["closed"], open_stream=hcp["open_express_entry_stream"],
                    crs_bonus=bonus["points"], crs_bonus_fact=bonus["fact"],
                    owp_express_entry_aligned=bonus["owp_express_entry_aligned"], owp_note=bonus["owp_note"],
                    summary=summary)


def applies(draw: dict, code: str | None, category: str | None, region: str | None) -> str:
    """"yes", "maybe" or "no": could this draw have invited this occupation in this region?"""
    kind = draw["applies"]
    if kind == "region":
        return "yes" if region in draw["region"] else "no"
    if kind == "occupations":
        if code in draw["codes"]:
            return "yes"
        # a category-wide draw ("9 health occupations") may or may not list this code
        return "maybe" if category in draw["categories"] else "no"
    return "maybe"  # the targeted list is not in the spec


def draw_checks(grid: str, stream: str, total: int, code: str | None, category: str | None,
                region: str | None, facts: dict | None = None) -> list[DrawCheck]:
    """The draws on this grid and stream that could apply, newest first, each compared with ``total``."""
    facts = facts or draw_facts()
    checks = []
    for draw in facts["eoi_draws"]["draws"]:
        if draw["grid"] != grid or draw["stream"] != stream:
            continue
        verdict = applies(draw, code, category, region)
        if verdict == "no":
            continue
        checks.append(DrawCheck(date=draw["date"], grid=grid, stream=stream, targeting=draw["targeting"],
                                applies=verdict, min_score=draw["min_score"], invited=draw["invited"], total=total,
                                clears=total >= draw["min_score"], margin=total - draw["min_score"],
                                source=draw["source"]))
    checks.sort(key=lambda c: (c.date, c.applies == "yes"), reverse=True)
    return checks


def draws_note(grid: str, stream: str, facts: dict | None = None) -> str:
    """Why no cut-off is compared, when none is on this grid's scale."""
    facts = facts or draw_facts()
    if any(d["grid"] == grid and d["stream"] == stream for d in facts["eoi_draws"]["draws"]):
        return (f"cut-offs of {grid} {stream} draws (spec §6), on this grid's scale; "
                "'maybe' = the draw's occupation list is not in the spec")
    grids = sorted({d["grid"] for d in facts["eoi_draws"]["draws"]})
    return (f"no draw cut-offs on the {grid} scale for stream {stream} are known; cut-offs of "
            f"{', '.join(grids)} draws are on another scale and are not compared")
