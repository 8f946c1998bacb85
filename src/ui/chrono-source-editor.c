/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-source-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "chrono-place.h"
#include "chrono-source-editor.h"
#include "import/chrono-import.h"

/*
 * The source editor: a source's title, outlet, author, date of publication
 * (EDTF, read back as a person would say it while it is typed), language
 * and web address. Save applies one command, which one undo takes back.
 */

struct _ChronoSourceEditor
{
  AdwWindow       parent_instance;

  AdwWindowTitle *window_title;
  GtkWidget      *save_button;
  GtkLabel       *error_label;
  AdwEntryRow    *title_row;
  AdwEntryRow    *outlet_row;
  AdwEntryRow    *author_row;
  AdwEntryRow    *published_row;
  GtkLabel       *published_reading;
  AdwComboRow    *language_row;
  AdwEntryRow    *url_row;

  ChronoDocument *document;
  char           *source_id;    /* NULL until a new source is saved */
  char          **languages;    /* the language row's codes, after "Not given" */
  char           *note;
  gboolean        valid;
};

G_DEFINE_FINAL_TYPE (ChronoSourceEditor, chrono_source_editor, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const known_languages[] = {
  "en", "fr", "ru", "hy", "az", "tr", "uk", "ka", "fa", "de",
};

static void
add_language (GPtrArray  *langs,
              const char *lang)
{
  if (lang == NULL || *lang == '\0')
    return;
  for (guint i = 0; i < langs->len; i++)
    if (g_str_equal (g_ptr_array_index (langs, i), lang))
      return;
  g_ptr_array_add (langs, g_strdup (lang));
}

/**
 * chrono_editor_dup_languages:
 * @document: a document
 *
 * Returns: (transfer full): the languages an editor offers: the dataset's
 *   own first, then those of its places and sources and the usual ones
 */
char **
chrono_editor_dup_languages (ChronoDocument *document)
{
  g_auto (GStrv) own = chrono_document_dup_languages (document);
  g_autoptr (GPtrArray) langs = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *places = chrono_document_get_places (document);
  GPtrArray *sources = chrono_document_get_sources (document);

  for (guint i = 0; own != NULL && own[i] != NULL; i++)
    add_language (langs, own[i]);
  for (guint i = 0; i < G_N_ELEMENTS (known_languages); i++)
    add_language (langs, known_languages[i]);
  for (guint i = 0; places != NULL && i < places->len; i++)
    {
      GPtrArray *names = chrono_place_get_names (g_ptr_array_index (places, i));

      for (guint j = 0; names != NULL && j < names->len; j++)
        add_language (langs, ((ChronoPlaceName *) g_ptr_array_index (names, j))->lang);
    }
  for (guint i = 0; sources != NULL && i < sources->len; i++)
    add_language (langs, chrono_source_get_language (g_ptr_array_index (sources, i)));
  g_ptr_array_add (langs, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&langs), FALSE);
}

/* The row's text without the spaces around it, or NULL when that is empty */
char *
chrono_editor_dup_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

void
chrono_editor_set_error (GtkWidget *widget,
                         gboolean   error)
{
  if (error)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
}

static void
on_entry_activated (AdwEntryRow *row,
                    const char  *action)
{
  gtk_widget_activate_action (GTK_WIDGET (row), action, NULL);
}

/**
 * chrono_editor_activate_on_enter:
 * @row: a one-line field
 * @action: the editor's action Enter in it does ("editor.save"…): a
 *   disabled one does nothing
 */
void
chrono_editor_activate_on_enter (AdwEntryRow *row,
                                 const char  *action)
{
  g_signal_connect_data (row, "entry-activated", G_CALLBACK (on_entry_activated),
                         g_strdup (action), (GClosureNotify) (void (*) (void)) g_free, 0);
}

/**
 * chrono_editor_dup_date:
 * @row: a date row checked by chrono_editor_check_date()
 *
 * Returns: (transfer full) (nullable): its date as EDTF: what was typed, or
 *   the EDTF of a date typed as people write it
 */
char *
chrono_editor_dup_date (AdwEntryRow *row)
{
  const char *edtf = g_object_get_data (G_OBJECT (row), "edtf");

  return edtf != NULL ? g_strdup (edtf) : chrono_editor_dup_text (row);
}

/**
 * chrono_editor_check_date:
 * @row: an EDTF date as typed
 * @reading: where its human reading goes, or why it cannot be read
 * @required: whether an empty row is wrong
 *
 * Returns: whether @row holds a date, or nothing when that is allowed
 */
