/* resources.h — the declarative table of resource kinds: everything the
 * filesystem knows about a kind is data here; the FUSE operations never name a kind. */
#pragma once

#include <glib.h>

typedef enum {
	FIELD_STRING,		/* any single-line text */
	FIELD_EMAIL,		/* local@domain */
	FIELD_PHONE,		/* digits, optional leading '+', spaces and '-' */
	FIELD_BOOL,		/* true | false */
	FIELD_COMPUTER_NAME,	/* 1-15 letters, digits, '-', '_', starting with a letter */
	/* Documents (src/document.c): a whole value, which may span lines. */
	FIELD_JSON,		/* a JSON object, checked against `body`, shown as the alias
				 * <field>.json; complete when a write ends in a newline and
				 * the JSON is not cut short, or at the writer's last close */
	FIELD_TEXT,		/* UTF-8 text of many lines (a script); complete only at the
				 * writer's last close, since every line ends in a newline */
} FieldType;

typedef enum {
	SERVICE_WORKSPACE,	/* -o endpoint */
	SERVICE_APPSTREAM,	/* -o appstream_endpoint (the Workspace host outside China) */
} ResService;

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
	const char *ids_field;	/* batch-style body: the object's id in this array, path
				 * without {id} ("desktop_ids"); NULL: {id} in the path */
	const struct ResBodyField *body;	/* FIELD_JSON: the object's documented fields
						 * (terminated by name == NULL) */
	const char *const *carry;	/* fields of the cached object the body also carries,
					 * as they are (4.24.4 wants a script's name with its
					 * content), NULL-terminated; or NULL */
	gboolean detail_only;	/* the listing's objects lack it: its file, empty in such an
				 * object, is read from the object's detail (fetched once,
				 * cached with the object) */
} ResField;

typedef enum {
	ARG_NONE,		/* the verb alone */
	ARG_HARD,		/* optionally "hard": type HARD instead of SOFT */
	ARG_USER,		/* one user name, sent as that user's id */
} ResArg;

typedef struct {
	const char *verb;	/* what the user writes: "stop" */
	const char *op_value;	/* what the API wants in op_field: "os-stop"; NULL if none */
	ResArg arg;
	const char *path;	/* this verb's own path (PATCH .../batch-start), or NULL */
} ResVerb;

typedef struct {
	const char *method;
	const char *path;	/* template; {id} = the object's id */
	const char *ids_field;	/* body array of ids ("desktop_ids", "items"), or NULL: {id} */
	const char *op_field;	/* "op_type", or NULL when the path names the operation */
	const char *type_field;	/* "type" (SOFT|HARD) or NULL */
	const char *arg_field;	/* ARG_USER: the body array for the argument ("user_ids") */
	const ResVerb *verbs;	/* terminated by verb == NULL */
	/* Batchable (src/batch.c): writes to many objects go out as one call with every id
	 * in ids_field; the answer's array failed_list names, by failed_id, the objects that
	 * failed. NULL: one call per write. batch_limit: ids per call at most (0: -o batch_max). */
	const char *failed_list;
	const char *failed_id;
	int batch_limit;
	/* What follows an action (src/jobs.c). A job id in the answer is polled at job_path on
	 * the kind's service (App Streaming's ShowJobDetail: /v2/{project_id}/job/{id}); NULL:
	 * Workspace's own job path, and the job is listed under /jobs. An answer without one
	 * (App Streaming's batch-start, -stop, -reboot): with busy_field set, each object is
	 * followed itself, by its detail_path, until busy_field is null, "" or one of
	 * idle_values (NULL-terminated): its transition is over. */
	const char *job_path;
	const char *busy_field;
	const char *const *idle_values;
	/* A JSON object whose members every body carries as they are, or NULL. */
	const char *fixed_body;
} ResAction;

typedef enum {
	LINK_FIELD,		/* names held in an array field of the object ("user_list") */
	LINK_REVERSE,		/* target objects whose array `field` holds this object's name */
	LINK_MATCH,		/* target objects whose `field` equals this object's id */
	LINK_SUBLIST,		/* the API's own sub-collection of the object */
	LINK_OBJECTS,		/* the API's own sub-collection of objects no kind lists:
				 * shown as directories of files (<link>/<name>/<file>) */
} LinkSource;

typedef struct ResKind ResKind;

