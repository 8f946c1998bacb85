/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "chrono-event.h"
#include "chrono-event-table.h"
#include "chrono-place.h"
#include "chrono-store-private.h"

struct _ChronoEventTable
{
  gatomicrefcount  ref_count;
  GArray          *rows;        /* ChronoEventRow, by rowid */
  GArray          *place_refs;  /* guint32: indexes into place_ids */
  GPtrArray       *place_ids;   /* char *, interned: an index never changes */
  GHashTable      *place_index; /* id → index + 1 */
  GPtrArray       *categories;  /* char *; 0 is NULL, for none */
  GHashTable      *category_index;
};

G_DEFINE_BOXED_TYPE (ChronoEventTable, chrono_event_table, chrono_event_table_ref, chrono_event_table_unref)

static guint32 intern_place    (ChronoEventTable *self,
                                const char       *id);
static guint16 intern_category (ChronoEventTable *self,
                                const char       *name);

ChronoEventTable *
chrono_event_table_new (void)
{
  ChronoEventTable *self = g_new0 (ChronoEventTable, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->rows = g_array_new (FALSE, FALSE, sizeof (ChronoEventRow));
  self->place_refs = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->place_ids = g_ptr_array_new_with_free_func (g_free);
  self->place_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->categories = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->categories, NULL);
  self->category_index = g_hash_table_new (g_str_hash, g_str_equal);
  return self;
}

ChronoEventTable *
chrono_event_table_ref (ChronoEventTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
chrono_event_table_unref (ChronoEventTable *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_array_unref (self->rows);
  g_array_unref (self->place_refs);
  g_hash_table_unref (self->place_index);
  g_ptr_array_unref (self->place_ids);
  g_hash_table_unref (self->category_index);
  g_ptr_array_unref (self->categories);
  g_free (self);
}

/**
 * chrono_event_table_copy:
 *
 * Returns: (transfer full): a table of the same rows, to change while
 *   @self stays as it is for those who hold it
 */
ChronoEventTable *
chrono_event_table_copy (ChronoEventTable *self)
{
  ChronoEventTable *copy = chrono_event_table_new ();

  g_return_val_if_fail (self != NULL, copy);

  g_array_append_vals (copy->rows, self->rows->data, self->rows->len);
  g_array_append_vals (copy->place_refs, self->place_refs->data, self->place_refs->len);
  for (guint i = 0; i < self->place_ids->len; i++)
    intern_place (copy, g_ptr_array_index (self->place_ids, i));
  for (guint i = 1; i < self->categories->len; i++)
    intern_category (copy, g_ptr_array_index (self->categories, i));
  return copy;
}

static guint32
intern_place (ChronoEventTable *self,
              const char       *id)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->place_index, id));
  char *copy;

  if (index != 0)
    return index - 1;
  copy = g_strdup (id);
  g_ptr_array_add (self->place_ids, copy);
  g_hash_table_insert (self->place_index, copy, GUINT_TO_POINTER (self->place_ids->len));
  return self->place_ids->len - 1;
}

static guint16
intern_category (ChronoEventTable *self,
                 const char       *name)
{
  guint index;
  char *copy;

  if (name == NULL)
    return 0;
  index = GPOINTER_TO_UINT (g_hash_table_lookup (self->category_index, name));
  if (index != 0)
    return (guint16) index;
  /* More categories than a legend could show share the last one's colour
   * but keep their names apart from each other no further */
  if (self->categories->len >= G_MAXUINT16)
    return G_MAXUINT16 - 1;
  copy = g_strdup (name);
  g_ptr_array_add (self->categories, copy);
  g_hash_table_insert (self->category_index, copy, GUINT_TO_POINTER (self->categories->len - 1));
  return (guint16) (self->categories->len - 1);
}

/* The position of @rowid, or where it would go */
static guint
find_position (ChronoEventTable *self,
               gint64            rowid,
               gboolean         *found)
{
  const ChronoEventRow *rows = (const ChronoEventRow *) (gpointer) self->rows->data;
  guint lo = 0, hi = self->rows->len;

  /* Rowids are mostly 1, 2, 3…: try there first */
  if (self->rows->len > 0 && rowid >= rows[0].rowid && rowid - rows[0].rowid < self->rows->len &&
      rows[rowid - rows[0].rowid].rowid == rowid)
    {
      *found = TRUE;
      return (guint) (rowid - rows[0].rowid);
    }

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (rows[mid].rowid < rowid)
        lo = mid + 1;
      else
        hi = mid;
    }
  *found = lo < self->rows->len && rows[lo].rowid == rowid;
  return lo;
}

