/* test-creates.c — the emulator's create routes, over real HTTP: users (4.8.2), user groups
 * (4.9.2) and desktops (4.3.1, a job that creates them). Each valid body is checked in the
 * lists and the state views; each refusal by its status and documented code, with nothing
 * created.
 */
#include "tests/emulator/emu-client.h"

#include <string.h>

#define USERS "/v2/" PROJECT "/users"
#define GROUPS "/v2/" PROJECT "/groups"
#define DESKTOPS "/v2/" PROJECT "/desktops"
#define DETAIL "/v2/" PROJECT "/desktops/detail"

static Emulator *shared;

static void post_error(Emulator *e, const char *path, const char *body, long status,
		       const char *code)
{
	g_autoptr(Reply) r = http(e, "POST", path, body, AUTH_SIGNED);

	assert_error(r, status, code);
}

static double total(Emulator *e, const char *path)
{
	cJSON *list = get_json(e, path);
	double n = num_field(list, "total_count");

	cJSON_Delete(list);
	return n;
}

static cJSON *state(Emulator *e, const char *kind, const char *key)
{
	g_autofree char *path = g_strdup_printf("/__emulator/state/%s/%s", kind, key);
	g_autoptr(Reply) r = http(e, "GET", path, NULL, AUTH_NONE);

	if (r->status != 200)
		return NULL;
	return cJSON_Duplicate(r->json, TRUE);
}

static gboolean has_string(const cJSON *arr, const char *s)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, arr)
		if (cJSON_IsString(item) && g_str_equal(item->valuestring, s))
			return TRUE;
	return FALSE;
}

static void test_user(void)
{
	double before = total(shared, USERS);
	cJSON *groups = get_json(shared, GROUPS);
	const char *gid = str_field(cJSON_GetArrayItem(cJSON_GetObjectItem(groups, "user_groups"),
						      0), "id");
	g_autofree char *body = g_strdup_printf(
		"{\"user_name\": \"newbie\", \"user_email\": \"newbie@example.com\", "
		"\"description\": \"made by a test\", \"active_type\": \"ADMIN_ACTIVATE\", "
		"\"password\": \"Secret-1234\", \"group_ids\": [\"%s\"]}", gid);
	g_autoptr(Reply) r = http(shared, "POST", USERS, body, AUTH_SIGNED);
	cJSON *u, *list;

	g_assert_cmpint(r->status, ==, 201);
	g_assert_true(g_regex_match_simple("^[0-9a-f]{32}$", str_field(r->json, "id"), 0, 0));
	g_assert_cmpfloat(total(shared, USERS), ==, before + 1);
	list = get_json(shared, USERS "?user_name=newbie");
	u = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "users"), 0);
	g_assert_cmpstr(str_field(u, "id"), ==, str_field(r->json, "id"));
	g_assert_cmpstr(str_field(u, "user_email"), ==, "newbie@example.com");
	g_assert_cmpstr(str_field(u, "description"), ==, "made by a test");
	g_assert_cmpstr(str_field(u, "active_type"), ==, "ADMIN_ACTIVATE");
	g_assert_true(has_string(cJSON_GetObjectItem(u, "group_names"),
				 str_field(cJSON_GetArrayItem(cJSON_GetObjectItem(groups,
						"user_groups"), 0), "name")));
	cJSON_Delete(list);

	/* A name taken: 409 (4.8.2 documents no code for it; EMU.0409 is the emulator's). */
	post_error(shared, USERS, "{\"user_name\": \"newbie\"}", 409, "EMU.0409");
	post_error(shared, USERS, "{\"user_name\": \"user0001\"}", 409, "EMU.0409");
	/* Refused whole, nothing made. */
	post_error(shared, USERS, "{\"user_email\": \"x@example.com\"}", 400, "WKS.0001");
	post_error(shared, USERS, "{\"user_name\": \"a1\", \"usr_email\": \"x@example.com\"}", 400,
		   "WKS.0001");
	post_error(shared, USERS, "{\"user_name\": \"a1\", \"user_email\": 7}", 400, "WKS.0001");
	post_error(shared, USERS, "{\"user_name\": \"1abc\"}", 400, "WKS.0001");
	post_error(shared, USERS, "{\"user_name\": \"a1\", \"enable_change_password\": \"yes\"}",
		   400, "WKS.0001");
	post_error(shared, USERS, "{\"user_name\": \"a1\", \"active_type\": \"ADMIN_ACTIVATE\"}",
		   400, "WKS.0001");
	post_error(shared, USERS, "{\"user_name\": \"a1\", \"password\": \"simple\"}", 400,
		   "WKS.00170101");
	post_error(shared, USERS, "{\"user_name\": \"carol\", \"password\": \"Carol-12345\"}", 400,
		   "WKS.00170103");
	post_error(shared, USERS, "{\"user_name\": \"a1\", \"group_ids\": [\"nosuchgroup\"]}", 404,
		   "WKS.00010031");
	post_error(shared, USERS, "", 400, "WKS.0001");
	g_assert_cmpfloat(total(shared, USERS), ==, before + 1);
	g_assert_null(state(shared, "users", "a1"));
	cJSON_Delete(groups);
}

