#!/bin/bash
# usage: scripts/kunit-uml.sh [--kunitconfig DIR|FILE] [--filter GLOB] [--json OUT]
#   Build the kvgrow KUnit suites into a UML kernel with KASAN, from Debian's
#   linux-source-6.1, run them with kunit.py and print one closing line:
#     uml-kasan-6.1: N passed, M failed[, K skipped]
#   N/M/K count leaf test cases (each parameterised case on its own).
#   Exits non-zero on any failure, a parser error, no test run, or a KASAN
#   report in the log. Defaults: --kunitconfig <repo>/kunit, --filter 'kvgrow*',
#   --json <build dir>/kunit.json.
#   The source tree is extracted once into $KVG_CACHE/linux-source-6.1 and the
#   build directory $KVG_CACHE/uml-<hash> is reused across runs.
set -euo pipefail
# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR/..
. "$(dirname "$0")/lib.sh"

series=6.1
kunitconfig=$KVG_ROOT/kunit
filter='kvgrow*'
json=
while [ $# -gt 1 ]; do
	case $1 in
	--kunitconfig) kunitconfig=$2 ;;
	--filter) filter=$2 ;;
	--json) json=$2 ;;
	*) usage ;;
	esac
	shift 2
done
[ $# -eq 0 ] || usage
kcfile=$kunitconfig
[ -d "$kcfile" ] && kcfile=$kcfile/.kunitconfig
[ -f "$kcfile" ] || die "no kunitconfig: $kcfile"
kunitconfig=$(realpath "$kunitconfig")

ksrc=$(linux_source "$series") || exit 2
srcver=$(cat "$ksrc/.kvg-version")

hash=$( (cat "$kcfile"; echo "$srcver") | sha256sum | cut -c1-12)
build=$KVG_CACHE/uml-$hash
json=$(realpath -m "${json:-$build/kunit.json}")
mkdir -p "$build"
rm -f "$json" "$build/test.log"

rc=0
python3 "$ksrc/tools/testing/kunit/kunit.py" run --kunitconfig="$kunitconfig" \
	--build_dir="$build" --jobs=2 --json="$json" \
	--kernel_args kasan_multi_shot "$filter" 2>&1 | tee "$build/kunit.log" || rc=$?

bad=0
[ "$rc" -eq 0 ] || { log "kunit.py exited $rc"; bad=1; }
if grep -q '\[ERROR\]' "$build/kunit.log"; then log "kunit.py reported parser errors"; bad=1; fi
if grep -qs 'BUG: KASAN' "$build/test.log" "$build/kunit.log"; then log "KASAN report in the log"; bad=1; fi

python3 - "$json" "uml-kasan-$series" "$bad" <<'EOF' || exit 1
import json, sys
path, label, bad = sys.argv[1], sys.argv[2], int(sys.argv[3])
try:
    with open(path) as f:
        root = json.load(f)
except (OSError, ValueError) as e:
    sys.exit(f"kunit-uml.sh: cannot read results: {e}")
n = {"PASS": 0, "FAIL": 0, "SKIP": 0}
def walk(group):
    for case in group["test_cases"]:
        st = case["status"]
        n[st if st in n else "FAIL"] += 1   # ERROR (crash) counts as failed
    for sub in group["sub_groups"]:
        walk(sub)
walk(root)
line = f"{label}: {n['PASS']} passed, {n['FAIL']} failed"
print(line + (f", {n['SKIP']} skipped" if n["SKIP"] else ""))
total = sum(n.values())
if total == 0:
    print("kunit-uml.sh: no test ran", file=sys.stderr)
sys.exit(1 if bad or n["FAIL"] or total == 0 else 0)
EOF
