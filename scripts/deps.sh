#!/bin/sh
# Installs what wksfs needs to build, run and test, on Debian 12 (or Ubuntu). Idempotent.
# groff-base and man-db: the lint renders doc/wksfs.1 with man --warnings. systemd: its
# systemd-analyze verifies the units of examples/ (tests/test-examples.c).
set -eu

PKGS="gcc pkg-config meson ninja-build libfuse3-dev fuse3 libcurl4-openssl-dev libcjson-dev
libglib2.0-dev libmicrohttpd-dev curl jq ca-certificates openssl valgrind groff-base man-db systemd"
# The SDK cross-check test needs node and npm; a machine that has them keeps its own.
command -v npm >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
# Another apt run (unattended upgrades, a second terminal) holds the lock for a while: wait
# for it rather than fail.
for try in 1 2 3 4 5 6; do
	$SUDO apt-get -o DPkg::Lock::Timeout=60 update -qq && break
	[ "$try" = 6 ] && exit 1
	sleep 10
done
# shellcheck disable=SC2086
$SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $PKGS >/dev/null
