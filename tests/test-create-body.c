/* test-create-body.c — the create bodies of `<kind>/.create` (src/create.c): every create
 * spec of the table is well-formed, the API Reference's own example bodies pass, and each
 * kind of bad body is refused with its reason, before anything could be sent. */
#include "src/create.h"

#include <string.h>

static const ResCreate *spec_of(const char *dir)
{
	const ResKind *kind = res_kind_lookup(dir);

	g_assert_nonnull(kind);
	g_assert_nonnull(kind->create);
	return kind->create;
}

static void check_fields(const ResBodyField *fields)
{
	for (const ResBodyField *f = fields; f->name; f++) {
		for (const ResBodyField *g = f + 1; g->name; g++)
			g_assert_cmpstr(f->name, !=, g->name);
		if (f->secret)
			g_assert_cmpint(f->type, ==, BODY_STRING);
		if (f->type == BODY_ARRAY)
			g_assert_cmpint(f->items, !=, BODY_ARRAY);
		if (f->fields) {
			g_assert_true(f->type == BODY_OBJECT ||
				      (f->type == BODY_ARRAY && f->items == BODY_OBJECT));
			check_fields(f->fields);
		}
	}
}

/* The field a dotted path names in fields ("policy_group.policy_group_name"), or NULL. */
static const ResBodyField *field_at(const ResBodyField *fields, const char *path)
{
	g_auto(GStrv) parts = g_strsplit(path, ".", -1);
	const ResBodyField *f = NULL;

	for (guint i = 0; parts[i]; i++) {
		for (f = fields; f && f->name && strcmp(f->name, parts[i]) != 0; f++)
			;
		if (!f || !f->name)
			return NULL;
		fields = f->fields;
	}
	return f;
}

/* A sparse entry fails here, not at run time. */
static void test_table(void)
{
	guint n = 0;

	for (int i = 0; res_kinds[i]; i++) {
		const ResCreate *c = res_kinds[i]->create;
		const ResBodyField *name;

		if (!c)
			continue;
		n++;
		g_test_message("%s", res_kinds[i]->dir);
		g_assert_nonnull(c->method);
		g_assert_true(g_str_has_prefix(c->path, "/v"));
		g_assert_nonnull(c->body);
		g_assert_nonnull(c->body[0].name);
		check_fields(c->body);
		/* Something names what was made: the body, the answer, or a job. */
		g_assert_true(c->name_field || c->id_field || c->job_field);
		if (c->name_field) {
			name = field_at(c->body, c->name_field);
			g_assert_nonnull(name);
			g_assert_cmpint(name->type, ==, BODY_STRING);
		}
		if (c->also_changes)
			g_assert_nonnull(res_kind_lookup(c->also_changes));
	}
	g_assert_cmpuint(n, >=, 3);
}

static char *check(const char *dir, const char *body)
{
	g_autoptr(cJSON) root = NULL;
	char *why = create_check_body(spec_of(dir), body, strlen(body), &root);

	if (!why)
		g_assert_true(cJSON_IsObject(root));
	return why;
}

