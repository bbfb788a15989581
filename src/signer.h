/* signer.h — Huawei Cloud AK/SK request signing, SDK-HMAC-SHA256 (shared/auth/signing.md).
 *
 * Pure functions over strings, glib only: used by the client to sign and by the emulator to
 * verify. Every returned string is newly allocated (g_free).
 */
#pragma once

#include <glib.h>

typedef struct {
	const char *name;
	const char *value;
} SignerPair;

/* Encode(): UTF-8 bytes; A-Z a-z 0-9 - _ . ~ kept, everything else %XX (upper-case hex). */
char *signer_encode(const char *s);
/* Percent-decode (no '+' handling); NULL if the escape sequence is malformed. */
char *signer_decode(const char *s, gboolean plus_is_space);

/* CanonicalURI from the path as sent (no query): each '/'-segment Encode()d, one '/' appended
 * if missing (Node SDK rule). */
char *signer_canonical_uri(const char *path);
/* The Go/Python rule: each segment percent-decoded first, then Encode()d. NULL if malformed. */
char *signer_canonical_uri_decoded(const char *path);

/* CanonicalQueryString from (decoded) parameters: sorted by name, then value; "" if none. */
char *signer_canonical_query(const SignerPair *params, gsize n);

/* CanonicalHeaders ("name:value\n" per header, sorted by lower-case name) and, through
 * ret_signed_headers, the SignedHeaders list ("a;b;c"). */
char *signer_canonical_headers(const SignerPair *headers, gsize n, char **ret_signed_headers);

/* Lower-case hex SHA-256 of the body (of "" when len is 0). */
char *signer_payload_hash(const void *body, gsize len);

char *signer_canonical_request(const char *method, const char *canonical_uri,
			       const char *canonical_query, const char *canonical_headers,
			       const char *signed_headers, const char *payload_hash);
char *signer_string_to_sign(const char *sdk_date, const char *canonical_request);
/* Lower-case hex HMAC-SHA256(key = sk, string_to_sign). */
char *signer_signature(const char *sk, const char *string_to_sign);

/* X-Sdk-Date for a UNIX time: YYYYMMDDTHHMMSSZ (UTC). */
char *signer_format_date(gint64 unix_seconds);
/* Parses YYYYMMDDTHHMMSSZ; FALSE when malformed. */
gboolean signer_parse_date(const char *sdk_date, gint64 *ret_unix_seconds);

/* The whole client side. `headers` must already hold every header to sign, including host
 * and X-Sdk-Date; the payload hash is X-Sdk-Content-Sha256's value when that header is
 * present. Returns the Authorization header value. */
char *signer_authorization(const char *method, const char *path,
			   const SignerPair *query, gsize n_query,
			   const SignerPair *headers, gsize n_headers,
			   const void *body, gsize body_len,
			   const char *ak, const char *sk);

/* Constant-time comparison of two NUL-terminated strings. */
gboolean signer_equal(const char *a, const char *b);

/* The derived-key variant V11-HMAC-SHA256 (signing.md §7; not used by Workspace, kept so the
 * emulator can verify a derived-key SDK client). info = date8 "/" region "/" service. */
char *signer_v11_string_to_sign(const char *sdk_date, const char *info,
				const char *canonical_request);
char *signer_v11_signature(const char *ak, const char *sk, const char *info,
			   const char *string_to_sign);
