/* kinds.h — the kinds of src/kinds-*.c, for the one list in resources.c (res_kinds). Only
 * resources.c includes it: everything else finds a kind by its directory. */
#pragma once

#include "src/resources.h"

/* kinds-core.c: desktops, users, groups, pools, jobs */
extern const ResKind res_desktops, res_users, res_user_groups, res_desktop_pools, res_jobs,
	res_sub_jobs;
/* kinds-tenant.c: the tenant, its catalog and its network */
extern const ResKind res_workspace, res_sites, res_ous, res_quotas, res_availability_zones,
	res_products, res_images, res_desktop_name_policies, res_terminal_bindings,
	res_bandwidths, res_eips, res_nat_gateways;
/* kinds-policy.c: policies, automation, audit and monitoring */
extern const ResKind res_policy_groups, res_access_policies, res_scripts,
	res_script_executions, res_scheduled_tasks, res_snapshots, res_screen_records,
	res_notify_rules, res_alarms, res_statistics, res_online_users;
/* kinds-policies.c: a policy group's policy items (4.14.7's body, and 4.14.2's policies), for
 * policies.json and a policy group's create */
extern const ResBodyField res_policies_body[];
/* kinds-apps.c: the App Center and Application Streaming */
extern const ResKind res_app_server_groups, res_app_servers, res_app_sessions,
	res_session_types, res_apps, res_app_catalogs, res_app_rules, res_app_groups,
	res_image_servers, res_app_storages, res_app_policy_groups, res_app_scheduled_tasks;
/* kinds-create.c: the create endpoints (ResKind.create) */
extern const ResCreate res_create_desktops, res_create_users, res_create_user_groups;
/* kinds-create2.c: the policy and tenant kinds' creates */
extern const ResCreate res_create_policy_groups, res_create_scripts,
	res_create_scheduled_tasks, res_create_desktop_name_policies, res_create_ous,
	res_create_snapshots;
