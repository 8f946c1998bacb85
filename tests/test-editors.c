/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-editors"

#include "config.h"

#include <adwaita.h>

#include "chrono-dataset.h"
#include "chrono-date.h"
#include "chrono-document.h"
#include "chrono-event-editor.h"
#include "chrono-place-editor.h"
#include "chrono-source-editor.h"
#include "chrono-tour-editor.h"
#include "chrono-tour-step.h"
#include "chrono-ui-resources.h"
#include "test-run.h"

/*
 * The editing dialogs, in real windows, on a writable copy of the bundled
 * dataset in memory: what is typed into their fields reaches the document as
 * one command, which undo takes back; an invalid date keeps Save off and
 * says why; the tour editor moves a step with Alt+Down.
 *
 * With CHRONO_EDITOR_SHOTS=DIR, each dialog is also saved as DIR/editor-NAME.png.
 */

static ChronoDocument *
new_document (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  g_autoptr (GBytes) json = NULL;
  ChronoDocument *document;

  g_assert_no_error (error);
  json = g_resources_lookup_data (CHRONO_DATASET_BUNDLED_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  chrono_dataset_import_bytes (store, json, "karabakh-peacekeeping.json", &error);
  g_assert_no_error (error);
  document = chrono_document_new (store, "en", FALSE, &error);
  g_assert_no_error (error);

  return document;
}

static gboolean
is_drawn (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

static void
show (GtkWidget *window)
{
  gtk_window_present (GTK_WINDOW (window));
  wait_for (is_drawn, window);
}

static gboolean
frame_drawn (gpointer data)
{
  /* Animations (an expander opening) are over */
  return *(guint *) data >= 40;
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

/* Saves what @window shows, when asked to: for the README */
static void
take_shot (GtkWidget  *window,
           const char *name)
{
  const char *dir = g_getenv ("CHRONO_EDITOR_SHOTS");
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GtkSnapshot) snapshot = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  g_autofree char *file = NULL;
  guint frames = 0;
  guint tick;

  if (dir == NULL)
    return;

  tick = gtk_widget_add_tick_callback (window, on_tick, &frames, NULL);
  wait_for (frame_drawn, &frames);
  gtk_widget_remove_tick_callback (window, tick);

  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window), gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node, NULL);
  file = g_strdup_printf ("editor-%s.png", name);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

static void
type_text (AdwEntryRow *row,
           const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* A click on @button, as a pointer gives it (gtk_widget_activate() waits a
 * moment to show the button pressed) */
static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
on_saved (GtkWidget  *editor,
          const char *id,
          char      **out)
{
  g_free (*out);
  *out = g_strdup (id);
}

static guint
list_box_n_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static void
test_event_editor_add (void)
{
  g_autoptr (ChronoDocument) document = new_document ();
  ChronoPlace *place = g_ptr_array_index (chrono_document_get_places (document), 0);
  g_autofree char *place_id = g_strdup (chrono_place_get_id (place));
  guint n_events = chrono_document_get_events (document)->len;
  GtkWidget *editor = chrono_event_editor_new (NULL, document, NULL, chrono_day_from_ymd (2021, 3, 1));
  ChronoEventEditor *self = CHRONO_EVENT_EDITOR (editor);
  g_autofree char *id = NULL;
  g_autofree char *expected_error = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) texts = NULL;
  ChronoEvent *event;
  const char *reading;

  g_signal_connect (editor, "saved", G_CALLBACK (on_saved), &id);
  show (editor);

  /* A new event starts on the timeline's day, and has no title yet */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (chrono_event_editor_get_start_row (self))), ==,
                   "2021-03-01");
  g_assert_false (gtk_widget_get_sensitive (chrono_event_editor_get_save_button (self)));

  type_text (chrono_event_editor_get_title_row (self, "en"), "Checkpoint opened at the bridge");
  type_text (chrono_event_editor_get_title_row (self, "fr"), "Poste de contrôle ouvert au pont");
  gtk_text_buffer_set_text (chrono_event_editor_get_summary_buffer (self, "en"),
                            "A new checkpoint on the road.", -1);
  g_assert_true (gtk_widget_get_sensitive (chrono_event_editor_get_save_button (self)));

  /* An invalid date: Save is off and the row says why, as typed */
  type_text (chrono_event_editor_get_start_row (self), "2021-13-45");
  g_assert_false (gtk_widget_get_sensitive (chrono_event_editor_get_save_button (self)));
  g_assert_null (chrono_document_describe_date ("2021-13-45", &error));
  g_assert_nonnull (error);
  expected_error = g_strdup (error->message);
  g_clear_error (&error);
  g_assert_cmpstr (gtk_label_get_text (chrono_event_editor_get_start_reading (self)), ==, expected_error);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (chrono_event_editor_get_start_row (self)), "error"));
  g_assert_false (chrono_event_editor_save (self));
  g_assert_cmpuint (chrono_document_get_events (document)->len, ==, n_events);
  take_shot (editor, "event-invalid");

  /* A date as people write it is read, and said how it is kept */
  type_text (chrono_event_editor_get_start_row (self), "14 May 2021");
  g_assert_true (gtk_widget_get_sensitive (chrono_event_editor_get_save_button (self)));
  g_assert_cmpstr (gtk_label_get_text (chrono_event_editor_get_start_reading (self)), ==,
                   "14 May 2021 (kept as 2021-05-14)");
  /* … and "03/04/2021", which could be either, is not guessed */
  type_text (chrono_event_editor_get_start_row (self), "03/04/2021");
  g_assert_false (gtk_widget_get_sensitive (chrono_event_editor_get_save_button (self)));

  /* Dates a person would write, read back */
  type_text (chrono_event_editor_get_start_row (self), "2021-03-01");
  type_text (chrono_event_editor_get_end_row (self), "..");
  g_assert_cmpstr (gtk_label_get_text (chrono_event_editor_get_end_reading (self)), ==, "Open end: still going");
  g_assert_true (gtk_widget_get_sensitive (chrono_event_editor_get_save_button (self)));
  type_text (chrono_event_editor_get_end_row (self), "2021-03-05~");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (chrono_event_editor_get_start_row (self)), "error"));
  reading = gtk_label_get_text (chrono_event_editor_get_end_reading (self));
  g_test_message ("2021-03-05~ reads %s", reading);
  g_assert_cmpstr (reading, !=, "");
  g_assert_true (gtk_widget_get_sensitive (chrono_event_editor_get_save_button (self)));

  /* A new category, importance and a place */
  adw_combo_row_set_selected (chrono_event_editor_get_category_row (self),
                              g_list_model_get_n_items (adw_combo_row_get_model (chrono_event_editor_get_category_row (self))) - 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (chrono_event_editor_get_new_category_row (self))));
  g_assert_false (gtk_widget_get_sensitive (chrono_event_editor_get_save_button (self)));
  type_text (chrono_event_editor_get_new_category_row (self), "logistics");
  adw_combo_row_set_selected (chrono_event_editor_get_importance_row (self), 2);
  g_assert_true (chrono_event_editor_add_place (self, place_id, "destination"));
  g_assert_false (chrono_event_editor_add_place (self, place_id, NULL));
  g_assert_cmpuint (chrono_event_editor_get_n_places (self), ==, 1);
  take_shot (editor, "event");

  g_assert_true (gtk_widget_get_sensitive (chrono_event_editor_get_save_button (self)));
  click (chrono_event_editor_get_save_button (self));

  g_assert_nonnull (id);
  g_assert_cmpuint (chrono_document_get_events (document)->len, ==, n_events + 1);
  event = chrono_document_find_event (document, id);
  g_assert_nonnull (event);
  g_assert_cmpstr (chrono_event_get_title (event), ==, "Checkpoint opened at the bridge");
  g_assert_cmpstr (chrono_event_get_summary (event), ==, "A new checkpoint on the road.");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "2021-03-01");
  g_assert_cmpstr (chrono_event_get_end (event), ==, "2021-03-05~");
  g_assert_cmpint (chrono_event_get_start_lo (event), ==, chrono_day_from_ymd (2021, 3, 1));
  g_assert_cmpstr (chrono_event_get_category (event), ==, "logistics");
  g_assert_cmpint (chrono_event_get_importance (event), ==, 3);
  g_assert_cmpuint (chrono_event_get_places (event)->len, ==, 1);
  g_assert_cmpstr (chrono_place_get_id (g_ptr_array_index (chrono_event_get_places (event), 0)), ==, place_id);
  g_assert_cmpstr (chrono_event_get_place_role (event, 0), ==, "destination");
  texts = chrono_store_get_event_texts (chrono_document_get_store (document), id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (texts->len, ==, 2);
  for (guint i = 0; i < texts->len; i++)
    {
      ChronoEventText *text = g_ptr_array_index (texts, i);

      if (g_str_equal (text->lang, "fr"))
        {
          g_assert_cmpstr (text->title, ==, "Poste de contrôle ouvert au pont");
          g_assert_null (text->summary);
        }
    }

  /* One command: one undo takes the event away */
  g_assert_true (chrono_document_can_undo (document));
  chrono_document_undo (document, &error);
  g_assert_no_error (error);
  g_assert_null (chrono_document_find_event (document, id));
  g_assert_cmpuint (chrono_document_get_events (document)->len, ==, n_events);
}

