# SPDX-License-Identifier: GPL-2.0
"""oomlab explain on every parse fixture: a verdict for each event, the reason the report
shows where the victim was not the top candidate, and an oom_score_adj that, put into the
report, really spares the victim."""
import json
import pathlib
import re

import pytest

from conftest import FIXTURES, oomlab

PARSE = FIXTURES / "parse"
LOGS = sorted(p for p in PARSE.iterdir() if p.suffix in (".log", ".kmsg"))
KINDS = {"top", "sacrificed child", "oom_kill_allocating_task", "OOM origin", "not in table",
         "not top", "no table", "no kill"}

# Where the victim was not the top candidate, what the report shows instead: one entry per
# event (in log order) that is not "top", read off the logs by hand.
NOT_TOP = {
    "6.1-v2-guest.log": ["no table", "oom_kill_allocating_task"],
    "6.12-v2-guest.log": ["no table", "oom_kill_allocating_task"],
    "6.1-v2-panic-on-oom-2-memcg.log": ["no kill"],
    "6.1-v2-panic-on-oom-global.log": ["no kill"],
    "6.12-v2-panic-on-oom-2-memcg.log": ["no kill"],
    "6.12-v2-panic-on-oom-global.log": ["no kill"],
    "6.18-v1-swapoff-caller-first.kmsg": ["OOM origin"],
    "hand-2.6.18-i386-oldest.log": ["sacrificed child"],
    "hand-2.6.24-or-a-child.log": ["sacrificed child"],
    "hand-2.6.32-global-child-killed.log": ["sacrificed child"],
    "hand-2.6.32-panic-on-oom.log": ["no kill"],
    "hand-3.4-global-sacrifice-child.log": ["sacrificed child"],
    "hand-3.4-mips-panic-on-oom-2.log": ["no kill"],
    "hand-5.10-allocating-task-odd-comms.log": ["oom_kill_allocating_task"],
    "hand-5.10-no-kill-then-next.log": ["no kill", "no table", "no kill", "no table"],
    "hand-5.15-no-killable-panic.log": ["no kill"],
    "hand-5.4-ratelimited-storm.log": ["no table", "no table", "no table"],
    "hand-5.x-k8s-memcg-v1-partial.log": ["no table"],
    "hand-6.6-already-exiting.log": ["no kill"],
    "hand-bare-rows.log": ["sacrificed child"],
}


