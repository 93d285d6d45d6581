# SPDX-License-Identifier: GPL-2.0
"""oomlab replay on the parse fixtures: a case and an expected file for every event with a
whole task table, valid, run here (a memory cgroup of the domain's size) with the field's
victim killed again, or refused with a clear reason; bad input starts nothing."""
import json
import os
import pathlib
import re
import select
import signal
import subprocess
import time

import pytest

from conftest import FIXTURES, OOMLAB, assert_clean, needs_cases, oomlab

PARSE = FIXTURES / "parse"
LOGS = sorted(p for p in PARSE.iterdir() if p.suffix in (".log", ".kmsg"))
# Why an event is not replayed, as replay says it; every refusal must be one of these.
REFUSALS = ("it logs no kill", "it has no task table", "the kernel did not choose by badness (",
            "vm.oom_kill_allocating_task chose it", "before the trigger allocates",
            "the report does not give the domain's size", "an OOM origin in KSM's unmerge",
            "a global OOM's swapoff caller")


def events():
    for log in LOGS:
        parsed = json.loads(oomlab("parse", log).stdout)["events"]
        for n in range(1, len(parsed) + 1):
            yield log, n


EVENTS = list(events())


def nested_pids(ktap):
    """The pids of the oomlab runs replay started, from their KTAP headers."""
    return [int(p) for p in re.findall(r"cgroups below \S*/oomlab\.(\d+)", ktap)]


def replay_tmp_dirs():
    return set(pathlib.Path("/var/tmp").glob("oomlab-replay.*"))


@pytest.mark.parametrize("log,n", EVENTS, ids=[f"{p.name}-{n}" for p, n in EVENTS])
def test_every_event_is_written_or_refused_with_a_reason(tmp_path, log, n):
    out = tmp_path / "replay"
    r = oomlab("replay", "--no-run", "--write", out, "--event", n, log)
    if r.returncode:
        assert r.returncode == 1 and "cannot be replayed: " in r.stderr, r.stderr
        assert any(why in r.stderr for why in REFUSALS), r.stderr
        assert not out.exists()   # nothing written
        return
    case = next(out.glob("*.case"))
    assert re.match(rf"^# wrote {out}/replay-\S+\.case and replay-\S+\.expect: oomlab --cases {out} "
                    rf"--expected {out} {case.stem}$", r.stdout.splitlines()[0]), r.stdout
    assert all(line.startswith("# replay: ") for line in r.stdout.splitlines()[1:]), r.stdout
    v = oomlab("--cases", out, "--expected", out, "--validate", case.stem)
    assert v.returncode == 0, v.stdout + v.stderr
    text = case.read_text()
    assert f"{log}, lines " in text and "[case]" in text and "trigger = yes" in text
    expect = case.with_suffix(".expect").read_text()
    victim = re.search(r"^killed = (\S+)$", expect, re.M)[1]
    assert f"first_victim = {victim}" in expect


def test_enough_fixtures_are_replayed(tmp_path):
    written = sum(oomlab("replay", "--no-run", "--write", tmp_path / f"{log.stem}-{n}", "--event", n,
                         log).returncode == 0 for log, n in EVENTS)
    assert written >= 50, written




@needs_cases
@pytest.mark.parametrize("log,n", EVENTS, ids=[f"{p.name}-{n}" for p, n in EVENTS])
def test_replayed_here_the_field_victim_dies_again(tmp_path, log, n):
    """Each event that can be replayed, run on this host: the same victim, or SKIP with the
    reason (a negative oom_score_adj needs CAP_SYS_RESOURCE)."""
    before = replay_tmp_dirs()
    r = oomlab("replay", "--event", n, log, timeout=300)
    if "cannot be replayed" in r.stderr:
        pytest.skip(r.stderr.strip().split("cannot be replayed: ", 1)[1][:200])
    last = r.stdout.splitlines()[-1]
    if r.returncode == 4:
        # a negative adj without CAP_SYS_RESOURCE; an OOM origin's swap file where swapon fails
        assert re.search(r"# SKIP .*(CAP_SYS_RESOURCE|swap)", r.stdout), r.stdout[-2000:]
        assert last.endswith("not run here (the reason is above)")
    elif "# replay: by this kernel's formula the replay kills" in r.stdout:
        # a sacrificed child, a victim that was not the top: this kernel chooses otherwise
        assert r.returncode == 1 and "first_victim: expected" in r.stdout, r.stdout[-3000:]
        assert last.endswith("not the field's victim, or the case failed (the checks above say what happened)")
    else:
        assert r.returncode == 0, r.stdout[-3000:]
        assert last.endswith(": the same victim as in the field"), last
    assert replay_tmp_dirs() == before       # its own folder went
    assert_clean(nested_pids(r.stdout))


