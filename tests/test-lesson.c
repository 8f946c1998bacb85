/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-lesson"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "chrono-date.h"
#include "chrono-document.h"
#include "chrono-event.h"
#include "chrono-event-editor.h"
#include "chrono-export-dialog.h"
#include "chrono-place-editor.h"
#include "chrono-presentation.h"
#include "chrono-source-editor.h"
#include "chrono-tour-editor.h"
#include "chrono-tour-step.h"
#include "chrono-window.h"
#include "test-run.h"

/*
 * The acceptance test: a teacher makes a small lesson from nothing in
 * the window (five events, three places, a source with excerpts, a tour of
 * five steps), presents it and exports a handout, with no file written by
 * hand. Everything goes through the window's actions and the editors' rows
 * and buttons, as a person would fill them; the document is only read, to
 * check what they did. The lesson is made up (a school exchange between
 * three capitals), so that no fact in it needs a source outside this file.
 */

typedef struct
{
  const char *title;
  const char *start;
  const char *end;    /* NULL: the day it starts */
  guint       place;  /* of the lesson's places */
  const char *quote;  /* NULL: no excerpt */
} LessonEvent;

/* In the order the teacher types them in */
static const LessonEvent lesson_events[] = {
  /* Some time in March 2021, no one remembers the day */
  { "The exchange is planned", "2021-03~", NULL, 0, "We hope to meet in the spring, in all three cities." },
  { "Students arrive in Tbilisi", "2021-05-10", NULL, 0, NULL },
  { "By train to Yerevan", "2021-05-12", "2021-05-14", 1, NULL },
  { "Concert in Yerevan", "2021-05-15", NULL, 1, "The hall was full and the choir sang in three languages." },
  { "Farewell in Baku", "2021-05-20", NULL, 2, NULL },
};

static const struct
{
  const char *name;
  double      lat;
  double      lon;
} lesson_places[] = {
  { "Tbilisi", 41.7151, 44.8271 },
  { "Yerevan", 40.1792, 44.4991 },
  { "Baku", 40.4093, 49.8671 },
};

#define LESSON_TITLE "Three Capitals Exchange"
#define SOURCE_TITLE "Letters of the exchange class"
#define FIRST_STEP_TITLE "Where it all began"

static gboolean
is_drawn (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

/* The one toplevel of @type that is shown, or NULL */
static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          /* Two editors of a kind would mean one was left open */
          g_assert_null (found);
          found = GTK_WINDOW (window);
        }
    }
  return found;
}

static gboolean
no_toplevel (gpointer data)
{
  return find_toplevel ((GType) GPOINTER_TO_SIZE (data)) == NULL;
}

/* Runs @action on @window and returns the dialog of @type it opened, drawn */
static GtkWindow *
open_dialog (ChronoWindow *window,
             const char   *action,
             GVariant     *target,
             GType         type)
{
  g_autoptr (GVariant) owned = target != NULL ? g_variant_ref_sink (target) : NULL;
  GtkWindow *dialog;

  g_assert_null (find_toplevel (type));
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), action, owned));
  dialog = find_toplevel (type);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  wait_for (is_drawn, dialog);
  return dialog;
}

static void
type_text (gpointer    editable,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

/* A click on @button, as a pointer gives it (gtk_widget_activate() waits a
 * moment to show the button pressed) */
static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* The button in @widget that runs @action_name, or whose label is @label */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action_name,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) &&
      ((action_name != NULL &&
        g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0) ||
       (label != NULL && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = find_button (child, action_name, label);

      if (button != NULL)
        return button;
    }
  return NULL;
}

