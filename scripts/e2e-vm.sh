# SPDX-License-Identifier: GPL-2.0
# kvgrow.ko and kvgrow_lab.ko end to end, run INSIDE the test VM by
# scripts/check-kernel.sh (vm-run.sh), busybox sh: what only a live kernel
# shows (parsing and rendering are KUnit's: control_kunit.c, render_kunit.c).
# Needs in /: the four .ko files, testlib.sh, e2e-lib.sh, e2e-figs.awk,
# e2e-replay-vm.sh, e2e-kvgtop.sh, kvgtop-static, e2e-pages.sh,
# expect.tsv (kvgrow-sim's figures), and optionally kernel.env: KVREALLOC=sim
# (kvrealloc grows in place, as 6.12's) or copy (it always moves, as 6.1's).
# shellcheck disable=SC2320,SC3037,SC2034,SC1091,SC2086,SC2046,SC2016,SC2015,SC2012,SC2154,SC2010

. /testlib.sh
KVREALLOC=
[ -f /kernel.env ] && . /kernel.env
. /e2e-lib.sh

# --- load, file modes -------------------------------------------------------------

if ! load 2>/tmp/insmod.err; then t_fail "insmod kvgrow.ko and kvgrow_lab.ko: $(cat /tmp/insmod.err)" && t_done; exit; fi
t_ok "insmod kvgrow.ko and kvgrow_lab.ko"
t_eq "$(stat -c %a $C) $(find $K $L -type f ! -name control -exec stat -c %a {} + | sort -u)" "200 400" \
	"file modes: control 0200, every other file 0400"
t_eq "$(wc -l <$K/vectors)" 1 "vectors lists nothing after load"

# --- kvgrow-sim's figures, replayed -----------------------------------------------

ctl_ok "create keep.A-1 go119 24 10" "append keep.A-1 33 4" "create keep_B pow2 1"
t_st $? "create bystanders keep.A-1 and keep_B" "create bystanders: $ctl_fail"
snap bystanders0
awk -F'\t' '/^#/ {next} !nh++ {for (i = 1; i <= NF; i++) h[$i] = i; next} $h["kind"] == "vec" {
	print $h["id"], $h["policy"], $h["elem_size"], $h["hint"], $h["n"], $h["batch"]}' /expect.tsv |
	while read -r id pol es hint n batch; do
		echo "@case $id grown" && { ctl_ok "create c$id $pol $es $hint" "append c$id $n $batch" &&
			cat $K/vec/c$id || echo "error: $ctl_fail"; }
		echo "@case $id clipped" && { ctl_ok "clip c$id" && cat $K/vec/c$id || echo "error: $ctl_fail"; }
		echo "@case $id destroyed" && { ctl_ok "destroy c$id" || echo "error: $ctl_fail"; }
		[ ! -e $K/vec/c$id ] || echo "error: still listed"
	done >/tmp/got
figs
echo "# kvrealloc model: ${KVREALLOC:-unknown (moved_bytes and peak_footprint not checked)}"
t_eq "$(grep -c . /tmp/figs)" "$(colof /expect.tsv kind | grep -cx vec)" "every case of expect.tsv ran"
snap bystanders1
t_if "bystanders unchanged by the cases" 'cmp -s /tmp/snap.bystanders0 /tmp/snap.bystanders1'

# --- the write: bytes and errnos cross it (parsing: control_kunit.c) ---------------