/* catalog.json's example_request of each create, as printed there. */
static void test_examples(void)
{
	static const char *const examples[][2] = {
		{ "users", "{\"user_name\": \"api-test\", \"user_email\": \"test@huawei.com\"}" },
		{ "user-groups", "{\"group_name\": \"Domain Users\", \"description\": \"describe\","
				 " \"platform_type\": \"AD\"}" },
		{ "desktops",
		  "{\n  \"desktop_type\": \"DEDICATED\",\n  \"image_type\": \"gold\",\n"
		  "  \"image_id\": \"a866298d-67db-44b0-a1f1-9d09bdddc20f\",\n"
		  "  \"root_volume\": {\n    \"type\": \"SAS\",\n    \"size\": 80\n  },\n"
		  "  \"availability_zone\": \"az3.manage.x86\",\n"
		  "  \"desktops\": [\n    {\n      \"user_name\": \"ljh-002\",\n"
		  "      \"user_group\": \"administrators\",\n"
		  "      \"user_email\": \"aaaaa@huawei.com\"\n    }\n  ],\n"
		  "  \"nics\": [\n    {\n      \"subnet_id\": "
		  "\"5dee0216-2260-47c2-9368-98a27d910e55\"\n    }\n  ],\n"
		  "  \"product_id\": \"workspace.c2.large.windows.2\",\n"
		  "  \"email_notification\": true\n}\n" },
		/* 4.5.2, 4.10.2, 4.24.1, 4.20.2 and 4.12.1 (4.14.2 prints none) */
		{ "desktop-name-policies", "{\"policy_name\": \"MyPolicy\", \"name_prefix\": "
		  "\"abc$DomainUser$12\", \"digit_number\": 2, \"start_number\": 1, "
		  "\"single_domain_user_inc\": 1, \"is_default_policy\": false}" },
		{ "ous", "{\"ou_name\": \"testou\", \"domain\": \"hcsoad.huawei.com\", "
		  "\"description\": \"Adds an OU.\"}" },
		{ "scripts", "{\"name\": \"Script01\", \"type\": \"string\", \"description\": "
		  "\"xxx\", \"content\": \"string\", \"version\": \"string\"}" },
		{ "scheduled-tasks",
		  "{\"scheduled_type\": \"FIXED_TIME\", \"day_interval\": 1, \"week_list\": "
		  "\"1,2,7\", \"month_list\": \"1,3,12\", \"date_list\": \"1,2,28,L\", "
		  "\"scheduled_date\": \"2022-12-23\", \"scheduled_time\": \"09:00:00\", "
		  "\"expire_time\": \"2022-12-31 09:00:00\", \"gray_count\": 1000, "
		  "\"gray_desktop_ids\": [\"string\"], \"gray_fail_threshold\": 1000, "
		  "\"life_cycle_type\": \"string\", \"time_zone\": \"Asia/Shanghai\", "
		  "\"task_type\": \"START\", \"task_name\": \"Test task\", \"force_execute\": "
		  "false, \"description\": \"A description.\", \"extra_params\": "
		  "\"{ \\\"notify_message\\\": \\\"Test\\\" }\", \"apply_objects\": "
		  "[{\"object_id\": \"2b31e-d520xxx-xxebdb6-e57xxxxx\", \"object_type\": "
		  "\"DESKTOP\"}], \"wait_time\": 0}" },
		{ "snapshots", "{\"desktop_ids\": [\"xxxx3bc6-1512-4386-81fb-20604fe6xxxx\"], "
		  "\"disk_type\": \"string\", \"system_disk_snapshot\": {\"name\": \"string\", "
		  "\"description\": \"string\"}, \"data_disk_snapshot\": {\"name\": "
		  "\"string\", \"description\": \"string\"}}" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(examples); i++) {
		g_autofree char *why = check(examples[i][0], examples[i][1]);

		g_assert_null(why);
	}
}

static void test_refusals(void)
{
	static const struct {
		const char *dir;
		const char *body;
		const char *reason;	/* a part of the reason */
	} cases[] = {
		{ "users", "", "empty body" },
		{ "users", " \n\t\n", "empty body" },
		{ "users", "user_name=alice\n", "not JSON" },
		{ "users", "{\"user_name\": \"alice\",}\n", "not JSON" },
		{ "users", "[{\"user_name\": \"alice\"}]", "not a JSON object" },
		{ "users", "\"alice\"", "not a JSON object" },
		{ "users", "{\"user_name\": \"a\"} {\"user_name\": \"b\"}", "more than one" },
		{ "users", "{}", "missing mandatory field \"user_name\"" },
		{ "users", "{\"user_email\": \"a@b.cc\"}",
		  "missing mandatory field \"user_name\"" },
		{ "users", "{\"user_name\": \"a\", \"usr_email\": \"a@b.cc\"}",
		  "unknown field \"usr_email\"" },
		{ "users", "{\"user_name\": 7}", "\"user_name\" must be a string" },
		{ "users", "{\"user_name\": null}", "\"user_name\" must be a string" },
		{ "users", "{\"user_name\": \"a\", \"enable_change_password\": \"true\"}",
		  "must be true or false" },
		{ "users", "{\"user_name\": \"a\", \"group_ids\": \"g1\"}", "must be an array" },
		{ "users", "{\"user_name\": \"a\", \"group_ids\": [\"g1\", 2]}",
		  "\"group_ids[1]\" must be a string" },
		{ "users", "{\"user_name\": \"a\", \"user_name\": \"b\"}", "given twice" },
		{ "users", "{\"user_name\": \"\"}", "not a name" },
		{ "users", "{\"user_name\": \"caf\xe9\"}", "not UTF-8" },
		{ "user-groups", "{\"group_name\": \"g\"}", "\"platform_type\"" },
		{ "desktops", "{\"desktop_type\": \"DEDICATED\"}", "missing mandatory field" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *why = check(cases[i].dir, cases[i].body);

		g_autofree char *shown = g_strescape(cases[i].body, NULL);

		g_test_message("%s: %s -> %s", cases[i].dir, shown, why);
		g_assert_nonnull(why);
		g_assert_nonnull(strstr(why, cases[i].reason));
	}
	g_autofree char *nul = create_check_body(spec_of("users"), "{\"user_name\":\"a\0\"}", 18,
						 NULL);
	g_assert_nonnull(nul);
	g_autofree char *big = g_strnfill(CREATE_MAX_BODY + 1, ' ');
	g_autofree char *too_long = create_check_body(spec_of("users"), big, strlen(big), NULL);
	g_assert_nonnull(strstr(too_long, "longer than"));
}

/* Nested objects are checked as the top: their mandatory fields, types, unknown names. */
static void test_nested(void)
{
	static const char *const base =
		"{\"desktop_type\": \"DEDICATED\", \"image_type\": \"gold\", \"image_id\": \"i\", "
		"\"product_id\": \"p\", %s}";
	static const struct {
		const char *part;
		const char *reason;	/* NULL: valid */
	} cases[] = {
		{ "\"root_volume\": {\"type\": \"SAS\", \"size\": 80}", NULL },
		{ "\"size\": 1", "missing mandatory field \"root_volume\"" },
		{ "\"root_volume\": {\"type\": \"SAS\"}", "\"root_volume.size\"" },
		{ "\"root_volume\": {\"type\": \"SAS\", \"size\": \"80\"}",
		  "\"root_volume.size\" must be an integer" },
		{ "\"root_volume\": {\"type\": \"SAS\", \"size\": 80.5}", "must be an integer" },
		{ "\"root_volume\": {\"type\": \"SAS\", \"size\": 80, \"iops\": 3}",
		  "unknown field \"root_volume.iops\"" },
		{ "\"root_volume\": [80]", "\"root_volume\" must be an object" },
		{ "\"root_volume\": {\"type\": \"SAS\", \"size\": 80}, \"desktops\": [{}]",
		  "missing mandatory field \"desktops[0].user_name\"" },
		{ "\"root_volume\": {\"type\": \"SAS\", \"size\": 80}, \"desktops\": "
		  "[{\"user_name\": \"u\"}, {\"user_name\": \"v\", \"computer\": \"x\"}]",
		  "unknown field \"desktops[1].computer\"" },
		{ "\"root_volume\": {\"type\": \"SAS\", \"size\": 80}, \"desktops\": [\"u\"]",
		  "\"desktops[0]\" must be an object" },
		{ "\"root_volume\": {\"type\": \"SAS\", \"size\": 80}, \"tags\": [{\"value\": "
		  "\"v\"}]", "\"tags[0].key\"" },
		{ "\"root_volume\": {\"type\": \"SAS\", \"size\": 80}, \"size\": 2, "
		  "\"desktop_name\": \"lab\", \"email_notification\": false", NULL },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *body = g_strdup_printf(base, cases[i].part);
		g_autofree char *why = check("desktops", body);

		g_test_message("%s -> %s", cases[i].part, why);
		if (!cases[i].reason) {
			g_assert_null(why);
			continue;
		}
		g_assert_nonnull(why);
		g_assert_nonnull(strstr(why, cases[i].reason));
	}
}

/* A body that ends in a newline is complete unless its JSON is cut short: a writer sending a
 * large body in several writes is not done. */
static void test_cut_short(void)
{
	static const struct {
		const char *body;
		gboolean cut;
	} cases[] = {
		{ "{\"user_name\": \"a\"}\n", FALSE },
		{ "{\n  \"user_name\": \"a\",\n", TRUE },
		{ "{\n  \"user_name\":\n", TRUE },
		{ "{\n  \"desktops\": [\n    {\"user_name\": \"u\"},\n", TRUE },
		{ "{\"user_name\": \"a\"\n", TRUE },
		{ "not json\n", FALSE },
		{ "{\"user_name\" \"a\"}\n", FALSE },
		{ "{\"user_name\": \"a\"}}\n", FALSE },
		{ "\n", FALSE },
		{ "{\"user_name\": \"a\",}\n", FALSE },
		{ "{\"user_name\": tru\n", FALSE },
		{ "{\"user_name\": \"a\nb\"}\n", FALSE },
		/* Never an object, however much follows (test-hostile-input's garbage). */
		{ "a\x01\x02\x1b[2J@example.com\n", FALSE },
		{ "[\n", FALSE },
		{ "{\"user_name\": \"a\x1b[\n", FALSE },
		{ "  {\"desktops\": [\n", TRUE },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *shown = g_strescape(cases[i].body, NULL);

		g_test_message("%s", shown);
		g_assert_cmpint(create_body_cut_short(cases[i].body, strlen(cases[i].body)), ==,
				cases[i].cut);
	}
}

/* What the audit shows never holds a password. */
static void test_shown(void)
{
	const char *body = "{\"user_name\": \"a\", \"password\": \"Hunter2-secret\", "
			   "\"user_email\": \"a@b.cc\"}";
	g_autoptr(cJSON) root = NULL;
	g_autofree char *why = create_check_body(spec_of("users"), body, strlen(body), &root);
	char *shown;

	g_assert_null(why);
	shown = create_print_shown(spec_of("users"), root);
	g_assert_null(strstr(shown, "Hunter2"));
	g_assert_nonnull(strstr(shown, "\"password\":\"***\""));
	g_assert_nonnull(strstr(shown, "\"user_email\":\"a@b.cc\""));
	cJSON_free(shown);
	/* The body itself is unchanged: it is what is sent. */
	g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(root, "password")), ==,
			"Hunter2-secret");
}

