/* server.c — libmicrohttpd glue and the request pipeline.
 *
 * Owns: the daemon (one thread per connection, so a slow or delayed request never blocks
 * another), the per-request context, the raw request-target (kept through the URI log
 * callback: MHD hands the access handler a decoded URL, but the signature is over the path as
 * sent and over the query arguments in their received form), the body limit, and the order
 * every API request goes through: count -> route -> authenticate -> project check -> fault
 * plan -> stall -> reset | injected error | handler (-> malformed body) -> latency -> reply
 * (-> truncated body) -> log. Every reply carries X-Request-Id and Content-Type.
 * Waits (stall, latency) watch the client's socket and the stop flag in short slices: a
 * client that went away ends the wait (nobody is left to answer), and SIGTERM is never held
 * up for more than a slice.
 * Must not: hold the tenant lock (handlers take it) or sleep while any lock is held.
 */
#include "emulator/emulator.h"

#include <microhttpd.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
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
	gint stopping;          /* atomic: the daemon is being stopped, waits end */
};

/* How often a wait looks at the stop flag: the bound on how long SIGTERM waits for it. */
#define WAIT_SLICE_MS 50

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
	guint status;           /* the status queued; 0 while none (reset, abandoned) */
	EmuFault fault;
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
	if (ctx->started && !ctx->is_control)
		control_log_request(server->emu->control, ctx->start_us, ctx->req.method,
				    ctx->route, ctx->status, ctx->fault);
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
	const char *template = NULL;

	if (g_str_equal(req->path, "/__emulator") || g_str_has_prefix(req->path, "/__emulator/")) {
		ctx->is_control = TRUE;
		return;
	}
	/* The first template that matches (literal segments come first in the table) names
	 * the resource; only its methods are candidates, so DELETE .../desktops/detail is a
	 * 405, not a delete of the desktop "detail". */
	for (gsize i = 0; i < emu_n_api_routes; i++) {
		const EmuRoute *r = &emu_api_routes[i];

		if (template ? !g_str_equal(r->template, template) :
		    !routes_match(r->template, req->path, req))
			continue;
		template = r->template;
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

/* Everything before the fault plan; FALSE when it already answered (the handler must not
 * run). */
static gboolean check_api(Emu *emu, Ctx *ctx, EmuResponse *resp)
{
	EmuRequest *req = &ctx->req;
	const char *reason = NULL;

	if (ctx->too_large) {
		emu_reply_error(resp, 413, "WKS.0001", "The request body is larger than %d bytes.",
				EMU_MAX_BODY);
		return FALSE;
	}
	if (!ctx->route && ctx->path_known) {
		emu_reply_error(resp, 405, "APIGW.0101", "The API does not exist or has not been "
				"published in the environment (method %s not allowed; allowed: %s)",
				req->method, ctx->allowed->str);
		emu_reply_header(resp, "Allow", ctx->allowed->str);
		return FALSE;
	}
	if (!ctx->route) {
		emu_reply_error(resp, 404, "APIGW.0101", "The API does not exist or has not been "
				"published in the environment");
		return FALSE;
	}
	if (req->args_malformed) {
		emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered "
				"through the interface is invalid. The query string has a "
				"malformed percent-escape.");
		return FALSE;
	}
	if (ctx->route->auth == EMU_AUTH_REQUIRED && !auth_check(emu, req, &reason)) {
		emu_reply_error(resp, 401, "APIGW.0301", "Incorrect IAM authentication "
				"information: %s", reason);
		return FALSE;
	}
	if (strstr(ctx->route->template, "/{project_id}/") &&
	    !g_str_equal(req->params[0], emu->cfg->project_id)) {
		emu_reply_error(resp, 401, "WKS.00010025", "The project id in the request URL does "
				"not match the token.");
		return FALSE;
	}
	return TRUE;
}

static int connection_fd(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);

	return info ? info->connect_fd : -1;
}

/* Waits ms holding nothing. FALSE when the client closed its side or the daemon is stopping:
 * nobody is left to answer. (A client that half-closes after its request counts as gone.) */
static gboolean wait_ms(EmuServer *server, struct MHD_Connection *conn, guint ms)
{
	gint64 until = g_get_monotonic_time() + (gint64)ms * 1000;
	struct pollfd pfd = { .fd = connection_fd(conn), .events = POLLRDHUP };

	for (;;) {
		gint64 left_ms = (until - g_get_monotonic_time() + 999) / 1000;

		if (g_atomic_int_get(&server->stopping))
			return FALSE;
		if (left_ms <= 0)
			return TRUE;
		/* Only hang-ups are asked for: a pipelined request does not wake this. */
		if (poll(&pfd, 1, (int)MIN(left_ms, WAIT_SLICE_MS)) > 0 &&
		    (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)))
			return FALSE;
	}
}

/* An RST instead of an answer. SO_LINGER 0 makes the close reset; connecting the socket to
 * AF_UNSPEC (Linux: tcp_disconnect) sends the RST now, before MHD's shutdown(SHUT_WR) could
 * send a FIN that a client would read as an orderly empty reply. MHD then closes the fd. */
