/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "chrono-dataset.h"
#include "chrono-export.h"
#include "chrono-import.h"

/* The GeoJSON reader and writer. The inputs are hand-made files in
 * tests/data/import/geojson/ (see its README) and texts made here; the
 * expected values were read off them by hand. */

typedef struct
{
  ChronoStore  *store;
  ChronoImport *import;
  GPtrArray    *events;   /* ChronoEvent, by start */
  GPtrArray    *places;   /* ChronoPlace */
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->events, g_ptr_array_unref);
  g_clear_pointer (&result->places, g_ptr_array_unref);
  g_clear_pointer (&result->import, chrono_import_free);
  g_clear_object (&result->store);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static GBytes *
load_data (const char *name)
{
  g_autofree char *path = g_build_filename (TEST_DATA_DIR, "import", "geojson", name, NULL);
  g_autoptr (GError) error = NULL;
  char *contents;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

/* Imports @bytes as GeoJSON; FALSE with @error as chrono_import_run gives it */
static gboolean
import_bytes (Result           *result,
              GBytes           *bytes,
              const char       *name,
              ChronoDateOrder   order,
              GError          **error)
{
  g_autoptr (ChronoImportOptions) options = chrono_import_options_new ();

  options->format = g_strdup ("geojson");
  options->date_order = order;
  options->lang = g_strdup ("en");
  result->store = chrono_store_new_in_memory (NULL);
  result->import = chrono_import_new (result->store, name, options);
  if (!chrono_import_run (result->import, bytes, error))
    return FALSE;

  result->events = chrono_export_get_events (result->store, "en", NULL);
  result->places = chrono_store_get_places (result->store, "en", NULL);
  g_assert_nonnull (result->events);
  g_assert_nonnull (result->places);
  return TRUE;
}

static void
import_data (Result          *result,
             const char      *name,
             ChronoDateOrder  order)
{
  g_autoptr (GBytes) bytes = load_data (name);
  g_autoptr (GError) error = NULL;

  g_assert_true (import_bytes (result, bytes, name, order, &error));
  g_assert_no_error (error);
}

static gboolean
import_text (Result          *result,
             const char      *text,
             ChronoDateOrder  order,
             GError         **error)
{
  g_autoptr (GBytes) bytes = g_bytes_new (text, strlen (text));

  return import_bytes (result, bytes, "inline.geojson", order, error);
}

static ChronoEvent *
find_event (Result     *result,
            const char *title)
{
  ChronoEvent *found = NULL;

  for (guint i = 0; i < result->events->len; i++)
    if (g_strcmp0 (chrono_event_get_title (result->events->pdata[i]), title) == 0)
      {
        g_assert_null (found);
        found = result->events->pdata[i];
      }

  if (found == NULL)
    g_error ("no event “%s”", title);
  return found;
}

static ChronoPlace *
find_place (Result     *result,
            const char *name)
{
  for (guint i = 0; i < result->places->len; i++)
    {
      GPtrArray *names = chrono_place_get_names (result->places->pdata[i]);

      for (guint j = 0; j < names->len; j++)
        if (g_strcmp0 (((ChronoPlaceName *) names->pdata[j])->name, name) == 0)
          return result->places->pdata[i];
    }

  g_error ("no place “%s”", name);
  return NULL;
}

static ChronoPlace *
first_place (ChronoEvent *event)
{
  GPtrArray *places = chrono_event_get_places (event);

  return places != NULL && places->len > 0 ? places->pdata[0] : NULL;
}

/* The problem recorded at @path, whose message has @part in it */
static void
assert_problem (Result     *result,
                const char *path,
                const char *part)
{
  GPtrArray *problems = chrono_import_get_problems (result->import);

  for (guint i = 0; i < problems->len; i++)
    {
      ChronoImportProblem *problem = problems->pdata[i];

      if (g_strcmp0 (problem->path, path) == 0)
        {
          if (strstr (problem->message, part) == NULL)
            g_error ("%s: “%s” has no “%s”", path, problem->message, part);
          return;
        }
    }

  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s: %s", ((ChronoImportProblem *) problems->pdata[i])->path,
                    ((ChronoImportProblem *) problems->pdata[i])->message);
  g_error ("no problem at %s", path);
}

static void
assert_span (ChronoEvent *event,
             const char  *start,
             const char  *end,
             ChronoDay    earliest,
             ChronoDay    latest)
{
  g_assert_cmpstr (chrono_event_get_start (event), ==, start);
  g_assert_cmpstr (chrono_event_get_end (event), ==, end);
  g_assert_cmpint (chrono_event_get_start_lo (event), ==, earliest);
  g_assert_cmpint (chrono_event_get_end_hi (event), ==, latest);
}

static void
assert_point (ChronoPlace *place,
              double       lat,
              double       lon)
{
  g_assert_nonnull (place);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place), lat, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (place), lon, 1e-9);
}

#define DAY(y, m, d) chrono_day_from_ymd ((y), (m), (d))

/* Reading */

