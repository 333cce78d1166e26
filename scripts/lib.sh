# shellcheck shell=bash
# Shared helpers for the kvgrow scripts: source it, don't run it.
#   KVG_ROOT   the repository root (the directory holding scripts/)
#   KVG_CACHE  everything downloaded or built, outside the repository
#              (default: $HOME/.cache/kvgrow)

KVG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KVG_CACHE=${KVG_CACHE:-$HOME/.cache/kvgrow}
export KVG_CACHE

die() { echo "${0##*/}: $*" >&2; exit 2; }
log() { echo "${0##*/}: $*" >&2; }

# usage: print the calling script's header comment and exit 2.
usage() { sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit 2; }

# as_root CMD...: run CMD as root (through sudo when needed).
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# deps PKG...: install the Debian packages that are missing (see deps.sh).
deps() { "$KVG_ROOT/scripts/deps.sh" "$@"; }

# linux_source SERIES: Debian's linux-source-SERIES, extracted once (again
# when the package changes) into $KVG_CACHE/linux-source-SERIES, with the
# project hooked in as kunit.py needs it: a symlink lib/kvgrow -> the
# repository, and one line each in lib/Kconfig and lib/Makefile (inert
# unless CONFIG_KVGROW_KUNIT_TEST is set).  Prints the tree's path.
linux_source() {
	local series=$1 srcver ksrc tmp
	deps build-essential flex bison bc libelf-dev libssl-dev python3 rsync xz-utils \
		"linux-source-$series"
	srcver=$(dpkg-query -W -f='${Version}' "linux-source-$series")
	ksrc=$KVG_CACHE/linux-source-$series
	if [ "$(cat "$ksrc/.kvg-version" 2>/dev/null)" != "$srcver" ]; then
		log "extracting linux-source-$series $srcver into $ksrc"
		mkdir -p "$KVG_CACHE"
		tmp=$(mktemp -d "$KVG_CACHE/.extract.XXXXXX")
		tar -xJf "/usr/src/linux-source-$series.tar.xz" -C "$tmp"
		echo "$srcver" >"$tmp/linux-source-$series/.kvg-version"
		rm -rf "$ksrc"
		mv "$tmp/linux-source-$series" "$ksrc"
		rmdir "$tmp"
	fi
	ln -sfn "$KVG_ROOT" "$ksrc/lib/kvgrow"
	grep -qxF 'source "lib/kvgrow/kunit/Kconfig"' "$ksrc/lib/Kconfig" ||
		echo 'source "lib/kvgrow/kunit/Kconfig"' >>"$ksrc/lib/Kconfig"
	grep -qxF 'obj-y += kvgrow/kunit/' "$ksrc/lib/Makefile" ||
		echo 'obj-y += kvgrow/kunit/' >>"$ksrc/lib/Makefile"
	echo "$ksrc"
}