typedef struct {
	const char *dir;	/* directory of symlinks inside the object's: "users" */
	const char *target;	/* the kind the links point to: "users" */
	LinkSource source;
	const char *field;	/* LINK_FIELD/REVERSE/MATCH: the field */
	const char *sub_path;	/* LINK_SUBLIST: GET, {id} = this object's id */
	const char *sub_array;	/* LINK_SUBLIST: the response's array */
	const char *sub_total;	/* LINK_SUBLIST: its total field */
	const char *sub_name;	/* LINK_SUBLIST: the field naming the target object */
	int sub_limit;		/* LINK_SUBLIST: page size */
	/* LINK_OBJECTS: what the objects are, as a kind that is not in res_kinds: its
	 * list_path ({id} = this object's id), page_limit, total_field, array_key,
	 * name_field and json_fields. They are cached with this object, with its TTL. */
	const ResKind *objects;
} ResLink;

/* A directory of one file per tag of the object (desktops/<id>/tags/<key>): the object's
 * array field of {key, value} objects, each tag a file named by its key, the value its
 * content. Writing a file creates or overwrites the tag (one POST), unlink deletes it (one
 * DELETE); the rules are the API's own, checked before anything is sent. */
typedef struct {
	const char *dir;	/* the directory inside the object's: "tags" */
	const char *field;	/* the object's array of tags: "tags" */
	const char *key;	/* a tag's key field: "key" */
	const char *value;	/* its value field: "value" */
	const char *list_path;	/* GET {id}: the tags of an object that lacks `field`; the
				 * answer holds them in `field` too */
	const char *set_path;	/* POST {id}: one tag, created or overwritten */
	const char *set_wrapper; /* the set body's object holding key and value: "tag" */
	const char *delete_path; /* DELETE {id} and {key}: one tag */
	int max_tags;		/* tags an object may carry at most */
	int key_max;		/* characters */
	int value_max;		/* characters */
} ResTags;
/* The JSON types of a create body's fields (catalog.json's request_body types). */
typedef enum {
	BODY_STRING,		/* String */
	BODY_INTEGER,		/* Integer: a number without a fraction */
	BODY_BOOLEAN,		/* Boolean: true | false */
	BODY_ARRAY,		/* Array of <items> */
	BODY_OBJECT,		/* an object; its fields, when listed, are checked alike */
} BodyType;

typedef struct ResBodyField ResBodyField;

/* One field of a create body, as the API Reference documents it. */
struct ResBodyField {
	const char *name;
	BodyType type;
	gboolean mandatory;
	BodyType items;			/* BODY_ARRAY: the type of its items */
	const ResBodyField *fields;	/* BODY_OBJECT, or an array of objects: its fields
					 * (terminated by name == NULL); NULL: not checked */
	gboolean secret;		/* a password: never in the audit, the log or a reply */
};

/* A kind's create endpoint: `<kind>/.create` takes its JSON body. */
typedef struct {
	const char *method;		/* "POST" */
	const char *path;		/* template with {project_id} */
	const ResBodyField *body;	/* the top-level fields, terminated by name == NULL;
					 * any other field is refused */
	const char *name_field;		/* the body's field naming the new object's directory
					 * ("user_name"; in a wrapped body a path,
					 * "policy_group.policy_group_name"), or NULL */
	const char *id_field;		/* the answer's id of the new object ("id"): its
					 * directory name when name_field is NULL */
	const char *job_field;		/* the answer's job id ("job_id") when the API creates
					 * asynchronously, else NULL */
	const char *also_changes;	/* another kind whose objects a create may change (a
					 * new user's group_ids, its groups): the collection
					 * and its objects are invalidated with it; or NULL */
} ResCreate;

/* A kind's delete endpoint: `rmdir <kind>/<name>` reaches it with -o allow_delete. The API
 * has two forms: DELETE .../{id}, and a batch form (POST .../batch-delete, or a DELETE with a
 * body) taking the id in a body array; wksfs sends one id per rmdir either way. */
typedef struct {
	const char *method;		/* "DELETE", "POST" */
	const char *path;		/* template with {project_id}, and {id} unless ids_field */
	const char *ids_field;		/* the body's array of ids ("policy_ids"), or NULL: {id}
					 * in the path, no body */
	const char *id_key;		/* ids_field holds objects {id_key: id} ("id"), or
					 * NULL: strings */
	const char *job_field;		/* the answer's job id ("job_id") when the API deletes
					 * asynchronously: followed under /jobs, its end
					 * invalidates the collection; NULL: none */
	/* A 200 answering per id (4.15.6 result_list): the answer's array, each item's id,
	 * result code and message, and the code of success. NULL: the status says it all. */
	const char *results;
	const char *result_id;
	const char *result_code;
	const char *result_msg;
	const char *result_ok;
	const char *also_changes;	/* another kind whose objects the delete changes (a
					 * deleted group's members): its collection and objects
					 * are invalidated with it; or NULL */
} ResDelete;

/* One GET of a singleton kind (ResKind.parts). */
#define RES_MAX_PART_QUERY 4
typedef struct {
	const char *path;		/* GET, with {project_id} */
	const char *const *query;	/* name, value, ..., NULL (at most RES_MAX_PART_QUERY
					 * pairs): sent with it; or NULL */
} ResPart;

