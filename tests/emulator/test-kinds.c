/* test-kinds.c — the Workspace kinds of wksfs issue 5, driven over real HTTP.
 *
 * User groups (list, members, ADD / DELETE visible in members and group_names), desktop pools
 * (list, detail, pool desktops, the 4.3.8 desktop_type and pool_id filters, the pool action
 * and its job), the desktop writes (rename with its name rules, maintenance mode), deleting
 * desktops and users, faults restricted to one route with the documented 403 / 409 codes,
 * --hostile-names, the state views, the stats keys and determinism. Paging is checked
 * against each list's own limits and total field.
 */
#include "tests/emulator/emu-client.h"

#include <string.h>

#define N_DESKTOPS 60
#define N_USERS 20
#define N_GROUPS 4
#define N_POOLS 3

static Emulator *shared;

static int array_size(const cJSON *obj, const char *name)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, name);

	g_assert_true(cJSON_IsArray(arr));
	return cJSON_GetArraySize(arr);
}

static const cJSON *item_at(const cJSON *obj, const char *name, int i)
{
	const cJSON *item = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(obj, name), i);

	g_assert_nonnull(item);
	return item;
}

static void assert_status(Emulator *e, const char *method, const char *target,
			  const char *body, long status, const char *code)
{
	g_autoptr(Reply) r = http(e, method, target, body, AUTH_SIGNED);

	if (code)
		assert_error(r, status, code);
	else
		g_assert_cmpint(r->status, ==, status);
}

static void test_groups(void)
{
	static const char *const fields[] = {
		"name", "id", "create_time", "description", "user_quantity", "parent", "realm_id",
		"platform_type", "group_dn", "domain", "sid", "total_desktops",
	};
	cJSON *all = get_json(shared, "/v2/" PROJECT "/groups");
	cJSON *zero = get_json(shared, "/v2/" PROJECT "/groups?limit=0");
	cJSON *page = get_json(shared, "/v2/" PROJECT "/groups?offset=1&limit=2");
	cJSON *kw = get_json(shared, "/v2/" PROJECT "/groups?keyword=ENGIN");
	const cJSON *g;

	g_assert_cmpfloat(num_field(all, "total_count"), ==, N_GROUPS);
	g_assert_cmpint(array_size(all, "user_groups"), ==, N_GROUPS);
	cJSON_ArrayForEach(g, cJSON_GetObjectItem(all, "user_groups")) {
		for (guint i = 0; i < G_N_ELEMENTS(fields); i++)
			g_assert_nonnull(cJSON_GetObjectItemCaseSensitive(g, fields[i]));
		g_assert_true(g_regex_match_simple("^[0-9a-f]{32}$", str_field(g, "id"), 0, 0));
	}
	/* 4.9.1: limit 0 or none is 100; 1-100 otherwise. */
	g_assert_cmpint(array_size(zero, "user_groups"), ==, N_GROUPS);
	g_assert_cmpint(array_size(page, "user_groups"), ==, 2);
	g_assert_cmpfloat(num_field(page, "total_count"), ==, N_GROUPS);
	g_assert_cmpstr(str_field(item_at(page, "user_groups", 0), "id"), ==,
			str_field(item_at(all, "user_groups", 1), "id"));
	g_assert_cmpfloat(num_field(kw, "total_count"), ==, 1);
	g_assert_cmpstr(str_field(item_at(kw, "user_groups", 0), "name"), ==, "engineering");
	assert_status(shared, "GET", "/v2/" PROJECT "/groups?limit=101", NULL, 400, "WKS.0509");
	assert_status(shared, "GET", "/v2/" PROJECT "/groups?offset=-1", NULL, 400, "WKS.0508");
	cJSON_Delete(all);
	cJSON_Delete(zero);
	cJSON_Delete(page);
	cJSON_Delete(kw);
}

static gboolean has_string(const cJSON *arr, const char *s)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, arr)
		if (cJSON_IsString(item) && g_str_equal(item->valuestring, s))
			return TRUE;
	return FALSE;
}

/* Whether user id is a member of the group, by 4.9.7. */
static gboolean is_member(const char *members_path, const char *user_id)
{
	cJSON *members = get_json(shared, members_path);
	const cJSON *u;
	gboolean found = FALSE;

	g_assert_cmpfloat(num_field(members, "total_count"), ==,
			  array_size(members, "users"));
	cJSON_ArrayForEach(u, cJSON_GetObjectItem(members, "users"))
		found |= g_str_equal(str_field(u, "id"), user_id);
	cJSON_Delete(members);
	return found;
}

