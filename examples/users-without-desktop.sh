#!/bin/sh
# users-without-desktop.sh — the users no desktop is assigned to.
#
# Usage: users-without-desktop.sh MOUNTPOINT
#   Prints the user_name of every user whom no desktop's user_list names, one per line,
#   sorted (the API's name: MOUNTPOINT/users/ shows it escaped where it is not a safe file
#   name, doc/SEMANTICS.md §6). Costs one listing of users/ and one of desktops/.
# Exit status: 0 printed (also when every user has a desktop: nothing is printed); 2 usage,
#   or not a wksfs mount, or a listing failed.
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
	(reduce $desktops[] as $d ({}; reduce ($d.user_list // [])[] as $n (.; .[$n] = true)))
		as $assigned |
	$users | map(.user_name) | sort[] | select($assigned[.] | not)'
