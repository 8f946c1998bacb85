/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "chrono-dataset.h"
#include "chrono-tour-step.h"
#include "chrono-export.h"
#include "chrono-import.h"

/*
 * The TimelineJS and StoryMapJS readers, on the Knight Lab examples
 * ($CHRONO_FIXTURES_DIR) and on hand-made traps (tests/data/import/timelinejs),
 * and the writer of Chronotope's own dataset JSON.
 */

static GBytes *
load_fixture (const char *folder,
              const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("CHRONO_FIXTURES_DIR"), folder, name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);

  return g_file_load_bytes (file, NULL, NULL, NULL);
}

static GBytes *
load_data (const char *name)
{
  g_autofree char *path = g_build_filename (TEST_DATA_DIR, "import", "timelinejs", name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  GBytes *bytes = g_file_load_bytes (file, NULL, NULL, NULL);

  g_assert_nonnull (bytes);
  return bytes;
}

/* Imports @bytes into a new store; *@out_import keeps the problems. */
static ChronoStore *
import_into_new (const char    *display_name,
                 GBytes        *bytes,
                 const char    *format,
                 ChronoImport **out_import,
                 GError       **error)
{
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImportOptions) options = chrono_import_options_new ();
  ChronoImport *import;

  options->format = g_strdup (format);
  import = chrono_import_new (store, display_name, options);
  *out_import = import;
  if (!chrono_import_run (import, bytes, error))
    return NULL;

  return g_steal_pointer (&store);
}

static const ChronoImportProblem *
find_problem (ChronoImport *import,
              const char   *path)
{
  GPtrArray *problems = chrono_import_get_problems (import);

  for (guint i = 0; i < problems->len; i++)
    {
      const ChronoImportProblem *problem = g_ptr_array_index (problems, i);

      if (g_strcmp0 (problem->path, path) == 0)
        return problem;
    }

  return NULL;
}

/* That a problem at @path says @words. */
static void
assert_problem (ChronoImport *import,
                const char   *path,
                const char   *words)
{
  const ChronoImportProblem *problem = find_problem (import, path);

  if (problem == NULL)
    g_error ("no problem at %s", path);
  g_test_message ("%s: %s", path, problem->message);
  g_assert_nonnull (strstr (problem->message, words));
}

static GPtrArray *
get_events (ChronoStore *store)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *events = chrono_export_get_events (store, NULL, &error);

  g_assert_no_error (error);
  return events;
}

static ChronoEvent *
find_event (GPtrArray  *events,
            const char *title)
{
  for (guint i = 0; i < events->len; i++)
    if (g_strcmp0 (chrono_event_get_title (g_ptr_array_index (events, i)), title) == 0)
      return g_ptr_array_index (events, i);

  g_error ("no event titled “%s”", title);
  return NULL;
}

static guint
count_category (GPtrArray  *events,
                const char *category)
{
  guint n = 0;

  for (guint i = 0; i < events->len; i++)
    if (g_strcmp0 (chrono_event_get_category (g_ptr_array_index (events, i)), category) == 0)
      n++;

  return n;
}

static void
assert_span (ChronoEvent *event,
             gint64       y1,
             int          m1,
             int          d1,
             gint64       y2,
             int          m2,
             int          d2)
{
  g_assert_cmpint (chrono_event_get_start_lo (event), ==, chrono_day_from_ymd (y1, m1, d1));
  g_assert_cmpint (chrono_event_get_end_hi (event), ==, chrono_day_from_ymd (y2, m2, d2));
}

static ChronoPlace *
find_place (ChronoStore *store,
            const char  *name,
            double       lat,
            double       lon)
{
  g_autoptr (GPtrArray) places = chrono_store_get_places (store, NULL, NULL);

  for (guint i = 0; i < places->len; i++)
    {
      ChronoPlace *place = g_ptr_array_index (places, i);

      if (g_strcmp0 (chrono_place_get_name (place), name) == 0 &&
          G_APPROX_VALUE (chrono_place_get_lat (place), lat, 1e-9) &&
          G_APPROX_VALUE (chrono_place_get_lon (place), lon, 1e-9))
        return g_object_ref (place);
    }

  return NULL;
}

/* TimelineJS 3 */

static void
test_timeline3 (void)
{
  g_autoptr (GBytes) bytes = load_fixture ("timelinejs", "timeline3.json");
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  ChronoEvent *first, *last, *bodyguard;
  ChronoStoreCounts counts = { 0 };

  if (bytes == NULL)
    {
      g_test_skip ("no shared fixtures");
      return;
    }

  g_assert_true (chrono_import_detect ("timeline3.json", bytes) == chrono_import_find_format ("timelinejs"));

  store = import_into_new ("timeline3.json", bytes, NULL, &import, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chrono_import_get_format (import)->name, ==, "timelinejs");
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 18);
  g_assert_cmpuint (chrono_import_get_n_places (import), ==, 0);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 0);

  /* The title slide: "Whitney Houston<br/> 1963 - 2012" on one line */
  title = chrono_store_dup_meta (store, "title:und");
  g_assert_cmpstr (title, ==, "Whitney Houston 1963 - 2012");
  description = chrono_store_dup_meta (store, "description:und");
  g_assert_true (g_str_has_prefix (description, "Houston's voice caught the imagination"));

  events = get_events (store);
  g_assert_cmpuint (events->len, ==, 18);
  first = g_ptr_array_index (events, 0);
  last = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (chrono_event_get_title (first), ==, "A Musical Heritage");
  g_assert_cmpstr (chrono_event_get_start (first), ==, "1963-08-09");
  assert_span (first, 1963, 8, 9, 1963, 8, 9);
  g_assert_cmpstr (chrono_event_get_summary (first), ==,
                   "Born in New Jersey on August 9th, 1963, Houston grew up surrounded by the music business. "
                   "Her mother is gospel singer Cissy Houston and her cousins are Dee Dee and Dionne Warwick.");
  g_assert_cmpstr (chrono_event_get_title (last), ==, "Whitney Houston 1963-2012");
  g_assert_cmpstr (chrono_event_get_start (last), ==, "2012-02-11");

  /* A year alone is the whole year */
  bodyguard = find_event (events, "\"The Bodyguard\"");
  g_assert_cmpstr (chrono_event_get_start (bodyguard), ==, "1992");
  assert_span (bodyguard, 1992, 1, 1, 1992, 12, 31);
  /* The media credit is kept in the note; the text is quoted from the file */
  g_assert_nonnull (strstr (chrono_event_get_note (bodyguard), "(Arista Records)"));
  g_assert_cmpuint (chrono_event_get_excerpts (bodyguard)->len, ==, 1);
  g_assert_cmpstr (chrono_source_get_title (chrono_excerpt_get_source (g_ptr_array_index (chrono_event_get_excerpts (bodyguard), 0))),
                   ==, "timeline3.json");

  g_assert_true (chrono_store_get_counts (store, &counts, NULL));
  g_assert_cmpuint (counts.events, ==, 18);
  g_assert_cmpuint (counts.excerpts, ==, 18);
  g_assert_cmpuint (counts.sources, ==, 1);
}

