#!/bin/bash
# usage: scripts/vm-run.sh --kernel VMLINUZ --ko A.ko[,B.ko...] --script TEST.sh
#                          [--extra FILE[,FILE...]]... [--timeout S] [--log FILE]
#                          [--append "KERNEL ARGS"] [--smp N]
#   Boot VMLINUZ under qemu (-m 1G, N CPUs (default 1)) with a busybox
#   initramfs, under KVM where a probe guest runs, else TCG (accel_resolve in
#   scripts/lib.sh: KVG_ACCEL=kvm|tcg forces one).
#   The .ko files and extra files are copied into / by their base names (in
#   --ko order, which insmod needs: it resolves no dependencies); /init mounts
#   proc, sysfs, devtmpfs, debugfs and tracefs, then runs `/bin/sh TEST.sh` in /
#   and reports its exit status to qemu through isa-debug-exit. On failure it
#   also prints the kernel log between "---- dmesg ----" and "---- end dmesg ----".
#   The console (without CRs) goes to stdout, and also to --log FILE if given.
#   Exits with the script's status (0 = pass; statuses above 127 become 127),
#   98 if the VM was killed by its timeout, 99 if it died without reporting a
#   status (panic, qemu error), 2 on a usage error or a forced KVM that fails.
#   Default --timeout: 300 s.
set -euo pipefail
# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR/..
. "$(dirname "$0")/lib.sh"

kernel='' script='' timeout=300 logf='' append='' smp=1
kos=() extras=()
while [ $# -gt 1 ]; do
	case $1 in
	--kernel) kernel=$2 ;;
	--ko) IFS=, read -ra a <<<"$2"; kos+=("${a[@]}") ;;
	--script) script=$2 ;;
	--extra) IFS=, read -ra a <<<"$2"; extras+=("${a[@]}") ;;
	--timeout) timeout=$2 ;;
	--log) logf=$2 ;;
	--append) append=$2 ;;
	--smp) smp=$2 ;;
	*) usage ;;
	esac
	shift 2
done
if [ $# -ne 0 ] || [ -z "$kernel" ] || [ -z "$script" ]; then usage; fi
for f in "$kernel" "$script" "${kos[@]}" "${extras[@]}"; do
	[ -f "$f" ] || die "no such file: $f"
done

deps qemu-system-x86 busybox-static cpio
accel_resolve

work=$(mktemp -d "${TMPDIR:-/tmp}/kvg-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT
pack_initramfs "$work/initrd.gz" "$script" "${kos[@]}" "${extras[@]}"

read -ra accel <<<"$(accel_args)"
out=${logf:-$work/console.log}
rc=0
timeout "$timeout" qemu-system-x86_64 "${accel[@]}" -m 1G -smp "$smp" -nographic \
	-no-reboot -monitor none -serial stdio \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$kernel" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 oops=panic loglevel=4 $append" </dev/null 2>&1 |
	tr -d '\r' | tee "$out" || rc=${PIPESTATUS[0]}

# qemu: 1 = reported 0; odd = reported (code >> 1); 0 = died (panic, poweroff)
if [ "$rc" -eq 124 ]; then
	log "VM killed by its ${timeout} s timeout (${KVG_ACCEL_USED^^})"; exit 98
elif [ $((rc & 1)) -eq 0 ]; then
	log "VM died without reporting a status (qemu exit $rc)"; exit 99
elif ! grep -qx "vm-run: test script exited $((rc >> 1))" "$out"; then
	log "no status line from /init (qemu exit $rc)"; exit 99
fi
exit $((rc >> 1))
