/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "chrono-dataset.h"
#include "chrono-event.h"
#include "chrono-export.h"
#include "chrono-import.h"
#include "chrono-import-csv.h"
#include "chrono-import-formats.h"

/* The CSV reader and writer: real files from TimelineJS, hand-made files in
 * tests/data/import/csv (see its README.md), hostile input, a round trip. */

static GBytes *
load_data (const char *name)
{
  g_autofree char *path = g_build_filename (TEST_DATA_DIR, "import", "csv", name, NULL);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

/* NULL when the shared fixtures are not there (the test is then skipped) */
static GBytes *
load_fixture (const char *name)
{
  const char *dir = g_getenv ("CHRONO_FIXTURES_DIR");
  g_autofree char *path = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, "csv", name, NULL);
  if (!g_file_get_contents (path, &contents, &len, NULL))
    return NULL;
  return g_bytes_new_take (contents, len);
}

static GBytes *
bytes_from_string (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static ChronoImport *
run_import (ChronoStore               *store,
            const char                *name,
            GBytes                    *bytes,
            const ChronoImportOptions *options,
            gboolean                  *out_ok,
            GError                   **error)
{
  ChronoImport *import = chrono_import_new (store, name, options);

  *out_ok = chrono_import_run (import, bytes, error);
  return import;
}

/* Imports a file of tests/data/import/csv that must import */
static ChronoImport *
import_data (ChronoStore               *store,
             const char                *name,
             const ChronoImportOptions *options)
{
  g_autoptr (GBytes) bytes = load_data (name);
  g_autoptr (GError) error = NULL;
  gboolean ok;
  ChronoImport *import = run_import (store, name, bytes, options, &ok, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_true (chrono_import_get_format (import) == &chrono_import_format_csv);
  return import;
}

static ChronoEvent *
find_event (ChronoStore *store,
            const char  *title)
{
  g_autoptr (GPtrArray) events = chrono_export_get_events (store, "und", NULL);

  g_assert_nonnull (events);
  for (guint i = 0; i < events->len; i++)
    if (g_strcmp0 (chrono_event_get_title (events->pdata[i]), title) == 0)
      return g_object_ref (events->pdata[i]);

  g_test_message ("no event titled “%s”", title);
  g_assert_not_reached ();
  return NULL;
}

static ChronoPlace *
first_place (ChronoEvent *event)
{
  GPtrArray *places = chrono_event_get_places (event);

  return places != NULL && places->len > 0 ? places->pdata[0] : NULL;
}

static void
assert_dates (ChronoStore *store,
              const char  *title,
              const char  *start,
              const char  *end)
{
  g_autoptr (ChronoEvent) event = find_event (store, title);

  g_assert_cmpstr (chrono_event_get_start (event), ==, start);
  g_assert_cmpstr (chrono_event_get_end (event), ==, end);
}

static void
assert_point (ChronoStore *store,
              const char  *title,
              const char  *name,
              double       lat,
              double       lon)
{
  g_autoptr (ChronoEvent) event = find_event (store, title);
  ChronoPlace *place = first_place (event);

  g_assert_nonnull (place);
  g_assert_cmpstr (chrono_place_get_name (place), ==, name);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place), lat, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (place), lon, 1e-9);
}

static const ChronoImportProblem *
find_problem (ChronoImport *import,
              guint         line)
{
  GPtrArray *problems = chrono_import_get_problems (import);

  for (guint i = 0; i < problems->len; i++)
    if (((ChronoImportProblem *) problems->pdata[i])->line == line)
      return problems->pdata[i];

  g_test_message ("no problem at line %u", line);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem at line %u: %.200s", ((ChronoImportProblem *) problems->pdata[i])->line,
                    ((ChronoImportProblem *) problems->pdata[i])->message);
  g_assert_not_reached ();
  return NULL;
}

static void
assert_problem (ChronoImport *import,
                guint         line,
                const char   *part)
{
  const ChronoImportProblem *problem = find_problem (import, line);

  g_test_message ("line %u: %s", line, problem->message);
  g_assert_nonnull (strstr (problem->message, part));
}

static guint
count_problems_with (ChronoImport *import,
                     const char   *part)
{
  GPtrArray *problems = chrono_import_get_problems (import);
  guint n = 0;

  for (guint i = 0; i < problems->len; i++)
    if (strstr (((ChronoImportProblem *) problems->pdata[i])->message, part) != NULL)
      n++;

  return n;
}

