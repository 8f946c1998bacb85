/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <shumate/shumate.h>

#include "chrono-basemap-map-source.h"
#include "chrono-basemap-source.h"
#include "chrono-dataset.h"
#include "chrono-date.h"
#include "chrono-event.h"
#include "chrono-event-layer.h"
#include "chrono-event-list.h"
#include "chrono-event-table.h"
#include "chrono-place.h"
#include "chrono-store.h"
#include "chrono-time-index.h"

/* A basemap of plain tiles, so the map has a known background */

#define BG_R 0xf0
#define BG_G 0xed
#define BG_B 0xe5

#define TEST_TYPE_TILES (test_tiles_get_type ())
G_DECLARE_FINAL_TYPE (TestTiles, test_tiles, TEST, TILES, ShumateDataSource)

struct _TestTiles
{
  ShumateDataSource parent_instance;
  GBytes *png;
};

G_DEFINE_FINAL_TYPE (TestTiles, test_tiles, SHUMATE_TYPE_DATA_SOURCE)

static cairo_status_t
append_png_data (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
test_tiles_get_tile_data_async (ShumateDataSource   *source,
                                int                  x,
                                int                  y,
                                int                  zoom,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  TestTiles *self = TEST_TILES (source);
  g_autoptr (GTask) task = g_task_new (source, cancellable, callback, user_data);

  /* The raster renderer takes its pixels from this signal, not the result */
  g_signal_emit_by_name (source, "received-data", x, y, zoom, self->png);
  g_task_return_pointer (task, g_bytes_ref (self->png), (GDestroyNotify) g_bytes_unref);
}

static void
test_tiles_finalize (GObject *object)
{
  g_clear_pointer (&TEST_TILES (object)->png, g_bytes_unref);
  G_OBJECT_CLASS (test_tiles_parent_class)->finalize (object);
}

static void
test_tiles_class_init (TestTilesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_tiles_finalize;
  SHUMATE_DATA_SOURCE_CLASS (klass)->get_tile_data_async = test_tiles_get_tile_data_async;
}

static void
test_tiles_init (TestTiles *self)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 256, 256);
  cairo_t *cr = cairo_create (surface);
  GByteArray *data = g_byte_array_new ();

  cairo_set_source_rgb (cr, BG_R / 255., BG_G / 255., BG_B / 255.);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, append_png_data, data);
  cairo_surface_destroy (surface);
  self->png = g_byte_array_free_to_bytes (data);
}

/* Fixture: a window with a ShumateSimpleMap and the layer */

#define DAY 19478 /* 2023-05-01 */

typedef struct
{
  GtkWidget        *window;
  ShumateSimpleMap *map;
  ShumateViewport  *viewport;
  ChronoEventLayer *layer;
  GPtrArray        *places;
  GListStore       *events;
  guchar           *pixels;
  gsize             stride;
  int               width, height;
} Fixture;

static ChronoPlace *
make_place (const char *id,
            const char *kind,
            double      lat,
            double      lon,
            const char *geometry,
            const char *name_en,
            const char *name_fr)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func ((GDestroyNotify) chrono_place_name_free);

  g_ptr_array_add (names, chrono_place_name_new ("en", name_en, "common"));
  g_ptr_array_add (names, chrono_place_name_new ("fr", name_fr, "common"));

  return g_object_new (CHRONO_TYPE_PLACE,
                       "id", id, "kind", kind, "lat", lat, "lon", lon,
                       "geometry", geometry, "lang", "en", "names", names,
                       NULL);
}

static ChronoEvent *
make_event_full (Fixture    *fixture,
                 const char *id,
                 const char *category,
                 gint64      start_lo,
                 gint64      start_hi,
                 gint64      end_hi,
                 const char *place_id)
{
  g_autoptr (GPtrArray) places = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < fixture->places->len; i++)
    if (g_strcmp0 (chrono_place_get_id (g_ptr_array_index (fixture->places, i)), place_id) == 0)
      g_ptr_array_add (places, g_object_ref (g_ptr_array_index (fixture->places, i)));
  g_assert_cmpuint (places->len, ==, 1);

  return g_object_new (CHRONO_TYPE_EVENT,
                       "id", id, "category", category, "importance", 2,
                       "start-lo", start_lo, "start-hi", start_hi,
                       "end-lo", end_hi, "end-hi", end_hi,
                       "places", places,
                       NULL);
}

static ChronoEvent *
make_event (Fixture    *fixture,
            const char *id,
            const char *category,
            gint64      end_hi,
            const char *place_id)
{
  return make_event_full (fixture, id, category, DAY - 100, DAY - 100, end_hi, place_id);
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Renders the whole map widget, as an export would, and keeps its pixels. */
static void
render_map (Fixture *fixture)
{
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;

  /* Let the layer and the tiles settle first; then until the map draws
   * something (a slow machine, or a sanitizer build, maps the window late) */
  gint64 until = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;

  spin (100);
  for (;;)
    {
      fixture->width = gtk_widget_get_width (GTK_WIDGET (fixture->map));
      fixture->height = gtk_widget_get_height (GTK_WIDGET (fixture->map));
      if (gtk_widget_get_mapped (GTK_WIDGET (fixture->map)) && fixture->width > 0 && fixture->height > 0)
        {
          paintable = gtk_widget_paintable_new (GTK_WIDGET (fixture->map));
          snapshot = gtk_snapshot_new ();
          gdk_paintable_snapshot (paintable, snapshot, fixture->width, fixture->height);
          node = gtk_snapshot_free_to_node (snapshot);
          if (node != NULL)
            break;
          g_clear_object (&paintable);
        }
      g_assert_cmpint (g_get_monotonic_time (), <, until);
      spin (20);
    }

  renderer = gtk_native_get_renderer (GTK_NATIVE (fixture->window));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, fixture->width, fixture->height));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, fixture->width);

  g_clear_pointer (&fixture->pixels, g_free);
  fixture->stride = fixture->width * 4;
  fixture->pixels = g_malloc (fixture->stride * fixture->height);
  gdk_texture_download (texture, fixture->pixels, fixture->stride);

  if (g_getenv ("CHRONO_TEST_SAVE_PNG") != NULL)
    {
      g_autofree char *path = g_strdup_printf ("%s/event-layer-%" G_GINT64_FORMAT ".png",
                                               g_get_tmp_dir (), g_get_monotonic_time ());
      gdk_texture_save_to_png (texture, path);
      g_test_message ("saved %s", path);
    }
}

typedef struct
{
  int r, g, b, a;
} Pixel;

/* gdk_texture_download gives cairo's premultiplied ARGB32: B, G, R, A in memory */
static Pixel
pixel_at (Fixture *fixture,
          double   x,
          double   y)
{
  int ix = (int) round (x), iy = (int) round (y);
  const guchar *p;

  g_assert_cmpint (ix, >=, 0);
  g_assert_cmpint (iy, >=, 0);
  g_assert_cmpint (ix, <, fixture->width);
  g_assert_cmpint (iy, <, fixture->height);

  p = fixture->pixels + iy * fixture->stride + ix * 4;
  return (Pixel) { p[2], p[1], p[0], p[3] };
}

/* The darkest pixel within @r of (@x, @y): the ring of a dim place */
static Pixel
darkest_near (Fixture *fixture,
              double   x,
              double   y,
              int      r)
{
  Pixel best = { 255, 255, 255, 255 };

  for (int dy = -r; dy <= r; dy++)
    for (int dx = -r; dx <= r; dx++)
      {
        Pixel p = pixel_at (fixture, x + dx, y + dy);

        if (p.r + p.g + p.b < best.r + best.g + best.b)
          best = p;
      }

  return best;
}

static double
distance (Pixel p,
          int   r,
          int   g,
          int   b)
{
  return sqrt ((p.r - r) * (p.r - r) + (p.g - g) * (p.g - g) + (p.b - b) * (p.b - b));
}

static void
project_place (Fixture *fixture,
               double   lat,
               double   lon,
               double  *x,
               double  *y)
{
  shumate_viewport_location_to_widget_coords (fixture->viewport, GTK_WIDGET (fixture->layer),
                                              lat, lon, x, y);
}

#define ALPHA_LAT 40.0
#define ALPHA_LON 46.9
#define BETA_LAT  40.4
#define BETA_LON  45.6
#define GAMMA_LAT 39.3
#define GAMMA_LON 45.7
/* The route runs west to east south of the points; its second vertex is the
 * one the tests look at. */
#define ROUTE_GEOJSON \
  "{\"type\":\"LineString\",\"coordinates\":[[46.2,39.0],[46.6,39.1],[47.0,39.2]]}"
#define ROUTE_LAT 39.1
#define ROUTE_LON 46.6

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (ShumateRasterRenderer) source = NULL;
  TestTiles *tiles;

  fixture->places = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (fixture->places, make_place ("alpha", "town", ALPHA_LAT, ALPHA_LON, NULL, "Alpha", "Alpha-fr"));
  g_ptr_array_add (fixture->places, make_place ("beta", "village", BETA_LAT, BETA_LON, NULL, "Beta", "Bêta"));
  g_ptr_array_add (fixture->places, make_place ("gamma", "village", GAMMA_LAT, GAMMA_LON, NULL, "Gamma", "Gamma"));
  g_ptr_array_add (fixture->places, make_place ("route", "route", ROUTE_LAT, ROUTE_LON, ROUTE_GEOJSON, "Route", "Route"));

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 640, 480);

  fixture->map = shumate_simple_map_new ();
  tiles = g_object_new (TEST_TYPE_TILES, NULL);
  source = shumate_raster_renderer_new_full ("test-plain", "Plain", "", NULL, 0, 12, 256,
                                             SHUMATE_MAP_PROJECTION_MERCATOR,
                                             SHUMATE_DATA_SOURCE (tiles));
  g_object_unref (tiles);
  shumate_simple_map_set_map_source (fixture->map, SHUMATE_MAP_SOURCE (source));
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->map));

  fixture->viewport = shumate_simple_map_get_viewport (fixture->map);
  shumate_viewport_set_zoom_level (fixture->viewport, 8);
  shumate_location_set_location (SHUMATE_LOCATION (fixture->viewport), 39.8, 46.3);

  fixture->layer = chrono_event_layer_new (fixture->viewport);
  shumate_simple_map_add_overlay_layer (fixture->map, SHUMATE_LAYER (fixture->layer));
  chrono_event_layer_attach_controllers (fixture->layer, GTK_WIDGET (fixture->map));
  chrono_event_layer_set_places (fixture->layer, fixture->places);
  chrono_event_layer_set_language (fixture->layer, "en");

  fixture->events = g_list_store_new (CHRONO_TYPE_EVENT);
  chrono_event_layer_set_events_in_effect (fixture->layer, G_LIST_MODEL (fixture->events));
  chrono_event_layer_set_day (fixture->layer, DAY);
  chrono_event_layer_set_afterglow_days (fixture->layer, 21);

  gtk_window_present (GTK_WINDOW (fixture->window));
  while (gtk_widget_get_width (GTK_WIDGET (fixture->layer)) == 0)
    g_main_context_iteration (NULL, TRUE);
  spin (200);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->events);
  g_clear_pointer (&fixture->places, g_ptr_array_unref);
  g_clear_pointer (&fixture->pixels, g_free);
  spin (50);
}

