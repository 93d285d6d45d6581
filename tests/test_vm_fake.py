# SPDX-License-Identifier: GPL-2.0
"""The VM backend against a fake qemu (tests/fakes): how a boot is started, watched and
judged, without a kernel to boot. Results must come from this boot only; a KVM that
cannot run the guest must be noticed in seconds and the boot tried again under TCG."""
import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import time

import pytest

from conftest import OOMLAB, ROOT, run

FAKE_QEMU = pathlib.Path(__file__).resolve().parent / "fakes" / "qemu-system-x86_64"


def fake_bzimage(path, version="6.99.0-fake"):
    """Just enough of a bzImage for oomlab to read its version from the setup header."""
    data = bytearray(0x400)
    data[0x202:0x206] = b"HdrS"
    data[0x20e:0x210] = (0x300 - 0x200).to_bytes(2, "little")
    text = f"{version} (fake@build) #1 SMP".encode()
    data[0x300:0x300 + len(text)] = text
    path.write_bytes(bytes(data))
    return path


@pytest.fixture
def vm(tmp_path):
    """Run oomlab's VM backend on a fake image with the fake qemu; returns run(mode, *args)."""
    image = fake_bzimage(tmp_path / "bzImage")
    initramfs = tmp_path / "initramfs.cpio.gz"
    initramfs.write_bytes(b"not used by the fake")
    logs = tmp_path / "logs"
    argsfile = tmp_path / "qemu-args"

    def go(mode, *args, kernels=(image,), timeout=120, env_extra=None):
        env = dict(os.environ, FAKE_QEMU=mode, FAKE_QEMU_ARGS=str(argsfile), **(env_extra or {}))
        kernel_args = [a for k in kernels for a in ("--kernel", k)]
        r = run([OOMLAB, "--vm-only", *kernel_args, "--qemu", FAKE_QEMU, "--initramfs", initramfs,
                 "--vm-logs", logs, *args], env=env, timeout=timeout)
        r.qemu_calls = argsfile.read_text().split("--\n")[:-1] if argsfile.exists() else []
        return r

    go.logs = logs / "6.99.0-fake"
    go.image = image
    return go


def test_a_guest_that_finishes_passes(vm):
    r = vm("guest", "--accel", "tcg", "hog-killed", "kmem-pipes")
    assert r.returncode == 0, r.stdout
    assert re.search(r"^ok 1 6\.99\.0-fake:hog-killed$", r.stdout, re.M)
    assert re.search(r"^ok 2 6\.99\.0-fake:kmem-pipes$", r.stdout, re.M)


def test_kvm_runs_with_the_host_cpu(vm):
    r = vm("guest", "--accel", "kvm", "--kvm-device", "/dev/null", "hog-killed")
    assert r.returncode == 0, r.stdout
    [call] = r.qemu_calls
    assert "-accel\nkvm\n-cpu\nhost\n" in call


def test_tcg_is_never_kvm(vm):
    r = vm("guest", "--accel", "tcg", "--kvm-device", "/dev/null", "hog-killed")
    assert r.returncode == 0, r.stdout
    assert r.qemu_calls and all("-accel\ntcg\n" in c and "-accel\nkvm" not in c
                                for c in r.qemu_calls)


def test_a_silent_kvm_guest_is_retried_under_tcg_within_seconds(vm):
    started = time.monotonic()
    r = vm("kvm-hang", "--kvm-device", "/dev/null", "hog-killed", "kmem-pipes")
    took = time.monotonic() - started
    assert r.returncode == 0, r.stdout
    assert re.search(r"^# 6\.99\.0-fake: boot boot-1 \(kvm\): boot failure after [0-9.]+ s: the "
                     r"kernel printed nothing within 5 s of qemu's start under KVM \(KVM cannot "
                     r"run this guest here\); the console's last line: Probing EDD .*; trying "
                     r"again under TCG", r.stdout, re.M), r.stdout
    assert re.search(r"^# 6\.99\.0-fake: boot boot-1 \(tcg\): finished", r.stdout, re.M)
    assert re.search(r"^ok 2 6\.99\.0-fake:kmem-pipes$", r.stdout, re.M)
    assert took < 60, f"took {took:.1f} s"
    # The failed attempt's logs are kept beside the retry's.
    assert (vm.logs / "boot-1.kvm.console.log").exists()
    assert (vm.logs / "boot-1.console.log").read_text().count("Linux version") == 1


