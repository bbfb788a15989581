/* tags.c — the desktop tag routes (4.6.1 list, 4.6.2 create or overwrite, 4.6.3 delete) and
 * the tags each desktop carries.
 *
 * Owns: a desktop's tags: its generated ones (tag_mask) until a tag route changes them,
 * then its own list in Tenant.desktop_tags, in the order they were added (an overwrite
 * keeps a tag's place); what 4.3.5/4.3.8 show in `tags` and the `tag` filter match. The
 * 4.6.2 rules are checked before anything changes: a body {"tag": {"key", "value"}} and
 * nothing else (400 WKS.0001), a key of 1-128 and a value of at most 43 letters, digits,
 * '-' or '_' (400 WKS.0564 "Invalid tag."), at most 10 tags (400 WKS.0566). 4.6.3 answers
 * 204 for a key the desktop lacks ("the deletion is considered successful"). An unknown
 * desktop is 404 WKS.00010031, as on the other desktop routes.
 * Must not: print or sleep under the tenant lock.
 */
#include "emulator/emulator.h"
#include "emulator/render.h"
#include "emulator/tenant.h"

#include <string.h>

#define INVALID(resp, what) \
	emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered through " \
			"the interface is invalid. %s is invalid.", what)

#define MAX_TAGS 10
#define KEY_MAX 128
#define VALUE_MAX 43

static void tag_free(gpointer data)
{
	EmuTag *tag = data;

	g_free(tag->key);
	g_free(tag->value);
	g_free(tag);
}

static void add_tag(GPtrArray *tags, const char *key, const char *value)
{
	EmuTag *tag = g_new0(EmuTag, 1);

	tag->key = g_strdup(key);
	tag->value = g_strdup(value);
	g_ptr_array_add(tags, tag);
}

/* The desktop's own list, made from its generated tags the first time. With the lock. */
static GPtrArray *own_tags(Tenant *t, const Desktop *d)
{
	GPtrArray *tags;

	if (!t->desktop_tags)
		t->desktop_tags = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
							(GDestroyNotify)g_ptr_array_unref);
	tags = g_hash_table_lookup(t->desktop_tags, d);
	if (tags)
		return tags;
	tags = g_ptr_array_new_with_free_func(tag_free);
	for (guint i = 0; i < EMU_N_TAGS; i++) {
		const char *key, *value;

		if (!(d->tag_mask & (1u << i)))
			continue;
		render_tag(i, &key, &value);
		add_tag(tags, key, value);
	}
	g_hash_table_insert(t->desktop_tags, (gpointer)d, tags);
	return tags;
}

cJSON *tags_render(const Tenant *t, const Desktop *d)
{
	GPtrArray *own = t->desktop_tags ? g_hash_table_lookup(t->desktop_tags, d) : NULL;
	cJSON *arr = cJSON_CreateArray();

	for (guint i = 0; i < (own ? own->len : EMU_N_TAGS); i++) {
		const char *key, *value;
		cJSON *item;

		if (own) {
			key = ((EmuTag *)own->pdata[i])->key;
			value = ((EmuTag *)own->pdata[i])->value;
		} else if (d->tag_mask & (1u << i)) {
			render_tag(i, &key, &value);
		} else {
			continue;
		}
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "key", key);
		cJSON_AddStringToObject(item, "value", value);
		cJSON_AddItemToArray(arr, item);
	}
	return arr;
}

static void reply_no_desktop(EmuResponse *resp, const char *id)
{
	emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The resource "
			"type is desktop and resource id [%s].", id);
}

/* 4.6.2 Tag: letters, digits, '-' and '_', counted in Unicode characters. */
static gboolean valid_text(const char *s, glong min, glong max)
{
	glong n;

	if (!g_utf8_validate(s, -1, NULL))
		return FALSE;
	n = g_utf8_strlen(s, -1);
	if (n < min || n > max)
		return FALSE;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (!g_unichar_isalpha(c) && !g_unichar_isdigit(c) && c != '-' && c != '_')
			return FALSE;
	}
	return TRUE;
}