/* Tests */

static void
test_place_at (Fixture       *fixture,
               gconstpointer  data)
{
  double ax, ay, bx, by, rx, ry;
  g_autoptr (ChronoEvent) event = make_event (fixture, "e1", "military", DAY + 10, "alpha");

  project_place (fixture, ALPHA_LAT, ALPHA_LON, &ax, &ay);
  project_place (fixture, BETA_LAT, BETA_LON, &bx, &by);
  project_place (fixture, ROUTE_LAT, ROUTE_LON, &rx, &ry);

  g_assert_cmpstr (chrono_event_layer_place_at (fixture->layer, ax, ay), ==, "alpha");
  g_assert_cmpstr (chrono_event_layer_place_at (fixture->layer, bx, by), ==, "beta");
  /* A dim dot is small: a few pixels off still hits, further does not */
  g_assert_cmpstr (chrono_event_layer_place_at (fixture->layer, bx + 5, by), ==, "beta");
  g_assert_null (chrono_event_layer_place_at (fixture->layer, bx + 12, by));
  g_assert_null (chrono_event_layer_place_at (fixture->layer, 3, 3));
  /* The route is hit along its line, a little below its middle vertex */
  g_assert_cmpstr (chrono_event_layer_place_at (fixture->layer, rx, ry + 2), ==, "route");

  /* The layer's projection follows shumate's when the map is turned */
  shumate_viewport_set_rotation (fixture->viewport, 0.6);
  project_place (fixture, BETA_LAT, BETA_LON, &bx, &by);
  g_assert_cmpstr (chrono_event_layer_place_at (fixture->layer, bx, by), ==, "beta");
  g_assert_cmpstr (chrono_event_layer_place_at (fixture->layer, bx + 1.5, by - 1.5), ==, "beta");
  project_place (fixture, GAMMA_LAT, GAMMA_LON, &bx, &by);
  g_assert_cmpstr (chrono_event_layer_place_at (fixture->layer, bx, by), ==, "gamma");
  shumate_viewport_set_rotation (fixture->viewport, 0);

  /* With an event in effect the circle grows, and so does its reach */
  g_assert_null (chrono_event_layer_place_at (fixture->layer, ax + 11, ay));
  g_list_store_append (fixture->events, event);
  g_assert_cmpuint (chrono_event_layer_get_n_events_at (fixture->layer, "alpha"), ==, 1);
  g_assert_cmpstr (chrono_event_layer_place_at (fixture->layer, ax + 11, ay), ==, "alpha");

  /* Zoomed out, villages with nothing in effect are not drawn nor hit;
   * places with events are */
  shumate_viewport_set_zoom_level (fixture->viewport, 5);
  project_place (fixture, ALPHA_LAT, ALPHA_LON, &ax, &ay);
  project_place (fixture, GAMMA_LAT, GAMMA_LON, &bx, &by);
  g_assert_null (chrono_event_layer_place_at (fixture->layer, bx, by));
  g_assert_cmpstr (chrono_event_layer_place_at (fixture->layer, ax, ay), ==, "alpha");
}

static void
test_highlight (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (ChronoEvent) military = make_event (fixture, "e1", "military", DAY + 10, "alpha");
  g_autoptr (ChronoEvent) diplomatic = make_event (fixture, "e2", "diplomatic", DAY + 10, "beta");
  double ax, ay, bx, by;
  Pixel p;

  project_place (fixture, ALPHA_LAT, ALPHA_LON, &ax, &ay);
  project_place (fixture, BETA_LAT, BETA_LON, &bx, &by);

  /* Nothing in effect: no red anywhere near alpha */
  render_map (fixture);
  p = pixel_at (fixture, ax, ay);
  g_assert_cmpfloat (distance (p, 0xc0, 0x1c, 0x28), >, 60);
  g_assert_cmpfloat (distance (pixel_at (fixture, ax + 12, ay + 12), BG_R, BG_G, BG_B), <, 4);

  g_list_store_append (fixture->events, military);
  render_map (fixture);
  p = pixel_at (fixture, ax, ay);
  g_test_message ("alpha with a military event: %d %d %d", p.r, p.g, p.b);
  g_assert_cmpfloat (distance (p, 0xc0, 0x1c, 0x28), <, 12);
  /* Still red a few pixels from the centre: a circle, not a dot */
  g_assert_cmpfloat (distance (pixel_at (fixture, ax + 5, ay), 0xc0, 0x1c, 0x28), <, 12);
  p = pixel_at (fixture, bx, by);
  g_assert_cmpfloat (distance (p, 0xc0, 0x1c, 0x28), >, 60);
  /* Dim: a small grey ring, no channel stands out */
  p = darkest_near (fixture, bx, by, 3);
  g_test_message ("ring of dimmed beta: %d %d %d", p.r, p.g, p.b);
  g_assert_cmpint (ABS (p.r - p.b), <, 20);
  g_assert_cmpint (p.r, <, BG_R - 60);
  /* and hollow: lighter inside than on the ring */
  g_assert_cmpint (pixel_at (fixture, bx, by).r, >, p.r + 40);

  /* items-changed redraws: beta turns blue, alpha goes back to dim */
  g_list_store_append (fixture->events, diplomatic);
  g_list_store_remove (fixture->events, 0);
  render_map (fixture);
  p = pixel_at (fixture, bx, by);
  g_test_message ("beta with a diplomatic event: %d %d %d", p.r, p.g, p.b);
  g_assert_cmpfloat (distance (p, 0x1c, 0x71, 0xd8), <, 12);
  p = pixel_at (fixture, ax, ay);
  g_assert_cmpfloat (distance (p, 0xc0, 0x1c, 0x28), >, 60);
  p = darkest_near (fixture, ax, ay, 3);
  g_assert_cmpint (ABS (p.r - p.b), <, 20);

  /* The selected place is ringed with dark ink outside its circle */
  p = pixel_at (fixture, bx + 12, by);
  g_assert_cmpint (p.r + p.g + p.b, >, 3 * 140);
  chrono_event_layer_set_selected_place (fixture->layer, "beta");
  render_map (fixture);
  {
    int darkest = 3 * 255;

    /* The ring lies between 10 and 13 px from the centre */
    for (int dx = 10; dx <= 14; dx++)
      {
        p = pixel_at (fixture, bx + dx, by);
        darkest = MIN (darkest, p.r + p.g + p.b);
      }
    g_test_message ("ring of selected beta, darkest: %d", darkest);
    g_assert_cmpint (darkest, <, 3 * 100);
  }
}

static void
test_route (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr (ChronoEvent) event = make_event (fixture, "e1", "humanitarian", DAY + 10, "route");
  double rx, ry;
  Pixel dim, lit;

  project_place (fixture, ROUTE_LAT, ROUTE_LON, &rx, &ry);

  render_map (fixture);
  dim = pixel_at (fixture, rx, ry);
  g_test_message ("dim route: %d %d %d", dim.r, dim.g, dim.b);
  g_assert_cmpfloat (distance (dim, 0xe6, 0x61, 0x00), >, 80);
  g_assert_cmpfloat (distance (dim, BG_R, BG_G, BG_B), >, 20);

  g_list_store_append (fixture->events, event);
  render_map (fixture);
  lit = pixel_at (fixture, rx, ry);
  g_test_message ("route with a humanitarian event: %d %d %d", lit.r, lit.g, lit.b);
  g_assert_cmpfloat (distance (lit, 0xe6, 0x61, 0x00), <, 16);
}

static void
test_afterglow (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (ChronoEvent) ongoing = make_event (fixture, "e1", "military", DAY + 10, "gamma");
  g_autoptr (ChronoEvent) ended = make_event (fixture, "e2", "military", DAY - 3, "gamma");
  double gx, gy;
  Pixel dim, full, glow;

  project_place (fixture, GAMMA_LAT, GAMMA_LON, &gx, &gy);

  render_map (fixture);
  dim = pixel_at (fixture, gx, gy);

  g_list_store_append (fixture->events, ongoing);
  render_map (fixture);
  full = pixel_at (fixture, gx, gy);

  g_list_store_remove_all (fixture->events);
  g_list_store_append (fixture->events, ended);
  render_map (fixture);
  glow = pixel_at (fixture, gx, gy);

  g_test_message ("gamma dim %d %d %d, full %d %d %d, 3 days after its end %d %d %d",
                  dim.r, dim.g, dim.b, full.r, full.g, full.b, glow.r, glow.g, glow.b);
  g_assert_cmpfloat (distance (full, 0xc0, 0x1c, 0x28), <, 12);
  /* Partly faded: nearer the full colour than the dim dot is, but not it */
  g_assert_cmpfloat (distance (glow, full.r, full.g, full.b), >, 8);
  g_assert_cmpfloat (distance (glow, full.r, full.g, full.b), <, distance (dim, full.r, full.g, full.b) / 2);
  /* The green channel rises as the red fill lets the background through */
  g_assert_cmpint (glow.g, >, full.g);
  g_assert_cmpint (glow.g, <, BG_G);

  /* Further into the afterglow, fainter still */
  chrono_event_layer_set_day (fixture->layer, DAY + 12);
  render_map (fixture);
  g_assert_cmpint (pixel_at (fixture, gx, gy).g, >, glow.g);
}

/* "From September 2020": on its first possible day the place is faint, and
 * it strengthens to the full colour by the last possible day of the start. */
static void
test_uncertain_start (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr (ChronoEvent) event = make_event_full (fixture, "e1", "military", DAY, DAY + 29, DAY + 200, "gamma");
  double gx, gy;
  Pixel first, middle, last;

  project_place (fixture, GAMMA_LAT, GAMMA_LON, &gx, &gy);
  g_list_store_append (fixture->events, event);

  render_map (fixture);
  first = pixel_at (fixture, gx, gy);
  chrono_event_layer_set_day (fixture->layer, DAY + 15);
  render_map (fixture);
  middle = pixel_at (fixture, gx, gy);
  chrono_event_layer_set_day (fixture->layer, DAY + 29);
  render_map (fixture);
  last = pixel_at (fixture, gx, gy);

  g_test_message ("gamma from an uncertain start: first day %d %d %d, mid-month %d %d %d, last day %d %d %d",
                  first.r, first.g, first.b, middle.r, middle.g, middle.b, last.r, last.g, last.b);
  g_assert_cmpfloat (distance (last, 0xc0, 0x1c, 0x28), <, 12);
  /* Red, but faded: the background shows through the green channel */
  g_assert_cmpfloat (distance (first, 0xc0, 0x1c, 0x28), >, 60);
  g_assert_cmpint (first.r, >, first.g + 20);
  g_assert_cmpint (first.g, >, middle.g + 10);
  g_assert_cmpint (middle.g, >, last.g + 10);
}

