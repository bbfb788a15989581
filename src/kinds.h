/* kinds.h — the kinds of src/kinds-*.c, for the one list in resources.c (res_kinds). Only
 * resources.c includes it: everything else finds a kind by its directory. */
#pragma once

#include "src/resources.h"

/* kinds-core.c: desktops, users, groups, pools, jobs */
extern const ResKind res_desktops, res_users, res_user_groups, res_desktop_pools, res_jobs;
/* kinds-apps.c: Application Streaming */
extern const ResKind res_app_server_groups, res_app_servers, res_app_sessions,
	res_session_types;
