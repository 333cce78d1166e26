#!/bin/bash
# usage: scripts/demo.sh [BUILD_DIR]                    (make demo)
#        INSMOD=1 scripts/demo.sh [BUILD_DIR]           (make demo INSMOD=1)
#        scripts/demo.sh --replay CONSOLE_LOG [BUILD_DIR]
#   The article's scenarios, run by kvgrow.ko in a real kernel: fetch
#   Debian's stock 6.12 kernel (scripts/kernels.sh), build the modules
#   (`make module`), boot it under qemu (scripts/vm-run.sh) with
#   scripts/demo-vm.sh, which creates a few containers and runs the
#   scenario-* commands through /sys/kernel/debug/kvgrow/control.  Prints the
#   debugfs reports as tables (summary, sites, policy, oom, churn, retention,
#   nested) and writes to demo-out/ (KVG_DEMO_OUT): each report as
#   <name>.tsv, PNG plots (scripts/demo-plots.gp), console.log.  The
#   kvgrow trace that demo-vm.sh records goes to trace.txt; its replay
#   under every policy (`kvgrow-sim replay --per-day`) to replay.tsv and
#   replay-per-day.tsv, and is printed and plotted (replay.png).
#   Ends with one `kvgtop -b -n 1` frame of the live module.
#   INSMOD=1: use the running kernel instead (build against KDIR, default
#   /lib/modules/$(uname -r)/build, installing linux-headers-$(uname -r) if
#   that is missing; insmod with sudo, run demo-vm.sh there, rmmod).  --replay: print and plot a saved console log again, no kernel.
#   Exits non-zero if a command or report failed.
set -euo pipefail
# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR/..
. "$(dirname "$0")/lib.sh"

