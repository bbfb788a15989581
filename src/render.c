/* render.c — JSON to file text, once per object. One value per file, named after the API's
 * own field, so the API reference explains every file; info.json keeps the whole object for
 * jq. The rules are in render.h.
 *
 * Owns: the blob, the one rendered form of an object. Pure: no I/O, no API calls, no cache;
 * it must not keep anything between calls.
 *
 * Blob layout (native byte order, one allocation, read through memcpy so that any GBytes is
 * safe to ask):
 *   Header       magic, file count, version time, the index of info.json, flags, size
 *   Entry[count] per file: the offset of its record, its size and flags (8 bytes)
 *   records      per file, back to back: its name, a NUL, then its bytes, or, for a
 *                slice, the offset of its bytes in info.json (4 bytes)
 *   a NUL        last, so that looking for a name's end never leaves the blob
 * info.json is the object as compact JSON, as the API sends it. A field whose file reads
 * the same as its JSON text (a number, a boolean, a string with nothing escaped, an object
 * as <field>.json) is not stored twice: its file is that slice of info.json and a "\n".
 * So an object costs its JSON once, its names and 8 bytes an entry (10^5 desktops of ~48
 * files: 38 MB of entries). Scalar arrays, escaped strings and aliases (a few bytes, on
 * users only) keep bytes of their own.
 */
#include "src/render.h"

#include <string.h>
#include <time.h>

#include "src/json.h"

/* Not text: no JSON, listing or other cached value starts with it. */
#define BLOB_MAGIC 0x52534bffu	/* "\xffKSR" little-endian */
#define MAX_BLOB (256u << 20)
#define MAX_NAME 255

typedef struct {
	guint32 magic;
	guint32 count;
	gint64 version_ns;
	guint32 info;		/* index of info.json */
	guint32 flags;		/* BLOB_* */
	guint64 size;		/* of the whole blob: a part of one is none */
} Header;

/* An object with two keys that differ only in case: cJSON_GetObjectItem() may find either,
 * so a field is read from the JSON as before, never from a file. */
#define BLOB_CASE_TWINS 1u

typedef struct {
	guint32 record;		/* offset in the blob of the name; the bytes follow its NUL */
	guint32 bits;		/* size (SIZE_MASK) | FILE_WRITABLE | field kind */
} Entry;

#define SIZE_MASK ((1u << 28) - 1)
#define FILE_WRITABLE (1u << 28)
#define FILE_SLICE (1u << 31)	/* the record holds an offset to the bytes, in info.json */
#define KIND_SHIFT 29
#define KIND_MASK (3u << KIND_SHIFT)

/* What a file named after its own field shows of it (render_field_strings). */
typedef enum {
	KIND_NONE,		/* not a field under its own name, or not readable from the text */
	KIND_STRING,		/* a string: the bytes less the final "\n" */
	KIND_LINES,		/* an array of strings without newlines: one per line */
	KIND_OTHER,		/* a number, boolean or null: no name in it */
} FieldKind;

static void append_scalar(GString *out, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		g_string_append(out, v->valuestring);
	} else if (cJSON_IsNull(v)) {
		/* nothing: a null field is an empty file */
	} else {
		char *s = cJSON_PrintUnformatted(v);

		if (s)
			g_string_append(out, s);
		cJSON_free(s);
	}
}

static gboolean is_scalar(const cJSON *v)
{
	return !cJSON_IsArray(v) && !cJSON_IsObject(v);
}

static gboolean scalar_array(const cJSON *v)
{
	const cJSON *it;

	if (!cJSON_IsArray(v))
		return FALSE;
	cJSON_ArrayForEach(it, v)
		if (!is_scalar(it))
			return FALSE;
	return TRUE;
}

