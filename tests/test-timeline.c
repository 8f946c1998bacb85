/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <adwaita.h>

#include "chrono-dataset.h"
#include "chrono-event.h"
#include "chrono-event-layer.h"
#include "chrono-store.h"
#include "chrono-timeline.h"

/* Five events whose dates the tests know by heart: two overlapping bars, a
 * disjoint one, a single day and a month known only as a month. */
static const char dataset_json[] =
  "{ \"format\": \"chronotope-dataset\", \"version\": 1, \"id\": \"timeline-test\","
  "  \"title\": { \"en\": \"Timeline test\" },"
  "  \"sources\": [ { \"id\": \"s1\", \"title\": \"Source\", \"published\": \"2021-07-01\" } ],"
  "  \"places\": [],"
  "  \"events\": ["
  "    { \"id\": \"bar-a\", \"start\": \"2021-03-01\", \"end\": \"2021-03-10\", \"category\": \"military\","
  "      \"importance\": 2, \"text\": { \"en\": { \"title\": \"Bar A\" } },"
  "      \"excerpts\": [ { \"id\": \"x1\", \"source\": \"s1\", \"lang\": \"en\", \"quote\": \"a\" } ] },"
  "    { \"id\": \"bar-b\", \"start\": \"2021-03-05\", \"end\": \"2021-03-20\", \"category\": \"diplomatic\","
  "      \"importance\": 2, \"text\": { \"en\": { \"title\": \"Bar B\" } },"
  "      \"excerpts\": [ { \"id\": \"x2\", \"source\": \"s1\", \"lang\": \"en\", \"quote\": \"b\" } ] },"
  "    { \"id\": \"bar-c\", \"start\": \"2021-04-01\", \"end\": \"2021-04-20\", \"category\": \"political\","
  "      \"importance\": 2, \"text\": { \"en\": { \"title\": \"Bar C\" } },"
  "      \"excerpts\": [ { \"id\": \"x3\", \"source\": \"s1\", \"lang\": \"en\", \"quote\": \"c\" } ] },"
  "    { \"id\": \"day-d\", \"start\": \"2021-05-15\", \"end\": null, \"category\": \"humanitarian\","
  "      \"importance\": 1, \"text\": { \"en\": { \"title\": \"Day D\" } },"
  "      \"excerpts\": [ { \"id\": \"x4\", \"source\": \"s1\", \"lang\": \"en\", \"quote\": \"d\" } ] },"
  "    { \"id\": \"month-e\", \"start\": \"2021-06\", \"end\": null, \"category\": \"context\","
  "      \"importance\": 1, \"text\": { \"en\": { \"title\": \"Month E\" } },"
  "      \"excerpts\": [ { \"id\": \"x5\", \"source\": \"s1\", \"lang\": \"en\", \"quote\": \"e\" } ] }"
  "  ] }";


typedef struct
{
  ChronoStore     *store;
  GPtrArray       *events;
  ChronoTimeIndex *index;
  GtkWidget       *window;
  ChronoTimeline  *timeline;
  guint            n_day_notifies;
} Fixture;

static ChronoDay
ymd (int year, int month, int day)
{
  return chrono_day_from_ymd (year, month, day);
}

static gint64
rowid_of (Fixture    *f,
          const char *id)
{
  for (guint i = 0; i < f->events->len; i++)
    {
      ChronoEvent *event = g_ptr_array_index (f->events, i);

      if (g_strcmp0 (chrono_event_get_id (event), id) == 0)
        return chrono_event_get_rowid (event);
    }

  g_assert_not_reached ();
}

static void
on_day_notify (ChronoTimeline *timeline,
               GParamSpec     *pspec,
               Fixture        *f)
{
  f->n_day_notifies++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  const char *text = data != NULL ? data : dataset_json;
  g_autoptr (GBytes) json = g_bytes_new_static (text, strlen (text));
  g_autoptr (GArray) spans = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  f->store = chrono_store_new_in_memory (&error);
  g_assert_no_error (error);
  chrono_dataset_import_bytes (f->store, json, "timeline-test.json", &error);
  g_assert_no_error (error);

  spans = chrono_store_get_spans (f->store, &error);
  g_assert_no_error (error);
  if (data == NULL)
    g_assert_cmpuint (spans->len, ==, 5);
  for (guint i = 0; i < spans->len; i++)
    g_array_append_val (ids, g_array_index (spans, ChronoSpan, i).id);

  f->events = chrono_store_get_events (f->store, (gint64 *) (void *) ids->data, ids->len, "en", &error);
  g_assert_no_error (error);
  f->index = chrono_time_index_new ((ChronoSpan *) (void *) spans->data, spans->len);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 160);
  f->timeline = CHRONO_TIMELINE (chrono_timeline_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->timeline));
  chrono_timeline_set_events (f->timeline, f->events, f->index);
  g_signal_connect (f->timeline, "notify::day", G_CALLBACK (on_day_notify), f);

  gtk_window_present (GTK_WINDOW (f->window));
  gtk_test_widget_wait_for_draw (f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_pointer (&f->index, chrono_time_index_unref);
  g_clear_pointer (&f->events, g_ptr_array_unref);
  g_clear_object (&f->store);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_set_day (Fixture       *f,
              gconstpointer  data)
{
  ChronoDay day = ymd (2021, 3, 7);

  f->n_day_notifies = 0;
  gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.set-day", "x", (gint64) day);
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, day);
  g_assert_cmpuint (f->n_day_notifies, ==, 1);

  /* The same day again changes nothing and says nothing. */
  gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.set-day", "x", (gint64) day);
  g_assert_cmpuint (f->n_day_notifies, ==, 1);

  /* Through the property, as the window binds it. */
  g_object_set (f->timeline, "day", (gint64) (day + 3), NULL);
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, day + 3);
  g_assert_cmpuint (f->n_day_notifies, ==, 2);
}

