/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "chrono-export-dialog.h"

/* How long the options rest before the preview is drawn again. */
#define PREVIEW_DELAY_MS 250

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

/* The choices of the size menu: the presets, then the window's own size. */
#define SIZE_CURRENT_WINDOW CHRONO_SNAPSHOT_N_PRESETS

static const struct
{
  ChronoSnapshotInclude  flag;
  const char            *title;
  const char            *subtitle;
} parts[] = {
  { CHRONO_SNAPSHOT_INCLUDE_MARKERS, N_("Places"), N_("The places of the events, coloured by category") },
  { CHRONO_SNAPSHOT_INCLUDE_TIMELINE, N_("Timeline Strip"), N_("The whole story, with the date marked") },
  { CHRONO_SNAPSHOT_INCLUDE_DATE, N_("Date"), N_("The date written out") },
  { CHRONO_SNAPSHOT_INCLUDE_LEGEND, N_("Legend"), N_("What the colours mean") },
  { CHRONO_SNAPSHOT_INCLUDE_EVENTS, N_("Events"), N_("The selected event, or the events in effect, with an excerpt and its source") },
};

/*
 * The menus of the combo rows: AdwComboRow's own cuts its items at some
 * twenty characters ("One image every N da…", "2× (twice as many pix…");
 * these wrap long ones instead, with the check mark on the chosen one.
 */
static void
update_check (GtkListItem *item)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  AdwComboRow *row = g_object_get_data (G_OBJECT (item), "chrono-row");

  if (box == NULL || row == NULL)
    return;
  gtk_widget_set_opacity (gtk_widget_get_last_child (box),
                          gtk_list_item_get_position (item) == adw_combo_row_get_selected (row) ? 1 : 0);
}

static void
on_list_item_setup (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 34);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
}

static void
on_list_item_bind (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   AdwComboRow              *row)
{
  GtkWidget *box = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)),
                      gtk_string_object_get_string (gtk_list_item_get_item (item)));
  g_object_set_data (G_OBJECT (item), "chrono-row", row);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (update_check), item, G_CONNECT_SWAPPED);
  update_check (item);
}

static void
on_list_item_unbind (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     AdwComboRow              *row)
{
  g_signal_handlers_disconnect_by_func (row, update_check, item);
  g_object_set_data (G_OBJECT (item), "chrono-row", NULL);
}

static void
set_wrapping_menu (GtkWidget *row)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (on_list_item_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_list_item_bind), row);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_list_item_unbind), row);
  adw_combo_row_set_list_factory (ADW_COMBO_ROW (row), factory);
}

static GtkWidget *
new_combo_row (const char   *title,
               const char  **items,
               guint         selected)
{
  g_autoptr (GtkStringList) model = gtk_string_list_new (NULL);
  GtkWidget *row = adw_combo_row_new ();

  for (guint i = 0; items[i] != NULL; i++)
    gtk_string_list_append (model, _(items[i]));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  set_wrapping_menu (row);
  /* The choice under the title, where it has the row's width */
  adw_combo_row_set_use_subtitle (ADW_COMBO_ROW (row), TRUE);
  return row;
}

/* The size presets, and with @window_width > 0, the window's own size after them */
static GtkWidget *
new_size_row (int  window_width,
              int  window_height,
              guint selected)
{
  g_autoptr (GtkStringList) sizes = gtk_string_list_new (NULL);
  GtkWidget *row = adw_combo_row_new ();

  for (guint i = 0; i < CHRONO_SNAPSHOT_N_PRESETS; i++)
    gtk_string_list_append (sizes, chrono_snapshot_preset_get_label (i));
  if (window_width > 0)
    {
      /* Translators: the size of the window, e.g. "Current Window (1280×800)" */
      g_autofree char *current = g_strdup_printf (_("Current Window (%d×%d)"), window_width, window_height);

      gtk_string_list_append (sizes, current);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Size"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (sizes));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  set_wrapping_menu (row);
  /* The choice under the title, where it has the row's width */
  adw_combo_row_set_use_subtitle (ADW_COMBO_ROW (row), TRUE);
  return row;
}

static GtkWidget *
new_header (AdwWindow   *window,
            const char  *title,
            const char  *action_label,
            GtkWidget  **out_action,
            GtkWidget  **out_cancel)
{
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *action = gtk_button_new_with_mnemonic (action_label);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, NULL));
  gtk_widget_add_css_class (action, "suggested-action");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), action);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), window);

  *out_action = action;
  if (out_cancel != NULL)
    *out_cancel = cancel;
  return header;
}

