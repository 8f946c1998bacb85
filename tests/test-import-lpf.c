/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "chrono-dataset.h"
#include "chrono-export.h"
#include "chrono-import.h"

/*
 * The Linked Places readers (LPF JSON-LD and LP-TSV) on hand-made files
 * (tests/data/import/lpf), their hardening, and the LPF writer's round trip
 * of the bundled dataset.
 */

static GBytes *
load_data (const char *name)
{
  g_autofree char *path = g_build_filename (TEST_DATA_DIR, "import", "lpf", name, NULL);
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
              guint         line,
              const char   *path)
{
  GPtrArray *problems = chrono_import_get_problems (import);

  for (guint i = 0; i < problems->len; i++)
    {
      const ChronoImportProblem *problem = g_ptr_array_index (problems, i);

      if (problem->line == line && g_strcmp0 (problem->path, path) == 0)
        return problem;
    }

  return NULL;
}

/* That a problem at @path (or @line) says @words. */
static void
assert_problem (ChronoImport *import,
                guint         line,
                const char   *path,
                const char   *words)
{
  const ChronoImportProblem *problem = find_problem (import, line, path);

  if (problem == NULL)
    g_error ("no problem at %u %s", line, path);
  g_test_message ("%u %s: %s", line, path, problem->message);
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

static ChronoPlace *
find_place (GPtrArray  *places,
            const char *name)
{
  for (guint i = 0; i < places->len; i++)
    {
      GPtrArray *names = chrono_place_get_names (g_ptr_array_index (places, i));

      for (guint j = 0; j < names->len; j++)
        if (g_str_equal (((ChronoPlaceName *) g_ptr_array_index (names, j))->name, name))
          return g_ptr_array_index (places, i);
    }

  g_error ("no place named “%s”", name);
  return NULL;
}

static GPtrArray *
get_places (ChronoStore *store)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *places = chrono_store_get_places (store, NULL, &error);

  g_assert_no_error (error);
  return places;
}

/* The name @name of @place, in @lang */
static void
assert_name (ChronoPlace *place,
             const char  *name,
             const char  *lang)
{
  GPtrArray *names = chrono_place_get_names (place);

  for (guint i = 0; i < names->len; i++)
    {
      const ChronoPlaceName *item = g_ptr_array_index (names, i);

      if (g_str_equal (item->name, name))
        {
          g_assert_cmpstr (item->lang, ==, lang);
          return;
        }
    }

  g_error ("%s has no name “%s”", chrono_place_get_id (place), name);
}

static void
assert_days (ChronoEvent *event,
             ChronoDay    start_lo,
             ChronoDay    start_hi,
             ChronoDay    end_lo,
             ChronoDay    end_hi)
{
  g_assert_cmpint (chrono_event_get_start_lo (event), ==, start_lo);
  g_assert_cmpint (chrono_event_get_start_hi (event), ==, start_hi);
  g_assert_cmpint (chrono_event_get_end_lo (event), ==, end_lo);
  g_assert_cmpint (chrono_event_get_end_hi (event), ==, end_hi);
}

#define YMD(y, m, d) chrono_day_from_ymd ((y), (m), (d))

/* LPF */

