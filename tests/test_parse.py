# SPDX-License-Identifier: GPL-2.0
"""oomlab parse on kernel logs recorded from this machine, and on their other shapes."""
import json
import re

import pytest

from conftest import FIXTURES, oomlab

ONE = FIXTURES / "kmsg/6.18-v1-memcg-one-kill.kmsg"
TWO = FIXTURES / "kmsg/6.18-v1-memcg-two-kills.kmsg"


def parse(tmp_path, text, *args):
    f = tmp_path / "log"
    f.write_text(text)
    r = oomlab("parse", *args, f)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["events"] if not args else r.stdout


def as_dmesg(kmsg_text):
    """Raw /dev/kmsg records as `dmesg` prints them: [seconds.micro] text."""
    out = []
    for rec in kmsg_text.splitlines():
        head, text = rec.split(";", 1)
        usec = int(head.split(",")[2])
        out.append(f"[{usec // 1000000:5d}.{usec % 1000000:06d}] {text}")
    return "\n".join(out) + "\n"


def as_text(kmsg_text):
    return "\n".join(r.split(";", 1)[1] for r in kmsg_text.splitlines()) + "\n"


@pytest.mark.parametrize("shape", [lambda t: t, as_dmesg, as_text], ids=["kmsg", "dmesg", "bare"])
def test_one_kill_report(tmp_path, shape):
    events = parse(tmp_path, shape(ONE.read_text()))
    assert len(events) == 1
    ev = events[0]
    assert ev["trigger"]["comm"] == "hog"
    assert ev["trigger"]["gfp_mask"] == "0xcc0(GFP_KERNEL)"
    assert ev["trigger"]["order"] == 0 and ev["trigger"]["oom_score_adj"] == 0
    pid = ev["trigger"]["pid"]
    assert ev["constraint"] == "CONSTRAINT_MEMCG" and ev["global_oom"] is False
    assert ev["oom_memcg"].endswith("/hog-killed") and ev["task_memcg"] == ev["oom_memcg"]
    assert ev["task"] == {"comm": "hog", "pid": pid, "uid": 0}
    assert ev["memcg_memory"] == {"usage_kb": 65536, "limit_kb": 65536, "failcnt": 0}
    [row] = ev["tasks"]
    assert row["pid"] == pid and row["name"] == "hog" and row["rss_anon"] == 16320
    assert row["pgtables_bytes"] == 184320 and row["oom_score_adj"] == 0
    [kill] = ev["kills"]
    assert kill["pid"] == pid and kill["comm"] == "hog"
    assert kill["reason"] == "Memory cgroup out of memory"
    assert (kill["total_vm_kb"], kill["anon_rss_kb"], kill["file_rss_kb"], kill["shmem_rss_kb"],
            kill["pgtables_kb"], kill["uid"], kill["oom_score_adj"]) == (68280, 65280, 1372, 0, 180, 0, 0)
    assert kill["reaped"] is None


def test_two_kills_in_order(tmp_path):
    events = parse(tmp_path, TWO.read_text())
    assert [e["kills"][0]["comm"] for e in events] == ["small", "big"]
    assert [len(e["tasks"]) for e in events] == [3, 2]
    assert events[0]["kills"][0]["oom_score_adj"] == 1000


def test_summary(tmp_path):
    out = parse(tmp_path, TWO.read_text(), "--summary")
    assert re.match(r"event 1 \(lines 1-\d+\): hog \(pid \d+\) invoked the OOM killer, "
                    r"CONSTRAINT_MEMCG in /\S+/adj-max-small-first; killed small", out)
    assert "event 2 " in out and "killed big" in out


def test_rate_limited_report_keeps_the_kill(tmp_path):
    killed = [r for r in as_text(ONE.read_text()).splitlines() if "Killed process" in r]
    events = parse(tmp_path, "some other line\n" + killed[0] + "\n")
    assert len(events) == 1
    assert events[0]["trigger"] is None and events[0]["constraint"] is None
    assert events[0]["kills"][0]["comm"] == "hog"


def test_comm_with_spaces_and_parentheses(tmp_path):
    text = as_text(ONE.read_text()).replace("(hog)", "(a (b) c)").replace("task=hog,", "task=a, b,")
    ev = parse(tmp_path, text)[0]
    assert ev["kills"][0]["comm"] == "a (b) c"
    assert ev["task"]["comm"] == "a, b"


def test_reaper_line_attaches_to_its_kill(tmp_path):
    text = as_text(ONE.read_text())
    pid = re.search(r"Killed process (\d+)", text).group(1)
    text += ("audit: something else\n"
             f"oom_reaper: reaped process {pid} (hog), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n")
    kill = parse(tmp_path, text)[0]["kills"][0]
    assert kill["reaped"]["anon_rss_kb"] == 0 and kill["reaped"]["line"] == len(text.splitlines())


def test_interleaved_lines_do_not_break_a_report(tmp_path):
    lines = as_text(ONE.read_text()).splitlines()
    mixed = []
    for i, line in enumerate(lines):
        mixed.append(line)
        if i % 7 == 3:
            mixed.append("EXT4-fs (vda): an unrelated message")
    ev = parse(tmp_path, "\n".join(mixed) + "\n")
    assert len(ev) == 1 and ev[0]["kills"][0]["comm"] == "hog" and len(ev[0]["tasks"]) == 1


@pytest.mark.parametrize("junk", [
    "", "\n\n", "[", "[]", "1,2,3;", "Killed process", "Killed process x (y",
    "invoked oom-killer: ", "oom-kill:", "oom-kill:task=,pid=", "[  pid  ] name rss",
    "\x00\x01\x02\xff", "x" * 100000,
])
def test_junk_does_not_crash(tmp_path, junk):
    f = tmp_path / "junk"
    f.write_bytes(junk.encode("utf-8", "surrogateescape") if isinstance(junk, str) else junk)
    r = oomlab("parse", f)
    assert r.returncode == 0, r.stderr
    json.loads(r.stdout)


def test_missing_file(tmp_path):
    r = oomlab("parse", tmp_path / "nope")
    assert r.returncode == 1
    assert f"open `{tmp_path}/nope`: No such file or directory" in r.stderr
