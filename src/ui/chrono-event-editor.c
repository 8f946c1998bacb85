/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-event-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "chrono-date.h"
#include "chrono-event-editor.h"
#include "chrono-source-editor.h"

/*
 * The event editor. Its first page is the event itself: a title and summary
 * in each of the dataset's languages, start and end as EDTF read back while
 * they are typed, category, importance and places with their roles; Save
 * applies them as one command, which one undo takes back. Its second page,
 * for an event that exists, lists the excerpts of sources that report it and
 * the claims they make; adding or removing one is a command of its own,
 * applied at once.
 */

struct _ChronoEventEditor
{
  AdwWindow            parent_instance;

  AdwViewSwitcherTitle *switcher_title;
  GtkWidget           *switcher_bar;
  AdwViewStack        *stack;
  AdwViewStackPage    *sources_page;
  GtkWidget           *save_button;
  GtkLabel            *error_label;
  GtkWidget           *texts_switcher;
  GtkStack            *texts_stack;
  AdwEntryRow         *start_row;
  GtkLabel            *start_reading;
  AdwEntryRow         *end_row;
  GtkLabel            *end_reading;
  AdwComboRow         *category_row;
  AdwEntryRow         *new_category_row;
  AdwComboRow         *importance_row;
  GtkListBox          *places_list;
  GtkWidget           *add_place_row;
  GtkDropDown         *place_drop_down;
  GtkLabel            *sources_error_label;
  GtkListBox          *excerpts_list;
  AdwComboRow         *excerpt_source_row;
  AdwComboRow         *excerpt_lang_row;
  AdwEntryRow         *quote_row;
  GtkListBox          *claims_list;
  AdwEntryRow         *claim_key_row;
  AdwEntryRow         *claim_value_row;
  AdwComboRow         *claim_excerpt_row;

  ChronoDocument      *document;
  gulong               changed_handler;
  char                *event_id;      /* NULL until a new event is saved */
  char                *note;
  char               **languages;     /* the dataset's: one page of texts each */
  GPtrArray           *title_rows;    /* of AdwEntryRow, one per language */
  GPtrArray           *summary_buffers;
  GPtrArray           *categories;    /* of char *: the category row's, after "None" */
  GPtrArray           *roles;         /* of char *: the role drop-downs' codes */
  GPtrArray           *place_rows;    /* of AdwActionRow in places_list */
  GListStore          *places;        /* of ChronoPlace: what place_drop_down offers */
  gboolean             filling_places; /* its selection set by the editor, not chosen */
  GPtrArray           *sources;       /* of ChronoSource: what excerpt_source_row offers */
  char               **excerpt_langs;
  GPtrArray           *excerpts;      /* of ChronoExcerpt: what claim_excerpt_row offers, after "None" */
  /* The models of excerpt_source_row and claim_excerpt_row, changed in place:
   * libadwaita 1.2's combo row cannot take a new model once shown */
  GtkStringList       *source_labels;
  GtkStringList       *excerpt_labels;
  gboolean             valid;
};

