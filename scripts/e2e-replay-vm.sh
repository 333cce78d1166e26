# SPDX-License-Identifier: GPL-2.0
# Growth-trace replay, the VM's half: sourced by scripts/e2e-vm.sh (its
# ctl_ok, val and t_* helpers, from e2e-lib.sh), busybox sh.  Records kvgrow's tracepoints
# while kvgrow_lab makes, grows, clips and destroys five vectors and runs
# scenario-nested twice (its vectors live in a map's slots and move with
# them), then prints to the console the trace between the lines
#   ---- kvgrow replay trace ----
#   ---- end kvgrow replay trace ----
# and the sums that kvgrow.ko's vectors file showed for the five before
# they were destroyed:
#   replay-expect vectors=5 footprint=F slack=S grows=G moved=M
# The host replays the trace and compares: scripts/e2e-replay.sh.
# shellcheck shell=sh disable=SC2154

RT=/sys/kernel/tracing
[ -d "$RT/events" ] || RT=/sys/kernel/debug/tracing
echo 4096 >"$RT/buffer_size_kb"
echo >"$RT/trace"
echo 1 >"$RT/events/kvgrow/enable"
rp_names="rp1 rp2 rp3 rp4 rp5"
if ctl_ok "create rp1 go119 8" "append rp1 5000" \
	"create rp2 kvg 24 100" "append rp2 3000 7" "clip rp2" \
	"create rp3 exact 40" "append rp3 300 3" \
	"create rp4 factor:3/2 4096 16" "append rp4 200" \
	"create rp5 pow2 1" "append rp5 10000" \
	"scenario-nested 20 30" "scenario-nested 2 3"; then
	rp_sum=
	for n in $rp_names; do
		f=$K/vec/$n
		[ -e "$f" ] || { t_fail "replay: no $f"; continue; }
		rp_sum="$rp_sum $(val "$f" kind=vec footprint) $(val "$f" kind=vec slack)"
		rp_sum="$rp_sum $(val "$f" kind=vec grows) $(val "$f" kind=vec moved_bytes)"
	done
	# shellcheck disable=SC2086
	rp_expect=$(echo $rp_sum | awk '{ for (i = 1; i <= NF; i++) s[(i - 1) % 4] += $i
		printf "vectors=%d footprint=%d slack=%d grows=%d moved=%d",
			NF / 4, s[0], s[1], s[2], s[3] }')
	for n in $rp_names; do ctl "destroy $n"; done
	t_ok "replay: the traced workload ran"
else
	t_fail "replay: the traced workload: $ctl_fail"
	for n in $rp_names; do ctl "destroy $n"; done
fi
echo 0 >"$RT/events/kvgrow/enable"
# "# entries-in-buffer/entries-written: 123/123": nothing overwritten
rp_lost=$(sed -n 's|^# entries-in-buffer/entries-written: \([0-9]*\)/\([0-9]*\) .*|\1 \2|p' "$RT/trace")
t_st "$(echo "$rp_lost" | awk '{ print !($1 == $2 && $1 > 0) }')" \
	"replay: the trace kept every event ($rp_lost)" "replay: events lost: $rp_lost"
t_eq "$(grep -c 'kvg_vec_free: .* policy=go119 elem_size=8 len=5000 cap=5120 footprint=65536 ' "$RT/trace")" 1 \
	"replay: kvg_vec_free has the destroyed go119 vector's last state"
t_eq "$(grep -c 'kvg_vec_make: .* policy=kvg need=100 elem_size=24 len=0 cap=0->' "$RT/trace")" 1 \
	"replay: kvg_vec_make has the hint as need"
echo "---- kvgrow replay trace ----"
cat "$RT/trace"
echo "---- end kvgrow replay trace ----"
echo "replay-expect $rp_expect"
echo >"$RT/trace"
