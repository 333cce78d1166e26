#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: scripts/policy-table.sh [BUILD_DIR]
#   Print the README's policy comparison (a Markdown table) from kvgrow-sim:
#   every policy (factor:N/D as factor:3/2), appending one element at a
#   time to an empty vector, on kvmalloc blocks (--no-pages: the policies'
#   copying story; page-backed vectors are in the README's own section).
set -eu
sim=${1:-build}/kvgrow-sim
policies=$("$sim" policies | sed 1d | cut -f1 | sed 's|^factor:N/D$|factor:3/2|')
echo "| policy | elem | N | cap | grows | moved | footprint | slack | peak footprint |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for size in 8 40; do
	for n in 1000 163840 1000000; do
		for p in $policies; do
			"$sim" vec --policy "$p" --elem-size "$size" --n "$n" --no-pages | tail -1 |
			sed 's/^# //; s/[a-z_]*=//g' |
			awk -v p="$p" -v s="$size" -v n="$n" '
			function h(b) {
				if (b >= 1048576)
					return sprintf("%.2f MiB", b / 1048576)
				if (b >= 1024)
					return sprintf("%.1f KiB", b / 1024)
				return b " B"
			}
			{ printf "| %s | %d | %d | %d | %d | %s | %s | %s | %s |\n",
				p, s, n, $3, $1, h($2), h($4), h($5), h($6) }'
		done
	done
done
