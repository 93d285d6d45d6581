# SPDX-License-Identifier: GPL-2.0
"""The shape of the code: file and function sizes, the folders' dependency order, and
the tables the docs copy from the code (exit codes, case and expected keys)."""
import pathlib
import re
import subprocess

from conftest import OOMLAB, ROOT, STRESSORS

FILE_LINES_MAX = 600
FUNCTION_LINES_MAX = 80


def c_files():
    return sorted(list((ROOT / "harness").rglob("*.[ch]")) + list((ROOT / "stressors").glob("*.[ch]")))


def functions(path):
    """(name, body lines) of each function of a C file written in the kernel's style:
    the body opens with '{' alone in column 0 and closes with '}' alone in column 0."""
    lines = path.read_text().split("\n")
    start = None
    for i, line in enumerate(lines):
        if line == "{":
            start = i
            j = i - 1
            while j > 0 and not re.match(r"[A-Za-z_]", lines[j]):
                j -= 1
            name = lines[j].strip()
        elif line == "}" and start is not None:
            yield name, i - start - 1
            start = None


def folder_of(path):
    """The folder a source file belongs to: harness/X/ is X, harness/ itself is 'top'."""
    rel = path.relative_to(ROOT)
    if rel.parts[0] == "stressors":
        return "stressors"
    return rel.parts[1] if len(rel.parts) > 2 else "top"


def folder_edges():
    edges = {}
    for f in c_files():
        src = folder_of(f)
        for dst in re.findall(r'^#include "([a-z_]+)/', f.read_text(), re.M):
            if dst != src:
                edges.setdefault(src, set()).add(dst)
    return edges


def test_no_file_over_the_limit():
    long = [(str(f.relative_to(ROOT)), n) for f in c_files()
            if (n := len(f.read_text().splitlines())) > FILE_LINES_MAX]
    assert long == [], f"files over {FILE_LINES_MAX} lines: {long}"


def test_no_function_over_the_limit():
    long = [(str(f.relative_to(ROOT)), name, n) for f in c_files() if f.suffix == ".c"
            for name, n in functions(f) if n > FUNCTION_LINES_MAX]
    assert long == [], f"functions over {FUNCTION_LINES_MAX} lines: {long}"


def test_function_finder_sees_the_functions():
    # The size check above is only as good as this: it must find the long ones too.
    found = dict(functions(ROOT / "harness" / "run" / "runcase.c"))
    assert any(name.startswith("void case_run(") for name in found), sorted(found)
    assert max(found.values()) > 40


def test_folders_depend_on_each_other_without_a_circle():
    edges = folder_edges()
    done, path = set(), []

    def visit(node):
        if node in path:
            cycle = path[path.index(node):] + [node]
            raise AssertionError(f"folders include each other in a circle: {' -> '.join(cycle)}")
        if node in done:
            return
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            visit(nxt)
        path.pop()
        done.add(node)

    for node in sorted(edges):
        visit(node)


def test_nothing_includes_the_top_and_stressors_use_only_shared():
    edges = folder_edges()
    assert [src for src, dst in edges.items() if "top" in dst] == []
    assert edges.get("stressors", set()) <= {"shared"}, edges.get("stressors")
    # The fuzz target links klog with base's err and json only (Makefile KLOG).
    assert edges.get("klog", set()) <= {"base", "shared"}, edges.get("klog")


def test_readme_exit_codes_are_the_stressors():
    helped = subprocess.run([STRESSORS / "hog", "--help"], capture_output=True, text=True).stdout
    codes = re.findall(r"^  (\d+)  (.+)$", helped.split("Exit codes:")[1], re.M)
    readme = (ROOT / "README.md").read_text()
    table = readme.split("Stressor exit codes:")[1]
    documented = re.findall(r"^\| (\d+) \| (.+) \|$", table.split("\n\n")[1], re.M)
    assert codes, "hog --help lists no exit codes"
    assert documented == codes, f"README's table {documented}, stressors' --help {codes}"


def test_docs_key_tables_are_what_list_keys_prints():
    printed = subprocess.run([OOMLAB, "--list-keys"], capture_output=True, text=True,
                             check=True).stdout
    docs = (ROOT / "docs" / "case-format.md").read_text()
    tables = [block for block in printed.split("\n\n") if block.startswith("|")]
    assert len(tables) == 6, f"expected 6 tables ([case], [process], [change], [cgroup], [expect], placeholders), saw {len(tables)}"
    for table in tables:
        head = table.splitlines()[2]
        assert table + "\n" in docs, (f"docs/case-format.md lacks the table that begins "
                                      f"{head[:60]!r} as `oomlab --list-keys` prints it")
