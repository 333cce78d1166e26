# SPDX-License-Identifier: GPL-2.0
# Counted checks for shell tests, POSIX sh (busybox too).  Source it, call
# t_ok/t_fail/t_eq/t_st (t_skip for a check that cannot run here, with the
# reason), end with t_done, which prints "N passed, M failed" (", K skipped"
# when some were) and returns non-zero on any failure.

T_PASS=0
T_FAIL=0
T_SKIP=0

t_ok() {
	T_PASS=$((T_PASS + 1))
	echo "ok $((T_PASS + T_FAIL + T_SKIP)) - $*"
}

t_fail() {
	T_FAIL=$((T_FAIL + 1))
	echo "not ok $((T_PASS + T_FAIL + T_SKIP)) - $*"
}

# t_eq GOT WANT DESC
t_eq() {
	if [ "$1" = "$2" ]; then
		t_ok "$3"
	else
		t_fail "$3: got '$1', want '$2'"
	fi
}

# t_st STATUS DESC [FAIL_DESC]: t_ok DESC if STATUS (the $? of the check just
# run) is 0, else t_fail FAIL_DESC, or DESC if there is none
t_st() {
	if [ "$1" -eq 0 ]; then
		t_ok "$2"
	else
		t_fail "${3:-$2}"
	fi
}

# t_log_clean DESC GREP_ARGS...: the kernel log has no line that
# `grep GREP_ARGS` matches (the lines are shown if it has)
t_log_clean() {
	t_desc=$1
	shift
	dmesg -s 4194304 >/tmp/dmesg
	if grep "$@" /tmp/dmesg >/tmp/dmesg.bad; then
		t_fail "$t_desc: the kernel log has:"
		sed 's/^/#   /' /tmp/dmesg.bad | head -n 40
	else
		t_ok "$t_desc"
	fi
}

t_skip() {
	T_SKIP=$((T_SKIP + 1))
	echo "ok $((T_PASS + T_FAIL + T_SKIP)) - # SKIP $*"
}

t_done() {
	if [ "$T_SKIP" -gt 0 ]; then
		echo "$T_PASS passed, $T_FAIL failed, $T_SKIP skipped"
	else
		echo "$T_PASS passed, $T_FAIL failed"
	fi
	[ "$T_FAIL" -eq 0 ]
}
