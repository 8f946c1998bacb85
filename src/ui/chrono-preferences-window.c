/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "chrono-mbtiles-source.h"
#include "chrono-preferences-window.h"

struct _ChronoPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkSpinButton        *afterglow_spin;
  AdwComboRow          *place_names_row;
  AdwComboRow          *basemap_row;
  AdwActionRow         *mbtiles_row;
  AdwComboRow          *style_row;
  GtkSwitch            *online_switch;

  ChronoWindow         *window;
  GSettings            *settings;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (ChronoPreferencesWindow, chrono_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_WINDOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The values of each key, in the order of its combo row's items. */
static const char * const place_name_nicks[] = { "ui-language", "local-official", "both", NULL };
static const char * const basemap_nicks[] = { "offline", "mbtiles", "osm", NULL };
static const char * const style_nicks[] = { "system", "light", "dark", "neutral", NULL };

static gboolean
get_selected_from_nick (GValue   *value,
                        GVariant *variant,
                        gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    if (g_str_equal (nicks[i], nick))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
set_nick_from_selected (const GValue       *value,
                        const GVariantType *type,
                        gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint selected = g_value_get_uint (value);

  if (selected >= g_strv_length ((char **) nicks))
    return NULL;

  return g_variant_new_string (nicks[selected]);
}

static void
bind_combo_row (ChronoPreferencesWindow *self,
                const char              *key,
                AdwComboRow             *row,
                const char * const      *nicks)
{
  g_settings_bind_with_mapping (self->settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                get_selected_from_nick, set_nick_from_selected,
                                (gpointer) nicks, NULL);
}

static void
update_map_rows (ChronoPreferencesWindow *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "mbtiles-path");
  g_autofree char *basemap = g_settings_get_string (self->settings, "basemap");
  gboolean online = g_settings_get_boolean (self->settings, "online-tiles-enabled");
  const char *subtitle = NULL;

  if (path[0] != '\0')
    {
      g_autofree char *display = g_filename_display_name (path);

      adw_action_row_set_subtitle (self->mbtiles_row, display);
    }
  else
    adw_action_row_set_subtitle (self->mbtiles_row, _("No file chosen"));

  if (g_str_equal (basemap, "osm") && !online)
    subtitle = _("Allow online map tiles below to use OpenStreetMap; until then the built-in map is shown");
  else if (g_str_equal (basemap, "mbtiles") && path[0] == '\0')
    subtitle = _("Choose an MBTiles file below; until then the built-in map is shown");
  else if (g_str_equal (basemap, "osm"))
    subtitle = _("Map data © OpenStreetMap contributors");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->basemap_row), subtitle);

  /* The style applies to the built-in map only. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->style_row), g_str_equal (basemap, "offline"));
}

static void
show_error (ChronoPreferencesWindow *self,
            const char              *heading,
            const char              *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_chooser_response (GtkNativeDialog         *chooser,
                     int                      response,
                     ChronoPreferencesWindow *self)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_error (self, _("Cannot Use This Map File"), _("Only files on this computer can be used as a basemap."));
      return;
    }

  if (!chrono_preferences_window_use_mbtiles (self, path, &error))
    show_error (self, _("Cannot Use This Map File"), error->message);
}

static void
choose_mbtiles_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ChronoPreferencesWindow *self = CHRONO_PREFERENCES_WINDOW (widget);
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose a Map File"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("MBTiles raster maps"));
  gtk_file_filter_add_pattern (filter, "*.mbtiles");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
chrono_preferences_window_constructed (GObject *object)
{
  ChronoPreferencesWindow *self = CHRONO_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (chrono_preferences_window_parent_class)->constructed (object);

  g_assert (CHRONO_IS_WINDOW (self->window));
  gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (self->window));
  self->settings = g_object_ref (chrono_window_get_settings (self->window));

  g_settings_bind (self->settings, "afterglow-days", self->afterglow_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "online-tiles-enabled", self->online_switch, "active", G_SETTINGS_BIND_DEFAULT);
  bind_combo_row (self, "place-name-policy", self->place_names_row, place_name_nicks);
  bind_combo_row (self, "basemap", self->basemap_row, basemap_nicks);
  bind_combo_row (self, "basemap-style", self->style_row, style_nicks);

  g_signal_connect_object (self->settings, "changed::basemap", G_CALLBACK (update_map_rows), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::mbtiles-path", G_CALLBACK (update_map_rows), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::online-tiles-enabled", G_CALLBACK (update_map_rows), self, G_CONNECT_SWAPPED);
  update_map_rows (self);
}

static void
chrono_preferences_window_dispose (GObject *object)
{
  ChronoPreferencesWindow *self = CHRONO_PREFERENCES_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->settings);
  g_clear_object (&self->window);

  gtk_widget_dispose_template (GTK_WIDGET (self), CHRONO_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (chrono_preferences_window_parent_class)->dispose (object);
}

static void
chrono_preferences_window_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  ChronoPreferencesWindow *self = CHRONO_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      g_value_set_object (value, self->window);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_preferences_window_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  ChronoPreferencesWindow *self = CHRONO_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      self->window = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_preferences_window_class_init (ChronoPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = chrono_preferences_window_constructed;
  object_class->dispose = chrono_preferences_window_dispose;
  object_class->get_property = chrono_preferences_window_get_property;
  object_class->set_property = chrono_preferences_window_set_property;

  /* The main window whose settings and map these are. */
  properties[PROP_WINDOW] =
    g_param_spec_object ("window", NULL, NULL, CHRONO_TYPE_WINDOW,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/chrono-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ChronoPreferencesWindow, afterglow_spin);
  gtk_widget_class_bind_template_child (widget_class, ChronoPreferencesWindow, place_names_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoPreferencesWindow, basemap_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoPreferencesWindow, mbtiles_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoPreferencesWindow, online_switch);

  gtk_widget_class_install_action (widget_class, "prefs.choose-mbtiles", NULL, choose_mbtiles_action);
}

static void
chrono_preferences_window_init (ChronoPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * chrono_preferences_window_new:
 * @window: the main window, which must have settings
 *
 * Returns: (transfer floating): the preferences of @window, transient for it
 */
ChronoPreferencesWindow *
chrono_preferences_window_new (ChronoWindow *window)
{
  g_return_val_if_fail (CHRONO_IS_WINDOW (window), NULL);
  g_return_val_if_fail (chrono_window_get_settings (window) != NULL, NULL);

  return g_object_new (CHRONO_TYPE_PREFERENCES_WINDOW, "window", window, NULL);
}

/**
 * chrono_preferences_window_use_mbtiles:
 * @path: an MBTiles file
 *
 * Checks that @path is an MBTiles file the map can draw (raster tiles),
 * and if so makes it the basemap.
 *
 * Returns: %TRUE if the basemap is now @path; else @error says why not
 */
gboolean
chrono_preferences_window_use_mbtiles (ChronoPreferencesWindow  *self,
                                       const char               *path,
                                       GError                  **error)
{
  g_autoptr (ShumateMapSource) source = NULL;

  g_return_val_if_fail (CHRONO_IS_PREFERENCES_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  source = chrono_mbtiles_source_new_map_source (path, error);
  if (source == NULL)
    return FALSE;

  g_settings_set_string (self->settings, "mbtiles-path", path);
  g_settings_set_string (self->settings, "basemap", "mbtiles");

  return TRUE;
}
