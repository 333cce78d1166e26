# SPDX-License-Identifier: GPL-2.0
#
# kvgrow top-level Makefile.  `make` builds the userspace side into build/;
# `make check` runs every test; see README.md.

BUILD		?= build
CC		?= gcc
GO		?= go

include lib/objs.mk
LIB_SRCS	:= $(patsubst %.o,lib/%.c,$(kvg-lib-objs))
TEST_LIB_SRCS	:= $(LIB_SRCS) $(patsubst %.o,lib/%.c,$(kvg-test-objs))
# The lab's control file parser: pure, so the KUnit suites test it here too.
LAB_SRCS	:= kmod/lab/parse.c
SHIM_SRCS	:= userspace-test/shim/alloc.c userspace-test/shim/pages.c \
		   userspace-test/shim/random.c userspace-test/shim/siphash.c \
		   userspace-test/shim/trace.c
KUNIT_SRCS	:= $(wildcard kunit/*_kunit.c) kunit/map_fixture.c
# kvgrow.ko's registry and views, compiled into kunit/render_kunit.c
KUNIT_INCS	:= kmod/registry.c kmod/render.c kmod/kvgrow_mod.h
RUNNER_SRCS	:= userspace-test/kunit/runner.c
HDRS		:= $(wildcard include/kvgrow/*.h lib/*.h userspace-test/include/*/*.h \
			userspace-test/include/linux/sched/*.h \
			userspace-test/kunit/include/kunit/*.h kunit/*.h) kmod/lab/parse.h kmod/lab/oom.h \
		   $(KUNIT_INCS)

# The kernel's own warning set at W=1, and kernel-like code generation.
WARN		:= -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
		   -Wno-missing-field-initializers -Wno-type-limits \
		   -Wmissing-declarations -Wold-style-definition \
		   -Wmissing-prototypes -Wstrict-prototypes -Wvla -Werror
BASE_CFLAGS	:= -std=gnu11 -g -fno-strict-aliasing $(WARN) \
		   -Iinclude -Iuserspace-test/include -Iuserspace-test/kunit/include
OPT		?= -O2
TEST_DEFS	:= -DCONFIG_KVGROW_FAULT_INJECTION
SAN		:= -fsanitize=address,undefined -fno-omit-frame-pointer \
		   -fno-sanitize-recover=all

BINS		:= $(BUILD)/kvgrow-sim $(BUILD)/kvgrow-sim-asan \
		   $(BUILD)/kvgrow-test $(BUILD)/kvgrow-test-asan \
		   $(BUILD)/kvgrow-test-6.1 $(BUILD)/kvgtop $(BUILD)/kvgtop-static

.PHONY: all check check-user check-kernel kunit demo module bench bench-smoke \
	bench-kernel fuzz fuzz-regress clean
all: $(BINS)

$(BUILD):
	mkdir -p $@

SIM_SRCS	:= userspace-test/sim/kvgrow-sim.c userspace-test/sim/replay.c \
		   userspace-test/sim/trace-parse.c kmod/lab/oom.c $(LAB_SRCS)
$(BUILD)/kvgrow-sim: $(SIM_SRCS) $(LIB_SRCS) $(SHIM_SRCS) $(HDRS) $(wildcard userspace-test/sim/*.h) | $(BUILD)
	$(CC) $(BASE_CFLAGS) $(OPT) -o $@ $(filter %.c,$^)
# The same, sanitized: test-sim.sh runs the replays under it too.
$(BUILD)/kvgrow-sim-asan: $(SIM_SRCS) $(LIB_SRCS) $(SHIM_SRCS) $(HDRS) $(wildcard userspace-test/sim/*.h) | $(BUILD)
	$(CC) $(BASE_CFLAGS) -O1 $(SAN) -o $@ $(filter %.c,$^)

# The KUnit suites, linked with the shim runner: plain, sanitized, and with
# the shims pretending to be 6.1 (the other kvrealloc signature).
$(BUILD)/kvgrow-test: $(TEST_LIB_SRCS) $(LAB_SRCS) $(SHIM_SRCS) $(KUNIT_SRCS) $(RUNNER_SRCS) $(HDRS) | $(BUILD)
	$(CC) $(BASE_CFLAGS) $(OPT) $(TEST_DEFS) -o $@ $(filter-out $(KUNIT_INCS),$(filter %.c,$^))
$(BUILD)/kvgrow-test-asan: $(TEST_LIB_SRCS) $(LAB_SRCS) $(SHIM_SRCS) $(KUNIT_SRCS) $(RUNNER_SRCS) $(HDRS) | $(BUILD)
	$(CC) $(BASE_CFLAGS) -O1 $(SAN) $(TEST_DEFS) -o $@ $(filter-out $(KUNIT_INCS),$(filter %.c,$^))
$(BUILD)/kvgrow-test-6.1: $(TEST_LIB_SRCS) $(LAB_SRCS) $(SHIM_SRCS) $(KUNIT_SRCS) $(RUNNER_SRCS) $(HDRS) | $(BUILD)
	$(CC) $(BASE_CFLAGS) $(OPT) $(TEST_DEFS) -DKVG_KVREALLOC_OLDSIZE -o $@ $(filter-out $(KUNIT_INCS),$(filter %.c,$^))

# kvgtop (tools/kvgtop): userspace C with ncurses, built apart from the
# library.  kvgtop-static is for the test VM, a busybox initramfs without
# shared libraries.  The tests: its pure parts (no curses) with the unit
# test, plain and under ASan + UBSan, and the whole program under them.
KVGTOP_CORE	:= tools/kvgtop/snapshot.c tools/kvgtop/rates.c tools/kvgtop/view.c
KVGTOP_SRCS	:= $(KVGTOP_CORE) tools/kvgtop/batch.c tools/kvgtop/screen.c \
		   tools/kvgtop/main.c
KVGTOP_CFLAGS	:= -std=gnu11 -g -Wall -Wextra -Werror -Wmissing-prototypes \
		   -Wstrict-prototypes -Wvla -Wformat=2 -Wshadow
KVGTOP_LIBS	:= -lncursesw -ltinfo

$(BUILD)/kvgtop: $(KVGTOP_SRCS) tools/kvgtop/kvgtop.h | $(BUILD)
	$(CC) $(KVGTOP_CFLAGS) $(OPT) -o $@ $(filter %.c,$^) $(KVGTOP_LIBS)
$(BUILD)/kvgtop-static: $(KVGTOP_SRCS) tools/kvgtop/kvgtop.h | $(BUILD)
	$(CC) $(KVGTOP_CFLAGS) $(OPT) -static -o $@ $(filter %.c,$^) $(KVGTOP_LIBS)
$(BUILD)/kvgtop-asan: $(KVGTOP_SRCS) tools/kvgtop/kvgtop.h | $(BUILD)
	$(CC) $(KVGTOP_CFLAGS) -O1 $(SAN) -o $@ $(filter %.c,$^) $(KVGTOP_LIBS)
$(BUILD)/kvgtop-test: tools/kvgtop/test-kvgtop.c $(KVGTOP_CORE) tools/kvgtop/kvgtop.h | $(BUILD)
	$(CC) $(KVGTOP_CFLAGS) $(OPT) -o $@ $(filter %.c,$^)
$(BUILD)/kvgtop-test-asan: tools/kvgtop/test-kvgtop.c $(KVGTOP_CORE) tools/kvgtop/kvgtop.h | $(BUILD)
	$(CC) $(KVGTOP_CFLAGS) -O1 $(SAN) -o $@ $(filter %.c,$^)

# Go 1.19's real capacities for element sizes 1..1000 (needs golang-go).
$(BUILD)/goref/goref: userspace-test/goref/goref.go userspace-test/goref/gen-sizes.sh | $(BUILD)
	mkdir -p $(BUILD)/goref
	cp userspace-test/goref/goref.go $(BUILD)/goref/
	sh userspace-test/goref/gen-sizes.sh 1000 > $(BUILD)/goref/sizes.go
	cd $(BUILD)/goref && GO111MODULE=off GOCACHE=$(abspath $(BUILD))/gocache $(GO) build -o goref .

# Each suite prints "N passed, M failed"; scripts/check.sh adds them up.
check-user:
	@scripts/check.sh user $(BUILD)

# kvgrow.ko in Debian's 6.1 and 6.12 under qemu, and KUnit in UML + KASAN.
check-kernel:
	@scripts/check.sh kernel $(BUILD)

kunit:
	@scripts/check.sh kunit $(BUILD)

check:
	@scripts/check.sh all $(BUILD)

# kvgrow.ko and the example module against KDIR (a kernel build tree).
module:
	@test -n "$(KDIR)" || { echo "usage: make module KDIR=<kernel build dir>" >&2; exit 2; }
	@scripts/build-module.sh $(KDIR) $(BUILD)

demo:
	@scripts/demo.sh $(BUILD)

# kvgrow against Go 1.19, klib, absl, Boost, GLib and stb_ds (userspace-test/bench);
# bench-smoke is a seconds-long run that checks every workload's results.
bench bench-smoke:
	@$(MAKE) --no-print-directory -C userspace-test/bench $(patsubst bench-%,%,$@)

# kvgrow's map engines against rhashtable and xarray in Debian's 6.1 and 6.12
# under qemu (kmod/bench); KERNELS=6.1|6.12|all (default all).
bench-kernel:
	@scripts/bench-kernel.sh $(or $(KERNELS),all) $(BUILD)

# libFuzzer + ASan + UBSan (userspace-test/fuzz): fuzz runs each fuzzer for
# FUZZ_SECONDS (default 60); fuzz-regress replays the saved corpus once.
fuzz fuzz-regress:
	@$(MAKE) --no-print-directory -C userspace-test/fuzz $@ O=$(abspath $(BUILD))/fuzz

clean:
	rm -rf $(BUILD)
