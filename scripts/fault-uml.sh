#!/bin/bash
# usage: scripts/fault-uml.sh [BUILD_DIR]
#   The kernel's own fault injection pointed at kvgrow from outside, in a
#   real kernel.  Debian's stock kernels have no fault injection, so this
#   builds a UML kernel from Debian's linux-source-6.1 with KASAN, FAILSLAB,
#   FAIL_PAGE_ALLOC and modules (scripts/uml-fault.config; once, into
#   $KVG_CACHE/uml-fault-<hash>), builds kvgrow.ko, kvgrow_lab.ko and
#   kvgrow_stress.ko against it (make module), and boots it with
#   scripts/fault-vm.sh as the test (pack_initramfs, scripts/lib.sh).  Ends
#   with "uml-fault-6.1: N passed, M failed" (the build counts as one check,
#   a UML that ends without its closing line as one failure).
#   Env: KVG_FAULT_TIMEOUT (seconds for the UML run, default 600).
#   Logs: BUILD_DIR/logs/uml-fault.{build,console}.log.
set -uo pipefail
# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR/..
. "$(dirname "$0")/lib.sh"

[ $# -le 1 ] || usage
build=$(realpath -m "${1:-$KVG_ROOT/build}")
logs=$build/logs
label=uml-fault-6.1
mkdir -p "$logs"
fail() { echo "$label: 0 passed, 1 failed ($*)"; exit 1; }

ksrc=$(linux_source 6.1) || fail "no linux-source-6.1"
cfg=$KVG_ROOT/scripts/uml-fault.config
hash=$( (cat "$cfg"; cat "$ksrc/.kvg-version") | sha256sum | cut -c1-12)
kdir=$KVG_CACHE/uml-fault-$hash
if [ ! -x "$kdir/linux" ]; then
	log "building the UML fault-injection kernel in $kdir (once: 5 to 10 minutes on 2 cores)"
	mkdir -p "$kdir"
	{
		grep '^CONFIG_' "$cfg" >"$kdir/.config" &&
			make -C "$ksrc" ARCH=um O="$kdir" olddefconfig &&
			make -C "$ksrc" ARCH=um O="$kdir" -j"$(nproc)"
	} >"$logs/uml-fault.build.log" 2>&1 || fail "kernel build failed; see $logs/uml-fault.build.log"
fi

kos=$(make -s -C "$KVG_ROOT" BUILD="$build" module KDIR="$kdir" 2>>"$logs/uml-fault.build.log") ||
	fail "module build failed; see $logs/uml-fault.build.log"
ko=$(grep '/kvgrow\.ko$' <<<"$kos")
lab=$(grep '/kvgrow_lab\.ko$' <<<"$kos")
st=$(grep '/kvgrow_stress\.ko$' <<<"$kos")

work=$(mktemp -d "${TMPDIR:-/tmp}/kvg-uml.XXXXXX")
trap 'rm -rf "$work"' EXIT
pack_initramfs "$work/initrd.gz" "$KVG_ROOT/scripts/fault-vm.sh" "$ko" "$lab" "$st" \
	"$KVG_ROOT/scripts/testlib.sh"
con=$logs/uml-fault.console.log
rc=0
# UML keeps its memory in a file under TMPDIR; the console on stdio.
TMPDIR=$work timeout "${KVG_FAULT_TIMEOUT:-600}" "$kdir/linux" mem=768M \
	initrd="$work/initrd.gz" console=tty quiet </dev/null 2>&1 |
	tr -d '\r' >"$con" || rc=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$con" | tail -n 1)
st_line=$(sed -n 's/^vm-run: test script exited \([0-9]*\)$/\1/p' "$con" | tail -n 1)
if [ -z "$line" ] || [ -z "$st_line" ]; then
	grep -E '^not ok|BUG|KASAN|Oops' "$con" | head -n 20 >&2
	[ "$rc" -ne 124 ] || fail "killed by its ${KVG_FAULT_TIMEOUT:-600} s timeout; see $con"
	fail "no result line (exit $rc); see $con"
fi
grep -E '^not ok|^#   ' "$con" | head -n 40 >&2
p=${line%% passed*} f=${line#*, } f=${f%% failed*}
[ "$st_line" -eq 0 ] || [ "$f" -gt 0 ] || f=1
echo "$label: $((p + 1)) passed, $f failed"
[ "$f" -eq 0 ]
