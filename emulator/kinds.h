/* kinds.h — the read-only kinds of wksfs issue 10 as one table (kinds-workspace.c,
 * kinds-apps.c) and the generic machinery that serves them (kinds.c): each kind is its
 * documented list route, array, total field and paging rules, its filters, and one object
 * in the documented field names and types (the catalog's example response, the SDK model
 * for App Streaming), from which every object of a tenant is made by varying the fields the
 * table names (ids, names, states, times, references to desktops and users).
 *
 * The objects are made at generation; the few writes these kinds take (policy-writes.c:
 * 4.14.7, 4.24.4) change fields of an object under the tenant lock, so handlers read them
 * under it; a delete (deletes.c) only marks one gone, under the lock. A reference to a
 * desktop or user is taken at generation. What the API creates in a kind (kinds-create.c)
 * is kept beside them under the tenant lock and listed after them.
 */
#pragma once

#include "emulator/emulator.h"
#include "emulator/query.h"
#include "emulator/tenant.h"

/* How a varied field gets its value for the object at index i (from 0). */
typedef enum {
	GEN_UUID,		/* a version-4 UUID */
	GEN_HEX32,		/* 32 lowercase hex digits */
	GEN_NAME,		/* arg: a printf pattern taking i + 1 ("pg-%02u") */
	GEN_INDEX,		/* the number i + 1 */
	GEN_PICK,		/* the string pick[i % n] */
	GEN_FIRST,		/* true for the first object, false for the others */
	GEN_INT,		/* an integer drawn from [min, max] */
	GEN_TIME,		/* a time drawn from 2023-2024, or for arg "recent" from the two
				 * weeks before the hour the emulator started; arg is also the
				 * format: "iso" yyyy-MM-ddTHH:mm:ss.SSSZ, "z" ...ssZ, "plain"
				 * yyyy-MM-dd HH:mm:ss (also "recent"), "offset" ....SSS+00:00 */
	GEN_DESKTOP,		/* arg "id" or "name" of desktop i (round robin) */
	GEN_USER,		/* arg "name" or "id" of user i (round robin) */
	GEN_SERVER_GROUP,	/* arg "id" or "name" of App Streaming server group i */
	GEN_IMAGE,		/* arg "id", "name", "os_type" or "os_version" of image i */
	GEN_PRODUCT,		/* a field (arg) of product i of the emulator's catalog */
	GEN_ZONE,		/* availability zone i */
	GEN_PROJECT,		/* the tenant's project id */
	GEN_KIND,		/* arg "kind:field": that field of object i of another kind */
	GEN_PARENT,		/* a sub-collection's object: arg, a field of its parent */
	GEN_CHILDREN,		/* the number of objects of the sub-collection kind arg */
	GEN_IPV4,		/* arg: a printf pattern taking two numbers ("203.0.%u.%u") */
	GEN_MAC,		/* AA-BB-CC-DD-EE-FF */
} GenRule;

typedef struct {
	const char *field;	/* a field of the template; a path of members ("a.b", "a.0.b")
				 * reaches inside objects and arrays */
	GenRule rule;
	const char *arg;
	const char *const *pick;
	int min, max;
} GenField;

typedef enum {
	MATCH_EXACT,
	MATCH_FUZZY,		/* case-insensitive substring (the API's "fuzzy") */
} MatchMode;

typedef struct {
	const char *param;	/* the query parameter */
	const char *field;	/* the object's top-level field it selects on */
	MatchMode mode;
} KindFilter;

typedef struct EmuKind {
	const char *name;		/* its state view: /__emulator/state/<name>[/<key>] */
	const char *list_route;		/* GET, as in emu_api_routes */
	const char *detail_route;	/* GET one by id ({...} last), or NULL */
	const char *detail_wrapper;	/* the detail's object under this key, or NULL */
	const char *array_key;
	const char *total_field;	/* NULL: the list has none */
	gboolean paged;			/* offset and limit, with page's rules */
	QueryPage page;
	gboolean limit_only;		/* a limit and no offset (4.29.9) */
	gboolean paging_mandatory;	/* offset and limit must be given (4.20.1, 4.15.3) */
	gint64 max_offset;		/* > 0: the largest offset allowed (4.14.13: 99) */
	const char *id_field;
	const char *name_field;		/* what --hostile-names renames (object 0) */
	const char *hostile_name;	/* NULL: not renamed */
	const KindFilter *filters;	/* terminated by param == NULL */
	const char *template;		/* one object as JSON: every documented field */
	const char *const *brief_drop;	/* fields only the detail has (a brief list) */
	const char *const *detail_drop;	/* fields only the list has */
	const char *window_field;	/* start_time/end_time select on this field
					 * (yyyy-MM-dd HH:mm:ss); without them ... */
	int window_days;		/* ... the last this many days (4.19.1: 15) */
	const GenField *gen;		/* terminated by field == NULL */
	/* More objects, made from the tenant's live state before the generated ones (with
	 * the tenant lock held); owned by the array. */
	GPtrArray *(*live)(Tenant *t);
	int count;			/* objects in a tenant (--kind-count overrides); -1:
					 * one per entry of the catalog GEN_IMAGE, GEN_PRODUCT
					 * or GEN_ZONE draws from (fixed) */
	const char *parent;		/* a sub-collection of this kind's objects: ... */
	int per_parent;			/* ... this many for each */
} EmuKind;