static void
test_lpf_places (void)
{
  g_autoptr (GBytes) bytes = load_data ("places.jsonld");
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = import_into_new ("places.jsonld", bytes, NULL, &import, &error);
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GPtrArray) sources = NULL;
  ChronoPlace *place;
  GPtrArray *names;

  g_assert_no_error (error);
  g_assert_cmpstr (chrono_import_get_format (import)->name, ==, "lpf");
  /* Alexandria, Carthage, Tyre, Via Appia, Byblos; not Atlantis (no
   * geometry) nor Nowhere (off the Earth) */
  g_assert_cmpuint (chrono_import_get_n_places (import), ==, 5);
  /* Alexandria's, Carthage's two (from its geometries), Via Appia's */
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 4);
  /* The file, Pleiades, the Barrington Atlas (Plato's cites a place left out) */
  g_assert_cmpuint (chrono_import_get_n_sources (import), ==, 3);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 4);

  assert_problem (import, 0, "features[2]", "no geometry");
  assert_problem (import, 0, "features[3].names[1]", "a number");
  assert_problem (import, 0, "features[3].when.timespans[0]", "second millennium");
  assert_problem (import, 0, "features[4].geometry", "not a longitude and latitude on Earth");

  places = get_places (store);
  g_assert_cmpuint (places->len, ==, 5);

  /* Names: the title first, languages as given, the import's when missing */
  place = find_place (places, "Alexandria");
  names = chrono_place_get_names (place);
  g_assert_cmpuint (names->len, ==, 4);
  g_assert_cmpstr (((ChronoPlaceName *) g_ptr_array_index (names, 0))->name, ==, "Alexandria");
  g_assert_cmpstr (((ChronoPlaceName *) g_ptr_array_index (names, 0))->usage, ==, "common");
  assert_name (place, "Ἀλεξάνδρεια", "grc");
  assert_name (place, "الإسكندرية", "ar");
  assert_name (place, "Rhakotis", "und");
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "city");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place), 31.2001, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (place), 29.9187, 1e-9);
  g_assert_cmpstr (chrono_place_get_note (place), ==,
                   "Port on the Mediterranean coast of Egypt, west of the Nile delta.");

  /* A GeometryCollection: the first Point, and the polygon kept */
  place = find_place (places, "Carthago");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place), 36.8528, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (place), 10.3233, 1e-9);
  g_assert_nonnull (strstr (chrono_place_get_geometry (place), "\"Polygon\""));
  g_assert_nonnull (strstr (chrono_place_get_geometry (place), "[10.34,36.87]"));
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "region");
  assert_name (place, "Carthago", "la");

  /* A line alone: the point half-way along it; the kind from a source label */
  place = find_place (places, "Via Appia");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place), 41.40, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (place), 13.50, 1e-9);
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "route");
  g_assert_nonnull (strstr (chrono_place_get_geometry (place), "\"LineString\""));

  /* A title that is none of the toponyms is a name too, and the first */
  place = find_place (places, "Gubla");
  names = chrono_place_get_names (place);
  g_assert_cmpuint (names->len, ==, 3);
  g_assert_cmpstr (((ChronoPlaceName *) g_ptr_array_index (names, 0))->name, ==, "Gebal (Byblos)");
  assert_name (place, "Byblos", "en");
  assert_name (place, "Gubla", "akk");

  /* A bad name in the middle leaves the others */
  place = find_place (places, "Tyre");
  g_assert_cmpuint (chrono_place_get_names (place)->len, ==, 2);
  assert_name (place, "Ṣūr", "ar-Latn");

  sources = chrono_store_get_sources (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < sources->len; i++)
    {
      ChronoSource *source = g_ptr_array_index (sources, i);

      if (g_str_equal (chrono_source_get_title (source), "Pleiades"))
        g_assert_cmpstr (chrono_source_get_url (source), ==, "https://pleiades.stoa.org/places/727070");
      if (g_str_equal (chrono_source_get_title (source), "Barrington Atlas (2000)"))
        {
          g_assert_cmpstr (chrono_source_get_url (source), ==, "http://example.org/barrington");
          g_assert_cmpstr (chrono_source_get_published (source), ==, "2000");
        }
    }
}

