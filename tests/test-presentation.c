/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-presentation"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "chrono-basemap-source.h"
#include "chrono-dataset.h"
#include "chrono-event.h"
#include "chrono-date.h"
#include "chrono-event-layer.h"
#include "chrono-presentation.h"
#include "chrono-tour-step.h"

/*
 * Presentation mode in real windows (under Xvfb): the steps come from the
 * tour, or from the events by date; the clicker's keys move through them,
 * blank the screen and leave; the card shows the step with type big enough
 * for a projector; the map frames the step's places. Fixture datasets are
 * written by the tests themselves, so every expected value is in this file.
 *
 * CHRONO_SCREENSHOT_DIR=dir saves what /presentation/bundled/render draws,
 * every step, in CHRONO_SCREENSHOT_LANG (default "fr").
 */

/* A small dataset: three events and a tour that takes them out of order. */
static const char fixture_head[] =
  "{ \"format\": \"chronotope-dataset\", \"version\": 1, \"id\": \"fixture\","
  "  \"title\": { \"en\": \"Fixture\", \"fr\": \"Jeu d'essai\" }, \"languages\": [\"en\", \"fr\"],"
  "  \"sources\": [ { \"id\": \"s1\", \"title\": \"A dispatch\", \"outlet\": \"The Courier\","
  "                   \"published\": \"2024-04-17\" } ],"
  "  \"places\": ["
  "    { \"id\": \"pa\", \"kind\": \"city\", \"lat\": 39.8153, \"lon\": 46.7519,"
  "      \"names\": [ { \"lang\": \"en\", \"name\": \"Alpha\", \"usage\": \"common\" } ] },"
  "    { \"id\": \"pb\", \"kind\": \"town\", \"lat\": 39.6408, \"lon\": 46.5469,"
  "      \"names\": [ { \"lang\": \"en\", \"name\": \"Beta\", \"usage\": \"common\" } ] },"
  "    { \"id\": \"pc\", \"kind\": \"town\", \"lat\": 40.1811, \"lon\": 44.5136,"
  "      \"names\": [ { \"lang\": \"en\", \"name\": \"Gamma\", \"usage\": \"common\" } ] } ],"
  "  \"events\": ["
  "    { \"id\": \"late\", \"start\": \"2023-09-19\", \"category\": \"military\", \"importance\": 3,"
  "      \"text\": { \"en\": { \"title\": \"Late event\" }, \"fr\": { \"title\": \"Événement tardif\" } },"
  "      \"places\": [ { \"place\": \"pa\", \"role\": \"location\" } ],"
  "      \"excerpts\": [ { \"id\": \"x-late\", \"source\": \"s1\", \"lang\": \"en\","
  "                        \"quote\": \"The late thing happened.\" } ] },"
  "    { \"id\": \"early\", \"start\": \"2020-11-10\", \"category\": \"diplomatic\", \"importance\": 3,"
  "      \"text\": { \"en\": { \"title\": \"Early event\" }, \"fr\": { \"title\": \"Événement précoce\" } },"
  "      \"places\": [ { \"place\": \"pb\", \"role\": \"location\" }, { \"place\": \"pc\", \"role\": \"signed\" } ],"
  "      \"excerpts\": [ { \"id\": \"x-early\", \"source\": \"s1\", \"lang\": \"en\","
  "                        \"quote\": \"something early was signed\" } ] },"
  "    { \"id\": \"middle\", \"start\": \"2022-01-05\", \"end\": \"2022-02-01\", \"category\": \"humanitarian\","
  "      \"importance\": 2,"
  "      \"text\": { \"en\": { \"title\": \"Middle event\" }, \"fr\": { \"title\": \"Événement du milieu\" } },"
  "      \"places\": [ { \"place\": \"pc\", \"role\": \"location\" } ],"
  "      \"excerpts\": [ { \"id\": \"x-middle-fr\", \"source\": \"s1\", \"lang\": \"fr\", \"quote\": \"Au milieu.\" },"
  "                      { \"id\": \"x-middle-en\", \"source\": \"s1\", \"lang\": \"en\", \"quote\": \"In the middle.\" } ] }"
  "  ]";

static const char fixture_tour[] =
  ", \"tour\": ["
  "    { \"event\": \"middle\", \"title\": { \"en\": \"Middle first\", \"fr\": \"Le milieu d'abord\" },"
  "      \"note\": { \"en\": \"Out of order.\", \"fr\": \"Dans le désordre.\" }, \"date\": \"2022-01-20\","
  "      \"excerpts\": [\"x-middle-fr\", \"x-middle-en\"] },"
  "    { \"event\": \"late\", \"title\": { \"en\": \"Then the late one\", \"fr\": \"Puis le tardif\" } },"
  "    { \"event\": \"early\", \"title\": { \"en\": \"Early last\", \"fr\": \"Le précoce en dernier\" } }"
  "  ]";

static ChronoStore *
fixture_store (gboolean with_tour)
{
  g_autofree char *json = g_strconcat (fixture_head, with_tour ? fixture_tour : "", "}", NULL);
  g_autofree char *dir = g_dir_make_tmp ("chrono-test-presentation-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "fixture.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = NULL;

  g_assert_nonnull (dir);
  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);

  store = chrono_store_new_in_memory (&error);
  g_assert_no_error (error);
  g_assert_true (chrono_dataset_import_file (store, file, &error));
  g_assert_no_error (error);
  g_unlink (path);
  g_rmdir (dir);

  return g_steal_pointer (&store);
}

