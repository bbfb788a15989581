/* hostile.c — --hostile-tenant: a tenant whose data breaks every rule the API documents.
 *
 * Owns: the hostile answers of four collections, built once (deterministic) and paged as
 * asked: desktops (GET .../desktops/detail, .../desktops/{desktop_id} and its tags: none),
 * users (GET .../users and .../users/{user_id}), images and products (generic kinds).
 * Their objects have ids and names with '/', "..", ".", newlines, control characters, 300
 * bytes, bytes that are no UTF-8; duplicate names; empty strings, nulls, numbers where
 * strings are documented and the reverse; missing id fields; a value nested 1,000 deep;
 * one object of 10 MB; and totals that lie: desktops' total_count is 10 while 600 desktops
 * follow (fewer), users' is 10^9 (more), every images page is fuller than asked and its
 * total always one more than what it brought (a collection that keeps growing), and
 * products never end (full pages of new ids, no total). The rest of the tenant is the
 * generated one.
 * Must not: touch the generated tenant, or serve anything when the mode is off.
 */
#include "emulator/emulator.h"
#include "emulator/query.h"

#include <string.h>

/* 600 plain desktops after the hostile ones: more than one page of 500. */
#define PLAIN_DESKTOPS 600
#define DEEP 1000
#define BIG_BYTES (10 * 1024 * 1024)
#define USERS_TOTAL 1000000000.0

typedef struct {
	cJSON *desktops;	/* arrays of the objects, in list order */
	cJSON *users;
	gint images_requests;	/* atomic: how often the images list was asked */
} Hostile;

static Hostile *hostile_data;

static cJSON *deep_value(int depth)
{
	cJSON *v = cJSON_CreateString("bottom");

	for (int i = 0; i < depth; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddItemToObject(o, "n", v);
		v = o;
	}
	return v;
}

