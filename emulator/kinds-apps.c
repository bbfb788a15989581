/* kinds-apps.c — the read-only application kinds of issue 10 as data for kinds.c: the App
 * Center (Workspace API 4.31, 4.32: apps, categories, app rules; the catalog's examples) and
 * Application Streaming (app groups with their published apps, image servers, persistent
 * storages, policy groups and scheduled tasks), whose routes, query parameters and response
 * models are the official SDK's (sdk-operations.md; huaweicloud-sdk-go-v3
 * services/workspaceapp/v1/model): every list is {"count", "items"} with limit 1-100,
 * default 10; times are ISO-8601 UTC.
 * Must not: hold code beyond the tables (kinds.c serves them).
 */
#include "emulator/kinds.h"

#define J(...) #__VA_ARGS__
#define S(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define F(...) ((const KindFilter[]){ __VA_ARGS__, { NULL } })
#define G(...) ((const GenField[]){ __VA_ARGS__, { NULL } })
#define APP_PAGE .paged = TRUE, .page = { 10, 1, 100, FALSE }
#define PAGE(def, min, max) .paged = TRUE, .page = { def, min, max, FALSE }

/* ---- App Center: 4.31.3 apps, 4.31.15 categories, 4.32.2 app rules ---- */

static const EmuKind apps = {
	.name = "apps",
	.list_route = "/v1/{project_id}/app-center/apps",
	.array_key = "items",
	.total_field = "count",
	PAGE(10, 1, 100),
	.id_field = "id",
	.name_field = "name",
	.filters = F({ "name", "name", MATCH_FUZZY }),
	.template = J({"id": "", "tenant_id": "", "name": "", "version": "v1.1.1",
		"description": "", "authorization_type": "ALL_USER",
		"app_file_store": {"store_type": "OBS", "bucket_store": {
			"bucket_name": "wks-appcenter-0001", "bucket_file_path": ""},
			"file_link": ""},
		"app_icon_url": "", "install_type": "QUIET_INSTALL",
		"install_command": "${FILE_PATH} /S",
		"uninstall_command": "msiexec /uninstall ${FILE_PATH} /quiet",
		"support_os": "Windows", "status": "NORMAL", "application_source": "CUSTOM",
		"create_time": "", "catalog_id": "1", "catalog": "Office",
		"install_info": "Installation information"}),
	.gen = G({ "id", GEN_UUID }, { "tenant_id", GEN_PROJECT },
		 { "name", GEN_NAME, "app-%02u.exe" },
		 { "description", GEN_NAME, "Application %u" },
		 { "app_file_store.bucket_store.bucket_file_path", GEN_NAME,
		   "app-file/app-%02u.exe" },
		 { "authorization_type", GEN_PICK, .pick = S("ALL_USER", "ASSIGN_USER") },
		 { "create_time", GEN_TIME, "iso" }),
	.count = 3,
};

static const EmuKind app_catalogs = {
	.name = "app-catalogs",
	.list_route = "/v1/{project_id}/app-center/app-catalogs",
	.array_key = "items",
	.id_field = "id",
	.name_field = "catalog_en",
	/* Catalog.id is documented as a String (the example prints a number). */
	.template = J({"id": "", "catalog_zh": "", "catalog_en": ""}),
	.gen = G({ "id", GEN_NAME, "%u" },
		 { "catalog_zh", GEN_PICK, .pick = S("办公", "设计", "开发", "其他") },
		 { "catalog_en", GEN_PICK, .pick = S("Office", "Design", "Development",
						     "Other") }),
	.count = 4,
};

static const EmuKind app_rules = {
	.name = "app-rules",
	.list_route = "/v1/{project_id}/app-center/app-rules",
	.array_key = "items",
	.total_field = "count",
	PAGE(10, 1, 100),
	.id_field = "id",
	.name_field = "name",
	.filters = F({ "name", "name", MATCH_EXACT }),
	.template = J({"id": "", "name": "", "description": "", "rule": {"scope": "PRODUCT",
		"product_rule": {"identify_condition": "productName", "publisher": null,
			"product_name": "HUAWEI", "process_name": "Huawei.exe",
			"support_os": "Windows", "version": "1.0.0.1",
			"product_version": "1.0.0.1"}, "path_rule": {"path": "D:\\tmp"}},
		"rule_source": "CUSTOM", "create_time": "", "update_time": ""}),
	.gen = G({ "id", GEN_UUID }, { "name", GEN_NAME, "rule-%02u" },
		 { "description", GEN_NAME, "Application rule %u" },
		 { "create_time", GEN_TIME, "iso" }, { "update_time", GEN_TIME, "iso" }),
	.count = 2,
};


/* ---- ListAppGroup (AppGroup), ListPublishedApp (App) ---- */