static void
test_properties (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *selected = NULL;
  gboolean notified = FALSE;

  g_signal_connect_swapped (fixture->layer, "notify::selected-place",
                            G_CALLBACK (on_timeout), &notified);
  g_object_set (fixture->layer, "selected-place", "alpha", NULL);
  g_assert_true (notified);
  g_object_get (fixture->layer, "selected-place", &selected, NULL);
  g_assert_cmpstr (selected, ==, "alpha");

  notified = FALSE;
  chrono_event_layer_set_selected_place (fixture->layer, "alpha");
  g_assert_false (notified);

  g_assert_cmpint (chrono_event_layer_get_day (fixture->layer), ==, DAY);
  g_assert_cmpuint (chrono_event_layer_get_afterglow_days (fixture->layer), ==, 21);
  g_assert_true (chrono_event_layer_get_show_labels (fixture->layer));
  g_assert_true (chrono_event_layer_get_events_in_effect (fixture->layer) == G_LIST_MODEL (fixture->events));
  g_assert_true (chrono_event_layer_get_place (fixture->layer, "beta") == g_ptr_array_index (fixture->places, 1));
  g_assert_null (chrono_event_layer_get_place (fixture->layer, "nowhere"));
}

/* Draws a layer that is in no window, as an export composer does, and
 * returns the pixels of the node rendered with cairo over white. */
static cairo_surface_t *
draw_offscreen_on (ChronoEventLayer *layer,
                   int               width,
                   int               height,
                   guint32           background)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;

  chrono_event_layer_draw (layer, snapshot, width, height, 1);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, (background >> 16) / 255., (background >> 8 & 0xff) / 255., (background & 0xff) / 255.);
  cairo_paint (cr);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  if (g_getenv ("CHRONO_TEST_SAVE_PNG") != NULL)
    {
      g_autofree char *path = g_strdup_printf ("%s/event-layer-offscreen-%" G_GINT64_FORMAT ".png",
                                               g_get_tmp_dir (), g_get_monotonic_time ());
      cairo_surface_write_to_png (surface, path);
      g_test_message ("saved %s", path);
    }

  return surface;
}

static cairo_surface_t *
draw_offscreen (ChronoEventLayer *layer,
                int               width,
                int               height)
{
  return draw_offscreen_on (layer, width, height, 0xffffff);
}

static Pixel
surface_pixel (cairo_surface_t *surface,
               double           x,
               double           y)
{
  int ix = (int) round (x), iy = (int) round (y);
  const guchar *p;

  g_assert_cmpint (ix, >=, 0);
  g_assert_cmpint (iy, >=, 0);
  g_assert_cmpint (ix, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (iy, <, cairo_image_surface_get_height (surface));

  p = cairo_image_surface_get_data (surface) + iy * cairo_image_surface_get_stride (surface) + ix * 4;
  return (Pixel) { p[2], p[1], p[0], p[3] };
}

/* The height of the dark text to the right of (@x, @y) */
static int
text_height_right_of (cairo_surface_t *surface,
                      double           x,
                      double           y)
{
  int top = G_MAXINT, bottom = -1;

  for (int iy = MAX (0, (int) y - 40); iy < MIN (cairo_image_surface_get_height (surface), (int) y + 40); iy++)
    for (int ix = (int) x + 12; ix < MIN (cairo_image_surface_get_width (surface), (int) x + 120); ix++)
      {
        Pixel p = surface_pixel (surface, ix, iy);

        if (p.r + p.g + p.b < 3 * 110)
          {
            top = MIN (top, iy);
            bottom = MAX (bottom, iy);
          }
      }

  return bottom >= top ? bottom - top + 1 : 0;
}

/* The width of the dark text to the right of (@x, @y) on its line */
static int
text_width_right_of (cairo_surface_t *surface,
                     double           x,
                     double           y)
{
  int right = -1;

  for (int iy = (int) y - 8; iy < (int) y + 8; iy++)
    for (int ix = (int) x + 12; ix < MIN (cairo_image_surface_get_width (surface), (int) x + 400); ix++)
      {
        Pixel p = surface_pixel (surface, ix, iy);

        if (p.r + p.g + p.b < 3 * 110)
          right = MAX (right, ix);
      }

  return right >= 0 ? right - (int) x : 0;
}

#define OFF_W    800
#define OFF_H    600
#define OFF_ZOOM 8.0
#define OFF_LAT  39.8
#define OFF_LON  46.3

static void
test_offscreen (void)
{
  g_autoptr (ShumateViewport) viewport = shumate_viewport_new ();
  g_autoptr (ShumateRasterRenderer) source = NULL;
  g_autoptr (TestTiles) tiles = g_object_new (TEST_TYPE_TILES, NULL);
  g_autoptr (ChronoEventLayer) layer = NULL;
  g_autoptr (GListStore) events = g_list_store_new (CHRONO_TYPE_EVENT);
  g_autoptr (ChronoEvent) military = NULL;
  g_autoptr (ChronoEvent) diplomatic = NULL;
  cairo_surface_t *surface;
  ShumateMapSource *map_source;
  Fixture fixture = { 0 };
  double ax, ay, bx, by, gx, gy;
  int small, big;
  Pixel p;

  source = shumate_raster_renderer_new_full ("test-plain", "Plain", "", NULL, 0, 12, 256,
                                             SHUMATE_MAP_PROJECTION_MERCATOR,
                                             SHUMATE_DATA_SOURCE (tiles));
  map_source = SHUMATE_MAP_SOURCE (source);
  shumate_viewport_set_reference_map_source (viewport, map_source);
  shumate_viewport_set_zoom_level (viewport, OFF_ZOOM);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), OFF_LAT, OFF_LON);

  fixture.places = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (fixture.places, make_place ("alpha", "town", ALPHA_LAT, ALPHA_LON, NULL, "Alpha", "Alpha-fr"));
  g_ptr_array_add (fixture.places, make_place ("beta", "village", BETA_LAT, BETA_LON, NULL, "Beta", "Bêta"));
  g_ptr_array_add (fixture.places, make_place ("gamma", "village", GAMMA_LAT, GAMMA_LON, NULL, "Gamma", "Gamma"));
  military = make_event (&fixture, "e1", "military", DAY + 10, "alpha");
  diplomatic = make_event (&fixture, "e2", "diplomatic", DAY + 10, "beta");
  g_list_store_append (events, military);
  g_list_store_append (events, diplomatic);

  /* Never added to a window, never realized */
  layer = g_object_ref_sink (chrono_event_layer_new (viewport));
  chrono_event_layer_set_places (layer, fixture.places);
  chrono_event_layer_set_language (layer, "en");
  chrono_event_layer_set_events_in_effect (layer, G_LIST_MODEL (events));
  chrono_event_layer_set_day (layer, DAY);
  g_assert_false (gtk_widget_get_realized (GTK_WIDGET (layer)));

  /* Where shumate puts the places on a map of that size */
#define OFF_PROJECT(lat, lon, x, y) \
  G_STMT_START { \
    *(x) = OFF_W / 2.0 + shumate_map_source_get_x (map_source, OFF_ZOOM, lon) - \
           shumate_map_source_get_x (map_source, OFF_ZOOM, OFF_LON); \
    *(y) = OFF_H / 2.0 + shumate_map_source_get_y (map_source, OFF_ZOOM, lat) - \
           shumate_map_source_get_y (map_source, OFF_ZOOM, OFF_LAT); \
  } G_STMT_END
  OFF_PROJECT (ALPHA_LAT, ALPHA_LON, &ax, &ay);
  OFF_PROJECT (BETA_LAT, BETA_LON, &bx, &by);
  OFF_PROJECT (GAMMA_LAT, GAMMA_LON, &gx, &gy);
#undef OFF_PROJECT

  surface = draw_offscreen (layer, OFF_W, OFF_H);
  p = surface_pixel (surface, ax, ay);
  g_test_message ("offscreen alpha at %.0f,%.0f: %d %d %d", ax, ay, p.r, p.g, p.b);
  g_assert_cmpfloat (distance (p, 0xc0, 0x1c, 0x28), <, 12);
  g_assert_cmpfloat (distance (surface_pixel (surface, ax + 5, ay), 0xc0, 0x1c, 0x28), <, 12);
  p = surface_pixel (surface, bx, by);
  g_assert_cmpfloat (distance (p, 0x1c, 0x71, 0xd8), <, 12);
  /* Gamma has nothing in effect: a grey ring, not a category colour */
  p = (Pixel) { 255, 255, 255, 255 };
  for (int dy = -3; dy <= 3; dy++)
    for (int dx = -3; dx <= 3; dx++)
      {
        Pixel q = surface_pixel (surface, gx + dx, gy + dy);

        if (q.r + q.g + q.b < p.r + p.g + p.b)
          p = q;
      }
  g_assert_cmpint (ABS (p.r - p.b), <, 20);
  g_assert_cmpint (p.r, <, 180);
  /* Nothing drawn where no place is, and no red away from alpha */
  g_assert_cmpfloat (distance (surface_pixel (surface, 20, 20), 255, 255, 255), <, 1);
  g_assert_cmpfloat (distance (surface_pixel (surface, OFF_W - 20, OFF_H - 20), 255, 255, 255), <, 1);
  g_assert_cmpfloat (distance (surface_pixel (surface, ax - 30, ay), 255, 255, 255), <, 1);
  g_assert_cmpfloat (distance (surface_pixel (surface, bx, by), 0xc0, 0x1c, 0x28), >, 60);

  /* Beta's label sits to its right; a label scale of 2 doubles it */
  small = text_height_right_of (surface, bx, by);
  cairo_surface_destroy (surface);
  chrono_event_layer_set_label_scale (layer, 2.0);
  surface = draw_offscreen (layer, OFF_W, OFF_H);
  big = text_height_right_of (surface, bx, by);
  g_test_message ("label ink height at scale 1: %d px, at scale 2: %d px", small, big);
  g_assert_cmpint (small, >, 5);
  g_assert_cmpint (big, >=, small * 17 / 10);
  /* The marks keep their size */
  g_assert_cmpfloat (distance (surface_pixel (surface, ax + 5, ay), 0xc0, 0x1c, 0x28), <, 12);
  g_assert_cmpfloat (distance (surface_pixel (surface, ax - 30, ay), 255, 255, 255), <, 1);
  cairo_surface_destroy (surface);

  /* Zoomed out to 5, the village with nothing in effect is not drawn */
  shumate_viewport_set_zoom_level (viewport, 5);
  surface = draw_offscreen (layer, OFF_W, OFF_H);
  gx = OFF_W / 2.0 + shumate_map_source_get_x (map_source, 5, GAMMA_LON) - shumate_map_source_get_x (map_source, 5, OFF_LON);
  gy = OFF_H / 2.0 + shumate_map_source_get_y (map_source, 5, GAMMA_LAT) - shumate_map_source_get_y (map_source, 5, OFF_LAT);
  for (int dy = -3; dy <= 3; dy++)
    for (int dx = -3; dx <= 3; dx++)
      g_assert_cmpfloat (distance (surface_pixel (surface, gx + dx, gy + dy), 255, 255, 255), <, 1);
  cairo_surface_destroy (surface);
  shumate_viewport_set_zoom_level (viewport, OFF_ZOOM);

  /* The "both" place-name policy: a place with an official name in another
   * language is labelled with both */
  {
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func ((GDestroyNotify) chrono_place_name_free);
    ChronoPlace *both;
    int one, two;

    g_ptr_array_add (names, chrono_place_name_new ("en", "Stepanakert", "common"));
    g_ptr_array_add (names, chrono_place_name_new ("az", "Xankəndi", "official"));
    both = g_object_new (CHRONO_TYPE_PLACE, "id", "beta", "kind", "city",
                         "lat", BETA_LAT, "lon", BETA_LON, "lang", "en", "names", names, NULL);
    g_ptr_array_remove_index (fixture.places, 1);
    g_ptr_array_add (fixture.places, both);
    chrono_event_layer_set_places (layer, fixture.places);
    chrono_event_layer_set_label_scale (layer, 1.0);

    surface = draw_offscreen (layer, OFF_W, OFF_H);
    one = text_width_right_of (surface, bx, by);
    cairo_surface_destroy (surface);
    g_assert_false (chrono_event_layer_get_both_names (layer));
    chrono_event_layer_set_both_names (layer, TRUE);
    surface = draw_offscreen (layer, OFF_W, OFF_H);
    two = text_width_right_of (surface, bx, by);
    cairo_surface_destroy (surface);
    g_test_message ("label width with one name: %d px, with both: %d px", one, two);
    g_assert_cmpint (one, >, 40);
    g_assert_cmpint (two, >, one * 3 / 2);
    chrono_event_layer_set_both_names (layer, FALSE);
  }

  /* Over the dark basemap (land #33363b) labels are light on a dark halo */
  chrono_event_layer_set_label_scale (layer, 1.0);
  chrono_event_layer_set_basemap_style (layer, CHRONO_BASEMAP_STYLE_DARK);
  surface = draw_offscreen_on (layer, OFF_W, OFF_H, 0x33363b);
  {
    int brightest = 0, darkest = 3 * 255;

    for (int iy = (int) by - 12; iy < (int) by + 12; iy++)
      for (int ix = (int) bx + 12; ix < (int) bx + 80; ix++)
        {
          p = surface_pixel (surface, ix, iy);
          brightest = MAX (brightest, p.r + p.g + p.b);
          darkest = MIN (darkest, p.r + p.g + p.b);
        }
    g_test_message ("beta's label over the dark style: brightest %d, darkest %d", brightest, darkest);
    g_assert_cmpint (brightest, >, 3 * 200);
    /* The halo is darker than the land, never white */
    g_assert_cmpint (darkest, <, 0x33 + 0x36 + 0x3b - 40);
  }
  cairo_surface_destroy (surface);

  g_ptr_array_unref (fixture.places);
}

