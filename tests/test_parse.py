# SPDX-License-Identifier: GPL-2.0
"""oomlab parse on real and hand-written kernel logs, and on the other shapes people have them in.

Every fixture in tests/fixtures/parse (NAME.log or NAME.kmsg) has its expected parse in
NAME.json. The shape tests turn the recorded logs into dmesg -T, syslog, journal, wrapped,
rsyslog-escaped and interleaved variants and check that the events stay the same."""
import datetime
import json
import re

import pytest

from conftest import FIXTURES, oomlab

PARSE = FIXTURES / "parse"
LOGS = sorted(p for p in PARSE.iterdir() if p.suffix in (".log", ".kmsg"))
# Recorded here and in the VM: one record or dmesg line per line, with a time.
RECORDED = [p for p in LOGS if re.match(r"6\.\d+-v\d-", p.name)]


def parse_file(path, *args):
    """The parse of one file, without the file names (checked here) that the fixtures leave out."""
    r = oomlab("parse", *args, path)
    assert r.returncode == 0, r.stderr
    if args:
        return r.stdout
    got = json.loads(r.stdout)
    assert got.pop("files") == [{"file": str(path), "lines": got["lines"]}]
    for e in got["events"]:
        assert e.pop("file") == str(path)
    return got


def parse_text(tmp_path, text, *args):
    f = tmp_path / "log"
    f.write_text(text)
    return parse_file(f, *args)


def first_difference(want, got, where="$"):
    """The path and values of the first place two JSON values differ, for a readable failure."""
    if isinstance(want, dict) and isinstance(got, dict):
        for k in sorted(set(want) | set(got)):
            if k not in want or k not in got:
                return f"{where}.{k}: expected {want.get(k, '<absent>')!r}, saw {got.get(k, '<absent>')!r}"
            d = first_difference(want[k], got[k], f"{where}.{k}")
            if d:
                return d
        return None
    if isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            return f"{where}: expected {len(want)} items, saw {len(got)}"
        for i, (a, b) in enumerate(zip(want, got)):
            d = first_difference(a, b, f"{where}[{i}]")
            if d:
                return d
        return None
    return None if want == got else f"{where}: expected {want!r}, saw {got!r}"


@pytest.mark.parametrize("log", LOGS, ids=[p.name for p in LOGS])
def test_fixture_reads_to_its_expected_json(log):
    expected = log.with_suffix(".json")
    assert expected.exists(), f"{log.name} has no expected parse {expected.name}"
    want = json.loads(expected.read_text())
    got = parse_file(log)
    assert got == want, first_difference(want, got)


def test_every_expected_json_has_its_log():
    logs = {p.stem for p in LOGS}
    assert [p.name for p in PARSE.glob("*.json") if p.stem not in logs] == []


# --- the shapes a recorded log can be turned into -------------------------------------

KMSG = re.compile(r"^(\d+),\d+,(\d+),[^;]*;(.*)$")
DMESG = re.compile(r"^\[\s*(\d+)\.(\d+)\](?:\[\s*[TC]\d+\])? *(.*)$")   # with a caller id
BOOT = datetime.datetime(2026, 11, 22, 9, 0, 0)


PREFIXES = [re.compile(p) for p in (
    r"^kern\s*:\s*\w+\s*: (.*)$",                                   # dmesg -x
    r"^<\d>(.*)$",                                                   # dmesg -r
    r"^(?:\d+ )?[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ kernel: +(.*)$",   # syslog (numbered)
    r"^\d{4}-\d\d-\d\dT\S+ \S+ kernel: (.*)$",                       # journalctl -o short-iso
    r"^\[[A-Z][a-z]{2} [^\]]*\d{4}\] (.*)$",                          # dmesg -T
    r"^ *\d+\t(.*)$",                                                # cat -n
    r"^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} \w+\.\w+ kernel: +(.*)$",  # logread
)]


