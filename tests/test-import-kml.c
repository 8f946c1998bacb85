/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "chrono-dataset.h"
#include "chrono-event.h"
#include "chrono-export.h"
#include "chrono-import.h"

/* The KML and KMZ readers and the KML writer: Google's KML samples (in
 * $CHRONO_FIXTURES_DIR/kml), hand-made files (tests/data/import/kml) and
 * hostile inputs made here. */

typedef struct
{
  ChronoStore  *store;
  ChronoImport *import;
  GError       *error;
  gboolean      ok;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->import, chrono_import_free);
  g_clear_object (&result->store);
  g_clear_error (&result->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static GBytes *
load_fixture (const char *name)
{
  const char *dir = g_getenv ("CHRONO_FIXTURES_DIR");
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;

  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, "kml", name, NULL);
  file = g_file_new_for_path (path);
  return g_file_load_bytes (file, NULL, NULL, NULL);
}

static GBytes *
load_data (const char *name)
{
  g_autofree char *path = g_build_filename (TEST_DATA_DIR, "import", "kml", name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  GBytes *bytes = g_file_load_bytes (file, NULL, NULL, &error);

  g_assert_no_error (error);
  return bytes;
}

static void
run_import (Result     *result,
            const char *display_name,
            GBytes     *bytes)
{
  result->store = chrono_store_new_in_memory (NULL);
  g_assert_nonnull (result->store);
  result->import = chrono_import_new (result->store, display_name, NULL);
  result->ok = chrono_import_run (result->import, bytes, &result->error);
}

static gboolean
import_fixture (Result     *result,
                const char *name)
{
  g_autoptr (GBytes) bytes = load_fixture (name);

  if (bytes == NULL)
    {
      g_test_skip ("no shared fixtures");
      return FALSE;
    }

  run_import (result, name, bytes);
  g_assert_no_error (result->error);
  g_assert_true (result->ok);
  g_assert_cmpstr (chrono_import_get_format (result->import)->name, ==, "kml");
  return TRUE;
}

static void
import_data (Result     *result,
             const char *name)
{
  g_autoptr (GBytes) bytes = load_data (name);

  run_import (result, name, bytes);
}

static GPtrArray *
get_events (ChronoStore *store)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *events = chrono_export_get_events (store, "und", &error);

  g_assert_no_error (error);
  g_assert_nonnull (events);
  return events;
}

static ChronoEvent *
find_event (GPtrArray  *events,
            const char *title)
{
  for (guint i = 0; i < events->len; i++)
    if (g_strcmp0 (chrono_event_get_title (events->pdata[i]), title) == 0)
      return events->pdata[i];

  g_error ("no event titled “%s”", title);
  return NULL;
}

static ChronoPlace *
find_place (ChronoStore *store,
            const char  *name)
{
  g_autoptr (GPtrArray) places = chrono_store_get_places (store, "und", NULL);

  g_assert_nonnull (places);
  for (guint i = 0; i < places->len; i++)
    if (g_strcmp0 (chrono_place_get_name (places->pdata[i]), name) == 0)
      return g_object_ref (places->pdata[i]);

  return NULL;
}

static ChronoDay
day (gint64 year,
     int    month,
     int    dom)
{
  return chrono_day_from_ymd (year, month, dom);
}

static void
assert_days (ChronoEvent *event,
             const char  *start,
             const char  *end,
             ChronoDay    lo,
             ChronoDay    hi)
{
  g_assert_cmpstr (chrono_event_get_start (event), ==, start);
  g_assert_cmpstr (chrono_event_get_end (event), ==, end);
  g_assert_cmpint (chrono_event_get_start_lo (event), ==, lo);
  g_assert_cmpint (chrono_event_get_end_hi (event), ==, hi);
}

/* The message of the problem at @line; fails the test if there is none */
static const char *
problem_at (ChronoImport *import,
            guint         line)
{
  GPtrArray *problems = chrono_import_get_problems (import);

  for (guint i = 0; i < problems->len; i++)
    if (((ChronoImportProblem *) problems->pdata[i])->line == line)
      return ((ChronoImportProblem *) problems->pdata[i])->message;

  g_error ("no problem at line %u", line);
  return NULL;
}

static ChronoPlace *
first_place (ChronoEvent *event)
{
  GPtrArray *places = chrono_event_get_places (event);

  g_assert_nonnull (places);
  g_assert_cmpuint (places->len, >=, 1);
  return places->pdata[0];
}

/* Fixtures */

static void
test_time_stamp_point (void)
{
  g_auto (Result) result = { 0 };
  g_autoptr (GPtrArray) events = NULL;
  ChronoEvent *first, *last;

  if (!import_fixture (&result, "time-stamp-point.kml"))
    return;

  g_assert_cmpuint (chrono_import_get_n_events (result.import), ==, 361);
  /* 361 GPS fixes at 358 distinct points; unnamed, so one place per point */
  g_assert_cmpuint (chrono_import_get_n_places (result.import), ==, 358);
  g_assert_cmpuint (chrono_import_get_n_skipped (result.import), ==, 0);

  events = get_events (result.store);
  g_assert_cmpuint (events->len, ==, 361);
  for (guint i = 0; i < events->len; i++)
    {
      /* 21:05:02Z to 22:36:20Z: every fix is on 2007-01-14 in UTC */
      assert_days (events->pdata[i], "2007-01-14", NULL, day (2007, 1, 14), day (2007, 1, 14));
      /* Unnamed placemarks take the Document's name */
      g_assert_cmpstr (chrono_event_get_title (events->pdata[i]), ==, "TimeStamp'ed Points");
    }

  /* In file order (all on one day): the first and the last fix */
  first = events->pdata[0];
  last = events->pdata[events->len - 1];
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (first_place (first)), -122.536226, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (first_place (first)), 37.86047, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (first_place (last)), -122.536248, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (first_place (last)), 37.860445, 1e-9);

  {
    g_autofree char *title = chrono_store_dup_meta (result.store, "title:und");

    g_assert_cmpstr (title, ==, "TimeStamp'ed Points");
  }
}