/* ChronoExportDialog: options on the right, the image as it will be on the left. */

struct _ChronoExportDialog
{
  AdwWindow              parent_instance;

  ChronoSnapshot        *snapshot;
  ChronoSnapshotOptions *options;
  int                    window_width;
  int                    window_height;

  GtkWidget             *preview;
  GtkWidget             *spinner;
  GtkWidget             *export_button;
  GtkWidget             *size_row;
  GtkWidget             *scale_row;
  GtkWidget             *style_row;
  GtkWidget             *title_row;
  GtkWidget             *part_rows[G_N_ELEMENTS (parts)];
  GtkWidget             *error_label;

  GdkTexture            *preview_texture;
  GCancellable          *preview_cancellable;
  GCancellable          *export_cancellable;
  guint                  preview_timeout;
};

G_DEFINE_FINAL_TYPE (ChronoExportDialog, chrono_export_dialog, ADW_TYPE_WINDOW)

static guint export_signals[N_SIGNALS];

static void
read_options (ChronoExportDialog *self)
{
  guint size = adw_combo_row_get_selected (ADW_COMBO_ROW (self->size_row));
  const char *title = gtk_editable_get_text (GTK_EDITABLE (self->title_row));
  ChronoSnapshotInclude include = self->options->include & CHRONO_SNAPSHOT_INCLUDE_TITLE;

  if (size < CHRONO_SNAPSHOT_N_PRESETS)
    chrono_snapshot_preset_get_size (size, &self->options->width, &self->options->height);
  else
    {
      self->options->width = self->window_width;
      self->options->height = self->window_height;
    }
  self->options->scale = adw_combo_row_get_selected (ADW_COMBO_ROW (self->scale_row)) == 1 ? 2 : 1;
  self->options->style = adw_combo_row_get_selected (ADW_COMBO_ROW (self->style_row));

  /* An empty title leaves the band out */
  include = title[0] != '\0' ? CHRONO_SNAPSHOT_INCLUDE_TITLE : 0;
  chrono_snapshot_options_set_title (self->options, title);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (gtk_switch_get_active (GTK_SWITCH (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (self->part_rows[i])))))
      include |= parts[i].flag;
  self->options->include = include;
}

