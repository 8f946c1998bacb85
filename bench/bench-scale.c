/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window at scale: 10,000, 100,000 and 1,000,000 generated events, beside
 * the bundled dataset, in one run.
 *
 *   bench-scale [--sizes=10k,100k,1M] [--world=1M] [--dir=DIR] [--runs=N]
 *
 * Each dataset is generated from a fixed seed as a CSV table and imported
 * with `chronotope --import --into` (kept in DIR when one is given, so that a
 * second run does not generate them again). Each size is then measured in a
 * process of its own (the benchmark runs itself with --measure=FILE), so that
 * its memory is its own. Run under xvfb-run. One line per size:
 *
 *   scale events=N open_ms=… events_at_ms=… scrub_p50_ms=… scrub_p95_ms=… rss_mb=… search_ms=…
 *
 * open_ms: from asking the window to open the file to the end of the first
 *   frame that shows it;
 * events_at_ms: `chronotope --events-at=DATE --dataset=FILE`, wall time of
 *   the process, best of --runs;
 * scrub_p50_ms, scrub_p95_ms: 300 frames moving the date across the whole
 *   range, from the tick that moves the date to the end of the paint;
 * rss_mb: the window's resident memory after scrubbing;
 * search_ms: the window's search, from the text typed to the list of what
 *   it found, median of a few words.
 *
 * Further lines per size: the scrub zoomed in (`scrub_zoomed`), the peak
 * memory, a snapshot export beside its tiles.
 *
 * Last, the map at world scale (--world=0 leaves it out): --world events at
 * 100,000 places over the whole world, one line
 *
 *   world events=N places=100000 open_ms=… scrub_p50_ms=… scrub_p95_ms=… pan_p50_ms=… pan_p95_ms=… zoom_p50_ms=… zoom_p95_ms=… rss_mb=…
 *
 * scrub: the date moved with the whole world in view (zoom 2); pan: 300
 * frames across the world at zoom 3; zoom: 300 frames from zoom 2 to 9.
 */
#include "config.h"

#include <adwaita.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <shumate/shumate.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>

#include "bench-common.h"
#include "chrono-application.h"
#include "chrono-basemap-source.h"
#include "chrono-date.h"
#include "chrono-document.h"
#include "chrono-snapshot.h"
#include "chrono-timeline.h"
#include "chrono-window.h"

#define SEED        20201110
#define N_PLACES    2000
#define WORLD_PLACES 100000
#define FIRST_YEAR  1995
#define N_YEARS     30
#define N_FRAMES    300

static const char * const categories[] = {
  "battle", "treaty", "election", "flood", "earthquake", "protest",
  "founding", "fire", "festival", "strike", "epidemic", "coronation",
};

static const char * const words[] = {
  "council", "rain", "crowds", "market", "square", "officials", "damage", "houses",
  "bridge", "witnesses", "night", "unrest", "records", "soldiers", "north", "dawn",
  "harvest", "families", "coast", "church", "bells", "merchants", "shops", "river",
};

/* The words searched for: common, rare, and a prefix being typed */
static const char * const queries[] = { "bridge", "harvest rain", "merch", "Place 1234" };

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

/*
 * The events, from a fixed seed, over 30 years at 2,000 places: 55 % last a
 * day, the others from 2 days to 4 months; one in twenty has an end a year
 * later. A title, a description of a few words, a category of twelve.
 */
