/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import-kml"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "chrono-import-formats.h"

/* PLACEHOLDER: this reader is not written yet. */

static const char * const kml_patterns[] = { "*.kml", NULL };
static const char * const kml_mime_types[] = { "application/vnd.google-earth.kml+xml", NULL };

static int
kml_detect (const char   *basename,
            const guint8 *head,
            gsize         len)
{
  return CHRONO_DETECT_NO;
}

static gboolean
read_kml (ChronoImport  *import,
         GBytes        *bytes,
         GError       **error)
{
  g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED, "not written yet");
  return FALSE;
}

const ChronoImportFormat chrono_import_format_kml = {
  .name = "kml",
  .label = N_("KML (Google Earth)"),
  .patterns = kml_patterns,
  .mime_types = kml_mime_types,
  .detect = kml_detect,
  .read = read_kml,
};

static const char * const kmz_patterns[] = { "*.kmz", NULL };
static const char * const kmz_mime_types[] = { "application/vnd.google-earth.kmz", NULL };

static int
kmz_detect (const char   *basename,
            const guint8 *head,
            gsize         len)
{
  return CHRONO_DETECT_NO;
}

static gboolean
read_kmz (ChronoImport  *import,
         GBytes        *bytes,
         GError       **error)
{
  g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED, "not written yet");
  return FALSE;
}

const ChronoImportFormat chrono_import_format_kmz = {
  .name = "kmz",
  .label = N_("KMZ (zipped KML)"),
  .patterns = kmz_patterns,
  .mime_types = kmz_mime_types,
  .detect = kmz_detect,
  .read = read_kmz,
};
