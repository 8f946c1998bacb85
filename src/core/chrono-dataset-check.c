/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-dataset-check"

#include "config.h"

#include <locale.h>

#include <gio/gio.h>

#include "chrono-dataset.h"
#include "chrono-store.h"

/*
 * chrono-dataset-check FILE.json
 *
 * Loads a dataset JSON into an in-memory store, as the application would,
 * and prints what it holds, or the first error and exits with status 1.
 * The build runs it on the bundled dataset.
 */

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GFile) file = NULL;
  g_autofree char *name = NULL;
  ChronoStoreCounts counts;

  setlocale (LC_ALL, "");

  if (argc != 2)
    {
      g_printerr ("Usage: chrono-dataset-check FILE.json\n");
      return 2;
    }

  name = g_filename_display_name (argv[1]);
  file = g_file_new_for_commandline_arg (argv[1]);
  store = chrono_store_new_in_memory (&error);

  if (store == NULL ||
      !chrono_dataset_import_file (store, file, &error) ||
      !chrono_store_get_counts (store, &counts, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print ("%s: %u events, %u places, %u sources, %u excerpts, %u claims\n",
           name, counts.events, counts.places, counts.sources, counts.excerpts, counts.claims);
  return 0;
}
