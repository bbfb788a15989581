#!/bin/sh
# Installs what wksfs needs to build, run and test, on Debian 12 (or Ubuntu). Idempotent.
set -eu

PKGS="gcc pkg-config meson ninja-build libfuse3-dev fuse3 libcurl4-openssl-dev libcjson-dev
libglib2.0-dev libmicrohttpd-dev curl jq ca-certificates openssl"
# The SDK cross-check test needs node and npm; a machine that has them keeps its own.
command -v npm >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $PKGS >/dev/null