/* The drop-down in @widget whose items are of @type */
static GtkDropDown *
find_drop_down (GtkWidget *widget,
                GType      type)
{
  if (GTK_IS_DROP_DOWN (widget) && gtk_drop_down_get_model (GTK_DROP_DOWN (widget)) != NULL &&
      g_list_model_get_item_type (gtk_drop_down_get_model (GTK_DROP_DOWN (widget))) == type)
    return GTK_DROP_DOWN (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkDropDown *found = find_drop_down (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The entry row that has the keyboard focus in @window: where typing goes */
static AdwEntryRow *
focused_entry_row (GtkWindow *window)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  g_assert_nonnull (focus);
  if (ADW_IS_ENTRY_ROW (focus))
    return ADW_ENTRY_ROW (focus);
  focus = gtk_widget_get_ancestor (focus, ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (focus);
  return ADW_ENTRY_ROW (focus);
}

static void
on_saved (GtkWidget  *editor,
          const char *id,
          char      **out)
{
  g_free (*out);
  *out = g_strdup (id);
}

/* New Dataset (Ctrl+N): a title and the languages, then Create */
static char *
make_dataset (ChronoWindow *window)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (open_dialog (window, "win.new-dataset", NULL,
                                                              ADW_TYPE_MESSAGE_DIALOG));
  GtkWidget *rows = adw_message_dialog_get_extra_child (dialog);
  GtkWidget *title_row = gtk_widget_get_first_child (rows);
  GtkWidget *langs_row = gtk_widget_get_next_sibling (title_row);
  ChronoDocument *document;
  const char *path;

  /* The title is where the typing goes; the languages are offered */
  g_assert_true (focused_entry_row (GTK_WINDOW (dialog)) == ADW_ENTRY_ROW (title_row));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (langs_row)), ==, "en");
  type_text (title_row, LESSON_TITLE);
  click (find_button (GTK_WIDGET (dialog), NULL, "C_reate"));
  wait_for (no_toplevel, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG));

  document = chrono_window_get_document (window);
  g_assert_false (chrono_document_get_read_only (document));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, LESSON_TITLE);
  g_assert_cmpuint (chrono_document_get_events (document)->len, ==, 0);
  g_assert_cmpuint (chrono_document_get_places (document)->len, ==, 0);
  path = chrono_document_get_path (document);
  g_assert_true (g_str_has_suffix (path, ".chronotope"));
  g_assert_true (g_str_has_prefix (path, g_get_user_data_dir ()));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return g_strdup (path);
}

/* A place put on the map: its name typed where the focus is, then Add */
static char *
add_place (ChronoWindow *window,
           guint         i)
{
  GtkWidget *editor = chrono_window_edit_place (window, NULL, lesson_places[i].lat, lesson_places[i].lon);
  ChronoPlaceEditor *self = CHRONO_PLACE_EDITOR (editor);
  ChronoDocument *document = chrono_window_get_document (window);
  g_autofree char *id = NULL;
  ChronoPlace *place;

  g_assert_nonnull (editor);
  g_signal_connect (editor, "saved", G_CALLBACK (on_saved), &id);
  wait_for (is_drawn, editor);
  g_assert_false (gtk_widget_get_sensitive (chrono_place_editor_get_save_button (self)));
  type_text (focused_entry_row (GTK_WINDOW (editor)), lesson_places[i].name);
  /* A capital: a town, of the kinds offered */
  {
    AdwComboRow *kind_row = chrono_place_editor_get_kind_row (self);
    GListModel *kinds = adw_combo_row_get_model (kind_row);
    guint town = GTK_INVALID_LIST_POSITION;

    for (guint k = 0; k < g_list_model_get_n_items (kinds); k++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (kinds), k), "Town"))
        town = k;
    g_assert_cmpuint (town, !=, GTK_INVALID_LIST_POSITION);
    adw_combo_row_set_selected (kind_row, town);
  }
  click (chrono_place_editor_get_save_button (self));
  g_assert_nonnull (id);
  wait_for (no_toplevel, GSIZE_TO_POINTER (CHRONO_TYPE_PLACE_EDITOR));

  place = chrono_document_find_place (document, id);
  g_assert_nonnull (place);
  g_assert_cmpstr (chrono_place_get_name (place), ==, lesson_places[i].name);
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "town");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place), lesson_places[i].lat, 1e-6);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (place), lesson_places[i].lon, 1e-6);
  return g_steal_pointer (&id);
}

