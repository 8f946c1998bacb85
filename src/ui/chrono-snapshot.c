/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-snapshot"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <cairo-pdf.h>

#include "chrono-basemap-map-source.h"
#include "chrono-basemap-source.h"
#include "chrono-event.h"
#include "chrono-event-layer.h"
#include "chrono-excerpt.h"
#include "chrono-place.h"
#include "chrono-snapshot.h"
#include "chrono-source.h"
#include "chrono-time-index.h"
#include "chrono-tour-step.h"

/*
 * A snapshot is composed for print, not grabbed from the screen: the tiles
 * of the map are requested from the map source at the resolution of the
 * image, counted until the last one answers, then drawn with the event
 * layer's own drawing code and the text of the dataset into one cairo image.
 *
 * Sizes are worked out on a "logical" canvas: the output divided by its
 * density (2 for outputs of 1600 pixels or more on the short side, such as
 * 3840x2160 and A4 at 300 dpi) so that a large image shows the same map as a
 * 1080p one, only sharper; then the scale option doubles everything again.
 */

#define WEB_MERCATOR_MAX_LAT 85.0511287798
#define FIT_MAX_ZOOM 9.0
#define FIT_MIN_ZOOM 2.0
#define FONT_FAMILY "Cantarell, Noto Sans, DejaVu Sans, sans-serif"

struct _ChronoSnapshot
{
  GObject          parent_instance;

  ChronoEventSource *source;
  char            *lang;
  char            *label_lang;  /* the map labels' language, NULL: lang */
  gboolean         both_names;  /* labels add the official name */
  char            *title;
  ChronoEventTable *table;      /* every event's extent, category and places */
  GHashTable      *by_rowid;    /* rowid → ChronoEvent, read when drawn */
  GPtrArray       *places;      /* ChronoPlace */
  ChronoTimeIndex *index;       /* what is in effect */
  GPtrArray       *categories;  /* char *, most frequent first */
  ChronoDay        first;       /* every event's extent */
  ChronoDay        last;
  ChronoDay        story_first; /* the extent of events dated finer than decades */
  ChronoDay        story_last;
  GHashTable      *map_sources; /* "style/size" → ShumateMapSource */
  GPtrArray       *tour;        /* ChronoTourStep whose event is in the dataset */
};

G_DEFINE_FINAL_TYPE (ChronoSnapshot, chrono_snapshot, G_TYPE_OBJECT)

G_DEFINE_QUARK (chrono-snapshot-error-quark, chrono_snapshot_error)

G_DEFINE_BOXED_TYPE (ChronoSnapshotOptions, chrono_snapshot_options,
                     chrono_snapshot_options_copy, chrono_snapshot_options_free)

/* Options */

static const struct
{
  int         width;
  int         height;
  const char *label;
} presets[CHRONO_SNAPSHOT_N_PRESETS] = {
  { 1920, 1080, N_("Full HD (1920×1080)") },
  { 1280, 720, N_("HD (1280×720)") },
  { 3840, 2160, N_("4K (3840×2160)") },
  { 2480, 3508, N_("A4 Portrait, 300 dpi (2480×3508)") },
  { 3508, 2480, N_("A4 Landscape, 300 dpi (3508×2480)") },
};

void
chrono_snapshot_preset_get_size (ChronoSnapshotPreset  preset,
                                 int                  *width,
                                 int                  *height)
{
  g_return_if_fail (preset < CHRONO_SNAPSHOT_N_PRESETS);

  if (width != NULL)
    *width = presets[preset].width;
  if (height != NULL)
    *height = presets[preset].height;
}

const char *
chrono_snapshot_preset_get_label (ChronoSnapshotPreset preset)
{
  g_return_val_if_fail (preset < CHRONO_SNAPSHOT_N_PRESETS, NULL);

  return _(presets[preset].label);
}

/**
 * chrono_snapshot_options_new:
 *
 * Returns: (transfer full): options for a 1920x1080 image at scale 1 in the
 *   light style, with everything included, on day 0 (set the day).
 */
ChronoSnapshotOptions *
chrono_snapshot_options_new (void)
{
  ChronoSnapshotOptions *self = g_new0 (ChronoSnapshotOptions, 1);

  self->width = 1920;
  self->height = 1080;
  self->scale = 1;
  self->style = CHRONO_BASEMAP_STYLE_LIGHT;
  self->include = CHRONO_SNAPSHOT_INCLUDE_ALL;

  return self;
}

ChronoSnapshotOptions *
chrono_snapshot_options_copy (const ChronoSnapshotOptions *self)
{
  ChronoSnapshotOptions *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->event_id = g_strdup (self->event_id);
  copy->title = g_strdup (self->title);
  if (copy->map_source != NULL)
    g_object_ref (copy->map_source);

  return copy;
}

void
chrono_snapshot_options_free (ChronoSnapshotOptions *self)
{
  if (self == NULL)
    return;

  g_free (self->event_id);
  g_free (self->title);
  g_clear_object (&self->map_source);
  g_free (self);
}

void
chrono_snapshot_options_set_title (ChronoSnapshotOptions *self,
                                   const char            *title)
{
  g_return_if_fail (self != NULL);

  if (self->title != title)
    {
      g_free (self->title);
      self->title = g_strdup (title);
    }
}

void
chrono_snapshot_options_set_event_id (ChronoSnapshotOptions *self,
                                      const char            *event_id)
{
  g_return_if_fail (self != NULL);

  if (self->event_id != event_id)
    {
      g_free (self->event_id);
      self->event_id = g_strdup (event_id);
    }
}

void
chrono_snapshot_options_set_map_source (ChronoSnapshotOptions *self,
                                        ShumateMapSource      *map_source)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (map_source == NULL || SHUMATE_IS_MAP_SOURCE (map_source));

  g_set_object (&self->map_source, map_source);
}

void
chrono_snapshot_options_set_preset (ChronoSnapshotOptions *self,
                                    ChronoSnapshotPreset   preset)
{
  g_return_if_fail (self != NULL);

  chrono_snapshot_preset_get_size (preset, &self->width, &self->height);
}

/* Colours of the composition, per basemap style */

typedef struct
{
  GdkRGBA panel;
  GdkRGBA text;
  GdkRGBA dim_text;
  GdkRGBA rule;
  GdkRGBA accent;
} Palette;

#define RGBA(hex, a) { ((hex) >> 16 & 0xff) / 255., ((hex) >> 8 & 0xff) / 255., ((hex) & 0xff) / 255., a }

static const Palette palettes[] = {
  [CHRONO_BASEMAP_STYLE_LIGHT] = {
    RGBA (0xffffff, 0.93), RGBA (0x241f31, 1), RGBA (0x5e5c64, 1),
    RGBA (0x241f31, 0.15), RGBA (0xc01c28, 1),
  },
  [CHRONO_BASEMAP_STYLE_DARK] = {
    RGBA (0x1e1e1e, 0.92), RGBA (0xffffff, 1), RGBA (0xc0bfbc, 1),
    RGBA (0xffffff, 0.18), RGBA (0xff7b63, 1),
  },
  [CHRONO_BASEMAP_STYLE_NEUTRAL] = {
    RGBA (0xffffff, 0.93), RGBA (0x241f31, 1), RGBA (0x5e5c64, 1),
    RGBA (0x241f31, 0.15), RGBA (0xc01c28, 1),
  },
};

static const Palette *
get_palette (ChronoBasemapStyle style)
{
  return &palettes[style <= CHRONO_BASEMAP_STYLE_NEUTRAL ? style : CHRONO_BASEMAP_STYLE_LIGHT];
}

static const char *
category_label (const char *category)
{
  static const struct { const char *name; const char *label; } labels[] = {
    { "military", N_("Military") },
    { "diplomatic", N_("Diplomatic") },
    { "humanitarian", N_("Humanitarian") },
    { "political", N_("Political") },
    { "legal", N_("Legal") },
    { "context", N_("Context") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (category, labels[i].name) == 0)
      return _(labels[i].label);

  return category != NULL ? category : _("Other");
}

/* Geometry: Web Mercator in [0, 1] */

static void
location_to_mercator (double  lat,
                      double  lon,
                      double *x,
                      double *y)
{
  double phi = CLAMP (lat, -WEB_MERCATOR_MAX_LAT, WEB_MERCATOR_MAX_LAT) * G_PI / 180.0;

  *x = (lon + 180.0) / 360.0;
  *y = (1.0 - log (tan (phi) + 1.0 / cos (phi)) / G_PI) / 2.0;
}

static void
mercator_to_location (double  x,
                      double  y,
                      double *lat,
                      double *lon)
{
  *lon = x * 360.0 - 180.0;
  *lat = atan (sinh (G_PI * (1.0 - 2.0 * y))) * 180.0 / G_PI;
}

/* Layout of one image, in logical pixels */

typedef struct
{
  double x, y, width, height;
} Rect;

typedef struct
{
  double   width;      /* logical canvas */
  double   height;
  double   density;    /* logical → output pixels at scale 1 */
  double   device;     /* logical → device pixels: density × scale */
  gboolean portrait;
  double   font;       /* base font size */
  double   margin;
  Rect     map;        /* where tiles are drawn */
  Rect     free;       /* the part of the map no text covers: what the view fits */
  Rect     title;      /* title band */
  Rect     column;     /* event cards and legend */
  Rect     strip;      /* timeline strip */
} Layout;

static void
compute_layout (Layout                      *layout,
                const ChronoSnapshotOptions *options)
{
  double short_side = MIN (options->width, options->height);
  gboolean has_column = (options->include & (CHRONO_SNAPSHOT_INCLUDE_EVENTS | CHRONO_SNAPSHOT_INCLUDE_LEGEND)) != 0;
  gboolean has_strip = (options->include & CHRONO_SNAPSHOT_INCLUDE_TIMELINE) != 0;
  gboolean has_title = (options->include & (CHRONO_SNAPSHOT_INCLUDE_TITLE | CHRONO_SNAPSHOT_INCLUDE_DATE)) != 0;
  double strip_height;

  memset (layout, 0, sizeof *layout);
  layout->density = short_side >= 1600 ? 2.0 : 1.0;
  layout->device = layout->density * options->scale;
  layout->width = options->width / layout->density;
  layout->height = options->height / layout->density;
  layout->portrait = options->height > options->width;

  if (layout->portrait)
    layout->font = layout->width / 48.0;
  else
    layout->font = layout->height / 54.0;
  layout->margin = layout->font * 1.2;

  strip_height = has_strip ? layout->font * 4.2 : 0;
  layout->strip = (Rect) { 0, layout->height - strip_height, layout->width, strip_height };

  if (layout->portrait)
    {
      /* Map on top, text below: a printed page */
      double map_height = has_column ? round (layout->height * 0.56) : layout->height - strip_height;

      layout->map = (Rect) { 0, 0, layout->width, map_height };
      layout->title = (Rect) { 0, 0, layout->width, has_title ? layout->font * 5.4 : 0 };
      layout->column = (Rect) { 0, map_height, layout->width, layout->height - strip_height - map_height };
      layout->free = (Rect) { 0, layout->title.height, layout->width, map_height - layout->title.height };
    }
  else
    {
      /* The map fills the image; a column of cards on the right */
      double column_width = has_column ? round (layout->width * 0.3) : 0;

      layout->map = (Rect) { 0, 0, layout->width, layout->height };
      layout->column = (Rect) { layout->width - column_width, 0, column_width, layout->height - strip_height };
      layout->title = (Rect) { 0, 0, layout->width - column_width, has_title ? layout->font * 5.4 : 0 };
      layout->free = (Rect) { 0, layout->title.height, layout->width - column_width,
                              layout->height - strip_height - layout->title.height };
    }
}

/* The context */

static void
chrono_snapshot_finalize (GObject *object)
{
  ChronoSnapshot *self = CHRONO_SNAPSHOT (object);

  g_clear_object (&self->source);
  g_free (self->lang);
  g_free (self->label_lang);
  g_free (self->title);
  g_clear_pointer (&self->by_rowid, g_hash_table_unref);
  g_clear_pointer (&self->table, chrono_event_table_unref);
  g_clear_pointer (&self->places, g_ptr_array_unref);
  g_clear_pointer (&self->index, chrono_time_index_unref);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  g_clear_pointer (&self->map_sources, g_hash_table_unref);
  g_clear_pointer (&self->tour, g_ptr_array_unref);

  G_OBJECT_CLASS (chrono_snapshot_parent_class)->finalize (object);
}

static void
chrono_snapshot_class_init (ChronoSnapshotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = chrono_snapshot_finalize;
}

static void
chrono_snapshot_init (ChronoSnapshot *self)
{
  self->map_sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->first = self->last = 0;
}

static int
compare_count_desc (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  GHashTable *counts = user_data;
  guint ca = GPOINTER_TO_UINT (g_hash_table_lookup (counts, *(const char **) a));
  guint cb = GPOINTER_TO_UINT (g_hash_table_lookup (counts, *(const char **) b));

  if (ca != cb)
    return ca > cb ? -1 : 1;

  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* Dated finer than a decade: a year spans 366 days at most, a decade 3,652 */
static gboolean
is_finely_dated (ChronoDay lo,
                 ChronoDay hi)
{
  return lo != CHRONO_DAY_NEGATIVE_INFINITY && hi != CHRONO_DAY_POSITIVE_INFINITY && hi - lo < 3000;
}

/* Returns: (transfer none): the event kept for @event's rowid, @event
 * itself (taken) when none was */
static ChronoEvent *
keep_event (ChronoSnapshot *self,
            ChronoEvent    *event)
{
  gint64 rowid = chrono_event_get_rowid (event);
  ChronoEvent *kept = g_hash_table_lookup (self->by_rowid, &rowid);
  gint64 *key;

  if (kept != NULL)
    {
      g_object_unref (event);
      return kept;
    }
  key = g_new (gint64, 1);
  *key = rowid;
  g_hash_table_insert (self->by_rowid, key, event);
  return event;
}

/* Returns: (transfer none) (nullable): the event of @rowid, read once */
static ChronoEvent *
get_event (ChronoSnapshot *self,
           gint64          rowid)
{
  ChronoEvent *event = g_hash_table_lookup (self->by_rowid, &rowid);

  if (event != NULL || chrono_event_table_lookup (self->table, rowid) == NULL)
    return event;
  event = chrono_event_source_get_event (self->source, rowid, self->lang, NULL);
  return event != NULL ? keep_event (self, event) : NULL;
}

/* The timeline strip shows the story, not the background: events dated to
 * a decade ("the 1990s") or with open ends would stretch it to decades. */
static void
compute_story_extent (ChronoSnapshot *self)
{
  ChronoDay first = CHRONO_DAY_POSITIVE_INFINITY, last = CHRONO_DAY_NEGATIVE_INFINITY;

  const ChronoEventRow *rows = chrono_event_table_get_rows (self->table);

  for (guint i = 0; i < chrono_event_table_get_n_rows (self->table); i++)
    {
      const ChronoEventRow *row = &rows[i];
      ChronoDay hi;

      if (!is_finely_dated (row->start_lo, row->start_hi))
        continue;
      first = MIN (first, row->start_lo);
      hi = row->start_hi;
      if (is_finely_dated (row->end_lo, row->end_hi))
        hi = MAX (hi, row->end_hi);
      last = MAX (last, hi);
    }

  if (first > last)
    {
      first = self->first;
      last = self->last;
    }
  self->story_first = first;
  self->story_last = last;
}

/**
 * chrono_snapshot_new:
 * @source: the dataset
 * @lang: (nullable): the language of texts, NULL for the UI language's
 *
 * Loads what renders need from @source once: every event's extent, category
 * and places (ChronoEventTable), every place, and the time index. An event's
 * texts are read when it is drawn.
 *
 * Returns: (transfer full): a new #ChronoSnapshot, or %NULL with @error set
 */
ChronoSnapshot *
chrono_snapshot_new (ChronoEventSource  *source,
                     const char         *lang,
                     GError            **error)
{
  return chrono_snapshot_new_for_table (source, lang, NULL, NULL, error);
}

/**
 * chrono_snapshot_new_for_table:
 * @table: (nullable): the events' table, as a document has it
 * @index: (nullable): their time index
 *
 * As chrono_snapshot_new(), with the event table and time index a window
 * has already: nothing of the events is read again but those drawn.
 *
 * Returns: (transfer full): a new #ChronoSnapshot, or %NULL with @error set
 */
ChronoSnapshot *
chrono_snapshot_new_for_table (ChronoEventSource  *source,
                               const char         *lang,
                               ChronoEventTable   *table,
                               ChronoTimeIndex    *index,
                               GError            **error)
{
  g_autoptr (ChronoSnapshot) self = NULL;
  g_autoptr (GHashTable) counts = NULL;

  g_return_val_if_fail (CHRONO_IS_EVENT_SOURCE (source), NULL);

  self = g_object_new (CHRONO_TYPE_SNAPSHOT, NULL);
  self->source = g_object_ref (source);
  if (lang != NULL)
    self->lang = g_strdup (lang);
  else
    {
      const char * const *names = g_get_language_names ();

      for (guint i = 0; names[i] != NULL && self->lang == NULL; i++)
        {
          gsize len = strcspn (names[i], "_.@");

          if (g_str_equal (names[i], "C") || g_str_has_prefix (names[i], "C.") || g_str_equal (names[i], "POSIX"))
            break;
          if (len >= 2 && len <= 3)
            self->lang = g_ascii_strdown (names[i], len);
        }
      if (self->lang == NULL)
        self->lang = g_strdup ("en");
    }

  if (table != NULL)
    {
      self->table = chrono_event_table_ref (table);
      self->index = chrono_time_index_ref (index);
    }
  else
    {
      self->table = chrono_event_source_load_table (source, error);
      if (self->table == NULL)
        return NULL;
      self->index = chrono_event_table_build_index (self->table, 0);
    }

  self->places = chrono_event_source_get_places (source, self->lang, error);
  if (self->places == NULL)
    return NULL;

  chrono_time_index_get_extent (self->index, &self->first, &self->last);
  compute_story_extent (self);

  self->by_rowid = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  counts = g_hash_table_new (g_str_hash, g_str_equal);
  self->categories = g_ptr_array_new_with_free_func (g_free);
  {
    const ChronoEventRow *rows = chrono_event_table_get_rows (self->table);

    for (guint i = 0; i < chrono_event_table_get_n_rows (self->table); i++)
      {
        const char *category = chrono_event_table_get_category_name (self->table, rows[i].category);

        if (category == NULL)
          continue;
        if (!g_hash_table_contains (counts, category))
          g_ptr_array_add (self->categories, g_strdup (category));
        g_hash_table_insert (counts, (gpointer) category,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, category)) + 1));
      }
  }
  g_ptr_array_sort_with_data (self->categories, compare_count_desc, counts);

  self->title = chrono_event_source_dup_meta (source, "title", self->lang);
  if (self->title == NULL)
    self->title = g_strdup (_("Chronotope"));

  /* The tour's steps, those whose event is here */
  {
    g_autoptr (GPtrArray) tour = chrono_event_source_get_tour (source, self->lang, error);

    if (tour == NULL)
      return NULL;
    self->tour = g_ptr_array_new_with_free_func (g_object_unref);
    for (guint i = 0; i < tour->len; i++)
      {
        ChronoTourStep *step = g_ptr_array_index (tour, i);
        gint64 rowid = chrono_tour_step_get_event_rowid (step);

        if (chrono_event_table_lookup (self->table, rowid) != NULL)
          g_ptr_array_add (self->tour, g_object_ref (step));
      }
  }

  return g_steal_pointer (&self);
}