/* Whether the disc of centre (@cx, @cy) and radius @r overlaps @rect */
static gboolean
disc_meets_rect (double                 cx,
                 double                 cy,
                 double                 r,
                 const graphene_rect_t *rect)
{
  double nx = CLAMP (cx, rect->origin.x, rect->origin.x + rect->size.width);
  double ny = CLAMP (cy, rect->origin.y, rect->origin.y + rect->size.height);

  return hypot (nx - cx, ny - cy) < r;
}

static gboolean
rects_overlap (const graphene_rect_t *a,
               const graphene_rect_t *b)
{
  return a->origin.x < b->origin.x + b->size.width && b->origin.x < a->origin.x + a->size.width &&
         a->origin.y < b->origin.y + b->size.height && b->origin.y < a->origin.y + a->size.height;
}

/* No label over another nor over a mark, in what the layer drew last */
static void
assert_labels_apart (ChronoEventLayer *layer)
{
  guint n = chrono_event_layer_get_n_labels (layer);

  for (guint i = 0; i < n; i++)
    {
      graphene_rect_t a, b;
      const char *id = chrono_event_layer_get_label (layer, i, &a);

      for (guint j = i + 1; j < n; j++)
        {
          const char *other = chrono_event_layer_get_label (layer, j, &b);

          if (rects_overlap (&a, &b))
            g_error ("the labels of %s and %s overlap", id, other);
        }

      for (guint j = 0; j < chrono_event_layer_get_n_marks (layer); j++)
        {
          double x, y, r;

          chrono_event_layer_get_mark (layer, j, &x, &y, &r);
          if (disc_meets_rect (x, y, r, &a))
            g_error ("the label of %s covers the mark at %.0f,%.0f", id, x, y);
        }
    }
}

static gboolean
find_label (ChronoEventLayer *layer,
            const char       *place_id,
            graphene_rect_t  *rect)
{
  for (guint i = 0; i < chrono_event_layer_get_n_labels (layer); i++)
    if (g_strcmp0 (chrono_event_layer_get_label (layer, i, rect), place_id) == 0)
      return TRUE;

  return FALSE;
}

static ChronoPlace *
find_place (GPtrArray  *places,
            const char *id)
{
  for (guint i = 0; i < places->len; i++)
    if (g_strcmp0 (chrono_place_get_id (g_ptr_array_index (places, i)), id) == 0)
      return g_ptr_array_index (places, i);

  g_assert_not_reached ();
}

/* The bundled dataset, its places, and the events in effect on @day or
 * within the window's afterglow (21 days) before it */
static ChronoStore *
open_bundled (gint64       day,
              GPtrArray  **places,
              GListStore **effect)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "datasets",
                                                 "karabakh-peacekeeping.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GArray) spans = NULL;
  g_autoptr (GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) events = NULL;

  g_assert_no_error (error);
  g_assert_true (chrono_dataset_import_file (store, file, &error));
  g_assert_no_error (error);

  *places = chrono_store_get_places (store, "en", &error);
  g_assert_no_error (error);

  spans = chrono_store_get_spans (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < spans->len; i++)
    {
      const ChronoSpan *span = &g_array_index (spans, ChronoSpan, i);

      /* (an open end is G_MAXINT64: nothing is added to it) */
      if (span->lo <= day && day - 21 <= span->hi)
        g_array_append_val (rowids, span->id);
    }
  events = chrono_store_get_events (store, (const gint64 *) (gpointer) rowids->data, rowids->len, "en", &error);
  g_assert_no_error (error);

  *effect = g_list_store_new (CHRONO_TYPE_EVENT);
  for (guint i = 0; i < events->len; i++)
    g_list_store_append (*effect, g_ptr_array_index (events, i));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (*effect)), >, 3);

  return g_steal_pointer (&store);
}

/* The window's first start: 10 November 2020, zoom 8 over the region, with
 * the offline basemap (whose own names are obstacles too), at the map sizes
 * of a 1600x1000 and a 1024x600 window and of a big export. Stepanakert and
 * Hadrut are named, Nagorno-Karabakh is an area named inside itself, away
 * from Stepanakert's name, and no label covers another or a mark. */
static void
test_default_view (void)
{
  static const struct {
    int    width, height;
    double label_scale;
  } sizes[] = {
    { 1255, 708, 1.0 },
    { 1024, 548, 1.0 },
    { 724, 340, 1.0 },
    { 1600, 900, 1.5 },
  };
  gint64 day = chrono_day_from_ymd (2020, 11, 10);
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GListStore) effect = NULL;
  g_autoptr (ChronoStore) store = open_bundled (day, &places, &effect);
  g_autoptr (ShumateViewport) viewport = shumate_viewport_new ();
  g_autoptr (ShumateMapSource) source = chrono_basemap_source_new_map_source_full (CHRONO_BASEMAP_STYLE_LIGHT, 256,
                                                                                   "en", places);
  g_autoptr (ChronoEventLayer) layer = NULL;
  ChronoPlace *stepanakert = find_place (places, "stepanakert");
  ChronoPlace *corridor = find_place (places, "lachin-corridor");

  shumate_viewport_set_reference_map_source (viewport, source);
  shumate_viewport_set_zoom_level (viewport, 8);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), 39.75, 46.6);

  layer = g_object_ref_sink (chrono_event_layer_new (viewport));
  chrono_event_layer_set_language (layer, "en");
  chrono_event_layer_set_places (layer, places);
  chrono_event_layer_set_events_in_effect (layer, G_LIST_MODEL (effect));
  chrono_event_layer_set_day (layer, day);
  chrono_event_layer_set_afterglow_days (layer, 21);

  g_assert_true (chrono_event_layer_is_area (layer, "nagorno-karabakh"));
  g_assert_false (chrono_event_layer_is_area (layer, "stepanakert"));
  g_assert_false (chrono_event_layer_is_area (layer, "lachin-corridor"));
  g_assert_cmpuint (chrono_event_layer_get_n_events_at (layer, "nagorno-karabakh"), >, 0);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int w = sizes[s].width, h = sizes[s].height;
      g_autoptr (JsonNode) route = NULL;
      graphene_rect_t step_rect, nk_rect, hadrut_rect;
      cairo_surface_t *surface;
      double sx, sy, x, y, ox = 0, oy = 0;
      JsonArray *coords;
      Pixel p;

      chrono_event_layer_set_label_scale (layer, sizes[s].label_scale);
      surface = draw_offscreen (layer, w, h);

#define PROJECT(lat, lon, px, py) \
      G_STMT_START { \
        *(px) = w / 2.0 + shumate_map_source_get_x (source, 8, lon) - shumate_map_source_get_x (source, 8, 46.6); \
        *(py) = h / 2.0 + shumate_map_source_get_y (source, 8, lat) - shumate_map_source_get_y (source, 8, 39.75); \
      } G_STMT_END

      g_test_message ("%dx%d, label scale %.1f: %u labels, %u marks", w, h, sizes[s].label_scale,
                      chrono_event_layer_get_n_labels (layer), chrono_event_layer_get_n_marks (layer));
      assert_labels_apart (layer);

      g_assert_true (find_label (layer, "stepanakert", &step_rect));
      g_assert_true (find_label (layer, "nagorno-karabakh", &nk_rect));
      /* At the window's sizes, the town of the story with nothing in
       * effect is named too; an export's bigger type leaves room for fewer */
      if (sizes[s].label_scale == 1.0)
        g_assert_true (find_label (layer, "hadrut", &hadrut_rect));

      /* Stepanakert's name beside its point, not under the region's */
      PROJECT (chrono_place_get_lat (stepanakert), chrono_place_get_lon (stepanakert), &sx, &sy);
      g_assert_false (rects_overlap (&step_rect, &nk_rect));
      g_assert_cmpfloat (fabs (step_rect.origin.x + step_rect.size.width / 2 - sx), <, step_rect.size.width / 2 + 30);
      g_assert_cmpfloat (fabs (step_rect.origin.y + step_rect.size.height / 2 - sy), <, step_rect.size.height / 2 + 30);

      /* No stretch of the Lachin corridor runs through it */
      route = json_from_string (chrono_place_get_geometry (corridor), NULL);
      coords = json_object_get_array_member (json_node_get_object (route), "coordinates");
      for (guint i = 0; i < json_array_get_length (coords); i++)
        {
          JsonArray *pos = json_array_get_array_element (coords, i);

          PROJECT (json_array_get_double_element (pos, 1), json_array_get_double_element (pos, 0), &x, &y);
          for (int t = 0; i > 0 && t <= 20; t++)
            {
              double px = ox + (x - ox) * t / 20, py = oy + (y - oy) * t / 20;

              g_assert_false (graphene_rect_contains_point (&step_rect, &GRAPHENE_POINT_INIT (px, py)));
            }
          ox = x;
          oy = y;
        }

      /* The region: a light wash inside its outline, nothing outside; no
       * disc at its label point */
      PROJECT (39.75, 47.0, &x, &y);
      p = surface_pixel (surface, x, y);
      g_test_message ("inside the region at %.0f,%.0f: %d %d %d", x, y, p.r, p.g, p.b);
      g_assert_cmpfloat (distance (p, 255, 255, 255), >, 4);
      g_assert_cmpfloat (distance (p, 255, 255, 255), <, 90);
      PROJECT (39.75, 47.45, &x, &y);
      if (x < w)
        g_assert_cmpfloat (distance (surface_pixel (surface, x, y), 255, 255, 255), <, 1);
      PROJECT (40.02, 46.62, &x, &y);
      g_assert_cmpfloat (distance (surface_pixel (surface, x, y), 0xc0, 0x1c, 0x28), >, 60);

      /* The basemap's names under a label are painted out with the land's
       * colour (drawn over black here, so that it shows) */
      cairo_surface_destroy (surface);
      surface = draw_offscreen_on (layer, w, h, 0x000000);
      {
        ChronoBasemapSource *basemap = chrono_basemap_map_source_get_data_source (CHRONO_BASEMAP_MAP_SOURCE (source));
        double world = 256 * exp2 (8);
        double cx = shumate_map_source_get_x (source, 8, 46.6) / world;
        double cy = shumate_map_source_get_y (source, 8, 39.75) / world;
        g_autoptr (GArray) boxes = chrono_basemap_source_dup_label_boxes (basemap, 8,
                                                                          cx - w / 2.0 / world, cy - h / 2.0 / world,
                                                                          cx + w / 2.0 / world, cy + h / 2.0 / world);
        const double *b = (const double *) (gpointer) boxes->data;
        guint covered = 0;

        for (guint i = 0; i + 3 < boxes->len; i += 4)
          {
            graphene_rect_t name, label;
            gboolean under = FALSE;
            guint land = 0, n = 0;

            graphene_rect_init (&name, w / 2.0 + (b[i] - cx) * world, h / 2.0 + (b[i + 1] - cy) * world,
                                (b[i + 2] - b[i]) * world, (b[i + 3] - b[i + 1]) * world);
            for (guint j = 0; j < chrono_event_layer_get_n_labels (layer) && !under; j++)
              {
                chrono_event_layer_get_label (layer, j, &label);
                under = rects_overlap (&name, &label);
              }
            if (!under || name.origin.x < 0 || name.origin.y < 0 ||
                name.origin.x + name.size.width >= w || name.origin.y + name.size.height >= h)
              continue;

            covered++;
            for (double ny = name.origin.y + 1; ny < name.origin.y + name.size.height - 1; ny++)
              for (double nx = name.origin.x + 1; nx < name.origin.x + name.size.width - 1; nx++)
                {
                  p = surface_pixel (surface, nx, ny);
                  land += p.r + p.g + p.b > 3 * 150;
                  n++;
                }
            g_test_message ("a basemap name under a label: %u of %u pixels light", land, n);
            g_assert_cmpuint (land, >, n / 2);
          }
        g_test_message ("%u basemap names under labels", covered);
      }