static void test_group(void)
{
	double before = total(shared, GROUPS);
	g_autoptr(Reply) r = http(shared, "POST", GROUPS, "{\"group_name\": \"Domain Users\", "
				  "\"platform_type\": \"AD\", \"description\": \"describe\"}",
				  AUTH_SIGNED);
	cJSON *g;

	g_assert_cmpint(r->status, ==, 201);
	g_assert_cmpuint(r->body->len, ==, 0);
	g_assert_cmpfloat(total(shared, GROUPS), ==, before + 1);
	g = state(shared, "groups", "Domain%20Users");
	g_assert_nonnull(g);
	g_assert_cmpstr(str_field(g, "platform_type"), ==, "AD");
	g_assert_cmpstr(str_field(g, "description"), ==, "describe");
	g_assert_cmpfloat(num_field(g, "user_quantity"), ==, 0);
	g_assert_true(g_regex_match_simple("^[0-9a-f]{32}$", str_field(g, "id"), 0, 0));
	cJSON_Delete(g);

	post_error(shared, GROUPS, "{\"group_name\": \"Domain Users\", \"platform_type\": "
		   "\"LOCAL\"}", 409, "EMU.0409");
	post_error(shared, GROUPS, "{\"group_name\": \"x\"}", 400, "WKS.0001");
	post_error(shared, GROUPS, "{\"group_name\": \"x\", \"platform_type\": \"NT\"}", 400,
		   "WKS.0001");
	post_error(shared, GROUPS, "{\"group_name\": \"x\", \"platform_type\": \"AD\", "
		   "\"colour\": \"red\"}", 400, "WKS.0001");
	post_error(shared, GROUPS, "{\"group_name\": 5, \"platform_type\": \"AD\"}", 400,
		   "WKS.0001");
	g_assert_cmpfloat(total(shared, GROUPS), ==, before + 1);
}

/* A valid 4.3.1 body (the catalog's example, with this tenant's product and image). */
static char *desktop_body(const char *desktops)
{
	cJSON *list = get_json(shared, DETAIL "?limit=1");
	const cJSON *d = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "desktops"), 0);
	const cJSON *meta = cJSON_GetObjectItem(d, "metadata");
	char *body = g_strdup_printf(
		"{\"desktop_type\": \"DEDICATED\", \"image_type\": \"gold\", \"image_id\": \"%s\", "
		"\"root_volume\": {\"type\": \"SAS\", \"size\": 80}, \"product_id\": \"%s\", "
		"\"email_notification\": true, %s}",
		str_field(meta, "metering.image_id"), str_field(d, "product_id"), desktops);

	cJSON_Delete(list);
	return body;
}

