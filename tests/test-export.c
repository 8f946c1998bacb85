/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-export"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "chrono-cli.h"
#include "chrono-dataset.h"
#include "chrono-event.h"
#include "chrono-export-dialog.h"
#include "chrono-place.h"
#include "chrono-snapshot.h"
#include "chrono-time-index.h"
#include "chrono-tour-step.h"
#include "test-memory-source.h"
#include "test-run.h"

/*
 * Snapshots and handouts, through the real `chronotope` binary the way a
 * script runs it (under Xvfb: drawing needs a display) and through the API.
 * Images are read back from the PNG files and looked at pixel by pixel.
 */

/* Helpers */

/* Runs chronotope, on the test's display, with @args (NULL-terminated). */
static void
run_chronotope (Run        *run,
                const char *first_arg,
                ...)
{
  va_list ap;

  va_start (ap, first_arg);
  run_binary_valist (run, TRUE, NULL, first_arg, ap);
  va_end (ap);
}

/* The lines of stderr that are ours, not a library's warning about the
 * session bus, which Xvfb runs do not have. */
static guint
count_own_lines (const char *err)
{
  g_auto (GStrv) lines = g_strsplit (err, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "chronotope:"))
      n++;

  return n;
}

static guint
count_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;

  return n;
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

typedef struct
{
  int     width;
  int     height;
  guint8 *data;   /* native-endian ARGB32 premultiplied, stride width * 4 */
} Pixels;

static void
pixels_clear (Pixels *pixels)
{
  g_clear_pointer (&pixels->data, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Pixels, pixels_clear)

static void
load_pixels (Pixels     *pixels,
             const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = gdk_texture_new_from_filename (path, &error);

  g_assert_no_error (error);
  pixels->width = gdk_texture_get_width (texture);
  pixels->height = gdk_texture_get_height (texture);
  pixels->data = g_malloc ((gsize) pixels->width * pixels->height * 4);
  gdk_texture_download (texture, pixels->data, pixels->width * 4);
}

static void
texture_pixels (Pixels     *pixels,
                GdkTexture *texture)
{
  pixels->width = gdk_texture_get_width (texture);
  pixels->height = gdk_texture_get_height (texture);
  pixels->data = g_malloc ((gsize) pixels->width * pixels->height * 4);
  gdk_texture_download (texture, pixels->data, pixels->width * 4);
}

static guint32
pixel_at (const Pixels *pixels,
          int           x,
          int           y)
{
  return ((const guint32 *) (gconstpointer) pixels->data)[(gsize) y * pixels->width + x];
}

/* The part of a landscape snapshot where only the map is: left of the card
 * column, below the title band, above the timeline strip. In fractions. */
#define MAP_X0 0.05
#define MAP_X1 0.60
#define MAP_Y0 0.25
#define MAP_Y1 0.80

static guint
count_map_colours (const Pixels *pixels)
{
  g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);

  for (int y = pixels->height * MAP_Y0; y < pixels->height * MAP_Y1; y++)
    for (int x = pixels->width * MAP_X0; x < pixels->width * MAP_X1; x++)
      g_hash_table_add (colours, GUINT_TO_POINTER (pixel_at (pixels, x, y)));

  return g_hash_table_size (colours);
}

static double
map_difference (const Pixels *a,
                const Pixels *b)
{
  guint differ = 0, total = 0;

  g_assert_cmpint (a->width, ==, b->width);
  g_assert_cmpint (a->height, ==, b->height);

  for (int y = a->height * MAP_Y0; y < a->height * MAP_Y1; y++)
    for (int x = a->width * MAP_X0; x < a->width * MAP_X1; x++)
      {
        total++;
        if (pixel_at (a, x, y) != pixel_at (b, x, y))
          differ++;
      }

  return (double) differ / total;
}

static char *
make_tmp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-export-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* Command line */

static void
test_cli_size_and_map (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "snap.png", NULL);
  g_autofree char *arg = g_strdup_printf ("--export-png=%s", path);
  g_auto (Run) run = { 0 };
  g_auto (Pixels) pixels = { 0 };
  guint colours;

  /* An odd size, so that no default could pass for it */
  run_chronotope (&run, arg, "--date=2023-09-19", "--size=1001x633", NULL);
  if (!run_succeeded (&run))
    g_error ("export failed: %s", run.err);
  g_assert_cmpstr (run.out, ==, "");

  load_pixels (&pixels, path);
  g_assert_cmpint (pixels.width, ==, 1001);
  g_assert_cmpint (pixels.height, ==, 633);

  /* A drawn map has land, water, borders, rivers, labels and their
   * antialiasing: hundreds of colours, where a blank one has one. */
  colours = count_map_colours (&pixels);
  g_test_message ("%u colours in the map area", colours);
  g_assert_cmpuint (colours, >, 200);

  /* Nothing else left in the folder: no temporary file */
  g_assert_cmpuint (count_files (dir), ==, 1);
  remove_tree (dir);
}

static void
test_cli_dates_differ (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path1 = g_build_filename (dir, "a.png", NULL);
  g_autofree char *path2 = g_build_filename (dir, "b.png", NULL);
  g_autofree char *arg1 = g_strdup_printf ("--export-png=%s", path1);
  g_autofree char *arg2 = g_strdup_printf ("--export-png=%s", path2);
  g_auto (Run) run1 = { 0 };
  g_auto (Run) run2 = { 0 };
  g_auto (Pixels) a = { 0 };
  g_auto (Pixels) b = { 0 };
  double difference;

  run_chronotope (&run1, arg1, "--date=2020-11-10", "--size=960x540", NULL);
  run_chronotope (&run2, arg2, "--date=2024-04-17", "--size=960x540", NULL);
  g_assert_true (run_succeeded (&run1));
  g_assert_true (run_succeeded (&run2));

  load_pixels (&a, path1);
  load_pixels (&b, path2);
  difference = map_difference (&a, &b);
  g_test_message ("%.1f %% of the map area differs", difference * 100);
  g_assert_cmpfloat (difference, >, 0.05);

  remove_tree (dir);
}

static void
test_cli_scale (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path1 = g_build_filename (dir, "x1.png", NULL);
  g_autofree char *path2 = g_build_filename (dir, "x2.png", NULL);
  g_autofree char *arg1 = g_strdup_printf ("--export-png=%s", path1);
  g_autofree char *arg2 = g_strdup_printf ("--export-png=%s", path2);
  g_auto (Run) run1 = { 0 };
  g_auto (Run) run2 = { 0 };
  g_auto (Pixels) x1 = { 0 };
  g_auto (Pixels) x2 = { 0 };

  run_chronotope (&run1, arg1, "--date=2022-12-15", "--size=640x360", NULL);
  run_chronotope (&run2, arg2, "--date=2022-12-15", "--size=640x360", "--scale=2", "--style=dark", NULL);
  g_assert_true (run_succeeded (&run1));
  g_assert_true (run_succeeded (&run2));

  load_pixels (&x1, path1);
  load_pixels (&x2, path2);
  g_assert_cmpint (x2.width, ==, 2 * x1.width);
  g_assert_cmpint (x2.height, ==, 2 * x1.height);
  g_assert_cmpint (x2.width, ==, 1280);
  g_assert_cmpint (x2.height, ==, 720);

  /* Drawn at its own resolution: more distinct colours than an enlarged
   * 1x image would have (about as many as the 1x one) */
  g_test_message ("colours: %u at 1x, %u at 2x", count_map_colours (&x1), count_map_colours (&x2));
  g_assert_cmpuint (count_map_colours (&x2), >, 200);

  remove_tree (dir);
}