static void reset_connection(struct MHD_Connection *conn)
{
	int fd = connection_fd(conn);
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct sockaddr sa = { .sa_family = AF_UNSPEC };

	if (fd < 0)
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) < 0)
		g_debug("SO_LINGER: %s", g_strerror(errno));
	if (connect(fd, &sa, sizeof(sa)) < 0)
		g_debug("disconnect: %s", g_strerror(errno));
}

typedef struct {
	char *body;
	gsize cut;              /* bytes sent before the connection closes */
} Truncated;

static ssize_t read_truncated(void *cls, uint64_t pos, char *buf, size_t max)
{
	Truncated *t = cls;
	gsize n;

	/* The body is shorter than the Content-Length MHD announced: it closes. */
	if (pos >= t->cut)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	n = MIN(max, t->cut - (gsize)pos);
	memcpy(buf, t->body + pos, n);
	return (ssize_t)n;
}

static void free_truncated(void *cls)
{
	Truncated *t = cls;

	g_free(t->body);
	g_free(t);
}

/* Queues the answer; with truncate, the headers announce the whole body and half of it is
 * sent before the connection closes. */
static enum MHD_Result send_reply(EmuServer *server, Ctx *ctx, struct MHD_Connection *conn,
				  EmuResponse *resp, gboolean truncate)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	gsize len = resp->body_len;

	if (truncate) {
		Truncated *t = g_new(Truncated, 1);

		t->body = resp->body;
		t->cut = len / 2;
		r = MHD_create_response_from_callback(len, 16 * 1024, read_truncated, t,
						      free_truncated);
		if (!r)
			g_free(t);
	} else {
		r = MHD_create_response_from_buffer_with_free_callback(len, resp->body, g_free);
	}
	if (!r) {
		g_clear_pointer(&resp->body, g_free);
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
	if (ret == MHD_YES)
		ctx->status = resp->status;
	MHD_destroy_response(r);
	return ret;
}

static void run_api(EmuServer *server, Ctx *ctx, const FaultPlan *plan, EmuResponse *resp)
{
	if (plan->fault == EMU_FAULT_FAIL || plan->fault == EMU_FAULT_RATE_LIMIT) {
		faults_reply(resp, plan);
	} else {
		faults_page_request(&ctx->req, plan);
		if (!hostile_serve(server->emu, ctx->route, &ctx->req, resp))
			ctx->route->handler(server->emu, &ctx->req, resp);
		faults_page_reply(resp, plan);
	}
	if (plan->fault == EMU_FAULT_MALFORMED || plan->fault == EMU_FAULT_HTML)
		faults_malform(resp, plan);
}

static enum MHD_Result answer(EmuServer *server, Ctx *ctx, struct MHD_Connection *conn)
{
	EmuResponse resp = { .status = 500, .headers = g_ptr_array_new_with_free_func(g_free) };
	FaultPlan plan = { .fault = EMU_FAULT_NONE };
	Emu *emu = server->emu;
	guint latency_ms = 0;
	enum MHD_Result ret = MHD_NO;

	if (ctx->is_control) {
		if (!control_dispatch(emu, &ctx->req, &resp))
			emu_reply_error(&resp, 404, "APIGW.0101", "No such control route.");
	} else {
		latency_ms = faults_latency_ms(emu->faults);
		if (check_api(emu, ctx, &resp)) {
			faults_pick(emu->faults, ctx->req.method, ctx->route, &plan);
			ctx->fault = plan.fault;
			/* This thread serves only this connection and holds no lock: stalling
			 * delays nobody else. */
			if (plan.stall_ms && !wait_ms(server, conn, plan.stall_ms))
				goto out;
			if (plan.fault == EMU_FAULT_RESET) {
				reset_connection(conn);
				goto out;
			}
			run_api(server, ctx, &plan, &resp);
			/* Nothing to cut short in an empty body: the connection closes instead. */
			if (plan.fault == EMU_FAULT_TRUNCATE && resp.body_len == 0) {
				reset_connection(conn);
				goto out;
			}
		}
	}
	if (latency_ms && !wait_ms(server, conn, latency_ms))
		goto out;
	ret = send_reply(server, ctx, conn, &resp, plan.fault == EMU_FAULT_TRUNCATE);
out:
	/* MHD_NO closes the connection without an answer. */
	g_free(resp.body);
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

/* MHD reports every connection closed on purpose (a reset, an abandoned stall) as an error;
 * those are expected here, so its lines go to the debug log. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);

	g_debug("libmicrohttpd: %s", g_strchomp(msg));
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
					  MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
					  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
					  MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1000,
					  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
					  MHD_OPTION_ARRAY, tls,
					  MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!server->daemon) {
		g_set_error(error, EMU_ERROR, 0, "cannot listen on %s port %d (in use, or not a "
			    "local address?%s)", cfg->host, cfg->port,
			    cfg->tls_cert ? " or --tls-cert/--tls-key are not a matching PEM "
			    "certificate and key" : "");
		goto out_free_tls;
	}
	info = MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);
	server->port = info ? info->port : cfg->port;
	return g_steal_pointer(&server);

out_free_tls:
	g_free(server->tls_cert);
	g_free(server->tls_key);
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
	g_atomic_int_set(&server->stopping, TRUE);
	MHD_stop_daemon(server->daemon);
	g_free(server->tls_cert);
	g_free(server->tls_key);
	g_free(server);
}