static gboolean
on_wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @condition holds, failing after @seconds. */
static void
wait_until (gboolean (*condition) (gpointer),
            gpointer    data,
            double      seconds,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  guint wake = g_timeout_add (20, on_wake, NULL);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (wake);
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
press (ChronoPresentation *self,
       guint               keyval)
{
  GtkEventController *controller = chrono_presentation_get_key_controller (self);
  gboolean handled = FALSE;

  g_assert_true (GTK_IS_EVENT_CONTROLLER_KEY (controller));
  g_signal_emit_by_name (controller, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
  return handled;
}

/* The label carrying @css_class inside @widget. */
static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkLabel *
find_label (GtkWidget  *widget,
            const char *css_class)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class))
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_by_class (GtkWidget  *widget,
               const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_class (child, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static const char *
label_text (ChronoPresentation *self,
            const char         *css_class)
{
  GtkLabel *label = find_label (GTK_WIDGET (self), css_class);

  g_assert_nonnull (label);
  return gtk_label_get_text (label);
}

static void
assert_step (ChronoPresentation *self,
             guint               step,
             const char         *event_id,
             const char         *title)
{
  ChronoEvent *event = chrono_presentation_get_event (self);

  g_assert_cmpuint (chrono_presentation_get_step (self), ==, step);
  g_assert_nonnull (event);
  g_assert_cmpstr (chrono_event_get_id (event), ==, event_id);
  g_assert_cmpstr (label_text (self, "presentation-title"), ==, title);
}

static void
on_closed (ChronoPresentation *self,
           guint              *count)
{
  (*count)++;
}

/* Every key a clicker sends, on the fixture's tour. */
static void
test_tour_keys (void)
{
  g_autoptr (ChronoStore) store = fixture_store (TRUE);
  ChronoPresentation *self = chrono_presentation_new (NULL, CHRONO_EVENT_SOURCE (store), NULL, "en");
  GtkWidget *blank;
  guint closed = 0;

  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &self);
  g_signal_connect (self, "closed", G_CALLBACK (on_closed), &closed);
  gtk_window_present (GTK_WINDOW (self));

  g_assert_true (chrono_presentation_get_from_tour (self));
  g_assert_cmpuint (chrono_presentation_get_n_steps (self), ==, 3);
  assert_step (self, 0, "middle", "Middle first");
  g_assert_cmpstr (label_text (self, "presentation-note"), ==, "Out of order.");
  /* The preferred excerpt in the reading language, with its citation. */
  g_assert_cmpstr (label_text (self, "presentation-quote"), ==, "“In the middle.”");
  g_assert_cmpstr (label_text (self, "presentation-citation"), ==, "— The Courier, 17 April 2024 · English");
  g_assert_cmpstr (label_text (self, "presentation-counter"), ==, "1 / 3");
  /* The step's own date sets the map's day. */
  g_assert_cmpint (chrono_presentation_get_day (self), ==, chrono_day_from_ymd (2022, 1, 20));

  g_assert_true (press (self, GDK_KEY_Right));
  assert_step (self, 1, "late", "Then the late one");
  g_assert_cmpstr (label_text (self, "presentation-counter"), ==, "2 / 3");
  g_assert_true (press (self, GDK_KEY_Page_Down));
  assert_step (self, 2, "early", "Early last");
  /* Its quote starts mid-sentence and has no full stop. */
  g_assert_cmpstr (label_text (self, "presentation-quote"), ==, "“…something early was signed…”");
  g_assert_true (press (self, GDK_KEY_space));
  assert_step (self, 2, "early", "Early last");
  g_assert_true (press (self, GDK_KEY_Left));
  assert_step (self, 1, "late", "Then the late one");
  g_assert_true (press (self, GDK_KEY_BackSpace));
  assert_step (self, 0, "middle", "Middle first");
  g_assert_true (press (self, GDK_KEY_Up));
  assert_step (self, 0, "middle", "Middle first");
  g_assert_true (press (self, GDK_KEY_End));
  assert_step (self, 2, "early", "Early last");
  g_assert_true (press (self, GDK_KEY_Home));
  assert_step (self, 0, "middle", "Middle first");
  g_assert_true (press (self, GDK_KEY_Down));
  assert_step (self, 1, "late", "Then the late one");
  g_assert_true (press (self, GDK_KEY_Return));
  assert_step (self, 2, "early", "Early last");
  g_assert_true (press (self, GDK_KEY_Page_Up));
  assert_step (self, 1, "late", "Then the late one");

  /* B blanks; a key brings the same step back without moving on. */
  blank = find_by_class (GTK_WIDGET (self), "presentation-blank");
  g_assert_nonnull (blank);
  g_assert_false (gtk_widget_get_visible (blank));
  g_assert_true (press (self, GDK_KEY_b));
  g_assert_true (chrono_presentation_get_blanked (self));
  g_assert_true (gtk_widget_get_visible (blank));
  g_assert_true (press (self, GDK_KEY_Right));
  g_assert_false (chrono_presentation_get_blanked (self));
  g_assert_false (gtk_widget_get_visible (blank));
  assert_step (self, 1, "late", "Then the late one");
  g_assert_true (press (self, GDK_KEY_period));
  g_assert_true (chrono_presentation_get_blanked (self));
  g_assert_true (press (self, GDK_KEY_period));
  g_assert_false (chrono_presentation_get_blanked (self));
  g_assert_true (press (self, GDK_KEY_B));
  g_assert_true (press (self, GDK_KEY_B));
  g_assert_false (chrono_presentation_get_blanked (self));
  assert_step (self, 1, "late", "Then the late one");

  /* F5 opened presentation mode: here it does nothing. Keys that are not
   * the clicker's, and shortcuts, are left alone. */
  g_assert_true (press (self, GDK_KEY_F5));
  assert_step (self, 1, "late", "Then the late one");
  g_assert_false (press (self, GDK_KEY_x));
  {
    gboolean handled = TRUE;

    g_signal_emit_by_name (chrono_presentation_get_key_controller (self), "key-pressed",
                           GDK_KEY_Right, 0, GDK_CONTROL_MASK, &handled);
    g_assert_false (handled);
    assert_step (self, 1, "late", "Then the late one");
  }

  /* Escape leaves: "closed", and the window goes away. */
  g_assert_true (press (self, GDK_KEY_Escape));
  g_assert_cmpuint (closed, ==, 1);
  drain ();
  g_assert_null (self);
}

/* In French: the tour's French titles, the French excerpt it prefers. */
static void
test_tour_french (void)
{
  g_autoptr (ChronoStore) store = fixture_store (TRUE);
  ChronoPresentation *self = chrono_presentation_new (NULL, CHRONO_EVENT_SOURCE (store), NULL, "fr_FR.UTF-8");

  assert_step (self, 0, "middle", "Le milieu d'abord");
  g_assert_cmpstr (label_text (self, "presentation-note"), ==, "Dans le désordre.");
  g_assert_cmpstr (label_text (self, "presentation-quote"), ==, "«\u00a0Au milieu.\u00a0»");
  chrono_presentation_set_step (self, 2);
  assert_step (self, 2, "early", "Le précoce en dernier");

  gtk_window_destroy (GTK_WINDOW (self));
}

/* Without a tour: every event, the earliest first, under its own title. */
static void
test_chronological (void)
{
  g_autoptr (ChronoStore) store = fixture_store (FALSE);
  ChronoPresentation *self = chrono_presentation_new (NULL, CHRONO_EVENT_SOURCE (store), NULL, "en");

  gtk_window_present (GTK_WINDOW (self));
  g_assert_false (chrono_presentation_get_from_tour (self));
  g_assert_cmpuint (chrono_presentation_get_n_steps (self), ==, 3);
  assert_step (self, 0, "early", "Early event");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (find_label (GTK_WIDGET (self), "presentation-note"))));
  g_assert_true (press (self, GDK_KEY_Right));
  assert_step (self, 1, "middle", "Middle event");
  /* No tour day: the latest possible start. */
  g_assert_cmpint (chrono_presentation_get_day (self), ==, chrono_day_from_ymd (2022, 1, 5));
  g_assert_true (press (self, GDK_KEY_Right));
  assert_step (self, 2, "late", "Late event");
  g_assert_cmpstr (label_text (self, "presentation-counter"), ==, "3 / 3");

  gtk_window_destroy (GTK_WINDOW (self));
}