/* "Add a place": the place chosen in the drop-down is added */
static void
choose_place (ChronoEventEditor *editor,
              const char        *place_id)
{
  GtkDropDown *drop_down = find_drop_down (GTK_WIDGET (editor), CHRONO_TYPE_PLACE);
  GListModel *places;
  guint n_before = chrono_event_editor_get_n_places (editor);
  guint position = GTK_INVALID_LIST_POSITION;

  g_assert_nonnull (drop_down);
  places = gtk_drop_down_get_model (drop_down);
  /* The places just made are offered */
  g_assert_cmpuint (g_list_model_get_n_items (places), ==, G_N_ELEMENTS (lesson_places));
  for (guint i = 0; i < g_list_model_get_n_items (places); i++)
    {
      g_autoptr (ChronoPlace) place = g_list_model_get_item (places, i);

      if (g_str_equal (chrono_place_get_id (place), place_id))
        position = i;
    }
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  /* No place looks chosen before one is; choosing one adds it at once */
  g_assert_cmpuint (gtk_drop_down_get_selected (drop_down), ==, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (drop_down, position);
  g_assert_cmpuint (chrono_event_editor_get_n_places (editor), ==, n_before + 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (drop_down), ==, GTK_INVALID_LIST_POSITION);
}

/* New Event (Ctrl+Shift+N): title, dates read back as typed, a place, Add */
static char *
add_event (ChronoWindow  *window,
           const char   **place_ids,
           guint          i)
{
  const LessonEvent *lesson = &lesson_events[i];
  ChronoEventEditor *editor = CHRONO_EVENT_EDITOR (open_dialog (window, "win.new-event", NULL,
                                                                CHRONO_TYPE_EVENT_EDITOR));
  ChronoDocument *document = chrono_window_get_document (window);
  g_autofree char *id = NULL;
  g_autofree char *reading = NULL;
  g_autoptr (GError) error = NULL;
  ChronoEvent *event;

  g_signal_connect (editor, "saved", G_CALLBACK (on_saved), &id);
  /* The title has the focus, and nothing can be added without one */
  g_assert_true (focused_entry_row (GTK_WINDOW (editor)) == chrono_event_editor_get_title_row (editor, "en"));
  g_assert_false (gtk_widget_get_sensitive (chrono_event_editor_get_save_button (editor)));
  type_text (chrono_event_editor_get_title_row (editor, "en"), lesson->title);

  /* The date is read back as a person says it, as it is typed */
  type_text (chrono_event_editor_get_start_row (editor), lesson->start);
  reading = chrono_document_describe_date (lesson->start, &error);
  g_assert_no_error (error);
  g_test_message ("%s reads “%s”", lesson->start, reading);
  g_assert_cmpstr (gtk_label_get_text (chrono_event_editor_get_start_reading (editor)), ==, reading);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (chrono_event_editor_get_start_row (editor)), "error"));
  if (lesson->end != NULL)
    {
      g_autofree char *end_reading = chrono_document_describe_date (lesson->end, &error);

      g_assert_no_error (error);
      type_text (chrono_event_editor_get_end_row (editor), lesson->end);
      g_assert_cmpstr (gtk_label_get_text (chrono_event_editor_get_end_reading (editor)), ==, end_reading);
    }
  else
    {
      g_assert_cmpstr (gtk_label_get_text (chrono_event_editor_get_end_reading (editor)), ==,
                       "The event ends when it starts");
    }

  choose_place (editor, place_ids[lesson->place]);
  click (chrono_event_editor_get_save_button (editor));
  g_assert_nonnull (id);
  wait_for (no_toplevel, GSIZE_TO_POINTER (CHRONO_TYPE_EVENT_EDITOR));

  event = chrono_document_find_event (document, id);
  g_assert_nonnull (event);
  g_assert_cmpstr (chrono_event_get_title (event), ==, lesson->title);
  g_assert_cmpstr (chrono_event_get_start (event), ==, lesson->start);
  if (lesson->end != NULL)
    g_assert_cmpstr (chrono_event_get_end (event), ==, lesson->end);
  g_assert_cmpuint (chrono_event_get_places (event)->len, ==, 1);
  g_assert_cmpstr (chrono_place_get_id (g_ptr_array_index (chrono_event_get_places (event), 0)), ==,
                   place_ids[lesson->place]);
  return g_steal_pointer (&id);
}

static gboolean
is_listed (gpointer data)
{
  ChronoWindow *window = data;
  GListModel *list = chrono_window_get_list_model (window);
  const char *id = g_object_get_data (G_OBJECT (window), "wanted-event");

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (ChronoEvent) event = g_list_model_get_item (list, i);

      if (g_str_equal (chrono_event_get_id (event), id))
        return TRUE;
    }
  return FALSE;
}

/* The lesson in the window: on the train's second day, the journey is in
 * the list and on the map, at Yerevan */
static void
see_on_map (ChronoWindow  *window,
            char         **place_ids,
            char         **event_ids)
{
  ChronoEventLayer *layer = chrono_window_get_event_layer (window);

  gtk_widget_activate_action (GTK_WIDGET (chrono_window_get_timeline (window)), "timeline.set-day", "x",
                              (gint64) chrono_day_from_ymd (2021, 5, 13));
  g_object_set_data (G_OBJECT (window), "wanted-event", event_ids[2]);
  wait_for (is_listed, window);
  g_assert_nonnull (chrono_event_layer_get_place (layer, place_ids[1]));
  g_assert_cmpuint (chrono_event_layer_get_n_events_at (layer, place_ids[1]), >=, 1);
  /* Baku's farewell is a week away */
  g_assert_cmpuint (chrono_event_layer_get_n_events_at (layer, place_ids[2]), ==, 0);
}