static void
test_collection (void)
{
  g_auto (Result) result = { 0 };
  ChronoEvent *event;
  GPtrArray *excerpts;
  ChronoSource *source;

  import_data (&result, "collection.geojson", CHRONO_DATE_ORDER_UNKNOWN);
  g_assert_cmpuint (chrono_import_get_n_events (result.import), ==, 6);
  g_assert_cmpuint (chrono_import_get_n_places (result.import), ==, 6);
  g_assert_cmpuint (chrono_import_get_n_skipped (result.import), ==, 0);
  /* The file itself and "Dispatch" */
  g_assert_cmpuint (chrono_import_get_n_sources (result.import), ==, 2);
  g_assert_cmpuint (result.events->len, ==, 6);

  /* start/end, a 3D point, HTML, a source with its URL */
  event = find_event (&result, "Siege");
  assert_span (event, "1992-05-08", "1992-05-09", DAY (1992, 5, 8), DAY (1992, 5, 9));
  g_assert_cmpstr (chrono_event_get_summary (event), ==, "Taken & held");
  g_assert_cmpstr (chrono_event_get_category (event), ==, "battle");
  g_assert_true (g_str_has_suffix (chrono_event_get_id (event), "-siege"));
  assert_point (first_place (event), 39.8153, 46.7519);
  g_assert_cmpstr (chrono_place_get_name (first_place (event)), ==, "Shusha");
  g_assert_null (chrono_place_get_geometry (first_place (event)));
  g_assert_cmpstr (chrono_place_get_kind (first_place (event)), ==, "site");
  excerpts = chrono_event_get_excerpts (event);
  g_assert_cmpuint (excerpts->len, ==, 1);
  g_assert_cmpstr (chrono_excerpt_get_quote (excerpts->pdata[0]), ==, "Taken & held");
  source = chrono_excerpt_get_source (excerpts->pdata[0]);
  g_assert_cmpstr (chrono_source_get_title (source), ==, "Dispatch");
  g_assert_cmpstr (chrono_source_get_url (source), ==, "https://example.org/d");

  /* "Event Date", headline, place */
  event = find_event (&result, "Bastille");
  assert_span (event, "1789-07-14", NULL, DAY (1789, 7, 14), DAY (1789, 7, 14));
  g_assert_cmpstr (chrono_place_get_name (first_place (event)), ==, "Paris");
  assert_point (first_place (event), 48.85, 2.35);

  /* Year, Month (a text), Day */
  event = find_event (&result, "Sack of Rome");
  assert_span (event, "1527-05-06", NULL, DAY (1527, 5, 6), DAY (1527, 5, 6));

  /* A date and no geometry: an event without a place */
  event = find_event (&result, "Ceasefire statement");
  assert_span (event, "2020-11-10", NULL, DAY (2020, 11, 10), DAY (2020, 11, 10));
  g_assert_null (first_place (event));

  /* "Start_Date" and "end date"; "from" naming a street is not a date */
  event = find_event (&result, "Great Fire");
  assert_span (event, "1666-09-02", "1666-09-06", DAY (1666, 9, 2), DAY (1666, 9, 6));

  event = find_event (&result, "Journey");
  assert_span (event, "1850", NULL, DAY (1850, 1, 1), DAY (1850, 12, 31));

  /* No time: a place and no event */
  assert_point (find_place (&result, "Yerevan"), 40.18, 44.5);
  {
    g_autoptr (GArray) at = chrono_store_get_events_at_place (result.store,
                                                              chrono_place_get_id (find_place (&result, "Yerevan")),
                                                              NULL);

    g_assert_cmpuint (at->len, ==, 0);
  }

  /* The collection's name is the dataset's title */
  {
    g_autofree char *title = chrono_store_dup_meta (result.store, "title:en");

    g_assert_cmpstr (title, ==, "Hand-made collection");
  }
}

static void
test_single_feature (void)
{
  g_auto (Result) result = { 0 };
  ChronoEvent *event;
  ChronoPlace *place;

  import_data (&result, "feature.geojson", CHRONO_DATE_ORDER_UNKNOWN);
  g_assert_cmpuint (result.events->len, ==, 1);
  event = find_event (&result, "Convoy");
  assert_span (event, "2021-03", NULL, DAY (2021, 3, 1), DAY (2021, 3, 31));
  /* The numeric id is the local id */
  g_assert_true (g_str_has_suffix (chrono_event_get_id (event), "-42"));

  /* A line: its middle vertex, its geometry kept */
  place = first_place (event);
  assert_point (place, 51, 11);
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "route");
  g_assert_cmpstr (chrono_place_get_geometry (place), ==,
                   "{\"type\":\"LineString\",\"coordinates\":[[10,50],[11,51],[12,52]]}");
}

