/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-store"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "chrono-event-source.h"
#include "chrono-event-table.h"
#include "chrono-store-private.h"
#include "chrono-time-index.h"
#include "chrono-tour-step.h"

/*
 * A dataset: one sqlite file (or an in-memory database) and the queries the
 * rest of the application needs. See DESIGN.md for the data model.
 *
 * - Events keep an INTEGER PRIMARY KEY ("rowid") besides their text id: an
 *   implicit rowid may be renumbered by VACUUM, and the time index and the
 *   full-text index refer to events by it.
 * - The full-text index ("search") has one row per event, keyed by that
 *   rowid, with the titles, summaries, quotes and the names of its places in
 *   every language. It is contentless and rebuilt when a write transaction
 *   that changed anything commits. Its text, and every query, is folded
 *   first (fold_for_search(), in SQL chrono_fold(); schema 3), so that
 *   "Xankendi" finds "Xankəndi".
 * - Prepared statements are cached on the store and reset after each use, so
 *   a store is used from one thread at a time.
 * - Opening never writes to a file before it is known to be a Chronotope
 *   dataset of a schema this build can read.
 * - A dataset may have a tour (schema 2): ordered steps that each show one
 *   event, with the tour's own title and note per language.
 */

struct _ChronoStore
{
  GObject parent_instance;

  sqlite3 *db;
  char *path;
  char *display_name;
  sqlite3_stmt **statements;
  guint in_transaction : 1;
  guint search_dirty : 1;
  guint indexes_dropped : 1;  /* by a bulk build: made again before its commit */
  guint read_only : 1;        /* opened to be looked at: nothing writes to the file */
};

static void chrono_store_event_source_init (ChronoEventSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ChronoStore, chrono_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CHRONO_TYPE_EVENT_SOURCE, chrono_store_event_source_init))

G_DEFINE_QUARK (chrono-store-error-quark, chrono_store_error)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One-off statements are finalized when they go out of scope. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Cached statements are only reset, so they can be used again. */
typedef sqlite3_stmt CachedStatement;

static void
cached_statement_release (CachedStatement *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachedStatement, cached_statement_release)

typedef enum
{
  STMT_SPANS,
  STMT_EVENT_BY_ROWID,
  STMT_EVENT_BY_ID,
  STMT_EVENT_TEXT,
  STMT_EVENT_PLACES,
  STMT_EVENT_EXCERPTS,
  STMT_EVENT_CLAIMS,
  STMT_PLACE,
  STMT_ALL_PLACES,
  STMT_PLACE_NAMES,
  STMT_SOURCE,
  STMT_ALL_SOURCES,
  STMT_EVENTS_AT_PLACE,
  STMT_SEARCH,
  STMT_SEARCH_UNRANKED,
  STMT_EVENTS_AT,
  STMT_META,
  STMT_META_FOR_LANG,
  STMT_COUNTS,
  STMT_SET_META,
  STMT_INSERT_SOURCE,
  STMT_INSERT_PLACE,
  STMT_INSERT_PLACE_NAME,
  STMT_INSERT_EVENT,
  STMT_INSERT_EVENT_TEXT,
  STMT_INSERT_EVENT_PLACE,
  STMT_INSERT_EXCERPT,
  STMT_INSERT_CLAIM,
  STMT_TOUR_STEPS,
  STMT_TOUR_TEXT,
  STMT_INSERT_TOUR_STEP,
  STMT_INSERT_TOUR_TEXT,
  STMT_HAS_SOURCE,
  STMT_HAS_PLACE,
  STMT_HAS_EVENT,
  STMT_HAS_EXCERPT,
  STMT_ALL_EVENT_TEXTS,
  STMT_INSERT_SEARCH,
  N_STATEMENTS
} Statement;

#define EVENT_COLUMNS \
  "rowid, id, start, \"end\", start_lo, start_hi, end_lo, end_hi, category, importance, note"
#define PLACE_COLUMNS "id, lat, lon, kind, geometry, note"
#define SOURCE_COLUMNS "id, title, outlet, author, published, language, url, retrieved, note, document"

static const char * const statement_sql[N_STATEMENTS] = {
  /* Through the covering index on (start_lo, end_hi): sorted, no table reads. */
  [STMT_SPANS] = "SELECT start_lo, end_hi, rowid FROM event ORDER BY start_lo, end_hi",
  [STMT_EVENT_BY_ROWID] = "SELECT " EVENT_COLUMNS " FROM event WHERE rowid = ?1",
  [STMT_EVENT_BY_ID] = "SELECT " EVENT_COLUMNS " FROM event WHERE id = ?1",
  /* The texts in the language asked for (?2), else the same primary language
   * (?3: "fr" for "fr-CA"), else English, else any. */
  [STMT_EVENT_TEXT] =
    "SELECT lang, title, summary FROM event_text WHERE event_id = ?1 "
    "ORDER BY lang = ?2 DESC, (lang = ?3 OR lang LIKE ?3 || '-%') DESC, lang = 'en' DESC, lang "
    "LIMIT 1",
  [STMT_EVENT_PLACES] = "SELECT place_id, role FROM event_place WHERE event_id = ?1 ORDER BY position",
  [STMT_EVENT_EXCERPTS] =
    "SELECT id, source_id, lang, quote, \"offset\", length FROM excerpt "
    "WHERE event_id = ?1 ORDER BY position",
  [STMT_EVENT_CLAIMS] =
    "SELECT id, excerpt_id, key, value FROM claim WHERE event_id = ?1 ORDER BY position",
  [STMT_PLACE] = "SELECT " PLACE_COLUMNS " FROM place WHERE id = ?1",
  [STMT_ALL_PLACES] = "SELECT " PLACE_COLUMNS " FROM place ORDER BY rowid",
  [STMT_PLACE_NAMES] = "SELECT lang, name, usage, \"when\" FROM place_name WHERE place_id = ?1 ORDER BY position",
  [STMT_SOURCE] = "SELECT " SOURCE_COLUMNS " FROM source WHERE id = ?1",
  [STMT_ALL_SOURCES] = "SELECT " SOURCE_COLUMNS " FROM source ORDER BY rowid",
  [STMT_EVENTS_AT_PLACE] =
    "SELECT DISTINCT e.rowid, e.start_lo FROM event_place ep JOIN event e ON e.id = ep.event_id "
    "WHERE ep.place_id = ?1 ORDER BY e.start_lo, e.rowid",
  /* Titles weigh most, then place names, then summaries, then quotes. */
  [STMT_SEARCH_UNRANKED] = "SELECT rowid FROM search WHERE search MATCH ?1",
  /* Read from the index on (start_lo, end_hi) */
  [STMT_EVENTS_AT] = "SELECT rowid FROM event WHERE start_lo <= ?1 AND end_hi >= ?1 ORDER BY start_lo, end_hi, rowid",
  [STMT_SEARCH] =
    "SELECT rowid FROM search WHERE search MATCH ?1 "
    "ORDER BY bm25 (search, 10.0, 3.0, 1.0, 5.0), rowid",
  [STMT_META] = "SELECT value FROM meta WHERE key = ?1",
  [STMT_META_FOR_LANG] =
    "SELECT value FROM meta WHERE substr (key, 1, length (?1) + 1) = ?1 || ':' "
    "ORDER BY key = ?1 || ':' || ?2 DESC, key = ?1 || ':' || ?3 DESC, key = ?1 || ':en' DESC, key "
    "LIMIT 1",
  [STMT_COUNTS] =
    "SELECT (SELECT count(*) FROM source), (SELECT count(*) FROM place), "
    "(SELECT count(*) FROM event), (SELECT count(*) FROM excerpt), (SELECT count(*) FROM claim)",
  [STMT_SET_META] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
  [STMT_INSERT_SOURCE] =
    "INSERT INTO source (" SOURCE_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
  [STMT_INSERT_PLACE] = "INSERT INTO place (" PLACE_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [STMT_INSERT_PLACE_NAME] =
    "INSERT INTO place_name (place_id, lang, name, usage, position, \"when\", when_lo, when_hi) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
  [STMT_INSERT_EVENT] =
    "INSERT INTO event (id, start, \"end\", start_lo, start_hi, end_lo, end_hi, category, importance, note) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
  [STMT_INSERT_EVENT_TEXT] =
    "INSERT INTO event_text (event_id, lang, title, summary) VALUES (?1, ?2, ?3, ?4)",
  [STMT_INSERT_EVENT_PLACE] =
    "INSERT INTO event_place (event_id, place_id, role, position) VALUES (?1, ?2, ?3, ?4)",
  [STMT_INSERT_EXCERPT] =
    "INSERT INTO excerpt (id, event_id, source_id, lang, quote, \"offset\", length, position) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
  [STMT_INSERT_CLAIM] =
    "INSERT INTO claim (id, event_id, excerpt_id, key, value, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  /* A step without a date shows its event's latest possible start (never
   * after its latest end). */
  [STMT_TOUR_STEPS] =
    "SELECT s.position, s.event_id, e.rowid, s.date, coalesce (s.day, min (e.start_hi, e.end_hi)), s.excerpts "
    "FROM tour_step s JOIN event e ON e.id = s.event_id ORDER BY s.position",
  /* Title and note come together, in the same order of languages as events. */
  [STMT_TOUR_TEXT] =
    "SELECT lang, title, note FROM tour_text WHERE position = ?1 "
    "ORDER BY lang = ?2 DESC, (lang = ?3 OR lang LIKE ?3 || '-%') DESC, lang = 'en' DESC, lang "
    "LIMIT 1",
  [STMT_INSERT_TOUR_STEP] =
    "INSERT INTO tour_step (position, event_id, date, day, excerpts) VALUES (?1, ?2, ?3, ?4, ?5)",
  [STMT_INSERT_TOUR_TEXT] =
    "INSERT INTO tour_text (position, lang, title, note) VALUES (?1, ?2, ?3, ?4)",
  [STMT_HAS_SOURCE] = "SELECT 1 FROM source WHERE id = ?1",
  [STMT_HAS_PLACE] = "SELECT 1 FROM place WHERE id = ?1",
  [STMT_HAS_EVENT] = "SELECT 1 FROM event WHERE id = ?1",
  [STMT_HAS_EXCERPT] = "SELECT 1 FROM excerpt WHERE id = ?1",
  [STMT_ALL_EVENT_TEXTS] = "SELECT lang, title, summary FROM event_text WHERE event_id = ?1 ORDER BY lang",
  [STMT_INSERT_SEARCH] = "INSERT INTO search (rowid, title, summary, quote, place) VALUES (?1, ?2, ?3, ?4, ?5)",
};

