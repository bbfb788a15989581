#!/bin/sh
# tenant-snapshot.sh — save the tenant's objects to a file; later, say what changed.
#
# Usage: tenant-snapshot.sh save MOUNTPOINT FILE
#        tenant-snapshot.sh diff OLD NEW
#   save writes FILE: one JSON object per line, {"kind":K,"key":ID,"object":{...}}, for
#   every desktop, user, user group, desktop pool, App Streaming server group and server
#   (KINDS below: each kind with the field that identifies its objects), sorted. diff
#   compares two such files and prints, sorted by kind and key:
#     added KIND KEY
#     removed KIND KEY
#     changed KIND KEY FIELD OLD_JSON -> NEW_JSON     (one line per top-level field)
#   where OLD_JSON and NEW_JSON are compact JSON (null: the field is absent on that side).
# Exit status: save: 0 written, 2 usage, not a wksfs mount or a listing failed. diff, as
#   diff(1): 0 no difference, 1 differences (printed), 2 usage or an unreadable file.
# Needs: jq.
set -eu

KINDS="desktops:desktop_id users:id user-groups:id desktop-pools:id app-server-groups:id
app-servers:id"

usage() {
	echo "usage: $0 save MOUNTPOINT FILE | $0 diff OLD NEW" >&2
	exit 2
}

# The objects of a collection, one compact JSON object per line, in one read: wksfs's
# /KIND.jsonl (the bytes of each object's info.json, from the listing's cache).
objects() {
	cat "$M/$1.jsonl"
}

save() {
	M=$1
	if [ ! -r "$M/.wksfs/online" ]; then
		echo "$0: $M is not a wksfs mount" >&2
		exit 2
	fi
	tmp=$(mktemp)
	trap 'rm -f "$tmp"' EXIT
	for entry in $KINDS; do
		kind=${entry%%:*}
		if ! objects "$kind" | jq -c --arg kind "$kind" --arg field "${entry#*:}" \
				'{kind: $kind, key: (.[$field] | tostring), object: .}'; then
			echo "$0: cannot read $M/$kind" >&2
			exit 2
		fi
	done > "$tmp"
	LC_ALL=C sort "$tmp" > "$2"
}

compare() {
	for f in "$1" "$2"; do
		if [ ! -r "$f" ]; then
			echo "$0: cannot read $f" >&2
			exit 2
		fi
	done
	out=$(jq -nr --slurpfile old "$1" --slurpfile new "$2" '
		def by_key: map({key: "\(.kind)/\(.key)", value: .}) | from_entries;
		($old | by_key) as $a | ($new | by_key) as $b |
		(($a | keys) + ($b | keys) | unique)[] as $k |
		if $a[$k] == null then "added \($b[$k].kind) \($b[$k].key)"
		elif $b[$k] == null then "removed \($a[$k].kind) \($a[$k].key)"
		else $a[$k].object as $x | $b[$k].object as $y |
			(($x | keys) + ($y | keys) | unique)[] |
			select($x[.] != $y[.]) |
			"changed \($a[$k].kind) \($a[$k].key) \(.) \($x[.] | tojson) -> " +
			($y[.] | tojson)
		end') || exit 2
	[ -n "$out" ] || return 0
	printf '%s\n' "$out"
	exit 1
}

case ${1:-} in
save) [ $# -eq 3 ] || usage; save "$2" "$3" ;;
diff) [ $# -eq 3 ] || usage; compare "$2" "$3" ;;
*) usage ;;
esac
