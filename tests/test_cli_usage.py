"""What every user meets first: usage mistakes, help texts, and folders nocmatch cannot write."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LETTERS, run_cli

LETTER = LETTERS / "l05_software-dev-websites.txt"


def run_main(args: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    """The console entry point with ``args`` on a wide terminal; returns (exit, out, err)."""
    monkeypatch.setenv("COLUMNS", "160")
    return run_cli(monkeypatch, capsys, *args)


@pytest.mark.parametrize("args, says", [
    ([], "Usage:"),
    (["mach", "x"], "No such command 'mach'"),
    (["match"], "Missing argument 'LETTER'"),
    (["match", str(LETTER), "--evidence", "true"], "unexpected extra argument"),
    (["serve", "--port", "70000"], "--port"),
    (["match", str(LETTER), "--top", "0"], "--top"),
    (["show"], "Missing argument 'CODE'"),
])
def test_usage_mistakes_print_the_usage_and_exit_2(args, says, monkeypatch, capsys):
    code, out, err = run_main(args, monkeypatch, capsys)
    assert code == 2
    assert says in out + err
    assert "internal error" not in out + err and "Traceback" not in out + err


@pytest.mark.parametrize("command", ["match", "batch", "check", "report", "show", "ingest", "serve", "eoi"])
def test_help_shows_no_type_placeholders(command, monkeypatch, capsys):
    code, out, _ = run_main([command, "--help"], monkeypatch, capsys)
    assert code == 0
    # a flag of ours takes no value (typer's own --help is typer's); an argument is named in capitals
    flags_with_a_type = [line for line in out.splitlines() if "<bool>" in line and "--help" not in line]
    assert flags_with_a_type == []
    assert "{letter}" not in out and "{code}" not in out and "{source}" not in out


def test_every_option_of_show_has_help(monkeypatch, capsys):
    _, out, _ = run_main(["show", "--help"], monkeypatch, capsys)
    json_line = next(line for line in out.splitlines() if "--json" in line)
    assert "JSON" in json_line.replace("--json", "")


def test_all_says_how_many_rows_it_does_not_print(home, monkeypatch, capsys):
    monkeypatch.setenv("NOCMATCH_HOME", str(home))
    code, out, _ = run_main(["match", str(LETTER), "--all"], monkeypatch, capsys)
    assert code == 0
    assert "and 501 more codes not shown" in out and "--top N" in out


def test_a_good_run_exits_0(home, monkeypatch, capsys):
    monkeypatch.setenv("NOCMATCH_HOME", str(home))
    code, out, _ = run_main(["match", str(LETTER), "--top", "3"], monkeypatch, capsys)
    assert code == 0 and "21234" in out


def _can_mount_read_only() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount --bind -o ro / / 2>/dev/null || exit 1"],
                           capture_output=True)
    return probe.returncode == 0


def test_a_read_only_models_folder_with_a_damaged_cache_is_one_line(home, noc_dir, tmp_path):
    """Ingest must rebuild a damaged cache; in a folder that cannot be written, say so at once."""
    if not _can_mount_read_only():
        if os.environ.get("CI"):
            pytest.fail("CI runs as root with unshare: the read-only folder test must run there")
        pytest.skip("needs root and unshare to mount a folder read-only (root ignores file modes)")
    copy = tmp_path / "home"
    shutil.copytree(home / "data", copy / "data", copy_function=os.link)
    shutil.copytree(home / "models", copy / "models", copy_function=os.link)
    cache = next((copy / "models").glob("*/catalog-*.f32"))
    damaged = bytearray(cache.read_bytes())
    damaged[100:104] = b"XXXX"
    cache.unlink()  # a new file: the hard link shares the test home's bytes
    cache.write_bytes(bytes(damaged))
    models = copy / "models"
    script = (f"mount --bind -o ro {models} {models} && "
              f"{Path(sys.executable).with_name('nocmatch')} ingest --source {noc_dir}")
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, NOCMATCH_HOME=str(copy), COLUMNS="300"))
    assert proc.returncode == 5
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write the embedding cache" in lines[0] and "Read-only" in lines[0]
