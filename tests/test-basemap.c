/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-basemap"

#include "config.h"

#include <math.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

#include "chrono-basemap-map-source.h"
#include "chrono-basemap-source.h"
#include "chrono-place.h"

/*
 * Tiles are requested through the ShumateDataSource API, as the map does,
 * and decoded with gdk-pixbuf; pixel positions come from Web Mercator math
 * done here, independently of the source.
 */

#define LIGHT_WATER 0xaad3df
#define LIGHT_LAND  0xf2efe9
#define NEUTRAL_LAND 0xefece4

typedef struct
{
  GMainLoop *loop;
  GBytes    *bytes;
  GError    *error;
  guint      emitted;
  gboolean   emitted_after_completion;
  gboolean   completed;
  GBytes    *emitted_bytes;
  int        emitted_x, emitted_y, emitted_zoom;
} Request;

static void
request_clear (Request *request)
{
  g_clear_pointer (&request->loop, g_main_loop_unref);
  g_clear_pointer (&request->bytes, g_bytes_unref);
  g_clear_pointer (&request->emitted_bytes, g_bytes_unref);
  g_clear_error (&request->error);
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
  request->emitted_after_completion |= request->completed;
  request->emitted_x = x;
  request->emitted_y = y;
  request->emitted_zoom = zoom;
  g_clear_pointer (&request->emitted_bytes, g_bytes_unref);
  request->emitted_bytes = g_bytes_ref (bytes);
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

/* Runs a main loop until the request completes. */
static void
request_tile (ChronoBasemapSource *source,
              int                  x,
              int                  y,
              int                  zoom,
              GCancellable        *cancellable,
              Request             *request)
{
  gulong handler;

  memset (request, 0, sizeof *request);
  request->loop = g_main_loop_new (NULL, FALSE);
  handler = g_signal_connect (source, "received-data", G_CALLBACK (on_received_data), request);
  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), x, y, zoom, cancellable, on_tile_data, request);
  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  g_main_loop_run (request->loop);
  g_signal_handler_disconnect (source, handler);
}

static GdkPixbuf *
decode (GBytes *bytes)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pixbuf);

  return pixbuf;
}

/* The tile holding a place, and the place's pixel in it. */
static void
locate (double  lat,
        double  lon,
        int     zoom,
        int     tile_size,
        int    *tile_x,
        int    *tile_y,
        int    *px,
        int    *py)
{
  double n = (double) (1 << zoom);
  double phi = lat * G_PI / 180.0;
  double wx = (lon + 180.0) / 360.0 * n;
  double wy = (1.0 - asinh (tan (phi)) / G_PI) / 2.0 * n;

  *tile_x = (int) floor (wx);
  *tile_y = (int) floor (wy);
  *px = (int) floor ((wx - *tile_x) * tile_size);
  *py = (int) floor ((wy - *tile_y) * tile_size);
}

static guint32
pixel_at (GdkPixbuf *pixbuf,
          int        x,
          int        y)
{
  const guint8 *p;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, gdk_pixbuf_get_width (pixbuf));
  g_assert_cmpint (y, <, gdk_pixbuf_get_height (pixbuf));

  p = gdk_pixbuf_read_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) + x * gdk_pixbuf_get_n_channels (pixbuf);

  return (guint32) p[0] << 16 | (guint32) p[1] << 8 | p[2];
}

static int
color_distance (guint32 a,
                guint32 b)
{
  return ABS ((int) (a >> 16 & 0xff) - (int) (b >> 16 & 0xff)) +
         ABS ((int) (a >> 8 & 0xff) - (int) (b >> 8 & 0xff)) +
         ABS ((int) (a & 0xff) - (int) (b & 0xff));
}

/* Draws the tile holding (lat, lon) and returns the colour at that point. */
static guint32
color_at (ChronoBasemapStyle  style,
          int                 tile_size,
          double              lat,
          double              lon,
          int                 zoom,
          int                 dx,
          int                 dy)
{
  g_autoptr(ChronoBasemapSource) source = chrono_basemap_source_new (style, tile_size, "en");
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  Request request;
  int tx, ty, px, py;
  guint32 color;

  locate (lat, lon, zoom, tile_size, &tx, &ty, &px, &py);
  request_tile (source, tx, ty, zoom, NULL, &request);
  g_assert_no_error (request.error);
  g_assert_nonnull (request.bytes);

  pixbuf = decode (request.bytes);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, tile_size);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, tile_size);
  color = pixel_at (pixbuf, CLAMP (px + dx, 0, tile_size - 1), CLAMP (py + dy, 0, tile_size - 1));
  request_clear (&request);

  return color;
}

