/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "chrono-cli.h"
#include "chrono-dataset.h"
#include "chrono-date.h"
#include "chrono-event.h"
#include "chrono-store.h"
#include "chrono-time-index.h"
#include "chrono-tour-step.h"

/*
 * The store on real sqlite files in a per-test temporary directory
 * (G_TEST_OPTION_ISOLATE_DIRS), written through its own API. Dataset JSON
 * loading is tested in test-dataset.c.
 */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)

/* A file in this test's own directory (created on demand). */
static char *
temp_path (const char *name)
{
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  return g_build_filename (g_get_user_cache_dir (), name, NULL);
}

/* A file's bytes and times, to prove that something did not touch it. */
typedef struct
{
  GBytes   *bytes;
  GStatBuf  stat;
} Snapshot;

static void
snapshot_clear (Snapshot *snapshot)
{
  g_clear_pointer (&snapshot->bytes, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Snapshot, snapshot_clear)

static void
snapshot_take (Snapshot   *snapshot,
               const char *path)
{
  g_autoptr (GError) error = NULL;
  char *contents;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  snapshot->bytes = g_bytes_new_take (contents, length);
  g_assert_cmpint (g_stat (path, &snapshot->stat), ==, 0);
}

static void
assert_unchanged (const Snapshot *before,
                  const char     *path)
{
  g_auto (Snapshot) after = { 0 };
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  snapshot_take (&after, path);
  g_assert_true (g_bytes_equal (before->bytes, after.bytes));
  g_assert_cmpint (before->stat.st_mtime, ==, after.stat.st_mtime);
  g_assert_cmpint (before->stat.st_mtim.tv_nsec, ==, after.stat.st_mtim.tv_nsec);
  g_assert_cmpint (before->stat.st_size, ==, after.stat.st_size);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
}

static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  return db;
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
raw_query_int (sqlite3    *db,
               const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static char *
raw_query_text (sqlite3    *db,
                const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

/* Adds a minimal event (texts in @langs, "en" when NULL). */
static gint64
add_event (ChronoStore        *store,
           const char         *id,
           gint64              start_lo,
           gint64              start_hi,
           gint64              end_lo,
           gint64              end_hi,
           const char * const *langs)
{
  static const char * const english[] = { "en", NULL };
  g_autoptr (GError) error = NULL;
  gint64 rowid = 0;

  chrono_store_add_event (store, id, "2020", NULL, start_lo, start_hi, end_lo, end_hi,
                          "context", 2, NULL, &rowid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rowid, >, 0);

  for (const char * const *lang = langs != NULL ? langs : english; *lang != NULL; lang++)
    {
      g_autofree char *title = g_strdup_printf ("%s title %s", id, *lang);
      g_autofree char *summary = g_strdup_printf ("%s summary %s", id, *lang);

      chrono_store_add_event_text (store, id, *lang, title, summary, &error);
      g_assert_no_error (error);
    }

  return rowid;
}

static ChronoStore *
open_ok (const char *path)
{
  g_autoptr (GError) error = NULL;
  ChronoStore *store = chrono_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (CHRONO_IS_STORE (store));
  return store;
}

/* What schema 4 added: a file that is to pass for an older schema loses it */
static void
drop_schema_4 (sqlite3 *db)
{
  raw_exec (db, "ALTER TABLE place_name DROP COLUMN \"when\";"
                "ALTER TABLE place_name DROP COLUMN when_lo;"
                "ALTER TABLE place_name DROP COLUMN when_hi");
}

static void
test_schema (void)
{
  g_autofree char *path = temp_path ("new.chronotope");
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (sqlite3) db = NULL;
  g_autofree char *mode = NULL;
  static const char * const tables[] = {
    "source", "place", "place_name", "event", "event_text", "event_place",
    "excerpt", "claim", "meta", "search", "tour_step", "tour_text",
  };
  static const char * const indexes[] = {
    "event_start_lo", "event_end_hi", "event_place_place", "excerpt_event", "claim_event",
    "tour_step_event",
  };

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  store = open_ok (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (chrono_store_get_path (store), ==, path);
  g_clear_object (&store);

  db = raw_open (path);
  g_assert_cmpint (raw_query_int (db, "PRAGMA application_id"), ==, CHRONO_STORE_APPLICATION_ID);
  g_assert_cmpint (raw_query_int (db, "PRAGMA user_version"), ==, CHRONO_STORE_SCHEMA_VERSION);
  mode = raw_query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql =
        g_strdup_printf ("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '%s'", tables[i]);

      g_test_message ("table %s", tables[i]);
      g_assert_cmpint (raw_query_int (db, sql), ==, 1);
    }

  for (guint i = 0; i < G_N_ELEMENTS (indexes); i++)
    {
      g_autofree char *sql =
        g_strdup_printf ("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = '%s'", indexes[i]);

      g_test_message ("index %s", indexes[i]);
      g_assert_cmpint (raw_query_int (db, sql), ==, 1);
    }

  /* Events keep a stable integer id beside their text id. */
  g_assert_cmpint (raw_query_int (db, "SELECT count(*) FROM pragma_table_info ('event') "
                                      "WHERE name = 'rowid' AND pk = 1 AND type = 'INTEGER'"), ==, 1);
}

static void
test_foreign_keys (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  g_autoptr (GArray) spans = NULL;

  g_assert_no_error (error);
  g_assert_null (chrono_store_get_path (store));

  g_assert_true (chrono_store_begin (store, &error));
  add_event (store, "e1", 10, 10, 10, 10, NULL);
  /* No such place: the foreign key refuses the link. */
  g_assert_false (chrono_store_add_event_place (store, "e1", "nowhere", "location", 0, &error));
  g_assert_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "FOREIGN KEY"));
  g_clear_error (&error);
  chrono_store_rollback (store);

  spans = chrono_store_get_spans (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spans->len, ==, 0);
}

static void
test_reopen (void)
{
  g_autofree char *path = temp_path ("reopen.chronotope");
  g_autoptr (ChronoStore) store = open_ok (path);
  g_autoptr (ChronoEvent) event = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *value = NULL;
  gint64 rowid;

  g_assert_true (chrono_store_begin (store, &error));
  rowid = add_event (store, "kept", 100, 101, 200, 201, NULL);
  chrono_store_set_meta (store, "dataset-id", "reopen", &error);
  g_assert_no_error (error);
  g_assert_true (chrono_store_commit (store, &error));
  g_clear_object (&store);

  store = open_ok (path);
  event = chrono_store_get_event (store, rowid, "en", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chrono_event_get_id (event), ==, "kept");
  g_assert_cmpint (chrono_event_get_start_lo (event), ==, 100);
  g_assert_cmpint (chrono_event_get_end_hi (event), ==, 201);
  value = chrono_store_dup_meta (store, "dataset-id");
  g_assert_cmpstr (value, ==, "reopen");

  /* The rowid survives a VACUUM: the time index and search rely on it. */
  g_clear_object (&event);
  g_clear_object (&store);
  {
    g_autoptr (sqlite3) db = raw_open (path);

    raw_exec (db, "VACUUM");
  }
  store = open_ok (path);
  event = chrono_store_get_event_by_id (store, "kept", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (chrono_event_get_rowid (event), ==, rowid);
}

static void
test_empty_file_becomes_dataset (void)
{
  g_autofree char *path = temp_path ("empty.chronotope");
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (sqlite3) db = NULL;

  g_file_set_contents (path, "", 0, &error);
  g_assert_no_error (error);

  store = open_ok (path);
  g_clear_object (&store);

  db = raw_open (path);
  g_assert_cmpint (raw_query_int (db, "PRAGMA application_id"), ==, CHRONO_STORE_APPLICATION_ID);
}

/* Opening @path must fail with @code and a message naming the file, and not touch it. */
static void
assert_refused (const char *path,
                int         code)
{
  g_auto (Snapshot) before = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = NULL;
  g_autofree char *basename = g_path_get_basename (path);

  snapshot_take (&before, path);
  store = chrono_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, CHRONO_STORE_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, basename));
  assert_unchanged (&before, path);
}

