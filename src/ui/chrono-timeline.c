/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-timeline"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "chrono-date.h"
#include "chrono-event.h"
#include "chrono-event-layer.h"
#include "chrono-timeline.h"

/* Rows, top to bottom: the density of the whole dataset, the event lanes
 * and the axis, with the cursor's date on it. */
#define PAD            6.f
#define STRIP_HEIGHT   14.f
#define ROW_GAP        4.f
#define OVERVIEW_GUTTER 16.f
#define AXIS_HEIGHT    22.f
#define MAX_LANE_PITCH 16.f
#define MIN_LANE_PITCH 8.f
#define LANE_GAP       2.f

/* Space between bars that share a lane, when lanes are packed by what
 * the view shows rather than by dates. */
#define BAR_SPACING    4.0

/* Titles go inside bars at least this wide; tags hold at most this much. */
#define MIN_TITLE_WIDTH 40.0
#define MAX_TAG_WIDTH   320.f

/* On titled lanes: a title goes inside a bar that holds it, or at least
 * this much of it, between paddings; else beside the bar, after a gap,
 * keeping at most this much of its lane. A title shows where this much
 * room is left for it. */
#define MIN_INSIDE_WIDTH  80.f
#define TITLE_PAD         4.0
#define TITLE_GAP         4.0
#define MAX_BESIDE_WIDTH  200.f
#define MIN_TITLE_ROOM    24.0

/* Titles take what room is left between bars from this zoom on: about a
 * month in 90 pixels. */
#define MIN_TITLED_PIXELS_PER_DAY 3.0

/* Horizontal period of the stripes on uncertain dates, in pixels. */
#define HATCH_PERIOD   6.f

/* Beyond this many lanes the view shows counts instead: scrolling through
 * them would not find anything. */
#define MAX_SCROLL_LANES 200

/* The narrowest and widest views, in days. */
#define MIN_SPAN       5.0
#define DEFAULT_SPAN   730.0

/* Above this many candidate bars per pixel column the lanes give way to a
 * per-column count: individual bars would be sub-pixel anyway. */
#define MAX_BARS_PER_COLUMN 1.5

#define ZOOM_STEP      1.5
#define DAYS_PER_MONTH 30.436875

/* Bars take the map's colour of their category (chrono-event-layer.c): one
 * palette entry per distinct category of the dataset, up to this many; the
 * rest share the last. */
#define N_CATEGORIES 15

#define ACCENT_COLOR "#3584e4"

typedef struct
{
  ChronoDay start_lo;
  ChronoDay start_hi;
  ChronoDay end_lo;
  ChronoDay end_hi;
  gint64    rowid;
  guint     lane;
  guint     event;          /* index in the table's rows */
  guint     category : 4;
  guint     is_short : 1;   /* short enough for an afterglow (chrono_span_is_short) */
} Item;

typedef enum
{
  TITLE_INSIDE,
  TITLE_BESIDE,
} TitlePlace;

typedef enum
{
  DRAG_NONE,
  DRAG_PENDING,   /* pressed; a click unless it moves */
  DRAG_PAN,
  DRAG_SCRUB,
  DRAG_NAVIGATE,  /* in the density strip: moves the view over the extent */
} DragMode;

typedef enum
{
  MODE_EMPTY,
  MODE_LANES,
  MODE_AGGREGATE,
} DrawMode;

typedef struct
{
  float width;
  float height;
  float strip_y;
  float pill_y;
  float pill_height;
  float lanes_y;
  float lanes_height;
  float axis_y;
} Geometry;

struct _ChronoTimeline
{
  GtkWidget            parent_instance;

  GHashTable          *events;      /* of set_events (): gint64 * → ChronoEvent */
  ChronoEventLoadFunc  load_event;
  gpointer             load_data;
  ChronoTimeIndex     *index;
  GPtrArray           *categories;  /* char *: the palette's categories, in order met */

  /* The events sorted by start, with their lanes; end_max[i] is the latest
   * end among items[0..i], so culling can skip a prefix by bisection. */
  Item                *items;
  gsize                n_items;
  ChronoDay           *end_max;
  guint                n_lanes;

  gboolean             have_extent;
  ChronoDay            first;
  ChronoDay            last;

  /* The overview covers from here to the last day: most events, without
   * the few that reach far back. */
  ChronoDay            overview_first;

  guint               *density;
  guint                n_density;

  ChronoDay            day;
  double               view_start;
  double               view_span;
  ChronoDay            notified_start;
  ChronoDay            notified_end;
  gint64               selected;
  gboolean             playing;
  ChronoTimelineSpeed  speed;
  int                  afterglow;

  guint                tick_id;
  gint64               last_frame_time;
  double               play_position;

  /* What the last frame drew, for hit testing. */
  DrawMode             frame_mode;
  float                frame_pitch;
  guint                frame_n_lanes;
  guint                frame_visible_lanes;
  guint                frame_n_hidden;
  graphene_rect_t      frame_more;   /* the "+N" badge, empty without one */

  /* The first lane shown when the lanes overflow their area; the selected
   * event's lane is scrolled into view on the next frame. */
  double               lane_offset;
  gboolean             reveal_selected;
  GArray              *frame_items;  /* guint indices into items */
  GArray              *frame_lanes;  /* guint lanes, parallel to frame_items */
  GArray              *frame_titles; /* ChronoTimelineTitle */

  /* The width of each item's title in title_font, -1 until measured. */
  float               *title_widths;
  PangoFontDescription *title_font;

  DragMode             drag_mode;
  double               drag_x;
  double               drag_view_start;
  double               pointer_x;
  double               pointer_y;
  gint64               hovered;
  double               zoom_span;
  double               zoom_day;
  double               zoom_x;
};

G_DEFINE_FINAL_TYPE (ChronoTimeline, chrono_timeline, GTK_TYPE_WIDGET)

G_DEFINE_ENUM_TYPE (ChronoTimelineSpeed, chrono_timeline_speed,
                    G_DEFINE_ENUM_VALUE (CHRONO_TIMELINE_SPEED_DAYS, "days"),
                    G_DEFINE_ENUM_VALUE (CHRONO_TIMELINE_SPEED_WEEKS, "weeks"),
                    G_DEFINE_ENUM_VALUE (CHRONO_TIMELINE_SPEED_MONTHS, "months"))

enum {
  PROP_0,
  PROP_DAY,
  PROP_VISIBLE_START,
  PROP_VISIBLE_END,
  PROP_SELECTED_EVENT,
  PROP_PLAYING,
  PROP_PLAY_SPEED,
  PROP_AFTERGLOW_DAYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

/* The index of @name in the timeline's palette, adding it when new. */
static guint
category_index (ChronoTimeline *self,
                const char     *name)
{
  const char *key = name != NULL ? name : "";

  for (guint i = 0; i < self->categories->len; i++)
    if (g_str_equal (g_ptr_array_index (self->categories, i), key))
      return i;

  if (self->categories->len < N_CATEGORIES)
    {
      g_ptr_array_add (self->categories, g_strdup (key));
      return self->categories->len - 1;
    }

  return N_CATEGORIES - 1;
}

static const char *
month_abbreviation (int month)
{
  switch (month)
    {
    /* Translators: a month abbreviated for the timeline's axis; keep it short */
    case 1: return C_("month abbreviation", "Jan");
    /* Translators: a month abbreviated for the timeline's axis; keep it short */
    case 2: return C_("month abbreviation", "Feb");
    /* Translators: a month abbreviated for the timeline's axis; keep it short */
    case 3: return C_("month abbreviation", "Mar");
    /* Translators: a month abbreviated for the timeline's axis; keep it short */
    case 4: return C_("month abbreviation", "Apr");
    /* Translators: a month abbreviated for the timeline's axis; keep it short */
    case 5: return C_("month abbreviation", "May");
    /* Translators: a month abbreviated for the timeline's axis; keep it short */
    case 6: return C_("month abbreviation", "Jun");
    /* Translators: a month abbreviated for the timeline's axis; keep it short */
    case 7: return C_("month abbreviation", "Jul");
    /* Translators: a month abbreviated for the timeline's axis; keep it short */
    case 8: return C_("month abbreviation", "Aug");
    /* Translators: a month abbreviated for the timeline's axis; keep it short */
    case 9: return C_("month abbreviation", "Sep");
    /* Translators: a month abbreviated for the timeline's axis; keep it short */
    case 10: return C_("month abbreviation", "Oct");
    /* Translators: a month abbreviated for the timeline's axis; keep it short */
    case 11: return C_("month abbreviation", "Nov");
    /* Translators: a month abbreviated for the timeline's axis; keep it short */
    case 12: return C_("month abbreviation", "Dec");
    default: g_assert_not_reached ();
    }
}

static char *
format_year (gint64 year)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, year > 0 ? year : 1 - year);

  if (year > 0)
    return g_steal_pointer (&number);

  /* Translators: a year before the common era on the timeline's axis, e.g. "44 BCE" */
  return g_strdup_printf (C_("timeline year", "%s BCE"), number);
}

static double
floor_div (double a,
           double b)
{
  return floor (a / b) * b;
}

static ChronoDay
add_months (ChronoDay day,
            int       n)
{
  gint64 year;
  int month, dom;
  gint64 index;

  chrono_day_to_ymd (day, &year, &month, &dom);
  index = year * 12 + (month - 1) + n;
  year = (index >= 0 ? index : index - 11) / 12;
  month = (int) (index - year * 12) + 1;
  dom = MIN (dom, chrono_days_in_month (year, month));

  return chrono_day_from_ymd (year, month, dom);
}

static void
get_geometry (ChronoTimeline *self,
              Geometry       *g)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "9");
  int text_height;

  pango_layout_get_pixel_size (layout, NULL, &text_height);

  g->width = gtk_widget_get_width (GTK_WIDGET (self));
  g->height = gtk_widget_get_height (GTK_WIDGET (self));
  g->strip_y = PAD;
  g->lanes_y = g->strip_y + STRIP_HEIGHT + ROW_GAP + 2;
  g->axis_y = g->height - AXIS_HEIGHT;
  /* The cursor's date sits on the axis, over the labels next to it, and
   * leaves the height above to the lanes. */
  g->pill_height = text_height + 4;
  g->pill_y = roundf (g->axis_y + (AXIS_HEIGHT - g->pill_height) / 2);
  g->lanes_height = MAX (0.f, g->axis_y - ROW_GAP - g->lanes_y);
}

static inline double
pixels_per_day (ChronoTimeline *self,
                const Geometry *g)
{
  return g->width / self->view_span;
}

/* Open ends are infinite: doubles take them without overflow. */
static inline double
day_to_x (ChronoTimeline *self,
          const Geometry *g,
          double          day)
{
  return (day - self->view_start) * pixels_per_day (self, g);
}

static inline double
x_to_day (ChronoTimeline *self,
          const Geometry *g,
          double          x)
{
  return self->view_start + x / pixels_per_day (self, g);
}

static void
get_density_range (ChronoTimeline *self,
                   ChronoDay      *from,
                   ChronoDay      *to)
{
  ChronoDay length = self->last - self->overview_first + 1;
  ChronoDay pad = MAX (1, length / 50);

  *from = self->overview_first - pad;
  *to = self->last + 1 + pad;
}

/* Events before the overview's range leave room at its left for a sign
 * that there is more. */
static gboolean
has_more_before (ChronoTimeline *self)
{
  ChronoDay from, to;

  if (!self->have_extent)
    return FALSE;

  get_density_range (self, &from, &to);
  return self->first < from;
}

static float
get_overview_x (ChronoTimeline *self)
{
  return has_more_before (self) ? OVERVIEW_GUTTER : 0;
}

static guint
get_n_density_bins (ChronoTimeline *self,
                    float           width)
{
  return MAX (1, (guint) ((width - get_overview_x (self)) / 2));
}

static void
update_accessible_value (ChronoTimeline *self)
{
  g_autofree char *text = chrono_day_format (self->day);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, (double) (self->have_extent ? self->first : self->day),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, (double) (self->have_extent ? self->last : self->day),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double) self->day,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);
}

static double
get_max_span (ChronoTimeline *self)
{
  if (!self->have_extent)
    return 365.25 * 1000;

  return MAX ((double) (self->last - self->first + 1) * 1.25, 60.0);
}

static void
set_view (ChronoTimeline *self,
          double          start,
          double          span)
{
  ChronoDay rounded_start, rounded_end;

  span = CLAMP (span, MIN_SPAN, get_max_span (self));
  if (self->have_extent)
    start = CLAMP (start, self->first - span / 2, self->last + 1 - span / 2);

  if (start == self->view_start && span == self->view_span)
    return;

  self->view_start = start;
  self->view_span = span;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  rounded_start = (ChronoDay) floor (start);
  rounded_end = (ChronoDay) ceil (start + span);

  g_object_freeze_notify (G_OBJECT (self));
  if (rounded_start != self->notified_start)
    {
      self->notified_start = rounded_start;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_START]);
    }
  if (rounded_end != self->notified_end)
    {
      self->notified_end = rounded_end;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_END]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