G_DEFINE_FINAL_TYPE (ChronoEventEditor, chrono_event_editor, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const known_roles[] = { "location", "origin", "destination", "route", "affected" };

static const char *
role_label (const char *role)
{
  if (g_str_equal (role, "location"))
    return C_("place role", "Location");
  if (g_str_equal (role, "origin"))
    return C_("place role", "Origin");
  if (g_str_equal (role, "destination"))
    return C_("place role", "Destination");
  if (g_str_equal (role, "route"))
    return C_("place role", "Route");
  if (g_str_equal (role, "affected"))
    return C_("place role", "Affected");
  return role;
}

static void
add_unique (GPtrArray  *strings,
            const char *string)
{
  if (string == NULL || *string == '\0')
    return;
  for (guint i = 0; i < strings->len; i++)
    if (g_str_equal (g_ptr_array_index (strings, i), string))
      return;
  g_ptr_array_add (strings, g_strdup (string));
}

static guint
find_string (GPtrArray  *strings,
             const char *string)
{
  for (guint i = 0; string != NULL && i < strings->len; i++)
    if (g_str_equal (g_ptr_array_index (strings, i), string))
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
new_icon_button (const char *icon_name,
                 const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return button;
}

static char *
dup_buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static gboolean
new_category_selected (ChronoEventEditor *self)
{
  return adw_combo_row_get_selected (self->category_row) == self->categories->len + 1;
}

static void
update_form (ChronoEventEditor *self)
{
  gboolean texts_ok = TRUE;
  guint n_titles = 0;
  gboolean start_ok;
  gboolean end_ok;
  gboolean category_ok = TRUE;
  g_autofree char *end = chrono_editor_dup_text (self->end_row);

  for (guint i = 0; i < self->title_rows->len; i++)
    {
      AdwEntryRow *row = g_ptr_array_index (self->title_rows, i);
      g_autofree char *title = chrono_editor_dup_text (row);
      g_autofree char *summary = dup_buffer_text (g_ptr_array_index (self->summary_buffers, i));

      /* A summary without a title would be lost */
      chrono_editor_set_error (GTK_WIDGET (row), title == NULL && summary != NULL);
      if (title == NULL && summary != NULL)
        texts_ok = FALSE;
      if (title != NULL)
        n_titles++;
    }

  start_ok = chrono_editor_check_date (self->start_row, self->start_reading, TRUE);
  if (g_strcmp0 (end, "..") == 0)
    {
      gtk_label_set_text (self->end_reading, _("Open end: still going"));
      chrono_editor_set_error (GTK_WIDGET (self->end_row), FALSE);
      chrono_editor_set_error (GTK_WIDGET (self->end_reading), FALSE);
      end_ok = TRUE;
    }
  else
    {
      end_ok = chrono_editor_check_date (self->end_row, self->end_reading, FALSE);
      if (end == NULL)
        gtk_label_set_text (self->end_reading, _("The event ends when it starts"));
    }

  if (new_category_selected (self))
    {
      g_autofree char *category = chrono_editor_dup_text (self->new_category_row);

      category_ok = category != NULL;
    }

  self->valid = n_titles > 0 && texts_ok && start_ok && end_ok && category_ok &&
                !chrono_document_get_read_only (self->document);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->valid);
}

static void
on_category_selected (ChronoEventEditor *self)
{
  gboolean new_category = new_category_selected (self);

  gtk_widget_set_visible (GTK_WIDGET (self->new_category_row), new_category);
  if (new_category && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->new_category_row));
  update_form (self);
}

static void
on_remove_place_clicked (GtkButton *button,
                         GtkWidget *row)
{
  ChronoEventEditor *self = CHRONO_EVENT_EDITOR (gtk_widget_get_root (GTK_WIDGET (button)));

  g_ptr_array_remove (self->place_rows, row);
  gtk_list_box_remove (self->places_list, row);
  update_form (self);
}

static char *
dup_place_name (ChronoPlace *place)
{
  return g_strdup (place != NULL ? chrono_place_get_name (place) : "");
}

static void
add_text_page (ChronoEventEditor *self,
               const char        *lang,
               const char        *title,
               const char        *summary)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *title_row = adw_entry_row_new ();
  GtkWidget *label = gtk_label_new_with_mnemonic (_("S_ummary"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkStackPage *page;

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (title_row), _("_Title"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (title_row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (title_row), title != NULL ? title : "");
  g_signal_connect_swapped (title_row, "changed", G_CALLBACK (update_form), self);
  chrono_editor_activate_on_enter (ADW_ENTRY_ROW (title_row), "editor.save");
  gtk_list_box_append (GTK_LIST_BOX (list), title_row);
  gtk_box_append (GTK_BOX (box), list);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), view);
  gtk_box_append (GTK_BOX (box), label);

  gtk_text_buffer_set_text (buffer, summary != NULL ? summary : "", -1);
  g_signal_connect_swapped (buffer, "changed", G_CALLBACK (update_form), self);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 120);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_box_append (GTK_BOX (box), scrolled);

  page = gtk_stack_add_titled (self->texts_stack, box, lang, chrono_language_get_name (lang));
  (void) page;
  g_ptr_array_add (self->title_rows, title_row);
  g_ptr_array_add (self->summary_buffers, buffer);
}

/**
 * chrono_event_editor_add_place:
 * @self: an event editor
 * @place_id: a place of the document
 * @role: (nullable): its role in the event, "location" if NULL
 *
 * Adds a place to the event's, as "Add a place" does.
 *
 * Returns: whether the place was added: not when it is there already or
 *   the document has no such place
 */
