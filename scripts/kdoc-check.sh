#!/bin/bash
# usage: scripts/kdoc-check.sh
#   Check kvgrow's kernel-doc, one counted check per file and rule, ending
#   with "N passed, M failed"; any warning is printed in full and fails.
#   - The kernel's scripts/kernel-doc -none over every public header
#     (include/kvgrow/*.h) and library source (lib/*.[ch], kmod/*.[ch], kmod/lab/*.[ch]),
#     twice: 6.1's with -Werror, and 6.12's with -Wall -Werror (-Wall adds
#     the missing-Return, short-description and contents-before-sections
#     warnings).  Both scripts come from Debian's linux-source-6.1 and
#     linux-source-6.12 (installed when missing) and are cached in
#     $KVG_CACHE/kernel-doc-<series>/.  If one cannot be had, that is a
#     failed check, not a skip.
#   - Every function exported with EXPORT_SYMBOL or EXPORT_SYMBOL_GPL in
#     lib/*.c and kmod/*.c, every static inline function in
#     include/kvgrow/*.h and every function-like kvg_* macro there (the
#     typed API: kvg_vec_push() and the like) has a kernel-doc comment
#     directly above its definition that starts "name() - ", with a
#     "Context:" section, and a "Return:" section unless the function
#     returns void.  Macros have no return type: each needs "Return:"
#     (void ones say "Return: Nothing."), except the kvg_*for_each* loops.
#   - kunit/Kconfig's help names every KUnit suite of kunit/*.c.
#   - Documentation/kvgrow.rst: every ".. kernel-doc::" directive names a
#     file under lib/kvgrow/ (the in-tree layout the rst is written for)
#     that exists here without that prefix; 6.12's kernel-doc -rst over it
#     (-export for :export:, -internal for :internal:) warns about nothing
#     and renders at least one item; every EXPORT_SYMBOL* of lib/*.c and
#     kmod/*.c is rendered by some directive, and every public header
#     with kernel-doc is named by one; and docutils parses the rst, its
#     kernel-doc directives blanked out, and each directive's kernel-doc
#     output, without a warning or error (python3-docutils is installed
#     when missing; Sphinx's C-domain directives stand in as containers).
set -uo pipefail
# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR/..
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/testlib.sh
. "$KVG_ROOT/scripts/testlib.sh"

[ $# -eq 0 ] || usage

# kdoc_script SERIES: print the path of SERIES' scripts/kernel-doc, from
# the cache or extracted anew (once per linux-source package version).
kdoc_script() {
	local series=$1 pkg=linux-source-$1 dir=$KVG_CACHE/kernel-doc-$1 ver tmp
	local tarball=/usr/src/linux-source-$1.tar.xz

	ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) || ver=
	if [ -z "$ver" ] || [ ! -f "$tarball" ]; then
		deps "$pkg" >&2 || return 1
		ver=$(dpkg-query -W -f='${Version}' "$pkg") || return 1
	fi
	if [ -x "$dir/kernel-doc" ] && [ "$(cat "$dir/version" 2>/dev/null)" = "$ver" ]; then
		echo "$dir/kernel-doc"
		return 0
	fi
	mkdir -p "$KVG_CACHE" || return 1
	tmp=$(mktemp -d "$KVG_CACHE/.kernel-doc-$series.XXXXXX") || return 1
	if ! tar -xJf "$tarball" -C "$tmp" --strip-components=2 \
		"linux-source-$series/scripts/kernel-doc" >&2 ||
		[ ! -s "$tmp/kernel-doc" ]; then
		rm -rf "$tmp"
		return 1
	fi
	echo "$ver" >"$tmp/version"
	rm -rf "$dir"
	mv "$tmp" "$dir" || { rm -rf "$tmp"; return 1; }
	echo "$dir/kernel-doc"
}

