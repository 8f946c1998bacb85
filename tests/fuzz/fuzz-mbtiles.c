/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-fuzz-mbtiles"

#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>

#include "chrono-mbtiles-source.h"
#include "fuzz-store.h"

/*
 * Opening an MBTiles file and reading tiles from it, on any bytes. sqlite
 * needs a file, so each input is written to the same file in a private
 * temporary folder, removed when the fuzzer exits. Tiles are read with the
 * synchronous chrono_mbtiles_source_read_tile(): no main loop is needed.
 */

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *tmp_dir;
static char *tmp_path;

static void
remove_tmp_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;

  /* sqlite may leave a -wal or -shm file beside the input. */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (tmp_dir);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  fuzz_init ();

  tmp_dir = g_dir_make_tmp ("chrono-fuzz-mbtiles-XXXXXX", &error);
  g_assert_no_error (error);
  tmp_path = g_build_filename (tmp_dir, "input.mbtiles", NULL);
  atexit (remove_tmp_dir);

  return 0;
}

static void
read_tile (ChronoMbtilesSource *source,
           int                  x,
           int                  y,
           int                  zoom)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) tile = chrono_mbtiles_source_read_tile (source, x, y, zoom, &error);

  if (tile == NULL)
    {
      g_assert_nonnull (error);
      fuzz_check_utf8 (error->message);
    }
  else
    g_assert_cmpuint (g_bytes_get_size (tile), >, 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(ChronoMbtilesSource) source = NULL;
  g_autoptr(GError) error = NULL;
  const char *format;
  guint min_zoom, max_zoom;

  if (!g_file_set_contents (tmp_path, (const char *) data, size, &error))
    g_error ("%s", error->message);

  source = chrono_mbtiles_source_new (tmp_path, &error);
  if (source == NULL)
    {
      g_assert_nonnull (error);
      fuzz_check_utf8 (error->message);
      return 0;
    }
  g_assert_no_error (error);

  format = chrono_mbtiles_source_get_format (source);
  g_assert_true (g_strcmp0 (format, "png") == 0 || g_strcmp0 (format, "jpg") == 0);
  min_zoom = chrono_mbtiles_source_get_min_zoom (source);
  max_zoom = chrono_mbtiles_source_get_max_zoom (source);
  /* What shumate accepts for a map source's zoom range. */
  g_assert_cmpuint (min_zoom, <=, max_zoom);
  g_assert_cmpuint (max_zoom, <=, 30);
  g_assert_cmpuint (chrono_mbtiles_source_get_tile_size (source), >, 0);
  g_assert_nonnull (chrono_mbtiles_source_get_name (source));
  (void) chrono_mbtiles_source_get_attribution (source);

  /* The tile at the top, the first of the lowest and highest zoom, and
   * coordinates past the edge, which must be refused. */
  read_tile (source, 0, 0, 0);
  read_tile (source, 0, 0, (int) MIN (min_zoom, 30));
  read_tile (source, 0, 0, (int) max_zoom);
  read_tile (source, 1, 0, 0);
  read_tile (source, -1, -1, -1);

  return 0;
}
