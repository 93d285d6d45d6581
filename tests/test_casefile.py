# SPDX-License-Identifier: GPL-2.0
"""Case files: good ones validate; each mistake gives file:line and fails that case only."""
import os

import pytest

from conftest import Ktap, oomlab, suite_args, write_case

GOOD_CASE = """\
[case]
summary = a good case
memory.max = 64M

[process hog]
run = hog --size 128M
trigger = yes
"""
GOOD_EXPECT = "[expect]\nkilled = hog\n"

BAD = [
    # (case text, line, message)
    ("[case]\nsummary = x\nmemory.max = 64M\nthis line is wrong\n", 4,
     "expected 'key = value' or '[section]', got 'this line is wrong'"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = eatall --size 1G\ntrigger = yes\n",
     5, "unknown stressor 'eatall' (known: filecache, forkbomb, hog, idle, kmem, mlock, sharedmm, "
     "shmem, stuck, swapoff, threads, vfork)"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = hog --sise 1G\ntrigger = yes\n",
     5, "hog: unknown option --sise (see --help)"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = hog --size lots\ntrigger = yes\n",
     5, "hog: --size: invalid value 'lots'"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = hog --alloc calloc\ntrigger = yes\n",
     5, "hog: --alloc: invalid value 'calloc': malloc|mmap|brk"),
    ("[case]\nsummary = x\nmemmax = 64M\n", 3, "unknown key 'memmax' in [case]"),
    ("[case]\nsummary = x\nmemory.max = 64 MB\n", 3, "memory.max: '64 MB' is not a size"),
    ("[case]\nsummary = x\nmemory.max = 512K\n", 3, "memory.max: 524288 bytes is below 1M"),
    ("[case]\nsummary = x\n[process x]\nrun = hog\ntrigger = yes\n", 1, "[case] needs memory.max"),
    ("[case]\nmemory.max = 64M\n[process x]\nrun = hog\ntrigger = yes\n", 1, "[case] needs a summary"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = idle\n", 1,
     "no process has trigger = yes"),
    ("[case]\nsummary = x\nmemory.max = 64M\n", 1, "no [process NAME] section"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = hog\ntrigger = yes\n[process x]\n"
     "run = idle\n", 7, "second [process x]"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process a-very-long-role-name]\nrun = hog\n", 4,
     "role 'a-very-long-role-name' must be 1 to 15"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = hog\noom_score_adj = 2000\n", 6,
     "oom_score_adj: '2000' is not a number from -1000 to 1000"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = hog\ntrigger = maybe\n", 6,
     "trigger: expected yes or no, got 'maybe'"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\ntrigger = yes\n", 4,
     "[process x] needs run = STRESSOR"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[proces x]\n", 4, "unknown section [proces x]"),
    ("summary = x\n[case]\n", 1, "'summary' is outside any [section]"),
    ("[case]\nsummary = x\nmemory.max = 64M\ntimeout = soon\n", 4, "timeout: 'soon' is not a duration"),
    ("[case]\nsummary = x\nmemory.max = 64M\nkernel = newer\n", 4, "kernel: expected a condition"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = hog --size '1G'\n", 5,
     "run: quotes and backslashes are not supported"),
    ("[case\n", 1, "section header without ']'"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = hog --role impostor\n", 5,
     "run: --role is set by the harness, not in a case"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = hog --wait-go\n", 5,
     "run: --wait-go is set by the harness"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = hog --alloc malloc|mmap\n"
     "trigger = yes\n", 5,
     "hog: --alloc: invalid value 'malloc|mmap'"),
    ("[case]\nsummary = x\nmemory.max = 64M\nmemory.max = 32M\n", 4,
     "second 'memory.max' in this section (the first is at line 3)"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = hog\nrun = idle\n", 6,
     "second 'run' in this section (the first is at line 5)"),
    ("[case]\nsummary = x\nmemory.max = 64M\nsysctl.vm.panic_on_oom = 1\n[process x]\nrun = hog\n"
     "trigger = yes\n", 4, "sysctl.vm.panic_on_oom changes the whole machine: the case needs "
     "scope = machine"),
    ("[case]\nsummary = x\nmemory.max = 64M\nscope = machine\nsysctl.net.ipv4.ip_forward = 1\n", 5,
     "sysctl.net.ipv4.ip_forward: oomlab sets only vm.* and kernel.* sysctls"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = hog\noom_adj = -18\n", 6,
     "oom_adj: '-18' is not a number from -17 to 15"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = hog\noom_adj = 3\n"
     "oom_score_adj = 3\ntrigger = yes\n", 4, "[process x] sets both oom_score_adj and oom_adj"),
    ("", 0, "missing [case] section"),
    # Resources a stressor makes or changes go through the placeholders the harness
    # journals; a literal path or key would be left behind, or act on the machine's own.
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = shmem --kind tmpfs --path "
     "/dev/shm/X\ntrigger = yes\n", 5, "shmem: --path: invalid value '/dev/shm/X': in a case "
     "this is {tmpfile}"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = shmem --kind sysv --key 31337\n"
     "trigger = yes\n", 5, "shmem: --key: invalid value '31337': in a case this is {ipckey}"),
    ("[case]\nsummary = x\nmemory.max = 64M\nswap = 16M\n[process x]\nrun = swapoff --file "
     "/some/path\ntrigger = yes\n", 6, "swapoff: --file: invalid value '/some/path': in a case "
     "this is {swapfile}"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = hog --size {tmpfile}\n"
     "trigger = yes\n", 5, "hog: --size: invalid value '{tmpfile}': placeholders stand only"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = shmem --path {tmpfle}\n"
     "trigger = yes\n", 5, "run: unknown placeholder in '{tmpfle}' (known: {swapfile}, {tmpfile}, "
     "{ipckey})"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = swapoff --file {swapfile}\n"
     "trigger = yes\n", 5, "run: {swapfile} is the case's own swap file, and the case has none"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = hog --fault mmap:3:ENOMEM\n"
     "trigger = yes\n", 5, "run: --fault goes in a line of its own, fault = SYSCALL WHEN ERRNO"),
    ("[case]\nsummary = x\nmemory.max = 64M\nswap.max = 4194304T\n[process hog]\nrun = hog\n"
     "trigger = yes\n", 4, "memory.max + swap.max is more than the kernel's page counter holds"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = ..\ntrigger = yes\n", 5,
     "unknown stressor '..'"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[process x]\nrun = .hidden\ntrigger = yes\n", 5,
     "unknown stressor '.hidden'"),
    # [cgroup NAME]: a subtree of the case's cgroup, processes in its leaves.
    ("[case]\nsummary = x\nmemory.max = 64M\n[cgroup a]\n[process x]\nrun = hog\ntrigger = yes\n",
     5, "[process x] needs cgroup = NAME: the case has [cgroup] sections"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[cgroup a]\n[process x]\nrun = hog\ncgroup = b\n"
     "trigger = yes\n", 7, "cgroup: no [cgroup b] section"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[cgroup a]\n[cgroup a/b]\n[process x]\nrun = hog\n"
     "cgroup = a\ntrigger = yes\n", 8, "cgroup: [cgroup a] has cgroups below it, and cgroup v2 "
     "lets no process live there: name a leaf"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[cgroup a/b]\n", 4,
     "[cgroup a/b]: its parent needs a [cgroup a] section before it"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[cgroup a/../b]\n", 4,
     "[cgroup a/../b]: each name in the path must be 1 or more letters"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[cgroup a//b]\n", 4,
     "[cgroup a//b]: each name in the path must be 1 or more letters"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[cgroup a]\n[cgroup a/]\n", 5,
     "[cgroup a/]: each name in the path must be 1 or more letters"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[cgroup a]\n[cgroup a]\n", 5, "second [cgroup a]"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[cgroup a]\nswap.max = 0\n[process x]\nrun = hog\n"
     "cgroup = a\ntrigger = yes\n", 4, "[cgroup a] sets swap.max without memory.max"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[cgroup a]\nmemory.max = 1M\nswap.max = 4194304T\n"
     "[process x]\nrun = hog\ncgroup = a\ntrigger = yes\n", 4,
     "memory.max + swap.max is more than the kernel's page counter holds"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[cgroup a]\nmemory.max = lots\n", 5,
     "memory.max: 'lots' is not a size"),
    ("[case]\nsummary = x\nmemory.max = 64M\n[cgroup a]\nmemory.high = 1M\n", 5,
     "unknown key 'memory.high' in [cgroup a] (known: memory.max, swap.max, memory.oom.group)"),
    # A case on a host whose limit the machine cannot keep below its own memory.
    ("[case]\nsummary = x\nmemory.max = 100T\n[process hog]\nrun = hog\ntrigger = yes\n", 3,
     "memory.max 100T plus the swap it may use ("),
    ("[case]\nsummary = x\nmemory.max = 64M\n[change]\nmemory.max = 100T\n[process hog]\n"
     "run = hog\ntrigger = yes\n", 5, "memory.max 100T plus the swap it may use"),
]


