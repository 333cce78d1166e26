#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# usage: run.sh [--smoke] --bin DIR --out DIR
#   Runs every workload x impl x mode, RUNS times (interleaved), one process
#   per run, and writes OUT/results.tsv (medians, min, max), OUT/results.txt
#   (the table with ratios to the fastest peer and the targets for both
#   kvgrow map engines), OUT/ratios.png, and
#   the raw lines in OUT/raw.txt.  --smoke: tiny N, one run, and a check of
#   every run and of the output format, ending with "N passed, M failed".
#   Environment: RUNS, MODES ("default thp"), WORKLOADS (default: all), NV,
#   NM, NM5 (the Ns).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

smoke=0 bin='' out=''
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=1 ;;
	--bin) bin=$2; shift ;;
	--out) out=$2; shift ;;
	*) echo "usage: $0 [--smoke] --bin DIR --out DIR" >&2; exit 2 ;;
	esac
	shift
done
if [ -z "$bin" ] || [ -z "$out" ]; then
	echo "usage: $0 [--smoke] --bin DIR --out DIR" >&2
	exit 2
fi

if [ $smoke = 1 ]; then
	: "${RUNS:=1}" "${NV:=200000}" "${NM:=20000}" "${NM5:=40000}"
else
	: "${RUNS:=5}" "${NV:=10000000}" "${NM:=1000000}" "${NM5:=5000000}"
fi
: "${MODES:=default thp}"

workloads=${WORKLOADS:-V1 V2 M1 M1H M2 M3 M4 M5 M6}
# impl:binary (build/bench/bench-BINARY)
vec_impls="kvgrow:kvgrow go_slice:go klib_kvec:klib glib_GArray:glib stb_ds_arr:stb"
map_impls="kvgrow:kvgrow kvgrow_go119:kvgrow_go119 go_map:go klib_khash:klib
	   absl_flat_hash_map:absl boost_unordered_flat_map:boost
	   glib_GHashTable:glib stb_ds_hm:stb"

mkdir -p "$out"
raw=$out/raw.txt
: >"$raw"
: >"$out/stderr.txt"

# One process: its line, or a failure line with the exit status.
run_one() {	# mode run wl impl binary n
	local line rc=0 tunables=
	[ "$1" = thp ] && tunables=glibc.malloc.hugetlb=1
	line=$(env -u GLIBC_TUNABLES ${tunables:+GLIBC_TUNABLES=$tunables} \
		timeout 300 "$bin/bench-$5" "$3" "$6" 2>>"$out/stderr.txt") || rc=$?
	case $line in
	wl=*) echo "mode=$1 run=$2 $line rc=$rc" ;;
	*) echo "mode=$1 run=$2 wl=$3 impl=$4 n=$6 ok=0 rc=$rc" ;;
	esac >>"$raw"
}

start=$(date +%s)
for run in $(seq "$RUNS"); do
	for mode in $MODES; do
		[ $smoke = 1 ] || printf 'run %s/%s %-7s' "$run" "$RUNS" "$mode" >&2
		for wl in $workloads; do
			case $wl in
			V*) impls=$vec_impls n=$NV ;;
			M5) impls=$map_impls n=$NM5 ;;
			*) impls=$map_impls n=$NM ;;
			esac
			for ib in $impls; do
				run_one "$mode" "$run" "$wl" "${ib%%:*}" "${ib#*:}" "$n"
			done
			[ $smoke = 1 ] || printf ' %s' "$wl" >&2
		done
		[ $smoke = 1 ] || printf '  (%ss)\n' $(($(date +%s) - start)) >&2
	done
done

info="$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg),"
info="$info $(uname -r), THP $(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null),"
info="$info $(go version 2>/dev/null | cut -d' ' -f3), runs=$RUNS, $(($(date +%s) - start)) s"
awk -f "$here/aggregate.awk" "$raw" >"$out/results.tsv"
awk -v info="$info" -v dir="$out" -f "$here/report.awk" "$out/results.tsv" >"$out/results.txt"
if command -v gnuplot >/dev/null; then
	gnuplot -e "dir='$out'; modes='$MODES'" "$here/chart.gp" 2>>"$out/stderr.txt" || true
fi

if [ $smoke = 0 ]; then
	cat "$out/results.txt"
	echo "results: $out/results.tsv $out/results.txt $out/ratios.png"
	exit 0
fi

# Smoke: every run verified and well formed, and the outputs in shape.
pass=0 fail=0
check() {	# what, then the test command
	local what=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $what" >&2
	fi
}
num='[0-9]+(\.[0-9]+)?'
while read -r line; do
	check "${line%% rc=*}" grep -Eq "^mode=[a-z]+ run=1 wl=[A-Z0-9]+ impl=[a-zA-Z_0-9]+ n=[0-9]+ ns_per_op=$num peak_rss_kb=[0-9]+ minflt=[0-9]+ ok=1( [a-z_0-9]+=[^ ]+)* rc=0\$" <<<"$line"
