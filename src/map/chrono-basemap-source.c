/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-basemap-source"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <pango/pangocairo.h>

#include "chrono-basemap-source.h"
#include "chrono-basemap-map-source.h"
#include "chrono-map-resources.h"
#include "chrono-place.h"

/*
 * ChronoBasemapSource draws the offline basemap (data/basemap/layers, shipped
 * as a GResource) into PNG tiles. The layers are parsed once, on first use,
 * into Web Mercator coordinates in [0, 1] with a bounding box per feature;
 * that data is immutable afterwards and shared by every instance and every
 * worker thread. Each tile is drawn by cairo in a worker thread from a copy of
 * the request (style, size, language, label scale), never from the source
 * object itself.
 *
 * libshumate 1.0 decodes the pixels in its `received-data` handler, not from
 * the finish result, so the bytes are emitted on the main thread before the
 * task returns (platform notes, section 1).
 */

#define RESOURCE_BASE "/io/github/chronotope/Chronotope/basemap/"
#define WEB_MERCATOR_MAX_LAT 85.0511287798
/* Labels whose anchor lies this far outside a tile (in 256-pixel units) are
 * placed too, so that the neighbouring tiles draw the same labels. */
#define LABEL_MARGIN 128.0
/* A basemap place this close to a place of the dataset is left to the event
 * layer, which labels the dataset's places: GeoNames and the dataset put a
 * town's point up to a few kilometres apart. */
#define SKIP_RADIUS_KM 4.0
#define EARTH_CIRCUMFERENCE_KM 40075.017

typedef enum
{
  ROLE_LAND,
  ROLE_LAKES,
  ROLE_ISLANDS,
  ROLE_RIVERS,
  ROLE_BORDERS,
  ROLE_PLACES,
  N_ROLES
} Role;

static const char * const role_names[N_ROLES] = {
  "land", "lakes", "islands", "rivers", "borders", "places",
};

typedef enum
{
  KIND_POLYGON,
  KIND_LINE,
  KIND_POINT,
} LayerKind;

typedef struct
{
  double x0, y0, x1, y1;
} Box;

typedef struct
{
  Box   bbox;
  guint first_part;
  guint n_parts;
  int   level;
} Feature;

typedef struct
{
  guint first;
  guint n;
} Part;

typedef struct
{
  double      x, y;
  int         min_zoom;
  gint64      population;
  gboolean    is_sea;
  gboolean    is_capital;
  gboolean    is_key;
  char       *name;
  GHashTable *names;        /* language → label */
} Place;

typedef struct
{
  LayerKind   kind;
  GArray     *features;     /* Feature */
  GArray     *parts;        /* Part */
  GArray     *xy;           /* double pairs, Web Mercator [0, 1] */
  GByteArray *on_clip;      /* per vertex: the segment to the next one is a clip edge */
  GArray     *places;       /* Place */
} Layer;

typedef struct
{
  char  *id;
  int    min_zoom;
  int    max_zoom;
  Box    box;
  int    outside;           /* index of the band drawn outside the box, or -1 */
  Layer *layers[N_ROLES];
} Band;

typedef struct
{
  Band     bands[8];
  guint    n_bands;
  Role     draw_order[N_ROLES];
  guint    n_draw_order;
  gboolean style_roles[3][N_ROLES];
} BasemapData;

typedef struct
{
  double r, g, b, a;
} Rgba;

typedef struct
{
  Rgba water;
  Rgba land;
  Rgba shore;
  Rgba river;
  Rgba border;
  Rgba border_halo;
  Rgba label;
  Rgba label_halo;
  Rgba sea_label;
  Rgba dot;
} Palette;

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex) & 0xff) / 255.0, 1.0 }
#define RGBA(hex, alpha) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex) & 0xff) / 255.0, alpha }

static const Palette palettes[3] = {
  [CHRONO_BASEMAP_STYLE_LIGHT] = {
    .water = RGB (0xaad3df),
    .land = RGB (0xf2efe9),
    .shore = RGBA (0x7fa9ba, 0.6),
    .river = RGB (0x8ec3d4),
    .border = RGB (0x8f7a9c),
    .border_halo = RGBA (0xb8a6c4, 0.35),
    .label = RGB (0x2e3436),
    .label_halo = RGBA (0xffffff, 0.9),
    .sea_label = RGB (0x3d7189),
    .dot = RGB (0x4a4f55),
  },
  [CHRONO_BASEMAP_STYLE_DARK] = {
    .water = RGB (0x1c2733),
    .land = RGB (0x33363b),
    .shore = RGBA (0x4d6478, 0.7),
    .river = RGB (0x355066),
    .border = RGB (0xa892b8),
    .border_halo = RGBA (0x8a76a0, 0.25),
    .label = RGB (0xeeeeec),
    .label_halo = RGBA (0x1e1e1e, 0.85),
    .sea_label = RGB (0x86a9c2),
    .dot = RGB (0xd0d0cc),
  },
  [CHRONO_BASEMAP_STYLE_NEUTRAL] = {
    .water = RGB (0xb3cdd6),
    .land = RGB (0xefece4),
    .shore = RGBA (0x8aaebb, 0.6),
    .river = RGB (0x9cc4d2),
    .border = RGB (0x000000),
    .border_halo = RGBA (0x000000, 0.0),
    .label = RGB (0x000000),
    .label_halo = RGBA (0xffffff, 0.0),
    .sea_label = RGB (0x000000),
    .dot = RGB (0x000000),
  },
};

typedef struct
{
  ChronoBasemapStyle  style;
  guint               tile_size;
  char               *language;
  double              label_scale;
  GArray             *skip;     /* shared, immutable: Web Mercator x/y pairs */
  int                 x;
  int                 y;
  int                 zoom;
  GCancellable       *cancellable;
  gboolean            as_surface;   /* pixels for chrono_basemap_source_render_async () */
} TileJob;

/* What one tile's drawing needs: the transform from Web Mercator to pixels. */
typedef struct
{
  cairo_t       *cr;
  const TileJob *job;
  const Palette *palette;
  double         scale;     /* pixels per Web Mercator unit */
  double         ox, oy;    /* pixel origin of the tile in world pixels */
  double         k;         /* tile_size / 256 */
  Box            view;      /* the tile in Web Mercator units */
} DrawContext;

struct _ChronoBasemapSource
{
  ShumateDataSource  parent_instance;

  ChronoBasemapStyle style;
  guint              tile_size;
  char              *language;
  double             label_scale;
  GArray            *skip;      /* of double x/y pairs, sorted by x; never changed once set */
  char              *skip_digest;
  guint              pending;
};

G_DEFINE_FINAL_TYPE (ChronoBasemapSource, chrono_basemap_source, SHUMATE_TYPE_DATA_SOURCE)

G_DEFINE_QUARK (chrono-basemap-error-quark, chrono_basemap_error)

