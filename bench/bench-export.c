/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Time to export a snapshot of the bundled dataset, split into waiting for
 * the map tiles (the offline basemap draws them in worker threads) and
 * composing plus saving the PNG.
 *
 *   bench-export [RUNS]          1920x1080 and 3840x2160, best of RUNS (5)
 *
 * Each run renders a fresh image on one date of the story: no tile comes
 * from a cache. The first run of the process also pays for loading fonts
 * and the basemap's data, and is shown apart. Run under xvfb-run.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "chrono-application.h"
#include "chrono-dataset.h"
#include "chrono-snapshot.h"

typedef struct
{
  GMainLoop             *loop;
  GdkTexture            *texture;
  ChronoSnapshotTimings  timings;
  GError                *error;
} Run;

static void
on_rendered (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;

  run->texture = chrono_snapshot_render_finish (CHRONO_SNAPSHOT (object), result, &run->timings, &run->error);
  g_main_loop_quit (run->loop);
}

typedef struct
{
  double tiles;
  double compose;
  double save;
  double total;
  guint  n_tiles;
} Times;

static Times
export_once (ChronoSnapshot *snapshot,
             int             width,
             int             height,
             int             scale,
             ChronoDay       day,
             const char     *path)
{
  g_autoptr (ChronoSnapshotOptions) options = chrono_snapshot_options_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  Run run = { loop, NULL, { 0 }, NULL };
  gint64 start, saved;
  Times times;

  options->width = width;
  options->height = height;
  options->scale = scale;
  options->day = day;

  start = g_get_monotonic_time ();
  chrono_snapshot_render_async (snapshot, options, NULL, on_rendered, &run);
  g_main_loop_run (loop);
  if (run.texture == NULL)
    g_error ("render: %s", run.error->message);

  if (!chrono_snapshot_save_png (run.texture, file, &error))
    g_error ("save: %s", error->message);
  saved = g_get_monotonic_time ();
  g_object_unref (run.texture);

  times.tiles = run.timings.tiles_seconds;
  times.compose = run.timings.compose_seconds;
  times.total = (saved - start) / (double) G_USEC_PER_SEC;
  /* Saving is what is left once tiles and composing are counted */
  times.save = times.total - times.tiles - times.compose;
  times.n_tiles = run.timings.n_tiles;

  return times;
}

int
main (int   argc,
      char *argv[])
{
  static const struct { int width, height, scale; } sizes[] = {
    { 1920, 1080, 1 },
    { 3840, 2160, 1 },
    { 1920, 1080, 2 },
  };
  static const char *days[] = { "2020-11-10", "2021-06-01", "2022-12-15", "2023-09-19", "2024-04-17" };
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (ChronoSnapshot) snapshot = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  int runs = argc > 1 ? atoi (argv[1]) : 5;

  /* As the application does at start: the renderer decides how the
   * basemap's tiles are drawn, here as in the window */
  chrono_application_choose_renderer ();
  gtk_init ();

  store = chrono_dataset_open_bundled (&error);
  if (store == NULL)
    g_error ("bundled dataset: %s", error->message);
  snapshot = chrono_snapshot_new (CHRONO_EVENT_SOURCE (store), "en", &error);
  if (snapshot == NULL)
    g_error ("snapshot: %s", error->message);

  dir = g_dir_make_tmp ("bench-export-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "bench.png", NULL);

  g_print ("%-14s %5s %7s %9s %9s %9s %9s\n", "size", "runs", "tiles", "tiles s", "compose s",
           "save s", "comp+save");
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      Times best = { G_MAXDOUBLE, G_MAXDOUBLE, G_MAXDOUBLE, G_MAXDOUBLE, 0 };
      double best_comp_save = G_MAXDOUBLE;
      Times first = { 0 };

      for (int r = 0; r < runs + 1; r++)
        {
          ChronoDay day;
          Times t;

          {
            g_autoptr (ChronoEdtf) edtf = chrono_edtf_parse (days[r % G_N_ELEMENTS (days)], NULL);

            day = chrono_edtf_get_earliest (edtf);
          }
          t = export_once (snapshot, sizes[s].width, sizes[s].height, sizes[s].scale, day, path);
          if (r == 0)
            {
              first = t;
              continue;
            }
          best.tiles = MIN (best.tiles, t.tiles);
          best.compose = MIN (best.compose, t.compose);
          best.save = MIN (best.save, t.save);
          best.total = MIN (best.total, t.total);
          best.n_tiles = t.n_tiles;
          best_comp_save = MIN (best_comp_save, t.compose + t.save);
        }

      {
        g_autofree char *label = g_strdup_printf ("%dx%d@%d", sizes[s].width, sizes[s].height, sizes[s].scale);

        g_print ("%-14s %5s %7u %9.3f %9.3f %9.3f %9.3f   (first run of the size: %.3f / %.3f / %.3f)\n",
                 label, "best", best.n_tiles, best.tiles, best.compose, best.save, best_comp_save,
                 first.tiles, first.compose, first.save);
      }
    }

  g_unlink (path);
  g_rmdir (dir);

  return 0;
}