static void
test_cli_bad_arguments (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "out.png", NULL);
  g_autofree char *arg = g_strdup_printf ("--export-png=%s", path);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "out.png", NULL);
  g_autofree char *missing_arg = g_strdup_printf ("--export-png=%s", missing);
  g_autofree char *folder_arg = g_strdup_printf ("--export-png=%s", dir);
  struct {
    const char *args[4];
    const char *expect;   /* in the message */
  } cases[] = {
    { { arg, "--date=2023-13-45", NULL }, "2023-13-45" },
    { { arg, "--date=2023", NULL }, "2023" },
    { { arg, NULL }, "--date" },
    { { arg, "--date=2023-09-19", "--size=12x", NULL }, "12x" },
    { { arg, "--date=2023-09-19", "--size=20x20", NULL }, "20x20" },
    { { arg, "--date=2023-09-19", "--scale=3", NULL }, "3" },
    { { arg, "--date=2023-09-19", "--style=sepia", NULL }, "sepia" },
    { { arg, "--date=2023-09-19", "--event=no-such-event", NULL }, "no-such-event" },
    { { missing_arg, "--date=2023-09-19", NULL }, "no-such-folder" },
    { { folder_arg, "--date=2023-09-19", NULL }, "folder" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (Run) run = { 0 };

      run_chronotope (&run, cases[i].args[0], cases[i].args[1], cases[i].args[2], cases[i].args[3], NULL);
      g_test_message ("case %u: %s", i, run.err);
      g_assert_false (run_succeeded (&run));
      g_assert_cmpuint (count_own_lines (run.err), ==, 1);
      g_assert_nonnull (strstr (run.err, cases[i].expect));
      g_assert_cmpstr (run.out, ==, "");
      /* Nothing written: the folder is as empty as it was */
      g_assert_cmpuint (count_files (dir), ==, 0);
    }

  remove_tree (dir);
}

/* The events of the small dataset, counted from the store itself. */
typedef struct
{
  gint64  rowid;
  char   *day;
  char   *title;
} Expected;

static int
compare_expected (gconstpointer a,
                  gconstpointer b)
{
  const Expected *x = a, *y = b;
  int c = strcmp (x->day, y->day);

  return c != 0 ? c : strcmp (x->title, y->title);
}

static GArray *
expected_events (ChronoStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) spans = chrono_store_get_spans (store, &error);
  GArray *expected = g_array_new (FALSE, TRUE, sizeof (Expected));

  g_assert_no_error (error);
  for (guint i = 0; i < spans->len; i++)
    {
      ChronoSpan *span = &g_array_index (spans, ChronoSpan, i);
      g_autoptr (ChronoEvent) event = chrono_store_get_event (store, span->id, "en", &error);
      Expected e = { span->id, chrono_day_to_iso (span->lo), g_strdup (chrono_event_get_title (event)) };

      g_assert_no_error (error);
      g_array_append_val (expected, e);
    }
  g_array_sort (expected, compare_expected);

  return expected;
}

/* Splits one line of index.csv (every field quoted). */
static GStrv
split_csv_line (const char *line)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr (GString) field = g_string_new (NULL);
  const char *p = line;

  while (*p != '\0')
    {
      g_assert_cmpint (*p, ==, '"');
      p++;
      g_string_truncate (field, 0);
      for (;; p++)
        {
          g_assert_cmpint (*p, !=, '\0');
          if (p[0] == '"' && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p++;
            }
          else if (p[0] == '"')
            break;
          else
            g_string_append_c (field, *p);
        }
      p++;
      g_strv_builder_add (builder, field->str);
      if (*p == ',')
        p++;
    }

  return g_strv_builder_end (builder);
}

static void
test_cli_handout_per_event (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "handout", NULL);
  g_autofree char *arg = g_strdup_printf ("--export-handout=%s", out);
  g_autofree char *dataset = small_dataset ();
  g_autofree char *dataset_arg = g_strdup_printf ("--dataset=%s", dataset);
  g_autofree char *csv_path = g_build_filename (out, "index.csv", NULL);
  g_autofree char *csv = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GArray) expected = NULL;
  g_autoptr (GArray) found = g_array_new (FALSE, TRUE, sizeof (Expected));
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  g_auto (Run) run = { 0 };
  ChronoStoreCounts counts;
  guint n_rows = 0;

  store = chrono_cli_open_dataset (dataset, &error);
  g_assert_no_error (error);
  g_assert_true (chrono_store_get_counts (store, &counts, &error));
  expected = expected_events (store);
  g_assert_cmpuint (expected->len, ==, counts.events);
  g_assert_cmpuint (counts.events, ==, 5);

  run_chronotope (&run, arg, dataset_arg, "--size=480x270", NULL);
  if (!run_succeeded (&run))
    g_error ("handout failed: %s", run.err);

  /* One image per event, and the two index files */
  g_assert_cmpuint (count_files (out), ==, counts.events + 2);

  g_file_get_contents (csv_path, &csv, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "\"number\",\"file\",\"date\",\"title\",\"citation\"");
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto (GStrv) fields = split_csv_line (lines[i]);
      g_autofree char *number = g_strdup_printf ("%03u", i);
      g_autofree char *name = NULL;
      g_autofree char *png = NULL;
      g_auto (Pixels) pixels = { 0 };
      Expected e = { 0 };

      g_assert_cmpuint (g_strv_length (fields), ==, 5);
      g_assert_cmpstr (fields[0], ==, number);
      name = g_strdup_printf ("%s-%s.png", number, fields[2]);
      g_assert_cmpstr (fields[1], ==, name);
      png = g_build_filename (out, fields[1], NULL);
      load_pixels (&pixels, png);
      g_assert_cmpint (pixels.width, ==, 480);
      g_assert_cmpint (pixels.height, ==, 270);

      e.day = g_strdup (fields[2]);
      e.title = g_strdup (fields[3]);
      g_array_append_val (found, e);
      n_rows++;

      /* Chronological */
      if (i > 1)
        {
          g_auto (GStrv) before = split_csv_line (lines[i - 1]);

          g_assert_cmpstr (before[2], <=, fields[2]);
        }
    }
  g_assert_cmpuint (n_rows, ==, counts.events);

  /* The same dates and titles as the store holds */
  g_array_sort (found, compare_expected);
  for (guint i = 0; i < expected->len; i++)
    {
      g_assert_cmpstr (g_array_index (found, Expected, i).day, ==, g_array_index (expected, Expected, i).day);
      g_assert_cmpstr (g_array_index (found, Expected, i).title, ==, g_array_index (expected, Expected, i).title);
    }

  for (guint i = 0; i < expected->len; i++)
    {
      g_free (g_array_index (expected, Expected, i).day);
      g_free (g_array_index (expected, Expected, i).title);
      g_free (g_array_index (found, Expected, i).day);
      g_free (g_array_index (found, Expected, i).title);
    }

  remove_tree (dir);
}

static void
test_cli_handout_every (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "monthly", NULL);
  g_autofree char *arg = g_strdup_printf ("--export-handout=%s", out);
  g_autofree char *dataset = small_dataset ();
  g_autofree char *dataset_arg = g_strdup_printf ("--dataset=%s", dataset);
  g_autofree char *first = g_build_filename (out, "001-2023-01-31.png", NULL);
  g_autofree char *second = g_build_filename (out, "002-2023-02-28.png", NULL);
  g_autofree char *last = g_build_filename (out, "004-2023-04-30.png", NULL);
  g_auto (Run) run = { 0 };

  /* 31 January to 30 April, monthly: the end of each month, 4 images */
  run_chronotope (&run, arg, dataset_arg, "--size=320x240", "--every=1m", "--from=2023-01-31",
                  "--to=2023-04-30", NULL);
  if (!run_succeeded (&run))
    g_error ("handout failed: %s", run.err);
  g_assert_cmpuint (count_files (out), ==, 4 + 2);
  g_assert_true (g_file_test (first, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (second, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (last, G_FILE_TEST_EXISTS));

  remove_tree (dir);
}

/* API */

static ChronoSnapshot *
open_bundled_snapshot (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_dataset_open_bundled (&error);
  ChronoSnapshot *snapshot;

  g_assert_no_error (error);
  snapshot = chrono_snapshot_new (CHRONO_EVENT_SOURCE (store), "en", &error);
  g_assert_no_error (error);

  return snapshot;
}

typedef struct
{
  GMainLoop             *loop;
  GdkTexture            *texture;
  ChronoSnapshotTimings  timings;
  GError                *error;
  guint                  n_images;
  guint                  progress_calls;
  GCancellable          *cancel_after_first;
} Wait;

static void
on_rendered (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Wait *wait = user_data;

  wait->texture = chrono_snapshot_render_finish (CHRONO_SNAPSHOT (object), result, &wait->timings, &wait->error);
  g_main_loop_quit (wait->loop);
}

static GdkTexture *
render (ChronoSnapshot        *snapshot,
        ChronoSnapshotOptions *options,
        ChronoSnapshotTimings *timings)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop };

  chrono_snapshot_render_async (snapshot, options, NULL, on_rendered, &wait);
  g_main_loop_run (loop);
  g_assert_no_error (wait.error);
  if (timings != NULL)
    *timings = wait.timings;

  return wait.texture;
}