static void
test_time_stamps_old_namespace (void)
{
  g_auto (Result) result = { 0 };
  g_autoptr (GPtrArray) events = NULL;
  static const double lons[] = { -122, -122.1, -122.2 };

  if (!import_fixture (&result, "Time.Time_Stamps.kml"))
    return;

  /* xmlns="http://earth.google.com/kml/2.2" */
  g_assert_cmpuint (chrono_import_get_n_events (result.import), ==, 3);
  events = get_events (result.store);
  g_assert_cmpuint (events->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *edtf = g_strdup_printf ("2007-01-0%u", i + 1);
      ChronoPlace *place = first_place (events->pdata[i]);

      assert_days (events->pdata[i], edtf, NULL, day (2007, 1, i + 1), day (2007, 1, i + 1));
      g_assert_cmpstr (chrono_event_get_title (events->pdata[i]), ==, "Points with TimeStamps");
      g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (place), lons[i], 1e-9);
      g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place), 37, 1e-9);
      g_assert_cmpstr (chrono_place_get_kind (place), ==, "site");
    }
}

static void
test_time_spans_overlays (void)
{
  g_auto (Result) result = { 0 };
  g_autoptr (GPtrArray) events = NULL;
  static const char * const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };

  if (!import_fixture (&result, "Time.Time_Spans.kml"))
    return;

  g_assert_cmpuint (chrono_import_get_n_events (result.import), ==, 12);
  g_assert_cmpuint (chrono_import_get_n_skipped (result.import), ==, 0);
  events = get_events (result.store);

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *title = g_strdup_printf ("Blue Marble - %s", months[i]);
      g_autofree char *start = g_strdup_printf ("2004-%02u", i + 1);
      g_autofree char *end = i < 11 ? g_strdup_printf ("2004-%02u", i + 2) : g_strdup ("2005-01");
      ChronoEvent *event = find_event (events, title);
      ChronoPlace *place = first_place (event);
      ChronoDay end_hi = i < 11 ? day (2004, i + 2, chrono_days_in_month (2004, i + 2)) : day (2005, 1, 31);

      /* gYearMonth begin and end, kept at month precision */
      assert_days (event, start, end, day (2004, i + 1, 1), end_hi);
      /* The LatLonBox (the whole Earth) as an area */
      g_assert_cmpstr (chrono_place_get_kind (place), ==, "region");
      g_assert_cmpstr (chrono_place_get_geometry (place), ==,
                       "{\"type\":\"Polygon\",\"coordinates\":[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]}");
      g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place), 0, 1e-9);
      g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (place), 0, 1e-9);
    }
}

static void
test_time_inherits (void)
{
  g_auto (Result) result = { 0 };
  g_autoptr (GPtrArray) events = NULL;
  guint n_oct = 0, n_dec = 0;

  if (!import_fixture (&result, "time-inherits.kml"))
    return;

  /* Six unnamed overlays in three timed Folders under a root Folder */
  g_assert_cmpuint (chrono_import_get_n_events (result.import), ==, 6);
  /* Two halves of the Earth, the same in every month */
  g_assert_cmpuint (chrono_import_get_n_places (result.import), ==, 2);

  events = get_events (result.store);
  for (guint i = 0; i < events->len; i++)
    {
      ChronoEvent *event = events->pdata[i];
      const char *title = chrono_event_get_title (event);
      ChronoPlace *place = first_place (event);

      g_assert_cmpstr (chrono_place_get_kind (place), ==, "region");
      if (g_str_equal (title, "Blue Marble - Oct"))
        {
          assert_days (event, "2004-10", "2004-11", day (2004, 10, 1), day (2004, 11, 30));
          n_oct++;
        }
      else if (g_str_equal (title, "Blue Marble - Dec"))
        {
          assert_days (event, "2004-12", "2005-01", day (2004, 12, 1), day (2005, 1, 31));
          n_dec++;
          /* dec1.jpg: east half, 0 to 180 */
          if (chrono_place_get_lon (place) > 0)
            g_assert_cmpstr (chrono_place_get_geometry (place), ==,
                             "{\"type\":\"Polygon\",\"coordinates\":[[[0,-90],[180,-90],[180,90],[0,90],[0,-90]]]}");
        }
      else
        {
          g_assert_cmpstr (title, ==, "Blue Marble - Nov");
          assert_days (event, "2004-11", "2004-12", day (2004, 11, 1), day (2004, 12, 31));
        }
    }
  g_assert_cmpuint (n_oct, ==, 2);
  g_assert_cmpuint (n_dec, ==, 2);
}

static void
test_catalina_points (void)
{
  g_auto (Result) result = { 0 };
  g_autoptr (GPtrArray) events = NULL;
  g_autofree char *description = NULL;
  ChronoEvent *event;
  GPtrArray *excerpts;

  if (!import_fixture (&result, "catalina-points.kml"))
    return;

  g_assert_cmpuint (chrono_import_get_n_events (result.import), ==, 213);
  g_assert_cmpuint (chrono_import_get_n_places (result.import), ==, 213);
  events = get_events (result.store);

  /* Its own TimeStamp (23:22:32Z), not the Document's LookAt gx:TimeSpan
   * nor its Folder's TimeSpan */
  event = find_event (events, "2009-08-13T17:35:24Z-0");
  assert_days (event, "2009-08-17", NULL, day (2009, 8, 17), day (2009, 8, 17));
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (first_place (event)), -118.311748, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (first_place (event)), 33.336534, 1e-9);

  /* The CDATA HTML table as text, kept as the summary and as an excerpt */
  g_assert_nonnull (strstr (chrono_event_get_summary (event), "Speed: 0.0 mph"));
  g_assert_nonnull (strstr (chrono_event_get_summary (event), "Longitude: -118.311748"));
  g_assert_null (strchr (chrono_event_get_summary (event), '<'));
  excerpts = chrono_event_get_excerpts (event);
  g_assert_nonnull (excerpts);
  g_assert_cmpuint (excerpts->len, ==, 1);
  g_assert_cmpstr (chrono_excerpt_get_quote (excerpts->pdata[0]), ==, chrono_event_get_summary (event));
  g_assert_cmpstr (chrono_source_get_title (chrono_excerpt_get_source (excerpts->pdata[0])), ==, "catalina-points.kml");

  event = find_event (events, "2009-08-13T17:35:24Z-212");
  g_assert_nonnull (strstr (chrono_event_get_summary (event), "Heading: 262.8"));

  description = chrono_store_dup_meta (result.store, "description:und");
  g_assert_cmpstr (description, ==, "Catalina Island to Long Beach by helicopter.");
}

