#!/bin/bash
# usage: scripts/demo.sh [BUILD_DIR]
#   The article's vector scenarios, computed by the library through
#   kvgrow-sim: growth policies side by side, and the x1.5 OOM story.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
build=${1:-$KVG_ROOT/build}

deps build-essential
make -C "$KVG_ROOT" -s BUILD="$build" "$build/kvgrow-sim"
sim=$build/kvgrow-sim

echo "== policy: one element at a time into an empty vector"
"$KVG_ROOT/scripts/policy-table.sh" "$build"

echo
echo "== oom: 10^6 x 8 B from a 16-element hint, x1.5 against kvg"
for p in factor:3/2 kvg; do
	printf '%-11s ' "$p"
	"$sim" vec --policy "$p" --elem-size 8 --n 1000000 --hint 16 | tail -1
done
echo "(data: 8000000 B; peak_footprint counts old and new block while one moves)"
