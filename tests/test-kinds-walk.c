/* test-kinds-walk.c — every read-only kind of issue 10 through a real mount: `find` and
 * `cat` of every file with no error; each kind's directories and files against the API's
 * own answer (the list route read directly, every page, with an IAM token); the singletons
 * against their GETs; the sub-collections (scheduled-tasks/X/records/, app-groups/X/apps/)
 * against theirs; paging where a tenant holds more objects than a page; one object read by
 * its path alone (a name filter, a detail GET, or the listing); the escaping of odd names;
 * and the listing filling the cache: reading every file of every kind costs the kinds'
 * pages and nothing per object (the emulator's request counters).
 */
#include <errno.h>
#include <ftw.h>
#include <string.h>

#include "tests/harness.h"

/* More scheduled tasks (page 50), app groups (page 100) and desktop name policies (page
 * 50) than one page holds; odd names in three kinds. */
static const char *const TENANT[] = {
	"--desktops", "30", "--users", "10", "--groups", "2", "--pools", "1",
	"--server-groups", "2", "--servers", "4", "--sessions", "4", "--seed", "31",
	"--hostile-names",
	"--kind-count", "scheduled-tasks=53,app-groups=102,desktop-name-policies=51",
	NULL,
};

/* A collection as the API lists it: route (paged by limit when > 0), array, names. */
typedef struct {
	const char *dir;
	const char *path;
	const char *array;	/* "quotas.resources": inside an object */
	const char *name;	/* the field naming the directory */
	int limit;		/* the page wksfs asks for; 0: one GET without paging */
	gboolean limit_only;	/* a limit and no offset */
} Collection;

static const Collection COLLECTIONS[] = {
	{ "sites", "/v2/{project_id}/sites", "site_infos", "site_id", 0 },
	{ "ous", "/v2/{project_id}/ous", "ous", "ou_name", 1000 },
	{ "quotas", "/v2/{project_id}/quotas", "quotas.resources", "type", 0 },
	{ "availability-zones", "/v2/{project_id}/availability-zones", "availability_zones",
	  "availability_zone", 0 },
	{ "products", "/v2/{project_id}/products", "products", "product_id", 100 },
	{ "images", "/v2/{project_id}/images", "images", "id", 100 },
	{ "desktop-name-policies", "/v2/{project_id}/desktop-name-policies",
	  "desktop_name_policy_infos", "policy_name", 50 },
	{ "terminal-bindings", "/v2/{project_id}/terminals/binding-desktops", "bind_list", "id",
	  100 },
	{ "bandwidths", "/v2/{project_id}/bandwidths", "bandwidths", "bandwidth_name", 1000 },
	{ "eips", "/v2/{project_id}/eips", "eips", "address", 1000 },
	{ "nat-gateways", "/v2/{project_id}/nat-gateways", "nat_gateways", "name", 0 },
	{ "policy-groups", "/v2/{project_id}/policy-groups/detail", "policy_groups",
	  "policy_group_name", 100 },
	{ "access-policies", "/v2/{project_id}/access-policy", "policies", "policy_id", 100 },
	{ "scripts", "/v2/{project_id}/scripts", "scripts", "name", 100 },
	{ "script-executions", "/v2/{project_id}/script-execution-records", "script_records",
	  "id", 100 },
	{ "scheduled-tasks", "/v2/{project_id}/scheduled-tasks", "scheduled_tasks", "task_name",
	  50 },
	{ "snapshots", "/v2/{project_id}/snapshots", "desktop_snapshots", "snapshot_id", 1000 },
	{ "screen-records", "/v2/{project_id}/screen-records", "screen_records", "id", 100 },
	{ "notify-rules", "/v2/{project_id}/statistics/notify-rules", "items", "rule_id", 100 },
	{ "alarms", "/v2/{project_id}/alarms", "alarm_histories", "record_id", 100 },
	{ "sub-jobs", "/v2/{project_id}/workspace-sub-jobs", "jobs", "id", 1000 },
	{ "apps", "/v1/{project_id}/app-center/apps", "items", "name", 100 },
	{ "app-catalogs", "/v1/{project_id}/app-center/app-catalogs", "items", "id", 0 },
	{ "app-rules", "/v1/{project_id}/app-center/app-rules", "items", "name", 100 },
	{ "app-groups", "/v1/{project_id}/app-groups", "items", "name", 100 },
	{ "image-servers", "/v1/{project_id}/image-servers", "items", "name", 100 },
	{ "app-storages", "/v1/{project_id}/persistent-storages", "items", "name", 100 },
	{ "app-policy-groups", "/v1/{project_id}/policy-groups", "items", "name", 100 },
	{ "app-scheduled-tasks", "/v1/{project_id}/schedule-task", "items", "task_name", 100 },
};