static void
test_geometry_list (void)
{
  g_auto (Result) result = { 0 };
  ChronoPlace *polygon = NULL;

  import_data (&result, "geometries.json", CHRONO_DATE_ORDER_UNKNOWN);
  g_assert_cmpuint (result.events->len, ==, 0);
  g_assert_cmpuint (result.places->len, ==, 2);

  for (guint i = 0; i < result.places->len; i++)
    if (chrono_place_get_geometry (result.places->pdata[i]) != NULL)
      polygon = result.places->pdata[i];
  g_assert_nonnull (polygon);
  /* The centroid of the rectangle 0..4 × 0..2 */
  assert_point (polygon, 1, 2);
  g_assert_cmpstr (chrono_place_get_kind (polygon), ==, "region");
}

static void
test_usgs_epoch (void)
{
  g_auto (Result) result = { 0 };
  ChronoEvent *event;

  import_data (&result, "usgs.geojson", CHRONO_DATE_ORDER_UNKNOWN);
  g_assert_cmpuint (result.events->len, ==, 3);

  /* 1605052800000 ms is 2020-11-11T00:00:00Z */
  event = find_event (&result, "M 4.5 - 10 km SSW of Somewhere");
  assert_span (event, "2020-11-11", NULL, DAY (2020, 11, 11), DAY (2020, 11, 11));
  g_assert_cmpstr (chrono_event_get_category (event), ==, "earthquake");
  g_assert_cmpstr (chrono_place_get_name (first_place (event)), ==, "10 km SSW of Somewhere");
  assert_point (first_place (event), 39.2, 45.1);
  g_assert_true (g_str_has_suffix (chrono_event_get_id (event), "-us1"));

  /* 1605139199999 ms is 2020-11-11T23:59:59.999Z */
  event = find_event (&result, "M 3.1 - late");
  assert_span (event, "2020-11-11", NULL, DAY (2020, 11, 11), DAY (2020, 11, 11));
  /* Same name, another point: another place */
  assert_point (first_place (event), 39.3, 45.2);

  /* 1605052800 is below 1e11: seconds */
  event = find_event (&result, "M 2.0 - seconds");
  assert_span (event, "2020-11-11", NULL, DAY (2020, 11, 11), DAY (2020, 11, 11));

  g_assert_cmpuint (result.places->len, ==, 3);
}

static void
test_leaflet_times (void)
{
  g_auto (Result) result = { 0 };
  ChronoEvent *event;
  ChronoPlace *place;

  import_data (&result, "leaflet-times.geojson", CHRONO_DATE_ORDER_UNKNOWN);
  g_assert_cmpuint (result.events->len, ==, 2);

  /* From the earliest time to the latest, whatever their order */
  event = find_event (&result, "Ship");
  assert_span (event, "2015-06-01", "2015-06-03", DAY (2015, 6, 1), DAY (2015, 6, 3));
  place = first_place (event);
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "route");
  g_assert_cmpstr (chrono_place_get_geometry (place), ==,
                   "{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1],[2,2],[3,3]]}");
  assert_point (place, 2, 2);

  /* Timed points are a track: kept as a line */
  event = find_event (&result, "Walker");
  assert_span (event, "2015-06-01", "2015-06-03", DAY (2015, 6, 1), DAY (2015, 6, 3));
  place = first_place (event);
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "route");
  g_assert_cmpstr (chrono_place_get_geometry (place), ==,
                   "{\"type\":\"LineString\",\"coordinates\":[[10,10],[11,11],[12,12]]}");
  assert_point (place, 11, 11);
}

static void
test_geojson_t (void)
{
  g_auto (Result) result = { 0 };
  ChronoEvent *event;
  guint antwerp = 0;

  import_data (&result, "geojson-t.geojson", CHRONO_DATE_ORDER_UNKNOWN);
  /* One event per timespan; periods alone date nothing */
  g_assert_cmpuint (result.events->len, ==, 4);
  g_assert_cmpuint (result.places->len, ==, 4);

  /* "when" beside the geometry; a lone "latest" is the end */
  event = find_event (&result, "Ghent fair");
  assert_span (event, "1520", "1530", DAY (1520, 1, 1), DAY (1530, 12, 31));
  g_assert_cmpstr (chrono_event_get_note (event), ==, "fair years");

  /* "when" in the properties; earliest and latest: one day between them */
  event = find_event (&result, "Bruges market");
  assert_span (event, "[1520..1525]", "1540", DAY (1520, 1, 1), DAY (1540, 12, 31));
  g_assert_cmpint (chrono_event_get_start_hi (event), ==, DAY (1525, 12, 31));

  for (guint i = 0; i < result.events->len; i++)
    {
      event = result.events->pdata[i];
      if (g_strcmp0 (chrono_event_get_title (event), "Antwerp") != 0)
        continue;
      if (antwerp++ == 0)
        assert_span (event, "1500", "1510", DAY (1500, 1, 1), DAY (1510, 12, 31));
      else
        assert_span (event, "1550-03", NULL, DAY (1550, 3, 1), DAY (1550, 3, 31));
    }
  g_assert_cmpuint (antwerp, ==, 2);

  assert_point (find_place (&result, "Only periods"), 52, 5);
}