typedef struct
{
  ChronoPresentation *self;
  guint               step;
  gint64              since;
} PlayWait;

static gboolean
step_reached (gpointer data)
{
  PlayWait *wait = data;

  return chrono_presentation_get_step (wait->self) == wait->step;
}

static gboolean
stopped_playing (gpointer data)
{
  PlayWait *wait = data;

  return !chrono_presentation_get_playing (wait->self);
}

/* P plays: a step every "step-duration" seconds, stopping at the end. */
static void
test_play (void)
{
  g_autoptr (ChronoStore) store = fixture_store (TRUE);
  ChronoPresentation *self = chrono_presentation_new (NULL, CHRONO_EVENT_SOURCE (store), NULL, "en");
  PlayWait wait = { self, 1, 0 };
  double elapsed;

  g_assert_cmpuint (chrono_presentation_get_step_duration (self), ==, 8);
  chrono_presentation_set_step_duration (self, 1);
  gtk_window_present (GTK_WINDOW (self));

  wait.since = g_get_monotonic_time ();
  g_assert_true (press (self, GDK_KEY_p));
  g_assert_true (chrono_presentation_get_playing (self));
  wait_until (step_reached, &wait, 5.0, "the first automatic step");
  elapsed = (g_get_monotonic_time () - wait.since) / (double) G_USEC_PER_SEC;
  g_test_message ("first automatic step after %.2f s", elapsed);
  g_assert_cmpfloat (elapsed, >=, 0.95);

  wait_until (stopped_playing, &wait, 5.0, "the end of the tour");
  assert_step (self, 2, "early", "Early last");

  /* P again stops, and a blank screen pauses. */
  chrono_presentation_set_step (self, 0);
  g_assert_true (press (self, GDK_KEY_P));
  g_assert_true (chrono_presentation_get_playing (self));
  g_assert_true (press (self, GDK_KEY_P));
  g_assert_false (chrono_presentation_get_playing (self));

  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
is_styled_for_window (gpointer data)
{
  ChronoPresentation *self = data;
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  return height > 0 && fabs (chrono_presentation_get_type_scale (self) - height / 720.0) < 0.001;
}

/* The font size of a label in pixels. */
static double
font_px (GtkWidget *label)
{
  const PangoFontDescription *font = pango_context_get_font_description (gtk_widget_get_pango_context (label));
  double size = pango_font_description_get_size (font) / (double) PANGO_SCALE;

  /* GTK gives CSS px as absolute sizes; points would be 96/72 px each. */
  return pango_font_description_get_size_is_absolute (font) ? size : size * 96.0 / 72.0;
}

typedef struct
{
  ChronoPresentation *self;
  ChronoBasemapSource *basemap;
  double lat, lon, zoom;
  guint still_frames;
} MapWait;

/* The map has stopped gliding and has every tile it asked for. */
static gboolean
map_settled (gpointer data)
{
  MapWait *wait = data;
  ShumateSimpleMap *map = SHUMATE_SIMPLE_MAP (find_by_class (GTK_WIDGET (wait->self), "presentation-map"));
  ShumateViewport *viewport = shumate_simple_map_get_viewport (map);
  double lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  double lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  double zoom = shumate_viewport_get_zoom_level (viewport);

  if (lat == wait->lat && lon == wait->lon && zoom == wait->zoom &&
      (wait->basemap == NULL || chrono_basemap_source_get_pending (wait->basemap) == 0))
    wait->still_frames++;
  else
    wait->still_frames = 0;

  wait->lat = lat;
  wait->lon = lon;
  wait->zoom = zoom;

  /* Still over a few turns of the loop, which runs at least every 20 ms. */
  return wait->still_frames >= 10;
}

/* Where each of the event's places is in the window. */
static void
assert_places_in (ChronoPresentation    *self,
                  const graphene_rect_t *free_area)
{
  ShumateSimpleMap *map = SHUMATE_SIMPLE_MAP (find_by_class (GTK_WIDGET (self), "presentation-map"));
  ShumateViewport *viewport = shumate_simple_map_get_viewport (map);
  GPtrArray *places = chrono_event_get_places (chrono_presentation_get_event (self));

  for (guint i = 0; i < places->len; i++)
    {
      ChronoPlace *place = g_ptr_array_index (places, i);
      double x, y;

      shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (map),
                                                  chrono_place_get_lat (place), chrono_place_get_lon (place),
                                                  &x, &y);
      g_test_message ("%s at %.0f, %.0f", chrono_place_get_id (place), x, y);
      g_assert_true (graphene_rect_contains_point (free_area, &GRAPHENE_POINT_INIT (x, y)));
    }
}

