#!/bin/sh
# Lint: includes run one way, fs/ -> src/ -> cache/ (STYLE.md). Prints TAP.
cd "${1:-$(dirname "$0")/..}" || exit 1
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
check "no source file over 700 lines" \
	"$(wc -l cache/*.[ch] src/*.[ch] fs/*.[ch] emulator/*.[ch] | awk '$2 != "total" && $1 > 700 {print $2}')"
echo "1..$n"
exit $fail