/* A singleton: its directory, and the GETs whose fields it shows. */
static const struct {
	const char *dir;
	const char *parts[5];
} SINGLETONS[] = {
	{ "workspace", { "/v2/{project_id}/workspaces" } },
	{ "statistics", { "/v2/{project_id}/desktops/statistics/run-state",
			  "/v2/{project_id}/desktops/statistics/login-state",
			  "/v2/{project_id}/desktops/statistics/unused?offset=0&limit=2000",
			  "/v2/{project_id}/statistics/alarms" } },
	{ "online-users", { "/v2/{project_id}/connections/online-users?query_type=DAY" } },
};

/* A sub-collection: the kind, its link directory, the route ({id}: the object's id). */
static const struct {
	const char *dir;
	const char *id_field;
	const char *link;
	const char *path;
	const char *array;
	const char *name;
} SUBS[] = {
	{ "scheduled-tasks", "id", "records", "/v2/{project_id}/scheduled-tasks/%s/records",
	  "tasks_records", "id" },
	{ "app-groups", "id", "apps", "/v1/{project_id}/app-groups/%s/apps", "items", "name" },
};

static const cJSON *array_at(const cJSON *root, const char *key)
{
	g_auto(GStrv) steps = g_strsplit(key, ".", -1);
	const cJSON *v = root;

	for (guint i = 0; steps[i] && v; i++)
		v = cJSON_GetObjectItemCaseSensitive(v, steps[i]);
	return cJSON_IsArray(v) ? v : NULL;
}

/* Every object of a list route, every page (counting the pages), as one array. */
static cJSON *read_all(Mount *m, const char *path, const char *array, int limit,
		       gboolean limit_only, int *ret_pages)
{
	cJSON *all = cJSON_CreateArray();
	int pages = 0;

	for (int offset = 0;; pages++) {
		const char *sep = strchr(path, '?') ? "&" : "?";
		g_autofree char *target = limit <= 0 ? g_strdup(path) :
			limit_only ? g_strdup_printf("%s?limit=%d", path, limit) :
			g_strdup_printf("%s%soffset=%d&limit=%d", path, sep, offset, limit);
		long status = 0;
		cJSON *page = harness_api_get(m, target, &status);
		const cJSON *arr = array_at(page, array), *item;
		int n = cJSON_GetArraySize(arr);

		if (!arr)
			g_test_fail_printf("GET %s: %ld, no %s array", target, status, array);
		cJSON_ArrayForEach(item, arr)
			cJSON_AddItemToArray(all, cJSON_Duplicate(item, TRUE));
		cJSON_Delete(page);
		offset += n;
		if (limit <= 0 || limit_only || n < limit) {
			pages++;
			break;
		}
	}
	*ret_pages = pages;
	return all;
}