/* At 1280x720: type big enough for the back of a classroom, the card inside
 * the window, and the map framing the step's places beside the card. */
static void
test_projector_layout (void)
{
  g_autoptr (ChronoStore) store = fixture_store (TRUE);
  ChronoPresentation *self = chrono_presentation_new (NULL, CHRONO_EVENT_SOURCE (store), NULL, "en");
  MapWait wait = { self, NULL, 0, 0, 0, 0 };
  GtkWidget *card;
  graphene_rect_t card_bounds, free_area;

  gtk_window_set_default_size (GTK_WINDOW (self), 1280, 720);
  chrono_presentation_present_fullscreen (self);
  wait_until (is_styled_for_window, self, 10.0, "type sized for the window");
  g_test_message ("window %d x %d", gtk_widget_get_width (GTK_WIDGET (self)), gtk_widget_get_height (GTK_WIDGET (self)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (self)), ==, 1280);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (self)), ==, 720);
  drain ();

  /* Its names are large, and the basemap's under them are painted out */
  {
    ChronoEventLayer *layer = CHRONO_EVENT_LAYER (find_type (GTK_WIDGET (self), CHRONO_TYPE_EVENT_LAYER));

    g_assert_cmpfloat (chrono_event_layer_get_label_scale (layer), >=, 1.5);
    g_assert_true (chrono_event_layer_get_paint_out_names (layer));
  }

  g_test_message ("title %.1f px, quote %.1f px, note %.1f px, date %.1f px, citation %.1f px",
                  font_px (GTK_WIDGET (find_label (GTK_WIDGET (self), "presentation-title"))),
                  font_px (GTK_WIDGET (find_label (GTK_WIDGET (self), "presentation-quote"))),
                  font_px (GTK_WIDGET (find_label (GTK_WIDGET (self), "presentation-note"))),
                  font_px (GTK_WIDGET (find_label (GTK_WIDGET (self), "presentation-date"))),
                  font_px (GTK_WIDGET (find_label (GTK_WIDGET (self), "presentation-citation"))));
  g_assert_cmpfloat (font_px (GTK_WIDGET (find_label (GTK_WIDGET (self), "presentation-title"))), >=, 36.0);
  g_assert_cmpfloat (font_px (GTK_WIDGET (find_label (GTK_WIDGET (self), "presentation-quote"))), >=, 24.0);
  g_assert_cmpfloat (font_px (GTK_WIDGET (find_label (GTK_WIDGET (self), "presentation-note"))), >=, 24.0);
  g_assert_cmpfloat (font_px (GTK_WIDGET (find_label (GTK_WIDGET (self), "presentation-citation"))), >=, 18.0);

  card = find_by_class (GTK_WIDGET (self), "presentation-card");
  g_assert_true (gtk_widget_compute_bounds (card, GTK_WIDGET (self), &card_bounds));
  g_test_message ("card %.0f,%.0f %.0fx%.0f", card_bounds.origin.x, card_bounds.origin.y,
                  card_bounds.size.width, card_bounds.size.height);
  g_assert_cmpfloat (card_bounds.origin.x, >=, 0);
  g_assert_cmpfloat (card_bounds.origin.y, >=, 0);
  g_assert_cmpfloat (card_bounds.origin.x + card_bounds.size.width, <=, 1280);
  g_assert_cmpfloat (card_bounds.origin.y + card_bounds.size.height, <=, 720);
  /* A third of the screen at most, its left third */
  g_assert_cmpfloat (card_bounds.size.width, <=, 1280 / 3.0);
  g_assert_cmpfloat (card_bounds.origin.x + card_bounds.size.width, <=, 1280 / 3.0);

  /* Names on the basemap twice their size on the desk */
  {
    g_autoptr (ShumateMapSource) source = NULL;
    g_autoptr (ChronoBasemapSource) basemap = NULL;

    g_object_get (self, "map-source", &source, NULL);
    g_object_get (source, "data-source", &basemap, NULL);
    g_assert_cmpfloat (chrono_basemap_source_get_label_scale (basemap), ==, 2.0);
    g_assert_true (shumate_simple_map_get_map_source (SHUMATE_SIMPLE_MAP (find_by_class (GTK_WIDGET (self),
                                                                                         "presentation-map")))
                   == source);
  }

  /* The map glides to each step's places and frames them in the two thirds
   * the card leaves free. */
  for (guint step = 0; step < 3; step++)
    {
      chrono_presentation_set_step (self, step);
      wait.still_frames = 0;
      wait_until (map_settled, &wait, 20.0, "the map to settle");
      g_assert_true (gtk_widget_compute_bounds (card, GTK_WIDGET (self), &card_bounds));
      free_area = GRAPHENE_RECT_INIT (card_bounds.origin.x + card_bounds.size.width, 0,
                                      1280 - card_bounds.origin.x - card_bounds.size.width, 720);
      assert_places_in (self, &free_area);
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
basemap_drained (gpointer data)
{
  MapWait *wait = data;
  g_autoptr (ShumateMapSource) source = NULL;

  g_clear_object (&wait->basemap);
  g_object_get (wait->self, "map-source", &source, NULL);
  g_object_get (source, "data-source", &wait->basemap, NULL);

  return map_settled (wait);
}

/* In a smaller window everything is smaller, the basemap's names too: the
 * map gets tiles of their scale, and the layout holds as at 720 px. */
static void
test_small_window (void)
{
  g_autoptr (ChronoStore) store = fixture_store (TRUE);
  ChronoPresentation *self = chrono_presentation_new (NULL, CHRONO_EVENT_SOURCE (store), NULL, "en");
  MapWait wait = { self, NULL, 0, 0, 0, 0 };
  g_autoptr (ShumateMapSource) source = NULL;
  GtkWidget *card;
  ShumateSimpleMap *map;
  graphene_rect_t card_bounds;

  gtk_window_set_default_size (GTK_WINDOW (self), 960, 540);
  gtk_window_present (GTK_WINDOW (self));
  wait_until (is_styled_for_window, self, 10.0, "type sized for the window");
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (self)), ==, 540);
  g_assert_cmpfloat_with_epsilon (chrono_presentation_get_type_scale (self), 0.75, 0.001);
  wait_until (basemap_drained, &wait, 30.0, "the map to settle");

  g_object_get (self, "map-source", &source, NULL);
  map = SHUMATE_SIMPLE_MAP (find_by_class (GTK_WIDGET (self), "presentation-map"));
  g_assert_true (shumate_simple_map_get_map_source (map) == source);
  g_assert_cmpfloat (chrono_basemap_source_get_label_scale (wait.basemap), ==, 1.5);
  g_assert_nonnull (strstr (shumate_map_source_get_id (source), "-labels1.5"));

  card = find_by_class (GTK_WIDGET (self), "presentation-card");
  g_assert_true (gtk_widget_compute_bounds (card, GTK_WIDGET (self), &card_bounds));
  g_assert_cmpfloat (card_bounds.origin.x + card_bounds.size.width, <=, 960 / 3.0);
  assert_places_in (self, &GRAPHENE_RECT_INIT (card_bounds.origin.x + card_bounds.size.width, 0,
                                               960 - card_bounds.origin.x - card_bounds.size.width, 540));

  gtk_window_destroy (GTK_WINDOW (self));
  g_clear_object (&wait.basemap);
}

