/* tenant.h — the emulated tenant: desktops, users, user groups, desktop pools, App Streaming
 * server groups, servers and sessions, jobs, and the lock that guards them. */
#pragma once

#include <glib.h>

typedef enum {
	DESKTOP_ACTIVE,
	DESKTOP_SHUTOFF,
	DESKTOP_HIBERNATED,
	DESKTOP_ERROR,
} DesktopStatus;

typedef enum {
	LOGIN_UNREGISTER,
	LOGIN_REGISTERED,
	LOGIN_CONNECTED,
	LOGIN_DISCONNECTED,
} LoginStatus;

typedef enum {
	EMU_OP_START,
	EMU_OP_STOP,
	EMU_OP_REBOOT,
	EMU_OP_HIBERNATE,
	EMU_OP_REJOIN_DOMAIN,           /* App Streaming BatchRejoinDomain: a REJOIN_DOMAIN job */
} EmuOp;

typedef struct {
	const char *product_id;
	const char *flavor_id;
	const char *cpu;
	const char *memory;
	const char *descriptions;
	const char *package_type;
	const char *system_disk_size;
	gboolean is_gpu;
} EmuProduct;

typedef struct {
	const char *image_name;
	const char *os_type;            /* Windows | Linux */
	const char *os_version;
	const char *spec_suffix;        /* appended to the flavor in metering.resourcespeccode */
} EmuImage;

extern const EmuProduct emu_products[];
extern const guint emu_n_products;
extern const EmuImage emu_images[];
extern const guint emu_n_images;
extern const char *const emu_zones[];
extern const guint emu_n_zones;

#define EMU_N_SUBNETS 4
#define EMU_N_TAGS 4

typedef struct Job Job;
typedef struct KindStore KindStore;

/* Generated fields are compact; render.c expands them (secondary ids derive from salt). */
typedef struct {
	char id[37];
	char computer_name[16];
	guint64 salt;
	gint64 created_ms;
	gint32 user;                    /* index into Tenant.users, -1 = unassigned */
	guint8 status;                  /* DesktopStatus */
	guint8 login_status;            /* LoginStatus */
	guint8 product;
	guint8 image;
	guint8 zone;
	guint8 subnet;
	guint8 n_data_volumes;
	guint8 tag_mask;                /* bit i: emu tag i */
	guint8 internet;                /* 0 none, 1 NAT, 2 EIP */
	gboolean monthly;               /* yearly/monthly package (has an order) */
	gboolean in_maintenance_mode;
	const char *task_status;        /* static string, "" when idle */
	Job *job;                       /* the running job acting on this desktop, or NULL */
	gint32 pool;                    /* index into Tenant.pools, -1 = not pooled */
	gboolean deleted;               /* in no list or lookup: deleted (4.3.4), or not yet
					 * created (creating) */
	gboolean creating;              /* 4.3.1: its job runs; deleted until it ends */
} Desktop;

typedef enum {
	USER_ACTIVATE,
	ADMIN_ACTIVATE,
} ActiveType;

typedef struct {
	char id[33];
	char name[24];
	char *email;
	char *phone;
	char *description;
	char *user_info_map;
	gint64 created_ms;
	gint64 account_expires_ms;      /* 0 = never */
	guint8 active_type;             /* ActiveType */
	gboolean password_never_expired;
	gboolean enable_change_password;
	gboolean next_login_change_password;
	gboolean locked;
	gboolean disabled;
	int total_desktops;
	GArray *groups;                 /* guint32 indexes into Tenant.groups, joined order */
	gboolean deleted;               /* 4.8.3 */
} User;

typedef struct {
	char id[33];
	char *name;                     /* free text (--hostile-names: one has a newline) */
	char *description;
	gint64 created_ms;
	GArray *members;                /* guint32 indexes into Tenant.users, joined order */
	gboolean ad;                    /* platform_type AD, else LOCAL */
	gboolean deleted;               /* 4.9.4: in no list or lookup */
} Group;

typedef struct {
	char id[37];
	char *name;
	char *description;
	guint64 salt;
	gint64 created_ms;
	guint8 product;
	guint8 image;
	guint8 zone;
	guint8 subnet;
	guint8 n_data_volumes;
	gboolean dynamic;               /* type DYNAMIC, else STATIC */
	gboolean monthly;
	gboolean in_maintenance_mode;
	GArray *desktops;               /* guint32 indexes into Tenant.desktops */
	gboolean deleted;               /* 4.4.4: in no list or lookup */
} Pool;

