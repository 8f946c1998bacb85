/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "chrono-cli.h"
#include "chrono-claim.h"
#include "chrono-dataset.h"
#include "chrono-event.h"
#include "chrono-excerpt.h"
#include "chrono-place.h"
#include "chrono-source.h"
#include "chrono-time-index.h"
#include "import/chrono-export.h"
#include "import/chrono-import.h"

#include <errno.h>
#include <string.h>
#include <sys/file.h>
#include <glib/gstdio.h>

/*
 * The command line's batch work: everything here runs without a display.
 */

/* The language of data texts to show: the first UI language, as a bare code. */
char *
chrono_cli_get_data_language (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = names[i];
      gsize len = strcspn (name, "_.@");

      if (g_str_equal (name, "C") || g_str_equal (name, "POSIX") || g_str_has_prefix (name, "C."))
        break;
      if (len >= 2 && len <= 3)
        return g_ascii_strdown (name, len);
    }

  return g_strdup ("en");
}

/* Accepts an EDTF expression that names exactly one day, e.g. 2023-05-01. */
gboolean
chrono_cli_check_day (const char  *text,
                      ChronoDay   *out_day,
                      GError     **error)
{
  g_autoptr (ChronoEdtf) edtf = NULL;
  ChronoDay earliest;

  g_return_val_if_fail (text != NULL, FALSE);

  edtf = chrono_edtf_parse (text, error);
  if (edtf == NULL)
    return FALSE;

  earliest = chrono_edtf_get_earliest (edtf);
  if (chrono_edtf_is_interval (edtf) ||
      earliest != chrono_edtf_get_latest (edtf) ||
      earliest == CHRONO_DAY_NEGATIVE_INFINITY)
    {
      g_set_error (error, CHRONO_DATE_ERROR, CHRONO_DATE_ERROR_UNSUPPORTED,
                   _("'%s' is not a single day: give a day such as 2023-05-01"), text);
      return FALSE;
    }

  if (out_day != NULL)
    *out_day = earliest;

  return TRUE;
}

/* Whether @path holds a sqlite database (a .chronotope dataset, or a broken one). */
static gboolean
is_sqlite_file (const char *path)
{
  static const char magic[16] = "SQLite format 3";
  char head[16] = { 0 };
  FILE *file = g_fopen (path, "rb");
  gsize n;

  if (file == NULL)
    return FALSE;
  n = fread (head, 1, sizeof head, file);
  fclose (file);

  return n == sizeof head && memcmp (head, magic, sizeof magic) == 0;
}

/* The whole file, mapped rather than read when it is large. */
static GBytes *
load_file (const char  *path,
           GError     **error)
{
  g_autoptr (GMappedFile) mapped = NULL;
  g_autoptr (GError) local_error = NULL;

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      /* GLib's message already names the file. */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_mapped_file_get_bytes (mapped);
}

/**
 * chrono_cli_import_file:
 * @store: where to import
 * @path: a file in any format a reader takes
 * @options: (nullable): format, columns and date order given by hand
 * @out_import: (out) (optional): the import, for its counts and problems
 *
 * Imports @path into @store in one transaction (see chrono_import_run()).
 */
gboolean
chrono_cli_import_file (ChronoStore                *store,
                        const char                 *path,
                        const ChronoImportOptions  *options,
                        GCancellable               *cancellable,
                        ChronoImportProgressFunc    progress,
                        gpointer                    progress_data,
                        ChronoImport              **out_import,
                        GError                    **error)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (ChronoImport) import = NULL;
  g_autofree char *display_name = g_filename_display_basename (path);

  bytes = load_file (path, error);
  if (bytes == NULL)
    return FALSE;

  import = chrono_import_new (store, display_name, options);
  chrono_import_set_cancellable (import, cancellable);
  chrono_import_set_progress_func (import, progress, progress_data);
  if (!chrono_import_run (import, bytes, error))
    return FALSE;

  if (out_import != NULL)
    *out_import = g_steal_pointer (&import);
  return TRUE;
}

/* Opens the dataset at @path (NULL: the bundled one) to be looked at: a
 * .chronotope file read-only, any other file by importing it into memory
 * (nothing is written either way). */
ChronoStore *
chrono_cli_open_dataset (const char  *path,
                         GError     **error)
{
  return chrono_cli_open_dataset_with (path, NULL, error);
}