def records(text):
    """(level, microseconds, message) per line of a log in any of the shapes above."""
    out = []
    for n, line in enumerate(text.splitlines()):
        m = KMSG.match(line)
        if m:
            out.append((int(m[1]) & 7, int(m[2]), m[3]))
            continue
        if line.startswith(" ") and out and KMSG.match(text.splitlines()[n - 1] if n else ""):
            continue  # a kmsg record's " KEY=value" line
        stripped = True
        while stripped:     # a cat -n gutter before a syslog line, ...
            stripped = False
            for p in PREFIXES:
                m = p.match(line)
                if m:
                    line, stripped = m[1], True
                    break
        m = DMESG.match(line)
        if m:
            out.append((4, int(m[1]) * 1000000 + int(m[2].ljust(6, "0")[:6]), m[3]))
        else:
            out.append((4, (out[-1][1] if out else 0) + 1, line))
    return out


def wall(us):
    return BOOT + datetime.timedelta(microseconds=us)


def mono(us):
    return f"[{us // 1000000:5d}.{us % 1000000:06d}]"


LEVELS = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"]
SHAPES = {
    "bare": lambda lv, us, t: t,
    "dmesg": lambda lv, us, t: f"{mono(us)} {t}",
    "dmesg-r": lambda lv, us, t: f"<{lv}>{mono(us)} {t}",
    "dmesg-T": lambda lv, us, t: f"[{wall(us):%a %b %e %H:%M:%S %Y}] {t}",
    "dmesg-x": lambda lv, us, t: f"kern  :{LEVELS[lv]:<6}: {mono(us)} {t}",
    "syslog": lambda lv, us, t: f"{wall(us):%b %e %H:%M:%S} node-7 kernel: {t}",
    "syslog-printk-time": lambda lv, us, t: f"{wall(us):%b %e %H:%M:%S} node-7 kernel: {mono(us)} {t}",
    "journal-iso": lambda lv, us, t: f"{wall(us):%Y-%m-%dT%H:%M:%S}+0000 node-7 kernel: {t}",
    "journal-monotonic": lambda lv, us, t: f"{mono(us)} node-7 kernel: {t}",
    # what people paste: numbered views, OpenWrt, printk caller ids, a console's own
    # prefix, extra blanks after kernel:, a terminal doubling the blanks of fixed words
    "numbered-syslog": lambda lv, us, t: f"{us % 999983:6d} {wall(us):%b %e %H:%M:%S} node-7 kernel: {mono(us)} {t}",
    "cat-n": lambda lv, us, t: f"{us // 1000 % 100000:6d}\t{mono(us)} {t}",
    "logread": lambda lv, us, t: f"{wall(us):%a %b %e %H:%M:%S %Y} kern.{LEVELS[lv]} kernel: {mono(us)} {t}",
    "caller-ids": lambda lv, us, t: f"{mono(us)}[{('T' if us % 3 else 'C') + str(us % 4096):>6}] {t}",
    "console": lambda lv, us, t: f"ci-job 7 | {wall(us):%H:%M:%S} | {mono(us)} {t}",
    "kernel-blanks": lambda lv, us, t: f"{wall(us):%b %e %H:%M:%S} node-7 kernel:    {mono(us)} {t}",
    "doubled-blanks": lambda lv, us, t: f"{mono(us)} {doubled(t)}",
}

FIXED = re.compile(r" invoked oom-killer|Killed process|Kill process|or sacrifice child|memory: (?=Kill)")


def doubled(text):
    """The kernel's fixed words with their blanks doubled, as some terminals paste them
    (`Out of memory:  Kill`: "of memory" is what finds a report cut before its trigger)."""
    return FIXED.sub(lambda m: m[0].replace(" ", "  "), text)


def reshaped(log, shape):
    return "".join(SHAPES[shape](*r) + "\n" for r in records(log.read_text()))


# Every fixture but the wrapped e-mail paste (a prefix on its continuation lines would
# make them lines of their own).
RESHAPED = [p for p in LOGS if "wrapped" not in p.name]
# Fixtures whose events are told apart by printk times alone, and the shapes without them.
BY_TIME = {"hand-5.10-no-kill-then-next.log"}
UNTIMED = {"bare", "syslog", "journal-iso", "dmesg-T"}


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("log", RESHAPED, ids=[p.name for p in RESHAPED])
def test_every_shape_reads_the_same(tmp_path, log, shape):
    """Every era's reports read the same in dmesg, -T, -x, -r, syslog, journal and bare form."""
    if log.name in BY_TIME and shape in UNTIMED:
        pytest.skip(f"{log.name} needs printk times, which the {shape} shape does not have")
    want = json.loads(log.with_suffix(".json").read_text())
    got = parse_text(tmp_path, reshaped(log, shape))
    assert without_lines(got) == without_lines(want), first_difference(without_lines(want),
                                                                       without_lines(got))
    if log in RECORDED:   # one line each: the line numbers stay too
        assert got == want, first_difference(want, got)


