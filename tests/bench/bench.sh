#!/bin/bash
# bench.sh — wksfs side by side with the curl+jq script an admin would write (curl-jq.sh)
# and a FUSE floor (floorfs.c: the same tree from memory), cold and warm, for `ls -l`,
# `cat */status` and `grep -r` over tenants of N desktops served by wks-emulator with its
# latency on. A benchmark, not a test: it measures and prints, it asserts nothing.
#
#   tests/bench/bench.sh [--sizes 1000,10000] [--latency-ms 20] [--runs 3] [--build DIR]
#
# Cold is the first run after a fresh mount (wksfs, floor) or with an empty page directory
# (curl+jq); warm is the second run right after it. Times are medians of --runs, in seconds,
# wall clock; API calls come from the emulator's counters. Everything it writes lives in one
# mktemp directory, removed on exit; mounts and processes are ended on exit and on Ctrl-C.
# Exits 77 when something it needs is missing.
set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${WKSFS_BUILD:-$here/../../build}
sizes=1000,10000
latency=20
runs=3
project=0123456789abcdef0123456789abcdef
pattern=SHUTOFF

usage()
{
	sed -n '7p' "$0" | sed 's/^# *//' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--sizes) sizes=${2:?}; shift ;;
	--latency-ms) latency=${2:?}; shift ;;
	--runs) runs=${2:?}; shift ;;
	--build) build=${2:?}; shift ;;
	-h|--help) usage ;;
	*) echo "bench: unknown argument '$1'" >&2; usage ;;
	esac
	shift
done
[[ $sizes =~ ^[0-9]+(,[0-9]+)*$ && $latency =~ ^[0-9]+$ && $runs =~ ^[1-9][0-9]*$ ]] || usage

skip()
{
	echo "bench: SKIP: $*" >&2
	exit 77
}

die()
{
	echo "bench: $*" >&2
	exit 1
}

wksfs=$build/wksfs
emulator=$build/emulator/wks-emulator
[ -x "$wksfs" ] || skip "no $wksfs (build first: ninja -C build)"
[ -x "$emulator" ] || skip "no $emulator (build first: ninja -C build)"
{ [ -r /dev/fuse ] && [ -w /dev/fuse ]; } || skip "/dev/fuse is missing or not usable"
for tool in fusermount3 mountpoint curl jq gcc pkg-config awk; do
	command -v "$tool" > /dev/null || skip "$tool is not installed"
done
pkg-config --exists fuse3 glib-2.0 libcjson || skip "fuse3, glib-2.0 or libcjson headers missing"

tmp=$(mktemp -d -t wksfs-bench.XXXXXX) || die "mktemp failed"
mnt=$tmp/mnt
emu_pid=
fs_pid=

