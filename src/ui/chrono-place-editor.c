/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-place-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "chrono-place-editor.h"
#include "chrono-source-editor.h"

/*
 * The place editor: a place's names, each in a language with how it is used
 * (official, local, common, historical), its kind and where it is. Save
 * applies one command, which one undo takes back; "saved" gives the id of
 * the place, new or edited, for the window to select it.
 */

struct _ChronoPlaceEditor
{
  AdwWindow            parent_instance;

  AdwWindowTitle      *window_title;
  GtkWidget           *save_button;
  GtkLabel            *error_label;
  AdwPreferencesGroup *names_group;
  AdwComboRow         *kind_row;
  GtkSpinButton       *lat_spin;
  GtkSpinButton       *lon_spin;

  ChronoDocument      *document;
  char                *place_id;     /* NULL until a new place is saved */
  GPtrArray           *name_rows;    /* of AdwEntryRow, owned by names_group */
  char               **languages;
  GPtrArray           *kinds;        /* of char *: the kind row's codes */
  char                *geometry;
  char                *note;
  gboolean             valid;
};

G_DEFINE_FINAL_TYPE (ChronoPlaceEditor, chrono_place_editor, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The usages a name row offers: NULL is "not given" */
static const char * const usages[] = { NULL, "official", "local", "common", "historical", "variant" };

static const char *
usage_label (const char *usage)
{
  if (usage == NULL)
    return C_("name usage", "Usage not given");
  if (g_str_equal (usage, "official"))
    return C_("name usage", "Official");
  if (g_str_equal (usage, "local"))
    return C_("name usage", "Local");
  if (g_str_equal (usage, "common"))
    return C_("name usage", "Common");
  if (g_str_equal (usage, "historical"))
    return C_("name usage", "Historical");
  if (g_str_equal (usage, "variant"))
    return C_("name usage", "Variant");
  return usage;
}

static const char *
kind_label (const char *kind)
{
  static const struct { const char *code; const char *label; } labels[] = {
    { "point", NC_("place kind", "Point") },
    { "town", NC_("place kind", "Town") },
    { "line", NC_("place kind", "Line") },
    { "area", NC_("place kind", "Area") },
    { "city", NC_("place kind", "City") },
    { "village", NC_("place kind", "Village") },
    { "region", NC_("place kind", "Region") },
    { "country", NC_("place kind", "Country") },
    { "route", NC_("place kind", "Route") },
    { "site", NC_("place kind", "Site") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (kind, labels[i].code))
      return g_dpgettext2 (GETTEXT_PACKAGE, "place kind", labels[i].label);

  return kind;
}

static void
update_form (ChronoPlaceEditor *self)
{
  guint n_names = 0;
  gboolean names_ok = TRUE;

  for (guint i = 0; i < self->name_rows->len; i++)
    {
      AdwEntryRow *row = g_ptr_array_index (self->name_rows, i);
      g_autofree char *name = chrono_editor_dup_text (row);
      GtkDropDown *lang = g_object_get_data (G_OBJECT (row), "lang");

      GtkEditable *when = g_object_get_data (G_OBJECT (row), "when");
      const char *when_text = gtk_editable_get_text (when);
      gboolean when_ok = TRUE;

      if (name != NULL)
        n_names++;
      /* A name needs a language */
      if (name != NULL && gtk_drop_down_get_selected (lang) == GTK_INVALID_LIST_POSITION)
        names_ok = FALSE;
      /* Its time of validity, if given, is EDTF: its reading is the tooltip */
      if (when_text[0] != '\0')
        {
          g_autoptr (GError) error = NULL;
          g_autofree char *reading = chrono_document_describe_date (when_text, &error);

          when_ok = reading != NULL;
          gtk_widget_set_tooltip_text (GTK_WIDGET (when), reading != NULL ? reading : error->message);
        }
      else
        gtk_widget_set_tooltip_text (GTK_WIDGET (when),
                                     _("When the name was in use, as EDTF: 1923/.. from 1923 on, ../1922 until 1922; empty for always"));
      chrono_editor_set_error (GTK_WIDGET (when), !when_ok);
      names_ok = names_ok && when_ok;
    }

  self->valid = n_names > 0 && names_ok && !chrono_document_get_read_only (self->document);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->valid);
}

static void
on_remove_name_clicked (GtkButton *button,
                        AdwEntryRow *row)
{
  ChronoPlaceEditor *self = CHRONO_PLACE_EDITOR (gtk_widget_get_root (GTK_WIDGET (button)));

  g_ptr_array_remove (self->name_rows, row);
  adw_preferences_group_remove (self->names_group, GTK_WIDGET (row));
  update_form (self);
}

static GtkDropDown *
new_drop_down (GtkStringList *labels,
               const char    *accessible_label)
{
  GtkWidget *drop_down = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (labels)), NULL);

  gtk_widget_set_valign (drop_down, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
  return GTK_DROP_DOWN (drop_down);
}

