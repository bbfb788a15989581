/* kinds-tenant.c — the tenant, its catalog and its network, as data (all read-only here):
 * the Workspace service itself (4.2.7, one object), sites, OUs, quotas, AZs, product
 * packages, images, desktop name policies, terminal bindings, bandwidths, EIPs and NAT
 * gateways. Paths, arrays, page limits and total fields are the API's own
 * (shared/api/catalog.json); where a list states no maximum, the page is 1000, the size of
 * the users' pages.
 * Must not: hold code; resources.c keeps the lookups and the one list of kinds.
 */
#include "src/kinds.h"

/* Slow-changing: what the cloud sells and where. */
#define CATALOG_TTL_S 3600
/* The tenant's own configuration: changed by an administrator, seldom. */
#define CONFIG_TTL_S 300

/* ---- workspace: 4.2.7, the tenant's Workspace service, one directory of fields ---- */

#define WORKSPACE_GET "/v2/{project_id}/workspaces"

const ResKind res_workspace = {
	.dir = "workspace",
	.list_path = WORKSPACE_GET,
	.parts = (const ResPart[]){ { WORKSPACE_GET }, { NULL } },
	.id_field = "id",
	.default_ttl_s = CONFIG_TTL_S,
	.json_fields = (const char *const[]){ "ad_domains", "subnet_ids", "vpc_config_infos",
		"infrastructure_security_group", "desktop_security_group", "site_configs", NULL },
};

/* ---- sites: 4.2.1 (no paging) ---- */

const ResKind res_sites = {
	.dir = "sites",
	.list_path = "/v2/{project_id}/sites",
	.total_field = "total_count",
	.array_key = "site_infos",
	.id_field = "site_id",
	.name_field = "site_id",
	.delete = &(const ResDelete){ "DELETE", "/v2/{project_id}/sites/{id}",
				      .job_field = "job_id" },
	.default_ttl_s = CONFIG_TTL_S,
};

/* ---- OUs: 4.10.1 (no maximum stated) ---- */

const ResKind res_ous = {
	.dir = "ous",
	.list_path = "/v2/{project_id}/ous",
	.page_limit = 1000,
	.total_field = "total_count",
	.array_key = "ous",
	.id_field = "id",
	.name_field = "ou_name",
	.delete = &(const ResDelete){ "DELETE", "/v2/{project_id}/ous/{id}" },
	.name_filter = "ou_name",
	.create = &res_create_ous,	/* 4.10.2 */
	.default_ttl_s = CONFIG_TTL_S,
};

/* ---- quotas: 4.25.1, one directory per resource type of the central site ---- */

const ResKind res_quotas = {
	.dir = "quotas",
	.list_path = "/v2/{project_id}/quotas",
	.array_key = "quotas.resources",	/* QuotaNoLimit.resources; site_quotas not shown */
	.id_field = "type",
	.name_field = "type",
};

/* ---- availability zones: 4.27.1 (no paging) ---- */

const ResKind res_availability_zones = {
	.dir = "availability-zones",
	.list_path = "/v2/{project_id}/availability-zones",
	.total_field = "total_count",
	.array_key = "availability_zones",
	.id_field = "availability_zone",
	.name_field = "availability_zone",
	.default_ttl_s = CATALOG_TTL_S,
	.json_fields = (const char *const[]){ "i18n", "sold_out", NULL },
};

/* ---- product packages: 4.18.1, limit 0-100 ---- */

const ResKind res_products = {
	.dir = "products",
	.list_path = "/v2/{project_id}/products",
	.page_limit = 100,
	.total_field = "total_count",
	.array_key = "products",
	.id_field = "product_id",
	.name_field = "product_id",
	.name_filter = "product_id",
	.default_ttl_s = CATALOG_TTL_S,
	/* Product: Map<String,String> fields */
	.json_fields = (const char *const[]){ "product_desc", "name", NULL },
};

/* ---- images: 4.26.1, limit 0-100; image names need not be unique: by id ---- */

const ResKind res_images = {
	.dir = "images",
	.list_path = "/v2/{project_id}/images",
	.page_limit = 100,
	.total_field = "total_count",
	.array_key = "images",
	.id_field = "id",
	.name_field = "id",
	.name_filter = "image_id",
	.default_ttl_s = CATALOG_TTL_S,
};

/* ---- desktop name policies: 4.5.1, limit 0-50 ---- */

const ResKind res_desktop_name_policies = {
	.dir = "desktop-name-policies",
	.list_path = "/v2/{project_id}/desktop-name-policies",
	.page_limit = 50,
	.total_field = "total_count",
	.array_key = "desktop_name_policy_infos",
	.id_field = "policy_id",
	.name_field = "policy_name",
	.delete = &(const ResDelete){ "POST", "/v2/{project_id}/desktop-name-policies/batch-delete",
				      "policy_ids" },
	.name_filter = "policy_name",	/* fuzzy; the exact name is picked out */
	.create = &res_create_desktop_name_policies,	/* 4.5.2 */
	.default_ttl_s = CONFIG_TTL_S,
};

/* ---- terminal bindings: 4.15.3, offset and limit mandatory (no maximum stated) ---- */

const ResKind res_terminal_bindings = {
	.dir = "terminal-bindings",
	.list_path = "/v2/{project_id}/terminals/binding-desktops",
	.page_limit = 100,
	.total_field = "total_num",
	.array_key = "bind_list",
	.id_field = "id",
	.name_field = "id",
	.delete = &(const ResDelete){
		"POST", "/v2/{project_id}/terminals/binding-desktops/batch-delete", "id_list",
		.results = "result_list", .result_id = "id", .result_code = "delete_result_code",
		.result_msg = "delete_result_msg", .result_ok = "WKS.00000000" },
};

/* ---- network: 4.29.11 bandwidths, 4.29.3 EIPs, 4.29.9 NAT gateways ---- */

const ResKind res_bandwidths = {
	.dir = "bandwidths",
	.list_path = "/v2/{project_id}/bandwidths",
	.page_limit = 1000,
	.total_field = "total_count",
	.array_key = "bandwidths",
	.id_field = "bandwidth_id",
	.name_field = "bandwidth_name",
	.delete = &(const ResDelete){ "DELETE", "/v2/{project_id}/bandwidths/{id}",
				      .job_field = "job_id" },
	.name_filter = "bandwidth_name",
};

const ResKind res_eips = {
	.dir = "eips",
	.list_path = "/v2/{project_id}/eips",
	.page_limit = 1000,
	.total_field = "total_count",
	.array_key = "eips",
	.id_field = "id",
	.name_field = "address",
	.name_filter = "address",
};

/* 4.29.9 takes a limit (1-2000, default 2000) and no offset: one GET, and no total. */
const ResKind res_nat_gateways = {
	.dir = "nat-gateways",
	.list_path = "/v2/{project_id}/nat-gateways",
	.array_key = "nat_gateways",
	.id_field = "id",
	.name_field = "name",
	.name_filter = "name",
};
