/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-event-layer"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "chrono-basemap-map-source.h"
#include "chrono-basemap-source.h"
#include "chrono-basemap-style.h"
#include "chrono-clusters.h"
#include "chrono-date.h"
#include "chrono-event.h"
#include "chrono-event-layer.h"

#include "chrono-clusters.h"
#include "chrono-event-list.h"

/*
 * ChronoEventLayer draws every place of the dataset in one snapshot: the
 * places with events in effect as circles coloured by their main category,
 * the others as dim dots, routes as polylines and areas as translucent fills,
 * then labels. Widget markers cost quadratic time past a few thousand places
 * (platform notes, section 2), so nothing here is a widget.
 *
 * Positions are Web Mercator coordinates in [0, 1], computed once per place;
 * each frame turns them into widget coordinates with one affine transform
 * taken from the viewport (so zoom, pan and rotation all follow shumate).
 */

typedef enum
{
  CATEGORY_MILITARY,
  CATEGORY_DIPLOMATIC,
  CATEGORY_HUMANITARIAN,
  CATEGORY_POLITICAL,
  CATEGORY_LEGAL,
  CATEGORY_CONTEXT,
  /* Other categories, as imported files name them, take these in turn */
  CATEGORY_OTHER_0,
  CATEGORY_OTHER_1,
  CATEGORY_OTHER_2,
  CATEGORY_OTHER_3,
  CATEGORY_OTHER_4,
  CATEGORY_OTHER_5,
  CATEGORY_OTHER_6,
  CATEGORY_OTHER_7,
  N_CATEGORIES
} Category;

#define N_OTHER_CATEGORIES (N_CATEGORIES - CATEGORY_OTHER_0)

static const struct
{
  const char *name;
  GdkRGBA     color;
} categories[N_CATEGORIES] = {
  { "military",     { 0xc0 / 255., 0x1c / 255., 0x28 / 255., 1 } },
  { "diplomatic",   { 0x1c / 255., 0x71 / 255., 0xd8 / 255., 1 } },
  { "humanitarian", { 0xe6 / 255., 0x61 / 255., 0x00 / 255., 1 } },
  { "political",    { 0x81 / 255., 0x3d / 255., 0x9c / 255., 1 } },
  { "legal",        { 0x21 / 255., 0x90 / 255., 0xa4 / 255., 1 } },
  { "context",      { 0x77 / 255., 0x76 / 255., 0x7b / 255., 1 } },
  /* GNOME's palette, away from the colours above */
  { NULL,           { 0x26 / 255., 0xa2 / 255., 0x69 / 255., 1 } },
  { NULL,           { 0xc8 / 255., 0x88 / 255., 0x00 / 255., 1 } },
  { NULL,           { 0xc0 / 255., 0x61 / 255., 0xcb / 255., 1 } },
  { NULL,           { 0x86 / 255., 0x5e / 255., 0x3c / 255., 1 } },
  { NULL,           { 0x1a / 255., 0x5f / 255., 0xb4 / 255., 1 } },
  { NULL,           { 0x0f / 255., 0x7b / 255., 0x7b / 255., 1 } },
  { NULL,           { 0xe0 / 255., 0x1b / 255., 0x7a / 255., 1 } },
  { NULL,           { 0x5e / 255., 0x8c / 255., 0x31 / 255., 1 } },
};

typedef enum
{
  SHAPE_POINT,
  SHAPE_LINE,
  SHAPE_AREA,
} Shape;

/* Sizes in pixels */
#define DIM_RADIUS       3.0
/* Below this zoom, villages and sites with nothing in effect are not drawn:
 * unlabelled specks read as dirt on the map. */
#define DIM_MIN_ZOOM     6.0
/* Below this zoom lit places whose discs overlap merge into clusters */
#define CLUSTER_MAX_ZOOM 8.0
#define MAX_MARK_RADIUS  30.0
#define LINE_WIDTH       4.0
#define HIT_SLOP         4.0
#define LABEL_GAP        4.0
/* How far the rings of the selection reach beyond its mark */
#define SELECTION_REACH  5.5
#define MAX_LABELS       300
/* A map label names a place in a line: a name longer than this is cut */
#define MAP_LABEL_CHARS  60
/* The faintest an event still in the model is drawn at, at the end of its afterglow. */
#define MIN_STRENGTH     0.15
/* How far an event has faded at the latest possible day of an uncertain end. */
#define UNCERTAIN_END_STRENGTH 0.6
/* How strong an event shows on the earliest possible day of an uncertain
 * start ("from September 2020" on 1 September); full from its latest. */
#define UNCERTAIN_START_STRENGTH 0.4

typedef struct
{
  guint first; /* index of the first point in self->points */
  guint n;
} Part;

typedef struct
{
  ChronoPlace *place;
  const char  *id;            /* owned by place */
  double       mx, my;        /* Web Mercator, [0, 1] */
  Shape        shape;
  guint        first_part;    /* into self->parts */
  guint        n_parts;
  double       bx0, by0, bx1, by1; /* Mercator bounding box of the geometry */
  gboolean     important;
  gboolean     town;
  gboolean     city;

  /* What is in effect, recomputed when the model, day or afterglow change */
  guint        n_events;
  float        strength;      /* 0..1: the freshest event's fade */
  float        weights[N_CATEGORIES];
  Category     category;
  guint        cluster;       /* this frame: index + 1 into self->clusters, or 0 */

  /* Label, created on first use and kept until the language or font
   * changes, or the date changes the names it shows */
  PangoLayout *layout;
  int          label_width;
  int          label_height;
  const char  *label_name;     /* the names in the layout, owned by place */
  const char  *label_official;
  gint64       label_day;      /* the day they were chosen for */
} Entry;

typedef struct
{
  double x0, y0, x1, y1;
} Box;

/* Boxes filed by the cells of a grid over the layer that they overlap, so
 * that asking whether a label fits looks at its neighbours only: with
 * hundreds of lit places, testing every placed box took a twentieth of a
 * frame. */
typedef struct
{
  GArray *boxes;        /* of Box */
  GArray *heads;        /* of int: per cell, its first link, or -1 */
  GArray *links;        /* of GridLink */
  int     cols, rows;
} BoxGrid;

typedef struct
{
  guint box;
  int   next;
} GridLink;

#define GRID_CELL 64.0

/* A piece of a route as drawn this frame: labels keep off it */
typedef struct
{
  double x0, y0, x1, y1;
  guint  entry;
} Segment;

/* A label placed this frame, and a mark drawn, for
 * chrono_event_layer_get_label () and chrono_event_layer_get_mark () */
typedef struct
{
  guint  entry;
  Box    box;
  double alpha;
} PlacedLabel;

typedef struct
{
  double x, y, r;
} Mark;

/* Lit places whose discs overlap on screen, drawn as one disc with a count;
 * its lead is the strongest place's entry index. */
typedef ChronoCluster Cluster;

/* widget = origin + mx * ax + my * bx (and the same for y) */
typedef struct
{
  double ox, oy;
  double ax, ay;
  double bx, by;
} Projection;

struct _ChronoEventLayer
{
  ShumateLayer  parent_instance;

  GArray       *entries;        /* of Entry */
  ChronoEventTable *mapped_table;  /* the table of place_entries and table_categories */
  GArray       *place_entries;  /* guint: the entry + 1 of each of its places, 0 for none */
  GArray       *table_categories; /* Category: the layer's of each of its categories */
  GHashTable   *index_by_id;    /* id -> index + 1 */
  GArray       *parts;          /* of Part */
  GArray       *points;         /* of graphene_point_t: Mercator x/y of every part */
  GArray       *active;         /* of guint: entries with n_events > 0, strongest first */
  GArray       *shaped;         /* of guint: entries drawn as areas or routes, in order */
  GArray       *notable;        /* of guint: those and the important points, in order */
  BoxGrid       placed_labels;  /* marks and labels placed this frame */
  BoxGrid       basemap_boxes;  /* the basemap's names, this frame */
  GArray       *segments;       /* of Segment: routes this frame */
  BoxGrid       segment_boxes;  /* their bounds, in the order of segments */
  BoxGrid       mark_boxes;     /* bounds of drawn_marks, in their order */
  GArray       *keep_out;       /* of Box: what covers the map there, see set_keep_out () */
  GArray       *drawn_labels;   /* of PlacedLabel, this frame */
  GArray       *drawn_marks;    /* of Mark, this frame */
  GArray       *clusters;       /* of Cluster, recomputed by every frame */
  GHashTable   *count_layouts;  /* number -> PangoLayout of it, for clusters */
  GdkTexture   *dot;            /* the dim ring, drawn once per scale and style */
  int           dot_scale;
  ChronoBasemapStyle dot_style;
  /* Under the cairo renderer: every place's dim ring, drawn for one view
   * and kept while the view stays (see paint_rings ()) */
  cairo_surface_t *rings;
  Projection    rings_proj;
  double        rings_zoom;
  ChronoBasemapStyle rings_style;
  GHashTable   *markers;        /* marker key -> GdkTexture, see marker_texture () */
  int           markers_scale;
  gboolean      state_dirty;    /* the events in effect changed since update_state () */

  GListModel   *events;
  gulong        items_changed_id;

  gint64        day;
  guint         afterglow_days;
  char         *selected_place;
  char         *hover_place;
  char         *language;
  gboolean      show_labels;
  gboolean      paint_out_names; /* on screen too, as in exports */
  double        label_scale;
  ChronoBasemapStyle basemap_style;
  gboolean      both_names;

  GtkWidget    *map;            /* weak: the widget the controllers are on */
  GtkEventController *motion;
  GtkGesture   *click;
  gulong        tooltip_id;

};

G_DEFINE_FINAL_TYPE (ChronoEventLayer, chrono_event_layer, SHUMATE_TYPE_LAYER)

enum {
  PROP_0,
  PROP_EVENTS_IN_EFFECT,
  PROP_DAY,
  PROP_AFTERGLOW_DAYS,
  PROP_SELECTED_PLACE,
  PROP_LANGUAGE,
  PROP_SHOW_LABELS,
  PROP_LABEL_SCALE,
  PROP_BASEMAP_STYLE,
  PROP_BOTH_NAMES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PLACE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

static double
mercator_x (double lon)
{
  return (lon + 180.0) / 360.0;
}

static double
mercator_y (double lat)
{
  double phi = CLAMP (lat, SHUMATE_MIN_LATITUDE, SHUMATE_MAX_LATITUDE) * G_PI / 180.0;

  return (1.0 - log (tan (phi) + 1.0 / cos (phi)) / G_PI) / 2.0;
}

/* Other categories get the palette's colours in the order they are first
 * met, the same for the whole process: the map, the list, the timeline and
 * exports agree, and the first eight are all different. */
static Category
other_category (const char *name)
{
  static GMutex mutex;
  static GHashTable *others;
  gpointer slot;
  Category category;

  g_mutex_lock (&mutex);
  if (others == NULL)
    others = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!g_hash_table_lookup_extended (others, name, NULL, &slot))
    {
      slot = GUINT_TO_POINTER (g_hash_table_size (others) % N_OTHER_CATEGORIES);
      g_hash_table_insert (others, g_strdup (name), slot);
    }
  category = CATEGORY_OTHER_0 + GPOINTER_TO_UINT (slot);
  g_mutex_unlock (&mutex);

  return category;
}

static Category
category_from_name (const char *name)
{
  /* An event without a category is an event like any other, not the
   * faded background that "context" is */
  if (name == NULL || name[0] == '\0')
    return other_category ("");

  for (guint i = 0; i < CATEGORY_OTHER_0; i++)
    if (strcmp (name, categories[i].name) == 0)
      return i;

  return other_category (name);
}

static inline Entry *
entry_at (ChronoEventLayer *self,
          guint             i)
{
  return &g_array_index (self->entries, Entry, i);
}

static Entry *
lookup_entry (ChronoEventLayer *self,
              const char       *id)
{
  guint i;

  if (id == NULL)
    return NULL;

  i = GPOINTER_TO_UINT (g_hash_table_lookup (self->index_by_id, id));
  return i > 0 ? entry_at (self, i - 1) : NULL;
}

static void
clear_entry (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->place);
  g_clear_object (&entry->layout);
}

static void
clear_layouts (ChronoEventLayer *self)
{
  for (guint i = 0; i < self->entries->len; i++)
    g_clear_object (&entry_at (self, i)->layout);
  g_hash_table_remove_all (self->count_layouts);
}

static gboolean
is_important_kind (const char *kind)
{
  return g_strcmp0 (kind, "country") == 0 ||
         g_strcmp0 (kind, "region") == 0 ||
         g_strcmp0 (kind, "city") == 0;
}

static void
add_ring (ChronoEventLayer *self,
          Entry            *entry,
          JsonArray        *ring)
{
  Part part = { self->points->len, 0 };

  for (guint i = 0; i < json_array_get_length (ring); i++)
    {
      JsonArray *pos = json_array_get_array_element (ring, i);
      graphene_point_t pt;

      if (pos == NULL || json_array_get_length (pos) < 2)
        continue;

      /* GeoJSON positions are [lon, lat]. Mercator in floats loses a few
       * centimetres at the equator at zoom 18: far below a pixel. Doubles
       * would be needed past zoom 20. */
      pt.x = mercator_x (json_array_get_double_element (pos, 0));
      pt.y = mercator_y (json_array_get_double_element (pos, 1));
      g_array_append_val (self->points, pt);
      part.n++;

      entry->bx0 = MIN (entry->bx0, pt.x);
      entry->by0 = MIN (entry->by0, pt.y);
      entry->bx1 = MAX (entry->bx1, pt.x);
      entry->by1 = MAX (entry->by1, pt.y);
    }

  if (part.n >= 2)
    {
      g_array_append_val (self->parts, part);
      entry->n_parts++;
    }
  else
    g_array_set_size (self->points, part.first);
}

static gboolean
has_node_array (JsonObject *object,
                const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node);
}

/* Reads a GeoJSON LineString, MultiLineString, Polygon or MultiPolygon into
 * parts; anything else leaves the place a point. */
static void
parse_geometry (ChronoEventLayer *self,
                Entry            *entry,
                const char       *geometry)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *object;
  JsonArray *coords;
  const char *type;
  guint n;

  if (!json_parser_load_from_data (parser, geometry, -1, &error))
    {
      g_debug ("Place %s: unreadable geometry: %s", entry->id, error->message);
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;

  object = json_node_get_object (json_parser_get_root (parser));
  type = json_object_get_string_member_with_default (object, "type", "");
  if (!has_node_array (object, "coordinates"))
    return;

  coords = json_object_get_array_member (object, "coordinates");
  n = json_array_get_length (coords);
  entry->first_part = self->parts->len;
  entry->n_parts = 0;
  entry->bx0 = entry->by0 = G_MAXDOUBLE;
  entry->bx1 = entry->by1 = -G_MAXDOUBLE;

  if (strcmp (type, "LineString") == 0)
    {
      entry->shape = SHAPE_LINE;
      add_ring (self, entry, coords);
    }
  else if (strcmp (type, "MultiLineString") == 0 || strcmp (type, "Polygon") == 0)
    {
      entry->shape = type[0] == 'P' ? SHAPE_AREA : SHAPE_LINE;
      for (guint i = 0; i < n; i++)
        {
          JsonArray *ring = json_array_get_array_element (coords, i);
          if (ring != NULL)
            add_ring (self, entry, ring);
        }
    }
  else if (strcmp (type, "MultiPolygon") == 0)
    {
      entry->shape = SHAPE_AREA;
      for (guint i = 0; i < n; i++)
        {
          JsonArray *polygon = json_array_get_array_element (coords, i);

          for (guint j = 0; polygon != NULL && j < json_array_get_length (polygon); j++)
            {
              JsonArray *ring = json_array_get_array_element (polygon, j);
              if (ring != NULL)
                add_ring (self, entry, ring);
            }
        }
    }

  if (entry->n_parts == 0)
    entry->shape = SHAPE_POINT;
}