static void
test_lpf_timespans (void)
{
  g_autoptr (GBytes) bytes = load_data ("places.jsonld");
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = import_into_new ("places.jsonld", bytes, "lpf", &import, &error);
  g_autoptr (GPtrArray) events = NULL;
  ChronoEvent *event;
  ChronoEvent *carthage[2] = { NULL, NULL };

  g_assert_no_error (error);
  events = get_events (store);
  g_assert_cmpuint (events->len, ==, 4);

  /* "-0330" is ISO 8601, astronomical: year -330, 331 BCE; no end: the year */
  event = find_event (events, "Alexandria (founded)");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "-0330");
  g_assert_null (chrono_event_get_end (event));
  assert_days (event, YMD (-330, 1, 1), YMD (-330, 12, 31), YMD (-330, 1, 1), YMD (-330, 12, 31));
  g_assert_cmpstr (chrono_event_get_summary (event), ==,
                   "Port on the Mediterranean coast of Egypt, west of the Nile delta.");
  g_assert_cmpuint (chrono_event_get_places (event)->len, ==, 1);
  g_assert_cmpstr (chrono_place_get_name (g_ptr_array_index (chrono_event_get_places (event), 0)), ==, "Alexandria");

  /* Carthage's two timespans come from its geometries */
  for (guint i = 0, n = 0; i < events->len; i++)
    if (g_strcmp0 (chrono_event_get_title (g_ptr_array_index (events, i)), "Carthage") == 0)
      carthage[n++] = g_ptr_array_index (events, i);
  g_assert_nonnull (carthage[0]);
  g_assert_nonnull (carthage[1]);
  /* earliest/latest: one year between, not known which */
  g_assert_cmpstr (chrono_event_get_start (carthage[0]), ==, "[-0813..-0749]");
  g_assert_cmpstr (chrono_event_get_end (carthage[0]), ==, "-0145");
  assert_days (carthage[0], YMD (-813, 1, 1), YMD (-749, 12, 31), YMD (-145, 1, 1), YMD (-145, 12, 31));
  g_assert_cmpstr (chrono_event_get_start (carthage[1]), ==, "-0043");
  g_assert_cmpstr (chrono_event_get_end (carthage[1]), ==, "0698");
  assert_days (carthage[1], YMD (-43, 1, 1), YMD (-43, 12, 31), YMD (698, 1, 1), YMD (698, 12, 31));

  /* A period's name in the title; an end known only by its latest day */
  event = find_event (events, "Via Appia (Roman Republic)");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "-0311");
  g_assert_cmpstr (chrono_event_get_end (event), ==, "[..0100]");
  g_assert_cmpint (chrono_event_get_start_lo (event), ==, YMD (-311, 1, 1));
  g_assert_cmpint (chrono_event_get_end_hi (event), ==, YMD (100, 12, 31));
}

static void
test_lpf_wrong_types (void)
{
  g_autoptr (GBytes) bytes = load_data ("wrong-types.jsonld");
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = import_into_new ("wrong-types.jsonld", bytes, NULL, &import, &error);
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GPtrArray) events = NULL;
  ChronoPlace *place;

  g_assert_no_error (error);
  assert_problem (import, 0, "features[0]", "found a text");
  /* No title (properties is an array) and names an object: nothing to call it */
  assert_problem (import, 0, "features[1].properties", "found an array");
  assert_problem (import, 0, "features[1].names", "found an object");
  assert_problem (import, 0, "features[1]", "neither title nor names");
  /* A toponym that is an array; a language that is a number is ignored */
  assert_problem (import, 0, "features[2].names[0]", "toponym");
  /* A coordinate written as a text */
  assert_problem (import, 0, "features[2].geometry", "the coordinates of a Point");
  /* Every timespan that cannot be read is skipped with its path */
  assert_problem (import, 0, "features[3].when.timespans[0]", "start");
  assert_problem (import, 0, "features[3].when.timespans[1]", "without a start");
  assert_problem (import, 0, "features[3].when.timespans[2]", "expected a date, found true or false");
  assert_problem (import, 0, "features[3].when.timespans[3]", "before the start");
  assert_problem (import, 0, "features[4].geometry", "the coordinates of a LineString");

  /* What is right is kept: Arwad, with its one good timespan */
  places = get_places (store);
  g_assert_cmpuint (places->len, ==, 1);
  place = g_ptr_array_index (places, 0);
  g_assert_cmpstr (chrono_place_get_name (place), ==, "Arwad");
  g_assert_null (chrono_place_get_note (place));
  events = get_events (store);
  g_assert_cmpuint (events->len, ==, 1);
  assert_days (g_ptr_array_index (events, 0), YMD (-999, 1, 1), YMD (-999, 12, 31), YMD (-900, 1, 1), YMD (-900, 12, 31));
}

/* The file cannot be read at all: a clear error, and the store left empty */
static void
assert_invalid (const char *data,
                gssize      len,
                int         code,
                const char *words)
{
  g_autoptr (GBytes) bytes = g_bytes_new (data, len < 0 ? strlen (data) : (gsize) len);
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = import_into_new ("bad.jsonld", bytes, "lpf", &import, &error);

  g_assert_null (store);
  g_assert_error (error, CHRONO_IMPORT_ERROR, code);
  g_test_message ("%s", error->message);
  if (words != NULL)
    g_assert_nonnull (strstr (error->message, words));
}