static void
test_refuse_text_file (void)
{
  g_autofree char *path = temp_path ("notes.chronotope");
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = NULL;

  g_file_set_contents (path, "Not a dataset at all.\nJust some notes.\n", -1, &error);
  g_assert_no_error (error);
  assert_refused (path, CHRONO_STORE_ERROR_NOT_A_DATASET);

  store = chrono_store_open (path, &error);
  g_assert_cmpstr (error->message, ==, "'notes.chronotope' is not a Chronotope dataset");
}

static void
test_refuse_short_binary_file (void)
{
  g_autofree char *path = temp_path ("short.chronotope");
  g_autoptr (GError) error = NULL;

  /* Starts like sqlite but is cut short. */
  g_file_set_contents (path, "SQLite format 3\0\x10\0", 19, &error);
  g_assert_no_error (error);
  assert_refused (path, CHRONO_STORE_ERROR_NOT_A_DATASET);
}

static void
test_refuse_other_sqlite (void)
{
  g_autofree char *path = temp_path ("other.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = NULL;

  {
    g_autoptr (sqlite3) db = raw_open (path);

    raw_exec (db, "CREATE TABLE tiles (zoom_level INTEGER, tile_data BLOB)");
  }
  assert_refused (path, CHRONO_STORE_ERROR_NOT_A_DATASET);

  store = chrono_store_open (path, &error);
  g_assert_nonnull (strstr (error->message, "'other.db' is not a Chronotope dataset"));
}

static void
test_refuse_empty_sqlite (void)
{
  g_autofree char *path = temp_path ("empty-sqlite.chronotope");

  /* A valid sqlite file with no tables and no application id: not ours either. */
  {
    g_autoptr (sqlite3) db = raw_open (path);

    raw_exec (db, "PRAGMA user_version = 7");
  }
  assert_refused (path, CHRONO_STORE_ERROR_NOT_A_DATASET);
}

static void
test_refuse_other_application_id (void)
{
  g_autofree char *path = temp_path ("geo.chronotope");

  {
    g_autoptr (sqlite3) db = raw_open (path);

    /* GeoPackage's application id. */
    raw_exec (db, "PRAGMA application_id = 1196444487; CREATE TABLE meta (key, value)");
  }
  assert_refused (path, CHRONO_STORE_ERROR_NOT_A_DATASET);
}

static void
test_refuse_newer_schema (void)
{
  g_autofree char *path = temp_path ("x.chronotope");
  g_autoptr (ChronoStore) store = open_ok (path);
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;

  g_clear_object (&store);
  {
    g_autoptr (sqlite3) db = raw_open (path);

    g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", CHRONO_STORE_SCHEMA_VERSION + 1);

    raw_exec (db, sql);
  }

  assert_refused (path, CHRONO_STORE_ERROR_NEWER_SCHEMA);
  store = chrono_store_open (path, &error);
  expected = g_strdup_printf ("'x.chronotope' was written by a newer version of Chronotope "
                              "(schema %d; this version reads up to %d)",
                              CHRONO_STORE_SCHEMA_VERSION + 1, CHRONO_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (error->message, ==, expected);
}

/* The newer schema is only in the WAL (another process has the file open and
 * has not checkpointed): the header looks fine, sqlite's view does not. */
static void
test_refuse_newer_schema_in_wal (void)
{
  g_autofree char *path = temp_path ("wal.chronotope");
  g_autoptr (ChronoStore) store = open_ok (path);
  g_autoptr (sqlite3) other = NULL;
  g_auto (Snapshot) before = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA wal_autocheckpoint = 0; PRAGMA user_version = %d",
                                          CHRONO_STORE_SCHEMA_VERSION + 1);
  g_autofree char *expected = g_strdup_printf ("(schema %d; this version reads up to %d)",
                                               CHRONO_STORE_SCHEMA_VERSION + 1, CHRONO_STORE_SCHEMA_VERSION);

  g_clear_object (&store);
  other = raw_open (path);
  raw_exec (other, sql);
  snapshot_take (&before, path);

  store = chrono_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NEWER_SCHEMA);
  g_assert_nonnull (strstr (error->message, expected));
  assert_unchanged (&before, path);
}

/* A file of schema 0 (ours, but empty) goes through the migration path. */
static void
test_migrations (void)
{
  g_autofree char *path = temp_path ("old.chronotope");
  g_autoptr (ChronoStore) store = NULL;
  g_autoptr (sqlite3) db = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) spans = NULL;

  {
    g_autoptr (sqlite3) old = raw_open (path);
    g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d", CHRONO_STORE_APPLICATION_ID);

    raw_exec (old, sql);
  }

  store = open_ok (path);
  spans = chrono_store_get_spans (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spans->len, ==, 0);
  g_clear_object (&store);

  db = raw_open (path);
  g_assert_cmpint (raw_query_int (db, "PRAGMA user_version"), ==, CHRONO_STORE_SCHEMA_VERSION);
  g_assert_cmpint (raw_query_int (db, "SELECT count(*) FROM sqlite_schema WHERE name = 'event'"), ==, 1);
}

