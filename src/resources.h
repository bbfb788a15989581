/* resources.h — the declarative table of resource kinds (DESIGN.md §4). */
#pragma once

#include <glib.h>

typedef enum {
	FIELD_STRING,		/* any single-line text */
	FIELD_EMAIL,		/* local@domain */
	FIELD_PHONE,		/* digits, optional leading '+', spaces and '-' */
	FIELD_BOOL,		/* true | false */
} FieldType;

typedef struct {
	const char *file;	/* file name in the object's directory */
	const char *field;	/* API field name */
} ResAlias;

typedef struct {
	const char *field;	/* API field name (the file is named after it or an alias) */
	FieldType type;
	gsize max_len;
	const char *method;	/* e.g. "PUT" */
	const char *path;	/* template with {project_id} and {id} */
	const char *wrapper;	/* body wrapper object, or NULL for a flat body */
} ResField;

typedef struct {
	const char *verb;	/* what the user writes: "stop" */
	const char *op_value;	/* what the API wants: "os-stop" */
	gboolean takes_hard;	/* accepts an optional "hard" argument (type SOFT|HARD) */
} ResVerb;

typedef struct {
	const char *method;
	const char *path;	/* template; {id} = the object's id */
	const char *ids_field;	/* body array of ids ("desktop_ids"), or NULL: id in the path */
	const char *op_field;	/* "op_type" */
	const char *type_field;	/* "type" (SOFT|HARD) or NULL */
	const ResVerb *verbs;	/* NULL-terminated by verb */
} ResAction;

typedef struct {
	const char *dir;		/* top-level directory: "desktops" */
	const char *list_path;		/* GET, paged by offset/limit */
	int page_limit;
	gboolean limit_is_string;	/* documentation types offset/limit as String */
	const char *total_field;	/* "total_count", "count", ... */
	const char *array_key;		/* "desktops", "users", "items" */
	const char *id_field;		/* what the API paths take: "desktop_id", "id" */
	const char *name_field;		/* the directory name: "desktop_id", "user_name" */
	const char *detail_path;	/* GET one by id ({id}), or NULL */
	const char *detail_wrapper;	/* "desktop", or NULL for a flat object */
	const char *name_filter;	/* list query that selects by name when there is no
					 * detail path: "user_name" */
	const char *const *json_fields;	/* object-typed fields (catalog.json): always
					 * "<field>.json", even when null or empty, so a
					 * file's name never depends on its value */
	const ResAlias *aliases;	/* terminated by file == NULL */
	const ResField *fields;		/* writable fields, terminated by field == NULL */
	const ResAction *action;	/* or NULL */
} ResKind;

/* NULL-terminated table. */
extern const ResKind *const res_kinds[];

const ResKind *res_kind_lookup(const char *dir);
/* The kind's position in res_kinds, or -1. */
int res_kind_index(const ResKind *kind);
const ResField *res_field_for_file(const ResKind *kind, const char *file);
/* The API field a file shows: an alias's field, else the file name itself. */
const char *res_field_name(const ResKind *kind, const char *file);
gboolean res_is_json_field(const ResKind *kind, const char *field);