/* A map source that answers some tiles with a plain colour and fails the
 * others, as a corrupt or partial map file would, and records the zoom
 * levels asked for. */
#define TEST_TYPE_PATCHY_SOURCE (test_patchy_source_get_type ())
G_DECLARE_FINAL_TYPE (TestPatchySource, test_patchy_source, TEST, PATCHY_SOURCE, ShumateMapSource)

struct _TestPatchySource
{
  ShumateMapSource  parent_instance;
  gboolean          fail_all;
  guint             max_zoom_asked;
  guint             n_asked;
};

G_DEFINE_FINAL_TYPE (TestPatchySource, test_patchy_source, SHUMATE_TYPE_MAP_SOURCE)

static void
test_patchy_source_fill_tile_async (ShumateMapSource    *source,
                                    ShumateTile         *tile,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  TestPatchySource *self = TEST_PATCHY_SOURCE (source);
  g_autoptr (GTask) task = g_task_new (source, cancellable, callback, user_data);

  self->n_asked++;
  self->max_zoom_asked = MAX (self->max_zoom_asked, shumate_tile_get_zoom_level (tile));

  if (self->fail_all || shumate_tile_get_x (tile) % 2 == 1)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no tile here");
      return;
    }

  {
    guint size = shumate_tile_get_size (tile);
    g_autoptr (GBytes) bytes = NULL;
    g_autoptr (GdkTexture) texture = NULL;
    guint8 *data = g_malloc (size * size * 4);

    /* Opaque green, premultiplied BGRA in memory */
    for (guint i = 0; i < size * size; i++)
      {
        data[4 * i + 0] = 0x20;
        data[4 * i + 1] = 0xa0;
        data[4 * i + 2] = 0x20;
        data[4 * i + 3] = 0xff;
      }
    bytes = g_bytes_new_take (data, size * size * 4);
    texture = gdk_memory_texture_new (size, size, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, size * 4);
    shumate_tile_set_paintable (tile, GDK_PAINTABLE (texture));
    shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
  }
  g_task_return_boolean (task, TRUE);
}

static gboolean
test_patchy_source_fill_tile_finish (ShumateMapSource  *source,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_patchy_source_class_init (TestPatchySourceClass *klass)
{
  ShumateMapSourceClass *source_class = SHUMATE_MAP_SOURCE_CLASS (klass);

  source_class->fill_tile_async = test_patchy_source_fill_tile_async;
  source_class->fill_tile_finish = test_patchy_source_fill_tile_finish;
}

static void
test_patchy_source_init (TestPatchySource *self)
{
}

static TestPatchySource *
test_patchy_source_new (gboolean fail_all)
{
  TestPatchySource *self = g_object_new (TEST_TYPE_PATCHY_SOURCE,
                                         "id", "test-patchy",
                                         "license", "Test tiles",
                                         "min-zoom-level", 0,
                                         "max-zoom-level", 14,
                                         "tile-size", 256,
                                         NULL);

  self->fail_all = fail_all;
  return self;
}

static void
test_missing_tiles_are_opaque (void)
{
  g_autoptr (ChronoSnapshot) snapshot = open_bundled_snapshot ();
  g_autoptr (ChronoSnapshotOptions) options = chrono_snapshot_options_new ();
  g_autoptr (TestPatchySource) patchy = test_patchy_source_new (FALSE);
  g_autoptr (TestPatchySource) failing = test_patchy_source_new (TRUE);
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GdkTexture) blank = NULL;
  g_auto (Pixels) pixels = { 0 };
  g_auto (Pixels) blank_pixels = { 0 };
  ChronoSnapshotTimings timings;
  guint green = 0, background = 0;
  guint32 corner;

  options->width = 800;
  options->height = 450;
  options->day = chrono_day_from_ymd (2023, 9, 19);
  options->include = CHRONO_SNAPSHOT_INCLUDE_NONE;
  chrono_snapshot_options_set_map_source (options, SHUMATE_MAP_SOURCE (patchy));

  /* Half the tiles fail: they are painted as the background, opaque */
  texture = render (snapshot, options, &timings);
  g_assert_cmpuint (timings.n_tiles, >, 4);
  g_assert_cmpuint (timings.n_failed_tiles, >, 0);
  g_assert_cmpuint (timings.n_failed_tiles, <, timings.n_tiles);
  texture_pixels (&pixels, texture);
  for (int y = 0; y < pixels.height; y++)
    for (int x = 0; x < pixels.width; x++)
      {
        guint32 p = pixel_at (&pixels, x, y);

        g_assert_cmphex (p >> 24, ==, 0xff);
        if ((p & 0xffffff) == 0x20a020)
          green++;
        else if ((p & 0xffffff) == 0xf2efe9)   /* the light basemap's land */
          background++;
      }
  g_test_message ("green %u, background %u of %d", green, background, pixels.width * pixels.height);
  g_assert_cmpuint (green, >, pixels.width * pixels.height / 5);
  g_assert_cmpuint (background, >, pixels.width * pixels.height / 5);

  /* Every tile fails: still a whole opaque image (with the attribution) */
  chrono_snapshot_options_set_map_source (options, SHUMATE_MAP_SOURCE (failing));
  blank = render (snapshot, options, &timings);
  g_assert_cmpuint (timings.n_failed_tiles, ==, timings.n_tiles);
  texture_pixels (&blank_pixels, blank);
  for (int y = 0; y < blank_pixels.height; y++)
    for (int x = 0; x < blank_pixels.width; x++)
      g_assert_cmphex (pixel_at (&blank_pixels, x, y) >> 24, ==, 0xff);
  corner = pixel_at (&blank_pixels, 2, 2);
  g_assert_cmphex (corner & 0xffffff, ==, 0xf2efe9);
}

static void
test_scale_requests_finer_tiles (void)
{
  g_autoptr (ChronoSnapshot) snapshot = open_bundled_snapshot ();
  g_autoptr (ChronoSnapshotOptions) options = chrono_snapshot_options_new ();
  g_autoptr (TestPatchySource) at1 = test_patchy_source_new (FALSE);
  g_autoptr (TestPatchySource) at2 = test_patchy_source_new (FALSE);
  g_autoptr (GdkTexture) texture1 = NULL;
  g_autoptr (GdkTexture) texture2 = NULL;

  options->width = 640;
  options->height = 360;
  options->day = chrono_day_from_ymd (2021, 6, 1);
  options->has_view = TRUE;
  options->latitude = 39.8;
  options->longitude = 46.7;
  options->zoom = 7;

  chrono_snapshot_options_set_map_source (options, SHUMATE_MAP_SOURCE (at1));
  texture1 = render (snapshot, options, NULL);
  options->scale = 2;
  chrono_snapshot_options_set_map_source (options, SHUMATE_MAP_SOURCE (at2));
  texture2 = render (snapshot, options, NULL);

  g_assert_cmpint (gdk_texture_get_width (texture2), ==, 2 * gdk_texture_get_width (texture1));
  /* The same view at twice the pixels: tiles one zoom level finer, four
   * times as many, not the 1x tiles enlarged */
  g_assert_cmpuint (at1->max_zoom_asked, ==, 7);
  g_assert_cmpuint (at2->max_zoom_asked, ==, 8);
  g_assert_cmpuint (at2->n_asked, >=, 2 * at1->n_asked);
}

