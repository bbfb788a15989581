/* signer.c — SDK-HMAC-SHA256 canonicalisation and signing (shared/auth/signing.md).
 *
 * Owns: Encode(), the canonical URI/query/headers, the payload hash, the string to sign and
 * the HMAC. It is pure string work on glib (GChecksum, GHmac): no I/O, no clock, no curl.
 * The emulator links it to verify what the client signs with it, so both ends agree by
 * construction and the 28 SDK vectors pin both to the official SDK.
 */
#include "src/signer.h"

#include <string.h>

static const char EMPTY_SHA256[] =
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

static gboolean is_unreserved(guchar c)
{
	return g_ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

static void append_encoded(GString *out, const char *s, gsize len)
{
	static const char hex[] = "0123456789ABCDEF";

	for (gsize i = 0; i < len; i++) {
		guchar c = (guchar)s[i];

		if (is_unreserved(c)) {
			g_string_append_c(out, (char)c);
		} else {
			g_string_append_c(out, '%');
			g_string_append_c(out, hex[c >> 4]);
			g_string_append_c(out, hex[c & 0xf]);
		}
	}
}

char *signer_encode(const char *s)
{
	GString *out = g_string_sized_new(strlen(s) + 8);

	append_encoded(out, s, strlen(s));
	return g_string_free(out, FALSE);
}

char *signer_decode(const char *s, gboolean plus_is_space)
{
	GString *out = g_string_sized_new(strlen(s));

	for (const char *p = s; *p; p++) {
		if (*p == '%') {
			int hi = g_ascii_xdigit_value(p[1]);
			int lo = hi < 0 ? -1 : g_ascii_xdigit_value(p[2]);

			if (hi < 0 || lo < 0) {
				g_string_free(out, TRUE);
				return NULL;
			}
			g_string_append_c(out, (char)(hi << 4 | lo));
			p += 2;
		} else if (*p == '+' && plus_is_space) {
			g_string_append_c(out, ' ');
		} else {
			g_string_append_c(out, *p);
		}
	}
	return g_string_free(out, FALSE);
}

static char *canonical_uri(const char *path, gboolean decode_first)
{
	GString *out = g_string_sized_new(strlen(path) + 2);
	const char *seg = path;

	for (;;) {
		const char *end = strchr(seg, '/');
		gsize len = end ? (gsize)(end - seg) : strlen(seg);

		if (decode_first) {
			g_autofree char *raw = g_strndup(seg, len);
			g_autofree char *dec = signer_decode(raw, FALSE);

			if (!dec) {
				g_string_free(out, TRUE);
				return NULL;
			}
			append_encoded(out, dec, strlen(dec));
		} else {
			append_encoded(out, seg, len);
		}
		if (!end)
			break;
		g_string_append_c(out, '/');
		seg = end + 1;
	}
	if (out->len == 0 || out->str[out->len - 1] != '/')
		g_string_append_c(out, '/');
	return g_string_free(out, FALSE);
}

char *signer_canonical_uri(const char *path)
{
	return canonical_uri(path, FALSE);
}

char *signer_canonical_uri_decoded(const char *path)
{
	return canonical_uri(path, TRUE);
}

static int compare_pairs(gconstpointer a, gconstpointer b)
{
	const SignerPair *pa = a, *pb = b;
	int c = strcmp(pa->name, pb->name);

	return c ? c : strcmp(pa->value, pb->value);
}

char *signer_canonical_query(const SignerPair *params, gsize n)
{
	g_autofree SignerPair *sorted = g_memdup2(params, n * sizeof(*params));
	GString *out = g_string_new(NULL);

	if (n > 0)
		qsort(sorted, n, sizeof(*sorted), compare_pairs);
	for (gsize i = 0; i < n; i++) {
		if (i > 0)
			g_string_append_c(out, '&');
		append_encoded(out, sorted[i].name, strlen(sorted[i].name));
		g_string_append_c(out, '=');
		append_encoded(out, sorted[i].value, strlen(sorted[i].value));
	}
	return g_string_free(out, FALSE);
}

typedef struct {
	char *lname;
	const char *value;
} LowerHeader;

static int compare_lower(gconstpointer a, gconstpointer b)
{
	const LowerHeader *ha = a, *hb = b;

	return strcmp(ha->lname, hb->lname);
}

char *signer_canonical_headers(const SignerPair *headers, gsize n, char **ret_signed_headers)
{
	g_autofree LowerHeader *lower = g_new0(LowerHeader, n ? n : 1);
	GString *canon = g_string_new(NULL);
	GString *names = g_string_new(NULL);

	for (gsize i = 0; i < n; i++) {
		lower[i].lname = g_ascii_strdown(headers[i].name, -1);
		lower[i].value = headers[i].value;
	}
	/* qsort is not stable, but equal names only occur for a header sent twice in different
	 * case, whose relative order the SDK does not define either. */
	if (n > 0)
		qsort(lower, n, sizeof(*lower), compare_lower);
	for (gsize i = 0; i < n; i++) {
		g_string_append_printf(canon, "%s:%s\n", lower[i].lname, lower[i].value);
		if (i > 0)
			g_string_append_c(names, ';');
		g_string_append(names, lower[i].lname);
		g_free(lower[i].lname);
	}
	if (ret_signed_headers)
		*ret_signed_headers = g_string_free(names, FALSE);
	else
		g_string_free(names, TRUE);
	return g_string_free(canon, FALSE);
}

char *signer_payload_hash(const void *body, gsize len)
{
	if (len == 0)
		return g_strdup(EMPTY_SHA256);
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, body, len);
}

