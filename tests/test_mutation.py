# SPDX-License-Identifier: GPL-2.0
"""make mutation-check's inputs, checked without building a kernel: every mutant patch
applies cleanly to Debian's linux-source 6.1 and says what it models, and every option
of the guest's config fragment exists in 6.1's Kconfig files. One pass over the tarball
unpacks only the files the patches touch and the Kconfig files (about 10 s)."""
import pathlib
import re
import subprocess

import pytest

from conftest import ROOT

TARBALL = pathlib.Path("/usr/src/linux-source-6.1.tar.xz")
MUTATION = ROOT / "harness" / "mutation"
MUTANTS = sorted((MUTATION / "mutants").glob("*.patch"))
FRAGMENT = MUTATION / "guest.config"


def patched_files(patch):
    """The files a unified diff changes, as paths inside the tree (its +++ b/ lines)."""
    return re.findall(r"^\+\+\+ b/(\S+)", patch.read_text(), re.M)


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    if not TARBALL.exists():
        pytest.skip(f"{TARBALL} is missing (Debian: apt-get install linux-source-6.1)")
    files = sorted({f for p in MUTANTS for f in patched_files(p)})
    dest = tmp_path_factory.mktemp("linux")
    subprocess.run(["tar", "-xJf", TARBALL, "-C", dest, "--wildcards", "*/Kconfig*",
                    *[f"*/{f}" for f in files]], check=True, timeout=120)
    (top,) = [d for d in dest.iterdir() if d.is_dir()]
    return top


def test_mutants_exist():
    assert len(MUTANTS) >= 8, MUTANTS
    numbers = [p.name[:2] for p in MUTANTS]
    assert len(set(numbers)) == len(numbers), f"two mutants share a number: {numbers}"
    for p in MUTANTS:
        assert re.fullmatch(r"[0-9]{2}-[a-z0-9-]+\.patch", p.name), p.name


@pytest.mark.parametrize("patch", MUTANTS, ids=lambda p: p.stem)
def test_mutant_header(patch):
    """Each says what breakage it models and which case is expected to catch it."""
    text = patch.read_text()
    head = text[:text.index("\n--- a/")]
    assert head.startswith("Mutant: "), f"{patch.name}: the header starts with 'Mutant: '"
    assert "\nModels: " in head, f"{patch.name}: no 'Models:' paragraph"
    assert "\nExpected to catch it: " in head, f"{patch.name}: no 'Expected to catch it:'"


@pytest.mark.parametrize("patch", MUTANTS, ids=lambda p: p.stem)
def test_mutant_applies_cleanly(tree, patch):
    """patch -p1 --dry-run: no failed hunk, no fuzz, no offset, nothing reversed."""
    proc = subprocess.run(["patch", "-p1", "--dry-run", "--batch", "--forward", "-i", patch],
                          cwd=tree, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, f"{patch.name} does not apply:\n{proc.stdout}{proc.stderr}"
    odd = [line for line in proc.stdout.splitlines() if not line.startswith("checking file ")]
    assert not odd, f"{patch.name} applies, but not cleanly:\n{proc.stdout}"


def kconfig_symbols(tree):
    symbols = set()
    for path in tree.rglob("Kconfig*"):
        symbols.update(re.findall(r"^\s*(?:menu)?config\s+([A-Z0-9_]+)\s*$", path.read_text(
            errors="replace"), re.M))
    return symbols


def test_fragment_options_exist(tree):
    """Every option the fragment sets or unsets is one 6.1 knows (a renamed or removed
    one, such as MEMCG_SWAP, would be dropped by olddefconfig without a word)."""
    text = FRAGMENT.read_text()
    wanted = re.findall(r"^CONFIG_([A-Z0-9_]+)=", text, re.M)
    wanted += re.findall(r"^# CONFIG_([A-Z0-9_]+) is not set$", text, re.M)
    assert len(wanted) >= 30, f"{FRAGMENT}: only {len(wanted)} options"
    known = kconfig_symbols(tree)
    assert len(known) > 5000, f"only {len(known)} Kconfig symbols found: the unpack is partial"
    unknown = sorted(set(wanted) - known)
    assert not unknown, f"{FRAGMENT} names options 6.1 does not have: {unknown}"


def test_fragment_is_built_in():
    """The guest loads no modules: nothing is =m."""
    assert not re.search(r"^CONFIG_\w+=m$", FRAGMENT.read_text(), re.M)


def test_script_parses():
    proc = subprocess.run(["bash", "-n", MUTATION / "mutation-check.sh"], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