enum {
  PROP_0,
  PROP_STYLE,
  PROP_TILE_SIZE,
  PROP_LANGUAGE,
  PROP_LABEL_SCALE,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DRAINED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Loading ---------------------------------------------------------------- */

static void
project (double  lon,
         double  lat,
         double *x,
         double *y)
{
  double phi;

  lat = CLAMP (lat, -WEB_MERCATOR_MAX_LAT, WEB_MERCATOR_MAX_LAT);
  phi = lat * G_PI / 180.0;
  *x = (lon + 180.0) / 360.0;
  *y = (1.0 - log (tan (phi) + 1.0 / cos (phi)) / G_PI) / 2.0;
}

static void
place_clear (gpointer data)
{
  Place *place = data;

  g_clear_pointer (&place->name, g_free);
  g_clear_pointer (&place->names, g_hash_table_unref);
}

static JsonParser *
parse_resource (const char  *name,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *path = g_strconcat (RESOURCE_BASE, name, NULL);
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    return NULL;

  return g_steal_pointer (&parser);
}

static gboolean
on_clip_edge (gint64        x0,
              gint64        y0,
              gint64        x1,
              gint64        y1,
              const gint64  clip[4])
{
  return (x0 == x1 && (x0 == clip[0] || x0 == clip[2])) ||
         (y0 == y1 && (y0 == clip[1] || y0 == clip[3]));
}

static void
read_place (Layer      *layer,
            JsonObject *feature,
            double      scale)
{
  JsonObject *props = json_object_get_object_member (feature, "p");
  JsonArray *g = json_object_get_array_member (feature, "g");
  Place place = { 0 };
  const char *fc;

  if (props == NULL || g == NULL || json_array_get_length (g) < 2)
    return;

  project (json_array_get_int_element (g, 0) / scale,
           json_array_get_int_element (g, 1) / scale,
           &place.x, &place.y);
  place.name = g_strdup (json_object_get_string_member_with_default (props, "name", ""));
  place.min_zoom = json_object_get_int_member_with_default (props, "mz", 12);
  if (json_object_has_member (props, "pop") && !json_object_get_null_member (props, "pop"))
    place.population = json_object_get_int_member (props, "pop");
  fc = json_object_get_string_member_with_default (props, "fc", "");
  place.is_sea = g_str_equal (fc, "SEA");
  place.is_capital = g_str_equal (fc, "PPLC");
  place.is_key = json_object_has_member (props, "key");

  if (json_object_has_member (props, "names"))
    {
      JsonObject *names = json_object_get_object_member (props, "names");
      g_autoptr(GList) members = names ? json_object_get_members (names) : NULL;

      place.names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (const GList *l = members; l != NULL; l = l->next)
        g_hash_table_insert (place.names, g_strdup (l->data),
                             g_strdup (json_object_get_string_member (names, l->data)));
    }

  g_array_append_val (layer->places, place);
}

static Layer *
load_layer (const char  *id,
            GError     **error)
{
  g_autofree char *file = g_strconcat ("layers/", id, ".json", NULL);
  g_autoptr(JsonParser) parser = parse_resource (file, error);
  JsonObject *root;
  JsonArray *features;
  JsonArray *clip_units;
  const char *kind;
  gint64 clip[4] = { 0 };
  double scale;
  Layer *layer;

  if (parser == NULL)
    return NULL;

  root = json_node_get_object (json_parser_get_root (parser));
  features = json_object_get_array_member (root, "features");
  clip_units = json_object_get_array_member (root, "clip_units");
  scale = json_object_get_double_member_with_default (root, "scale", 0);
  kind = json_object_get_string_member_with_default (root, "kind", "");

  if (features == NULL || clip_units == NULL || json_array_get_length (clip_units) != 4 || scale <= 0)
    {
      g_set_error (error, CHRONO_BASEMAP_ERROR, CHRONO_BASEMAP_ERROR_DATA,
                   "The basemap layer “%s” is not in the expected format", id);
      return NULL;
    }

  for (guint i = 0; i < 4; i++)
    clip[i] = json_array_get_int_element (clip_units, i);

  layer = g_new0 (Layer, 1);
  layer->kind = g_str_equal (kind, "polygon") ? KIND_POLYGON : g_str_equal (kind, "line") ? KIND_LINE : KIND_POINT;
  layer->features = g_array_new (FALSE, FALSE, sizeof (Feature));
  layer->parts = g_array_new (FALSE, FALSE, sizeof (Part));
  layer->xy = g_array_new (FALSE, FALSE, sizeof (double));
  layer->on_clip = g_byte_array_new ();
  layer->places = g_array_new (FALSE, TRUE, sizeof (Place));
  g_array_set_clear_func (layer->places, place_clear);

  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      JsonObject *f = json_array_get_object_element (features, i);
      JsonObject *props;
      JsonArray *parts;
      Feature feature = { { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE }, layer->parts->len, 0, 0 };

      if (layer->kind == KIND_POINT)
        {
          read_place (layer, f, scale);
          continue;
        }

      props = json_object_get_object_member (f, "p");
      if (props != NULL)
        feature.level = json_object_get_int_member_with_default (props, "level", 0);

      parts = json_object_get_array_member (f, "g");
      if (parts == NULL)
        continue;

      for (guint k = 0; k < json_array_get_length (parts); k++)
        {
          JsonArray *a = json_array_get_array_element (parts, k);
          guint len = json_array_get_length (a);
          Part part = { layer->xy->len / 2, 0 };
          gint64 x = 0, y = 0, x_first = 0, y_first = 0, x_prev = 0, y_prev = 0;

          for (guint j = 0; j + 1 < len; j += 2)
            {
              double mx, my;
              guint8 flag = 0;

              x += json_array_get_int_element (a, j);
              y += json_array_get_int_element (a, j + 1);
              if (j == 0)
                {
                  x_first = x;
                  y_first = y;
                }
              else
                {
                  flag = on_clip_edge (x_prev, y_prev, x, y, clip);
                  layer->on_clip->data[layer->on_clip->len - 1] = flag;
                }
              x_prev = x;
              y_prev = y;

              project (x / scale, y / scale, &mx, &my);
              g_array_append_val (layer->xy, mx);
              g_array_append_val (layer->xy, my);
              flag = 0;
              g_byte_array_append (layer->on_clip, &flag, 1);
              part.n++;

              feature.bbox.x0 = MIN (feature.bbox.x0, mx);
              feature.bbox.y0 = MIN (feature.bbox.y0, my);
              feature.bbox.x1 = MAX (feature.bbox.x1, mx);
              feature.bbox.y1 = MAX (feature.bbox.y1, my);
            }

          if (part.n == 0)
            continue;

          /* A ring closes implicitly: its last segment may lie on the clip box too. */
          if (layer->kind == KIND_POLYGON)
            layer->on_clip->data[layer->on_clip->len - 1] = on_clip_edge (x_prev, y_prev, x_first, y_first, clip);

          g_array_append_val (layer->parts, part);
          feature.n_parts++;
        }

      if (feature.n_parts > 0)
        g_array_append_val (layer->features, feature);
    }

  return layer;
}

typedef struct
{
  char *line;   /* every source, on one line */
  char *full;   /* one line per source */
} Attribution;

static char *
read_attribution (char **full)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (RESOURCE_BASE "ATTRIBUTION", G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GString) shorts = g_string_new (NULL);
  g_autoptr(GString) longs = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;

  if (bytes == NULL)
    {
      *full = g_strdup ("");
      return g_strdup ("");
    }

  lines = g_strsplit (g_bytes_get_data (bytes, NULL) ? (const char *) g_bytes_get_data (bytes, NULL) : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      fields = g_strsplit (lines[i], "\t", 3);
      if (g_strv_length (fields) < 3)
        continue;
      if (shorts->len > 0)
        g_string_append (shorts, " · ");
      g_string_append (shorts, fields[1]);
      if (longs->len > 0)
        g_string_append_c (longs, '\n');
      g_string_append (longs, g_strstrip (fields[2]));
    }

  *full = g_string_free (g_steal_pointer (&longs), FALSE);
  return g_string_free (g_steal_pointer (&shorts), FALSE);
}

