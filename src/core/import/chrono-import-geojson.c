/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import-geojson"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "chrono-import-formats.h"

/* PLACEHOLDER: this reader is not written yet. */

static const char * const geojson_patterns[] = { "*.geojson", "*.json", NULL };
static const char * const geojson_mime_types[] = { "application/geo+json", NULL };

static int
geojson_detect (const char   *basename,
                const guint8 *head,
                gsize         len)
{
  return CHRONO_DETECT_NO;
}

static gboolean
read_geojson (ChronoImport  *import,
             GBytes        *bytes,
             GError       **error)
{
  g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED, "not written yet");
  return FALSE;
}

const ChronoImportFormat chrono_import_format_geojson = {
  .name = "geojson",
  .label = N_("GeoJSON"),
  .patterns = geojson_patterns,
  .mime_types = geojson_mime_types,
  .detect = geojson_detect,
  .read = read_geojson,
};
