/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <shumate/shumate.h>

#include "chrono-basemap-map-source.h"
#include "chrono-basemap-source.h"
#include "chrono-claim.h"
#include "chrono-cli.h"
#include "chrono-dataset.h"
#include "chrono-event.h"
#include "chrono-event-editor.h"
#include "chrono-event-layer.h"
#include "chrono-export-dialog.h"
#include "chrono-import-dialog.h"
#include "import/chrono-export.h"
#include "import/chrono-import.h"
#include "chrono-mbtiles-source.h"
#include "chrono-excerpt.h"
#include "chrono-place.h"
#include "chrono-place-editor.h"
#include "chrono-preferences-window.h"
#include "chrono-presentation.h"
#include "chrono-snapshot.h"
#include "chrono-source.h"
#include "chrono-store.h"
#include "chrono-time-index.h"
#include "chrono-timeline.h"
#include "chrono-tour-editor.h"
#include "chrono-tour-step.h"
#include "chrono-window.h"

#define DEFAULT_AFTERGLOW_DAYS 21
#define MIN_TIMELINE_HEIGHT 96
/* Half the side of the square a place's popover keeps clear: its disc and halo */
#define PLACE_POPOVER_MARGIN 18
#define MIN_MAP_HEIGHT 200
/* While the date moves: the height of a one-line row, to know how many rows
 * the side panel shows, and how long after the last move the list returns. */
#define SCRUB_ROW_HEIGHT       44
#define SCRUB_MAX_ROWS         60
#define SCRUB_REST_MS          200
/* A title in a toast */
#define TOAST_TITLE_CHARS      60

#define OSM_TILE_URL "https://tile.openstreetmap.org/#Z#/#X#/#Y#.png"

struct _ChronoWindow
{
  AdwApplicationWindow  parent_instance;

  AdwWindowTitle       *window_title;
  AdwFlap              *flap;
  GtkToggleButton      *panel_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkLabel             *list_heading;
  GtkRevealer          *place_bar;
  GtkLabel             *place_label;
  AdwToastOverlay      *toast_overlay;
  GMenu                *recent_menu;
  GMenu                *edit_section;   /* Undo and Redo, named after the edit */
  GtkWidget            *detail_hint;
  GtkWidget            *detail_scroller;
  GtkPaned             *panel_paned;
  GtkPaned             *main_paned;     /* the map above, the timeline below */
  int                   timeline_height; /* set with the handle; 0: follows the window */
  int                   main_paned_height;
  gboolean              placing_timeline;
  ChronoSnapshot       *snapshot;       /* the dataset, loaded for exports; made when first needed */
  GPtrArray            *places;         /* of ChronoPlace: the dataset's, for the basemap */
  GtkCssProvider       *map_css;        /* the basemap's land colour under its tiles */
  GtkListView          *event_list;
  GtkWidget            *list_scroller;
  GtkWidget            *scrub_scroller;
  GtkWidget            *scrub_rows;
  GtkInscription       *scrub_heading;
  GtkBox               *detail_box;
  ShumateSimpleMap     *map;
  ChronoTimeline       *timeline;
  GtkEventController   *key_controller;
  GtkButton            *play_button;

  GSettings            *settings;
  ChronoDocument       *document;      /* the dataset shown, and its edits */
  ChronoStore          *store;         /* the document's */
  char                 *dragged_place;
  /* A line or area being drawn */
  char                 *draw_kind;
  GArray               *draw_points;   /* lat, lon, lat, lon… */
  ShumatePathLayer     *draw_layer;
  AdwToast             *draw_toast;
  char                 *lang;
  ChronoTimeIndex      *glow_index;    /* spans lengthened by the afterglow */

  /* The one list of events in effect that feeds the side panel and the map. */
  ChronoEventList      *effect_model;
  ChronoEventList      *search_model;
  char                 *searched_text;   /* what search_model holds the matches of */
  ChronoEventTable     *searched_table;  /* in the events of this table */
  GtkSingleSelection   *selection;     /* over the search, place or in-effect model */
  guint                 scrub_timeout;
  guint                 trim_idle;      /* forgets the events read for a while */
  gboolean              scrubbing;      /* the date moves in a quick run of changes */
  gboolean              scrub_list_had_focus;
  /* The events in effect at one place, while the person looks at it. */
  ChronoEventList      *place_model;   /* the events in effect at filter_place */
  char                 *filter_place;
  GtkWidget            *place_popover;
  /* All the events at that place, when none is in effect at the date */
  ChronoEventList      *place_all_model;
  GHashTable           *bound_rows;    /* GtkListItem: the rows on screen, for their age */
  ChronoEventLayer     *event_layer;
  int                   afterglow_days;
};

G_DEFINE_FINAL_TYPE (ChronoWindow, chrono_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_AFTERGLOW_DAYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SNAPSHOT_COPIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The window's events: read when a view shows them */
static ChronoEvent *
load_event (gint64   rowid,
            gpointer user_data)
{
  ChronoWindow *self = user_data;
  ChronoEvent *event = self->document != NULL ? chrono_document_lookup_event (self->document, rowid) : NULL;

  return event != NULL ? g_object_ref (event) : NULL;
}

/* Returns: (transfer none) (nullable) */
static ChronoEvent *
lookup_event (ChronoWindow *self,
              gint64        rowid)
{
  return self->document != NULL ? chrono_document_lookup_event (self->document, rowid) : NULL;
}

/* What the views read the dataset from */
static ChronoEventSource *
get_source (ChronoWindow *self)
{
  return self->document != NULL ? chrono_document_get_source (self->document) : NULL;
}

static ChronoEventTable *
get_table (ChronoWindow *self)
{
  return self->document != NULL ? chrono_document_get_table (self->document) : NULL;
}

typedef struct
{
  ChronoEventTable *table;
  int               afterglow_days;
} GlowJob;

static gpointer
build_glow_index (gpointer data)
{
  GlowJob *job = data;
  ChronoTimeIndex *index = chrono_event_table_build_index (job->table, job->afterglow_days);

  chrono_event_table_unref (job->table);
  g_free (job);
  return index;
}

/* The glow index built on another core while the timeline lays out the
 * same events: the table does not change meanwhile (an edit makes a new one) */
static GThread *
start_glow_index (ChronoWindow *self)
{
  GlowJob *job = g_new (GlowJob, 1);

  job->table = chrono_event_table_ref (get_table (self));
  job->afterglow_days = self->afterglow_days;
  return g_thread_new ("chrono-glow-index", build_glow_index, job);
}

static void
rebuild_glow_index (ChronoWindow *self)
{
  g_clear_pointer (&self->glow_index, chrono_time_index_unref);
  if (self->document == NULL)
    return;

  /* A short event (a day, or a day not known exactly) stays in the list for
   * its afterglow after its end, so that scrubbing past it does not skip it;
   * the map fades it by age. Longer events are seen while they last and end
   * when they end. */
  self->glow_index = chrono_event_table_build_index (get_table (self), self->afterglow_days);
}

static ChronoPlaceNamePolicy get_place_name_policy (ChronoWindow *self);
static void close_place_popover (ChronoWindow *self);
static void update_list_model (ChronoWindow *self);
static void update_place_model (ChronoWindow *self);
static void update_row_ages (ChronoWindow *self);

static gboolean
ids_equal (ChronoEventList *list,
           GArray          *ids)
{
  guint n;
  const gint64 *have = chrono_event_list_get_ids (list, &n);

  /* An empty GArray may have no data at all: memcmp () must not see it */
  return n == ids->len && (n == 0 || memcmp (have, ids->data, n * sizeof (gint64)) == 0);
}

static void
update_title (ChronoWindow *self)
{
  ChronoDay day = chrono_timeline_get_day (self->timeline);
  g_autofree char *date = chrono_day_format (day);
  GListModel *model = self->filter_place != NULL ? G_LIST_MODEL (self->place_model)
                                                 : G_LIST_MODEL (self->effect_model);
  guint n = g_list_model_get_n_items (model);
  guint n_recent = 0;
  g_autofree char *heading = NULL;

  /* While the date moves quickly, the timeline's cursor and the heading
   * say the date; the window's title follows when it rests, since a new
   * subtitle measures the whole window again. */
  if (!self->scrubbing)
    adw_window_title_set_subtitle (self->window_title, date);

  if (gtk_search_bar_get_search_mode (self->search_bar) &&
      gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0')
    return;

  /* Nothing at the chosen place at this date: its whole timeline */
  if (gtk_single_selection_get_model (self->selection) == G_LIST_MODEL (self->place_all_model))
    {
      ChronoPlace *place = chrono_event_layer_get_place (self->event_layer, self->filter_place);
      g_autofree char *name = place != NULL
        ? chrono_window_format_place_name (place, get_place_name_policy (self), self->lang,
                                           chrono_timeline_get_day (self->timeline))
        : g_strdup (self->filter_place);
      guint n_all = g_list_model_get_n_items (G_LIST_MODEL (self->place_all_model));

      /* Translators: "Nothing at Stepanakert on 1 May 2021; its 6 events over the whole timeline:" */
      heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Nothing at %s on %s; its %u event over the whole timeline:",
                                              "Nothing at %s on %s; its %u events over the whole timeline:", n_all),
                                 name, date, n_all);
      if (self->scrubbing)
        gtk_inscription_set_text (self->scrub_heading, heading);
      else
        gtk_label_set_text (self->list_heading, heading);
      return;
    }

  /* Single-day events stay listed for their afterglow: count them apart,
   * so that "in effect" means what it means on the command line. */
  if (get_table (self) != NULL)
    {
      ChronoEventTable *table = get_table (self);
      const gint64 *ids = chrono_event_list_get_ids (CHRONO_EVENT_LIST (model), NULL);

      for (guint i = 0; i < n; i++)
        {
          const ChronoEventRow *row = chrono_event_table_lookup (table, ids[i]);

          if (row != NULL && row->end_hi < day)
            n_recent++;
        }
    }
  n -= n_recent;

  if (n == 0 && self->document != NULL && chrono_document_get_n_events (self->document) == 0 &&
      !chrono_document_get_read_only (self->document))
    /* A new dataset: where to begin */
    heading = g_strdup (_("No events yet. Right-click the map to add a place or draw a line or area; "
                          "Shift+Ctrl+N adds an event at the timeline’s date."));
  else if (n == 0)
    heading = g_strdup_printf (_("Nothing in effect on %s"), date);
  else
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%'u event in effect on %s",
                                            "%'u events in effect on %s", n),
                               n, date);
  if (n_recent > 0)
    {
      g_autofree char *recent = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "and %'u in the days before",
                                                              "and %'u in the days before", n_recent),
                                                 n_recent);
      g_autofree char *both = g_strdup_printf ("%s, %s", heading, recent);

      g_free (heading);
      heading = g_steal_pointer (&both);
    }
  if (self->scrubbing)
    gtk_inscription_set_text (self->scrub_heading, heading);
  else
    gtk_label_set_text (self->list_heading, heading);
}

/* Events read to be shown are kept until many have been read; forgotten
 * from an idle, where no one holds one borrowed */
static gboolean
trim_events (gpointer user_data)
{
  ChronoWindow *self = user_data;

  self->trim_idle = 0;
  if (self->document != NULL)
    chrono_document_trim_cache (self->document, 20000);
  return G_SOURCE_REMOVE;
}

static void on_selection_changed (ChronoWindow *self);

typedef enum
{
  LIST_SET_IDS,   /* the ids that come and go */
  LIST_RESET,     /* every item anew */
  LIST_SHOW,      /* the list shown in the side panel */
} ListChange;

static void
apply_list_change (ChronoWindow    *self,
                   ChronoEventList *list,
                   ListChange       how,
                   const gint64    *ids,
                   guint            n_ids)
{
  switch (how)
    {
    case LIST_SET_IDS:
      chrono_event_list_set_ids (list, ids, n_ids);
      break;
    case LIST_RESET:
      chrono_event_list_reset (list, ids, n_ids);
      break;
    case LIST_SHOW:
      gtk_single_selection_set_model (self->selection, G_LIST_MODEL (list));
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean has_focus_within (GtkWidget *focus,
                                  GtkWidget *widget);

/* The list view given its list again: at the selected event, with the focus
 * it had */
static void
reattach_list (ChronoWindow      *self,
               GtkSelectionModel *model,
               gboolean           had_focus)
{
  guint selected;

  gtk_list_view_set_model (self->event_list, model);
  selected = gtk_single_selection_get_selected (self->selection);
  if (selected != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->event_list), "list.scroll-to-item", "u", selected);
  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self->event_list));
}

/*
 * Changes what the side panel lists and keeps the selected event when the new
 * list has it, found by its rowid. GTK's selection would look for it among
 * every new item, reading them all: it is told nothing until the end.
 */
static void
change_listed (ChronoWindow    *self,
               ChronoEventList *list,
               ListChange       how,
               const gint64    *ids,
               guint            n_ids)
{
  GListModel *shown = gtk_single_selection_get_model (self->selection);
  ChronoEvent *selected = gtk_single_selection_get_selected_item (self->selection);
  g_autoptr (ChronoEvent) before = selected != NULL ? g_object_ref (selected) : NULL;
  g_autoptr (GtkSelectionModel) attached = NULL;
  gboolean had_focus = FALSE;
  guint position;

  if (how == LIST_SHOW && shown == G_LIST_MODEL (list))
    return;
  /* A list view told of many new rows reads every one of them, looking for
   * rows it has already (GTK 4.8): given the list anew, it reads those it
   * shows. */
  if ((shown == G_LIST_MODEL (list) || how == LIST_SHOW) &&
      MAX (n_ids, g_list_model_get_n_items (how == LIST_SHOW ? G_LIST_MODEL (list) : shown)) > 200)
    {
      attached = gtk_list_view_get_model (self->event_list);
      if (attached != NULL)
        {
          had_focus = has_focus_within (gtk_root_get_focus (GTK_ROOT (self)), GTK_WIDGET (self->event_list));
          g_object_ref (attached);
          gtk_list_view_set_model (self->event_list, NULL);
        }
    }
  /* Nothing to keep, or a list not shown */
  if (before == NULL || (how != LIST_SHOW && shown != G_LIST_MODEL (list)))
    {
      apply_list_change (self, list, how, ids, n_ids);
      if (attached != NULL)
        reattach_list (self, attached, had_focus);
      return;
    }

  g_signal_handlers_block_by_func (self->selection, on_selection_changed, self);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  apply_list_change (self, list, how, ids, n_ids);
  position = chrono_event_list_find (list, chrono_event_get_rowid (before));
  gtk_single_selection_set_selected (self->selection, position);
  g_signal_handlers_unblock_by_func (self->selection, on_selection_changed, self);
  if (attached != NULL)
    reattach_list (self, attached, had_focus);

  /* Another event, or the same one read anew after an edit (not one only
   * read again after the events read were forgotten) */
  selected = gtk_single_selection_get_selected_item (self->selection);
  if (selected == NULL || chrono_event_get_rowid (selected) != chrono_event_get_rowid (before) ||
      (how == LIST_RESET && selected != before))
    on_selection_changed (self);
}

static void
update_events_in_effect (ChronoWindow *self)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  ChronoDay day = chrono_timeline_get_day (self->timeline);

  g_autoptr (GArray) ordered = NULL;

  if (self->glow_index != NULL)
    chrono_time_index_query (self->glow_index, day, ids);
  if (self->trim_idle == 0)
    self->trim_idle = g_idle_add (trim_events, self);

  chrono_event_layer_set_day (self->event_layer, day);

  /* The newest first, since what just began is what the day is about, and
   * the background (the "context" category) after everything else. This is
   * one order for every day, so the list store changes by the events that
   * come and go only. */
  ordered = g_array_sized_new (FALSE, FALSE, sizeof (gint64), ids->len);
  if (get_table (self) != NULL)
    {
      ChronoEventTable *table = get_table (self);
      guint16 context = chrono_event_table_find_category (table, "context");

      for (guint pass = 0; pass < 2; pass++)
        for (guint i = ids->len; i > 0; i--)
          {
            gint64 id = g_array_index (ids, gint64, i - 1);
            const ChronoEventRow *row = chrono_event_table_lookup (table, id);
            gboolean is_context = row != NULL && context != 0 && row->category == context;

            if (row != NULL && is_context == (pass == 1))
              g_array_append_val (ordered, id);
          }
    }

  if (!ids_equal (self->effect_model, ordered))
    {
      gboolean mapped = gtk_widget_get_mapped (GTK_WIDGET (self->event_list));

      /* A list that is not on screen has no rows to keep: filled anew, it
       * shows its top when it appears. While the date moves quickly, the
       * list is not on screen but comes back: it changes only by the events
       * that come and go, for the map. */
      change_listed (self, self->effect_model, !mapped && !self->scrubbing ? LIST_RESET : LIST_SET_IDS,
                     (const gint64 *) (gpointer) ordered->data, ordered->len);
      update_place_model (self);
      update_list_model (self);

      /* What just began comes first: keep the top of the list in view,
       * unless an event is selected. As the list's anchor, not its
       * adjustment: the rows that just came have no place yet. */
      if (mapped && gtk_single_selection_get_selected_item (self->selection) == NULL &&
          g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
        gtk_widget_activate_action (GTK_WIDGET (self->event_list), "list.scroll-to-item", "u", 0);
    }

  update_row_ages (self);
  update_title (self);
}

static void on_search_entry_stop_search (GtkSearchEntry *entry,
                                         ChronoWindow   *self);

/* The events in effect at the chosen place, in the order of the list */
static void
update_place_model (ChronoWindow *self)
{
  ChronoEventTable *table = get_table (self);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint32 place = table != NULL ? chrono_event_table_find_place (table, self->filter_place)
                                : CHRONO_EVENT_TABLE_NO_PLACE;

  if (place != CHRONO_EVENT_TABLE_NO_PLACE)
    {
      guint n;
      const gint64 *effect = chrono_event_list_get_ids (self->effect_model, &n);

      for (guint i = 0; i < n; i++)
        {
          const ChronoEventRow *row = chrono_event_table_lookup (table, effect[i]);

          if (row != NULL && chrono_event_table_row_is_at (table, row, place))
            g_array_append_val (ids, effect[i]);
        }
    }
  change_listed (self, self->place_model, LIST_SET_IDS, (const gint64 *) (gpointer) ids->data, ids->len);
}

static ChronoEventTable *sort_table;

