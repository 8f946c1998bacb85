/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The fast paths of a large dataset against the slow ones, on 100,000
 * generated events (10,000 under the sanitizers): the event table read in one scan against the events read
 * one by one; what is in effect on random days from the time index of the
 * table and from the store's index of extents against every event looked at;
 * search against every event's texts; the list model of rowids against a
 * consumer that replays its changes.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "chrono-date.h"
#include "chrono-event-list.h"
#include "chrono-event-table.h"
#include "chrono-excerpt.h"
#include "chrono-place.h"
#include "chrono-store.h"
#include "chrono-time-index.h"
#include "import/chrono-import.h"
#include "test-run.h"

/* Under the sanitizers, which check memory and not answers, a tenth */
#if defined(__SANITIZE_ADDRESS__)
#define N_EVENTS 10000
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define N_EVENTS 10000
#endif
#endif
#ifndef N_EVENTS
#define N_EVENTS 100000
#endif
#define N_PLACES 3000

static const char * const words[] = {
  "council", "rain", "crowds", "market", "square", "bridge", "harvest", "river",
  "merchants", "bells", "night", "dawn", "soldiers", "records", "coast", "church",
};

static const char * const categories[] = { "battle", "treaty", "flood", "protest", "context", "fire" };

typedef struct
{
  ChronoStore *store;
  GPtrArray   *events;   /* the oracle: every event read with its texts */
} Fixture;

static Fixture fixture;

/* Dates as people give them: days, months, years, approximate, open ends */
static char *
random_date (GRand *rand,
             int    year)
{
  int month = g_rand_int_range (rand, 1, 13), day = g_rand_int_range (rand, 1, 29);

  switch (g_rand_int_range (rand, 0, 10))
    {
    case 0:
      return g_strdup_printf ("%04d", year);
    case 1:
      return g_strdup_printf ("%04d-%02d", year, month);
    case 2:
      return g_strdup_printf ("%04d-%02d-%02d~", year, month, day);
    default:
      return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
    }
}

static void
build_dataset (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (1311);
  g_autoptr (GString) csv = g_string_new ("start,end,title,description,place,latitude,longitude,category\n");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (ChronoImport) import = NULL;
  g_autoptr (GArray) spans = NULL;
  g_autoptr (GArray) ids = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < N_EVENTS; i++)
    {
      int year = g_rand_int_range (rand, 1990, 2025);
      g_autofree char *start = random_date (rand, year);
      g_autofree char *end = g_rand_int_range (rand, 0, 3) == 0 ? random_date (rand, year + g_rand_int_range (rand, 1, 3))
                           : g_rand_int_range (rand, 0, 50) == 0 ? g_strdup ("..") : g_strdup ("");
      guint place = g_rand_int_range (rand, 0, N_PLACES);

      g_string_append_printf (csv, "%s,%s,Event %u %s,%s %s,Place %u,%.4f,%.4f,%s\n", start, end, i,
                              words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                              words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                              words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                              place, -60.0 + place % 120, -170.0 + (place * 7) % 340,
                              g_rand_int_range (rand, 0, 8) == 0 ? "" : categories[g_rand_int_range (rand, 0, G_N_ELEMENTS (categories))]);
    }

  fixture.store = chrono_store_new_in_memory (&error);
  g_assert_no_error (error);
  bytes = g_bytes_new (csv->str, csv->len);
  import = chrono_import_new (fixture.store, "scale.csv", NULL);
  g_assert_true (chrono_import_run (import, bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (chrono_import_get_n_events (import), ==, N_EVENTS);

  spans = chrono_store_get_spans (fixture.store, &error);
  g_assert_no_error (error);
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < spans->len; i++)
    g_array_append_val (ids, g_array_index (spans, ChronoSpan, i).id);
  fixture.events = chrono_store_get_events (fixture.store, (const gint64 *) (gpointer) ids->data, ids->len, "en", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture.events->len, ==, N_EVENTS);
}