/* A JSON string, escaped as cJSON prints one (", \\ and control characters). */
static void append_json_string(GString *out, const char *s)
{
	g_string_append_c(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			g_string_append(out, "\\\"");
			break;
		case '\\':
			g_string_append(out, "\\\\");
			break;
		case '\b':
			g_string_append(out, "\\b");
			break;
		case '\f':
			g_string_append(out, "\\f");
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\r':
			g_string_append(out, "\\r");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		default:
			if (*p < 0x20)
				g_string_append_printf(out, "\\u%04x", *p);
			else
				g_string_append_c(out, (char)*p);
		}
	}
	g_string_append_c(out, '"');
}

/* v as compact JSON, the way the API sends it (and cJSON_PrintUnformatted prints it). */
static void append_compact(GString *out, const cJSON *v)
{
	char *s;

	if (cJSON_IsString(v)) {
		append_json_string(out, v->valuestring);
		return;
	}
	s = cJSON_PrintUnformatted(v);
	g_string_append(out, s ? s : "null");
	cJSON_free(s);
}

/* A scalar's file (its text and a newline; nothing for null), or a scalar array's (one
 * item per line). */
static void append_text(GString *out, const cJSON *v)
{
	const cJSON *it;

	if (!cJSON_IsArray(v)) {
		append_scalar(out, v);
		if (!cJSON_IsNull(v))
			g_string_append_c(out, '\n');
		return;
	}
	cJSON_ArrayForEach(it, v) {
		append_scalar(out, it);
		g_string_append_c(out, '\n');
	}
}

static FieldKind field_kind(const cJSON *v)
{
	const cJSON *it;

	if (cJSON_IsString(v))
		return KIND_STRING;
	if (is_scalar(v))
		return KIND_OTHER;
	cJSON_ArrayForEach(it, v)
		if (!cJSON_IsString(it) || strchr(it->valuestring, '\n'))
			return KIND_NONE;
	return KIND_LINES;
}

/* The object while it is rendered: the records so far and their entries, and the object's
 * compact JSON, which becomes info.json's bytes last. */
typedef struct {
	GString *records;
	GArray *entries;	/* Entry, record offsets relative to records */
	GHashTable *names;	/* the names so far, borrowed (from obj, or render_files) */
	guint info;
	GString *json;		/* the object so far, compact */
	GArray *slices;		/* guint32: where in records a slice's offset is, which holds
				 * the offset in json until render_object places info.json */
} Build;

/* Starts file name's record, or returns FALSE when an earlier file has the name. The
 * caller appends its bytes, then calls end_file(), or calls end_slice() instead. */
static gboolean begin_file(Build *b, const char *name)
{
	Entry e = { (guint32)b->records->len, 0 };

	if (!g_hash_table_add(b->names, (gpointer)name))
		return FALSE;
	g_string_append_len(b->records, name, (gssize)strlen(name) + 1);
	g_array_append_val(b->entries, e);
	return TRUE;
}

static guint32 entry_bits(gsize size, gboolean writable, FieldKind kind)
{
	/* Larger than SIZE_MASK is larger than MAX_BLOB: render_object refuses it. */
	return (guint32)MIN(size, SIZE_MASK) | (writable ? FILE_WRITABLE : 0) |
	       (guint32)kind << KIND_SHIFT;
}

static void end_file(Build *b, gboolean writable, FieldKind kind)
{
	Entry *e = &g_array_index(b->entries, Entry, b->entries->len - 1);
	gsize start = e->record + strlen(b->records->str + e->record) + 1;

	e->bits = entry_bits(b->records->len - start, writable, kind);
}

/* The file's bytes are len bytes of the JSON at at, then a "\n" that is not stored. */
static void end_slice(Build *b, gsize at, gsize len, gboolean writable, FieldKind kind)
{
	Entry *e = &g_array_index(b->entries, Entry, b->entries->len - 1);
	guint32 where = (guint32)b->records->len, offset = (guint32)at;

	g_string_append_len(b->records, (const char *)&offset, sizeof(offset));
	g_array_append_val(b->slices, where);
	e->bits = entry_bits(len + 1, writable, kind) | FILE_SLICE;
}

