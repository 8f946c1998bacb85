/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The fast paths of a large dataset against the slow ones, on 100,000
 * generated events (10,000 under the sanitizers). The oracle is a second
 * backend behind the same interface (ChronoEventSource): the dataset read
 * into memory, event by event, every question answered by looking at every
 * event (test-memory-source.c). Against it: the event table read in one
 * scan; what is in effect on random days from the time index of the table
 * and from the store's index of extents; the events at a place; search;
 * events, places, sources and the tour read through the interface; and the
 * list model of rowids against a consumer that replays its changes.
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
#include "test-memory-source.h"
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
  ChronoStore      *store;
  TestMemorySource *memory;   /* the oracle: every event read with its texts */
  GPtrArray        *events;   /* its events */
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

  fixture.memory = test_memory_source_new_copy (CHRONO_EVENT_SOURCE (fixture.store), "en", &error);
  g_assert_no_error (error);
  fixture.events = g_ptr_array_ref (test_memory_source_get_events (fixture.memory));
  g_assert_cmpuint (fixture.events->len, ==, N_EVENTS);
}

static void
test_table (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoEventTable) table = chrono_event_table_load (fixture.store, &error);
  g_autoptr (ChronoEventTable) oracle = chrono_event_source_load_table (CHRONO_EVENT_SOURCE (fixture.memory), NULL);
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

/* The same rowids in the same order */
static void
assert_same_ids (GArray *got,
                 GArray *expected)
{
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
      g_autoptr (GArray) strict = chrono_event_source_get_events_at (CHRONO_EVENT_SOURCE (fixture.memory), day, NULL);
      g_autoptr (GArray) glowing = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr (GArray) from_index = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr (GArray) from_glow = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr (GArray) from_store = NULL;

      for (guint i = 0; i < fixture.events->len; i++)
        {
          ChronoEvent *event = g_ptr_array_index (fixture.events, i);
          gint64 lo = chrono_event_get_start_lo (event), hi = chrono_event_get_end_hi (event);
          gint64 rowid = chrono_event_get_rowid (event);

          if (chrono_span_is_short (lo, hi) ? lo <= day && day <= hi + 7 : lo <= day && day <= hi)
            g_array_append_val (glowing, rowid);
        }

      chrono_time_index_query (index, day, from_index);
      chrono_time_index_query (glow, day, from_glow);
      g_assert_cmpuint (chrono_time_index_count_at (index, day), ==, strict->len);
      from_store = chrono_event_source_get_events_at (CHRONO_EVENT_SOURCE (fixture.store), day, &error);
      g_assert_no_error (error);
      /* By start, then end, then rowid, as the command line lists them */
      assert_same_ids (from_store, strict);
      assert_same_set (from_index, strict);
      assert_same_set (from_glow, glowing);
      n_nonempty += strict->len > 0;
    }
  g_assert_cmpuint (n_nonempty, >, 80);
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
      g_autoptr (GArray) expected = chrono_event_source_search (CHRONO_EVENT_SOURCE (fixture.memory), query, NULL);
      g_autoptr (GArray) got = NULL;
      g_autoptr (GError) error = NULL;

      got = chrono_event_source_search (CHRONO_EVENT_SOURCE (fixture.store), query, &error);
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

static void
assert_same_event (ChronoEvent *got,
                   ChronoEvent *expected)
{
  g_assert_cmpint (chrono_event_get_rowid (got), ==, chrono_event_get_rowid (expected));
  g_assert_cmpstr (chrono_event_get_id (got), ==, chrono_event_get_id (expected));
  g_assert_cmpstr (chrono_event_get_title (got), ==, chrono_event_get_title (expected));
  g_assert_cmpstr (chrono_event_get_summary (got), ==, chrono_event_get_summary (expected));
  g_assert_cmpint (chrono_event_get_start_lo (got), ==, chrono_event_get_start_lo (expected));
  g_assert_cmpint (chrono_event_get_end_hi (got), ==, chrono_event_get_end_hi (expected));
  g_assert_cmpuint (chrono_event_get_places (got)->len, ==, chrono_event_get_places (expected)->len);
  for (guint i = 0; i < chrono_event_get_places (got)->len; i++)
    g_assert_cmpstr (chrono_place_get_id (g_ptr_array_index (chrono_event_get_places (got), i)), ==,
                     chrono_place_get_id (g_ptr_array_index (chrono_event_get_places (expected), i)));
}

/* Every other question of the interface, the store against the events in
 * memory */
