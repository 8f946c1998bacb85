/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-presentation"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "chrono-basemap-map-source.h"
#include "chrono-basemap-source.h"
#include "chrono-date.h"
#include "chrono-event-layer.h"
#include "chrono-excerpt.h"
#include "chrono-presentation.h"
#include "chrono-source.h"
#include "chrono-time-index.h"
#include "chrono-tour-step.h"

/*
 * Presentation mode: a fullscreen window with nothing but the map, a card
 * for the current step (date, title, the tour's note, one excerpt and its
 * citation) and a discreet step counter, driven by the keys presentation
 * clickers send. The steps are the dataset's tour, or every event in
 * chronological order when it has none.
 *
 * Type is sized for a projector: at 720 pixels of window height the title
 * is 36 px, the excerpt 24 px and the basemap's town names twice their size
 * on the desk, and everything scales with the height. The card takes the
 * left third of the screen at most (its text shrinks a little when a step
 * says a lot); the map glides to fit the step's places in the two thirds
 * it leaves free. The frame is worked out again whenever the map's size
 * changes, so a step looks the same however presentation mode was entered.
 */

/* Pixel sizes at a window height of REFERENCE_HEIGHT */
#define REFERENCE_HEIGHT 720.0
#define REFERENCE_WIDTH  1280.0
#define MIN_TYPE_SCALE   0.5
#define GLIDE_MS         1400
/* Basemap names relative to the desk's, at REFERENCE_HEIGHT */
#define BASEMAP_LABEL_SCALE 2.0

typedef struct
{
  gint64  rowid;
  gint64  day;       /* the day the map shows; 0 with has_day FALSE: from the event */
  gboolean has_day;
  char   *title;     /* the tour's title, or NULL for the event's own */
  char   *note;
  GStrv   excerpts;  /* preferred excerpt ids, best first */
} Step;

struct _ChronoPresentation
{
  AdwWindow parent_instance;

  ChronoEventSource  *source;
  ShumateMapSource   *map_source;
  char               *lang;
  char               *primary_lang;

  GPtrArray          *places;         /* of ChronoPlace: the dataset's */
  GArray             *steps;          /* of Step */
  gboolean            from_tour;
  guint               step;
  ChronoEvent        *event;          /* the current step's */
  gint64              day;
  GListStore         *shown;          /* what the event layer draws: the current event */

  GtkOverlay         *overlay;
  ShumateSimpleMap   *map;
  ChronoEventLayer   *event_layer;
  GtkWidget          *card;
  GtkWidget          *accent;
  GtkLabel           *date_label;
  GtkLabel           *title_label;
  GtkLabel           *note_label;
  GtkLabel           *quote_label;
  GtkLabel           *citation_label;
  GtkLabel           *counter_label;
  GtkWidget          *blank;
  GtkEventController *key_controller;
  GtkCssProvider     *css;

  gboolean            blanked;
  gboolean            playing;
  guint               step_duration;
  guint               play_source;
  double              type_scale;
  int                 styled_height;  /* the window height the CSS is for */
  gboolean            css_loaded;
  guint               restyle_source;
  guint               cursor_source;
  double              pointer_x, pointer_y;
  gboolean            placed;         /* the map has been moved to a step once */
  gboolean            owns_basemap;   /* map_source is our offline basemap */
  int                 framed_width;   /* the map's size the step was framed for */
  int                 framed_height;
  int                 fitted_width;   /* the window size the card's text fits */
  int                 fitted_height;
  double              card_fit;       /* the card's text relative to its CSS size */
  guint               relayout_source;
};