/* Whether a string appears in JSON as it is (nothing in it is escaped). */
static gboolean verbatim(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == '"' || *p == '\\')
			return FALSE;
	return TRUE;
}

/* The field's file, after begin_file(): a scalar's text, a scalar array's lines, anything
 * else its JSON. What reads the same as its JSON text (at, len) is a slice of info.json. */
static void field_file(Build *b, const cJSON *v, gboolean as_json, gsize at, gsize len,
		       gboolean writable, FieldKind kind)
{
	if (as_json || cJSON_IsNumber(v) || cJSON_IsBool(v)) {
		end_slice(b, at, len, writable, kind);
	} else if (cJSON_IsString(v) && verbatim(v->valuestring)) {
		end_slice(b, at + 1, len - 2, writable, kind);	/* inside its quotes */
	} else {
		append_text(b->records, v);
		end_file(b, writable, kind);
	}
}

static guint ascii_case_hash(gconstpointer p)
{
	guint h = 5381;

	for (const char *s = p; *s; s++)
		h = h * 33 + (guchar)g_ascii_tolower(*s);
	return h;
}

static gboolean ascii_case_equal(gconstpointer a, gconstpointer b)
{
	return g_ascii_strcasecmp(a, b) == 0;
}

/* An object's tags (ResTags), when it carries them: the marker "<dir>/", then a writable
 * "<dir>/<key>" per tag, its value as a scalar's file. A key that is not a string or not
 * usable as a name is left out (it stays in info.json), as is a second tag with a key. */
static void tag_files(Build *b, const ResKind *kind, const cJSON *obj, GPtrArray *owned)
{
	const ResTags *tags = kind->tags;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(obj, tags->field), *tag;
	char *name;

	if (!cJSON_IsArray(list))
		return;
	name = res_tag_file(tags, "");
	g_ptr_array_add(owned, name);
	if (!begin_file(b, name))
		return;
	end_file(b, FALSE, KIND_NONE);
	cJSON_ArrayForEach(tag, list) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(tag, tags->value);
		const char *key = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tag,
											tags->key));

		if (!key || !key[0] || !g_utf8_validate(key, -1, NULL) || strlen(key) > MAX_NAME)
			continue;
		name = res_tag_file(tags, key);
		g_ptr_array_add(owned, name);
		if (!begin_file(b, name))
			continue;
		if (v && is_scalar(v)) {
			append_scalar(b->records, v);
			if (!cJSON_IsNull(v))
				g_string_append_c(b->records, '\n');
		}
		end_file(b, TRUE, KIND_NONE);
	}
}