static gboolean
load_data (BasemapData  *data,
           GError      **error)
{
  g_autoptr(JsonParser) parser = parse_resource ("layers/index.json", error);
  JsonObject *root;
  JsonArray *bands;
  JsonArray *order;
  JsonObject *styles;

  if (parser == NULL)
    return FALSE;

  root = json_node_get_object (json_parser_get_root (parser));
  bands = json_object_get_array_member (root, "bands");
  order = json_object_get_array_member (root, "draw_order");
  styles = json_object_get_object_member (root, "styles");
  if (bands == NULL || order == NULL || styles == NULL)
    {
      g_set_error_literal (error, CHRONO_BASEMAP_ERROR, CHRONO_BASEMAP_ERROR_DATA,
                           "The basemap index is not in the expected format");
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (order) && data->n_draw_order < N_ROLES; i++)
    {
      const char *name = json_array_get_string_element (order, i);

      for (guint r = 0; r < N_ROLES; r++)
        if (g_strcmp0 (name, role_names[r]) == 0)
          data->draw_order[data->n_draw_order++] = r;
    }

  for (guint s = 0; s < G_N_ELEMENTS (data->style_roles); s++)
    {
      JsonArray *roles = json_object_get_array_member (styles, chrono_basemap_style_to_string (s));

      for (guint i = 0; roles != NULL && i < json_array_get_length (roles); i++)
        for (guint r = 0; r < N_ROLES; r++)
          if (g_strcmp0 (json_array_get_string_element (roles, i), role_names[r]) == 0)
            data->style_roles[s][r] = TRUE;
    }

  for (guint i = 0; i < json_array_get_length (bands) && data->n_bands < G_N_ELEMENTS (data->bands); i++)
    {
      JsonObject *b = json_array_get_object_element (bands, i);
      JsonArray *zoom = json_object_get_array_member (b, "zoom");
      JsonArray *box = json_object_get_array_member (b, "box");
      JsonObject *layers = json_object_get_object_member (b, "layers");
      Band *band = &data->bands[data->n_bands++];

      if (zoom == NULL || box == NULL || layers == NULL || json_array_get_length (box) != 4)
        {
          g_set_error_literal (error, CHRONO_BASEMAP_ERROR, CHRONO_BASEMAP_ERROR_DATA,
                               "The basemap index has a band in an unexpected format");
          return FALSE;
        }

      band->id = g_strdup (json_object_get_string_member (b, "id"));
      band->min_zoom = json_array_get_int_element (zoom, 0);
      band->max_zoom = json_array_get_int_element (zoom, 1);
      band->outside = -1;
      /* North is the smaller Mercator y. */
      project (json_array_get_double_element (box, 0), json_array_get_double_element (box, 3),
               &band->box.x0, &band->box.y0);
      project (json_array_get_double_element (box, 2), json_array_get_double_element (box, 1),
               &band->box.x1, &band->box.y1);

      for (guint r = 0; r < N_ROLES; r++)
        {
          const char *id = json_object_get_string_member_with_default (layers, role_names[r], NULL);

          if (id == NULL)
            continue;
          band->layers[r] = load_layer (id, error);
          if (band->layers[r] == NULL)
            return FALSE;
        }
    }

  for (guint i = 0; i < json_array_get_length (bands) && i < data->n_bands; i++)
    {
      JsonObject *b = json_array_get_object_element (bands, i);
      const char *outside = json_object_get_string_member_with_default (b, "outside", NULL);

      for (guint j = 0; outside != NULL && j < data->n_bands; j++)
        if (g_strcmp0 (outside, data->bands[j].id) == 0 && j != i)
          data->bands[i].outside = j;
    }


  return TRUE;
}

static gpointer
load_data_once (gpointer user_data)
{
  BasemapData *data = g_new0 (BasemapData, 1);
  g_autoptr(GError) error = NULL;

  /* The data is compiled into the program: failing here is a build defect. */
  if (!load_data (data, &error))
    g_critical ("Cannot load the offline basemap: %s", error->message);

  return data;
}

/* Loaded on first use and kept for the life of the process. */
static const BasemapData *
get_data (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, load_data_once, NULL);
}

static gpointer
preload_thread (gpointer user_data)
{
  /* class_init registers the resources the data comes from */
  g_type_class_unref (g_type_class_ref (CHRONO_TYPE_BASEMAP_SOURCE));
  get_data ();
  return NULL;
}

/**
 * chrono_basemap_source_preload:
 *
 * Starts reading the offline basemap's layers on a thread, so that they are
 * ready, or nearly, when the first map asks for them: call it at start, before
 * the slow parts of starting GTK. Only the first call does anything.
 */
void
chrono_basemap_source_preload (void)
{
  static gsize started = 0;

  if (g_once_init_enter (&started))
    {
      g_thread_unref (g_thread_new ("basemap-preload", preload_thread, NULL));
      g_once_init_leave (&started, 1);
    }
}

/* Drawing ---------------------------------------------------------------- */

static void
set_source (cairo_t    *cr,
            const Rgba *c)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
}

static gboolean
box_intersects (const Box *a,
                const Box *b)
{
  return a->x0 <= b->x1 && b->x0 <= a->x1 && a->y0 <= b->y1 && b->y0 <= a->y1;
}

static gboolean
box_contains (const Box *outer,
              const Box *inner)
{
  return outer->x0 <= inner->x0 && inner->x1 <= outer->x1 && outer->y0 <= inner->y0 && inner->y1 <= outer->y1;
}

static gboolean
box_contains_point (const Box *box,
                    double     x,
                    double     y)
{
  return box->x0 <= x && x <= box->x1 && box->y0 <= y && y <= box->y1;
}

/* Adds the parts of one feature to the path, dropping vertices closer than a
 * quarter pixel to the previous one; with @skip_clip, segments along the clip
 * box (which are not real coast or border) are left out of the path. */
static void
append_feature_path (const DrawContext *ctx,
                     const Layer       *layer,
                     const Feature     *feature,
                     gboolean           close,
                     gboolean           skip_clip)
{
  const double *xy = (const double *) (gpointer) layer->xy->data;
  const double min_step = 0.25;

  for (guint p = 0; p < feature->n_parts; p++)
    {
      const Part *part = &g_array_index (layer->parts, Part, feature->first_part + p);
      double last_x = 0, last_y = 0;
      gboolean pen_down = FALSE;

      for (guint v = 0; v < part->n; v++)
        {
          guint i = part->first + v;
          double px = xy[2 * i] * ctx->scale - ctx->ox;
          double py = xy[2 * i + 1] * ctx->scale - ctx->oy;
          gboolean clip_before = skip_clip && v > 0 && layer->on_clip->data[i - 1];

          if (!pen_down || clip_before)
            {
              cairo_move_to (ctx->cr, px, py);
              pen_down = TRUE;
            }
          else if (v + 1 == part->n || fabs (px - last_x) + fabs (py - last_y) >= min_step ||
                   (skip_clip && layer->on_clip->data[i]))
            cairo_line_to (ctx->cr, px, py);
          else
            continue;

          last_x = px;
          last_y = py;
        }

      if (close)
        cairo_close_path (ctx->cr);
    }
}

static void
fill_layer (const DrawContext *ctx,
            const Layer       *layer,
            const Rgba        *color)
{
  for (guint f = 0; f < layer->features->len; f++)
    {
      const Feature *feature = &g_array_index (layer->features, Feature, f);

      if (box_intersects (&feature->bbox, &ctx->view))
        append_feature_path (ctx, layer, feature, TRUE, FALSE);
    }

  cairo_set_fill_rule (ctx->cr, CAIRO_FILL_RULE_WINDING);
  set_source (ctx->cr, color);
  cairo_fill (ctx->cr);
}