static void
test_lpf_hardening (void)
{
  g_autoptr (GBytes) whole = load_data ("places.jsonld");
  g_autoptr (GString) deep = g_string_new ("{\"type\": \"FeatureCollection\", \"features\": [");
  g_autoptr (GString) huge = g_string_new (NULL);
  g_autofree char *long_name = NULL;
  gsize size;
  const char *data = g_bytes_get_data (whole, &size);

  /* Truncated */
  assert_invalid (data, size / 2, CHRONO_IMPORT_ERROR_INVALID, "bad.jsonld");
  /* Not a FeatureCollection */
  assert_invalid ("[1, 2, 3]", -1, CHRONO_IMPORT_ERROR_INVALID, "not an array");
  assert_invalid ("{\"type\": \"FeatureCollection\", \"features\": {}}", -1,
                  CHRONO_IMPORT_ERROR_INVALID, "“features”");
  /* Nothing in it */
  assert_invalid ("{\"type\": \"FeatureCollection\", \"features\": []}", -1,
                  CHRONO_IMPORT_ERROR_NOTHING, NULL);
  /* Nested far too deep */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  assert_invalid (deep->str, deep->len, CHRONO_IMPORT_ERROR_TOO_LARGE, "nested");
  /* Invalid UTF-8 */
  assert_invalid ("{\"type\": \"FeatureCollection\", \"features\": [{\"properties\": {\"title\": \"\xff\xfe\"}, "
                  "\"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}}]}", -1,
                  CHRONO_IMPORT_ERROR_INVALID, NULL);

  /* A 10 MB toponym is cut, not refused, and the place is there */
  long_name = g_strnfill (10 * 1024 * 1024, 'a');
  g_string_printf (huge, "{\"type\": \"FeatureCollection\", \"features\": [{\"@id\": \"x\", "
                   "\"properties\": {\"title\": \"Long\"}, \"names\": [{\"toponym\": \"%s\"}], "
                   "\"geometry\": {\"type\": \"Point\", \"coordinates\": [1e0, 2]}}]}", long_name);
  {
    g_autoptr (GBytes) bytes = g_bytes_new (huge->str, huge->len);
    g_autoptr (ChronoImport) import = NULL;
    g_autoptr (GError) error = NULL;
    g_autoptr (ChronoStore) store = import_into_new ("huge.jsonld", bytes, "lpf", &import, &error);
    g_autoptr (GPtrArray) places = NULL;
    GPtrArray *names;

    g_assert_no_error (error);
    places = get_places (store);
    g_assert_cmpuint (places->len, ==, 1);
    names = chrono_place_get_names (g_ptr_array_index (places, 0));
    g_assert_cmpuint (names->len, ==, 2);
    g_assert_cmpuint (strlen (((ChronoPlaceName *) g_ptr_array_index (names, 1))->name), <=, 1000 + 3);
    g_assert_cmpfloat (chrono_place_get_lat (g_ptr_array_index (places, 0)), ==, 2.0);
  }
}

static void
test_lpf_cancel (void)
{
  g_autoptr (GString) text = g_string_new ("{\"type\": \"FeatureCollection\", \"@context\": \"linkedplaces\", \"features\": [");
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoImport) import = chrono_import_new (store, "many.jsonld", NULL);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  ChronoStoreCounts counts = { 0 };

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (text, "%s{\"@id\": \"p%u\", \"properties\": {\"title\": \"P%u\"}, "
                            "\"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}}",
                            i > 0 ? "," : "", i, i);
  g_string_append (text, "]}");
  bytes = g_bytes_new (text->str, text->len);

  g_cancellable_cancel (cancellable);
  chrono_import_set_cancellable (import, cancellable);
  g_assert_false (chrono_import_run (import, bytes, &error));
  g_assert_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_CANCELLED);
  g_assert_true (chrono_store_get_counts (store, &counts, NULL));
  g_assert_cmpuint (counts.places, ==, 0);
}

