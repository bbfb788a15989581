#!/bin/sh
# Lint: includes run one way, fs/ -> src/ -> cache/ (STYLE.md), and the files of src/ call
# one another one way (no call cycle). Prints TAP. From the source tree alone.
# `check-layering.sh <srcdir> --graph` prints src/'s file graph instead (call-cycles.awk).
cycles="$(cd "$(dirname "$0")" && pwd)/call-cycles.awk"
cd "${1:-$(dirname "$0")/..}" || exit 1
# src/'s files but main.c, which links everything.
src_files=$(ls src/*.c | grep -v '^src/main\.c$')
if [ "$2" = "--graph" ]; then
	awk -v edges=1 -f "$cycles" $src_files | sort
	exit 0
fi
n=0
fail=0
check() {
	n=$((n + 1))
	# $1: description; $2: offending files (empty = pass)
	if [ -z "$2" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1: $2"
		fail=1
	fi
}
check "cache/ includes glib only" \
	"$(grep -lE '#include *[<"](fuse|curl/|cjson/|src/|fs/)' cache/*.[ch] 2>/dev/null)"
check "src/ never includes FUSE or fs/ (main.c excepted)" \
	"$(grep -lE '#include *[<"](fuse|fs/)' src/*.[ch] 2>/dev/null | grep -v 'src/main.c')"
check "fs/ never includes curl or the cache" \
	"$(grep -lE '#include *[<"](curl/|cache/)' fs/*.[ch] 2>/dev/null)"
check "only src/http.c includes curl in src/" \
	"$(grep -lE '#include *<curl/' src/*.[ch] 2>/dev/null | grep -vE 'src/(http|main)\.c')"
check "the emulator shares only the signer with the client" \
	"$(grep -lE '#include *"(src/(api|client|http|resources|demo)|fs/|cache/)' emulator/*.[ch] 2>/dev/null)"
# api.c is the facade on top, store.c and doubt.c are at the bottom of the cache policy. A
# graph without edges means the parser has lost its way: that fails too, as does awk.
# call_cycles FILES...: the cycles among FILES, or why they could not be looked for.
call_cycles() {
	if ! edges=$(awk -v edges=1 -f "$cycles" "$@"); then
		echo "call-cycles.awk failed"
	elif [ -z "$edges" ]; then
		echo "call-cycles.awk found no edge at all"
	else
		awk -f "$cycles" "$@" | awk 'NR > 1 { printf "; " } { printf "%s", $0 }'
	fi
}
check "no call cycle between src/ files (main.c excepted)" "$(call_cycles $src_files)"
check "no call cycle between fs/ files" "$(call_cycles fs/*.c)"
check "no source file over 700 lines" \
	"$(wc -l cache/*.[ch] src/*.[ch] fs/*.[ch] emulator/*.[ch] | awk '$2 != "total" && $1 > 700 {print $2}')"
echo "1..$n"
exit $fail