zoom_around (ChronoTimeline *self,
             double          factor,
             double          x)
{
  Geometry g;
  double anchor, span;

  get_geometry (self, &g);
  if (g.width <= 0)
    {
      set_view (self, self->view_start, self->view_span * factor);
      return;
    }

  anchor = x_to_day (self, &g, x);
  span = CLAMP (self->view_span * factor, MIN_SPAN, get_max_span (self));
  set_view (self, anchor - x / g.width * span, span);
}

/* While playing the cursor runs left to right, so it re-enters near the left
 * edge; a jump puts it in the middle. */
static void
ensure_day_visible (ChronoTimeline *self)
{
  double end = self->view_start + self->view_span;

  if (self->day >= self->view_start && self->day + 1 <= end)
    return;

  if (self->playing && self->day >= end)
    set_view (self, self->day - self->view_span * 0.1, self->view_span);
  else
    set_view (self, self->day + 0.5 - self->view_span / 2, self->view_span);
}

/* First fit by start, O(n log n): lanes whose last event ended before the
 * next start go back to a heap of free lanes, and the lowest free lane wins. */
typedef struct
{
  double end;
  guint  lane;
} BusyLane;

static void
heap_push_busy (GArray   *heap,
                BusyLane  entry)
{
  guint i;

  g_array_append_val (heap, entry);
  for (i = heap->len - 1; i > 0;)
    {
      guint parent = (i - 1) / 2;
      BusyLane *a = &g_array_index (heap, BusyLane, parent);
      BusyLane *b = &g_array_index (heap, BusyLane, i);
      BusyLane tmp;

      if (a->end <= b->end)
        break;
      tmp = *a; *a = *b; *b = tmp;
      i = parent;
    }
}

static BusyLane
heap_pop_busy (GArray *heap)
{
  BusyLane top = g_array_index (heap, BusyLane, 0);
  guint i = 0;

  g_array_index (heap, BusyLane, 0) = g_array_index (heap, BusyLane, heap->len - 1);
  g_array_set_size (heap, heap->len - 1);

  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      BusyLane tmp;

      if (l < heap->len && g_array_index (heap, BusyLane, l).end < g_array_index (heap, BusyLane, m).end)
        m = l;
      if (r < heap->len && g_array_index (heap, BusyLane, r).end < g_array_index (heap, BusyLane, m).end)
        m = r;
      if (m == i)
        break;
      tmp = g_array_index (heap, BusyLane, m);
      g_array_index (heap, BusyLane, m) = g_array_index (heap, BusyLane, i);
      g_array_index (heap, BusyLane, i) = tmp;
      i = m;
    }

  return top;
}

static void
heap_push_free (GArray *heap,
                guint   lane)
{
  guint i;

  g_array_append_val (heap, lane);
  for (i = heap->len - 1; i > 0;)
    {
      guint parent = (i - 1) / 2;
      guint *a = &g_array_index (heap, guint, parent);
      guint *b = &g_array_index (heap, guint, i);
      guint tmp;

      if (*a <= *b)
        break;
      tmp = *a; *a = *b; *b = tmp;
      i = parent;
    }
}

static guint
heap_pop_free (GArray *heap)
{
  guint top = g_array_index (heap, guint, 0);
  guint i = 0;

  g_array_index (heap, guint, 0) = g_array_index (heap, guint, heap->len - 1);
  g_array_set_size (heap, heap->len - 1);

  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      guint tmp;

      if (l < heap->len && g_array_index (heap, guint, l) < g_array_index (heap, guint, m))
        m = l;
      if (r < heap->len && g_array_index (heap, guint, r) < g_array_index (heap, guint, m))
        m = r;
      if (m == i)
        break;
      tmp = g_array_index (heap, guint, m);
      g_array_index (heap, guint, m) = g_array_index (heap, guint, i);
      g_array_index (heap, guint, i) = tmp;
      i = m;
    }

  return top;
}

/* Assigns lanes to @n extents [starts[i], ends[i]) given in order of
 * start; a lane is free again from the end of its last extent. Returns how
 * many lanes it used. */
static guint
pack_lanes (const double *starts,
            const double *ends,
            guint         n,
            guint        *lanes)
{
  g_autoptr (GArray) busy = g_array_new (FALSE, FALSE, sizeof (BusyLane));
  g_autoptr (GArray) free_lanes = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_lanes = 0;

  for (guint i = 0; i < n; i++)
    {
      BusyLane entry;

      while (busy->len > 0 && g_array_index (busy, BusyLane, 0).end <= starts[i])
        heap_push_free (free_lanes, heap_pop_busy (busy).lane);

      entry.lane = free_lanes->len > 0 ? heap_pop_free (free_lanes) : n_lanes++;
      entry.end = ends[i];
      lanes[i] = entry.lane;
      heap_push_busy (busy, entry);
    }

  return n_lanes;
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const Item *x = a, *y = b;

  if (x->start_lo != y->start_lo)
    return x->start_lo < y->start_lo ? -1 : 1;
  if (x->end_hi != y->end_hi)
    return x->end_hi < y->end_hi ? -1 : 1;
  return x->rowid < y->rowid ? -1 : x->rowid > y->rowid;
}

/* The range of items that can overlap [from, to): those starting before
 * @to, after the prefix whose ends all fall before @from. */
static void
get_candidates (ChronoTimeline *self,
                ChronoDay       from,
                ChronoDay       to,
                gsize          *out_begin,
                gsize          *out_end)
{
  gsize lo = 0, hi = self->n_items;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (self->end_max[mid] < from)
        lo = mid + 1;
      else
        hi = mid;
    }
  *out_begin = lo;

  hi = self->n_items;
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (self->items[mid].start_lo < to)
        lo = mid + 1;
      else
        hi = mid;
    }
  *out_end = lo;
}

/* How strongly an item shows at the cursor: 1 in effect, fading through the
 * afterglow for short events (a day, or a day not known exactly), 0
 * otherwise; the list and the map keep them as long. */
static double
get_item_strength (ChronoTimeline *self,
                   const Item     *item)
{
  if (self->day < item->start_lo)
    return 0;
  if (self->day <= item->end_hi)
    return 1;
  if (item->is_short && self->afterglow > 0 &&
      self->day - item->end_hi <= self->afterglow)
    return 1.0 - (double) (self->day - item->end_hi) / (self->afterglow + 1);
  return 0;
}

static GdkRGBA
with_alpha (const GdkRGBA *color,
            double         alpha)
{
  GdkRGBA c = *color;

  c.alpha *= alpha;
  return c;
}

/* Drawing */

static void
append_layout_at (GtkSnapshot   *snapshot,
                  PangoLayout   *layout,
                  float          x,
                  float          y,
                  const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
append_rounded (GtkSnapshot           *snapshot,
                const graphene_rect_t *rect,
                float                  radius,
                const GdkRGBA         *color)
{
  GskRoundedRect rounded;

  gsk_rounded_rect_init_from_rect (&rounded, rect, MIN (radius, MIN (rect->size.width, rect->size.height) / 2));
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, color, rect);
  gtk_snapshot_pop (snapshot);
}

/* The part of a bar where a date is uncertain: a pale band of the bar's
 * colour under diagonal stripes of it, so it reads as the same event yet
 * apart from the certain part. The stripes start at @anchor, the bar's
 * start, so they move with the bar while it pans. */
static void
append_uncertain (GtkSnapshot   *snapshot,
                  double         anchor,
                  double         x0,
                  double         x1,
                  float          y,
                  float          height,
                  const GdkRGBA *color,
                  double         alpha)
{
  GdkRGBA pale = with_alpha (color, 0.3 * alpha);
  GdkRGBA stripe = with_alpha (color, 0.85 * alpha);
  graphene_rect_t band = GRAPHENE_RECT_INIT (x0, y, x1 - x0, height);
  /* One period is as good as another; a small number keeps floats exact. */
  float phase = (float) (anchor - floor (anchor / HATCH_PERIOD) * HATCH_PERIOD);

  gtk_snapshot_append_repeating_linear_gradient (snapshot, &band,
                                                 &GRAPHENE_POINT_INIT (phase, y),
                                                 &GRAPHENE_POINT_INIT (phase + HATCH_PERIOD / 2, y + HATCH_PERIOD / 2),
                                                 (GskColorStop[4]) {
                                                   { 0, stripe }, { 0.5, stripe },
                                                   { 0.5, pale }, { 1, pale },
                                                 }, 4);
}

static void
draw_density (ChronoTimeline *self,
              GtkSnapshot    *snapshot,
              const Geometry *g,
              const GdkRGBA  *fg,
              const GdkRGBA  *accent)
{
  float x0 = get_overview_x (self);
  float w = g->width - x0;
  graphene_rect_t strip = GRAPHENE_RECT_INIT (0, g->strip_y, g->width, STRIP_HEIGHT);
  GdkRGBA track = with_alpha (fg, 0.06);
  GdkRGBA bar = with_alpha (fg, 0.4);
  GdkRGBA more = with_alpha (fg, 0.6);
  GdkRGBA window_fill = with_alpha (accent, 0.22);
  GskRoundedRect outline;
  ChronoDay from, to;
  guint n_bins = get_n_density_bins (self, g->width);
  guint max = 0;
  double wx0, wx1, cx;

  append_rounded (snapshot, &strip, 4, &track);
  if (!self->have_extent || w <= 0)
    return;

  /* An ellipsis: the dataset goes back further than the overview shows. */
  if (x0 > 0)
    for (int i = 0; i < 3; i++)
      append_rounded (snapshot, &GRAPHENE_RECT_INIT (3 + i * 4, g->strip_y + STRIP_HEIGHT / 2 - 1, 2, 2), 1, &more);

  get_density_range (self, &from, &to);
  if (self->density == NULL || self->n_density != n_bins)
    {
      g_free (self->density);
      self->density = g_new0 (guint, n_bins);
      self->n_density = n_bins;
      chrono_time_index_histogram (self->index, from, to, n_bins, self->density);
    }

  for (guint i = 0; i < n_bins; i++)
    max = MAX (max, self->density[i]);

  for (guint i = 0; i < n_bins && max > 0; i++)
    {
      float h;

      if (self->density[i] == 0)
        continue;
      h = MAX (1.f, (STRIP_HEIGHT - 2) * (float) self->density[i] / max);
      gtk_snapshot_append_color (snapshot, &bar,
                                 &GRAPHENE_RECT_INIT (x0 + i * w / n_bins, g->strip_y + STRIP_HEIGHT - 1 - h,
                                                      MAX (1.f, w / n_bins - 0.5f), h));
    }

  /* The visible window, then the cursor, on the overview's range; a view
   * that reaches before it starts at the ellipsis. */
  wx0 = self->view_start < from ? 0 : x0 + (self->view_start - from) / (to - from) * w;
  wx1 = x0 + (self->view_start + self->view_span - from) / (to - from) * w;
  wx0 = CLAMP (wx0, 0, g->width);
  wx1 = CLAMP (wx1, x0, g->width);
  if (wx1 - wx0 < 4)
    {
      double mid = (wx0 + wx1) / 2;
      wx0 = mid - 2;
      wx1 = mid + 2;
    }
  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (wx0, g->strip_y, wx1 - wx0, STRIP_HEIGHT), 4);
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
  gtk_snapshot_append_color (snapshot, &window_fill, &outline.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_append_border (snapshot, &outline,
                              (float[4]) { 1, 1, 1, 1 },
                              (GdkRGBA[4]) { *accent, *accent, *accent, *accent });

  cx = x0 + ((double) self->day + 0.5 - from) / (to - from) * w;
  if (self->day < from)
    cx = x0 / 2;
  if (cx >= 0 && cx <= g->width)
    gtk_snapshot_append_color (snapshot, accent, &GRAPHENE_RECT_INIT (cx - 1, g->strip_y, 2, STRIP_HEIGHT));
}

static void
get_pill_rect (ChronoTimeline  *self,
               const Geometry  *g,
               PangoLayout     *layout,
               graphene_rect_t *rect)
{
  int text_width, text_height;
  double x = day_to_x (self, g, self->day + 0.5);
  float width;

  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  width = text_width + 16;
  *rect = GRAPHENE_RECT_INIT (CLAMP (x - width / 2, 0, MAX (0, g->width - width)), g->pill_y,
                              width, g->pill_height);
}

static PangoLayout *
create_pill_layout (ChronoTimeline *self)
{
  g_autofree char *text = chrono_day_format (self->day);
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  g_autoptr (PangoAttrList) attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);

  return layout;
}

typedef enum
{
  UNIT_DAY,
  UNIT_MONTH,
  UNIT_YEAR,
} Unit;