gboolean
chrono_event_editor_add_place (ChronoEventEditor *self,
                               const char        *place_id,
                               const char        *role)
{
  ChronoPlace *place;
  GtkWidget *row;
  GtkWidget *drop_down;
  GtkWidget *remove;
  g_autoptr (GtkStringList) role_labels = gtk_string_list_new (NULL);
  g_autofree char *name = NULL;

  g_return_val_if_fail (CHRONO_IS_EVENT_EDITOR (self), FALSE);
  g_return_val_if_fail (place_id != NULL, FALSE);

  for (guint i = 0; i < self->place_rows->len; i++)
    if (g_str_equal (g_object_get_data (g_ptr_array_index (self->place_rows, i), "place-id"), place_id))
      return FALSE;
  if (!(place = chrono_document_find_place (self->document, place_id)))
    return FALSE;

  if (role == NULL)
    role = "location";
  add_unique (self->roles, role);
  for (guint i = 0; i < self->roles->len; i++)
    gtk_string_list_append (role_labels, role_label (g_ptr_array_index (self->roles, i)));

  name = chrono_text_for_display (chrono_place_get_name (place), CHRONO_DISPLAY_NAME_CHARS);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

  drop_down = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (role_labels)), NULL);
  gtk_widget_set_valign (drop_down, GTK_ALIGN_CENTER);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), find_string (self->roles, role));
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Role"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), drop_down);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), drop_down);

  remove = new_icon_button ("user-trash-symbolic", _("Remove the Place"));
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_place_clicked), row);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  g_object_set_data_full (G_OBJECT (row), "place-id", g_strdup (place_id), g_free);
  g_object_set_data (G_OBJECT (row), "role", drop_down);
  /* Before the row that adds places */
  gtk_list_box_insert (self->places_list, row, (int) self->place_rows->len);
  g_ptr_array_add (self->place_rows, row);
  update_form (self);

  return TRUE;
}

static void
show_sources_error (ChronoEventEditor *self,
                    GError            *error)
{
  gtk_widget_set_visible (GTK_WIDGET (self->sources_error_label), error != NULL);
  if (error != NULL)
    gtk_label_set_text (self->sources_error_label, error->message);
}

static void
update_sources_form (ChronoEventEditor *self)
{
  g_autofree char *quote = chrono_editor_dup_text (self->quote_row);
  g_autofree char *key = chrono_editor_dup_text (self->claim_key_row);
  g_autofree char *value = chrono_editor_dup_text (self->claim_value_row);
  gboolean writable = self->event_id != NULL && !chrono_document_get_read_only (self->document);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add-excerpt",
                                 writable && quote != NULL &&
                                 adw_combo_row_get_selected (self->excerpt_source_row) < self->sources->len);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add-claim",
                                 writable && key != NULL && value != NULL);
}

static void
on_remove_excerpt_clicked (GtkButton *button,
                           GtkWidget *row)
{
  ChronoEventEditor *self = CHRONO_EVENT_EDITOR (gtk_widget_get_root (GTK_WIDGET (button)));
  g_autoptr (GError) error = NULL;

  chrono_document_delete_excerpt (self->document, g_object_get_data (G_OBJECT (row), "id"), &error);
  show_sources_error (self, error);
}

static void
on_remove_claim_clicked (GtkButton *button,
                         GtkWidget *row)
{
  ChronoEventEditor *self = CHRONO_EVENT_EDITOR (gtk_widget_get_root (GTK_WIDGET (button)));
  g_autoptr (GError) error = NULL;

  chrono_document_delete_claim (self->document, g_object_get_data (G_OBJECT (row), "id"), &error);
  show_sources_error (self, error);
}

static GtkWidget *
new_removable_row (const char *title,
                   const char *subtitle,
                   const char *id,
                   const char *remove_label,
                   GCallback   on_remove)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = new_icon_button ("user-trash-symbolic", remove_label);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle != NULL ? subtitle : "");
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 4);
  g_object_set_data_full (G_OBJECT (row), "id", g_strdup (id), g_free);
  g_signal_connect (remove, "clicked", on_remove, row);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  return row;
}

/* A source as the excerpts cite it: "Le Monde, 17 April 2024" */
static char *
source_label (ChronoSource *source)
{
  g_autofree char *citation = chrono_source_dup_citation (source);

  return chrono_text_for_display (citation != NULL ? citation : chrono_source_get_id (source), 120);
}

static void
fill_source_row (ChronoEventEditor *self,
                 const char        *select_id)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *sources = chrono_document_get_sources (self->document);
  guint selected = adw_combo_row_get_selected (self->excerpt_source_row);
  g_autofree char *keep = NULL;

  /* The source chosen stays chosen; the objects may be new ones */
  if (select_id != NULL)
    keep = g_strdup (select_id);
  else if (selected < self->sources->len)
    keep = g_strdup (chrono_source_get_id (g_ptr_array_index (self->sources, selected)));

  selected = 0;
  g_ptr_array_set_size (self->sources, 0);
  for (guint i = 0; sources != NULL && i < sources->len; i++)
    {
      ChronoSource *source = g_ptr_array_index (sources, i);
      g_autofree char *label = source_label (source);

      if (g_strcmp0 (keep, chrono_source_get_id (source)) == 0)
        selected = i;
      g_ptr_array_add (self->sources, g_object_ref (source));
      g_ptr_array_add (labels, g_steal_pointer (&label));
    }
  g_ptr_array_add (labels, NULL);
  gtk_string_list_splice (self->source_labels, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->source_labels)),
                          (const char * const *) labels->pdata);
  adw_combo_row_set_selected (self->excerpt_source_row, selected);
  update_sources_form (self);
}