static void
test_bad_options (void)
{
  g_autoptr (ChronoSnapshot) snapshot = open_bundled_snapshot ();
  g_autoptr (ChronoSnapshotOptions) options = chrono_snapshot_options_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop };

  options->day = chrono_day_from_ymd (2021, 6, 1);
  chrono_snapshot_options_set_event_id (options, "not-an-event");
  chrono_snapshot_render_async (snapshot, options, NULL, on_rendered, &wait);
  g_main_loop_run (loop);
  g_assert_null (wait.texture);
  g_assert_error (wait.error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_NO_EVENT);
  g_assert_nonnull (strstr (wait.error->message, "not-an-event"));
  g_clear_error (&wait.error);

  chrono_snapshot_options_set_event_id (options, NULL);
  options->scale = 3;
  chrono_snapshot_render_async (snapshot, options, NULL, on_rendered, &wait);
  g_main_loop_run (loop);
  g_assert_error (wait.error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_INVALID);
  g_clear_error (&wait.error);
}

static void
on_handout_progress (guint    done,
                     guint    total,
                     gpointer user_data)
{
  Wait *wait = user_data;

  wait->progress_calls++;
  g_assert_cmpuint (done, ==, wait->progress_calls);
  if (wait->cancel_after_first != NULL && done == 1)
    g_cancellable_cancel (wait->cancel_after_first);
}

static void
on_handout_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Wait *wait = user_data;

  wait->n_images = chrono_snapshot_export_handout_finish (CHRONO_SNAPSHOT (object), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
test_handout_cancel_cleans_up (void)
{
  g_autoptr (ChronoSnapshot) snapshot = open_bundled_snapshot ();
  g_autoptr (ChronoSnapshotOptions) options = chrono_snapshot_options_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GFile) folder = NULL;
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr (GArray) days = NULL;
  Wait wait = { loop };
  guint planned;

  options->width = 320;
  options->height = 180;
  folder = g_file_new_for_path (dir);

  /* Weekly across 2021: the plan counts the weeks itself */
  planned = chrono_snapshot_plan_handout (snapshot, CHRONO_HANDOUT_EVERY_WEEKS, 1,
                                          chrono_day_from_ymd (2021, 1, 1), chrono_day_from_ymd (2021, 12, 31),
                                          &days, NULL);
  g_assert_cmpuint (planned, ==, 53);
  g_assert_cmpint (g_array_index (days, ChronoDay, 52), ==, chrono_day_from_ymd (2021, 12, 31));

  wait.cancel_after_first = cancellable;
  chrono_snapshot_export_handout_async (snapshot, options, folder, CHRONO_HANDOUT_EVERY_WEEKS, 1,
                                        chrono_day_from_ymd (2021, 1, 1), chrono_day_from_ymd (2021, 12, 31),
                                        cancellable, on_handout_progress, &wait, on_handout_done, &wait);
  g_main_loop_run (loop);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
  g_assert_cmpuint (wait.progress_calls, ==, 1);
  /* The image written before the cancellation is gone again */
  g_assert_cmpuint (count_files (dir), ==, 0);

  remove_tree (dir);
}

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *wait = user_data;

  wait->n_images = chrono_snapshot_save_png_finish (result, &wait->error) ? 1 : 0;
  g_main_loop_quit (wait->loop);
}

static void
test_save_async (void)
{
  g_autoptr (ChronoSnapshot) snapshot = open_bundled_snapshot ();
  g_autoptr (ChronoSnapshotOptions) options = chrono_snapshot_options_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "saved.png", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "missing", "saved.png", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFile) bad_file = g_file_new_for_path (bad_path);
  g_auto (Pixels) pixels = { 0 };
  g_auto (Pixels) saved = { 0 };
  Wait wait = { loop };

  options->width = 500;
  options->height = 300;
  options->scale = 2;
  options->day = chrono_day_from_ymd (2024, 4, 17);
  texture = render (snapshot, options, NULL);

  chrono_snapshot_save_png_async (texture, file, NULL, on_saved, &wait);
  g_main_loop_run (loop);
  g_assert_no_error (wait.error);
  g_assert_cmpuint (wait.n_images, ==, 1);

  /* What is read back is what was drawn, pixel for pixel */
  texture_pixels (&pixels, texture);
  load_pixels (&saved, path);
  g_assert_cmpint (saved.width, ==, 1000);
  g_assert_cmpint (saved.height, ==, 600);
  g_assert_cmpmem (saved.data, saved.width * saved.height * 4, pixels.data, pixels.width * pixels.height * 4);

  chrono_snapshot_save_png_async (texture, bad_file, NULL, on_saved, &wait);
  g_main_loop_run (loop);
  g_assert_error (wait.error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE);
  g_assert_nonnull (strstr (wait.error->message, bad_path));
  g_clear_error (&wait.error);
  g_assert_cmpuint (count_files (dir), ==, 1);

  remove_tree (dir);
}

/* Framing: where a place falls in an image of @options, in logical pixels */
static void
place_in_view (ChronoSnapshot              *snapshot,
               const ChronoSnapshotOptions *options,
               const char                  *place_id,
               double                      *x,
               double                      *y,
               double                      *zoom)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) places = chrono_event_source_get_places (chrono_snapshot_get_source (snapshot), "en", &error);
  double lat, lon, world, cx, cy, px, py, density;
  ChronoPlace *place = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < places->len; i++)
    if (g_str_equal (chrono_place_get_id (g_ptr_array_index (places, i)), place_id))
      place = g_ptr_array_index (places, i);
  g_assert_nonnull (place);

  g_assert_true (chrono_snapshot_get_view (snapshot, options, &lat, &lon, zoom, &error));
  g_assert_no_error (error);

  density = MIN (options->width, options->height) >= 1600 ? 2 : 1;
  world = 256.0 * exp2 (*zoom);
  cx = (lon + 180.0) / 360.0;
  cy = (1.0 - log (tan (lat * G_PI / 180.0) + 1.0 / cos (lat * G_PI / 180.0)) / G_PI) / 2.0;
  px = (chrono_place_get_lon (place) + 180.0) / 360.0;
  py = (1.0 - log (tan (chrono_place_get_lat (place) * G_PI / 180.0) +
                   1.0 / cos (chrono_place_get_lat (place) * G_PI / 180.0)) / G_PI) / 2.0;
  *x = (px - cx) * world + options->width / density / 2;
  *y = (py - cy) * world + options->height / density / 2;
}

/* In the map part of a landscape image, left of the cards (30 %) */
static gboolean
place_is_framed (ChronoSnapshot              *snapshot,
                 const ChronoSnapshotOptions *options,
                 const char                  *place_id)
{
  double x, y, zoom;
  double density = MIN (options->width, options->height) >= 1600 ? 2 : 1;

  place_in_view (snapshot, options, place_id, &x, &y, &zoom);
  g_test_message ("%s at %.0f, %.0f, zoom %.1f", place_id, x, y, zoom);
  return x >= 0 && x <= options->width / density * 0.7 && y >= 0 && y <= options->height / density;
}

static void
test_frame_where_things_happen (void)
{
  g_autoptr (ChronoSnapshot) snapshot = open_bundled_snapshot ();
  g_autoptr (ChronoSnapshotOptions) options = chrono_snapshot_options_new ();
  g_autoptr (GError) error = NULL;
  static const int sizes[][2] = { { 1920, 1080 }, { 960, 540 }, { 320, 180 } };
  double lat, lon, zoom;

  /* Sixteen events in effect: the places of most are in Karabakh, a few in
   * Baku, Yerevan, Moscow and Kyiv. The image shows Karabakh, close enough
   * that the event layer names its places instead of clustering them
   * (it clusters below zoom 8), at every size */
  options->day = chrono_day_from_ymd (2023, 9, 19);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      options->width = sizes[i][0];
      options->height = sizes[i][1];
      g_assert_true (chrono_snapshot_get_view (snapshot, options, &lat, &lon, &zoom, &error));
      g_assert_no_error (error);
      g_test_message ("%dx%d: %.3f, %.3f, zoom %.1f", options->width, options->height, lat, lon, zoom);
      g_assert_cmpfloat (zoom, >=, 8.0);
      g_assert_true (place_is_framed (snapshot, options, "stepanakert"));
      g_assert_true (place_is_framed (snapshot, options, "lachin"));
      if (options->width >= 960)
        g_assert_true (place_is_framed (snapshot, options, "aghdam"));
      g_assert_false (place_is_framed (snapshot, options, "baku"));
      g_assert_false (place_is_framed (snapshot, options, "yerevan"));
      g_assert_false (place_is_framed (snapshot, options, "moscow"));
    }

  /* As close as the window's default view, not a region-wide overview */
  options->width = 1920;
  options->height = 1080;
  g_assert_true (chrono_snapshot_get_view (snapshot, options, &lat, &lon, &zoom, &error));
  g_assert_cmpfloat (zoom, >=, 9.0);

  /* Far places are all there is: they are shown */
  chrono_snapshot_options_set_event_id (options, "lavrov-photo-moscow");
  g_assert_true (place_is_framed (snapshot, options, "moscow"));
  chrono_snapshot_options_set_event_id (options, "peace-talks");
  g_assert_true (place_is_framed (snapshot, options, "baku"));
  g_assert_true (place_is_framed (snapshot, options, "yerevan"));

  /* A country is shown as a country, not as a town */
  chrono_snapshot_options_set_event_id (options, "armenia-turn-west");
  g_assert_true (place_is_framed (snapshot, options, "armenia"));
  g_assert_true (chrono_snapshot_get_view (snapshot, options, &lat, &lon, &zoom, &error));
  g_assert_cmpfloat (zoom, <=, 5.0);
}

