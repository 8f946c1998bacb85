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

/* Opens the dataset at @path (NULL: the bundled one). A .json file is a dataset
 * source and is loaded into memory; anything else must be an existing dataset. */
ChronoStore *
chrono_cli_open_dataset (const char  *path,
                         GError     **error)
{
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GFile) file = NULL;

  if (path == NULL)
    return chrono_dataset_open_bundled (error);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("'%s': no such file"), path);
      return NULL;
    }

  if (!g_str_has_suffix (path, ".json"))
    return chrono_store_open (path, error);

  store = chrono_store_new_in_memory (error);
  if (store == NULL)
    return NULL;

  file = g_file_new_for_commandline_arg (path);
  if (!chrono_dataset_import_file (store, file, error))
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
chrono_cli_events_at (ChronoStore  *store,
                      ChronoDay     day,
                      gboolean      as_json,
                      const char   *lang,
                      GString      *out,
                      GError      **error)
{
  g_autoptr (GArray) spans = NULL;
  g_autoptr (ChronoTimeIndex) index = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) events = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (store), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  spans = chrono_store_get_spans (store, error);
  if (spans == NULL)
    return FALSE;

  index = chrono_time_index_new ((const ChronoSpan *) (gpointer) spans->data, spans->len);
  chrono_time_index_query (index, day, ids);

  events = chrono_store_get_events (store, (const gint64 *) (gpointer) ids->data, ids->len, lang, error);
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

  if (!chrono_cli_events_at (store, day, as_json, lang, out, &error))
    {
      g_printerr ("chronotope: %s\n", error->message);
      return 1;
    }

  g_print ("%s", out->str);
  return 0;
}
