# SPDX-License-Identifier: GPL-2.0
"""Expected files: mistakes give file:line; the section rule decides what applies."""

import re

import pytest

from conftest import ROOT, Ktap, oomlab, suite_args, write_case

CASE = """\
[case]
summary = two roles
memory.max = 64M

[process guard]
run = idle --rss 1M

[process hog]
run = hog --size 128M
trigger = yes
"""

BAD = [
    ("[expect]\nkilled = nobody\n", 2, "'nobody' is not a role of case x (its roles: guard, hog)"),
    ("[expect]\nkilled =\n", 2, "empty list (write none for no roles)"),
    ("[expect]\nkilled = hog guard\n", 2, "'hog guard': separate roles with commas"),
    ("[expect]\nvictims = hog\nvictims = guard\n", 3, "second 'victims' in this section"),
    ("[expect]\nsample = hog oom_score_adjust 3\n", 2, "sample: unknown field 'oom_score_adjust'"),
    ("[expect]\nsample = hog oom_adj\n", 2, "sample: expected 'ROLE FIELD VALUE'"),
    ("[expect]\npanic = maybe\n", 2, "panic: expected yes or no, got 'maybe'"),
    ("[expect]\nconsole = pid {pid:hog}\n", 2, "console: placeholders are not available"),
    ("[expect]\ndmesg = Killed process (\n", 2, "bad regular expression 'Killed process ('"),
    ("[expect]\ndmesg = Killed process {pid:nobody}\n", 2, "{pid:nobody} has no value: unknown role"),
    ("[expect]\ndmesg = Killed {pid:hog\n", 2, "placeholder '{pid:hog' without '}'"),
    ("[expect]\ndmesg = oom_memcg={cgroup:limited}\n", 2,
     "{cgroup:limited} has no value: no [cgroup] section of that name"),
    ("[expect]\nreport_shape = no\n", 2, "report_shape: expected yes, or no with the reason"),
    ("[expect]\nreport_tasks = maybe\n", 2, "report_tasks: expected yes, or no with the reason"),
    ("[expect]\norder = hog >> guard\n", 2, "order: expected a role at '> guard'"),
    ("[expect]\norder = hog < guard\n", 2, "order: expected >, >= or = at '< guard'"),
    ("[expect]\norder = hog\n", 2, "order: needs at least two roles"),
    ("[expect]\noom_kills = some\n", 2, "oom_kills: 'some' is not a count"),
    ("[expect]\nmodel_order = hog >\n", 2, "order: expected a role at ''"),
    ("[expect]\nmodel_victim = maybe\n", 2, "model_victim: expected yes, or no with the reason"),
    ("[expect]\nmodel_score = no\n", 2, "model_score: expected yes, or no with the reason"),
    ("[expect]\nmodel_score = no,\n", 2, "model_score: expected yes, or no with the reason"),
    ("[expect]\nexit = hog\n", 2, "exit: expected 'ROLE CODE' with CODE 0 to 255"),
    ("[expect]\noutput = hog\n", 2, "output: expected 'ROLE REGEX'"),
    ("[expect]\nkiled = hog\n", 2, "unknown key 'kiled'"),
    ("[expect kernel >> 5]\nkilled = hog\n", 1, "unknown condition 'kernel >> 5'"),
    ("[expect cgroup v3]\nkilled = hog\n", 1, "unknown condition 'cgroup v3'"),
    ("[expectations]\n", 1, "unknown section [expectations]"),
    # A section that does not apply here is still checked.
    ("[expect]\nkilled = hog\n[expect kernel < 1.0]\nkilled = nobody\n", 4,
     "'nobody' is not a role of case x"),
    ("", 0, "no [expect] section"),
    ("[expect]\norder = hog > guard > hog\n", 2, "order: 'hog' appears twice"),
    ("[expect]\nmodel_order = hog >= hog\n", 2, "order: 'hog' appears twice"),
    ("[expect]\nkilled = hog, hog\n", 2, "'hog' appears twice in the list"),
    ("[expect]\nkilled = hog\nsurvived = guard, hog\n", 3,
     "'hog' is both killed (line 2) and survived (line 3): it cannot be both"),
    ("[expect]\nvictims = hog\nsurvived = hog\n", 3,
     "'hog' is both a victim (line 2) and survived (line 3): it cannot be both"),
    # Contradictions count once the sections that apply are merged.
    ("[expect]\nsurvived = hog\n[expect kernel >= 2.6]\nkilled = hog\n", 4,
     "'hog' is both killed (line 4) and survived (line 2)"),
]


@pytest.mark.parametrize("text,line,message", BAD, ids=[b[2][:40] for b in BAD])
def test_bad_expect(tmp_path, text, line, message):
    write_case(tmp_path, "x", CASE, text)
    r = oomlab("--validate", *suite_args(tmp_path))
    assert r.returncode == 1, r.stdout
    where = f"{tmp_path}/expected/x.expect:{line}: " if line else f"{tmp_path}/expected/x.expect: "
    assert where + message in Ktap(r.stdout).diags("x"), r.stdout


