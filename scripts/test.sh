#!/bin/sh
# Installs the dependencies, builds wksfs and runs the whole test suite (unit, lint and
# mount tests against the bundled emulator). Extra arguments go to `meson test`.
set -eu
cd "$(dirname "$0")/.."

[ -n "${WKSFS_DEPS_INSTALLED:-}" ] || scripts/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build
meson test -C build --print-errorlogs --suite unit --suite lint --suite mount "$@"