gboolean
chrono_editor_check_date (AdwEntryRow *row,
                          GtkLabel    *reading,
                          gboolean     required)
{
  g_autofree char *text = chrono_editor_dup_text (row);
  g_autofree char *described = NULL;
  g_autoptr (GError) error = NULL;

  if (text == NULL)
    {
      gtk_label_set_text (reading, required ? _("Required: for example 2020-11-10, 2023-09, 2023-21 (spring 2023) or 2020-11-09/2020-11-10")
                                            : _("Not given"));
      chrono_editor_set_error (GTK_WIDGET (row), FALSE);
      chrono_editor_set_error (GTK_WIDGET (reading), FALSE);
      return !required;
    }

  g_object_set_data (G_OBJECT (row), "edtf", NULL);
  described = chrono_document_describe_date (text, &error);
  if (described == NULL)
    {
      /* A date as people write it ("14 May 2021", "May 2021") is read as
       * the importers read one, and kept as its EDTF */
      g_autofree char *edtf = chrono_import_date_from_text (text, NULL, NULL);
      g_autofree char *loose = edtf != NULL ? chrono_document_describe_date (edtf, NULL) : NULL;

      if (loose != NULL)
        {
          /* Translators: a date read from how it was typed, then the EDTF it is kept as */
          g_autofree char *label = g_strdup_printf (_("%s (kept as %s)"), loose, edtf);

          g_object_set_data_full (G_OBJECT (row), "edtf", g_steal_pointer (&edtf), g_free);
          gtk_label_set_text (reading, label);
          chrono_editor_set_error (GTK_WIDGET (row), FALSE);
          chrono_editor_set_error (GTK_WIDGET (reading), FALSE);
          return TRUE;
        }
      gtk_label_set_text (reading, error != NULL ? error->message : _("Not a date"));
      chrono_editor_set_error (GTK_WIDGET (row), TRUE);
      chrono_editor_set_error (GTK_WIDGET (reading), TRUE);
      return FALSE;
    }

  gtk_label_set_text (reading, described);
  chrono_editor_set_error (GTK_WIDGET (row), FALSE);
  chrono_editor_set_error (GTK_WIDGET (reading), FALSE);
  return TRUE;
}

/**
 * chrono_editor_add_save_shortcut:
 * @window: an editor with an "editor.save" action
 *
 * Ctrl+Enter saves from any field: caught before the focused widget sees
 * it, since a text view would take it for a new line.
 */
void
chrono_editor_add_save_shortcut (GtkWidget *window)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  const guint keyvals[] = { GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_ISO_Enter };

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keyvals); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keyvals[i], GDK_CONTROL_MASK),
                                                            gtk_named_action_new ("editor.save")));
  gtk_widget_add_controller (window, controller);
}

/* Says why nothing can be saved, for a read-only document */
void
chrono_editor_show_read_only (GtkLabel       *label,
                              ChronoDocument *document)
{
  const char *reason = chrono_document_get_read_only_reason (document);

  if (!chrono_document_get_read_only (document))
    return;
  gtk_label_set_text (label, reason != NULL ? reason : _("This dataset is read-only"));
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
}

static gboolean
url_is_valid (const char *url)
{
  return url == NULL || g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL);
}

static void
update_form (ChronoSourceEditor *self)
{
  g_autofree char *title = chrono_editor_dup_text (self->title_row);
  g_autofree char *url = chrono_editor_dup_text (self->url_row);
  gboolean date_ok = chrono_editor_check_date (self->published_row, self->published_reading, FALSE);
  gboolean url_ok = url_is_valid (url);

  chrono_editor_set_error (GTK_WIDGET (self->url_row), !url_ok);
  self->valid = title != NULL && date_ok && url_ok &&
                !chrono_document_get_read_only (self->document);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->valid);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  chrono_source_editor_save (CHRONO_SOURCE_EDITOR (widget));
}

static void
chrono_source_editor_dispose (GObject *object)
{
  ChronoSourceEditor *self = CHRONO_SOURCE_EDITOR (object);

  g_clear_object (&self->document);

  G_OBJECT_CLASS (chrono_source_editor_parent_class)->dispose (object);
}

static void
chrono_source_editor_finalize (GObject *object)
{
  ChronoSourceEditor *self = CHRONO_SOURCE_EDITOR (object);

  g_free (self->source_id);
  g_strfreev (self->languages);
  g_free (self->note);

  G_OBJECT_CLASS (chrono_source_editor_parent_class)->finalize (object);
}

static void
chrono_source_editor_class_init (ChronoSourceEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = chrono_source_editor_dispose;
  object_class->finalize = chrono_source_editor_finalize;

  /**
   * ChronoSourceEditor::saved:
   * @id: the id of the source saved
   */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/chrono-source-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, ChronoSourceEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, ChronoSourceEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, ChronoSourceEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, ChronoSourceEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoSourceEditor, outlet_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoSourceEditor, author_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoSourceEditor, published_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoSourceEditor, published_reading);
  gtk_widget_class_bind_template_child (widget_class, ChronoSourceEditor, language_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoSourceEditor, url_row);
  gtk_widget_class_bind_template_callback (widget_class, update_form);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
chrono_source_editor_init (ChronoSourceEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  chrono_editor_add_save_shortcut (GTK_WIDGET (self));
}

