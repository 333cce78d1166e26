#!/bin/bash
# usage: scripts/bench-kernel.sh [6.1|6.12|all] [BUILD_DIR]
#   The kernel benchmark (`make bench-kernel`): kvgrow's two map engines
#   against rhashtable and xarray, workloads M1-M5 of userspace-test/bench,
#   in Debian's stock kernels (default: all), one VM at a time.  For each
#   kernel: fetch it (scripts/kernels.sh), build the modules
#   (scripts/build-module.sh: W=1, sparse), boot it with scripts/vm-run.sh,
#   load kvgrow.ko and kvgrow_bench.ko (kmod/bench), which runs everything
#   and logs its results.  Prints a table per kernel: median ns/op per
#   workload and structure, ratios to rhashtable, bytes per entry, largest
#   allocation, the issue's kernel targets checked, and the accelerator.
#   Writes BUILD_DIR/bench-kernel/<series>.tsv (the module's lines) and
#   results.txt (the tables); logs in BUILD_DIR/logs/bench-<KVER>.*.
#   Env: KVG_BENCH_N (entries, default 200000), KVG_BENCH_XA_N (xarray's,
#   default 20000), KVG_BENCH_RUNS (default 5), KVG_BENCH_ARGS (more module
#   parameters, e.g. "workloads=M1,M2 structs=kvg-swiss,rhashtable"),
#   KVG_ACCEL (kvm|tcg, default: probe), KVG_VM_TIMEOUT (seconds per VM).
#   Exits non-zero if a kernel's run failed (a missed target is not a failure).
set -euo pipefail
# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR/..
. "$(dirname "$0")/lib.sh"

[ $# -le 2 ] || usage
case ${1:-all} in
6.1 | 6.12 | all) ;;
*) usage ;;
esac
build=$(realpath -m "${2:-$KVG_ROOT/build}")
out=$build/bench-kernel
logs=$build/logs
mkdir -p "$out" "$logs"

accel_resolve
# Under TCG one run of everything at n = 2*10^5 took about 12 s (6.12 VM:
# 16 s with its boot), so 5 runs about a minute: the limits leave room for
# a loaded host or a larger n.
vm_timeout=$(accel_timeout 300 900)
args=$out/bench.args
echo "n=${KVG_BENCH_N:-200000} xa_n=${KVG_BENCH_XA_N:-20000}" \
	"runs=${KVG_BENCH_RUNS:-5} ${KVG_BENCH_ARGS-}" >"$args"

kernels=$("$KVG_ROOT/scripts/kernels.sh" "${1:-all}") || die "cannot fetch the kernels"
failed=0
files=()
while read -r s kver root <&3; do
	kdir=$root/usr/src/linux-headers-$kver
	log=$logs/bench-$kver.console.log
	tsv=$out/$s.tsv
	rm -f "$tsv"
	if ! kos=$("$KVG_ROOT/scripts/build-module.sh" "$kdir" "$build" 2>"$logs/bench-$kver.build.log"); then
		cat "$logs/bench-$kver.build.log" >&2
		log "$kver: module build failed"
		failed=1
		continue
	fi
	ko=$(grep '/kvgrow\.ko$' <<<"$kos")
	bko=$(dirname "$ko")/kmod/bench/kvgrow_bench.ko
	load=$(cut -d' ' -f1 /proc/loadavg)
	log "$kver: booting ($(cat "$args"); host load average $load)"
	rc=0 t0=$SECONDS
	"$KVG_ROOT/scripts/vm-run.sh" --kernel "$root/boot/vmlinuz-$kver" --ko "$ko,$bko" \
		--script "$KVG_ROOT/kmod/bench/bench-vm.sh" --extra "$args" \
		--timeout "$vm_timeout" --log "$log" >/dev/null 2>"$logs/bench-$kver.vm-run.log" ||
		rc=$?
	secs=$((SECONDS - t0))
	{
		printf 'vm\t%s\t%s\t%s\t%d\t%s\t%s\n' "$kver" "${KVG_ACCEL_USED^^}" "$rc" "$secs" \
			"$KVG_ACCEL_WHY" "$load"
		sed -n 's/^.*kvgbench: //p' "$log"
	} >"$tsv"
	if [ "$rc" -ne 0 ] || ! grep -q '^done	ok' "$tsv"; then
		grep -E 'kvgbench: |BUG|WARNING|Oops|panic' "$log" | grep -v '	run	\|^kvgbench: run' |
			tail -n 20 >&2 || true
		log "$kver: the benchmark failed (vm-run exit $rc after $secs s; see $log)"
		failed=1
		continue
	fi
	log "$kver: VM $secs s"
	files+=("$tsv")