static void
test_step (Fixture       *f,
           gconstpointer  data)
{
  chrono_timeline_set_day (f->timeline, ymd (2021, 3, 31));

  gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.step", "i", 1);
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, ymd (2021, 4, 1));
  gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.step", "i", -1);
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, ymd (2021, 3, 31));

  /* A month from 31 March is the last day of April. */
  gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.step-month", "i", 1);
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, ymd (2021, 4, 30));
  gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.step-year", "i", -1);
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, ymd (2020, 4, 30));
}

/* Every event's first day and the day after its last, from the test's own dates. */
static GArray *
expected_boundaries (void)
{
  ChronoDay days[] = {
    ymd (2021, 3, 1), ymd (2021, 3, 11),   /* bar A */
    ymd (2021, 3, 5), ymd (2021, 3, 21),   /* bar B */
    ymd (2021, 4, 1), ymd (2021, 4, 21),   /* bar C */
    ymd (2021, 5, 15), ymd (2021, 5, 16),  /* day D */
    ymd (2021, 6, 1), ymd (2021, 7, 1),    /* month E */
  };
  GArray *sorted = g_array_new (FALSE, FALSE, sizeof (ChronoDay));

  /* Insertion sort: ten values. */
  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      guint j = 0;

      while (j < sorted->len && g_array_index (sorted, ChronoDay, j) < days[i])
        j++;
      g_array_insert_val (sorted, j, days[i]);
    }

  return sorted;
}

static void
test_boundaries (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (GArray) expected = expected_boundaries ();
  g_autoptr (GArray) visited = g_array_new (FALSE, FALSE, sizeof (ChronoDay));

  chrono_timeline_set_day (f->timeline, ymd (2021, 1, 1));
  for (guint guard = 0; guard < 50; guard++)
    {
      ChronoDay before = chrono_timeline_get_day (f->timeline);
      ChronoDay after;

      gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.next-boundary", NULL);
      after = chrono_timeline_get_day (f->timeline);
      if (after == before)
        break;
      g_array_append_val (visited, after);
    }

  g_assert_cmpuint (visited->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpint (g_array_index (visited, ChronoDay, i), ==, g_array_index (expected, ChronoDay, i));

  /* It stops at the last one. */
  gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.next-boundary", NULL);
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, g_array_index (expected, ChronoDay, expected->len - 1));

  /* And back, from past the end to the first. */
  chrono_timeline_set_day (f->timeline, ymd (2021, 12, 31));
  for (guint i = expected->len; i > 0; i--)
    {
      gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.previous-boundary", NULL);
      g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, g_array_index (expected, ChronoDay, i - 1));
    }
  gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.previous-boundary", NULL);
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, g_array_index (expected, ChronoDay, 0));
}

static void
test_first_last (Fixture       *f,
                 gconstpointer  data)
{
  chrono_timeline_set_day (f->timeline, ymd (2021, 4, 10));

  gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.first", NULL);
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, ymd (2021, 3, 1));
  gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.last", NULL);
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, ymd (2021, 6, 30));
}

/* Runs the shortcut the widget class binds to @keyval with @mods, as a key
 * press would: GTK 4 has no public way to synthesize the event itself. */
static gboolean
press_key (GtkWidget       *widget,
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

static void
test_keys (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *widget = GTK_WIDGET (f->timeline);

  g_assert_true (gtk_widget_get_focusable (widget));

  chrono_timeline_set_day (f->timeline, ymd (2021, 3, 15));
  g_assert_true (press_key (widget, GDK_KEY_Right, 0));
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, ymd (2021, 3, 16));
  g_assert_true (press_key (widget, GDK_KEY_Left, 0));
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, ymd (2021, 3, 15));
  g_assert_true (press_key (widget, GDK_KEY_Right, GDK_SHIFT_MASK));
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, ymd (2021, 4, 15));
  g_assert_true (press_key (widget, GDK_KEY_Left, GDK_CONTROL_MASK));
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, ymd (2020, 4, 15));

  g_assert_true (press_key (widget, GDK_KEY_Page_Down, 0));
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, ymd (2021, 3, 1));
  g_assert_true (press_key (widget, GDK_KEY_Page_Down, 0));
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, ymd (2021, 3, 5));
  g_assert_true (press_key (widget, GDK_KEY_Page_Up, 0));
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, ymd (2021, 3, 1));

  g_assert_true (press_key (widget, GDK_KEY_End, 0));
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, ymd (2021, 6, 30));
  g_assert_true (press_key (widget, GDK_KEY_Home, 0));
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, ymd (2021, 3, 1));

  g_assert_true (press_key (widget, GDK_KEY_space, 0));
  g_assert_true (chrono_timeline_get_playing (f->timeline));
  g_assert_true (press_key (widget, GDK_KEY_space, 0));
  g_assert_false (chrono_timeline_get_playing (f->timeline));
}

/* The keys a window gives the timeline wherever its focus is do what they do
 * on the timeline; the zoom keys and others stay where the focus is. */