static void
test_eras (void)
{
  g_autoptr (GBytes) bytes = load_fixture ("timelinejs", "eras.json");
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  ChronoEvent *hijra, *war, *era;

  if (bytes == NULL)
    {
      g_test_skip ("no shared fixtures");
      return;
    }

  store = import_into_new ("eras.json", bytes, NULL, &import, &error);
  g_assert_no_error (error);
  /* 20 events and 3 eras, which are events of category "era" */
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 23);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 0);

  events = get_events (store);
  g_assert_cmpuint (count_category (events, "era"), ==, 3);

  /* Three-digit years, and an interval of days */
  war = find_event (events, "Last great Roman-Persian War.");
  g_assert_cmpstr (chrono_event_get_start (war), ==, "0602");
  g_assert_cmpstr (chrono_event_get_end (war), ==, "0629");
  assert_span (war, 602, 1, 1, 629, 12, 31);
  hijra = find_event (events, "Muhammad Migrates from Mecca to Medina");
  g_assert_cmpstr (chrono_event_get_start (hijra), ==, "0622-08-09");
  g_assert_cmpstr (chrono_event_get_end (hijra), ==, "0622-08-23");
  assert_span (hijra, 622, 8, 9, 622, 8, 23);

  /* The earliest is the era 600-650, the latest the era 700-720 */
  era = g_ptr_array_index (events, 0);
  g_assert_cmpstr (chrono_event_get_title (era), ==, "Era Test 600-650");
  g_assert_cmpstr (chrono_event_get_category (era), ==, "era");
  assert_span (era, 600, 1, 1, 650, 12, 31);
  era = find_event (events, "Era Test 700-720");
  assert_span (era, 700, 1, 1, 720, 12, 31);
}

static void
test_cosmo (void)
{
  g_autoptr (GBytes) bytes = load_fixture ("timelinejs", "cosmo.json");
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoEdtf) big_bang_edtf = NULL;
  ChronoEvent *big_bang, *paleozoic, *wheel;

  if (bytes == NULL)
    {
      g_test_skip ("no shared fixtures");
      return;
    }

  store = import_into_new ("cosmo.json", bytes, NULL, &import, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 7);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 0);

  events = get_events (store);
  big_bang = g_ptr_array_index (events, 0);
  g_assert_cmpstr (chrono_event_get_title (big_bang), ==, "The Big Bang");
  g_assert_cmpstr (chrono_event_get_start (big_bang), ==, "Y-13800000000");
  big_bang_edtf = chrono_edtf_parse ("Y-13800000000", NULL);
  g_assert_cmpint (chrono_event_get_start_lo (big_bang), ==, chrono_edtf_get_earliest (big_bang_edtf));
  g_assert_cmpint (chrono_event_get_start_lo (big_bang), ==, chrono_day_from_ymd (-13800000000, 1, 1));

  paleozoic = find_event (events, "Paleozoic era");
  g_assert_cmpstr (chrono_event_get_start (paleozoic), ==, "Y-538800000");
  g_assert_cmpstr (chrono_event_get_end (paleozoic), ==, "Y-251902000");
  assert_span (paleozoic, -538800000, 1, 1, -251902000, 12, 31);

  wheel = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (chrono_event_get_title (wheel), ==, "oldest known depiction of a wheeled vehicle");
  /* TimelineJS shows the year -3500 as "3500 BCE": astronomical year -3499 */
  g_assert_cmpstr (chrono_event_get_start (wheel), ==, "-3499");
  g_assert_cmpint (chrono_event_get_start_lo (wheel), ==, chrono_day_from_ymd (-3499, 1, 1));
  g_assert_cmpstr (chrono_event_get_start (find_event (events, "approximate date of appearance of Homo sapiens")),
                   ==, "Y-315000");
}

