# SPDX-License-Identifier: GPL-2.0
# The kernel side of `make demo`: run by scripts/demo.sh INSIDE the VM
# (through scripts/vm-run.sh), or with INSMOD=1 on the host, as root, once
# kvgrow.ko and kvgrow_lab.ko are loaded.  POSIX sh (busybox or dash).
#
# usage: sh demo-vm.sh [ENV_FILE]
#   ENV_FILE (default: /demo.env if present) sets the scenario arguments:
#   DEMO_POLICY="N ELEM_SIZE", DEMO_OOM="N BUDGET", DEMO_CHURN="WINDOW STEPS",
#   DEMO_RETENTION="BIG_BYTES SMALL_BYTES", DEMO_NESTED="KEYS VALUES";
#   KVGTOP, a kvgtop binary whose `-b -n 1` frame ends the output, between
#   "=== KVGTOP ===" and "=== END KVGTOP ===".
#   When kvgrow is not loaded and /kvgrow.ko is there (the VM), loads it,
#   /kvgrow_lab.ko and /kvgrow_example.ko.  Creates a few containers through
#   kvgrow_lab's control file, prints
#   summary, sites, vectors and maps, then runs each scenario-* command and
#   prints its reports.  Every report is printed between the lines
#     === BEGIN <path> ===
#     === END <path> ===
#   (<path> under /sys/kernel/debug, e.g. kvgrow-lab/scenarios/policy); a
#   command that fails prints "=== ERROR <command>: <message> ===", each step
#   "=== TIME <step> <seconds> ===" (in the VM also "boot" and "done", the
#   uptime at the start and at the end), and the last line is
#   "=== DONE failed=0|1 ===".  Exits 1 if anything failed.  kvgrow's
#   tracepoints are recorded while the containers are made and while the
#   oom, churn and retention scenarios run (policy and nested append too
#   much for the console), and the trace is printed, just before DONE,
#   between "=== TRACE BEGIN ===" and "=== TRACE END ===" for
#   `kvgrow-sim replay` on the host.  (Keep the
#   reports small: the serial console carries about 100 KB/s under TCG.)
# shellcheck shell=sh disable=SC1090,SC2317

DBG=/sys/kernel/debug
D=$DBG/kvgrow
C=$DBG/kvgrow-lab/control
DEMO_POLICY="100000 8"
DEMO_OOM="1000000 16777216"
DEMO_CHURN="1000 200000"
DEMO_RETENTION="10485760 1024"
DEMO_NESTED="1000 1000"
env=${1:-/demo.env}
[ -f "$env" ] && . "$env"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvg-demo.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0

fail() {
	echo "=== ERROR $* ==="
	failed=1
}

now() { cut -d' ' -f1 /proc/uptime; }

# timed STEP CMD...: run CMD, then print how long it took.
timed() {
	t_step=$1
	shift
	t0=$(now)
	"$@"
	t_st=$?
	echo "=== TIME $t_step $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }') ==="
	return $t_st
}

# ctl CMD...: write each command to control (one write each); stop at the
# first that fails.
ctl() {
	for c in "$@"; do
		if ! echo "$c" 2>"$tmp/err" >"$C"; then
			fail "$c: $(tr '\n' ' ' <"$tmp/err")"
			return 1
		fi
	done
}

# trace on|off: kvgrow's tracepoints (tracefs), if there is tracefs.
TR=$DBG/tracing
[ -d /sys/kernel/tracing/events ] && TR=/sys/kernel/tracing
trace() {
	[ -d "$TR/events/kvgrow" ] || return 0
	if [ "$1" = on ]; then
		echo 1 >"$TR/events/kvgrow/enable"
	else
		echo 0 >"$TR/events/kvgrow/enable"
	fi
}

# show FILE...: print each report between markers.
show() {
	for f in "$@"; do
		if [ ! -r "$DBG/$f" ]; then
			fail "no $f"
			continue
		fi
		echo "=== BEGIN $f ==="
		cat "$DBG/$f"
		echo "=== END $f ==="
	done
}