/* The number of steps of the dataset's tour, 0 without one. */
guint
chrono_snapshot_get_n_tour_steps (ChronoSnapshot *self)
{
  g_return_val_if_fail (CHRONO_IS_SNAPSHOT (self), 0);

  return self->tour->len;
}

ChronoEventSource *
chrono_snapshot_get_source (ChronoSnapshot *self)
{
  g_return_val_if_fail (CHRONO_IS_SNAPSHOT (self), NULL);

  return self->source;
}

const char *
chrono_snapshot_get_title (ChronoSnapshot *self)
{
  g_return_val_if_fail (CHRONO_IS_SNAPSHOT (self), NULL);

  return self->title;
}

/**
 * chrono_snapshot_set_place_names:
 * @lang: (nullable): the language the map's labels name places in, NULL
 *   for the snapshot's language
 * @both_names: whether labels add a place's official name when it differs
 *
 * Names places on the map as the window's place-name policy does on its
 * map; each render names them as they were named on its day.
 */
void
chrono_snapshot_set_place_names (ChronoSnapshot *self,
                                 const char     *lang,
                                 gboolean        both_names)
{
  g_return_if_fail (CHRONO_IS_SNAPSHOT (self));

  g_free (self->label_lang);
  self->label_lang = g_strdup (lang);
  self->both_names = !!both_names;
}

gboolean
chrono_snapshot_get_extent (ChronoSnapshot *self,
                            ChronoDay      *out_first,
                            ChronoDay      *out_last)
{
  g_return_val_if_fail (CHRONO_IS_SNAPSHOT (self), FALSE);

  if (chrono_event_table_get_n_rows (self->table) == 0)
    return FALSE;
  if (out_first != NULL)
    *out_first = self->story_first;
  if (out_last != NULL)
    *out_last = self->story_last;

  return TRUE;
}

static ShumateMapSource *
get_basemap (ChronoSnapshot     *self,
             ChronoBasemapStyle  style,
             guint               tile_size)
{
  g_autofree char *key = g_strdup_printf ("%d/%u", style, tile_size);
  ShumateMapSource *source = g_hash_table_lookup (self->map_sources, key);

  if (source == NULL)
    {
      /* The event layer labels the dataset's places: the basemap leaves them out */
      source = chrono_basemap_source_new_map_source_full (style, tile_size, self->lang, self->places);
      g_hash_table_insert (self->map_sources, g_steal_pointer (&key), source);
    }

  return source;
}

static int
compare_events_newest_first (gconstpointer a,
                             gconstpointer b)
{
  ChronoEvent *ea = *(ChronoEvent **) a;
  ChronoEvent *eb = *(ChronoEvent **) b;
  gint64 sa = chrono_event_get_start_lo (ea);
  gint64 sb = chrono_event_get_start_lo (eb);

  /* What began last is what the date is about */
  if (sa != sb)
    return sa > sb ? -1 : 1;
  if (chrono_event_get_importance (ea) != chrono_event_get_importance (eb))
    return chrono_event_get_importance (eb) - chrono_event_get_importance (ea);

  return (chrono_event_get_rowid (ea) > chrono_event_get_rowid (eb)) ? -1 : 1;
}

/* The events in effect on @day, most important and newest first. */
static GPtrArray *
events_in_effect (ChronoSnapshot *self,
                  ChronoDay       day)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GPtrArray *events = g_ptr_array_new_with_free_func (g_object_unref);

  chrono_time_index_query (self->index, day, ids);
  for (guint i = 0; i < ids->len; i++)
    {
      ChronoEvent *event = get_event (self, g_array_index (ids, gint64, i));

      if (event != NULL)
        g_ptr_array_add (events, g_object_ref (event));
    }
  g_ptr_array_sort (events, compare_events_newest_first);

  return events;
}

/* The last event that began on or before @day, if any. */
static ChronoEvent *
last_event_before (ChronoSnapshot *self,
                   ChronoDay       day)
{
  const ChronoEventRow *rows = chrono_event_table_get_rows (self->table);
  const ChronoEventRow *best = NULL;

  /* The table is by rowid, as the events were: the last of equals wins */
  for (guint i = 0; i < chrono_event_table_get_n_rows (self->table); i++)
    if (rows[i].start_lo <= day && (best == NULL || rows[i].start_lo >= best->start_lo))
      best = &rows[i];

  return best != NULL ? get_event (self, best->rowid) : NULL;
}

static ChronoEvent *
find_event (ChronoSnapshot              *self,
            const ChronoSnapshotOptions *options,
            GError                     **error)
{
  ChronoEvent *event = NULL;

  if (options->event_id != NULL)
    {
      ChronoEvent *found = chrono_event_source_get_event_by_id (self->source, options->event_id, self->lang, NULL);

      /* Only an event of the snapshot's table */
      if (found != NULL && chrono_event_table_lookup (self->table, chrono_event_get_rowid (found)) == NULL)
        g_clear_object (&found);
      event = found != NULL ? keep_event (self, found) : NULL;
      if (event == NULL)
        g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_NO_EVENT,
                     _("No event with the id “%s” in the dataset"), options->event_id);
    }
  else if (options->event_rowid > 0)
    {
      event = get_event (self, options->event_rowid);
      if (event == NULL)
        {
          /* The number apart: xgettext cannot read G_GINT64_FORMAT */
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, options->event_rowid);

          g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_NO_EVENT,
                       _("No event number %s in the dataset"), number);
        }
    }

  return event;
}

/* A render */

typedef struct
{
  ShumateTile *tile;
  double       x0, y0, x1, y1;  /* device pixels */
  gboolean     failed;
} TileSlot;

typedef struct
{
  ChronoSnapshot        *self;
  ChronoSnapshotOptions *options;
  Layout                 layout;
  ShumateMapSource      *source;       /* what the tiles come from */
  ShumateMapSource      *reference;    /* 256-pixel source for the layer's viewport */
  double                 zoom;         /* logical, in 256-pixel tiles */
  double                 cx, cy;       /* Mercator centre of the map rect */
  GPtrArray             *shown;        /* ChronoEvent: the cards */
  gboolean               shown_is_last;/* nothing in effect: the last event before */
  ChronoEvent           *selected;     /* the event asked for, or NULL */
  ChronoTourStep        *step;         /* the tour step drawn, or NULL */
  cairo_t               *target;       /* draw here (a PDF page) instead of into an image */
  GPtrArray             *effect;       /* ChronoEvent in effect, for the layer */
  GArray                *slots;        /* TileSlot */
  GHashTable            *tile_cache;   /* key → GdkPaintable, or NULL */
  guint                  pending;
  gint64                 start_time;
  gint64                 tiles_done_time;
  ChronoSnapshotTimings  timings;
} RenderJob;

static void
render_job_free (RenderJob *job)
{
  for (guint i = 0; job->slots != NULL && i < job->slots->len; i++)
    g_clear_object (&g_array_index (job->slots, TileSlot, i).tile);
  g_clear_pointer (&job->slots, g_array_unref);
  g_clear_pointer (&job->tile_cache, g_hash_table_unref);
  g_clear_pointer (&job->shown, g_ptr_array_unref);
  g_clear_object (&job->selected);
  g_clear_object (&job->step);
  g_clear_pointer (&job->target, cairo_destroy);
  g_clear_pointer (&job->effect, g_ptr_array_unref);
  g_clear_pointer (&job->options, chrono_snapshot_options_free);
  g_clear_object (&job->source);
  g_clear_object (&job->reference);
  g_clear_object (&job->self);
  g_free (job);
}

/*
 * Framing. The view is chosen among the places of the events shown:
 *
 * - A country's point is far from where things happen in it; places with
 *   the role "context", and the places of events of the "context"
 *   category, are background: they count for little.
 * - The core is where most of the events are: the places within some
 *   80 km of the place with the most events around it. Far places (the
 *   capital where a statement was made) are left out of the frame unless
 *   the core holds less than one event, that is, unless the far places
 *   are all there is.
 * - The zoom is the comfortable one for the frame (some 120 km across at
 *   the least), zoomed further in, while the frame still fits, where the
 *   event layer would merge the places into an anonymous cluster; if the
 *   whole frame cannot be shown unclustered, its farthest places go.
 */
typedef struct
{
  double x, y;      /* Mercator */
  double weight;    /* the share of the events shown there */
  guint  n_lit;     /* events in effect there: the size of its disc */
  double max_zoom;  /* the closest to come to it alone */
} FramePlace;

/* The event layer's discs: they merge below this zoom where they overlap */
#define CLUSTER_FREE_ZOOM 8.0
#define CORE_RADIUS 0.0022   /* some 80 km at these latitudes, in Mercator units */

static double
disc_radius (guint n_events)
{
  /* As the event layer sizes a place's disc by its events */
  return MIN (30.0, 6.0 + 3.0 * sqrt (MAX (n_events, 1)));
}

static gboolean
is_background (ChronoEvent *event,
               guint        i)
{
  return g_strcmp0 (chrono_event_get_place_role (event, i), "context") == 0 ||
         g_strcmp0 (chrono_event_get_category (event), "context") == 0;
}

/* How close to come to a place of @kind alone, as the presentation does */
static double
zoom_for_kind (const char *kind)
{
  if (g_strcmp0 (kind, "country") == 0)
    return 5.0;
  if (g_strcmp0 (kind, "region") == 0)
    return 8.0;
  return FIT_MAX_ZOOM;
}

static FramePlace *
frame_place_for (GArray      *frame,
                 GHashTable  *index,
                 ChronoPlace *place)
{
  gpointer found;

  if (g_hash_table_lookup_extended (index, chrono_place_get_id (place), NULL, &found))
    return &g_array_index (frame, FramePlace, GPOINTER_TO_UINT (found));

  {
    FramePlace fp = { 0 };

    location_to_mercator (chrono_place_get_lat (place), chrono_place_get_lon (place), &fp.x, &fp.y);
    fp.max_zoom = zoom_for_kind (chrono_place_get_kind (place));
    g_array_append_val (frame, fp);
    g_hash_table_insert (index, (gpointer) chrono_place_get_id (place), GUINT_TO_POINTER (frame->len - 1));
  }

  return &g_array_index (frame, FramePlace, frame->len - 1);
}

/* The places of @events, each event's weight shared among its places;
 * with @with_countries FALSE, countries left out. */