static void
test_detect (void)
{
  static const struct
  {
    const char *file;
    const char *format;
  } cases[] = {
    { "places.jsonld", "lpf" },
    { "wrong-types.jsonld", "lpf" },
    { "places.tsv", "lptsv" },
  };
  g_autoptr (GBytes) plain = load_data ("plain.geojson");
  g_autoptr (GBytes) names_only = NULL;
  g_autoptr (GBytes) csv_tsv = NULL;
  const ChronoImportFormat *format;
  const char *names_text =
    "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"@id\": \"a\", "
    "\"properties\": {\"title\": \"A\"}, \"names\": [{\"toponym\": \"A\"}], "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}}]}";
  const char *table = "name\tdate\tlat\tlon\nA\t2020\t1\t2\n";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) bytes = load_data (cases[i].file);

      format = chrono_import_detect (cases[i].file, bytes);
      g_assert_nonnull (format);
      g_assert_cmpstr (format->name, ==, cases[i].format);
    }

  /* Plain GeoJSON is not Linked Places, whatever its name */
  g_assert_cmpint (chrono_import_find_format ("lpf")->detect ("plain.json", g_bytes_get_data (plain, NULL),
                                                              g_bytes_get_size (plain)), ==, CHRONO_DETECT_NO);
  format = chrono_import_detect ("plain.geojson", plain);
  g_assert_true (format == NULL || !g_str_equal (format->name, "lpf"));

  /* Features with Linked Places names, and no context */
  names_only = g_bytes_new_static (names_text, strlen (names_text));
  g_assert_cmpint (chrono_import_find_format ("lpf")->detect ("a.json", g_bytes_get_data (names_only, NULL),
                                                              g_bytes_get_size (names_only)), ==, CHRONO_DETECT_YES);

  /* A table that is not LP-TSV is the CSV reader's */
  csv_tsv = g_bytes_new_static (table, strlen (table));
  g_assert_cmpint (chrono_import_find_format ("lptsv")->detect ("a.tsv", g_bytes_get_data (csv_tsv, NULL),
                                                                g_bytes_get_size (csv_tsv)), ==, CHRONO_DETECT_NO);
  g_assert_cmpint (chrono_import_find_format ("lptsv")->detect ("a.tsv", (const guint8 *) "id\ttitle\tstart\n", 15),
                   ==, CHRONO_DETECT_YES);
}

/* LP-TSV */

static void
test_lptsv (void)
{
  g_autoptr (GBytes) bytes = load_data ("places.tsv");
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = import_into_new ("places.tsv", bytes, NULL, &import, &error);
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GArray) at_sidon = NULL;
  ChronoPlace *place;
  ChronoEvent *event;

  g_assert_no_error (error);
  g_assert_cmpstr (chrono_import_get_format (import)->name, ==, "lptsv");
  /* Tyre, Sidon, Jericho, Dead Sea, Byblos; not Arwad (lat "north") nor the row without title */
  g_assert_cmpuint (chrono_import_get_n_places (import), ==, 5);
  /* Every row with a start but Sidon's, which has none */
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 4);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 2);
  assert_problem (import, 4, NULL, "lat: “north”");
  assert_problem (import, 7, NULL, "no title");
  assert_problem (import, 8, NULL, "21 fields where the header has 19");

  places = get_places (store);
  place = find_place (places, "Tyre");
  g_assert_cmpuint (chrono_place_get_names (place)->len, ==, 4);
  assert_name (place, "Tyre", "und");
  assert_name (place, "صور", "ar");
  assert_name (place, "Τύρος", "grc");
  assert_name (place, "Tyr", "fr");
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "city");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place), 33.2705, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (place), 35.1939, 1e-9);

  place = find_place (places, "Saida");
  assert_name (place, "Saida", "ar-Latn");
  at_sidon = chrono_store_get_events_at_place (store, chrono_place_get_id (place), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (at_sidon->len, ==, 0);

  /* geowkt wins over the bad lon: the polygon's centroid, and the polygon */
  place = find_place (places, "Dead Sea");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place), 31.45, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (place), 35.5, 1e-9);
  g_assert_nonnull (strstr (chrono_place_get_geometry (place), "\"Polygon\""));

  events = get_events (store);
  g_assert_cmpuint (events->len, ==, 4);

  /* A start alone: from then on */
  event = find_event (events, "Tyre");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "-2750");
  g_assert_cmpstr (chrono_event_get_end (event), ==, "..");
  g_assert_cmpint (chrono_event_get_start_lo (event), ==, YMD (-2750, 1, 1));
  g_assert_cmpint (chrono_event_get_end_hi (event), ==, CHRONO_DAY_POSITIVE_INFINITY);
  g_assert_cmpstr (chrono_event_get_summary (event), ==, "Phoenician port city");

  /* A range start: one year within it */
  event = find_event (events, "Jericho");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "[-9600..-9000]");
  assert_days (event, YMD (-9600, 1, 1), YMD (-9000, 12, 31), YMD (-1550, 1, 1), YMD (-1550, 12, 31));

  event = find_event (events, "Byblos");
  assert_days (event, YMD (-5000, 1, 1), YMD (-5000, 12, 31), YMD (-64, 1, 1), YMD (-64, 12, 31));
}