ChronoStore *
chrono_cli_open_dataset_with (const char                 *path,
                              const ChronoImportOptions  *options,
                              GError                    **error)
{
  g_autoptr (ChronoStore) store = NULL;

  if (path == NULL)
    return chrono_dataset_open_bundled (error);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("'%s': no such file"), path);
      return NULL;
    }

  /* Looked at, never written to (see chrono_store_open_readonly ()) */
  if (g_str_has_suffix (path, ".chronotope") || is_sqlite_file (path))
    return chrono_store_open_readonly (path, error);

  store = chrono_store_new_in_memory (error);
  if (store == NULL || !chrono_cli_import_file (store, path, options, NULL, NULL, NULL, NULL, error))
    return NULL;

  return g_steal_pointer (&store);
}

static void
add_source (JsonBuilder  *builder,
            ChronoSource *source)
{
  json_builder_set_member_name (builder, "source");
  if (source == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, chrono_source_get_id (source));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, chrono_source_get_title (source));
  json_builder_set_member_name (builder, "outlet");
  json_builder_add_string_value (builder, chrono_source_get_outlet (source));
  json_builder_set_member_name (builder, "published");
  json_builder_add_string_value (builder, chrono_source_get_published (source));
  json_builder_end_object (builder);
}

/* Every name of @place, so that scripts see what the window shows. */
static void
add_place_names (JsonBuilder *builder,
                 ChronoPlace *place)
{
  GPtrArray *names = chrono_place_get_names (place);

  json_builder_set_member_name (builder, "names");
  json_builder_begin_array (builder);
  for (guint i = 0; i < names->len; i++)
    {
      const ChronoPlaceName *name = g_ptr_array_index (names, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "lang");
      json_builder_add_string_value (builder, name->lang);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name->name);
      json_builder_set_member_name (builder, "usage");
      json_builder_add_string_value (builder, name->usage);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_event_json (JsonBuilder *builder,
                ChronoEvent *event)
{
  GPtrArray *places = chrono_event_get_places (event);
  GPtrArray *excerpts = chrono_event_get_excerpts (event);
  GPtrArray *claims = chrono_event_get_claims (event);
  const char *end = chrono_event_get_end (event);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, chrono_event_get_id (event));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, chrono_event_get_title (event));
  json_builder_set_member_name (builder, "summary");
  json_builder_add_string_value (builder, chrono_event_get_summary (event));
  json_builder_set_member_name (builder, "start");
  json_builder_add_string_value (builder, chrono_event_get_start (event));
  /* An event without an end ends as it starts. */
  json_builder_set_member_name (builder, "end");
  json_builder_add_string_value (builder, end != NULL ? end : chrono_event_get_start (event));
  json_builder_set_member_name (builder, "category");
  json_builder_add_string_value (builder, chrono_event_get_category (event));

  json_builder_set_member_name (builder, "places");
  json_builder_begin_array (builder);
  for (guint i = 0; i < places->len; i++)
    {
      ChronoPlace *place = g_ptr_array_index (places, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, chrono_place_get_id (place));
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, chrono_place_get_name (place));
      json_builder_set_member_name (builder, "lat");
      json_builder_add_double_value (builder, chrono_place_get_lat (place));
      json_builder_set_member_name (builder, "lon");
      json_builder_add_double_value (builder, chrono_place_get_lon (place));
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, chrono_event_get_place_role (event, i));
      add_place_names (builder, place);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "excerpts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < excerpts->len; i++)
    {
      ChronoExcerpt *excerpt = g_ptr_array_index (excerpts, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "quote");
      json_builder_add_string_value (builder, chrono_excerpt_get_quote (excerpt));
      json_builder_set_member_name (builder, "lang");
      json_builder_add_string_value (builder, chrono_excerpt_get_lang (excerpt));
      add_source (builder, chrono_excerpt_get_source (excerpt));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "claims");
  json_builder_begin_array (builder);
  for (guint i = 0; i < claims->len; i++)
    {
      ChronoClaim *claim = g_ptr_array_index (claims, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, chrono_claim_get_key (claim));
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, chrono_claim_get_value (claim));
      add_source (builder, chrono_claim_get_source (claim));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);
}

static void
append_event_line (GString     *out,
                   ChronoEvent *event)
{
  g_autofree char *dates = chrono_format_dates (chrono_event_get_start (event),
                                                chrono_event_get_end (event));
  GPtrArray *places = chrono_event_get_places (event);

  /* The store only holds dates that parsed when they were imported. */
  g_assert (dates != NULL);

  g_string_append_printf (out, "%s\t%s", dates, chrono_event_get_title (event));
  for (guint i = 0; i < places->len; i++)
    g_string_append_printf (out, "%s%s", i == 0 ? "\t" : ", ",
                            chrono_place_get_name (g_ptr_array_index (places, i)));
  g_string_append_c (out, '\n');
}

