/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-dataset"

#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "chrono-claim.h"
#include "chrono-dataset.h"
#include "chrono-date.h"
#include "chrono-export.h"
#include "chrono-store.h"
#include "chrono-time-index.h"
#include "chrono-tour-step.h"

/*
 * Loading dataset JSON (tests/data/datasets/) into stores, the errors bad
 * files give, and the bundled dataset's first run and refresh. Each test has
 * its own XDG directories (G_TEST_OPTION_ISOLATE_DIRS).
 */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)

static char *
data_path (const char *name)
{
  return g_build_filename (TEST_DATA_DIR, "datasets", name, NULL);
}

static char *
temp_path (const char *name)
{
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  return g_build_filename (g_get_user_cache_dir (), name, NULL);
}

static GBytes *
load_data (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr (GError) error = NULL;
  char *contents;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
import_data_file (ChronoStore *store,
                  const char  *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;

  g_assert_true (chrono_dataset_import_file (store, file, &error));
  g_assert_no_error (error);
}

static ChronoStore *
store_with (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);

  g_assert_no_error (error);
  import_data_file (store, name);
  return g_steal_pointer (&store);
}

static ChronoEvent *
get_event (ChronoStore *store,
           const char  *id,
           const char  *lang)
{
  g_autoptr (GError) error = NULL;
  ChronoEvent *event = chrono_store_get_event_by_id (store, id, lang, &error);

  g_assert_no_error (error);
  g_assert_true (CHRONO_IS_EVENT (event));
  return event;
}

static void
assert_meta (ChronoStore *store,
             const char  *key,
             const char  *expected)
{
  g_autofree char *value = chrono_store_dup_meta (store, key);

  g_assert_cmpstr (value, ==, expected);
}

static ChronoDay
day (int year,
     int month,
     int day_of_month)
{
  return chrono_day_from_ymd (year, month, day_of_month);
}

static void
edtf_range (const char *text,
            ChronoDay  *earliest,
            ChronoDay  *latest)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoEdtf) edtf = chrono_edtf_parse (text, &error);

  g_assert_no_error (error);
  *earliest = chrono_edtf_get_earliest (edtf);
  *latest = chrono_edtf_get_latest (edtf);
}

static void
test_import_meta_and_sources (void)
{
  g_autoptr (ChronoStore) store = store_with ("good.json");
  g_autoptr (GBytes) json = load_data ("good.json");
  g_autofree char *checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, json);
  g_autoptr (GPtrArray) sources = NULL;
  g_autoptr (GError) error = NULL;
  ChronoStoreCounts counts;
  ChronoSource *source;

  g_assert_true (chrono_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.sources, ==, 3);
  g_assert_cmpuint (counts.places, ==, 4);
  g_assert_cmpuint (counts.events, ==, 4);
  g_assert_cmpuint (counts.excerpts, ==, 6);
  g_assert_cmpuint (counts.claims, ==, 7);

  assert_meta (store, "format-version", "1");
  assert_meta (store, "dataset-id", "store-test");
  assert_meta (store, "title:en", "Store test");
  assert_meta (store, "title:fr", "Test du stockage");
  assert_meta (store, "description:fr", "Un petit jeu de données qui utilise chaque champ.");
  assert_meta (store, "license", "CC0-1.0");
  assert_meta (store, "imported-from", "good.json");
  assert_meta (store, "checksum", checksum);

  sources = chrono_store_get_sources (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, 3);

  source = g_ptr_array_index (sources, 0);
  g_assert_cmpstr (chrono_source_get_id (source), ==, "src-lib");
  g_assert_cmpstr (chrono_source_get_title (source), ==, "Article in French");
  g_assert_cmpstr (chrono_source_get_outlet (source), ==, "Libération");
  g_assert_null (chrono_source_get_author (source));
  g_assert_cmpstr (chrono_source_get_published (source), ==, "2024-04-17");
  g_assert_cmpstr (chrono_source_get_language (source), ==, "fr");
  g_assert_null (chrono_source_get_url (source));
  g_assert_null (chrono_source_get_retrieved (source));
  g_assert_cmpstr (chrono_source_get_document (source), ==, "003_test.txt");
  g_assert_cmpstr (chrono_source_get_note (source), ==, "An invented article.");

  source = g_ptr_array_index (sources, 1);
  g_assert_cmpstr (chrono_source_get_id (source), ==, "src-tass");
  g_assert_cmpstr (chrono_source_get_author (source), ==, "A. Writer");
  g_assert_cmpstr (chrono_source_get_url (source), ==, "https://example.org/tass");
  g_assert_cmpstr (chrono_source_get_retrieved (source), ==, "2024-05-01");
  g_assert_null (chrono_source_get_document (source));
  g_assert_null (chrono_source_get_note (source));

  source = g_ptr_array_index (sources, 2);
  g_assert_cmpstr (chrono_source_get_id (source), ==, "src-wiki-en");
  g_assert_null (chrono_source_get_published (source));
  g_assert_null (chrono_source_get_outlet (source));
}

static void
test_import_places (void)
{
  g_autoptr (ChronoStore) store = store_with ("good.json");
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) geometry = NULL;
  ChronoPlace *place;
  const ChronoPlaceName *name;
  JsonArray *coordinates;

  places = chrono_store_get_places (store, "fr", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (places->len, ==, 4);

  place = g_ptr_array_index (places, 0);
  g_assert_cmpstr (chrono_place_get_id (place), ==, "stepanakert");
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "city");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place), 39.8153, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (place), 46.7517, 1e-9);
  g_assert_null (chrono_place_get_geometry (place));
  g_assert_cmpstr (chrono_place_get_note (place), ==, "Capital of the region.");
  g_assert_cmpuint (chrono_place_get_names (place)->len, ==, 5);
  name = g_ptr_array_index (chrono_place_get_names (place), 2);
  g_assert_cmpstr (name->lang, ==, "az");
  g_assert_cmpstr (name->name, ==, "Xankəndi");
  g_assert_cmpstr (name->usage, ==, "official");
  g_assert_cmpstr (chrono_place_get_name_for (place, "hy"), ==, "Ստեփանակերտ");
  g_assert_cmpstr (chrono_place_get_name_for (place, "ru"), ==, "Степанакерт");

  place = g_ptr_array_index (places, 1);
  g_assert_cmpstr (chrono_place_get_id (place), ==, "lachin");
  g_assert_cmpstr (chrono_place_get_name (place), ==, "Latchine");
  g_assert_null (chrono_place_get_note (place));
  name = g_ptr_array_index (chrono_place_get_names (place), 3);
  g_assert_cmpstr (name->lang, ==, "hy-Latn");
  g_assert_cmpstr (name->name, ==, "Berdzor");
  g_assert_cmpstr (name->usage, ==, "variant");

  place = g_ptr_array_index (places, 2);
  g_assert_cmpstr (chrono_place_get_id (place), ==, "lachin-corridor");
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "route");
  g_assert_cmpstr (chrono_place_get_name (place), ==, "corridor de Latchine");
  geometry = json_from_string (chrono_place_get_geometry (place), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (geometry), "type"), ==, "LineString");
  coordinates = json_object_get_array_member (json_node_get_object (geometry), "coordinates");
  g_assert_cmpuint (json_array_get_length (coordinates), ==, 3);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (json_array_get_array_element (coordinates, 2), 1),
                                  39.8153, 1e-9);

  place = g_ptr_array_index (places, 3);
  g_assert_cmpstr (chrono_place_get_name (place), ==, "Moscou");
}

static void
test_import_events (void)
{
  g_autoptr (ChronoStore) store = store_with ("good.json");
  g_autoptr (ChronoEvent) event = NULL;
  ChronoExcerpt *excerpt;
  ChronoClaim *claim;
  ChronoPlace *place;
  GPtrArray *claims;
  ChronoDay lo, hi;

  /* One of two days, no end: ends as it starts. */
  event = get_event (store, "trilateral-statement", "fr");
  g_assert_cmpstr (chrono_event_get_lang (event), ==, "fr");
  g_assert_cmpstr (chrono_event_get_title (event), ==, "Déclaration trilatérale");
  g_assert_cmpstr (chrono_event_get_summary (event), ==, "Un cessez-le-feu est signé.");
  g_assert_cmpstr (chrono_event_get_start (event), ==, "[2020-11-09,2020-11-10]");
  g_assert_null (chrono_event_get_end (event));
  g_assert_cmpint (chrono_event_get_start_lo (event), ==, day (2020, 11, 9));
  g_assert_cmpint (chrono_event_get_start_hi (event), ==, day (2020, 11, 10));
  g_assert_cmpint (chrono_event_get_end_lo (event), ==, day (2020, 11, 9));
  g_assert_cmpint (chrono_event_get_end_hi (event), ==, day (2020, 11, 10));
  g_assert_cmpstr (chrono_event_get_category (event), ==, "diplomatic");
  g_assert_cmpint (chrono_event_get_importance (event), ==, 3);
  g_assert_cmpstr (chrono_event_get_note (event), ==, "Signed near midnight, so sources give either day.");

  g_assert_cmpuint (chrono_event_get_places (event)->len, ==, 1);
  place = g_ptr_array_index (chrono_event_get_places (event), 0);
  g_assert_cmpstr (chrono_place_get_id (place), ==, "moscow");
  g_assert_cmpstr (chrono_place_get_name (place), ==, "Moscou");
  g_assert_cmpstr (chrono_event_get_place_role (event, 0), ==, "signed");

  g_assert_cmpuint (chrono_event_get_excerpts (event)->len, ==, 2);
  excerpt = g_ptr_array_index (chrono_event_get_excerpts (event), 0);
  g_assert_cmpstr (chrono_excerpt_get_id (excerpt), ==, "ex-statement-fr");
  g_assert_cmpstr (chrono_excerpt_get_lang (excerpt), ==, "fr");
  g_assert_cmpstr (chrono_excerpt_get_quote (excerpt), ==, "la déclaration du 9 novembre");
  g_assert_cmpint (chrono_excerpt_get_offset (excerpt), ==, -1);
  g_assert_cmpint (chrono_excerpt_get_length (excerpt), ==, -1);
  g_assert_cmpstr (chrono_source_get_outlet (chrono_excerpt_get_source (excerpt)), ==, "Libération");
  excerpt = g_ptr_array_index (chrono_event_get_excerpts (event), 1);
  g_assert_cmpstr (chrono_excerpt_get_id (excerpt), ==, "ex-statement-ru");
  g_assert_cmpint (chrono_excerpt_get_offset (excerpt), ==, 120);
  g_assert_cmpint (chrono_excerpt_get_length (excerpt), ==, 22);
  g_assert_cmpstr (chrono_source_get_id (chrono_excerpt_get_source (excerpt)), ==, "src-tass");

  claims = chrono_event_get_claims (event);
  g_assert_cmpuint (claims->len, ==, 2);
  claim = g_ptr_array_index (claims, 1);
  g_assert_cmpstr (chrono_claim_get_id (claim), ==, "cl-statement-date-ru");
  g_assert_cmpstr (chrono_claim_get_key (claim), ==, "date");
  g_assert_cmpstr (chrono_claim_get_value (claim), ==, "2020-11-10");
  g_assert_true (chrono_claim_get_excerpt (claim) == excerpt);
  g_assert_cmpstr (chrono_source_get_id (chrono_claim_get_source (claim)), ==, "src-tass");
  g_clear_object (&event);

  /* Two places with roles; claims given as JSON numbers read back as text. */
  event = get_event (store, "deployment", "en");
  g_assert_cmpstr (chrono_event_get_title (event), ==, "Peacekeepers deployed");
  g_assert_cmpstr (chrono_event_get_end (event), ==, "2024-06-12");
  g_assert_cmpint (chrono_event_get_start_lo (event), ==, day (2020, 11, 10));
  g_assert_cmpint (chrono_event_get_start_hi (event), ==, day (2020, 11, 10));
  g_assert_cmpint (chrono_event_get_end_lo (event), ==, day (2024, 6, 12));
  g_assert_cmpint (chrono_event_get_end_hi (event), ==, day (2024, 6, 12));
  g_assert_null (chrono_event_get_note (event));
  g_assert_cmpuint (chrono_event_get_places (event)->len, ==, 2);
  g_assert_cmpstr (chrono_place_get_name (g_ptr_array_index (chrono_event_get_places (event), 1)), ==,
                   "Lachin corridor");
  g_assert_cmpstr (chrono_event_get_place_role (event, 0), ==, "location");
  g_assert_cmpstr (chrono_event_get_place_role (event, 1), ==, "route");
  claims = chrono_event_get_claims (event);
  g_assert_cmpuint (claims->len, ==, 5);
  g_assert_cmpstr (chrono_claim_get_value (g_ptr_array_index (claims, 0)), ==, "1960");
  g_assert_cmpstr (chrono_claim_get_value (g_ptr_array_index (claims, 3)), ==, "90");
  g_assert_cmpstr (chrono_claim_get_value (g_ptr_array_index (claims, 4)), ==, "12.5");
  g_clear_object (&event);

  /* English text only: French readers get English. The end is a season. */
  event = get_event (store, "withdrawal", "fr");
  g_assert_cmpstr (chrono_event_get_lang (event), ==, "en");
  g_assert_cmpstr (chrono_event_get_title (event), ==, "Withdrawal begins");
  g_assert_cmpuint (chrono_event_get_claims (event)->len, ==, 0);
  edtf_range ("2024-21", &lo, &hi);
  g_assert_cmpint (chrono_event_get_end_lo (event), ==, lo);
  g_assert_cmpint (chrono_event_get_end_hi (event), ==, hi);
  g_assert_cmpint (chrono_event_get_end_lo (event), <, chrono_event_get_end_hi (event));
}