# scenario NAME ARGS FILE...: run scenario-NAME ARGS, print its reports.
scenario() {
	s_name=$1 s_args=$2
	shift 2
	if timed "scenario-$s_name" ctl "scenario-$s_name $s_args"; then
		show "$@"
	fi
}

in_vm=0
if [ ! -d "$D" ] && [ -f /kvgrow.ko ]; then
	in_vm=1
	insmod /kvgrow.ko || { fail "insmod /kvgrow.ko"; exit 1; }
	insmod /kvgrow_lab.ko || { fail "insmod /kvgrow_lab.ko"; exit 1; }
	if [ -f /kvgrow_example.ko ]; then
		insmod /kvgrow_example.ko || fail "insmod /kvgrow_example.ko"
	fi
fi
[ -d "$D" ] || { fail "no $D: kvgrow.ko not loaded, or debugfs not mounted"; exit 1; }
[ -w "$C" ] || { fail "no $C: kvgrow_lab.ko not loaded"; exit 1; }
# (a newline first: the console may be in mid-line)
echo
echo "=== KERNEL $(uname -r) ==="
[ $in_vm = 0 ] || echo "=== TIME boot $(now) ==="

# Containers that stay while the scenarios run, for summary and sites: a
# go119 ring of 64-byte records; a kvg log of u64s; a pow2 table of 24-byte
# records clipped to its length (vmalloc memory: clip gives pages back); a
# x1.5 vector grown from a hint of 16; and a session table per map mode,
# 50,000 sessions of which 45,000 have ended: Go 1.19's map (go) keeps its
# buckets; Go 1.19's engine with kvgrow's reclaim (go119) shrinks
# (map-shrink finishes the incremental shrink that the deletes started,
# which would otherwise hold the old and the new bucket array until enough
# later writes have moved every bucket); the default engine's Swiss tables
# (kvg) merge and shrink as the deletes run, no map-shrink needed.
# (kvgrow.ko is loaded by now: its events are there)
if [ -d "$TR/events/kvgrow" ]; then
	echo 8192 >"$TR/buffer_size_kb"
	echo >"$TR/trace"
fi
trace on
timed containers ctl \
	"create rx_ring go119 64" "append rx_ring 3000" \
	"create event_log kvg 8" "append event_log 200000 100" \
	"create cpu_table pow2 24 64" "append cpu_table 200000 7" "clip cpu_table" \
	"create staging factor:3/2 8 16" "append staging 100000" \
	"map-create sessions.go 0 go" "map-insert sessions.go 0 50000" \
	"map-delete sessions.go 0 45000" \
	"map-create sessions.go119 0 go119" "map-insert sessions.go119 0 50000" \
	"map-delete sessions.go119 0 45000" "map-shrink sessions.go119" \
	"map-create sessions.kvg 0 kvg" "map-insert sessions.kvg 0 50000" \
	"map-delete sessions.kvg 0 45000"
show kvgrow/summary kvgrow/sites kvgrow/vectors kvgrow/maps

# shellcheck disable=SC2086
{
	S=kvgrow-lab/scenarios
	trace off
	scenario policy "$DEMO_POLICY" $S/policy $S/policy-growth
	trace on
	scenario oom "$DEMO_OOM" $S/oom
	scenario churn "$DEMO_CHURN" $S/churn $S/churn-series
	scenario retention "$DEMO_RETENTION" $S/retention
	trace off
	scenario nested "$DEMO_NESTED" $S/nested
}

if [ -d "$TR/events/kvgrow" ]; then
	echo "=== TRACE BEGIN ==="
	cat "$TR/trace"
	echo "=== TRACE END ==="
	echo >"$TR/trace"
else
	fail "no kvgrow events in $TR: no trace to replay"
fi

# One kvgtop frame of the live tree, as it stands at the end (KVGTOP, from
# ENV_FILE, is the binary: /kvgtop-static in the VM).
if [ -n "${KVGTOP-}" ]; then
	echo "=== KVGTOP ==="
	"$KVGTOP" -b -n 1 2>&1 || fail "$KVGTOP -b -n 1: exit $?"
	echo "=== END KVGTOP ==="
fi

[ $in_vm = 0 ] || echo "=== TIME done $(now) ==="
echo "=== DONE failed=$failed ==="
exit $failed
