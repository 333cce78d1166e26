# SPDX-License-Identifier: GPL-2.0
# results.tsv -> the readable table (stdout), the issues' targets checked for
# each kvgrow map engine, and dir/ratios-MODE.dat (each impl / the fastest
# peer, per workload) for chart.gp.
#
# A peer is any impl that is not kvgrow's.  A workload's figure is its
# median ns per op, except M6's: the median over the runs of the slowest
# single insert (worst_ns).

function fam(impl) {
	if (impl ~ /^go_/) return "go"
	if (impl ~ /^klib_/) return "klib"
	if (impl ~ /^absl_/) return "absl"
	if (impl ~ /^boost_/) return "boost"
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

# The figure that workload @w compares.
function fig(w) {
	return w == "M6" ? "worst_ns" : "ns"
}

function fmtx(v) {
	return sprintf(v < 0.1 ? "%.3fx" : "%.2fx", v)
}

# One target line of mode m (the END loop's): engine, workload, what, the
# measured ratio or figure, the bound, and whether it is met; nothing if
# the workload did not run (WORKLOADS=...), n/a if a figure is missing.
function target(e, w, what, v, bound, unit, note,	met, t) {
	t = w ~ /^V/ ? "kvgrow vectors" : e
	if (!((m, w) in nimpl)) {
		nskip[t]++
		return
	}
	if (v == "") {
		printf "  %-12s %-4s %-45s %10s   target <= %-9s n/a\n", e, w, what, "-", unit == "x" ? fmtx(bound) : bound unit
		nna[t]++
		return
	}
	met = v <= bound
	printf "  %-12s %-4s %-45s %10s   target <= %-9s %s\n", e, w, what,
	       unit == "x" ? fmtx(v) : sprintf("%.0f%s", v, unit),
	       unit == "x" ? fmtx(bound) : bound unit,
	       (met ? "met" : sprintf((v / bound - 1) < 0.1 ? "MISSED by %.1f%%" : "MISSED by %.0f%%",
				      (v / bound - 1) * 100)) note
	nmet[t] += met
	nmiss[t] += !met
}

# The smallest figure @k of workload @w among @list (space-separated), or
# among all peers if @list is empty; its impl in best_impl.
function best_of(m, w, k, list,	n, l, j, b, bi, v) {
	if (list == "") {
		for (j = 1; j <= nimpl[m, w]; j++)
			if (impls[m, w, j] !~ /^kvgrow/)
				list = list " " impls[m, w, j]
	}
	n = split(list, l, " ")
	b = ""
	bi = ""
	for (j = 1; j <= n; j++) {
		v = val(m, w, l[j], k)
		if (v != "" && v != "NA" && (b == "" || v + 0 < b + 0)) {
			b = v
			bi = l[j]
		}
	}
	best_impl = bi
	return b
}

# Workload @w's figure for engine @e over the fastest peer's, as a target.
function vs_fastest(m, e, w, bound,	b) {
	b = best_of(m, w, fig(w), "")
	target(e, w, "ns vs fastest peer (" best_impl ")", ratio(val(m, w, e, fig(w)), b), bound, "x")
}

# The map targets of issue #15, for one engine.
function map_targets(m, e,	p, n, l, j, r20, rd, re) {
	vs_fastest(m, e, "M1", 1.0)
	vs_fastest(m, e, "M1H", 1.0)
	vs_fastest(m, e, "M2", 1.0)
	vs_fastest(m, e, "M3", 1.2)
	target(e, "M4", "ns vs absl_flat_hash_map", ratio(val(m, "M4", e, "ns"), val(m, "M4", "absl_flat_hash_map", "ns")), 1.0, "x")
	rd = val(m, "M4", e, "rss_del_kb")
	re = val(m, "M4", e, "rss_empty_kb")
	target(e, "M4", "RSS after delete-all / empty map's", ratio(rd, re), 1.2, "x",
	       sprintf(" (%s vs %s KiB; glibc holds %s KiB free)", rd, re, val(m, "M4", e, "malloc_free_kb")))
	vs_fastest(m, e, "M5", 0.8)
	# Flat: no growth past glibc's heap granularity (khash, which cannot
	# grow here, moves by 128 KiB in thp mode) or 5 %.
	r20 = val(m, "M5", e, "rss_20pct_kb")
	target(e, "M5", "RSS growth, 20% of the steps to the end", r20 == "" ? "" : val(m, "M5", e, "rss_end_kb") - r20,
	       r20 * 0.05 > 256 ? int(r20 * 0.05) : 256, " KiB", sprintf(" (%s -> %s KiB)", r20, val(m, "M5", e, "rss_end_kb")))
	n = split("absl_flat_hash_map boost_unordered_flat_map klib_khash", l, " ")
	for (j = 1; j <= n; j++) {
		p = val(m, "M6", l[j], "worst_ns")
		target(e, "M6", "worst insert vs " l[j], ratio(val(m, "M6", e, "worst_ns"), p), 1 / 20, "x",
		       sprintf(" (%s vs %s ns)", val(m, "M6", e, "worst_ns"), p))
	}
	target(e, "M1", "RSS after the inserts vs klib_khash", ratio(val(m, "M1", e, "rss_end_kb"), val(m, "M1", "klib_khash", "rss_end_kb")), 0.8, "x",
	       sprintf(" (%s vs %s KiB)", val(m, "M1", e, "rss_end_kb"), val(m, "M1", "klib_khash", "rss_end_kb")))
}

BEGIN {
	FS = "\t"
	nwls = split("V1 V2 M1 M1H M2 M3 M4 M5 M6", wls, " ")
	desc["V1"] = "push N u64 one at a time, no hint (per element)"
	desc["V2"] = "push N u64 one at a time, capacity hint N (per element)"
	desc["M1"] = "insert N keys into an empty map, no hint, creation timed (per insert)"
	desc["M1H"] = "M1 with a hint of N (per insert)"
	desc["M2"] = "N lookups that hit, stride order (per lookup)"
	desc["M3"] = "N lookups that miss (per lookup)"
	desc["M4"] = "delete all N keys, stride order (per delete)"
	desc["M5"] = "sliding-window churn, window 1000, N steps (per step)"
	desc["M6"] = "N inserts, no hint, each timed alone (ns/op includes two clock reads)"
	# The chart's columns; chart.gp names them in this order.
	ncols = split("kvgrow kvgrow_go119 go klib absl boost glib stb", cols, " ")
	nengines = split("kvgrow kvgrow_go119", engines, " ")
	tallies = "kvgrow vectors|kvgrow|kvgrow_go119"
	about["kvgrow"] = " (the default map engine)"
	about["kvgrow_go119"] = " (Go 1.19's map engine)"
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
	print "ns/op: median of the runs, [min-max]; /fastest: the impl's median over the fastest peer's"
	print "(a peer: any impl but kvgrow's; M6: the median slowest single insert, worst_ns)."
	print "peak RSS: getrusage, whole process (baseline included); minflt, sys% (system time / wall"
	print "time), grows and moved (bytes memcpy'd by growth; realloc() remaps count as 0): the timed"
	print "part of the median run."
	print "Modes: default = glibc malloc as is; thp = GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (Go ignores it)."
	for (mi = 1; mi <= nmodes; mi++) {
		m = modes[mi]
		datf = dir "/ratios-" m ".dat"
		printf "# workload" > datf
		for (c = 1; c <= ncols; c++)
			printf " %s", cols[c] > datf
		print " (impl / fastest peer)" > datf
		printf "\n=== mode %s ===\n", m
		for (wi = 1; wi <= nwls; wi++) {
			w = wls[wi]
			if (!((m, w) in nimpl))
				continue
			k = fig(w)
			b = best_of(m, w, k, "")
			printf "\n%s (N=%s) %s\n", w, val(m, w, impls[m, w, 1], "n"), desc[w]
			printf "  fastest peer: %s, %s%s ns%s\n", best_impl == "" ? "none" : best_impl,
			       k == "ns" ? "" : "slowest insert ", b == "" ? "-" : b, k == "ns" ? "/op" : ""
			printf "  %-24s %9s %19s %8s %9s %8s %5s %6s %10s  %s\n", "impl", "ns/op",
			       "[min-max]", "/fastest", "peak MiB", "minflt", "sys%",
			       "grows", "moved KiB", "other"
			for (j = 1; j <= nimpl[m, w]; j++) {
				i = impls[m, w, j]
				r = ratio(val(m, w, i, k), b)
				if (r != "")
					rf[fam(i)] = sprintf("%.4f", r)
				g = val(m, w, i, "grows")
				mv = val(m, w, i, "moved")
				sys = val(m, w, i, "sys_ms")
				wall = val(m, w, i, "ns") * val(m, w, i, "n") / 1e6
				printf "  %-24s %9s %19s %8s %9.1f %8s %5s %6s %10s %s%s\n", i,
				       val(m, w, i, "ns"),
				       "[" val(m, w, i, "min") "-" val(m, w, i, "max") "]",
				       r == "" ? "-" : sprintf(r < 0.1 ? "%.3f" : "%.2f", r),
				       val(m, w, i, "rss") / 1024, val(m, w, i, "minflt"),
				       sys == "" || wall <= 0 ? "-" : sprintf("%.0f", 100 * sys / wall),
				       g == "" ? "-" : g, mv == "" ? "-" : sprintf("%.0f", mv / 1024),
				       val(m, w, i, "other"),
				       val(m, w, i, "ok") == "1" ? "" : "  VERIFY FAILED"
			}
			line = w
			for (c = 1; c <= ncols; c++) {
				line = line " " (cols[c] in rf ? rf[cols[c]] : "-")
				delete rf[cols[c]]
			}
			print line > datf
		}
		close(datf)
	}

	for (mi = 1; mi <= nmodes; mi++) {
		m = modes[mi]
		printf "\nTargets, mode %s (medians, same run, same mode)\n", m
		e = "kvgrow"
		b = best_of(m, "V1", "ns", "klib_kvec glib_GArray stb_ds_arr")
		target(e, "V1", "ns vs best C vector (" best_impl ")", ratio(val(m, "V1", e, "ns"), b), 1.0, "x")
		target(e, "V1", "bytes copied for N elements", val(m, "V1", e, "moved") == "" ? "" : val(m, "V1", e, "moved") / 1024, 1024, " KiB")
		target(e, "V1", "peak RSS / final buffer", ratio(val(m, "V1", e, "rss"), val(m, "V1", e, "buf_kb")), 1.05, "x")
		for (j = 1; j <= nengines; j++)
			map_targets(m, engines[j])
	}
	printf "\n"
	n = split(tallies, t, "|")
	for (j = 1; j <= n; j++)
		printf "%s%s: %d targets met, %d missed, %d n/a, %d not run\n", t[j],
		       about[t[j]], nmet[t[j]], nmiss[t[j]], nna[t[j]], nskip[t[j]]
}