static void
test_table (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoEventTable) table = chrono_event_table_load (fixture.store, &error);
  g_autoptr (ChronoEventTable) oracle = chrono_event_table_new_from_events (fixture.events);
  g_autoptr (ChronoEventTable) copy = NULL;
  guint n_uncertain = 0;

  g_assert_no_error (error);
  assert_tables_equal (table, oracle);
  copy = chrono_event_table_copy (table);
  assert_tables_equal (copy, oracle);

  /* The data is what the test means it to be */
  for (guint i = 0; i < chrono_event_table_get_n_rows (table); i++)
    if (chrono_event_table_get_rows (table)[i].start_lo != chrono_event_table_get_rows (table)[i].start_hi)
      n_uncertain++;
  g_assert_cmpuint (n_uncertain, >, N_EVENTS / 10);
  g_assert_cmpuint (chrono_event_table_get_n_place_ids (table), ==, MIN (N_PLACES, chrono_event_table_get_n_place_ids (table)));
  g_assert_cmpuint (chrono_event_table_get_n_place_ids (table), >, N_PLACES * 9 / 10);
  g_assert_cmpuint (chrono_event_table_get_n_categories (table), ==, G_N_ELEMENTS (categories) + 1);

  /* A row taken out and read again */
  {
    ChronoEvent *event = g_ptr_array_index (fixture.events, 1234);
    gint64 rowid = chrono_event_get_rowid (event);

    chrono_event_table_remove (copy, rowid);
    g_assert_null (chrono_event_table_lookup (copy, rowid));
    g_assert_cmpuint (chrono_event_table_get_n_rows (copy), ==, N_EVENTS - 1);
    g_assert_true (chrono_event_table_read_event (copy, fixture.store, chrono_event_get_id (event), &error));
    g_assert_no_error (error);
    assert_tables_equal (copy, oracle);
  }
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
assert_same_set (GArray *got,
                 GArray *expected)
{
  g_array_sort (got, compare_ids);
  g_array_sort (expected, compare_ids);
  g_assert_cmpuint (got->len, ==, expected->len);
  for (guint i = 0; i < got->len; i++)
    g_assert_cmpint (g_array_index (got, gint64, i), ==, g_array_index (expected, gint64, i));
}

static void
test_in_effect (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (77);
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoEventTable) table = chrono_event_table_load (fixture.store, &error);
  g_autoptr (ChronoTimeIndex) index = chrono_event_table_build_index (table, 0);
  g_autoptr (ChronoTimeIndex) glow = chrono_event_table_build_index (table, 7);
  guint n_nonempty = 0;

  for (guint d = 0; d < 120; d++)
    {
      ChronoDay day = chrono_day_from_ymd (1990, 1, 1) + g_rand_int_range (rand, 0, 36 * 365);
      g_autoptr (GArray) strict = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr (GArray) glowing = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr (GArray) from_index = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr (GArray) from_glow = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr (GArray) from_store = NULL;

      for (guint i = 0; i < fixture.events->len; i++)
        {
          ChronoEvent *event = g_ptr_array_index (fixture.events, i);
          gint64 lo = chrono_event_get_start_lo (event), hi = chrono_event_get_end_hi (event);
          gint64 rowid = chrono_event_get_rowid (event);

          if (lo <= day && day <= hi)
            g_array_append_val (strict, rowid);
          if (chrono_span_is_short (lo, hi) ? lo <= day && day <= hi + 7 : lo <= day && day <= hi)
            g_array_append_val (glowing, rowid);
        }

      chrono_time_index_query (index, day, from_index);
      chrono_time_index_query (glow, day, from_glow);
      g_assert_cmpuint (chrono_time_index_count_at (index, day), ==, strict->len);
      from_store = chrono_store_get_events_at (fixture.store, day, &error);
      g_assert_no_error (error);
      /* By start, as the command line lists them */
      for (guint i = 1; i < from_store->len; i++)
        g_assert_cmpint (chrono_event_table_lookup (table, g_array_index (from_store, gint64, i - 1))->start_lo, <=,
                         chrono_event_table_lookup (table, g_array_index (from_store, gint64, i))->start_lo);
      assert_same_set (from_index, strict);
      assert_same_set (from_store, strict);
      assert_same_set (from_glow, glowing);
      n_nonempty += strict->len > 0;
    }
  g_assert_cmpuint (n_nonempty, >, 80);
}

static gboolean
event_matches (ChronoEvent *event,
               char       **query_words)
{
  for (guint w = 0; query_words[w] != NULL; w++)
    {
      GPtrArray *places = chrono_event_get_places (event);
      GPtrArray *excerpts = chrono_event_get_excerpts (event);
      gboolean found = chrono_search_text_matches (query_words[w], chrono_event_get_title (event)) ||
                       chrono_search_text_matches (query_words[w], chrono_event_get_summary (event));

      for (guint i = 0; !found && excerpts != NULL && i < excerpts->len; i++)
        found = chrono_search_text_matches (query_words[w], chrono_excerpt_get_quote (g_ptr_array_index (excerpts, i)));
      for (guint i = 0; !found && places != NULL && i < places->len; i++)
        found = chrono_search_text_matches (query_words[w], chrono_place_get_name (g_ptr_array_index (places, i)));
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static void
test_search (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  guint n_large = 0, n_ranked = 0;

  for (guint q = 0; q < 12; q++)
    {
      const char *a = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];
      const char *b = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];
      /* A letter alone: half of the events, more than are ranked */
      g_autofree char *query = q == 0 ? g_strdup ("c")
                             : q % 3 == 0 ? g_strndup (a, 3)
                             : q % 3 == 1 ? g_strdup (a)
                             : g_strdup_printf ("%s %s", a, b);
      g_auto (GStrv) query_words = g_strsplit (query, " ", -1);
      g_autoptr (GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr (GArray) got = NULL;
      g_autoptr (GError) error = NULL;

      for (guint i = 0; i < fixture.events->len; i++)
        if (event_matches (g_ptr_array_index (fixture.events, i), query_words))
          {
            gint64 rowid = chrono_event_get_rowid (g_ptr_array_index (fixture.events, i));

            g_array_append_val (expected, rowid);
          }

      got = chrono_store_search (fixture.store, query, &error);
      g_assert_no_error (error);
      g_test_message ("“%s”: %u", query, got->len);
      /* Past the ranked ones, in the dataset's order */
      if (got->len > CHRONO_STORE_MAX_RANKED)
        {
          n_large++;
          for (guint i = 1; i < got->len; i++)
            g_assert_cmpint (g_array_index (got, gint64, i - 1), <, g_array_index (got, gint64, i));
        }
      else
        n_ranked++;
      assert_same_set (got, expected);
    }
  g_assert_cmpuint (n_large, >, 0);
  g_assert_cmpuint (n_ranked, >, 0);
}

/* A consumer of the list: its copy of the ids, changed as the list says */
static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *shadow)
{
  const gint64 *ids = chrono_event_list_get_ids (CHRONO_EVENT_LIST (model), NULL);

  g_array_remove_range (shadow, position, removed);
  g_array_insert_vals (shadow, position, ids + position, added);
}