static void
test_handle_key (Fixture       *f,
                 gconstpointer  data)
{
  const struct { guint keyval; GdkModifierType mods; } keys[] = {
    { GDK_KEY_Right, 0 }, { GDK_KEY_Left, 0 }, { GDK_KEY_KP_Left, 0 },
    { GDK_KEY_Right, GDK_SHIFT_MASK }, { GDK_KEY_Left, GDK_CONTROL_MASK },
    { GDK_KEY_Page_Down, 0 }, { GDK_KEY_Page_Up, 0 }, { GDK_KEY_End, 0 }, { GDK_KEY_Home, 0 },
  };
  ChronoDay start = ymd (2021, 3, 15);
  ChronoDay visible_start, visible_end;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      ChronoDay by_key;

      chrono_timeline_set_day (f->timeline, start);
      g_assert_true (press_key (GTK_WIDGET (f->timeline), keys[i].keyval, keys[i].mods));
      by_key = chrono_timeline_get_day (f->timeline);
      g_assert_cmpint (by_key, !=, start);

      chrono_timeline_set_day (f->timeline, start);
      /* Lock modifiers do not count */
      g_assert_true (chrono_timeline_handle_key (f->timeline, keys[i].keyval, keys[i].mods | GDK_LOCK_MASK));
      g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, by_key);
    }

  g_assert_true (chrono_timeline_handle_key (f->timeline, GDK_KEY_space, 0));
  g_assert_true (chrono_timeline_get_playing (f->timeline));
  g_assert_true (chrono_timeline_handle_key (f->timeline, GDK_KEY_KP_Space, 0));
  g_assert_false (chrono_timeline_get_playing (f->timeline));

  chrono_timeline_set_day (f->timeline, start);
  visible_start = chrono_timeline_get_visible_start (f->timeline);
  visible_end = chrono_timeline_get_visible_end (f->timeline);
  g_assert_false (chrono_timeline_handle_key (f->timeline, GDK_KEY_plus, 0));
  g_assert_false (chrono_timeline_handle_key (f->timeline, GDK_KEY_minus, 0));
  g_assert_false (chrono_timeline_handle_key (f->timeline, GDK_KEY_Up, 0));
  g_assert_false (chrono_timeline_handle_key (f->timeline, GDK_KEY_Right, GDK_SHIFT_MASK | GDK_CONTROL_MASK));
  g_assert_false (chrono_timeline_handle_key (f->timeline, GDK_KEY_space, GDK_CONTROL_MASK));
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, start);
  g_assert_cmpint (chrono_timeline_get_visible_start (f->timeline), ==, visible_start);
  g_assert_cmpint (chrono_timeline_get_visible_end (f->timeline), ==, visible_end);
  g_assert_false (chrono_timeline_get_playing (f->timeline));
}

static void
test_accessible (Fixture       *f,
                 gconstpointer  data)
{
  ChronoDay day = ymd (2021, 5, 15);
  g_autofree char *text = NULL;

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (f->timeline), GTK_ACCESSIBLE_ROLE_SLIDER);

  chrono_timeline_set_day (f->timeline, day);
  text = chrono_day_format (day);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (f->timeline), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (f->timeline), GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double) day);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (f->timeline), GTK_ACCESSIBLE_PROPERTY_VALUE_MIN,
                                      (double) ymd (2021, 3, 1));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (f->timeline), GTK_ACCESSIBLE_PROPERTY_VALUE_MAX,
                                      (double) ymd (2021, 6, 30));

  /* Updated by the keyboard too. */
  gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.step", "i", 1);
  g_clear_pointer (&text, g_free);
  text = chrono_day_format (day + 1);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (f->timeline), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text);
}

static void
test_lanes (Fixture       *f,
            gconstpointer  data)
{
  int a = chrono_timeline_get_event_lane (f->timeline, rowid_of (f, "bar-a"));
  int b = chrono_timeline_get_event_lane (f->timeline, rowid_of (f, "bar-b"));
  int c = chrono_timeline_get_event_lane (f->timeline, rowid_of (f, "bar-c"));

  g_assert_cmpint (a, >=, 0);
  g_assert_cmpint (b, >=, 0);
  /* Overlapping bars never share a lane; a later disjoint one reuses the first. */
  g_assert_cmpint (a, !=, b);
  g_assert_cmpint (c, ==, MIN (a, b));
  g_assert_cmpuint (chrono_timeline_get_n_lanes (f->timeline), ==, 2);
  g_assert_cmpint (chrono_timeline_get_event_lane (f->timeline, 123456), ==, -1);
}

/* The timeline as a person sees it in its window, as rows of B, G, R, A
 * bytes of the timeline's own size. */
static guchar *
render (Fixture *f,
        int     *out_width,
        int     *out_height)
{
  g_autoptr (GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  graphene_rect_t bounds;
  int width, height;
  guchar *pixels;

  gtk_test_widget_wait_for_draw (f->window);
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (f->timeline), f->window, &bounds));
  width = (int) bounds.size.width;
  height = (int) bounds.size.height;

  /* Made after the frame: the paintable starts from the widget's last drawing. */
  paintable = gtk_widget_paintable_new (f->window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (f->window), gtk_widget_get_height (f->window));
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (f->window)), node, &bounds);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);

  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  *out_width = width;
  *out_height = height;

  return pixels;
}

static gboolean
column_has_color (const guchar  *pixels,
                  int            width,
                  int            height,
                  int            x,
                  const GdkRGBA *color)
{
  int r = (int) round (color->red * 255);
  int g = (int) round (color->green * 255);
  int b = (int) round (color->blue * 255);

  for (int y = 0; y < height; y++)
    {
      const guchar *p = pixels + ((gsize) y * width + x) * 4;

      if (ABS (p[2] - r) <= 6 && ABS (p[1] - g) <= 6 && ABS (p[0] - b) <= 6)
        return TRUE;
    }

  return FALSE;
}