cd "$KVG_ROOT" || exit 2
kdoc_rst=
files=(include/kvgrow/*.h lib/*.c lib/*.h kmod/*.c kmod/*.h kmod/lab/*.c kmod/lab/*.h)

# 1. The kernel's kernel-doc, both series.
for series in 6.1 6.12; do
	if ! kdoc=$(kdoc_script "$series"); then
		t_fail "kernel-doc $series: cannot get scripts/kernel-doc from linux-source-$series"
		continue
	fi
	[ "$series" = 6.1 ] || kdoc_rst=$kdoc
	flags=(-none -Werror)
	[ "$series" = 6.1 ] || flags+=(-Wall)
	for f in "${files[@]}"; do
		out=$(env -u KCFLAGS -u KDOC_WERROR perl "$kdoc" "${flags[@]}" "$f" 2>&1)
		st=$?
		if [ "$st" -eq 0 ] && [ -z "$out" ]; then
			t_ok "kernel-doc $series ${flags[*]}: $f"
		else
			t_fail "kernel-doc $series ${flags[*]}: $f (exit $st)"
			printf '%s\n' "$out"
		fi
	done
done

# 2. Every exported or inline API function documented, with Context and
# Return.  The awk prints "ok|what" or "fail|what: why" per function.
# KIND=export: the names given in NAMES (space-separated) are defined in
# FILE; KIND=header: every static inline function and kvg_* macro of FILE.
kdoc_rules() {
	awk -v kind="$1" -v names=" $2 " '
	function check(name, type, macro, line,    why) {
		why = ""
		if (doc_end != line - 1 || doc !~ /^\/\*\*/)
			why = "no kernel-doc comment directly above"
		else if (index(doc, "\n * " name "() - ") != index(doc, "\n") ||
			 doc !~ /^\/\*\*\n \* [^\n]+\(\) - [^\n]*[^ \n]/)
			why = "first line is not \"" name "() - summary\""
		else if (doc !~ /\n \* Context: [^\n]*[^ \n]/)
			why = "no Context: section"
		else if (doc !~ /\n \* Return: [^\n]*[^ \n]/ &&
			 (macro ? name !~ /for_each/ : type !~ /(^|[ \t])void[ \t]*$/))
			why = "no Return: section"
		printf "%s|%s %s()%s\n", why ? "fail" : "ok", FILENAME, name,
		       why ? ": " why : ""
		done_names[name] = 1
	}
	/^\/\*/ { doc = ""; incomment = 1 }
	incomment {
		doc = doc (doc == "" ? "" : "\n") $0
		if ($0 ~ /\*\//) { incomment = 0; doc_end = FNR }
		next
	}
	# The name of the function defined on this line, its return type
	# (from the line before if none precedes it) and the line above both.
	function defn(    s) {
		s = $0
		if (!match(s, /[A-Za-z_0-9]+\(/))
			return 0
		name = substr(s, RSTART, RLENGTH - 1)
		type = substr(s, 1, RSTART - 1)
		top = FNR
		if (type == "") {
			type = prev
			top = FNR - 1
		}
		gsub(/[ \t]+$/, "", type)
		return 1
	}
	kind == "header" && /^static inline / && defn() {
		check(name, type, 0, top)
	}
	kind == "header" && /^#define kvg_[A-Za-z_0-9]+\(/ && defn() {
		check(name, "", 1, FNR)
	}
	kind == "export" && /^[A-Za-z_]/ && !/^EXPORT_SYMBOL/ && !/;[ \t]*$/ &&
	    defn() && index(names, " " name " ") && !(name in done_names) {
		check(name, type, 0, top)
	}
	{ prev = $0 }
	END {
		n = split(names, want, " ")
		for (i = 1; i <= n; i++)
			if (!(want[i] in done_names))
				printf "fail|%s %s(): exported, no definition found\n",
				       FILENAME, want[i]
	}' "$3"
}

report() {
	local line
	while IFS= read -r line; do
		case $line in
		ok\|*) t_ok "documented: ${line#ok|}" ;;
		*) t_fail "documented: ${line#fail|}" ;;
		esac
	done
}

for f in lib/*.c kmod/*.c kmod/lab/*.c; do
	names=$(sed -n 's/^EXPORT_SYMBOL\(_GPL\)\{0,1\}(\([A-Za-z_0-9]*\));.*/\2/p' "$f" | tr '\n' ' ')
	[ -n "$names" ] || continue
	report < <(kdoc_rules export "$names" "$f")
done
for f in include/kvgrow/*.h; do
	report < <(kdoc_rules header "" "$f")
done

for f in kunit/*_kunit.c; do
	while IFS= read -r suite; do
		if grep -qw -- "$suite" kunit/Kconfig; then
			t_ok "kunit/Kconfig names suite $suite ($f)"
		else
			t_fail "kunit/Kconfig names suite $suite ($f): it does not"
		fi
	done < <(sed -n 's/^[[:space:]]*\.name = "\([^"]*\)",.*/\1/p' "$f")
done

# 4. Documentation/kvgrow.rst.  Its kernel-doc directives name files from
# the root of a kernel tree holding the repository at lib/kvgrow/.  The
# Sphinx version is fixed, so the rendering (c:macro for macros) and these
# checks do not depend on what is installed.
rst=Documentation/kvgrow.rst
sphinx_version=3.4.3
rendered=$(mktemp)
trap 'rm -f "$rendered" "$rendered.out"' EXIT
declare -A named=()

# "LINE PATH OPTION..." for each directive: its option lines follow it,
# indented, as ":name:" or ":name: value".
rst_directives() {
	awk '
	function flush() { if (d != "") print d; d = "" }
	/^\.\. kernel-doc::/ { flush(); d = FNR " " $3; next }
	d != "" && /^[ \t]+:[A-Za-z-]+:/ { sub(/^[ \t]+/, ""); d = d " " $1; next }
	{ flush() }
	END { flush() }' "$1"
}

# A python3 with docutils, installed when missing.
py=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import docutils' 2>/dev/null; then py=$p; break; fi
done
if [ -z "$py" ] && deps python3-docutils >&2 &&
	/usr/bin/python3 -c 'import docutils' 2>/dev/null; then
	py=/usr/bin/python3
fi