/* TimelineJS's own sample sheet */
static void
test_women_in_computing (void)
{
  g_autoptr (GBytes) bytes = load_fixture ("women_in_computing.csv");
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (ChronoEvent) ada = NULL;
  g_autoptr (ChronoEvent) eniac = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  gboolean ok;

  if (bytes == NULL)
    {
      g_test_skip ("no shared fixtures");
      return;
    }

  g_assert_true (chrono_import_detect ("women_in_computing.csv", bytes) == &chrono_import_format_csv);

  import = run_import (store, "women_in_computing.csv", bytes, NULL, &ok, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  /* 11 rows: the title row and 10 events; nothing to tell */
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 10);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 0);
  g_assert_cmpuint (chrono_import_get_problems (import)->len, ==, 0);

  title = chrono_store_dup_meta (store, "title:und");
  description = chrono_store_dup_meta (store, "description:und");
  g_assert_cmpstr (title, ==, "Women in Computing");
  g_assert_true (g_str_has_prefix (description, "In this sample timeline, we'll walk you through"));
  g_assert_null (strchr (description, '<'));

  ada = find_event (store, "Ada Lovelace");
  g_assert_cmpstr (chrono_event_get_start (ada), ==, "1815-12-10");
  g_assert_cmpstr (chrono_event_get_end (ada), ==, "1852-11-27");
  g_assert_cmpint (chrono_event_get_start_lo (ada), ==, chrono_day_from_ymd (1815, 12, 10));
  g_assert_cmpint (chrono_event_get_end_hi (ada), ==, chrono_day_from_ymd (1852, 11, 27));
  /* HTML to text: the link's words stay, the tags go */
  g_assert_true (g_str_has_prefix (chrono_event_get_summary (ada),
                                   "Women have been programming since before it was a thing. Take Ada Lovelace: "
                                   "Daughter of Lord Byron"));
  g_assert_null (strchr (chrono_event_get_summary (ada), '<'));
  g_assert_nonnull (strstr (chrono_event_get_summary (ada), "simple \"image\" media type"));
  /* No source column: the text is quoted from the file */
  g_assert_cmpuint (chrono_event_get_excerpts (ada)->len, ==, 1);
  g_assert_cmpstr (chrono_source_get_title (chrono_excerpt_get_source (chrono_event_get_excerpts (ada)->pdata[0])),
                   ==, "women_in_computing.csv");
  g_assert_null (chrono_event_get_category (ada));
  g_assert_null (first_place (ada));

  /* Month and year, year alone; a quoted newline kept */
  eniac = find_event (store, "...And the women who made it work");
  g_assert_cmpstr (chrono_event_get_start (eniac), ==, "1943-07");
  g_assert_cmpstr (chrono_event_get_end (eniac), ==, "1946");
  g_assert_cmpint (chrono_event_get_start_lo (eniac), ==, chrono_day_from_ymd (1943, 7, 1));
  g_assert_cmpint (chrono_event_get_end_hi (eniac), ==, chrono_day_from_ymd (1946, 12, 31));
  assert_dates (store, "Rózsa Péter writes recursion", "1951", NULL);
  assert_dates (store, "Contributions to space exploration", "1956", "1962");
  assert_dates (store, "\"The Mother of the Internet\"", "1985", NULL);
  /* A row with no text: no summary and no excerpt */
  {
    g_autoptr (ChronoEvent) clarke = find_event (store, "Edith Clarke: Bucking the Trend");

    g_assert_cmpstr (chrono_event_get_start (clarke), ==, "1948-03-14");
    g_assert_null (chrono_event_get_summary (clarke));
    g_assert_cmpuint (chrono_event_get_excerpts (clarke)->len, ==, 0);
  }
}

/* A TimelineJS sheet with groups, an era and a time of day */
static void
test_timelinejs_sheet (void)
{
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = import_data (store, "timelinejs-sheet.csv", NULL);
  g_autoptr (ChronoEvent) era = NULL;
  g_autoptr (ChronoEvent) italic = NULL;
  g_autoptr (ChronoEvent) plain = NULL;
  g_autofree char *title = chrono_store_dup_meta (store, "title:und");
  g_autofree char *description = chrono_store_dup_meta (store, "description:und");

  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 3);
  g_assert_cmpstr (title, ==, "Sheet title");
  g_assert_cmpstr (description, ==, "About the sheet");

  /* Eras are events of the category "era" */
  era = find_event (store, "The first half");
  g_assert_cmpstr (chrono_event_get_category (era), ==, "era");
  g_assert_cmpstr (chrono_event_get_start (era), ==, "1900");
  g_assert_cmpstr (chrono_event_get_end (era), ==, "1950");

  italic = find_event (store, "Italic headline");
  g_assert_cmpstr (chrono_event_get_category (italic), ==, "Science");
  g_assert_cmpstr (chrono_event_get_summary (italic), ==, "One & two");
  g_assert_cmpstr (chrono_event_get_start (italic), ==, "1910-05-06");
  plain = find_event (store, "Plain");
  g_assert_cmpstr (chrono_event_get_category (plain), ==, "Politics");

  /* The time is told once, at its row */
  g_assert_cmpuint (chrono_import_get_problems (import)->len, ==, 1);
  assert_problem (import, 4, "times of day are not read");
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 0);
}

/* RFC 4180 edge cases from TimelineJS's parser tests: no dates at all */
static void
test_parser_test (void)
{
  g_autoptr (GBytes) bytes = load_fixture ("parser_test.csv");
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (ChronoCsvLayout) layout = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *problems;
  gboolean ok;

  if (bytes == NULL)
    {
      g_test_skip ("no shared fixtures");
      return;
    }

  layout = chrono_csv_sniff (bytes, NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpint (layout->delimiter, ==, ',');
  g_assert_cmpstr (layout->encoding, ==, "UTF-8");
  g_assert_cmpuint (g_strv_length (layout->headers), ==, 3);
  g_assert_cmpstr (layout->headers[2], ==, "description");
  g_assert_cmpuint (layout->rows->len, ==, 3);
  /* The quoted field keeps its comma, doubled quotes and line end */
  g_assert_cmpstr (((GStrv) layout->rows->pdata[0])[2], ==,
                   "let's just pile it  all in here,  commas, \"quoted strings\" and \nnew lines!");
  g_assert_cmpstr (((GStrv) layout->rows->pdata[2])[0], ==, "a day, i guess");
  g_assert_cmpstr (((GStrv) layout->rows->pdata[2])[2], ==, "what else could go wrong?");
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_TITLE], ==, 0);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_DESCRIPTION], ==, 2);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_DATE], ==, -1);
  g_assert_null (layout->layout);

  import = run_import (store, "parser_test.csv", bytes, NULL, &ok, &error);
  g_assert_false (ok);
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_NOTHING);
  g_assert_nonnull (strstr (error->message, "parser_test.csv:2: no date"));

  /* The row of lines 2-3, then lines 4 and 5 */
  problems = chrono_import_get_problems (import);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 3);
  g_assert_cmpuint (((ChronoImportProblem *) problems->pdata[0])->line, ==, 2);
  g_assert_cmpuint (((ChronoImportProblem *) problems->pdata[1])->line, ==, 4);
  g_assert_cmpuint (((ChronoImportProblem *) problems->pdata[2])->line, ==, 5);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (((ChronoImportProblem *) problems->pdata[i])->message, ==, "no date");
  /* And one note that says why */
  g_assert_cmpuint (problems->len, ==, 4);
  g_assert_nonnull (strstr (((ChronoImportProblem *) problems->pdata[3])->message, "--columns=date="));
}

