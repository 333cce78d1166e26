#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# usage: tools/kvgtop/test-kvgtop.sh [BUILD_DIR]
#   The kvgtop suite of `make check`: the C unit tests (plain and under
#   ASan + UBSan), batch mode against --root trees written here (the totals
#   must be the sums put in the tree; rates across two frames, the tree
#   changed in between and the second frame started by SIGUSR1), the error
#   statuses, malformed and truncated trees (an error line and status 1,
#   never a crash; under ASan + UBSan too), and the interactive screen
#   under tmux (a fixed 160x40 pane: each key sent, the pane captured and
#   checked) against a tree changed between frames.  Ends with
#   "N passed, M failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath -m "${1:-$root/build}")
# shellcheck source=scripts/testlib.sh
. "$root/scripts/testlib.sh"

"$root/scripts/deps.sh" tmux libncurses-dev || { echo "cannot install tmux"; exit 1; }
make -s -C "$root" BUILD="$build" "$build/kvgtop" "$build/kvgtop-asan" \
	"$build/kvgtop-test" "$build/kvgtop-test-asan" || exit 1
KT=$build/kvgtop
KTA=$build/kvgtop-asan
# a sanitizer report exits 99, never a status kvgtop uses
export ASAN_OPTIONS=exitcode=99:abort_on_error=0 UBSAN_OPTIONS=exitcode=99:print_stacktrace=1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvgtop-test.XXXXXX")
tsock=kvgtop-test-$$
cleanup() {
	tmux -L "$tsock" kill-server 2>/dev/null
	[ -z "${bg:-}" ] || kill "$bg" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# --- the unit tests ------------------------------------------------------------

for t in kvgtop-test kvgtop-test-asan; do
	"$build/$t" >"$tmp/$t.out" 2>&1
	st=$?
	grep '^not ok' "$tmp/$t.out"
	line=$(tail -n 1 "$tmp/$t.out")
	case $line in
	*" passed, "*" failed")
		p=${line%% passed*} f=${line#*, } f=${f%% failed*}
		[ "$st" -eq 0 ] || [ "$f" -gt 0 ] || f=1
		T_PASS=$((T_PASS + p)) T_FAIL=$((T_FAIL + f))
		echo "# $t: $line" ;;
	*) t_fail "$t: no result line (exit $st): $(tail -n 3 "$tmp/$t.out")" ;;
	esac
done

# --- trees ----------------------------------------------------------------------

TAB=$(printf '\t')
# tree DIR: a kvgrow tree of two vectors, a map and a group
tree() {
	mkdir -p "$1"/{vec,map,group,buckets}
	cat >"$1/summary" <<EOF
kind	name	len	cap	live_bytes	footprint	slack	grows	site
vec	big	130000	131072	1040000	1048576	8576	20	control.c:50 cmd_create
group	grp	-	-	-	262144	-	3	scenarios.c:90 nested
map	tab	5000	512	80000	147456	67456	7	control.c:80 cmd_map_create
vec	waste	2000	8192	16000	65536	49536	5	control.c:50 cmd_create
total	4	-	-	1136000	1523712	125568	35	-
EOF
	cat >"$1/vectors" <<EOF
name	policy	elem_size	len	cap	live_bytes	footprint	slack	peak_footprint	grows	shrinks	moved_bytes	failed_allocs	backend	requested_bytes
big	kvg	8	130000	131072	1040000	1048576	8576	1048576	20	0	500000	0	kmalloc	1048576
waste	go119	8	2000	8192	16000	65536	49536	65536	5	0	30000	0	kmalloc	65536
EOF
	cat >"$1/sites" <<EOF
containers	footprint	slack	grows	site
2	1114112	58112	25	control.c:50 cmd_create
1	262144	-	3	scenarios.c:90 nested
1	147456	67456	7	control.c:80 cmd_map_create
EOF
	printf 'kind: vec\nname: big\npolicy: kvg\nlen: 130000\nmoved_bytes: 500000\nconsistent: yes\n' >"$1/vec/big"
	printf 'kind: vec\nname: waste\npolicy: go119\nlen: 2000\nmoved_bytes: 30000\nconsistent: yes\n' >"$1/vec/waste"
	printf 'kind: map\nname: tab\ncount: 5000\nB: 9\nconsistent: yes\n' >"$1/map/tab"
	printf 'kind: group\nname: grp\nmembers: 3\nfootprint: 262144\nmoved_bytes: 1000\nsite: -\n' >"$1/group/grp"
	printf 'overflow_buckets\tchains\n0\t400\n1\t100\n2\t12\n3\t0\n4\t0\n5\t0\n6\t0\n7\t0\n8+\t0\n' >"$1/buckets/tab"
}

