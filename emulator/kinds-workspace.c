/* kinds-workspace.c — the read-only Workspace kinds of issue 10 as data for kinds.c: each
 * one's documented list route, array, total field, paging limits and filters (catalog.json),
 * and its template object: the catalog's example response, completed with every field of
 * the object's table in its documented type (J() keeps the JSON readable). The fields named
 * in gen vary per object. The App Center (4.31, 4.32) is in kinds-apps.c.
 * Must not: hold code beyond the tables (kinds.c serves them).
 */
#include "emulator/kinds.h"

#define J(...) #__VA_ARGS__
#define S(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define F(...) ((const KindFilter[]){ __VA_ARGS__, { NULL } })
#define G(...) ((const GenField[]){ __VA_ARGS__, { NULL } })
#define PAGE(def, min, max) .paged = TRUE, .page = { def, min, max, FALSE }

/* ---- 4.14.10 policy groups (detail 4.14.4 wraps it in "policy_group") ---- */

static const EmuKind policy_groups = {
	.name = "policy-groups",
	.list_route = "/v2/{project_id}/policy-groups/detail",
	.detail_route = "/v2/{project_id}/policy-groups/{policy_group_id}",
	.detail_wrapper = "policy_group",
	.array_key = "policy_groups",
	.total_field = "total_count",
	PAGE(100, 0, 100),
	.max_offset = 10000,
	.id_field = "policy_group_id",
	.name_field = "policy_group_name",
	.hostile_name = "Finance/Legal policy",
	.filters = F({ "policy_group_id", "policy_group_id", MATCH_EXACT },
		     { "policy_group_name", "policy_group_name", MATCH_FUZZY },
		     { "priority", "priority", MATCH_EXACT },
		     { "description", "description", MATCH_FUZZY }),
	.template = J({"policy_group_id": "", "policy_group_name": "", "priority": 1,
		"update_time": "2024-05-06 10:20:30", "description": "Office desktops",
		"policies": {
			"peripherals": {"usb_port_redirection": {"usb_enable": true, "options": {
				"usb_image_enable": true, "usb_video_enable": true,
				"usb_printer_enable": true, "usb_storage_enable": false,
				"wireless_devices_enable": false, "network_devices_enable": false,
				"usb_smart_card_enable": true, "other_usb_devices_enable": false,
				"usb_redirection_customization_policy": "",
				"usb_redirection_mode": "Common mode"}},
				"device_redirection": {"printer_redirection": {
					"printer_enable": true,
					"options": {"mobile_printer_enable": false,
					"print_data_compression_mode": false,
					"sync_client_default_printer_enable": true,
					"universal_printer_driver": "Default"}}}},
			"audio": {"audio_redirection_enable": true, "play_volume": "100",
				"record_volume": "100"},
			"client": {"automatic_reconnection_interval": 5,
				"session_persistence_time": 180, "forbid_screen_capture": false},
			"display": {"display_level": "QUALITY_FIRST",
				"video_card_memory_size": 256},
			"file_and_clipboard": {"file_redirection": {"redirection_mode":
				"READ_AND_WRITE"}, "clipboard_redirection": "TWO_WAY_ENABLED"},
			"session": {"vdi": {"auto_lock_enable": false}, "self_help_console": true},
			"watermark": {"watermark_enable": false},
			"keyboard_mouse": {"mouse_feedback": "AUTO"}},
		"targets": [{"target_id": "", "target_name": "", "target_type": "USER"},
			{"target_id": "", "target_name": "", "target_type": "CLIENTIP"},
			{"target_id": "default-apply-all-targets",
			"target_name": "All-Targets", "target_type": "ALL"}]}),
	.gen = G({ "policy_group_id", GEN_HEX32 },
		 { "policy_group_name", GEN_NAME, "Policy group %u" },
		 /* 4.14.8 serves these targets */
		 { "targets.0.target_id", GEN_USER, "id" },
		 { "targets.0.target_name", GEN_USER, "name" },
		 { "targets.1.target_id", GEN_NAME, "192.168.1.%u" },
		 { "targets.1.target_name", GEN_NAME, "192.168.1.%u" },
		 { "priority", GEN_INDEX },
		 { "update_time", GEN_TIME, "plain" },
		 { "description", GEN_PICK, .pick = S("Office desktops", "Developers",
						      "Call centre", "Contractors") }),
	.count = 3,
};

