# SPDX-License-Identifier: GPL-2.0
# The demo's plots; run by scripts/demo.sh, which prepares the data files
# in dir and sets: dir, out (where the PNGs go), es and n (scenario-policy),
# names (the policies, in policy-growth's order), oom_n, budget, window,
# steps, bkt (the go map's buckets), big, small, keys, values; replay-*.dat
# is the replay of the demo's trace (footprint, peak, transient per policy).
# A plot whose data is missing is skipped.

have(f) = int(system("test -s '" . f . "' && echo 1 || echo 0"))
# the tic list demo.sh wrote for bar chart NAME
xt(name) = system("cat '" . dir . "/" . name . ".xtics'")
MiB = 1048576.0
KiB = 1024.0
# a byte count as text
hb(b) = b >= 1000 * KiB ? sprintf("%.2f MiB", b / MiB) : b >= 1000 ? sprintf("%.1f KiB", b / KiB) : sprintf("%d B", b)

set encoding utf8
set datafile separator whitespace
set style fill solid 0.85 border -1
set grid lc rgb "#dddddd"
set key noautotitle
# the same colour for a policy in every plot
pc(p) = p eq "kvg" ? 0x1b9e77 : p eq "go119" ? 0xd95f02 : p eq "go-legacy" ? 0x7570b3 : \
	p eq "factor:3/2" ? 0xe7298a : p eq "exact" ? 0xa6d96a : p eq "pow2" ? 0xe6ab02 : 0x666666
pw(p) = p eq "kvg" ? 3 : p eq "exact" ? 1 : 1.6

# --- capacity against length, and the memory beyond capacity ---------------

if (have(dir . "/growth.dat")) {
	set terminal pngcairo size 1100,1000 font "DejaVu Sans,11"
	set output out . "/policy-growth.png"
	set multiplot layout 2,1 title sprintf("Growth policies in kvgrow.ko: %d elements of %d bytes appended one at a time", n, es) font ",13"
	set logscale xy
	set xrange [1:n * 1.05]
	set yrange [1:n * 2.2]
	set format x "10^{%L}"
	set format y "10^{%L}"
	set xlabel "length (elements)"
	set ylabel "capacity (elements)"
	set key top left reverse Left box opaque
	set title "capacity against length (log-log)"
	plot for [i = 1:words(names)] dir . "/growth.dat" index (i - 1) using 1:2 with steps \
		lw pw(word(names, i)) lc rgb pc(word(names, i)) title word(names, i), \
		x with lines dt 2 lc rgb "#999999" title "capacity = length"
	unset logscale y
	set yrange [-2:62]
	set format y "%g%%"
	set ylabel "allocated beyond capacity (% of footprint)"
	set title "what the allocator hands out that the vector cannot use: (footprint - capacity × element size) / footprint"
	set key top left reverse Left box opaque maxrows 3
	plot for [i = 1:words(names)] dir . "/growth.dat" index (i - 1) \
		using 1:(100.0 * ($3 - $2 * es) / $3) with steps \
		lw pw(word(names, i)) lc rgb pc(word(names, i)) title word(names, i)
	unset multiplot
	unset logscale
	set format x "%g"
	set format y "%g"
	set autoscale
	unset title
}

# --- churn: overflow buckets and footprint over time -----------------------

