/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>

#include "chrono-application.h"
#include "chrono-dataset.h"
#include "chrono-document.h"
#include "chrono-event.h"
#include "chrono-event-editor.h"
#include "chrono-export-dialog.h"
#include "chrono-import-dialog.h"
#include "chrono-place.h"
#include "chrono-place-editor.h"
#include "chrono-preferences-window.h"
#include "chrono-presentation.h"
#include "chrono-store.h"
#include "chrono-time-index.h"
#include "chrono-cli.h"
#include "chrono-window.h"
#include "test-run.h"

/*
 * The main window, in a real window, with the bundled dataset: the list and the
 * map follow the timeline's date, search finds events by a place's other names,
 * and the map shows something that changes with the date.
 */

static void
wait_for_draw (GtkWidget *widget)
{
  gint64 until = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  (void) widget;
}

static ChronoWindow *
new_window (void)
{
  ChronoWindow *window = chrono_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_draw (GTK_WIDGET (window));

  return window;
}

static void
set_day (ChronoWindow *window,
         ChronoDay     day)
{
  gtk_widget_activate_action (GTK_WIDGET (chrono_window_get_timeline (window)),
                              "timeline.set-day", "x", (gint64) day);
}

static int
compare_string_ptrs (gconstpointer a,
                     gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The ids in @model, sorted, comma-separated. */
static char *
model_ids (GListModel *model)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (ChronoEvent) event = g_list_model_get_item (model, i);

      g_ptr_array_add (ids, g_strdup (chrono_event_get_id (event)));
    }
  g_ptr_array_sort (ids, compare_string_ptrs);
  g_ptr_array_add (ids, NULL);

  return g_strjoinv (",", (char **) ids->pdata);
}

/* The oracle: every event whose extent (as stored) contains @day, by brute force. */
static char *
expected_ids (ChronoStore *store,
              ChronoDay    day)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) spans = chrono_store_get_spans (store, &error);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < spans->len; i++)
    {
      ChronoSpan *span = &g_array_index (spans, ChronoSpan, i);

      if (span->lo <= day && day <= span->hi)
        {
          g_autoptr (ChronoEvent) event = chrono_store_get_event (store, span->id, "en", &error);

          g_assert_no_error (error);
          g_ptr_array_add (ids, g_strdup (chrono_event_get_id (event)));
        }
    }
  g_ptr_array_sort (ids, compare_string_ptrs);
  g_ptr_array_add (ids, NULL);

  return g_strjoinv (",", (char **) ids->pdata);
}