static void
test_render (Fixture       *f,
             gconstpointer  data)
{
  ChronoDay start = ymd (2021, 2, 20);
  ChronoDay end = ymd (2021, 7, 10);
  g_autofree guchar *first = NULL;
  g_autofree guchar *second = NULL;
  int width, height, width2, height2;
  double x_c, x_none;
  gsize differing = 0;
  /* The map's colour for the category, not a copy of it. */
  const GdkRGBA *political = chrono_event_layer_get_category_color ("political");

  chrono_timeline_set_visible_range (f->timeline, start, end);
  g_assert_cmpint (chrono_timeline_get_visible_start (f->timeline), ==, start);
  g_assert_cmpint (chrono_timeline_get_visible_end (f->timeline), ==, end);

  /* Bar C in effect, so drawn at full strength. */
  chrono_timeline_set_day (f->timeline, ymd (2021, 4, 10));
  first = render (f, &width, &height);
  g_assert_cmpint (width, >, 100);

  x_c = (ymd (2021, 4, 4) - start) * (double) width / (end - start);
  x_none = (ymd (2021, 5, 5) - start) * (double) width / (end - start);
  g_assert_true (column_has_color (first, width, height, (int) x_c, political));
  g_assert_false (column_has_color (first, width, height, (int) x_none, political));

  chrono_timeline_set_day (f->timeline, ymd (2021, 6, 10));
  second = render (f, &width2, &height2);
  g_assert_cmpint (width2, ==, width);
  g_assert_cmpint (height2, ==, height);

  for (gsize i = 0; i < (gsize) width * height * 4; i++)
    differing += first[i] != second[i];
  g_assert_cmpuint (differing, >, 100);

  /* Out of effect, bar C fades: its solid colour is gone. */
  g_assert_false (column_has_color (second, width, height, (int) x_c, political));
}

static int
color_distance (const guchar  *p,
                const GdkRGBA *color)
{
  return MAX (MAX (ABS (p[2] - (int) round (color->red * 255)),
                   ABS (p[1] - (int) round (color->green * 255))),
              ABS (p[0] - (int) round (color->blue * 255)));
}

/* In the lane rows of column @x: the distance of the pixel closest to
 * @color, and how many pixels are a pale tint of it: clearly off the
 * colour, clearly off the background @bg. */
static void
measure_column (const guchar  *pixels,
                int            width,
                int            height,
                int            x,
                const GdkRGBA *color,
                const guchar  *bg,
                int           *closest,
                guint         *n_pale)
{
  *closest = G_MAXINT;
  *n_pale = 0;

  /* Below the overview strip, above the axis and the date on it. */
  for (int y = 24; y < height - 24; y++)
    {
      const guchar *p = pixels + ((gsize) y * width + x) * 4;
      int d = color_distance (p, color);
      int from_bg = MAX (MAX (ABS (p[0] - bg[0]), ABS (p[1] - bg[1])), ABS (p[2] - bg[2]));

      *closest = MIN (*closest, d);
      if (d >= 50 && from_bg >= 20)
        (*n_pale)++;
    }
}

static void
test_uncertain (Fixture       *f,
                gconstpointer  data)
{
  ChronoDay start = ymd (2021, 2, 20);
  ChronoDay end = ymd (2021, 7, 10);
  const GdkRGBA *context = chrono_event_layer_get_category_color ("context");
  const GdkRGBA *political = chrono_event_layer_get_category_color ("political");
  g_autofree guchar *pixels = NULL;
  guchar bg[4];
  int width, height, closest;
  guint n_pale;
  int x_e, x_c, x_none;

  chrono_timeline_set_visible_range (f->timeline, start, end);
  chrono_timeline_set_day (f->timeline, ymd (2021, 6, 20));
  pixels = render (f, &width, &height);

  x_e = (int) ((ymd (2021, 6, 4) - start) * (double) width / (end - start));
  /* Past its title. */
  x_c = (int) ((ymd (2021, 4, 17) - start) * (double) width / (end - start));
  x_none = (int) ((ymd (2021, 5, 5) - start) * (double) width / (end - start));
  memcpy (bg, pixels + ((gsize) (height / 2) * width + x_none) * 4, 4);

  /* Month E, known only as June, is uncertain all through: near the start
   * of the month it shows nearly in its full colour (a fade from nothing
   * did not), next to a pale tint of it. */
  measure_column (pixels, width, height, x_e, context, bg, &closest, &n_pale);
  g_assert_cmpint (closest, <=, 40);
  g_assert_cmpuint (n_pale, >=, 3);

  /* Bar C, whose dates are certain, is one flat colour while in effect. */
  chrono_timeline_set_day (f->timeline, ymd (2021, 4, 10));
  g_clear_pointer (&pixels, g_free);
  pixels = render (f, &width, &height);
  measure_column (pixels, width, height, x_c, political, bg, &closest, &n_pale);
  g_assert_cmpint (closest, <=, 40);
  g_assert_cmpuint (n_pale, ==, 0);
}

/* One event in 1990, twenty in 2021 and 2022, one a month. */
static char *
make_long_tail_json (void)
{
  GString *json = g_string_new ("{ \"format\": \"chronotope-dataset\", \"version\": 1, \"id\": \"tail\","
                                "  \"title\": { \"en\": \"Tail\" },"
                                "  \"sources\": [ { \"id\": \"s1\", \"title\": \"Source\" } ],"
                                "  \"places\": [], \"events\": [");

  for (int i = 0; i <= 20; i++)
    {
      g_autofree char *start = i == 0 ? g_strdup ("1990-01-01")
                                      : g_strdup_printf ("%d-%02d-01", 2021 + (i - 1) / 12, (i - 1) % 12 + 1);
      g_autofree char *end = i == 0 ? g_strdup ("1990-01-20")
                                    : g_strdup_printf ("%d-%02d-20", 2021 + (i - 1) / 12, (i - 1) % 12 + 1);

      g_string_append_printf (json, "%s{ \"id\": \"e%d\", \"start\": \"%s\", \"end\": \"%s\","
                              " \"category\": \"context\", \"importance\": 1,"
                              " \"text\": { \"en\": { \"title\": \"Event %d\" } },"
                              " \"excerpts\": [ { \"id\": \"x%d\", \"source\": \"s1\", \"lang\": \"en\", \"quote\": \"q\" } ] }",
                              i > 0 ? "," : "", i, start, end, i, i);
    }
  g_string_append (json, "] }");

  return g_string_free (json, FALSE);
}

