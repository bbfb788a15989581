#!/bin/sh
# users-desktops-csv.sh — every user with their desktops, as CSV.
#
# Usage: users-desktops-csv.sh MOUNTPOINT > users.csv
#   One header line, "user_name","user_email","description","desktop_id","computer_name",
#   "status", then one row per user and desktop assigned to them (a desktop's user_list
#   names the user), and one row with the desktop columns empty for a user without a
#   desktop; sorted by user_name, then computer_name. Every field is quoted and a quote
#   inside it doubled (RFC 4180, jq's @csv), so a description or name with commas, quotes
#   or spaces reads back exactly; lines end in LF. Costs one listing of users/ and one of
#   desktops/ (their pages), nothing per user.
# Exit status: 0 written; 2 usage, or not a wksfs mount, or a listing failed.
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

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for kind in users desktops; do
	if ! objects "$kind" > "$tmp/$kind"; then
		echo "$0: cannot read $M/$kind" >&2
		exit 2
	fi
done
jq -nr --slurpfile users "$tmp/users" --slurpfile desktops "$tmp/desktops" '
	(reduce $desktops[] as $d ({}; reduce ($d.user_list // [])[] as $n (.; .[$n] += [$d])))
		as $by_user |
	["user_name", "user_email", "description", "desktop_id", "computer_name", "status"],
	($users | sort_by(.user_name)[] | . as $u |
	 ($by_user[$u.user_name] // [] | sort_by(.computer_name)) as $mine |
	 [$u.user_name, $u.user_email // "", $u.description // ""] as $who |
	 if ($mine | length) == 0 then $who + ["", "", ""]
	 else $mine[] | $who + [.desktop_id, .computer_name, .status]
	 end) | map(tostring) | @csv'
