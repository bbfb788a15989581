/* keys.h — the cache's key formats, in one header. Header-only, so that every module of the
 * API layer builds its keys here without calling another module for them.
 *
 *   "L:<dir>"                the listing's names (their version, then the names
 *                            NUL-separated: see listing_versioned() in src/listing.h)
 *   "O:<dir>/<name>"         the object rendered (a blob of src/render.h), rendered once
 *                            when it arrives, by whichever fetch brought it
 *   "S:<dir>/<name>/<link>"  an object's sub-collection, its names (links.c)
 *   "S:<dir>/<name>/.detail" the object's detail rendered, for its detail-only fields when
 *                            the listing brought the object (detail.c); no link's name
 *                            starts with '.'
 *   "X:<dir>/<field>"        an index derived from the listing (links.c), marked stale with it
 */
#pragma once

#include <glib.h>

#include "src/resources.h"

static inline char *key_list(const ResKind *kind)
{
	return g_strconcat("L:", kind->dir, NULL);
}

static inline char *key_object(const ResKind *kind, const char *name)
{
	return g_strconcat("O:", kind->dir, "/", name, NULL);
}

/* The prefix of every object of kind. */
static inline char *key_objects(const ResKind *kind)
{
	return g_strconcat("O:", kind->dir, "/", NULL);
}

static inline char *key_sub(const ResKind *kind, const char *name, const char *link)
{
	return g_strconcat("S:", kind->dir, "/", name, "/", link, NULL);
}

/* The prefix of the sub-collections of one object (name), or of every object (name NULL). */
static inline char *key_subs(const ResKind *kind, const char *name)
{
	return name ? g_strconcat("S:", kind->dir, "/", name, "/", NULL)
		    : g_strconcat("S:", kind->dir, "/", NULL);
}

static inline char *key_detail(const ResKind *kind, const char *name)
{
	return g_strconcat("S:", kind->dir, "/", name, "/.detail", NULL);
}

static inline char *key_index(const ResKind *kind, const char *field)
{
	return g_strconcat("X:", kind->dir, "/", field, NULL);
}

/* The prefix of every index derived from kind's listing. */
static inline char *key_indexes(const ResKind *kind)
{
	return g_strconcat("X:", kind->dir, "/", NULL);
}
