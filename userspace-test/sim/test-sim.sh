#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Tests of kvgrow-sim's command line and figures, and of go119 against the
# real Go runtime: test-sim.sh BUILD_DIR
set -u
build=${1:-build}
sim=$build/kvgrow-sim
. "$(dirname "$0")/../../scripts/testlib.sh"

# summary FIELD ARGS...: one field of the "# ..." summary line.
summary() {
	field=$1
	shift
	"$sim" "$@" | sed -n "s/^# .*\b$field=\([0-9]*\).*/\1/p"
}

t_eq "$(summary cap vec --policy go119 --elem-size 8 --n 5000)" 5120 \
	"go119 8-byte cap after 5000"
t_eq "$(summary grows vec --policy go119 --elem-size 8 --n 5000)" 16 \
	"go119 8-byte grows to 5000"
t_eq "$("$sim" vec --policy go119 --elem-size 8 --n 5000 | grep -c '^[0-9]')" 16 \
	"one row per growth"
t_eq "$("$sim" vec --policy go119 --elem-size 8 --n 5000 | head -1)" \
	"$(printf 'len_before\told_cap\tnew_cap\tfootprint')" "header line"
t_eq "$("$sim" vec --policy go119 --elem-size 8 --n 5000 | sed -n 13p)" \
	"$(printf '848\t848\t1280\t16384')" "row: 10240 B take an order-2 block"
# has_kv WHAT SUMMARY KEY=VALUE...: each pair is in the summary line.
has_kv() {
	what=$1 out=$2
	shift 2
	for kv in "$@"; do
		case " $out " in
		*" $kv "*) t_ok "$what: $kv" ;;
		*) t_fail "$what: $kv not in '$out'" ;;
		esac
	done
}
# kvmalloc blocks only: x2 to 4 MiB (kmalloc), then Go's x1.25 in pages.
has_kv "kvg 8-byte to 700000, no pages" \
	"$("$sim" vec --policy kvg --elem-size 8 --n 700000 --no-pages | tail -1)" \
	grows=22 cap=820224 footprint=6561792 slack=961792 backend=2 remapped_pages=0
# Page-backed from 128 KiB: the kmalloc copies up to 64 KiB and the one
# into pages are all that moves; then +1/32 per growth, pages remapped.
has_kv "kvg 8-byte to 700000, page-backed" \
	"$("$sim" vec --policy kvg --elem-size 8 --n 700000 | tail -1)" \
	grows=125 moved_bytes=131064 cap=721408 footprint=5771264 slack=171264 \
	backend=3 remapped_pages=42269
t_eq "$(summary backend vec --policy kvg --elem-size 8 --n 1 --hint 20000 --no-pages)" 1 \
	"--no-pages: a 160 KB hint in a kmalloc block"
t_eq "$(summary backend vec --policy kvg --elem-size 8 --n 1 --hint 20000)" 3 \
	"a 160 KB hint in pages"

# kvg's slack, page-backed, at every length from the threshold to 10^8
# u64: at most 6.25% of the footprint (the issue's target); 5.70% at worst,
# just past the threshold, where a step rounds up to two pages.
out=$("$sim" slack --policy kvg --elem-size 8 --n 100000000)
t_eq "$(echo "$out" | tail -1)" "# from=16384 max_slack_x10000=570 at_len=16897" \
	"slack: kvg page-backed, 16384..10^8 u64"
t_eq "$(echo "$out" | awk -F'\t' 'NR > 1 && !/^#/ && $4 > 625' | wc -l)" 0 \
	"slack: no growth above 6.25%"
t_eq "$(echo "$out" | awk -F'\t' 'NR > 1 && !/^#/ { n++; last = $2 } END { print n, last }')" \
	"271 100236800" "slack: 271 growths to 10^8, cap 100236800"

# scenario-oom on the host: x1.5 copying stops at 898,656 under 16 MiB;
# page-backed, both fit, kvg peaking at 1.01x the data.
out=$("$sim" oom --n 1000000 --budget 16777216)
t_eq "$(echo "$out" | cut -f1,2,9 | tr '\t\n' ' ;')" \
	"policy n_reached fits;factor:3/2 898656 no;kvg 1000000 yes;factor:3/2+pages 1000000 yes;kvg+pages 1000000 yes;" \
	"oom: who fits 16 MiB"
t_eq "$(echo "$out" | awk -F'\t' '$1 == "factor:3/2+pages" || $1 == "kvg+pages" { print $4, $5 }' | tr '\n' ';')" \
	"229400 10817536;130944 8142848;" "oom: page-backed moved and peak"
t_eq "$(summary footprint vec --policy go119 --elem-size 8 --n 1000 --hint 1000)" 8192 \
	"make hint 1000: footprint"
t_eq "$(summary slack vec --policy go119 --elem-size 8 --n 1000 --hint 1000)" 192 \
	"make hint 1000: slack"