/* Rising across an uncertain start, from UNCERTAIN_START_STRENGTH on the
 * earliest possible day to 1 on the latest. */
static double
start_strength (ChronoEventLayer *self,
                gint64            start_lo,
                gint64            start_hi)
{
  if (self->day == G_MININT64 || start_lo == CHRONO_DAY_NEGATIVE_INFINITY ||
      start_hi == CHRONO_DAY_POSITIVE_INFINITY || start_lo >= start_hi || self->day >= start_hi)
    return 1.0;

  if (self->day <= start_lo)
    return UNCERTAIN_START_STRENGTH;

  return UNCERTAIN_START_STRENGTH + (1.0 - UNCERTAIN_START_STRENGTH) *
         (double) (self->day - start_lo) / (double) (start_hi - start_lo);
}

/* How strongly an event shows on @day once it has surely started: 1 while it
 * is surely in effect, fading across an uncertain end, then across the
 * afterglow. */
static double
end_strength (ChronoEventLayer *self,
              gint64            end_lo,
              gint64            end_hi)
{
  double base = 1.0;
  double age;

  if (self->day == G_MININT64 || end_hi == CHRONO_DAY_POSITIVE_INFINITY || self->day <= end_lo)
    return 1.0;

  if (end_lo != CHRONO_DAY_NEGATIVE_INFINITY && end_lo < end_hi)
    {
      if (self->day <= end_hi)
        return 1.0 - (1.0 - UNCERTAIN_END_STRENGTH) *
                     (double) (self->day - end_lo) / (double) (end_hi - end_lo);
      base = UNCERTAIN_END_STRENGTH;
    }

  age = (double) (self->day - end_hi);
  return MAX (MIN_STRENGTH, base * (1.0 - age / (self->afterglow_days + 1.0)));
}

static float
event_strength (ChronoEventLayer *self,
                gint64            start_lo,
                gint64            start_hi,
                gint64            end_lo,
                gint64            end_hi)
{
  return MAX (MIN_STRENGTH, start_strength (self, start_lo, start_hi) * end_strength (self, end_lo, end_hi));
}

/* One event in effect at one of its places */
static void
count_event_at (ChronoEventLayer *self,
                Entry            *entry,
                Category          category,
                float             strength,
                int               importance)
{
  if (entry->n_events == 0)
    {
      guint index = entry - entry_at (self, 0);

      g_array_append_val (self->active, index);
    }
  entry->n_events++;
  entry->strength = MAX (entry->strength, strength);
  entry->weights[category] += strength * (1 + MAX (0, importance));
}

/* The entry of each of the table's places, and the layer's category of each
 * of its categories: found once for all the events of a day */
static void
map_table (ChronoEventLayer *self,
           ChronoEventTable *table)
{
  guint n_places = chrono_event_table_get_n_place_ids (table);
  guint n_categories = chrono_event_table_get_n_categories (table);

  if (self->mapped_table != table)
    {
      g_clear_pointer (&self->mapped_table, chrono_event_table_unref);
      self->mapped_table = chrono_event_table_ref (table);
      g_array_set_size (self->place_entries, 0);
      g_array_set_size (self->table_categories, 0);
    }
  for (guint i = self->place_entries->len; i < n_places; i++)
    {
      Entry *entry = lookup_entry (self, chrono_event_table_get_place_id (table, i));
      guint index = entry != NULL ? (guint) (entry - entry_at (self, 0)) + 1 : 0;

      g_array_append_val (self->place_entries, index);
    }
  for (guint i = self->table_categories->len; i < n_categories; i++)
    {
      Category category = category_from_name (chrono_event_table_get_category_name (table, (guint16) i));

      g_array_append_val (self->table_categories, category);
    }
}

/* The events of a list of ids with their table: no event is read */
static void
count_table_events (ChronoEventLayer *self,
                    ChronoEventList  *list)
{
  ChronoEventTable *table = chrono_event_list_get_table (list);
  guint n_ids;
  const gint64 *ids = chrono_event_list_get_ids (list, &n_ids);
  const guint *entries;
  const Category *kinds;

  map_table (self, table);
  entries = (const guint *) (gpointer) self->place_entries->data;
  kinds = (const Category *) (gpointer) self->table_categories->data;

  for (guint i = 0; i < n_ids; i++)
    {
      const ChronoEventRow *row = chrono_event_table_lookup (table, ids[i]);
      float strength;

      if (row == NULL || row->n_places == 0)
        continue;
      strength = event_strength (self, row->start_lo, row->start_hi, row->end_lo, row->end_hi);
      for (guint j = 0; j < row->n_places; j++)
        {
          guint32 place = chrono_event_table_get_place (table, row, j);

          if (place < self->place_entries->len && entries[place] != 0)
            count_event_at (self, entry_at (self, entries[place] - 1), kinds[row->category],
                            strength, row->importance);
        }
    }
}

static int
compare_active (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  ChronoEventLayer *self = user_data;
  const Entry *ea = entry_at (self, *(const guint *) a);
  const Entry *eb = entry_at (self, *(const guint *) b);

  /* Faint and small ones first, so the strong ones are drawn on top */
  if (ea->strength != eb->strength)
    return ea->strength < eb->strength ? -1 : 1;
  if (ea->n_events != eb->n_events)
    return ea->n_events < eb->n_events ? -1 : 1;
  return 0;
}

static void
update_state (ChronoEventLayer *self)
{
  guint n_items;

  self->state_dirty = FALSE;

  for (guint i = 0; i < self->active->len; i++)
    {
      Entry *entry = entry_at (self, g_array_index (self->active, guint, i));

      entry->n_events = 0;
      entry->strength = 0;
      entry->cluster = 0;
      memset (entry->weights, 0, sizeof entry->weights);
    }
  g_array_set_size (self->active, 0);

  if (CHRONO_IS_EVENT_LIST (self->events) && chrono_event_list_get_table (CHRONO_EVENT_LIST (self->events)) != NULL)
    n_items = 0, count_table_events (self, CHRONO_EVENT_LIST (self->events));
  else
    n_items = self->events != NULL ? g_list_model_get_n_items (self->events) : 0;
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (ChronoEvent) event = g_list_model_get_item (self->events, i);
      GPtrArray *places;
      Category category;
      float strength;

      if (!CHRONO_IS_EVENT (event))
        continue;

      places = chrono_event_get_places (event);
      category = category_from_name (chrono_event_get_category (event));
      strength = event_strength (self, chrono_event_get_start_lo (event), chrono_event_get_start_hi (event),
                                 chrono_event_get_end_lo (event), chrono_event_get_end_hi (event));

      for (guint j = 0; places != NULL && j < places->len; j++)
        {
          Entry *entry = lookup_entry (self, chrono_place_get_id (g_ptr_array_index (places, j)));

          if (entry != NULL)
            count_event_at (self, entry, category, strength, chrono_event_get_importance (event));
        }
    }

  for (guint i = 0; i < self->active->len; i++)
    {
      Entry *entry = entry_at (self, g_array_index (self->active, guint, i));

      entry->category = CATEGORY_CONTEXT;
      for (guint c = 0; c < N_CATEGORIES; c++)
        if (entry->weights[c] > entry->weights[entry->category])
          entry->category = c;
    }

  g_array_sort_with_data (self->active, compare_active, self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A model of events in effect may change in several splices for one new
 * date: count the places once, when they are next needed. */
static void
invalidate_state (ChronoEventLayer *self)
{
  self->state_dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ensure_state (ChronoEventLayer *self)
{
  if (self->state_dirty)
    update_state (self);
}

/* The same transform as shumate_viewport_location_to_widget_coords () for a
 * layer of @width x @height, without asking the widget for its size, so that
 * an unrealized layer can draw too. */
static gboolean
get_projection (ChronoEventLayer *self,
                double            width,
                double            height,
                Projection       *proj)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source;
  double zoom, size, cx, cy, c, s;

  if (viewport == NULL)
    return FALSE;

  source = shumate_viewport_get_reference_map_source (viewport);
  if (source == NULL)
    return FALSE;

  zoom = shumate_viewport_get_zoom_level (viewport);
  size = shumate_map_source_get_tile_size (source) * pow (2.0, zoom);
  cx = shumate_map_source_get_x (source, zoom, shumate_location_get_longitude (SHUMATE_LOCATION (viewport)));
  cy = shumate_map_source_get_y (source, zoom, shumate_location_get_latitude (SHUMATE_LOCATION (viewport)));
  c = cos (shumate_viewport_get_rotation (viewport));
  s = sin (shumate_viewport_get_rotation (viewport));

  /* Map pixels relative to the centre, turned about the layer's centre */
  proj->ax = c * size;
  proj->bx = -s * size;
  proj->ay = s * size;
  proj->by = c * size;
  proj->ox = width / 2 - c * cx + s * cy;
  proj->oy = height / 2 - s * cx - c * cy;
  return TRUE;
}

static inline void
project (const Projection *proj,
         double            mx,
         double            my,
         double           *x,
         double           *y)
{
  *x = proj->ox + mx * proj->ax + my * proj->bx;
  *y = proj->oy + mx * proj->ay + my * proj->by;
}

/* The widget-space bounding box of a Mercator box, which rotation may turn. */
static void
project_box (const Projection *proj,
             const Entry      *entry,
             Box              *box)
{
  double xs[4], ys[4];

  project (proj, entry->bx0, entry->by0, &xs[0], &ys[0]);
  project (proj, entry->bx1, entry->by0, &xs[1], &ys[1]);
  project (proj, entry->bx0, entry->by1, &xs[2], &ys[2]);
  project (proj, entry->bx1, entry->by1, &xs[3], &ys[3]);

  box->x0 = MIN (MIN (xs[0], xs[1]), MIN (xs[2], xs[3]));
  box->x1 = MAX (MAX (xs[0], xs[1]), MAX (xs[2], xs[3]));
  box->y0 = MIN (MIN (ys[0], ys[1]), MIN (ys[2], ys[3]));
  box->y1 = MAX (MAX (ys[0], ys[1]), MAX (ys[2], ys[3]));
}

static double
radius_for_events (guint n_events)
{
  return MIN (MAX_MARK_RADIUS, 6.0 + 3.0 * sqrt (n_events));
}

static double
radius_for (const Entry *entry)
{
  if (entry->n_events == 0)
    return DIM_RADIUS;

  return radius_for_events (entry->n_events);
}

/* Whether @entry's ring is left out at @zoom, when nothing happens there */
static gboolean
is_ring_hidden (const Entry *entry,
                double       zoom)
{
  return !entry->important && zoom < DIM_MIN_ZOOM - 0.01;
}

static gboolean
is_dim_hidden (const Entry *entry,
               double       zoom)
{
  return entry->n_events == 0 && is_ring_hidden (entry, zoom);
}

static GdkRGBA
with_alpha (const GdkRGBA *color,
            double         alpha)
{
  GdkRGBA c = *color;

  c.alpha *= alpha;
  return c;
}

/* Text, halo and the ink of rings over each basemap style: the basemap's own
 * label colours, so both layers' names read alike. */
static const struct
{
  GdkRGBA text;
  GdkRGBA halo;
  GdkRGBA ink;
  GdkRGBA casing;
} label_palettes[] = {
  [CHRONO_BASEMAP_STYLE_LIGHT] = {
    { 0x2e / 255., 0x34 / 255., 0x36 / 255., 1 }, { 1, 1, 1, 0.9 },
    { 0.14, 0.12, 0.19, 1 }, { 1, 1, 1, 1 },
  },
  [CHRONO_BASEMAP_STYLE_DARK] = {
    { 0xee / 255., 0xee / 255., 0xec / 255., 1 }, { 0x1e / 255., 0x1e / 255., 0x1e / 255., 0.85 },
    { 0.96, 0.96, 0.94, 1 }, { 0x1e / 255., 0x1e / 255., 0x1e / 255., 1 },
  },
  [CHRONO_BASEMAP_STYLE_NEUTRAL] = {
    { 0x24 / 255., 0x1f / 255., 0x31 / 255., 1 }, { 1, 1, 1, 0.9 },
    { 0.14, 0.12, 0.19, 1 }, { 1, 1, 1, 1 },
  },
};

/* Where the marks, rings and labels go: render nodes, or, under GTK's cairo
 * renderer, one cairo node. That renderer converts the pixels of every
 * texture node on every frame, damaged or not, and premultiplied ones
 * through floats (GTK 4.8): with hundreds of lit places that was a fifth of
 * a frame. Drawn with cairo from the surface kept with each texture
 * (mark_surface ()), at whole device pixels, a mark is a plain blit. */
typedef struct
{
  GtkSnapshot *snapshot;
  cairo_t     *cr;        /* NULL: render nodes */
  int          scale;
} Painter;

static GQuark
mark_surface_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("chrono-mark-surface");
  return quark;
}

/* A texture for render nodes, keeping @surface (its pixels) for cairo */
static GdkTexture *
mark_texture_new (cairo_surface_t *surface)
{
  int size = cairo_image_surface_get_width (surface);
  int stride = cairo_image_surface_get_stride (surface);
  g_autoptr (GBytes) bytes = NULL;
  GdkTexture *texture;

  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface), (gsize) stride * size);
  texture = gdk_memory_texture_new (size, size, GDK_MEMORY_DEFAULT, bytes, stride);
  g_object_set_qdata_full (G_OBJECT (texture), mark_surface_quark (),
                           cairo_surface_reference (surface),
                           (GDestroyNotify) cairo_surface_destroy);
  return texture;
}

/* A mark centred on (@x, @y), @half logical pixels each way */
static void
paint_mark (Painter    *painter,
            GdkTexture *texture,
            double      x,
            double      y,
            double      half)
{
  cairo_surface_t *surface;

  if (painter->cr == NULL)
    {
      gtk_snapshot_append_texture (painter->snapshot, texture,
                                   &GRAPHENE_RECT_INIT (x - half, y - half, 2 * half, 2 * half));
      return;
    }

  surface = g_object_get_qdata (G_OBJECT (texture), mark_surface_quark ());
  cairo_save (painter->cr);
  cairo_scale (painter->cr, 1.0 / painter->scale, 1.0 / painter->scale);
  cairo_set_source_surface (painter->cr, surface,
                            round ((x - half) * painter->scale),
                            round ((y - half) * painter->scale));
  cairo_paint (painter->cr);
  cairo_restore (painter->cr);
}

/* @layout with its top left corner at (@x, @y) */
static void
paint_layout (Painter       *painter,
              PangoLayout   *layout,
              const GdkRGBA *color,
              double         x,
              double         y)
{
  if (painter->cr == NULL)
    {
      gtk_snapshot_save (painter->snapshot);
      gtk_snapshot_translate (painter->snapshot, &GRAPHENE_POINT_INIT (x, y));
      gtk_snapshot_append_layout (painter->snapshot, layout, color);
      gtk_snapshot_restore (painter->snapshot);
      return;
    }

  cairo_move_to (painter->cr, x, y);
  gdk_cairo_set_source_rgba (painter->cr, color);
  pango_cairo_show_layout (painter->cr, layout);
}

static void
paint_ring (Painter       *painter,
            double         x,
            double         y,
            double         radius,
            double         width,
            const GdkRGBA *color)
{
  GskRoundedRect ring;
  float widths[4] = { width, width, width, width };
  GdkRGBA colors[4] = { *color, *color, *color, *color };

  if (painter->cr != NULL)
    {
      /* A border node's stroke lies inside its rectangle */
      cairo_new_sub_path (painter->cr);
      cairo_arc (painter->cr, x, y, radius - width / 2, 0, 2 * G_PI);
      cairo_set_line_width (painter->cr, width);
      gdk_cairo_set_source_rgba (painter->cr, color);
      cairo_stroke (painter->cr);
      return;
    }

  gsk_rounded_rect_init_from_rect (&ring,
                                   &GRAPHENE_RECT_INIT (x - radius, y - radius, 2 * radius, 2 * radius),
                                   radius);
  gtk_snapshot_append_border (painter->snapshot, &ring, widths, colors);
}

