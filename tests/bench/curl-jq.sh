#!/bin/bash
# curl-jq.sh — the script an admin writes without wksfs, for tests/bench/bench.sh: an IAM
# token (password login), then every page of GET /v2/{project_id}/desktops/detail, one after
# the other, then jq over the pages.
#
#   curl-jq.sh ENDPOINT PAGEDIR ls|cat|grep|grepall|bystatus PATTERN
#
#   ls            one desktop_id a line              (ls desktops)
#   cat           one status a line                  (cat desktops/*/status)
#   grep PATTERN  desktops/<id>/status:<status>      (grep -r PATTERN desktops --include=status)
#   grepall PATTERN  desktops/<id>/ for each desktop with the pattern in any value
#                                                    (grep -r PATTERN desktops, by desktop)
#   bystatus STATUS  the desktop_id of each desktop in that status
#                                                    (ls desktops-by-status/STATUS)
#
# PAGEDIR is a naive cache: a page already there is used as it is (no expiry, no token
# needed), a missing one is fetched and kept. An empty PAGEDIR fetches everything.
# Credentials: WKS_IAM_USER, WKS_IAM_PASSWORD, WKS_IAM_DOMAIN, WKS_PROJECT_ID.
set -eu -o pipefail

endpoint=$1 pages=$2 what=$3 pattern=${4:-}
limit=500
token=

get_token()
{
	jq -n --arg u "$WKS_IAM_USER" --arg p "$WKS_IAM_PASSWORD" --arg d "$WKS_IAM_DOMAIN" \
	      --arg project "$WKS_PROJECT_ID" \
	      '{auth: {identity: {methods: ["password"],
				  password: {user: {domain: {name: $d}, name: $u, password: $p}}},
		       scope: {project: {id: $project}}}}' |
		curl -sSf -X POST "$endpoint/v3/auth/tokens?nocatalog=true" \
		     -H 'Content-Type: application/json;charset=utf8' --data-binary @- \
		     -D - -o /dev/null |
		tr -d '\r' | awk 'tolower($1) == "x-subject-token:" { print $2 }'
}

offset=0 total=1
while [ "$offset" -lt "$total" ]; do
	page=$(printf '%s/page-%09d.json' "$pages" "$offset")
	if [ ! -s "$page" ]; then
		[ -n "$token" ] || token=$(get_token)
		curl -sSf -H "X-Auth-Token: $token" -o "$page.part" \
		     "$endpoint/v2/$WKS_PROJECT_ID/desktops/detail?offset=$offset&limit=$limit"
		mv "$page.part" "$page"
	fi
	total=$(jq '.total_count' "$page")
	offset=$((offset + limit))
done

case $what in
ls)	jq -r '.desktops[].desktop_id' "$pages"/page-*.json ;;
cat)	jq -r '.desktops[].status' "$pages"/page-*.json ;;
grep)	jq -r --arg re "$pattern" '.desktops[] | select(.status | test($re))
		| "desktops/\(.desktop_id)/status:\(.status)"' "$pages"/page-*.json ;;
grepall) jq -r --arg re "$pattern" '.desktops[]
		| select([.. | scalars | tostring | test($re)] | any)
		| "desktops/\(.desktop_id)/"' "$pages"/page-*.json ;;
bystatus) jq -r --arg s "$pattern" '.desktops[] | select(.status == $s) | .desktop_id' \
		"$pages"/page-*.json ;;
*)	echo "usage: curl-jq.sh ENDPOINT PAGEDIR ls|cat|grep|grepall|bystatus PATTERN" >&2
	exit 2 ;;
esac