static void
test_kml_samples (void)
{
  g_auto (Result) result = { 0 };
  g_autoptr (ChronoPlace) pentagon = NULL;
  g_autoptr (ChronoPlace) building = NULL;
  g_autoptr (ChronoPlace) path = NULL;
  g_autoptr (ChronoPlace) etna = NULL;
  g_autoptr (ChronoPlace) simple = NULL;
  g_autoptr (ChronoPlace) nested = NULL;
  ChronoStoreCounts counts = { 0 };

  if (!import_fixture (&result, "KML_Samples.kml"))
    return;

  /* No time anywhere: places only, never an invented date */
  g_assert_cmpuint (chrono_import_get_n_events (result.import), ==, 0);
  g_assert_true (chrono_store_get_counts (result.store, &counts, NULL));
  g_assert_cmpuint (counts.events, ==, 0);
  /* 19 of the 20 Placemarks have a geometry, and the GroundOverlay */
  g_assert_cmpuint (chrono_import_get_n_places (result.import), ==, 20);
  g_assert_cmpuint (counts.places, ==, 20);

  /* "Descriptive HTML" (line 224) has neither geometry nor time */
  g_assert_cmpuint (chrono_import_get_n_skipped (result.import), ==, 1);
  g_assert_nonnull (strstr (problem_at (result.import, 224), "Descriptive HTML"));

  simple = find_place (result.store, "Simple placemark");
  g_assert_nonnull (simple);
  g_assert_cmpstr (chrono_place_get_kind (simple), ==, "site");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (simple), -122.0822035425683, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (simple), 37.42228990140251, 1e-9);

  /* In a Document inside a Folder */
  nested = find_place (result.store, "Roll over this icon");
  g_assert_nonnull (nested);

  /* Polygons are regions; the Pentagon keeps its courtyard as a hole
   * (positions are written with 12 significant digits) */
  pentagon = find_place (result.store, "The Pentagon");
  g_assert_nonnull (pentagon);
  g_assert_cmpstr (chrono_place_get_kind (pentagon), ==, "region");
  g_assert_true (g_str_has_prefix (chrono_place_get_geometry (pentagon),
                                   "{\"type\":\"Polygon\",\"coordinates\":[[[-77.0578845766,38.8725325989],"));
  g_assert_nonnull (strstr (chrono_place_get_geometry (pentagon), "]],[[-77.0566805502,38.871542398],"));

  building = find_place (result.store, "Building 40");
  g_assert_nonnull (building);
  g_assert_cmpstr (chrono_place_get_kind (building), ==, "region");

  path = find_place (result.store, "Tessellated");
  g_assert_nonnull (path);
  g_assert_cmpstr (chrono_place_get_kind (path), ==, "route");
  g_assert_true (g_str_has_prefix (chrono_place_get_geometry (path),
                                   "{\"type\":\"LineString\",\"coordinates\":[[-112.081423783,36.1067787048],"));

  /* The GroundOverlay's LatLonBox, an area around its middle */
  etna = find_place (result.store, "Large-scale overlay on terrain");
  g_assert_nonnull (etna);
  g_assert_cmpstr (chrono_place_get_kind (etna), ==, "region");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (etna), (37.91904192681665 + 37.46543388598137) / 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (etna), (15.35832653742206 + 14.60128369746704) / 2, 1e-9);
}

/* Hand-made */

static void
test_track (void)
{
  g_auto (Result) result = { 0 };
  g_autoptr (GPtrArray) events = NULL;
  ChronoEvent *walk, *legs;
  ChronoPlace *place;

  import_data (&result, "track.kml");
  g_assert_no_error (result.error);
  g_assert_cmpuint (chrono_import_get_n_events (result.import), ==, 2);
  events = get_events (result.store);

  /* From the earliest <when> to the latest; 23:59-02:00 is the next day in UTC */
  walk = find_event (events, "Morning walk");
  assert_days (walk, "2010-05-28", "2010-05-30", day (2010, 5, 28), day (2010, 5, 30));
  place = first_place (walk);
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "route");
  g_assert_cmpstr (chrono_place_get_geometry (place), ==,
                   "{\"type\":\"LineString\",\"coordinates\":[[-122.207881,37.371915],[-122.205712,37.373288],[-122.204678,37.373939]]}");
  /* The middle of what the line covers */
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (place), (-122.207881 + -122.204678) / 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place), (37.371915 + 37.373939) / 2, 1e-9);

  /* A MultiTrack: one event over both tracks, drawn as two lines */
  legs = find_event (events, "Two legs");
  assert_days (legs, "2011-03", "2011-04-02", day (2011, 3, 1), day (2011, 4, 2));
  g_assert_cmpstr (chrono_place_get_geometry (first_place (legs)), ==,
                   "{\"type\":\"MultiLineString\",\"coordinates\":[[[10,50],[11,51]],[[12,52],[13,53]]]}");
}

static void
test_open_span (void)
{
  g_auto (Result) result = { 0 };
  g_autoptr (GPtrArray) events = NULL;
  ChronoEvent *event;

  import_data (&result, "open-span.kml");
  g_assert_no_error (result.error);
  g_assert_cmpuint (chrono_import_get_n_events (result.import), ==, 2);
  events = get_events (result.store);

  /* Only <begin>: open at the end */
  event = find_event (events, "Since 1998");
  assert_days (event, "1998-06", "..", day (1998, 6, 1), CHRONO_DAY_POSITIVE_INFINITY);

  /* Only <end>: shown at its end (10:00+05:00 is 05:00 UTC), with a note */
  event = find_event (events, "Until 2001");
  assert_days (event, "2001-02-03", NULL, day (2001, 2, 3), day (2001, 2, 3));
  g_assert_nonnull (strstr (chrono_event_get_note (event), "only the end"));
  g_assert_nonnull (strstr (problem_at (result.import, 10), "only an end"));

  /* A date that is not one: skipped, with its line */
  g_assert_cmpuint (chrono_import_get_n_skipped (result.import), ==, 1);
  g_assert_nonnull (strstr (problem_at (result.import, 15), "yesterday"));
}