/* ---- 4.14.13 access policies (offset 0-99, total "total") ---- */

static const EmuKind access_policies = {
	.name = "access-policies",
	.list_route = "/v2/{project_id}/access-policy",
	.array_key = "policies",
	.total_field = "total",
	PAGE(100, 0, 100),
	.max_offset = 99,
	.id_field = "policy_id",
	.name_field = "policy_name",
	.filters = F({ "access_control_type", "access_control_type", MATCH_EXACT }),
	.template = J({"policy_id": "", "policy_name": "PRIVATE_ACCESS",
		"blacklist_type": "INTERNET", "access_control_type": "ACCESS_TYPE",
		"ip_list": [{"ip_address": "10.0.0.0", "subnet_mask": "255.0.0.0"}],
		"is_enable": true, "is_block_all": false, "ip_total_count": 1,
		"create_time": "2022-10-24T17:24:56.000+00:00"}),
	.gen = G({ "policy_id", GEN_HEX32 },
		 { "policy_name", GEN_PICK, .pick = S("PRIVATE_ACCESS", "INTERNET_ACCESS") },
		 { "access_control_type", GEN_PICK, .pick = S("ACCESS_TYPE", "IP_WHITE_LIST") },
		 { "create_time", GEN_TIME, "offset" }),
	.count = 2,
};

/* ---- 4.26.1 images: the tenant's images (the ones its desktops use) ---- */

static const EmuKind images = {
	.name = "images",
	.list_route = "/v2/{project_id}/images",
	.array_key = "images",
	.total_field = "total_count",
	PAGE(100, 0, 100),
	.id_field = "id",
	.name_field = "name",
	.filters = F({ "image_id", "id", MATCH_EXACT }, { "os_type", "os_type", MATCH_EXACT },
		     { "image_type", "image_type", MATCH_EXACT },
		     { "architecture", "architecture", MATCH_EXACT }),
	.template = J({"id": "", "image_type": "gold", "os_type": "", "architecture": "x86",
		"os_version": "", "disk_format": "qcow2", "name": "", "min_ram": 0,
		"min_disk": 80, "product_code": "", "created_at": "2024-01-15T08:00:00Z"}),
	.gen = G({ "id", GEN_IMAGE, "id" }, { "name", GEN_IMAGE, "name" },
		 { "os_type", GEN_IMAGE, "os_type" }, { "os_version", GEN_IMAGE, "os_version" },
		 { "created_at", GEN_TIME, "z" }),
	.count = -1,	/* one per image of the tenant */
};

/* ---- 4.18.1 product packages: the emulator's products ---- */

static const EmuKind products = {
	.name = "products",
	.list_route = "/v2/{project_id}/products",
	.array_key = "products",
	.total_field = "total_count",
	PAGE(100, 0, 100),
	.id_field = "product_id",
	.name_field = "product_id",
	.filters = F({ "product_id", "product_id", MATCH_EXACT },
		     { "architecture", "architecture", MATCH_EXACT },
		     { "package_type", "package_type", MATCH_EXACT },
		     { "charge_mode", "charge_mode", MATCH_EXACT }),
	.template = J({"product_id": "", "flavor_id": "", "type": "BASE", "architecture": "x86",
		"cpu": "", "cpu_desc": "", "memory": "", "is_gpu": false,
		"system_disk_type": "SAS", "system_disk_size": "", "data_disk_size": "100",
		"gpu_desc": "", "bill_switch": "on", "descriptions": "",
		"product_desc": {"en_us": "", "zh_cn": ""}, "charge_mode": "1",
		"contain_data_disk": false,
		"resource_type": "hws.resource.type.workspace.desktop",
		"cloud_service_type": "hws.service.type.vdi", "volume_product_type": "workspace",
		"domain_ids": [], "status": "normal", "package_type": "",
		"name": {"en_us": "", "zh_cn": ""}, "share_space_size": 0}),
	.gen = G({ "product_id", GEN_PRODUCT, "product_id" },
		 { "flavor_id", GEN_PRODUCT, "flavor_id" }, { "cpu", GEN_PRODUCT, "cpu" },
		 { "memory", GEN_PRODUCT, "memory" }, { "is_gpu", GEN_PRODUCT, "is_gpu" },
		 { "system_disk_size", GEN_PRODUCT, "system_disk_size" },
		 { "descriptions", GEN_PRODUCT, "descriptions" },
		 { "product_desc.en_us", GEN_PRODUCT, "descriptions" },
		 { "name.en_us", GEN_PRODUCT, "descriptions" },
		 { "package_type", GEN_PRODUCT, "package_type" }),
	.count = -1,
};