static void
put_row (ChronoEventTable     *self,
         const ChronoEventRow *row)
{
  gboolean found;
  guint position = find_position (self, row->rowid, &found);

  if (found)
    g_array_index (self->rows, ChronoEventRow, position) = *row;
  else
    g_array_insert_val (self->rows, position, *row);
}

/* The row of a statement's columns 0 to 6 (rowid, start_lo, start_hi,
 * end_lo, end_hi, category, importance) with no places yet */
static ChronoEventRow
row_from_statement (ChronoEventTable *self,
                    sqlite3_stmt     *stmt)
{
  ChronoEventRow row = {
    .rowid = sqlite3_column_int64 (stmt, 0),
    .start_lo = sqlite3_column_int64 (stmt, 1),
    .start_hi = sqlite3_column_int64 (stmt, 2),
    .end_lo = sqlite3_column_int64 (stmt, 3),
    .end_hi = sqlite3_column_int64 (stmt, 4),
    .category = intern_category (self, (const char *) sqlite3_column_text (stmt, 5)),
    .importance = (guint8) CLAMP (sqlite3_column_int (stmt, 6), 0, 255),
    .places = self->place_refs->len,
    .n_places = 0,
  };

  return row;
}

#define ROW_COLUMNS "e.rowid, e.start_lo, e.start_hi, e.end_lo, e.end_hi, e.category, e.importance, ep.place_id"

typedef struct
{
  guint   row;
  guint32 place;
  gint64  position;
} PlaceRef;

static int
compare_refs (gconstpointer a,
              gconstpointer b)
{
  const PlaceRef *x = a, *y = b;

  if (x->row != y->row)
    return x->row < y->row ? -1 : 1;
  return x->position < y->position ? -1 : x->position > y->position;
}

/* The row of the event @event_id: the one the cursor is at or a few after
 * it (the places of events come in the order the events were written,
 * skipping those without places), else from a table of every id, made the
 * first time one comes out of order (after edits) */
static gboolean
find_event_row (const char  *event_id,
                GPtrArray   *ids,
                guint       *cursor,
                GHashTable **by_id,
                guint       *row)
{
  for (guint r = *cursor; r < ids->len && r < *cursor + 8; r++)
    if (g_str_equal (g_ptr_array_index (ids, r), event_id))
      {
        *cursor = *row = r;
        return TRUE;
      }

  if (*by_id == NULL)
    {
      *by_id = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint r = 0; r < ids->len; r++)
        g_hash_table_insert (*by_id, g_ptr_array_index (ids, r), GUINT_TO_POINTER (r + 1));
    }
  *row = GPOINTER_TO_UINT (g_hash_table_lookup (*by_id, event_id));
  if (*row == 0)
    return FALSE;
  *row -= 1;
  *cursor = *row;
  return TRUE;
}

/* Every event's places, from one scan of them as they lie in the file,
 * matched to the events (whose ids @ids gives by row) by the order they
 * were written in: reading them in the order of the event ids went
 * through an index without the place, to the row of each, which read a
 * file not in the system's cache out of order (2 s of a cold opening of a
 * million events). Each event's places are then put together, in their
 * order. */
