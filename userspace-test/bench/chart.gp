# SPDX-License-Identifier: GPL-2.0
# gnuplot -e "dir='OUT'; modes='default thp'" chart.gp -> OUT/ratios.png:
# kvgrow's median time over each peer's, per workload, one panel per mode.
set terminal pngcairo size 1400, 500 * words(modes) font ",10" noenhanced
set output dir . "/ratios.png"
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set grid ytics
set key top left horizontal
set ylabel "kvgrow time / peer time (log scale; below 1: kvgrow faster)"
set logscale y 2
set yrange [0.0625:64]
set ytics ("1/16" 0.0625, "1/8" 0.125, "1/4" 0.25, "1/2" 0.5, "1" 1, "2" 2, "4" 4, "8" 8, "16" 16, "32" 32, "64" 64)
set multiplot layout words(modes), 1
do for [i = 1:words(modes)] {
	m = word(modes, i)
	set title sprintf("kvgrow / peer, median ns per op, mode %s", m)
	plot dir . "/ratios-" . m . ".dat" using 2:xtic(1) title "Go 1.19", \
	     "" using 3 title "klib", "" using 4 title "absl", \
	     "" using 5 title "GLib", "" using 6 title "stb_ds", \
	     1 with lines lw 2 lc rgb "black" notitle
}
unset multiplot