static void
test_semicolon_cp1252 (void)
{
  g_autoptr (GBytes) bytes = load_data ("semicolon-cp1252.csv");
  g_autoptr (ChronoCsvLayout) layout = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (ChronoEvent) commune = NULL;
  g_autoptr (ChronoEvent) reims = NULL;
  g_autoptr (GError) error = NULL;

  layout = chrono_csv_sniff (bytes, NULL, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (layout->delimiter, ==, ';');
  g_assert_cmpstr (layout->encoding, ==, "Windows-1252");
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_DATE], ==, 0);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_TITLE], ==, 1);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_PLACE], ==, 2);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_LAT], ==, 3);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_LON], ==, 4);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_DESCRIPTION], ==, 5);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_START], ==, -1);
  g_assert_cmpint (layout->date_order, ==, CHRONO_DATE_ORDER_DMY);
  g_assert_false (layout->dates_ambiguous);
  g_assert_cmpuint (layout->rows->len, ==, 2);
  g_assert_cmpstr (((GStrv) layout->rows->pdata[1])[1], ==, "Libération de Paris");

  import = import_data (store, "semicolon-cp1252.csv", NULL);
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 3);
  g_assert_cmpuint (chrono_import_get_n_places (import), ==, 2);

  commune = find_event (store, "Début de la Commune");
  g_assert_cmpstr (chrono_event_get_start (commune), ==, "1871-03-18");
  /* The quoted ';' and the no-break spaces of Windows-1252 */
  g_assert_cmpstr (chrono_event_get_summary (commune), ==, "Élection; puis «\xc2\xa0semaine sanglante\xc2\xa0» en mai");
  assert_point (store, "Début de la Commune", "Paris", 48.8566, 2.3522);
  assert_point (store, "Libération de Paris", "Paris", 48.8566, 2.3522);
  assert_dates (store, "Libération de Paris", "1944-08-25", NULL);
  reims = find_event (store, "Capitulation");
  g_assert_cmpstr (chrono_event_get_start (reims), ==, "1945-05-08");
  g_assert_cmpstr (chrono_event_get_summary (reims), ==, "Signée à Reims — 2 h 41");
  assert_point (store, "Capitulation", "Reims", 49.2583, 4.0317);
}

static void
test_day_first (void)
{
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = import_data (store, "dmy.csv", NULL);

  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 3);
  assert_dates (store, "Third of April", "2021-04-03", NULL);
  assert_dates (store, "Christmas", "2020-12-25", NULL);
  assert_dates (store, "First of February", "2022-02-01", NULL);
}

static void
test_ambiguous (void)
{
  g_autoptr (GBytes) bytes = load_data ("ambiguous.csv");
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImportOptions) options = chrono_import_options_new ();
  g_autoptr (ChronoImport) failed = NULL;
  g_autoptr (ChronoImport) mdy = NULL;
  g_autoptr (ChronoCsvLayout) layout = NULL;
  g_autoptr (GError) error = NULL;
  ChronoStoreCounts counts = { 0 };
  gboolean ok;

  layout = chrono_csv_sniff (bytes, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_true (layout->dates_ambiguous);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_DATE], ==, 1);
  g_assert_cmpuint (layout->rows->len, ==, 0);

  failed = run_import (store, "ambiguous.csv", bytes, NULL, &ok, &error);
  g_assert_false (ok);
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_AMBIGUOUS_DATES);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "ambiguous.csv:2:"));
  g_assert_nonnull (strstr (error->message, "“when”"));
  g_assert_nonnull (strstr (error->message, "03/04/2021"));
  g_assert_nonnull (strstr (error->message, "--date-order=dmy or mdy"));
  g_assert_true (chrono_store_get_counts (store, &counts, NULL));
  g_assert_cmpuint (counts.events, ==, 0);
  g_clear_error (&error);

  options->date_order = CHRONO_DATE_ORDER_MDY;
  mdy = import_data (store, "ambiguous.csv", options);
  g_assert_cmpuint (chrono_import_get_n_events (mdy), ==, 3);
  assert_dates (store, "A", "2021-03-04", NULL);
  assert_dates (store, "B", "2021-05-06", NULL);
  assert_dates (store, "C", "2021-07-08", NULL);

  {
    g_autoptr (ChronoStore) other = chrono_store_new_in_memory (NULL);
    g_autoptr (ChronoImport) dmy = NULL;

    options->date_order = CHRONO_DATE_ORDER_DMY;
    dmy = import_data (other, "ambiguous.csv", options);
    assert_dates (other, "A", "2021-04-03", NULL);
    assert_dates (other, "B", "2021-06-05", NULL);
  }
}

static void
test_split_columns (void)
{
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = import_data (store, "split.csv", NULL);
  g_autoptr (ChronoEvent) years = NULL;

  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 5);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 3);
  assert_dates (store, "Moon landing", "1969-07-20", NULL);
  assert_dates (store, "Zeros for month and day", "1969", NULL);
  assert_dates (store, "Month only", "1815-12", NULL);
  assert_dates (store, "Spreadsheet numbers", "1815-06-18", NULL);

  years = find_event (store, "Minus ones and an end year");
  g_assert_cmpstr (chrono_event_get_start (years), ==, "1969");
  g_assert_cmpstr (chrono_event_get_end (years), ==, "1972");
  g_assert_cmpint (chrono_event_get_start_lo (years), ==, chrono_day_from_ymd (1969, 1, 1));
  g_assert_cmpint (chrono_event_get_end_hi (years), ==, chrono_day_from_ymd (1972, 12, 31));

  assert_problem (import, 6, "13");
  assert_problem (import, 7, "2021-02-30");
  assert_problem (import, 8, "no date");
}