static guint
n_excerpts (ChronoDocument *document,
            const char     *event_id)
{
  g_autoptr (ChronoEvent) event = chrono_store_get_event_by_id (chrono_document_get_store (document),
                                                                event_id, "en", NULL);

  g_assert_nonnull (event);
  return chrono_event_get_excerpts (event)->len;
}

/* The event editor's Sources page: New Source… the first time (when
 * *@source_id is NULL, then set), then the excerpt typed and added */
static void
add_excerpt (ChronoWindow  *window,
             const char    *event_id,
             const char    *quote,
             char         **source_id)
{
  ChronoEventEditor *editor = CHRONO_EVENT_EDITOR (open_dialog (window, "win.edit-event",
                                                                g_variant_new_string (event_id),
                                                                CHRONO_TYPE_EVENT_EDITOR));
  ChronoDocument *document = chrono_window_get_document (window);
  AdwComboRow *source_row = chrono_event_editor_get_excerpt_source_row (editor);
  GtkStringObject *chosen;

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (chrono_event_editor_get_title_row (editor, "en"))), ==,
                   chrono_event_get_title (chrono_document_find_event (document, event_id)));
  adw_view_stack_set_visible_child_name (chrono_event_editor_get_stack (editor), "sources");

  if (*source_id == NULL)
    {
      ChronoSourceEditor *source_editor;

      /* No source yet: nothing to quote from */
      g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (source_row)), ==, 0);
      click (find_button (GTK_WIDGET (editor), "editor.new-source", NULL));
      source_editor = CHRONO_SOURCE_EDITOR (find_toplevel (CHRONO_TYPE_SOURCE_EDITOR));
      g_assert_nonnull (source_editor);
      g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (source_editor)) == GTK_WINDOW (editor));
      wait_for (is_drawn, source_editor);
      g_signal_connect (source_editor, "saved", G_CALLBACK (on_saved), source_id);
      type_text (chrono_source_editor_get_title_row (source_editor), SOURCE_TITLE);
      type_text (chrono_source_editor_get_published_row (source_editor), "2021-06");
      g_assert_cmpstr (gtk_label_get_text (chrono_source_editor_get_published_reading (source_editor)), !=, "");
      click (chrono_source_editor_get_save_button (source_editor));
      g_assert_nonnull (*source_id);
      wait_for (no_toplevel, GSIZE_TO_POINTER (CHRONO_TYPE_SOURCE_EDITOR));
      g_assert_cmpuint (chrono_document_get_sources (document)->len, ==, 1);
      g_assert_cmpstr (chrono_source_get_title (chrono_document_find_source (document, *source_id)), ==,
                       SOURCE_TITLE);
    }

  /* The lesson's one source is the one chosen */
  chosen = adw_combo_row_get_selected_item (source_row);
  g_assert_nonnull (chosen);
  g_assert_true (g_str_has_prefix (gtk_string_object_get_string (chosen), SOURCE_TITLE));

  type_text (chrono_event_editor_get_quote_row (editor), quote);
  click (find_button (GTK_WIDGET (editor), "editor.add-excerpt", NULL));
  g_assert_cmpuint (n_excerpts (document, event_id), ==, 1);
  /* The quote field is empty for the next one */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (chrono_event_editor_get_quote_row (editor))), ==, "");

  /* The excerpt is added already: closing the editor keeps it */
  gtk_window_close (GTK_WINDOW (editor));
  wait_for (no_toplevel, GSIZE_TO_POINTER (CHRONO_TYPE_EVENT_EDITOR));
  g_assert_cmpuint (n_excerpts (document, event_id), ==, 1);
}

static char *
tour_ids (ChronoDocument *document)
{
  GPtrArray *tour = chrono_document_get_tour (document);
  g_autoptr (GString) ids = g_string_new (NULL);

  for (guint i = 0; i < tour->len; i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? " " : "", chrono_tour_step_get_event_id (g_ptr_array_index (tour, i)));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* The event's context menu (right click on its row, bar or place): its
 * Add to Tour item's action, with the item's target */
static void
add_to_tour (ChronoWindow *window,
             const char   *event_id)
{
  ChronoDocument *document = chrono_window_get_document (window);
  g_autoptr (GMenuModel) menu = chrono_window_dup_event_menu (window, chrono_document_find_event (document, event_id));
  gboolean found = FALSE;

  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *action = NULL;
      g_autoptr (GVariant) target = NULL;

      if (!g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action) ||
          !g_str_equal (action, "win.add-to-tour"))
        continue;
      target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
      g_assert_nonnull (target);
      g_assert_cmpstr (g_variant_get_string (target, NULL), ==, event_id);
      g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), action, target));
      found = TRUE;
    }
  g_assert_true (found);
}