G_DEFINE_FINAL_TYPE (ChronoPresentation, chrono_presentation, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_MAP_SOURCE,
  PROP_LANGUAGE,
  PROP_STEP,
  PROP_N_STEPS,
  PROP_BLANKED,
  PROP_PLAYING,
  PROP_STEP_DURATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const category_names[] = {
  "military", "diplomatic", "humanitarian", "political", "legal", "context",
};

static void
step_clear (Step *step)
{
  g_clear_pointer (&step->title, g_free);
  g_clear_pointer (&step->note, g_free);
  g_clear_pointer (&step->excerpts, g_strfreev);
}

/* The CSS for a type scale: pixel sizes at 720 px of height times @scale. */
static char *
build_css (double scale)
{
  g_autoptr (GString) css = g_string_new (NULL);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

#define PX(v) g_ascii_formatd (buffer, sizeof buffer, "%.1fpx", (v) * scale)
  /* Without a compositor GTK keeps a "solid-csd" frame round even an
   * undecorated fullscreen window: the presentation owns every pixel. */
  g_string_append (css, "window.chrono-presentation, window.chrono-presentation.solid-csd {"
                        " background-color: #1d1d20; margin: 0; padding: 0; border-width: 0;"
                        " border-radius: 0; box-shadow: none; }\n");
  g_string_append_printf (css,
                          "window.chrono-presentation .presentation-card {"
                          " background-color: rgb(22, 22, 26); color: white;"
                          " border-radius: %s;", PX (18));
  g_string_append_printf (css, " box-shadow: 0 %s ", PX (4));
  g_string_append_printf (css, "%s rgba(0, 0, 0, 0.35); }\n", PX (18));
  g_string_append_printf (css,
                          "window.chrono-presentation .presentation-text {"
                          " padding: %s ", PX (18));
  g_string_append_printf (css, "%s ", PX (24));
  g_string_append_printf (css, "%s; }\n", PX (20));
  g_string_append_printf (css,
                          "window.chrono-presentation .presentation-accent {"
                          " min-width: %s; border-radius: ", PX (8));
  g_string_append_printf (css, "%s 0 0 ", PX (18));
  g_string_append_printf (css, "%s; }\n", PX (18));
  g_string_append_printf (css,
                          "window.chrono-presentation .presentation-date {"
                          " font-size: %s; font-weight: 700; color: #f6d32d; }\n", PX (22));
  g_string_append_printf (css,
                          "window.chrono-presentation .presentation-title {"
                          " font-size: %s; font-weight: 800; }\n", PX (36));
  g_string_append_printf (css,
                          "window.chrono-presentation .presentation-note {"
                          " font-size: %s; color: rgba(255, 255, 255, 0.88); }\n", PX (24));
  g_string_append_printf (css,
                          "window.chrono-presentation .presentation-quote {"
                          " font-size: %s; font-style: italic; color: white; }\n", PX (24));
  g_string_append_printf (css,
                          "window.chrono-presentation .presentation-citation {"
                          " font-size: %s; color: rgba(255, 255, 255, 0.72); }\n", PX (18));
  g_string_append_printf (css,
                          "window.chrono-presentation .presentation-counter {"
                          " font-size: %s; font-weight: 600; color: rgba(255, 255, 255, 0.9);"
                          " background-color: rgba(22, 22, 26, 0.55);", PX (20));
  g_string_append_printf (css, " border-radius: %s;", PX (20));
  g_string_append_printf (css, " padding: %s ", PX (4));
  g_string_append_printf (css, "%s; }\n", PX (14));
  g_string_append (css, "window.chrono-presentation .presentation-blank { background-color: black; }\n");

  /* Land under tiles still on their way, and under the seams between tiles */
  {
    g_autofree char *land_text = NULL;
    GdkRGBA land;

    chrono_basemap_get_background_color (CHRONO_BASEMAP_STYLE_LIGHT, &land);
    land_text = gdk_rgba_to_string (&land);
    g_string_append_printf (css, "window.chrono-presentation .presentation-map { background-color: %s; }\n",
                            land_text);
  }
#undef PX

  for (guint i = 0; i < G_N_ELEMENTS (category_names); i++)
    {
      const GdkRGBA *color = chrono_event_layer_get_category_color (category_names[i]);
      g_autofree char *text = gdk_rgba_to_string (color);

      g_string_append_printf (css,
                              "window.chrono-presentation .presentation-accent.category-%s"
                              " { background-color: %s; }\n",
                              category_names[i], text);
    }

  return g_string_free (g_steal_pointer (&css), FALSE);
}

/* The basemap's label scale for a type scale: quarter steps, so that a
 * window resized a little keeps its tiles. */
static double
basemap_label_scale (double type_scale)
{
  return CLAMP (round (BASEMAP_LABEL_SCALE * type_scale * 4) / 4,
                1.0, CHRONO_BASEMAP_MAX_LABEL_SCALE);
}

/* Our offline basemap, its names sized for @type_scale. */
static ShumateMapSource *
new_basemap (ChronoPresentation *self,
             double              type_scale)
{
  g_autoptr (ChronoBasemapSource) basemap = chrono_basemap_source_new (CHRONO_BASEMAP_STYLE_LIGHT, 256, self->lang);

  /* It leaves the dataset's towns for the event layer to name. */
  chrono_basemap_source_set_dataset_places (basemap, self->places);
  chrono_basemap_source_set_label_scale (basemap, basemap_label_scale (type_scale));

  return chrono_basemap_source_dup_map_source (basemap);
}

/* A new type scale: the basemap's names follow, with tiles of their own
 * (a new map source: shumate keeps the tiles it has of the old one). */
static void
update_basemap (ChronoPresentation *self)
{
  ChronoBasemapSource *basemap;
  g_autoptr (ShumateMapSource) source = NULL;

  if (!self->owns_basemap || self->map == NULL)
    return;

  basemap = chrono_basemap_map_source_get_data_source (CHRONO_BASEMAP_MAP_SOURCE (self->map_source));
  if (chrono_basemap_source_get_label_scale (basemap) == basemap_label_scale (self->type_scale))
    return;

  source = new_basemap (self, self->type_scale);
  shumate_simple_map_set_map_source (self->map, source);
  g_set_object (&self->map_source, source);
}

static void
apply_type_scale_for_height (ChronoPresentation *self,
                             int                 height)
{
  g_autofree char *css = NULL;
  double scale;

  if (height <= 0)
    height = (int) REFERENCE_HEIGHT;

  scale = MAX (MIN_TYPE_SCALE, height / REFERENCE_HEIGHT);
  self->styled_height = height;
  if (self->css_loaded && fabs (scale - self->type_scale) < 0.001)
    return;

  self->css_loaded = TRUE;
  self->type_scale = scale;
  css = build_css (scale);
  gtk_css_provider_load_from_data (self->css, css, -1);
  /* The step's places a little bigger than the basemap's towns round them */
  chrono_event_layer_set_label_scale (self->event_layer, CLAMP (scale * 1.8, 1.0, 4.0));
  /* Names this large would print over the basemap's: those are painted out */
  chrono_event_layer_set_paint_out_names (self->event_layer, TRUE);
  update_basemap (self);
}

static void
apply_type_scale (ChronoPresentation *self)
{
  apply_type_scale_for_height (self, gtk_widget_get_height (GTK_WIDGET (self)));
}

static gboolean
on_restyle_idle (gpointer user_data)
{
  ChronoPresentation *self = user_data;
  double scale = self->type_scale;

  self->restyle_source = 0;
  apply_type_scale (self);

  /* Margins and the card's text follow the type: fit and frame again once
   * the new CSS is laid out. */
  if (scale != self->type_scale)
    {
      self->fitted_width = self->framed_width = -1;
      gtk_widget_queue_allocate (GTK_WIDGET (self->overlay));
    }

  return G_SOURCE_REMOVE;
}

static int
card_margin (ChronoPresentation *self)
{
  return (int) round (28 * self->type_scale);
}

/* The card's width in a window @width wide: its right edge at a third. */
static int
card_width (ChronoPresentation *self,
            int                 width)
{
  return MAX (1, width / 3 - card_margin (self));
}

/* The card's rectangle in a window of @width x @height at the current
 * fonts: the left third at most, at the bottom. */
static void
get_card_rect (ChronoPresentation *self,
               int                 width,
               int                 height,
               GdkRectangle       *rect)
{
  int margin = card_margin (self);
  int natural = 0;

  rect->width = card_width (self, width);
  gtk_widget_measure (self->card, GTK_ORIENTATION_VERTICAL, rect->width, NULL, &natural, NULL, NULL);
  rect->height = MIN (natural, MAX (1, height - 2 * margin));
  rect->x = margin;
  rect->y = height - margin - rect->height;
}

/* The size the window's content has, or will have once shown. */
static void
get_content_size (ChronoPresentation *self,
                  int                *width,
                  int                *height)
{
  *width = gtk_widget_get_width (GTK_WIDGET (self->overlay));
  *height = gtk_widget_get_height (GTK_WIDGET (self->overlay));
  if (*width > 0 && *height > 0)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), width, height);
  if (*width <= 0 || *height <= 0)
    {
      *width = (int) REFERENCE_WIDTH;
      *height = (int) REFERENCE_HEIGHT;
    }
}