static void
assert_color (guint32 color,
              guint32 expected,
              int     tolerance)
{
  if (color_distance (color, expected) > tolerance)
    g_error ("colour #%06x is not #%06x (distance %d > %d)",
             color, expected, color_distance (color, expected), tolerance);
}

static void
test_caspian_is_water (void)
{
  assert_color (color_at (CHRONO_BASEMAP_STYLE_LIGHT, 256, 42.0, 50.5, 6, 0, 0), LIGHT_WATER, 6);
}

static void
test_yerevan_is_land (void)
{
  /* Above the town's dot: its label sits beside the dot, and the border
   * with Türkiye runs a few pixels to the south-west at zoom 6. */
  assert_color (color_at (CHRONO_BASEMAP_STYLE_LIGHT, 256, 40.18, 44.51, 6, 0, -14), LIGHT_LAND, 6);
  assert_color (color_at (CHRONO_BASEMAP_STYLE_LIGHT, 256, 40.18, 44.51, 9, 0, -16), LIGHT_LAND, 6);
}

static void
test_sevan_is_water (void)
{
  assert_color (color_at (CHRONO_BASEMAP_STYLE_LIGHT, 256, 40.35, 45.35, 9, 0, 0), LIGHT_WATER, 6);
  /* Same place in a 512 tile. */
  assert_color (color_at (CHRONO_BASEMAP_STYLE_LIGHT, 512, 40.35, 45.35, 9, 0, 0), LIGHT_WATER, 6);
}

static void
test_styles_differ (void)
{
  guint32 light = color_at (CHRONO_BASEMAP_STYLE_LIGHT, 256, 42.0, 50.5, 6, 0, 0);
  guint32 dark = color_at (CHRONO_BASEMAP_STYLE_DARK, 256, 42.0, 50.5, 6, 0, 0);
  guint32 dark_land = color_at (CHRONO_BASEMAP_STYLE_DARK, 256, 40.18, 44.51, 6, 0, -14);

  g_assert_cmpint (color_distance (light, dark), >, 150);
  /* Dark water and land both dark, but still told apart. */
  g_assert_cmpint ((dark >> 16 & 0xff) + (dark >> 8 & 0xff) + (dark & 0xff), <, 3 * 80);
  g_assert_cmpint ((dark_land >> 16 & 0xff) + (dark_land >> 8 & 0xff) + (dark_land & 0xff), <, 3 * 80);
  g_assert_cmpint (color_distance (dark, dark_land), >, 20);
}

/* The colour painted under tiles is the land of the tiles themselves */
static void
test_background_color (void)
{
  for (ChronoBasemapStyle style = CHRONO_BASEMAP_STYLE_LIGHT; style <= CHRONO_BASEMAP_STYLE_NEUTRAL; style++)
    {
      guint32 land = color_at (style, 256, 40.18, 44.51, 6, 0, -14);
      GdkRGBA bg;
      guint32 expected;

      chrono_basemap_get_background_color (style, &bg);
      expected = (guint32) lround (bg.red * 255) << 16 | (guint32) lround (bg.green * 255) << 8 |
                 (guint32) lround (bg.blue * 255);
      g_assert_cmpfloat (bg.alpha, ==, 1.0);
      assert_color (land, expected, 3);
    }
}

/* Where the detailed context band (30-65°E, 30-50°N) meets the world band
 * around it, on land, no line of water shows along the band's box. */
static void
test_band_edges (void)
{
  const struct { double lat, lon; gboolean vertical; } edges[] = {
    { 50.0, 40.0, FALSE },   /* north edge, in Russia */
    { 30.0, 45.0, FALSE },   /* south edge, in Iraq */
    { 48.0, 30.0, TRUE },    /* west edge, in Ukraine */
  };

  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    for (int zoom = 5; zoom <= 7; zoom++)
      for (int d = -3; d <= 3; d++)
        assert_color (color_at (CHRONO_BASEMAP_STYLE_LIGHT, 256, edges[i].lat, edges[i].lon, zoom,
                                edges[i].vertical ? d : 0, edges[i].vertical ? 0 : d),
                      LIGHT_LAND, 6);
}

