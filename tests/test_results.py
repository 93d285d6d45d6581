# SPDX-License-Identifier: GPL-2.0
"""The results files (docs/results.md): --results DIR, --junit, --json, --html. Each is read
back by a reader of its own (junitparser, json, an HTML parser, headless Chromium) and
must say what the KTAP on stdout says."""
import json
import re
import shutil
import struct

import pytest

from conftest import OOMLAB, ROOT, assert_clean, needs_cases, oomlab, run
from results_check import assert_results_agree

CHROMIUM = shutil.which("chromium")


@pytest.fixture(scope="module")
def host_results(tmp_path_factory):
    """A host run of a passing case, a failing one (its expectation changed), one that this
    machine skips and one whose case file is broken, with every results file."""
    top = tmp_path_factory.mktemp("results")
    cases = top / "cases"
    cases.mkdir()
    for name in ("hog-killed", "guard-survives"):
        shutil.copy(ROOT / "cases" / f"{name}.case", cases)
        shutil.copy(ROOT / "expected" / f"{name}.expect", cases)
    shutil.copy(ROOT / "cases/hog-killed.case", cases / "changed.case")
    (cases / "changed.expect").write_text("[expect]\nsurvived = hog\ndmesg = Killed process {pid:hog} \\(hog\\)\n")
    (cases / "broken.case").write_text("[case]\nsummary = no process <at all>\n")
    (cases / "broken.expect").write_text("[expect]\n")
    out = top / "out"
    r = oomlab("--cases", cases, "--expected", cases, "--results", out, "hog-killed", "changed",
               "guard-survives", "broken")
    return r, out


@needs_cases
def test_every_file_says_what_the_ktap_says(host_results):
    r, out = host_results
    assert r.returncode == 1, r.stdout        # the changed and the broken case fail
    data = assert_results_agree(out, r.stdout)
    verdicts = {x["case"]: x["verdict"] for x in data["results"]}
    assert verdicts["hog-killed"] == "pass" and verdicts["changed"] == "fail"
    assert verdicts["broken"] == "fail" and verdicts["guard-survives"] in ("pass", "skip")
    assert data["totals"]["fail"] == 2


@needs_cases
def test_a_case_detail_has_checks_processes_memory_and_log(host_results):
    r, out = host_results
    results = {x["case"]: x for x in json.loads((out / "results.json").read_text())["results"]}
    passed, failed = results["hog-killed"]["detail"], results["changed"]["detail"]
    assert {c["key"]: c["ok"] for c in passed["checks"]}["killed"] is True
    [survived] = [c for c in failed["checks"] if c["key"] == "survived"]
    assert survived["ok"] is False and survived["expected"] == "hog"
    assert re.fullmatch(r"expected hog \(pid \d+\) to survive, saw it killed by SIGKILL",
                        survived["failure"]), survived
    [dmesg] = [c for c in failed["checks"] if c["key"] == "dmesg"]
    assert dmesg["ok"] is True                # one check failed, not the other
    [hog] = passed["processes"]
    assert hog["role"] == "hog" and hog["trigger"] and hog["fate"] == "killed by SIGKILL"
    assert hog["victim"] is True
    assert hog["oom_score"] >= 0 and hog["badness"] > 0
    samples = passed["memory"]["samples"]
    assert len(samples) >= 3 and passed["memory"]["interval_ms"] >= 5
    times = [s[0] for s in samples]
    assert times == sorted(times) and all(len(s) == 3 for s in samples)   # t, cgroup, hog
    assert max(s[1] for s in samples) > 32 * 1024     # the cgroup filled towards its 64M
    matched = [line["text"] for line in passed["log"] if line["matched"]]
    assert any(re.search(r"Killed process \d+ \(hog\)", t) for t in matched), matched
    # a case that could not be read has no detail, only its diagnostic
    broken = results["broken"]
    assert broken["detail"] is None and any("broken.case" in d for d in broken["diagnostics"])


