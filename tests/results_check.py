# SPDX-License-Identifier: GPL-2.0
"""Reading a --results folder back, each file with its own reader, and checking that the
KTAP, JUnit, JSON and HTML say the same of every case on every kernel."""
import html.parser
import json
import re

from conftest import Ktap

VERDICTS = {"pass", "fail", "skip", "timeout", "error"}


def from_ktap(text):
    """{(kernel, case): verdict} from the KTAP stream: "host" for the host's cases."""
    k = Ktap(text)
    out = {}
    for name, res in k.results.items():
        kernel, _, case = name.rpartition(":")
        directive = (res["directive"] or "").lower()
        verdict = directive if directive in ("skip", "timeout", "error") else \
            "pass" if res["ok"] else "fail"
        out[(kernel or "host", case)] = verdict
    return out


def from_junit(path):
    """The same from the JUnit file, read by junitparser (a JUnit consumer of its own)."""
    from junitparser import Error, Failure, JUnitXml, Skipped
    out = {}
    for suite in JUnitXml.fromfile(str(path)):
        kernel = suite.name.removeprefix("oomlab.")
        for case in suite:
            kinds = [type(r) for r in case.result]
            if Skipped in kinds:
                verdict = "skip"
            elif Error in kinds:
                verdict = "error"
            elif Failure in kinds:
                failure = next(r for r in case.result if isinstance(r, Failure))
                verdict = "timeout" if failure.type == "timeout" else "fail"
            else:
                verdict = "pass"
            assert case.classname == f"oomlab.{kernel}", (case.classname, kernel)
            out[(kernel, case.name)] = verdict
    return out


def from_json(path):
    data = json.loads(path.read_text())
    return {(r["kernel"], r["case"]): r["verdict"] for r in data["results"]}, data


class _Report(html.parser.HTMLParser):
    """Each case section's heading ("CASE on KERNEL: verdict") and the matrix's cells."""

    def __init__(self):
        super().__init__()
        self.headings, self.cells, self._in_h3, self._text = [], [], False, ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "h3":
            self._in_h3, self._text = True, ""
        if tag == "td" and "cell" in (a.get("class") or "").split():
            self.cells.append(a["class"].split()[1])

    def handle_endtag(self, tag):
        if tag == "h3":
            self._in_h3 = False
            self.headings.append(self._text)

    def handle_data(self, data):
        if self._in_h3:
            self._text += data


def from_html(path, host_kernel):
    p = _Report()
    p.feed(path.read_text())
    out = {}
    for h in p.headings:
        m = re.fullmatch(r"(\S+) on (.+?): (\w+)(?: \(.*\))?", h)
        assert m, h
        kernel = "host" if m[2] == f"host {host_kernel}" else m[2]
        out[(kernel, m[1])] = m[3]
    return out, p.cells


def assert_results_agree(folder, stdout):
    """Every file of the folder names the same cases with the same verdicts as stdout's KTAP;
    returns the JSON."""
    ktap = from_ktap(stdout)
    assert (folder / "results.ktap").read_text() == stdout
    junit = from_junit(folder / "results.xml")
    js, data = from_json(folder / "results.json")
    report, cells = from_html(folder / "report.html", data["host_kernel"])
    assert ktap and set(ktap.values()) <= VERDICTS
    assert junit == ktap, (junit, ktap)
    assert js == ktap, (js, ktap)
    assert report == ktap, (report, ktap)
    # the matrix: a cell per case and kernel, in the verdict's colour
    assert sorted(cells) == sorted(ktap.values()), cells
    return data