static void
test_rollback (void)
{
  g_autofree char *path = temp_path ("rollback.chronotope");
  g_autoptr (ChronoStore) store = open_ok (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) spans = NULL;
  g_autoptr (GArray) hits = NULL;

  g_assert_true (chrono_store_begin (store, &error));
  add_event (store, "first", 1, 1, 1, 1, NULL);
  g_assert_true (chrono_store_commit (store, &error));

  g_assert_true (chrono_store_begin (store, &error));
  g_assert_true (chrono_store_clear (store, &error));
  add_event (store, "second", 2, 2, 2, 2, NULL);
  chrono_store_rollback (store);

  spans = chrono_store_get_spans (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spans->len, ==, 1);
  g_assert_cmpint (g_array_index (spans, ChronoSpan, 0).lo, ==, 1);

  /* The search index was not rebuilt from the rolled-back rows either. */
  hits = chrono_store_search (store, "first", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_array_unref);
  hits = chrono_store_search (store, "second", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const ChronoSpan *x = a;
  const ChronoSpan *y = b;

  if (x->lo != y->lo)
    return x->lo < y->lo ? -1 : 1;
  if (x->hi != y->hi)
    return x->hi < y->hi ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

static void
test_spans (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  g_autoptr (GArray) expected = g_array_new (FALSE, FALSE, sizeof (ChronoSpan));
  g_autoptr (GArray) spans = NULL;
  struct {
    gint64 start_lo, start_hi, end_lo, end_hi;
  } cases[] = {
    { 18575, 18576, 18575, 18576 },
    { 18576, 18576, 19886, 19886 },
    { CHRONO_DAY_NEGATIVE_INFINITY, 100, 200, 300 },
    { 5, 5, 10, CHRONO_DAY_POSITIVE_INFINITY },
    { -2000000000000, -2000000000000, -1999999999000, -1999999999000 },
    { 18576, 18576, 18600, 18700 },
  };

  g_assert_no_error (error);
  g_assert_true (chrono_store_begin (store, &error));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = g_strdup_printf ("event-%u", i);
      ChronoSpan span;

      span.id = add_event (store, id, cases[i].start_lo, cases[i].start_hi,
                           cases[i].end_lo, cases[i].end_hi, NULL);
      span.lo = cases[i].start_lo;
      span.hi = cases[i].end_hi;
      g_array_append_val (expected, span);
    }
  g_assert_true (chrono_store_commit (store, &error));

  spans = chrono_store_get_spans (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spans->len, ==, expected->len);

  /* Sorted by lo, then hi. */
  g_array_sort (expected, compare_spans);
  for (guint i = 0; i < spans->len; i++)
    {
      const ChronoSpan *got = &g_array_index (spans, ChronoSpan, i);
      const ChronoSpan *want = &g_array_index (expected, ChronoSpan, i);
      g_autoptr (ChronoEvent) event = chrono_store_get_event (store, got->id, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (got->lo, ==, want->lo);
      g_assert_cmpint (got->hi, ==, want->hi);
      g_assert_cmpint (got->id, ==, want->id);
      g_assert_cmpint (chrono_event_get_start_lo (event), ==, got->lo);
      g_assert_cmpint (chrono_event_get_end_hi (event), ==, got->hi);
    }
}

static void
test_event_language_fallback (void)
{
  static const char * const en_fr[] = { "en", "fr", NULL };
  static const char * const ru_only[] = { "ru", NULL };
  static const char * const pt_br[] = { "pt-BR", "en", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  struct {
    const char *event;
    const char *asked;
    const char *lang;
  } cases[] = {
    { "both", "fr", "fr" },
    { "both", "en", "en" },
    { "both", "fr_FR.UTF-8", "fr" },   /* a locale name */
    { "both", "fr-CA", "fr" },         /* another region */
    { "both", "de", "en" },            /* no German: English */
    { "both", NULL, "en" },
    { "russian", "fr", "ru" },         /* no French, no English: any */
    { "brazil", "pt", "pt-BR" },
    { "brazil", "pt-PT", "pt-BR" },
  };

  g_assert_no_error (error);
  g_assert_true (chrono_store_begin (store, &error));
  add_event (store, "both", 1, 1, 1, 1, en_fr);
  add_event (store, "russian", 1, 1, 1, 1, ru_only);
  add_event (store, "brazil", 1, 1, 1, 1, pt_br);
  g_assert_true (chrono_store_commit (store, &error));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ChronoEvent) event = chrono_store_get_event_by_id (store, cases[i].event, cases[i].asked, &error);
      g_autofree char *title = g_strdup_printf ("%s title %s", cases[i].event, cases[i].lang);
      g_autofree char *summary = g_strdup_printf ("%s summary %s", cases[i].event, cases[i].lang);

      g_test_message ("%s in %s", cases[i].event, cases[i].asked);
      g_assert_no_error (error);
      g_assert_cmpstr (chrono_event_get_lang (event), ==, cases[i].lang);
      g_assert_cmpstr (chrono_event_get_title (event), ==, title);
      g_assert_cmpstr (chrono_event_get_summary (event), ==, summary);
    }
}

static void
test_event_not_found (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  g_autoptr (ChronoEvent) event = NULL;
  g_autoptr (GPtrArray) events = NULL;
  gint64 rowids[2];

  g_assert_no_error (error);
  event = chrono_store_get_event (store, 42, "en", &error);
  g_assert_null (event);
  g_assert_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  event = chrono_store_get_event_by_id (store, "missing", "en", &error);
  g_assert_null (event);
  g_assert_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "'missing'"));
  g_clear_error (&error);

  g_assert_true (chrono_store_begin (store, &error));
  rowids[0] = add_event (store, "there", 1, 1, 1, 1, NULL);
  rowids[1] = rowids[0] + 1000;
  g_assert_true (chrono_store_commit (store, &error));

  events = chrono_store_get_events (store, rowids, 2, "en", &error);
  g_assert_null (events);
  g_assert_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  events = chrono_store_get_events (store, rowids, 1, "en", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_clear_pointer (&events, g_ptr_array_unref);

  events = chrono_store_get_events (store, NULL, 0, "en", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 0);
}

static ChronoPlace *
make_place (void)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func ((GDestroyNotify) chrono_place_name_free);

  g_ptr_array_add (names, chrono_place_name_new ("hy", "Բերձոր", "local"));
  g_ptr_array_add (names, chrono_place_name_new ("en", "Lachin", "common"));
  g_ptr_array_add (names, chrono_place_name_new ("fr", "Latchine", "common"));
  g_ptr_array_add (names, chrono_place_name_new ("fr", "Lachin", "variant"));
  g_ptr_array_add (names, chrono_place_name_new ("hy-Latn", "Berdzor", "variant"));

  return g_object_new (CHRONO_TYPE_PLACE,
                       "id", "lachin",
                       "kind", "town",
                       "lat", 39.6383,
                       "lon", 46.5461,
                       "lang", "fr",
                       "names", names,
                       NULL);
}

static void
test_place_names (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoPlace) built = make_place ();
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GArray) at_place = NULL;
  ChronoPlace *place;
  GPtrArray *names;
  gint64 rowid;

  /* The first name of a language is its usual one. */
  g_assert_cmpstr (chrono_place_get_name (built), ==, "Latchine");
  g_assert_cmpstr (chrono_place_get_name_for (built, "en"), ==, "Lachin");
  g_assert_cmpstr (chrono_place_get_name_for (built, "hy"), ==, "Բերձոր");
  g_assert_cmpstr (chrono_place_get_name_for (built, "fr_BE"), ==, "Latchine");
  g_assert_cmpstr (chrono_place_get_name_for (built, "de"), ==, "Lachin");
  g_assert_cmpstr (chrono_place_get_name_for (built, NULL), ==, "Lachin");

  g_assert_no_error (error);
  g_assert_true (chrono_store_begin (store, &error));
  g_assert_true (chrono_store_add_place (store, built, &error));
  rowid = add_event (store, "at-lachin", 1, 1, 1, 1, NULL);
  g_assert_true (chrono_store_add_event_place (store, "at-lachin", "lachin", "location", 0, &error));
  add_event (store, "elsewhere", 1, 1, 1, 1, NULL);
  g_assert_true (chrono_store_commit (store, &error));

  places = chrono_store_get_places (store, "hy", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (places->len, ==, 1);
  place = g_ptr_array_index (places, 0);
  g_assert_cmpstr (chrono_place_get_id (place), ==, "lachin");
  g_assert_cmpstr (chrono_place_get_kind (place), ==, "town");
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lat (place), 39.6383, 1e-9);
  g_assert_cmpfloat_with_epsilon (chrono_place_get_lon (place), 46.5461, 1e-9);
  g_assert_null (chrono_place_get_geometry (place));
  g_assert_cmpstr (chrono_place_get_lang (place), ==, "hy");
  g_assert_cmpstr (chrono_place_get_name (place), ==, "Բերձոր");

  names = chrono_place_get_names (place);
  g_assert_cmpuint (names->len, ==, 5);
  for (guint i = 0; i < names->len; i++)
    {
      const ChronoPlaceName *want = g_ptr_array_index (chrono_place_get_names (built), i);
      const ChronoPlaceName *got = g_ptr_array_index (names, i);

      g_assert_cmpstr (got->lang, ==, want->lang);
      g_assert_cmpstr (got->name, ==, want->name);
      g_assert_cmpstr (got->usage, ==, want->usage);
    }

  at_place = chrono_store_get_events_at_place (store, "lachin", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (at_place->len, ==, 1);
  g_assert_cmpint (g_array_index (at_place, gint64, 0), ==, rowid);
}

static void
test_search_never_fails (void)
{
  static const char * const inputs[] = {
    "\"", "\"\"", "*", "AND", "OR", "NOT", "a OR", "(", ")", "NEAR(", "NEAR(a b", "title:", "title:x",
    "-", "+", "^", "a*b", "{title}: x", "'", "\\", ":", "Stepanakert\"", "\"Stepanakert", "  ", "",
    "\xff\xfe", "é", "AND OR NOT", "x:y:z", "col* ", "🙂",
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);

  g_assert_no_error (error);
  g_assert_true (chrono_store_begin (store, &error));
  add_event (store, "title-x", 1, 1, 1, 1, NULL);
  g_assert_true (chrono_store_commit (store, &error));

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr (GArray) hits = chrono_store_search (store, inputs[i], &error);

      g_test_message ("search %s", inputs[i]);
      g_assert_no_error (error);
      g_assert_nonnull (hits);
    }

  /* Quoting keeps operators as words: "title-x" finds the title "title-x title en". */
  {
    g_autoptr (GArray) hits = chrono_store_search (store, "title-x", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 1);
  }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The ids of the events found for @text, sorted, separated by commas. */