/* "end": ".." is an open end: in effect to the end of the timeline. */
static void
test_import_open_end (void)
{
  g_autoptr (GBytes) tiny = load_data ("tiny.json");
  g_autoptr (GString) text = g_string_new_len (g_bytes_get_data (tiny, NULL), g_bytes_get_size (tiny));
  g_autoptr (GBytes) json = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  g_autoptr (ChronoEvent) event = NULL;
  g_autoptr (GArray) spans = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_string_replace (text, "\"2021-04\", \"end\": null", "\"2021-04\", \"end\": \"..\"", 0), ==, 1);
  json = g_bytes_new (text->str, text->len);
  g_assert_true (chrono_dataset_import_bytes (store, json, "tiny.json", &error));
  g_assert_no_error (error);

  event = get_event (store, "e2", "en");
  g_assert_cmpstr (chrono_event_get_end (event), ==, "..");
  g_assert_cmpint (chrono_event_get_start_lo (event), ==, day (2021, 4, 1));
  g_assert_cmpint (chrono_event_get_end_lo (event), ==, day (2021, 4, 30));
  g_assert_cmpint (chrono_event_get_end_hi (event), ==, CHRONO_DAY_POSITIVE_INFINITY);

  spans = chrono_store_get_spans (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spans->len, ==, 2);
  g_assert_cmpint (g_array_index (spans, ChronoSpan, 1).hi, ==, CHRONO_DAY_POSITIVE_INFINITY);
}

static void
test_disagreements (void)
{
  g_autoptr (ChronoStore) store = store_with ("good.json");
  g_autoptr (ChronoEvent) event = NULL;
  g_autoptr (GPtrArray) groups = NULL;
  GPtrArray *group;

  /* troops: 1960 vs 2000 disagree; armoured-vehicles: 90 and 90 agree; one distance. */
  event = get_event (store, "deployment", "en");
  groups = chrono_event_get_disagreements (event);
  g_assert_cmpuint (groups->len, ==, 1);
  group = g_ptr_array_index (groups, 0);
  g_assert_cmpuint (group->len, ==, 2);
  g_assert_cmpstr (chrono_claim_get_key (g_ptr_array_index (group, 0)), ==, "troops");
  g_assert_cmpstr (chrono_claim_get_value (g_ptr_array_index (group, 0)), ==, "1960");
  g_assert_cmpstr (chrono_claim_get_value (g_ptr_array_index (group, 1)), ==, "2000");
  g_assert_cmpstr (chrono_source_get_id (chrono_claim_get_source (g_ptr_array_index (group, 0))), ==, "src-lib");
  g_assert_cmpstr (chrono_source_get_id (chrono_claim_get_source (g_ptr_array_index (group, 1))), ==, "src-wiki-en");
  g_clear_pointer (&groups, g_ptr_array_unref);
  g_clear_object (&event);

  event = get_event (store, "trilateral-statement", "en");
  groups = chrono_event_get_disagreements (event);
  g_assert_cmpuint (groups->len, ==, 1);
  group = g_ptr_array_index (groups, 0);
  g_assert_cmpstr (chrono_claim_get_key (g_ptr_array_index (group, 0)), ==, "date");
  g_clear_pointer (&groups, g_ptr_array_unref);
  g_clear_object (&event);

  event = get_event (store, "lachin-blockade", "en");
  groups = chrono_event_get_disagreements (event);
  g_assert_cmpuint (groups->len, ==, 0);
}

/* The spans are the events' extents, and the time index answers with them. */
static void
test_spans_match_events (void)
{
  g_autoptr (ChronoStore) store = store_with ("good.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) spans = chrono_store_get_spans (store, &error);
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_no_error (error);
  g_assert_cmpuint (spans->len, ==, 4);

  for (guint i = 0; i < spans->len; i++)
    g_array_append_val (rowids, g_array_index (spans, ChronoSpan, i).id);

  events = chrono_store_get_events (store, (const gint64 *) (gpointer) rowids->data, rowids->len, "en", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, spans->len);

  for (guint i = 0; i < spans->len; i++)
    {
      const ChronoSpan *span = &g_array_index (spans, ChronoSpan, i);
      ChronoEvent *event = g_ptr_array_index (events, i);

      g_assert_cmpint (chrono_event_get_rowid (event), ==, span->id);
      g_assert_cmpint (chrono_event_get_start_lo (event), ==, span->lo);
      g_assert_cmpint (chrono_event_get_end_hi (event), ==, span->hi);
      g_assert_true (g_hash_table_add (seen, (gpointer) chrono_event_get_id (event)));
      if (i > 0)
        g_assert_cmpint (g_array_index (spans, ChronoSpan, i - 1).lo, <=, span->lo);
    }

  /* Batches share places between events. */
  {
    ChronoEvent *deployment = NULL, *withdrawal = NULL;

    for (guint i = 0; i < events->len; i++)
      {
        ChronoEvent *event = g_ptr_array_index (events, i);

        if (g_str_equal (chrono_event_get_id (event), "deployment"))
          deployment = event;
        else if (g_str_equal (chrono_event_get_id (event), "withdrawal"))
          withdrawal = event;
      }
    g_assert_nonnull (deployment);
    g_assert_nonnull (withdrawal);
    g_assert_true (g_ptr_array_index (chrono_event_get_places (deployment), 0) ==
                   g_ptr_array_index (chrono_event_get_places (withdrawal), 0));
  }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The ids of the events that match @text, best first, or sorted by id. */
static char *
search_ids (ChronoStore *store,
            const char  *text,
            gboolean     sorted)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) hits = chrono_store_search (store, text, &error);
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();

  g_assert_no_error (error);
  events = chrono_store_get_events (store, (const gint64 *) (gpointer) hits->data, hits->len, "en", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (ids, (gpointer) chrono_event_get_id (g_ptr_array_index (events, i)));
  if (sorted)
    g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);

  return g_strjoinv (",", (char **) ids->pdata);
}

static void
test_search (void)
{
  g_autoptr (ChronoStore) store = store_with ("good.json");
  struct {
    const char *text;
    const char *ids;
  } cases[] = {
    /* Place names in every language find the events at the place (ids sorted). */
    { "Xankəndi", "deployment,withdrawal" },
    { "xankə", "deployment,withdrawal" },               /* prefix */
    { "Ստեփանակերտ", "deployment,withdrawal" },         /* Armenian */
    { "Степанакерт", "deployment,withdrawal" },         /* Russian */
    { "Berdzor", "lachin-blockade" },
    { "Բերձոր", "lachin-blockade" },
    { "Москва", "trilateral-statement" },
    { "Moscou", "trilateral-statement" },
    { "LATCHINE", "deployment,lachin-blockade" },       /* the town and the corridor */
    /* Titles and summaries in any language. */
    { "blocus", "lachin-blockade" },
    { "Déclaration", "trilateral-statement" },
    { "declaration trilat", "trilateral-statement" },   /* no accents, prefix of the last word */
    { "cessez-le-feu", "trilateral-statement" },
    { "withdrawal", "withdrawal" },
    /* Quotes. */
    { "blindés", "deployment" },
    { "заявление", "trilateral-statement" },
    { "mountains", "lachin-blockade" },
    /* Every word must match. */
    { "blockade corridor", "lachin-blockade" },
    { "blockade moscow", "" },
    { "nothing-like-this", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ids = search_ids (store, cases[i].text, TRUE);

      g_test_message ("search '%s'", cases[i].text);
      g_assert_cmpstr (ids, ==, cases[i].ids);
    }
}

/* A title match outranks a match in a quote. */
static void
test_search_ranking (void)
{
  g_autoptr (ChronoStore) store = store_with ("good.json");
  g_autofree char *ids = NULL;

  /* "corridor": the title of the blockade; a place name of the deployment. */
  ids = search_ids (store, "corridor", FALSE);
  g_assert_cmpstr (ids, ==, "lachin-blockade,deployment");
}

typedef struct
{
  const char *file;
  int         code;
  const char *expected[3];
} BadFile;

static void
assert_import_fails (GBytes             *json,
                     const char         *display_name,
                     int                 code,
                     const char * const *expected)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  ChronoStoreCounts counts;

  g_assert_no_error (error);
  g_assert_false (chrono_dataset_import_bytes (store, json, display_name, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, CHRONO_DATASET_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, display_name));
  for (guint i = 0; i < 3 && expected[i] != NULL; i++)
    {
      if (strstr (error->message, expected[i]) == NULL)
        g_error ("'%s' does not say '%s'", error->message, expected[i]);
    }

  /* Nothing of it was left behind. */
  g_clear_error (&error);
  g_assert_true (chrono_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.events + counts.places + counts.sources, ==, 0);
}