/**
 * chrono_place_editor_add_name:
 * @self: a place editor
 * @lang: (nullable): the name's language, or NULL for the dataset's first
 * @name: (nullable): the name
 * @usage: (nullable): how it is used
 *
 * Adds a row for a name, as "Add Name" does.
 *
 * Returns: (transfer none): the row, whose text is the name
 */
AdwEntryRow *
chrono_place_editor_add_name (ChronoPlaceEditor *self,
                              const char        *lang,
                              const char        *name,
                              const char        *usage)
{
  return chrono_place_editor_add_name_full (self, lang, name, usage, NULL);
}

/**
 * chrono_place_editor_add_name_full:
 * @when: (nullable): the EDTF date or interval in which the name is valid
 *
 * As chrono_place_editor_add_name(), with the name's time of validity.
 *
 * Returns: (transfer none): the row
 */
AdwEntryRow *
chrono_place_editor_add_name_full (ChronoPlaceEditor *self,
                                   const char        *lang,
                                   const char        *name,
                                   const char        *usage,
                                   const char        *when)
{
  GtkWidget *when_entry;
  AdwEntryRow *row;
  g_autoptr (GtkStringList) lang_labels = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) usage_labels = gtk_string_list_new (NULL);
  GtkDropDown *lang_drop_down;
  GtkDropDown *usage_drop_down;
  GtkWidget *remove;
  guint lang_selected = 0;
  guint usage_selected = 0;

  g_return_val_if_fail (CHRONO_IS_PLACE_EDITOR (self), NULL);

  row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Name"));
  gtk_editable_set_text (GTK_EDITABLE (row), name != NULL ? name : "");

  for (guint i = 0; self->languages[i] != NULL; i++)
    {
      gtk_string_list_append (lang_labels, chrono_language_get_name (self->languages[i]));
      if (g_strcmp0 (lang, self->languages[i]) == 0)
        lang_selected = i;
    }
  lang_drop_down = new_drop_down (lang_labels, _("Language"));
  gtk_drop_down_set_selected (lang_drop_down, lang_selected);

  for (guint i = 0; i < G_N_ELEMENTS (usages); i++)
    {
      gtk_string_list_append (usage_labels, usage_label (usages[i]));
      if (g_strcmp0 (usage, usages[i]) == 0)
        usage_selected = i;
    }
  usage_drop_down = new_drop_down (usage_labels, _("Usage"));
  gtk_drop_down_set_selected (usage_drop_down, usage_selected);

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove Name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Name"), -1);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_name_clicked), row);

  /* Names change with time: Khankendi until 1922, Stepanakert from 1923 */
  when_entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (when_entry), when != NULL ? when : "");
  gtk_entry_set_placeholder_text (GTK_ENTRY (when_entry), _("Always"));
  gtk_editable_set_width_chars (GTK_EDITABLE (when_entry), 9);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (when_entry), 12);
  gtk_widget_set_valign (when_entry, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (when_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Valid"), -1);

  adw_entry_row_add_suffix (row, GTK_WIDGET (lang_drop_down));
  adw_entry_row_add_suffix (row, GTK_WIDGET (usage_drop_down));
  adw_entry_row_add_suffix (row, when_entry);
  adw_entry_row_add_suffix (row, remove);
  g_object_set_data (G_OBJECT (row), "lang", lang_drop_down);
  g_object_set_data (G_OBJECT (row), "usage", usage_drop_down);
  g_object_set_data (G_OBJECT (row), "when", when_entry);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (update_form), self);
  g_signal_connect_swapped (when_entry, "changed", G_CALLBACK (update_form), self);
  chrono_editor_activate_on_enter (row, "editor.save");

  adw_preferences_group_add (self->names_group, GTK_WIDGET (row));
  g_ptr_array_add (self->name_rows, row);
  update_form (self);

  return row;
}

static void
add_name_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ChronoPlaceEditor *self = CHRONO_PLACE_EDITOR (widget);
  AdwEntryRow *row = chrono_place_editor_add_name (self, NULL, NULL, NULL);

  gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  chrono_place_editor_save (CHRONO_PLACE_EDITOR (widget));
}

static void
chrono_place_editor_dispose (GObject *object)
{
  ChronoPlaceEditor *self = CHRONO_PLACE_EDITOR (object);

  g_clear_object (&self->document);

  G_OBJECT_CLASS (chrono_place_editor_parent_class)->dispose (object);
}

