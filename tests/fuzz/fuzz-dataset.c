/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-fuzz-dataset"

#include "config.h"

#include <stdint.h>

#include "chrono-dataset.h"
#include "fuzz-store.h"

/*
 * The dataset JSON loader on any bytes, into a fresh in-memory store; when
 * it accepts them, everything is read back. When it refuses them, the store
 * must be left empty, as it was.
 */

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(ChronoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  ChronoStoreCounts counts = { 0, };

  store = chrono_store_new_in_memory (&error);
  g_assert_no_error (error);

  if (!chrono_dataset_import_bytes (store, bytes, "fuzz.json", &error))
    {
      g_assert_nonnull (error);
      fuzz_check_utf8 (error->message);
      g_clear_error (&error);
      g_assert_true (chrono_store_get_counts (store, &counts, &error));
      g_assert_cmpuint (counts.events + counts.places + counts.sources, ==, 0);
    }
  g_assert_no_error (error);

  fuzz_read_back (store);

  return 0;
}