/* Thirty events over the same days: military ones, then a legal one last. */
static char *
make_stack_json (void)
{
  GString *json = g_string_new ("{ \"format\": \"chronotope-dataset\", \"version\": 1, \"id\": \"stack\","
                                "  \"title\": { \"en\": \"Stack\" },"
                                "  \"sources\": [ { \"id\": \"s1\", \"title\": \"Source\" } ],"
                                "  \"places\": [], \"events\": [");

  for (int i = 0; i < 30; i++)
    g_string_append_printf (json, "%s{ \"id\": \"s%02d\", \"start\": \"2021-03-01\", \"end\": \"2021-03-20\","
                            " \"category\": \"%s\", \"importance\": 1,"
                            " \"text\": { \"en\": { \"title\": \"Stacked %d\" } },"
                            " \"excerpts\": [ { \"id\": \"x%d\", \"source\": \"s1\", \"lang\": \"en\", \"quote\": \"q\" } ] }",
                            i > 0 ? "," : "", i, i == 29 ? "legal" : "military", i, i);
  g_string_append (json, "] }");

  return g_string_free (json, FALSE);
}

/* Lanes that do not fit keep readable bars and scroll; the selected event
 * comes into view. */
static void
test_lane_overflow (Fixture       *f,
                    gconstpointer  data)
{
  ChronoDay start = ymd (2021, 2, 20);
  ChronoDay end = ymd (2021, 4, 1);
  const GdkRGBA *military = chrono_event_layer_get_category_color ("military");
  const GdkRGBA *legal = chrono_event_layer_get_category_color ("legal");
  g_autofree guchar *before = NULL;
  g_autofree guchar *after = NULL;
  int width, height, x, run = 0, shortest = G_MAXINT;
  guint n_bars = 0;

  g_assert_cmpuint (chrono_timeline_get_n_lanes (f->timeline), ==, 30);

  chrono_timeline_set_visible_range (f->timeline, start, end);
  chrono_timeline_set_day (f->timeline, ymd (2021, 3, 10));
  before = render (f, &width, &height);

  /* Past the first bar's rounded corner, each bar is a run of its colour. */
  x = (int) ((ymd (2021, 3, 5) - start) * (double) width / (end - start));
  for (int y = 0; y <= height; y++)
    {
      if (y < height && color_distance (before + ((gsize) y * width + x) * 4, military) <= 6)
        run++;
      else if (run > 0)
        {
          shortest = MIN (shortest, run);
          n_bars++;
          run = 0;
        }
    }
  g_assert_cmpuint (n_bars, >=, 3);
  g_assert_cmpuint (n_bars, <, 30);
  g_assert_cmpint (shortest, >=, 6);

  /* The last lane is out of view until its event is selected. */
  g_assert_false (column_has_color (before, width, height, x, legal));
  chrono_timeline_set_selected_event (f->timeline, rowid_of (f, "s29"));
  after = render (f, &width, &height);
  g_assert_true (column_has_color (after, width, height, x, legal));
}

/* Thirty years of one-day events, one every 36 days, a mission of four
 * years, and around it a November 2020 of short events: a day known only
 * as the 9th or the 10th, and a five-day one. */
static char *
make_history_json (void)
{
  static const struct { const char *id, *start, *end, *title; } november[] = {
    { "mission", "2020-11-10", "2024-06-12", "Peacekeeping mission" },
    { "ceasefire", "[2020-11-09,2020-11-10]", NULL, "Ceasefire statement" },
    { "deploy", "2020-11-10", NULL, "Peacekeepers deploy" },
    { "aghdam", "2020-11-14", "2020-11-18", "Aghdam handed over" },
    { "kalbajar", "2020-11-25", NULL, "Kalbajar handed over" },
  };
  GString *json = g_string_new ("{ \"format\": \"chronotope-dataset\", \"version\": 1, \"id\": \"history\","
                                "  \"title\": { \"en\": \"History\" },"
                                "  \"sources\": [ { \"id\": \"s1\", \"title\": \"Source\" } ],"
                                "  \"places\": [], \"events\": [");

  for (guint i = 0; i < G_N_ELEMENTS (november); i++)
    {
      g_autofree char *end = november[i].end != NULL ? g_strdup_printf ("\"%s\"", november[i].end) : g_strdup ("null");

      g_string_append_printf (json, "%s{ \"id\": \"%s\", \"start\": \"%s\", \"end\": %s,"
                              " \"category\": \"political\", \"importance\": 2,"
                              " \"text\": { \"en\": { \"title\": \"%s\" } },"
                              " \"excerpts\": [ { \"id\": \"x-%s\", \"source\": \"s1\", \"lang\": \"en\", \"quote\": \"q\" } ] }",
                              i > 0 ? "," : "", november[i].id, november[i].start, end, november[i].title, november[i].id);
    }

  for (int i = 0; i < 300; i++)
    {
      gint64 year;
      int month, day;

      chrono_day_to_ymd (ymd (1995, 1, 1) + 36 * i, &year, &month, &day);
      g_string_append_printf (json, ",{ \"id\": \"d%d\", \"start\": \"%04d-%02d-%02d\", \"end\": null,"
                              " \"category\": \"context\", \"importance\": 1,"
                              " \"text\": { \"en\": { \"title\": \"Event %d\" } },"
                              " \"excerpts\": [ { \"id\": \"x%d\", \"source\": \"s1\", \"lang\": \"en\", \"quote\": \"q\" } ] }",
                              i, (int) year, month, day, i, i);
    }
  g_string_append (json, "] }");

  return g_string_free (json, FALSE);
}