@pytest.mark.parametrize("text,line,message", BAD, ids=[b[2][:40] for b in BAD])
def test_bad_case_fails_that_case_only(tmp_path, text, line, message):
    write_case(tmp_path, "good", GOOD_CASE, GOOD_EXPECT)
    write_case(tmp_path, "bad", text, GOOD_EXPECT)
    r = oomlab("--validate", *suite_args(tmp_path))
    k = Ktap(r.stdout)
    assert r.returncode == 1, r.stdout
    assert k.results["good"]["ok"], r.stdout
    assert not k.results["bad"]["ok"], r.stdout
    where = f"{tmp_path}/cases/bad.case:{line}: " if line else f"{tmp_path}/cases/bad.case: "
    assert where + message in k.diags("bad"), r.stdout


def test_a_fifo_named_like_a_case_is_refused_at_once(tmp_path):
    write_case(tmp_path, "good", GOOD_CASE, GOOD_EXPECT)
    os.mkfifo(tmp_path / "cases" / "pipe.case")
    r = oomlab("--validate", *suite_args(tmp_path), timeout=20)
    assert r.returncode == 1
    assert f"{tmp_path}/cases/pipe.case: not a regular file (a FIFO)" in r.stdout
    assert Ktap(r.stdout).results["good"]["ok"]