static gboolean
generate_csv (const char *path,
              guint       n_events,
              gboolean    world)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (SEED);
  g_autoptr (GString) out = g_string_sized_new (1 << 17);
  guint n_places = world ? WORLD_PLACES : N_PLACES;
  g_autofree double *lat = g_new (double, n_places);
  g_autofree double *lon = g_new (double, n_places);
  FILE *file = g_fopen (path, "wb");
  gboolean ok = file != NULL;

  for (guint i = 0; i < n_places; i++)
    {
      if (world)
        {
          lat[i] = g_rand_int_range (rand, -5500000, 7000000) / 100000.0;
          lon[i] = g_rand_int_range (rand, -18000000, 18000000) / 100000.0;
        }
      else
        {
          lat[i] = g_rand_int_range (rand, 3850000, 4150000) / 100000.0;
          lon[i] = g_rand_int_range (rand, 4400000, 4950000) / 100000.0;
        }
    }

  g_string_append (out, "start,end,title,description,place,latitude,longitude,category\n");
  for (guint i = 0; ok && i < n_events; i++)
    {
      ChronoDay start = chrono_day_from_ymd (FIRST_YEAR, 1, 1) + g_rand_int_range (rand, 0, N_YEARS * 365);
      int kind = g_rand_int_range (rand, 0, 100);
      ChronoDay end = start + (kind < 55 ? 0 : kind < 95 ? g_rand_int_range (rand, 1, 120)
                                                        : g_rand_int_range (rand, 120, 400));
      guint place = g_rand_int_range (rand, 0, n_places);
      const char *category = categories[g_rand_int_range (rand, 0, G_N_ELEMENTS (categories))];
      g_autofree char *s = chrono_day_to_iso (start);
      g_autofree char *e = chrono_day_to_iso (end);
      char la[G_ASCII_DTOSTR_BUF_SIZE], lo[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (la, sizeof la, "%.5f", lat[place]);
      g_ascii_formatd (lo, sizeof lo, "%.5f", lon[place]);
      g_string_append_printf (out, "%s,%s,%c%s at Place %u %u,", s, e,
                              g_ascii_toupper (category[0]), category + 1, place, i);
      for (guint w = 0; w < 6; w++)
        g_string_append_printf (out, "%s%s", w ? " " : "", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      g_string_append_printf (out, ",Place %u,%s,%s,%s\n", place, la, lo, category);

      if (out->len > 1 << 16)
        {
          ok = fwrite (out->str, 1, out->len, file) == out->len;
          g_string_truncate (out, 0);
        }
    }
  ok = ok && fwrite (out->str, 1, out->len, file) == out->len;
  if (file != NULL)
    ok = fclose (file) == 0 && ok;

  return ok;
}

static gboolean
run (const char * const *argv,
     gboolean            quiet)
{
  g_autoptr (GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     quiet ? G_SPAWN_STDOUT_TO_DEV_NULL : G_SPAWN_DEFAULT,
                     NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("bench-scale: %s: %s\n", argv[0], error->message);
      return FALSE;
    }
  return TRUE;
}

static char *
ensure_dataset (const char *dir,
                guint       n_events,
                gboolean    world)
{
  g_autofree char *name = g_strdup_printf ("scale-%u%s.chronotope", n_events, world ? "-world" : "");
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *csv = NULL;
  g_autofree char *chronotope = NULL;
  g_autofree char *import_arg = NULL;
  g_autofree char *into_arg = NULL;
  gint64 t0;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;

  csv = g_strdup_printf ("%s/scale-%u.csv", dir, n_events);
  t0 = now_us ();
  if (!generate_csv (csv, n_events, world))
    g_error ("could not write %s", csv);
  chronotope = bench_find_build_file ("src/chronotope");
  import_arg = g_strconcat ("--import=", csv, NULL);
  into_arg = g_strconcat ("--into=", path, NULL);
  {
    const char *argv[] = { chronotope, import_arg, into_arg, NULL };

    if (!run (argv, TRUE))
      exit (1);
  }
  g_unlink (csv);
  g_print ("# generated %u events at %u places in %.1f s\n", n_events,
           world ? WORLD_PLACES : N_PLACES, (now_us () - t0) / 1e6);

  return path;
}

/* --- the measuring child ------------------------------------------------ */

typedef struct _Bench
{
  ChronoWindow   *window;
  ChronoTimeline *timeline;
  GdkFrameClock  *clock;
  gulong          paint_handler;
  ChronoDay       first, last;
  int             frame;
  gint64          moved_at;
  gint64          painted_at;
  guint           n_paints;
  GArray         *times;
  gboolean        done;
  /* what a frame changes: the date, or the map's view */
  void          (*step) (struct _Bench *bench, double fraction);
} Bench;

static void
on_after_paint (GdkFrameClock *clock,
                Bench         *bench)
{
  bench->painted_at = now_us ();
  bench->n_paints++;
  if (bench->moved_at != 0)
    {
      double ms = (bench->painted_at - bench->moved_at) / 1000.0;

      g_array_append_val (bench->times, ms);
      bench->moved_at = 0;
    }
}

static void
watch_paints (Bench *bench)
{
  if (bench->clock == NULL)
    {
      bench->clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench->window));
      g_signal_connect (bench->clock, "after-paint", G_CALLBACK (on_after_paint), bench);
    }
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Bench *bench = user_data;

  if (bench->frame < 10)
    {
      bench->frame++;
      return G_SOURCE_CONTINUE;
    }
  if (bench->frame >= 10 + N_FRAMES)
    {
      bench->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  bench->moved_at = now_us ();
  bench->step (bench, (bench->frame - 10) / (double) N_FRAMES);
  bench->frame++;
  return G_SOURCE_CONTINUE;
}

