# SPDX-License-Identifier: GPL-2.0
"""The KTAP stream and exit codes, as kselftest prints them, and as CI tools read them."""
import os
import pathlib
import re
import shutil

import pytest

from conftest import BUILD, OOMLAB, ROOT, Ktap, oomlab, run, suite_args, write_case

GOOD = "[case]\nsummary = fine\nmemory.max = 64M\n[process hog]\nrun = hog\ntrigger = yes\n"
BAD = "[case]\nsummary = broken\nmemory.max = 64M\nnonsense\n"
EXPECT = "[expect]\nkilled = hog\n"


def test_stream_shape():
    r = oomlab("--validate")
    lines = r.stdout.splitlines()
    assert lines[0] == "TAP version 13"
    assert re.fullmatch(r"1\.\.\d+", lines[1])
    k = Ktap(r.stdout)
    assert [k.results[n]["number"] for n in k.order] == list(range(1, k.plan + 1))
    assert all("#" not in name for name in k.order)
    assert lines[-1] == f"# Totals: pass:{k.plan} fail:0 xfail:0 xpass:0 skip:0 error:0"
    assert r.returncode == 0


def test_a_failure_exits_1_and_is_counted(tmp_path):
    write_case(tmp_path, "a-good", GOOD, EXPECT)
    write_case(tmp_path, "b-bad", BAD, EXPECT)
    r = oomlab("--validate", *suite_args(tmp_path))
    assert r.returncode == 1
    assert r.stdout.splitlines()[-1] == "# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:0 error:0"
    assert re.search(r"^not ok 2 b-bad$", r.stdout, re.M)


@pytest.fixture
def public_copy(public_tmp):
    """The built tree copied where an unprivileged user can run it."""
    (public_tmp / "build").mkdir()
    shutil.copy2(OOMLAB, public_tmp / "build/oomlab")
    shutil.copytree(BUILD / "stressors", public_tmp / "build/stressors")
    shutil.copytree(ROOT / "cases", public_tmp / "cases")
    shutil.copytree(ROOT / "expected", public_tmp / "expected")
    for p in [public_tmp, *public_tmp.rglob("*")]:
        p.chmod(0o755 if p.is_dir() or os.access(p, os.X_OK) else 0o644)
    return public_tmp


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to become another user with setpriv")
@pytest.mark.skipif(shutil.which("setpriv") is None, reason="setpriv (util-linux) is missing")
def test_not_root_skips_everything_and_changes_nothing(public_copy):
    state = pathlib.Path("/run/oomlab")
    had_state = state.exists()
    r = run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
             public_copy / "build/oomlab"])
    k = Ktap(r.stdout)
    assert r.returncode == 4, r.stdout + r.stderr
    assert k.plan == len(k.results) > 0
    for name, res in k.results.items():
        assert res["ok"] and res["directive"] == "SKIP", name
        assert res["reason"].startswith("not root: oomlab needs root"), res["reason"]
    assert state.exists() == had_state


TAP_DRIVER = pathlib.Path("/usr/share/automake-1.16/tap-driver.sh")


@pytest.mark.skipif(not TAP_DRIVER.exists(), reason="automake's tap-driver.sh is not installed")
@pytest.mark.parametrize("bad", [False, True])
def test_tap_driver_reads_the_stream(tmp_path, bad):
    write_case(tmp_path, "a-good", GOOD, EXPECT)
    if bad:
        write_case(tmp_path, "b-bad", BAD, EXPECT)
    log, trs = tmp_path / "oomlab.log", tmp_path / "oomlab.trs"
    r = run(["sh", TAP_DRIVER, "--test-name", "oomlab", "--log-file", log, "--trs-file", trs,
             "--", OOMLAB, "--validate", *suite_args(tmp_path)])
    assert r.returncode == 0, r.stderr
    results = re.findall(r"^:test-result: (\S+)", trs.read_text(), re.M)
    glob = re.search(r"^:global-test-result: (\S+)", trs.read_text(), re.M).group(1)
    if bad:
        # the FAIL, and tap-driver's ERROR for the non-zero exit status
        assert results[:2] == ["PASS", "FAIL"] and "ERROR" in results and glob == "ERROR"
    else:
        assert results == ["PASS"] and glob == "PASS"


def test_run_sh_keeps_relative_paths_relative_to_the_caller(tmp_path):
    write_case(tmp_path, "mine", GOOD, EXPECT)
    r = run([ROOT / "run.sh", "--validate", "--cases", "cases", "--expected", "expected"],
            cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert Ktap(r.stdout).order == ["mine"]