struct ResKind {
	const char *dir;		/* top-level directory: "jobs" */
	ResService service;
	const char *list_path;		/* GET, paged by offset/limit; NULL: the listing is the
					 * objects this mount created (jobs) */
	int page_limit;			/* 0: not paged */
	const char *total_field;	/* "total_count", "count", ... or NULL */
	const char *array_key;		/* "desktops", "users", "items"; "quotas.resources"
					 * for an array inside an object (src/shape.c: not
					 * paged) */
	gboolean session_window;	/* the list needs query_begin_time / query_end_time */
	const char *id_field;		/* what the API paths take: "desktop_id", "id" */
	const char *name_field;		/* the directory name: "desktop_id", "user_name" */
	const char *detail_path;	/* GET one by id ({id}), or NULL */
	const char *detail_wrapper;	/* "desktop", or NULL for a flat object */
	const char *name_filter;	/* list query selecting by name, when the name is not
					 * the id: "user_name" */
	int ttl_s;			/* the kind's own default TTL, or 0 for -o ttl */
	int default_ttl_s;		/* slow-changing kinds (products, AZs): the TTL when
					 * neither -o ttl nor -o ttl_<kind> says otherwise */
	/* A singleton (the tenant itself, statistics): one object, no list. Its directory
	 * is the object; its fields are those of every part's answer, merged in order (the
	 * first of two fields with one name wins). list_path is the first part's path: the
	 * API layer reaches every kind through it (src/shape.c answers it). */
	const ResPart *parts;		/* terminated by path == NULL; NULL: a collection */
	gboolean waitable;		/* objects have a "wait" file (jobs) */
	const ResDelete *delete;	/* rmdir's delete (with -o allow_delete), or NULL */
	const char *const *json_fields;	/* object-typed fields (catalog.json): always
					 * "<field>.json", even when null or empty, so a
					 * file's name never depends on its value */
	const ResAlias *aliases;	/* terminated by file == NULL */
	const ResField *fields;		/* writable fields, terminated by field == NULL */
	const ResAction *action;	/* or NULL */
	const ResLink *links;		/* terminated by dir == NULL */
	const ResTags *tags;		/* or NULL */
	const ResCreate *create;	/* `<kind>/.create`, or NULL */
};

/* A top-level directory of symlinks into a kind, keyed by a field's value. */
typedef struct {
	const char *dir;	/* "desktops-by-status" */
	const char *kind;	/* "desktops" */
	const char *field;	/* "status" */
	gboolean grouped;	/* TRUE: <dir>/<value>/<name>; FALSE: <dir>/<value> -> object */
} ResView;

/* NULL-terminated tables. The kinds are defined by family in src/kinds-*.c. */
extern const ResKind *const res_kinds[];
extern const ResView res_views[];

/* Why an entry of the table cannot work (a sparse or contradictory entry), or NULL; the
 * caller frees. res_table_problem() asks it of every kind, every link's objects and every
 * view, and checks that the names are unique: wksfs refuses to start on a bad table. */
char *res_kind_problem(const ResKind *kind);
char *res_table_problem(void);

/* A singleton: its directory is its one object, named res_singleton_name() in the API. */
gboolean res_is_singleton(const ResKind *kind);
const char *res_singleton_name(const ResKind *kind);

const ResKind *res_kind_lookup(const char *dir);
/* The kind's position in res_kinds, or -1. */
int res_kind_index(const ResKind *kind);
/* How many kinds res_kinds holds. */
int res_kind_count(void);
const ResView *res_view_lookup(const char *dir);
const ResLink *res_link_lookup(const ResKind *kind, const char *dir);
const ResField *res_field_for_file(const ResKind *kind, const char *file);
/* The file a writable field is shown as: its alias, or its own name. */
const char *res_field_file(const ResKind *kind, const ResField *field);
/* The API field a file shows: an alias's field, else the file name itself. */
const char *res_field_name(const ResKind *kind, const char *file);
gboolean res_is_json_field(const ResKind *kind, const char *field);
/* File names of an object directory that are not fields: info.json, action, wait, links,
 * the tag directory and the names of the files in it (res_tag_file). */
gboolean res_is_reserved_file(const ResKind *kind, const char *file);
/* How an object's rendered files name its tags: "<dir>/<key>" for a tag, "<dir>/" (key "")
 * for the marker that the object carries its tags (caller frees). */
char *res_tag_file(const ResTags *tags, const char *key);
/* The key a rendered file name stands for ("" for the marker), or NULL when it is not a
 * tag's file. Borrowed from file. */
const char *res_tag_key(const ResKind *kind, const char *file);