static void
collect_frame_places (GArray     *frame,
                      GPtrArray  *events,
                      GPtrArray  *effect,
                      gboolean    with_countries)
{
  g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint e = 0; e < events->len; e++)
    {
      ChronoEvent *event = g_ptr_array_index (events, e);
      GPtrArray *places = chrono_event_get_places (event);
      double total = 0;

      for (guint i = 0; places != NULL && i < places->len; i++)
        if (with_countries || g_strcmp0 (chrono_place_get_kind (g_ptr_array_index (places, i)), "country") != 0)
          total += is_background (event, i) ? 0.25 : 1.0;

      for (guint i = 0; places != NULL && i < places->len; i++)
        {
          ChronoPlace *place = g_ptr_array_index (places, i);

          if (!with_countries && g_strcmp0 (chrono_place_get_kind (place), "country") == 0)
            continue;
          frame_place_for (frame, index, place)->weight += (is_background (event, i) ? 0.25 : 1.0) / total;
        }
    }

  /* The sizes of the discs the layer will draw */
  for (guint e = 0; effect != NULL && e < effect->len; e++)
    {
      GPtrArray *places = chrono_event_get_places (g_ptr_array_index (effect, e));

      for (guint i = 0; places != NULL && i < places->len; i++)
        {
          ChronoPlace *place = g_ptr_array_index (places, i);
          gpointer found;

          if (g_hash_table_lookup_extended (index, chrono_place_get_id (place), NULL, &found))
            g_array_index (frame, FramePlace, GPOINTER_TO_UINT (found)).n_lit++;
        }
    }
}

/* Keeps the places within CORE_RADIUS of the one with the most weight
 * around it, if they hold at least one event's worth, or more than half. */
static void
keep_core (GArray *frame)
{
  double best = -1, total = 0;
  guint centre = 0;

  for (guint i = 0; i < frame->len; i++)
    {
      const FramePlace *a = &g_array_index (frame, FramePlace, i);
      double around = 0;

      total += a->weight;
      for (guint j = 0; j < frame->len; j++)
        {
          const FramePlace *b = &g_array_index (frame, FramePlace, j);

          if (hypot (a->x - b->x, a->y - b->y) <= CORE_RADIUS)
            around += b->weight;
        }
      if (around > best + 1e-9)
        {
          best = around;
          centre = i;
        }
    }

  if (frame->len < 2 || (best < 0.999 && best <= total / 2 + 1e-9))
    return;

  {
    FramePlace c = g_array_index (frame, FramePlace, centre);

    for (guint i = frame->len; i-- > 0;)
      {
        const FramePlace *p = &g_array_index (frame, FramePlace, i);

        if (hypot (p->x - c.x, p->y - c.y) > CORE_RADIUS)
          g_array_remove_index (frame, i);
      }
  }
}

static void
frame_bounds (GArray *frame,
              double *min_x,
              double *min_y,
              double *max_x,
              double *max_y)
{
  *min_x = *min_y = G_MAXDOUBLE;
  *max_x = *max_y = -G_MAXDOUBLE;
  for (guint i = 0; i < frame->len; i++)
    {
      const FramePlace *p = &g_array_index (frame, FramePlace, i);

      *min_x = MIN (*min_x, p->x);
      *max_x = MAX (*max_x, p->x);
      *min_y = MIN (*min_y, p->y);
      *max_y = MAX (*max_y, p->y);
    }
}

/* Whether two lit places of @frame would merge into a cluster at @zoom */
static gboolean
frame_clusters (GArray *frame,
                double  zoom)
{
  double world = 256.0 * exp2 (zoom);

  if (zoom >= CLUSTER_FREE_ZOOM - 0.01)
    return FALSE;

  for (guint i = 0; i < frame->len; i++)
    for (guint j = i + 1; j < frame->len; j++)
      {
        const FramePlace *a = &g_array_index (frame, FramePlace, i);
        const FramePlace *b = &g_array_index (frame, FramePlace, j);

        if (a->n_lit == 0 || b->n_lit == 0)
          continue;
        if (hypot (a->x - b->x, a->y - b->y) * world < disc_radius (a->n_lit) + disc_radius (b->n_lit))
          return TRUE;
      }

  return FALSE;
}

/* Leaves out the place farthest from the weighted centre, the lightest of
 * equally far ones. */
static void
drop_farthest (GArray *frame)
{
  double cx = 0, cy = 0, total = 0, worst = -1;
  guint drop = 0;

  for (guint i = 0; i < frame->len; i++)
    {
      const FramePlace *p = &g_array_index (frame, FramePlace, i);
      double w = MAX (p->weight, 1e-3);

      cx += p->x * w;
      cy += p->y * w;
      total += w;
    }
  cx /= total;
  cy /= total;

  for (guint i = 0; i < frame->len; i++)
    {
      const FramePlace *p = &g_array_index (frame, FramePlace, i);
      double d = hypot (p->x - cx, p->y - cy) / MAX (p->weight, 1e-3);

      if (d > worst)
        {
          worst = d;
          drop = i;
        }
    }
  g_array_remove_index (frame, drop);
}

/* Centre and zoom that fit the frame (above) into the free part of the map */
static void
fit_view (RenderJob *job)
{
  const Layout *l = &job->layout;
  g_autoptr (GArray) frame = g_array_new (FALSE, TRUE, sizeof (FramePlace));
  double min_x, min_y, max_x, max_y, zoom, world, fx, fy;
  double fit_w = l->free.width * 0.76, fit_h = l->free.height * 0.72;
  double max_zoom = FIT_MAX_ZOOM;

  /* A tour step is framed as the presentation frames it: all its event's
   * places, no closer than their kinds call for */
  collect_frame_places (frame, job->shown, job->effect, job->step != NULL);
  /* An event only about countries is shown around them */
  if (frame->len == 0)
    collect_frame_places (frame, job->shown, job->effect, TRUE);
  /* Nothing shown: every place of the dataset */
  if (frame->len == 0)
    {
      g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < job->self->places->len; i++)
        {
          ChronoPlace *place = g_ptr_array_index (job->self->places, i);

          if (g_strcmp0 (chrono_place_get_kind (place), "country") != 0)
            frame_place_for (frame, index, place)->weight = 1;
        }
    }

  if (frame->len == 0)
    {
      job->cx = job->cy = 0.5;
      job->zoom = FIT_MIN_ZOOM;
      return;
    }

  if (job->step == NULL)
    keep_core (frame);

  /* No closer than the places' kinds call for: a country is not a town */
  max_zoom = FIT_MIN_ZOOM;
  for (guint i = 0; i < frame->len; i++)
    max_zoom = MAX (max_zoom, g_array_index (frame, FramePlace, i).max_zoom);

  for (;;)
    {
      double span_x, span_y, most;

      frame_bounds (frame, &min_x, &min_y, &max_x, &max_y);
      /* At least some 120 km across, so that one place shows in its region */
      span_x = MAX (max_x - min_x, 0.004) * 256.0;
      span_y = MAX (max_y - min_y, 0.004) * 256.0;
      zoom = log2 (MIN (fit_w / span_x, fit_h / span_y));
      /* A whole zoom level: tiles are drawn pixel for pixel, so the
       * basemap's labels stay sharp, and the event layer and the tiles
       * agree on which names each of them shows. Rounding up a little
       * still fits, thanks to the margins above. */
      zoom = CLAMP (floor (zoom + 0.4), FIT_MIN_ZOOM, max_zoom);

      /* The most the frame itself allows */
      span_x = MAX (max_x - min_x, 1e-6) * 256.0;
      span_y = MAX (max_y - min_y, 1e-6) * 256.0;
      most = floor (log2 (MIN (l->free.width * 0.9 / span_x, l->free.height * 0.9 / span_y)));
      while (frame_clusters (frame, zoom) && zoom + 1 <= most)
        zoom++;

      if (!frame_clusters (frame, zoom) || frame->len <= 1)
        break;
      drop_farthest (frame);
    }
  g_debug ("fit: %u places, x %.4f-%.4f y %.4f-%.4f, zoom %.0f", frame->len, min_x, max_x, min_y, max_y, zoom);
  job->zoom = zoom;

  /* The centre of the places sits at the centre of the free area. */
  world = 256.0 * exp2 (zoom);
  fx = l->free.x + l->free.width / 2 - l->map.x;
  fy = l->free.y + l->free.height / 2 - l->map.y;
  job->cx = (min_x + max_x) / 2 + (l->map.width / 2 - fx) / world;
  job->cy = (min_y + max_y) / 2 + (l->map.height / 2 - fy) / world;
}

static void compose (GTask *task);

/* A GTask's result cannot tell which tile it was for: a small wrapper. */
typedef struct
{
  GTask       *task;
  ShumateTile *tile;
  char        *cache_key;
} TileRequest;

/* A handout's images share most of their tiles: it keeps them this long. */
#define TILE_CACHE_MAX 400

static char *
dup_tile_key (ShumateMapSource *source,
              ShumateTile      *tile)
{
  const char *id = shumate_map_source_get_id (source);

  if (id == NULL)
    return NULL;

  return g_strdup_printf ("%s/%u/%u/%u/%u", id, shumate_tile_get_size (tile), shumate_tile_get_zoom_level (tile),
                          shumate_tile_get_x (tile), shumate_tile_get_y (tile));
}

static void
on_tile_request_done (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  TileRequest *request = user_data;
  RenderJob *job = g_task_get_task_data (request->task);
  g_autoptr (GError) error = NULL;

  if (!shumate_map_source_fill_tile_finish (SHUMATE_MAP_SOURCE (object), result, &error) ||
      shumate_tile_get_paintable (request->tile) == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("tile %u/%u/%u failed: %s", shumate_tile_get_zoom_level (request->tile),
                 shumate_tile_get_x (request->tile), shumate_tile_get_y (request->tile), error->message);
      for (guint i = 0; i < job->slots->len; i++)
        if (g_array_index (job->slots, TileSlot, i).tile == request->tile)
          g_array_index (job->slots, TileSlot, i).failed = TRUE;
      job->timings.n_failed_tiles++;
    }
  else if (job->tile_cache != NULL && request->cache_key != NULL)
    {
      if (g_hash_table_size (job->tile_cache) >= TILE_CACHE_MAX)
        g_hash_table_remove_all (job->tile_cache);
      g_hash_table_insert (job->tile_cache, g_steal_pointer (&request->cache_key),
                           g_object_ref (shumate_tile_get_paintable (request->tile)));
    }

  g_assert (job->pending > 0);
  job->pending--;
  if (job->pending == 0)
    {
      job->tiles_done_time = g_get_monotonic_time ();
      if (!g_task_return_error_if_cancelled (request->task))
        compose (request->task);
    }

  g_object_unref (request->task);
  g_object_unref (request->tile);
  g_free (request->cache_key);
  g_free (request);
}

static void
request_tiles (GTask *task)
{
  RenderJob *job = g_task_get_task_data (task);
  const Layout *l = &job->layout;
  guint tile_size = shumate_map_source_get_tile_size (job->source);
  int min_zoom = shumate_map_source_get_min_zoom_level (job->source);
  int max_zoom = shumate_map_source_get_max_zoom_level (job->source);
  double d = l->device;
  double world, tile_logical, ox, oy;
  int zt, n, tx0, tx1, ty0, ty1;

  /* The tile zoom whose pixels match the output's device pixels; rounded
   * up a little so that tiles are shrunk rather than enlarged. */
  zt = (int) ceil (job->zoom + log2 (d * 256.0 / tile_size) - 0.25);
  zt = CLAMP (zt, min_zoom, max_zoom);
  n = 1 << zt;

  world = 256.0 * exp2 (job->zoom);
  tile_logical = world / n;
  ox = job->cx * world - l->map.width / 2;
  oy = job->cy * world - l->map.height / 2;
  tx0 = (int) floor (ox / tile_logical);
  tx1 = (int) floor ((ox + l->map.width) / tile_logical);
  ty0 = (int) floor (oy / tile_logical);
  ty1 = (int) floor ((oy + l->map.height) / tile_logical);

  job->slots = g_array_new (FALSE, TRUE, sizeof (TileSlot));
  for (int ty = ty0; ty <= ty1; ty++)
    for (int tx = tx0; tx <= tx1; tx++)
      {
        TileSlot slot = { 0 };

        /* Edges on whole device pixels, so that neighbours leave no seam */
        slot.x0 = round ((l->map.x + tx * tile_logical - ox) * d);
        slot.x1 = round ((l->map.x + (tx + 1) * tile_logical - ox) * d);
        slot.y0 = round ((l->map.y + ty * tile_logical - oy) * d);
        slot.y1 = round ((l->map.y + (ty + 1) * tile_logical - oy) * d);

        if (ty < 0 || ty >= n)
          {
            /* Beyond the poles: background */
            slot.failed = TRUE;
            g_array_append_val (job->slots, slot);
            continue;
          }

        slot.tile = shumate_tile_new_full (((tx % n) + n) % n, ty, tile_size, zt);
        g_array_append_val (job->slots, slot);
      }

  job->start_time = g_get_monotonic_time ();
  for (guint i = 0; i < job->slots->len; i++)
    {
      TileSlot *slot = &g_array_index (job->slots, TileSlot, i);
      TileRequest *request;

      g_autofree char *key = NULL;

      if (slot->tile == NULL)
        continue;

      job->timings.n_tiles++;
      if (job->tile_cache != NULL && (key = dup_tile_key (job->source, slot->tile)) != NULL)
        {
          GdkPaintable *cached = g_hash_table_lookup (job->tile_cache, key);

          if (cached != NULL)
            {
              shumate_tile_set_paintable (slot->tile, cached);
              continue;
            }
        }

      request = g_new0 (TileRequest, 1);
      request->task = g_object_ref (task);
      request->tile = g_object_ref (slot->tile);
      request->cache_key = g_steal_pointer (&key);
      job->pending++;
      shumate_map_source_fill_tile_async (job->source, slot->tile, g_task_get_cancellable (task),
                                          on_tile_request_done, request);
    }

  if (job->pending == 0)
    {
      job->tiles_done_time = g_get_monotonic_time ();
      compose (task);
    }
}

