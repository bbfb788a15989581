/* test-errmap.c — every row of the status/error_code -> errno table (doc/SEMANTICS.md §5). */
#include "src/errmap.h"

#include <errno.h>
#include <glib.h>

static void test_table(void)
{
	static const struct {
		long status;
		const char *code;
		int err;
	} rows[] = {
		{ 200, NULL, 0 },	   { 204, NULL, 0 },	     { 400, "WKS.0001", -EINVAL },
		{ 401, NULL, -EACCES },	   { 403, NULL, -EACCES },   { 404, NULL, -ENOENT },
		{ 409, NULL, -EBUSY },	   { 429, NULL, -EAGAIN },   { 400, "APIG.0308", -EAGAIN },
		{ 500, NULL, -EIO },	   { 503, NULL, -EIO },	     { 504, NULL, -ETIMEDOUT },
		{ 302, NULL, -EIO },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(rows); i++)
		g_assert_cmpint(errmap_from_status(rows[i].status, rows[i].code), ==, rows[i].err);
}

/* A batch action's per-object failures carry a code and no status. */
static void test_codes(void)
{
	g_assert_cmpint(errmap_from_code("WKS.0016"), ==, -EBUSY);	/* maintenance mode */
	g_assert_cmpint(errmap_from_code("WKS.00010104"), ==, -EBUSY);
	g_assert_cmpint(errmap_from_code("WKS.00010031"), ==, -ENOENT);
	g_assert_cmpint(errmap_from_code("WKS.0001"), ==, -EINVAL);
	g_assert_cmpint(errmap_from_code("WKS.0570"), ==, -EACCES);
	g_assert_cmpint(errmap_from_code("WKS.9999"), ==, -EIO);
	g_assert_cmpint(errmap_from_code(NULL), ==, -EIO);
}

/* A create whose name is taken is EEXIST, however the API says it; other failures keep
 * their errno. */
static void test_create(void)
{
	g_assert_cmpint(errmap_for_create(-EBUSY, 409, NULL), ==, -EEXIST);
	g_assert_cmpint(errmap_for_create(-EINVAL, 400, "WKS.00010139"), ==, -EEXIST);
	g_assert_cmpint(errmap_for_create(-EINVAL, 400, "WKS.0001"), ==, -EINVAL);
	g_assert_cmpint(errmap_for_create(-EACCES, 403, NULL), ==, -EACCES);
	g_assert_cmpint(errmap_for_create(-ETIMEDOUT, 0, NULL), ==, -ETIMEDOUT);
	g_assert_cmpint(errmap_for_create(0, 201, NULL), ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/errmap/table", test_table);
	g_test_add_func("/errmap/codes", test_codes);
	g_test_add_func("/errmap/create", test_create);
	return g_test_run();
}
