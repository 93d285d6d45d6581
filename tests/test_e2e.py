# SPDX-License-Identifier: GPL-2.0
"""Real OOM kills on this machine's kernel: the shipped cases, cleanup, interrupts, crashes."""
import os
import pathlib
import re
import signal
import subprocess
import time

import pytest

from conftest import (CASES, OOMLAB, ROOT, STARTED, KernelLog, Ktap, assert_clean,
                      leftover_cgroups, memory_cgroup_info, needs_cases, oomlab, suite_args,
                      write_case)

pytestmark = needs_cases


@pytest.fixture(scope="module")
def suite():
    log = KernelLog()
    r = oomlab(timeout=1200)
    kills = sum("Killed process " in line for line in log.read())
    return r, Ktap(r.stdout), kills, log.lost


def test_suite_exit_code_and_plan(suite):
    r, k, _, _ = suite
    assert k.plan == len(CASES) == len(k.results), r.stdout
    assert r.returncode == 0, r.stdout


@pytest.mark.parametrize("name", CASES)
def test_case(suite, name):
    r, k, _, _ = suite
    res = k.results[name]
    if res["directive"] == "SKIP":
        pytest.skip(f"oomlab skipped it here: {res['reason']}")
    assert res["ok"], k.diags(name)


def expected_victims(name):
    """How many victims the case's expected file names (its first victims line)."""
    for line in (ROOT / "expected" / f"{name}.expect").read_text().splitlines():
        if line.startswith("victims = "):
            value = line.split("=", 1)[1].strip()
            return 0 if value == "none" else len(value.split(","))
    return 0


def test_the_kernel_log_shows_new_kills(suite):
    r, k, new_kills, lost = suite
    expected = sum(expected_victims(n) for n in CASES if k.results[n]["directive"] != "SKIP")
    assert expected > 0
    assert new_kills >= expected, (
        f"the kernel log showed {new_kills} Killed process lines during the suite, the "
        f"expected files name {expected} victims; {lost} records were overwritten in the "
        f"kernel's ring buffer before this test could read them")


def test_nothing_is_left_behind(suite):
    assert_clean([suite[0].pid])


STUCK = """\
[case]
summary = a trigger that never says done
memory.max = 64M
timeout = {timeout}

[process sleeper]
run = idle --rss 1M
trigger = yes
"""


def start_stuck(tmp_path, timeout="60s"):
    write_case(tmp_path, "stuck", STUCK.format(timeout=timeout), "[expect]\nsurvived = sleeper\n")
    proc = subprocess.Popen([OOMLAB, *suite_args(tmp_path)], stdout=subprocess.PIPE, text=True)
    STARTED.append(proc.pid)
    # Wait (bounded) until the case's process runs in its cgroup.
    root = pathlib.Path(memory_cgroup_info()["dir"])
    procs = root / f"oomlab.{proc.pid}/stuck/cgroup.procs"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if procs.exists() and procs.read_text().strip():
            return proc, procs.read_text().split()
        time.sleep(0.05)
    proc.kill()
    raise AssertionError("the stuck case never started")


def test_timeout_is_reported_and_cleaned_up(tmp_path):
    write_case(tmp_path, "stuck", STUCK.format(timeout="1s"), "[expect]\nsurvived = sleeper\n")
    r = oomlab(*suite_args(tmp_path))
    assert r.returncode == 1
    assert "not ok 1 stuck # TIMEOUT 1000 ms" in r.stdout
    assert "# timeout: the trigger did not finish within 1000 ms" in r.stdout
    assert_clean()


def test_ctrl_c_cleans_up(tmp_path):
    proc, pids = start_stuck(tmp_path)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "Bail out! interrupted" in out
    for pid in pids:
        assert not os.path.exists(f"/proc/{pid}")
    assert_clean()


def test_a_crashed_run_is_cleaned_up_by_the_next(tmp_path):
    proc, pids = start_stuck(tmp_path)
    proc.kill()  # SIGKILL: no cleanup at all
    proc.wait()
    # The stressors die with the harness (parent-death signal); the cgroup stays.
    deadline = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{p}") for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(os.path.exists(f"/proc/{p}") for p in pids)
    assert leftover_cgroups([proc.pid]) != []
    r = oomlab("no-oom-below-limit")
    assert r.returncode == 0, r.stdout
    assert f"# cleanup: left by an earlier run (/run/oomlab/journal.{proc.pid}): undid 'cgroup" in r.stdout
    assert_clean()


WRONG = "[expect]\nsurvived = hog\noom_kills = 2\nvictims = none\n"
HOG = "[case]\nsummary = a hog\nmemory.max = 64M\nswap.max = 0\n[process hog]\nrun = hog --size 256M\ntrigger = yes\n"


def test_failures_name_the_check_and_the_numbers(tmp_path):
    write_case(tmp_path, "wrong", HOG, WRONG)
    r = oomlab(*suite_args(tmp_path))
    assert r.returncode == 1
    d = Ktap(r.stdout).diags("wrong")
    where = f"{tmp_path}/expected/wrong.expect"
    assert f"{where}:2: survived: expected hog (pid " in d and "to survive, saw it killed by SIGKILL" in d
    assert f"{where}:3: oom_kills: expected 2, saw 1 (the cgroup's oom_kill counter" in d
    assert f"{where}:4: victims: expected none, saw hog in the kernel log" in d
    assert "Memory cgroup out of memory: Killed process" in d  # the report lines are shown
    assert_clean()