def test_a_kvm_internal_error_is_seen_at_once_and_later_boots_use_tcg(vm):
    started = time.monotonic()
    # panic-on-oom-global boots on its own: a second boot, which goes straight to TCG.
    r = vm("kvm-error", "--kvm-device", "/dev/null", "hog-killed", "panic-on-oom-global")
    took = time.monotonic() - started
    assert re.search(r"^# 6\.99\.0-fake: boot boot-1 \(kvm\): boot failure after [0-9.]+ s: KVM "
                     r"could not run the guest: qemu said 'KVM internal error\. Suberror: 1'",
                     r.stdout, re.M), r.stdout
    assert took < 5, f"took {took:.1f} s"
    # the log it names is the one kept, with qemu's words in it
    see = pathlib.Path(re.search(r"boot boot-1 \(kvm\): .*\(see (\S+)\)", r.stdout)[1])
    assert see.name == "boot-1.kvm.qemu.log" and "KVM internal error" in see.read_text()
    assert [("-accel\nkvm" in c) for c in r.qemu_calls] == [True, False, False]
    assert re.search(r"^ok 1 6\.99\.0-fake:hog-killed$", r.stdout, re.M)


def test_a_qemu_that_cannot_start_kvm_and_exits_is_retried_under_tcg(vm):
    r = vm("kvm-exit", "--kvm-device", "/dev/null", "hog-killed")
    assert r.returncode == 0, r.stdout
    assert re.search(r"^# 6\.99\.0-fake: boot boot-1 \(kvm\): boot failure after [0-9.]+ s: KVM "
                     r"could not run the guest: qemu said 'qemu-system-x86_64: failed to initialize "
                     r"kvm: Permission denied'", r.stdout, re.M), r.stdout
    assert re.search(r"^ok 1 6\.99\.0-fake:hog-killed$", r.stdout, re.M)


def test_an_early_panic_under_tcg_is_booted_once_more(vm):
    r = vm("early-panic-once", "--accel", "tcg", "hog-killed")
    assert r.returncode == 0, r.stdout
    assert re.search(r"^# 6\.99\.0-fake: boot boot-1 \(tcg\): the kernel panicked after [0-9.]+ s, "
                     r"before the guest started oomlab: Kernel panic - not syncing: Fatal exception "
                     r"in interrupt; booting once more", r.stdout, re.M), r.stdout
    assert re.search(r"^ok 1 6\.99\.0-fake:hog-killed$", r.stdout, re.M)
    assert len(r.qemu_calls) == 2
    assert "Fatal exception" in (vm.logs / "boot-1.early-panic.console.log").read_text()
    assert "Fatal exception" not in (vm.logs / "boot-1.console.log").read_text()


def test_a_kernel_that_panics_at_every_boot_fails_after_one_more_try(vm):
    r = vm("early-panic", "--accel", "tcg", "hog-killed")
    assert r.returncode != 0, r.stdout
    assert re.search(r"^not ok 1 6\.99\.0-fake:hog-killed$", r.stdout, re.M), r.stdout
    assert "# boot failure: Kernel panic - not syncing: Fatal exception in interrupt" in r.stdout
    assert [("-accel\ntcg" in c) for c in r.qemu_calls] == [True, True], r.qemu_calls


def test_an_early_panic_under_kvm_is_not_tried_again(vm):
    r = vm("early-panic", "--accel", "kvm", "--kvm-device", "/dev/null", "hog-killed")
    assert r.returncode != 0, r.stdout
    assert len(r.qemu_calls) == 1
    assert "booting once more" not in r.stdout


def test_accel_kvm_does_not_fall_back(vm):
    r = vm("kvm-error", "--accel", "kvm", "--kvm-device", "/dev/null", "hog-killed")
    assert r.returncode == 1
    assert "# boot failure: KVM could not run the guest: qemu said 'KVM internal error" in r.stdout
    assert re.search(r"^not ok 1 6\.99\.0-fake:hog-killed$", r.stdout, re.M)
    assert len(r.qemu_calls) == 1