static void
test_extended_data (void)
{
  g_auto (Result) result = { 0 };
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (ChronoPlace) south = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  ChronoEvent *event;
  GPtrArray *places;

  import_data (&result, "extended-data.kml");
  g_assert_no_error (result.error);
  g_assert_cmpuint (chrono_import_get_n_events (result.import), ==, 3);
  events = get_events (result.store);

  /* No namespace at all; the Document's name and description */
  title = chrono_store_dup_meta (result.store, "title:und");
  description = chrono_store_dup_meta (result.store, "description:und");
  g_assert_cmpstr (title, ==, "Data fields");
  g_assert_cmpstr (description, ==, "Hand-made fields");

  /* edtf_start/edtf_end win over the TimeSpan; category and id are used;
   * the other fields are kept as "name: value" lines */
  event = find_event (events, "Census");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "1901~");
  g_assert_cmpstr (chrono_event_get_end (event), ==, "1909?");
  g_assert_cmpstr (chrono_event_get_category (event), ==, "survey");
  g_assert_cmpstr (chrono_event_get_id (event), ==, "extended-data-census-1901");
  g_assert_cmpstr (chrono_event_get_note (event), ==, "population: 1200\nobserver: A. Smith");

  /* A "date" field, when the feature has no KML time */
  event = find_event (events, "Market day");
  assert_days (event, "1923-05-14", NULL, day (1923, 5, 14), day (1923, 5, 14));
  g_assert_cmpstr (chrono_event_get_note (event), ==, "date: 1923-05-14");

  /* A MultiGeometry with one "place" field per member: one place each,
   * the second a point with its line */
  event = find_event (events, "Two towns");
  places = chrono_event_get_places (event);
  g_assert_cmpuint (places->len, ==, 2);
  g_assert_cmpstr (chrono_place_get_name (places->pdata[0]), ==, "North town");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (places->pdata[0]), 46, 1e-9);
  g_assert_null (chrono_place_get_geometry (places->pdata[0]));
  south = find_place (result.store, "South town");
  g_assert_nonnull (south);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (south), 5.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (south), 45, 1e-9);
  g_assert_cmpstr (chrono_place_get_geometry (south), ==, "{\"type\":\"LineString\",\"coordinates\":[[5,45],[6,45]]}");
  assert_days (event, "1950", NULL, day (1950, 1, 1), day (1950, 12, 31));
}

static void
test_lookat_time_ignored (void)
{
  g_auto (Result) result = { 0 };
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (ChronoPlace) view_only = NULL;

  import_data (&result, "lookat-time.kml");
  g_assert_no_error (result.error);
  /* The Camera's time is not the feature's: a place without an event */
  g_assert_cmpuint (chrono_import_get_n_events (result.import), ==, 2);
  g_assert_cmpuint (chrono_import_get_n_places (result.import), ==, 3);
  events = get_events (result.store);

  assert_days (find_event (events, "Own time"), "2005-07-08", NULL, day (2005, 7, 8), day (2005, 7, 8));
  assert_days (find_event (events, "gx time"), "2012-12-21", NULL, day (2012, 12, 21), day (2012, 12, 21));
  view_only = find_place (result.store, "Only a view time");
  g_assert_nonnull (view_only);
}

static void
test_geometry_and_bad_coordinates (void)
{
  g_auto (Result) result = { 0 };
  g_autoptr (ChronoPlace) square = NULL;
  g_autoptr (ChronoPlace) ring = NULL;
  g_autoptr (ChronoPlace) pacific = NULL;
  g_autoptr (ChronoPlace) blanks = NULL;
  g_autoptr (ChronoPlace) two = NULL;
  static const guint skipped_lines[] = { 18, 22, 26, 30 };

  import_data (&result, "geometry.kml");
  g_assert_no_error (result.error);
  g_assert_cmpuint (chrono_import_get_n_events (result.import), ==, 0);
  g_assert_cmpuint (chrono_import_get_n_places (result.import), ==, 5);

  /* NaN, a latitude of 95, words for numbers, and nothing at all */
  g_assert_cmpuint (chrono_import_get_n_skipped (result.import), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (skipped_lines); i++)
    g_assert_nonnull (problem_at (result.import, skipped_lines[i]));
  g_assert_nonnull (strstr (problem_at (result.import, 22), "95"));
  g_assert_nonnull (strstr (problem_at (result.import, 26), "ten,forty"));

  square = find_place (result.store, "Square with a hole");
  g_assert_cmpstr (chrono_place_get_geometry (square), ==,
                   "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],[0,0]],"
                   "[[4,4],[6,4],[6,6],[4,6],[4,4]]]}");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (square), 5, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (square), 5, 1e-9);

  /* A lone LinearRing is closed into an area */
  ring = find_place (result.store, "Ring");
  g_assert_cmpstr (chrono_place_get_geometry (ring), ==,
                   "{\"type\":\"Polygon\",\"coordinates\":[[[20,20],[22,20],[22,22],[20,20]]]}");

  /* A LatLonBox across 180°: its centre only, with a note */
  pacific = find_place (result.store, "Pacific");
  g_assert_null (chrono_place_get_geometry (pacific));
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (pacific), 180, 1e-9);
  g_assert_nonnull (strstr (problem_at (result.import, 34), "180°"));

  /* A MultiGeometry of points alone: the first, with a note */
  two = find_place (result.store, "Two points");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (two), 30, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (two), 10, 1e-9);
  g_assert_null (chrono_place_get_geometry (two));
  g_assert_nonnull (strstr (problem_at (result.import, 42), "only the first"));

  blanks = find_place (result.store, "Blanks around commas");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (blanks), 1.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (blanks), 2.5, 1e-9);
}

/* Hostile */

