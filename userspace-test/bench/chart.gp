# SPDX-License-Identifier: GPL-2.0
# gnuplot -e "dir='OUT'; modes='default thp'" chart.gp -> OUT/ratios.png:
# each impl's median time over the fastest peer's, per workload (M6: the
# slowest single insert), one panel per mode; columns as report.awk writes.
set terminal pngcairo size 1600, 500 * words(modes) font ",10" noenhanced
set output dir . "/ratios.png"
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set grid ytics
set key top left horizontal
set ylabel "time / fastest peer's (log scale; below 1: faster than every peer)"
set logscale y 2
set yrange [0.00390625:64]
set ytics ("1/256" 0.00390625, "1/64" 0.015625, "1/16" 0.0625, "1/4" 0.25, "1" 1, "4" 4, "16" 16, "64" 64)
set multiplot layout words(modes), 1
do for [i = 1:words(modes)] {
	m = word(modes, i)
	set title sprintf("impl / fastest peer, median ns per op (M6: slowest insert), mode %s", m)
	plot dir . "/ratios-" . m . ".dat" using 2:xtic(1) title "kvgrow", \
	     "" using 3 title "kvgrow Go 1.19 engine", "" using 4 title "Go 1.19", \
	     "" using 5 title "klib", "" using 6 title "absl", \
	     "" using 7 title "Boost", "" using 8 title "GLib", \
	     "" using 9 title "stb_ds", \
	     1 with lines lw 2 lc rgb "black" notitle
}
unset multiplot