static void
test_neutral_has_no_borders (void)
{
  /* A vertex of the Armenia–Azerbaijan border in sc_borders.json. */
  const double lat = 40.01232, lon = 45.60818;

  for (int zoom = 8; zoom <= 10; zoom++)
    {
      guint32 light = color_at (CHRONO_BASEMAP_STYLE_LIGHT, 256, lat, lon, zoom, 0, 0);
      guint32 neutral = color_at (CHRONO_BASEMAP_STYLE_NEUTRAL, 256, lat, lon, zoom, 0, 0);

      g_assert_cmpint (color_distance (light, LIGHT_LAND), >, 20);
      assert_color (neutral, NEUTRAL_LAND, 3);
    }
}

static void
test_tile_size_512 (void)
{
  g_autoptr(ChronoBasemapSource) source = chrono_basemap_source_new (CHRONO_BASEMAP_STYLE_LIGHT, 512, "en");
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  Request request;

  request_tile (source, 2, 1, 2, NULL, &request);
  g_assert_no_error (request.error);
  pixbuf = decode (request.bytes);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 512);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 512);
  request_clear (&request);
}

static void
test_language (void)
{
  g_autoptr(ChronoBasemapSource) en = chrono_basemap_source_new (CHRONO_BASEMAP_STYLE_LIGHT, 256, "en");
  g_autoptr(ChronoBasemapSource) fr = chrono_basemap_source_new (CHRONO_BASEMAP_STYLE_LIGHT, 256, "fr");
  g_autoptr(ChronoBasemapSource) hy = chrono_basemap_source_new (CHRONO_BASEMAP_STYLE_LIGHT, 256, "hy");
  g_autoptr(GBytes) a = NULL, b = NULL, c = NULL;
  g_autoptr(GError) error = NULL;
  int tx, ty, px, py;

  /* Yerevan is Erevan in French and Երևան in Armenian. */
  locate (40.18, 44.51, 8, 256, &tx, &ty, &px, &py);
  a = chrono_basemap_source_render_tile (en, tx, ty, 8, NULL, &error);
  g_assert_no_error (error);
  b = chrono_basemap_source_render_tile (fr, tx, ty, 8, NULL, &error);
  g_assert_no_error (error);
  c = chrono_basemap_source_render_tile (hy, tx, ty, 8, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_bytes_equal (a, b));
  g_assert_false (g_bytes_equal (a, c));
  g_assert_cmpstr (chrono_basemap_source_get_language (fr), ==, "fr");
}

/* Pixels of the tile around (@px, @py) that are far from the land colour:
 * the label and the dot of a town there. */
static guint
count_ink (GdkPixbuf *pixbuf,
           int        px,
           int        py)
{
  guint n = 0;

  for (int y = MAX (0, py - 10); y < MIN (256, py + 10); y++)
    for (int x = MAX (0, px - 6); x < MIN (256, px + 70); x++)
      if (color_distance (pixel_at (pixbuf, x, y), LIGHT_LAND) > 120)
        n++;

  return n;
}

static guint
ink_at (GPtrArray *places,
        double     lat,
        double     lon,
        char     **id)
{
  g_autoptr(ChronoBasemapSource) source = chrono_basemap_source_new (CHRONO_BASEMAP_STYLE_LIGHT, 256, "en");
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  int tx, ty, px, py;

  chrono_basemap_source_set_dataset_places (source, places);
  *id = chrono_basemap_source_dup_id (source);
  locate (lat, lon, 8, 256, &tx, &ty, &px, &py);
  bytes = chrono_basemap_source_render_tile (source, tx, ty, 8, NULL, &error);
  g_assert_no_error (error);
  pixbuf = decode (bytes);

  return count_ink (pixbuf, px, py);
}