# the same colour for a map mode in both panels
mc(m) = m eq "go" ? pc("go119") : m eq "go119" ? pc("go-legacy") : pc("kvg")
if (have(dir . "/churn-go.dat") && have(dir . "/churn-go119.dat") && have(dir . "/churn-kvg.dat")) {
	set terminal pngcairo size 1100,900 font "DejaVu Sans,11"
	set output out . "/churn.png"
	set multiplot layout 2,1 title sprintf("A map under churn: %d live keys, each step inserts one and deletes the oldest (%d steps)", window, steps) font ",13"
	set xlabel "step"
	set xrange [0:steps]
	set format x "%.0s%c"
	set key top right box opaque
	set ylabel "overflow buckets"
	set yrange [0:*]
	set title "overflow buckets (Go does a same-size grow when they reach the bucket count; Swiss tables have none)"
	if (bkt > 0) {
		set arrow 1 from graph 0, first bkt to graph 1, first bkt nohead dt 2 lc rgb "#999999"
		set label 1 sprintf("%d buckets", bkt) at graph 0.01, first bkt offset 0, 0.6 tc rgb "#666666"
	}
	plot dir . "/churn-go.dat" using 1:2 with lines lw 1.6 lc rgb mc("go") title "go (Go 1.19's map)", \
		dir . "/churn-go119.dat" using 1:2 with lines lw 2.2 lc rgb mc("go119") title "go119 (Go 1.19's engine, kvgrow's reclaim)"
	unset arrow 1
	unset label 1
	set ylabel "footprint (KiB)"
	set title "footprint: buckets and overflow buckets (Go 1.19's engine), tables and directory (Swiss)"
	plot dir . "/churn-go.dat" using 1:($3 / KiB) with lines lw 1.6 lc rgb mc("go") title "go (Go 1.19's map)", \
		dir . "/churn-go119.dat" using 1:($3 / KiB) with lines lw 2.2 lc rgb mc("go119") title "go119 (Go 1.19's engine, kvgrow's reclaim)", \
		dir . "/churn-kvg.dat" using 1:($3 / KiB) with lines lw 3 lc rgb mc("kvg") title "kvg (the default engine, Swiss tables)"
	unset multiplot
	set format x "%g"
	set autoscale
	unset title
}

# --- bar charts: rows "x label value" --------------------------------------

unset xlabel
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics scale 0
set key top left box opaque

if (have(dir . "/oom-peak_footprint.dat") && have(dir . "/oom-fits.dat")) {
	set terminal pngcairo size 1200,620 font "DejaVu Sans,11"
	set output out . "/oom.png"
	set title sprintf("x1.5 against kvg, copying and page-backed (+pages): %d 8-byte elements from a 16-element hint, budget %s", oom_n, hb(budget)) font ",13"
	set ylabel "MiB"
	set yrange [0:budget / MiB * 1.5]
	set autoscale x
	set offsets 0.8, 0.8, 0, 0
	eval "set xtics " . xt("oom")
	set arrow 1 from graph 0, first budget / MiB to graph 1, first budget / MiB nohead lw 2 dt 2 lc rgb "#cc0000"
	set label 1 "budget " . hb(budget) at graph 0.99, first budget / MiB right offset 0, -0.8 tc rgb "#cc0000"
	# under each peak: peak/data; above: whether the run fitted
	fit(f, nr) = f eq "yes" ? sprintf("fits: all %d appended", nr) : \
		sprintf("does not fit: stopped at %d,\nthe next grow would pass the budget", nr)
	plot dir . "/oom-data_bytes.dat" using 1:($3 / MiB) with boxes lc rgb "#9ecae1" title "data", \
		dir . "/oom-peak_footprint.dat" using 1:($3 / MiB) with boxes lc rgb "#de2d26" title "peak footprint (old + new block; +pages: new pages + page list)", \
		dir . "/oom-peak_footprint.dat" using 1:($3 / MiB):(hb($3)) with labels offset 0, 0.8 notitle, \
		dir . "/oom-data_bytes.dat" using 1:($3 / MiB):(hb($3)) with labels offset 0, 0.8 notitle, \
		dir . "/oom-fits.dat" using 1:(0):(sprintf("%.2f× data", $3 / 100.0)) with labels offset 0, 1 tc rgb "#ffffff" font ",11:Bold" notitle, \
		dir . "/oom-fits.dat" using ($1 - 0.5):(budget / MiB * 1.17):(fit(strcol(4), $5)):(strcol(4) eq "yes" ? 0x1b9e77 : 0xcc0000) \
			with labels tc rgb variable font ",11:Bold" notitle
	unset arrow 1
	unset label 1
	set offsets 0, 0, 0, 0
	set xtics auto
	set xtics scale 0
	set autoscale
}