/* Every file of obj into b, in the order of render.h; the flags of the header. */
static guint32 render_files(Build *b, const ResKind *kind, const cJSON *obj)
{
	g_autoptr(GHashTable) keys = g_hash_table_new(ascii_case_hash, ascii_case_equal);
	g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) fields = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func(g_free);
	guint32 flags = 0;
	const cJSON *field;

	b->names = names;
	g_string_append_c(b->json, '{');
	cJSON_ArrayForEach(field, obj) {
		const char *twin = g_hash_table_lookup(keys, field->string);
		gboolean plain = (is_scalar(field) || scalar_array(field)) &&
				 !res_is_json_field(kind, field->string);
		const char *name = field->string;
		gsize at;

		if (field != obj->child)
			g_string_append_c(b->json, ',');
		append_json_string(b->json, field->string);
		g_string_append_c(b->json, ':');
		at = b->json->len;
		append_compact(b->json, field);
		if (twin && strcmp(twin, field->string) != 0)
			flags |= BLOB_CASE_TWINS;
		else if (!twin)
			g_hash_table_insert(keys, field->string, field->string);
		/* The first of two fields with one name wins, whatever file each would be
		 * ("tags.json" for an array, then "tags" for a string). */
		if (!g_hash_table_add(fields, field->string))
			continue;
		if (!plain) {
			name = g_strconcat(field->string, ".json", NULL);
			g_ptr_array_add(owned, (char *)name);
		}
		if (!field->string[0] || res_is_reserved_file(kind, name) ||
		    !g_utf8_validate(name, -1, NULL) || strlen(name) > MAX_NAME ||
		    !begin_file(b, name))
			continue;
		field_file(b, field, !plain, at, b->json->len - at,
			   res_field_for_file(kind, name) != NULL,
			   plain ? field_kind(field) : KIND_NONE);
	}
	g_string_append(b->json, "}\n");
	for (const ResAlias *a = kind->aliases; a && a->file; a++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, a->field);

		if (!v || !(is_scalar(v) || scalar_array(v)) || !begin_file(b, a->file))
			continue;
		append_text(b->records, v);
		end_file(b, res_field_for_file(kind, a->file) != NULL, KIND_NONE);
	}
	/* A writable field the object lacks still gets its (empty) file, so it can be set. */
	for (const ResField *f = kind->fields; f && f->field; f++)
		if (begin_file(b, res_field_file(kind, f)))
			end_file(b, TRUE, KIND_NONE);
	if (kind->tags)
		tag_files(b, kind, obj, owned);
	if (begin_file(b, "info.json")) {
		b->info = b->entries->len - 1;
		g_string_append_len(b->records, b->json->str, (gssize)b->json->len);
		end_file(b, FALSE, KIND_NONE);
	}
	b->names = NULL;	/* it borrows from owned */
	return flags;
}

static gint64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (gint64)ts.tv_sec * G_GINT64_CONSTANT(1000000000) + ts.tv_nsec;
}

/* The blob's header, or FALSE when it is not a blob. */
static gboolean header_of(GBytes *blob, Header *ret_header, const guint8 **ret_data,
			  gsize *ret_size)
{
	gsize size = 0;
	const guint8 *data = blob ? g_bytes_get_data(blob, &size) : NULL;
	Header h;

	if (!data || size < sizeof(h) + 1)
		return FALSE;
	memcpy(&h, data, sizeof(h));
	if (h.magic != BLOB_MAGIC || h.size != size ||
	    h.count > (size - sizeof(h) - 1) / sizeof(Entry) ||
	    h.info >= h.count || data[size - 1] != '\0')
		return FALSE;
	*ret_header = h;
	*ret_data = data;
	*ret_size = size;
	return TRUE;
}

/* Keeps previous's version when only the version could differ. */
static gint64 version_after(GBytes *previous, const guint8 *data, gsize size)
{
	gint64 now = now_ns();
	const guint8 *old;
	gsize old_size;
	Header h;
	gsize at = G_STRUCT_OFFSET(Header, version_ns);

	if (!header_of(previous, &h, &old, &old_size))
		return now;
	if (old_size == size && memcmp(old, data, at) == 0 &&
	    memcmp(old + at + sizeof(gint64), data + at + sizeof(gint64),
		   size - at - sizeof(gint64)) == 0)
		return h.version_ns;
	return MAX(now, h.version_ns + 1);
}

