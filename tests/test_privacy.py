"""Nothing leaves the machine and nothing is kept: checked on real processes, not on our own code's intent.

onnxruntime records usage telemetry under ``~/.cache/Microsoft`` on every run and, in runs of ten
seconds or more, looks up Microsoft's event endpoint; these tests fail on a nocmatch that does not
turn it off in every process.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LETTERS

#: home and matcher are the small test index: nothing here depends on the other unit groups
pytestmark = pytest.mark.small_index

LETTER = LETTERS / "l05_software-dev-websites.txt"
NOCMATCH = Path(sys.executable).with_name("nocmatch")

#: A program that keeps one process matching letters for a while, as `serve` and long batches do.
MATCH_FOR_A_WHILE = """
import sys, time
from nocmatch.matcher import Matcher
matcher = Matcher.load()
text = open(sys.argv[1], encoding="utf-8").read()
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    matcher.match(text)
print("ok")
"""


def clean_environment(home: Path, tmp: Path, nocmatch_home: Path) -> dict:
    """The caller's environment with an empty HOME and temp folder, and no variable of ours set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ORT_", "HF_", "TRANSFORMERS_"))}
    env.update(HOME=str(home), TMPDIR=str(tmp), NOCMATCH_HOME=str(nocmatch_home))
    return env


def everything_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_a_match_leaves_nothing_in_home_or_temp(home, tmp_path):
    user_home, user_tmp = tmp_path / "home", tmp_path / "tmp"
    user_home.mkdir(), user_tmp.mkdir()
    proc = subprocess.run([str(NOCMATCH), "match", str(LETTER), "--json"], capture_output=True, text=True,
                          env=clean_environment(user_home, user_tmp, home), timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert '"best_code"' in proc.stdout
    assert everything_under(user_home) == []
    assert everything_under(user_tmp) == []


def test_the_library_leaves_nothing_in_home(home, tmp_path):
    user_home, user_tmp = tmp_path / "home", tmp_path / "tmp"
    user_home.mkdir(), user_tmp.mkdir()
    proc = subprocess.run([sys.executable, "-c", MATCH_FOR_A_WHILE, str(LETTER), "0.5"], capture_output=True,
                          text=True, env=clean_environment(user_home, user_tmp, home), timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert everything_under(user_home) == []


def test_importing_onnxruntime_before_nocmatch_with_telemetry_on_is_refused(home, tmp_path):
    program = ("import onnxruntime\nfrom nocmatch.matcher import Matcher\n"
               "from nocmatch.errors import NocmatchError\n"
               "try:\n    Matcher.load().match(open(%r).read())\nexcept NocmatchError as exc:\n    print(exc)\n"
               % str(LETTER))
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300,
                          env=clean_environment(tmp_path, tmp_path, home))
    assert "telemetry" in proc.stdout and "ORT_DISABLE_TELEMETRY=1" in proc.stdout


def non_loopback_traffic(trace: str) -> list[str]:
    """strace lines that connect or send to an internet address other than this machine's loopback."""
    found = []
    for line in trace.splitlines():
        if not re.search(r"\b(?:connect|sendto|sendmsg)\(", line):
            continue
        for address in re.findall(r'inet_(?:addr|pton)\((?:AF_INET6, )?"([^"]+)"', line):
            if not ipaddress.ip_address(address).is_loopback:
                found.append(line.strip())
    return found


def test_nonloopback_traffic_is_recognised():
    # the detector itself, on the line strace printed for onnxruntime's DNS query before the fix
    line = ('4380  connect(8, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0\n'
            '4381  connect(9, {sa_family=AF_INET, sin_port=htons(8765), sin_addr=inet_addr("127.0.0.1")}, 16) = 0\n'
            '4382  connect(9, {sa_family=AF_INET6, sin6_port=htons(53), inet_pton(AF_INET6, "2001:db8::1", '
            '&sin6_addr), sin6_flowinfo=0}, 28) = 0')
    assert len(non_loopback_traffic(line)) == 2


def test_a_long_run_opens_no_connection_beyond_this_machine(home, tmp_path):
    """Twelve seconds of matching in one process (what `serve` and a long batch do), traced by strace."""
    strace = shutil.which("strace")
    if strace is None:
        if os.environ.get("CI"):
            pytest.fail("strace is needed for the network test under CI (.ci/run installs it)")
        pytest.skip("strace is not installed")
    trace = tmp_path / "trace.txt"
    proc = subprocess.run([strace, "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace),
                           sys.executable, "-c", MATCH_FOR_A_WHILE, str(LETTER), "12"],
                          capture_output=True, text=True, timeout=600,
                          env=clean_environment(tmp_path, tmp_path, home))
    assert proc.returncode == 0 and "ok" in proc.stdout, proc.stderr[-2000:]
    assert non_loopback_traffic(trace.read_text(errors="replace")) == []