/* The mean x of the timeline cursor's pixels on row @y, or -1 */
static double
find_cursor (const Pixels *pixels,
             int           y)
{
  double sum = 0;
  guint n = 0;

  for (int x = 0; x < pixels->width; x++)
    {
      guint32 p = pixel_at (pixels, x, y);
      guint r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

      /* The light style's accent, #c01c28 */
      if (r >= 0xa8 && r <= 0xd8 && g <= 0x48 && b <= 0x58)
        {
          sum += x;
          n++;
        }
    }

  return n > 0 ? sum / n : -1;
}

static void
test_timeline_cursor_at_date (void)
{
  g_autoptr (ChronoSnapshot) snapshot = open_bundled_snapshot ();
  g_autoptr (ChronoSnapshotOptions) options = chrono_snapshot_options_new ();
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GdkTexture) handout = NULL;
  g_auto (Pixels) pixels = { 0 };
  g_auto (Pixels) handout_pixels = { 0 };
  ChronoDay story_first, story_last, first, last, day;
  double x0 = 24, x1 = 1920 - 24, expected, cursor, band_expected;
  int strip_y = 1080 - 84;   /* a strip of 4.2 × the font, 1080 / 54 */
  guint band = 0;

  g_assert_true (chrono_snapshot_get_extent (snapshot, &story_first, &story_last));

  /* An event of the 1990s, on a day in them: the strip reaches back to
   * the 1990s, and the cursor stands at that day, not at the strip's
   * story start (2018) */
  day = chrono_day_from_ymd (1995, 6, 1);
  options->day = day;
  options->include = CHRONO_SNAPSHOT_INCLUDE_TIMELINE;
  chrono_snapshot_options_set_event_id (options, "first-karabakh-war");
  texture = render (snapshot, options, NULL);
  texture_pixels (&pixels, texture);

  first = MIN (story_first, chrono_day_from_ymd (1990, 1, 1));
  last = story_last;
  g_assert_cmpint (first, <, story_first);
  expected = x0 + (x1 - x0) * (double) (day - first) / (last - first);
  cursor = find_cursor (&pixels, strip_y + 3);
  g_test_message ("cursor at %.1f, expected %.1f", cursor, expected);
  g_assert_cmpfloat (fabs (cursor - expected), <, 4);

  /* The handout's image of it, on its first day: the cursor at the start
   * of the 1990s, and their span marked */
  options->day = chrono_day_from_ymd (1990, 1, 1);
  handout = render (snapshot, options, NULL);
  texture_pixels (&handout_pixels, handout);
  cursor = find_cursor (&handout_pixels, strip_y + 3);
  g_test_message ("cursor at %.1f, expected %.1f", cursor, x0);
  g_assert_cmpfloat (fabs (cursor - x0), <, 4);
  for (int x = 0; x < handout_pixels.width; x++)
    {
      guint32 p = pixel_at (&handout_pixels, x, strip_y + 14);
      guint r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

      /* The accent at 15 % over white */
      if (r >= 238 && g >= 210 && g <= 232 && b >= 210 && b <= 234 && r > g + 12)
        band++;
    }
  band_expected = (x1 - x0) * (double) (chrono_day_from_ymd (1999, 12, 31) - first) / (last - first);
  g_test_message ("band of %u pixels, expected %.0f", band, band_expected);
  g_assert_cmpfloat (band, >, band_expected * 0.8);
  g_assert_cmpfloat (band, <, band_expected * 1.1);
}

/* The dataset read into memory, answering the views' questions by looking
 * at every event (a second backend behind ChronoEventSource): its snapshot
 * is the store's, pixel for pixel */
static void
test_second_backend (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_dataset_open_bundled (&error);
  g_autoptr (TestMemorySource) memory = NULL;
  g_autoptr (ChronoSnapshot) from_store = NULL;
  g_autoptr (ChronoSnapshot) from_memory = NULL;
  g_autoptr (ChronoSnapshotOptions) options = chrono_snapshot_options_new ();
  g_autoptr (GdkTexture) a = NULL;
  g_autoptr (GdkTexture) b = NULL;
  g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);
  g_auto (Pixels) pa = { 0 };
  g_auto (Pixels) pb = { 0 };

  g_assert_no_error (error);
  memory = test_memory_source_new_copy (CHRONO_EVENT_SOURCE (store), "en", &error);
  g_assert_no_error (error);
  from_store = chrono_snapshot_new (CHRONO_EVENT_SOURCE (store), "en", &error);
  g_assert_no_error (error);
  from_memory = chrono_snapshot_new (CHRONO_EVENT_SOURCE (memory), "en", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chrono_snapshot_get_title (from_memory), ==, chrono_snapshot_get_title (from_store));

  options->width = 960;
  options->height = 540;
  options->day = chrono_day_from_ymd (2023, 9, 20);
  chrono_snapshot_options_set_event_id (options, "september-2023-offensive");
  a = render (from_store, options, NULL);
  b = render (from_memory, options, NULL);
  texture_pixels (&pa, a);
  texture_pixels (&pb, b);

  g_assert_cmpint (pa.width, ==, pb.width);
  g_assert_cmpint (pa.height, ==, pb.height);
  for (int y = 0; y < pa.height; y += 2)
    for (int x = 0; x < pa.width; x += 2)
      g_hash_table_add (colours, GUINT_TO_POINTER (pixel_at (&pa, x, y)));
  g_test_message ("%u colours", g_hash_table_size (colours));
  g_assert_cmpuint (g_hash_table_size (colours), >, 200);
  g_assert_true (memcmp (pa.data, pb.data, (gsize) pa.width * pa.height * 4) == 0);
}

static void
test_handout_tour (void)
{
  g_autoptr (ChronoSnapshot) snapshot = open_bundled_snapshot ();
  g_autoptr (ChronoSnapshotOptions) options = chrono_snapshot_options_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GPtrArray) tour = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) folder = NULL;
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *csv_path = g_build_filename (dir, "index.csv", NULL);
  g_autofree char *csv = NULL;
  g_auto (GStrv) lines = NULL;
  Wait wait = { loop };
  guint n;

  tour = chrono_event_source_get_tour (chrono_snapshot_get_source (snapshot), "en", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tour->len, >, 3);
  g_assert_cmpuint (chrono_snapshot_get_n_tour_steps (snapshot), ==, tour->len);
  n = chrono_snapshot_plan_handout (snapshot, CHRONO_HANDOUT_TOUR, 1, CHRONO_DAY_NEGATIVE_INFINITY,
                                    CHRONO_DAY_POSITIVE_INFINITY, NULL, NULL);
  g_assert_cmpuint (n, ==, tour->len);

  options->width = 480;
  options->height = 270;
  folder = g_file_new_for_path (dir);
  chrono_snapshot_export_handout_async (snapshot, options, folder, CHRONO_HANDOUT_TOUR, 1,
                                        CHRONO_DAY_NEGATIVE_INFINITY, CHRONO_DAY_POSITIVE_INFINITY,
                                        NULL, NULL, NULL, on_handout_done, &wait);
  g_main_loop_run (loop);
  g_assert_no_error (wait.error);
  g_assert_cmpuint (wait.n_images, ==, tour->len);
  g_assert_cmpuint (count_files (dir), ==, tour->len + 2);

  /* One image per step, in the tour's order, each with its step's own
   * title and date */
  g_file_get_contents (csv_path, &csv, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (csv, "\n", -1);
  for (guint i = 0; i < tour->len; i++)
    {
      ChronoTourStep *step = g_ptr_array_index (tour, i);
      g_auto (GStrv) fields = split_csv_line (lines[i + 1]);
      g_autofree char *iso = chrono_day_to_iso (chrono_tour_step_get_day (step));

      g_assert_nonnull (chrono_tour_step_get_title (step));
      g_assert_cmpstr (fields[2], ==, iso);
      g_assert_cmpstr (fields[3], ==, chrono_tour_step_get_title (step));
    }

  remove_tree (dir);
}