static void
test_all_media_types (void)
{
  g_autoptr (GBytes) bytes = load_fixture ("timelinejs", "all-media-types.json");
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoEvent) by_id = NULL;

  if (bytes == NULL)
    {
      g_test_skip ("no shared fixtures");
      return;
    }

  store = import_into_new ("all-media-types.json", bytes, NULL, &import, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 41);

  /* Groups are categories */
  events = get_events (store);
  g_assert_cmpuint (count_category (events, "Image"), ==, 11);
  g_assert_cmpuint (count_category (events, "Video"), ==, 7);
  g_assert_cmpuint (count_category (events, "Audio"), ==, 5);
  g_assert_cmpuint (count_category (events, "HTML"), ==, 3);
  g_assert_cmpuint (count_category (events, "Social Media"), ==, 2);
  g_assert_cmpuint (count_category (events, NULL), ==, 13);

  /* A month alone: June 1904 */
  assert_span (find_event (events, "TikTok"), 1904, 6, 1, 1904, 6, 30);

  /* unique_id is the event's local id */
  by_id = chrono_store_get_event_by_id (store, "all-media-types-wikipedia-image-error", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chrono_event_get_title (by_id), ==, "Wikimedia Commons Image (intentional error)");
  g_assert_cmpstr (chrono_event_get_start (by_id), ==, "1940");
  g_assert_cmpstr (chrono_event_get_category (by_id), ==, "Image");
}

static void
test_marktwain (void)
{
  g_autoptr (GBytes) bytes = load_fixture ("timelinejs", "marktwain.json");
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoPlace) florida = NULL;
  g_autoptr (ChronoPlace) hannibal = NULL;
  g_autofree char *description = NULL;
  ChronoEvent *event;

  if (bytes == NULL)
    {
      g_test_skip ("no shared fixtures");
      return;
    }

  store = import_into_new ("marktwain.json", bytes, NULL, &import, &error);
  g_assert_no_error (error);
  /* 17 slides, the first an overview: its text is the description */
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 16);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 1);
  assert_problem (import, "events[0]", "overview");
  description = chrono_store_dup_meta (store, "description:und");
  g_assert_true (g_str_has_prefix (description, "Samuel Langhorne Clemens (November 30, 1835 – April 21, 1910)"));

  /* 12 slides with lat/lon, all at distinct name and point */
  g_assert_cmpuint (chrono_import_get_n_places (import), ==, 12);

  events = get_events (store);
  /* A time of day: the day is kept as written, the time noted */
  event = find_event (events, "Florida, Missouri");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "2000-01-05");
  g_assert_nonnull (strstr (chrono_event_get_note (event), "06:45:56"));
  florida = find_place (store, "Florida, Missouri", 39.491711, -91.79326);
  g_assert_nonnull (florida);
  g_assert_cmpuint (chrono_event_get_places (event)->len, ==, 1);
  g_assert_cmpstr (chrono_place_get_id (g_ptr_array_index (chrono_event_get_places (event), 0)), ==,
                   chrono_place_get_id (florida));

  /* The place is named by location.name, even where the headline differs */
  event = find_event (events, "Hannibal, Missouri");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "1920-01-05");
  g_assert_cmpstr (chrono_event_get_end (event), ==, "1923-01-05");
  hannibal = find_place (store, "Florida, Missouri", 39.501711, -91.94326);
  g_assert_nonnull (hannibal);

  /* No location name: the headline names the place */
  g_assert_null (find_place (store, "Travels", 0, 0));
  g_clear_object (&hannibal);
  hannibal = find_place (store, "Travels", 54.525961, 15.255119);
  g_assert_nonnull (hannibal);

  /* Month and day given as "": the year */
  event = find_event (events, "Get started!");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "2014");

  /* Earliest 6 January 1900, latest 2014 */
  assert_span (g_ptr_array_index (events, 0), 1900, 1, 6, 1900, 1, 6);
  g_assert_cmpint (chrono_event_get_end_hi (g_ptr_array_index (events, events->len - 1)), ==,
                   chrono_day_from_ymd (2014, 12, 31));
}

static void
test_bad_types (void)
{
  g_autoptr (GBytes) bytes = load_data ("bad-types.json");
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoPlace) paris = NULL;
  g_autoptr (ChronoEvent) by_id = NULL;
  g_autofree char *title = NULL;
  ChronoEvent *event;

  g_assert_true (chrono_import_detect ("bad-types.json", bytes) == chrono_import_find_format ("timelinejs"));
  store = import_into_new ("bad-types.json", bytes, NULL, &import, &error);
  g_assert_no_error (error);

  title = chrono_store_dup_meta (store, "title:und");
  g_assert_cmpstr (title, ==, "Traps for readers");

  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 11);
  g_assert_cmpuint (chrono_import_get_n_places (import), ==, 1);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 14);

  assert_problem (import, "events[1]: start_date", "no year");
  assert_problem (import, "events[2]: start_date", "no year");
  assert_problem (import, "events[3]: start_date", "expected an object, found an array");
  assert_problem (import, "events[4]: start_date", "year: “abc” is not a whole number");
  assert_problem (import, "events[5]: start_date", "month: 13");
  assert_problem (import, "events[6]: start_date", "no day 31");
  assert_problem (import, "events[7]: start_date", "1.5 is not a whole number");
  assert_problem (import, "events[8]: location", "not a latitude and longitude");
  assert_problem (import, "events[9]: location", "(95, 2)");
  assert_problem (import, "events[10]", "found null");
  assert_problem (import, "events[12]", "before the start");
  assert_problem (import, "events[13]", "beyond four digits");
  assert_problem (import, "events[14]: location", "found an array");
  assert_problem (import, "events[17]: end_date", "no year");
  assert_problem (import, "events[18]: start_date", "beyond");
  assert_problem (import, "events[19]", "overview");
  assert_problem (import, "eras[1]", "found a text");
  /* A whole date as a text is read, but a two-digit year is not completed */
  assert_problem (import, "events[22]: start_date", "two-digit year");

  events = get_events (store);
  g_assert_cmpuint (events->len, ==, 11);
  g_assert_cmpstr (chrono_event_get_start (find_event (events, "Date as a text")), ==, "1871-03-18");
  g_assert_cmpstr (chrono_event_get_start (find_event (events, "Date as a number")), ==, "1789");

  event = find_event (events, "Numbers and texts");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "1999-03");
  g_assert_cmpstr (chrono_event_get_category (event), ==, "mixed");

  /* NaN and 95° are no place, but the events stay */
  event = find_event (events, "Not a number");
  g_assert_cmpuint (chrono_event_get_places (event)->len, ==, 0);
  event = find_event (events, "Off the Earth");
  g_assert_cmpuint (chrono_event_get_places (event)->len, ==, 0);

  /* A number as a headline is a title; an array as a text is no summary */
  event = find_event (events, "42");
  g_assert_null (chrono_event_get_summary (event));

  event = find_event (events, "Deep time with a month");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "Y-50000");

  /* Coordinates as texts; unique_id; display_date and the time in the note */
  paris = find_place (store, "Paris", 48.8566, 2.3522);
  g_assert_nonnull (paris);
  by_id = chrono_store_get_event_by_id (store, "bad-types-paris-2007", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chrono_event_get_start (by_id), ==, "2007-07-14");
  g_assert_nonnull (strstr (chrono_event_get_note (by_id), "Bastille Day 2007"));
  g_assert_nonnull (strstr (chrono_event_get_note (by_id), "23:30:00"));
  g_assert_cmpstr (chrono_place_get_id (g_ptr_array_index (chrono_event_get_places (by_id), 0)), ==,
                   chrono_place_get_id (paris));

  /* An end of empty parts is no end */
  event = find_event (events, "Empty end");
  g_assert_null (chrono_event_get_end (event));
  assert_span (event, 2008, 1, 1, 2008, 12, 31);

  event = find_event (events, "The nineties");
  g_assert_cmpstr (chrono_event_get_category (event), ==, "era");
  assert_span (event, 1990, 1, 1, 1999, 12, 31);
}

