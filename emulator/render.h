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
/* The IPv4 address of a desktop (also the desktop_ip filter's subject). */
void render_desktop_ipv4(const Tenant *t, const Desktop *d, char out[16]);
/* The generated tags of a desktop: key/value of tag i. */
void render_tag(guint i, const char **ret_key, const char **ret_value);
