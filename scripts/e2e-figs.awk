# SPDX-License-Identifier: GPL-2.0
# kvgrow-sim's figures against the kernel's, for scripts/e2e-vm.sh (busybox
# awk too): awk -F'\t' -v kr=KVREALLOC -f e2e-figs.awk EXPECT GOT
#   EXPECT  expect.tsv from scripts/check-kernel.sh: '#' comments, a header
#           line, then a row per case, read by the header's column names.
#   GOT     "@case ID PHASE" lines (PHASE: grown, clipped or destroyed), each
#           followed by the vector's vec/<name> file ("key: value", read by
#           key name) or "error: ..." lines.
#   kr      sim or copy: which moved_* and peak_* columns this kernel's
#           kvrealloc follows; empty: moved_bytes and peak_footprint unchecked.
# Prints a line per case of GOT, in EXPECT's order: "ok DESC: PHASES" or
# "not ok DESC: PHASE: KEY=GOT (want WANT)...".

function want(k, x) {
	if (g[k] "" != x "")
		bad = bad " " k "=" (k in g ? g[k] : "(none)") " (want " x ")"
}

function flush(   es, n, m, p, c) {
	if (id == "")
		return
	es = e[id, "elem_size"]; n = e[id, "n"]; bad = err
	m = e[id, "moved_" kr]; p = e[id, "peak_" kr]
	# a clip that shrinks moves the live bytes to a new block
	if (ph == "clipped" && e[id, "clip_shrinks"] == 1) {
		m += n * es
		if (e[id, "footprint"] + e[id, "clip_footprint"] > p)
			p = e[id, "footprint"] + e[id, "clip_footprint"]
	}
	if (ph != "destroyed") {
		c = ph == "clipped" ? "clip_" : ""
		want("len", n); want("cap", e[id, c "cap"]); want("grows", e[id, "grows"])
		want("footprint", e[id, c "footprint"]); want("backend", e[id, c "backend"])
		# live_bytes and slack follow: kvg_vec_stats_valid()'s rules, the
		# file's "consistent" line (they have no other home)
		want("consistent", "yes")
		if (c != "")
			want("shrinks", e[id, "clip_shrinks"])
		if (kr != "") {
			want("moved_bytes", m); want("peak_footprint", p)
		}
	}
	if (bad != "")
		fail[id] = fail[id] " " ph ":" bad
	else
		pass[id] = pass[id] " " ph
	id = ""; err = ""
	delete g
}

FNR == NR && /^#/ { next }
FNR == NR && !nh++ { for (i = 1; i <= NF; i++) h[$i] = i; next }
FNR == NR { for (k in h) e[$h["id"], k] = $h[k]; ids[++ne] = $h["id"]; next }
/^@case / { flush(); split($0, a, " "); id = a[2]; ph = a[3]; seen[id] = 1; next }
/^error: / { err = err " " $0; next }
{ i = index($0, ": "); if (i) g[substr($0, 1, i - 1)] = substr($0, i + 2) }

END {
	flush()
	for (j = 1; j <= ne; j++) {
		id = ids[j]
		if (!(id in seen))
			continue
		d = (e[id, "kind"] == "vec" ? "c" : "") id " (" e[id, "policy"] ", elem " \
			e[id, "elem_size"] ", hint " e[id, "hint"] ", " e[id, "n"] " by " e[id, "batch"] ")"
		print (id in fail ? "not ok " d ":" fail[id] : "ok " d ":" pass[id])
	}
	for (id in seen)
		if (!((id, "kind") in e))
			print "not ok " id ": no such case in expect.tsv"
}