/* N_FRAMES frames, each changed by @step (the date, or the map's view),
 * timed into bench->times */
static void
animate (Bench  *bench,
         void  (*step) (Bench *bench, double fraction))
{
  bench->step = step;
  bench->frame = 0;
  bench->done = FALSE;
  g_array_set_size (bench->times, 0);
  gtk_widget_add_tick_callback (GTK_WIDGET (bench->timeline), on_tick, bench, NULL);
  while (!bench->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
move_date (Bench  *bench,
           double  fraction)
{
  chrono_timeline_set_day (bench->timeline, bench->first + (ChronoDay) ((bench->last - bench->first) * fraction));
}

static void
scrub (Bench     *bench,
       ChronoDay  first,
       ChronoDay  last)
{
  bench->first = first;
  bench->last = last;
  animate (bench, move_date);
  /* Let the side panel's list come back as the date rests */
  for (gint64 until = now_us () + 600 * 1000; now_us () < until;)
    g_main_context_iteration (NULL, FALSE);
}


static ShumateViewport *
get_viewport (Bench *bench)
{
  return shumate_simple_map_get_viewport (chrono_window_get_map (bench->window));
}

/* Across the world at zoom 3, west to east */
static void
pan_world (Bench  *bench,
           double  fraction)
{
  shumate_location_set_location (SHUMATE_LOCATION (get_viewport (bench)), 20, -170 + 340 * fraction);
}

/* From the whole world (zoom 2) down to a region (zoom 9), over Europe */
static void
zoom_in (Bench  *bench,
         double  fraction)
{
  shumate_viewport_set_zoom_level (get_viewport (bench), 2 + 7 * fraction);
}

/* Waits for a paint that ends after @since; returns its time. */
static gint64
wait_for_paint_after (Bench  *bench,
                      gint64  since)
{
  gtk_widget_queue_draw (GTK_WIDGET (bench->window));
  while (bench->painted_at <= since)
    g_main_context_iteration (NULL, TRUE);
  return bench->painted_at;
}

static double
read_status_mb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, key)) == NULL)
    return 0;
  return g_ascii_strtod (line + strlen (key), NULL) / 1024.0;
}

static double
time_events_at (const char *path,
                ChronoDay   day,
                guint       runs)
{
  g_autofree char *chronotope = bench_find_build_file ("src/chronotope");
  g_autofree char *iso = chrono_day_to_iso (day);
  g_autofree char *date_arg = g_strconcat ("--events-at=", iso, NULL);
  g_autofree char *dataset_arg = path != NULL ? g_strconcat ("--dataset=", path, NULL) : NULL;
  const char *argv[] = { chronotope, date_arg, dataset_arg, NULL };
  double best = G_MAXDOUBLE;

  for (guint i = 0; i < runs; i++)
    {
      gint64 t0 = now_us ();

      if (!run (argv, TRUE))
        exit (1);
      best = MIN (best, (now_us () - t0) / 1000.0);
    }
  return best;
}