/* kinds-workspace.c and kinds-apps.c: NULL-terminated. */
extern const EmuKind *const emu_workspace_kinds[];
extern const EmuKind *const emu_app_kinds[];

/* The objects of every kind, generated once (kinds.c); Tenant.kinds. */
typedef struct KindStore KindStore;

/* --kind-count: "kind=N[,kind=N...]" overriding the table's counts (NULL: none). NULL when
 * valid; otherwise why not (caller frees). */
char *kinds_check_counts(const char *counts);
/* Deterministic for (seed, the tenant's desktops, users and server groups, counts). */
KindStore *kinds_generate(const Tenant *t, gint64 seed, const char *counts,
			  gboolean hostile_names);
void kinds_free(KindStore *store);

/* derived.c: the sub-jobs of the tenant's live jobs (4.28.2 JobDetailInfo). */
GPtrArray *derived_sub_jobs(Tenant *t);

/* Every generic kind, in table order (parents before their sub-collections), then NULL. */
const EmuKind *kinds_nth(guint n);
const EmuKind *kinds_lookup(const char *name);

/* kinds-routes.c: the handlers of the generic routes — a list (with the kind's filters,
 * paging and total; a sub-collection's when the kind has a parent: the route's last
 * parameter is the parent's id) and one object by id. */
void kinds_list(Emu *emu, EmuRequest *req, EmuResponse *resp);
void kinds_get(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* kinds-routes.c: /__emulator/state/<kind>[/<key>] for a generic kind: every object (the
 * full form, in list order; a sub-collection's as {"<parent id>": [...]}), or the one whose
 * id or name is key. NULL when kind is not generic (*ret_known FALSE) or key names none.
 * With the tenant lock held (live objects read job state). */
cJSON *kinds_state(Tenant *t, const char *kind, const char *key, gboolean *ret_known);

/* The objects of a kind (cJSON*, the full form, borrowed) in list order, NULL for no such
 * kind; and for a sub-collection, each one's parent (gint32, an index into the parent
 * kind's objects). */
const GPtrArray *kinds_objects(const Tenant *t, const char *kind);
const GArray *kinds_parents(const Tenant *t, const char *kind);

/* policy-writes.c: 4.14.7 and 4.24.4, the writes these kinds take, and 4.14.8 a policy
 * group's targets. */
void policy_groups_policies_put(Emu *emu, EmuRequest *req, EmuResponse *resp);
void policy_groups_targets(Emu *emu, EmuRequest *req, EmuResponse *resp);
void scripts_update(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* kinds.c: the objects the API created in a kind. Adds obj (taken, the full form) to k's,
 * existing from from_us on (monotonic; 0: at once). With the tenant lock held. */
void kinds_add_created(Tenant *t, const EmuKind *k, cJSON *obj, gint64 from_us);
/* Copies (owned by the array) of kind's created objects in creation order: those that exist
 * now, or with pending those that do not yet. With the tenant lock held. */
GPtrArray *kinds_created(Tenant *t, const char *kind, gboolean pending);

/* kinds-create.c: the creates of policy groups (4.14.2), scripts (4.24.1), scheduled tasks
 * (4.20.2), desktop name policies (4.5.2), OUs (4.10.2) and snapshots (4.12.1, a job). */
void kinds_create_policy_group(Emu *emu, EmuRequest *req, EmuResponse *resp);
void kinds_create_script(Emu *emu, EmuRequest *req, EmuResponse *resp);
void kinds_create_scheduled_task(Emu *emu, EmuRequest *req, EmuResponse *resp);
void kinds_create_name_policy(Emu *emu, EmuRequest *req, EmuResponse *resp);
void kinds_create_ou(Emu *emu, EmuRequest *req, EmuResponse *resp);
void kinds_create_snapshots(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* Whether the API deleted obj, an object of kind (deletes.c): it is in no list, detail or
 * state view from then on. kinds_mark_gone deletes the object of kind whose id is id. With
 * the tenant lock held. */
gboolean kinds_gone(const Tenant *t, const char *kind, const cJSON *obj);
void kinds_mark_gone(Tenant *t, const char *kind, const char *id);
