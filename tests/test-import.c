/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <sqlite3.h>

#include "chrono-dataset.h"
#include "chrono-import.h"
#include "test-run.h"

/* The import interface shared by every reader: loose dates, HTML to text,
 * ids, the JSON depth guard, detection, and the driver's transaction. */

static void
test_dates_loose (void)
{
  static const struct
  {
    const char *text;
    ChronoDateOrder order;
    const char *edtf;   /* NULL: an error */
  } cases[] = {
    { "2020-11-10", CHRONO_DATE_ORDER_UNKNOWN, "2020-11-10" },
    { " 2023-09 ", CHRONO_DATE_ORDER_UNKNOWN, "2023-09" },
    /* Times become the day in UTC */
    { "2020-11-10T23:30:00-02:00", CHRONO_DATE_ORDER_UNKNOWN, "2020-11-11" },
    { "2020-11-10 01:00+03:00", CHRONO_DATE_ORDER_UNKNOWN, "2020-11-09" },
    { "2020-11-10T10:00:00.000Z", CHRONO_DATE_ORDER_UNKNOWN, "2020-11-10" },
    { "2020-12-31T23:59:59-0100", CHRONO_DATE_ORDER_UNKNOWN, "2021-01-01" },
    /* Eras: 1 BC is year 0 */
    { "1920BC", CHRONO_DATE_ORDER_UNKNOWN, "-1919" },
    { "500 BCE", CHRONO_DATE_ORDER_UNKNOWN, "-0499" },
    { "44 B.C.", CHRONO_DATE_ORDER_UNKNOWN, "-0043" },
    { "AD 79", CHRONO_DATE_ORDER_UNKNOWN, "0079" },
    { "79 CE", CHRONO_DATE_ORDER_UNKNOWN, "0079" },
    { "141 or 142AD", CHRONO_DATE_ORDER_UNKNOWN, "[0141,0142]" },
    { "-500", CHRONO_DATE_ORDER_UNKNOWN, "-0500" },
    { "-13800000000", CHRONO_DATE_ORDER_UNKNOWN, "Y-13800000000" },
    { "602", CHRONO_DATE_ORDER_UNKNOWN, "0602" },
    { "c. 1500", CHRONO_DATE_ORDER_UNKNOWN, "1500~" },
    { "circa 1500", CHRONO_DATE_ORDER_UNKNOWN, "1500~" },
    { "1500?", CHRONO_DATE_ORDER_UNKNOWN, "1500?" },
    /* Other spellings of days */
    { "2020.11.10", CHRONO_DATE_ORDER_UNKNOWN, "2020-11-10" },
    { "2020/11/10", CHRONO_DATE_ORDER_UNKNOWN, "2020-11-10" },
    { "2020-5-3", CHRONO_DATE_ORDER_UNKNOWN, "2020-05-03" },
    { "November 5, 2020", CHRONO_DATE_ORDER_UNKNOWN, "2020-11-05" },
    { "Nov 5th, 2020", CHRONO_DATE_ORDER_UNKNOWN, "2020-11-05" },
    { "Nov 2020", CHRONO_DATE_ORDER_UNKNOWN, "2020-11" },
    { "5 November 2020", CHRONO_DATE_ORDER_UNKNOWN, "2020-11-05" },
    { "5 novembre 2020", CHRONO_DATE_ORDER_UNKNOWN, "2020-11-05" },
    { "1er mars 2021", CHRONO_DATE_ORDER_UNKNOWN, "2021-03-01" },
    { "12/2020", CHRONO_DATE_ORDER_UNKNOWN, "2020-12" },
    /* Day and month order */
    { "25/11/2020", CHRONO_DATE_ORDER_UNKNOWN, "2020-11-25" },
    { "11/25/2020", CHRONO_DATE_ORDER_UNKNOWN, "2020-11-25" },
    { "05/11/2020", CHRONO_DATE_ORDER_UNKNOWN, NULL },
    { "05/11/2020", CHRONO_DATE_ORDER_DMY, "2020-11-05" },
    { "05/11/2020", CHRONO_DATE_ORDER_MDY, "2020-05-11" },
    { "05.11.2020", CHRONO_DATE_ORDER_DMY, "2020-11-05" },
    /* Not dates */
    { "31/02/2020", CHRONO_DATE_ORDER_DMY, NULL },
    { "2020-13-01", CHRONO_DATE_ORDER_UNKNOWN, NULL },
    { "Foo 12, 2020", CHRONO_DATE_ORDER_UNKNOWN, NULL },
    { "", CHRONO_DATE_ORDER_UNKNOWN, NULL },
    { "2023-01-01junk", CHRONO_DATE_ORDER_UNKNOWN, NULL },
    { "2020-11-10T25:00", CHRONO_DATE_ORDER_UNKNOWN, NULL },
    /* A day of a year past 9999, with a time (found by fuzz-import-geojson) */
    { "20015-06-02T00:00:00Z", CHRONO_DATE_ORDER_UNKNOWN, NULL },
    { "20015-06-02", CHRONO_DATE_ORDER_UNKNOWN, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      ChronoDateHints hints = { cases[i].order, 0, FALSE };
      g_autofree char *edtf = chrono_import_date_from_text (cases[i].text, &hints, &error);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpstr (edtf, ==, cases[i].edtf);
      if (cases[i].edtf == NULL)
        g_assert_nonnull (error);
      else
        {
          /* What comes out is EDTF the core reads */
          g_autoptr (ChronoEdtf) parsed = chrono_edtf_parse (edtf, NULL);

          g_assert_nonnull (parsed);
        }
    }
}

static void
test_dates_two_digit_years (void)
{
  g_autoptr (GError) error = NULL;
  ChronoDateHints hints = { CHRONO_DATE_ORDER_UNKNOWN, 1900, FALSE };
  g_autofree char *a = chrono_import_date_from_text ("5-Nov-20", &hints, &error);
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  g_assert_cmpstr (a, ==, "1920-11-05");
  g_assert_true (hints.two_digit_year);

  hints = (ChronoDateHints) { CHRONO_DATE_ORDER_DMY, 2000, FALSE };
  b = chrono_import_date_from_text ("03/04/98", &hints, &error);
  g_assert_cmpstr (b, ==, "2098-04-03");

  /* Four digits are never touched */
  hints = (ChronoDateHints) { CHRONO_DATE_ORDER_UNKNOWN, 1900, FALSE };
  c = chrono_import_date_from_text ("5-Nov-2020", &hints, &error);
  g_assert_cmpstr (c, ==, "2020-11-05");
  g_assert_false (hints.two_digit_year);
}

static void
test_dates_parts_and_unix (void)
{
  g_autofree char *a = chrono_import_date_from_parts (1963, 8, 9);
  g_autofree char *b = chrono_import_date_from_parts (-3500, 0, 0);
  g_autofree char *c = chrono_import_date_from_parts (2020, 2, 30);
  g_autofree char *d = chrono_import_date_from_unix (0);
  g_autofree char *e = chrono_import_date_from_unix (-1);
  g_autofree char *f = chrono_import_date_from_unix (1605052800); /* 2020-11-11T00:00:00Z */
  g_autofree char *g = chrono_import_date_from_parts (-13800000000, 0, 0);

  g_assert_cmpstr (a, ==, "1963-08-09");
  g_assert_cmpstr (b, ==, "-3500");
  g_assert_null (c);
  g_assert_cmpstr (d, ==, "1970-01-01");
  g_assert_cmpstr (e, ==, "1969-12-31");
  g_assert_cmpstr (f, ==, "2020-11-11");
  g_assert_cmpstr (g, ==, "Y-13800000000");
}

static void
test_dates_order (void)
{
  const char * const dmy[] = { "01/02/2020", "25/12/2020", NULL, "junk" };
  const char * const mdy[] = { "01/02/2020", "12/25/2020" };
  const char * const unknown[] = { "01/02/2020", "03/04/2020" };
  const char * const none[] = { "2020-01-02", "1999" };
  gboolean ambiguous;

  g_assert_cmpint (chrono_import_guess_date_order (dmy, G_N_ELEMENTS (dmy), &ambiguous), ==, CHRONO_DATE_ORDER_DMY);
  g_assert_false (ambiguous);
  g_assert_cmpint (chrono_import_guess_date_order (mdy, G_N_ELEMENTS (mdy), &ambiguous), ==, CHRONO_DATE_ORDER_MDY);
  g_assert_false (ambiguous);
  g_assert_cmpint (chrono_import_guess_date_order (unknown, G_N_ELEMENTS (unknown), &ambiguous), ==, CHRONO_DATE_ORDER_UNKNOWN);
  g_assert_true (ambiguous);
  g_assert_cmpint (chrono_import_guess_date_order (none, G_N_ELEMENTS (none), &ambiguous), ==, CHRONO_DATE_ORDER_UNKNOWN);
  g_assert_false (ambiguous);
}

static void
test_text_html (void)
{
  static const struct { const char *html, *text; } cases[] = {
    { "plain text", "plain text" },
    { "<p>One</p><p>Two &amp; three</p>", "One\n\nTwo & three" },
    { "a<br/>b<br>c", "a\nb\nc" },
    { "<ul><li>x</li><li>y</li></ul>", "• x\n• y" },
    { "<table><tr><td>Speed:</td><td>17.8</td></tr><tr><td>Heading:</td><td>19.9</td></tr></table>",
      "Speed: 17.8\nHeading: 19.9" },
    { "caf&eacute; &#233; &#xE9; &lt;b&gt;", "café é é <b>" },
    { "<script>alert(1)</script>kept <!-- gone -->here", "kept here" },
    { "  lots   of\t blanks ", "lots of blanks" },
    { "<a href=\"x\">link</a> &unknown; &", "link &unknown; &" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = chrono_import_text_from_html (cases[i].html);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_text_limit_and_slug (void)
{
  g_autofree char *cut = chrono_import_text_limit ("ééé", 3);
  g_autofree char *bad = chrono_import_text_limit ("a\xff" "b", 10);
  g_autofree char *slug = chrono_import_slug ("Lachin Corridor (Latchine)");
  g_autofree char *accents = chrono_import_slug ("Xankəndi / Ստեփանակերտ");
  g_autofree char *empty = chrono_import_slug ("!!!");

  g_assert_cmpstr (cut, ==, "é…");
  g_assert_true (g_utf8_validate (bad, -1, NULL));
  g_assert_cmpstr (bad, ==, "a\xef\xbf\xbd" "b");
  g_assert_cmpstr (slug, ==, "lachin-corridor-latchine");
  g_assert_true (g_str_has_prefix (accents, "xank"));
  g_assert_cmpstr (empty, ==, "");
}

static void
test_json_depth (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) deep = g_string_new ("{\"a\": \"[[[[\",\n\"b\": ");

  for (guint i = 0; i < 600; i++)
    g_string_append_c (deep, '[');

  g_assert_true (chrono_import_check_json ("[[[\"[[[[[[\"]]]", 14, 3, "x.json", &error));
  g_assert_no_error (error);
  g_assert_false (chrono_import_check_json (deep->str, deep->len, 512, "deep.json", &error));
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_TOO_LARGE);
  /* The line where the limit is passed */
  g_assert_true (g_str_has_prefix (error->message, "deep.json:2:"));
}

/* \u escapes json-glib 1.6 mishandles are refused first, with the line */
static void
test_json_escapes (void)
{
  static const struct {
    const char *json;
    gboolean ok;
    const char *message;
  } cases[] = {
    { "[\"caf\\u00e9 \\ud83d\\ude00 \\\\u12\"]", TRUE, NULL },
    { "[\"\\u\\\"\"]", FALSE, "a.json:1: a \\u escape needs four hexadecimal digits" },
    { "[\"\\u12\"]", FALSE, "a.json:1: a \\u escape needs four hexadecimal digits" },
    { "[\"x\",\n\"\\uZZZZ\"]", FALSE, "a.json:2: a \\u escape needs four hexadecimal digits" },
    { "[\"\\ud83d\\u\"]", FALSE, "a.json:1: \\ud83d is half of a UTF-16 surrogate pair, not a character" },
    { "[\"\\ud83d\\u0041\"]", FALSE, "a.json:1: \\ud83d is half of a UTF-16 surrogate pair, not a character" },
    { "[\"\\ud800\"]", FALSE, "a.json:1: \\ud800 is half of a UTF-16 surrogate pair, not a character" },
    { "[\"\\udc00\\ud800\"]", FALSE, "a.json:1: \\udc00 is half of a UTF-16 surrogate pair, not a character" },
    { "[\"\\ud83d", FALSE, "a.json:1: \\ud83d is half of a UTF-16 surrogate pair, not a character" },
    { " {\"a\": [1, \"}{\"]}\n ", TRUE, NULL },
    { "-12.5e3 ", TRUE, NULL },
    { "{\"a\": 1}\n{\"b\": 2}", FALSE, "a.json:2: more JSON after the end of the document" },
    { "\"geometry\"{\"b\": 2}", FALSE, "a.json:1: more JSON after the end of the document" },
    { "1 [2]", FALSE, "a.json:1: more JSON after the end of the document" },
    { "true false", FALSE, "a.json:1: more JSON after the end of the document" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      gboolean ok = chrono_import_check_json (cases[i].json, strlen (cases[i].json), 16, "a.json", &error);

      g_test_message ("%s", cases[i].json);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_no_error (error);
      else
        {
          g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
          g_assert_cmpstr (error->message, ==, cases[i].message);
        }
    }
}

static void
test_hostile_deep_nesting (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("CHRONO_FIXTURES_DIR"), "hostile", "deep-nesting-80k.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GBytes) bytes = g_file_load_bytes (file, NULL, NULL, NULL);
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (GError) error = NULL;

  if (bytes == NULL)
    {
      g_test_skip ("no shared fixtures");
      return;
    }

  /* The native loader too: it used to overflow the stack */
  g_assert_false (chrono_dataset_import_bytes (store, bytes, "deep-nesting-80k.json", &error));
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_TOO_LARGE);
  g_clear_error (&error);

  import = chrono_import_new (store, "deep-nesting-80k.json", NULL);
  g_assert_false (chrono_import_run (import, bytes, &error));
  g_assert_nonnull (error);
}

static void
test_detect_and_native (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("CHRONO_SOURCE_ROOT"), "data", "datasets",
                                            "karabakh-peacekeeping.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GBytes) bytes = g_file_load_bytes (file, NULL, NULL, NULL);
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = chrono_import_new (store, "karabakh-peacekeeping.json", NULL);
  g_autoptr (ChronoImport) again = NULL;
  g_autoptr (GError) error = NULL;
  ChronoStoreCounts counts = { 0 };

  g_assert_nonnull (bytes);
  g_assert_true (chrono_import_detect ("karabakh-peacekeeping.json", bytes) == chrono_import_find_format ("chronotope"));

  g_assert_true (chrono_import_run (import, bytes, &error));
  g_assert_no_error (error);
  g_assert_true (chrono_store_get_counts (store, &counts, NULL));
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, counts.events);
  g_assert_cmpuint (counts.events, >=, 40);

  /* A dataset is opened, not added into another: the store is left alone */
  again = chrono_import_new (store, "karabakh-peacekeeping.json", NULL);
  g_assert_false (chrono_import_run (again, bytes, &error));
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED);
  {
    ChronoStoreCounts after = { 0 };

    g_assert_true (chrono_store_get_counts (store, &after, NULL));
    g_assert_cmpuint (after.events, ==, counts.events);
  }
}