t_eq "$(summary grows vec --policy go119 --elem-size 8 --n 1000 --hint 1000)" 1 \
	"make hint 1000: the make is the only allocation"
t_eq "$(summary cap vec --policy go119 --elem-size 8 --n 1025 --batch 1025)" 1184 \
	"append 1025 at once"
t_eq "$(summary cap vec --policy kvg --elem-size 8 --n 1000 --hint 1000)" 1024 \
	"kvg hint takes the slab's slack"

# The article's OOM story: x1.5 from 16 to 10^6, the rule worked out in awk.
want=$(awk 'BEGIN { c = 16; g = 1; while (c < 1000000) { n = int(c * 3 / 2); if (n <= c) n = c + 1; c = n; g++ } print g, c }')
got=$("$sim" vec --policy factor:3/2 --elem-size 8 --n 1000000 --hint 16 | tail -1 |
	sed 's/^# grows=\([0-9]*\) .* cap=\([0-9]*\) .*/\1 \2/')
t_eq "$got" "$want" "factor:3/2 from 16 to 10^6: grows and cap"

# grow: per-line capacities, and errors per line.
t_eq "$(printf '8 0 0 1025\n8 8 8 20\n8 5 8 3\n40 4 4 1\n' | "$sim" grow --policy go119 - | tr '\n' ' ')" \
	"1184 28 8 8 " "grow lines"
out=$(printf '8 0 0 1\nbad line\n8 9 8 1\n0 0 0 1\n' | "$sim" grow --policy go119 - 2>/dev/null)
t_eq "$?$(echo "$out" | tr '\n' ' ')" "11 error error error " "grow: bad lines say error"

# Maps: Go 1.19's growth thresholds, one row per change of B.
out=$("$sim" map --n 5000 --engine go119)
t_eq "$(echo "$out" | head -1)" "$(printf 'count\tB_old\tB_new')" "map: header line"
t_eq "$(echo "$out" | grep '^[0-9]' | cut -f1 | tr '\n' ' ')" \
	"9 14 27 53 105 209 417 833 1665 3329 " "map: B changes at Go's counts"
t_eq "$(echo "$out" | grep '^[0-9]' | awk -F'\t' '$3 != $2 + 1' | wc -l)" 0 \
	"map: each row raises B by one"
t_eq "$(echo "$out" | sed -n 2p)" "$(printf '9\t0\t1')" "map: first row"
t_eq "$(echo "$out" | tail -1 | sed 's/ overflow=.*//')" "# count=5000 B=10 buckets=1024" \
	"map: summary"
t_eq "$("$sim" map --n 5000 --go | grep '^[0-9]' | cut -f1 | tr '\n' ' ')" \
	"9 14 27 53 105 209 417 833 1665 3329 " "map --go: the same thresholds"
t_eq "$("$sim" map --n 5000 --engine go | md5sum)" "$("$sim" map --n 5000 --go | md5sum)" \
	"map: --go is --engine go"
out=$("$sim" map --n 1000 --hint 1000 --engine go119)
t_eq "$(echo "$out" | grep -c '^[0-9]')" 0 "map hint 1000: no change of B up to 1000"
t_eq "$(echo "$out" | tail -1 | sed 's/ overflow=.*//')" "# count=1000 B=8 buckets=256" \
	"map hint 1000: B=8"
t_eq "$("$sim" map --n 1665 --hint 1000 --engine go119 | grep '^[0-9]')" "$(printf '1665\t8\t9')" \
	"map hint 1000: grows at 1665"

# The default engine, Swiss tables: a row per change of the structure.
# One table is rebuilt at the smallest level holding count + 1 at load 1/2
# (u64 pairs: 8, 24, 56, 232, 480, 1920 slots in 192 B ... 32 KiB), then
# splits when full (1680 = 7/8 of 1920); 10^4 keys take 8 tables of
# 32 KiB and a directory of 8 pointers.
out=$("$sim" map --n 10000)
t_eq "$(echo "$out" | head -1)" "$(printf 'count\ttables\tglobal_depth\tslots\tfootprint\tlargest_block')" \
	"map, Swiss: header line"
t_eq "$(echo "$out" | grep '^[0-9]' | head -7 | tr '\t\n' ' ;')" \
	"1 1 0 8 192 192;8 1 0 24 512 512;22 1 0 56 1024 1024;50 1 0 232 4096 4096;204 1 0 480 8192 8192;421 1 0 1920 32768 32768;1681 2 1 3840 65552 32768;" \
	"map, Swiss: one table rebuilt to 32 KiB, then the first split at 1681"
t_eq "$(echo "$out" | tail -1)" \
	"# count=10000 tables=8 global_depth=3 slots=15360 footprint=262208 largest_block=32768 rehashes=5 splits=7" \
	"map, Swiss: summary (8 x 32 KiB + 64 B of directory)"
