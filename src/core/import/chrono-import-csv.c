/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import-csv"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "chrono-import-formats.h"

/* PLACEHOLDER: this reader is not written yet. */

static const char * const csv_patterns[] = { "*.csv", "*.tsv", "*.tab", "*.txt", NULL };
static const char * const csv_mime_types[] = { "text/csv", "text/tab-separated-values", NULL };

static int
csv_detect (const char   *basename,
            const guint8 *head,
            gsize         len)
{
  return CHRONO_DETECT_NO;
}

static gboolean
read_csv (ChronoImport  *import,
         GBytes        *bytes,
         GError       **error)
{
  g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED, "not written yet");
  return FALSE;
}

const ChronoImportFormat chrono_import_format_csv = {
  .name = "csv",
  .label = N_("CSV or TSV table"),
  .patterns = csv_patterns,
  .mime_types = csv_mime_types,
  .detect = csv_detect,
  .read = read_csv,
};
