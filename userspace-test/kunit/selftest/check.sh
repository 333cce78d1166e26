#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check.sh BUILD_DIR COMPILER...: runs BUILD_DIR/{pass,fail}-COMPILER and
# checks their exit status, totals and reports.  Sanitizer reports exit 99,
# so they cannot pass for a test failure.  Ends with "N passed, M failed".

dir=$1
shift
passed=0
failed=0
export ASAN_OPTIONS=exitcode=99
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99

run() {		# run BINARY ARGS...: sets $cmd, $out and $rc
	cmd="$*"
	out=$("$dir/$@" 2>&1)
	rc=$?
}

t() {		# t WHAT COMMAND...: one check of the last run
	what=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
		echo "ok $cmd: $what"
	else
		failed=$((failed + 1))
		echo "FAIL $cmd: $what (rerun: $dir/$cmd)"
	fi
}

rc_is()		{ [ "$rc" -eq "$1" ]; }
last_is()	{ [ "$(printf '%s\n' "$out" | tail -n 1)" = "$1" ]; }
has()		{ printf '%s\n' "$out" | grep -qxF -- "$1"; }
matches()	{ printf '%s\n' "$out" | grep -qxE -- "$1"; }
lacks()		{ ! printf '%s\n' "$out" | grep -qF -- "$1"; }
count_is()	{ [ "$(printf '%s\n' "$out" | grep -cxF -- "$2")" -eq "$1" ]; }
lines_are()	{ [ "$(printf '%s\n' "$out" | wc -l)" -eq "$1" ]; }

for cc in "$@"; do
	run "pass-$cc"
	t "exit status 0" rc_is 0
	t "totals" last_is "17 passed, 0 failed, 3 skipped"
	t "KTAP header" [ "$(printf '%s\n' "$out" | head -n 2)" = "KTAP version 1
1..4" ]
	t "suite header" has "    # Subtest: selftest_checks"
	t "skip reason" has "    ok 5 skip_aborts # SKIP skipped with kunit_skip"
	t "param description" has "        ok 2 minus_one_plus_one"
	t "default param description" has "        ok 4 param-3 # SKIP seven is skipped"
	t "param stats" has "    # param_prime: pass:3 fail:0 skip:1 total:4"
	t "fixture hooks" has "    # selftest_fixture: suite_exit ran after 12 inits, 12 exits"
	t "second translation unit" matches "ok [34] selftest_second_tu"
	t "two suites in one unit" matches "ok [34] selftest_third"

	run "pass-$cc" 'selftest_fixture.param_*'
	t "case glob" last_is "9 passed, 0 failed, 1 skipped"
	t "case glob numbering" has "    ok 3 param_pow2"
	run "pass-$cc" 'selftest_s*' '*.third*'
	t "suite globs" last_is "2 passed, 0 failed"
	run "pass-$cc" -l
	t "list" lines_are 13
	t "list entry" has "selftest_fixture.param_sum"
	run "pass-$cc" nothing_matches
	t "no match fails" rc_is 1

	run "fail-$cc"
	t "exit status 1" rc_is 1
	t "totals" last_is "3 passed, 12 failed"
	t "not ok lines" count_is 1 "not ok 2 selftest_bad_init"
	t "int operands" has "    Expected 1 + 1 == 3, but"
	t "int value" has "        1 + 1 == 2"
	t "literal not repeated" lacks "3 == 3"
	t "unsigned value" has "        big == 18446744073709551615"
	t "signed value" has "        neg == -5"
	t "expect continues" has "    # fail_int: expectations do not abort"
	t "assert location" has "    # fail_assert_aborts: ASSERTION FAILED at fail_kunit.c:28"
	t "assert aborts" lacks "not reached"
	t "exit hook after abort" has "    # fail_assert_aborts: exit hook ran"
	t "exit hook every run" [ "$(printf '%s\n' "$out" | grep -c 'exit hook ran$')" -eq 14 ]
	t "message" has "    custom message 42"
	t "bool" has "    Expected 1 < 2 to be false, but is true"
	t "string" has "        s == \"hello\""
	t "NULL string" has "        null_str == NULL"
	t "error pointer" has "    Expected ERR_PTR_(-12) is not error, but is: -12"
	t "NULL pointer" has "    Expected NULL is not null, but is"
	t "KUNIT_FAIL" has "    explicit failure here"
	t "bad kunit_kfree" matches "    kunit_kfree: .* already freed or not allocated by kunit"
	t "failure beats skip" has "    not ok 9 fail_then_skip"
	t "failed param" has "        not ok 2 param-1"
	t "init failure" has "    # pass_case: failed to initialize: -22"
	t "suite_init failure" has "not ok 3 selftest_bad_suite_init"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
