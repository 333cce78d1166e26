#!/bin/bash
# usage: scripts/kernels.sh [--build|--vmlinuz] [6.1|6.12|all]
#   Fetch Debian's stock amd64 kernel (image, headers, headers-common, kbuild)
#   for the series (default: all) without installing it: the packages are
#   unpacked into $KVG_CACHE/kernels/<KVER>/ (skipped when already there).
#   Prints one line per series:           <series> <KVER> <root dir>
#   With --build, the module build dir:   <root>/usr/src/linux-headers-<KVER>
#   With --vmlinuz, the kernel image:     <root>/boot/vmlinuz-<KVER>
#   Build a module with: make -C "$(scripts/kernels.sh --build 6.12)" M=$PWD
set -euo pipefail
# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR/..
. "$(dirname "$0")/lib.sh"

what=root
case ${1-} in
--build | --vmlinuz) what=${1#--}; shift ;;
-*) usage ;;
esac
[ $# -le 1 ] || usage
case ${1:-all} in
6.1 | 6.12) series=("$1") ;;
all) series=(6.1 6.12) ;;
*) usage ;;
esac

# meta-packages for each series: image, headers
meta() {
	case $1 in
	6.1) echo linux-image-amd64 linux-headers-amd64 ;;
	6.12) echo linux-image-6.12-amd64 linux-headers-6.12-amd64 ;;
	esac
}

# pick REGEX: the first dependency matching REGEX in `apt-cache depends` output on stdin
pick() { awk -v re="^($1)\$" '$1 ~ /Depends:$/ && $2 ~ re { print $2; exit }'; }

fetch() {
	local s=$1 v=${1//./[.]} dep img hdr kver root tmp pkgs
	img=$(pick "linux-image-${v}[.-].*" <<<"$metadeps")
	hdr=$(pick "linux-headers-${v}[.-].*" <<<"$metadeps")
	[ -n "$img" ] || die "cannot resolve $(meta "$s")"
	[ -n "$hdr" ] || die "cannot resolve $(meta "$s")"
	kver=${img#linux-image-}
	root=$KVG_CACHE/kernels/$kver
	if [ ! -e "$root/.kvg-done" ]; then
		log "fetching $kver"
		dep=$(apt-cache depends "$hdr")
		pkgs=("$img" "$hdr" "$(pick 'linux-headers-.*-common' <<<"$dep")"
			"$(pick 'linux-kbuild-.*' <<<"$dep")")
		rm -rf "$root"
		mkdir -p "$root"
		tmp=$(mktemp -d "$KVG_CACHE/kernels/.dl.XXXXXX")
		# (as root, apt notes that the download is unsandboxed: hide that)
		(cd "$tmp" && apt-get -qq download "${pkgs[@]}") >"$tmp/log" 2>&1 ||
			{ cat "$tmp/log" >&2; die "download of ${pkgs[*]} failed"; }
		for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$root"; done
		rm -rf "$tmp"
		sed -i "s|^include /usr/src/|include $root/usr/src/|" \
			"$root/usr/src/linux-headers-$kver/Makefile"
		touch "$root/.kvg-done"
	fi
	case $what in
	root) echo "$s $kver $root" ;;
	build) echo "$root/usr/src/linux-headers-$kver" ;;
	vmlinuz) echo "$root/boot/vmlinuz-$kver" ;;
	esac
}

deps build-essential dwarves  # pahole: 6.12 adds BTF to modules
# shellcheck disable=SC2046
resolve() { metadeps=$(apt-cache depends $(for s in "${series[@]}"; do meta "$s"; done) 2>/dev/null); }
resolve
# a fresh machine may have no package lists yet
if ! grep -q Depends: <<<"$metadeps"; then
	as_root apt-get -qq -o DPkg::Lock::Timeout=900 update
	resolve
fi
for s in "${series[@]}"; do
	fetch "$s"
done