static void test_group_members(void)
{
	cJSON *groups = get_json(shared, "/v2/" PROJECT "/groups");
	cJSON *users = get_json(shared, "/v2/" PROJECT "/users");
	const cJSON *g = item_at(groups, "user_groups", 2);
	const char *name = str_field(g, "name");
	g_autofree char *members = g_strdup_printf("/v2/" PROJECT "/groups/%s/users",
						   str_field(g, "id"));
	g_autofree char *action = g_strdup_printf("/v2/" PROJECT "/groups/%s/actions",
						  str_field(g, "id"));
	g_autofree char *body = NULL, *detail = NULL, *bad = NULL;
	const char *user_id = NULL, *user_name = NULL;
	const cJSON *u;
	cJSON *after, *one;

	/* A user not yet in the group. */
	cJSON_ArrayForEach(u, cJSON_GetObjectItem(users, "users")) {
		if (!user_id && !has_string(cJSON_GetObjectItem(u, "group_names"), name)) {
			user_id = str_field(u, "id");
			user_name = str_field(u, "user_name");
		}
	}
	g_assert_nonnull(user_id);
	g_assert_false(is_member(members, user_id));
	body = g_strdup_printf("{\"op_type\":\"ADD\",\"user_ids\":[\"%s\"]}", user_id);
	assert_status(shared, "POST", action, body, 204, NULL);
	g_assert_true(is_member(members, user_id));
	detail = g_strdup_printf("/v2/" PROJECT "/users/%s", user_id);
	one = get_json(shared, detail);
	g_assert_true(has_string(cJSON_GetObjectItem(cJSON_GetObjectItem(one, "user_detail"),
						     "group_names"), name));
	cJSON_Delete(one);
	after = get_json(shared, "/v2/" PROJECT "/groups");
	g_assert_cmpfloat(num_field(item_at(after, "user_groups", 2), "user_quantity"), ==,
			  num_field(g, "user_quantity") + 1);
	cJSON_Delete(after);

	/* All or nothing: an unknown user changes nothing. */
	bad = g_strdup_printf("{\"op_type\":\"DELETE\",\"user_ids\":[\"%s\",\"nobody\"]}",
			      user_id);
	assert_status(shared, "POST", action, bad, 404, "WKS.00010031");
	g_assert_true(is_member(members, user_id));
	body[13] = 'X';         /* "ADD" -> "XDD" */
	assert_status(shared, "POST", action, body, 400, "WKS.0001");
	assert_status(shared, "POST", "/v2/" PROJECT "/groups/nope/actions",
		      "{\"op_type\":\"ADD\",\"user_ids\":[\"x\"]}", 404, "WKS.00010031");
	assert_status(shared, "GET", "/v2/" PROJECT "/groups/nope/users", NULL, 404,
		      "WKS.00010031");

	g_free(body);
	body = g_strdup_printf("{\"user_ids\":[\"%s\"],\"op_type\":\"DELETE\"}", user_id);
	assert_status(shared, "POST", action, body, 204, NULL);
	g_assert_false(is_member(members, user_id));
	{
		g_autofree char *by_group = g_strdup_printf("/v2/" PROJECT "/users?group_name=%s&"
							    "user_name=%s", name, user_name);
		cJSON *filtered = get_json(shared, by_group);

		g_assert_cmpfloat(num_field(filtered, "total_count"), ==, 0);
		cJSON_Delete(filtered);
	}
	cJSON_Delete(groups);
	cJSON_Delete(users);
}