static void
test_before_common_era (void)
{
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = import_data (store, "bce.csv", NULL);
  g_autoptr (ChronoEvent) five = NULL;

  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 5);
  /* Astronomical years: 1 BCE is year 0 */
  five = find_event (store, "Five hundred before");
  g_assert_cmpstr (chrono_event_get_start (five), ==, "-0499");
  g_assert_cmpint (chrono_event_get_start_lo (five), ==, chrono_day_from_ymd (-499, 1, 1));
  g_assert_cmpint (chrono_event_get_end_hi (five), ==, chrono_day_from_ymd (-499, 12, 31));
  assert_dates (store, "Ides of March", "-0043", NULL);
  assert_dates (store, "Signed year", "-3000", NULL);
  assert_dates (store, "Vesuvius", "0079", NULL);
  assert_dates (store, "One of two years", "[0141,0142]", NULL);
}

static void
test_wkt (void)
{
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = import_data (store, "wkt.csv", NULL);
  g_autoptr (ChronoEvent) line = NULL;
  g_autoptr (ChronoEvent) first = NULL;
  g_autoptr (ChronoEvent) by_name = NULL;

  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 4);
  g_assert_cmpuint (chrono_import_get_n_places (import), ==, 2);
  /* POINT (lon lat) */
  assert_point (store, "A point", "Paris", 48.8566, 2.3522);
  assert_point (store, "Z and SRID", "Lyon", 45.764, 4.8357);

  /* A line is no point: told once; its place name is not known */
  line = find_event (store, "A line");
  g_assert_null (first_place (line));
  assert_problem (import, 3, "not a point");

  /* No point, but a name met before: that place */
  first = find_event (store, "A point");
  by_name = find_event (store, "No point but a known name");
  g_assert_nonnull (first_place (by_name));
  g_assert_cmpstr (chrono_place_get_id (first_place (by_name)), ==, chrono_place_get_id (first_place (first)));

  assert_problem (import, 5, "POINT(200 10)");
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 1);
}

static void
test_lat_lon_column (void)
{
  g_autoptr (GBytes) bytes = load_data ("latlon.csv");
  g_autoptr (ChronoCsvLayout) layout = chrono_csv_sniff (bytes, NULL, 5, NULL);
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = import_data (store, "latlon.csv", NULL);
  g_autoptr (ChronoEvent) empty = NULL;
  g_autoptr (ChronoEvent) comma = NULL;

  g_assert_nonnull (layout);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_POINT], ==, 2);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_LAT], ==, -1);
  g_assert_cmpuint (layout->rows->len, ==, 3);

  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 3);
  comma = find_event (store, "Comma");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (first_place (comma)), 48.8566, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (first_place (comma)), 2.3522, 1e-9);
  {
    g_autoptr (ChronoEvent) blank = find_event (store, "Blank");

    g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (first_place (blank)), 40.7128, 1e-9);
    g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (first_place (blank)), -74.006, 1e-9);
  }
  empty = find_event (store, "Empty");
  g_assert_null (first_place (empty));
}

static void
test_two_digit_years (void)
{
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = import_data (store, "two-digit-years.csv", NULL);

  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 4);
  /* The file's four-digit years are of the 1900s: so are the two-digit ones */
  assert_dates (store, "Two digits", "1998-11-05", NULL);
  assert_dates (store, "Two digits again", "1905-01-12", NULL);
  assert_dates (store, "Four digits", "1997-01-10", NULL);

  g_assert_cmpuint (count_problems_with (import, "two-digit years"), ==, 1);
  assert_problem (import, 2, "two-digit years read as 19YY, from the file’s other dates");
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 0);
}

static void
test_columns_by_hand (void)
{
  g_autoptr (GBytes) bytes = load_data ("by-hand.csv");
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImportOptions) options = chrono_import_options_new ();
  g_autoptr (ChronoImport) guessed = NULL;
  g_autoptr (ChronoImport) unknown = NULL;
  g_autoptr (ChronoImport) mapped = NULL;
  g_autoptr (ChronoCsvLayout) layout = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoEvent) second = NULL;
  gboolean ok;

  /* Nothing to go by without a mapping */
  guessed = run_import (store, "by-hand.csv", bytes, NULL, &ok, &error);
  g_assert_false (ok);
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_NOTHING);
  g_clear_error (&error);

  /* A header the file does not have */
  g_assert_true (chrono_import_options_parse_columns (options, "title=Nope", NULL));
  unknown = run_import (store, "by-hand.csv", bytes, options, &ok, &error);
  g_assert_false (ok);
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "“Nope”"));
  g_assert_nonnull (strstr (error->message, "“Begins”, “Heading”, “Where”, “N”, “E”, “Remarks”"));
  g_clear_error (&error);

  /* Matched without regard to case, spaces, '_' or '-' */
  g_assert_true (chrono_import_options_parse_columns (options,
                                                      "start=begins,title=HEAD-ING,place=Where,lat=n,lon=e,"
                                                      "description=re_marks", NULL));
  layout = chrono_csv_sniff (bytes, options, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_START], ==, 0);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_TITLE], ==, 1);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_LAT], ==, 3);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_LON], ==, 4);

  mapped = import_data (store, "by-hand.csv", options);
  g_assert_cmpuint (chrono_import_get_n_events (mapped), ==, 2);
  assert_dates (store, "First", "2001-09-11", NULL);
  assert_point (store, "First", "New York", 40.7128, -74.006);
  second = find_event (store, "Second");
  g_assert_cmpstr (chrono_event_get_summary (second), ==, "by hand too");
  assert_point (store, "Second", "Baghdad", 33.3152, 44.3661);
}

