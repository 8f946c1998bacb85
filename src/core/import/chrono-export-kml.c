/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-export-kml"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "chrono-export.h"

/* PLACEHOLDER: this writer is not written yet. */

static gboolean
write_kml (ChronoStore    *store,
          const char     *lang,
          GOutputStream  *out,
          GCancellable   *cancellable,
          GError        **error)
{
  g_set_error (error, CHRONO_EXPORT_ERROR, CHRONO_EXPORT_ERROR_FAILED, "not written yet");
  return FALSE;
}

const ChronoExportFormat chrono_export_format_kml = {
  .name = "kml",
  .label = N_("KML (Google Earth)"),
  .extension = "kml",
  .mime_type = "application/vnd.google-earth.kml+xml",
  .write = write_kml,
};