/* Lake shores: a thin line, but never along the clip box. */
static void
stroke_outlines (const DrawContext *ctx,
                 const Layer       *layer,
                 const Rgba        *color,
                 double             width)
{
  const double *xy = (const double *) (gpointer) layer->xy->data;

  for (guint f = 0; f < layer->features->len; f++)
    {
      const Feature *feature = &g_array_index (layer->features, Feature, f);

      if (!box_intersects (&feature->bbox, &ctx->view))
        continue;

      append_feature_path (ctx, layer, feature, FALSE, TRUE);

      /* The implicit closing segment of each ring. */
      for (guint p = 0; p < feature->n_parts; p++)
        {
          const Part *part = &g_array_index (layer->parts, Part, feature->first_part + p);
          guint last = part->first + part->n - 1;

          if (part->n < 2 || layer->on_clip->data[last])
            continue;
          cairo_move_to (ctx->cr, xy[2 * last] * ctx->scale - ctx->ox, xy[2 * last + 1] * ctx->scale - ctx->oy);
          cairo_line_to (ctx->cr, xy[2 * part->first] * ctx->scale - ctx->ox, xy[2 * part->first + 1] * ctx->scale - ctx->oy);
        }
    }

  set_source (ctx->cr, color);
  cairo_set_line_width (ctx->cr, width);
  cairo_set_line_join (ctx->cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (ctx->cr);
}

static void
draw_rivers (const DrawContext *ctx,
             const Layer       *layer)
{
  static const double dash[] = { 3.0, 2.0 };
  int zoom = ctx->job->zoom;
  double zoom_factor = zoom >= 11 ? 1.3 : zoom >= 9 ? 1.0 : 0.8;
  int max_level = zoom <= 8 ? 2 : zoom == 9 ? 3 : 10;

  cairo_set_line_cap (ctx->cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (ctx->cr, CAIRO_LINE_JOIN_ROUND);
  set_source (ctx->cr, &ctx->palette->river);

  for (guint f = 0; f < layer->features->len; f++)
    {
      const Feature *feature = &g_array_index (layer->features, Feature, f);
      gboolean intermittent = feature->level >= 5 && feature->level <= 7;
      int level = intermittent ? 4 : CLAMP (feature->level, 1, 4);
      double width = (2.0 - 0.35 * (level - 1)) * zoom_factor * ctx->k;

      if (zoom <= 7)
        width = (level == 1 ? 1.1 : 0.7) * ctx->k;

      if ((!intermittent && feature->level > max_level) || (intermittent && zoom < 10) ||
          !box_intersects (&feature->bbox, &ctx->view))
        continue;

      append_feature_path (ctx, layer, feature, FALSE, TRUE);
      cairo_set_line_width (ctx->cr, width);
      if (intermittent)
        {
          double scaled[2] = { dash[0] * ctx->k, dash[1] * ctx->k };

          cairo_set_dash (ctx->cr, scaled, 2, 0);
        }
      cairo_stroke (ctx->cr);
      cairo_set_dash (ctx->cr, NULL, 0, 0);
    }
}

static void
draw_borders (const DrawContext *ctx,
              const Layer       *layer)
{
  int zoom = ctx->job->zoom;
  double k = ctx->k;
  double width = (zoom <= 2 ? 0.6 : zoom <= 4 ? 0.8 : zoom <= 7 ? 1.0 : zoom <= 10 ? 1.3 : 1.6) * k;
  double dash[] = { 7.0 * k, 2.5 * k, 1.5 * k, 2.5 * k };

  for (guint f = 0; f < layer->features->len; f++)
    {
      const Feature *feature = &g_array_index (layer->features, Feature, f);

      if (box_intersects (&feature->bbox, &ctx->view))
        append_feature_path (ctx, layer, feature, FALSE, TRUE);
    }

  cairo_set_line_join (ctx->cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (ctx->cr, CAIRO_LINE_CAP_BUTT);

  if (zoom >= 5)
    {
      set_source (ctx->cr, &ctx->palette->border_halo);
      cairo_set_line_width (ctx->cr, width * 3.5);
      cairo_stroke_preserve (ctx->cr);
      cairo_set_dash (ctx->cr, dash, G_N_ELEMENTS (dash), 0);
    }

  set_source (ctx->cr, &ctx->palette->border);
  cairo_set_line_width (ctx->cr, width);
  cairo_stroke (ctx->cr);
  cairo_set_dash (ctx->cr, NULL, 0, 0);
}

static void
draw_layer (const DrawContext *ctx,
            Role               role,
            const Layer       *layer)
{
  const Palette *palette = ctx->palette;

  switch (role)
    {
    case ROLE_LAND:
      fill_layer (ctx, layer, &palette->land);
      break;
    case ROLE_LAKES:
      fill_layer (ctx, layer, &palette->water);
      if (ctx->job->zoom >= 8)
        stroke_outlines (ctx, layer, &palette->shore, 0.6 * ctx->k);
      break;
    case ROLE_ISLANDS:
      fill_layer (ctx, layer, &palette->land);
      break;
    case ROLE_RIVERS:
      draw_rivers (ctx, layer);
      break;
    case ROLE_BORDERS:
      draw_borders (ctx, layer);
      break;
    case ROLE_PLACES:
    case N_ROLES:
    default:
      break;
    }
}

static void
draw_band (const DrawContext *ctx,
           const BasemapData *data,
           const Band        *band,
           guint              depth)
{
  gboolean inside = box_contains (&band->box, &ctx->view);

  if (!inside && band->outside >= 0 && depth < data->n_bands)
    draw_band (ctx, data, &data->bands[band->outside], depth + 1);

  if (!box_intersects (&band->box, &ctx->view))
    return;

  cairo_save (ctx->cr);

  if (!inside)
    {
      /* A pixel-aligned clip one pixel inside the box: the band's land
       * ends exactly on the box, so its anti-aliased last pixel would let
       * the water painted here show as a seam along the box. */
      double x0 = ceil (band->box.x0 * ctx->scale) + 1 - ctx->ox;
      double y0 = ceil (band->box.y0 * ctx->scale) + 1 - ctx->oy;
      double x1 = floor (band->box.x1 * ctx->scale) - 1 - ctx->ox;
      double y1 = floor (band->box.y1 * ctx->scale) - 1 - ctx->oy;

      cairo_rectangle (ctx->cr, x0, y0, x1 - x0, y1 - y0);
      cairo_clip (ctx->cr);
      set_source (ctx->cr, &ctx->palette->water);
      cairo_paint (ctx->cr);
    }

  for (guint i = 0; i < data->n_draw_order; i++)
    {
      Role role = data->draw_order[i];

      if (band->layers[role] != NULL && data->style_roles[ctx->job->style][role])
        draw_layer (ctx, role, band->layers[role]);
    }

  cairo_restore (ctx->cr);
}

typedef struct
{
  const Place *place;
  guint        priority;
} Candidate;

/* Places of @band whose anchor lies inside its box but outside @inner, then
 * those of the bands drawn around it; in priority (file) order. */
static void
collect_places (const DrawContext *ctx,
                const BasemapData *data,
                const Band        *band,
                const Box         *inner,
                const Box         *area,
                GArray            *candidates,
                guint              depth)
{
  const Layer *layer = band->layers[ROLE_PLACES];

  if (layer != NULL)
    {
      for (guint i = 0; i < layer->places->len; i++)
        {
          const Place *place = &g_array_index (layer->places, Place, i);
          Candidate candidate = { place, candidates->len };

          if (place->min_zoom > ctx->job->zoom ||
              !box_contains_point (area, place->x, place->y) ||
              !box_contains_point (&band->box, place->x, place->y) ||
              (inner != NULL && box_contains_point (inner, place->x, place->y)))
            continue;

          g_array_append_val (candidates, candidate);
        }
    }

  if (band->outside >= 0 && depth < data->n_bands && !box_contains (&band->box, area))
    collect_places (ctx, data, &data->bands[band->outside], &band->box, area, candidates, depth + 1);
}

static const char *
place_label (const Place *place,
             const char  *language)
{
  const char *label = NULL;

  if (place->names != NULL)
    label = g_hash_table_lookup (place->names, language);
  if (label == NULL || *label == '\0')
    label = place->name;

  return label;
}

/* Whether a place of the dataset lies within SKIP_RADIUS_KM of (@x, @y). */
static gboolean
is_skipped (const GArray *skip,
            double        x,
            double        y)
{
  const double *xy;
  double lat, radius;
  guint lo = 0, hi;

  if (skip == NULL || skip->len == 0)
    return FALSE;

  /* A kilometre spans more Mercator units away from the equator */
  lat = atan (sinh (G_PI * (1.0 - 2.0 * y)));
  radius = SKIP_RADIUS_KM / (EARTH_CIRCUMFERENCE_KM * cos (lat));

  xy = (const double *) (gpointer) skip->data;
  hi = skip->len / 2;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (xy[2 * mid] < x - radius)
        lo = mid + 1;
      else
        hi = mid;
    }

  for (guint i = lo; i < skip->len / 2 && xy[2 * i] <= x + radius; i++)
    if (hypot (xy[2 * i] - x, xy[2 * i + 1] - y) <= radius)
      return TRUE;

  return FALSE;
}

static gboolean
overlaps_any (GArray                     *placed,
              const cairo_rectangle_t    *r)
{
  for (guint i = 0; i < placed->len; i++)
    {
      const cairo_rectangle_t *o = &g_array_index (placed, cairo_rectangle_t, i);

      if (r->x < o->x + o->width && o->x < r->x + r->width &&
          r->y < o->y + o->height && o->y < r->y + r->height)
        return TRUE;
    }

  return FALSE;
}

/* Places the names of the places in @ctx's view as a tile does, and draws
 * them; with @out_boxes, draws nothing and adds there, in @ctx's pixels,
 * the box of each name placed with its dot. */
static void
draw_labels (const DrawContext *ctx,
             const BasemapData *data,
             const Band        *band,
             GArray            *out_boxes)
{
  const double margin = LABEL_MARGIN * ctx->job->label_scale / 256.0 / (1 << ctx->job->zoom);
  const Palette *palette = ctx->palette;
  /* Names, dots and the room between them grow with the label scale */
  double k = ctx->k * ctx->job->label_scale;
  Box area = { ctx->view.x0 - margin, ctx->view.y0 - margin, ctx->view.x1 + margin, ctx->view.y1 + margin };
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autoptr(GArray) placed = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_t));
  g_autoptr(GArray) anchors = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_t));
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (ctx->cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans");
  cairo_font_options_t *options = cairo_font_options_create ();

  collect_places (ctx, data, band, NULL, &area, candidates, 0);
  if (candidates->len == 0)
    {
      cairo_font_options_destroy (options);
      return;
    }

  /* Unhinted metrics so a label measures the same in every tile. */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pango_layout_get_context (layout), options);
  pango_layout_context_changed (layout);
  cairo_font_options_destroy (options);

  for (guint i = 0; i < candidates->len; i++)
    {
      const Place *place = g_array_index (candidates, Candidate, i).place;
      double ax = place->x * ctx->scale - ctx->ox;
      double ay = place->y * ctx->scale - ctx->oy;
      gboolean major = place->is_capital || place->population >= 1000000;
      gboolean medium = place->is_key || place->population >= 100000;
      double size = place->is_sea ? 12.5 : major ? 13.0 : medium ? 12.0 : 11.0;
      double dot = place->is_sea ? 0 : (major ? 3.0 : medium ? 2.5 : 2.0) * k;
      double gap = 4.0 * k;
      PangoRectangle ink, logical;
      cairo_rectangle_t rect;
      double tx, ty;
      gboolean found = FALSE;

      if (!place->is_sea && is_skipped (ctx->job->skip, place->x, place->y))
        continue;

      /* Places a few pixels apart (a city and its district) get one label. */
      if (!place->is_sea)
        {
          cairo_rectangle_t spacing = { ax - 8 * k, ay - 8 * k, 16 * k, 16 * k };

          if (overlaps_any (anchors, &spacing))
            continue;
        }

      pango_font_description_set_absolute_size (font, size * k * PANGO_SCALE);
      pango_font_description_set_weight (font, major ? PANGO_WEIGHT_BOLD : medium ? PANGO_WEIGHT_SEMIBOLD : PANGO_WEIGHT_NORMAL);
      pango_font_description_set_style (font, place->is_sea ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
      pango_layout_set_font_description (layout, font);
      pango_layout_set_text (layout, place_label (place, ctx->job->language), -1);
      pango_layout_get_pixel_extents (layout, &ink, &logical);

      /* Right of the dot, then left of it; a sea label is centred. */
      for (guint attempt = 0; attempt < (place->is_sea ? 1u : 2u) && !found; attempt++)
        {
          if (place->is_sea)
            tx = ax - logical.width / 2.0;
          else if (attempt == 0)
            tx = ax + dot + gap;
          else
            tx = ax - dot - gap - logical.width;
          ty = ay - logical.height / 2.0;

          rect.x = tx - 2 * k;
          rect.y = ty;
          rect.width = logical.width + 4 * k;
          rect.height = logical.height;
          found = !overlaps_any (placed, &rect);
        }

      if (!found)
        continue;

      g_array_append_val (placed, rect);
      if (dot > 0)
        {
          cairo_rectangle_t dot_rect = { ax - dot - k, ay - dot - k, 2 * (dot + k), 2 * (dot + k) };
          cairo_rectangle_t anchor = { ax - k, ay - k, 2 * k, 2 * k };

          g_array_append_val (placed, dot_rect);
          g_array_append_val (anchors, anchor);
        }

      if (out_boxes != NULL)
        {
          /* The name as drawn, halo included, and its dot */
          double halo = 1.5 * k;
          double x0 = MIN (rect.x, ax - dot - k) - halo, y0 = MIN (rect.y, ay - dot - k) - halo;
          double x1 = MAX (rect.x + rect.width, ax + dot + k) + halo;
          double y1 = MAX (rect.y + rect.height, ay + dot + k) + halo;
          cairo_rectangle_t box = { x0, y0, x1 - x0, y1 - y0 };

          g_array_append_val (out_boxes, box);
          continue;
        }

      /* Nothing to draw for a label and dot entirely outside this tile. */
      if ((rect.x > ctx->job->tile_size || rect.y > ctx->job->tile_size ||
           rect.x + rect.width < 0 || rect.y + rect.height < 0) &&
          (ax - dot - 2 * k > ctx->job->tile_size || ay - dot - 2 * k > ctx->job->tile_size ||
           ax + dot + 2 * k < 0 || ay + dot + 2 * k < 0))
        continue;

      if (dot > 0)
        {
          cairo_new_path (ctx->cr);
          cairo_arc (ctx->cr, ax, ay, dot, 0, 2 * G_PI);
          set_source (ctx->cr, &palette->label_halo);
          cairo_set_line_width (ctx->cr, 1.5 * k);
          cairo_stroke_preserve (ctx->cr);
          set_source (ctx->cr, &palette->dot);
          cairo_fill (ctx->cr);
        }

      cairo_move_to (ctx->cr, tx, ty);
      pango_cairo_layout_path (ctx->cr, layout);
      set_source (ctx->cr, &palette->label_halo);
      cairo_set_line_width (ctx->cr, 3.0 * k);
      cairo_set_line_join (ctx->cr, CAIRO_LINE_JOIN_ROUND);
      cairo_stroke (ctx->cr);

      cairo_move_to (ctx->cr, tx, ty);
      set_source (ctx->cr, place->is_sea ? &palette->sea_label : &palette->label);
      pango_cairo_show_layout (ctx->cr, layout);
    }
}

