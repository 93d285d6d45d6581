# SPDX-License-Identifier: GPL-2.0
# oomlab: plain GNU make. `make` builds into build/, `make check` runs the tests.

CC      ?= gcc
CFLAGS  ?= -O2 -g
# What the code needs, kept apart so that `make CFLAGS=...` cannot drop it. snprintf
# truncating a message is fine; paths that are acted on are length-checked where
# they are built, so -Wformat-truncation is off.
REQUIRED_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 \
           -Wmissing-prototypes -Wno-format-truncation -MMD -MP
LDFLAGS ?=
# libseccomp, for the stressors' sandbox and injected faults.
SECCOMP_CFLAGS := $(shell pkg-config --cflags libseccomp)
SECCOMP_LIBS := $(shell pkg-config --libs libseccomp)
SECCOMP_STATIC_LIBS := $(shell pkg-config --static --libs libseccomp)
# Debian's interpreter: a python3 earlier on PATH (pyenv) may lack pytest.
PYTEST  ?= /usr/bin/python3 -m pytest
B       := build

STRESSORS := hog idle threads sharedmm forkbomb mlock swapoff vfork shmem filecache kmem stuck
# The stressors' own shared code, and what they share with the harness (harness/shared).
STRESSOR_LIB := stressors/common stressors/handshake stressors/guard stressors/alloc stressors/sharers \
                stressors/sandbox
SHARED := $(addprefix harness/shared/,units cgroup_locate memlimit faultspec keyfile \
          placeholders exitcodes protocol words)
# The harness, a folder per subsystem (docs/architecture.md). klog is the kernel log
# reader and OOM report parser: the fuzz target links exactly it, base's err, json and utf8,
# and shared/words.
KLOG := $(addprefix harness/klog/,logscan logline logjoin fixedtext learnprefix kmsg oomreport oomlines oomtext \
        oomtable oomvictim oomjson) harness/base/err harness/base/json harness/base/utf8
HARNESS := $(KLOG) harness/main harness/cli harness/suite harness/parse_cmd harness/explain_cmd harness/replay_cmd harness/logfiles harness/cgroup_cmd \
           $(addprefix harness/base/,clock fileio hostinfo procinfo child compare cleanup) \
           $(addprefix harness/cgroup/,cgroup cgroup_v1 cgroup_v2) \
           $(addprefix harness/machine/,sysctl swapfile shmobj) \
           $(addprefix harness/journal/,journal undo) \
           $(addprefix harness/format/,ini casefile casekeys expectfile expectkeys patterns) \
           $(addprefix harness/model/,badness casemodel rank explain replay) \
           $(addprefix harness/run/,runcase runloop spawn caseenv caselog resources machinelock \
             ratelimit casesysctl memtrace caseneeds) \
           $(addprefix harness/judge/,judge judge_model judge_report casediag casejson ktap) \
           $(addprefix harness/results/,verdict results resultsout markup junit resultsjson html progress) \
           $(addprefix harness/vm/,vm_boot vm_watch vm_suite vm_stream vm_cases vm_cpio vm_modules)

STRESSOR_BINS := $(STRESSORS:%=$(B)/stressors/%)
STRESSOR_LIB_OBJS := $(STRESSOR_LIB:%=$(B)/obj/%.o) $(SHARED:%=$(B)/obj/%.o)
HARNESS_OBJS := $(HARNESS:%=$(B)/obj/%.o) $(SHARED:%=$(B)/obj/%.o)

STATIC_BINS := $(B)/static/oomlab $(STRESSORS:%=$(B)/static/stressors/%)

all: $(B)/oomlab $(STRESSOR_BINS)

# Includes name their folder: #include "klog/kmsg.h", #include "shared/units.h".
$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(REQUIRED_CFLAGS) $(SECCOMP_CFLAGS) $(CFLAGS) -Iharness -c -o $@ $<