/* Text */

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *text,
             double      size,
             PangoWeight weight,
             gboolean    italic,
             double      width,
             int         max_lines)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string (FONT_FAMILY);
  g_autofree char *display = NULL;
  cairo_font_options_t *font_options = cairo_font_options_create ();

  /* Grey-scale antialiasing without hinting: the text is resampled by
   * whoever shows the image, and hinting would change it with the scale. */
  cairo_font_options_set_antialias (font_options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style (font_options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (font_options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (pango_layout_get_context (layout), font_options);
  cairo_font_options_destroy (font_options);
  pango_layout_context_changed (layout);

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, weight);
  if (italic)
    pango_font_description_set_style (font, PANGO_STYLE_ITALIC);
  pango_layout_set_font_description (layout, font);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  if (max_lines > 0)
    {
      pango_layout_set_height (layout, -max_lines);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  /* A dataset's text can be megabytes long: lay out only what can show, a
   * name's worth on a line or a few, a summary's in a paragraph */
  display = chrono_text_for_display (text != NULL ? text : "",
                                     width <= 0 || (max_lines > 0 && max_lines <= 3)
                                     ? CHRONO_DISPLAY_NAME_CHARS : CHRONO_DISPLAY_TEXT_CHARS);
  pango_layout_set_text (layout, display, -1);

  return layout;
}

/* Draws @text at (@x, @y) and returns its height. */
static double
draw_text (cairo_t       *cr,
           const char    *text,
           double         x,
           double         y,
           double         size,
           PangoWeight    weight,
           gboolean       italic,
           double         width,
           int            max_lines,
           const GdkRGBA *color)
{
  g_autoptr (PangoLayout) layout = make_layout (cr, text, size, weight, italic, width, max_lines);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);

  return h;
}

static double
text_height (cairo_t     *cr,
             const char  *text,
             double       size,
             PangoWeight  weight,
             gboolean     italic,
             double       width,
             int          max_lines)
{
  g_autoptr (PangoLayout) layout = make_layout (cr, text, size, weight, italic, width, max_lines);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);

  return h;
}

static double
text_width (cairo_t     *cr,
            const char  *text,
            double       size,
            PangoWeight  weight)
{
  g_autoptr (PangoLayout) layout = make_layout (cr, text, size, weight, FALSE, -1, 0);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);

  return w;
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* "— Encyclopedia article, April 2024 · French" for the first excerpt of
 * @event, or NULL: cited as the side panel cites. */
static char *
dup_citation (ChronoEvent    *event,
              ChronoExcerpt **out_excerpt)
{
  GPtrArray *excerpts = chrono_event_get_excerpts (event);
  ChronoExcerpt *excerpt;
  ChronoSource *source;

  if (out_excerpt != NULL)
    *out_excerpt = NULL;
  if (excerpts == NULL || excerpts->len == 0)
    return NULL;

  excerpt = g_ptr_array_index (excerpts, 0);
  if (out_excerpt != NULL)
    *out_excerpt = excerpt;
  source = chrono_excerpt_get_source (excerpt);
  if (source == NULL)
    return NULL;

  return chrono_excerpt_dup_citation (excerpt);
}

/* Draws, or only measures when @draw is FALSE. */
static double
card_text (cairo_t       *cr,
           gboolean       draw,
           const char    *text,
           double         x,
           double         y,
           double         size,
           PangoWeight    weight,
           gboolean       italic,
           double         width,
           int            max_lines,
           const GdkRGBA *color)
{
  if (draw)
    return draw_text (cr, text, x, y, size, weight, italic, width, max_lines, color);

  return text_height (cr, text, size, weight, italic, width, max_lines);
}

/* What one card shows */
typedef struct
{
  ChronoEvent    *event;
  ChronoTourStep *step;      /* or NULL; else its title, note and excerpts */
  gboolean        excerpt;   /* quote the excerpt, or the step's excerpts */
  gboolean        summary;   /* the event's summary */
  gboolean        compact;   /* title and dates only, where many events share a page */
} Card;

/* The excerpts a card quotes: the step's, in its order, else the first */
static GPtrArray *
card_excerpts (const Card *card)
{
  GPtrArray *excerpts = chrono_event_get_excerpts (card->event);
  GPtrArray *chosen = g_ptr_array_new ();
  const char * const *ids = card->step != NULL ? chrono_tour_step_get_excerpts (card->step) : NULL;

  for (guint p = 0; ids != NULL && ids[p] != NULL && chosen->len < 3; p++)
    for (guint i = 0; excerpts != NULL && i < excerpts->len; i++)
      if (g_strcmp0 (chrono_excerpt_get_id (g_ptr_array_index (excerpts, i)), ids[p]) == 0)
        g_ptr_array_add (chosen, g_ptr_array_index (excerpts, i));

  if (chosen->len == 0 && excerpts != NULL && excerpts->len > 0)
    g_ptr_array_add (chosen, g_ptr_array_index (excerpts, 0));

  return chosen;
}

static double
draw_event_card (cairo_t       *cr,
                 const Card    *card,
                 double         x,
                 double         y,
                 double         width,
                 double         font,
                 gboolean       draw,
                 const Palette *palette)
{
  ChronoEvent *event = card->event;
  const GdkRGBA *color = chrono_event_layer_get_category_color (chrono_event_get_category (event));
  g_autofree char *dates = chrono_format_dates (chrono_event_get_start (event), chrono_event_get_end (event));
  g_autofree char *category = g_utf8_strup (category_label (chrono_event_get_category (event)), -1);
  const char *title = card->step != NULL ? chrono_tour_step_get_title (card->step) : NULL;
  const char *note = card->step != NULL ? chrono_tour_step_get_note (card->step) : NULL;
  const char *summary = card->summary ? chrono_event_get_summary (event) : NULL;
  double bar = font * 0.3;
  double tx = x + bar + font * 0.7;
  double tw = width - (tx - x);
  double cy = y;

  if (title == NULL || title[0] == '\0')
    title = chrono_event_get_title (event);
  if (title == NULL)
    title = chrono_event_get_id (event);

  if (card->compact)
    {
      /* The colour bar says the category */
      cy += card_text (cr, draw, title, tx, cy, font, PANGO_WEIGHT_BOLD, FALSE, tw, 1, &palette->text);
      if (dates != NULL)
        cy += card_text (cr, draw, dates, tx, cy, font * 0.8, PANGO_WEIGHT_NORMAL, FALSE, tw, 1, &palette->dim_text);
      note = summary = NULL;
    }
  else
    {
      cy += card_text (cr, draw, category, tx, cy, font * 0.72, PANGO_WEIGHT_BOLD, FALSE, tw, 1, color);
      cy += font * 0.15;
      cy += card_text (cr, draw, title, tx, cy, font * 1.12, PANGO_WEIGHT_BOLD, FALSE, tw, 3, &palette->text);
      if (dates != NULL)
        {
          cy += font * 0.1;
          cy += card_text (cr, draw, dates, tx, cy, font * 0.85, PANGO_WEIGHT_NORMAL, FALSE, tw, 2, &palette->dim_text);
        }
    }
  if (note != NULL && note[0] != '\0')
    {
      cy += font * 0.45;
      cy += card_text (cr, draw, note, tx, cy, font * 0.95, PANGO_WEIGHT_NORMAL, FALSE, tw, 6, &palette->text);
    }
  /* A step's note says what its event's summary would */
  if (summary != NULL && summary[0] != '\0' && (note == NULL || note[0] == '\0'))
    {
      cy += font * 0.45;
      cy += card_text (cr, draw, summary, tx, cy, font * 0.95, PANGO_WEIGHT_NORMAL, FALSE, tw, 8, &palette->text);
    }

  if (card->excerpt && !card->compact)
    {
      g_autoptr (GPtrArray) excerpts = card_excerpts (card);

      for (guint i = 0; i < excerpts->len; i++)
        {
          ChronoExcerpt *excerpt = g_ptr_array_index (excerpts, i);
          ChronoSource *source = chrono_excerpt_get_source (excerpt);
          g_autofree char *quoted = NULL;
          g_autofree char *citation = NULL;

          if (chrono_excerpt_get_quote (excerpt) == NULL)
            continue;
          /* Quoted and cited as the side panel does */
          quoted = chrono_excerpt_dup_quoted (excerpt);
          cy += font * 0.45;
          cy += card_text (cr, draw, quoted, tx, cy, font * 0.92, PANGO_WEIGHT_NORMAL, TRUE, tw, 5, &palette->text);
          if (source != NULL)
            {
              citation = chrono_excerpt_dup_citation (excerpt);
              cy += font * 0.2;
              cy += card_text (cr, draw, citation, tx, cy, font * 0.78, PANGO_WEIGHT_NORMAL, FALSE, tw, 2,
                               &palette->dim_text);
            }
        }
    }

  if (draw)
    {
      gdk_cairo_set_source_rgba (cr, color);
      rounded_rect (cr, x, y, bar, cy - y, bar / 2);
      cairo_fill (cr);
    }

  return cy - y;
}

static double
draw_legend (cairo_t        *cr,
             ChronoSnapshot *self,
             double          x,
             double          y,
             double          width,
             double          font,
             gboolean        measure_only,
             const Palette  *palette)
{
  double size = font * 0.8;
  double dot = size * 0.75;
  double cx = x, cy = y;
  double line = size * 1.6;

  for (guint i = 0; i < self->categories->len; i++)
    {
      const char *category = g_ptr_array_index (self->categories, i);
      const char *label = category_label (category);
      double w = dot + size * 0.4 + text_width (cr, label, size, PANGO_WEIGHT_NORMAL) + size * 1.2;

      if (cx > x && cx + w > x + width)
        {
          cx = x;
          cy += line;
        }
      if (!measure_only)
        {
          gdk_cairo_set_source_rgba (cr, chrono_event_layer_get_category_color (category));
          cairo_arc (cr, cx + dot / 2, cy + line / 2 - size * 0.15, dot / 2, 0, 2 * G_PI);
          cairo_fill (cr);
          draw_text (cr, label, cx + dot + size * 0.4, cy + (line - size * 1.2) / 2 - size * 0.15,
                     size, PANGO_WEIGHT_NORMAL, FALSE, -1, 0, &palette->text);
        }
      cx += w;
    }

  return self->categories->len > 0 ? cy + line - y : 0;
}

/* The strip shows the story; an image of a day or an event before or after
 * it (an event of the 1990s) stretches it to take that in, so that the
 * cursor stands at the date shown and not at an end of the story. */
static void
get_strip_extent (ChronoSnapshot *self,
                  ChronoDay       day,
                  ChronoEvent    *event,
                  ChronoDay      *out_first,
                  ChronoDay      *out_last)
{
  ChronoDay first = self->story_first, last = self->story_last;

  first = MIN (first, day);
  last = MAX (last, day);
  if (event != NULL)
    {
      first = MIN (first, chrono_event_get_start_lo (event));
      last = MAX (last, chrono_event_get_start_hi (event));
    }
  if (last <= first)
    last = first + 1;

  *out_first = first;
  *out_last = last;
}

static void
draw_timeline (cairo_t         *cr,
               ChronoSnapshot  *self,
               const Layout    *l,
               ChronoDay        day,
               ChronoEvent     *shown_event,
               const Palette   *palette)
{
  const Rect *r = &l->strip;
  double pad = l->margin;
  double x0 = r->x + pad, x1 = r->x + r->width - pad;
  double bar_top = r->y + l->font * 0.6, bar_bottom = r->y + r->height - l->font * 1.9;
  guint n_bins = MAX (1, (guint) ((x1 - x0) / (l->font * 0.5)));
  g_autofree guint *counts = g_new0 (guint, n_bins);
  ChronoDay first, last;
  guint max_count = 1;
  const ChronoEventRow *rows;
  gint64 y_first, y_last;
  int m, d;
  double cursor;

  get_strip_extent (self, day, shown_event, &first, &last);

  cairo_rectangle (cr, r->x, r->y, r->width, r->height);
  cairo_set_source_rgb (cr, palette->panel.red, palette->panel.green, palette->panel.blue);
  cairo_fill (cr);
  cairo_rectangle (cr, r->x, r->y, r->width, MAX (1.0 / l->device, l->font * 0.05));
  gdk_cairo_set_source_rgba (cr, &palette->rule);
  cairo_fill (cr);

  /* Density: the events that begin in each bin, stacked by category */
  rows = chrono_event_table_get_rows (self->table);
  for (guint i = 0; i < chrono_event_table_get_n_rows (self->table); i++)
    {
      ChronoDay start = rows[i].start_lo;
      guint bin;

      if (start < first || start > last)
        continue;
      bin = MIN (n_bins - 1, (guint) ((double) (start - first) / (last - first + 1) * n_bins));
      counts[bin]++;
      max_count = MAX (max_count, counts[bin]);
    }

  {
    g_autofree double *stacked = g_new0 (double, n_bins);
    double unit = (bar_bottom - bar_top) / max_count;
    double bin_w = (x1 - x0) / n_bins;

    guint n_categories = chrono_event_table_get_n_categories (self->table);

    /* Thousands of events a bin: a box per category, not per event */
    if (unit * l->device < 2.0)
      {
        g_autofree guint *by_category = g_new0 (guint, (gsize) n_bins * n_categories);

        for (guint i = 0; i < chrono_event_table_get_n_rows (self->table); i++)
          {
            ChronoDay start = rows[i].start_lo;

            if (start < first || start > last)
              continue;
            by_category[MIN (n_bins - 1, (guint) ((double) (start - first) / (last - first + 1) * n_bins)) * n_categories +
                        rows[i].category]++;
          }
        for (guint bin = 0; bin < n_bins; bin++)
          for (guint c = 0; c < n_categories; c++)
            {
              guint n = by_category[bin * n_categories + c];
              const GdkRGBA *color;

              if (n == 0)
                continue;
              color = chrono_event_layer_get_category_color (chrono_event_table_get_category_name (self->table, (guint16) c));
              cairo_rectangle (cr, x0 + bin * bin_w, bar_bottom - stacked[bin] - unit * n,
                               MAX (bin_w - 1.0 / l->device, 1.0 / l->device), unit * n);
              cairo_set_source_rgba (cr, color->red, color->green, color->blue, 0.9);
              cairo_fill (cr);
              stacked[bin] += unit * n;
            }
        n_categories = 0;
      }

    for (guint i = 0; n_categories > 0 && i < chrono_event_table_get_n_rows (self->table); i++)
      {
        ChronoDay start = rows[i].start_lo;
        const GdkRGBA *color = chrono_event_layer_get_category_color (chrono_event_table_get_category_name (self->table, rows[i].category));
        guint bin;

        if (start < first || start > last)
          continue;
        bin = MIN (n_bins - 1, (guint) ((double) (start - first) / (last - first + 1) * n_bins));
        cairo_rectangle (cr, x0 + bin * bin_w, bar_bottom - stacked[bin] - unit, MAX (bin_w - 1.0 / l->device, 1.0 / l->device),
                         unit - MIN (unit * 0.15, 1.0));
        cairo_set_source_rgba (cr, color->red, color->green, color->blue, 0.9);
        cairo_fill (cr);
        stacked[bin] += unit;
      }
  }

  /* Axis and a tick every so many years: as many as the labels leave room
   * for, on round years, from a few years to deep time. */
  cairo_rectangle (cr, x0, bar_bottom, x1 - x0, MAX (1.0 / l->device, l->font * 0.06));
  gdk_cairo_set_source_rgba (cr, &palette->dim_text);
  cairo_fill (cr);

  chrono_day_to_ymd (first, &y_first, &m, &d);
  chrono_day_to_ymd (last, &y_last, &m, &d);
  {
    g_autofree char *widest = g_strdup_printf ("%" G_GINT64_FORMAT, ABS (y_first) > ABS (y_last) ? y_first : y_last);
    double spacing = text_width (cr, widest, l->font * 0.7, PANGO_WEIGHT_NORMAL) + l->font * 1.2;
    double years = MAX (1.0, (double) (y_last - y_first + 1));
    double per_year = (x1 - x0) / years;
    gint64 step = 1;

    /* 1, 2, 5, 10, 20, 50, … years */
    for (guint i = 0; step * per_year < spacing && step < G_GINT64_CONSTANT (100000000000); i++)
      step *= (i % 3 == 1) ? 5 : 2;
    if (step * per_year < spacing)
      step = G_GINT64_CONSTANT (100000000000);

    for (gint64 year = y_first - (((y_first % step) + step) % step); year <= y_last + 1; year += step)
      {
        ChronoDay jan1;
        double tx;
        g_autofree char *label = NULL;

        if (year < CHRONO_YEAR_MIN || year > CHRONO_YEAR_MAX)
          continue;
        jan1 = chrono_day_from_ymd (year, 1, 1);
        tx = x0 + (x1 - x0) * (double) (jan1 - first) / (last - first);
        if (tx < x0 - 0.5 || tx > x1 + 0.5)
          continue;
        label = g_strdup_printf ("%" G_GINT64_FORMAT, year);
        cairo_rectangle (cr, tx, bar_bottom, MAX (1.0 / l->device, l->font * 0.06), l->font * 0.35);
        gdk_cairo_set_source_rgba (cr, &palette->dim_text);
        cairo_fill (cr);
        if (tx + text_width (cr, label, l->font * 0.7, PANGO_WEIGHT_NORMAL) < x1)
          draw_text (cr, label, tx + l->font * 0.2, bar_bottom + l->font * 0.2, l->font * 0.7,
                     PANGO_WEIGHT_NORMAL, FALSE, -1, 0, &palette->dim_text);
      }
  }

  /* An event dated to a span (a decade, a season): the span, lightly */
  if (shown_event != NULL && chrono_event_get_start_hi (shown_event) > chrono_event_get_start_lo (shown_event))
    {
      double band0 = x0 + (x1 - x0) * (double) (chrono_event_get_start_lo (shown_event) - first) / (last - first);
      double band1 = x0 + (x1 - x0) * (double) (chrono_event_get_start_hi (shown_event) - first) / (last - first);

      cairo_rectangle (cr, band0, bar_top, MAX (band1 - band0, 1.0 / l->device), bar_bottom - bar_top);
      cairo_set_source_rgba (cr, palette->accent.red, palette->accent.green, palette->accent.blue, 0.15);
      cairo_fill (cr);
    }

  /* The cursor at the date */
  cursor = x0 + (x1 - x0) * (double) (CLAMP (day, first, last) - first) / (last - first);
  gdk_cairo_set_source_rgba (cr, &palette->accent);
  cairo_rectangle (cr, cursor - l->font * 0.09, r->y + l->font * 0.25, l->font * 0.18,
                   bar_bottom - r->y - l->font * 0.25 + l->font * 0.35);
  cairo_fill (cr);
  cairo_move_to (cr, cursor - l->font * 0.45, r->y);
  cairo_line_to (cr, cursor + l->font * 0.45, r->y);
  cairo_line_to (cr, cursor, r->y + l->font * 0.5);
  cairo_close_path (cr);
  cairo_fill (cr);
}