static const EmuKind app_groups = {
	.name = "app-groups",
	.list_route = "/v1/{project_id}/app-groups",
	.array_key = "items",
	.total_field = "count",
	APP_PAGE,
	.id_field = "id",
	.name_field = "name",
	.hostile_name = "100% office apps",
	.filters = F({ "app_server_group_id", "app_server_group_id", MATCH_EXACT },
		     { "app_group_id", "id", MATCH_EXACT }, { "name", "name", MATCH_FUZZY },
		     { "authorization_type", "authorization_type", MATCH_EXACT },
		     { "app_type", "app_type", MATCH_EXACT }),
	.template = J({"id": "", "name": "", "app_server_group_id": "",
		"app_server_group_name": "", "description": "", "authorization_type": "APP",
		"tenant_id": "", "app_type": "COMMON_APP", "create_at": "", "app_count": 0}),
	.gen = G({ "id", GEN_UUID }, { "name", GEN_NAME, "app-group-%02u" },
		 { "app_server_group_id", GEN_SERVER_GROUP, "id" },
		 { "app_server_group_name", GEN_SERVER_GROUP, "name" },
		 { "description", GEN_NAME, "Published applications %u" },
		 { "authorization_type", GEN_PICK, .pick = S("APP", "APP_GROUP") },
		 { "app_type", GEN_PICK, .pick = S("COMMON_APP", "SESSION_DESKTOP_APP") },
		 { "tenant_id", GEN_PROJECT }, { "create_at", GEN_TIME, "iso" },
		 { "app_count", GEN_CHILDREN, "published-apps" }),
	.count = 3,
};

static const EmuKind published_apps = {
	.name = "published-apps",
	.list_route = "/v1/{project_id}/app-groups/{app_group_id}/apps",
	.array_key = "items",
	.total_field = "count",
	APP_PAGE,
	.id_field = "id",
	.name_field = "name",
	.filters = F({ "name", "name", MATCH_FUZZY }, { "state", "state", MATCH_EXACT },
		     { "app_id", "id", MATCH_EXACT }),
	.template = J({"id": "", "name": "", "version": "1.0", "command_param": "",
		"execute_path": "", "work_path": "", "icon_path": "", "icon_index": 0,
		"description": "", "app_group_id": "", "state": "NORMAL", "tenant_id": "",
		"publish_at": "", "source_type": 1, "publisher": "", "icon_url": "",
		"publishable": true, "sandbox_enable": false, "is_pre_boot": false,
		"app_extended_info": {"extended_info": {}}}),
	/* Three of each group's apps: one of each name. */
	.gen = G({ "id", GEN_UUID },
		 { "name", GEN_PICK, .pick = S("Notepad", "Calculator", "WPS Writer") },
		 { "execute_path", GEN_PICK, .pick = S("C:\\Windows\\notepad.exe",
						       "C:\\Windows\\System32\\calc.exe",
						       "C:\\Program Files\\WPS\\wps.exe") },
		 { "icon_path", GEN_PICK, .pick = S("C:\\Windows\\notepad.exe",
						    "C:\\Windows\\System32\\calc.exe",
						    "C:\\Program Files\\WPS\\wps.exe") },
		 { "publisher", GEN_PICK, .pick = S("Microsoft", "Microsoft", "Kingsoft") },
		 { "app_group_id", GEN_PARENT, "id" }, { "tenant_id", GEN_PROJECT },
		 { "state", GEN_PICK, .pick = S("NORMAL", "NORMAL", "FORBIDDEN") },
		 { "publish_at", GEN_TIME, "iso" }),
	.parent = "app-groups",
	.per_parent = 3,
};

/* ---- ListImageServers (ImageServer) ---- */

static const EmuKind image_servers = {
	.name = "image-servers",
	.list_route = "/v1/{project_id}/image-servers",
	.array_key = "items",
	.total_field = "count",
	APP_PAGE,
	.id_field = "id",
	.name_field = "name",
	.filters = F({ "server_name", "name", MATCH_FUZZY }, { "server_id", "id", MATCH_EXACT },
		     { "enterprise_project_id", "enterprise_project_id", MATCH_EXACT }),
	.template = J({"id": "", "name": "", "description": "",
		"image_ref": {"id": "", "image_type": "gold", "spce_code": "", "product_id": ""},
		"server_group_id": "", "app_group_id": "", "server_id": "", "instance_id": "",
		"image_id": "", "status": "ACTIVE",
		"authorize_accounts": [{"account": "", "account_type": "USER",
			"domain": "vdesktop.com"}],
		"create_time": "", "update_time": "", "enterprise_project_id": "0"}),
	.gen = G({ "id", GEN_UUID }, { "name", GEN_NAME, "image-server-%02u" },
		 { "description", GEN_NAME, "Image build %u" },
		 { "image_ref.id", GEN_IMAGE, "id" },
		 { "server_group_id", GEN_SERVER_GROUP, "id" },
		 { "app_group_id", GEN_KIND, "app-groups:id" }, { "server_id", GEN_UUID },
		 { "instance_id", GEN_UUID }, { "image_id", GEN_UUID },
		 { "status", GEN_PICK, .pick = S("ACTIVE", "BUILT", "BUILDING") },
		 { "authorize_accounts.0.account", GEN_USER, "name" },
		 { "create_time", GEN_TIME, "iso" }, { "update_time", GEN_TIME, "iso" }),
	.count = 2,
};