static char *
search_ids (ChronoStore *store,
            const char  *text)
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
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);

  return g_strjoinv (",", (char **) ids->pdata);
}

/* The bundled dataset, in memory. */
static ChronoStore *
bundled_store (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("CHRONO_SOURCE_ROOT"), "data", "datasets",
                                            "karabakh-peacekeeping.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  g_autoptr (GBytes) json = NULL;
  char *contents;
  gsize length;

  g_assert_no_error (error);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  json = g_bytes_new_take (contents, length);
  g_assert_true (chrono_dataset_import_bytes (store, json, "karabakh-peacekeeping.json", &error));
  g_assert_no_error (error);

  return g_steal_pointer (&store);
}

/* Letters that unicode61 keeps apart from any Latin letter (ə, ı) are found
 * as people type them, in any case and as a prefix; and only they are. */
static void
test_search_folded_letters (void)
{
  g_autoptr (ChronoStore) store = bundled_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) at_place = NULL;
  g_autofree char *expected = search_ids (store, "Xankəndi");
  g_autofree char *wrapped = g_strconcat (",", expected, ",", NULL);
  static const char * const same[] = {
    "Xankendi", "xankendi", "XANKƏNDI", "XANKENDI", "Xanken", "xankə", "Xankǝndi",
  };
  static const struct {
    const char *folded;
    const char *typed;
  } pairs[] = {
    { "Lacin", "Laçın" },           /* ı */
    { "LACIN", "Laçın" },
    { "Katirci", "Katırcı" },       /* in a summary and a quote */
    { "Dagli", "Dağlı" },           /* a prefix: the last word */
    { "Azerbaycan", "Azərbaycan" },
  };
  static const char * const nothing[] = {
    "Xankent", "Xankendix", "Xankəndir", "Xankandi", "Xankidi", "Lacine",
  };

  /* Every event at Stepanakert, whose Azerbaijani name this is, and more */
  g_test_message ("Xankəndi: %s", expected);
  at_place = chrono_store_get_events_at_place (store, "stepanakert", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (at_place->len, >, 0);
  {
    g_autoptr (GPtrArray) events = chrono_store_get_events (store, (const gint64 *) (gpointer) at_place->data,
                                                            at_place->len, "en", &error);

    g_assert_no_error (error);
    for (guint i = 0; i < events->len; i++)
      {
        g_autofree char *needle = g_strconcat (",", chrono_event_get_id (g_ptr_array_index (events, i)), ",", NULL);

        g_assert_nonnull (strstr (wrapped, needle));
      }
  }

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *ids = search_ids (store, same[i]);

      g_test_message ("search '%s'", same[i]);
      g_assert_cmpstr (ids, ==, expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autofree char *folded = search_ids (store, pairs[i].folded);
      g_autofree char *typed = search_ids (store, pairs[i].typed);

      g_test_message ("search '%s' and '%s'", pairs[i].folded, pairs[i].typed);
      g_assert_cmpstr (typed, !=, "");
      g_assert_cmpstr (folded, ==, typed);
    }

  for (guint i = 0; i < G_N_ELEMENTS (nothing); i++)
    {
      g_autofree char *ids = search_ids (store, nothing[i]);

      g_test_message ("search '%s'", nothing[i]);
      g_assert_cmpstr (ids, ==, "");
    }
}

/* The index of an import (chrono_store_index_event) and the one rebuilt at
 * a commit are folded alike; letters of other scripts stay as they are. */
static void
test_search_folded_both_ways (void)
{
  static const char * const found[] = {
    "strasse", "STRASSE", "straße", "lodz", "Łódź", "oresund", "Øresund", "aether", "aeth", "oeuvre",
    "Œuvre", "Ստեփանակերտ", "степанакерт", "istanbul", "İstanbul",
  };
  static const char * const not_found[] = { "strase", "lodzz", "orsund", "aethers", "cтепанакерт" };
  g_autoptr (GError) error = NULL;

  for (int imported = 0; imported < 2; imported++)
    {
      g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
      gint64 rowid;

      g_assert_no_error (error);
      g_assert_true (chrono_store_begin (store, &error));
      rowid = add_event (store, "e", 1, 1, 1, 1, NULL);
      if (imported)
        {
          g_assert_true (chrono_store_index_event (store, rowid, "Straße Łódź Œuvre", "Øresund Æther",
                                                   NULL, "Ստեփանակերտ Степанакерт İstanbul", &error));
          chrono_store_set_search_current (store);
        }
      else
        g_assert_true (chrono_store_add_event_text (store, "e", "de", "Straße Łódź Œuvre Ստեփանակերտ",
                                                    "Øresund Æther Степанакерт İstanbul", &error));
      g_assert_no_error (error);
      g_assert_true (chrono_store_commit (store, &error));
      g_assert_no_error (error);

      for (guint i = 0; i < G_N_ELEMENTS (found); i++)
        {
          g_autofree char *ids = search_ids (store, found[i]);

          g_test_message ("%s: search '%s'", imported ? "imported" : "rebuilt", found[i]);
          g_assert_cmpstr (ids, ==, "e");
        }
      for (guint i = 0; i < G_N_ELEMENTS (not_found); i++)
        {
          g_autofree char *ids = search_ids (store, not_found[i]);

          g_test_message ("%s: search '%s'", imported ? "imported" : "rebuilt", not_found[i]);
          g_assert_cmpstr (ids, ==, "");
        }
    }
}

/* A dataset of schema 2 has an index of unfolded text: opening it builds
 * the index again, so that what is typed without ə finds it. */
static void
test_migrate_2_to_3 (void)
{
  g_autofree char *path = temp_path ("schema-2.chronotope");
  g_autoptr (ChronoStore) store = open_ok (path);
  g_autoptr (GError) error = NULL;

  g_assert_true (chrono_store_begin (store, &error));
  add_event (store, "xankəndi-rally", 5, 5, 5, 9, NULL);
  g_assert_true (chrono_store_commit (store, &error));
  g_clear_object (&store);

  /* What schema 2 wrote: the texts as they are */
  {
    g_autoptr (sqlite3) db = raw_open (path);

    drop_schema_4 (db);
    raw_exec (db, "INSERT INTO search (search) VALUES ('delete-all');"
                  "INSERT INTO search (rowid, title)"
                  "  SELECT e.rowid, t.title FROM event e JOIN event_text t ON t.event_id = e.id;"
                  "PRAGMA user_version = 2");
    g_assert_cmpint (raw_query_int (db, "SELECT count(*) FROM search WHERE search MATCH 'xankəndi'"), ==, 1);
    g_assert_cmpint (raw_query_int (db, "SELECT count(*) FROM search WHERE search MATCH 'xankendi'"), ==, 0);
  }

  store = open_ok (path);
  {
    g_autofree char *ids = search_ids (store, "Xankendi rally");
    g_autofree char *typed = search_ids (store, "Xankəndi");

    g_assert_cmpstr (ids, ==, "xankəndi-rally");
    g_assert_cmpstr (typed, ==, "xankəndi-rally");
  }
  g_clear_object (&store);

  {
    g_autoptr (sqlite3) db = raw_open (path);

    g_assert_cmpint (raw_query_int (db, "PRAGMA user_version"), ==, CHRONO_STORE_SCHEMA_VERSION);
    g_assert_cmpint (raw_query_int (db, "SELECT count(*) FROM search WHERE search MATCH 'xankəndi'"), ==, 0);
  }
}

/* The names of the files in @dir, sorted, comma-separated */
static char *
dir_listing (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (",", (char **) names->pdata);
}