/* What the map shows, in degrees: west, north, east, south. */
static void
get_visible_box (ChronoPresentation *self,
                 double              box[4])
{
  ShumateSimpleMap *map = SHUMATE_SIMPLE_MAP (find_by_class (GTK_WIDGET (self), "presentation-map"));
  ShumateViewport *viewport = shumate_simple_map_get_viewport (map);
  int width = gtk_widget_get_width (GTK_WIDGET (map));
  int height = gtk_widget_get_height (GTK_WIDGET (map));

  shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (map), 0, 0, &box[1], &box[0]);
  shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (map), width, height, &box[3], &box[2]);
}

static void
assert_box_holds_places (ChronoPresentation *self,
                         const double        box[4])
{
  GPtrArray *places = chrono_event_get_places (chrono_presentation_get_event (self));

  for (guint i = 0; i < places->len; i++)
    {
      ChronoPlace *place = g_ptr_array_index (places, i);

      g_assert_cmpfloat (chrono_place_get_lon (place), >, box[0]);
      g_assert_cmpfloat (chrono_place_get_lon (place), <, box[2]);
      g_assert_cmpfloat (chrono_place_get_lat (place), <, box[1]);
      g_assert_cmpfloat (chrono_place_get_lat (place), >, box[3]);
    }
}

/* A presentation entered as the window's F5 enters it, of the bundled
 * dataset, settled on its first step: what its map shows. */
static ChronoPresentation *
enter_presentation (ChronoStore *store,
                    GtkWindow   *parent,
                    MapWait     *wait)
{
  ChronoPresentation *self = chrono_presentation_new (parent, CHRONO_EVENT_SOURCE (store), NULL, "en");
  g_autoptr (ShumateMapSource) source = NULL;

  chrono_presentation_present_fullscreen (self);
  wait_until (is_styled_for_window, self, 10.0, "type sized for the window");
  g_object_get (self, "map-source", &source, NULL);
  g_clear_object (&wait->basemap);
  g_object_get (source, "data-source", &wait->basemap, NULL);
  wait->self = self;
  wait->still_frames = 0;
  wait_until (map_settled, wait, 30.0, "the map to settle");

  return self;
}