static void
test_dataset_places (void)
{
  g_autoptr(GPtrArray) towns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) regions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *plain_id = NULL, *towns_id = NULL, *regions_id = NULL;
  guint plain, skipped, region;

  /* The dataset's Yerevan lies some 400 m from GeoNames' point */
  g_ptr_array_add (towns, g_object_new (CHRONO_TYPE_PLACE, "id", "yerevan", "kind", "city",
                                        "lat", 40.1777, "lon", 44.5126, NULL));
  g_ptr_array_add (towns, g_object_new (CHRONO_TYPE_PLACE, "id", "far", "kind", "town",
                                        "lat", 41.7, "lon", 44.8, NULL));
  /* A region labelled at a point that falls on the city takes nothing away */
  g_ptr_array_add (regions, g_object_new (CHRONO_TYPE_PLACE, "id", "ararat-plain", "kind", "region",
                                          "lat", 40.1777, "lon", 44.5126, NULL));

  plain = ink_at (NULL, 40.1811, 44.5136, &plain_id);
  skipped = ink_at (towns, 40.1811, 44.5136, &towns_id);
  region = ink_at (regions, 40.1811, 44.5136, &regions_id);
  g_test_message ("ink beside Yerevan at zoom 8: %u px, with the dataset's Yerevan %u px, "
                  "with a region there %u px", plain, skipped, region);

  /* The basemap's label and dot are gone; the rest of the tile is drawn */
  g_assert_cmpuint (plain, >, 60);
  g_assert_cmpuint (skipped, <, plain / 8);
  g_assert_cmpuint (region, ==, plain);

  /* Tiles with and without the towns never share a cache entry */
  g_assert_cmpstr (plain_id, !=, towns_id);
  g_assert_cmpstr (plain_id, ==, regions_id);
}

static guint
count_boxes_over (GArray *boxes,
                  double  lat,
                  double  lon)
{
  const double *b = (const double *) (gpointer) boxes->data;
  double phi = lat * G_PI / 180.0;
  double x = (lon + 180.0) / 360.0, y = (1.0 - asinh (tan (phi)) / G_PI) / 2.0;
  guint n = 0;

  for (guint i = 0; i + 3 < boxes->len; i += 4)
    n += b[i] <= x && x <= b[i + 2] && b[i + 1] <= y && y <= b[i + 3];

  return n;
}

/* The boxes of the basemap's names, for the event layer to keep clear of */
static void
test_label_boxes (void)
{
  g_autoptr(ChronoBasemapSource) source = chrono_basemap_source_new (CHRONO_BASEMAP_STYLE_LIGHT, 256, "en");
  g_autoptr(ChronoBasemapSource) neutral = chrono_basemap_source_new (CHRONO_BASEMAP_STYLE_NEUTRAL, 256, "en");
  g_autoptr(GPtrArray) towns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) boxes = NULL;
  g_autoptr(GArray) none = NULL;
  g_autoptr(GArray) skipped = NULL;
  /* Around Yerevan at zoom 8 */
  const double x0 = (44.0 + 180) / 360, x1 = (45.0 + 180) / 360, y0 = 0.37, y1 = 0.38;

  boxes = chrono_basemap_source_dup_label_boxes (source, 8, x0, y0, x1, y1);
  g_test_message ("%u names near Yerevan at zoom 8", boxes->len / 4);
  g_assert_cmpuint (boxes->len % 4, ==, 0);
  g_assert_cmpuint (boxes->len / 4, >=, 3);
  /* Yerevan's dot and the name to its right, not what lies left of it */
  g_assert_cmpuint (count_boxes_over (boxes, 40.1811, 44.5136), >=, 1);
  g_assert_cmpuint (count_boxes_over (boxes, 40.1811, 44.5136 + 0.15), >=, 1);
  g_assert_cmpuint (count_boxes_over (boxes, 40.1811, 44.5136 - 0.1), ==, 0);

  none = chrono_basemap_source_dup_label_boxes (neutral, 8, x0, y0, x1, y1);
  g_assert_cmpuint (none->len, ==, 0);

  g_ptr_array_add (towns, g_object_new (CHRONO_TYPE_PLACE, "id", "yerevan", "kind", "city",
                                        "lat", 40.1777, "lon", 44.5126, NULL));
  chrono_basemap_source_set_dataset_places (source, towns);
  skipped = chrono_basemap_source_dup_label_boxes (source, 8, x0, y0, x1, y1);
  g_assert_cmpuint (skipped->len, ==, boxes->len - 4);
  g_assert_cmpuint (count_boxes_over (skipped, 40.1811, 44.5136), ==, 0);
}

/* The tiles round (@lat, @lon) at @zoom drawn at @label_scale, as one
 * 768-pixel image, with the place's pixel in it. */