static cairo_status_t
write_to_byte_array (void                *closure,
                     const unsigned char *bytes,
                     unsigned int         length)
{
  g_byte_array_append (closure, bytes, length);
  return CAIRO_STATUS_SUCCESS;
}

static const Band *
band_for_zoom (const BasemapData *data,
               int                zoom)
{
  for (guint i = 0; i < data->n_bands; i++)
    if (data->bands[i].min_zoom <= zoom && zoom <= data->bands[i].max_zoom)
      return &data->bands[i];

  return NULL;
}

static gboolean
check_tile (int      x,
            int      y,
            int      zoom,
            GError **error)
{
  if (zoom < CHRONO_BASEMAP_MIN_ZOOM || zoom > CHRONO_BASEMAP_MAX_ZOOM ||
      x < 0 || y < 0 || x >= (1 << zoom) || y >= (1 << zoom))
    {
      g_set_error (error, CHRONO_BASEMAP_ERROR, CHRONO_BASEMAP_ERROR_OUT_OF_RANGE,
                   "The offline basemap has no tile %d/%d/%d", zoom, x, y);
      return FALSE;
    }

  return TRUE;
}

/* Runs in any thread: reads only @job and the immutable shared data. */
static cairo_surface_t *
render_tile_surface (const TileJob   *job,
                     cairo_format_t   format,
                     GError         **error)
{
  const BasemapData *data = get_data ();
  const Band *band = band_for_zoom (data, job->zoom);
  cairo_surface_t *surface;
  DrawContext ctx = { 0 };
  double world;

  if (!check_tile (job->x, job->y, job->zoom, error))
    return NULL;

  if (band == NULL)
    {
      g_set_error (error, CHRONO_BASEMAP_ERROR, CHRONO_BASEMAP_ERROR_DATA,
                   "The offline basemap has no data for zoom level %d", job->zoom);
      return NULL;
    }

  if (g_cancellable_set_error_if_cancelled (job->cancellable, error))
    return NULL;

  surface = cairo_image_surface_create (format, job->tile_size, job->tile_size);
  ctx.cr = cairo_create (surface);
  ctx.job = job;
  ctx.palette = &palettes[job->style];
  ctx.k = job->tile_size / 256.0;
  world = (double) (1 << job->zoom);
  ctx.scale = world * job->tile_size;
  ctx.ox = job->x * (double) job->tile_size;
  ctx.oy = job->y * (double) job->tile_size;
  ctx.view.x0 = job->x / world;
  ctx.view.y0 = job->y / world;
  ctx.view.x1 = (job->x + 1) / world;
  ctx.view.y1 = (job->y + 1) / world;

  set_source (ctx.cr, &ctx.palette->water);
  cairo_paint (ctx.cr);

  draw_band (&ctx, data, band, 0);

  if (data->style_roles[job->style][ROLE_PLACES] && !g_cancellable_is_cancelled (job->cancellable))
    draw_labels (&ctx, data, band, NULL);

  cairo_destroy (ctx.cr);
  cairo_surface_flush (surface);

  if (g_cancellable_set_error_if_cancelled (job->cancellable, error))
    {
      cairo_surface_destroy (surface);
      return NULL;
    }

  return surface;
}