/* ---- 4.27.1 AZs (no paging) ---- */

static const EmuKind availability_zones = {
	.name = "availability-zones",
	.list_route = "/v2/{project_id}/availability-zones",
	.array_key = "availability_zones",
	.total_field = "total_count",
	.id_field = "availability_zone",
	.name_field = "availability_zone",
	.template = J({"availability_zone": "", "display_name": "",
		"i18n": {"en_us": "", "zh_cn": ""}, "sold_out": {"products": []},
		"product_ids": ["workspace.x86.general.large2", "workspace.x86.general.xlarge2",
			"workspace.x86.enterprise.xlarge4"],
		"visible": true, "default_availability_zone": false}),
	.gen = G({ "availability_zone", GEN_ZONE }, { "display_name", GEN_NAME, "AZ%u" },
		 { "i18n.en_us", GEN_NAME, "AZ%u" }, { "i18n.zh_cn", GEN_NAME, "可用区%u" },
		 { "default_availability_zone", GEN_FIRST }),
	.count = -1,
};

/* ---- 4.12.4 snapshots ---- */

static const EmuKind snapshots = {
	.name = "snapshots",
	.list_route = "/v2/{project_id}/snapshots",
	.array_key = "desktop_snapshots",
	.total_field = "total_count",
	PAGE(1000, 1, 1000),
	.id_field = "snapshot_id",
	.name_field = "snapshot_name",
	.filters = F({ "desktop_id", "desktop_id", MATCH_EXACT },
		     { "desktop_name", "desktop_name", MATCH_EXACT },
		     { "snapshot_name", "snapshot_name", MATCH_FUZZY },
		     { "create_type", "create_type", MATCH_EXACT },
		     { "status", "status", MATCH_EXACT }),
	.template = J({"snapshot_id": "", "snapshot_name": "", "desktop_id": "",
		"desktop_name": "", "desktop_sid": "", "desktop_pool_id": "",
		"is_system_disk": true, "status": "create_success", "process": 100,
		"description": "Description.", "create_time": "", "create_type": "MANUALLY",
		"last_restore_time": "", "restore_failure_reason": ""}),
	.gen = G({ "snapshot_id", GEN_UUID }, { "desktop_id", GEN_DESKTOP, "id" },
		 { "desktop_name", GEN_DESKTOP, "name" },
		 { "snapshot_name", GEN_NAME, "sys_snapshot_%05u" },
		 { "desktop_sid", GEN_UUID },
		 { "status", GEN_PICK, .pick = S("create_success", "create_success",
						 "restore_success", "create_failed") },
		 { "create_type", GEN_PICK, .pick = S("MANUALLY", "AUTO") },
		 { "create_time", GEN_TIME, "z" }),
	.count = 3,
};

/* ---- 4.24.2 scripts (brief: no content), 4.24.3 detail ---- */

static const EmuKind scripts = {
	.name = "scripts",
	.list_route = "/v2/{project_id}/scripts",
	.detail_route = "/v2/{project_id}/scripts/{script_id}",
	.array_key = "scripts",
	.total_field = "count",
	PAGE(10, 1, 100),
	.id_field = "id",
	.name_field = "name",
	.hostile_name = ".profile setup",
	.filters = F({ "id", "id", MATCH_EXACT }, { "name", "name", MATCH_EXACT },
		     { "type", "type", MATCH_EXACT }),
	.template = J({"id": "", "name": "", "description": "", "type": "POWERSHELL",
		"version": "1.0", "create_time": "", "update_time": "", "content": ""}),
	.brief_drop = S("content"),
	.gen = G({ "id", GEN_UUID }, { "name", GEN_NAME, "script-%02u" },
		 { "description", GEN_NAME, "Maintenance script %u" },
		 { "type", GEN_PICK, .pick = S("POWERSHELL", "BAT", "SHELL") },
		 { "content", GEN_PICK, .pick = S("Get-Service | Where Status -eq Stopped",
						  "ipconfig /flushdns", "df -h /") },
		 { "create_time", GEN_TIME, "iso" }, { "update_time", GEN_TIME, "iso" }),
	.count = 3,
};