/* Ten thousand texture nodes of one texture batch into few draws in the GL
 * renderer; as many border nodes cost ten times more on llvmpipe. */
static GdkTexture *
ensure_dot (ChronoEventLayer *self,
            int               scale)
{
  int size = (int) ceil (2 * DIM_RADIUS * scale);
  const GdkRGBA *grey = &categories[CATEGORY_CONTEXT].color;
  const GdkRGBA *fill = &label_palettes[self->basemap_style].casing;
  cairo_surface_t *surface;
  cairo_t *cr;

  if (self->dot != NULL && self->dot_scale == scale && self->dot_style == self->basemap_style)
    return self->dot;

  /* A small hollow ring: a place, where a grey speck reads as dirt */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  cairo_arc (cr, DIM_RADIUS, DIM_RADIUS, DIM_RADIUS - 0.75, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, fill->red, fill->green, fill->blue, 0.7);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, grey->red, grey->green, grey->blue, 0.9);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
  cairo_destroy (cr);

  g_clear_object (&self->dot);
  self->dot = mark_texture_new (surface);
  self->dot_scale = scale;
  self->dot_style = self->basemap_style;
  cairo_surface_destroy (surface);
  return self->dot;
}

#define STRENGTH_LEVELS 16
#define MARKER_HALO     9.0

static guint64
marker_key (Category category,
            guint    n_events,
            guint    level)
{
  return ((guint64) n_events << 16) | ((guint64) category << 8) | level;
}

/* A lit place, drawn once per category, number of events and step of
 * strength, then reused as a texture: a soft halo, the disc, a white rim.
 * Hundreds of texture nodes cost a fraction of as many round borders or
 * blurred shadows, with either renderer. */
static GdkTexture *
marker_texture (ChronoEventLayer *self,
                Category          category,
                guint             n_events,
                float             strength_in,
                int               scale,
                double           *extent)
{
  guint level = (guint) lround (CLAMP (strength_in, 0, 1) * STRENGTH_LEVELS);
  guint64 key = marker_key (category, MIN (n_events, 1000), level);
  const GdkRGBA *color = &categories[category].color;
  double r = radius_for_events (n_events);
  double strength = (double) level / STRENGTH_LEVELS;
  double half = r + MARKER_HALO;
  cairo_pattern_t *halo;
  cairo_surface_t *surface;
  GdkTexture *texture;
  cairo_t *cr;
  int size;

  *extent = half;

  if (self->markers_scale != scale)
    {
      g_hash_table_remove_all (self->markers);
      self->markers_scale = scale;
    }

  texture = g_hash_table_lookup (self->markers, &key);
  if (texture != NULL)
    return texture;

  size = (int) ceil (2 * half * scale);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  cairo_translate (cr, half, half);

  halo = cairo_pattern_create_radial (0, 0, r - 1, 0, 0, half);
  cairo_pattern_add_color_stop_rgba (halo, 0, color->red, color->green, color->blue, 0.5 * strength);
  cairo_pattern_add_color_stop_rgba (halo, 0.35, color->red, color->green, color->blue, 0.22 * strength);
  cairo_pattern_add_color_stop_rgba (halo, 1, color->red, color->green, color->blue, 0);
  cairo_set_source (cr, halo);
  cairo_arc (cr, 0, 0, half, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_pattern_destroy (halo);

  cairo_set_source_rgba (cr, color->red, color->green, color->blue, strength);
  cairo_arc (cr, 0, 0, r, 0, 2 * G_PI);
  cairo_fill (cr);

  cairo_set_source_rgba (cr, 1, 1, 1, strength);
  cairo_set_line_width (cr, 2);
  cairo_arc (cr, 0, 0, r - 1, 0, 2 * G_PI);
  cairo_stroke (cr);

  cairo_destroy (cr);
  cairo_surface_flush (surface);

  texture = mark_texture_new (surface);
  cairo_surface_destroy (surface);

  g_hash_table_insert (self->markers, g_memdup2 (&key, sizeof key), texture);
  return texture;
}

/* Greedy screen-space clustering, strongest places first: a lit place whose
 * disc overlaps a cluster's joins it, and the cluster's disc grows with its
 * events (chrono_clusters_compute(), linear in the places on screen). Only
 * below CLUSTER_MAX_ZOOM, and only if @allowed (an export shows every place:
 * a disc with a bare count says nothing on paper, where nobody can click it
 * open); each place's cluster is recorded in its entry for this frame. */
static void
compute_clusters (ChronoEventLayer *self,
                  const Projection *proj,
                  double            width,
                  double            height,
                  gboolean          allowed)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  gboolean clustering = allowed && shumate_viewport_get_zoom_level (viewport) < CLUSTER_MAX_ZOOM - 0.01;
  g_autoptr (GArray) points = NULL;
  g_autoptr (GArray) indices = NULL;
  g_autofree guint *cluster_of = NULL;

  g_array_set_size (self->clusters, 0);

  for (guint i = 0; i < self->active->len; i++)
    entry_at (self, g_array_index (self->active, guint, i))->cluster = 0;
  if (!clustering)
    return;

  points = g_array_sized_new (FALSE, FALSE, sizeof (ChronoClusterPoint), self->active->len);
  indices = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->active->len);
  for (guint i = self->active->len; i > 0; i--)
    {
      guint index = g_array_index (self->active, guint, i - 1);
      Entry *entry = entry_at (self, index);
      ChronoClusterPoint point = { 0, 0, radius_for (entry), entry->n_events };

      if (entry->shape != SHAPE_POINT)
        continue;

      project (proj, entry->mx, entry->my, &point.x, &point.y);
      if (!(point.x >= -MAX_MARK_RADIUS && point.y >= -MAX_MARK_RADIUS &&
            point.x <= width + MAX_MARK_RADIUS && point.y <= height + MAX_MARK_RADIUS))
        continue;

      g_array_append_val (points, point);
      g_array_append_val (indices, index);
    }

  cluster_of = g_new (guint, MAX (points->len, 1));
  chrono_clusters_compute ((const ChronoClusterPoint *) (gpointer) points->data, points->len,
                           MAX_MARK_RADIUS, radius_for_events, self->clusters, cluster_of);

  for (guint i = 0; i < points->len; i++)
    entry_at (self, g_array_index (indices, guint, i))->cluster = cluster_of[i] + 1;
  for (guint c = 0; c < self->clusters->len; c++)
    {
      Cluster *cluster = &g_array_index (self->clusters, Cluster, c);

      cluster->lead = g_array_index (indices, guint, cluster->lead);
    }
}

static inline const Cluster *
cluster_of (ChronoEventLayer *self,
            const Entry      *entry)
{
  const Cluster *cluster;

  if (entry->cluster == 0 || entry->cluster > self->clusters->len)
    return NULL;

  cluster = &g_array_index (self->clusters, Cluster, entry->cluster - 1);
  return cluster->n_places > 1 ? cluster : NULL;
}

/* Where @entry's mark is drawn, and its radius: its own disc, or that of the
 * cluster it belongs to. */
static void
mark_of (ChronoEventLayer *self,
         const Entry      *entry,
         const Projection *proj,
         double           *x,
         double           *y,
         double           *r)
{
  const Cluster *cluster = cluster_of (self, entry);

  if (cluster != NULL)
    {
      *x = cluster->x;
      *y = cluster->y;
      *r = cluster->radius;
    }
  else
    {
      project (proj, entry->mx, entry->my, x, y);
      *r = radius_for (entry);
    }
}

static void
paint_clusters (ChronoEventLayer *self,
                Painter          *painter,
                double            width,
                double            height)
{
  const GdkRGBA white = { 1, 1, 1, 1 };

  for (guint c = self->clusters->len; c > 0; c--)
    {
      const Cluster *cluster = &g_array_index (self->clusters, Cluster, c - 1);
      const Entry *lead = entry_at (self, cluster->lead);
      PangoLayout *layout;
      GdkTexture *marker;
      double half;
      int w, h;

      if (cluster->n_places < 2 ||
          cluster->x < -cluster->radius || cluster->y < -cluster->radius ||
          cluster->x > width + cluster->radius || cluster->y > height + cluster->radius)
        continue;

      marker = marker_texture (self, lead->category, cluster->n_events, lead->strength,
                               painter->scale, &half);
      paint_mark (painter, marker, cluster->x, cluster->y, half);

      /* The number of events in effect there */
      layout = g_hash_table_lookup (self->count_layouts, GUINT_TO_POINTER (cluster->n_events));
      if (layout == NULL)
        {
          g_autoptr (PangoFontDescription) font = NULL;
          g_autofree char *count = g_strdup_printf ("%u", cluster->n_events);

          layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), count);
          font = pango_font_description_copy (pango_context_get_font_description (pango_layout_get_context (layout)));
          pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
          pango_layout_set_font_description (layout, font);
          g_hash_table_insert (self->count_layouts, GUINT_TO_POINTER (cluster->n_events), layout);
        }
      pango_layout_get_pixel_size (layout, &w, &h);

      paint_layout (painter, layout, &white, round (cluster->x - w / 2.0), round (cluster->y - h / 2.0));
    }
}

/* The cluster of several places drawn under (@x, @y), if any. */
static const Cluster *
cluster_at (ChronoEventLayer *self,
            double            x,
            double            y)
{
  for (guint c = 0; c < self->clusters->len; c++)
    {
      const Cluster *cluster = &g_array_index (self->clusters, Cluster, c);

      if (cluster->n_places > 1 && hypot (cluster->x - x, cluster->y - y) <= cluster->radius + HIT_SLOP)
        return cluster;
    }

  return NULL;
}

/* Brings the widget-size clusters up to date for hit-testing between frames */
static gboolean
update_widget_clusters (ChronoEventLayer *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  Projection proj;

  ensure_state (self);
  if (!get_projection (self, gtk_widget_get_width (widget), gtk_widget_get_height (widget), &proj))
    return FALSE;

  compute_clusters (self, &proj, gtk_widget_get_width (widget), gtk_widget_get_height (widget), TRUE);
  return TRUE;
}

static void
trace_part (cairo_t          *cr,
            ChronoEventLayer *self,
            const Projection *proj,
            const Part       *part,
            double            dx,
            double            dy,
            gboolean          close)
{
  for (guint k = 0; k < part->n; k++)
    {
      const graphene_point_t *pt = &g_array_index (self->points, graphene_point_t, part->first + k);
      double x, y;

      project (proj, pt->x, pt->y, &x, &y);
      if (k == 0)
        cairo_move_to (cr, x - dx, y - dy);
      else
        cairo_line_to (cr, x - dx, y - dy);
    }

  if (close)
    cairo_close_path (cr);
}

/* Routes and areas: few, so one cairo node over their visible extent. */
static void
snapshot_shapes (ChronoEventLayer *self,
                 GtkSnapshot      *snapshot,
                 const Projection *proj,
                 double            width,
                 double            height)
{
  const GdkRGBA *casing = &label_palettes[self->basemap_style].casing;
  const GdkRGBA *ink = &label_palettes[self->basemap_style].ink;
  Box extent = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  gboolean any = FALSE;
  graphene_rect_t bounds;
  cairo_t *cr;

  for (guint k = 0; k < self->shaped->len; k++)
    {
      Entry *entry = entry_at (self, g_array_index (self->shaped, guint, k));
      Box box;

      project_box (proj, entry, &box);
      if (box.x1 < 0 || box.y1 < 0 || box.x0 > width || box.y0 > height)
        continue;

      extent.x0 = MIN (extent.x0, box.x0);
      extent.y0 = MIN (extent.y0, box.y0);
      extent.x1 = MAX (extent.x1, box.x1);
      extent.y1 = MAX (extent.y1, box.y1);
      any = TRUE;
    }

  if (!any)
    return;

  /* Room for the casing, and never bigger than the widget */
  extent.x0 = floor (MAX (extent.x0 - 8, 0));
  extent.y0 = floor (MAX (extent.y0 - 8, 0));
  extent.x1 = ceil (MIN (extent.x1 + 8, width));
  extent.y1 = ceil (MIN (extent.y1 + 8, height));
  if (extent.x1 <= extent.x0 || extent.y1 <= extent.y0)
    return;

  graphene_rect_init (&bounds, extent.x0, extent.y0, extent.x1 - extent.x0, extent.y1 - extent.y0);
  cr = gtk_snapshot_append_cairo (snapshot, &bounds);
  cairo_translate (cr, extent.x0, extent.y0);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  /* Areas under lines, dim under highlighted */
  for (int pass = 0; pass < 4; pass++)
    {
      Shape shape = pass < 2 ? SHAPE_AREA : SHAPE_LINE;
      gboolean lit = pass % 2 == 1;

      for (guint k = 0; k < self->shaped->len; k++)
        {
          Entry *entry = entry_at (self, g_array_index (self->shaped, guint, k));
          const GdkRGBA *color;

          if (entry->shape != shape || (entry->n_events > 0) != lit)
            continue;

          cairo_new_path (cr);
          for (guint p = 0; p < entry->n_parts; p++)
            trace_part (cr, self, proj, &g_array_index (self->parts, Part, entry->first_part + p),
                        extent.x0, extent.y0, shape == SHAPE_AREA);

          color = lit ? &categories[entry->category].color : &categories[CATEGORY_CONTEXT].color;

          if (shape == SHAPE_AREA)
            {
              /* A light wash, so that the places inside read through it,
               * and an outline */
              cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
              cairo_set_source_rgba (cr, color->red, color->green, color->blue,
                                     lit ? 0.12 * entry->strength : 0.06);
              cairo_fill_preserve (cr);
              cairo_set_line_width (cr, lit ? 2.0 : 1.5);
              cairo_set_source_rgba (cr, color->red, color->green, color->blue,
                                     lit ? 0.75 * entry->strength : 0.45);
              cairo_stroke (cr);
            }
          else if (lit)
            {
              cairo_set_line_width (cr, LINE_WIDTH + 4);
              cairo_set_source_rgba (cr, casing->red, casing->green, casing->blue, 0.85 * entry->strength);
              cairo_stroke_preserve (cr);
              cairo_set_line_width (cr, LINE_WIDTH);
              cairo_set_source_rgba (cr, color->red, color->green, color->blue, entry->strength);
              cairo_stroke (cr);
            }
          else
            {
              cairo_set_line_width (cr, LINE_WIDTH - 1);
              cairo_set_source_rgba (cr, color->red, color->green, color->blue, 0.45);
              cairo_stroke (cr);
            }

          if (g_strcmp0 (entry->id, self->selected_place) == 0)
            {
              cairo_new_path (cr);
              for (guint p = 0; p < entry->n_parts; p++)
                trace_part (cr, self, proj, &g_array_index (self->parts, Part, entry->first_part + p),
                            extent.x0, extent.y0, shape == SHAPE_AREA);
              cairo_set_line_width (cr, 1.5);
              cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.9);
              cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
              cairo_stroke (cr);
              cairo_set_dash (cr, NULL, 0, 0);
            }
        }
    }

  cairo_destroy (cr);
}

/* The names a place's label shows at the layer's day: the one in the
 * layer's language and, for #ChronoEventLayer:both-names, the official one;
 * names valid then when the place has dated names ("Xankəndi" before 1923,
 * "Stepanakert" from 1923). Pointers into the place's names, so that the
 * label's cache can tell a new name by its pointer. */
static void
choose_label_names (ChronoEventLayer  *self,
                    const Entry       *entry,
                    const char       **out_name,
                    const char       **out_official)
{
  const char *lang = self->language != NULL ? self->language : chrono_place_get_lang (entry->place);

  if (self->day == G_MININT64 || !chrono_place_has_dated_names (entry->place))
    {
      *out_name = chrono_place_get_name_for (entry->place, lang);
      *out_official = self->both_names ? chrono_place_get_official_name (entry->place) : NULL;
    }
  else
    {
      *out_name = chrono_place_get_name_at (entry->place, lang, self->day);
      *out_official = self->both_names ? chrono_place_get_official_name_at (entry->place, self->day) : NULL;
    }
}

