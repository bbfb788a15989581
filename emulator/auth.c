/* auth.c — who may call the API: IAM tokens the emulator issued, or AK/SK signatures.
 *
 * Owns: the token store (bounded; expiry on the monotonic clock) and the signature verifier
 * of shared/auth/signing.md §5: parse Authorization, check the AK, the X-Sdk-Date skew, then
 * rebuild the canonical request from what was received — the raw path (Node rule, then the
 * decode-then-encode rule), the decoded query arguments, the SignedHeaders in the order given
 * with their received values, and the payload hash — and compare in constant time.
 * Must not: put a secret (SK, token, signature) into a reason, a log line or an API reply.
 * The one exception is the test-only control route /__emulator/secrets (token_store_seen):
 * the tokens issued and the signatures received, so that a test can look for them in what
 * a client wrote (tests/test-secrets.c).
 */
#include "emulator/emulator.h"

#include <string.h>

#define MAX_SKEW_SECONDS (15 * 60)
#define MAX_SEEN 1024

struct TokenStore {
	GMutex lock;            /* guards tokens, order and seen */
	GHashTable *tokens;     /* token -> gint64* monotonic expiry (us) */
	GQueue order;           /* token strings (owned by tokens), oldest first */
	GQueue seen;            /* char*: the last MAX_SEEN tokens issued and signatures
				 * received, for /__emulator/secrets */
};

static void remember(TokenStore *store, const char *secret)
{
	g_mutex_lock(&store->lock);
	g_queue_push_tail(&store->seen, g_strdup(secret));
	while (g_queue_get_length(&store->seen) > MAX_SEEN)
		g_free(g_queue_pop_head(&store->seen));
	g_mutex_unlock(&store->lock);
}

cJSON *token_store_seen(TokenStore *store)
{
	cJSON *list = cJSON_CreateArray();

	g_mutex_lock(&store->lock);
	for (GList *l = store->seen.head; l; l = l->next)
		cJSON_AddItemToArray(list, cJSON_CreateString(l->data));
	g_mutex_unlock(&store->lock);
	return list;
}

TokenStore *token_store_new(void)
{
	TokenStore *store = g_new0(TokenStore, 1);

	g_mutex_init(&store->lock);
	store->tokens = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_queue_init(&store->order);
	g_queue_init(&store->seen);
	return store;
}

void token_store_free(TokenStore *store)
{
	if (!store)
		return;
	g_queue_clear(&store->order);
	g_queue_clear_full(&store->seen, g_free);
	g_hash_table_destroy(store->tokens);
	g_mutex_clear(&store->lock);
	g_free(store);
}

/* Opaque and long like a real PKI token ("MII..." and several hundred base64 characters), so
 * clients exercise their header buffers. */
static char *new_token(void)
{
	guint8 raw[384];
	g_autofree char *b64 = NULL;

	for (gsize i = 0; i < sizeof(raw); i += 4) {
		guint32 r = g_random_int();

		memcpy(raw + i, &r, 4);
	}
	b64 = g_base64_encode(raw, sizeof(raw));
	return g_strconcat("MII", b64, NULL);
}

char *token_store_issue(TokenStore *store, double ttl, gint64 *ret_issued_us,
			gint64 *ret_expires_us)
{
	gint64 now = g_get_monotonic_time();
	gint64 ttl_us = (gint64)(ttl * G_USEC_PER_SEC);
	char *token = new_token();
	gint64 *expiry = g_new(gint64, 1);
	const char *oldest;
	char *key;

	*expiry = now + ttl_us;
	g_mutex_lock(&store->lock);
	while ((oldest = g_queue_peek_head(&store->order)) &&
	       (g_queue_get_length(&store->order) >= EMU_MAX_TOKENS ||
		*(gint64 *)g_hash_table_lookup(store->tokens, oldest) <= now))
		g_hash_table_remove(store->tokens, g_queue_pop_head(&store->order));
	key = g_strdup(token);
	g_hash_table_insert(store->tokens, key, expiry);
	g_queue_push_tail(&store->order, key);
	g_mutex_unlock(&store->lock);
	*ret_issued_us = g_get_real_time();
	*ret_expires_us = *ret_issued_us + ttl_us;
	remember(store, token);
	return token;
}