/* Schema version 1. */
static const char schema_1[] =
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT"
  ");"
  "CREATE TABLE source ("
  "  id        TEXT PRIMARY KEY NOT NULL,"
  "  title     TEXT NOT NULL,"
  "  outlet    TEXT,"
  "  author    TEXT,"
  "  published TEXT,"
  "  language  TEXT,"
  "  url       TEXT,"
  "  retrieved TEXT,"
  "  text      TEXT,"
  "  note      TEXT,"
  "  document  TEXT"
  ");"
  "CREATE TABLE place ("
  "  id       TEXT PRIMARY KEY NOT NULL,"
  "  lat      REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),"
  "  lon      REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),"
  "  kind     TEXT NOT NULL,"
  "  geometry TEXT,"
  "  note     TEXT"
  ");"
  "CREATE TABLE place_name ("
  "  place_id TEXT NOT NULL REFERENCES place (id) ON DELETE CASCADE,"
  "  lang     TEXT NOT NULL,"
  "  name     TEXT NOT NULL,"
  "  usage    TEXT,"
  "  position INTEGER NOT NULL,"
  "  PRIMARY KEY (place_id, position)"
  ");"
  "CREATE TABLE event ("
  "  rowid      INTEGER PRIMARY KEY,"
  "  id         TEXT NOT NULL UNIQUE,"
  "  start      TEXT NOT NULL,"
  "  \"end\"      TEXT,"
  "  start_lo   INTEGER NOT NULL,"
  "  start_hi   INTEGER NOT NULL,"
  "  end_lo     INTEGER NOT NULL,"
  "  end_hi     INTEGER NOT NULL,"
  "  category   TEXT,"
  "  importance INTEGER NOT NULL DEFAULT 1,"
  "  note       TEXT,"
  "  CHECK (start_lo <= start_hi AND end_lo <= end_hi AND start_lo <= end_hi)"
  ");"
  "CREATE TABLE event_text ("
  "  event_id TEXT NOT NULL REFERENCES event (id) ON DELETE CASCADE,"
  "  lang     TEXT NOT NULL,"
  "  title    TEXT NOT NULL,"
  "  summary  TEXT,"
  "  PRIMARY KEY (event_id, lang)"
  ");"
  "CREATE TABLE event_place ("
  "  event_id TEXT NOT NULL REFERENCES event (id) ON DELETE CASCADE,"
  "  place_id TEXT NOT NULL REFERENCES place (id),"
  "  role     TEXT NOT NULL,"
  "  position INTEGER NOT NULL,"
  "  PRIMARY KEY (event_id, position)"
  ");"
  "CREATE TABLE excerpt ("
  "  id        TEXT PRIMARY KEY NOT NULL,"
  "  event_id  TEXT NOT NULL REFERENCES event (id) ON DELETE CASCADE,"
  "  source_id TEXT NOT NULL REFERENCES source (id),"
  "  lang      TEXT,"
  "  quote     TEXT NOT NULL,"
  "  \"offset\"  INTEGER,"
  "  length    INTEGER,"
  "  position  INTEGER NOT NULL"
  ");"
  "CREATE TABLE claim ("
  "  id         TEXT PRIMARY KEY NOT NULL,"
  "  event_id   TEXT NOT NULL REFERENCES event (id) ON DELETE CASCADE,"
  "  excerpt_id TEXT REFERENCES excerpt (id),"
  "  key        TEXT NOT NULL,"
  "  value      TEXT NOT NULL,"
  "  position   INTEGER NOT NULL"
  ");"
  /* start_lo leads and end_hi follows so the span query reads only the index. */
  "CREATE INDEX event_start_lo ON event (start_lo, end_hi);"
  "CREATE INDEX event_end_hi ON event (end_hi);"
  "CREATE INDEX event_place_place ON event_place (place_id);"
  "CREATE INDEX excerpt_event ON excerpt (event_id, position);"
  "CREATE INDEX excerpt_source ON excerpt (source_id);"
  "CREATE INDEX claim_event ON claim (event_id, position);"
  "CREATE INDEX claim_excerpt ON claim (excerpt_id);"
  /* No prefix indexes: FTS5 answers the prefix query of the word being
   * typed from its term index, and prefix indexes tripled the cost of
   * indexing an import (datasets made before keep theirs; both work) */
  "CREATE VIRTUAL TABLE search USING fts5 ("
  "  title, summary, quote, place,"
  "  content = '', tokenize = 'unicode61 remove_diacritics 2'"
  ");";

/* Schema version 2: the tour. "excerpts" holds excerpt ids separated by spaces. */
static const char schema_2[] =
  "CREATE TABLE tour_step ("
  "  position INTEGER PRIMARY KEY,"
  "  event_id TEXT NOT NULL REFERENCES event (id) ON DELETE CASCADE,"
  "  date     TEXT,"
  "  day      INTEGER,"
  "  excerpts TEXT"
  ");"
  "CREATE TABLE tour_text ("
  "  position INTEGER NOT NULL REFERENCES tour_step (position) ON DELETE CASCADE,"
  "  lang     TEXT NOT NULL,"
  "  title    TEXT NOT NULL,"
  "  note     TEXT,"
  "  PRIMARY KEY (position, lang)"
  ");"
  "CREATE INDEX tour_step_event ON tour_step (event_id);";

static const char clear_sql[] =
  "DELETE FROM tour_text;"
  "DELETE FROM tour_step;"
  "DELETE FROM claim;"
  "DELETE FROM excerpt;"
  "DELETE FROM event_place;"
  "DELETE FROM event_text;"
  "DELETE FROM event;"
  "DELETE FROM place_name;"
  "DELETE FROM place;"
  "DELETE FROM source;"
  "DELETE FROM meta;"
  "INSERT INTO search (search) VALUES ('delete-all');";

/* The secondary indexes, which a bulk build of a new file makes once at the
 * end, sorted, instead of keeping them up to date row by row. */
static const char drop_indexes_sql[] =
  "DROP INDEX IF EXISTS event_start_lo;"
  "DROP INDEX IF EXISTS event_end_hi;"
  "DROP INDEX IF EXISTS event_place_place;"
  "DROP INDEX IF EXISTS excerpt_event;"
  "DROP INDEX IF EXISTS excerpt_source;";

static const char create_indexes_sql[] =
  "CREATE INDEX IF NOT EXISTS event_start_lo ON event (start_lo, end_hi);"
  "CREATE INDEX IF NOT EXISTS event_end_hi ON event (end_hi);"
  "CREATE INDEX IF NOT EXISTS event_place_place ON event_place (place_id);"
  "CREATE INDEX IF NOT EXISTS excerpt_event ON excerpt (event_id, position);"
  "CREATE INDEX IF NOT EXISTS excerpt_source ON excerpt (source_id);";

static const char rebuild_search_sql[] =
  "INSERT INTO search (search) VALUES ('delete-all');"
  "INSERT INTO search (rowid, title, summary, quote, place)"
  "  SELECT e.rowid,"
  "    chrono_fold ((SELECT group_concat (t.title, ' ') FROM event_text t WHERE t.event_id = e.id)),"
  "    chrono_fold ((SELECT group_concat (t.summary, ' ') FROM event_text t WHERE t.event_id = e.id)),"
  "    chrono_fold ((SELECT group_concat (x.quote, ' ') FROM excerpt x WHERE x.event_id = e.id)),"
  "    chrono_fold ((SELECT group_concat (n.name, ' ') FROM event_place ep"
  "       JOIN place_name n ON n.place_id = ep.place_id WHERE ep.event_id = e.id))"
  "  FROM event e;";

static gboolean
migrate_to_1 (ChronoStore  *self,
              GError      **error);
static gboolean
migrate_to_2 (ChronoStore  *self,
              GError      **error);
static gboolean
migrate_to_3 (ChronoStore  *self,
              GError      **error);
static gboolean
migrate_to_4 (ChronoStore  *self,
              GError      **error);

typedef gboolean (*Migration) (ChronoStore  *self,
                               GError      **error);

/* migrations[v] brings a database from schema v to schema v + 1; version 0 is
 * an empty file. A new schema is one function appended here. */
static const Migration migrations[] = {
  migrate_to_1,
  migrate_to_2,
  migrate_to_3,
  migrate_to_4,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CHRONO_STORE_SCHEMA_VERSION);

static gboolean
set_sqlite_error (ChronoStore  *self,
                  GError      **error,
                  const char   *what)
{
  g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
               "%s: %s: %s", self->display_name, what, sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
exec_sql (ChronoStore  *self,
          const char   *sql,
          const char   *what,
          GError      **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_sqlite_error (self, error, what);

  return TRUE;
}

/* A cached statement, ready to bind; release it with g_autoptr (CachedStatement). */
static CachedStatement *
get_statement (ChronoStore  *self,
               Statement     which,
               GError      **error)
{
  g_assert (which < N_STATEMENTS);

  if (self->statements[which] == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, statement_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                              &self->statements[which], NULL) != SQLITE_OK)
        {
          set_sqlite_error (self, error, _("could not prepare a query"));
          return NULL;
        }
    }

  return self->statements[which];
}

static gint64
query_int (ChronoStore *self,
           const char  *sql)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return -1;

  return sqlite3_column_int64 (stmt, 0);
}

/* A column as a new string, NULL for SQL NULL. */
static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  /* A damaged file read without its check: never pass on invalid UTF-8 */
  if (text != NULL && !g_utf8_validate (text, sqlite3_column_bytes (stmt, column), NULL))
    return g_utf8_make_valid (text, sqlite3_column_bytes (stmt, column));
  return g_strdup (text);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  /* A damaged file read without its check: never pass on invalid UTF-8 */
  if (text != NULL && !g_utf8_validate (text, sqlite3_column_bytes (stmt, column), NULL))
    return "\xef\xbf\xbd";
  return text;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/* Runs a bound write statement to completion. */
static gboolean
step_done (ChronoStore     *self,
           CachedStatement *stmt,
           const char      *what,
           GError         **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (self, error, what);

  return TRUE;
}

/* Letters that unicode61's remove_diacritics leaves as letters of their own
 * although readers of Latin script take them for a base letter, and type
 * that letter: Azerbaijani ə and ı, Polish ł, Danish ø, German ß… By code
 * point, for a binary search. Other scripts (Armenian, Cyrillic) are not
 * Latin and stay as they are. */
static const struct
{
  gunichar    letter;
  const char *base;
} folded_letters[] = {
  { 0x00C6, "ae" },  /* Æ */
  { 0x00D0, "d" },   /* Ð */
  { 0x00D8, "o" },   /* Ø */
  { 0x00DE, "th" },  /* Þ */
  { 0x00DF, "ss" },  /* ß */
  { 0x00E6, "ae" },  /* æ */
  { 0x00F0, "d" },   /* ð */
  { 0x00F8, "o" },   /* ø */
  { 0x00FE, "th" },  /* þ */
  { 0x0110, "d" },   /* Đ */
  { 0x0111, "d" },   /* đ */
  { 0x0126, "h" },   /* Ħ */
  { 0x0127, "h" },   /* ħ */
  { 0x0131, "i" },   /* ı (İ already folds to i) */
  { 0x0132, "ij" },  /* Ĳ */
  { 0x0133, "ij" },  /* ĳ */
  { 0x013F, "l" },   /* Ŀ */
  { 0x0140, "l" },   /* ŀ */
  { 0x0141, "l" },   /* Ł */
  { 0x0142, "l" },   /* ł */
  { 0x0152, "oe" },  /* Œ */
  { 0x0153, "oe" },  /* œ */
  { 0x0166, "t" },   /* Ŧ */
  { 0x0167, "t" },   /* ŧ */
  { 0x018E, "e" },   /* Ǝ, the capital of ǝ */
  { 0x018F, "e" },   /* Ə */
  { 0x01DD, "e" },   /* ǝ, often typed for ə */
  { 0x0259, "e" },   /* ə */
  { 0x1E9E, "ss" },  /* ẞ */
};

static const char *
lookup_folded_letter (gunichar c)
{
  gsize lo = 0;
  gsize hi = G_N_ELEMENTS (folded_letters);

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (folded_letters[mid].letter < c)
        lo = mid + 1;
      else if (folded_letters[mid].letter > c)
        hi = mid;
      else
        return folded_letters[mid].base;
    }

  return NULL;
}

/*
 * What the search index holds of @text (@length bytes, or -1 up to its NUL)
 * and what a query looks for: @text with folded_letters replaced by their
 * base letters. FTS5's unicode61 then does the rest (case, accents).
 *
 * Returns: (transfer full) (nullable): the folded text, or NULL when @text
 * has nothing to fold (most texts: then nothing is allocated)
 */
static char *
fold_for_search (const char *text,
                 gssize      length)
{
  GString *folded = NULL;
  const char *copied;
  const char *end;

  if (text == NULL)
    return NULL;

  if (length < 0)
    length = strlen (text);
  end = text + length;
  copied = text;

  for (const char *p = text; p < end;)
    {
      const char *base;
      const char *next;
      gunichar c;

      /* Below U+00C0 (and continuation bytes): nothing to fold */
      if ((guchar) *p < 0xC3)
        {
          p++;
          continue;
        }

      c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          p++;
          continue;
        }

      next = g_utf8_next_char (p);
      if ((base = lookup_folded_letter (c)) != NULL)
        {
          /* No base is longer than its letter: one allocation */
          if (folded == NULL)
            folded = g_string_sized_new (length + 1);
          g_string_append_len (folded, copied, p - copied);
          g_string_append (folded, base);
          copied = next;
        }
      p = next;
    }

  if (folded == NULL)
    return NULL;

  g_string_append_len (folded, copied, end - copied);
  return g_string_free (folded, FALSE);
}