/* Sends Alt+@keyval as @row's shortcut controller does on that key */
static void
press_alt (GtkWidget *row,
           guint      keyval)
{
  g_autoptr (GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, GDK_ALT_MASK);
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (row);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, row,
                                                           gtk_shortcut_get_arguments (shortcut)));
              return;
            }
        }
    }
  g_assert_not_reached ();
}

/* Edit Tour: the second step moved down with Alt+Down, the first given a
 * title of its own */
static void
edit_tour (ChronoWindow  *window,
           char         **event_ids)
{
  ChronoTourEditor *editor = CHRONO_TOUR_EDITOR (open_dialog (window, "win.edit-tour", NULL,
                                                              CHRONO_TYPE_TOUR_EDITOR));
  ChronoDocument *document = chrono_window_get_document (window);
  g_autofree char *expected = g_strjoin (" ", event_ids[0], event_ids[2], event_ids[1], event_ids[3],
                                         event_ids[4], NULL);
  g_autofree char *moved = NULL;
  AdwEntryRow *title_row;
  GtkWidget *focus;

  g_assert_cmpuint (chrono_tour_editor_get_n_rows (editor), ==, G_N_ELEMENTS (lesson_events));
  /* The steps are named after their events and dated as said */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (chrono_tour_editor_get_row (editor, 1))), ==,
                   "2. Students arrive in Tbilisi");

  /* The train journey before the arrival: the arrival goes down a step */
  g_assert_true (gtk_widget_grab_focus (chrono_tour_editor_get_row (editor, 1)) ||
                 gtk_widget_child_focus (chrono_tour_editor_get_row (editor, 1), GTK_DIR_TAB_FORWARD));
  press_alt (chrono_tour_editor_get_row (editor, 1), GDK_KEY_Down);
  moved = tour_ids (document);
  g_assert_cmpstr (moved, ==, expected);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (chrono_tour_editor_get_row (editor, 2))), ==,
                   "3. Students arrive in Tbilisi");
  focus = gtk_root_get_focus (GTK_ROOT (editor));
  g_assert_true (focus != NULL && (focus == chrono_tour_editor_get_row (editor, 2) ||
                                   gtk_widget_is_ancestor (focus, chrono_tour_editor_get_row (editor, 2))));
  g_assert_cmpstr (chrono_document_get_undo_label (document), ==, "Move Tour Step");

  /* The first step's own title, applied from its row */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (chrono_tour_editor_get_row (editor, 0)), TRUE);
  title_row = chrono_tour_editor_get_title_row (editor, 0);
  type_text (title_row, FIRST_STEP_TITLE);
  g_signal_emit_by_name (title_row, "apply");
  g_assert_cmpstr (chrono_tour_step_get_title (g_ptr_array_index (chrono_document_get_tour (document), 0)), ==,
                   FIRST_STEP_TITLE);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (chrono_tour_editor_get_row (editor, 0))), ==,
                   "1. " FIRST_STEP_TITLE);

  gtk_window_close (GTK_WINDOW (editor));
  wait_for (no_toplevel, GSIZE_TO_POINTER (CHRONO_TYPE_TOUR_EDITOR));
}

/* The label carrying @css_class inside @widget */
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

static const char *
label_text (GtkWindow  *window,
            const char *css_class)
{
  GtkLabel *label = find_label (GTK_WIDGET (window), css_class);

  g_assert_nonnull (label);
  return gtk_label_get_text (label);
}

static gboolean
press (ChronoPresentation *presentation,
       guint               keyval)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (chrono_presentation_get_key_controller (presentation), "key-pressed",
                         keyval, 0, (GdkModifierType) 0, &handled);
  return handled;
}

