/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import-storymapjs"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "chrono-import-formats.h"

/* PLACEHOLDER: this reader is not written yet. */

static const char * const storymapjs_patterns[] = { "*.json", NULL };
static const char * const storymapjs_mime_types[] = { "application/json", NULL };

static int
storymapjs_detect (const char   *basename,
                   const guint8 *head,
                   gsize         len)
{
  return CHRONO_DETECT_NO;
}

static gboolean
read_storymapjs (ChronoImport  *import,
                GBytes        *bytes,
                GError       **error)
{
  g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED, "not written yet");
  return FALSE;
}

const ChronoImportFormat chrono_import_format_storymapjs = {
  .name = "storymapjs",
  .label = N_("StoryMapJS (JSON)"),
  .patterns = storymapjs_patterns,
  .mime_types = storymapjs_mime_types,
  .detect = storymapjs_detect,
  .read = read_storymapjs,
};