static GdkPixbuf *
render_around (double  label_scale,
               double  lat,
               double  lon,
               int     zoom,
               int    *px,
               int    *py)
{
  g_autoptr(ChronoBasemapSource) source = chrono_basemap_source_new (CHRONO_BASEMAP_STYLE_LIGHT, 256, "en");
  GdkPixbuf *image = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 768, 768);
  int tx, ty;

  g_object_set (source, "label-scale", label_scale, NULL);
  g_assert_cmpfloat (chrono_basemap_source_get_label_scale (source), ==, label_scale);
  locate (lat, lon, zoom, 256, &tx, &ty, px, py);
  *px += 256;
  *py += 256;

  for (int dy = -1; dy <= 1; dy++)
    for (int dx = -1; dx <= 1; dx++)
      {
        g_autoptr(GBytes) bytes = NULL;
        g_autoptr(GdkPixbuf) tile = NULL;
        g_autoptr(GError) error = NULL;

        bytes = chrono_basemap_source_render_tile (source, tx + dx, ty + dy, zoom, NULL, &error);
        g_assert_no_error (error);
        tile = decode (bytes);
        gdk_pixbuf_copy_area (tile, 0, 0, 256, 256, image, 256 * (dx + 1), 256 * (dy + 1));
      }

  return image;
}

/* Whether a row (@vertical FALSE: a column) of the box holds label ink. */
static gboolean
has_ink (GdkPixbuf *image,
         int        at,
         int        from,
         int        to,
         gboolean   vertical)
{
  for (int i = from; i < to; i++)
    {
      guint32 color = vertical ? pixel_at (image, at, i) : pixel_at (image, i, at);

      /* The light style's label colour; dots, borders and water are paler */
      if (color_distance (color, 0x2e3436) < 60)
        return TRUE;
    }

  return FALSE;
}

/* The ink of the name right of the dot at (@px, @py): its rows round the
 * dot's, then its columns from the dot on, gaps between letters allowed. */
static void
measure_name (GdkPixbuf *image,
              int        px,
              int        py,
              int       *width,
              int       *height)
{
  int top = py, bottom = py, left, right, gap = 0;

  while (top > py - 60 && has_ink (image, top - 1, px + 12, px + 60, FALSE))
    top--;
  while (bottom < py + 60 && has_ink (image, bottom + 1, px + 12, px + 60, FALSE))
    bottom++;
  *height = bottom - top + 1;

  left = px + 4;
  while (left < px + 40 && !has_ink (image, left, top, bottom + 1, TRUE))
    left++;
  for (right = left; right < px + 400 && gap < 8; right++)
    gap = has_ink (image, right, top, bottom + 1, TRUE) ? 0 : gap + 1;
  *width = right - gap - left;
}

