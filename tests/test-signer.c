/* test-signer.c — the signer against every vector in tests/data/signing-vectors.json, which
 * were produced by running the official Huawei Cloud Node SDK (shared/auth/). */
#include "src/signer.h"

#include <cjson/cJSON.h>
#include <string.h>

static cJSON *vectors;

/* JavaScript's String(value) for the scalar types the vectors use. */
static char *js_string(const cJSON *v)
{
	if (cJSON_IsString(v))
		return g_strdup(v->valuestring);
	if (cJSON_IsBool(v))
		return g_strdup(cJSON_IsTrue(v) ? "true" : "false");
	if (cJSON_IsNumber(v))
		return g_strdup_printf("%.17g", v->valuedouble);
	g_assert_not_reached();
}

static void test_vector(gconstpointer data)
{
	const cJSON *v = data;
	const cJSON *exp = cJSON_GetObjectItem(v, "expected");
	const cJSON *wire = cJSON_GetObjectItem(v, "wire");
	const char *target = cJSON_GetObjectItem(wire, "request_target")->valuestring;
	const char *body = cJSON_GetObjectItem(v, "body")->valuestring;
	const char *alg = cJSON_GetObjectItem(exp, "algorithm")->valuestring;
	g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GArray) query = g_array_new(FALSE, FALSE, sizeof(SignerPair));
	g_autoptr(GArray) headers = g_array_new(FALSE, FALSE, sizeof(SignerPair));
	const cJSON *it;

	/* The canonical URI is built from the path as sent on the wire. */
	g_autofree char *path = g_strndup(target, strcspn(target, "?"));

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(v, "query_params")) {
		const cJSON *vals = it;
		const cJSON *one;

		if (!cJSON_IsArray(it)) {
			SignerPair p = { it->string, js_string(it) };

			g_ptr_array_add(strings, (char *)p.value);
			g_array_append_val(query, p);
			continue;
		}
		cJSON_ArrayForEach(one, vals) {
			SignerPair p = { it->string, js_string(one) };

			g_ptr_array_add(strings, (char *)p.value);
			g_array_append_val(query, p);
		}
	}
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(exp, "signed_header_values")) {
		SignerPair p = { it->string, it->valuestring };

		g_array_append_val(headers, p);
	}

	g_autofree char *signed_headers = NULL;
	g_autofree char *uri = signer_canonical_uri(path);
	g_autofree char *cq = signer_canonical_query((SignerPair *)query->data, query->len);
	g_autofree char *ch = signer_canonical_headers((SignerPair *)headers->data, headers->len,
						       &signed_headers);
	const cJSON *csha = cJSON_GetObjectItem(cJSON_GetObjectItem(exp, "signed_header_values"),
						"X-Sdk-Content-Sha256");
	g_autofree char *ph = csha ? g_strdup(csha->valuestring)
				   : signer_payload_hash(body, strlen(body));
	g_autofree char *creq = signer_canonical_request(
		cJSON_GetObjectItem(v, "method")->valuestring, uri, cq, ch, signed_headers, ph);
	const char *date = cJSON_GetObjectItem(v, "sdk_date")->valuestring;

	g_assert_cmpstr(uri, ==, cJSON_GetObjectItem(exp, "canonical_uri")->valuestring);
	g_assert_cmpstr(cq, ==, cJSON_GetObjectItem(exp, "canonical_query_string")->valuestring);
	g_assert_cmpstr(ch, ==, cJSON_GetObjectItem(exp, "canonical_headers")->valuestring);
	g_assert_cmpstr(signed_headers, ==,
			cJSON_GetObjectItem(exp, "signed_headers")->valuestring);
	g_assert_cmpstr(ph, ==, cJSON_GetObjectItem(exp, "payload_hash")->valuestring);
	g_assert_cmpstr(creq, ==, cJSON_GetObjectItem(exp, "canonical_request")->valuestring);

	if (strcmp(alg, "V11-HMAC-SHA256") == 0) {
		const char *info = cJSON_GetObjectItem(exp, "derived_info")->valuestring;
		g_autofree char *sts = signer_v11_string_to_sign(date, info, creq);
		g_autofree char *sig = signer_v11_signature(cJSON_GetObjectItem(v, "ak")->valuestring,
							    cJSON_GetObjectItem(v, "sk")->valuestring,
							    info, sts);

		g_assert_cmpstr(sts, ==, cJSON_GetObjectItem(exp, "string_to_sign")->valuestring);
		g_assert_cmpstr(sig, ==, cJSON_GetObjectItem(exp, "signature")->valuestring);
		return;
	}

	g_assert_cmpstr(alg, ==, "SDK-HMAC-SHA256");
	g_autofree char *sts = signer_string_to_sign(date, creq);
	g_autofree char *sig = signer_signature(cJSON_GetObjectItem(v, "sk")->valuestring, sts);
	g_autofree char *auth = signer_authorization(
		cJSON_GetObjectItem(v, "method")->valuestring, path, (SignerPair *)query->data,
		query->len, (SignerPair *)headers->data, headers->len, body, strlen(body),
		cJSON_GetObjectItem(v, "ak")->valuestring,
		cJSON_GetObjectItem(v, "sk")->valuestring);

	g_assert_cmpstr(sts, ==, cJSON_GetObjectItem(exp, "string_to_sign")->valuestring);
	g_assert_cmpstr(sig, ==, cJSON_GetObjectItem(exp, "signature")->valuestring);
	g_assert_cmpstr(auth, ==, cJSON_GetObjectItem(exp, "authorization")->valuestring);
}