static void
test_bad_coordinates (void)
{
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = import_data (store, "bad-coordinates.csv", NULL);
  g_autoptr (ChronoEvent) none = NULL;

  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 2);
  g_assert_cmpuint (chrono_import_get_n_places (import), ==, 1);
  assert_point (store, "Fine", "10.5000, 20.2500", 10.5, 20.25);
  none = find_event (store, "No point at all");
  g_assert_null (first_place (none));

  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 7);
  assert_problem (import, 3, "the latitude “abc” is not a number");
  assert_problem (import, 4, "the point (95, 20) is not a latitude and longitude on Earth");
  assert_problem (import, 5, "the latitude “nan” is not a number");
  assert_problem (import, 6, "the longitude “inf” is not a number");
  assert_problem (import, 7, "a latitude (10) without a longitude");
  assert_problem (import, 8, "the point (10, 180.5)");
  assert_problem (import, 10, "“not a date” is not a date");
}

static void
test_acled (void)
{
  g_autoptr (GBytes) bytes = load_data ("acled.csv");
  g_autoptr (ChronoCsvLayout) layout = chrono_csv_sniff (bytes, NULL, 3, NULL);
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = import_data (store, "acled.csv", NULL);
  g_autoptr (ChronoEvent) clash = NULL;
  g_autoptr (ChronoEvent) protest = NULL;
  g_autoptr (ChronoEvent) shelling = NULL;
  ChronoExcerpt *excerpt;

  g_assert_nonnull (layout);
  g_assert_cmpstr (layout->layout, ==, "ACLED");
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_DATE], ==, 1);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_LAT], ==, 22);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_PLACE], ==, 21);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_SOURCE], ==, 25);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_DESCRIPTION], ==, 27);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_YEAR], ==, -1);

  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 3);
  g_assert_cmpuint (chrono_import_get_n_places (import), ==, 2);
  /* The file, "Test Wire" and "Test Daily" */
  g_assert_cmpuint (chrono_import_get_n_sources (import), ==, 3);

  clash = find_event (store, "Armed clash: Military Forces of Testland (2015-) – Testland Liberation Front");
  g_assert_cmpstr (chrono_event_get_start (clash), ==, "2020-05-03");
  g_assert_null (chrono_event_get_end (clash));
  g_assert_cmpstr (chrono_event_get_category (clash), ==, "Battles");
  g_assert_cmpstr (chrono_event_get_summary (clash), ==, "On 3 May 2020, soldiers clashed with rebels near Riverside.");
  g_assert_cmpstr (chrono_event_get_note (clash), ==, "Fatalities: 4");
  assert_point (store, "Armed clash: Military Forces of Testland (2015-) – Testland Liberation Front",
                "Riverside", 11.8333, 13.15);
  excerpt = chrono_event_get_excerpts (clash)->pdata[0];
  g_assert_cmpstr (chrono_excerpt_get_quote (excerpt), ==, "On 3 May 2020, soldiers clashed with rebels near Riverside.");
  g_assert_cmpstr (chrono_source_get_title (chrono_excerpt_get_source (excerpt)), ==, "Test Wire");

  /* time_precision 2: about the day */
  protest = find_event (store, "Peaceful protest: Protesters (Testland)");
  g_assert_cmpstr (chrono_event_get_start (protest), ==, "2020-05-05~");
  g_assert_cmpstr (chrono_event_get_category (protest), ==, "Protests");
  assert_point (store, "Peaceful protest: Protesters (Testland)", "Harbour Town", 6.6018, 3.3515);

  /* time_precision 3: the month */
  shelling = find_event (store, "Shelling/artillery/missile attack: Military Forces of Testland (2015-)");
  g_assert_cmpstr (chrono_event_get_start (shelling), ==, "2020-05");
  g_assert_cmpint (chrono_event_get_start_lo (shelling), ==, chrono_day_from_ymd (2020, 5, 1));
  g_assert_cmpint (chrono_event_get_end_hi (shelling), ==, chrono_day_from_ymd (2020, 5, 31));
  g_assert_cmpstr (chrono_place_get_id (first_place (shelling)), ==, chrono_place_get_id (first_place (clash)));
}

