# SPDX-License-Identifier: GPL-2.0
# results.tsv -> the readable table (stdout), the issue's targets checked,
# and dir/ratios-MODE.dat (kvgrow/peer per workload) for chart.gp.

function fam(impl) {
	if (impl ~ /^go_/) return "go"
	if (impl ~ /^klib_/) return "klib"
	if (impl ~ /^absl_/) return "absl"
	if (impl ~ /^glib_/) return "glib"
	if (impl ~ /^stb_/) return "stb"
	return impl
}

function val(m, w, i, k) {
	return (m SUBSEP w SUBSEP i SUBSEP k) in x ? x[m, w, i, k] : ""
}

function ratio(a, b) {
	return a == "" || b == "" || a == "NA" || b == "NA" || b + 0 == 0 ? "" : a / b
}

# One target line: what, the measured ratio or figure, the bound.
function target(m, w, what, v, bound, unit, note) {
	if (v == "") {
		printf "  %-4s %-46s %10s   target <= %-9s n/a\n", w, what, "-", bound unit
		return
	}
	met = v <= bound
	printf "  %-4s %-46s %10s   target <= %-9s %s\n", w, what,
	       unit == "x" ? sprintf("%.2fx", v) : sprintf("%.0f%s", v, unit),
	       unit == "x" ? sprintf("%.2fx", bound) : bound unit,
	       (met ? "met" : sprintf("MISSED by %.0f%%", (v / bound - 1) * 100)) note
	nmet += met
	nmiss += !met
}

function best_of(m, w, list,	n, l, i, b, bi, v) {
	n = split(list, l, " ")
	b = ""
	for (i = 1; i <= n; i++) {
		v = val(m, w, l[i], "ns")
		if (v != "" && v != "NA" && (b == "" || v + 0 < b + 0)) {
			b = v
			bi = l[i]
		}
	}
	best_impl = bi
	return b
}

BEGIN {
	FS = "\t"
	split("V1 V2 M1 M1H M2 M3 M4 M5", wls, " ")
	desc["V1"] = "push N u64 one at a time, no hint (per element)"
	desc["V2"] = "push N u64 one at a time, capacity hint N (per element)"
	desc["M1"] = "insert N keys into an empty map, no hint, creation timed (per insert)"
	desc["M1H"] = "M1 with a hint of N (per insert)"
	desc["M2"] = "N lookups that hit, stride order (per lookup)"
	desc["M3"] = "N lookups that miss (per lookup)"
	desc["M4"] = "delete all N keys, stride order (per delete)"
	desc["M5"] = "sliding-window churn, window 1000, N steps (per step)"
	split("go klib absl glib stb", fams, " ")
	split("min max runs minflt ok grows moved check hits misses deleted sys_ms", s, " ")
	for (i in s)
		hide[s[i]] = 1
}

NR == 1 { next }

{
	w = $1; i = $2; m = $6
	if (!(m in seenmode)) {
		seenmode[m] = 1
		modes[++nmodes] = m
	}
	if (!((m, w) in nimpl))
		nimpl[m, w] = 0
	if (!((m, w, i) in have)) {
		have[m, w, i] = 1
		impls[m, w, ++nimpl[m, w]] = i
	}
	x[m, w, i, "n"] = $3
	x[m, w, i, "ns"] = $4
	x[m, w, i, "rss"] = $5
	other = ""
	nf = split($7, kv, " ")
	for (j = 1; j <= nf; j++) {
		p = index(kv[j], "=")
		k = substr(kv[j], 1, p - 1)
		x[m, w, i, k] = substr(kv[j], p + 1)
		if (!(k in hide))
			other = other " " kv[j]
	}
	x[m, w, i, "other"] = other
}