long="append m.ok-1 "
while [ ${#long} -lt 4093 ]; do long=${long}0; done
long=${long}1 # 4094 bytes, plus the newline: a write of PAGE_SIZE - 1 bytes
echo -n "create m.ok-1 exact 8 0" >"$C"
table "append m.ok-1 10 3|vec/m.ok-1|len=10 cap=10|command without trailing newline, explicit hint 0"
{ echo "append m.ok-1 1"; echo "append m.ok-1 2 2"; } >"$C"
table <<EOF
|vec/m.ok-1|len=13|two commands through one open file
$long|vec/m.ok-1|len=14|a write of PAGE_SIZE - 1 bytes is accepted
create big kvg 65536;map-create mp|map/mp|count=0|create big, map-create mp
EOF
bad <<EOF
EINVAL|append m.ok-1 0${long#append m.ok-1 };$long$long|a write of PAGE_SIZE bytes, of two pages
EINVAL|create a\0b kvg 8|an embedded NUL|-e
ERANGE|create m2 kvg 65537|elem size 65537
E2BIG|create m2 kvg 8 40000000;append m.ok-1 18446744073709551615|a hint over max_bytes, N = 2^64 - 1
E2BIG|append big 5000;append big 4097 4097|appends over max_bytes (5000 x 64 KiB, 4097 x 64 KiB)
EEXIST|create m.ok-1 kvg 8;create m.ok-1 exact 8;create mp kvg 8|a duplicate create, same policy or not, a vector named as a map
ENOENT|append nosuch 1;clip nosuch;destroy nosuch;clip M.OK-1;map-insert nosuch 0 1|unknown names, a name that differs in case
EINVAL|clip mp;append mp 1;map-insert m.ok-1 0 1|vector commands on a map, map commands on a vector
EOF
ctl "destroy mp"; t_if "destroy a map" '[ $ctl_st -eq 0 ] && [ ! -e $K/map/mp ]' "destroy a map: $ctl_msg"
t_if "rejections are logged as 'kvgrow_lab: control: ...'" "dmesg -s 4194304 | grep -q 'kvgrow_lab: control: '"

# --- max_bytes, exactly -------------------------------------------------------------

t_if "reload with max_bytes=1048576" 'rmmod kvgrow_lab && insmod /kvgrow_lab.ko max_bytes=1048576'
table <<EOF
create mb exact 1;append mb 1048576 1048576|vec/mb|len=1048576 cap=1048576|append up to max_bytes exactly
create mb3 exact 1 1048576|vec/mb3|cap=1048576|a hint of max_bytes exactly
create fx factor:1000/1 8|vec/fx|len=0|create fx factor:1000/1
EOF
# factor:1000/1 grows 1 -> 1000 -> 10^6 elements (8 MB) for 1001 (8 KB)
bad "E2BIG|append mb 1;create mb2 exact 1 1048577;append fx 1001 1|one element, a hint one byte, factor:1000/1, past max_bytes"
echo 2097152 >/sys/module/kvgrow_lab/parameters/max_bytes
table "append mb 1|vec/mb|len=1048577|raising max_bytes at run time"
echo 268435456 >/sys/module/kvgrow_lab/parameters/max_bytes

# --- maps through the control file --------------------------------------------------

table <<EOF
map-create mk 0 go119;map-insert mk 0 100000|map/mk|count=100000 B=14 buckets=16384|map-insert 10^5 keys: B 14, like Go
map-delete mk 0 100000|map/mk|count=0 footprint=0 shrinks>=1|map-delete of every key gives all memory back
map-create ck 0 go119;map-churn ck 1000 300000|map/ck|count=1000 buckets=256 overflow<=51 same_size_grows=0|map-churn, go119: reclaimed
map-create cg 0 go;map-churn cg 1000 300000|map/cg|count=1000 buckets=256 same_size_grows>=1|map-churn, go: same-size grows
map-insert ck 0 5000;map-clear ck|map/ck|count=0 footprint=0|map-clear frees everything
map-insert ck 0 3000;map-delete ck 0 2900;map-shrink ck|map/ck|count=100 B=5|map-shrink compacts 100 keys to B 5
EOF
bad "E2BIG|map-insert ck 0 5000000|a map past max_bytes"
ctl_ok "destroy mk" "destroy ck" "destroy cg" || t_fail "destroying the maps: $ctl_fail"

# --- tracepoints ----------------------------------------------------------------------

TR=/sys/kernel/tracing && [ -d $TR/events ] || TR=/sys/kernel/debug/tracing
t_if "tracefs lists the kvgrow events" '[ -d $TR/events/kvgrow/kvg_vec_grow ] && [ -d $TR/events/kvgrow/kvg_map_evacuated ]'
echo 1 >$TR/events/kvgrow/enable && echo >$TR/trace
ctl_ok "create tr go119 8" "append tr 5000" "clip tr" "map-create tm 0 go119" "map-insert tm 0 1000" "map-delete tm 0 1000" \
	"map-create ts" "map-insert ts 0 10000" "map-delete ts 0 10000" ||
	t_fail "the traced commands: $ctl_fail"
echo 0 >$TR/events/kvgrow/enable && ctl_ok "destroy tr" "destroy tm" "destroy ts" || t_fail "destroy tr, tm, ts: $ctl_fail"
tr_n() { grep -c " kvg_$1" $TR/trace; }
# Go 1.19's 8-byte sequence to 5000 has 16 growths, the last 3408 -> 5120;
# 1000 inserts double B from 0 to 8, each doubling finishing its evacuation.
t_eq "$(tr_n 'vec_grow:') $(tr_n 'map_grow:') $(tr_n 'map_grow: .* B=7->8 count=832 ')" "16 8 1" \
	"one kvg_vec_grow per growth, one kvg_map_grow per doubling, B 7 -> 8 at the 833rd key"
t_eq "$(tr_n 'vec_grow: .* elem_size=8 len=3408 cap=3408->5120 footprint=65536 moved=27264 caller=cmd_append') $(tr_n 'vec_shrink:.* len=5000 cap=5120->5000 footprint=65536 moved=40000 caller=')" \
	"1 1" "kvg_vec_grow and kvg_vec_shrink carry sizes, footprint and the caller"
t_if "deletes emit kvg_map_shrink; resizes end with kvg_map_evacuated" \
	'[ "$(tr_n map_shrink:)" -ge 1 ] && [ "$(tr_n map_evacuated:)" -ge 8 ]'
# The default engine (ts): one table rebuilt larger 5 times up to 32 KiB
# (1920 slots), split when full (1680 keys: 2 x 32 KiB and a directory of
# 2 pointers); 10^4 keys take 7 splits or so, deleting them all merges the
# tables and halves the directory back to depth 0 (kvgrow-sim's figures).
t_eq "$(tr_n 'map_table_grow:') $(tr_n 'map_table_grow: .* slots=480->1920 depth=0->0 count=420 tables=1 global_depth=0 footprint=32768 caller=[a-z_.0-9]*map_[a-z_.0-9]*+0x') $(tr_n 'map_split: .* slots=1920->3840 depth=0->1 count=1680 tables=2 global_depth=1 footprint=65552 caller=[a-z_.0-9]*map_[a-z_.0-9]*+0x') $(tr_n 'map_dir_double: .* entries=1->2 global_depth=0->1 count=1680 tables=2 footprint=65552 caller=') $(tr_n 'map_dir_halve: .* entries=2->1 global_depth=1->0 .* caller=[a-z_.0-9]*map_[a-z_.0-9]*+0x')" \
	"5 1 1 1 1" "a Swiss map: kvg_map_table_grow to 32 KiB, the first kvg_map_split and kvg_map_dir_double at 1680 keys, the last kvg_map_dir_halve, with the caller"
t_if "a Swiss map of 10^4 keys splits 5+ times, doubles its directory as often as it halves it, merges as its keys go" \
	'[ "$(tr_n map_split:)" -ge 5 ] && [ "$(tr_n map_dir_double:)" -eq "$(tr_n map_dir_halve:)" ] && [ "$(tr_n map_merge:)" -ge 5 ] && [ "$(tr_n map_table_shrink:)" -ge 1 ]'
# growth-trace replay: the trace goes to the host, which replays it
. /e2e-replay-vm.sh

# --- the views, live: entries' files and call sites (rendering: render_kunit.c) -----

table <<EOF
create s1 go119 8;append s1 5000;create s2 kvg 8;append s2 100|summary|name=s1 kind=vec len=5000 cap=5120 live_bytes=40000 footprint=65536 slack=25536 grows=16 site~^control[.]c:[0-9]+.cmd_create$|summary: a vector's figures and its call site
map-create s3;map-insert s3 0 1000|summary|name=s3 kind=map site~^control[.]c:[0-9]+.cmd_map_create$|summary: a map's call site
create e1 go119 8;append e1 1000|vec/e1|kind=vec name=e1 policy=go119 len=1000 cap=1280 live_bytes=8000 consistent=yes|vec/e1: its figures (Go: cap 1280), consistent
map-create e2 0 go119;map-insert e2 0 5000|map/e2|kind=map name=e2 count=5000 live_bytes=80000 growing=0 consistent=yes|map/e2: 5000 u64 pairs, not resizing, consistent
EOF
table "|sites|site~cmd_create$ containers=$(($(wc -l <$K/vectors) - 1))|sites: every vector made by control under one call site"
t_eq "$(awk -F'\t' 'NR == 1 {ok = $1 "," $2 == "overflow_buckets,chains"} NR > 1 {c += $2; o += $1 * $2} END {print ok, NR, c, o}' $K/buckets/e2)" \
	"1 10 $(val $K/map/e2 kind=map buckets) $(val $K/map/e2 kind=map overflow)" \
	"buckets/e2: chains with 0..7 and 8+ overflow buckets, one per bucket, overflow buckets add up"
ctl_ok "map-create e3" "map-insert e3 0 20000" || t_fail "map e3: $ctl_fail"
t_eq "$(awk -F'\t' 'NR == 1 {ok = $0 == "histogram\tbin\tcount"} $1 == "probe_groups" {k += $3; p++} $1 == "local_depth" {t += $3; d++} END {print ok, p, k, t, d - 1}' $K/buckets/e3)" \
	"1 8 20000 $(val $K/map/e3 kind=map tables) $(val $K/map/e3 kind=map global_depth)" \
	"buckets/e3, a Swiss map: the keys by probe length add up to the count, the tables by local depth to tables, a row per depth"
t_eq "$(find $K $L -type f ! -name control -exec stat -c %a {} + | sort -u) $(ls $K/vec/e1 $K/map/e2 $K/buckets/e2 | wc -l)" \
	"400 3" "every file but control, in every directory, is 0400"
t_if "destroy removes the entry's files" 'ctl_ok "destroy s1" "destroy s2" "destroy s3" "destroy e1" "destroy e2" "destroy e3" &&
	[ ! -e $K/vec/e1 ] && [ ! -e $K/map/e2 ] && [ ! -e $K/buckets/e2 ]'

# --- scenarios ------------------------------------------------------------------------

S=../kvgrow-lab/scenarios
ctl_ok "scenario-policy 100000 8" "scenario-oom 1000000 16777216" "scenario-churn 1000 200000" \
	"scenario-retention 10485760 1024" "scenario-nested 2000 100" || t_fail "the scenarios: $ctl_fail"
g=$(val $K/$S/nested policy=go119 group_footprint)
table <<EOF
|$S/policy|policy=go119 cap=110592 grows=28|policy: go119 cap and grows
|$S/policy|policy=kvg cap=131072 grows=18 footprint=1048576|policy: kvg takes the block's slack as capacity
|$S/policy|policy=exact grows=100000|policy: exact grows at every append
|$S/oom|policy=factor:3/2 fits=no n_reached<1000000|oom: x1.5 from 16 elements stops short of 10^6 in 16 MiB
|$S/oom|policy=kvg fits=yes n_reached=1000000 peak_footprint<=16777216|oom: kvg fits 10^6 elements in 16 MiB
|$S/churn|mode=go119 mean_overflow_x100<=2560 same_size_grows=0|churn: go119's mean overflow within 10% of 256 buckets
|$S/churn|mode=go mean_overflow_x100>=12800 same_size_grows>=1|churn: go piles up overflow buckets
|$S/churn|mode=kvg buckets=0 peak_footprint<=65536 final_footprint<=32768|churn: the default engine stays in one 32 KiB table (two while one is rebuilt at its size)
|$S/retention|method=view footprint=10485760|retention: a 1 KiB view pins 10 MiB
|$S/retention|method=clone footprint=1024|retention: its clone takes 1 KiB
|$S/nested|policy=go119 vectors_footprint=2048000 ratio_x100>140 group=nested-go119|nested: 2000 vectors of cap 128, 1 KiB each; the group takes over 140%
|$S/nested|policy=go119 group_footprint=$(($(val $K/$S/nested policy=go119 map_footprint) + $(val $K/$S/nested policy=go119 vectors_footprint)))|nested: the group's footprint is its members'
|group/nested-go119|footprint=$g members=2001 peak_footprint=$(val $K/$S/nested policy=go119 group_peak_footprint) peak_footprint>=$g grows>=2000|group/nested-go119: footprint, members, peak as reported
|summary|name=nested-go119 kind=group len=- live_bytes=- footprint=$g slack=-|summary: the group's row, footprint only
|summary|name=nested-kvg footprint=$(val $K/$S/nested policy=kvg group_footprint)|summary: the kvg group's footprint
scenario-nested 10 2|group/nested-go119|members=11|a new nested run replaces the group (11 members)
EOF
t_eq "$(colof $K/$S/policy-growth policy | sort -u | wc -l) $(colof $K/$S/churn-series mode | grep -cx kvg)" \
	"6 200" "policy-growth: a series per policy; churn-series: 200 samples per mode"
bad "E2BIG|scenario-policy 100000000 8;scenario-nested 2147483648 268435448|scenarios over max_bytes, one by a product of 2^64"

# --- long commands: others get in, and a signal stops them ------------------------

ctl_ok "map-create lc" "map-create lc2" || t_fail "map-create lc: $ctl_fail"
echo "map-churn lc 1000 4294967295" >"$C" 2>/dev/null & lc=$! # it would take hours
sleep 1
timed ctl "map-insert lc2 0 10"
t_if "another writer gets in during a long command ($dt cs)" '[ $st -eq 0 ] && [ $dt -le 150 ]' \
	"another writer: status $st, $dt cs: $ctl_msg"
timed cat $L/scenarios/policy >/dev/null
t_if "a report reader gets in during a long command ($dt cs)" '[ $st -eq 0 ] && [ $dt -le 150 ]'
ctl "destroy lc"
t_if "destroy of the container a long command works on: EBUSY" \
	'[ "${ctl_msg%"$EBUSY"}" != "$ctl_msg" ]' "destroy lc: '$ctl_msg'"
kill $lc
timed wait $lc
t_if "SIGTERM stops the long command within 1 s ($dt cs)" '[ $st -ne 0 ] && [ $dt -le 100 ]'
timed timeout 2 sh -c "echo 'map-churn lc 1000 4294967295' >$C" 2>/dev/null
t_if "timeout 2 stops a huge map-churn within 1 s of its signal ($dt cs)" '[ $st -ne 0 ] && [ $dt -le 300 ]'
timed cat $K/summary >/dev/null
t_if "summary reads right after ($dt cs), and the churned map is consistent" \
	'[ $st -eq 0 ] && [ $dt -le 100 ] && [ "$(val $K/map/lc kind=map consistent)" = yes ]'
ctl_ok "destroy lc" "destroy lc2" || t_fail "destroy lc: $ctl_fail"

# --- a grammar fuzzer: random commands, two writers, readers on every file --------

# fuzz_writer SEED: 1000 commands, 10 s at most each (a killed command keeps
# what it did); the count of writes in /tmp/fz.SEED
fuzz_writer() {
	gen $1 1000 | while IFS= read -r c; do timeout 10 sh -c 'echo "$0" >"$1"' "$c" "$C" 2>/dev/null; echo; done |
		wc -l >/tmp/fz.$1
}
start_readers; { fuzz_writer 11 & fuzz_writer 22; wait $!; }; stop_readers
t_eq "$(($(cat /tmp/fz.11) + $(cat /tmp/fz.22)))" 2000 \
	"grammar fuzzer: 2000 random and mutated commands from two writers, readers on every file"
t_eq "$(grep -L '^consistent: yes$' $K/vec/f* $K/map/f* 2>/dev/null)" "" "grammar fuzzer: every container it left is consistent"
for i in 0 1 2 3 4 5; do ctl "destroy f$i"; done
t_log_clean "grammar fuzzer: no soft lockup, hung task, WARNING or oops" -E 'soft lockup|blocked for more than|WARNING:|BUG:|Oops'

# --- the example module -----------------------------------------------------------

insmod /kvgrow_example.ko 2>/tmp/insmod.err; t_st $? "insmod kvgrow_example.ko" "insmod kvgrow_example.ko: $(cat /tmp/insmod.err)"
table "|summary|name=example kind=vec len=1000 site~^kvgrow_example[.]c:[0-9]+.kvgrow_example_init$|the example's vector and its init call site"
table "|vec/example|len=1000 policy=kvg elem_size=8|example: 1000 u64, policy kvg"
{ echo "@case example grown" && cat $K/vec/example; } >/tmp/got && figs
t_if "rmmod kvgrow refused while kvgrow_example is loaded" 'if rmmod kvgrow 2>/dev/null; then load; false; fi'
# Another module's vector is not the control file's to change: its owner
# appends to it without the lab's lock.
bad "EPERM|destroy example;append example 1;clip example|commands on kvgrow_example's vector"
t_if "rmmod kvgrow_example removes 'example'" 'rmmod kvgrow_example && [ ! -e $K/vec/example ]'

# --- unload with vectors left ---------------------------------------------------------

table "create left.k kvg 8;append left.k 100000 1000;create left.v pow2 4096 2048;append left.v 1100 100;create left.0 exact 8|vec/left.v|backend=vmalloc|left.v is vmalloc memory"
t_if "rmmod kvgrow refused while kvgrow_lab is loaded" '! rmmod kvgrow 2>/dev/null'
t_if "rmmod kvgrow_lab with vectors left" 'rmmod kvgrow_lab'
t_eq "$(grep -c '	left' $K/summary) $(ls $K/vec | wc -l)" "0 0" "its vectors left the registry with it"
t_if "rmmod kvgrow" 'rmmod kvgrow'
t_if "$K and $L are gone, no kvgrow in /proc/modules" '[ ! -e $K ] && [ ! -e $L ] && ! grep -q kvgrow /proc/modules'

# --- concurrent writers and readers -----------------------------------------------------

load && ctl_ok "create cc kvg 24" || t_fail "create cc: $ctl_fail"
writer() {
	for w in $(seq 100); do
		echo "append cc 12 3" >"$C" || echo "# writer $1: append failed"
		echo "create w$1.$w exact 8 5" >"$C" && echo "destroy w$1.$w" >"$C" || echo "# writer $1: w$1.$w failed"
	done
}
writer 1 & writer 2 & writer 3 &
for r in $(seq 100); do cat $K/vectors >/dev/null || echo "# reader: cat failed"; done
wait
{ echo "@case cc grown" && cat $K/vec/cc; } >/tmp/got && figs # 3 writers: 300 appends of 12 by 3
t_eq "$(wc -l <$K/vectors)" 2 "only cc left after 3 concurrent writers (appends, create/destroy) and a reader"

# --- files held open across rmmod: they fail, not crash; or rmmod is refused --------

exec 3<$K/vectors 4>"$C"
if rmmod kvgrow_lab 2>/dev/null; then t_if "rmmod kvgrow_lab with control open: a later write fails cleanly" \
	'! echo "create late kvg 8" >&4 2>/dev/null'
else t_if "rmmod kvgrow_lab refused while control is open; the open file still works" \
	'echo "create late kvg 8" >&4 && [ -e $K/vec/late ]'; fi
if ! modloaded kvgrow_lab && rmmod kvgrow 2>/dev/null; then
	cat <&3 >/dev/null 2>&1
	t_ok "rmmod kvgrow with vectors open: a later read returns (an oops would end the VM)"
else t_if "rmmod kvgrow refused while vectors is open; the open file still reads" 'cat <&3 >/dev/null'; fi
exec 3<&- 4>&-
for m in kvgrow_lab kvgrow; do modloaded $m && rmmod $m; done
t_if "rmmod after closing the files" '! modloaded kvgrow'

# --- stress: owners mutate while debugfs is read -------------------------------------

if load && start_readers && insmod /kvgrow_stress.ko threads=2; then
	t_ok "kvgrow_stress: 2 kernel threads mutating registered containers, 2 readers"
	i=0
	while [ $i -lt 40 ] && ctl_ok "create st$i kvg 8" "append st$i 3000" "clip st$i" "destroy st$i"; do i=$((i + 1)); done
	t_eq "$i" 40 "control create/append/clip/destroy alongside them"
	# The owners' maps walked under their locks, the groups' totals, and
	# snapshots consistent (the seqcount) while the owners change them.
	walks=0 groups=0 checked=0 torn=''
	for i in $(seq 50); do
		walks=$((walks + $(awk 'FNR == 1' $K/buckets/stress* 2>/dev/null | grep -cE '^(overflow_buckets	chains|histogram	bin	count)$')))
		groups=$((groups + $(cat $K/group/stress* 2>/dev/null | grep -c '^members: 2$')))
		# (a container gone meanwhile has no file)
		[ $i -gt 30 ] || checked=$((checked + $(cat $K/vec/stress* $K/map/stress* 2>/dev/null | grep -c '^consistent: yes$')))
		[ $i -gt 30 ] || torn="$torn$(grep -H '^consistent: no' $K/vec/stress* $K/map/stress* 2>/dev/null)"
	done
	t_if "$checked snapshots of changing containers, each consistent" '[ $checked -gt 0 ] && [ -z "$torn" ]' \
		"snapshots: $checked consistent, torn: $torn"
	t_if "read $walks bucket histograms of live maps and $groups groups of 2 members" '[ $walks -gt 0 ] && [ $groups -gt 0 ]'
	sleep 3
	t_if "rmmod kvgrow_stress stops its threads" 'rmmod kvgrow_stress'
	stop_readers
	set -- $(dmesg -s 4194304 | sed -n 's/.*kvgrow_stress: \([0-9]*\) rounds, \([0-9]*\) snapshots, \([0-9]*\) inconsistent.*/\1 \2 \3/p' | tail -n 1)
	rounds=${1:-0} snaps=${2:-0} incons=${3:-none}
	t_if "the threads ran $rounds rounds against the readers" '[ $rounds -ge 10 ]'
	t_if "$snaps lock-free snapshots of a vector and a map resized meanwhile, $incons inconsistent" '[ $incons = 0 ] && [ $snaps -ge 100000 ]'
	# Half the rounds destroyed their containers without unregistering.
	t_eq "$(grep -c '	stress' $K/summary) $(ls $K/vec $K/map $K/group $K/buckets | grep -c stress)" "0 0" \
		"destroyed containers left the registry and their vec/, map/, group/, buckets/ files, unregistered or not"
	rmmod_retry kvgrow_lab && rmmod_retry kvgrow
	t_st $? "rmmod kvgrow after the stress" "rmmod kvgrow after the stress: $(cat /tmp/rmmod.err)"
else
	t_fail "loading kvgrow and kvgrow_stress"
	stop_readers
fi

# --- load/unload cycles --------------------------------------------------------------

free0=$(meminfo MemFree) vmalloc0=$(meminfo VmallocUsed) cycles_ok=0
start_readers
for i in $(seq 20); do
	err=
	load 2>/tmp/insmod.err || err="insmod: $(cat /tmp/insmod.err)"
	[ -n "$err" ] || ctl_ok "create cy$i kvg 8" "append cy$i 1000 7" "create cz$i exact 4096 1200" \
		"append cz$i 1200 1200" "create c0$i go119 40" "create ck$i kvg 8 200000" || err=$ctl_fail
	[ -n "$err" ] || err=$(printf '%s\n' "|vec/cy$i|len=1000 cap=1024|" "|vec/cz$i|len=1200 backend=vmalloc|" \
		"|vec/ck$i|footprint=2097152 backend=kmalloc|" "|vec/c0$i|len=0 cap=0 backend=none|" | table | grep '^not ok')
	[ $((i % 2)) -eq 1 ] || [ -n "$err" ] || { insmod /kvgrow_example.ko && [ -e $K/vec/example ] && rmmod kvgrow_example; } ||
		err="kvgrow_example load/unload"
	rmmod_retry kvgrow_lab && rmmod_retry kvgrow || err="$err rmmod: $(cat /tmp/rmmod.err)"
	! modloaded kvgrow && [ ! -e $K ] && [ ! -e $L ] || err="$err; still loaded"
	if [ -z "$err" ]; then cycles_ok=$((cycles_ok + 1)); else t_fail "load/unload cycle $i: $err"; fi
	for m in kvgrow_example kvgrow_lab kvgrow; do modloaded $m && rmmod $m; done
	[ $i -eq 10 ] && free_mid=$(meminfo MemFree)
done
stop_readers
t_eq "$cycles_ok" 20 "20 insmod/create/append/read/rmmod cycles, readers active"
# Each cycle left about 5 MiB of vmalloc, 2 MiB of kmalloc memory for rmmod to free.
# VmallocUsed is exact; MemFree is not (the first cycles warm caches): only printed.
free1=$(meminfo MemFree) vmalloc1=$(meminfo VmallocUsed)
echo "# MemFree $free0 -> $free_mid (cycle 10) -> $free1 kB, VmallocUsed $vmalloc0 -> $vmalloc1 kB"
t_if "no vmalloc memory leaked over the cycles" '[ $((vmalloc1 - vmalloc0)) -lt 4096 ]' "VmallocUsed grew by $((vmalloc1 - vmalloc0)) kB"
# Exactly: kvgrow.ko counts its live blocks and logs any left at unload.
t_log_clean "every unload freed every block (kvgrow.ko's own count)" 'kvgrow: .* blocks still allocated at unload'

. /e2e-kvgtop.sh # kvgtop against the live tree (loads and unloads the modules)

. /e2e-pages.sh # page-backed vectors: scenario-oom and 10^7 u64 against kvgrow-sim
# --- the kernel log -----------------------------------------------------------

t_log_clean "no WARNING/BUG/Oops/KASAN/kmemleak in the kernel log" \
	-wE 'WARNING|BUG|Oops|KASAN|kmemleak|UBSAN|Call Trace|general protection|blocked for more than'

t_done