def test_a_byte_order_mark_is_skipped(tmp_path):
    write_case(tmp_path, "bom", "\ufeff" + GOOD_CASE, "\ufeff" + GOOD_EXPECT)
    r = oomlab("--validate", *suite_args(tmp_path))
    assert r.returncode == 0, r.stdout


def test_good_case_validates(tmp_path):
    write_case(tmp_path, "good", GOOD_CASE, GOOD_EXPECT)
    r = oomlab("--validate", *suite_args(tmp_path))
    assert r.returncode == 0, r.stdout
    assert Ktap(r.stdout).results["good"]["ok"]


def test_crlf_and_comments_are_fine(tmp_path):
    text = "# a comment\r\n; another\r\n" + GOOD_CASE.replace("\n", "\r\n")
    write_case(tmp_path, "crlf", text, GOOD_EXPECT)
    r = oomlab("--validate", *suite_args(tmp_path))
    assert r.returncode == 0, r.stdout


def test_nul_byte_is_refused(tmp_path):
    write_case(tmp_path, "nul", GOOD_CASE + "\0", GOOD_EXPECT)
    r = oomlab("--validate", *suite_args(tmp_path))
    assert "contains a NUL byte: not a text file" in r.stdout


def test_case_name_too_long(tmp_path):
    name = "x" * 64
    write_case(tmp_path, name, GOOD_CASE, GOOD_EXPECT)
    r = oomlab("--validate", *suite_args(tmp_path))
    assert "case name longer than 63 characters" in r.stdout


def test_missing_expected_file(tmp_path):
    write_case(tmp_path, "lonely", GOOD_CASE)
    r = oomlab("--validate", *suite_args(tmp_path))
    assert r.returncode == 1
    assert f"open `{tmp_path}/expected/lonely.expect`: No such file or directory" in r.stdout


def test_unknown_case_name(tmp_path):
    write_case(tmp_path, "good", GOOD_CASE, GOOD_EXPECT)
    r = oomlab("--validate", *suite_args(tmp_path), "nosuchcase")
    assert r.returncode == 1
    assert f"# no case nosuchcase in {tmp_path}/cases (see --list)" in r.stdout


def test_shipped_cases_validate():
    r = oomlab("--validate")
    assert r.returncode == 0, r.stdout
    k = Ktap(r.stdout)
    assert k.plan == len(k.results) and k.plan >= 6


def test_list_shows_summaries():
    r = oomlab("--list")
    assert r.returncode == 0
    assert "hog-killed" in r.stdout and "one hog over a 64M limit" in r.stdout
