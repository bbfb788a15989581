#!/bin/bash
# sdk-client-test.sh — wks-emulator against a client nobody here wrote: the official Huawei
# Cloud Node SDK core (@huaweicloud/huaweicloud-sdk-core@3.1.211 + uuid@9), driven through
# tests/sdk-client.mjs. Signed GETs (with and without the SDK's "{}" GET body), a POST and a
# PUT with JSON bodies, App Streaming GETs (/v1/...: ShowServer) and PATCHes (batch-maint,
# -reboot, -rejoin-domain, whose job ShowJobDetail serves), a desktop pool action, every list
# endpoint wksfs reads (issue 10's read-only kinds among them) and the singletons' GETs, a
# wrong SK (must be 401), and project-id discovery through IAM (GET /v3/projects) with
# --region.
#
# Env: WKS_EMULATOR (the binary), SDK_CLIENT (tests/sdk-client.mjs), WKSFS_NPM_CACHE (where
# the SDK is installed; default $HWSDK_DEFAULT_DIR, set by meson to build/hwsdk).
# Exit: 0 pass, 1 fail, 77 skip (no node/npm, or the npm registry is unreachable).
set -u

skip() { echo "1..0 # SKIP $*"; exit 77; }
fail() { echo "Bail out! $*"; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
emulator=${WKS_EMULATOR:-}
client=${SDK_CLIENT:-$here/../sdk-client.mjs}
sdk_dir=${WKSFS_NPM_CACHE:-${HWSDK_DEFAULT_DIR:-${MESON_BUILD_ROOT:-${TMPDIR:-/tmp}}/hwsdk}}
project=0123456789abcdef0123456789abcdef

[ -x "$emulator" ] || fail "WKS_EMULATOR is not set to the wks-emulator binary"
[ -f "$client" ] || fail "sdk-client.mjs not found at $client"
command -v node >/dev/null || skip "node is not installed"
command -v npm >/dev/null || skip "npm is not installed"

# ---------------------------------------------------------------- the SDK, installed once
installed() {
	[ -f "$sdk_dir/node_modules/@huaweicloud/huaweicloud-sdk-core/package.json" ] &&
	[ -f "$sdk_dir/node_modules/uuid/package.json" ] &&
	grep -q '"version": "3.1.211"' \
		"$sdk_dir/node_modules/@huaweicloud/huaweicloud-sdk-core/package.json"
}

install_sdk() {
	local log=$sdk_dir/npm-install.log
	if installed; then
		return 0
	fi
	echo "# installing the Huawei Cloud SDK core into $sdk_dir"
	if [ ! -f "$sdk_dir/package.json" ]; then
		(cd "$sdk_dir" && npm init -y >/dev/null 2>&1) || fail "npm init failed in $sdk_dir"
	fi
	if ! (cd "$sdk_dir" && npm install --no-audit --no-fund \
			@huaweicloud/huaweicloud-sdk-core@3.1.211 uuid@9) >"$log" 2>&1; then
		unreachable='ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH'
		if grep -qE "$unreachable|network|proxy" "$log"; then
			skip "npm registry unreachable (see $log)"
		fi
		sed 's/^/# /' "$log"
		fail "npm install failed (see $log)"
	fi
	installed || fail "npm install did not produce sdk-core 3.1.211 and uuid"
}

mkdir -p "$sdk_dir" || fail "cannot create $sdk_dir"
if command -v flock >/dev/null; then
	# Two test runs sharing the cache must not install into it at the same time.
	exec 9>"$sdk_dir/.lock"
	flock 9
	install_sdk
	flock -u 9
else
	install_sdk
fi

# ---------------------------------------------------------------- the emulator
work=$(mktemp -d "${TMPDIR:-/tmp}/sdk-client-test.XXXXXX") || fail "mktemp failed"
emu_pid=
cleanup() {
	if [ -n "$emu_pid" ]; then
		kill "$emu_pid" 2>/dev/null
		wait "$emu_pid" 2>/dev/null
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

"$emulator" --port-file "$work/port" --desktops 30 --users 8 --job-seconds 0.2 \
	--pools 2 --server-groups 2 --servers 4 --groups 2 --sessions 4 \
	>"$work/emulator.log" 2>&1 &
emu_pid=$!
for _ in $(seq 500); do
	[ -s "$work/port" ] && break
	kill -0 "$emu_pid" 2>/dev/null || { cat "$work/emulator.log"; fail "wks-emulator died"; }
	sleep 0.02
done
[ -s "$work/port" ] || fail "wks-emulator wrote no port file"
port=$(cat "$work/port")
endpoint=http://127.0.0.1:$port

# ---------------------------------------------------------------- the cases
n=0
failed=0
out=$work/out

sdk() {
	node "$client" --sdk-dir "$sdk_dir" --endpoint "$endpoint" "$@" >"$out" 2>&1
}

# json EXPR: evaluates EXPR over the body sdk-client printed (after the "HTTP nnn" line).
json() {
	node -e '
		const s = require("fs").readFileSync(process.argv[1], "utf8");
		const text = s.slice(s.indexOf("\n") + 1).replace(/\nSDK would raise[^]*$/, "");
		const body = JSON.parse(text);
		const v = (function () { return eval(process.argv[2]); }).call(body);
		console.log(typeof v === "string" ? v : JSON.stringify(v));
	' "$out" "$1" 2>/dev/null
}

check() {
	local desc=$1 cond=$2
	n=$((n + 1))
	if eval "$cond"; then
		echo "ok $n - $desc"
	else
		failed=$((failed + 1))
		echo "not ok $n - $desc"
		sed 's/^/#   /' "$out" | head -40
	fi
}

status_is() { head -1 "$out" | grep -qx "HTTP $1"; }
keys=(--ak EMULATORAK --sk EMULATORSK --project-id "$project")
detail='/v2/{project_id}/desktops/detail'

sdk "${keys[@]}" GET "$detail?limit=5&offset=0"
check "signed GET desktops/detail" \
	'status_is 200 && [ "$(json "this.desktops.length")" = 5 ] &&
	 [ "$(json "this.total_count")" = 30 ]'

sdk "${keys[@]}" --empty-object-body GET "$detail?limit=5&offset=0"
check "signed GET with the SDK's {} body" \
	'status_is 200 && [ "$(json "this.desktops.length")" = 5 ]'

sdk "${keys[@]}" GET "$detail?status=ACTIVE&in_maintenance_mode=false&limit=2"
check "query filters are signed and applied" \
	'status_is 200 && [ "$(json "this.desktops.every(d => d.status == \"ACTIVE\")")" = true ]'
id=$(json "this.desktops[0].desktop_id")
id2=$(json "this.desktops[1].desktop_id")

sdk "${keys[@]}" GET "$detail?desktop_id=$id2&desktop_id=$id&computer_name=a b!'()*&limit=3"
check "repeated keys and reserved characters in the query" \
	'status_is 200 && [ "$(json "this.total_count")" = 0 ]'

sdk "${keys[@]}" -d "{\"desktop_ids\":[\"$id\"],\"op_type\":\"reboot\",\"type\":\"SOFT\"}" \
	POST /v2/{project_id}/desktops/action
check "POST desktops/action with a JSON body" \
	'status_is 200 && [ -n "$(json "this.job_id")" ]'
job=$(json "this.job_id")

sdk "${keys[@]}" GET "/v2/{project_id}/workspace-jobs/$job"
check "GET the job" 'status_is 200 && [ "$(json "this.id")" = "$job" ]'

sdk "${keys[@]}" GET "/v2/{project_id}/users?user_name=user0001"
user=$(json "this.users[0].id")
sdk "${keys[@]}" -d '{"description":"set through the SDK","user_email":"sdk@example.com"}' \
	PUT "/v2/{project_id}/users/$user"
check "PUT users/{user_id}" 'status_is 200 && [ "$(json "this.id")" = "$user" ]'

sdk "${keys[@]}" GET "/v2/{project_id}/users/$user"
check "the PUT is visible to a later GET" \
	'status_is 200 && [ "$(json "this.user_detail.user_email")" = sdk@example.com ]'

sdk "${keys[@]}" GET "/v1/{project_id}/app-server-groups?limit=5&offset=0"
check "App Streaming GET app-server-groups ({count, items})" \
	'status_is 200 && [ "$(json "this.count")" = 2 ] && [ "$(json "this.items.length")" = 2 ]'
group=$(json "this.items[0].id")

sdk "${keys[@]}" GET "/v1/{project_id}/app-servers?server_group_id=$group"
check "App Streaming GET app-servers filtered by server_group_id" \
	'status_is 200 &&
	 [ "$(json "this.items.every(s => s.server_group_id == \"$group\")")" = true ]'

server=$(json "this.items[0].id")
sdk "${keys[@]}" GET "/v1/{project_id}/app-servers/$server"
check "App Streaming ShowServer: the server, flat, with addresses" \
	'status_is 200 && [ "$(json "this.id")" = "$server" ] &&
	 [ "$(json "typeof this.addresses")" = object ]'

# The SDK's response models of these have no field: 200 and nothing else.
sdk "${keys[@]}" -d "{\"items\":[\"$server\"],\"maintain_status\":true}" \
	PATCH "/v1/{project_id}/app-servers/actions/batch-maint"
check "PATCH app-servers/actions/batch-maint (BatchChangeServerMaintainMode)" \
	'status_is 200 && [ "$(json "Object.keys(this).length")" = 0 ]'
sdk "${keys[@]}" GET "/v1/{project_id}/app-servers/$server"
check "the maintenance mark is visible to ShowServer" \
	'status_is 200 && [ "$(json "this.maintain_status")" = true ]'
sdk "${keys[@]}" -d "{\"items\":[\"$server\"],\"type\":\"SOFT\"}" \
	PATCH "/v1/{project_id}/app-servers/actions/batch-reboot"
check "PATCH app-servers/actions/batch-reboot: 200, no job id" \
	'status_is 200 && [ "$(json "this.job_id === undefined")" = true ]'

sdk "${keys[@]}" GET "/v1/{project_id}/app-servers?server_group_id=$group"
other=$(json "this.items.find(s => s.id != \"$server\" && s.vm_status == \"ACTIVE\").id")
sdk "${keys[@]}" -d "{\"items\":[\"$other\"]}" \
	PATCH "/v1/{project_id}/app-servers/actions/batch-rejoin-domain"
check "PATCH app-servers/actions/batch-rejoin-domain names a job" \
	'status_is 200 && [ -n "$(json "this.job_id")" ]'
ajob=$(json "this.job_id")
sdk "${keys[@]}" GET "/v2/{project_id}/job/$ajob"
check "ShowJobDetail (GET /v2/{project_id}/job/{job_id}) has it" \
	'status_is 200 && [ "$(json "this.id")" = "$ajob" ] &&
	 [ "$(json "this.job_type")" = REJOIN_DOMAIN ] &&
	 [ "$(json "this.sub_jobs[0].job_resource_info.resource_id")" = "$other" ]'

sdk "${keys[@]}" GET "/v2/{project_id}/desktop-pools"
pool=$(json "this.desktop_pools[0].id")
sdk "${keys[@]}" -d '{"op_type":"reboot","type":"SOFT"}' \
	POST "/v2/{project_id}/desktop-pools/$pool/action"
check "POST desktop-pools/{pool_id}/action" \
	'[ -n "$pool" ] && status_is 200 && [ -n "$(json "this.job_id")" ]'

# Every list endpoint wksfs reads: 200 and a well-formed body with the documented array and
# total, through the official SDK.
now=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
week=$(date -u -d '8 days ago' +%Y-%m-%dT%H:%M:%S.000Z)
sdk "${keys[@]}" GET "/v2/{project_id}/groups?limit=100&offset=0"
gid=$(json "this.user_groups[0].id")
for spec in \
	"users|/v2/{project_id}/users?limit=1000&offset=0|users|total_count" \
	"groups|/v2/{project_id}/groups?limit=100&offset=0|user_groups|total_count" \
	"group members|/v2/{project_id}/groups/$gid/users?limit=2000&offset=0|users|total_count" \
	"desktop-pools|/v2/{project_id}/desktop-pools?limit=1000&offset=0|desktop_pools|total_count" \
	"pool desktops|/v2/{project_id}/desktop-pools/$pool/desktops?limit=100&offset=0|pool_desktops|total_count" \
	"app-servers|/v1/{project_id}/app-servers?limit=100&offset=0|items|count" \
	"sessions|/v1/{project_id}/session/list-sessions?limit=100&offset=0&query_begin_time=$week&query_end_time=$now|items|count" \
	"session types|/v1/{project_id}/session-type|session_types|"; do
	IFS='|' read -r what path array total <<EOF2
$spec
EOF2
	sdk "${keys[@]}" GET "$path"
	if [ -n "$total" ]; then
		check "list $what: 200, $array and $total" \
			'status_is 200 && [ "$(json "Array.isArray(this.$array)")" = true ] &&
			 [ "$(json "Number.isInteger(this.$total) && this.$total >= this.$array.length")" = true ]'
	else
		check "list $what: 200 and $array" \
			'status_is 200 && [ "$(json "this.$array.length > 0")" = true ]'
	fi
done

# Every list endpoint of the read-only kinds of issue 10 (the sub-collections of one
# scheduled task and one app group among them), and the singletons' GETs.
sdk "${keys[@]}" GET "/v2/{project_id}/scheduled-tasks?offset=0&limit=50"
task=$(json "this.scheduled_tasks[0].id")
sdk "${keys[@]}" GET "/v1/{project_id}/app-groups?offset=0&limit=100"
app_group=$(json "this.items[0].id")
for spec in \
	"sites|/v2/{project_id}/sites|site_infos|total_count" \
	"ous|/v2/{project_id}/ous?offset=0&limit=1000|ous|total_count" \
	"quotas|/v2/{project_id}/quotas|quotas.resources|" \
	"availability-zones|/v2/{project_id}/availability-zones|availability_zones|total_count" \
	"products|/v2/{project_id}/products?offset=0&limit=100|products|total_count" \
	"images|/v2/{project_id}/images?offset=0&limit=100|images|total_count" \
	"desktop-name-policies|/v2/{project_id}/desktop-name-policies?offset=0&limit=50|desktop_name_policy_infos|total_count" \
	"terminal-bindings|/v2/{project_id}/terminals/binding-desktops?offset=0&limit=100|bind_list|total_num" \
	"bandwidths|/v2/{project_id}/bandwidths?offset=0&limit=1000|bandwidths|total_count" \
	"eips|/v2/{project_id}/eips?offset=0&limit=1000|eips|total_count" \
	"nat-gateways|/v2/{project_id}/nat-gateways|nat_gateways|" \
	"policy-groups|/v2/{project_id}/policy-groups/detail?offset=0&limit=100|policy_groups|total_count" \
	"access-policies|/v2/{project_id}/access-policy?offset=0&limit=100|policies|total" \
	"scripts|/v2/{project_id}/scripts?offset=0&limit=100|scripts|count" \
	"script-executions|/v2/{project_id}/script-execution-records?offset=0&limit=100|script_records|count" \
	"scheduled-tasks|/v2/{project_id}/scheduled-tasks?offset=0&limit=50|scheduled_tasks|total_count" \
	"scheduled-task records|/v2/{project_id}/scheduled-tasks/$task/records?offset=0&limit=100|tasks_records|total_count" \
	"snapshots|/v2/{project_id}/snapshots?offset=0&limit=1000|desktop_snapshots|total_count" \
	"screen-records|/v2/{project_id}/screen-records?offset=0&limit=100|screen_records|total_count" \
	"notify-rules|/v2/{project_id}/statistics/notify-rules?offset=0&limit=100|items|count" \
	"alarms|/v2/{project_id}/alarms?offset=0&limit=100|alarm_histories|count" \
	"sub-jobs|/v2/{project_id}/workspace-sub-jobs?offset=0&limit=1000|jobs|total_count" \
	"unused desktops|/v2/{project_id}/desktops/statistics/unused?offset=0&limit=2000|unused_desktops|total_count" \
	"apps|/v1/{project_id}/app-center/apps?offset=0&limit=100|items|count" \
	"app-catalogs|/v1/{project_id}/app-center/app-catalogs|items|" \
	"app-rules|/v1/{project_id}/app-center/app-rules?offset=0&limit=100|items|count" \
	"app-groups|/v1/{project_id}/app-groups?offset=0&limit=100|items|count" \
	"published apps|/v1/{project_id}/app-groups/$app_group/apps?offset=0&limit=100|items|count" \
	"image-servers|/v1/{project_id}/image-servers?offset=0&limit=100|items|count" \
	"app-storages|/v1/{project_id}/persistent-storages?offset=0&limit=100|items|count" \
	"app-policy-groups|/v1/{project_id}/policy-groups?offset=0&limit=100|items|count" \
	"app-scheduled-tasks|/v1/{project_id}/schedule-task?offset=0&limit=100|items|count"; do
	IFS='|' read -r what path array total <<EOF2
$spec
EOF2
	sdk "${keys[@]}" GET "$path"
	if [ -n "$total" ]; then
		check "list $what: 200, $array and $total" \
			'status_is 200 && [ "$(json "this.$array.length > 0")" = true ] &&
			 [ "$(json "Number.isInteger(this.$total) && this.$total >= this.$array.length")" = true ]'
	else
		check "list $what: 200 and $array" \
			'status_is 200 && [ "$(json "this.$array.length > 0")" = true ]'
	fi
done
for spec in \
	"workspace|/v2/{project_id}/workspaces|status" \
	"run state|/v2/{project_id}/desktops/statistics/run-state|active_num" \
	"login state|/v2/{project_id}/desktops/statistics/login-state|in_use_num" \
	"alarm statistics|/v2/{project_id}/statistics/alarms|total" \
	"online users|/v2/{project_id}/connections/online-users?query_type=DAY|time_counts"; do
	IFS='|' read -r what path field <<EOF2
$spec
EOF2
	sdk "${keys[@]}" GET "$path"
	check "GET $what: 200 and $field" \
		'status_is 200 && [ "$(json "this.$field !== undefined")" = true ]'
done
sdk "${keys[@]}" GET "/v2/{project_id}/scheduled-tasks"
check "scheduled-tasks without the mandatory offset and limit: 400" \
	'status_is 400 && grep -q WKS.0001 "$out"'

sdk --ak EMULATORAK --sk WRONG --project-id "$project" GET "$detail?limit=1"
rc=$?
check "a wrong SK gets 401 (sdk-client exits 1)" \
	'[ $rc = 1 ] && status_is 401 && grep -q APIGW.0301 "$out"'

sdk --ak EMULATORAK --sk EMULATORSK --region ap-southeast-1 --iam-endpoint "$endpoint" \
	GET "$detail?limit=2"
check "project id discovered through GET /v3/projects (--region, no --project-id)" \
	'status_is 200 && [ "$(json "this.desktops.length")" = 2 ]'

node -e '
	fetch(process.argv[1] + "/__emulator/stats").then(r => r.json()).then(s => {
		const r = s.routes;
		const ok = r["GET /v3/projects"] >= 1 &&
			r["PUT /v2/{project_id}/users/{user_id}"] === 1 &&
			r["POST /v2/{project_id}/desktops/action"] === 1 &&
			r["GET /v1/{project_id}/app-server-groups"] === 1 &&
			r["PATCH /v1/{project_id}/app-servers/actions/batch-maint"] === 1 &&
			r["GET /v2/{project_id}/job/{job_id}"] === 1 &&
			r["POST /v2/{project_id}/desktop-pools/{pool_id}/action"] === 1;
		process.exit(ok ? 0 : 1);
	}).catch(() => process.exit(1));
' "$endpoint" >"$out" 2>&1
rc=$?
check "the emulator counted the SDK's calls per route" '[ $rc = 0 ]'

echo "1..$n"
[ "$failed" = 0 ] || exit 1
exit 0
