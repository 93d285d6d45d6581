# SPDX-License-Identifier: GPL-2.0
"""Smoke tests: every stressor starts, parses its options, allocates, and shakes hands."""
import os
import socket
import subprocess

import pytest

from conftest import STRESSORS, needs_cases, run

ALL = sorted(p.name for p in STRESSORS.iterdir() if os.access(p, os.X_OK))


def test_the_stressors_are_built():
    assert {"hog", "idle"} <= set(ALL)


@pytest.mark.parametrize("name", ALL)
def test_help(name):
    r = run([STRESSORS / name, "--help"])
    assert r.returncode == 0
    assert r.stdout.startswith(f"usage: {name} ") and "Kernel rule: " in r.stdout
    assert "Exit codes:\n  0  did what was asked\n" in r.stdout


@pytest.mark.parametrize("name", ALL)
def test_bad_arguments_exit_2(name):
    r = run([STRESSORS / name, "--no-such-option"])
    assert r.returncode == 2
    assert f"{name}: unknown option --no-such-option (see --help)" in r.stderr
    assert run([STRESSORS / name, "--role", "x" * 16, "--check-args"]).returncode == 2


@pytest.mark.parametrize("alloc", ["malloc", "mmap", "brk"])
@pytest.mark.parametrize("touch", ["page", "memset", "populate", "none"])
def test_hog_allocates_and_exits(alloc, touch):
    r = run([STRESSORS / "hog", "--size", "8M", "--chunk", "1M", "--alloc", alloc, "--touch", touch,
             "--after", "exit"])
    assert r.returncode == 0, r.stderr
    assert r.stdout == "hog: allocated 8 MiB\n"


def test_hog_classic_prints_progress():
    r = run([STRESSORS / "hog", "--classic", "--size", "2M", "--after", "exit", "--role", "classic"])
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["classic: 1 MiB", "classic: 2 MiB", "classic: allocated 2 MiB"]


def mem_total():
    return int(open("/proc/meminfo").read().split("MemTotal:")[1].split()[0]) * 1024


def run_in_cgroup(directory, args):
    """Run a stressor by hand inside an existing cgroup."""
    def join():
        (directory / "cgroup.procs").write_text(str(os.getpid()))
    return subprocess.run([str(a) for a in args], preexec_fn=join, capture_output=True, text=True,
                          timeout=60)


@needs_cases
def test_an_unbounded_size_is_refused_under_a_limit_the_machine_cannot_reach(scratch_cgroup):
    # Run where the limit is known: the test's own cgroup may sit below a limited one.
    huge = scratch_cgroup("huge", "100T")
    r = run_in_cgroup(huge, [STRESSORS / "hog", "--size", "max"])
    assert r.returncode == 2, r.stdout + r.stderr
    assert "refusing to allocate max: this cgroup's effective memory limit (100T)" in r.stderr