static gboolean
read_places (ChronoEventTable  *self,
             sqlite3           *db,
             GPtrArray         *ids)
{
  sqlite3_stmt *refs = NULL;
  g_autoptr (GArray) pairs = g_array_new (FALSE, FALSE, sizeof (PlaceRef));
  g_autoptr (GHashTable) by_id = NULL;
  g_autofree guint *counts = NULL;
  g_autofree guint *next = NULL;
  g_autofree PlaceRef *grouped = NULL;
  const char *last_place = NULL;
  guint32 last_index = 0;
  guint cursor = 0;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT event_id, place_id, position FROM event_place", -1, &refs, NULL) != SQLITE_OK)
    return FALSE;
  while ((rc = sqlite3_step (refs)) == SQLITE_ROW)
    {
      const char *event_id = (const char *) sqlite3_column_text (refs, 0);
      const char *place = (const char *) sqlite3_column_text (refs, 1);
      PlaceRef ref = { .position = sqlite3_column_int64 (refs, 2) };

      if (event_id == NULL || place == NULL || !find_event_row (event_id, ids, &cursor, &by_id, &ref.row))
        continue;
      if (last_place != NULL && g_str_equal (place, last_place))
        ref.place = last_index;
      else
        {
          ref.place = last_index = intern_place (self, place);
          last_place = g_ptr_array_index (self->place_ids, last_index);
        }
      g_array_append_val (pairs, ref);
    }
  sqlite3_finalize (refs);
  if (rc != SQLITE_DONE)
    return FALSE;

  /* Each row's places together, as they came, then in their order */
  counts = g_new0 (guint, self->rows->len + 1);
  for (guint i = 0; i < pairs->len; i++)
    counts[g_array_index (pairs, PlaceRef, i).row]++;
  next = g_new (guint, self->rows->len + 1);
  for (guint r = 0, offset = 0; r < self->rows->len; r++)
    {
      ChronoEventRow *row = &g_array_index (self->rows, ChronoEventRow, r);

      row->places = offset;
      row->n_places = (guint16) MIN (counts[r], G_MAXUINT16);
      next[r] = offset;
      offset += counts[r];
    }
  grouped = g_new (PlaceRef, MAX (pairs->len, 1));
  for (guint i = 0; i < pairs->len; i++)
    {
      const PlaceRef *ref = &g_array_index (pairs, PlaceRef, i);

      grouped[next[ref->row]++] = *ref;
    }
  for (guint r = 0; r < self->rows->len; r++)
    {
      const ChronoEventRow *row = &g_array_index (self->rows, ChronoEventRow, r);
      gboolean in_order = TRUE;

      for (guint k = 1; k < counts[r] && in_order; k++)
        in_order = grouped[row->places + k - 1].position < grouped[row->places + k].position;
      if (!in_order)
        qsort (grouped + row->places, counts[r], sizeof (PlaceRef), compare_refs);
    }

  g_array_set_size (self->place_refs, pairs->len);
  for (guint i = 0; i < pairs->len; i++)
    g_array_index (self->place_refs, guint32, i) = grouped[i].place;
  return TRUE;
}

/**
 * chrono_event_table_load:
 *
 * Reads every event's extent, category, importance and places: one scan of
 * the events by rowid, and one of their places as they lie in the file.
 *
 * Returns: (transfer full): the table, or %NULL with @error set
 */
ChronoEventTable *
chrono_event_table_load (ChronoStore  *store,
                         GError      **error)
{
  g_autoptr (ChronoEventTable) self = chrono_event_table_new ();
  /* every event's id, by row, for matching their places */
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  GStringChunk *id_chunk = g_string_chunk_new (1 << 20);
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  const char *last_category = NULL;
  guint16 last_index = 0;
  int rc;

  g_return_val_if_fail (CHRONO_IS_STORE (store), NULL);

  db = chrono_store_get_db (store);
  rc = sqlite3_prepare_v2 (db, "SELECT rowid, start_lo, start_hi, end_lo, end_hi, category, importance, id "
                           "FROM event ORDER BY rowid", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        const char *category = (const char *) sqlite3_column_text (stmt, 5);
        const char *id = (const char *) sqlite3_column_text (stmt, 7);
        ChronoEventRow row = {
          .rowid = sqlite3_column_int64 (stmt, 0),
          .start_lo = sqlite3_column_int64 (stmt, 1),
          .start_hi = sqlite3_column_int64 (stmt, 2),
          .end_lo = sqlite3_column_int64 (stmt, 3),
          .end_hi = sqlite3_column_int64 (stmt, 4),
          .importance = (guint8) CLAMP (sqlite3_column_int (stmt, 6), 0, 255),
        };

        if (category == NULL)
          row.category = 0;
        else if (last_category != NULL && g_str_equal (category, last_category))
          row.category = last_index;
        else
          {
            row.category = last_index = intern_category (self, category);
            last_category = g_ptr_array_index (self->categories, last_index);
          }
        g_array_append_val (self->rows, row);
        g_ptr_array_add (ids, g_string_chunk_insert_len (id_chunk, id != NULL ? id : "", -1));
      }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE || !read_places (self, db, ids))
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                   _("could not read events: %s"), sqlite3_errmsg (db));
      g_string_chunk_free (id_chunk);
      return NULL;
    }
  g_string_chunk_free (id_chunk);
  return g_steal_pointer (&self);
}