static void test_desktops(void)
{
	double before = total(shared, DETAIL);
	g_autofree char *body = desktop_body(
		"\"desktops\": [{\"user_name\": \"fresh1\", \"user_email\": \"f1@example.com\", "
		"\"computer_name\": \"fresh-pc1\"}, {\"user_name\": \"user0002\"}]");
	g_autoptr(Reply) r = http(shared, "POST", DESKTOPS, body, AUTH_SIGNED);
	g_autofree char *job_path = NULL;
	cJSON *job, *d, *u;
	const char *job_id;

	g_assert_cmpint(r->status, ==, 200);
	job_id = str_field(r->json, "job_id");
	/* Until the job ends the desktops are in no list, their names taken all the same. */
	g_assert_cmpfloat(total(shared, DETAIL), ==, before);
	g_assert_null(state(shared, "desktops", "fresh-pc1"));
	g_autofree char *again = desktop_body("\"desktops\": [{\"user_name\": \"fresh2\", "
					      "\"computer_name\": \"fresh-pc1\"}]");
	post_error(shared, DESKTOPS, again, 400, "WKS.00010139");
	job_path = g_strdup_printf("/v2/" PROJECT "/workspace-jobs/%s", job_id);
	job = get_json(shared, job_path);
	g_assert_cmpstr(str_field(job, "job_type"), ==, "createDesktops");
	g_assert_cmpfloat(num_field(job, "sub_jobs_total"), ==, 2);
	cJSON_Delete(job);

	wait_job(shared, job_id);
	g_assert_cmpfloat(total(shared, DETAIL), ==, before + 2);
	d = state(shared, "desktops", "fresh-pc1");
	g_assert_nonnull(d);
	g_assert_cmpstr(str_field(d, "status"), ==, "ACTIVE");
	g_assert_true(has_string(cJSON_GetObjectItem(d, "user_list"), "fresh1"));
	cJSON_Delete(d);
	/* The user it named did not exist: registered with its address. */
	u = state(shared, "users", "fresh1");
	g_assert_nonnull(u);
	g_assert_cmpstr(str_field(u, "user_email"), ==, "f1@example.com");
	g_assert_cmpfloat(num_field(u, "total_desktops"), ==, 1);
	cJSON_Delete(u);
	/* Its name is taken now. */
	post_error(shared, DESKTOPS, again, 400, "WKS.00010139");

	/* size: desktops without a user, named after desktop_name. */
	g_autofree char *sized = desktop_body("\"size\": 2, \"desktop_name\": \"bulkpc\"");
	g_autoptr(Reply) r2 = http(shared, "POST", DESKTOPS, sized, AUTH_SIGNED);
	g_assert_cmpint(r2->status, ==, 200);
	wait_job(shared, str_field(r2->json, "job_id"));
	g_assert_cmpfloat(total(shared, DETAIL), ==, before + 4);
	cJSON *labs = get_json(shared, DETAIL "?computer_name=bulkpc-");
	g_assert_cmpfloat(num_field(labs, "total_count"), ==, 2);
	cJSON_Delete(labs);
}