static void
test_list_follows_date (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_dataset_open_bundled (&error);
  ChronoWindow *window = new_window ();
  const int dates[][3] = {
    { 2019, 6, 1 }, { 2020, 11, 9 }, { 2020, 11, 10 }, { 2020, 12, 13 }, { 2021, 1, 30 },
    { 2023, 5, 1 }, { 2023, 9, 19 }, { 2024, 1, 1 }, { 2024, 4, 17 }, { 2024, 6, 12 },
    { 2024, 6, 13 }, { 2026, 1, 1 },
  };

  g_assert_no_error (error);
  /* Without afterglow, the list is exactly the events in effect. */
  chrono_window_set_afterglow_days (window, 0);

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      ChronoDay day = chrono_day_from_ymd (dates[i][0], dates[i][1], dates[i][2]);
      g_autofree char *expected = expected_ids (store, day);
      g_autofree char *shown = NULL;

      set_day (window, day);
      g_assert_cmpint (chrono_timeline_get_day (chrono_window_get_timeline (window)), ==, day);
      shown = model_ids (chrono_window_get_events_in_effect (window));
      g_test_message ("%d-%02d-%02d: %s", dates[i][0], dates[i][1], dates[i][2], shown);
      g_assert_cmpstr (shown, ==, expected);
    }

  /* The map layer draws from the very same model. */
  g_assert_true (chrono_event_layer_get_events_in_effect (chrono_window_get_event_layer (window)) ==
                 chrono_window_get_events_in_effect (window));
  g_assert_cmpint (chrono_event_layer_get_day (chrono_window_get_event_layer (window)), ==,
                   chrono_day_from_ymd (2026, 1, 1));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_afterglow (void)
{
  ChronoWindow *window = new_window ();
  g_autofree char *ids = NULL;

  /* Kohne Taghlar was retaken on 13 December 2020, a single day. */
  chrono_window_set_afterglow_days (window, 21);
  set_day (window, chrono_day_from_ymd (2020, 12, 20));
  ids = model_ids (chrono_window_get_events_in_effect (window));
  g_assert_nonnull (strstr (ids, "kohne-taghlar-retaken"));
  g_clear_pointer (&ids, g_free);

  set_day (window, chrono_day_from_ymd (2021, 1, 4));
  ids = model_ids (chrono_window_get_events_in_effect (window));
  g_assert_null (strstr (ids, "kohne-taghlar-retaken"));
  g_clear_pointer (&ids, g_free);

  /* A day not known exactly is short too: the trilateral statement of
   * "9 or 10 November 2020" glows on after its latest day. */
  set_day (window, chrono_day_from_ymd (2020, 11, 12));
  ids = model_ids (chrono_window_get_events_in_effect (window));
  g_assert_nonnull (strstr (ids, "trilateral-statement"));
  g_clear_pointer (&ids, g_free);
  set_day (window, chrono_day_from_ymd (2020, 12, 2));
  ids = model_ids (chrono_window_get_events_in_effect (window));
  g_assert_null (strstr (ids, "trilateral-statement"));
  g_clear_pointer (&ids, g_free);

  /* Only short events glow: the mission ended on 12 June 2024 and is gone
   * a week later, while the completion of the withdrawal, that day, glows on. */
  set_day (window, chrono_day_from_ymd (2024, 6, 19));
  ids = model_ids (chrono_window_get_events_in_effect (window));
  g_assert_null (strstr (ids, "peacekeeping-mission"));
  g_assert_nonnull (strstr (ids, "withdrawal-completed"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
find_label_text (GtkWidget  *widget,
                 const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (find_label_text (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
label_shown (gpointer data)
{
  gpointer *args = data;

  return find_label_text (args[0], args[1]);
}

static GtkWidget *find_descendant (GtkWidget *widget,
                                   GType      type);
static void set_day_at_rest (ChronoWindow *window,
                             ChronoDay     day);
static gboolean date_at_rest (gpointer data);

/* The side panel's list: the list view with a single selection (the
 * place popover has a list of its own) */
static GtkSingleSelection *
find_event_list_selection (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget) && GTK_IS_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (widget))))
    return GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkSingleSelection *found = find_event_list_selection (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkSingleSelection *
event_list_selection (ChronoWindow *window)
{
  GtkSingleSelection *selection = find_event_list_selection (GTK_WIDGET (window));

  g_assert_nonnull (selection);
  return selection;
}

static GtkWidget *
find_by_id (GtkWidget  *widget,
            const char *id)
{
  if (g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), id) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_id (child, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
details_scrollable (gpointer data)
{
  GtkAdjustment *adjustment = data;

  return gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) > 100;
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Another event's details start at their top, wherever the last were read */
static void
test_details_start_at_top (void)
{
  ChronoWindow *window = chrono_window_new (NULL);
  GtkSingleSelection *selection;
  GtkAdjustment *adjustment;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 720);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (window_mapped, window);
  chrono_window_set_afterglow_days (window, 0);
  set_day_at_rest (window, chrono_day_from_ymd (2023, 9, 19));
  selection = event_list_selection (window);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), >=, 2);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (find_by_id (GTK_WIDGET (window), "detail_scroller")));

  gtk_single_selection_set_selected (selection, 0);
  wait_for (details_scrollable, adjustment);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);

  gtk_single_selection_set_selected (selection, 1);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A short event listed in its afterglow says how long ago it ended. */
static void
test_afterglow_rows (void)
{
  ChronoWindow *window = new_window ();
  gpointer args[2] = { window, (gpointer) "9 or 10 November 2020 · ended 2 days ago" };
  gpointer in_effect[2] = { window, (gpointer) "9 or 10 November 2020" };

  chrono_window_set_afterglow_days (window, 21);
  set_day (window, chrono_day_from_ymd (2020, 11, 12));
  wait_for (label_shown, args);
  /* Its day, it reads as any event in effect */
  set_day (window, chrono_day_from_ymd (2020, 11, 10));
  wait_for (label_shown, in_effect);
  g_assert_false (find_label_text (GTK_WIDGET (window), args[1]));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_boundaries_change_list (void)
{
  ChronoWindow *window = new_window ();
  ChronoTimeline *timeline = chrono_window_get_timeline (window);
  ChronoDay previous;

  chrono_window_set_afterglow_days (window, 0);
  set_day (window, chrono_day_from_ymd (2020, 11, 1));

  /* Each step to the next event boundary moves forward and changes what is in effect. */
  for (int i = 0; i < 10; i++)
    {
      g_autofree char *before = model_ids (chrono_window_get_events_in_effect (window));
      g_autofree char *after = NULL;

      previous = chrono_timeline_get_day (timeline);
      gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.next-boundary", NULL);
      g_assert_cmpint (chrono_timeline_get_day (timeline), >, previous);
      after = model_ids (chrono_window_get_events_in_effect (window));
      g_assert_cmpstr (before, !=, after);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_search_other_names (void)
{
  ChronoWindow *window = new_window ();
  struct {
    const char *text;
    const char *must_find;
  } cases[] = {
    { "Berdzor", "lachin-blockade" },
    { "Xankəndi", "september-2023-offensive" },
    { "Latchine", "lachin-blockade" },
    { "Kohne Taghlar", "kohne-taghlar-retaken" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ids = NULL;

      chrono_window_search (window, cases[i].text);
      ids = model_ids (chrono_window_get_list_model (window));
      g_test_message ("search '%s': %s", cases[i].text, ids);
      g_assert_nonnull (strstr (ids, cases[i].must_find));
    }

  /* Each result says what it matched; a click on one selects it and
   * takes the date there */
  chrono_window_search (window, "Xankendi");
  {
    GListModel *results = chrono_window_get_list_model (window);
    GtkSingleSelection *selection = NULL;
    guint found = G_MAXUINT;

    for (guint i = 0; i < g_list_model_get_n_items (results); i++)
      {
        g_autoptr (ChronoEvent) event = g_list_model_get_item (results, i);
        g_autofree char *match = chrono_window_dup_match_description (window, event);

        g_test_message ("%s: %s", chrono_event_get_id (event), match);
        if (g_str_equal (chrono_event_get_id (event), "september-2023-offensive"))
          {
            found = i;
            g_assert_cmpstr (match, ==, "Matched the place name “Xankəndi”");
          }
      }
    g_assert_cmpuint (found, !=, G_MAXUINT);

    chrono_window_search (window, "blockade");
    {
      g_autoptr (ChronoEvent) first = g_list_model_get_item (chrono_window_get_list_model (window), 0);
      g_autofree char *match = chrono_window_dup_match_description (window, first);

      g_assert_cmpstr (match, ==, "Matched in the title");
    }

    chrono_window_search (window, "Xankendi");
    wait_for (date_at_rest, window);
    selection = event_list_selection (window);
    gtk_single_selection_set_selected (selection, found);
    g_assert_cmpint (chrono_timeline_get_day (chrono_window_get_timeline (window)), ==,
                     chrono_day_from_ymd (2023, 9, 19));
    /* Still the results, with the event selected */
    g_assert_true (chrono_window_get_list_model (window) != chrono_window_get_events_in_effect (window));
    g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, found);
  }

  /* Clearing the search brings back the events in effect. */
  chrono_window_search (window, "");
  g_assert_true (chrono_window_get_list_model (window) == chrono_window_get_events_in_effect (window));

  /* Let the popover close before its window goes */
  if (chrono_window_get_place_popover (window) != NULL)
    gtk_popover_popdown (GTK_POPOVER (chrono_window_get_place_popover (window)));
  wait_for_draw (GTK_WIDGET (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static GBytes *
render_widget (GtkWidget *widget,
               int       *width,
               int       *height,
               gsize     *stride)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  guchar *data;

  *width = gtk_widget_get_width (widget);
  *height = gtk_widget_get_height (widget);
  gdk_paintable_snapshot (paintable, snapshot, *width, *height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  /* Nothing to draw until the widget has been laid out and drawn once. */
  if (node == NULL || *width == 0 || *height == 0)
    return NULL;
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, *width, *height));
  *stride = (gsize) *width * 4;
  data = g_malloc ((gsize) *height * *stride);
  gdk_texture_download (texture, data, *stride);

  return g_bytes_new_take (data, (gsize) *height * *stride);
}

/* Renders @widget once it has been drawn again (up to 10 s). */
static GBytes *
render_when_drawn (GtkWidget *widget,
                   int       *width,
                   int       *height,
                   gsize     *stride)
{
  gint64 until = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  GBytes *pixels = NULL;

  while (pixels == NULL && g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      pixels = render_widget (widget, width, height, stride);
    }

  return pixels;
}

static guint
count_colors (GBytes *pixels)
{
  g_autoptr (GHashTable) colors = g_hash_table_new (g_direct_hash, g_direct_equal);
  gsize size;
  const guint32 *data = g_bytes_get_data (pixels, &size);

  for (gsize i = 0; i < size / 4; i += 7)
    g_hash_table_add (colors, GUINT_TO_POINTER (data[i]));

  return g_hash_table_size (colors);
}

static void
test_map_draws_and_changes (void)
{
  ChronoWindow *window = new_window ();
  /* The map widget that holds the basemap and the event layer. */
  GtkWidget *map = gtk_widget_get_parent (GTK_WIDGET (chrono_window_get_event_layer (window)));
  g_autoptr (GBytes) before = NULL;
  g_autoptr (GBytes) after = NULL;
  int width, height;
  gsize stride, differing = 0, size;
  const guchar *a, *b;
  guint colors = 0;
  gint64 until = g_get_monotonic_time () + 15 * G_TIME_SPAN_SECOND;

  g_assert_nonnull (map);
  set_day (window, chrono_day_from_ymd (2019, 6, 1));

  /* The basemap's tiles arrive from worker threads: wait until the map is
   * more than a background and a few dots. */
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_clear_pointer (&before, g_bytes_unref);
      before = render_widget (map, &width, &height, &stride);
      colors = before != NULL ? count_colors (before) : 0;
      if (colors > 200)
        break;
    }
  g_test_message ("map %dx%d: %u colours", width, height, colors);
  g_assert_cmpuint (colors, >, 200);

  set_day (window, chrono_day_from_ymd (2023, 9, 19));
  wait_for_draw (GTK_WIDGET (window));
  after = render_when_drawn (map, &width, &height, &stride);
  g_assert_nonnull (after);

  a = g_bytes_get_data (before, &size);
  b = g_bytes_get_data (after, NULL);
  for (gsize i = 0; i < size; i += 4)
    if (memcmp (a + i, b + i, 4) != 0)
      differing++;
  g_test_message ("%" G_GSIZE_FORMAT " pixels differ between the two dates", differing);
  g_assert_cmpuint (differing, >, 500);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Whether every event in @model takes place (among others) at @place_id. */
static gboolean
all_at_place (GListModel *model,
              const char *place_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (ChronoEvent) event = g_list_model_get_item (model, i);
      GPtrArray *places = chrono_event_get_places (event);
      gboolean found = FALSE;

      for (guint j = 0; j < places->len; j++)
        if (g_strcmp0 (chrono_place_get_id (g_ptr_array_index (places, j)), place_id) == 0)
          found = TRUE;
      if (!found)
        {
          g_test_message ("%s is not at %s", chrono_event_get_id (event), place_id);
          return FALSE;
        }
    }

  return TRUE;
}

static void
test_place_filter (void)
{
  ChronoWindow *window = new_window ();
  ChronoEventLayer *layer = chrono_window_get_event_layer (window);
  g_autofree char *all = NULL;
  g_autofree char *restored = NULL;
  guint n_all, n_place;

  chrono_window_set_afterglow_days (window, 21);
  set_day (window, chrono_day_from_ymd (2023, 9, 20));
  all = model_ids (chrono_window_get_list_model (window));
  n_all = g_list_model_get_n_items (chrono_window_get_list_model (window));

  /* A click on Stepanakert on the map: a popover, and the list narrows. */
  g_signal_emit_by_name (layer, "place-activated", "stepanakert", 300.0, 200.0);
  wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpstr (chrono_window_get_place_filter (window), ==, "stepanakert");
  g_assert_nonnull (chrono_window_get_place_popover (window));
  g_assert_true (gtk_widget_get_visible (chrono_window_get_place_popover (window)));
  n_place = g_list_model_get_n_items (chrono_window_get_list_model (window));
  g_test_message ("%u of %u events at stepanakert", n_place, n_all);
  g_assert_cmpuint (n_place, >, 0);
  g_assert_cmpuint (n_place, <, n_all);
  g_assert_true (all_at_place (chrono_window_get_list_model (window), "stepanakert"));

  /* The filter holds while the timeline moves. */
  set_day (window, chrono_day_from_ymd (2023, 9, 28));
  g_assert_true (all_at_place (chrono_window_get_list_model (window), "stepanakert"));
  set_day (window, chrono_day_from_ymd (2023, 9, 20));

  /* Clear brings every event in effect back. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-place", NULL);
  g_assert_null (chrono_window_get_place_filter (window));
  restored = model_ids (chrono_window_get_list_model (window));
  g_assert_cmpstr (restored, ==, all);

  /* So does a click on the empty map, which clears the layer's selection. */
  g_signal_emit_by_name (layer, "place-activated", "stepanakert", 300.0, 200.0);
  g_assert_cmpstr (chrono_window_get_place_filter (window), ==, "stepanakert");
  chrono_event_layer_set_selected_place (layer, NULL);
  g_assert_null (chrono_window_get_place_filter (window));
  g_assert_true (chrono_window_get_list_model (window) == chrono_window_get_events_in_effect (window));

  /* Let the popover close before its window goes */
  if (chrono_window_get_place_popover (window) != NULL)
    gtk_popover_popdown (GTK_POPOVER (chrono_window_get_place_popover (window)));
  wait_for_draw (GTK_WIDGET (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A place with nothing in effect at the date lists all of its events; a
 * click on one takes the date there, and the list becomes the place's
 * events of that date, with the event still selected. */
static void
test_place_whole_timeline (void)
{
  ChronoWindow *window = new_window ();
  ChronoEventLayer *layer = chrono_window_get_event_layer (window);
  GtkSingleSelection *selection;
  GListModel *model;
  gint64 previous = G_MININT64;
  guint clashes = G_MAXUINT;

  chrono_window_set_afterglow_days (window, 0);
  set_day_at_rest (window, chrono_day_from_ymd (2022, 3, 1));
  g_signal_emit_by_name (layer, "place-activated", "hadrut", 300.0, 200.0);
  model = chrono_window_get_list_model (window);
  g_assert_true (model != chrono_window_get_events_in_effect (window));
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 2);
  g_assert_true (all_at_place (model, "hadrut"));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (ChronoEvent) event = g_list_model_get_item (model, i);

      /* In the order of their dates */
      g_assert_cmpint (chrono_event_get_start_lo (event), >=, previous);
      previous = chrono_event_get_start_lo (event);
      if (g_str_equal (chrono_event_get_id (event), "hadrut-clashes"))
        clashes = i;
    }
  g_assert_cmpuint (clashes, !=, G_MAXUINT);

  selection = event_list_selection (window);
  gtk_single_selection_set_selected (selection, clashes);
  g_assert_cmpint (chrono_timeline_get_day (chrono_window_get_timeline (window)), ==,
                   chrono_day_from_ymd (2020, 12, 11));
  wait_for (date_at_rest, window);
  g_assert_true (all_at_place (chrono_window_get_list_model (window), "hadrut"));
  g_assert_nonnull (gtk_single_selection_get_selected_item (selection));
  g_assert_cmpstr (chrono_event_get_id (gtk_single_selection_get_selected_item (selection)), ==, "hadrut-clashes");

  /* An event of the place's popover goes there too: the breach of the ceasefire */
  {
    GListModel *shown = chrono_window_get_list_model (window);
    gint64 breach = -1;

    for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
      {
        g_autoptr (ChronoEvent) event = g_list_model_get_item (shown, i);

        if (g_str_equal (chrono_event_get_id (event), "hadrut-ceasefire-breach"))
          breach = chrono_event_get_rowid (event);
      }
    g_assert_cmpint (breach, >, 0);
    set_day_at_rest (window, chrono_day_from_ymd (2022, 3, 1));
    gtk_widget_activate_action (GTK_WIDGET (window), "win.go-to-event", "x", breach);
    g_assert_cmpint (chrono_timeline_get_day (chrono_window_get_timeline (window)), ==,
                     chrono_day_from_ymd (2020, 12, 11));
    wait_for (date_at_rest, window);
    g_assert_nonnull (gtk_single_selection_get_selected_item (selection));
    g_assert_cmpint (chrono_event_get_rowid (gtk_single_selection_get_selected_item (selection)), ==, breach);
  }

  if (chrono_window_get_place_popover (window) != NULL)
    gtk_popover_popdown (GTK_POPOVER (chrono_window_get_place_popover (window)));
  wait_for_draw (GTK_WIDGET (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
timeline_has_height (gpointer data)
{
  gpointer *args = data;
  int height = gtk_widget_get_height (GTK_WIDGET (chrono_window_get_timeline (args[0])));

  return ABS (height - GPOINTER_TO_INT (args[1])) <= 16;
}

static gboolean
timeline_is_a_quarter (gpointer data)
{
  GtkWidget *timeline = GTK_WIDGET (chrono_window_get_timeline (data));
  GtkWidget *paned = gtk_widget_get_ancestor (timeline, GTK_TYPE_PANED);
  int height = gtk_widget_get_height (timeline);

  return gtk_widget_get_height (paned) > 400 &&
         height >= gtk_widget_get_height (paned) / 4 - 16 &&
         height <= gtk_widget_get_height (paned) / 4 + 16;
}

/* The timeline is a quarter of the window until its handle is moved; then
 * it keeps the height chosen when the window changes size. */
static void
test_timeline_height (void)
{
  ChronoWindow *window = chrono_window_new (NULL);
  gpointer args[2] = { window, NULL };

  chrono_window_set_timeline_height (window, 0);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 600);
  gtk_window_present (GTK_WINDOW (window));
  /* A quarter of the paned below the header bar (about 130 px), not the
   * third it once took */
  wait_for (timeline_is_a_quarter, window);

  chrono_window_set_timeline_height (window, 260);
  args[1] = GINT_TO_POINTER (260);
  wait_for (timeline_has_height, args);

  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 760);
  wait_for (timeline_has_height, args);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_afterglow_setting (void)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  ChronoWindow *window = new_window ();
  g_autofree char *ids = NULL;

  /* The preferences write the setting; the window follows it at once. */
  g_settings_set_int (settings, "afterglow-days", 0);
  set_day (window, chrono_day_from_ymd (2020, 12, 20));
  ids = model_ids (chrono_window_get_list_model (window));
  g_assert_null (strstr (ids, "kohne-taghlar-retaken"));
  g_clear_pointer (&ids, g_free);

  g_settings_set_int (settings, "afterglow-days", 21);
  ids = model_ids (chrono_window_get_list_model (window));
  g_assert_nonnull (strstr (ids, "kohne-taghlar-retaken"));

  g_settings_reset (settings, "afterglow-days");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_basemap_style (void)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  ChronoWindow *window = new_window ();
  ShumateViewport *viewport;
  const char *id;
  double zoom;

  id = shumate_map_source_get_id (chrono_window_get_map_source (window));
  g_test_message ("default basemap: %s", id);
  g_assert_true (g_str_has_prefix (id, "chronotope-basemap-"));
  g_assert_null (strstr (id, "neutral"));

  viewport = shumate_map_get_viewport (SHUMATE_MAP (gtk_widget_get_parent (GTK_WIDGET (chrono_window_get_event_layer (window)))));
  shumate_viewport_set_zoom_level (viewport, 10);
  zoom = shumate_viewport_get_zoom_level (viewport);

  /* Neutral: no modern borders or labels; the view stays where it was. */
  g_settings_set_enum (settings, "basemap-style", 3);
  id = shumate_map_source_get_id (chrono_window_get_map_source (window));
  g_test_message ("neutral basemap: %s", id);
  g_assert_nonnull (strstr (id, "neutral"));
  g_assert_cmpfloat_with_epsilon (shumate_viewport_get_zoom_level (viewport), zoom, 0.01);

  g_settings_set_enum (settings, "basemap-style", 2);
  g_assert_nonnull (strstr (shumate_map_source_get_id (chrono_window_get_map_source (window)), "dark"));

  /* OpenStreetMap chosen, but online tiles not allowed: the map stays offline. */
  g_settings_set_string (settings, "basemap", "osm");
  id = shumate_map_source_get_id (chrono_window_get_map_source (window));
  g_assert_true (g_str_has_prefix (id, "chronotope-basemap-"));

  /* A broken MBTiles file: a message, and the offline map. */
  g_settings_set_string (settings, "mbtiles-path", "/nonexistent/map.mbtiles");
  g_settings_set_string (settings, "basemap", "mbtiles");
  id = shumate_map_source_get_id (chrono_window_get_map_source (window));
  g_assert_true (g_str_has_prefix (id, "chronotope-basemap-"));

  g_settings_reset (settings, "basemap");
  g_settings_reset (settings, "mbtiles-path");
  g_settings_reset (settings, "basemap-style");
  g_assert_false (g_settings_get_boolean (settings, "online-tiles-enabled"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWindow *
find_preferences_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_PREFERENCES_WINDOW (window))
        return window;
    }

  return NULL;
}

static void
test_preferences (void)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  ChronoWindow *window = new_window ();
  g_autoptr (GError) error = NULL;
  g_autofree char *broken = NULL;
  GtkWindow *preferences;

  /* Ctrl+comma and the menu item open the preferences. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL));
  wait_for_draw (GTK_WIDGET (window));
  preferences = find_preferences_window ();
  g_assert_nonnull (preferences);
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (window));

  /* A file that is no MBTiles is refused, with a reason, and changes nothing. */
  broken = g_build_filename (g_get_user_data_dir (), "broken.mbtiles", NULL);
  g_assert_true (g_file_set_contents (broken, "not a database", -1, NULL));
  g_assert_false (chrono_preferences_window_use_mbtiles (CHRONO_PREFERENCES_WINDOW (preferences), broken, &error));
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  g_assert_cmpstr (g_settings_get_string (settings, "basemap"), ==, "offline");
  g_assert_true (g_str_has_prefix (shumate_map_source_get_id (chrono_window_get_map_source (window)),
                                   "chronotope-basemap-"));

  gtk_window_destroy (preferences);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_place_name_policy (void)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  ChronoWindow *window = new_window ();
  ChronoEventLayer *layer = chrono_window_get_event_layer (window);
  ChronoPlace *place = chrono_event_layer_get_place (layer, "stepanakert");
  g_autofree char *ui = NULL;
  g_autofree char *official = NULL;
  g_autofree char *both = NULL;
  g_autofree char *both_same = NULL;

  g_assert_nonnull (place);
  ui = chrono_window_format_place_name (place, CHRONO_PLACE_NAME_POLICY_UI_LANGUAGE, "en", chrono_day_from_ymd (2021, 1, 1));
  official = chrono_window_format_place_name (place, CHRONO_PLACE_NAME_POLICY_LOCAL_OFFICIAL, "en", chrono_day_from_ymd (2021, 1, 1));
  both = chrono_window_format_place_name (place, CHRONO_PLACE_NAME_POLICY_BOTH, "en", chrono_day_from_ymd (2021, 1, 1));
  both_same = chrono_window_format_place_name (place, CHRONO_PLACE_NAME_POLICY_BOTH, "az", chrono_day_from_ymd (2021, 1, 1));
  g_assert_cmpstr (ui, ==, "Stepanakert");
  g_assert_cmpstr (official, ==, "Xankəndi");
  g_assert_cmpstr (both, ==, "Stepanakert (Xankəndi)");
  g_assert_cmpstr (both_same, ==, "Xankəndi");
  /* Names that change with the date: before 1923, and in Soviet times */
  g_clear_pointer (&ui, g_free);
  g_clear_pointer (&both, g_free);
  ui = chrono_window_format_place_name (place, CHRONO_PLACE_NAME_POLICY_UI_LANGUAGE, "en", chrono_day_from_ymd (1920, 1, 1));
  both = chrono_window_format_place_name (place, CHRONO_PLACE_NAME_POLICY_BOTH, "en", chrono_day_from_ymd (1980, 1, 1));
  g_assert_cmpstr (ui, ==, "Khankendi");
  g_assert_cmpstr (both, ==, "Stepanakert");

  /* The map labels follow the setting: the official names are Azerbaijani. */
  g_assert_cmpstr (chrono_event_layer_get_language (layer), ==, "en");
  g_settings_set_enum (settings, "place-name-policy", CHRONO_PLACE_NAME_POLICY_LOCAL_OFFICIAL);
  g_assert_cmpstr (chrono_event_layer_get_language (layer), ==, "az");
  g_assert_false (chrono_event_layer_get_both_names (layer));
  g_settings_set_enum (settings, "place-name-policy", CHRONO_PLACE_NAME_POLICY_BOTH);
  g_assert_cmpstr (chrono_event_layer_get_language (layer), ==, "en");
  g_assert_true (chrono_event_layer_get_both_names (layer));
  g_settings_reset (settings, "place-name-policy");
  g_assert_cmpstr (chrono_event_layer_get_language (layer), ==, "en");
  g_assert_false (chrono_event_layer_get_both_names (layer));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Opening a dataset shows its events; a file that is not one changes
 * nothing, and the error names the file and what is wrong. */
static void
test_open_dataset (void)
{
  g_autofree char *small = g_test_build_filename (G_TEST_DIST, "data", "cli", "small.json", NULL);
  g_autofree char *bad = g_test_build_filename (G_TEST_DIST, "data", "datasets", "bad-date.json", NULL);
  g_autoptr (GFile) small_file = g_file_new_for_path (small);
  g_autoptr (GFile) bad_file = g_file_new_for_path (bad);
  g_autoptr (GError) error = NULL;
  ChronoWindow *window = new_window ();
  g_autofree char *before = NULL;
  g_autofree char *after_bad = NULL;
  g_autofree char *ids = NULL;
  gboolean opened;

  set_day (window, chrono_day_from_ymd (2020, 11, 12));
  before = model_ids (chrono_window_get_list_model (window));
  g_assert_nonnull (strstr (before, "peacekeeping-mission"));

  g_assert_false (chrono_window_open_dataset (window, bad_file, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "bad-date.json"));
  after_bad = model_ids (chrono_window_get_list_model (window));
  g_assert_cmpstr (after_bad, ==, before);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), !=, "Command-line test");
  g_clear_error (&error);

  opened = chrono_window_open_dataset (window, small_file, &error);
  g_assert_no_error (error);
  g_assert_true (opened);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Command-line test");
  /* small.json: "long" runs from 10 November 2020 to 12 June 2024 */
  ids = model_ids (chrono_window_get_list_model (window));
  g_assert_nonnull (strstr (ids, "long"));
  g_assert_null (strstr (ids, "peacekeeping-mission"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static void
on_finished (gpointer  emitter,
             const char *text,
             char      **out)
{
  *out = g_strdup (text);
}

static void
on_snapshot_copied (ChronoWindow *window,
                    GdkTexture   *texture,
                    GdkTexture  **out)
{
  *out = g_object_ref (texture);
}

static void
on_texture_read (GObject      *clipboard,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GdkTexture **out = user_data;

  *out = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (clipboard), result, NULL);
}

static void
wait_until (gpointer *pointer)
{
  gint64 until = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;

  while (*pointer == NULL && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*pointer);
}

static gboolean
import_dialog_shown (gpointer data)
{
  return find_toplevel (CHRONO_TYPE_IMPORT_DIALOG) != NULL;
}

static gboolean
import_dialog_settled (gpointer data)
{
  ChronoImportDialog *dialog = data;

  return chrono_import_dialog_is_ready (dialog) || chrono_import_dialog_get_error (dialog) != NULL;
}

static gboolean
window_titled (gpointer data)
{
  ChronoWindow *window = data;

  return g_strcmp0 (gtk_window_get_title (GTK_WINDOW (window)), "marktwain") == 0;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
window_has_events (gpointer data)
{
  return chrono_window_get_store (data) != NULL &&
         g_strcmp0 (chrono_store_get_path (chrono_window_get_store (data)), g_object_get_data (data, "expected-path")) == 0;
}

/* A damaged dataset: the window says what is wrong and offers to copy what
 * can be read into a new dataset, which it then shows; the file stays */
static void
test_recover_damaged (void)
{
  const char *fixtures = g_getenv ("CHRONO_FIXTURES_DIR");
  g_autofree char *from = NULL;
  g_autofree char *dir = g_dir_make_tmp ("chrono-window-damaged-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "lesson.chronotope", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *after = NULL;
  g_autofree char *datasets = chrono_cli_dup_datasets_dir ();
  g_autofree char *expected = g_build_filename (datasets, "lesson-recovered.chronotope", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  ChronoWindow *window;
  AdwMessageDialog *dialog;
  gsize length, after_length;

  if (fixtures == NULL)
    {
      g_test_skip ("CHRONO_FIXTURES_DIR is not set");
      return;
    }
  from = g_build_filename (fixtures, "hostile", "corrupt-record.chronotope", NULL);
  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  g_unlink (expected);

  window = new_window ();
  chrono_window_open_file (window, file);
  wait_for (message_dialog_shown, NULL);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "is damaged: a text of the event 'rtjmc-in-operation'"));
  g_assert_true (adw_message_dialog_has_response (dialog, "recover"));

  g_object_set_data_full (G_OBJECT (window), "expected-path", g_strdup (expected), g_free);
  adw_message_dialog_response (dialog, "recover");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_for (window_has_events, window);
  g_assert_cmpuint (g_list_model_get_n_items (chrono_window_get_events_in_effect (window)) +
                    g_list_model_get_n_items (chrono_window_get_list_model (window)), >, 0);

  g_assert_true (g_file_get_contents (path, &after, &after_length, NULL));
  g_assert_cmpuint (after_length, ==, length);
  g_assert_true (memcmp (after, contents, length) == 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (expected);
  g_unlink (path);
  g_rmdir (dir);
}

static void
collect_labels_starting (GtkWidget  *widget,
                         const char *prefix,
                         GPtrArray  *found)
{
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_labels_starting (child, prefix, found);
}

static gboolean
has_huge_title_row (gpointer data)
{
  gpointer *args = data;
  GtkWidget *widget = args[0];
  GPtrArray *found = args[1];

  g_ptr_array_set_size (found, 0);
  collect_labels_starting (widget, "AAAA", found);
  return found->len > 0;
}

/* A 10 MB title, place name and summary: the window opens, lists the event
 * and shows its details with the texts cut for display, in bounded time */
static void
test_huge_texts (void)
{
  g_autofree char *dir = g_dir_make_tmp ("chrono-window-huge-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "huge.json", NULL);
  g_autoptr (GString) json = g_string_new (NULL);
  g_autoptr (GString) huge = g_string_sized_new (10 * 1024 * 1024);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = g_ptr_array_new ();
  gpointer args[2];
  ChronoWindow *window;
  gint64 start;

  while (huge->len < 10 * 1024 * 1024)
    g_string_append (huge, "AAAA BBBB ");
  g_string_printf (json,
                   "{ \"format\": \"chronotope-dataset\", \"version\": 1, \"id\": \"huge\","
                   "  \"title\": { \"en\": \"Huge\" },"
                   "  \"sources\": [ { \"id\": \"s1\", \"title\": \"Source\" } ],"
                   "  \"places\": [ { \"id\": \"p1\", \"kind\": \"town\", \"lat\": 39.8, \"lon\": 46.7,"
                   "    \"names\": [ { \"lang\": \"en\", \"name\": \"%s\", \"usage\": \"common\" } ] } ],"
                   "  \"events\": [ { \"id\": \"e1\", \"start\": \"2021-03-01\", \"end\": \"2021-03-05\","
                   "    \"text\": { \"en\": { \"title\": \"%s\", \"summary\": \"%s\" } },"
                   "    \"places\": [ { \"place\": \"p1\", \"role\": \"location\" } ],"
                   "    \"excerpts\": [ { \"id\": \"x1\", \"source\": \"s1\", \"lang\": \"en\", \"quote\": \"%s\" } ] } ] }",
                   huge->str, huge->str, huge->str, huge->str);
  g_assert_true (g_file_set_contents (path, json->str, json->len, &error));
  g_assert_no_error (error);

  window = new_window ();
  start = g_get_monotonic_time ();
  g_assert_true (chrono_window_open_dataset (window, file, &error));
  g_assert_no_error (error);
  set_day (window, chrono_day_from_ymd (2021, 3, 2));
  args[0] = window;
  args[1] = found;
  wait_for (has_huge_title_row, args);
  wait_for (date_at_rest, window);
  gtk_single_selection_set_selected (event_list_selection (window), 0);
  wait_for (date_at_rest, window);
  g_test_message ("opened and listed in %.1f s", (g_get_monotonic_time () - start) / 1e6);

  /* Every label showing the texts shows their start, cut */
  g_ptr_array_set_size (found, 0);
  collect_labels_starting (GTK_WIDGET (window), "AAAA", found);
  g_assert_cmpuint (found->len, >=, 2);
  for (guint i = 0; i < found->len; i++)
    {
      const char *text = gtk_label_get_text (g_ptr_array_index (found, i));

      g_assert_cmpuint (g_utf8_strlen (text, -1), <=, 2001);
      g_assert_true (g_str_has_suffix (text, "…"));
    }

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (dir);
}

/* Opening a TimelineJS file shows the import dialog with what it will read
 * (marktwain.json: 17 events, one of them an overview slide without a date);
 * importing makes a new dataset beside the person's datasets, opens it and
 * remembers it. */
static void
test_import_dialog (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("CHRONO_FIXTURES_DIR"), "timelinejs", "marktwain.json", NULL);
  g_autofree char *dataset = g_build_filename (g_get_user_data_dir (), "chronotope", "marktwain.chronotope", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  g_auto (GStrv) recent = NULL;
  g_autofree char *ids = NULL;
  ChronoWindow *window = new_window ();
  ChronoImportDialog *dialog;

  g_assert_false (g_file_test (dataset, G_FILE_TEST_EXISTS));
  chrono_window_open_file (window, file);
  wait_for (import_dialog_shown, NULL);
  dialog = CHRONO_IMPORT_DIALOG (find_toplevel (CHRONO_TYPE_IMPORT_DIALOG));
  wait_for (import_dialog_settled, dialog);
  g_assert_null (chrono_import_dialog_get_error (dialog));
  g_assert_cmpstr (chrono_import_dialog_get_counts (dialog), ==, "16 events, 12 places, 1 skipped");
  /* The preview wrote nothing */
  g_assert_false (g_file_test (dataset, G_FILE_TEST_EXISTS));

  chrono_import_dialog_import (dialog);
  wait_for (window_titled, window);
  g_assert_true (g_file_test (dataset, G_FILE_TEST_IS_REGULAR));
  g_assert_null (find_toplevel (CHRONO_TYPE_IMPORT_DIALOG));

  /* 6 January 1900: three events of the file begin that day */
  set_day (window, chrono_day_from_ymd (1900, 1, 6));
  ids = model_ids (chrono_window_get_list_model (window));
  g_assert_null (strstr (ids, "peacekeeping-mission"));
  g_assert_cmpuint (g_list_model_get_n_items (chrono_window_get_list_model (window)), ==, 3);

  recent = g_settings_get_strv (settings, "recent-datasets");
  g_assert_nonnull (recent[0]);
  g_assert_cmpstr (recent[0], ==, dataset);
  {
    g_autofree char *last = g_settings_get_string (settings, "last-dataset");

    g_assert_cmpstr (last, ==, dataset);
  }

  gtk_window_destroy (GTK_WINDOW (window));

  /* A new window opens the dataset that was open last */
  window = new_window ();
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "marktwain");
  gtk_window_destroy (GTK_WINDOW (window));

  /* The next tests expect the bundled dataset */
  g_settings_reset (settings, "last-dataset");
  g_settings_reset (settings, "recent-datasets");
}

/* A file that nothing can be imported from says why in the dialog, which
 * offers no import, and nothing is written. */
static void
test_import_dialog_nothing (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "empty-timeline.json", NULL);
  g_autofree char *dataset = g_build_filename (g_get_user_data_dir (), "chronotope", "empty-timeline.chronotope", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  ChronoWindow *window = new_window ();
  ChronoImportDialog *dialog;

  g_assert_true (g_file_set_contents (path, "{\"events\": [{\"start_date\": {\"year\": \"\"}, \"text\": {}}]}", -1, NULL));
  chrono_window_open_file (window, file);
  wait_for (import_dialog_shown, NULL);
  dialog = CHRONO_IMPORT_DIALOG (find_toplevel (CHRONO_TYPE_IMPORT_DIALOG));
  wait_for (import_dialog_settled, dialog);
  g_assert_nonnull (chrono_import_dialog_get_error (dialog));
  g_assert_nonnull (strstr (chrono_import_dialog_get_error (dialog), "empty-timeline.json"));
  g_assert_false (chrono_import_dialog_is_ready (dialog));
  chrono_import_dialog_import (dialog);
  g_assert_false (g_file_test (dataset, G_FILE_TEST_EXISTS));

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
import_dialog_previewed (gpointer data)
{
  return chrono_import_dialog_is_ready (data);
}

/* A table whose dates read either way: the dialog asks, and once told, shows
 * the rows as they will be read; a column chosen by hand changes the preview. */
static void
test_import_dialog_table (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "visits.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  ChronoWindow *window = new_window ();
  ChronoImportDialog *dialog;

  g_assert_true (g_file_set_contents (path,
                                      "when,what,where,lat,lon,note\n"
                                      "03/04/2020,Visit one,Yerevan,40.18,44.51,First\n"
                                      "05/06/2021,Visit two,Tbilisi,41.72,44.79,Second\n"
                                      "07/08/2022,Visit three,Baku,40.41,49.87,\n", -1, NULL));
  chrono_window_open_file (window, file);
  wait_for (import_dialog_shown, NULL);
  dialog = CHRONO_IMPORT_DIALOG (find_toplevel (CHRONO_TYPE_IMPORT_DIALOG));
  wait_for (import_dialog_settled, dialog);
  /* No day above 12: the order must be given */
  g_assert_nonnull (chrono_import_dialog_get_error (dialog));
  g_assert_false (chrono_import_dialog_is_ready (dialog));

  chrono_import_dialog_set_date_order (dialog, CHRONO_DATE_ORDER_DMY);
  wait_for (import_dialog_previewed, dialog);
  g_assert_null (chrono_import_dialog_get_error (dialog));
  g_assert_cmpstr (chrono_import_dialog_get_counts (dialog), ==, "3 events, 3 places, 0 skipped");

  /* Titles from the note column: the third row has none, so it is named after its text or place */
  chrono_import_dialog_set_column (dialog, CHRONO_COLUMN_TITLE, "note");
  wait_for (import_dialog_previewed, dialog);
  g_assert_cmpstr (chrono_import_dialog_get_counts (dialog), ==, "3 events, 3 places, 0 skipped");

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (dir);
}

/* Copy Snapshot puts a composed 1920×1080 image on the clipboard, not a
 * screen grab of the window. */
static void
test_copy_snapshot (void)
{
  ChronoWindow *window = new_window ();
  g_autoptr (GdkTexture) copied = NULL;
  g_autoptr (GdkTexture) read = NULL;

  set_day (window, chrono_day_from_ymd (2023, 9, 19));
  g_signal_connect (window, "snapshot-copied", G_CALLBACK (on_snapshot_copied), &copied);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-snapshot", NULL);
  wait_until ((gpointer *) &copied);
  g_assert_cmpint (gdk_texture_get_width (copied), ==, 1920);
  g_assert_cmpint (gdk_texture_get_height (copied), ==, 1080);

  gdk_clipboard_read_texture_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL, on_texture_read, &read);
  wait_until ((gpointer *) &read);
  g_assert_cmpint (gdk_texture_get_width (read), ==, 1920);
  g_assert_cmpint (gdk_texture_get_height (read), ==, 1080);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Export Snapshot… opens the dialog with a preview; saving writes a PNG of
 * the chosen size, here 2× the 1280×720 preset. */
static void
test_export_dialog (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "snapshot.png", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GdkTexture) saved = NULL;
  g_autofree char *finished = NULL;
  ChronoWindow *window = new_window ();
  ChronoExportDialog *dialog;
  ChronoSnapshotOptions *options;
  gint64 until;

  set_day (window, chrono_day_from_ymd (2020, 11, 10));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export-snapshot", NULL);
  dialog = CHRONO_EXPORT_DIALOG (find_toplevel (CHRONO_TYPE_EXPORT_DIALOG));
  g_assert_nonnull (dialog);

  /* The preview comes by itself, at the size chosen */
  until = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  while (chrono_export_dialog_get_preview (dialog) == NULL && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (chrono_export_dialog_get_preview (dialog));
  options = chrono_export_dialog_get_options (dialog);
  g_assert_cmpint (options->day, ==, chrono_day_from_ymd (2020, 11, 10));
  g_assert_cmpint (gdk_texture_get_width (chrono_export_dialog_get_preview (dialog)), ==, options->width);

  g_signal_connect (dialog, "finished", G_CALLBACK (on_finished), &finished);
  /* As a person would: the 1280×720 preset at 2× */
  chrono_export_dialog_select_size (dialog, CHRONO_SNAPSHOT_PRESET_720P, 2);
  chrono_export_dialog_save (dialog, file);
  wait_until ((gpointer *) &finished);
  g_assert_nonnull (strstr (finished, "snapshot.png"));

  saved = gdk_texture_new_from_filename (path, NULL);
  g_assert_nonnull (saved);
  g_assert_cmpint (gdk_texture_get_width (saved), ==, 2560);
  g_assert_cmpint (gdk_texture_get_height (saved), ==, 1440);
  g_assert_null (find_toplevel (CHRONO_TYPE_EXPORT_DIALOG));

  /* The choices are remembered for the next snapshot */
  {
    g_autoptr (GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
    g_autoptr (ChronoSnapshotOptions) next = chrono_window_dup_snapshot_options (window);

    g_assert_cmpint (g_settings_get_int (settings, "snapshot-size"), ==, CHRONO_SNAPSHOT_PRESET_720P);
    g_assert_cmpint (g_settings_get_int (settings, "snapshot-scale"), ==, 2);
    g_assert_cmpint (next->width, ==, 1280);
    g_assert_cmpint (next->height, ==, 720);
    g_assert_cmpint (next->scale, ==, 2);
    g_settings_reset (settings, "snapshot-size");
    g_settings_reset (settings, "snapshot-scale");
    g_settings_reset (settings, "snapshot-parts");
  }

  g_unlink (path);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Export Handout… writes one image per event into a folder, with an index. */
static void
test_handout_dialog (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-window-XXXXXX", NULL);
  g_autoptr (GFile) folder = g_file_new_for_path (dir);
  g_autofree char *finished = NULL;
  g_autofree char *index = NULL;
  g_autoptr (GDir) listing = NULL;
  ChronoWindow *window = new_window ();
  ChronoHandoutDialog *dialog;
  ChronoStore *store = chrono_window_get_store (window);
  g_autoptr (GArray) spans = chrono_store_get_spans (store, NULL);
  const char *name;
  guint n_png = 0;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.export-handout", NULL);
  dialog = CHRONO_HANDOUT_DIALOG (find_toplevel (CHRONO_TYPE_HANDOUT_DIALOG));
  g_assert_nonnull (dialog);
  /* The bundled dataset has a tour: it is what the dialog offers first */
  g_assert_cmpuint (adw_combo_row_get_selected (chrono_handout_dialog_get_mode_row (dialog)), ==, CHRONO_HANDOUT_TOUR);
  chrono_handout_dialog_select (dialog, CHRONO_HANDOUT_PER_EVENT, 1, FALSE);
  g_signal_connect (dialog, "finished", G_CALLBACK (on_finished), &finished);
  chrono_handout_dialog_export (dialog, folder);
  wait_until ((gpointer *) &finished);

  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_str_has_suffix (name, ".png"))
        n_png++;
      g_unlink (path);
    }
  /* One image per event of the dataset: as many as the store has spans */
  g_assert_cmpuint (n_png, ==, spans->len);
  g_test_message ("handout: %u images; %s", n_png, finished);

  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* F5's action opens presentation mode over the window; Escape leaves it. */
static void
test_present (void)
{
  ChronoWindow *window = new_window ();
  ChronoPresentation *presentation;
  gboolean handled = FALSE;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.present", NULL);
  presentation = CHRONO_PRESENTATION (find_toplevel (CHRONO_TYPE_PRESENTATION));
  g_assert_nonnull (presentation);
  g_assert_cmpuint (chrono_presentation_get_n_steps (presentation), >, 1);
  wait_for_draw (GTK_WIDGET (presentation));

  g_signal_emit_by_name (chrono_presentation_get_key_controller (presentation), "key-pressed",
                         GDK_KEY_Escape, 0, 0, &handled);
  g_assert_true (handled);
  wait_for_draw (GTK_WIDGET (window));
  g_assert_null (find_toplevel (CHRONO_TYPE_PRESENTATION));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The title shown by the @i-th of the window's scrubbing rows, or NULL */
static const char *
scrub_row_title (ChronoWindow *window,
                 guint         i)
{
  GtkWidget *row = gtk_widget_get_first_child (chrono_window_get_scrub_rows (window));
  GtkWidget *text;

  for (; row != NULL && i > 0; i--)
    row = gtk_widget_get_next_sibling (row);
  if (row == NULL)
    return NULL;

  text = gtk_widget_get_next_sibling (gtk_widget_get_first_child (row));
  return gtk_inscription_get_text (GTK_INSCRIPTION (gtk_widget_get_last_child (text)));
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/* A quick run of date changes (a drag, play) shows the first events in
 * one-line rows that stay; once the date rests, the list comes back with
 * every event and the selection. */
/* The date rests once the list is back in place of the quick-scrub rows. */
static gboolean
date_at_rest (gpointer data)
{
  return chrono_window_get_shown_model (data) != NULL;
}

static void
test_scrub_rows (void)
{
  ChronoWindow *window = new_window ();
  GtkWidget *rows = chrono_window_get_scrub_rows (window);
  GListModel *events;
  g_autoptr (ChronoEvent) kept = NULL;
  GtkSingleSelection *selection;
  guint n_all, n_rows;

  g_autoptr (GHashTable) later = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint kept_at = 0;

  /* The events of 21 September 2023, to keep one selected across a run */
  set_day (window, chrono_day_from_ymd (2023, 9, 21));
  wait_for_draw (GTK_WIDGET (window));
  wait_for (date_at_rest, window);
  events = chrono_window_get_list_model (window);
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr (ChronoEvent) event = g_list_model_get_item (events, i);

      g_hash_table_add (later, g_strdup (chrono_event_get_id (event)));
    }

  set_day (window, chrono_day_from_ymd (2023, 9, 19));
  wait_for_draw (GTK_WIDGET (window));
  wait_for (date_at_rest, window);
  n_all = g_list_model_get_n_items (events);
  g_assert_nonnull (chrono_window_get_shown_model (window));
  g_assert_cmpuint (g_list_model_get_n_items (chrono_window_get_shown_model (window)), ==, n_all);
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (rows, GTK_TYPE_SCROLLED_WINDOW)));

  /* Select the first event of 19 September 2023 still in effect on the 21st */
  selection = GTK_SINGLE_SELECTION (chrono_window_get_shown_model (window));
  for (guint i = 0; i < n_all && kept == NULL; i++)
    {
      g_autoptr (ChronoEvent) event = g_list_model_get_item (events, i);

      if (g_hash_table_contains (later, chrono_event_get_id (event)))
        {
          gtk_single_selection_set_selected (selection, i);
          kept = g_object_ref (event);
          kept_at = i;
        }
    }
  g_assert_nonnull (kept);

  /* A run of changes: the list gives way to rows as many as fit in the
   * window's 800 pixels, fewer than the 16 events of 19 September 2023,
   * each showing the event the list has there. */
  set_day (window, chrono_day_from_ymd (2023, 9, 20));
  set_day (window, chrono_day_from_ymd (2023, 9, 19));
  g_assert_null (chrono_window_get_shown_model (window));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_ancestor (rows, GTK_TYPE_SCROLLED_WINDOW)));
  n_rows = count_children (rows);
  g_test_message ("%u rows for %u events while scrubbing", n_rows, n_all);
  g_assert_cmpuint (n_rows, >, 2);
  g_assert_cmpuint (n_rows, <, n_all);
  g_test_message ("the selected event is row %u", kept_at);
  g_assert_cmpuint (kept_at, <, n_rows);
  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr (ChronoEvent) event = g_list_model_get_item (events, i);
      GtkWidget *row = gtk_widget_get_first_child (rows);

      for (guint k = 0; k < i; k++)
        row = gtk_widget_get_next_sibling (row);
      g_assert_cmpstr (scrub_row_title (window, i), ==, chrono_event_get_title (event));
      /* The selected event's row is marked as the list marks it */
      g_assert_true (gtk_widget_has_css_class (row, "selected-event") == (event == kept));
    }

  /* At rest on the 21st, the list is back, whole, with the event still
   * selected */
  set_day (window, chrono_day_from_ymd (2023, 9, 21));
  wait_for_draw (GTK_WIDGET (window));
  wait_for (date_at_rest, window);
  g_assert_nonnull (chrono_window_get_shown_model (window));
  g_assert_cmpuint (g_list_model_get_n_items (chrono_window_get_shown_model (window)), ==,
                    g_list_model_get_n_items (events));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (rows, GTK_TYPE_SCROLLED_WINDOW)));
  g_assert_true (gtk_single_selection_get_selected_item (selection) == (gpointer) kept);

  /* The rows follow the date: in June 2023, fewer events than rows, and
   * the rows below them empty. (With nothing selected, the details pane
   * closes and the list has its height again.) */
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
  wait_for_draw (GTK_WIDGET (window));
  set_day (window, chrono_day_from_ymd (2023, 6, 1));
  set_day (window, chrono_day_from_ymd (2023, 6, 2));
  n_all = g_list_model_get_n_items (events);
  g_assert_cmpuint (n_all, <, n_rows);
  g_assert_cmpuint (count_children (rows), ==, n_rows);
  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr (ChronoEvent) event = i < n_all ? g_list_model_get_item (events, i) : NULL;

      g_assert_cmpstr (scrub_row_title (window, i), ==, event != NULL ? chrono_event_get_title (event) : NULL);
    }
  wait_for (date_at_rest, window);
  g_assert_nonnull (chrono_window_get_shown_model (window));
  g_assert_cmpuint (g_list_model_get_n_items (chrono_window_get_shown_model (window)), ==, n_all);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The first widget of @type under @widget, depth first */
static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Runs the shortcut the timeline's class binds to @keyval with @mods, as the
 * key pressed with the focus on the timeline would (as in test-timeline.c) */
static gboolean
press_timeline_key (GtkWidget       *widget,
                    guint            keyval,
                    GdkModifierType  mods)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }

  return FALSE;
}

/* A key press as the window's key controller receives it: the controller
 * that runs in the capture phase, before the focused widget. */
static gboolean
press_key (ChronoWindow    *window,
           guint            keyval,
           GdkModifierType  state)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (chrono_window_get_key_controller (window), "key-pressed",
                         keyval, 0, state, &handled);
  return handled;
}

static gboolean
focus_is_within (ChronoWindow *window,
                 GtkWidget    *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The date at rest on @day, the list back after the run of changes */
static void
set_day_at_rest (ChronoWindow *window,
                 ChronoDay     day)
{
  set_day (window, day);
  wait_for (date_at_rest, window);
}

/* After a click on an event in the list, the timeline's keys move the date
 * exactly as the same keys on the timeline do, Space plays, and the list
 * keeps its selection, Up/Down and Enter and, after the run of changes, the
 * focus; text fields keep their keys, the map its arrows, and Esc in the
 * search results closes search. */
static void
test_keys_from_list (void)
{
  ChronoWindow *window = new_window ();
  ChronoTimeline *timeline = chrono_window_get_timeline (window);
  GtkWidget *list = find_descendant (GTK_WIDGET (window), GTK_TYPE_LIST_VIEW);
  GtkWidget *entry = find_descendant (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY);
  GtkWidget *search_bar = find_descendant (GTK_WIDGET (window), GTK_TYPE_SEARCH_BAR);
  GtkWidget *map = GTK_WIDGET (shumate_simple_map_get_map (chrono_window_get_map (window)));
  const ChronoDay start = chrono_day_from_ymd (2023, 9, 19);
  GtkSingleSelection *selection;
  gpointer selected;
  const struct {
    guint            keyval;
    GdkModifierType  state;
    ChronoDay        expected;  /* 0: wherever the timeline's own key takes it */
  } keys[] = {
    { GDK_KEY_Left, 0, chrono_day_from_ymd (2023, 9, 18) },
    { GDK_KEY_Right, 0, chrono_day_from_ymd (2023, 9, 20) },
    { GDK_KEY_KP_Right, 0, chrono_day_from_ymd (2023, 9, 20) },
    { GDK_KEY_Left, GDK_SHIFT_MASK, chrono_day_from_ymd (2023, 8, 19) },
    { GDK_KEY_Right, GDK_SHIFT_MASK, chrono_day_from_ymd (2023, 10, 19) },
    { GDK_KEY_Left, GDK_CONTROL_MASK, chrono_day_from_ymd (2022, 9, 19) },
    { GDK_KEY_Right, GDK_CONTROL_MASK, chrono_day_from_ymd (2024, 9, 19) },
    { GDK_KEY_Page_Up, 0, 0 },
    { GDK_KEY_Page_Down, 0, 0 },
    { GDK_KEY_Home, 0, 0 },
    { GDK_KEY_End, 0, 0 },
  };


  g_assert_nonnull (list);
  g_assert_nonnull (entry);
  g_assert_nonnull (search_bar);
  g_assert_cmpint (gtk_event_controller_get_propagation_phase (chrono_window_get_key_controller (window)), ==,
                   GTK_PHASE_CAPTURE);

  chrono_window_set_afterglow_days (window, 0);
  set_day_at_rest (window, start);
  selection = GTK_SINGLE_SELECTION (chrono_window_get_shown_model (window));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), >, 1);
  gtk_single_selection_set_selected (selection, 1);
  g_assert_true (gtk_widget_grab_focus (list));

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      ChronoDay by_key, by_timeline;

      set_day_at_rest (window, start);
      g_assert_true (focus_is_within (window, list));
      g_assert_true (press_key (window, keys[i].keyval, keys[i].state));
      by_key = chrono_timeline_get_day (timeline);
      wait_for (date_at_rest, window);

      set_day_at_rest (window, start);
      g_assert_true (press_timeline_key (GTK_WIDGET (timeline), keys[i].keyval, keys[i].state));
      by_timeline = chrono_timeline_get_day (timeline);
      wait_for (date_at_rest, window);

      g_test_message ("key %s (state %x): %" G_GINT64_FORMAT ", timeline %" G_GINT64_FORMAT,
                      gdk_keyval_name (keys[i].keyval), keys[i].state, (gint64) by_key, (gint64) by_timeline);
      g_assert_cmpint (by_key, !=, start);
      g_assert_cmpint (by_key, ==, by_timeline);
      if (keys[i].expected != 0)
        g_assert_cmpint (by_key, ==, keys[i].expected);
    }

  /* The list keeps the focus, its selection and its own keys */
  set_day_at_rest (window, start);
  g_assert_true (focus_is_within (window, list));
  gtk_single_selection_set_selected (selection, 1);
  selected = gtk_single_selection_get_selected_item (selection);
  g_assert_nonnull (selected);
  g_assert_false (press_key (window, GDK_KEY_Up, 0));
  g_assert_false (press_key (window, GDK_KEY_Down, 0));
  g_assert_false (press_key (window, GDK_KEY_Return, 0));
  g_assert_cmpint (chrono_timeline_get_day (timeline), ==, start);

  /* Space plays and pauses instead of unselecting */
  g_assert_false (chrono_timeline_get_playing (timeline));
  g_assert_true (press_key (window, GDK_KEY_space, 0));
  g_assert_true (chrono_timeline_get_playing (timeline));
  g_assert_true (gtk_single_selection_get_selected_item (selection) == selected);
  g_assert_true (press_key (window, GDK_KEY_space, 0));
  g_assert_false (chrono_timeline_get_playing (timeline));
  wait_for (date_at_rest, window);
  g_assert_true (focus_is_within (window, list));

  /* While typing in the search entry, the keys are the entry's */
  set_day_at_rest (window, start);
  chrono_window_search (window, "Berdzor");
  g_assert_true (gtk_widget_grab_focus (entry));
  g_assert_true (focus_is_within (window, entry));
  g_assert_false (press_key (window, GDK_KEY_Left, 0));
  g_assert_false (press_key (window, GDK_KEY_Home, 0));
  g_assert_false (press_key (window, GDK_KEY_space, 0));
  g_assert_cmpint (chrono_timeline_get_day (timeline), ==, start);
  g_assert_false (chrono_timeline_get_playing (timeline));

  /* In its results, the timeline's keys work and Esc closes search */
  g_assert_true (gtk_widget_grab_focus (list));
  g_assert_true (press_key (window, GDK_KEY_Right, 0));
  g_assert_cmpint (chrono_timeline_get_day (timeline), ==, start + 1);
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (search_bar)));
  g_assert_true (press_key (window, GDK_KEY_Escape, 0));
  g_assert_false (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (search_bar)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_true (chrono_window_get_list_model (window) == chrono_window_get_events_in_effect (window));
  wait_for (date_at_rest, window);

  /* The map pans with its arrows, and takes the other keys */
  set_day_at_rest (window, start);
  g_assert_true (gtk_widget_grab_focus (map));
  g_assert_false (press_key (window, GDK_KEY_Left, 0));
  g_assert_cmpint (chrono_timeline_get_day (timeline), ==, start);
  g_assert_true (press_key (window, GDK_KEY_Page_Down, 0));
  g_assert_cmpint (chrono_timeline_get_day (timeline), >, start);
  wait_for (date_at_rest, window);

  /* On the timeline, its own bindings take the keys */
  set_day_at_rest (window, start);
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (timeline)));
  g_assert_false (press_key (window, GDK_KEY_Left, 0));
  g_assert_cmpint (chrono_timeline_get_day (timeline), ==, start);

  if (chrono_window_get_place_popover (window) != NULL)
    gtk_popover_popdown (GTK_POPOVER (chrono_window_get_place_popover (window)));
  wait_for_draw (GTK_WIDGET (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Where OpenGL would run in software, the cairo renderer, without GDK
 * preparing OpenGL; a renderer the person chose is kept. Only the
 * environment is looked at: GTK reads it when a window gets its renderer. */
static void
test_renderer_choice (void)
{
  g_autofree char *saved_renderer = g_strdup (g_getenv ("GSK_RENDERER"));
  g_autofree char *saved_debug = g_strdup (g_getenv ("GDK_DEBUG"));
  g_autofree char *saved_software = g_strdup (g_getenv ("LIBGL_ALWAYS_SOFTWARE"));

  g_setenv ("LIBGL_ALWAYS_SOFTWARE", "1", TRUE);
  g_unsetenv ("GSK_RENDERER");
  g_unsetenv ("GDK_DEBUG");
  chrono_application_choose_renderer ();
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "gl-disable");

  /* Flags already there are kept, and not repeated */
  g_setenv ("GDK_DEBUG", "events", TRUE);
  chrono_application_choose_renderer ();
  chrono_application_choose_renderer ();
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "events,gl-disable");

  /* A renderer chosen by the person stays, with OpenGL */
  g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_unsetenv ("GDK_DEBUG");
  chrono_application_choose_renderer ();
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "gl");
  g_assert_null (g_getenv ("GDK_DEBUG"));

  if (saved_renderer != NULL)
    g_setenv ("GSK_RENDERER", saved_renderer, TRUE);
  else
    g_unsetenv ("GSK_RENDERER");
  if (saved_debug != NULL)
    g_setenv ("GDK_DEBUG", saved_debug, TRUE);
  else
    g_unsetenv ("GDK_DEBUG");
  if (saved_software != NULL)
    g_setenv ("LIBGL_ALWAYS_SOFTWARE", saved_software, TRUE);
  else
    g_unsetenv ("LIBGL_ALWAYS_SOFTWARE");
}

