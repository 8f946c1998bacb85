/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-mbtiles"

#include "config.h"

#include <glib/gstdio.h>
#include <gio/gio.h>

#include <sqlite3.h>

#include "chrono-mbtiles-source.h"

/* Fixtures: tests/data/mbtiles (see PROVENANCE.md there). */

typedef struct
{
  GMainLoop *loop;
  GBytes    *bytes;
  GError    *error;
  guint      emitted;
  gboolean   emitted_before_completion;
  gboolean   completed;
} Request;

static char *
fixture (const char *name)
{
  return g_build_filename (TEST_DATA_DIR, "mbtiles", name, NULL);
}

static void
on_received_data (ShumateDataSource *source,
                  int                x,
                  int                y,
                  int                zoom,
                  GBytes            *bytes,
                  gpointer           user_data)
{
  Request *request = user_data;

  request->emitted++;
  request->emitted_before_completion = !request->completed;
}

static void
on_tile_data (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Request *request = user_data;

  request->completed = TRUE;
  request->bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (object), result, &request->error);
  g_main_loop_quit (request->loop);
}

static void
request_tile (ChronoMbtilesSource *source,
              int                  x,
              int                  y,
              int                  zoom,
              Request             *request)
{
  gulong handler;

  memset (request, 0, sizeof *request);
  request->loop = g_main_loop_new (NULL, FALSE);
  handler = g_signal_connect (source, "received-data", G_CALLBACK (on_received_data), request);
  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), x, y, zoom, NULL, on_tile_data, request);
  g_main_loop_run (request->loop);
  g_signal_handler_disconnect (source, handler);
  g_main_loop_unref (request->loop);
}

static void
test_plain_tiles (void)
{
  /* x, stored TMS row, zoom, as in the image names */
  const int tiles[][3] = { { 0, 0, 0 }, { 1, 1, 1 }, { 3, 12, 4 }, { 0, 0, 2 } };
  g_autofree char *path = fixture ("plain_1.mbtiles");
  g_autoptr(GError) error = NULL;
  g_autoptr(ChronoMbtilesSource) source = chrono_mbtiles_source_new (path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (chrono_mbtiles_source_get_format (source), ==, "png");
  /* No zoom keys in its metadata: read from the tiles. */
  g_assert_cmpuint (chrono_mbtiles_source_get_min_zoom (source), ==, 0);
  g_assert_cmpuint (chrono_mbtiles_source_get_max_zoom (source), ==, 4);
  g_assert_cmpuint (chrono_mbtiles_source_get_tile_size (source), ==, 256);
  g_assert_cmpstr (chrono_mbtiles_source_get_name (source), ==, "plain_1");

  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      int x = tiles[i][0], row = tiles[i][1], zoom = tiles[i][2];
      int y = (1 << zoom) - 1 - row;
      g_autofree char *name = g_strdup_printf ("plain_1_%d_%d_%d.png", x, row, zoom);
      g_autofree char *image = g_build_filename (TEST_DATA_DIR, "mbtiles", "images", name, NULL);
      g_autoptr(GBytes) expected = NULL;
      g_autoptr(GBytes) direct = NULL;
      g_autofree char *contents = NULL;
      gsize length;
      Request request;

      g_assert_true (g_file_get_contents (image, &contents, &length, &error));
      g_assert_no_error (error);
      expected = g_bytes_new_take (g_steal_pointer (&contents), length);

      request_tile (source, x, y, zoom, &request);
      g_assert_no_error (request.error);
      g_assert_nonnull (request.bytes);
      g_assert_true (g_bytes_equal (request.bytes, expected));
      g_assert_cmpuint (request.emitted, ==, 1);
      g_assert_true (request.emitted_before_completion);
      g_bytes_unref (request.bytes);

      direct = chrono_mbtiles_source_read_tile (source, x, y, zoom, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (direct, expected));
    }
}

static void
test_jpeg_sniffed (void)
{
  g_autofree char *path = fixture ("geography-class-jpg.mbtiles");
  g_autoptr(GError) error = NULL;
  g_autoptr(ChronoMbtilesSource) source = chrono_mbtiles_source_new (path, &error);
  g_autoptr(ShumateMapSource) map_source = NULL;
  Request request;

  g_assert_no_error (error);
  g_assert_cmpstr (chrono_mbtiles_source_get_format (source), ==, "jpg");
  g_assert_cmpuint (chrono_mbtiles_source_get_max_zoom (source), ==, 1);

  request_tile (source, 1, 0, 1, &request);
  g_assert_no_error (request.error);
  g_assert_cmpuint (g_bytes_get_size (request.bytes), >, 3);
  g_assert_cmpmem (g_bytes_get_data (request.bytes, NULL), 3, "\xff\xd8\xff", 3);
  g_bytes_unref (request.bytes);

  map_source = chrono_mbtiles_source_new_map_source (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shumate_map_source_get_max_zoom_level (map_source), ==, 1);
  g_assert_true (g_str_has_prefix (shumate_map_source_get_id (map_source), "chronotope-mbtiles-"));
}