static char *repeat(char c, gsize n)
{
	char *s = g_malloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* A desktop with the fields set that the client reads; id NULL: no desktop_id at all. */
static cJSON *desktop(cJSON *id, const char *computer_name, const char *user)
{
	cJSON *d = cJSON_CreateObject();
	cJSON *users = cJSON_CreateArray();

	if (id)
		cJSON_AddItemToObject(d, "desktop_id", id);
	if (computer_name)
		cJSON_AddStringToObject(d, "computer_name", computer_name);
	cJSON_AddStringToObject(d, "status", "ACTIVE");
	if (user) {
		cJSON *u = cJSON_CreateObject();

		cJSON_AddStringToObject(u, "user_name", user);
		cJSON_AddItemToArray(users, u);
		cJSON_AddStringToObject(d, "user_name", user);
	}
	cJSON_AddItemToObject(d, "attach_user_infos", users);
	return d;
}

static cJSON *build_desktops(void)
{
	cJSON *a = cJSON_CreateArray();
	g_autofree char *long_id = repeat('d', 300);
	g_autofree char *slashes = repeat('/', 200);
	g_autofree char *big = repeat('x', BIG_BYTES);
	cJSON *d;

	cJSON_AddItemToArray(a, desktop(cJSON_CreateString("plain-desktop"), "plain", "alice"));
	cJSON_AddItemToArray(a, desktop(cJSON_CreateString("a/b"), "../../../etc", "ops/admin"));
	cJSON_AddItemToArray(a, desktop(cJSON_CreateString(".."), "..", ".."));
	cJSON_AddItemToArray(a, desktop(cJSON_CreateString("."), ".", "."));
	cJSON_AddItemToArray(a, desktop(cJSON_CreateString("line\nbreak"), "a\nb", "new\nline"));
	cJSON_AddItemToArray(a, desktop(cJSON_CreateString("ctl\x01\x1b[31m\x7f"), "\x07", NULL));
	cJSON_AddItemToArray(a, desktop(cJSON_CreateString(long_id), long_id, NULL));
	cJSON_AddItemToArray(a, desktop(cJSON_CreateString(slashes), slashes, slashes));
	cJSON_AddItemToArray(a, desktop(cJSON_CreateString("bad\xff\xfeutf8"), "bad\xc3", NULL));
	/* Two desktops with one id, and two with one computer_name. */
	cJSON_AddItemToArray(a, desktop(cJSON_CreateString("twin-desktop"), "twin", "twin"));
	d = desktop(cJSON_CreateString("twin-desktop"), "twin", NULL);
	cJSON_AddStringToObject(d, "description", "the second twin");
	cJSON_AddItemToArray(a, d);
	cJSON_AddItemToArray(a, desktop(cJSON_CreateString(""), "empty-id", NULL));
	cJSON_AddItemToArray(a, desktop(cJSON_CreateNull(), "null-id", NULL));
	cJSON_AddItemToArray(a, desktop(cJSON_CreateNumber(42), "number-id", NULL));
	cJSON_AddItemToArray(a, desktop(NULL, "missing-id", NULL));
	/* Wrong types in the fields a client reads: a number for a string, a string for a
	 * boolean, an object for an array, nulls. */
	d = desktop(cJSON_CreateString("wrong-types"), NULL, NULL);
	cJSON_AddNumberToObject(d, "computer_name", 12345);
	cJSON_ReplaceItemInObject(d, "status", cJSON_CreateNumber(7));
	cJSON_AddStringToObject(d, "in_maintenance_mode", "true");
	cJSON_AddNullToObject(d, "ipv4");
	cJSON_ReplaceItemInObject(d, "attach_user_infos", cJSON_CreateString("not an array"));
	cJSON_AddItemToObject(d, "user_list", cJSON_CreateObject());
	cJSON_AddStringToObject(d, "created", "");
	cJSON_AddItemToArray(a, d);
	/* Field names that are no file names. */
	d = desktop(cJSON_CreateString("odd-fields"), "odd-fields", NULL);
	cJSON_AddStringToObject(d, "a/b", "slash");
	cJSON_AddStringToObject(d, "..", "dots");
	cJSON_AddStringToObject(d, "", "empty");
	cJSON_AddStringToObject(d, "x\ny", "newline");
	cJSON_AddItemToArray(a, d);
	d = desktop(cJSON_CreateString("deep"), "deep", NULL);
	cJSON_AddItemToObject(d, "metadata", deep_value(DEEP));
	cJSON_AddItemToArray(a, d);
	d = desktop(cJSON_CreateString("big"), "big", NULL);
	cJSON_AddStringToObject(d, "description", big);
	cJSON_AddItemToArray(a, d);
	for (int i = 0; i < PLAIN_DESKTOPS; i++) {
		char id[32];

		g_snprintf(id, sizeof(id), "filler-%04d", i);
		cJSON_AddItemToArray(a, desktop(cJSON_CreateString(id), id, NULL));
	}
	return a;
}

/* A user; name or id NULL: that field is left out. */
static cJSON *user(cJSON *id, cJSON *name)
{
	cJSON *u = cJSON_CreateObject();

	if (id)
		cJSON_AddItemToObject(u, "id", id);
	if (name)
		cJSON_AddItemToObject(u, "user_name", name);
	cJSON_AddStringToObject(u, "user_email", "someone@example.com");
	return u;
}

static cJSON *build_users(void)
{
	static const char *const names[] = {
		"alice", "ops/admin", "..", ".", "new\nline", "\x07" "bell", "bad\xff" "utf8",
		"twin", "twin", "twin", "",
	};
	cJSON *a = cJSON_CreateArray();
	g_autofree char *long_name = repeat('u', 300);
	char id[40];
	guint n = 0;
	cJSON *u;

	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		g_snprintf(id, sizeof(id), "uid-%02u", n++);
		cJSON_AddItemToArray(a, user(cJSON_CreateString(id), cJSON_CreateString(names[i])));
	}
	g_snprintf(id, sizeof(id), "uid-%02u", n++);
	cJSON_AddItemToArray(a, user(cJSON_CreateString(id), cJSON_CreateString(long_name)));
	g_snprintf(id, sizeof(id), "uid-%02u", n++);
	cJSON_AddItemToArray(a, user(cJSON_CreateString(id), cJSON_CreateNull()));
	g_snprintf(id, sizeof(id), "uid-%02u", n++);
	cJSON_AddItemToArray(a, user(cJSON_CreateString(id), cJSON_CreateNumber(17)));
	g_snprintf(id, sizeof(id), "uid-%02u", n++);
	cJSON_AddItemToArray(a, user(cJSON_CreateString(id), NULL));
	/* No id: the name is all there is. */
	cJSON_AddItemToArray(a, user(NULL, cJSON_CreateString("no-id")));
	/* A number for a string, a string for a number, a null, an object for a string. */
	u = user(cJSON_CreateNumber(99), cJSON_CreateString("wrong-types"));
	cJSON_ReplaceItemInObject(u, "user_email", cJSON_CreateNumber(5));
	cJSON_AddStringToObject(u, "total_desktops", "three");
	cJSON_AddNullToObject(u, "phone");
	cJSON_AddItemToObject(u, "description", cJSON_CreateObject());
	cJSON_AddItemToArray(a, u);
	return a;
}

static Hostile *data(void)
{
	static gsize once;

	if (g_once_init_enter(&once)) {
		Hostile *h = g_new0(Hostile, 1);

		h->desktops = build_desktops();
		h->users = build_users();
		hostile_data = h;
		g_once_init_leave(&once, 1);
	}
	return hostile_data;
}

/* {array_key: items[offset, offset+limit), total_field: total} */
static void reply_page(EmuResponse *resp, const cJSON *items, const char *array_key,
		       gint64 offset, gint64 limit, const char *total_field, double total)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *page = cJSON_AddArrayToObject(root, array_key);
	gint64 i = 0;
	const cJSON *it;

	cJSON_ArrayForEach(it, items) {
		if (i >= offset && i < offset + limit)
			cJSON_AddItemToArray(page, cJSON_Duplicate(it, TRUE));
		i++;
	}
	cJSON_AddNumberToObject(root, total_field, total);
	emu_reply_json(resp, 200, root);
}