static gboolean
layer_has_marks (gpointer data)
{
  ChronoWindow *window = data;
  int width, height;
  gsize stride;
  g_autoptr (GBytes) pixels = render_widget (GTK_WIDGET (chrono_window_get_map (window)), &width, &height, &stride);

  return chrono_event_layer_get_n_marks (chrono_window_get_event_layer (window)) ==
         GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (window), "wanted-marks"));
}

static void
wait_for_marks (ChronoWindow *window,
                guint         n)
{
  g_object_set_data (G_OBJECT (window), "wanted-marks", GUINT_TO_POINTER (n));
  wait_for (layer_has_marks, window);
}

static guint32
pixel_at (GBytes *pixels,
          int     width,
          double  x,
          double  y)
{
  const guint32 *data = g_bytes_get_data (pixels, NULL);

  return data[(gsize) round (y) * (gsize) width + (gsize) round (x)];
}

/* A window's map once its tiles have come: many colours, and the same twice */
static GBytes *
render_settled_map (ChronoWindow *window,
                    int          *width,
                    int          *height)
{
  GtkWidget *map = GTK_WIDGET (chrono_window_get_map (window));
  gint64 until = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  GBytes *last = NULL;
  gsize stride;

  while (g_get_monotonic_time () < until)
    {
      GBytes *now;

      g_main_context_iteration (NULL, FALSE);
      now = render_widget (map, width, height, &stride);
      if (now != NULL && last != NULL && count_colors (now) > 200 && g_bytes_equal (now, last))
        {
          g_bytes_unref (last);
          return now;
        }
      g_clear_pointer (&last, g_bytes_unref);
      last = now;
    }
  g_assert_not_reached ();
}