static void
test_ucdp (void)
{
  g_autoptr (GBytes) bytes = load_data ("ucdp.csv");
  g_autoptr (ChronoCsvLayout) layout = chrono_csv_sniff (bytes, NULL, 3, NULL);
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = import_data (store, "ucdp.csv", NULL);
  g_autoptr (GPtrArray) events = NULL;
  ChronoEvent *day, *days, *months;
  ChronoExcerpt *excerpt;

  g_assert_nonnull (layout);
  g_assert_cmpstr (layout->layout, ==, "UCDP GED");
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_START], ==, 38);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_END], ==, 39);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_TITLE], ==, 11);
  g_assert_cmpint (layout->roles[CHRONO_COLUMN_POINT], ==, -1);

  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 4);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 0);
  g_assert_cmpuint (chrono_import_get_n_places (import), ==, 3);

  /* In order of start */
  events = chrono_export_get_events (store, "und", NULL);
  g_assert_cmpuint (events->len, ==, 4);
  day = events->pdata[0];
  days = events->pdata[1];
  months = events->pdata[3];

  /* date_prec 1: the day */
  g_assert_cmpstr (chrono_event_get_title (day), ==, "Government of Testland - TLF");
  g_assert_cmpstr (chrono_event_get_start (day), ==, "1990-01-01");
  g_assert_null (chrono_event_get_end (day));
  g_assert_cmpstr (chrono_event_get_category (day), ==, "state-based conflict");
  g_assert_cmpstr (chrono_event_get_note (day), ==, "Deaths (best estimate): 5");
  g_assert_cmpstr (chrono_place_get_name (first_place (day)), ==, "Riverside town");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (first_place (day)), 11.8333, 1e-9);
  excerpt = chrono_event_get_excerpts (day)->pdata[0];
  g_assert_cmpstr (chrono_excerpt_get_quote (excerpt), ==, "Clashes near Riverside");
  g_assert_cmpstr (chrono_source_get_title (chrono_excerpt_get_source (excerpt)), ==,
                   "Test Wire,1990-01-02,Clashes near Riverside");

  /* date_prec 2: days, about */
  g_assert_cmpstr (chrono_event_get_title (days), ==, "TLF - civilians");
  g_assert_cmpstr (chrono_event_get_start (days), ==, "1990-02-03~");
  g_assert_cmpstr (chrono_event_get_end (days), ==, "1990-02-07~");
  g_assert_cmpstr (chrono_event_get_category (days), ==, "one-sided violence");

  /* date_prec 4 within one month: the month */
  g_assert_cmpstr (chrono_event_get_title (events->pdata[2]), ==, "Government of Testland - TLF");
  g_assert_cmpstr (chrono_event_get_start (events->pdata[2]), ==, "1990-03");
  g_assert_null (chrono_event_get_end (events->pdata[2]));

  /* date_prec 5: the range as given */
  g_assert_cmpstr (chrono_event_get_start (months), ==, "1990-04-01");
  g_assert_cmpstr (chrono_event_get_end (months), ==, "1990-06-30");
  g_assert_cmpstr (chrono_event_get_category (months), ==, "non-state conflict");
}

/* Hostile and broken input */

static ChronoImport *import_text (ChronoStore  *store,
                                  const char   *text,
                                  gboolean     *ok,
                                  GError      **error);

/* A TimelineJS sheet's negative year is what TimelineJS shows: -500 is
 * "500 BCE", the astronomical year -499 */
static void
test_timelinejs_sheet_bce (void)
{
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (ChronoEvent) event = NULL;
  gboolean ok;

  import = import_text (store,
                        "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\n"
                        "-500,,,,-480,,,,,Persian Wars,,,,,,,,\n", &ok, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  event = find_event (store, "Persian Wars");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "-0499");
  g_assert_cmpstr (chrono_event_get_end (event), ==, "-0479");
}

static ChronoImport *
import_text (ChronoStore  *store,
             const char   *text,
             gboolean     *ok,
             GError      **error)
{
  g_autoptr (GBytes) bytes = bytes_from_string (text);
  ChronoImportOptions options = { .format = (char *) "csv" };

  return run_import (store, "broken.csv", bytes, &options, ok, error);
}

static void
test_empty_and_header_only (void)
{
  static const struct
  {
    const char *text;
    int         code;
  } cases[] = {
    { "", CHRONO_IMPORT_ERROR_INVALID },
    { "\xef\xbb\xbf", CHRONO_IMPORT_ERROR_INVALID },
    { "\n\r\n\n", CHRONO_IMPORT_ERROR_INVALID },
    { "date,title\n", CHRONO_IMPORT_ERROR_NOTHING },
    { "date,title", CHRONO_IMPORT_ERROR_NOTHING },
    { "\"date,title\n2020,x\n", CHRONO_IMPORT_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
      g_autoptr (ChronoImport) import = NULL;
      g_autoptr (GError) error = NULL;
      gboolean ok;

      import = import_text (store, cases[i].text, &ok, &error);
      g_test_message ("case %u: %s", i, error != NULL ? error->message : "");
      g_assert_false (ok);
      g_assert_error (error, CHRONO_IMPORT_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, "broken.csv"));
    }

  /* NUL bytes: not text */
  {
    g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
    g_autoptr (GBytes) bytes = g_bytes_new ("date,title\n2020,\0x\n", 19);
    g_autoptr (ChronoImport) import = chrono_import_new (store, "nul.csv", NULL);
    g_autoptr (GError) error = NULL;

    g_assert_false (chrono_import_run (import, bytes, &error));
    g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "NUL"));
  }
}

static void
test_unterminated_quote (void)
{
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoStore) cut_store = chrono_store_new_in_memory (NULL);
  g_autoptr (GError) error = NULL;
  gboolean ok;
  g_autoptr (ChronoImport) import = import_text (store,
                                                 "date,title\n"
                                                 "2020-01-01,fine\n"
                                                 "2020-01-02,\"never closed\n"
                                                 "2020-01-03,after\n"
                                                 "2020-01-04,last\n",
                                                 &ok, &error);
  g_autoptr (ChronoImport) cut = NULL;

  g_assert_no_error (error);
  g_assert_true (ok);
  /* The row of line 3 is left out, the lines after it are read again as rows */
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 3);
  assert_problem (import, 3, "never closed");
  assert_dates (store, "fine", "2020-01-01", NULL);
  assert_dates (store, "after", "2020-01-03", NULL);
  assert_dates (store, "last", "2020-01-04", NULL);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 1);

  /* A file cut in the middle of a quoted field */
  cut = import_text (cut_store, "date,title,description\n2020-01-01,fine,ok\n2020-01-02,gone,\"the e",
                     &ok, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (chrono_import_get_n_events (cut), ==, 1);
  assert_problem (cut, 3, "never closed");
  g_assert_cmpuint (chrono_import_get_n_skipped (cut), ==, 1);
}

