#!/bin/sh
# A walk through the tree, on the demo tenant: scripts/demo.sh /tmp/wks first.
set -eu
M=${1:-/tmp/wks}

ls "$M"
# Status of every desktop, one line each: costs the listing's pages, nothing per desktop.
grep -H . "$M"/desktops/*/status | head -n 5
# Desktops that are shut off, by name, through the view.
ls "$M/desktops-by-status/SHUTOFF" | head -n 5
# Users and their e-mail addresses.
for u in "$M"/users/*; do printf '%s %s\n' "$(basename "$u")" "$(cat "$u/email")"; done | head -n 5
# Who is in which group.
for g in "$M"/user-groups/*; do echo "$(basename "$g"): $(ls "$g/members" | tr '\n' ' ')"; done
# The whole object, for jq.
jq -r '.computer_name + " " + .status' "$M"/desktops/*/info.json | head -n 3
# Stop the first running desktop and wait for its job.
d=$(ls "$M/desktops-by-status/ACTIVE" | head -n 1)
echo stop > "$M/desktops/$d/action"
job=$(cut -d' ' -f2 < "$M/desktops/$d/action")
cat "$M/jobs/$job/wait"
cat "$M/desktops/$d/status"
