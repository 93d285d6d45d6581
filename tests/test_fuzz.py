# SPDX-License-Identifier: GPL-2.0
"""The kernel log reader under libFuzzer (ASan, UBSan) for a bounded time, seeded with the fixtures.

OOMLAB_FUZZ_SECONDS sets the time (default 60). Needs clang and libclang-rt-14-dev."""
import os
import shutil

import pytest

from conftest import ROOT, run

SECONDS = int(os.environ.get("OOMLAB_FUZZ_SECONDS", "60"))


def test_parser_survives_fuzzing():
    if not shutil.which("clang"):
        pytest.skip("no clang to build the libFuzzer target (Debian: clang, libclang-rt-14-dev)")
    build = run(["make", "-C", ROOT, "fuzz"], timeout=600)
    if build.returncode:
        if "libclang_rt.fuzzer" in build.stderr or "cannot find" in build.stderr:
            pytest.skip("clang has no libFuzzer runtime (Debian: libclang-rt-14-dev): "
                        + build.stderr.strip().splitlines()[-1])
        pytest.fail("make fuzz failed:\n" + build.stderr[-3000:])
    r = run(["make", "-s", "-C", ROOT, "fuzz-run", f"FUZZ_SECONDS={SECONDS}"], timeout=SECONDS + 600)
    out = r.stdout + r.stderr
    assert r.returncode == 0, "the fuzzer found a crash or a bad event:\n" + out[-4000:]
    assert "Done " in out and "stat::number_of_executed_units" in out, out[-2000:]