/* Every token issued so far expires now (POST /__emulator/expire-tokens): what a client sees
 * when its token is revoked or outlives its announced expiry. Returns how many were valid. */
guint token_store_expire_all(TokenStore *store)
{
	gint64 now = g_get_monotonic_time();
	GHashTableIter it;
	gpointer expiry;
	guint n = 0;

	g_mutex_lock(&store->lock);
	g_hash_table_iter_init(&it, store->tokens);
	while (g_hash_table_iter_next(&it, NULL, &expiry)) {
		n += *(gint64 *)expiry > now;
		*(gint64 *)expiry = MIN(*(gint64 *)expiry, now);
	}
	g_mutex_unlock(&store->lock);
	return n;
}

static gboolean check_token(TokenStore *store, const char *token, const char **ret_reason)
{
	gint64 *expiry;
	gboolean ok = FALSE;

	g_mutex_lock(&store->lock);
	expiry = g_hash_table_lookup(store->tokens, token);
	if (!expiry)
		*ret_reason = "the X-Auth-Token was not issued by this IAM endpoint";
	else if (*expiry <= g_get_monotonic_time())
		*ret_reason = "the X-Auth-Token has expired";
	else
		ok = TRUE;
	g_mutex_unlock(&store->lock);
	return ok;
}

typedef struct {
	char *algorithm;
	char *access;           /* SDK-HMAC-SHA256: Access */
	char *credential;       /* V11-HMAC-SHA256: AK/date8/region/service */
	char *signed_headers;
	char *signature;
} Authorization;

static void authorization_clear(Authorization *a)
{
	g_free(a->algorithm);
	g_free(a->access);
	g_free(a->credential);
	g_free(a->signed_headers);
	g_free(a->signature);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Authorization, authorization_clear)

/* "<alg> Key=Value, Key=Value, ..." */
static gboolean parse_authorization(const char *value, Authorization *a)
{
	const char *space = strchr(value, ' ');
	g_auto(GStrv) parts = NULL;

	if (!space)
		return FALSE;
	a->algorithm = g_strndup(value, space - value);
	parts = g_strsplit(space + 1, ",", -1);
	for (guint i = 0; parts[i]; i++) {
		char *kv = g_strstrip(parts[i]);
		char *eq = strchr(kv, '=');
		char **slot = NULL;

		if (!eq)
			return FALSE;
		*eq = '\0';
		if (g_str_equal(kv, "Access"))
			slot = &a->access;
		else if (g_str_equal(kv, "Credential"))
			slot = &a->credential;
		else if (g_str_equal(kv, "SignedHeaders"))
			slot = &a->signed_headers;
		else if (g_str_equal(kv, "Signature"))
			slot = &a->signature;
		if (slot) {
			g_free(*slot);
			*slot = g_strdup(eq + 1);
		}
	}
	return a->signed_headers && *a->signed_headers && a->signature;
}

/* CanonicalHeaders in the order SignedHeaders gives; a header sent twice appears twice. */
static char *canonical_headers(const EmuRequest *req, const char *signed_headers)
{
	g_auto(GStrv) names = g_strsplit(signed_headers, ";", -1);
	GString *out = g_string_new(NULL);

	for (guint i = 0; names[i]; i++) {
		gboolean found = FALSE;

		for (guint k = 0; k < req->headers->len; k++) {
			const SignerPair *h = &g_array_index(req->headers, SignerPair, k);

			if (g_ascii_strcasecmp(h->name, names[i]) != 0)
				continue;
			g_string_append_printf(out, "%s:%s\n", names[i], h->value);
			found = TRUE;
		}
		if (!found)
			g_string_append_printf(out, "%s:\n", names[i]);
	}
	return g_string_free(out, FALSE);
}