static void
test_v2 (void)
{
  g_autoptr (GBytes) bytes = load_data ("v2.json");
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  ChronoEvent *event;

  g_assert_true (chrono_import_detect ("v2.json", bytes) == chrono_import_find_format ("timelinejs"));
  store = import_into_new ("v2.json", bytes, NULL, &import, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 5);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 2);
  assert_problem (import, "timeline.date[4]: startDate", "not a date");
  assert_problem (import, "timeline.date[5]: startDate", "2011,02,30");

  title = chrono_store_dup_meta (store, "title:und");
  g_assert_cmpstr (title, ==, "A TimelineJS 2 file");

  events = get_events (store);
  event = find_event (events, "Two days");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "2011-12-10");
  g_assert_cmpstr (chrono_event_get_end (event), ==, "2011-12-11");
  g_assert_cmpstr (chrono_event_get_summary (event), ==, "With a bold word.");
  g_assert_cmpstr (chrono_event_get_category (event), ==, "weekend");
  g_assert_nonnull (strstr (chrono_event_get_note (event), "A picture (A. Photographer): http://example.org/a.jpg"));

  g_assert_cmpstr (chrono_event_get_start (find_event (events, "A year alone")), ==, "1998");
  g_assert_null (chrono_event_get_end (find_event (events, "Blank end")));
  event = find_event (events, "With a time");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "2012-01-05");
  g_assert_nonnull (strstr (chrono_event_get_note (event), "10:30"));
  event = find_event (events, "The year 2011");
  g_assert_cmpstr (chrono_event_get_category (event), ==, "era");
  assert_span (event, 2011, 1, 1, 2011, 12, 31);
}

/* Broken files: a clear error, never a crash */
static void
test_hostile (void)
{
  g_autoptr (GBytes) whole = load_data ("bad-types.json");
  g_autoptr (GString) deep = g_string_new ("{\"events\": [{\"start_date\": ");
  g_autoptr (GString) huge = g_string_new (NULL);
  g_autoptr (GBytes) truncated = NULL;
  g_autoptr (GBytes) deep_bytes = NULL;
  g_autoptr (GBytes) invalid = NULL;
  g_autoptr (GBytes) huge_bytes = NULL;
  g_autoptr (GBytes) not_object = NULL;
  g_autoptr (GBytes) events_object = NULL;
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  ChronoEvent *event;

  /* Cut in the middle */
  truncated = g_bytes_new_from_bytes (whole, 0, g_bytes_get_size (whole) / 2);
  store = import_into_new ("cut.json", truncated, "timelinejs", &import, &error);
  g_assert_null (store);
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "cut.json:"));
  g_clear_error (&error);
  g_clear_pointer (&import, chrono_import_free);

  /* 100000 levels deep */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  deep_bytes = g_bytes_new (deep->str, deep->len);
  g_assert_true (chrono_import_detect ("deep.json", deep_bytes) == chrono_import_find_format ("timelinejs"));
  store = import_into_new ("deep.json", deep_bytes, NULL, &import, &error);
  g_assert_null (store);
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_clear_pointer (&import, chrono_import_free);

  /* Invalid UTF-8 */
  {
    static const char text[] = "{\"events\": [{\"start_date\": {\"year\": \"2000\"}, "
                               "\"text\": {\"headline\": \"bad \xff\xfe bytes\"}}]}";

    invalid = g_bytes_new_static (text, sizeof text - 1);
  }
  store = import_into_new ("utf8.json", invalid, "timelinejs", &import, &error);
  g_assert_null (store);
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "UTF-8"));
  g_clear_error (&error);
  g_clear_pointer (&import, chrono_import_free);

  /* Not an object; events not an array */
  not_object = g_bytes_new_static ("[1, 2, 3]", strlen ("[1, 2, 3]"));
  store = import_into_new ("array.json", not_object, "timelinejs", &import, &error);
  g_assert_null (store);
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "found an array"));
  g_clear_error (&error);
  g_clear_pointer (&import, chrono_import_free);

  events_object = g_bytes_new_static ("{\"events\": {\"start_date\": 1}}", strlen ("{\"events\": {\"start_date\": 1}}"));
  store = import_into_new ("object.json", events_object, "timelinejs", &import, &error);
  g_assert_null (store);
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "events: expected an array, found an object"));
  g_clear_error (&error);
  g_clear_pointer (&import, chrono_import_free);

  /* A 10 MB text is cut, not refused */
  g_string_append (huge, "{\"events\": [{\"start_date\": {\"year\": 1900}, \"text\": {\"headline\": \"Huge\", \"text\": \"<p>");
  for (guint i = 0; i < 10 * 1024 * 1024 / 8; i++)
    g_string_append (huge, "all work ");
  g_string_append (huge, "</p>\"}}]}");
  huge_bytes = g_bytes_new (huge->str, huge->len);
  store = import_into_new ("huge.json", huge_bytes, NULL, &import, &error);
  g_assert_no_error (error);
  events = get_events (store);
  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpstr (chrono_event_get_title (event), ==, "Huge");
  g_assert_cmpuint (strlen (chrono_event_get_summary (event)), <=, CHRONO_IMPORT_MAX_TEXT + 8);
  g_assert_cmpuint (strlen (chrono_event_get_summary (event)), >=, CHRONO_IMPORT_MAX_TEXT / 2);
  g_assert_true (g_str_has_suffix (chrono_event_get_summary (event), "…"));
}