t_eq "$(echo "$out" | awk -F'\t' '/^[0-9]/ && ($2 < t || $6 > 32768) { bad++ } /^[0-9]/ { t = $2 } END { print bad + 0 }')" 0 \
	"map, Swiss: tables never fewer, no block above 32 KiB"
t_eq "$("$sim" map --n 1000 --hint 1000 | tail -1)" \
	"# count=1000 tables=1 global_depth=0 slots=1920 footprint=32768 largest_block=32768 rehashes=0 splits=0" \
	"map hint 1000, Swiss: one table of 32 KiB, nothing rebuilt"

# --trace: the Swiss engine's events as tracefs prints them, each after
# its change: 5 tables rebuilt larger, 7 splits, 3 directory doublings
# to 10^4 keys; deleting them all, 7 merges, 3 halvings, tables shrunk.
tr=$(mktemp)
"$sim" map --n 10000 --trace "$tr" >/dev/null
ev() { grep -c " kvg_map_$1" "$tr"; }
t_eq "$(ev table_grow:) $(ev split:) $(ev dir_double:) $(wc -l <"$tr")" "5 7 3 15" \
	"map --trace: grows, splits and doublings"
t_eq "$(grep -c ' kvg_map_table_grow: map=[0-9a-fx]* slots=480->1920 depth=0->0 count=420 tables=1 global_depth=0 footprint=32768 caller=' "$tr")" 1 \
	"map --trace: a rebuild's slots, local depth, count, tables, depth, footprint, caller"
t_eq "$(grep -c ' kvg_map_split: map=[0-9a-fx]* slots=1920->3840 depth=0->1 count=1680 tables=2 global_depth=1 footprint=65552 caller=' "$tr")" 1 \
	"map --trace: the first split"
t_eq "$(grep -c ' kvg_map_dir_double: map=[0-9a-fx]* entries=1->2 global_depth=0->1 count=1680 tables=2 footprint=65552 caller=' "$tr")" 1 \
	"map --trace: the first directory doubling"
"$sim" map-deleteall --n 10000 --trace "$tr" >/dev/null
t_eq "$(ev merge:) $(ev dir_halve:) $(ev 'dir_halve: .* entries=2->1 global_depth=1->0 ')" "7 3 1" \
	"map-deleteall --trace: merges and halvings, down to depth 0"
t_eq "$(ev table_shrink:) $(ev table_same_size:)" "21 0" \
	"map-deleteall --trace: tables rebuilt smaller"
"$sim" map --n 10000 --engine go119 --trace "$tr" >/dev/null
t_eq "$(ev grow:) $(grep -c ' kvg_map_[tsd][a-z_]*:' "$tr")" "11 0" \
	"map --engine go119 --trace: Go's events only"
rm -f "$tr"

# map-constants: the Swiss engine's measured constants, which
# lib/swiss_table.c quotes: its levels, the slack, and churn at a flat
# footprint (golang/go#70886's pattern grew Go 1.24's tables).
out=$("$sim" map-constants)
t_eq "$(echo "$out" | sed -n 2p)" "$(printf 'level\tgroups\tbytes\tblock\tslots\tmax_load')" \
	"map-constants: levels header"
# levels and churn: the rows under each header
levels=$(echo "$out" | awk '/^level\t/ { t = 1; next } /^#/ { t = 0 } t')
churn=$(echo "$out" | awk '/^churn_count\t/ { t = 1; next } t')
t_eq "$(echo "$levels" | awk -F'\t' '{ printf "%s/%s/%s ", $2, $4, $6 }')" \
	"1/192/7 3/512/21 7/1024/49 14/2048/98 29/4096/203 60/8192/420 120/16384/840 240/32768/1680 " \
	"map-constants: groups, block and max load per level"
t_eq "$(echo "$levels" | awk -F'\t' '$3 > $4 || $4 - $3 >= 136 || $5 != 8 * $2 { b++ } END { print b + 0 }')" 0 \
	"map-constants: each block fills its class (less than a group left)"
t_eq "$(echo "$out" | grep '^# slack')" \
	"# slack over footprint, after every insert from 1000 to 1000000 keys: at most 0.317% (at count=1000)" \
	"map-constants: the slack lib/swiss_table.c quotes"
t_eq "$(echo "$churn" | awk -F'\t' '$3 == $4 && $4 == $5 { printf "%s/%s ", $1, $3 }')" \
	"100/4096 1000/32768 15000/524416 " "map-constants: churn at 100, 1000, 15000 keys, footprint flat"

