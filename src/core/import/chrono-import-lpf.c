/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import-lpf"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "chrono-import-formats.h"

/* PLACEHOLDER: this reader is not written yet. */

static const char * const lpf_patterns[] = { "*.jsonld", "*.json", NULL };
static const char * const lpf_mime_types[] = { "application/ld+json", NULL };

static int
lpf_detect (const char   *basename,
            const guint8 *head,
            gsize         len)
{
  return CHRONO_DETECT_NO;
}

static gboolean
read_lpf (ChronoImport  *import,
         GBytes        *bytes,
         GError       **error)
{
  g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED, "not written yet");
  return FALSE;
}

const ChronoImportFormat chrono_import_format_lpf = {
  .name = "lpf",
  .label = N_("Linked Places (JSON-LD)"),
  .patterns = lpf_patterns,
  .mime_types = lpf_mime_types,
  .detect = lpf_detect,
  .read = read_lpf,
};

static const char * const lptsv_patterns[] = { "*.tsv", NULL };
static const char * const lptsv_mime_types[] = { "text/tab-separated-values", NULL };

static int
lptsv_detect (const char   *basename,
              const guint8 *head,
              gsize         len)
{
  return CHRONO_DETECT_NO;
}

static gboolean
read_lptsv (ChronoImport  *import,
           GBytes        *bytes,
           GError       **error)
{
  g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED, "not written yet");
  return FALSE;
}

const ChronoImportFormat chrono_import_format_lptsv = {
  .name = "lptsv",
  .label = N_("Linked Places (LP-TSV)"),
  .patterns = lptsv_patterns,
  .mime_types = lptsv_mime_types,
  .detect = lptsv_detect,
  .read = read_lptsv,
};