@needs_cases
def test_the_guard_counts_the_cgroup_chain_not_the_process(scratch_cgroup):
    # A limit the machine cannot reach is no limit: a process of a fifth of the machine
    # (under a quarter: the old guard let it through) is refused, so that a few of them
    # cannot add up to a machine-wide OOM.
    size = str(mem_total() // 5)
    huge = scratch_cgroup("huge", "100T")
    r = run_in_cgroup(huge, [STRESSORS / "hog", "--size", size, "--touch", "none", "--after", "exit"])
    assert r.returncode == 2, r.stdout + r.stderr
    assert "this cgroup's effective memory limit (100T) is not well below the machine" in r.stderr
    # Below a parent limited to 256M, the same 100T limit is fine: the lowest one counts.
    scratch_cgroup("parent", "256M")
    child = scratch_cgroup("parent/child", "100T")
    r = run_in_cgroup(child, [STRESSORS / "hog", "--size", size, "--touch", "none", "--after",
                              "exit"])
    assert r.returncode == 0, r.stdout + r.stderr


def test_forkbomb_says_done_once_every_child_has_its_memory():
    # Under CPU load the children fill their memory late; "done" must wait for them.
    proc, sock = spawn_with_socket([STRESSORS / "forkbomb", "--children", "4", "--each", "48M",
                                    "--touch", "page", "--wait-go"], "bomb")
    try:
        assert read_line(sock) == "ready\n"
        sock.sendall(b"go\n")
        members = []
        while (line := read_line(sock)) != "done\n":
            assert line.startswith("member "), line
            members.append(int(line.split()[1]))
        assert len(members) == 4
        for pid in members:
            status = open(f"/proc/{pid}/status").read()
            rss = int(status.split("RssAnon:")[1].split()[0])
            assert rss >= 48 * 1024, f"child {pid} has RssAnon {rss} kB when the parent said done"
    finally:
        proc.kill()
        proc.wait()


def spawn_with_socket(args, role):
    harness, child = socket.socketpair()
    proc = subprocess.Popen([*args, "--role", role, "--control-fd", str(child.fileno())],
                            pass_fds=[child.fileno()], stdout=subprocess.PIPE, text=True)
    child.close()
    return proc, harness


def read_line(sock):
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(1)
        if not chunk:
            break
        data += chunk
    return data.decode()


def test_idle_says_ready_holds_and_takes_its_role_as_comm():
    proc, sock = spawn_with_socket([STRESSORS / "idle", "--rss", "4M", "--file", "2M",
                                    "--shmem", "2M"], "bystander")
    try:
        assert read_line(sock) == "ready\n"
        assert open(f"/proc/{proc.pid}/comm").read() == "bystander\n"
        status = open(f"/proc/{proc.pid}/status").read()
        kb = {l.split(":")[0]: int(l.split()[1]) for l in status.splitlines()
              if l.startswith(("RssAnon", "RssFile", "RssShmem"))}
        assert kb["RssAnon"] >= 4096 and kb["RssShmem"] >= 2048 and kb["RssFile"] >= 2048
        assert proc.poll() is None
    finally:
        proc.kill()
        proc.wait()


def test_hog_waits_for_go_then_says_done():
    proc, sock = spawn_with_socket([STRESSORS / "hog", "--size", "4M", "--wait-go"], "trigger")
    try:
        assert read_line(sock) == "ready\n"
        sock.sendall(b"go\n")
        assert read_line(sock) == "done\n"
        assert proc.poll() is None  # holding its memory
    finally:
        proc.kill()
        proc.wait()


def test_a_broken_handshake_exits_5():
    proc, sock = spawn_with_socket([STRESSORS / "hog", "--size", "4M", "--wait-go"], "trigger")
    assert read_line(sock) == "ready\n"
    sock.close()
    assert proc.wait(timeout=30) == 5


# One small run of each new stressor, by hand (no harness), within the size guard.
SMOKE = [
    (["threads", "--threads", "3", "--size", "6M", "--after", "exit"], 0,
     "threads: 3 threads allocated 6 MiB"),
    (["sharedmm", "--children", "2", "--size", "4M", "--after", "exit"], 0,
     "sharedmm: allocated 4 MiB, shared by 3 processes"),
    (["forkbomb", "--children", "5", "--each", "1M", "--after", "exit"], 0,
     "forkbomb: forked 5 children"),
    (["mlock", "--size", "4M", "--after", "exit"], 0, "mlock: locked 4 MiB"),
    (["mlock", "--size", "4M", "--mode", "mlockall", "--after", "exit"], 0, "mlock: locked 4 MiB"),
    (["vfork", "--rss", "2M", "--size", "4M"], 0, "vfork: the vfork child"),
    (["shmem", "--kind", "memfd", "--size", "4M", "--after", "exit"], 0,
     "shmem: 4 MiB of memfd shared memory"),
    (["filecache", "--size", "8M", "--passes", "1"], 0, "filecache: wrote 8 MiB and read it 1 times"),
    (["kmem", "--pipes", "16", "--after", "exit"], 0, "kmem: filled 16 pipes"),
    (["swapoff", "--file", "/nonexistent/swap"], 1, "swapoff: swapoff /nonexistent/swap failed"),
]


@pytest.mark.parametrize("args,code,text", SMOKE, ids=[" ".join(s[0][:2]) for s in SMOKE])
def test_stressor_smoke(args, code, text):
    r = run([STRESSORS / args[0], *args[1:]], timeout=60)
    assert r.returncode == code, r.stdout + r.stderr
    assert text in r.stdout, r.stdout


def test_shmem_tmpfs_file_stays_after_exit(tmp_path):
    path = tmp_path / "f"
    r = run([STRESSORS / "shmem", "--kind", "tmpfs", "--path", path, "--size", "2M", "--after", "exit"])
    assert r.returncode == 0, r.stderr
    assert path.stat().st_size == 2 << 20


def test_a_counted_fault_needs_the_harness():
    r = run([STRESSORS / "hog", "--size", "4M", "--fault", "mmap:2:ENOMEM", "--after", "exit"])
    assert r.returncode == 2
    assert "a fault on the Nth call needs the harness to count calls" in r.stderr


def test_a_fault_on_every_call_works_by_hand():
    r = run([STRESSORS / "hog", "--alloc", "mmap", "--size", "4M", "--fault", "mmap:every:ENOMEM",
             "--after", "exit"])
    assert r.returncode == 3
    assert "mmap of 1048576 bytes failed after 0 MiB: Cannot allocate memory" in r.stdout


@pytest.mark.parametrize("spec,message", [
    ("mmap:5", "expected SYSCALL WHEN ERRNO"),
    ("nosuchcall:5:ENOMEM", "unknown system call 'nosuchcall'"),
    ("mmap:0:ENOMEM", "when must be a call number (5), every, or after N"),
    ("mmap:5:ENOPE", "unknown errno 'ENOPE'"),
])
def test_bad_fault_specs(spec, message):
    r = run([STRESSORS / "hog", "--fault", spec, "--check-args"])
    assert r.returncode == 2
    assert message in r.stderr


def test_stressors_run_under_a_seccomp_filter():
    proc, sock = spawn_with_socket([STRESSORS / "idle", "--rss", "1M"], "sandboxed")
    try:
        assert read_line(sock) == "ready\n"
        status = open(f"/proc/{proc.pid}/status").read()
        assert "Seccomp:\t2\n" in status  # SECCOMP_MODE_FILTER
        assert "NoNewPrivs:\t1\n" in status
    finally:
        proc.kill()
        proc.wait()
