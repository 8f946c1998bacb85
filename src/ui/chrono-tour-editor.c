/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-tour-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "chrono-date.h"
#include "chrono-source-editor.h"
#include "chrono-tour-editor.h"
#include "chrono-tour-step.h"

/*
 * The tour editor: the steps of the dataset's tour in their order. A step
 * moves by drag and drop, by Alt+Up and Alt+Down on its row or by its
 * buttons; it can be removed, and its title and note in the UI language
 * edited. Each change is a command of its own, applied at once; the list
 * is rebuilt from the document whenever the document changes (an undo in
 * the main window included).
 */

struct _ChronoTourEditor
{
  AdwWindow       parent_instance;

  GtkLabel       *error_label;
  GtkListBox     *steps_list;
  GtkWidget      *empty_page;

  ChronoDocument *document;
  gulong          changed_handler;
  GPtrArray      *rows;            /* of AdwExpanderRow, in the order of the tour */
  GHashTable     *expanded;        /* positions + 1 of the rows open before a rebuild */
  int             focus_position;  /* the row to focus once rebuilt, or -1 */
};

G_DEFINE_FINAL_TYPE (ChronoTourEditor, chrono_tour_editor, ADW_TYPE_WINDOW)

static void
show_error (ChronoTourEditor *self,
            GError           *error)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (error != NULL)
    gtk_label_set_text (self->error_label, error->message);
}

static void
move_step (ChronoTourEditor *self,
           guint             from,
           guint             to)
{
  g_autoptr (GError) error = NULL;

  if (from == to || from >= self->rows->len || to >= self->rows->len)
    return;

  self->focus_position = (int) to;
  if (!chrono_document_move_tour_step (self->document, from, to, &error))
    self->focus_position = -1;
  show_error (self, error);
}

static void
move_step_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ChronoTourEditor *self = CHRONO_TOUR_EDITOR (widget);
  int position, offset;

  g_variant_get (parameter, "(ii)", &position, &offset);
  if (position < 0 || position + offset < 0)
    return;
  move_step (self, (guint) position, (guint) (position + offset));
}

static void
remove_step_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ChronoTourEditor *self = CHRONO_TOUR_EDITOR (widget);
  g_autoptr (GError) error = NULL;
  guint position = g_variant_get_uint32 (parameter);

  if (position >= self->rows->len)
    return;
  self->focus_position = MIN ((int) position, (int) self->rows->len - 2);
  chrono_document_remove_tour_step (self->document, position, &error);
  show_error (self, error);
}

static void
apply_texts (ChronoTourEditor *self,
             GtkWidget        *row)
{
  GPtrArray *tour = chrono_document_get_tour (self->document);
  guint position = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "position"));
  AdwEntryRow *title_row = g_object_get_data (G_OBJECT (row), "title-row");
  AdwEntryRow *note_row = g_object_get_data (G_OBJECT (row), "note-row");
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (title_row))));
  g_autofree char *note = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (note_row))));
  g_autoptr (GError) error = NULL;
  ChronoTourStep *step;

  if (tour == NULL || position >= tour->len)
    return;
  step = g_ptr_array_index (tour, position);
  /* Nothing typed: no command, nothing to undo */
  if (!g_object_get_data (G_OBJECT (row), "edited"))
    return;
  g_object_set_data (G_OBJECT (row), "edited", NULL);
  self->focus_position = (int) position;
  chrono_document_set_tour_step (self->document, position, chrono_document_get_lang (self->document),
                                 *title != '\0' ? title : NULL, *note != '\0' ? note : NULL,
                                 chrono_tour_step_get_excerpts (step), &error);
  show_error (self, error);
}

static void
mark_edited (GtkWidget *row)
{
  g_object_set_data (G_OBJECT (row), "edited", GINT_TO_POINTER (TRUE));
}

/* What was typed and not applied yet is applied when the editor closes:
 * closing is not a way to lose a title */