static const ChronoTimelineTitle *
find_title (const ChronoTimelineTitle *titles,
            guint                      n_titles,
            gint64                     rowid)
{
  for (guint i = 0; i < n_titles; i++)
    if (titles[i].rowid == rowid)
      return &titles[i];

  return NULL;
}

/* The titles of the last frame: on whole lanes above the axis, within the
 * widget, none over another. */
static void
assert_titles_clear (Fixture                   *f,
                     const ChronoTimelineTitle *titles,
                     guint                      n_titles)
{
  int width = gtk_widget_get_width (GTK_WIDGET (f->timeline));
  int height = gtk_widget_get_height (GTK_WIDGET (f->timeline));

  for (guint i = 0; i < n_titles; i++)
    {
      const graphene_rect_t *a = &titles[i].bounds;

      g_assert_cmpfloat (a->size.width, >, 0);
      g_assert_cmpfloat (a->origin.x + a->size.width, <=, width);
      g_assert_cmpfloat (a->origin.y, >=, 0);
      /* Above the axis and the date on it. */
      g_assert_cmpfloat (a->origin.y + a->size.height, <=, height - 22);

      for (guint j = i + 1; j < n_titles; j++)
        g_assert_false (graphene_rect_intersection (a, &titles[j].bounds, NULL));
    }
}

/* The history above, where the mission's title is 10 MB long */
static char *
make_huge_title_json (void)
{
  g_autofree char *history = make_history_json ();
  g_autoptr (GString) title = g_string_sized_new (10 * 1024 * 1024 + 16);
  GString *json = g_string_new (history);

  while (title->len < 10 * 1024 * 1024)
    g_string_append (title, "Peacekeeping ");
  g_assert_cmpuint (g_string_replace (json, "Peacekeeping mission", title->str, 1), ==, 1);

  return g_string_free (json, FALSE);
}

/* A 10 MB title on the lanes: laid out in moments, cut to a line, in its
 * bar or next to it like any other; the data keeps it whole. */
static void
test_huge_title (Fixture       *f,
                 gconstpointer  data)
{
  const ChronoTimelineTitle *titles, *title;
  guint n_titles;
  int width, height;
  gint64 start;
  double seconds;
  ChronoEvent *mission = NULL;

  for (guint i = 0; i < f->events->len; i++)
    if (g_strcmp0 (chrono_event_get_id (g_ptr_array_index (f->events, i)), "mission") == 0)
      mission = g_ptr_array_index (f->events, i);
  g_assert_nonnull (mission);
  g_assert_cmpuint (strlen (chrono_event_get_title (mission)), >=, 10 * 1024 * 1024);

  gtk_widget_set_size_request (f->window, 800, 280);
  start = g_get_monotonic_time ();
  chrono_timeline_set_visible_range (f->timeline, ymd (2020, 10, 20), ymd (2021, 1, 10));
  chrono_timeline_set_day (f->timeline, ymd (2020, 11, 10));
  g_free (render (f, &width, &height));
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  titles = chrono_timeline_get_titles (f->timeline, &n_titles);
  title = find_title (titles, n_titles, rowid_of (f, "mission"));
  if (title == NULL)
    g_assert_not_reached ();
  g_test_message ("drawn in %.3f s; the title is %.0f×%.0f px", seconds,
                  title->bounds.size.width, title->bounds.size.height);
  /* One line, no wider than the timeline */
  g_assert_cmpfloat (title->bounds.size.width, >, 20);
  g_assert_cmpfloat (title->bounds.size.width, <=, width);
  g_assert_cmpfloat (title->bounds.size.height, <, 40);
  assert_titles_clear (f, titles, n_titles);
  g_assert_cmpfloat (seconds, <, 20);
}

/* Zoomed out the lanes are compact; zoomed in to months they grow and the
 * events' titles show, each where it has room, inside its bar or next to
 * it, in the language of the events. */
