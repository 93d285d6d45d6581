# SPDX-License-Identifier: GPL-2.0
"""The VM backend: the suite on Debian 12's 6.1 and 6.12 kernels under qemu, and its failures."""
import os
import pathlib
import re
import shutil
import signal
import subprocess
import time

import pytest

from conftest import BUILD, CASES, OOMLAB, ROOT, Ktap, oomlab, run
from results_check import assert_results_agree

KERNELS_DIR = pathlib.Path(os.environ.get("OOMLAB_KERNELS", BUILD / "kernels"))


def vm_missing():
    for prog, package in [("qemu-system-x86_64", "qemu-system-x86"), ("cpio", "cpio"),
                          ("apt-get", "apt")]:
        if shutil.which(prog) is None:
            return f"{prog} is missing (Debian package {package})"
    if not os.path.exists("/bin/busybox"):
        return "/bin/busybox is missing (Debian package busybox-static)"
    return None


VM_MISSING = vm_missing()
pytestmark = pytest.mark.skipif(VM_MISSING is not None, reason=str(VM_MISSING))


@pytest.fixture(scope="session")
def kernels():
    """Debian's 6.1 and 6.12 images (fetched once), and the initramfs built."""
    r = run(["make", "-s", "-C", ROOT, "initramfs"], timeout=600)
    assert r.returncode == 0, r.stderr
    r = run([ROOT / "harness/vm/fetch-kernels.sh", KERNELS_DIR], timeout=1800)
    if r.returncode:
        pytest.skip(f"cannot fetch Debian's kernel images: {r.stderr.strip()[-300:]}")
    images = r.stdout.split()
    assert len(images) == 2 and all(os.path.exists(i) for i in images), r.stdout
    return {("6.1" if "/linux-image-6.1.0-" in i else "6.12"): i for i in images}


# How each kernel's suite is started in its guest: 6.1's oomlab from the root cgroup,
# 6.12's from a non-root cgroup that holds another process, as on a systemd host where
# oomlab is started from a login shell or a CI runner's service.
START = {"6.1": [], "6.12": ["--vm-busy-cgroup"]}


@pytest.fixture(scope="session")
def suite_runs(kernels):
    """The whole suite in a guest of each kernel, run once."""
    runs = {}
    for series, image in kernels.items():
        r = oomlab("--vm-only", *START[series], "--kernel", image, timeout=3000)
        runs[series] = (r, Ktap(r.stdout))
    return runs


@pytest.mark.parametrize("series", ["6.1", "6.12"])
@pytest.mark.parametrize("case", CASES)
def test_case_in_the_guest(suite_runs, series, case):
    r, k = suite_runs[series]
    [name] = [n for n in k.order if n.endswith(":" + case)]
    res = k.results[name]
    if res["directive"] == "SKIP":
        pytest.skip(f"oomlab skipped it in the guest: {res['reason']}")
    assert res["ok"], k.diags(name)


# The cases that need swap or page cache on a disk: they skip in a guest without one.
DISK_CASES = [c for c in CASES
              if re.search(r"^(swap|needs)\s*=", (ROOT / "cases" / f"{c}.case").read_text(), re.M)]


@pytest.mark.parametrize("series", ["6.1", "6.12"])
def test_swap_and_page_cache_cases_run_on_the_guests_disk(suite_runs, series):
    r, k = suite_runs[series]
    assert len(DISK_CASES) >= 4
    assert re.search(r"^# \S+: the guest's modules from \S+: .*\bvirtio_blk\b.*\bext4\b", r.stdout,
                     re.M), r.stdout
    assert re.search(r"^# \S+: guest: /var/tmp is /dev/vda, 1024 MiB, ext2", r.stdout, re.M), r.stdout
    for case in DISK_CASES:
        [name] = [n for n in k.order if n.endswith(":" + case)]
        assert k.results[name]["directive"] != "SKIP", (name, k.results[name]["reason"])
        assert k.results[name]["ok"], k.diags(name)


@pytest.mark.parametrize("series", ["6.1", "6.12"])
def test_guest_run_exit_code_and_plan(suite_runs, series):
    r, k = suite_runs[series]
    assert k.plan == len(CASES) == len(k.results)
    assert r.returncode == 0, r.stdout