static gboolean
chrono_tour_editor_close_request (GtkWindow *window)
{
  ChronoTourEditor *self = CHRONO_TOUR_EDITOR (window);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  /* Applying one rebuilds the rows: the ones read here are kept alive */
  for (guint i = 0; i < self->rows->len; i++)
    g_ptr_array_add (rows, g_object_ref (g_ptr_array_index (self->rows, i)));
  for (guint i = 0; i < rows->len; i++)
    apply_texts (self, g_ptr_array_index (rows, i));

  return GTK_WINDOW_CLASS (chrono_tour_editor_parent_class)->close_request (window);
}

static void
on_entry_row_apply (AdwEntryRow *entry_row,
                    GtkWidget   *row)
{
  apply_texts (CHRONO_TOUR_EDITOR (gtk_widget_get_root (row)), row);
}

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 GtkWidget     *row)
{
  g_autoptr (GdkPaintable) icon = gtk_widget_paintable_new (row);

  gtk_drag_source_set_icon (source, icon, (int) x, (int) y);
  return gdk_content_provider_new_typed (G_TYPE_UINT,
                                         GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "position")));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         GtkWidget     *row)
{
  ChronoTourEditor *self = CHRONO_TOUR_EDITOR (gtk_widget_get_root (row));

  if (!G_VALUE_HOLDS_UINT (value))
    return FALSE;
  move_step (self, g_value_get_uint (value),
             GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "position")));
  return TRUE;
}

static void
on_step_button_clicked (GtkButton *button)
{
  gtk_widget_activate_action_variant (GTK_WIDGET (button),
                                      g_object_get_data (G_OBJECT (button), "action-name"),
                                      g_object_get_data (G_OBJECT (button), "action-target"));
}

/* Not an actionable button: the first step's Move Up is insensitive though
 * the action is enabled */
static GtkWidget *
new_step_button (const char *icon_name,
                 const char *label,
                 const char *action_name,
                 GVariant   *target,
                 gboolean    sensitive)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_sensitive (button, sensitive);
  g_object_set_data (G_OBJECT (button), "action-name", (gpointer) action_name);
  g_object_set_data_full (G_OBJECT (button), "action-target", g_variant_ref_sink (target),
                          (GDestroyNotify) g_variant_unref);
  g_signal_connect (button, "clicked", G_CALLBACK (on_step_button_clicked), NULL);
  return button;
}

