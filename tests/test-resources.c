/* test-resources.c — the resource table as data: every kind of res_kinds passes the checks
 * wksfs makes at start-up, and the entries those checks exist for — sparse, contradictory,
 * or of a shape the API layer cannot reach — fail them loudly; the lookups of singletons,
 * links and fields; shape_array()'s paths into an answer.
 */
#include <string.h>

#include "src/api.h"
#include "src/shape.h"

static void test_table(void)
{
	g_autofree char *why = res_table_problem();

	g_assert_null(why);
	g_assert_cmpint(res_kind_count(), <=, API_MAX_KINDS);
	g_assert_cmpint(res_kind_count(), ==, 41);	/* 9, and 32 of issue 10 */
	for (int i = 0; res_kinds[i]; i++) {
		g_assert_true(res_kind_lookup(res_kinds[i]->dir) == res_kinds[i]);
		g_assert_cmpint(res_kind_index(res_kinds[i]), ==, i);
	}
}

/* One problem each; every one must be refused, and say which kind. */
static const ResKind no_array = { .dir = "x", .list_path = "/v2/{project_id}/x",
				  .id_field = "id", .name_field = "id" };
static const ResKind bad_path = { .dir = "x", .list_path = "/x", .array_key = "x",
				  .id_field = "id", .name_field = "id" };
static const ResKind no_names = { .dir = "x", .list_path = "/v2/{project_id}/x",
				  .array_key = "x" };
static const ResKind bad_dir = { .dir = "../x", .list_path = "/v2/{project_id}/x",
				 .array_key = "x", .id_field = "id", .name_field = "id" };
static const ResKind nested_paged = { .dir = "x", .list_path = "/v2/{project_id}/x",
				      .array_key = "a.b", .page_limit = 10,
				      .id_field = "id", .name_field = "id" };
static const ResKind nowhere = { .dir = "x", .id_field = "id", .name_field = "id" };
static const ResKind singleton_mismatch = {
	.dir = "x", .list_path = "/v2/{project_id}/x",
	.parts = (const ResPart[]){ { "/v2/{project_id}/y" }, { NULL } },
};
static const ResKind singleton_paged = {
	.dir = "x", .list_path = "/v2/{project_id}/x", .page_limit = 10,
	.parts = (const ResPart[]){ { "/v2/{project_id}/x" }, { NULL } },
};
static const ResKind singleton_odd_query = {
	.dir = "x", .list_path = "/v2/{project_id}/x",
	.parts = (const ResPart[]){
		{ "/v2/{project_id}/x", (const char *const[]){ "a", NULL } }, { NULL } },
};
static const ResKind objects_without_id = {
	.dir = "records", .list_path = "/v2/{project_id}/records", .array_key = "r",
	.id_field = "id", .name_field = "id",
};
static const ResKind bad_link = {
	.dir = "x", .list_path = "/v2/{project_id}/x", .array_key = "x",
	.id_field = "id", .name_field = "id",
	.links = (const ResLink[]){
		{ "records", NULL, LINK_OBJECTS, .objects = &objects_without_id },
		{ NULL } },
};
static const ResKind link_to_nothing = {
	.dir = "x", .list_path = "/v2/{project_id}/x", .array_key = "x",
	.id_field = "id", .name_field = "id",
	.links = (const ResLink[]){ { "users", "nobody", LINK_FIELD, "f" }, { NULL } },
};
static const ResKind field_without_path = {
	.dir = "x", .list_path = "/v2/{project_id}/x", .array_key = "x",
	.id_field = "id", .name_field = "id",
	.fields = (const ResField[]){ { "email", FIELD_EMAIL, 10, "PUT", NULL }, { NULL } },
};
/* Create entries: sparse, unnamed, or of a body the checks cannot walk. */
#define LISTED .list_path = "/v2/{project_id}/x", .array_key = "x", .id_field = "id", \
	       .name_field = "id"