/* A body wrapped in one object (4.14.2's {"policy_group": {...}}) is one table entry too:
 * its name is found by a path, and the wrapper's fields are checked like the top's. */
static void test_wrapped(void)
{
	static const ResBodyField group[] = {
		{ "policy_group_name", BODY_STRING },
		{ "priority", BODY_INTEGER },
		{ "description", BODY_STRING },
		{ "policies", BODY_OBJECT },	/* not listed: not checked */
		{ NULL },
	};
	static const ResBodyField body[] = {
		{ "policy_group", BODY_OBJECT, TRUE, .fields = group },
		{ NULL },
	};
	static const ResCreate spec = { "POST", "/v2/{project_id}/policy-groups", body,
					.name_field = "policy_group.policy_group_name",
					.id_field = "id" };
	static const struct {
		const char *body;
		const char *reason;	/* NULL: valid */
	} cases[] = {
		{ "{\"policy_group\": {\"policy_group_name\": \"p1\", \"priority\": 2, "
		  "\"policies\": {\"anything\": {\"goes\": true}}}}", NULL },
		{ "{\"policy_group\": {\"priority\": 2}}", "\"policy_group.policy_group_name\" is "
		  "not a name" },
		{ "{\"policy_group\": {\"policy_group_name\": \"p1\", \"prio\": 2}}",
		  "unknown field \"policy_group.prio\"" },
		{ "{\"policy_group_name\": \"p1\"}", "unknown field \"policy_group_name\"" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(cJSON) root = NULL;
		g_autofree char *why = create_check_body(&spec, cases[i].body,
							 strlen(cases[i].body), &root);

		g_test_message("%s -> %s", cases[i].body, why);
		if (!cases[i].reason) {
			g_assert_null(why);
			g_assert_cmpstr(create_name_at(root, spec.name_field), ==, "p1");
			continue;
		}
		g_assert_nonnull(why);
		g_assert_nonnull(strstr(why, cases[i].reason));
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/create-body/table", test_table);
	g_test_add_func("/create-body/examples", test_examples);
	g_test_add_func("/create-body/refusals", test_refusals);
	g_test_add_func("/create-body/nested", test_nested);
	g_test_add_func("/create-body/cut-short", test_cut_short);
	g_test_add_func("/create-body/shown", test_shown);
	g_test_add_func("/create-body/wrapped", test_wrapped);
	return g_test_run();
}