static void
add_shortcut (GtkShortcutController *controller,
              guint                  keyval,
              guint                  position,
              int                    offset)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, GDK_ALT_MASK),
                                            gtk_named_action_new ("tour.move-step"));

  gtk_shortcut_set_arguments (shortcut, g_variant_new ("(ii)", (int) position, offset));
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static GtkWidget *
new_step_row (ChronoTourEditor *self,
              ChronoTourStep   *step,
              guint             position,
              guint             n_steps)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *handle = gtk_image_new_from_icon_name ("list-drag-handle-symbolic");
  GtkWidget *title_row = adw_entry_row_new ();
  GtkWidget *note_row = adw_entry_row_new ();
  GtkWidget *button;
  GtkEventController *controller;
  GtkDragSource *drag_source;
  GtkDropTarget *drop_target;
  const char *lang = chrono_document_get_lang (self->document);
  const char *title = chrono_tour_step_get_title (step);
  const char *date = chrono_tour_step_get_date (step);
  g_autofree char *day = NULL;
  g_autofree char *shown_title = NULL;
  g_autofree char *numbered = NULL;

  if (title == NULL || *title == '\0')
    {
      ChronoEvent *event = chrono_document_find_event (self->document, chrono_tour_step_get_event_id (step));

      title = event != NULL ? chrono_event_get_title (event) : chrono_tour_step_get_event_id (step);
    }
  /* The date as a person says it */
  if (date != NULL)
    day = chrono_document_describe_date (date, NULL);
  if (day == NULL)
    day = chrono_day_format (chrono_tour_step_get_day (step));
  date = day;
  shown_title = chrono_text_for_display (title, CHRONO_DISPLAY_NAME_CHARS);
  /* TRANSLATORS: a step of the tour: its number and its title */
  numbered = g_strdup_printf (_("%u. %s"), position + 1, shown_title);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), numbered);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), date);
  g_object_set_data (G_OBJECT (row), "position", GUINT_TO_POINTER (position));

  gtk_widget_set_tooltip_text (handle, _("Drag to move the step"));
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), handle);

  /* An expander row puts each action before the ones added earlier */
  button = new_step_button ("user-trash-symbolic", _("Remove the Step"), "tour.remove-step",
                            g_variant_new_uint32 (position), TRUE);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), button);
  button = new_step_button ("go-down-symbolic", _("Move Down"), "tour.move-step",
                            g_variant_new ("(ii)", (int) position, 1), position + 1 < n_steps);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), button);
  button = new_step_button ("go-up-symbolic", _("Move Up"), "tour.move-step",
                            g_variant_new ("(ii)", (int) position, -1), position > 0);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), button);

  /* Its title and note in the UI language: what another language has is
   * not offered for editing as if it were this one's */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (title_row), _("_Title"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (title_row), TRUE);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (title_row), TRUE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (note_row), _("_Note"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (note_row), TRUE);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (note_row), TRUE);
  if (g_strcmp0 (chrono_tour_step_get_lang (step), lang) == 0)
    {
      const char *note = chrono_tour_step_get_note (step);

      gtk_editable_set_text (GTK_EDITABLE (title_row),
                             chrono_tour_step_get_title (step) != NULL ? chrono_tour_step_get_title (step) : "");
      gtk_editable_set_text (GTK_EDITABLE (note_row), note != NULL ? note : "");
    }
  g_object_set_data (G_OBJECT (row), "title-row", title_row);
  g_object_set_data (G_OBJECT (row), "note-row", note_row);
  g_signal_connect (title_row, "apply", G_CALLBACK (on_entry_row_apply), row);
  g_signal_connect (note_row, "apply", G_CALLBACK (on_entry_row_apply), row);
  g_signal_connect_swapped (title_row, "changed", G_CALLBACK (mark_edited), row);
  g_signal_connect_swapped (note_row, "changed", G_CALLBACK (mark_edited), row);
  if (g_hash_table_contains (self->expanded, GUINT_TO_POINTER (position + 1)))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), title_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), note_row);

  controller = gtk_shortcut_controller_new ();
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_Up, position, -1);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_KP_Up, position, -1);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_Down, position, 1);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_KP_Down, position, 1);
  gtk_widget_add_controller (row, controller);

  drag_source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (drag_source, GDK_ACTION_MOVE);
  g_signal_connect (drag_source, "prepare", G_CALLBACK (on_drag_prepare), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (drag_source));

  drop_target = gtk_drop_target_new (G_TYPE_UINT, GDK_ACTION_MOVE);
  g_signal_connect (drop_target, "drop", G_CALLBACK (on_drop), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (drop_target));

  return row;
}

static void
fill_steps (ChronoTourEditor *self)
{
  GPtrArray *tour = chrono_document_get_tour (self->document);
  GtkWidget *child;
  guint n_steps = tour != NULL ? tour->len : 0;

  /* Rows open before stay open (by position: a moved step's row is where
   * it went, see move_step_action) */
  g_hash_table_remove_all (self->expanded);
  for (guint i = 0; i < self->rows->len; i++)
    if (adw_expander_row_get_expanded (g_ptr_array_index (self->rows, i)))
      g_hash_table_add (self->expanded, GUINT_TO_POINTER (i + 1));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->steps_list))) != NULL)
    gtk_list_box_remove (self->steps_list, child);
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < n_steps; i++)
    {
      GtkWidget *row = new_step_row (self, g_ptr_array_index (tour, i), i, n_steps);

      gtk_list_box_append (self->steps_list, row);
      g_ptr_array_add (self->rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->steps_list), n_steps > 0);
  gtk_widget_set_visible (self->empty_page, n_steps == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tour.move-step",
                                 !chrono_document_get_read_only (self->document));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tour.remove-step",
                                 !chrono_document_get_read_only (self->document));

  /* Keyboard users stay on the step they moved */
  if (self->focus_position >= 0 && (guint) self->focus_position < self->rows->len)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, self->focus_position);

      /* An expander row takes the focus on its header */
      if (!gtk_widget_grab_focus (row))
        gtk_widget_child_focus (row, GTK_DIR_TAB_FORWARD);
    }
  self->focus_position = -1;
}