static void
choose_axis_unit (double  px_per_day,
                  Unit   *unit,
                  gint64 *step)
{
  static const int day_steps[] = { 1, 2, 5, 10 };
  static const int month_steps[] = { 1, 3, 6 };

  for (guint i = 0; i < G_N_ELEMENTS (day_steps); i++)
    if (px_per_day * day_steps[i] >= (day_steps[i] >= 5 ? 44 : 28))
      {
        *unit = UNIT_DAY;
        *step = day_steps[i];
        return;
      }

  for (guint i = 0; i < G_N_ELEMENTS (month_steps); i++)
    if (px_per_day * DAYS_PER_MONTH * month_steps[i] >= 44)
      {
        *unit = UNIT_MONTH;
        *step = month_steps[i];
        return;
      }

  /* 1, 2, 5, 10, 20, 50... years, leaving room for the year's digits. */
  for (gint64 magnitude = 1; ; magnitude *= 10)
    {
      static const int mantissas[] = { 1, 2, 5 };

      for (guint i = 0; i < G_N_ELEMENTS (mantissas); i++)
        {
          gint64 candidate = magnitude * mantissas[i];
          double digits = floor (log10 ((double) candidate)) + 4;

          if (px_per_day * 365.2425 * candidate >= MAX (48, digits * 8 + 16) ||
              candidate >= CHRONO_YEAR_MAX)
            {
              *unit = UNIT_YEAR;
              *step = candidate;
              return;
            }
        }
    }
}

typedef struct
{
  ChronoDay  day;
  char      *label;
  gboolean   major;
  double     x;
  int        width;
} Tick;

static void
clear_tick (gpointer data)
{
  g_free (((Tick *) data)->label);
}

static void
add_tick (GArray     *ticks,
          ChronoDay   day,
          char       *label,
          gboolean    major)
{
  Tick tick = { day, label, major, 0, 0 };

  g_array_append_val (ticks, tick);
}

/* Draws the ticks and their labels; a minor label that would run into the
 * next or previous major one (a month name after its days, say) stays out. */
static void
draw_ticks (ChronoTimeline *self,
            GtkSnapshot    *snapshot,
            const Geometry *g,
            PangoLayout    *layout,
            GArray         *ticks,
            const char     *context,
            const graphene_rect_t *pill,
            const GdkRGBA  *fg)
{
  g_autoptr (PangoAttrList) bold = pango_attr_list_new ();
  GdkRGBA grid[2] = { with_alpha (fg, 0.05), with_alpha (fg, 0.1) };
  GdkRGBA tick_color[2] = { with_alpha (fg, 0.3), with_alpha (fg, 0.5) };
  GdkRGBA text[2] = { with_alpha (fg, 0.6), with_alpha (fg, 0.9) };
  double previous_major_end = -G_MAXDOUBLE;
  guint next_major = 0;

  pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));

  for (guint i = 0; i < ticks->len; i++)
    {
      Tick *tick = &g_array_index (ticks, Tick, i);

      tick->x = round (day_to_x (self, g, tick->day));
      pango_layout_set_text (layout, tick->label, -1);
      pango_layout_set_attributes (layout, tick->major ? bold : NULL);
      pango_layout_get_pixel_size (layout, &tick->width, NULL);
    }

  /* The month or year the left edge is in, unless its own label is about
   * to take over. */
  if (context != NULL)
    {
      int context_width;
      gboolean covered = FALSE;

      pango_layout_set_text (layout, context, -1);
      pango_layout_set_attributes (layout, bold);
      pango_layout_get_pixel_size (layout, &context_width, NULL);

      for (guint i = 0; i < ticks->len; i++)
        {
          Tick *tick = &g_array_index (ticks, Tick, i);

          if (tick->major && tick->x >= -4 && tick->x < 4 + context_width + 6)
            covered = TRUE;
        }
      if (pill->origin.x < 4 + context_width + 4)
        covered = TRUE;

      if (!covered)
        {
          append_layout_at (snapshot, layout, 4, g->axis_y + 3, &text[1]);
          previous_major_end = 4 + context_width;
        }
    }

  for (guint i = 0; i < ticks->len; i++)
    {
      Tick *tick = &g_array_index (ticks, Tick, i);
      gboolean show_label = tick->x >= 0;

      if (tick->major && tick->x >= 0)
        previous_major_end = tick->x + 4 + tick->width;
      else if (tick->major)
        ;
      else
        {
          if (next_major <= i)
            for (next_major = i + 1; next_major < ticks->len; next_major++)
              if (g_array_index (ticks, Tick, next_major).major)
                break;

          if (tick->x < previous_major_end + 6)
            show_label = FALSE;
          if (next_major < ticks->len &&
              tick->x + 4 + tick->width + 6 > g_array_index (ticks, Tick, next_major).x)
            show_label = FALSE;
        }

      if (tick->x + 4 + tick->width < 0 || tick->x > g->width)
        continue;

      gtk_snapshot_append_color (snapshot, &grid[tick->major],
                                 &GRAPHENE_RECT_INIT (tick->x, g->lanes_y - 2, 1, g->axis_y - g->lanes_y + 2));
      gtk_snapshot_append_color (snapshot, &tick_color[tick->major],
                                 &GRAPHENE_RECT_INIT (tick->x, g->axis_y, 1, tick->major ? 7 : 4));

      /* The cursor's date covers the labels next to it. */
      if (tick->x + 4 < pill->origin.x + pill->size.width + 4 && tick->x + 4 + tick->width > pill->origin.x - 4)
        show_label = FALSE;

      if (show_label)
        {
          pango_layout_set_text (layout, tick->label, -1);
          pango_layout_set_attributes (layout, tick->major ? bold : NULL);
          append_layout_at (snapshot, layout, tick->x + 4, g->axis_y + 3, &text[tick->major]);
        }
    }
}

static void
draw_axis (ChronoTimeline *self,
           GtkSnapshot    *snapshot,
           const Geometry *g,
           const GdkRGBA  *fg)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  PangoFontDescription *font;
  GdkRGBA line = with_alpha (fg, 0.18);
  ChronoDay from = (ChronoDay) floor (self->view_start);
  ChronoDay to = (ChronoDay) ceil (self->view_start + self->view_span);
  g_autoptr (GArray) ticks = g_array_new (FALSE, FALSE, sizeof (Tick));
  g_autofree char *context = NULL;
  g_autoptr (PangoLayout) pill_layout = NULL;
  graphene_rect_t pill;
  Unit unit;
  gint64 step;
  gint64 year;
  int month, dom;

  g_array_set_clear_func (ticks, clear_tick);
  font = pango_font_description_copy (pango_context_get_font_description (pango_layout_get_context (layout)));
  pango_font_description_set_size (font, pango_font_description_get_size (font) * 0.85);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);

  gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (0, g->axis_y, g->width, 1));

  choose_axis_unit (pixels_per_day (self, g), &unit, &step);

  /* Labels sit right of their tick: start far enough left that the first
   * one can still show its tail. */
  from -= (ChronoDay) ceil (120 / pixels_per_day (self, g));

  switch (unit)
    {
    case UNIT_DAY:
      for (ChronoDay d = from; d <= to; d++)
        {
          char *label;

          chrono_day_to_ymd (d, &year, &month, &dom);
          if (dom == 1 && month == 1)
            label = format_year (year);
          else if (dom == 1)
            label = g_strdup (month_abbreviation (month));
          else if ((dom - 1) % step == 0 && dom + step / 2 <= chrono_days_in_month (year, month))
            label = g_strdup_printf ("%d", dom);
          else
            continue;

          add_tick (ticks, d, label, dom == 1);
        }
      break;

    case UNIT_MONTH:
      chrono_day_to_ymd (from, &year, &month, &dom);
      month = (int) ((month - 1) / step * step) + 1;
      for (guint guard = 0; guard < 10000; guard++)
        {
          ChronoDay d = chrono_day_from_ymd (year, month, 1);

          if (d > to)
            break;

          add_tick (ticks, d, month == 1 ? format_year (year) : g_strdup (month_abbreviation (month)), month == 1);

          month += step;
          if (month > 12)
            {
              month -= 12;
              year++;
            }
        }
      break;

    case UNIT_YEAR:
      chrono_day_to_ymd (from, &year, &month, &dom);
      year = (gint64) floor_div ((double) year, (double) step);
      for (guint guard = 0; guard < 10000 && year <= CHRONO_YEAR_MAX; guard++, year += step)
        {
          ChronoDay d;

          if (year < CHRONO_YEAR_MIN)
            continue;
          d = chrono_day_from_ymd (year, 1, 1);
          if (d > to)
            break;

          add_tick (ticks, d, format_year (year), year % (step * 5) == 0);
        }
      break;

    default:
      g_assert_not_reached ();
    }

  chrono_day_to_ymd ((ChronoDay) floor (self->view_start), &year, &month, &dom);
  if (unit == UNIT_DAY)
    {
      g_autofree char *year_text = format_year (year);

      /* Translators: the month and year the timeline's left edge is in, e.g. "Nov 2020" */
      context = g_strdup_printf (C_("timeline month", "%1$s %2$s"), month_abbreviation (month), year_text);
    }
  else if (unit == UNIT_MONTH)
    context = format_year (year);

  pill_layout = create_pill_layout (self);
  get_pill_rect (self, g, pill_layout, &pill);
  draw_ticks (self, snapshot, g, layout, ticks, context, &pill, fg);
}

static void
draw_bar (ChronoTimeline *self,
          GtkSnapshot    *snapshot,
          const Geometry *g,
          const Item     *item,
          float           y,
          float           height,
          const GdkRGBA  *color,
          const GdkRGBA  *fg)
{
  double strength = get_item_strength (self, item);
  double alpha = 0.4 + 0.6 * strength;
  GdkRGBA solid = with_alpha (color, alpha);
  double a = day_to_x (self, g, item->start_lo);
  double b = day_to_x (self, g, item->start_hi);
  double c = day_to_x (self, g, item->end_lo + 1.0);
  double d = day_to_x (self, g, item->end_hi + 1.0);
  graphene_rect_t bounds;

  /* Bands that overlap (a date known to a month, say) meet in the middle. */
  if (b > c)
    b = c = (b + c) / 2;

  if (d - a < 3)
    {
      /* A single day, or too short to show as a bar: a tick, with a halo
       * while it is in effect or in its afterglow. */
      double mid = (a + d) / 2;

      if (mid < -4 || mid > g->width + 4)
        return;

      if (strength > 0)
        {
          GdkRGBA halo = with_alpha (color, 0.3 * strength);
          append_rounded (snapshot, &GRAPHENE_RECT_INIT (mid - 3.5, y - 1, 7, height + 2), 3, &halo);
        }
      bounds = GRAPHENE_RECT_INIT (mid - 1.5, y, 3, height);
      append_rounded (snapshot, &bounds, 1.5, &solid);
    }
  else
    {
      GskRoundedRect clip;
      double left = MAX (a, -4.0), right = MIN (d, g->width + 4.0);

      if (right <= left)
        return;

      bounds = GRAPHENE_RECT_INIT (left, y, right - left, height);
      gsk_rounded_rect_init_from_rect (&clip, &bounds, MIN (2.f, height / 2));
      gtk_snapshot_push_rounded_clip (snapshot, &clip);

      if (b - a >= 1 && b > -4 && a < g->width + 4)
        append_uncertain (snapshot, a, MAX (a, -8.0), MIN (b, g->width + 8.0), y, height, color, alpha);
      else
        b = a;

      if (d - c >= 1 && d > -4 && c < g->width + 4)
        append_uncertain (snapshot, a, MAX (c, -8.0), MIN (d, g->width + 8.0), y, height, color, alpha);
      else
        c = d;

      left = MAX (b, -4.0);
      right = MIN (c, g->width + 4.0);
      if (right > left)
        gtk_snapshot_append_color (snapshot, &solid, &GRAPHENE_RECT_INIT (left, y, right - left, height));

      gtk_snapshot_pop (snapshot);
    }

  if (item->rowid == self->selected)
    {
      GskRoundedRect outline;

      graphene_rect_inset (&bounds, -2, -2);
      gsk_rounded_rect_init_from_rect (&outline, &bounds, 3);
      gtk_snapshot_append_border (snapshot, &outline,
                                  (float[4]) { 1.5f, 1.5f, 1.5f, 1.5f },
                                  (GdkRGBA[4]) { *fg, *fg, *fg, *fg });
    }
}

static void
draw_aggregate (ChronoTimeline *self,
                GtkSnapshot    *snapshot,
                const Geometry *g,
                const GdkRGBA  *fg,
                const GdkRGBA  *accent)
{
  guint n_columns = MAX (1, (guint) ceilf (g->width / 2));
  g_autofree guint *counts = g_new0 (guint, n_columns);
  ChronoDay from = (ChronoDay) floor (self->view_start);
  ChronoDay to = from + MAX (1, (ChronoDay) ceil (self->view_span));
  GdkRGBA bar = with_alpha (fg, 0.35);
  GdkRGBA current = with_alpha (accent, 0.8);
  guint max = 0;

  chrono_time_index_histogram (self->index, from, to, n_columns, counts);
  for (guint i = 0; i < n_columns; i++)
    max = MAX (max, counts[i]);

  for (guint i = 0; i < n_columns && max > 0; i++)
    {
      float x = (float) day_to_x (self, g, from + (double) i * (to - from) / n_columns);
      float w = (float) (g->width / n_columns * ((double) (to - from) / self->view_span));
      float h;
      double col_from = from + (double) i * (to - from) / n_columns;
      double col_to = from + (double) (i + 1) * (to - from) / n_columns;
      gboolean at_cursor = self->day + 1 > col_from && self->day < col_to;

      if (counts[i] == 0)
        continue;
      h = MAX (1.f, g->lanes_height * sqrtf ((float) counts[i] / max));
      gtk_snapshot_append_color (snapshot, at_cursor ? &current : &bar,
                                 &GRAPHENE_RECT_INIT (x, g->lanes_y + g->lanes_height - h, MAX (1.f, w - 0.5f), h));
    }
}

