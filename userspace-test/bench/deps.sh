#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# usage: userspace-test/bench/deps.sh
#   Install the Debian 12 packages `make bench` needs that are missing (the
#   peers, their compilers, gnuplot for the chart).  Idempotent and silent
#   when all are present; uses sudo when not root.
set -euo pipefail

pkgs=(libhts-dev libbwa-dev libabsl-dev libboost1.81-dev libglib2.0-dev libstb-dev golang-go g++
	gnuplot-nox pkg-config)

missing=()
for p in "${pkgs[@]}"; do
	dpkg -s "$p" 2>/dev/null | grep -qx 'Status: install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=900)
echo "bench: installing ${missing[*]}" >&2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
install() { "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >"$out" 2>&1; }
# A fresh machine may have no package lists yet: update once, then retry.
if ! install; then
	"${apt[@]}" update >"$out" 2>&1 || { cat "$out" >&2; exit 1; }
	install || { cat "$out" >&2; exit 1; }
fi