/* The same as a PNG, RGB; any thread */
static GBytes *
render_tile (const TileJob  *job,
             GError        **error)
{
  g_autoptr(GByteArray) png = NULL;
  cairo_surface_t *surface = render_tile_surface (job, CAIRO_FORMAT_RGB24, error);
  cairo_status_t status;

  if (surface == NULL)
    return NULL;

  png = g_byte_array_sized_new (job->tile_size * job->tile_size / 2);
  status = cairo_surface_write_to_png_stream (surface, write_to_byte_array, png);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, CHRONO_BASEMAP_ERROR, CHRONO_BASEMAP_ERROR_DATA,
                   "Cannot encode the basemap tile %d/%d/%d: %s",
                   job->zoom, job->x, job->y, cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

/* Requests --------------------------------------------------------------- */

static TileJob *
tile_job_new (ChronoBasemapSource *self,
              int                  x,
              int                  y,
              int                  zoom,
              GCancellable        *cancellable)
{
  TileJob *job = g_new0 (TileJob, 1);

  job->style = self->style;
  job->tile_size = self->tile_size;
  job->language = g_strdup (self->language);
  job->label_scale = self->label_scale;
  job->skip = self->skip != NULL ? g_array_ref (self->skip) : NULL;
  job->x = x;
  job->y = y;
  job->zoom = zoom;
  job->cancellable = cancellable ? g_object_ref (cancellable) : NULL;

  return job;
}

static void
tile_job_free (gpointer data)
{
  TileJob *job = data;

  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->skip, g_array_unref);
  g_free (job->language);
  g_free (job);
}

static void
render_tile_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  const TileJob *job = task_data;
  GError *error = NULL;

  if (job->as_surface)
    {
      /* Opaque: the water is painted first */
      cairo_surface_t *surface = render_tile_surface (job, CAIRO_FORMAT_ARGB32, &error);

      if (surface == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, surface, (GDestroyNotify) cairo_surface_destroy);
    }
  else
    {
      GBytes *bytes = render_tile (job, &error);

      if (bytes == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
    }
}

static void
finish_request (ChronoBasemapSource *self)
{
  g_assert (self->pending > 0);

  self->pending--;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  if (self->pending == 0)
    g_signal_emit (self, signals[DRAINED], 0);
}

/* Main thread: publish the pixels (a PNG to shumate's raster renderer, or a
 * surface to render_async ()'s caller), then complete the request. */
static void
on_tile_rendered (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ChronoBasemapSource *self = CHRONO_BASEMAP_SOURCE (object);
  g_autoptr(GTask) task = user_data;
  const TileJob *job = g_task_get_task_data (task);
  GDestroyNotify free_pixels = job->as_surface ? (GDestroyNotify) cairo_surface_destroy
                                               : (GDestroyNotify) g_bytes_unref;
  gpointer pixels;
  GError *error = NULL;

  pixels = g_task_propagate_pointer (G_TASK (result), &error);

  if (pixels == NULL)
    g_task_return_error (task, error);
  else if (g_cancellable_set_error_if_cancelled (job->cancellable, &error))
    {
      free_pixels (pixels);
      g_task_return_error (task, error);
    }
  else
    {
      if (!job->as_surface)
        g_signal_emit_by_name (self, "received-data", job->x, job->y, job->zoom, pixels);
      g_task_return_pointer (task, pixels, free_pixels);
    }

  finish_request (self);
}

static void
start_request (ChronoBasemapSource *self,
               GTask               *task,
               int                  x,
               int                  y,
               int                  zoom,
               gboolean             as_surface)
{
  g_autoptr(GTask) worker = NULL;
  GError *error = NULL;
  TileJob *job;

  if (!check_tile (x, y, zoom, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  job = tile_job_new (self, x, y, zoom, g_task_get_cancellable (task));
  job->as_surface = as_surface;
  g_task_set_task_data (task, job, tile_job_free);

  self->pending++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);

  /* The worker's task has no cancellable so that its callback always runs
   * and the request is always counted down; the job checks it instead. */
  worker = g_task_new (self, NULL, on_tile_rendered, g_object_ref (task));
  g_task_set_source_tag (worker, render_tile_thread);
  g_task_set_task_data (worker, job, NULL);
  g_task_run_in_thread (worker, render_tile_thread);
}

/**
 * chrono_basemap_source_render_async:
 * @self: a #ChronoBasemapSource
 * @x: the tile's column
 * @y: its row
 * @zoom: its zoom level
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread with the pixels
 * @user_data: for @callback
 *
 * Draws a tile on a worker thread, as shumate_data_source_get_tile_data_async()
 * does, but gives its pixels rather than a PNG: for a map source that shows
 * them without encoding and decoding them (#ChronoBasemapMapSource). Counted
 * in #ChronoBasemapSource:pending like the other requests.
 */
void
chrono_basemap_source_render_async (ChronoBasemapSource *self,
                                    int                  x,
                                    int                  y,
                                    int                  zoom,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CHRONO_IS_BASEMAP_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, chrono_basemap_source_render_async);
  start_request (self, task, x, y, zoom, TRUE);
}

/**
 * chrono_basemap_source_render_finish:
 *
 * Returns: (transfer full): an opaque ARGB32 image surface of the tile's
 *   size, or %NULL with @error set
 */
cairo_surface_t *
chrono_basemap_source_render_finish (ChronoBasemapSource  *self,
                                     GAsyncResult         *result,
                                     GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
chrono_basemap_source_get_tile_data_async (ShumateDataSource   *source,
                                           int                  x,
                                           int                  y,
                                           int                  zoom,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  ChronoBasemapSource *self = CHRONO_BASEMAP_SOURCE (source);
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, chrono_basemap_source_get_tile_data_async);
  start_request (self, task, x, y, zoom, FALSE);
}

/* GObject ---------------------------------------------------------------- */

static void
chrono_basemap_source_finalize (GObject *object)
{
  ChronoBasemapSource *self = CHRONO_BASEMAP_SOURCE (object);

  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->skip, g_array_unref);
  g_clear_pointer (&self->skip_digest, g_free);

  G_OBJECT_CLASS (chrono_basemap_source_parent_class)->finalize (object);
}