static int
compare_rowids (gconstpointer a,
                gconstpointer b)
{
  gint64 x = ((const ChronoEventRow *) a)->rowid, y = ((const ChronoEventRow *) b)->rowid;

  return x < y ? -1 : x > y;
}

/**
 * chrono_event_table_new_from_events:
 * @events: (element-type ChronoEvent): events, each with its rowid
 *
 * The table of events already read, as chrono_event_table_load() would give
 * it for a store holding them.
 *
 * Returns: (transfer full): a table
 */
ChronoEventTable *
chrono_event_table_new_from_events (GPtrArray *events)
{
  ChronoEventTable *self = chrono_event_table_new ();

  g_return_val_if_fail (events != NULL, self);

  for (guint i = 0; i < events->len; i++)
    {
      ChronoEvent *event = g_ptr_array_index (events, i);
      GPtrArray *places = chrono_event_get_places (event);
      ChronoEventRow row = {
        .rowid = chrono_event_get_rowid (event),
        .start_lo = chrono_event_get_start_lo (event),
        .start_hi = chrono_event_get_start_hi (event),
        .end_lo = chrono_event_get_end_lo (event),
        .end_hi = chrono_event_get_end_hi (event),
        .category = intern_category (self, chrono_event_get_category (event)),
        .importance = (guint8) CLAMP (chrono_event_get_importance (event), 0, 255),
        .places = self->place_refs->len,
      };

      for (guint p = 0; places != NULL && p < places->len; p++)
        {
          guint32 index = intern_place (self, chrono_place_get_id (g_ptr_array_index (places, p)));

          g_array_append_val (self->place_refs, index);
          row.n_places++;
        }
      g_array_append_val (self->rows, row);
    }
  g_array_sort (self->rows, compare_rowids);
  return self;
}

guint
chrono_event_table_get_n_rows (ChronoEventTable *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->rows->len;
}

/* Returns: (array) (transfer none): the rows, by rowid; valid until the
 * table changes */
const ChronoEventRow *
chrono_event_table_get_rows (ChronoEventTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const ChronoEventRow *) (gpointer) self->rows->data;
}

/* Returns: (nullable) (transfer none): the row of @rowid */
const ChronoEventRow *
chrono_event_table_lookup (ChronoEventTable *self,
                           gint64            rowid)
{
  gboolean found;
  guint position;

  g_return_val_if_fail (self != NULL, NULL);

  position = find_position (self, rowid, &found);
  return found ? &g_array_index (self->rows, ChronoEventRow, position) : NULL;
}

/* Returns: (nullable): the name of category @category, NULL for none */
const char *
chrono_event_table_get_category_name (ChronoEventTable *self,
                                      guint16           category)
{
  g_return_val_if_fail (self != NULL, NULL);
  return category < self->categories->len ? g_ptr_array_index (self->categories, category) : NULL;
}

/* Returns: the category called @name, 0 when no event has it */
guint16
chrono_event_table_find_category (ChronoEventTable *self,
                                  const char       *name)
{
  g_return_val_if_fail (self != NULL, 0);
  return name != NULL ? (guint16) GPOINTER_TO_UINT (g_hash_table_lookup (self->category_index, name)) : 0;
}

/* Returns: how many categories there are, "none" (0) included */
guint
chrono_event_table_get_n_categories (ChronoEventTable *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->categories->len;
}

/* Returns: the @i-th place of @row, as an index for chrono_event_table_get_place_id() */
guint32
chrono_event_table_get_place (ChronoEventTable     *self,
                              const ChronoEventRow *row,
                              guint                 i)
{
  g_return_val_if_fail (self != NULL && row != NULL, CHRONO_EVENT_TABLE_NO_PLACE);
  g_return_val_if_fail (i < row->n_places, CHRONO_EVENT_TABLE_NO_PLACE);
  return g_array_index (self->place_refs, guint32, row->places + i);
}

const char *
chrono_event_table_get_place_id (ChronoEventTable *self,
                                 guint32           place)
{
  g_return_val_if_fail (self != NULL, NULL);
  return place < self->place_ids->len ? g_ptr_array_index (self->place_ids, place) : NULL;
}

