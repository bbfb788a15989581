/* server.c — libmicrohttpd glue and the request pipeline.
 *
 * Owns: the daemon (one thread per connection, so a slow or delayed request never blocks
 * another), the per-request context, the raw request-target (kept through the URI log
 * callback: MHD hands the access handler a decoded URL, but the signature is over the path as
 * sent and over the query arguments in their received form), the body limit, and the order
 * every API request goes through: count -> route -> authenticate -> project check -> fault ->
 * handler -> latency -> reply. Every reply carries X-Request-Id and Content-Type.
 * Must not: hold the tenant lock (handlers take it) or sleep while any lock is held.
 */
#include "emulator/emulator.h"

#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct EmuServer {
	struct MHD_Daemon *daemon;
	Emu *emu;
	int port;
	char *tls_cert;
	char *tls_key;
	GMutex stop_lock;       /* guards stopping; only for waking latency waits */
	GCond stop_cond;
	gboolean stopping;
};

typedef struct {
	EmuRequest req;
	const EmuRoute *route;
	gboolean started;
	gboolean is_control;
	gboolean counted;       /* control_request_begin done, control_request_end pending */
	gboolean too_large;
	gboolean path_known;    /* some route has this path, with another method (405) */
	GString *allowed;       /* methods for that path, for the Allow header */
	gint64 start_us;
} Ctx;

static void free_pairs(GArray *pairs)
{
	if (!pairs)
		return;
	for (guint i = 0; i < pairs->len; i++) {
		SignerPair *p = &g_array_index(pairs, SignerPair, i);

		g_free((char *)p->name);
		g_free((char *)p->value);
	}
	g_array_free(pairs, TRUE);
}

static void ctx_free(Ctx *ctx)
{
	EmuRequest *req = &ctx->req;

	g_free(req->method);
	g_free(req->target);
	g_free(req->path);
	free_pairs(req->args);
	free_pairs(req->headers);
	if (req->body)
		g_byte_array_free(req->body, TRUE);
	for (guint i = 0; i < G_N_ELEMENTS(req->params); i++)
		g_free(req->params[i]);
	g_free(req->request_id);
	if (ctx->allowed)
		g_string_free(ctx->allowed, TRUE);
	g_free(ctx);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	Ctx *ctx = g_new0(Ctx, 1);

	ctx->req.target = g_strdup(uri);
	return ctx;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	EmuServer *server = cls;
	Ctx *ctx = *con_cls;

	if (!ctx)
		return;
	if (ctx->counted)
		control_request_end(server->emu->control);
	ctx_free(ctx);
	*con_cls = NULL;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *value)
{
	GArray *headers = cls;
	SignerPair p = { g_strdup(key), g_strdup(value ? value : "") };

	g_array_append_val(headers, p);
	return MHD_YES;
}

/* Query arguments as a verifier must see them (signing.md §3.3): split on '&', split at the
 * first '=', '+' is a space, then percent-decode. */
static void parse_query(EmuRequest *req, const char *query)
{
	g_auto(GStrv) items = g_strsplit(query, "&", -1);

	for (guint i = 0; items[i]; i++) {
		char *eq = strchr(items[i], '=');
		SignerPair p;

		if (!*items[i])
			continue;
		if (eq)
			*eq = '\0';
		p.name = signer_decode(items[i], TRUE);
		p.value = signer_decode(eq ? eq + 1 : "", TRUE);
		if (!p.name || !p.value) {
			g_free((char *)p.name);
			g_free((char *)p.value);
			req->args_malformed = TRUE;
			continue;
		}
		g_array_append_val(req->args, p);
	}
}

static void route_request(Ctx *ctx)
{
	EmuRequest *req = &ctx->req;

	if (g_str_equal(req->path, "/__emulator") || g_str_has_prefix(req->path, "/__emulator/")) {
		ctx->is_control = TRUE;
		return;
	}
	for (gsize i = 0; i < emu_n_api_routes; i++) {
		const EmuRoute *r = &emu_api_routes[i];

		if (!routes_match(r->template, req->path, req))
			continue;
		if (g_str_equal(r->method, req->method)) {
			ctx->route = r;
			return;
		}
		ctx->path_known = TRUE;
		if (!ctx->allowed)
			ctx->allowed = g_string_new(r->method);
		else if (!strstr(ctx->allowed->str, r->method))
			g_string_append_printf(ctx->allowed, ", %s", r->method);
	}
}