static void
fill_excerpts_and_claims (ChronoEventEditor *self,
                          GPtrArray         *excerpt_labels)
{
  g_autoptr (ChronoEvent) event = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *excerpts;
  GPtrArray *claims;

  event = chrono_store_get_event_by_id (chrono_document_get_store (self->document), self->event_id,
                                        chrono_document_get_lang (self->document), &error);
  if (event == NULL)
    {
      show_sources_error (self, error);
      return;
    }

  excerpts = chrono_event_get_excerpts (event);
  for (guint i = 0; excerpts != NULL && i < excerpts->len; i++)
    {
      ChronoExcerpt *excerpt = g_ptr_array_index (excerpts, i);
      g_autofree char *quoted = chrono_excerpt_dup_quoted (excerpt);
      g_autofree char *quote = chrono_text_for_display (quoted, CHRONO_DISPLAY_TEXT_CHARS);
      g_autofree char *short_quote = chrono_text_for_display (chrono_excerpt_get_quote (excerpt), 60);
      g_autofree char *citation = chrono_excerpt_dup_citation (excerpt);

      gtk_list_box_append (self->excerpts_list,
                           new_removable_row (quote, citation, chrono_excerpt_get_id (excerpt),
                                              _("Remove the Excerpt"),
                                              G_CALLBACK (on_remove_excerpt_clicked)));
      g_ptr_array_add (self->excerpts, g_object_ref (excerpt));
      g_ptr_array_add (excerpt_labels, g_steal_pointer (&short_quote));
    }
  if (excerpts == NULL || excerpts->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No excerpts yet"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->excerpts_list, row);
    }

  claims = chrono_event_get_claims (event);
  for (guint i = 0; claims != NULL && i < claims->len; i++)
    {
      ChronoClaim *claim = g_ptr_array_index (claims, i);
      ChronoSource *source = chrono_claim_get_source (claim);
      g_autofree char *value = chrono_claim_format_value (chrono_claim_get_key (claim),
                                                          chrono_claim_get_value (claim));
      g_autofree char *title = g_strdup_printf ("%s: %s", chrono_claim_get_key (claim), value);

      gtk_list_box_append (self->claims_list,
                           new_removable_row (title,
                                              source != NULL ? chrono_source_get_citation_name (source) : NULL,
                                              chrono_claim_get_id (claim), _("Remove the Claim"),
                                              G_CALLBACK (on_remove_claim_clicked)));
    }
  if (claims == NULL || claims->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No claims yet"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->claims_list, row);
    }
}

/* The excerpts and claims of the event as they are now */
static void
fill_sources_page (ChronoEventEditor *self)
{
  g_autoptr (GPtrArray) excerpt_labels = g_ptr_array_new_with_free_func (g_free);

  clear_list (self->excerpts_list);
  clear_list (self->claims_list);
  g_ptr_array_set_size (self->excerpts, 0);
  g_ptr_array_add (excerpt_labels, g_strdup (_("None")));

  if (self->event_id != NULL)
    fill_excerpts_and_claims (self, excerpt_labels);

  g_ptr_array_add (excerpt_labels, NULL);
  gtk_string_list_splice (self->excerpt_labels, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->excerpt_labels)),
                          (const char * const *) excerpt_labels->pdata);
  update_sources_form (self);
}

static void
add_excerpt_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ChronoEventEditor *self = CHRONO_EVENT_EDITOR (widget);
  g_autofree char *quote = chrono_editor_dup_text (self->quote_row);
  g_autofree char *excerpt_id = NULL;
  g_autoptr (GError) error = NULL;
  guint source = adw_combo_row_get_selected (self->excerpt_source_row);
  guint lang = adw_combo_row_get_selected (self->excerpt_lang_row);

  if (self->event_id == NULL || quote == NULL || source >= self->sources->len)
    return;

  excerpt_id = chrono_document_add_excerpt (self->document, self->event_id,
                                            chrono_source_get_id (g_ptr_array_index (self->sources, source)),
                                            lang < g_strv_length (self->excerpt_langs) ? self->excerpt_langs[lang] : NULL,
                                            quote, &error);
  show_sources_error (self, error);
  if (excerpt_id != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->quote_row), "");
}