static void
assert_refused_entities (const char *name)
{
  g_auto (Result) result = { 0 };
  g_autoptr (GBytes) bytes = load_data (name);
  gint64 start = g_get_monotonic_time ();

  run_import (&result, name, bytes);
  g_assert_false (result.ok);
  g_assert_error (result.error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (result.error->message, "entities"));
  g_assert_true (g_str_has_prefix (result.error->message, name));
  /* Refused at the declaration: nothing expanded, nothing read */
  g_assert_null (strstr (result.error->message, "root:"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static void
test_billion_laughs (void)
{
  assert_refused_entities ("billion-laughs.kml");
}

static void
test_external_entity (void)
{
  assert_refused_entities ("external-entity.kml");
}

static void
test_truncated (void)
{
  g_auto (Result) result = { 0 };
  ChronoStoreCounts counts = { 0 };

  import_data (&result, "truncated.kml");
  g_assert_false (result.ok);
  g_assert_error (result.error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
  /* Cut on line 7: the message says where */
  g_assert_true (g_str_has_prefix (result.error->message, "truncated.kml:7:"));
  g_assert_true (chrono_store_get_counts (result.store, &counts, NULL));
  g_assert_cmpuint (counts.events, ==, 0);
}

static void
test_deep_nesting (void)
{
  g_auto (Result) result = { 0 };
  g_autoptr (GString) kml = g_string_new ("<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n");
  g_autoptr (GBytes) bytes = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append (kml, "<Folder>");
  bytes = g_bytes_new (kml->str, kml->len);

  run_import (&result, "deep.kml", bytes);
  g_assert_false (result.ok);
  g_assert_error (result.error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_TOO_LARGE);
  g_assert_true (g_str_has_prefix (result.error->message, "deep.kml:2:"));
  g_assert_nonnull (strstr (result.error->message, "256"));
}

static GBytes *
make_kml_with_description (gsize size)
{
  g_autoptr (GString) kml = g_string_new ("<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n"
                                          "<Placemark><name>Long</name><description>");

  for (gsize i = 0; i < size / 10; i++)
    g_string_append (kml, "long text ");
  g_string_append (kml, "</description><TimeStamp><when>2020</when></TimeStamp></Placemark></kml>\n");
  return g_bytes_new (kml->str, kml->len);
}

static void
test_long_texts (void)
{
  g_autoptr (GBytes) bytes = make_kml_with_description (3 * 1024 * 1024);
  g_autoptr (GBytes) huge_bytes = make_kml_with_description (11 * 1000 * 1000);
  GBytes *inputs[] = { bytes, huge_bytes };

  /* 3 MB, and 11 MB (past libxml2's 10 MB for one text node without
   * XML_PARSE_HUGE, which it still reads in pieces): read, cut to the
   * longest text an import keeps, with a note at the Placemark's line */
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_auto (Result) result = { 0 };
      g_autoptr (GPtrArray) events = NULL;
      const char *summary;

      run_import (&result, "long.kml", inputs[i]);
      g_assert_no_error (result.error);
      events = get_events (result.store);
      g_assert_cmpuint (events->len, ==, 1);
      summary = chrono_event_get_summary (events->pdata[0]);
      g_assert_cmpuint (strlen (summary), <=, CHRONO_IMPORT_MAX_TEXT + strlen ("…"));
      g_assert_cmpuint (strlen (summary), >, CHRONO_IMPORT_MAX_TEXT / 2);
      g_assert_true (g_str_has_prefix (summary, "long text long text"));
      g_assert_nonnull (strstr (problem_at (result.import, 2), "cut"));
    }
}

static void
test_invalid_utf8 (void)
{
  static const char kml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n"
    "<Placemark><name>Bad \xff\xfe name</name>\n"
    "<TimeStamp><when>2020</when></TimeStamp></Placemark></kml>\n";
  g_autoptr (GBytes) bytes = g_bytes_new_static (kml, sizeof kml - 1);
  g_auto (Result) result = { 0 };

  run_import (&result, "utf8.kml", bytes);
  g_assert_false (result.ok);
  g_assert_error (result.error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (result.error->message, "utf8.kml:3:"));
}

static void
test_not_kml (void)
{
  static const char svg[] = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n";
  g_autoptr (GBytes) bytes = g_bytes_new_static (svg, sizeof svg - 1);
  g_auto (Result) result = { 0 };

  run_import (&result, "picture.kml", bytes);
  g_assert_false (result.ok);
  g_assert_error (result.error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (result.error->message, "svg"));
}

static void
test_cancel (void)
{
  g_autoptr (GString) kml = g_string_new ("<kml><Document>\n");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = chrono_import_new (store, "many.kml", NULL);
  g_autoptr (GError) error = NULL;
  ChronoStoreCounts counts = { 0 };

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (kml, "<Placemark><name>P%u</name><TimeStamp><when>2020</when></TimeStamp>"
                                 "<Point><coordinates>%u,0</coordinates></Point></Placemark>\n", i, i % 180);
  g_string_append (kml, "</Document></kml>\n");
  bytes = g_bytes_new (kml->str, kml->len);

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
  static const char with_prolog[] = "\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- a <kml> comment -->\n<kml:kml xmlns:kml=\"http://www.opengis.net/kml/2.2\"/>";
  static const char not_kml[] = "<?xml version=\"1.0\"?>\n<kmlx/>";
  g_autoptr (GBytes) a = g_bytes_new_static (with_prolog, sizeof with_prolog - 1);
  g_autoptr (GBytes) b = g_bytes_new_static (not_kml, sizeof not_kml - 1);
  g_autoptr (GBytes) zip = g_bytes_new_static ("PK\x03\x04", 4);
  const ChronoImportFormat *kml = chrono_import_find_format ("kml");
  const ChronoImportFormat *kmz = chrono_import_find_format ("kmz");

  g_assert_true (chrono_import_detect ("anything.xml", a) == kml);
  g_assert_true (chrono_import_detect ("anything.xml", b) != kml);
  g_assert_true (chrono_import_detect ("by-name.kml", b) == kml);
  g_assert_true (chrono_import_detect ("x.kmz", zip) == kmz);
}

/* KMZ */

/* A zip of @names and @texts made with libarchive's writer. */
static GBytes *
make_zip (const char * const *names,
          const char * const *texts,
          guint                n)
{
  gsize size = 1024 * 1024;
  g_autofree guint8 *buffer = g_malloc (size);
  struct archive *archive = archive_write_new ();
  size_t used = 0;

  g_assert_cmpint (archive_write_set_format_zip (archive), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_memory (archive, buffer, size, &used), ==, ARCHIVE_OK);
  for (guint i = 0; i < n; i++)
    {
      struct archive_entry *entry = archive_entry_new ();

      archive_entry_set_pathname (entry, names[i]);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      archive_entry_set_size (entry, strlen (texts[i]));
      g_assert_cmpint (archive_write_header (archive, entry), ==, ARCHIVE_OK);
      g_assert_cmpint (archive_write_data (archive, texts[i], strlen (texts[i])), ==, (la_ssize_t) strlen (texts[i]));
      archive_entry_free (entry);
    }
  g_assert_cmpint (archive_write_close (archive), ==, ARCHIVE_OK);
  archive_write_free (archive);

  return g_bytes_new (buffer, used);
}

static char *
kml_with_event (const char *title)
{
  return g_strdup_printf ("<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><name>%s</name>\n"
                          "<Placemark><name>%s</name><TimeStamp><when>2019-04-15</when></TimeStamp>"
                          "<Point><coordinates>2.3499,48.853</coordinates></Point></Placemark>\n"
                          "<Placemark><name>Bad</name><Point><coordinates>500,0</coordinates></Point></Placemark>"
                          "</Document></kml>\n", title, title);
}

static void
test_kmz (void)
{
  g_autofree char *other = kml_with_event ("Other");
  g_autofree char *doc = kml_with_event ("Notre-Dame");
  g_autofree char *first = kml_with_event ("First at the root");
  const char * const names[] = { "files/readme.txt", "other.kml", "doc.kml" };
  const char * const texts[] = { "not KML", other, doc };
  const char * const names2[] = { "images/deep.kml", "first.kml", "second.kml" };
  const char * const texts2[] = { other, first, other };
  g_autoptr (GBytes) kmz = make_zip (names, texts, 3);
  g_autoptr (GBytes) kmz2 = make_zip (names2, texts2, 3);
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GPtrArray) events2 = NULL;
  g_auto (Result) result = { 0 };
  g_auto (Result) result2 = { 0 };
  g_autofree char *problem = NULL;
  g_autofree char *title = NULL;

  g_assert_true (chrono_import_detect ("Paris.kmz", kmz) == chrono_import_find_format ("kmz"));
  /* A zip under another name whose first file is KML */
  g_assert_true (chrono_import_detect ("download", kmz2) == chrono_import_find_format ("kmz"));

  /* doc.kml, though another .kml comes first */
  run_import (&result, "Paris.kmz", kmz);
  g_assert_no_error (result.error);
  g_assert_cmpstr (chrono_import_get_format (result.import)->name, ==, "kmz");
  events = get_events (result.store);
  g_assert_cmpuint (events->len, ==, 1);
  assert_days (events->pdata[0], "2019-04-15", NULL, day (2019, 4, 15), day (2019, 4, 15));
  g_assert_cmpstr (chrono_event_get_title (events->pdata[0]), ==, "Notre-Dame");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (first_place (events->pdata[0])), 48.853, 1e-9);
  title = chrono_store_dup_meta (result.store, "title:und");
  g_assert_cmpstr (title, ==, "Notre-Dame");

  /* Problems name the .kmz, with the line in its KML */
  g_assert_cmpuint (chrono_import_get_n_skipped (result.import), ==, 1);
  problem = chrono_import_problem_to_string (chrono_import_get_problems (result.import)->pdata[0], "Paris.kmz");
  g_assert_true (g_str_has_prefix (problem, "Paris.kmz:3: doc.kml: "));

  /* No doc.kml: the first .kml at the root */
  run_import (&result2, "download", kmz2);
  g_assert_no_error (result2.error);
  events2 = get_events (result2.store);
  g_assert_cmpuint (events2->len, ==, 1);
  g_assert_cmpstr (chrono_event_get_title (events2->pdata[0]), ==, "First at the root");
}

static void
test_kmz_without_kml (void)
{
  const char * const names[] = { "readme.txt" };
  const char * const texts[] = { "hello" };
  g_autoptr (GBytes) zip = make_zip (names, texts, 1);
  g_autoptr (GBytes) junk = g_bytes_new_static ("PK\x03\x04 and then nothing", 21);
  g_auto (Result) result = { 0 };
  g_auto (Result) broken = { 0 };

  run_import (&result, "empty.kmz", zip);
  g_assert_false (result.ok);
  g_assert_error (result.error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (result.error->message, ".kml"));

  run_import (&broken, "broken.kmz", junk);
  g_assert_false (broken.ok);
  g_assert_error (broken.error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
}

static void
put16 (GByteArray *out,
       guint       value)
{
  guint8 bytes[2] = { value & 0xff, (value >> 8) & 0xff };

  g_byte_array_append (out, bytes, 2);
}

static void
put32 (GByteArray *out,
       guint32     value)
{
  guint8 bytes[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24 };

  g_byte_array_append (out, bytes, 4);
}

/* A zip whose doc.kml inflates to @size bytes of blanks while its headers
 * say @claimed: a zip bomb that lies. */
static GBytes *
make_zip_bomb (gsize   size,
               guint32 claimed)
{
  g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 9);
  g_autoptr (GByteArray) deflated = g_byte_array_new ();
  g_autoptr (GByteArray) zip = g_byte_array_new ();
  g_autofree char *blanks = g_malloc (1024 * 1024);
  static const char name[] = "doc.kml";
  guint8 out[64 * 1024];
  gsize fed = 0;
  guint32 central, central_size;

  memset (blanks, ' ', 1024 * 1024);
  while (TRUE)
    {
      gsize chunk = MIN (size - fed, 1024 * 1024);
      gsize read = 0, written = 0;
      GConverterResult status;

      status = g_converter_convert (G_CONVERTER (compressor), blanks, chunk, out, sizeof out,
                                    fed + chunk == size ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                    &read, &written, NULL);
      g_assert_cmpint (status, !=, G_CONVERTER_ERROR);
      fed += read;
      g_byte_array_append (deflated, out, written);
      if (status == G_CONVERTER_FINISHED)
        break;
    }

  /* Local header, data, central directory, end */
  put32 (zip, 0x04034b50); put16 (zip, 20); put16 (zip, 0); put16 (zip, 8);
  put16 (zip, 0); put16 (zip, 0); put32 (zip, 0); put32 (zip, deflated->len); put32 (zip, claimed);
  put16 (zip, strlen (name)); put16 (zip, 0);
  g_byte_array_append (zip, (const guint8 *) name, strlen (name));
  g_byte_array_append (zip, deflated->data, deflated->len);
  central = zip->len;
  put32 (zip, 0x02014b50); put16 (zip, 20); put16 (zip, 20); put16 (zip, 0); put16 (zip, 8);
  put16 (zip, 0); put16 (zip, 0); put32 (zip, 0); put32 (zip, deflated->len); put32 (zip, claimed);
  put16 (zip, strlen (name)); put16 (zip, 0); put16 (zip, 0); put16 (zip, 0); put16 (zip, 0);
  put32 (zip, 0); put32 (zip, 0);
  g_byte_array_append (zip, (const guint8 *) name, strlen (name));
  central_size = zip->len - central;
  put32 (zip, 0x06054b50); put16 (zip, 0); put16 (zip, 0); put16 (zip, 1); put16 (zip, 1);
  put32 (zip, central_size); put32 (zip, central); put16 (zip, 0);

  return g_bytes_new (zip->data, zip->len);
}

static void
test_kmz_bombs (void)
{
  g_autoptr (GBytes) honest = make_zip_bomb (40 * 1024 * 1024, 40 * 1024 * 1024);
  g_autoptr (GBytes) liar = make_zip_bomb (40 * 1024 * 1024, 100);
  g_auto (Result) result = { 0 };
  g_auto (Result) lied = { 0 };

  /* 40 MB from about 40 kB: refused by its size before anything is unpacked */
  g_assert_cmpuint (g_bytes_get_size (honest), <, 200 * 1024);
  run_import (&result, "bomb.kmz", honest);
  g_assert_false (result.ok);
  g_assert_error (result.error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (result.error->message, "doc.kml"));

  /* Headers that claim 100 bytes: unpacking stops at the limit */
  run_import (&lied, "liar.kmz", liar);
  g_assert_false (lied.ok);
  g_assert_error (lied.error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (lied.error->message, "32 MB"));
}

/* Writer */

static xmlNode *
child_element (xmlNode    *parent,
               const char *name)
{
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE && strcmp ((const char *) child->name, name) == 0)
      return child;

  return NULL;
}