# Churn: a sliding window of 1000 keys; reclaim keeps overflow buckets few.
# mapsum FIELD ARGS...: a field of the map summary, decimals kept.
mapsum() {
	field=$1
	shift
	"$sim" "$@" | sed -n "s/^# .*\b$field=\([0-9.]*\).*/\1/p"
}
kvg_mean=$(mapsum mean_overflow map-churn --window 1000 --steps 100000 --engine go119)
go_mean=$(mapsum mean_overflow map-churn --window 1000 --steps 100000 --go)
t_eq "$(mapsum buckets map-churn --window 1000 --steps 100000 --engine go119)" 256 "map-churn: 256 buckets"
t_eq "$(echo "$kvg_mean" | grep -cx '[0-9]*\.[0-9][0-9]')" 1 \
	"map-churn: mean_overflow has 2 decimals ($kvg_mean)"
t_eq "$(awk -v m="$kvg_mean" 'BEGIN { print (m != "" && m <= 25.6) }')" 1 \
	"map-churn: mean overflow $kvg_mean <= 10% of 256 buckets"
t_eq "$(awk -v m="$go_mean" -v k="$kvg_mean" 'BEGIN { print (m >= 76.8 && m >= 4 * k) }')" 1 \
	"map-churn --go: mean overflow $go_mean, over 30% of the buckets and 4x kvg's"
t_eq "$(mapsum same_size_grows map-churn --window 1000 --steps 100000 --go | awk '{ print ($1 >= 1) }')" 1 \
	"map-churn --go: same-size grows"
t_eq "$(mapsum shrinks map-churn --window 1000 --steps 100000 --engine go119)" 0 "map-churn: no shrink"
out=$("$sim" map-churn --window 10 --steps 10 --engine go119)
t_eq "$(echo "$out" | sed 's/ peak_footprint.*//')" \
	"# buckets=2 mean_overflow=0.00 max_overflow=0 same_size_grows=0 shrinks=0" \
	"map-churn: 10 steps, nothing deleted yet"
# The default engine: a table rebuilt at its level as tombstones fill it,
# the footprint flat once the window is full.
out=$("$sim" map-churn --window 1000 --steps 100000)
t_eq "$(echo "$out" | sed 's/ rehashes=[0-9]*//')" \
	"# tables=1 slots=1920 splits=0 merges=0 min_footprint=32768 max_footprint=32768 peak_footprint=65536 final_footprint=32768" \
	"map-churn, Swiss: one table, footprint flat (peak: old and new table while one is rebuilt)"
t_eq "$(mapsum rehashes map-churn --window 1000 --steps 100000 | awk '{ print ($1 >= 5) }')" 1 \
	"map-churn, Swiss: tombstones pruned by same-size rebuilds"

# Deleting everything gives the memory back, unless Go's.
# field NAME OUTPUT: a field of OUTPUT's summary line.
field() {
	echo "$2" | sed -n "s/^# .*\b$1=\([0-9.]*\).*/\1/p"
}
out=$("$sim" map-deleteall --n 1000000 --engine go119)
t_eq "$(echo "$out" | grep -c '^# empty_footprint=[0-9]* full_footprint=[0-9]* after_footprint=[0-9]*$')" \
	1 "map-deleteall: summary format"
empty=$(field empty_footprint "$out")
full=$(field full_footprint "$out")
after=$(field after_footprint "$out")
t_eq "$(awk -v e="$empty" -v a="$after" 'BEGIN { print (e != "" && a != "" && a <= 1.2 * e) }')" 1 \
	"map-deleteall 10^6: after $after <= 1.2 x empty $empty"
t_eq "$(awk -v f="$full" 'BEGIN { print (f > 30000000) }')" 1 "map-deleteall 10^6: full $full"
out=$("$sim" map-deleteall --n 1000000 --go)
t_eq "$(field after_footprint "$out")" "$(field full_footprint "$out")" \
	"map-deleteall --go: keeps the full footprint"
out=$("$sim" map-deleteall --n 1000000)
t_eq "$(field empty_footprint "$out") $(field after_footprint "$out") $(field full_footprint "$out" | awk '{ print ($1 > 30000000 && $1 < 36000000) }')" \
	"0 0 1" "map-deleteall, Swiss: 10^6 keys in 30-36 MB, all given back"

# policies: the library's own list, each name one --policy takes.
out=$("$sim" policies)
t_eq "$(echo "$out" | head -1)" "$(printf 'name\trule')" "policies: header line"
t_eq "$(echo "$out" | sed 1d | cut -f1 | tr '\n' ' ')" \
	"kvg go119 go-legacy factor:N/D exact pow2 " "policies: the names, in order"
t_eq "$(echo "$out" | sed 1d | awk -F'\t' 'NF != 2 || $2 == ""' | wc -l)" 0 \
	"policies: a rule for each"
t_eq "$(echo "$out" | sed -n 's/^factor:N\/D\t//p')" \
	"cap * N / D, N > D, both <= 1000, no rounding" "policies: factor's bound"
for p in $(echo "$out" | sed 1d | cut -f1 | sed 's|N/D|5/4|'); do
	t_eq "$(summary cap vec --policy "$p" --elem-size 8 --n 1 2>&1)" 1 \
		"policies: '$p' is a --policy"