def without_lines(value):
    """Events with the line numbers taken out, for shapes that move lines."""
    if isinstance(value, dict):
        return {k: without_lines(v) for k, v in value.items() if k not in ("line", "first_line", "last_line", "lines")}
    if isinstance(value, list):
        return [without_lines(v) for v in value]
    return value


KEY = re.compile(r" invoked oom-killer: |Killed process |^oom-kill:|ill process .* score ")


def wrap(text, width, at_blank):
    """Wrap the report's key lines as a mail client (at a blank, losing it) or a terminal (anywhere)."""
    out = []
    for line in text.splitlines():
        while KEY.search(line) and len(line) > width:
            cut = line.rfind(" ", 0, width) if at_blank else width
            if cut <= 0:
                break
            out.append(line[:cut])
            line = line[cut + 1:] if at_blank else line[cut:]
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("style", ["mail", "terminal"])
@pytest.mark.parametrize("shape", ["bare", "syslog"])
@pytest.mark.parametrize("log", RESHAPED, ids=[p.name for p in RESHAPED])
def test_wrapped_key_lines_are_joined(tmp_path, log, shape, style):
    if log.name in BY_TIME:
        pytest.skip(f"{log.name} needs printk times, which the {shape} shape does not have")
    want = without_lines(json.loads(log.with_suffix(".json").read_text()))
    if shape == "bare":
        text = wrap(reshaped(log, "bare"), 72, style == "mail")
    else:
        # the wrap is in the message: the continuation line has no syslog prefix
        text = "".join(wrap(SHAPES["syslog"](*r), 100, style == "mail") for r in records(log.read_text()))
    got = without_lines(parse_text(tmp_path, text))
    assert got == want, first_difference(want, got)


def test_rsyslog_escapes_are_lines(tmp_path):
    """rsyslog writes a record's embedded newlines as #012: the stats lines come as one."""
    log = PARSE / "6.1-v2-guest.log"
    want = without_lines(json.loads(log.with_suffix(".json").read_text()))
    out, run = [], []
    for lv, us, t in records(log.read_text()):
        # The lines of one printk record share a time; rsyslog would have one line for them.
        if run and run[0][1] == us:
            run.append((lv, us, t))
            continue
        if run:
            out.append(SHAPES["syslog"](*run[0][:2], "#012".join(r[2] for r in run)))
        run = [(lv, us, t)]
    out.append(SHAPES["syslog"](*run[0][:2], "#012".join(r[2] for r in run)))
    assert sum("#012" in line for line in out) > 10
    got = without_lines(parse_text(tmp_path, "\n".join(out) + "\n"))
    assert got == want, first_difference(want, got)


NOISE = ["audit: type=1400 audit(1700000000.123:42): apparmor=\"DENIED\" operation=\"open\"",
         "IPv6: ADDRCONF(NETDEV_CHANGE): veth3f2a: link becomes ready",
         "EXT4-fs (vda1): re-mounted. Opts: errors=remount-ro",
         "nvme nvme0: I/O 17 QID 3 timeout, aborting"]


def test_other_messages_between_report_lines(tmp_path):
    """Messages of other subsystems inside a report (before its kill) and between reports."""
    log = PARSE / "6.12-v2-guest.log"
    want = without_lines(json.loads(log.with_suffix(".json").read_text()))
    out, before_kill = [], True
    for i, (lv, us, t) in enumerate(records(log.read_text())):
        if " invoked oom-killer: " in t:
            out.append(SHAPES["dmesg"](6, us, NOISE[i % len(NOISE)]))
            before_kill = True
        if "Killed process" in t or "Kill process" in t:
            before_kill = False
        out.append(SHAPES["dmesg"](lv, us, t))
        if before_kill and i % 3 == 0:
            out.append(SHAPES["dmesg"](6, us, NOISE[i % len(NOISE)]))
    got = without_lines(parse_text(tmp_path, "\n".join(out) + "\n"))
    assert got == want, first_difference(want, got)