static ChronoEvent *
event_with_excerpts (ChronoDocument *document)
{
  GPtrArray *events = chrono_document_get_events (document);

  for (guint i = 0; i < events->len; i++)
    {
      ChronoEvent *event = g_ptr_array_index (events, i);
      g_autoptr (ChronoEvent) full = chrono_store_get_event_by_id (chrono_document_get_store (document),
                                                                   chrono_event_get_id (event), "en", NULL);

      if (full != NULL && chrono_event_get_excerpts (full)->len >= 2 && chrono_event_get_places (full)->len >= 1)
        return g_steal_pointer (&full);
    }
  g_assert_not_reached ();
}

static guint
n_excerpts (ChronoDocument *document,
            const char     *id)
{
  g_autoptr (ChronoEvent) event = chrono_store_get_event_by_id (chrono_document_get_store (document), id, "en", NULL);

  g_assert_nonnull (event);
  return chrono_event_get_excerpts (event)->len;
}

/* The first button in @widget, depth first */
static GtkWidget *
find_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = find_button (child);

      if (button != NULL)
        return button;
    }
  return NULL;
}

static guint
n_claims (ChronoDocument *document,
          const char     *id)
{
  g_autoptr (ChronoEvent) event = chrono_store_get_event_by_id (chrono_document_get_store (document), id, "en", NULL);

  g_assert_nonnull (event);
  return chrono_event_get_claims (event)->len;
}