def test_tasks_of_one_mm_are_replayed_as_sharers_of_one(tmp_path):
    """Rows of one mm hold their memory once: the victim's group as the trigger (sharedmm,
    which allocates) or as an idle with --sharers; the kill line may name any of them."""
    bomb = tmp_path / "bomb"
    r = oomlab("replay", "--no-run", "--write", bomb, "--event", "5", PARSE / "6.1-v2-guest.log")
    assert r.returncode == 0, r.stderr
    case = (bomb / "replay-bomb.case").read_text()
    assert "run = sharedmm --children 4 --size max\ntrigger = yes" in case, case
    assert case.count("[process ") == 1 and case.count("which looks like it shares its mm") == 4
    expect = (bomb / "replay-bomb.expect").read_text()
    assert "killed = bomb\nfirst_victim = bomb\ndmesg = Killed process [0-9]+ \\(bomb\\)" in expect
    workers = tmp_path / "workers"
    r = oomlab("replay", "--no-run", "--write", workers, PARSE / "hand-3.10-memcg-v1-sharers.log")
    assert r.returncode == 0, r.stderr
    case = (workers / "replay-worker.case").read_text()
    assert re.search(r"^\[process worker\]\nrun = idle --rss \d+K --sharers 2 --touch populate$",
                     case, re.M), case
    assert "# replay: worker (pid 4702) and 2 more rows with the same total_vm" in r.stdout


@needs_cases
def test_a_written_case_runs_unchanged(tmp_path):
    log = PARSE / "hand-rhel6-2.6.32-backport.log"
    r = oomlab("replay", "--no-run", "--write", tmp_path, log)
    assert r.returncode == 0, r.stderr
    run = oomlab("--cases", tmp_path, "--expected", tmp_path, "replay-mysqld", timeout=300)
    assert run.returncode == 0 and "ok 1 replay-mysqld" in run.stdout, run.stdout[-3000:]
    assert (tmp_path / "replay-mysqld.case").exists()   # kept
    r = oomlab("replay", "--no-run", "--write", tmp_path, log)
    assert r.returncode == 1 and "create" in r.stderr and "File exists" in r.stderr  # not overwritten


def test_bad_input_starts_nothing(tmp_path):
    before = replay_tmp_dirs()
    guest = PARSE / "6.1-v2-guest.log"
    cases = [
        (["--event", "2", guest], "cannot be replayed: it has no task table"),
        (["--event", "99", guest], "no event 99: "),
        ([guest], "holds 6 OOM events with a kill: choose one with --event N"),
        ([PARSE / "hand-2.6.32-panic-on-oom.log"], "holds no OOM event with a kill (1 without one): nothing to replay"),
        (["--event", "1", PARSE / "hand-2.6.32-panic-on-oom.log"], "cannot be replayed: it logs no kill"),
        (["--scale", "100000", PARSE / "hand-rhel6-2.6.32-backport.log"], "below 8M the stressors' own memory decides"),
        (["--scale", "0.5", PARSE / "hand-rhel6-2.6.32-backport.log"], "--scale 0.5: expected auto or a factor of 1 or more"),
        (["--keep", "1", PARSE / "hand-rhel6-2.6.32-backport.log"], "--keep 2 or more"),
        (["--no-run", PARSE / "hand-rhel6-2.6.32-backport.log"], "--no-run without --write would do nothing"),
        ([tmp_path / "missing.log"], "missing.log"),
    ]
    for args, message in cases:
        r = oomlab("replay", "--write", tmp_path / "out", *args) if args[0] != "--no-run" else oomlab("replay", *args)
        assert r.returncode in (1, 2) and message in r.stderr, (args, r.stderr)
        assert r.stdout == "" and not (tmp_path / "out").exists(), args
    assert replay_tmp_dirs() == before