/* memmem(): PDF files hold bytes 0 among their text, where g_strstr_len()
 * would stop. */
static const char *
find_bytes (const char *haystack,
            gsize       length,
            const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (haystack[i] == needle[0] && memcmp (haystack + i, needle, n) == 0)
      return haystack + i;

  return NULL;
}

/* The next operator @op of a content stream, between white space */
static const char *
find_operator (const char *p,
               const char *end,
               const char *op)
{
  g_autofree char *needle = g_strconcat (op, "\n", NULL);

  while ((p = find_bytes (p, end - p, needle)) != NULL)
    {
      if (g_ascii_isspace (p[-1]))
        return p;
      p++;
    }

  return NULL;
}

/* The text of a PDF written uncompressed (CAIRO_DEBUG_PDF): whether @word
 * is drawn as text, that is, as glyphs of a font whose ToUnicode map says
 * they are these letters, in a text object's strings. */
static gboolean
pdf_shows_word (const char *pdf,
                gsize       length,
                const char *word)
{
  g_autoptr (GString) strings = g_string_new (NULL);
  g_autoptr (GRegex) pair = g_regex_new ("<([0-9a-fA-F]+)>\\s*<([0-9a-fA-F]{4})>", 0, 0, NULL);
  const char *p = pdf, *end = pdf + length;

  /* Every text object's strings, one after the other */
  while ((p = find_operator (p, end, "BT")) != NULL)
    {
      const char *et = find_operator (p, end, "ET");

      if (et == NULL)
        break;
      /* Strings are (literal), with \ escapes, or <hex> */
      for (const char *c = p; c < et; c++)
        {
          if (*c == '(')
            {
              for (c++; c < et && *c != ')'; c++)
                {
                  guint byte = (guchar) *c;

                  if (*c == '\\' && c + 1 < et)
                    {
                      c++;
                      if (*c >= '0' && *c <= '7')
                        {
                          byte = 0;
                          for (int k = 0; k < 3 && c < et && *c >= '0' && *c <= '7'; k++, c++)
                            byte = byte * 8 + (*c - '0');
                          c--;
                        }
                      else
                        byte = (guchar) (*c == 'n' ? '\n' : *c == 'r' ? '\r' : *c == 't' ? '\t' : *c);
                    }
                  g_string_append_printf (strings, "%02x", byte);
                }
            }
          else if (*c == '<' && c + 1 < et && c[1] != '<')
            {
              for (c++; c < et && *c != '>'; c++)
                if (g_ascii_isxdigit (*c))
                  g_string_append_c (strings, *c);
            }
        }
      g_string_append_c (strings, '|');
      p = et;
    }
  g_string_ascii_down (strings);

  /* Each ToUnicode map: the codes of the word's letters in that font */
  p = pdf;
  while ((p = find_bytes (p, end - p, "beginbfchar")) != NULL)
    {
      const char *stop = find_bytes (p, end - p, "endcmap");
      g_autofree char *cmap = g_strndup (p, (stop != NULL ? stop : end) - p);
      g_autoptr (GHashTable) codes = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      g_autoptr (GMatchInfo) match = NULL;
      g_autoptr (GString) encoded = g_string_new (NULL);
      gboolean complete = TRUE;

      g_regex_match (pair, cmap, 0, &match);
      while (g_match_info_matches (match))
        {
          g_autofree char *code = g_match_info_fetch (match, 1);
          g_autofree char *unicode = g_match_info_fetch (match, 2);

          g_hash_table_insert (codes, GUINT_TO_POINTER (g_ascii_strtoull (unicode, NULL, 16)),
                               g_ascii_strdown (code, -1));
          g_match_info_next (match, NULL);
        }
      for (const char *c = word; *c != '\0'; c = g_utf8_next_char (c))
        {
          const char *code = g_hash_table_lookup (codes, GUINT_TO_POINTER (g_utf8_get_char (c)));

          if (code == NULL)
            {
              complete = FALSE;
              break;
            }
          g_string_append (encoded, code);
        }
      if (complete && strstr (strings->str, encoded->str) != NULL)
        return TRUE;
      p += strlen ("beginbfchar");
    }

  return FALSE;
}

static guint
count_pdf_pages (const char *pdf,
                 gsize       length)
{
  const char *p = pdf, *end = pdf + length;
  guint n = 0;

  /* "/Type /Page" and not "/Type /Pages" */
  while ((p = find_bytes (p, end - p, "/Type /Page")) != NULL)
    {
      p += strlen ("/Type /Page");
      if (p < end && *p != 's')
        n++;
    }

  return n;
}

static void
test_cli_handout_pdf (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "handout.pdf", NULL);
  g_autofree char *arg = g_strdup_printf ("--export-handout=%s", out);
  g_autofree char *dataset = small_dataset ();
  g_autofree char *dataset_arg = g_strdup_printf ("--dataset=%s", dataset);
  g_autofree char *pdf = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (Run) run = { 0 };
  gsize length;

  /* Uncompressed, so that the test can read the text */
  g_setenv ("CAIRO_DEBUG_PDF", "1", TRUE);
  run_chronotope (&run, arg, dataset_arg, "--size=640x360", NULL);
  g_unsetenv ("CAIRO_DEBUG_PDF");
  if (!run_succeeded (&run))
    g_error ("handout failed: %s", run.err);

  /* One file, no folder of images, no temporary file left */
  g_assert_cmpuint (count_files (dir), ==, 1);
  g_file_get_contents (out, &pdf, &length, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));

  /* A page per event (5), and the index */
  g_assert_cmpuint (count_pdf_pages (pdf, length), ==, 5 + 1);

  /* Titles are text, in a font, not pixels of an image */
  g_assert_true (pdf_shows_word (pdf, length, "Statement"));
  g_assert_true (pdf_shows_word (pdf, length, "Earlier"));
  g_assert_false (pdf_shows_word (pdf, length, "Zanzibar"));

  remove_tree (dir);
}

static void
test_cli_handout_tour (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "tour", NULL);
  g_autofree char *arg = g_strdup_printf ("--export-handout=%s", out);
  g_autoptr (ChronoSnapshot) snapshot = open_bundled_snapshot ();
  g_auto (Run) run = { 0 };
  g_auto (Run) bad = { 0 };

  run_chronotope (&run, arg, "--tour", "--size=320x180", NULL);
  if (!run_succeeded (&run))
    g_error ("handout failed: %s", run.err);
  g_assert_cmpuint (count_files (out), ==, chrono_snapshot_get_n_tour_steps (snapshot) + 2);

  run_chronotope (&bad, arg, "--tour", "--every=1m", NULL);
  g_assert_false (run_succeeded (&bad));
  g_assert_cmpuint (count_own_lines (bad.err), ==, 1);
  g_assert_nonnull (strstr (bad.err, "--tour"));

  remove_tree (dir);
}

static void
on_dialog_finished (ChronoHandoutDialog *dialog,
                    const char          *text,
                    gpointer             user_data)
{
  char **finished = user_data;

  *finished = g_strdup (text);
}