void tags_list(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *body = NULL;
	Desktop *d;

	tenant_lock(t);
	d = tenant_desktop(t, req->params[1]);
	if (d) {
		body = cJSON_CreateObject();
		cJSON_AddItemToObject(body, "tags", tags_render(t, d));
	}
	tenant_unlock(t);
	if (!body) {
		reply_no_desktop(resp, req->params[1]);
		return;
	}
	emu_reply_json(resp, 200, body);
}

/* {"tag": {"key": "...", "value": "..."}}: the key and value, borrowed from json, or FALSE
 * with the answer given. */
static gboolean parse_tag(cJSON *json, EmuResponse *resp, const char **ret_key,
			  const char **ret_value)
{
	cJSON *tag = cJSON_GetObjectItemCaseSensitive(json, "tag"), *item, *key, *value;

	cJSON_ArrayForEach(item, json) {
		if (!item->string || !g_str_equal(item->string, "tag")) {
			INVALID(resp, item->string ? item->string : "body");
			return FALSE;
		}
	}
	if (!cJSON_IsObject(tag)) {
		INVALID(resp, "tag");
		return FALSE;
	}
	cJSON_ArrayForEach(item, tag) {
		if (!item->string || (!g_str_equal(item->string, "key") &&
				      !g_str_equal(item->string, "value"))) {
			INVALID(resp, "tag");
			return FALSE;
		}
	}
	key = cJSON_GetObjectItemCaseSensitive(tag, "key");
	value = cJSON_GetObjectItemCaseSensitive(tag, "value");
	if (!cJSON_IsString(key) || !valid_text(key->valuestring, 1, KEY_MAX) ||
	    (value && !cJSON_IsString(value) && !cJSON_IsNull(value)) ||
	    (cJSON_IsString(value) && !valid_text(value->valuestring, 0, VALUE_MAX))) {
		emu_reply_error(resp, 400, "WKS.0564", "Invalid tag.");
		return FALSE;
	}
	*ret_key = key->valuestring;
	*ret_value = cJSON_IsString(value) ? value->valuestring : "";
	return TRUE;
}

void tags_create(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *json = emu_request_json_object(req, resp);
	const char *key, *value;
	gboolean found = FALSE, full = FALSE, replaced = FALSE;
	GPtrArray *tags;
	Desktop *d;

	if (!json)
		return;
	if (!parse_tag(json, resp, &key, &value))
		goto out;
	tenant_lock(t);
	d = tenant_desktop(t, req->params[1]);
	if (d) {
		found = TRUE;
		tags = own_tags(t, d);
		for (guint i = 0; i < tags->len && !replaced; i++) {
			EmuTag *tag = tags->pdata[i];

			/* "the tag will be created and overwrite the existing one" */
			if (g_str_equal(tag->key, key)) {
				g_free(tag->value);
				tag->value = g_strdup(value);
				replaced = TRUE;
			}
		}
		full = !replaced && tags->len >= MAX_TAGS;
		if (!replaced && !full)
			add_tag(tags, key, value);
	}
	tenant_unlock(t);
	if (!found)
		reply_no_desktop(resp, req->params[1]);
	else if (full)
		emu_reply_error(resp, 400, "WKS.0566", "A maximum of 10 tags can be added to each "
				"desktop.");
	else
		emu_reply_empty(resp, 204);
out:
	cJSON_Delete(json);
}

void tags_delete(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	const char *key = req->params[2];
	GPtrArray *tags;
	Desktop *d;

	tenant_lock(t);
	d = tenant_desktop(t, req->params[1]);
	if (d) {
		tags = own_tags(t, d);
		for (guint i = 0; i < tags->len; i++) {
			if (g_str_equal(((EmuTag *)tags->pdata[i])->key, key)) {
				g_ptr_array_remove_index(tags, i);
				break;
			}
		}
	}
	tenant_unlock(t);
	if (!d)
		reply_no_desktop(resp, req->params[1]);
	else
		emu_reply_empty(resp, 204);
}
