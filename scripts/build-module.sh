#!/bin/bash
# usage: scripts/build-module.sh KDIR [BUILD_DIR]
#   Build kvgrow.ko, kvgrow_lab.ko, kvgrow_example.ko and the test module
#   kvgrow_stress.ko against the kernel build tree KDIR,
#   with W=1 and (when sparse is installed) C=1, in a scratch copy under
#   BUILD_DIR/module/<kernel release>/, so the repository stays free of
#   objects.  Prints the .ko paths; the log is build.log beside them.  Fails
#   on any compiler or sparse warning.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || usage
kdir=$(realpath "$1")
build=$(realpath -m "${2:-$KVG_ROOT/build}")
krel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
	"$kdir/include/generated/utsrelease.h" 2>/dev/null) && [ -n "$krel" ] ||
	die "$kdir is not a configured kernel build tree"
out=$build/module/$krel

mkdir -p "$out"
rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
	--exclude=build.log "$KVG_ROOT/Kbuild" "$KVG_ROOT/kvgrow.mk" \
	"$KVG_ROOT/include" "$KVG_ROOT/lib" "$KVG_ROOT/kmod" "$out/"
mkdir -p "$out/scripts"
cp "$KVG_ROOT/scripts/kvrealloc-probe.sh" "$out/scripts/"
check=() arch=()
command -v sparse >/dev/null && check=(C=1 CHECK=sparse)
# a UML build tree (scripts/fault-uml.sh) needs ARCH=um
grep -qs '^CONFIG_UML=y' "$kdir/.config" && arch=(ARCH=um)
if ! make -C "$kdir" "${arch[@]}" M="$out" W=1 "${check[@]}" modules >"$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	die "build against $krel failed"
fi
if grep -E 'warning:|error:' "$out/build.log" >&2; then
	die "warnings building against $krel (see $out/build.log)"
fi
echo "$out/kvgrow.ko"
echo "$out/kmod/lab/kvgrow_lab.ko"
echo "$out/kmod/example/kvgrow_example.ko"
echo "$out/kmod/stress/kvgrow_stress.ko"