static void
set_card_text_scale (ChronoPresentation *self,
                     double              scale)
{
  GtkLabel *labels[] = {
    self->date_label, self->title_label, self->note_label, self->quote_label, self->citation_label,
  };
  g_autoptr (PangoAttrList) attributes = NULL;

  if (scale < 1.0)
    {
      attributes = pango_attr_list_new ();
      pango_attr_list_insert (attributes, pango_attr_scale_new (scale));
    }

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    gtk_label_set_attributes (labels[i], attributes);
  self->card_fit = scale;
}

/* A step that says a lot gets slightly smaller type, so that its card
 * stays within the window's height rather than being cut. */
static void
fit_card (ChronoPresentation *self)
{
  static const double fits[] = { 1.0, 0.92, 0.85, 0.78, 0.72 };
  int width, height, room;

  get_content_size (self, &width, &height);
  room = height - 2 * card_margin (self);
  self->fitted_width = gtk_widget_get_width (GTK_WIDGET (self->overlay));
  self->fitted_height = gtk_widget_get_height (GTK_WIDGET (self->overlay));

  for (guint i = 0; i < G_N_ELEMENTS (fits); i++)
    {
      int natural = 0;

      if (self->card_fit != fits[i])
        set_card_text_scale (self, fits[i]);
      gtk_widget_measure (self->card, GTK_ORIENTATION_VERTICAL, card_width (self, width),
                          NULL, &natural, NULL, NULL);
      if (natural <= room)
        break;
    }
}

static void frame_places (ChronoPresentation *self,
                          gboolean            animate);

/* The map has its size (first shown, fullscreen, a new monitor): frame the
 * step for it, and fit the card to it. */
static gboolean
on_relayout_idle (gpointer user_data)
{
  ChronoPresentation *self = user_data;
  int width = gtk_widget_get_width (GTK_WIDGET (self->overlay));
  int height = gtk_widget_get_height (GTK_WIDGET (self->overlay));

  self->relayout_source = 0;
  if (width != self->fitted_width || height != self->fitted_height)
    fit_card (self);
  if (self->event != NULL && (width != self->framed_width || height != self->framed_height))
    frame_places (self, FALSE);

  return G_SOURCE_REMOVE;
}

static gboolean
on_overlay_get_child_position (GtkOverlay         *overlay,
                               GtkWidget          *widget,
                               GdkRectangle       *allocation,
                               ChronoPresentation *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (overlay));
  int height = gtk_widget_get_height (GTK_WIDGET (overlay));

  /* Type follows the window's height; the CSS cannot change during layout. */
  if (gtk_widget_get_height (GTK_WIDGET (self)) != self->styled_height && self->restyle_source == 0)
    self->restyle_source = g_idle_add (on_restyle_idle, self);

  /* Nor can the map move: the frame is worked out again before the next one. */
  if ((width != self->framed_width || height != self->framed_height ||
       width != self->fitted_width || height != self->fitted_height) &&
      self->relayout_source == 0)
    self->relayout_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, on_relayout_idle, self, NULL);

  if (widget != self->card)
    return FALSE;

  get_card_rect (self, width, height, allocation);
  return TRUE;
}

static double
mercator_x (double lon)
{
  return (lon + 180.0) / 360.0;
}

static double
mercator_y (double lat)
{
  double phi = CLAMP (lat, -85.0511, 85.0511) * G_PI / 180.0;

  return (1.0 - log (tan (phi) + 1.0 / cos (phi)) / G_PI) / 2.0;
}

static double
latitude_from_mercator (double y)
{
  return atan (sinh (G_PI * (1.0 - 2.0 * y))) * 180.0 / G_PI;
}

/* How close to come to a single place of @kind. */
static double
zoom_for_kind (const char *kind)
{
  if (g_strcmp0 (kind, "country") == 0)
    return 5.0;
  if (g_strcmp0 (kind, "region") == 0)
    return 8.0;
  return 9.0;
}

/* The zoom at which Mercator extent @dx x @dy fits @w x @h pixels. */
static double
fit_zoom (double dx,
          double dy,
          double w,
          double h,
          double tile_size,
          double max_zoom)
{
  double fit_x = dx > 0 ? log2 (MAX (w, 64) / (dx * tile_size)) : max_zoom;
  double fit_y = dy > 0 ? log2 (MAX (h, 64) / (dy * tile_size)) : max_zoom;

  return MIN (max_zoom, MIN (fit_x, fit_y));
}

/*
 * Moves the map so that the event's places fill the part of the window that
 * the card leaves free: the two thirds right of it. Whole zoom levels keep
 * the basemap's tiles and labels crisp. Everything depends on the map's size
 * alone (the window's default size before it is shown), never on where the
 * map was: entering presentation mode and coming back to a step frame it
 * the same.
 */