static void test_pools(void)
{
	cJSON *pools = get_json(shared, "/v2/" PROJECT "/desktop-pools");
	cJSON *pooled = get_json(shared, "/v2/" PROJECT "/desktops/detail?desktop_type=POOLED");
	cJSON *dedicated = get_json(shared, "/v2/" PROJECT "/desktops/detail?"
				    "desktop_type=DEDICATED");
	const cJSON *p;
	double sum = 0;

	g_assert_cmpfloat(num_field(pools, "total_count"), ==, N_POOLS);
	g_assert_cmpint(array_size(pools, "desktop_pools"), ==, N_POOLS);
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(pools, "desktop_pools")) {
		g_autofree char *detail = g_strdup_printf("/v2/" PROJECT "/desktop-pools/%s",
							  str_field(p, "id"));
		g_autofree char *desktops = g_strdup_printf("%s/desktops?limit=100", detail);
		g_autofree char *first = g_strdup_printf("%s/desktops", detail);
		g_autofree char *by_pool = g_strdup_printf("/v2/" PROJECT "/desktops/detail?"
							   "pool_id=%s", str_field(p, "id"));
		cJSON *one = get_json(shared, detail);
		cJSON *list = get_json(shared, desktops);
		cJSON *page = get_json(shared, first);
		cJSON *filtered = get_json(shared, by_pool);
		double count = num_field(p, "desktop_count");
		const cJSON *d;

		g_assert_true(g_regex_match_simple("^[A-Za-z0-9-]+$", str_field(p, "name"), 0, 0));
		g_assert_true(cJSON_Compare(one, p, TRUE));
		g_assert_cmpfloat(count, >, 0);
		g_assert_cmpfloat(num_field(list, "total_count"), ==, count);
		g_assert_cmpfloat(num_field(list, "on_demand_desktops_num") +
				  num_field(list, "period_desktops_num"), ==, count);
		g_assert_cmpint(array_size(page, "pool_desktops"), ==, MIN(count, 10));
		g_assert_cmpfloat(num_field(filtered, "total_count"), ==, count);
		cJSON_ArrayForEach(d, cJSON_GetObjectItem(list, "pool_desktops")) {
			g_assert_cmpstr(str_field(d, "desktop_type"), ==, "POOLED");
			g_assert_true(cJSON_IsArray(cJSON_GetObjectItem(d, "inconsistent_types")));
		}
		sum += count;
		cJSON_Delete(one);
		cJSON_Delete(list);
		cJSON_Delete(page);
		cJSON_Delete(filtered);
	}
	g_assert_cmpfloat(num_field(pooled, "total_count"), ==, sum);
	g_assert_cmpfloat(num_field(dedicated, "total_count"), ==, N_DESKTOPS - sum);
	assert_status(shared, "GET", "/v2/" PROJECT "/desktop-pools?limit=1001", NULL, 400,
		      "WKS.0509");
	{
		g_autofree char *big = g_strdup_printf("/v2/" PROJECT "/desktop-pools/%s/desktops"
						       "?limit=101", str_field(item_at(pools,
						       "desktop_pools", 0), "id"));

		assert_status(shared, "GET", big, NULL, 400, "WKS.0509");
	}
	assert_status(shared, "GET", "/v2/" PROJECT "/desktop-pools/nope", NULL, 404,
		      "WKS.00010031");
	cJSON_Delete(pools);
	cJSON_Delete(pooled);
	cJSON_Delete(dedicated);
}

static void test_pool_action(void)
{
	cJSON *pools = get_json(shared, "/v2/" PROJECT "/desktop-pools");
	const char *id = NULL;
	g_autofree char *action = NULL, *desktops = NULL;
	g_autoptr(GPtrArray) active = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(Reply) r = NULL;
	const cJSON *p, *d;
	cJSON *before, *after;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(pools, "desktop_pools"))
		if (!id && cJSON_IsFalse(cJSON_GetObjectItem(p, "in_maintenance_mode")))
			id = str_field(p, "id");
	g_assert_nonnull(id);
	action = g_strdup_printf("/v2/" PROJECT "/desktop-pools/%s/action", id);
	desktops = g_strdup_printf("/v2/" PROJECT "/desktop-pools/%s/desktops?limit=100", id);
	before = get_json(shared, desktops);
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(before, "pool_desktops"))
		if (g_str_equal(str_field(d, "status"), "ACTIVE") &&
		    cJSON_IsFalse(cJSON_GetObjectItem(d, "in_maintenance_mode")))
			g_ptr_array_add(active, g_strdup(str_field(d, "desktop_id")));
	assert_status(shared, "POST", action, "{\"op_type\":\"os-hibernate\"}", 400, "WKS.0505");
	assert_status(shared, "POST", action, "{\"op_type\":\"os-stop\",\"type\":\"SOFTLY\"}",
		      400, "WKS.0001");
	/* Seed 9 gives this pool running desktops (and some not running, left alone). */
	g_assert_cmpuint(active->len, >, 0);
	r = http(shared, "POST", action, "{\"op_type\":\"os-stop\",\"type\":\"SOFT\"}",
		 AUTH_SIGNED);
	g_assert_cmpint(r->status, ==, 200);
	wait_job(shared, str_field(r->json, "job_id"));
	after = get_json(shared, desktops);
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(after, "pool_desktops")) {
		for (guint i = 0; i < active->len; i++)
			if (g_str_equal(active->pdata[i], str_field(d, "desktop_id")))
				g_assert_cmpstr(str_field(d, "status"), ==, "SHUTOFF");
		g_assert_cmpstr(str_field(d, "status"), !=, "ACTIVE");
	}
	cJSON_Delete(after);
	/* Nothing left to stop. */
	assert_status(shared, "POST", action, "{\"op_type\":\"os-stop\"}", 409, "WKS.00010032");
	assert_status(shared, "POST", "/v2/" PROJECT "/desktop-pools/nope/action",
		      "{\"op_type\":\"reboot\"}", 404, "WKS.00010031");
	cJSON_Delete(before);
	cJSON_Delete(pools);
}