static void begin_request(EmuServer *server, Ctx *ctx, struct MHD_Connection *conn,
			  const char *method)
{
	EmuRequest *req = &ctx->req;
	const char *q;

	ctx->start_us = g_get_monotonic_time();
	req->method = g_strdup(method);
	req->request_id = g_strdup_printf("%08x%08x%08x%08x", g_random_int(), g_random_int(),
					  g_random_int(), g_random_int());
	if (!req->target)
		req->target = g_strdup("/");
	q = strchr(req->target, '?');
	req->path = q ? g_strndup(req->target, q - req->target) : g_strdup(req->target);
	req->args = g_array_new(FALSE, FALSE, sizeof(SignerPair));
	if (q)
		parse_query(req, q + 1);
	req->headers = g_array_new(FALSE, FALSE, sizeof(SignerPair));
	MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, req->headers);
	req->body = g_byte_array_new();

	route_request(ctx);
	if (!ctx->is_control) {
		control_request_begin(server->emu->control, ctx->route);
		ctx->counted = TRUE;
	}
}

void emu_reply_header(EmuResponse *resp, const char *name, const char *value)
{
	g_ptr_array_add(resp->headers, g_strdup(name));
	g_ptr_array_add(resp->headers, g_strdup(value));
}

void emu_reply_json(EmuResponse *resp, guint status, cJSON *body)
{
	char *text = cJSON_PrintUnformatted(body);

	cJSON_Delete(body);
	g_free(resp->body);
	resp->status = status;
	resp->body = g_strdup(text ? text : "{}");
	resp->body_len = strlen(resp->body);
	cJSON_free(text);
}

void emu_reply_error(EmuResponse *resp, guint status, const char *code, const char *fmt, ...)
{
	g_autofree char *msg = NULL;
	cJSON *body = cJSON_CreateObject();
	va_list ap;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	cJSON_AddStringToObject(body, "error_code", code);
	cJSON_AddStringToObject(body, "error_msg", msg);
	emu_reply_json(resp, status, body);
}

void emu_reply_empty(EmuResponse *resp, guint status)
{
	g_clear_pointer(&resp->body, g_free);
	resp->body_len = 0;
	resp->status = status;
}

const char *emu_request_arg(const EmuRequest *req, const char *name)
{
	for (guint i = 0; i < req->args->len; i++) {
		const SignerPair *p = &g_array_index(req->args, SignerPair, i);

		if (g_str_equal(p->name, name))
			return p->value;
	}
	return NULL;
}

const char *emu_request_header(const EmuRequest *req, const char *name)
{
	for (guint i = 0; i < req->headers->len; i++) {
		const SignerPair *p = &g_array_index(req->headers, SignerPair, i);

		if (g_ascii_strcasecmp(p->name, name) == 0)
			return p->value;
	}
	return NULL;
}

cJSON *emu_request_json_object(const EmuRequest *req, EmuResponse *resp)
{
	cJSON *json;

	if (req->body->len == 0) {
		emu_reply_error(resp, 400, "WKS.0001",
				"The request message input by the interface is empty.");
		return NULL;
	}
	json = cJSON_ParseWithLength((const char *)req->body->data, req->body->len);
	if (!cJSON_IsObject(json)) {
		cJSON_Delete(json);
		emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered "
				"through the interface is invalid. The body is not a JSON object.");
		return NULL;
	}
	return json;
}

static void inject_fault(EmuResponse *resp, guint fail_status)
{
	if (fail_status == 429) {
		emu_reply_error(resp, 429, "APIG.0308", "The request is throttled "
				"(fault injected by wks-emulator).");
		emu_reply_header(resp, "Retry-After", "1");
	} else {
		emu_reply_error(resp, fail_status, "WKS.0002", "Internal error. Please contact "
				"your system administrator. (fault injected by wks-emulator)");
	}
}

