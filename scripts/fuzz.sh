#!/bin/sh
# Builds the libFuzzer targets (fuzz/, meson -Dfuzz=true with clang) in a build directory of
# their own and runs each, one at a time, for a bounded time or number of runs: first every
# input of fuzz/corpus/<target>/ (the seeds and the regression inputs of fixed findings),
# then new ones. Prints TAP: per target the executions done and whether a finding occurred
# (its input is kept in the build directory, crash-*, leak-*, timeout-*).
#
#   scripts/fuzz.sh [--build DIR] [--time SECS | --runs N] [TARGET...]
#
# Defaults: build-fuzz, 30 s per target, every target. The meson suite `fuzz` runs it with
# 30 s each; fuzz/README.md records the long local runs (--runs 1000000).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/build-fuzz
bound="-max_total_time=30"
targets=
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift 2 ;;
	--time) bound="-max_total_time=$2"; shift 2 ;;
	--runs) bound="-runs=$2"; shift 2 ;;
	-*) echo "usage: $0 [--build DIR] [--time SECS | --runs N] [TARGET...]" >&2; exit 2 ;;
	*) targets="$targets $1"; shift ;;
	esac
done
[ -n "$targets" ] || targets="render escape path signer credentials options command create"

if ! command -v clang >/dev/null 2>&1; then
	echo "Bail out! clang is not installed: run scripts/fuzz-deps.sh"
	exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$src" -Dfuzz=true -Dbuildtype=debugoptimized \
		-Db_lundef=false >"$build.setup.log" 2>&1 || {
		echo "Bail out! meson setup failed: see $build.setup.log"
		exit 1
	}
fi
names=
for t in $targets; do
	names="$names fuzz/fuzz-$t"
done
# shellcheck disable=SC2086
if ! ninja -C "$build" $names >"$build/fuzz-build.log" 2>&1; then
	echo "Bail out! the build failed: see $build/fuzz-build.log"
	exit 1
fi

set -- $targets
echo "1..$#"
i=0
failed=0
for t in $targets; do
	i=$((i + 1))
	work=$build/fuzz-work/$t
	log=$build/fuzz-$t.log
	mkdir -p "$work" "$build/findings"
	rc=0
	# Leaks are findings too (libFuzzer's -detect_leaks, on by default with ASan).
	ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	"$build/fuzz/fuzz-$t" "$bound" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$build/findings/$t-" "$work" "$src/fuzz/corpus/$t" \
		>"$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	# A run cut short by a finding prints no final stats: its last progress line then.
	[ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=0
	if [ "$rc" -eq 0 ] && ! grep -q "Test unit written to" "$log"; then
		echo "ok $i - $t: $execs executions, no finding"
	else
		failed=1
		echo "not ok $i - $t: $execs executions, a finding (exit $rc)"
		grep -a -E "invariant broken|ERROR:|SUMMARY:|Test unit written" "$log" | head -n 8 |
			sed 's/^/# /'
		echo "# the whole log: $log"
	fi
done
exit $failed
