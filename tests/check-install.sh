#!/bin/sh
# What `meson install` puts where (issue 12): wksfs in BINDIR with its man page, the
# emulator under LIBEXECDIR/wksfs and nowhere in PATH, and the installed `wksfs --demo`
# mounts with the installed emulator. Installs into a scratch DESTDIR. Prints TAP.
# Usage: check-install.sh BUILD_DIR BINDIR LIBEXECDIR MANDIR SOURCE_DIR (absolute paths)
build=$1 bindir=$2 libexecdir=$3 mandir=$4 source=$5
n=0
fail=0
ok() {	# $1: description; $2: problem (empty = pass), or "SKIP why"
	n=$((n + 1))
	case $2 in
	"") echo "ok $n - $1" ;;
	SKIP*) echo "ok $n - $1 # $2" ;;
	*) echo "not ok $n - $1: $2"; fail=1 ;;
	esac
}
root=$(mktemp -d /tmp/wksfs-install-XXXXXX)
mnt=$root.mnt
pid=
cleanup() {
	if [ -n "$pid" ]; then
		fusermount3 -u -z "$mnt" 2>/dev/null
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$root"
	rmdir "$mnt" 2>/dev/null
}
trap cleanup EXIT

if ! command -v meson >/dev/null; then
	echo "1..0 # SKIP meson is not in PATH"
	exit 0
fi
out=$(meson install -C "$build" --destdir "$root" --no-rebuild --quiet 2>&1)
rc=$?
ok "meson install --destdir succeeds" "$([ $rc -eq 0 ] || echo "exit $rc: $out")"

installed=$(cd "$root" && find . -type f | sed 's|^\.||' | sort | tr '\n' ' ')
want=$(printf '%s\n' "$bindir/wksfs" "$libexecdir/wksfs/wks-emulator" \
	"$mandir/man1/wksfs.1" | sort | tr '\n' ' ')
ok "installs exactly wksfs, its man page and the emulator" \
	"$([ "$installed" = "$want" ] || echo "got: $installed; want: $want")"
ok "nothing but wksfs in BINDIR (the emulator is not a command)" \
	"$([ "$(ls "$root$bindir")" = wksfs ] || ls "$root$bindir" | tr '\n' ' ')"
ok "the emulator is executable in LIBEXECDIR/wksfs" \
	"$([ -x "$root$libexecdir/wksfs/wks-emulator" ] || echo missing)"
# The unit in examples/ runs what meson install installs (with the default prefix).
unit=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$source/examples/wksfs.service")
if [ "$bindir" = /usr/local/bin ]; then
	ok "examples/wksfs.service runs the installed wksfs" \
		"$([ "$unit" = "$bindir/wksfs" ] || echo "ExecStart=$unit")"
else
	ok "examples/wksfs.service runs the installed wksfs" "SKIP prefix is not /usr/local"
fi
version=$("$root$bindir/wksfs" --version 2>&1)
ok "the installed wksfs runs" \
	"$(echo "$version" | grep -q '^wksfs [0-9]' || echo "$version")"

# The installed --demo finds the installed emulator, not the build tree's.
if [ ! -w /dev/fuse ] || ! command -v fusermount3 >/dev/null; then
	ok "the installed wksfs --demo runs the installed emulator" "SKIP no FUSE here"
	echo "1..$n"
	exit $fail
fi
mkdir -p "$mnt"
env -u WKSFS_EMULATOR "$root$bindir/wksfs" --demo "$mnt" -f -o auto_unmount \
	>"$root/demo.log" 2>&1 &
pid=$!
tries=0
until [ "$(stat -f -c %t "$mnt" 2>/dev/null)" = 65735546 ] || [ $tries -ge 200 ]; do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
	tries=$((tries + 1))
done
children=	# what wksfs runs: the emulator (and fusermount3, for auto_unmount)
for status in /proc/[0-9]*/status; do
	if grep -q "^PPid:[[:space:]]*$pid\$" "$status" 2>/dev/null; then
		children="$children $(readlink "${status%/status}/exe")"
	fi
done
desktops=$(ls "$mnt/desktops" 2>/dev/null | wc -l)
ok "the installed wksfs --demo runs the installed emulator" \
	"$(case "$children " in
	   *" $root$libexecdir/wksfs/wks-emulator "*) [ "$desktops" = 40 ] ||
		echo "$desktops desktops" ;;
	   *) echo "its children:$children; $(cat "$root/demo.log")" ;;
	   esac)"
fusermount3 -u "$mnt"
wait "$pid"
rc=$?
ok "it unmounts and exits 0" "$([ $rc -eq 0 ] || echo "exit status $rc")"
pid=
echo "1..$n"
exit $fail
