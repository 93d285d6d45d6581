# SPDX-License-Identifier: GPL-2.0
"""oomlab under faults: killed at random moments (the next run must leave nothing behind),
interrupted at random moments (it must clean up and say Bail out!), and two suites at
once on one machine (both must pass). bench/faults.sh runs many more of the same."""
import os
import random
import signal
import subprocess
import time

import pytest

from conftest import OOMLAB, Ktap, leftovers, needs_cases, oomlab

pytestmark = needs_cases

# Cases that make what a killed run leaves behind: swap files, tmpfs files, SysV
# segments, fork bombs in their cgroups, frozen twins on v1.
MAKERS = ["swapoff-caller-first", "shmem-sysv-outlives-owner", "shmem-tmpfs-outlives-owner",
          "forkbomb-cleanup", "mlock-beats-swap", "unlocked-swaps", "forkbomb-biggest-killed",
          "hog-killed"]

SEED = int(os.environ.get("OOMLAB_FAULT_SEED", time.time()))
KILLS = int(os.environ.get("OOMLAB_FAULT_KILLS", "6"))


def start_after_header(args):
    """Start oomlab and return once it has printed its KTAP header (its signals are set up)."""
    proc = subprocess.Popen([OOMLAB, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    first = proc.stdout.readline()
    assert first == "TAP version 13\n", first
    return proc


def test_random_sigkills_leave_nothing_after_the_next_run():
    rng = random.Random(SEED)
    recovered = undone = 0
    for n in range(KILLS):
        cases = rng.sample(MAKERS, 4)
        delay = rng.uniform(0.0, 2.5)
        proc = start_after_header(cases)
        time.sleep(delay)
        proc.kill()
        proc.communicate()
        # The next run undoes what the journal of the dead one lists.
        r = oomlab("no-oom-below-limit")
        assert r.returncode == 0, f"seed {SEED}, kill {n} after {delay:.2f} s: {r.stdout}"
        left = leftovers([proc.pid, r.pid])
        assert left == [], (f"seed {SEED} (OOMLAB_FAULT_SEED), kill {n} after {delay:.2f} s of "
                            f"{cases}: left behind after the next run: {left}")
        entries = r.stdout.count("left by an earlier run")
        recovered += entries > 0
        undone += entries
    report = os.environ.get("OOMLAB_FAULT_REPORT")
    if report:
        with open(report, "w") as f:
            f.write(f"{KILLS} kills; after {recovered} of them the next run undid what the dead "
                    f"run had left ({undone} journal entries in all); nothing left after any\n")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_at_a_random_moment_cleans_up_and_bails_out(sig):
    rng = random.Random(SEED + sig)
    for n in range(3):
        delay = rng.uniform(0.0, 2.0)
        proc = start_after_header(MAKERS)
        time.sleep(delay)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=120)
        where = f"seed {SEED}, {sig.name} after {delay:.2f} s"
        assert proc.returncode == 1, f"{where}: {out}{err}"
        assert "Bail out! interrupted: cleaned up and stopped" in out, f"{where}: {out}"
        left = leftovers([proc.pid])
        assert left == [], f"{where}: left behind: {left}"


def test_two_suites_at_once_both_pass():
    # Every host case, swap cases included, from two runs that share the machine.
    procs = [subprocess.Popen([OOMLAB], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=1200)[0] for p in procs]
    for p, out in zip(procs, outs):
        k = Ktap(out)
        failed = [n for n in k.order if not k.results[n]["ok"]]
        assert p.returncode == 0 and not failed, out
        assert not [n for n in k.order if "not judged" in (k.results[n]["reason"] or "")], out
    assert leftovers([p.pid for p in procs]) == []