/* ---- 4.24.8 script execution records (brief: no output), 4.24.7 detail ---- */

static const EmuKind script_executions = {
	.name = "script-executions",
	.list_route = "/v2/{project_id}/script-execution-records",
	.detail_route = "/v2/{project_id}/script-execution-records/{record_id}",
	.array_key = "script_records",
	.total_field = "count",
	PAGE(10, 1, 100),
	.id_field = "id",
	.name_field = "id",
	.filters = F({ "script_task_id", "script_task_id", MATCH_EXACT },
		     { "status", "status", MATCH_EXACT }),
	.template = J({"id": "", "script_id": "", "script_name": "", "script_task_id": "",
		"resource_id": "", "resource_name": "", "resource_type": "DESKTOP",
		"start_time": "", "end_time": "", "status": "SUCCESS", "execute_order": 0,
		"result_code": "", "reason": "", "output": ""}),
	.brief_drop = S("output"),
	.gen = G({ "id", GEN_UUID }, { "script_id", GEN_KIND, "scripts:id" },
		 { "script_name", GEN_KIND, "scripts:name" }, { "script_task_id", GEN_UUID },
		 { "resource_id", GEN_DESKTOP, "id" }, { "resource_name", GEN_DESKTOP, "name" },
		 { "start_time", GEN_TIME, "iso" }, { "end_time", GEN_TIME, "iso" },
		 { "status", GEN_PICK, .pick = S("SUCCESS", "SUCCESS", "FAILED") },
		 { "output", GEN_PICK, .pick = S("done", "0 services stopped", "ok") }),
	.count = 4,
};

/* ---- 4.20.1 scheduled tasks (offset and limit mandatory, limit 0-50), 4.20.3 detail,
 * 4.20.8 their run records ---- */

static const EmuKind scheduled_tasks = {
	.name = "scheduled-tasks",
	.list_route = "/v2/{project_id}/scheduled-tasks",
	.detail_route = "/v2/{project_id}/scheduled-tasks/{task_id}",
	.array_key = "scheduled_tasks",
	.total_field = "total_count",
	PAGE(50, 0, 50),
	.paging_mandatory = TRUE,
	.id_field = "id",
	.name_field = "task_name",
	.filters = F({ "task_name", "task_name", MATCH_EXACT },
		     { "task_type", "task_type", MATCH_EXACT },
		     { "scheduled_type", "scheduled_type", MATCH_EXACT },
		     { "last_status", "last_status", MATCH_EXACT }),
	/* The union of ScheduledTask (4.20.1) and the detail (4.20.3). */
	.template = J({"id": "", "task_name": "", "task_type": "START",
		"scheduled_type": "FIXED_TIME", "life_cycle_type": "", "last_status": "SUCCESS",
		"next_execution_time": "", "enable": true, "description": "A description.",
		"priority": 0, "time_zone": "GMT+08:00", "wait_time": 0, "force_execute": true,
		"day_interval": 1, "week_list": "1,2,7", "month_list": "1,3,12",
		"date_list": "1,2,28,L", "scheduled_date": "2025-12-23",
		"scheduled_time": "09:00:00", "expire_time": "2026-12-31 09:00:00",
		"extra_params": "{ \"notify_message\": \"Test\" }", "apply_objects": [],
		"gray_count": 0, "gray_desktop_ids": [], "gray_fail_threshold": 0}),
	.brief_drop = S("force_execute", "day_interval", "week_list", "month_list", "date_list",
			"scheduled_date", "scheduled_time", "expire_time", "extra_params",
			"apply_objects", "gray_count", "gray_desktop_ids", "gray_fail_threshold"),
	.detail_drop = S("last_status", "next_execution_time", "enable", "priority"),
	.gen = G({ "id", GEN_UUID }, { "task_name", GEN_NAME, "Scheduled task %u" },
		 { "task_type", GEN_PICK, .pick = S("START", "STOP", "REBOOT", "HIBERNATE",
						    "EXECUTE_SCRIPT", "CREATE_SNAPSHOT") },
		 { "scheduled_type", GEN_PICK, .pick = S("FIXED_TIME", "DAY", "WEEK", "MONTH") },
		 { "last_status", GEN_PICK, .pick = S("SUCCESS", "SUCCESS", "SKIP", "FAIL") },
		 { "next_execution_time", GEN_TIME, "plain" }, { "priority", GEN_INDEX }),
	.count = 3,
};