/* Step 1 is framed the same (close) whether presentation mode was just
 * entered (F5) or the teacher came back to it (Home), after the window's
 * own map was anywhere and at whatever moment the window got its size. */
static void
test_frame_same_every_time (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_dataset_open_bundled (&error);
  GtkWidget *parent = gtk_window_new ();
  ChronoPresentation *self;
  MapWait wait = { NULL, NULL, 0, 0, 0, 0 };
  double entered[4], home[4], again[4], tolerance;

  g_assert_no_error (error);
  gtk_window_set_default_size (GTK_WINDOW (parent), 800, 600);
  gtk_window_present (GTK_WINDOW (parent));

  /* F5 */
  self = enter_presentation (store, GTK_WINDOW (parent), &wait);
  g_assert_cmpuint (chrono_presentation_get_step (self), ==, 0);
  get_visible_box (self, entered);
  g_test_message ("entered: %.3f %.3f %.3f %.3f", entered[0], entered[1], entered[2], entered[3]);
  assert_box_holds_places (self, entered);

  /* Home, from the last step */
  chrono_presentation_set_step (self, chrono_presentation_get_n_steps (self) - 1);
  wait.still_frames = 0;
  wait_until (map_settled, &wait, 30.0, "the map to settle");
  g_assert_true (press (self, GDK_KEY_Home));
  g_assert_cmpuint (chrono_presentation_get_step (self), ==, 0);
  wait.still_frames = 0;
  wait_until (map_settled, &wait, 30.0, "the map to settle");
  get_visible_box (self, home);
  g_test_message ("home: %.3f %.3f %.3f %.3f", home[0], home[1], home[2], home[3]);

  /* Within a hundredth of what the map shows across */
  tolerance = (entered[2] - entered[0]) / 100;
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (home[i], entered[i], tolerance);

  /* Home on step 1 after the map was moved: the same again */
  shumate_map_center_on (shumate_simple_map_get_map (SHUMATE_SIMPLE_MAP (find_by_class (GTK_WIDGET (self),
                                                                                         "presentation-map"))),
                         44.0, 33.0);
  g_assert_true (press (self, GDK_KEY_Home));
  wait.still_frames = 0;
  wait_until (map_settled, &wait, 30.0, "the map to settle");
  get_visible_box (self, again);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (again[i], entered[i], tolerance);
  gtk_window_destroy (GTK_WINDOW (self));

  /* F5 again, the window's map elsewhere: the same */
  self = enter_presentation (store, GTK_WINDOW (parent), &wait);
  get_visible_box (self, again);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (again[i], entered[i], tolerance);
  gtk_window_destroy (GTK_WINDOW (self));

  /* Close: the step's places span more than a sixth of what the map shows
   * across (a third of the two thirds right of the card, on any screen);
   * the whole region from the Black Sea to the Caspian is twenty times that. */
  {
    GPtrArray *places = NULL;
    double west = G_MAXDOUBLE, east = -G_MAXDOUBLE;
    g_autoptr (ChronoEvent) first = NULL;
    g_autoptr (GPtrArray) tour = chrono_store_get_tour (store, "en", &error);

    g_assert_no_error (error);
    first = chrono_store_get_event (store, chrono_tour_step_get_event_rowid (g_ptr_array_index (tour, 0)),
                                    "en", &error);
    g_assert_no_error (error);
    places = chrono_event_get_places (first);
    for (guint i = 0; i < places->len; i++)
      {
        west = MIN (west, chrono_place_get_lon (g_ptr_array_index (places, i)));
        east = MAX (east, chrono_place_get_lon (g_ptr_array_index (places, i)));
      }
    g_test_message ("the places span %.2f of %.2f degrees", east - west, entered[2] - entered[0]);
    g_assert_cmpfloat (east - west, >, (entered[2] - entered[0]) / 6);
  }

  g_clear_object (&wait.basemap);
  gtk_window_destroy (GTK_WINDOW (parent));
}

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Waits for the window to paint a frame of what it shows now. */
static void
wait_for_paint (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean painted = FALSE;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);

  gtk_widget_queue_draw (window);
  wait_until (is_true, &painted, 10.0, "a frame");
  g_signal_handler_disconnect (clock, handler);
}

/* The window's pixels, as a person would see them, once it has painted them. */
static GdkTexture *
render_window (GtkWidget *window)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  g_autoptr (GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr (GError) error = NULL;
  GdkTexture *texture;

  /* Cairo: the GL renderer of llvmpipe under Xvfb sometimes gives a
   * texture of zeros here. Tile edges may show hairlines that the screen
   * does not have. */
  g_assert_true (gsk_renderer_realize (renderer, NULL, &error));
  g_assert_no_error (error);
  wait_for_paint (window);
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 }, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_renderer_unrealize (renderer);

  return texture;
}

typedef struct
{
  guint8 *pixels;
  int     width;
  int     height;
  gsize   stride;
} Pixels;

static void
pixels_from_texture (Pixels     *pixels,
                     GdkTexture *texture)
{
  pixels->width = gdk_texture_get_width (texture);
  pixels->height = gdk_texture_get_height (texture);
  pixels->stride = pixels->width * 4;
  pixels->pixels = g_malloc (pixels->stride * pixels->height);
  gdk_texture_download (texture, pixels->pixels, pixels->stride);
}