# sums of summary's rows (not the total line): "N FOOTPRINT LIVE SLACK GROWS"
sums() {
	awk -F'\t' 'NR > 1 && $1 != "total" { n++; f += $6; l += $5; s += $7; g += $8 }
		END { printf "%d %d %d %d %d", n, f, l, s, g }' "$1/summary"
}
# totals OUT [FRAME]: the same from kvgtop's totals line of frame FRAME (default 1)
totals() {
	awk -v fr="${2:-1}" '/^kvgtop frame / { n++ } n == fr && /^containers / {
		for (i = 1; i < NF; i++) v[$i] = $(i + 1)
		printf "%s %s %s %s", v["containers"], v["footprint"], v["live"], v["slack"] }' "$1"
}
# rows OUT [FRAME]: the names of the table's rows, in order
rows() {
	awk -v fr="${2:-1}" '/^kvgtop frame / { n++; t = 0; next } n != fr { next }
		/^(KIND|CONTAINERS) / { t = 1; next } t && NF { printf "%s ", $2 }' "$1"
}
# field OUT FRAME NAME COLUMN: COLUMN (by header name) of NAME's row
field() {
	awk -v fr="$2" -v name="$3" -v col="$4" '/^kvgtop frame / { n++; next } n != fr { next }
		/^KIND / { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$2 == name && (col in c) { print $(c[col]) }' "$1"
}

T=$tmp/tree
tree "$T"

# --- batch mode -----------------------------------------------------------------

"$KT" -b -n 1 --root "$T" >"$tmp/b1" 2>&1
t_st $? "batch: one frame of a good tree, exit 0" "batch: exit $?: $(cat "$tmp/b1")"
read -r n f l s _ < <(sums "$T")
t_eq "$(totals "$tmp/b1")" "$n $f $l $s" "batch: totals are the rows' sums (containers, footprint, live, slack)"
t_eq "$(grep -c '^error' "$tmp/b1")" 0 "batch: no error line"
t_eq "$(rows "$tmp/b1")" "big grp tab waste " "batch: sorted by footprint"
t_eq "$(field "$tmp/b1" 1 waste FOOTPRINT) $(field "$tmp/b1" 1 waste SLACK) $(field "$tmp/b1" 1 waste SLACK%) $(field "$tmp/b1" 1 waste LEN) $(field "$tmp/b1" 1 waste CAP)" \
	"65536 49536 75.6 2000 8192" "batch: a vector's figures, slack % = 49536 / 65536"
t_eq "$(field "$tmp/b1" 1 grp LIVE) $(field "$tmp/b1" 1 grp SLACK) $(field "$tmp/b1" 1 grp GROWS/S)" "- - -" \
	"batch: a group's unknown figures, and no rates in the first frame, are '-'"
for s in "slack:tab waste big grp " "slack%:waste tab big grp " "name:big grp tab waste "; do
	"$KT" -b -n 1 --root "$T" -s "${s%%:*}" >"$tmp/b2"
	t_eq "$(rows "$tmp/b2")" "${s#*:}" "batch: -s ${s%%:*}"
done
"$KT" -b -n 1 --root "$T" -s slack% -r >"$tmp/b2"
t_eq "$(rows "$tmp/b2")" "big tab waste grp " "batch: -s slack% -r (unknown still last)"
"$KT" -b -n 1 --root "$T" -k vec >"$tmp/b2"
t_eq "$(rows "$tmp/b2")" "big waste " "batch: -k vec"
"$KT" -b -n 1 --root "$T" -f a >"$tmp/b2"
t_eq "$(rows "$tmp/b2")" "tab waste " "batch: -f a (names containing a)"
"$KT" -b -n 1 --root "$T" -t >"$tmp/b2"
t_eq "$(awk '/^ *[0-9]+ / { printf "%s/%s ", $1, $2 }' "$tmp/b2")" "2/1114112 1/262144 1/147456 " \
	"batch: -t, the sites table by footprint"

# Two frames, the tree changed in between: the second frame starts on
# SIGUSR1 (-d 600 would wait ten minutes), its rates over --rate-dt 2 s.
"$KT" -b -n 2 -d 600 --rate-dt 2 --root "$T" >"$tmp/b3" 2>&1 &
bg=$!
i=0
until grep -q '^$' "$tmp/b3" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
# big: +2 grows, +100000 moved; waste: +10, +60000; tab gone; new: new
sed -i -e "s/^vec${TAB}big${TAB}\(.*\)${TAB}20${TAB}/vec${TAB}big${TAB}\1${TAB}22${TAB}/" \
	-e "s/^vec${TAB}waste${TAB}\(.*\)${TAB}5${TAB}/vec${TAB}waste${TAB}\1${TAB}15${TAB}/" \
	-e "/^map${TAB}tab${TAB}/d" -e '/^total/d' "$T/summary"
echo "vec${TAB}new${TAB}10${TAB}16${TAB}80${TAB}128${TAB}48${TAB}4${TAB}-" >>"$T/summary"
sed -i -e "s/${TAB}500000${TAB}/${TAB}600000${TAB}/" -e "s/${TAB}30000${TAB}/${TAB}90000${TAB}/" "$T/vectors"
echo "new${TAB}kvg${TAB}8${TAB}10${TAB}16${TAB}80${TAB}128${TAB}48${TAB}128${TAB}4${TAB}0${TAB}600${TAB}0${TAB}kmalloc${TAB}128" >>"$T/vectors"
kill -USR1 "$bg"
wait "$bg"
st=$?
bg=
t_eq "$st $(grep -c '^kvgtop frame' "$tmp/b3")" "0 2" "batch: SIGUSR1 starts frame 2 at once"
read -r n f l s _ < <(sums "$T")
t_eq "$(totals "$tmp/b3" 2)" "$n $f $l $s" "batch frame 2: totals follow the changed tree"
t_eq "$(field "$tmp/b3" 2 big GROWS/S) $(field "$tmp/b3" 2 big MOVED/S)" "1.00 50000.00" \
	"batch frame 2: big's rates (2 grows, 100000 bytes in 2 s)"
t_eq "$(field "$tmp/b3" 2 waste GROWS/S) $(field "$tmp/b3" 2 waste MOVED/S)" "5.00 30000.00" \
	"batch frame 2: waste's rates"
t_eq "$(field "$tmp/b3" 2 new GROWS/S) $(field "$tmp/b3" 2 new MOVED/S)" "2.00 300.00" \
	"batch frame 2: a new vector counts its whole count"
t_eq "$(grep -c "^map " "$tmp/b3")" 1 "batch frame 2: the map that vanished is gone"
t_eq "$(sed -n '/frame 2/,$ s/.*grows\/s \([^ ]*\)  moved\/s \([^ ]*\)$/\1 \2/p' "$tmp/b3")" \
	"8.00 80300.00" "batch frame 2: total rates, the sum of the deltas over 2 s"
t_eq "$(sed -n 's/.*  interval \(.*\)$/\1/p' "$tmp/b3" | tr '\n' ' ')" "- 2.00 s " \
	"batch: the interval of each frame"

# --- errors and exit statuses -----------------------------------------------------

"$KT" -b -n 1 --root "$tmp/none" >"$tmp/e" 2>&1
t_eq "$? $(cat "$tmp/e")" "4 kvgtop: $tmp/none: No such file or directory" "--root of no directory: status 4"
mkdir "$tmp/empty"
"$KT" -b -n 1 --root "$tmp/empty" >"$tmp/e" 2>&1
t_eq "$? $(cat "$tmp/e")" "4 kvgtop: cannot read $tmp/empty/summary: No such file or directory (not a kvgrow tree)" \
	"--root of a directory that is no tree: status 4"
# The host's own debugfs: whatever state it is in, the right message.
"$KT" -b -n 1 >"$tmp/e" 2>&1
st=$?
if [ "$(stat -f -c %T /sys/kernel/debug 2>/dev/null)" != debugfs ]; then
	t_eq "$st $(cat "$tmp/e")" "3 kvgtop: debugfs is not mounted on /sys/kernel/debug (mount -t debugfs none /sys/kernel/debug)" \
		"no debugfs on this host: status 3, how to mount it"
elif [ "$(id -u)" -ne 0 ]; then
	t_eq "$st" 5 "debugfs is root's: status 5 ($(cat "$tmp/e"))"
elif [ ! -d /sys/kernel/debug/kvgrow ]; then
	t_eq "$st $(cat "$tmp/e")" "4 kvgtop: kvgrow.ko is not loaded (no /sys/kernel/debug/kvgrow): insmod kvgrow.ko" \
		"kvgrow.ko not loaded on this host: status 4"
else
	t_skip "kvgrow.ko is loaded on this host: no error to check"
fi
# Not root: a tree of root's files, mode 0400, read as nobody.
P=$tmp/perm
tree "$P"
chmod 0400 "$P/summary"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	chmod 0755 "$tmp"
	setpriv --reuid 65534 --regid 65534 --clear-groups "$KT" -b -n 1 --root "$P" >"$tmp/e" 2>&1
	st=$?
	chmod 0700 "$tmp"
else
	chmod 0000 "$P/summary"
	"$KT" -b -n 1 --root "$P" >"$tmp/e" 2>&1
	st=$?
fi
if [ -r "$P/summary" ] && [ "$(id -u)" -ne 0 ]; then
	t_skip "cannot make a file this user cannot read"
else
	t_eq "$st $(cat "$tmp/e")" \
		"5 kvgtop: cannot read $P/summary: Permission denied (kvgrow's files are root's, mode 0400: run kvgtop as root)" \
		"a tree the user cannot read: status 5, run as root"
fi
for a in "-n 0" "-d 0" "-d abc" "-d 1e9" "-s size" "-k vec2" "--bogus" "extra"; do
	# shellcheck disable=SC2086
	"$KT" -b --root "$T" $a >"$tmp/e" 2>&1
	st=$?
	t_eq "$st $(head -n 1 "$tmp/e" | cut -c1-7)" "2 kvgtop:" "usage error '$a': status 2, a message"
done
"$KT" -h >"$tmp/e" 2>&1
st=$?
grep -q '^  f s % g m n   sort by footprint' "$tmp/e" && grep -q '^  Enter or o ' "$tmp/e" &&
	grep -q -- '--root DIR' "$tmp/e"
t_st $? "-h: exit $st, the keys, --root" "-h: exit $st: $(head -n 3 "$tmp/e")"
"$KT" --root "$T" </dev/null >"$tmp/e" 2>&1
t_eq "$? $(cat "$tmp/e")" "2 kvgtop: not a terminal: use -b for plain text" "the screen needs a terminal"

# --- malformed and truncated trees -------------------------------------------------

# bad NAME DESC WANT_ERROR SETUP: SETUP breaks a fresh tree; batch mode, plain
# and sanitized, shows the error line and exits 1 (a file it cannot read, 6)
bad() {
	local b=$tmp/bad/$1 want=$3 st want_st=${5:-1} k out
	rm -rf "$b"
	tree "$b"
	(cd "$b" && eval "$4")
	for k in "$KT" "$KTA"; do
		out=$tmp/bad.out
		"$k" -b -n 2 -d 0.1 --root "$b" >"$out" 2>&1
		st=$?
		if [ "$st" -eq "$want_st" ] && [ "$(grep -cxF "error: $want" "$out")" = 2 ]; then
			t_ok "$2: '$want', status $want_st (${k##*/})"
		else
			t_fail "$2 (${k##*/}): status $st, want $want_st and 'error: $want' in both frames:"
			sed 's/^/#   /' "$out" | head -n 20
		fi
	done
}
bad nofp "summary without footprint" "summary: no column 'footprint'" \
	"sed -i 's/\tfootprint\t/\tfoot\t/' summary"
bad nomoved "vectors without moved_bytes" "vectors: no column 'moved_bytes'" \
	"sed -i '1s/moved_bytes/moved/' vectors"
bad trunc "summary cut in its last row" "summary:6: truncated line (no newline at the end)" \
	"head -c -12 summary >s && mv s summary"
bad trunc2 "summary cut in its header" "summary:1: truncated line (no newline at the end)" \
	"head -c 20 summary >s && mv s summary"
bad short "a short row" "summary:3: 8 fields, the header has 9" \
	"sed -i '3s/\t[^\t]*\$//' summary"
bad num "a figure that is no number" "summary:2: '1x' in column 'len' is not a number" \
	"sed -i '2s/\t130000\t/\t1x\t/' summary"
bad huge "a figure past 2^64" "summary:4: '99999999999999999999' in column 'footprint' is not a number" \
	"sed -i '4s/\t147456\t/\t99999999999999999999\t/' summary"
bad long "a line of 100000 bytes" "summary:7: line longer than 4096 bytes" \
	'printf "%0100000d\n" 0 >>summary'
bad empty "an empty summary" "summary: empty (no header line)" ": >summary"
bad noise "summary of random bytes" "summary:1: truncated line (no newline at the end)" \
	'printf "kind\tname\001\002\tfoo" >summary'
bad total "a total line that disagrees" \
	"summary: the total line (4 entries, footprint 1523712) disagrees with the rows (4, 1523713)" \
	"sed -i '5s/\t65536\t/\t65537\t/' summary"
bad gmoved "a group file without moved_bytes" "group/grp: no line 'moved_bytes: N'" \
	"sed -i '/moved_bytes/d' group/grp"
bad dir "summary that is a directory" "summary: Is a directory" "rm summary && mkdir summary" 6
# gone between the reads: group/grp, vectors and sites are skipped quietly
G=$tmp/gone
tree "$G"
rm "$G/group/grp" "$G/vectors" "$G/sites"
"$KTA" -b -n 2 -d 0.1 --root "$G" >"$tmp/g" 2>&1
t_eq "$? $(grep -c '^error' "$tmp/g") $(rows "$tmp/g" 2)" "0 0 big grp tab waste " \
	"files gone since summary was read: skipped, no error, every row (ASan)"
"$KTA" -b -n 3 -d 0.1 --root "$T" -t >"$tmp/g" 2>&1
t_eq "$? $(grep -c '^kvgtop frame' "$tmp/g")" "0 3" "three frames under ASan + UBSan (leak check at exit)"

# --- the screen, under tmux -----------------------------------------------------------

S=$tmp/screen
tree "$S"
printf 'leak:libncurses\nleak:libtinfo\nleak:newterm\nleak:initscr\n' >"$tmp/lsan.supp"
tx() { tmux -L "$tsock" "$@"; }
# pane: the pane's text now
pane() { tx capture-pane -p -t kt; }
# alive: the session still runs (a failed tmux fails each check at once)
alive() { tx has-session -t kt 2>/dev/null; }
# shows TEXT DESC: wait (up to 20 s) until the pane shows TEXT (a fixed string)
shows() {
	local i=0
	until pane | grep -qF -- "$1"; do
		alive || { t_fail "$2: no tmux session (tmux could not start one?)"; return 1; }
		[ $i -lt 200 ] || { t_fail "$2: '$1' not on the screen:"; pane | sed 's/^/#   /'; return 1; }
		sleep 0.1
		i=$((i + 1))
	done
	t_ok "$2"
}
# order DESC NAME...: the table's rows are NAME... in this order
order() {
	local desc=$1 got i=0 want
	shift
	want="$*"
	while :; do
		got=$(pane | awk '/^ KIND / { t = 1; next } t && /^[> ](vec|map|group) / { sub(/^[> ]/, ""); printf "%s ", $2 }')
		[ "$got" != "$want " ] || { t_ok "$desc: $want"; return; }
		alive || { t_fail "$desc: no tmux session (tmux could not start one?)"; return; }
		[ $i -lt 200 ] || { t_fail "$desc: got '$got', want '$want'"; return; }
		sleep 0.1
		i=$((i + 1))
	done
}
key() { tx send-keys -t kt "$@"; }
tx -f /dev/null new-session -d -s kt -x 160 -y 40 \
	"env TERM=screen LSAN_OPTIONS=suppressions=$tmp/lsan.supp $KTA --root $S -d 600 --rate-dt 2; echo kvgtop exited \$?; sleep 600"
shows "containers 4 (vec 2, map 1, group 1)  footprint 1.45M  live 1.08M  slack 123K  grows/s -" \
	"screen: the totals, in human units"
order "screen: sorted by footprint" big grp tab waste
if pane | grep -q '^>vec   big '; then t_ok "screen: the first row is selected"
else t_fail "screen: no '>' on the first row"; fi
key s; shows "sort slack " "key s: title says slack"; order "key s" tab waste big grp
key %; order "key %" waste tab big grp
key r; shows "(reversed)" "key r: reversed"; order "key % r" big tab waste grp
key r n; order "key n" big grp tab waste
key k; shows "kind vec" "key k: kind vec"; order "key k: vectors only" big waste
key k; order "key k k: maps only" tab
key k k; shows "kind all" "key k k k k: every kind again"
key / w a Enter; shows "filter 'wa'" "key / wa: filter"; order "key /: names containing wa" waste
key / Enter; order "key / (empty): no filter" big grp tab waste
key t; shows "CONTAINERS" "key t: the sites table"
shows "1.06M" "key t: the site of both vectors, 1114112 bytes"
key t; order "key t t: the containers again" big grp tab waste
key f Home Enter; shows "policy: kvg" "Enter: vec/big, the file's lines"
shows "vec/big" "Enter: vec/big's title"
key q; order "q: back to the table" big grp tab waste
key Down Down Enter; shows "map/tab" "Down Down Enter: map/tab"
shows "buckets/tab: chains by overflow buckets" "map/tab: its bucket histogram"
if pane | grep -q '^   1          100 #'; then t_ok "histogram: 100 chains with 1 overflow bucket, a bar"
else t_fail "histogram: $(pane | grep -A3 'buckets/tab' | tr '\n' '|')"; fi
# A Swiss map's file: keys by groups probed, tables by local depth.
printf 'histogram\tbin\tcount\nprobe_groups\t1\t4000\nprobe_groups\t2\t900\nprobe_groups\t8+\t100\nlocal_depth\t0\t0\nlocal_depth\t1\t2\n' \
	>"$S/buckets/tab"
key Space; shows "buckets/tab: keys by groups probed, tables by local depth" "a Swiss map's histograms"
if pane | grep -q '^  probe 2          900 #' && pane | grep -q '^  depth 1            2 *$' &&
	pane | grep -q '^ probe 8+          100 #'; then t_ok "histogram, Swiss: 900 keys found in their second group, 2 tables of depth 1"
else t_fail "histogram, Swiss: $(pane | grep -A6 'buckets/tab' | tr '\n' '|')"; fi
rm "$S/map/tab"
key Space; shows "tab: gone (the container was destroyed)" "a detail file that vanished: 'gone', no crash"
key q; key g
# frame 2: grows and moved change, tab goes, a new vector comes
sed -i -e "s/^vec${TAB}big${TAB}\(.*\)${TAB}20${TAB}/vec${TAB}big${TAB}\1${TAB}22${TAB}/" \
	-e "s/^vec${TAB}waste${TAB}\(.*\)${TAB}5${TAB}/vec${TAB}waste${TAB}\1${TAB}15${TAB}/" \
	-e "/^map${TAB}tab${TAB}/d" -e '/^total/d' "$S/summary"
echo "vec${TAB}new${TAB}10${TAB}16${TAB}80${TAB}128${TAB}48${TAB}4${TAB}-" >>"$S/summary"
sed -i -e "s/${TAB}500000${TAB}/${TAB}600000${TAB}/" -e "s/${TAB}30000${TAB}/${TAB}90000${TAB}/" "$S/vectors"
key Space
shows "containers 4 (vec 3, map 0, group 1)" "space: read again, the changed tree"
shows "grows/s 8.00  moved/s 78.1K" "the totals' rates over 2 s (16 grows, 160000 bytes)"
order "key g: by grows/s" waste new big grp
key m; order "key m: by moved/s" big waste grp new
if pane | grep -qE '^[> ]vec   waste .* 5\.00 +29\.3K '; then t_ok "waste: 5.00 grows/s, 29.3K moved/s"
else t_fail "waste's rates: $(pane | grep ' waste ')"; fi
cp "$S/summary" "$tmp/summary.good"
sed -i '1s/footprint/foot/' "$S/summary"
key Space; shows "error: summary: no column 'footprint'" "a malformed summary: the error line, no crash"
cp "$tmp/summary.good" "$S/summary"
key Space; order "the tree fixed: rows again" big waste grp new
key h; shows "Keys:" "key h: help"
key q; key q
shows "kvgtop exited 0" "key q: quits, status 0 (ASan + UBSan, leaks checked)"
# -n 2: the screen shows its second frame for one delay, then ends (space: now)
tx kill-session -t kt
tx -f /dev/null new-session -d -s kt -x 160 -y 40 \
	"env TERM=screen $KT --root $S -d 600 -n 2; echo kvgtop exited \$?; sleep 600"
shows "containers 4 (vec 3, map 0, group 1)" "-n 2: the first frame"
key Space
shows "grows/s 0.00" "-n 2: the second frame, on space"
key Space
shows "kvgtop exited 0" "-n 2: the screen ends when a third read is due, status 0"
t_done
