#!/bin/bash
# usage: scripts/check.sh [user|kernel|kunit|all] [BUILD_DIR]
#   Run kvgrow's test suites: user (userspace builds), kernel (the qemu
#   accelerator choice, kvgrow.ko end to end in Debian's 6.1 and 6.12
#   kernels, the KUnit suites in a UML KASAN kernel, and the kernel's fault
#   injection aimed at kvgrow in another), kunit (only the KUnit suites),
#   all (both).  Each suite's
#   output goes to BUILD_DIR/logs/; one line "<label>: N passed, M failed"
#   per suite (the label is the suite's own, e.g. a kernel release, when its
#   closing line has one), then a total line "N passed, M failed".  Exits
#   non-zero on any failure, and counts a suite that ends without its own
#   result line as one failure.
set -uo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

mode=${1:-all}
build=$(realpath -m "${2:-$KVG_ROOT/build}")
logs=$build/logs
pass=0
fail=0
mkdir -p "$logs"

# suite NAME CMD...: run one suite and add up its closing line.
suite() {
	local name=$1 line label p f st
	shift
	"$@" >"$logs/$name.log" 2>&1
	st=$?
	line=$(grep -E '^([^ ]+: )?[0-9]+ passed, [0-9]+ failed' "$logs/$name.log" | tail -1)
	label=$name
	case $line in
	*": "*) label=${line%%: *} line=${line#*: } ;;
	esac
	if [ -z "$line" ]; then
		p=0 f=1
		line="0 passed, 1 failed (no result line, exit $st; see $logs/$name.log)"
	else
		p=${line%% passed*}
		f=${line#*, }
		f=${f%% failed*}
		[ "$st" -eq 0 ] || [ "$f" -gt 0 ] || { f=1; line="$line (exit $st)"; }
	fi
	[ "$f" -eq 0 ] || tail -n 40 "$logs/$name.log" | grep -v '^ *ok ' >&2
	echo "$label: $line"
	pass=$((pass + p))
	fail=$((fail + f))
}

user() {
	deps build-essential golang-go libncurses-dev tmux
	make -C "$KVG_ROOT" -s BUILD="$build" all "$build/goref/goref" || exit 1
	suite kunit-user "$build/kvgrow-test"
	suite kunit-user-asan-ubsan "$build/kvgrow-test-asan"
	suite kunit-user-6.1-shims "$build/kvgrow-test-6.1"
	suite kvgrow-sim "$KVG_ROOT/userspace-test/sim/test-sim.sh" "$build"
	suite kunit-shim-selftest make -s -C "$KVG_ROOT/userspace-test/kunit/selftest" \
		check O="$build/kunit-selftest"
	suite kernel-doc "$KVG_ROOT/scripts/kdoc-check.sh"
	suite kvgtop "$KVG_ROOT/tools/kvgtop/test-kvgtop.sh" "$build"
	deps clang libclang-rt-14-dev
	suite fuzz-regress make -s -C "$KVG_ROOT/userspace-test/fuzz" fuzz-regress \
		O="$build/fuzz"
}

kunit() {
	deps
	suite kunit-uml-kasan "$KVG_ROOT/scripts/kunit-uml.sh"
}

kernel() {
	deps
	accel_resolve # once, for every VM below (KVG_ACCEL=kvm|tcg forces it)
	make -C "$KVG_ROOT" -s BUILD="$build" "$build/kvgrow-sim" || exit 1
	suite accel "$KVG_ROOT/scripts/test-accel.sh"
	suite e2e-6.1 "$KVG_ROOT/scripts/check-kernel.sh" 6.1 "$build"
	suite e2e-6.12 "$KVG_ROOT/scripts/check-kernel.sh" 6.12 "$build"
	kunit
	suite uml-fault "$KVG_ROOT/scripts/fault-uml.sh" "$build"
}

case $mode in
user) user ;;
kernel) kernel ;;
kunit) kunit ;;
all)
	user
	kernel
	;;
*) usage ;;
esac
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