/* Mean luminance and the number of distinct colours in a rectangle. */
static void
measure_area (const Pixels *p,
              int x0, int y0, int x1, int y1,
              double *out_luma,
              guint  *out_colours)
{
  g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);
  double sum = 0;
  guint n = 0;

  for (int y = y0; y < y1; y += 2)
    for (int x = x0; x < x1; x += 2)
      {
        const guint8 *px = p->pixels + y * p->stride + x * 4;  /* B G R A, premultiplied */
        guint32 rgb = (px[2] << 16) | (px[1] << 8) | px[0];

        sum += 0.2126 * px[2] + 0.7152 * px[1] + 0.0722 * px[0];
        n++;
        g_hash_table_add (colours, GUINT_TO_POINTER (rgb + 1));
      }

  *out_luma = n > 0 ? sum / n : 0;
  *out_colours = g_hash_table_size (colours);
}

/* The bundled dataset at 1280x720 in French and English: the tour's first
 * step as the dataset's JSON says, a dark card over a drawn map, and a
 * blank screen that is black. */
static void
test_bundled_render (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_dataset_open_bundled (&error);
  g_autoptr (GBytes) json = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (ShumateMapSource) source = NULL;
  const char *screenshots = g_getenv ("CHRONO_SCREENSHOT_DIR");
  ChronoPresentation *self;
  MapWait wait = { NULL, NULL, 0, 0, 0, 0 };
  JsonArray *tour;
  const char *lang = g_getenv ("CHRONO_SCREENSHOT_LANG") != NULL ? g_getenv ("CHRONO_SCREENSHOT_LANG") : "fr";
  guint n_steps;

  g_assert_no_error (error);
  json = g_resources_lookup_data (CHRONO_DATASET_BUNDLED_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (json, NULL), g_bytes_get_size (json), &error));
  tour = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "tour");
  n_steps = json_array_get_length (tour);

  /* Presentation mode's own offline basemap, to count its pending tiles. */
  self = chrono_presentation_new (NULL, CHRONO_EVENT_SOURCE (store), NULL, lang);
  g_object_get (self, "map-source", &source, NULL);
  g_object_get (source, "data-source", &wait.basemap, NULL);
  wait.self = self;
  gtk_window_set_default_size (GTK_WINDOW (self), 1280, 720);
  gtk_window_present (GTK_WINDOW (self));
  wait_until (is_styled_for_window, self, 10.0, "type sized for the window");

  g_assert_true (chrono_presentation_get_from_tour (self));
  g_assert_cmpuint (chrono_presentation_get_n_steps (self), ==, n_steps);
  g_assert_cmpstr (chrono_event_get_id (chrono_presentation_get_event (self)), ==,
                   json_object_get_string_member (json_array_get_object_element (tour, 0), "event"));

  for (guint i = 0; i < n_steps; i++)
    {
      JsonObject *step = json_array_get_object_element (tour, i);
      JsonObject *title = json_object_get_object_member (step, "title");
      g_autoptr (GdkTexture) texture = NULL;
      g_autofree guint8 *data = NULL;
      Pixels pixels;
      GtkWidget *card;
      graphene_rect_t bounds;
      double card_luma, map_luma;
      guint card_colours, map_colours;

      chrono_presentation_set_step (self, i);
      g_assert_cmpstr (chrono_event_get_id (chrono_presentation_get_event (self)), ==,
                       json_object_get_string_member (step, "event"));
      g_assert_cmpstr (chrono_presentation_get_step_title (self), ==, json_object_get_string_member (title, lang));

      /* Every step's card holds all its text: none is cut at the bottom */
      {
        int natural = 0;

        card = find_by_class (GTK_WIDGET (self), "presentation-card");
        /* Laid out for the new step: a frame, whose layout comes before
         * its paint (idles alone may come before it) */
        drain ();
        wait_for_paint (GTK_WIDGET (self));
        gtk_widget_measure (card, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (card), NULL, &natural, NULL, NULL);
        g_assert_cmpint (gtk_widget_get_width (card), <=, 1280 / 3);
        g_assert_cmpint (natural, <=, gtk_widget_get_height (card));
        g_assert_cmpint (gtk_widget_get_height (card), <=, 720);
      }

      /* Five steps are enough to look at, unless screenshots are wanted. */
      if (screenshots == NULL && i % 4 != 0)
        continue;

      wait.still_frames = 0;
      wait_until (map_settled, &wait, 30.0, "the map to settle");
      texture = render_window (GTK_WIDGET (self));
      pixels_from_texture (&pixels, texture);
      data = pixels.pixels;

      card = find_by_class (GTK_WIDGET (self), "presentation-card");
      g_assert_true (gtk_widget_compute_bounds (card, GTK_WIDGET (self), &bounds));
      /* A strip of the card right of its text: the card's own background. */
      measure_area (&pixels, bounds.origin.x + bounds.size.width - 24, bounds.origin.y + 24,
                    bounds.origin.x + bounds.size.width - 12, bounds.origin.y + 40, &card_luma, &card_colours);
      /* The map right of the card. */
      measure_area (&pixels, bounds.origin.x + bounds.size.width + 8, 0, 1280, 720, &map_luma, &map_colours);
      g_test_message ("step %u (%s): card luma %.0f, map luma %.0f with %u colours",
                      i + 1, json_object_get_string_member (step, "event"), card_luma, map_luma, map_colours);
      g_assert_cmpfloat (card_luma, <, 60);
      g_assert_cmpfloat (map_luma, >, 120);
      g_assert_cmpuint (map_colours, >, 20);

      if (screenshots != NULL)
        {
          g_autofree char *name = g_strdup_printf ("presentation-%s-%02u.png", lang, i + 1);
          g_autofree char *path = g_build_filename (screenshots, name, NULL);

          const char *import[] = { "import", "-window", "root", path, NULL };
          int status = 0;

          /* What the X server shows, when ImageMagick is there; else our rendering. */
          if (!g_spawn_sync (NULL, (char **) import, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                             NULL, NULL, NULL, NULL, &status, NULL) ||
              !g_spawn_check_wait_status (status, NULL))
            g_assert_true (gdk_texture_save_to_png (texture, path));
          /* The X server was grabbed meanwhile: let the window paint again. */
          wait_for_paint (GTK_WIDGET (self));
          wait_for_paint (GTK_WIDGET (self));
        }
    }

  /* Blank: black everywhere. */
  {
    g_autoptr (GdkTexture) texture = NULL;
    g_autofree guint8 *data = NULL;
    Pixels pixels;
    double luma;
    guint colours;

    g_assert_true (press (self, GDK_KEY_b));
    drain ();
    texture = render_window (GTK_WIDGET (self));
    pixels_from_texture (&pixels, texture);
    data = pixels.pixels;
    measure_area (&pixels, 0, 0, pixels.width, pixels.height, &luma, &colours);
    g_assert_cmpfloat (luma, ==, 0);
    g_assert_cmpuint (colours, ==, 1);
  }

  gtk_window_destroy (GTK_WINDOW (self));
  g_clear_object (&wait.basemap);
}