/* The place's name in the layer's language, followed by its official name
 * when #ChronoEventLayer:both-names is set and the two differ; each name
 * at most @max_chars characters, since a dataset's can be megabytes long. */
static char *
dup_place_label (ChronoEventLayer *self,
                 const Entry      *entry,
                 gsize             max_chars)
{
  const char *name, *official;
  g_autofree char *shown = NULL;

  choose_label_names (self, entry, &name, &official);
  if (name == NULL || *name == '\0')
    name = entry->id;
  shown = chrono_text_for_display (name, max_chars);

  if (official != NULL && *official != '\0' && g_strcmp0 (official, name) != 0)
    {
      g_autofree char *shown_official = chrono_text_for_display (official, max_chars);

      /* Translators: a map label: a place's name in the interface language, then its official name */
      return g_strdup_printf (_("%s / %s"), shown, shown_official);
    }

  return g_steal_pointer (&shown);
}

static PangoLayout *
ensure_layout (ChronoEventLayer *self,
               Entry            *entry)
{
  g_autofree char *name = NULL;

  /* A new day changes a label only where it changes the names: most
   * places have no dated name, and a frame of the same day asks nothing */
  if (entry->layout != NULL)
    {
      const char *shown, *official;

      if (entry->label_day == self->day || !chrono_place_has_dated_names (entry->place))
        return entry->layout;
      choose_label_names (self, entry, &shown, &official);
      entry->label_day = self->day;
      if (shown == entry->label_name && official == entry->label_official)
        return entry->layout;
      g_clear_object (&entry->layout);
    }

  choose_label_names (self, entry, &entry->label_name, &entry->label_official);
  entry->label_day = self->day;
  name = dup_place_label (self, entry, MAP_LABEL_CHARS);

  /* The widget's own context, which an unrealized widget has too */
  entry->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), name);
  if (self->label_scale != 1.0 || entry->shape == SHAPE_AREA)
    {
      PangoContext *context = pango_layout_get_context (entry->layout);
      g_autoptr (PangoFontDescription) font = NULL;
      int size;

      font = pango_font_description_copy (pango_context_get_font_description (context));
      size = pango_font_description_get_size (font);
      if (size <= 0)
        size = 10 * PANGO_SCALE;
      if (pango_font_description_get_size_is_absolute (font))
        pango_font_description_set_absolute_size (font, size * self->label_scale);
      else
        pango_font_description_set_size (font, (int) lround (size * self->label_scale));
      /* A region's name in italics, as maps name areas apart from towns */
      if (entry->shape == SHAPE_AREA)
        pango_font_description_set_style (font, PANGO_STYLE_ITALIC);
      pango_layout_set_font_description (entry->layout, font);
    }
  pango_layout_get_pixel_size (entry->layout, &entry->label_width, &entry->label_height);
  return entry->layout;
}

static void box_grid_reset (BoxGrid *grid,
                            double   width,
                            double   height);

static void
box_grid_init (BoxGrid *grid)
{
  grid->boxes = g_array_new (FALSE, FALSE, sizeof (Box));
  grid->heads = g_array_new (FALSE, FALSE, sizeof (int));
  grid->links = g_array_new (FALSE, FALSE, sizeof (GridLink));
  box_grid_reset (grid, 0, 0);
}

static void
box_grid_free (BoxGrid *grid)
{
  g_clear_pointer (&grid->boxes, g_array_unref);
  g_clear_pointer (&grid->heads, g_array_unref);
  g_clear_pointer (&grid->links, g_array_unref);
}

/* Empties @grid, for a layer of @width x @height */
static void
box_grid_reset (BoxGrid *grid,
                double   width,
                double   height)
{
  grid->cols = MAX (1, (int) ceil (width / GRID_CELL));
  grid->rows = MAX (1, (int) ceil (height / GRID_CELL));
  g_array_set_size (grid->boxes, 0);
  g_array_set_size (grid->links, 0);
  g_array_set_size (grid->heads, grid->cols * grid->rows);
  memset (grid->heads->data, 0xff, sizeof (int) * grid->heads->len);
}

/* The cells @box overlaps; boxes beyond the layer go to its edge cells */
static void
box_grid_cells (const BoxGrid *grid,
                const Box     *box,
                int           *cx0,
                int           *cy0,
                int           *cx1,
                int           *cy1)
{
  *cx0 = CLAMP ((int) floor (box->x0 / GRID_CELL), 0, grid->cols - 1);
  *cy0 = CLAMP ((int) floor (box->y0 / GRID_CELL), 0, grid->rows - 1);
  *cx1 = CLAMP ((int) floor (box->x1 / GRID_CELL), 0, grid->cols - 1);
  *cy1 = CLAMP ((int) floor (box->y1 / GRID_CELL), 0, grid->rows - 1);
}

static void
box_grid_add (BoxGrid   *grid,
              const Box *box)
{
  int cx0, cy0, cx1, cy1;

  g_array_append_val (grid->boxes, *box);
  box_grid_cells (grid, box, &cx0, &cy0, &cx1, &cy1);
  for (int cy = cy0; cy <= cy1; cy++)
    for (int cx = cx0; cx <= cx1; cx++)
      {
        int *head = &g_array_index (grid->heads, int, cy * grid->cols + cx);
        GridLink link = { grid->boxes->len - 1, *head };

        *head = (int) grid->links->len;
        g_array_append_val (grid->links, link);
      }
}

/* Whether @box overlaps none of @grid's boxes */
static gboolean
box_grid_is_free (const BoxGrid *grid,
                  const Box     *box)
{
  int cx0, cy0, cx1, cy1;

  box_grid_cells (grid, box, &cx0, &cy0, &cx1, &cy1);
  for (int cy = cy0; cy <= cy1; cy++)
    for (int cx = cx0; cx <= cx1; cx++)
      for (int l = g_array_index (grid->heads, int, cy * grid->cols + cx); l >= 0;
           l = g_array_index (grid->links, GridLink, l).next)
        {
          const Box *other = &g_array_index (grid->boxes, Box, g_array_index (grid->links, GridLink, l).box);

          if (box->x0 < other->x1 && other->x0 < box->x1 &&
              box->y0 < other->y1 && other->y0 < box->y1)
            return FALSE;
        }

  return TRUE;
}

static double
basemap_overlap (ChronoEventLayer *self,
                 const Box        *box)
{
  double area = 0;

  for (guint i = 0; i < self->basemap_boxes.boxes->len; i++)
    {
      const Box *other = &g_array_index (self->basemap_boxes.boxes, Box, i);
      double w = MIN (box->x1, other->x1) - MAX (box->x0, other->x0);
      double h = MIN (box->y1, other->y1) - MAX (box->y0, other->y0);

      if (w > 0 && h > 0)
        area += w * h;
    }

  return area;
}

/* Whether the segment from (@x0, @y0) to (@x1, @y1) crosses @box
 * (Liang-Barsky clipping). */
static gboolean
segment_crosses_box (double     x0,
                     double     y0,
                     double     x1,
                     double     y1,
                     const Box *box)
{
  double dx = x1 - x0, dy = y1 - y0;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { x0 - box->x0, box->x1 - x0, y0 - box->y0, box->y1 - y0 };
  double t0 = 0, t1 = 1;

  for (guint k = 0; k < 4; k++)
    {
      if (p[k] == 0)
        {
          if (q[k] < 0)
            return FALSE;
          continue;
        }

      if (p[k] < 0)
        t0 = MAX (t0, q[k] / p[k]);
      else
        t1 = MIN (t1, q[k] / p[k]);
      if (t0 > t1)
        return FALSE;
    }

  return TRUE;
}

/* Whether @box stays clear of every mark drawn (discs as the circles they
 * are: their corners are free for a label) */
static gboolean
clear_of_marks (ChronoEventLayer *self,
                const Box        *box)
{
  const BoxGrid *grid = &self->mark_boxes;
  int cx0, cy0, cx1, cy1;

  if (self->drawn_marks->len == 0)
    return TRUE;

  box_grid_cells (grid, box, &cx0, &cy0, &cx1, &cy1);
  for (int cy = cy0; cy <= cy1; cy++)
    for (int cx = cx0; cx <= cx1; cx++)
      for (int l = g_array_index (grid->heads, int, cy * grid->cols + cx); l >= 0;
           l = g_array_index (grid->links, GridLink, l).next)
        {
          const Mark *mark = &g_array_index (self->drawn_marks, Mark, g_array_index (grid->links, GridLink, l).box);
          double nx = CLAMP (mark->x, box->x0, box->x1);
          double ny = CLAMP (mark->y, box->y0, box->y1);

          if (hypot (nx - mark->x, ny - mark->y) < mark->r)
            return FALSE;
        }

  return TRUE;
}

/* Whether a route other than @entry's own runs through @box */
static gboolean
crosses_route (ChronoEventLayer *self,
               const Entry      *entry,
               const Box        *box)
{
  const BoxGrid *grid = &self->segment_boxes;
  guint own = entry - entry_at (self, 0);
  int cx0, cy0, cx1, cy1;

  if (self->segments->len == 0)
    return FALSE;

  box_grid_cells (grid, box, &cx0, &cy0, &cx1, &cy1);
  for (int cy = cy0; cy <= cy1; cy++)
    for (int cx = cx0; cx <= cx1; cx++)
      for (int l = g_array_index (grid->heads, int, cy * grid->cols + cx); l >= 0;
           l = g_array_index (grid->links, GridLink, l).next)
        {
          guint i = g_array_index (grid->links, GridLink, l).box;
          const Segment *seg = &g_array_index (self->segments, Segment, i);
          /* The casing of a drawn route: half its width and a little more */
          Box wide = { box->x0 - LINE_WIDTH / 2 - 1, box->y0 - LINE_WIDTH / 2 - 1,
                       box->x1 + LINE_WIDTH / 2 + 1, box->y1 + LINE_WIDTH / 2 + 1 };

          if (seg->entry != own && segment_crosses_box (seg->x0, seg->y0, seg->x1, seg->y1, &wide))
            return TRUE;
        }

  return FALSE;
}

/* The routes drawn this frame, cut into segments that labels keep off */
static void
collect_route_segments (ChronoEventLayer *self,
                        const Projection *proj,
                        double            width,
                        double            height)
{
  g_array_set_size (self->segments, 0);
  box_grid_reset (&self->segment_boxes, width, height);

  for (guint s = 0; s < self->shaped->len; s++)
    {
      guint i = g_array_index (self->shaped, guint, s);
      Entry *entry = entry_at (self, i);
      Box extent;

      if (entry->shape != SHAPE_LINE)
        continue;

      project_box (proj, entry, &extent);
      if (extent.x1 < 0 || extent.y1 < 0 || extent.x0 > width || extent.y0 > height)
        continue;

      for (guint p = 0; p < entry->n_parts; p++)
        {
          const Part *part = &g_array_index (self->parts, Part, entry->first_part + p);
          double px = 0, py = 0;

          for (guint k = 0; k < part->n; k++)
            {
              const graphene_point_t *pt = &g_array_index (self->points, graphene_point_t, part->first + k);
              double qx, qy;

              project (proj, pt->x, pt->y, &qx, &qy);
              if (k > 0)
                {
                  Segment seg = { px, py, qx, qy, i };
                  Box bounds = { MIN (px, qx), MIN (py, qy), MAX (px, qx), MAX (py, qy) };

                  if (bounds.x1 >= 0 && bounds.y1 >= 0 && bounds.x0 <= width && bounds.y0 <= height)
                    {
                      g_array_append_val (self->segments, seg);
                      box_grid_add (&self->segment_boxes, &bounds);
                    }
                }
              px = qx;
              py = qy;
            }
        }
    }
}

/* Whether the point (@x, @y) of the widget lies inside the area @entry
 * (even-odd, as it is filled) */
static gboolean
area_contains (ChronoEventLayer *self,
               const Entry      *entry,
               const Projection *proj,
               double            x,
               double            y)
{
  gboolean inside = FALSE;

  for (guint p = 0; p < entry->n_parts; p++)
    {
      const Part *part = &g_array_index (self->parts, Part, entry->first_part + p);
      double px, py;
      const graphene_point_t *last = &g_array_index (self->points, graphene_point_t, part->first + part->n - 1);

      /* From the last vertex, so that an unclosed ring closes */
      project (proj, last->x, last->y, &px, &py);
      for (guint k = 0; k < part->n; k++)
        {
          const graphene_point_t *pt = &g_array_index (self->points, graphene_point_t, part->first + k);
          double qx, qy;

          project (proj, pt->x, pt->y, &qx, &qy);
          if (((py > y) != (qy > y)) && x < px + (qx - px) * (y - py) / (qy - py))
            inside = !inside;
          px = qx;
          py = qy;
        }
    }

  return inside;
}

/* The layer labels every place of the dataset, with or without events (the
 * offline basemap leaves those towns out, see
 * chrono_basemap_source_set_dataset_places ()); places with nothing in
 * effect from the zoom at which a map would name them. */
#define DIM_TOWN_LABELS_ZOOM  7.0
#define DIM_OTHER_LABELS_ZOOM 9.0
/* How many spots inside an area its label may try */
#define MAX_AREA_SPOTS 160
/* What a label across a route costs, against the pixels of the basemap's
 * names it would cover: more than any of them */
#define ROUTE_CROSSING_COST 1e7

static gboolean
wants_dim_label (const Entry *entry,
                 double       zoom)
{
  if (entry->important)
    return TRUE;
  if (entry->town)
    return zoom >= DIM_TOWN_LABELS_ZOOM - 0.01;
  return zoom >= DIM_OTHER_LABELS_ZOOM - 0.01;
}

typedef struct
{
  double x, y;   /* top left corner of the label */
  double d;      /* distance from the place's point, for areas */
} Spot;

static int
compare_spots (gconstpointer a,
               gconstpointer b)
{
  const Spot *sa = a, *sb = b;

  return sa->d < sb->d ? -1 : sa->d > sb->d;
}

/* Where an area's label may go: centred on the place's point if that lies
 * inside the area, then on points of a grid over the area's part in view,
 * nearest that point first. */
static void
add_area_spots (ChronoEventLayer *self,
                const Entry      *entry,
                const Projection *proj,
                double            width,
                double            height,
                double            w,
                double            h,
                GArray           *spots)
{
  double x, y, step;
  Box box;

  project (proj, entry->mx, entry->my, &x, &y);
  if (area_contains (self, entry, proj, x, y))
    g_array_append_val (spots, ((Spot) { x - w / 2, y - h / 2, 0 }));

  project_box (proj, entry, &box);
  box.x0 = MAX (box.x0, w / 2);
  box.y0 = MAX (box.y0, h / 2);
  box.x1 = MIN (box.x1, width - w / 2);
  box.y1 = MIN (box.y1, height - h / 2);
  if (box.x1 < box.x0 || box.y1 < box.y0)
    return;

  step = MAX (h / 2, MAX (box.x1 - box.x0, box.y1 - box.y0) / 24);
  for (double gy = box.y0 + step / 2; gy <= box.y1; gy += step)
    for (double gx = box.x0 + step / 2; gx <= box.x1; gx += step)
      if (area_contains (self, entry, proj, gx, gy))
        g_array_append_val (spots, ((Spot) { gx - w / 2, gy - h / 2, hypot (gx - x, gy - y) + 1 }));

  g_array_sort (spots, compare_spots);
  if (spots->len > MAX_AREA_SPOTS)
    g_array_set_size (spots, MAX_AREA_SPOTS);
}

/* Finds a spot for @entry's label: beside its mark (right, left, above,
 * below, then the corners) or, for an area, inside it; never over a label
 * or a mark already placed. A spot that covers nothing else is taken at
 * once; failing one, a place that @must_show is named where it crosses no
 * route if it can and hides the least of the basemap's names (which an
 * export then paints out, see paint_out_covered_names ()); other places
 * are not named. */