def explain(*args):
    r = oomlab("explain", "--json", *args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["events"]


@pytest.mark.parametrize("log", LOGS, ids=[p.name for p in LOGS])
def test_every_event_gets_a_verdict(log):
    events = explain(log)
    parsed = json.loads(oomlab("parse", log).stdout)["events"]
    assert len(events) == len(parsed)
    kinds = [e["verdict"]["kind"] for e in events]
    assert set(kinds) <= KINDS and all(e["verdict"]["text"] for e in events)
    assert [k for k in kinds if k != "top"] == NOT_TOP.get(log.name, [])
    for e, p in zip(events, parsed):
        if e["verdict"]["kind"] == "top":   # the victim has the first row, or ties with it
            killed = next(row for row in e["table"] if row["killed"])
            assert e["victim"]["rank"] == 1 and killed["points"] == e["table"][0]["points"], e["table"][:2]
        if p["kills"]:
            assert e["victim"]["pid"] == p["kills"][0]["pid"]
        if p["selected"] and p["selected"]["pid"] != p["kills"][0]["pid"] and e["verdict"]["kind"] == "sacrificed child":
            assert f"pid {p['selected']['pid']}" in e["verdict"]["text"]


def test_the_printed_score_is_the_formulas():
    """2.6.36-5.0 print the chosen one's score: the formula gives it from the table."""
    checked = 0
    for log in LOGS:
        for e in explain(log):
            if e["score"] and e["score"]["formula"] is not None and e["domain"]["pages"] is not None:
                assert abs(e["score"]["printed"] - e["score"]["formula"]) <= 1, (log.name, e["score"])
                checked += 1
    assert checked >= 10


def with_adj(text, pid, adj):
    """The log with the task table row of pid given another oom_score_adj: the last number
    before the name."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        m = re.search(r"\[\s*%d\]" % pid, line)
        if not m:
            continue
        tokens = re.split(r"(\s+)", line[m.end():])
        numbers = [k for k, t in enumerate(tokens) if re.fullmatch(r"-?\d+", t)]
        last = max(k for k in numbers if all(re.fullmatch(r"\s*|-?\d+", t) for t in tokens[:k]))
        tokens[last] = str(adj)
        lines[i] = line[:m.end()] + "".join(tokens)
        return "".join(lines)
    raise AssertionError(f"no row for pid {pid}")


@pytest.mark.parametrize("log", ["hand-4.9-doubled-blanks.log", "hand-rhel8-4.18-backport.log",
                                 "6.12-v2-guest.log", "hand-5.10-gutter-syslog.log"])
def test_the_adj_that_spares_the_victim_does(tmp_path, log):
    """Put the adj `explain` names into the report: the victim is no longer the top one, and
    the one named next is; one more and it still is."""
    text = (PARSE / log).read_text()
    event = next(e for e in explain(PARSE / log) if e["spare"] and e["spare"]["next_pid"])
    victim, spare = event["victim"]["pid"], event["spare"]
    for adj, top in ((spare["oom_score_adj"], spare["next_pid"]), (spare["oom_score_adj"] + 1, victim)):
        f = tmp_path / "log"
        f.write_text(with_adj(text, victim, adj))
        again = next(e for e in explain(f) if e["first_line"] == event["first_line"])
        assert again["table"][0]["pid"] == top, (adj, again["table"][:2])


def test_rows_sharing_the_victims_mm_are_named_and_not_the_next_victim():
    """sharedmm-all-die recorded on 6.1: five bombs of one mm, killed together, so no other
    task could be chosen instead. On 3.10 the adj is not shared: it must go on each."""
    [event] = [e for e in explain(PARSE / "6.1-v2-guest.log") if e["event"] == 5]
    assert event["mm_sharers"] == 4
    assert event["spare"] == {"oom_score_adj": -1000, "next_pid": None, "next_comm": None}
    text = oomlab("explain", "--event", "5", PARSE / "6.1-v2-guest.log").stdout
    assert ("shared mm: 4 other rows have the same total_vm, rss, swap and page tables as bomb, "
            "as tasks sharing one mm do: the kernel kills them with it, and this kernel (4.8+) "
            "sets an oom_score_adj written to one on all of them") in text, text
    [old] = explain(PARSE / "hand-3.10-memcg-v1-sharers.log")
    assert old["mm_sharers"] == 2 and old["spare"]["next_pid"] == 4718    # not worker-io: same mm
    text = oomlab("explain", PARSE / "hand-3.10-memcg-v1-sharers.log").stdout
    assert "or less on worker and on each task of its mm; then worker (pid 4718)" in text, text
    # rows of one size by chance: small ones are not taken for sharers
    assert all(e["mm_sharers"] == 0 for e in explain(PARSE / "hand-4.14-memcg-after-kill.log"))


def test_event_choice_and_bad_input(tmp_path):
    log = PARSE / "6.18-v1-adj-max-small-first.kmsg"
    assert [e["event"] for e in explain("--event", "2", log)] == [2]
    r = oomlab("explain", "--event", "3", log)
    assert r.returncode == 1 and "no event 3: the log holds 2" in r.stderr
    r = oomlab("explain", "--event", "0", log)
    assert r.returncode == 2 and "--event 0" in r.stderr
    f = tmp_path / "text"
    f.write_text("nothing to explain\n")
    r = oomlab("explain", f)
    assert r.returncode == 1 and f"no kernel log lines in {f}" in r.stderr and r.stdout == ""


def test_text_names_the_domain_the_verdict_and_the_table():
    r = oomlab("explain", PARSE / "hand-rhel6-2.6.32-backport.log")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "the machine's OOM" in lines[0] and "34091 reserved" in lines[0]
    assert "2.6.36-3.4 badness, from release 2.6.32-696.el6.x86_64 prints later lines" in lines[1]
    assert lines[2].startswith("  victim: mysqld (pid 3877), 1st of 40 by badness")
    assert lines[3].startswith("  verdict: top: mysqld was the top candidate")
    assert re.match(r"  to spare it: an oom_score_adj of \d+ or less on mysqld; then java", lines[5]), lines[5]
    assert lines[-1] == "  (40 rows in all, in pages; --rows 0 shows every one)"


# Real reports posted in public, kept beside the repository (not in it: fixtures here are
# written by hand); their README says what each victim was and what is unusual about it.
FIELD = pathlib.Path(__file__).resolve().parent.parent.parent / "shared" / "field-reports"
FIELD_VERDICTS = {
    "010-mips-router-3.4-rt-panic-on-oom-2-no-kill.log": ("no kill", None),
    # "victim mysqld has only 3287 pages RSS (score 16, swap-heavy)"
    "011-rhel6-2.6.32-mysqld-victim-small-rss-huge-table.log": ("top by its score", "mysqld"),
    "012-rhel8-4.18-varnish-rsyslog-012-escapes.log": ("top", "cache-main"),
    "015-k8s-kubevirt-cdi-importer-memcg-v1-dirty-cache-partial.log": ("top", "cdi-importer"),
}


@pytest.mark.skipif(not FIELD.is_dir(), reason=f"no field reports beside the repository ({FIELD})")
@pytest.mark.parametrize("name", sorted(FIELD_VERDICTS))
def test_field_reports_are_explained_as_their_readme_says(name):
    kind, victim = FIELD_VERDICTS[name]
    [event] = explain(FIELD / name)
    assert event["verdict"]["kind"] == kind, event["verdict"]
    assert (event["victim"] or {}).get("comm") == victim
    if kind == "top by its score":   # 308th by the table, but its score counts its swap
        assert event["victim"]["rank"] > 100 and "the table does not show" in event["verdict"]["text"]