/* The escaping of the README (fs/path.c), as the test sees it. */
static char *escape(const char *name)
{
	GString *out = g_string_new(NULL);

	for (const char *p = name; *p; p++) {
		guchar c = (guchar)*p;

		if (c == '/' || c == '%' || c < 0x20 || c == 0x7f || (p == name && c == '.'))
			g_string_append_printf(out, "%%%02X", c);
		else
			g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

static gboolean scalar(const cJSON *v)
{
	return cJSON_IsString(v) || cJSON_IsNumber(v) || cJSON_IsBool(v) || cJSON_IsNull(v);
}

/* The directory rel shows obj: info.json is obj, each scalar field's file its text. */
static void check_object(Mount *m, const char *rel, const cJSON *obj)
{
	g_autofree char *info_rel = g_strconcat(rel, "/info.json", NULL);
	g_autofree char *info = harness_read(m, info_rel);
	g_autoptr(GPtrArray) files = harness_list(m, rel);
	cJSON *ours = info ? cJSON_Parse(info) : NULL;
	const cJSON *field;

	if (!ours || !cJSON_Compare(ours, obj, TRUE))
		g_test_fail_printf("%s: info.json differs from the API's object", rel);
	cJSON_Delete(ours);
	cJSON_ArrayForEach(field, obj) {
		g_autofree char *frel = NULL, *text = NULL, *want = NULL, *printed = NULL;

		if (!scalar(field) || !field->string[0])
			continue;
		frel = g_strconcat(rel, "/", field->string, NULL);
		text = harness_read(m, frel);
		if (cJSON_IsString(field))
			want = g_strconcat(field->valuestring, "\n", NULL);
		else if (cJSON_IsNull(field))
			want = g_strdup("");
		else
			want = g_strconcat(printed = cJSON_PrintUnformatted(field), "\n", NULL);
		if (g_strcmp0(text, want) != 0)
			g_test_fail_printf("%s reads \"%s\", the API says \"%s\"", frel,
					   text ? text : g_strerror(errno), want);
	}
	if (files->len < 2)
		g_test_fail_printf("%s: %u files", rel, files->len);
}

/* The names of a directory of the mount against the API's objects' names. */
static void check_names(Mount *m, const char *rel, const cJSON *objects, const char *name)
{
	g_autoptr(GPtrArray) ours = harness_list(m, rel);
	g_autoptr(GPtrArray) theirs = g_ptr_array_new_with_free_func(g_free);
	const cJSON *o;

	cJSON_ArrayForEach(o, objects)
		g_ptr_array_add(theirs, escape(cJSON_GetStringValue(cJSON_GetObjectItem(o, name))));
	if (ours->len != theirs->len)
		g_test_fail_printf("%s: %u entries, the API lists %u", rel, ours->len,
				   theirs->len);
	for (guint i = 0; i < theirs->len; i++) {
		gboolean found = FALSE;

		for (guint k = 0; k < ours->len && !found; k++)
			found = g_str_equal(ours->pdata[k], theirs->pdata[i]);
		if (!found)
			g_test_fail_printf("%s: no %s", rel, (char *)theirs->pdata[i]);
	}
}

/* One mount for the tests below (made by the first, unmounted by the last), with a TTL
 * longer than they take. */
static Mount *shared;

static gboolean mounted(void)
{
	if (!shared)
		shared = harness_start(TENANT, "ttl=300");
	return shared != NULL;
}

static void test_unmount(void)
{
	harness_stop(g_steal_pointer(&shared));
}

static void test_collections(void)
{
	if (!mounted())
		return;
	for (gsize i = 0; i < G_N_ELEMENTS(COLLECTIONS); i++) {
		const Collection *c = &COLLECTIONS[i];
		int pages;
		cJSON *all = read_all(shared, c->path, c->array, c->limit, c->limit_only, &pages);
		const cJSON *o;

		if (cJSON_GetArraySize(all) == 0)
			g_test_fail_printf("%s: the tenant has none", c->dir);
		check_names(shared, c->dir, all, c->name);
		cJSON_ArrayForEach(o, all) {
			g_autofree char *esc = escape(cJSON_GetStringValue(
				cJSON_GetObjectItem(o, c->name)));
			g_autofree char *rel = g_strconcat(c->dir, "/", esc, NULL);

			check_object(shared, rel, o);
		}
		cJSON_Delete(all);
	}
}

static void test_singletons(void)
{
	if (!mounted())
		return;
	for (gsize i = 0; i < G_N_ELEMENTS(SINGLETONS); i++) {
		cJSON *merged = cJSON_CreateObject();

		for (guint p = 0; SINGLETONS[i].parts[p]; p++) {
			cJSON *part = harness_api_get(shared, SINGLETONS[i].parts[p], NULL);
			const cJSON *f;

			g_assert_nonnull(part);
			cJSON_ArrayForEach(f, part)
				if (!cJSON_GetObjectItemCaseSensitive(merged, f->string))
					cJSON_AddItemToObject(merged, f->string,
							      cJSON_Duplicate(f, TRUE));
			cJSON_Delete(part);
		}
		check_object(shared, SINGLETONS[i].dir, merged);
		cJSON_Delete(merged);
	}
	/* The desktops' own files agree with the statistics. */
	g_autoptr(GPtrArray) desktops = harness_list(shared, "desktops");
	guint active = 0;

	for (guint i = 0; i < desktops->len; i++) {
		g_autofree char *rel = g_strdup_printf("desktops/%s/status",
						       (char *)desktops->pdata[i]);
		g_autofree char *status = harness_read(shared, rel);

		active += g_strcmp0(status, "ACTIVE\n") == 0;
	}
	g_autofree char *n = harness_read(shared, "statistics/active_num");
	g_autofree char *want = g_strdup_printf("%u\n", active);

	g_assert_cmpstr(n, ==, want);
	g_assert_null(harness_read(shared, "statistics/nothing"));
	g_assert_cmpint(errno, ==, ENOENT);
}

static void test_sub_collections(void)
{
	if (!mounted())
		return;
	for (gsize i = 0; i < G_N_ELEMENTS(SUBS); i++) {
		const Collection *parent = NULL;
		int pages;

		for (gsize k = 0; k < G_N_ELEMENTS(COLLECTIONS); k++)
			if (g_str_equal(COLLECTIONS[k].dir, SUBS[i].dir))
				parent = &COLLECTIONS[k];
		cJSON *all = read_all(shared, parent->path, parent->array, parent->limit, FALSE,
				      &pages);
		const cJSON *p;

		cJSON_ArrayForEach(p, all) {
			g_autofree char *esc = escape(cJSON_GetStringValue(
				cJSON_GetObjectItem(p, parent->name)));
			g_autofree char *path = g_strdup_printf(SUBS[i].path, cJSON_GetStringValue(
				cJSON_GetObjectItem(p, SUBS[i].id_field)));
			g_autofree char *rel = g_strconcat(SUBS[i].dir, "/", esc, "/", SUBS[i].link,
							   NULL);
			cJSON *objects = read_all(shared, path, SUBS[i].array, 100, FALSE, &pages);
			const cJSON *o;

			if (cJSON_GetArraySize(objects) == 0)
				g_test_fail_printf("%s: none in the tenant", rel);
			check_names(shared, rel, objects, SUBS[i].name);
			cJSON_ArrayForEach(o, objects) {
				g_autofree char *oesc = escape(cJSON_GetStringValue(
					cJSON_GetObjectItem(o, SUBS[i].name)));
				g_autofree char *orel = g_strconcat(rel, "/", oesc, NULL);

				check_object(shared, orel, o);
			}
			cJSON_Delete(objects);
		}
		cJSON_Delete(all);
	}
}

static int walk_files, walk_dirs, walk_errors;

static int visit(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (flag == FTW_D) {
		walk_dirs++;
		return 0;
	}
	if (flag != FTW_F) {
		g_test_message("%s: nftw flag %d", path, flag);
		walk_errors++;
		return 0;
	}
	g_autofree char *text = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &text, &len, NULL) || len != (gsize)st->st_size) {
		g_test_message("%s: cannot be read whole", path);
		walk_errors++;
	}
	walk_files++;
	return 0;
}

