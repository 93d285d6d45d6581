# SPDX-License-Identifier: GPL-2.0
"""The cgroup layer against fake cgroup trees: what each backend writes and reads."""
import os
import signal
import subprocess

import pytest

from conftest import oomlab


def make_files(directory, files):
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text)


V2_CASE = {
    "memory.max": "max\n", "memory.swap.max": "max\n", "memory.current": "1234\n",
    "memory.events": "low 0\nhigh 0\nmax 3\noom 2\noom_kill 1\noom_group_kill 0\n",
    "cgroup.kill": "", "cgroup.procs": "", "cgroup.subtree_control": "",
}
V1_CASE = {
    "memory.limit_in_bytes": "9223372036854771712\n",
    "memory.memsw.limit_in_bytes": "9223372036854771712\n",
    "memory.oom_control": "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n",
    "memory.failcnt": "5\n", "memory.usage_in_bytes": "4096\n", "cgroup.procs": "",
}


@pytest.fixture
def v2(tmp_path):
    root = tmp_path / "v2"
    make_files(root, {"cgroup.controllers": "cpu io memory pids\n", "cgroup.subtree_control": ""})
    make_files(root / "case", V2_CASE)
    return root


@pytest.fixture
def v1(tmp_path):
    root = tmp_path / "v1"
    make_files(root, {"memory.limit_in_bytes": "9223372036854771712\n"})
    make_files(root / "case", V1_CASE)
    return root


def cg(root, version, *args):
    return oomlab("cgroup", "--cgroup-root", root, "--cgroup-version", str(version), *args)


def test_v2_info(v2):
    r = cg(v2, 2, "info")
    assert r.returncode == 0, r.stderr
    assert "version: 2\n" in r.stdout and f"dir: {v2}\n" in r.stdout
    assert "kernel_path: /\n" in r.stdout and "root: --cgroup-root\n" in r.stdout


def test_v2_limits(v2):
    r = cg(v2, 2, "limit", "case", "--memory", "64M", "--swap", "0")
    assert r.returncode == 0, r.stderr
    assert (v2 / "case/memory.max").read_text() == "67108864"
    assert (v2 / "case/memory.swap.max").read_text() == "0"


def test_v2_limit_without_swap_file(v2):
    (v2 / "case/memory.swap.max").unlink()
    r = cg(v2, 2, "limit", "case", "--memory", "64M", "--swap", "0")
    assert r.returncode == 1
    assert f"`{v2}/case` has no memory.swap.max" in r.stderr


def test_v2_counters(v2):
    r = cg(v2, 2, "counters", "case")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "oom_kill 1\noom 2\nlimit_hits 3\nusage 1234\n"


def test_v2_counters_before_4_13(v2):
    (v2 / "case/memory.events").write_text("low 0\nhigh 0\nmax 3\noom 2\n")
    r = cg(v2, 2, "counters", "case")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("oom_kill unknown\n")


def test_v2_kill_uses_cgroup_kill(v2):
    r = cg(v2, 2, "kill", "case")
    assert r.returncode == 0, r.stderr
    assert (v2 / "case/cgroup.kill").read_text() == "1"


def test_v2_enable_memory_for_children(v2):
    r = cg(v2, 2, "enable", "case")
    assert r.returncode == 0, r.stderr
    assert (v2 / "case/cgroup.subtree_control").read_text() == "+memory"
    (v2 / "case/cgroup.subtree_control").write_text("memory pids\n")
    (v2 / "case/cgroup.subtree_control").chmod(0o444)
    r = cg(v2, 2, "enable", "case")  # already on: nothing written
    assert r.returncode == 0, r.stderr


def test_v2_without_memory_controller(v2):
    (v2 / "cgroup.controllers").write_text("cpu io pids\n")
    r = cg(v2, 2, "info")
    assert r.returncode == 1
    assert "the memory controller is not available" in r.stderr


def test_v1_limits_memsw_is_memory_plus_swap(v1):
    r = cg(v1, 1, "limit", "case", "--memory", "64M", "--swap", "16M")
    assert r.returncode == 0, r.stderr
    assert (v1 / "case/memory.limit_in_bytes").read_text() == str(64 << 20)
    assert (v1 / "case/memory.memsw.limit_in_bytes").read_text() == str(80 << 20)


def test_v1_limits_without_swap_accounting(v1):
    (v1 / "case/memory.memsw.limit_in_bytes").unlink()
    r = cg(v1, 1, "limit", "case", "--memory", "64M", "--swap", "0")
    assert r.returncode == 1
    assert "has no memory.memsw.limit_in_bytes" in r.stderr and "swapaccount=1" in r.stderr


def test_v1_counters(v1):
    r = cg(v1, 1, "counters", "case")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "oom_kill 2\noom -1\nlimit_hits 5\nusage 4096\n"


def test_v1_counters_before_4_13(v1):
    (v1 / "case/memory.oom_control").write_text("oom_kill_disable 0\nunder_oom 0\n")
    r = cg(v1, 1, "counters", "case")
    assert r.stdout.startswith("oom_kill unknown\n")


