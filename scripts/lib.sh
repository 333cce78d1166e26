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