static void
on_preview_rendered (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr (ChronoExportDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = NULL;

  texture = chrono_snapshot_render_finish (CHRONO_SNAPSHOT (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_widget_set_visible (self->error_label, texture == NULL);
  if (texture == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->error_label), error->message);
      return;
    }

  g_set_object (&self->preview_texture, texture);
  gtk_picture_set_paintable (GTK_PICTURE (self->preview), GDK_PAINTABLE (texture));
}

static gboolean
update_preview (gpointer user_data)
{
  ChronoExportDialog *self = user_data;
  g_autoptr (ChronoSnapshotOptions) preview = NULL;

  self->preview_timeout = 0;
  read_options (self);

  /* The preview shows the image at scale 1: the same layout, drawn faster */
  preview = chrono_snapshot_options_copy (self->options);
  preview->scale = 1;

  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  self->preview_cancellable = g_cancellable_new ();
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  chrono_snapshot_render_async (self->snapshot, preview, self->preview_cancellable,
                                on_preview_rendered, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
queue_preview (ChronoExportDialog *self)
{
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  self->preview_timeout = g_timeout_add (PREVIEW_DELAY_MS, update_preview, self);
}

typedef struct
{
  ChronoExportDialog *dialog;
  GFile              *file;
} SaveData;

static void
on_export_rendered (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SaveData *data = user_data;
  ChronoExportDialog *self = data->dialog;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = NULL;

  texture = chrono_snapshot_render_finish (CHRONO_SNAPSHOT (object), result, NULL, &error);
  if (texture != NULL && chrono_snapshot_save_png (texture, data->file, &error))
    {
      g_autofree char *name = g_file_get_basename (data->file);
      /* Translators: %s is a file name */
      g_autofree char *text = g_strdup_printf (_("Snapshot saved as “%s”"), name);

      g_signal_emit (self, export_signals[SIGNAL_FINISHED], 0, text);
      gtk_window_close (GTK_WINDOW (self));
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_spinner_stop (GTK_SPINNER (self->spinner));
      gtk_widget_set_sensitive (self->export_button, TRUE);
      gtk_label_set_text (GTK_LABEL (self->error_label), error->message);
      gtk_widget_set_visible (self->error_label, TRUE);
    }

  g_object_unref (data->file);
  g_object_unref (data->dialog);
  g_free (data);
}

static void
on_save_response (GtkNativeDialog    *chooser,
                  int                 response,
                  ChronoExportDialog *self)
{
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);
  if (file == NULL)
    return;

  chrono_export_dialog_save (self, file);
}

/**
 * chrono_export_dialog_save:
 * @self: the dialog
 * @file: where to write the PNG
 *
 * Renders the snapshot as the options say, at full size, and writes it to
 * @file; the dialog closes once it is written, or shows what went wrong.
 */
void
chrono_export_dialog_save (ChronoExportDialog *self,
                           GFile              *file)
{
  SaveData *data = g_new0 (SaveData, 1);

  g_return_if_fail (CHRONO_IS_EXPORT_DIALOG (self));

  read_options (self);
  data->dialog = g_object_ref (self);
  data->file = g_object_ref (file);
  gtk_widget_set_sensitive (self->export_button, FALSE);
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  g_clear_object (&self->export_cancellable);
  self->export_cancellable = g_cancellable_new ();
  chrono_snapshot_render_async (self->snapshot, self->options, self->export_cancellable,
                                on_export_rendered, data);
}

static void
on_export_clicked (ChronoExportDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) png = gtk_file_filter_new ();
  g_autofree char *iso = chrono_day_to_iso (self->options->day);
  g_autofree char *name = g_strdup_printf ("chronotope-%s.png", iso);

  chooser = gtk_file_chooser_native_new (_("Save Snapshot"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_filter_set_name (png, _("PNG images"));
  gtk_file_filter_add_mime_type (png, "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), png);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
chrono_export_dialog_dispose (GObject *object)
{
  ChronoExportDialog *self = CHRONO_EXPORT_DIALOG (object);

  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->preview_cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_object (&self->preview_texture);
  g_clear_object (&self->snapshot);
  g_clear_pointer (&self->options, chrono_snapshot_options_free);

  G_OBJECT_CLASS (chrono_export_dialog_parent_class)->dispose (object);
}

static void
chrono_export_dialog_class_init (ChronoExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = chrono_export_dialog_dispose;

  /**
   * ChronoExportDialog::finished:
   * @text: a sentence saying what was written
   */
  export_signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
chrono_export_dialog_init (ChronoExportDialog *self)
{
}

static GtkWidget *
new_preview_area (GtkWidget **out_picture,
                  GtkWidget **out_spinner,
                  GtkWidget **out_error)
{
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  *out_picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (*out_picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (*out_picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_size_request (*out_picture, 480, 300);
  gtk_frame_set_child (GTK_FRAME (frame), *out_picture);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), frame);

  *out_spinner = gtk_spinner_new ();
  gtk_widget_set_size_request (*out_spinner, 32, 32);
  gtk_widget_set_halign (*out_spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (*out_spinner, GTK_ALIGN_CENTER);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), *out_spinner);

  *out_error = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (*out_error), TRUE);
  gtk_widget_add_css_class (*out_error, "error");
  gtk_widget_set_visible (*out_error, FALSE);

  gtk_widget_set_hexpand (overlay, TRUE);
  gtk_widget_set_vexpand (overlay, TRUE);
  gtk_box_append (GTK_BOX (box), overlay);
  gtk_box_append (GTK_BOX (box), *out_error);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  return box;
}

/**
 * chrono_export_dialog_new:
 * @parent: the window the snapshot is of
 * @snapshot: the dataset, loaded for snapshots
 * @options: the snapshot the window would take now; the dialog edits a copy
 */
ChronoExportDialog *
chrono_export_dialog_new (GtkWindow             *parent,
                          ChronoSnapshot        *snapshot,
                          ChronoSnapshotOptions *options)
{
  ChronoExportDialog *self = g_object_new (CHRONO_TYPE_EXPORT_DIALOG,
                                           "modal", TRUE,
                                           "transient-for", parent,
                                           "default-width", 1100,
                                           "default-height", 640,
                                           "title", _("Export Snapshot"),
                                           NULL);
  const char *scales[] = { N_("1× (as sized)"), N_("2× (twice as many pixels, for print)"), NULL };
  const char *styles[] = { N_("Light"), N_("Dark"), N_("Neutral (no borders, no labels)"), NULL };
  GtkWidget *content, *body, *page, *image_group, *contents_group;
  guint size = SIZE_CURRENT_WINDOW;

  self->snapshot = g_object_ref (snapshot);
  self->options = chrono_snapshot_options_copy (options);
  self->window_width = gtk_widget_get_width (GTK_WIDGET (parent));
  self->window_height = gtk_widget_get_height (GTK_WIDGET (parent));
  if (self->window_width <= 0 || self->window_height <= 0)
    gtk_window_get_default_size (parent, &self->window_width, &self->window_height);

  for (guint i = 0; i < CHRONO_SNAPSHOT_N_PRESETS; i++)
    {
      int w, h;

      chrono_snapshot_preset_get_size (i, &w, &h);
      if (w == options->width && h == options->height)
        size = i;
    }

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (content), new_header (ADW_WINDOW (self), _("Export Snapshot"), _("_Export…"),
                                                 &self->export_button, NULL));
  body = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_vexpand (body, TRUE);
  gtk_box_append (GTK_BOX (body), new_preview_area (&self->preview, &self->spinner, &self->error_label));

  page = adw_preferences_page_new ();
  gtk_widget_set_size_request (page, 380, -1);
  image_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (image_group), _("Image"));
  self->size_row = new_size_row (self->window_width, self->window_height, size);
  self->scale_row = new_combo_row (_("Scale"), scales, options->scale == 2 ? 1 : 0);
  self->style_row = new_combo_row (_("Map Style"), styles, options->style);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (image_group), self->size_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (image_group), self->scale_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (image_group), self->style_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (image_group));

  contents_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (contents_group), _("Contents"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (contents_group),
                                         _("The map and the attribution of its data are always included."));
  self->title_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->title_row), _("Title"));
  gtk_editable_set_text (GTK_EDITABLE (self->title_row),
                         options->title != NULL ? options->title : chrono_snapshot_get_title (snapshot));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (contents_group), self->title_row);
  g_signal_connect_swapped (self->title_row, "changed", G_CALLBACK (queue_preview), self);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(parts[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(parts[i].subtitle));
      gtk_switch_set_active (GTK_SWITCH (toggle), (options->include & parts[i].flag) != 0);
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      g_signal_connect_swapped (toggle, "notify::active", G_CALLBACK (queue_preview), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (contents_group), row);
      self->part_rows[i] = row;
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (contents_group));
  gtk_box_append (GTK_BOX (body), page);
  gtk_box_append (GTK_BOX (content), body);
  adw_window_set_content (ADW_WINDOW (self), content);

  g_signal_connect_swapped (self->size_row, "notify::selected", G_CALLBACK (queue_preview), self);
  g_signal_connect_swapped (self->scale_row, "notify::selected", G_CALLBACK (queue_preview), self);
  g_signal_connect_swapped (self->style_row, "notify::selected", G_CALLBACK (queue_preview), self);
  g_signal_connect_swapped (self->export_button, "clicked", G_CALLBACK (on_export_clicked), self);

  read_options (self);
  update_preview (self);
  return self;
}