/* Present (F5): the tour, step 1 first under its own title, then step 2 */
static void
present (ChronoWindow  *window,
         char         **event_ids)
{
  ChronoPresentation *presentation = CHRONO_PRESENTATION (open_dialog (window, "win.present", NULL,
                                                                       CHRONO_TYPE_PRESENTATION));

  g_assert_true (chrono_presentation_get_from_tour (presentation));
  g_assert_cmpuint (chrono_presentation_get_n_steps (presentation), ==, G_N_ELEMENTS (lesson_events));
  g_assert_cmpuint (chrono_presentation_get_step (presentation), ==, 0);
  g_assert_cmpstr (chrono_event_get_id (chrono_presentation_get_event (presentation)), ==, event_ids[0]);
  g_assert_cmpstr (label_text (GTK_WINDOW (presentation), "presentation-title"), ==, FIRST_STEP_TITLE);
  g_assert_cmpstr (label_text (GTK_WINDOW (presentation), "presentation-counter"), ==, "1 / 5");
  /* The planning's excerpt, quoted and cited */
  g_test_message ("step 1: %s %s", label_text (GTK_WINDOW (presentation), "presentation-quote"),
                  label_text (GTK_WINDOW (presentation), "presentation-citation"));
  g_assert_nonnull (strstr (label_text (GTK_WINDOW (presentation), "presentation-quote"), lesson_events[0].quote));
  g_assert_nonnull (strstr (label_text (GTK_WINDOW (presentation), "presentation-citation"), SOURCE_TITLE));
  /* Some time in March 2021: the map is in March 2021 */
  g_assert_cmpint (chrono_presentation_get_day (presentation), >=, chrono_day_from_ymd (2021, 3, 1));
  g_assert_cmpint (chrono_presentation_get_day (presentation), <=, chrono_day_from_ymd (2021, 3, 31));

  /* The clicker's next: the train journey, moved up to step 2 */
  g_assert_true (press (presentation, GDK_KEY_Page_Down));
  g_assert_cmpuint (chrono_presentation_get_step (presentation), ==, 1);
  g_assert_cmpstr (chrono_event_get_id (chrono_presentation_get_event (presentation)), ==, event_ids[2]);
  g_assert_cmpstr (label_text (GTK_WINDOW (presentation), "presentation-title"), ==, lesson_events[2].title);
  g_assert_cmpstr (label_text (GTK_WINDOW (presentation), "presentation-counter"), ==, "2 / 5");

  g_assert_true (press (presentation, GDK_KEY_Escape));
  wait_for (no_toplevel, GSIZE_TO_POINTER (CHRONO_TYPE_PRESENTATION));
}

/* memmem(): PDF files hold bytes 0 among their text, where strstr() would
 * stop */
static const char *
find_bytes (const char *haystack,
            gsize       length,
            const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (haystack[i] == needle[0] && memcmp (haystack + i, needle, n) == 0)
      return haystack + i;
  return NULL;
}

/* The next operator @op of a content stream, between white space */
static const char *
find_operator (const char *p,
               const char *end,
               const char *op)
{
  g_autofree char *needle = g_strconcat (op, "\n", NULL);

  while ((p = find_bytes (p, end - p, needle)) != NULL)
    {
      if (g_ascii_isspace (p[-1]))
        return p;
      p++;
    }
  return NULL;
}

/* As in test-export.c: whether @word is drawn as text in a PDF written
 * uncompressed (CAIRO_DEBUG_PDF), that is, as glyphs of a font whose
 * ToUnicode map says they are these letters, in a text object's strings */
