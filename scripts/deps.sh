#!/bin/bash
# usage: scripts/deps.sh [PKG...]
#   Install the Debian packages (default: everything the kvgrow scripts use)
#   that are not installed yet. Quiet and idempotent: does nothing, prints
#   nothing, when all are present. Uses sudo when not root.
set -euo pipefail
# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR/..
. "$(dirname "$0")/lib.sh"

pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(build-essential flex bison bc libelf-dev libssl-dev
	python3 rsync xz-utils cpio busybox-static qemu-system-x86 linux-source-6.1
	dwarves sparse libncurses-dev tmux)

missing=()
for p in "${pkgs[@]}"; do
	dpkg -s "$p" 2>/dev/null | grep -qx 'Status: install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

apt=(as_root env DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=900)
log "installing ${missing[*]}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# A fresh machine may have no package lists yet: update once, then retry.
apt_install() { "${apt[@]}" install --no-install-recommends "${missing[@]}" >"$out" 2>&1; }
if ! apt_install; then
	"${apt[@]}" update >"$out" 2>&1 || { cat "$out" >&2; exit 1; }
	apt_install || { cat "$out" >&2; exit 1; }
fi