/**
 * chrono_export_dialog_select_size:
 * @self: the dialog
 * @preset: a size preset, or %CHRONO_SNAPSHOT_N_PRESETS for the window's size
 * @scale: 1 or 2
 *
 * Chooses a size and scale, as a person would in the menus.
 */
void
chrono_export_dialog_select_size (ChronoExportDialog  *self,
                                  ChronoSnapshotPreset preset,
                                  int                  scale)
{
  g_return_if_fail (CHRONO_IS_EXPORT_DIALOG (self));

  adw_combo_row_set_selected (ADW_COMBO_ROW (self->size_row), preset);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->scale_row), scale == 2 ? 1 : 0);
}

/* The options as the dialog has them now. */
ChronoSnapshotOptions *
chrono_export_dialog_get_options (ChronoExportDialog *self)
{
  g_return_val_if_fail (CHRONO_IS_EXPORT_DIALOG (self), NULL);

  read_options (self);
  return self->options;
}

/* The last preview drawn, or NULL before the first. */
GdkTexture *
chrono_export_dialog_get_preview (ChronoExportDialog *self)
{
  g_return_val_if_fail (CHRONO_IS_EXPORT_DIALOG (self), NULL);

  return self->preview_texture;
}

/* ChronoHandoutDialog: what to write, then a progress bar that can be cancelled. */