/* Returns: (transfer full) (nullable): the event of @item, with its texts */
static ChronoEvent *
load_event (ChronoTimeline *self,
            const Item     *item)
{
  return self->load_event != NULL ? self->load_event (item->rowid, self->load_data) : NULL;
}

/* An event's title into @layout, cut at a length a line can show: a
 * dataset's title can be megabytes long */
static void
set_title_text (PangoLayout *layout,
                ChronoEvent *event)
{
  if (event == NULL)
    {
      pango_layout_set_text (layout, "", -1);
      return;
    }

  g_autofree char *title = chrono_text_for_display (chrono_event_get_title (event), CHRONO_DISPLAY_NAME_CHARS);

  pango_layout_set_text (layout, title != NULL ? title : "", -1);
}

/* A layout for titles in the widget's font at @scale of its size: the
 * axis labels' size on compact lanes, the full size on titled ones. */
static PangoLayout *
create_title_layout (ChronoTimeline *self,
                     double          scale)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);

  if (scale != 1.0)
    {
      PangoFontDescription *font;

      font = pango_font_description_copy (pango_context_get_font_description (pango_layout_get_context (layout)));
      pango_font_description_set_size (font, pango_font_description_get_size (font) * scale);
      pango_layout_set_font_description (layout, font);
      pango_font_description_free (font);
    }
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (layout, TRUE);

  return layout;
}

/* Where the bar of @item is drawn, in pixels. */
static void
get_bar_extent (ChronoTimeline *self,
                const Geometry *g,
                const Item     *item,
                double         *left,
                double         *right)
{
  double a = day_to_x (self, g, item->start_lo);
  double d = day_to_x (self, g, item->end_hi + 1.0);

  if (d - a < 3)
    {
      a = (a + d) / 2 - 1.5;
      d = a + 3;
    }

  *left = a;
  *right = d;
}

static gboolean
has_inner_title (ChronoTimeline *self,
                 const Geometry *g,
                 const Item     *item)
{
  double a, d;

  get_bar_extent (self, g, item, &a, &d);
  return MIN (d, g->width) - MAX (a, 0) - 8 >= MIN_TITLE_WIDTH;
}

/* Draws the title of @item in [@x0, @x1), ellipsized, centred on a bar at
 * @y of @height, when there is room for a few letters; the frame keeps
 * where, for tests. A @plate of the bar's colour under light letters keeps
 * them clear of the stripes of uncertain dates. */
static void
draw_title (ChronoTimeline *self,
            GtkSnapshot    *snapshot,
            PangoLayout    *layout,
            const Item     *item,
            double          x0,
            double          x1,
            float           y,
            float           height,
            const GdkRGBA  *color,
            const GdkRGBA  *plate)
{
  g_autoptr (ChronoEvent) event = load_event (self, item);
  ChronoTimelineTitle title;
  int text_width, text_height;

  x0 = round (x0);
  if (x1 - x0 < MIN_TITLE_ROOM)
    return;

  set_title_text (layout, event);
  pango_layout_set_width (layout, (int) ((x1 - x0) * PANGO_SCALE));
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  if (text_width == 0)
    return;

  title.rowid = item->rowid;
  title.bounds = GRAPHENE_RECT_INIT ((float) x0, roundf (y + (height - text_height) / 2), text_width, text_height);
  if (plate != NULL)
    append_rounded (snapshot, &GRAPHENE_RECT_INIT (title.bounds.origin.x - 3, MAX (y + 1, title.bounds.origin.y),
                                                   text_width + 6, MIN (height - 2, text_height)),
                    3, plate);
  append_layout_at (snapshot, layout, title.bounds.origin.x, title.bounds.origin.y, color);
  g_array_append_val (self->frame_titles, title);
}

/* A title inside its bar: light on the bar's colour, on a plate of it;
 * bars out of effect are pale, and dark text reads better on them. */
static void
draw_inner_title_in (ChronoTimeline *self,
                     GtkSnapshot    *snapshot,
                     PangoLayout    *layout,
                     const Item     *item,
                     double          x0,
                     double          x1,
                     float           y,
                     float           height,
                     const GdkRGBA  *color,
                     const GdkRGBA  *fg)
{
  double strength = get_item_strength (self, item);
  GdkRGBA white = { 1, 1, 1, 1 };
  GdkRGBA faded = with_alpha (fg, 0.85);
  GdkRGBA plate = with_alpha (color, 0.4 + 0.6 * strength);

  if (strength > 0)
    draw_title (self, snapshot, layout, item, x0, x1, y, height, &white, &plate);
  else
    draw_title (self, snapshot, layout, item, x0, x1, y, height, &faded, NULL);
}

/* The title inside a bar tall and wide enough for it, on compact lanes. */
static void
draw_inner_title (ChronoTimeline *self,
                  GtkSnapshot    *snapshot,
                  const Geometry *g,
                  PangoLayout    *layout,
                  const Item     *item,
                  float           y,
                  float           height,
                  const GdkRGBA  *color,
                  const GdkRGBA  *fg)
{
  double a, d;

  if (!has_inner_title (self, g, item))
    return;

  get_bar_extent (self, g, item, &a, &d);
  draw_inner_title_in (self, snapshot, layout, item, MAX (a, 0) + 4, MIN (d, g->width) - 4, y, height, color, fg);
}

/* Title widths are measured once per event and font: titled lanes are
 * packed by them on every frame. */
static void
ensure_title_widths (ChronoTimeline *self,
                     PangoLayout    *layout)
{
  const PangoFontDescription *font = pango_context_get_font_description (pango_layout_get_context (layout));

  if (self->title_widths != NULL && pango_font_description_equal (font, self->title_font))
    return;

  g_clear_pointer (&self->title_font, pango_font_description_free);
  g_free (self->title_widths);
  self->title_font = pango_font_description_copy (font);
  self->title_widths = g_new (float, MAX (1, self->n_items));
  for (gsize i = 0; i < self->n_items; i++)
    self->title_widths[i] = -1;
}

static float
get_title_width (ChronoTimeline *self,
                 PangoLayout    *layout,
                 guint           index)
{
  if (self->title_widths[index] < 0)
    {
      g_autoptr (ChronoEvent) event = load_event (self, &self->items[index]);
      int width;

      pango_layout_set_width (layout, -1);
      set_title_text (layout, event);
      pango_layout_get_pixel_size (layout, &width, NULL);
      self->title_widths[index] = width;
    }

  return self->title_widths[index];
}

/* A title goes inside a bar that holds it, or enough of it to read; else
 * to the right of the bar. Returns where the bar and its title end. */
static double
place_title (double      left,
             double      right,
             float       title_width,
             TitlePlace *place)
{
  if (right - left - 2 * TITLE_PAD >= MIN (title_width, MIN_INSIDE_WIDTH))
    {
      *place = TITLE_INSIDE;
      return right;
    }

  *place = TITLE_BESIDE;
  return right + TITLE_GAP + MIN (title_width, MAX_BESIDE_WIDTH);
}

/* Packs the frame's items on lanes, where each title has its room with
 * @reserve, as TimelineJS does, else by their bars only (titles then take
 * what room there is up to the next bar), and says whether those lanes fit
 * the area at a height that holds a line of the widget's font. The lanes
 * are readable up to that line and some air, and share out the area
 * evenly below that. Fills frame_lanes, and @starts and @places for the
 * titles. */
static gboolean
pack_titled_lanes (ChronoTimeline *self,
                   const Geometry *g,
                   PangoLayout    *layout,
                   int             text_height,
                   gboolean        reserve,
                   double         *starts,
                   guint8         *places,
                   guint          *out_n_lanes,
                   float          *out_pitch)
{
  guint n = self->frame_items->len;
  float min_pitch = text_height + LANE_GAP;
  guint max_lanes = (guint) floorf (g->lanes_height / min_pitch);
  g_autofree double *ends = NULL;
  guint n_lanes;

  /* Every title needs a few letters' room in one of the lanes: past that
   * many events, measuring them would be in vain. */
  if (n == 0 || max_lanes == 0 || n > max_lanes * g->width / MIN_TITLE_ROOM)
    return FALSE;

  ensure_title_widths (self, layout);
  ends = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      guint index = g_array_index (self->frame_items, guint, i);
      double left, right;
      TitlePlace place;

      get_bar_extent (self, g, &self->items[index], &left, &right);
      /* Starts keep the items' order and clear a tick's halo. */
      starts[i] = day_to_x (self, g, self->items[index].start_lo) - 4;
      ends[i] = place_title (left, right, get_title_width (self, layout, index), &place);
      if (!reserve)
        ends[i] = right;
      /* A tick's halo reaches 2 px past it. */
      ends[i] = MAX (ends[i], right + 2) + BAR_SPACING;
      places[i] = place;
    }

  g_array_set_size (self->frame_lanes, n);
  n_lanes = pack_lanes (starts, ends, n, (guint *) (void *) self->frame_lanes->data);
  if (n_lanes > max_lanes)
    {
      g_array_set_size (self->frame_lanes, 0);
      return FALSE;
    }

  *out_n_lanes = n_lanes;
  *out_pitch = MIN (text_height + 8 + LANE_GAP, floorf (g->lanes_height / n_lanes));
  return TRUE;
}

/* Titles on titled lanes: inside their bars, or right of them up to the
 * next bar of the lane. */
static void
draw_lane_titles (ChronoTimeline *self,
                  GtkSnapshot    *snapshot,
                  const Geometry *g,
                  PangoLayout    *layout,
                  const double   *starts,
                  const guint8   *places,
                  guint           n_lanes,
                  float           pitch,
                  float           bar_height,
                  const GdkRGBA  *palette,
                  const GdkRGBA  *fg)
{
  guint n = self->frame_items->len;
  g_autofree guint *next = g_new (guint, MAX (1, n));
  g_autofree guint *last = g_new (guint, MAX (1, n_lanes));
  GdkRGBA beside[2] = { with_alpha (fg, 0.7), with_alpha (fg, 0.95) };

  for (guint lane = 0; lane < n_lanes; lane++)
    last[lane] = G_MAXUINT;
  for (guint i = 0; i < n; i++)
    {
      guint lane = g_array_index (self->frame_lanes, guint, i);

      if (last[lane] != G_MAXUINT)
        next[last[lane]] = i;
      last[lane] = i;
      next[i] = G_MAXUINT;
    }

  for (guint i = 0; i < n; i++)
    {
      const Item *item = &self->items[g_array_index (self->frame_items, guint, i)];
      guint lane = g_array_index (self->frame_lanes, guint, i);
      float y = roundf (g->lanes_y + lane * pitch);
      float height = roundf (g->lanes_y + lane * pitch + bar_height) - y;
      double left, right, x1;

      get_bar_extent (self, g, item, &left, &right);
      if (places[i] == TITLE_INSIDE)
        {
          draw_inner_title_in (self, snapshot, layout, item, MAX (left, 0) + TITLE_PAD, MIN (right, g->width) - TITLE_PAD,
                               y, height, &palette[item->category], fg);
          continue;
        }

      x1 = next[i] != G_MAXUINT ? starts[next[i]] : g->width;
      if (right + TITLE_GAP >= g->width || x1 <= 0 ||
          right + TITLE_GAP + get_title_width (self, layout, g_array_index (self->frame_items, guint, i)) <= 0)
        continue;
      draw_title (self, snapshot, layout, item, right + TITLE_GAP, MIN (x1, g->width), y, height,
                  &beside[get_item_strength (self, item) > 0], NULL);
    }
}

/* The title of the selected or hovered event in a tag of its colour, next
 * to its bar where there is room, over the lanes around it. */
static void
draw_title_tag (ChronoTimeline *self,
                GtkSnapshot    *snapshot,
                const Geometry *g,
                PangoLayout    *layout,
                const Item     *item,
                float           y,
                float           height,
                const GdkRGBA  *color,
                const GdkRGBA  *fg)
{
  g_autoptr (ChronoEvent) event = load_event (self, item);
  GdkRGBA white = { 1, 1, 1, 1 };
  graphene_rect_t tag;
  double a, d, x;
  int text_width, text_height;
  float tag_width, tag_height;

  set_title_text (layout, event);
  pango_layout_set_width (layout, (int) (MIN (MAX_TAG_WIDTH, g->width / 2) * PANGO_SCALE));
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  tag_width = text_width + 12;
  tag_height = text_height + 2;

  get_bar_extent (self, g, item, &a, &d);
  if (d + 4 + tag_width <= g->width && d >= 0)
    x = d + 4;
  else if (a - 4 - tag_width >= 0 && a <= g->width)
    x = a - 4 - tag_width;
  else
    x = CLAMP (MAX (a, 0) + 4, 0, MAX (0, g->width - tag_width));

  tag = GRAPHENE_RECT_INIT (roundf (x), roundf (CLAMP (y + height / 2 - tag_height / 2, g->lanes_y - 2, g->axis_y - tag_height)),
                            tag_width, tag_height);
  append_rounded (snapshot, &tag, 4, color);
  if (item->rowid == self->selected)
    {
      GskRoundedRect outline;

      gsk_rounded_rect_init_from_rect (&outline, &tag, 4);
      gtk_snapshot_append_border (snapshot, &outline,
                                  (float[4]) { 1, 1, 1, 1 },
                                  (GdkRGBA[4]) { *fg, *fg, *fg, *fg });
    }
  append_layout_at (snapshot, layout, tag.origin.x + 6, tag.origin.y + 1, &white);
}

