#!/bin/sh
# act-on-status.sh — send one action to every desktop in a status (optionally of one desktop
# pool) and wait for all the jobs it started.
#
# Usage: act-on-status.sh [-p POOL] MOUNTPOINT STATUS VERB [hard]
#   e.g. act-on-status.sh -p pool-ops-01 /mnt/wks ACTIVE reboot
#   STATUS is a directory name of MOUNTPOINT/desktops-by-status/ (ACTIVE, SHUTOFF, ...);
#   VERB is start, stop, reboot or hibernate. The writes to the desktops' action files go
#   out at once, so wksfs batches them into a few API calls (-o batch_window_ms); then every
#   job is waited for (MOUNTPOINT/jobs/JOB/wait), all at once.
#   Prints one line per desktop, sorted: "DESKTOP_ID ok job JOB SUCCESS", or
#   "DESKTOP_ID failed REASON" (the action was refused: the API's message from the action
#   file; or its job ended otherwise, or could not be waited for), then a summary line
#   "VERB: N desktops, J jobs, F failed".
# Exit status: 0 every desktop's action was sent and its job ended in SUCCESS (also when no
#   desktop is in STATUS); 1 some failed (named above); 2 usage, or not a wksfs mount, or
#   no such pool.
# Needs: coreutils (sort, comm, mktemp).
set -eu
export LC_ALL=C	# sort and comm in byte order, whatever the locale

pool=
while getopts p: opt; do
	case $opt in
	p) pool=$OPTARG ;;
	*) echo "usage: $0 [-p POOL] MOUNTPOINT STATUS VERB [hard]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -lt 3 ] || [ $# -gt 4 ] || { [ $# -eq 4 ] && [ "$4" != hard ]; }; then
	echo "usage: $0 [-p POOL] MOUNTPOINT STATUS VERB [hard]" >&2
	exit 2
fi
M=$1 status=$2 action=$3${4:+ $4}
case $3 in
start|stop|reboot|hibernate) ;;
*) echo "$0: VERB is start, stop, reboot or hibernate, not \"$3\"" >&2; exit 2 ;;
esac
if [ ! -r "$M/.wksfs/online" ]; then
	echo "$0: $M is not a wksfs mount" >&2
	exit 2
fi
if [ -n "$pool" ] && [ ! -d "$M/desktop-pools/$pool/desktops" ]; then
	echo "$0: no desktop pool \"$pool\" in $M/desktop-pools" >&2
	exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The desktops: names in the status view (none: the view has no such directory), within
# the pool's desktops when -p is given. Desktop ids are plain words (no newline).
if [ -d "$M/desktops-by-status/$status" ]; then
	ls "$M/desktops-by-status/$status" | sort > "$tmp/targets"
else
	: > "$tmp/targets"
fi
if [ -n "$pool" ]; then
	ls "$M/desktop-pools/$pool/desktops" | sort > "$tmp/pool"
	comm -12 "$tmp/targets" "$tmp/pool" > "$tmp/both"
	mv "$tmp/both" "$tmp/targets"
fi

# Send: one writer per desktop, all at once. Each opens the action file read-write, so it
# reads back its own outcome ("job JOB", or why it was refused), not another writer's.
i=0
while read -r d; do
	i=$((i + 1))
	(
		exec 3<>"$M/desktops/$d/action"
		if printf '%s\n' "$action" >&3 2>"$tmp/err.$i"; then
			read -r result <&3 || result=
			echo "$d $result"
		else
			read -r result <&3 || result=$(cat "$tmp/err.$i")
			echo "$d refused $result"
		fi
	) > "$tmp/sent.$i" 2>&1 &
	# At most 200 writers at a time (two full batches of the API's 100).
	[ $((i % 200)) -ne 0 ] || wait
done < "$tmp/targets"
wait
[ "$i" -eq 0 ] || cat "$tmp"/sent.* > "$tmp/sent"
touch "$tmp/sent"

# Wait for every job, all at once.
awk '$2 == "job" { print $3 }' "$tmp/sent" | sort -u > "$tmp/jobs"
while read -r job; do
	(
		if ! status=$(cat "$M/jobs/$job/wait" 2>&1); then
			status="wait failed: $(echo "$status" | tail -n 1)"
		fi
		echo "$job $status"
	) > "$tmp/job.$job" 2>&1 &
done < "$tmp/jobs"	# a job per batch: at most one waiter per 100 desktops
wait

while read -r d kind rest; do
	if [ "$kind" = job ]; then
		job=${rest%% *}
		end=$(sed -n 's/^[^ ]* //p' "$tmp/job.$job")
		if [ "$end" = SUCCESS ]; then
			echo "$d ok job $job SUCCESS"
			continue
		fi
		echo "$d failed job $job ended: ${end:-no answer}"
	else
		echo "$d failed ${rest:-refused}"
	fi
done < "$tmp/sent" | sort > "$tmp/report"
cat "$tmp/report"
failed=$(grep -c ' failed ' "$tmp/report" || true)
echo "$3: $(wc -l < "$tmp/targets") desktops, $(wc -l < "$tmp/jobs") jobs, $failed failed"
[ "$failed" -eq 0 ] || exit 1
