# SPDX-License-Identifier: GPL-2.0
# Counted checks for shell tests, POSIX sh (busybox too).  Source it, call
# t_ok/t_fail/t_eq, end with t_done, which prints "N passed, M failed" and
# returns non-zero on any failure.

T_PASS=0
T_FAIL=0

t_ok() {
	T_PASS=$((T_PASS + 1))
	echo "ok $((T_PASS + T_FAIL)) - $*"
}

t_fail() {
	T_FAIL=$((T_FAIL + 1))
	echo "not ok $((T_PASS + T_FAIL)) - $*"
}

# t_eq GOT WANT DESC
t_eq() {
	if [ "$1" = "$2" ]; then
		t_ok "$3"
	else
		t_fail "$3: got '$1', want '$2'"
	fi
}

t_done() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