static void
test_areas (void)
{
  g_auto (Result) result = { 0 };
  ChronoPlace *place;

  import_data (&result, "areas.geojson", CHRONO_DATE_ORDER_UNKNOWN);
  g_assert_cmpuint (result.events->len, ==, 3);
  g_assert_cmpuint (result.places->len, ==, 4);

  /* The outer ring's centroid; the hole is kept in the geometry */
  place = first_place (find_event (&result, "Square"));
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "region");
  assert_point (place, 5, 5);
  g_assert_cmpstr (chrono_place_get_geometry (place), ==,
                   "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],[0,0]],"
                   "[[4,4],[6,4],[6,6],[4,6],[4,4]]]}");

  /* The largest polygon's centroid, not the first's */
  place = first_place (find_event (&result, "Islands"));
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "region");
  assert_point (place, 31, 32);
  g_assert_true (g_str_has_prefix (chrono_place_get_geometry (place), "{\"type\":\"MultiPolygon\""));

  /* A collection: its line (the third coordinate dropped), the point noted as left out */
  place = first_place (find_event (&result, "Mixed"));
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "route");
  assert_point (place, 41, 41);
  g_assert_cmpstr (chrono_place_get_geometry (place), ==,
                   "{\"type\":\"LineString\",\"coordinates\":[[40,40],[41,41],[42,42]]}");
  assert_problem (&result, "features[2]", "left out");

  place = find_place (&result, "Two roads");
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "route");
  assert_point (place, 61, 61);
  g_assert_cmpstr (chrono_place_get_geometry (place), ==,
                   "{\"type\":\"MultiLineString\",\"coordinates\":[[[60,60],[61,61],[62,62]],[[70,70],[71,71]]]}");
}

static void
test_bad_types (void)
{
  g_auto (Result) result = { 0 };
  ChronoEvent *event;

  import_data (&result, "bad-types.geojson", CHRONO_DATE_ORDER_UNKNOWN);

  assert_problem (&result, "features[0]", "found a number");
  assert_problem (&result, "features[1].geometry", "found a text");
  assert_problem (&result, "features[2].geometry.coordinates", "found null");
  assert_problem (&result, "features[3].geometry.coordinates[1]", "found a text");
  assert_problem (&result, "features[4].geometry.coordinates", "latitude 95");
  assert_problem (&result, "features[5].geometry.coordinates", "no coordinates");
  assert_problem (&result, "features[6].properties.date", "found an object");
  assert_problem (&result, "features[7]", "no geometry and no time");
  assert_problem (&result, "features[8].geometry.type", "Circle");
  assert_problem (&result, "features[9].when.timespans", "found a text");
  assert_problem (&result, "features[10].properties.date", "the day after");
  assert_problem (&result, "features[11]", "Topology");
  assert_problem (&result, "features[13].geometry.coordinates[1][0]", "2 positions");
  assert_problem (&result, "features[14].geometry.coordinates", "longitude 181");
  assert_problem (&result, "features[15].properties.end", "no start");
  assert_problem (&result, "features[16].properties", "left out");
  assert_problem (&result, "features[17].properties.times[1]", "true or false");
  assert_problem (&result, "features[18].geometry.geometries[1].coordinates", "found an object");
  g_assert_cmpuint (chrono_import_get_n_skipped (result.import), ==, 17);

  /* What is right is read */
  g_assert_cmpuint (result.events->len, ==, 2);
  event = find_event (&result, "Good");
  assert_span (event, "2000", NULL, DAY (2000, 1, 1), DAY (2000, 12, 31));
  assert_point (first_place (event), 2, 1);
  event = result.events->pdata[0];
  assert_span (event, "1600", NULL, DAY (1600, 1, 1), DAY (1600, 12, 31));
  assert_point (first_place (event), 2, 1);
}

static void
test_date_order (void)
{
  static const char ambiguous[] =
    "{\"type\": \"FeatureCollection\", \"features\": ["
    "{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"title\": \"A\", \"date\": \"03/04/2020\"}},"
    "{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"title\": \"B\", \"date\": \"2020-05-06\"}}]}";
  static const char telling[] =
    "{\"type\": \"FeatureCollection\", \"features\": ["
    "{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"title\": \"A\", \"date\": \"03/04/2020\"}},"
    "{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"title\": \"B\", \"date\": \"25/12/2020\"}}]}";
  g_autoptr (GError) error = NULL;

  /* Nothing tells: that feature is skipped, and says why */
  {
    g_auto (Result) result = { 0 };

    g_assert_true (import_text (&result, ambiguous, CHRONO_DATE_ORDER_UNKNOWN, &error));
    g_assert_cmpuint (result.events->len, ==, 1);
    assert_problem (&result, "features[0].properties.date", "day/month");
  }
  /* The option tells */
  {
    g_auto (Result) result = { 0 };

    g_assert_true (import_text (&result, ambiguous, CHRONO_DATE_ORDER_MDY, &error));
    assert_span (find_event (&result, "A"), "2020-03-04", NULL, DAY (2020, 3, 4), DAY (2020, 3, 4));
  }
  /* Another date of the file tells */
  {
    g_auto (Result) result = { 0 };

    g_assert_true (import_text (&result, telling, CHRONO_DATE_ORDER_UNKNOWN, &error));
    assert_span (find_event (&result, "A"), "2020-04-03", NULL, DAY (2020, 4, 3), DAY (2020, 4, 3));
    assert_span (find_event (&result, "B"), "2020-12-25", NULL, DAY (2020, 12, 25), DAY (2020, 12, 25));
  }
}