struct _ChronoHandoutDialog
{
  AdwWindow              parent_instance;

  ChronoSnapshot        *snapshot;
  ChronoSnapshotOptions *options;

  GtkWidget             *export_button;
  GtkWidget             *cancel_button;
  GtkWidget             *mode_row;
  GtkWidget             *step_row;
  GtkWidget             *from_row;
  GtkWidget             *to_row;
  GtkWidget             *size_row;
  GtkWidget             *format_row;
  GtkWidget             *count_label;
  GtkWidget             *progress;
  GtkWidget             *page;

  GCancellable          *cancellable;
};

G_DEFINE_FINAL_TYPE (ChronoHandoutDialog, chrono_handout_dialog, ADW_TYPE_WINDOW)

static guint handout_signals[N_SIGNALS];

static gboolean
read_range (ChronoHandoutDialog *self,
            ChronoDay           *from,
            ChronoDay           *to)
{
  const char *texts[2] = { gtk_editable_get_text (GTK_EDITABLE (self->from_row)),
                           gtk_editable_get_text (GTK_EDITABLE (self->to_row)) };
  ChronoDay *days[2] = { from, to };

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (ChronoEdtf) date = chrono_edtf_parse (texts[i], NULL);

      if (texts[i][0] == '\0')
        *days[i] = i == 0 ? CHRONO_DAY_NEGATIVE_INFINITY : CHRONO_DAY_POSITIVE_INFINITY;
      else if (date != NULL)
        *days[i] = i == 0 ? chrono_edtf_get_earliest (date) : chrono_edtf_get_latest (date);
      else
        return FALSE;
    }
  return TRUE;
}

static ChronoHandoutMode
read_mode (ChronoHandoutDialog *self,
           guint               *step)
{
  *step = (guint) gtk_spin_button_get_value_as_int (g_object_get_data (G_OBJECT (self->step_row), "spin"));
  return adw_combo_row_get_selected (ADW_COMBO_ROW (self->mode_row));
}