static void
test_cancel (void)
{
  g_autoptr (GString) json = g_string_new ("{\"events\": [");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = chrono_import_new (store, "many.json", NULL);
  g_autoptr (GError) error = NULL;
  ChronoStoreCounts counts = { 0 };

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (json, "%s{\"start_date\": {\"year\": %u}, \"text\": {\"headline\": \"E%u\"}}",
                            i > 0 ? "," : "", 1000 + i, i);
  g_string_append (json, "]}");
  bytes = g_bytes_new (json->str, json->len);

  g_cancellable_cancel (cancellable);
  chrono_import_set_cancellable (import, cancellable);
  g_assert_false (chrono_import_run (import, bytes, &error));
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_CANCELLED);

  /* Nothing was left behind */
  g_assert_true (chrono_store_get_counts (store, &counts, NULL));
  g_assert_cmpuint (counts.events, ==, 0);
  g_assert_cmpuint (counts.sources, ==, 0);
}

static void
test_detect (void)
{
  static const struct
  {
    const char *folder;
    const char *name;
    const char *format;
  } cases[] = {
    { "timelinejs", "timeline3.json", "timelinejs" },
    { "timelinejs", "eras.json", "timelinejs" },
    { "timelinejs", "cosmo.json", "timelinejs" },
    { "timelinejs", "all-media-types.json", "timelinejs" },
    { "timelinejs", "marktwain.json", "timelinejs" },
    { "storymapjs", "demo.json", "storymapjs" },
  };
  g_autofree char *path = g_build_filename (g_getenv ("CHRONO_SOURCE_ROOT"), "data", "datasets",
                                            "karabakh-peacekeeping.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GBytes) native = g_file_load_bytes (file, NULL, NULL, NULL);
  g_autoptr (GBytes) storymap = load_data ("storymap-free-dates.json");
  g_autoptr (GBytes) bare = load_data ("storymap-bare.json");
  const ChronoImportFormat *timelinejs = chrono_import_find_format ("timelinejs");
  const ChronoImportFormat *storymapjs = chrono_import_find_format ("storymapjs");

  g_assert_nonnull (timelinejs);
  g_assert_nonnull (storymapjs);

  /* Chronotope's own datasets are not TimelineJS, though they have "events" */
  g_assert_nonnull (native);
  g_assert_true (chrono_import_detect ("karabakh-peacekeeping.json", native) == chrono_import_find_format ("chronotope"));
  g_assert_cmpint (timelinejs->detect ("x.json", g_bytes_get_data (native, NULL), g_bytes_get_size (native)), ==, CHRONO_DETECT_NO);
  g_assert_cmpint (storymapjs->detect ("x.json", g_bytes_get_data (native, NULL), g_bytes_get_size (native)), ==, CHRONO_DETECT_NO);

  g_assert_true (chrono_import_detect ("s.json", storymap) == storymapjs);
  g_assert_cmpint (timelinejs->detect ("s.json", g_bytes_get_data (storymap, NULL), g_bytes_get_size (storymap)), ==, CHRONO_DETECT_NO);
  g_assert_true (chrono_import_detect ("bare.json", bare) == storymapjs);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) bytes = load_fixture (cases[i].folder, cases[i].name);

      if (bytes == NULL)
        {
          g_test_skip ("no shared fixtures");
          return;
        }
      g_test_message ("%s", cases[i].name);
      g_assert_true (chrono_import_detect (cases[i].name, bytes) == chrono_import_find_format (cases[i].format));
    }
}

/* StoryMapJS */