/* A new dataset from nothing: a place put on the map and an event there
 * appear in the list and on the map; moving the place moves its mark; undo
 * (the window's action, named after the edit) puts it back; deleting the
 * event and the place empties both, and undo brings the place back. */
static void
test_edit_places (void)
{
  ChronoWindow *window = new_window ();
  ChronoEventLayer *layer = chrono_window_get_event_layer (window);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (chrono_window_get_map (window));
  const char *langs[] = { "en", NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *place = NULL;
  g_autofree char *event = NULL;
  g_autofree char *today = NULL;
  g_autofree char *listed = NULL;
  g_autoptr (GBytes) empty = NULL;
  g_autoptr (GBytes) placed = NULL;
  g_autoptr (GBytes) moved = NULL;
  g_autoptr (GBytes) deleted = NULL;
  g_autoptr (GMenuModel) menu = NULL;
  ChronoDocument *document;
  double lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  double lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  double x0, y0, x1, y1, radius;
  int width, height;

  path = chrono_window_new_dataset (window, "A lesson", langs, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (path, ".chronotope"));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  document = chrono_window_get_document (window);
  g_assert_false (chrono_document_get_read_only (document));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "A lesson");
  g_assert_cmpuint (g_list_model_get_n_items (chrono_window_get_list_model (window)), ==, 0);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL) &&
                  chrono_document_can_undo (document));

  set_day (window, chrono_day_from_ymd (2021, 3, 1));
  empty = render_settled_map (window, &width, &height);

  {
    const char *name_langs[] = { "en" };
    const char *names[] = { "Schoolhouse" };
    ChronoPlaceFields fields = { .lat = lat, .lon = lon, .kind = "town", .n_names = 1,
                                 .name_langs = name_langs, .names = names };

    place = chrono_document_add_place (document, &fields, &error);
    g_assert_no_error (error);
  }
  /* The map's menu on a place starts an event there */
  menu = chrono_window_dup_map_menu (window, place, lat, lon);
  /* The place's section, and what can be done at that spot */
  g_assert_cmpuint (g_menu_model_get_n_items (menu), ==, 2);
  g_clear_object (&menu);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-event-at", "s", place));
  {
    GtkWindow *editor = find_toplevel (CHRONO_TYPE_EVENT_EDITOR);

    g_assert_nonnull (editor);
    g_assert_cmpuint (chrono_event_editor_get_n_places (CHRONO_EVENT_EDITOR (editor)), ==, 1);
    gtk_window_destroy (editor);
  }
  today = chrono_day_to_iso (chrono_timeline_get_day (chrono_window_get_timeline (window)));
  {
    const char *text_langs[] = { "en" };
    const char *titles[] = { "The lesson begins" };
    const char *place_ids[] = { place };
    ChronoEventFields fields = { .start = today, .end = "..", .n_texts = 1, .text_langs = text_langs,
                                 .titles = titles, .n_places = 1, .place_ids = place_ids };

    event = chrono_document_add_event (document, &fields, &error);
    g_assert_no_error (error);
  }

  /* The list has it, and the map a mark where the place is */
  listed = model_ids (chrono_window_get_list_model (window));
  g_assert_cmpstr (listed, ==, event);
  g_assert_nonnull (chrono_event_layer_get_place (layer, place));
  wait_for_marks (window, 1);
  placed = render_settled_map (window, &width, &height);
  chrono_event_layer_get_mark (layer, 0, &x0, &y0, &radius);
  g_test_message ("mark at %.1f, %.1f in a map of %dx%d", x0, y0, width, height);
  g_assert_cmpfloat (fabs (x0 - width / 2.0), <, 2);
  g_assert_cmpfloat (fabs (y0 - height / 2.0), <, 2);
  g_assert_cmpuint (pixel_at (placed, width, x0, y0), !=, pixel_at (empty, width, x0, y0));

  /* Moved east, as a drag does: the mark follows, the old spot is bare */
  g_assert_true (chrono_document_move_place (document, place, lat, lon + 0.3, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (chrono_document_get_undo_label (document), ==, "Move Place");
  wait_for_marks (window, 1);
  moved = render_settled_map (window, &width, &height);
  chrono_event_layer_get_mark (layer, 0, &x1, &y1, &radius);
  g_test_message ("moved to %.1f, %.1f", x1, y1);
  g_assert_cmpfloat (x1 - x0, >, 30);
  g_assert_cmpfloat (fabs (y1 - y0), <, 2);
  /* (The basemap under it may differ from the empty map's: it leaves the
   * dataset's towns to the event layer, and this place is one now) */
  g_assert_cmpuint (pixel_at (moved, width, x0, y0), !=, pixel_at (placed, width, x0, y0));
  g_assert_cmpuint (pixel_at (moved, width, x1, y1), !=, pixel_at (empty, width, x1, y1));
  /* The event in the list is the event at the place's new position */
  {
    g_autoptr (ChronoEvent) first = g_list_model_get_item (chrono_window_get_list_model (window), 0);

    g_assert_cmpfloat (chrono_place_get_lon (g_ptr_array_index (chrono_event_get_places (first), 0)), ==, lon + 0.3);
  }

  /* Undo, from the window */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_cmpstr (chrono_document_get_redo_label (document), ==, "Move Place");
  g_assert_cmpfloat (chrono_place_get_lon (chrono_document_find_place (document, place)), ==, lon);
  wait_for_marks (window, 1);
  chrono_event_layer_get_mark (layer, 0, &x1, &y1, &radius);
  g_assert_cmpfloat (fabs (x1 - x0), <, 1);

  /* A bar selected on the timeline is the window's selected event; adding it
   * to the tour twice makes one step */
  chrono_timeline_set_selected_event (chrono_window_get_timeline (window),
                                      chrono_event_get_rowid (chrono_document_find_event (document, event)));
  {
    ChronoEvent *selected = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (chrono_window_get_shown_model (window)));

    g_assert_nonnull (selected);
    g_assert_cmpstr (chrono_event_get_id (selected), ==, event);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-to-tour", "s", ""));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-to-tour", "s", ""));
  g_assert_cmpuint (chrono_document_get_tour (document)->len, ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_cmpuint (chrono_document_get_tour (document)->len, ==, 0);
  chrono_timeline_set_selected_event (chrono_window_get_timeline (window), -1);
  g_assert_null (gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (chrono_window_get_shown_model (window))));

  /* Deleting the place takes it off the map and out of its event */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-place", "s", place));
  g_assert_null (chrono_event_layer_get_place (layer, place));
  g_assert_cmpuint (chrono_event_get_places (chrono_document_find_event (document, event))->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (chrono_window_get_list_model (window)), ==, 1);
  wait_for_marks (window, 0);
  deleted = render_settled_map (window, &width, &height);
  g_assert_cmpuint (pixel_at (deleted, width, x0, y0), !=, pixel_at (placed, width, x0, y0));
  /* Undo: the place is back, in its event too */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_nonnull (chrono_event_layer_get_place (layer, place));
  g_assert_cmpuint (chrono_event_get_places (chrono_document_find_event (document, event))->len, ==, 1);
  wait_for_marks (window, 1);

  /* The event's context menu deletes it; undo brings it back */
  menu = chrono_window_dup_event_menu (window, chrono_document_find_event (document, event));
  g_assert_cmpuint (g_menu_model_get_n_items (menu), ==, 4);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-event", "s", event));
  g_assert_cmpuint (g_list_model_get_n_items (chrono_window_get_list_model (window)), ==, 0);
  g_assert_cmpstr (chrono_document_get_undo_label (document), ==, "Delete Event");
  wait_for_marks (window, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_free (listed);
  listed = model_ids (chrono_window_get_list_model (window));
  g_assert_cmpstr (listed, ==, event);
  wait_for_marks (window, 1);

  /* All of it is in the file, read again from nothing */
  {
    g_autoptr (ChronoDocument) again = NULL;

    gtk_window_destroy (GTK_WINDOW (window));
    wait_for_draw (NULL);
    again = chrono_document_open (path, "en", &error);
    g_assert_no_error (error);
    g_assert_false (chrono_document_get_read_only (again));
    g_assert_nonnull (chrono_document_find_event (again, event));
    g_assert_cmpfloat (chrono_place_get_lon (chrono_document_find_place (again, place)), ==, lon);
  }
}