static void
frame_places (ChronoPresentation *self,
              gboolean            animate)
{
  ShumateMap *map = shumate_simple_map_get_map (self->map);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  GPtrArray *places = chrono_event_get_places (self->event);
  int width, height;
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  double max_zoom = 0, zoom, tile_size, world, margin, label_room;
  graphene_rect_t area;
  double cx, cy;
  int card_right;

  /* Framed for this size, whether or not there is anything to frame */
  self->framed_width = gtk_widget_get_width (GTK_WIDGET (self->overlay));
  self->framed_height = gtk_widget_get_height (GTK_WIDGET (self->overlay));

  if (places == NULL || places->len == 0)
    return;

  get_content_size (self, &width, &height);
  width = MAX (width, 320);
  height = MAX (height, 240);

  for (guint i = 0; i < places->len; i++)
    {
      ChronoPlace *place = g_ptr_array_index (places, i);
      double x = mercator_x (chrono_place_get_lon (place));
      double y = mercator_y (chrono_place_get_lat (place));

      x0 = MIN (x0, x);
      x1 = MAX (x1, x);
      y0 = MIN (y0, y);
      y1 = MAX (y1, y);
      max_zoom = MAX (max_zoom, zoom_for_kind (chrono_place_get_kind (place)));
    }

  /* Room round the places for their labels (to the right of each mark)
   * and for the step counter (top right). */
  card_right = card_margin (self) + card_width (self, width);
  margin = 48 * self->type_scale;
  label_room = 170 * self->type_scale;
  area = GRAPHENE_RECT_INIT (card_right + margin, 1.5 * margin,
                             width - card_right - 2 * margin - label_room, height - 3 * margin);

  tile_size = self->map_source != NULL ? shumate_map_source_get_tile_size (self->map_source) : 256;
  zoom = fit_zoom (x1 - x0, y1 - y0, area.size.width, area.size.height, tile_size, max_zoom);
  zoom = CLAMP (floor (zoom), MAX (2.0, shumate_viewport_get_min_zoom_level (viewport)),
                MIN (12.0, shumate_viewport_get_max_zoom_level (viewport)));

  /* Put the places' centre at the free part's centre. */
  world = tile_size * exp2 (zoom);
  cx = (x0 + x1) / 2 + (width / 2.0 - (area.origin.x + area.size.width / 2)) / world;
  cy = (y0 + y1) / 2 + (height / 2.0 - (area.origin.y + area.size.height / 2)) / world;
  cy = CLAMP (cy, 0.0, 1.0);

  /* Already there (two steps at the same places): nothing to glide. */
  if (fabs (shumate_viewport_get_zoom_level (viewport) - zoom) < 0.01 &&
      fabs (mercator_x (shumate_location_get_longitude (SHUMATE_LOCATION (viewport))) - cx) * world < 1 &&
      fabs (mercator_y (shumate_location_get_latitude (SHUMATE_LOCATION (viewport))) - cy) * world < 1)
    return;

  if (animate && gtk_widget_get_mapped (GTK_WIDGET (self)))
    shumate_map_go_to_full_with_duration (map, latitude_from_mercator (cy), cx * 360.0 - 180.0, zoom, GLIDE_MS);
  else
    {
      shumate_map_stop_go_to (map);
      shumate_viewport_set_zoom_level (viewport, zoom);
      shumate_map_center_on (map, latitude_from_mercator (cy), cx * 360.0 - 180.0);
    }
}

/* "fr" of "fr_FR.UTF-8" */
static gboolean
is_reading_lang (ChronoPresentation *self,
                 const char         *lang)
{
  gsize n = strlen (self->primary_lang);

  return lang != NULL && g_ascii_strncasecmp (lang, self->primary_lang, n) == 0 &&
         (lang[n] == '\0' || lang[n] == '-' || lang[n] == '_');
}

/*
 * The excerpt to show: the first of the step's preferred ones in the reading
 * language, else the first preferred; without preferences, the longest
 * quote that still reads at a glance, in the reading language if any.
 */
static ChronoExcerpt *
choose_excerpt (ChronoPresentation *self,
                const Step         *step)
{
  GPtrArray *excerpts = chrono_event_get_excerpts (self->event);
  ChronoExcerpt *best = NULL;
  ChronoExcerpt *first_preferred = NULL;
  gboolean any_in_lang = FALSE;
  glong best_length = 0;

  if (excerpts == NULL || excerpts->len == 0)
    return NULL;

  for (guint p = 0; step->excerpts != NULL && step->excerpts[p] != NULL; p++)
    {
      for (guint i = 0; i < excerpts->len; i++)
        {
          ChronoExcerpt *excerpt = g_ptr_array_index (excerpts, i);

          if (!g_str_equal (chrono_excerpt_get_id (excerpt), step->excerpts[p]))
            continue;
          if (is_reading_lang (self, chrono_excerpt_get_lang (excerpt)))
            return excerpt;
          if (first_preferred == NULL)
            first_preferred = excerpt;
        }
    }
  if (first_preferred != NULL)
    return first_preferred;

  for (guint i = 0; i < excerpts->len; i++)
    any_in_lang |= is_reading_lang (self, chrono_excerpt_get_lang (g_ptr_array_index (excerpts, i)));

  for (guint i = 0; i < excerpts->len; i++)
    {
      ChronoExcerpt *excerpt = g_ptr_array_index (excerpts, i);
      glong length = g_utf8_strlen (chrono_excerpt_get_quote (excerpt), -1);
      gboolean fits = length <= 180;

      if (any_in_lang && !is_reading_lang (self, chrono_excerpt_get_lang (excerpt)))
        continue;

      if (best == NULL ||
          (fits && (best_length > 180 || length > best_length)) ||
          (!fits && best_length > 180 && length < best_length))
        {
          best = excerpt;
          best_length = length;
        }
    }

  return best;
}

/* Shows @text, at most @max_chars characters of it: a dataset's text can
 * be megabytes long, more than a card can lay out */
static void
set_label (GtkLabel   *label,
           const char *text,
           gsize       max_chars)
{
  g_autofree char *shown = chrono_text_for_display (text, max_chars);

  gtk_label_set_text (label, shown != NULL ? shown : "");
  gtk_widget_set_visible (GTK_WIDGET (label), shown != NULL && shown[0] != '\0');
}

static void
update_counter (ChronoPresentation *self)
{
  g_autofree char *counter = NULL;

  if (self->steps->len == 0)
    counter = g_strdup ("");
  else
    /* Translators: the step counter in presentation mode, "4 / 15" */
    counter = g_strdup_printf (_("%u / %u"), self->step + 1, self->steps->len);

  gtk_label_set_text (self->counter_label, counter);
}

