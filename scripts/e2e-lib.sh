# SPDX-License-Identifier: GPL-2.0
# Helpers for the scripts that run INSIDE the test VM (scripts/e2e-vm.sh and
# what it runs), busybox sh: the control file, figures read by name, checks
# from tables of cases, the simulator's figures (e2e-figs.awk), modules, time,
# readers, and a generator of control commands.  Source /testlib.sh first.
# (echo -e is busybox's; an echo's status is the write's status)
# shellcheck shell=sh disable=SC2034,SC2086,SC2320,SC2016

K=/sys/kernel/debug/kvgrow L=/sys/kernel/debug/kvgrow-lab C=/sys/kernel/debug/kvgrow-lab/control
# errno strings as glibc's strerror() (busybox-static) prints them
EINVAL="Invalid argument" ERANGE="Numerical result out of range" E2BIG="Argument list too long"
EEXIST="File exists" ENOENT="No such file or directory" EPERM="Operation not permitted"
EBUSY="Device or resource busy"

# ctl CMD [-e]: one write of "CMD\n" to control (echo is a builtin: one
# write(); -e for echo -e's escapes); the error message in $ctl_msg
ctl() {
	echo ${2:+"$2"} "$1" >"$C" 2>/tmp/ctl.err
	ctl_st=$? ctl_msg=
	[ $ctl_st -eq 0 ] || read -r ctl_msg </tmp/ctl.err
	return $ctl_st
}
# ctl_ok CMD...: each in turn; the first failure in $ctl_fail
ctl_ok() { for ctl_c in "$@"; do ctl "$ctl_c" || { ctl_fail="'$ctl_c': $ctl_msg"; return 1; }; done; }
# got FILE WANT: the figures of FILE that WANT names ("KEY=V KEY<=V KEY>=V
# KEY<V KEY>V KEY~REGEX ..."), spelled as in WANT where they match it.  FILE
# has "key: value" lines, or is TSV with a header: WANT's first KEY=V (or
# KEY~REGEX) picks the row.
got() {
	awk -F'\t' -v want="$2" 'function has(y, op, x) { return op == "=" ? y "" == x "" : op == "~" ? y ~ x :
			op == "<=" ? y + 0 <= x + 0 : op == ">=" ? y + 0 >= x + 0 : op == "<" ? y + 0 < x + 0 : y + 0 > x + 0 }
		function spec(s) { match(s, /(<=|>=|[=<>~])/); k = substr(s, 1, RSTART - 1)
			op = substr(s, RSTART, RLENGTH); x = substr(s, RSTART + RLENGTH) }
		BEGIN { n = split(want, w, " "); spec(w[1]); sk = k; sop = op; sx = x }
		NR == 1 && /\t/ { tsv = 1; for (i = 1; i <= NF; i++) col[$i] = i; next }
		tsv && !found && has($col[sk], sop, sx) { found = 1; for (k in col) v[k] = $col[k] }
		!tsv && (i = index($0, ": ")) { v[substr($0, 1, i - 1)] = substr($0, i + 2) }
		END { for (i = 1; i <= n; i++) { spec(w[i])
			printf "%s%s", (i > 1 ? " " : ""), k in v && has(v[k], op, x) ? w[i] : k "=" (k in v ? v[k] : "(none)") }
			print "" }' "$1" 2>/dev/null
}
val() { got "$1" "$2 $3=" | sed 's/.*=//'; } # val FILE ROW KEY: one figure
colof() { awk -F'\t' -v k="$2" '/^#/ {next} !nh++ {for (i = 1; i <= NF; i++) if ($i == k) c = i; next} {print $c}' "$1"; }
t_if() { eval "$2"; t_st $? "$1" "${3:-$1}"; } # t_if DESC SH [FAIL_DESC]
# table [ROW...]: rows "CMD;CMD...|FILE|WANT|DESC" (the arguments, or lines
# from stdin): run the commands, then FILE (under $K) has WANT
table() {
	[ $# -eq 0 ] || { printf '%s\n' "$@" >/tmp/rows.t && table </tmp/rows.t; return; }
	while IFS='|' read -r tb_cmds tb_file tb_want tb_desc; do
		tb_ifs=$IFS && IFS=';' && set -f && set -- $tb_cmds && set +f && IFS=$tb_ifs
		if ! ctl_ok "$@"; then t_fail "$tb_desc: $ctl_fail"
		else t_eq "$(got "$K/$tb_file" "$tb_want")" "$tb_want" "$tb_desc"; fi
	done
}
snap() { cat "$K/vectors" "$K/maps" >"/tmp/snap.$1" 2>&1; }
# bad [ROW...]: rows "ERRNO|CMD;CMD...|DESC[|-e]" (the arguments, or lines
# from stdin): each CMD is refused with ERRNO and changes no container
bad() {
	[ $# -eq 0 ] || { printf '%s\n' "$@" >/tmp/rows.b && bad </tmp/rows.b; return; }
	while IFS='|' read -r b_err b_cmds b_desc b_e; do
		eval "b_want=\$$b_err" && b_why=
		b_ifs=$IFS && IFS=';' && set -f && set -- $b_cmds && set +f && IFS=$b_ifs
		for c in "$@"; do
			snap before && ctl "$c" "$b_e"; snap after
			if [ $ctl_st -eq 0 ]; then b_why="$b_why '$c' succeeded;"
			elif [ "${ctl_msg%"$b_want"}" = "$ctl_msg" ]; then b_why="$b_why '$c': got '$ctl_msg';"
			elif ! cmp -s /tmp/snap.before /tmp/snap.after; then b_why="$b_why '$c' changed the containers;"; fi
		done
		t_if "rejects $b_desc ($b_err)" '[ -z "$b_why" ]' "rejects $b_desc ($b_err):$b_why"
	done
}
# figs: check "@case ID PHASE" lines and vec/ files in /tmp/got against
# /expect.tsv (e2e-figs.awk), a check per case
figs() {
	awk -F'\t' -v kr="$KVREALLOC" -f /e2e-figs.awk /expect.tsv /tmp/got >/tmp/figs
	while read -r c_st c_msg; do if [ "$c_st" = ok ]; then t_ok "$c_msg"; else t_fail "${c_msg#ok }"; fi; done </tmp/figs
}
meminfo() { awk -v k="$1:" '$1 == k {print $2}' /proc/meminfo; } # in kB
modloaded() { grep -q "^$1 " /proc/modules; }
load() { insmod /kvgrow.ko && insmod /kvgrow_lab.ko "$@"; } # insmod resolves nothing
# rmmod_retry MOD: a reader holding a file open makes rmmod fail for a moment
rmmod_retry() { for n in $(seq 200); do rmmod "$1" 2>/tmp/rmmod.err && return; sleep 0.05; done; return 1; }
cs() { cut -d' ' -f1 /proc/uptime | tr -d .; } # uptime in centiseconds
timed() { t0=$(cs); "$@"; st=$?; dt=$(($(cs) - t0)); } # timed CMD: $st, $dt (cs)
# readers: cat every file of both modules until stop_readers
reader() { while [ ! -e /tmp/stop-readers ]; do cat $K/* $K/*/* $L/scenarios/* >/dev/null 2>&1; done; }
start_readers() { rm -f /tmp/stop-readers; reader & r1=$!; reader & r2=$!; }
stop_readers() { touch /tmp/stop-readers; wait "$r1" "$r2"; }

# gen SEED N: N commands from the control grammar, with small arguments, 1 in
# 5 an extreme one (0, limits, limit + 1, 2^64, signs, hex), and 1 in 4
# commands mutated (a field dropped, doubled, or replaced by garbage).
gen() {
	awk -v seed="$1" -v n="$2" 'function pick(a, k) { return a[int(rand() * k) + 1] }
	function num(max) { return rand() < 0.2 ? pick(ext, next_) : int(rand() * max) }
	BEGIN { srand(seed)
		nc = split("create append clip destroy map-create map-insert map-delete map-churn map-shrink map-clear scenario-policy scenario-oom scenario-churn scenario-retention scenario-nested", cmd, " ")
		np = split("kvg go119 go-legacy factor:3/2 factor:1000/999 exact pow2 kvgg factor:1/1", pol, " ")
		next_ = split("0 1 2 7 8 65536 65537 4294967295 4294967296 18446744073709551615 18446744073709551616 -1 0x10 +5 007 9999999999", ext, " ")
		ng = split("x . .. a/b \t", junk, " ")
		for (i = 0; i < n; i++) {
			c = pick(cmd, nc); nm = "f" int(rand() * 6)
			if (c == "create") l = c " " nm " " pick(pol, np) " " (1 + num(64)) " " num(500)
			else if (c == "append") l = c " " nm " " num(3000) " " (1 + num(50))
			else if (c == "map-create") l = c " " nm " " num(1000) " " (rand() < 0.33 ? "go" : rand() < 0.5 ? "go119" : "kvg")
			else if (c == "map-insert" || c == "map-delete") l = c " " nm " " num(3000) " " num(3000)
			else if (c == "map-churn") l = c " " nm " " (1 + num(500)) " " num(3000)
			else if (c ~ /^scenario/) l = c " " (1 + num(300)) " " (1 + num(300))
			else l = c " " nm
			if (rand() < 0.25) {
				k = split(l, f, " "); j = int(rand() * k) + 1; r = rand(); l = ""
				for (m = 1; m <= k; m++) if (m != j || r >= 0.3) {
					w = (m == j && r >= 0.6) ? pick(junk, ng) : f[m]
					l = l (l == "" ? "" : " ") w (m == j && r < 0.6 ? " " w : "") }
			}
			print l } }'
}