/* The bundled dataset cannot be edited: an edit offers a copy, which opens
 * at the same date, can be edited, and leaves the bundled one as it was. */
static void
test_copy_to_edit (void)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  ChronoWindow *window = (g_settings_reset (settings, "last-dataset"), new_window ());
  ChronoDocument *document = chrono_window_get_document (window);
  guint n_events = chrono_document_get_events (document)->len;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  GtkWindow *dialog;
  ChronoDay day = chrono_day_from_ymd (2021, 5, 1);

  g_assert_true (chrono_document_get_read_only (document));
  set_day (window, day);

  /* An edit is refused with the offer of a copy */
  g_assert_null (chrono_window_edit_event (window, NULL));
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Make a Copy to Edit?");
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "copy"));
  gtk_window_destroy (dialog);

  path = chrono_window_make_copy_to_edit (window, &error);
  g_assert_no_error (error);
  document = chrono_window_get_document (window);
  g_assert_false (chrono_document_get_read_only (document));
  g_assert_cmpstr (chrono_document_get_path (document), ==, path);
  g_assert_cmpuint (chrono_document_get_events (document)->len, ==, n_events);
  g_assert_cmpint (chrono_timeline_get_day (chrono_window_get_timeline (window)), ==, day);

  /* Now the editor opens */
  {
    GtkWidget *editor = chrono_window_edit_event (window, NULL);

    g_assert_nonnull (editor);
    gtk_window_destroy (GTK_WINDOW (editor));
  }
  g_assert_true (chrono_document_set_title (document, "en", "My copy", &error));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "My copy");
  g_assert_cmpstr (chrono_document_get_undo_label (document), ==, "Rename Dataset");

  gtk_window_destroy (GTK_WINDOW (window));
  wait_for_draw (NULL);

  /* The bundled dataset is as it was */
  {
    g_autoptr (ChronoStore) bundled = chrono_dataset_open_bundled (&error);
    g_autofree char *title = NULL;

    g_assert_no_error (error);
    title = chrono_store_dup_meta_for_lang (bundled, "title", "en");
    g_assert_cmpstr (title, !=, "My copy");
  }
}