if (have(dir . "/retention-footprint.dat")) {
	set terminal pngcairo size 900,620 font "DejaVu Sans,11"
	set output out . "/retention.png"
	set title sprintf("Keeping %s of a %s vector: a view pins the big block, a clone does not", hb(small), hb(big)) font ",13"
	set ylabel "bytes (log scale)"
	set logscale y
	set yrange [100:big * 8]
	set ytics ("1 KiB" 1024, "10 KiB" 10240, "100 KiB" 102400, "1 MiB" MiB, "10 MiB" 10 * MiB)
	set autoscale x
	set offsets 0.8, 0.8, graph 0.12, 0
	eval "set xtics " . xt("retention")
	plot dir . "/retention-live_bytes.dat" using 1:3 with boxes lc rgb "#9ecae1" title "live bytes", \
		dir . "/retention-footprint.dat" using 1:3 with boxes lc rgb "#de2d26" title "footprint", \
		dir . "/retention-live_bytes.dat" using 1:3:(hb($3)) with labels offset 0, 0.8 notitle, \
		dir . "/retention-footprint.dat" using 1:3:(hb($3)) with labels offset 0, 0.8 notitle
	unset logscale y
	set format y "%g"
	set ytics auto
	set offsets 0, 0, 0, 0
	set xtics auto
	set xtics scale 0
	set autoscale
}

if (have(dir . "/nested-group_footprint.dat")) {
	set terminal pngcairo size 900,620 font "DejaVu Sans,11"
	set output out . "/nested.png"
	set title sprintf("map[u64][]u64: %d keys, each value grown one element at a time to %d u64s", keys, values) font ",13"
	set ylabel "MiB"
	set yrange [0:*]
	set autoscale x
	set offsets 0.8, 0.8, graph 0.2, 0
	eval "set xtics " . xt("nested")
	plot dir . "/nested-data_bytes.dat" using 1:($3 / MiB) with boxes lc rgb "#9ecae1" title "data", \
		dir . "/nested-map_footprint.dat" using 1:($3 / MiB) with boxes lc rgb "#fdae6b" title "map", \
		dir . "/nested-vectors_footprint.dat" using 1:($3 / MiB) with boxes lc rgb "#fd8d3c" title "value vectors", \
		dir . "/nested-group_footprint.dat" using 1:($3 / MiB) with boxes lc rgb "#de2d26" title "map + value vectors", \
		dir . "/nested-data_bytes.dat" using 1:($3 / MiB):(hb($3)) with labels offset 0, 0.8 font ",9" notitle, \
		dir . "/nested-map_footprint.dat" using 1:($3 / MiB):(hb($3)) with labels offset 0, 0.8 font ",9" notitle, \
		dir . "/nested-vectors_footprint.dat" using 1:($3 / MiB):(hb($3)) with labels offset 0, 0.8 font ",9" notitle, \
		dir . "/nested-ratio_x100.dat" using 1:(0):(sprintf("%.2f×", $3 / 100.0)) with labels offset 0, 1 tc rgb "#ffffff" font ",11:Bold" notitle, \
		dir . "/nested-group_footprint.dat" using 1:($3 / MiB):(hb($3)) with labels offset 0, 0.8 font ",9" notitle
	set offsets 0, 0, 0, 0
	set xtics auto
	set xtics scale 0
	set autoscale
}

if (have(dir . "/replay-footprint.dat")) {
	set terminal pngcairo size 1100,620 font "DejaVu Sans,11"
	set output out . "/replay.png"
	set title "The demo's trace replayed under every policy (traced: each vector under its own)" font ",13"
	set ylabel "MiB"
	set yrange [0:*]
	set autoscale x
	set offsets 0.8, 0.8, graph 0.15, 0
	eval "set xtics " . xt("replay")
	plot dir . "/replay-footprint.dat" using 1:($3 / MiB) with boxes lc rgb "#9ecae1" title "footprint: the vectors' own, each at its end, summed", \
		dir . "/replay-peak_footprint.dat" using 1:($3 / MiB) with boxes lc rgb "#fd8d3c" title "peak footprint: the live vectors at once", \
		dir . "/replay-transient_footprint.dat" using 1:($3 / MiB) with boxes lc rgb "#de2d26" title "transient peak: also old + new block while one moves", \
		dir . "/replay-footprint.dat" using 1:($3 / MiB):(hb($3)) with labels offset 0, 0.8 font ",8" notitle, \
		dir . "/replay-transient_footprint.dat" using 1:($3 / MiB):(hb($3)) with labels offset 0, 0.8 font ",8" notitle
	set offsets 0, 0, 0, 0
	set xtics auto
	set xtics scale 0
	set autoscale
}
