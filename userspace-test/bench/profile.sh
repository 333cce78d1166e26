#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# usage: profile.sh BINDIR WORKLOAD PEER [N]
#   Instruction counts (valgrind --tool=callgrind) of the timed part of
#   WORKLOAD for kvgrow and for PEER (a C/C++ impl name, e.g. klib_khash,
#   absl_flat_hash_map, or kvgrow_go119): total, per op, and the top
#   functions by exclusive
#   count.  Stable where wall time is not; the .cg files stay in
#   BINDIR/profile/ for callgrind_annotate.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 BINDIR WORKLOAD PEER [N]" >&2; exit 2; }
bin=$1 wl=$2 peer=$3
case $wl in
V*) n=${4:-1000000} ;;
M5) n=${4:-500000} ;;
*) n=${4:-200000} ;;
esac
command -v valgrind >/dev/null || { echo "profile: needs valgrind" >&2; exit 1; }
mkdir -p "$bin/profile"

for impl in kvgrow "$peer"; do
	case $impl in
	kvgrow|kvgrow_go119) fam=$impl ;;
	klib_*) fam=klib ;;
	absl_*) fam=absl ;;
	boost_*) fam=boost ;;
	glib_*) fam=glib ;;
	stb_*) fam=stb ;;
	*) echo "profile: no C/C++ impl $impl" >&2; exit 2 ;;
	esac
	cg=$bin/profile/$wl-$impl.cg
	valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$cg" \
		"$bin/bench-$fam" "$wl" "$n" >"$bin/profile/$wl-$impl.out" \
		2>"$bin/profile/$wl-$impl.log"
	callgrind_annotate --auto=no --threshold=99 "$cg" 2>/dev/null |
	awk -v impl="$impl" -v wl="$wl" -v n="$n" '
		/PROGRAM TOTALS/ { t = $1; gsub(",", "", t)
			printf "%s %s N=%d: %s instructions, %.1f per op\n",
			       impl, wl, n, $1, t / n; next }
		$1 ~ /^[0-9,]+$/ && $2 ~ /^\(/ && shown++ < 12 {
			c = $1; gsub(",", "", c); line = $0
			match(line, /\([^)]*\)/)
			pct = substr(line, RSTART + 1, RLENGTH - 2)
			gsub(" ", "", pct)
			sub(/^ *[0-9,]+ +\([^)]*\) +/, "", line)
			sub(/ \[[^]]*\]$/, "", line)
			# C++: drop template arguments, parameters, namespaces.
			while (gsub(/<[^<>]*>/, "", line))
				;
			while (gsub(/\([^()]*\)/, "", line))
				;
			gsub(/[a-z_0-9]+::/, "", line)
			printf "  %7.1f/op %8s  %s\n", c / n, pct, line }'
done