/* The date of an image as people write it: the day, or for an image of
 * one event on a day its start may mean, that start ("1990s", "spring
 * 2024", "9 or 10 November 2020") rather than a day it only stands for. */
static char *
dup_date_text (ChronoDay    day,
               ChronoEvent *event)
{
  if (event != NULL &&
      chrono_event_get_start_lo (event) <= day && day <= chrono_event_get_start_hi (event) &&
      chrono_event_get_start_lo (event) != chrono_event_get_start_hi (event))
    {
      g_autoptr (ChronoEdtf) start = chrono_edtf_parse (chrono_event_get_start (event), NULL);

      if (start != NULL)
        return chrono_edtf_format (start);
    }

  return chrono_day_format (day);
}

/* Heights of the cards of @job->shown from @first at @width, with or
 * without their excerpts. */
static double *
measure_cards (cairo_t       *cr,
               RenderJob     *job,
               guint          first,
               double         width,
               double         font,
               gboolean       excerpts,
               gboolean       compact,
               const Palette *palette)
{
  double *heights = g_new0 (double, job->shown->len);

  for (guint i = first; i < job->shown->len; i++)
    {
      Card card = { g_ptr_array_index (job->shown, i), NULL, excerpts, FALSE, compact };

      heights[i] = draw_event_card (cr, &card, 0, 0, width, font, FALSE, palette);
    }

  return heights;
}

/* How many of the cards from @first fit @n_columns columns of @height,
 * read down the first column, then the second; @split gets the index of
 * the first card of the second column, chosen so that columns end level
 * when every card fits. */
static guint
flow_cards (const double *heights,
            guint         first,
            guint         n,
            guint         n_columns,
            double        height,
            double        gap,
            guint        *split)
{
  double used = 0;
  guint i = first;

  *split = n;
  if (n_columns == 2)
    {
      /* Every card in, the columns as level as can be */
      double best = G_MAXDOUBLE;

      for (guint k = first + 1; k < n; k++)
        {
          double left = 0, right = 0;

          for (guint c = first; c < n; c++)
            {
              if (c < k)
                left += heights[c] + gap;
              else
                right += heights[c] + gap;
            }
          if (left - gap <= height && right - gap <= height && MAX (left, right) < best)
            {
              best = MAX (left, right);
              *split = k;
            }
        }
      if (best < G_MAXDOUBLE)
        return n - first;
    }

  for (guint column = 0; column < n_columns; column++)
    {
      used = 0;
      if (column == 1)
        *split = i;
      while (i < n && used + heights[i] <= height)
        {
          used += heights[i] + gap;
          i++;
        }
    }

  return i - first;
}

/*
 * The cards of the events shown, from @y down to @bottom: the first spans
 * the column with its excerpt; one event alone gets a larger card with its
 * summary. On a page the others go in two columns that the cards fill
 * before "and N more"; all quote their excerpts where there is room.
 * Returns how many were drawn; @y is moved below them.
 */
static guint
draw_cards (cairo_t       *cr,
            RenderJob     *job,
            double         x,
            double        *y,
            double         width,
            double         bottom,
            const Palette *palette)
{
  const Layout *l = &job->layout;
  double font = l->font;
  double gap = font * 1.1;
  double more_line = font * 1.6;
  guint n = job->shown->len;
  guint n_columns = l->portrait ? 2 : 1;
  double column_gap = font * 1.5;
  double column_width = (width - (n_columns - 1) * column_gap) / n_columns;
  g_autofree double *heights = NULL;
  gboolean excerpts = TRUE, compact = FALSE;
  guint fit, split;
  double h;

  if (n == 0)
    return 0;

  if (n == 1)
    {
      /* One event: as large as the room allows, with its summary */
      static const double scales[] = { 1.6, 1.4, 1.25, 1.1, 1.0 };
      Card card = { g_ptr_array_index (job->shown, 0), job->step, TRUE, TRUE };
      double card_font = font;

      for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
        {
          card_font = font * scales[i];
          if (draw_event_card (cr, &card, x, *y, width, card_font, FALSE, palette) <= bottom - *y)
            break;
        }
      h = draw_event_card (cr, &card, x, *y, width, card_font, TRUE, palette);
      *y += h + gap;
      return 1;
    }

  {
    Card card = { g_ptr_array_index (job->shown, 0), job->step, TRUE, FALSE };

    h = draw_event_card (cr, &card, x, *y, width, font, TRUE, palette);
    *y += h + gap;
  }

  /* One card left spans the width: no half-empty row */
  if (n == 2)
    {
      n_columns = 1;
      column_width = width;
    }

  /* With their excerpts if they all fit so, else without; where even
   * that leaves most out, as a compact list */
  heights = measure_cards (cr, job, 1, column_width, font, TRUE, FALSE, palette);
  fit = flow_cards (heights, 1, n, n_columns, bottom - *y, gap, &split);
  if (fit < n - 1)
    {
      excerpts = FALSE;
      g_free (heights);
      heights = measure_cards (cr, job, 1, column_width, font, FALSE, FALSE, palette);
      fit = flow_cards (heights, 1, n, n_columns, bottom - *y, gap, &split);
      if (fit < n - 1)
        fit = flow_cards (heights, 1, n, n_columns, bottom - *y - more_line, gap, &split);
    }
  if (fit < (n - 1) / 2)
    {
      g_autofree double *compact_heights = measure_cards (cr, job, 1, column_width, font, FALSE, TRUE, palette);
      double compact_gap = font * 0.7;
      guint compact_split;
      guint compact_fit = flow_cards (compact_heights, 1, n, n_columns, bottom - *y, compact_gap, &compact_split);

      if (compact_fit < n - 1)
        compact_fit = flow_cards (compact_heights, 1, n, n_columns, bottom - *y - more_line, compact_gap,
                                  &compact_split);
      if (compact_fit > fit)
        {
          compact = TRUE;
          fit = compact_fit;
          split = compact_split;
          gap = compact_gap;
          g_free (heights);
          heights = g_steal_pointer (&compact_heights);
        }
    }

  g_debug ("cards: %u of %u in %u columns from %.0f to %.0f, split %u, excerpts %d, compact %d",
           fit, n - 1, n_columns, *y, bottom, split, excerpts, compact);
  {
    double column_y[2] = { *y, *y };

    for (guint i = 1; i < 1 + fit; i++)
      {
        Card card = { g_ptr_array_index (job->shown, i), NULL, excerpts, FALSE, compact };
        guint column = i >= split ? 1 : 0;

        draw_event_card (cr, &card, x + column * (column_width + column_gap), column_y[column],
                         column_width, font, TRUE, palette);
        column_y[column] += heights[i] + gap;
      }
    *y = MAX (column_y[0], column_y[1]);
  }

  return 1 + fit;
}

static void
draw_overlays (cairo_t   *cr,
               RenderJob *job)
{
  ChronoSnapshot *self = job->self;
  const ChronoSnapshotOptions *options = job->options;
  const Layout *l = &job->layout;
  const Palette *palette = get_palette (options->style);
  const char *title = options->title != NULL ? options->title : self->title;
  const char *attribution = shumate_map_source_get_license (job->source);
  double font = l->font;
  double pad = l->margin;

  /* Title band: title, then the date written out */
  if (l->title.height > 0)
    {
      g_autofree char *date = dup_date_text (options->day, job->selected);
      double w = 0, h = 0, y;
      double max_w = l->title.width - 2 * pad - (l->portrait ? 0 : pad);

      if (options->include & CHRONO_SNAPSHOT_INCLUDE_TITLE)
        {
          w = MAX (w, MIN (max_w, text_width (cr, title, font * 1.05, PANGO_WEIGHT_BOLD)));
          h += text_height (cr, title, font * 1.05, PANGO_WEIGHT_BOLD, FALSE, max_w, 2);
        }
      if (options->include & CHRONO_SNAPSHOT_INCLUDE_DATE)
        {
          w = MAX (w, MIN (max_w, text_width (cr, date, font * 2.0, PANGO_WEIGHT_BOLD)));
          h += text_height (cr, date, font * 2.0, PANGO_WEIGHT_BOLD, FALSE, max_w, 1) + font * 0.1;
        }

      rounded_rect (cr, pad, pad, w + 2 * font, h + 1.6 * font, font * 0.5);
      gdk_cairo_set_source_rgba (cr, &palette->panel);
      cairo_fill (cr);

      y = pad + 0.8 * font;
      if (options->include & CHRONO_SNAPSHOT_INCLUDE_TITLE)
        y += draw_text (cr, title, pad + font, y, font * 1.05, PANGO_WEIGHT_BOLD, FALSE, max_w, 2, &palette->dim_text);
      if (options->include & CHRONO_SNAPSHOT_INCLUDE_DATE)
        draw_text (cr, date, pad + font, y + font * 0.1, font * 2.0, PANGO_WEIGHT_BOLD, FALSE, max_w, 1, &palette->text);
    }

  /* Cards and legend */
  if (l->column.width > 0 && l->column.height > 0)
    {
      const Rect *c = &l->column;
      double x = c->x + pad, width = c->width - 2 * pad;
      double top = c->y + pad, bottom = c->y + c->height - pad;
      double legend_h = 0;
      double y;

      /* Opaque: map labels showing through would muddle the text */
      cairo_rectangle (cr, c->x, c->y, c->width, c->height);
      cairo_set_source_rgb (cr, palette->panel.red, palette->panel.green, palette->panel.blue);
      cairo_fill (cr);

      if (options->include & CHRONO_SNAPSHOT_INCLUDE_LEGEND)
        {
          legend_h = draw_legend (cr, self, x, 0, width, font, TRUE, palette);
          draw_legend (cr, self, x, bottom - legend_h, width, font, FALSE, palette);
          cairo_rectangle (cr, x, bottom - legend_h - font * 0.6, width, MAX (1.0 / l->device, font * 0.05));
          gdk_cairo_set_source_rgba (cr, &palette->rule);
          cairo_fill (cr);
          bottom -= legend_h + font * 1.2;
        }

      y = top;
      if (options->include & CHRONO_SNAPSHOT_INCLUDE_EVENTS)
        {
          g_autofree char *heading = NULL;
          guint drawn = 0;

          guint step_index;

          if (job->step != NULL && g_ptr_array_find (self->tour, job->step, &step_index))
            /* Translators: the heading of a handout image of a tour step, "Step 4 of 15" */
            heading = g_strdup_printf (_("Step %u of %u"), step_index + 1, self->tour->len);
          else if (job->shown_is_last)
            heading = g_strdup (_("Most recent event"));
          else if (options->event_id != NULL || options->event_rowid > 0)
            heading = g_strdup (_("Selected event"));
          else if (job->shown->len == 0)
            heading = g_strdup (_("No events on this date"));
          else
            heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event in effect", "%u events in effect",
                                                    job->shown->len), job->shown->len);
          {
            g_autofree char *upper = g_utf8_strup (heading, -1);

            y += draw_text (cr, upper, x, y, font * 0.75, PANGO_WEIGHT_BOLD, FALSE, width, 1, &palette->dim_text);
            y += font * 0.8;
          }

          drawn = draw_cards (cr, job, x, &y, width, bottom, palette);
          if (drawn < job->shown->len)
            {
              g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %u more event",
                                                                    "and %u more events",
                                                                    job->shown->len - drawn),
                                                       job->shown->len - drawn);

              draw_text (cr, more, x, MIN (y, bottom - font * 1.2), font * 0.85, PANGO_WEIGHT_NORMAL, TRUE,
                         width, 1, &palette->dim_text);
            }
        }
    }

  if (options->include & CHRONO_SNAPSHOT_INCLUDE_TIMELINE)
    draw_timeline (cr, self, l, options->day, job->selected, palette);

  /* Always the attribution: bottom right of the map; a basemap file that
   * gives none is named */
  if (attribution == NULL || attribution[0] == '\0')
    attribution = shumate_map_source_get_name (job->source);
  if (attribution != NULL && attribution[0] != '\0')
    {
      double size = MAX (font * 0.55, 9.0);
      double map_right = l->portrait ? l->map.x + l->map.width : l->column.x;
      double map_bottom = l->portrait ? l->map.y + l->map.height : l->strip.y;
      double max_w = map_right - l->map.x - 2 * pad;
      double w = MIN (text_width (cr, attribution, size, PANGO_WEIGHT_NORMAL), max_w);
      double h = text_height (cr, attribution, size, PANGO_WEIGHT_NORMAL, FALSE, max_w, 2);
      double ax = map_right - w - size * 0.6, ay = map_bottom - h - size * 0.4;

      cairo_rectangle (cr, ax - size * 0.4, ay - size * 0.2, w + size * 0.8, h + size * 0.4);
      cairo_set_source_rgba (cr, palette->panel.red, palette->panel.green, palette->panel.blue, 0.75);
      cairo_fill (cr);
      draw_text (cr, attribution, ax, ay, size, PANGO_WEIGHT_NORMAL, FALSE, max_w, 2, &palette->text);
    }
}