static int
compare_event_dates (gconstpointer a,
                     gconstpointer b)
{
  const ChronoEventRow *x = chrono_event_table_lookup (sort_table, *(const gint64 *) a);
  const ChronoEventRow *y = chrono_event_table_lookup (sort_table, *(const gint64 *) b);

  if (x->start_lo != y->start_lo)
    return x->start_lo < y->start_lo ? -1 : 1;
  return x->rowid < y->rowid ? -1 : x->rowid > y->rowid;
}

static gboolean
searching (ChronoWindow *self)
{
  return gtk_search_bar_get_search_mode (self->search_bar) &&
         gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0';
}

/* All the events at the chosen place, in the order of their dates. */
static void
fill_place_all_model (ChronoWindow *self)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  ChronoEventTable *table = get_table (self);
  guint32 place = table != NULL ? chrono_event_table_find_place (table, self->filter_place)
                                : CHRONO_EVENT_TABLE_NO_PLACE;

  if (place != CHRONO_EVENT_TABLE_NO_PLACE)
    {
      const ChronoEventRow *rows = chrono_event_table_get_rows (table);

      for (guint i = 0; i < chrono_event_table_get_n_rows (table); i++)
        if (chrono_event_table_row_is_at (table, &rows[i], place))
          g_array_append_val (ids, rows[i].rowid);
      sort_table = table;
      g_array_sort (ids, compare_event_dates);
      sort_table = NULL;
    }
  change_listed (self, self->place_all_model, LIST_RESET, (const gint64 *) (gpointer) ids->data, ids->len);
}

/* The side panel shows search results, else the events in effect at the
 * chosen place (or all of the place's events when none is in effect at the
 * date), else all the events in effect. */
static void
update_list_model (ChronoWindow *self)
{
  GListModel *model;

  if (searching (self))
    model = G_LIST_MODEL (self->search_model);
  else if (self->filter_place != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->place_model)) == 0)
    model = G_LIST_MODEL (self->place_all_model);
  else if (self->filter_place != NULL)
    model = G_LIST_MODEL (self->place_model);
  else
    model = G_LIST_MODEL (self->effect_model);

  /* The selection keeps its event when the new model has it */
  if (gtk_single_selection_get_model (self->selection) != model)
    change_listed (self, CHRONO_EVENT_LIST (model), LIST_SHOW, NULL, 0);
}

static char *
dup_dot_markup (ChronoEvent *event)
{
  const GdkRGBA *color = chrono_event_layer_get_category_color (chrono_event_get_category (event));

  return g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">●</span>",
                          (int) (color->red * 255 + 0.5),
                          (int) (color->green * 255 + 0.5),
                          (int) (color->blue * 255 + 0.5));
}

static GtkWidget *
scrub_row_new (void)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *dot = gtk_inscription_new (NULL);
  const char *classes[] = { "caption", "heading" };

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (dot), 1);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (dot), 1);
  gtk_widget_set_valign (dot, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (row), dot);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      GtkWidget *line = gtk_inscription_new (NULL);

      gtk_inscription_set_text_overflow (GTK_INSCRIPTION (line), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
      gtk_widget_add_css_class (line, classes[i]);
      gtk_box_append (GTK_BOX (text), line);
    }
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (row), text);
  gtk_widget_add_css_class (row, "scrub-row");

  return row;
}

/* The first events of the list, one line each. A GtkInscription's size does
 * not depend on its text: changing it only redraws. */
static void
update_scrub_rows (ChronoWindow *self)
{
  GListModel *model = gtk_single_selection_get_model (self->selection);
  gpointer selected = gtk_single_selection_get_selected_item (self->selection);
  guint n_items = g_list_model_get_n_items (model);
  guint i = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (self->scrub_rows); row != NULL;
       row = gtk_widget_get_next_sibling (row), i++)
    {
      GtkWidget *dot = gtk_widget_get_first_child (row);
      GtkWidget *dates = gtk_widget_get_first_child (gtk_widget_get_next_sibling (dot));
      GtkWidget *title = gtk_widget_get_next_sibling (dates);
      g_autoptr (ChronoEvent) event = i < n_items ? g_list_model_get_item (model, i) : NULL;
      g_autofree char *markup = NULL;
      g_autofree char *when = NULL;
      g_autofree char *shown = NULL;

      if (event != NULL)
        {
          markup = dup_dot_markup (event);
          when = chrono_format_dates (chrono_event_get_start (event), chrono_event_get_end (event));
        }
      /* A class that changes only the background: a redraw, not a resize */
      if (event != NULL && event == selected)
        gtk_widget_add_css_class (row, "selected-event");
      else
        gtk_widget_remove_css_class (row, "selected-event");
      gtk_inscription_set_markup (GTK_INSCRIPTION (dot), markup);
      gtk_inscription_set_text (GTK_INSCRIPTION (dates), when);
      /* A title of any length costs a line's layout */
      if (event != NULL)
        shown = chrono_text_for_display (chrono_event_get_title (event), CHRONO_DISPLAY_NAME_CHARS);
      gtk_inscription_set_text (GTK_INSCRIPTION (title), shown);
    }
}

static gboolean
has_focus_within (GtkWidget *focus,
                  GtkWidget *widget)
{
  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* While the date moves in a quick run of changes (a drag, play, a key held
 * down), GTK 4.8's list view would build a new row, measuring its wrapped
 * labels, for every event that enters the list, and every change would
 * measure the window again. For the run, the side panel shows the first
 * events in rows of its own that stay, as many as fit, one line each; the
 * list, with its selection, comes back when the date rests. */
static void
begin_scrub (ChronoWindow *self)
{
  int height = gtk_widget_get_height (self->list_scroller);
  guint n_rows = CLAMP ((guint) MAX (0, height) / SCRUB_ROW_HEIGHT + 1, 1, SCRUB_MAX_ROWS);
  guint n_have = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (self->scrub_rows); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n_have++;
  for (; n_have < n_rows; n_have++)
    gtk_box_append (GTK_BOX (self->scrub_rows), scrub_row_new ());
  while (n_have > n_rows)
    {
      gtk_box_remove (GTK_BOX (self->scrub_rows), gtk_widget_get_last_child (self->scrub_rows));
      n_have--;
    }

  self->scrubbing = TRUE;
  /* Hiding the list takes the focus from it; it comes back with the list. */
  self->scrub_list_had_focus = has_focus_within (gtk_root_get_focus (GTK_ROOT (self)),
                                                 GTK_WIDGET (self->event_list));
  gtk_inscription_set_text (self->scrub_heading, gtk_label_get_text (self->list_heading));
  gtk_widget_set_visible (GTK_WIDGET (self->list_heading), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->scrub_heading), TRUE);
  gtk_list_view_set_model (self->event_list, NULL);
  gtk_widget_set_visible (self->list_scroller, FALSE);
  gtk_widget_set_visible (self->scrub_scroller, TRUE);
}

static void
end_scrub (ChronoWindow *self)
{
  GtkWidget *focus;
  guint selected;

  if (!self->scrubbing)
    return;

  self->scrubbing = FALSE;
  update_title (self);
  gtk_widget_set_visible (GTK_WIDGET (self->scrub_heading), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->list_heading), TRUE);
  gtk_list_view_set_model (self->event_list, GTK_SELECTION_MODEL (self->selection));
  gtk_widget_set_visible (self->scrub_scroller, FALSE);
  gtk_widget_set_visible (self->list_scroller, TRUE);

  selected = gtk_single_selection_get_selected (self->selection);
  if (selected != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->event_list), "list.scroll-to-item", "u", selected);
  /* Where GTK put it (nowhere, a container of the list, or the next thing
   * that takes focus: the details' selectable title, all of it selected),
   * not where the person has put it meanwhile */
  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (self->scrub_list_had_focus &&
      (focus == NULL || gtk_widget_is_ancestor (GTK_WIDGET (self->event_list), focus) ||
       gtk_widget_is_ancestor (focus, GTK_WIDGET (self->detail_box))))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->event_list));
      if (GTK_IS_LABEL (focus))
        gtk_label_select_region (GTK_LABEL (focus), 0, 0);
    }
  self->scrub_list_had_focus = FALSE;
}

static gboolean
on_scrub_rested (gpointer user_data)
{
  ChronoWindow *self = user_data;

  self->scrub_timeout = 0;
  end_scrub (self);
  return G_SOURCE_REMOVE;
}

static void update_place_label (ChronoWindow *self);

static void
on_timeline_day_changed (ChronoWindow *self)
{
  /* A second change before the first has rested: a run has begun */
  if (self->scrub_timeout != 0 && !self->scrubbing)
    begin_scrub (self);
  g_clear_handle_id (&self->scrub_timeout, g_source_remove);
  /* Below the frame clock's priority: a frame that takes longer than the
   * rest (a change of thousands of events in effect) does not end the run */
  self->scrub_timeout = g_timeout_add_full (GDK_PRIORITY_REDRAW + 10, SCRUB_REST_MS, on_scrub_rested, self, NULL);

  update_events_in_effect (self);
  update_place_label (self);
  if (self->scrubbing)
    update_scrub_rows (self);
}

static GtkWidget *
make_label (const char *text,
            const char *css_class,
            gboolean    wrap)
{
  /* A dataset's text can be megabytes long: a label shows its start */
  g_autofree char *shown = chrono_text_for_display (text, CHRONO_DISPLAY_TEXT_CHARS);
  GtkWidget *label = gtk_label_new (shown);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), wrap);
  /* A wrapped label asks for its whole text on one line: cap it, or the
   * side panel grows to fit the longest title. */
  if (wrap)
    gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), wrap);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

static char *
describe_source (ChronoSource *source)
{
  if (source == NULL)
    return g_strdup (_("unknown source"));

  return chrono_source_dup_citation (source);
}

static void
free_gstring (gpointer data)
{
  g_string_free (data, TRUE);
}

/* What a claim is about, for people: the dataset's keys are identifiers. */
static const char *
claim_key_label (const char *key)
{
  static const struct { const char *key; const char *label; } labels[] = {
    { "date", N_("Date") },
    { "start", N_("Start") },
    { "end", N_("End") },
    { "duration", N_("Duration") },
    { "deaths", N_("Deaths") },
    { "wounded", N_("Wounded") },
    { "troops", N_("Troops") },
    { "officers", N_("Officers") },
    { "personnel", N_("Personnel") },
    { "sappers", N_("Sappers") },
    { "vehicles", N_("Vehicles") },
    { "armoured-vehicles", N_("Armoured vehicles") },
    { "villages", N_("Villages") },
    { "distance", N_("Distance") },
    { "time-to-capture", N_("Time to capture") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].key, key) == 0)
      return _(labels[i].label);
  return key;
}

static void
show_event_details (ChronoWindow *self,
                    ChronoEvent  *event)
{
  GtkWidget *child;
  GPtrArray *excerpts;
  g_autoptr (GPtrArray) disagreements = NULL;
  g_autofree char *dates = NULL;
  g_autofree char *title = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);

  gtk_widget_set_visible (self->detail_hint, event == NULL);
  gtk_widget_set_visible (self->detail_scroller, event != NULL);
  if (event == NULL)
    return;

  dates = chrono_format_dates (chrono_event_get_start (event), chrono_event_get_end (event));
  title = chrono_text_for_display (chrono_event_get_title (event), CHRONO_DISPLAY_NAME_CHARS);
  gtk_box_append (self->detail_box, make_label (title, "title-4", TRUE));
  gtk_box_append (self->detail_box, make_label (dates, "dim-label", TRUE));
  gtk_box_append (self->detail_box, make_label (chrono_event_get_summary (event), NULL, TRUE));

  excerpts = chrono_event_get_excerpts (event);
  if (excerpts->len > 0)
    gtk_box_append (self->detail_box, make_label (_("What the sources say"), "heading", FALSE));

  for (guint i = 0; i < excerpts->len; i++)
    {
      ChronoExcerpt *excerpt = g_ptr_array_index (excerpts, i);
      g_autofree char *quote = chrono_excerpt_dup_quoted (excerpt);
      g_autofree char *citation = chrono_excerpt_dup_citation (excerpt);
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

      gtk_widget_add_css_class (card, "card");
      gtk_widget_set_margin_bottom (card, 4);
      gtk_box_append (GTK_BOX (card), make_label (quote, NULL, TRUE));
      gtk_box_append (GTK_BOX (card), make_label (citation, "caption", TRUE));
      for (GtkWidget *w = gtk_widget_get_first_child (card); w; w = gtk_widget_get_next_sibling (w))
        {
          gtk_widget_set_margin_start (w, 10);
          gtk_widget_set_margin_end (w, 10);
        }
      gtk_widget_set_margin_top (gtk_widget_get_first_child (card), 8);
      gtk_widget_set_margin_bottom (gtk_widget_get_last_child (card), 8);
      gtk_box_append (self->detail_box, card);
    }

  /* Where the sources state different figures or dates, show them side by side. */
  disagreements = chrono_event_get_disagreements (event);
  for (guint i = 0; disagreements != NULL && i < disagreements->len; i++)
    {
      GPtrArray *claims = g_ptr_array_index (disagreements, i);
      g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GPtrArray) sources = g_ptr_array_new_with_free_func (free_gstring);
      GtkWidget *block, *grid;
      g_autofree char *heading = NULL;

      if (claims->len == 0)
        continue;

      /* One line per value, with every source that gives it */
      for (guint j = 0; j < claims->len; j++)
        {
          ChronoClaim *claim = g_ptr_array_index (claims, j);
          g_autofree char *value = chrono_claim_format_value (chrono_claim_get_key (claim), chrono_claim_get_value (claim));
          g_autofree char *source = describe_source (chrono_claim_get_source (claim));
          guint k;

          for (k = 0; k < values->len; k++)
            if (g_str_equal (g_ptr_array_index (values, k), value))
              break;
          if (k == values->len)
            {
              g_ptr_array_add (values, g_steal_pointer (&value));
              g_ptr_array_add (sources, g_string_new (source));
            }
          else if (strstr (((GString *) g_ptr_array_index (sources, k))->str, source) == NULL)
            g_string_append_printf (g_ptr_array_index (sources, k), "; %s", source);
        }

      block = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_widget_add_css_class (block, "card");
      gtk_widget_add_css_class (block, "disagreement");
      /* Translators: %s is what the sources disagree about, e.g. “Troops” */
      heading = g_strdup_printf (_("Sources disagree: %s"), claim_key_label (chrono_claim_get_key (g_ptr_array_index (claims, 0))));
      gtk_box_append (GTK_BOX (block), make_label (heading, "heading", TRUE));

      grid = gtk_grid_new ();
      gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
      gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
      for (guint k = 0; k < values->len; k++)
        {
          GtkWidget *value = make_label (g_ptr_array_index (values, k), "numeric", FALSE);
          GtkWidget *source = make_label (((GString *) g_ptr_array_index (sources, k))->str, "caption", TRUE);

          gtk_widget_add_css_class (value, "heading");
          gtk_widget_set_valign (value, GTK_ALIGN_START);
          gtk_widget_set_hexpand (source, TRUE);
          gtk_grid_attach (GTK_GRID (grid), value, 0, k, 1, 1);
          gtk_grid_attach (GTK_GRID (grid), source, 1, k, 1, 1);
        }
      gtk_box_append (GTK_BOX (block), grid);
      for (GtkWidget *w = gtk_widget_get_first_child (block); w; w = gtk_widget_get_next_sibling (w))
        {
          gtk_widget_set_margin_start (w, 10);
          gtk_widget_set_margin_end (w, 10);
        }
      gtk_widget_set_margin_top (gtk_widget_get_first_child (block), 8);
      gtk_widget_set_margin_bottom (gtk_widget_get_last_child (block), 8);
      gtk_box_append (self->detail_box, block);
    }
}

static void
move_map_to_event (ChronoWindow *self,
                   ChronoEvent  *event)
{
  GPtrArray *places = chrono_event_get_places (event);
  ShumateMap *map = shumate_simple_map_get_map (self->map);
  double lat = 0, lon = 0;
  guint n = 0;

  for (guint i = 0; i < places->len; i++)
    {
      ChronoPlace *place = g_ptr_array_index (places, i);

      /* Countries and regions are too coarse to move to. */
      if (g_strcmp0 (chrono_place_get_kind (place), "country") == 0)
        continue;
      lat += chrono_place_get_lat (place);
      lon += chrono_place_get_lon (place);
      n++;
    }

  if (n > 0)
    shumate_map_go_to (map, lat / n, lon / n);
}

/* Selects @event in the list shown, when it is there. */
static void
select_listed_event (ChronoWindow *self,
                     ChronoEvent  *event)
{
  if (gtk_single_selection_get_selected_item (self->selection) == event)
    return;

  {
    GListModel *model = gtk_single_selection_get_model (self->selection);
    guint position = CHRONO_IS_EVENT_LIST (model)
      ? chrono_event_list_find (CHRONO_EVENT_LIST (model), chrono_event_get_rowid (event)) : G_MAXUINT;

    if (position != G_MAXUINT)
      gtk_single_selection_set_selected (self->selection, position);
  }
}

/* win.go-to-event (an event's rowid), from a place's popover: the date
 * moves to the event, which is selected in the list. */
static void
go_to_event_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  gint64 rowid = g_variant_get_int64 (parameter);
  ChronoEvent *event = lookup_event (self, rowid);

  if (event == NULL)
    return;

  close_place_popover (self);
  chrono_timeline_set_day (self->timeline, MAX (chrono_event_get_start_lo (event), chrono_event_get_start_hi (event)));
  select_listed_event (self, event);
}

/* A search result, or one of a place's events over its whole timeline,
 * takes the timeline to the event's date. */
static void
go_to_listed_event (ChronoWindow *self,
                    ChronoEvent  *event)
{
  GListModel *model = gtk_single_selection_get_model (self->selection);
  g_autoptr (ChronoEvent) keep = g_object_ref (event);

  if (model != G_LIST_MODEL (self->search_model) && model != G_LIST_MODEL (self->place_all_model))
    return;

  chrono_timeline_set_day (self->timeline, MAX (chrono_event_get_start_lo (event), chrono_event_get_start_hi (event)));
  /* The place's list may have become the list of the date: the event is in it */
  select_listed_event (self, event);
}

static void
on_selection_changed (ChronoWindow *self)
{
  ChronoEvent *event = gtk_single_selection_get_selected_item (self->selection);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->detail_scroller));

  show_event_details (self, event);
  /* Another event's details start at their top */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
  chrono_timeline_set_selected_event (self->timeline, event ? chrono_event_get_rowid (event) : -1);
  if (event != NULL)
    {
      move_map_to_event (self, event);
      go_to_listed_event (self, event);
    }
}