static void test_encode(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ " ", "%20" }, { "+", "%2B" }, { "/", "%2F" }, { "*", "%2A" }, { "~", "~" },
		{ "\xc3\xa9", "%C3%A9" }, { "\xf0\x9f\x98\x80", "%F0%9F%98%80" }, { "aZ09-_.", "aZ09-_." },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = signer_encode(cases[i].in);

		g_assert_cmpstr(got, ==, cases[i].out);
	}
}

static void test_decoded_uri(void)
{
	g_autofree char *a = signer_canonical_uri_decoded("/v2/p/users/a%20b@c");
	g_autofree char *bad = signer_canonical_uri_decoded("/v2/%zz");

	g_assert_cmpstr(a, ==, "/v2/p/users/a%20b%40c/");
	g_assert_null(bad);
}

static void test_dates(void)
{
	gint64 t = 0;
	g_autofree char *s = signer_format_date(1704164645);

	g_assert_cmpstr(s, ==, "20240102T030405Z");
	g_assert_true(signer_parse_date("20240102T030405Z", &t));
	g_assert_cmpint(t, ==, 1704164645);
	g_assert_false(signer_parse_date("2024-01-02T03:04:05Z", &t));
	g_assert_false(signer_parse_date("20241302T030405Z", &t));
	g_assert_false(signer_parse_date("20240102T03040xZ", &t));
	g_assert_true(signer_equal("abc", "abc"));
	g_assert_false(signer_equal("abc", "abd"));
	g_assert_false(signer_equal("abc", "abcd"));
}

int main(int argc, char **argv)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;
	const cJSON *v;
	int n = 0;

	g_test_init(&argc, &argv, NULL);
	g_autofree char *file = g_test_build_filename(G_TEST_DIST, "data", "signing-vectors.json",
						      NULL);
	if (!g_file_get_contents(file, &text, NULL, &error))
		g_error("%s", error->message);
	vectors = cJSON_Parse(text);
	g_assert_nonnull(vectors);

	cJSON_ArrayForEach(v, cJSON_GetObjectItem(vectors, "vectors")) {
		g_autofree char *name = g_strdup_printf(
			"/signer/vector/%s", cJSON_GetObjectItem(v, "name")->valuestring);

		g_test_add_data_func(name, v, test_vector);
		n++;
	}
	g_assert_cmpint(n, ==, 28);
	g_test_add_func("/signer/encode", test_encode);
	g_test_add_func("/signer/uri-decoded", test_decoded_uri);
	g_test_add_func("/signer/dates", test_dates);
	int rc = g_test_run();
	cJSON_Delete(vectors);
	return rc;
}
