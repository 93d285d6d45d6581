# SPDX-License-Identifier: GPL-2.0
"""A machine that other programs share: OOM reports that are not the case's must neither
satisfy nor fail its log patterns, and a report the kernel suppressed because others used
up its rate limit is "not judged", not a failure. The other programs here are stressors
run by the test in a cgroup of its own, OOM-killed while a case waits."""
import os
import pathlib
import re
import subprocess
import time

import pytest

from conftest import OOMLAB, STARTED, STRESSORS, Ktap, assert_clean, needs_cases, suite_args, write_case

pytestmark = needs_cases

# A stressor stand-in: says ready, and after go leaves a file, waits for another, then
# holds (or, as "late", becomes a real hog and goes over the limit).
FAKE = """#!/bin/sh
case "$*" in *--check-args*) exit 0 ;; esac
role=$(echo "$*" | sed -n 's/.*--role \\([^ ]*\\).*/\\1/p')
echo ready >&3
read go <&3
touch "$OOMLAB_TEST_SIGNALS/go.$role"
n=0
while [ ! -e "$OOMLAB_TEST_SIGNALS/done.$role" ] && [ $n -lt 300 ]; do sleep 0.05; n=$((n+1)); done
case "$0" in
*late) exec "$OOMLAB_TEST_HOG" --role "$role" --control-fd 3 --size 256M ;;
esac
echo done >&3
exec sleep 1000
"""


@pytest.fixture
def setup(tmp_path, scratch_cgroup):
    stressors = tmp_path / "stressors"
    stressors.mkdir()
    for name in ("waiter", "late"):
        (stressors / name).write_text(FAKE)
        (stressors / name).chmod(0o755)
    signals = tmp_path / "signals"
    signals.mkdir()
    foreign = scratch_cgroup("foreign", "8M")
    env = dict(os.environ, OOMLAB_TEST_SIGNALS=str(signals), OOMLAB_TEST_HOG=str(STRESSORS / "hog"))
    return tmp_path, stressors, signals, foreign, env


def foreign_ooms(cgroup, count):
    """count OOM kills in a cgroup that is not oomlab's, one after the other."""
    def join():
        (cgroup / "cgroup.procs").write_text(str(os.getpid()))
    for _ in range(count):
        r = subprocess.run([STRESSORS / "hog", "--role", "foreign", "--size", "64M", "--touch",
                            "populate"], preexec_fn=join, capture_output=True, timeout=30)
        assert r.returncode == -9, r  # killed by the OOM killer of its own cgroup


def run_case_beside(setup, names, while_waiting):
    """Run the cases; when each one's process has had go, call while_waiting(), then let it go on."""
    tmp_path, stressors, signals, _, env = setup
    proc = subprocess.Popen([OOMLAB, *suite_args(tmp_path), "--stressors", stressors, *names],
                            stdout=subprocess.PIPE, text=True, env=env)
    STARTED.append(proc.pid)
    for name in names:
        role = name.split("-")[0]
        go = signals / f"go.{role}"
        deadline = time.monotonic() + 60
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert go.exists(), f"{name} never got go"
        while_waiting()
        (signals / f"done.{role}").touch()
    out, _ = proc.communicate(timeout=120)
    return proc.returncode, Ktap(out), out


CASE = "[case]\nsummary = waits beside another program's OOM\nmemory.max = 64M\n" \
       "[process {role}]\nrun = {stressor}\ntrigger = yes\n"


def test_other_programs_reports_neither_pass_nor_fail_a_case(setup):
    tmp_path, _, _, foreign, _ = setup
    # Nothing of this case is killed: another program's OOM during it must not count.
    write_case(tmp_path, "quiet-case", CASE.format(role="quiet", stressor="waiter"),
               "[expect]\nsurvived = quiet\nno_dmesg = invoked oom-killer\nno_dmesg = Killed process\n")
    # A pattern without a pid must not be satisfied by another program's line.
    write_case(tmp_path, "hopeful-case", CASE.format(role="hopeful", stressor="waiter"),
               "[expect]\nsurvived = hopeful\ndmesg = Killed process\n")
    rc, k, out = run_case_beside(setup, ["quiet-case", "hopeful-case"],
                                 lambda: foreign_ooms(foreign, 1))
    assert k.results["quiet-case"]["ok"], out
    assert not k.results["hopeful-case"]["ok"], out
    assert "dmesg: expected a kernel log line matching 'Killed process', saw none among the " \
           "case's 0 lines" in k.diags("hopeful-case"), out
    assert rc == 1
    assert_clean()


def test_a_report_suppressed_by_others_ooms_is_not_judged(setup):
    tmp_path, _, _, foreign, _ = setup
    write_case(tmp_path, "late-case", CASE.format(role="late", stressor="late"),
               "[expect]\nkilled = late\ndmesg = ^late invoked oom-killer\n")
    # The same, and a check the kernel log does not decide: its failure stands.
    write_case(tmp_path, "later-case", CASE.format(role="later", stressor="late"),
               "[expect]\nkilled = later\noom_kills = 2\ndmesg = ^later invoked oom-killer\n")

    def storm():
        # No OOM kill for longer than the kernel's interval (5 s): the storm then starts
        # an interval of its own, prints the first 10 reports, and the case's comes after.
        time.sleep(6)
        foreign_ooms(foreign, 12)

    rc, k, out = run_case_beside(setup, ["late-case", "later-case"], storm)
    res = k.results["late-case"]
    assert res["directive"] == "SKIP", out
    assert re.match(r"not judged: the kernel suppressed this case's OOM report \(its rate limit, "
                    r"10 full reports per 5 s for the whole machine, was used up: \d+ in the 5 s "
                    r"before, \d+ of them not this case's\)$", res["reason"]), out
    assert not k.results["later-case"]["ok"], out
    assert "later-case.expect:3: oom_kills: expected 2, saw 1" in k.diags("later-case"), out
    assert "also: the kernel suppressed this case's OOM report" in k.diags("later-case"), out
    assert rc == 1, out
    assert_clean()


def test_the_state_directory_stays_for_other_runs():
    # It is the lock concurrent runs share: removing it while another run creates its
    # journal there made that run skip every case.
    from conftest import oomlab
    r = oomlab("no-oom-below-limit")
    assert r.returncode == 0, r.stdout
    state = pathlib.Path("/run/oomlab")
    assert state.is_dir() and not list(state.glob("journal.*"))