static void
test_titled_lanes (Fixture       *f,
                   gconstpointer  data)
{
  const ChronoTimelineTitle *titles, *title;
  g_autofree guchar *pixels = NULL;
  guint n_titles, n_dark = 0;
  float decades, months, months_short;
  int width, height;

  /* Tall enough for a few readable lanes. */
  gtk_widget_set_size_request (f->window, 800, 280);
  chrono_timeline_set_visible_range (f->timeline, ymd (1995, 1, 1), ymd (2025, 1, 1));
  chrono_timeline_set_day (f->timeline, ymd (2020, 11, 10));
  g_free (render (f, &width, &height));
  g_assert_cmpint (height, >=, 280);
  decades = chrono_timeline_get_lane_height (f->timeline);
  g_assert_cmpfloat (decades, >, 0);

  chrono_timeline_set_visible_range (f->timeline, ymd (2020, 10, 20), ymd (2021, 1, 10));
  pixels = render (f, &width, &height);
  months = chrono_timeline_get_lane_height (f->timeline);
  g_assert_cmpfloat (months, >, decades);
  g_assert_cmpfloat (months, >=, 20);

  titles = chrono_timeline_get_titles (f->timeline, &n_titles);
  g_assert_cmpuint (n_titles, >=, 4);
  assert_titles_clear (f, titles, n_titles);
  g_assert_nonnull (find_title (titles, n_titles, rowid_of (f, "mission")));
  g_assert_nonnull (find_title (titles, n_titles, rowid_of (f, "deploy")));

  /* The day known as the 9th or 10th, in effect, is a tick: its title
   * stands right of it, in dark letters. */
  title = find_title (titles, n_titles, rowid_of (f, "ceasefire"));
  if (title == NULL)
    g_assert_not_reached ();
  g_assert_cmpfloat (title->bounds.origin.x, >, (ymd (2020, 11, 10) - ymd (2020, 10, 20)) * (double) width / 82);
  for (int y = (int) title->bounds.origin.y; y < title->bounds.origin.y + title->bounds.size.height; y++)
    for (int x = (int) title->bounds.origin.x; x < title->bounds.origin.x + title->bounds.size.width; x++)
      {
        const guchar *p = pixels + ((gsize) y * width + x) * 4;

        if (p[0] < 110 && p[1] < 110 && p[2] < 110)
          n_dark++;
      }
  g_assert_cmpuint (n_dark, >=, 20);

  /* In less height the lanes shrink, whole, and the titles stay clear. */
  gtk_widget_set_size_request (f->window, 800, 150);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 150);
  g_free (render (f, &width, &height));
  g_assert_cmpint (height, <, 280);
  months_short = chrono_timeline_get_lane_height (f->timeline);
  g_assert_cmpfloat (months_short, >, 0);
  g_assert_cmpfloat (months_short, <=, months);
  titles = chrono_timeline_get_titles (f->timeline, &n_titles);
  assert_titles_clear (f, titles, n_titles);
  g_test_message ("lane height: %.0f over decades, %.0f over months, %.0f in less height (%u titles)",
                  decades, months, months_short, n_titles);
}

/* A short event, such as a day known only as the 9th or the 10th, fades
 * through the afterglow after its latest end, as in the list and on the
 * map; an event of five days ends when it ends. */
static void
test_afterglow (Fixture       *f,
                gconstpointer  data)
{
  gint64 ceasefire = rowid_of (f, "ceasefire");
  gint64 aghdam = rowid_of (f, "aghdam");
  int afterglow = chrono_timeline_get_afterglow_days (f->timeline);
  double strength;

  g_assert_cmpint (afterglow, >=, 3);

  chrono_timeline_set_day (f->timeline, ymd (2020, 11, 8));
  g_assert_cmpfloat (chrono_timeline_get_event_strength (f->timeline, ceasefire), ==, 0);
  chrono_timeline_set_day (f->timeline, ymd (2020, 11, 10));
  g_assert_cmpfloat (chrono_timeline_get_event_strength (f->timeline, ceasefire), ==, 1);

  /* Two days after its latest end. */
  chrono_timeline_set_day (f->timeline, ymd (2020, 11, 12));
  strength = chrono_timeline_get_event_strength (f->timeline, ceasefire);
  g_assert_cmpfloat (strength, >, 0);
  g_assert_cmpfloat (strength, <, 1);
  /* Later, fainter; after the afterglow, gone. */
  chrono_timeline_set_day (f->timeline, ymd (2020, 11, 10) + afterglow);
  g_assert_cmpfloat (chrono_timeline_get_event_strength (f->timeline, ceasefire), >, 0);
  g_assert_cmpfloat (chrono_timeline_get_event_strength (f->timeline, ceasefire), <, strength);
  chrono_timeline_set_day (f->timeline, ymd (2020, 11, 10) + afterglow + 1);
  g_assert_cmpfloat (chrono_timeline_get_event_strength (f->timeline, ceasefire), ==, 0);

  /* 14 to 18 November is not short. */
  chrono_timeline_set_day (f->timeline, ymd (2020, 11, 18));
  g_assert_cmpfloat (chrono_timeline_get_event_strength (f->timeline, aghdam), ==, 1);
  chrono_timeline_set_day (f->timeline, ymd (2020, 11, 20));
  g_assert_cmpfloat (chrono_timeline_get_event_strength (f->timeline, aghdam), ==, 0);

  /* No afterglow, no glow. */
  chrono_timeline_set_afterglow_days (f->timeline, 0);
  chrono_timeline_set_day (f->timeline, ymd (2020, 11, 11));
  g_assert_cmpfloat (chrono_timeline_get_event_strength (f->timeline, ceasefire), ==, 0);
}

/* The overview spends its width where the events are: the one event of
 * 1990 does not squeeze the other twenty into its last sixteenth. */
static void
test_overview (Fixture       *f,
               gconstpointer  data)
{
  g_autofree guchar *pixels = NULL;
  int width, height;
  int first_ink = -1, last_ink = -1, n_ink = 0;

  chrono_timeline_set_visible_range (f->timeline, ymd (2021, 1, 1), ymd (2021, 3, 1));
  pixels = render (f, &width, &height);

  /* The density bars are the darkest pixels of the strip's bottom row
   * outside the window box; the box is blue. */
  for (int x = 0; x < width; x++)
    {
      const guchar *p = pixels + ((gsize) 18 * width + x) * 4;

      if (p[0] < 200 && ABS (p[0] - p[2]) < 20)
        {
          if (first_ink < 0)
            first_ink = x;
          last_ink = x;
          n_ink++;
        }
    }

  /* Twenty days of every thirty, less the margins: over a quarter of the
   * columns are bars (a sixteenth of the width would hold them all). */
  g_assert_cmpint (first_ink, >=, 0);
  g_assert_cmpint (first_ink, <, width / 5);
  g_assert_cmpint (last_ink, >, width * 4 / 5);
  g_assert_cmpint (n_ink, >, width / 4);
}

/* Titles: inside bars wide and tall enough, and for the selected event
 * too short for one, next to its bar on a tag of its colour. */
