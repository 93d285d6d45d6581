# SPDX-License-Identifier: GPL-2.0
"""The command line: option errors name the accepted range, subcommands are found wherever
they stand, and mistakes name the thing that is wrong."""
import os
import pty
import subprocess

import pytest

from conftest import OOMLAB, Ktap, needs_cases, oomlab

# (arguments, exit code, text on stderr)
OPTION_ERRORS = [
    (["--vm-memory", "0"], 1, "--vm-memory: expected 1 to 65536 (MiB), got '0'"),
    (["--vm-cpus", "65"], 1, "--vm-cpus: expected 1 to 64, got '65'"),
    (["--timeout", "0"], 1, "--timeout: expected a duration above 0 such as 30s or 500ms, got '0'"),
    (["--vm-boot-timeout", "soon"], 1,
     "--vm-boot-timeout: expected a duration above 0 such as 300s, got 'soon'"),
    (["--timeout-scale", "0"], 1, "--timeout-scale: expected 1 to 100, got '0'"),
    (["--cgroup-version", "3"], 1, "--cgroup-version: expected 1 or 2, got '3'"),
    (["cgroup", "info", "--cgroup-version", "3"], 1,
     "oomlab cgroup: --cgroup-version: expected 1 or 2, got '3'"),
]


@pytest.mark.parametrize("args,code,text", OPTION_ERRORS, ids=[" ".join(a[0]) for a in OPTION_ERRORS])
def test_option_errors_name_the_range(args, code, text):
    r = oomlab(*args)
    assert r.returncode == code, r.stdout + r.stderr
    assert text in r.stderr


def fake_v2(tmp_path):
    root = tmp_path / "cg"
    root.mkdir()
    (root / "cgroup.controllers").write_text("memory\n")
    return root


@pytest.mark.parametrize("order", ["before", "after", "abbreviated"])
def test_cgroup_subcommand_takes_its_options_before_or_after(tmp_path, order):
    root = fake_v2(tmp_path)
    opts = ["--cgroup-root", str(root), "--cgroup-version", "2"]
    args = [*opts, "cgroup", "info"] if order == "before" else ["cgroup", "info", *opts]
    if order == "abbreviated":  # as getopt_long takes them: --cgroup-r for --cgroup-root
        args = ["--cgroup-r", str(root), "--cgroup-v", "2", "cgroup", "info"]
    r = oomlab(*args)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"dir: {root}\n" in r.stdout and "root: --cgroup-root\n" in r.stdout
    assert "TAP version" not in r.stdout  # not a suite of cases named cgroup and info


def test_parse_subcommand_after_an_option(tmp_path):
    log = tmp_path / "empty.log"
    log.write_text("")
    r = oomlab("--verbose", "parse", "--summary", log)
    # parse has no --verbose: it says so, rather than running cases named parse and FILE
    assert "TAP version" not in r.stdout
    assert r.returncode == 2 and "usage: oomlab parse" in r.stderr


def test_an_unknown_case_name_says_so(tmp_path):
    r = oomlab("--validate", "no-such-case")
    k = Ktap(r.stdout)
    assert r.returncode == 1
    assert "no case no-such-case in " in k.diags("no-such-case")
    assert "(see --list)" in k.diags("no-such-case")


def test_a_kernel_directory_is_named_as_such(tmp_path):
    r = oomlab("--vm-only", "--kernel", tmp_path, "hog-killed")
    assert r.returncode == 1
    assert f"kernel image `{tmp_path}` is a directory: give the image file" in r.stdout


@needs_cases
def test_a_terminal_sees_which_case_runs_and_the_ktap_stays_clean():
    """stderr on a terminal: "CASE (i/n), N s", erased before each KTAP line; stdout
    (a pipe here) carries the KTAP alone, as it does without a terminal."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([str(OOMLAB), "hog-killed", "classic-malloc"], stdout=subprocess.PIPE,
                            stderr=slave, text=True)
    os.close(slave)
    out, _ = proc.communicate(timeout=120)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.returncode == 0, out
    text = seen.decode()
    assert "hog-killed (1/2), 0 s" in text and "classic-malloc (2/2), 0 s" in text, repr(text)
    assert text.endswith("\r\x1b[K"), repr(text[-80:])      # erased at the end
    assert "\x1b" not in out and "(1/2)" not in out


def test_no_progress_line_without_a_terminal():
    r = oomlab("--validate", "hog-killed")
    assert r.returncode == 0 and r.stderr == ""