/* Loads the current step's event and shows it: card, map, counter. */
static void
show_step (ChronoPresentation *self,
           gboolean            animate)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dates = NULL;
  g_autofree char *quote = NULL;
  g_autofree char *citation = NULL;
  ChronoExcerpt *excerpt;
  const Step *step;
  GPtrArray *places;

  update_counter (self);
  if (self->steps->len == 0)
    {
      g_clear_object (&self->event);
      g_list_store_remove_all (self->shown);
      set_label (self->date_label, NULL, 0);
      set_label (self->title_label, _("This dataset has no events to present."), CHRONO_DISPLAY_NAME_CHARS);
      set_label (self->note_label, NULL, 0);
      set_label (self->quote_label, NULL, 0);
      set_label (self->citation_label, NULL, 0);
      return;
    }

  step = &g_array_index (self->steps, Step, self->step);
  g_clear_object (&self->event);
  self->event = chrono_event_source_get_event (self->source, step->rowid, self->lang, &error);
  if (self->event == NULL)
    {
      g_warning ("Could not read the event of step %u: %s", self->step + 1, error->message);
      return;
    }

  self->day = step->has_day ? step->day
                            : MIN (chrono_event_get_start_hi (self->event), chrono_event_get_end_hi (self->event));

  for (guint i = 0; i < G_N_ELEMENTS (category_names); i++)
    {
      g_autofree char *class = g_strconcat ("category-", category_names[i], NULL);

      gtk_widget_remove_css_class (self->accent, class);
    }
  if (chrono_event_get_category (self->event) != NULL)
    {
      g_autofree char *class = g_strconcat ("category-", chrono_event_get_category (self->event), NULL);

      gtk_widget_add_css_class (self->accent, class);
    }

  dates = chrono_format_dates (chrono_event_get_start (self->event), chrono_event_get_end (self->event));
  set_label (self->date_label, dates, CHRONO_DISPLAY_NAME_CHARS);
  set_label (self->title_label, step->title != NULL ? step->title : chrono_event_get_title (self->event),
             CHRONO_DISPLAY_NAME_CHARS);
  set_label (self->note_label, step->note, CHRONO_DISPLAY_TEXT_CHARS);

  excerpt = choose_excerpt (self, step);
  if (excerpt != NULL)
    {
      /* Quoted and cited as the side panel and snapshots do */
      quote = chrono_excerpt_dup_quoted (excerpt);
      citation = chrono_excerpt_dup_citation (excerpt);
    }
  set_label (self->quote_label, quote, CHRONO_DISPLAY_TEXT_CHARS);
  set_label (self->citation_label, citation, CHRONO_DISPLAY_NAME_CHARS);

  /* The map shows this event alone, on its day, with its first place ringed. */
  g_list_store_splice (self->shown, 0, g_list_model_get_n_items (G_LIST_MODEL (self->shown)),
                       (gpointer *) &self->event, 1);
  chrono_event_layer_set_day (self->event_layer, self->day);
  places = chrono_event_get_places (self->event);
  chrono_event_layer_set_selected_place (self->event_layer,
                                         places != NULL && places->len > 0
                                           ? chrono_place_get_id (g_ptr_array_index (places, 0)) : NULL);

  fit_card (self);
  frame_places (self, animate && self->placed);
  self->placed = TRUE;
}

static void restart_play_timer (ChronoPresentation *self);

/* The pointer hides when it rests, so it does not sit on the projected map. */
#define CURSOR_HIDE_MS 2000

static gboolean
on_cursor_timeout (gpointer user_data)
{
  ChronoPresentation *self = user_data;

  self->cursor_source = 0;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "none");
  return G_SOURCE_REMOVE;
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           ChronoPresentation       *self)
{
  /* X sends a motion event when a window maps under a resting pointer. */
  if (fabs (x - self->pointer_x) < 1 && fabs (y - self->pointer_y) < 1)
    return;

  self->pointer_x = x;
  self->pointer_y = y;
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
  g_clear_handle_id (&self->cursor_source, g_source_remove);
  self->cursor_source = g_timeout_add (CURSOR_HIDE_MS, on_cursor_timeout, self);
}

static void
go_to_step (ChronoPresentation *self,
            guint               step)
{
  if (self->steps->len == 0)
    return;

  step = MIN (step, self->steps->len - 1);
  if (step == self->step && self->event != NULL)
    return;

  self->step = step;
  show_step (self, TRUE);
  if (self->playing)
    restart_play_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

static gboolean
on_play_timeout (gpointer user_data)
{
  ChronoPresentation *self = user_data;

  self->play_source = 0;
  if (self->step + 1 >= self->steps->len)
    {
      /* The end of the story: stay on the last step. */
      chrono_presentation_set_playing (self, FALSE);
      return G_SOURCE_REMOVE;
    }

  go_to_step (self, self->step + 1);
  restart_play_timer (self);
  return G_SOURCE_REMOVE;
}

static void
restart_play_timer (ChronoPresentation *self)
{
  g_clear_handle_id (&self->play_source, g_source_remove);
  if (self->playing && !self->blanked)
    self->play_source = g_timeout_add (self->step_duration * 1000, on_play_timeout, self);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                ChronoPresentation    *self)
{
  enum { NONE, NEXT, PREVIOUS, FIRST, LAST, BLANK, PLAY, LEAVE } action = NONE;

  /* Shortcuts with Ctrl or Alt are someone else's. */
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK))
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Page_Down: case GDK_KEY_KP_Page_Down:
    case GDK_KEY_Right: case GDK_KEY_KP_Right:
    case GDK_KEY_Down: case GDK_KEY_KP_Down:
    case GDK_KEY_space: case GDK_KEY_KP_Space:
    case GDK_KEY_Return: case GDK_KEY_KP_Enter:
      action = NEXT;
      break;
    case GDK_KEY_Page_Up: case GDK_KEY_KP_Page_Up:
    case GDK_KEY_Left: case GDK_KEY_KP_Left:
    case GDK_KEY_Up: case GDK_KEY_KP_Up:
    case GDK_KEY_BackSpace:
      action = PREVIOUS;
      break;
    case GDK_KEY_Home: case GDK_KEY_KP_Home:
      action = FIRST;
      break;
    case GDK_KEY_End: case GDK_KEY_KP_End:
      action = LAST;
      break;
    case GDK_KEY_b: case GDK_KEY_B:
    case GDK_KEY_period: case GDK_KEY_KP_Decimal:
      action = BLANK;
      break;
    case GDK_KEY_p: case GDK_KEY_P:
      action = PLAY;
      break;
    case GDK_KEY_Escape:
      action = LEAVE;
      break;
    case GDK_KEY_F5:
      /* What opened presentation mode (and what some clickers send to
       * start a show): it must not open a second one. */
      return TRUE;
    default:
      return FALSE;
    }

  if (action == LEAVE)
    {
      gtk_window_close (GTK_WINDOW (self));
      return TRUE;
    }

  /* On a blank screen any key brings the step back, and only that: no
   * step is skipped unseen. */
  if (self->blanked)
    {
      chrono_presentation_set_blanked (self, FALSE);
      return TRUE;
    }

  switch (action)
    {
    case NEXT:
      go_to_step (self, self->step + 1);
      break;
    case PREVIOUS:
      go_to_step (self, self->step > 0 ? self->step - 1 : 0);
      break;
    case FIRST:
      /* Home on the first step frames it again, as a new show would,
       * after the map was dragged. */
      if (self->step == 0)
        frame_places (self, TRUE);
      else
        go_to_step (self, 0);
      break;
    case LAST:
      go_to_step (self, self->steps->len > 0 ? self->steps->len - 1 : 0);
      break;
    case BLANK:
      chrono_presentation_set_blanked (self, TRUE);
      break;
    case PLAY:
      chrono_presentation_set_playing (self, !self->playing);
      break;
    case NONE:
    case LEAVE:
    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

/* The tour if the dataset has one, else every event from the earliest. */
static void
load_steps (ChronoPresentation *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tour = chrono_event_source_get_tour (self->source, self->lang, &error);

  if (tour == NULL)
    {
      g_warning ("Could not read the dataset's tour: %s", error->message);
      g_clear_error (&error);
    }

  if (tour != NULL && tour->len > 0)
    {
      self->from_tour = TRUE;
      for (guint i = 0; i < tour->len; i++)
        {
          ChronoTourStep *tour_step = g_ptr_array_index (tour, i);
          Step step = {
            .rowid = chrono_tour_step_get_event_rowid (tour_step),
            .day = chrono_tour_step_get_day (tour_step),
            .has_day = TRUE,
            .title = g_strdup (chrono_tour_step_get_title (tour_step)),
            .note = g_strdup (chrono_tour_step_get_note (tour_step)),
            .excerpts = g_strdupv ((char **) chrono_tour_step_get_excerpts (tour_step)),
          };

          g_array_append_val (self->steps, step);
        }
    }
  else
    {
      g_autoptr (GArray) spans = chrono_event_source_get_spans (self->source, &error);

      self->from_tour = FALSE;
      if (spans == NULL)
        {
          g_warning ("Could not read the dataset's events: %s", error->message);
          return;
        }

      /* Spans come sorted by earliest start, then latest end. */
      for (guint i = 0; i < spans->len; i++)
        {
          Step step = { .rowid = g_array_index (spans, ChronoSpan, i).id };

          g_array_append_val (self->steps, step);
        }
    }
}

static void
set_window_title (ChronoPresentation *self)
{
  g_autofree char *title = NULL;
  g_autofree char *shown = NULL;

  if (self->from_tour)
    title = chrono_event_source_dup_meta (self->source, "tour-title", self->lang);
  if (title == NULL)
    title = chrono_event_source_dup_meta (self->source, "title", self->lang);

  shown = chrono_text_for_display (title, CHRONO_DISPLAY_NAME_CHARS);
  gtk_window_set_title (GTK_WINDOW (self), shown != NULL ? shown : _("Presentation"));
}

static GtkLabel *
add_card_label (GtkWidget  *box,
                const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_halign (label, GTK_ALIGN_FILL);
  gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (box), label);

  return GTK_LABEL (label);
}