static cJSON *desktop(const char *id)
{
	g_autofree char *path = g_strdup_printf("/v2/" PROJECT "/desktops/%s", id);
	cJSON *r = get_json(shared, path);
	cJSON *d = cJSON_DetachItemFromObject(r, "desktop");

	cJSON_Delete(r);
	return d;
}

static void test_desktop_writes(void)
{
	static const char *const bad_names[] = {
		"", "1abc", "has space", "toolongname12345", "sl/ash", "-dash",
	};
	cJSON *list = get_json(shared, "/v2/" PROJECT "/desktops/detail?limit=2&"
			       "desktop_type=DEDICATED");
	g_autofree char *id = g_strdup(str_field(item_at(list, "desktops", 0), "desktop_id"));
	const char *other = str_field(item_at(list, "desktops", 1), "computer_name");
	g_autofree char *path = g_strdup_printf("/v2/" PROJECT "/desktops/%s", id);
	g_autofree char *dup = g_strdup_printf("{\"desktop\":{\"computer_name\":\"%s\"}}", other);
	g_autofree char *maint = g_strdup_printf("{\"desktop_ids\":[\"%s\"],"
						 "\"in_maintenance_mode\":true}", id);
	g_autofree char *partly = g_strdup_printf("{\"desktop_ids\":[\"%s\",\"nope\"],"
						  "\"in_maintenance_mode\":false}", id);
	g_autoptr(Reply) ok = NULL;
	cJSON *d;

	ok = http(shared, "PUT", path, "{\"desktop\":{\"computer_name\":\"Renamed_1\","
		  "\"self_backup_management\":\"1\"}}", AUTH_SIGNED);
	g_assert_cmpint(ok->status, ==, 200);
	d = desktop(id);
	g_assert_cmpstr(str_field(d, "computer_name"), ==, "Renamed_1");
	cJSON_Delete(d);
	for (guint i = 0; i < G_N_ELEMENTS(bad_names); i++) {
		g_autofree char *body = g_strdup_printf("{\"desktop\":{\"computer_name\":\"%s\"}}",
							bad_names[i]);

		assert_status(shared, "PUT", path, body, 400, "WKS.0001");
	}
	assert_status(shared, "PUT", path, dup, 400, "WKS.00010139");
	assert_status(shared, "PUT", path, "{\"desktop\":{\"color\":\"red\"}}", 400, "WKS.0001");
	assert_status(shared, "PUT", path, "{\"computer_name\":\"x\"}", 400, "WKS.0001");
	assert_status(shared, "PUT", "/v2/" PROJECT "/desktops/nope",
		      "{\"desktop\":{\"computer_name\":\"abc\"}}", 404, "WKS.00010031");
	d = desktop(id);
	g_assert_cmpstr(str_field(d, "computer_name"), ==, "Renamed_1");
	cJSON_Delete(d);

	assert_status(shared, "PUT", "/v2/" PROJECT "/desktops/maintenance-mode", maint, 200,
		      NULL);
	d = desktop(id);
	g_assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "in_maintenance_mode")));
	cJSON_Delete(d);
	assert_status(shared, "PUT", "/v2/" PROJECT "/desktops/maintenance-mode", partly, 404,
		      "WKS.00010031");
	assert_status(shared, "PUT", "/v2/" PROJECT "/desktops/maintenance-mode",
		      "{\"desktop_ids\":[],\"in_maintenance_mode\":true}", 400, "WKS.0001");
	assert_status(shared, "PUT", "/v2/" PROJECT "/desktops/maintenance-mode",
		      "{\"desktop_ids\":[\"x\"],\"in_maintenance_mode\":\"yes\"}", 400,
		      "WKS.0001");
	d = desktop(id);
	g_assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "in_maintenance_mode")));
	cJSON_Delete(d);
	/* A literal segment names its own resource: not the desktop "maintenance-mode". */
	assert_status(shared, "GET", "/v2/" PROJECT "/desktops/maintenance-mode", NULL, 405,
		      "APIGW.0101");
	assert_status(shared, "DELETE", "/v2/" PROJECT "/desktops/detail", NULL, 405,
		      "APIGW.0101");
	cJSON_Delete(list);
}