static ChronoEvent *find_listed_event (ChronoWindow *self,
                                       const char *id,
                                       guint      *position);

/* A bar clicked on the timeline is the event selected everywhere: the list,
 * the details, and what F2, Delete and Ctrl+T act on */
static void
on_timeline_selected_event (ChronoWindow *self)
{
  gint64 rowid = chrono_timeline_get_selected_event (self->timeline);
  ChronoEvent *selected = gtk_single_selection_get_selected_item (self->selection);
  ChronoEvent *event = rowid > 0 ? lookup_event (self, rowid) : NULL;

  if (selected != NULL && chrono_event_get_rowid (selected) == rowid)
    return;
  if (event == NULL)
    {
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      return;
    }
  /* The list shows other objects for the same rowids after an edit: by id */
  {
    guint position;

    if (find_listed_event (self, chrono_event_get_id (event), &position) != NULL)
      gtk_single_selection_set_selected (self->selection, position);
  }
}

static void
on_event_list_activate (ChronoWindow *self,
                        guint         position)
{
  g_autoptr (ChronoEvent) event = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  /* A click has selected it already; Enter on a focused row selects it */
  if (event != NULL && gtk_single_selection_get_selected_item (self->selection) != event)
    gtk_single_selection_set_selected (self->selection, position);
}

static void
on_search_entry_search_changed (GtkSearchEntry *entry,
                                ChronoWindow   *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr (GArray) hits = NULL;
  g_autoptr (GError) error = NULL;

  if (text[0] == '\0' || self->store == NULL)
    {
      g_clear_pointer (&self->searched_text, g_free);
      g_clear_pointer (&self->searched_table, chrono_event_table_unref);
      update_list_model (self);
      update_title (self);
      return;
    }
  /* Found already (the entry tells of a text some time after it was set) */
  if (g_strcmp0 (text, self->searched_text) == 0 && self->searched_table == get_table (self) &&
      gtk_single_selection_get_model (self->selection) == G_LIST_MODEL (self->search_model))
    return;

  g_free (self->searched_text);
  self->searched_text = g_strdup (text);
  g_clear_pointer (&self->searched_table, chrono_event_table_unref);
  if (get_table (self) != NULL)
    self->searched_table = chrono_event_table_ref (get_table (self));
  hits = chrono_event_source_search (get_source (self), text, &error);
  if (hits == NULL)
    hits = g_array_new (FALSE, FALSE, sizeof (gint64));
  /* Listed as found, and read as shown */
  change_listed (self, self->search_model, LIST_RESET, (const gint64 *) (gpointer) hits->data, hits->len);

  change_listed (self, self->search_model, LIST_SHOW, NULL, 0);
  {
    g_autofree char *heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%'u event matches “%s”",
                                                             "%'u events match “%s”",
                                                             g_list_model_get_n_items (G_LIST_MODEL (self->search_model))),
                                                g_list_model_get_n_items (G_LIST_MODEL (self->search_model)), text);
    gtk_label_set_text (self->list_heading, heading);
  }
}

static void
on_search_entry_stop_search (GtkSearchEntry *entry,
                             ChronoWindow   *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void on_row_pressed (GtkGestureClick *gesture,
                            int              n_press,
                            double           x,
                            double           y,
                            ChronoWindow    *self);
static void on_row_long_pressed (GtkGestureLongPress *gesture,
                                 double               x,
                                 double               y,
                                 ChronoWindow        *self);

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           ChronoWindow             *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *dot = gtk_label_new ("●");
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *press = gtk_gesture_long_press_new ();

  /* Its context menu: right click, or a long press on a touch screen */
  g_object_set_data (G_OBJECT (box), "chrono-list-item", item);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_row_pressed), self);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (click));
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (press), TRUE);
  g_signal_connect (press, "pressed", G_CALLBACK (on_row_long_pressed), self);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (press));

  gtk_widget_set_valign (dot, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), dot);
  gtk_box_append (GTK_BOX (text), make_label (NULL, "caption", TRUE));
  gtk_box_append (GTK_BOX (text), make_label (NULL, "heading", TRUE));
  /* What a search result matched */
  gtk_box_append (GTK_BOX (text), make_label (NULL, "caption", TRUE));
  gtk_widget_add_css_class (gtk_widget_get_last_child (text), "dim-label");
  /* A click on a row selects the event, not the text */
  for (GtkWidget *label = gtk_widget_get_first_child (text); label; label = gtk_widget_get_next_sibling (label))
    gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), text);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_list_item_set_child (item, box);
}

/* A row's dates, and how long ago the event ended when it is listed in its
 * afterglow: faded, so that it does not read as in effect. */
static void
update_row_age (ChronoWindow *self,
                GtkListItem  *item)
{
  ChronoEvent *event = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *dates_label;
  g_autofree char *dates = NULL;
  ChronoDay day;
  gint64 age;

  if (event == NULL || box == NULL || self->selection == NULL)
    return;

  dates_label = gtk_widget_get_first_child (gtk_widget_get_next_sibling (gtk_widget_get_first_child (box)));
  dates = chrono_format_dates (chrono_event_get_start (event), chrono_event_get_end (event));
  day = chrono_timeline_get_day (self->timeline);
  age = day - chrono_event_get_end_hi (event);

  /* Only the list of the date has an afterglow: search results and a
   * place's whole timeline are listed for themselves */
  if (age > 0 && gtk_single_selection_get_model (self->selection) != G_LIST_MODEL (self->search_model) &&
      gtk_single_selection_get_model (self->selection) != G_LIST_MODEL (self->place_all_model))
    {
      /* Translators: an event listed after its end; %s is its date */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%s · ended %lld day ago",
                                                            "%s · ended %lld days ago", age),
                                               dates, (long long) age);

      gtk_label_set_text (GTK_LABEL (dates_label), text);
      gtk_widget_add_css_class (box, "afterglow");
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (dates_label), dates);
      gtk_widget_remove_css_class (box, "afterglow");
    }
}

static void
update_row_ages (ChronoWindow *self)
{
  GHashTableIter iter;
  gpointer item;

  if (self->bound_rows == NULL)
    return;
  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    update_row_age (self, item);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          ChronoWindow             *self)
{
  ChronoEvent *event = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *dot = gtk_widget_get_first_child (box);
  GtkWidget *text = gtk_widget_get_next_sibling (dot);
  GtkWidget *dates_label = gtk_widget_get_first_child (text);
  GtkWidget *title_label = gtk_widget_get_next_sibling (dates_label);
  GtkWidget *match_label = gtk_widget_get_next_sibling (title_label);
  g_autofree char *markup = dup_dot_markup (event);
  g_autofree char *match = NULL;
  g_autofree char *title = NULL;

  gtk_label_set_markup (GTK_LABEL (dot), markup);
  title = chrono_text_for_display (chrono_event_get_title (event), CHRONO_DISPLAY_NAME_CHARS);
  gtk_label_set_text (GTK_LABEL (title_label), title);
  if (gtk_single_selection_get_model (self->selection) == G_LIST_MODEL (self->search_model))
    match = chrono_window_dup_match_description (self, event);
  gtk_label_set_text (GTK_LABEL (match_label), match != NULL ? match : "");
  gtk_widget_set_visible (match_label, match != NULL);

  if (self->bound_rows != NULL)
    g_hash_table_add (self->bound_rows, item);
  update_row_age (self, item);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            ChronoWindow             *self)
{
  /* The list may let its rows go after the window's dispose */
  if (self->bound_rows != NULL)
    g_hash_table_remove (self->bound_rows, item);
}

/**
 * chrono_window_dup_match_description:
 * @event: a search result
 *
 * What of @event the search text matched, for its row: its title, one of
 * its places' names (which one), an excerpt or its summary.
 *
 * Returns: (transfer full) (nullable): the description, or NULL when no
 * search is going on
 */
char *
chrono_window_dup_match_description (ChronoWindow *self,
                                     ChronoEvent  *event)
{
  const char *text;
  GPtrArray *places, *excerpts;

  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);
  g_return_val_if_fail (CHRONO_IS_EVENT (event), NULL);

  if (!searching (self))
    return NULL;

  text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  if (chrono_search_text_matches (text, chrono_event_get_title (event)))
    return g_strdup (_("Matched in the title"));

  places = chrono_event_get_places (event);
  for (guint i = 0; places != NULL && i < places->len; i++)
    {
      GPtrArray *names = chrono_place_get_names (g_ptr_array_index (places, i));

      for (guint j = 0; names != NULL && j < names->len; j++)
        {
          ChronoPlaceName *name = g_ptr_array_index (names, j);

          if (chrono_search_text_matches (text, name->name))
            {
              g_autofree char *shown = chrono_text_for_display (name->name, CHRONO_DISPLAY_NAME_CHARS);

              /* Translators: %s is the place name a search matched, e.g. “Xankəndi” */
              return g_strdup_printf (_("Matched the place name “%s”"), shown);
            }
        }
    }

  excerpts = chrono_event_get_excerpts (event);
  for (guint i = 0; excerpts != NULL && i < excerpts->len; i++)
    if (chrono_search_text_matches (text, chrono_excerpt_get_quote (g_ptr_array_index (excerpts, i))))
      return g_strdup (_("Matched in an excerpt"));

  if (chrono_search_text_matches (text, chrono_event_get_summary (event)))
    return g_strdup (_("Matched in the summary"));

  return g_strdup (_("Matched across its texts"));
}

static ChronoPlaceNamePolicy
get_place_name_policy (ChronoWindow *self)
{
  if (self->settings == NULL)
    return CHRONO_PLACE_NAME_POLICY_UI_LANGUAGE;

  return g_settings_get_enum (self->settings, "place-name-policy");
}

/**
 * chrono_window_format_place_name:
 * @place: a place
 * @policy: which of its names to show
 * @lang: the language of the interface
 * @day: the date shown: names that change with time are the ones valid then
 *
 * Returns: (transfer full): the name of @place as @policy asks: in @lang,
 *   its official name (else the one in @lang), or both when they differ
 */
char *
chrono_window_format_place_name (ChronoPlace           *place,
                                 ChronoPlaceNamePolicy  policy,
                                 const char            *lang,
                                 ChronoDay              day)
{
  g_autofree char *ui_name = NULL;
  g_autofree char *official = NULL;

  g_return_val_if_fail (CHRONO_IS_PLACE (place), NULL);

  /* Names of a line's length: a dataset's can be megabytes long */
  ui_name = chrono_text_for_display (chrono_place_get_name_at (place, lang, day), CHRONO_DISPLAY_NAME_CHARS);
  official = chrono_text_for_display (chrono_place_get_official_name_at (place, day), CHRONO_DISPLAY_NAME_CHARS);

  switch (policy)
    {
    case CHRONO_PLACE_NAME_POLICY_LOCAL_OFFICIAL:
      return g_strdup (official != NULL ? official : ui_name);
    case CHRONO_PLACE_NAME_POLICY_BOTH:
      if (official != NULL && g_strcmp0 (official, ui_name) != 0)
        /* Translators: a place's name in the interface language, then its official name */
        return g_strdup_printf (_("%s (%s)"), ui_name, official);
      return g_strdup (ui_name);
    case CHRONO_PLACE_NAME_POLICY_UI_LANGUAGE:
    default:
      return g_strdup (ui_name);
    }
}

/* The place bar names the place as it was called at the date shown */
static void
update_place_label (ChronoWindow *self)
{
  ChronoPlace *place;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (self->filter_place == NULL)
    return;

  place = chrono_event_layer_get_place (self->event_layer, self->filter_place);
  name = place != NULL
    ? chrono_window_format_place_name (place, get_place_name_policy (self), self->lang,
                                       chrono_timeline_get_day (self->timeline))
    : g_strdup (self->filter_place);
  /* Translators: the side panel lists only the events at this place */
  text = g_strdup_printf (_("Showing events at %s"), name);
  if (g_strcmp0 (gtk_label_get_text (self->place_label), text) != 0)
    gtk_label_set_text (self->place_label, text);
}

static void
set_filter_place (ChronoWindow *self,
                  const char   *place_id)
{
  if (g_strcmp0 (self->filter_place, place_id) == 0)
    return;

  g_free (self->filter_place);
  self->filter_place = g_strdup (place_id);
  update_place_label (self);

  update_place_model (self);
  fill_place_all_model (self);
  gtk_revealer_set_reveal_child (self->place_bar, place_id != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clear-place", place_id != NULL);
  if (place_id == NULL)
    chrono_event_layer_set_selected_place (self->event_layer, NULL);

  update_list_model (self);
  update_title (self);
}

static void
on_place_popover_closed (GtkPopover   *popover,
                         ChronoWindow *self)
{
  if (self->place_popover != GTK_WIDGET (popover))
    return;

  self->place_popover = NULL;
  gtk_widget_unparent (GTK_WIDGET (popover));
}

static void
close_place_popover (ChronoWindow *self)
{
  GtkWidget *popover = g_steal_pointer (&self->place_popover);

  if (popover != NULL)
    {
      gtk_popover_popdown (GTK_POPOVER (popover));
      gtk_widget_unparent (popover);
    }
}

static void
on_event_layer_place_activated (ChronoEventLayer *layer,
                                const char       *place_id,
                                double            x,
                                double            y,
                                ChronoWindow     *self)
{
  ChronoPlace *place = chrono_event_layer_get_place (layer, place_id);
  GtkWidget *map = GTK_WIDGET (shumate_simple_map_get_map (self->map));
  GtkWidget *popover;

  if (place == NULL || self->store == NULL)
    return;

  /* A place chosen on the map narrows the list, even while searching. */
  if (searching (self))
    on_search_entry_stop_search (self->search_entry, self);
  chrono_event_layer_set_selected_place (layer, place_id);
  set_filter_place (self, place_id);

  close_place_popover (self);
  popover = chrono_event_layer_build_place_popover (get_source (self), place, self->lang);
  gtk_widget_set_parent (popover, map);
  /* Pointing at the whole disc, so that the popover leaves the place in sight */
  gtk_popover_set_pointing_to (GTK_POPOVER (popover),
                               &(GdkRectangle) { (int) x - PLACE_POPOVER_MARGIN, (int) y - PLACE_POPOVER_MARGIN,
                                                 2 * PLACE_POPOVER_MARGIN, 2 * PLACE_POPOVER_MARGIN });
  gtk_popover_set_position (GTK_POPOVER (popover), GTK_POS_TOP);
  g_signal_connect (popover, "closed", G_CALLBACK (on_place_popover_closed), self);
  self->place_popover = popover;
  gtk_popover_popup (GTK_POPOVER (popover));
}

/* A click on the map away from any place clears the selection, and with it the filter. */
static void
on_event_layer_selected_place_changed (ChronoWindow *self)
{
  if (chrono_event_layer_get_selected_place (self->event_layer) == NULL)
    set_filter_place (self, NULL);
}

static void
clear_place_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  set_filter_place (CHRONO_WINDOW (widget), NULL);
}

static void
show_toast (ChronoWindow *self,
            const char   *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* The style the basemap should have now: the setting's, else the system's. */
static ChronoBasemapStyle
get_basemap_style (ChronoWindow *self)
{
  int style = self->settings != NULL ? g_settings_get_enum (self->settings, "basemap-style") : 0;

  switch (style)
    {
    case 1:
      return CHRONO_BASEMAP_STYLE_LIGHT;
    case 2:
      return CHRONO_BASEMAP_STYLE_DARK;
    case 3:
      return CHRONO_BASEMAP_STYLE_NEUTRAL;
    default:
      return adw_style_manager_get_dark (adw_style_manager_get_default ())
               ? CHRONO_BASEMAP_STYLE_DARK
               : CHRONO_BASEMAP_STYLE_LIGHT;
    }
}

/* OpenStreetMap's own tiles, over the network. Created only once the person
 * has allowed online tiles and chosen them: until then nothing may connect. */
static ShumateMapSource *
new_osm_map_source (void)
{
  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full_from_url ("osm-mapnik",
                                                                        "OpenStreetMap",
                                                                        "© OpenStreetMap contributors",
                                                                        "https://www.openstreetmap.org/copyright",
                                                                        0, 19, 256,
                                                                        SHUMATE_MAP_PROJECTION_MERCATOR,
                                                                        OSM_TILE_URL));
}

static ShumateMapSource *
new_basemap_map_source (ChronoWindow  *self,
                        GError       **error)
{
  g_autofree char *basemap = NULL;

  if (self->settings != NULL)
    basemap = g_settings_get_string (self->settings, "basemap");

  if (g_strcmp0 (basemap, "osm") == 0 &&
      g_settings_get_boolean (self->settings, "online-tiles-enabled"))
    return new_osm_map_source ();

  if (g_strcmp0 (basemap, "mbtiles") == 0)
    {
      g_autofree char *path = g_settings_get_string (self->settings, "mbtiles-path");

      if (path[0] != '\0')
        return chrono_mbtiles_source_new_map_source (path, error);
    }

  return chrono_basemap_source_new_map_source_full (get_basemap_style (self), 256, self->lang, self->places);
}

/* Paints the basemap's land colour under the map, so that tiles still on
 * their way, and the antialiased seams between tiles, show land rather than
 * the window's own background. */