static void
build_ui (ChronoPresentation *self)
{
  ShumateViewport *viewport;
  GtkWidget *text;

  self->overlay = GTK_OVERLAY (gtk_overlay_new ());
  g_signal_connect (self->overlay, "get-child-position", G_CALLBACK (on_overlay_get_child_position), self);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->overlay));

  self->map = shumate_simple_map_new ();
  gtk_widget_add_css_class (GTK_WIDGET (self->map), "presentation-map");
  shumate_simple_map_set_show_zoom_buttons (self->map, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (shumate_simple_map_get_scale (self->map)), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (shumate_simple_map_get_compass (self->map)), FALSE);
  gtk_widget_set_focusable (GTK_WIDGET (self->map), FALSE);
  gtk_overlay_set_child (self->overlay, GTK_WIDGET (self->map));
  chrono_basemap_map_source_follow_renderer (self->map);
  /* Before the event layer: a new source's tile layer goes on top of the
   * layers already there. */
  shumate_simple_map_set_map_source (self->map, self->map_source);

  viewport = shumate_simple_map_get_viewport (self->map);
  self->event_layer = chrono_event_layer_new (viewport);
  chrono_event_layer_set_afterglow_days (self->event_layer, 0);
  chrono_event_layer_set_events_in_effect (self->event_layer, G_LIST_MODEL (self->shown));
  shumate_simple_map_add_overlay_layer (self->map, SHUMATE_LAYER (self->event_layer));

  self->card = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->card, "presentation-card");
  gtk_widget_set_can_target (self->card, FALSE);
  gtk_widget_set_overflow (self->card, GTK_OVERFLOW_HIDDEN);
  self->accent = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (self->accent, "presentation-accent");
  gtk_box_append (GTK_BOX (self->card), self->accent);

  text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (text, "presentation-text");
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (self->card), text);
  self->date_label = add_card_label (text, "presentation-date");
  self->title_label = add_card_label (text, "presentation-title");
  self->note_label = add_card_label (text, "presentation-note");
  self->quote_label = add_card_label (text, "presentation-quote");
  gtk_widget_set_margin_top (GTK_WIDGET (self->quote_label), 10);
  self->citation_label = add_card_label (text, "presentation-citation");
  gtk_label_set_ellipsize (self->citation_label, PANGO_ELLIPSIZE_END);
  gtk_label_set_lines (self->citation_label, 2);
  gtk_overlay_add_overlay (self->overlay, self->card);

  self->counter_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->counter_label), "presentation-counter");
  gtk_widget_set_halign (GTK_WIDGET (self->counter_label), GTK_ALIGN_END);
  gtk_widget_set_valign (GTK_WIDGET (self->counter_label), GTK_ALIGN_START);
  gtk_widget_set_margin_top (GTK_WIDGET (self->counter_label), 16);
  gtk_widget_set_margin_end (GTK_WIDGET (self->counter_label), 16);
  gtk_widget_set_can_target (GTK_WIDGET (self->counter_label), FALSE);
  gtk_overlay_add_overlay (self->overlay, GTK_WIDGET (self->counter_label));

  self->blank = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (self->blank, "presentation-blank");
  gtk_widget_set_visible (self->blank, FALSE);
  gtk_overlay_add_overlay (self->overlay, self->blank);

  /* Capture: keys reach presentation mode before the map sees them. */
  self->key_controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (self->key_controller, GTK_PHASE_CAPTURE);
  g_signal_connect (self->key_controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), self->key_controller);

  {
    GtkEventController *motion = gtk_event_controller_motion_new ();

    g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
    gtk_widget_add_controller (GTK_WIDGET (self), motion);
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "none");
  }
}

static gboolean
chrono_presentation_close_request (GtkWindow *window)
{
  ChronoPresentation *self = CHRONO_PRESENTATION (window);

  chrono_presentation_set_playing (self, FALSE);
  g_signal_emit (self, signals[CLOSED], 0);

  if (gtk_window_get_transient_for (window) != NULL)
    gtk_window_present (gtk_window_get_transient_for (window));

  return GTK_WINDOW_CLASS (chrono_presentation_parent_class)->close_request (window);
}