static gboolean
place_label (ChronoEventLayer *self,
             Entry            *entry,
             const Projection *proj,
             double            width,
             double            height,
             gboolean          must_show,
             Box              *out)
{
  const Cluster *cluster = cluster_of (self, entry);
  g_autoptr (GArray) spots = g_array_sized_new (FALSE, FALSE, sizeof (Spot), 8);
  double x, y, r, w, h;
  double least = G_MAXDOUBLE;

  /* In a cluster, only the strongest place is named, beside the cluster */
  if (cluster != NULL && entry != entry_at (self, cluster->lead))
    return FALSE;

  ensure_layout (self, entry);
  w = entry->label_width;
  h = entry->label_height;

  if (entry->shape == SHAPE_AREA)
    add_area_spots (self, entry, proj, width, height, w, h, spots);
  else
    {
      /* Routes are labelled at the place's own point */
      mark_of (self, entry, proj, &x, &y, &r);
      if (x < 0 || y < 0 || x > width || y > height)
        return FALSE;

      if (g_strcmp0 (entry->id, self->selected_place) == 0 && entry->shape == SHAPE_POINT)
        r += SELECTION_REACH;
      r += LABEL_GAP;
      g_array_append_vals (spots, (Spot[]) {
        { x + r,         y - h / 2, 0 },   /* right */
        { x - r - w,     y - h / 2, 0 },   /* left */
        { x - w / 2,     y - r - h, 0 },   /* above */
        { x - w / 2,     y + r,     0 },   /* below */
        /* The corners, the text's nearest corner at the mark's edge */
        { x + r * M_SQRT1_2,     y - r * M_SQRT1_2 - h, 0 },
        { x + r * M_SQRT1_2,     y + r * M_SQRT1_2,     0 },
        { x - r * M_SQRT1_2 - w, y - r * M_SQRT1_2 - h, 0 },
        { x - r * M_SQRT1_2 - w, y + r * M_SQRT1_2,     0 },
      }, 8);

      /* A place that must be named may stand a little further off */
      if (must_show)
        {
          double far = r + h / 2;

          g_array_append_vals (spots, (Spot[]) {
            { x + far,       y - h / 2,   0 },
            { x - far - w,   y - h / 2,   0 },
            { x - w / 2,     y - far - h, 0 },
            { x - w / 2,     y + far,     0 },
          }, 4);
        }
    }

  for (guint k = 0; k < spots->len; k++)
    {
      const Spot *spot = &g_array_index (spots, Spot, k);
      Box box = { spot->x - 2, spot->y - 1, spot->x + w + 2, spot->y + h + 1 };
      double cost = 0;

      if (box.x0 < 0 || box.y0 < 0 || box.x1 > width || box.y1 > height ||
          !box_grid_is_free (&self->placed_labels, &box) || !clear_of_marks (self, &box))
        continue;

      if (!box_grid_is_free (&self->basemap_boxes, &box))
        cost += MAX (1, basemap_overlap (self, &box));
      if (crosses_route (self, entry, &box))
        cost += ROUTE_CROSSING_COST;

      if (cost == 0)
        {
          *out = box;
          return TRUE;
        }

      if (must_show && cost < least)
        {
          least = cost;
          *out = box;
        }
    }

  return least < G_MAXDOUBLE;
}

static void
paint_label (ChronoEventLayer *self,
             Painter          *painter,
             Entry            *entry,
             const Box        *box,
             const GdkRGBA    *fg,
             const GdkRGBA    *halo,
             double            alpha)
{
  GdkRGBA text = with_alpha (fg, alpha);
  GdkRGBA glow = with_alpha (halo, alpha);
  static const float offsets[][2] = { { 1, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 } };

  /* The halo is the text drawn again around itself: glyph nodes batch in
   * the GL renderer, where a shadow node would render offscreen per label. */
  for (guint k = 0; k < G_N_ELEMENTS (offsets); k++)
    paint_layout (painter, entry->layout, &glow, box->x0 + 2 + offsets[k][0], box->y0 + 1 + offsets[k][1]);
  paint_layout (painter, entry->layout, &text, box->x0 + 2, box->y0 + 1);
}

/* The offline basemap under the layer, if that is what the map shows */
static ChronoBasemapSource *
dup_basemap_source (ChronoEventLayer *self)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *reference = shumate_viewport_get_reference_map_source (viewport);

  if (!CHRONO_IS_BASEMAP_MAP_SOURCE (reference))
    return NULL;

  return g_object_ref (chrono_basemap_map_source_get_data_source (CHRONO_BASEMAP_MAP_SOURCE (reference)));
}

/* The basemap's own town names are obstacles too, so that no label of the
 * layer covers one. */
static void
add_basemap_label_boxes (ChronoEventLayer *self,
                         const Projection *proj,
                         double            width,
                         double            height)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_autoptr (ChronoBasemapSource) basemap = dup_basemap_source (self);
  g_autoptr (GArray) boxes = NULL;
  double det = proj->ax * proj->by - proj->bx * proj->ay;
  double corners[4][2] = { { 0, 0 }, { width, 0 }, { 0, height }, { width, height } };
  double mx0 = G_MAXDOUBLE, my0 = G_MAXDOUBLE, mx1 = -G_MAXDOUBLE, my1 = -G_MAXDOUBLE;
  const double *b;

  box_grid_reset (&self->basemap_boxes, width, height);
  if (basemap == NULL || det == 0)
    return;

  /* The area shown, in Web Mercator units */
  for (guint k = 0; k < 4; k++)
    {
      double dx = corners[k][0] - proj->ox, dy = corners[k][1] - proj->oy;
      double mx = (proj->by * dx - proj->bx * dy) / det;
      double my = (proj->ax * dy - proj->ay * dx) / det;

      mx0 = MIN (mx0, mx);
      my0 = MIN (my0, my);
      mx1 = MAX (mx1, mx);
      my1 = MAX (my1, my);
    }

  /* Tiles of the zoom level below a fractional one are shown, scaled */
  boxes = chrono_basemap_source_dup_label_boxes (basemap,
                                                 (int) floor (shumate_viewport_get_zoom_level (viewport) + 1e-6),
                                                 mx0, my0, mx1, my1);
  b = (const double *) (gpointer) boxes->data;
  for (guint i = 0; i + 3 < boxes->len; i += 4)
    {
      Entry corner_box = { .bx0 = b[i], .by0 = b[i + 1], .bx1 = b[i + 2], .by1 = b[i + 3] };
      Box box;

      project_box (proj, &corner_box, &box);
      if (box.x1 < 0 || box.y1 < 0 || box.x0 > width || box.y0 > height)
        continue;
      box_grid_add (&self->basemap_boxes, &box);
    }
}

/* Labels are placed in this order, each where none placed before it is: */
typedef enum
{
  RANK_SELECTED,
  RANK_LIT_CITY,     /* the capital and cities with events in effect */
  RANK_LIT,          /* other points and routes with events in effect, strongest first */
  RANK_CITY,         /* the capital and the cities of the dataset */
  RANK_TOWN,         /* its towns */
  RANK_AREA,         /* areas, lit ones first: they find room anywhere inside */
  RANK_IMPORTANT,    /* countries and regions named at a point */
  RANK_OTHER,        /* villages, sites */
  N_RANKS
} Rank;

static Rank
rank_of (ChronoEventLayer *self,
         const Entry      *entry,
         const Entry      *selected,
         double            zoom)
{
  if (entry == selected)
    return RANK_SELECTED;
  if (entry->shape == SHAPE_AREA)
    return entry->n_events > 0 || wants_dim_label (entry, zoom) ? RANK_AREA : N_RANKS;
  if (entry->n_events > 0)
    return entry->city ? RANK_LIT_CITY : RANK_LIT;
  if (!wants_dim_label (entry, zoom))
    return N_RANKS;
  if (entry->city)
    return RANK_CITY;
  if (entry->town)
    return RANK_TOWN;
  if (entry->important)
    return RANK_IMPORTANT;
  return RANK_OTHER;
}

/* Below this zoom a plain place with nothing in effect shows neither a ring
 * nor a name: only lit places, the selected one and notable ones (areas,
 * routes, important places) can */
#define SPARSE_ZOOM MIN (DIM_MIN_ZOOM, MIN (DIM_TOWN_LABELS_ZOOM, DIM_OTHER_LABELS_ZOOM))

static int
compare_indices (gconstpointer a,
                 gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* The entries that can show a mark or a name at @zoom, in the dataset's
 * order; %NULL for all of them. A hundred thousand places seen at world
 * scale are not looked at one by one every frame. */
static GArray *
dup_candidates (ChronoEventLayer *self,
                const Entry      *selected,
                double            zoom)
{
  GArray *candidates;
  guint n = 0;

  if (zoom >= SPARSE_ZOOM - 0.01)
    return NULL;

  candidates = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->notable->len + self->active->len + 1);
  g_array_append_vals (candidates, self->notable->data, self->notable->len);
  g_array_append_vals (candidates, self->active->data, self->active->len);
  if (selected != NULL)
    g_array_append_val (candidates, (guint) { (guint) (selected - entry_at (self, 0)) });
  g_array_sort (candidates, compare_indices);
  for (guint i = 0; i < candidates->len; i++)
    if (n == 0 || g_array_index (candidates, guint, i) != g_array_index (candidates, guint, n - 1))
      g_array_index (candidates, guint, n++) = g_array_index (candidates, guint, i);
  g_array_set_size (candidates, n);
  return candidates;
}

/* Every mark drawn is an obstacle for every label: a name never hides a
 * place, lit or not. @candidates: from dup_candidates(), or %NULL for
 * every place. */
static void
add_mark_boxes (ChronoEventLayer *self,
                const Projection *proj,
                const Entry      *selected,
                GArray           *candidates,
                double            width,
                double            height,
                double            zoom)
{
  guint n = candidates != NULL ? candidates->len : self->entries->len;

  for (guint k = 0; k < n; k++)
    {
      Entry *entry = entry_at (self, candidates != NULL ? g_array_index (candidates, guint, k) : k);
      double x, y, r;
      Box box;

      if (entry->shape != SHAPE_POINT || is_dim_hidden (entry, zoom))
        continue;

      mark_of (self, entry, proj, &x, &y, &r);
      if (x < -r || y < -r || x > width + r || y > height + r)
        continue;

      /* The selection's rings, outside the mark */
      if (entry == selected)
        r += SELECTION_REACH;

      box = (Box) { x - r, y - r, x + r, y + r };
      box_grid_add (&self->mark_boxes, &box);
      g_array_append_val (self->drawn_marks, ((Mark) { x, y, r }));
    }
}

/* The controls that @widget, an ancestor of the layer, shows over the map
 * (zoom buttons, scale, licence, compass), as obstacles */
static void
add_control_boxes (ChronoEventLayer *self,
                   GtkWidget        *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;
      Box box;

      if (!gtk_widget_get_mapped (child) || SHUMATE_IS_MAP (child))
        continue;

      if (gtk_widget_get_first_child (child) != NULL && !GTK_IS_BUTTON (child) &&
          !SHUMATE_IS_SCALE (child) && !SHUMATE_IS_LICENSE (child) && !SHUMATE_IS_COMPASS (child))
        {
          add_control_boxes (self, child);
          continue;
        }

      if (!gtk_widget_compute_bounds (child, GTK_WIDGET (self), &bounds))
        continue;

      box = (Box) { bounds.origin.x, bounds.origin.y,
                    bounds.origin.x + bounds.size.width, bounds.origin.y + bounds.size.height };
      box_grid_add (&self->placed_labels, &box);
    }
}

/* Decides where labels go, into self->drawn_labels; on screen (@controls),
 * off the map's own controls too: a name under the licence is no name. */
static void
place_labels (ChronoEventLayer *self,
              const Projection *proj,
              double            width,
              double            height,
              gboolean          controls)
{
  Entry *selected = lookup_entry (self, self->selected_place);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double zoom = shumate_viewport_get_zoom_level (viewport);
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) candidates = dup_candidates (self, selected, zoom);
  g_autofree gboolean *placed = NULL;

  g_array_set_size (self->drawn_labels, 0);
  g_array_set_size (self->drawn_marks, 0);
  box_grid_reset (&self->placed_labels, width, height);
  box_grid_reset (&self->mark_boxes, width, height);
  add_mark_boxes (self, proj, selected, candidates, width, height, zoom);
  for (guint i = 0; i < self->keep_out->len; i++)
    box_grid_add (&self->placed_labels, &g_array_index (self->keep_out, Box, i));
  if (controls)
    {
      GtkWidget *simple_map = gtk_widget_get_ancestor (GTK_WIDGET (self), SHUMATE_TYPE_SIMPLE_MAP);

      if (simple_map != NULL)
        add_control_boxes (self, simple_map);
    }
  add_basemap_label_boxes (self, proj, width, height);
  collect_route_segments (self, proj, width, height);

  /* Lit places strongest first (self->active runs the other way), then
   * the others in the dataset's order, each rank after the one before:
   * each place looked at once, into its rank's bucket (there can be a
   * hundred thousand places) */
  {
    GArray *buckets[N_RANKS];

    for (Rank rank = 0; rank < N_RANKS; rank++)
      buckets[rank] = g_array_new (FALSE, FALSE, sizeof (guint));

    for (guint i = self->active->len; i > 0; i--)
      {
        guint index = g_array_index (self->active, guint, i - 1);
        Rank rank = rank_of (self, entry_at (self, index), selected, zoom);

        if (rank == RANK_LIT_CITY || rank == RANK_LIT || rank == RANK_AREA)
          g_array_append_val (buckets[rank], index);
      }

    guint n = candidates != NULL ? candidates->len : self->entries->len;

    for (guint k = 0; k < n; k++)
      {
        guint i = candidates != NULL ? g_array_index (candidates, guint, k) : k;
        Entry *entry = entry_at (self, i);
        Rank rank = rank_of (self, entry, selected, zoom);

        if (rank == N_RANKS ||
            ((rank == RANK_LIT_CITY || rank == RANK_LIT || rank == RANK_AREA) &&
             entry->n_events > 0 && entry != selected))
          continue;
        g_array_append_val (buckets[rank], i);
      }

    for (Rank rank = 0; rank < N_RANKS; rank++)
      {
        g_array_append_vals (order, buckets[rank]->data, buckets[rank]->len);
        g_array_unref (buckets[rank]);
      }
  }

  /* Twice: first where a label covers nothing at all, in that order, then
   * the places that must be named where they cover the least; so that a
   * name that fits somewhere is not crowded out by one that has to go over
   * the basemap's names anyway. */
  placed = g_new0 (gboolean, order->len);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < order->len && self->drawn_labels->len < MAX_LABELS; i++)
      {
        guint index = g_array_index (order, guint, i);
        Entry *entry = entry_at (self, index);
        Rank rank = rank_of (self, entry, selected, zoom);
        gboolean must_show = rank <= RANK_TOWN || entry->n_events > 0;
        double alpha;
        Box box;

        if (placed[i] || (pass == 1 && !must_show) ||
            !place_label (self, entry, proj, width, height, must_show && pass == 1, &box))
          continue;

        if (rank == RANK_SELECTED)
          alpha = 1.0;
        else if (entry->n_events > 0)
          alpha = MAX (0.5, entry->strength);
        else if (rank == RANK_CITY || rank == RANK_TOWN)
          alpha = 0.8;
        else
          alpha = 0.6;

        placed[i] = TRUE;
        box_grid_add (&self->placed_labels, &box);
        g_array_append_val (self->drawn_labels, ((PlacedLabel) { index, box, alpha }));
      }
}