static void
assert_refused (const char         *name,
                ChronoMbtilesError  code,
                const char         *phrase)
{
  g_autofree char *path = fixture (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(ChronoMbtilesSource) source = chrono_mbtiles_source_new (path, &error);
  g_autoptr(ShumateMapSource) map_source = NULL;
  g_autofree char *quoted = g_strdup_printf ("'%s'", name);

  g_assert_null (source);
  g_assert_error (error, CHRONO_MBTILES_ERROR, (int) code);
  g_test_message ("%s: %s", name, error->message);
  g_assert_nonnull (strstr (error->message, quoted));
  g_assert_nonnull (strstr (error->message, phrase));
  g_clear_error (&error);

  map_source = chrono_mbtiles_source_new_map_source (path, &error);
  g_assert_null (map_source);
  g_assert_error (error, CHRONO_MBTILES_ERROR, (int) code);
}

static void
test_vector_refused (void)
{
  assert_refused ("world_cities.mbtiles", CHRONO_MBTILES_ERROR_VECTOR,
                  "holds vector tiles, which Chronotope cannot draw; choose a raster (PNG or JPEG) MBTiles file");
}

static void
test_corrupt_refused (void)
{
  assert_refused ("corrupt.mbtiles", CHRONO_MBTILES_ERROR_CORRUPT, "damaged");
}

static void
test_invalid_refused (void)
{
  assert_refused ("invalid.mbtiles", CHRONO_MBTILES_ERROR_NOT_MBTILES, "not an MBTiles file");
}

static void
test_text_refused (void)
{
  assert_refused ("not-sqlite.mbtiles", CHRONO_MBTILES_ERROR_NOT_MBTILES, "not an SQLite database");
}

static void
test_missing_file_refused (void)
{
  assert_refused ("no-such-file.mbtiles", CHRONO_MBTILES_ERROR_OPEN, "no such file");
}

static char *
hostile (const char *name)
{
  return g_build_filename (g_getenv ("CHRONO_FIXTURES_DIR"), "hostile", name, NULL);
}

/* Files made to break the reader: a tile header that declares an image of
 * gigabytes is refused at once, odd tile sizes are refused with a message,
 * and nonsense zoom levels give way to the zoom levels of the tiles. */
static void
test_hostile_files (void)
{
  static const struct {
    const char *name;
    const char *message;  /* NULL: opens */
    guint       min_zoom, max_zoom;
  } cases[] = {
    { "bomb-20000px.mbtiles", "20000×20000 pixels", 0, 0 },
    { "bomb-60000px.mbtiles", "60000×60000 pixels", 0, 0 },
    { "tile-1px.mbtiles", "1×1 pixels", 0, 0 },
    { "tile-4096px.mbtiles", "4096×4096 pixels", 0, 0 },
    { "zoom-huge.mbtiles", NULL, 0, 0 },
    { "zoom-minmax.mbtiles", NULL, 0, 0 },
    { "zoom-negative-rows.mbtiles", NULL, 0, 30 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = hostile (cases[i].name);
      g_autoptr(ChronoMbtilesSource) source = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_test_skip ("no shared fixtures");
          return;
        }

      g_test_message ("%s", cases[i].name);
      source = chrono_mbtiles_source_new (path, &error);
      /* Bounded: nothing is decoded to open a file */
      g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_TIME_SPAN_SECOND);
      if (cases[i].message != NULL)
        {
          g_assert_null (source);
          g_assert_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_UNSUPPORTED_FORMAT);
          g_assert_nonnull (strstr (error->message, cases[i].message));
          g_assert_nonnull (strstr (error->message, cases[i].name));
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpuint (chrono_mbtiles_source_get_min_zoom (source), ==, cases[i].min_zoom);
          g_assert_cmpuint (chrono_mbtiles_source_get_max_zoom (source), ==, cases[i].max_zoom);
        }
    }
}