static void test_deletes(void)
{
	cJSON *list = get_json(shared, "/v2/" PROJECT "/desktops/detail?user_attached=true&"
			       "limit=1");
	const cJSON *d = item_at(list, "desktops", 0);
	g_autofree char *path = g_strdup_printf("/v2/" PROJECT "/desktops/%s",
						str_field(d, "desktop_id"));
	g_autofree char *user = g_strdup(str_field(d, "user_name"));
	g_autofree char *by_name = g_strdup_printf("/v2/" PROJECT "/users?user_name=%s", user);
	g_autofree char *user_path = NULL, *mine = NULL;
	cJSON *before = get_json(shared, "/v2/" PROJECT "/desktops/detail?limit=0");
	double total = num_field(before, "total_count");
	cJSON *after, *u;

	assert_status(shared, "DELETE", path, NULL, 204, NULL);
	assert_status(shared, "GET", path, NULL, 404, "WKS.00010031");
	assert_status(shared, "DELETE", path, NULL, 404, "WKS.00010031");
	after = get_json(shared, "/v2/" PROJECT "/desktops/detail?limit=0");
	g_assert_cmpfloat(num_field(after, "total_count"), ==, total - 1);
	cJSON_Delete(after);

	u = get_json(shared, by_name);
	user_path = g_strdup_printf("/v2/" PROJECT "/users/%s",
				    str_field(item_at(u, "users", 0), "id"));
	cJSON_Delete(u);
	assert_status(shared, "DELETE", user_path, NULL, 204, NULL);
	assert_status(shared, "GET", user_path, NULL, 404, "WKS.00010031");
	assert_status(shared, "DELETE", user_path, NULL, 404, "WKS.00010031");
	u = get_json(shared, by_name);
	g_assert_cmpfloat(num_field(u, "total_count"), ==, 0);
	cJSON_Delete(u);
	/* Their other desktops stay, unassigned. */
	mine = g_strdup_printf("/v2/" PROJECT "/desktops/detail?user_name=%s", user);
	after = get_json(shared, mine);
	g_assert_cmpfloat(num_field(after, "total_count"), ==, 0);
	cJSON_Delete(after);
	after = get_json(shared, "/v2/" PROJECT "/users");
	g_assert_cmpfloat(num_field(after, "total_count"), ==, N_USERS - 1);
	cJSON_Delete(after);
	cJSON_Delete(before);
	cJSON_Delete(list);
}

static void test_route_faults(void)
{
	cJSON *pools = get_json(shared, "/v2/" PROJECT "/desktop-pools");
	g_autofree char *action = g_strdup_printf("/v2/" PROJECT "/desktop-pools/%s/action",
						  str_field(item_at(pools, "desktop_pools", 0),
							    "id"));
	g_autoptr(Reply) off = NULL;

	reply_free(control(shared, "POST", "/__emulator/faults", "{\"fail_rate\":1,"
			   "\"fail_status\":403,\"route\":\"POST /v2/{project_id}/desktop-pools/"
			   "{pool_id}/action\"}", 200));
	assert_status(shared, "POST", action, "{\"op_type\":\"reboot\"}", 403, "WKS.00010024");
	assert_status(shared, "GET", "/v2/" PROJECT "/desktop-pools", NULL, 200, NULL);
	reply_free(control(shared, "POST", "/__emulator/faults", "{\"fail_status\":409}", 200));
	assert_status(shared, "POST", action, "{\"op_type\":\"reboot\"}", 409, "WKS.00010032");
	off = control(shared, "POST", "/__emulator/faults",
		      "{\"fail_rate\":0,\"fail_status\":503,\"route\":\"\"}", 200);
	g_assert_cmpstr(str_field(off->json, "route"), ==, "");
	cJSON_Delete(pools);
}