static gboolean
boxes_meet (const Box *a,
            const Box *b)
{
  return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* In an export, the basemap's names that a label or a disc of the layer had
 * to go over are painted out with the land's colour, under the layer's
 * routes, areas and marks: a picture shows no name over another nor a name
 * cut by a disc, and the places of the story come first. On screen they
 * stay; zooming in parts them. */
static void
paint_out_covered_names (ChronoEventLayer *self,
                         GtkSnapshot      *snapshot)
{
  GdkRGBA land;

  chrono_basemap_get_background_color (self->basemap_style, &land);
  for (guint i = 0; i < self->basemap_boxes.boxes->len; i++)
    {
      const Box *name = &g_array_index (self->basemap_boxes.boxes, Box, i);
      gboolean covered = FALSE;

      for (guint j = 0; j < self->drawn_labels->len && !covered; j++)
        covered = boxes_meet (name, &g_array_index (self->drawn_labels, PlacedLabel, j).box);

      /* Discs, not the small rings of places with nothing in effect */
      for (guint j = 0; j < self->drawn_marks->len && !covered; j++)
        {
          const Mark *mark = &g_array_index (self->drawn_marks, Mark, j);
          Box disc = { mark->x - mark->r, mark->y - mark->r, mark->x + mark->r, mark->y + mark->r };

          covered = mark->r > DIM_RADIUS + 1 && boxes_meet (name, &disc);
        }

      if (covered)
        gtk_snapshot_append_color (snapshot, &land,
                                   &GRAPHENE_RECT_INIT (name->x0 - 1, name->y0 - 1,
                                                        name->x1 - name->x0 + 2,
                                                        name->y1 - name->y0 + 2));
    }
}

static void
paint_labels (ChronoEventLayer *self,
              Painter          *painter)
{
  GdkRGBA fg = label_palettes[self->basemap_style].text;
  GdkRGBA halo = label_palettes[self->basemap_style].halo;

  for (guint i = 0; i < self->drawn_labels->len; i++)
    {
      const PlacedLabel *label = &g_array_index (self->drawn_labels, PlacedLabel, i);

      paint_label (self, painter, entry_at (self, label->entry), &label->box, &fg, &halo, label->alpha);
    }
}

/* Every place's dim ring, from a picture of them all kept while the view,
 * the size, the scale and the style stay: while the date moves, one blit
 * instead of a blit per place (there can be thousands). A lit place's mark
 * covers its ring. Cairo only: render nodes need the rings one by one. */
static void
paint_rings (ChronoEventLayer *self,
             Painter          *painter,
             const Projection *proj,
             GdkTexture       *dot,
             double            width,
             double            height,
             double            zoom)
{
  int scale = painter->scale;
  int w = (int) ceil (width * scale), h = (int) ceil (height * scale);
  cairo_surface_t *ring = g_object_get_qdata (G_OBJECT (dot), mark_surface_quark ());

  if (self->rings == NULL ||
      cairo_image_surface_get_width (self->rings) != w ||
      cairo_image_surface_get_height (self->rings) != h ||
      memcmp (&self->rings_proj, proj, sizeof *proj) != 0 ||
      self->rings_zoom != zoom || self->rings_style != self->basemap_style)
    {
      cairo_t *cr;

      g_clear_pointer (&self->rings, cairo_surface_destroy);
      self->rings = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
      self->rings_proj = *proj;
      self->rings_zoom = zoom;
      self->rings_style = self->basemap_style;

      cr = cairo_create (self->rings);
      for (guint i = 0; i < self->entries->len; i++)
        {
          Entry *entry = entry_at (self, i);
          double x, y;

          /* The places that show a ring when nothing happens there */
          if (entry->shape != SHAPE_POINT || is_ring_hidden (entry, zoom))
            continue;

          project (proj, entry->mx, entry->my, &x, &y);
          if (x < -DIM_RADIUS || y < -DIM_RADIUS || x > width + DIM_RADIUS || y > height + DIM_RADIUS)
            continue;

          cairo_set_source_surface (cr, ring, round ((x - DIM_RADIUS) * scale), round ((y - DIM_RADIUS) * scale));
          cairo_paint (cr);
        }
      cairo_destroy (cr);
    }

  cairo_save (painter->cr);
  cairo_scale (painter->cr, 1.0 / scale, 1.0 / scale);
  cairo_set_source_surface (painter->cr, self->rings, 0, 0);
  cairo_paint (painter->cr);
  cairo_restore (painter->cr);
}

/* The dim ring of each place with nothing in effect, one by one: for render
 * nodes, where paint_rings () cannot serve */
static void
paint_idle_rings (ChronoEventLayer *self,
                  Painter          *painter,
                  const Projection *proj,
                  GdkTexture       *dot,
                  double            width,
                  double            height,
                  double            zoom)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = entry_at (self, i);
      double x, y;

      if (entry->n_events > 0 || entry->shape != SHAPE_POINT || is_dim_hidden (entry, zoom))
        continue;

      project (proj, entry->mx, entry->my, &x, &y);
      if (x < -DIM_RADIUS || y < -DIM_RADIUS || x > width + DIM_RADIUS || y > height + DIM_RADIUS)
        continue;

      paint_mark (painter, dot, x, y, DIM_RADIUS);
    }
}

static void
draw_layer (ChronoEventLayer *self,
            GtkSnapshot      *snapshot,
            double            width,
            double            height,
            int               scale_factor,
            gboolean          with_cairo,
            gboolean          for_export)
{
  const GdkRGBA *white = &label_palettes[self->basemap_style].casing;
  const GdkRGBA *ink = &label_palettes[self->basemap_style].ink;
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double zoom = shumate_viewport_get_zoom_level (viewport);
  Painter painter = { snapshot, NULL, scale_factor };
  Entry *selected, *hover;
  GdkTexture *dot;
  Projection proj;

  ensure_state (self);
  if (self->entries->len == 0 || !get_projection (self, width, height, &proj))
    return;

  dot = ensure_dot (self, scale_factor);
  compute_clusters (self, &proj, width, height, !for_export);

  g_array_set_size (self->drawn_labels, 0);
  g_array_set_size (self->drawn_marks, 0);
  if (self->show_labels)
    place_labels (self, &proj, width, height, !for_export);
  if (for_export || self->paint_out_names)
    paint_out_covered_names (self, snapshot);

  snapshot_shapes (self, snapshot, &proj, width, height);
  if (with_cairo)
    painter.cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* Places with nothing in effect: small dim rings */
  if (painter.cr != NULL)
    paint_rings (self, &painter, &proj, dot, width, height, zoom);
  else
    paint_idle_rings (self, &painter, &proj, dot, width, height, zoom);

  /* Places with events in effect, faint ones under strong ones */
  for (guint i = 0; i < self->active->len; i++)
    {
      Entry *entry = entry_at (self, g_array_index (self->active, guint, i));
      GdkTexture *marker;
      double x, y, half;

      if (entry->shape != SHAPE_POINT)
        continue;

      if (entry->cluster > 0 &&
          g_array_index (self->clusters, Cluster, entry->cluster - 1).n_places > 1)
        continue;

      marker = marker_texture (self, entry->category, entry->n_events, entry->strength,
                               scale_factor, &half);
      project (&proj, entry->mx, entry->my, &x, &y);
      if (x < -half || y < -half || x > width + half || y > height + half)
        continue;

      paint_mark (&painter, marker, x, y, half);
    }

  paint_clusters (self, &painter, width, height);

  hover = lookup_entry (self, self->hover_place);
  if (hover != NULL && hover->shape == SHAPE_POINT && g_strcmp0 (self->hover_place, self->selected_place) != 0)
    {
      double x, y, r;
      GdkRGBA ring = with_alpha (ink, 0.5);

      mark_of (self, hover, &proj, &x, &y, &r);
      paint_ring (&painter, x, y, r + 3, 1.5, &ring);
    }

  selected = lookup_entry (self, self->selected_place);
  if (selected != NULL && selected->shape == SHAPE_POINT)
    {
      double x, y, r;

      mark_of (self, selected, &proj, &x, &y, &r);
      r += 4;
      paint_ring (&painter, x, y, r + 1.5, 1.5, white);
      paint_ring (&painter, x, y, r, 2.5, ink);
    }

  if (self->show_labels)
    paint_labels (self, &painter);

  g_clear_pointer (&painter.cr, cairo_destroy);
}

static void
chrono_event_layer_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  GtkNative *native = gtk_widget_get_native (widget);

  draw_layer (CHRONO_EVENT_LAYER (widget), snapshot,
              gtk_widget_get_width (widget),
              gtk_widget_get_height (widget),
              gtk_widget_get_scale_factor (widget),
              native != NULL && GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (native)),
              FALSE);
}

static double
distance_to_segment (double px, double py,
                     double ax, double ay,
                     double bx, double by)
{
  double dx = bx - ax, dy = by - ay;
  double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;

  t = CLAMP (t, 0, 1);
  return hypot (px - (ax + t * dx), py - (ay + t * dy));
}

static double
distance_to_shape (ChronoEventLayer *self,
                   const Entry      *entry,
                   const Projection *proj,
                   double            x,
                   double            y)
{
  double best = G_MAXDOUBLE;
  gboolean inside = FALSE;

  for (guint p = 0; p < entry->n_parts; p++)
    {
      const Part *part = &g_array_index (self->parts, Part, entry->first_part + p);
      double px = 0, py = 0;

      for (guint k = 0; k < part->n; k++)
        {
          const graphene_point_t *pt = &g_array_index (self->points, graphene_point_t, part->first + k);
          double qx, qy;

          project (proj, pt->x, pt->y, &qx, &qy);
          if (k > 0)
            {
              best = MIN (best, distance_to_segment (x, y, px, py, qx, qy));
              if (entry->shape == SHAPE_AREA && ((py > y) != (qy > y)) &&
                  x < px + (qx - px) * (y - py) / (qy - py))
                inside = !inside;
            }
          px = qx;
          py = qy;
        }
    }

  return inside ? 0 : best;
}

/* Callbacks */

static void
on_viewport_notify (ChronoEventLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_events_items_changed (ChronoEventLayer *self)
{
  invalidate_state (self);
}

static void
set_hover_place (ChronoEventLayer *self,
                 const char       *place_id)
{
  if (g_strcmp0 (self->hover_place, place_id) == 0)
    return;

  g_free (self->hover_place);
  self->hover_place = g_strdup (place_id);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->map != NULL)
    gtk_widget_trigger_tooltip_query (self->map);
}

static gboolean
map_to_layer (ChronoEventLayer *self,
              double            x,
              double            y,
              double           *lx,
              double           *ly)
{
  if (self->map == NULL)
    return FALSE;

  return gtk_widget_translate_coordinates (self->map, GTK_WIDGET (self), x, y, lx, ly);
}

static void
on_motion_motion (GtkEventControllerMotion *motion,
                  double                    x,
                  double                    y,
                  ChronoEventLayer         *self)
{
  double lx, ly;

  if (map_to_layer (self, x, y, &lx, &ly))
    set_hover_place (self, chrono_event_layer_place_at (self, lx, ly));
}

static void
on_motion_leave (GtkEventControllerMotion *motion,
                 ChronoEventLayer         *self)
{
  set_hover_place (self, NULL);
}

/* Zooms in far enough for the cluster's places to part, centred on it. */
static void
zoom_into_cluster (ChronoEventLayer *self,
                   const Cluster    *cluster)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double lat, lon;

  shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self),
                                              cluster->x, cluster->y, &lat, &lon);
  zoom = MIN (zoom + 2, MAX (CLUSTER_MAX_ZOOM, zoom + 1));
  zoom = MIN (zoom, shumate_viewport_get_max_zoom_level (viewport));

  if (self->map != NULL && SHUMATE_IS_MAP (self->map))
    shumate_map_go_to_full (SHUMATE_MAP (self->map), lat, lon, zoom);
  else
    {
      shumate_viewport_set_zoom_level (viewport, zoom);
      shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
    }
}

static void
on_click_released (GtkGestureClick  *click,
                   int               n_press,
                   double            x,
                   double            y,
                   ChronoEventLayer *self)
{
  const char *place_id;
  double lx, ly;

  if (n_press != 1 || !map_to_layer (self, x, y, &lx, &ly))
    return;

  if (update_widget_clusters (self))
    {
      const Cluster *cluster = cluster_at (self, lx, ly);

      if (cluster != NULL)
        {
          zoom_into_cluster (self, cluster);
          return;
        }
    }

  place_id = chrono_event_layer_place_at (self, lx, ly);
  chrono_event_layer_set_selected_place (self, place_id);
  if (place_id != NULL)
    g_signal_emit (self, signals[PLACE_ACTIVATED], 0, place_id, x, y);
}

static gboolean
on_map_query_tooltip (GtkWidget        *map,
                      int               x,
                      int               y,
                      gboolean          keyboard_mode,
                      GtkTooltip       *tooltip,
                      ChronoEventLayer *self)
{
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *count = NULL;
  g_autofree char *name = NULL;
  const char *place_id;
  double lx, ly;
  Entry *entry;

  if (keyboard_mode || !map_to_layer (self, x, y, &lx, &ly))
    return FALSE;

  if (update_widget_clusters (self))
    {
      const Cluster *cluster = cluster_at (self, lx, ly);

      if (cluster != NULL)
        {
          g_autofree char *places = NULL;

          places = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u place", "%u places", cluster->n_places),
                                    cluster->n_places);
          count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%u event in effect",
                                                "%u events in effect",
                                                cluster->n_events),
                                   cluster->n_events);
          /* Translators: a tooltip on a cluster of places: "3 places", then "5 events in effect", then a hint */
          text = g_strdup_printf ("<b>%s</b>\n%s\n%s", places, count, _("Click to zoom in"));
          gtk_tooltip_set_markup (tooltip, text);
          return TRUE;
        }
    }

  place_id = chrono_event_layer_place_at (self, lx, ly);
  entry = lookup_entry (self, place_id);
  if (entry == NULL)
    return FALSE;

  name = dup_place_label (self, entry, CHRONO_DISPLAY_NAME_CHARS);
  escaped = g_markup_escape_text (name, -1);
  if (entry->n_events == 0)
    count = g_strdup (_("No events in effect"));
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u event in effect",
                                          "%u events in effect",
                                          entry->n_events),
                             entry->n_events);
  text = g_strdup_printf ("<b>%s</b>\n%s", escaped, count);

  gtk_tooltip_set_markup (tooltip, text);
  return TRUE;
}

/* GObject */

static void
detach_controllers (ChronoEventLayer *self)
{
  if (self->map == NULL)
    return;

  gtk_widget_remove_controller (self->map, self->motion);
  gtk_widget_remove_controller (self->map, GTK_EVENT_CONTROLLER (self->click));
  g_clear_signal_handler (&self->tooltip_id, self->map);
  g_object_remove_weak_pointer (G_OBJECT (self->map), (gpointer *) &self->map);
  self->map = NULL;
  self->motion = NULL;
  self->click = NULL;
}

static void
chrono_event_layer_constructed (GObject *object)
{
  ChronoEventLayer *self = CHRONO_EVENT_LAYER (object);
  ShumateViewport *viewport;

  G_OBJECT_CLASS (chrono_event_layer_parent_class)->constructed (object);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_signal_connect_object (viewport, "notify", G_CALLBACK (on_viewport_notify),
                           self, G_CONNECT_SWAPPED);
}

static void
chrono_event_layer_dispose (GObject *object)
{
  ChronoEventLayer *self = CHRONO_EVENT_LAYER (object);

  detach_controllers (self);
  if (self->events != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->events);
  g_clear_object (&self->events);
  g_clear_object (&self->dot);
  g_clear_pointer (&self->rings, cairo_surface_destroy);
  if (self->entries != NULL)
    g_array_set_size (self->entries, 0);

  G_OBJECT_CLASS (chrono_event_layer_parent_class)->dispose (object);
}