static void
update_map_background (ChronoWindow       *self,
                       ChronoBasemapStyle  style)
{
  g_autofree char *css = NULL;
  g_autofree char *color = NULL;
  GdkRGBA land;

  chrono_basemap_get_background_color (style, &land);
  color = gdk_rgba_to_string (&land);
  css = g_strdup_printf (".chrono-map { background-color: %s; }", color);
  if (self->map_css == NULL)
    {
      self->map_css = gtk_css_provider_new ();
      gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                  GTK_STYLE_PROVIDER (self->map_css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
  gtk_css_provider_load_from_data (self->map_css, css, -1);
}

/* Puts the basemap the settings and the system style ask for under the
 * event layer, keeping the place and zoom the person was looking at. */
static void
update_basemap (ChronoWindow *self)
{
  g_autoptr (ShumateMapSource) source = NULL;
  g_autoptr (GError) error = NULL;
  ShumateMapSource *current = shumate_simple_map_get_map_source (self->map);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  double lat, lon, zoom;

  source = new_basemap_map_source (self, &error);
  if (source == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not open the map file: %s"), error->message);

      show_toast (self, text);
      source = chrono_basemap_source_new_map_source (get_basemap_style (self), 256, self->lang);
    }

  /* The event layer draws its labels in the basemap's colours */
  if (self->event_layer != NULL)
    chrono_event_layer_set_basemap_style (self->event_layer, get_basemap_style (self));
  update_map_background (self, get_basemap_style (self));

  if (current != NULL &&
      g_strcmp0 (shumate_map_source_get_id (current), shumate_map_source_get_id (source)) == 0)
    return;

  lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  zoom = shumate_viewport_get_zoom_level (viewport);

  shumate_simple_map_set_map_source (self->map, source);

  if (current != NULL)
    {
      shumate_viewport_set_zoom_level (viewport, zoom);
      shumate_map_center_on (shumate_simple_map_get_map (self->map), lat, lon);
    }
}

/* The language of most places' official names (for this dataset, the
 * language of the state that administers them), else NULL. */
static char *
dup_official_language (ChronoWindow *self)
{
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  const char *best = NULL;
  guint best_count = 0;

  if (self->store == NULL)
    return NULL;

  places = chrono_event_source_get_places (get_source (self), self->lang, NULL);
  for (guint i = 0; places != NULL && i < places->len; i++)
    {
      GPtrArray *names = chrono_place_get_names (g_ptr_array_index (places, i));

      for (guint j = 0; names != NULL && j < names->len; j++)
        {
          ChronoPlaceName *name = g_ptr_array_index (names, j);
          guint count;

          if (g_strcmp0 (name->usage, "official") != 0 || name->lang == NULL)
            continue;
          count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, name->lang)) + 1;
          g_hash_table_insert (counts, name->lang, GUINT_TO_POINTER (count));
          if (count > best_count)
            {
              best = name->lang;
              best_count = count;
            }
          break;
        }
    }

  return g_strdup (best);
}

/* The event layer names each place in one language: the interface's, or for
 * "local-official" the language of the official names. It cannot show two
 * names, so "both" labels the map in the interface language; the popover and
 * the side panel's place bar show both. */
static void
apply_place_name_policy (ChronoWindow *self)
{
  g_autofree char *official = NULL;

  if (get_place_name_policy (self) == CHRONO_PLACE_NAME_POLICY_LOCAL_OFFICIAL)
    official = dup_official_language (self);

  chrono_event_layer_set_language (self->event_layer, official != NULL ? official : self->lang);
  chrono_event_layer_set_both_names (self->event_layer,
                                     get_place_name_policy (self) == CHRONO_PLACE_NAME_POLICY_BOTH);
  /* Exports name places as the map does */
  if (self->snapshot != NULL)
    chrono_snapshot_set_place_names (self->snapshot, official != NULL ? official : self->lang,
                                     get_place_name_policy (self) == CHRONO_PLACE_NAME_POLICY_BOTH);

  if (self->filter_place != NULL)
    {
      g_autofree char *place = g_strdup (self->filter_place);

      set_filter_place (self, NULL);
      set_filter_place (self, place);
    }
}

static void
on_settings_changed (GSettings    *settings,
                     const char   *key,
                     ChronoWindow *self)
{
  if (g_str_equal (key, "basemap") || g_str_equal (key, "basemap-style") ||
      g_str_equal (key, "mbtiles-path") || g_str_equal (key, "online-tiles-enabled"))
    update_basemap (self);
  else if (g_str_equal (key, "place-name-policy"))
    apply_place_name_policy (self);
}

/* Shows the period where most events are rather than the whole extent: a
 * dataset's background often reaches decades back (the bundled one to the
 * 1990s) for a tenth of its events. */
static void
show_main_period (ChronoWindow *self)
{
  ChronoDay first, last, margin;

  if (!chrono_timeline_get_main_period (self->timeline, &first, &last))
    return;

  margin = MAX (15, (last - first) / 25);
  chrono_timeline_set_visible_range (self->timeline, first - margin, last + margin);
}

static void load_document (ChronoWindow   *self,
                           ChronoDocument *document,
                           gboolean        new_dataset);
static ChronoDocument *open_document (ChronoWindow  *self,
                                      const char    *path,
                                      GError       **error);

static void remember_dataset (ChronoWindow *self,
                              const char   *path);

static double
mercator_y (double lat)
{
  double phi = CLAMP (lat, -85.0, 85.0) * G_PI / 180.0;

  return (1.0 - log (tan (phi) + 1.0 / cos (phi)) / G_PI) / 2.0;
}

/* Shows every place of the dataset: a new dataset may be anywhere on Earth. */
static void
frame_dataset (ChronoWindow *self)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  GtkWidget *map = GTK_WIDGET (shumate_simple_map_get_map (self->map));
  double min_lat = 90, max_lat = -90, min_lon = 180, max_lon = -180;
  double width, height, dx, dy, zoom;

  if (self->places == NULL || self->places->len == 0)
    return;

  for (guint i = 0; i < self->places->len; i++)
    {
      ChronoPlace *place = g_ptr_array_index (self->places, i);

      min_lat = MIN (min_lat, chrono_place_get_lat (place));
      max_lat = MAX (max_lat, chrono_place_get_lat (place));
      min_lon = MIN (min_lon, chrono_place_get_lon (place));
      max_lon = MAX (max_lon, chrono_place_get_lon (place));
    }

  /* Before the first allocation, the size the window opens at will do. */
  width = MAX (gtk_widget_get_width (map), 600);
  height = MAX (gtk_widget_get_height (map), 400);
  dx = (max_lon - min_lon) / 360.0;
  dy = fabs (mercator_y (min_lat) - mercator_y (max_lat));
  /* Margins of a tenth on each side; a lone place is shown as a town is. */
  zoom = MIN (dx > 0 ? log2 (width * 0.8 / (256.0 * dx)) : 10,
              dy > 0 ? log2 (height * 0.8 / (256.0 * dy)) : 10);
  zoom = CLAMP (zoom, 1, 12);

  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_map_center_on (SHUMATE_MAP (map), (min_lat + max_lat) / 2, (min_lon + max_lon) / 2);
}

/**
 * chrono_window_open_dataset:
 * @self: a window
 * @file: a dataset: a `.chronotope` file, or the JSON a dataset is written in
 *
 * Shows the events of @file instead of the ones shown now. If @file cannot be
 * read, nothing changes and @error says what is wrong and where.
 *
 * Returns: whether @file is now shown
 */
gboolean
chrono_window_open_dataset (ChronoWindow  *self,
                            GFile         *file,
                            GError       **error)
{
  g_autoptr (ChronoDocument) document = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (CHRONO_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s: only local files can be opened"), uri);
      return FALSE;
    }

  document = open_document (self, path, error);
  if (document == NULL)
    return FALSE;

  /* A search or a place of the old dataset means nothing in the new one */
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  set_filter_place (self, NULL);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  load_document (self, document, TRUE);
  frame_dataset (self);
  /* A file imported into memory is not a dataset to come back to. */
  remember_dataset (self, chrono_store_get_path (chrono_document_get_store (document)) != NULL ? path : NULL);
  return TRUE;
}

/* Copies what can be read of the damaged dataset at @path into a new one
 * beside the user's datasets, and opens it. */
static void
recover_dataset (ChronoWindow *self,
                 const char   *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *stem = g_strndup (base, strcspn (base, "."));
  g_autofree char *name = g_strconcat (stem, "-recovered.chronotope", NULL);
  g_autofree char *target = chrono_cli_dup_import_path (name);
  g_autoptr (GFile) file = g_file_new_for_path (target);
  g_autoptr (GError) error = NULL;
  guint n_events = 0;

  if (!chrono_cli_recover (path, target, &n_events, &error) ||
      !chrono_window_open_dataset (self, file, &error))
    {
      show_toast (self, error->message);
      return;
    }

  {
    g_autofree char *display = g_filename_display_basename (target);
    /* Translators: %u events were read from a damaged dataset into the file %s */
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "Recovered %u event into “%s”",
                                                          "Recovered %u events into “%s”", n_events),
                                             n_events, display);

    show_toast (self, text);
  }
}

static void
on_open_error_response (AdwMessageDialog *dialog,
                        const char       *response,
                        ChronoWindow     *self)
{
  const char *path = g_object_get_data (G_OBJECT (dialog), "damaged-path");

  if (g_strcmp0 (response, "recover") == 0 && path != NULL)
    recover_dataset (self, path);
}

static void
show_open_error (ChronoWindow *self,
                 GFile        *file,
                 const GError *error)
{
  g_autofree char *name = g_file_get_basename (file);
  /* Translators: %s is a file name */
  g_autofree char *heading = g_strdup_printf (_("Could Not Open “%s”"), name);
  g_autofree char *path = g_file_get_path (file);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, error->message));

  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  /* A damaged dataset: what can be read goes into a new one, the file stays */
  if (g_error_matches (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_DAMAGED) && path != NULL)
    {
      g_autofree char *body = g_strdup_printf (_("%s\n\nWhat can still be read can be copied into a new dataset; "
                                                 "this file stays as it is."),
                                               error->message);

      adw_message_dialog_set_body (dialog, body);
      adw_message_dialog_add_response (dialog, "recover", _("_Recover into a New Dataset"));
      adw_message_dialog_set_response_appearance (dialog, "recover", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "recover");
      g_object_set_data_full (G_OBJECT (dialog), "damaged-path", g_steal_pointer (&path), g_free);
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_open_error_response), self, 0);
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The recent-datasets menu, from the setting */
static void
update_recent_menu (ChronoWindow *self)
{
  g_auto (GStrv) recent = NULL;

  if (self->recent_menu == NULL)
    return;

  g_menu_remove_all (self->recent_menu);
  if (self->settings == NULL)
    return;

  recent = g_settings_get_strv (self->settings, "recent-datasets");
  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *name = g_filename_display_basename (recent[i]);
      g_autoptr (GMenuItem) item = g_menu_item_new (name, NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-recent", g_variant_new_string (recent[i]));
      g_menu_append_item (self->recent_menu, item);
    }
}

/* Remembers @path as the dataset open now: first of the recent ones, and
 * the one the window opens next time. */
static void
remember_dataset (ChronoWindow *self,
                  const char   *path)
{
  g_auto (GStrv) recent = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) updated = NULL;
  guint n = 1;

  if (self->settings == NULL)
    return;

  g_settings_set_string (self->settings, "last-dataset", path != NULL ? path : "");
  if (path == NULL)
    return;

  recent = g_settings_get_strv (self->settings, "recent-datasets");
  g_strv_builder_add (builder, path);
  for (guint i = 0; recent[i] != NULL && n < 10; i++)
    if (g_strcmp0 (recent[i], path) != 0 && g_file_test (recent[i], G_FILE_TEST_EXISTS))
      {
        g_strv_builder_add (builder, recent[i]);
        n++;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-datasets", (const char * const *) updated);
  update_recent_menu (self);
}

/* A dataset file (.chronotope) or Chronotope's own JSON opens at once; other
 * files go through the import dialog. */
static gboolean
opens_directly (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr (GBytes) head = NULL;
  const ChronoImportFormat *format;

  if (path == NULL || g_str_has_suffix (path, ".chronotope"))
    return TRUE;

  {
    g_autoptr (GFileInputStream) stream = g_file_read (file, NULL, NULL);

    if (stream == NULL)
      return TRUE;  /* opening says what is wrong */
    head = g_input_stream_read_bytes (G_INPUT_STREAM (stream), 64 * 1024, NULL, NULL);
  }
  if (head == NULL)
    return TRUE;

  if (g_bytes_get_size (head) >= 16 && memcmp (g_bytes_get_data (head, NULL), "SQLite format 3", 16) == 0)
    return TRUE;

  format = chrono_import_detect (path, head);
  return format == NULL || format == chrono_import_find_format ("chronotope");
}

static void
on_import_dialog_imported (ChronoImportDialog *dialog,
                           GFile              *dataset,
                           const char         *summary,
                           ChronoWindow       *self)
{
  g_autoptr (GError) error = NULL;

  if (!chrono_window_open_dataset (self, dataset, &error))
    {
      show_open_error (self, dataset, error);
      return;
    }
  show_toast (self, summary);
}

/* Where an import may be added: the open dataset, when it is a file of the
 * person's own (not the bundled one, not a file imported into memory). */
static const char *
get_importable_dataset (ChronoWindow *self)
{
  const char *path = self->store != NULL ? chrono_store_get_path (self->store) : NULL;
  g_autofree char *bundled = chrono_dataset_dup_bundled_path ();

  if (path == NULL || g_strcmp0 (path, bundled) == 0)
    return NULL;
  return path;
}

/**
 * chrono_window_open_file:
 * @self: a window
 * @file: a dataset, or any file a reader takes
 *
 * Opens a dataset like chrono_window_open_dataset(), saying what went wrong
 * in a dialog; a file in another format (CSV, KML…) opens the import dialog.
 */
void
chrono_window_open_file (ChronoWindow *self,
                         GFile        *file)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (CHRONO_IS_WINDOW (self));

  if (!opens_directly (file))
    {
      ChronoImportDialog *dialog = chrono_import_dialog_new (GTK_WINDOW (self), file,
                                                             get_importable_dataset (self));

      g_signal_connect_object (dialog, "imported", G_CALLBACK (on_import_dialog_imported), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  if (!chrono_window_open_dataset (self, file, &error))
    show_open_error (self, file, error);
}

static void
on_open_response (GtkNativeDialog *chooser,
                  int              response,
                  ChronoWindow    *self)
{
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);

  if (file != NULL)
    chrono_window_open_file (self, file);
}

static void
add_pattern_filter (GtkFileChooser     *chooser,
                    const char         *label,
                    const char * const *patterns,
                    GtkFileFilter      *all)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, label);
  for (guint i = 0; patterns[i] != NULL; i++)
    {
      gtk_file_filter_add_pattern (filter, patterns[i]);
      gtk_file_filter_add_pattern (all, patterns[i]);
    }
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  const ChronoImportFormat * const *formats = chrono_import_get_formats ();
  static const char * const datasets[] = { "*.chronotope", NULL };
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (all, _("All Supported Files"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  add_pattern_filter (GTK_FILE_CHOOSER (chooser), _("Chronotope Datasets"), datasets, all);
  for (guint i = 0; formats[i] != NULL; i++)
    add_pattern_filter (GTK_FILE_CHOOSER (chooser), _(formats[i]->label), formats[i]->patterns, all);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), all);

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  g_autoptr (GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  chrono_window_open_file (self, file);
}

/* Export Dataset… */

typedef struct
{
  char                     *dataset_path;
  char                     *target;
  char                     *lang;
  const ChronoExportFormat *format;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_free (job->dataset_path);
  g_free (job->target);
  g_free (job->lang);
  g_free (job);
}

/* On a thread, through a connection of its own to the dataset file. */
static void
run_export_job (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr (ChronoStore) store = chrono_store_open_readonly (job->dataset_path, NULL);
  GError *error = NULL;

  if (store == NULL)
    store = chrono_cli_open_dataset (job->dataset_path, &error);
  if (store == NULL ||
      !chrono_export_to_file (store, job->format, job->target, job->lang, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ChronoWindow *self = CHRONO_WINDOW (source);
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_toast (self, error->message);
      return;
    }

  {
    g_autofree char *name = g_filename_display_basename (job->target);
    /* Translators: %s is a file name */
    g_autofree char *text = g_strdup_printf (_("Exported to “%s”"), name);

    show_toast (self, text);
  }
}

static void
on_export_dataset_response (GtkNativeDialog *chooser,
                            int              response,
                            ChronoWindow    *self)
{
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;
  const char *choice;
  const ChronoExportFormat *format = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "format");
  if (choice != NULL)
    format = chrono_export_find_format (choice);
  g_object_unref (chooser);

  if (file == NULL || (path = g_file_get_path (file)) == NULL || self->store == NULL)
    return;

  /* A name with another format's extension is written in that format. */
  if (chrono_export_format_for_path (path) != NULL)
    format = chrono_export_format_for_path (path);
  if (format == NULL)
    format = &chrono_export_format_json;

  if (chrono_store_get_path (self->store) == NULL)
    {
      g_autoptr (GError) error = NULL;

      /* A file imported into memory: small enough to write here. */
      if (!chrono_export_to_file (self->store, format, path, self->lang, NULL, &error))
        show_toast (self, error->message);
      else
        {
          g_autofree char *name = g_filename_display_basename (path);
          g_autofree char *text = g_strdup_printf (_("Exported to “%s”"), name);

          show_toast (self, text);
        }
      return;
    }

  {
    g_autoptr (GTask) task = g_task_new (self, NULL, on_export_done, NULL);
    ExportJob *job = g_new0 (ExportJob, 1);

    job->dataset_path = g_strdup (chrono_store_get_path (self->store));
    job->target = g_strdup (path);
    job->lang = g_strdup (self->lang);
    job->format = format;
    g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
    g_task_run_in_thread (task, run_export_job);
  }
}

static void
export_dataset_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  const ChronoExportFormat * const *formats = chrono_export_get_formats ();
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;
  g_autofree char *slug = NULL;
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export Dataset"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  for (guint i = 0; formats[i] != NULL; i++)
    {
      g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
      g_autofree char *pattern = g_strconcat ("*.", formats[i]->extension, NULL);

      gtk_file_filter_set_name (filter, _(formats[i]->label));
      gtk_file_filter_add_pattern (filter, pattern);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      g_ptr_array_add (ids, (gpointer) formats[i]->name);
      g_ptr_array_add (labels, (gpointer) _(formats[i]->label));
    }
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (labels, NULL);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "format", _("Format"),
                               (const char **) ids->pdata, (const char **) labels->pdata);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "format", "geojson");

  title = get_source (self) != NULL ? chrono_event_source_dup_meta (get_source (self), "title", self->lang) : NULL;
  slug = chrono_import_slug (title != NULL ? title : "dataset");
  name = g_strconcat (slug[0] != '\0' ? slug : "dataset", ".geojson", NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_dataset_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Files dropped on the window open as Open would open them */
static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         ChronoWindow  *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = g_value_get_boxed (value);
  if (files == NULL)
    return FALSE;

  chrono_window_open_file (self, G_FILE (files->data));
  return TRUE;
}

/* Exports */

static ChronoSnapshot *
ensure_snapshot (ChronoWindow *self)
{
  g_autoptr (GError) error = NULL;

  if (self->snapshot == NULL && self->store != NULL)
    {
      self->snapshot = chrono_snapshot_new_for_table (get_source (self), self->lang,
                                                      chrono_document_get_table (self->document),
                                                      chrono_document_get_time_index (self->document), &error);
      if (self->snapshot == NULL)
        show_toast (self, error->message);
      else
        apply_place_name_policy (self);
    }
  return self->snapshot;
}