done
t_eq "$("$sim" 2>&1 | tail -1)" "policies: kvg go119 go-legacy factor:N/D exact pow2" \
	"usage lists the policies"

# Bad arguments: usage and exit status 2.
for args in "" "bogus" "vec" "vec --policy" "vec --policy nope --elem-size 8 --n 1" \
	"vec --policy kvg --elem-size 0 --n 1" "vec --policy kvg --elem-size 8 --n -5" \
	"vec --policy kvg --elem-size 8 --n 12abc" \
	"vec --policy kvg --elem-size 8 --n 99999999999999999999999" \
	"vec --policy kvg --elem-size 8 --n 1 --bogus 1" \
	"vec --policy kvg --elem-size 8 --n 1 --batch 0" \
	"vec --policy factor:3/3 --elem-size 8 --n 1" "grow --policy kvg" \
	"grow --policy kvg --n 3 -" "vec --policy kvg --elem-size 8 --n 1 --go" \
	"map" "map --n" "map --n x" "map --n 5 --bogus" "map --n 5 --window 3" \
	"map --n 5 --n 6" "map --n 5 --go --go" "map --hint 5" "map --n -1" \
	"map-churn" "map-churn --window 10" "map-churn --steps 10" \
	"map-churn --window 0 --steps 5" "map-churn --window 5 --steps 0" \
	"map-churn --window 5 --steps 5 --n 3" "map-deleteall" "map-deleteall --n" \
	"map-deleteall --n 5 --hint 3" "map-deleteall --n 5 go" "policies x" \
	"map --n 5 --engine" "map --n 5 --engine swiss" "map --n 5 --go --engine kvg" \
	"map --n 5 --trace" "map-constants --n 999" "map-constants --window 3" \
	"map-constants --engine go" "map-constants x" \
	"slack --policy kvg --elem-size 8" "slack --policy kvg --n 5" \
	"slack --elem-size 8 --n 5" "slack --policy kvg --elem-size 8 --n 5 --hint 2" \
	"oom --n 5" "oom --budget 5" "oom --n 5 --budget 5 --policy kvg" \
	"vec --policy kvg --elem-size 8 --n 1 --budget 3" "grow --policy kvg --no-pages -"; do
	# shellcheck disable=SC2086
	"$sim" $args >/dev/null 2>&1
	st=$?
	t_eq "$st" 2 "usage error: '$args'"
done

# --- replay: a trace's vectors under every policy ------------------------------
td=$(dirname "$0")/testdata
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# row POLICY OUTPUT [K]: that policy's row of the replay table (of the Kth).
row() {
	echo "$2" | awk -F'\t' -v p="$1" -v k="${3:-1}" \
		'$1 == p && ++n == k { $1 = ""; sub(/^ /, ""); print; exit }' OFS=' '
}
# The columns: footprint peak_footprint slack grows moved_bytes
# transient_footprint allocated_bytes, then six ratios to the row "traced".

# Three vectors written by hand, with tracefs's header, a sched_switch and a
# map event between them.  Their figures, worked out from kmalloc's classes:
# id 7 (exact, 24 B): make 10 -> 240 B in 256; grow to 11 -> 264 B in 512,
# moving 240 B (peak 256 + 512).  id 9 (go119, 8 B): caps 1, 2, 4 (8, 16, 32 B;
# moves 8 + 16), live at the end with 3 elements.  id 12 (exact, 16 B): 20
# elements in 512; clip to 5 -> 80 B in 96, copying 80.
# footprint 512 + 32 + 96 = 640; slack 248 + 8 + 16 = 272; grows 2+3+1 = 6
# (the clip is a shrink); moved 240 + 24 + 80 = 344; the total footprint
# peaks at 512 + 32 = 544, and at 520 + 256 = 776 while id 7 moves;
# allocated 256 + 512 + 8 + 16 + 32 + 512 + 96 = 1432.
out=$("$sim" replay "$td/replay-small.trace")
t_eq "$?" 0 "replay: the hand-made trace"
t_eq "$(row traced "$out")" "640 544 272 6 344 776 1432 1.00 1.00 1.00 1.00 1.00 1.00" \
	"replay: the traced row, worked out by hand"
t_eq "$(echo "$out" | sed -n 1p)" \
	"# replay of $td/replay-small.trace: 3 vectors (2 freed, 1 live at the end), 9 events; skipped: 0 grown before the trace began, 0 never allocated" \
	"replay: counts vectors and events, skips the other lines"
t_eq "$(echo "$out" | sed -n 2p)" \
	"# traced: each vector under its own policy; checked against kvg_vec_free's record for 2: all equal" \
	"replay: the traced row equals what kvg_vec_free recorded"
t_eq "$(echo "$out" | sed 1,3d | cut -f1 | tr '\n' ' ')" \
	"traced kvg go119 go-legacy factor:3/2 factor:2/1 exact pow2 " "replay: a row per policy"