static void
chrono_event_layer_finalize (GObject *object)
{
  ChronoEventLayer *self = CHRONO_EVENT_LAYER (object);

  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->index_by_id, g_hash_table_unref);
  g_clear_pointer (&self->mapped_table, chrono_event_table_unref);
  g_clear_pointer (&self->place_entries, g_array_unref);
  g_clear_pointer (&self->table_categories, g_array_unref);
  g_clear_pointer (&self->parts, g_array_unref);
  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->active, g_array_unref);
  g_clear_pointer (&self->shaped, g_array_unref);
  g_clear_pointer (&self->notable, g_array_unref);
  g_clear_pointer (&self->markers, g_hash_table_unref);
  box_grid_free (&self->placed_labels);
  box_grid_free (&self->basemap_boxes);
  g_clear_pointer (&self->segments, g_array_unref);
  box_grid_free (&self->segment_boxes);
  box_grid_free (&self->mark_boxes);
  g_clear_pointer (&self->keep_out, g_array_unref);
  g_clear_pointer (&self->drawn_labels, g_array_unref);
  g_clear_pointer (&self->drawn_marks, g_array_unref);
  g_clear_pointer (&self->clusters, g_array_unref);
  g_clear_pointer (&self->count_layouts, g_hash_table_unref);
  g_free (self->selected_place);
  g_free (self->hover_place);
  g_free (self->language);

  G_OBJECT_CLASS (chrono_event_layer_parent_class)->finalize (object);
}

static void
chrono_event_layer_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ChronoEventLayer *self = CHRONO_EVENT_LAYER (object);

  switch (prop_id)
    {
    case PROP_EVENTS_IN_EFFECT:
      g_value_set_object (value, self->events);
      break;
    case PROP_DAY:
      g_value_set_int64 (value, self->day);
      break;
    case PROP_AFTERGLOW_DAYS:
      g_value_set_uint (value, self->afterglow_days);
      break;
    case PROP_SELECTED_PLACE:
      g_value_set_string (value, self->selected_place);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_SHOW_LABELS:
      g_value_set_boolean (value, self->show_labels);
      break;
    case PROP_LABEL_SCALE:
      g_value_set_double (value, self->label_scale);
      break;
    case PROP_BASEMAP_STYLE:
      g_value_set_enum (value, self->basemap_style);
      break;
    case PROP_BOTH_NAMES:
      g_value_set_boolean (value, self->both_names);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_event_layer_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ChronoEventLayer *self = CHRONO_EVENT_LAYER (object);

  switch (prop_id)
    {
    case PROP_EVENTS_IN_EFFECT:
      chrono_event_layer_set_events_in_effect (self, g_value_get_object (value));
      break;
    case PROP_DAY:
      chrono_event_layer_set_day (self, g_value_get_int64 (value));
      break;
    case PROP_AFTERGLOW_DAYS:
      chrono_event_layer_set_afterglow_days (self, g_value_get_uint (value));
      break;
    case PROP_SELECTED_PLACE:
      chrono_event_layer_set_selected_place (self, g_value_get_string (value));
      break;
    case PROP_LANGUAGE:
      chrono_event_layer_set_language (self, g_value_get_string (value));
      break;
    case PROP_SHOW_LABELS:
      chrono_event_layer_set_show_labels (self, g_value_get_boolean (value));
      break;
    case PROP_LABEL_SCALE:
      chrono_event_layer_set_label_scale (self, g_value_get_double (value));
      break;
    case PROP_BASEMAP_STYLE:
      chrono_event_layer_set_basemap_style (self, g_value_get_enum (value));
      break;
    case PROP_BOTH_NAMES:
      chrono_event_layer_set_both_names (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_event_layer_system_setting_changed (GtkWidget        *widget,
                                           GtkSystemSetting  setting)
{
  ChronoEventLayer *self = CHRONO_EVENT_LAYER (widget);

  GTK_WIDGET_CLASS (chrono_event_layer_parent_class)->system_setting_changed (widget, setting);

  /* Cached label layouts are measured with the old font */
  if (setting == GTK_SYSTEM_SETTING_FONT_NAME || setting == GTK_SYSTEM_SETTING_FONT_CONFIG ||
      setting == GTK_SYSTEM_SETTING_DPI)
    {
      clear_layouts (self);
      gtk_widget_queue_draw (widget);
    }
}

static void
chrono_event_layer_class_init (ChronoEventLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = chrono_event_layer_constructed;
  object_class->dispose = chrono_event_layer_dispose;
  object_class->finalize = chrono_event_layer_finalize;
  object_class->get_property = chrono_event_layer_get_property;
  object_class->set_property = chrono_event_layer_set_property;

  widget_class->snapshot = chrono_event_layer_snapshot;
  widget_class->system_setting_changed = chrono_event_layer_system_setting_changed;

  /* The GListModel of ChronoEvent that also feeds the side panel. */
  properties[PROP_EVENTS_IN_EFFECT] =
    g_param_spec_object ("events-in-effect", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  /* The current day; events that ended before it fade over the afterglow. */
  properties[PROP_DAY] =
    g_param_spec_int64 ("day", NULL, NULL, G_MININT64, G_MAXINT64, G_MININT64, flags);
  properties[PROP_AFTERGLOW_DAYS] =
    g_param_spec_uint ("afterglow-days", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SELECTED_PLACE] =
    g_param_spec_string ("selected-place", NULL, NULL, NULL, flags);
  /* The language of labels and tooltips, or NULL for each place's own. */
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL, flags);
  properties[PROP_SHOW_LABELS] =
    g_param_spec_boolean ("show-labels", NULL, NULL, TRUE, flags);
  /* The size of labels relative to the widget's font: exports for print
   * make them bigger than marks, which keep their size in pixels. */
  properties[PROP_LABEL_SCALE] =
    g_param_spec_double ("label-scale", NULL, NULL, 0.25, 8.0, 1.0, flags);
  /* The style of the map under the layer: labels and rings take its
   * colours (light text on a dark halo over the dark style). Light for
   * MBTiles and OpenStreetMap maps. */
  properties[PROP_BASEMAP_STYLE] =
    g_param_spec_enum ("basemap-style", NULL, NULL, CHRONO_TYPE_BASEMAP_STYLE,
                       CHRONO_BASEMAP_STYLE_LIGHT, flags);
  /* Labels and tooltips add a place's official name after its name in
   * #ChronoEventLayer:language when the two differ ("Stepanakert /
   * Xankəndi"): the "both" place-name policy. */
  properties[PROP_BOTH_NAMES] =
    g_param_spec_boolean ("both-names", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ChronoEventLayer::place-activated:
   * @place_id: the place clicked
   * @x: x in the coordinates of the widget given to attach_controllers()
   * @y: y in the same coordinates
   */
  signals[PLACE_ACTIVATED] =
    g_signal_new ("place-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_DOUBLE,
                  G_TYPE_DOUBLE);
}

static void
chrono_event_layer_init (ChronoEventLayer *self)
{
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, clear_entry);
  self->index_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->place_entries = g_array_new (FALSE, FALSE, sizeof (guint));
  self->table_categories = g_array_new (FALSE, FALSE, sizeof (Category));
  self->parts = g_array_new (FALSE, FALSE, sizeof (Part));
  self->points = g_array_new (FALSE, FALSE, sizeof (graphene_point_t));
  self->active = g_array_new (FALSE, FALSE, sizeof (guint));
  self->shaped = g_array_new (FALSE, FALSE, sizeof (guint));
  self->notable = g_array_new (FALSE, FALSE, sizeof (guint));
  self->markers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  box_grid_init (&self->placed_labels);
  box_grid_init (&self->basemap_boxes);
  self->segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  box_grid_init (&self->segment_boxes);
  box_grid_init (&self->mark_boxes);
  self->keep_out = g_array_new (FALSE, FALSE, sizeof (Box));
  self->drawn_labels = g_array_new (FALSE, FALSE, sizeof (PlacedLabel));
  self->drawn_marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  self->clusters = g_array_new (FALSE, FALSE, sizeof (Cluster));
  self->count_layouts = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->day = G_MININT64;
  self->show_labels = TRUE;
  self->label_scale = 1.0;

  /* The map keeps its drag and zoom gestures: hits go through
   * chrono_event_layer_attach_controllers() on the map instead. */
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

/* Public API */

/**
 * chrono_event_layer_new:
 * @viewport: the map's viewport
 *
 * Returns: (transfer full): a new layer, to add to a ShumateMap or
 *   ShumateSimpleMap as an overlay layer
 */
ChronoEventLayer *
chrono_event_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (CHRONO_TYPE_EVENT_LAYER, "viewport", viewport, NULL);
}

/* Replaces the places drawn (a GPtrArray of ChronoPlace; the layer keeps its
 * own references). NULL or an empty array clears the layer. */
void
chrono_event_layer_set_places (ChronoEventLayer *self,
                               GPtrArray        *places)
{
  g_return_if_fail (CHRONO_IS_EVENT_LAYER (self));

  g_clear_pointer (&self->rings, cairo_surface_destroy);
  g_array_set_size (self->entries, 0);
  g_array_set_size (self->parts, 0);
  g_array_set_size (self->points, 0);
  g_array_set_size (self->active, 0);
  g_array_set_size (self->shaped, 0);
  g_array_set_size (self->notable, 0);
  g_array_set_size (self->drawn_labels, 0);
  g_array_set_size (self->drawn_marks, 0);
  g_hash_table_remove_all (self->index_by_id);
  g_clear_pointer (&self->mapped_table, chrono_event_table_unref);

  for (guint i = 0; places != NULL && i < places->len; i++)
    {
      ChronoPlace *place = g_ptr_array_index (places, i);
      const char *geometry;
      Entry entry = { 0 };

      g_return_if_fail (CHRONO_IS_PLACE (place));

      if (g_hash_table_contains (self->index_by_id, chrono_place_get_id (place)))
        continue;

      entry.place = g_object_ref (place);
      entry.id = chrono_place_get_id (place);
      entry.mx = mercator_x (chrono_place_get_lon (place));
      entry.my = mercator_y (chrono_place_get_lat (place));
      entry.shape = SHAPE_POINT;
      entry.important = is_important_kind (chrono_place_get_kind (place));
      entry.town = g_strcmp0 (chrono_place_get_kind (place), "town") == 0;
      entry.city = g_strcmp0 (chrono_place_get_kind (place), "city") == 0;

      geometry = chrono_place_get_geometry (place);
      if (geometry != NULL && *geometry != '\0')
        parse_geometry (self, &entry, geometry);

      g_array_append_val (self->entries, entry);
      g_hash_table_insert (self->index_by_id, (gpointer) entry.id,
                           GUINT_TO_POINTER (self->entries->len));
      if (entry.shape != SHAPE_POINT)
        g_array_append_val (self->shaped, (guint) { self->entries->len - 1 });
      if (entry.shape != SHAPE_POINT || entry.important)
        g_array_append_val (self->notable, (guint) { self->entries->len - 1 });
    }

  invalidate_state (self);
}

/* Shows the events of @model (a GListModel of ChronoEvent), following its
 * changes. */
void
chrono_event_layer_set_events_in_effect (ChronoEventLayer *self,
                                         GListModel       *model)
{
  g_return_if_fail (CHRONO_IS_EVENT_LAYER (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->events == model)
    return;

  if (self->events != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->events);
  g_set_object (&self->events, model);
  if (model != NULL)
    self->items_changed_id = g_signal_connect_object (model, "items-changed",
                                                      G_CALLBACK (on_events_items_changed),
                                                      self, G_CONNECT_SWAPPED);

  invalidate_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENTS_IN_EFFECT]);
}

GListModel *
chrono_event_layer_get_events_in_effect (ChronoEventLayer *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), NULL);

  return self->events;
}

gint64
chrono_event_layer_get_day (ChronoEventLayer *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), G_MININT64);

  return self->day;
}

void
chrono_event_layer_set_day (ChronoEventLayer *self,
                            gint64            day)
{
  g_return_if_fail (CHRONO_IS_EVENT_LAYER (self));

  if (self->day == day)
    return;

  self->day = day;
  invalidate_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAY]);
}

guint
chrono_event_layer_get_afterglow_days (ChronoEventLayer *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), 0);

  return self->afterglow_days;
}

void
chrono_event_layer_set_afterglow_days (ChronoEventLayer *self,
                                       guint             days)
{
  g_return_if_fail (CHRONO_IS_EVENT_LAYER (self));

  if (self->afterglow_days == days)
    return;

  self->afterglow_days = days;
  invalidate_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AFTERGLOW_DAYS]);
}

const char *
chrono_event_layer_get_selected_place (ChronoEventLayer *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), NULL);

  return self->selected_place;
}

void
chrono_event_layer_set_selected_place (ChronoEventLayer *self,
                                       const char       *place_id)
{
  g_return_if_fail (CHRONO_IS_EVENT_LAYER (self));

  if (g_strcmp0 (self->selected_place, place_id) == 0)
    return;

  g_free (self->selected_place);
  self->selected_place = g_strdup (place_id);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_PLACE]);
}

const char *
chrono_event_layer_get_language (ChronoEventLayer *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), NULL);

  return self->language;
}

void
chrono_event_layer_set_language (ChronoEventLayer *self,
                                 const char       *language)
{
  g_return_if_fail (CHRONO_IS_EVENT_LAYER (self));

  if (g_strcmp0 (self->language, language) == 0)
    return;

  g_free (self->language);
  self->language = g_strdup (language);
  clear_layouts (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

gboolean
chrono_event_layer_get_show_labels (ChronoEventLayer *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), FALSE);

  return self->show_labels;
}

void
chrono_event_layer_set_show_labels (ChronoEventLayer *self,
                                    gboolean          show_labels)
{
  g_return_if_fail (CHRONO_IS_EVENT_LAYER (self));

  show_labels = !!show_labels;
  if (self->show_labels == show_labels)
    return;

  self->show_labels = show_labels;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_LABELS]);
}

/**
 * chrono_event_layer_set_paint_out_names:
 *
 * Paints out, on screen as in exports, the basemap's names that a label or
 * a disc of the layer had to go over: for presentation, whose large names
 * would otherwise print over one another where the map is crowded.
 */
void
chrono_event_layer_set_paint_out_names (ChronoEventLayer *self,
                                        gboolean          paint_out)
{
  g_return_if_fail (CHRONO_IS_EVENT_LAYER (self));

  if (self->paint_out_names == !!paint_out)
    return;
  self->paint_out_names = !!paint_out;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
chrono_event_layer_get_paint_out_names (ChronoEventLayer *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), FALSE);

  return self->paint_out_names;
}

double
chrono_event_layer_get_label_scale (ChronoEventLayer *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), 1.0);

  return self->label_scale;
}

void
chrono_event_layer_set_label_scale (ChronoEventLayer *self,
                                    double            label_scale)
{
  g_return_if_fail (CHRONO_IS_EVENT_LAYER (self));
  g_return_if_fail (label_scale > 0);

  label_scale = CLAMP (label_scale, 0.25, 8.0);
  if (self->label_scale == label_scale)
    return;

  self->label_scale = label_scale;
  clear_layouts (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL_SCALE]);
}

ChronoBasemapStyle
chrono_event_layer_get_basemap_style (ChronoEventLayer *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), CHRONO_BASEMAP_STYLE_LIGHT);

  return self->basemap_style;
}

void
chrono_event_layer_set_basemap_style (ChronoEventLayer   *self,
                                      ChronoBasemapStyle  style)
{
  g_return_if_fail (CHRONO_IS_EVENT_LAYER (self));
  g_return_if_fail (style <= CHRONO_BASEMAP_STYLE_NEUTRAL);

  if (self->basemap_style == style)
    return;

  self->basemap_style = style;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASEMAP_STYLE]);
}

gboolean
chrono_event_layer_get_both_names (ChronoEventLayer *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), FALSE);

  return self->both_names;
}

void
chrono_event_layer_set_both_names (ChronoEventLayer *self,
                                   gboolean          both_names)
{
  g_return_if_fail (CHRONO_IS_EVENT_LAYER (self));

  both_names = !!both_names;
  if (self->both_names == both_names)
    return;

  self->both_names = both_names;
  clear_layouts (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOTH_NAMES]);
}