static void
test_sources_agree (void)
{
  ChronoEventSource *store = CHRONO_EVENT_SOURCE (fixture.store);
  ChronoEventSource *memory = CHRONO_EVENT_SOURCE (fixture.memory);
  g_autoptr (GRand) rand = g_rand_new_with_seed (2024);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) spans = chrono_event_source_get_spans (store, &error);
  g_autoptr (GArray) oracle_spans = chrono_event_source_get_spans (memory, NULL);
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GPtrArray) oracle_places = NULL;
  guint n_at_places = 0;

  /* Every extent, by earliest start then latest end (the store leaves the
   * order of equal extents to sqlite) */
  g_assert_no_error (error);
  g_assert_cmpuint (spans->len, ==, oracle_spans->len);
  for (guint i = 0; i < spans->len; i++)
    {
      const ChronoSpan *a = &g_array_index (spans, ChronoSpan, i);
      const ChronoSpan *b = &g_array_index (oracle_spans, ChronoSpan, i);

      g_assert_cmpint (a->lo, ==, b->lo);
      g_assert_cmpint (a->hi, ==, b->hi);
    }

  /* Places, in the dataset's order; what happened at some of them */
  places = chrono_event_source_get_places (store, "en", &error);
  g_assert_no_error (error);
  oracle_places = chrono_event_source_get_places (memory, "en", NULL);
  g_assert_cmpuint (places->len, ==, oracle_places->len);
  g_assert_cmpuint (places->len, >, N_PLACES * 9 / 10);
  for (guint i = 0; i < places->len; i++)
    g_assert_cmpstr (chrono_place_get_id (g_ptr_array_index (places, i)), ==,
                     chrono_place_get_id (g_ptr_array_index (oracle_places, i)));
  for (guint k = 0; k < 40; k++)
    {
      const char *id = chrono_place_get_id (g_ptr_array_index (places, g_rand_int_range (rand, 0, places->len)));
      g_autoptr (GArray) got = chrono_event_source_get_events_at_place (store, id, &error);
      g_autoptr (GArray) expected = chrono_event_source_get_events_at_place (memory, id, NULL);

      g_assert_no_error (error);
      assert_same_ids (got, expected);
      n_at_places += got->len;
    }
  g_assert_cmpuint (n_at_places, >, 40);

  /* Events read whole: by rowid, several at once, by id */
  for (guint k = 0; k < 200; k++)
    {
      ChronoEvent *expected = g_ptr_array_index (fixture.events, g_rand_int_range (rand, 0, fixture.events->len));
      g_autoptr (ChronoEvent) by_rowid = chrono_event_source_get_event (store, chrono_event_get_rowid (expected), "en", &error);
      g_autoptr (ChronoEvent) by_id = NULL;

      g_assert_no_error (error);
      assert_same_event (by_rowid, expected);
      by_id = chrono_event_source_get_event_by_id (store, chrono_event_get_id (expected), "en", &error);
      g_assert_no_error (error);
      assert_same_event (by_id, expected);
    }
  {
    gint64 rowids[] = { chrono_event_get_rowid (g_ptr_array_index (fixture.events, 7)),
                        chrono_event_get_rowid (g_ptr_array_index (fixture.events, 3)),
                        chrono_event_get_rowid (g_ptr_array_index (fixture.events, fixture.events->len - 1)) };
    g_autoptr (GPtrArray) got = chrono_event_source_get_events (store, rowids, G_N_ELEMENTS (rowids), "en", &error);
    g_autoptr (GPtrArray) expected = chrono_event_source_get_events (memory, rowids, G_N_ELEMENTS (rowids), "en", NULL);
    gint64 missing[] = { rowids[0], G_MAXINT64 };
    g_autoptr (GPtrArray) none = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (got->len, ==, 3);
    for (guint i = 0; i < got->len; i++)
      assert_same_event (g_ptr_array_index (got, i), g_ptr_array_index (expected, i));
    /* One missing fails the whole, in both */
    none = chrono_event_source_get_events (store, missing, 2, "en", &error);
    g_assert_null (none);
    g_assert_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
    none = chrono_event_source_get_events (memory, missing, 2, "en", &error);
    g_assert_null (none);
    g_assert_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* The dataset's title, named after its file */
  {
    g_autofree char *title = chrono_event_source_dup_meta (store, "title", "en");
    g_autofree char *oracle_title = chrono_event_source_dup_meta (memory, "title", "en");

    g_assert_nonnull (title);
    g_assert_cmpstr (title, ==, oracle_title);
  }
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
  g_test_add_func ("/scale/sources-agree", test_sources_agree);
  g_test_add_func ("/scale/event-list", test_event_list);
  status = g_test_run ();

  g_ptr_array_unref (fixture.events);
  g_object_unref (fixture.memory);
  g_object_unref (fixture.store);
  return status;
}