static double
time_search (Bench *bench)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  guint n_found = 0;

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      ChronoStore *store = chrono_document_get_store (chrono_window_get_document (bench->window));
      gint64 t0 = now_us ();
      g_autoptr (GArray) hits = chrono_store_search (store, queries[i], NULL);

      g_print ("# search \"%s\": the store finds %u in %.1f ms\n", queries[i], hits != NULL ? hits->len : 0,
               (now_us () - t0) / 1000.0);
      t0 = now_us ();
      GListModel *model;
      double ms;

      chrono_window_search (bench->window, queries[i]);
      model = chrono_window_get_list_model (bench->window);
      /* The first row of what it found, as the list shows it */
      if (g_list_model_get_n_items (model) > 0)
        g_object_unref (g_list_model_get_item (model, 0));
      ms = (now_us () - t0) / 1000.0;
      n_found += g_list_model_get_n_items (model);
      g_array_append_val (times, ms);
      wait_for_paint_after (bench, now_us ());
    }
  chrono_window_search (bench->window, "");
  g_print ("# search: %u results for %u queries\n", n_found, (guint) G_N_ELEMENTS (queries));

  return bench_percentile (times, 0.5);
}

typedef struct
{
  GdkTexture            *texture;
  ChronoSnapshotTimings  timings;
  gboolean               done;
} Render;

static void
on_rendered (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Render *render = user_data;
  g_autoptr (GError) error = NULL;

  render->texture = chrono_snapshot_render_finish (CHRONO_SNAPSHOT (object), result, &render->timings, &error);
  if (render->texture == NULL)
    g_error ("snapshot: %s", error->message);
  render->done = TRUE;
}

/* A snapshot as File ▸ Export Snapshot makes it: the window's view, 1920×1080 */
static void
time_snapshot (Bench *bench,
               guint  n_events)
{
  g_autoptr (ChronoSnapshotOptions) options = chrono_window_dup_snapshot_options (bench->window);
  ChronoDocument *document = chrono_window_get_document (bench->window);
  g_autoptr (ChronoSnapshot) snapshot = NULL;
  g_autoptr (GError) error = NULL;
  Render render = { 0 };
  gint64 t0 = now_us (), t1;
  double total_ms, tiles_ms;

  /* As the window makes it, from the document's table of events */
  snapshot = chrono_snapshot_new_for_table (chrono_document_get_source (document), "en",
                                            chrono_document_get_table (document),
                                            chrono_document_get_time_index (document), &error);
  if (snapshot == NULL)
    g_error ("snapshot: %s", error->message);
  t1 = now_us ();
  options->width = 1920;
  options->height = 1080;
  options->scale = 1;
  chrono_snapshot_render_async (snapshot, options, NULL, on_rendered, &render);
  while (!render.done)
    g_main_context_iteration (NULL, TRUE);
  total_ms = (now_us () - t0) / 1000.0;
  tiles_ms = render.timings.tiles_seconds * 1000.0;
  g_print ("snapshot events=%u load_ms=%.0f beyond_tiles_ms=%.0f tiles_ms=%.0f\n",
           n_events, (t1 - t0) / 1000.0, total_ms - tiles_ms, tiles_ms);
  g_object_unref (render.texture);
}

/* The map at world scale: 100,000 places over the world, the date moved
 * with the whole world in view, then the view panned and zoomed */