t_eq "$(echo "$out" | sed -n 3p)" "$(printf 'policy\tfootprint\tpeak_footprint\tslack\tgrows\tmoved_bytes\ttransient_footprint\tallocated_bytes\tx_footprint\tx_peak\tx_slack\tx_grows\tx_moved\tx_transient')" \
	"replay: header line"

# --per-day N: N vectors a day like the trace's 3.
out=$("$sim" replay "$td/replay-small.trace" --per-day 1000)
t_eq "$(echo "$out" | grep '^# per day')" \
	"# per day: 1000 vectors like these 3 (each figure x 1000/3)" "replay --per-day: the scale"
t_eq "$(row exact "$out" 2)" \
	"$(awk 'BEGIN { printf "%d %d %d", 1432 * 1000 / 3, 344 * 1000 / 3, 272 * 1000 / 3 }') 477.33 kB 114.67 kB 90.67 kB" \
	"replay --per-day: allocated, moved and slack a day"
out=$("$sim" replay "$td/replay-small.trace" --per-day 30000000000)
t_eq "$(row traced "$out" 2 | cut -d' ' -f4-5)" "14.32 TB" \
	"replay --per-day 3e10: 1432 B x 10^10 a day, in TB"

# An exact vector appended one at a time to 100 (testdata/exact-appends.awk
# works out its footprints and moves).  Under pow2 it would grow 8 times
# (caps 1, 2, ..., 128), moving 8 x (1 + 2 + ... + 64) = 1016 B, and end in
# the same 1024 B; exact grows 100 times and moves 1304 B.
awk -v N=100 -f "$td/exact-appends.awk" > "$tmp/exact.trace"
out=$("$sim" replay "$tmp/exact.trace")
t_eq "$(row traced "$out" | cut -d' ' -f1-7)" "1024 1024 224 100 1304 1536 2328" \
	"replay: 100 exact appends, as worked out in awk"
t_eq "$(row pow2 "$out" | cut -d' ' -f1,4,5,8-)" "1024 8 1016 1.00 1.00 1.00 0.08 0.78 1.00" \
	"replay: the same appends under pow2, and the ratios to exact"
t_eq "$(echo "$out" | sed -n 2p | sed 's/.*: //')" "all equal" "replay: exact-appends' record checks"

# Round trip: the simulator's own run, traced as tracefs prints it; its
# replay reproduces the run's figures, and each policy's row those of the
# same appends run under that policy.
for args in "go119 8 5000 0 1" "kvg 24 3000 10 7" "factor:3/2 40 2000 16 1" \
	"exact 8 3000 0 3" "pow2 100 700 0 5"; do
	# shellcheck disable=SC2086
	set -- $args
	run() {
		rp=$1 re=$2 rn=$3 rh=$4 rb=$5
		shift 5
		"$sim" vec --policy "$rp" --elem-size "$re" --n "$rn" --hint "$rh" --batch "$rb" "$@" |
			tail -n 1 | sed 's/^# grows=\([0-9]*\) moved_bytes=\([0-9]*\) cap=[0-9]* footprint=\([0-9]*\) slack=\([0-9]*\) peak_footprint=\([0-9]*\) .*$/\3 \4 \1 \2 \5/'
	}
	want=$(run "$@" --trace "$tmp/rt.trace")
	out=$("$sim" replay "$tmp/rt.trace")
	t_eq "$(row traced "$out" | awk '{ print $1, $3, $4, $5, $6 }')" "$want" \
		"replay round trip $args: footprint slack grows moved peak"
	t_eq "$(echo "$out" | sed -n 2p | sed 's/.*: //')" "all equal" "replay round trip $args: checked"
	bad=""
	for p in kvg go119 go-legacy factor:3/2 factor:2/1 exact pow2; do
		[ "$(row "$p" "$out" | awk '{ print $1, $3, $4, $5, $6 }')" = "$(run "$p" "$2" "$3" "$4" "$5")" ] ||
			bad="$bad $p"
	done
	t_eq "$bad" "" "replay $args: each policy's row equals a run under it"
done

# kvg_vec_set_pages() after the make: the events after it say pages=0,
# and the replay follows (kvgrow_lab's scenarios do this).
"$sim" vec --policy exact --elem-size 8 --n 40 --hint 16 --trace "$tmp/sp.trace" >/dev/null
awk '/kvg_vec_make:/ { print; next } { sub(/ pages=1 /, " pages=0 "); print }' "$tmp/sp.trace" >"$tmp/sp0.trace"
out=$("$sim" replay "$tmp/sp0.trace" 2>&1)
t_eq "$?:$(grep -c ' pages=0 ' "$tmp/sp0.trace"):$(echo "$out" | sed -n 2p | sed 's/.*: //')" "0:25:all equal" \
	"replay follows a pages change after the make"

