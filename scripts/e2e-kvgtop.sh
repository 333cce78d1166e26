# SPDX-License-Identifier: GPL-2.0
# kvgtop in the test VM, against kvgrow.ko's live debugfs tree: sourced by
# scripts/e2e-vm.sh (busybox sh: POSIX only) once its other checks are done
# and no kvgrow module is loaded, with testlib.sh's t_* functions; adds its
# checks to that script's count.  Needs /kvgtop-static (a static build:
# the initramfs has no shared libraries), /kvgrow.ko and /kvgrow_lab.ko.
#   - the error statuses: kvgrow.ko not loaded (4), debugfs not mounted (3);
#   - `kvgtop -b -n 2 -d 1` while a writer creates, grows and destroys
#     containers through the lab's control file: two frames, no error line,
#     and the figures of the containers nobody touches equal their own
#     vec/ and map/ files;
#   - with the tree still, one frame's totals equal summary's total line;
#   - rates: frame 2 started by SIGUSR1 after known appends, over
#     --rate-dt 2: a vector's grows/s and moved/s are its vec/ file's
#     deltas over 2; a container made in between counts its whole count,
#     one destroyed in between is gone.
# shellcheck shell=sh disable=SC2317

kt_run() {
	KG=/kvgtop-static
	KD=/sys/kernel/debug/kvgrow
	KC=/sys/kernel/debug/kvgrow-lab/control
	if [ ! -x $KG ]; then
		t_fail "kvgtop: no $KG in the VM"
		return
	fi
	# kt_ctl CMD...: one write each; false, with kt_err, at the first failure
	kt_ctl() {
		for kt_c in "$@"; do
			echo "$kt_c" >"$KC" 2>/tmp/kt.err || { kt_err="'$kt_c': $(cat /tmp/kt.err)"; return 1; }
		done
	}
	# kt_kv FILE KEY: the value of "KEY: value"
	kt_kv() { sed -n "s/^$2: //p" "$1"; }
	# kt_field OUT FRAME NAME COLUMN: COLUMN (by header name) of NAME's row
	kt_field() {
		awk -v fr="$2" -v name="$3" -v col="$4" '/^kvgtop frame / { n++; next } n != fr { next }
			/^KIND / { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$2 == name && (col in c) { print $(c[col]) }' "$1"
	}
	# kt_wait_frame OUT: until frame 1 has been printed whole (its empty line)
	kt_wait_frame() {
		kt_i=0
		until grep -q '^$' "$1" || [ $kt_i -ge 300 ]; do
			sleep 0.1 2>/dev/null || sleep 1
			kt_i=$((kt_i + 1))
		done
	}

	# --- errors: not loaded, no debugfs ----------------------------------------
	$KG -b -n 1 >/tmp/kt.out 2>&1
	t_eq "$? $(cat /tmp/kt.out)" "4 kvgtop: kvgrow.ko is not loaded (no $KD): insmod kvgrow.ko" \
		"kvgtop: kvgrow.ko not loaded: status 4, the message"
	if umount /sys/kernel/debug 2>/dev/null; then
		$KG -b -n 1 >/tmp/kt.out 2>&1
		t_eq "$? $(cat /tmp/kt.out)" \
			"3 kvgtop: debugfs is not mounted on /sys/kernel/debug (mount -t debugfs none /sys/kernel/debug)" \
			"kvgtop: debugfs not mounted: status 3, how to mount it"
		mount -t debugfs debugfs /sys/kernel/debug
	else
		t_skip "kvgtop: debugfs busy, cannot unmount it to check status 3"
	fi

	if ! { insmod /kvgrow.ko && insmod /kvgrow_lab.ko; } 2>/tmp/kt.err; then
		t_fail "kvgtop: insmod kvgrow.ko and kvgrow_lab.ko: $(cat /tmp/kt.err)"
		return
	fi
	if ! kt_ctl "create kt.a kvg 8" "append kt.a 1000" "create kt.b go119 24" \
		"append kt.b 5000 7" "map-create kt.m" "map-insert kt.m 0 2000" \
		"create kt.w exact 8" "scenario-nested 20 10"; then
		t_fail "kvgtop: setup: $kt_err"
		rmmod kvgrow_lab; rmmod kvgrow
		return
	fi

	# --- two frames while a writer creates, grows and destroys -----------------
	rm -f /tmp/kt.stop
	(
		i=0
		while [ ! -e /tmp/kt.stop ]; do
			echo "create kt.c$i pow2 16" >"$KC"
			echo "append kt.c$i 300 3" >"$KC"
			echo "append kt.w 7" >"$KC"
			[ $i -lt 2 ] || echo "destroy kt.c$((i - 2))" >"$KC"
			i=$((i + 1))
		done
		echo "destroy kt.c$((i - 1))" >"$KC"
		echo "destroy kt.c$((i - 2))" >"$KC"
	) 2>/dev/null &
	kt_w=$!
	$KG -b -n 2 -d 1 >/tmp/kt.live 2>&1
	kt_st=$?
	touch /tmp/kt.stop
	wait $kt_w
	t_eq "$kt_st $(grep -c '^kvgtop frame' /tmp/kt.live) $(grep -c '^error' /tmp/kt.live)" "0 2 0" \
		"kvgtop -b -n 2 -d 1 while containers come and go: 2 frames, no error line"
	grep '^error' /tmp/kt.live | head -n 3 | sed 's/^/# /'
	kt_churn=$(grep -c '^vec   kt\.c' /tmp/kt.live)
	[ "$kt_churn" -ge 1 ]
	t_st $? "kvgtop: the frames show the writer's containers ($kt_churn rows)" \
		"kvgtop: no row of the writer's containers: $(head -n 8 /tmp/kt.live)"
	kt_fr=2
	t_eq "$(kt_field /tmp/kt.live $kt_fr kt.a LEN) $(kt_field /tmp/kt.live $kt_fr kt.a CAP) $(kt_field /tmp/kt.live $kt_fr kt.a FOOTPRINT) $(kt_field /tmp/kt.live $kt_fr kt.a SLACK) $(kt_field /tmp/kt.live $kt_fr kt.a GROWS)" \
		"$(kt_kv $KD/vec/kt.a len) $(kt_kv $KD/vec/kt.a cap) $(kt_kv $KD/vec/kt.a footprint) $(kt_kv $KD/vec/kt.a slack) $(kt_kv $KD/vec/kt.a grows)" \
		"kvgtop: kt.a's len, cap, footprint, slack, grows are vec/kt.a's"
	t_eq "$(kt_field /tmp/kt.live 1 kt.a FOOTPRINT)" 8192 "kvgtop: kt.a, 1000 u64 under kvg: 8192 bytes"
	t_eq "$(kt_field /tmp/kt.live $kt_fr kt.a GROWS/S) $(kt_field /tmp/kt.live $kt_fr kt.a MOVED/S)" "0.00 0.00" \
		"kvgtop: kt.a untouched between the frames: 0 grows/s, 0 moved/s"
	t_eq "$(kt_field /tmp/kt.live $kt_fr kt.b FOOTPRINT) $(kt_field /tmp/kt.live $kt_fr kt.b LIVE)" \
		"$(kt_kv $KD/vec/kt.b footprint) $(kt_kv $KD/vec/kt.b live_bytes)" \
		"kvgtop: kt.b's footprint and live bytes are vec/kt.b's"
	t_eq "$(kt_field /tmp/kt.live $kt_fr kt.m LEN) $(kt_field /tmp/kt.live $kt_fr kt.m CAP) $(kt_field /tmp/kt.live $kt_fr kt.m FOOTPRINT)" \
		"$(kt_kv $KD/map/kt.m count) $(kt_kv $KD/map/kt.m slots) $(kt_kv $KD/map/kt.m footprint)" \
		"kvgtop: kt.m's count, cap (a Swiss map's slots), footprint are map/kt.m's"
	t_eq "$(kt_field /tmp/kt.live $kt_fr nested-kvg FOOTPRINT) $(kt_field /tmp/kt.live $kt_fr nested-kvg LIVE)" \
		"$(kt_kv $KD/group/nested-kvg footprint) -" \
		"kvgtop: the nested-kvg group's footprint is group/nested-kvg's, its live bytes '-'"

	# --- a still tree: the totals are summary's total line ---------------------
	$KG -b -n 1 >/tmp/kt.one 2>&1
	t_eq "$(awk '/^containers / { print $2, $10, $12, $14 }' /tmp/kt.one)" \
		"$(awk -F'\t' '$1 == "total" { print $2, $6, $5, $7 }' $KD/summary)" \
		"kvgtop: containers, footprint, live, slack equal summary's total line"
	t_eq "$(awk '/^KIND /{ t = 1; next } t && NF' /tmp/kt.one | wc -l)" \
		"$(($(wc -l <$KD/summary) - 2))" "kvgtop: a row per summary line"
	$KG -b -n 1 -t >/tmp/kt.one 2>&1
	t_eq "$(awk '/^CONTAINERS /{ t = 1; next } t && NF' /tmp/kt.one | wc -l)" \
		"$(($(wc -l <$KD/sites) - 1))" "kvgtop -t: a row per sites line"

	# --- rates: known appends between two frames -------------------------------
	kt_g0=$(kt_kv $KD/vec/kt.a grows) kt_m0=$(kt_kv $KD/vec/kt.a moved_bytes)
	$KG -b -n 2 -d 600 --rate-dt 2 >/tmp/kt.rate 2>&1 &
	kt_p=$!
	kt_wait_frame /tmp/kt.rate
	kt_ctl "append kt.a 100000" "destroy kt.b" "create kt.n kvg 8" "append kt.n 1000" ||
		t_fail "kvgtop: rates setup: $kt_err"
	kt_g1=$(kt_kv $KD/vec/kt.a grows) kt_m1=$(kt_kv $KD/vec/kt.a moved_bytes)
	kt_gn=$(kt_kv $KD/vec/kt.n grows) kt_mn=$(kt_kv $KD/vec/kt.n moved_bytes)
	kill -USR1 $kt_p
	wait $kt_p
	t_eq "$?" 0 "kvgtop: SIGUSR1 starts frame 2 at once; exit 0"
	t_eq "$(kt_field /tmp/kt.rate 2 kt.a GROWS/S) $(kt_field /tmp/kt.rate 2 kt.a MOVED/S)" \
		"$(awk -v g=$((kt_g1 - kt_g0)) -v m=$((kt_m1 - kt_m0)) 'BEGIN { printf "%.2f %.2f", g / 2, m / 2 }')" \
		"kvgtop: kt.a's grows/s and moved/s: vec/kt.a's deltas ($((kt_g1 - kt_g0)) grows, $((kt_m1 - kt_m0)) bytes) over 2 s"
	t_eq "$(kt_field /tmp/kt.rate 2 kt.n GROWS/S) $(kt_field /tmp/kt.rate 2 kt.n MOVED/S)" \
		"$(awk -v g="$kt_gn" -v m="$kt_mn" 'BEGIN { printf "%.2f %.2f", g / 2, m / 2 }')" \
		"kvgtop: kt.n, made between the frames, counts its whole count"
	t_eq "$(kt_field /tmp/kt.rate 1 kt.b KIND)/$(kt_field /tmp/kt.rate 2 kt.b KIND)" "vec/" \
		"kvgtop: kt.b, destroyed between the frames, is in frame 1 only"

	kt_ctl "destroy kt.a" "destroy kt.m" "destroy kt.n" "destroy kt.w" ||
		t_fail "kvgtop: teardown: $kt_err"
	rmmod kvgrow_lab && rmmod kvgrow
	t_st $? "kvgtop: rmmod kvgrow_lab and kvgrow after the kvgtop checks"
}
kt_run
