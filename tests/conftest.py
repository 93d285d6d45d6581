# SPDX-License-Identifier: GPL-2.0
"""Shared helpers: where the binaries are, running oomlab, reading KTAP."""
import functools
import os
import pathlib
import re
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
OOMLAB = BUILD / "oomlab"
STRESSORS = BUILD / "stressors"
FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"
CASES = sorted(p.stem for p in (ROOT / "cases").glob("*.case"))


def run(args, timeout=300, **kw):
    """Run a command, text in and out, never raising on a non-zero exit."""
    return subprocess.run([a if isinstance(a, bytes) else str(a) for a in args],
                          capture_output=True, text=True, errors="replace", timeout=timeout, **kw)


# The pids of the oomlab runs this test started: what it may have left behind is named
# after them (oomlab.PID), and only that is checked, so that other runs sharing the
# machine do not count.
STARTED = []


def oomlab(*args, timeout=300, input=None, **kw):
    proc = subprocess.Popen([str(a) for a in [OOMLAB, *args]], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.PIPE if input is not None else None, **kw)
    STARTED.append(proc.pid)
    try:
        out, err = proc.communicate(input=input, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    done.pid = proc.pid
    return done


@pytest.fixture(autouse=True)
def _forget_started_runs():
    STARTED.clear()
    yield


RESULT = re.compile(r"^(ok|not ok) (\d+) ([^#]*?)(?: # (SKIP|TIMEOUT|ERROR) ?(.*))?$")


class Ktap:
    """A KTAP stream as oomlab prints it."""

    def __init__(self, text):
        self.lines = text.splitlines()
        self.plan = None
        self.results = {}      # name -> dict(ok, number, directive, reason, diags)
        self.order = []
        pending = []
        for line in self.lines:
            if re.fullmatch(r"1\.\.\d+", line):
                self.plan = int(line[3:])
            elif line.startswith("# "):
                pending.append(line[2:])
            else:
                m = RESULT.match(line)
                if m:
                    name = m.group(3).strip()
                    self.results[name] = dict(ok=m.group(1) == "ok", number=int(m.group(2)),
                                              directive=m.group(4), reason=m.group(5),
                                              diags=pending)
                    self.order.append(name)
                    pending = []

    def diags(self, name):
        return "\n".join(self.results[name]["diags"])


def write_case(directory, name, case_text, expect_text=None):
    """Write cases/NAME.case and expected/NAME.expect below directory."""
    (directory / "cases").mkdir(exist_ok=True)
    (directory / "expected").mkdir(exist_ok=True)
    (directory / "cases" / f"{name}.case").write_text(case_text)
    if expect_text is not None:
        (directory / "expected" / f"{name}.expect").write_text(expect_text)


def suite_args(directory):
    return ["--cases", directory / "cases", "--expected", directory / "expected"]


def memory_cgroup_info():
    """oomlab's view of where it would create cgroups, or None."""
    r = oomlab("cgroup", "info")
    if r.returncode:
        return None
    return dict(line.split(": ", 1) for line in r.stdout.splitlines())


def cases_can_run():
    """Why real cases cannot run here, or None when they can."""
    if os.geteuid() != 0:
        return "not root: real OOM cases need root"
    if memory_cgroup_info() is None:
        return "no memory cgroup hierarchy here"
    if not os.access("/dev/kmsg", os.R_OK):
        return "/dev/kmsg is not readable"
    return None


CASES_CANNOT_RUN = cases_can_run()
needs_cases = pytest.mark.skipif(CASES_CANNOT_RUN is not None, reason=str(CASES_CANNOT_RUN))


class KernelLog:
    """The kernel log from a cursor on: /dev/kmsg opened at its end and drained by a thread
    while the test runs, because the kernel's ring buffer (about 128 KiB here) does not
    hold a whole suite, least of all with other runs writing to it too. Records that were
    overwritten before the thread could read them are counted in lost."""

    def __init__(self):
        self.fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
        os.lseek(self.fd, 0, os.SEEK_END)
        self.raw = []
        self.lost = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _read_available(self):
        while True:
            try:
                self.raw.append(os.read(self.fd, 8192).decode("utf-8", "replace").split("\n")[0])
            except BlockingIOError:
                return
            except BrokenPipeError:  # overwritten before we read it
                self.lost += 1

    def _drain(self):
        poller = select.poll()
        poller.register(self.fd, select.POLLIN)
        while not self.stopping.is_set():
            poller.poll(50)
            self._read_available()

    def records(self):
        """The raw records ("PRI,SEQ,TS,FLAGS;text") logged since, without their dictionary
        lines. Stops the reader."""
        self.stopping.set()
        self.thread.join()
        self._read_available()
        os.close(self.fd)
        return self.raw

    def read(self):
        """The messages logged since."""
        return [r.split(";", 1)[1] for r in self.records()]


@pytest.fixture
def public_tmp():
    """A temporary directory every user may read and enter (for runs as nobody)."""
    d = pathlib.Path(tempfile.mkdtemp(prefix="oomlab-test-", dir="/tmp"))
    d.chmod(0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def cgroup_mounts():
    """The mount points of every cgroup hierarchy (v1 and v2)."""
    mounts = []
    for line in pathlib.Path("/proc/self/mountinfo").read_text().splitlines():
        fields, _, rest = line.partition(" - ")
        if rest.split()[0] in ("cgroup", "cgroup2"):
            mounts.append(fields.split()[4].replace("\\040", " "))
    return mounts


def _run_pid(name):
    """The run pid in a name made by oomlab (oomlab.PID, oomlab.PID.CASE..., journal.PID)."""
    m = re.match(r"(?:oomlab|journal)\.(\d+)", name)
    return int(m.group(1)) if m else None


def _ours(name, pids):
    return pids is None or _run_pid(name) in pids


def leftover_cgroups(pids=None):
    """Directories named oomlab.PID in any cgroup hierarchy, up to 8 levels deep (there
    should be none once a run is over), of the given runs (None: of any run)."""
    found = []
    for mount in cgroup_mounts():
        base = len(pathlib.Path(mount).parts)
        for top, dirs, _ in os.walk(mount):
            depth = len(pathlib.Path(top).parts) - base
            found += [os.path.join(top, d) for d in dirs
                      if d.startswith("oomlab.") and _ours(d, pids)]
            dirs[:] = [] if depth >= 8 else [d for d in dirs if not d.startswith("oomlab.")]
    return sorted(found)


def leftovers(pids=None):
    """Everything a run may make that must be gone after it (or after the next run, when
    it was killed): cgroups, stressors, journals, swap, case files, SysV segments. Only
    those of the runs given (None: of any run)."""
    left = leftover_cgroups(pids) + stray_stressors(pids)
    journal = pathlib.Path("/run/oomlab")
    if journal.exists():
        left += [str(p) for p in journal.glob("journal.*") if _ours(p.name, pids)]
    for line in pathlib.Path("/proc/swaps").read_text().splitlines()[1:]:
        name = os.path.basename(line.split()[0])
        if name.startswith("oomlab.") and _ours(name, pids):
            left.append(line.split()[0])
    for d in ("/var/tmp", "/dev/shm", "/tmp"):
        left += [str(p) for p in pathlib.Path(d).glob("oomlab.*") if _ours(p.name, pids)]
    base, mask, roles = ipckey_scheme()
    keys = None if pids is None else {base + (pid & mask) * roles + i
                                      for pid in pids for i in range(roles)}
    segments = pathlib.Path("/proc/sysvipc/shm").read_text().splitlines()[1:]
    left += [f"SysV segment key {s.split()[0]}" for s in segments
             if base <= int(s.split()[0]) < base + (mask + 1) * roles
             and (keys is None or int(s.split()[0]) in keys)]
    return left


@functools.lru_cache(maxsize=1)
def ipckey_scheme():
    """How the harness forms {ipckey}, as its --list-keys documents it: (base, pid mask,
    keys per run)."""
    table = subprocess.run([OOMLAB, "--list-keys"], capture_output=True, text=True,
                           check=True).stdout
    m = re.search(r"`\{ipckey\}` \| a SysV IPC key: `(0x[0-9a-f]+) \+ \(PID & (0x[0-9a-f]+)\) "
                  r"\* (\d+) \+ N`", table)
    assert m, "oomlab --list-keys does not say how {ipckey} is formed"
    return int(m[1], 16), int(m[2], 16), int(m[3])


def assert_clean(pids=None):
    """Nothing left of the runs this test started (or of the pids given)."""
    left = leftovers(STARTED if pids is None else pids)
    assert left == [], f"left behind: {left}"


def stray_stressors(pids=None):
    """Running processes whose executable is one of our stressors (of the given runs: in
    their cgroups)."""
    found = []
    for proc in pathlib.Path("/proc").glob("[0-9]*"):
        try:
            exe = os.readlink(proc / "exe")
            cgroups = (proc / "cgroup").read_text()
        except OSError:
            continue
        if not exe.startswith(str(STRESSORS) + "/"):
            continue
        runs = {int(m) for m in re.findall(r"/oomlab\.(\d+)", cgroups)}
        if pids is None or runs & set(pids):
            found.append(f"{proc.name} {exe}")
    return found


@pytest.fixture
def scratch_cgroup():
    """make(name, limit): a memory cgroup below oomlab's cgroup root, made for one test
    (named oomlab-test.PID.NAME) with its memory limit; removed after, with what runs in it."""
    info = memory_cgroup_info()
    base = pathlib.Path(info["dir"])
    version = info["version"]
    made = []

    if version == "2" and "memory" not in (base / "cgroup.subtree_control").read_text().split():
        pytest.skip(f"{base} does not give its children the memory controller")

    def make(name, limit):
        parts = name.split("/")
        path = base / f"oomlab-test.{os.getpid()}.{parts[0]}"
        for part in parts[1:]:
            path = path / part
        path.mkdir()
        made.append(path)
        if version == "1":
            (path / "memory.limit_in_bytes").write_text(limit)
        else:
            if path.parent != base:  # ours: let its children use the controller
                (path.parent / "cgroup.subtree_control").write_text("+memory")
            (path / "memory.max").write_text(limit)
        return path

    yield make
    for path in reversed(made):
        for pid in (path / "cgroup.procs").read_text().split():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        while True:
            try:
                path.rmdir()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