static void
test_storymap_demo (void)
{
  g_autoptr (GBytes) bytes = load_fixture ("storymapjs", "demo.json");
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoPlace) kent = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  ChronoEvent *first, *last;

  if (bytes == NULL)
    {
      g_test_skip ("no shared fixtures");
      return;
    }

  store = import_into_new ("demo.json", bytes, NULL, &import, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chrono_import_get_format (import)->name, ==, "storymapjs");
  /* 25 slides: the overview, and 24 located and dated by a year */
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 24);
  g_assert_cmpuint (chrono_import_get_n_places (import), ==, 24);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 0);
  assert_problem (import, "storymap.slides[0]", "1790-2010");

  title = chrono_store_dup_meta (store, "title:und");
  g_assert_cmpstr (title, ==, "US Westward Expansion Mean center of United States population");
  description = chrono_store_dup_meta (store, "description:und");
  g_assert_true (g_str_has_prefix (description, "The mean center of U.S. population is determined by"));

  events = get_events (store);
  first = g_ptr_array_index (events, 0);
  last = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (chrono_event_get_title (first), ==, "1790");
  g_assert_cmpstr (chrono_event_get_start (first), ==, "1790");
  assert_span (first, 1790, 1, 1, 1790, 12, 31);
  kent = find_place (store, "Kent County, Maryland", 39.275, -76.18667);
  g_assert_nonnull (kent);
  g_assert_cmpstr (chrono_place_get_id (g_ptr_array_index (chrono_event_get_places (first), 0)), ==,
                   chrono_place_get_id (kent));
  g_assert_cmpstr (chrono_event_get_summary (first), ==,
                   "A look at the US during this first Census data collection.\n"
                   "Map (left) is an example of a URL to an image hosted on the web.");

  g_assert_cmpstr (chrono_event_get_title (last), ==, "2020: Further West, Further South");
  assert_span (last, 2020, 1, 1, 2020, 12, 31);
  g_assert_cmpstr (chrono_place_get_name (g_ptr_array_index (chrono_event_get_places (last), 0)), ==,
                   "Wright County, Missouri");
  g_assert_nonnull (strstr (chrono_event_get_note (last), "(US Census Bureau): https://www.youtube.com/watch?v=D9XelnGyggI"));
}

static void
test_storymap_free_dates (void)
{
  g_autoptr (GBytes) bytes = load_data ("storymap-free-dates.json");
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoPlace) lyon = NULL;
  g_autoptr (ChronoPlace) marseille = NULL;
  g_autoptr (ChronoPlace) nice = NULL;
  g_autoptr (ChronoPlace) centuries = NULL;
  g_autoptr (GArray) at_lyon = NULL;
  g_autofree char *title = NULL;
  ChronoEvent *event;

  store = import_into_new ("free-dates.json", bytes, NULL, &import, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 3);
  g_assert_cmpuint (chrono_import_get_n_places (import), ==, 6);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 3);

  title = chrono_store_dup_meta (store, "title:und");
  g_assert_cmpstr (title, ==, "Free dates");

  events = get_events (store);
  g_assert_cmpuint (events->len, ==, 3);

  /* "1790-2010": two years; the place is named by the headline */
  event = find_event (events, "Two centuries");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "1790");
  g_assert_cmpstr (chrono_event_get_end (event), ==, "2010");
  assert_span (event, 1790, 1, 1, 2010, 12, 31);
  centuries = find_place (store, "Two centuries", 39.0, -80.0);
  g_assert_nonnull (centuries);

  event = find_event (events, "The Commune");
  assert_span (event, 1871, 1, 1, 1871, 12, 31);
  event = find_event (events, "A year as a number");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "1902");

  /* "Aug 23" has no year: a place with its text, no event, and a note */
  lyon = find_place (store, "Lyon", 45.764, 4.8357);
  g_assert_nonnull (lyon);
  g_assert_cmpstr (chrono_place_get_note (lyon), ==, "Aug 23\n\nA day of August\n\nNo year is given.");
  at_lyon = chrono_store_get_events_at_place (store, chrono_place_get_id (lyon), NULL);
  g_assert_cmpuint (at_lyon->len, ==, 0);
  assert_problem (import, "storymap.slides[3]", "Aug 23");

  /* No date: a place; a two-digit year is not completed either */
  marseille = find_place (store, "Marseille", 43.2965, 5.3698);
  g_assert_nonnull (marseille);
  g_assert_cmpstr (chrono_place_get_note (marseille), ==, "Nothing dated.");
  assert_problem (import, "storymap.slides[4]", "no date");
  nice = find_place (store, "Nice", 43.7102, 7.262);
  g_assert_nonnull (nice);
  assert_problem (import, "storymap.slides[5]", "5-Nov-20");

  /* Without a location, out of range, not an object: skipped */
  assert_problem (import, "storymap.slides[6]", "without a location");
  assert_problem (import, "storymap.slides[7]", "(-123, 10)");
  assert_problem (import, "storymap.slides[9]", "found a text");
}

static void
test_storymap_bare_and_image (void)
{
  g_autoptr (GBytes) bare = load_data ("storymap-bare.json");
  g_autoptr (GBytes) image = load_data ("storymap-image.json");
  g_autoptr (GBytes) zoomify = load_data ("storymap-zoomify.json");
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;

  /* The storymap object at the top; the first slide is the overview */
  store = import_into_new ("bare.json", bare, NULL, &import, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 1);
  title = chrono_store_dup_meta (store, "title:und");
  g_assert_cmpstr (title, ==, "Bare story map");
  events = get_events (store);
  g_assert_cmpstr (chrono_event_get_start (g_ptr_array_index (events, 0)), ==, "2001-09");
  g_clear_object (&store);
  g_clear_pointer (&import, chrono_import_free);

  /* A story told on a picture has no coordinates on Earth */
  store = import_into_new ("image.json", image, NULL, &import, &error);
  g_assert_null (store);
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "image"));
  g_clear_error (&error);
  g_clear_pointer (&import, chrono_import_free);

  store = import_into_new ("zoomify.json", zoomify, NULL, &import, &error);
  g_assert_null (store);
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED);
  g_clear_error (&error);
}

/* The dataset JSON writer */