#undef PROJECT

      cairo_surface_destroy (surface);
    }
}

/* Zoomed out, on a crowded day (the offensive of September 2023), the
 * capital is still named: among the places in effect, cities come first. */
static void
test_capital_zoomed_out (void)
{
  gint64 day = chrono_day_from_ymd (2023, 9, 20);
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GListStore) effect = NULL;
  g_autoptr (ChronoStore) store = open_bundled (day, &places, &effect);
  g_autoptr (ShumateViewport) viewport = shumate_viewport_new ();
  g_autoptr (ShumateMapSource) source = chrono_basemap_source_new_map_source_full (CHRONO_BASEMAP_STYLE_LIGHT, 256,
                                                                                   "en", places);
  g_autoptr (ChronoEventLayer) layer = NULL;

  shumate_viewport_set_reference_map_source (viewport, source);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), 39.9, 46.5);
  layer = g_object_ref_sink (chrono_event_layer_new (viewport));
  chrono_event_layer_set_language (layer, "en");
  chrono_event_layer_set_places (layer, places);
  chrono_event_layer_set_events_in_effect (layer, G_LIST_MODEL (effect));
  chrono_event_layer_set_day (layer, day);
  chrono_event_layer_set_afterglow_days (layer, 21);
  g_assert_cmpuint (chrono_event_layer_get_n_events_at (layer, "stepanakert"), >, 0);

  for (double zoom = 5.5; zoom <= 7.5; zoom += 1)
    {
      graphene_rect_t rect;
      cairo_surface_t *surface;

      shumate_viewport_set_zoom_level (viewport, zoom);
      surface = draw_offscreen (layer, 1255, 708);
      cairo_surface_destroy (surface);
      g_test_message ("zoom %.1f: %u labels, %u marks", zoom,
                      chrono_event_layer_get_n_labels (layer), chrono_event_layer_get_n_marks (layer));
      assert_labels_apart (layer);
      g_assert_true (find_label (layer, "stepanakert", &rect));
    }
}

/* A label that does not fit on the right of its point goes to its left
 * (then above, below) before it is dropped; a selected place is named first. */
static void
test_label_sides (void)
{
  g_autoptr (ShumateViewport) viewport = shumate_viewport_new ();
  g_autoptr (ShumateRasterRenderer) source = NULL;
  g_autoptr (TestTiles) tiles = g_object_new (TEST_TYPE_TILES, NULL);
  g_autoptr (ChronoEventLayer) layer = NULL;
  g_autoptr (GPtrArray) places = g_ptr_array_new_with_free_func (g_object_unref);
  cairo_surface_t *surface;
  graphene_rect_t rect, other;
  double ax, ay, nx, ny;

  source = shumate_raster_renderer_new_full ("test-plain", "Plain", "", NULL, 0, 12, 256,
                                             SHUMATE_MAP_PROJECTION_MERCATOR,
                                             SHUMATE_DATA_SOURCE (tiles));
  shumate_viewport_set_reference_map_source (viewport, SHUMATE_MAP_SOURCE (source));
  shumate_viewport_set_zoom_level (viewport, OFF_ZOOM);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), OFF_LAT, OFF_LON);

  /* Two towns 0.1° apart (18 px at zoom 8): the second's ring is where the
   * first's label would go */
  g_ptr_array_add (places, make_place ("alpha", "town", ALPHA_LAT, ALPHA_LON, NULL, "Alpha", "Alpha"));
  g_ptr_array_add (places, make_place ("near", "town", ALPHA_LAT, ALPHA_LON + 0.1, NULL, "Near", "Near"));
  layer = g_object_ref_sink (chrono_event_layer_new (viewport));
  chrono_event_layer_set_language (layer, "en");
  chrono_event_layer_set_places (layer, places);

  surface = draw_offscreen (layer, OFF_W, OFF_H);
  cairo_surface_destroy (surface);
  assert_labels_apart (layer);
  g_assert_cmpuint (chrono_event_layer_get_n_marks (layer), ==, 2);
  g_assert_cmpuint (chrono_event_layer_get_n_labels (layer), ==, 2);
  g_assert_cmpstr (chrono_event_layer_get_label (layer, 0, &rect), ==, "alpha");
  chrono_event_layer_get_mark (layer, 0, &ax, &ay, NULL);
  chrono_event_layer_get_mark (layer, 1, &nx, &ny, NULL);
  g_assert_cmpfloat (nx - ax, >, 15);
  /* Alpha's label on its left, Near's on its right */
  g_assert_cmpfloat (rect.origin.x + rect.size.width, <=, ax);
  g_assert_true (find_label (layer, "near", &other));
  g_assert_cmpfloat (other.origin.x, >=, nx);

  /* A title card over the left of Alpha: its label goes elsewhere */
  {
    graphene_rect_t card = GRAPHENE_RECT_INIT (0, 0, ax - 4, OFF_H);

    chrono_event_layer_set_keep_out (layer, &card, 1);
    surface = draw_offscreen (layer, OFF_W, OFF_H);
    cairo_surface_destroy (surface);
    assert_labels_apart (layer);
    g_assert_true (find_label (layer, "alpha", &rect));
    g_assert_false (rects_overlap (&rect, &card));
    g_assert_cmpfloat (rect.origin.x, >, ax - rect.size.width);
    chrono_event_layer_set_keep_out (layer, NULL, 0);
  }

  /* Selected, Near is named first, on its right; Alpha still on its left */
  chrono_event_layer_set_selected_place (layer, "near");
  surface = draw_offscreen (layer, OFF_W, OFF_H);
  cairo_surface_destroy (surface);
  assert_labels_apart (layer);
  g_assert_cmpstr (chrono_event_layer_get_label (layer, 0, &rect), ==, "near");
  g_assert_true (find_label (layer, "alpha", &rect));
  g_assert_cmpfloat (rect.origin.x + rect.size.width, <=, ax);
}

/* The text of the label of @place_id as drawn last, or NULL */
static const char *
label_text_of (ChronoEventLayer *layer,
               const char       *place_id)
{
  for (guint i = 0; i < chrono_event_layer_get_n_labels (layer); i++)
    if (g_strcmp0 (chrono_event_layer_get_label (layer, i, NULL), place_id) == 0)
      return chrono_event_layer_get_label_text (layer, i);
  return NULL;
}

/* A place's label shows the name valid at the layer's day, and changes
 * when the date crosses a renaming; other labels are not built again */
