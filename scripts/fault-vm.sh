# SPDX-License-Identifier: GPL-2.0
# The kernel's fault injection pointed at kvgrow from outside, run INSIDE the
# UML kernel of scripts/fault-uml.sh (POSIX sh, busybox).  Needs in /:
# kvgrow.ko, kvgrow_lab.ko, kvgrow_stress.ko, testlib.sh.
#
# failslab and fail_page_alloc fail 1 in 5 of the allocations of every task
# marked with /proc/self/make-it-fail (task-filter), sleeping (GFP_KERNEL)
# ones included (ignore-gfp-wait=N): the control-file writers, which make,
# grow, shrink and destroy vectors and maps through kvgrow_lab.ko while the
# stress module's threads and two readers run.  Then, with injection off:
# every container's figures agree (vec/ and map/ "consistent: yes"), the
# kernel log has no WARNING, BUG, Oops or KASAN report, and at rmmod
# kvgrow.ko's own count of live blocks is 0.  Ends with t_done's line.
# shellcheck disable=SC1091,SC3037

. /testlib.sh
D=/sys/kernel/debug
K=$D/kvgrow
C=$D/kvgrow-lab/control

modloaded() { grep -q "^$1 " /proc/modules; }

if insmod /kvgrow.ko && insmod /kvgrow_lab.ko && insmod /kvgrow_stress.ko threads=2; then
	t_ok "insmod kvgrow.ko, kvgrow_lab.ko and kvgrow_stress.ko under UML with KASAN"
else
	t_fail "insmod"
	t_done
	exit
fi

# inject PROBABILITY: both attributes, for marked tasks only.
inject() {
	for a in $D/failslab $D/fail_page_alloc; do
		echo "$1" >$a/probability
		echo 1 >$a/interval
		echo -1 >$a/times
		echo 0 >$a/space
		echo 0 >$a/verbose
		echo Y >$a/task-filter
		echo N >$a/ignore-gfp-wait
	done
	# user pages must not fail, or the shell itself dies (kernel-testing.md)
	echo Y >$D/fail_page_alloc/ignore-gfp-highmem
}
inject 20
t_eq "$(cat $D/failslab/probability) $(cat $D/failslab/ignore-gfp-wait) $(cat $D/failslab/task-filter)" \
	"20 N Y" "failslab armed: 20%, sleeping allocations too, marked tasks"

# writer N: 60 rounds of commands under injection; the failed writes (an
# open, a copy or the command itself ran out of memory) counted in
# /tmp/failed.N.  No pipe, no subshell, no file opened but the control
# file while marked: the shell's own allocations fail too.
writer() {
	echo 1 >/proc/self/make-it-fail
	i=0 failed=0
	while [ $i -lt 60 ]; do
		for c in "create v$1.$i kvg 8" "append v$1.$i 3000 7" "create p$1.$i pow2 24 100" \
			"append p$1.$i 2000" "clip v$1.$i" "map-create m$1.$i" \
			"map-insert m$1.$i 0 2000" "map-delete m$1.$i 0 1500" "map-shrink m$1.$i" \
			"map-churn m$1.$i 100 500" "destroy p$1.$i"; do
			echo "$c" >"$C" || failed=$((failed + 1))
		done
		# keep every third round's containers
		if [ $((i % 3)) -ne 0 ]; then
			echo "destroy v$1.$i" >"$C"
			echo "destroy m$1.$i" >"$C"
		fi
		i=$((i + 1))
	done
	until echo 0 >/proc/self/make-it-fail; do :; done
	until echo $failed >/tmp/failed.$1; do :; done
}
reader() {
	while [ ! -e /tmp/stop ]; do
		cat $K/summary $K/vectors $K/maps $K/*/* >/dev/null 2>&1
	done
}
# col FILE NAME: the sum of column NAME (by the header) of a TSV view
col() {
	awk -F'\t' -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next }
		{ s += $k } END { print s + 0 }' "$1"
}
reader &
r=$!
writer 1 2>/dev/null &
w1=$!
writer 2 2>/dev/null &
w2=$!
wait $w1 $w2
touch /tmp/stop
wait $r
inject 0

failed=$(($(cat /tmp/failed.1) + $(cat /tmp/failed.2)))
if [ "$failed" -gt 0 ]; then
	t_ok "$failed of 1,320 control writes failed under injection"
else
	t_fail "no control write failed: the injection did not reach the writers"
fi
fa=$(($(col $K/vectors failed_allocs) + $(col $K/maps failed_allocs)))
if [ "$fa" -gt 0 ]; then
	t_ok "the containers left counted $fa failed allocations of their own"
else
	t_fail "no container counted a failed allocation"
fi

# Every container left is whole: its figures agree, and it still works.
n=0 bad=''
for f in $K/vec/* $K/map/*; do
	[ -e "$f" ] || continue
	case $(sed -n 's/^consistent: //p' "$f") in
	yes) n=$((n + 1)) ;;
	*) bad="$bad ${f#"$K"/}" ;;
	esac
done
if [ $n -gt 0 ] && [ -z "$bad" ]; then
	t_ok "$n containers after injection, each consistent"
else
	t_fail "after injection: $n consistent, not:$bad"
fi
ok=0 tried=0
for f in $K/vec/v*; do
	[ -e "$f" ] || continue
	tried=$((tried + 1))
	v=${f##*/}
	len=$(sed -n 's/^len: //p' "$f")
	echo "append $v 100" >"$C" &&
		[ "$(sed -n 's/^len: //p' "$f")" = $((len + 100)) ] && ok=$((ok + 1))
done
t_eq "$ok" "$tried" "every vector left grows by 100 after injection ($tried)"

sleep 2
for m in kvgrow_stress kvgrow_lab kvgrow; do
	rmmod $m 2>/tmp/rmmod.err || t_fail "rmmod $m: $(cat /tmp/rmmod.err)"
done
if modloaded kvgrow; then t_fail "kvgrow still loaded"; else t_ok "rmmod of all three"; fi
if dmesg -s 4194304 | grep -q 'blocks still allocated at unload'; then
	t_fail "kvgrow.ko counted blocks left at unload: $(dmesg -s 4194304 | grep 'still allocated')"
else
	t_ok "kvgrow.ko's count of live blocks is 0 at rmmod"
fi
rounds=$(dmesg -s 4194304 | sed -n 's/.*kvgrow_stress: \([0-9]*\) rounds.*/\1/p' | tail -n 1)
if [ "${rounds:-0}" -ge 1 ]; then
	t_ok "the stress threads ran $rounds rounds meanwhile"
else
	t_fail "the stress threads ran ${rounds:-no} rounds"
fi
# Allocation-failure reports of injected failures are expected; these not.
t_log_clean "no WARNING, BUG, Oops, KASAN or hung-task report in the kernel log" \
	-E 'WARNING:|BUG:|Oops|KASAN|general protection|blocked for more than'
t_done