static void
chrono_presentation_constructed (GObject *object)
{
  ChronoPresentation *self = CHRONO_PRESENTATION (object);

  G_OBJECT_CLASS (chrono_presentation_parent_class)->constructed (object);

  g_assert (CHRONO_IS_EVENT_SOURCE (self->source));

  if (self->lang == NULL)
    self->lang = g_strdup ("en");
  self->primary_lang = g_strndup (self->lang, strcspn (self->lang, "-_.@"));

  {
    g_autoptr (GError) error = NULL;

    self->places = chrono_event_source_get_places (self->source, self->lang, &error);
    if (self->places == NULL)
      g_warning ("Could not read the dataset's places: %s", error->message);
  }

  /* The offline basemap unless the caller has another source for us */
  if (self->map_source == NULL)
    {
      self->map_source = new_basemap (self, self->type_scale);
      self->owns_basemap = TRUE;
    }

  build_ui (self);
  chrono_event_layer_set_basemap_style (self->event_layer, CHRONO_BASEMAP_STYLE_LIGHT);
  if (self->places != NULL)
    chrono_event_layer_set_places (self->event_layer, self->places);
  chrono_event_layer_set_language (self->event_layer, self->lang);

  apply_type_scale (self);
  load_steps (self);
  set_window_title (self);
  show_step (self, FALSE);
}

static void
chrono_presentation_dispose (GObject *object)
{
  ChronoPresentation *self = (ChronoPresentation *)object;

  g_clear_handle_id (&self->play_source, g_source_remove);
  g_clear_handle_id (&self->restyle_source, g_source_remove);
  g_clear_handle_id (&self->cursor_source, g_source_remove);
  g_clear_handle_id (&self->relayout_source, g_source_remove);
  if (self->css != NULL)
    {
      gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                     GTK_STYLE_PROVIDER (self->css));
      g_clear_object (&self->css);
    }
  g_clear_object (&self->event);
  g_clear_object (&self->source);
  g_clear_object (&self->map_source);
  g_clear_pointer (&self->places, g_ptr_array_unref);

  G_OBJECT_CLASS (chrono_presentation_parent_class)->dispose (object);

  g_clear_object (&self->shown);
}

static void
chrono_presentation_finalize (GObject *object)
{
  ChronoPresentation *self = (ChronoPresentation *)object;

  g_clear_pointer (&self->steps, g_array_unref);
  g_free (self->lang);
  g_free (self->primary_lang);

  G_OBJECT_CLASS (chrono_presentation_parent_class)->finalize (object);
}