static GBytes *
write_json (ChronoStore *store)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  const ChronoExportFormat *format = chrono_export_find_format ("json");

  g_assert_true (format == &chrono_export_format_json);
  g_assert_cmpstr (format->extension, ==, "json");
  g_assert_true (format->write (store, "en", out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static const char *
find_text (GPtrArray  *texts,
           const char *lang)
{
  for (guint i = 0; i < texts->len; i++)
    {
      ChronoEventText *text = g_ptr_array_index (texts, i);

      if (g_str_equal (text->lang, lang))
        return text->title;
    }

  return NULL;
}

static void
test_json_round_trip (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("CHRONO_SOURCE_ROOT"), "data", "datasets",
                                            "karabakh-peacekeeping.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GBytes) original = g_file_load_bytes (file, NULL, NULL, NULL);
  g_autoptr (ChronoStore) a = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoStore) b = chrono_store_new_in_memory (NULL);
  g_autoptr (GBytes) written = NULL;
  g_autoptr (GPtrArray) events_a = NULL;
  g_autoptr (GPtrArray) events_b = NULL;
  g_autoptr (GPtrArray) places_a = NULL;
  g_autoptr (GPtrArray) places_b = NULL;
  g_autoptr (GPtrArray) tour_a = NULL;
  g_autoptr (GPtrArray) tour_b = NULL;
  g_autoptr (GError) error = NULL;
  ChronoStoreCounts counts_a = { 0 }, counts_b = { 0 };
  g_autofree char *title_fr = NULL;
  g_autofree char *title_fr_a = NULL;
  g_autofree char *tour_title_fr = NULL;
  g_autofree char *id = NULL;
  g_autofree char *languages = NULL;

  g_assert_nonnull (original);
  g_assert_true (chrono_dataset_import_bytes (a, original, "karabakh-peacekeeping.json", &error));
  g_assert_no_error (error);

  written = write_json (a);
  g_assert_true (chrono_dataset_import_bytes (b, written, "written.json", &error));
  g_assert_no_error (error);

  g_assert_true (chrono_store_get_counts (a, &counts_a, NULL));
  g_assert_true (chrono_store_get_counts (b, &counts_b, NULL));
  g_assert_cmpuint (counts_a.events, >=, 40);
  g_assert_cmpuint (counts_b.sources, ==, counts_a.sources);
  g_assert_cmpuint (counts_b.places, ==, counts_a.places);
  g_assert_cmpuint (counts_b.events, ==, counts_a.events);
  g_assert_cmpuint (counts_b.excerpts, ==, counts_a.excerpts);
  g_assert_cmpuint (counts_b.claims, ==, counts_a.claims);

  id = chrono_store_dup_meta (b, "dataset-id");
  g_assert_cmpstr (id, ==, "karabakh-peacekeeping");
  languages = chrono_store_dup_meta (b, "languages");
  g_assert_cmpstr (languages, ==, "en fr");
  title_fr = chrono_store_dup_meta (b, "title:fr");
  g_assert_nonnull (title_fr);
  title_fr_a = chrono_store_dup_meta (a, "title:fr");
  g_assert_cmpstr (title_fr, ==, title_fr_a);
  tour_title_fr = chrono_store_dup_meta (b, "tour-title:fr");
  g_assert_cmpstr (tour_title_fr, ==, "La mission russe de maintien de la paix en 15 étapes");

  tour_a = chrono_store_get_tour (a, "fr", NULL);
  tour_b = chrono_store_get_tour (b, "fr", NULL);
  g_assert_cmpuint (tour_a->len, ==, 15);
  g_assert_cmpuint (tour_b->len, ==, tour_a->len);
  for (guint i = 0; i < tour_a->len; i++)
    {
      ChronoTourStep *sa = g_ptr_array_index (tour_a, i), *sb = g_ptr_array_index (tour_b, i);

      g_assert_cmpstr (chrono_tour_step_get_event_id (sa), ==, chrono_tour_step_get_event_id (sb));
      g_assert_cmpstr (chrono_tour_step_get_title (sa), ==, chrono_tour_step_get_title (sb));
      g_assert_cmpstr (chrono_tour_step_get_note (sa), ==, chrono_tour_step_get_note (sb));
      g_assert_cmpstr (chrono_tour_step_get_date (sa), ==, chrono_tour_step_get_date (sb));
      g_assert_cmpint (chrono_tour_step_get_day (sa), ==, chrono_tour_step_get_day (sb));
      g_assert_true (g_strv_equal (chrono_tour_step_get_excerpts (sa), chrono_tour_step_get_excerpts (sb)));
    }

  events_a = get_events (a);
  events_b = get_events (b);
  g_assert_cmpuint (events_b->len, ==, events_a->len);
  for (guint i = 0; i < events_a->len; i++)
    {
      ChronoEvent *ea = g_ptr_array_index (events_a, i);
      g_autoptr (ChronoEvent) eb = chrono_store_get_event_by_id (b, chrono_event_get_id (ea), NULL, &error);
      g_autoptr (GPtrArray) texts_a = chrono_store_get_event_texts (a, chrono_event_get_id (ea), NULL);
      g_autoptr (GPtrArray) texts_b = NULL;
      GPtrArray *claims_a = chrono_event_get_claims (ea);

      g_assert_no_error (error);
      texts_b = chrono_store_get_event_texts (b, chrono_event_get_id (ea), NULL);
      g_assert_cmpstr (chrono_event_get_start (eb), ==, chrono_event_get_start (ea));
      g_assert_cmpstr (chrono_event_get_end (eb), ==, chrono_event_get_end (ea));
      g_assert_cmpint (chrono_event_get_start_lo (eb), ==, chrono_event_get_start_lo (ea));
      g_assert_cmpint (chrono_event_get_end_hi (eb), ==, chrono_event_get_end_hi (ea));
      g_assert_cmpstr (chrono_event_get_category (eb), ==, chrono_event_get_category (ea));
      g_assert_cmpint (chrono_event_get_importance (eb), ==, chrono_event_get_importance (ea));
      g_assert_cmpstr (chrono_event_get_note (eb), ==, chrono_event_get_note (ea));
      g_assert_nonnull (find_text (texts_a, "en"));
      g_assert_nonnull (find_text (texts_a, "fr"));
      g_assert_cmpstr (find_text (texts_b, "en"), ==, find_text (texts_a, "en"));
      g_assert_cmpstr (find_text (texts_b, "fr"), ==, find_text (texts_a, "fr"));
      g_assert_cmpuint (chrono_event_get_places (eb)->len, ==, chrono_event_get_places (ea)->len);
      for (guint j = 0; j < chrono_event_get_places (ea)->len; j++)
        g_assert_cmpstr (chrono_event_get_place_role (eb, j), ==, chrono_event_get_place_role (ea, j));
      g_assert_cmpuint (chrono_event_get_excerpts (eb)->len, ==, chrono_event_get_excerpts (ea)->len);
      for (guint j = 0; j < chrono_event_get_excerpts (ea)->len; j++)
        g_assert_cmpstr (chrono_excerpt_get_quote (g_ptr_array_index (chrono_event_get_excerpts (eb), j)), ==,
                         chrono_excerpt_get_quote (g_ptr_array_index (chrono_event_get_excerpts (ea), j)));
      for (guint j = 0; j < claims_a->len; j++)
        g_assert_cmpstr (chrono_claim_get_value (g_ptr_array_index (chrono_event_get_claims (eb), j)), ==,
                         chrono_claim_get_value (g_ptr_array_index (claims_a, j)));
    }

  /* Places keep their point exactly, and every name */
  places_a = chrono_store_get_places (a, NULL, NULL);
  places_b = chrono_store_get_places (b, NULL, NULL);
  g_assert_cmpuint (places_b->len, ==, places_a->len);
  for (guint i = 0; i < places_a->len; i++)
    {
      ChronoPlace *pa = g_ptr_array_index (places_a, i), *pb = g_ptr_array_index (places_b, i);

      g_assert_cmpstr (chrono_place_get_id (pb), ==, chrono_place_get_id (pa));
      g_assert_cmpfloat (chrono_place_get_lat (pb), ==, chrono_place_get_lat (pa));
      g_assert_cmpfloat (chrono_place_get_lon (pb), ==, chrono_place_get_lon (pa));
      g_assert_cmpuint (chrono_place_get_names (pb)->len, ==, chrono_place_get_names (pa)->len);
      g_assert_cmpstr (chrono_place_get_geometry (pb) != NULL ? "geometry" : NULL, ==,
                       chrono_place_get_geometry (pa) != NULL ? "geometry" : NULL);
    }

  /* Short numbers, as a person would write them */
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (written, NULL), g_bytes_get_size (written));

    g_assert_nonnull (strstr (text, "\"lat\": 39.8153,"));
    g_assert_null (strstr (text, "00000000"));
  }
}