static gboolean
pdf_shows_word (const char *pdf,
                gsize       length,
                const char *word)
{
  g_autoptr (GString) strings = g_string_new (NULL);
  g_autoptr (GRegex) pair = g_regex_new ("<([0-9a-fA-F]+)>\\s*<([0-9a-fA-F]{4})>", 0, 0, NULL);
  const char *p = pdf, *end = pdf + length;

  while ((p = find_operator (p, end, "BT")) != NULL)
    {
      const char *et = find_operator (p, end, "ET");

      if (et == NULL)
        break;
      for (const char *c = p; c < et; c++)
        {
          if (*c == '(')
            {
              for (c++; c < et && *c != ')'; c++)
                {
                  guint byte = (guchar) *c;

                  if (*c == '\\' && c + 1 < et)
                    {
                      c++;
                      if (*c >= '0' && *c <= '7')
                        {
                          byte = 0;
                          for (int k = 0; k < 3 && c < et && *c >= '0' && *c <= '7'; k++, c++)
                            byte = byte * 8 + (*c - '0');
                          c--;
                        }
                      else
                        byte = (guchar) (*c == 'n' ? '\n' : *c == 'r' ? '\r' : *c == 't' ? '\t' : *c);
                    }
                  g_string_append_printf (strings, "%02x", byte);
                }
            }
          else if (*c == '<' && c + 1 < et && c[1] != '<')
            {
              for (c++; c < et && *c != '>'; c++)
                if (g_ascii_isxdigit (*c))
                  g_string_append_c (strings, *c);
            }
        }
      g_string_append_c (strings, '|');
      p = et;
    }
  g_string_ascii_down (strings);

  p = pdf;
  while ((p = find_bytes (p, end - p, "beginbfchar")) != NULL)
    {
      const char *stop = find_bytes (p, end - p, "endcmap");
      g_autofree char *cmap = g_strndup (p, (stop != NULL ? stop : end) - p);
      g_autoptr (GHashTable) codes = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      g_autoptr (GMatchInfo) match = NULL;
      g_autoptr (GString) encoded = g_string_new (NULL);
      gboolean complete = TRUE;

      g_regex_match (pair, cmap, 0, &match);
      while (g_match_info_matches (match))
        {
          g_autofree char *code = g_match_info_fetch (match, 1);
          g_autofree char *unicode = g_match_info_fetch (match, 2);

          g_hash_table_insert (codes, GUINT_TO_POINTER (g_ascii_strtoull (unicode, NULL, 16)),
                               g_ascii_strdown (code, -1));
          g_match_info_next (match, NULL);
        }
      for (const char *c = word; *c != '\0'; c = g_utf8_next_char (c))
        {
          const char *code = g_hash_table_lookup (codes, GUINT_TO_POINTER (g_utf8_get_char (c)));

          if (code == NULL)
            {
              complete = FALSE;
              break;
            }
          g_string_append (encoded, code);
        }
      if (complete && strstr (strings->str, encoded->str) != NULL)
        return TRUE;
      p += strlen ("beginbfchar");
    }
  return FALSE;
}

static guint
count_pdf_pages (const char *pdf,
                 gsize       length)
{
  const char *p = pdf, *end = pdf + length;
  guint n = 0;

  /* "/Type /Page" and not "/Type /Pages" */
  while ((p = find_bytes (p, end - p, "/Type /Page")) != NULL)
    {
      p += strlen ("/Type /Page");
      if (p < end && *p != 's')
        n++;
    }
  return n;
}

static guint
count_files (const char *dir)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (listing);
  while (g_dir_read_name (listing) != NULL)
    n++;
  return n;
}

