/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-application"

#include "config.h"

#include <glib/gi18n.h>

#include "chrono-application.h"
#include "chrono-basemap-source.h"
#include "chrono-ui-resources.h"
#include "chrono-cli.h"
#include "chrono-dataset.h"
#include "chrono-source.h"
#include "chrono-store.h"
#include "chrono-window.h"

struct _ChronoApplication
{
  AdwApplication  parent_instance;

  char           *start_date;
};

G_DEFINE_FINAL_TYPE (ChronoApplication, chrono_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "events-at", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Print the events in effect on DATE (an EDTF day such as 2023-05-01) and exit"), N_("DATE") },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --events-at, print JSON instead of text"), NULL },
  { "dataset", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Use the dataset in FILE (.chronotope or dataset .json) instead of the bundled one"), N_("FILE") },
  { "date", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Open the window at DATE"), N_("DATE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

static ChronoWindow *
get_or_create_window (ChronoApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (chrono_window_new (self));

  return CHRONO_WINDOW (window);
}

static int
chrono_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  ChronoApplication *self = CHRONO_APPLICATION (app);
  const char *events_at = NULL;
  const char *dataset = NULL;
  const char *date = NULL;
  gboolean json = FALSE;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "events-at", "&s", &events_at);
  g_variant_dict_lookup (options, "dataset", "^&ay", &dataset);
  g_variant_dict_lookup (options, "json", "b", &json);
  g_variant_dict_lookup (options, "date", "&s", &date);

  /* Batch work runs here, before GTK is initialised, so it needs no display. */
  if (events_at != NULL)
    return chrono_cli_run_events_at (events_at, json, dataset);

  if (json)
    {
      g_printerr (_("chronotope: --json only goes with --events-at\n"));
      return 2;
    }

  if (date != NULL)
    {
      g_autoptr (GError) error = NULL;

      if (!chrono_cli_check_day (date, NULL, &error))
        {
          g_printerr ("chronotope: --date: %s\n", error->message);
          return 2;
        }
      g_free (self->start_date);
      self->start_date = g_strdup (date);
    }

  return -1;
}

static void
chrono_application_activate (GApplication *app)
{
  ChronoApplication *self = CHRONO_APPLICATION (app);
  ChronoWindow *window = get_or_create_window (self);

  gtk_window_present (GTK_WINDOW (window));
}

static void
chrono_application_open (GApplication  *app,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  chrono_application_activate (app);
}

/* One credit line per document of the dataset: its outlet and title. */
static GStrv
dup_dataset_credits (ChronoStore *store)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr (GPtrArray) sources = NULL;
  g_autoptr (GError) error = NULL;

  if (store != NULL)
    sources = chrono_store_get_sources (store, &error);
  if (error != NULL)
    g_debug ("no sources for the credits: %s", error->message);

  for (guint i = 0; sources != NULL && i < sources->len; i++)
    {
      ChronoSource *source = g_ptr_array_index (sources, i);
      const char *outlet = chrono_source_get_outlet (source);
      const char *title = chrono_source_get_title (source);
      const char *url = chrono_source_get_url (source);
      g_autofree char *line = g_strdup_printf ("%s — %s", outlet != NULL ? outlet : _("unknown outlet"),
                                               title != NULL ? title : _("untitled"));

      /* A URL after the name makes the line a link. */
      if (url != NULL && (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://")))
        {
          g_autofree char *linked = g_strdup_printf ("%s %s", line, url);

          g_strv_builder_add (builder, linked);
        }
      else
        g_strv_builder_add (builder, line);
    }

  return g_strv_builder_end (builder);
}

static void
on_about_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  ChronoApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Chronotope developers", NULL };
  g_autoptr (ChronoStore) bundled = NULL;
  g_auto (GStrv) dataset_credits = NULL;
  g_auto (GStrv) basemap_credits = NULL;
  g_autofree char *basemap_license = NULL;
  ChronoStore *store = NULL;
  AdwAboutWindow *about;

  if (parent != NULL && CHRONO_IS_WINDOW (parent))
    store = chrono_window_get_store (CHRONO_WINDOW (parent));
  if (store == NULL)
    store = bundled = chrono_dataset_open_bundled (NULL);

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  g_object_set (about,
                "transient-for", parent,
                "application-name", _("Chronotope"),
                "application-icon", APPLICATION_ID,
                "developer-name", _("The Chronotope developers"),
                "developers", developers,
                "version", PACKAGE_VERSION,
                "license-type", GTK_LICENSE_GPL_3_0,
                "comments", _("Events on a map and through time"),
                NULL);

  /* Whose words and whose maps these are. */
  dataset_credits = dup_dataset_credits (store);
  if (dataset_credits[0] != NULL)
    adw_about_window_add_credit_section (about, _("Dataset Sources"), (const char **) dataset_credits);
  adw_about_window_add_legal_section (about, _("Dataset"), NULL, GTK_LICENSE_CUSTOM,
                                      _("The dataset of events, places and excerpts is offered under the "
                                        "Creative Commons Attribution 4.0 International license (CC-BY-4.0). "
                                        "Each excerpt is quoted from the source named with it."));

  basemap_credits = g_strsplit (chrono_basemap_get_attribution_full (), "\n", -1);
  for (guint i = 0, j = 0; ; i++)
    {
      /* No empty lines in the credits. */
      if (basemap_credits[i] == NULL || basemap_credits[i][0] != '\0')
        basemap_credits[j++] = basemap_credits[i];
      else
        g_free (basemap_credits[i]);
      if (basemap_credits[i] == NULL)
        break;
    }
  adw_about_window_add_credit_section (about, _("Basemap Data"), (const char **) basemap_credits);
  basemap_license = g_markup_escape_text (chrono_basemap_get_attribution_full (), -1);
  adw_about_window_add_legal_section (about, _("Offline Basemap"), NULL, GTK_LICENSE_CUSTOM, basemap_license);

  gtk_window_present (GTK_WINDOW (about));
}

static void
on_quit_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", on_about_action },
  { "quit", on_quit_action },
};

static void
chrono_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (chrono_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
chrono_application_finalize (GObject *object)
{
  ChronoApplication *self = CHRONO_APPLICATION (object);

  g_free (self->start_date);

  G_OBJECT_CLASS (chrono_application_parent_class)->finalize (object);
}

static void
chrono_application_class_init (ChronoApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = chrono_application_finalize;

  app_class->handle_local_options = chrono_application_handle_local_options;
  app_class->startup = chrono_application_startup;
  app_class->activate = chrono_application_activate;
  app_class->open = chrono_application_open;
}

static void
chrono_application_init (ChronoApplication *self)
{
  /* The resources live in a static library: referencing them keeps the
   * linker from dropping them, and registers them. */
  g_resources_register (chrono_ui_get_resource ());

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Show events on a map and through time."));
}

ChronoApplication *
chrono_application_new (void)
{
  return g_object_new (CHRONO_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

const char *
chrono_application_get_start_date (ChronoApplication *self)
{
  g_return_val_if_fail (CHRONO_IS_APPLICATION (self), NULL);

  return self->start_date;
}