static void
measure_world (Bench *bench,
               guint  n_events,
               double open_ms)
{
  ShumateViewport *viewport = get_viewport (bench);
  ChronoDay first, last;
  double scrub_p50, scrub_p95, pan_p50, pan_p95;

  if (!chrono_timeline_get_main_period (bench->timeline, &first, &last))
    {
      first = chrono_timeline_get_visible_start (bench->timeline);
      last = chrono_timeline_get_visible_end (bench->timeline);
    }

  shumate_viewport_set_zoom_level (viewport, 2);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), 20, 10);
  chrono_timeline_set_visible_range (bench->timeline, first, last);
  scrub (bench, first, last);
  scrub_p50 = bench_percentile (bench->times, 0.5);
  scrub_p95 = bench_percentile (bench->times, 0.95);

  shumate_viewport_set_zoom_level (viewport, 3);
  animate (bench, pan_world);
  pan_p50 = bench_percentile (bench->times, 0.5);
  pan_p95 = bench_percentile (bench->times, 0.95);

  shumate_location_set_location (SHUMATE_LOCATION (viewport), 48, 10);
  animate (bench, zoom_in);

  g_print ("world events=%u places=%u open_ms=%.0f scrub_p50_ms=%.1f scrub_p95_ms=%.1f "
           "pan_p50_ms=%.1f pan_p95_ms=%.1f zoom_p50_ms=%.1f zoom_p95_ms=%.1f rss_mb=%.0f\n",
           n_events, WORLD_PLACES, open_ms, scrub_p50, scrub_p95, pan_p50, pan_p95,
           bench_percentile (bench->times, 0.5), bench_percentile (bench->times, 0.95), read_status_mb ("VmRSS:"));
}

static int
measure (const char *path,
         guint       runs,
         gboolean    world)
{
  Bench bench = { 0 };
  g_autoptr (GError) error = NULL;
  gint64 t0, t1;
  double open_ms, events_at_ms, search_ms, p50, p95;
  ChronoDocument *document;
  guint n_events;
  ChronoDay first, last, mid;

  bench.times = g_array_new (FALSE, FALSE, sizeof (double));

  chrono_application_choose_renderer ();
  chrono_basemap_source_preload ();
  gtk_init ();
  adw_init ();

  /* The bundled dataset: from the window's creation. A file: opened in a
   * window at rest on the bundled dataset. */
  t0 = now_us ();
  bench.window = chrono_window_new (NULL);
  bench.timeline = chrono_window_get_timeline (bench.window);
  gtk_window_set_default_size (GTK_WINDOW (bench.window), 1280, 800);
  gtk_window_present (GTK_WINDOW (bench.window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (bench.window)))
    g_main_context_iteration (NULL, TRUE);
  watch_paints (&bench);
  t1 = wait_for_paint_after (&bench, now_us ());

  if (path != NULL)
    {
      g_autoptr (GFile) file = g_file_new_for_path (path);

      t0 = now_us ();
      if (!chrono_window_open_dataset (bench.window, file, &error))
        g_error ("%s: %s", path, error->message);
      t1 = now_us ();
      open_ms = (wait_for_paint_after (&bench, t1) - t0) / 1000.0;
    }
  else
    open_ms = (t1 - t0) / 1000.0;
  g_print ("# open: %.0f ms to open, %.0f ms to the first frame\n", (t1 - t0) / 1000.0, open_ms);

  document = chrono_window_get_document (bench.window);
  n_events = chrono_document_get_n_events (document);
  if (world)
    {
      measure_world (&bench, n_events, open_ms);
      return 0;
    }

  if (!chrono_timeline_get_main_period (bench.timeline, &first, &last))
    {
      first = chrono_timeline_get_visible_start (bench.timeline);
      last = chrono_timeline_get_visible_end (bench.timeline);
    }
  mid = first + (last - first) / 2;

  events_at_ms = time_events_at (path, mid, runs);

  /* The whole range in view, then zoomed in to a year */
  chrono_timeline_set_visible_range (bench.timeline, first, last);
  scrub (&bench, first, last);
  p50 = bench_percentile (bench.times, 0.5);
  p95 = bench_percentile (bench.times, 0.95);

  search_ms = time_search (&bench);

  g_print ("scale events=%u open_ms=%.0f events_at_ms=%.0f scrub_p50_ms=%.1f scrub_p95_ms=%.1f rss_mb=%.0f search_ms=%.1f\n",
           n_events, open_ms, events_at_ms, p50, p95, read_status_mb ("VmRSS:"), search_ms);

  chrono_timeline_set_visible_range (bench.timeline, mid - 180, mid + 180);
  scrub (&bench, mid - 180, mid + 180);
  g_print ("scrub_zoomed events=%u p50_ms=%.1f p95_ms=%.1f max_ms=%.1f renderer=%s\n", n_events,
           bench_percentile (bench.times, 0.5), bench_percentile (bench.times, 0.95), bench_percentile (bench.times, 1.0),
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (bench.window))));

  time_snapshot (&bench, n_events);
  g_print ("memory events=%u rss_mb=%.0f peak_mb=%.0f\n", n_events,
           read_status_mb ("VmRSS:"), read_status_mb ("VmHWM:"));

  return 0;
}