def test_rate_limited_reports_keep_their_kills(tmp_path):
    """With the headers rate-limited away, each Killed process line is an event of its own."""
    log = PARSE / "6.18-v1-adj-max-small-first.kmsg"
    full = json.loads(log.with_suffix(".json").read_text())["events"]
    kept = [SHAPES["dmesg"](*r) for r in records(log.read_text()) if "Killed process" in r[2]]
    events = parse_text(tmp_path, "some other line\n" + "\n".join(kept) + "\n")["events"]
    assert [e["kills"] for e in without_lines(events)] == [e["kills"] for e in without_lines(full)]
    assert all(e["trigger"] is None and e["tasks"] == [] for e in events)
    assert [e["kernel"]["era"] for e in events] == ["5.4+", "5.4+"]


def test_summary(tmp_path):
    out = parse_file(PARSE / "6.18-v1-adj-max-small-first.kmsg", "--summary")
    lines = out.splitlines()
    assert re.match(r"event 1 \(lines 1-80\): hog \(pid (\d+)\) invoked the OOM killer, "
                    r"CONSTRAINT_MEMCG in /\S+/adj-max-small-first; killed small \(pid \d+, "
                    r"anon-rss 1024 kB, oom_score_adj 1000\); 1st of 3 by badness \[kernel 6\.18\.\S+\]$", lines[0]), lines[0]
    assert "killed big" in lines[1]
    assert lines[-1] == "2 OOM events in 160 lines"
    panic = parse_file(PARSE / "6.12-v2-panic-on-oom-global.log", "--summary")
    assert "no kill logged; panic: Out of memory: system-wide panic_on_oom is enabled" in panic


def test_no_events_and_bad_input(tmp_path):
    log = "[  12.000001] usb 1-2: new high-speed USB device number 3\n"
    assert parse_text(tmp_path, log) == {"lines": 1, "events": []}
    syslog = "Nov 22 09:00:01 node-7 kernel: EXT4-fs (vda1): mounted\nno newline at the end"
    assert parse_text(tmp_path, syslog) == {"lines": 2, "events": []}
    r = oomlab("parse", tmp_path / "missing.log")
    assert r.returncode == 1 and "missing.log" in r.stderr and "No such file" in r.stderr
    r = oomlab("parse", tmp_path)
    assert r.returncode == 1 and str(tmp_path) in r.stderr
    r = oomlab("parse", "--bogus")
    assert r.returncode == 2
    r = oomlab("parse", "-", input=(PARSE / "6.18-v1-hog-killed.kmsg").read_text())
    assert r.returncode == 0 and len(json.loads(r.stdout)["events"]) == 1
    assert json.loads(r.stdout)["events"][0]["file"] == "-"


@pytest.mark.parametrize("content", [
    b"",
    b"just\nsome lines\nno newline at the end",
    b"Nov 22 09:00:01 node-7 sshd[811]: Accepted publickey for root\n",   # syslog, no kernel line
    bytes(range(256)) * 64,                                                # binary
    b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 4000 + b"oom-killer of memory\x00",
])
def test_input_that_is_not_a_kernel_log_says_so(tmp_path, content):
    """Not "0 OOM events": a file with no kernel log line is an error naming the file."""
    f = tmp_path / "not-a-log"
    f.write_bytes(content)
    r = oomlab("parse", f)
    assert r.returncode == 1, r.stdout
    assert r.stderr.startswith(f"oomlab parse: no kernel log lines in {f} ")
    assert r.stdout == ""
    r = oomlab("parse", "--summary", "-", input=content.decode("latin-1"))
    assert r.returncode == 1 and "no kernel log lines in standard input" in r.stderr


def test_several_files_in_order(tmp_path):
    """A rotated syslog: messages.1, then messages; each event names its file and lines."""
    older, newer = PARSE / "6.18-v1-hog-killed.kmsg", PARSE / "6.12-v2-guest.log"
    want = [(older, e) for e in parse_file(older)["events"]] + [(newer, e) for e in parse_file(newer)["events"]]
    r = oomlab("parse", older, newer)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    lines = [len(older.read_text().splitlines()), len(newer.read_text().splitlines())]
    assert got["files"] == [{"file": str(older), "lines": lines[0]}, {"file": str(newer), "lines": lines[1]}]
    assert got["lines"] == sum(lines)
    assert [(e.pop("file"), e) for e in got["events"]] == [(str(f), e) for f, e in want]
    # one file that is not a log: the others are still read, and the exit says so
    junk = tmp_path / "junk"
    junk.write_text("nothing here\n")
    r = oomlab("parse", "--summary", older, junk, newer)
    assert r.returncode == 1 and f"no kernel log lines in {junk}" in r.stderr
    assert f"event 1 ({older} lines " in r.stdout
    assert r.stdout.splitlines()[-1] == f"{len(want)} OOM events in {sum(lines)} lines of 2 files"