static const EmuKind scheduled_task_records = {
	.name = "scheduled-task-records",
	.list_route = "/v2/{project_id}/scheduled-tasks/{task_id}/records",
	.array_key = "tasks_records",
	.total_field = "total_count",
	PAGE(10, 0, 100),
	.id_field = "id",
	.name_field = "id",
	.template = J({"id": "", "start_time": "", "task_type": "", "scheduled_type": "",
		"life_cycle_type": "", "status": "SUCCESS", "success_num": 1, "failed_num": 0,
		"skip_num": 0, "time_zone": "Asia/Shanghai", "execute_task_id": "",
		"execute_object_type": "DESKTOP"}),
	.gen = G({ "id", GEN_UUID }, { "start_time", GEN_TIME, "plain" },
		 { "task_type", GEN_PARENT, "task_type" },
		 { "scheduled_type", GEN_PARENT, "scheduled_type" },
		 { "status", GEN_PICK, .pick = S("SUCCESS", "SUCCESS", "FAIL", "SKIP") },
		 { "success_num", GEN_INT, .min = 0, .max = 40 },
		 { "failed_num", GEN_INT, .min = 0, .max = 3 },
		 { "execute_task_id", GEN_UUID }),
	.parent = "scheduled-tasks",
	.per_parent = 3,
};

/* ---- 4.5.1 desktop name policies (limit 0-50) ---- */

static const EmuKind desktop_name_policies = {
	.name = "desktop-name-policies",
	.list_route = "/v2/{project_id}/desktop-name-policies",
	.array_key = "desktop_name_policy_infos",
	.total_field = "total_count",
	PAGE(50, 0, 50),
	.id_field = "policy_id",
	.name_field = "policy_name",
	.filters = F({ "policy_name", "policy_name", MATCH_FUZZY },
		     { "policy_id", "policy_id", MATCH_EXACT },
		     { "is_contain_user", "is_contain_user", MATCH_EXACT }),
	.template = J({"policy_id": "", "policy_name": "", "name_prefix": "", "digit_number": 4,
		"start_number": 1, "single_domain_user_inc": 1, "is_default_policy": false,
		"is_contain_user": false}),
	.gen = G({ "policy_id", GEN_HEX32 }, { "policy_name", GEN_NAME, "name_policy_%02u" },
		 { "name_prefix", GEN_NAME, "WKS%u" }, { "is_default_policy", GEN_FIRST }),
	.count = 3,
};

/* ---- 4.10.1 OUs (no limit: all of them) ---- */

static const EmuKind ous = {
	.name = "ous",
	.list_route = "/v2/{project_id}/ous",
	.array_key = "ous",
	.total_field = "total_count",
	PAGE(-1, 0, -1),
	.id_field = "id",
	.name_field = "ou_name",
	.filters = F({ "ou_name", "ou_name", MATCH_EXACT }),
	.template = J({"id": "", "domain_id": "vdesktop.com", "domain": "vdesktop.com",
		"ou_name": "", "ou_dn": "", "description": ""}),
	.gen = G({ "id", GEN_HEX32 }, { "ou_name", GEN_NAME, "ou%02u" },
		 { "ou_dn", GEN_NAME, "OU=ou%02u,DC=vdesktop,DC=com" },
		 { "description", GEN_PICK, .pick = S("", "Head office", "Branch offices") }),
	.count = 3,
};

/* ---- 4.2.1 sites (no paging) ---- */

static const EmuKind sites = {
	.name = "sites",
	.list_route = "/v2/{project_id}/sites",
	.array_key = "site_infos",
	.total_field = "total_count",
	.id_field = "site_id",
	.name_field = "site_name",
	.filters = F({ "site_type", "site_type", MATCH_EXACT },
		     { "availability_zone_id", "az_code", MATCH_FUZZY }),
	.template = J({"site_id": "", "site_name": "", "site_type": "CENTER", "project_id": "",
		"status": "openSuccess", "create_time": "",
		"az_code": "ap-southeast-1a,ap-southeast-1b,ap-southeast-1c"}),
	.gen = G({ "site_id", GEN_UUID },
		 { "site_name", GEN_PICK, .pick = S("Huawei Cloud Central Site",
						    "IES edge site") },
		 { "site_type", GEN_PICK, .pick = S("CENTER", "IES") },
		 { "project_id", GEN_PROJECT }, { "create_time", GEN_TIME, "z" }),
	.count = 2,
};