/* chrono_fold(text): fold_for_search() for the SQL that rebuilds the index. */
static void
fold_sql_function (sqlite3_context  *context,
                   int               n_args,
                   sqlite3_value   **args)
{
  const char *text;
  char *folded;

  g_assert (n_args == 1);

  if (sqlite3_value_type (args[0]) == SQLITE_NULL)
    {
      sqlite3_result_null (context);
      return;
    }

  if ((text = (const char *) sqlite3_value_text (args[0])) == NULL)
    {
      sqlite3_result_error_nomem (context);
      return;
    }

  if ((folded = fold_for_search (text, sqlite3_value_bytes (args[0]))) != NULL)
    sqlite3_result_text (context, folded, -1, g_free);
  else
    sqlite3_result_text (context, text, sqlite3_value_bytes (args[0]), SQLITE_TRANSIENT);
}

/* Binds @text as the search index holds it. */
static void
bind_folded_text (sqlite3_stmt *stmt,
                  int           index,
                  const char   *text)
{
  g_autofree char *folded = fold_for_search (text, -1);

  bind_text (stmt, index, folded != NULL ? folded : text);
}

static gboolean
fail_not_a_dataset (const char  *display_name,
                    const char  *detail,
                    GError     **error)
{
  if (detail != NULL)
    g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_A_DATASET,
                 _("'%s' is not a Chronotope dataset: %s"), display_name, detail);
  else
    g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_A_DATASET,
                 _("'%s' is not a Chronotope dataset"), display_name);
  return FALSE;
}

static gboolean
fail_newer_schema (const char  *display_name,
                   gint64       version,
                   GError     **error)
{
  g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NEWER_SCHEMA,
               _("'%s' was written by a newer version of Chronotope "
                 "(schema %lld; this version reads up to %d)"),
               display_name, (long long) version, CHRONO_STORE_SCHEMA_VERSION);
  return FALSE;
}

/*
 * Looks at the first 100 bytes of an existing file (the sqlite header) without
 * sqlite, so nothing can write to a file that is not ours: the magic string,
 * the application id at offset 68, the schema version at offset 60. An empty
 * file counts as a new database. Sets @out_empty.
 */
static gboolean
check_file_header (const char  *path,
                   const char  *display_name,
                   gboolean    *out_empty,
                   GError     **error)
{
  static const char magic[16] = "SQLite format 3";
  guint8 header[100];
  FILE *file;
  size_t len;
  int saved_errno;
  guint32 application_id;
  guint32 user_version;

  file = g_fopen (path, "rb");
  if (file == NULL)
    {
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", display_name, g_strerror (saved_errno));
      return FALSE;
    }

  len = fread (header, 1, sizeof header, file);
  saved_errno = errno;
  if (ferror (file))
    {
      fclose (file);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", display_name, g_strerror (saved_errno));
      return FALSE;
    }
  fclose (file);

  *out_empty = (len == 0);
  if (len == 0)
    return TRUE;

  if (len < sizeof header || memcmp (header, magic, sizeof magic) != 0)
    return fail_not_a_dataset (display_name, NULL, error);

  application_id = ((guint32) header[68] << 24 | (guint32) header[69] << 16 |
                    (guint32) header[70] << 8 | (guint32) header[71]);
  user_version = ((guint32) header[60] << 24 | (guint32) header[61] << 16 |
                  (guint32) header[62] << 8 | (guint32) header[63]);

  if (application_id != CHRONO_STORE_APPLICATION_ID)
    return fail_not_a_dataset (display_name, _("it is another program's database"), error);

  if (user_version > CHRONO_STORE_SCHEMA_VERSION)
    return fail_newer_schema (display_name, user_version, error);

  return TRUE;
}

static gboolean
migrate_to_1 (ChronoStore  *self,
              GError      **error)
{
  return exec_sql (self, schema_1, _("could not create the dataset"), error);
}

static gboolean
migrate_to_2 (ChronoStore  *self,
              GError      **error)
{
  return exec_sql (self, schema_2, _("could not update the dataset"), error);
}

/* Schema version 3: the search index holds folded text (fold_for_search).
 * An index built before it holds "xankəndi", which a folded query never
 * finds, so it is built again once, here, rather than each query also
 * looking for what was typed unfolded: that would still miss "Xankendi" in
 * an old index, the very search folding is for. The new version number
 * also keeps older builds, which would index unfolded text again, from
 * writing to the file. */
static gboolean
migrate_to_3 (ChronoStore  *self,
              GError      **error)
{
  return exec_sql (self, rebuild_search_sql, _("could not update the dataset"), error);
}

/* Schema version 4: a place name's time of validity ("Stepanakert" from
 * 1923), as written (EDTF) and as its earliest and latest days; NULL is
 * always. Older builds, which would drop it when writing a place, refuse
 * the file as newer. */
static gboolean
migrate_to_4 (ChronoStore  *self,
              GError      **error)
{
  return exec_sql (self,
                   "ALTER TABLE place_name ADD COLUMN \"when\" TEXT;"
                   "ALTER TABLE place_name ADD COLUMN when_lo INTEGER;"
                   "ALTER TABLE place_name ADD COLUMN when_hi INTEGER;",
                   _("could not update the dataset"), error);
}

/* Brings the schema from @from to the newest, in one transaction. */
static gboolean
migrate (ChronoStore  *self,
         gint64        from,
         GError      **error)
{
  g_autofree char *stamp = NULL;

  g_assert (from >= 0 && from < CHRONO_STORE_SCHEMA_VERSION);

  if (!exec_sql (self, "BEGIN IMMEDIATE", _("could not update the dataset"), error))
    return FALSE;

  for (gint64 version = from; version < CHRONO_STORE_SCHEMA_VERSION; version++)
    {
      g_debug ("%s: migrating schema %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
               self->display_name, version, version + 1);
      if (!migrations[version] (self, error))
        {
          exec_sql (self, "ROLLBACK", NULL, NULL);
          return FALSE;
        }
    }

  stamp = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                           CHRONO_STORE_APPLICATION_ID, CHRONO_STORE_SCHEMA_VERSION);
  if (!exec_sql (self, stamp, _("could not update the dataset"), error) ||
      !exec_sql (self, "COMMIT", _("could not update the dataset"), error))
    {
      exec_sql (self, "ROLLBACK", NULL, NULL);
      return FALSE;
    }

  return TRUE;
}

/* Copies the dataset to "NAME.vN.bak" beside it (N: its schema version)
 * before it is updated in place: a consistent copy, WAL included. */
static gboolean
keep_backup (ChronoStore  *self,
             gint64        version,
             GError      **error)
{
  g_autofree char *backup = g_strdup_printf ("%s.v%lld.bak", self->path, (long long) version);
  g_autofree char *sql = NULL;
  char *quoted;

  if (g_file_test (backup, G_FILE_TEST_EXISTS))
    return TRUE;

  quoted = sqlite3_mprintf ("VACUUM INTO %Q", backup);
  sql = g_strdup (quoted);
  sqlite3_free (quoted);
  return exec_sql (self, sql, _("could not keep a copy of the dataset before updating it"), error);
}

/*
 * Checks what the connection sees (this includes a WAL the header check
 * cannot see) before the first write, then sets the connection up and
 * migrates. @is_new: the file did not exist or was empty.
 */
static gboolean
setup_connection (ChronoStore  *self,
                  gboolean      is_new,
                  GError      **error)
{
  gint64 application_id;
  gint64 version;

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);

  application_id = query_int (self, "PRAGMA application_id");
  version = query_int (self, "PRAGMA user_version");
  if (application_id < 0 || version < 0)
    return fail_not_a_dataset (self->display_name, NULL, error);

  if (application_id != CHRONO_STORE_APPLICATION_ID)
    {
      if (!is_new || application_id != 0 || version != 0 ||
          query_int (self, "SELECT count(*) FROM sqlite_schema") != 0)
        return fail_not_a_dataset (self->display_name, _("it is another program's database"), error);
    }

  if (version > CHRONO_STORE_SCHEMA_VERSION)
    return fail_newer_schema (self->display_name, version, error);

  /* From here on the file is ours. */
  if (!exec_sql (self, "PRAGMA foreign_keys = ON", _("could not open the dataset"), error))
    return FALSE;

  /* An older dataset is updated in place only when it is opened to be
   * written to (reads update a copy in memory: chrono_store_open_readonly ());
   * the file as it was is kept beside it first. */
  if (version > 0 && version < CHRONO_STORE_SCHEMA_VERSION && self->path != NULL && !self->read_only &&
      !keep_backup (self, version, error))
    return FALSE;
  if (version < CHRONO_STORE_SCHEMA_VERSION && !migrate (self, version, error))
    return FALSE;

  /* After the schema exists, so that a new file carries its application id
   * in the main file from its first commit. A cache of 32 MB (sqlite's
   * default is 2) keeps bulk imports from thrashing the event indexes: a
   * million events insert three times faster. */
  if (self->path != NULL && !self->read_only &&
      !exec_sql (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768",
                 _("could not open the dataset"), error))
    return FALSE;

  return TRUE;
}

static ChronoStore *
open_database (const char  *path,
               GError     **error)
{
  g_autoptr (ChronoStore) self = g_object_new (CHRONO_TYPE_STORE, NULL);
  gboolean is_new = TRUE;
  int flags = SQLITE_OPEN_READWRITE;
  int rc;

  if (path != NULL)
    {
      self->path = g_strdup (path);
      self->display_name = g_filename_display_basename (path);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          if (!check_file_header (path, self->display_name, &is_new, error))
            return NULL;
        }
      else
        flags |= SQLITE_OPEN_CREATE;
    }
  else
    {
      self->display_name = g_strdup (_("in-memory dataset"));
      flags |= SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY;
    }

  rc = sqlite3_open_v2 (path != NULL ? path : ":memory:", &self->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                   _("%s: could not open: %s"), self->display_name,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  /* Before the migrations, which may rebuild the search index */
  rc = sqlite3_create_function (self->db, "chrono_fold", 1,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                NULL, fold_sql_function, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                   _("%s: could not open: %s"), self->display_name, sqlite3_errmsg (self->db));
      return NULL;
    }

  if (!setup_connection (self, is_new, error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
chrono_store_finalize (GObject *object)
{
  ChronoStore *self = (ChronoStore *)object;

  for (guint i = 0; i < N_STATEMENTS; i++)
    sqlite3_finalize (self->statements[i]);
  g_free (self->statements);

  /* Rolls back a transaction left open; checkpoints and removes the WAL. */
  if (self->db != NULL && sqlite3_close (self->db) != SQLITE_OK)
    g_critical ("%s: could not close: %s", self->display_name, sqlite3_errmsg (self->db));

  g_free (self->path);
  g_free (self->display_name);

  G_OBJECT_CLASS (chrono_store_parent_class)->finalize (object);
}

static void
chrono_store_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ChronoStore *self = CHRONO_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_store_class_init (ChronoStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = chrono_store_finalize;
  object_class->get_property = chrono_store_get_property;

  /* The dataset file, NULL for an in-memory store. */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
chrono_store_init (ChronoStore *self)
{
  self->statements = g_new0 (sqlite3_stmt *, N_STATEMENTS);
}

/**
 * chrono_store_open:
 * @path: a .chronotope file
 *
 * Opens the dataset at @path, creating an empty one if there is no file (or
 * an empty file) there, and migrating an older schema. A file that is not a
 * Chronotope dataset, or that a newer version wrote, is refused with
 * CHRONO_STORE_ERROR and left untouched.
 *
 * Returns: (transfer full): the store, or NULL with @error set
 */
ChronoStore *
chrono_store_open (const char  *path,
                   GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_database (path, error);
}

/* chrono_valid_utf8(text): 1 when @text is NULL or valid UTF-8. */
static void
valid_utf8_sql_function (sqlite3_context  *context,
                         int               n_args,
                         sqlite3_value   **args)
{
  const char *text = (const char *) sqlite3_value_text (args[0]);
  int length = sqlite3_value_bytes (args[0]);

  sqlite3_result_int (context, text == NULL || g_utf8_validate (text, length, NULL));
}

/* The texts people read, by table, with what names their row. */
static const char damaged_text_sql[] =
  "SELECT 'event', event_id FROM event_text"
  "  WHERE NOT chrono_valid_utf8 (title) OR NOT chrono_valid_utf8 (summary) OR NOT chrono_valid_utf8 (event_id)"
  " UNION ALL SELECT 'event', id FROM event"
  "  WHERE NOT chrono_valid_utf8 (id) OR NOT chrono_valid_utf8 (start) OR NOT chrono_valid_utf8 (\"end\")"
  "   OR NOT chrono_valid_utf8 (category) OR NOT chrono_valid_utf8 (note)"
  " UNION ALL SELECT 'excerpt', id FROM excerpt WHERE NOT chrono_valid_utf8 (quote) OR NOT chrono_valid_utf8 (id)"
  " UNION ALL SELECT 'place', place_id FROM place_name WHERE NOT chrono_valid_utf8 (name)"
  " UNION ALL SELECT 'source', id FROM source"
  "  WHERE NOT chrono_valid_utf8 (title) OR NOT chrono_valid_utf8 (outlet) OR NOT chrono_valid_utf8 (note)"
  " UNION ALL SELECT 'claim', id FROM claim WHERE NOT chrono_valid_utf8 (value)"
  " UNION ALL SELECT 'meta', key FROM meta WHERE NOT chrono_valid_utf8 (value)"
  " LIMIT 1";

/* Files larger than this are not read through at each opening: a damaged
 * text then shows as U+FFFD where it is read. */
#define DAMAGE_CHECK_MAX_BYTES (256 * 1024 * 1024)

/* sqlite's own check of the pages and indexes, then every text people
 * read: a dataset damaged on disk is refused with a clear message instead
 * of showing garbage (and printing invalid UTF-8 in --json). */
static gboolean
check_damage (ChronoStore  *self,
              GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *problem = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA quick_check (1)", -1, &stmt, NULL) != SQLITE_OK)
    return set_sqlite_error (self, error, _("could not check the dataset"));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    problem = g_utf8_make_valid ((const char *) sqlite3_column_text (stmt, 0), -1);
  else if (rc != SQLITE_ROW)
    problem = g_utf8_make_valid (sqlite3_errmsg (self->db), -1);
  sqlite3_finalize (stmt);
  if (problem != NULL)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_DAMAGED,
                   _("'%s' is damaged: %s"), self->display_name, problem);
      return FALSE;
    }

  if (sqlite3_prepare_v2 (self->db, damaged_text_sql, -1, &stmt, NULL) != SQLITE_OK)
    return set_sqlite_error (self, error, _("could not check the dataset"));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *id = g_utf8_make_valid ((const char *) sqlite3_column_text (stmt, 1), -1);
      const char *table = (const char *) sqlite3_column_text (stmt, 0);
      const char *kind = g_str_equal (table, "event") ? C_("record", "event")
                       : g_str_equal (table, "excerpt") ? C_("record", "excerpt")
                       : g_str_equal (table, "place") ? C_("record", "place")
                       : g_str_equal (table, "source") ? C_("record", "source")
                       : g_str_equal (table, "claim") ? C_("record", "claim")
                       : C_("record", "dataset setting");

      /* Translators: the second %s is the kind of record ("event",
       * "excerpt", "place", "source", "claim"), the third its id */
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_DAMAGED,
                   _("'%s' is damaged: a text of the %s '%s' is not valid UTF-8"),
                   self->display_name, kind, id);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);

  return TRUE;
}

