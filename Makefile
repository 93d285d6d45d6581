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

STRESSORS := hog idle threads sharedmm forkbomb mlock swapoff vfork shmem filecache kmem
# The stressors' own shared code, and what they share with the harness (harness/shared).
STRESSOR_LIB := stressors/common stressors/handshake stressors/guard stressors/alloc stressors/sharers \
                stressors/sandbox
SHARED := $(addprefix harness/shared/,units cgroup_locate memlimit faultspec keyfile \
          placeholders exitcodes protocol words)
# The harness, a folder per subsystem (docs/architecture.md). klog is the kernel log
# reader and OOM report parser: the fuzz target links exactly it, base's err and json,
# and shared/words.
KLOG := $(addprefix harness/klog/,logscan logline logjoin fixedtext learnprefix kmsg oomreport oomlines oomtext \
        oomtable oomvictim oomjson) harness/base/err harness/base/json
HARNESS := $(KLOG) harness/main harness/cli harness/suite harness/parse_cmd harness/explain_cmd harness/replay_cmd harness/logfiles harness/cgroup_cmd \
           $(addprefix harness/base/,clock fileio hostinfo procinfo child compare cleanup) \
           $(addprefix harness/cgroup/,cgroup cgroup_v1 cgroup_v2) \
           $(addprefix harness/machine/,sysctl swapfile shmobj) \
           $(addprefix harness/journal/,journal undo) \
           $(addprefix harness/format/,ini casefile casekeys expectfile expectkeys patterns) \
           $(addprefix harness/model/,badness casemodel rank explain replay) \
           $(addprefix harness/run/,runcase runloop spawn caseenv caselog resources machinelock \
             ratelimit casesysctl memtrace) \
           $(addprefix harness/judge/,judge judge_model casediag casejson ktap) \
           $(addprefix harness/results/,verdict results resultsout junit resultsjson html) \
           $(addprefix harness/vm/,vm_boot vm_watch vm_suite vm_cases)

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

# The suite on each of them, in qemu guests (machine-wide cases included).
vm-check: all initramfs
	@set -e; images=$$(harness/vm/fetch-kernels.sh $(KERNELS)); \
	$(B)/oomlab --vm-only $$(for i in $$images; do printf -- '--kernel %s ' "$$i"; done)

check: all
	$(PYTEST) -q -rs tests

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

clean:
	rm -rf $(B)

.PHONY: all check clean initramfs vm-check fuzz fuzz-run
# Keep objects: pattern-rule intermediates would otherwise be deleted.
.SECONDARY:
-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