static void
draw_markers (GtkSnapshot *snapshot,
              RenderJob   *job)
{
  const Layout *l = &job->layout;
  g_autoptr (ShumateViewport) viewport = shumate_viewport_new ();
  g_autoptr (GListStore) model = g_list_store_new (CHRONO_TYPE_EVENT);
  ChronoEventLayer *layer;
  double lat, lon;

  shumate_viewport_set_reference_map_source (viewport, job->reference);
  shumate_viewport_set_zoom_level (viewport, job->zoom);
  mercator_to_location (job->cx, job->cy, &lat, &lon);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);

  layer = chrono_event_layer_new (viewport);
  g_object_ref_sink (layer);
  /* Each place as it was named on the day shown (the layer's day) */
  chrono_event_layer_set_language (layer, job->self->label_lang != NULL ? job->self->label_lang : job->self->lang);
  chrono_event_layer_set_both_names (layer, job->self->both_names);
  chrono_event_layer_set_basemap_style (layer, job->options->style);
  /* Labels grow with the text of the image, as for a projector */
  chrono_event_layer_set_label_scale (layer, l->font / 15.0);
  chrono_event_layer_set_places (layer, job->self->places);
  for (guint i = 0; i < job->effect->len; i++)
    g_list_store_append (model, g_ptr_array_index (job->effect, i));
  chrono_event_layer_set_events_in_effect (layer, G_LIST_MODEL (model));
  chrono_event_layer_set_day (layer, job->options->day);

  /* No name under the title band or the cards where they lie on the map */
  {
    const Rect *over[] = { &l->title, &l->column, &l->strip };
    graphene_rect_t keep_out[G_N_ELEMENTS (over)];
    guint n = 0;

    for (guint i = 0; i < G_N_ELEMENTS (over); i++)
      {
        graphene_rect_t map = GRAPHENE_RECT_INIT (l->map.x, l->map.y, l->map.width, l->map.height);
        graphene_rect_t text = GRAPHENE_RECT_INIT (over[i]->x, over[i]->y, over[i]->width, over[i]->height);

        if (over[i]->width > 0 && over[i]->height > 0 && graphene_rect_intersection (&map, &text, &keep_out[n]))
          {
            graphene_rect_offset (&keep_out[n], -l->map.x, -l->map.y);
            n++;
          }
      }
    chrono_event_layer_set_keep_out (layer, keep_out, n);
  }

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (l->map.x, l->map.y));
  chrono_event_layer_draw (layer, snapshot, l->map.width, l->map.height, (int) l->device);
  gtk_snapshot_restore (snapshot);

  g_object_unref (layer);
}

/* Draws the image into @cr, whose units are the image's device pixels. */
static void
draw_image (RenderJob *job,
            cairo_t   *cr)
{
  const ChronoSnapshotOptions *options = job->options;
  const Layout *l = &job->layout;
  g_autoptr (GtkSnapshot) snapshot = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  GdkRGBA background;

  /* The map: background, tiles in device pixels, then the layer */
  chrono_basemap_get_background_color (options->style, &background);
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, options->width * options->scale, options->height * options->scale);
  cairo_clip (cr);
  gdk_cairo_set_source_rgba (cr, &background);
  cairo_paint (cr);
  cairo_restore (cr);

  snapshot = gtk_snapshot_new ();
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (l->map.x * l->device, l->map.y * l->device,
                                                         l->map.width * l->device, l->map.height * l->device));
  for (guint i = 0; i < job->slots->len; i++)
    {
      TileSlot *slot = &g_array_index (job->slots, TileSlot, i);
      GdkPaintable *paintable = slot->tile != NULL ? shumate_tile_get_paintable (slot->tile) : NULL;

      if (slot->failed || paintable == NULL)
        {
          gtk_snapshot_append_color (snapshot, &background,
                                     &GRAPHENE_RECT_INIT (slot->x0, slot->y0, slot->x1 - slot->x0, slot->y1 - slot->y0));
          continue;
        }

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (slot->x0, slot->y0));
      gdk_paintable_snapshot (paintable, snapshot, slot->x1 - slot->x0, slot->y1 - slot->y0);
      gtk_snapshot_restore (snapshot);
    }

  if (options->include & CHRONO_SNAPSHOT_INCLUDE_MARKERS)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_scale (snapshot, l->device, l->device);
      draw_markers (snapshot, job);
      gtk_snapshot_restore (snapshot);
    }
  gtk_snapshot_pop (snapshot);

  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node != NULL)
    gsk_render_node_draw (node, cr);

  /* Text and panels, in logical pixels: on a PDF page, text stays text */
  cairo_save (cr);
  cairo_scale (cr, l->device, l->device);
  draw_overlays (cr, job);
  cairo_restore (cr);
}

static void
compose (GTask *task)
{
  RenderJob *job = g_task_get_task_data (task);
  const ChronoSnapshotOptions *options = job->options;
  int width = options->width * options->scale;
  int height = options->height * options->scale;
  cairo_surface_t *surface;
  g_autoptr (GBytes) bytes = NULL;
  GdkTexture *texture;
  cairo_t *cr;
  gint64 compose_start = g_get_monotonic_time ();

  if (job->target != NULL)
    {
      draw_image (job, job->target);
      job->timings.tiles_seconds = (job->tiles_done_time - job->start_time) / (double) G_USEC_PER_SEC;
      job->timings.compose_seconds = (g_get_monotonic_time () - compose_start) / (double) G_USEC_PER_SEC;
      if (cairo_status (job->target) != CAIRO_STATUS_SUCCESS)
        g_task_return_new_error (task, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE, "%s",
                                 cairo_status_to_string (cairo_status (job->target)));
      else
        g_task_return_pointer (task, NULL, NULL);
      return;
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_task_return_new_error (task, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_INVALID,
                               _("Not enough memory for an image of %d×%d pixels"), width, height);
      return;
    }
  cr = cairo_create (surface);
  draw_image (job, cr);
  cairo_destroy (cr);

  cairo_surface_flush (surface);
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * height,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  texture = gdk_memory_texture_new (width, height,
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
                                    GDK_MEMORY_B8G8R8A8_PREMULTIPLIED,
#else
                                    GDK_MEMORY_A8R8G8B8_PREMULTIPLIED,
#endif
                                    bytes, cairo_image_surface_get_stride (surface));

  job->timings.tiles_seconds = (job->tiles_done_time - job->start_time) / (double) G_USEC_PER_SEC;
  job->timings.compose_seconds = (g_get_monotonic_time () - compose_start) / (double) G_USEC_PER_SEC;

  g_task_return_pointer (task, texture, g_object_unref);
}

static void render_async (ChronoSnapshot              *self,
                          const ChronoSnapshotOptions *options,
                          GHashTable                  *tile_cache,
                          ChronoTourStep              *step,
                          cairo_t                     *target,
                          GCancellable                *cancellable,
                          GAsyncReadyCallback          callback,
                          gpointer                     user_data);

/**
 * chrono_snapshot_render_async:
 * @self: a #ChronoSnapshot
 * @options: what to draw; copied
 *
 * Requests every map tile the image needs from the map source, waits for
 * the last one (no fixed delay), then composes the image on the main thread.
 * Must be called from the thread of the default main context.
 */
void
chrono_snapshot_render_async (ChronoSnapshot              *self,
                              const ChronoSnapshotOptions *options,
                              GCancellable                *cancellable,
                              GAsyncReadyCallback          callback,
                              gpointer                     user_data)
{
  g_return_if_fail (CHRONO_IS_SNAPSHOT (self));
  g_return_if_fail (options != NULL);

  render_async (self, options, NULL, NULL, NULL, cancellable, callback, user_data);
}

/* Checks @options; then what the image shows and its view. */
static RenderJob *
prepare_job (ChronoSnapshot              *self,
             const ChronoSnapshotOptions *options,
             ChronoTourStep              *step,
             GError                     **error)
{
  RenderJob *job;
  ChronoEvent *selected;

  if (options->width < 64 || options->height < 64 || options->width > 16384 || options->height > 16384)
    {
      g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_INVALID,
                   _("The image size %d×%d is not between 64 and 16384 pixels a side"),
                   options->width, options->height);
      return NULL;
    }
  if (options->scale != 1 && options->scale != 2)
    {
      g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_INVALID,
                   _("The scale must be 1 or 2, not %d"), options->scale);
      return NULL;
    }
  if (options->width * options->scale > 16384 || options->height * options->scale > 16384)
    {
      g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_INVALID,
                   _("The image would be larger than 16384 pixels a side"));
      return NULL;
    }

  selected = find_event (self, options, error);
  if (selected == NULL && (options->event_id != NULL || options->event_rowid > 0))
    return NULL;

  job = g_new0 (RenderJob, 1);
  job->self = g_object_ref (self);
  job->options = chrono_snapshot_options_copy (options);
  job->step = step != NULL ? g_object_ref (step) : NULL;
  compute_layout (&job->layout, options);

  job->effect = events_in_effect (self, options->day);
  if (selected != NULL)
    {
      job->selected = g_object_ref (selected);
      job->shown = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (job->shown, g_object_ref (selected));
      /* The selected event is drawn lit even on a day it is not in effect. */
      if (!g_ptr_array_find (job->effect, selected, NULL))
        g_ptr_array_add (job->effect, g_object_ref (selected));
    }
  else
    {
      job->shown = g_ptr_array_ref (job->effect);
      if (job->shown->len == 0)
        {
          ChronoEvent *last = last_event_before (self, options->day);

          g_ptr_array_unref (job->shown);
          job->shown = g_ptr_array_new_with_free_func (g_object_unref);
          if (last != NULL)
            {
              g_ptr_array_add (job->shown, g_object_ref (last));
              job->shown_is_last = TRUE;
            }
        }
    }

  job->reference = g_object_ref (get_basemap (self, options->style, 256));
  if (options->map_source != NULL)
    {
      ShumateMapSource *basemap = job->reference;
      ShumateDataSource *data = SHUMATE_DATA_SOURCE (
        chrono_basemap_map_source_get_data_source (CHRONO_BASEMAP_MAP_SOURCE (basemap)));

      job->source = g_object_ref (options->map_source);
      /* The tiles are not the offline basemap's: the layer's viewport gets
       * the same projection and zoom range from a source that is not the
       * basemap, so that the layer keeps off (and paints out) none of the
       * basemap's names, which this image does not have. */
      g_clear_object (&job->reference);
      job->reference = SHUMATE_MAP_SOURCE (
        shumate_raster_renderer_new_full ("chronotope-snapshot-reference", "", "", NULL,
                                          shumate_map_source_get_min_zoom_level (basemap),
                                          shumate_map_source_get_max_zoom_level (basemap),
                                          256, SHUMATE_MAP_PROJECTION_MERCATOR, data));
    }
  else
    job->source = g_object_ref (get_basemap (self, options->style, job->layout.device >= 2 ? 512 : 256));

  if (options->has_view)
    {
      location_to_mercator (options->latitude, options->longitude, &job->cx, &job->cy);
      job->zoom = CLAMP (options->zoom, 0.0, 20.0);
    }
  else
    fit_view (job);

  return job;
}

static void
render_async (ChronoSnapshot              *self,
              const ChronoSnapshotOptions *options,
              GHashTable                  *tile_cache,
              ChronoTourStep              *step,
              cairo_t                     *target,
              GCancellable                *cancellable,
              GAsyncReadyCallback          callback,
              gpointer                     user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  RenderJob *job;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, chrono_snapshot_render_async);

  job = prepare_job (self, options, step, &error);
  if (job == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, job, (GDestroyNotify) render_job_free);
  job->tile_cache = tile_cache != NULL ? g_hash_table_ref (tile_cache) : NULL;
  job->target = target != NULL ? cairo_reference (target) : NULL;

  request_tiles (task);
}

/**
 * chrono_snapshot_get_view:
 * @self: a #ChronoSnapshot
 * @options: what to draw
 * @latitude: (out): the centre of the map
 * @longitude: (out):
 * @zoom: (out): its zoom level, in 256-pixel tiles of the image's logical
 *   pixels (its width divided by 2 for images of 1600 pixels or more a side)
 *
 * The view a render of @options shows: the options' own, or the one that
 * frames the events shown.
 *
 * Returns: %FALSE with @error set if @options cannot be drawn
 */