def start_replay(*args):
    return subprocess.Popen([OOMLAB, "replay", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for_folder(before, proc):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        if replay_tmp_dirs() - before:
            return
        time.sleep(0.005)
    pytest.fail("replay never made its folder")


def wait_for_output(proc, text, timeout=60):
    """Read proc's stdout (raw, so nothing waits in a buffer) until text shows."""
    seen, deadline = b"", time.monotonic() + timeout
    while text.encode() not in seen:
        if time.monotonic() > deadline or proc.poll() is not None:
            pytest.fail(f"no {text!r} from replay: {seen.decode(errors='replace')[-2000:]}")
        if select.select([proc.stdout], [], [], 0.1)[0]:
            seen += os.read(proc.stdout.fileno(), 65536)


@needs_cases
def test_ctrl_c_and_a_killed_replay_leave_nothing():
    """Ctrl-C (the whole group): the run it started cleans up, then replay removes its own
    folder. SIGKILLed: its journal has the folder undone by the next oomlab run."""
    log = PARSE / "6.18-v1-adj-max-small-first.kmsg"
    before = replay_tmp_dirs()
    proc = start_replay("--event", "1", log)
    wait_for_folder(before, proc)
    os.killpg(proc.pid, signal.SIGINT)
    out, _ = proc.communicate(timeout=120)
    assert replay_tmp_dirs() == before
    assert not pathlib.Path(f"/run/oomlab/journal.{proc.pid}").exists()
    assert_clean(nested_pids(out))

    proc = start_replay("--event", "1", log)
    # once the run it started is past its own start (where it undoes what dead runs left,
    # this replay's folder among them once it is dead), kill replay alone: that run goes
    # on and ends, the folder stays for the next run
    wait_for_output(proc, "cases run in cgroups below")
    proc.kill()
    out, _ = proc.communicate(timeout=120)
    left = replay_tmp_dirs() - before
    assert left and pathlib.Path(f"/run/oomlab/journal.{proc.pid}").exists()
    r = oomlab("no-oom-below-limit", timeout=300)
    assert f"left by an earlier run (/run/oomlab/journal.{proc.pid}): undid 'dir " in r.stdout, r.stdout
    assert replay_tmp_dirs() == before


FIELD = pathlib.Path(__file__).resolve().parent.parent.parent / "shared" / "field-reports"


@needs_cases
@pytest.mark.skipif(not FIELD.is_dir(), reason=f"no field reports beside the repository ({FIELD})")
@pytest.mark.parametrize("name", [
    # a RHEL 8 host's OOM posted in public (rsyslog #012 escapes, 7-digit pids): varnish's
    # cache-main dies again here
    "012-rhel8-4.18-varnish-rsyslog-012-escapes.log",
    # a Kubernetes pod's memcg v1 OOM, a paste cut after the table, two tasks at adj 999
    # within 1% of each other: cdi-importer dies again here
    "015-k8s-kubevirt-cdi-importer-memcg-v1-dirty-cache-partial.log",
])
def test_a_real_incident_replayed_here(name):
    r = oomlab("replay", FIELD / name, timeout=300)
    assert r.returncode == 0 and r.stdout.splitlines()[-1].endswith("the same victim as in the field"), r.stdout[-3000:]


@pytest.mark.skipif(not FIELD.is_dir(), reason=f"no field reports beside the repository ({FIELD})")
def test_a_real_report_without_a_kill_is_not_replayed():
    """A MIPS router's panic_on_oom=2: the kernel panicked; nothing to replay, nothing left."""
    log = FIELD / "010-mips-router-3.4-rt-panic-on-oom-2-no-kill.log"
    before = replay_tmp_dirs()
    r = oomlab("replay", log)
    assert r.returncode == 1 and "holds no OOM event with a kill" in r.stderr, r.stderr
    assert r.stdout == "" and replay_tmp_dirs() == before
