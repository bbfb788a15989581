#!/bin/sh
# The slow suite: the unit and mount tests again, with wksfs, the emulator and the tests
# built with AddressSanitizer and UndefinedBehaviorSanitizer (leaks are errors). A separate
# build directory, so the normal build is untouched.
set -eu
src=${1:?source directory}
dir=${2:?build directory}

if [ ! -f "$dir/build.ninja" ]; then
	meson setup "$dir" "$src" -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debug >/dev/null
fi
ninja -C "$dir" >/dev/null
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:fast_unwind_on_malloc=0
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
WKSFS_SANITIZED=1
export ASAN_OPTIONS UBSAN_OPTIONS WKSFS_SANITIZED
exec meson test -C "$dir" --print-errorlogs --suite unit --suite mount --timeout-multiplier 4
