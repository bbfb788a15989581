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
 *   records      per file, back to back: its name, a NUL, then its bytes
 *   a NUL        last, so that looking for a name's end never leaves the blob
 * 10^5 desktops of ~48 files spend 38 MB on entries: a name's offset is not stored (its
 * bytes follow its NUL), and an alias has its own copy of its field's bytes (a few bytes,
 * on users only) rather than an offset to them.
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

static void append_pretty(GString *out, const cJSON *v)
{
	char *s = cJSON_Print(v);

	if (s)
		g_string_append(out, s);
	g_string_append_c(out, '\n');
	cJSON_free(s);
}

static void append_value(GString *out, const cJSON *v, gboolean as_json)
{
	const cJSON *it;

	if (as_json || !(is_scalar(v) || scalar_array(v))) {
		append_pretty(out, v);
	} else if (is_scalar(v)) {
		append_scalar(out, v);
		if (!cJSON_IsNull(v))
			g_string_append_c(out, '\n');
	} else {
		cJSON_ArrayForEach(it, v) {
			append_scalar(out, it);
			g_string_append_c(out, '\n');
		}
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

/* The object while it is rendered: the records so far and their entries. */
typedef struct {
	GString *records;
	GArray *entries;	/* Entry, record offsets relative to records */
	GHashTable *names;	/* the names so far, borrowed (from obj, or render_files) */
	guint info;
} Build;

/* Starts file name's record, or returns FALSE when an earlier file has the name. The
 * caller appends its bytes, then calls end_file(). */
static gboolean begin_file(Build *b, const char *name)
{
	Entry e = { (guint32)b->records->len, 0 };

	if (!g_hash_table_add(b->names, (gpointer)name))
		return FALSE;
	g_string_append_len(b->records, name, (gssize)strlen(name) + 1);
	g_array_append_val(b->entries, e);
	return TRUE;
}

static void end_file(Build *b, gboolean writable, FieldKind kind)
{
	Entry *e = &g_array_index(b->entries, Entry, b->entries->len - 1);
	gsize start = e->record + strlen(b->records->str + e->record) + 1;
	gsize size = b->records->len - start;

	/* Larger than SIZE_MASK is larger than MAX_BLOB: render_object refuses it. */
	e->bits = (guint32)MIN(size, SIZE_MASK) | (writable ? FILE_WRITABLE : 0) |
		  (guint32)kind << KIND_SHIFT;
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

/* Every file of obj into b, in the order of render.h; the flags of the header. */
static guint32 render_files(Build *b, const ResKind *kind, const cJSON *obj)
{
	g_autoptr(GHashTable) keys = g_hash_table_new(ascii_case_hash, ascii_case_equal);
	g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func(g_free);
	guint32 flags = 0;
	const cJSON *field;

	b->names = names;

	cJSON_ArrayForEach(field, obj) {
		const char *twin = g_hash_table_lookup(keys, field->string);
		gboolean plain = (is_scalar(field) || scalar_array(field)) &&
				 !res_is_json_field(kind, field->string);
		const char *name = field->string;

		if (twin && strcmp(twin, field->string) != 0)
			flags |= BLOB_CASE_TWINS;
		else if (!twin)
			g_hash_table_insert(keys, field->string, field->string);
		if (!plain) {
			name = g_strconcat(field->string, ".json", NULL);
			g_ptr_array_add(owned, (char *)name);
		}
		if (!field->string[0] || res_is_reserved_file(kind, name) ||
		    !g_utf8_validate(name, -1, NULL) || strlen(name) > MAX_NAME ||
		    !begin_file(b, name))
			continue;
		append_value(b->records, field, !plain);
		end_file(b, res_field_for_file(kind, name) != NULL,
			 plain ? field_kind(field) : KIND_NONE);
	}
	for (const ResAlias *a = kind->aliases; a && a->file; a++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, a->field);

		if (!v || !(is_scalar(v) || scalar_array(v)) || !begin_file(b, a->file))
			continue;
		append_value(b->records, v, FALSE);
		end_file(b, res_field_for_file(kind, a->file) != NULL, KIND_NONE);
	}
	/* A writable field the object lacks still gets its (empty) file, so it can be set. */
	for (const ResField *f = kind->fields; f && f->field; f++)
		if (begin_file(b, res_field_file(kind, f)))
			end_file(b, TRUE, KIND_NONE);
	if (begin_file(b, "info.json")) {
		b->info = b->entries->len - 1;
		append_pretty(b->records, obj);
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
	Build b = { g_string_sized_new(4096), g_array_new(FALSE, FALSE, sizeof(Entry)), NULL, 0 };
	Header h = { BLOB_MAGIC, 0, 0, 0, 0, 0 };
	gsize base, size;
	guint8 *data = NULL;

	if (!cJSON_IsObject(obj))
		goto out;
	h.flags = render_files(&b, kind, obj);
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
	memcpy(data + sizeof(h), b.entries->data, (gsize)h.count * sizeof(Entry));
	memcpy(data + base, b.records->str, b.records->len);
	data[size - 1] = '\0';
	memcpy(data, &h, sizeof(h));
	h.version_ns = version_after(previous, data, size);
	memcpy(data, &h, sizeof(h));
out:
	g_string_free(b.records, TRUE);
	g_array_unref(b.entries);
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

/* File i of blob: its name and its bytes, checked to lie inside the blob. */
static gboolean file_at(GBytes *blob, guint i, const char **ret_name, gsize *ret_offset,
			Entry *ret_entry)
{
	const guint8 *data;
	gsize size, start;
	Header h;
	Entry e;

	if (!header_of(blob, &h, &data, &size) || i >= h.count)
		return FALSE;
	memcpy(&e, data + sizeof(h) + (gsize)i * sizeof(Entry), sizeof(e));
	if (e.record >= size)
		return FALSE;
	/* The blob ends in a NUL: strlen stays inside it. */
	start = e.record + strlen((const char *)data + e.record) + 1;
	if (start > size - 1 || (e.bits & SIZE_MASK) > size - 1 - start)
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
	gsize offset;
	Entry e;

	if (!file_at(blob, i, &name, &offset, &e))
		return NULL;
	return g_bytes_new_from_bytes(blob, offset, e.bits & SIZE_MASK);
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
