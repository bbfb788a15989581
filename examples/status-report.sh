#!/bin/sh
# status-report.sh — how many desktops are in each status, and which are in ERROR.
#
# Usage: status-report.sh MOUNTPOINT
#   MOUNTPOINT is a wksfs mount (e.g. /mnt/wks). Prints one "STATUS COUNT" line per status
#   (sorted by status), a "total N" line, then, when any desktop is in ERROR, a blank line,
#   "ERROR desktops:" and one "DESKTOP_ID COMPUTER_NAME USER,..." line each (sorted by id).
#   One listing of desktops/ (its pages) costs the API calls; nothing per desktop.
# Exit status: 0 no desktop is in ERROR; 1 some are (the report is printed all the same,
#   so cron or a monitoring check can alert on it); 2 usage, or MOUNTPOINT is not a wksfs
#   mount, or the listing failed.
# Needs: jq.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 MOUNTPOINT" >&2
	exit 2
fi
M=$1
if [ ! -r "$M/.wksfs/online" ]; then
	echo "$0: $M is not a wksfs mount" >&2
	exit 2
fi

# The objects of a collection, one compact JSON object per line, in one read: wksfs's
# /KIND.jsonl (the bytes of each object's info.json, from the listing's cache).
objects() {
	cat "$M/$1.jsonl"
}

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
if ! objects desktops > "$tmp"; then
	echo "$0: cannot read $M/desktops" >&2
	exit 2
fi
jq -rs '
	(group_by(.status)[] | "\(.[0].status) \(length)"),
	"total \(length)",
	(map(select(.status == "ERROR")) | sort_by(.desktop_id) |
	 if length > 0 then "", "ERROR desktops:",
		(.[] | "\(.desktop_id) \(.computer_name) \((.user_list // []) | join(","))")
	 else empty end)' "$tmp"
if jq -e -s 'any(.[]; .status == "ERROR")' "$tmp" >/dev/null; then
	exit 1
fi
