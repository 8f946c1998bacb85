/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "test-run.h"

/*
 * Runs the real `chronotope` binary, with no display, the way a script would.
 * The expectations for tests/data/cli/small.json are worked out by hand from
 * its dates (see each test).
 */

/* Runs chronotope, with no display, with @args (NULL-terminated) and @lang as
 * UI language (NULL: C.UTF-8). */
static void
run_chronotope (Run         *run,
                const char  *lang,
                const char  *first_arg,
                ...)
{
  va_list ap;

  va_start (ap, first_arg);
  run_binary_valist (run, FALSE, lang, first_arg, ap);
  va_end (ap);
}

/* The ids of the JSON array printed by --json, comma-separated. */
static char *
ids_of (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) ids = g_string_new (NULL);
  JsonArray *array;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  array = json_node_get_array (json_parser_get_root (parser));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *event = json_array_get_object_element (array, i);

      g_string_append_printf (ids, "%s%s", i ? "," : "",
                              json_object_get_string_member (event, "id"));
    }

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static char *
ids_at (const char *date)
{
  g_auto (Run) run = { 0 };
  g_autofree char *dataset = small_dataset ();
  g_autofree char *arg = g_strconcat ("--events-at=", date, NULL);
  g_autofree char *dataset_arg = g_strconcat ("--dataset=", dataset, NULL);

  run_chronotope (&run, NULL, arg, "--json", dataset_arg, NULL);
  if (!run_succeeded (&run))
    g_error ("chronotope %s failed: %s", arg, run.err);
  g_assert_cmpstr (run.err, ==, "");

  return ids_of (run.out);
}