def test_started_from_a_busy_cgroup_the_cases_go_below_the_top(suite_runs):
    r, k = suite_runs["6.12"]
    assert re.search(r"^# \S+: cases run in cgroups below /oomlab\.\d+ \(the hierarchy's top: "
                     r"oomlab's own cgroup /session\.scope holds processes", r.stdout, re.M), r.stdout
    skipped = [n for n in k.order if k.results[n]["directive"] == "SKIP"]
    assert not [n for n in skipped if "memory controller" in k.results[n]["reason"]], r.stdout
    assert r.returncode == 0, r.stdout


@pytest.mark.parametrize("series", ["6.1", "6.12"])
def test_guest_sysctls_are_restored(suite_runs, series):
    r, k = suite_runs[series]
    label = re.search(r"^# (\S+): booting ", r.stdout, re.M).group(1)
    log = (BUILD / "vm-logs" / label / "boot-1.ktap.log").read_text()
    before = re.search(r"^# oomlab-guest: sysctls before:(.*)$", log, re.M).group(1)
    after = re.search(r"^# oomlab-guest: sysctls after:(.*)$", log, re.M).group(1)
    assert "vm.overcommit_memory=0" in before and before == after


def qemu_child(pid):
    """The qemu process oomlab (pid) started, or None."""
    for child in pathlib.Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        if "qemu" in pathlib.Path(f"/proc/{child}/comm").read_text():
            return int(child)
    return None


def test_killing_qemu_mid_run_is_a_clear_failure(kernels, tmp_path):
    logs = tmp_path / "logs"
    proc = subprocess.Popen([OOMLAB, "--vm-only", "--kernel", kernels["6.1"], "--vm-logs", logs,
                             "hog-killed", "no-oom-below-limit", "classic-malloc"],
                            stdout=subprocess.PIPE, text=True)
    # Once the guest's oomlab has started, kill qemu (our grandchild, by pid).
    deadline = time.monotonic() + 300
    ktap = None
    while time.monotonic() < deadline:
        found = list(logs.glob("*/boot-1.ktap.log"))
        if found and "TAP version" in found[0].read_text():
            ktap = found[0]
            break
        time.sleep(0.05)
    assert ktap, "the guest never started"
    os.kill(qemu_child(proc.pid), signal.SIGKILL)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert "qemu was ended by signal 9" in out, out
    assert re.search(r"^not ok \d+ \S+:", out, re.M), out
    assert f"# console log: {ktap.parent}/boot-1.console.log" in out


def test_a_kernel_that_does_not_boot(kernels, tmp_path):
    broken = tmp_path / "vmlinuz"
    broken.write_bytes(pathlib.Path(kernels["6.1"]).read_bytes()[:3_000_000])
    r = oomlab("--vm-only", "--kernel", broken, "--vm-logs", tmp_path / "logs", "hog-killed",
               timeout=600)
    assert r.returncode == 1
    assert re.search(r"^# boot failure: the guest never started oomlab", r.stdout, re.M), r.stdout
    assert re.search(r"^# console log: \S+/boot-1.console.log$", r.stdout, re.M)
    assert re.search(r"^not ok 1 \S+:hog-killed$", r.stdout, re.M)


def test_missing_kernel_image(tmp_path):
    r = oomlab("--vm-only", "--kernel", tmp_path / "nope", "hog-killed")
    assert r.returncode == 1
    assert f"# kernel image `{tmp_path}/nope`: No such file or directory" in r.stdout


def test_not_a_kernel_image(tmp_path):
    junk = tmp_path / "junk"
    junk.write_text("hello\n")
    r = oomlab("--vm-only", "--kernel", junk, "hog-killed")
    assert r.returncode == 1
    assert "is not a bzImage (no HdrS setup header)" in r.stdout


def test_missing_initramfs(kernels, tmp_path):
    r = oomlab("--vm-only", "--kernel", kernels["6.1"], "--initramfs", tmp_path / "none.gz",
               "hog-killed")
    assert r.returncode == 1
    assert f"initramfs `{tmp_path}/none.gz` (make initramfs builds it): No such file" in r.stdout


def test_guest_mode_is_refused_on_a_host():
    r = oomlab("--guest", "hog-killed")
    assert r.returncode == 1
    assert "lacks oomlab.guest=1: refusing to run machine-wide cases" in r.stderr