static void
add_claim_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ChronoEventEditor *self = CHRONO_EVENT_EDITOR (widget);
  g_autofree char *key = chrono_editor_dup_text (self->claim_key_row);
  g_autofree char *value = chrono_editor_dup_text (self->claim_value_row);
  g_autofree char *claim_id = NULL;
  g_autoptr (GError) error = NULL;
  guint excerpt = adw_combo_row_get_selected (self->claim_excerpt_row);
  const char *excerpt_id = NULL;

  if (self->event_id == NULL || key == NULL || value == NULL)
    return;
  if (excerpt != GTK_INVALID_LIST_POSITION && excerpt > 0 && excerpt <= self->excerpts->len)
    excerpt_id = chrono_excerpt_get_id (g_ptr_array_index (self->excerpts, excerpt - 1));

  claim_id = chrono_document_add_claim (self->document, self->event_id, excerpt_id, key, value, &error);
  show_sources_error (self, error);
  if (claim_id != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->claim_key_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->claim_value_row), "");
    }
}

static void
on_source_editor_saved (ChronoEventEditor *self,
                        const char        *source_id)
{
  fill_source_row (self, source_id);
}

static void
new_source_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ChronoEventEditor *self = CHRONO_EVENT_EDITOR (widget);
  GtkWidget *editor = chrono_source_editor_new (GTK_WINDOW (self), self->document, NULL);

  g_signal_connect_object (editor, "saved", G_CALLBACK (on_source_editor_saved), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void fill_place_drop_down (ChronoEventEditor *self);

static void
on_document_changed (ChronoEventEditor    *self,
                     ChronoDocumentChange *change)
{
  if (change->what & CHRONO_CHANGE_SOURCES)
    fill_source_row (self, NULL);
  if (change->what & CHRONO_CHANGE_PLACES)
    fill_place_drop_down (self);
  if (self->event_id != NULL && (change->what & (CHRONO_CHANGE_EVENTS | CHRONO_CHANGE_SOURCES)))
    fill_sources_page (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  chrono_event_editor_save (CHRONO_EVENT_EDITOR (widget));
}

static void
chrono_event_editor_dispose (GObject *object)
{
  ChronoEventEditor *self = CHRONO_EVENT_EDITOR (object);

  g_clear_signal_handler (&self->changed_handler, self->document);
  g_clear_object (&self->document);
  g_clear_object (&self->places);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->excerpts, g_ptr_array_unref);
  g_clear_object (&self->source_labels);
  g_clear_object (&self->excerpt_labels);

  G_OBJECT_CLASS (chrono_event_editor_parent_class)->dispose (object);
}

static void
chrono_event_editor_finalize (GObject *object)
{
  ChronoEventEditor *self = CHRONO_EVENT_EDITOR (object);

  g_free (self->event_id);
  g_free (self->note);
  g_strfreev (self->languages);
  g_strfreev (self->excerpt_langs);
  g_ptr_array_unref (self->title_rows);
  g_ptr_array_unref (self->summary_buffers);
  g_ptr_array_unref (self->categories);
  g_ptr_array_unref (self->roles);
  g_ptr_array_unref (self->place_rows);

  G_OBJECT_CLASS (chrono_event_editor_parent_class)->finalize (object);
}

static void
chrono_event_editor_class_init (ChronoEventEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = chrono_event_editor_dispose;
  object_class->finalize = chrono_event_editor_finalize;

  /**
   * ChronoEventEditor::saved:
   * @id: the id of the event saved
   */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/chrono-event-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, sources_page);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, texts_switcher);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, texts_stack);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, start_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, start_reading);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, end_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, end_reading);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, category_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, new_category_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, importance_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, places_list);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, add_place_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, place_drop_down);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, sources_error_label);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, excerpts_list);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, excerpt_source_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, excerpt_lang_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, quote_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, claims_list);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, claim_key_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, claim_value_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoEventEditor, claim_excerpt_row);
  gtk_widget_class_bind_template_callback (widget_class, update_form);
  gtk_widget_class_bind_template_callback (widget_class, update_sources_form);
  gtk_widget_class_bind_template_callback (widget_class, on_category_selected);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.add-excerpt", NULL, add_excerpt_action);
  gtk_widget_class_install_action (widget_class, "editor.add-claim", NULL, add_claim_action);
  gtk_widget_class_install_action (widget_class, "editor.new-source", NULL, new_source_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
chrono_event_editor_init (ChronoEventEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  chrono_editor_add_save_shortcut (GTK_WIDGET (self));
  self->title_rows = g_ptr_array_new ();
  self->summary_buffers = g_ptr_array_new ();
  self->categories = g_ptr_array_new_with_free_func (g_free);
  self->roles = g_ptr_array_new_with_free_func (g_free);
  self->place_rows = g_ptr_array_new ();
  self->places = g_list_store_new (CHRONO_TYPE_PLACE);
  self->sources = g_ptr_array_new_with_free_func (g_object_unref);
  self->excerpts = g_ptr_array_new_with_free_func (g_object_unref);
  self->source_labels = gtk_string_list_new (NULL);
  self->excerpt_labels = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->excerpt_source_row, G_LIST_MODEL (self->source_labels));
  adw_combo_row_set_model (self->claim_excerpt_row, G_LIST_MODEL (self->excerpt_labels));
  for (guint i = 0; i < G_N_ELEMENTS (known_roles); i++)
    g_ptr_array_add (self->roles, g_strdup (known_roles[i]));
}