# Errors: FILE:LINE: what is wrong, and no table.  A good line, then the bad.
good=$(sed -n 5p "$td/replay-small.trace")
v='vec=0000000011112222 id=3 pages=0 policy=exact'
for case in \
	"kvg_vec_grow: $v need=1 elem_size=8 len=abc cap=0->1 footprint=8 moved=0 caller=f+0x1/0x2|kvg_vec_grow: bad len 'abc'" \
	"kvg_vec_grow: $v need=1 elem_size=8 len=0 cap=0-1 footprint=8 moved=0 caller=f+0x1/0x2|kvg_vec_grow: bad cap '0-1'" \
	"kvg_vec_grow: $v need=1 elem_size=8 len= cap=0->1 footprint=8 moved=0 caller=f+0x1/0x2|kvg_vec_grow: bad len ''" \
	"kvg_vec_grow: vec=1 id=3 pages=0 policy=factor:1/2 need=1 elem_size=8 len=0 cap=0->1 footprint=8 moved=0 caller=f|kvg_vec_grow: bad policy 'factor:1/2'" \
	"kvg_vec_grow: $v need=1 elem_size=8 len=0 cap=0->99999999999999999999999 footprint=8 moved=0 caller=f|kvg_vec_grow: bad cap '0->99999999999999999999999'" \
	"kvg_vec_grow: $v need=9 elem_size=8 len=0 cap=8->4 footprint=8 moved=0 caller=f|kvg_vec_grow: a grow needs len < need, old cap < need <= new cap" \
	"kvg_vec_shrink: $v need=3 elem_size=8 len=3 cap=4->8 footprint=8 moved=0 caller=f|kvg_vec_shrink: a shrink needs need = len <= new cap < old cap" \
	"kvg_vec_make: $v need=4 elem_size=0 len=0 cap=0->4 footprint=8 moved=0 caller=f|kvg_vec_make: elem_size 0" \
	"kvg_vec_free: $v elem_size=8 len=9 cap=8 footprint=64 peak=64 grows=1 shrinks=0 moved=0 caller=f|kvg_vec_free: len above cap" \
	"kvg_vec_grow: $v need=1 elem_size=8 len=0 cap=0->1 footprint=8 moved=0 caller=|kvg_vec_grow: bad caller ''" \
	"kvg_vec_grow: $v need=1 elem_size=8|kvg_vec_grow has no len=: a line cut short, or a trace from another kvgrow version" \
	"kvg_vec_grow: vec=00000000a1b2c3d4 elem_size=8 len=3408 cap=3408->5120 footprint=65536 moved=27264 caller=cmd_append+0x5c/0x120 [kvgrow_lab]|kvg_vec_grow: elem_size where id= belongs: a trace from another kvgrow version" \
	"kvg_vec_grow: vec=1 id=3 gen=2 policy=exact need=1 elem_size=8 len=0 cap=0->1 footprint=8 moved=0 caller=f|kvg_vec_grow: gen where pages= belongs: a trace from another kvgrow version" \
	"kvg_vec_grow: $v need=1 elem_size=8 len=0 cap=0->1 footprint=8 moved=0 caller=f+0x1/0x2 [m] node=0|kvg_vec_grow: more fields than this kvgrow's: a trace from another kvgrow version" \
	"kvg_vec_free: $v elem_size=8 len=1 cap=8 footprint=64 grows=1 shrinks=0 moved=0 caller=f|kvg_vec_free: grows where peak= belongs: a trace from another kvgrow version" \
	"kvg_vec_reserve: $v need=1|unknown event kvg_vec_reserve: a trace from another kvgrow version" \
	"kvg_vec_make: vec=1 id=7 pages=0 policy=exact need=10 elem_size=24 len=0 cap=0->10 footprint=256 moved=0 caller=f|vector id 7 starts again, live since line 1" \
	"kvg_vec_grow: vec=1 id=7 pages=0 policy=kvg need=11 elem_size=24 len=10 cap=10->11 footprint=512 moved=240 caller=f|vector id 7 changed its policy or elem_size since line 1"; do
	printf '%s\n  x-1 [000] ..... 1.0: %s\n' "$good" "${case%%|*}" > "$tmp/bad.trace"
	out=$("$sim" replay "$tmp/bad.trace" 2>"$tmp/err")
	t_eq "$?:$out:$(cat "$tmp/err")" "1::kvgrow-sim: $tmp/bad.trace:2: ${case#*|}" \
		"replay refuses: ${case#*|}"
done
# The line number counts every line, skipped ones too.
{ cat "$td/replay-small.trace"; echo "kvg_vec_grow: $v need=1 elem_size=8"; } > "$tmp/bad.trace"
t_eq "$("$sim" replay "$tmp/bad.trace" 2>&1)" \
	"kvgrow-sim: $tmp/bad.trace:16: kvg_vec_grow has no len=: a line cut short, or a trace from another kvgrow version" \
	"replay: the line number of line 16, after header, comments and other events"