gboolean
chrono_snapshot_get_view (ChronoSnapshot               *self,
                          const ChronoSnapshotOptions  *options,
                          double                       *latitude,
                          double                       *longitude,
                          double                       *zoom,
                          GError                      **error)
{
  RenderJob *job;

  g_return_val_if_fail (CHRONO_IS_SNAPSHOT (self), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  job = prepare_job (self, options, NULL, error);
  if (job == NULL)
    return FALSE;

  mercator_to_location (job->cx, job->cy, latitude, longitude);
  *zoom = job->zoom;
  render_job_free (job);

  return TRUE;
}

/**
 * chrono_snapshot_render_finish:
 * @out_timings: (out) (optional): where the time went
 *
 * Returns: (transfer full): the image, of options' width × scale by
 *   height × scale pixels, or %NULL with @error set
 */
GdkTexture *
chrono_snapshot_render_finish (ChronoSnapshot         *self,
                               GAsyncResult           *result,
                               ChronoSnapshotTimings  *out_timings,
                               GError                **error)
{
  RenderJob *job;

  g_return_val_if_fail (CHRONO_IS_SNAPSHOT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  job = g_task_get_task_data (G_TASK (result));
  if (out_timings != NULL)
    {
      if (job != NULL)
        *out_timings = job->timings;
      else
        memset (out_timings, 0, sizeof *out_timings);
    }

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Saving */

static guint32 crc_table[256];

static void
init_crc_table (void)
{
  for (guint32 n = 0; n < 256; n++)
    {
      guint32 c = n;

      for (int k = 0; k < 8; k++)
        c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      crc_table[n] = c;
    }
}

static guint32
update_crc (guint32       crc,
            const guint8 *data,
            gsize         len)
{
  for (gsize i = 0; i < len; i++)
    crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);

  return crc;
}

static void
append_chunk (GByteArray   *png,
              const char   *type,
              const guint8 *data,
              gsize         len)
{
  guint8 header[8] = {
    len >> 24, len >> 16, len >> 8, len, type[0], type[1], type[2], type[3],
  };
  guint32 crc = update_crc (0xffffffffu, header + 4, 4);
  guint8 trailer[4];

  crc = update_crc (crc, data, len) ^ 0xffffffffu;
  trailer[0] = crc >> 24;
  trailer[1] = crc >> 16;
  trailer[2] = crc >> 8;
  trailer[3] = crc;

  g_byte_array_append (png, header, 8);
  g_byte_array_append (png, data, len);
  g_byte_array_append (png, trailer, 4);
}

/* PNG of @texture: RGB when it is opaque (every snapshot is), with the "up"
 * filter and fast deflate. GTK's own encoder takes about twice as long at
 * its default compression, for files only some 10 % smaller. */
static GBytes *
encode_png (GdkTexture *texture)
{
  static gsize crc_ready = 0;
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guint8 *argb = g_malloc (stride * height);
  g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 2);
  g_autoptr (GByteArray) png = g_byte_array_sized_new (stride * height / 8);
  g_autofree guint8 *out = NULL;
  g_autofree guint8 *row = NULL;
  g_autofree guint8 *previous = NULL;
  gboolean opaque = TRUE;
  gsize channels, row_len, out_size = 1 << 20, out_len = 0;
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  guint8 ihdr[13];

  if (g_once_init_enter (&crc_ready))
    {
      init_crc_table ();
      g_once_init_leave (&crc_ready, 1);
    }

  /* Native-endian premultiplied ARGB, as cairo keeps it */
  gdk_texture_download (texture, argb, stride);
  for (gsize i = 0; i < stride * height && opaque; i += 4)
    opaque = ((guint32 *) (gpointer) (argb + i))[0] >> 24 == 0xff;

  channels = opaque ? 3 : 4;
  row_len = 1 + (gsize) width * channels;
  row = g_malloc (row_len);
  previous = g_malloc0 (row_len);
  out = g_malloc (out_size);

  g_byte_array_append (png, signature, 8);
  ihdr[0] = width >> 24; ihdr[1] = width >> 16; ihdr[2] = width >> 8; ihdr[3] = width;
  ihdr[4] = height >> 24; ihdr[5] = height >> 16; ihdr[6] = height >> 8; ihdr[7] = height;
  ihdr[8] = 8;                    /* bits per channel */
  ihdr[9] = opaque ? 2 : 6;       /* RGB or RGBA */
  ihdr[10] = ihdr[11] = ihdr[12] = 0;
  append_chunk (png, "IHDR", ihdr, sizeof ihdr);

  for (int y = 0; y <= height; y++)
    {
      const guint8 *in_data;
      gsize in_len, read, written;
      GConverterResult result;
      GConverterFlags flags = y == height ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS;

      if (y < height)
        {
          const guint32 *pixels = (const guint32 *) (gpointer) (argb + stride * y);
          guint8 *p = row + 1;

          for (int x = 0; x < width; x++)
            {
              guint32 v = pixels[x];
              guint a = v >> 24, r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;

              if (!opaque && a != 0 && a != 0xff)
                {
                  r = MIN (255u, (r * 255 + a / 2) / a);
                  g = MIN (255u, (g * 255 + a / 2) / a);
                  b = MIN (255u, (b * 255 + a / 2) / a);
                }
              *p++ = r;
              *p++ = g;
              *p++ = b;
              if (!opaque)
                *p++ = a;
            }

          /* Filter "up": the difference with the row above */
          row[0] = 2;
          for (gsize i = row_len; i-- > 1;)
            {
              guint8 raw = row[i];

              row[i] = raw - previous[i];
              previous[i] = raw;
            }
          in_data = row;
          in_len = row_len;
        }
      else
        {
          in_data = NULL;
          in_len = 0;
        }

      do
        {
          g_autoptr (GError) error = NULL;

          if (out_size - out_len < 65536)
            {
              out_size *= 2;
              out = g_realloc (out, out_size);
            }
          result = g_converter_convert (G_CONVERTER (compressor), in_data, in_len, out + out_len,
                                        out_size - out_len, flags, &read, &written, &error);
          g_assert_no_error (error);
          in_data += read;
          in_len -= read;
          out_len += written;
        }
      while (in_len > 0 || (y == height && result != G_CONVERTER_FINISHED));
    }

  append_chunk (png, "IDAT", out, out_len);
  append_chunk (png, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

/**
 * chrono_snapshot_save_png:
 *
 * Writes @texture as PNG to a temporary file next to @file, then renames it,
 * so that a failure leaves neither a partial file nor a changed old one.
 */
gboolean
chrono_snapshot_save_png (GdkTexture  *texture,
                          GFile       *file,
                          GError     **error)
{
  g_autoptr (GBytes) png = NULL;
  g_autoptr (GFile) parent = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  const guint8 *data;
  gsize size;
  int fd;

  g_return_val_if_fail (GDK_IS_TEXTURE (texture), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  png = encode_png (texture);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      /* Not a local file: GIO replaces it atomically where it can. */
      g_autoptr (GError) local_error = NULL;
      g_autofree char *uri = g_file_get_uri (file);

      if (!g_file_replace_contents (file, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL, FALSE,
                                    G_FILE_CREATE_NONE, NULL, NULL, &local_error))
        {
          g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE,
                       _("Could not write “%s”: %s"), uri, local_error->message);
          return FALSE;
        }
      return TRUE;
    }

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE,
                   _("Could not write “%s”: the folder “%s” does not exist"), path, dir);
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE,
                   _("Could not write “%s”: it is a folder"), path);
      return FALSE;
    }

  tmp = g_strdup_printf ("%s%c.%s-XXXXXX", dir, G_DIR_SEPARATOR, base);
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE,
                   _("Could not write “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  data = g_bytes_get_data (png, &size);
  while (size > 0)
    {
      gssize written = write (fd, data, size);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        {
          int saved_errno = errno;

          close (fd);
          g_unlink (tmp);
          g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE,
                       _("Could not write “%s”: %s"), path, g_strerror (saved_errno));
          return FALSE;
        }
      data += written;
      size -= written;
    }

  if (close (fd) != 0 || g_rename (tmp, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp);
      g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE,
                   _("Could not write “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static void
save_png_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GdkTexture *texture = g_object_get_data (G_OBJECT (task), "chrono-texture");
  GError *error = NULL;

  if (chrono_snapshot_save_png (texture, G_FILE (task_data), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * chrono_snapshot_save_png_async:
 *
 * chrono_snapshot_save_png() in a worker thread: encoding a 4K image takes
 * a few tenths of a second that the window should not freeze for.
 */
void
chrono_snapshot_save_png_async (GdkTexture          *texture,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (GDK_IS_TEXTURE (texture));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, chrono_snapshot_save_png_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  /* Textures are immutable: the worker may read this one */
  g_object_set_data_full (G_OBJECT (task), "chrono-texture", g_object_ref (texture), g_object_unref);
  g_task_run_in_thread (task, save_png_thread);
}

gboolean
chrono_snapshot_save_png_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Handouts */

static int
compare_rows_chronological (const void *a,
                            const void *b)
{
  const ChronoEventRow *ea = *(const ChronoEventRow * const *) a;
  const ChronoEventRow *eb = *(const ChronoEventRow * const *) b;

  if (ea->start_lo != eb->start_lo)
    return ea->start_lo < eb->start_lo ? -1 : 1;
  if (ea->end_hi != eb->end_hi)
    return ea->end_hi < eb->end_hi ? -1 : 1;

  return ea->rowid < eb->rowid ? -1 : ea->rowid > eb->rowid;
}

static ChronoDay
add_months (ChronoDay day,
            guint     months)
{
  gint64 year;
  int month, dom;
  gint64 total;

  chrono_day_to_ymd (day, &year, &month, &dom);
  total = year * 12 + (month - 1) + months;
  year = total / 12;
  month = (int) (total % 12) + 1;

  return chrono_day_from_ymd (year, month, MIN (dom, chrono_days_in_month (year, month)));
}

guint
chrono_snapshot_plan_handout (ChronoSnapshot     *self,
                              ChronoHandoutMode   mode,
                              guint               step,
                              ChronoDay           from,
                              ChronoDay           to,
                              GArray            **out_days,
                              GArray            **out_rowids)
{
  g_autoptr (GArray) days = g_array_new (FALSE, FALSE, sizeof (ChronoDay));
  g_autoptr (GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (CHRONO_IS_SNAPSHOT (self), 0);

  /* One image per event or step: every one by default; steps of time: the
   * story's extent */
  if (from == CHRONO_DAY_NEGATIVE_INFINITY && mode != CHRONO_HANDOUT_PER_EVENT && mode != CHRONO_HANDOUT_TOUR)
    from = self->story_first;
  if (to == CHRONO_DAY_POSITIVE_INFINITY && mode != CHRONO_HANDOUT_PER_EVENT && mode != CHRONO_HANDOUT_TOUR)
    to = self->story_last;

  if (chrono_event_table_get_n_rows (self->table) > 0 && from <= to)
    {
      if (mode == CHRONO_HANDOUT_TOUR)
        {
          for (guint i = 0; i < self->tour->len; i++)
            {
              ChronoTourStep *tour_step = g_ptr_array_index (self->tour, i);
              ChronoDay day = chrono_tour_step_get_day (tour_step);
              gint64 rowid = chrono_tour_step_get_event_rowid (tour_step);

              if (day < from || day > to)
                continue;
              g_array_append_val (days, day);
              g_array_append_val (rowids, rowid);
            }
        }
      else if (mode == CHRONO_HANDOUT_PER_EVENT)
        {
          const ChronoEventRow *rows = chrono_event_table_get_rows (self->table);
          guint n_rows = chrono_event_table_get_n_rows (self->table);
          g_autofree const ChronoEventRow **sorted = g_new (const ChronoEventRow *, MAX (1, n_rows));

          for (guint i = 0; i < n_rows; i++)
            sorted[i] = &rows[i];
          qsort (sorted, n_rows, sizeof (const ChronoEventRow *), compare_rows_chronological);
          for (guint i = 0; i < n_rows; i++)
            {
              ChronoDay day = sorted[i]->start_lo;
              gint64 rowid = sorted[i]->rowid;

              if (day < from || day > to)
                continue;
              g_array_append_val (days, day);
              g_array_append_val (rowids, rowid);
            }
        }
      else
        {
          guint n = MAX (step, 1);
          gint64 none = 0;

          for (guint i = 0; ; i++)
            {
              ChronoDay day;

              if (mode == CHRONO_HANDOUT_EVERY_MONTHS)
                day = add_months (from, i * n);
              else
                day = from + (ChronoDay) i * n * (mode == CHRONO_HANDOUT_EVERY_WEEKS ? 7 : 1);
              if (day > to || i >= 10000)
                break;
              g_array_append_val (days, day);
              g_array_append_val (rowids, none);
            }
        }
    }

  if (out_days != NULL)
    *out_days = g_array_ref (days);
  if (out_rowids != NULL)
    *out_rowids = g_array_ref (rowids);

  return days->len;
}

typedef struct
{
  ChronoSnapshotOptions *options;
  GFile                 *folder;    /* the folder, or the PDF file */
  GArray                *days;
  GArray                *rowids;
  GPtrArray             *steps;     /* ChronoTourStep per image, or NULL */
  guint                  next;
  GPtrArray             *written;   /* GFile: removed on failure */
  GString               *csv;
  GString               *html;
  GPtrArray             *rows;      /* GStrv: number, date, titles, citation */
  ChronoHandoutProgress  progress;
  gpointer               progress_data;
  GHashTable            *tile_cache;
  cairo_surface_t       *pdf;       /* one PDF instead of a folder of PNGs */
  char                  *pdf_tmp;   /* where it is written until complete */
  double                 pdf_unit;  /* points per device pixel of an image */
  cairo_t               *page;      /* the page being drawn */
} HandoutJob;

static void
handout_job_free (HandoutJob *job)
{
  g_clear_pointer (&job->page, cairo_destroy);
  if (job->pdf != NULL)
    {
      /* Not finished: a failed or cancelled run leaves no file */
      cairo_surface_destroy (job->pdf);
      g_unlink (job->pdf_tmp);
    }
  g_free (job->pdf_tmp);
  g_clear_pointer (&job->options, chrono_snapshot_options_free);
  g_clear_object (&job->folder);
  g_clear_pointer (&job->days, g_array_unref);
  g_clear_pointer (&job->rowids, g_array_unref);
  g_clear_pointer (&job->steps, g_ptr_array_unref);
  g_clear_pointer (&job->written, g_ptr_array_unref);
  g_clear_pointer (&job->rows, g_ptr_array_unref);
  g_clear_pointer (&job->tile_cache, g_hash_table_unref);
  if (job->csv != NULL)
    g_string_free (job->csv, TRUE);
  if (job->html != NULL)
    g_string_free (job->html, TRUE);
  g_free (job);
}

static void
handout_fail (GTask  *task,
              GError *error)
{
  HandoutJob *job = g_task_get_task_data (task);

  for (guint i = 0; i < job->written->len; i++)
    g_file_delete (g_ptr_array_index (job->written, i), NULL, NULL);
  g_task_return_error (task, error);
}

static void
csv_append_field (GString    *csv,
                  const char *text,
                  gboolean    last)
{
  g_string_append_c (csv, '"');
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
  g_string_append_c (csv, last ? '\n' : ',');
}

static gboolean
write_file (HandoutJob  *job,
            const char  *name,
            const char  *contents,
            GError     **error)
{
  g_autoptr (GFile) file = g_file_get_child (job->folder, name);
  g_autoptr (GError) local_error = NULL;

  if (!g_file_replace_contents (file, contents, strlen (contents), NULL, FALSE, G_FILE_CREATE_NONE,
                                NULL, NULL, &local_error))
    {
      g_autofree char *path = g_file_get_parse_name (file);

      g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE,
                   _("Could not write “%s”: %s"), path, local_error->message);
      return FALSE;
    }
  g_ptr_array_add (job->written, g_steal_pointer (&file));

  return TRUE;
}

/* A PDF page of the size of the handout's images: 300 dpi for images of
 * print size (A4 at 300 dpi is A4), 150 dpi for screen sizes. */
static void
get_page_size (const ChronoSnapshotOptions *options,
               double                      *width,
               double                      *height,
               double                      *unit)
{
  Layout l;

  compute_layout (&l, options);
  *unit = 72.0 / (150.0 * l.device);
  *width = options->width * 72.0 / (150.0 * l.density);
  *height = options->height * 72.0 / (150.0 * l.density);
}

/* The index of a PDF handout: its last page(s), one row per image. */
static void
draw_pdf_index (ChronoSnapshot *self,
                HandoutJob     *job)
{
  const Palette *palette = get_palette (CHRONO_BASEMAP_STYLE_LIGHT);
  const char *title = job->options->title != NULL ? job->options->title : self->title;
  double page_w, page_h, unit, font, margin, y, number_w, date_w, text_x, text_w;
  Layout l;
  cairo_t *cr;

  compute_layout (&l, job->options);
  get_page_size (job->options, &page_w, &page_h, &unit);
  /* Some fifteen rows to a landscape page, twenty to a portrait one */
  font = MIN (l.font, MIN (l.width, l.height) / 64.0);
  margin = font * 2.5;
  number_w = font * 3;
  date_w = font * 11;
  text_x = margin + number_w + date_w;
  text_w = l.width - margin - text_x;

  cairo_pdf_surface_set_size (job->pdf, page_w, page_h);
  cr = cairo_create (job->pdf);
  /* Logical pixels of the images */
  cairo_scale (cr, unit * l.device, unit * l.device);
  y = margin;
  y += draw_text (cr, title, margin, y, font * 1.6, PANGO_WEIGHT_BOLD, FALSE, l.width - 2 * margin, 2, &palette->text);
  y += font;

  for (guint i = 0; i < job->rows->len; i++)
    {
      char **row = g_ptr_array_index (job->rows, i);
      double h = text_height (cr, row[2], font, PANGO_WEIGHT_BOLD, FALSE, text_w, 3);

      if (row[3] != NULL && row[3][0] != '\0')
        h += font * 0.2 + text_height (cr, row[3], font * 0.8, PANGO_WEIGHT_NORMAL, FALSE, text_w, 1);
      if (y + h > l.height - margin && i > 0)
        {
          cairo_show_page (cr);
          y = margin;
        }

      draw_text (cr, row[0], margin, y, font, PANGO_WEIGHT_NORMAL, FALSE, number_w, 1, &palette->dim_text);
      draw_text (cr, row[1], margin + number_w, y, font, PANGO_WEIGHT_NORMAL, FALSE, date_w - font, 2, &palette->text);
      y += draw_text (cr, row[2], text_x, y, font, PANGO_WEIGHT_BOLD, FALSE, text_w, 3, &palette->text);
      if (row[3] != NULL && row[3][0] != '\0')
        {
          y += font * 0.2;
          y += draw_text (cr, row[3], text_x, y, font * 0.8, PANGO_WEIGHT_NORMAL, FALSE, text_w, 1, &palette->dim_text);
        }
      y += font * 0.6;
    }

  cairo_show_page (cr);
  cairo_destroy (cr);
}

static void handout_next (GTask *task);

static void
on_handout_rendered (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  ChronoSnapshot *self = CHRONO_SNAPSHOT (object);
  HandoutJob *job = g_task_get_task_data (task);
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) titles = g_string_new (NULL);
  g_autofree char *iso = NULL;
  g_autofree char *name = NULL;
  g_autofree char *citation = NULL;
  g_autofree char *date = NULL;
  g_autofree char *number = NULL;
  ChronoDay day = g_array_index (job->days, ChronoDay, job->next);
  gint64 rowid = g_array_index (job->rowids, gint64, job->next);
  ChronoTourStep *step = job->steps != NULL ? g_ptr_array_index (job->steps, job->next) : NULL;
  g_autoptr (GPtrArray) events = NULL;

  texture = chrono_snapshot_render_finish (self, result, NULL, &error);
  if (error != NULL)
    {
      handout_fail (task, g_steal_pointer (&error));
      return;
    }

  iso = chrono_day_to_iso (day);
  number = g_strdup_printf ("%03u", job->next + 1);
  name = g_strdup_printf ("%s-%s.png", number, iso);
  if (job->pdf != NULL)
    {
      cairo_show_page (job->page);
      g_clear_pointer (&job->page, cairo_destroy);
    }
  else
    {
      g_autoptr (GFile) file = g_file_get_child (job->folder, name);

      if (!chrono_snapshot_save_png (texture, file, &error))
        {
          handout_fail (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (job->written, g_steal_pointer (&file));
    }

  /* The index: the event of the image, or those in effect */
  if (rowid > 0)
    {
      events = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (events, g_object_ref (get_event (self, rowid)));
    }
  else
    events = events_in_effect (self, day);
  for (guint i = 0; i < events->len; i++)
    {
      ChronoEvent *event = g_ptr_array_index (events, i);
      const char *title = chrono_event_get_title (event) != NULL ? chrono_event_get_title (event)
                                                                 : chrono_event_get_id (event);

      /* A step's own title */
      if (i == 0 && step != NULL && chrono_tour_step_get_title (step) != NULL &&
          chrono_tour_step_get_title (step)[0] != '\0')
        title = chrono_tour_step_get_title (step);
      if (i > 0)
        g_string_append (titles, "; ");
      g_string_append (titles, title);
      if (citation == NULL)
        {
          citation = dup_citation (event, NULL);
          if (citation != NULL && g_str_has_prefix (citation, "— "))
            memmove (citation, citation + strlen ("— "), strlen (citation) - strlen ("— ") + 1);
        }
    }

  date = dup_date_text (day, rowid > 0 ? g_ptr_array_index (events, 0) : NULL);
  {
    char *row[] = { g_strdup (number), g_strdup (date), g_strdup (titles->str), g_strdup (citation), NULL };

    g_ptr_array_add (job->rows, g_memdup2 (row, sizeof row));
  }
  csv_append_field (job->csv, number, FALSE);
  csv_append_field (job->csv, name, FALSE);
  csv_append_field (job->csv, iso, FALSE);
  csv_append_field (job->csv, titles->str, FALSE);
  csv_append_field (job->csv, citation, TRUE);

  {
    g_autofree char *e_name = g_markup_escape_text (name, -1);
    g_autofree char *e_date = g_markup_escape_text (date, -1);
    g_autofree char *e_titles = g_markup_escape_text (titles->str, -1);
    g_autofree char *e_citation = g_markup_escape_text (citation != NULL ? citation : "", -1);

    g_string_append_printf (job->html,
                            "<tr><td>%s</td><td><a href=\"%s\"><img src=\"%s\" alt=\"\" width=\"240\"></a></td>"
                            "<td><time datetime=\"%s\">%s</time></td><td>%s</td><td>%s</td></tr>\n",
                            number, e_name, e_name, iso, e_date, e_titles, e_citation);
  }

  job->next++;
  if (job->progress != NULL)
    job->progress (job->next, job->days->len, job->progress_data);

  handout_next (g_steal_pointer (&task));
}

static gboolean
finish_pdf (HandoutJob  *job,
            GError     **error)
{
  g_autofree char *path = g_file_get_path (job->folder);
  cairo_status_t status;

  cairo_surface_finish (job->pdf);
  status = cairo_surface_status (job->pdf);
  cairo_surface_destroy (job->pdf);
  job->pdf = NULL;
  if (status != CAIRO_STATUS_SUCCESS || g_rename (job->pdf_tmp, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (job->pdf_tmp);
      g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE, _("Could not write “%s”: %s"), path,
                   status != CAIRO_STATUS_SUCCESS ? cairo_status_to_string (status) : g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static void
handout_next (GTask *task)
{
  ChronoSnapshot *self = g_task_get_source_object (task);
  HandoutJob *job = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  gint64 rowid;

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      handout_fail (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (job->next < job->days->len)
    {
      ChronoTourStep *step = job->steps != NULL ? g_ptr_array_index (job->steps, job->next) : NULL;

      job->options->day = g_array_index (job->days, ChronoDay, job->next);
      rowid = g_array_index (job->rowids, gint64, job->next);
      g_clear_pointer (&job->options->event_id, g_free);
      job->options->event_rowid = rowid;
      if (job->pdf != NULL)
        {
          double width, height, unit;

          get_page_size (job->options, &width, &height, &unit);
          cairo_pdf_surface_set_size (job->pdf, width, height);
          job->page = cairo_create (job->pdf);
          cairo_scale (job->page, unit, unit);
        }
      render_async (self, job->options, job->tile_cache, step, job->page, g_task_get_cancellable (task),
                    on_handout_rendered, task);
      return;
    }

  if (job->pdf != NULL)
    {
      draw_pdf_index (self, job);
      if (!finish_pdf (job, &error))
        {
          handout_fail (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      g_task_return_int (task, job->days->len);
      g_object_unref (task);
      return;
    }

  g_string_append (job->html, "</tbody></table>\n</body>\n</html>\n");
  if (!write_file (job, "index.csv", job->csv->str, &error) ||
      !write_file (job, "index.html", job->html->str, &error))
    {
      handout_fail (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  g_task_return_int (task, job->days->len);
  g_object_unref (task);
}

/* Whether @file is to be one PDF rather than a folder of images. */
gboolean
chrono_snapshot_is_pdf_file (GFile *file)
{
  g_autofree char *base = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  base = g_file_get_basename (file);
  return base != NULL && strlen (base) > 4 && g_ascii_strcasecmp (base + strlen (base) - 4, ".pdf") == 0;
}

static gboolean
open_pdf (ChronoSnapshot  *self,
          HandoutJob      *job,
          GError         **error)
{
  g_autofree char *path = g_file_get_path (job->folder);
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  double width, height, unit;
  int fd;

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (job->folder);

      g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE,
                   _("Could not write “%s”: only local files can be written"), uri);
      return FALSE;
    }

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  job->pdf_tmp = g_strdup_printf ("%s%c.%s-XXXXXX", dir, G_DIR_SEPARATOR, base);
  fd = g_mkstemp_full (job->pdf_tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE,
                   _("Could not write “%s”: %s"), path, g_strerror (saved_errno));
      g_clear_pointer (&job->pdf_tmp, g_free);
      return FALSE;
    }
  close (fd);

  /* Vector text: the images are drawn once, at scale 1 */
  job->options->scale = 1;
  get_page_size (job->options, &width, &height, &unit);
  job->pdf = cairo_pdf_surface_create (job->pdf_tmp, width, height);
  if (cairo_surface_status (job->pdf) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE, _("Could not write “%s”: %s"), path,
                   cairo_status_to_string (cairo_surface_status (job->pdf)));
      return FALSE;
    }
  cairo_pdf_surface_set_metadata (job->pdf, CAIRO_PDF_METADATA_TITLE,
                                  job->options->title != NULL ? job->options->title : self->title);
  cairo_pdf_surface_set_metadata (job->pdf, CAIRO_PDF_METADATA_CREATOR, "Chronotope");

  return TRUE;
}

/**
 * chrono_snapshot_export_handout_async:
 * @options: the template of every image: size, style, includes, title; its
 *   day and event are set per image
 * @file: a folder to write numbered PNG images and their index into
 *   (created if needed), or, for a name ending in ".pdf", one PDF file with
 *   a page per image and the index on the last page(s)
 * @progress: (nullable) (scope notified): called after each image
 *
 * Renders the images one after the other on the main loop. On error or
 * cancellation, the files this run wrote are removed again.
 */
void
chrono_snapshot_export_handout_async (ChronoSnapshot              *self,
                                      const ChronoSnapshotOptions *options,
                                      GFile                       *file,
                                      ChronoHandoutMode            mode,
                                      guint                        step,
                                      ChronoDay                    from,
                                      ChronoDay                    to,
                                      GCancellable                *cancellable,
                                      ChronoHandoutProgress        progress,
                                      gpointer                     progress_data,
                                      GAsyncReadyCallback          callback,
                                      gpointer                     user_data)
{
  GTask *task;
  HandoutJob *job;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (CHRONO_IS_SNAPSHOT (self));
  g_return_if_fail (options != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, chrono_snapshot_export_handout_async);

  job = g_new0 (HandoutJob, 1);
  g_task_set_task_data (task, job, (GDestroyNotify) handout_job_free);
  job->options = chrono_snapshot_options_copy (options);
  job->folder = g_object_ref (file);
  job->written = g_ptr_array_new_with_free_func (g_object_unref);
  job->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  job->tile_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  job->progress = progress;
  job->progress_data = progress_data;
  chrono_snapshot_plan_handout (self, mode, step, from, to, &job->days, &job->rowids);
  if (mode == CHRONO_HANDOUT_TOUR)
    {
      /* The steps the plan kept, in its order */
      job->steps = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < self->tour->len; i++)
        {
          ChronoTourStep *tour_step = g_ptr_array_index (self->tour, i);
          ChronoDay day = chrono_tour_step_get_day (tour_step);

          if (day >= from && day <= to)
            g_ptr_array_add (job->steps, g_object_ref (tour_step));
        }
      g_assert (job->steps->len == job->days->len);
    }

  if (job->days->len == 0)
    {
      if (mode == CHRONO_HANDOUT_TOUR && self->tour->len == 0)
        g_task_return_new_error (task, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_NOTHING,
                                 _("No image to export: the dataset has no tour"));
      else
        g_task_return_new_error (task, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_NOTHING,
                                 _("No image to export: no event or date falls between the dates given"));
      g_object_unref (task);
      return;
    }

  if (chrono_snapshot_is_pdf_file (file))
    {
      if (!open_pdf (self, job, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
    }
  else if (!g_file_make_directory_with_parents (file, cancellable, &error) &&
           !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_autofree char *path = g_file_get_parse_name (file);

      g_task_return_new_error (task, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE,
                               _("Could not create the folder “%s”: %s"), path, error->message);
      g_object_unref (task);
      return;
    }

  title = g_markup_escape_text (options->title != NULL ? options->title : self->title, -1);
  job->csv = g_string_new (NULL);
  csv_append_field (job->csv, "number", FALSE);
  csv_append_field (job->csv, "file", FALSE);
  csv_append_field (job->csv, "date", FALSE);
  csv_append_field (job->csv, "title", FALSE);
  csv_append_field (job->csv, "citation", TRUE);
  job->html = g_string_new (NULL);
  g_string_append_printf (job->html,
                          "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<title>%s</title>\n"
                          "<style>body{font-family:sans-serif;margin:2em}td{padding:.3em .6em;vertical-align:top}"
                          "th{text-align:left}</style>\n</head>\n<body>\n<h1>%s</h1>\n"
                          "<table>\n<thead><tr><th>%s</th><th></th><th>%s</th><th>%s</th><th>%s</th></tr></thead>\n"
                          "<tbody>\n",
                          self->lang, title, title, _("No."), _("Date"), _("Events"), _("Source"));

  handout_next (task);
}

/**
 * chrono_snapshot_export_handout_finish:
 *
 * Returns: the number of images written, 0 with @error set on failure
 */
guint
chrono_snapshot_export_handout_finish (ChronoSnapshot  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  gssize n;

  g_return_val_if_fail (CHRONO_IS_SNAPSHOT (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  n = g_task_propagate_int (G_TASK (result), error);

  return n > 0 ? (guint) n : 0;
}