replay=''
if [ "${1-}" = --replay ]; then
	[ $# -ge 2 ] || usage
	replay=$(realpath "$2")
	shift 2
fi
[ $# -le 1 ] || usage
build=$(realpath -m "${1:-$KVG_ROOT/build}")
out=$(realpath -m "${KVG_DEMO_OUT:-$KVG_ROOT/demo-out}")
insmod=${INSMOD:-0}
[ "$insmod" = 1 ] || insmod=0

# The scenarios' arguments (demo-vm.sh reads them from demo.env).
P_N=100000 P_ES=8                  # scenario-policy N ELEM_SIZE
OOM_N=1000000 OOM_BUDGET=16777216  # scenario-oom N BUDGET (x1.5 peaks at 17.1 MiB, kvg 14.1; page-backed 10.3, 7.8)
CH_W=1000 CH_STEPS=200000          # scenario-churn WINDOW STEPS
RT_BIG=10485760 RT_SMALL=1024      # scenario-retention BIG_BYTES SMALL_BYTES
NS_KEYS=1000 NS_VALUES=1000        # scenario-nested KEYS VALUES (8000-byte values:
                                   # Go's size classes, not kmalloc's)
RP_PER_DAY=1000000                 # replay --per-day: vectors a day like the trace's

t_start=$SECONDS
times=()
lap() { times+=("$1 $((SECONDS - t_lap)) s"); t_lap=$SECONDS; }
t_lap=$SECONDS

if [ -n "$replay" ]; then deps gnuplot-nox; else deps gnuplot-nox build-essential rsync libncurses-dev; fi
mkdir -p "$out"
rm -f "$out"/*.tsv "$out"/*.png
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvg-demo.XXXXXX")
loaded=''
# shellcheck disable=SC2317 # (called by the trap)
cleanup() {
	local m
	for m in $loaded; do as_root rmmod "$m" || log "rmmod $m failed"; done
	rm -rf "$tmp"
}
trap cleanup EXIT
cat >"$out/demo.env" <<EOF
DEMO_POLICY="$P_N $P_ES"
DEMO_OOM="$OOM_N $OOM_BUDGET"
DEMO_CHURN="$CH_W $CH_STEPS"
DEMO_RETENTION="$RT_BIG $RT_SMALL"
DEMO_NESTED="$NS_KEYS $NS_VALUES"
EOF
# kvgtop's closing frame: the host's build with INSMOD=1, the static one in the VM
kvgtop=$build/kvgtop-static
if [ -z "$replay" ]; then
	[ "$insmod" = 0 ] || kvgtop=$build/kvgtop
	make -s -C "$KVG_ROOT" BUILD="$build" "$kvgtop" || die "cannot build $kvgtop"
	if [ "$insmod" = 1 ]; then echo "KVGTOP=$kvgtop"; else echo "KVGTOP=/kvgtop-static"; fi >>"$out/demo.env"
fi

# build_modules KDIR: sets ko, lab and ex to the built modules' paths.
build_modules() {
	local kos
	kos=$(make -s -C "$KVG_ROOT" BUILD="$build" module KDIR="$1") ||
		die "module build against $1 failed"
	ko=$(grep '/kvgrow\.ko$' <<<"$kos" | head -n 1) || true
	lab=$(grep '/kvgrow_lab\.ko$' <<<"$kos" | head -n 1) || true
	ex=$(grep '/kvgrow_example\.ko$' <<<"$kos" | head -n 1) || true
	if [ -z "$ko" ] || [ -z "$lab" ] || [ -z "$ex" ]; then
		die "make module printed no kvgrow.ko, kvgrow_lab.ko and kvgrow_example.ko"
	fi
}

rc=0
if [ -n "$replay" ]; then
	where="a replay of $replay"
	[ "$replay" = "$out/console.log" ] || cp "$replay" "$out/console.log"
elif [ "$insmod" = 1 ]; then
	krel=$(uname -r)
	kdir=${KDIR:-/lib/modules/$krel/build}
	where="kvgrow.ko in the running kernel (INSMOD=1)"
	[ ! -d /sys/module/kvgrow ] || die "kvgrow is loaded already: rmmod it first"
	[ -d "$kdir" ] || [ -n "${KDIR-}" ] || deps "linux-headers-$krel" ||
		die "no kernel build tree for $krel: install linux-headers-$krel, or give KDIR"
	build_modules "$kdir"
	lap build
	grep -qs ' /sys/kernel/debug debugfs ' /proc/mounts ||
		as_root mount -t debugfs debugfs /sys/kernel/debug || die "cannot mount debugfs"
	log "loading kvgrow.ko into $krel"
	as_root insmod "$ko" || die "insmod $ko failed"
	loaded=kvgrow
	as_root insmod "$lab" || die "insmod $lab failed"
	loaded="kvgrow_lab kvgrow"
	as_root insmod "$ex" || die "insmod $ex failed"
	loaded="kvgrow_example kvgrow_lab kvgrow"
	as_root sh "$KVG_ROOT/scripts/demo-vm.sh" "$out/demo.env" >"$out/console.log" 2>&1 || rc=$?
	for m in $loaded; do as_root rmmod "$m" || { log "rmmod $m failed"; rc=1; }; done
	loaded=''
	lap "scenarios"
else
	read -r _ kver kroot < <("$KVG_ROOT/scripts/kernels.sh" 6.12) ||
		die "cannot fetch Debian's 6.12 kernel"
	lap fetch
	build_modules "$kroot/usr/src/linux-headers-$kver"
	lap build
	accel_resolve
	where="kvgrow.ko in Debian's stock kernel under qemu (${KVG_ACCEL_USED^^})"
	log "booting $kver under qemu (${KVG_ACCEL_USED^^}) with kvgrow.ko"
	# time limits: the demo VM took 12-27 s under TCG (boot and scenarios,
	# 2 cores); KVM is faster still.  300 s and 120 s leave room for load.
	"$KVG_ROOT/scripts/vm-run.sh" --kernel "$kroot/boot/vmlinuz-$kver" --ko "$ko,$lab,$ex" \
		--script "$KVG_ROOT/scripts/demo-vm.sh" --extra "$out/demo.env,$kvgtop" \
		--timeout "$(accel_timeout 120 300)" --log "$out/console.log" \
		>/dev/null 2>"$tmp/vm-run.err" || rc=$?
	[ "$rc" -lt 98 ] || { cat "$tmp/vm-run.err" >&2; tail -n 30 "$out/console.log" >&2; }
	lap "VM (boot and scenarios)"
fi

# ---------------------------------------------------------------------------
# The reports: each section of the console log into $out/<name>.tsv, keeping
# only rows with the header's number of fields (the console may carry a
# kernel message in between).

awk -v out="$out" '
/^=== BEGIN [^ ]+ ===$/ {
	name = $3; sub(/.*\//, "", name); f = out "/" name ".tsv"; nf = 0
	printf "" > f
	next
}
/^=== END [^ ]+ ===$/ { if (f != "") close(f); f = ""; next }
f == "" { next }
{
	n = split($0, a, "\t")
	if (!nf) nf = n
	if (n != nf || /^\[ *[0-9]+\.[0-9]+\]/) {
		printf "demo: dropped a line from %s: %s\n", name, $0 > "/dev/stderr"
		next
	}
	print > f
}' "$out/console.log"

# errors from the kernel side
if grep -q '^=== ERROR ' "$out/console.log"; then
	sed -n 's/^=== ERROR \(.*\) ===$/demo: kernel side: \1/p' "$out/console.log" >&2
	[ "$rc" -ne 0 ] || rc=1
fi
grep -q '^=== DONE ' "$out/console.log" || { log "demo-vm.sh did not finish (see $out/console.log)"; rc=1; }

# The trace: its replay under every policy, as two reports.
sed -n '/^=== TRACE BEGIN ===$/,/^=== TRACE END ===$/p' "$out/console.log" | sed '1d;$d' >"$out/trace.txt"
if [ ! -s "$out/trace.txt" ]; then
	log "no kvgrow trace in $out/console.log"
	rc=1
elif make -s -C "$KVG_ROOT" BUILD="$build" "$build/kvgrow-sim"; then
	"$build/kvgrow-sim" replay "$out/trace.txt" --per-day "$RP_PER_DAY" >"$tmp/replay.out" ||
		{ log "kvgrow-sim replay $out/trace.txt failed (exit $?)"; rc=1; }
	sed -n 's/^# \(replay of\|traced:\|LOST\)/\1/p' "$tmp/replay.out" |
		sed 's|^replay of [^:]*|replay of trace.txt|; s/$/./' >"$tmp/replay.caption"
	awk '/^# per day/ { f = 1; next } /^#/ { next } { print > (f ? per : all) }' \
		all="$out/replay.tsv" per="$out/replay-per-day.tsv" "$tmp/replay.out"
else
	rc=1
fi

# fmt_table FILE: a TSV as an aligned table; byte columns in B/KiB/MiB, _x100
# columns as decimals, numbers right-aligned.
fmt_table() {
	awk -F'\t' '
	function human(b) {
		if (b !~ /^[0-9]+$/) return b
		if (b >= 1000 * 1024) return sprintf("%.2f MiB", b / 1048576)
		if (b >= 1000) return sprintf("%.1f KiB", b / 1024)
		return b " B"
	}
	NR == 1 {
		nf = NF
		for (i = 1; i <= NF; i++) {
			h = $i
			if (h == "peak_x100") { kind[i] = "x100"; h = "peak/data" }
			else if (h ~ /_x100$/) { kind[i] = "x100"; sub(/_x100$/, "", h) }
			else if (h ~ /(bytes|footprint|^slack|^budget)$/) kind[i] = "bytes"
			cell[0, i] = h
		}
		next
	}
	{
		rows++
		for (i = 1; i <= nf; i++) {
			v = $i
			if (kind[i] == "bytes") v = human(v)
			else if (kind[i] == "x100" && v ~ /^[0-9]+$/) v = sprintf("%.2f", v / 100)
			cell[rows, i] = v
			if (v != "-" && v !~ /^-?[0-9.]+( [KM]iB| B)?$/) text[i] = 1
		}
	}
	END {
		for (r = 0; r <= rows; r++)
			for (i = 1; i <= nf; i++)
				if (length(cell[r, i]) > w[i]) w[i] = length(cell[r, i])
		for (r = 0; r <= rows; r++) {
			line = ""
			for (i = 1; i <= nf; i++) {
				fmt = text[i] ? "%-" w[i] "s" : "%" w[i] "s"
				line = line (i > 1 ? "  " : "") sprintf(fmt, cell[r, i])
			}
			sub(/ +$/, "", line)
			print "  " line
			if (r == 0) {
				line = ""
				for (i = 1; i <= nf; i++) {
					d = sprintf("%" w[i] "s", ""); gsub(/ /, "-", d)
					line = line (i > 1 ? "  " : "") d
				}
				print "  " line
			}
		}
	}' "$1"
}

# section NAME CAPTION: the heading, the caption, the table.
section() {
	echo "== $1"
	echo "$2" | fold -s -w 96 | sed 's/^/   /'
	echo
	if [ -s "$out/$1.tsv" ]; then
		fmt_table "$out/$1.tsv"
	else
		echo "  (no report: see $out/console.log)"
		[ "$rc" -ne 0 ] || rc=1
	fi
	echo
}

mib() { awk -v b="$1" 'BEGIN { printf "%g MiB", b / 1048576 }'; }

kernel=$(sed -n 's/.*=== KERNEL \(.*\) ===$/\1/p' "$out/console.log" | head -n 1)
echo "kvgrow demo: ${where}${kernel:+, $kernel}"
echo "(byte figures in B/KiB/MiB; exact figures in ${out#"$KVG_ROOT"/}/*.tsv)"
echo
section summary "Containers alive while the scenarios run, largest footprint first: made \
through the control file (a go119 ring of 64-byte records, a kvg log of u64s, a pow2 table \
clipped to its length, a x1.5 vector grown from a hint of 16; 50,000 sessions of which \
45,000 ended, in Go 1.19's map (sessions.go), in Go 1.19's engine with kvgrow's reclaim, \
shrunk (sessions.go119), and in the default engine's Swiss tables (sessions.kvg), which \
shrink as entries go), and kvgrow_example.ko's vector. A map's len is its count, cap its \
buckets (Go 1.19's engine) or slots (Swiss tables)."
section sites "The same per creating call site, as /proc/allocinfo groups allocations."
section policy "$P_N elements of $P_ES bytes appended one at a time to an empty vector, \
per growth policy. moved: live bytes carried to a new block; slack: footprint - live; \
peak: old and new block while one moves."
section oom "x1.5 growth (factor:3/2) from a 16-element hint to $OOM_N 8-byte elements, \
against kvg, under a budget of $(mib "$OOM_BUDGET"): the transient peak (old and new \
block at once) decides whether it fits. +pages: the same, page-backed (issue #13): a growth \
keeps its pages and maps them anew, so the peak is the new pages and a page list."
section churn "A u64 map under a sliding window: $CH_STEPS steps, each inserts a new key \
and deletes the one inserted $CH_W steps before. go: Go 1.19's map (overflow buckets are \
never freed; same-size grows); go119: Go 1.19's engine with kvgrow's reclaim (empty \
overflow buckets unlinked at once); kvg: the default engine, Swiss tables (no overflow \
buckets: a table full of tombstones is rebuilt at its own size, so the footprint stays flat, \
unlike Go 1.24's, golang/go#70886)."
section retention "Keeping $RT_SMALL bytes out of a $(mib "$RT_BIG") vector: as a view \
(a subslice pins the whole big block) or as a right-sized copy (clone_range; the big \
vector freed)."
section nested "map[u64][]u64: $NS_KEYS keys, each value a vector grown one element at a \
time to $NS_VALUES u64s, per vector policy. The map and its vectors are one group \
(group/nested-<policy> in debugfs), charged by its members as they grow: group_footprint is \
exact without walking them. ratio: all the memory over the data."
section replay "The vectors of the trace recorded while the containers were made and the oom, \
churn and retention scenarios ran, replayed by kvgrow-sim under every policy: 'traced' is each \
vector under its own policy, checked against what kvg_vec_free recorded. footprint and slack: \
at each vector's end; peak_footprint: the most the live vectors held at once; \
transient_footprint: the same with both blocks while one moves; allocated_bytes: every new \
block; x_: ratio to traced. $(tr '\n' ' ' 2>/dev/null <"$tmp/replay.caption")"
section replay-per-day "The same scaled to $RP_PER_DAY vectors a day like these: bytes \
allocated and moved a day, and the slack that a day's vectors hold at their end."

# ---------------------------------------------------------------------------
# The plots: gnuplot data files in $tmp, PNGs in $out.

if [ -s "$out/policy-growth.tsv" ]; then
	# one block per policy (two blank lines apart) of "length capacity
	# footprint", the length being the one the growth made room for (the
	# report gives the length before it), extended to N so the last step
	# shows; in drawing order: exact (the background), the others as
	# listed, kvg (on top); their names in that order
	awk -F'\t' -v n="$P_N" '
	FNR == 1 { next }
	!($1 in rows) { names[++np] = $1 }
	{ rows[$1] = rows[$1] ($2 + 1) " " $3 " " $4 "\n"; last[$1] = n " " $3 " " $4 }
	function block(p) {
		printf "%s%s%s\n", sep, rows[p], last[p]; sep = "\n\n"
		order = order (order == "" ? "" : " ") p
	}
	END {
		for (i = 1; i <= np; i++) if (names[i] == "exact") block(names[i])
		for (i = 1; i <= np; i++) if (names[i] != "exact" && names[i] != "kvg") block(names[i])
		for (i = 1; i <= np; i++) if (names[i] == "kvg") block(names[i])
		print order > "/dev/stderr"
	}' "$out/policy-growth.tsv" >"$tmp/growth.dat" 2>"$tmp/growth.names"
fi
bkt=0
if [ -s "$out/churn-series.tsv" ]; then
	for m in go go119 kvg; do
		awk -F'\t' -v m="$m" 'FNR > 1 && $2 == m { print $1, $3, $4 }' \
			"$out/churn-series.tsv" >"$tmp/churn-$m.dat"
	done
	bkt=$(awk -F'\t' '$1 == "go" { print $4 + 0 }' "$out/churn.tsv" 2>/dev/null | head -n 1)
	bkt=${bkt:-0}
fi
# bars NAME COLUMN...: for a bar chart of report NAME, one file per column,
# $tmp/NAME-COLUMN.dat, of rows "x label value", the bars of a row side by
# side (x = row * (columns + 1) + column), and $tmp/NAME.xtics, gnuplot's
# tic list with each row's label under the middle of its bars.
bars() {
	local f=$1 c k=$(($# - 1)) i=0
	shift
	for c in "$@"; do
		awk -F'\t' -v col="$c" -v i=$i -v k=$k '
		FNR == 1 { for (j = 1; j <= NF; j++) if ($j == col) c = j; next }
		c { print (FNR - 2) * (k + 1) + i, $1, $c }' "$out/$f.tsv" >"$tmp/$f-$c.dat"
		i=$((i + 1))
	done
	awk -F'\t' -v k=$k 'FNR > 1 { printf "%s\"%s\" %g", sep, $1, (FNR - 2) * (k + 1) + (k - 1) / 2; sep = ", " }
		END { print "" }' "$out/$f.tsv" | sed 's/^/(/; s/$/)/' >"$tmp/$f.xtics"
}
[ ! -s "$out/oom.tsv" ] || bars oom data_bytes peak_footprint
# oom: "x policy peak_x100 fits n_reached" at the peak bar
[ ! -s "$out/oom.tsv" ] || awk -F'\t' '
	FNR == 1 { for (j = 1; j <= NF; j++) c[$j] = j; next }
	{ print (FNR - 2) * 3 + 1, $1, $c["peak_x100"], $c["fits"], $c["n_reached"], $c["peak_footprint"] }' \
	"$out/oom.tsv" >"$tmp/oom-fits.dat"
[ ! -s "$out/retention.tsv" ] || bars retention live_bytes footprint
[ ! -s "$out/replay.tsv" ] || bars replay footprint peak_footprint transient_footprint
[ ! -s "$out/nested.tsv" ] || bars nested data_bytes map_footprint vectors_footprint group_footprint
[ ! -s "$out/nested.tsv" ] || awk -F'\t' 'FNR == 1 { for (j = 1; j <= NF; j++) if ($j == "ratio_x100") c = j; next }
	c { print (FNR - 2) * 5 + 3, $1, $c }' "$out/nested.tsv" >"$tmp/nested-ratio_x100.dat"

gp_err=0
gnuplot -e "dir='$tmp'; out='$out'; es=$P_ES; n=$P_N; \
names='$(cat "$tmp/growth.names" 2>/dev/null)'; \
oom_n=$OOM_N; budget=$OOM_BUDGET; window=$CH_W; steps=$CH_STEPS; bkt=$bkt; \
big=$RT_BIG; small=$RT_SMALL; keys=$NS_KEYS; values=$NS_VALUES" \
	"$KVG_ROOT/scripts/demo-plots.gp" 2>"$tmp/gnuplot.err" || gp_err=1
if [ "$gp_err" -ne 0 ] || [ -s "$tmp/gnuplot.err" ]; then
	cat "$tmp/gnuplot.err" >&2
	log "gnuplot failed"
	rc=1
fi
lap "tables and plots"

rel=${out#"$KVG_ROOT"/}
echo "tables: $rel/*.tsv; console log: $rel/console.log"
pngs=$(cd "$out" && for f in *.png; do [ ! -e "$f" ] || printf '%s ' "$rel/$f"; done)
echo "plots: ${pngs% }"
sed -n 's/^=== TIME \([^ ]*\) \([0-9.]*\) ===$/\1 \2/p' "$out/console.log" | awk '
	$1 == "boot" { boot = $2; next }
	$1 == "done" { done = $2; next }
	{ s = s sep $1 " " $2 " s"; sep = ", " }
	END {
		if (boot != "") s = "up at " boot " s; " s
		if (done != "") s = s "; done at " done " s"
		if (s != "") print "kernel side: " s
	}'
host=''
for t in "${times[@]}"; do host=${host:+$host, }$t; done
echo "host: ${host:+$host; }total $((SECONDS - t_start)) s"

# The end: kvgtop's frame of the live module, as the scenarios left it.
if grep -q '^=== KVGTOP ===$' "$out/console.log"; then
	echo
	echo "== kvgtop -b -n 1 (the live module after the scenarios; rates need a second frame)"
	sed -n '/^=== KVGTOP ===$/,/^=== END KVGTOP ===$/{//!p}' "$out/console.log" | sed '/^$/d; s/^/  /'
fi
exit "$rc"
