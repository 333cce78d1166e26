#!/bin/bash
# usage: scripts/check.sh [user|kernel|all] [BUILD_DIR]
#   Run kvgrow's test suites.  Each suite's output goes to BUILD_DIR/logs/;
#   one line "<suite>: N passed, M failed" per suite, then a total line
#   "N passed, M failed".  Exits non-zero on any failure, and counts a
#   suite that ends without its own result line as one failure.
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
	local name=$1 line p f st
	shift
	"$@" >"$logs/$name.log" 2>&1
	st=$?
	line=$(grep -E '^([^ ]+: )?[0-9]+ passed, [0-9]+ failed' "$logs/$name.log" |
		tail -1 | sed 's/^[^ ]*: //')
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
	echo "$name: $line"
	pass=$((pass + p))
	fail=$((fail + f))
}

user() {
	deps build-essential golang-go
	make -C "$KVG_ROOT" -s BUILD="$build" all "$build/goref/goref" || exit 1
	suite kunit-user "$build/kvgrow-test"
	suite kunit-user-asan-ubsan "$build/kvgrow-test-asan"
	suite kunit-user-6.1-shims "$build/kvgrow-test-6.1"
	suite kvgrow-sim "$KVG_ROOT/userspace-test/sim/test-sim.sh" "$build"
	suite kunit-shim-selftest make -s -C "$KVG_ROOT/userspace-test/kunit/selftest" \
		check O="$build/kunit-selftest"
}

case $mode in
user) user ;;
all) user ;;
*) usage ;;
esac
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
