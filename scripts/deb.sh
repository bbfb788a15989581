#!/bin/sh
# Builds the Debian package of wksfs (debian/) and checks it: installs the build
# dependencies (apt-get), builds with `dpkg-buildpackage -us -uc -b` in a copy of the source
# under /tmp (nothing is left in the source tree), runs lintian (an error fails; warnings
# are printed), installs the .deb, and checks `wksfs --version`, `man -w wksfs`, the
# examples under /usr/share/doc/wksfs/examples (every script, run against the installed
# `wksfs --demo`) and the units there (systemd-analyze verify); then removes the package
# again unless --keep is given. Prints TAP (meson suite `deb`).
# Usage: scripts/deb.sh [--keep] [OUTDIR]   (the .deb is copied to OUTDIR when given)
# Exit status: 0 every check passed; 1 one failed (see the "not ok" lines).
# Runs as root, or with sudo for apt-get and dpkg.
set -u
keep=
[ "${1:-}" = --keep ] && { keep=1; shift; }
outdir=${1:-}
src=$(cd "$(dirname "$0")/.." && pwd)
n=0
fail=0
ok() {	# $1: description; $2: problem (empty = pass), or "SKIP why"
	n=$((n + 1))
	case $2 in
	"") echo "ok $n - $1" ;;
	SKIP*) echo "ok $n - $1 # $2" ;;
	*) echo "not ok $n - $1"; printf '%s\n' "$2" | sed 's/^/# /'; fail=1 ;;
	esac
}
done_testing() {
	echo "1..$n"
	exit $fail
}
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
work=$(mktemp -d /tmp/wksfs-deb-XXXXXX)
mnt=$work/mnt
installed=
cleanup() {
	if mountpoint -q "$mnt" 2>/dev/null; then
		fusermount3 -u -z "$mnt"
	fi
	if [ -n "$installed" ] && [ -z "$keep" ]; then
		$SUDO dpkg --purge wksfs >/dev/null 2>&1
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# The build dependencies: what scripts/deps.sh installs (debian/control names the same
# packages: checked below), and the packaging tools.
"$src/scripts/deps.sh" >"$work/deps.log" 2>&1
rc=$?
ok "scripts/deps.sh" "$([ $rc -eq 0 ] || tail -n 20 "$work/deps.log")"
out=$($SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
	dpkg-dev debhelper lintian 2>&1 >/dev/null)
rc=$?
ok "apt-get install dpkg-dev debhelper lintian" "$([ $rc -eq 0 ] || echo "$out")"
[ $rc -eq 0 ] || done_testing

# debian/control's Build-Depends are among scripts/deps.sh's packages.
missing=
for pkg in $(sed -n '/^Build-Depends:/,/^[A-Z]/p' "$src/debian/control" |
		sed 's/^Build-Depends://; /^[A-Z]/d; s/([^)]*)//g' | tr ',' '\n' |
		sed 's/^[[:space:]]*//; s/[[:space:]]*$//' | grep -v '^debhelper-compat$' |
		grep .); do
	grep -q "\(^\|[[:space:]\"]\)$pkg\([[:space:]\"]\|\$\)" "$src/scripts/deps.sh" ||
		missing="$missing $pkg"
done
ok "debian/control's Build-Depends are what scripts/deps.sh installs" \
	"$([ -z "$missing" ] || echo "not in scripts/deps.sh:$missing")"

# A copy of the source: the tracked files (or everything but build directories).
mkdir -p "$work/wksfs"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$src" && git ls-files -z | xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$work/wksfs"
else
	(cd "$src" && tar -cf - --exclude='./build*' --exclude=./.git .) | tar -xf - -C "$work/wksfs"
fi
out=$(cd "$work/wksfs" && dpkg-checkbuilddeps 2>&1)
ok "dpkg-checkbuilddeps" "$out"

start=$(date +%s)
# nocheck: the unit tests are the unit suite's, which CI has run before this one
# (WKSFS_DEB_CHECK=1 runs them in the package build too).
nocheck=nocheck
[ -z "${WKSFS_DEB_CHECK:-}" ] || nocheck=
(cd "$work/wksfs" && DEB_BUILD_OPTIONS="$nocheck" dpkg-buildpackage -us -uc -b) \
	>"$work/build.log" 2>&1
rc=$?
deb=$(ls "$work"/wksfs_*.deb 2>/dev/null | head -n 1)
ok "dpkg-buildpackage -us -uc -b ($(($(date +%s) - start)) s)" \
	"$([ $rc -eq 0 ] && [ -n "$deb" ] || tail -n 30 "$work/build.log")"
[ -n "$deb" ] || done_testing
[ -z "$outdir" ] || cp "$deb" "$outdir/"

# lintian: no error. Its warnings and informational tags are printed, not failed on.
lintian --fail-on error --info --display-info "$work"/wksfs_*.changes >"$work/lintian.log" 2>&1
rc=$?
sed 's/^/# lintian: /' "$work/lintian.log"
ok "lintian finds no error" "$([ $rc -eq 0 ] || grep '^E:' "$work/lintian.log")"

# What the package holds.
contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
problem=
for f in /usr/bin/wksfs /usr/libexec/wksfs/wks-emulator /usr/share/man/man1/wksfs.1.gz \
	 /usr/share/doc/wksfs/copyright /usr/share/doc/wksfs/changelog.gz \
	 /usr/share/doc/wksfs/examples/status-report.sh; do
	echo "$contents" | grep -qx "$f" || problem="$problem $f"
done
ok "the package holds wksfs, its man page, the emulator, copyright and examples" \
	"$([ -z "$problem" ] || echo "missing:$problem")"
ok "nothing of it is in /usr/local, and only wksfs is in /usr/bin" \
	"$(echo "$contents" | grep -e '^/usr/local/' -e '^/usr/bin/.' | grep -vx /usr/bin/wksfs)"

out=$($SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
	"$deb" 2>&1 >/dev/null)
rc=$?
[ $rc -eq 0 ] && installed=1
ok "apt-get install the .deb" "$([ $rc -eq 0 ] || echo "$out")"
[ -n "$installed" ] || done_testing

version=$(/usr/bin/wksfs --version 2>&1)
ok "wksfs --version" "$(echo "$version" | grep -q '^wksfs 0\.1\.0' || echo "$version")"
page=$(man -w wksfs 2>&1)
ok "man -w wksfs finds the installed page" \
	"$([ "$page" = /usr/share/man/man1/wksfs.1.gz ] || echo "$page")"
ex=/usr/share/doc/wksfs/examples
problem=
for f in "$src"/examples/*; do
	name=$(basename "$f")
	if [ ! -f "$ex/$name" ]; then
		problem="$problem $name missing;"
	elif grep -q /usr/local/bin/wksfs "$ex/$name"; then
		problem="$problem $name names /usr/local/bin/wksfs;"
	fi
done
ok "every file of examples/ is in $ex, naming /usr/bin/wksfs" "$problem"

if command -v systemd-analyze >/dev/null; then
	out=$(cd "$work" && systemd-analyze verify "$ex/wksfs.service" "$ex/mnt-wks.mount" 2>&1)
	ok "systemd-analyze verify the installed units" "$out"
else
	ok "systemd-analyze verify the installed units" "SKIP no systemd-analyze"
fi

# The installed examples against the installed wksfs --demo (40 desktops, all served by
# /usr/libexec/wksfs/wks-emulator), as README's newcomer runs them.
if [ ! -w /dev/fuse ]; then
	ok "the installed examples run against wksfs --demo" "SKIP no /dev/fuse"
	done_testing
fi
mkdir -p "$mnt"
out=$(env -u WKSFS_EMULATOR wksfs --demo "$mnt" 2>&1)
ok "the installed wksfs --demo mounts" \
	"$(mountpoint -q "$mnt" && [ "$(ls "$mnt/desktops" | wc -l)" -eq 40 ] || echo "$out")"
problem=
report=$(sh "$ex/status-report.sh" "$mnt" 2>&1) || [ $? -eq 1 ] || problem="$report"
echo "$report" | grep -q '^total 40$' || problem="$problem; status-report: $report"
csv=$(sh "$ex/users-desktops-csv.sh" "$mnt" 2>&1) || problem="$problem; csv: $csv"
[ "$(echo "$csv" | head -n 1)" = \
  '"user_name","user_email","description","desktop_id","computer_name","status"' ] ||
	problem="$problem; csv header: $(echo "$csv" | head -n 1)"
none=$(sh "$ex/users-without-desktop.sh" "$mnt" 2>&1) || problem="$problem; without: $none"
sh "$ex/tenant-snapshot.sh" save "$mnt" "$work/a" || problem="$problem; snapshot save"
pool=$(ls "$mnt/desktop-pools" | head -n 1)
# (a desktop in maintenance mode is refused, WKS.0016: not a failure of the script)
acted=$(sh "$ex/act-on-status.sh" -p "$pool" "$mnt" ACTIVE stop 2>&1)
echo "$acted" | grep -q "^stop: [1-9][0-9]* desktops" &&
	[ -z "$(echo "$acted" | grep ' failed ' | grep -v ' WKS.0016: ')" ] ||
	problem="$problem; act-on-status: $acted"
sh "$ex/tenant-snapshot.sh" save "$mnt" "$work/b" || problem="$problem; snapshot save"
diff=$(sh "$ex/tenant-snapshot.sh" diff "$work/a" "$work/b")
[ $? -eq 1 ] && echo "$diff" | grep -q ' status "ACTIVE" -> "SHUTOFF"$' ||
	problem="$problem; snapshot diff: $diff"
ok "the installed examples run against wksfs --demo" "$problem"
fusermount3 -u "$mnt"
done_testing
