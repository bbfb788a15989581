#!/bin/sh
# Installs what fuzzing needs beyond scripts/deps.sh: clang, whose libFuzzer and sanitizer
# runtimes come with it on Debian 12 (scripts/fuzz.sh, fuzz/README.md). Idempotent.
set -eu
command -v clang >/dev/null 2>&1 && exit 0
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=60 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends clang >/dev/null