/* find and cat, every new kind: nothing fails, and a listing filled the cache. */
static void test_walk(void)
{
	gint64 calls, pages = 0, scripts = 0;
	int n;

	if (!mounted())
		return;
	/* What reading everything may cost: each list's pages, each singleton's GETs, one
	 * sub-list per scheduled task, per app group and per policy group (each fits one
	 * page), and one detail per script: its content is the detail's alone. */
	for (gsize i = 0; i < G_N_ELEMENTS(COLLECTIONS); i++) {
		cJSON *all = read_all(shared, COLLECTIONS[i].path, COLLECTIONS[i].array,
				      COLLECTIONS[i].limit, COLLECTIONS[i].limit_only, &n);

		pages += n;
		if (g_str_equal(COLLECTIONS[i].dir, "scheduled-tasks") ||
		    g_str_equal(COLLECTIONS[i].dir, "app-groups") ||
		    g_str_equal(COLLECTIONS[i].dir, "policy-groups"))
			pages += cJSON_GetArraySize(all);
		if (g_str_equal(COLLECTIONS[i].dir, "scripts"))
			scripts = cJSON_GetArraySize(all);
		cJSON_Delete(all);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(SINGLETONS); i++)
		for (guint p = 0; SINGLETONS[i].parts[p]; p++)
			pages++;
	/* From nothing cached: the tests before read it all. */
	g_assert_cmpint(harness_write(shared, ".wksfs/ctl", "forget\n"), ==, 0);
	harness_reset_stats(shared);
	walk_files = walk_dirs = walk_errors = 0;
	for (gsize i = 0; i < G_N_ELEMENTS(COLLECTIONS) + G_N_ELEMENTS(SINGLETONS); i++) {
		const char *dir = i < G_N_ELEMENTS(COLLECTIONS) ? COLLECTIONS[i].dir :
				  SINGLETONS[i - G_N_ELEMENTS(COLLECTIONS)].dir;
		g_autofree char *path = harness_path(shared, dir);

		g_assert_cmpint(nftw(path, visit, 16, FTW_PHYS), ==, 0);
	}
	g_test_message("walked %d files in %d directories", walk_files, walk_dirs);
	g_assert_cmpint(walk_errors, ==, 0);
	g_assert_cmpint(walk_files, >, 5000);
	calls = harness_route_count(shared, "GET /v2/{project_id}/scheduled-tasks/{task_id}") +
		harness_route_count(shared,
				    "GET /v2/{project_id}/policy-groups/{policy_group_id}");
	g_assert_cmpint(calls, ==, 0);	/* no object fetched by itself */
	/* A script's content, once each (the listing leaves it out). */
	g_assert_cmpint(harness_route_count(shared, "GET /v2/{project_id}/scripts/{script_id}"),
			==, scripts);
	pages += scripts;
	cJSON *stats = harness_emu_get(shared, "/__emulator/stats");
	calls = (gint64)cJSON_GetNumberValue(cJSON_GetObjectItem(stats, "total"));
	cJSON_Delete(stats);
	g_test_message("%" G_GINT64_FORMAT " API calls, %" G_GINT64_FORMAT " pages", calls,
		       pages);
	g_assert_cmpint(calls, ==, pages);
	g_assert_cmpint(harness_mutation_count(shared), ==, 0);
}

