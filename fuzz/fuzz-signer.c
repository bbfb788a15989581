/* fuzz-signer.c — the signer's canonicalisation (src/signer.c): URI, query, headers, and
 * the Authorization value built from them.
 *
 * Input: lines; the first is the path, then "name=value" query parameters up to a line
 * "--", then "Name:value" headers (at most 16 of each). The last line is also tried as an
 * X-Sdk-Date.
 *
 * Invariants: Encode() keeps only unreserved bytes and upper-case %XX escapes and decodes
 * back to its input; the canonical URI has one more '/' than the path unless the path ends
 * in one, and each segment decodes back; the decoding variant fails exactly when the path
 * holds a malformed escape; the canonical query and headers, and so the signature, do not
 * depend on the order parameters and (distinct) headers are given in; SignedHeaders is the
 * sorted lower-case names; an Authorization exists exactly when X-Sdk-Date is given; a date
 * that parses formats back to itself.
 */
#include <string.h>

#include "fuzz/fuzz.h"
#include "src/signer.h"

#define MAX_PAIRS 16

static void check_encoded(const char *e, gboolean slash_ok)
{
	for (const char *p = e; *p; p++) {
		if (*p == '%') {
			FUZZ_CHECK(g_ascii_isxdigit(p[1]) && g_ascii_isxdigit(p[2]) &&
				   !g_ascii_islower(p[1]) && !g_ascii_islower(p[2]),
				   "bad escape in \"%s\"", e);
			p += 2;
		} else {
			FUZZ_CHECK(g_ascii_isalnum(*p) || strchr("-_.~", *p) ||
				   (slash_ok && *p == '/'), "byte 0x%02x kept in \"%s\"",
				   (guchar)*p, e);
		}
	}
}