/* Hostile input */

static void
test_hostile (void)
{
  g_autoptr (GError) error = NULL;

  /* Truncated: the JSON error with where it is */
  {
    g_auto (Result) result = { 0 };
    g_autoptr (GBytes) whole = load_data ("collection.geojson");
    g_autoptr (GBytes) half = g_bytes_new_from_bytes (whole, 0, g_bytes_get_size (whole) / 2);

    g_assert_false (import_bytes (&result, half, "half.geojson", CHRONO_DATE_ORDER_UNKNOWN, &error));
    g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "half.geojson:"));
    g_clear_error (&error);
  }

  /* Deep nesting is refused before parsing */
  {
    g_auto (Result) result = { 0 };
    g_autoptr (GString) deep = g_string_new ("{\"type\": \"Feature\", \"properties\": {\"x\": ");

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    g_assert_false (import_text (&result, deep->str, CHRONO_DATE_ORDER_UNKNOWN, &error));
    g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_TOO_LARGE);
    g_clear_error (&error);
  }

  /* Not GeoJSON at the top */
  {
    g_auto (Result) result = { 0 };

    g_assert_false (import_text (&result, "{\"type\": \"Topology\"}", CHRONO_DATE_ORDER_UNKNOWN, &error));
    g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
    g_clear_error (&error);
  }
  {
    g_auto (Result) result = { 0 };

    g_assert_false (import_text (&result, "{\"type\": \"FeatureCollection\", \"features\": \"all\"}",
                                 CHRONO_DATE_ORDER_UNKNOWN, &error));
    g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "features"));
    g_clear_error (&error);
  }

  /* A 10 MB title and description are cut; infinite and huge numbers are no coordinates */
  {
    g_auto (Result) result = { 0 };
    g_autoptr (GString) text = g_string_new ("{\"type\": \"FeatureCollection\", \"features\": [");
    ChronoEvent *event;

    g_string_append (text, "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}, "
                           "\"properties\": {\"date\": \"2001\", \"title\": \"");
    for (guint i = 0; i < 10 * 1024 * 1024; i++)
      g_string_append_c (text, 'a' + i % 26);
    g_string_append (text, "\", \"description\": \"");
    for (guint i = 0; i < 10 * 1024 * 1024; i++)
      g_string_append_c (text, 'a' + i % 26);
    g_string_append (text, "\"}},");
    g_string_append (text, "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [1e999, 2]}, "
                           "\"properties\": {\"date\": \"2001\"}},");
    g_string_append (text, "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}, "
                           "\"properties\": {\"time\": 1e300}}]}");

    g_assert_true (import_text (&result, text->str, CHRONO_DATE_ORDER_UNKNOWN, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (result.events->len, ==, 1);
    event = result.events->pdata[0];
    g_assert_cmpuint (strlen (chrono_event_get_title (event)), <=, 2100);
    g_assert_cmpuint (strlen (chrono_event_get_summary (event)), <=, CHRONO_IMPORT_MAX_TEXT + 8);
    g_assert_true (g_str_has_prefix (chrono_event_get_title (event), "abcdefghij"));
    assert_problem (&result, "features[1].geometry.coordinates", "not a finite number");
    assert_problem (&result, "features[2].properties.time", "1e+300");
    g_assert_cmpuint (chrono_import_get_n_skipped (result.import), ==, 2);
  }

  /* Invalid UTF-8: json-glib refuses the whole file */
  {
    g_auto (Result) result = { 0 };
    static const char bad[] =
      "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}, "
      "\"properties\": {\"date\": \"2001\", \"title\": \"caf\xe9 \xff\"}}";

    g_assert_false (import_text (&result, bad, CHRONO_DATE_ORDER_UNKNOWN, &error));
    g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "inline.geojson:"));
    g_clear_error (&error);
  }

  /* A line of more positions than a feature may have: skipped, others read */
  {
    g_auto (Result) result = { 0 };
    g_autoptr (GString) text = g_string_new ("{\"type\": \"FeatureCollection\", \"features\": ["
                                             "{\"type\": \"Feature\", \"properties\": {\"date\": \"2001\"}, "
                                             "\"geometry\": {\"type\": \"LineString\", \"coordinates\": [");

    for (guint i = 0; i < 250001; i++)
      g_string_append_printf (text, "%s[%u.5, 1]", i > 0 ? "," : "", i % 100);
    g_string_append (text, "]}}, {\"type\": \"Feature\", \"properties\": {\"date\": \"2002\", \"title\": \"small\"}, "
                           "\"geometry\": {\"type\": \"MultiPoint\", \"coordinates\": []}}, "
                           "{\"type\": \"Feature\", \"properties\": {\"date\": \"2003\", \"title\": \"kept\"}, "
                           "\"geometry\": {\"type\": \"Point\", \"coordinates\": [3, 4]}}]}");

    g_assert_true (import_text (&result, text->str, CHRONO_DATE_ORDER_UNKNOWN, &error));
    assert_problem (&result, "features[0].geometry.coordinates", "more than 250000");
    assert_problem (&result, "features[1].geometry.coordinates", "no coordinates");
    g_assert_cmpuint (result.events->len, ==, 1);
    assert_point (first_place (find_event (&result, "kept")), 4, 3);
  }
}