/* Where the files already found whole are remembered, by path, size and
 * modification time: the check reads the whole file, once is enough. */
static char *
checked_list_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), "chronotope", "checked-datasets.ini", NULL);
}

static char *
file_stamp (const GStatBuf *st)
{
  return g_strdup_printf ("%lld:%lld.%09ld", (long long) st->st_size, (long long) st->st_mtim.tv_sec,
                          (long) st->st_mtim.tv_nsec);
}

static gboolean
was_checked (const char     *path,
             const GStatBuf *st)
{
  g_autofree char *list = checked_list_path ();
  g_autofree char *stamp = file_stamp (st);
  g_autofree char *recorded = NULL;
  g_autoptr (GKeyFile) keys = g_key_file_new ();

  if (!g_key_file_load_from_file (keys, list, G_KEY_FILE_NONE, NULL))
    return FALSE;
  recorded = g_key_file_get_string (keys, "checked", path, NULL);
  return g_strcmp0 (recorded, stamp) == 0;
}

static void
remember_checked (const char     *path,
                  const GStatBuf *st)
{
  g_autofree char *list = checked_list_path ();
  g_autofree char *dir = g_path_get_dirname (list);
  g_autofree char *stamp = file_stamp (st);
  g_autoptr (GKeyFile) keys = g_key_file_new ();
  g_auto (GStrv) paths = NULL;

  g_key_file_load_from_file (keys, list, G_KEY_FILE_KEEP_COMMENTS, NULL);
  /* A few hundred datasets at most: the oldest go first */
  paths = g_key_file_get_keys (keys, "checked", NULL, NULL);
  for (guint i = 0; paths != NULL && g_strv_length (paths) - i > 500; i++)
    g_key_file_remove_key (keys, "checked", paths[i], NULL);
  g_key_file_set_string (keys, "checked", path, stamp);
  if (g_mkdir_with_parents (dir, 0700) == 0)
    g_key_file_save_to_file (keys, list, NULL);
}

/**
 * chrono_store_open_readonly:
 * @path: a .chronotope file
 *
 * Opens the dataset at @path to be looked at, writing nothing to it or
 * beside it: no -wal or -shm file when none is there (the file is opened
 * immutable), no change of journal mode, no migration (an older schema is
 * updated in a copy in memory). An empty file, a file that is not a
 * Chronotope dataset, one a newer version wrote, or one damaged on disk
 * (sqlite's quick check, or a text that is not valid UTF-8: checked the
 * first time a file is seen as it is, and after an unclean close) is
 * refused with a message, and left as it was. Works in a read-only folder and on
 * read-only media. Writes to the store fail.
 *
 * Returns: (transfer full): the store, or NULL with @error set
 */
static ChronoStore *open_readonly (const char  *path,
                                   gboolean     check,
                                   GError     **error);

ChronoStore *
chrono_store_open_readonly (const char  *path,
                            GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_readonly (path, TRUE, error);
}

/**
 * chrono_store_open_for_recovery:
 * @path: a damaged .chronotope file
 *
 * Opens @path as chrono_store_open_readonly() does, without its damage
 * check: what can be read is read, texts that are not valid UTF-8 with
 * U+FFFD in their place. For copying what is left into a new dataset.
 *
 * Returns: (transfer full): the store, or NULL with @error set
 */
ChronoStore *
chrono_store_open_for_recovery (const char  *path,
                                GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_readonly (path, FALSE, error);
}

static ChronoStore *
open_readonly (const char  *path,
               gboolean     check,
               GError     **error)
{
  g_autoptr (ChronoStore) self = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *uri = NULL;
  gboolean empty = FALSE;
  GStatBuf st;
  gint64 application_id, version;
  int rc;

  self = g_object_new (CHRONO_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->display_name = g_filename_display_basename (path);
  self->read_only = TRUE;

  if (!check_file_header (path, self->display_name, &empty, error))
    return NULL;
  if (empty)
    {
      fail_not_a_dataset (self->display_name, _("the file is empty"), error);
      return NULL;
    }

  /* Without a WAL beside it the file is all there is: immutable, sqlite
   * takes no lock and makes no -shm. A WAL means a writer is at work (or
   * died): read with it, as a reader. */
  wal = g_strconcat (path, "-wal", NULL);
  escaped = g_uri_escape_string (path, "/", FALSE);
  uri = g_strconcat ("file:", escaped, g_file_test (wal, G_FILE_TEST_EXISTS) ? "?mode=ro" : "?immutable=1", NULL);
  rc = sqlite3_open_v2 (uri, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *message = g_utf8_make_valid (self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc), -1);

      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                   _("%s: could not open: %s"), self->display_name, message);
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);

  application_id = query_int (self, "PRAGMA application_id");
  version = query_int (self, "PRAGMA user_version");
  if (application_id < 0 || version < 0)
    {
      fail_not_a_dataset (self->display_name, NULL, error);
      return NULL;
    }
  if (application_id != CHRONO_STORE_APPLICATION_ID)
    {
      fail_not_a_dataset (self->display_name, _("it is another program's database"), error);
      return NULL;
    }
  if (version > CHRONO_STORE_SCHEMA_VERSION)
    {
      fail_newer_schema (self->display_name, version, error);
      return NULL;
    }
  if (version == 0 ||
      query_int (self, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                       "('meta', 'source', 'place', 'place_name', 'event', 'event_text', 'excerpt', 'claim')") != 8)
    {
      fail_not_a_dataset (self->display_name, _("it does not have the tables of a dataset"), error);
      return NULL;
    }

  rc = sqlite3_create_function (self->db, "chrono_valid_utf8", 1,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                NULL, valid_utf8_sql_function, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, error, _("could not open the dataset"));
      return NULL;
    }
  /* Checked the first time it is seen as it is, and after an unclean
   * close (a WAL beside it) */
  if (check && g_stat (path, &st) == 0 && st.st_size <= DAMAGE_CHECK_MAX_BYTES &&
      (g_file_test (wal, G_FILE_TEST_EXISTS) || !was_checked (path, &st)))
    {
      if (!check_damage (self, error))
        return NULL;
      remember_checked (path, &st);
    }

  /* An older schema: updated in a copy in memory, the file as it is */
  if (version < CHRONO_STORE_SCHEMA_VERSION)
    {
      sqlite3 *memory = NULL;
      sqlite3_backup *backup;

      rc = sqlite3_open_v2 (":memory:", &memory, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY, NULL);
      backup = rc == SQLITE_OK ? sqlite3_backup_init (memory, "main", self->db, "main") : NULL;
      if (backup == NULL || sqlite3_backup_step (backup, -1) != SQLITE_DONE)
        {
          g_autofree char *message = g_utf8_make_valid (memory != NULL ? sqlite3_errmsg (memory) : sqlite3_errstr (rc), -1);

          if (backup != NULL)
            sqlite3_backup_finish (backup);
          sqlite3_close (memory);
          g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                       _("%s: could not read an older dataset: %s"), self->display_name, message);
          return NULL;
        }
      sqlite3_backup_finish (backup);
      sqlite3_close (self->db);
      self->db = memory;
    }

  rc = sqlite3_create_function (self->db, "chrono_fold", 1,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                NULL, fold_sql_function, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, error, _("could not open the dataset"));
      return NULL;
    }

  if (version < CHRONO_STORE_SCHEMA_VERSION && !setup_connection (self, FALSE, error))
    return NULL;
  /* Writes fail, the copy in memory's too: they would go nowhere */
  if (!exec_sql (self, "PRAGMA query_only = 1", _("could not open the dataset"), error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * chrono_store_new_in_memory:
 *
 * Returns: (transfer full): an empty store that lives only in memory
 */
ChronoStore *
chrono_store_new_in_memory (GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_database (NULL, error);
}

/* The dataset file, or NULL for an in-memory store. */
const char *
chrono_store_get_path (ChronoStore *self)
{
  g_return_val_if_fail (CHRONO_IS_STORE (self), NULL);

  return self->path;
}

/**
 * chrono_store_get_spans:
 *
 * Every event's extent for the time index: lo = earliest start, hi = latest
 * end, id = the event's rowid; sorted by lo, then hi.
 *
 * Returns: (transfer full): a GArray of ChronoSpan
 */
GArray *
chrono_store_get_spans (ChronoStore  *self,
                        GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;
  g_autoptr (GArray) spans = NULL;
  int rc;

  g_return_val_if_fail (CHRONO_IS_STORE (self), NULL);

  if (!(stmt = get_statement (self, STMT_SPANS, error)))
    return NULL;

  spans = g_array_sized_new (FALSE, FALSE, sizeof (ChronoSpan), 1024);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ChronoSpan span = {
        .lo = sqlite3_column_int64 (stmt, 0),
        .hi = sqlite3_column_int64 (stmt, 1),
        .id = sqlite3_column_int64 (stmt, 2),
      };

      g_array_append_val (spans, span);
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, _("could not read events"));
      return NULL;
    }

  return g_steal_pointer (&spans);
}

/* Builds model objects for one reading language; places and sources met
 * along the way are built once per call and shared. */
typedef struct
{
  ChronoStore *store;
  const char  *lang;
  char        *primary_lang;
  GHashTable  *places;
  GHashTable  *sources;
} Reader;

