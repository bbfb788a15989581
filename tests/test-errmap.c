/* test-errmap.c — every row of the status/error_code -> errno table (DESIGN.md §3). */
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

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/errmap/table", test_table);
	return g_test_run();
}