static void
test_line_ends_and_ragged_rows (void)
{
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (GError) error = NULL;
  gboolean ok;
  /* CR alone ends lines here, as old Mac files have it */
  g_autoptr (ChronoImport) import = import_text (store,
                                                 "date,title,place\r"
                                                 "2020-01-01,short\r"
                                                 "\r"
                                                 "2020-01-02,long,Somewhere,extra\r"
                                                 "2020-13-01,bad month,x\r"
                                                 ",,\r"
                                                 "2020-01-03,\"two\rlines\",y\r"
                                                 "bad,after the quoted line end,z",
                                                 &ok, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 3);
  assert_problem (import, 5, "2020-13-01");
  assert_problem (import, 9, "“bad” is not a date");
  assert_dates (store, "two\nlines", "2020-01-03", NULL);
  /* Rows of another length: told once, where the first is */
  assert_problem (import, 2, "2 rows do not have as many fields as the header (3)");
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 2);
}

static void
test_invalid_utf8 (void)
{
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (GError) error = NULL;
  gboolean ok;
  /* 0x81 is not in Windows-1252: Latin-1 then */
  g_autoptr (ChronoImport) import = import_text (store,
                                                 "date,title\n"
                                                 "2020-01-01,caf\xe9\n"
                                                 "2020-01-02,\x81x\n",
                                                 &ok, &error);
  g_autoptr (ChronoEvent) cafe = NULL;

  g_assert_no_error (error);
  g_assert_true (ok);
  cafe = find_event (store, "café");
  g_assert_cmpstr (chrono_event_get_start (cafe), ==, "2020-01-01");
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 2);

  {
    g_autoptr (GBytes) bytes = bytes_from_string ("date,title\n2020-01-01,caf\xe9\n");
    g_autoptr (ChronoCsvLayout) layout = chrono_csv_sniff (bytes, NULL, 1, NULL);

    g_assert_cmpstr (layout->encoding, ==, "Windows-1252");
    g_assert_cmpstr (((GStrv) layout->rows->pdata[0])[1], ==, "café");
  }
}

static void
test_huge_field (void)
{
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (GString) text = g_string_new ("date,title,description\n2020-01-01,");
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (GPtrArray) events = NULL;
  gboolean ok;

  /* 10 MB in a title, 10 MB in a description, 10 MB in a date */
  for (guint i = 0; i < 10 * 1024 * 1024; i++)
    g_string_append_c (text, 'a');
  g_string_append (text, ",\"");
  for (guint i = 0; i < 10 * 1024 * 1024; i++)
    g_string_append_c (text, i % 80 == 79 ? '\n' : 'b');
  g_string_append (text, "\"\n");
  for (guint i = 0; i < 10 * 1024 * 1024; i++)
    g_string_append_c (text, '1');
  g_string_append (text, ",big date,\n2020-01-02,after,\n");

  import = import_text (store, text->str, &ok, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 2);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 1);
  /* The huge date is on the line after row 2 and the 131072 line ends of its description */
  assert_problem (import, 3 + 10 * 1024 * 1024 / 80, "is not a date");
  assert_dates (store, "after", "2020-01-02", NULL);

  events = chrono_export_get_events (store, "und", NULL);
  g_assert_cmpuint (strlen (chrono_event_get_title (events->pdata[0])), <=, 2000 + 3);
  g_assert_cmpuint (strlen (chrono_event_get_summary (events->pdata[0])), <=, CHRONO_IMPORT_MAX_TEXT + 3);
}

static void
test_cancel (void)
{
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (GString) text = g_string_new ("date,title\n");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (ChronoImport) import = chrono_import_new (store, "many.csv", NULL);
  g_autoptr (GError) error = NULL;
  ChronoStoreCounts counts = { 0 };

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (text, "2020-01-01,row %u\n", i);
  bytes = g_bytes_new (text->str, text->len);

  g_cancellable_cancel (cancellable);
  chrono_import_set_cancellable (import, cancellable);
  g_assert_false (chrono_import_run (import, bytes, &error));
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_CANCELLED);
  g_assert_true (chrono_store_get_counts (store, &counts, NULL));
  g_assert_cmpuint (counts.events, ==, 0);
}

