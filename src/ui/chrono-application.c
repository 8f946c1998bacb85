/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-application"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "chrono-application.h"
#include "chrono-basemap-source.h"
#include "chrono-ui-resources.h"
#include "chrono-cli.h"
#include "chrono-dataset.h"
#include "chrono-event.h"
#include "chrono-mbtiles-source.h"
#include "chrono-snapshot.h"
#include "chrono-source.h"
#include "chrono-store.h"
#include "chrono-window.h"

struct _ChronoApplication
{
  AdwApplication  parent_instance;

  char           *start_date;
  char           *start_dataset;  /* --dataset without a batch option: opened in the window */
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
  { "export-png", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write a snapshot of the map at --date to FILE (PNG) and exit, without a window"), N_("FILE") },
  { "export-handout", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write one numbered PNG per event (or per --every step, or per --tour step) and an index into FOLDER, or all of them as pages of one PDF if the name ends in .pdf, and exit"), N_("FOLDER|FILE.pdf") },
  { "size", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Image size: WIDTHxHEIGHT, or 1080p, 720p, 4k, a4, a4-landscape (default 1080p)"), N_("SIZE") },
  { "scale", 0, 0, G_OPTION_ARG_INT, NULL,
    N_("Pixel scale of the image: 1 or 2 (default 1)"), N_("N") },
  { "event", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --export-png, show the event with this id"), N_("ID") },
  { "style", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Basemap style: light, dark or neutral (default light)"), N_("STYLE") },
  { "basemap", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Draw the map from the raster tiles of FILE (MBTiles) instead of the offline basemap"), N_("FILE.mbtiles") },
  { "title", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Title of the image instead of the dataset's"), N_("TEXT") },
  { "every", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --export-handout, one image every N days, weeks or months (7d, 2w, 1m) instead of one per event"), N_("STEP") },
  { "tour", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --export-handout, one image per step of the dataset's tour, with the step's title, note and excerpts"), NULL },
  { "from", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --export-handout, the first date"), N_("DATE") },
  { "to", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --export-handout, the last date"), N_("DATE") },
  { "import", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Import FILE (CSV, GeoJSON, KML, KMZ, TimelineJS, StoryMapJS, Linked Places) into a new dataset, or into --into, and exit"), N_("FILE") },
  { "into", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("With --import, the dataset to import into (added to it if it exists)"), N_("DATASET") },
  { "format", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --import, the format of FILE instead of detecting it; with --export, the format to write (json, csv, geojson, kml, lpf)"), N_("FORMAT") },
  { "columns", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --import, which column holds what: ROLE=HEADER,… (roles: title, start, end, date, year, month, day, lat, lon, point, place, description, category, source, url)"), N_("MAPPING") },
  { "date-order", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --import, how dates such as 03/04/2020 are written: dmy or mdy"), N_("ORDER") },
  { "export", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the dataset (or --dataset) to FILE as JSON, CSV, GeoJSON, KML or Linked Places and exit"), N_("FILE") },
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

/* Command-line export */

typedef struct
{
  GMainLoop             *loop;
  ChronoSnapshotTimings  timings;
  GdkTexture            *texture;
  guint                  n_images;
  GError                *error;
} ExportRun;

static gboolean
parse_size (const char  *text,
            int         *width,
            int         *height,
            GError     **error)
{
  static const struct { const char *name; ChronoSnapshotPreset preset; } names[] = {
    { "1080p", CHRONO_SNAPSHOT_PRESET_1080P },
    { "720p", CHRONO_SNAPSHOT_PRESET_720P },
    { "4k", CHRONO_SNAPSHOT_PRESET_2160P },
    { "2160p", CHRONO_SNAPSHOT_PRESET_2160P },
    { "a4", CHRONO_SNAPSHOT_PRESET_A4_PORTRAIT },
    { "a4-portrait", CHRONO_SNAPSHOT_PRESET_A4_PORTRAIT },
    { "a4-landscape", CHRONO_SNAPSHOT_PRESET_A4_LANDSCAPE },
  };
  guint64 w, h;
  char *end;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (text, names[i].name) == 0)
      {
        chrono_snapshot_preset_get_size (names[i].preset, width, height);
        return TRUE;
      }

  if (g_ascii_isdigit (text[0]))
    {
      w = g_ascii_strtoull (text, &end, 10);
      if ((*end == 'x' || *end == 'X') && g_ascii_isdigit (end[1]))
        {
          h = g_ascii_strtoull (end + 1, &end, 10);
          if (*end == '\0' && w >= 64 && h >= 64 && w <= 16384 && h <= 16384)
            {
              *width = (int) w;
              *height = (int) h;
              return TRUE;
            }
          if (*end == '\0')
            {
              g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_INVALID,
                           _("'%s': width and height must be between 64 and 16384 pixels"), text);
              return FALSE;
            }
        }
    }

  g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_INVALID,
               _("'%s' is not a size: give WIDTHxHEIGHT such as 1920x1080, or 1080p, 720p, 4k, a4, a4-landscape"),
               text);
  return FALSE;
}

static gboolean
parse_step (const char         *text,
            ChronoHandoutMode  *mode,
            guint              *step,
            GError            **error)
{
  guint64 n;
  char *end;

  n = g_ascii_strtoull (text, &end, 10);
  if (end != text && n >= 1 && n <= 10000 && end[0] != '\0' && end[1] == '\0')
    {
      *step = (guint) n;
      switch (end[0])
        {
        case 'd': *mode = CHRONO_HANDOUT_EVERY_DAYS; return TRUE;
        case 'w': *mode = CHRONO_HANDOUT_EVERY_WEEKS; return TRUE;
        case 'm': *mode = CHRONO_HANDOUT_EVERY_MONTHS; return TRUE;
        default: break;
        }
    }

  g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_INVALID,
               _("'%s' is not a step: give a number of days, weeks or months such as 7d, 2w or 1m"), text);
  return FALSE;
}

/* Whether a file can be created at @path: its folder exists and is
 * writable, and it is not a folder itself. */
static gboolean
check_writable_file (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE,
                   _("“%s” is a folder, not a file name"), path);
      return FALSE;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE,
                   _("Cannot write “%s”: the folder “%s” does not exist"), path, dir);
      return FALSE;
    }
  if (g_access (dir, W_OK) != 0)
    {
      g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE,
                   _("Cannot write “%s”: no permission to write in “%s”"), path, dir);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_writable_folder (const char  *path,
                       GError     **error)
{
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE,
                       _("“%s” is a file, not a folder"), path);
          return FALSE;
        }
      if (g_access (path, W_OK) != 0)
        {
          g_set_error (error, CHRONO_SNAPSHOT_ERROR, CHRONO_SNAPSHOT_ERROR_WRITE,
                       _("Cannot write into “%s”: no permission"), path);
          return FALSE;
        }
      return TRUE;
    }

  /* A new folder: its parent must take it */
  return check_writable_file (path, error);
}

static void
on_export_rendered (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ExportRun *run = user_data;

  run->texture = chrono_snapshot_render_finish (CHRONO_SNAPSHOT (object), result, &run->timings, &run->error);
  g_main_loop_quit (run->loop);
}

static void
on_handout_exported (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ExportRun *run = user_data;

  run->n_images = chrono_snapshot_export_handout_finish (CHRONO_SNAPSHOT (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

/* Renders what --export-png or --export-handout ask for, before any window.
 * Every argument is checked before anything is drawn or written. */
static int
run_export (GVariantDict *options,
            const char   *png_path,
            const char   *handout_path,
            const char   *dataset,
            const char   *date)
{
  g_autoptr (ChronoSnapshotOptions) snapshot_options = chrono_snapshot_options_new ();
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (ChronoSnapshot) snapshot = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *lang = NULL;
  const char *size = NULL, *event = NULL, *style = NULL, *title = NULL;
  const char *every = NULL, *from_text = NULL, *to_text = NULL, *basemap = NULL;
  ChronoHandoutMode mode = CHRONO_HANDOUT_PER_EVENT;
  ChronoDay from = CHRONO_DAY_NEGATIVE_INFINITY, to = CHRONO_DAY_POSITIVE_INFINITY;
  guint step = 1;
  int scale = 1;
  gboolean tour = FALSE, to_pdf = FALSE;
  ExportRun run = { 0 };

  g_variant_dict_lookup (options, "size", "&s", &size);
  g_variant_dict_lookup (options, "scale", "i", &scale);
  g_variant_dict_lookup (options, "event", "&s", &event);
  g_variant_dict_lookup (options, "style", "&s", &style);
  g_variant_dict_lookup (options, "title", "&s", &title);
  g_variant_dict_lookup (options, "every", "&s", &every);
  g_variant_dict_lookup (options, "from", "&s", &from_text);
  g_variant_dict_lookup (options, "to", "&s", &to_text);
  g_variant_dict_lookup (options, "tour", "b", &tour);
  g_variant_dict_lookup (options, "basemap", "^&ay", &basemap);

  if (png_path != NULL && handout_path != NULL)
    {
      g_printerr (_("chronotope: give either --export-png or --export-handout, not both\n"));
      return 2;
    }
  if (png_path != NULL && date == NULL)
    {
      g_printerr (_("chronotope: --export-png needs --date, e.g. --date=2023-09-19\n"));
      return 2;
    }
  if (png_path != NULL && (every != NULL || from_text != NULL || to_text != NULL || tour))
    {
      g_printerr (_("chronotope: --every, --tour, --from and --to only go with --export-handout\n"));
      return 2;
    }
  if (tour && every != NULL)
    {
      g_printerr (_("chronotope: give either --every or --tour, not both\n"));
      return 2;
    }
  if (handout_path != NULL && event != NULL)
    {
      g_printerr (_("chronotope: --event only goes with --export-png\n"));
      return 2;
    }

  if (date != NULL && !chrono_cli_check_day (date, &snapshot_options->day, &error))
    {
      g_printerr ("chronotope: --date: %s\n", error->message);
      return 2;
    }
  if (size != NULL && !parse_size (size, &snapshot_options->width, &snapshot_options->height, &error))
    {
      g_printerr ("chronotope: --size: %s\n", error->message);
      return 2;
    }
  if (scale != 1 && scale != 2)
    {
      g_printerr (_("chronotope: --scale: the scale must be 1 or 2, not %d\n"), scale);
      return 2;
    }
  snapshot_options->scale = scale;
  if (style != NULL && !chrono_basemap_style_from_string (style, &snapshot_options->style))
    {
      g_printerr (_("chronotope: --style: '%s' is not a style: give light, dark or neutral\n"), style);
      return 2;
    }
  if (every != NULL && !parse_step (every, &mode, &step, &error))
    {
      g_printerr ("chronotope: --every: %s\n", error->message);
      return 2;
    }
  if (from_text != NULL && !chrono_cli_check_day (from_text, &from, &error))
    {
      g_printerr ("chronotope: --from: %s\n", error->message);
      return 2;
    }
  if (to_text != NULL && !chrono_cli_check_day (to_text, &to, &error))
    {
      g_printerr ("chronotope: --to: %s\n", error->message);
      return 2;
    }
  if (from_text != NULL && to_text != NULL && from > to)
    {
      g_printerr (_("chronotope: --from %s comes after --to %s\n"), from_text, to_text);
      return 2;
    }
  if (tour)
    mode = CHRONO_HANDOUT_TOUR;
  if (handout_path != NULL)
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (handout_path);

      /* A name ending in .pdf is one PDF file; anything else a folder */
      to_pdf = chrono_snapshot_is_pdf_file (file);
    }
  if ((png_path != NULL && !check_writable_file (png_path, &error)) ||
      (handout_path != NULL && to_pdf && !check_writable_file (handout_path, &error)) ||
      (handout_path != NULL && !to_pdf && !check_writable_folder (handout_path, &error)))
    {
      g_printerr ("chronotope: %s\n", error->message);
      return 2;
    }

  /* The MBTiles file is checked when opened (its first tile measured from
   * its header, never decoded): one that cannot serve stops here, before
   * the dataset is read or anything drawn. */
  if (basemap != NULL)
    {
      g_autoptr (ShumateMapSource) source = chrono_mbtiles_source_new_map_source (basemap, &error);

      if (source == NULL)
        {
          g_printerr ("chronotope: --basemap: %s\n", error->message);
          return 1;
        }
      chrono_snapshot_options_set_map_source (snapshot_options, source);
    }

  store = chrono_cli_open_dataset (dataset, &error);
  if (store == NULL)
    {
      g_printerr ("chronotope: %s\n", error->message);
      return 1;
    }
  lang = chrono_cli_get_data_language ();
  snapshot = chrono_snapshot_new (CHRONO_EVENT_SOURCE (store), lang, &error);
  if (snapshot == NULL)
    {
      g_printerr ("chronotope: %s\n", error->message);
      return 1;
    }
  if (event != NULL)
    {
      g_autoptr (ChronoEvent) found = chrono_event_source_get_event_by_id (CHRONO_EVENT_SOURCE (store), event, lang, NULL);

      if (found == NULL)
        {
          g_printerr (_("chronotope: --event: no event with the id '%s' in the dataset\n"), event);
          return 2;
        }
      chrono_snapshot_options_set_event_id (snapshot_options, event);
    }
  chrono_snapshot_options_set_title (snapshot_options, title);

  /* Drawing text and tiles needs GTK, and so a display; no window is
   * shown, so nothing needs the accessibility bus. */
  g_setenv ("GTK_A11Y", "none", FALSE);
  if (!gtk_init_check ())
    {
      g_printerr (_("chronotope: cannot open a display, which drawing the image needs; "
                    "in scripts, run chronotope under xvfb-run\n"));
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  if (png_path != NULL)
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (png_path);
      g_autoptr (GdkTexture) texture = NULL;
      gint64 save_start;

      chrono_snapshot_render_async (snapshot, snapshot_options, NULL, on_export_rendered, &run);
      g_main_loop_run (loop);
      texture = g_steal_pointer (&run.texture);
      if (texture == NULL)
        {
          g_printerr ("chronotope: %s\n", run.error->message);
          g_clear_error (&run.error);
          return 1;
        }
      /* An MBTiles file without a single tile of this view would give a
       * blank map: say so rather than write it */
      if (basemap != NULL && run.timings.n_tiles > 0 && run.timings.n_failed_tiles == run.timings.n_tiles)
        {
          g_autofree char *name = g_filename_display_basename (basemap);

          g_printerr (_("chronotope: --basemap: '%s' has no tile for the area of this image; "
                        "choose an MBTiles file that covers the places shown\n"), name);
          return 1;
        }

      save_start = g_get_monotonic_time ();
      if (!chrono_snapshot_save_png (texture, file, &error))
        {
          g_printerr ("chronotope: %s\n", error->message);
          return 1;
        }
      g_debug ("%u tiles (%u failed) in %.3f s, composed in %.3f s, saved in %.3f s",
               run.timings.n_tiles, run.timings.n_failed_tiles, run.timings.tiles_seconds,
               run.timings.compose_seconds, (g_get_monotonic_time () - save_start) / (double) G_USEC_PER_SEC);
    }
  else
    {
      g_autoptr (GFile) folder = g_file_new_for_commandline_arg (handout_path);

      chrono_snapshot_export_handout_async (snapshot, snapshot_options, folder, mode, step, from, to,
                                            NULL, NULL, NULL, on_handout_exported, &run);
      g_main_loop_run (loop);
      if (run.error != NULL)
        {
          g_printerr ("chronotope: %s\n", run.error->message);
          g_clear_error (&run.error);
          return 1;
        }
    }

  return 0;
}

static int
chrono_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  ChronoApplication *self = CHRONO_APPLICATION (app);
  const char *events_at = NULL;
  const char *dataset = NULL;
  const char *date = NULL;
  const char *export_png = NULL;
  const char *export_handout = NULL;
  const char *import = NULL;
  const char *into = NULL;
  const char *format = NULL;
  const char *columns = NULL;
  const char *date_order = NULL;
  const char *export = NULL;
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
  g_variant_dict_lookup (options, "export-png", "^&ay", &export_png);
  g_variant_dict_lookup (options, "export-handout", "^&ay", &export_handout);

  g_variant_dict_lookup (options, "import", "^&ay", &import);
  g_variant_dict_lookup (options, "into", "^&ay", &into);
  g_variant_dict_lookup (options, "format", "&s", &format);
  g_variant_dict_lookup (options, "columns", "&s", &columns);
  g_variant_dict_lookup (options, "date-order", "&s", &date_order);
  g_variant_dict_lookup (options, "export", "^&ay", &export);

  /* Batch work runs here, before GTK is initialised, so it needs no display. */
  if (import != NULL)
    {
      if (events_at != NULL || export != NULL || export_png != NULL || export_handout != NULL)
        {
          g_printerr (_("chronotope: --import goes with no other action\n"));
          return 2;
        }
      return chrono_cli_run_import (import, format, into, columns, date_order);
    }

  {
    static const char * const import_only[] = { "into", "columns", "date-order" };

    for (guint i = 0; i < G_N_ELEMENTS (import_only); i++)
      if (g_variant_dict_contains (options, import_only[i]))
        {
          g_printerr (_("chronotope: --%s only goes with --import\n"), import_only[i]);
          return 2;
        }
  }

  if (export != NULL)
    return chrono_cli_run_export (export, format, dataset);

  if (format != NULL)
    {
      g_printerr (_("chronotope: --format only goes with --import or --export\n"));
      return 2;
    }

  if (events_at != NULL)
    return chrono_cli_run_events_at (events_at, json, dataset);

  if (json)
    {
      g_printerr (_("chronotope: --json only goes with --events-at\n"));
      return 2;
    }

  /* Exports draw, so they need a display, but never show a window. */
  if (export_png != NULL || export_handout != NULL)
    return run_export (options, export_png, export_handout, dataset, date);

  {
    static const char * const export_only[] = { "size", "scale", "event", "style", "title", "every", "tour", "from", "to", "basemap" };

    for (guint i = 0; i < G_N_ELEMENTS (export_only); i++)
      if (g_variant_dict_contains (options, export_only[i]))
        {
          g_printerr (_("chronotope: --%s only goes with --export-png or --export-handout\n"), export_only[i]);
          return 2;
        }
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
  g_free (self->start_dataset);
      self->start_date = g_strdup (date);
    }

  if (dataset != NULL)
    {
      g_free (self->start_dataset);
      self->start_dataset = g_strdup (dataset);
    }

  return -1;
}

static void
chrono_application_activate (GApplication *app)
{
  ChronoApplication *self = CHRONO_APPLICATION (app);
  ChronoWindow *window = get_or_create_window (self);

  gtk_window_present (GTK_WINDOW (window));

  /* `chronotope --dataset=FILE` opens FILE as `chronotope FILE` does */
  if (self->start_dataset != NULL)
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (self->start_dataset);

      g_clear_pointer (&self->start_dataset, g_free);
      chrono_window_open_file (window, file);
    }
}

static void
chrono_application_open (GApplication  *app,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  ChronoWindow *window = get_or_create_window (CHRONO_APPLICATION (app));

  gtk_window_present (GTK_WINDOW (window));
  /* One dataset at a time: the last one named */
  if (n_files > 0)
    chrono_window_open_file (window, files[n_files - 1]);
}

/* Longer than this, a source's URL is no address but a text */
#define MAX_CREDIT_URL 2000

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
      /* Names cut to a line's length: a dataset's can be megabytes long */
      g_autofree char *outlet = chrono_text_for_display (chrono_source_get_outlet (source), CHRONO_DISPLAY_NAME_CHARS);
      g_autofree char *title = chrono_text_for_display (chrono_source_get_title (source), CHRONO_DISPLAY_NAME_CHARS);
      const char *url = chrono_source_get_url (source);
      g_autofree char *line = g_strdup_printf ("%s — %s", outlet != NULL ? outlet : _("unknown outlet"),
                                               title != NULL ? title : _("untitled"));

      /* A URL after the name makes the line a link; one that cannot be a
       * real address is left out rather than cut */
      if (url != NULL && (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://")) &&
          strnlen (url, MAX_CREDIT_URL + 1) <= MAX_CREDIT_URL)
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

  /* The window's map needs the basemap's layers: read them while GTK and
   * libadwaita start */
  chrono_basemap_source_preload ();
  G_APPLICATION_CLASS (chrono_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);

  /* What imports that were killed left behind */
  {
    g_autofree char *datasets = chrono_cli_dup_datasets_dir ();

    chrono_cli_remove_stale_imports (datasets);
  }
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

/* A GPU the kernel drives, that Mesa can render OpenGL on. Without one, GL
 * is llvmpipe: software, on the CPU. */
static gboolean
has_render_device (void)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (g_strcmp0 (g_getenv ("LIBGL_ALWAYS_SOFTWARE"), "1") == 0 ||
      g_strcmp0 (g_getenv ("LIBGL_ALWAYS_SOFTWARE"), "true") == 0)
    return FALSE;

  dir = g_dir_open ("/dev/dri", 0, NULL);
  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD") || g_str_has_prefix (name, "card"))
      return TRUE;

  return FALSE;
}

/**
 * chrono_application_choose_renderer:
 *
 * Chooses how windows are rendered; call it first thing in main(), before
 * GTK starts and before any thread does.
 *
 * Where there is no GPU, GTK's OpenGL renderer runs on llvmpipe, in
 * software: measured with `bench-window`, it draws the window's frames about
 * eight times slower than the cairo renderer, and its first frame comes
 * twice as late. There, the cairo renderer is chosen. A `GSK_RENDERER` the
 * user sets is kept.
 *
 * With the cairo renderer, GDK is also told not to prepare OpenGL when the
 * display opens: GTK 4.8 does it even when nothing will use it, and loading
 * Mesa then costs about 150 ms of start-up.
 */
void
chrono_application_choose_renderer (void)
{
  const char *renderer = g_getenv ("GSK_RENDERER");
  const char *flags;

  if (renderer == NULL || renderer[0] == '\0')
    {
      if (has_render_device ())
        return;
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
    }
  else if (g_strcmp0 (renderer, "cairo") != 0)
    return;

  if (gtk_get_minor_version () >= 14)
    {
      /* GDK_DEBUG=gl-disable became GDK_DISABLE=gl */
      g_setenv ("GDK_DISABLE", "gl", FALSE);
      return;
    }

  flags = g_getenv ("GDK_DEBUG");
  if (flags == NULL || flags[0] == '\0')
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  else if (strstr (flags, "gl-disable") == NULL)
    {
      g_autofree char *more = g_strconcat (flags, ",gl-disable", NULL);

      g_setenv ("GDK_DEBUG", more, TRUE);
    }
}

const char *
chrono_application_get_start_date (ChronoApplication *self)
{
  g_return_val_if_fail (CHRONO_IS_APPLICATION (self), NULL);

  return self->start_date;
}