static guint count_char(const char *s, char c)
{
	guint n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

static void check_uri(const char *path)
{
	g_autofree char *uri = signer_canonical_uri(path);
	g_autofree char *dec = signer_canonical_uri_decoded(path);
	g_autofree char *whole = signer_decode(path, FALSE);
	gsize len = strlen(path);
	gchar **segs;

	FUZZ_CHECK(uri && uri[0] && uri[strlen(uri) - 1] == '/', "URI \"%s\" without a final /",
		   uri);
	check_encoded(uri, TRUE);
	FUZZ_CHECK(count_char(uri, '/') ==
		   count_char(path, '/') + (len == 0 || path[len - 1] != '/'),
		   "URI \"%s\" of \"%s\": segments changed", uri, path);
	segs = g_strsplit(uri, "/", -1);
	{
		g_autofree char *back = NULL;
		g_autofree char *joined = NULL;
		GString *b = g_string_new(NULL);

		for (guint i = 0; segs[i]; i++) {
			g_autofree char *d = signer_decode(segs[i], FALSE);

			FUZZ_CHECK(d != NULL, "URI segment \"%s\" does not decode", segs[i]);
			g_string_append_printf(b, "%s%s", i ? "/" : "", d);
		}
		back = g_string_free(b, FALSE);
		joined = (len == 0 || path[len - 1] != '/') ? g_strconcat(path, "/", NULL)
							    : g_strdup(path);
		FUZZ_CHECK(strcmp(back, joined) == 0, "URI of \"%s\" decodes to \"%s\"", path,
			   back);
	}
	g_strfreev(segs);
	FUZZ_CHECK((dec == NULL) == (whole == NULL), "decoded URI %s, whole-path decode %s",
		   dec ? "ok" : "failed", whole ? "ok" : "failed");
	if (dec)
		check_encoded(dec, TRUE);
}

static void check_encode(const char *s)
{
	g_autofree char *e = signer_encode(s);
	g_autofree char *d = signer_decode(e, FALSE);

	check_encoded(e, FALSE);
	FUZZ_CHECK(d && strcmp(d, s) == 0, "Encode() does not decode back");
}

static void reverse(SignerPair *p, gsize n)
{
	for (gsize i = 0; i < n / 2; i++) {
		SignerPair t = p[i];

		p[i] = p[n - 1 - i];
		p[n - 1 - i] = t;
	}
}

static gboolean distinct_lower(const SignerPair *h, gsize n)
{
	for (gsize i = 0; i < n; i++)
		for (gsize k = i + 1; k < n; k++)
			if (g_ascii_strcasecmp(h[i].name, h[k].name) == 0)
				return FALSE;
	return TRUE;
}

static void check_headers(SignerPair *h, gsize n)
{
	g_autofree char *signed1 = NULL, *signed2 = NULL;
	g_autofree char *c1 = signer_canonical_headers(h, n, &signed1);
	g_autofree char *c2 = NULL;
	gchar **names = g_strsplit(signed1, ";", -1);
	gboolean newline_free = TRUE;

	for (gsize i = 0; i < n; i++)
		newline_free &= !strchr(h[i].name, '\n') && !strchr(h[i].value, '\n') &&
				!strchr(h[i].name, ';');
	if (newline_free) {
		FUZZ_CHECK(count_char(c1, '\n') == n, "%u canonical lines for %zu headers",
			   count_char(c1, '\n'), n);
		FUZZ_CHECK(n == 0 ? signed1[0] == '\0' : g_strv_length(names) == n,
			   "SignedHeaders \"%s\" for %zu headers", signed1, n);
	}
	for (guint i = 0; names[i]; i++) {
		for (const char *p = names[i]; *p; p++)
			FUZZ_CHECK(!g_ascii_isupper(*p), "upper case in SignedHeaders %s", signed1);
		if (i > 0 && newline_free)
			FUZZ_CHECK(strcmp(names[i - 1], names[i]) <= 0, "SignedHeaders unsorted: %s",
				   signed1);
	}
	g_strfreev(names);
	if (!distinct_lower(h, n))
		return;
	reverse(h, n);
	c2 = signer_canonical_headers(h, n, &signed2);
	reverse(h, n);
	FUZZ_CHECK(strcmp(c1, c2) == 0 && strcmp(signed1, signed2) == 0,
		   "canonical headers depend on their order");
}

static void check_query(SignerPair *q, gsize n)
{
	g_autofree char *c1 = signer_canonical_query(q, n);
	g_autofree char *c2 = NULL;
	gchar **pieces = g_strsplit(c1, "&", -1);

	FUZZ_CHECK(n == 0 ? c1[0] == '\0' : g_strv_length(pieces) == n,
		   "%u query pieces for %zu parameters", g_strv_length(pieces), n);
	for (guint i = 0; pieces[i]; i++) {
		gchar **nv = g_strsplit(pieces[i], "=", -1);

		FUZZ_CHECK(g_strv_length(nv) == 2, "query piece \"%s\"", pieces[i]);
		check_encoded(nv[0], FALSE);
		check_encoded(nv[1], FALSE);
		g_strfreev(nv);
		if (i > 0) {
			/* Sorted by the decoded name, then value: compare decoded. */
			gchar **a = g_strsplit(pieces[i - 1], "=", 2), **b = g_strsplit(pieces[i],
											"=", 2);
			g_autofree char *an = signer_decode(a[0], FALSE);
			g_autofree char *bn = signer_decode(b[0], FALSE);
			g_autofree char *av = signer_decode(a[1], FALSE);
			g_autofree char *bv = signer_decode(b[1], FALSE);
			int c = strcmp(an, bn);

			FUZZ_CHECK(c < 0 || (c == 0 && strcmp(av, bv) <= 0), "query unsorted: %s",
				   c1);
			g_strfreev(a);
			g_strfreev(b);
		}
	}
	g_strfreev(pieces);
	reverse(q, n);
	c2 = signer_canonical_query(q, n);
	reverse(q, n);
	FUZZ_CHECK(strcmp(c1, c2) == 0, "canonical query depends on the order");
}

static void check_date(const char *d)
{
	gint64 t = -1;

	if (!signer_parse_date(d, &t))
		return;
	g_autofree char *back = signer_format_date(t);

	FUZZ_CHECK(back && strcmp(back, d) == 0, "date %s parses, formats as %s", d, back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *s = g_strndup((const char *)data, size);
	gchar **lines = g_strsplit(s, "\n", -1);
	SignerPair q[MAX_PAIRS], h[MAX_PAIRS];
	gsize nq = 0, nh = 0;
	gboolean in_headers = FALSE, dated = FALSE;
	guint nlines = g_strv_length(lines);

	if (nlines == 0) {
		g_strfreev(lines);
		return 0;
	}
	for (guint i = 1; lines[i]; i++) {
		char *sep;

		if (!in_headers && strcmp(lines[i], "--") == 0) {
			in_headers = TRUE;
			continue;
		}
		sep = strchr(lines[i], in_headers ? ':' : '=');
		if (!sep || (in_headers && sep == lines[i]))
			continue;	/* a header has a name (HTTP's rule) */
		*sep = '\0';
		if (!in_headers && nq < MAX_PAIRS)
			q[nq++] = (SignerPair){ lines[i], sep + 1 };
		else if (in_headers && nh < MAX_PAIRS)
			h[nh++] = (SignerPair){ lines[i], sep + 1 };
	}
	check_uri(lines[0]);
	check_encode(lines[0]);
	check_date(lines[nlines - 1]);
	check_query(q, nq);
	check_headers(h, nh);
	for (gsize i = 0; i < nh; i++)
		dated |= g_ascii_strcasecmp(h[i].name, "X-Sdk-Date") == 0;
	{
		g_autofree char *a1 = signer_authorization("GET", lines[0], q, nq, h, nh, "b", 1,
							   "AK", "SK");
		g_autofree char *a2 = NULL;
		const char *sig;

		FUZZ_CHECK((a1 != NULL) == dated, "Authorization %s without X-Sdk-Date",
			   a1 ? "made" : "missing");
		if (a1) {
			FUZZ_CHECK(g_str_has_prefix(a1, "SDK-HMAC-SHA256 Access=AK, SignedHeaders="),
				   "Authorization \"%s\"", a1);
			sig = strstr(a1, ", Signature=");
			FUZZ_CHECK(sig && strlen(sig + 12) == 64, "signature of \"%s\"", a1);
			for (const char *p = sig + 12; *p; p++)
				FUZZ_CHECK(g_ascii_isxdigit(*p) && !g_ascii_isupper(*p), "hex");
			if (distinct_lower(h, nh)) {
				reverse(q, nq);
				reverse(h, nh);
				a2 = signer_authorization("GET", lines[0], q, nq, h, nh, "b", 1,
							  "AK", "SK");
				FUZZ_CHECK(a2 && strcmp(a1, a2) == 0,
					   "the signature depends on the order");
			}
		}
	}
	g_strfreev(lines);
	return 0;
}