static void
test_event_editor_edit (void)
{
  g_autoptr (ChronoDocument) document = new_document ();
  g_autoptr (ChronoEvent) event = event_with_excerpts (document);
  const char *id = chrono_event_get_id (event);
  guint excerpts = chrono_event_get_excerpts (event)->len;
  GtkWidget *editor = chrono_event_editor_new (NULL, document, id, 0);
  ChronoEventEditor *self = CHRONO_EVENT_EDITOR (editor);
  g_autoptr (GError) error = NULL;
  ChronoEvent *edited;

  show (editor);

  /* The form shows the event as it is */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (chrono_event_editor_get_title_row (self, "en"))), ==,
                   chrono_event_get_title (event));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (chrono_event_editor_get_start_row (self))), ==,
                   chrono_event_get_start (event));
  g_assert_cmpuint (chrono_event_editor_get_n_places (self), ==, chrono_event_get_places (event)->len);
  g_assert_cmpuint (list_box_n_rows (chrono_event_editor_get_excerpts_list (self)), ==, excerpts);

  /* An excerpt is added at once, as a command of its own */
  adw_combo_row_set_selected (chrono_event_editor_get_excerpt_source_row (self), 0);
  type_text (chrono_event_editor_get_quote_row (self), "The checkpoint opened on Monday.");
  g_assert_true (gtk_widget_activate_action (editor, "editor.add-excerpt", NULL));
  g_assert_cmpuint (n_excerpts (document, id), ==, excerpts + 1);
  g_assert_cmpuint (list_box_n_rows (chrono_event_editor_get_excerpts_list (self)), ==, excerpts + 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (chrono_event_editor_get_quote_row (self))), ==, "");
  adw_view_stack_set_visible_child_name (chrono_event_editor_get_stack (self), "sources");
  take_shot (editor, "event-sources");
  adw_view_stack_set_visible_child_name (chrono_event_editor_get_stack (self), "event");

  chrono_document_undo (document, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_excerpts (document, id), ==, excerpts);
  g_assert_cmpuint (list_box_n_rows (chrono_event_editor_get_excerpts_list (self)), ==, excerpts);

  /* A claim, stated by the event's first excerpt, then removed by its row's button */
  {
    guint claims = n_claims (document, id);
    g_autoptr (ChronoEvent) full = NULL;
    GtkWidget *last_row;
    ChronoClaim *claim;

    type_text (chrono_event_editor_get_claim_key_row (self), "troops");
    type_text (chrono_event_editor_get_claim_value_row (self), "1960");
    adw_combo_row_set_selected (chrono_event_editor_get_claim_excerpt_row (self), 1);
    g_assert_true (gtk_widget_activate_action (editor, "editor.add-claim", NULL));
    g_assert_cmpuint (n_claims (document, id), ==, claims + 1);
    full = chrono_store_get_event_by_id (chrono_document_get_store (document), id, "en", NULL);
    claim = g_ptr_array_index (chrono_event_get_claims (full), claims);
    g_assert_cmpstr (chrono_claim_get_key (claim), ==, "troops");
    g_assert_cmpstr (chrono_claim_get_value (claim), ==, "1960");
    g_assert_nonnull (chrono_claim_get_excerpt (claim));
    g_assert_cmpstr (chrono_excerpt_get_id (chrono_claim_get_excerpt (claim)), ==,
                     chrono_excerpt_get_id (g_ptr_array_index (chrono_event_get_excerpts (event), 0)));
    g_assert_cmpuint (list_box_n_rows (chrono_event_editor_get_claims_list (self)), ==, MAX (claims + 1, 1));

    last_row = gtk_widget_get_last_child (GTK_WIDGET (chrono_event_editor_get_claims_list (self)));
    click (find_button (last_row));
    g_assert_cmpuint (n_claims (document, id), ==, claims);
  }

  /* "New Source…" opens the source editor; the new source is the one chosen */
  {
    ChronoSourceEditor *source_editor = NULL;
    GListModel *toplevels = gtk_window_get_toplevels ();
    g_autofree char *source_id = NULL;
    guint n_sources = chrono_document_get_sources (document)->len;
    GtkStringObject *chosen;

    g_assert_true (gtk_widget_activate_action (editor, "editor.new-source", NULL));
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr (GObject) toplevel = g_list_model_get_item (toplevels, i);

        if (CHRONO_IS_SOURCE_EDITOR (toplevel))
          source_editor = CHRONO_SOURCE_EDITOR (toplevel);
      }
    g_assert_nonnull (source_editor);
    g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (source_editor)) == GTK_WINDOW (editor));
    g_signal_connect (source_editor, "saved", G_CALLBACK (on_saved), &source_id);
    type_text (chrono_source_editor_get_title_row (source_editor), "A reporter's notebook");
    click (chrono_source_editor_get_save_button (source_editor));
    g_assert_nonnull (source_id);
    g_assert_cmpuint (chrono_document_get_sources (document)->len, ==, n_sources + 1);
    chosen = adw_combo_row_get_selected_item (chrono_event_editor_get_excerpt_source_row (self));
    g_assert_nonnull (chosen);
    g_assert_true (g_str_has_prefix (gtk_string_object_get_string (chosen), "A reporter's notebook"));
  }

  /* Save changes the title and keeps the rest */
  type_text (chrono_event_editor_get_title_row (self, "en"), "A title of our own");
  g_assert_true (chrono_event_editor_save (self));
  edited = chrono_document_find_event (document, id);
  g_assert_nonnull (edited);
  g_assert_cmpstr (chrono_event_get_title (edited), ==, "A title of our own");
  g_assert_cmpstr (chrono_event_get_start (edited), ==, chrono_event_get_start (event));
  g_assert_cmpint (chrono_event_get_end_hi (edited), ==, chrono_event_get_end_hi (event));
  g_assert_cmpuint (n_excerpts (document, id), ==, excerpts);
}