static void
test_events_at_in_effect (void)
{
  struct {
    const char *date;
    const char *ids;
  } cases[] = {
    /* Ordered by start. "long" runs 2020-11-10..2024-06-12; "single" is 2023-05-01;
     * "uncertain-end" runs from 2022-12-12 to some day in spring 2023, so until
     * 31 May 2023 at the latest; "one-of" is 9 or 10 November 2020; "before" is 2019. */
    { "2023-05-01", "long,uncertain-end,single" },
    { "2023-05-02", "long,uncertain-end" },
    { "2023-05-31", "long,uncertain-end" },
    { "2023-06-01", "long" },
    { "2022-12-11", "long" },
    { "2022-12-12", "long,uncertain-end" },
    { "2020-11-08", "" },
    { "2020-11-09", "one-of" },
    { "2020-11-10", "one-of,long" },
    { "2020-11-11", "long" },
    { "2024-06-12", "long" },
    { "2024-06-13", "" },
    { "2019-01-01", "before" },
    { "2019-12-31", "before" },
    { "2018-12-31", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ids = ids_at (cases[i].date);

      g_test_message ("%s: %s", cases[i].date, ids);
      g_assert_cmpstr (ids, ==, cases[i].ids);
    }
}

static void
test_events_at_json_fields (void)
{
  g_auto (Run) run = { 0 };
  g_autofree char *dataset = small_dataset ();
  g_autofree char *dataset_arg = g_strconcat ("--dataset=", dataset, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *event, *place, *excerpt, *source, *claim;
  JsonArray *array, *places, *excerpts, *claims;

  run_chronotope (&run, NULL, "--events-at=2021-06-01", "--json", dataset_arg, NULL);
  g_assert_true (run_succeeded (&run));

  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 1);

  event = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (event, "id"), ==, "long");
  g_assert_cmpstr (json_object_get_string_member (event, "title"), ==, "Long stay");
  g_assert_cmpstr (json_object_get_string_member (event, "summary"), ==, "A long interval.");
  g_assert_cmpstr (json_object_get_string_member (event, "start"), ==, "2020-11-10");
  g_assert_cmpstr (json_object_get_string_member (event, "end"), ==, "2024-06-12");
  g_assert_cmpstr (json_object_get_string_member (event, "category"), ==, "military");

  places = json_object_get_array_member (event, "places");
  g_assert_cmpuint (json_array_get_length (places), ==, 2);
  place = json_array_get_object_element (places, 0);
  g_assert_cmpstr (json_object_get_string_member (place, "id"), ==, "stepanakert");
  g_assert_cmpstr (json_object_get_string_member (place, "name"), ==, "Stepanakert");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (place, "lat"), 39.8153, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (place, "lon"), 46.7517, 1e-9);
  place = json_array_get_object_element (places, 1);
  g_assert_cmpstr (json_object_get_string_member (place, "name"), ==, "Lachin");

  excerpts = json_object_get_array_member (event, "excerpts");
  g_assert_cmpuint (json_array_get_length (excerpts), ==, 2);
  excerpt = json_array_get_object_element (excerpts, 0);
  g_assert_cmpstr (json_object_get_string_member (excerpt, "quote"), ==,
                   "Le contingent comprend 1 960 militaires.");
  g_assert_cmpstr (json_object_get_string_member (excerpt, "lang"), ==, "fr");
  source = json_object_get_object_member (excerpt, "source");
  g_assert_cmpstr (json_object_get_string_member (source, "id"), ==, "src-a");
  g_assert_cmpstr (json_object_get_string_member (source, "title"), ==, "Article A");
  g_assert_cmpstr (json_object_get_string_member (source, "outlet"), ==, "Outlet A");
  g_assert_cmpstr (json_object_get_string_member (source, "published"), ==, "2024-04-17");
  /* Unknown stays unknown: null, not an empty string. */
  source = json_object_get_object_member (json_array_get_object_element (excerpts, 1), "source");
  g_assert_true (json_node_is_null (json_object_get_member (source, "outlet")));
  g_assert_true (json_node_is_null (json_object_get_member (source, "published")));

  /* The two sources disagree on the number of troops: both claims are there. */
  claims = json_object_get_array_member (event, "claims");
  g_assert_cmpuint (json_array_get_length (claims), ==, 2);
  claim = json_array_get_object_element (claims, 0);
  g_assert_cmpstr (json_object_get_string_member (claim, "key"), ==, "troops");
  g_assert_cmpstr (json_object_get_string_member (claim, "value"), ==, "1960");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (claim, "source"), "id"), ==, "src-a");
  claim = json_array_get_object_element (claims, 1);
  g_assert_cmpstr (json_object_get_string_member (claim, "value"), ==, "2000");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (claim, "source"), "id"), ==, "src-b");

  /* A single-day event ends as it starts. */
  {
    g_auto (Run) run2 = { 0 };
    g_autoptr (JsonParser) parser2 = json_parser_new ();

    run_chronotope (&run2, NULL, "--events-at=2019-03-03", "--json", dataset_arg, NULL);
    g_assert_true (run_succeeded (&run2));
    json_parser_load_from_data (parser2, run2.out, -1, &error);
    g_assert_no_error (error);
    event = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser2)), 0);
    g_assert_cmpstr (json_object_get_string_member (event, "start"), ==, "2019");
    g_assert_cmpstr (json_object_get_string_member (event, "end"), ==, "2019");
  }
}

static void
test_events_at_plain (void)
{
  g_auto (Run) run = { 0 };
  g_autofree char *dataset = small_dataset ();
  g_autofree char *dataset_arg = g_strconcat ("--dataset=", dataset, NULL);
  g_auto (GStrv) lines = NULL;

  run_chronotope (&run, NULL, "--events-at=2023-05-01", dataset_arg, NULL);
  g_assert_true (run_succeeded (&run));

  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4); /* three events and the final newline */
  g_assert_cmpstr (lines[0], ==, "10 November 2020 – 12 June 2024\tLong stay\tStepanakert, Lachin");
  g_assert_true (g_str_has_prefix (lines[1], "12 December 2022 – "));
  g_assert_true (g_str_has_suffix (lines[1], "\tEnds in spring\tLachin"));
  g_assert_cmpstr (lines[2], ==, "1 May 2023\tOne day\tLachin");
  g_assert_cmpstr (lines[3], ==, "");
}