static void
reader_init (Reader      *reader,
             ChronoStore *store,
             const char  *lang)
{
  reader->store = store;
  reader->lang = (lang != NULL && lang[0] != '\0') ? lang : "en";
  reader->primary_lang = g_strndup (reader->lang, strcspn (reader->lang, "-_.@"));
  reader->places = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  reader->sources = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
}

static void
reader_clear (Reader *reader)
{
  g_clear_pointer (&reader->primary_lang, g_free);
  g_clear_pointer (&reader->places, g_hash_table_unref);
  g_clear_pointer (&reader->sources, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reader, reader_clear)

/* A ChronoSource from a row of SOURCE_COLUMNS, with its citation name in
 * @lang (or the nearest language the dataset has) when it has one. */
static ChronoSource *
source_from_row (ChronoStore  *self,
                 sqlite3_stmt *stmt,
                 const char   *lang)
{
  g_autofree char *key = g_strconcat ("citation:", column_text (stmt, 0), NULL);
  g_autofree char *citation_name = chrono_store_dup_meta_for_lang (self, key, lang);

  return g_object_new (CHRONO_TYPE_SOURCE,
                       "citation-name", citation_name,
                       "id", column_text (stmt, 0),
                       "title", column_text (stmt, 1),
                       "outlet", column_text (stmt, 2),
                       "author", column_text (stmt, 3),
                       "published", column_text (stmt, 4),
                       "language", column_text (stmt, 5),
                       "url", column_text (stmt, 6),
                       "retrieved", column_text (stmt, 7),
                       "note", column_text (stmt, 8),
                       "document", column_text (stmt, 9),
                       NULL);
}

static GPtrArray *
read_place_names (ChronoStore  *self,
                  const char   *place_id,
                  GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;
  g_autoptr (GPtrArray) names = NULL;
  int rc;

  if (!(stmt = get_statement (self, STMT_PLACE_NAMES, error)))
    return NULL;

  names = g_ptr_array_new_with_free_func ((GDestroyNotify) chrono_place_name_free);
  bind_text (stmt, 1, place_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (names, chrono_place_name_new_full (column_text (stmt, 0),
                                                        column_text (stmt, 1),
                                                        column_text (stmt, 2),
                                                        column_text (stmt, 3)));

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, _("could not read place names"));
      return NULL;
    }

  return g_steal_pointer (&names);
}

/* A ChronoPlace from a row of PLACE_COLUMNS, with its names. */
static ChronoPlace *
place_from_row (Reader        *reader,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  g_autoptr (GPtrArray) names = NULL;
  const char *id = column_text (stmt, 0);

  if (!(names = read_place_names (reader->store, id, error)))
    return NULL;

  return g_object_new (CHRONO_TYPE_PLACE,
                       "id", id,
                       "lat", sqlite3_column_double (stmt, 1),
                       "lon", sqlite3_column_double (stmt, 2),
                       "kind", column_text (stmt, 3),
                       "geometry", column_text (stmt, 4),
                       "note", column_text (stmt, 5),
                       "lang", reader->lang,
                       "names", names,
                       NULL);
}

/* Returns: (transfer none): the place, owned by @reader */
static ChronoPlace *
reader_get_place (Reader      *reader,
                  const char  *id,
                  GError     **error)
{
  g_autoptr (CachedStatement) stmt = NULL;
  ChronoPlace *place;
  int rc;

  if ((place = g_hash_table_lookup (reader->places, id)) != NULL)
    return place;

  if (!(stmt = get_statement (reader->store, STMT_PLACE, error)))
    return NULL;

  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND,
                     _("%s: no place '%s'"), reader->store->display_name, id);
      else
        set_sqlite_error (reader->store, error, _("could not read a place"));
      return NULL;
    }

  if (!(place = place_from_row (reader, stmt, error)))
    return NULL;

  g_hash_table_insert (reader->places, (gpointer) chrono_place_get_id (place), place);
  return place;
}

/* Returns: (transfer none): the source, owned by @reader */
static ChronoSource *
reader_get_source (Reader      *reader,
                   const char  *id,
                   GError     **error)
{
  g_autoptr (CachedStatement) stmt = NULL;
  ChronoSource *source;
  int rc;

  if ((source = g_hash_table_lookup (reader->sources, id)) != NULL)
    return source;

  if (!(stmt = get_statement (reader->store, STMT_SOURCE, error)))
    return NULL;

  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND,
                     _("%s: no source '%s'"), reader->store->display_name, id);
      else
        set_sqlite_error (reader->store, error, _("could not read a source"));
      return NULL;
    }

  source = source_from_row (reader->store, stmt, reader->lang);
  g_hash_table_insert (reader->sources, (gpointer) chrono_source_get_id (source), source);
  return source;
}

static gboolean
read_event_places (Reader      *reader,
                   const char  *event_id,
                   GPtrArray   *places,
                   GPtrArray   *roles,
                   GError     **error)
{
  g_autoptr (CachedStatement) stmt = NULL;
  int rc;

  if (!(stmt = get_statement (reader->store, STMT_EVENT_PLACES, error)))
    return FALSE;

  bind_text (stmt, 1, event_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ChronoPlace *place = reader_get_place (reader, column_text (stmt, 0), error);

      if (place == NULL)
        return FALSE;

      g_ptr_array_add (places, g_object_ref (place));
      g_ptr_array_add (roles, column_dup (stmt, 1));
    }

  if (rc != SQLITE_DONE)
    return set_sqlite_error (reader->store, error, _("could not read the places of an event"));

  return TRUE;
}

static gboolean
read_event_excerpts (Reader      *reader,
                     const char  *event_id,
                     GPtrArray   *excerpts,
                     GError     **error)
{
  g_autoptr (CachedStatement) stmt = NULL;
  int rc;

  if (!(stmt = get_statement (reader->store, STMT_EVENT_EXCERPTS, error)))
    return FALSE;

  bind_text (stmt, 1, event_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ChronoSource *source = reader_get_source (reader, column_text (stmt, 1), error);

      if (source == NULL)
        return FALSE;

      g_ptr_array_add (excerpts,
                       g_object_new (CHRONO_TYPE_EXCERPT,
                                     "id", column_text (stmt, 0),
                                     "source", source,
                                     "lang", column_text (stmt, 2),
                                     "quote", column_text (stmt, 3),
                                     "offset", sqlite3_column_type (stmt, 4) == SQLITE_NULL
                                                 ? (gint64) -1 : sqlite3_column_int64 (stmt, 4),
                                     "length", sqlite3_column_type (stmt, 5) == SQLITE_NULL
                                                 ? (gint64) -1 : sqlite3_column_int64 (stmt, 5),
                                     NULL));
    }

  if (rc != SQLITE_DONE)
    return set_sqlite_error (reader->store, error, _("could not read the excerpts of an event"));

  return TRUE;
}

static gboolean
read_event_claims (Reader      *reader,
                   const char  *event_id,
                   GPtrArray   *excerpts,
                   GPtrArray   *claims,
                   GError     **error)
{
  g_autoptr (CachedStatement) stmt = NULL;
  int rc;

  if (!(stmt = get_statement (reader->store, STMT_EVENT_CLAIMS, error)))
    return FALSE;

  bind_text (stmt, 1, event_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *excerpt_id = column_text (stmt, 1);
      ChronoExcerpt *excerpt = NULL;

      /* A claim's excerpt belongs to the same event (the loader checks it). */
      for (guint i = 0; excerpt_id != NULL && i < excerpts->len; i++)
        {
          if (g_str_equal (chrono_excerpt_get_id (g_ptr_array_index (excerpts, i)), excerpt_id))
            {
              excerpt = g_ptr_array_index (excerpts, i);
              break;
            }
        }

      g_ptr_array_add (claims,
                       g_object_new (CHRONO_TYPE_CLAIM,
                                     "id", column_text (stmt, 0),
                                     "excerpt", excerpt,
                                     "key", column_text (stmt, 2),
                                     "value", column_text (stmt, 3),
                                     NULL));
    }

  if (rc != SQLITE_DONE)
    return set_sqlite_error (reader->store, error, _("could not read the claims of an event"));

  return TRUE;
}

/* A complete event from a row of EVENT_COLUMNS. */
static ChronoEvent *
event_from_row (Reader        *reader,
                sqlite3_stmt  *row,
                GError       **error)
{
  g_autoptr (CachedStatement) text_stmt = NULL;
  g_autoptr (GPtrArray) places = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) roles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) excerpts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) claims = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *id = column_dup (row, 1);
  g_autofree char *lang = NULL;
  g_autofree char *title = NULL;
  g_autofree char *summary = NULL;
  int rc;

  if (!(text_stmt = get_statement (reader->store, STMT_EVENT_TEXT, error)))
    return NULL;

  bind_text (text_stmt, 1, id);
  bind_text (text_stmt, 2, reader->lang);
  bind_text (text_stmt, 3, reader->primary_lang);
  rc = sqlite3_step (text_stmt);
  if (rc == SQLITE_ROW)
    {
      lang = column_dup (text_stmt, 0);
      title = column_dup (text_stmt, 1);
      summary = column_dup (text_stmt, 2);
    }
  else if (rc != SQLITE_DONE)
    {
      set_sqlite_error (reader->store, error, _("could not read the texts of an event"));
      return NULL;
    }

  if (!read_event_places (reader, id, places, roles, error) ||
      !read_event_excerpts (reader, id, excerpts, error) ||
      !read_event_claims (reader, id, excerpts, claims, error))
    return NULL;

  g_ptr_array_add (roles, NULL);

  return g_object_new (CHRONO_TYPE_EVENT,
                       "rowid", sqlite3_column_int64 (row, 0),
                       "id", id,
                       /* An event without texts still needs something to show. */
                       "title", title != NULL ? title : id,
                       "summary", summary,
                       "lang", lang,
                       "start", column_text (row, 2),
                       "end", column_text (row, 3),
                       "start-lo", sqlite3_column_int64 (row, 4),
                       "start-hi", sqlite3_column_int64 (row, 5),
                       "end-lo", sqlite3_column_int64 (row, 6),
                       "end-hi", sqlite3_column_int64 (row, 7),
                       "category", column_text (row, 8),
                       "importance", sqlite3_column_int (row, 9),
                       "note", column_text (row, 10),
                       "places", places,
                       "place-roles", (GStrv) roles->pdata,
                       "excerpts", excerpts,
                       "claims", claims,
                       NULL);
}

static ChronoEvent *
reader_get_event (Reader      *reader,
                  Statement    which,
                  gint64       rowid,
                  const char  *id,
                  GError     **error)
{
  g_autoptr (CachedStatement) stmt = NULL;
  int rc;

  if (!(stmt = get_statement (reader->store, which, error)))
    return NULL;

  if (which == STMT_EVENT_BY_ROWID)
    sqlite3_bind_int64 (stmt, 1, rowid);
  else
    bind_text (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return event_from_row (reader, stmt, error);

  if (rc != SQLITE_DONE)
    set_sqlite_error (reader->store, error, _("could not read an event"));
  else if (which == STMT_EVENT_BY_ROWID)
    g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND,
                 _("%s: no event number %lld"), reader->store->display_name, (long long) rowid);
  else
    g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND,
                 _("%s: no event '%s'"), reader->store->display_name, id);

  return NULL;
}

/**
 * chrono_store_get_event:
 * @rowid: the event's integer id (a ChronoSpan id)
 * @lang: (nullable): the reading language; texts fall back to English, then
 *   to any language
 *
 * Returns: (transfer full): the event with its places, excerpts (with their
 *   sources) and claims, or NULL with CHRONO_STORE_ERROR_NOT_FOUND
 */
ChronoEvent *
chrono_store_get_event (ChronoStore  *self,
                        gint64        rowid,
                        const char   *lang,
                        GError      **error)
{
  g_auto (Reader) reader = { 0 };

  g_return_val_if_fail (CHRONO_IS_STORE (self), NULL);

  reader_init (&reader, self, lang);
  return reader_get_event (&reader, STMT_EVENT_BY_ROWID, rowid, NULL, error);
}

/**
 * chrono_store_get_event_by_id:
 * @id: the event's text id, e.g. "lachin-blockade"
 *
 * Like chrono_store_get_event().
 *
 * Returns: (transfer full): the event, or NULL with @error set
 */