/**
 * chrono_event_layer_draw:
 * @snapshot: where to draw
 * @width: the width of the area drawn, in logical pixels
 * @height: its height
 * @scale_factor: the device pixels per logical pixel the result will be
 *   rendered at (the cached marks are rasterized for it)
 *
 * Draws what the layer shows on screen (routes and areas, dim dots, lit
 * places, the selection and labels) for a map of @width x @height centred
 * on the layer's viewport, which needs a reference map source. The layer
 * need not be realized nor in a window: an export composer can create one
 * with chrono_event_layer_new () on its own viewport and draw it here.
 * Labels follow #ChronoEventLayer:label-scale.
 */
void
chrono_event_layer_draw (ChronoEventLayer *self,
                         GtkSnapshot      *snapshot,
                         double            width,
                         double            height,
                         int               scale_factor)
{
  g_return_if_fail (CHRONO_IS_EVENT_LAYER (self));
  g_return_if_fail (GTK_IS_SNAPSHOT (snapshot));
  g_return_if_fail (scale_factor >= 1);

  if (width <= 0 || height <= 0)
    return;

  draw_layer (self, snapshot, width, height, scale_factor, FALSE, TRUE);
}

/**
 * chrono_event_layer_set_keep_out:
 * @rects: (array length=n_rects) (nullable): rectangles in the coordinates
 *   of the area drawn
 * @n_rects: their number
 *
 * Where something is drawn over the map (an export's title card, a legend):
 * no label goes there. Marks are still drawn where their places are.
 */
void
chrono_event_layer_set_keep_out (ChronoEventLayer      *self,
                                 const graphene_rect_t *rects,
                                 guint                  n_rects)
{
  g_return_if_fail (CHRONO_IS_EVENT_LAYER (self));
  g_return_if_fail (rects != NULL || n_rects == 0);

  g_array_set_size (self->keep_out, 0);
  for (guint i = 0; i < n_rects; i++)
    {
      Box box = { rects[i].origin.x, rects[i].origin.y,
                  rects[i].origin.x + rects[i].size.width, rects[i].origin.y + rects[i].size.height };

      g_array_append_val (self->keep_out, box);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The labels placed by the last frame or chrono_event_layer_draw (), in
 * the order they were placed: what a person sees named, for tests. */
guint
chrono_event_layer_get_n_labels (ChronoEventLayer *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), 0);

  return self->drawn_labels->len;
}

/**
 * chrono_event_layer_get_label:
 * @i: an index below chrono_event_layer_get_n_labels ()
 * @rect: (out) (optional): the rectangle the label keeps free, its halo
 *   included, in the coordinates of the area drawn
 *
 * Returns: the id of the place named by label @i, owned by the layer
 */
const char *
chrono_event_layer_get_label (ChronoEventLayer *self,
                              guint             i,
                              graphene_rect_t  *rect)
{
  const PlacedLabel *label;

  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), NULL);
  g_return_val_if_fail (i < self->drawn_labels->len, NULL);

  label = &g_array_index (self->drawn_labels, PlacedLabel, i);
  if (rect != NULL)
    graphene_rect_init (rect, label->box.x0, label->box.y0,
                        label->box.x1 - label->box.x0, label->box.y1 - label->box.y0);
  return entry_at (self, label->entry)->id;
}

/* The marks of points (discs, clusters and dim rings) drawn by the last
 * frame or chrono_event_layer_draw () with labels on, for tests. */
guint
chrono_event_layer_get_n_marks (ChronoEventLayer *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), 0);

  return self->drawn_marks->len;
}

/**
 * chrono_event_layer_get_label_text:
 * @i: an index below chrono_event_layer_get_n_labels ()
 *
 * Returns: the text of label @i as drawn last, owned by the layer
 */
const char *
chrono_event_layer_get_label_text (ChronoEventLayer *self,
                                   guint             i)
{
  const PlacedLabel *label;
  const Entry *entry;

  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), NULL);
  g_return_val_if_fail (i < self->drawn_labels->len, NULL);

  label = &g_array_index (self->drawn_labels, PlacedLabel, i);
  entry = entry_at (self, label->entry);
  return entry->layout != NULL ? pango_layout_get_text (entry->layout) : NULL;
}

void
chrono_event_layer_get_mark (ChronoEventLayer *self,
                             guint             i,
                             double           *x,
                             double           *y,
                             double           *radius)
{
  const Mark *mark;

  g_return_if_fail (CHRONO_IS_EVENT_LAYER (self));
  g_return_if_fail (i < self->drawn_marks->len);

  mark = &g_array_index (self->drawn_marks, Mark, i);
  if (x != NULL)
    *x = mark->x;
  if (y != NULL)
    *y = mark->y;
  if (radius != NULL)
    *radius = mark->r;
}

/* Whether the place @place_id is drawn as an area (from its Polygon or
 * MultiPolygon geometry) rather than as a point or a route. */
gboolean
chrono_event_layer_is_area (ChronoEventLayer *self,
                            const char       *place_id)
{
  Entry *entry;

  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), FALSE);

  entry = lookup_entry (self, place_id);
  return entry != NULL && entry->shape == SHAPE_AREA;
}

/**
 * chrono_event_layer_place_at:
 * @x: x in the layer's coordinates (the map's, when the layer fills the map)
 * @y: y in the same coordinates
 *
 * The place drawn under (@x, @y): the nearest point within its radius plus a
 * few pixels, else a route within a few pixels of its line, else an area
 * that contains the point.
 *
 * Returns: (nullable): the place's id, owned by the layer, or NULL
 */
const char *
chrono_event_layer_place_at (ChronoEventLayer *self,
                             double            x,
                             double            y)
{
  const char *best_point = NULL, *best_shape = NULL;
  double best_point_d = G_MAXDOUBLE, best_shape_d = G_MAXDOUBLE;
  double zoom;
  Projection proj;

  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), NULL);

  ensure_state (self);
  if (!get_projection (self, gtk_widget_get_width (GTK_WIDGET (self)),
                       gtk_widget_get_height (GTK_WIDGET (self)), &proj))
    return NULL;

  zoom = shumate_viewport_get_zoom_level (shumate_layer_get_viewport (SHUMATE_LAYER (self)));

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = entry_at (self, i);
      double px, py, d;

      if (entry->shape == SHAPE_POINT)
        {
          double reach = radius_for (entry) + HIT_SLOP;

          if (is_dim_hidden (entry, zoom))
            continue;

          project (&proj, entry->mx, entry->my, &px, &py);
          if (fabs (px - x) > reach || fabs (py - y) > reach)
            continue;

          /* Measured from the edge, so a big circle does not hide a small
           * dot next to it */
          d = hypot (px - x, py - y);
          if (d <= reach && d - radius_for (entry) < best_point_d)
            {
              best_point_d = d - radius_for (entry);
              best_point = entry->id;
            }
        }
      else if (best_point == NULL)
        {
          Box box;

          project_box (&proj, entry, &box);
          if (x < box.x0 - LINE_WIDTH - HIT_SLOP || x > box.x1 + LINE_WIDTH + HIT_SLOP ||
              y < box.y0 - LINE_WIDTH - HIT_SLOP || y > box.y1 + LINE_WIDTH + HIT_SLOP)
            continue;

          d = distance_to_shape (self, entry, &proj, x, y);
          if (d <= LINE_WIDTH / 2 + HIT_SLOP && d < best_shape_d)
            {
              best_shape_d = d;
              best_shape = entry->id;
            }
        }
    }

  return best_point != NULL ? best_point : best_shape;
}

/* Returns: (transfer none) (nullable): the place with @place_id, if drawn */
ChronoPlace *
chrono_event_layer_get_place (ChronoEventLayer *self,
                              const char       *place_id)
{
  Entry *entry;

  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), NULL);

  entry = lookup_entry (self, place_id);
  return entry != NULL ? entry->place : NULL;
}

/* The number of events of the model at @place_id (afterglowing ones included). */
guint
chrono_event_layer_get_n_events_at (ChronoEventLayer *self,
                                    const char       *place_id)
{
  Entry *entry;

  g_return_val_if_fail (CHRONO_IS_EVENT_LAYER (self), 0);

  ensure_state (self);
  entry = lookup_entry (self, place_id);
  return entry != NULL ? entry->n_events : 0;
}

/**
 * chrono_event_layer_attach_controllers:
 * @map: the widget the layer is shown in (a ShumateMap or ShumateSimpleMap)
 *
 * Adds hover (tooltip and ring) and click handling to @map, so that the
 * layer itself takes no input and the map keeps its gestures. A click on a
 * place selects it and emits ChronoEventLayer::place-activated; a click
 * elsewhere clears the selection. The controllers are removed again when the
 * layer is disposed.
 */
void
chrono_event_layer_attach_controllers (ChronoEventLayer *self,
                                       GtkWidget        *map)
{
  g_return_if_fail (CHRONO_IS_EVENT_LAYER (self));
  g_return_if_fail (GTK_IS_WIDGET (map));

  detach_controllers (self);

  self->map = map;
  g_object_add_weak_pointer (G_OBJECT (map), (gpointer *) &self->map);

  self->motion = gtk_event_controller_motion_new ();
  g_signal_connect_object (self->motion, "motion", G_CALLBACK (on_motion_motion), self, 0);
  g_signal_connect_object (self->motion, "leave", G_CALLBACK (on_motion_leave), self, 0);
  gtk_widget_add_controller (map, self->motion);

  self->click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (self->click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (self->click, "released", G_CALLBACK (on_click_released), self, 0);
  gtk_widget_add_controller (map, GTK_EVENT_CONTROLLER (self->click));

  gtk_widget_set_has_tooltip (map, TRUE);
  self->tooltip_id = g_signal_connect_object (map, "query-tooltip",
                                              G_CALLBACK (on_map_query_tooltip), self, 0);
}

/* Only usages a reader needs told: the others are the usual names. */
static const char *
usage_display_name (const char *usage)
{
  if (g_strcmp0 (usage, "official") == 0)
    /* Translators: how a place's name is used: the state's official name */
    return C_("place name", "official");
  if (g_strcmp0 (usage, "historical") == 0)
    /* Translators: how a place's name is used: a former name */
    return C_("place name", "historical");

  return NULL;
}

/**
 * chrono_event_layer_build_place_popover:
 * @source: the dataset
 * @place: the place
 * @lang: (nullable): the language of titles, or NULL for the store's default
 *
 * Builds a popover with @place's names in every language and its events over
 * the whole timeline; the caller sets its parent and pointing rectangle.
 *
 * Returns: (transfer floating): a GtkPopover
 */
/* The colour the map gives @category: the list and other views use it too, so
 * that an event has one colour everywhere. No category is grey, as context is;
 * categories of imported files take the colours of a palette in turn. */
const GdkRGBA *
chrono_event_layer_get_category_color (const char *category)
{
  return &categories[category_from_name (category)].color;
}

GtkWidget *
chrono_event_layer_build_place_popover (ChronoEventSource *source,
                                        ChronoPlace       *place,
                                        const char        *lang)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) rowids = NULL;
  g_autoptr (GPtrArray) events = NULL;
  GtkWidget *popover, *box, *grid, *label, *list, *scrolled, *button;
  GPtrArray *names;
  const char *name;
  g_autofree char *heading = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (CHRONO_IS_EVENT_SOURCE (source), NULL);
  g_return_val_if_fail (CHRONO_IS_PLACE (place), NULL);

  popover = gtk_popover_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  /* Nothing in the popover takes focus, so no text opens selected */
  name = lang != NULL ? chrono_place_get_name_for (place, lang) : chrono_place_get_name (place);
  shown = chrono_text_for_display (name != NULL ? name : chrono_place_get_id (place), CHRONO_DISPLAY_NAME_CHARS);
  label = gtk_label_new (shown);
  gtk_widget_add_css_class (label, "title-3");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (box), label);

  /* Every name once, with the languages it is written in */
  names = chrono_place_get_names (place);
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  for (guint i = 0, row = 0; names != NULL && i < names->len; i++)
    {
      ChronoPlaceName *pn = g_ptr_array_index (names, i);
      g_autoptr (GString) languages = g_string_new (NULL);
      gboolean seen = FALSE;

      for (guint j = 0; j < i && !seen; j++)
        seen = g_strcmp0 (((ChronoPlaceName *) g_ptr_array_index (names, j))->name, pn->name) == 0;
      if (seen || pn->name == NULL)
        continue;

      for (guint j = i; j < names->len; j++)
        {
          ChronoPlaceName *other = g_ptr_array_index (names, j);
          const char *language = chrono_language_get_name (other->lang);
          const char *usage = usage_display_name (other->usage);
          g_autofree char *entry = NULL;

          if (g_strcmp0 (other->name, pn->name) != 0 || language == NULL)
            continue;
          if (usage != NULL)
            /* Translators: a language and how a place's name is used in it, e.g. "Azerbaijani, official" */
            entry = g_strdup_printf (_("%s, %s"), language, usage);
          else
            entry = g_strdup (language);
          /* When the name was valid: "Azerbaijani, official, from 1991" */
          if (other->when != NULL)
            {
              g_autoptr (ChronoEdtf) when = chrono_edtf_parse (other->when, NULL);
              g_autofree char *period = when != NULL ? chrono_edtf_format (when) : NULL;

              if (period != NULL)
                {
                  char *with_when = g_strdup_printf (_("%s, %s"), entry, period);

                  g_free (entry);
                  entry = with_when;
                }
            }
          if (strstr (languages->str, entry) != NULL)
            continue;
          if (languages->len > 0)
            g_string_append (languages, "; ");
          g_string_append (languages, entry);
        }

      g_free (shown);
      shown = chrono_text_for_display (pn->name, CHRONO_DISPLAY_NAME_CHARS);
      label = gtk_label_new (shown);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
      gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
      label = gtk_label_new (languages->str);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption");
      gtk_grid_attach (GTK_GRID (grid), label, 1, row, 1, 1);
      row++;
    }
  gtk_box_append (GTK_BOX (box), grid);

  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  rowids = chrono_event_source_get_events_at_place (source, chrono_place_get_id (place), &error);
  if (rowids != NULL && rowids->len > 0)
    events = chrono_event_source_get_events (source, (const gint64 *) (gpointer) rowids->data,
                                      rowids->len, lang, &error);

  if (error != NULL)
    {
      label = gtk_label_new (error->message);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (box), label);
      return popover;
    }

  if (events == NULL || events->len == 0)
    {
      label = gtk_label_new (_("No event of the dataset takes place here"));
      gtk_widget_add_css_class (label, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (box), label);
      return popover;
    }

  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u event", "%u events",
                                          events->len),
                             events->len);
  label = gtk_label_new (heading);
  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);

  list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      ChronoEvent *event = g_ptr_array_index (events, i);
      g_autofree char *dates = chrono_format_dates (chrono_event_get_start (event),
                                                    chrono_event_get_end (event));
      g_autofree char *line = NULL;
      g_autofree char *title = chrono_text_for_display (chrono_event_get_title (event), CHRONO_DISPLAY_NAME_CHARS);

      /* Translators: an event's dates, then its title */
      line = g_strdup_printf (_("%s · %s"), dates != NULL ? dates : "", title != NULL ? title : "");
      label = gtk_label_new (line);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_yalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      /* A fixed width, so the wrapped height is measured for the width the
       * label gets and no line is cut */
      gtk_label_set_width_chars (GTK_LABEL (label), 44);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 44);

      /* A click goes to the event: the window's win.go-to-event */
      button = gtk_button_new ();
      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_widget_add_css_class (button, "flat");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.go-to-event");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", chrono_event_get_rowid (event));
      gtk_widget_set_focus_on_click (button, FALSE);
      gtk_box_append (GTK_BOX (list), button);
    }

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled),
                                              events != NULL && events->len > 3 ? 220 : -1);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 420);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_box_append (GTK_BOX (box), scrolled);

  return popover;
}