static const ResBodyField one_field[] = { { "name", BODY_STRING, TRUE }, { NULL } };
static const ResKind create_without_body = {
	.dir = "x", LISTED, .create = &(const ResCreate){ "POST", "/v2/{project_id}/x" },
};
static const ResKind create_unnamed = {
	.dir = "x", LISTED, .create = &(const ResCreate){ "POST", "/v2/{project_id}/x", one_field },
};
static const ResKind create_name_elsewhere = {
	.dir = "x", LISTED, .create = &(const ResCreate){ "POST", "/v2/{project_id}/x", one_field,
							  .name_field = "title" },
};
static const ResKind create_twice = {
	.dir = "x", LISTED, .create = &(const ResCreate){ "POST", "/v2/{project_id}/x",
		(const ResBodyField[]){ { "a", BODY_STRING }, { "a", BODY_INTEGER }, { NULL } },
		.job_field = "job_id" },
};
static const ResKind create_secret_number = {
	.dir = "x", LISTED, .create = &(const ResCreate){ "POST", "/v2/{project_id}/x",
		(const ResBodyField[]){ { "pin", BODY_INTEGER, .secret = TRUE }, { NULL } },
		.job_field = "job_id" },
};
static const ResKind create_also_nothing = {
	.dir = "x", LISTED, .create = &(const ResCreate){ "POST", "/v2/{project_id}/x", one_field,
							  .name_field = "name",
							  .also_changes = "nobody" },
};
static const ResKind create_singleton = {
	.dir = "x", .list_path = "/v2/{project_id}/x",
	.parts = (const ResPart[]){ { "/v2/{project_id}/x" }, { NULL } },
	.create = &(const ResCreate){ "POST", "/v2/{project_id}/x", one_field,
				      .name_field = "name" },
};
/* Documents (src/document.c): a JSON field without its body's fields, a body on another
 * type, a detail-only field of a kind without a detail. */
static const ResKind json_without_body = {
	.dir = "x", LISTED,
	.fields = (const ResField[]){ { "p", FIELD_JSON, 10, "PUT", "/v2/{project_id}/x/{id}" },
				      { NULL } },
};
static const ResKind text_with_body = {
	.dir = "x", LISTED,
	.fields = (const ResField[]){ { "p", FIELD_TEXT, 10, "PUT", "/v2/{project_id}/x/{id}",
					.body = one_field }, { NULL } },
};
static const ResKind detail_only_without_detail = {
	.dir = "x", LISTED,
	.fields = (const ResField[]){ { "p", FIELD_TEXT, 10, "PUT", "/v2/{project_id}/x/{id}",
					.detail_only = TRUE }, { NULL } },
};
static const ResKind *const bad[] = {
	&no_array, &bad_path, &no_names, &bad_dir, &nested_paged, &nowhere,
	&singleton_mismatch, &singleton_paged, &singleton_odd_query, &bad_link,
	&link_to_nothing, &field_without_path, &create_without_body, &create_unnamed,
	&create_name_elsewhere, &create_twice, &create_secret_number, &create_also_nothing,
	&create_singleton, &json_without_body, &text_with_body, &detail_only_without_detail,
};
static void test_bad_entries(void)
{

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *why = res_kind_problem(bad[i]);

		if (!why)
			g_test_fail_printf("entry %" G_GSIZE_FORMAT " passed the checks", i);
		else
			g_test_message("refused: %s", why);
	}
	g_autofree char *none = res_kind_problem(NULL);
	g_assert_nonnull(none);
}

