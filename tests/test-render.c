/* test-render.c — objects to files: the sysfs rule, aliases, hostile field names. */
#include "fs/render.h"

#include <string.h>

static GPtrArray *render(const char *kind, const char *json)
{
	g_autoptr(GBytes) b = g_bytes_new(json, strlen(json));

	return render_object(res_kind_lookup(kind), b);
}

static char *content(GPtrArray *files, const char *name)
{
	FsFile *f = render_find(files, name);

	if (!f)
		return NULL;
	return g_strndup(g_bytes_get_data(f->content, NULL), g_bytes_get_size(f->content));
}

static void test_scalars_and_arrays(void)
{
	g_autoptr(GPtrArray) files = render(
		"desktops", "{\"desktop_id\":\"d1\",\"status\":\"ACTIVE\",\"cpu\":2,\"ratio\":0.5,"
			    "\"in_maintenance_mode\":false,\"ou\":null,\"user_list\":[\"a\",\"b\"],"
			    "\"empty\":[],\"tags\":[{\"key\":\"k\",\"value\":\"v\"}],"
			    "\"flavor\":{\"id\":\"f\"}}");
	g_autofree char *status = content(files, "status");
	g_autofree char *cpu = content(files, "cpu");
	g_autofree char *ratio = content(files, "ratio");
	g_autofree char *maint = content(files, "in_maintenance_mode");
	g_autofree char *ou = content(files, "ou");
	g_autofree char *users = content(files, "user_list");
	g_autofree char *empty = content(files, "empty");
	g_autofree char *tags = content(files, "tags.json");
	g_autofree char *flavor = content(files, "flavor.json");
	g_autofree char *info = content(files, "info.json");

	g_assert_cmpstr(status, ==, "ACTIVE\n");
	g_assert_cmpstr(cpu, ==, "2\n");
	g_assert_cmpstr(ratio, ==, "0.5\n");
	g_assert_cmpstr(maint, ==, "false\n");
	g_assert_cmpstr(ou, ==, "");
	g_assert_cmpstr(users, ==, "a\nb\n");
	g_assert_cmpstr(empty, ==, "");
	g_assert_nonnull(strstr(tags, "\"key\":\t\"k\""));
	g_assert_nonnull(strstr(flavor, "\"id\":\t\"f\""));
	g_assert_null(render_find(files, "tags"));
	g_assert_null(render_find(files, "flavor"));
	g_assert_true(g_str_has_suffix(info, "}\n"));
	g_assert_false(render_find(files, "status")->writable);
}

static void test_stable_json_names(void)
{
	/* Object-typed fields keep their .json name when null or empty. */
	g_autoptr(GPtrArray) files = render(
		"desktops", "{\"desktop_id\":\"d1\",\"tags\":[],\"hour_package_info\":null}");
	g_autofree char *tags = content(files, "tags.json");
	g_autofree char *hour = content(files, "hour_package_info.json");

	g_assert_cmpstr(tags, ==, "[]\n");
	g_assert_cmpstr(hour, ==, "null\n");
	g_assert_null(render_find(files, "tags"));
}

static void test_user_aliases(void)
{
	g_autoptr(GPtrArray) files = render(
		"users", "{\"id\":\"u1\",\"user_name\":\"alice\",\"user_email\":\"a@b.c\"}");
	g_autofree char *email = content(files, "email");
	g_autofree char *user_email = content(files, "user_email");
	g_autofree char *phone = content(files, "phone");

	g_assert_cmpstr(email, ==, "a@b.c\n");
	g_assert_cmpstr(user_email, ==, "a@b.c\n");
	g_assert_true(render_find(files, "email")->writable);
	g_assert_true(render_find(files, "user_email")->writable);
	/* A writable field the object lacks still has its empty file. */
	g_assert_cmpstr(phone, ==, "");
	g_assert_true(render_find(files, "phone")->writable);
	g_assert_true(render_find(files, "description")->writable);
	g_assert_false(render_find(files, "user_name")->writable);
}

static void test_hostile_fields(void)
{
	/* Names colliding with the fixed files are dropped (their data stays in info.json). */
	g_autoptr(GPtrArray) files = render(
		"desktops", "{\"action\":\"rm\",\"info.json\":1,\"\":2,\"a/b\":3,\"ok\":4}");

	g_assert_null(render_find(files, ""));
	g_assert_nonnull(render_find(files, "a/b")); /* fs escapes it to a%2Fb */
	g_autofree char *info = content(files, "info.json");
	g_assert_nonnull(strstr(info, "\"action\""));
	g_assert_null(render("desktops", "[1,2]"));
	g_assert_null(render("desktops", "{\"truncated\": "));
}

/* render_file() and render_names() agree with render_object() on every file, and
 * render_file() knows no others. */
static void test_one_file(void)
{
	static const struct {
		const char *kind, *json;
	} objects[] = {
		{ "desktops", "{\"desktop_id\":\"d1\",\"status\":\"ACTIVE\",\"tags\":[],"
			      "\"flavor\":{\"id\":\"f\"},\"user_list\":[\"a\",\"b\"],\"ou\":null,"
			      "\"hour_package_info\":null,\"n\":3,\"x\":[{\"k\":1}]}" },
		{ "users", "{\"id\":\"u1\",\"user_name\":\"alice\",\"user_email\":\"a@b.c\"}" },
		{ "desktops", "{\"action\":\"rm\",\"info.json\":1,\"a/b\":3,\"users\":[\"x\"]}" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(objects); i++) {
		const ResKind *kind = res_kind_lookup(objects[i].kind);
		g_autoptr(GBytes) json = g_bytes_new(objects[i].json, strlen(objects[i].json));
		g_autoptr(GPtrArray) all = render_object(kind, json);

		g_autoptr(GPtrArray) names = render_names(kind, json);

		g_assert_cmpuint(names->len, ==, all->len);
		for (guint k = 0; k < all->len && k < names->len; k++) {
			FsFile *want = all->pdata[k];
			FsFile *name = names->pdata[k];
			g_autoptr(FsFile) got = render_file(kind, json, want->name);

			g_assert_cmpstr(name->name, ==, want->name);
			g_assert_cmpint(name->writable, ==, want->writable);
			g_assert_null(name->content);

			g_assert_nonnull(got);
			if (!got)
				continue;
			g_assert_true(g_bytes_equal(got->content, want->content));
			g_assert_cmpint(got->writable, ==, want->writable);
		}
		static const char *const absent[] = { "nope", "status.json", "tags", "flavor",
						      "action", "users", "", "n.json" };
		for (gsize k = 0; k < G_N_ELEMENTS(absent); k++) {
			g_autoptr(FsFile) none = render_file(kind, json, absent[k]);

			if (none && !render_find(all, absent[k]))
				g_test_fail_printf("%s: render_file invents %s", objects[i].kind,
						   absent[k]);
		}
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/render/scalars-and-arrays", test_scalars_and_arrays);
	g_test_add_func("/render/user-aliases", test_user_aliases);
	g_test_add_func("/render/stable-json-names", test_stable_json_names);
	g_test_add_func("/render/one-file", test_one_file);
	g_test_add_func("/render/hostile-fields", test_hostile_fields);
	return g_test_run();
}