/* Two pages where a tenant holds more than one; the mandatory offset and limit sent. */
static void test_paging(void)
{
	static const struct {
		const char *dir, *route;
		guint n;
	} paged[] = {
		{ "scheduled-tasks", "GET /v2/{project_id}/scheduled-tasks", 53 },
		{ "app-groups", "GET /v1/{project_id}/app-groups", 102 },
		{ "desktop-name-policies", "GET /v2/{project_id}/desktop-name-policies", 51 },
	};

	if (!mounted())
		return;
	g_assert_cmpint(harness_write(shared, ".wksfs/ctl", "forget\n"), ==, 0);
	harness_reset_stats(shared);
	for (gsize i = 0; i < G_N_ELEMENTS(paged); i++) {
		g_autoptr(GPtrArray) names = harness_list(shared, paged[i].dir);

		g_assert_cmpuint(names->len, ==, paged[i].n);
		g_assert_cmpint(harness_route_count(shared, paged[i].route), ==, 2);
	}
	/* A sub-collection of more than a page. */
	const char *args[] = { "--desktops", "5", "--users", "2", "--kind-count",
			       "scheduled-tasks=1,scheduled-task-records=105", NULL };
	Mount *m = harness_start(args, "ttl=60");
	g_autoptr(GPtrArray) tasks = NULL, records = NULL;
	g_autofree char *rel = NULL;

	if (!m)
		return;
	tasks = harness_list(m, "scheduled-tasks");
	g_assert_cmpuint(tasks->len, ==, 1);
	rel = g_strdup_printf("scheduled-tasks/%s/records", (char *)tasks->pdata[0]);
	harness_reset_stats(m);
	records = harness_list(m, rel);
	g_assert_cmpuint(records->len, ==, 105);
	g_assert_cmpint(harness_route_count(m,
			"GET /v2/{project_id}/scheduled-tasks/{task_id}/records"), ==, 2);
	harness_stop(m);
}