static void
test_cancel (void)
{
  g_autoptr (GString) text = g_string_new ("{\"type\": \"FeatureCollection\", \"features\": [");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImportOptions) options = chrono_import_options_new ();
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  ChronoStoreCounts counts = { 0 };

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (text, "%s{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", "
                            "\"coordinates\": [%u, 0]}, \"properties\": {\"year\": %u}}",
                            i > 0 ? "," : "", i % 180, 1000 + i);
  g_string_append (text, "]}");
  bytes = g_bytes_new (text->str, text->len);

  options->format = g_strdup ("geojson");
  import = chrono_import_new (store, "many.geojson", options);
  g_cancellable_cancel (cancellable);
  chrono_import_set_cancellable (import, cancellable);
  g_assert_false (chrono_import_run (import, bytes, &error));
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_CANCELLED);
  /* Nothing is left in the store */
  g_assert_true (chrono_store_get_counts (store, &counts, NULL));
  g_assert_cmpuint (counts.events, ==, 0);
}

/* Many features, each with its own id, and many places with one name: read
 * in one pass, with the ids the driver makes staying cheap. */
static void
test_many (void)
{
  g_autoptr (GString) text = g_string_new ("{\"type\": \"FeatureCollection\", \"features\": [");
  g_auto (Result) result = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  /* Instrumented builds (address sanitizer) take some thirty times as long */
#ifdef __SANITIZE_ADDRESS__
  guint n = 2000;
#else
  guint n = 20000;
#endif
  /* A feature a minute from 2020-11-11T00:00Z: the last one's UTC day */
  guint last_day = 11 + (n - 1) / (24 * 60);
  g_autofree char *last_iso = g_strdup_printf ("2020-11-%02u", last_day);
  gint64 begin;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s{\"type\": \"Feature\", \"id\": \"q%u\", \"geometry\": {\"type\": \"Point\", "
                            "\"coordinates\": [%u.25, %u.5]}, \"properties\": {\"place\": \"Somewhere\", "
                            "\"time\": %" G_GINT64_FORMAT "}}",
                            i > 0 ? "," : "", i, i % 180, i % 90, (gint64) 1605052800000 + (gint64) i * 60000);
  g_string_append (text, "]}");
  bytes = g_bytes_new (text->str, text->len);

  begin = g_get_monotonic_time ();
  g_assert_true (import_bytes (&result, bytes, "many.geojson", CHRONO_DATE_ORDER_UNKNOWN, &error));
  g_test_message ("%u features in %.0f ms", n, (g_get_monotonic_time () - begin) / 1000.0);
  g_assert_cmpuint (chrono_import_get_n_events (result.import), ==, n);
  /* 180 × 90 points repeat every lcm(180, 90) = 180 features */
  g_assert_cmpuint (chrono_import_get_n_places (result.import), ==, 180);
  /* (with 20000 features, 19999 minutes after 2020-11-11T00:00Z is 2020-11-24T21:19Z) */
  g_assert_true (n != 20000 || last_day == 24);
  assert_span (result.events->pdata[n - 1], last_iso, NULL, DAY (2020, 11, last_day), DAY (2020, 11, last_day));
}

/* Detection */