char *signer_canonical_request(const char *method, const char *canonical_uri_,
			       const char *canonical_query, const char *canonical_headers,
			       const char *signed_headers, const char *payload_hash)
{
	return g_strdup_printf("%s\n%s\n%s\n%s\n%s\n%s", method, canonical_uri_, canonical_query,
			       canonical_headers, signed_headers, payload_hash);
}

char *signer_string_to_sign(const char *sdk_date, const char *canonical_request)
{
	g_autofree char *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256,
							      canonical_request, -1);

	return g_strdup_printf("SDK-HMAC-SHA256\n%s\n%s", sdk_date, hash);
}

char *signer_signature(const char *sk, const char *string_to_sign)
{
	return g_compute_hmac_for_string(G_CHECKSUM_SHA256, (const guchar *)sk, strlen(sk),
					 string_to_sign, -1);
}

char *signer_format_date(gint64 unix_seconds)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(unix_seconds);

	if (!dt)
		return NULL;
	/* Not g_date_time_format's %Y, which does not pad a year before 1000 to 4 digits. */
	return g_strdup_printf("%04d%02d%02dT%02d%02d%02dZ", g_date_time_get_year(dt),
			       g_date_time_get_month(dt), g_date_time_get_day_of_month(dt),
			       g_date_time_get_hour(dt), g_date_time_get_minute(dt),
			       g_date_time_get_second(dt));
}

gboolean signer_parse_date(const char *sdk_date, gint64 *ret_unix_seconds)
{
	int f[6];
	static const int width[6] = { 4, 2, 2, 2, 2, 2 };
	const char *p = sdk_date;

	if (!sdk_date || strlen(sdk_date) != 16 || sdk_date[8] != 'T' || sdk_date[15] != 'Z')
		return FALSE;
	for (int i = 0; i < 6; i++) {
		f[i] = 0;
		if (i == 3)
			p++; /* the 'T' */
		for (int k = 0; k < width[i]; k++, p++) {
			if (!g_ascii_isdigit(*p))
				return FALSE;
			f[i] = f[i] * 10 + (*p - '0');
		}
	}
	g_autoptr(GDateTime) dt = g_date_time_new_utc(f[0], f[1], f[2], f[3], f[4], f[5]);
	if (!dt)
		return FALSE;
	*ret_unix_seconds = g_date_time_to_unix(dt);
	return TRUE;
}

static const char *find_header(const SignerPair *headers, gsize n, const char *name)
{
	for (gsize i = 0; i < n; i++)
		if (g_ascii_strcasecmp(headers[i].name, name) == 0)
			return headers[i].value;
	return NULL;
}

char *signer_authorization(const char *method, const char *path,
			   const SignerPair *query, gsize n_query,
			   const SignerPair *headers, gsize n_headers,
			   const void *body, gsize body_len,
			   const char *ak, const char *sk)
{
	const char *date = find_header(headers, n_headers, "X-Sdk-Date");
	const char *content_sha = find_header(headers, n_headers, "X-Sdk-Content-Sha256");
	g_autofree char *signed_headers = NULL;

	if (!date)
		return NULL;

	g_autofree char *uri = signer_canonical_uri(path);
	g_autofree char *cq = signer_canonical_query(query, n_query);
	g_autofree char *ch = signer_canonical_headers(headers, n_headers, &signed_headers);
	g_autofree char *ph = content_sha ? g_strdup(content_sha)
					  : signer_payload_hash(body, body_len);
	g_autofree char *creq = signer_canonical_request(method, uri, cq, ch, signed_headers, ph);
	g_autofree char *sts = signer_string_to_sign(date, creq);
	g_autofree char *sig = signer_signature(sk, sts);

	return g_strdup_printf("SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s", ak,
			       signed_headers, sig);
}

gboolean signer_equal(const char *a, const char *b)
{
	gsize la = strlen(a), lb = strlen(b);
	guchar diff = la != lb;

	for (gsize i = 0; i < la && i < lb; i++)
		diff |= (guchar)a[i] ^ (guchar)b[i];
	return diff == 0;
}

char *signer_v11_string_to_sign(const char *sdk_date, const char *info,
				const char *canonical_request)
{
	g_autofree char *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256,
							      canonical_request, -1);

	return g_strdup_printf("V11-HMAC-SHA256\n%s\n%s\n%s", sdk_date, info, hash);
}

static void hmac_raw(const guchar *key, gsize key_len, const guchar *msg, gsize msg_len,
		     guint8 out[32])
{
	g_autoptr(GHmac) h = g_hmac_new(G_CHECKSUM_SHA256, key, key_len);
	gsize len = 32;

	g_hmac_update(h, msg, msg_len);
	g_hmac_get_digest(h, out, &len);
}

char *signer_v11_signature(const char *ak, const char *sk, const char *info,
			   const char *string_to_sign)
{
	guint8 prk[32], okm[32];
	g_autofree guchar *expand = NULL;
	gsize info_len = strlen(info);
	char key_hex[65];

	/* HKDF-SHA256: extract with salt = AK over SK, expand one block over info || 0x01. */
	hmac_raw((const guchar *)ak, strlen(ak), (const guchar *)sk, strlen(sk), prk);
	expand = g_malloc(info_len + 1);
	memcpy(expand, info, info_len);
	expand[info_len] = 0x01;
	hmac_raw(prk, sizeof(prk), expand, info_len + 1, okm);
	for (int i = 0; i < 32; i++)
		g_snprintf(key_hex + 2 * i, 3, "%02x", okm[i]);
	return signer_signature(key_hex, string_to_sign);
}