/**
 * chrono_window_dup_snapshot_options:
 * @self: a window
 *
 * Returns: (transfer full): the snapshot of what the window shows: its date,
 *   its selected event (else the events in effect), its map style, and its
 *   map's centre, zoomed so that a 1920×1080 image covers what the map shows.
 */
ChronoSnapshotOptions *
chrono_window_dup_snapshot_options (ChronoWindow *self)
{
  ChronoSnapshotOptions *options = chrono_snapshot_options_new ();
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  ChronoEvent *selected = gtk_single_selection_get_selected_item (self->selection);
  int map_width = gtk_widget_get_width (GTK_WIDGET (self->map));
  g_autofree char *basemap = NULL;

  options->day = chrono_timeline_get_day (self->timeline);
  options->style = get_basemap_style (self);
  if (selected != NULL)
    options->event_rowid = chrono_event_get_rowid (selected);

  /* The size, scale and parts last chosen */
  if (self->settings != NULL)
    {
      int size = g_settings_get_int (self->settings, "snapshot-size");

      if (size < CHRONO_SNAPSHOT_N_PRESETS)
        chrono_snapshot_preset_get_size (size, &options->width, &options->height);
      else
        {
          options->width = gtk_widget_get_width (GTK_WIDGET (self));
          options->height = gtk_widget_get_height (GTK_WIDGET (self));
        }
      options->scale = g_settings_get_int (self->settings, "snapshot-scale");
      options->include = (g_settings_get_uint (self->settings, "snapshot-parts") & ~CHRONO_SNAPSHOT_INCLUDE_TITLE) |
                         CHRONO_SNAPSHOT_INCLUDE_TITLE;
    }

  /* What the map shows, zoomed for the width of the image */
  if (map_width > 0)
    {
      options->has_view = TRUE;
      options->latitude = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
      options->longitude = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
      options->zoom = shumate_viewport_get_zoom_level (viewport) + log2 ((double) options->width / map_width);
    }

  /* The offline basemap is drawn again at the image's resolution; another
   * one is used as it is */
  if (self->settings != NULL)
    basemap = g_settings_get_string (self->settings, "basemap");
  if (basemap != NULL && !g_str_equal (basemap, "offline"))
    chrono_snapshot_options_set_map_source (options, shumate_simple_map_get_map_source (self->map));

  return options;
}

static void
on_export_finished (ChronoWindow *self,
                    const char   *text)
{
  show_toast (self, text);
}

/* Remembers the size, scale and parts of a snapshot just exported. */
static void
on_snapshot_exported (ChronoExportDialog *dialog,
                      const char         *text,
                      ChronoWindow       *self)
{
  ChronoSnapshotOptions *options = chrono_export_dialog_get_options (dialog);
  int size = CHRONO_SNAPSHOT_N_PRESETS;

  show_toast (self, text);
  if (self->settings == NULL)
    return;

  for (int i = 0; i < CHRONO_SNAPSHOT_N_PRESETS; i++)
    {
      int w, h;

      chrono_snapshot_preset_get_size (i, &w, &h);
      if (w == options->width && h == options->height)
        size = i;
    }
  g_settings_set_int (self->settings, "snapshot-size", size);
  g_settings_set_int (self->settings, "snapshot-scale", options->scale);
  g_settings_set_uint (self->settings, "snapshot-parts", options->include & ~CHRONO_SNAPSHOT_INCLUDE_TITLE);
}

static void
export_snapshot_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  g_autoptr (ChronoSnapshotOptions) options = NULL;
  ChronoExportDialog *dialog;

  if (ensure_snapshot (self) == NULL)
    return;

  options = chrono_window_dup_snapshot_options (self);
  dialog = chrono_export_dialog_new (GTK_WINDOW (self), self->snapshot, options);
  g_signal_connect_object (dialog, "finished", G_CALLBACK (on_snapshot_exported), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_handout_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  g_autoptr (ChronoSnapshotOptions) options = NULL;
  ChronoHandoutDialog *dialog;

  if (ensure_snapshot (self) == NULL)
    return;

  options = chrono_window_dup_snapshot_options (self);
  dialog = chrono_handout_dialog_new (GTK_WINDOW (self), self->snapshot, options);
  g_signal_connect_object (dialog, "finished", G_CALLBACK (on_export_finished), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_copy_rendered (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (ChronoWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = NULL;

  texture = chrono_snapshot_render_finish (CHRONO_SNAPSHOT (object), result, NULL, &error);
  if (texture == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (self)), texture);
  show_toast (self, _("Snapshot copied"));
  g_signal_emit (self, signals[SIGNAL_SNAPSHOT_COPIED], 0, texture);
}

static void
copy_snapshot_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  g_autoptr (ChronoSnapshotOptions) options = NULL;

  if (ensure_snapshot (self) == NULL)
    return;

  options = chrono_window_dup_snapshot_options (self);
  chrono_snapshot_render_async (self->snapshot, options, NULL, on_copy_rendered, g_object_ref (self));
}

static void
present_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  ChronoPresentation *presentation;

  if (self->store == NULL)
    return;

  /* Its own offline basemap: a classroom may have no network */
  presentation = chrono_presentation_new (GTK_WINDOW (self), get_source (self), NULL, self->lang);
  chrono_presentation_present_fullscreen (presentation);
}

static void
toggle_play_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);

  chrono_timeline_set_playing (self->timeline, !chrono_timeline_get_playing (self->timeline));
}

static void
toggle_panel_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);

  gtk_toggle_button_set_active (self->panel_button, !gtk_toggle_button_get_active (self->panel_button));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (chrono_preferences_window_new (self)));
}

static void
on_playing_changed (ChronoWindow *self)
{
  gboolean playing = chrono_timeline_get_playing (self->timeline);

  gtk_button_set_icon_name (self->play_button,
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), playing ? _("Pause (Space)") : _("Play (Space)"));
}

static gboolean
on_map_key_pressed (GtkEventControllerKey *controller,
                    guint                  keyval,
                    guint                  keycode,
                    GdkModifierType        state,
                    ChronoWindow          *self)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  ShumateMap *map = shumate_simple_map_get_map (self->map);
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  double lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  /* A tenth of the view, whatever the zoom. */
  double step = 360.0 / (1 << (int) zoom) / 4.0;

  switch (keyval)
    {
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      shumate_map_zoom_in (map);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      shumate_map_zoom_out (map);
      return TRUE;
    case GDK_KEY_Left:
      shumate_map_center_on (map, lat, lon - step);
      return TRUE;
    case GDK_KEY_Right:
      shumate_map_center_on (map, lat, lon + step);
      return TRUE;
    case GDK_KEY_Up:
      shumate_map_center_on (map, CLAMP (lat + step * 0.7, -85, 85), lon);
      return TRUE;
    case GDK_KEY_Down:
      shumate_map_center_on (map, CLAMP (lat - step * 0.7, -85, 85), lon);
      return TRUE;
    default:
      return FALSE;
    }
}

/* The timeline's keys work wherever the focus is, so that a click in the list
 * does not take them away; Space there plays instead of unselecting. Up/Down
 * and Enter stay with the list; what is typed in a text field, menus and
 * popovers, and the map's arrows (it pans) keep their keys. */
static gboolean show_focus_menu (ChronoWindow *self);
static gboolean handle_drawing_key (ChronoWindow *self,
                                    guint         keyval);

static gboolean
on_window_key_pressed (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       ChronoWindow          *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *map = GTK_WIDGET (shumate_simple_map_get_map (self->map));

  /* Popovers have surfaces of their own, and their focus is theirs. */
  if (event != NULL && gdk_event_get_surface (event) != gtk_native_get_surface (GTK_NATIVE (self)))
    return FALSE;
  if (focus != NULL && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus) ||
                        gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL))
    return FALSE;

  /* The search entry closes search itself; this is Esc in its results. */
  if (keyval == GDK_KEY_Escape && (state & gtk_accelerator_get_default_mod_mask ()) == 0 &&
      gtk_search_bar_get_search_mode (self->search_bar))
    {
      on_search_entry_stop_search (self->search_entry, self);
      return TRUE;
    }

  if (handle_drawing_key (self, keyval))
    return TRUE;
  if (keyval == GDK_KEY_Menu || (keyval == GDK_KEY_F10 && (state & GDK_SHIFT_MASK)))
    return show_focus_menu (self);

  /* The timeline's own bindings do the same */
  if (has_focus_within (focus, GTK_WIDGET (self->timeline)))
    return FALSE;
  if (has_focus_within (focus, map) &&
      (keyval == GDK_KEY_Left || keyval == GDK_KEY_Right ||
       keyval == GDK_KEY_KP_Left || keyval == GDK_KEY_KP_Right))
    return FALSE;

  return chrono_timeline_handle_key (self->timeline, keyval, state);
}

/* Editing. The window holds one ChronoDocument; every edit is one of its
 * commands, and the views follow its "changed" signal. The window only
 * arranges widgets: the editors change the document, never the views. */

static void
update_edit_menu (ChronoWindow *self)
{
  const char *undo = self->document != NULL ? chrono_document_get_undo_label (self->document) : NULL;
  const char *redo = self->document != NULL ? chrono_document_get_redo_label (self->document) : NULL;
  g_autofree char *undo_text = NULL;
  g_autofree char *redo_text = NULL;

  /* Translators: a menu item, "Undo Move Place"; %s is what is undone */
  undo_text = undo != NULL ? g_strdup_printf (_("_Undo %s"), undo) : g_strdup (_("_Undo"));
  /* Translators: a menu item, "Redo Move Place"; %s is what is done again */
  redo_text = redo != NULL ? g_strdup_printf (_("_Redo %s"), redo) : g_strdup (_("_Redo"));

  g_menu_remove_all (self->edit_section);
  g_menu_append (self->edit_section, undo_text, "win.undo");
  g_menu_append (self->edit_section, redo_text, "win.redo");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo", undo != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo", redo != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-copy", self->document != NULL);
}

/* Returns: (transfer none) (nullable): the listed event whose id is @id */
static ChronoEvent *
find_listed_event (ChronoWindow *self,
                   const char   *id,
                   guint        *position)
{
  GListModel *model = gtk_single_selection_get_model (self->selection);
  ChronoEvent *event = self->document != NULL ? chrono_document_find_event (self->document, id) : NULL;
  guint found;

  if (event == NULL || !CHRONO_IS_EVENT_LIST (model))
    return NULL;
  found = chrono_event_list_find (CHRONO_EVENT_LIST (model), chrono_event_get_rowid (event));
  if (found == G_MAXUINT)
    return NULL;
  *position = found;
  return event;
}

/* Shows the document's events, places and title in every view. For another
 * dataset (@new_dataset) the timeline shows its main period; after an edit
 * the date, the view and the selected event stay. */
static void
show_document (ChronoWindow *self,
               gboolean      new_dataset)
{
  ChronoDocument *document = self->document;
  ChronoEvent *selected = gtk_single_selection_get_selected_item (self->selection);
  g_autofree char *selected_id = selected != NULL && !new_dataset ? g_strdup (chrono_event_get_id (selected)) : NULL;
  g_autofree char *filter_place = !new_dataset ? g_strdup (self->filter_place) : NULL;
  g_autofree char *title = NULL;
  g_autofree char *shown_title = NULL;
  GPtrArray *places;
  GThread *glow_thread;

  close_place_popover (self);
  g_set_object (&self->store, chrono_document_get_store (document));
  g_clear_object (&self->snapshot);
  /* Until it is built, nothing of the old dataset is in effect */
  g_clear_pointer (&self->glow_index, chrono_time_index_unref);
  glow_thread = start_glow_index (self);
  chrono_event_list_set_table (self->effect_model, chrono_document_get_table (document));
  chrono_event_list_set_table (self->place_model, chrono_document_get_table (document));
  chrono_event_list_set_table (self->place_all_model, chrono_document_get_table (document));
  chrono_event_list_set_table (self->search_model, chrono_document_get_table (document));
  if (new_dataset)
    {
      chrono_timeline_set_table (self->timeline, chrono_document_get_table (document),
                                 chrono_document_get_time_index (document), load_event, self);
      show_main_period (self);
    }
  else
    {
      /* The timeline stays where the person looks */
      ChronoDay first = chrono_timeline_get_visible_start (self->timeline);
      ChronoDay last = chrono_timeline_get_visible_end (self->timeline);

      chrono_timeline_set_table (self->timeline, chrono_document_get_table (document),
                                 chrono_document_get_time_index (document), load_event, self);
      chrono_timeline_set_visible_range (self->timeline, first, last);
    }

  places = chrono_document_get_places (document);
  chrono_event_layer_set_places (self->event_layer, places);
  g_clear_pointer (&self->places, g_ptr_array_unref);
  self->places = g_ptr_array_ref (places);
  /* The basemap leaves the dataset's towns for the event layer to label; a
   * new basemap for every edit would be too much, so edits keep it. */
  if (new_dataset)
    update_basemap (self);

  title = chrono_document_dup_title (document);
  shown_title = chrono_text_for_display (title, CHRONO_DISPLAY_NAME_CHARS);
  gtk_window_set_title (GTK_WINDOW (self), shown_title != NULL ? shown_title : _("Chronotope"));
  adw_window_title_set_title (self->window_title, shown_title != NULL ? shown_title : _("Chronotope"));

  g_clear_pointer (&self->glow_index, chrono_time_index_unref);
  self->glow_index = g_thread_join (glow_thread);
  /* Other events, even where the rowids are the same: an edited event is a
   * new object */
  change_listed (self, self->effect_model, LIST_RESET, NULL, 0);
  change_listed (self, self->place_model, LIST_RESET, NULL, 0);
  update_events_in_effect (self);

  if (filter_place != NULL && chrono_document_find_place (document, filter_place) == NULL)
    g_clear_pointer (&filter_place, g_free);
  set_filter_place (self, NULL);
  apply_place_name_policy (self);
  if (filter_place != NULL)
    {
      set_filter_place (self, filter_place);
      chrono_event_layer_set_selected_place (self->event_layer, filter_place);
    }
  if (searching (self))
    on_search_entry_search_changed (self->search_entry, self);

  if (selected_id != NULL)
    {
      guint position;

      if (find_listed_event (self, selected_id, &position) != NULL)
        gtk_single_selection_set_selected (self->selection, position);
    }
  update_edit_menu (self);
}

static void
on_document_changed (ChronoDocument       *document,
                     ChronoDocumentChange *change,
                     ChronoWindow         *self)
{
  show_document (self, FALSE);
  /* The basemap leaves the towns of the dataset to the event layer: a place
   * added, moved or removed is one more or less to leave */
  if (change->what & CHRONO_CHANGE_PLACES)
    update_basemap (self);
}

/* Makes @document the window's. */
static void
load_document (ChronoWindow   *self,
               ChronoDocument *document,
               gboolean        new_dataset)
{
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  g_signal_connect_object (document, "changed", G_CALLBACK (on_document_changed), self, 0);
  g_signal_connect_object (document, "notify::undo-label", G_CALLBACK (update_edit_menu), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (document, "notify::redo-label", G_CALLBACK (update_edit_menu), self, G_CONNECT_SWAPPED);
  show_document (self, new_dataset);
}

/* Opens the dataset at @path (NULL: the bundled one) as a document: a
 * person's own .chronotope file to be edited, anything else read-only. */
static ChronoDocument *
open_document (ChronoWindow  *self,
               const char    *path,
               GError       **error)
{
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (ChronoDocument) document = NULL;
  g_autofree char *bundled = chrono_dataset_dup_bundled_path ();
  g_autofree char *store_path = NULL;

  /* Checked (damage, format, schema) without writing, as the command line does */
  store = chrono_cli_open_dataset (path, error);
  if (store == NULL)
    return NULL;

  store_path = g_strdup (chrono_store_get_path (store));
  if (store_path != NULL && g_strcmp0 (store_path, bundled) != 0)
    {
      g_clear_object (&store);
      /* The window's own lock on it must not keep it read-only */
      if (self->document != NULL && g_strcmp0 (chrono_document_get_path (self->document), store_path) == 0)
        {
          g_signal_handlers_disconnect_by_data (self->document, self);
          g_clear_object (&self->document);
        }
      document = chrono_document_open (store_path, self->lang, error);
      /* Opened read-only after all (another window edits it, or it cannot be
       * written to): said at once, not at the first edit */
      if (document != NULL && chrono_document_get_read_only (document))
        show_toast (self, chrono_document_get_read_only_reason (document));
      return g_steal_pointer (&document);
    }

  document = chrono_document_new (store, self->lang, TRUE, error);
  if (document == NULL)
    return NULL;
  if (store_path != NULL)
    chrono_document_set_read_only_reason (document, _("The dataset that comes with Chronotope cannot be changed"));
  else
    chrono_document_set_read_only_reason (document, _("This dataset was read from a file that Chronotope does not write to"));
  return g_steal_pointer (&document);
}

/**
 * chrono_window_get_document:
 *
 * Returns: (transfer none) (nullable): the dataset the window shows and edits
 */
ChronoDocument *
chrono_window_get_document (ChronoWindow *self)
{
  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  return self->document;
}

static void
show_error_toast (ChronoWindow *self,
                  GError       *error)
{
  show_toast (self, error->message);
}

/* A free file name in the person's datasets from @title */
static char *
dup_dataset_path_for (const char *title)
{
  g_autoptr (GString) name = g_string_new (NULL);

  for (const char *c = title; c != NULL && *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar ch = g_utf8_get_char (c);

      if (ch == '/' || ch == '\\' || ch == ':' || g_unichar_iscntrl (ch))
        g_string_append_c (name, '-');
      else
        g_string_append_unichar (name, ch);
      if (name->len > 80)
        break;
    }
  g_strstrip (name->str);
  if (name->str[0] == '\0' || name->str[0] == '.')
    g_string_assign (name, "dataset");
  return chrono_cli_dup_import_path (name->str);
}

/**
 * chrono_window_make_copy_to_edit:
 *
 * Copies the read-only dataset shown into the person's datasets and shows
 * the copy, at the same date and place, to be edited.
 *
 * Returns: (transfer full) (nullable): the copy's path, or NULL with @error
 */
char *
chrono_window_make_copy_to_edit (ChronoWindow  *self,
                                 GError       **error)
{
  g_autofree char *title = NULL;
  g_autofree char *path = NULL;
  g_autoptr (ChronoDocument) copy = NULL;

  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);
  g_return_val_if_fail (self->document != NULL, NULL);

  title = chrono_document_dup_title (self->document);
  path = dup_dataset_path_for (title);
  if (!chrono_document_save_copy (self->document, path, error))
    return NULL;
  copy = chrono_document_open (path, self->lang, error);
  if (copy == NULL)
    return NULL;

  load_document (self, copy, FALSE);
  remember_dataset (self, path);
  return g_steal_pointer (&path);
}