static char *
child_text (xmlNode    *parent,
            const char *name)
{
  xmlNode *child = child_element (parent, name);
  xmlChar *content;
  char *text;

  if (child == NULL)
    return NULL;
  content = xmlNodeGetContent (child);
  text = g_strdup ((const char *) content);
  xmlFree (content);
  return text;
}

static char *
data_value (xmlNode    *placemark,
            const char *name)
{
  xmlNode *extended = child_element (placemark, "ExtendedData");

  for (xmlNode *data = extended != NULL ? extended->children : NULL; data != NULL; data = data->next)
    {
      xmlChar *attribute;
      gboolean match;

      if (data->type != XML_ELEMENT_NODE)
        continue;
      attribute = xmlGetProp (data, (const xmlChar *) "name");
      match = g_strcmp0 ((const char *) attribute, name) == 0;
      xmlFree (attribute);
      if (match)
        return child_text (data, "value");
    }

  return NULL;
}

static ChronoDay
earliest_of (const char *text)
{
  g_autoptr (ChronoEdtf) edtf = chrono_edtf_parse (text, NULL);

  g_assert_nonnull (edtf);
  return chrono_edtf_get_earliest (edtf);
}

static ChronoDay
latest_of (const char *text)
{
  g_autoptr (ChronoEdtf) edtf = chrono_edtf_parse (text, NULL);

  g_assert_nonnull (edtf);
  return chrono_edtf_get_latest (edtf);
}

