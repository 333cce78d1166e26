# SPDX-License-Identifier: GPL-2.0
# raw.txt (one "mode=M run=R wl=... impl=... key=value..." line per process)
# -> results.tsv: per workload, impl and mode, the median ns_per_op and
# peak RSS, with min, max, runs, the median minor faults, the median (and
# min, max) of each field in `medf` (M6's latencies), and the other fields
# of the run nearest the median in the extra column.

function sorted_median(key, c, src,	i, j, t, v) {
	for (i = 1; i <= c; i++)
		v[i] = src[key, i] + 0
	for (i = 2; i <= c; i++)
		for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	lo = v[1]; hi = v[c]
	return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
}

BEGIN {
	split("mode run wl impl n ns_per_op peak_rss_kb minflt ok rc", s, " ")
	for (i in s)
		skip[s[i]] = 1
	nmedf = split("worst_ns p9999_ns", medf, " ")
	for (i = 1; i <= nmedf; i++)
		skip[medf[i]] = 1
	OFS = "\t"
	print "workload", "impl", "n", "ns_per_op", "peak_rss_kb", "mode", "extra"
}

{
	split("", f)
	for (i = 1; i <= NF; i++) {
		p = index($i, "=")
		f[substr($i, 1, p - 1)] = substr($i, p + 1)
	}
	key = f["wl"] SUBSEP f["impl"] SUBSEP f["mode"]
	if (!(key in cnt)) {
		order[++nkeys] = key
		cnt[key] = 0
		nfail[key] = 0
		nval[key] = f["n"]
	}
	if (f["ok"] != "1" || f["rc"] != "0" || !("ns_per_op" in f)) {
		nfail[key]++
		next
	}
	c = ++cnt[key]
	ns[key, c] = f["ns_per_op"]
	rss[key, c] = f["peak_rss_kb"]
	flt[key, c] = f["minflt"]
	for (i = 1; i <= nmedf; i++)
		if (medf[i] in f)
			mf[i, key, c] = f[medf[i]]
	rest = ""
	for (i = 1; i <= NF; i++) {
		p = index($i, "=")
		if (!(substr($i, 1, p - 1) in skip))
			rest = rest " " $i
	}
	extra[key, c] = rest
}

END {
	for (k = 1; k <= nkeys; k++) {
		key = order[k]
		split(key, id, SUBSEP)
		c = cnt[key]
		ok = nfail[key] ? "ok=0 failed=" nfail[key] : "ok=1"
		if (!c) {
			print id[1], id[2], nval[key], "NA", "NA", id[3], "runs=0 " ok
			continue
		}
		mrss = sorted_median(key, c, rss)
		mflt = sorted_median(key, c, flt)
		meds = ""
		for (i = 1; i <= nmedf; i++) {
			if (!((i, key, 1) in mf))
				continue
			split("", one)
			for (j = 1; j <= c; j++)
				one[key, j] = mf[i, key, j]
			v = sorted_median(key, c, one)
			meds = meds sprintf(" %s=%d", medf[i], v)
			if (c > 1)
				meds = meds sprintf(" %s_min=%d %s_max=%d", medf[i], lo, medf[i], hi)
		}
		med = sorted_median(key, c, ns)
		best = 1
		for (i = 2; i <= c; i++) {
			d = ns[key, i] - med; d0 = ns[key, best] - med
			if (d * d < d0 * d0)
				best = i
		}
		print id[1], id[2], nval[key], sprintf("%.3f", med), int(mrss),
		      id[3], sprintf("min=%.3f max=%.3f runs=%d minflt=%d %s%s%s",
				     lo, hi, c, mflt, ok, meds, extra[key, best])
	}
}