/* Returns: the index of @place_id, or CHRONO_EVENT_TABLE_NO_PLACE when no
 * event has ever been there */
guint32
chrono_event_table_find_place (ChronoEventTable *self,
                               const char       *place_id)
{
  guint index;

  g_return_val_if_fail (self != NULL, CHRONO_EVENT_TABLE_NO_PLACE);
  if (place_id == NULL)
    return CHRONO_EVENT_TABLE_NO_PLACE;
  index = GPOINTER_TO_UINT (g_hash_table_lookup (self->place_index, place_id));
  return index != 0 ? index - 1 : CHRONO_EVENT_TABLE_NO_PLACE;
}

/* Returns: how many place ids the table knows; indexes are below that */
guint
chrono_event_table_get_n_place_ids (ChronoEventTable *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->place_ids->len;
}

gboolean
chrono_event_table_row_is_at (ChronoEventTable     *self,
                              const ChronoEventRow *row,
                              guint32               place)
{
  const guint32 *refs = (const guint32 *) (gpointer) self->place_refs->data;

  for (guint i = 0; i < row->n_places; i++)
    if (refs[row->places + i] == place)
      return TRUE;
  return FALSE;
}

/**
 * chrono_event_table_dup_spans:
 * @afterglow_days: days that a short event stays after its end
 *
 * Returns: (transfer full): a GArray of ChronoSpan, one per event: from its
 * earliest start to its latest end, the afterglow added to short ones
 */
GArray *
chrono_event_table_dup_spans (ChronoEventTable *self,
                              int               afterglow_days)
{
  GArray *spans;

  g_return_val_if_fail (self != NULL, NULL);

  spans = g_array_sized_new (FALSE, FALSE, sizeof (ChronoSpan), self->rows->len);
  g_array_set_size (spans, self->rows->len);
  for (guint i = 0; i < self->rows->len; i++)
    {
      const ChronoEventRow *row = &g_array_index (self->rows, ChronoEventRow, i);
      ChronoSpan *span = &g_array_index (spans, ChronoSpan, i);

      span->lo = row->start_lo;
      span->hi = row->end_hi;
      span->id = row->rowid;
      if (afterglow_days > 0 && chrono_span_is_short (span->lo, span->hi))
        span->hi += afterglow_days;
    }
  return spans;
}

/* Returns: (transfer full): a time index of the table's events */
ChronoTimeIndex *
chrono_event_table_build_index (ChronoEventTable *self,
                                int               afterglow_days)
{
  g_autoptr (GArray) spans = chrono_event_table_dup_spans (self, afterglow_days);

  return chrono_time_index_new ((const ChronoSpan *) (gpointer) spans->data, spans->len);
}

void
chrono_event_table_remove (ChronoEventTable *self,
                           gint64            rowid)
{
  gboolean found;
  guint position;

  g_return_if_fail (self != NULL);

  position = find_position (self, rowid, &found);
  if (found)
    g_array_remove_index (self->rows, position);
}

/**
 * chrono_event_table_read_event:
 * @event_id: the id of an event in @store
 *
 * Puts the event's row as it is now in @store in the table, in the place of
 * the one of the same rowid. An event not in the store leaves the table as it
 * was. Its old place references stay unused.
 */
gboolean
chrono_event_table_read_event (ChronoEventTable  *self,
                               ChronoStore       *store,
                               const char        *event_id,
                               GError           **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  ChronoEventRow row = { 0 };
  gboolean have_row = FALSE;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (CHRONO_IS_STORE (store), FALSE);

  db = chrono_store_get_db (store);
  rc = sqlite3_prepare_v2 (db, "SELECT " ROW_COLUMNS " FROM event e "
                           "LEFT JOIN event_place ep ON ep.event_id = e.id WHERE e.id = ?1 ORDER BY ep.position",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, event_id, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *place = (const char *) sqlite3_column_text (stmt, 7);

          if (!have_row)
            row = row_from_statement (self, stmt);
          have_row = TRUE;
          if (place != NULL && row.n_places < G_MAXUINT16)
            {
              guint32 index = intern_place (self, place);

              g_array_append_val (self->place_refs, index);
              row.n_places++;
            }
        }
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                   _("could not read the event %s: %s"), event_id, sqlite3_errmsg (db));
      return FALSE;
    }
  if (have_row)
    put_row (self, &row);
  return TRUE;
}