# pack_initramfs OUT SCRIPT [FILE...]: a busybox initramfs (gzip'ed newc
# cpio) at OUT.  FILEs are copied into / by their base names, SCRIPT as
# /test.sh.  Its /init mounts proc, sysfs, devtmpfs, debugfs and tracefs,
# runs `/bin/sh /test.sh` in /, prints the kernel log between
# "---- dmesg ----" and "---- end dmesg ----" if it failed, then
# "vm-run: test script exited RC", reports RC to qemu through
# isa-debug-exit (where there is one: not under UML) and powers off.
pack_initramfs() {
	local out=$1 script=$2 root applet
	shift 2
	deps busybox-static cpio
	root=$(mktemp -d "${TMPDIR:-/tmp}/kvg-initrd.XXXXXX")
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp}
	cp /bin/busybox "$root/bin/busybox"
	for applet in $(/bin/busybox --list-full); do
		[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
	done
	[ $# -eq 0 ] || cp "$@" "$root/"
	cp "$script" "$root/test.sh"
	cat >"$root/init" <<'EOF'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
cd /
/bin/sh /test.sh
rc=$?
[ $rc -le 127 ] || rc=127
if [ $rc -ne 0 ]; then
	echo "---- dmesg ----"
	dmesg -s 4194304
	echo "---- end dmesg ----"
fi
echo "vm-run: test script exited $rc"
# isa-debug-exit at 0xf4 (244): qemu exits with (rc << 1) | 1
[ -e /dev/port ] &&
	printf "$(printf '\\%03o' $rc)" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
poweroff -f
EOF
	chmod +x "$root/init" "$root/test.sh"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
	rm -rf "$root"
}

# ---------------------------------------------------------------------------
# The qemu accelerator: one decision for every VM of a run (vm-run.sh,
# demo.sh, check-kernel.sh, check.sh, through accel_resolve).
#
# A writable /dev/kvm proves nothing: under nested virtualisation it opens,
# and then `-enable-kvm -cpu host` aborts (failed to set MSR 0x10a) or the
# guest stops with "KVM internal error".  So KVM is chosen only when a probe
# guest really runs under it: a 512-byte boot sector that writes 0x2a to
# isa-debug-exit, so that qemu exits with (0x2a << 1) | 1 = 85.  Otherwise
# TCG.  KVG_ACCEL=kvm|tcg forces a choice; a forced KVM that fails is an
# error with qemu's message.  The decision is exported, so the VMs of one run
# (and the scripts they call) probe once:
#   KVG_ACCEL_USED  kvm or tcg
#   KVG_ACCEL_WHY   why, in a few words (printed once, by accel_resolve)
# Probe guest's time limit: KVG_ACCEL_PROBE_TIMEOUT (seconds, default 20; a
# KVM boot of it takes well under a second).

# accel_probe: 0 when a KVM guest runs here; otherwise 1, and the reason in
# $accel_err (qemu's own message when qemu said one).
accel_probe() {
	local img rc=0 out
	accel_err=
	if [ ! -e /dev/kvm ]; then accel_err="no /dev/kvm"; return 1; fi
	if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
		accel_err="/dev/kvm is not readable and writable by $(id -un)"
		return 1
	fi
	img=$(mktemp "${TMPDIR:-/tmp}/kvg-probe.XXXXXX")
	out=$img.out
	# mov al, 0x2a; out 0xf4, al; hlt; jmp $-1; ... 0x55 0xaa
	{ printf '\260\052\346\364\364\353\375'; head -c 503 /dev/zero; printf '\125\252'; } >"$img"
	timeout "${KVG_ACCEL_PROBE_TIMEOUT:-20}" qemu-system-x86_64 -enable-kvm -cpu host -m 16 \
		-display none -serial none -monitor none -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive "file=$img,format=raw,if=ide,index=0" </dev/null >"$out" 2>&1 || rc=$?
	if [ "$rc" -ne 85 ]; then
		accel_err=$(grep -v '^ *$' "$out" | head -n 2 | paste -sd ';' | sed 's/;/; /g')
		case $rc in
		124) accel_err="the probe guest did not finish in ${KVG_ACCEL_PROBE_TIMEOUT:-20} s${accel_err:+: $accel_err}" ;;
		*) accel_err="qemu exited $rc${accel_err:+: $accel_err}" ;;
		esac
	fi
	rm -f "$img" "$out"
	[ "$rc" -eq 85 ]
}

# accel_resolve: decide once (unless KVG_ACCEL_USED is already set), export
# the decision, and say it in one line on stderr.  Dies on a bad KVG_ACCEL or
# a forced KVM that does not work.
accel_resolve() {
	case ${KVG_ACCEL_USED-} in kvm | tcg) return 0 ;; esac
	command -v qemu-system-x86_64 >/dev/null || deps qemu-system-x86
	case ${KVG_ACCEL:-auto} in
	tcg) KVG_ACCEL_USED=tcg KVG_ACCEL_WHY="KVG_ACCEL=tcg" ;;
	kvm)
		accel_probe || die "KVG_ACCEL=kvm, but KVM does not work here: $accel_err"
		KVG_ACCEL_USED=kvm KVG_ACCEL_WHY="KVG_ACCEL=kvm; a probe guest ran"
		;;
	auto)
		if accel_probe; then
			KVG_ACCEL_USED=kvm KVG_ACCEL_WHY="a probe guest ran under KVM"
		else
			KVG_ACCEL_USED=tcg KVG_ACCEL_WHY="KVM unusable: $accel_err"
		fi
		;;
	*) die "KVG_ACCEL must be kvm, tcg or empty (auto), not '$KVG_ACCEL'" ;;
	esac
	export KVG_ACCEL_USED KVG_ACCEL_WHY
	log "qemu accelerator: ${KVG_ACCEL_USED^^} ($KVG_ACCEL_WHY)"
}

# accel_args: qemu's accelerator options for the decision (after accel_resolve).
accel_args() {
	case $KVG_ACCEL_USED in
	kvm) echo "-enable-kvm -cpu host" ;;
	tcg) echo "-accel tcg" ;;
	esac
}

# accel_timeout KVM_S TCG_S: the VM time limit for the decision (after
# accel_resolve); KVG_VM_TIMEOUT overrides both.
accel_timeout() {
	if [ -n "${KVG_VM_TIMEOUT-}" ]; then echo "$KVG_VM_TIMEOUT"; return; fi
	case $KVG_ACCEL_USED in kvm) echo "$1" ;; *) echo "$2" ;; esac
}
