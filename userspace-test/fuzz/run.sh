#!/bin/bash
# usage: run.sh fuzz|regress OUT_DIR SECONDS FUZZER...
#   fuzz:    run each OUT_DIR/<fuzzer>_fuzz for SECONDS, one process at a
#            time, from the seed corpus corpus/<fuzzer>/ (new inputs go to
#            OUT_DIR/corpus/<fuzzer>/, crash reproducers to
#            OUT_DIR/crashes/); report executions, coverage and crashes.
#   regress: run every file of corpus/<fuzzer>/ once through its fuzzer
#            (no new fuzzing).
#   One check per fuzzer; the last line is "N passed, M failed".
set -uo pipefail
[ $# -ge 4 ] || { sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit 2; }
mode=$1 out=$(realpath -m "$2") secs=$3
cd "$(dirname "$0")" || exit 2
shift 3
pass=0 fail=0

for f in "$@"; do
	bin=$out/${f}_fuzz log=$out/$f-$mode.log
	mkdir -p "$out/corpus/$f" "$out/crashes" "corpus/$f"
	if [ "$mode" = regress ]; then
		n=$(find "corpus/$f" -type f | wc -l)
		"$bin" -runs=0 "corpus/$f" >"$log" 2>&1
		st=$?
		if [ "$st" -eq 0 ]; then
			echo "$f: $n inputs replayed, no crash"
			pass=$((pass + 1))
		else
			echo "$f: crashed replaying $n inputs (exit $st; see $log)"
			grep -E 'check failed|ERROR:|Running:' "$log" | tail -n 3
			fail=$((fail + 1))
		fi
		continue
	fi
	before=$(find "$out/crashes" -name "$f-*" | wc -l)
	"$bin" -max_total_time="$secs" -timeout=20 -print_final_stats=1 \
		-artifact_prefix="$out/crashes/$f-" "$out/corpus/$f" "corpus/$f" \
		>"$log" 2>&1
	st=$?
	crashes=$(($(find "$out/crashes" -name "$f-*" | wc -l) - before))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
	echo "$f: ${execs:-?} executions (${rate:-?}/s), ${cov:-no coverage line}, $crashes crashes"
	if [ "$st" -eq 0 ] && [ "$crashes" -eq 0 ]; then
		pass=$((pass + 1))
	else
		grep -E 'check failed|ERROR:|SUMMARY' "$log" | head -n 3
		echo "$f: exit $st; reproducers in $out/crashes/; log $log"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