/* Delete entries: sparse, or naming the id twice or nowhere. */
static const ResKind delete_without_path = {
	.dir = "x", LISTED, .delete = &(const ResDelete){ "DELETE", NULL },
};
static const ResKind delete_id_nowhere = {
	.dir = "x", LISTED, .delete = &(const ResDelete){ "DELETE", "/v2/{project_id}/x" },
};
static const ResKind delete_id_twice = {
	.dir = "x", LISTED, .delete = &(const ResDelete){ "POST", "/v2/{project_id}/x/{id}",
							  "ids" },
};
static const ResKind delete_key_without_array = {
	.dir = "x", LISTED, .delete = &(const ResDelete){ "DELETE", "/v2/{project_id}/x/{id}",
							  NULL, "id" },
};
static const ResKind delete_results_unjudged = {
	.dir = "x", LISTED, .delete = &(const ResDelete){ "POST", "/v2/{project_id}/x/batch-delete",
		"ids", .results = "result_list", .result_id = "id" },
};
static const ResKind delete_singleton = {
	.dir = "x", .list_path = "/v2/{project_id}/x",
	.parts = (const ResPart[]){ { "/v2/{project_id}/x" }, { NULL } },
	.delete = &(const ResDelete){ "DELETE", "/v2/{project_id}/x/{id}" },
};
static const ResKind delete_also_nothing = {
	.dir = "x", LISTED, .delete = &(const ResDelete){ "DELETE", "/v2/{project_id}/x/{id}",
							  .also_changes = "nobody" },
};
static const ResKind *const bad_deletes[] = {
	&delete_without_path, &delete_id_nowhere, &delete_id_twice, &delete_key_without_array,
	&delete_results_unjudged, &delete_singleton, &delete_also_nothing,
};
static const ResKind delete_batch = {
	.dir = "x", LISTED, .delete = &(const ResDelete){ "POST", "/v2/{project_id}/x/batch-delete",
		"ids", "id", .job_field = "job_id" },
};

static void test_bad_deletes(void)
{
	g_autofree char *fine = res_kind_problem(&delete_batch);

	g_assert_null(fine);
	for (gsize i = 0; i < G_N_ELEMENTS(bad_deletes); i++) {
		g_autofree char *why = res_kind_problem(bad_deletes[i]);

		if (!why)
			g_test_fail_printf("delete entry %" G_GSIZE_FORMAT " passed the checks", i);
		else
			g_test_message("refused: %s", why);
	}
}

/* The shapes of issue 10 as the table has them. */
static void test_shapes(void)
{
	const ResKind *ws = res_kind_lookup("workspace");
	const ResKind *stats = res_kind_lookup("statistics");
	const ResKind *quotas = res_kind_lookup("quotas");
	const ResKind *tasks = res_kind_lookup("scheduled-tasks");
	const ResLink *records = res_link_lookup(tasks, "records");

	g_assert_true(res_is_singleton(ws) && res_is_singleton(stats));
	g_assert_false(res_is_singleton(quotas) || res_is_singleton(tasks));
	g_assert_cmpstr(res_singleton_name(ws), ==, "workspace");
	g_assert_true(shape_owns(ws) && shape_owns(quotas));
	g_assert_false(shape_owns(tasks));
	g_assert_nonnull(records);
	g_assert_cmpint(records->source, ==, LINK_OBJECTS);
	g_assert_true(res_is_reserved_file(tasks, "records"));
	/* Sparse entries (no aliases, no fields) look up nothing, safely. */
	g_assert_null(res_field_for_file(quotas, "type"));
	g_assert_cmpstr(res_field_name(quotas, "type"), ==, "type");
	g_assert_true(res_is_json_field(res_kind_lookup("policy-groups"), "policies"));
	/* Slow-changing kinds default longer, never a kind that changes by the second. */
	g_assert_cmpint(res_kind_lookup("products")->default_ttl_s, >, 30);
	g_assert_cmpint(res_kind_lookup("jobs")->default_ttl_s, ==, 0);
}

static void test_shape_array(void)
{
	g_autoptr(cJSON) root = cJSON_Parse("{\"quotas\": {\"resources\": [{\"type\": \"a\"}]},"
					    " \"site_quotas\": [], \"n\": 1}");

	g_assert_nonnull(shape_array(root, "quotas.resources"));
	g_assert_cmpint(cJSON_GetArraySize(shape_array(root, "quotas.resources")), ==, 1);
	g_assert_nonnull(shape_array(root, "site_quotas"));
	g_assert_null(shape_array(root, "quotas"));
	g_assert_null(shape_array(root, "n.x"));
	g_assert_null(shape_array(root, "nothing.resources"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/resources/table", test_table);
	g_test_add_func("/resources/bad-entries", test_bad_entries);
	g_test_add_func("/resources/bad-deletes", test_bad_deletes);
	g_test_add_func("/resources/shapes", test_shapes);
	g_test_add_func("/resources/shape-array", test_shape_array);
	return g_test_run();
}