/*
 * Writes to @out the events in effect on @day (in the strict sense:
 * earliest(start) <= day <= latest(end)), ordered by start.
 */
gboolean
chrono_cli_events_at (ChronoEventSource *source,
                      ChronoDay          day,
                      gboolean           as_json,
                      const char        *lang,
                      GString           *out,
                      GError           **error)
{
  g_autoptr (GArray) ids = NULL;
  g_autoptr (GPtrArray) events = NULL;

  g_return_val_if_fail (CHRONO_IS_EVENT_SOURCE (source), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  /* One day: the store's index of extents answers without a time index
   * of every event */
  ids = chrono_event_source_get_events_at (source, day, error);
  if (ids == NULL)
    return FALSE;

  events = chrono_event_source_get_events (source, (const gint64 *) (gpointer) ids->data, ids->len, lang, error);
  if (events == NULL)
    return FALSE;

  if (as_json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonGenerator) generator = json_generator_new ();
      g_autoptr (JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < events->len; i++)
        add_event_json (builder, g_ptr_array_index (events, i));
      json_builder_end_array (builder);

      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      g_string_append (out, text);
      g_string_append_c (out, '\n');
    }
  else
    {
      for (guint i = 0; i < events->len; i++)
        append_event_line (out, g_ptr_array_index (events, i));
    }

  return TRUE;
}

/* `chronotope --events-at=DATE [--json] [--dataset=FILE]`: returns the exit status. */
int
chrono_cli_run_events_at (const char *date,
                          gboolean    as_json,
                          const char *dataset_path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *lang = chrono_cli_get_data_language ();
  ChronoDay day;

  if (!chrono_cli_check_day (date, &day, &error))
    {
      g_printerr ("chronotope: --events-at: %s\n", error->message);
      return 2;
    }

  store = chrono_cli_open_dataset (dataset_path, &error);
  if (store == NULL)
    {
      g_printerr ("chronotope: %s\n", error->message);
      return 1;
    }

  if (!chrono_cli_events_at (CHRONO_EVENT_SOURCE (store), day, as_json, lang, out, &error))
    {
      g_printerr ("chronotope: %s\n", error->message);
      return 1;
    }

  g_print ("%s", out->str);
  return 0;
}

/* Returns: (transfer full): the folder of the user's datasets */
char *
chrono_cli_dup_datasets_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), PACKAGE_NAME, NULL);
}

/* Returns: (transfer full): a free path for a dataset made from @source_path:
 * its name with .chronotope, in the user's datasets, numbered if taken. */
char *
chrono_cli_dup_import_path (const char *source_path)
{
  g_autofree char *dir = chrono_cli_dup_datasets_dir ();
  g_autofree char *base = g_path_get_basename (source_path);
  char *dot = strrchr (base, '.');
  char *path;

  if (dot != NULL && dot != base)
    *dot = '\0';

  path = g_strdup_printf ("%s%s%s.chronotope", dir, G_DIR_SEPARATOR_S, base);
  for (guint i = 2; g_file_test (path, G_FILE_TEST_EXISTS); i++)
    {
      g_free (path);
      path = g_strdup_printf ("%s%s%s-%u.chronotope", dir, G_DIR_SEPARATOR_S, base, i);
    }

  return path;
}