static void
update_count (ChronoHandoutDialog *self)
{
  g_autoptr (GArray) days = NULL;
  ChronoDay from, to;
  ChronoHandoutMode mode;
  guint step, n;
  g_autofree char *text = NULL;

  mode = read_mode (self, &step);
  gtk_widget_set_sensitive (self->step_row, mode != CHRONO_HANDOUT_PER_EVENT && mode != CHRONO_HANDOUT_TOUR);
  if (!read_range (self, &from, &to))
    {
      gtk_label_set_text (GTK_LABEL (self->count_label), _("Write dates as 2023-09-19, 2023-09 or 2023."));
      gtk_widget_set_sensitive (self->export_button, FALSE);
      return;
    }

  n = chrono_snapshot_plan_handout (self->snapshot, mode, MAX (step, 1), from, to, &days, NULL);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image", "%u images", n), n);
  gtk_label_set_text (GTK_LABEL (self->count_label), text);
  gtk_widget_set_sensitive (self->export_button, n > 0);
}

static void
on_handout_progress (guint    done,
                     guint    total,
                     gpointer user_data)
{
  ChronoHandoutDialog *self = user_data;
  g_autofree char *text = g_strdup_printf (_("%u of %u"), done, total);

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), total > 0 ? (double) done / total : 0);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress), text);
}

static void
on_handout_written (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (ChronoHandoutDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  guint n;

  n = chrono_snapshot_export_handout_finish (CHRONO_SNAPSHOT (object), result, &error);
  g_clear_object (&self->cancellable);
  if (error == NULL)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "Handout of %u image written",
                                                            "Handout of %u images written", n), n);

      g_signal_emit (self, handout_signals[SIGNAL_FINISHED], 0, text);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  gtk_widget_set_sensitive (self->page, TRUE);
  gtk_widget_set_sensitive (self->export_button, TRUE);
  gtk_widget_set_visible (self->progress, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    gtk_label_set_text (GTK_LABEL (self->count_label), _("Cancelled: the images of this run were removed."));
  else
    gtk_label_set_text (GTK_LABEL (self->count_label), error->message);
}

/**
 * chrono_handout_dialog_export:
 * @self: the dialog
 * @file: the folder to write the images and their index into, or a file
 *   whose name ends in ".pdf" for one PDF of them
 *
 * Writes the handout the dialog describes, showing progress; the Cancel
 * button stops it and removes what it wrote.
 */
void
chrono_handout_dialog_export (ChronoHandoutDialog *self,
                              GFile               *file)
{
  ChronoDay from, to;
  ChronoHandoutMode mode;
  guint step;
  guint size = adw_combo_row_get_selected (ADW_COMBO_ROW (self->size_row));

  g_return_if_fail (CHRONO_IS_HANDOUT_DIALOG (self));

  mode = read_mode (self, &step);
  if (!read_range (self, &from, &to))
    return;
  if (size < CHRONO_SNAPSHOT_N_PRESETS)
    chrono_snapshot_preset_get_size (size, &self->options->width, &self->options->height);
  /* Every image shows its own event(s), wherever they are */
  self->options->has_view = FALSE;
  self->options->event_rowid = 0;
  chrono_snapshot_options_set_event_id (self->options, NULL);

  gtk_widget_set_sensitive (self->page, FALSE);
  gtk_widget_set_sensitive (self->export_button, FALSE);
  gtk_widget_set_visible (self->progress, TRUE);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), 0);
  self->cancellable = g_cancellable_new ();
  chrono_snapshot_export_handout_async (self->snapshot, self->options, file, mode, MAX (step, 1),
                                        from, to, self->cancellable, on_handout_progress, self,
                                        on_handout_written, g_object_ref (self));
}

static void
on_folder_response (GtkNativeDialog     *chooser,
                    int                  response,
                    ChronoHandoutDialog *self)
{
  g_autoptr (GFile) folder = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);
  if (folder != NULL)
    chrono_handout_dialog_export (self, folder);
}

