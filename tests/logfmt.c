/* logfmt.c — see logfmt.h. The grammar: pairs separated by spaces; a key is one or more
 * characters other than space, '=' and '"'; "key" alone has an empty value; a bare value
 * runs to the next space and holds no '=' or '"'; a quoted value knows \" \\ \n \r \t \/
 * \b \f and \uXXXX (JSON's escapes, as go-logfmt decodes them with strconv-like rules). */
#include "tests/logfmt.h"

#include <string.h>

static gboolean fail(char **ret_error, const char *line, const char *at, const char *what)
{
	*ret_error = g_strdup_printf("%s at column %ld", what, (long)(at - line));
	return FALSE;
}

/* A quoted value from *p (at the opening quote) into out. */
static gboolean quoted(const char *line, const char **p, GString *out, char **ret_error)
{
	const char *c = *p + 1;

	for (;;) {
		if (!*c)
			return fail(ret_error, line, c, "unterminated quoted value");
		if (*c == '"')
			break;
		if ((guchar)*c < ' ')
			return fail(ret_error, line, c, "raw control character in a value");
		if (*c != '\\') {
			g_string_append_c(out, *c++);
			continue;
		}
		c++;
		switch (*c) {
		case '"': case '\\': case '/':
			g_string_append_c(out, *c);
			break;
		case 'n':
			g_string_append_c(out, '\n');
			break;
		case 'r':
			g_string_append_c(out, '\r');
			break;
		case 't':
			g_string_append_c(out, '\t');
			break;
		case 'b':
			g_string_append_c(out, '\b');
			break;
		case 'f':
			g_string_append_c(out, '\f');
			break;
		case 'u': {
			char hex[5] = { 0 };
			char *end = NULL;
			gunichar u;

			memcpy(hex, c + 1, strnlen(c + 1, 4));
			u = (gunichar)strtoul(hex, &end, 16);
			if (strlen(hex) != 4 || *end)
				return fail(ret_error, line, c, "bad \\u escape");
			g_string_append_unichar(out, u);
			c += 4;
			break;
		}
		default:
			return fail(ret_error, line, c, "unknown escape");
		}
		c++;
	}
	*p = c + 1;
	return TRUE;
}

GStrv logfmt_parse(const char *line, char **ret_error)
{
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const char *p = line;

	while (*p) {
		g_autoptr(GString) value = g_string_new(NULL);
		g_autofree char *key = NULL;
		const char *start;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && *p != ' ' && *p != '=' && *p != '"')
			p++;
		if (p == start) {
			fail(ret_error, line, p, "a pair without a key");
			return NULL;
		}
		key = g_strndup(start, (gsize)(p - start));
		if (*p == '=') {
			p++;
			if (*p == '"') {
				if (!quoted(line, &p, value, ret_error))
					return NULL;
				if (*p && *p != ' ') {
					fail(ret_error, line, p, "text after a quoted value");
					return NULL;
				}
			} else {
				start = p;
				while (*p && *p != ' ') {
					if (*p == '=' || *p == '"' || (guchar)*p < ' ') {
						fail(ret_error, line, p, "'=', '\"' or a control "
						     "character in a bare value");
						return NULL;
					}
					p++;
				}
				g_string_append_len(value, start, p - start);
			}
		} else if (*p == '"') {
			fail(ret_error, line, p, "a quote inside a key");
			return NULL;
		}
		if (!g_hash_table_add(seen, g_strdup(key))) {
			fail(ret_error, line, p, "a key given twice");
			return NULL;
		}
		g_strv_builder_add(b, key);
		g_strv_builder_add(b, value->str);
	}
	return g_strv_builder_end(b);
}

const char *logfmt_get(GStrv fields, const char *key)
{
	for (int i = 0; fields && fields[i] && fields[i + 1]; i += 2)
		if (strcmp(fields[i], key) == 0)
			return fields[i + 1];
	return NULL;
}