static void
test_detect (void)
{
  g_autoptr (GBytes) tsv = bytes_from_string ("date\ttitle\tlat\tlon\n2020-01-01\ta, b\t1\t2\n2020-01-02\tc\t3\t4\n");
  g_autoptr (GBytes) json = bytes_from_string ("{\"events\": []}");
  g_autoptr (ChronoCsvLayout) layout = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = chrono_import_new (store, "table.txt", NULL);
  g_autoptr (GError) error = NULL;

  /* By content, whatever the name */
  g_assert_true (chrono_import_detect ("table.txt", tsv) == &chrono_import_format_csv);
  g_assert_true (chrono_import_detect ("table.tsv", tsv) == &chrono_import_format_csv);
  g_assert_false (chrono_import_detect ("events.json", json) == &chrono_import_format_csv);

  layout = chrono_csv_sniff (tsv, NULL, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (layout->delimiter, ==, '\t');
  g_assert_cmpuint (layout->rows->len, ==, 2);
  g_assert_cmpstr (((GStrv) layout->rows->pdata[0])[1], ==, "a, b");

  g_assert_true (chrono_import_run (import, tsv, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 2);
  assert_point (store, "a, b", "1.0000, 2.0000", 1, 2);
}

/* The writer, and the reader reading it back */
static void
test_round_trip (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("CHRONO_SOURCE_ROOT"), "data", "datasets",
                                            "karabakh-peacekeeping.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GBytes) json = g_file_load_bytes (file, NULL, NULL, NULL);
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoStore) back = chrono_store_new_in_memory (NULL);
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GBytes) csv = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GPtrArray) read = NULL;
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (ChronoImportOptions) options = chrono_import_options_new ();
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  const ChronoExportFormat *format = chrono_export_find_format ("csv");

  g_assert_nonnull (json);
  g_assert_true (chrono_dataset_import_bytes (store, json, "karabakh-peacekeeping.json", &error));
  g_assert_no_error (error);

  g_assert_nonnull (format);
  g_assert_cmpstr (format->extension, ==, "csv");
  g_assert_true (format->write (store, "en", out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  csv = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

  /* The header, and CRLF after each row */
  g_assert_true (g_str_has_prefix (g_bytes_get_data (csv, NULL),
                                   "id,title,summary,start,end,earliest,latest,category,place,lat,lon,"
                                   "source,url,excerpt\r\n"));
  lines = g_strsplit (g_bytes_get_data (csv, NULL), "\r\n", -1);
  /* The decade 199X: from 1990-01-01 to 1999-12-31, open end: no latest */
  {
    gboolean found = FALSE;

    for (guint i = 0; lines[i] != NULL; i++)
      if (g_str_has_prefix (lines[i], "first-karabakh-war,First Karabakh war,"))
        {
          g_assert_nonnull (strstr (lines[i], ",199X,,1990-01-01,1999-12-31,context,"));
          found = TRUE;
        }
    g_assert_true (found);
  }

  options->lang = g_strdup ("en");
  import = chrono_import_new (back, "karabakh.csv", options);
  g_assert_true (chrono_import_run (import, csv, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 0);

  events = chrono_export_get_events (store, "en", NULL);
  read = chrono_export_get_events (back, "en", NULL);
  g_assert_cmpuint (events->len, ==, 50);
  g_assert_cmpuint (read->len, ==, events->len);
  for (guint i = 0; i < read->len; i++)
    g_hash_table_insert (by_id, (gpointer) chrono_event_get_id (read->pdata[i]), read->pdata[i]);

  for (guint i = 0; i < events->len; i++)
    {
      ChronoEvent *event = events->pdata[i];
      g_autofree char *id = g_strconcat ("karabakh-", chrono_event_get_id (event), NULL);
      ChronoEvent *copy = g_hash_table_lookup (by_id, id);
      ChronoPlace *place = first_place (event);
      GPtrArray *excerpts = chrono_event_get_excerpts (event);

      g_test_message ("%s", id);
      g_assert_nonnull (copy);
      g_assert_cmpstr (chrono_event_get_start (copy), ==, chrono_event_get_start (event));
      g_assert_cmpstr (chrono_event_get_end (copy), ==, chrono_event_get_end (event));
      g_assert_cmpstr (chrono_event_get_title (copy), ==, chrono_event_get_title (event));
      g_assert_cmpstr (chrono_event_get_summary (copy), ==, chrono_event_get_summary (event));
      g_assert_cmpstr (chrono_event_get_category (copy), ==, chrono_event_get_category (event));
      g_assert_cmpint (chrono_event_get_start_lo (copy), ==, chrono_event_get_start_lo (event));
      g_assert_cmpint (chrono_event_get_end_hi (copy), ==, chrono_event_get_end_hi (event));
      if (place != NULL)
        {
          g_assert_nonnull (first_place (copy));
          g_assert_cmpstr (chrono_place_get_name (first_place (copy)), ==, chrono_place_get_name (place));
          g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (first_place (copy)), chrono_place_get_lat (place), 1e-6);
          g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (first_place (copy)), chrono_place_get_lon (place), 1e-6);
        }
      if (excerpts->len > 0)
        {
          ChronoExcerpt *excerpt = excerpts->pdata[0];
          g_autofree char *citation = chrono_source_dup_citation (chrono_excerpt_get_source (excerpt));
          ChronoExcerpt *kept;

          g_assert_cmpuint (chrono_event_get_excerpts (copy)->len, ==, 1);
          kept = chrono_event_get_excerpts (copy)->pdata[0];
          g_assert_cmpstr (chrono_excerpt_get_quote (kept), ==, chrono_excerpt_get_quote (excerpt));
          g_assert_cmpstr (chrono_source_get_title (chrono_excerpt_get_source (kept)), ==, citation);
          g_assert_cmpstr (chrono_source_get_url (chrono_excerpt_get_source (kept)), ==,
                           chrono_source_get_url (chrono_excerpt_get_source (excerpt)));
        }
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import-csv/women-in-computing", test_women_in_computing);
  g_test_add_func ("/import-csv/timelinejs-sheet", test_timelinejs_sheet);
  g_test_add_func ("/import-csv/timelinejs-sheet-bce", test_timelinejs_sheet_bce);
  g_test_add_func ("/import-csv/parser-test", test_parser_test);
  g_test_add_func ("/import-csv/semicolon-cp1252", test_semicolon_cp1252);
  g_test_add_func ("/import-csv/day-first", test_day_first);
  g_test_add_func ("/import-csv/ambiguous", test_ambiguous);
  g_test_add_func ("/import-csv/split-columns", test_split_columns);
  g_test_add_func ("/import-csv/before-common-era", test_before_common_era);
  g_test_add_func ("/import-csv/wkt", test_wkt);
  g_test_add_func ("/import-csv/lat-lon-column", test_lat_lon_column);
  g_test_add_func ("/import-csv/two-digit-years", test_two_digit_years);
  g_test_add_func ("/import-csv/columns-by-hand", test_columns_by_hand);
  g_test_add_func ("/import-csv/bad-coordinates", test_bad_coordinates);
  g_test_add_func ("/import-csv/acled", test_acled);
  g_test_add_func ("/import-csv/ucdp", test_ucdp);
  g_test_add_func ("/import-csv/empty-and-header-only", test_empty_and_header_only);
  g_test_add_func ("/import-csv/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/import-csv/line-ends-and-ragged-rows", test_line_ends_and_ragged_rows);
  g_test_add_func ("/import-csv/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/import-csv/huge-field", test_huge_field);
  g_test_add_func ("/import-csv/cancel", test_cancel);
  g_test_add_func ("/import-csv/detect", test_detect);
  g_test_add_func ("/export-csv/round-trip", test_round_trip);

  return g_test_run ();
}