static void
fill_categories (ChronoEventEditor *self,
                 const char        *category)
{
  g_auto (GStrv) categories = chrono_document_dup_categories (self->document);
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);

  for (guint i = 0; categories != NULL && categories[i] != NULL; i++)
    add_unique (self->categories, categories[i]);
  add_unique (self->categories, category);

  gtk_string_list_append (labels, C_("category", "None"));
  for (guint i = 0; i < self->categories->len; i++)
    gtk_string_list_append (labels, g_ptr_array_index (self->categories, i));
  gtk_string_list_append (labels, _("New category…"));
  adw_combo_row_set_model (self->category_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->category_row,
                              category != NULL ? find_string (self->categories, category) + 1 : 0);
}

static void
on_place_chosen (ChronoEventEditor *self)
{
  ChronoPlace *place = gtk_drop_down_get_selected_item (self->place_drop_down);

  if (self->filling_places || place == NULL)
    return;
  chrono_event_editor_add_place (self, chrono_place_get_id (place), NULL);
  self->filling_places = TRUE;
  gtk_drop_down_set_selected (self->place_drop_down, GTK_INVALID_LIST_POSITION);
  self->filling_places = FALSE;
}

static void
fill_place_drop_down (ChronoEventEditor *self)
{
  GPtrArray *places = chrono_document_get_places (self->document);
  g_autoptr (GtkExpression) expression = NULL;

  self->filling_places = TRUE;
  g_list_store_splice (self->places, 0, g_list_model_get_n_items (G_LIST_MODEL (self->places)),
                       places != NULL ? places->pdata : NULL, places != NULL ? places->len : 0);
  if (gtk_drop_down_get_model (self->place_drop_down) == NULL)
    {
      expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                G_CALLBACK (dup_place_name), NULL, NULL);
      gtk_drop_down_set_expression (self->place_drop_down, expression);
      gtk_drop_down_set_model (self->place_drop_down, G_LIST_MODEL (self->places));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->place_drop_down),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Place"), -1);
      g_signal_connect_swapped (self->place_drop_down, "notify::selected",
                                G_CALLBACK (on_place_chosen), self);
    }
  /* Nothing looks chosen that is not: a place is added as it is chosen */
  gtk_drop_down_set_selected (self->place_drop_down, GTK_INVALID_LIST_POSITION);
  self->filling_places = FALSE;
}

/**
 * chrono_event_editor_new:
 * @parent: the window to edit for
 * @document: the document the event is in
 * @event_id: (nullable): the event to edit, or NULL for a new one
 * @day: the day a new event starts on (the timeline's)
 *
 * Returns: (transfer floating): the editor, not shown yet
 */
