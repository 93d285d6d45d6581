# SPDX-License-Identifier: GPL-2.0
"""make install, oomlab(1), make kselftest-install run by the kernel's own runner
(run_kselftest.sh from Debian's linux-source), and what TAP consumers need from an
all-skipped run."""
import os
import pathlib
import re
import shutil
import tarfile

import pytest

from conftest import CASES, OOMLAB, ROOT, needs_cases, oomlab, run

KERNEL_SOURCE = pathlib.Path("/usr/src/linux-source-6.1.tar.xz")
TAP_DRIVER = pathlib.Path("/usr/share/automake-1.16/tap-driver.sh")


def make(*args):
    r = run(["make", "-s", "-C", ROOT, *args], timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def test_install_lays_out_a_tree_that_finds_its_own_files(tmp_path):
    make("install", f"DESTDIR={tmp_path}", "PREFIX=/usr")
    lib = tmp_path / "usr/lib/oomlab"
    assert os.readlink(tmp_path / "usr/bin/oomlab") == "../lib/oomlab/oomlab"
    assert sorted(p.stem for p in (lib / "cases").glob("*.case")) == CASES
    assert (lib / "initramfs.cpio.gz").exists() and (lib / "stressors/hog").exists()
    # run through the link: the cases and stressors next to the real binary are found
    r = run([tmp_path / "usr/bin/oomlab", "--validate"])
    assert r.returncode == 0 and f"1..{len(CASES)}" in r.stdout, r.stdout[-2000:]
    make("uninstall", f"DESTDIR={tmp_path}", "PREFIX=/usr")
    assert not lib.exists() and not (tmp_path / "usr/bin/oomlab").exists()


def test_the_man_page_renders_and_covers_every_option_and_key(tmp_path):
    make("man")
    page = ROOT / "build/oomlab.1"
    groff = run(["groff", "-man", "-Tutf8", "-ww", "-z", page])
    assert groff.returncode == 0 and groff.stderr == "", groff.stderr
    text = run(["man", "-l", page], env=dict(os.environ, MANWIDTH="200", LC_ALL="C.UTF-8")).stdout
    text = re.sub(".\b", "", text)   # no overstrike
    options = re.findall(r"^ (?:-\w, )?\s*(--[\w-]+)", run([OOMLAB, "--help"]).stdout, re.M)
    assert len(options) > 30
    for option in options:
        assert re.search(rf"(^|\s){re.escape(option)}\b", text), option
    keys = re.findall(r"^\| `([^`]+)` \|", run([OOMLAB, "--list-keys"]).stdout, re.M)
    assert len(keys) > 30
    for key in keys:
        assert f"{key} = " in text, key
    for section in ("EXIT STATUS", "CASE AND EXPECTED FILES", "SYNOPSIS"):
        assert section in text


@pytest.fixture(scope="module")
def kselftest(tmp_path_factory):
    """make kselftest-install, with the runner of Debian's 6.1 source beside it, as the
    kernel's own `make -C tools/testing/selftests install` would have put it there."""
    if not KERNEL_SOURCE.exists():
        pytest.skip(f"no {KERNEL_SOURCE} (Debian's linux-source-6.1): no kselftest runner")
    top = tmp_path_factory.mktemp("kselftest")
    make("kselftest-install", f"INSTALL_PATH={top}")
    wanted = ("tools/testing/selftests/run_kselftest.sh", "tools/testing/selftests/kselftest/")
    with tarfile.open(KERNEL_SOURCE) as tar:
        for member in tar:
            name = member.name.split("/", 1)[-1]
            if name.startswith(wanted) and member.isfile():
                member.name = name.removeprefix("tools/testing/selftests/")
                tar.extract(member, top)
    assert (top / "run_kselftest.sh").exists() and (top / "kselftest/runner.sh").exists()
    return top


def test_kselftest_install_adds_itself_to_a_list_once(tmp_path):
    """An existing list (the kernel's), even one without a last newline, keeps its lines."""
    (tmp_path / "kselftest-list.txt").write_text("net:test.sh")
    for _ in range(2):
        make("kselftest-install", f"INSTALL_PATH={tmp_path}")
    assert (tmp_path / "kselftest-list.txt").read_text() == "net:test.sh\noomlab:oomlab.sh\n"


def run_kselftest(top, args):
    return run([top / "run_kselftest.sh", "-c", "oomlab"], timeout=900,
               env=dict(os.environ, OOMLAB_ARGS=args))


@needs_cases
def test_run_kselftest_runs_the_installed_collection(kselftest):
    assert (kselftest / "kselftest-list.txt").read_text().splitlines().count("oomlab:oomlab.sh") == 1
    assert re.fullmatch(r"timeout=\d+\n", (kselftest / "oomlab/settings").read_text())
    r = run_kselftest(kselftest, "hog-killed")
    assert r.returncode == 0, r.stdout
    assert "# ok 1 hog-killed" in r.stdout, r.stdout
    assert re.search(r"^ok 1 selftests: oomlab: oomlab\.sh$", r.stdout, re.M), r.stdout


def test_run_kselftest_reports_a_skip_and_a_failure(kselftest, tmp_path):
    (tmp_path / "old.case").write_text("[case]\nsummary = only on old kernels\nmemory.max = 64M\n"
                                       "kernel = < 3.0\n\n[process hog]\nrun = hog --size 256M\n"
                                       "trigger = yes\n")
    (tmp_path / "old.expect").write_text("[expect]\nkilled = hog\n")
    (tmp_path / "bad.case").write_text("[case]\nsummary = no process\n")
    (tmp_path / "bad.expect").write_text("[expect]\n")
    dirs = f"--cases {tmp_path} --expected {tmp_path}"
    r = run_kselftest(kselftest, f"{dirs} old")
    assert re.search(r"^ok 1 selftests: oomlab: oomlab\.sh # SKIP$", r.stdout, re.M), r.stdout
    r = run_kselftest(kselftest, f"{dirs} bad")
    assert re.search(r"^not ok 1 selftests: oomlab: oomlab\.sh # exit=1$", r.stdout, re.M), r.stdout


def all_skipped(tmp_path):
    (tmp_path / "old.case").write_text("[case]\nsummary = only on old kernels\nmemory.max = 64M\n"
                                       "kernel = < 3.0\n\n[process hog]\nrun = hog --size 256M\n"
                                       "trigger = yes\n")
    (tmp_path / "old.expect").write_text("[expect]\nkilled = hog\n")
    return [OOMLAB, "--cases", tmp_path, "--expected", tmp_path, "old"]


@needs_cases
def test_an_all_skipped_run_for_prove_and_tap_driver(tmp_path):
    """kselftest's 4 for "all skipped" is an error to prove and tap-driver.sh; --skip-exit 0
    gives them the 0 they want, with the same KTAP."""
    args = all_skipped(tmp_path)
    assert run(args).returncode == 4
    for exit_code, wanted in ((None, False), ("0", True)):
        t = tmp_path / "oomlab.t"
        extra = ["--skip-exit", exit_code] if exit_code else []
        t.write_text("#!/bin/sh\nexec " + " ".join(str(a) for a in [*args, *extra]) + "\n")
        t.chmod(0o755)
        if shutil.which("prove"):
            p = run(["prove", t])
            assert (p.returncode == 0) == wanted, p.stdout + p.stderr
            assert ("Dubious" in p.stdout + p.stderr) != wanted
        if TAP_DRIVER.exists():
            log, trs = tmp_path / "o.log", tmp_path / "o.trs"
            run(["sh", TAP_DRIVER, "--test-name", "oomlab", "--log-file", log, "--trs-file", trs,
                 "--", t])
            glob = re.search(r"^:global-test-result: (\S+)", trs.read_text(), re.M).group(1)
            assert glob == ("SKIP" if wanted else "ERROR"), trs.read_text()