static void
test_dated_names (void)
{
  g_autoptr (ShumateViewport) viewport = shumate_viewport_new ();
  g_autoptr (ShumateRasterRenderer) source = NULL;
  g_autoptr (TestTiles) tiles = g_object_new (TEST_TYPE_TILES, NULL);
  g_autoptr (ChronoEventLayer) layer = NULL;
  g_autoptr (GPtrArray) places = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func ((GDestroyNotify) chrono_place_name_free);
  ChronoDay before = chrono_day_from_ymd (1922, 12, 31);
  ChronoDay renamed = chrono_day_from_ymd (1923, 1, 1);
  const char *alpha_text, *text;
  cairo_surface_t *surface;
  graphene_rect_t old_rect, new_rect;

  source = shumate_raster_renderer_new_full ("test-plain", "Plain", "", NULL, 0, 12, 256,
                                             SHUMATE_MAP_PROJECTION_MERCATOR,
                                             SHUMATE_DATA_SOURCE (tiles));
  shumate_viewport_set_reference_map_source (viewport, SHUMATE_MAP_SOURCE (source));
  shumate_viewport_set_zoom_level (viewport, OFF_ZOOM);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), OFF_LAT, OFF_LON);

  g_ptr_array_add (names, chrono_place_name_new_full ("en", "Stepanakert", "common", "1923/.."));
  g_ptr_array_add (names, chrono_place_name_new_full ("en", "Khankendi", "historical", "../1922"));
  g_ptr_array_add (names, chrono_place_name_new_full ("az", "Xankəndi", "official", "1991-11-26/.."));
  g_ptr_array_add (places, make_place ("alpha", "town", ALPHA_LAT, ALPHA_LON, NULL, "Alpha", "Alpha"));
  g_ptr_array_add (places, g_object_new (CHRONO_TYPE_PLACE, "id", "stepanakert", "kind", "town",
                                         "lat", BETA_LAT, "lon", BETA_LON, "lang", "en", "names", names, NULL));
  layer = g_object_ref_sink (chrono_event_layer_new (viewport));
  chrono_event_layer_set_language (layer, "en");
  chrono_event_layer_set_places (layer, places);

  chrono_event_layer_set_day (layer, before);
  surface = draw_offscreen (layer, OFF_W, OFF_H);
  cairo_surface_destroy (surface);
  g_assert_cmpstr (label_text_of (layer, "stepanakert"), ==, "Khankendi");
  g_assert_true (find_label (layer, "stepanakert", &old_rect));
  alpha_text = label_text_of (layer, "alpha");
  g_assert_cmpstr (alpha_text, ==, "Alpha");

  /* The day of the renaming, both ends included */
  chrono_event_layer_set_day (layer, renamed);
  surface = draw_offscreen (layer, OFF_W, OFF_H);
  cairo_surface_destroy (surface);
  g_assert_cmpstr (label_text_of (layer, "stepanakert"), ==, "Stepanakert");
  g_assert_true (find_label (layer, "stepanakert", &new_rect));
  g_assert_cmpfloat (new_rect.size.width, >, old_rect.size.width);
  assert_labels_apart (layer);
  /* A place without dated names keeps its label as it was built */
  g_assert_true (label_text_of (layer, "alpha") == alpha_text);

  /* Another day with the same names: the same label, not built again */
  text = label_text_of (layer, "stepanakert");
  chrono_event_layer_set_day (layer, chrono_day_from_ymd (1950, 6, 1));
  surface = draw_offscreen (layer, OFF_W, OFF_H);
  cairo_surface_destroy (surface);
  g_assert_true (label_text_of (layer, "stepanakert") == text);

  /* Both names: the official one valid at the day, when there is one */
  chrono_event_layer_set_both_names (layer, TRUE);
  surface = draw_offscreen (layer, OFF_W, OFF_H);
  cairo_surface_destroy (surface);
  g_assert_cmpstr (label_text_of (layer, "stepanakert"), ==, "Stepanakert");
  chrono_event_layer_set_day (layer, chrono_day_from_ymd (2023, 10, 1));
  surface = draw_offscreen (layer, OFF_W, OFF_H);
  cairo_surface_destroy (surface);
  g_assert_cmpstr (label_text_of (layer, "stepanakert"), ==, "Stepanakert / Xankəndi");

  /* And back */
  chrono_event_layer_set_both_names (layer, FALSE);
  chrono_event_layer_set_day (layer, before);
  surface = draw_offscreen (layer, OFF_W, OFF_H);
  cairo_surface_destroy (surface);
  g_assert_cmpstr (label_text_of (layer, "stepanakert"), ==, "Khankendi");
}

/* Drawn for an export, lit places keep their own discs when zoomed out;
 * zoomed in they part. */
static void
test_clusters (void)
{
  g_autoptr (ShumateViewport) viewport = shumate_viewport_new ();
  g_autoptr (ShumateRasterRenderer) source = NULL;
  g_autoptr (TestTiles) tiles = g_object_new (TEST_TYPE_TILES, NULL);
  g_autoptr (ChronoEventLayer) layer = NULL;
  g_autoptr (GListStore) events = g_list_store_new (CHRONO_TYPE_EVENT);
  Fixture fixture = { 0 };
  ShumateMapSource *map_source;
  const char *ids[] = { "m1", "m2", "d1", "d2" };
  const char *cats[] = { "military", "military", "diplomatic", "diplomatic" };
  const char *where[] = { "alpha", "alpha", "near", "beta" };

  source = shumate_raster_renderer_new_full ("test-plain", "Plain", "", NULL, 0, 12, 256,
                                             SHUMATE_MAP_PROJECTION_MERCATOR,
                                             SHUMATE_DATA_SOURCE (tiles));
  map_source = SHUMATE_MAP_SOURCE (source);
  shumate_viewport_set_reference_map_source (viewport, map_source);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), OFF_LAT, OFF_LON);

  fixture.places = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (fixture.places, make_place ("alpha", "town", ALPHA_LAT, ALPHA_LON, NULL, "Alpha", "Alpha"));
  /* 17 km east of alpha: 4 px apart at zoom 5, 50 px at zoom 8 */
  g_ptr_array_add (fixture.places, make_place ("near", "village", ALPHA_LAT, ALPHA_LON + 0.2, NULL, "Near", "Near"));
  g_ptr_array_add (fixture.places, make_place ("beta", "village", BETA_LAT, BETA_LON, NULL, "Beta", "Bêta"));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr (ChronoEvent) event = make_event (&fixture, ids[i], cats[i], DAY + 10, where[i]);

      g_list_store_append (events, event);
    }

  layer = g_object_ref_sink (chrono_event_layer_new (viewport));
  chrono_event_layer_set_places (layer, fixture.places);
  chrono_event_layer_set_events_in_effect (layer, G_LIST_MODEL (events));
  chrono_event_layer_set_day (layer, DAY);

  for (int zoom = 5; zoom <= 8; zoom += 3)
    {
      cairo_surface_t *surface;
      double ax, ay, nx, ny, bx, by;
      guint red = 0, blue = 0, white = 0;

#define PROJECT(lat, lon, x, y) \
      G_STMT_START { \
        *(x) = OFF_W / 2.0 + shumate_map_source_get_x (map_source, zoom, lon) - \
               shumate_map_source_get_x (map_source, zoom, OFF_LON); \
        *(y) = OFF_H / 2.0 + shumate_map_source_get_y (map_source, zoom, lat) - \
               shumate_map_source_get_y (map_source, zoom, OFF_LAT); \
      } G_STMT_END
      PROJECT (ALPHA_LAT, ALPHA_LON, &ax, &ay);
      PROJECT (ALPHA_LAT, ALPHA_LON + 0.2, &nx, &ny);
      PROJECT (BETA_LAT, BETA_LON, &bx, &by);
#undef PROJECT

      shumate_viewport_set_zoom_level (viewport, zoom);
      surface = draw_offscreen (layer, OFF_W, OFF_H);

      /* Around alpha and its neighbour */
      for (int dy = -20; dy <= 20; dy++)
        for (int dx = -20; dx <= 20 + (int) (nx - ax); dx++)
          {
            Pixel p = surface_pixel (surface, ax + dx, ay + dy);

            red += distance (p, 0xc0, 0x1c, 0x28) < 12;
            blue += distance (p, 0x1c, 0x71, 0xd8) < 12;
            white += hypot (dx, dy) < 5 && p.r > 230 && p.g > 230 && p.b > 230;
          }
      g_test_message ("zoom %d: near alpha %u red, %u blue pixels, %u white in the centre", zoom, red, blue, white);
      assert_labels_apart (layer);

      g_assert_cmpuint (red, >, 100);
      if (zoom == 5)
        {
          /* Drawn for an export, every place has its own disc, even where
           * they overlap: no disc with a bare count, which paper cannot
           * open. The window clusters them (see test_clusters_on_screen). */
          g_assert_cmpuint (white, ==, 0);
          g_assert_cmpuint (chrono_event_layer_get_n_marks (layer), ==, 3);
        }
      else
        {
          g_assert_cmpfloat (distance (surface_pixel (surface, nx, ny), 0x1c, 0x71, 0xd8), <, 12);
          g_assert_cmpfloat (distance (surface_pixel (surface, ax, ay), 0xc0, 0x1c, 0x28), <, 12);
        }
      /* Beta, far away, stays on its own */
      g_assert_cmpfloat (distance (surface_pixel (surface, bx, by), 0x1c, 0x71, 0xd8), <, 12);
      cairo_surface_destroy (surface);
    }

  g_ptr_array_unref (fixture.places);
}

/* In the window, zoomed out, lit places whose discs overlap become one disc
 * with the number of their events, in the colour of the strongest. */
static void
test_clusters_on_screen (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr (ChronoEvent) m1 = make_event (fixture, "m1", "military", DAY + 10, "alpha");
  g_autoptr (ChronoEvent) m2 = make_event (fixture, "m2", "military", DAY + 10, "alpha");
  g_autoptr (ChronoEvent) d1 = make_event (fixture, "d1", "diplomatic", DAY + 10, "beta");
  guint white = 0, blue = 0;
  double ax, ay, bx, by;

  g_list_store_append (fixture->events, m1);
  g_list_store_append (fixture->events, m2);
  g_list_store_append (fixture->events, d1);
  /* Alpha and beta are 15 px apart at zoom 4 */
  shumate_viewport_set_zoom_level (fixture->viewport, 4);
  render_map (fixture);
  project_place (fixture, ALPHA_LAT, ALPHA_LON, &ax, &ay);
  project_place (fixture, BETA_LAT, BETA_LON, &bx, &by);
  g_assert_cmpfloat (hypot (ax - bx, ay - by), <, 18);

  for (int dy = -20; dy <= 20; dy++)
    for (int dx = -20; dx <= 20; dx++)
      {
        Pixel p = pixel_at (fixture, ax + dx, ay + dy);

        blue += distance (p, 0x1c, 0x71, 0xd8) < 12;
        white += hypot (dx, dy) < 5 && p.r > 230 && p.g > 230 && p.b > 230;
      }
  g_test_message ("cluster on screen: %u blue pixels, %u white in the centre", blue, white);
  /* One red disc with a white count: the diplomatic place joined it */
  g_assert_cmpuint (blue, ==, 0);
  g_assert_cmpuint (white, >, 5);
  assert_labels_apart (fixture->layer);
}

/* On screen, labels keep off the map's controls: a name under the scale
 * or the zoom buttons could not be read. */
static void
test_labels_off_controls (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr (GPtrArray) places = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWidget *widget = GTK_WIDGET (fixture->layer);
  GtkWidget *scale = GTK_WIDGET (shumate_simple_map_get_scale (fixture->map));
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  graphene_rect_t scale_bounds;
  guint near_scale = 0;

  /* Towns every 40 px over the whole map, some next to the scale */
  g_assert_true (gtk_widget_get_mapped (scale));
  g_assert_true (gtk_widget_compute_bounds (scale, widget, &scale_bounds));
  for (int y = 20; y < gtk_widget_get_height (widget) - 10; y += 40)
    for (int x = 20; x < gtk_widget_get_width (widget) - 10; x += 40)
      {
        g_autofree char *id = g_strdup_printf ("t%d-%d", x, y);
        double lat, lon;

        shumate_viewport_widget_coords_to_location (fixture->viewport, widget, x, y, &lat, &lon);
        g_ptr_array_add (places, make_place (id, "town", lat, lon, NULL, "Town", "Town"));
        near_scale += fabs (y - (scale_bounds.origin.y + scale_bounds.size.height / 2)) < 30 &&
                      x < scale_bounds.origin.x + scale_bounds.size.width;
      }
  g_test_message ("scale at %.0f,%.0f %.0fx%.0f in a layer of %dx%d",
                  scale_bounds.origin.x, scale_bounds.origin.y, scale_bounds.size.width, scale_bounds.size.height,
                  gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  g_assert_cmpuint (near_scale, >, 0);
  g_clear_pointer (&fixture->places, g_ptr_array_unref);
  fixture->places = g_ptr_array_ref (places);
  chrono_event_layer_set_places (fixture->layer, places);

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);

  g_test_message ("%u labels", chrono_event_layer_get_n_labels (fixture->layer));
  g_assert_cmpuint (chrono_event_layer_get_n_labels (fixture->layer), >, 10);
  assert_labels_apart (fixture->layer);
  for (guint i = 0; i < chrono_event_layer_get_n_labels (fixture->layer); i++)
    {
      graphene_rect_t rect;

      chrono_event_layer_get_label (fixture->layer, i, &rect);
      g_assert_false (rects_overlap (&rect, &scale_bounds));
    }
}