def test_v1_kill_signals_each_listed_pid(v1):
    # v1 has no cgroup.kill: each pid in cgroup.procs gets SIGKILL. Use our own child.
    child = subprocess.Popen(["sleep", "60"])
    try:
        (v1 / "case/cgroup.procs").write_text(f"{child.pid}\n")
        r = cg(v1, 1, "kill", "case")
        assert r.returncode == 0, r.stderr
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_v1_missing_limit_file(v1):
    (v1 / "memory.limit_in_bytes").unlink()
    r = cg(v1, 1, "info")
    assert r.returncode == 1
    assert "has no memory.limit_in_bytes: not a v1 memory cgroup" in r.stderr


@pytest.mark.parametrize("name", ["../x", "/etc", "a/../../b", "./case", ""])
def test_names_outside_the_root_are_refused(v2, name):
    r = cg(v2, 2, "limit", name, "--memory", "64M")
    assert r.returncode == 1
    assert "is not a cgroup below the root" in r.stderr


def fake_proc(tmp_path, mountinfo, cgroup):
    proc = tmp_path / "proc"
    make_files(proc / "self", {"mountinfo": mountinfo, "cgroup": cgroup})
    return proc


def test_detects_v1_memory_in_a_hybrid_layout(tmp_path):
    mem = tmp_path / "sys/fs/cgroup/memory"
    make_files(mem / "a/b", {"memory.limit_in_bytes": "9223372036854771712\n"})
    uni = tmp_path / "sys/fs/cgroup/unified"
    make_files(uni, {"cgroup.controllers": ""})
    proc = fake_proc(tmp_path,
                     f"31 30 0:28 / {tmp_path}/sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
                     f"34 30 0:31 / {mem} rw,relatime - cgroup cgroup rw,memory\n"
                     f"40 30 0:37 / {uni} rw,relatime - cgroup2 cgroup2 rw\n",
                     "4:memory:/a/b\n1:cpu:/\n0::/\n")
    r = oomlab("cgroup", "--proc-root", proc, "info")
    assert r.returncode == 0, r.stderr
    assert "version: 1\n" in r.stdout and f"dir: {mem}/a/b\n" in r.stdout
    assert "kernel_path: /a/b\n" in r.stdout and "root: oomlab's own memory cgroup\n" in r.stdout


def test_detects_v2_with_escaped_mount_point(tmp_path):
    uni = tmp_path / "cgroup two"
    make_files(uni / "user.slice/x", {"cgroup.controllers": "memory pids\n"})
    (uni / "cgroup.controllers").write_text("cpu memory pids\n")
    escaped = str(uni).replace(" ", "\\040")
    proc = fake_proc(tmp_path, f"40 30 0:37 / {escaped} rw - cgroup2 cgroup2 rw\n",
                     "0::/user.slice/x\n")
    r = oomlab("cgroup", "--proc-root", proc, "info")
    assert r.returncode == 0, r.stderr
    # v2: oomlab's own cgroup holds processes (oomlab itself), so its children cannot get
    # the memory controller; the hierarchy's top is used instead.
    assert "version: 2\n" in r.stdout and f"dir: {uni}\n" in r.stdout
    assert "kernel_path: /\n" in r.stdout
    assert "root: the hierarchy's top: oomlab's own cgroup /user.slice/x holds processes" in r.stdout


def test_v2_in_the_root_cgroup_uses_it(tmp_path):
    uni = tmp_path / "unified"
    make_files(uni, {"cgroup.controllers": "cpu memory pids\n"})
    proc = fake_proc(tmp_path, f"40 30 0:37 / {uni} rw - cgroup2 cgroup2 rw\n", "0::/\n")
    r = oomlab("cgroup", "--proc-root", proc, "info")
    assert r.returncode == 0, r.stderr
    assert f"dir: {uni}\n" in r.stdout and "root: oomlab's own memory cgroup\n" in r.stdout


def test_no_memory_controller_anywhere(tmp_path):
    uni = tmp_path / "unified"
    make_files(uni, {"cgroup.controllers": "cpu pids\n"})
    proc = fake_proc(tmp_path, f"40 30 0:37 / {uni} rw - cgroup2 cgroup2 rw\n", "0::/\n")
    r = oomlab("cgroup", "--proc-root", proc, "info")
    assert r.returncode == 1
    assert "no cgroup hierarchy has the memory controller" in r.stderr


def test_a_run_without_memory_controller_skips_everything(tmp_path):
    uni = tmp_path / "unified"
    make_files(uni, {"cgroup.controllers": "cpu pids\n"})
    r = oomlab("--cgroup-root", uni, "--cgroup-version", "2", "hog-killed")
    assert r.returncode == 4, r.stdout
    assert "# SKIP " in r.stdout
    assert "no memory cgroup" in r.stdout or os.geteuid() != 0
