/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-fuzz-import"

#include "config.h"

#include <stdint.h>

#include "chrono-import.h"
#include "fuzz-store.h"

/*
 * One import reader on any bytes: built once per format, with
 * -DFORMAT="csv" and so on. The bytes go through chrono_import_run() into a
 * fresh in-memory store, which is then read back whole; the problems and the
 * summary must be text a person can be shown.
 */

#ifndef FORMAT
#error "build with -DFORMAT=\"<reader name>\""
#endif

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  /* A misspelt FORMAT would only ever exercise the error path. */
  g_assert_nonnull (chrono_import_find_format (FORMAT));
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(ChronoImportOptions) options = chrono_import_options_new ();
  g_autoptr(ChronoStore) store = NULL;
  g_autoptr(ChronoImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  const ChronoImportFormat *format = chrono_import_find_format (FORMAT);
  GPtrArray *problems;

  /* Detection reads the head of every file the person opens; only this
   * format's detector, so that what it finds is this reader's. */
  (void) format->detect ("fuzz." FORMAT, data, size);

  store = chrono_store_new_in_memory (&error);
  g_assert_no_error (error);

  options->format = g_strdup (FORMAT);
  import = chrono_import_new (store, "fuzz." FORMAT, options);

  if (!chrono_import_run (import, bytes, &error))
    {
      g_assert_nonnull (error);
      fuzz_check_utf8 (error->message);
      g_clear_error (&error);
    }

  problems = chrono_import_get_problems (import);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      g_autofree char *line = chrono_import_problem_to_string (g_ptr_array_index (problems, i), "fuzz." FORMAT);

      fuzz_check_utf8 (line);
    }
  summary = chrono_import_dup_summary (import);
  fuzz_check_utf8 (summary);

  fuzz_read_back (store);

  return 0;
}