/* Copies a file of fixtures/hostile into a folder of its own */
static char *
copy_hostile (const char *name,
              char      **out_dir)
{
  g_autofree char *from = g_build_filename (g_getenv ("CHRONO_FIXTURES_DIR"), "hostile", name, NULL);
  g_autofree char *dir = g_dir_make_tmp ("chrono-ro-XXXXXX", NULL);
  char *to = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (to, contents, length, NULL));
  *out_dir = g_steal_pointer (&dir);
  return to;
}

/* A read never writes: each hostile dataset is refused with its reason, or
 * read, and neither the file nor its folder changes */
static void
test_readonly_hostile (void)
{
  static const struct {
    const char *file;
    const char *message;   /* NULL: it opens */
  } cases[] = {
    { "zero-bytes.chronotope", "'zero-bytes.chronotope' is not a Chronotope dataset: the file is empty" },
    { "appid-no-tables.chronotope",
      "'appid-no-tables.chronotope' is not a Chronotope dataset: it does not have the tables of a dataset" },
    { "corrupt-record.chronotope",
      "'corrupt-record.chronotope' is damaged: a text of the event 'rtjmc-in-operation' is not valid UTF-8" },
    { "journal-delete.chronotope", NULL },
  };

  if (g_getenv ("CHRONO_FIXTURES_DIR") == NULL)
    {
      g_test_skip ("CHRONO_FIXTURES_DIR is not set");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dir = NULL;
      g_autofree char *path = copy_hostile (cases[i].file, &dir);
      g_autofree char *listing = dir_listing (dir);
      g_autofree char *listing_after = NULL;
      g_auto (Snapshot) before = { 0 };
      g_autoptr (GError) error = NULL;
      g_autoptr (ChronoStore) store = NULL;

      g_test_message ("%s", cases[i].file);
      snapshot_take (&before, path);
      store = chrono_store_open_readonly (path, &error);
      if (cases[i].message != NULL)
        {
          g_assert_null (store);
          g_assert_nonnull (error);
          g_assert_cmpstr (error->message, ==, cases[i].message);
        }
      else
        {
          g_autoptr (GArray) spans = NULL;
          g_autoptr (GError) write_error = NULL;

          g_assert_no_error (error);
          spans = chrono_store_get_spans (store, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (spans->len, >, 10);
          /* Writes are refused */
          g_assert_false (chrono_store_begin (store, &write_error) &&
                          chrono_store_set_meta (store, "x", "y", &write_error) &&
                          chrono_store_commit (store, &write_error));
          g_assert_nonnull (write_error);
        }
      g_clear_object (&store);

      assert_unchanged (&before, path);
      listing_after = dir_listing (dir);
      g_assert_cmpstr (listing_after, ==, listing);
      g_unlink (path);
      g_rmdir (dir);
    }
}

/* What can be read of a damaged dataset goes into a new one: every event,
 * the damaged text with U+FFFD in its bytes' place; the file stays */
static void
test_recover (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *target = NULL;
  g_auto (Snapshot) before = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) original = NULL;
  g_autoptr (ChronoStore) recovered = NULL;
  ChronoStoreCounts had = { 0 }, has = { 0 };
  guint n_events = 0;

  if (g_getenv ("CHRONO_FIXTURES_DIR") == NULL)
    {
      g_test_skip ("CHRONO_FIXTURES_DIR is not set");
      return;
    }

  path = copy_hostile ("corrupt-record.chronotope", &dir);
  target = g_build_filename (dir, "recovered.chronotope", NULL);
  snapshot_take (&before, path);

  original = chrono_store_open_for_recovery (path, &error);
  g_assert_no_error (error);
  g_assert_true (chrono_store_get_counts (original, &had, &error));
  g_clear_object (&original);

  g_assert_true (chrono_cli_recover (path, target, &n_events, &error));
  g_assert_no_error (error);
  assert_unchanged (&before, path);

  recovered = chrono_store_open_readonly (target, &error);
  g_assert_no_error (error);
  g_assert_true (chrono_store_get_counts (recovered, &has, &error));
  g_assert_cmpuint (has.events, ==, had.events);
  g_assert_cmpuint (n_events, ==, had.events);
  g_assert_cmpuint (has.excerpts, ==, had.excerpts);
  g_assert_cmpuint (has.sources, ==, had.sources);
  {
    g_autoptr (GArray) spans = chrono_store_get_spans (recovered, &error);
    gboolean found = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < spans->len; i++)
      {
        g_autoptr (ChronoEvent) event = chrono_store_get_event (recovered, g_array_index (spans, ChronoSpan, i).id, "en", &error);

        g_assert_no_error (error);
        if (g_str_equal (chrono_event_get_id (event), "rtjmc-in-operation"))
          {
            found = TRUE;
            g_assert_true (g_utf8_validate (chrono_event_get_title (event), -1, NULL));
            g_assert_nonnull (strstr (chrono_event_get_title (event), "\xef\xbf\xbd"));
          }
      }
    g_assert_true (found);
  }
}

/* An older schema is read through a copy in memory: the file keeps its
 * schema and bytes, and what the new schema brings (folded search) works */
static void
test_readonly_older_schema (void)
{
  g_autofree char *dir = g_dir_make_tmp ("chrono-ro-old-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "schema-2.chronotope", NULL);
  g_autofree char *backup = g_strconcat (path, ".v2.bak", NULL);
  g_autofree char *listing = NULL;
  g_autofree char *listing_after = NULL;
  g_auto (Snapshot) before = { 0 };
  g_autoptr (ChronoStore) store = open_ok (path);
  g_autoptr (GError) error = NULL;

  g_assert_true (chrono_store_begin (store, &error));
  add_event (store, "xankəndi-rally", 5, 5, 5, 9, NULL);
  g_assert_true (chrono_store_commit (store, &error));
  g_clear_object (&store);
  {
    g_autoptr (sqlite3) db = raw_open (path);

    drop_schema_4 (db);
    raw_exec (db, "INSERT INTO search (search) VALUES ('delete-all');"
                  "INSERT INTO search (rowid, title)"
                  "  SELECT e.rowid, t.title FROM event e JOIN event_text t ON t.event_id = e.id;"
                  "PRAGMA journal_mode = DELETE; PRAGMA user_version = 2");
  }

  listing = dir_listing (dir);
  snapshot_take (&before, path);
  store = chrono_store_open_readonly (path, &error);
  g_assert_no_error (error);
  {
    g_autofree char *ids = search_ids (store, "Xankendi rally");

    g_assert_cmpstr (ids, ==, "xankəndi-rally");
  }
  g_clear_object (&store);
  assert_unchanged (&before, path);
  listing_after = dir_listing (dir);
  g_assert_cmpstr (listing_after, ==, listing);

  /* Opened to be written to, it is updated in place, and the file as it
   * was is kept beside it */
  store = open_ok (path);
  g_clear_object (&store);
  g_assert_true (g_file_test (backup, G_FILE_TEST_EXISTS));
  {
    g_autoptr (sqlite3) db = raw_open (backup);
    g_autoptr (sqlite3) updated = raw_open (path);

    g_assert_cmpint (raw_query_int (db, "PRAGMA user_version"), ==, 2);
    g_assert_cmpint (raw_query_int (db, "SELECT count(*) FROM event"), ==, 1);
    g_assert_cmpint (raw_query_int (updated, "PRAGMA user_version"), ==, CHRONO_STORE_SCHEMA_VERSION);
  }
}

static void
test_meta_for_lang (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  g_autofree char *description = NULL;
  g_autofree char *title_fr = NULL;
  struct {
    const char *lang;
    const char *title;
  } cases[] = {
    { "fr", "Titre" }, { "fr_CH", "Titre" }, { "en", "Title" }, { "de", "Title" }, { NULL, "Title" },
  };

  g_assert_no_error (error);
  g_assert_true (chrono_store_begin (store, &error));
  g_assert_true (chrono_store_set_meta (store, "title:en", "Title", &error));
  g_assert_true (chrono_store_set_meta (store, "title:fr", "Titre", &error));
  g_assert_true (chrono_store_set_meta (store, "description:ru", "Описание", &error));
  g_assert_true (chrono_store_commit (store, &error));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *title = chrono_store_dup_meta_for_lang (store, "title", cases[i].lang);

      g_assert_cmpstr (title, ==, cases[i].title);
    }

  description = chrono_store_dup_meta_for_lang (store, "description", "fr");
  g_assert_cmpstr (description, ==, "Описание");
  g_assert_null (chrono_store_dup_meta_for_lang (store, "license", "fr"));
  g_assert_null (chrono_store_dup_meta (store, "title"));
  title_fr = chrono_store_dup_meta (store, "title:fr");
  g_assert_cmpstr (title_fr, ==, "Titre");
}