static void
remove_database_files (const char *path)
{
  /* The main file last: a kill in between leaves it, and the next
   * import's scan for leftovers finds it with the rest */
  static const char * const suffixes[] = { "-wal", "-shm", "-journal", "" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

/* A dataset being built is "NAME.chronotope.import-XXXXXX" beside its target,
 * locked while its import runs. */
#define IMPORT_TEMP_INFIX ".import-"

/**
 * chrono_cli_remove_stale_imports:
 * @dir: a folder where datasets are built
 *
 * Removes the files of imports that did not finish (the process was killed
 * or the machine stopped): temporary datasets that no running import holds.
 */
void
chrono_cli_remove_stale_imports (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      const char *infix = strstr (name, ".chronotope" IMPORT_TEMP_INFIX);
      g_autofree char *path = NULL;
      int fd;

      /* The main file only: its journal goes with it */
      if (infix == NULL || strlen (infix) != strlen (".chronotope" IMPORT_TEMP_INFIX "XXXXXX"))
        continue;

      path = g_build_filename (dir, name, NULL);
      fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
      if (fd < 0)
        continue;
      if (flock (fd, LOCK_EX | LOCK_NB) == 0)
        {
          g_debug ("removing %s, left by an import that did not finish", path);
          remove_database_files (path);
        }
      g_close (fd, NULL);
    }
}

/**
 * chrono_cli_recover:
 * @damaged_path: a dataset refused as damaged
 * @target_path: the new dataset; must not exist
 * @out_n_events: (out) (optional): how many events it holds
 *
 * Copies what can be read of a damaged dataset into a new one: written out
 * as dataset JSON (texts that were not UTF-8 with U+FFFD in their place),
 * then imported as chrono_cli_import_to_new() does. The damaged file is
 * only read.
 */
gboolean
chrono_cli_recover (const char  *damaged_path,
                    const char  *target_path,
                    guint       *out_n_events,
                    GError     **error)
{
  g_autoptr (ChronoStore) damaged = NULL;
  g_autoptr (ChronoStore) recovered = NULL;
  g_autofree char *dir = g_path_get_dirname (target_path);
  g_autofree char *json_path = NULL;
  ChronoStoreCounts counts = { 0 };
  gboolean ok;
  int fd;

  damaged = chrono_store_open_for_recovery (damaged_path, error);
  if (damaged == NULL)
    return FALSE;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create the folder “%s”: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }
  json_path = g_build_filename (dir, ".recover-XXXXXX.json", NULL);
  fd = g_mkstemp (json_path);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot write in “%s”: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }
  g_close (fd, NULL);

  ok = chrono_export_to_file (damaged, chrono_export_find_format ("json"), json_path, NULL, NULL, error) &&
       chrono_cli_import_to_new (json_path, target_path, NULL, NULL, NULL, NULL, NULL, error);
  g_unlink (json_path);
  if (!ok)
    return FALSE;

  if (out_n_events != NULL)
    {
      recovered = chrono_store_open_readonly (target_path, error);
      if (recovered == NULL || !chrono_store_get_counts (recovered, &counts, error))
        return FALSE;
      *out_n_events = counts.events;
    }

  return TRUE;
}

/**
 * chrono_cli_import_to_new:
 * @target_path: the new dataset; must not exist
 *
 * Imports @source_path into a new dataset file, built under a temporary name
 * in the same folder and renamed into place once complete: a failure, a
 * cancel or a crash leaves no file at @target_path, and what a crash leaves
 * under the temporary name is removed by the next import into that folder.
 */
gboolean
chrono_cli_import_to_new (const char                 *source_path,
                          const char                 *target_path,
                          const ChronoImportOptions  *options,
                          GCancellable               *cancellable,
                          ChronoImportProgressFunc    progress,
                          gpointer                    progress_data,
                          ChronoImport              **out_import,
                          GError                    **error)
{
  g_autofree char *dir = g_path_get_dirname (target_path);
  g_autofree char *temp_path = g_strconcat (target_path, IMPORT_TEMP_INFIX "XXXXXX", NULL);
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (ChronoImport) import = NULL;
  gboolean ok;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create the folder “%s”: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  chrono_cli_remove_stale_imports (dir);

  fd = g_mkstemp (temp_path);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot write in “%s”: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }
  /* Held until the import ends, so that no other process takes the file for
   * the leftover of a killed import. */
  flock (fd, LOCK_EX | LOCK_NB);

  store = chrono_store_open (temp_path, error);
  ok = store != NULL &&
       chrono_store_set_bulk (store, TRUE, error) &&
       chrono_cli_import_file (store, source_path, options, cancellable, progress, progress_data, &import, error) &&
       chrono_store_set_bulk (store, FALSE, error);
  g_clear_object (&store);

  if (ok && g_rename (temp_path, target_path) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (target_path);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot write “%s”: %s"), display, g_strerror (saved_errno));
      ok = FALSE;
    }
  if (!ok)
    remove_database_files (temp_path);
  g_close (fd, NULL);

  if (!ok)
    return FALSE;

  if (out_import != NULL)
    *out_import = g_steal_pointer (&import);
  return TRUE;
}

static void
print_problems (ChronoImport *import)
{
  GPtrArray *problems = chrono_import_get_problems (import);
  const char *display_name = chrono_import_get_display_name (import);

  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = chrono_import_problem_to_string (problems->pdata[i], display_name);

      g_printerr ("%s\n", line);
    }
}