/* One object read by its path on a cold cache: by the list's name filter, by the detail
 * path, or (no other way) by the listing; one GET each, and the answer the API's. */
static void test_lookups(void)
{
	static const struct {
		const char *rel, *value, *route;
	} cases[] = {
		{ "scripts/script-02/name", "script-02\n", "GET /v2/{project_id}/scripts" },
		{ "policy-groups/Policy group 2/policy_group_name", "Policy group 2\n",
		  "GET /v2/{project_id}/policy-groups/detail" },
		{ "app-groups/app-group-07/name", "app-group-07\n",
		  "GET /v1/{project_id}/app-groups" },
		{ "quotas/users/type", "users\n", "GET /v2/{project_id}/quotas" },
	};
	cJSON *records = NULL;
	g_autofree char *rel = NULL, *size = NULL, *want = NULL;
	const cJSON *first;

	if (!mounted())
		return;
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = NULL;

		g_assert_cmpint(harness_write(shared, ".wksfs/ctl", "forget\n"), ==, 0);
		harness_reset_stats(shared);
		text = harness_read(shared, cases[i].rel);
		g_assert_cmpstr(text, ==, cases[i].value);
		g_assert_cmpint(harness_route_count(shared, cases[i].route), ==, 1);
	}
	/* A screen recording is named by its id: 4.19.2 fetches it. */
	records = harness_api_get(shared, "/v2/{project_id}/screen-records?limit=1", NULL);
	first = cJSON_GetArrayItem(cJSON_GetObjectItem(records, "screen_records"), 0);
	g_assert_nonnull(first);
	g_assert_cmpint(harness_write(shared, ".wksfs/ctl", "forget\n"), ==, 0);
	harness_reset_stats(shared);
	rel = g_strdup_printf("screen-records/%s/size",
			      cJSON_GetStringValue(cJSON_GetObjectItem(first, "id")));
	size = harness_read(shared, rel);
	want = g_strdup_printf("%d\n", (int)cJSON_GetNumberValue(cJSON_GetObjectItem(first,
											 "size")));
	g_assert_cmpstr(size, ==, want);
	g_assert_cmpint(harness_route_count(shared,
			"GET /v2/{project_id}/screen-records/{record_id}"), ==, 1);
	g_assert_cmpint(harness_route_count(shared, "GET /v2/{project_id}/screen-records"), ==,
			0);
	cJSON_Delete(records);
	/* No such object: a 404 of the filter, not an error. */
	g_assert_null(harness_read(shared, "scripts/no-such-script/name"));
	g_assert_cmpint(errno, ==, ENOENT);
}

static void test_escaping(void)
{
	if (!mounted())
		return;
	static const struct {
		const char *rel, *file, *value;
	} odd[] = {
		{ "policy-groups/Finance%2FLegal policy", "policy_group_name",
		  "Finance/Legal policy\n" },
		{ "scripts/%2Eprofile setup", "name", ".profile setup\n" },
		{ "app-groups/100%25 office apps", "name", "100% office apps\n" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(odd); i++) {
		g_autofree char *rel = g_strconcat(odd[i].rel, "/", odd[i].file, NULL);
		g_autofree char *text = harness_read(shared, rel);

		g_assert_cmpstr(text, ==, odd[i].value);
	}
	/* Only the canonical escape names the object. */
	g_assert_null(harness_read(shared, "scripts/.profile setup/name"));
	g_assert_null(harness_read(shared, "policy-groups/Finance%2fLegal policy/name"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/kinds-walk/collections", test_collections);
	g_test_add_func("/kinds-walk/singletons", test_singletons);
	g_test_add_func("/kinds-walk/sub-collections", test_sub_collections);
	g_test_add_func("/kinds-walk/walk", test_walk);
	g_test_add_func("/kinds-walk/paging", test_paging);
	g_test_add_func("/kinds-walk/lookups", test_lookups);
	g_test_add_func("/kinds-walk/escaping", test_escaping);
	g_test_add_func("/kinds-walk/unmount", test_unmount);
	return g_test_run();
}