def effective(tmp_path, text, *extra):
    """The expectations in effect, as --validate -v prints them."""
    write_case(tmp_path, "x", CASE, text)
    r = oomlab("--validate", "-v", *extra, *suite_args(tmp_path))
    assert r.returncode == 0, r.stdout
    return [d.strip() for d in Ktap(r.stdout).results["x"]["diags"] if d.startswith("  ")]


def test_later_applying_section_replaces_the_key(tmp_path):
    got = effective(tmp_path, "[expect]\nvictims = hog\nkilled = hog\n"
                              "[expect kernel >= 1.0]\nvictims = guard, hog\n")
    assert "victims = guard, hog" in got
    assert "killed = hog" in got  # not set by the later section: stays


def test_section_that_does_not_apply_is_ignored(tmp_path):
    got = effective(tmp_path, "[expect]\nvictims = hog\n[expect kernel < 1.0]\nvictims = guard\n")
    assert got == ["victims = hog"]


def test_repeated_key_accumulates_within_a_section(tmp_path):
    got = effective(tmp_path, "[expect]\ndmesg = a\ndmesg = b\n[expect kernel >= 1.0]\ndmesg = c\n"
                              "dmesg = d\n")
    assert got == ["dmesg = c", "dmesg = d"]


def test_all_conditions_must_hold(tmp_path):
    got = effective(tmp_path, "[expect]\nvictims = hog\n"
                              "[expect kernel >= 1.0, kernel < 2.0]\nvictims = guard\n")
    assert got == ["victims = hog"]


@pytest.mark.parametrize("version", [1, 2])
def test_cgroup_condition_follows_the_hierarchy(tmp_path, version):
    fake = tmp_path / "fakecg"
    fake.mkdir()
    (fake / "cgroup.controllers").write_text("cpu memory\n")
    (fake / "memory.limit_in_bytes").write_text("9223372036854771712\n")
    got = effective(tmp_path, "[expect]\nvictims = hog\n[expect cgroup v1]\nvictims = guard\n"
                              "[expect cgroup v2]\nvictims = guard, hog\n",
                    "--cgroup-root", fake, "--cgroup-version", str(version))
    assert got == ["victims = guard" if version == 1 else "victims = guard, hog"]


def test_model_keys_print_back(tmp_path):
    got = effective(tmp_path, "[expect]\nmodel_order = hog > guard\nmodel_victim = no, a reason\n"
                              "model_score = yes\n")
    assert got == ["model_order = hog > guard", "model_victim = no, a reason"]


def test_order_and_exit_and_output_print_back(tmp_path):
    got = effective(tmp_path, "[expect]\norder = hog > guard\nexit = hog 3\n"
                              "output = hog ^hog: [0-9]+ MiB$\nno_dmesg = Killed process {pid:guard}\n")
    assert got == ["order = hog > guard", "exit = hog 3", "no_dmesg = Killed process {pid:guard}",
                   "output = hog ^hog: [0-9]+ MiB$"]


def expect_pattern(name, starts):
    """The dmesg pattern of expected/NAME.expect that starts with `starts`, as Python re."""
    for line in (ROOT / "expected" / f"{name}.expect").read_text().splitlines():
        if line.startswith("dmesg = " + starts):
            return re.compile(line[len("dmesg = "):])
    raise AssertionError(f"no dmesg = {starts}... in {name}.expect")


@pytest.mark.parametrize("mask", [
    "0x400dc0(GFP_KERNEL_ACCOUNT|__GFP_ZERO)",   # 6.12, a pipe's own structures
    "0xcc0(GFP_KERNEL|__GFP_ACCOUNT)",           # another spelling of the same fact
    "0x400cc0(GFP_KERNEL_ACCOUNT)",
    "0xdc0(GFP_KERNEL|__GFP_ZERO)",               # a SLAB_ACCOUNT cache's object (small config)
])
def test_kmem_pipes_accepts_every_spelling_of_a_kernel_allocation(mask):
    pattern = expect_pattern("kmem-pipes", "^pipes invoked")
    assert pattern.search(f"pipes invoked oom-killer: gfp_mask={mask}, order=0, oom_score_adj=0")


@pytest.mark.parametrize("mask", [
    "0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)",  # a user page: the pipes' memory is not that
    "0x1100cca(GFP_HIGHUSER_MOVABLE)",
])
def test_kmem_pipes_refuses_a_user_page(mask):
    pattern = expect_pattern("kmem-pipes", "^pipes invoked")
    assert not pattern.search(f"pipes invoked oom-killer: gfp_mask={mask}, order=0, oom_score_adj=0")