GBytes *render_object(const ResKind *kind, const cJSON *obj, GBytes *previous)
{
	Build b = { g_string_sized_new(2048), g_array_new(FALSE, FALSE, sizeof(Entry)), NULL,
		    G_MAXUINT, g_string_sized_new(4096), g_array_new(FALSE, FALSE,
								 sizeof(guint32)) };
	Header h = { BLOB_MAGIC, 0, 0, 0, 0, 0 };
	gsize base, size, json_at;
	guint8 *data = NULL;

	if (!cJSON_IsObject(obj))
		goto out;
	h.flags = render_files(&b, kind, obj);
	if (b.info == G_MAXUINT)
		goto out;
	h.count = b.entries->len;
	h.info = b.info;
	base = sizeof(h) + (gsize)h.count * sizeof(Entry);
	size = base + b.records->len + 1;
	if (size > MAX_BLOB)
		goto out;
	h.size = size;
	data = g_malloc(size);
	for (guint i = 0; i < h.count; i++)
		g_array_index(b.entries, Entry, i).record += (guint32)base;
	/* The slices point into info.json, now that it has its place. */
	json_at = g_array_index(b.entries, Entry, b.info).record + sizeof("info.json");
	for (guint i = 0; i < b.slices->len; i++) {
		guint32 where = g_array_index(b.slices, guint32, i), offset;

		memcpy(&offset, b.records->str + where, sizeof(offset));
		offset += (guint32)json_at;
		memcpy(b.records->str + where, &offset, sizeof(offset));
	}
	memcpy(data + sizeof(h), b.entries->data, (gsize)h.count * sizeof(Entry));
	memcpy(data + base, b.records->str, b.records->len);
	data[size - 1] = '\0';
	memcpy(data, &h, sizeof(h));
	h.version_ns = version_after(previous, data, size);
	memcpy(data, &h, sizeof(h));
out:
	g_string_free(b.records, TRUE);
	g_string_free(b.json, TRUE);
	g_array_unref(b.entries);
	g_array_unref(b.slices);
	return data ? g_bytes_new_take(data, size) : NULL;
}

gboolean render_is_blob(GBytes *blob)
{
	const guint8 *data;
	gsize size;
	Header h;

	return header_of(blob, &h, &data, &size);
}

guint render_count(GBytes *blob)
{
	const guint8 *data;
	gsize size;
	Header h;

	return header_of(blob, &h, &data, &size) ? h.count : 0;
}

/* File i of blob: its name and where its bytes are, checked to lie inside the blob. A
 * slice's last byte, its "\n", is not there: the bytes at *ret_offset are one fewer. */
static gboolean file_at(GBytes *blob, guint i, const char **ret_name, gsize *ret_offset,
			Entry *ret_entry)
{
	const guint8 *data;
	gsize size, start, stored;
	Header h;
	Entry e;

	if (!header_of(blob, &h, &data, &size) || i >= h.count)
		return FALSE;
	memcpy(&e, data + sizeof(h) + (gsize)i * sizeof(Entry), sizeof(e));
	if (e.record >= size)
		return FALSE;
	/* The blob ends in a NUL: strlen stays inside it. */
	start = e.record + strlen((const char *)data + e.record) + 1;
	stored = e.bits & SIZE_MASK;
	if (e.bits & FILE_SLICE) {
		guint32 offset;

		if (start + sizeof(offset) > size - 1 || stored < 1)
			return FALSE;
		memcpy(&offset, data + start, sizeof(offset));
		start = offset;
		stored--;
	}
	if (start > size - 1 || stored > size - 1 - start)
		return FALSE;
	*ret_name = (const char *)data + e.record;
	*ret_offset = start;
	*ret_entry = e;
	return TRUE;
}

const char *render_name(GBytes *blob, guint i)
{
	const char *name;
	gsize offset;
	Entry e;

	return file_at(blob, i, &name, &offset, &e) ? name : NULL;
}

gboolean render_writable(GBytes *blob, guint i)
{
	const char *name;
	gsize offset;
	Entry e;

	return file_at(blob, i, &name, &offset, &e) && (e.bits & FILE_WRITABLE);
}

gsize render_size(GBytes *blob, guint i)
{
	const char *name;
	gsize offset;
	Entry e;

	return file_at(blob, i, &name, &offset, &e) ? e.bits & SIZE_MASK : 0;
}