static void
on_document_changed (ChronoTourEditor     *self,
                     ChronoDocumentChange *change)
{
  if (change->what & (CHRONO_CHANGE_TOUR | CHRONO_CHANGE_EVENTS))
    fill_steps (self);
}

static void
chrono_tour_editor_dispose (GObject *object)
{
  ChronoTourEditor *self = CHRONO_TOUR_EDITOR (object);

  g_clear_signal_handler (&self->changed_handler, self->document);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (chrono_tour_editor_parent_class)->dispose (object);
}

static void
chrono_tour_editor_finalize (GObject *object)
{
  ChronoTourEditor *self = CHRONO_TOUR_EDITOR (object);

  g_ptr_array_unref (self->rows);
  g_hash_table_unref (self->expanded);

  G_OBJECT_CLASS (chrono_tour_editor_parent_class)->finalize (object);
}

static void
chrono_tour_editor_class_init (ChronoTourEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = chrono_tour_editor_dispose;
  object_class->finalize = chrono_tour_editor_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = chrono_tour_editor_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/chrono-tour-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, ChronoTourEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, ChronoTourEditor, steps_list);
  gtk_widget_class_bind_template_child (widget_class, ChronoTourEditor, empty_page);

  gtk_widget_class_install_action (widget_class, "tour.move-step", "(ii)", move_step_action);
  gtk_widget_class_install_action (widget_class, "tour.remove-step", "u", remove_step_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
chrono_tour_editor_init (ChronoTourEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->expanded = g_hash_table_new (NULL, NULL);
  self->focus_position = -1;
}

/**
 * chrono_tour_editor_new:
 * @parent: the window to edit for
 * @document: the document whose tour to edit
 *
 * Returns: (transfer floating): the editor, not shown yet
 */
GtkWidget *
chrono_tour_editor_new (GtkWindow      *parent,
                        ChronoDocument *document)
{
  ChronoTourEditor *self;

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (document), NULL);

  self = g_object_new (CHRONO_TYPE_TOUR_EDITOR, "transient-for", parent, NULL);
  self->document = g_object_ref (document);
  self->changed_handler = g_signal_connect_swapped (document, "changed",
                                                    G_CALLBACK (on_document_changed), self);
  fill_steps (self);
  chrono_editor_show_read_only (self->error_label, document);

  return GTK_WIDGET (self);
}

guint
chrono_tour_editor_get_n_rows (ChronoTourEditor *self)
{
  return self->rows->len;
}

GtkWidget *
chrono_tour_editor_get_row (ChronoTourEditor *self,
                            guint             position)
{
  g_return_val_if_fail (position < self->rows->len, NULL);

  return g_ptr_array_index (self->rows, position);
}

AdwEntryRow *
chrono_tour_editor_get_title_row (ChronoTourEditor *self,
                                  guint             position)
{
  return g_object_get_data (G_OBJECT (chrono_tour_editor_get_row (self, position)), "title-row");
}

AdwEntryRow *
chrono_tour_editor_get_note_row (ChronoTourEditor *self,
                                 guint             position)
{
  return g_object_get_data (G_OBJECT (chrono_tour_editor_get_row (self, position)), "note-row");
}