static void
test_empty_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("chrono-mbtiles-XXXXXX", &error);
  g_autofree char *empty = g_build_filename (dir, "empty.mbtiles", NULL);
  g_autofree char *no_tiles = g_build_filename (dir, "no-tiles.mbtiles", NULL);
  g_autoptr(ChronoMbtilesSource) source = NULL;
  g_autofree char *plain = fixture ("plain_1.mbtiles");
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_no_error (error);

  /* A zero-byte file. */
  g_assert_true (g_file_set_contents (empty, "", 0, &error));
  source = chrono_mbtiles_source_new (empty, &error);
  g_assert_null (source);
  g_assert_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_NOT_MBTILES);
  g_assert_nonnull (strstr (error->message, "'empty.mbtiles'"));
  g_clear_error (&error);

  /* The tables of an MBTiles file, but no tile in them. */
  g_assert_true (g_file_get_contents (plain, &contents, &length, &error));
  g_assert_true (g_file_set_contents (no_tiles, contents, length, &error));
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (no_tiles, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "DELETE FROM map; DELETE FROM images;", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  source = chrono_mbtiles_source_new (no_tiles, &error);
  g_assert_null (source);
  g_assert_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_EMPTY);
  g_assert_nonnull (strstr (error->message, "'no-tiles.mbtiles'"));
  g_clear_error (&error);

  g_assert_cmpint (g_unlink (empty), ==, 0);
  g_assert_cmpint (g_unlink (no_tiles), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_missing_tile (void)
{
  g_autofree char *path = fixture ("plain_1.mbtiles");
  g_autoptr(GError) error = NULL;
  g_autoptr(ChronoMbtilesSource) source = chrono_mbtiles_source_new (path, &error);
  const int tiles[][3] = { { 0, 0, 5 }, { 2, 0, 1 }, { -1, 0, 1 } };

  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      Request request;

      request_tile (source, tiles[i][0], tiles[i][1], tiles[i][2], &request);
      g_assert_error (request.error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_NO_TILE);
      g_assert_null (request.bytes);
      g_assert_cmpuint (request.emitted, ==, 0);
      g_clear_error (&request.error);
    }
}

/* A file whose first tile is fine and whose tiles at zoom 8 declare 20000
 * pixels a side: those are not served (never decoded), at once */
static void
test_other_size_tiles_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("chrono-mbtiles-size-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "mixed.mbtiles", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ChronoMbtilesSource) source = NULL;
  guint8 png[33] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 start;
  Request request;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE metadata (name TEXT, value TEXT);"
                                 "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);"
                                 "INSERT INTO metadata VALUES ('format', 'png'), ('minzoom', '0'), ('maxzoom', '8');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)", -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < 2; i++)
    {
      guint side = i == 0 ? 256 : 20000;

      png[16] = side >> 24; png[17] = side >> 16 & 0xff; png[18] = side >> 8 & 0xff; png[19] = side & 0xff;
      png[20] = png[16]; png[21] = png[17]; png[22] = png[18]; png[23] = png[19];
      png[24] = 8; png[25] = 6;
      sqlite3_reset (stmt);
      sqlite3_bind_int (stmt, 1, i == 0 ? 0 : 8);
      sqlite3_bind_int (stmt, 2, i == 0 ? 0 : 160);
      sqlite3_bind_int (stmt, 3, i == 0 ? 0 : 255 - 96);
      sqlite3_bind_blob (stmt, 4, png, sizeof png, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  source = chrono_mbtiles_source_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chrono_mbtiles_source_get_tile_size (source), ==, 256);

  start = g_get_monotonic_time ();
  request_tile (source, 160, 96, 8, &request);
  g_test_message ("refused in %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_error (request.error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_NO_TILE);
  g_assert_nonnull (strstr (request.error->message, "20000×20000"));
  g_assert_null (request.bytes);
  g_clear_error (&request.error);

  g_clear_object (&source);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mbtiles/plain-tiles", test_plain_tiles);
  g_test_add_func ("/mbtiles/jpeg-sniffed", test_jpeg_sniffed);
  g_test_add_func ("/mbtiles/vector-refused", test_vector_refused);
  g_test_add_func ("/mbtiles/corrupt-refused", test_corrupt_refused);
  g_test_add_func ("/mbtiles/invalid-refused", test_invalid_refused);
  g_test_add_func ("/mbtiles/text-refused", test_text_refused);
  g_test_add_func ("/mbtiles/missing-file-refused", test_missing_file_refused);
  g_test_add_func ("/mbtiles/empty-refused", test_empty_refused);
  g_test_add_func ("/mbtiles/hostile-files", test_hostile_files);
  g_test_add_func ("/mbtiles/missing-tile", test_missing_tile);
  g_test_add_func ("/mbtiles/other-size-tiles-refused", test_other_size_tiles_refused);

  return g_test_run ();
}