$(B)/stressors/%: $(B)/obj/stressors/%.o $(STRESSOR_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(SECCOMP_LIBS)

$(B)/oomlab: $(HARNESS_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(SECCOMP_LIBS)

# The VM guest runs static binaries from an initramfs.
$(B)/static/stressors/%: $(B)/obj/stressors/%.o $(STRESSOR_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -static -o $@ $^ $(SECCOMP_STATIC_LIBS)

$(B)/static/oomlab: $(HARNESS_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -static -o $@ $^ $(SECCOMP_STATIC_LIBS)

$(B)/initramfs.cpio.gz: $(STATIC_BINS) harness/vm/guest-init.sh harness/vm/mkinitramfs.sh \
		$(wildcard cases/*.case expected/*.expect)
	harness/vm/mkinitramfs.sh $@ $(B)/static

initramfs: $(B)/initramfs.cpio.gz

# Debian 12's 6.1 and 6.12 images, fetched with apt-get download and kept here.
KERNELS ?= $(B)/kernels

# The suite on each of them, in qemu guests (machine-wide cases included); VM_FLAVOURS
# adds 6.1's PREEMPT_RT and cloud images (VM_FLAVOURS= for 6.1 and 6.12 alone).
VM_FLAVOURS ?= rt cloud
vm-check: all initramfs
	@set -e; images=$$(harness/vm/fetch-kernels.sh $(KERNELS) $(VM_FLAVOURS)); \
	$(B)/oomlab --vm-only $$(for i in $$images; do printf -- '--kernel %s ' "$$i"; done)

check: all
	$(PYTEST) -q -rs tests

# oomlab's own mutation test (docs/mutation.md; not part of check): Debian's 6.1 source
# built for the guest, the suite in a guest of it and of each kernel mutant of
# harness/mutation/mutants. MUTANTS="01 03" runs only the mutants with those numbers.
MUTANTS ?=
mutation-check: all initramfs
	harness/mutation/mutation-check.sh $(MUTANTS)

# The kernel log reader under libFuzzer with ASan and UBSan (Debian: clang, libclang-rt-14-dev).
FUZZ_CC ?= clang
FUZZ_SRC := tests/fuzz/fuzz_parse.c $(KLOG:%=%.c) harness/shared/words.c
FUZZ_SECONDS ?= 60
$(B)/fuzz/fuzz_parse: $(FUZZ_SRC) $(wildcard harness/klog/*.h harness/base/*.h harness/shared/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=gnu11 -D_GNU_SOURCE -g -O1 -Iharness -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -o $@ $(FUZZ_SRC)

fuzz: $(B)/fuzz/fuzz_parse

# A bounded run, seeded with the parse fixtures and the inputs that once crashed it
# (tests/fuzz/regressions, run first); the corpus it grows and any crash stay in build/.
fuzz-run: fuzz
	@mkdir -p $(B)/fuzz/corpus
	$(B)/fuzz/fuzz_parse -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=$(B)/fuzz/ \
		$(B)/fuzz/corpus tests/fuzz/regressions tests/fixtures/parse

# oomlab(1), its options and keys from the binary (harness/man/mkman.sh).
$(B)/oomlab.1: $(B)/oomlab docs/oomlab.1.in harness/man/mkman.sh
	harness/man/mkman.sh $(B)/oomlab docs/oomlab.1.in $@

man: $(B)/oomlab.1

# An installed tree: PREFIX/lib/oomlab holds oomlab with its stressors, cases, expected
# files and the guests' initramfs (oomlab finds them next to itself); PREFIX/bin/oomlab
# links to it. DESTDIR: a staging root for packages.
PREFIX ?= /usr/local
LIBDIR = $(DESTDIR)$(PREFIX)/lib/oomlab

# DIR gets oomlab, its stressors, cases, expected files and initramfs.
define install_tree
	install -d $(1)/stressors $(1)/cases $(1)/expected
	install -m 755 $(B)/oomlab $(1)/oomlab
	install -m 755 $(STRESSOR_BINS) $(1)/stressors/
	install -m 644 cases/*.case $(1)/cases/
	install -m 644 expected/*.expect $(1)/expected/
	install -m 644 $(B)/initramfs.cpio.gz $(1)/initramfs.cpio.gz
endef

install: all man initramfs
	$(call install_tree,$(LIBDIR))
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	ln -sfn ../lib/oomlab/oomlab $(DESTDIR)$(PREFIX)/bin/oomlab
	install -m 644 $(B)/oomlab.1 $(DESTDIR)$(PREFIX)/share/man/man1/oomlab.1

uninstall:
	rm -rf $(LIBDIR)
	rm -f $(DESTDIR)$(PREFIX)/bin/oomlab $(DESTDIR)$(PREFIX)/share/man/man1/oomlab.1

# A kselftest collection in INSTALL_PATH/oomlab, listed in INSTALL_PATH/kselftest-list.txt
# (the kernel's `make -C tools/testing/selftests install` makes that folder, with
# run_kselftest.sh; this adds oomlab to it, or starts it). KSELFTEST_TIMEOUT: seconds the
# runner gives the whole suite.
KSELFTEST_TIMEOUT ?= 1800
kselftest-install: all initramfs
	@test -n "$(INSTALL_PATH)" || { echo "make kselftest-install: INSTALL_PATH=DIR is needed" >&2; exit 1; }
	$(call install_tree,$(INSTALL_PATH)/oomlab)
	install -m 755 harness/kselftest/oomlab.sh $(INSTALL_PATH)/oomlab/oomlab.sh
	echo "timeout=$(KSELFTEST_TIMEOUT)" > $(INSTALL_PATH)/oomlab/settings
	touch $(INSTALL_PATH)/kselftest-list.txt
	test -z "$$(tail -c 1 $(INSTALL_PATH)/kselftest-list.txt)" || echo >> $(INSTALL_PATH)/kselftest-list.txt
	grep -qx 'oomlab:oomlab.sh' $(INSTALL_PATH)/kselftest-list.txt || \
		echo 'oomlab:oomlab.sh' >> $(INSTALL_PATH)/kselftest-list.txt

clean:
	rm -rf $(B)

.PHONY: all check clean initramfs vm-check mutation-check fuzz fuzz-run man install uninstall kselftest-install
# Keep objects: pattern-rule intermediates would otherwise be deleted.
.SECONDARY:
-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