def test_accel_kvm_without_a_kvm_device(vm, tmp_path):
    r = vm("guest", "--accel", "kvm", "--kvm-device", tmp_path / "no-kvm", "hog-killed")
    assert r.returncode == 1
    assert f"KVM was asked for (--accel kvm), and `{tmp_path}/no-kvm` cannot be opened: No such " \
           f"file or directory" in r.stdout
    assert r.qemu_calls == []


STALE = "# oomlab-guest: boot 0123\nTAP version 13\n1..1\nok 1 hog-killed\n# oomlab-guest: exit 0\n"


def test_qemu_that_cannot_start_is_a_boot_failure_with_its_message(vm):
    # A result file of an earlier run is there; it must not count.
    vm.logs.mkdir(parents=True)
    (vm.logs / "boot-1.ktap.log").write_text(STALE)
    r = vm("fail-open", "--accel", "tcg", "hog-killed")
    assert r.returncode == 1, r.stdout
    assert re.search(r"^# boot failure: qemu exited with code 1: qemu-system-x86_64: -serial "
                     r"file:\S+: Could not open '\S+': Permission denied$", r.stdout, re.M), r.stdout
    assert re.search(r"^not ok 1 6\.99\.0-fake:hog-killed$", r.stdout, re.M)
    assert (vm.logs / "boot-1.ktap.log").read_text() == ""


def test_a_log_without_this_boots_word_does_not_count(vm):
    r = vm("no-nonce", "--accel", "tcg", "hog-killed")
    assert r.returncode == 1, r.stdout
    assert "# boot failure: the guest never started oomlab" in r.stdout
    assert re.search(r"^not ok 1 6\.99\.0-fake:hog-killed$", r.stdout, re.M)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to become another user with setpriv")
@pytest.mark.skipif(shutil.which("setpriv") is None, reason="setpriv (util-linux) is missing")
def test_a_read_only_log_folder_with_an_old_result_in_it(public_tmp):
    # As nobody, the log folder (root's) cannot be written; an old passing result is in it.
    shutil.copy2(OOMLAB, public_tmp / "oomlab")
    for d in ("cases", "expected"):
        shutil.copytree(OOMLAB.parent.parent / d, public_tmp / d)
    image = fake_bzimage(public_tmp / "bzImage")
    (public_tmp / "initramfs.cpio.gz").write_bytes(b"x")
    logs = public_tmp / "logs" / "6.99.0-fake"
    logs.mkdir(parents=True)
    (logs / "boot-1.ktap.log").write_text(STALE)
    for p in [public_tmp, *public_tmp.rglob("*")]:
        p.chmod(0o755 if p.is_dir() or os.access(p, os.X_OK) else 0o644)
    r = run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", public_tmp / "oomlab",
             "--vm-only", "--kernel", image, "--qemu", FAKE_QEMU, "--accel", "tcg",
             "--initramfs", public_tmp / "initramfs.cpio.gz", "--vm-logs", public_tmp / "logs",
             "--stressors", OOMLAB.parent / "stressors", "hog-killed"])
    assert r.returncode == 1, r.stdout + r.stderr
    assert re.search(r"^# cannot boot \S+: cannot (remove|create) the \S+ log `\S+`: Permission "
                     r"denied$", r.stdout, re.M), r.stdout
    assert re.search(r"^not ok 1 6\.99\.0-fake:hog-killed$", r.stdout, re.M)
    assert (logs / "boot-1.ktap.log").read_text() == STALE


def test_two_images_with_one_version_get_two_names(vm, tmp_path):
    other = fake_bzimage(tmp_path / "patched-bzImage")
    r = vm("guest", "--accel", "tcg", "hog-killed", kernels=(vm.image, other))
    assert r.returncode == 0, r.stdout
    assert re.search(r"^ok 1 6\.99\.0-fake:hog-killed$", r.stdout, re.M)
    assert re.search(r"^ok 2 6\.99\.0-fake@2:hog-killed$", r.stdout, re.M)
    assert f"# 6.99.0-fake@2: booting {other} " in r.stdout
    assert (vm.logs.parent / "6.99.0-fake@2" / "boot-1.console.log").exists()