static void
test_place_editor_add (void)
{
  g_autoptr (ChronoDocument) document = new_document ();
  guint n_places = chrono_document_get_places (document)->len;
  GtkWidget *editor = chrono_place_editor_new (NULL, document, NULL, 39.8215, 46.7531);
  ChronoPlaceEditor *self = CHRONO_PLACE_EDITOR (editor);
  g_autofree char *id = NULL;
  g_autoptr (GError) error = NULL;
  ChronoPlace *place;
  GPtrArray *names;
  AdwEntryRow *first;

  g_signal_connect (editor, "saved", G_CALLBACK (on_saved), &id);
  show (editor);

  /* One empty name to start with: nothing to save yet */
  g_assert_cmpuint (chrono_place_editor_get_n_names (self), ==, 1);
  g_assert_false (gtk_widget_get_sensitive (chrono_place_editor_get_save_button (self)));
  g_assert_true (gtk_widget_activate_action (editor, "editor.add-name", NULL));
  g_assert_cmpuint (chrono_place_editor_get_n_names (self), ==, 2);
  first = chrono_place_editor_add_name (self, "en", "Testbridge", "common");
  type_text (first, "Test Bridge");
  chrono_place_editor_add_name (self, "fr", "Pont d’essai", "official");
  g_assert_true (gtk_widget_get_sensitive (chrono_place_editor_get_save_button (self)));
  take_shot (editor, "place");

  click (chrono_place_editor_get_save_button (self));
  g_assert_nonnull (id);
  g_assert_cmpuint (chrono_document_get_places (document)->len, ==, n_places + 1);
  place = chrono_document_find_place (document, id);
  g_assert_nonnull (place);
  names = chrono_place_get_names (place);
  /* The two empty rows are no names */
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_cmpstr (chrono_place_get_name_for (place, "en"), ==, "Test Bridge");
  g_assert_cmpstr (chrono_place_get_name_for (place, "fr"), ==, "Pont d’essai");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place), 39.8215, 1e-6);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (place), 46.7531, 1e-6);
  for (guint i = 0; i < names->len; i++)
    {
      ChronoPlaceName *name = g_ptr_array_index (names, i);

      g_assert_cmpstr (name->usage, ==, g_str_equal (name->lang, "fr") ? "official" : "common");
    }

  chrono_document_undo (document, &error);
  g_assert_no_error (error);
  g_assert_null (chrono_document_find_place (document, id));
}

