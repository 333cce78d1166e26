#!/bin/bash
# usage: scripts/test-accel.sh
#   Host-side checks of the qemu accelerator choice (accel_resolve in
#   scripts/lib.sh), each in a private mount namespace whose /dev holds only
#   null, zero, full, random, urandom, tty, ptmx, shm/, pts/ and the fd
#   links, plus:
#     broken  a /dev/kvm that opens but cannot work (/dev/null bound on it)
#     none    no /dev/kvm at all
#   In both, the automatic choice must be TCG, with the reason, and Debian's
#   6.12 kernel must boot under it through scripts/vm-run.sh; KVG_ACCEL=kvm
#   must fail at once with qemu's message (never hang, never boot);
#   KVG_ACCEL=tcg must skip the probe; a bad KVG_ACCEL is refused.
#   Without root or without mount namespaces, the namespace cases are skipped,
#   each with the reason.  Ends with "N passed, M failed[, K skipped]".
#   `scripts/test-accel.sh --run broken|none CMD...` runs any command in
#   such a namespace (as root): e.g. `make check` against a broken /dev/kvm.
set -uo pipefail
# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR/..
. "$(dirname "$0")/lib.sh"

# `test-accel.sh --run broken|none CMD...`: CMD in a new mount namespace.
if [ "${1-}" = --run ] && [ $# -ge 3 ]; then
	exec unshare -m --propagation private "$0" --in-ns "${@:2}"
fi
# In the namespace: `test-accel.sh --in-ns broken|none CMD...`
if [ "${1-}" = --in-ns ]; then
	mode=$2
	shift 2
	d=$(mktemp -d "${TMPDIR:-/tmp}/kvg-dev.XXXXXX")
	mount -t tmpfs -o mode=755 tmpfs "$d" || exit 97
	for n in null zero full random urandom tty; do
		[ -e "/dev/$n" ] || continue
		touch "$d/$n" && mount --bind "/dev/$n" "$d/$n" || exit 97
	done
	for n in shm pts; do
		[ -d "/dev/$n" ] || continue
		mkdir "$d/$n" && mount --rbind "/dev/$n" "$d/$n" || exit 97
	done
	# ptys from the bound devpts itself, as in a container: tmux needs them
	ln -s pts/ptmx "$d/ptmx"
	ln -s /proc/self/fd "$d/fd"
	ln -s fd/0 "$d/stdin" && ln -s fd/1 "$d/stdout" && ln -s fd/2 "$d/stderr"
	if [ "$mode" = broken ]; then
		touch "$d/kvm" && mount --bind /dev/null "$d/kvm" || exit 97
	fi
	mount --rbind "$d" /dev || exit 97
	exec "$@"
fi
[ $# -eq 0 ] || usage

# shellcheck source=scripts/testlib.sh
. "$KVG_ROOT/scripts/testlib.sh"
unset KVG_ACCEL KVG_ACCEL_USED KVG_ACCEL_WHY KVG_VM_TIMEOUT
deps qemu-system-x86 busybox-static cpio
work=$(mktemp -d "${TMPDIR:-/tmp}/kvg-accel.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The decision alone, as "USED|WHY" on stdout (accel_resolve's line on stderr).
cat >"$work/decide.sh" <<EOF
. "$KVG_ROOT/scripts/lib.sh"
accel_resolve && echo "\$KVG_ACCEL_USED|\$KVG_ACCEL_WHY"
EOF
printf 'echo accel-test: the guest runs\nexit 0\n' >"$work/guest.sh"

why_ns=
if [ "$(id -u)" -ne 0 ]; then
	why_ns="not root: a private /dev needs mount namespaces"
elif ! out=$(unshare -m --propagation private "$0" --in-ns none true 2>&1); then
	why_ns="no private mount namespace here: ${out:-unshare failed}"
fi

# in_ns MODE CMD...: CMD in a namespace with that /dev (stdout and stderr kept)
in_ns() {
	local mode=$1
	shift
	unshare -m --propagation private "$0" --in-ns "$mode" "$@"
}

vmlinuz=
for mode in broken none; do
	if [ -n "$why_ns" ]; then
		for c in "auto chooses TCG" "the VM boots under TCG" "KVG_ACCEL=kvm fails" \
			"KVG_ACCEL=tcg skips the probe"; do
			t_skip "$mode /dev/kvm: $c: $why_ns"
		done
		continue
	fi
	# the automatic choice
	got=$(in_ns "$mode" bash "$work/decide.sh" 2>"$work/err")
	case $mode in
	broken) want_why="KVM unusable: qemu exited *" ;;
	none) want_why="KVM unusable: no /dev/kvm" ;;
	esac
	# shellcheck disable=SC2254
	case $got in
	"tcg|"$want_why) t_ok "$mode /dev/kvm: auto chooses TCG (${got#*|})" ;;
	*) t_fail "$mode /dev/kvm: auto chose '$got', want tcg|$want_why; $(cat "$work/err")" ;;
	esac
	grep -q "qemu accelerator: TCG (" "$work/err" &&
		t_ok "$mode /dev/kvm: the choice is said in one line" ||
		t_fail "$mode /dev/kvm: no 'qemu accelerator: TCG' line in: $(cat "$work/err")"

	# a real boot under that choice
	if [ -z "$vmlinuz" ]; then
		vmlinuz=$("$KVG_ROOT/scripts/kernels.sh" --vmlinuz 6.12) || vmlinuz=
	fi
	if [ -z "$vmlinuz" ]; then
		t_fail "$mode /dev/kvm: cannot fetch Debian's 6.12 kernel to boot"
	else
		rc=0
		in_ns "$mode" "$KVG_ROOT/scripts/vm-run.sh" --kernel "$vmlinuz" \
			--script "$work/guest.sh" --timeout 240 >"$work/console" 2>"$work/err" || rc=$?
		if [ "$rc" -eq 0 ] && grep -q 'accel-test: the guest runs$' "$work/console" &&
			grep -q "qemu accelerator: TCG" "$work/err"; then
			t_ok "$mode /dev/kvm: Debian 6.12 boots under TCG through vm-run.sh"
		else
			t_fail "$mode /dev/kvm: vm-run.sh exited $rc; $(tail -n 3 "$work/err" | tr '\n' ' ')"
		fi
	fi

	# forced KVM: an error with qemu's message, in seconds
	start=$SECONDS rc=0
	KVG_ACCEL=kvm in_ns "$mode" "$KVG_ROOT/scripts/vm-run.sh" --kernel "$work/guest.sh" \
		--script "$work/guest.sh" >"$work/console" 2>"$work/err" || rc=$?
	case $mode in
	broken) want="KVG_ACCEL=kvm, but KVM does not work here: qemu exited 1: *kvm*" ;;
	none) want="KVG_ACCEL=kvm, but KVM does not work here: no /dev/kvm" ;;
	esac
	# shellcheck disable=SC2254
	case "$rc $(cat "$work/err")" in
	"2 vm-run.sh: "$want) t_ok "$mode /dev/kvm: KVG_ACCEL=kvm fails in $((SECONDS - start)) s with qemu's message" ;;
	*) t_fail "$mode /dev/kvm: KVG_ACCEL=kvm: exit $rc, '$(cat "$work/err")'" ;;
	esac

	got=$(KVG_ACCEL=tcg in_ns "$mode" bash "$work/decide.sh" 2>/dev/null)
	t_eq "$got" "tcg|KVG_ACCEL=tcg" "$mode /dev/kvm: KVG_ACCEL=tcg skips the probe"
done

rc=0
KVG_ACCEL=qemu64 bash "$work/decide.sh" >/dev/null 2>"$work/err" || rc=$?
t_eq "$rc $(cat "$work/err")" \
	"2 decide.sh: KVG_ACCEL must be kvm, tcg or empty (auto), not 'qemu64'" \
	"a bad KVG_ACCEL is refused"

# This machine as it is: not a check (either answer is right), but said.
echo "# this machine: $(bash "$work/decide.sh" 2>/dev/null)"
t_done