static void
collect_labels (GtkWidget *widget,
                GPtrArray *labels)
{
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (labels, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, labels);
}

/* The popover of Nagorno-Karabakh (19 events) from the bundled dataset, opened over the map */
static void
test_popover (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_dataset_open_bundled (&error);
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  ChronoPlace *place = NULL;
  GtkWidget *popover, *focus, *scrolled = NULL;
  gboolean official = FALSE;
  guint n_events = 0;

  g_assert_no_error (error);
  places = chrono_store_get_places (store, "en", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < places->len; i++)
    if (g_strcmp0 (chrono_place_get_id (g_ptr_array_index (places, i)), "nagorno-karabakh") == 0)
      place = g_ptr_array_index (places, i);
  g_assert_nonnull (place);

  popover = chrono_event_layer_build_place_popover (CHRONO_EVENT_SOURCE (store), place, "en");
  gtk_widget_set_parent (popover, GTK_WIDGET (fixture->map));
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { 300, 200, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (popover));
  spin (300);
  g_assert_true (gtk_widget_get_mapped (popover));

  collect_labels (popover, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);
      const char *text = gtk_label_get_text (label);
      GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (label));
      int min_height, width = gtk_widget_get_width (GTK_WIDGET (label));

      /* Nothing opens selected, no raw codes */
      g_assert_false (gtk_label_get_selectable (label));
      g_assert_null (strstr (text, "(en"));
      g_assert_null (strstr (text, "common"));
      if (g_str_equal (text, "Azerbaijani, official"))
        official = TRUE;

      /* Each event's line gets the height its wrapped text needs, and is a
       * button that goes to the event */
      if (GTK_IS_BUTTON (parent) && gtk_widget_get_ancestor (parent, GTK_TYPE_SCROLLED_WINDOW) != NULL)
        {
          GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (parent));

          g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (parent)), ==, "win.go-to-event");
          g_assert_nonnull (target);
          g_assert_true (g_variant_is_of_type (target, G_VARIANT_TYPE_INT64));
          g_assert_cmpint (g_variant_get_int64 (target), >, 0);
          gtk_widget_measure (GTK_WIDGET (label), GTK_ORIENTATION_VERTICAL, width, &min_height, NULL, NULL, NULL);
          g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (label)), >=, min_height);
          g_assert_cmpint (width, >=, 250);
          scrolled = gtk_widget_get_ancestor (parent, GTK_TYPE_SCROLLED_WINDOW);
          n_events++;
        }
    }
  g_assert_true (official);
  g_assert_cmpuint (n_events, >, 3);
  g_test_message ("Nagorno-Karabakh's popover: %u events, list %d px high, %d px wide",
                  n_events, gtk_widget_get_height (scrolled), gtk_widget_get_width (scrolled));
  g_assert_cmpint (gtk_widget_get_height (scrolled), >=, 200);

  /* Focus, if any, is on no label whose text would show selected */
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (focus == NULL || !GTK_IS_LABEL (focus));

  if (g_getenv ("CHRONO_TEST_SAVE_PNG") != NULL)
    {
      g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (popover);
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr (GskRenderNode) node = NULL;
      g_autoptr (GdkTexture) texture = NULL;
      int w = gtk_widget_get_width (popover), h = gtk_widget_get_height (popover);

      gdk_paintable_snapshot (paintable, snapshot, w, h);
      node = gtk_snapshot_free_to_node (snapshot);
      texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (popover)), node,
                                             &GRAPHENE_RECT_INIT (0, 0, w, h));
      gdk_texture_save_to_png (texture, "/tmp/event-layer-popover.png");
    }

  gtk_popover_popdown (GTK_POPOVER (popover));
  spin (100);
  gtk_widget_unparent (popover);

  /* Stepanakert's names say when they were valid; Xankəndi is listed once
   * with each of its uses */
  place = NULL;
  for (guint i = 0; i < places->len; i++)
    if (g_strcmp0 (chrono_place_get_id (g_ptr_array_index (places, i)), "stepanakert") == 0)
      place = g_ptr_array_index (places, i);
  g_assert_nonnull (place);
  popover = chrono_event_layer_build_place_popover (CHRONO_EVENT_SOURCE (store), place, "en");
  g_object_ref_sink (popover);
  g_ptr_array_set_size (labels, 0);
  collect_labels (popover, labels);
  {
    gboolean until = FALSE, xankendi = FALSE;

    for (guint i = 0; i < labels->len; i++)
      {
        const char *text = gtk_label_get_text (g_ptr_array_index (labels, i));

        g_test_message ("%s", text);
        until |= g_str_equal (text, "English, historical, until 1922; French, historical, until 1922");
        xankendi |= g_str_equal (text, "Azerbaijani, official, from 1991; Azerbaijani, historical, until 1922");
      }
    g_assert_true (until);
    g_assert_true (xankendi);
  }
  g_object_unref (popover);

  /* Shusha has names but no events: the popover says so, with no empty list */
  place = NULL;
  for (guint i = 0; i < places->len; i++)
    if (g_strcmp0 (chrono_place_get_id (g_ptr_array_index (places, i)), "shusha") == 0)
      place = g_ptr_array_index (places, i);
  g_assert_nonnull (place);
  {
    g_autoptr (GArray) shusha_events = chrono_store_get_events_at_place (store, "shusha", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (shusha_events->len, ==, 0);
  }
  popover = chrono_event_layer_build_place_popover (CHRONO_EVENT_SOURCE (store), place, "en");
  g_ptr_array_set_size (labels, 0);
  collect_labels (popover, labels);
  g_assert_cmpstr (gtk_label_get_text (g_ptr_array_index (labels, labels->len - 1)), ==,
                   "No event of the dataset takes place here");
  {
    GtkWidget *empty_list = NULL;

    for (guint i = 0; i < labels->len; i++)
      if (gtk_widget_get_ancestor (g_ptr_array_index (labels, i), GTK_TYPE_SCROLLED_WINDOW) != NULL)
        empty_list = g_ptr_array_index (labels, i);
    g_assert_null (empty_list);
  }
  g_object_ref_sink (popover);
  g_object_unref (popover);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
test_many_places (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr (GPtrArray) places = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWidget *widget = GTK_WIDGET (fixture->layer);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double times[21];
  GRand *rand = g_rand_new_with_seed (42);
  guint nodes = 0;

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *id = g_strdup_printf ("p%u", i);
      double lat, lon;

      shumate_viewport_widget_coords_to_location (fixture->viewport, widget,
                                                  g_rand_double_range (rand, 10, width - 10),
                                                  g_rand_double_range (rand, 10, height - 10),
                                                  &lat, &lon);
      g_ptr_array_add (places, make_place (id, i % 50 == 0 ? "city" : "village", lat, lon, NULL, id, id));
    }

  g_clear_pointer (&fixture->places, g_ptr_array_unref);
  fixture->places = g_ptr_array_ref (places);
  chrono_event_layer_set_places (fixture->layer, places);

  /* One place in twenty has an event */
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *id = g_strdup_printf ("e%u", i);
      g_autofree char *place_id = g_strdup_printf ("p%u", g_rand_int_range (rand, 0, 10000));
      static const char *cats[] = { "military", "diplomatic", "political", "humanitarian" };
      g_autoptr (ChronoEvent) event = make_event (fixture, id, cats[i % 4], DAY + 1, place_id);

      g_list_store_append (fixture->events, event);
    }
  g_rand_free (rand);

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr (GskRenderNode) node = NULL;
      gint64 start = g_get_monotonic_time ();

      GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;

      g_assert_nonnull (node);
      if (i == 0 && gsk_render_node_get_node_type (node) == GSK_CONTAINER_NODE)
        {
          /* Every dot and every circle drew: at least one node per place */
          nodes = gsk_container_node_get_n_children (node);
          g_assert_cmpuint (nodes, >=, 10000);
        }
      else if (i == 0)
        {
          /* Under the cairo renderer, the layer is one cairo node: drawn,
           * its 10,000 rings (28 pixels each, some overlapping) must cover
           * far more pixels than a few hundred lit places would */
          cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) width, (int) height);
          cairo_t *cr = cairo_create (surface);
          const guchar *pixels;
          guint painted = 0;

          g_assert_cmpint (gsk_render_node_get_node_type (node), ==, GSK_CAIRO_NODE);
          gsk_render_node_draw (node, cr);
          cairo_destroy (cr);
          cairo_surface_flush (surface);
          pixels = cairo_image_surface_get_data (surface);
          for (int y = 0; y < (int) height; y++)
            for (int x = 0; x < (int) width; x++)
              painted += pixels[y * cairo_image_surface_get_stride (surface) + 4 * x + 3] != 0;
          cairo_surface_destroy (surface);
          g_test_message ("cairo renderer: %u of %d pixels painted", painted, (int) width * (int) height);
          g_assert_cmpuint (painted, >=, 100000);
          nodes = 1;
        }
    }

  g_test_message ("10000 places, first snapshot (creates the label layouts) %.2f ms", times[0]);
  qsort (times + 1, G_N_ELEMENTS (times) - 1, sizeof (double), compare_doubles);
  g_test_message ("10000 places, 500 events in effect, %u render nodes: snapshot median %.2f ms, best %.2f ms",
                  nodes, times[G_N_ELEMENTS (times) / 2], times[1]);

  /* Zoomed out, the lit places cluster every frame */
  shumate_viewport_set_zoom_level (fixture->viewport, 7.5);
  for (guint i = 0; i < 5; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr (GskRenderNode) node = NULL;
      gint64 start = g_get_monotonic_time ();

      GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }
  qsort (times, 5, sizeof (double), compare_doubles);
  g_test_message ("10000 places, 500 events in effect, clustered at zoom 7.5: snapshot median %.2f ms", times[2]);
  shumate_viewport_set_zoom_level (fixture->viewport, 8);

  /* What the renderer then costs for the layer's nodes alone (the first
   * run also compiles shaders) */
  for (guint i = 0; i < 4; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr (GskRenderNode) node = NULL;
      g_autoptr (GdkTexture) texture = NULL;
      gint64 start;

      chrono_event_layer_set_show_labels (fixture->layer, i < 3);
      GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      start = g_get_monotonic_time ();
      texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (fixture->window)),
                                             node, &GRAPHENE_RECT_INIT (0, 0, width, height));
      g_test_message ("render of the layer's nodes with %s, run %u%s: %.1f ms",
                      G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (fixture->window))),
                      i + 1, i < 3 ? "" : " without labels",
                      (g_get_monotonic_time () - start) / 1000.0);
    }
}

/* A text of @size bytes: words, as a runaway title would be */
static char *
make_huge_text (gsize size)
{
  static const char word[] = "Ceasefire ";
  GString *text = g_string_sized_new (size + sizeof word);

  while (text->len < size)
    g_string_append (text, word);

  return g_string_free (text, FALSE);
}

/* A dataset whose one place has a 10 MB name and whose one event, in
 * effect on 10 November 2020, a 10 MB title: written to a file and read
 * as the window reads one */
