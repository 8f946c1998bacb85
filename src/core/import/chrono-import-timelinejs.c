/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import-timelinejs"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "chrono-import-formats.h"

/* PLACEHOLDER: this reader is not written yet. */

static const char * const timelinejs_patterns[] = { "*.json", NULL };
static const char * const timelinejs_mime_types[] = { "application/json", NULL };

static int
timelinejs_detect (const char   *basename,
                   const guint8 *head,
                   gsize         len)
{
  return CHRONO_DETECT_NO;
}

static gboolean
read_timelinejs (ChronoImport  *import,
                GBytes        *bytes,
                GError       **error)
{
  g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED, "not written yet");
  return FALSE;
}

const ChronoImportFormat chrono_import_format_timelinejs = {
  .name = "timelinejs",
  .label = N_("TimelineJS (JSON)"),
  .patterns = timelinejs_patterns,
  .mime_types = timelinejs_mime_types,
  .detect = timelinejs_detect,
  .read = read_timelinejs,
};