def test_guest_diagnostics_name_the_hosts_files(vm):
    r = vm("fail", "--accel", "tcg", "hog-killed")
    assert r.returncode == 1
    expected = os.path.realpath(OOMLAB.parent.parent / "expected")
    assert f"# {expected}/hog-killed.expect:2: killed: expected hog" in r.stdout, r.stdout
    assert "/oomlab/expected" not in r.stdout


def test_a_failed_kvm_attempts_logs_are_removed_by_the_next_run(vm, tmp_path):
    # A case of its own boot with a dot in its name: its logs are named after it.
    cases, expected = tmp_path / "cases", tmp_path / "expected"
    cases.mkdir()
    expected.mkdir()
    shutil.copy(ROOT / "cases" / "hog-killed.case",
                cases / "hog.dotted.case")
    text = (cases / "hog.dotted.case").read_text().replace("[case]\n", "[case]\nown_boot = yes\n", 1)
    (cases / "hog.dotted.case").write_text(text)
    shutil.copy(ROOT / "expected" / "hog-killed.expect",
                expected / "hog.dotted.expect")
    where = ["--cases", cases, "--expected", expected, "--kvm-device", "/dev/null"]
    r = vm("kvm-hang", *where, "hog.dotted")
    assert r.returncode == 0, r.stdout
    kept = sorted(p.name for p in vm.logs.glob("*.kvm.*"))
    assert kept == ["hog.dotted.kvm.console.log", "hog.dotted.kvm.ktap.log",
                    "hog.dotted.kvm.qemu.log"], kept
    r = vm("guest", *where, "--accel", "tcg", "hog.dotted")
    assert r.returncode == 0, r.stdout
    assert sorted(vm.logs.glob("*.kvm.*")) == [], "an earlier run's failed KVM logs stayed"


def test_results_are_printed_as_the_guest_finishes_them(tmp_path):
    """Each case's result comes out while the guest still runs the next, not after qemu ends."""
    image = fake_bzimage(tmp_path / "bzImage")
    initramfs = tmp_path / "initramfs.cpio.gz"
    initramfs.write_bytes(b"not used by the fake")
    proc = subprocess.Popen([str(OOMLAB), "--vm-only", "--accel", "tcg", "--kernel", str(image),
                             "--qemu", str(FAKE_QEMU), "--initramfs", str(initramfs),
                             "--vm-logs", str(tmp_path / "logs"), "hog-killed", "kmem-pipes",
                             "adj-order"], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, FAKE_QEMU="slow"))
    seen = {}
    for line in proc.stdout:
        m = re.match(r"^(ok \d+ \S+|# \S+: boot boot-1 \(tcg\): finished)", line)
        if m:
            seen[m[1]] = time.monotonic()
    assert proc.wait(timeout=60) == 0
    first, last = seen["ok 1 6.99.0-fake:hog-killed"], seen["ok 3 6.99.0-fake:adj-order"]
    booted = next(t for k, t in seen.items() if "finished" in k)
    assert last - first > 1.5, seen         # a second apart, as the guest wrote them
    assert booted - first > 1.5, seen       # the first long before qemu ended


def test_a_result_line_cut_by_the_guests_end_is_not_a_result(vm):
    r = vm("cut-last", "--accel", "tcg", "hog-killed", "kmem-pipes")
    assert re.search(r"^ok 1 6\.99\.0-fake:hog-killed$", r.stdout, re.M), r.stdout
    assert re.search(r"^not ok 2 6\.99\.0-fake:kmem-pipes$", r.stdout, re.M), r.stdout
    assert "qemu exited (code 0) before the guest finished" in r.stdout


def test_the_guest_samples_as_the_host_was_told(vm):
    vm("guest", "--accel", "tcg", "--sample-ms", "0", "hog-killed")
    vm("guest", "--accel", "tcg", "--results", vm.logs.parent / "r", "hog-killed")
    first, second = [c.split("\n-append\n")[1].split("\n")[0] for c in vm("guest", "--accel", "tcg",
                                                                            "hog-killed").qemu_calls[:2]]
    assert "oomlab.sample_ms=0" in first and "oomlab.detail=1" not in first
    assert "oomlab.sample_ms=5" in second and "oomlab.detail=1" in second


