"""``nocmatch eoi``: a thin typer command over :class:`nocmatch.eoi.score.EoiScorer`.

The main CLI registers it with its own ``--data-dir``/``--models-dir``/``--model`` option objects::

    app.command("eoi")(eoi_command(DataOption, ModelsOption, ModelOption))

so this module never imports ``nocmatch.cli``. Heavy imports happen inside the command so
``nocmatch --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, Optional

import typer

from nocmatch.errors import InputError


def eoi_command(data_option, models_option, model_option) -> Callable[..., None]:
    """The ``eoi`` command function, using the main CLI's shared option objects."""

    def eoi(
        profile: Optional[Path] = typer.Option(None, "--profile", help="the applicant's answers (TOML; see --template)"),
        grid: Optional[str] = typer.Option(None, "--grid", help="grid version: OWP2026 (current, default) or G2022 (legacy)"),
        stream: Optional[str] = typer.Option(
            None, "--stream", help="stream of the grid (OWP2026: OWP, PHYSICIAN; G2022: FW, IS, IDS, MASTERS, PHD)"),
        letter: Optional[str] = typer.Option(None, "--letter", help="take the NOC code from this letter's best match"),
        relocate: bool = typer.Option(False, "--relocate", metavar="", help="compare the total in 12 Ontario cities"),
        to: Optional[str] = typer.Option(None, "--to", help="places to compare instead, comma-separated (implies --relocate)"),
        template: bool = typer.Option(False, "--template", metavar="", help="print a profile with every field, commented"),
        as_json: bool = typer.Option(False, "--json", metavar="", help="machine-readable output (stable keys)"),
        data_dir: Optional[Path] = data_option,
        models_dir: Optional[Path] = models_option,
        model: str = model_option,
    ) -> None:
        """OINP Expression of Interest points for a profile, on the current or the legacy grid."""
        run_eoi(profile, grid, stream, letter, relocate, to, template, as_json, data_dir, models_dir, model)

    return eoi


def run_eoi(profile: Optional[Path], grid: Optional[str], stream: Optional[str], letter: Optional[str],
            relocate: bool, to: Optional[str], template: bool, as_json: bool, data_dir: Optional[Path],
            models_dir: Optional[Path], model: str) -> None:
    """What ``nocmatch eoi`` does with its options (see ``nocmatch eoi --help``)."""
    from nocmatch.eoi.profile import TEMPLATE, Profile

    if template:
        sys.stdout.write(TEMPLATE)
        return
    if profile is None:
        raise InputError("give --profile profile.toml (write one with `nocmatch eoi --template > profile.toml`)")
    from nocmatch.eoi.score import DEFAULT_PLACES, EoiScorer, letter_match

    answers = Profile.from_toml(profile)
    places = None
    if to is not None:
        places = [p.strip() for p in to.split(",") if p.strip()]
        if not places:
            raise InputError("--to needs place names, comma-separated, e.g. --to Waterloo,Sudbury")
    elif relocate:
        places = list(DEFAULT_PLACES)
    found = None
    if letter is not None:
        from nocmatch.letter.readers import read_letter
        from nocmatch.matcher import Matcher

        text, name = read_letter(letter)
        matcher = Matcher.load(data_dir, models_dir, model)
        found = letter_match(matcher.match(text, name=name), answers.noc)
        scorer = EoiScorer(matcher.catalog)
    else:
        scorer = EoiScorer.load(data_dir)
    report = scorer.report(answers, grid=grid, stream=stream, relocate_to=places, letter=found)
    if as_json:
        sys.stdout.write(report.to_json() + "\n")
    else:
        from nocmatch.eoi.report import print_eoi_report
        from nocmatch.present.console import out
        print_eoi_report(out, report)