typedef struct {
	const char *product_id;
	const char *flavor_id;
	const char *cpu;
	const char *memory;
	const char *descriptions;
	int sessions;
} EmuAppProduct;

extern const EmuAppProduct emu_app_products[];
extern const guint emu_n_app_products;

typedef struct {
	char id[37];
	char *name;                     /* free text, like "Server group for development" */
	char *description;
	guint64 salt;
	gint64 created_ms;
	guint8 product;                 /* emu_app_products */
	guint8 image;
	guint8 subnet;
	gboolean session_desktop;       /* app_type SESSION_DESKTOP_APP, else COMMON_APP */
	gboolean enabled;
	guint8 mount_policy;            /* USER, SHARE, ANY */
	guint8 tag;                     /* 0 = none, else emu tag tag - 1 */
	int n_servers;
} ServerGroup;

typedef struct {
	char id[37];
	char name[32];
	char machine_name[16];
	guint64 salt;
	gint64 created_ms;
	gint32 group;                   /* index into Tenant.server_groups */
	guint8 status;                  /* DesktopStatus: ACTIVE, SHUTOFF or ERROR */
	guint8 zone;
	gboolean maintain;
	gboolean scaling_auto_create;
	int session_count;
	const char *task_status;        /* static string, "" when idle */
	Job *job;                       /* what is acting on this server now, or NULL */
	char last_job_id[37];           /* the last App Streaming job (REJOIN_DOMAIN); "" */
	gint64 last_job_ms;
	gint64 updated_ms;              /* the last change (update_time); 0: created_ms */
} AppServer;

typedef enum {
	SESSION_ACTIVE,
	SESSION_DISCONNECTED,
	SESSION_APPC_INIT,
	SESSION_SIGNED_OUT,
	SESSION_INIT_FAIL,
} SessionState;

typedef struct {
	char id[33];
	char login_user[32];
	gint32 server;                  /* index into Tenant.servers */
	guint8 state;                   /* SessionState */
	guint8 app;
	guint32 client;                 /* derives the client's addresses */
	gint64 pre_conn_ms;
	gint64 start_ms;
	gint64 end_ms;                  /* 0 = still open */
} Session;

typedef enum {
	JOB_DESKTOPS,                   /* 4.3.9 and 4.4.12: GET .../workspace-jobs/{job_id} */
	JOB_SERVERS,                    /* App Streaming batch-start|stop|reboot: the servers'
					 * transition, which the API names by no job id;
					 * batch-rejoin-domain: a job of ShowJobDetail */
	JOB_CREATE_DESKTOPS,            /* 4.3.1: its targets are desktops being created */
	JOB_CREATE_SNAPSHOTS,           /* 4.12.1: no targets; its snapshots (kinds-create.c)
					 * exist from its deadline on */
	JOB_DELETE,                     /* an asynchronous delete (deletes.c): no targets */
} JobKind;

struct Job {
	char id[37];
	JobKind kind;
	const char *type;               /* JOB_DELETE: its job_type (static) */
	EmuOp op;
	gboolean hard;
	gint64 begin_ms;                /* wall clock, for begin_time/end_time */
	gint64 start_us;                /* monotonic */
	gint64 deadline_us;             /* monotonic */
	gboolean done;
	guint n;
	guint32 *targets;               /* indexes into Tenant.desktops or Tenant.servers */
	char (*sub_ids)[37];
	/* JOB_CREATE_DESKTOPS: each target's user, made at the end if there is none by that
	 * name ("": a desktop without a user), and the e-mail address a new user gets. */
	char (*user_names)[24];
	char **user_emails;
};