static void
test_detect (void)
{
  static const struct
  {
    const char *name;
    const char *text;
    int score;
  } cases[] = {
    { "a.json", "{\"type\": \"FeatureCollection\", \"features\": []}", CHRONO_DETECT_YES },
    { "a.json", "\xef\xbb\xbf  {\n \"features\": [], \"type\" : \"FeatureCollection\"}", CHRONO_DETECT_YES },
    { "a.json", "{\"type\": \"Feature\", \"geometry\": null}", CHRONO_DETECT_YES },
    { "a.json", "{\"type\": \"MultiPolygon\", \"coordinates\": []}", CHRONO_DETECT_YES },
    { "a.json", "[{\"type\": \"Point\", \"coordinates\": [1, 2]}]", CHRONO_DETECT_YES },
    /* A "type" deeper down says nothing */
    { "a.json", "{\"places\": [{\"geometry\": {\"type\": \"LineString\"}}]}", CHRONO_DETECT_NO },
    { "a.json", "{\"name\": \"\\\"type\\\": \\\"Feature\\\"\"}", CHRONO_DETECT_NO },
    { "a.json", "{\"format\": \"chronotope-dataset\", \"type\": \"Feature\"}", CHRONO_DETECT_NO },
    { "a.csv", "title,date\nx,2020\n", CHRONO_DETECT_NO },
    { "a.geojson", "{\"a\": 1}", CHRONO_DETECT_EXTENSION },
    { "A.GeoJSON", "", CHRONO_DETECT_EXTENSION },
    { "a.json", "{\"a\": 1}", CHRONO_DETECT_NO },
    /* Linked Places and GeoJSON-T: the LPF reader's if it wants them */
    { "a.json", "{\"type\": \"FeatureCollection\", \"@context\": \"https://raw.githubusercontent.com/LinkedPasts/"
                "linked-places/master/linkedplaces-context-v1.1.jsonld\", \"features\": []}", CHRONO_DETECT_MAYBE },
    { "a.json", "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"when\": {}}]}",
      CHRONO_DETECT_MAYBE },
  };
  const ChronoImportFormat *geojson = chrono_import_find_format ("geojson");

  g_assert_nonnull (geojson);
  g_assert_cmpstr (geojson->name, ==, "geojson");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (geojson->detect (cases[i].name, (const guint8 *) cases[i].text, strlen (cases[i].text)),
                       ==, cases[i].score);
    }

  /* Among all readers */
  {
    g_autoptr (GBytes) bytes = load_data ("collection.geojson");
    g_autoptr (GBytes) list = load_data ("geometries.json");

    g_assert_true (chrono_import_detect ("collection.geojson", bytes) == geojson);
    g_assert_true (chrono_import_detect ("geometries.json", list) == geojson);
  }
  {
    g_autofree char *path = g_build_filename (g_getenv ("CHRONO_SOURCE_ROOT"), "data", "datasets",
                                              "karabakh-peacekeeping.json", NULL);
    g_autoptr (GFile) file = g_file_new_for_path (path);
    g_autoptr (GBytes) bytes = g_file_load_bytes (file, NULL, NULL, NULL);

    g_assert_nonnull (bytes);
    g_assert_cmpint (geojson->detect ("karabakh-peacekeeping.json", g_bytes_get_data (bytes, NULL),
                                      MIN (g_bytes_get_size (bytes), 64 * 1024)), ==, CHRONO_DETECT_NO);
  }
}

/* Writing */

static char *
export_to_text (ChronoStore *store)
{
  const ChronoExportFormat *format = chrono_export_find_format ("geojson");
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (format);
  g_assert_cmpstr (format->extension, ==, "geojson");
  g_assert_true (format->write (store, "en", out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));

  return g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
}

static void
test_write_shape (void)
{
  g_auto (Result) source = { 0 };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *root, *feature = NULL, *properties, *when;
  JsonArray *features;

  import_data (&source, "collection.geojson", CHRONO_DATE_ORDER_UNKNOWN);
  text = export_to_text (source.store);

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "type"), ==, "FeatureCollection");
  features = json_object_get_array_member (root, "features");
  /* Six events and Yerevan, which no event uses */
  g_assert_cmpuint (json_array_get_length (features), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (features, 0),
                                                                                 "properties"), "name"), ==, "Yerevan");

  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      JsonObject *object = json_array_get_object_element (features, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (json_object_get_object_member (object, "properties"),
                                                                 "title", ""), "Great Fire") == 0)
        feature = object;
    }
  g_assert_nonnull (feature);
  properties = json_object_get_object_member (feature, "properties");
  g_assert_cmpstr (json_object_get_string_member (properties, "start"), ==, "1666-09-02");
  g_assert_cmpstr (json_object_get_string_member (properties, "end"), ==, "1666-09-06");
  g_assert_cmpstr (json_object_get_string_member (properties, "earliest"), ==, "1666-09-02");
  g_assert_cmpstr (json_object_get_string_member (properties, "latest"), ==, "1666-09-06");
  g_assert_cmpstr (json_object_get_string_member (properties, "place"), ==, "Great Fire");
  when = json_object_get_object_member (properties, "when");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_array_get_object_element (json_object_get_array_member (when, "timespans"), 0), "end"), "in"),
                   ==, "1666-09-06");
  {
    JsonObject *geometry = json_object_get_object_member (feature, "geometry");
    JsonArray *point = json_object_get_array_member (geometry, "coordinates");

    g_assert_cmpstr (json_object_get_string_member (geometry, "type"), ==, "Point");
    g_assert_cmpfloat (json_array_get_double_element (point, 0), ==, -0.1);
    g_assert_cmpfloat (json_array_get_double_element (point, 1), ==, 51.5);
  }

  /* The event without a place has a null geometry */
  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      JsonObject *object = json_array_get_object_element (features, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (json_object_get_object_member (object, "properties"),
                                                                 "title", ""), "Ceasefire statement") == 0)
        g_assert_true (json_object_get_null_member (object, "geometry"));
    }
}