def test_binary_garbage_and_huge_lines(tmp_path):
    """Nothing in the input stops it: NUL bytes, invalid UTF-8, a line of 5 MB, lone anchors."""
    f = tmp_path / "junk"
    kill = (PARSE / "6.18-v1-hog-killed.kmsg").read_text().splitlines()[-1].split(";", 1)[1]
    f.write_bytes(b"\x00\xff\xfe oom-killer\n" + b"x" * (5 << 20) + b" of memory\n"
                  + b"Killed process\nKilled process 12 (\n" + kill.encode() + b"\n" + b"oom_reaper\n" * 3)
    got = parse_file(f)
    assert got["lines"] == 8
    assert [e["kills"][0]["comm"] for e in got["events"]] == ["hog"]


def shifted(value, by):
    """The same events with every line number moved down by `by` lines."""
    if isinstance(value, dict):
        return {k: (v + by if k in ("line", "first_line", "last_line") and isinstance(v, int)
                    else shifted(v, by)) for k, v in value.items()}
    if isinstance(value, list):
        return [shifted(v, by) for v in value]
    return value


def test_reports_anywhere_in_a_large_log(tmp_path):
    """Reports at the start, across the reader's 1 MiB reads, and at the very end of 9 MB."""
    log = PARSE / "6.12-v2-guest.log"
    report = log.read_text().splitlines()
    want = json.loads(log.with_suffix(".json").read_text())["events"]
    filler = [f"[{i // 1000:5d}.{i % 1000:06d}] {NOISE[i % len(NOISE)]} seq={i}" for i in range(120000)]
    lines, expected, used = [], [], 0
    for at in (0, 13000, 14000, 52000, 90000, 120000):   # ~75 bytes a line: reads are 14000 lines
        lines += filler[used:at]
        used = at
        expected += shifted(want, len(lines))
        lines += report
    f = tmp_path / "big.log"
    f.write_text("\n".join(lines))  # no newline at the end
    got = parse_file(f)
    assert got["lines"] == len(lines)
    assert got["events"] == expected, first_difference(expected, got["events"])