/* ---- 4.28.2 sub-jobs: the live jobs' (derived.c) before a generated history ---- */

static const EmuKind sub_jobs = {
	.name = "sub-jobs",
	.list_route = "/v2/{project_id}/workspace-sub-jobs",
	.array_key = "jobs",
	.total_field = "total_count",
	PAGE(1000, 0, 1000),
	.id_field = "id",
	.name_field = "id",
	.filters = F({ "status", "status", MATCH_EXACT }, { "job_id", "job_id", MATCH_EXACT },
		     { "job_type", "job_type", MATCH_EXACT }),
	.template = J({"id": "", "job_type": "createDesktops",
		"entities": {"user_name": "", "product_id": "workspace.x86.general.large2",
			"desktop_id": "", "desktop_name": "", "ip_address": ""},
		"begin_time": "", "end_time": "", "status": "SUCCESS", "error_code": "",
		"fail_reason": "", "host": "", "project_id": "", "job_id": "", "process": 100,
		"attach_user": "", "entity": "", "ip_address": ""}),
	.gen = G({ "id", GEN_UUID }, { "job_id", GEN_UUID },
		 { "job_type", GEN_PICK, .pick = S("createDesktops", "rebuildDesktops",
						   "attachDesktops", "addVolumes") },
		 { "entities.desktop_id", GEN_DESKTOP, "id" },
		 { "entities.desktop_name", GEN_DESKTOP, "name" },
		 { "entities.user_name", GEN_USER, "name" }, { "entity", GEN_DESKTOP, "id" },
		 { "begin_time", GEN_TIME, "iso" }, { "end_time", GEN_TIME, "iso" },
		 { "status", GEN_PICK, .pick = S("SUCCESS", "SUCCESS", "FAILED") },
		 { "project_id", GEN_PROJECT }),
	.live = derived_sub_jobs,
	.count = 3,
};

/* ---- 4.15.3 terminal bindings (offset and limit mandatory, total "total_num") ---- */

static const EmuKind terminal_bindings = {
	.name = "terminal-bindings",
	.list_route = "/v2/{project_id}/terminals/binding-desktops",
	.array_key = "bind_list",
	.total_field = "total_num",
	PAGE(10, 0, 1000),
	.paging_mandatory = TRUE,
	.id_field = "id",
	.name_field = "mac",
	.filters = F({ "computer_name", "desktop_name", MATCH_EXACT },
		     { "mac", "mac", MATCH_EXACT }),
	.template = J({"id": "", "mac": "", "desktop_name": "", "description": ""}),
	.gen = G({ "id", GEN_HEX32 }, { "mac", GEN_MAC }, { "desktop_name", GEN_DESKTOP, "name" },
		 { "description", GEN_PICK, .pick = S("Reception thin client", "Lab terminal") }),
	.count = 3,
};

/* ---- 4.19.1 screen recordings (the last 15 days unless asked), 4.19.2 detail ---- */

static const EmuKind screen_records = {
	.name = "screen-records",
	.list_route = "/v2/{project_id}/screen-records",
	.detail_route = "/v2/{project_id}/screen-records/{record_id}",
	.array_key = "screen_records",
	.total_field = "total_count",
	PAGE(10, 0, 100),
	.id_field = "id",
	.name_field = "id",
	.window_field = "start_time",
	.window_days = 15,
	.filters = F({ "desktop_id", "desktop_id", MATCH_EXACT },
		     { "username", "username", MATCH_EXACT }, { "status", "status", MATCH_EXACT },
		     { "type", "type", MATCH_EXACT }),
	.template = J({"id": "", "desktop_id": "", "desktop_name": "", "desktop_pool_id": "",
		"username": "", "size": 0, "type": "FULL", "status": "UPLOAD_COMPLETED",
		"policy_id": "", "obs_bucket": "wks-screen-records", "file_directory": "",
		"video_filename": "", "video_file_sha256": "", "event_filename": "",
		"event_file_sha256": "", "start_time": "", "end_time": "", "update_time": "",
		"duration": 0}),
	.gen = G({ "id", GEN_HEX32 }, { "desktop_id", GEN_DESKTOP, "id" },
		 { "desktop_name", GEN_DESKTOP, "name" }, { "username", GEN_USER, "name" },
		 { "size", GEN_INT, .min = 100, .max = 9000 },
		 { "type", GEN_PICK, .pick = S("FULL", "INTERVAL", "OPERATION", "SESSION") },
		 { "status", GEN_PICK, .pick = S("UPLOAD_COMPLETED", "REC_COMPLETED",
						 "RECORDING") },
		 { "policy_id", GEN_HEX32 }, { "video_filename", GEN_NAME, "video_%05u.mp4" },
		 { "event_filename", GEN_NAME, "event_%05u.json" },
		 { "start_time", GEN_TIME, "recent" }, { "end_time", GEN_TIME, "recent" },
		 { "update_time", GEN_TIME, "recent" },
		 { "duration", GEN_INT, .min = 60, .max = 7200 }),
	.count = 3,
};