static void
test_events_at_french (void)
{
  g_auto (Run) run = { 0 };
  g_autofree char *dataset = small_dataset ();
  g_autofree char *dataset_arg = g_strconcat ("--dataset=", dataset, NULL);
  const char *locale = "fr_FR.UTF-8";

  if (setlocale (LC_ALL, locale) == NULL)
    {
      g_test_skip ("the fr_FR.UTF-8 locale is not installed");
      return;
    }
  setlocale (LC_ALL, "C.UTF-8");

  run_chronotope (&run, locale, "--events-at=2023-05-01", "--json", dataset_arg, NULL);
  g_assert_true (run_succeeded (&run));
  /* Event texts and place names follow the UI language. */
  g_assert_nonnull (strstr (run.out, "\"Long séjour\""));
  g_assert_nonnull (strstr (run.out, "\"Latchine\""));
  g_assert_null (strstr (run.out, "\"Long stay\""));
}

/* Every hostile dataset read by --events-at (plain and --json): one line
 * and exit 1, or the events; the file's sha256 and its folder as they were */
static void
test_hostile_datasets (void)
{
  static const struct {
    const char *file;
    gboolean    reads;
    const char *err;
  } cases[] = {
    { "zero-bytes.chronotope", FALSE, "chronotope: 'zero-bytes.chronotope' is not a Chronotope dataset: the file is empty\n" },
    { "appid-no-tables.chronotope", FALSE,
      "chronotope: 'appid-no-tables.chronotope' is not a Chronotope dataset: it does not have the tables of a dataset\n" },
    { "corrupt-record.chronotope", FALSE,
      "chronotope: 'corrupt-record.chronotope' is damaged: a text of the event 'rtjmc-in-operation' is not valid UTF-8\n" },
    { "journal-delete.chronotope", TRUE, "" },
  };
  const char *fixtures = g_getenv ("CHRONO_FIXTURES_DIR");

  if (fixtures == NULL)
    {
      g_test_skip ("CHRONO_FIXTURES_DIR is not set");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint json = 0; json < 2; json++)
      {
        g_autofree char *from = g_build_filename (fixtures, "hostile", cases[i].file, NULL);
        g_autofree char *dir = g_dir_make_tmp ("chrono-cli-hostile-XXXXXX", NULL);
        g_autofree char *path = g_build_filename (dir, cases[i].file, NULL);
        g_autofree char *dataset_arg = g_strconcat ("--dataset=", path, NULL);
        g_autofree char *contents = NULL;
        g_autofree char *before = NULL;
        g_autofree char *after = NULL;
        g_autofree char *after_contents = NULL;
        g_autoptr (GDir) listing = NULL;
        g_auto (Run) run = { 0 };
        gsize length, after_length;
        guint n_files = 0;

        g_test_message ("%s%s", cases[i].file, json ? " --json" : "");
        g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
        g_assert_true (g_file_set_contents (path, contents, length, NULL));
        before = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);

        run_chronotope (&run, NULL, "--events-at=2023-05-01", dataset_arg, json ? "--json" : NULL, NULL);
        g_assert_cmpstr (run.err, ==, cases[i].err);
        g_assert_true (run_succeeded (&run) == cases[i].reads);
        if (cases[i].reads)
          {
            g_assert_true (g_utf8_validate (run.out, -1, NULL));
            g_assert_cmpuint (strlen (run.out), >, 100);
          }
        else
          g_assert_cmpstr (run.out, ==, "");

        g_assert_true (g_file_get_contents (path, &after_contents, &after_length, NULL));
        after = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) after_contents, after_length);
        g_assert_cmpstr (after, ==, before);
        listing = g_dir_open (dir, 0, NULL);
        while (g_dir_read_name (listing) != NULL)
          n_files++;
        g_assert_cmpuint (n_files, ==, 1);

        g_unlink (path);
        g_rmdir (dir);
      }
}

