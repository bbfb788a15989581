/* emu-client.h — start the real wks-emulator and talk to it over HTTP (tests/emulator only). */
#pragma once

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <glib.h>

#define PROJECT "0123456789abcdef0123456789abcdef"

typedef struct {
	GPid pid;
	int port;
	char *dir;
	char *log;
	char *token;           /* X-Auth-Token for AUTH_TOKEN requests */
} Emulator;

typedef enum {
	AUTH_NONE,
	AUTH_SIGNED,
	AUTH_TOKEN,
} AuthMode;

typedef struct {
	long status;
	GString *body;
	char *request_id;
	char *content_type;
	char *subject_token;
	char *retry_after;
	gint64 content_length; /* as announced, -1 when absent */
	CURLcode rc;           /* the transfer's result (http_try) */
	cJSON *json;
} Reply;

/* Spawns $WKS_EMULATOR with a port file and extra arguments; waits (polling) until it
 * listens. When it exits first, port is 0 and *ret_status holds its wait status. */
Emulator *emulator_try_start(const char *const *extra, int *ret_status);
/* The same, but failing the test when the emulator does not start. */
Emulator *emulator_start(const char *const *extra);
/* What the emulator wrote to stdout and stderr. */
char *emulator_log(Emulator *e);
/* SIGTERM; asserts a clean exit 0; removes the temporary files. */
void emulator_stop(Emulator *e);

/* One request; signed with the project's signer (AK/SK given) or with e->token. Asserts the
 * X-Request-Id and Content-Type every reply must carry; parses a JSON body into json. */
Reply *http_full(Emulator *e, const char *method, const char *target, const char *body,
		 AuthMode auth, const char *ak, const char *sk);
/* One signed request that may fail in transport (a fault test): nothing is asserted, rc says
 * how it went; timeout_ms 0 = 20 s. */
Reply *http_try(Emulator *e, const char *method, const char *target, const char *body,
		long timeout_ms);
/* http_full with the default AK/SK. */
Reply *http(Emulator *e, const char *method, const char *target, const char *body,
	    AuthMode auth);
void reply_free(Reply *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Reply, reply_free)
/* A curl write callback appending to a Reply's body. */
size_t reply_append(char *data, size_t size, size_t n, void *user);

const char *str_field(const cJSON *obj, const char *name);
double num_field(const cJSON *obj, const char *name);
/* A signed GET that must answer 200: its JSON body (cJSON_Delete it). */
cJSON *get_json(Emulator *e, const char *target);
/* Polls GET /v2/{project_id}/workspace-jobs/{job_id} (20 ms) until SUCCESS; fails after
 * 10 s. */
void wait_job(Emulator *e, const char *job_id);
/* GET or POST a control route (/__emulator/...), asserting the status. */
Reply *control(Emulator *e, const char *method, const char *path, const char *body,
	       long status);
/* Status plus the {error_code, error_msg} body with that code. */
void assert_error(Reply *r, long status, const char *code);