static void
test_lptsv_ragged (void)
{
  const char *text =
    "id\ttitle\ttitle_source\tlon\tlat\tstart\r\n"
    "a\tA\tS\t10\t20\t1900\r\n"
    "b\tB\r\n"
    "c\tC\tS\t10\r\n"
    "d\tD\tS\tNaN\t20\t1900\r\n"
    "e\tE\tS\t10\t91\t1900\r\n"
    "f\tF\tS\t10\t20\t19o0\r\n";
  g_autoptr (GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = import_into_new ("ragged.tsv", bytes, "lptsv", &import, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (chrono_import_get_n_places (import), ==, 1);
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, 1);
  assert_problem (import, 3, NULL, "no lon and lat");
  assert_problem (import, 4, NULL, "lat: “”");
  assert_problem (import, 5, NULL, "lon: “NaN”");
  assert_problem (import, 6, NULL, "lat: “91”");
  assert_problem (import, 7, NULL, "start: “19o0”");

  /* No title column: not LP-TSV */
  {
    g_autoptr (GBytes) other = g_bytes_new_static ("id\tname\n1\tA\n", 12);
    g_autoptr (ChronoImport) other_import = NULL;
    g_autoptr (GError) other_error = NULL;
    g_autoptr (ChronoStore) other_store = import_into_new ("x.tsv", other, "lptsv", &other_import, &other_error);

    g_assert_null (other_store);
    g_assert_error (other_error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID);
  }
}

/* The writer */

static char *
write_to_text (ChronoStore *store,
               const char  *lang)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;

  g_assert_true (chrono_export_format_lpf.write (store, lang, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* A place's names as "lang:name" lines, sorted, to compare */
static char *
names_key (ChronoPlace *place)
{
  GPtrArray *names = chrono_place_get_names (place);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < names->len; i++)
    {
      const ChronoPlaceName *name = g_ptr_array_index (names, i);

      g_ptr_array_add (lines, g_strdup_printf ("%s:%s", name->lang, name->name));
    }
  g_ptr_array_sort (lines, compare_strings);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

/* The line of the LPF writer's text that holds the name @toponym */
static char *
name_line (const char *text,
           const char *toponym)
{
  g_autofree char *needle = g_strdup_printf ("{\"toponym\": \"%s\"", toponym);
  const char *start = strstr (text, needle);

  if (start == NULL)
    g_error ("no name “%s” written", toponym);
  return g_strndup (start, strcspn (start, "\n"));
}

static void
test_round_trip (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("CHRONO_SOURCE_ROOT"), "data", "datasets",
                                            "karabakh-peacekeeping.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GBytes) json = g_file_load_bytes (file, NULL, NULL, NULL);
  g_autoptr (ChronoStore) original = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoStore) back = NULL;
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GPtrArray) places_back = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GPtrArray) events_back = NULL;
  g_autoptr (GHashTable) by_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GBytes) lpf = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  guint n_placed = 0;
  ChronoPlace *stepanakert;

  g_assert_nonnull (json);
  g_assert_true (chrono_dataset_import_bytes (original, json, "karabakh-peacekeeping.json", &error));
  g_assert_no_error (error);

  text = write_to_text (original, "en");
  /* It is JSON, with the Linked Places context */
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "linkedplaces-context-v1.1.jsonld"));

  lpf = g_bytes_new (text, strlen (text));
  g_assert_true (chrono_import_detect ("karabakh.jsonld", lpf) == chrono_import_find_format ("lpf"));
  back = import_into_new ("karabakh.jsonld", lpf, NULL, &import, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chrono_import_get_n_skipped (import), ==, 0);

  places = get_places (original);
  places_back = get_places (back);
  g_assert_cmpuint (places_back->len, ==, places->len);
  g_assert_cmpuint (places->len, ==, 26);

  /* Every place, with all its names in their languages, at the same point */
  for (guint i = 0; i < places_back->len; i++)
    g_hash_table_insert (by_names, names_key (g_ptr_array_index (places_back, i)), g_ptr_array_index (places_back, i));
  for (guint i = 0; i < places->len; i++)
    {
      ChronoPlace *place = g_ptr_array_index (places, i);
      g_autofree char *key = names_key (place);
      ChronoPlace *found = g_hash_table_lookup (by_names, key);

      if (found == NULL)
        g_error ("%s did not come back with its names:\n%s", chrono_place_get_id (place), key);
      g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (found), chrono_place_get_lat (place), 1e-6);
      g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (found), chrono_place_get_lon (place), 1e-6);
      g_assert_cmpstr (chrono_place_get_kind (found), ==, chrono_place_get_kind (place));
      g_assert_cmpstr (chrono_place_get_geometry (found) != NULL ? "shape" : "point", ==,
                       chrono_place_get_geometry (place) != NULL ? "shape" : "point");
    }

  stepanakert = find_place (places_back, "Stepanakert");
  assert_name (stepanakert, "Xankəndi", "az");
  assert_name (stepanakert, "Ստեփանակերտ", "hy");
  assert_name (stepanakert, "Степанакерт", "ru");
  assert_name (stepanakert, "Khankendi", "en");
  /* Its names before 1923 and in Azerbaijani use from 1991 are there too */
  g_assert_cmpuint (chrono_place_get_names (stepanakert)->len, ==, 9);
  {
    g_autofree char *line = name_line (text, "Khankendi");

    g_assert_nonnull (strstr (line, "\"when\": {\"timespans\": [{\"start\": {\"in\": \"..\"}, \"end\": {\"in\": \"1922\"}}]}"));
  }

  /* Every event with a place comes back once, at the same places, on the same days */
  events = get_events (original);
  events_back = get_events (back);
  for (guint i = 0; i < events->len; i++)
    {
      ChronoEvent *event = g_ptr_array_index (events, i);
      GPtrArray *event_places = chrono_event_get_places (event);
      ChronoEvent *found;
      GPtrArray *found_places;

      if (event_places->len == 0)
        continue;
      n_placed++;

      found = find_event (events_back, chrono_event_get_title (event));
      g_test_message ("%s", chrono_event_get_title (event));
      assert_days (found, chrono_event_get_start_lo (event), chrono_event_get_start_hi (event),
                   chrono_event_get_end_lo (event), chrono_event_get_end_hi (event));

      found_places = chrono_event_get_places (found);
      g_assert_cmpuint (found_places->len, ==, event_places->len);
      for (guint j = 0; j < event_places->len; j++)
        {
          g_autofree char *key = names_key (g_ptr_array_index (event_places, j));
          gboolean there = FALSE;

          for (guint k = 0; k < found_places->len; k++)
            {
              g_autofree char *other = names_key (g_ptr_array_index (found_places, k));

              there |= g_str_equal (key, other);
            }
          g_assert_true (there);
        }
    }
  g_assert_cmpuint (n_placed, >, 0);
  g_assert_cmpuint (events_back->len, ==, n_placed);
}

