/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Frame times while scrubbing the timeline across its whole range.
 *
 *   bench-window                 the real window with the bundled dataset; also
 *                                prints the time from start to its first frame
 *   bench-window --synthetic N   the same window, having opened a dataset of N
 *                                generated events at 2,000 places
 *
 * A frame's time runs from the tick that moves the date to the end of the paint
 * that shows it. Run under xvfb-run. The renderer is the application's choice
 * (chrono_application_choose_renderer ()); GSK_RENDERER overrides it.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <shumate/shumate.h>

#include "bench-common.h"
#include "chrono-application.h"
#include "chrono-basemap-map-source.h"
#include "chrono-basemap-source.h"
#include "chrono-dataset.h"
#include "chrono-event.h"
#include "chrono-event-layer.h"
#include "chrono-store.h"
#include "chrono-time-index.h"
#include "chrono-timeline.h"
#include "chrono-window.h"

#define N_FRAMES 300

typedef struct
{
  GtkWidget       *window;
  ChronoTimeline  *timeline;
  GdkFrameClock   *clock;
  ChronoDay        first, last;
  int              frame;
  gint64           moved_at;
  GArray          *times;      /* double, ms */
  gint64           start;
  double           first_frame_ms;
  gboolean         done;

} Bench;

static void
on_after_paint (GdkFrameClock *clock,
                Bench         *bench)
{
  if (bench->first_frame_ms == 0)
    bench->first_frame_ms = (g_get_monotonic_time () - bench->start) / 1000.0;

  if (bench->moved_at != 0)
    {
      double ms = (g_get_monotonic_time () - bench->moved_at) / 1000.0;

      g_array_append_val (bench->times, ms);
      bench->moved_at = 0;
    }
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Bench *bench = user_data;

  if (bench->clock == NULL)
    {
      bench->clock = clock;
      g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), bench);
    }

  /* Let the first frames and the first tiles settle before measuring. */
  if (bench->frame < 30)
    {
      bench->frame++;
      return G_SOURCE_CONTINUE;
    }

  if (bench->frame >= 30 + N_FRAMES)
    {
      bench->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  bench->moved_at = g_get_monotonic_time ();
  chrono_timeline_set_day (bench->timeline,
                           bench->first + (bench->last - bench->first) * (bench->frame - 30) / N_FRAMES);
  bench->frame++;

  return G_SOURCE_CONTINUE;
}

static GBytes *
synthetic_dataset (guint n_events)
{
  GString *json = g_string_new ("{\"format\":\"chronotope-dataset\",\"version\":1,\"id\":\"synthetic\","
                                "\"title\":{\"en\":\"Synthetic\"},"
                                "\"sources\":[{\"id\":\"s\",\"title\":\"Synthetic source\"}],\"places\":[");
  GRand *rand = g_rand_new_with_seed (20201110);
  const char *categories[] = { "military", "diplomatic", "humanitarian", "political", "legal", "context" };

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (json, "%s{\"id\":\"p%u\",\"kind\":\"town\",\"lat\":%.4f,\"lon\":%.4f,"
                            "\"names\":[{\"lang\":\"en\",\"name\":\"Place %u\",\"usage\":\"common\"}]}",
                            i ? "," : "", i, g_rand_double_range (rand, 38.5, 41.5),
                            g_rand_double_range (rand, 44.0, 49.5), i);
  g_string_append (json, "],\"events\":[");

  for (guint i = 0; i < n_events; i++)
    {
      ChronoDay start = chrono_day_from_ymd (1995, 1, 1) + g_rand_int_range (rand, 0, 30 * 365);
      ChronoDay end = start + (g_rand_int_range (rand, 0, 100) < 55 ? 0 : g_rand_int_range (rand, 1, 120));
      g_autofree char *s = chrono_day_to_iso (start);
      g_autofree char *e = chrono_day_to_iso (end);

      g_string_append_printf (json, "%s{\"id\":\"e%u\",\"start\":\"%s\",\"end\":\"%s\",\"category\":\"%s\","
                              "\"importance\":%d,\"text\":{\"en\":{\"title\":\"Event %u\",\"summary\":\"\"}},"
                              "\"places\":[{\"place\":\"p%u\",\"role\":\"location\"}],"
                              "\"excerpts\":[{\"id\":\"x%u\",\"source\":\"s\",\"lang\":\"en\",\"quote\":\"q\"}]}",
                              i ? "," : "", i, s, e, categories[i % 6], 1 + (int) (i % 3), i,
                              g_rand_int_range (rand, 0, 2000), i);
    }
  g_string_append (json, "]}");
  g_rand_free (rand);

  return g_string_free_to_bytes (json);
}