static void
test_title (Fixture       *f,
            gconstpointer  data)
{
  ChronoDay start = ymd (2021, 2, 20);
  ChronoDay end = ymd (2021, 7, 10);
  const GdkRGBA *political = chrono_event_layer_get_category_color ("political");
  const GdkRGBA *humanitarian = chrono_event_layer_get_category_color ("humanitarian");
  g_autofree guchar *before = NULL;
  g_autofree guchar *after = NULL;
  int width, height, x, x_c, x_c_start, y0 = -1, y1 = -1;
  guint n_light = 0;

  chrono_timeline_set_visible_range (f->timeline, start, end);
  chrono_timeline_set_day (f->timeline, ymd (2021, 4, 10));
  before = render (f, &width, &height);

  /* Bar C, in effect, is a band of its colour in its last third... */
  x_c = (int) ((ymd (2021, 4, 17) - start) * (double) width / (end - start));
  for (int y = 0; y < height; y++)
    if (color_distance (before + ((gsize) y * width + x_c) * 4, political) <= 6)
      {
        if (y0 < 0)
          y0 = y;
        y1 = y;
      }
  g_assert_cmpint (y0, >=, 0);
  g_assert_cmpint (y1 - y0, >=, 8);

  /* ...and light letters on it near its start. */
  x_c_start = (int) ceil ((ymd (2021, 4, 1) - start) * (double) width / (end - start));
  for (x = x_c_start + 2; x < x_c_start + 40; x++)
    for (int y = y0 + 1; y < y1; y++)
      {
        const guchar *p = before + ((gsize) y * width + x) * 4;

        if (p[0] > 200 && p[1] > 200 && p[2] > 200)
          n_light++;
      }
  g_assert_cmpuint (n_light, >=, 10);

  /* Day D is a tick: past it there is nothing in its colour until it is
   * selected and its title shows on a tag. */
  x = (int) ((ymd (2021, 5, 20) - start) * (double) width / (end - start));
  g_assert_false (column_has_color (before, width, height, x, humanitarian));

  chrono_timeline_set_selected_event (f->timeline, rowid_of (f, "day-d"));
  after = render (f, &width, &height);
  g_assert_true (column_has_color (after, width, height, x, humanitarian));
}

static void
test_keeps_cursor_visible (Fixture       *f,
                           gconstpointer  data)
{
  chrono_timeline_set_visible_range (f->timeline, ymd (2021, 3, 1), ymd (2021, 3, 20));
  chrono_timeline_set_day (f->timeline, ymd (2021, 6, 15));

  g_assert_cmpint (chrono_timeline_get_visible_start (f->timeline), <=, ymd (2021, 6, 15));
  g_assert_cmpint (chrono_timeline_get_visible_end (f->timeline), >, ymd (2021, 6, 15));
}

static void
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
}

static void
run_until (gboolean *flag,
           guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_once (timeout_ms, on_timeout, &timed_out);

  while (!timed_out && (flag == NULL || *flag))
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
}

static void
test_play (Fixture       *f,
           gconstpointer  data)
{
  ChronoDay start = ymd (2021, 3, 1);
  gboolean playing;

  chrono_timeline_set_day (f->timeline, start);
  chrono_timeline_set_play_speed (f->timeline, CHRONO_TIMELINE_SPEED_MONTHS);
  gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.toggle-play", NULL);
  g_assert_true (chrono_timeline_get_playing (f->timeline));

  run_until (NULL, 500);
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), >, start);

  gtk_widget_activate_action (GTK_WIDGET (f->timeline), "timeline.toggle-play", NULL);
  g_assert_false (chrono_timeline_get_playing (f->timeline));

  /* Near the end it stops on the last day by itself. */
  chrono_timeline_set_day (f->timeline, ymd (2021, 6, 25));
  chrono_timeline_set_playing (f->timeline, TRUE);
  playing = TRUE;
  for (guint i = 0; i < 100 && playing; i++)
    {
      run_until (NULL, 50);
      playing = chrono_timeline_get_playing (f->timeline);
    }
  g_assert_false (playing);
  g_assert_cmpint (chrono_timeline_get_day (f->timeline), ==, ymd (2021, 6, 30));
}

int
main (int    argc,
      char **argv)
{
  /* The test accessibility backend answers gtk_test_accessible_*() without a
   * session bus. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  g_autofree char *long_tail = make_long_tail_json ();
  g_autofree char *stack = make_stack_json ();
  g_autofree char *history = make_history_json ();
  g_autofree char *huge_title = make_huge_title_json ();

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

#define ADD(path, func) g_test_add ("/timeline/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("set-day", test_set_day);
  ADD ("step", test_step);
  ADD ("boundaries", test_boundaries);
  ADD ("first-last", test_first_last);
  ADD ("keys", test_keys);
  ADD ("handle-key", test_handle_key);
  ADD ("accessible", test_accessible);
  ADD ("lanes", test_lanes);
  ADD ("render", test_render);
  ADD ("uncertain", test_uncertain);
  ADD ("title", test_title);
  ADD ("keeps-cursor-visible", test_keeps_cursor_visible);
  ADD ("play", test_play);
#undef ADD
  g_test_add ("/timeline/overview", Fixture, long_tail, fixture_set_up, test_overview, fixture_tear_down);
  g_test_add ("/timeline/lane-overflow", Fixture, stack, fixture_set_up, test_lane_overflow, fixture_tear_down);
  g_test_add ("/timeline/titled-lanes", Fixture, history, fixture_set_up, test_titled_lanes, fixture_tear_down);
  g_test_add ("/timeline/afterglow", Fixture, history, fixture_set_up, test_afterglow, fixture_tear_down);
  g_test_add ("/timeline/huge-title", Fixture, huge_title, fixture_set_up, test_huge_title, fixture_tear_down);

  return g_test_run ();
}
