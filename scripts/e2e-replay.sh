#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: scripts/e2e-replay.sh CONSOLE_LOG KVGROW_SIM [KERNEL_ENV]
#   Growth-trace replay, the host's half (scripts/e2e-replay-vm.sh is the
#   VM's): takes the trace that the VM printed to its console, replays it
#   with `kvgrow-sim replay`, and checks, as TAP lines ending with
#   "N passed, M failed":
#   - that the replay under each vector's own policy reproduces what every
#     kvg_vec_free recorded (the kernel's own accounting), when KERNEL_ENV
#     says KVREALLOC=sim (6.12's kvrealloc, which kvgrow-sim models; on 6.1
#     every grow moves, so moved and peak differ and only footprints,
#     slack and grows are compared);
#   - that the replay of the five vectors made through the control file
#     gives the footprint, slack, grows and moved that kvgrow.ko's
#     vectors file showed for them (the replay-expect line).
#   Writes the trace and the replay tables next to KERNEL_ENV (or in /tmp).
set -u
log=$1 sim=$2 env=${3:-}
# shellcheck source=scripts/testlib.sh source-path=SCRIPTDIR/..
. "$(dirname "$0")/testlib.sh"
KVREALLOC=
# shellcheck disable=SC1090
[ -z "$env" ] || [ ! -f "$env" ] || . "$env"
dir=$(dirname "${env:-/tmp/x}")
tr=$dir/replay.trace

sed -n '/^---- kvgrow replay trace ----$/,/^---- end kvgrow replay trace ----$/p' "$log" |
	sed '1d;$d' >"$tr"
expect=$(sed -n 's/^replay-expect \(vectors=.*\)$/\1/p' "$log" | tail -n 1)
t_st "$([ -s "$tr" ] && [ -n "$expect" ]; echo $?)" "replay: the VM's trace came back" \
	"replay: no trace or no replay-expect line in $log"

# field NAME ROW: the column NAME of a replay row ("traced ...", TAB-separated).
col() {
	echo "$2" | awk -F'\t' -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) k[$i] = i; next }
		$1 == "traced" { print $k[c]; exit }'
}

out=$("$sim" replay "$tr" 2>"$dir/replay.err")
st=$?
printf '%s\n' "$out" >"$dir/replay.tsv"
printf '%s\n' "$out" | sed 's/^/# /'
if [ "$KVREALLOC" = sim ]; then
	t_eq "$st:$(echo "$out" | sed -n 2p | sed 's/.*: //')" "0:all equal" \
		"replay: each freed vector's replay equals its kvg_vec_free record ($(sed -n 2p "$dir/replay.tsv" | sed 's/.*record for \([0-9]*\).*/\1/') vectors)"
else
	t_eq "$(echo "$out" | grep -c '^traced')" 1 "replay: the trace replays (6.1: moves not compared)"
fi

# The five vectors of the control file: their ids from the commands' callers.
ids=$(sed -n 's/.* id=\([0-9]*\) .*caller=cmd_.*/\1/p' "$tr" | sort -u | tr '\n' ' ')
awk -v ids=" $ids" '{ id = $0; sub(/.* id=/, "", id); sub(/ .*/, "", id) }
	/ kvg_vec_/ && index(ids, " " id " ")' "$tr" >"$dir/replay-named.trace"
out=$("$sim" replay "$dir/replay-named.trace" 2>>"$dir/replay.err")
body=$(echo "$out" | sed -n '3,$p')
got="vectors=$(echo "$out" | sed -n 's/^# replay of [^:]*: \([0-9]*\) vectors.*/\1/p')"
for c in footprint slack grows; do got="$got $c=$(col "$c" "$body")"; done
if [ "$KVREALLOC" = sim ]; then
	got="$got moved=$(col moved_bytes "$body")"
	t_eq "$got" "$expect" "replay: the control file's vectors, as kvgrow.ko showed them"
else
	t_eq "$got" "$(echo "$expect" | sed 's/ moved=.*//')" \
		"replay: the control file's vectors' footprint, slack and grows, as kvgrow.ko showed them"
fi
t_done