static ChronoEvent *
load_oracle_event (gint64   rowid,
                   gpointer user_data)
{
  GHashTable *by_rowid = user_data;
  ChronoEvent *event = g_hash_table_lookup (by_rowid, &rowid);

  return event != NULL ? g_object_ref (event) : NULL;
}

static void
test_event_list (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  g_autoptr (GHashTable) by_rowid = NULL;
  g_autoptr (ChronoEventList) list = NULL;
  g_autoptr (GArray) shadow = g_array_new (TRUE, FALSE, sizeof (gint64));
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoEventTable) table = chrono_event_table_load (fixture.store, &error);
  g_autoptr (ChronoTimeIndex) index = chrono_event_table_build_index (table, 0);
  ChronoDay day = chrono_day_from_ymd (2000, 1, 1);

  by_rowid = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < fixture.events->len; i++)
    {
      gint64 *key = g_new (gint64, 1);

      *key = chrono_event_get_rowid (g_ptr_array_index (fixture.events, i));
      g_hash_table_insert (by_rowid, key, g_ptr_array_index (fixture.events, i));
    }

  list = chrono_event_list_new (load_oracle_event, by_rowid);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), shadow);

  /* The days of a scrub, then jumps, as the time index gives them */
  for (guint step = 0; step < 200; step++)
    {
      g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      guint n;
      const gint64 *have;

      day += step < 150 ? g_rand_int_range (rand, 1, 4) : g_rand_int_range (rand, -3000, 3000);
      chrono_time_index_query (index, day, ids);
      chrono_event_list_set_ids (list, (const gint64 *) (gpointer) ids->data, ids->len);

      have = chrono_event_list_get_ids (list, &n);
      g_assert_cmpuint (n, ==, ids->len);
      g_assert_cmpuint (shadow->len, ==, ids->len);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, ids->len);
      for (guint i = 0; i < n; i++)
        {
          g_assert_cmpint (have[i], ==, g_array_index (ids, gint64, i));
          g_assert_cmpint (g_array_index (shadow, gint64, i), ==, have[i]);
        }
      if (n > 0)
        {
          guint i = g_rand_int_range (rand, 0, n);
          g_autoptr (ChronoEvent) item = g_list_model_get_item (G_LIST_MODEL (list), i);

          g_assert_cmpint (chrono_event_get_rowid (item), ==, have[i]);
          g_assert_cmpuint (chrono_event_list_find (list, have[i]), <=, i);
        }
    }

  /* Another order altogether: still right */
  {
    g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
    guint n;
    const gint64 *have;

    chrono_time_index_query (index, day, ids);
    for (guint i = 0; i < ids->len / 2; i++)
      {
        gint64 t = g_array_index (ids, gint64, i);

        g_array_index (ids, gint64, i) = g_array_index (ids, gint64, ids->len - 1 - i);
        g_array_index (ids, gint64, ids->len - 1 - i) = t;
      }
    chrono_event_list_set_ids (list, (const gint64 *) (gpointer) ids->data, ids->len);
    have = chrono_event_list_get_ids (list, &n);
    g_assert_cmpuint (n, ==, ids->len);
    for (guint i = 0; i < n; i++)
      g_assert_cmpint (g_array_index (shadow, gint64, i), ==, have[i]);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  build_dataset ();
  g_test_add_func ("/scale/table", test_table);
  g_test_add_func ("/scale/in-effect", test_in_effect);
  g_test_add_func ("/scale/search", test_search);
  g_test_add_func ("/scale/event-list", test_event_list);
  status = g_test_run ();

  g_ptr_array_unref (fixture.events);
  g_object_unref (fixture.store);
  return status;
}