static void
test_unknown_format (void)
{
  g_autoptr (GBytes) bytes = g_bytes_new_static ("\x89PNG\r\n\x1a\n", 8);
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = chrono_import_new (store, "picture.png", NULL);
  g_autoptr (ChronoImportOptions) options = chrono_import_options_new ();
  g_autoptr (ChronoImport) forced = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_false (chrono_import_run (import, bytes, &error));
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNKNOWN_FORMAT);
  g_assert_nonnull (strstr (error->message, "picture.png"));
  g_clear_error (&error);

  options->format = g_strdup ("xls");
  forced = chrono_import_new (store, "picture.png", options);
  g_assert_false (chrono_import_run (forced, bytes, &error));
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNKNOWN_FORMAT);
  g_assert_nonnull (strstr (error->message, "csv"));
}

static void
test_columns_option (void)
{
  g_autoptr (ChronoImportOptions) options = chrono_import_options_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (chrono_import_options_parse_columns (options, "title=Headline, start = Begin Date,LAT=y", &error));
  g_assert_cmpstr (options->columns[CHRONO_COLUMN_TITLE], ==, "Headline");
  g_assert_cmpstr (options->columns[CHRONO_COLUMN_START], ==, "Begin Date");
  g_assert_cmpstr (options->columns[CHRONO_COLUMN_LAT], ==, "y");

  g_assert_false (chrono_import_options_parse_columns (options, "when=Date", &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_assert_nonnull (strstr (error->message, "when"));
  g_clear_error (&error);
  g_assert_false (chrono_import_options_parse_columns (options, "title", &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
}

static guint
count_found (ChronoStore *store,
             const char  *text)
{
  g_autoptr (GArray) found = chrono_store_search (store, text, NULL);

  /* A failed search counts as none, which the callers' counts catch */
  return found != NULL ? found->len : G_MAXUINT;
}

/* An import puts its events in the search index itself: titles, texts,
 * quotes and every name of their places are found, in a new dataset and in
 * one added to, where the events already there are still found too. */
static void
test_search_after_import (void)
{
  static const char first_csv[] = "date,title,place,lat,lon,description\n"
                                  "2020-01-02,Harvest festival,Goris,39.51,46.34,Dancing in the square\n"
                                  "2020-03-04,Bridge opened,Meghri,38.90,46.24,A new bridge over the Araks\n";
  static const char second_csv[] = "date,title,place,lat,lon\n"
                                   "2021-05-06,Flood,Kapan,39.21,46.41\n";
  g_autoptr (GBytes) first = g_bytes_new_static (first_csv, sizeof first_csv - 1);
  g_autoptr (GBytes) second = g_bytes_new_static (second_csv, sizeof second_csv - 1);
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = chrono_import_new (store, "first.csv", NULL);
  g_autoptr (ChronoImport) more = chrono_import_new (store, "second.csv", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (chrono_import_run (import, first, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_found (store, "festival"), ==, 1);
  g_assert_cmpuint (count_found (store, "Araks"), ==, 1);
  g_assert_cmpuint (count_found (store, "Meghri"), ==, 1);
  g_assert_cmpuint (count_found (store, "bridge"), ==, 1);
  g_assert_cmpuint (count_found (store, "Kapan"), ==, 0);

  g_assert_true (chrono_import_run (more, second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_found (store, "Kapan"), ==, 1);
  g_assert_cmpuint (count_found (store, "flood"), ==, 1);
  g_assert_cmpuint (count_found (store, "festival"), ==, 1);
}

/* An import indexes its events folded as a search is: the Azerbaijani name
 * of a place is found as it is usually typed, without its ə. */
static void
test_search_folded_after_import (void)
{
  static const char csv[] = "date,title,place,lat,lon\n"
                            "2023-09-19,Offensive,Xankəndi,39.81,46.75\n"
                            "2020-01-02,Market day,Xankent,39.51,46.34\n";
  g_autoptr (GBytes) bytes = g_bytes_new_static (csv, sizeof csv - 1);
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = chrono_import_new (store, "folded.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) offensive = NULL;
  g_autoptr (GArray) found = NULL;

  g_assert_true (chrono_import_run (import, bytes, &error));
  g_assert_no_error (error);

  offensive = chrono_store_search (store, "offensive", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (offensive->len, ==, 1);
  found = chrono_store_search (store, "Xankendi", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (g_array_index (found, gint64, 0), ==, g_array_index (offensive, gint64, 0));

  g_assert_cmpuint (count_found (store, "Xankəndi"), ==, 1);
  g_assert_cmpuint (count_found (store, "XANKƏNDI"), ==, 1);
  g_assert_cmpuint (count_found (store, "xankendi offensive"), ==, 1);
  /* "Xankent" shares only a prefix with it */
  g_assert_cmpuint (count_found (store, "Xankent"), ==, 1);
  g_assert_cmpuint (count_found (store, "Xanken"), ==, 2);
}

static void
test_problem_strings (void)
{
  ChronoImportProblem line = { 12, 0, NULL, (char *) "no date" };
  ChronoImportProblem column = { 3, 7, NULL, (char *) "bad" };
  ChronoImportProblem path = { 0, 0, (char *) "features[12]", (char *) "no geometry" };
  g_autofree char *a = chrono_import_problem_to_string (&line, "x.csv");
  g_autofree char *b = chrono_import_problem_to_string (&column, "x.kml");
  g_autofree char *c = chrono_import_problem_to_string (&path, "x.geojson");

  g_assert_cmpstr (a, ==, "x.csv:12: no date");
  g_assert_cmpstr (b, ==, "x.kml:3:7: bad");
  g_assert_cmpstr (c, ==, "x.geojson: features[12]: no geometry");
}

static void
run_chronotope (Run        *run,
                const char *first_arg,
                ...)
{
  va_list ap;

  va_start (ap, first_arg);
  run_binary_valist (run, FALSE, NULL, first_arg, ap);
  va_end (ap);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static char *
bundled_json (void)
{
  return g_build_filename (g_getenv ("CHRONO_SOURCE_ROOT"), "data", "datasets", "karabakh-peacekeeping.json", NULL);
}

/* Counts the entries of the user's datasets folder (where --import writes). */
static guint
count_datasets (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "chronotope", NULL);
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (handle != NULL && g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

static void
test_cli_import_new (void)
{
  g_auto (Run) run = { 0 };
  g_auto (Run) again = { 0 };
  g_autofree char *json = bundled_json ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "chronotope",
                                                "karabakh-peacekeeping.chronotope", NULL);
  g_autofree char *second = g_build_filename (g_get_user_data_dir (), "chronotope",
                                              "karabakh-peacekeeping-2.chronotope", NULL);
  g_autofree char *import_arg = g_strconcat ("--import=", json, NULL);
  g_autofree char *dataset_arg = g_strconcat ("--dataset=", expected, NULL);
  g_autoptr (ChronoStore) store = NULL;
  ChronoStoreCounts counts = { 0 };

  run_chronotope (&run, import_arg, NULL);
  g_assert_true (run_succeeded (&run));
  g_assert_cmpstr (run.out, ==, "Imported 50 events, 26 places, 5 sources; 0 skipped\n");
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));

  store = chrono_store_open (expected, NULL);
  g_assert_nonnull (store);
  g_assert_true (chrono_store_get_counts (store, &counts, NULL));
  g_assert_cmpuint (counts.events, ==, 50);
  g_clear_object (&store);

  /* A second import never overwrites the first */
  run_chronotope (&again, import_arg, NULL);
  g_assert_true (run_succeeded (&again));
  g_assert_true (g_file_test (second, G_FILE_TEST_IS_REGULAR));

  /* And the new dataset can be read at once */
  run_chronotope (&again, "--events-at=2020-12-13", dataset_arg, NULL);
  g_assert_true (run_succeeded (&again));
  g_assert_nonnull (strstr (again.out, "Russian peacekeepers take back the locality"));
}

static void
test_cli_import_bad_arguments (void)
{
  g_autofree char *json = bundled_json ();
  g_autofree char *import_arg = g_strconcat ("--import=", json, NULL);
  static const char * const bad[][2] = {
    { "--date-order=ymd", "dmy or mdy" },
    { "--columns=when=Date", "not a column role" },
    { "--format=xls", "not a format" },
  };
  guint before = count_datasets ();

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto (Run) run = { 0 };

      run_chronotope (&run, import_arg, bad[i][0], NULL);
      g_assert_false (run_succeeded (&run));
      g_assert_true (g_spawn_check_wait_status (run.status, NULL) == FALSE);
      g_assert_cmpint (WEXITSTATUS (run.status), ==, 2);
      g_assert_nonnull (strstr (run.err, bad[i][1]));
    }

  {
    g_auto (Run) run = { 0 };

    run_chronotope (&run, "--import=/nowhere/file.csv", NULL);
    g_assert_cmpint (WEXITSTATUS (run.status), ==, 2);
    g_assert_nonnull (strstr (run.err, "/nowhere/file.csv"));
  }

  {
    g_auto (Run) run = { 0 };

    run_chronotope (&run, "--into=x.chronotope", NULL);
    g_assert_cmpint (WEXITSTATUS (run.status), ==, 2);
    g_assert_nonnull (strstr (run.err, "--into"));
  }

  g_assert_cmpuint (count_datasets (), ==, before);
}

static void
test_cli_import_nothing (void)
{
  g_autofree char *dir = g_dir_make_tmp ("chrono-import-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "picture.png", NULL);
  g_autofree char *into = g_build_filename (dir, "target.chronotope", NULL);
  g_autofree char *import_arg = g_strconcat ("--import=", path, NULL);
  g_autofree char *into_arg = g_strconcat ("--into=", into, NULL);
  g_auto (Run) run = { 0 };
  guint before = count_datasets ();

  g_assert_true (g_file_set_contents (path, "\x89PNG\r\n\x1a\n", 8, NULL));
  run_chronotope (&run, import_arg, into_arg, NULL);
  g_assert_cmpint (WEXITSTATUS (run.status), ==, 1);
  g_assert_nonnull (strstr (run.err, "picture.png"));
  g_assert_cmpstr (run.out, ==, "");
  /* Nothing written, not even a temporary file */
  g_assert_false (g_file_test (into, G_FILE_TEST_EXISTS));
  {
    g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
    guint n = 0;

    while (g_dir_read_name (handle) != NULL)
      n++;
    g_assert_cmpuint (n, ==, 1);
  }
  g_assert_cmpuint (count_datasets (), ==, before);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_cli_import_into_refused_keeps_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("chrono-import-XXXXXX", NULL);
  g_autofree char *into = g_build_filename (dir, "target.chronotope", NULL);
  g_autofree char *json = bundled_json ();
  g_autofree char *import_arg = g_strconcat ("--import=", json, NULL);
  g_autofree char *into_arg = g_strconcat ("--into=", into, NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto (Run) run = { 0 };

  run_chronotope (&run, import_arg, into_arg, NULL);
  g_assert_true (run_succeeded (&run));
  g_assert_true (g_file_test (into, G_FILE_TEST_IS_REGULAR));
  before = file_checksum (into);

  /* A Chronotope dataset is not added into another: exit 1, file as it was */
  run_chronotope (&run, import_arg, into_arg, NULL);
  g_assert_cmpint (WEXITSTATUS (run.status), ==, 1);
  g_assert_nonnull (strstr (run.err, "open it instead"));
  after = file_checksum (into);
  g_assert_cmpstr (before, ==, after);
}

static void
test_cli_events_at_names (void)
{
  g_autofree char *json = bundled_json ();
  g_autofree char *dataset_arg = g_strconcat ("--dataset=", json, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_auto (Run) run = { 0 };
  gboolean found_artsakh = FALSE;
  JsonArray *events;

  run_chronotope (&run, "--events-at=2020-12-13", "--json", dataset_arg, NULL);
  g_assert_true (run_succeeded (&run));
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, NULL));
  events = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonArray *places = json_object_get_array_member (json_array_get_object_element (events, i), "places");

      for (guint j = 0; j < json_array_get_length (places); j++)
        {
          JsonArray *names = json_object_get_array_member (json_array_get_object_element (places, j), "names");

          g_assert_nonnull (names);
          g_assert_cmpuint (json_array_get_length (names), >=, 1);
          for (guint k = 0; k < json_array_get_length (names); k++)
            {
              JsonObject *name = json_array_get_object_element (names, k);

              g_assert_nonnull (json_object_get_string_member (name, "lang"));
              if (g_strcmp0 (json_object_get_string_member (name, "name"), "Artsakh") == 0)
                found_artsakh = TRUE;
            }
        }
    }
  /* The mission is in effect then, at Nagorno-Karabakh, which Armenians call Artsakh */
  g_assert_cmpuint (json_array_get_length (events), >, 0);
  g_assert_true (found_artsakh);
}

/* --events-at reads any importable file as it is: imported into memory,
 * nothing written beside it. timeline3.json: "A Musical Heritage" is
 * 9 August 1963; "Debut" is the year 1985. */
static void
test_cli_events_at_importable (void)
{
  g_autofree char *fixture = g_build_filename (g_getenv ("CHRONO_FIXTURES_DIR"), "timelinejs", "timeline3.json", NULL);
  g_autofree char *dir = g_dir_make_tmp ("chrono-events-at-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "timeline3.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *dataset_arg = g_strconcat ("--dataset=", path, NULL);
  g_auto (Run) run = { 0 };
  gsize len;

  g_assert_true (g_file_get_contents (fixture, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (path, contents, len, NULL));

  run_chronotope (&run, "--events-at=1963-08-09", dataset_arg, NULL);
  g_assert_true (run_succeeded (&run));
  g_assert_cmpstr (run.out, ==, "9 August 1963\tA Musical Heritage\n");

  run_chronotope (&run, "--events-at=1985-06-01", dataset_arg, NULL);
  g_assert_true (run_succeeded (&run));
  g_assert_nonnull (strstr (run.out, "\tDebut\n"));
  g_assert_null (strstr (run.out, "A Musical Heritage"));

  /* Only the file itself in its folder */
  {
    g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
    const char *name;
    guint n = 0;

    while ((name = g_dir_read_name (handle)) != NULL)
      {
        g_assert_cmpstr (name, ==, "timeline3.json");
        n++;
      }
    g_assert_cmpuint (n, ==, 1);
  }
  g_unlink (path);
  g_rmdir (dir);
}

/* A table of @n events at a few places, as a spreadsheet would give them */
static char *
write_big_csv (const char *dir,
               guint       n)
{
  g_autofree char *path = g_build_filename (dir, "big.csv", NULL);
  g_autoptr (GString) csv = g_string_new ("date,title,place,lat,lon,description\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "%04u-%02u-%02u,Event %u,Town %u,%.4f,%.4f,Something happened in town %u\n",
                            1900 + i % 120, 1 + i % 12, 1 + i % 28, i, i % 50,
                            40.0 + (i % 50) * 0.01, 44.0 + (i % 50) * 0.01, i % 50);
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));
  return g_steal_pointer (&path);
}

static guint
count_events (const char *path)
{
  g_autoptr (ChronoStore) store = chrono_store_open (path, NULL);
  ChronoStoreCounts counts = { 0 };

  g_assert_nonnull (store);
  g_assert_true (chrono_store_get_counts (store, &counts, NULL));
  return counts.events;
}

static gboolean
integrity_ok (const char *path)
{
  g_autofree char *uri = g_strconcat ("file:", path, "?mode=ro", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  g_assert_cmpint (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  ok = sqlite3_step (stmt) == SQLITE_ROW && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ok;
}

/* Runs `chronotope ARGS` and kills it with SIGKILL after @delay_us, or lets it
 * finish when it is faster. Returns: whether it was killed */
static gboolean
run_and_kill (const char * const *args,
              gint64              delay_us)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) envp = g_get_environ ();
  g_autoptr (GError) error = NULL;
  g_autofree char *stderr_path = NULL;
  g_autofree char *messages = NULL;
  GPid pid;
  int status;
  int stderr_fd;
  gint64 until = g_get_monotonic_time () + delay_us;
  gboolean killed = FALSE;

  g_ptr_array_add (argv, g_build_filename (g_getenv ("CHRONO_BUILD_ROOT"), "src", "chronotope", NULL));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  envp = g_environ_unsetenv (envp, "DISPLAY");

  /* Its messages go to a file, shown when it fails on its own */
  stderr_path = g_build_filename (g_get_tmp_dir (), "chrono-kill-stderr-XXXXXX", NULL);
  stderr_fd = g_mkstemp (stderr_path);
  g_assert_cmpint (stderr_fd, >=, 0);
  g_assert_true (g_spawn_async_with_fds (NULL, (char **) argv->pdata, envp,
                                         G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                         NULL, NULL, &pid, -1, -1, stderr_fd, &error));
  g_assert_no_error (error);
  close (stderr_fd);

  for (;;)
    {
      pid_t done = waitpid (pid, &status, WNOHANG);

      if (done == pid)
        break;
      if (g_get_monotonic_time () >= until)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          killed = WIFSIGNALED (status);
          break;
        }
      g_usleep (1000);
    }

  g_spawn_close_pid (pid);
  if (!killed && g_file_get_contents (stderr_path, &messages, NULL, NULL) &&
      !(WIFEXITED (status) && WEXITSTATUS (status) == 0))
    g_test_message ("chronotope ended with status %d: %s", status, messages);
  g_unlink (stderr_path);
  return killed;
}

/* kill -9 at random moments of a large import: a new dataset is whole or
 * absent (and what the killed import left is cleaned up by the next), and
 * a dataset imported into keeps what it had, or has all of the import. */
static void
test_cli_import_killed (void)
{
  /* Enough rows that a kill lands inside the import; instrumented builds
   * (address sanitizer, whose full unwinding the children inherit) take some
   * fifty times as long per row, so fewer rows take as long there. */
#ifdef __SANITIZE_ADDRESS__
  const guint rows = 1500;
#else
  const guint rows = 30000;
#endif
  g_autofree char *dir = g_dir_make_tmp ("chrono-kill-XXXXXX", NULL);
  g_autofree char *csv = write_big_csv (dir, rows);
  g_autofree char *small_dir = g_dir_make_tmp ("chrono-kill-small-XXXXXX", NULL);
  g_autofree char *small = write_big_csv (small_dir, 10);
  g_autofree char *existing = g_build_filename (dir, "existing.chronotope", NULL);
  g_autofree char *import_arg = g_strconcat ("--import=", csv, NULL);
  g_autofree char *existing_arg = g_strconcat ("--into=", existing, NULL);
  g_autofree char *small_arg = g_strconcat ("--import=", small, NULL);
  g_autofree char *before = NULL;
  gint64 start, full;
  guint killed = 0, finished = 0;
  GRand *rand = g_rand_new_with_seed (20201110);

  /* How long a whole import takes here */
  {
    g_autofree char *target = g_build_filename (dir, "timing.chronotope", NULL);
    g_autofree char *into_arg = g_strconcat ("--into=", target, NULL);
    const char * const args[] = { import_arg, into_arg, NULL };

    start = g_get_monotonic_time ();
    g_assert_false (run_and_kill (args, 600 * G_TIME_SPAN_SECOND));
    full = g_get_monotonic_time () - start;
    /* (chrono_store_open () would make an empty one) */
    g_assert_true (g_file_test (target, G_FILE_TEST_EXISTS));
    g_assert_cmpuint (count_events (target), ==, rows);
    g_unlink (target);
  }

  {
    g_auto (Run) run = { 0 };

    run_chronotope (&run, small_arg, existing_arg, NULL);
    g_assert_true (run_succeeded (&run));
  }
  before = file_checksum (existing);

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *target = g_strdup_printf ("%s/new-%u.chronotope", dir, i);
      g_autofree char *into_arg = g_strconcat ("--into=", target, NULL);
      const char * const new_args[] = { import_arg, into_arg, NULL };
      const char * const into_args[] = { import_arg, existing_arg, NULL };
      gint64 delay = g_rand_int_range (rand, 0, (gint32) MIN (full, G_MAXINT32));

      /* A new dataset: all of it, or nothing at its name */
      if (run_and_kill (new_args, delay))
        {
          killed++;
          /* Killed after its rename and before it exited: all of it */
          if (g_file_test (target, G_FILE_TEST_EXISTS))
            g_assert_cmpuint (count_events (target), ==, rows);
        }
      else
        {
          finished++;
          g_assert_cmpuint (count_events (target), ==, rows);
        }

      /* An existing dataset: as it was, or with the whole import */
      delay = g_rand_int_range (rand, 0, (gint32) MIN (full, G_MAXINT32));
      run_and_kill (into_args, delay);
      g_assert_true (integrity_ok (existing));
      {
        guint n = count_events (existing);
        g_autofree char *now = NULL;

        g_assert_true (n % rows == 10);
        if (n == 10)
          {
            /* Nothing committed: the file's content is as it was */
            now = file_checksum (existing);
            g_assert_cmpstr (now, ==, before);
          }
        else
          {
            g_free (before);
            before = file_checksum (existing);
          }
      }
    }
  g_test_message ("%u imports killed, %u finished first (a whole import: %.2f s)",
                  killed, finished, full / 1e6);

  /* What the killed imports left is removed by the next import there */
  {
    g_autofree char *target = g_build_filename (dir, "last.chronotope", NULL);
    g_autofree char *into_arg = g_strconcat ("--into=", target, NULL);
    g_auto (Run) run = { 0 };
    g_autoptr (GDir) handle = NULL;
    const char *name;

    run_chronotope (&run, small_arg, into_arg, NULL);
    g_assert_true (run_succeeded (&run));
    handle = g_dir_open (dir, 0, NULL);
    while ((name = g_dir_read_name (handle)) != NULL)
      g_assert_null (strstr (name, ".import-"));
  }

  g_rand_free (rand);
}

static void
test_cli_export_arguments (void)
{
  g_auto (Run) run = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("chrono-export-XXXXXX", NULL);
  g_autofree char *target = g_build_filename (dir, "out.unknown", NULL);
  g_autofree char *export_arg = g_strconcat ("--export=", target, NULL);

  run_chronotope (&run, export_arg, NULL);
  g_assert_cmpint (WEXITSTATUS (run.status), ==, 2);
  g_assert_nonnull (strstr (run.err, "--format"));

  run_chronotope (&run, export_arg, "--format=docx", NULL);
  g_assert_cmpint (WEXITSTATUS (run.status), ==, 2);
  g_assert_nonnull (strstr (run.err, "docx"));
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));

  run_chronotope (&run, "--export=/nowhere/out.json", NULL);
  g_assert_cmpint (WEXITSTATUS (run.status), ==, 1);
  g_assert_nonnull (strstr (run.err, "/nowhere"));
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/import/dates/loose", test_dates_loose);
  g_test_add_func ("/import/dates/two-digit-years", test_dates_two_digit_years);
  g_test_add_func ("/import/dates/parts-and-unix", test_dates_parts_and_unix);
  g_test_add_func ("/import/dates/order", test_dates_order);
  g_test_add_func ("/import/text/html", test_text_html);
  g_test_add_func ("/import/text/limit-and-slug", test_text_limit_and_slug);
  g_test_add_func ("/import/json-depth", test_json_depth);
  g_test_add_func ("/import/json-escapes", test_json_escapes);
  g_test_add_func ("/import/hostile/deep-nesting", test_hostile_deep_nesting);
  g_test_add_func ("/import/detect-and-native", test_detect_and_native);
  g_test_add_func ("/import/unknown-format", test_unknown_format);
  g_test_add_func ("/import/columns-option", test_columns_option);
  g_test_add_func ("/import/problem-strings", test_problem_strings);
  g_test_add_func ("/import/search-after-import", test_search_after_import);
  g_test_add_func ("/import/search-folded-after-import", test_search_folded_after_import);
  g_test_add_func ("/import/cli/new-dataset", test_cli_import_new);
  g_test_add_func ("/import/cli/bad-arguments", test_cli_import_bad_arguments);
  g_test_add_func ("/import/cli/nothing-imported", test_cli_import_nothing);
  g_test_add_func ("/import/cli/into-refused-keeps-file", test_cli_import_into_refused_keeps_file);
  g_test_add_func ("/import/cli/events-at-names", test_cli_events_at_names);
  g_test_add_func ("/import/cli/export-arguments", test_cli_export_arguments);
  g_test_add_func ("/import/cli/events-at-importable", test_cli_events_at_importable);
  g_test_add_func ("/import/cli/killed", test_cli_import_killed);

  return g_test_run ();
}
