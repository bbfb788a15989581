/* render.h — tenant objects as the API's JSON objects. Call with the tenant lock held; the
 * returned trees own copies of everything, so they can be printed after unlocking. */
#pragma once

#include <cjson/cJSON.h>

#include "emulator/tenant.h"

/* DesktopDetailInfo (4.3.5 / 4.3.8). */
cJSON *render_desktop(const Tenant *t, const Desktop *d);
/* User (4.8.1); total_desktops only when with_total (is_query_total_desktops). */
cJSON *render_user(const Tenant *t, const User *u, gboolean with_total);
/* UserDetail (4.8.4). */
cJSON *render_user_detail(const Tenant *t, const User *u);
/* The 4.28.1 job object. */
cJSON *render_job(const Tenant *t, const Job *job);
/* A user's group_names, in the order they joined. */
cJSON *render_group_names(const Tenant *t, const User *u);
/* UserGroupInfo (4.9.1) and UserInGroup (4.9.7). */
cJSON *render_group(const Tenant *t, const Group *g);
cJSON *render_group_member(const Tenant *t, const User *u);
/* A desktop pool (4.4.2 items, 4.4.5 detail) and PoolDesktopsDetailInfo (4.4.15). */
cJSON *render_pool(const Tenant *t, const Pool *p);
cJSON *render_pool_desktop(const Tenant *t, const Desktop *d);
/* App Streaming (render-apps.c): ServerGroup (ListServerGroups items; detail adds the
 * ShowServerGroup fields), AppServer, SessionInfo, and the session types. */
cJSON *render_server_group(const Tenant *t, const ServerGroup *g, gboolean detail);
cJSON *render_server(const Tenant *t, const AppServer *s);
/* ShowServer: the AppServer and addresses, root_volume, data_volumes, security_groups. */
cJSON *render_server_detail(const Tenant *t, const AppServer *s);
/* ShowJobDetail (GET /v2/{project_id}/job/{job_id}): an App Streaming job. */
cJSON *render_app_job(const Tenant *t, const Job *job);
cJSON *render_session(const Tenant *t, const Session *s);
/* Static: the AS.1 example's two packages. i < EMU_N_SESSION_TYPES. */
#define EMU_N_SESSION_TYPES 2
cJSON *render_session_type(guint i);
/* The IPv4 address of a server (the ip_addr filter's subject). */
void render_server_ipv4(const Tenant *t, const AppServer *s, char out[16]);
/* The IPv4 address of a desktop (also the desktop_ip filter's subject). */
void render_desktop_ipv4(const Tenant *t, const Desktop *d, char out[16]);
/* The generated tags of a desktop: key/value of tag i. */
void render_tag(guint i, const char **ret_key, const char **ret_value);