static void
on_copy_to_edit_response (AdwMessageDialog *dialog,
                          const char       *response,
                          ChronoWindow     *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  if (g_strcmp0 (response, "copy") != 0)
    return;

  path = chrono_window_make_copy_to_edit (self, &error);
  if (path == NULL)
    show_error_toast (self, error);
  else
    {
      g_autofree char *name = g_filename_display_basename (path);
      /* Translators: %s is the file name of the copy being edited */
      g_autofree char *text = g_strdup_printf (_("Editing a copy: “%s”"), name);
      const char *action = g_object_get_data (G_OBJECT (dialog), "then-action");

      show_toast (self, text);
      /* What was asked for, on the copy */
      if (action != NULL)
        gtk_widget_activate_action_variant (GTK_WIDGET (self), action,
                                            g_object_get_data (G_OBJECT (dialog), "then-target"));
    }
}

/* Whether the document can be edited; if not, offers a copy that can, and
 * does @action (with @target) on the copy. */
static gboolean
check_editable (ChronoWindow *self,
                const char   *action,
                GVariant     *target)
{
  g_autoptr (GVariant) owned_target = target != NULL ? g_variant_ref_sink (target) : NULL;
  AdwMessageDialog *dialog;

  if (self->document == NULL)
    return FALSE;
  if (!chrono_document_get_read_only (self->document))
    return TRUE;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Make a Copy to Edit?"),
                                                       chrono_document_get_read_only_reason (self->document)));
  adw_message_dialog_format_body (dialog, "%s. %s", chrono_document_get_read_only_reason (self->document),
                                  _("A copy in your datasets can be edited; this one stays as it is."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "copy", _("_Make a Copy to Edit"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "copy", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "copy");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "then-action", g_strdup (action), g_free);
  if (owned_target != NULL)
    g_object_set_data_full (G_OBJECT (dialog), "then-target", g_variant_ref (owned_target),
                            (GDestroyNotify) g_variant_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_copy_to_edit_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return FALSE;
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  g_autoptr (GError) error = NULL;

  if (self->document == NULL)
    return;
  if (g_str_equal (action_name, "win.undo") ? !chrono_document_undo (self->document, &error)
                                            : !chrono_document_redo (self->document, &error))
    {
      if (error != NULL)
        show_error_toast (self, error);
    }
}

/**
 * chrono_window_new_dataset:
 * @title: the new dataset's title
 * @langs: its languages, the first the one it is written in
 *
 * Makes an empty dataset in the person's datasets and shows it to be edited.
 *
 * Returns: (transfer full) (nullable): its path, or NULL with @error
 */
char *
chrono_window_new_dataset (ChronoWindow        *self,
                           const char          *title,
                           const char * const  *langs,
                           GError             **error)
{
  g_autofree char *path = NULL;
  g_autoptr (ChronoDocument) document = NULL;

  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);
  g_return_val_if_fail (title != NULL, NULL);

  path = dup_dataset_path_for (title);
  document = chrono_document_create (path, title, langs, self->lang, error);
  if (document == NULL)
    return NULL;

  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  set_filter_place (self, NULL);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  load_document (self, document, TRUE);
  remember_dataset (self, path);
  return g_steal_pointer (&path);
}

static void
on_new_dataset_response (AdwMessageDialog *dialog,
                         const char       *response,
                         ChronoWindow     *self)
{
  AdwEntryRow *title_row = g_object_get_data (G_OBJECT (dialog), "title-row");
  AdwEntryRow *langs_row = g_object_get_data (G_OBJECT (dialog), "langs-row");
  g_autofree char *title = NULL;
  g_auto (GStrv) langs = NULL;
  g_autoptr (GPtrArray) kept = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  if (g_strcmp0 (response, "create") != 0)
    return;

  title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (title_row))));
  langs = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (langs_row)), ", ", -1);
  for (guint i = 0; langs[i] != NULL; i++)
    if (langs[i][0] != '\0')
      g_ptr_array_add (kept, langs[i]);
  if (kept->len == 0)
    g_ptr_array_add (kept, self->lang);
  g_ptr_array_add (kept, NULL);

  path = chrono_window_new_dataset (self, title[0] != '\0' ? title : _("Untitled Dataset"),
                                    (const char * const *) kept->pdata, &error);
  if (path == NULL)
    show_error_toast (self, error);
  else
    {
      g_autofree char *name = g_filename_display_basename (path);
      /* Translators: %s is a file name */
      g_autofree char *text = g_strdup_printf (_("New dataset saved as you edit it, in “%s”"), name);

      show_toast (self, text);
    }
}

static void
new_dataset_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  AdwMessageDialog *dialog;
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *title_row = adw_entry_row_new ();
  GtkWidget *langs_row = adw_entry_row_new ();
  g_autofree char *langs = g_str_equal (self->lang, "en") ? g_strdup ("en") : g_strdup_printf ("%s, en", self->lang);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("New Dataset"),
                                                       _("An empty dataset, saved as you edit it")));
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (title_row), _("Title"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (title_row), TRUE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (langs_row), _("Languages (codes such as en, fr, hy)"));
  gtk_editable_set_text (GTK_EDITABLE (langs_row), langs);
  gtk_list_box_append (GTK_LIST_BOX (list), title_row);
  gtk_list_box_append (GTK_LIST_BOX (list), langs_row);
  adw_message_dialog_set_extra_child (dialog, list);
  g_object_set_data (G_OBJECT (dialog), "title-row", title_row);
  g_object_set_data (G_OBJECT (dialog), "langs-row", langs_row);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "create", _("C_reate"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "create", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "create");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_new_dataset_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (title_row);
}

static void
on_save_copy_response (GtkNativeDialog *chooser,
                       int              response,
                       ChronoWindow    *self)
{
  g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  g_autoptr (GError) error = NULL;

  g_object_unref (chooser);
  if (response != GTK_RESPONSE_ACCEPT || path == NULL || self->document == NULL)
    return;

  if (!g_str_has_suffix (path, ".chronotope"))
    {
      char *with_suffix = g_strconcat (path, ".chronotope", NULL);

      g_free (path);
      path = with_suffix;
    }
  if (!chrono_document_save_copy (self->document, path, &error))
    show_error_toast (self, error);
  else
    {
      g_autofree char *name = g_filename_display_basename (path);
      /* Translators: %s is a file name */
      g_autofree char *text = g_strdup_printf (_("Saved a copy as “%s”"), name);

      show_toast (self, text);
    }
}

static void
save_copy_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;

  if (self->document == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Save a Copy"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  title = chrono_document_dup_title (self->document);
  name = g_strconcat (title != NULL && title[0] != '\0' ? title : _("Dataset"), ".chronotope", NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_copy_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* The event an action names ("" for the selected one) */
static ChronoEvent *
action_event (ChronoWindow *self,
              GVariant     *parameter)
{
  const char *id = parameter != NULL ? g_variant_get_string (parameter, NULL) : "";

  if (id[0] == '\0')
    return gtk_single_selection_get_selected_item (self->selection);
  return self->document != NULL ? chrono_document_find_event (self->document, id) : NULL;
}

/* A new event is selected once its editor has saved it */
static void
on_event_editor_hide (ChronoEventEditor *editor,
                      ChronoWindow      *self)
{
  const char *id = chrono_event_editor_get_event_id (editor);
  ChronoEvent *event = id != NULL && self->document != NULL ? chrono_document_find_event (self->document, id) : NULL;
  guint position;

  if (event == NULL)
    return;
  /* An event of another date: the timeline goes there, so that it shows */
  if (find_listed_event (self, id, &position) == NULL)
    {
      chrono_timeline_set_day (self->timeline, MAX (chrono_event_get_start_lo (event), chrono_event_get_start_hi (event)));
      event = chrono_document_find_event (self->document, id);
    }
  if (event != NULL && find_listed_event (self, id, &position) != NULL)
    gtk_single_selection_set_selected (self->selection, position);
}

/**
 * chrono_window_edit_event:
 * @event_id: (nullable): the event to edit, or NULL for a new one at the date
 *
 * Returns: (transfer none) (nullable): the editor shown, or NULL when the
 *   dataset cannot be edited (a copy is offered instead)
 */
GtkWidget *
chrono_window_edit_event (ChronoWindow *self,
                          const char   *event_id)
{
  GtkWidget *editor;

  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  if (!check_editable (self, event_id != NULL ? "win.edit-event" : "win.new-event",
                       event_id != NULL ? g_variant_new_string (event_id) : NULL))
    return NULL;
  editor = chrono_event_editor_new (GTK_WINDOW (self), self->document, event_id,
                                    chrono_timeline_get_day (self->timeline));
  g_signal_connect_object (editor, "hide", G_CALLBACK (on_event_editor_hide), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
  return editor;
}

static void
new_event_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  chrono_window_edit_event (CHRONO_WINDOW (widget), NULL);
}

/* A new event at the date, at a place */
static void
new_event_at_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GtkWidget *editor = chrono_window_edit_event (CHRONO_WINDOW (widget), NULL);

  if (editor != NULL)
    chrono_event_editor_add_place (CHRONO_EVENT_EDITOR (editor), g_variant_get_string (parameter, NULL), NULL);
}

static void
edit_event_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  ChronoEvent *event = action_event (self, parameter);

  if (event != NULL)
    chrono_window_edit_event (self, chrono_event_get_id (event));
}

/* After a delete: what went, with Undo */
static void
show_undo_toast (ChronoWindow *self,
                 const char   *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
delete_event_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  ChronoEvent *event = action_event (self, parameter);
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autoptr (GError) error = NULL;

  if (event == NULL || !check_editable (self, "win.delete-event", g_variant_new_string (chrono_event_get_id (event))))
    return;

  id = g_strdup (chrono_event_get_id (event));
  title = chrono_text_for_display (chrono_event_get_title (event), TOAST_TITLE_CHARS);
  if (!chrono_document_delete_event (self->document, id, &error))
    show_error_toast (self, error);
  else
    {
      /* Translators: a toast after a delete, with an Undo button; %s is an event's title */
      g_autofree char *text = g_strdup_printf (_("Deleted “%s”"), title);

      show_undo_toast (self, text);
    }
}

static void
add_to_tour_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  ChronoEvent *event = action_event (self, parameter);
  g_autofree char *title = NULL;
  g_autoptr (GError) error = NULL;

  if (event == NULL || !check_editable (self, "win.add-to-tour", g_variant_new_string (chrono_event_get_id (event))))
    return;

  title = chrono_text_for_display (chrono_event_get_title (event), TOAST_TITLE_CHARS);
  {
    GPtrArray *tour = chrono_document_get_tour (self->document);

    for (guint i = 0; i < tour->len; i++)
      if (g_strcmp0 (chrono_tour_step_get_event_id (g_ptr_array_index (tour, i)), chrono_event_get_id (event)) == 0)
        {
          /* Translators: %s is an event's title, %u the step's number */
          g_autofree char *text = g_strdup_printf (_("“%s” is already step %u of the tour"), title, i + 1);

          show_toast (self, text);
          return;
        }
  }
  if (!chrono_document_add_tour_step (self->document, chrono_event_get_id (event), -1, &error))
    show_error_toast (self, error);
  else
    {
      /* Translators: %s is an event's title, %u the step's number */
      g_autofree char *text = g_strdup_printf (_("“%s” is step %u of the tour"), title,
                                               chrono_document_get_tour (self->document)->len);

      show_toast (self, text);
    }
}

static void
edit_tour_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);

  if (check_editable (self, "win.edit-tour", NULL))
    gtk_window_present (GTK_WINDOW (chrono_tour_editor_new (GTK_WINDOW (self), self->document)));
}

/* A new place: said, with the next step a teacher takes */
static void
on_place_editor_saved (ChronoPlaceEditor *editor,
                       const char        *place_id,
                       ChronoWindow      *self)
{
  ChronoPlace *place = self->document != NULL ? chrono_document_find_place (self->document, place_id) : NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (place == NULL)
    return;
  name = chrono_window_format_place_name (place, get_place_name_policy (self), self->lang,
                                          chrono_timeline_get_day (self->timeline));
  /* Translators: a toast after a place was added; %s is its name */
  text = g_strdup_printf (_("Added “%s”"), name);
  toast = adw_toast_new (text);
  adw_toast_set_button_label (toast, _("New _Event Here…"));
  adw_toast_set_action_name (toast, "win.new-event-at");
  adw_toast_set_action_target_value (toast, g_variant_new_string (place_id));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * chrono_window_edit_place:
 * @place_id: (nullable): the place to edit, or NULL for a new one at @lat, @lon
 *
 * Returns: (transfer none) (nullable): the editor shown, or NULL when the
 *   dataset cannot be edited
 */
GtkWidget *
chrono_window_edit_place (ChronoWindow *self,
                          const char   *place_id,
                          double        lat,
                          double        lon)
{
  GtkWidget *editor;

  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  if (!check_editable (self, place_id != NULL ? "win.edit-place" : "win.add-place-here",
                       place_id != NULL ? g_variant_new_string (place_id) : g_variant_new ("(dd)", lat, lon)))
    return NULL;
  editor = chrono_place_editor_new (GTK_WINDOW (self), self->document, place_id, lat, lon);
  if (place_id == NULL)
    g_signal_connect_object (editor, "saved", G_CALLBACK (on_place_editor_saved), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
  return editor;
}

static void
new_place_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);

  chrono_window_edit_place (self, NULL, shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                            shumate_location_get_longitude (SHUMATE_LOCATION (viewport)));
}

static void
add_place_here_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  double lat, lon;

  g_variant_get (parameter, "(dd)", &lat, &lon);
  chrono_window_edit_place (self, NULL, lat, lon);
}

static void
edit_place_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  chrono_window_edit_place (CHRONO_WINDOW (widget), g_variant_get_string (parameter, NULL), 0, 0);
}

static void
delete_place_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  ChronoPlace *place = self->document != NULL ? chrono_document_find_place (self->document, id) : NULL;
  g_autofree char *name = NULL;
  g_autoptr (GError) error = NULL;
  guint n_events = 0;

  if (place == NULL || !check_editable (self, "win.delete-place", g_variant_new_string (id)))
    return;

  name = chrono_window_format_place_name (place, get_place_name_policy (self), self->lang,
                                          chrono_timeline_get_day (self->timeline));
  {
    ChronoEventTable *table = get_table (self);
    const ChronoEventRow *rows = chrono_event_table_get_rows (table);
    guint32 index = chrono_event_table_find_place (table, id);

    for (guint i = 0; index != CHRONO_EVENT_TABLE_NO_PLACE && i < chrono_event_table_get_n_rows (table); i++)
      if (chrono_event_table_row_is_at (table, &rows[i], index))
        n_events++;
  }
  if (!chrono_document_delete_place (self->document, id, &error))
    show_error_toast (self, error);
  else
    {
      /* Translators: a toast after a delete, with an Undo button; %s is a
       * place's name, %u how many events it is taken out of */
      g_autofree char *text = n_events == 0
        ? g_strdup_printf (_("Deleted “%s”"), name)
        : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Deleted “%s”, and took it out of %u event",
                                        "Deleted “%s”, and took it out of %u events", n_events), name, n_events);

      show_undo_toast (self, text);
    }
}

/* Context menus: right click, long press, the Menu key */

static void
on_context_menu_closed (GtkPopover *popover)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (popover));

  if (g_object_get_data (G_OBJECT (popover), "had-tooltip") != NULL && parent != NULL)
    gtk_widget_set_has_tooltip (parent, TRUE);
  /* Unparented once its closing is over */
  g_idle_add_once ((GSourceOnceFunc) gtk_widget_unparent, popover);
}

static void
popup_menu (ChronoWindow *self,
            GMenuModel   *model,
            GtkWidget    *parent,
            double        x,
            double        y)
{
  GtkWidget *popover = gtk_popover_menu_new_from_model (model);

  gtk_widget_set_parent (popover, parent);
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  /* A place's or a bar's tooltip would cover the menu about it */
  if (gtk_widget_get_has_tooltip (parent))
    {
      g_object_set_data (G_OBJECT (popover), "had-tooltip", GINT_TO_POINTER (TRUE));
      gtk_widget_set_has_tooltip (parent, FALSE);
    }
  if (x >= 0 && y >= 0)
    gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  g_signal_connect (popover, "closed", G_CALLBACK (on_context_menu_closed), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
append_item (GMenu      *menu,
             const char *label,
             const char *action,
             GVariant   *target)
{
  g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, target);
  g_menu_append_item (menu, item);
}

/**
 * chrono_window_dup_event_menu:
 *
 * Returns: (transfer full): the context menu of @event: edit, go to, add to
 *   the tour, delete
 */
GMenuModel *
chrono_window_dup_event_menu (ChronoWindow *self,
                              ChronoEvent  *event)
{
  GMenu *menu = g_menu_new ();
  g_autoptr (GMenu) edits = g_menu_new ();
  const char *id = chrono_event_get_id (event);

  append_item (menu, _("_Edit…"), "win.edit-event", g_variant_new_string (id));
  append_item (menu, _("_Go to Its Date"), "win.go-to-event", g_variant_new_int64 (chrono_event_get_rowid (event)));
  append_item (menu, _("Add to _Tour"), "win.add-to-tour", g_variant_new_string (id));
  append_item (edits, _("_Delete"), "win.delete-event", g_variant_new_string (id));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (edits));
  return G_MENU_MODEL (menu);
}

/**
 * chrono_window_dup_map_menu:
 * @place_id: (nullable): the place clicked, if any
 *
 * Returns: (transfer full): the map's context menu at @lat, @lon
 */