def test_each_boot_gets_a_blank_disk_with_no_name(vm, tmp_path):
    disks = tmp_path / "disks"
    disks.mkdir()
    seen = tmp_path / "seen"
    r = vm("guest", "--accel", "tcg", "--swap-dir", disks, "hog-killed", "panic-on-oom-global",
           env_extra={"FAKE_QEMU_SEEN": str(seen)})
    assert re.search(r"^ok 1 6\.99\.0-fake:hog-killed$", r.stdout, re.M), r.stdout
    # (the fake guest never panics: panic-on-oom-global fails) panic-on-oom-global has a boot of its own: two boots, a disk each, 1 GiB, never named
    assert seen.read_text().count(f"disk 0 {1 << 30} virtio raw\n") == 2, seen.read_text()
    assert all("oomlab.disk=vda" in call for call in r.qemu_calls)
    assert list(disks.iterdir()) == []
    assert "had no disk" not in r.stdout
    # what the guest's /init said of it is a header note, not a diagnostic of the first case
    assert re.search(r"^# 6\.99\.0-fake: guest: /var/tmp is /dev/vda, 1024 MiB", r.stdout, re.M), r.stdout
    assert not re.search(r"^# guest:", r.stdout, re.M), r.stdout


def test_without_a_folder_for_the_disk_the_guest_boots_without_one(vm, tmp_path):
    r = vm("guest", "--accel", "tcg", "--swap-dir", tmp_path / "missing", "hog-killed")
    assert r.returncode == 0, r.stdout
    assert re.search(r"^# 6\.99\.0-fake: boot boot-1 had no disk: cannot make the guest's disk in "
                     r"`\S+/missing` \(--swap-dir\): No such file or directory$", r.stdout, re.M), r.stdout
    assert not any("-drive" in call.split("\n") for call in r.qemu_calls)
    assert not any("oomlab.disk" in call for call in r.qemu_calls)


def fake_module(name, depends=""):
    """Enough of a .ko for oomlab: its .modinfo strings, among other bytes."""
    return (b"\x7fELF" + bytes(range(64)) + f"\0license=GPL\0depends={depends}\0name={name}\0"
            f"vermagic=6.99.0-fake SMP mod_unload\0".encode() + name.encode() * 50)


def fake_package(root, modules, builtin=()):
    """A kernel package as Debian's unpack: boot/vmlinuz-V and lib/modules/V/ (no modules.dep)."""
    (root / "boot").mkdir(parents=True)
    image = fake_bzimage(root / "boot" / "vmlinuz-6.99.0-fake")
    moddir = root / "lib" / "modules" / "6.99.0-fake"
    order, bodies = [], {}
    for path, depends in modules.items():
        body = fake_module(pathlib.Path(path).name.split(".")[0], depends)
        bodies[pathlib.Path(path).name.split(".")[0].replace("-", "_")] = body
        target = moddir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.endswith(".xz"):
            target.write_bytes(subprocess.run(["xz", "-c"], input=body, capture_output=True,
                                              check=True).stdout)
        else:
            target.write_bytes(body)
        order.append(path.removesuffix(".xz"))
    (moddir / "modules.order").write_text("".join(p + "\n" for p in order))
    (moddir / "modules.builtin").write_text("".join(p + "\n" for p in builtin))
    return image, bodies


