#pragma once
#include <glib.h>
#include <cjson/cJSON.h>
#include "src/resources.h"
GBytes *render_object(const ResKind *kind, const cJSON *obj, GBytes *previous);
gboolean render_is_blob(GBytes *blob);
guint render_count(GBytes *blob);
const char *render_name(GBytes *blob, guint i);
gboolean render_writable(GBytes *blob, guint i);
gsize render_size(GBytes *blob, guint i);
GBytes *render_content(GBytes *blob, guint i);
int render_find(GBytes *blob, const char *name);
GBytes *render_json(GBytes *blob);
gint64 render_version_ns(GBytes *blob);