done 3<<<"$kernels"

[ ${#files[@]} -gt 0 ] || exit 1
# The tables: medians over the runs, ratios, targets.
awk -F'\t' '
function median(list,   a, k, t, i, j) {
	k = split(list, a, " ")
	for (i = 2; i <= k; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
function kib(b) { return b >= 1048576 ? sprintf("%.2f MiB", b / 1048576) : b >= 1024 ? sprintf("%.1f KiB", b / 1024) : b " B" }
function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2fx", a / b) }
# the workloads seen so far, plus @wl, in their order
function order(wl,   all, k, i, o) {
	k = split("M1 M1H M2 M3 M4 M5", all, " ")
	for (i = 1; i <= k; i++)
		if (all[i] in seen_w || all[i] == wl)
			o = o " " all[i]
	return o
}
function col(name,   i) { for (i = 1; i <= ns; i++) if (st[i] == name) return 1; return 0 }
# One target line: kvg-swiss over structure "to", per workload, at most "limit".
function target(to, limit, what, missed,   w, r, line, miss) {
	for (w = 1; w <= nw; w++)
		if (med[to, wls[w]] != "") {
			r = med["kvg-swiss", wls[w]] / med[to, wls[w]]
			line = line sprintf(" %s %.2fx", wls[w], r)
			if (r > limit)
				miss = miss " " wls[w]
		}
	printf "  [%s] %s:%s%s\n", miss == "" ? "met" : "MISSED", what, line,
		miss == "" ? "" : " (" missed ":" miss ")"
}
function flush(   i, w, s, v, r, sw, go, rh, line, miss, tcg, note, what) {
	if (kver == "")
		return
	tcg = accel == "TCG"
	note = tcg ? "   (TCG: ratios indicative only)" : ""
	printf "== Debian %s, %s (%s), n=%s (xarray %s), median of %s runs, VM %s s, host load %s at boot ==\n",
		kver, accel, why, info["n"], info["xa_n"], info["runs"], secs, load
	for (i = 1; i <= ne; i++)
		printf "   %s: map flags %s\n", eng[i], engflags[eng[i]]
	printf "%-26s", "ns/op"
	for (i = 1; i <= ns; i++)
		printf "%12s", st[i]
	printf "%12s%12s%12s%s\n", "swiss/rht", "go119/rht", "swiss/go119", note
	for (w = 1; w <= nw; w++) {
		printf "%-26s", wls[w] (wls[w] == "M5" ? " (per step)" : wls[w] == "M1H" ? " (hint n)" : "")
		for (i = 1; i <= ns; i++) {
			v[i] = (st[i] SUBSEP wls[w]) in t ? median(t[st[i], wls[w]]) : ""
			printf "%12s", v[i] == "" ? "-" : sprintf("%.1f", v[i])
			med[st[i], wls[w]] = v[i]
		}
		sw = med["kvg-swiss", wls[w]]; go = med["kvg-go119", wls[w]]
		rh = med["rhashtable", wls[w]]
		printf "%12s%12s%12s\n", ratio(sw, rh), ratio(go, rh), ratio(sw, go)
	}
	printf "%-26s", "bytes/entry at n"
	for (i = 1; i <= ns; i++) {
		bpe[st[i]] = median(bytes[st[i]]) / entries[st[i]]
		printf "%12.1f", bpe[st[i]]
	}
	printf "%12s%12s%12s%s\n", ratio(bpe["kvg-swiss"], bpe["rhashtable"]),
		ratio(bpe["kvg-go119"], bpe["rhashtable"]), ratio(bpe["kvg-swiss"], bpe["kvg-go119"]), note
	printf "%-26s", "largest allocation"
	for (i = 1; i <= ns; i++)
		printf "%12s", kib(largest[st[i]])
	printf "\n%-26s", "directory"
	for (i = 1; i <= ns; i++)
		printf "%12s", st[i] == "kvg-swiss" ? kib(dir[st[i]]) : "-"
	printf "\n%-26s", "bytes after M4 delete-all"
	for (i = 1; i <= ns; i++)
		printf "%12s", kib(median(after[st[i]]))
	printf "\n%-26s", "bytes at M5 end (1000)"
	for (i = 1; i <= ns; i++)
		printf "%12s", kib(median(m5b[st[i]]))
	printf "\n"
	if (info["xa_n"] != info["n"] && col("xarray"))
		printf "   xarray ran at n=%s (random 64-bit indices: %.0f bytes/entry, so n=%s would not fit the 1 GiB VM)\n",
			info["xa_n"], bpe["xarray"], info["n"]
	if (info["node_from"] != "slab" && col("xarray"))
		printf "   xarray nodes counted at sizeof(struct xa_node) = %s B: no /sys/kernel/slab/radix_tree_node\n", info["node_size"]
	for (s in memnote)
		printf "   %s: %s (figures not exact)\n", s, memnote[s]
	if (col("rhashtable") && info["n"] > 65535 && ("rhashtable" SUBSEP "M1H") in t)
		printf "   rhashtable M1H: its nelem_hint is a u16, so the hint is 65535\n"
	if (alloc_model != "" && alloc_model != alloc_actual)
		printf "   kvg-go119: its bucket array is %s as kvgrow counts it (kvg_kvmalloc_roundup), %s as the allocator reserved it%s: its bytes/entry above is low by %.1f\n",
			kib(alloc_model), kib(alloc_actual), alloc_actual % 2097152 ? "" : " (a vmalloc area mapped in 2 MiB pages)",
			(alloc_actual - alloc_model) / entries["kvg-go119"]
	if (!col("kvg-swiss") || !col("rhashtable") || !col("kvg-go119")) {
		printf "   targets not checked: they need kvg-swiss, kvg-go119 and rhashtable\n\n"
		return
	}
	printf "Targets of issue #15 (kvg-swiss, the engine it makes the default)%s\n", note
	target("rhashtable", 0.3, "<= 0.3x rhashtable ns/op on every workload", "missed")
	r = bpe["kvg-swiss"] / bpe["rhashtable"]
	printf "  [%s] bytes/entry <= 0.6x rhashtable: %.1f vs %.1f, %.2fx\n",
		r <= 0.6 ? "met" : "MISSED", bpe["kvg-swiss"], bpe["rhashtable"], r
	target("kvg-go119", 1, "never slower than the Go 1.19 engine", "slower")
	printf "  [%s] no map allocation above 32 KiB but the directory: largest table block %s, directory %s\n\n",
		largest["kvg-swiss"] <= 32768 ? "met" : "MISSED", kib(largest["kvg-swiss"]), kib(dir["kvg-swiss"])
}
FNR == 1 {
	flush()
	split("", t); split("", bytes); split("", after); split("", m5b); split("", largest)
	split("", dir); split("", entries); split("", memnote); split("", info); split("", engflags)
	split("", seen_s); split("", seen_w)
	ns = nw = ne = 0; alloc_model = alloc_actual = ""
}
$1 == "vm" { kver = $2; accel = $3; secs = $5; why = $6; load = $7 }
$1 == "info" { for (i = 2; i < NF; i += 2) info[$i] = $(i + 1) }
$1 == "engine" { eng[++ne] = $2; engflags[$2] = $4 }
$1 == "run" {
	if (!($2 in seen_s)) { seen_s[$2]; st[++ns] = $2 }
	if (!($3 in seen_w)) { seen_w[$3]; nw = split(order($3), wls, " ") }
	t[$2, $3] = t[$2, $3] " " $6 / $5
}
$1 == "mem" {
	entries[$2] = $4
	bytes[$2] = bytes[$2] " " $5
	if ($6 + 0 > largest[$2] + 0) largest[$2] = $6
	if ($7 + 0 > dir[$2] + 0) dir[$2] = $7
	after[$2] = after[$2] " " $8
	m5b[$2] = m5b[$2] " " $9
	if ($10 != "-") memnote[$2] = $10
}
$1 == "alloc" { alloc_model = $4; alloc_actual = $5 }
END { flush() }
' "${files[@]}" | tee "$out/results.txt"
[ "$failed" -eq 0 ]