ChronoEvent *
chrono_store_get_event_by_id (ChronoStore  *self,
                              const char   *id,
                              const char   *lang,
                              GError      **error)
{
  g_auto (Reader) reader = { 0 };

  g_return_val_if_fail (CHRONO_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  reader_init (&reader, self, lang);
  return reader_get_event (&reader, STMT_EVENT_BY_ID, 0, id, error);
}

/**
 * chrono_store_get_events:
 * @rowids: (array length=n): event rowids
 *
 * Loads several events at once (places and sources are shared between them).
 *
 * Returns: (transfer full): a GPtrArray of ChronoEvent in the order of
 *   @rowids, or NULL with @error set if one is missing
 */
GPtrArray *
chrono_store_get_events (ChronoStore   *self,
                         const gint64  *rowids,
                         guint          n,
                         const char    *lang,
                         GError       **error)
{
  g_auto (Reader) reader = { 0 };
  g_autoptr (GPtrArray) events = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), NULL);
  g_return_val_if_fail (rowids != NULL || n == 0, NULL);

  reader_init (&reader, self, lang);
  events = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      ChronoEvent *event = reader_get_event (&reader, STMT_EVENT_BY_ROWID, rowids[i], NULL, error);

      if (event == NULL)
        return NULL;

      g_ptr_array_add (events, event);
    }

  return g_steal_pointer (&events);
}

/**
 * chrono_store_get_places:
 * @lang: (nullable): the language of each place's "name"
 *
 * Returns: (transfer full): a GPtrArray of every ChronoPlace with all its
 *   names, in the dataset's order
 */
GPtrArray *
chrono_store_get_places (ChronoStore  *self,
                         const char   *lang,
                         GError      **error)
{
  g_auto (Reader) reader = { 0 };
  g_autoptr (CachedStatement) stmt = NULL;
  g_autoptr (GPtrArray) places = NULL;
  int rc;

  g_return_val_if_fail (CHRONO_IS_STORE (self), NULL);

  if (!(stmt = get_statement (self, STMT_ALL_PLACES, error)))
    return NULL;

  reader_init (&reader, self, lang);
  places = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ChronoPlace *place = place_from_row (&reader, stmt, error);

      if (place == NULL)
        return NULL;

      g_ptr_array_add (places, place);
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, _("could not read places"));
      return NULL;
    }

  return g_steal_pointer (&places);
}

/**
 * chrono_store_get_sources:
 *
 * Returns: (transfer full): a GPtrArray of every ChronoSource, in the
 *   dataset's order
 */
GPtrArray *
chrono_store_get_sources (ChronoStore  *self,
                          GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;
  g_autoptr (GPtrArray) sources = NULL;
  int rc;

  g_return_val_if_fail (CHRONO_IS_STORE (self), NULL);

  if (!(stmt = get_statement (self, STMT_ALL_SOURCES, error)))
    return NULL;

  sources = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (sources, source_from_row (self, stmt, NULL));

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, _("could not read sources"));
      return NULL;
    }

  return g_steal_pointer (&sources);
}

void
chrono_event_text_free (ChronoEventText *self)
{
  if (self == NULL)
    return;

  g_free (self->lang);
  g_free (self->title);
  g_free (self->summary);
  g_free (self);
}

/**
 * chrono_store_get_event_texts:
 * @event_id: an event's id
 *
 * Every text of the event, one per language, for writers that keep them all.
 *
 * Returns: (transfer full) (element-type ChronoEventText): the texts, by language
 */
GPtrArray *
chrono_store_get_event_texts (ChronoStore  *self,
                              const char   *event_id,
                              GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;
  g_autoptr (GPtrArray) texts = NULL;
  int rc;

  g_return_val_if_fail (CHRONO_IS_STORE (self), NULL);
  g_return_val_if_fail (event_id != NULL, NULL);

  if (!(stmt = get_statement (self, STMT_ALL_EVENT_TEXTS, error)))
    return NULL;

  bind_text (stmt, 1, event_id);
  texts = g_ptr_array_new_with_free_func ((GDestroyNotify) chrono_event_text_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ChronoEventText *text = g_new0 (ChronoEventText, 1);

      text->lang = column_dup (stmt, 0);
      text->title = column_dup (stmt, 1);
      text->summary = column_dup (stmt, 2);
      g_ptr_array_add (texts, text);
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, _("could not read an event"));
      return NULL;
    }

  return g_steal_pointer (&texts);
}

/* Runs a statement whose first column is an event rowid; collects them. */
static GArray *
collect_rowids (ChronoStore     *self,
                CachedStatement *stmt,
                GError         **error)
{
  g_autoptr (GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rowids, rowid);
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, _("could not read events"));
      return NULL;
    }

  return g_steal_pointer (&rowids);
}

/**
 * chrono_store_get_events_at_place:
 * @place_id: a place's id
 *
 * Returns: (transfer full): a GArray of the gint64 rowids of the events at
 *   @place_id, by start
 */
GArray *
chrono_store_get_events_at_place (ChronoStore  *self,
                                  const char   *place_id,
                                  GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), NULL);
  g_return_val_if_fail (place_id != NULL, NULL);

  if (!(stmt = get_statement (self, STMT_EVENTS_AT_PLACE, error)))
    return NULL;

  bind_text (stmt, 1, place_id);
  return collect_rowids (self, stmt, error);
}

/*
 * Turns what a person typed into an FTS5 query that cannot be a syntax
 * error, folded as the index is: every word becomes a quoted string (all words must match), the last
 * one a prefix. Words with no letter or digit are dropped, since they hold
 * no token. Returns NULL when nothing searchable is left.
 */
static char *
build_match_query (const char *text)
{
  g_autoptr (GString) query = g_string_new (NULL);
  g_autofree char *folded = fold_for_search (text, -1);
  const char *p = folded != NULL ? folded : text;
  gsize last_word = 0;

  while (*p != '\0')
    {
      const char *start;
      gboolean searchable = FALSE;

      while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (*p == '\0')
        break;

      start = p;
      while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
        {
          if (g_unichar_isalnum (g_utf8_get_char (p)))
            searchable = TRUE;
          p = g_utf8_next_char (p);
        }

      if (!searchable)
        continue;

      if (query->len > 0)
        g_string_append_c (query, ' ');
      last_word = query->len;
      g_string_append_c (query, '"');
      for (const char *q = start; q < p; q++)
        {
          if (*q == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *q);
        }
      g_string_append_c (query, '"');
    }

  if (query->len == 0)
    return NULL;

  g_assert (query->str[last_word] == '"');
  g_string_append_c (query, '*');

  return g_string_free (g_steal_pointer (&query), FALSE);
}

/**
 * chrono_store_search:
 * @text: what a person typed, in any language and script
 *
 * Finds the events whose titles, summaries (in any language), quotes or
 * place names (any name of any of their places) contain every word of
 * @text; the last word may be the start of a word. Letter case and
 * diacritics do not matter, nor letters such as ə, ı, ł, ø or ß against
 * the Latin letters they are typed as (e, i, l, o, ss).
 *
 * Returns: (transfer full): a GArray of gint64 event rowids, best first (up
 *   to CHRONO_STORE_MAX_RANKED matches; more come by rowid)
 */
GArray *
chrono_store_search (ChronoStore  *self,
                     const char   *text,
                     GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;
  g_autoptr (GArray) rowids = NULL;
  g_autofree char *query = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL) || (query = build_match_query (text)) == NULL)
    return g_array_new (FALSE, FALSE, sizeof (gint64));

  /* Ranking reads every match's statistics: worth it for a list a person
   * reads through, not for hundreds of thousands of matches, which come in
   * the dataset's order as fast as the index gives them */
  if (!(stmt = get_statement (self, STMT_SEARCH_UNRANKED, error)))
    return NULL;
  bind_text (stmt, 1, query);
  rowids = collect_rowids (self, stmt, error);
  if (rowids == NULL || rowids->len > CHRONO_STORE_MAX_RANKED)
    return g_steal_pointer (&rowids);
  g_clear_pointer (&stmt, cached_statement_release);

  if (!(stmt = get_statement (self, STMT_SEARCH, error)))
    return NULL;

  bind_text (stmt, 1, query);
  return collect_rowids (self, stmt, error);
}

/**
 * chrono_store_get_events_at:
 * @day: a day
 *
 * The events in effect on @day in the strict sense (earliest start <= @day
 * <= latest end), read from the index of their extents.
 *
 * Returns: (transfer full): a GArray of gint64 rowids, by start, or %NULL
 */
GArray *
chrono_store_get_events_at (ChronoStore  *self,
                            ChronoDay     day,
                            GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), NULL);

  if (!(stmt = get_statement (self, STMT_EVENTS_AT, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, day);
  return collect_rowids (self, stmt, error);
}

/* The words of @text as the search index has them: folded, without
 * diacritics, in lower case, split at what is not a letter or a digit. */
static char **
search_words (const char *text)
{
  g_autofree char *folded = fold_for_search (text, -1);
  g_autofree char *decomposed = g_utf8_normalize (folded != NULL ? folded : text, -1, G_NORMALIZE_NFD);
  g_autoptr (GString) plain = NULL;
  g_autofree char *lower = NULL;
  g_autoptr (GPtrArray) words = g_ptr_array_new ();
  const char *start = NULL;

  if (decomposed == NULL)
    return g_new0 (char *, 1);

  plain = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (plain, g_unichar_isalnum (c) ? c : ' ');
    }
  lower = g_utf8_casefold (plain->str, plain->len);

  for (char *p = lower;; p++)
    {
      if (*p != ' ' && *p != '\0' && start == NULL)
        start = p;
      else if ((*p == ' ' || *p == '\0') && start != NULL)
        {
          g_ptr_array_add (words, g_strndup (start, p - start));
          start = NULL;
        }
      if (*p == '\0')
        break;
    }
  g_ptr_array_add (words, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

/**
 * chrono_search_text_matches:
 * @query: what a person typed into the search
 * @text: (nullable): one of an event's texts or names
 *
 * Whether a word of @text starts with a word of @query, as
 * chrono_store_search() compares them (case, diacritics and folded letters
 * aside): to tell a person what a result matched.
 */
gboolean
chrono_search_text_matches (const char *query,
                            const char *text)
{
  g_auto (GStrv) wanted = NULL;
  g_auto (GStrv) words = NULL;

  if (query == NULL || text == NULL || !g_utf8_validate (query, -1, NULL) || !g_utf8_validate (text, -1, NULL))
    return FALSE;

  wanted = search_words (query);
  words = search_words (text);
  for (guint i = 0; wanted[i] != NULL; i++)
    for (guint j = 0; words[j] != NULL; j++)
      if (g_str_has_prefix (words[j], wanted[i]))
        return TRUE;

  return FALSE;
}

/**
 * chrono_store_dup_meta:
 * @key: e.g. "dataset-id", "title:fr", "license"
 *
 * Returns: (transfer full) (nullable): the dataset-level value, or NULL
 */
char *
chrono_store_dup_meta (ChronoStore *self,
                       const char  *key)
{
  g_autoptr (CachedStatement) stmt = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!(stmt = get_statement (self, STMT_META, NULL)))
    return NULL;

  bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return column_dup (stmt, 0);
}

/**
 * chrono_store_dup_meta_for_lang:
 * @key: a per-language key without its language, e.g. "title"
 * @lang: (nullable): the reading language
 *
 * The value of "@key:@lang", falling back to the same primary language, to
 * English, then to any language.
 *
 * Returns: (transfer full) (nullable): the value, or NULL
 */
char *
chrono_store_dup_meta_for_lang (ChronoStore *self,
                                const char  *key,
                                const char  *lang)
{
  g_autoptr (CachedStatement) stmt = NULL;
  g_autofree char *primary = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (lang == NULL || lang[0] == '\0')
    lang = "en";
  primary = g_strndup (lang, strcspn (lang, "-_.@"));

  if (!(stmt = get_statement (self, STMT_META_FOR_LANG, NULL)))
    return NULL;

  bind_text (stmt, 1, key);
  bind_text (stmt, 2, lang);
  bind_text (stmt, 3, primary);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return column_dup (stmt, 0);
}

/* How many sources, places, events, excerpts and claims the dataset holds. */
gboolean
chrono_store_get_counts (ChronoStore        *self,
                         ChronoStoreCounts  *counts,
                         GError            **error)
{
  g_autoptr (CachedStatement) stmt = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  if (!(stmt = get_statement (self, STMT_COUNTS, error)))
    return FALSE;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return set_sqlite_error (self, error, _("could not count the dataset's contents"));

  counts->sources = sqlite3_column_int (stmt, 0);
  counts->places = sqlite3_column_int (stmt, 1);
  counts->events = sqlite3_column_int (stmt, 2);
  counts->excerpts = sqlite3_column_int (stmt, 3);
  counts->claims = sqlite3_column_int (stmt, 4);

  return TRUE;
}

/**
 * chrono_store_get_tour:
 * @lang: (nullable): the reading language; each step's title and note fall
 *   back together to the same primary language, English, then any language
 *
 * The dataset's tour, in order. Its title is the meta value "tour-title"
 * (see chrono_store_dup_meta_for_lang()).
 *
 * Returns: (transfer full): a GPtrArray of ChronoTourStep, empty when the
 *   dataset has no tour, or NULL with @error set
 */
GPtrArray *
chrono_store_get_tour (ChronoStore  *self,
                       const char   *lang,
                       GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;
  g_autoptr (GPtrArray) steps = NULL;
  g_autofree char *primary = NULL;
  int rc;

  g_return_val_if_fail (CHRONO_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (lang == NULL || lang[0] == '\0')
    lang = "en";
  primary = g_strndup (lang, strcspn (lang, "-_.@"));

  if (!(stmt = get_statement (self, STMT_TOUR_STEPS, error)))
    return NULL;

  steps = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (CachedStatement) text_stmt = NULL;
      g_auto (GStrv) excerpts = NULL;
      const char *excerpts_text = column_text (stmt, 5);
      int text_rc;

      if (!(text_stmt = get_statement (self, STMT_TOUR_TEXT, error)))
        return NULL;

      sqlite3_bind_int64 (text_stmt, 1, sqlite3_column_int64 (stmt, 0));
      bind_text (text_stmt, 2, lang);
      bind_text (text_stmt, 3, primary);
      text_rc = sqlite3_step (text_stmt);
      if (text_rc != SQLITE_ROW && text_rc != SQLITE_DONE)
        {
          set_sqlite_error (self, error, _("could not read the tour"));
          return NULL;
        }

      excerpts = excerpts_text != NULL && excerpts_text[0] != '\0'
                   ? g_strsplit (excerpts_text, " ", -1) : g_new0 (char *, 1);

      g_ptr_array_add (steps,
                       g_object_new (CHRONO_TYPE_TOUR_STEP,
                                     "event-id", column_text (stmt, 1),
                                     "event-rowid", sqlite3_column_int64 (stmt, 2),
                                     "date", column_text (stmt, 3),
                                     "day", sqlite3_column_int64 (stmt, 4),
                                     "excerpts", excerpts,
                                     /* A step without texts shows its event's title. */
                                     "lang", text_rc == SQLITE_ROW ? column_text (text_stmt, 0) : NULL,
                                     "title", text_rc == SQLITE_ROW ? column_text (text_stmt, 1) : NULL,
                                     "note", text_rc == SQLITE_ROW ? column_text (text_stmt, 2) : NULL,
                                     NULL));
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, _("could not read the tour"));
      return NULL;
    }

  return g_steal_pointer (&steps);
}