/* The choices of the format menu */
enum
{
  FORMAT_FOLDER,
  FORMAT_PDF,
};

static void
on_pdf_response (GtkNativeDialog     *chooser,
                 int                  response,
                 ChronoHandoutDialog *self)
{
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);
  if (file == NULL)
    return;

  /* The name says it is one PDF */
  if (!chrono_snapshot_is_pdf_file (file))
    {
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *with_pdf = g_strconcat (path, ".pdf", NULL);
      g_autoptr (GFile) pdf = g_file_new_for_path (with_pdf);

      chrono_handout_dialog_export (self, pdf);
      return;
    }
  chrono_handout_dialog_export (self, file);
}

static void
on_handout_export_clicked (ChronoHandoutDialog *self)
{
  GtkFileChooserNative *chooser;

  if (adw_combo_row_get_selected (ADW_COMBO_ROW (self->format_row)) == FORMAT_PDF)
    {
      g_autoptr (GtkFileFilter) pdf = gtk_file_filter_new ();

      chooser = gtk_file_chooser_native_new (_("Save Handout"), GTK_WINDOW (self),
                                             GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
      gtk_file_filter_set_name (pdf, _("PDF documents"));
      gtk_file_filter_add_mime_type (pdf, "application/pdf");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), pdf);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("handout.pdf"));
      gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
      g_signal_connect (chooser, "response", G_CALLBACK (on_pdf_response), self);
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
      return;
    }

  chooser = gtk_file_chooser_native_new (_("Choose a Folder for the Handout"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_folder_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
chrono_handout_dialog_close_request (GtkWindow *window)
{
  ChronoHandoutDialog *self = CHRONO_HANDOUT_DIALOG (window);

  /* Closing while writing cancels; the dialog goes once the run has stopped */
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (chrono_handout_dialog_parent_class)->close_request (window);
}

static void
on_handout_cancel_clicked (ChronoHandoutDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
chrono_handout_dialog_dispose (GObject *object)
{
  ChronoHandoutDialog *self = CHRONO_HANDOUT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->snapshot);
  g_clear_pointer (&self->options, chrono_snapshot_options_free);

  G_OBJECT_CLASS (chrono_handout_dialog_parent_class)->dispose (object);
}

static void
chrono_handout_dialog_class_init (ChronoHandoutDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = chrono_handout_dialog_dispose;
  window_class->close_request = chrono_handout_dialog_close_request;

  handout_signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
chrono_handout_dialog_init (ChronoHandoutDialog *self)
{
}

/**
 * chrono_handout_dialog_new:
 * @parent: the main window
 * @snapshot: the dataset, loaded for snapshots
 * @options: how every image looks (size, style, parts); a copy is kept
 */
ChronoHandoutDialog *
chrono_handout_dialog_new (GtkWindow             *parent,
                           ChronoSnapshot        *snapshot,
                           ChronoSnapshotOptions *options)
{
  ChronoHandoutDialog *self = g_object_new (CHRONO_TYPE_HANDOUT_DIALOG,
                                            "modal", TRUE,
                                            "transient-for", parent,
                                            "default-width", 560,
                                            "title", _("Export Handout"),
                                            NULL);
  /* In the order of ChronoHandoutMode; the tour's steps only with a tour */
  const char *modes[] = { N_("One per event"), N_("One every N days"),
                          N_("One every N weeks"), N_("One every N months"),
                          N_("One per step of the tour"), NULL };
  const char *formats[] = { N_("PNG images in a folder"), N_("One PDF document"), NULL };
  GtkWidget *content, *group, *status;
  GtkAdjustment *adjustment;

  self->snapshot = g_object_ref (snapshot);
  self->options = chrono_snapshot_options_copy (options);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (content), new_header (ADW_WINDOW (self), _("Export Handout"), _("_Export…"),
                                                 &self->export_button, &self->cancel_button));
  /* The header's Cancel stops a run rather than closing at once */
  g_signal_handlers_disconnect_by_func (self->cancel_button, gtk_window_close, self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (on_handout_cancel_clicked), self);

  self->page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (self->page, TRUE);
  group = adw_preferences_group_new ();
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Numbered images with an index of their dates, titles and sources: "
                                           "in a folder, or as the pages of one PDF."));
  if (chrono_snapshot_get_n_tour_steps (snapshot) == 0)
    modes[CHRONO_HANDOUT_TOUR] = NULL;
  /* A dataset with a tour is handed out as its tour first */
  self->mode_row = new_combo_row (_("Images"), modes,
                                  chrono_snapshot_get_n_tour_steps (snapshot) > 0 ? CHRONO_HANDOUT_TOUR
                                                                                  : CHRONO_HANDOUT_PER_EVENT);
  self->format_row = new_combo_row (_("Format"), formats, FORMAT_FOLDER);
  adjustment = gtk_adjustment_new (1, 1, 365, 1, 7, 0);
  self->step_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->step_row), _("N"));
  {
    GtkWidget *spin = gtk_spin_button_new (adjustment, 1, 0);

    gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
    adw_action_row_add_suffix (ADW_ACTION_ROW (self->step_row), spin);
    g_object_set_data (G_OBJECT (self->step_row), "spin", spin);
    g_signal_connect_swapped (spin, "value-changed", G_CALLBACK (update_count), self);
  }

  /* Empty: from the first event, to the last */
  self->from_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->from_row), _("From (empty: the first event)"));
  self->to_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->to_row), _("To (empty: the last event)"));

  self->size_row = new_size_row (0, 0, CHRONO_SNAPSHOT_PRESET_1080P);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->mode_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->step_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->from_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->to_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->size_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->format_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (group));
  gtk_box_append (GTK_BOX (content), self->page);

  status = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (status, 18);
  gtk_widget_set_margin_end (status, 18);
  gtk_widget_set_margin_bottom (status, 18);
  self->count_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->count_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->count_label), 0);
  gtk_widget_add_css_class (self->count_label, "dim-label");
  self->progress = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (self->progress), TRUE);
  gtk_widget_set_visible (self->progress, FALSE);
  gtk_box_append (GTK_BOX (status), self->count_label);
  gtk_box_append (GTK_BOX (status), self->progress);
  gtk_box_append (GTK_BOX (content), status);
  adw_window_set_content (ADW_WINDOW (self), content);

  g_signal_connect_swapped (self->mode_row, "notify::selected", G_CALLBACK (update_count), self);
  g_signal_connect_swapped (self->from_row, "changed", G_CALLBACK (update_count), self);
  g_signal_connect_swapped (self->to_row, "changed", G_CALLBACK (update_count), self);
  g_signal_connect_swapped (self->export_button, "clicked", G_CALLBACK (on_handout_export_clicked), self);

  update_count (self);
  return self;
}

/**
 * chrono_handout_dialog_select:
 * @self: the dialog
 * @mode: what each image is of
 * @step: with the EVERY modes, N
 * @pdf: one PDF document rather than a folder of images
 *
 * Chooses what the handout holds, as a person would in the menus.
 */
void
chrono_handout_dialog_select (ChronoHandoutDialog *self,
                              ChronoHandoutMode    mode,
                              guint                step,
                              gboolean             pdf)
{
  g_return_if_fail (CHRONO_IS_HANDOUT_DIALOG (self));
  g_return_if_fail (mode < g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (self->mode_row))));

  adw_combo_row_set_selected (ADW_COMBO_ROW (self->mode_row), mode);
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (self->step_row), "spin"), MAX (step, 1));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->format_row), pdf ? FORMAT_PDF : FORMAT_FOLDER);
}

/* The row that chooses which images a handout has */
AdwComboRow *
chrono_handout_dialog_get_mode_row (ChronoHandoutDialog *self)
{
  g_return_val_if_fail (CHRONO_IS_HANDOUT_DIALOG (self), NULL);

  return ADW_COMBO_ROW (self->mode_row);
}