typedef struct Tenant {
	/* Guards every field below that changes after tenant_new (desktop and server state, user
	 * fields, memberships, deletions, the job tables). The generated arrays never move. Take
	 * it with tenant_lock(). */
	GMutex lock;
	double job_seconds;
	char *project_id;
	/* Desktops, users and groups have room for EMU_MAX_CREATED more than generated: the
	 * arrays never move, so what points into them stays valid as the API creates. */
	Desktop *desktops;
	gsize n_desktops;
	gsize n_deleted_desktops;       /* and being created */
	gsize cap_desktops;
	User *users;
	gsize n_users;
	gsize cap_users;
	Group *groups;
	gsize n_groups;
	gsize cap_groups;
	Pool *pools;
	gsize n_pools;
	ServerGroup *server_groups;
	gsize n_server_groups;
	AppServer *servers;
	gsize n_servers;
	Session *sessions;
	gsize n_sessions;
	gint64 session_anchor_ms;       /* sessions happened in the week before this */
	GHashTable *desktop_by_id;      /* id -> Desktop* */
	GHashTable *desktop_by_name;    /* computer_name -> Desktop* */
	GHashTable *user_by_id;         /* id -> User* */
	GHashTable *user_by_name;       /* name -> User* */
	GHashTable *group_by_id;        /* id -> Group* */
	GHashTable *pool_by_id;         /* id -> Pool* */
	GHashTable *server_group_by_id; /* id -> ServerGroup* */
	GHashTable *server_by_id;       /* id -> AppServer* */
	GHashTable *session_by_id;      /* id -> Session* */
	GHashTable *jobs;               /* id -> Job* (owned) */
	GQueue running;                 /* Job*, in deadline order */
	GQueue finished;                /* Job*, oldest first */
	GQueue logoffs;                 /* Logoff*, LogoffUserSession's delayed ones, by due */
	char subnet_ids[EMU_N_SUBNETS][37];
	char security_group_id[37];
	char image_ids[8][37];
	KindStore *kinds;		/* the generic kinds of issue 10 (kinds.c): generated
				 * objects immutable, created ones under the lock */
	/* Desktop* -> GPtrArray of EmuTag*, the tags of each desktop a tag route has changed
	 * (tags.c); the others still carry their generated tag_mask. NULL until the first. */
	GHashTable *desktop_tags;
} Tenant;

typedef struct {
	char *key;
	char *value;
} EmuTag;

typedef struct {
	gint64 seed;
	gsize desktops, users, groups, pools, server_groups, servers, sessions;
	double job_seconds;
	const char *project_id;
	gboolean hostile_names;         /* a few names that are unsafe as file names */
	gboolean hostile_wire;          /* ids "." and "..", a lone surrogate on the wire */
	const char *kind_counts;        /* --kind-count: "kind=N,..." (kinds.h), or NULL */
} TenantSpec;

Tenant *tenant_new(const TenantSpec *spec);
void tenant_free(Tenant *t);

/* generate.c: fills a tenant whose arrays and tables tenant_new allocated. */
void generate_tenant(Tenant *t, const TenantSpec *spec);

/* Locks and brings the jobs up to date with the monotonic clock. */
void tenant_lock(Tenant *t);
void tenant_unlock(Tenant *t);

/* Lookups; call with the lock held. */
Desktop *tenant_desktop(Tenant *t, const char *id);
Desktop *tenant_desktop_by_name(Tenant *t, const char *computer_name);
User *tenant_user(Tenant *t, const char *id);
User *tenant_user_by_name(Tenant *t, const char *name);
/* A Workspace job (GET .../workspace-jobs/{job_id}), and an App Streaming one (ShowJobDetail,
 * GET /v2/{project_id}/job/{job_id}); a servers' transition is neither. */
Job *tenant_job(Tenant *t, const char *id);
Job *tenant_app_job(Tenant *t, const char *id);
/* By id, or by name when no id matches (the state views). */
Group *tenant_group(Tenant *t, const char *id_or_name);
Pool *tenant_pool(Tenant *t, const char *id_or_name);
ServerGroup *tenant_server_group(Tenant *t, const char *id_or_name);
AppServer *tenant_server(Tenant *t, const char *id_or_name);
Session *tenant_session(Tenant *t, const char *id);

typedef struct {
	guint status;
	const char *code;
	char *msg;
} TenantError;

void tenant_error_clear(TenantError *err);

/* A desktop a batch action left out, and why (4.3.9 VmOperateResult). */
typedef struct {
	const Desktop *desktop;
	TenantError err;
} TenantFailure;

void tenant_failure_free(TenantFailure *f);

/* 4.3.9: one job over the desktops op can act on now; each one it cannot (maintenance
 * mode, a job running, the wrong state) is added to failed (TenantFailure*, owned by the
 * array) and left alone. An unknown id fails the whole call (404), as does a call where
 * every desktop failed (the first failure's error; failed stays empty). With the lock held.
 * Returns the job, or NULL with *err set. */