/* Every list item is what its state view shows. */
static void check_state(const char *list_path, const char *array, const char *kind,
			const char *key_field)
{
	cJSON *list = get_json(shared, list_path);
	const cJSON *item;

	cJSON_ArrayForEach(item, cJSON_GetObjectItem(list, array)) {
		g_autofree char *key = g_uri_escape_string(str_field(item, key_field), NULL,
							   FALSE);
		g_autofree char *path = g_strdup_printf("/__emulator/state/%s/%s", kind, key);
		g_autoptr(Reply) r = control(shared, "GET", path, NULL, 200);

		g_assert_true(cJSON_Compare(r->json, item, TRUE));
	}
	cJSON_Delete(list);
}

static void test_state_views(void)
{
	check_state("/v2/" PROJECT "/groups", "user_groups", "groups", "id");
	check_state("/v2/" PROJECT "/groups", "user_groups", "groups", "name");
	check_state("/v2/" PROJECT "/desktop-pools", "desktop_pools", "pools", "id");
	check_state("/v2/" PROJECT "/desktop-pools", "desktop_pools", "pools", "name");
	check_state("/v2/" PROJECT "/desktops/detail?limit=5", "desktops", "desktops",
		    "computer_name");
	reply_free(control(shared, "GET", "/__emulator/state/pools/nope", NULL, 404));
	reply_free(control(shared, "GET", "/__emulator/state/widgets/x", NULL, 404));
}

static void test_hostile_names(void)
{
	const char *const args[] = {
		"--hostile-names", "--desktops", "5", "--users", "5", "--groups", "2",
		"--server-groups", "1", NULL,
	};
	Emulator *e = emulator_start(args);
	cJSON *users = get_json(e, "/v2/" PROJECT "/users");
	cJSON *groups = get_json(e, "/v2/" PROJECT "/groups");
	cJSON *desktops = get_json(e, "/v2/" PROJECT "/desktops/detail");
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	g_autoptr(Reply) state = http(e, "GET", "/__emulator/state/users/ops%2Fadmin", NULL,
				      AUTH_NONE);
	g_autoptr(Reply) group = http(e, "GET", "/__emulator/state/groups/night%0Ashift", NULL,
				      AUTH_NONE);
	gboolean spaced = FALSE;
	const cJSON *item;

	cJSON_ArrayForEach(item, cJSON_GetObjectItem(users, "users"))
		g_ptr_array_add(names, (gpointer)str_field(item, "user_name"));
	g_assert_true(g_ptr_array_find_with_equal_func(names, "ops/admin", g_str_equal, NULL));
	g_assert_true(g_ptr_array_find_with_equal_func(names, ".hidden", g_str_equal, NULL));
	g_assert_true(g_ptr_array_find_with_equal_func(names, "100%done", g_str_equal, NULL));
	g_assert_cmpstr(str_field(item_at(groups, "user_groups", 0), "name"), ==,
			"night\nshift");
	cJSON_ArrayForEach(item, cJSON_GetObjectItem(desktops, "desktops"))
		spaced |= strchr(str_field(item, "computer_name"), ' ') != NULL;
	g_assert_true(spaced);
	g_assert_cmpint(state->status, ==, 200);
	g_assert_cmpstr(str_field(state->json, "user_name"), ==, "ops/admin");
	g_assert_cmpint(group->status, ==, 200);
	cJSON_Delete(users);
	cJSON_Delete(groups);
	cJSON_Delete(desktops);
	emulator_stop(e);
}

