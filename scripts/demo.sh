#!/bin/sh
# Installs the dependencies, builds wksfs and mounts a generated demo tenant (served by the
# bundled emulator) at MOUNTPOINT (default /tmp/wks). Unmount with: fusermount3 -u MOUNTPOINT
set -eu
cd "$(dirname "$0")/.."
MNT=${1:-/tmp/wks}

scripts/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
mkdir -p "$MNT"
if mountpoint -q "$MNT"; then
	fusermount3 -u "$MNT"
fi
build/wksfs --demo "$MNT"
echo "Demo tenant mounted at $MNT. Try:"
echo "  ls $MNT/desktops; cat $MNT/desktops/*/status; cat $MNT/users/*/email"
echo "  echo stop > $MNT/desktops/\$(ls $MNT/desktops | head -n1)/action"
echo "Unmount with: fusermount3 -u $MNT"