static void reply_one(EmuResponse *resp, const cJSON *items, const char *id_field,
		      const char *id, const char *wrapper)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, items) {
		const cJSON *v = cJSON_GetObjectItem(it, id_field);
		cJSON *root;

		if (!cJSON_IsString(v) || !g_str_equal(v->valuestring, id))
			continue;
		if (!wrapper) {
			emu_reply_json(resp, 200, cJSON_Duplicate(it, TRUE));
			return;
		}
		root = cJSON_CreateObject();
		cJSON_AddItemToObject(root, wrapper, cJSON_Duplicate(it, TRUE));
		emu_reply_json(resp, 200, root);
		return;
	}
	emu_reply_error(resp, 404, "WKS.0300", "No such object.");
}

/* A listed desktop has no tags; another is not there. */
static void reply_tags(EmuResponse *resp, const cJSON *desktops, const char *id)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, desktops) {
		const cJSON *v = cJSON_GetObjectItem(it, "desktop_id");
		cJSON *root;

		if (!cJSON_IsString(v) || !g_str_equal(v->valuestring, id))
			continue;
		root = cJSON_CreateObject();
		cJSON_AddArrayToObject(root, "tags");
		emu_reply_json(resp, 200, root);
		return;
	}
	emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found.");
}

/* Every page is fuller than asked, by one more each time, with new ids; the total is
 * always one more than the objects so far. Page 0 starts with hostile ids. */
static void reply_images(Hostile *h, EmuResponse *resp, gint64 offset, gint64 limit)
{
	static const char *const odd[] = { "/", "..", ".", "img\none", "img-dup", "img-dup" };
	gint grow = g_atomic_int_add(&h->images_requests, 1) + 1;
	cJSON *root = cJSON_CreateObject();
	cJSON *page = cJSON_AddArrayToObject(root, "images");
	gint64 n = limit + grow;

	for (gint64 i = 0; i < n; i++) {
		cJSON *img = cJSON_CreateObject();
		char id[48];

		if (offset == 0 && i < (gint64)G_N_ELEMENTS(odd))
			g_strlcpy(id, odd[i], sizeof(id));
		else
			g_snprintf(id, sizeof(id), "img-%" G_GINT64_FORMAT, offset + i);
		cJSON_AddStringToObject(img, "id", id);
		cJSON_AddNumberToObject(img, "name", (double)i);
		cJSON_AddItemToArray(page, img);
	}
	cJSON_AddNumberToObject(root, "total_count", (double)(offset + n + 1));
	emu_reply_json(resp, 200, root);
}

/* A collection without end: every page full, of new ids, and no total. */
static void reply_products(EmuResponse *resp, gint64 offset, gint64 limit)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *page = cJSON_AddArrayToObject(root, "products");

	for (gint64 i = 0; i < limit; i++) {
		cJSON *p = cJSON_CreateObject();
		char id[48];

		g_snprintf(id, sizeof(id), "endless-%" G_GINT64_FORMAT, offset + i);
		cJSON_AddStringToObject(p, "product_id", id);
		cJSON_AddItemToArray(page, p);
	}
	emu_reply_json(resp, 200, root);
}

gboolean hostile_serve(Emu *emu, const EmuRoute *route, EmuRequest *req, EmuResponse *resp)
{
	const char *t = route->template;
	gint64 offset = 0, limit = 0;
	Hostile *h;

	if (!emu->cfg->hostile_tenant || !g_str_equal(route->method, "GET"))
		return FALSE;
	if (g_str_equal(t, "/v2/{project_id}/desktops/detail")) {
		if (query_paging(req, resp, 100, 500, &offset, &limit))
			reply_page(resp, data()->desktops, "desktops", offset, limit,
				   "total_count", 10);
	} else if (g_str_equal(t, "/v2/{project_id}/desktops/{desktop_id}")) {
		reply_one(resp, data()->desktops, "desktop_id", req->params[1], "desktop");
	} else if (g_str_equal(t, "/v2/{project_id}/desktops/{desktop_id}/tags")) {
		reply_tags(resp, data()->desktops, req->params[1]);
	} else if (g_str_equal(t, "/v2/{project_id}/users")) {
		if (query_paging(req, resp, 10, 1000, &offset, &limit))
			reply_page(resp, data()->users, "users", offset, limit, "total_count",
				   USERS_TOTAL);
	} else if (g_str_equal(t, "/v2/{project_id}/users/{user_id}")) {
		reply_one(resp, data()->users, "id", req->params[1], "user_detail");
	} else if (g_str_equal(t, "/v2/{project_id}/images")) {
		h = data();
		if (query_paging(req, resp, 10, 100, &offset, &limit))
			reply_images(h, resp, offset, limit);
	} else if (g_str_equal(t, "/v2/{project_id}/products")) {
		if (query_paging(req, resp, 10, 100, &offset, &limit))
			reply_products(resp, offset, limit);
	} else {
		return FALSE;
	}
	return TRUE;
}