static void
draw_events (ChronoTimeline *self,
             GtkSnapshot    *snapshot,
             const Geometry *g,
             const GdkRGBA  *fg,
             const GdkRGBA  *accent)
{
  ChronoDay from = (ChronoDay) floor (self->view_start);
  ChronoDay to = (ChronoDay) ceil (self->view_start + self->view_span) + 1;
  GdkRGBA palette[N_CATEGORIES];
  gsize begin, end;
  guint n_lanes, n_visible, first_lane;
  float pitch, bar_height;
  g_autoptr (PangoLayout) title_layout = NULL;
  g_autofree double *starts = NULL;
  g_autofree guint8 *places = NULL;
  int text_height;
  gboolean titled, inner_titles;
  const Item *selected = NULL, *hovered = NULL;
  gboolean selected_inside = FALSE, hovered_inside = FALSE;
  guint n_hidden = 0;
  float selected_y = 0, selected_height = 0, hovered_y = 0, hovered_height = 0;

  g_array_set_size (self->frame_items, 0);
  g_array_set_size (self->frame_lanes, 0);
  g_array_set_size (self->frame_titles, 0);
  self->frame_mode = MODE_EMPTY;
  self->frame_more = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  self->frame_n_hidden = 0;

  if (self->n_items == 0 || g->lanes_height < MIN_LANE_PITCH)
    return;

  get_candidates (self, from, to, &begin, &end);
  if (end - begin > g->width * MAX_BARS_PER_COLUMN)
    {
      self->frame_mode = MODE_AGGREGATE;
      draw_aggregate (self, snapshot, g, fg, accent);
      return;
    }

  for (gsize i = begin; i < end; i++)
    if (self->items[i].end_hi >= from)
      {
        guint index = i;
        g_array_append_val (self->frame_items, index);
      }

  /* With few enough events that every title has its room, or zoomed in
   * far enough that some have, lanes grow and titles show in the
   * widget's font; zoomed out, or when those lanes would not fit, they
   * stay compact. */
  title_layout = create_title_layout (self, 1.0);
  pango_layout_get_pixel_size (title_layout, NULL, &text_height);
  starts = g_new (double, MAX (1, self->frame_items->len));
  places = g_new (guint8, MAX (1, self->frame_items->len));
  titled = pack_titled_lanes (self, g, title_layout, text_height, TRUE, starts, places, &n_lanes, &pitch) ||
           (pixels_per_day (self, g) >= MIN_TITLED_PIXELS_PER_DAY &&
            pack_titled_lanes (self, g, title_layout, text_height, FALSE, starts, places, &n_lanes, &pitch));

  if (!titled)
    {
      g_clear_object (&title_layout);
      title_layout = create_title_layout (self, 0.85);
      pango_layout_get_pixel_size (title_layout, NULL, &text_height);

      /* The dataset's own lanes keep bars still while panning; when they do
       * not fit, pack just what is visible by the pixels it takes, so short
       * events at different times share a lane even when their uncertain
       * dates would not. */
      pitch = g->lanes_height / MAX (1, self->n_lanes);
      if (pitch >= MIN_LANE_PITCH)
        {
          n_lanes = self->n_lanes;
          for (guint i = 0; i < self->frame_items->len; i++)
            g_array_append_val (self->frame_lanes, self->items[g_array_index (self->frame_items, guint, i)].lane);
        }
      else
        {
          guint n = self->frame_items->len;
          g_autofree double *ends = g_new (double, MAX (1, n));

          for (guint i = 0; i < n; i++)
            {
              const Item *item = &self->items[g_array_index (self->frame_items, guint, i)];
              double a = day_to_x (self, g, item->start_lo);
              double d = day_to_x (self, g, item->end_hi + 1.0);

              /* Starts keep the items' order; a tick and its halo reach 4 px
               * either side of its middle. */
              starts[i] = a - 4;
              ends[i] = MAX (d, (a + d) / 2 + 4) + BAR_SPACING;
            }

          g_array_set_size (self->frame_lanes, n);
          n_lanes = pack_lanes (starts, ends, n, (guint *) (void *) self->frame_lanes->data);
          if (n_lanes > MAX_SCROLL_LANES)
            {
              g_array_set_size (self->frame_items, 0);
              g_array_set_size (self->frame_lanes, 0);
              self->frame_mode = MODE_AGGREGATE;
              draw_aggregate (self, snapshot, g, fg, accent);
              return;
            }
          pitch = g->lanes_height / MAX (1, n_lanes);
        }

      /* Compact lanes grow up to the height of a small title inside the bar. */
      pitch = CLAMP (pitch, MIN_LANE_PITCH, MAX (MAX_LANE_PITCH, text_height + LANE_GAP));
    }

  /* A pitch that divides the area evenly must not lose a lane to rounding. */
  n_visible = MAX (1, (guint) floorf (g->lanes_height / pitch + 0.001f));
  bar_height = pitch - LANE_GAP;
  self->frame_mode = MODE_LANES;
  self->frame_pitch = pitch;
  self->frame_n_lanes = n_lanes;
  self->frame_visible_lanes = MIN (n_visible, n_lanes);

  /* Lanes that do not fit scroll; the selected event comes into view. */
  if (self->reveal_selected && self->selected >= 0)
    for (guint i = 0; i < self->frame_items->len; i++)
      if (self->items[g_array_index (self->frame_items, guint, i)].rowid == self->selected)
        {
          guint lane = g_array_index (self->frame_lanes, guint, i);

          if (lane < self->lane_offset)
            self->lane_offset = lane;
          else if (lane >= self->lane_offset + n_visible)
            self->lane_offset = lane + 1 - n_visible;
          self->reveal_selected = FALSE;
          break;
        }
  self->lane_offset = CLAMP (self->lane_offset, 0, n_lanes > n_visible ? n_lanes - n_visible : 0);
  first_lane = (guint) round (self->lane_offset);

  for (guint i = 0; i < self->categories->len; i++)
    {
      const char *name = g_ptr_array_index (self->categories, i);

      palette[i] = *chrono_event_layer_get_category_color (name[0] != '\0' ? name : NULL);
    }

  inner_titles = !titled && bar_height >= text_height;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, g->lanes_y - 3, g->width, n_visible * pitch + 3));

  for (guint i = 0; i < self->frame_items->len; i++)
    {
      const Item *item = &self->items[g_array_index (self->frame_items, guint, i)];
      guint lane = g_array_index (self->frame_lanes, guint, i);
      gboolean inside;
      float y, height;

      if (lane < first_lane || lane >= first_lane + n_visible)
        {
          n_hidden++;
          continue;
        }

      y = roundf (g->lanes_y + (lane - first_lane) * pitch);
      height = roundf (g->lanes_y + (lane - first_lane) * pitch + bar_height) - y;
      draw_bar (self, snapshot, g, item, y, height, &palette[item->category], fg);

      if (titled)
        inside = places[i] == TITLE_INSIDE;
      else
        inside = inner_titles && has_inner_title (self, g, item);
      if (inside && !titled)
        draw_inner_title (self, snapshot, g, title_layout, item, y, height, &palette[item->category], fg);

      if (item->rowid == self->selected)
        {
          selected = item;
          selected_y = y;
          selected_height = height;
          selected_inside = inside;
        }
      if (item->rowid == self->hovered)
        {
          hovered = item;
          hovered_y = y;
          hovered_height = height;
          hovered_inside = inside;
        }
    }

  /* Titled lanes all fit: none is scrolled away. */
  if (titled)
    draw_lane_titles (self, snapshot, g, title_layout, starts, places, n_lanes, pitch, bar_height, palette, fg);

  gtk_snapshot_pop (snapshot);

  /* Titles that do not fit their bars show on tags, the hovered one on top. */
  if (selected != NULL && !selected_inside)
    draw_title_tag (self, snapshot, g, title_layout, selected, selected_y, selected_height,
                    &palette[selected->category], fg);
  if (hovered != NULL && hovered != selected && !hovered_inside)
    draw_title_tag (self, snapshot, g, title_layout, hovered, hovered_y, hovered_height,
                    &palette[hovered->category], fg);

  /* A scroll bar tells that there is more above or below. */
  if (n_lanes > n_visible)
    {
      float track_height = n_visible * pitch - LANE_GAP;
      float thumb_height = MAX (6.f, track_height * n_visible / n_lanes);
      float thumb_y = (track_height - thumb_height) * first_lane / (n_lanes - n_visible);
      GdkRGBA track = with_alpha (fg, 0.1);
      GdkRGBA thumb = with_alpha (fg, 0.55);

      append_rounded (snapshot, &GRAPHENE_RECT_INIT (g->width - 6, g->lanes_y, 4, track_height), 2, &track);
      append_rounded (snapshot, &GRAPHENE_RECT_INIT (g->width - 6, g->lanes_y + thumb_y, 4, thumb_height), 2, &thumb);
    }

  /* And a badge how many bars are out of view; a click on it pages on. */
  self->frame_n_hidden = n_hidden;
  if (n_hidden > 0)
    {
      /* Translators: on the timeline, how many events' bars are scrolled out of view, e.g. "+12" */
      g_autofree char *text = g_strdup_printf (C_("timeline", "+%u"), n_hidden);
      GdkRGBA white = { 1, 1, 1, 1 };
      int text_width, badge_text_height;

      pango_layout_set_width (title_layout, -1);
      pango_layout_set_text (title_layout, text, -1);
      pango_layout_get_pixel_size (title_layout, &text_width, &badge_text_height);
      self->frame_more = GRAPHENE_RECT_INIT (g->width - 12 - (text_width + 10),
                                             g->lanes_y + n_visible * pitch - badge_text_height - 2,
                                             text_width + 10, badge_text_height + 2);
      append_rounded (snapshot, &self->frame_more, self->frame_more.size.height / 2, accent);
      append_layout_at (snapshot, title_layout, self->frame_more.origin.x + 5, self->frame_more.origin.y + 1, &white);
    }
}

static void
draw_cursor (ChronoTimeline *self,
             GtkSnapshot    *snapshot,
             const Geometry *g,
             const GdkRGBA  *accent)
{
  g_autoptr (PangoLayout) layout = create_pill_layout (self);
  GdkRGBA white = { 1, 1, 1, 1 };
  GdkRGBA band = with_alpha (accent, 0.15);
  graphene_rect_t pill;
  double x0 = day_to_x (self, g, self->day);
  double x1 = day_to_x (self, g, self->day + 1.0);
  double x = round ((x0 + x1) / 2);

  if (x1 < 0 || x0 > g->width)
    return;

  if (x1 - x0 >= 4)
    gtk_snapshot_append_color (snapshot, &band, &GRAPHENE_RECT_INIT (x0, g->lanes_y - 2, x1 - x0, g->axis_y - g->lanes_y + 2));

  get_pill_rect (self, g, layout, &pill);
  gtk_snapshot_append_color (snapshot, accent,
                             &GRAPHENE_RECT_INIT (x - 1, g->lanes_y - 2, 2, pill.origin.y - (g->lanes_y - 2)));
  append_rounded (snapshot, &pill, pill.size.height / 2, accent);
  append_layout_at (snapshot, layout, pill.origin.x + 8, pill.origin.y + 2, &white);
}

/* Event handlers */

static gboolean
hit_handle (ChronoTimeline *self,
            double          x,
            double          y)
{
  g_autoptr (PangoLayout) layout = create_pill_layout (self);
  graphene_rect_t pill;
  Geometry g;
  double cx;

  get_geometry (self, &g);
  get_pill_rect (self, &g, layout, &pill);
  graphene_rect_inset (&pill, -4, -4);
  if (graphene_rect_contains_point (&pill, &GRAPHENE_POINT_INIT (x, y)))
    return TRUE;

  cx = day_to_x (self, &g, self->day + 0.5);
  return fabs (x - cx) <= 5 && y >= g.lanes_y - 2 && y <= g.pill_y;
}