@pytest.mark.skipif(shutil.which("xz") is None, reason="xz is not installed")
def test_the_kernels_disk_modules_go_to_the_guest_in_load_order(vm, tmp_path):
    image, bodies = fake_package(tmp_path / "pkg", {
        "kernel/drivers/virtio/virtio_ring.ko": "",
        "kernel/drivers/virtio/virtio.ko": "virtio_ring",
        "kernel/drivers/block/virtio_blk.ko": "virtio,virtio_ring",
        "kernel/crypto/crc32c-generic.ko": "",
        "kernel/fs/jbd2/jbd2.ko.xz": "",
        "kernel/fs/mbcache.ko": "",
        "kernel/fs/ext4/ext4.ko": "jbd2,mbcache",
        "kernel/fs/fat/vfat.ko": "",
    }, builtin=["kernel/drivers/virtio/virtio_pci.ko"])
    seen = tmp_path / "seen"
    r = vm("guest", "--accel", "tcg", "hog-killed", kernels=(image,),
           env_extra={"FAKE_QEMU_SEEN": str(seen)})
    assert r.returncode == 0, r.stdout
    want = ["virtio_ring", "virtio", "virtio_blk", "crc32c_generic", "jbd2", "mbcache", "ext4"]
    assert re.search(r"^# 6\.99\.0-fake: the guest's modules from \S+/pkg/lib/modules/6\.99\.0-fake: "
                     + " ".join(want) + r" \(built in: virtio_pci\)$", r.stdout, re.M), r.stdout
    modules = [line.split() for line in seen.read_text().splitlines() if line.startswith("module ")]
    assert [m[1] for m in modules] == [f"oomlab/modules/{i:02d}-{n}.ko" for i, n in enumerate(want)]
    # each as the kernel loads it: jbd2 uncompressed from its .ko.xz
    assert [m[2] for m in modules] == [hashlib.sha256(bodies[n]).hexdigest() for n in want]


def test_a_missing_dependency_is_said_and_the_guest_boots_without_modules(vm, tmp_path):
    image, _ = fake_package(tmp_path / "pkg", {
        "kernel/drivers/virtio/virtio_pci.ko": "",
        "kernel/drivers/block/virtio_blk.ko": "virtio_gone",
        "kernel/fs/ext4/ext4.ko": "",
    })
    seen = tmp_path / "seen"
    r = vm("guest", "--accel", "tcg", "hog-killed", kernels=(image,),
           env_extra={"FAKE_QEMU_SEEN": str(seen)})
    assert r.returncode == 0, r.stdout
    assert re.search(r"^# 6\.99\.0-fake: the guest gets no modules: the guest's modules "
                     r"from `\S+/6\.99\.0-fake`: a dependency of virtio_blk: `\S+/modules\.order` "
                     r"lists no module virtio_gone$", r.stdout, re.M), r.stdout
    assert "module " not in seen.read_text()


def test_a_kernel_without_modules_gets_none(vm):
    r = vm("guest", "--accel", "tcg", "hog-killed")
    assert r.returncode == 0, r.stdout
    assert re.search(r"^# 6\.99\.0-fake: no modules of 6\.99\.0-fake found \(beside the image or in "
                     r"/lib/modules\): the guest has a disk only if virtio_pci, virtio_blk, ext4 and "
                     r"crc32c are built in$", r.stdout, re.M), r.stdout


@pytest.mark.skipif(shutil.which("xz") is None, reason="xz is not installed")
def test_an_optional_module_that_cannot_be_read_is_left_out_and_said(vm, tmp_path):
    image, _ = fake_package(tmp_path / "pkg", {
        "kernel/drivers/virtio/virtio_pci.ko": "",
        "kernel/drivers/block/virtio_blk.ko": "",
        "kernel/fs/ext4/ext4.ko": "",
        "kernel/fs/fuse/fuse.ko": "",
    })
    (tmp_path / "pkg/lib/modules/6.99.0-fake/kernel/fs/fuse/fuse.ko").unlink()
    (tmp_path / "pkg/lib/modules/6.99.0-fake/kernel/fs/fuse/fuse.ko.xz").write_bytes(b"not xz")
    seen = tmp_path / "seen"
    r = vm("guest", "--accel", "tcg", "hog-killed", kernels=(image,),
           env_extra={"FAKE_QEMU_SEEN": str(seen)})
    assert r.returncode == 0, r.stdout
    assert re.search(r"^# 6\.99\.0-fake: the guest's modules from \S+: virtio_pci virtio_blk ext4 "
                     r"\(left out: xz -dc `\S+/fuse\.ko\.xz` failed\)$", r.stdout, re.M), r.stdout
    modules = [line.split()[1] for line in seen.read_text().splitlines() if line.startswith("module ")]
    assert modules == ["oomlab/modules/00-virtio_pci.ko", "oomlab/modules/01-virtio_blk.ko",
                       "oomlab/modules/02-ext4.ko"]