static gboolean
parse_import_options (ChronoImportOptions  *options,
                      const char           *format,
                      const char           *columns,
                      const char           *date_order,
                      GError              **error)
{
  if (format != NULL)
    {
      if (chrono_import_find_format (format) == NULL)
        {
          g_autoptr (GString) names = g_string_new (NULL);
          const ChronoImportFormat * const *formats = chrono_import_get_formats ();

          for (guint i = 0; formats[i] != NULL; i++)
            g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", formats[i]->name);
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--format: “%s” is not a format Chronotope reads (one of %s)"), format, names->str);
          return FALSE;
        }
      options->format = g_strdup (format);
    }

  if (columns != NULL && !chrono_import_options_parse_columns (options, columns, error))
    {
      g_prefix_error (error, "--columns: ");
      return FALSE;
    }

  if (date_order != NULL)
    {
      if (g_ascii_strcasecmp (date_order, "dmy") == 0)
        options->date_order = CHRONO_DATE_ORDER_DMY;
      else if (g_ascii_strcasecmp (date_order, "mdy") == 0)
        options->date_order = CHRONO_DATE_ORDER_MDY;
      else
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--date-order: “%s” is not dmy or mdy"), date_order);
          return FALSE;
        }
    }

  return TRUE;
}

/*
 * `chronotope --import=FILE [--format=FMT] [--into=DATASET] [--columns=…]
 * [--date-order=dmy|mdy]`: returns the exit status: 0 when anything was
 * imported, 1 when nothing could be, 2 for bad arguments. Nothing is
 * written unless the status is 0.
 */
int
chrono_cli_run_import (const char *file,
                       const char *format,
                       const char *into,
                       const char *columns,
                       const char *date_order)
{
  g_autoptr (ChronoImportOptions) options = chrono_import_options_new ();
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *target = NULL;
  gboolean ok;

  if (!parse_import_options (options, format, columns, date_order, &error))
    {
      g_printerr ("chronotope: %s\n", error->message);
      return 2;
    }

  if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *display = g_filename_display_name (file);

      g_printerr (_("chronotope: --import: “%s”: no such file\n"), display);
      return 2;
    }

  if (into != NULL && g_file_test (into, G_FILE_TEST_EXISTS))
    {
      g_autoptr (ChronoStore) trial = chrono_store_new_in_memory (&error);
      g_autoptr (ChronoImport) trial_import = NULL;
      g_autoptr (ChronoStore) store = NULL;

      /* A trial in memory first: the dataset is opened for writing (which
       * can change its file) only for an import that will succeed. */
      ok = trial != NULL && chrono_cli_import_file (trial, file, options, NULL, NULL, NULL, &trial_import, &error);
      if (ok && chrono_import_get_format (trial_import) == chrono_import_find_format ("chronotope"))
        {
          g_autofree char *display = g_filename_display_basename (file);

          g_set_error (&error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED,
                       _("%s is a Chronotope dataset: open it instead of adding it to another"), display);
          ok = FALSE;
        }
      ok = ok && (store = chrono_store_open (into, &error)) != NULL &&
           chrono_cli_import_file (store, file, options, NULL, NULL, NULL, &import, &error);
      target = g_strdup (into);
    }
  else
    {
      target = into != NULL ? g_strdup (into) : chrono_cli_dup_import_path (file);
      ok = chrono_cli_import_to_new (file, target, options, NULL, NULL, NULL, &import, &error);
    }

  if (!ok)
    {
      g_printerr ("chronotope: %s\n", error->message);
      return g_error_matches (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_AMBIGUOUS_DATES) ? 2 : 1;
    }

  print_problems (import);
  summary = chrono_import_dup_summary (import);
  g_print ("%s\n", summary);
  {
    g_autofree char *display = g_filename_display_name (target);

    g_printerr (_("chronotope: wrote %s\n"), display);
  }
  return 0;
}

/* `chronotope --export=FILE [--format=FMT] [--dataset=FILE]`: the exit status. */
int
chrono_cli_run_export (const char *file,
                       const char *format_name,
                       const char *dataset_path)
{
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *lang = chrono_cli_get_data_language ();
  const ChronoExportFormat *format;

  if (format_name != NULL)
    {
      format = chrono_export_find_format (format_name);
      if (format == NULL)
        {
          g_printerr (_("chronotope: --format: “%s” is not a format Chronotope writes "
                        "(json, csv, geojson, kml or lpf)\n"), format_name);
          return 2;
        }
    }
  else
    {
      format = chrono_export_format_for_path (file);
      if (format == NULL)
        {
          g_printerr (_("chronotope: --export: cannot tell the format from the name “%s”: "
                        "give --format=json, csv, geojson, kml or lpf\n"), file);
          return 2;
        }
    }

  store = chrono_cli_open_dataset (dataset_path, &error);
  if (store == NULL)
    {
      g_printerr ("chronotope: %s\n", error->message);
      return 1;
    }

  if (!chrono_export_to_file (store, format, file, lang, NULL, &error))
    {
      g_printerr ("chronotope: %s\n", error->message);
      return 1;
    }

  return 0;
}