/* A projector's labels: town names twice as big at label scale 2, cached apart */
static void
test_label_scale (void)
{
  g_autoptr(ChronoBasemapSource) source = chrono_basemap_source_new (CHRONO_BASEMAP_STYLE_LIGHT, 256, "en");
  g_autoptr(ShumateMapSource) map_source = NULL;
  g_autoptr(GdkPixbuf) normal = NULL;
  g_autoptr(GdkPixbuf) big = NULL;
  g_autoptr(GArray) normal_boxes = NULL;
  g_autoptr(GArray) big_boxes = NULL;
  g_autofree char *normal_id = NULL;
  g_autofree char *big_id = NULL;
  int px, py, normal_width, normal_height, big_width, big_height;
  const double x0 = (44.4 + 180) / 360, x1 = (44.6 + 180) / 360, y0 = 0.375, y1 = 0.376;

  /* Yerevan, a capital: its name comes first, right of its dot */
  normal = render_around (1.0, 40.1811, 44.5136, 8, &px, &py);
  measure_name (normal, px, py, &normal_width, &normal_height);
  big = render_around (2.0, 40.1811, 44.5136, 8, &px, &py);
  measure_name (big, px, py, &big_width, &big_height);
  g_test_message ("Yerevan's name at zoom 8: %d x %d px, at label scale 2 %d x %d px",
                  normal_width, normal_height, big_width, big_height);

  g_assert_cmpint (normal_height, >=, 8);
  g_assert_cmpint (normal_height, <=, 16);
  g_assert_cmpint (normal_width, >=, 40);
  g_assert_cmpfloat (big_height, >=, 1.7 * normal_height);
  g_assert_cmpfloat (big_height, <=, 2.3 * normal_height);
  g_assert_cmpfloat (big_width, >=, 1.7 * normal_width);
  g_assert_cmpfloat (big_width, <=, 2.3 * normal_width);

  /* The boxes the event layer keeps clear of grow with the names */
  normal_boxes = chrono_basemap_source_dup_label_boxes (source, 8, x0, y0, x1, y1);
  normal_id = chrono_basemap_source_dup_id (source);
  chrono_basemap_source_set_label_scale (source, 2.0);
  big_boxes = chrono_basemap_source_dup_label_boxes (source, 8, x0, y0, x1, y1);
  big_id = chrono_basemap_source_dup_id (source);
  g_assert_cmpuint (count_boxes_over (normal_boxes, 40.1811, 44.5136 + 0.5), ==, 0);
  g_assert_cmpuint (count_boxes_over (big_boxes, 40.1811, 44.5136 + 0.5), >=, 1);

  /* Tiles of each scale are cached apart; scale 1 keeps its old id */
  g_assert_cmpstr (normal_id, ==, "chronotope-basemap-light-256-en");
  g_assert_cmpstr (big_id, ==, "chronotope-basemap-light-256-en-labels2");
  map_source = chrono_basemap_source_dup_map_source (source);
  g_assert_cmpstr (shumate_map_source_get_id (map_source), ==, big_id);
  g_assert_true (chrono_basemap_map_source_get_data_source (CHRONO_BASEMAP_MAP_SOURCE (map_source)) == source);

  /* Out of range: clamped */
  chrono_basemap_source_set_label_scale (source, 100.0);
  g_assert_cmpfloat (chrono_basemap_source_get_label_scale (source), ==, CHRONO_BASEMAP_MAX_LABEL_SCALE);
}

static void
test_received_data_once (void)
{
  g_autoptr(ChronoBasemapSource) source = chrono_basemap_source_new (CHRONO_BASEMAP_STYLE_DARK, 256, "en");
  Request request;

  request_tile (source, 39, 24, 6, NULL, &request);
  g_assert_no_error (request.error);
  g_assert_nonnull (request.bytes);
  g_assert_cmpuint (request.emitted, ==, 1);
  g_assert_false (request.emitted_after_completion);
  g_assert_cmpint (request.emitted_x, ==, 39);
  g_assert_cmpint (request.emitted_y, ==, 24);
  g_assert_cmpint (request.emitted_zoom, ==, 6);
  g_assert_true (g_bytes_equal (request.bytes, request.emitted_bytes));
  g_assert_cmpuint (chrono_basemap_source_get_pending (source), ==, 0);
  request_clear (&request);
}

static void
test_cancel (void)
{
  g_autoptr(ChronoBasemapSource) source = chrono_basemap_source_new (CHRONO_BASEMAP_STYLE_LIGHT, 256, "en");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Request request;

  request_tile (source, 2600, 1560, 12, cancellable, &request);
  g_assert_error (request.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (request.bytes);
  g_assert_cmpuint (request.emitted, ==, 0);
  g_assert_cmpuint (chrono_basemap_source_get_pending (source), ==, 0);
  request_clear (&request);
}

static void
test_out_of_range (void)
{
  g_autoptr(ChronoBasemapSource) source = chrono_basemap_source_new (CHRONO_BASEMAP_STYLE_LIGHT, 256, "en");
  const int tiles[][3] = { { 0, 0, 13 }, { 4, 0, 2 }, { 0, -1, 3 }, { 0, 0, -1 } };

  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      Request request;

      request_tile (source, tiles[i][0], tiles[i][1], tiles[i][2], NULL, &request);
      g_assert_error (request.error, CHRONO_BASEMAP_ERROR, CHRONO_BASEMAP_ERROR_OUT_OF_RANGE);
      g_assert_cmpuint (request.emitted, ==, 0);
      request_clear (&request);
    }

  g_assert_cmpuint (chrono_basemap_source_get_pending (source), ==, 0);
}

typedef struct
{
  GMainLoop *loop;
  guint      completed;
  guint      emitted;
  guint      max_pending;
  guint      drained;
} Batch;

static void
on_batch_tile (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Batch *batch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (object), result, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  batch->completed++;
}