/* ---- 4.21.7 notification rules ---- */

static const EmuKind notify_rules = {
	.name = "notify-rules",
	.list_route = "/v2/{project_id}/statistics/notify-rules",
	.array_key = "items",
	.total_field = "count",
	PAGE(10, 1, 100),
	.id_field = "rule_id",
	.name_field = "rule_id",
	.filters = F({ "metric_name", "metric_name", MATCH_EXACT },
		     { "rule_id", "rule_id", MATCH_EXACT }),
	.template = J({"rule_id": "", "metric_name": "desktop_idle_duration", "threshold": 30,
		"comparison_operator": ">=", "interval": 1, "enable": true,
		"notify_object": "urn:smn:ap-southeast-1:0123456789abcdef:wks-alerts"}),
	.gen = G({ "rule_id", GEN_UUID },
		 { "metric_name", GEN_PICK, .pick = S("desktop_idle_duration",
						      "desktop_unused_duration") },
		 { "threshold", GEN_INT, .min = 7, .max = 60 }),
	.count = 2,
};

/* ---- 4.22.1 alarms (the example, repaired: its fields belong in the item) ---- */

static const EmuKind alarms = {
	.name = "alarms",
	.list_route = "/v2/{project_id}/alarms",
	.array_key = "alarm_histories",
	.total_field = "count",
	PAGE(100, 0, 1000),
	.id_field = "record_id",
	.name_field = "record_id",
	.filters = F({ "level", "level", MATCH_EXACT }),
	.template = J({"record_id": "", "alarm_id": "", "name": "", "status": "alarm",
		"type": "EVENT.SYS", "level": 2, "begin_time": "",
		"metric": {"namespace": "SYS.WORKSPACE", "metric_name": "cpu_util",
			"dimensions": [{"name": "instance_id", "value": ""}]},
		"condition": {"period": 1, "filter": "average", "comparison_operator": ">=",
			"value": 80, "unit": "percent", "count": 3, "suppress_duration": 300},
		"additional_info": {"resource_id": "", "resource_name": "", "event_id": ""},
		"data_points": [{"time": "2024-06-01T10:00:00Z", "value": 91.5}]}),
	.gen = G({ "record_id", GEN_HEX32 }, { "alarm_id", GEN_NAME, "al16031311992%05u" },
		 { "name", GEN_NAME, "alarm-%02u" },
		 { "status", GEN_PICK, .pick = S("alarm", "ok", "alarm", "invalid") },
		 { "level", GEN_INT, .min = 1, .max = 4 }, { "begin_time", GEN_TIME, "plain" },
		 { "metric.dimensions.0.value", GEN_DESKTOP, "id" },
		 { "additional_info.resource_id", GEN_DESKTOP, "id" },
		 { "additional_info.resource_name", GEN_DESKTOP, "name" },
		 { "additional_info.event_id", GEN_NAME, "ev1603129230099%05u" }),
	.count = 4,
};

/* ---- 4.29.11 bandwidths, 4.29.3 EIPs, 4.29.9 NAT gateways ---- */