def test_model_disagreements_name_the_numbers(tmp_path):
    """A model_order that is false; and the model of 5.2's rules (--model-kernel) on this
    kernel: another oom_score formula, and the earlier of tied sharers as the victim."""
    case = ("[case]\nsummary = model\nmemory.max = 64M\nswap.max = 0\n[process big]\n"
            "run = idle --rss 16M --touch populate\n[process small]\nrun = idle --rss 1M\n"
            "[process hog]\nrun = hog --size 256M\ntrigger = yes\n")
    write_case(tmp_path, "order", case, "[expect]\nmodel_order = small > big\n")
    r = oomlab(*suite_args(tmp_path))
    d = Ktap(r.stdout).diags("order")
    assert re.search(r"order\.expect:2: model_order: expected small > big, saw badness small=\d+ "
                     r"big=\d+ \(domain 16384 pages\)", d), d
    write_case(tmp_path, "sharers", (ROOT / "cases/sharedmm-all-die.case").read_text(),
               (ROOT / "expected/sharedmm-all-die.expect").read_text())
    r = oomlab(*suite_args(tmp_path), "--model-kernel", "5.2", "sharers")
    assert r.returncode == 1
    d = Ktap(r.stdout).diags("sharers")
    assert re.search(r"sharers\.expect: model_score: bomb: expected oom_score \d+ from the model "
                     r"\(\d+ to \d+ allowed; 3\.5-5\.8: rss \d+ \+ swap 0 \+ pgtables \d+ pages, oom_score_adj 0, "
                     r"machine \d+ pages\), the kernel shows \d+", d), d
    assert re.search(r"sharers\.expect: model_victim: OOM event 1: expected the kernel to kill "
                     r"pid \d+ \(role bomb\), the highest badness \d+ in a domain of 16384 pages "
                     r"\(tied, the tie rule chose it\); it killed pid \d+ \(role bomb\), badness \d+", d), d
    assert "model, OOM event 1: pid" in d
    assert_clean()


def test_a_bad_case_fails_alone_in_a_real_run(tmp_path):
    write_case(tmp_path, "a-fine", HOG, "[expect]\nkilled = hog\nvictims = hog\n")
    write_case(tmp_path, "b-broken", HOG.replace("run = hog", "run = nosuch"), "[expect]\n")
    r = oomlab(*suite_args(tmp_path))
    k = Ktap(r.stdout)
    assert k.results["a-fine"]["ok"] and not k.results["b-broken"]["ok"]
    assert r.returncode == 1
    assert_clean()


def test_a_victim_still_exiting_when_the_trigger_finishes_counts_as_killed(tmp_path):
    # A 1G bystander with oom_score_adj 1000 dies first; the hog then finishes at once,
    # while the big one may still be tearing down its memory.
    case = ("[case]\nsummary = big victim\nmemory.max = 1100M\nswap.max = 0\n"
            "[process big]\nrun = idle --rss 1G --touch populate\noom_score_adj = 1000\n"
            "[process hog]\nrun = hog --size 77M --touch populate\ntrigger = yes\n")
    write_case(tmp_path, "bigvictim", case, "[expect]\nkilled = big\nsurvived = hog\nvictims = big\n")
    for _ in range(3):
        r = oomlab(*suite_args(tmp_path))
        assert r.returncode == 0, r.stdout
    assert_clean()


FAKE = """#!/bin/sh
# A stressor that misbehaves on purpose: "member 0", or it lists its open fds.
case "$*" in *--check-args*) exit 0 ;; esac
case "$0" in
*member*) echo "member 0" >&3; echo ready >&3; exec sleep 1000 ;;
*fds*) ls /proc/self/fd | tr '\\n' ' '; echo; echo ready >&3; echo done >&3; exec sleep 1000 ;;
esac
"""


def fake_stressors(tmp_path):
    d = tmp_path / "stressors"
    d.mkdir()
    for name in ("member", "fds"):
        (d / name).write_text(FAKE)
        (d / name).chmod(0o755)
    return d


def test_a_member_that_is_not_in_the_cgroup_is_refused(tmp_path):
    d = fake_stressors(tmp_path)
    write_case(tmp_path, "m", "[case]\nsummary = m\nmemory.max = 64M\n[process x]\nrun = member\n"
               "trigger = yes\n", "[expect]\nsurvived = x\n")
    r = oomlab(*suite_args(tmp_path), "--stressors", d)
    assert r.returncode == 1
    assert "said 'member 0', which is not a process of its cgroup" in r.stdout
    assert_clean()


def test_stressors_inherit_no_descriptors(tmp_path):
    d = fake_stressors(tmp_path)
    write_case(tmp_path, "f", "[case]\nsummary = f\nmemory.max = 64M\n[process x]\nrun = fds\n"
               "trigger = yes\n", "[expect]\noutput = x ^0 1 2 3 [0-9]+ $\n")
    extra = os.open("/dev/null", os.O_RDONLY)  # an inherited descriptor
    try:
        r = oomlab(*suite_args(tmp_path), "--stressors", d, pass_fds=[extra])
    finally:
        os.close(extra)
    # 0 1 2 3 and the directory ls reads /proc/self/fd with
    assert r.returncode == 0, r.stdout
    assert_clean()