GMenuModel *
chrono_window_dup_map_menu (ChronoWindow *self,
                            const char   *place_id,
                            double        lat,
                            double        lon)
{
  GMenu *menu = g_menu_new ();

  if (place_id != NULL)
    {
      g_autoptr (GMenu) place = g_menu_new ();

      append_item (place, _("New _Event Here…"), "win.new-event-at", g_variant_new_string (place_id));
      append_item (place, _("_Edit Place…"), "win.edit-place", g_variant_new_string (place_id));
      append_item (place, _("_Delete Place"), "win.delete-place", g_variant_new_string (place_id));
      g_menu_append_section (menu, NULL, G_MENU_MODEL (place));
    }
  {
    g_autoptr (GMenu) here = g_menu_new ();

    append_item (here, _("_Add Place Here…"), "win.add-place-here", g_variant_new ("(dd)", lat, lon));
    append_item (here, _("Draw a _Line…"), "win.draw-place", g_variant_new_string ("line"));
    append_item (here, _("Draw an A_rea…"), "win.draw-place", g_variant_new_string ("area"));
    g_menu_append_section (menu, NULL, G_MENU_MODEL (here));
  }
  return G_MENU_MODEL (menu);
}

static void
show_row_menu (ChronoWindow *self,
               GtkWidget    *row,
               double        x,
               double        y)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (row), "chrono-list-item");
  ChronoEvent *event = item != NULL ? gtk_list_item_get_item (item) : NULL;
  g_autoptr (GMenuModel) menu = NULL;

  if (event == NULL)
    return;
  menu = chrono_window_dup_event_menu (self, event);
  popup_menu (self, menu, row, x, y);
}

static void
on_row_pressed (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                ChronoWindow    *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  show_row_menu (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)), x, y);
}

static void
on_row_long_pressed (GtkGestureLongPress *gesture,
                     double               x,
                     double               y,
                     ChronoWindow        *self)
{
  show_row_menu (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)), x, y);
}

static void
show_map_menu (ChronoWindow *self,
               double        x,
               double        y)
{
  GtkWidget *map = GTK_WIDGET (shumate_simple_map_get_map (self->map));
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  const char *place_id = chrono_event_layer_place_at (self->event_layer, x, y);
  g_autoptr (GMenuModel) menu = NULL;
  double lat, lon;

  shumate_viewport_widget_coords_to_location (viewport, map, x, y, &lat, &lon);
  menu = chrono_window_dup_map_menu (self, place_id, lat, lon);
  popup_menu (self, menu, map, x, y);
}

static void
on_map_pressed (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                ChronoWindow    *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  show_map_menu (self, x, y);
}

static void
on_map_long_pressed (GtkGestureLongPress *gesture,
                     double               x,
                     double               y,
                     ChronoWindow        *self)
{
  show_map_menu (self, x, y);
}

static void
show_timeline_menu (ChronoWindow *self,
                    double        x,
                    double        y)
{
  gint64 rowid = chrono_timeline_event_at (self->timeline, x, y);
  ChronoEvent *event = rowid != 0 ? lookup_event (self, rowid) : NULL;
  g_autoptr (GMenuModel) menu = NULL;

  if (event == NULL)
    return;
  menu = chrono_window_dup_event_menu (self, event);
  popup_menu (self, menu, GTK_WIDGET (self->timeline), x, y);
}

static void
on_timeline_pressed (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     ChronoWindow    *self)
{
  if (chrono_timeline_event_at (self->timeline, x, y) == 0)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  show_timeline_menu (self, x, y);
}

static void
on_timeline_long_pressed (GtkGestureLongPress *gesture,
                          double               x,
                          double               y,
                          ChronoWindow        *self)
{
  show_timeline_menu (self, x, y);
}

/* The Menu key and Shift+F10: the menu of what has the focus, the selected
 * event's in the list and on the timeline, the selected place's on the map */
static gboolean
show_focus_menu (ChronoWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *map = GTK_WIDGET (shumate_simple_map_get_map (self->map));
  ChronoEvent *event = gtk_single_selection_get_selected_item (self->selection);

  if (focus == NULL)
    return FALSE;

  if (focus == map || gtk_widget_is_ancestor (focus, map))
    {
      const char *place_id = chrono_event_layer_get_selected_place (self->event_layer);
      ChronoPlace *place = place_id != NULL ? chrono_event_layer_get_place (self->event_layer, place_id) : NULL;
      ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
      double lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
      double lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
      double x = gtk_widget_get_width (map) / 2.0, y = gtk_widget_get_height (map) / 2.0;
      g_autoptr (GMenuModel) menu = NULL;

      if (place != NULL)
        shumate_viewport_location_to_widget_coords (viewport, map, chrono_place_get_lat (place),
                                                    chrono_place_get_lon (place), &x, &y);
      menu = chrono_window_dup_map_menu (self, place != NULL ? place_id : NULL, lat, lon);
      popup_menu (self, menu, map, x, y);
      return TRUE;
    }

  if (event != NULL && (focus == GTK_WIDGET (self->timeline) ||
                        gtk_widget_is_ancestor (focus, GTK_WIDGET (self->event_list)) ||
                        focus == GTK_WIDGET (self->event_list)))
    {
      g_autoptr (GMenuModel) menu = chrono_window_dup_event_menu (self, event);

      popup_menu (self, menu, focus, -1, -1);
      return TRUE;
    }
  return FALSE;
}

/* Moving a place by dragging it: a drag that starts on a place moves it
 * instead of the map, when the dataset can be edited */
static void
on_place_drag_begin (GtkGestureDrag *gesture,
                     double          x,
                     double          y,
                     ChronoWindow   *self)
{
  const char *place_id = chrono_event_layer_place_at (self->event_layer, x, y);
  ChronoPlace *place = place_id != NULL && self->document != NULL
    ? chrono_document_find_place (self->document, place_id) : NULL;

  g_clear_pointer (&self->dragged_place, g_free);
  /* Lines and areas are drawn, not dragged */
  if (place == NULL || self->draw_kind != NULL || chrono_document_get_read_only (self->document) ||
      chrono_place_get_geometry (place) != NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->dragged_place = g_strdup (place_id);
}

static void
on_place_drag_update (GtkGestureDrag *gesture,
                      double          dx,
                      double          dy,
                      ChronoWindow   *self)
{
  GtkWidget *map = GTK_WIDGET (shumate_simple_map_get_map (self->map));

  /* A few pixels: a click, which selects the place */
  if (self->dragged_place == NULL || hypot (dx, dy) < 6)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_set_cursor_from_name (map, "grabbing");
}

static void
on_place_drag_end (GtkGestureDrag *gesture,
                   double          dx,
                   double          dy,
                   ChronoWindow   *self)
{
  GtkWidget *map = GTK_WIDGET (shumate_simple_map_get_map (self->map));
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  g_autofree char *place_id = g_steal_pointer (&self->dragged_place);
  g_autoptr (GError) error = NULL;
  double x0, y0, lat, lon;

  gtk_widget_set_cursor (map, NULL);
  if (place_id == NULL || hypot (dx, dy) < 6 || self->document == NULL)
    return;

  gtk_gesture_drag_get_start_point (gesture, &x0, &y0);
  shumate_viewport_widget_coords_to_location (viewport, map, x0 + dx, y0 + dy, &lat, &lon);
  if (!chrono_document_move_place (self->document, place_id, lat, lon, &error))
    show_error_toast (self, error);
}

/* Drawing a line or an area: clicks on the map add points, shown as a path
 * over the map; Enter (or Done, or a double click) finishes and the place
 * editor names it, Backspace takes the last point back, Esc cancels. */

static void
stop_drawing (ChronoWindow *self)
{
  if (self->draw_layer != NULL)
    {
      shumate_map_remove_layer (shumate_simple_map_get_map (self->map), SHUMATE_LAYER (self->draw_layer));
      self->draw_layer = NULL;
    }
  if (self->draw_toast != NULL)
    {
      g_autoptr (AdwToast) toast = g_steal_pointer (&self->draw_toast);

      adw_toast_dismiss (toast);
    }
  g_clear_pointer (&self->draw_kind, g_free);
  if (self->draw_points != NULL)
    g_array_set_size (self->draw_points, 0);
}

/* The GeoJSON geometry of the points drawn, or NULL if too few */
static char *
dup_drawn_geometry (ChronoWindow *self)
{
  gboolean area = g_strcmp0 (self->draw_kind, "area") == 0;
  guint n = self->draw_points->len / 2;
  g_autoptr (GString) json = NULL;

  if (n < (area ? 3u : 2u))
    return NULL;

  json = g_string_new (area ? "{\"type\":\"Polygon\",\"coordinates\":[[" : "{\"type\":\"LineString\",\"coordinates\":[");
  for (guint i = 0; i <= n; i++)
    {
      /* A ring ends where it began */
      guint k = i < n ? i : 0;
      char lon[G_ASCII_DTOSTR_BUF_SIZE], lat[G_ASCII_DTOSTR_BUF_SIZE];

      if (i == n && !area)
        break;
      g_ascii_formatd (lat, sizeof lat, "%.6f", g_array_index (self->draw_points, double, 2 * k));
      g_ascii_formatd (lon, sizeof lon, "%.6f", g_array_index (self->draw_points, double, 2 * k + 1));
      g_string_append_printf (json, "%s[%s,%s]", i > 0 ? "," : "", lon, lat);
    }
  g_string_append (json, area ? "]]}" : "]}");
  return g_string_free (g_steal_pointer (&json), FALSE);
}

/**
 * chrono_window_add_drawn_point:
 *
 * Adds a point at @lat, @lon to the line or area being drawn, as a click
 * on the map does.
 */
void
chrono_window_add_drawn_point (ChronoWindow *self,
                               double        lat,
                               double        lon)
{
  g_return_if_fail (CHRONO_IS_WINDOW (self));

  if (self->draw_kind == NULL)
    return;
  g_array_append_val (self->draw_points, lat);
  g_array_append_val (self->draw_points, lon);
  /* A coordinate is floating: the path layer sinks it and owns it */
  shumate_path_layer_add_node (self->draw_layer, SHUMATE_LOCATION (shumate_coordinate_new_full (lat, lon)));
}

/**
 * chrono_window_finish_drawing:
 *
 * Ends the drawing and opens the place editor for the new line or area.
 *
 * Returns: (transfer none) (nullable): the place editor, or NULL when too
 *   few points were drawn (the drawing goes on)
 */
GtkWidget *
chrono_window_finish_drawing (ChronoWindow *self)
{
  g_autofree char *geometry = NULL;
  g_autofree char *kind = NULL;
  double lat = 0, lon = 0;
  guint n;
  GtkWidget *editor;

  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  if (self->draw_kind == NULL)
    return NULL;
  geometry = dup_drawn_geometry (self);
  if (geometry == NULL)
    {
      show_toast (self, g_strcmp0 (self->draw_kind, "area") == 0
                          ? _("An area needs at least three points")
                          : _("A line needs at least two points"));
      return NULL;
    }

  /* The place's own position is the middle of its points */
  n = self->draw_points->len / 2;
  for (guint i = 0; i < n; i++)
    {
      lat += g_array_index (self->draw_points, double, 2 * i) / n;
      lon += g_array_index (self->draw_points, double, 2 * i + 1) / n;
    }
  kind = g_strdup (self->draw_kind);
  stop_drawing (self);

  editor = chrono_window_edit_place (self, NULL, lat, lon);
  if (editor != NULL)
    chrono_place_editor_set_shape (CHRONO_PLACE_EDITOR (editor), kind, geometry);
  return editor;
}

/* Closing the hint cancels the drawing; Done finishes it first */
static void
on_draw_toast_dismissed (AdwToast     *toast,
                         ChronoWindow *self)
{
  if (self->draw_toast == toast)
    stop_drawing (self);
}

/**
 * chrono_window_start_drawing:
 * @kind: "line" or "area"
 *
 * Starts drawing a new line or area on the map.
 */
void
chrono_window_start_drawing (ChronoWindow *self,
                             const char   *kind)
{
  GdkRGBA stroke = { 0.75, 0.11, 0.16, 1.0 };
  GdkRGBA fill = { 0.75, 0.11, 0.16, 0.2 };
  gboolean area;

  g_return_if_fail (CHRONO_IS_WINDOW (self));

  if (!check_editable (self, "win.draw-place", g_variant_new_string (kind)))
    return;

  stop_drawing (self);
  area = g_strcmp0 (kind, "area") == 0;
  self->draw_kind = g_strdup (area ? "area" : "line");
  if (self->draw_points == NULL)
    self->draw_points = g_array_new (FALSE, FALSE, sizeof (double));
  self->draw_layer = shumate_path_layer_new (shumate_simple_map_get_viewport (self->map));
  shumate_path_layer_set_stroke_color (self->draw_layer, &stroke);
  shumate_path_layer_set_stroke_width (self->draw_layer, 3);
  shumate_path_layer_set_closed (self->draw_layer, area);
  shumate_path_layer_set_fill (self->draw_layer, area);
  shumate_path_layer_set_fill_color (self->draw_layer, &fill);
  shumate_simple_map_add_overlay_layer (self->map, SHUMATE_LAYER (self->draw_layer));

  self->draw_toast = adw_toast_new (area ? _("Click the corners of the area; Enter when done, Esc to cancel")
                                         : _("Click the points of the line; Enter when done, Esc to cancel"));
  adw_toast_set_timeout (self->draw_toast, 0);
  adw_toast_set_button_label (self->draw_toast, _("_Done"));
  adw_toast_set_action_name (self->draw_toast, "win.finish-drawing");
  g_signal_connect_object (self->draw_toast, "dismissed", G_CALLBACK (on_draw_toast_dismissed), self, 0);
  g_object_ref (self->draw_toast);
  adw_toast_overlay_add_toast (self->toast_overlay, self->draw_toast);
  gtk_widget_grab_focus (GTK_WIDGET (shumate_simple_map_get_map (self->map)));
}

static void
draw_place_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  chrono_window_start_drawing (CHRONO_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
finish_drawing_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ChronoWindow *self = CHRONO_WINDOW (widget);

  /* The toast is gone once its button is pressed */
  g_clear_object (&self->draw_toast);
  if (chrono_window_finish_drawing (self) == NULL && self->draw_kind != NULL)
    {
      /* Too few points: go on drawing, with the hint again */
      g_autofree char *kind = g_strdup (self->draw_kind);
      g_autoptr (GArray) points = g_array_copy (self->draw_points);

      chrono_window_start_drawing (self, kind);
      for (guint i = 0; i + 1 < points->len; i += 2)
        chrono_window_add_drawn_point (self, g_array_index (points, double, i), g_array_index (points, double, i + 1));
    }
}

/* Clicks are the drawing's only while drawing */
static void
on_draw_click_pressed (GtkGestureClick *gesture,
                       int              n_press,
                       double           x,
                       double           y,
                       ChronoWindow    *self)
{
  if (self->draw_kind == NULL)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
}

static void
on_draw_click_released (GtkGestureClick *gesture,
                        int              n_press,
                        double           x,
                        double           y,
                        ChronoWindow    *self)
{
  GtkWidget *map = GTK_WIDGET (shumate_simple_map_get_map (self->map));
  double lat, lon;

  if (self->draw_kind == NULL)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  /* The second click of a double click finishes, on the point of the first */
  if (n_press == 2)
    {
      chrono_window_finish_drawing (self);
      return;
    }
  shumate_viewport_widget_coords_to_location (shumate_simple_map_get_viewport (self->map), map, x, y, &lat, &lon);
  chrono_window_add_drawn_point (self, lat, lon);
}

static gboolean
handle_drawing_key (ChronoWindow *self,
                    guint         keyval)
{
  if (self->draw_kind == NULL)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Escape:
      stop_drawing (self);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.finish-drawing", NULL);
      return TRUE;
    case GDK_KEY_BackSpace:
      if (self->draw_points->len >= 2)
        {
          g_array_set_size (self->draw_points, self->draw_points->len - 2);
          /* The path drawn again from the points kept */
          shumate_path_layer_remove_all (self->draw_layer);
          for (guint i = 0; i + 1 < self->draw_points->len; i += 2)
            shumate_path_layer_add_node (self->draw_layer, SHUMATE_LOCATION (
                                           shumate_coordinate_new_full (g_array_index (self->draw_points, double, i),
                                                                        g_array_index (self->draw_points, double, i + 1))));
        }
      return TRUE;
    default:
      return FALSE;
    }
}

static ChronoDay
initial_day (ChronoWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  const char *text = NULL;
  g_autofree char *saved = NULL;
  ChronoDay day;

  if (app != NULL && CHRONO_IS_APPLICATION (app))
    text = chrono_application_get_start_date (CHRONO_APPLICATION (app));
  if (text == NULL && self->settings != NULL)
    text = saved = g_settings_get_string (self->settings, "current-date");
  if (text != NULL && chrono_cli_check_day (text, &day, NULL))
    return day;

  /* The day the mission began. */
  return chrono_day_from_ymd (2020, 11, 10);
}

static void
chrono_window_constructed (GObject *object)
{
  ChronoWindow *self = CHRONO_WINDOW (object);
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoDocument) document = NULL;

  G_OBJECT_CLASS (chrono_window_parent_class)->constructed (object);

  update_recent_menu (self);
  update_edit_menu (self);

  /* The dataset open last time, if it is still there */
  if (self->settings != NULL)
    {
      g_autofree char *last = g_settings_get_string (self->settings, "last-dataset");

      if (last[0] != '\0' && g_file_test (last, G_FILE_TEST_IS_REGULAR))
        {
          g_autoptr (GError) last_error = NULL;

          document = open_document (self, last, &last_error);
          if (document == NULL)
            g_debug ("%s: %s", last, last_error->message);
        }
    }

  if (document == NULL)
    document = open_document (self, NULL, &error);
  if (document == NULL)
    {
      gtk_label_set_text (self->list_heading, error->message);
      return;
    }

  load_document (self, document, TRUE);
}

/* The timeline's height in a paned of @height: as the person left it with
 * the handle, else a quarter of the window (a third was too much at 600 px),
 * within what leaves the map some room. */
static int
wanted_timeline_height (ChronoWindow *self,
                        int           height)
{
  int wanted = self->timeline_height > 0 ? self->timeline_height : height / 4;

  return CLAMP (wanted, MIN_TIMELINE_HEIGHT, MAX (MIN_TIMELINE_HEIGHT, height - MIN_MAP_HEIGHT));
}

/* The paned tells of a new position when it gets a new size and when its
 * handle is moved: the first places the timeline, the second is the
 * person's choice, kept. */
