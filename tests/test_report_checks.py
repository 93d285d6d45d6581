# SPDX-License-Identifier: GPL-2.0
"""report_tasks and report_shape, the checks of a report's completeness and shape that
every case has unless its expected file turns them off: they pass on this kernel's own
reports and fail on a report that lost a field or a task table row. Real OOM kills; the
case reads the kernel log through a FIFO (--kmsg-path) that a proxy here fills from
/dev/kmsg, editing the records as a broken kernel would print them."""
import errno
import os
import re
import select
import shutil
import threading

import pytest

from conftest import ROOT, Ktap, needs_cases, oomlab

pytestmark = needs_cases


class KmsgProxy(threading.Thread):
    """Copies /dev/kmsg's records to a FIFO, each through edit(text) (None drops it), for
    every reader that opens the FIFO in turn (oomlab opens it once per case)."""

    def __init__(self, fifo, edit):
        super().__init__(daemon=True)
        self.fifo, self.edit = fifo, edit
        self.stop = threading.Event()
        self.src = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
        os.lseek(self.src, 0, os.SEEK_END)

    def open_writer(self):
        while not self.stop.is_set():
            try:
                return os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as e:
                if e.errno != errno.ENXIO:  # no reader yet
                    raise
                self.stop.wait(0.005)
        return None

    def pump(self, out):
        while not self.stop.is_set():
            select.select([self.src], [], [], 0.05)
            try:
                record = os.read(self.src, 8192).decode(errors="replace")
            except BlockingIOError:
                continue
            except OSError as e:
                if e.errno == errno.EPIPE:  # overwritten before read
                    continue
                raise
            head, _, text = record.partition(";")
            text = text.split("\n", 1)[0]
            edited = self.edit(text)
            if edited is not None:
                try:
                    os.write(out, f"{head};{edited}\n".encode())
                except BrokenPipeError:  # the case closed it
                    return

    def run(self):
        while not self.stop.is_set():
            out = self.open_writer()
            if out is None:
                return
            self.pump(out)
            os.close(out)

    def close(self):
        self.stop.set()
        self.join(10)
        os.close(self.src)


def run_through(tmp_path, edit, case, expected_dir=None):
    fifo = tmp_path / "kmsg.fifo"
    os.mkfifo(fifo)
    proxy = KmsgProxy(str(fifo), edit)
    proxy.start()
    try:
        extra = ["--expected", expected_dir] if expected_dir else []
        r = oomlab("--kmsg-path", fifo, *extra, case, timeout=300)
    finally:
        proxy.close()
    return r, Ktap(r.stdout)


def unchanged(text):
    return text


def test_a_real_report_read_through_the_fifo_passes_both_checks(tmp_path):
    r, k = run_through(tmp_path, unchanged, "adj-max-small-first")
    assert k.results["adj-max-small-first"]["ok"], r.stdout
    assert "report_" not in r.stdout


def no_shmem_rss(text):
    return re.sub(r", shmem-rss:\d+kB", "", text) if "Killed process" in text else text


def test_a_kill_line_without_shmem_rss_is_format_drift(tmp_path):
    r, k = run_through(tmp_path, no_shmem_rss, "hog-killed")
    assert not k.results["hog-killed"]["ok"], r.stdout
    assert re.search(r"^# \S+/hog-killed\.expect: report_shape: format drift in OOM report 1: the "
                     r"`Killed process` line lacks shmem-rss, which 4\.5\+ print \(this kernel: "
                     r"\d+\.\d+\.\d+\)$", r.stdout, re.M), r.stdout


def test_turned_off_with_a_reason_it_is_not_checked(tmp_path):
    expected = tmp_path / "expected"
    shutil.copytree(ROOT / "expected", expected)
    path = expected / "hog-killed.expect"
    path.write_text(path.read_text().replace("[expect]\n", "[expect]\nreport_shape = no, this kernel's "
                                             "Killed process line is known to lack shmem-rss\n", 1))
    r, k = run_through(tmp_path, no_shmem_rss, "hog-killed", expected)
    assert k.results["hog-killed"]["ok"], r.stdout


def without_big_once():
    dropped = []

    def edit(text):
        if not dropped and re.match(r"\[\s*\d+\]( +-?\d+){5,} big$", text):
            dropped.append(text)
            return None
        return text
    return edit


def test_a_task_table_that_leaves_a_live_process_out_fails(tmp_path):
    r, k = run_through(tmp_path, without_big_once(), "adj-max-small-first")
    assert not k.results["adj-max-small-first"]["ok"], r.stdout
    assert re.search(r"report_tasks: the task table of OOM report 1 lacks big \(pid \d+, oom_score_adj "
                     r"0\), which was alive: it has 2 rows$", r.stdout, re.M), r.stdout


def adj_of_small(text):
    # the oom_score_adj column comes right before the name
    return re.sub(r" 1000 small$", " 0 small", text) if text.endswith(" small") else text


def test_a_task_table_row_with_another_adj_fails(tmp_path):
    r, k = run_through(tmp_path, adj_of_small, "adj-max-small-first")
    assert not k.results["adj-max-small-first"]["ok"], r.stdout
    assert re.search(r"report_tasks: the task table of OOM report 1 lists small \(pid \d+\) with "
                     r"oom_score_adj 0, /proc said 1000 before go$", r.stdout, re.M), r.stdout


def test_another_kernels_shape_is_drift(tmp_path):
    """--model-kernel judges the report by another version's formats: 4.14 had nr_ptes."""
    r = oomlab("--model-kernel", "4.14", "hog-killed")
    assert re.search(r"report_shape: format drift in OOM report 1: the task table \(the row of pid \d+\) "
                     r"lacks nr_ptes, which 3\.6-4\.14 print \(this kernel: 4\.14\.0\)$", r.stdout,
                     re.M), r.stdout