static void test_stats_keys(void)
{
	static const char *const keys[] = {
		"GET /v2/{project_id}/groups", "GET /v2/{project_id}/groups/{group_id}/users",
		"POST /v2/{project_id}/groups/{group_id}/actions",
		"GET /v2/{project_id}/desktop-pools",
		"GET /v2/{project_id}/desktop-pools/{pool_id}",
		"GET /v2/{project_id}/desktop-pools/{pool_id}/desktops",
		"POST /v2/{project_id}/desktop-pools/{pool_id}/action",
		"PUT /v2/{project_id}/desktops/{desktop_id}",
		"PUT /v2/{project_id}/desktops/maintenance-mode",
		"DELETE /v2/{project_id}/desktops/{desktop_id}",
		"DELETE /v2/{project_id}/users/{user_id}",
		"GET /v1/{project_id}/app-server-groups",
		"GET /v1/{project_id}/app-server-groups/{server_group_id}",
		"GET /v1/{project_id}/app-servers",
		"PATCH /v1/{project_id}/app-servers/actions/batch-start",
		"PATCH /v1/{project_id}/app-servers/actions/batch-stop",
		"PATCH /v1/{project_id}/app-servers/actions/batch-reboot",
		"GET /v1/{project_id}/session/list-sessions", "GET /v1/{project_id}/session-type",
		"POST /v1/{project_id}/session-type",
	};
	g_autoptr(Reply) stats = control(shared, "GET", "/__emulator/stats", NULL, 200);
	const cJSON *routes = cJSON_GetObjectItem(stats->json, "routes");

	for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
		g_assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(routes, keys[i])));
	g_assert_cmpfloat(num_field(routes, "GET /v2/{project_id}/groups"), >, 0);
}

/* One seed, one tenant; and asking for the new kinds leaves desktops and users as they were
 * (pools aside: pooled desktops take their pool's product). */
static void test_determinism(void)
{
	const char *const a[] = { "--seed", "3", "--desktops", "50", "--users", "20",
				  "--groups", "5", "--pools", "2", NULL };
	const char *const plain[] = { "--seed", "3", "--desktops", "50", "--users", "20",
				      "--server-groups", "2", "--servers", "3", NULL };
	const char *const bare[] = { "--seed", "3", "--desktops", "50", "--users", "20", NULL };
	Emulator *one = emulator_start(a), *two = emulator_start(a);
	Emulator *three = emulator_start(plain), *four = emulator_start(bare);
	const char *const paths[] = {
		"/v2/" PROJECT "/groups", "/v2/" PROJECT "/desktop-pools",
		"/v2/" PROJECT "/desktops/detail",
	};

	for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
		g_autoptr(Reply) r1 = http(one, "GET", paths[i], NULL, AUTH_SIGNED);
		g_autoptr(Reply) r2 = http(two, "GET", paths[i], NULL, AUTH_SIGNED);

		g_assert_cmpint(r1->status, ==, 200);
		g_assert_cmpstr(r1->body->str, ==, r2->body->str);
	}
	{
		g_autoptr(Reply) r3 = http(three, "GET", paths[2], NULL, AUTH_SIGNED);
		g_autoptr(Reply) r4 = http(four, "GET", paths[2], NULL, AUTH_SIGNED);

		g_assert_cmpstr(r3->body->str, ==, r4->body->str);
	}
	emulator_stop(one);
	emulator_stop(two);
	emulator_stop(three);
	emulator_stop(four);
}

int main(int argc, char **argv)
{
	const char *const args[] = {
		"--desktops", G_STRINGIFY(N_DESKTOPS), "--users", G_STRINGIFY(N_USERS),
		"--groups", G_STRINGIFY(N_GROUPS), "--pools", G_STRINGIFY(N_POOLS),
		"--job-seconds", "0.3", "--seed", "9", NULL,
	};
	int ret;

	g_test_init(&argc, &argv, NULL);
	if (!g_getenv("WKS_EMULATOR")) {
		g_test_skip("WKS_EMULATOR is not set (run through meson test)");
		return g_test_run();
	}
	curl_global_init(CURL_GLOBAL_ALL);
	shared = emulator_start(args);

	g_test_add_func("/kinds/groups", test_groups);
	g_test_add_func("/kinds/group-members", test_group_members);
	g_test_add_func("/kinds/pools", test_pools);
	g_test_add_func("/kinds/pool-action", test_pool_action);
	g_test_add_func("/kinds/desktop-writes", test_desktop_writes);
	g_test_add_func("/kinds/deletes", test_deletes);
	g_test_add_func("/kinds/route-faults", test_route_faults);
	g_test_add_func("/kinds/state-views", test_state_views);
	g_test_add_func("/kinds/hostile-names", test_hostile_names);
	g_test_add_func("/kinds/stats-keys", test_stats_keys);
	g_test_add_func("/kinds/determinism", test_determinism);
	ret = g_test_run();

	emulator_stop(shared);
	curl_global_cleanup();
	return ret;
}