static void
on_finished (gpointer    dialog,
             const char *text,
             char      **out)
{
  *out = g_strdup (text);
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

/* Export Handout…: one page per step of the tour, as one PDF */
static void
export_handout (ChronoWindow *window,
                const char   *dir)
{
  ChronoHandoutDialog *dialog = CHRONO_HANDOUT_DIALOG (open_dialog (window, "win.export-handout", NULL,
                                                                    CHRONO_TYPE_HANDOUT_DIALOG));
  g_autofree char *path = g_build_filename (dir, "lesson.pdf", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *finished = NULL;
  g_autofree char *pdf = NULL;
  g_autoptr (GError) error = NULL;
  gsize length;

  g_signal_connect (dialog, "finished", G_CALLBACK (on_finished), &finished);
  /* The tour is offered, now that the dataset has one */
  chrono_handout_dialog_select (dialog, CHRONO_HANDOUT_TOUR, 1, TRUE);
  /* The file chooser is the desktop's: the name it would give is handed
   * to the dialog */
  chrono_handout_dialog_export (dialog, file);
  wait_for (is_set, &finished);
  g_test_message ("handout: %s", finished);
  wait_for (no_toplevel, GSIZE_TO_POINTER (CHRONO_TYPE_HANDOUT_DIALOG));

  /* One file, no folder of images, no temporary file left */
  g_assert_cmpuint (count_files (dir), ==, 1);
  g_file_get_contents (path, &pdf, &length, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
  /* A page per step, and the index */
  g_assert_cmpuint (count_pdf_pages (pdf, length), ==, G_N_ELEMENTS (lesson_events) + 1);
  /* The steps' titles are text: the first step's own, the events' */
  g_assert_true (pdf_shows_word (pdf, length, "began"));
  g_assert_true (pdf_shows_word (pdf, length, "Farewell"));
  g_assert_true (pdf_shows_word (pdf, length, "Concert"));
  g_assert_false (pdf_shows_word (pdf, length, "Zanzibar"));
  g_unlink (path);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
test_lesson (void)
{
  ChronoWindow *window = chrono_window_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *source_id = NULL;
  g_autofree char *handout_dir = g_dir_make_tmp ("test-lesson-handout-XXXXXX", NULL);
  g_autofree char *expected_tour = NULL;
  char *place_ids[G_N_ELEMENTS (lesson_places) + 1] = { NULL };
  char *event_ids[G_N_ELEMENTS (lesson_events) + 1] = { NULL };
  ChronoDocument *document;
  gint64 started = g_get_monotonic_time ();

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (is_drawn, window);

  path = make_dataset (window);
  document = chrono_window_get_document (window);

  for (guint i = 0; i < G_N_ELEMENTS (lesson_places); i++)
    place_ids[i] = add_place (window, i);
  g_assert_cmpuint (chrono_document_get_places (document)->len, ==, G_N_ELEMENTS (lesson_places));

  for (guint i = 0; i < G_N_ELEMENTS (lesson_events); i++)
    event_ids[i] = add_event (window, (const char **) place_ids, i);
  g_assert_cmpuint (chrono_document_get_events (document)->len, ==, G_N_ELEMENTS (lesson_events));
  see_on_map (window, place_ids, event_ids);

  /* A source, made from the first excerpt's editor, quoted twice */
  for (guint i = 0; i < G_N_ELEMENTS (lesson_events); i++)
    if (lesson_events[i].quote != NULL)
      add_excerpt (window, event_ids[i], lesson_events[i].quote, &source_id);
  g_assert_nonnull (source_id);
  g_assert_cmpuint (chrono_document_get_sources (document)->len, ==, 1);

  /* Each event to the tour, by its context menu's Add to Tour */
  for (guint i = 0; i < G_N_ELEMENTS (lesson_events); i++)
    {
      add_to_tour (window, event_ids[i]);
      g_assert_cmpuint (chrono_document_get_tour (document)->len, ==, i + 1);
    }

  edit_tour (window, event_ids);
  present (window, event_ids);
  export_handout (window, handout_dir);
  g_test_message ("the lesson took %.1f s", (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);

  gtk_window_destroy (GTK_WINDOW (window));
  wait_for (no_toplevel, GSIZE_TO_POINTER (CHRONO_TYPE_WINDOW));

  /* All of it is in the dataset's file, read again from nothing */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (ChronoDocument) again = chrono_document_open (path, "en", &error);
    g_autofree char *title = NULL;
    g_autofree char *tour = NULL;
    guint excerpts = 0;

    g_assert_no_error (error);
    title = chrono_document_dup_title (again);
    g_assert_cmpstr (title, ==, LESSON_TITLE);
    g_assert_cmpuint (chrono_document_get_places (again)->len, ==, G_N_ELEMENTS (lesson_places));
    g_assert_cmpuint (chrono_document_get_events (again)->len, ==, G_N_ELEMENTS (lesson_events));
    g_assert_cmpuint (chrono_document_get_sources (again)->len, ==, 1);
    for (guint i = 0; i < G_N_ELEMENTS (lesson_events); i++)
      {
        ChronoEvent *event = chrono_document_find_event (again, event_ids[i]);

        g_assert_nonnull (event);
        g_assert_cmpstr (chrono_event_get_start (event), ==, lesson_events[i].start);
        excerpts += n_excerpts (again, event_ids[i]);
      }
    g_assert_cmpuint (excerpts, ==, 2);
    expected_tour = g_strjoin (" ", event_ids[0], event_ids[2], event_ids[1], event_ids[3], event_ids[4], NULL);
    tour = tour_ids (again);
    g_assert_cmpstr (tour, ==, expected_tour);
    g_assert_cmpstr (chrono_tour_step_get_title (g_ptr_array_index (chrono_document_get_tour (again), 0)), ==,
                     FIRST_STEP_TITLE);
  }

  for (guint i = 0; place_ids[i] != NULL; i++)
    g_free (place_ids[i]);
  for (guint i = 0; event_ids[i] != NULL; i++)
    g_free (event_ids[i]);
  remove_tree (handout_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("chrono-test-lesson-XXXXXX", NULL);
  int status;

  /* A data dir of our own, where the new dataset goes. Not GLib's isolated
   * dirs: they also hide the system's MIME data, without which GTK cannot
   * load the map's SVG icons. */
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  /* The handout's PDF uncompressed, so that its text can be read; set
   * before any thread starts */
  g_setenv ("CAIRO_DEBUG_PDF", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/lesson/from-nothing", test_lesson);

  status = g_test_run ();
  remove_tree (data_home);
  return status;
}