static void
test_bad_files (void)
{
  static const BadFile cases[] = {
    { "bad-syntax.json", CHRONO_DATASET_ERROR_SYNTAX, { "bad-syntax.json:10:" } },
    { "bad-date.json", CHRONO_DATASET_ERROR_INVALID,
      { "bad-date.json: events[0] ('e1'): start: ", "2023-02-30", "February 2023 has 28 days" } },
    { "bad-place-ref.json", CHRONO_DATASET_ERROR_INVALID,
      { "events[0] ('e1'): places[0]: place: ", "unknown place 'nowhere'" } },
    { "bad-duplicate-id.json", CHRONO_DATASET_ERROR_INVALID,
      { "events[1]: id: ", "duplicate id 'e1'", "events[0] ('e1')" } },
    { "bad-missing-field.json", CHRONO_DATASET_ERROR_INVALID,
      { "events[1] ('e2'): ", "'start' is missing" } },
    { "bad-wrong-type.json", CHRONO_DATASET_ERROR_INVALID,
      { "events[0] ('e1'): importance: ", "expected a whole number, found a string" } },
    { "bad-lat.json", CHRONO_DATASET_ERROR_INVALID,
      { "places[0] ('p1'): lat: ", "95 is out of range" } },
    { "bad-claim-excerpt.json", CHRONO_DATASET_ERROR_INVALID,
      { "events[0] ('e1'): claims[0] ('c1'): excerpt: ", "'x2' is an excerpt of event 'e2'" } },
    { "bad-format.json", CHRONO_DATASET_ERROR_INVALID,
      { "format: ", "expected 'chronotope-dataset', found 'geojson'" } },
    { "bad-version.json", CHRONO_DATASET_ERROR_NEWER_VERSION,
      { "version: ", "format version 2", "up to 1" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) json = load_data (cases[i].file);

      g_test_message ("%s", cases[i].file);
      assert_import_fails (json, cases[i].file, cases[i].code, cases[i].expected);
    }
}

/* The same through a GFile: the message names the file by its base name. */
static void
test_bad_file_through_gfile (void)
{
  g_autofree char *path = data_path ("bad-lat.json");
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);

  g_assert_no_error (error);
  g_assert_false (chrono_dataset_import_file (store, file, &error));
  g_assert_error (error, CHRONO_DATASET_ERROR, CHRONO_DATASET_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "bad-lat.json: places[0] ('p1'): lat: 95 is out of range (-90 to 90)");
  g_clear_error (&error);

  g_clear_object (&file);
  file = g_file_new_for_path ("/nonexistent/dataset.json");
  g_assert_false (chrono_dataset_import_file (store, file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* What imported datasets bring, written back as dataset JSON, loads: their
 * own categories, events without excerpts, sources dated in free text, places
 * named in one language, and texts in their own language only. */
static void
test_imported_variants (void)
{
  static const struct {
    const char *find;
    const char *replace;
  } cases[] = {
    { "\"published\": \"2021-03-04\"", "\"published\": \"spring, maybe\"" },
    { "\"lang\": \"en\", \"name\": \"Place one\"", "\"lang\": \"fr\", \"name\": \"Place one\"" },
    { "\"category\": \"military\"", "\"category\": \"Early life\"" },
    { "\"excerpts\": [ { \"id\": \"x2\", \"source\": \"s1\", \"lang\": \"en\", \"quote\": \"two\" } ]",
      "\"excerpts\": []" },
  };
  g_autoptr (GBytes) tiny = load_data ("tiny.json");
  const char *text = g_bytes_get_data (tiny, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *found = strstr (text, cases[i].find);
      g_autoptr (GString) variant = g_string_new_len (text, g_bytes_get_size (tiny));
      g_autoptr (GBytes) json = NULL;
      g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
      g_autoptr (GError) error = NULL;
      ChronoStoreCounts counts = { 0 };

      g_test_message ("%s -> %s", cases[i].find, cases[i].replace);
      g_assert_nonnull (found);
      g_string_erase (variant, found - text, strlen (cases[i].find));
      g_string_insert (variant, found - text, cases[i].replace);
      json = g_string_free_to_bytes (g_steal_pointer (&variant));

      g_assert_true (chrono_dataset_import_bytes (store, json, "tiny.json", &error));
      g_assert_no_error (error);
      g_assert_true (chrono_store_get_counts (store, &counts, NULL));
      g_assert_cmpuint (counts.events, ==, 2);
    }

  /* Texts in the dataset's first language, which need not be English */
  {
    g_autoptr (GString) variant = g_string_new_len (text, g_bytes_get_size (tiny));
    g_autoptr (GBytes) json = NULL;
    g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
    g_autoptr (GError) error = NULL;

    g_string_replace (variant, "\"en\"", "\"und\"", 0);
    g_string_replace (variant, "\"format\": \"chronotope-dataset\",", "\"format\": \"chronotope-dataset\", \"languages\": [\"und\"],", 1);
    json = g_string_free_to_bytes (g_steal_pointer (&variant));
    g_assert_true (chrono_dataset_import_bytes (store, json, "tiny.json", &error));
    g_assert_no_error (error);
  }
}

/* tiny.json with one text replaced, and what the error must say. */
static void
test_bad_variants (void)
{
  static const struct {
    const char *find;
    const char *replace;
    int         code;
    const char *expected[3];
  } cases[] = {
    { "\"usage\": \"common\" }", "\"usage\": \"common\", \"when\": \"1923-13\" }", CHRONO_DATASET_ERROR_INVALID,
      { "places[0] ('p1'): names[0]: when: ", "1923-13" } },
    { "\"usage\": \"common\" }", "\"usage\": \"common\", \"when\": 1923 }", CHRONO_DATASET_ERROR_INVALID,
      { "places[0] ('p1'): names[0]: when: ", NULL } },
    { "\"2021-03-05\"", "\"2020-12\"", CHRONO_DATASET_ERROR_INVALID,
      { "events[0] ('e1'): end: ", "'2020-12' ends before the start '2021-03-01' begins" } },
    { "\"2021-03-05\"", "\"2021-13-05\"", CHRONO_DATASET_ERROR_INVALID,
      { "events[0] ('e1'): end: ", "2021-13-05" } },
    { "\"source\": \"s1\", \"lang\": \"en\", \"quote\": \"one\"", "\"source\": \"s9\", \"lang\": \"en\", \"quote\": \"one\"",
      CHRONO_DATASET_ERROR_INVALID,
      { "events[0] ('e1'): excerpts[0] ('x1'): source: ", "unknown source 's9'" } },
    { "\"excerpt\": \"x1\"", "\"excerpt\": \"x7\"", CHRONO_DATASET_ERROR_INVALID,
      { "events[0] ('e1'): claims[0] ('c1'): excerpt: ", "unknown excerpt 'x7'" } },
    { "{ \"id\": \"x2\"", "{ \"id\": \"x1\"", CHRONO_DATASET_ERROR_INVALID,
      { "events[1] ('e2'): excerpts[0]: id: ", "duplicate id 'x1'", "events[0] ('e1'): excerpts[0] ('x1')" } },
    { "\"lon\": 46.7", "\"lon\": 200", CHRONO_DATASET_ERROR_INVALID,
      { "places[0] ('p1'): lon: ", "200 is out of range" } },
    { "\"lat\": 39.8", "\"lat\": \"39.8\"", CHRONO_DATASET_ERROR_INVALID,
      { "places[0] ('p1'): lat: ", "expected a number, found a string" } },
    { "\"kind\": \"town\"", "\"kind\": \"metropolis\"", CHRONO_DATASET_ERROR_INVALID,
      { "places[0] ('p1'): kind: ", "'metropolis' is not one of city, town" } },
    { "\"usage\": \"common\"", "\"usage\": \"usual\"", CHRONO_DATASET_ERROR_INVALID,
      { "places[0] ('p1'): names[0]: usage: ", "'usual' is not one of" } },
    { "\"names\": [", "\"geometry\": { \"type\": \"LineString\", \"coordinates\": [[46.5, 39.6], [46.7, 95.0]] }, \"names\": [",
      CHRONO_DATASET_ERROR_INVALID,
      { "places[0] ('p1'): geometry: coordinates[1]: ", "latitude 95 is out of range" } },
    { "\"names\": [", "\"geometry\": { \"type\": \"Circle\", \"coordinates\": [] }, \"names\": [",
      CHRONO_DATASET_ERROR_INVALID, { "places[0] ('p1'): geometry: type: ", "'Circle'" } },
    { "\"importance\": 2", "\"importance\": 5", CHRONO_DATASET_ERROR_INVALID,
      { "events[0] ('e1'): importance: ", "5 is out of range (1 to 3)" } },
    { "\"importance\": 2", "\"importance\": 2.5", CHRONO_DATASET_ERROR_INVALID,
      { "events[0] ('e1'): importance: ", "expected a whole number" } },
    { "\"role\": \"location\"", "\"role\": \"somewhere\"", CHRONO_DATASET_ERROR_INVALID,
      { "events[0] ('e1'): places[0]: role: ", "'somewhere'" } },
    { "\"key\": \"troops\"", "\"key\": \"soldiers\"", CHRONO_DATASET_ERROR_INVALID,
      { "events[0] ('e1'): claims[0] ('c1'): key: ", "'soldiers' is not one of" } },
    { "\"value\": \"10\"", "\"value\": [10]", CHRONO_DATASET_ERROR_INVALID,
      { "events[0] ('e1'): claims[0] ('c1'): value: ", "expected a string or a number, found an array" } },
    { "\"text\": { \"en\": { \"title\": \"Event two\" } }", "\"text\": { \"fr\": { \"title\": \"Deux\" } }",
      CHRONO_DATASET_ERROR_INVALID, { "events[1] ('e2'): text: ", "no 'en' text" } },
    { "\"title\": \"Event two\"", "\"title\": \"  \"", CHRONO_DATASET_ERROR_INVALID,
      { "events[1] ('e2'): text: en: title: ", "must not be empty" } },
    { "\"title\": \"Event two\"", "\"title\": null", CHRONO_DATASET_ERROR_INVALID,
      { "events[1] ('e2'): text: en: title: ", "must not be null" } },
    { "{ \"id\": \"e2\"", "{ \"id\": \"Event Two\"", CHRONO_DATASET_ERROR_INVALID,
      { "events[1]: id: ", "'Event Two' is not a valid id" } },
    { "\"id\": \"tiny\"", "\"id\": 7", CHRONO_DATASET_ERROR_INVALID,
      { "tiny.json: id: ", "expected a string, found a number" } },
    { "\"title\": { \"en\": \"Tiny\" }", "\"title\": { \"fr\": \"Petit\" }", CHRONO_DATASET_ERROR_INVALID,
      { "tiny.json: title: ", "no 'en' text" } },
    { "\"title\": { \"en\": \"Tiny\" }", "\"title\": { \"en\": \"Tiny\" }, \"languages\": [\"en\", \"fr\"]",
      CHRONO_DATASET_ERROR_INVALID, { "events[0] ('e1'): text: ", "no 'fr' text" } },
    { "\"events\": [", "\"events\": [ 42, ", CHRONO_DATASET_ERROR_INVALID,
      { "tiny.json: events[0]: ", "expected an object, found a number" } },
    { "\"places\": [", "\"places\": {}, \"unused\": [", CHRONO_DATASET_ERROR_INVALID,
      { "tiny.json: places: ", "expected an array, found an object" } },
    { "\"version\": 1", "\"version\": 0", CHRONO_DATASET_ERROR_INVALID, { "tiny.json: version: ", "0" } },
    { "\"format\": \"chronotope-dataset\",", "", CHRONO_DATASET_ERROR_INVALID,
      { "tiny.json: ", "required field 'format' is missing" } },
  };
  g_autoptr (GBytes) tiny = load_data ("tiny.json");
  const char *text = g_bytes_get_data (tiny, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *found = strstr (text, cases[i].find);
      g_autoptr (GString) variant = g_string_new_len (text, g_bytes_get_size (tiny));
      g_autoptr (GBytes) json = NULL;

      g_test_message ("%s -> %s", cases[i].find, cases[i].replace);
      g_assert_nonnull (found);
      g_string_erase (variant, found - text, strlen (cases[i].find));
      g_string_insert (variant, found - text, cases[i].replace);
      json = g_bytes_new (variant->str, variant->len);
      assert_import_fails (json, "tiny.json", cases[i].code, cases[i].expected);
    }

  /* Not JSON at all, or nothing. */
  {
    static const char * const not_object[] = { "top level", NULL };
    static const char * const empty[] = { "empty", NULL };
    g_autoptr (GBytes) array = g_bytes_new_static ("[1, 2]", 6);
    g_autoptr (GBytes) nothing = g_bytes_new_static ("", 0);

    assert_import_fails (array, "array.json", CHRONO_DATASET_ERROR_INVALID, not_object);
    assert_import_fails (nothing, "nothing.json", CHRONO_DATASET_ERROR_INVALID, empty);
  }
}

/* tiny.json with @find replaced by @replace: the error importing it gives. */
static GError *
tiny_variant_error (const char *find,
                    const char *replace)
{
  g_autoptr (GBytes) tiny = load_data ("tiny.json");
  g_autoptr (GString) variant = g_string_new_len (g_bytes_get_data (tiny, NULL), g_bytes_get_size (tiny));
  g_autoptr (GBytes) json = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  GError *error = NULL;

  g_test_message ("%s -> %s", find, replace);
  g_assert_cmpuint (g_string_replace (variant, find, replace, 1), ==, 1);
  json = g_string_free_to_bytes (g_steal_pointer (&variant));
  if (chrono_dataset_import_bytes (store, json, "tiny.json", &error))
    return NULL;
  g_assert_nonnull (error);
  return error;
}

/* json-glib gives "2023-01-01\u0000junk" as "2023-01-01": every text the
 * loader reads is refused when it holds a NUL, and a NUL written as text
 * ("\\u0000") or in a member the loader does not read is not one. */
static void
test_bad_nul (void)
{
  static const struct {
    const char *find;
    const char *replace;
    const char *message;
  } cases[] = {
    { "\"2021-03-01\"", "\"2023-01-01\\u0000junk\"",
      "tiny.json: events[0] ('e1'): start: the text holds a NUL character (\\u0000)" },
    { "\"title\": \"Event two\"", "\"title\": \"Event\\u0000two\"",
      "tiny.json: events[1] ('e2'): text: en: title: the text holds a NUL character (\\u0000)" },
    { "{ \"id\": \"e2\"", "{ \"id\": \"e2\\u0000\"",
      "tiny.json: events[1]: id: the text holds a NUL character (\\u0000)" },
    { "\"quote\": \"one\"", "\"quote\": \"\\u0000\"",
      "tiny.json: events[0] ('e1'): excerpts[0] ('x1'): quote: the text holds a NUL character (\\u0000)" },
    { "\"format\": \"chronotope-dataset\",", "\"format\": \"chronotope-dataset\", \"languages\": [\"en\\u0000\"],",
      "tiny.json: languages[0]: the text holds a NUL character (\\u0000)" },
    { "\"en\": { \"title\": \"Event two\"", "\"e\\u0000n\": { \"title\": \"Event two\"",
      "tiny.json: events[1]: text: the name of a member holds a NUL character (\\u0000)" },
    /* What json-glib reads beyond JSON (comments, single quotes, hex numbers) does not stop the first pass */
    { "\"title\": \"Event two\"", "\"title\": \"Event\\u0000two\", 'x' : /* */ 0x1",
      "tiny.json: events[1] ('e2'): text: en: title: the text holds a NUL character (\\u0000)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = tiny_variant_error (cases[i].find, cases[i].replace);

      g_assert_error (error, CHRONO_DATASET_ERROR, CHRONO_DATASET_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  {
    g_autoptr (GError) as_text = tiny_variant_error ("\"title\": \"Event two\"", "\"title\": \"Event\\\\u0000two\"");
    g_autoptr (GError) unread = tiny_variant_error ("\"title\": \"Event two\"", "\"title\": \"Event two\", \"x\": \"\\u0000\"");

    g_assert_no_error (as_text);
    g_assert_no_error (unread);
  }
}

/* Numbers past what json-glib reads come back wrapped around (99999999999999999999
 * as -1, -99999999999999999999 as 1): they are named as written. */
static void
test_bad_numbers (void)
{
  static const struct {
    const char *find;
    const char *replace;
    int         code;
    const char *message;
  } cases[] = {
    { "\"version\": 1", "\"version\": 99999999999999999999", CHRONO_DATASET_ERROR_INVALID,
      "tiny.json: version: 99999999999999999999 is not a format version (this Chronotope reads version 1)" },
    { "\"version\": 1", "\"version\": -99999999999999999999", CHRONO_DATASET_ERROR_INVALID,
      "tiny.json: version: -99999999999999999999 is not a format version (this Chronotope reads version 1)" },
    { "\"version\": 1", "\"version\": 18446744073709551617", CHRONO_DATASET_ERROR_INVALID,
      "tiny.json: version: 18446744073709551617 is not a format version (this Chronotope reads version 1)" },
    { "\"version\": 1", "\"version\": 0x10000000000000001", CHRONO_DATASET_ERROR_INVALID,
      "tiny.json: version: 0x10000000000000001 is not a format version (this Chronotope reads version 1)" },
    { "\"version\": 1", "\"version\": -1", CHRONO_DATASET_ERROR_INVALID,
      "tiny.json: version: -1 is not a format version (this Chronotope reads version 1)" },
    { "\"version\": 1", "\"version\": 0", CHRONO_DATASET_ERROR_INVALID,
      "tiny.json: version: 0 is not a format version (this Chronotope reads version 1)" },
    { "\"version\": 1", "\"version\": 1.5", CHRONO_DATASET_ERROR_INVALID,
      "tiny.json: version: 1.5 is not a format version (this Chronotope reads version 1)" },
    { "\"version\": 1", "\"version\": 1e400", CHRONO_DATASET_ERROR_INVALID,
      "tiny.json: version: 1e400 is not a format version (this Chronotope reads version 1)" },
    { "\"version\": 1", "\"version\": \"1\"", CHRONO_DATASET_ERROR_INVALID,
      "tiny.json: version: expected a whole number, found a string" },
    { "\"version\": 1", "\"version\": 9223372036854775807", CHRONO_DATASET_ERROR_NEWER_VERSION,
      "tiny.json: version: the file is in dataset format version 9223372036854775807, "
      "newer than this version of Chronotope reads (up to 1)" },
    { "\"lat\": 39.8", "\"lat\": 99999999999999999999", CHRONO_DATASET_ERROR_INVALID,
      "tiny.json: places[0] ('p1'): lat: 99999999999999999999 is too large a number" },
    { "\"lon\": 46.7", "\"lon\": -9223372036854775809", CHRONO_DATASET_ERROR_INVALID,
      "tiny.json: places[0] ('p1'): lon: -9223372036854775809 is too large a number" },
    { "\"importance\": 2", "\"importance\": 18446744073709551618", CHRONO_DATASET_ERROR_INVALID,
      "tiny.json: events[0] ('e1'): importance: 18446744073709551618 is too large a number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = tiny_variant_error (cases[i].find, cases[i].replace);

      g_assert_error (error, CHRONO_DATASET_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  /* A claim's figure is kept as written */
  {
    g_autoptr (GBytes) tiny = load_data ("tiny.json");
    g_autoptr (GString) variant = g_string_new_len (g_bytes_get_data (tiny, NULL), g_bytes_get_size (tiny));
    g_autoptr (GBytes) json = NULL;
    g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (ChronoEvent) event = NULL;
    GPtrArray *claims;

    g_string_replace (variant, "\"value\": \"10\"", "\"value\": 99999999999999999999", 1);
    json = g_string_free_to_bytes (g_steal_pointer (&variant));
    g_assert_true (chrono_dataset_import_bytes (store, json, "tiny.json", &error));
    g_assert_no_error (error);

    event = get_event (store, "e1", "en");
    claims = chrono_event_get_claims (event);
    g_assert_cmpuint (claims->len, ==, 1);
    g_assert_cmpstr (chrono_claim_get_value (g_ptr_array_index (claims, 0)), ==, "99999999999999999999");
  }
}

/* Events repeating one id: the second is reported before the rest of the
 * file is parsed, in a small part of the time a full parse takes. */
static void
test_bad_duplicate_early (void)
{
  g_autoptr (GString) text = g_string_new ("{ \"format\": \"chronotope-dataset\", \"version\": 1, \"id\": \"dup\",\n"
                                           "  \"title\": { \"en\": \"Dup\" },\n"
                                           "  \"sources\": [ { \"id\": \"s1\", \"title\": \"One\" } ],\n"
                                           "  \"places\": [ { \"id\": \"p1\", \"kind\": \"town\", \"lat\": 39.8, \"lon\": 46.7,\n"
                                           "    \"names\": [ { \"lang\": \"en\", \"name\": \"P\" } ] } ],\n"
                                           "  \"events\": [\n");
  g_autoptr (GBytes) json = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimer) timer = NULL;
  double seconds;

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (text,
                            "%s{ \"id\": \"e1\", \"start\": \"2021-03-01\", \"end\": \"2021-03-05\", \"importance\": 2,\n"
                            "  \"text\": { \"en\": { \"title\": \"Event one\", \"summary\": \"First.\" } },\n"
                            "  \"places\": [ { \"place\": \"p1\", \"role\": \"location\" } ],\n"
                            "  \"excerpts\": [ { \"id\": \"x1\", \"source\": \"s1\", \"lang\": \"en\", \"quote\": \"one\" } ],\n"
                            "  \"claims\": [ { \"id\": \"c1\", \"key\": \"troops\", \"value\": \"10\", \"excerpt\": \"x1\" } ] }\n",
                            i > 0 ? "," : "");
  g_string_append (text, "] }\n");
  json = g_string_free_to_bytes (g_steal_pointer (&text));
  g_test_message ("%.1f MB", g_bytes_get_size (json) / 1e6);

  timer = g_timer_new ();
  g_assert_false (chrono_dataset_import_bytes (store, json, "dup.json", &error));
  seconds = g_timer_elapsed (timer, NULL);
  g_test_message ("duplicate reported after %.1f ms", seconds * 1000.0);
  g_assert_error (error, CHRONO_DATASET_ERROR, CHRONO_DATASET_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "dup.json: events[1]: id: duplicate id 'e1' (already used at events[0] ('e1'))");
  /* Parsing it all takes seconds; meeting the duplicate, milliseconds */
  g_assert_cmpfloat (seconds, <, 0.5);

  /* Objects that are not elements of "events" are not events */
  {
    static const char text_object[] =
      "{ \"format\": \"chronotope-dataset\", \"version\": 1, \"id\": \"t\", \"title\": { \"en\": \"T\" },"
      "  \"events\": { \"a\": { \"id\": \"e1\" }, \"b\": { \"id\": \"e1\" } } }";
    g_autoptr (GBytes) object_json = g_bytes_new_static (text_object, strlen (text_object));
    g_autoptr (GError) object_error = NULL;

    g_assert_false (chrono_dataset_import_bytes (store, object_json, "t.json", &object_error));
    g_assert_cmpstr (object_error->message, ==, "t.json: events: expected an array, found an object");
  }

  /* "events" given twice: json-glib keeps the second, and so do the checks of ids */
  {
    g_autoptr (GError) twice_error = tiny_variant_error ("\"events\": [", "\"events\": [ { \"id\": \"e1\" } ], \"events\": [");

    g_assert_no_error (twice_error);
  }

  /* An excerpt's id used again in another event: named with both events */
  {
    g_autoptr (GError) excerpt_error = tiny_variant_error ("{ \"id\": \"x2\"", "{ \"id\": \"x1\"");

    g_assert_cmpstr (excerpt_error->message, ==,
                     "tiny.json: events[1] ('e2'): excerpts[0]: id: duplicate id 'x1' "
                     "(already used at events[0] ('e1'): excerpts[0] ('x1'))");
  }
}

/* A failed import changes nothing, in memory and in a file. */
static void
test_failed_import_keeps_data (void)
{
  g_autofree char *path = temp_path ("kept.chronotope");
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bad = load_data ("bad-claim-excerpt.json");
  g_autoptr (GBytes) good = load_data ("good.json");
  g_autofree char *checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, good);
  g_autoptr (ChronoStore) store = chrono_store_open (path, &error);
  const char *names[] = { "good.json", "bad-claim-excerpt.json" };

  g_assert_no_error (error);

  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr (GArray) spans = NULL;
      g_autoptr (GArray) hits = NULL;
      g_autoptr (ChronoEvent) event = NULL;
      ChronoStoreCounts counts;

      if (pass == 0)
        {
          g_assert_true (chrono_dataset_import_bytes (store, good, names[0], &error));
          g_assert_false (chrono_dataset_import_bytes (store, bad, names[1], &error));
          g_assert_error (error, CHRONO_DATASET_ERROR, CHRONO_DATASET_ERROR_INVALID);
          g_clear_error (&error);
        }
      else
        {
          /* And after reopening the file. */
          g_clear_object (&store);
          store = chrono_store_open (path, &error);
          g_assert_no_error (error);
        }

      g_assert_true (chrono_store_get_counts (store, &counts, &error));
      g_assert_cmpuint (counts.events, ==, 4);
      g_assert_cmpuint (counts.places, ==, 4);
      g_assert_cmpuint (counts.sources, ==, 3);
      g_assert_cmpuint (counts.excerpts, ==, 6);
      g_assert_cmpuint (counts.claims, ==, 7);
      assert_meta (store, "dataset-id", "store-test");
      assert_meta (store, "checksum", checksum);

      spans = chrono_store_get_spans (store, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (spans->len, ==, 4);

      hits = chrono_store_search (store, "Berdzor", &error);
      g_assert_no_error (error);
      g_assert_cmpuint (hits->len, ==, 1);

      event = chrono_store_get_event_by_id (store, "deployment", "fr", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (chrono_event_get_title (event), ==, "Déploiement des soldats de la paix");
    }
}

/* A second import replaces the first entirely, search index included. */
static void
test_import_replaces (void)
{
  g_autoptr (ChronoStore) store = store_with ("good.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) hits = NULL;
  ChronoStoreCounts counts;

  import_data_file (store, "tiny.json");
  g_assert_true (chrono_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.events, ==, 2);
  g_assert_cmpuint (counts.places, ==, 1);
  assert_meta (store, "dataset-id", "tiny");
  assert_meta (store, "title:fr", NULL);
  assert_meta (store, "license", NULL);

  hits = chrono_store_search (store, "Berdzor", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_array_unref);
  hits = chrono_store_search (store, "place one", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
}

static gint64
file_inode (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_ino;
}

/* Nothing but the dataset is left in its folder: no temporary file, no WAL. */
static void
assert_folder_holds_only (const char *path)
{
  g_autofree char *dir_path = g_path_get_dirname (path);
  g_autofree char *basename = g_path_get_basename (path);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_cmpstr (name, ==, basename);
}

static void
test_bundled_first_run (void)
{
  g_autofree char *path = chrono_dataset_dup_bundled_path ();
  g_autofree char *expected_path = g_build_filename (g_get_user_data_dir (), "chronotope",
                                                     "karabakh-peacekeeping.chronotope", NULL);
  g_autoptr (GBytes) json = NULL;
  g_autofree char *checksum = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (ChronoStore) in_memory = NULL;
  ChronoStoreCounts counts, expected;
  g_autoptr (GTimer) timer = g_timer_new ();
  gint64 inode;

  g_assert_cmpstr (path, ==, expected_path);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  json = g_resources_lookup_data (CHRONO_DATASET_BUNDLED_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, json);

  store = chrono_dataset_open_bundled (&error);
  g_test_message ("first run: %.1f ms", g_timer_elapsed (timer, NULL) * 1000.0);
  g_assert_no_error (error);
  g_assert_cmpstr (chrono_store_get_path (store), ==, path);
  assert_meta (store, "dataset-id", "karabakh-peacekeeping");
  assert_meta (store, "checksum", checksum);

  /* It holds what the JSON holds. */
  in_memory = chrono_store_new_in_memory (&error);
  g_assert_true (chrono_dataset_import_bytes (in_memory, json, "karabakh-peacekeeping.json", &error));
  g_assert_true (chrono_store_get_counts (store, &counts, &error));
  g_assert_true (chrono_store_get_counts (in_memory, &expected, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (&counts, sizeof counts, &expected, sizeof expected);

  g_clear_object (&store);
  assert_folder_holds_only (path);
  inode = file_inode (path);

  /* The second run opens the same file. */
  g_timer_start (timer);
  store = chrono_dataset_open_bundled (&error);
  g_test_message ("second run: %.1f ms", g_timer_elapsed (timer, NULL) * 1000.0);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (file_inode (path), ==, inode);
}

static void
set_recorded_checksum (const char *path,
                       const char *checksum)
{
  g_autoptr (sqlite3) db = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE meta SET value = '%s' WHERE key = 'checksum'", checksum);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
}

/* A build with other bundled JSON rebuilds the file: a new file renamed into place. */
static void
test_bundled_refresh (void)
{
  g_autofree char *path = chrono_dataset_dup_bundled_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_dataset_open_bundled (&error);
  g_autofree char *checksum = NULL;
  gint64 inode;

  g_assert_no_error (error);
  checksum = chrono_store_dup_meta (store, "checksum");
  g_clear_object (&store);

  set_recorded_checksum (path, "built-from-older-json");
  inode = file_inode (path);

  store = chrono_dataset_open_bundled (&error);
  g_assert_no_error (error);
  assert_meta (store, "checksum", checksum);
  g_clear_object (&store);
  g_assert_cmpint (file_inode (path), !=, inode);
  assert_folder_holds_only (path);

  /* Something that is not a dataset at all is replaced too. */
  g_file_set_contents (path, "garbage", -1, &error);
  g_assert_no_error (error);
  store = chrono_dataset_open_bundled (&error);
  g_assert_no_error (error);
  assert_meta (store, "checksum", checksum);
}

/* The cache logic with JSON of our own: follows the JSON it is given, and a
 * JSON that does not load leaves the cached file as it was. */
static void
test_open_cached (void)
{
  /* A folder of its own: Chronotope keeps its list of checked files in the cache folder */
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "cached", "cached.chronotope", NULL);
  g_autoptr (GBytes) tiny = load_data ("tiny.json");
  g_autoptr (GBytes) good = load_data ("good.json");
  g_autoptr (GBytes) bad = load_data ("bad-date.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = NULL;
  gint64 inode;

  store = chrono_dataset_open_cached (tiny, "tiny.json", path, &error);
  g_assert_no_error (error);
  assert_meta (store, "dataset-id", "tiny");
  g_clear_object (&store);

  store = chrono_dataset_open_cached (good, "good.json", path, &error);
  g_assert_no_error (error);
  assert_meta (store, "dataset-id", "store-test");
  g_clear_object (&store);
  inode = file_inode (path);

  store = chrono_dataset_open_cached (bad, "bad-date.json", path, &error);
  g_assert_null (store);
  g_assert_error (error, CHRONO_DATASET_ERROR, CHRONO_DATASET_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "bad-date.json: events[0] ('e1'): start: "));
  g_clear_error (&error);
  g_assert_cmpint (file_inode (path), ==, inode);
  assert_folder_holds_only (path);

  store = chrono_store_open (path, &error);
  g_assert_no_error (error);
  assert_meta (store, "dataset-id", "store-test");
}

/*
 * A full disk, without root: a sqlite VFS over the default one whose writes
 * to the temporary files a dataset is built in (their names start with
 * "NAME.chronotope.") fail as on a full disk once @budget bytes of them are
 * written.
 */
typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real;
  gboolean      counted;
} FullDiskFile;

static struct
{
  sqlite3_vfs        vfs;
  sqlite3_vfs       *real;
  sqlite3_io_methods methods;
  char              *prefix;
  gint64             budget;   /* -1: no limit */
  gint64             written;
  gboolean           kill;     /* past the budget, the process is killed (kill -9) */
} full_disk;

#define REAL_FILE(file) (((FullDiskFile *) (file))->real)

static int
full_disk_close (sqlite3_file *file)
{
  int rc = REAL_FILE (file)->pMethods->xClose (REAL_FILE (file));

  g_free (REAL_FILE (file));
  return rc;
}

static int
full_disk_read (sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset)
{
  return REAL_FILE (file)->pMethods->xRead (REAL_FILE (file), buffer, amount, offset);
}

static int
full_disk_write (sqlite3_file *file, const void *buffer, int amount, sqlite3_int64 offset)
{
  if (((FullDiskFile *) file)->counted)
    {
      if (full_disk.budget >= 0 && full_disk.written + amount > full_disk.budget)
        {
          if (full_disk.kill)
            kill (getpid (), SIGKILL);
          return SQLITE_FULL;
        }
      full_disk.written += amount;
    }
  return REAL_FILE (file)->pMethods->xWrite (REAL_FILE (file), buffer, amount, offset);
}

static int
full_disk_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  return REAL_FILE (file)->pMethods->xTruncate (REAL_FILE (file), size);
}

static int
full_disk_sync (sqlite3_file *file, int flags)
{
  return REAL_FILE (file)->pMethods->xSync (REAL_FILE (file), flags);
}

static int
full_disk_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  return REAL_FILE (file)->pMethods->xFileSize (REAL_FILE (file), size);
}

static int
full_disk_lock (sqlite3_file *file, int lock)
{
  return REAL_FILE (file)->pMethods->xLock (REAL_FILE (file), lock);
}

static int
full_disk_unlock (sqlite3_file *file, int lock)
{
  return REAL_FILE (file)->pMethods->xUnlock (REAL_FILE (file), lock);
}

static int
full_disk_check_reserved_lock (sqlite3_file *file, int *out)
{
  return REAL_FILE (file)->pMethods->xCheckReservedLock (REAL_FILE (file), out);
}

static int
full_disk_file_control (sqlite3_file *file, int op, void *arg)
{
  return REAL_FILE (file)->pMethods->xFileControl (REAL_FILE (file), op, arg);
}

static int
full_disk_sector_size (sqlite3_file *file)
{
  return REAL_FILE (file)->pMethods->xSectorSize (REAL_FILE (file));
}

static int
full_disk_device_characteristics (sqlite3_file *file)
{
  return REAL_FILE (file)->pMethods->xDeviceCharacteristics (REAL_FILE (file));
}

static int
full_disk_shm_map (sqlite3_file *file, int page, int size, int extend, void volatile **out)
{
  return REAL_FILE (file)->pMethods->xShmMap (REAL_FILE (file), page, size, extend, out);
}

static int
full_disk_shm_lock (sqlite3_file *file, int offset, int n, int flags)
{
  return REAL_FILE (file)->pMethods->xShmLock (REAL_FILE (file), offset, n, flags);
}

static void
full_disk_shm_barrier (sqlite3_file *file)
{
  REAL_FILE (file)->pMethods->xShmBarrier (REAL_FILE (file));
}

static int
full_disk_shm_unmap (sqlite3_file *file, int delete)
{
  return REAL_FILE (file)->pMethods->xShmUnmap (REAL_FILE (file), delete);
}

static int
full_disk_open (sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
  FullDiskFile *self = (FullDiskFile *) file;
  int rc;

  self->real = g_malloc0 (full_disk.real->szOsFile);
  self->counted = name != NULL && g_str_has_prefix (name, full_disk.prefix);
  rc = full_disk.real->xOpen (full_disk.real, name, self->real, flags, out_flags);
  /* No xFetch: reads go through xRead */
  self->base.pMethods = self->real->pMethods != NULL ? &full_disk.methods : NULL;
  if (self->real->pMethods == NULL)
    g_clear_pointer (&self->real, g_free);
  return rc;
}

static void
full_disk_install (const char *path,
                   gint64      budget)
{
  if (full_disk.real == NULL)
    {
      full_disk.real = sqlite3_vfs_find (NULL);
      full_disk.vfs = *full_disk.real;
      full_disk.vfs.zName = "full-disk";
      full_disk.vfs.szOsFile = sizeof (FullDiskFile);
      full_disk.vfs.xOpen = full_disk_open;
      full_disk.vfs.pNext = NULL;
      full_disk.methods = (sqlite3_io_methods) {
        .iVersion = 2,
        .xClose = full_disk_close,
        .xRead = full_disk_read,
        .xWrite = full_disk_write,
        .xTruncate = full_disk_truncate,
        .xSync = full_disk_sync,
        .xFileSize = full_disk_file_size,
        .xLock = full_disk_lock,
        .xUnlock = full_disk_unlock,
        .xCheckReservedLock = full_disk_check_reserved_lock,
        .xFileControl = full_disk_file_control,
        .xSectorSize = full_disk_sector_size,
        .xDeviceCharacteristics = full_disk_device_characteristics,
        .xShmMap = full_disk_shm_map,
        .xShmLock = full_disk_shm_lock,
        .xShmBarrier = full_disk_shm_barrier,
        .xShmUnmap = full_disk_shm_unmap,
      };
    }
  g_free (full_disk.prefix);
  full_disk.prefix = g_strconcat (path, ".", NULL);
  full_disk.budget = budget;
  full_disk.written = 0;
  full_disk.kill = FALSE;
  g_assert_cmpint (sqlite3_vfs_register (&full_disk.vfs, TRUE), ==, SQLITE_OK);
}

static void
full_disk_uninstall (void)
{
  g_assert_cmpint (sqlite3_vfs_unregister (&full_disk.vfs), ==, SQLITE_OK);
  g_assert_true (sqlite3_vfs_find (NULL) == full_disk.real);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* On a disk that fills up at any point of the build, the cached file stays
 * as it was, no temporary file is left, and the message names the folder
 * and says the disk is full; with room, the build completes. */
static void
test_cached_disk_full (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "full", NULL);
  g_autofree char *path = g_build_filename (dir, "cached.chronotope", NULL);
  g_autofree char *measure_path = g_build_filename (g_get_user_data_dir (), "measure", "cached.chronotope", NULL);
  g_autofree char *expected = g_strdup_printf ("Could not build the dataset file in '%s': the disk is full", dir);
  g_autoptr (GBytes) tiny = load_data ("tiny.json");
  g_autoptr (GBytes) good = load_data ("good.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autofree char *old_checksum = NULL;
  gint64 total, inode;

  store = chrono_dataset_open_cached (tiny, "tiny.json", path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  /* In another journal mode than the one Chronotope gives its files:
   * opening it to be written to would change it */
  {
    g_autoptr (sqlite3) db = NULL;

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL), ==, SQLITE_OK);
  }
  old_checksum = file_checksum (path);
  inode = file_inode (path);

  /* What a build of good.json writes */
  full_disk_install (measure_path, -1);
  store = chrono_dataset_open_cached (good, "good.json", measure_path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  total = full_disk.written;
  full_disk_uninstall ();
  g_test_message ("a build writes %" G_GINT64_FORMAT " bytes", total);
  g_assert_cmpint (total, >, 4096);

  for (guint i = 0; i < 24; i++)
    {
      gint64 budget = i == 23 ? total - 1 : total * i / 23;
      g_autofree char *checksum = NULL;

      g_test_message ("disk full after %" G_GINT64_FORMAT " bytes", budget);
      full_disk_install (path, budget);
      store = chrono_dataset_open_cached (good, "good.json", path, &error);
      full_disk_uninstall ();

      g_assert_null (store);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
      g_assert_cmpstr (error->message, ==, expected);
      g_clear_error (&error);

      assert_folder_holds_only (path);
      checksum = file_checksum (path);
      g_assert_cmpstr (checksum, ==, old_checksum);
      g_assert_cmpint (file_inode (path), ==, inode);
    }

  /* The old file still opens as it was; with room, the new one is built */
  store = chrono_dataset_open_cached (tiny, "tiny.json", path, &error);
  g_assert_no_error (error);
  assert_meta (store, "dataset-id", "tiny");
  g_clear_object (&store);

  full_disk_install (path, total);
  store = chrono_dataset_open_cached (good, "good.json", path, &error);
  full_disk_uninstall ();
  g_assert_no_error (error);
  assert_meta (store, "dataset-id", "store-test");
  g_clear_object (&store);
  assert_folder_holds_only (path);
}

/* A start killed (kill -9) halfway through building the cache leaves its
 * temporary file; the next start removes it, and the old file was never touched. */
static void
test_cached_killed_build (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "killed", NULL);
  g_autofree char *path = g_build_filename (dir, "cached.chronotope", NULL);
  g_autoptr (GBytes) tiny = load_data ("tiny.json");
  g_autoptr (GBytes) good = load_data ("good.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (GDir) handle = NULL;
  g_autofree char *old_checksum = NULL;
  g_autofree char *checksum = NULL;
  guint n_left = 0;
  const char *name;
  pid_t pid;
  int status;

  store = chrono_dataset_open_cached (tiny, "tiny.json", path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  old_checksum = file_checksum (path);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      full_disk_install (path, 64 * 1024);
      full_disk.kill = TRUE;
      chrono_dataset_open_cached (good, "good.json", path, NULL);
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  handle = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_test_message ("left: %s", name);
      n_left += g_str_has_prefix (name, "cached.chronotope.build-");
    }
  g_assert_cmpuint (n_left, >=, 1);
  checksum = file_checksum (path);
  g_assert_cmpstr (checksum, ==, old_checksum);

  store = chrono_dataset_open_cached (tiny, "tiny.json", path, &error);
  g_assert_no_error (error);
  assert_meta (store, "dataset-id", "tiny");
  g_clear_object (&store);
  assert_folder_holds_only (path);
}

/* What a killed build left is removed at the next opening; the file of a
 * build still running (locked) is not. */
static void
test_cached_stale_builds (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "stale", NULL);
  g_autofree char *path = g_build_filename (dir, "cached.chronotope", NULL);
  g_autoptr (GBytes) tiny = load_data ("tiny.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = NULL;
  static const char * const stale[] = {
    "cached.chronotope.build-Ab3dE6", "cached.chronotope.build-Ab3dE6-wal",
    "cached.chronotope.build-Ab3dE6-shm", "cached.chronotope.build-Ab3dE6-journal",
    "cached.chronotope.build-Xy7wV2-wal", "cached.chronotope.build-Xy7wV2-shm",
  };
  static const char * const kept[] = {
    "cached.chronotope.build-Lk9mN0", "cached.chronotope.build-Lk9mN0-wal",
    "other.chronotope.build-Ab3dE6", "cached.chronotope.bak",
  };
  g_autofree char *locked_path = g_build_filename (dir, kept[0], NULL);
  int locked_fd;

  store = chrono_dataset_open_cached (tiny, "tiny.json", path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  for (guint i = 0; i < G_N_ELEMENTS (stale); i++)
    {
      g_autofree char *file = g_build_filename (dir, stale[i], NULL);

      g_file_set_contents (file, "left by a killed build", -1, &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      g_autofree char *file = g_build_filename (dir, kept[i], NULL);

      g_file_set_contents (file, "a build at work", -1, &error);
      g_assert_no_error (error);
    }
  locked_fd = g_open (locked_path, O_RDWR | O_CLOEXEC, 0);
  g_assert_cmpint (locked_fd, >=, 0);
  g_assert_cmpint (flock (locked_fd, LOCK_EX | LOCK_NB), ==, 0);

  store = chrono_dataset_open_cached (tiny, "tiny.json", path, &error);
  g_assert_no_error (error);
  assert_meta (store, "dataset-id", "tiny");
  g_clear_object (&store);
  g_close (locked_fd, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (stale); i++)
    {
      g_autofree char *file = g_build_filename (dir, stale[i], NULL);

      g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
    }
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      g_autofree char *file = g_build_filename (dir, kept[i], NULL);

      g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
    }
}

/* In the bundled dataset, every name of a place finds its events: the
 * Azerbaijani name of Stepanakert, the Armenian name of Lachin, the French one. */
static void
test_bundled_search_names (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_dataset_open_bundled (&error);
  struct {
    const char *text;
    const char *must_find;
  } cases[] = {
    { "Xankəndi", "september-2023-offensive" },
    { "Stepanakert", "september-2023-offensive" },
    { "Berdzor", "lachin-blockade" },
    { "Բերձոր", "lachin-blockade" },
    { "Latchine", "lachin-blockade" },
    { "Laçın", "peacekeeping-mission" },
    { "Hadrout", "hadrut-clashes" },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ids = search_ids (store, cases[i].text, TRUE);
      g_autofree char *wrapped = g_strconcat (",", ids, ",", NULL);
      g_autofree char *needle = g_strconcat (",", cases[i].must_find, ",", NULL);

      g_test_message ("search '%s': %s", cases[i].text, ids);
      g_assert_nonnull (strstr (wrapped, needle));
    }
}

/* A place whose names changed: "when" as the dataset writes it */
static const char dated_names_json[] =
  "{ \"format\": \"chronotope-dataset\", \"version\": 1, \"id\": \"dated\","
  "  \"title\": { \"en\": \"Dated\" },"
  "  \"sources\": [ { \"id\": \"s1\", \"title\": \"Source one\", \"published\": \"2021-03-04\" } ],"
  "  \"places\": ["
  "    { \"id\": \"stepanakert\", \"kind\": \"city\", \"lat\": 39.8153, \"lon\": 46.7517,"
  "      \"names\": ["
  "        { \"lang\": \"en\", \"name\": \"Stepanakert\", \"usage\": \"common\", \"when\": \"1923/..\" },"
  "        { \"lang\": \"az\", \"name\": \"Xankəndi\", \"usage\": \"official\", \"when\": \"1991?/..\" },"
  "        { \"lang\": \"hy\", \"name\": \"Ստեփանակերտ\", \"usage\": \"local\" },"
  "        { \"lang\": \"en\", \"name\": \"Khankendi\", \"usage\": \"historical\", \"when\": \"../1922\" },"
  "        { \"lang\": \"fr\", \"name\": \"Khankendi\", \"when\": null }"
  "      ] } ],"
  "  \"events\": ["
  "    { \"id\": \"e1\", \"start\": \"2021-03-01\", \"end\": null, \"category\": \"military\", \"importance\": 2,"
  "      \"text\": { \"en\": { \"title\": \"Event one\" } },"
  "      \"places\": [ { \"place\": \"stepanakert\", \"role\": \"location\" } ],"
  "      \"excerpts\": [ { \"id\": \"x1\", \"source\": \"s1\", \"lang\": \"en\", \"quote\": \"one\" } ] } ] }";

static void
assert_dated_names (ChronoStore *store)
{
  static const struct { const char *lang, *name, *usage, *when; } want[] = {
    { "en", "Stepanakert", "common", "1923/.." },
    { "az", "Xankəndi", "official", "1991?/.." },
    { "hy", "Ստեփանակերտ", "local", NULL },
    { "en", "Khankendi", "historical", "../1922" },
    { "fr", "Khankendi", NULL, NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) places = chrono_store_get_places (store, "en", &error);
  ChronoPlace *place;
  GPtrArray *names;

  g_assert_no_error (error);
  g_assert_cmpuint (places->len, ==, 1);
  place = g_ptr_array_index (places, 0);
  names = chrono_place_get_names (place);
  g_assert_cmpuint (names->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < names->len; i++)
    {
      const ChronoPlaceName *name = g_ptr_array_index (names, i);

      g_assert_cmpstr (name->lang, ==, want[i].lang);
      g_assert_cmpstr (name->name, ==, want[i].name);
      g_assert_cmpstr (name->usage, ==, want[i].usage);
      g_assert_cmpstr (name->when, ==, want[i].when);
    }
  g_assert_cmpstr (chrono_place_get_name_at (place, "en", chrono_day_from_ymd (1922, 12, 31)), ==, "Khankendi");
  g_assert_cmpstr (chrono_place_get_name_at (place, "en", chrono_day_from_ymd (1923, 1, 1)), ==, "Stepanakert");
  g_assert_null (chrono_place_get_official_name_at (place, chrono_day_from_ymd (1990, 12, 31)));
  g_assert_cmpstr (chrono_place_get_official_name_at (place, chrono_day_from_ymd (1991, 1, 1)), ==, "Xankəndi");
}

/* A name's "when" is read, checked, kept, and written back by the JSON
 * export as it was written */
static void
test_place_names_when (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  g_autoptr (ChronoStore) again = NULL;
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GBytes) json = g_bytes_new_static (dated_names_json, strlen (dated_names_json));
  g_autoptr (GBytes) exported = NULL;

  g_assert_no_error (error);
  g_assert_true (chrono_dataset_import_bytes (store, json, "dated.json", &error));
  g_assert_no_error (error);
  assert_dated_names (store);

  g_assert_true (chrono_export_format_json.write (store, "en", out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  exported = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_test_message ("%.*s", (int) g_bytes_get_size (exported), (const char *) g_bytes_get_data (exported, NULL));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (exported, NULL), g_bytes_get_size (exported), "\"when\": \"../1922\""));

  again = chrono_store_new_in_memory (&error);
  g_assert_true (chrono_dataset_import_bytes (again, exported, "exported.json", &error));
  g_assert_no_error (error);
  assert_dated_names (again);
}

/* The bundled dataset names Stepanakert as it was named at each date, its
 * contested names both kept */
static void
test_bundled_dated_names (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_dataset_open_bundled (&error);
  g_autoptr (GPtrArray) places = NULL;
  ChronoPlace *place = NULL;
  ChronoDay in_1900 = chrono_day_from_ymd (1900, 1, 1);
  ChronoDay in_1950 = chrono_day_from_ymd (1950, 1, 1);
  ChronoDay in_2021 = chrono_day_from_ymd (2021, 6, 1);

  g_assert_no_error (error);
  places = chrono_store_get_places (store, "en", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < places->len && place == NULL; i++)
    if (g_str_equal (chrono_place_get_id (g_ptr_array_index (places, i)), "stepanakert"))
      place = g_ptr_array_index (places, i);
  g_assert_nonnull (place);

  g_assert_cmpstr (chrono_place_get_name_at (place, "en", in_1900), ==, "Khankendi");
  g_assert_cmpstr (chrono_place_get_name_at (place, "az", in_1900), ==, "Xankəndi");
  g_assert_cmpstr (chrono_place_get_name_at (place, "en", in_1950), ==, "Stepanakert");
  g_assert_cmpstr (chrono_place_get_name_at (place, "az", in_1950), ==, "Stepanakert");
  g_assert_cmpstr (chrono_place_get_official_name_at (place, in_1950), ==, "Stepanakert");
  g_assert_cmpstr (chrono_place_get_name_at (place, "en", in_2021), ==, "Stepanakert");
  g_assert_cmpstr (chrono_place_get_name_at (place, "fr", in_2021), ==, "Stepanakert");
  g_assert_cmpstr (chrono_place_get_name_at (place, "hy", in_2021), ==, "Ստեփանակերտ");
  g_assert_cmpstr (chrono_place_get_name_at (place, "az", in_2021), ==, "Xankəndi");
  g_assert_cmpstr (chrono_place_get_official_name_at (place, in_2021), ==, "Xankəndi");
  /* Without a date, as before: the names of today */
  g_assert_cmpstr (chrono_place_get_name_for (place, "en"), ==, "Stepanakert");
  g_assert_cmpstr (chrono_place_get_official_name (place), ==, "Xankəndi");

  {
    g_autofree char *ids = search_ids (store, "Khankendi", TRUE);

    g_assert_nonnull (strstr (ids, "september-2023-offensive"));
  }
}

/* tiny.json with a tour, written here so that the test shows what it reads. */
static const char tour_json[] =
  "\"tour-title\": { \"en\": \"Tiny tour\", \"fr\": \"Petite visite\" },"
  "\"tour\": ["
  "  { \"event\": \"e2\", \"title\": { \"en\": \"Two first\", \"fr\": \"Deux d'abord\" },"
  "    \"note\": { \"en\": \"Out of order on purpose.\" } },"
  "  { \"event\": \"e1\", \"title\": { \"en\": \"Then one\" }, \"date\": \"2021-03-03\","
  "    \"excerpts\": [\"x1\"] }"
  "],";

/* tiny.json with @tour (members) at its top, then each (find, replace) pair
 * of the NULL-terminated arguments applied. */
static GBytes *
tiny_with (const char *tour,
           ...)
{
  g_autoptr (GBytes) tiny = load_data ("tiny.json");
  g_autoptr (GString) json = g_string_new_len (g_bytes_get_data (tiny, NULL), g_bytes_get_size (tiny));
  const char *at = strstr (json->str, "\"sources\": [");
  const char *find;
  va_list args;

  g_assert_nonnull (at);
  g_string_insert (json, at - json->str, tour);

  va_start (args, tour);
  while ((find = va_arg (args, const char *)) != NULL)
    {
      const char *replace = va_arg (args, const char *);
      const char *found = strstr (json->str, find);
      gsize pos;

      g_assert_nonnull (found);
      pos = found - json->str;
      g_string_erase (json, pos, strlen (find));
      g_string_insert (json, pos, replace);
    }
  va_end (args);

  return g_bytes_new (json->str, json->len);
}

static GPtrArray *
get_tour (ChronoStore *store,
          const char  *lang)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *tour = chrono_store_get_tour (store, lang, &error);

  g_assert_no_error (error);
  g_assert_nonnull (tour);
  return tour;
}

/* The tour comes back in the file's order (not by date), in the language
 * asked for, falling back to English step by step. */
static void
test_tour_import (void)
{
  g_autoptr (GBytes) json = tiny_with (tour_json, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  g_autoptr (GPtrArray) english = NULL;
  g_autoptr (GPtrArray) french = NULL;
  g_autoptr (GPtrArray) canadian = NULL;
  g_autoptr (GPtrArray) german = NULL;
  g_autoptr (ChronoEvent) e1 = NULL;
  g_autoptr (ChronoEvent) e2 = NULL;
  g_autofree char *title_fr = NULL;
  g_autofree char *title_de = NULL;
  ChronoTourStep *step;

  g_assert_true (chrono_dataset_import_bytes (store, json, "tiny.json", &error));
  g_assert_no_error (error);
  e1 = get_event (store, "e1", "en");
  e2 = get_event (store, "e2", "en");

  english = get_tour (store, "en");
  g_assert_cmpuint (english->len, ==, 2);

  step = g_ptr_array_index (english, 0);
  g_assert_cmpstr (chrono_tour_step_get_event_id (step), ==, "e2");
  g_assert_cmpint (chrono_tour_step_get_event_rowid (step), ==, chrono_event_get_rowid (e2));
  g_assert_cmpstr (chrono_tour_step_get_title (step), ==, "Two first");
  g_assert_cmpstr (chrono_tour_step_get_note (step), ==, "Out of order on purpose.");
  g_assert_cmpstr (chrono_tour_step_get_lang (step), ==, "en");
  /* No date: the latest day the event may have started, the last of April. */
  g_assert_null (chrono_tour_step_get_date (step));
  g_assert_cmpint (chrono_tour_step_get_day (step), ==, day (2021, 4, 30));
  g_assert_cmpuint (g_strv_length ((char **) chrono_tour_step_get_excerpts (step)), ==, 0);

  step = g_ptr_array_index (english, 1);
  g_assert_cmpstr (chrono_tour_step_get_event_id (step), ==, "e1");
  g_assert_cmpint (chrono_tour_step_get_event_rowid (step), ==, chrono_event_get_rowid (e1));
  g_assert_cmpstr (chrono_tour_step_get_title (step), ==, "Then one");
  g_assert_null (chrono_tour_step_get_note (step));
  g_assert_cmpstr (chrono_tour_step_get_date (step), ==, "2021-03-03");
  g_assert_cmpint (chrono_tour_step_get_day (step), ==, day (2021, 3, 3));
  g_assert_cmpstrv (chrono_tour_step_get_excerpts (step), ((const char * const[]) { "x1", NULL }));

  /* French where the tour has it; the note is English only, so a French
   * title goes without it rather than beside an English note. */
  french = get_tour (store, "fr");
  g_assert_cmpuint (french->len, ==, 2);
  step = g_ptr_array_index (french, 0);
  g_assert_cmpstr (chrono_tour_step_get_title (step), ==, "Deux d'abord");
  g_assert_cmpstr (chrono_tour_step_get_lang (step), ==, "fr");
  g_assert_null (chrono_tour_step_get_note (step));
  step = g_ptr_array_index (french, 1);
  g_assert_cmpstr (chrono_tour_step_get_title (step), ==, "Then one");
  g_assert_cmpstr (chrono_tour_step_get_lang (step), ==, "en");

  canadian = get_tour (store, "fr_CA.UTF-8");
  g_assert_cmpstr (chrono_tour_step_get_title (g_ptr_array_index (canadian, 0)), ==, "Deux d'abord");
  german = get_tour (store, "de");
  g_assert_cmpstr (chrono_tour_step_get_title (g_ptr_array_index (german, 0)), ==, "Two first");

  title_fr = chrono_store_dup_meta_for_lang (store, "tour-title", "fr");
  title_de = chrono_store_dup_meta_for_lang (store, "tour-title", "de");
  g_assert_cmpstr (title_fr, ==, "Petite visite");
  g_assert_cmpstr (title_de, ==, "Tiny tour");
}

/* A dataset without a tour has an empty one; importing another dataset
 * replaces the tour with the new one's. */
static void
test_tour_absent_and_replaced (void)
{
  g_autoptr (GBytes) with_tour = tiny_with (tour_json, NULL);
  g_autoptr (GBytes) without = load_data ("tiny.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  g_autoptr (GPtrArray) tour = NULL;
  g_autofree char *title = NULL;

  g_assert_true (chrono_dataset_import_bytes (store, with_tour, "tiny.json", &error));
  tour = get_tour (store, "en");
  g_assert_cmpuint (tour->len, ==, 2);
  g_clear_pointer (&tour, g_ptr_array_unref);

  g_assert_true (chrono_dataset_import_bytes (store, without, "tiny.json", &error));
  g_assert_no_error (error);
  tour = get_tour (store, "en");
  g_assert_cmpuint (tour->len, ==, 0);
  title = chrono_store_dup_meta_for_lang (store, "tour-title", "en");
  g_assert_null (title);
}

/* Each mistake in a tour is named by its JSON path. */
static void
test_tour_bad (void)
{
  static const struct {
    const char *find;
    const char *replace;
    const char *expected[3];
  } cases[] = {
    { "\"event\": \"e1\"", "\"event\": \"xyz\"", { "tiny.json: tour[1]: event: ", "unknown event 'xyz'" } },
    { "\"event\": \"e2\"", "\"event\": 2", { "tour[0]: event: ", "expected a string, found a number" } },
    { "\"date\": \"2021-03-03\"", "\"date\": \"2021-04-01\"",
      { "tour[1]: date: ", "2021-04-01 is not a day of event 'e1'" } },
    { "\"date\": \"2021-03-03\"", "\"date\": \"2021-03\"", { "tour[1]: date: ", "'2021-03' is not a single day" } },
    { "\"date\": \"2021-03-03\"", "\"date\": \"2021-02-30\"", { "tour[1]: date: ", "2021-02-30" } },
    { "\"excerpts\": [\"x1\"]", "\"excerpts\": [\"x2\"]",
      { "tour[1]: excerpts[0]: ", "'x2' is an excerpt of event 'e2', not of 'e1'" } },
    { "\"excerpts\": [\"x1\"]", "\"excerpts\": [\"x1\", \"x9\"]", { "tour[1]: excerpts[1]: ", "unknown excerpt 'x9'" } },
    { "\"title\": { \"en\": \"Then one\" }", "\"name\": \"Then one\"",
      { "tour[1]: ", "required field 'title' is missing" } },
    { "\"title\": { \"en\": \"Then one\" }", "\"title\": { \"fr\": \"Puis un\" }",
      { "tour[1]: title: ", "no 'en' text" } },
    { "\"title\": { \"en\": \"Then one\" }", "\"title\": { \"en\": \"\" }", { "tour[1]: title: en: ", "must not be empty" } },
    { "\"note\": { \"en\": ", "\"note\": { \"de\": ", { "tour[0]: note: de: ", "a note in 'de' needs a title in 'de'" } },
    { "\"tour\": [", "\"tour\": { \"steps\": [] }, \"unused\": [", { "tiny.json: tour: ", "expected an array, found an object" } },
    { "\"tour-title\": { \"en\": \"Tiny tour\",", "\"tour-title\": {", { "tiny.json: tour-title: ", "no 'en' text" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) json = tiny_with (tour_json, cases[i].find, cases[i].replace, NULL);

      g_test_message ("%s -> %s", cases[i].find, cases[i].replace);
      assert_import_fails (json, "tiny.json", CHRONO_DATASET_ERROR_INVALID, cases[i].expected);
    }

  /* Listing French makes French titles required. */
  {
    static const char * const expected[] = { "tour[1]: title: ", "no 'fr' text", NULL };
    g_autofree char *tour = g_strconcat ("\"languages\": [\"en\", \"fr\"],", tour_json, NULL);
    g_autoptr (GBytes) json =
      tiny_with (tour,
                 "\"text\": { \"en\": { \"title\": \"Event one\", \"summary\": \"First.\" } }",
                 "\"text\": { \"en\": { \"title\": \"Event one\" }, \"fr\": { \"title\": \"Un\" } }",
                 "\"text\": { \"en\": { \"title\": \"Event two\" } }",
                 "\"text\": { \"en\": { \"title\": \"Event two\" }, \"fr\": { \"title\": \"Deux\" } }",
                 NULL);

    assert_import_fails (json, "tiny.json", CHRONO_DATASET_ERROR_INVALID, expected);
  }
}

/* The bundled dataset tells the mission's story in about fifteen steps, each
 * in English and French, starting with the war of 2020. */
static void
test_bundled_tour (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_dataset_open_bundled (&error);
  g_autoptr (GPtrArray) english = NULL;
  g_autoptr (GPtrArray) french = NULL;
  g_autoptr (GBytes) json = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *steps;

  g_assert_no_error (error);
  english = get_tour (store, "en");
  french = get_tour (store, "fr");
  g_assert_cmpuint (english->len, >=, 12);
  g_assert_cmpuint (english->len, <=, 18);
  g_assert_cmpuint (french->len, ==, english->len);

  /* What the JSON says, read without Chronotope's code. */
  json = g_resources_lookup_data (CHRONO_DATASET_BUNDLED_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (json, NULL), g_bytes_get_size (json), &error));
  steps = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "tour");
  g_assert_cmpuint (json_array_get_length (steps), ==, english->len);

  for (guint i = 0; i < english->len; i++)
    {
      ChronoTourStep *en = g_ptr_array_index (english, i);
      ChronoTourStep *fr = g_ptr_array_index (french, i);
      JsonObject *step = json_array_get_object_element (steps, i);
      JsonObject *title = json_object_get_object_member (step, "title");
      g_autoptr (ChronoEvent) event = get_event (store, chrono_tour_step_get_event_id (en), "en");

      g_test_message ("%u: %s: %s / %s", i, chrono_tour_step_get_event_id (en),
                      chrono_tour_step_get_title (en), chrono_tour_step_get_title (fr));
      g_assert_cmpstr (chrono_tour_step_get_event_id (en), ==, json_object_get_string_member (step, "event"));
      g_assert_cmpstr (chrono_tour_step_get_title (en), ==, json_object_get_string_member (title, "en"));
      g_assert_cmpstr (chrono_tour_step_get_title (fr), ==, json_object_get_string_member (title, "fr"));
      g_assert_cmpstr (chrono_tour_step_get_lang (en), ==, "en");
      g_assert_cmpstr (chrono_tour_step_get_lang (fr), ==, "fr");
      g_assert_cmpstr (chrono_tour_step_get_title (en), !=, chrono_tour_step_get_title (fr));

      /* The map shows the event in effect. */
      g_assert_cmpint (chrono_tour_step_get_day (en), >=, chrono_event_get_start_lo (event));
      g_assert_cmpint (chrono_tour_step_get_day (en), <=, chrono_event_get_end_hi (event));

      /* Steps move forward in time. */
      if (i > 0)
        g_assert_cmpint (chrono_tour_step_get_day (en), >=,
                         chrono_tour_step_get_day (g_ptr_array_index (english, i - 1)));
    }

  g_assert_cmpstr (chrono_tour_step_get_event_id (g_ptr_array_index (english, 0)), ==, "war-2020");
}

/* One way to quote and cite, everywhere: the marks of the quote's language,
 * an ellipsis where it is cut, the source's citation name and month */
static void
test_quote_and_cite (void)
{
  g_autoptr (ChronoSource) source = g_object_new (CHRONO_TYPE_SOURCE,
                                                  "id", "s", "title", "[A long description]",
                                                  "citation-name", "Encyclopedia article",
                                                  "published", "2024-04/..", NULL);
  g_autoptr (ChronoSource) plain = g_object_new (CHRONO_TYPE_SOURCE,
                                                 "id", "t", "title", "Headline", "outlet", "Libération",
                                                 "published", "2024-04-17", NULL);
  g_autoptr (ChronoExcerpt) french = g_object_new (CHRONO_TYPE_EXCERPT,
                                                   "id", "x", "quote", "le 19 et le 20 septembre 2023",
                                                   "lang", "fr", "source", source, NULL);
  g_autoptr (ChronoExcerpt) english = g_object_new (CHRONO_TYPE_EXCERPT,
                                                    "id", "y", "quote", "The ceasefire holds.",
                                                    "lang", "en", "source", plain, NULL);
  g_autofree char *french_quoted = chrono_excerpt_dup_quoted (french);
  g_autofree char *english_quoted = chrono_excerpt_dup_quoted (english);
  g_autofree char *french_cited = chrono_excerpt_dup_citation (french);
  g_autofree char *english_cited = chrono_excerpt_dup_citation (english);
  g_autofree char *cited = chrono_source_dup_citation (source);

  g_assert_cmpstr (cited, ==, "Encyclopedia article, April 2024");
  g_assert_cmpstr (french_quoted, ==, "«\u00a0…le 19 et le 20 septembre 2023…\u00a0»");
  g_assert_cmpstr (english_quoted, ==, "“The ceasefire holds.”");
  g_assert_cmpstr (french_cited, ==, "— Encyclopedia article, April 2024 · French");
  g_assert_cmpstr (english_cited, ==, "— Libération, 17 April 2024 · English");

  /* A quotation quoted as it stands in the source is not marked twice */
  {
    g_autoptr (ChronoExcerpt) quoted = g_object_new (CHRONO_TYPE_EXCERPT,
                                                     "id", "z", "quote", "« la priorité est la sécurité »",
                                                     "lang", "fr", "source", source, NULL);
    g_autofree char *text = chrono_excerpt_dup_quoted (quoted);

    g_assert_cmpstr (text, ==, "« la priorité est la sécurité »");
  }
}

/* Claimed values as people write them, in the sources' disagreements */
static void
test_claim_format_value (void)
{
  static const struct { const char *key, *value, *expected; } cases[] = {
    { "date", "2020-11-09", "9 November 2020" },
    { "date", "2020-11", "November 2020" },
    { "start", "autumn 2020", "autumn 2020" },
    { "end", "2025", "2025" },
    { "troops", "1960", "1960 troops" },
    { "troops", "nearly 2000", "nearly 2000 troops" },
    { "wounded", "6", "6 wounded" },
    { "villages", "1", "1 village" },
    { "armoured-vehicles", "90", "90 armoured vehicles" },
    { "distance", "12.7 km", "12.7 km" },
    { "duration", "6 weeks", "6 weeks" },
    { "troops", "2000-ish", "2000-ish" },
    { "troops", "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = chrono_claim_format_value (cases[i].key, cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/dataset/import/meta-and-sources", test_import_meta_and_sources);
  g_test_add_func ("/dataset/import/places", test_import_places);
  g_test_add_func ("/dataset/import/events", test_import_events);
  g_test_add_func ("/dataset/import/open-end", test_import_open_end);
  g_test_add_func ("/dataset/import/replaces", test_import_replaces);
  g_test_add_func ("/dataset/disagreements", test_disagreements);
  g_test_add_func ("/dataset/spans-match-events", test_spans_match_events);
  g_test_add_func ("/dataset/search", test_search);
  g_test_add_func ("/dataset/search-ranking", test_search_ranking);
  g_test_add_func ("/dataset/bad/files", test_bad_files);
  g_test_add_func ("/dataset/bad/through-gfile", test_bad_file_through_gfile);
  g_test_add_func ("/dataset/bad/variants", test_bad_variants);
  g_test_add_func ("/dataset/bad/nul", test_bad_nul);
  g_test_add_func ("/dataset/bad/numbers", test_bad_numbers);
  g_test_add_func ("/dataset/bad/duplicate-early", test_bad_duplicate_early);
  g_test_add_func ("/dataset/imported-variants", test_imported_variants);
  g_test_add_func ("/dataset/bad/keeps-previous-data", test_failed_import_keeps_data);
  g_test_add_func ("/dataset/bundled/first-run", test_bundled_first_run);
  g_test_add_func ("/dataset/bundled/refresh", test_bundled_refresh);
  g_test_add_func ("/dataset/cached", test_open_cached);
  g_test_add_func ("/dataset/cached/disk-full", test_cached_disk_full);
  g_test_add_func ("/dataset/cached/stale-builds", test_cached_stale_builds);
  g_test_add_func ("/dataset/cached/killed-build", test_cached_killed_build);
  g_test_add_func ("/dataset/bundled/search-names", test_bundled_search_names);
  g_test_add_func ("/dataset/bundled/dated-names", test_bundled_dated_names);
  g_test_add_func ("/dataset/place-names/when", test_place_names_when);
  g_test_add_func ("/dataset/tour/import", test_tour_import);
  g_test_add_func ("/dataset/tour/absent-and-replaced", test_tour_absent_and_replaced);
  g_test_add_func ("/dataset/tour/bad", test_tour_bad);
  g_test_add_func ("/dataset/bundled/tour", test_bundled_tour);
  g_test_add_func ("/dataset/claim-format-value", test_claim_format_value);
  g_test_add_func ("/dataset/quote-and-cite", test_quote_and_cite);

  return g_test_run ();
}