static void
on_batch_received_data (ShumateDataSource *source,
                        int                x,
                        int                y,
                        int                zoom,
                        GBytes            *bytes,
                        gpointer           user_data)
{
  Batch *batch = user_data;

  batch->emitted++;
}

static void
on_batch_pending (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  Batch *batch = user_data;

  batch->max_pending = MAX (batch->max_pending, chrono_basemap_source_get_pending (CHRONO_BASEMAP_SOURCE (object)));
}

static void
on_batch_drained (ChronoBasemapSource *source,
                  gpointer             user_data)
{
  Batch *batch = user_data;

  batch->drained++;
  g_main_loop_quit (batch->loop);
}

static void
test_pending (void)
{
  g_autoptr(ChronoBasemapSource) source = chrono_basemap_source_new (CHRONO_BASEMAP_STYLE_LIGHT, 256, "en");
  Batch batch = { g_main_loop_new (NULL, FALSE), 0, 0, 0, 0 };
  guint n = 0;

  g_signal_connect (source, "received-data", G_CALLBACK (on_batch_received_data), &batch);
  g_signal_connect (source, "notify::pending", G_CALLBACK (on_batch_pending), &batch);
  g_signal_connect (source, "drained", G_CALLBACK (on_batch_drained), &batch);

  for (int y = 94; y < 97; y++)
    for (int x = 160; x < 163; x++, n++)
      shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), x, y, 8, NULL, on_batch_tile, &batch);

  g_assert_cmpuint (chrono_basemap_source_get_pending (source), ==, n);
  g_main_loop_run (batch.loop);

  g_assert_cmpuint (batch.completed, ==, n);
  g_assert_cmpuint (batch.emitted, ==, n);
  g_assert_cmpuint (batch.max_pending, ==, n);
  g_assert_cmpuint (batch.drained, ==, 1);
  g_assert_cmpuint (chrono_basemap_source_get_pending (source), ==, 0);
  g_main_loop_unref (batch.loop);
}

static void
test_map_source (void)
{
  g_autoptr(ShumateMapSource) light = chrono_basemap_source_new_map_source (CHRONO_BASEMAP_STYLE_LIGHT, 256, "en");
  g_autoptr(ShumateMapSource) dark = chrono_basemap_source_new_map_source (CHRONO_BASEMAP_STYLE_DARK, 512, "fr");

  g_assert_cmpuint (shumate_map_source_get_min_zoom_level (light), ==, 0);
  g_assert_cmpuint (shumate_map_source_get_max_zoom_level (light), ==, 12);
  g_assert_cmpuint (shumate_map_source_get_tile_size (dark), ==, 512);
  g_assert_cmpstr (shumate_map_source_get_id (light), !=, shumate_map_source_get_id (dark));
  g_assert_nonnull (strstr (shumate_map_source_get_id (dark), "dark"));
  g_assert_nonnull (strstr (shumate_map_source_get_license (light), "OpenStreetMap"));
  g_assert_nonnull (strstr (shumate_map_source_get_license (light), "GeoNames"));
  g_assert_nonnull (strstr (chrono_basemap_get_attribution_full (), "ODbL"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/basemap/caspian-is-water", test_caspian_is_water);
  g_test_add_func ("/basemap/yerevan-is-land", test_yerevan_is_land);
  g_test_add_func ("/basemap/sevan-is-water", test_sevan_is_water);
  g_test_add_func ("/basemap/styles-differ", test_styles_differ);
  g_test_add_func ("/basemap/neutral-has-no-borders", test_neutral_has_no_borders);
  g_test_add_func ("/basemap/background-color", test_background_color);
  g_test_add_func ("/basemap/band-edges", test_band_edges);
  g_test_add_func ("/basemap/tile-size-512", test_tile_size_512);
  g_test_add_func ("/basemap/language", test_language);
  g_test_add_func ("/basemap/dataset-places", test_dataset_places);
  g_test_add_func ("/basemap/label-boxes", test_label_boxes);
  g_test_add_func ("/basemap/label-scale", test_label_scale);
  g_test_add_func ("/basemap/received-data-once", test_received_data_once);
  g_test_add_func ("/basemap/cancel", test_cancel);
  g_test_add_func ("/basemap/out-of-range", test_out_of_range);
  g_test_add_func ("/basemap/pending", test_pending);
  g_test_add_func ("/basemap/map-source", test_map_source);

  return g_test_run ();
}
