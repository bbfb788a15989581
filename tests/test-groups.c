/* test-groups.c — users/<name>/groups/ through a real mount of the emulator: the links of
 * every user resolve to its groups (named as the mount escapes them, the target's name file
 * readable through the link), a membership change through a group's action file shows at
 * once although the kernel keeps the directory, and nothing can be made inside it. The
 * emulator's state is the oracle.
 */
#include "tests/harness.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const TENANT[] = { "--desktops", "8", "--users", "24", "--groups", "4",
				      "--seed", "12", "--hostile-names", NULL };

/* For qsort and g_ptr_array_sort, which pass pointers to the strings. */
static int by_text(const void *a, const void *b)
{
	return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

static cJSON *state(Mount *m, const char *kind, const char *name)
{
	g_autofree char *esc = g_uri_escape_string(name, NULL, FALSE);
	g_autofree char *path = g_strdup_printf("/__emulator/state/%s/%s", kind, esc);

	return harness_emu_get(m, path);
}

/* The groups a user is in, escaped as the mount names them, sorted. */
static GPtrArray *state_groups(Mount *m, const char *user)
{
	cJSON *u = state(m, "users", user);
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	const cJSON *g;

	cJSON_ArrayForEach(g, cJSON_GetObjectItem(u, "group_names")) {
		GString *esc = g_string_new(NULL);

		for (const char *p = g->valuestring; *p; p++) {
			if (*p == '/' || *p == '%' || (guchar)*p < 0x20 || (p == g->valuestring &&
									    *p == '.'))
				g_string_append_printf(esc, "%%%02X", (guchar)*p);
			else
				g_string_append_c(esc, *p);
		}
		g_ptr_array_add(out, g_string_free(esc, FALSE));
	}
	cJSON_Delete(u);
	g_ptr_array_sort(out, by_text);
	return out;
}

static void test_user_groups(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	g_autoptr(GPtrArray) groups = harness_list(m, "user-groups");
	guint links = 0;
	g_autofree char *loner = NULL;

	for (guint i = 0; i < users->len; i++) {
		g_autofree char *name = g_uri_unescape_string(users->pdata[i], NULL);
		g_autofree char *dir = g_strdup_printf("users/%s/groups", (char *)users->pdata[i]);
		g_autoptr(GPtrArray) want = state_groups(m, name);
		g_autoptr(GPtrArray) got = harness_list(m, dir);

		g_assert_cmpuint(got->len, ==, want->len);
		for (guint k = 0; k < got->len; k++) {
			g_autofree char *rel = g_strdup_printf("%s/%s", dir, (char *)got->pdata[k]);
			g_autofree char *path = harness_path(m, rel);
			g_autofree char *target = g_file_read_link(path, NULL);
			g_autofree char *link = g_strdup_printf("../../../user-groups/%s",
								(char *)want->pdata[k]);
			g_autofree char *name_rel = g_strdup_printf("%s/name", rel);
			g_autofree char *group = harness_read(m, name_rel);
			g_autofree char *group_name = g_uri_unescape_string(want->pdata[k], NULL);
			g_autofree char *want_name = g_strdup_printf("%s\n", group_name);
			struct stat st;

			g_assert_cmpstr(got->pdata[k], ==, want->pdata[k]);
			g_assert_cmpstr(target, ==, link);
			g_assert_no_errno(stat(path, &st));
			g_assert_true(S_ISDIR(st.st_mode));
			g_assert_cmpstr(group, ==, want_name);
			links++;
		}
		if (!loner && want->len == 0 && !strchr(users->pdata[i], '%') &&
		    ((char *)users->pdata[i])[0] != '.')
			loner = g_strdup(name);
	}
	g_assert_cmpuint(links, >, 0);
	g_assert_nonnull(loner);

	/* A membership change shows at once, although the kernel keeps the directory. */
	g_autofree char *dir = g_strdup_printf("users/%s/groups", loner);
	const char *group = groups->pdata[groups->len - 1];
	g_autofree char *action = g_strdup_printf("user-groups/%s/action", group);
	g_autofree char *add = g_strdup_printf("add %s\n", loner);
	g_autofree char *remove = g_strdup_printf("remove %s\n", loner);
	harness_assert_listing_cached(m, dir);
	g_assert_cmpint(harness_write(m, action, add), ==, 0);
	g_assert_true(harness_listed(m, dir, group));
	harness_assert_listing_cached(m, dir);
	g_assert_cmpint(harness_write(m, action, remove), ==, 0);
	g_assert_false(harness_listed(m, dir, group));

	/* Links, not files: nothing in it can be made. */
	g_autofree char *err = NULL;
	g_assert_cmpint(harness_sh(m, dir, "ln -s x y", &err), !=, 0);
	g_assert_nonnull(strstr(err, g_strerror(EACCES)));
	g_assert_cmpint(harness_sh(m, dir, "touch y", NULL), !=, 0);
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/groups/user-groups", test_user_groups);
	return g_test_run();
}