/* The real window, showing @n_events generated events. */
static void
build_synthetic (Bench *bench,
                 guint  n_events)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) json = synthetic_dataset (n_events);
  g_autofree char *dir = g_dir_make_tmp ("bench-window-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;
  gint64 t0;

  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "synthetic.json", NULL);
  if (!g_file_set_contents (path, g_bytes_get_data (json, NULL), g_bytes_get_size (json), &error))
    g_error ("%s", error->message);
  file = g_file_new_for_path (path);

  bench->window = GTK_WIDGET (chrono_window_new (NULL));
  gtk_window_set_default_size (GTK_WINDOW (bench->window), 1280, 800);
  t0 = g_get_monotonic_time ();
  if (!chrono_window_open_dataset (CHRONO_WINDOW (bench->window), file, &error))
    g_error ("%s", error->message);
  g_print ("synthetic dataset: %u events at 2,000 places, opened in %.0f ms\n",
           n_events, (g_get_monotonic_time () - t0) / 1000.0);
  bench->timeline = chrono_window_get_timeline (CHRONO_WINDOW (bench->window));

  /* Over the places, where the window would open on the bundled dataset's */
  shumate_map_center_on (shumate_simple_map_get_map (chrono_window_get_map (CHRONO_WINDOW (bench->window))), 40.0, 46.7);
  shumate_viewport_set_zoom_level (shumate_simple_map_get_viewport (chrono_window_get_map (CHRONO_WINDOW (bench->window))), 7);

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { 0 };
  g_autoptr (GArray) sorted = NULL;
  ShumateMapSource *source;
  guint synthetic = 0;

  bench.start = g_get_monotonic_time ();
  bench.times = g_array_new (FALSE, FALSE, sizeof (double));
  if (argc == 3 && g_str_equal (argv[1], "--synthetic"))
    synthetic = (guint) g_ascii_strtoull (argv[2], NULL, 10);

  /* As the application does at start */
  chrono_application_choose_renderer ();
  chrono_basemap_source_preload ();
  gtk_init ();
  adw_init ();

  if (synthetic > 0)
    build_synthetic (&bench, synthetic);
  else
    {
      bench.window = GTK_WIDGET (chrono_window_new (NULL));
      bench.timeline = chrono_window_get_timeline (CHRONO_WINDOW (bench.window));
      gtk_window_set_default_size (GTK_WINDOW (bench.window), 1280, 800);
    }

  /* Scrub the whole range of the mission's dataset, or of the synthetic one. */
  if (synthetic > 0)
    {
      bench.first = chrono_day_from_ymd (1995, 1, 1);
      bench.last = chrono_day_from_ymd (2025, 1, 1);
    }
  else
    {
      bench.first = chrono_day_from_ymd (2020, 9, 1);
      bench.last = chrono_day_from_ymd (2024, 7, 1);
    }

  gtk_widget_add_tick_callback (GTK_WIDGET (bench.timeline), on_tick, &bench, NULL);
  gtk_window_present (GTK_WINDOW (bench.window));

  while (!bench.done)
    g_main_context_iteration (NULL, TRUE);

  sorted = g_array_copy (bench.times);
  g_array_sort (sorted, bench_compare_doubles);
  if (synthetic == 0)
    g_print ("first frame after start: %.0f ms (bundled dataset)\n", bench.first_frame_ms);
  source = shumate_simple_map_get_map_source (chrono_window_get_map (CHRONO_WINDOW (bench.window)));
  g_print ("scrubbing, %u frames: p50 %.1f ms, p95 %.1f ms, max %.1f ms (renderer: %s, GSK_RENDERER=%s, tiles as %s)\n",
           sorted->len, bench_percentile (sorted, 0.5), bench_percentile (sorted, 0.95),
           g_array_index (sorted, double, sorted->len - 1),
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (bench.window))),
           g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "",
           !CHRONO_IS_BASEMAP_MAP_SOURCE (source) ? "shumate's textures"
           : chrono_basemap_map_source_get_draws_with_cairo (CHRONO_BASEMAP_MAP_SOURCE (source)) ? "cairo nodes"
           : "textures");

  return 0;
}