static gboolean
on_wake (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
test_handout_dialog_tour_pdf (void)
{
  g_autoptr (ChronoSnapshot) snapshot = open_bundled_snapshot ();
  g_autoptr (ChronoSnapshotOptions) options = chrono_snapshot_options_new ();
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "tour.pdf", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *finished = NULL;
  g_autofree char *pdf = NULL;
  g_autoptr (GError) error = NULL;
  ChronoHandoutDialog *dialog;
  gint64 until = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, on_wake, NULL);
  guint n_steps = chrono_snapshot_get_n_tour_steps (snapshot);
  gsize length;

  /* The tour's steps, as one PDF, chosen in the dialog (at its size,
   * Full HD, whose last page holds the index of some fifteen images) */
  dialog = g_object_ref (chrono_handout_dialog_new (NULL, snapshot, options));
  g_signal_connect (dialog, "finished", G_CALLBACK (on_dialog_finished), &finished);
  chrono_handout_dialog_select (dialog, CHRONO_HANDOUT_TOUR, 1, TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
  chrono_handout_dialog_export (dialog, file);
  while (finished == NULL && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  g_assert_nonnull (finished);
  g_test_message ("%s", finished);

  g_file_get_contents (path, &pdf, &length, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
  g_assert_cmpuint (count_pdf_pages (pdf, length), ==, n_steps + 1);
  g_assert_cmpuint (count_files (dir), ==, 1);

  g_object_unref (dialog);
  remove_tree (dir);
}

/* --basemap=FILE.mbtiles */

static char *
fixture_path (const char *folder,
              const char *name)
{
  return g_build_filename (g_getenv ("CHRONO_FIXTURES_DIR"), folder, name, NULL);
}

/* The largest resident size of any child process run so far, in KiB */
static glong
children_max_rss (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_CHILDREN, &usage), ==, 0);
  return usage.ru_maxrss;
}

/* Mean difference of the colour channels in the map area, 0 to 255 */
static double
map_mean_difference (const Pixels *a,
                     const Pixels *b)
{
  double sum = 0;
  guint total = 0;

  g_assert_cmpint (a->width, ==, b->width);
  g_assert_cmpint (a->height, ==, b->height);

  for (int y = a->height * MAP_Y0; y < a->height * MAP_Y1; y++)
    for (int x = a->width * MAP_X0; x < a->width * MAP_X1; x++)
      {
        guint32 p = pixel_at (a, x, y), q = pixel_at (b, x, y);

        for (guint shift = 0; shift < 24; shift += 8)
          sum += ABS ((int) ((p >> shift) & 0xff) - (int) ((q >> shift) & 0xff));
        total += 3;
      }

  return sum / total;
}

/* An MBTiles file that cannot serve the image: a bomb whose first tile
 * declares 20000 or 60000 pixels a side, tiles of 1 or 4096 pixels, no
 * tile where the image is, not an MBTiles file, vector tiles, a damaged
 * database. Each gives one line naming the file, exit status 1 and no file,
 * quickly and without decoding the tile. */
static void
basemap_refused (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "out.png", NULL);
  g_autofree char *arg = g_strdup_printf ("--export-png=%s", path);
  g_autofree char *not_sqlite = small_dataset ();
  g_autofree char *missing = g_build_filename (dir, "missing.mbtiles", NULL);
  struct {
    char *path;
    const char *expect;   /* in the message, beside the file's name */
  } cases[] = {
    { fixture_path ("hostile", "bomb-20000px.mbtiles"), "20000" },
    { fixture_path ("hostile", "bomb-60000px.mbtiles"), "60000" },
    { fixture_path ("hostile", "tile-1px.mbtiles"), "1×1" },
    { fixture_path ("hostile", "tile-4096px.mbtiles"), "4096" },
    { fixture_path ("hostile", "zoom-negative-rows.mbtiles"), "no tile" },
    { fixture_path ("mbtiles", "one_tile.mbtiles"), "no tile" },
    { fixture_path ("mbtiles", "corrupt.mbtiles"), "damaged" },
    { fixture_path ("mbtiles", "invalid.mbtiles"), "not an MBTiles file" },
    { fixture_path ("mbtiles", "world_cities.mbtiles"), "vector" },
    { g_strdup (not_sqlite), "not an SQLite database" },
    { g_strdup (missing), "no such file" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *basemap = g_strdup_printf ("--basemap=%s", cases[i].path);
      g_autofree char *name = g_path_get_basename (cases[i].path);
      g_auto (Run) run = { 0 };
      gint64 start = g_get_monotonic_time ();
      double seconds;
      glong rss;

      run_chronotope (&run, arg, "--date=2023-09-19", "--size=800x500", basemap, NULL);
      seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      rss = children_max_rss ();
      g_test_message ("%s: %.2f s, children's peak %ld KiB: %s", name, seconds, rss, run.err);

      g_assert_true (WIFEXITED (run.status));
      g_assert_cmpint (WEXITSTATUS (run.status), ==, 1);
      g_assert_cmpuint (count_own_lines (run.err), ==, 1);
      g_assert_nonnull (strstr (run.err, "chronotope: --basemap: "));
      g_assert_nonnull (strstr (run.err, name));
      g_assert_nonnull (strstr (run.err, cases[i].expect));
      g_assert_cmpstr (run.out, ==, "");
      g_assert_cmpuint (count_files (dir), ==, 0);
      /* A generous bound: the bombs took minutes and gigabytes decoded */
      g_assert_cmpfloat (seconds, <, 20);
      g_assert_cmpint (rss, <, 1024 * 1024);
      g_free (cases[i].path);
    }

  remove_tree (dir);
}

/* In a process of its own, whose children are only these: the peak memory
 * of the children is then theirs, not that of an earlier test's export */
static void
test_cli_basemap_refused (void)
{
  if (g_test_subprocess ())
    {
      basemap_refused ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Odd files that do serve an image: zoom levels in the metadata that make
 * no sense (the tiles' own are used) and an attribution written in markup,
 * which the image shows as text. */
static void
test_cli_basemap_odd_but_usable (void)
{
  const char *names[] = { "zoom-huge.mbtiles", "zoom-minmax.mbtiles", "markup.mbtiles" };
  g_autofree char *dir = make_tmp_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *mbtiles = fixture_path ("hostile", names[i]);
      g_autofree char *basemap = g_strdup_printf ("--basemap=%s", mbtiles);
      g_autofree char *path = g_build_filename (dir, "out.png", NULL);
      g_autofree char *arg = g_strdup_printf ("--export-png=%s", path);
      g_auto (Run) run = { 0 };
      g_auto (Pixels) pixels = { 0 };
      gint64 start = g_get_monotonic_time ();
      double seconds;

      run_chronotope (&run, arg, "--date=2023-09-19", "--size=640x400", basemap, NULL);
      seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      g_test_message ("%s: %.2f s: %s", names[i], seconds, run.err);
      if (!run_succeeded (&run))
        g_error ("export over %s failed: %s", names[i], run.err);
      g_assert_cmpuint (count_own_lines (run.err), ==, 0);
      load_pixels (&pixels, path);
      g_assert_cmpint (pixels.width, ==, 640);
      g_assert_cmpfloat (seconds, <, 20);
      g_unlink (path);
    }

  remove_tree (dir);
}

/* A good MBTiles file: the map's pixels are its tiles' (the same with its
 * PNG and its JPEG edition), not the offline basemap's. */
static void
test_cli_basemap_draws_tiles (void)
{
  g_autofree char *dir = make_tmp_dir ();
  const char *kinds[] = { "offline", "png", "jpg" };
  Pixels images[G_N_ELEMENTS (kinds)] = { { 0 } };
  double png_offline, png_jpg;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s.png", dir, kinds[i]);
      g_autofree char *arg = g_strdup_printf ("--export-png=%s", path);
      g_autofree char *name = g_strdup_printf ("geography-class-%s.mbtiles", kinds[i]);
      g_autofree char *mbtiles = fixture_path ("mbtiles", name);
      g_autofree char *basemap = g_strdup_printf ("--basemap=%s", mbtiles);
      g_auto (Run) run = { 0 };

      run_chronotope (&run, arg, "--date=2023-09-19", "--size=960x540",
                      i == 0 ? NULL : basemap, NULL);
      if (!run_succeeded (&run))
        g_error ("export %s failed: %s", kinds[i], run.err);
      load_pixels (&images[i], path);
    }

  png_offline = map_mean_difference (&images[1], &images[0]);
  png_jpg = map_mean_difference (&images[1], &images[2]);
  g_test_message ("mean difference: png/offline %.1f, png/jpg %.1f", png_offline, png_jpg);
  g_assert_cmpfloat (map_difference (&images[1], &images[0]), >, 0.5);
  g_assert_cmpfloat (png_offline, >, 20);
  /* JPEG compression and the labels drawn over it differ a little */
  g_assert_cmpfloat (png_jpg, <, 15);
  g_assert_cmpfloat (png_jpg * 4, <, png_offline);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    pixels_clear (&images[i]);
  remove_tree (dir);
}

/* Texts 10 MB long */

/* A dataset whose title, place name, source title, and one event's title,
 * summary and quote are each 10 MB long, written to a file and read as
 * `--dataset` reads one */
static ChronoStore *
open_huge_dataset (void)
{
  g_autoptr (GString) huge = g_string_sized_new (10 * 1024 * 1024 + 16);
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "huge.json", NULL);
  g_autofree char *json = NULL;

  while (huge->len < 10 * 1024 * 1024)
    g_string_append (huge, "Ceasefire ");
  json = g_strdup_printf ("{ \"format\": \"chronotope-dataset\", \"version\": 1, \"id\": \"huge\","
                          "  \"title\": { \"en\": \"%s\" },"
                          "  \"sources\": [ { \"id\": \"s1\", \"title\": \"%s\", \"outlet\": \"%s\" } ],"
                          "  \"places\": [ { \"id\": \"huge-place\", \"kind\": \"city\","
                          "                  \"lat\": 39.8153, \"lon\": 46.7517,"
                          "                  \"names\": [ { \"lang\": \"en\", \"name\": \"%s\", \"usage\": \"common\" } ] } ],"
                          "  \"events\": [ { \"id\": \"huge-event\", \"start\": \"2020-11-10\", \"end\": \"2021-11-10\","
                          "                  \"category\": \"military\", \"importance\": 3,"
                          "                  \"text\": { \"en\": { \"title\": \"%s\", \"summary\": \"%s\" } },"
                          "                  \"places\": [ { \"place\": \"huge-place\", \"role\": \"location\" } ],"
                          "                  \"excerpts\": [ { \"id\": \"x1\", \"source\": \"s1\", \"lang\": \"en\","
                          "                                    \"quote\": \"%s\" } ], \"claims\": [] } ] }",
                          huge->str, huge->str, huge->str, huge->str, huge->str, huge->str, huge->str);
  g_assert_true (g_file_set_contents (path, json, -1, &error));
  g_assert_no_error (error);
  store = chrono_cli_open_dataset (path, &error);
  g_assert_no_error (error);
  remove_tree (dir);

  return g_steal_pointer (&store);
}

/* A snapshot and a handout of a dataset whose texts are 10 MB long: drawn
 * in moments (the window took minutes and most of a gigabyte laying such a
 * title out), while index.csv, which is data, keeps the title whole. */
static void
test_huge_texts (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = open_huge_dataset ();
  g_autoptr (ChronoSnapshot) snapshot = chrono_snapshot_new (CHRONO_EVENT_SOURCE (store), "en", &error);
  g_autoptr (ChronoSnapshotOptions) options = chrono_snapshot_options_new ();
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GFile) folder = NULL;
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *csv_path = g_build_filename (dir, "index.csv", NULL);
  g_autofree char *csv = NULL;
  g_auto (Pixels) pixels = { 0 };
  Wait wait = { loop };
  gint64 start;
  double seconds;
  gsize csv_length;
  guint card_ink = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (chrono_snapshot_get_title (snapshot)), >=, 10 * 1024 * 1024);
  options->width = 1280;
  options->height = 720;
  options->day = chrono_day_from_ymd (2020, 11, 10);

  start = g_get_monotonic_time ();
  texture = render (snapshot, options, NULL);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("snapshot drawn in %.3f s", seconds);
  g_assert_cmpfloat (seconds, <, 20);
  texture_pixels (&pixels, texture);
  g_assert_cmpint (pixels.width, ==, 1280);

  /* The card column holds the start of the title, summary and quote: ink
   * in its upper part, the text cut rather than missing */
  for (int y = 0; y < pixels.height / 2; y++)
    for (int x = pixels.width * 0.72; x < pixels.width; x++)
      {
        guint32 p = pixel_at (&pixels, x, y);

        if (((p >> 16) & 0xff) < 100 && ((p >> 8) & 0xff) < 100 && (p & 0xff) < 100)
          card_ink++;
      }
  g_test_message ("%u dark pixels in the card column", card_ink);
  g_assert_cmpuint (card_ink, >, 500);

  start = g_get_monotonic_time ();
  folder = g_file_new_for_path (dir);
  options->width = 640;
  options->height = 360;
  chrono_snapshot_export_handout_async (snapshot, options, folder, CHRONO_HANDOUT_PER_EVENT, 1,
                                        CHRONO_DAY_NEGATIVE_INFINITY, CHRONO_DAY_POSITIVE_INFINITY,
                                        NULL, NULL, NULL, on_handout_done, &wait);
  g_main_loop_run (loop);
  g_assert_no_error (wait.error);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("handout written in %.3f s", seconds);
  g_assert_cmpuint (wait.n_images, ==, 1);
  g_assert_cmpfloat (seconds, <, 20);

  g_assert_true (g_file_get_contents (csv_path, &csv, &csv_length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (csv_length, >, 10 * 1024 * 1024);

  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  static const char *user_dirs[] = { "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME" };
  g_autofree char *home = NULL;
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "en", TRUE);
  /* No accessibility bus: its warning would be fatal in a test */
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* Own user folders for the dataset cache of this process and of the
   * spawned ones. Not G_TEST_OPTION_ISOLATE_DIRS: it empties XDG_DATA_DIRS,
   * and without the MIME database gdk-pixbuf cannot tell a PNG tile. */
  home = make_tmp_dir ();
  for (guint i = 0; i < G_N_ELEMENTS (user_dirs); i++)
    {
      g_autofree char *path = g_build_filename (home, user_dirs[i] + strlen ("XDG_"), NULL);

      g_mkdir_with_parents (path, 0700);
      g_setenv (user_dirs[i], path, TRUE);
    }
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/export/cli/size-and-map", test_cli_size_and_map);
  g_test_add_func ("/export/cli/dates-differ", test_cli_dates_differ);
  g_test_add_func ("/export/cli/scale", test_cli_scale);
  g_test_add_func ("/export/cli/bad-arguments", test_cli_bad_arguments);
  g_test_add_func ("/export/cli/basemap-refused", test_cli_basemap_refused);
  g_test_add_func ("/export/cli/basemap-odd-but-usable", test_cli_basemap_odd_but_usable);
  g_test_add_func ("/export/cli/basemap-draws-tiles", test_cli_basemap_draws_tiles);
  g_test_add_func ("/export/huge-texts", test_huge_texts);
  g_test_add_func ("/export/cli/handout-per-event", test_cli_handout_per_event);
  g_test_add_func ("/export/cli/handout-every", test_cli_handout_every);
  g_test_add_func ("/export/missing-tiles-are-opaque", test_missing_tiles_are_opaque);
  g_test_add_func ("/export/scale-requests-finer-tiles", test_scale_requests_finer_tiles);
  g_test_add_func ("/export/bad-options", test_bad_options);
  g_test_add_func ("/export/handout-cancel-cleans-up", test_handout_cancel_cleans_up);
  g_test_add_func ("/export/save-async", test_save_async);
  g_test_add_func ("/export/frame-where-things-happen", test_frame_where_things_happen);
  g_test_add_func ("/export/timeline-cursor-at-date", test_timeline_cursor_at_date);
  g_test_add_func ("/export/handout-tour", test_handout_tour);
  g_test_add_func ("/export/second-backend", test_second_backend);
  g_test_add_func ("/export/cli/handout-pdf", test_cli_handout_pdf);
  g_test_add_func ("/export/cli/handout-tour", test_cli_handout_tour);
  g_test_add_func ("/export/handout-dialog-tour-pdf", test_handout_dialog_tour_pdf);

  status = g_test_run ();
  remove_tree (home);

  return status;
}