# rst_parse NAME: parse reStructuredText from stdin with docutils and
# print its warnings and errors (as from file NAME).  Sphinx's C-domain
# directives, which kernel-doc's output uses and docutils lacks, stand in
# as containers whose content is parsed as usual.
rst_parse() {
	"$py" -c '
import io, sys
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives

class CObject(Directive):
	optional_arguments = 1
	final_argument_whitespace = True
	has_content = True
	def run(self):
		node = nodes.container()
		self.state.nested_parse(self.content, self.content_offset, node)
		return [node]

for kind in ("function", "macro", "struct", "union", "enum", "type", "var"):
	directives.register_directive("c:" + kind, CObject)
err = io.StringIO()
publish_doctree(sys.stdin.read(), source_path=sys.argv[1],
		settings_overrides={"report_level": 2, "halt_level": 5,
				    "warning_stream": err})
sys.stdout.write(err.getvalue())
' "$1" 2>&1
}

if [ ! -f "$rst" ]; then
	t_fail "$rst: missing"
elif [ -z "$kdoc_rst" ]; then
	t_fail "$rst: no 6.12 kernel-doc to render it with"
else
	[ -n "$py" ] ||
		t_fail "$rst: no python3 with docutils, python3-docutils did not install"
	ndir=0
	while read -r line path opts; do
		ndir=$((ndir + 1))
		what="$rst:$line kernel-doc:: $path${opts:+ $opts}"
		f=${path#lib/kvgrow/}
		if [ "$f" = "$path" ] || [ ! -f "$f" ]; then
			t_fail "$what: no such file (want lib/kvgrow/<a file of this tree>)"
			continue
		fi
		named[$f]=1
		flags=(-rst -Wall -sphinx-version "$sphinx_version")
		bad=
		for o in $opts; do
			case $o in
			:export:) flags+=(-export) ;;
			:internal:) flags+=(-internal) ;;
			*) bad="$bad $o" ;;
			esac
		done
		if [ -n "$bad" ]; then
			t_fail "$what: option the check does not know:$bad"
			continue
		fi
		# The kernel-doc output is reStructuredText too: parse it.
		err=$(env -u KCFLAGS -u KDOC_WERROR perl "$kdoc_rst" "${flags[@]}" "$f" 2>&1 >"$rendered.out")
		st=$?
		items=$(grep -c '^\.\. c:[a-z]*::' "$rendered.out")
		[ -z "$py" ] || err=$err$(rst_parse "$f (rendered)" <"$rendered.out")
		if [ "$st" -eq 0 ] && [ -z "$err" ] && [ "$items" -gt 0 ]; then
			t_ok "$what: $items items, no warnings"
		else
			t_fail "$what: exit $st, $items items"
			printf '%s\n' "$err"
		fi
		cat "$rendered.out" >>"$rendered"
		rm -f "$rendered.out"
	done < <(rst_directives "$rst")
	[ "$ndir" -gt 0 ] || t_fail "$rst: no kernel-doc directive"

	# The names rendered: ".. c:function:: int name (args)" and
	# ".. c:macro:: name" (and struct, union, enum, type).
	names=" $(sed -n 's/^\.\. c:function:: .*[^A-Za-z0-9_]\([A-Za-z_][A-Za-z0-9_]*\) *(.*/\1/p
		s/^\.\. c:[a-z]*:: \([A-Za-z_][A-Za-z0-9_]*\)$/\1/p' "$rendered" | tr '\n' ' ')"
	for f in lib/*.c kmod/*.c; do
		while IFS= read -r sym; do
			case $names in
			*" $sym "*) t_ok "$rst renders $sym() ($f)" ;;
			*) t_fail "$rst renders $sym() ($f): no directive does" ;;
			esac
		done < <(sed -n 's/^EXPORT_SYMBOL\(_GPL\)\{0,1\}(\([A-Za-z_0-9]*\));.*/\2/p' "$f")
	done
	for f in include/kvgrow/*.h; do
		# Whole output first: grep -q would stop perl by SIGPIPE, a
		# failure under pipefail.
		out=$(perl "$kdoc_rst" -rst -sphinx-version "$sphinx_version" "$f" 2>/dev/null)
		grep -q '^\.\. c:[a-z]*::' <<<"$out" || continue
		if [ -n "${named[$f]:-}" ]; then
			t_ok "$rst pulls in $f"
		else
			t_fail "$rst pulls in $f: it has kernel-doc and no directive names it"
		fi
	done

	# docutils knows no kernel-doc directive: blank it and its options
	# (keeping the line numbers), then parse.
	if [ -n "$py" ]; then
		out=$(awk '
		/^\.\. kernel-doc::/ { print ""; d = 1; next }
		d && /^[ \t]+:[A-Za-z-]+:/ { print ""; next }
		{ d = 0; print }' "$rst" | rst_parse "$rst")
		if [ -z "$out" ]; then
			t_ok "$rst parses (docutils), kernel-doc directives aside"
		else
			t_fail "$rst parses (docutils)"
			printf '%s\n' "$out"
		fi
	fi
fi

t_done