static void
on_main_paned_changed (ChronoWindow *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->main_paned));

  if (self->placing_timeline || height <= 0)
    return;

  if (height != self->main_paned_height)
    {
      self->main_paned_height = height;
      self->placing_timeline = TRUE;
      gtk_paned_set_position (self->main_paned, height - wanted_timeline_height (self, height));
      self->placing_timeline = FALSE;
      return;
    }

  self->timeline_height = height - gtk_paned_get_position (self->main_paned);
}

/**
 * chrono_window_set_timeline_height:
 * @height: in pixels, or 0 to follow the window's height
 *
 * Sets the timeline's height as its handle does.
 */
void
chrono_window_set_timeline_height (ChronoWindow *self,
                                   int           height)
{
  int paned_height;

  g_return_if_fail (CHRONO_IS_WINDOW (self));

  self->timeline_height = MAX (height, 0);
  paned_height = gtk_widget_get_height (GTK_WIDGET (self->main_paned));
  if (paned_height <= 0)
    return;

  self->placing_timeline = TRUE;
  gtk_paned_set_position (self->main_paned, paned_height - wanted_timeline_height (self, paned_height));
  self->placing_timeline = FALSE;
}

static void
chrono_window_close_request_save (ChronoWindow *self)
{
  g_autofree char *iso = NULL;
  int width, height;

  if (self->settings == NULL)
    return;

  iso = chrono_day_to_iso (chrono_timeline_get_day (self->timeline));
  g_settings_set_string (self->settings, "current-date", iso);
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_set_int (self->settings, "timeline-height", self->timeline_height);
  g_settings_set_double (self->settings, "map-zoom",
                         shumate_viewport_get_zoom_level (shumate_simple_map_get_viewport (self->map)));
  g_settings_set_double (self->settings, "map-latitude",
                         shumate_location_get_latitude (SHUMATE_LOCATION (shumate_simple_map_get_viewport (self->map))));
  g_settings_set_double (self->settings, "map-longitude",
                         shumate_location_get_longitude (SHUMATE_LOCATION (shumate_simple_map_get_viewport (self->map))));
}

static gboolean
chrono_window_close_request (GtkWindow *window)
{
  chrono_window_close_request_save (CHRONO_WINDOW (window));

  return GTK_WINDOW_CLASS (chrono_window_parent_class)->close_request (window);
}

static void
chrono_window_dispose (GObject *object)
{
  ChronoWindow *self = CHRONO_WINDOW (object);

  close_place_popover (self);
  g_clear_object (&self->draw_toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), CHRONO_TYPE_WINDOW);

  g_clear_handle_id (&self->scrub_timeout, g_source_remove);
  g_clear_handle_id (&self->trim_idle, g_source_remove);
  g_clear_object (&self->selection);
  g_clear_object (&self->snapshot);
  g_clear_pointer (&self->places, g_ptr_array_unref);
  if (self->map_css != NULL)
    gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                   GTK_STYLE_PROVIDER (self->map_css));
  g_clear_object (&self->map_css);
  g_clear_object (&self->place_model);
  g_clear_object (&self->effect_model);
  g_clear_object (&self->search_model);
  g_clear_pointer (&self->searched_text, g_free);
  g_clear_pointer (&self->searched_table, chrono_event_table_unref);
  g_clear_object (&self->place_all_model);
  g_clear_pointer (&self->bound_rows, g_hash_table_unref);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->glow_index, chrono_time_index_unref);

  G_OBJECT_CLASS (chrono_window_parent_class)->dispose (object);
}

static void
chrono_window_finalize (GObject *object)
{
  ChronoWindow *self = CHRONO_WINDOW (object);

  g_free (self->lang);
  g_free (self->filter_place);
  g_free (self->dragged_place);
  g_free (self->draw_kind);
  g_clear_pointer (&self->draw_points, g_array_unref);

  G_OBJECT_CLASS (chrono_window_parent_class)->finalize (object);
}

static void
chrono_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ChronoWindow *self = CHRONO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_AFTERGLOW_DAYS:
      g_value_set_int (value, self->afterglow_days);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ChronoWindow *self = CHRONO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_AFTERGLOW_DAYS:
      chrono_window_set_afterglow_days (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_window_class_init (ChronoWindowClass *klass)
{
  /* In case the application did not start reading the basemap already */
  chrono_basemap_source_preload ();

  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = chrono_window_constructed;
  object_class->dispose = chrono_window_dispose;
  object_class->finalize = chrono_window_finalize;
  object_class->get_property = chrono_window_get_property;
  object_class->set_property = chrono_window_set_property;
  window_class->close_request = chrono_window_close_request;

  properties[PROP_AFTERGLOW_DAYS] =
    g_param_spec_int ("afterglow-days", NULL, NULL, 0, 365, DEFAULT_AFTERGLOW_DAYS,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CHRONO_TYPE_TIMELINE);
  g_type_ensure (SHUMATE_TYPE_SIMPLE_MAP);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/chrono-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, main_paned);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, panel_button);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, list_heading);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, place_bar);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, place_label);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, recent_menu);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, edit_section);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, detail_hint);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, detail_scroller);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, panel_paned);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, event_list);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, scrub_scroller);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, scrub_rows);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, scrub_heading);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, detail_box);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, map);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, play_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search);

  gtk_widget_class_install_action (widget_class, "win.toggle-play", NULL, toggle_play_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.export-dataset", NULL, export_dataset_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.export-dataset", NULL);
  gtk_widget_class_install_action (widget_class, "win.export-snapshot", NULL, export_snapshot_action);
  gtk_widget_class_install_action (widget_class, "win.copy-snapshot", NULL, copy_snapshot_action);
  gtk_widget_class_install_action (widget_class, "win.export-handout", NULL, export_handout_action);
  gtk_widget_class_install_action (widget_class, "win.present", NULL, present_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export-snapshot", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.copy-snapshot", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.present", NULL);

  /**
   * ChronoWindow::snapshot-copied:
   * @texture: the image now on the clipboard
   */
  signals[SIGNAL_SNAPSHOT_COPIED] = g_signal_new ("snapshot-copied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GDK_TYPE_TEXTURE);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-panel", NULL, toggle_panel_action);
  gtk_widget_class_install_action (widget_class, "win.clear-place", NULL, clear_place_action);
  gtk_widget_class_install_action (widget_class, "win.go-to-event", "x", go_to_event_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "win.preferences", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-panel", NULL);

  gtk_widget_class_install_action (widget_class, "win.new-dataset", NULL, new_dataset_action);
  gtk_widget_class_install_action (widget_class, "win.save-copy", NULL, save_copy_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.new-event", NULL, new_event_action);
  gtk_widget_class_install_action (widget_class, "win.new-event-at", "s", new_event_at_action);
  gtk_widget_class_install_action (widget_class, "win.edit-event", "s", edit_event_action);
  gtk_widget_class_install_action (widget_class, "win.delete-event", "s", delete_event_action);
  gtk_widget_class_install_action (widget_class, "win.add-to-tour", "s", add_to_tour_action);
  gtk_widget_class_install_action (widget_class, "win.edit-tour", NULL, edit_tour_action);
  gtk_widget_class_install_action (widget_class, "win.new-place", NULL, new_place_action);
  gtk_widget_class_install_action (widget_class, "win.add-place-here", "(dd)", add_place_here_action);
  gtk_widget_class_install_action (widget_class, "win.edit-place", "s", edit_place_action);
  gtk_widget_class_install_action (widget_class, "win.delete-place", "s", delete_place_action);
  gtk_widget_class_install_action (widget_class, "win.draw-place", "s", draw_place_action);
  gtk_widget_class_install_action (widget_class, "win.finish-drawing", NULL, finish_drawing_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-dataset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.new-event", NULL);
  /* The selected event */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "win.edit-event", "s", "");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.delete-event", "s", "");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.add-to-tour", "s", "");
}

static void
chrono_window_init (ChronoWindow *self)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GSettingsSchemaSource *schemas = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;
  ShumateViewport *viewport;
  GtkEventController *keys;
  AdwStyleManager *style_manager = adw_style_manager_get_default ();

  self->afterglow_days = DEFAULT_AFTERGLOW_DAYS;
  self->lang = chrono_cli_get_data_language ();
  self->effect_model = chrono_event_list_new (load_event, self);
  self->search_model = chrono_event_list_new (load_event, self);
  self->place_all_model = chrono_event_list_new (load_event, self);
  self->place_model = chrono_event_list_new (load_event, self);
  self->bound_rows = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The offline basemap draws for the renderer the window realizes */
  chrono_basemap_map_source_follow_renderer (self->map);

  {
    GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

    g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  /* Settings are optional so that the window also runs from a build tree
   * without installed schemas. */
  if (schemas != NULL)
    schema = g_settings_schema_source_lookup (schemas, BASE_APPLICATION_ID, TRUE);
  if (schema != NULL)
    {
      self->settings = g_settings_new (BASE_APPLICATION_ID);
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      self->afterglow_days = g_settings_get_int (self->settings, "afterglow-days");
      self->timeline_height = g_settings_get_int (self->settings, "timeline-height");
    }
  g_signal_connect_swapped (self->main_paned, "notify::position", G_CALLBACK (on_main_paned_changed), self);
  g_signal_connect_swapped (self->main_paned, "notify::max-position", G_CALLBACK (on_main_paned_changed), self);

  /* The offline basemap unless the person chose another: no network unless
   * they turn it on. It is made again with the dataset (load_store ()), whose
   * towns it leaves to the event layer, but a map source must be there first,
   * under the event layer. */
  update_basemap (self);
  g_signal_connect_object (style_manager, "notify::dark",
                           G_CALLBACK (update_basemap), self, G_CONNECT_SWAPPED);
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed), self, 0);
    }
  viewport = shumate_simple_map_get_viewport (self->map);

  self->event_layer = chrono_event_layer_new (viewport);
  chrono_event_layer_set_language (self->event_layer, self->lang);
  chrono_event_layer_set_afterglow_days (self->event_layer, self->afterglow_days);
  chrono_event_layer_set_events_in_effect (self->event_layer, G_LIST_MODEL (self->effect_model));
  chrono_event_layer_set_basemap_style (self->event_layer, get_basemap_style (self));
  shumate_simple_map_add_overlay_layer (self->map, SHUMATE_LAYER (self->event_layer));
  chrono_event_layer_attach_controllers (self->event_layer, GTK_WIDGET (shumate_simple_map_get_map (self->map)));
  g_signal_connect_object (self->event_layer, "place-activated",
                           G_CALLBACK (on_event_layer_place_activated), self, 0);
  g_signal_connect_object (self->event_layer, "notify::selected-place",
                           G_CALLBACK (on_event_layer_selected_place_changed), self, G_CONNECT_SWAPPED);

  if (self->settings != NULL && g_settings_get_double (self->settings, "map-zoom") > 0)
    {
      shumate_viewport_set_zoom_level (viewport, g_settings_get_double (self->settings, "map-zoom"));
      shumate_map_center_on (shumate_simple_map_get_map (self->map),
                             g_settings_get_double (self->settings, "map-latitude"),
                             g_settings_get_double (self->settings, "map-longitude"));
    }
  else
    {
      shumate_viewport_set_zoom_level (viewport, 8);
      shumate_map_center_on (shumate_simple_map_get_map (self->map), 39.75, 46.6);
    }

  /* Capture: before the focused list takes Space or the arrows */
  self->key_controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (self->key_controller, GTK_PHASE_CAPTURE);
  g_signal_connect (self->key_controller, "key-pressed", G_CALLBACK (on_window_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), self->key_controller);

  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_map_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (shumate_simple_map_get_map (self->map)), keys);

  /* Context menus on the map and the timeline's bars; places move by
   * dragging (before the map's own drag takes it, hence the capture) */
  {
    GtkWidget *map = GTK_WIDGET (shumate_simple_map_get_map (self->map));
    GtkGesture *click = gtk_gesture_click_new ();
    GtkGesture *press = gtk_gesture_long_press_new ();
    GtkGesture *drag = gtk_gesture_drag_new ();

    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
    g_signal_connect (click, "pressed", G_CALLBACK (on_map_pressed), self);
    gtk_widget_add_controller (map, GTK_EVENT_CONTROLLER (click));
    gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (press), TRUE);
    g_signal_connect (press, "pressed", G_CALLBACK (on_map_long_pressed), self);
    gtk_widget_add_controller (map, GTK_EVENT_CONTROLLER (press));
    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
    g_signal_connect (drag, "drag-begin", G_CALLBACK (on_place_drag_begin), self);
    g_signal_connect (drag, "drag-update", G_CALLBACK (on_place_drag_update), self);
    g_signal_connect (drag, "drag-end", G_CALLBACK (on_place_drag_end), self);
    gtk_widget_add_controller (map, GTK_EVENT_CONTROLLER (drag));
    click = gtk_gesture_click_new ();
    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
    g_signal_connect (click, "pressed", G_CALLBACK (on_draw_click_pressed), self);
    g_signal_connect (click, "released", G_CALLBACK (on_draw_click_released), self);
    gtk_widget_add_controller (map, GTK_EVENT_CONTROLLER (click));

    click = gtk_gesture_click_new ();
    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
    g_signal_connect (click, "pressed", G_CALLBACK (on_timeline_pressed), self);
    gtk_widget_add_controller (GTK_WIDGET (self->timeline), GTK_EVENT_CONTROLLER (click));
    press = gtk_gesture_long_press_new ();
    gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (press), TRUE);
    g_signal_connect (press, "pressed", G_CALLBACK (on_timeline_long_pressed), self);
    gtk_widget_add_controller (GTK_WIDGET (self->timeline), GTK_EVENT_CONTROLLER (press));
  }
  gtk_widget_set_focusable (GTK_WIDGET (shumate_simple_map_get_map (self->map)), TRUE);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clear-place", FALSE);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->effect_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_factory (self->event_list, factory);
  gtk_list_view_set_model (self->event_list, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->event_list, "activate", G_CALLBACK (on_event_list_activate), self);

  chrono_timeline_set_afterglow_days (self->timeline, self->afterglow_days);
  g_signal_connect_swapped (self->timeline, "notify::day", G_CALLBACK (on_timeline_day_changed), self);
  g_signal_connect_swapped (self->timeline, "notify::playing", G_CALLBACK (on_playing_changed), self);
  g_signal_connect_swapped (self->timeline, "notify::selected-event", G_CALLBACK (on_timeline_selected_event), self);

  if (self->settings != NULL)
    g_settings_bind (self->settings, "afterglow-days", self, "afterglow-days", G_SETTINGS_BIND_GET);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.preferences", self->settings != NULL);

  show_event_details (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->timeline));
}

ChronoWindow *
chrono_window_new (ChronoApplication *application)
{
  ChronoWindow *self = g_object_new (CHRONO_TYPE_WINDOW, "application", application, NULL);

  /* The start date comes from the application, known only once it is set. */
  chrono_timeline_set_day (self->timeline, initial_day (self));

  return self;
}

/**
 * chrono_window_get_shown_model:
 *
 * Returns: (nullable) (transfer none): the model of the side panel's list,
 *   which selects among chrono_window_get_list_model()'s events; %NULL while
 *   the date moves in a quick run of changes, when the panel shows
 *   chrono_window_get_scrub_rows() instead
 */
GListModel *
chrono_window_get_shown_model (ChronoWindow *self)
{
  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (gtk_list_view_get_model (self->event_list));
}

/**
 * chrono_window_get_scrub_rows:
 *
 * Returns: (transfer none): the box of one-line rows (each a box of a dot
 *   and a box of the dates and the title, all #GtkInscription) that shows
 *   the first events while the date moves in a quick run of changes
 */
GtkWidget *
chrono_window_get_scrub_rows (ChronoWindow *self)
{
  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  return self->scrub_rows;
}

ShumateSimpleMap *
chrono_window_get_map (ChronoWindow *self)
{
  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  return self->map;
}

/* The one model of the events in effect (and in afterglow) at the current day. */
GListModel *
chrono_window_get_events_in_effect (ChronoWindow *self)
{
  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->effect_model);
}

ChronoTimeline *
chrono_window_get_timeline (ChronoWindow *self)
{
  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  return self->timeline;
}

ChronoEventLayer *
chrono_window_get_event_layer (ChronoWindow *self)
{
  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  return self->event_layer;
}

void
chrono_window_set_afterglow_days (ChronoWindow *self,
                                  int           days)
{
  g_return_if_fail (CHRONO_IS_WINDOW (self));

  days = CLAMP (days, 0, 365);
  if (self->afterglow_days == days)
    return;

  self->afterglow_days = days;
  chrono_event_layer_set_afterglow_days (self->event_layer, days);
  chrono_timeline_set_afterglow_days (self->timeline, days);
  rebuild_glow_index (self);
  update_events_in_effect (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AFTERGLOW_DAYS]);
}

/* Searches as the search entry does; for tests and the command line. */
void
chrono_window_search (ChronoWindow *self,
                      const char   *text)
{
  g_return_if_fail (CHRONO_IS_WINDOW (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  /* One search for the new text, not one for the entry emptied first */
  g_signal_handlers_block_by_func (self->search_entry, on_search_entry_search_changed, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  g_signal_handlers_unblock_by_func (self->search_entry, on_search_entry_search_changed, self);
  on_search_entry_search_changed (self->search_entry, self);
}

GListModel *
chrono_window_get_list_model (ChronoWindow *self)
{
  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  return gtk_single_selection_get_model (self->selection);
}

/* Narrows the side panel to the events in effect at @place_id, or shows all
 * of them again for %NULL; as a click on the map and the Clear button do. */
void
chrono_window_set_place_filter (ChronoWindow *self,
                                const char   *place_id)
{
  g_return_if_fail (CHRONO_IS_WINDOW (self));

  set_filter_place (self, place_id);
}

const char *
chrono_window_get_place_filter (ChronoWindow *self)
{
  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  return self->filter_place;
}

GtkWidget *
chrono_window_get_place_popover (ChronoWindow *self)
{
  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  return self->place_popover;
}

ShumateMapSource *
chrono_window_get_map_source (ChronoWindow *self)
{
  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  return shumate_simple_map_get_map_source (self->map);
}

GSettings *
chrono_window_get_settings (ChronoWindow *self)
{
  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  return self->settings;
}

ChronoStore *
chrono_window_get_store (ChronoWindow *self)
{
  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  return self->store;
}

/* Returns: (transfer none): the controller that gives the timeline its keys
 * wherever the focus is in the window */
GtkEventController *
chrono_window_get_key_controller (ChronoWindow *self)
{
  g_return_val_if_fail (CHRONO_IS_WINDOW (self), NULL);

  return self->key_controller;
}