static void
set_row_text (AdwEntryRow *row,
              const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

/**
 * chrono_source_editor_new:
 * @parent: the window to edit for
 * @document: the document the source is in
 * @source_id: (nullable): the source to edit, or NULL for a new one
 *
 * Returns: (transfer floating): the editor, not shown yet
 */
GtkWidget *
chrono_source_editor_new (GtkWindow      *parent,
                          ChronoDocument *document,
                          const char     *source_id)
{
  ChronoSourceEditor *self;
  ChronoSource *source = NULL;
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  const char *language = NULL;
  guint selected = 0;

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (document), NULL);

  self = g_object_new (CHRONO_TYPE_SOURCE_EDITOR, "transient-for", parent, NULL);
  self->document = g_object_ref (document);
  if (source_id != NULL)
    source = chrono_document_find_source (document, source_id);
  if (source != NULL)
    self->source_id = g_strdup (source_id);

  gtk_window_set_title (GTK_WINDOW (self), source != NULL ? _("Edit Source") : _("New Source"));
  adw_window_title_set_title (self->window_title,
                              source != NULL ? _("Edit Source") : _("New Source"));
  gtk_button_set_label (GTK_BUTTON (self->save_button), source != NULL ? _("_Save") : _("_Add"));

  self->languages = chrono_editor_dup_languages (document);
  if (source != NULL)
    {
      set_row_text (self->title_row, chrono_source_get_title (source));
      set_row_text (self->outlet_row, chrono_source_get_outlet (source));
      set_row_text (self->author_row, chrono_source_get_author (source));
      set_row_text (self->published_row, chrono_source_get_published (source));
      set_row_text (self->url_row, chrono_source_get_url (source));
      language = chrono_source_get_language (source);
      self->note = g_strdup (chrono_source_get_note (source));
    }

  gtk_string_list_append (names, _("Not given"));
  for (guint i = 0; self->languages[i] != NULL; i++)
    {
      gtk_string_list_append (names, chrono_language_get_name (self->languages[i]));
      if (g_strcmp0 (language, self->languages[i]) == 0)
        selected = i + 1;
    }
  adw_combo_row_set_model (self->language_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->language_row, selected);

  chrono_editor_show_read_only (self->error_label, document);
  update_form (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->title_row));
  chrono_editor_activate_on_enter (self->title_row, "editor.save");
  return GTK_WIDGET (self);
}

/* The id of the source edited, or of the new one once saved */
const char *
chrono_source_editor_get_source_id (ChronoSourceEditor *self)
{
  g_return_val_if_fail (CHRONO_IS_SOURCE_EDITOR (self), NULL);

  return self->source_id;
}

/**
 * chrono_source_editor_save:
 * @self: a source editor
 *
 * Applies the form as one command and closes the editor; on failure the
 * editor stays open and says why.
 *
 * Returns: whether the source was saved
 */
gboolean
chrono_source_editor_save (ChronoSourceEditor *self)
{
  g_autofree char *title = NULL;
  g_autofree char *outlet = NULL;
  g_autofree char *author = NULL;
  g_autofree char *published = NULL;
  g_autofree char *url = NULL;
  g_autoptr (GError) error = NULL;
  ChronoSourceFields fields = { 0 };
  guint language = adw_combo_row_get_selected (self->language_row);
  gboolean saved;

  g_return_val_if_fail (CHRONO_IS_SOURCE_EDITOR (self), FALSE);

  update_form (self);
  if (!self->valid)
    return FALSE;

  title = chrono_editor_dup_text (self->title_row);
  outlet = chrono_editor_dup_text (self->outlet_row);
  author = chrono_editor_dup_text (self->author_row);
  published = chrono_editor_dup_date (self->published_row);
  url = chrono_editor_dup_text (self->url_row);
  fields.title = title;
  fields.outlet = outlet;
  fields.author = author;
  fields.published = published;
  fields.url = url;
  fields.note = self->note;
  if (language != GTK_INVALID_LIST_POSITION && language > 0)
    fields.language = self->languages[language - 1];

  if (self->source_id != NULL)
    {
      saved = chrono_document_set_source (self->document, self->source_id, &fields, &error);
    }
  else
    {
      self->source_id = chrono_document_add_source (self->document, &fields, &error);
      saved = self->source_id != NULL;
    }

  if (!saved)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return FALSE;
    }

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, self->source_id);
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

AdwEntryRow *
chrono_source_editor_get_title_row (ChronoSourceEditor *self)
{
  return self->title_row;
}

AdwEntryRow *
chrono_source_editor_get_published_row (ChronoSourceEditor *self)
{
  return self->published_row;
}

GtkLabel *
chrono_source_editor_get_published_reading (ChronoSourceEditor *self)
{
  return self->published_reading;
}

GtkWidget *
chrono_source_editor_get_save_button (ChronoSourceEditor *self)
{
  return self->save_button;
}