static void
test_round_trip (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("CHRONO_SOURCE_ROOT"), "data", "datasets",
                                            "karabakh-peacekeeping.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GBytes) bytes = g_file_load_bytes (file, NULL, NULL, NULL);
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) exported = NULL;
  g_auto (Result) back = { 0 };
  ChronoPlace *corridor;
  char *text;

  g_assert_nonnull (bytes);
  g_assert_true (chrono_dataset_import_bytes (store, bytes, "karabakh-peacekeeping.json", &error));
  g_assert_no_error (error);
  events = chrono_export_get_events (store, "en", &error);
  places = chrono_store_get_places (store, "en", &error);
  g_assert_cmpuint (events->len, ==, 50);

  text = export_to_text (store);
  exported = g_bytes_new_take (text, strlen (text));
  g_assert_true (import_bytes (&back, exported, "karabakh.geojson", CHRONO_DATE_ORDER_UNKNOWN, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (chrono_import_get_n_skipped (back.import), ==, 0);
  g_assert_cmpuint (back.events->len, ==, events->len);
  g_assert_cmpuint (back.places->len, ==, places->len);

  for (guint i = 0; i < events->len; i++)
    {
      ChronoEvent *event = events->pdata[i];
      ChronoEvent *again = find_event (&back, chrono_event_get_title (event));
      ChronoPlace *place = first_place (event), *place_again = first_place (again);
      GPtrArray *excerpts = chrono_event_get_excerpts (event);
      GPtrArray *excerpts_again = chrono_event_get_excerpts (again);

      g_test_message ("%s", chrono_event_get_title (event));
      g_assert_cmpstr (chrono_event_get_start (again), ==, chrono_event_get_start (event));
      g_assert_cmpstr (chrono_event_get_end (again), ==, chrono_event_get_end (event));
      g_assert_cmpint (chrono_event_get_start_lo (again), ==, chrono_event_get_start_lo (event));
      g_assert_cmpint (chrono_event_get_end_hi (again), ==, chrono_event_get_end_hi (event));
      g_assert_cmpstr (chrono_event_get_summary (again), ==, chrono_event_get_summary (event));
      g_assert_cmpstr (chrono_event_get_category (again), ==, chrono_event_get_category (event));
      g_assert_cmpint (chrono_event_get_importance (again), ==, chrono_event_get_importance (event));

      g_assert_true ((place == NULL) == (place_again == NULL));
      if (place != NULL)
        {
          g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place_again), chrono_place_get_lat (place), 1e-6);
          g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (place_again), chrono_place_get_lon (place), 1e-6);
          g_assert_cmpstr (chrono_place_get_name (place_again), ==, chrono_place_get_name_for (place, "en"));
        }
      /* The other places, by name */
      g_assert_cmpuint (chrono_event_get_places (again)->len, ==, chrono_event_get_places (event)->len);

      g_assert_cmpuint (excerpts_again->len, ==, excerpts->len);
      for (guint j = 0; j < excerpts->len; j++)
        {
          g_assert_cmpstr (chrono_excerpt_get_quote (excerpts_again->pdata[j]), ==,
                           chrono_excerpt_get_quote (excerpts->pdata[j]));
          g_assert_cmpstr (chrono_excerpt_get_lang (excerpts_again->pdata[j]), ==,
                           chrono_excerpt_get_lang (excerpts->pdata[j]));
          g_assert_cmpstr (chrono_source_get_title (chrono_excerpt_get_source (excerpts_again->pdata[j])), ==,
                           chrono_source_get_title (chrono_excerpt_get_source (excerpts->pdata[j])));
        }
    }

  /* The Lachin corridor's line: all 27 points */
  corridor = find_place (&back, "Lachin corridor");
  g_assert_cmpstr (chrono_place_get_kind (corridor), ==, "route");
  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *geometry;

    g_assert_nonnull (chrono_place_get_geometry (corridor));
    g_assert_true (json_parser_load_from_data (parser, chrono_place_get_geometry (corridor), -1, NULL));
    geometry = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (geometry, "type"), ==, "LineString");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (geometry, "coordinates")), ==, 27);
    g_assert_cmpfloat (json_array_get_double_element (json_array_get_array_element (
                         json_object_get_array_member (geometry, "coordinates"), 0), 0), ==, 46.3386);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import-geojson/collection", test_collection);
  g_test_add_func ("/import-geojson/single-feature", test_single_feature);
  g_test_add_func ("/import-geojson/geometry-list", test_geometry_list);
  g_test_add_func ("/import-geojson/usgs-epoch", test_usgs_epoch);
  g_test_add_func ("/import-geojson/leaflet-times", test_leaflet_times);
  g_test_add_func ("/import-geojson/geojson-t", test_geojson_t);
  g_test_add_func ("/import-geojson/areas", test_areas);
  g_test_add_func ("/import-geojson/bad-types", test_bad_types);
  g_test_add_func ("/import-geojson/date-order", test_date_order);
  g_test_add_func ("/import-geojson/hostile", test_hostile);
  g_test_add_func ("/import-geojson/cancel", test_cancel);
  g_test_add_func ("/import-geojson/many", test_many);
  g_test_add_func ("/import-geojson/detect", test_detect);
  g_test_add_func ("/export-geojson/shape", test_write_shape);
  g_test_add_func ("/export-geojson/round-trip", test_round_trip);

  return g_test_run ();
}