def test_machine_wide_cases_skip_on_the_host():
    r = oomlab("global-oom")
    k = Ktap(r.stdout)
    assert k.results["global-oom"]["directive"] == "SKIP"
    assert "machine-wide case: runs only inside a throw-away VM guest" in k.results["global-oom"]["reason"]


def test_a_boot_that_takes_too_long_is_a_timeout(kernels, tmp_path):
    r = oomlab("--vm-only", "--kernel", kernels["6.1"], "--vm-boot-timeout", "1s",
               "--vm-logs", tmp_path / "logs", "hog-killed", "classic-malloc")
    assert r.returncode == 1
    assert re.search(r"^not ok 1 \S+:hog-killed # TIMEOUT the boot did not finish within 1 s; qemu "
                     r"was killed$", r.stdout, re.M), r.stdout
    assert re.search(r"^# not run: the guest stopped earlier in this boot \(timeout\)$", r.stdout, re.M)
    assert re.search(r"^# console log: \S+/boot-1.console.log$", r.stdout, re.M)


# Cases that each set a sysctl first thing (VM only).
SYSCTL_CASES = "oom-dump-tasks-off,oom-kill-allocating-task,overcommit-never-ratio,overcommit-always"


def boot_direct(kernel, tmp_path, append):
    """Boot the initramfs with our own command line (TCG), as oomlab's VM backend would;
    returns the guest's KTAP log."""
    console, ktap = tmp_path / "console.log", tmp_path / "ktap.log"  # qemu appends: fresh dirs
    run(["qemu-system-x86_64", "-kernel", kernel, "-initrd", BUILD / "initramfs.cpio.gz",
         "-append", f"console=ttyS0 panic=-1 oomlab.guest=1 oomlab.boot=t {append}",
         "-m", "512", "-smp", "2", "-nographic", "-no-reboot", "-nic", "none", "-monitor", "none",
         "-serial", f"file:{console}", "-serial", f"file:{ktap}", "-accel", "tcg"], timeout=300)
    return ktap.read_text()


def test_sysctls_a_killed_guest_run_left_are_restored_by_the_next(kernels, tmp_path):
    changed = 0
    for delay in (900, 1600, 2400):
        (tmp_path / str(delay)).mkdir()
        log = boot_direct(kernels["6.12"], tmp_path / str(delay),
                          f"oomlab.timeout_scale=3 oomlab.kill_after={delay} oomlab.cases={SYSCTL_CASES}")
        killed = re.search(r"^# oomlab-guest: killed oomlab after \d+ ms; sysctls then:(.*)$", log, re.M)
        before = re.search(r"^# oomlab-guest: sysctls before:(.*)$", log, re.M)
        after = re.search(r"^# oomlab-guest: sysctls after:(.*)$", log, re.M)
        assert killed and before and after, log
        assert after.group(1) == before.group(1), log
        if killed.group(1) != before.group(1):
            changed += 1
            assert "# cleanup: left by an earlier run" in log and "undid 'sysctl /proc/sys/vm/" in log, log
    # At least one kill landed while a case had its sysctl set: the test saw a restore.
    assert changed > 0


def test_own_cases_reach_the_guest(kernels, tmp_path):
    """--cases/--expected reach the guest: a case the repository does not have, and one of its
    cases changed since the initramfs was built, run in the versions the host has; the
    guest's diagnostics name the host's files."""
    cases = tmp_path / "mine"
    cases.mkdir()
    (cases / "mine-only.case").write_text((ROOT / "cases/hog-killed.case").read_text())
    (cases / "mine-only.expect").write_text((ROOT / "expected/hog-killed.expect").read_text())
    (cases / "hog-killed.case").write_text((ROOT / "cases/hog-killed.case").read_text())
    # changed: now it expects what does not happen
    (cases / "hog-killed.expect").write_text("[expect]\nsurvived = hog\n")
    r = oomlab("--cases", cases, "--expected", cases, "--vm-only", "--kernel", kernels["6.12"],
               "--vm-logs", tmp_path / "logs", "mine-only", "hog-killed", timeout=600)
    k = Ktap(r.stdout)
    mine = next(v for n, v in k.results.items() if n.endswith(":mine-only"))
    changed = next(v for n, v in k.results.items() if n.endswith(":hog-killed"))
    assert mine["ok"] and not changed["ok"], r.stdout[-3000:]
    assert f"{cases}/hog-killed.expect:2: survived: expected hog (pid " in r.stdout
    assert not list((tmp_path / "logs").glob("*/initramfs.*"))   # the run's archive went