GtkWidget *
chrono_event_editor_new (GtkWindow      *parent,
                         ChronoDocument *document,
                         const char     *event_id,
                         gint64          day)
{
  ChronoEventEditor *self;
  g_autoptr (ChronoEvent) event = NULL;
  g_autoptr (GPtrArray) texts = NULL;
  g_autoptr (GtkStringList) lang_labels = gtk_string_list_new (NULL);
  const char *title;

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (document), NULL);

  self = g_object_new (CHRONO_TYPE_EVENT_EDITOR, "transient-for", parent, NULL);
  self->document = g_object_ref (document);
  self->languages = chrono_document_dup_languages (document);
  if (self->languages == NULL || self->languages[0] == NULL)
    {
      const char *lang[] = { chrono_document_get_lang (document), NULL };

      g_strfreev (self->languages);
      self->languages = g_strdupv ((char **) lang);
    }

  if (event_id != NULL)
    {
      ChronoStore *store = chrono_document_get_store (document);

      event = chrono_store_get_event_by_id (store, event_id, chrono_document_get_lang (document), NULL);
      if (event != NULL)
        texts = chrono_store_get_event_texts (store, event_id, NULL);
    }

  title = event != NULL ? _("Edit Event") : _("New Event");
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_view_switcher_title_set_title (self->switcher_title, title);
  gtk_button_set_label (GTK_BUTTON (self->save_button), event != NULL ? _("_Save") : _("_Add"));

  for (guint i = 0; self->languages[i] != NULL; i++)
    {
      const char *text_title = NULL;
      const char *summary = NULL;

      for (guint j = 0; texts != NULL && j < texts->len; j++)
        {
          ChronoEventText *text = g_ptr_array_index (texts, j);

          if (g_strcmp0 (text->lang, self->languages[i]) == 0)
            {
              text_title = text->title;
              summary = text->summary;
            }
        }
      add_text_page (self, self->languages[i], text_title, summary);
    }
  gtk_widget_set_visible (self->texts_switcher, self->title_rows->len > 1);

  fill_categories (self, event != NULL ? chrono_event_get_category (event) : NULL);
  fill_place_drop_down (self);
  /* Enter: the dates save, a quote is added, a claim too */
  chrono_editor_activate_on_enter (self->start_row, "editor.save");
  chrono_editor_activate_on_enter (self->end_row, "editor.save");
  chrono_editor_activate_on_enter (self->quote_row, "editor.add-excerpt");
  chrono_editor_activate_on_enter (self->claim_value_row, "editor.add-claim");

  if (event != NULL)
    {
      GPtrArray *places = chrono_event_get_places (event);
      int importance = chrono_event_get_importance (event);

      self->event_id = g_strdup (event_id);
      self->note = g_strdup (chrono_event_get_note (event));
      gtk_editable_set_text (GTK_EDITABLE (self->start_row), chrono_event_get_start (event));
      /* An end equal to the start is no end of its own */
      if (g_strcmp0 (chrono_event_get_end (event), chrono_event_get_start (event)) != 0)
        gtk_editable_set_text (GTK_EDITABLE (self->end_row),
                               chrono_event_get_end (event) != NULL ? chrono_event_get_end (event) : "");
      adw_combo_row_set_selected (self->importance_row, CLAMP (importance, 1, 3) - 1);
      for (guint i = 0; places != NULL && i < places->len; i++)
        chrono_event_editor_add_place (self, chrono_place_get_id (g_ptr_array_index (places, i)),
                                       chrono_event_get_place_role (event, i));
    }
  else
    {
      g_autofree char *start = chrono_day_to_iso (day);

      gtk_editable_set_text (GTK_EDITABLE (self->start_row), start);
      gtk_widget_set_visible (self->switcher_bar, FALSE);
      adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, FALSE);
      adw_view_stack_page_set_visible (self->sources_page, FALSE);
    }

  /* The sources page */
  self->excerpt_langs = chrono_editor_dup_languages (document);
  for (guint i = 0; self->excerpt_langs[i] != NULL; i++)
    gtk_string_list_append (lang_labels, chrono_language_get_name (self->excerpt_langs[i]));
  adw_combo_row_set_model (self->excerpt_lang_row, G_LIST_MODEL (lang_labels));
  fill_source_row (self, NULL);
  fill_sources_page (self);
  self->changed_handler = g_signal_connect_swapped (document, "changed",
                                                    G_CALLBACK (on_document_changed), self);

  chrono_editor_show_read_only (self->error_label, document);
  update_form (self);
  gtk_window_set_focus (GTK_WINDOW (self), g_ptr_array_index (self->title_rows, 0));
  return GTK_WIDGET (self);
}

/* The id of the event edited, or of the new one once saved */
const char *
chrono_event_editor_get_event_id (ChronoEventEditor *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_EDITOR (self), NULL);

  return self->event_id;
}

/**
 * chrono_event_editor_save:
 * @self: an event editor
 *
 * Applies the event page as one command and closes the editor; on failure
 * the editor stays open and says why.
 *
 * Returns: whether the event was saved
 */