/* The item drawn under (x, y) in the last frame, by its bar or its title, or NULL. */
static const Item *
pick_item (ChronoTimeline *self,
           double          x,
           double          y)
{
  Geometry g;
  double day;
  guint lane;

  if (self->frame_mode != MODE_LANES)
    return NULL;

  get_geometry (self, &g);
  if (y < g.lanes_y)
    return NULL;
  lane = (guint) ((y - g.lanes_y) / self->frame_pitch);
  if (lane >= self->frame_visible_lanes)
    return NULL;
  lane += (guint) round (self->lane_offset);
  day = x_to_day (self, &g, x);

  for (guint i = 0; i < self->frame_items->len; i++)
    {
      const Item *item = &self->items[g_array_index (self->frame_items, guint, i)];
      double a = day_to_x (self, &g, item->start_lo);
      double d = day_to_x (self, &g, item->end_hi + 1.0);
      gboolean hit;

      if (g_array_index (self->frame_lanes, guint, i) != lane)
        continue;
      if (d - a < 3)
        hit = fabs ((a + d) / 2 - x) <= 3;
      else
        hit = day >= item->start_lo && day < item->end_hi + 1.0;
      if (hit)
        return item;
    }

  /* A title next to its bar stands for it too. */
  for (guint i = 0; i < self->frame_titles->len; i++)
    {
      const ChronoTimelineTitle *title = &g_array_index (self->frame_titles, ChronoTimelineTitle, i);

      if (!graphene_rect_contains_point (&title->bounds, &GRAPHENE_POINT_INIT (x, y)))
        continue;
      for (guint j = 0; j < self->frame_items->len; j++)
        {
          const Item *item = &self->items[g_array_index (self->frame_items, guint, j)];

          if (item->rowid == title->rowid)
            return item;
        }
    }

  return NULL;
}

static gboolean
hit_more (ChronoTimeline *self,
          double          x,
          double          y)
{
  return self->frame_mode == MODE_LANES && self->frame_n_hidden > 0 &&
         graphene_rect_contains_point (&self->frame_more, &GRAPHENE_POINT_INIT (x, y));
}

/* The next lanes out of view, after the last ones the first. */
static void
page_lanes (ChronoTimeline *self)
{
  double max_offset = self->frame_n_lanes - MIN (self->frame_n_lanes, self->frame_visible_lanes);

  if (round (self->lane_offset) >= max_offset)
    self->lane_offset = 0;
  else
    self->lane_offset = MIN (round (self->lane_offset) + self->frame_visible_lanes, max_offset);
  self->reveal_selected = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_day_from_x (ChronoTimeline *self,
                double          x)
{
  Geometry g;

  get_geometry (self, &g);
  x = CLAMP (x, 0, MAX (0, g.width - 1));
  chrono_timeline_set_day (self, (ChronoDay) floor (x_to_day (self, &g, x)));
}

static void
center_view_from_strip (ChronoTimeline *self,
                        double          x)
{
  ChronoDay from, to;
  Geometry g;
  float x0 = get_overview_x (self);

  if (!self->have_extent)
    return;

  get_geometry (self, &g);
  get_density_range (self, &from, &to);

  /* The ellipsis leads to the earliest events. */
  if (x < x0)
    {
      set_view (self, self->first - self->view_span * 0.05, self->view_span);
      return;
    }

  set_view (self, from + (x - x0) / MAX (1, g.width - x0) * (to - from) - self->view_span / 2, self->view_span);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               ChronoTimeline *self)
{
  Geometry g;

  get_geometry (self, &g);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_x = x;
  self->drag_view_start = self->view_start;

  if (y < g.strip_y + STRIP_HEIGHT + ROW_GAP / 2)
    {
      self->drag_mode = DRAG_NAVIGATE;
      center_view_from_strip (self, x);
    }
  else if (hit_handle (self, x, y))
    self->drag_mode = DRAG_SCRUB;
  else
    self->drag_mode = DRAG_PENDING;
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                ChronoTimeline *self)
{
  Geometry g;

  get_geometry (self, &g);
  switch (self->drag_mode)
    {
    case DRAG_PENDING:
      if (!gtk_drag_check_threshold (GTK_WIDGET (self), 0, 0, (int) dx, (int) dy))
        break;
      self->drag_mode = DRAG_PAN;
      G_GNUC_FALLTHROUGH;

    case DRAG_PAN:
      set_view (self, self->drag_view_start - dx / pixels_per_day (self, &g), self->view_span);
      break;

    case DRAG_SCRUB:
      set_day_from_x (self, self->drag_x + dx);
      break;

    case DRAG_NAVIGATE:
      center_view_from_strip (self, self->drag_x + dx);
      break;

    case DRAG_NONE:
    default:
      break;
    }
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             ChronoTimeline *self)
{
  if (self->drag_mode == DRAG_PENDING)
    {
      double y0;
      const Item *item;

      gtk_gesture_drag_get_start_point (gesture, NULL, &y0);
      if (hit_more (self, self->drag_x, y0))
        {
          page_lanes (self);
          self->drag_mode = DRAG_NONE;
          return;
        }

      item = pick_item (self, self->drag_x, y0);
      set_day_from_x (self, self->drag_x);
      chrono_timeline_set_selected_event (self, item != NULL ? item->rowid : -1);
    }

  self->drag_mode = DRAG_NONE;
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           ChronoTimeline           *self)
{
  gboolean wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  Geometry g;

  get_geometry (self, &g);
  if (g.width <= 0)
    return GDK_EVENT_PROPAGATE;

  /* Over lanes that overflow their area, Shift and the wheel scroll them. */
  if ((state & GDK_SHIFT_MASK) && dy != 0 && self->frame_mode == MODE_LANES &&
      self->frame_n_lanes > self->frame_visible_lanes &&
      self->pointer_y >= g.lanes_y && self->pointer_y < g.axis_y)
    {
      double max_offset = self->frame_n_lanes - self->frame_visible_lanes;

      self->lane_offset = CLAMP (self->lane_offset + (wheel ? 2 * dy : dy / self->frame_pitch), 0, max_offset);
      self->reveal_selected = FALSE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return GDK_EVENT_STOP;
    }

  /* Shift turns a wheel into horizontal panning, as in other GNOME views. */
  if (state & GDK_SHIFT_MASK)
    {
      dx += dy;
      dy = 0;
    }

  if (dx != 0)
    set_view (self, self->view_start + (wheel ? dx * g.width / 10 : dx) / pixels_per_day (self, &g),
              self->view_span);
  if (dy != 0)
    zoom_around (self, pow (wheel ? 1.25 : 1.01, dy), self->pointer_x);

  return GDK_EVENT_STOP;
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           ChronoTimeline           *self)
{
  const Item *item;
  gint64 hovered;

  self->pointer_x = x;
  self->pointer_y = y;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), hit_handle (self, x, y) ? "col-resize" :
                                                      hit_more (self, x, y) ? "pointer" : NULL);

  /* The bar under the pointer shows its title. */
  item = pick_item (self, x, y);
  hovered = item != NULL ? item->rowid : -1;
  if (hovered != self->hovered)
    {
      self->hovered = hovered;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_leave (GtkEventControllerMotion *controller,
          ChronoTimeline           *self)
{
  if (self->hovered != -1)
    {
      self->hovered = -1;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_zoom_begin (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               ChronoTimeline   *self)
{
  Geometry g;
  double x, y;

  get_geometry (self, &g);
  if (!gtk_gesture_get_bounding_box_center (gesture, &x, &y))
    x = g.width / 2;
  self->zoom_span = self->view_span;
  self->zoom_x = x;
  self->zoom_day = x_to_day (self, &g, x);
}

static void
on_zoom_scale_changed (GtkGestureZoom *gesture,
                       double          scale,
                       ChronoTimeline *self)
{
  Geometry g;
  double span;

  get_geometry (self, &g);
  if (scale <= 0 || g.width <= 0)
    return;

  span = CLAMP (self->zoom_span / scale, MIN_SPAN, get_max_span (self));
  set_view (self, self->zoom_day - self->zoom_x / g.width * span, span);
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  ChronoTimeline *self = CHRONO_TIMELINE (widget);
  gint64 now = gdk_frame_clock_get_frame_time (frame_clock);
  static const double days_per_second[] = {
    [CHRONO_TIMELINE_SPEED_DAYS] = 1,
    [CHRONO_TIMELINE_SPEED_WEEKS] = 7,
    [CHRONO_TIMELINE_SPEED_MONTHS] = DAYS_PER_MONTH,
  };
  double position;

  if (self->last_frame_time == 0)
    {
      self->last_frame_time = now;
      self->play_position = self->day;
      return G_SOURCE_CONTINUE;
    }

  position = self->play_position + (now - self->last_frame_time) / (double) G_USEC_PER_SEC * days_per_second[self->speed];
  self->last_frame_time = now;

  if (!self->have_extent || position >= self->last)
    {
      if (self->have_extent)
        chrono_timeline_set_day (self, self->last);
      self->tick_id = 0;
      chrono_timeline_set_playing (self, FALSE);
      return G_SOURCE_REMOVE;
    }

  chrono_timeline_set_day (self, (ChronoDay) floor (position));
  self->play_position = position;

  return G_SOURCE_CONTINUE;
}

static gboolean
query_tooltip (GtkWidget  *widget,
               int         x,
               int         y,
               gboolean    keyboard_mode,
               GtkTooltip *tooltip)
{
  ChronoTimeline *self = CHRONO_TIMELINE (widget);
  const Item *item;
  g_autoptr (ChronoEvent) event = NULL;
  g_autofree char *dates = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *title = NULL;

  if (keyboard_mode)
    return FALSE;

  if (hit_more (self, x, y))
    {
      /* Translators: tooltip of the "+N" badge on the timeline when event bars are scrolled out of view */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u more event in this period: click here or scroll with Shift to see it",
                                                            "%u more events in this period: click here or scroll with Shift to see them",
                                                            self->frame_n_hidden),
                                               self->frame_n_hidden);
      gtk_tooltip_set_text (tooltip, text);
      return TRUE;
    }

  item = pick_item (self, x, y);
  if (item == NULL || (event = load_event (self, item)) == NULL)
    return FALSE;

  dates = chrono_format_dates (chrono_event_get_start (event), chrono_event_get_end (event));
  title = chrono_text_for_display (chrono_event_get_title (event), CHRONO_DISPLAY_NAME_CHARS);
  markup = g_markup_printf_escaped ("<b>%s</b>\n%s", title != NULL ? title : "", dates != NULL ? dates : "");
  gtk_tooltip_set_markup (tooltip, markup);

  return TRUE;
}

/* Actions */

static void
step_days (ChronoTimeline *self,
           ChronoDay       n)
{
  chrono_timeline_set_day (self, self->day + n);
}

static void
action_set_day (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  chrono_timeline_set_day (CHRONO_TIMELINE (widget), g_variant_get_int64 (parameter));
}

static void
action_step (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  step_days (CHRONO_TIMELINE (widget), g_variant_get_int32 (parameter));
}

static void
action_step_month (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ChronoTimeline *self = CHRONO_TIMELINE (widget);

  chrono_timeline_set_day (self, add_months (self->day, g_variant_get_int32 (parameter)));
}

static void
action_step_year (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ChronoTimeline *self = CHRONO_TIMELINE (widget);

  chrono_timeline_set_day (self, add_months (self->day, 12 * g_variant_get_int32 (parameter)));
}

static void
action_next_boundary (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  ChronoTimeline *self = CHRONO_TIMELINE (widget);
  ChronoDay boundary;

  if (self->index != NULL && chrono_time_index_next_boundary (self->index, self->day, &boundary))
    chrono_timeline_set_day (self, boundary);
}

static void
action_previous_boundary (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  ChronoTimeline *self = CHRONO_TIMELINE (widget);
  ChronoDay boundary;

  if (self->index != NULL && chrono_time_index_previous_boundary (self->index, self->day, &boundary))
    chrono_timeline_set_day (self, boundary);
}

static void
action_first (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ChronoTimeline *self = CHRONO_TIMELINE (widget);

  if (self->have_extent)
    chrono_timeline_set_day (self, self->first);
}

static void
action_last (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ChronoTimeline *self = CHRONO_TIMELINE (widget);

  if (self->have_extent)
    chrono_timeline_set_day (self, self->last);
}

static void
action_toggle_play (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ChronoTimeline *self = CHRONO_TIMELINE (widget);

  chrono_timeline_set_playing (self, !self->playing);
}

static void
zoom_around_cursor (ChronoTimeline *self,
                    double          factor)
{
  Geometry g;
  double x;

  get_geometry (self, &g);
  x = day_to_x (self, &g, self->day + 0.5);
  if (x < 0 || x > g.width)
    x = g.width / 2;
  zoom_around (self, factor, x);
}

static void
action_zoom_in (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  zoom_around_cursor (CHRONO_TIMELINE (widget), 1 / ZOOM_STEP);
}

static void
action_zoom_out (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  zoom_around_cursor (CHRONO_TIMELINE (widget), ZOOM_STEP);
}

/* GtkWidget */

static void
chrono_timeline_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 120;
      *natural = 640;
    }
  else
    {
      *minimum = 100;
      *natural = 140;
    }
}