static ChronoStore *
open_huge_dataset (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  g_autofree char *huge = make_huge_text (10 * 1024 * 1024);
  g_autofree char *json = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-event-layer-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;

  g_assert_no_error (error);
  json = g_strdup_printf ("{ \"format\": \"chronotope-dataset\", \"version\": 1, \"id\": \"huge\","
                          "  \"title\": { \"en\": \"Huge texts\" }, \"sources\": [],"
                          "  \"places\": [ { \"id\": \"huge-place\", \"kind\": \"city\","
                          "                  \"lat\": 39.8153, \"lon\": 46.7517,"
                          "                  \"names\": [ { \"lang\": \"en\", \"name\": \"%s\", \"usage\": \"common\" } ] } ],"
                          "  \"events\": [ { \"id\": \"huge-event\", \"start\": \"2020-11-10\", \"end\": \"2021-11-10\","
                          "                  \"category\": \"military\", \"importance\": 3,"
                          "                  \"text\": { \"en\": { \"title\": \"%s\", \"summary\": \"Short.\" } },"
                          "                  \"places\": [ { \"place\": \"huge-place\", \"role\": \"location\" } ],"
                          "                  \"excerpts\": [], \"claims\": [] } ] }",
                          huge, huge);
  path = g_build_filename (dir, "huge.json", NULL);
  g_assert_true (g_file_set_contents (path, json, -1, &error));
  g_assert_no_error (error);

  file = g_file_new_for_path (path);
  g_assert_true (chrono_dataset_import_file (store, file, &error));
  g_assert_no_error (error);
  g_unlink (path);
  g_rmdir (dir);

  return g_steal_pointer (&store);
}

static void
assert_labels_short (GtkWidget *widget,
                     guint     *n_labels)
{
  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      g_assert_cmpint (g_utf8_strlen (text, -1), <=, CHRONO_DISPLAY_NAME_CHARS + 40);
      (*n_labels)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_labels_short (child, n_labels);
}

/* A 10 MB name and a 10 MB title: drawn and put in the place's popover in
 * moments, their labels cut to a line (laying out the whole text took
 * minutes and most of a gigabyte); the data keeps them whole. */
static void
test_huge_texts (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = open_huge_dataset ();
  g_autoptr (GPtrArray) places = chrono_store_get_places (store, "en", &error);
  g_autoptr (GListStore) effect = g_list_store_new (CHRONO_TYPE_EVENT);
  g_autoptr (ShumateViewport) viewport = shumate_viewport_new ();
  g_autoptr (ShumateMapSource) source = NULL;
  g_autoptr (ChronoEventLayer) layer = NULL;
  g_autoptr (ChronoEvent) event = NULL;
  graphene_rect_t rect;
  cairo_surface_t *surface;
  GtkWidget *popover;
  gint64 day = chrono_day_from_ymd (2020, 11, 10);
  gint64 start;
  double seconds;
  guint n_labels = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (places->len, ==, 1);
  g_assert_cmpuint (strlen (chrono_place_get_name (g_ptr_array_index (places, 0))), >=, 10 * 1024 * 1024);
  event = chrono_store_get_event_by_id (store, "huge-event", "en", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (chrono_event_get_title (event)), >=, 10 * 1024 * 1024);
  g_list_store_append (effect, event);

  source = chrono_basemap_source_new_map_source_full (CHRONO_BASEMAP_STYLE_LIGHT, 256, "en", places);
  shumate_viewport_set_reference_map_source (viewport, source);
  shumate_viewport_set_zoom_level (viewport, 8);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), 39.75, 46.6);

  start = g_get_monotonic_time ();
  layer = g_object_ref_sink (chrono_event_layer_new (viewport));
  chrono_event_layer_set_language (layer, "en");
  chrono_event_layer_set_places (layer, places);
  chrono_event_layer_set_events_in_effect (layer, G_LIST_MODEL (effect));
  chrono_event_layer_set_day (layer, day);
  surface = draw_offscreen (layer, 1200, 700);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  cairo_surface_destroy (surface);

  g_assert_true (find_label (layer, "huge-place", &rect));
  g_test_message ("drawn in %.3f s; the label is %.0f px wide", seconds, rect.size.width);
  /* A line's worth of a name, not ten million characters' */
  g_assert_cmpfloat (rect.size.width, >, 50);
  g_assert_cmpfloat (rect.size.width, <, 700);
  g_assert_cmpfloat (seconds, <, 20);

  /* The popover of the place: its name and the event's title */
  start = g_get_monotonic_time ();
  popover = chrono_event_layer_build_place_popover (CHRONO_EVENT_SOURCE (store), g_ptr_array_index (places, 0), "en");
  g_object_ref_sink (popover);
  assert_labels_short (popover, &n_labels);
  {
    int minimum, natural;

    GtkWidget *child = gtk_popover_get_child (GTK_POPOVER (popover));

    /* Laying the labels out, as showing the popover does */
    gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
    gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, natural, &minimum, &natural, NULL, NULL);
    g_assert_cmpint (natural, <, 2000);
    g_test_message ("popover: %u labels, %d px high, measured in %.3f s", n_labels, natural,
                    (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  }
  g_assert_cmpuint (n_labels, >=, 3);
  g_assert_cmpfloat ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, <, 20);
  g_object_unref (popover);
}

static ChronoEvent *
load_from_store (gint64   rowid,
                 gpointer user_data)
{
  return chrono_store_get_event (CHRONO_STORE (user_data), rowid, "en", NULL);
}

/* The map counts the events of a list of rowids from the event table, never
 * reading them: the same places, counts and marks as from the events read */
static void
test_table_counts (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "datasets",
                                                 "karabakh-peacekeeping.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (ChronoEventTable) table = NULL;
  g_autoptr (ChronoTimeIndex) index = NULL;
  g_autoptr (ShumateViewport) viewport = shumate_viewport_new ();
  g_autoptr (ShumateMapSource) source = NULL;
  g_autoptr (ChronoEventLayer) slow = NULL;
  g_autoptr (ChronoEventLayer) fast = NULL;
  g_autoptr (GListStore) events = g_list_store_new (CHRONO_TYPE_EVENT);
  g_autoptr (ChronoEventList) list = chrono_event_list_new (load_from_store, store);
  guint n_counted = 0;

  g_assert_true (chrono_dataset_import_file (store, file, &error));
  g_assert_no_error (error);
  places = chrono_store_get_places (store, "en", &error);
  g_assert_no_error (error);
  table = chrono_event_table_load (store, &error);
  g_assert_no_error (error);
  index = chrono_event_table_build_index (table, 21);
  chrono_event_list_set_table (list, table);

  source = chrono_basemap_source_new_map_source_full (CHRONO_BASEMAP_STYLE_LIGHT, 256, "en", places);
  shumate_viewport_set_reference_map_source (viewport, source);
  shumate_viewport_set_zoom_level (viewport, 8);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), 39.75, 46.6);
  slow = g_object_ref_sink (chrono_event_layer_new (viewport));
  fast = g_object_ref_sink (chrono_event_layer_new (viewport));
  chrono_event_layer_set_places (slow, places);
  chrono_event_layer_set_places (fast, places);
  chrono_event_layer_set_events_in_effect (slow, G_LIST_MODEL (events));
  chrono_event_layer_set_events_in_effect (fast, G_LIST_MODEL (list));

  for (ChronoDay day = chrono_day_from_ymd (2020, 9, 20); day < chrono_day_from_ymd (2024, 7, 1); day += 17)
    {
      g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr (GPtrArray) read = NULL;

      chrono_time_index_query (index, day, ids);
      read = chrono_store_get_events (store, (const gint64 *) (gpointer) ids->data, ids->len, "en", &error);
      g_assert_no_error (error);
      g_list_store_splice (events, 0, g_list_model_get_n_items (G_LIST_MODEL (events)), read->pdata, read->len);
      chrono_event_list_set_ids (list, (const gint64 *) (gpointer) ids->data, ids->len);
      chrono_event_layer_set_day (slow, day);
      chrono_event_layer_set_day (fast, day);
      chrono_event_layer_set_afterglow_days (slow, 21);
      chrono_event_layer_set_afterglow_days (fast, 21);

      for (guint p = 0; p < places->len; p++)
        {
          const char *id = chrono_place_get_id (g_ptr_array_index (places, p));

          g_assert_cmpuint (chrono_event_layer_get_n_events_at (fast, id), ==, chrono_event_layer_get_n_events_at (slow, id));
          n_counted += chrono_event_layer_get_n_events_at (slow, id);
        }

      {
        cairo_surface_t *a = draw_offscreen_on (slow, 400, 300, 0xffffff);
        cairo_surface_t *b = draw_offscreen_on (fast, 400, 300, 0xffffff);

        /* The same picture, pixel for pixel */
        g_assert_cmpmem (cairo_image_surface_get_data (a), cairo_image_surface_get_stride (a) * 300,
                         cairo_image_surface_get_data (b), cairo_image_surface_get_stride (b) * 300);
        g_assert_cmpuint (chrono_event_layer_get_n_marks (fast), ==, chrono_event_layer_get_n_marks (slow));
        for (guint m = 0; m < chrono_event_layer_get_n_marks (slow); m++)
          {
            double x1, y1, r1, x2, y2, r2;

            chrono_event_layer_get_mark (slow, m, &x1, &y1, &r1);
            chrono_event_layer_get_mark (fast, m, &x2, &y2, &r2);
            g_assert_cmpfloat_with_epsilon (x1, x2, 1e-9);
            g_assert_cmpfloat_with_epsilon (y1, y2, 1e-9);
            g_assert_cmpfloat_with_epsilon (r1, r2, 1e-9);
          }
        cairo_surface_destroy (a);
        cairo_surface_destroy (b);
      }
    }
  g_assert_cmpuint (n_counted, >, 100);
}

int
main (int   argc,
      char *argv[])
{
  /* GTK's accessibility bus wants a session bus, which Xvfb runs lack;
   * this test looks at pixels only. */
  g_setenv ("GTK_A11Y", "none", TRUE);
#ifdef __SANITIZE_ADDRESS__
  /* llvmpipe's JIT registers unwind tables while ASan's slow unwinder holds
   * the same lock (fast_unwind_on_malloc=0): a deadlock. Cairo has no JIT. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
#endif
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

#define ADD(path, func) \
  g_test_add ("/event-layer/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("place-at", test_place_at);
  ADD ("highlight", test_highlight);
  ADD ("route", test_route);
  ADD ("afterglow", test_afterglow);
  ADD ("uncertain-start", test_uncertain_start);
  ADD ("properties", test_properties);
  ADD ("many-places", test_many_places);
  ADD ("popover", test_popover);
  g_test_add_func ("/event-layer/offscreen", test_offscreen);
  g_test_add_func ("/event-layer/clusters", test_clusters);
  ADD ("clusters-on-screen", test_clusters_on_screen);
  ADD ("labels-off-controls", test_labels_off_controls);
  g_test_add_func ("/event-layer/default-view", test_default_view);
  g_test_add_func ("/event-layer/label-sides", test_label_sides);
  g_test_add_func ("/event-layer/dated-names", test_dated_names);
  g_test_add_func ("/event-layer/capital-zoomed-out", test_capital_zoomed_out);
  g_test_add_func ("/event-layer/huge-texts", test_huge_texts);
  g_test_add_func ("/event-layer/table-counts", test_table_counts);

  return g_test_run ();
}
