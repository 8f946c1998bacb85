/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import-native"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "chrono-dataset.h"
#include "chrono-import-formats.h"

/*
 * Chronotope's own dataset JSON (data/datasets/README.md), through the
 * dataset loader, which checks it whole: one mistake fails the import.
 */

static const char * const patterns[] = { "*.json", NULL };
static const char * const mime_types[] = { "application/json", NULL };

static int
detect (const char   *basename,
        const guint8 *head,
        gsize         len)
{
  g_autofree char *text = g_strndup ((const char *) head, len);

  if (strstr (text, "\"chronotope-dataset\"") != NULL)
    return CHRONO_DETECT_YES;

  return CHRONO_DETECT_NO;
}

static gboolean
read_native (ChronoImport  *import,
             GBytes        *bytes,
             GError       **error)
{
  ChronoStore *store = chrono_import_get_store (import);
  ChronoStoreCounts counts = { 0 };

  if (!chrono_dataset_import_in_transaction (store, bytes, chrono_import_get_display_name (import), error) ||
      !chrono_store_get_counts (store, &counts, error))
    return FALSE;

  chrono_import_set_counts (import, counts.events, counts.places, counts.sources);
  return TRUE;
}

const ChronoImportFormat chrono_import_format_native = {
  .name = "chronotope",
  .label = N_("Chronotope dataset (JSON)"),
  .patterns = patterns,
  .mime_types = mime_types,
  .detect = detect,
  .read = read_native,
};
