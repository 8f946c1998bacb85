/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-export-lpf"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "chrono-export.h"

/* PLACEHOLDER: this writer is not written yet. */

static gboolean
write_lpf (ChronoStore    *store,
          const char     *lang,
          GOutputStream  *out,
          GCancellable   *cancellable,
          GError        **error)
{
  g_set_error (error, CHRONO_EXPORT_ERROR, CHRONO_EXPORT_ERROR_FAILED, "not written yet");
  return FALSE;
}

const ChronoExportFormat chrono_export_format_lpf = {
  .name = "lpf",
  .label = N_("Linked Places (JSON-LD)"),
  .extension = "jsonld",
  .mime_type = "application/ld+json",
  .write = write_lpf,
};