static void
test_place_editor_edit (void)
{
  g_autoptr (ChronoDocument) document = new_document ();
  GPtrArray *places = chrono_document_get_places (document);
  ChronoPlace *plain = NULL;
  ChronoPlace *dated = NULL;
  g_autofree char *id = NULL;
  g_autofree char *old_name = NULL;
  g_autoptr (GError) error = NULL;
  double old_lat;
  guint n_names;
  GtkWidget *editor;
  ChronoPlace *place;

  for (guint i = 0; i < places->len; i++)
    {
      ChronoPlace *candidate = g_ptr_array_index (places, i);

      if (chrono_place_has_dated_names (candidate))
        dated = dated != NULL ? dated : candidate;
      else if (chrono_place_get_names (candidate)->len >= 2)
        plain = plain != NULL ? plain : candidate;
    }
  g_assert_nonnull (plain);
  g_assert_nonnull (dated);

  /* Names valid between dates keep their dates through the editor; a date
   * that is not EDTF stops Save */
  {
    g_autofree char *dated_id = g_strdup (chrono_place_get_id (dated));
    g_autofree char *plain_id = g_strdup (chrono_place_get_id (plain));
    g_autofree char *after = NULL;
    AdwEntryRow *row;
    GtkEditable *when;
    GPtrArray *names;

    editor = chrono_place_editor_new (NULL, document, dated_id, 0, 0);
    show (editor);
    g_assert_cmpuint (chrono_place_editor_get_n_names (CHRONO_PLACE_EDITOR (editor)), ==,
                      chrono_place_get_names (dated)->len);
    g_assert_true (gtk_widget_get_sensitive (chrono_place_editor_get_save_button (CHRONO_PLACE_EDITOR (editor))));
    row = chrono_place_editor_add_name_full (CHRONO_PLACE_EDITOR (editor), "en", "Old Town", "historical", "the past");
    when = g_object_get_data (G_OBJECT (row), "when");
    g_assert_false (gtk_widget_get_sensitive (chrono_place_editor_get_save_button (CHRONO_PLACE_EDITOR (editor))));
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (when), "error"));
    gtk_editable_set_text (when, "../1850");
    g_assert_true (gtk_widget_get_sensitive (chrono_place_editor_get_save_button (CHRONO_PLACE_EDITOR (editor))));
    g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (when), "error"));
    click (chrono_place_editor_get_save_button (CHRONO_PLACE_EDITOR (editor)));

    /* Every dated name is as it was, and the new one is valid until 1850 */
    dated = chrono_document_find_place (document, dated_id);
    names = chrono_place_get_names (dated);
    for (guint i = 0; i < names->len; i++)
      {
        ChronoPlaceName *name = g_ptr_array_index (names, i);
        g_autofree char *line = g_strdup_printf ("%s:%s:%s;", name->lang, name->name, name->when ? name->when : "");

        after = after != NULL ? g_strconcat (after, line, NULL) : g_strdup (line);
      }
    g_test_message ("names after: %s", after);
    g_assert_true (chrono_place_has_dated_names (dated));
    g_assert_nonnull (strstr (after, "en:Old Town:../1850;"));
    chrono_document_undo (document, &error);
    g_assert_no_error (error);
    /* The places are read again after an edit */
    plain = chrono_document_find_place (document, plain_id);
  }

  /* Another one is shown as it is, and one more name makes one set_place */
  id = g_strdup (chrono_place_get_id (plain));
  old_lat = chrono_place_get_lat (plain);
  old_name = g_strdup (chrono_place_get_name (plain));
  n_names = chrono_place_get_names (plain)->len;
  editor = chrono_place_editor_new (NULL, document, id, 0, 0);
  show (editor);
  g_assert_cmpuint (chrono_place_editor_get_n_names (CHRONO_PLACE_EDITOR (editor)), ==, n_names);
  chrono_place_editor_add_name (CHRONO_PLACE_EDITOR (editor), "de", "Ein Ort", NULL);
  click (chrono_place_editor_get_save_button (CHRONO_PLACE_EDITOR (editor)));
  place = chrono_document_find_place (document, id);
  g_assert_cmpuint (chrono_place_get_names (place)->len, ==, n_names + 1);
  g_assert_cmpstr (chrono_place_get_name_for (place, "de"), ==, "Ein Ort");
  g_assert_cmpstr (chrono_place_get_name (place), ==, old_name);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place), old_lat, 1e-6);

  chrono_document_undo (document, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chrono_place_get_names (chrono_document_find_place (document, id))->len, ==, n_names);
}