static void
chrono_place_editor_finalize (GObject *object)
{
  ChronoPlaceEditor *self = CHRONO_PLACE_EDITOR (object);

  g_free (self->place_id);
  g_ptr_array_unref (self->name_rows);
  g_strfreev (self->languages);
  g_ptr_array_unref (self->kinds);
  g_free (self->geometry);
  g_free (self->note);

  G_OBJECT_CLASS (chrono_place_editor_parent_class)->finalize (object);
}

static void
chrono_place_editor_class_init (ChronoPlaceEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = chrono_place_editor_dispose;
  object_class->finalize = chrono_place_editor_finalize;

  /**
   * ChronoPlaceEditor::saved:
   * @id: the id of the place saved
   */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/chrono-place-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, ChronoPlaceEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, ChronoPlaceEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, ChronoPlaceEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, ChronoPlaceEditor, names_group);
  gtk_widget_class_bind_template_child (widget_class, ChronoPlaceEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoPlaceEditor, lat_spin);
  gtk_widget_class_bind_template_child (widget_class, ChronoPlaceEditor, lon_spin);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.add-name", NULL, add_name_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
chrono_place_editor_init (ChronoPlaceEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  chrono_editor_add_save_shortcut (GTK_WIDGET (self));
  self->name_rows = g_ptr_array_new ();
  self->kinds = g_ptr_array_new_with_free_func (g_free);
}

static void
add_kind (ChronoPlaceEditor *self,
          const char        *kind)
{
  if (kind == NULL)
    return;
  for (guint i = 0; i < self->kinds->len; i++)
    if (g_str_equal (g_ptr_array_index (self->kinds, i), kind))
      return;
  g_ptr_array_add (self->kinds, g_strdup (kind));
}

/**
 * chrono_place_editor_new:
 * @parent: the window to edit for
 * @document: the document the place is in
 * @place_id: (nullable): the place to edit, or NULL for a new one
 * @lat: where a new place is
 * @lon: where a new place is
 *
 * Returns: (transfer floating): the editor, not shown yet
 */
GtkWidget *
chrono_place_editor_new (GtkWindow      *parent,
                         ChronoDocument *document,
                         const char     *place_id,
                         double          lat,
                         double          lon)
{
  ChronoPlaceEditor *self;
  ChronoPlace *place = NULL;
  GPtrArray *places;
  g_autoptr (GtkStringList) kind_labels = gtk_string_list_new (NULL);
  const char *kind = "point";

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (document), NULL);

  self = g_object_new (CHRONO_TYPE_PLACE_EDITOR, "transient-for", parent, NULL);
  self->document = g_object_ref (document);
  self->languages = chrono_editor_dup_languages (document);
  if (place_id != NULL)
    place = chrono_document_find_place (document, place_id);

  gtk_window_set_title (GTK_WINDOW (self), place != NULL ? _("Edit Place") : _("New Place"));
  adw_window_title_set_title (self->window_title, place != NULL ? _("Edit Place") : _("New Place"));
  gtk_button_set_label (GTK_BUTTON (self->save_button), place != NULL ? _("_Save") : _("_Add"));

  if (place != NULL)
    {
      GPtrArray *names = chrono_place_get_names (place);

      self->place_id = g_strdup (place_id);
      self->geometry = g_strdup (chrono_place_get_geometry (place));
      self->note = g_strdup (chrono_place_get_note (place));
      if (chrono_place_get_kind (place) != NULL)
        kind = chrono_place_get_kind (place);
      lat = chrono_place_get_lat (place);
      lon = chrono_place_get_lon (place);
      for (guint i = 0; names != NULL && i < names->len; i++)
        {
          ChronoPlaceName *name = g_ptr_array_index (names, i);

          chrono_place_editor_add_name_full (self, name->lang, name->name, name->usage, name->when);
        }
    }
  else
    {
      chrono_place_editor_add_name (self, NULL, NULL, "common");
    }

  add_kind (self, "point");
  add_kind (self, "town");
  add_kind (self, "line");
  add_kind (self, "area");
  places = chrono_document_get_places (document);
  for (guint i = 0; places != NULL && i < places->len; i++)
    add_kind (self, chrono_place_get_kind (g_ptr_array_index (places, i)));
  add_kind (self, kind);
  for (guint i = 0; i < self->kinds->len; i++)
    {
      gtk_string_list_append (kind_labels, kind_label (g_ptr_array_index (self->kinds, i)));
      if (g_str_equal (kind, g_ptr_array_index (self->kinds, i)))
        adw_combo_row_set_selected (self->kind_row, i);
    }
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kind_labels));
  for (guint i = 0; i < self->kinds->len; i++)
    if (g_str_equal (kind, g_ptr_array_index (self->kinds, i)))
      adw_combo_row_set_selected (self->kind_row, i);

  gtk_spin_button_set_value (self->lat_spin, lat);
  gtk_spin_button_set_value (self->lon_spin, lon);

  chrono_editor_show_read_only (self->error_label, document);
  update_form (self);
  if (self->name_rows->len > 0)
    gtk_window_set_focus (GTK_WINDOW (self), g_ptr_array_index (self->name_rows, 0));
  return GTK_WIDGET (self);
}