/* An imported timeline written as a dataset: what the store holds, and nothing made up */
static void
test_json_of_import (void)
{
  g_autoptr (GBytes) bytes = load_data ("bad-types.json");
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GBytes) written = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) back = chrono_store_new_in_memory (NULL);
  JsonObject *root;
  JsonArray *events, *places;
  guint eras = 0;

  store = import_into_new ("bad-types.json", bytes, NULL, &import, &error);
  g_assert_no_error (error);
  written = write_json (store);

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (written, NULL), g_bytes_get_size (written), &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "chronotope-dataset");
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  /* No dataset id: one made from the title */
  g_assert_cmpstr (json_object_get_string_member (root, "id"), ==, "traps-for-readers");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "title"), "und"), ==,
                   "Traps for readers");

  events = json_object_get_array_member (root, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 11);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_strcmp0 (json_object_get_string_member (event, "category"), "era") == 0)
        eras++;
      if (g_str_equal (json_object_get_string_member (event, "id"), "bad-types-paris-2007"))
        {
          JsonArray *links = json_object_get_array_member (event, "places");

          g_assert_cmpstr (json_object_get_string_member (event, "start"), ==, "2007-07-14");
          g_assert_cmpuint (json_array_get_length (links), ==, 1);
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (links, 0), "role"), ==,
                           "location");
        }
    }
  g_assert_cmpuint (eras, ==, 1);

  places = json_object_get_array_member (root, "places");
  g_assert_cmpuint (json_array_get_length (places), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (places, 0), "lat"), ==, 48.8566);

  /* What the loader says of it, for the record: it wants English texts and fixed categories */
  if (!chrono_dataset_import_bytes (back, written, "bad-types-dataset.json", &error))
    g_test_message ("the loader refuses it: %s", error->message);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/timelinejs/timeline3", test_timeline3);
  g_test_add_func ("/import/timelinejs/eras", test_eras);
  g_test_add_func ("/import/timelinejs/cosmo", test_cosmo);
  g_test_add_func ("/import/timelinejs/all-media-types", test_all_media_types);
  g_test_add_func ("/import/timelinejs/marktwain", test_marktwain);
  g_test_add_func ("/import/timelinejs/bad-types", test_bad_types);
  g_test_add_func ("/import/timelinejs/v2", test_v2);
  g_test_add_func ("/import/timelinejs/hostile", test_hostile);
  g_test_add_func ("/import/timelinejs/cancel", test_cancel);
  g_test_add_func ("/import/timelinejs/detect", test_detect);
  g_test_add_func ("/import/storymapjs/demo", test_storymap_demo);
  g_test_add_func ("/import/storymapjs/free-dates", test_storymap_free_dates);
  g_test_add_func ("/import/storymapjs/bare-and-image", test_storymap_bare_and_image);
  g_test_add_func ("/export/json/round-trip", test_json_round_trip);
  g_test_add_func ("/export/json/of-import", test_json_of_import);

  return g_test_run ();
}