static gboolean
is_drawn (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data)) && gtk_widget_get_height (GTK_WIDGET (data)) > 0;
}

/* The late event's title and quote 10 MB long: the card shows the start
 * of each, cut with an ellipsis, in moments (laying the whole text out took
 * minutes); the data keeps them whole. */
static void
test_huge_texts (void)
{
  g_autoptr (GString) huge = g_string_sized_new (10 * 1024 * 1024 + 16);
  g_autoptr (GString) json = g_string_new (fixture_head);
  g_autofree char *dir = g_dir_make_tmp ("chrono-test-presentation-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "huge.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = NULL;
  ChronoPresentation *self;
  const char *title, *quote;
  gint64 start;
  double seconds;

  while (huge->len < 10 * 1024 * 1024)
    g_string_append (huge, "Ceasefire ");
  g_assert_cmpuint (g_string_replace (json, "Late event", huge->str, 1), ==, 1);
  g_assert_cmpuint (g_string_replace (json, "The late thing happened.", huge->str, 1), ==, 1);
  g_string_append (json, "}");
  g_file_set_contents (path, json->str, json->len, &error);
  g_assert_no_error (error);
  store = chrono_store_new_in_memory (&error);
  g_assert_no_error (error);
  g_assert_true (chrono_dataset_import_file (store, file, &error));
  g_assert_no_error (error);
  g_unlink (path);
  g_rmdir (dir);

  start = g_get_monotonic_time ();
  self = chrono_presentation_new (NULL, CHRONO_EVENT_SOURCE (store), NULL, "en");
  gtk_window_set_default_size (GTK_WINDOW (self), 1280, 720);
  chrono_presentation_set_step (self, 2);
  gtk_window_present (GTK_WINDOW (self));
  wait_until (is_drawn, self, 60.0, "the presentation to show");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (self));
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  g_assert_cmpstr (chrono_event_get_id (chrono_presentation_get_event (self)), ==, "late");
  g_assert_cmpuint (strlen (chrono_event_get_title (chrono_presentation_get_event (self))), >=, 10 * 1024 * 1024);
  title = label_text (self, "presentation-title");
  quote = label_text (self, "presentation-quote");
  g_test_message ("shown in %.3f s: a title of %ld characters, a quote of %ld", seconds,
                  g_utf8_strlen (title, -1), g_utf8_strlen (quote, -1));
  g_assert_true (g_str_has_prefix (title, "Ceasefire Ceasefire"));
  g_assert_true (g_str_has_suffix (title, "…"));
  g_assert_cmpint (g_utf8_strlen (title, -1), <=, CHRONO_DISPLAY_NAME_CHARS);
  g_assert_true (g_str_has_suffix (quote, "…\u00a0»") || g_str_has_suffix (quote, "…"));
  g_assert_cmpint (g_utf8_strlen (quote, -1), <=, CHRONO_DISPLAY_TEXT_CHARS);
  g_assert_cmpfloat (seconds, <, 20);

  gtk_window_destroy (GTK_WINDOW (self));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("chrono-test-presentation-XXXXXX", NULL);

  /* A data dir of our own for the bundled dataset's first run (not GLib's
   * isolated dirs, which hide the MIME data GTK needs for icons). */
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/presentation/tour/keys", test_tour_keys);
  g_test_add_func ("/presentation/tour/french", test_tour_french);
  g_test_add_func ("/presentation/chronological", test_chronological);
  g_test_add_func ("/presentation/play", test_play);
  g_test_add_func ("/presentation/projector-layout", test_projector_layout);
  g_test_add_func ("/presentation/frame-same-every-time", test_frame_same_every_time);
  g_test_add_func ("/presentation/small-window", test_small_window);
  g_test_add_func ("/presentation/huge-texts", test_huge_texts);
  g_test_add_func ("/presentation/bundled/render", test_bundled_render);

  return g_test_run ();
}