@needs_cases
def test_junit_carries_the_failure_text_and_the_skip_reason(host_results):
    from junitparser import Failure, JUnitXml, Skipped
    r, out = host_results
    cases = {c.name: c for suite in JUnitXml.fromfile(str(out / "results.xml")) for c in suite}
    [failure] = [x for x in cases["changed"].result if isinstance(x, Failure)]
    assert "survived: expected hog (pid" in failure.text
    assert float(cases["hog-killed"].time) > 0
    skipped = [x for x in cases["guard-survives"].result if isinstance(x, Skipped)]
    if skipped:
        assert "CAP_SYS_RESOURCE" in skipped[0].message


@needs_cases
def test_sampling_off_leaves_no_samples(tmp_path):
    r = oomlab("--sample-ms", "0", "--json", tmp_path / "r.json", "hog-killed")
    assert r.returncode == 0, r.stdout
    [res] = json.loads((tmp_path / "r.json").read_text())["results"]
    assert res["detail"]["memory"] == {"interval_ms": 0, "samples": []}
    assert not (tmp_path / "results.ktap").exists()


def test_results_files_that_cannot_be_written(tmp_path):
    """Each file is made before any case runs: one that cannot be stops the run there."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    r = oomlab("--results", blocker / "sub", "hog-killed")
    assert r.returncode == 1 and "--results: mkdir" in r.stderr and r.stdout == ""
    for option in ("--junit", "--json", "--html"):
        r = oomlab(option, tmp_path / "missing-dir" / "r", "hog-killed")
        assert r.returncode == 1 and r.stdout == "", (option, r.stdout)
        assert f"create `{tmp_path}/missing-dir/r`: No such file or directory" in r.stderr
        assert_clean([r.pid])


def test_bytes_that_are_not_utf8_keep_every_file_readable(tmp_path):
    """A name (or a kernel log line) with a byte that is not UTF-8: JSON and XML stay valid."""
    from junitparser import JUnitXml
    r = run([OOMLAB, "--results", tmp_path / "out", b"bad\xff<&>"])
    assert r.returncode == 1
    [case] = [c for suite in JUnitXml.fromfile(str(tmp_path / "out/results.xml")) for c in suite]
    assert case.name == "bad?<&>"
    [res] = json.loads((tmp_path / "out/results.json").read_bytes().decode("utf-8"))["results"]
    assert res["case"] == "bad\u00ff<&>" and res["verdict"] == "fail"


def test_bad_sample_interval():
    r = oomlab("--sample-ms", "-1", "hog-killed")
    assert r.returncode == 1 and "sample-ms" in r.stderr


def png_size(path):
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", head
    return struct.unpack(">II", head[16:24])


@needs_cases
@pytest.mark.skipif(not CHROMIUM, reason="no chromium here (Debian's chromium package)")
def test_the_report_renders_in_headless_chromium(host_results, tmp_path):
    """The page's script draws each case (tables, bars, the SVG memory plot) with no
    console errors, and a screenshot of the page can be taken."""
    r, out = host_results
    page = (out / "report.html").resolve().as_uri()
    common = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0"]
    dom = run([*common, "--dump-dom", page], timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    errors = [line for line in dom.stderr.splitlines()
              if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)]
    assert not errors, errors
    assert dom.stdout.count('class="memplot"') >= 2, dom.stdout[:2000]   # hog-killed, changed
    assert "<polyline" in dom.stdout and 'class="matrix"' in dom.stdout
    assert re.search(r'<td class="cell fail"><a href="#c\d+">fail</a></td>', dom.stdout)
    assert "<td>hog (trigger) (victim)</td>" in dom.stdout
    shot = tmp_path / "shot.png"
    s = run([*common, f"--screenshot={shot}", "--window-size=1200,900", page], timeout=120)
    assert s.returncode == 0 and shot.exists(), s.stderr[-2000:]
    assert png_size(shot) == (1200, 900)