static void test_desktop_refusals(void)
{
	double before = total(shared, DETAIL);
	static const char *const bad[] = {
		"\"desktops\": [{\"user_email\": \"x@example.com\"}]",	/* no user_name */
		"\"desktops\": [{\"user_name\": \"ok1\", \"colour\": \"red\"}]",
		"\"desktops\": [{\"user_name\": 5}]",
		"\"desktops\": []",
		"\"size\": 2, \"desktops\": [{\"user_name\": \"ok1\"}]",
		"\"size\": 0",
		"\"size\": 1.5",
		"\"flavour\": \"x\", \"size\": 1",
		"\"data_volumes\": [{\"type\": \"SAS\", \"size\": 15}], \"size\": 1",
		"\"nics\": [{}], \"size\": 1",
		"\"tags\": [{\"value\": \"v\"}], \"size\": 1",
	};
	g_autofree char *no_volume = NULL;
	g_autofree char *sas = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *body = desktop_body(bad[i]);

		g_test_message("%s", bad[i]);
		post_error(shared, DESKTOPS, body, 400, "WKS.0001");
	}
	post_error(shared, DESKTOPS, "{\"desktop_type\": \"DEDICATED\", \"size\": 1}", 400,
		   "WKS.0001");
	no_volume = desktop_body("\"size\": 1");
	/* The same body without root_volume: 400. */
	char *cut = strstr(no_volume, "\"root_volume\"");
	char *end = strstr(cut, "}, ") + 3;
	memmove(cut, end, strlen(end) + 1);
	post_error(shared, DESKTOPS, no_volume, 400, "WKS.0001");
	sas = desktop_body("\"size\": 1");
	char *size80 = strstr(sas, "\"size\": 80");
	memcpy(size80, "\"size\": 85", 10);
	post_error(shared, DESKTOPS, sas, 400, "WKS.0001");

	g_autofree char *product = g_strdup_printf("{\"desktop_type\": \"DEDICATED\", "
		"\"image_type\": \"gold\", \"image_id\": \"x\", \"root_volume\": {\"type\": "
		"\"SAS\", \"size\": 80}, \"product_id\": \"no.such.product\", \"size\": 1}");
	post_error(shared, DESKTOPS, product, 400, "WKS.0301");
	cJSON *list = get_json(shared, DETAIL "?limit=1");
	const cJSON *d = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "desktops"), 0);
	g_autofree char *image = g_strdup_printf("{\"desktop_type\": \"DEDICATED\", "
		"\"image_type\": \"gold\", \"image_id\": \"no-such-image\", \"root_volume\": "
		"{\"type\": \"SAS\", \"size\": 80}, \"product_id\": \"%s\", \"size\": 1}",
		str_field(d, "product_id"));
	post_error(shared, DESKTOPS, image, 500, "WKS.0923");
	cJSON_Delete(list);
	g_assert_cmpfloat(total(shared, DETAIL), ==, before);
}

/* EMU_MAX_CREATED (1000) desktops at most, then the documented "Insufficient quota.". */
static void test_quota(void)
{
	const char *const args[] = { "--desktops", "1", "--users", "1", "--job-seconds", "0.1",
				     NULL };
	Emulator *small = emulator_start(args);
	Emulator *keep = shared;
	g_autofree char *body = NULL;

	shared = small;
	body = desktop_body("\"size\": 50, \"desktop_name\": \"bulk\"");
	for (int i = 0; i < 20; i++) {
		g_autoptr(Reply) r = http(small, "POST", DESKTOPS, body, AUTH_SIGNED);

		g_assert_cmpint(r->status, ==, 200);
	}
	post_error(small, DESKTOPS, body, 400, "WKS.0106");
	shared = keep;
	emulator_stop(small);
}

int main(int argc, char **argv)
{
	const char *const args[] = {
		"--desktops", "20", "--users", "10", "--groups", "3", "--job-seconds", "1.5",
		"--seed", "4", NULL,
	};
	int ret;

	g_test_init(&argc, &argv, NULL);
	if (!g_getenv("WKS_EMULATOR")) {
		g_test_skip("WKS_EMULATOR is not set (run through meson test)");
		return g_test_run();
	}
	curl_global_init(CURL_GLOBAL_ALL);
	shared = emulator_start(args);

	g_test_add_func("/creates/user", test_user);
	g_test_add_func("/creates/group", test_group);
	g_test_add_func("/creates/desktops", test_desktops);
	g_test_add_func("/creates/desktop-refusals", test_desktop_refusals);
	g_test_add_func("/creates/quota", test_quota);
	ret = g_test_run();

	emulator_stop(shared);
	curl_global_cleanup();
	return ret;
}