static void
test_read_only (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  g_autoptr (GBytes) json = g_resources_lookup_data (CHRONO_DATASET_BUNDLED_RESOURCE, 0, &error);
  g_autoptr (ChronoDocument) document = NULL;
  GtkWidget *editor;

  g_assert_no_error (error);
  chrono_dataset_import_bytes (store, json, "karabakh-peacekeeping.json", &error);
  g_assert_no_error (error);
  document = chrono_document_new (store, "en", TRUE, &error);
  g_assert_no_error (error);

  editor = chrono_event_editor_new (NULL, document, NULL, chrono_day_from_ymd (2021, 3, 1));
  show (editor);
  type_text (chrono_event_editor_get_title_row (CHRONO_EVENT_EDITOR (editor), "en"), "Not to be saved");
  g_assert_false (gtk_widget_get_sensitive (chrono_event_editor_get_save_button (CHRONO_EVENT_EDITOR (editor))));
  g_assert_false (chrono_event_editor_save (CHRONO_EVENT_EDITOR (editor)));
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_source_editor_add (void)
{
  g_autoptr (ChronoDocument) document = new_document ();
  GtkWidget *editor = chrono_source_editor_new (NULL, document, NULL);
  ChronoSourceEditor *self = CHRONO_SOURCE_EDITOR (editor);
  g_autofree char *id = NULL;
  ChronoSource *source;

  g_signal_connect (editor, "saved", G_CALLBACK (on_saved), &id);
  show (editor);

  g_assert_false (gtk_widget_get_sensitive (chrono_source_editor_get_save_button (self)));
  type_text (chrono_source_editor_get_title_row (self), "Field notes");
  g_assert_true (gtk_widget_get_sensitive (chrono_source_editor_get_save_button (self)));
  type_text (chrono_source_editor_get_published_row (self), "2021-02-30");
  g_assert_false (gtk_widget_get_sensitive (chrono_source_editor_get_save_button (self)));
  g_assert_cmpstr (gtk_label_get_text (chrono_source_editor_get_published_reading (self)), !=, "");
  type_text (chrono_source_editor_get_published_row (self), "2021-02?");
  g_assert_true (gtk_widget_get_sensitive (chrono_source_editor_get_save_button (self)));
  take_shot (editor, "source");

  click (chrono_source_editor_get_save_button (self));
  g_assert_nonnull (id);
  source = chrono_document_find_source (document, id);
  g_assert_nonnull (source);
  g_assert_cmpstr (chrono_source_get_title (source), ==, "Field notes");
  g_assert_cmpstr (chrono_source_get_published (source), ==, "2021-02?");
}

static char *
tour_ids (ChronoDocument *document)
{
  GPtrArray *tour = chrono_document_get_tour (document);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) ids = NULL;

  for (guint i = 0; i < tour->len; i++)
    g_strv_builder_add (builder, chrono_tour_step_get_event_id (g_ptr_array_index (tour, i)));
  ids = g_strv_builder_end (builder);
  return g_strjoinv (" ", ids);
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

/* What a drop of the step at @position on @row does */
static void
drop_on (GtkWidget *row,
         guint      position)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (row);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);
      g_auto (GValue) value = G_VALUE_INIT;
      gboolean dropped = FALSE;

      if (!GTK_IS_DROP_TARGET (controller))
        continue;
      g_value_init (&value, G_TYPE_UINT);
      g_value_set_uint (&value, position);
      g_signal_emit_by_name (controller, "drop", &value, 10.0, 10.0, &dropped);
      g_assert_true (dropped);
      return;
    }
  g_assert_not_reached ();
}