static void dispatch_api(Emu *emu, Ctx *ctx, EmuResponse *resp)
{
	EmuRequest *req = &ctx->req;
	const char *reason = NULL;
	guint fail_status = 0;

	if (ctx->too_large) {
		emu_reply_error(resp, 413, "WKS.0001", "The request body is larger than %d bytes.",
				EMU_MAX_BODY);
		return;
	}
	if (!ctx->route && ctx->path_known) {
		emu_reply_error(resp, 405, "APIGW.0101", "The API does not exist or has not been "
				"published in the environment (method %s not allowed; allowed: %s)",
				req->method, ctx->allowed->str);
		emu_reply_header(resp, "Allow", ctx->allowed->str);
		return;
	}
	if (!ctx->route) {
		emu_reply_error(resp, 404, "APIGW.0101", "The API does not exist or has not been "
				"published in the environment");
		return;
	}
	if (req->args_malformed) {
		emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered "
				"through the interface is invalid. The query string has a "
				"malformed percent-escape.");
		return;
	}
	if (ctx->route->auth == EMU_AUTH_REQUIRED && !auth_check(emu, req, &reason)) {
		emu_reply_error(resp, 401, "APIGW.0301", "Incorrect IAM authentication "
				"information: %s", reason);
		return;
	}
	if (strstr(ctx->route->template, "/{project_id}/") &&
	    !g_str_equal(req->params[0], emu->cfg->project_id)) {
		emu_reply_error(resp, 401, "WKS.00010025", "The project id in the request URL does "
				"not match the token.");
		return;
	}
	switch (control_pick_fault(emu->control, &fail_status)) {
	case EMU_FAULT_FAIL:
		inject_fault(resp, fail_status);
		return;
	case EMU_FAULT_THROTTLE:
		emu_reply_error(resp, 429, "APIG.0308", "The request is throttled (more than "
				"the emulator's requests-per-second limit).");
		emu_reply_header(resp, "Retry-After", "1");
		return;
	case EMU_FAULT_NONE:
	default:
		break;
	}
	ctx->route->handler(emu, req, resp);
}

static enum MHD_Result send_reply(EmuServer *server, Ctx *ctx, struct MHD_Connection *conn,
				  EmuResponse *resp)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	gsize len = resp->body_len;

	r = MHD_create_response_from_buffer_with_free_callback(len, resp->body, g_free);
	if (!r) {
		g_free(resp->body);
		return MHD_NO;
	}
	resp->body = NULL;
	MHD_add_response_header(r, "X-Request-Id", ctx->req.request_id);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	for (guint i = 0; i + 1 < resp->headers->len; i += 2)
		MHD_add_response_header(r, resp->headers->pdata[i], resp->headers->pdata[i + 1]);
	g_debug("%s %s -> %u (%" G_GSIZE_FORMAT " B, %.1f ms)", ctx->req.method, ctx->req.path,
		resp->status, len, (g_get_monotonic_time() - ctx->start_us) / 1000.0);
	if (ctx->counted) {
		control_request_end(server->emu->control);
		ctx->counted = FALSE;
	}
	ret = MHD_queue_response(conn, resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result answer(EmuServer *server, Ctx *ctx, struct MHD_Connection *conn)
{
	EmuResponse resp = { .status = 500, .headers = g_ptr_array_new_with_free_func(g_free) };
	guint latency_ms = 0;
	enum MHD_Result ret;

	if (ctx->is_control) {
		if (!control_dispatch(server->emu, &ctx->req, &resp))
			emu_reply_error(&resp, 404, "APIGW.0101", "No such control route.");
	} else {
		latency_ms = control_latency_ms(server->emu->control);
		dispatch_api(server->emu, ctx, &resp);
	}
	/* This thread serves only this connection, and no tenant or control lock is held:
	 * the wait delays nobody else. Shutting down cuts it short. */
	if (latency_ms) {
		gint64 until = g_get_monotonic_time() + (gint64)latency_ms * 1000;

		g_mutex_lock(&server->stop_lock);
		while (!server->stopping &&
		       g_cond_wait_until(&server->stop_cond, &server->stop_lock, until))
			;
		g_mutex_unlock(&server->stop_lock);
	}
	ret = send_reply(server, ctx, conn, &resp);
	g_ptr_array_unref(resp.headers);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	EmuServer *server = cls;
	Ctx *ctx = *con_cls;

	if (!ctx) {
		ctx = g_new0(Ctx, 1);
		ctx->req.target = g_strdup(url);
		*con_cls = ctx;
	}
	if (!ctx->started) {
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);

		ctx->started = TRUE;
		begin_request(server, ctx, conn, method);
		/* Refuse a declared oversize body before reading it (MHD then closes). */
		if (cl && g_ascii_strtoull(cl, NULL, 10) > EMU_MAX_BODY) {
			ctx->too_large = TRUE;
			return answer(server, ctx, conn);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!ctx->too_large && ctx->req.body->len + *upload_data_size <= EMU_MAX_BODY)
			g_byte_array_append(ctx->req.body, (const guint8 *)upload_data,
					    *upload_data_size);
		else
			ctx->too_large = TRUE;
		*upload_data_size = 0;
		return MHD_YES;
	}
	return answer(server, ctx, conn);
}