Job *tenant_start_action(Tenant *t, char **ids, guint n, EmuOp op, gboolean hard,
			 GPtrArray *failed, TenantError *err);
/* 4.4.12: one job over the pool's desktops that op can act on now (the others are left
 * alone); 409 when there is none. */
Job *tenant_start_pool_action(Tenant *t, Pool *pool, EmuOp op, gboolean hard,
			      TenantError *err);
/* App Streaming batch-start|stop|reboot (EMU_OP_START, _STOP, _REBOOT: a transition of
 * job_seconds, no job id) and batch-rejoin-domain (a REJOIN_DOMAIN job): all or nothing. */
Job *tenant_start_server_action(Tenant *t, char **ids, guint n, EmuOp op, gboolean hard,
				TenantError *err);
/* LogoffUserSession: each session still open (Active, Disconnected, AppcInit) is signed out
 * now, or after delay_s; an ended one stays as it is. 404 for an unknown id, none done. */
gboolean tenant_logoff_sessions(Tenant *t, char **ids, guint n, gint64 delay_s,
				TenantError *err);
/* 4.3.3: 400 unless valid and unique. */
gboolean tenant_rename_desktop(Tenant *t, Desktop *d, const char *name, TenantError *err);
/* 4.3.4; delete_user: also the user when this was their last desktop; force: even while a
 * job acts on it. */
gboolean tenant_delete_desktop(Tenant *t, Desktop *d, gboolean delete_user, gboolean force,
			       TenantError *err);
/* 4.8.3: unassigns the user's desktops and takes the user out of every group. */
void tenant_delete_user(Tenant *t, User *u);
/* A job over n targets (index, owned; marked busy); kind JOB_CREATE_DESKTOPS targets
 * desktops being created. With the lock held. */
Job *tenant_new_job(Tenant *t, JobKind kind, guint32 *targets, guint n, EmuOp op,
		    gboolean hard);

/* tenant-create.c: what the API creates (4.8.2, 4.9.2, 4.3.1). With the lock held. */
/* A new user with the defaults of 4.8.2, or NULL: 409 when the name is taken, 400 WKS.0106
 * when the tenant has no room left. */
User *tenant_add_user(Tenant *t, const char *name, TenantError *err);
/* A new, empty group; the same refusals. */
Group *tenant_add_group(Tenant *t, const char *name, TenantError *err);

/* One desktop of a 4.3.1 create, checked by the caller except for its names. */
typedef struct {
	const char *computer_name;      /* NULL: named after prefix */
	const char *prefix;             /* NULL: "wks" */
	const char *user_name;          /* NULL: no user */
	const char *user_email;         /* for a user that does not exist yet */
	guint8 product;
	guint8 image;
	guint8 zone;
	guint8 subnet;
	guint8 n_data_volumes;
} TenantNewDesktop;

/* 4.3.1: one job that creates n desktops (in no list until it ends), or NULL: 400
 * WKS.00010139 when a name is taken (by a desktop, one being created, or another of the n),
 * 400 WKS.0106 when the tenant has no room left. */
Job *tenant_start_create(Tenant *t, const TenantNewDesktop *desktops, guint n,
			 TenantError *err);
/* Whether a desktop being created has this computer name. */
gboolean tenant_name_being_created(Tenant *t, const char *name);
/* The job's end: the desktops join the lists, each with its user (made if needed). */
void tenant_finish_create(Tenant *t, Job *job);
/* 1-15 letters, digits, '-' and '_', starting with a letter (4.3.20). */
gboolean tenant_valid_computer_name(const char *s);
/* 4.3.1's rule for a LITE_AD user name (4.8.2 gives none): 1 to 20 letters, digits, '-' or
 * '_', starting with a letter. */
gboolean tenant_valid_user_name(const char *s);

/* 4.9.6; FALSE when already in (add) or not in (remove). */
gboolean tenant_group_add(Tenant *t, Group *g, User *u);
gboolean tenant_group_remove(Tenant *t, Group *g, User *u);

const char *emu_op_name(EmuOp op);
/* splitmix64: the derivation step for secondary ids. */
guint64 emu_mix64(guint64 x);
/* A version-4 UUID string from 128 bits. */
void emu_format_uuid(guint64 hi, guint64 lo, char out[37]);
const char *desktop_status_name(DesktopStatus status);
const char *login_status_name(LoginStatus status);
const char *session_state_name(SessionState state);
