/* request.c — what handlers use to read a request and build a reply.
 *
 * Owns: the reply helpers (JSON bodies, the {error_code, error_msg} error body, empty
 * replies, extra headers) and typed access to the parsed request (the first query argument
 * or header of a name, the body as a JSON object with the API's 400 when it is not one).
 * Must not: touch connections or the tenant (server.c and the handlers do).
 */
#include "emulator/emulator.h"

#include <stdarg.h>
#include <string.h>

void emu_reply_header(EmuResponse *resp, const char *name, const char *value)
{
	g_ptr_array_add(resp->headers, g_strdup(name));
	g_ptr_array_add(resp->headers, g_strdup(value));
}

/* cJSON never prints a lone surrogate escape; a real server (a Java or JavaScript string
 * holding half a pair) does. The stored literal text \ud800 (--hostile-wire) is printed as
 * "\\ud800" and sent as "\ud800". Printed JSON has backslashes only inside strings, each
 * starting a two-character escape, so one pass over escapes finds them. */
static char *lone_surrogates(const char *text)
{
	GString *out = g_string_sized_new(strlen(text));

	for (const char *p = text; *p; p++) {
		if (*p != '\\' || !p[1]) {
			g_string_append_c(out, *p);
			continue;
		}
		if (p[1] == '\\' && g_str_has_prefix(p + 2, "ud800")) {
			g_string_append(out, "\\ud800");
			p += 6;
			continue;
		}
		g_string_append_len(out, p, 2);
		p++;
	}
	return g_string_free(out, FALSE);
}

void emu_reply_json(EmuResponse *resp, guint status, cJSON *body)
{
	char *text = cJSON_PrintUnformatted(body);

	cJSON_Delete(body);
	g_free(resp->body);
	resp->status = status;
	resp->body = text && strstr(text, "\\\\ud800") ? lone_surrogates(text)
						    : g_strdup(text ? text : "{}");
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

void emu_reply_job(EmuResponse *resp, const char *job_id)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "job_id", job_id);
	emu_reply_json(resp, 200, body);
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