/* --- the parent ------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *dir = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *runs_arg = NULL;
  gboolean temporary = FALSE;
  guint runs = 3;
  guint world_events = 1000000;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--measure="))
        return measure (argv[i][10] != '\0' ? argv[i] + 10 : NULL, runs, FALSE);
      else if (g_str_has_prefix (argv[i], "--measure-world="))
        return measure (argv[i] + 16, runs, TRUE);
      else if (g_str_equal (argv[i], "--world=0"))
        world_events = 0;
      else if (g_str_has_prefix (argv[i], "--world="))
        {
          g_autoptr (GArray) one = g_array_new (FALSE, FALSE, sizeof (guint));

          if (!bench_parse_sizes (argv[i] + 8, one) || one->len != 1)
            {
              g_printerr ("bench-scale: --world: a number of events such as 1M, or 0\n");
              return 2;
            }
          world_events = g_array_index (one, guint, 0);
        }
      else if (g_str_has_prefix (argv[i], "--runs="))
        runs = MAX (1, (guint) g_ascii_strtoull (argv[i] + 7, NULL, 10));
      else if (g_str_has_prefix (argv[i], "--sizes="))
        {
          if (!bench_parse_sizes (argv[i] + 8, sizes))
            {
              g_printerr ("bench-scale: --sizes: a list such as 10k,100k,1M\n");
              return 2;
            }
        }
      else if (g_str_has_prefix (argv[i], "--dir="))
        dir = g_strdup (argv[i] + 6);
      else
        {
          g_printerr ("usage: bench-scale [--sizes=10k,100k,1M] [--world=1M] [--dir=DIR] [--runs=N]\n");
          return 2;
        }
    }

  if (sizes->len == 0)
    bench_parse_sizes ("10k,100k,1M", sizes);
  /* and last, the map at world scale */
  if (world_events > 0)
    g_array_append_val (sizes, world_events);
  if (dir == NULL)
    {
      g_autoptr (GError) error = NULL;

      dir = g_dir_make_tmp ("bench-scale-XXXXXX", &error);
      if (dir == NULL)
        g_error ("%s", error->message);
      temporary = TRUE;
    }
  else
    g_mkdir_with_parents (dir, 0755);
  runs_arg = g_strdup_printf ("--runs=%u", runs);

  {
    const char *child[] = { self, runs_arg, "--measure=", NULL };

    if (!run (child, FALSE))
      return 1;
  }
  for (guint i = 0; i < sizes->len; i++)
    {
      gboolean world = i == sizes->len - 1 && world_events > 0;
      g_autofree char *path = ensure_dataset (dir, g_array_index (sizes, guint, i), world);
      g_autofree char *measure_arg = g_strconcat (world ? "--measure-world=" : "--measure=", path, NULL);
      const char *child[] = { self, runs_arg, measure_arg, NULL };

      if (!run (child, FALSE))
        return 1;
      if (temporary)
        {
          g_autofree char *wal = g_strconcat (path, "-wal", NULL);
          g_autofree char *shm = g_strconcat (path, "-shm", NULL);

          g_unlink (path);
          g_unlink (wal);
          g_unlink (shm);
        }
    }
  if (temporary)
    g_rmdir (dir);

  return 0;
}