static void
test_tour_editor_move (void)
{
  g_autoptr (ChronoDocument) document = new_document ();
  GPtrArray *tour = chrono_document_get_tour (document);
  GtkWidget *editor = chrono_tour_editor_new (NULL, document);
  ChronoTourEditor *self = CHRONO_TOUR_EDITOR (editor);
  g_autofree char *before = tour_ids (document);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *after = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *undone = NULL;
  GtkWidget *focus;

  g_assert_cmpuint (tour->len, >=, 3);

  show (editor);
  g_assert_cmpuint (chrono_tour_editor_get_n_rows (self), ==, tour->len);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (chrono_tour_editor_get_row (self, 1)), TRUE);
  take_shot (editor, "tour");

  /* A step's title and note, in the UI language, applied from their rows */
  type_text (chrono_tour_editor_get_title_row (self, 2), "Our own title");
  type_text (chrono_tour_editor_get_note_row (self, 2), "Say a word about the map");
  g_signal_emit_by_name (chrono_tour_editor_get_title_row (self, 2), "apply");
  tour = chrono_document_get_tour (document);
  g_assert_cmpstr (chrono_tour_step_get_title (g_ptr_array_index (tour, 2)), ==, "Our own title");
  g_assert_cmpstr (chrono_tour_step_get_note (g_ptr_array_index (tour, 2)), ==, "Say a word about the map");
  g_assert_cmpstr (chrono_tour_step_get_lang (g_ptr_array_index (tour, 2)), ==, "en");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (chrono_tour_editor_get_row (self, 2))), ==,
                   "3. Our own title");
  chrono_document_undo (document, &error);
  g_assert_no_error (error);
  tour = chrono_document_get_tour (document);
  g_assert_cmpstr (chrono_tour_step_get_title (g_ptr_array_index (tour, 2)), !=, "Our own title");

  first = g_strdup (chrono_tour_step_get_event_id (g_ptr_array_index (tour, 0)));
  second = g_strdup (chrono_tour_step_get_event_id (g_ptr_array_index (tour, 1)));

  /* Alt+Down on the first step: it becomes the second */
  gtk_widget_grab_focus (chrono_tour_editor_get_row (self, 0));
  press_alt (chrono_tour_editor_get_row (self, 0), GDK_KEY_Down);
  tour = chrono_document_get_tour (document);
  g_assert_cmpstr (chrono_tour_step_get_event_id (g_ptr_array_index (tour, 0)), ==, second);
  g_assert_cmpstr (chrono_tour_step_get_event_id (g_ptr_array_index (tour, 1)), ==, first);
  after = tour_ids (document);
  g_assert_cmpstr (after, !=, before);
  /* The list follows, and the moved step keeps the focus */
  g_assert_cmpuint (chrono_tour_editor_get_n_rows (self), ==, tour->len);
  focus = gtk_root_get_focus (GTK_ROOT (editor));
  g_assert_nonnull (focus);
  g_assert_true (focus == chrono_tour_editor_get_row (self, 1) ||
                 gtk_widget_is_ancestor (focus, chrono_tour_editor_get_row (self, 1)));

  /* Alt+Up on it brings it back; undo of both leaves the tour as it was */
  press_alt (chrono_tour_editor_get_row (self, 1), GDK_KEY_Up);
  g_free (after);
  after = tour_ids (document);
  g_assert_cmpstr (after, ==, before);
  chrono_document_undo (document, &error);
  g_assert_no_error (error);
  chrono_document_undo (document, &error);
  g_assert_no_error (error);
  undone = tour_ids (document);
  g_assert_cmpstr (undone, ==, before);

  /* The first step dropped on the third row takes its place */
  drop_on (chrono_tour_editor_get_row (self, 2), 0);
  tour = chrono_document_get_tour (document);
  g_assert_cmpstr (chrono_tour_step_get_event_id (g_ptr_array_index (tour, 2)), ==, first);
  g_assert_cmpstr (chrono_tour_step_get_event_id (g_ptr_array_index (tour, 0)), ==, second);
  chrono_document_undo (document, &error);
  g_assert_no_error (error);

  /* Removing a step, by its button's action */
  g_assert_true (gtk_widget_activate_action (chrono_tour_editor_get_row (self, 0), "tour.remove-step", "u", 0));
  g_assert_cmpuint (chrono_document_get_tour (document)->len, ==, chrono_tour_editor_get_n_rows (self));
  g_assert_cmpstr (chrono_tour_step_get_event_id (g_ptr_array_index (chrono_document_get_tour (document), 0)), ==, second);

  /* A title typed and not applied is kept when the editor is closed; an
   * open row stays open when the steps are shown again */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (chrono_tour_editor_get_row (self, 1)), TRUE);
  type_text (chrono_tour_editor_get_title_row (self, 0), "Kept on closing");
  g_signal_emit_by_name (chrono_tour_editor_get_note_row (self, 2), "apply");
  g_assert_cmpstr (chrono_document_get_undo_label (document), ==, "Remove from Tour");
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (chrono_tour_editor_get_row (self, 1))));
  gtk_window_close (GTK_WINDOW (editor));
  g_assert_cmpstr (chrono_tour_step_get_title (g_ptr_array_index (chrono_document_get_tour (document), 0)), ==,
                   "Kept on closing");
  g_assert_cmpstr (chrono_document_get_undo_label (document), ==, "Edit Tour Step");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  g_resources_register (chrono_ui_get_resource ());

  g_test_add_func ("/editors/event-add", test_event_editor_add);
  g_test_add_func ("/editors/event-edit", test_event_editor_edit);
  g_test_add_func ("/editors/place-add", test_place_editor_add);
  g_test_add_func ("/editors/place-edit", test_place_editor_edit);
  g_test_add_func ("/editors/read-only", test_read_only);
  g_test_add_func ("/editors/source-add", test_source_editor_add);
  g_test_add_func ("/editors/tour-move", test_tour_editor_move);

  return g_test_run ();
}