static void
chrono_presentation_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ChronoPresentation *self = CHRONO_PRESENTATION (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    case PROP_MAP_SOURCE:
      g_value_set_object (value, self->map_source);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->lang);
      break;
    case PROP_STEP:
      g_value_set_uint (value, self->step);
      break;
    case PROP_N_STEPS:
      g_value_set_uint (value, self->steps->len);
      break;
    case PROP_BLANKED:
      g_value_set_boolean (value, self->blanked);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_STEP_DURATION:
      g_value_set_uint (value, self->step_duration);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_presentation_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ChronoPresentation *self = CHRONO_PRESENTATION (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      self->source = g_value_dup_object (value);
      break;
    case PROP_MAP_SOURCE:
      self->map_source = g_value_dup_object (value);
      break;
    case PROP_LANGUAGE:
      self->lang = g_value_dup_string (value);
      break;
    case PROP_STEP:
      chrono_presentation_set_step (self, g_value_get_uint (value));
      break;
    case PROP_BLANKED:
      chrono_presentation_set_blanked (self, g_value_get_boolean (value));
      break;
    case PROP_PLAYING:
      chrono_presentation_set_playing (self, g_value_get_boolean (value));
      break;
    case PROP_STEP_DURATION:
      chrono_presentation_set_step_duration (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_presentation_class_init (ChronoPresentationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  const GParamFlags construct = (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  const GParamFlags rw = (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  object_class->constructed = chrono_presentation_constructed;
  object_class->dispose = chrono_presentation_dispose;
  object_class->finalize = chrono_presentation_finalize;
  object_class->get_property = chrono_presentation_get_property;
  object_class->set_property = chrono_presentation_set_property;
  window_class->close_request = chrono_presentation_close_request;

  properties[PROP_SOURCE] = g_param_spec_object ("source", NULL, NULL, CHRONO_TYPE_EVENT_SOURCE, construct);
  properties[PROP_MAP_SOURCE] = g_param_spec_object ("map-source", NULL, NULL, SHUMATE_TYPE_MAP_SOURCE, construct);
  properties[PROP_LANGUAGE] = g_param_spec_string ("language", NULL, NULL, NULL, construct);
  /* The current step, from 0 */
  properties[PROP_STEP] = g_param_spec_uint ("step", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_N_STEPS] =
    g_param_spec_uint ("n-steps", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BLANKED] = g_param_spec_boolean ("blanked", NULL, NULL, FALSE, rw);
  properties[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE, rw);
  /* How long playing stays on each step, in seconds */
  properties[PROP_STEP_DURATION] =
    g_param_spec_uint ("step-duration", NULL, NULL, 1, 3600, CHRONO_PRESENTATION_DEFAULT_STEP_DURATION, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ChronoPresentation::closed:
   *
   * Presentation mode ends (Escape, or the window closed): the window is
   * about to be destroyed.
   */
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
chrono_presentation_init (ChronoPresentation *self)
{
  self->steps = g_array_new (FALSE, TRUE, sizeof (Step));
  g_array_set_clear_func (self->steps, (GDestroyNotify) step_clear);
  self->shown = g_list_store_new (CHRONO_TYPE_EVENT);
  self->step_duration = CHRONO_PRESENTATION_DEFAULT_STEP_DURATION;
  self->type_scale = 1.0;
  self->card_fit = 1.0;

  self->css = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                              GTK_STYLE_PROVIDER (self->css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_widget_add_css_class (GTK_WIDGET (self), "chrono-presentation");
  /* No frame, no shadow: the whole screen is the presentation. */
  gtk_window_set_decorated (GTK_WINDOW (self), FALSE);
}

/**
 * chrono_presentation_new:
 * @parent: (nullable): the window presentation mode returns to
 * @source: the dataset
 * @map_source: (nullable): the basemap; NULL for the offline one
 * @lang: (nullable): the reading language, e.g. "fr"
 *
 * Makes a presentation window; show it with
 * chrono_presentation_present_fullscreen(). It closes itself on Escape
 * and emits ChronoPresentation::closed.
 *
 * Returns: (transfer none): the window, owned by GTK's list of toplevels
 */
ChronoPresentation *
chrono_presentation_new (GtkWindow         *parent,
                         ChronoEventSource *source,
                         ShumateMapSource  *map_source,
                         const char        *lang)
{
  ChronoPresentation *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CHRONO_IS_EVENT_SOURCE (source), NULL);
  g_return_val_if_fail (map_source == NULL || SHUMATE_IS_MAP_SOURCE (map_source), NULL);

  self = g_object_new (CHRONO_TYPE_PRESENTATION,
                       "source", source,
                       "map-source", map_source,
                       "language", lang,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       "default-width", 1280,
                       "default-height", 720,
                       NULL);
  if (parent != NULL && gtk_window_get_application (parent) != NULL)
    gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));

  return self;
}

/* Shows the window fullscreen on the monitor of its parent. */
void
chrono_presentation_present_fullscreen (ChronoPresentation *self)
{
  GtkWindow *parent;
  GdkMonitor *monitor = NULL;

  g_return_if_fail (CHRONO_IS_PRESENTATION (self));

  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (parent != NULL && gtk_native_get_surface (GTK_NATIVE (parent)) != NULL)
    monitor = gdk_display_get_monitor_at_surface (gtk_widget_get_display (GTK_WIDGET (parent)),
                                                  gtk_native_get_surface (GTK_NATIVE (parent)));

  if (monitor != NULL)
    {
      GdkRectangle geometry;

      gdk_monitor_get_geometry (monitor, &geometry);
      gtk_window_set_default_size (GTK_WINDOW (self), geometry.width, geometry.height);
      gtk_window_fullscreen_on_monitor (GTK_WINDOW (self), monitor);
    }
  else
    gtk_window_fullscreen (GTK_WINDOW (self));

  /* Type, basemap and frame for the size expected, so that the first frame
   * shows the step as it will stay; they follow the real size once known. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      int width, height;

      get_content_size (self, &width, &height);
      apply_type_scale_for_height (self, height);
      if (self->event != NULL)
        {
          fit_card (self);
          frame_places (self, FALSE);
        }
    }

  gtk_window_present (GTK_WINDOW (self));
}

guint
chrono_presentation_get_n_steps (ChronoPresentation *self)
{
  g_return_val_if_fail (CHRONO_IS_PRESENTATION (self), 0);

  return self->steps->len;
}

/* The current step, from 0. */
guint
chrono_presentation_get_step (ChronoPresentation *self)
{
  g_return_val_if_fail (CHRONO_IS_PRESENTATION (self), 0);

  return self->step;
}

/* Goes to @step (clamped to the last one), gliding the map there. */
void
chrono_presentation_set_step (ChronoPresentation *self,
                              guint               step)
{
  g_return_if_fail (CHRONO_IS_PRESENTATION (self));

  go_to_step (self, step);
}

/* Returns: (transfer none) (nullable): the current step's event */
ChronoEvent *
chrono_presentation_get_event (ChronoPresentation *self)
{
  g_return_val_if_fail (CHRONO_IS_PRESENTATION (self), NULL);

  return self->event;
}

/* The title the card shows: the tour's for this step, else the event's. */
const char *
chrono_presentation_get_step_title (ChronoPresentation *self)
{
  g_return_val_if_fail (CHRONO_IS_PRESENTATION (self), NULL);

  return gtk_label_get_text (self->title_label);
}

/* The day the map shows (a ChronoDay). */
gint64
chrono_presentation_get_day (ChronoPresentation *self)
{
  g_return_val_if_fail (CHRONO_IS_PRESENTATION (self), 0);

  return self->day;
}

/* Whether the steps are the dataset's tour (else every event by date). */
gboolean
chrono_presentation_get_from_tour (ChronoPresentation *self)
{
  g_return_val_if_fail (CHRONO_IS_PRESENTATION (self), FALSE);

  return self->from_tour;
}

gboolean
chrono_presentation_get_blanked (ChronoPresentation *self)
{
  g_return_val_if_fail (CHRONO_IS_PRESENTATION (self), FALSE);

  return self->blanked;
}

/* A black screen, for when the class should look at the teacher; playing
 * pauses meanwhile. */
void
chrono_presentation_set_blanked (ChronoPresentation *self,
                                 gboolean            blanked)
{
  g_return_if_fail (CHRONO_IS_PRESENTATION (self));

  blanked = !!blanked;
  if (self->blanked == blanked)
    return;

  self->blanked = blanked;
  gtk_widget_set_visible (self->blank, blanked);
  restart_play_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLANKED]);
}

gboolean
chrono_presentation_get_playing (ChronoPresentation *self)
{
  g_return_val_if_fail (CHRONO_IS_PRESENTATION (self), FALSE);

  return self->playing;
}

/* Playing moves to the next step every "step-duration" seconds and stops
 * at the last one. */
void
chrono_presentation_set_playing (ChronoPresentation *self,
                                 gboolean            playing)
{
  g_return_if_fail (CHRONO_IS_PRESENTATION (self));

  playing = !!playing && self->steps->len > 1;
  if (self->playing == playing)
    return;

  self->playing = playing;
  restart_play_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

guint
chrono_presentation_get_step_duration (ChronoPresentation *self)
{
  g_return_val_if_fail (CHRONO_IS_PRESENTATION (self), 0);

  return self->step_duration;
}

void
chrono_presentation_set_step_duration (ChronoPresentation *self,
                                       guint               seconds)
{
  g_return_if_fail (CHRONO_IS_PRESENTATION (self));
  g_return_if_fail (seconds >= 1);

  if (self->step_duration == seconds)
    return;

  self->step_duration = seconds;
  restart_play_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP_DURATION]);
}

/* Returns: (transfer none): the controller that takes the clicker's keys */
GtkEventController *
chrono_presentation_get_key_controller (ChronoPresentation *self)
{
  g_return_val_if_fail (CHRONO_IS_PRESENTATION (self), NULL);

  return self->key_controller;
}

/* Type size relative to a 720 px high window. */
double
chrono_presentation_get_type_scale (ChronoPresentation *self)
{
  g_return_val_if_fail (CHRONO_IS_PRESENTATION (self), 1.0);

  return self->type_scale;
}
