/* tenant.h — the emulated tenant: desktops, users, jobs, and the lock that guards them. */
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
} User;

struct Job {
	char id[37];
	EmuOp op;
	gboolean hard;
	gint64 begin_ms;                /* wall clock, for begin_time/end_time */
	gint64 start_us;                /* monotonic */
	gint64 deadline_us;             /* monotonic */
	gboolean done;
	guint n;
	guint32 *desktops;              /* indexes into Tenant.desktops */
	char (*sub_ids)[37];
};

typedef struct Tenant {
	/* Guards every field below that changes after tenant_new (desktop state, user fields, the
	 * job tables). The generated arrays never move. Take it with tenant_lock(). */
	GMutex lock;
	double job_seconds;
	char *project_id;
	Desktop *desktops;
	gsize n_desktops;
	User *users;
	gsize n_users;
	GHashTable *desktop_by_id;      /* id -> Desktop* */
	GHashTable *user_by_id;         /* id -> User* */
	GHashTable *user_by_name;       /* name -> User* */
	GHashTable *jobs;               /* id -> Job* (owned) */
	GQueue running;                 /* Job*, in deadline order */
	GQueue finished;                /* Job*, oldest first */
	char subnet_ids[EMU_N_SUBNETS][37];
	char security_group_id[37];
	char image_ids[8][37];
} Tenant;

Tenant *tenant_new(gint64 seed, gsize n_desktops, gsize n_users, double job_seconds,
		   const char *project_id);
void tenant_free(Tenant *t);

/* Locks and brings the jobs up to date with the monotonic clock. */
void tenant_lock(Tenant *t);
void tenant_unlock(Tenant *t);

/* Lookups; call with the lock held. */
Desktop *tenant_desktop(Tenant *t, const char *id);
User *tenant_user(Tenant *t, const char *id);
User *tenant_user_by_name(Tenant *t, const char *name);
Job *tenant_job(Tenant *t, const char *id);

typedef struct {
	guint status;
	const char *code;
	char *msg;
} TenantError;

void tenant_error_clear(TenantError *err);

/* Validates every desktop, then starts one job over all of them (all or nothing). With the
 * lock held. Returns the job, or NULL with *err set. */
Job *tenant_start_action(Tenant *t, char **ids, guint n, EmuOp op, gboolean hard,
			 TenantError *err);

const char *emu_op_name(EmuOp op);
/* splitmix64: the derivation step for secondary ids. */
guint64 emu_mix64(guint64 x);
/* A version-4 UUID string from 128 bits. */
void emu_format_uuid(guint64 hi, guint64 lo, char out[37]);
const char *desktop_status_name(DesktopStatus status);
const char *login_status_name(LoginStatus status);