GBytes *render_content(GBytes *blob, guint i)
{
	const char *name;
	gsize offset, size;
	guint8 *copy;
	Entry e;

	if (!file_at(blob, i, &name, &offset, &e))
		return NULL;
	size = e.bits & SIZE_MASK;
	if (!(e.bits & FILE_SLICE))
		return g_bytes_new_from_bytes(blob, offset, size);
	/* A few bytes of info.json and the newline they lack there. */
	copy = g_malloc(size);
	memcpy(copy, (const guint8 *)g_bytes_get_data(blob, NULL) + offset, size - 1);
	copy[size - 1] = '\n';
	return g_bytes_new_take(copy, size);
}

int render_find(GBytes *blob, const char *name)
{
	const guint8 *data;
	gsize size;
	Header h;
	Entry e;

	if (!header_of(blob, &h, &data, &size))
		return -1;
	for (guint i = 0; i < h.count; i++) {
		memcpy(&e, data + sizeof(h) + (gsize)i * sizeof(Entry), sizeof(e));
		if (e.record < size && strcmp((const char *)data + e.record, name) == 0)
			return (int)i;
	}
	return -1;
}

GBytes *render_json(GBytes *blob)
{
	const guint8 *data;
	gsize size;
	Header h;

	return header_of(blob, &h, &data, &size) ? render_content(blob, h.info) : NULL;
}

gint64 render_version_ns(GBytes *blob)
{
	const guint8 *data;
	gsize size;
	Header h;

	return header_of(blob, &h, &data, &size) ? h.version_ns : 0;
}

static void add_name(GPtrArray *out, const char *s, gsize len)
{
	if (len > 0 && memchr(s, '\0', len) == NULL)
		g_ptr_array_add(out, g_strndup(s, len));
}

/* render_field_strings from the JSON, as the API layer read it before blobs. */
static GPtrArray *strings_from_json(GBytes *blob, const char *field, gboolean *ret_array)
{
	g_autoptr(GBytes) json = render_json(blob);
	g_autoptr(cJSON) obj = json_parse_bytes(json);
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	const cJSON *v = cJSON_GetObjectItem(obj, field);
	const cJSON *it;
	const char *name;

	*ret_array = cJSON_IsArray(v);
	if (*ret_array) {
		cJSON_ArrayForEach(it, v)
			if (cJSON_IsString(it) && it->valuestring[0])
				g_ptr_array_add(out, g_strdup(it->valuestring));
	} else if ((name = json_name(obj, field))) {
		g_ptr_array_add(out, g_strdup(name));
	}
	return out;
}

GPtrArray *render_field_strings(GBytes *blob, const char *field, gboolean *ret_array)
{
	const guint8 *data;
	const char *name, *text;
	gsize size, offset, len;
	GPtrArray *out;
	Header h;
	Entry e;
	int i;

	if (!header_of(blob, &h, &data, &size))
		return NULL;
	i = (h.flags & BLOB_CASE_TWINS) ? -1 : render_find(blob, field);
	if (i < 0 || !file_at(blob, (guint)i, &name, &offset, &e) ||
	    (e.bits & KIND_MASK) >> KIND_SHIFT == KIND_NONE)
		return strings_from_json(blob, field, ret_array);
	text = (const char *)data + offset;
	len = e.bits & SIZE_MASK;
	out = g_ptr_array_new_with_free_func(g_free);
	*ret_array = FALSE;
	switch ((e.bits & KIND_MASK) >> KIND_SHIFT) {
	case KIND_STRING:
		/* json_name(): at most MAX_NAME bytes of UTF-8 ("\n" not counted) */
		if (len >= 1 && len - 1 <= MAX_NAME && g_utf8_validate(text, (gssize)len - 1, NULL))
			add_name(out, text, len - 1);
		break;
	case KIND_LINES:
		*ret_array = TRUE;
		for (gsize at = 0; at < len;) {
			const char *nl = memchr(text + at, '\n', len - at);
			gsize n = nl ? (gsize)(nl - (text + at)) : len - at;

			add_name(out, text + at, n);
			at += n + 1;
		}
		break;
	default:
		break;
	}
	return out;
}