static char *sign(const EmuConfig *cfg, const Authorization *a, const char *info,
		  const char *date, const char *canonical_request)
{
	g_autofree char *sts = NULL;

	if (info) {
		sts = signer_v11_string_to_sign(date, info, canonical_request);
		return signer_v11_signature(cfg->ak, cfg->sk, info, sts);
	}
	sts = signer_string_to_sign(date, canonical_request);
	return signer_signature(cfg->sk, sts);
}

static gboolean check_signature(const EmuConfig *cfg, TokenStore *store, const EmuRequest *req,
				const char *value, const char **ret_reason)
{
	g_auto(Authorization) a = { 0 };
	const char *date = emu_request_header(req, "X-Sdk-Date");
	const char *content_sha = emu_request_header(req, "X-Sdk-Content-Sha256");
	const char *info = NULL;
	g_autofree char *ak = NULL;
	g_autofree char *query = NULL, *headers = NULL, *payload = NULL;
	gint64 when;

	if (!parse_authorization(value, &a)) {
		*ret_reason = "the Authorization header is malformed";
		return FALSE;
	}
	remember(store, a.signature);
	if (g_str_equal(a.algorithm, "SDK-HMAC-SHA256") && a.access) {
		ak = g_strdup(a.access);
	} else if (g_str_equal(a.algorithm, "V11-HMAC-SHA256") && a.credential &&
		   strchr(a.credential, '/')) {
		ak = g_strndup(a.credential, strchr(a.credential, '/') - a.credential);
		info = strchr(a.credential, '/') + 1;
	} else {
		*ret_reason = "unsupported signing algorithm (expected SDK-HMAC-SHA256)";
		return FALSE;
	}
	if (!g_str_equal(ak, cfg->ak)) {
		*ret_reason = "unknown access key (AK)";
		return FALSE;
	}
	if (!date) {
		*ret_reason = "missing X-Sdk-Date header";
		return FALSE;
	}
	if (!signer_parse_date(date, &when)) {
		*ret_reason = "X-Sdk-Date is not in the YYYYMMDDTHHMMSSZ format";
		return FALSE;
	}
	if (ABS(when - g_get_real_time() / G_USEC_PER_SEC) > MAX_SKEW_SECONDS) {
		*ret_reason = "X-Sdk-Date is more than 15 minutes away from the server time";
		return FALSE;
	}
	if (info && strncmp(info, date, 8) != 0) {
		*ret_reason = "the credential scope date does not match X-Sdk-Date";
		return FALSE;
	}

	query = signer_canonical_query((const SignerPair *)req->args->data, req->args->len);
	headers = canonical_headers(req, a.signed_headers);
	payload = content_sha ? g_strdup(content_sha)
			      : signer_payload_hash(req->body->data, req->body->len);
	/* Node encodes the sent path again; Go and Python decode first (signing.md §3.2). */
	for (int rule = 0; rule < 2; rule++) {
		g_autofree char *uri = rule == 0 ? signer_canonical_uri(req->path)
						 : signer_canonical_uri_decoded(req->path);
		g_autofree char *creq = NULL, *sig = NULL;

		if (!uri)
			continue;
		creq = signer_canonical_request(req->method, uri, query, headers,
						a.signed_headers, payload);
		sig = sign(cfg, &a, info, date, creq);
		if (signer_equal(sig, a.signature))
			return TRUE;
	}
	*ret_reason = "the signature does not match (wrong SK, or the request was changed "
		      "after signing)";
	return FALSE;
}

gboolean auth_check(Emu *emu, const EmuRequest *req, const char **ret_reason)
{
	const char *token = emu_request_header(req, "X-Auth-Token");
	const char *authorization = emu_request_header(req, "Authorization");

	if (token)
		return check_token(emu->tokens, token, ret_reason);
	if (!authorization) {
		*ret_reason = "missing Authorization (AK/SK signature) or X-Auth-Token header";
		return FALSE;
	}
	return check_signature(emu->cfg, emu->tokens, req, authorization, ret_reason);
}