def test_a_global_oom_replayed_machine_wide(kernels, tmp_path):
    """oomlab replay --machine: the field's global OOM in a guest of the domain's size."""
    log = ROOT / "tests/fixtures/parse/hand-rhel6-2.6.32-backport.log"
    r = oomlab("replay", "--machine", "--kernel", kernels["6.12"], log, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:]
    assert re.search(r"^ok 1 \S+:replay-mysqld$", r.stdout, re.M), r.stdout[-3000:]
    assert r.stdout.splitlines()[-1].endswith(": the same victim as in the field")


FIELD = ROOT.parent / "shared" / "field-reports"


@pytest.mark.skipif(not (FIELD / "011-rhel6-2.6.32-mysqld-victim-small-rss-huge-table.log").exists(),
                    reason=f"no field reports beside the repository ({FIELD})")
def test_a_real_incident_replayed_in_a_guest(kernels):
    """A RHEL 6 host's OOM posted in public: mysqld, 308th of 793 by its table but first by
    the swap its printed score shows, dies again in a 6.12 guest."""
    r = oomlab("replay", "--kernel", kernels["6.12"],
               FIELD / "011-rhel6-2.6.32-mysqld-victim-small-rss-huge-table.log", timeout=600)
    assert re.search(r"^ok \d+ \S+:replay-mysqld$", r.stdout, re.M), r.stdout[-3000:]


# (log, event, the victim's rank by badness: 2nd means only the sysctl makes it die)
ALLOCATING_TASK_EVENTS = [("6.1-v2-guest.log", 4, "2nd"), ("6.12-v2-guest.log", 4, "2nd"),
                          ("hand-5.10-allocating-task-odd-comms.log", 1, "1st")]


@pytest.mark.parametrize("name,event,rank", ALLOCATING_TASK_EVENTS)
def test_an_allocating_task_kill_replayed_machine_wide(kernels, name, event, rank):
    """vm.oom_kill_allocating_task acts on global OOMs only: --machine replays the field's
    kill with the sysctl set in a guest, where the allocating task dies, not the biggest."""
    log = ROOT / "tests/fixtures/parse" / name
    explained = oomlab("explain", "--event", event, log).stdout
    assert "verdict: oom_kill_allocating_task:" in explained, explained
    assert re.search(rf"^  victim: .*, {rank} of \d+ by badness", explained, re.M), explained
    r = oomlab("replay", "--machine", "--event", event, "--kernel", kernels["6.12"], log, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:]
    assert r.stdout.splitlines()[-1].endswith(": the same victim as in the field")


def test_one_run_on_two_kernels_leaves_results_that_agree(kernels, tmp_path):
    """--results DIR with the host and both guests: KTAP, JUnit, JSON and the HTML report
    name the same verdict for every case on every kernel, and the guests' cases come with
    their detail (checks, processes, memory over time) and their console logs."""
    out = tmp_path / "results"
    r = oomlab("--results", out, "--kernel", kernels["6.1"], "--kernel", kernels["6.12"],
               "hog-killed", "global-oom", "adj-order", timeout=900)
    data = assert_results_agree(out, r.stdout)
    guests = [x for x in data["results"] if x["kernel"] != "host"]
    assert len(guests) == 6 and {x["kernel"] for x in guests} == {
        pathlib.Path(kernels[s]).name.removeprefix("vmlinuz-") for s in ("6.1", "6.12")}
    for x in guests:
        assert x["verdict"] == "pass", x
        assert x["detail"]["case"] == x["case"] and x["duration_ms"] > 0
        # machine-wide cases are not sampled: the harness's reads would meet the global OOM
        assert bool(x["detail"]["memory"]["samples"]) == (x["case"] != "global-oom"), x["case"]
    assert sorted(p.name for p in (out / "vm-logs").iterdir()) == sorted({x["kernel"] for x in guests})
    for log in (out / "vm-logs").glob("*/*.console.log"):   # no terminal progress in a guest
        assert "\x1b[K" not in log.read_text(errors="replace"), log