/**
 * chrono_store_begin:
 *
 * Starts the write transaction that every chrono_store_add_*(),
 * chrono_store_set_meta() and chrono_store_clear() call must be inside.
 * End it with chrono_store_commit() or chrono_store_rollback().
 */
gboolean
chrono_store_begin (ChronoStore  *self,
                    GError      **error)
{
  g_return_val_if_fail (CHRONO_IS_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (!exec_sql (self, "BEGIN IMMEDIATE", _("could not start writing"), error))
    return FALSE;

  self->in_transaction = TRUE;
  self->search_dirty = FALSE;
  return TRUE;
}

/**
 * chrono_store_commit:
 *
 * Brings the full-text index up to date and commits. On failure the
 * transaction is rolled back: nothing it wrote remains.
 */
gboolean
chrono_store_commit (ChronoStore  *self,
                     GError      **error)
{
  g_return_val_if_fail (CHRONO_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  /* The search index is built from the others */
  if (self->indexes_dropped)
    {
      if (!exec_sql (self, create_indexes_sql, _("could not index the dataset"), error))
        {
          chrono_store_rollback (self);
          return FALSE;
        }
      self->indexes_dropped = FALSE;
    }

  if ((self->search_dirty &&
       !exec_sql (self, rebuild_search_sql, _("could not index the dataset for search"), error)) ||
      !exec_sql (self, "COMMIT", _("could not save"), error))
    {
      chrono_store_rollback (self);
      return FALSE;
    }

  self->in_transaction = FALSE;
  self->search_dirty = FALSE;
  return TRUE;
}

/* Forgets everything written since chrono_store_begin(). */
void
chrono_store_rollback (ChronoStore *self)
{
  g_return_if_fail (CHRONO_IS_STORE (self));

  if (!self->in_transaction)
    return;

  /* Statements must not hold the transaction open. */
  for (guint i = 0; i < N_STATEMENTS; i++)
    if (self->statements[i] != NULL)
      sqlite3_reset (self->statements[i]);

  if (sqlite3_get_autocommit (self->db) == 0 &&
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
    g_critical ("%s: could not roll back: %s", self->display_name, sqlite3_errmsg (self->db));

  self->in_transaction = FALSE;
  self->search_dirty = FALSE;
}

/**
 * chrono_store_has_id:
 * @kind: what @id names
 *
 * Whether the dataset has a source, place, event or excerpt with @id, so that
 * an import can choose ids that are free. Errors count as "taken".
 */
gboolean
chrono_store_has_id (ChronoStore       *self,
                     ChronoStoreIdKind  kind,
                     const char        *id)
{
  static const Statement statements[] = {
    [CHRONO_STORE_ID_SOURCE] = STMT_HAS_SOURCE,
    [CHRONO_STORE_ID_PLACE] = STMT_HAS_PLACE,
    [CHRONO_STORE_ID_EVENT] = STMT_HAS_EVENT,
    [CHRONO_STORE_ID_EXCERPT] = STMT_HAS_EXCERPT,
  };
  g_autoptr (CachedStatement) stmt = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), TRUE);
  g_return_val_if_fail (kind < G_N_ELEMENTS (statements), TRUE);
  g_return_val_if_fail (id != NULL, TRUE);

  if (!(stmt = get_statement (self, statements[kind], NULL)))
    return TRUE;

  bind_text (stmt, 1, id);
  return sqlite3_step (stmt) != SQLITE_DONE;
}

/**
 * chrono_store_index_event:
 * @rowid: the event's rowid, from chrono_store_add_event()
 * @title, @summary: its texts
 * @quotes: its excerpts' quotes; @places: every name of its places
 *
 * Adds a new event to the full-text index as it is added, for an import
 * that knows all this already: at a million events, reading it all back
 * at the commit costs three times as much. After the last one,
 * chrono_store_set_search_current() tells the commit that the index needs
 * no rebuilding.
 */
gboolean
chrono_store_index_event (ChronoStore  *self,
                          gint64        rowid,
                          const char   *title,
                          const char   *summary,
                          const char   *quotes,
                          const char   *places,
                          GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  if (!(stmt = get_statement (self, STMT_INSERT_SEARCH, error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, rowid);
  bind_folded_text (stmt, 2, title);
  bind_folded_text (stmt, 3, summary);
  bind_folded_text (stmt, 4, quotes);
  bind_folded_text (stmt, 5, places);
  return step_done (self, stmt, _("could not index an event for search"), error);
}

/* Says that every event added in this transaction went through
 * chrono_store_index_event(), and nothing else changed what search finds. */
void
chrono_store_set_search_current (ChronoStore *self)
{
  g_return_if_fail (CHRONO_IS_STORE (self));
  g_return_if_fail (self->in_transaction);

  self->search_dirty = FALSE;
}

/**
 * chrono_store_set_bulk:
 * @bulk: TRUE to start building, FALSE when done
 *
 * For a file being built that nobody sees until it is renamed into place:
 * no journal and no syncs, which makes a large import several times faster.
 * A failure or a crash leaves a broken file, so it must then be removed.
 * Ending it puts the file in the journal mode every dataset has, so that
 * opening it later does not change it.
 */
gboolean
chrono_store_set_bulk (ChronoStore  *self,
                       gboolean      bulk,
                       GError      **error)
{
  g_return_val_if_fail (CHRONO_IS_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (bulk)
    {
      ChronoStoreCounts counts = { 0 };

      /* The import refers only to what it has just written: no foreign key
       * lookups either */
      if (!exec_sql (self, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;"
                     "PRAGMA foreign_keys = OFF",
                     _("could not open the dataset"), error))
        return FALSE;

      /* An empty file is built faster with its indexes made at the end */
      if (chrono_store_get_counts (self, &counts, NULL) && counts.events == 0 && counts.excerpts == 0)
        {
          if (!exec_sql (self, drop_indexes_sql, _("could not open the dataset"), error))
            return FALSE;
          self->indexes_dropped = TRUE;
        }

      /* The search index's segments are merged once at the end rather
       * than again and again as they fill */
      return exec_sql (self, "INSERT INTO search (search, rank) VALUES ('automerge', 0)",
                       _("could not open the dataset"), error);
    }

  if (self->indexes_dropped)
    {
      if (!exec_sql (self, create_indexes_sql, _("could not index the dataset"), error))
        return FALSE;
      self->indexes_dropped = FALSE;
    }

  return exec_sql (self,
                   "INSERT INTO search (search) VALUES ('optimize');"
                   "INSERT INTO search (search, rank) VALUES ('automerge', 4);"
                   "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768;"
                   "PRAGMA foreign_keys = ON",
                   _("could not save the dataset"), error);
}

/* Removes every source, place, event and meta value (in a transaction). */
gboolean
chrono_store_clear (ChronoStore  *self,
                    GError      **error)
{
  g_return_val_if_fail (CHRONO_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  return exec_sql (self, clear_sql, _("could not clear the dataset"), error);
}

/* Sets a dataset-level value; @value NULL stores SQL NULL. */
gboolean
chrono_store_set_meta (ChronoStore  *self,
                       const char   *key,
                       const char   *value,
                       GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!(stmt = get_statement (self, STMT_SET_META, error)))
    return FALSE;

  bind_text (stmt, 1, key);
  bind_text (stmt, 2, value);
  return step_done (self, stmt, _("could not save dataset information"), error);
}

/* Sources and places are few: they are added as model objects. */
gboolean
chrono_store_add_source (ChronoStore   *self,
                         ChronoSource  *source,
                         GError       **error)
{
  g_autoptr (CachedStatement) stmt = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), FALSE);
  g_return_val_if_fail (CHRONO_IS_SOURCE (source), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  if (!(stmt = get_statement (self, STMT_INSERT_SOURCE, error)))
    return FALSE;

  bind_text (stmt, 1, chrono_source_get_id (source));
  bind_text (stmt, 2, chrono_source_get_title (source));
  bind_text (stmt, 3, chrono_source_get_outlet (source));
  bind_text (stmt, 4, chrono_source_get_author (source));
  bind_text (stmt, 5, chrono_source_get_published (source));
  bind_text (stmt, 6, chrono_source_get_language (source));
  bind_text (stmt, 7, chrono_source_get_url (source));
  bind_text (stmt, 8, chrono_source_get_retrieved (source));
  bind_text (stmt, 9, chrono_source_get_note (source));
  bind_text (stmt, 10, chrono_source_get_document (source));

  return step_done (self, stmt, _("could not save a source"), error);
}

/* Adds @place with all its names (its "lang" does not matter here). */
gboolean
chrono_store_add_place (ChronoStore  *self,
                        ChronoPlace  *place,
                        GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;
  GPtrArray *names;

  g_return_val_if_fail (CHRONO_IS_STORE (self), FALSE);
  g_return_val_if_fail (CHRONO_IS_PLACE (place), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  if (!(stmt = get_statement (self, STMT_INSERT_PLACE, error)))
    return FALSE;

  bind_text (stmt, 1, chrono_place_get_id (place));
  sqlite3_bind_double (stmt, 2, chrono_place_get_lat (place));
  sqlite3_bind_double (stmt, 3, chrono_place_get_lon (place));
  bind_text (stmt, 4, chrono_place_get_kind (place));
  bind_text (stmt, 5, chrono_place_get_geometry (place));
  bind_text (stmt, 6, chrono_place_get_note (place));
  if (!step_done (self, stmt, _("could not save a place"), error))
    return FALSE;

  g_clear_pointer (&stmt, cached_statement_release);
  if (!(stmt = get_statement (self, STMT_INSERT_PLACE_NAME, error)))
    return FALSE;

  names = chrono_place_get_names (place);
  for (guint i = 0; i < names->len; i++)
    {
      const ChronoPlaceName *name = g_ptr_array_index (names, i);

      sqlite3_reset (stmt);
      bind_text (stmt, 1, chrono_place_get_id (place));
      bind_text (stmt, 2, name->lang);
      bind_text (stmt, 3, name->name);
      bind_text (stmt, 4, name->usage);
      sqlite3_bind_int (stmt, 5, i);
      bind_text (stmt, 6, name->when);
      if (name->when != NULL)
        {
          sqlite3_bind_int64 (stmt, 7, name->earliest);
          sqlite3_bind_int64 (stmt, 8, name->latest);
        }
      else
        {
          sqlite3_bind_null (stmt, 7);
          sqlite3_bind_null (stmt, 8);
        }
      if (!step_done (self, stmt, _("could not save a place name"), error))
        return FALSE;
    }

  self->search_dirty = TRUE;
  return TRUE;
}

/*
 * Events can be a million, so they are added as plain values: @start and
 * @end as written (EDTF; @end NULL: same as @start) and their day ranges.
 * Sets @out_rowid to the event's rowid.
 */
gboolean
chrono_store_add_event (ChronoStore  *self,
                        const char   *id,
                        const char   *start,
                        const char   *end,
                        gint64        start_lo,
                        gint64        start_hi,
                        gint64        end_lo,
                        gint64        end_hi,
                        const char   *category,
                        int           importance,
                        const char   *note,
                        gint64       *out_rowid,
                        GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (start != NULL, FALSE);

  if (!(stmt = get_statement (self, STMT_INSERT_EVENT, error)))
    return FALSE;

  bind_text (stmt, 1, id);
  bind_text (stmt, 2, start);
  bind_text (stmt, 3, end);
  sqlite3_bind_int64 (stmt, 4, start_lo);
  sqlite3_bind_int64 (stmt, 5, start_hi);
  sqlite3_bind_int64 (stmt, 6, end_lo);
  sqlite3_bind_int64 (stmt, 7, end_hi);
  bind_text (stmt, 8, category);
  sqlite3_bind_int (stmt, 9, importance);
  bind_text (stmt, 10, note);
  if (!step_done (self, stmt, _("could not save an event"), error))
    return FALSE;

  if (out_rowid != NULL)
    *out_rowid = sqlite3_last_insert_rowid (self->db);

  self->search_dirty = TRUE;
  return TRUE;
}

/* Adds an event's title and summary in one language. */
gboolean
chrono_store_add_event_text (ChronoStore  *self,
                             const char   *event_id,
                             const char   *lang,
                             const char   *title,
                             const char   *summary,
                             GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);
  g_return_val_if_fail (event_id != NULL && lang != NULL && title != NULL, FALSE);

  if (!(stmt = get_statement (self, STMT_INSERT_EVENT_TEXT, error)))
    return FALSE;

  bind_text (stmt, 1, event_id);
  bind_text (stmt, 2, lang);
  bind_text (stmt, 3, title);
  bind_text (stmt, 4, summary);

  self->search_dirty = TRUE;
  return step_done (self, stmt, _("could not save the text of an event"), error);
}

/* Links an event to a place with a role; @position orders an event's places. */
gboolean
chrono_store_add_event_place (ChronoStore  *self,
                              const char   *event_id,
                              const char   *place_id,
                              const char   *role,
                              guint         position,
                              GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);
  g_return_val_if_fail (event_id != NULL && place_id != NULL && role != NULL, FALSE);

  if (!(stmt = get_statement (self, STMT_INSERT_EVENT_PLACE, error)))
    return FALSE;

  bind_text (stmt, 1, event_id);
  bind_text (stmt, 2, place_id);
  bind_text (stmt, 3, role);
  sqlite3_bind_int (stmt, 4, position);

  self->search_dirty = TRUE;
  return step_done (self, stmt, _("could not link an event to a place"), error);
}

/* Adds a quote of @source_id about @event_id; @offset and @length -1 if unknown. */
gboolean
chrono_store_add_excerpt (ChronoStore  *self,
                          const char   *id,
                          const char   *event_id,
                          const char   *source_id,
                          const char   *lang,
                          const char   *quote,
                          gint64        offset,
                          gint64        length,
                          guint         position,
                          GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);
  g_return_val_if_fail (id != NULL && event_id != NULL && source_id != NULL && quote != NULL, FALSE);

  if (!(stmt = get_statement (self, STMT_INSERT_EXCERPT, error)))
    return FALSE;

  bind_text (stmt, 1, id);
  bind_text (stmt, 2, event_id);
  bind_text (stmt, 3, source_id);
  bind_text (stmt, 4, lang);
  bind_text (stmt, 5, quote);
  if (offset >= 0)
    sqlite3_bind_int64 (stmt, 6, offset);
  if (length >= 0)
    sqlite3_bind_int64 (stmt, 7, length);
  sqlite3_bind_int (stmt, 8, position);

  self->search_dirty = TRUE;
  return step_done (self, stmt, _("could not save an excerpt"), error);
}

/* Adds a claim about @event_id stated by @excerpt_id (nullable). */
gboolean
chrono_store_add_claim (ChronoStore  *self,
                        const char   *id,
                        const char   *event_id,
                        const char   *excerpt_id,
                        const char   *key,
                        const char   *value,
                        guint         position,
                        GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);
  g_return_val_if_fail (id != NULL && event_id != NULL && key != NULL && value != NULL, FALSE);

  if (!(stmt = get_statement (self, STMT_INSERT_CLAIM, error)))
    return FALSE;

  bind_text (stmt, 1, id);
  bind_text (stmt, 2, event_id);
  bind_text (stmt, 3, excerpt_id);
  bind_text (stmt, 4, key);
  bind_text (stmt, 5, value);
  sqlite3_bind_int (stmt, 6, position);

  return step_done (self, stmt, _("could not save a claim"), error);
}