done <"$raw"
nmodes=$(wc -w <<<"$MODES")
nv=$(grep -o 'V[0-9]*' <<<"$workloads" | wc -l)
nmw=$(grep -o 'M[0-9A-Z]*' <<<"$workloads" | wc -l)
want=$(( (nv * $(wc -w <<<"$vec_impls") + nmw * $(wc -w <<<"$map_impls")) * nmodes ))
check "raw.txt has $want runs" test "$(wc -l <"$raw")" -eq "$want"
# M6: every map impl's latencies, the 99.99th percentile at most the worst,
# the worst insert's index within N.
if grep -qw M6 <<<"$workloads"; then
	m6=$(( $(wc -w <<<"$map_impls") * nmodes ))
	# shellcheck disable=SC2016
	check "raw.txt has $m6 M6 runs with worst_ns >= p9999_ns > 0, worst_at < n, clock_ns" awk -v want="$m6" '
		/ wl=M6 / {
			split("", f)
			for (i = 1; i <= NF; i++) {
				p = index($i, "=")
				f[substr($i, 1, p - 1)] = substr($i, p + 1)
			}
			if (f["worst_ns"] ~ /^[0-9]+$/ && f["p9999_ns"] ~ /^[0-9]+$/ &&
			    f["worst_at"] ~ /^[0-9]+$/ && f["clock_ns"] ~ /^[0-9]+$/ &&
			    f["p9999_ns"] > 0 && f["worst_ns"] + 0 >= f["p9999_ns"] + 0 &&
			    f["worst_at"] + 0 < f["n"] + 0)
				n++
		}
		END { exit n != want }' "$raw"
fi
check "results.tsv header" test "$(head -1 "$out/results.tsv")" = \
	"$(printf 'workload\timpl\tn\tns_per_op\tpeak_rss_kb\tmode\textra')"
# shellcheck disable=SC2016
check "results.tsv has $want rows of 7 well-formed columns" awk -F'\t' -v want="$want" '
	NR > 1 && NF == 7 && $2 ~ /^[a-zA-Z_0-9]+$/ && $3 ~ /^[0-9]+$/ &&
	$4 ~ /^[0-9.]+$/ && $5 ~ /^[0-9]+$/ && $7 ~ /(^| )ok=1( |$)/ { n++ }
	END { exit n != want }' "$out/results.tsv"
# shellcheck disable=SC2016
check "results.txt has every workload, each with its fastest peer, per mode" awk -v wls="$workloads" -v nm="$nmodes" '
	BEGIN { n = split(wls, w, " "); for (i = 1; i <= n; i++) want[w[i]] = 1 }
	/^[A-Z][0-9A-Z]* \(N=/ { cur = $1; seen[$1]++; next }
	/^  fastest peer: / && cur in want && $3 !~ /^(kvgrow|none)/ { peer[cur]++ }
	END { for (i in want) if (seen[i] != nm || peer[i] != nm) exit 1 }' "$out/results.txt"
# Every row but the fastest peer's own ratio: a number; the fastest one 1.00.
# shellcheck disable=SC2016
check "results.txt: each row a ratio to the fastest peer, who is at 1.00" awk '
	/^  fastest peer: / { best = $3; sub(/,$/, "", best); rows = 1; next }
	rows && /^  impl / { next }
	rows && /^  [a-zA-Z]/ { if ($4 !~ /^[0-9.]+$/ || ($1 == best && $4 != "1.00")) bad++; nrows++; next }
	{ rows = 0 }
	END { exit bad || !nrows }' "$out/results.txt"
# Both map engines: a target line, met or MISSED, for every map workload.
# shellcheck disable=SC2016
check "results.txt: targets for kvgrow and kvgrow_go119, every map workload, met or MISSED" awk -v wls="$workloads" -v nm="$nmodes" '
	BEGIN { n = split(wls, w, " ") }
	/^Targets/ { t++ }
	t && /^  kvgrow(_go119)? +M/ {
		if ($0 !~ / (met|MISSED by [0-9.]+%)( |$)/) bad++
		got[$1, $2] = 1
	}
	/^kvgrow(_go119)? \(.*\): [0-9]+ targets met, [0-9]+ missed, 0 n\/a/ { sum++ }
	END {
		for (i = 1; i <= n; i++)
			if (w[i] ~ /^M/ && !(("kvgrow", w[i]) in got && ("kvgrow_go119", w[i]) in got))
				exit 1
		exit bad || t != nm || sum != 2
	}' "$out/results.txt"
if command -v gnuplot >/dev/null; then
	check "ratios.png is a PNG" sh -c "head -c 4 '$out/ratios.png' | grep -q PNG"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