static const EmuKind bandwidths = {
	.name = "bandwidths",
	.list_route = "/v2/{project_id}/bandwidths",
	.array_key = "bandwidths",
	.total_field = "total_count",
	PAGE(-1, 0, -1),
	.id_field = "bandwidth_id",
	.name_field = "bandwidth_name",
	.filters = F({ "bandwidth_id", "bandwidth_id", MATCH_EXACT },
		     { "bandwidth_name", "bandwidth_name", MATCH_EXACT },
		     { "vpc_id", "vpc_id", MATCH_EXACT }, { "subnet_id", "subnet_id", MATCH_EXACT },
		     { "enterprise_project_id", "enterprise_project_id", MATCH_EXACT }),
	.template = J({"bandwidth_id": "", "bandwidth_name": "", "charge_mode": "wks_bandwidth",
		"size": 100, "vpc_id": "", "vpc_name": "vpc-workspace", "subnet_id": "",
		"subnet_name": "subnet-workspace", "enterprise_project_id": "0",
		"created_at": "", "order_id": "", "status": "ACTIVE", "control_mode": "NORMAL"}),
	.gen = G({ "bandwidth_id", GEN_UUID }, { "bandwidth_name", GEN_NAME, "wks-bw-%02u" },
		 { "charge_mode", GEN_PICK, .pick = S("wks_bandwidth", "wks_traffic", "free") },
		 { "size", GEN_INT, .min = 10, .max = 1000 }, { "vpc_id", GEN_UUID },
		 { "subnet_id", GEN_UUID }, { "created_at", GEN_TIME, "z" }),
	.count = 2,
};

static const EmuKind eips = {
	.name = "eips",
	.list_route = "/v2/{project_id}/eips",
	.array_key = "eips",
	.total_field = "total_count",
	PAGE(-1, 0, -1),
	.id_field = "id",
	.name_field = "address",
	.filters = F({ "address", "address", MATCH_EXACT },
		     { "desktop_id", "attached_desktop_id", MATCH_EXACT },
		     { "desktop_name", "attached_desktop_name", MATCH_EXACT },
		     { "enterprise_project_id", "enterprise_project_id", MATCH_EXACT }),
	.template = J({"id": "", "address": "", "bandwidth_size": 5,
		"eip_charge_mode": "bandwidth", "create_time": "", "attached_desktop_id": "",
		"attached_desktop_name": "", "enterprise_project_id": "0"}),
	.gen = G({ "id", GEN_UUID }, { "address", GEN_IPV4, "203.0.%u.%u" },
		 { "bandwidth_size", GEN_INT, .min = 1, .max = 300 },
		 { "eip_charge_mode", GEN_PICK, .pick = S("bandwidth", "traffic") },
		 { "create_time", GEN_TIME, "z" }, { "attached_desktop_id", GEN_DESKTOP, "id" },
		 { "attached_desktop_name", GEN_DESKTOP, "name" }),
	.count = 3,
};

static const EmuKind nat_gateways = {
	.name = "nat-gateways",
	.list_route = "/v2/{project_id}/nat-gateways",
	.array_key = "nat_gateways",
	PAGE(2000, 1, 2000),
	.limit_only = TRUE,
	.id_field = "id",
	.name_field = "name",
	.filters = F({ "id", "id", MATCH_EXACT }, { "name", "name", MATCH_EXACT },
		     { "router_id", "router_id", MATCH_EXACT },
		     { "enterprise_project_id", "enterprise_project_id", MATCH_EXACT }),
	.template = J({"id": "", "tenant_id": "", "name": "", "description": "",
		"spec": "1", "status": "ACTIVE", "admin_state_up": "true", "created_at": "",
		"router_id": "", "internal_network_id": "", "enterprise_project_id": "0"}),
	.gen = G({ "id", GEN_UUID }, { "tenant_id", GEN_PROJECT },
		 { "name", GEN_NAME, "nat-wks-%02u" },
		 { "spec", GEN_PICK, .pick = S("1", "2", "3") }, { "created_at", GEN_TIME, "z" },
		 { "router_id", GEN_UUID }, { "internal_network_id", GEN_UUID }),
	.count = 1,
};

/* Parents before their sub-collections; a kind named by GEN_KIND before its users. */
const EmuKind *const emu_workspace_kinds[] = {
	&policy_groups, &access_policies, &images, &products, &availability_zones, &snapshots,
	&scripts, &script_executions, &scheduled_tasks, &scheduled_task_records,
	&desktop_name_policies, &ous, &sites, &sub_jobs, &terminal_bindings, &screen_records,
	&notify_rules, &alarms, &bandwidths, &eips, &nat_gateways, NULL,
};