/* A line needs two points, an area three; an area drawn by clicks becomes
 * a place with its polygon, drawn by the event layer as an area */
static void
test_draw_area (void)
{
  ChronoWindow *window = new_window ();
  const char *langs[] = { "en", NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *path = chrono_window_new_dataset (window, "Shapes", langs, &error);
  ChronoDocument *document = chrono_window_get_document (window);
  GtkWidget *editor;
  g_autofree char *id = NULL;
  ChronoPlace *place;

  g_assert_no_error (error);
  chrono_window_start_drawing (window, "line");
  chrono_window_add_drawn_point (window, 40.0, 46.0);
  g_assert_null (chrono_window_finish_drawing (window));
  /* Esc: nothing drawn stays */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.draw-place", "s", "area"));
  chrono_window_add_drawn_point (window, 40.0, 46.0);
  chrono_window_add_drawn_point (window, 40.2, 46.0);
  chrono_window_add_drawn_point (window, 40.1, 46.3);
  editor = chrono_window_finish_drawing (window);
  g_assert_nonnull (editor);
  /* Enter in a name saves, and saving closes the editor */
  g_object_ref (editor);
  g_signal_emit_by_name (chrono_place_editor_add_name (CHRONO_PLACE_EDITOR (editor), "en", "Old town", "common"),
                         "entry-activated");
  id = g_strdup (chrono_place_editor_get_place_id (CHRONO_PLACE_EDITOR (editor)));
  g_object_unref (editor);
  g_assert_nonnull (id);

  place = chrono_document_find_place (document, id);
  g_assert_nonnull (place);
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "area");
  g_test_message ("geometry %s", chrono_place_get_geometry (place));
  g_assert_cmpstr (chrono_place_get_geometry (place), ==,
                   "{\"type\":\"Polygon\",\"coordinates\":[[[46.000000,40.000000],[46.000000,40.200000],"
                   "[46.300000,40.100000],[46.000000,40.000000]]]}");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place), 40.1, 1e-9);
  g_assert_true (chrono_event_layer_is_area (chrono_window_get_event_layer (window), id));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A dataset open in one window opens read-only in a second, saying why;
 * once the first is closed, it opens to be edited again */