static void
chrono_timeline_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  ChronoTimeline *self = CHRONO_TIMELINE (widget);
  GdkRGBA fg, accent;
  Geometry g;

  get_geometry (self, &g);
  if (g.width <= 0 || g.height <= 0)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  gdk_rgba_parse (&accent, ACCENT_COLOR);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, g.width, g.height));

  draw_density (self, snapshot, &g, &fg, &accent);
  draw_axis (self, snapshot, &g, &fg);
  draw_events (self, snapshot, &g, &fg, &accent);
  draw_cursor (self, snapshot, &g, &accent);

  if (gtk_widget_has_visible_focus (widget))
    {
      GskRoundedRect ring;
      GdkRGBA color = with_alpha (&accent, 0.5);

      gsk_rounded_rect_init_from_rect (&ring, &GRAPHENE_RECT_INIT (1, 1, g.width - 2, g.height - 2), 6);
      gtk_snapshot_append_border (snapshot, &ring,
                                  (float[4]) { 2, 2, 2, 2 },
                                  (GdkRGBA[4]) { color, color, color, color });
    }

  gtk_snapshot_pop (snapshot);
}

static void
chrono_timeline_state_flags_changed (GtkWidget     *widget,
                                     GtkStateFlags  previous)
{
  GTK_WIDGET_CLASS (chrono_timeline_parent_class)->state_flags_changed (widget, previous);

  /* The focus ring is ours to draw. */
  if ((gtk_widget_get_state_flags (widget) ^ previous) & (GTK_STATE_FLAG_FOCUS_VISIBLE | GTK_STATE_FLAG_FOCUSED))
    gtk_widget_queue_draw (widget);
}

static void
chrono_timeline_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  ChronoTimeline *self = CHRONO_TIMELINE (widget);

  /* The density strip is binned by pixel columns. */
  if (self->density != NULL && self->n_density != get_n_density_bins (self, width))
    g_clear_pointer (&self->density, g_free);
}

/* GObject */

static void
chrono_timeline_dispose (GObject *object)
{
  ChronoTimeline *self = CHRONO_TIMELINE (object);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_pointer (&self->events, g_hash_table_unref);
  g_clear_pointer (&self->index, chrono_time_index_unref);

  G_OBJECT_CLASS (chrono_timeline_parent_class)->dispose (object);
}

static void
chrono_timeline_finalize (GObject *object)
{
  ChronoTimeline *self = CHRONO_TIMELINE (object);

  g_free (self->items);
  g_free (self->end_max);
  g_free (self->density);
  g_ptr_array_unref (self->categories);
  g_array_unref (self->frame_items);
  g_array_unref (self->frame_lanes);
  g_array_unref (self->frame_titles);
  g_free (self->title_widths);
  g_clear_pointer (&self->title_font, pango_font_description_free);

  G_OBJECT_CLASS (chrono_timeline_parent_class)->finalize (object);
}

static void
chrono_timeline_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ChronoTimeline *self = CHRONO_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_DAY:
      g_value_set_int64 (value, self->day);
      break;
    case PROP_VISIBLE_START:
      g_value_set_int64 (value, chrono_timeline_get_visible_start (self));
      break;
    case PROP_VISIBLE_END:
      g_value_set_int64 (value, chrono_timeline_get_visible_end (self));
      break;
    case PROP_SELECTED_EVENT:
      g_value_set_int64 (value, self->selected);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_PLAY_SPEED:
      g_value_set_enum (value, self->speed);
      break;
    case PROP_AFTERGLOW_DAYS:
      g_value_set_int (value, self->afterglow);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_timeline_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ChronoTimeline *self = CHRONO_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_DAY:
      chrono_timeline_set_day (self, g_value_get_int64 (value));
      break;
    case PROP_VISIBLE_START:
      chrono_timeline_set_visible_range (self, g_value_get_int64 (value), chrono_timeline_get_visible_end (self));
      break;
    case PROP_VISIBLE_END:
      chrono_timeline_set_visible_range (self, chrono_timeline_get_visible_start (self), g_value_get_int64 (value));
      break;
    case PROP_SELECTED_EVENT:
      chrono_timeline_set_selected_event (self, g_value_get_int64 (value));
      break;
    case PROP_PLAYING:
      chrono_timeline_set_playing (self, g_value_get_boolean (value));
      break;
    case PROP_PLAY_SPEED:
      chrono_timeline_set_play_speed (self, g_value_get_enum (value));
      break;
    case PROP_AFTERGLOW_DAYS:
      chrono_timeline_set_afterglow_days (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The keys that move the date or play, which the window also takes from
 * wherever the focus is (chrono_timeline_handle_key ()); zooming stays with
 * the timeline's focus. */
typedef struct
{
  guint            keyval;
  guint            keypad_keyval;
  GdkModifierType  mods;
  const char      *action_name;
  gboolean         has_value;
  int              value;
} KeyBinding;

static const KeyBinding date_keys[] = {
  { GDK_KEY_Left, GDK_KEY_KP_Left, 0, "timeline.step", TRUE, -1 },
  { GDK_KEY_Right, GDK_KEY_KP_Right, 0, "timeline.step", TRUE, 1 },
  { GDK_KEY_Left, GDK_KEY_KP_Left, GDK_SHIFT_MASK, "timeline.step-month", TRUE, -1 },
  { GDK_KEY_Right, GDK_KEY_KP_Right, GDK_SHIFT_MASK, "timeline.step-month", TRUE, 1 },
  { GDK_KEY_Left, GDK_KEY_KP_Left, GDK_CONTROL_MASK, "timeline.step-year", TRUE, -1 },
  { GDK_KEY_Right, GDK_KEY_KP_Right, GDK_CONTROL_MASK, "timeline.step-year", TRUE, 1 },
  { GDK_KEY_Page_Up, GDK_KEY_KP_Page_Up, 0, "timeline.previous-boundary", FALSE, 0 },
  { GDK_KEY_Page_Down, GDK_KEY_KP_Page_Down, 0, "timeline.next-boundary", FALSE, 0 },
  { GDK_KEY_Home, GDK_KEY_KP_Home, 0, "timeline.first", FALSE, 0 },
  { GDK_KEY_End, GDK_KEY_KP_End, 0, "timeline.last", FALSE, 0 },
  { GDK_KEY_space, GDK_KEY_KP_Space, 0, "timeline.toggle-play", FALSE, 0 },
};

static const KeyBinding zoom_keys[] = {
  { GDK_KEY_plus, GDK_KEY_KP_Add, 0, "timeline.zoom-in", FALSE, 0 },
  { GDK_KEY_equal, 0, 0, "timeline.zoom-in", FALSE, 0 },
  { GDK_KEY_minus, GDK_KEY_KP_Subtract, 0, "timeline.zoom-out", FALSE, 0 },
};

static void
add_key_binding (GtkWidgetClass   *widget_class,
                 const KeyBinding *binding)
{
  guint keyvals[] = { binding->keyval, binding->keypad_keyval };

  for (guint i = 0; i < G_N_ELEMENTS (keyvals); i++)
    {
      if (keyvals[i] == 0)
        continue;
      if (binding->has_value)
        gtk_widget_class_add_binding_action (widget_class, keyvals[i], binding->mods,
                                             binding->action_name, "i", binding->value);
      else
        gtk_widget_class_add_binding_action (widget_class, keyvals[i], binding->mods,
                                             binding->action_name, NULL);
    }
}

static void
chrono_timeline_class_init (ChronoTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = chrono_timeline_dispose;
  object_class->finalize = chrono_timeline_finalize;
  object_class->get_property = chrono_timeline_get_property;
  object_class->set_property = chrono_timeline_set_property;

  widget_class->measure = chrono_timeline_measure;
  widget_class->snapshot = chrono_timeline_snapshot;
  widget_class->size_allocate = chrono_timeline_size_allocate;
  widget_class->state_flags_changed = chrono_timeline_state_flags_changed;
  widget_class->query_tooltip = query_tooltip;

  properties[PROP_DAY] =
    g_param_spec_int64 ("day", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VISIBLE_START] =
    g_param_spec_int64 ("visible-start", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VISIBLE_END] =
    g_param_spec_int64 ("visible-end", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_EVENT] =
    g_param_spec_int64 ("selected-event", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAY_SPEED] =
    g_param_spec_enum ("play-speed", NULL, NULL,
                       CHRONO_TYPE_TIMELINE_SPEED, CHRONO_TIMELINE_SPEED_WEEKS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AFTERGLOW_DAYS] =
    g_param_spec_int ("afterglow-days", NULL, NULL,
                      0, G_MAXINT / 2, 14,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "timeline.set-day", "x", action_set_day);
  gtk_widget_class_install_action (widget_class, "timeline.step", "i", action_step);
  gtk_widget_class_install_action (widget_class, "timeline.step-month", "i", action_step_month);
  gtk_widget_class_install_action (widget_class, "timeline.step-year", "i", action_step_year);
  gtk_widget_class_install_action (widget_class, "timeline.next-boundary", NULL, action_next_boundary);
  gtk_widget_class_install_action (widget_class, "timeline.previous-boundary", NULL, action_previous_boundary);
  gtk_widget_class_install_action (widget_class, "timeline.first", NULL, action_first);
  gtk_widget_class_install_action (widget_class, "timeline.last", NULL, action_last);
  gtk_widget_class_install_action (widget_class, "timeline.toggle-play", NULL, action_toggle_play);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-in", NULL, action_zoom_in);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-out", NULL, action_zoom_out);

  for (guint i = 0; i < G_N_ELEMENTS (date_keys); i++)
    add_key_binding (widget_class, &date_keys[i]);
  for (guint i = 0; i < G_N_ELEMENTS (zoom_keys); i++)
    add_key_binding (widget_class, &zoom_keys[i]);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
chrono_timeline_init (ChronoTimeline *self)
{
  GtkGesture *drag, *zoom;
  GtkEventController *scroll, *motion;
  ChronoDay today;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  today = chrono_day_from_ymd (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now));
  self->categories = g_ptr_array_new_with_free_func (g_free);

  self->day = today;
  self->view_span = DEFAULT_SPAN;
  self->view_start = today - DEFAULT_SPAN / 2;
  self->notified_start = (ChronoDay) floor (self->view_start);
  self->notified_end = (ChronoDay) ceil (self->view_start + self->view_span);
  self->selected = -1;
  self->hovered = -1;
  self->speed = CHRONO_TIMELINE_SPEED_WEEKS;
  self->afterglow = 14;
  self->frame_items = g_array_new (FALSE, FALSE, sizeof (guint));
  self->frame_lanes = g_array_new (FALSE, FALSE, sizeof (guint));
  self->frame_titles = g_array_new (FALSE, FALSE, sizeof (ChronoTimelineTitle));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (on_zoom_begin), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (on_zoom_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  update_accessible_value (self);
}

/* Public API */

GtkWidget *
chrono_timeline_new (void)
{
  return g_object_new (CHRONO_TYPE_TIMELINE, NULL);
}

static ChronoEvent *
lookup_own_event (gint64   rowid,
                  gpointer user_data)
{
  ChronoTimeline *self = user_data;
  ChronoEvent *event = self->events != NULL ? g_hash_table_lookup (self->events, &rowid) : NULL;

  return event != NULL ? g_object_ref (event) : NULL;
}

/**
 * chrono_timeline_set_events:
 * @events: (nullable) (element-type ChronoEvent): the events to show
 * @index: (nullable): the time index of @events
 *
 * Shows @events, all read: for a few events (snapshots, tests). A dataset
 * of any size is given by chrono_timeline_set_table().
 */
void
chrono_timeline_set_events (ChronoTimeline  *self,
                            GPtrArray       *events,
                            ChronoTimeIndex *index)
{
  g_autoptr (ChronoEventTable) table = NULL;
  g_autoptr (GHashTable) by_rowid = NULL;

  g_return_if_fail (CHRONO_IS_TIMELINE (self));
  g_return_if_fail ((events == NULL) == (index == NULL));

  if (events != NULL)
    {
      table = chrono_event_table_new_from_events (events);
      by_rowid = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
      for (guint i = 0; i < events->len; i++)
        {
          ChronoEvent *event = g_ptr_array_index (events, i);
          gint64 *key = g_new (gint64, 1);

          *key = chrono_event_get_rowid (event);
          g_hash_table_insert (by_rowid, key, g_object_ref (event));
        }
    }
  chrono_timeline_set_table (self, table, index, lookup_own_event, self);
  g_clear_pointer (&self->events, g_hash_table_unref);
  self->events = g_steal_pointer (&by_rowid);
}

/**
 * chrono_timeline_set_table:
 * @table: (nullable): the events' extents, categories and places
 * @index: (nullable): their time index
 * @load: reads an event (its title and dates) for a bar shown with its title
 *
 * Shows the events of @table. Only the events whose titles are drawn are read.
 */
void
chrono_timeline_set_table (ChronoTimeline      *self,
                           ChronoEventTable    *table,
                           ChronoTimeIndex     *index,
                           ChronoEventLoadFunc  load,
                           gpointer             user_data)
{
  g_autofree double *starts = NULL;
  g_autofree double *ends = NULL;
  g_autofree guint *lanes = NULL;

  g_return_if_fail (CHRONO_IS_TIMELINE (self));
  g_return_if_fail ((table == NULL) == (index == NULL));

  g_clear_pointer (&self->events, g_hash_table_unref);
  g_clear_pointer (&self->index, chrono_time_index_unref);
  g_clear_pointer (&self->items, g_free);
  g_clear_pointer (&self->end_max, g_free);
  g_clear_pointer (&self->density, g_free);
  g_ptr_array_set_size (self->categories, 0);
  g_array_set_size (self->frame_items, 0);
  g_array_set_size (self->frame_lanes, 0);
  g_array_set_size (self->frame_titles, 0);
  g_clear_pointer (&self->title_widths, g_free);
  self->load_event = load;
  self->load_data = user_data;
  self->frame_mode = MODE_EMPTY;
  self->frame_pitch = 0;
  self->n_items = 0;
  self->n_lanes = 0;
  self->lane_offset = 0;
  self->have_extent = FALSE;

  if (table != NULL)
    {
      const ChronoEventRow *rows = chrono_event_table_get_rows (table);
      guint n_rows = chrono_event_table_get_n_rows (table);
      guint n_categories = chrono_event_table_get_n_categories (table);
      g_autofree guint *categories = g_new (guint, n_categories);

      self->index = chrono_time_index_ref (index);
      self->n_items = n_rows;
      self->items = g_new0 (Item, MAX (1, n_rows));
      self->end_max = g_new0 (ChronoDay, MAX (1, n_rows));

      for (guint i = 0; i < n_rows; i++)
        {
          const ChronoEventRow *row = &rows[i];
          Item *item = &self->items[i];

          item->start_lo = row->start_lo;
          item->start_hi = row->start_hi;
          item->end_lo = row->end_lo;
          item->end_hi = row->end_hi;
          item->rowid = row->rowid;
          item->category = row->category;   /* the table's, until sorted */
          item->is_short = chrono_span_is_short (item->start_lo, item->end_hi);
          item->event = i;
        }

      /* By start, end, then rowid (they come by rowid) */
      chrono_sort_by_day (self->items, self->n_items, sizeof (Item), G_STRUCT_OFFSET (Item, start_lo), compare_items);

      /* The timeline's colours go to categories in the order of their first
       * events, whatever the order of the table */
      for (guint c = 0; c < n_categories; c++)
        categories[c] = G_MAXUINT;
      for (guint i = 0; i < self->n_items; i++)
        {
          guint c = self->items[i].category;

          if (categories[c] == G_MAXUINT)
            categories[c] = category_index (self, chrono_event_table_get_category_name (table, (guint16) c));
          self->items[i].category = categories[c];
        }

      starts = g_new (double, MAX (1, self->n_items));
      ends = g_new (double, MAX (1, self->n_items));
      lanes = g_new (guint, MAX (1, self->n_items));
      for (guint i = 0; i < self->n_items; i++)
        {
          starts[i] = (double) self->items[i].start_lo;
          ends[i] = (double) self->items[i].end_hi + 1.0;
        }
      self->n_lanes = pack_lanes (starts, ends, self->n_items, lanes);

      for (guint i = 0; i < self->n_items; i++)
        {
          self->items[i].lane = lanes[i];
          self->end_max[i] = i == 0 ? self->items[i].end_hi : MAX (self->end_max[i - 1], self->items[i].end_hi);
        }

      self->have_extent = chrono_time_index_get_extent (index, &self->first, &self->last);

      /* The overview starts at the tenth percentile of the starts when the
       * earliest tenth of the events would take a third of its width. */
      self->overview_first = self->first;
      if (self->have_extent && self->n_items > 0)
        {
          ChronoDay p10 = CLAMP (self->items[self->n_items / 10].start_lo, self->first, self->last);

          if (p10 - self->first > (self->last - self->first) / 3)
            self->overview_first = p10;
        }
    }

  if (self->have_extent)
    {
      double length = (double) (self->last - self->first + 1);

      set_view (self, self->first - length * 0.03, length * 1.06);
      if (self->day < self->first || self->day > self->last)
        chrono_timeline_set_day (self, self->first);
    }

  update_accessible_value (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * chrono_timeline_get_main_period:
 * @self: a timeline
 * @out_first: (out): the first day of the period, as the overview strip starts
 * @out_last: (out): the last day of the events
 *
 * The period where most events are: from the tenth percentile of the starts
 * when the earliest tenth of the events would take a third of the whole
 * extent, else from its first day, to its last.
 *
 * Returns: %FALSE when the timeline has no events with a finite day
 */
gboolean
chrono_timeline_get_main_period (ChronoTimeline *self,
                                 ChronoDay      *out_first,
                                 ChronoDay      *out_last)
{
  g_return_val_if_fail (CHRONO_IS_TIMELINE (self), FALSE);

  if (!self->have_extent)
    return FALSE;

  *out_first = self->overview_first;
  *out_last = self->last;
  return TRUE;
}

ChronoDay
chrono_timeline_get_day (ChronoTimeline *self)
{
  g_return_val_if_fail (CHRONO_IS_TIMELINE (self), 0);

  return self->day;
}

void
chrono_timeline_set_day (ChronoTimeline *self,
                         ChronoDay       day)
{
  g_return_if_fail (CHRONO_IS_TIMELINE (self));

  /* Keep clear of the open ends, so day arithmetic cannot overflow. */
  day = CLAMP (day, chrono_day_from_ymd (CHRONO_YEAR_MIN, 1, 1), chrono_day_from_ymd (CHRONO_YEAR_MAX, 12, 31));
  if (day == self->day)
    return;

  self->day = day;
  self->play_position = day;
  ensure_day_visible (self);
  update_accessible_value (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAY]);
}

ChronoDay
chrono_timeline_get_visible_start (ChronoTimeline *self)
{
  g_return_val_if_fail (CHRONO_IS_TIMELINE (self), 0);

  return (ChronoDay) floor (self->view_start);
}

/* The day after the last visible one. */
ChronoDay
chrono_timeline_get_visible_end (ChronoTimeline *self)
{
  g_return_val_if_fail (CHRONO_IS_TIMELINE (self), 0);

  return (ChronoDay) ceil (self->view_start + self->view_span);
}

/**
 * chrono_timeline_set_visible_range:
 * @self: a timeline
 * @start: the first visible day
 * @end: the day after the last visible one
 *
 * Zooms and pans to [@start, @end), within the limits of the extent.
 */
void
chrono_timeline_set_visible_range (ChronoTimeline *self,
                                   ChronoDay       start,
                                   ChronoDay       end)
{
  g_return_if_fail (CHRONO_IS_TIMELINE (self));

  if (end <= start)
    return;

  set_view (self, start, (double) end - (double) start);
}

gint64
chrono_timeline_get_selected_event (ChronoTimeline *self)
{
  g_return_val_if_fail (CHRONO_IS_TIMELINE (self), -1);

  return self->selected;
}

void
chrono_timeline_set_selected_event (ChronoTimeline *self,
                                    gint64          rowid)
{
  g_return_if_fail (CHRONO_IS_TIMELINE (self));
  g_return_if_fail (rowid >= -1);

  if (rowid == self->selected)
    return;

  self->selected = rowid;
  self->reveal_selected = rowid >= 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_EVENT]);
}

