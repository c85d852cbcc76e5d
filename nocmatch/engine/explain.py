"""Explain: the warnings a reader of a match needs, in words."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from nocmatch.checklist.completeness import MIN_DUTIES
from nocmatch.engine.decide import Decision
from nocmatch.results import MatchWarning, TitleCheck

#: What a copied sentence is (:func:`nocmatch.engine.evidence.copied_sentences`).
COPIES = "near-verbatim copies of NOC duty or lead-statement text"


def match_warnings(decision: Decision, pool: Sequence[str], title_check: TitleCheck,
                   copies: list[tuple], duty_sentences: int, title_of: Callable[[str], str]) -> list[MatchWarning]:
    """The warnings of one match, in the order a reader should see them.

    ``copies`` are the duty sentences that copy NOC text (:func:`nocmatch.engine.evidence.copied_sentences`).
    """
    best, overall = decision.best, decision.overall
    warnings: list[MatchWarning] = []
    if title_check.code and title_check.code != decision.duties_say:
        warnings.append(MatchWarning("title_mismatch",
            f"title says {title_check.code} ({title_of(title_check.code)}, from "
            f"'{title_check.title}'), duties say {decision.duties_say} ({title_of(decision.duties_say)})"))
    if decision.outside_by_score:
        warnings.append(MatchWarning("out_of_scope",
            f"the duties fit {overall.code} {title_of(overall.code)} (score {overall.score:.2f}) "
            f"better than any candidate code (best {best.code}, score {best.score:.2f})"))
    elif decision.outside_by_support:
        warnings.append(MatchWarning("out_of_scope",
            f"the duties support {overall.code} {title_of(overall.code)} (chance a reviewer calls it "
            f"supported {overall.support_probability:.2f}) and no candidate code (best {best.code}, "
            f"{best.support_probability:.2f})"))
    elif overall.code not in pool and overall.score > best.score:
        excluded = (f"; the NOC excludes {title_of(best.code).lower()} from {overall.code} (see {best.code})"
                    if decision.excluded_there else "")
        warnings.append(MatchWarning("alternative_code",
            f"{overall.code} {title_of(overall.code)} scores higher than the best candidate "
            f"({overall.score:.2f} vs {best.score:.2f}), though not enough to call the letter another occupation; "
            f"check that the duties are not that occupation's{excluded}"))
    if copies:
        codes = sorted({c for _, c, _ in copies})
        warnings.append(MatchWarning("verbatim_copy",
            f"{len(copies)} of {duty_sentences} duty sentences are {COPIES} ({', '.join(codes)}); "
            "officers distrust letters that paste the NOC"))
    if duty_sentences < MIN_DUTIES:
        warnings.append(MatchWarning("few_duties", f"only {duty_sentences} duty sentence(s) found; "
                                              "an officer expects the main duties to be listed"))
    if decision.reasons:
        warnings.append(MatchWarning("needs_review", "; ".join(decision.reasons)))
    return warnings


def copies_set_aside(copies: list[tuple], duty_sentences: int, pasted_answer: str, own_answer: str,
                     title_of: Callable[[str], str]) -> MatchWarning:
    """The warning of a letter whose own sentences contradict the NOC text it pastes (they decided)."""
    codes = ", ".join(sorted({c for _, c, _ in copies}))
    return MatchWarning("copies_set_aside",
        f"{len(copies)} of {duty_sentences} duty sentences are {COPIES} ({codes}); "
        f"with them the letter points to {pasted_answer} {title_of(pasted_answer)}, but its own "
        f"{duty_sentences - len(copies)} sentences point to {own_answer} {title_of(own_answer)}, and a copied duty "
        "counts only when the rest of the letter does not contradict it: this match is of the letter's own sentences")