static void
test_writer_round_trip (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("CHRONO_SOURCE_ROOT"), "data", "datasets",
                                            "karabakh-peacekeeping.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GBytes) json = g_file_load_bytes (file, NULL, NULL, NULL);
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GBytes) kml = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  g_auto (Result) back = { 0 };
  ChronoStoreCounts counts = { 0 };
  xmlDoc *doc;
  xmlNode *root, *document;
  guint n_placemarks = 0, n_timed = 0, n_stamps = 0;

  g_assert_nonnull (json);
  g_assert_true (chrono_dataset_import_bytes (store, json, "karabakh-peacekeeping.json", &error));
  g_assert_no_error (error);
  g_assert_true (chrono_store_get_counts (store, &counts, NULL));
  events = chrono_export_get_events (store, "en", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, counts.events);

  g_assert_true (chrono_export_format_kml.write (store, "en", out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  kml = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

  /* Well-formed KML 2.2 with the gx namespace */
  doc = xmlReadMemory (g_bytes_get_data (kml, NULL), g_bytes_get_size (kml), "export.kml", NULL, XML_PARSE_NONET);
  g_assert_nonnull (doc);
  root = xmlDocGetRootElement (doc);
  if (root == NULL || root->ns == NULL)
    g_error ("no root element, or no namespace");
  g_assert_cmpstr ((const char *) root->name, ==, "kml");
  g_assert_cmpstr ((const char *) root->ns->href, ==, "http://www.opengis.net/kml/2.2");
  g_assert_nonnull (xmlSearchNsByHref (doc, root, (const xmlChar *) "http://www.google.com/kml/ext/2.2"));
  document = child_element (root, "Document");
  if (document == NULL)
    g_error ("no Document");
  title = child_text (document, "name");
  {
    g_autofree char *expected = chrono_store_dup_meta_for_lang (store, "title", "en");

    g_assert_cmpstr (title, ==, expected);
  }

  /* Each event's Placemark spans its earliest to its latest day */
  for (xmlNode *folder = document->children; folder != NULL; folder = folder->next)
    for (xmlNode *placemark = folder->children; placemark != NULL; placemark = placemark->next)
      {
        g_autofree char *id = NULL;
        g_autoptr (ChronoEvent) event = NULL;
        xmlNode *span, *stamp;

        if (placemark->type != XML_ELEMENT_NODE || strcmp ((const char *) placemark->name, "Placemark") != 0)
          continue;
        n_placemarks++;
        id = data_value (placemark, "id");
        if (id == NULL)
          continue;

        event = chrono_store_get_event_by_id (store, id, "en", NULL);
        g_assert_nonnull (event);
        n_timed++;
        {
          g_autofree char *name = child_text (placemark, "name");

          g_assert_cmpstr (name, ==, chrono_event_get_title (event));
        }

        span = child_element (placemark, "TimeSpan");
        stamp = child_element (placemark, "TimeStamp");
        g_assert_true ((span != NULL) != (stamp != NULL));
        if (stamp != NULL)
          {
            g_autofree char *when = child_text (stamp, "when");

            g_assert_cmpint (earliest_of (when), ==, chrono_event_get_start_lo (event));
            g_assert_cmpint (latest_of (when), ==, chrono_event_get_end_hi (event));
            g_assert_cmpint (chrono_event_get_start_lo (event), ==, chrono_event_get_end_hi (event));
            n_stamps++;
          }
        else if (span != NULL)
          {
            g_autofree char *begin = child_text (span, "begin");
            g_autofree char *end = child_text (span, "end");

            g_assert_nonnull (begin);
            g_assert_cmpint (earliest_of (begin), ==, chrono_event_get_start_lo (event));
            if (chrono_event_get_end_hi (event) == CHRONO_DAY_POSITIVE_INFINITY)
              g_assert_null (end);
            else
              g_assert_cmpint (latest_of (end), ==, chrono_event_get_end_hi (event));
          }
      }
  xmlFreeDoc (doc);
  g_assert_cmpuint (n_timed, ==, events->len);
  g_assert_cmpuint (n_stamps, >, 0);
  g_assert_cmpuint (n_stamps, <, n_timed);
  g_assert_cmpuint (n_placemarks, >=, n_timed);

  /* And back: the same events, EDTF, titles and first places */
  run_import (&back, "export.kml", kml);
  g_assert_no_error (back.error);
  g_assert_cmpuint (chrono_import_get_n_events (back.import), ==, events->len);
  g_assert_cmpuint (chrono_import_get_n_places (back.import), ==, counts.places);
  g_assert_cmpuint (chrono_import_get_n_skipped (back.import), ==, 0);
  /* Not even a note: events at several places come back as several places */
  g_assert_cmpuint (chrono_import_get_problems (back.import)->len, ==, 0);
  for (guint i = 0; i < events->len; i++)
    {
      ChronoEvent *event = events->pdata[i];
      g_autofree char *id = g_strconcat ("export-", chrono_event_get_id (event), NULL);
      g_autoptr (ChronoEvent) again = chrono_store_get_event_by_id (back.store, id, "und", NULL);
      GPtrArray *places = chrono_event_get_places (event);
      GPtrArray *places_again;

      g_test_message ("%s", id);
      g_assert_nonnull (again);
      g_assert_cmpstr (chrono_event_get_start (again), ==, chrono_event_get_start (event));
      g_assert_cmpstr (chrono_event_get_end (again), ==, chrono_event_get_end (event));
      g_assert_cmpint (chrono_event_get_start_lo (again), ==, chrono_event_get_start_lo (event));
      g_assert_cmpint (chrono_event_get_end_hi (again), ==, chrono_event_get_end_hi (event));
      g_assert_cmpstr (chrono_event_get_title (again), ==, chrono_event_get_title (event));
      g_assert_cmpstr (chrono_event_get_category (again), ==, chrono_event_get_category (event));
      g_assert_cmpint (chrono_event_get_importance (again), ==, chrono_event_get_importance (event));

      places_again = chrono_event_get_places (again);
      g_assert_cmpuint (places_again != NULL ? places_again->len : 0, ==, places != NULL ? places->len : 0);
      if (places != NULL && places->len > 0)
        {
          ChronoPlace *place = places->pdata[0];
          ChronoPlace *place_again;

          if (places_again == NULL || places_again->len == 0)
            g_error ("%s lost its places", id);
          place_again = places_again->pdata[0];

          g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place_again), chrono_place_get_lat (place), 1e-6);
          g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (place_again), chrono_place_get_lon (place), 1e-6);
          g_assert_cmpstr (chrono_place_get_name (place_again), ==, chrono_place_get_name_for (place, "en"));
          g_assert_cmpstr (chrono_place_get_kind (place_again), ==,
                           chrono_place_get_geometry (place) != NULL ? chrono_place_get_kind (place) : "site");
        }
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import-kml/fixtures/time-stamp-point", test_time_stamp_point);
  g_test_add_func ("/import-kml/fixtures/time-stamps-old-namespace", test_time_stamps_old_namespace);
  g_test_add_func ("/import-kml/fixtures/time-spans-overlays", test_time_spans_overlays);
  g_test_add_func ("/import-kml/fixtures/time-inherits", test_time_inherits);
  g_test_add_func ("/import-kml/fixtures/catalina-points", test_catalina_points);
  g_test_add_func ("/import-kml/fixtures/kml-samples", test_kml_samples);
  g_test_add_func ("/import-kml/track", test_track);
  g_test_add_func ("/import-kml/open-span", test_open_span);
  g_test_add_func ("/import-kml/extended-data", test_extended_data);
  g_test_add_func ("/import-kml/lookat-time-ignored", test_lookat_time_ignored);
  g_test_add_func ("/import-kml/geometry", test_geometry_and_bad_coordinates);
  g_test_add_func ("/import-kml/detect", test_detect);
  g_test_add_func ("/import-kml/cancel", test_cancel);
  g_test_add_func ("/import-kml/hostile/billion-laughs", test_billion_laughs);
  g_test_add_func ("/import-kml/hostile/external-entity", test_external_entity);
  g_test_add_func ("/import-kml/hostile/truncated", test_truncated);
  g_test_add_func ("/import-kml/hostile/deep-nesting", test_deep_nesting);
  g_test_add_func ("/import-kml/hostile/long-texts", test_long_texts);
  g_test_add_func ("/import-kml/hostile/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/import-kml/hostile/not-kml", test_not_kml);
  g_test_add_func ("/import-kml/kmz/read", test_kmz);
  g_test_add_func ("/import-kml/kmz/without-kml", test_kmz_without_kml);
  g_test_add_func ("/import-kml/kmz/bombs", test_kmz_bombs);
  g_test_add_func ("/import-kml/writer/round-trip", test_writer_round_trip);

  return g_test_run ();
}