gboolean
chrono_timeline_get_playing (ChronoTimeline *self)
{
  g_return_val_if_fail (CHRONO_IS_TIMELINE (self), FALSE);

  return self->playing;
}

/* Playing from the end starts over from the first day. */
void
chrono_timeline_set_playing (ChronoTimeline *self,
                             gboolean        playing)
{
  g_return_if_fail (CHRONO_IS_TIMELINE (self));

  playing = !!playing;
  if (playing == self->playing)
    return;

  if (playing && !self->have_extent)
    return;

  self->playing = playing;
  if (playing)
    {
      if (self->day >= self->last)
        chrono_timeline_set_day (self, self->first);
      self->last_frame_time = 0;
      self->play_position = self->day;
      if (self->tick_id == 0)
        self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
    }
  else if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

ChronoTimelineSpeed
chrono_timeline_get_play_speed (ChronoTimeline *self)
{
  g_return_val_if_fail (CHRONO_IS_TIMELINE (self), CHRONO_TIMELINE_SPEED_WEEKS);

  return self->speed;
}

void
chrono_timeline_set_play_speed (ChronoTimeline      *self,
                                ChronoTimelineSpeed  speed)
{
  g_return_if_fail (CHRONO_IS_TIMELINE (self));
  g_return_if_fail (speed <= CHRONO_TIMELINE_SPEED_MONTHS);

  if (speed == self->speed)
    return;

  self->speed = speed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAY_SPEED]);
}

int
chrono_timeline_get_afterglow_days (ChronoTimeline *self)
{
  g_return_val_if_fail (CHRONO_IS_TIMELINE (self), 0);

  return self->afterglow;
}

void
chrono_timeline_set_afterglow_days (ChronoTimeline *self,
                                    int             days)
{
  g_return_if_fail (CHRONO_IS_TIMELINE (self));
  g_return_if_fail (days >= 0);

  if (days == self->afterglow)
    return;

  self->afterglow = days;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AFTERGLOW_DAYS]);
}

/* The lane the dataset layout gave the event @rowid, or -1 when it is not shown. */
int
chrono_timeline_get_event_lane (ChronoTimeline *self,
                                gint64          rowid)
{
  g_return_val_if_fail (CHRONO_IS_TIMELINE (self), -1);

  for (gsize i = 0; i < self->n_items; i++)
    if (self->items[i].rowid == rowid)
      return (int) self->items[i].lane;

  return -1;
}

guint
chrono_timeline_get_n_lanes (ChronoTimeline *self)
{
  g_return_val_if_fail (CHRONO_IS_TIMELINE (self), 0);

  return self->n_lanes;
}

/**
 * chrono_timeline_handle_key:
 * @keyval: a key, as a key press reports it
 * @state: the modifiers held
 *
 * Does what the key does when the timeline has the focus, if it is one of the
 * keys that move the date or play (not the zoom keys), so that a window can
 * give them to the timeline wherever its focus is.
 *
 * Returns: whether the key was one of them
 */
gboolean
chrono_timeline_handle_key (ChronoTimeline  *self,
                            guint            keyval,
                            GdkModifierType  state)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();

  g_return_val_if_fail (CHRONO_IS_TIMELINE (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (date_keys); i++)
    {
      const KeyBinding *binding = &date_keys[i];

      if ((keyval != binding->keyval && keyval != binding->keypad_keyval) || mods != binding->mods)
        continue;
      if (binding->has_value)
        gtk_widget_activate_action (GTK_WIDGET (self), binding->action_name, "i", binding->value);
      else
        gtk_widget_activate_action (GTK_WIDGET (self), binding->action_name, NULL);
      return TRUE;
    }

  return FALSE;
}

/**
 * chrono_timeline_get_lane_height:
 * @self: a timeline
 *
 * The height of a lane (a bar and the gap below it) in the last frame drawn.
 *
 * Returns: the height in pixels, or 0 when the last frame drew no lanes
 */
float
chrono_timeline_get_lane_height (ChronoTimeline *self)
{
  g_return_val_if_fail (CHRONO_IS_TIMELINE (self), 0);

  return self->frame_mode == MODE_LANES ? self->frame_pitch : 0;
}

/**
 * chrono_timeline_get_titles:
 * @self: a timeline
 * @n_titles: (out): how many there are
 *
 * The event titles the last frame drew on the lanes (not the tags of the
 * selected and hovered events), with where.
 *
 * Returns: (array length=n_titles) (transfer none): the titles, valid until the next frame
 */
const ChronoTimelineTitle *
chrono_timeline_get_titles (ChronoTimeline *self,
                            guint          *n_titles)
{
  g_return_val_if_fail (CHRONO_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (n_titles != NULL, NULL);

  *n_titles = self->frame_titles->len;
  return (const ChronoTimelineTitle *) (void *) self->frame_titles->data;
}

/**
 * chrono_timeline_get_event_strength:
 * @self: a timeline
 * @rowid: an event
 *
 * How strongly the event @rowid shows at the current day: 1 while in effect,
 * less through the afterglow of a short event, 0 otherwise or when it is
 * not on the timeline.
 */
double
chrono_timeline_get_event_strength (ChronoTimeline *self,
                                    gint64          rowid)
{
  g_return_val_if_fail (CHRONO_IS_TIMELINE (self), 0);

  for (gsize i = 0; i < self->n_items; i++)
    if (self->items[i].rowid == rowid)
      return get_item_strength (self, &self->items[i]);

  return 0;
}

/**
 * chrono_timeline_event_at:
 * @x: x in the timeline's coordinates
 * @y: y in the timeline's coordinates
 *
 * Returns: the rowid of the event whose bar or title the last frame drew
 *   at (@x, @y), or 0 where there is none (for a context menu)
 */
gint64
chrono_timeline_event_at (ChronoTimeline *self,
                          double          x,
                          double          y)
{
  const Item *item;

  g_return_val_if_fail (CHRONO_IS_TIMELINE (self), 0);

  item = pick_item (self, x, y);
  return item != NULL ? item->rowid : 0;
}