gboolean
chrono_event_editor_save (ChronoEventEditor *self)
{
  g_autoptr (GPtrArray) langs = g_ptr_array_new ();
  g_autoptr (GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) summaries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) place_ids = g_ptr_array_new ();
  g_autoptr (GPtrArray) place_roles = g_ptr_array_new ();
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *new_category = NULL;
  g_autoptr (GError) error = NULL;
  ChronoEventFields fields = { 0 };
  guint category = adw_combo_row_get_selected (self->category_row);
  gboolean saved;

  g_return_val_if_fail (CHRONO_IS_EVENT_EDITOR (self), FALSE);

  update_form (self);
  if (!self->valid)
    return FALSE;

  for (guint i = 0; i < self->title_rows->len; i++)
    {
      char *title = chrono_editor_dup_text (g_ptr_array_index (self->title_rows, i));

      if (title == NULL)
        continue;
      g_ptr_array_add (langs, self->languages[i]);
      g_ptr_array_add (titles, title);
      g_ptr_array_add (summaries, dup_buffer_text (g_ptr_array_index (self->summary_buffers, i)));
    }
  for (guint i = 0; i < self->place_rows->len; i++)
    {
      GObject *row = g_ptr_array_index (self->place_rows, i);
      guint role = gtk_drop_down_get_selected (g_object_get_data (row, "role"));

      g_ptr_array_add (place_ids, g_object_get_data (row, "place-id"));
      g_ptr_array_add (place_roles, role < self->roles->len ? g_ptr_array_index (self->roles, role) : NULL);
    }

  start = chrono_editor_dup_date (self->start_row);
  end = chrono_editor_dup_date (self->end_row);
  fields.start = start;
  fields.end = end;
  if (new_category_selected (self))
    fields.category = new_category = chrono_editor_dup_text (self->new_category_row);
  else if (category != GTK_INVALID_LIST_POSITION && category > 0)
    fields.category = g_ptr_array_index (self->categories, category - 1);
  fields.importance = (int) adw_combo_row_get_selected (self->importance_row) + 1;
  fields.note = self->note;
  fields.n_texts = titles->len;
  fields.text_langs = (const char * const *) langs->pdata;
  fields.titles = (const char * const *) titles->pdata;
  fields.summaries = (const char * const *) summaries->pdata;
  fields.n_places = place_ids->len;
  fields.place_ids = (const char * const *) place_ids->pdata;
  fields.place_roles = (const char * const *) place_roles->pdata;

  if (self->event_id != NULL)
    {
      saved = chrono_document_set_event (self->document, self->event_id, &fields, &error);
    }
  else
    {
      self->event_id = chrono_document_add_event (self->document, &fields, &error);
      saved = self->event_id != NULL;
    }

  if (!saved)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return FALSE;
    }

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, self->event_id);
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

AdwEntryRow *
chrono_event_editor_get_title_row (ChronoEventEditor *self,
                                   const char        *lang)
{
  for (guint i = 0; self->languages[i] != NULL; i++)
    if (g_str_equal (self->languages[i], lang))
      return g_ptr_array_index (self->title_rows, i);
  return NULL;
}

GtkTextBuffer *
chrono_event_editor_get_summary_buffer (ChronoEventEditor *self,
                                        const char        *lang)
{
  for (guint i = 0; self->languages[i] != NULL; i++)
    if (g_str_equal (self->languages[i], lang))
      return g_ptr_array_index (self->summary_buffers, i);
  return NULL;
}

AdwEntryRow *
chrono_event_editor_get_start_row (ChronoEventEditor *self)
{
  return self->start_row;
}

AdwEntryRow *
chrono_event_editor_get_end_row (ChronoEventEditor *self)
{
  return self->end_row;
}

GtkLabel *
chrono_event_editor_get_start_reading (ChronoEventEditor *self)
{
  return self->start_reading;
}

GtkLabel *
chrono_event_editor_get_end_reading (ChronoEventEditor *self)
{
  return self->end_reading;
}

AdwComboRow *
chrono_event_editor_get_category_row (ChronoEventEditor *self)
{
  return self->category_row;
}

AdwEntryRow *
chrono_event_editor_get_new_category_row (ChronoEventEditor *self)
{
  return self->new_category_row;
}

AdwComboRow *
chrono_event_editor_get_importance_row (ChronoEventEditor *self)
{
  return self->importance_row;
}

guint
chrono_event_editor_get_n_places (ChronoEventEditor *self)
{
  return self->place_rows->len;
}

GtkWidget *
chrono_event_editor_get_save_button (ChronoEventEditor *self)
{
  return self->save_button;
}

AdwComboRow *
chrono_event_editor_get_excerpt_source_row (ChronoEventEditor *self)
{
  return self->excerpt_source_row;
}

AdwEntryRow *
chrono_event_editor_get_quote_row (ChronoEventEditor *self)
{
  return self->quote_row;
}

GtkListBox *
chrono_event_editor_get_excerpts_list (ChronoEventEditor *self)
{
  return self->excerpts_list;
}

AdwViewStack *
chrono_event_editor_get_stack (ChronoEventEditor *self)
{
  return self->stack;
}

AdwEntryRow *
chrono_event_editor_get_claim_key_row (ChronoEventEditor *self)
{
  return self->claim_key_row;
}

AdwEntryRow *
chrono_event_editor_get_claim_value_row (ChronoEventEditor *self)
{
  return self->claim_value_row;
}

AdwComboRow *
chrono_event_editor_get_claim_excerpt_row (ChronoEventEditor *self)
{
  return self->claim_excerpt_row;
}

GtkListBox *
chrono_event_editor_get_claims_list (ChronoEventEditor *self)
{
  return self->claims_list;
}