END {
	print "kvgrow benchmark: " info
	print "ns/op: median of the runs, [min-max]; ratio: kvgrow / impl (below 1: kvgrow faster)."
	print "peak RSS: getrusage, whole process (baseline included); minflt, sys% (system time / wall"
	print "time), grows and moved (bytes memcpy'd by growth; realloc() remaps count as 0): the timed"
	print "part of the median run."
	print "Modes: default = glibc malloc as is; thp = GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (Go ignores it)."
	for (mi = 1; mi <= nmodes; mi++) {
		m = modes[mi]
		datf = dir "/ratios-" m ".dat"
		print "# workload go klib absl glib stb (kvgrow / peer, median ns)" > datf
		printf "\n=== mode %s ===\n", m
		for (wi = 1; wi <= 8; wi++) {
			w = wls[wi]
			if (!((m, w) in nimpl))
				continue
			printf "\n%s (N=%s) %s\n", w, val(m, w, impls[m, w, 1], "n"), desc[w]
			printf "  %-19s %9s %19s %11s %9s %8s %5s %6s %10s  %s\n", "impl", "ns/op",
			       "[min-max]", "kvgrow/impl", "peak MiB", "minflt", "sys%",
			       "grows", "moved KiB", "other"
			kvns = val(m, w, "kvgrow", "ns")
			for (j = 1; j <= nimpl[m, w]; j++) {
				i = impls[m, w, j]
				r = i == "kvgrow" ? "" : ratio(kvns, val(m, w, i, "ns"))
				if (r != "")
					rf[fam(i)] = sprintf("%.3f", r)
				g = val(m, w, i, "grows")
				mv = val(m, w, i, "moved")
				sys = val(m, w, i, "sys_ms")
				wall = val(m, w, i, "ns") * val(m, w, i, "n") / 1e6
				printf "  %-19s %9s %19s %11s %9.1f %8s %5s %6s %10s %s%s\n", i,
				       val(m, w, i, "ns"),
				       "[" val(m, w, i, "min") "-" val(m, w, i, "max") "]",
				       r == "" ? "-" : sprintf("%.2f", r),
				       val(m, w, i, "rss") / 1024, val(m, w, i, "minflt"),
				       sys == "" || wall <= 0 ? "-" : sprintf("%.0f", 100 * sys / wall),
				       g == "" ? "-" : g, mv == "" ? "-" : sprintf("%.0f", mv / 1024),
				       val(m, w, i, "other"),
				       val(m, w, i, "ok") == "1" ? "" : "  VERIFY FAILED"
			}
			line = w
			for (f = 1; f <= 5; f++) {
				line = line " " (fams[f] in rf ? rf[fams[f]] : "-")
				delete rf[fams[f]]
			}
			print line > datf
		}
		close(datf)
	}

	for (mi = 1; mi <= nmodes; mi++) {
		m = modes[mi]
		printf "\nTargets, mode %s (medians, same run, same mode)\n", m
		b = best_of(m, "V1", "klib_kvec glib_GArray stb_ds_arr")
		target(m, "V1", "ns vs best C vector (" best_impl ")", ratio(val(m, "V1", "kvgrow", "ns"), b), 1.0, "x")
		target(m, "V1", "bytes copied for N elements", val(m, "V1", "kvgrow", "moved") == "" ? "" : val(m, "V1", "kvgrow", "moved") / 1024, 1024, " KiB")
		target(m, "V1", "peak RSS / final buffer", ratio(val(m, "V1", "kvgrow", "rss"), val(m, "V1", "kvgrow", "buf_kb")), 1.05, "x")
		target(m, "M1", "ns vs klib_khash", ratio(val(m, "M1", "kvgrow", "ns"), val(m, "M1", "klib_khash", "ns")), 0.8, "x")
		target(m, "M1", "ns vs go_map", ratio(val(m, "M1", "kvgrow", "ns"), val(m, "M1", "go_map", "ns")), 0.6, "x")
		target(m, "M1", "peak RSS vs klib_khash", ratio(val(m, "M1", "kvgrow", "rss"), val(m, "M1", "klib_khash", "rss")), 1.0, "x")
		target(m, "M2", "ns vs absl_flat_hash_map", ratio(val(m, "M2", "kvgrow", "ns"), val(m, "M2", "absl_flat_hash_map", "ns")), 1.0, "x")
		target(m, "M3", "ns vs absl_flat_hash_map", ratio(val(m, "M3", "kvgrow", "ns"), val(m, "M3", "absl_flat_hash_map", "ns")), 1.3, "x")
		target(m, "M4", "ns vs klib_khash", ratio(val(m, "M4", "kvgrow", "ns"), val(m, "M4", "klib_khash", "ns")), 1.0, "x")
		target(m, "M4", "RSS after delete-all / empty map's", ratio(val(m, "M4", "kvgrow", "rss_del_kb"), val(m, "M4", "kvgrow", "rss_empty_kb")), 1.2, "x",
		       sprintf(" (%s vs %s KiB; glibc holds %s KiB free)", val(m, "M4", "kvgrow", "rss_del_kb"), val(m, "M4", "kvgrow", "rss_empty_kb"), val(m, "M4", "kvgrow", "malloc_free_kb")))
		target(m, "M5", "ns vs absl_flat_hash_map", ratio(val(m, "M5", "kvgrow", "ns"), val(m, "M5", "absl_flat_hash_map", "ns")), 1.0, "x")
		# Flat: no growth past glibc's heap granularity (khash, which cannot
		# grow here, moves by 128 KiB in thp mode) or 5 %.
		r20 = val(m, "M5", "kvgrow", "rss_20pct_kb")
		target(m, "M5", "RSS growth, 20% of the steps to the end", r20 == "" ? "" : val(m, "M5", "kvgrow", "rss_end_kb") - r20,
		       r20 * 0.05 > 256 ? int(r20 * 0.05) : 256, " KiB", sprintf(" (%s -> %s KiB)", r20, val(m, "M5", "kvgrow", "rss_end_kb")))
	}
	printf "\n%d targets met, %d missed\n", nmet, nmiss
}