static void
test_bad_input (void)
{
  g_autofree char *dataset = small_dataset ();
  g_autofree char *dataset_arg = g_strconcat ("--dataset=", dataset, NULL);
  g_autofree char *tmpdir = g_dir_make_tmp ("chrono-cli-XXXXXX", NULL);
  g_autofree char *text_file = g_build_filename (tmpdir, "notes.chronotope", NULL);
  g_autofree char *text_arg = g_strconcat ("--dataset=", text_file, NULL);
  g_autofree char *after = NULL;
  struct {
    const char *date;
    const char *dataset_arg;
    const char *expect;
  } cases[] = {
    { "2023-02-30", dataset_arg, "2023-02-30" },
    { "2023-13-01", dataset_arg, "2023-13-01" },
    { "yesterday", dataset_arg, "yesterday" },
    { "2023-05", dataset_arg, "not a single day" },
    { "2023-05-01", "--dataset=/nonexistent/file.chronotope", "/nonexistent/file.chronotope" },
    { "2023-05-01", text_arg, "notes.chronotope" },
  };

  g_assert_true (g_file_set_contents (text_file, "just some notes\n", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (Run) run = { 0 };
      g_autofree char *arg = g_strconcat ("--events-at=", cases[i].date, NULL);

      run_chronotope (&run, NULL, arg, cases[i].dataset_arg, NULL);
      g_test_message ("%s %s: %s", cases[i].date, cases[i].dataset_arg, run.err);
      g_assert_false (run_succeeded (&run));
      g_assert_cmpstr (run.out, ==, "");
      /* One line that says what is wrong. */
      g_assert_true (g_str_has_suffix (run.err, "\n"));
      g_assert_true (strchr (run.err, '\n') == run.err + strlen (run.err) - 1);
      g_assert_nonnull (strstr (run.err, cases[i].expect));
    }

  /* A file that is not a dataset is left as it was. */
  g_assert_true (g_file_get_contents (text_file, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, "just some notes\n");
  g_remove (text_file);
  g_rmdir (tmpdir);
}

static void
test_version_and_help (void)
{
  g_auto (Run) version = { 0 };
  g_auto (Run) help = { 0 };

  run_chronotope (&version, NULL, "--version", NULL);
  g_assert_true (run_succeeded (&version));
  g_assert_cmpstr (version.out, ==, PACKAGE_NAME " " PACKAGE_VERSION "\n");

  run_chronotope (&help, NULL, "--help", NULL);
  g_assert_true (run_succeeded (&help));
  g_assert_nonnull (strstr (help.out, "--events-at=DATE"));
  g_assert_nonnull (strstr (help.out, "--json"));
  g_assert_nonnull (strstr (help.out, "--dataset=FILE"));
}

static void
test_bundled_dataset (void)
{
  g_auto (Run) run = { 0 };
  g_autofree char *ids = NULL;

  /* The bundled dataset, loaded on first use into the (isolated) user data dir.
   * On 1 May 2023 the peacekeepers were deployed and the Lachin corridor was
   * blockaded; the withdrawal had not begun. */
  run_chronotope (&run, NULL, "--events-at=2023-05-01", "--json", NULL);
  if (!run_succeeded (&run))
    g_error ("bundled dataset: %s", run.err);
  ids = ids_of (run.out);
  g_test_message ("2023-05-01: %s", ids);
  g_assert_nonnull (strstr (ids, "peacekeeping-mission"));
  g_assert_nonnull (strstr (ids, "lachin-blockade"));
  g_assert_null (strstr (ids, "withdrawal"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/events-at/in-effect", test_events_at_in_effect);
  g_test_add_func ("/cli/events-at/json-fields", test_events_at_json_fields);
  g_test_add_func ("/cli/events-at/plain", test_events_at_plain);
  g_test_add_func ("/cli/events-at/french", test_events_at_french);
  g_test_add_func ("/cli/bad-input", test_bad_input);
  g_test_add_func ("/cli/hostile-datasets", test_hostile_datasets);
  g_test_add_func ("/cli/version-and-help", test_version_and_help);
  g_test_add_func ("/cli/bundled-dataset", test_bundled_dataset);

  return g_test_run ();
}