def strings(value):
    """Every string in a JSON value."""
    if isinstance(value, dict):
        return set().union(set(), *(strings(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(set(), *(strings(v) for v in value))
    return {value} if isinstance(value, str) else set()


@pytest.mark.parametrize("prefix", ["gw-7 kernel:x | ", "Jan 14 relay[12]: ", "ci-runner-04 job-17 | ", "> ",
                                    "| ", "ci | [job] "])
@pytest.mark.parametrize("log", RESHAPED, ids=[p.name for p in RESHAPED])
def test_a_prefix_it_cannot_know_never_becomes_a_value(tmp_path, log, prefix):
    """Every line behind a prefix the reader cannot take off: what is read is still right
    (every string is one of the fixture's own), and the prefix is in no value. (A mail
    client's "> " is taken off; a short unknown prefix before a trigger comm, together no
    longer than a comm, cannot be told from one.)"""
    want = json.loads(log.with_suffix(".json").read_text())
    got = parse_text(tmp_path, "".join(prefix + t + "\n" for lv, us, t in records(log.read_text())))
    for e in got["events"]:     # fewer lines read: a wider era, which is no value of the log
        e["kernel"].pop("era")
    invented = strings(got) - strings(want)
    assert not invented, f"values the log does not have: {sorted(invented)[:5]}"
    for value in strings(got):
        assert "kernel:" not in value and "relay[" not in value and " | " not in value, value


# --- what a second reading found: one small 6.1 report, written here, in many cuts ---------

REPORT = """\
hog invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=0
CPU: 1 PID: 1022 Comm: hog Not tainted 6.1.0-18-amd64 #1 Debian 6.1.76-1
Call Trace:
 dump_stack_lvl+0x64/0x80
Mem-Info:
 free:672 free_pcp:1430 free_cma:0
131070 pages RAM
Tasks state (memory values in pages):
[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name
[    219]     0   219    14190     1544   118784        0          -250 systemd-journal
[   1022]     0  1022   560211   133420   331776        0             0 hog
oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=hog,pid=1022,uid=0
Out of memory: Killed process 1022 (hog) total-vm:2240844kB, anon-rss:533680kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:324kB oom_score_adj:0
""".splitlines()


def timed(lines, at):
    return "".join(f"[{at:6d}.{i:06d}] {t}\n" for i, t in enumerate(lines))


def summary(tmp_path, text):
    return parse_text(tmp_path, text, "--summary").splitlines()


def test_a_warning_before_a_cut_report_is_not_its_trigger(tmp_path):
    warning = ["gunicorn: page allocation failure: order:4, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), nodemask=(null)",
               "CPU: 3 PID: 20902 Comm: gunicorn Not tainted 6.1.0-18-amd64 #1 Debian 6.1.76-1",
               "Mem-Info:", " free:21207 free_pcp:117 free_cma:0"]
    for gap in (60, 0):   # a minute before, and at once
        got = summary(tmp_path, timed(warning, 40) + timed(REPORT[7:], 40 + gap))
        assert got[0].startswith("event 1 (lines 5-10): no report header, CONSTRAINT_NONE; killed hog"), got


def test_reports_after_one_without_a_kill(tmp_path):
    """A report cut before its kill, then 400 s later one cut before its trigger."""
    got = summary(tmp_path, timed(REPORT[:11], 100) + timed(REPORT[1:], 500))
    assert got[0].startswith("event 1 (lines 1-11): hog (pid 1022) invoked the OOM killer; no kill logged"), got
    assert got[1].startswith("event 2 (lines 12-23): hog (pid 1022) invoked the OOM killer, CONSTRAINT_NONE; killed hog"), got


def test_values_that_look_like_prefixes_are_kept(tmp_path):
    text = "\n".join(REPORT).replace("(hog)", "(hog[1.2])").replace(" hog\n", " hog[1.2]\n")
    text = text.replace("task_memcg=/,", "task_memcg=/system.slice/backup-2024-01-14T10:11:12.service,")
    event = parse_text(tmp_path, timed(text.splitlines(), 100))["events"][0]
    assert event["kills"][0]["comm"] == "hog[1.2]" and event["tasks"][1]["name"] == "hog[1.2]"
    assert event["task_memcg"] == "/system.slice/backup-2024-01-14T10:11:12.service"


def test_every_blank_doubled_and_a_quoted_wrapped_paste(tmp_path):
    want = without_lines(parse_text(tmp_path, timed(REPORT, 100)))
    doubled_all = "".join(line.replace(" ", "  ") + "\n" for line in REPORT)
    got = without_lines(parse_text(tmp_path, doubled_all))
    assert got["events"][0]["kills"] == want["events"][0]["kills"]
    wrapped = PARSE / "hand-4.4-global-wrapped.log"
    want = json.loads(wrapped.with_suffix(".json").read_text())
    quoted = "".join("> " + line + "\n" for line in wrapped.read_text().splitlines())
    assert without_lines(parse_text(tmp_path, quoted)) == without_lines(want)


def test_across_the_readers_1_mib_reads(tmp_path):
    """A log's only kernel line across a read boundary; a headerless report across one."""
    filler = "".join(f"app[{i}]: request {i} served in 3 ms, nothing to see here\n" for i in range(40000))
    f = tmp_path / "log"
    def head(size):   # the filler up to the end of the line holding byte size
        return filler[:filler.index("\n", size) + 1]
    for shift in range(0, 120, 7):
        f.write_text(head((1 << 20) - shift) + "[   12.000001] usb 1-2: new device\n" + filler)
        assert oomlab("parse", f).returncode == 0, shift
    for shift in range(0, 1400, 100):
        f.write_text(head((1 << 20) - shift) + timed(REPORT[7:], 100))
        events = parse_file(f)["events"]
        assert len(events) == 1 and len(events[0]["tasks"]) == 2 and events[0]["task"]["pid"] == 1022, shift
