/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Frame times while scrubbing the timeline across its whole range.
 *
 *   bench-window                 the real window with the bundled dataset; also
 *                                prints the time from start to its first frame
 *   bench-window --synthetic N   the same widgets (map with the offline basemap and
 *                                the event layer, list, timeline), fed the same way
 *                                from one model of events in effect, over N
 *                                generated events at 2,000 places
 *
 * A frame's time runs from the tick that moves the date to the end of the paint
 * that shows it. Run under xvfb-run; GSK_RENDERER picks the renderer.
 */
#include "config.h"

#include <adwaita.h>
#include <shumate/shumate.h>

#include "chrono-basemap-source.h"
#include "chrono-dataset.h"
#include "chrono-event.h"
#include "chrono-event-layer.h"
#include "chrono-list-sync.h"
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

  /* --synthetic */
  ChronoStore     *store;
  GHashTable      *events;     /* rowid -> ChronoEvent */
  ChronoTimeIndex *index;
  GListStore      *effect;
  GArray          *effect_ids; /* gint64, the rowids in effect */
} Bench;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint i = (guint) (p * (sorted->len - 1) + 0.5);

  return g_array_index (sorted, double, MIN (i, sorted->len - 1));
}

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

static void
on_day_changed (Bench *bench)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  chrono_time_index_query (bench->index, chrono_timeline_get_day (bench->timeline), ids);
  chrono_list_store_sync (bench->effect, bench->effect_ids, ids, bench->events);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item)
{
  gtk_list_item_set_child (item, gtk_label_new (NULL));
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item)
{
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      chrono_event_get_title (gtk_list_item_get_item (item)));
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

static void
build_synthetic (Bench *bench,
                 guint  n_events)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) json = synthetic_dataset (n_events);
  g_autoptr (GArray) spans = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (ShumateMapSource) basemap = NULL;
  ShumateSimpleMap *map;
  ChronoEventLayer *layer;
  GtkWidget *box, *paned, *list, *scrolled;
  GtkListItemFactory *factory;
  gint64 t0 = g_get_monotonic_time ();

  bench->store = chrono_store_new_in_memory (&error);
  if (!chrono_dataset_import_bytes (bench->store, json, "synthetic", &error))
    g_error ("%s", error->message);
  spans = chrono_store_get_spans (bench->store, &error);
  for (guint i = 0; i < spans->len; i++)
    g_array_append_val (ids, g_array_index (spans, ChronoSpan, i).id);
  events = chrono_store_get_events (bench->store, (gint64 *) (gpointer) ids->data, ids->len, "en", &error);
  places = chrono_store_get_places (bench->store, "en", &error);
  bench->index = chrono_time_index_new ((ChronoSpan *) (gpointer) spans->data, spans->len);
  bench->events = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < events->len; i++)
    {
      ChronoEvent *event = g_ptr_array_index (events, i);
      gint64 *key = g_new (gint64, 1);

      *key = chrono_event_get_rowid (event);
      g_hash_table_insert (bench->events, key, g_object_ref (event));
    }
  g_print ("synthetic dataset: %u events, %u places, loaded in %.0f ms\n",
           events->len, places->len, (g_get_monotonic_time () - t0) / 1000.0);

  bench->effect = g_list_store_new (CHRONO_TYPE_EVENT);
  bench->effect_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (bench->window), 1280, 800);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  paned = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  list = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (bench->effect)))), factory);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_widget_set_size_request (scrolled, 340, -1);
  gtk_box_append (GTK_BOX (paned), scrolled);

  map = shumate_simple_map_new ();
  gtk_widget_set_hexpand (GTK_WIDGET (map), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (map), TRUE);
  basemap = chrono_basemap_source_new_map_source (CHRONO_BASEMAP_STYLE_LIGHT, 256, "en");
  shumate_simple_map_set_map_source (map, basemap);
  shumate_viewport_set_zoom_level (shumate_simple_map_get_viewport (map), 7);
  shumate_map_center_on (shumate_simple_map_get_map (map), 40.0, 46.7);
  layer = chrono_event_layer_new (shumate_simple_map_get_viewport (map));
  chrono_event_layer_set_places (layer, places);
  chrono_event_layer_set_events_in_effect (layer, G_LIST_MODEL (bench->effect));
  shumate_simple_map_add_overlay_layer (map, SHUMATE_LAYER (layer));
  gtk_box_append (GTK_BOX (paned), GTK_WIDGET (map));
  gtk_box_append (GTK_BOX (box), paned);

  bench->timeline = CHRONO_TIMELINE (chrono_timeline_new ());
  gtk_widget_set_size_request (GTK_WIDGET (bench->timeline), -1, 150);
  chrono_timeline_set_events (bench->timeline, events, bench->index);
  g_signal_connect_swapped (bench->timeline, "notify::day", G_CALLBACK (on_day_changed), bench);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (bench->timeline));
  gtk_window_set_child (GTK_WINDOW (bench->window), box);
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { 0 };
  g_autoptr (GArray) sorted = NULL;
  guint synthetic = 0;

  bench.start = g_get_monotonic_time ();
  bench.times = g_array_new (FALSE, FALSE, sizeof (double));
  if (argc == 3 && g_str_equal (argv[1], "--synthetic"))
    synthetic = (guint) g_ascii_strtoull (argv[2], NULL, 10);

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
  g_array_sort (sorted, compare_doubles);
  if (synthetic == 0)
    g_print ("first frame after start: %.0f ms (bundled dataset)\n", bench.first_frame_ms);
  g_print ("scrubbing, %u frames: p50 %.1f ms, p95 %.1f ms, max %.1f ms (renderer: %s)\n",
           sorted->len, percentile (sorted, 0.5), percentile (sorted, 0.95),
           g_array_index (sorted, double, sorted->len - 1),
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (bench.window))));

  return 0;
}