/* A dataset of schema 1 (before tours) keeps its events when it opens as
 * schema 2, and can then hold a tour. */
static void
test_migrate_1_to_2 (void)
{
  g_autofree char *path = temp_path ("schema-1.chronotope");
  g_autoptr (ChronoStore) store = open_ok (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tour = NULL;
  g_autoptr (ChronoEvent) event = NULL;

  g_assert_true (chrono_store_begin (store, &error));
  add_event (store, "kept", 5, 5, 5, 9, NULL);
  g_assert_true (chrono_store_commit (store, &error));
  g_clear_object (&store);

  /* What a schema 1 file is: no tour tables, user_version 1. */
  {
    g_autoptr (sqlite3) db = raw_open (path);

    drop_schema_4 (db);
    raw_exec (db, "DROP TABLE tour_text; DROP TABLE tour_step; PRAGMA user_version = 1");
    g_assert_cmpint (raw_query_int (db, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'tour%'"), ==, 0);
  }

  store = open_ok (path);
  event = chrono_store_get_event_by_id (store, "kept", "en", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chrono_event_get_title (event), ==, "kept title en");
  tour = chrono_store_get_tour (store, "en", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tour->len, ==, 0);
  g_clear_pointer (&tour, g_ptr_array_unref);

  g_assert_true (chrono_store_begin (store, &error));
  g_assert_true (chrono_store_add_tour_step (store, 0, "kept", NULL, 0, NULL, &error));
  g_assert_true (chrono_store_add_tour_text (store, 0, "en", "Kept", NULL, &error));
  g_assert_true (chrono_store_commit (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  {
    g_autoptr (sqlite3) db = raw_open (path);

    g_assert_cmpint (raw_query_int (db, "PRAGMA user_version"), ==, CHRONO_STORE_SCHEMA_VERSION);
    g_assert_cmpint (raw_query_int (db, "SELECT count(*) FROM tour_step"), ==, 1);
  }

  store = open_ok (path);
  tour = chrono_store_get_tour (store, "fr", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tour->len, ==, 1);
  g_assert_cmpstr (chrono_tour_step_get_title (g_ptr_array_index (tour, 0)), ==, "Kept");
  /* No date: the latest possible start. */
  g_assert_cmpint (chrono_tour_step_get_day (g_ptr_array_index (tour, 0)), ==, 5);
}

/* Steps come back by position whatever order they were added in; a step
 * that names no event is refused; clearing the dataset clears the tour. */
static void
test_tour (void)
{
  static const char * const both[] = { "en", "fr", NULL };
  static const char * const excerpts[] = { "x-a", "x-b", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_store_new_in_memory (&error);
  g_autoptr (GPtrArray) tour = NULL;
  gint64 rowid_a, rowid_b;
  ChronoTourStep *step;

  g_assert_true (chrono_store_begin (store, &error));
  rowid_a = add_event (store, "a", 100, 120, 130, 200, both);
  rowid_b = add_event (store, "b", 300, 300, 300, 300, both);
  g_assert_true (chrono_store_add_tour_step (store, 1, "a", "1970-05-01", 120, excerpts, &error));
  g_assert_true (chrono_store_add_tour_text (store, 1, "en", "A second", "Note A", &error));
  g_assert_true (chrono_store_add_tour_text (store, 1, "fr", "A en second", "Note A fr", &error));
  g_assert_true (chrono_store_add_tour_step (store, 0, "b", NULL, 0, NULL, &error));
  g_assert_true (chrono_store_add_tour_text (store, 0, "en", "B first", NULL, &error));
  g_assert_no_error (error);

  g_assert_false (chrono_store_add_tour_step (store, 2, "missing", NULL, 0, NULL, &error));
  g_assert_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "FOREIGN KEY"));
  g_clear_error (&error);
  g_assert_true (chrono_store_commit (store, &error));

  tour = chrono_store_get_tour (store, "fr", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tour->len, ==, 2);

  step = g_ptr_array_index (tour, 0);
  g_assert_cmpstr (chrono_tour_step_get_event_id (step), ==, "b");
  g_assert_cmpint (chrono_tour_step_get_event_rowid (step), ==, rowid_b);
  g_assert_cmpstr (chrono_tour_step_get_title (step), ==, "B first");
  g_assert_cmpstr (chrono_tour_step_get_lang (step), ==, "en");
  g_assert_cmpint (chrono_tour_step_get_day (step), ==, 300);

  step = g_ptr_array_index (tour, 1);
  g_assert_cmpstr (chrono_tour_step_get_event_id (step), ==, "a");
  g_assert_cmpint (chrono_tour_step_get_event_rowid (step), ==, rowid_a);
  g_assert_cmpstr (chrono_tour_step_get_title (step), ==, "A en second");
  g_assert_cmpstr (chrono_tour_step_get_note (step), ==, "Note A fr");
  g_assert_cmpstr (chrono_tour_step_get_date (step), ==, "1970-05-01");
  g_assert_cmpint (chrono_tour_step_get_day (step), ==, 120);
  g_assert_cmpstrv (chrono_tour_step_get_excerpts (step), excerpts);
  g_clear_pointer (&tour, g_ptr_array_unref);

  g_assert_true (chrono_store_begin (store, &error));
  g_assert_true (chrono_store_clear (store, &error));
  g_assert_true (chrono_store_commit (store, &error));
  tour = chrono_store_get_tour (store, "en", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tour->len, ==, 0);
}

/* A million events: how long loading the spans for the time index takes. */
static void
test_perf_spans (void)
{
  g_autofree char *path = temp_path ("million.chronotope");
  g_autoptr (ChronoStore) store = open_ok (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) spans = NULL;
  g_autoptr (GTimer) timer = g_timer_new ();
  const guint n = 1000000;

  g_assert_true (chrono_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      char id[32];
      gint64 lo = g_test_rand_int_range (0, 20000);

      g_snprintf (id, sizeof id, "e%u", i);
      chrono_store_add_event (store, id, "2020", NULL, lo, lo, lo, lo + g_test_rand_int_range (0, 400),
                              "context", 1, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_true (chrono_store_commit (store, &error));
  g_test_message ("inserted %u events in %.2f s", n, g_timer_elapsed (timer, NULL));
  g_clear_object (&store);

  store = open_ok (path);
  g_timer_start (timer);
  spans = chrono_store_get_spans (store, &error);
  g_assert_no_error (error);
  g_test_minimized_result (g_timer_elapsed (timer, NULL), "get_spans for %u events: %.3f s",
                           n, g_timer_elapsed (timer, NULL));
  g_assert_cmpuint (spans->len, ==, n);
  for (guint i = 1; i < spans->len; i++)
    g_assert_cmpint (g_array_index (spans, ChronoSpan, i - 1).lo, <=, g_array_index (spans, ChronoSpan, i).lo);
}

static ChronoPlace *
new_place_with_names (const char * const *rows)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func ((GDestroyNotify) chrono_place_name_free);

  for (guint i = 0; rows[i] != NULL; i += 4)
    g_ptr_array_add (names, chrono_place_name_new_full (rows[i], rows[i + 1], rows[i + 2], rows[i + 3]));
  return g_object_new (CHRONO_TYPE_PLACE, "id", "place", "kind", "city", "lat", 39.8, "lon", 46.75,
                       "lang", "en", "names", names, NULL);
}

/* The name valid at a day, both ends of a "when" included */
static void
test_place_name_at (void)
{
  /* The dataset's order: the modern name first, as undated readers show it */
  const char * const rows[] = {
    "en", "Stepanakert", "common", "1923/..",
    "en", "Khankendi", "common", "../1922",
    "az", "Stepanakert", "official", "1923/1991-11-25",
    "az", "Xankəndi", "official", "1991-11-26/..",
    "az", "Xankəndi", "historical", "../1922",
    "hy", "Ստեփանակերտ", "local", NULL,
    NULL
  };
  g_autoptr (ChronoPlace) place = new_place_with_names (rows);
  struct {
    int y, m, d;
    const char *en, *az, *hy, *official;
  } cases[] = {
    { 1900, 1, 1, "Khankendi", "Xankəndi", "Ստեփանակերտ", NULL },
    { 1922, 12, 31, "Khankendi", "Xankəndi", "Ստեփանակերտ", NULL },
    { 1923, 1, 1, "Stepanakert", "Stepanakert", "Ստեփանակերտ", "Stepanakert" },
    { 1991, 11, 25, "Stepanakert", "Stepanakert", "Ստեփանակերտ", "Stepanakert" },
    { 1991, 11, 26, "Stepanakert", "Xankəndi", "Ստեփանակերտ", "Xankəndi" },
    { 2023, 10, 1, "Stepanakert", "Xankəndi", "Ստեփանակերտ", "Xankəndi" },
  };

  g_assert_true (chrono_place_has_dated_names (place));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ChronoDay day = chrono_day_from_ymd (cases[i].y, cases[i].m, cases[i].d);

      g_test_message ("%d-%02d-%02d", cases[i].y, cases[i].m, cases[i].d);
      g_assert_cmpstr (chrono_place_get_name_at (place, "en", day), ==, cases[i].en);
      g_assert_cmpstr (chrono_place_get_name_at (place, NULL, day), ==, cases[i].en);
      g_assert_cmpstr (chrono_place_get_name_at (place, "az", day), ==, cases[i].az);
      g_assert_cmpstr (chrono_place_get_name_at (place, "hy", day), ==, cases[i].hy);
      /* No French name: the English one valid then */
      g_assert_cmpstr (chrono_place_get_name_at (place, "fr", day), ==, cases[i].en);
      g_assert_cmpstr (chrono_place_get_official_name_at (place, day), ==, cases[i].official);
    }

  /* Without a date, every name counts, as before names had one */
  g_assert_cmpstr (chrono_place_get_name_for (place, "en"), ==, "Stepanakert");
  g_assert_cmpstr (chrono_place_get_name_for (place, "az"), ==, "Stepanakert");
  g_assert_cmpstr (chrono_place_get_official_name (place), ==, "Stepanakert");
}

/* A dated name valid at the day wins over an undated one of the same
 * language and usage, wherever it is listed; not over another usage's */
static void
test_place_name_at_dated_wins (void)
{
  const char * const rows[] = {
    "en", "Stepanakert", "common", NULL,
    "en", "Khankendi", "common", "../1922",
    "fr", "Stepanakert", "common", NULL,
    "fr", "Khankendi", "historical", "../1922",
    NULL
  };
  const char * const undated_rows[] = { "en", "Lachin", "common", NULL, NULL };
  g_autoptr (ChronoPlace) place = new_place_with_names (rows);
  g_autoptr (ChronoPlace) undated = new_place_with_names (undated_rows);
  ChronoDay before = chrono_day_from_ymd (1922, 12, 31);
  ChronoDay after = chrono_day_from_ymd (1923, 1, 1);

  g_assert_cmpstr (chrono_place_get_name_at (place, "en", before), ==, "Khankendi");
  g_assert_cmpstr (chrono_place_get_name_at (place, "en", after), ==, "Stepanakert");
  g_assert_cmpstr (chrono_place_get_name_at (place, "fr", before), ==, "Stepanakert");

  g_assert_false (chrono_place_has_dated_names (undated));
  g_assert_cmpstr (chrono_place_get_name_at (undated, "fr", before), ==, "Lachin");
  g_assert_null (chrono_place_get_official_name_at (undated, before));
}

/* An uncertain or approximate "when" counts from its earliest to its latest
 * day; one that is not EDTF is dropped; no name valid: the undated choice */
static void
test_place_name_at_uncertain (void)
{
  const char * const rows[] = {
    "en", "Stepanakert", "common", "1923?/..",
    "en", "Khankendi", "common", "../1922~",
    "ru", "Степанакерт", "common", "1923-XX/1991",
    "tr", "Hankendi", "common", "not a date",
    NULL
  };
  g_autoptr (ChronoPlace) place = new_place_with_names (rows);
  GPtrArray *names = chrono_place_get_names (place);
  const ChronoPlaceName *tr = g_ptr_array_index (names, 3);

  g_assert_cmpstr (chrono_place_get_name_at (place, "en", chrono_day_from_ymd (1922, 12, 31)), ==, "Khankendi");
  g_assert_cmpstr (chrono_place_get_name_at (place, "en", chrono_day_from_ymd (1923, 1, 1)), ==, "Stepanakert");
  g_assert_cmpstr (chrono_place_get_name_at (place, "ru", chrono_day_from_ymd (1923, 1, 1)), ==, "Степанакерт");
  g_assert_cmpstr (chrono_place_get_name_at (place, "ru", chrono_day_from_ymd (1991, 12, 31)), ==, "Степанакерт");
  g_assert_cmpstr (chrono_place_get_name_at (place, "ru", chrono_day_from_ymd (1992, 1, 1)), ==, "Stepanakert");
  g_assert_null (tr->when);
  g_assert_cmpstr (chrono_place_get_name_at (place, "tr", chrono_day_from_ymd (1900, 1, 1)), ==, "Hankendi");

  {
    const char * const only_dated[] = { "en", "Stepanakert", "common", "1923/..", NULL };
    g_autoptr (ChronoPlace) later = new_place_with_names (only_dated);

    g_assert_cmpstr (chrono_place_get_name_at (later, "en", chrono_day_from_ymd (1900, 1, 1)), ==, "Stepanakert");
  }
}

/* A place with Xankəndi before 1923 and Stepanakert from 1923 */
static ChronoPlace *
new_dated_place (const char *id)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func ((GDestroyNotify) chrono_place_name_free);

  g_ptr_array_add (names, chrono_place_name_new_full ("en", "Stepanakert", "common", "1923/.."));
  g_ptr_array_add (names, chrono_place_name_new_full ("en", "Khankendi", "common", "../1922"));
  g_ptr_array_add (names, chrono_place_name_new_full ("az", "Xankəndi", "official", NULL));
  return g_object_new (CHRONO_TYPE_PLACE, "id", id, "kind", "city", "lat", 39.8, "lon", 46.75,
                       "names", names, NULL);
}

/* A name's time of validity is kept as written and as its days */
static void
test_place_name_when (void)
{
  g_autofree char *path = temp_path ("when.chronotope");
  g_autoptr (ChronoStore) store = open_ok (path);
  g_autoptr (ChronoPlace) built = new_dated_place ("stepanakert");
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *names;
  ChronoPlace *place;

  g_assert_true (chrono_store_begin (store, &error));
  g_assert_true (chrono_store_add_place (store, built, &error));
  g_assert_true (chrono_store_commit (store, &error));
  g_clear_object (&store);

  store = open_ok (path);
  places = chrono_store_get_places (store, "en", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (places->len, ==, 1);
  place = g_ptr_array_index (places, 0);
  names = chrono_place_get_names (place);
  g_assert_cmpuint (names->len, ==, 3);
  g_assert_cmpstr (((ChronoPlaceName *) names->pdata[0])->when, ==, "1923/..");
  g_assert_cmpint (((ChronoPlaceName *) names->pdata[0])->earliest, ==, chrono_day_from_ymd (1923, 1, 1));
  g_assert_cmpint (((ChronoPlaceName *) names->pdata[0])->latest, ==, CHRONO_DAY_POSITIVE_INFINITY);
  g_assert_cmpstr (((ChronoPlaceName *) names->pdata[1])->when, ==, "../1922");
  g_assert_null (((ChronoPlaceName *) names->pdata[2])->when);
  g_assert_cmpstr (chrono_place_get_name_at (place, "en", chrono_day_from_ymd (1922, 12, 31)), ==, "Khankendi");
  g_assert_cmpstr (chrono_place_get_name_at (place, "en", chrono_day_from_ymd (1923, 1, 1)), ==, "Stepanakert");
  g_clear_object (&store);

  {
    g_autoptr (sqlite3) db = raw_open (path);

    g_assert_cmpint (raw_query_int (db, "SELECT when_lo FROM place_name WHERE name = 'Stepanakert'"), ==,
                     chrono_day_from_ymd (1923, 1, 1));
    g_assert_cmpint (raw_query_int (db, "SELECT when_hi FROM place_name WHERE name = 'Khankendi'"), ==,
                     chrono_day_from_ymd (1922, 12, 31));
    g_assert_cmpint (raw_query_int (db, "SELECT count(*) FROM place_name WHERE \"when\" IS NULL AND when_lo IS NULL"), ==, 1);
  }
}

/* A dataset of schema 3 has no "when" for its names: opening it adds the
 * columns, its names stay valid always, and dated names can then be saved */
static void
test_migrate_3_to_4 (void)
{
  g_autofree char *path = temp_path ("schema-3.chronotope");
  g_autoptr (ChronoStore) store = open_ok (path);
  g_autoptr (ChronoPlace) lachin = NULL;
  g_autoptr (ChronoPlace) dated = new_dated_place ("stepanakert");
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GError) error = NULL;

  {
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func ((GDestroyNotify) chrono_place_name_free);

    g_ptr_array_add (names, chrono_place_name_new ("en", "Lachin", "common"));
    g_ptr_array_add (names, chrono_place_name_new ("hy", "Բերձոր", "local"));
    lachin = g_object_new (CHRONO_TYPE_PLACE, "id", "lachin", "kind", "town", "lat", 39.6, "lon", 46.5,
                           "names", names, NULL);
  }
  g_assert_true (chrono_store_begin (store, &error));
  g_assert_true (chrono_store_add_place (store, lachin, &error));
  g_assert_true (chrono_store_commit (store, &error));
  g_clear_object (&store);

  /* What schema 3 wrote: no "when" */
  {
    g_autoptr (sqlite3) db = raw_open (path);

    drop_schema_4 (db);
    raw_exec (db, "PRAGMA user_version = 3");
    g_assert_cmpint (raw_query_int (db, "SELECT count(*) FROM pragma_table_info ('place_name') WHERE name = 'when'"), ==, 0);
  }

  /* Read-only, through a copy in memory: the file stays at schema 3 */
  store = chrono_store_open_readonly (path, &error);
  g_assert_no_error (error);
  places = chrono_store_get_places (store, "hy", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (places->len, ==, 1);
  g_assert_cmpstr (chrono_place_get_name_at (g_ptr_array_index (places, 0), "hy", 0), ==, "Բերձոր");
  g_clear_pointer (&places, g_ptr_array_unref);
  g_clear_object (&store);
  {
    g_autoptr (sqlite3) db = raw_open (path);

    g_assert_cmpint (raw_query_int (db, "PRAGMA user_version"), ==, 3);
  }

  store = open_ok (path);
  g_assert_true (chrono_store_begin (store, &error));
  g_assert_true (chrono_store_add_place (store, dated, &error));
  g_assert_true (chrono_store_commit (store, &error));
  places = chrono_store_get_places (store, "en", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (places->len, ==, 2);
  for (guint i = 0; i < places->len; i++)
    {
      ChronoPlace *place = g_ptr_array_index (places, i);
      GPtrArray *names = chrono_place_get_names (place);

      if (g_str_equal (chrono_place_get_id (place), "lachin"))
        {
          g_assert_null (((ChronoPlaceName *) names->pdata[0])->when);
          g_assert_cmpstr (chrono_place_get_name_at (place, "en", chrono_day_from_ymd (1900, 1, 1)), ==, "Lachin");
        }
      else
        {
          g_assert_cmpstr (chrono_place_get_name_at (place, "en", chrono_day_from_ymd (1900, 1, 1)), ==, "Khankendi");
          g_assert_cmpstr (chrono_place_get_name_at (place, "en", chrono_day_from_ymd (2000, 1, 1)), ==, "Stepanakert");
        }
    }
  g_clear_object (&store);

  {
    g_autoptr (sqlite3) db = raw_open (path);

    g_assert_cmpint (raw_query_int (db, "PRAGMA user_version"), ==, CHRONO_STORE_SCHEMA_VERSION);
    g_assert_cmpint (CHRONO_STORE_SCHEMA_VERSION, ==, 4);
    g_assert_cmpint (raw_query_int (db, "SELECT count(*) FROM place_name WHERE \"when\" = '1923/..'"), ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/schema", test_schema);
  g_test_add_func ("/store/foreign-keys", test_foreign_keys);
  g_test_add_func ("/store/reopen", test_reopen);
  g_test_add_func ("/store/empty-file", test_empty_file_becomes_dataset);
  g_test_add_func ("/store/refuse/text-file", test_refuse_text_file);
  g_test_add_func ("/store/refuse/short-binary-file", test_refuse_short_binary_file);
  g_test_add_func ("/store/refuse/other-sqlite", test_refuse_other_sqlite);
  g_test_add_func ("/store/refuse/empty-sqlite", test_refuse_empty_sqlite);
  g_test_add_func ("/store/refuse/other-application-id", test_refuse_other_application_id);
  g_test_add_func ("/store/refuse/newer-schema", test_refuse_newer_schema);
  g_test_add_func ("/store/refuse/newer-schema-in-wal", test_refuse_newer_schema_in_wal);
  g_test_add_func ("/store/migrations", test_migrations);
  g_test_add_func ("/store/rollback", test_rollback);
  g_test_add_func ("/store/spans", test_spans);
  g_test_add_func ("/store/event/language-fallback", test_event_language_fallback);
  g_test_add_func ("/store/event/not-found", test_event_not_found);
  g_test_add_func ("/store/place-names", test_place_names);
  g_test_add_func ("/store/search/never-fails", test_search_never_fails);
  g_test_add_func ("/store/search/folded-letters", test_search_folded_letters);
  g_test_add_func ("/store/search/folded-both-ways", test_search_folded_both_ways);
  g_test_add_func ("/store/migrate-2-to-3", test_migrate_2_to_3);
  g_test_add_func ("/store/readonly/hostile", test_readonly_hostile);
  g_test_add_func ("/store/readonly/older-schema", test_readonly_older_schema);
  g_test_add_func ("/store/readonly/recover", test_recover);
  g_test_add_func ("/store/meta-for-lang", test_meta_for_lang);
  g_test_add_func ("/store/migrate-1-to-2", test_migrate_1_to_2);
  g_test_add_func ("/store/migrate-3-to-4", test_migrate_3_to_4);
  g_test_add_func ("/store/place-names/when", test_place_name_when);
  g_test_add_func ("/place/name-at", test_place_name_at);
  g_test_add_func ("/place/name-at/dated-wins", test_place_name_at_dated_wins);
  g_test_add_func ("/place/name-at/uncertain", test_place_name_at_uncertain);
  g_test_add_func ("/store/tour", test_tour);
  if (g_test_perf ())
    g_test_add_func ("/store/perf/spans-1m", test_perf_spans);

  return g_test_run ();
}