static void
test_open_twice (void)
{
  ChronoWindow *first = new_window ();
  ChronoWindow *second = NULL;
  const char *langs[] = { "en", NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *path = chrono_window_new_dataset (first, "Twice", langs, &error);
  g_autoptr (GFile) file = NULL;
  ChronoDocument *document;

  g_assert_no_error (error);
  file = g_file_new_for_path (path);
  second = new_window ();
  g_assert_true (chrono_window_open_dataset (second, file, &error));
  g_assert_no_error (error);
  document = chrono_window_get_document (second);
  g_assert_true (chrono_document_get_read_only (document));
  g_assert_nonnull (strstr (chrono_document_get_read_only_reason (document), "being edited in another window"));
  g_assert_false (chrono_document_set_title (document, "en", "Lost", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_false (chrono_document_get_read_only (chrono_window_get_document (first)));
  gtk_window_destroy (GTK_WINDOW (first));
  wait_for_draw (NULL);
  g_assert_true (chrono_window_open_dataset (second, file, &error));
  g_assert_no_error (error);
  g_assert_false (chrono_document_get_read_only (chrono_window_get_document (second)));
  gtk_window_destroy (GTK_WINDOW (second));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("chrono-test-window-XXXXXX", NULL);

  /* A data dir of our own for the bundled dataset's first run. Not GLib's
   * isolated dirs: they also hide the system's MIME data, without which GTK
   * cannot load the map's SVG icons. */
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/window/list-follows-date", test_list_follows_date);
  g_test_add_func ("/window/afterglow", test_afterglow);
  g_test_add_func ("/window/afterglow-rows", test_afterglow_rows);
  g_test_add_func ("/window/details-start-at-top", test_details_start_at_top);
  g_test_add_func ("/window/place-whole-timeline", test_place_whole_timeline);
  g_test_add_func ("/window/timeline-height", test_timeline_height);
  g_test_add_func ("/window/boundaries-change-list", test_boundaries_change_list);
  g_test_add_func ("/window/search-other-names", test_search_other_names);
  g_test_add_func ("/window/map-draws-and-changes", test_map_draws_and_changes);
  g_test_add_func ("/window/place-filter", test_place_filter);
  g_test_add_func ("/window/afterglow-setting", test_afterglow_setting);
  g_test_add_func ("/window/basemap-style", test_basemap_style);
  g_test_add_func ("/window/preferences", test_preferences);
  g_test_add_func ("/window/place-name-policy", test_place_name_policy);
  g_test_add_func ("/window/open-dataset", test_open_dataset);
  g_test_add_func ("/window/import-dialog", test_import_dialog);
  g_test_add_func ("/window/recover-damaged", test_recover_damaged);
  g_test_add_func ("/window/huge-texts", test_huge_texts);
  g_test_add_func ("/window/import-dialog-nothing", test_import_dialog_nothing);
  g_test_add_func ("/window/import-dialog-table", test_import_dialog_table);
  g_test_add_func ("/window/copy-snapshot", test_copy_snapshot);
  g_test_add_func ("/window/export-dialog", test_export_dialog);
  g_test_add_func ("/window/handout-dialog", test_handout_dialog);
  g_test_add_func ("/window/present", test_present);
  g_test_add_func ("/window/scrub-rows", test_scrub_rows);
  g_test_add_func ("/window/keys-from-list", test_keys_from_list);
  g_test_add_func ("/window/renderer-choice", test_renderer_choice);
  g_test_add_func ("/window/edit-places", test_edit_places);
  g_test_add_func ("/window/copy-to-edit", test_copy_to_edit);
  g_test_add_func ("/window/draw-area", test_draw_area);
  g_test_add_func ("/window/open-twice", test_open_twice);

  return g_test_run ();
}