/**
 * chrono_store_add_tour_step:
 * @position: the step's place in the tour, from 0; unique
 * @event_id: the event the step shows
 * @date: (nullable): the day to show as written (ISO 8601), or NULL for the
 *   event's latest possible start
 * @day: the ChronoDay of @date; ignored when @date is NULL
 * @excerpts: (nullable): ids of the event's excerpts to prefer, best first
 */
gboolean
chrono_store_add_tour_step (ChronoStore        *self,
                            guint               position,
                            const char         *event_id,
                            const char         *date,
                            gint64              day,
                            const char * const *excerpts,
                            GError            **error)
{
  g_autoptr (CachedStatement) stmt = NULL;
  g_autofree char *excerpts_text = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);

  if (!(stmt = get_statement (self, STMT_INSERT_TOUR_STEP, error)))
    return FALSE;

  if (excerpts != NULL && excerpts[0] != NULL)
    excerpts_text = g_strjoinv (" ", (char **) excerpts);

  sqlite3_bind_int (stmt, 1, position);
  bind_text (stmt, 2, event_id);
  bind_text (stmt, 3, date);
  if (date != NULL)
    sqlite3_bind_int64 (stmt, 4, day);
  bind_text (stmt, 5, excerpts_text);

  return step_done (self, stmt, _("could not save a step of the tour"), error);
}

/* Adds the title and note (nullable) of the tour's step @position in @lang. */
gboolean
chrono_store_add_tour_text (ChronoStore  *self,
                            guint         position,
                            const char   *lang,
                            const char   *title,
                            const char   *note,
                            GError      **error)
{
  g_autoptr (CachedStatement) stmt = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);
  g_return_val_if_fail (lang != NULL && title != NULL, FALSE);

  if (!(stmt = get_statement (self, STMT_INSERT_TOUR_TEXT, error)))
    return FALSE;

  sqlite3_bind_int (stmt, 1, position);
  bind_text (stmt, 2, lang);
  bind_text (stmt, 3, title);
  bind_text (stmt, 4, note);

  return step_done (self, stmt, _("could not save the text of a step of the tour"), error);
}

/* For the document's commands (chrono-document.c): the connection itself. */
sqlite3 *
chrono_store_get_db (ChronoStore *self)
{
  g_return_val_if_fail (CHRONO_IS_STORE (self), NULL);

  return self->db;
}

/* Whether nothing may be written: a file opened to be looked at. */
gboolean
chrono_store_is_read_only (ChronoStore *self)
{
  g_return_val_if_fail (CHRONO_IS_STORE (self), TRUE);

  return self->read_only;
}

/* Something the search index reads changed in this transaction by other
 * means than the add functions: the commit builds the index again. */
void
chrono_store_mark_search_dirty (ChronoStore *self)
{
  g_return_if_fail (CHRONO_IS_STORE (self));
  g_return_if_fail (self->in_transaction);

  self->search_dirty = TRUE;
}

/* The store as the views' source of events ------------------------------ */

static ChronoEventTable *
store_load_table (ChronoEventSource  *source,
                  GError            **error)
{
  return chrono_event_table_load (CHRONO_STORE (source), error);
}

static ChronoEvent *
store_get_event (ChronoEventSource  *source,
                 gint64              rowid,
                 const char         *lang,
                 GError            **error)
{
  return chrono_store_get_event (CHRONO_STORE (source), rowid, lang, error);
}

static GPtrArray *
store_get_events (ChronoEventSource  *source,
                  const gint64       *rowids,
                  guint               n,
                  const char         *lang,
                  GError            **error)
{
  return chrono_store_get_events (CHRONO_STORE (source), rowids, n, lang, error);
}

static ChronoEvent *
store_get_event_by_id (ChronoEventSource  *source,
                       const char         *id,
                       const char         *lang,
                       GError            **error)
{
  return chrono_store_get_event_by_id (CHRONO_STORE (source), id, lang, error);
}

static GPtrArray *
store_get_places (ChronoEventSource  *source,
                  const char         *lang,
                  GError            **error)
{
  return chrono_store_get_places (CHRONO_STORE (source), lang, error);
}

static GPtrArray *
store_get_sources (ChronoEventSource  *source,
                   GError            **error)
{
  return chrono_store_get_sources (CHRONO_STORE (source), error);
}

static GPtrArray *
store_get_tour (ChronoEventSource  *source,
                const char         *lang,
                GError            **error)
{
  return chrono_store_get_tour (CHRONO_STORE (source), lang, error);
}

static GArray *
store_get_spans (ChronoEventSource  *source,
                 GError            **error)
{
  return chrono_store_get_spans (CHRONO_STORE (source), error);
}

static GArray *
store_get_events_at (ChronoEventSource  *source,
                     ChronoDay           day,
                     GError            **error)
{
  return chrono_store_get_events_at (CHRONO_STORE (source), day, error);
}

static GArray *
store_get_events_at_place (ChronoEventSource  *source,
                           const char         *place_id,
                           GError            **error)
{
  return chrono_store_get_events_at_place (CHRONO_STORE (source), place_id, error);
}

static GArray *
store_search (ChronoEventSource  *source,
              const char         *text,
              GError            **error)
{
  return chrono_store_search (CHRONO_STORE (source), text, error);
}

static char *
store_dup_meta (ChronoEventSource *source,
                const char        *key,
                const char        *lang)
{
  return chrono_store_dup_meta_for_lang (CHRONO_STORE (source), key, lang);
}

static void
chrono_store_event_source_init (ChronoEventSourceInterface *iface)
{
  iface->load_table = store_load_table;
  iface->get_event = store_get_event;
  iface->get_events = store_get_events;
  iface->get_event_by_id = store_get_event_by_id;
  iface->get_places = store_get_places;
  iface->get_sources = store_get_sources;
  iface->get_tour = store_get_tour;
  iface->get_spans = store_get_spans;
  iface->get_events_at = store_get_events_at;
  iface->get_events_at_place = store_get_events_at_place;
  iface->search = store_search;
  iface->dup_meta = store_dup_meta;
}