/* ---- ListPersistentStorage (PersistentStorage) ---- */

static const EmuKind app_storages = {
	.name = "app-storages",
	.list_route = "/v1/{project_id}/persistent-storages",
	.array_key = "items",
	.total_field = "count",
	APP_PAGE,
	.id_field = "id",
	.name_field = "name",
	.filters = F({ "storage_id", "id", MATCH_EXACT }, { "name", "name", MATCH_FUZZY }),
	.template = J({"id": "", "name": "",
		"storage_metadata": {"storage_handle": "", "storage_class": "sfs", "name": "",
			"region": "ap-southeast-1", "export_location": ""},
		"create_time": "", "user_claim_count": 0, "share_claim_count": 0}),
	.gen = G({ "id", GEN_UUID }, { "name", GEN_NAME, "wks-storage-%02u" },
		 { "storage_metadata.storage_handle", GEN_NAME, "sfs-wks-%02u" },
		 { "storage_metadata.name", GEN_NAME, "sfs-wks-%02u" },
		 { "storage_metadata.export_location", GEN_NAME,
		   "https://sfs-wks-%02u.sfs3.ap-southeast-1.myhuaweicloud.com:443" },
		 { "create_time", GEN_TIME, "iso" },
		 { "user_claim_count", GEN_INT, .min = 0, .max = 200 },
		 { "share_claim_count", GEN_INT, .min = 0, .max = 10 }),
	.count = 2,
};

/* ---- ListPolicyGroup (PolicyGroup) ---- */

static const EmuKind app_policy_groups = {
	.name = "app-policy-groups",
	.list_route = "/v1/{project_id}/policy-groups",
	.array_key = "items",
	.total_field = "count",
	APP_PAGE,
	.id_field = "id",
	.name_field = "name",
	.filters = F({ "policy_group_name", "name", MATCH_EXACT }),
	.template = J({"id": "", "name": "", "priority": 1, "description": "",
		"targets": [{"target_id": "default-apply-all-targets",
			"target_name": "All-Targets", "target_type": "ALL"}],
		"policies": {"client": {"automatic_reconnection_interval": 5,
			"session_persistence_time": 180},
			"session": {"auto_logout_options": {"auto_logout_enable": false}},
			"file_and_clipboard": {"clipboard_redirection": "TWO_WAY_ENABLED"}},
		"create_time": "", "update_time": ""}),
	.gen = G({ "id", GEN_UUID }, { "name", GEN_NAME, "app-policy-%02u" },
		 { "priority", GEN_INDEX }, { "description", GEN_NAME, "Streaming policy %u" },
		 { "create_time", GEN_TIME, "iso" }, { "update_time", GEN_TIME, "iso" }),
	.count = 2,
};

/* ---- ListScheduleTasks (ScheduleTask) ---- */

static const EmuKind app_scheduled_tasks = {
	.name = "app-scheduled-tasks",
	.list_route = "/v1/{project_id}/schedule-task",
	.array_key = "items",
	.total_field = "count",
	APP_PAGE,
	.id_field = "id",
	.name_field = "task_name",
	.filters = F({ "task_name", "task_name", MATCH_EXACT },
		     { "task_type", "task_type", MATCH_EXACT }),
	.template = J({"id": "", "task_name": "", "last_status": "SUCCESS",
		"task_type": "RESTART_SERVER", "task_cron": "0 0 2 * * ?",
		"next_execution_time": "", "schedule_task_policy": {"enforcement_enable": false},
		"scheduled_type": "DAY", "day_interval": 1, "week_list": "", "month_list": "",
		"date_list": "", "time_zone": "Asia/Shanghai", "scheduled_date": "",
		"scheduled_time": "02:00:00", "expire_time": "", "description": "",
		"is_enable": true, "create_time": "", "update_time": ""}),
	.gen = G({ "id", GEN_UUID }, { "task_name", GEN_NAME, "server-task-%02u" },
		 { "task_type", GEN_PICK, .pick = S("RESTART_SERVER", "START_SERVER",
						    "STOP_SERVER", "REINSTALL_OS") },
		 { "last_status", GEN_PICK, .pick = S("SUCCESS", "WAITING", "FAILED") },
		 { "next_execution_time", GEN_TIME, "plain" },
		 { "expire_time", GEN_TIME, "iso" }, { "create_time", GEN_TIME, "iso" },
		 { "update_time", GEN_TIME, "iso" }),
	.count = 2,
};

const EmuKind *const emu_app_kinds[] = {
	&apps, &app_catalogs, &app_rules, &app_groups, &published_apps, &image_servers,
	&app_storages, &app_policy_groups,
	&app_scheduled_tasks, NULL,
};