/* The id of the place edited, or of the new one once saved */
const char *
chrono_place_editor_get_place_id (ChronoPlaceEditor *self)
{
  g_return_val_if_fail (CHRONO_IS_PLACE_EDITOR (self), NULL);

  return self->place_id;
}

/**
 * chrono_place_editor_save:
 * @self: a place editor
 *
 * Applies the form as one command and closes the editor; on failure the
 * editor stays open and says why.
 *
 * Returns: whether the place was saved
 */
gboolean
chrono_place_editor_save (ChronoPlaceEditor *self)
{
  g_autoptr (GPtrArray) langs = g_ptr_array_new ();
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) name_usages = g_ptr_array_new ();
  g_autoptr (GPtrArray) name_whens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  ChronoPlaceFields fields = { 0 };
  guint kind = adw_combo_row_get_selected (self->kind_row);
  gboolean saved;

  g_return_val_if_fail (CHRONO_IS_PLACE_EDITOR (self), FALSE);

  update_form (self);
  if (!self->valid)
    return FALSE;

  for (guint i = 0; i < self->name_rows->len; i++)
    {
      AdwEntryRow *row = g_ptr_array_index (self->name_rows, i);
      char *name = chrono_editor_dup_text (row);
      guint lang = gtk_drop_down_get_selected (g_object_get_data (G_OBJECT (row), "lang"));
      guint usage = gtk_drop_down_get_selected (g_object_get_data (G_OBJECT (row), "usage"));

      if (name == NULL)
        continue;
      g_ptr_array_add (names, name);
      g_ptr_array_add (langs, self->languages[lang]);
      g_ptr_array_add (name_usages, (gpointer) (usage < G_N_ELEMENTS (usages) ? usages[usage] : NULL));
      g_ptr_array_add (name_whens, g_strstrip (g_strdup (gtk_editable_get_text (g_object_get_data (G_OBJECT (row), "when")))));
    }

  fields.lat = gtk_spin_button_get_value (self->lat_spin);
  fields.lon = gtk_spin_button_get_value (self->lon_spin);
  fields.kind = kind < self->kinds->len ? g_ptr_array_index (self->kinds, kind) : NULL;
  /* A line or area keeps its shape; a point has none */
  fields.geometry = self->geometry;
  fields.note = self->note;
  fields.n_names = names->len;
  fields.name_langs = (const char * const *) langs->pdata;
  fields.names = (const char * const *) names->pdata;
  fields.name_usages = (const char * const *) name_usages->pdata;
  fields.name_whens = (const char * const *) name_whens->pdata;

  if (self->place_id != NULL)
    {
      saved = chrono_document_set_place (self->document, self->place_id, &fields, &error);
    }
  else
    {
      self->place_id = chrono_document_add_place (self->document, &fields, &error);
      saved = self->place_id != NULL;
    }

  if (!saved)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return FALSE;
    }

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, self->place_id);
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

/**
 * chrono_place_editor_set_shape:
 * @kind: "line" or "area"
 * @geometry: the GeoJSON geometry drawn on the map
 *
 * Gives a new place the shape drawn for it.
 */
void
chrono_place_editor_set_shape (ChronoPlaceEditor *self,
                               const char        *kind,
                               const char        *geometry)
{
  g_return_if_fail (CHRONO_IS_PLACE_EDITOR (self));
  g_return_if_fail (kind != NULL);

  g_free (self->geometry);
  self->geometry = g_strdup (geometry);
  for (guint i = 0; i < self->kinds->len; i++)
    if (g_str_equal (kind, g_ptr_array_index (self->kinds, i)))
      adw_combo_row_set_selected (self->kind_row, i);
}

guint
chrono_place_editor_get_n_names (ChronoPlaceEditor *self)
{
  return self->name_rows->len;
}

AdwComboRow *
chrono_place_editor_get_kind_row (ChronoPlaceEditor *self)
{
  return self->kind_row;
}

GtkWidget *
chrono_place_editor_get_save_button (ChronoPlaceEditor *self)
{
  return self->save_button;
}