static char *read_pem(const char *path, GError **error)
{
	char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, error))
		return NULL;
	return text;
}

EmuServer *server_start(Emu *emu, GError **error)
{
	const EmuConfig *cfg = emu->cfg;
	g_autofree EmuServer *server = g_new0(EmuServer, 1);
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *ai = NULL;
	struct MHD_OptionItem tls[3] = { { MHD_OPTION_END, 0, NULL } };
	g_autofree char *port_str = g_strdup_printf("%d", cfg->port);
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
			     MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *info;
	int rc;

	server->emu = emu;
	g_mutex_init(&server->stop_lock);
	g_cond_init(&server->stop_cond);
	if (cfg->tls_cert) {
		server->tls_cert = read_pem(cfg->tls_cert, error);
		server->tls_key = server->tls_cert ? read_pem(cfg->tls_key, error) : NULL;
		if (!server->tls_key)
			goto out_free_tls;
		tls[0] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, server->tls_cert };
		tls[1] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, server->tls_key };
		tls[2] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
		flags |= MHD_USE_TLS;
	}
	rc = getaddrinfo(cfg->host, port_str, &hints, &ai);
	if (rc != 0) {
		g_set_error(error, EMU_ERROR, 0, "cannot resolve --host %s: %s",
			    cfg->host, gai_strerror(rc));
		goto out_free_tls;
	}
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	server->daemon = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, on_request,
					  server,
					  MHD_OPTION_SOCK_ADDR, ai->ai_addr,
					  MHD_OPTION_URI_LOG_CALLBACK, on_uri, server,
					  MHD_OPTION_NOTIFY_COMPLETED, on_completed, server,
					  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
					  MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1000,
					  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
					  MHD_OPTION_ARRAY, tls,
					  MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!server->daemon) {
		g_set_error(error, EMU_ERROR, 0,
			    "cannot listen on %s port %d (in use, or not a local address?)",
			    cfg->host, cfg->port);
		goto out_free_tls;
	}
	info = MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);
	server->port = info ? info->port : cfg->port;
	return g_steal_pointer(&server);

out_free_tls:
	g_free(server->tls_cert);
	g_free(server->tls_key);
	g_mutex_clear(&server->stop_lock);
	g_cond_clear(&server->stop_cond);
	return NULL;
}

int server_port(const EmuServer *server)
{
	return server->port;
}

void server_stop(EmuServer *server)
{
	if (!server)
		return;
	g_mutex_lock(&server->stop_lock);
	server->stopping = TRUE;
	g_cond_broadcast(&server->stop_cond);
	g_mutex_unlock(&server->stop_lock);
	MHD_stop_daemon(server->daemon);
	g_free(server->tls_cert);
	g_free(server->tls_key);
	g_mutex_clear(&server->stop_lock);
	g_cond_clear(&server->stop_cond);
	g_free(server);
}