static void
chrono_basemap_source_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  ChronoBasemapSource *self = CHRONO_BASEMAP_SOURCE (object);

  switch (prop_id)
    {
    case PROP_STYLE:
      g_value_set_enum (value, self->style);
      break;
    case PROP_TILE_SIZE:
      g_value_set_uint (value, self->tile_size);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_LABEL_SCALE:
      g_value_set_double (value, self->label_scale);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_basemap_source_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  ChronoBasemapSource *self = CHRONO_BASEMAP_SOURCE (object);

  switch (prop_id)
    {
    case PROP_STYLE:
      chrono_basemap_source_set_style (self, g_value_get_enum (value));
      break;
    case PROP_TILE_SIZE:
      chrono_basemap_source_set_tile_size (self, g_value_get_uint (value));
      break;
    case PROP_LANGUAGE:
      chrono_basemap_source_set_language (self, g_value_get_string (value));
      break;
    case PROP_LABEL_SCALE:
      chrono_basemap_source_set_label_scale (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_basemap_source_class_init (ChronoBasemapSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  /* The layers live in this static library's resource bundle, which the
   * linker would drop unless something refers to it. */
  g_resources_register (chrono_map_get_resource ());

  object_class->finalize = chrono_basemap_source_finalize;
  object_class->get_property = chrono_basemap_source_get_property;
  object_class->set_property = chrono_basemap_source_set_property;

  source_class->get_tile_data_async = chrono_basemap_source_get_tile_data_async;

  /**
   * ChronoBasemapSource:style:
   *
   * The palette, and whether borders and labels are drawn. Changing it
   * affects tiles requested afterwards; a map should get a new map source
   * (chrono_basemap_source_new_map_source()) so its tile cache is not mixed.
   */
  properties[PROP_STYLE] =
    g_param_spec_enum ("style", NULL, NULL,
                       CHRONO_TYPE_BASEMAP_STYLE, CHRONO_BASEMAP_STYLE_LIGHT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * ChronoBasemapSource:tile-size:
   *
   * 256 or 512 pixels; a 512 tile covers the same area at twice the resolution.
   */
  properties[PROP_TILE_SIZE] =
    g_param_spec_uint ("tile-size", NULL, NULL,
                       256, 512, 256,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * ChronoBasemapSource:language:
   *
   * The language of the place labels ("en", "fr", "hy", "az", "ru"…); places
   * without a curated name in it show their GeoNames name.
   */
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL,
                         "en",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * ChronoBasemapSource:label-scale:
   *
   * How big place names and their dots are drawn, relative to the map's
   * usual size: 2 for a projector at the back of a room. Part of the id
   * (chrono_basemap_source_dup_id()), so tiles of each scale are cached
   * apart; like the style, give a map a new map source rather than change it.
   */
  properties[PROP_LABEL_SCALE] =
    g_param_spec_double ("label-scale", NULL, NULL,
                         CHRONO_BASEMAP_MIN_LABEL_SCALE, CHRONO_BASEMAP_MAX_LABEL_SCALE, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * ChronoBasemapSource:pending:
   *
   * The number of tile requests not completed yet. An exporter waits for it
   * to drop to 0 (or for #ChronoBasemapSource::drained).
   */
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ChronoBasemapSource::drained:
   *
   * Emitted when the last outstanding tile request completes, after the
   * tile's pixels were handed to the map.
   */
  signals[DRAINED] =
    g_signal_new ("drained",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
chrono_basemap_source_init (ChronoBasemapSource *self)
{
  self->tile_size = 256;
  self->language = g_strdup ("en");
  self->label_scale = 1.0;
}

/* Public API ------------------------------------------------------------- */

/**
 * chrono_basemap_source_new:
 * @style: the style
 * @tile_size: 256 or 512
 * @language: (nullable): label language, "en" if %NULL
 *
 * Returns: (transfer full): a new data source for the offline basemap
 */
ChronoBasemapSource *
chrono_basemap_source_new (ChronoBasemapStyle  style,
                           guint               tile_size,
                           const char         *language)
{
  g_return_val_if_fail (tile_size == 256 || tile_size == 512, NULL);

  return g_object_new (CHRONO_TYPE_BASEMAP_SOURCE,
                       "style", style,
                       "tile-size", tile_size,
                       "language", language ? language : "en",
                       NULL);
}

/**
 * chrono_basemap_source_new_map_source:
 * @style: the style
 * @tile_size: 256 or 512
 * @language: (nullable): label language, "en" if %NULL
 *
 * A map source for shumate_simple_map_set_map_source(): a raster renderer
 * over a new #ChronoBasemapSource, zoom 0 to 12, with the attribution of
 * every source of the data as its license. Its id encodes style, size and
 * language, so shumate's tile cache never mixes two of them. The data
 * source is the renderer's #ShumateRasterRenderer:data-source.
 *
 * Returns: (transfer full): a new map source
 */
ShumateMapSource *
chrono_basemap_source_new_map_source (ChronoBasemapStyle  style,
                                      guint               tile_size,
                                      const char         *language)
{
  return chrono_basemap_source_new_map_source_full (style, tile_size, language, NULL);
}

/**
 * chrono_basemap_source_new_map_source_full:
 * @style: the style
 * @tile_size: 256 or 512
 * @language: (nullable): label language, "en" if %NULL
 * @dataset_places: (nullable) (element-type ChronoPlace): the places the
 *   event layer labels
 *
 * Like chrono_basemap_source_new_map_source(), but the basemap leaves out
 * its own label and dot for towns within a few kilometres of one of
 * @dataset_places (see chrono_basemap_source_set_dataset_places()), so that
 * one layer owns each label. The id also names the places left out.
 *
 * Returns: (transfer full): a new map source
 */
ShumateMapSource *
chrono_basemap_source_new_map_source_full (ChronoBasemapStyle  style,
                                           guint               tile_size,
                                           const char         *language,
                                           GPtrArray          *dataset_places)
{
  g_autoptr(ChronoBasemapSource) source = chrono_basemap_source_new (style, tile_size, language);

  g_return_val_if_fail (source != NULL, NULL);

  chrono_basemap_source_set_dataset_places (source, dataset_places);

  return chrono_basemap_source_dup_map_source (source);
}

/**
 * chrono_basemap_source_dup_map_source:
 * @self: a #ChronoBasemapSource
 *
 * A map source over @self as it is now, named by
 * chrono_basemap_source_dup_id(): for a source set up beyond what
 * chrono_basemap_source_new_map_source_full() takes (its label scale).
 *
 * Returns: (transfer full): a new map source
 */
ShumateMapSource *
chrono_basemap_source_dup_map_source (ChronoBasemapSource *self)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (CHRONO_IS_BASEMAP_SOURCE (self), NULL);

  id = chrono_basemap_source_dup_id (self);

  return chrono_basemap_map_source_new (self, id, _("Offline basemap"),
                                        chrono_basemap_get_attribution (), self->tile_size);
}

/**
 * chrono_basemap_source_dup_id:
 * @self: a #ChronoBasemapSource
 *
 * Returns: (transfer full): an id naming what the tiles look like, for caches
 */
char *
chrono_basemap_source_dup_id (ChronoBasemapSource *self)
{
  GString *id;

  g_return_val_if_fail (CHRONO_IS_BASEMAP_SOURCE (self), NULL);

  id = g_string_new (NULL);
  g_string_append_printf (id, "chronotope-basemap-%s-%u-%s",
                          chrono_basemap_style_to_string (self->style),
                          self->tile_size, self->language);
  if (self->skip_digest != NULL)
    g_string_append_printf (id, "-%s", self->skip_digest);
  /* Scale 1 keeps the ids that tiles were cached under before there was one */
  if (self->label_scale != 1.0)
    {
      char scale[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (id, "-labels%s", g_ascii_formatd (scale, sizeof scale, "%.3g", self->label_scale));
    }

  return g_string_free (id, FALSE);
}

static int
compare_points (gconstpointer a,
                gconstpointer b)
{
  const double *pa = a, *pb = b;

  if (pa[0] != pb[0])
    return pa[0] < pb[0] ? -1 : 1;
  return (pa[1] > pb[1]) - (pa[1] < pb[1]);
}

/* Countries, regions, routes and areas are labelled at a point of their own
 * choosing, which may fall on any town: only settlements and sites count. */
static gboolean
is_point_place (ChronoPlace *place)
{
  const char *kind = chrono_place_get_kind (place);
  const char *geometry = chrono_place_get_geometry (place);

  return (geometry == NULL || *geometry == '\0') &&
         g_strcmp0 (kind, "country") != 0 && g_strcmp0 (kind, "region") != 0;
}

/**
 * chrono_basemap_source_set_dataset_places:
 * @self: a #ChronoBasemapSource
 * @places: (nullable) (element-type ChronoPlace): the dataset's places
 *
 * The basemap draws no label and no dot for a place of its own within a few
 * kilometres of one of @places that is a point (a settlement or a site, not
 * a country, region, route or area): the event layer labels those. Affects
 * tiles requested afterwards and the id (chrono_basemap_source_dup_id()), so
 * give a map a new map source
 * (chrono_basemap_source_new_map_source_full()) rather than changing it.
 */
void
chrono_basemap_source_set_dataset_places (ChronoBasemapSource *self,
                                          GPtrArray           *places)
{
  g_autoptr(GArray) skip = NULL;
  g_autoptr(GChecksum) checksum = NULL;

  g_return_if_fail (CHRONO_IS_BASEMAP_SOURCE (self));

  g_clear_pointer (&self->skip, g_array_unref);
  g_clear_pointer (&self->skip_digest, g_free);

  skip = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; places != NULL && i < places->len; i++)
    {
      ChronoPlace *place = g_ptr_array_index (places, i);
      double xy[2];

      g_return_if_fail (CHRONO_IS_PLACE (place));
      if (!is_point_place (place))
        continue;

      project (chrono_place_get_lon (place), chrono_place_get_lat (place), &xy[0], &xy[1]);
      g_array_append_vals (skip, xy, 2);
    }

  if (skip->len == 0)
    return;

  qsort (skip->data, skip->len / 2, 2 * sizeof (double), compare_points);
  checksum = g_checksum_new (G_CHECKSUM_SHA1);
  g_checksum_update (checksum, (const guchar *) skip->data, skip->len * sizeof (double));
  self->skip_digest = g_strndup (g_checksum_get_string (checksum), 12);
  self->skip = g_steal_pointer (&skip);
}

ChronoBasemapStyle
chrono_basemap_source_get_style (ChronoBasemapSource *self)
{
  g_return_val_if_fail (CHRONO_IS_BASEMAP_SOURCE (self), CHRONO_BASEMAP_STYLE_LIGHT);

  return self->style;
}

void
chrono_basemap_source_set_style (ChronoBasemapSource *self,
                                 ChronoBasemapStyle   style)
{
  g_return_if_fail (CHRONO_IS_BASEMAP_SOURCE (self));
  g_return_if_fail (style <= CHRONO_BASEMAP_STYLE_NEUTRAL);

  if (self->style == style)
    return;

  self->style = style;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STYLE]);
}

guint
chrono_basemap_source_get_tile_size (ChronoBasemapSource *self)
{
  g_return_val_if_fail (CHRONO_IS_BASEMAP_SOURCE (self), 256);

  return self->tile_size;
}

void
chrono_basemap_source_set_tile_size (ChronoBasemapSource *self,
                                     guint                tile_size)
{
  g_return_if_fail (CHRONO_IS_BASEMAP_SOURCE (self));
  g_return_if_fail (tile_size == 256 || tile_size == 512);

  if (self->tile_size == tile_size)
    return;

  self->tile_size = tile_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TILE_SIZE]);
}

const char *
chrono_basemap_source_get_language (ChronoBasemapSource *self)
{
  g_return_val_if_fail (CHRONO_IS_BASEMAP_SOURCE (self), NULL);

  return self->language;
}

void
chrono_basemap_source_set_language (ChronoBasemapSource *self,
                                    const char          *language)
{
  g_return_if_fail (CHRONO_IS_BASEMAP_SOURCE (self));

  if (language == NULL || *language == '\0')
    language = "en";

  if (g_strcmp0 (self->language, language) == 0)
    return;

  g_free (self->language);
  self->language = g_strdup (language);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

double
chrono_basemap_source_get_label_scale (ChronoBasemapSource *self)
{
  g_return_val_if_fail (CHRONO_IS_BASEMAP_SOURCE (self), 1.0);

  return self->label_scale;
}

/* Affects tiles requested afterwards and the id (see ChronoBasemapSource:label-scale). */
void
chrono_basemap_source_set_label_scale (ChronoBasemapSource *self,
                                       double               label_scale)
{
  g_return_if_fail (CHRONO_IS_BASEMAP_SOURCE (self));
  g_return_if_fail (label_scale > 0);

  label_scale = CLAMP (label_scale, CHRONO_BASEMAP_MIN_LABEL_SCALE, CHRONO_BASEMAP_MAX_LABEL_SCALE);
  if (self->label_scale == label_scale)
    return;

  self->label_scale = label_scale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL_SCALE]);
}

guint
chrono_basemap_source_get_pending (ChronoBasemapSource *self)
{
  g_return_val_if_fail (CHRONO_IS_BASEMAP_SOURCE (self), 0);

  return self->pending;
}

/**
 * chrono_basemap_source_render_tile:
 * @self: a #ChronoBasemapSource
 * @x: tile column
 * @y: tile row (XYZ, north at 0)
 * @zoom: zoom level, 0 to 12
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Draws one tile on the calling thread, without emitting any signal: for
 * exports, benchmarks and tests. The map goes through
 * shumate_data_source_get_tile_data_async().
 *
 * Returns: (transfer full): the tile as PNG bytes, or %NULL with @error set
 */
GBytes *
chrono_basemap_source_render_tile (ChronoBasemapSource  *self,
                                   int                   x,
                                   int                   y,
                                   int                   zoom,
                                   GCancellable         *cancellable,
                                   GError              **error)
{
  TileJob *job;
  GBytes *bytes;

  g_return_val_if_fail (CHRONO_IS_BASEMAP_SOURCE (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  job = tile_job_new (self, x, y, zoom, cancellable);
  bytes = render_tile (job, error);
  tile_job_free (job);

  return bytes;
}

/**
 * chrono_basemap_source_dup_label_boxes:
 * @self: a #ChronoBasemapSource
 * @zoom: the zoom level of the tiles shown
 * @x0: west edge of the area, Web Mercator in [0, 1]
 * @y0: north edge
 * @x1: east edge
 * @y1: south edge
 *
 * Where the tiles of @zoom write place names in the area, so that another
 * layer can keep its own labels off them (or paint them out): for each town
 * labelled, the box of its dot and of its name as a tile places it (right
 * of the dot, or left where that is taken) and measures it, halo included.
 * Empty for styles without labels and for the places of the dataset
 * (chrono_basemap_source_set_dataset_places()).
 *
 * Returns: (transfer full) (element-type double): boxes as x0, y0, x1, y1
 *   quadruples in Web Mercator units
 */
GArray *
chrono_basemap_source_dup_label_boxes (ChronoBasemapSource *self,
                                       int                  zoom,
                                       double               x0,
                                       double               y0,
                                       double               x1,
                                       double               y1)
{
  const BasemapData *data;
  const Band *band;
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) placed = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_t));
  cairo_surface_t *surface;
  TileJob job = { 0 };
  DrawContext ctx = { 0 };

  g_return_val_if_fail (CHRONO_IS_BASEMAP_SOURCE (self), boxes);

  data = get_data ();
  band = band_for_zoom (data, zoom);
  if (band == NULL || zoom < 0 || zoom > 30 || !data->style_roles[self->style][ROLE_PLACES])
    return boxes;

  /* The names placed and measured as a tile of 256 pixels places them (a
   * 512 tile draws the same names twice as big over the same area; so does
   * the label scale), over the area asked for, in world pixels */
  job.style = self->style;
  job.tile_size = 256;
  job.language = self->language;
  job.label_scale = self->label_scale;
  job.skip = self->skip;
  job.zoom = zoom;
  surface = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  ctx.cr = cairo_create (surface);
  ctx.job = &job;
  ctx.palette = &palettes[self->style];
  ctx.k = 1.0;
  ctx.scale = 256.0 * (double) (1 << zoom);
  ctx.view = (Box) { x0, y0, x1, y1 };
  draw_labels (&ctx, data, band, placed);
  cairo_destroy (ctx.cr);
  cairo_surface_destroy (surface);

  for (guint i = 0; i < placed->len; i++)
    {
      const cairo_rectangle_t *r = &g_array_index (placed, cairo_rectangle_t, i);
      double box[4] = { r->x / ctx.scale, r->y / ctx.scale,
                        (r->x + r->width) / ctx.scale, (r->y + r->height) / ctx.scale };

      g_array_append_vals (boxes, box, 4);
    }

  return boxes;
}

/**
 * chrono_basemap_get_background_color:
 * @style: a style
 * @color: (out caller-allocates): the colour
 *
 * The land colour of @style, to paint under the tiles. Renderers that
 * antialias the edges of each tile at fractional positions (GTK's cairo
 * renderer, exports) let what is beneath show through a 1-pixel grid every
 * tile; a map widget or export background in this colour hides it.
 */
void
chrono_basemap_get_background_color (ChronoBasemapStyle  style,
                                     GdkRGBA            *color)
{
  const Rgba *land;

  g_return_if_fail (style <= CHRONO_BASEMAP_STYLE_NEUTRAL);
  g_return_if_fail (color != NULL);

  land = &palettes[style].land;
  *color = (GdkRGBA) { land->r, land->g, land->b, 1.0 };
}

static gpointer
load_attribution_once (gpointer user_data)
{
  Attribution *attribution = g_new0 (Attribution, 1);

  /* class_init registers the resources */
  g_type_class_unref (g_type_class_ref (CHRONO_TYPE_BASEMAP_SOURCE));
  attribution->line = read_attribution (&attribution->full);
  return attribution;
}

/* Apart from the layers, so that a new map source (which shows the
 * attribution) need not wait for them to be read: at start, they are still
 * being read on a thread when the window makes its map. */
static const Attribution *
get_attribution (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, load_attribution_once, NULL);
}

/**
 * chrono_basemap_get_attribution:
 *
 * Returns: the short attribution line of every source of the basemap
 */
const char *
chrono_basemap_get_attribution (void)
{
  return get_attribution ()->line;
}

/**
 * chrono_basemap_get_attribution_full:
 *
 * Returns: the full attribution, one line per source, for the About
 *   dialog and exports
 */
const char *
chrono_basemap_get_attribution_full (void)
{
  return get_attribution ()->full;
}