/* Dates that are not plain ISO, an open end, and an event without a place */
static void
test_writer_dates (void)
{
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (ChronoStore) back = NULL;
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func ((GDestroyNotify) chrono_place_name_free);
  g_autoptr (ChronoPlace) place = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autofree char *text = NULL;
  ChronoEvent *event;

  g_ptr_array_add (names, chrono_place_name_new ("en", "Shusha", "common"));
  g_ptr_array_add (names, chrono_place_name_new ("az", "Şuşa", "official"));
  /* Names' own "when": an interval's ends, an uncertain year, a month */
  g_ptr_array_add (names, chrono_place_name_new_full ("hy", "Շուշի", "local", "1923?/1991-11"));
  g_ptr_array_add (names, chrono_place_name_new_full ("ru", "Шуша", "common", "1992-05"));
  place = g_object_new (CHRONO_TYPE_PLACE, "id", "shusha", "kind", "town", "lat", 39.7583, "lon", 46.7483,
                        "names", names, NULL);
  g_assert_true (chrono_store_begin (store, &error));
  g_assert_true (chrono_store_add_place (store, place, &error));
  /* 199X: some year of the 1990s; from then on */
  g_assert_true (chrono_store_add_event (store, "decade", "199X", "..", YMD (1990, 1, 1), YMD (1999, 12, 31),
                                         YMD (1999, 12, 31), CHRONO_DAY_POSITIVE_INFINITY, NULL, 2, NULL, NULL, &error));
  g_assert_true (chrono_store_add_event_text (store, "decade", "en", "A decade", NULL, &error));
  g_assert_true (chrono_store_add_event_place (store, "decade", "shusha", "location", 0, &error));
  g_assert_true (chrono_store_add_event (store, "nowhere", "2020-11-10", NULL, YMD (2020, 11, 10), YMD (2020, 11, 10),
                                         YMD (2020, 11, 10), YMD (2020, 11, 10), NULL, 2, NULL, NULL, &error));
  g_assert_true (chrono_store_add_event_text (store, "nowhere", "en", "Placeless", NULL, &error));
  g_assert_true (chrono_store_commit (store, &error));
  g_assert_no_error (error);

  text = write_to_text (store, "en");
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "\"@id\": \"#shusha\""));
  g_assert_nonnull (strstr (text, "\"@id\": \"#event/decade\""));
  g_assert_nonnull (strstr (text, "\"start\": {\"earliest\": \"1990-01-01\", \"latest\": \"1999-12-31\"}"));
  g_assert_nonnull (strstr (text, "\"end\": {\"in\": \"..\"}"));
  g_assert_nonnull (strstr (text, "{\"toponym\": \"Şuşa\", \"lang\": \"az\""));
  g_assert_nonnull (strstr (text, "\"sourceLabels\": [{\"label\": \"town\""));
  {
    g_autofree char *hy = name_line (text, "Շուշի");
    g_autofree char *ru = name_line (text, "Шуша");
    g_autofree char *az = name_line (text, "Şuşa");

    g_assert_nonnull (strstr (hy, "\"when\": {\"timespans\": [{\"start\": {\"in\": \"1923?\"}, "
                                  "\"end\": {\"in\": \"1991-11\"}}]}"));
    g_assert_nonnull (strstr (ru, "\"when\": {\"timespans\": [{\"start\": {\"in\": \"1992-05\"}}]}"));
    /* An undated name has no "when" */
    g_assert_null (strstr (az, "\"when\""));
  }
  /* Linked Places has no room for an event without a place */
  g_assert_null (strstr (text, "Placeless"));

  bytes = g_bytes_new (text, strlen (text));
  back = import_into_new ("shusha.jsonld", bytes, "lpf", &import, &error);
  g_assert_no_error (error);
  events = get_events (back);
  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpstr (chrono_event_get_title (event), ==, "A decade");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "[1990-01-01..1999-12-31]");
  g_assert_cmpstr (chrono_event_get_end (event), ==, "..");
  assert_days (event, YMD (1990, 1, 1), YMD (1999, 12, 31), YMD (1999, 12, 31), CHRONO_DAY_POSITIVE_INFINITY);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import-lpf/lpf/places", test_lpf_places);
  g_test_add_func ("/import-lpf/lpf/timespans", test_lpf_timespans);
  g_test_add_func ("/import-lpf/lpf/wrong-types", test_lpf_wrong_types);
  g_test_add_func ("/import-lpf/lpf/hardening", test_lpf_hardening);
  g_test_add_func ("/import-lpf/lpf/cancel", test_lpf_cancel);
  g_test_add_func ("/import-lpf/detect", test_detect);
  g_test_add_func ("/import-lpf/lptsv/places", test_lptsv);
  g_test_add_func ("/import-lpf/lptsv/ragged", test_lptsv_ragged);
  g_test_add_func ("/import-lpf/export/round-trip", test_round_trip);
  g_test_add_func ("/import-lpf/export/dates", test_writer_dates);

  return g_test_run ();
}