cleanup()
{
	if mountpoint -q "$mnt" 2> /dev/null; then
		fusermount3 -u "$mnt" 2> /dev/null || fusermount3 -u -z "$mnt" 2> /dev/null
	fi
	for pid in $fs_pid $emu_pid; do
		kill "$pid" 2> /dev/null && wait "$pid" 2> /dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir "$mnt"

# ---- the floor, built from source every run -----------------------------------------------
floorfs=$tmp/floorfs
# shellcheck disable=SC2046 # pkg-config's words are meant to split
TMPDIR=$tmp gcc -O2 -std=gnu11 -DFUSE_USE_VERSION=314 -o "$floorfs" "$here/floorfs.c" \
	$(pkg-config --cflags --libs fuse3 glib-2.0 libcjson) 2> "$tmp/gcc.log" ||
	{ cat "$tmp/gcc.log" >&2; die "cannot build floorfs.c"; }

# ---- the emulator -------------------------------------------------------------------------
# start_emulator N: a tenant of N desktops and N/5 users; sets $endpoint.
start_emulator()
{
	local users=$(($1 / 5 ? $1 / 5 : 1))

	rm -f "$tmp/port"
	setsid "$emulator" --port 0 --port-file "$tmp/port" --desktops "$1" --users "$users" \
		--seed 1 --latency-ms "$latency" > "$tmp/emulator.log" 2>&1 &
	emu_pid=$!
	for _ in $(seq 1200); do
		[ -s "$tmp/port" ] && break
		kill -0 "$emu_pid" 2> /dev/null || { cat "$tmp/emulator.log" >&2; die "emulator died"; }
		sleep 0.05
	done
	[ -s "$tmp/port" ] || die "emulator did not start"
	endpoint=http://127.0.0.1:$(cat "$tmp/port")
}

stop_emulator()
{
	kill "$emu_pid" 2> /dev/null && wait "$emu_pid" 2> /dev/null
	emu_pid=
}

reset_stats()
{
	curl -sSf -X POST "$endpoint/__emulator/reset-stats" -o /dev/null
}

api_calls()
{
	curl -sSf "$endpoint/__emulator/stats" | jq '.total'
}

# ---- mounts -------------------------------------------------------------------------------
# The daemons (and the emulator) run in their own sessions (setsid), so Ctrl-C reaches only
# the command being timed and this script, which then cleans up; a daemon that saw SIGINT
# would unmount under the command, and the shell would take its tidy exit for "handled".
wait_mounted()
{
	for _ in $(seq 1200); do
		[ "$(stat -f -c %t "$mnt" 2> /dev/null)" = 65735546 ] && return 0
		kill -0 "$fs_pid" 2> /dev/null || return 1
		sleep 0.05
	done
	return 1
}

mount_wksfs()
{
	HUAWEICLOUD_SDK_AK=EMULATORAK HUAWEICLOUD_SDK_SK=EMULATORSK \
	HUAWEICLOUD_SDK_PROJECT_ID=$project \
		setsid "$wksfs" -f -o "endpoint=$endpoint,ttl=600,auto_unmount" "$mnt" \
		>> "$tmp/wksfs.log" 2>&1 &
	fs_pid=$!
	wait_mounted || { tail -n 20 "$tmp/wksfs.log" >&2; die "wksfs did not mount"; }
}

mount_floor()
{
	setsid "$floorfs" "$tmp/tenant.jsonl" "$mnt" -f -o auto_unmount >> "$tmp/floorfs.log" 2>&1 &
	fs_pid=$!
	wait_mounted || { tail -n 20 "$tmp/floorfs.log" >&2; die "floorfs did not mount"; }
}

# unmount: and remember the daemon's peak RSS (kB) in $hwm.
unmount()
{
	hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$fs_pid/status" 2> /dev/null)
	for _ in $(seq 50); do
		fusermount3 -u "$mnt" 2> /dev/null && break
		sleep 0.1
	done
	mountpoint -q "$mnt" && fusermount3 -u -z "$mnt"
	wait "$fs_pid" 2> /dev/null
	fs_pid=
}

# ---- the commands -------------------------------------------------------------------------
commands=(ls cat grep)
declare -A label=(
	[ls]="ls -l desktops"
	[cat]="cat desktops/*/status"
	[grep]="grep -r $pattern desktops"
)
# In the mount. The glob goes through printf and xargs so it works at any N (ARG_MAX).
declare -A in_mount=(
	[ls]="ls -l desktops"
	[cat]="printf '%s\\0' desktops/*/status | xargs -0 cat"
	[grep]="grep -r $pattern desktops --include=status"
)

# timed OUT CMD: run CMD (a shell line) in the mount, stdout to OUT (a file: grep would stop
# at the first match if it saw /dev/null); prints the wall time in seconds.
timed()
{
	local out=$1 cmd=$2 t0 t1

	t0=$EPOCHREALTIME
	(cd "$mnt" && eval "$cmd") > "$out" 2>> "$tmp/commands.log"
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

curl_jq()
{
	WKS_IAM_USER=admin WKS_IAM_PASSWORD=EMULATORPASSWORD WKS_IAM_DOMAIN=demo-domain \
	WKS_PROJECT_ID=$project "$here/curl-jq.sh" "$endpoint" "$@"
}

timed_curl()
{
	local out=$1 pages=$2 what=$3 t0 t1

	t0=$EPOCHREALTIME
	curl_jq "$pages" "$what" "$pattern" > "$out" 2>> "$tmp/commands.log" ||
		die "curl-jq.sh failed: $(tail -n 3 "$tmp/commands.log")"
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

# median FORMAT VALUE...
median()
{
	local format=$1

	shift
	printf '%s\n' "$@" | sort -g | awk -v f="$format" '{ v[NR] = $1 } END {
		printf f "\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# What each column printed, reduced to what they must agree on.
canon()
{
	case $1 in
	ls) awk 'NR > 1 { print $NF }' "$2" | sort ;;	# ls -l: the names, without "total"
	*) sort "$2" ;;
	esac
}

# ---- one size -----------------------------------------------------------------------------
bench_size()
{
	local n=$1 c t mismatch=
	local -A secs calls
	local wksfs_hwm=0 floor_hwm=0 raw

	start_emulator "$n"

	# The raw listing, once: the floor's tenant and the JSON size.
	mkdir "$tmp/dump"
	curl_jq "$tmp/dump" ls > /dev/null || die "cannot list the emulator's desktops"
	raw=$(cat "$tmp/dump"/page-*.json | wc -c)
	jq -c '.desktops[]' "$tmp/dump"/page-*.json > "$tmp/tenant.jsonl"
	rm -rf "$tmp/dump"

	for _ in $(seq "$runs"); do
		for c in "${commands[@]}"; do
			# wksfs
			mount_wksfs
			reset_stats
			secs[wksfs,$c,cold]+=" $(timed "$tmp/out.wksfs.$c" "${in_mount[$c]}")"
			calls[wksfs,$c,cold]+=" $(api_calls)"
			reset_stats
			secs[wksfs,$c,warm]+=" $(timed "$tmp/out.warm" "${in_mount[$c]}")"
			calls[wksfs,$c,warm]+=" $(api_calls)"
			unmount
			[ "${hwm:-0}" -gt "$wksfs_hwm" ] && wksfs_hwm=$hwm

			# curl+jq: cold with no pages, warm with the pages the cold run kept
			rm -rf "$tmp/pages" && mkdir "$tmp/pages"
			reset_stats
			secs[curl,$c,cold]+=" $(timed_curl "$tmp/out.curl.$c" "$tmp/pages" "$c")"
			calls[curl,$c,cold]+=" $(api_calls)"
			reset_stats
			secs[curl,$c,warm]+=" $(timed_curl "$tmp/out.warm" "$tmp/pages" "$c")"
			calls[curl,$c,warm]+=" $(api_calls)"

			# the floor
			mount_floor
			secs[floor,$c,cold]+=" $(timed "$tmp/out.floor.$c" "${in_mount[$c]}")"
			secs[floor,$c,warm]+=" $(timed "$tmp/out.warm" "${in_mount[$c]}")"
			unmount
			[ "${hwm:-0}" -gt "$floor_hwm" ] && floor_hwm=$hwm
		done
	done
	rm -rf "$tmp/pages"
	stop_emulator

	for c in "${commands[@]}"; do
		canon "$c" "$tmp/out.wksfs.$c" > "$tmp/canon.wksfs"
		canon "$c" "$tmp/out.floor.$c" > "$tmp/canon.floor"
		sort "$tmp/out.curl.$c" > "$tmp/canon.curl"
		cmp -s "$tmp/canon.wksfs" "$tmp/canon.curl" &&
			cmp -s "$tmp/canon.wksfs" "$tmp/canon.floor" || mismatch+=" ${label[$c]};"
	done

	echo
	echo "N=$n desktops, emulator latency $latency ms, median of $runs runs (seconds)"
	printf '%-28s %-5s %8s %11s %9s %11s %11s\n' command "" wksfs "(API calls)" curl+jq \
		"(API calls)" "FUSE floor"
	for c in "${commands[@]}"; do
		for t in cold warm; do
			# shellcheck disable=SC2086 # the runs are a list of words
			printf '%-28s %-5s %8s %11s %9s %11s %11s\n' "${label[$c]}" "$t" \
				"$(median %.3f ${secs[wksfs,$c,$t]})" \
				"$(median %g ${calls[wksfs,$c,$t]})" \
				"$(median %.3f ${secs[curl,$c,$t]})" \
				"$(median %g ${calls[curl,$c,$t]})" \
				"$(median %.3f ${secs[floor,$c,$t]})"
		done
	done
	awk -v w="$wksfs_hwm" -v f="$floor_hwm" -v j="$raw" 'BEGIN {
		printf "peak RSS: wksfs %.0f MB, FUSE floor %.0f MB; raw JSON of the listing: %.1f MB\n",
			w / 1024, f / 1024, j / 1048576 }'
	if [ -n "$mismatch" ]; then
		echo "note: the columns printed different results for:$mismatch see the outputs"
	else
		echo "outputs: the three columns printed the same names, statuses and matches"
	fi
}

echo "wksfs benchmark: $(nproc) CPUs (shared by the emulator, the filesystem and the commands)"
echo "cold: first run after mounting / with no saved pages; warm: the second run right after"
echo "curl+jq: an IAM token, then pages of 500 one after the other, then jq;" \
	"warm reuses the pages the cold run saved on disk"
IFS=, read -r -a size_list <<< "$sizes"
for n in "${size_list[@]}"; do
	bench_size "$n"
done
