#!/bin/sh
# A walk through the tree, on the demo tenant: scripts/demo.sh /tmp/wks first.
set -eu
M=${1:-/tmp/wks}

ls "$M"
ls "$M/desktops" | head -n 3
# Status of every desktop, one line each: costs the listing's pages, nothing per desktop.
grep -H . "$M"/desktops/*/status | head -n 5
# Desktops that are shut off, by name.
for d in "$M"/desktops/*; do
	[ "$(cat "$d/status")" = SHUTOFF ] && cat "$d/computer_name"
done | head -n 5
# Users and their e-mail addresses.
for u in "$M"/users/*; do printf '%s %s\n' "$(basename "$u")" "$(cat "$u/email")"; done | head -n 5
# The whole object, for jq.
jq -r '.computer_name + " " + .status' "$M"/desktops/*/info.json | head -n 3
# Stop the first desktop; the action file reads back the job.
d=$(ls "$M/desktops" | head -n 1)
echo stop > "$M/desktops/$d/action" || true
cat "$M/desktops/$d/action"