# A vector grown before the trace began, and one never allocated, are skipped.
printf '%s\n%s\n' \
	"kvg_vec_grow: $v need=9 elem_size=8 len=8 cap=8->16 footprint=128 moved=64 caller=f" \
	"kvg_vec_free: vec=1 id=4 pages=0 policy=kvg elem_size=8 len=0 cap=0 footprint=0 peak=0 grows=0 shrinks=0 moved=0 caller=f" > "$tmp/skip.trace"
t_eq "$("$sim" replay "$tmp/skip.trace" | sed -n 1p)" \
	"# replay of $tmp/skip.trace: 0 vectors (0 freed, 0 live at the end), 2 events; skipped: 1 grown before the trace began, 1 never allocated" \
	"replay: skips what began before the trace"
# A record that the replay does not reproduce (the clip lost): said, status 1.
grep -v kvg_vec_shrink "$td/replay-small.trace" > "$tmp/lost.trace"
"$sim" replay "$tmp/lost.trace" >"$tmp/out" 2>"$tmp/err"
t_eq "$?:$(sed -n 2p "$tmp/out" | sed 's/.*: //')" "1:MISMATCH" "replay: a lost event is a mismatch"
for args in "replay" "replay a b" "replay x --per-day" "replay x --per-day 0" \
	"replay x --per-day 1x" "replay x --bogus"; do
	# shellcheck disable=SC2086
	"$sim" $args >/dev/null 2>&1
	t_eq "$?" 2 "usage error: '$args'"
done
"$sim" replay "$tmp/nonexistent" >/dev/null 2>&1
t_eq "$?" 1 "replay: a missing file"
# Events the ring buffer lost: said, status 1.
for lost in "# entries-in-buffer/entries-written: 9/12   #P:2|3" \
	"CPU:1 [LOST 5 EVENTS]|5"; do
	{ echo "${lost%|*}"; cat "$td/replay-small.trace"; } > "$tmp/lost.trace"
	"$sim" replay "$tmp/lost.trace" >"$tmp/out" 2>"$tmp/err"
	t_eq "$?:$(sed -n 3p "$tmp/out"):$(cat "$tmp/err")" \
		"1:# LOST ${lost#*|} events: the figures are not the run's:kvgrow-sim: $tmp/lost.trace: the trace lost ${lost#*|} events (tracefs's ring buffer was full: make buffer_size_kb bigger); the figures are not the run's" \
		"replay: lost events (${lost%|*})"
done
t_eq "$("$sim" replay "$tmp/skip.trace" --per-day 5 | grep -c 'per day')" 0 \
	"replay --per-day: nothing to scale without vectors"
# perf script's lines name the event kvgrow:kvg_vec_grow.
sed 's/ kvg_vec_/ kvgrow:kvg_vec_/' "$td/replay-small.trace" > "$tmp/perf.trace"
t_eq "$("$sim" replay "$tmp/perf.trace" | sed 1d)" "$("$sim" replay "$td/replay-small.trace" | sed 1d)" \
	"replay: perf script's event names"
# The replays again under ASan and UBSan: the same output, no error.
if [ -x "$build/kvgrow-sim-asan" ]; then
	bad=""
	for f in "$td/replay-small.trace" "$tmp/exact.trace" "$tmp/rt.trace" "$tmp/skip.trace" \
		"$tmp/lost.trace" "$tmp/bad.trace"; do
		a=$("$sim" replay "$f" --per-day 7 2>&1; echo "exit $?")
		b=$("$build/kvgrow-sim-asan" replay "$f" --per-day 7 2>&1; echo "exit $?")
		[ "$a" = "$b" ] || bad="$bad $f"
	done
	t_eq "$bad" "" "replay under ASan and UBSan: the same output"
else
	t_fail "no $build/kvgrow-sim-asan"
fi

# go119 against Go 1.19's own runtime, element sizes 1..1000.
goref=$build/goref/goref
if [ -x "$goref" ]; then
	"$goref" > "$build/goref/ref.txt"
	lines=$(wc -l < "$build/goref/ref.txt")
	cut -d' ' -f1-4 "$build/goref/ref.txt" | "$sim" grow --policy go119 - > "$build/goref/sim.txt"
	bad=$(cut -d' ' -f5 "$build/goref/ref.txt" | paste -d' ' - "$build/goref/sim.txt" |
		awk '$1 != $2' | wc -l)
	t_eq "$bad" 0 "go119 equals Go $(go version 2>/dev/null | cut -d' ' -f3) on $lines appends, sizes 1..1000"
	t_eq "$(cut -d' ' -f1 "$build/goref/ref.txt" | sort -un | wc -l)" 1000 "every size 1..1000 covered"
else
	t_fail "no Go reference: $goref was not built (install golang-go)"
fi
t_done
