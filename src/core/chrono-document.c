/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document: one dataset being looked at or edited. It owns the store, the
 * time index and the in-memory events and places that every view shows, and
 * changes them only through commands.
 *
 * A command is one sqlite transaction. Around the statements that make the
 * change, it takes an image of every row the change may touch (its scope:
 * the rows of one event, one place, one source, the tour or the dataset's
 * texts) before and after; undo deletes the scope's rows and writes the
 * image from before back, redo the one from after. The images are the rows
 * themselves, rowids included, so undo gives back exactly what was there and
 * the time index finds the same events again. What changed (events added,
 * removed, changed; places; sources; the tour) is read off the two images, so
 * the "changed" signal says the same for a command, its undo and its redo.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "chrono-date.h"
#include "chrono-document.h"
#include "chrono-event-source.h"
#include "chrono-store-private.h"
#include "chrono-tour-step.h"

/* One table of a scope: its rows "WHERE …", ?1 being the scope's id. Parents
 * come before their children: rows are written in this order and deleted in
 * the opposite one. */
typedef struct
{
  const char *table;
  const char *where;
} ScopePart;

typedef struct
{
  const ScopePart *parts;
  guint            n_parts;
} ScopeKind;

static const ScopePart event_parts[] = {
  { "event", "id = ?1" },
  { "event_text", "event_id = ?1" },
  { "event_place", "event_id = ?1" },
  { "excerpt", "event_id = ?1" },
  { "claim", "event_id = ?1" },
  /* Deleting an event deletes its steps of the tour */
  { "tour_step", "1" },
  { "tour_text", "1" },
};

static const ScopePart place_parts[] = {
  { "place", "id = ?1" },
  { "place_name", "place_id = ?1" },
  { "event_place", "place_id = ?1" },
};

static const ScopePart source_parts[] = {
  { "source", "id = ?1" },
  { "excerpt", "source_id = ?1" },
  { "claim", "excerpt_id IN (SELECT id FROM excerpt WHERE source_id = ?1)" },
};

static const ScopePart tour_parts[] = {
  { "tour_step", "1" },
  { "tour_text", "1" },
};

static const ScopePart meta_parts[] = {
  { "meta", "1" },
};

static const ScopeKind scope_event = { event_parts, G_N_ELEMENTS (event_parts) };
static const ScopeKind scope_place = { place_parts, G_N_ELEMENTS (place_parts) };
static const ScopeKind scope_source = { source_parts, G_N_ELEMENTS (source_parts) };
static const ScopeKind scope_tour = { tour_parts, G_N_ELEMENTS (tour_parts) };
static const ScopeKind scope_meta = { meta_parts, G_N_ELEMENTS (meta_parts) };

/* The rows of one table of a scope, as sqlite values */
typedef struct
{
  const char *table;
  guint       n_columns;
  GStrv       columns;
  GPtrArray  *values;   /* sqlite3_value *, n_columns per row */
} TableImage;

typedef struct
{
  const ScopeKind *kind;
  char            *id;
} Scope;

typedef struct
{
  char      *label;
  GPtrArray *scopes;   /* Scope */
  GPtrArray *before;   /* TableImage, the scopes' parts one after the other */
  GPtrArray *after;
} Command;

struct _ChronoDocument
{
  GObject          parent_instance;

  ChronoStore     *store;
  char            *lang;
  gboolean         read_only;
  char            *read_only_reason;
  int              lock_fd;         /* flock()ed while the file is edited here */

  ChronoEventTable *table;         /* every event, without its texts */
  GHashTable      *event_cache;     /* gint64 * → ChronoEvent read on demand */
  GPtrArray       *all_events;      /* ChronoEvent, read when asked for all */
  ChronoTimeIndex *index;
  GPtrArray       *places;
  GPtrArray       *sources;
  GPtrArray       *tour;

  GPtrArray       *undo_stack;      /* Command, the last done last */
  GPtrArray       *redo_stack;
  guint            serial;          /* for new ids */
};

G_DEFINE_FINAL_TYPE (ChronoDocument, chrono_document, G_TYPE_OBJECT)

/* What the views read: the store, through the questions any backend answers */
static inline ChronoEventSource *
get_source (ChronoDocument *self)
{
  return CHRONO_EVENT_SOURCE (self->store);
}

enum {
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_UNDO_LABEL,
  PROP_REDO_LABEL,
  PROP_READ_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
table_image_free (gpointer data)
{
  TableImage *image = data;

  g_strfreev (image->columns);
  g_ptr_array_unref (image->values);
  g_free (image);
}

static void
scope_free (gpointer data)
{
  Scope *scope = data;

  g_free (scope->id);
  g_free (scope);
}

static void
command_free (gpointer data)
{
  Command *command = data;

  g_free (command->label);
  g_ptr_array_unref (command->scopes);
  g_clear_pointer (&command->before, g_ptr_array_unref);
  g_clear_pointer (&command->after, g_ptr_array_unref);
  g_free (command);
}

static ChronoDocumentChange *
change_new (void)
{
  ChronoDocumentChange *change = g_new0 (ChronoDocumentChange, 1);

  change->events_added = g_ptr_array_new_with_free_func (g_free);
  change->events_removed = g_ptr_array_new_with_free_func (g_free);
  change->events_changed = g_ptr_array_new_with_free_func (g_free);
  change->places_added = g_ptr_array_new_with_free_func (g_free);
  change->places_removed = g_ptr_array_new_with_free_func (g_free);
  change->places_changed = g_ptr_array_new_with_free_func (g_free);
  return change;
}

static void
change_free (ChronoDocumentChange *change)
{
  g_ptr_array_unref (change->events_added);
  g_ptr_array_unref (change->events_removed);
  g_ptr_array_unref (change->events_changed);
  g_ptr_array_unref (change->places_added);
  g_ptr_array_unref (change->places_removed);
  g_ptr_array_unref (change->places_changed);
  g_free (change);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChronoDocumentChange, change_free)

static gboolean
fail_sqlite (ChronoDocument  *self,
             const char      *what,
             GError         **error)
{
  sqlite3 *db = chrono_store_get_db (self->store);
  g_autofree char *message = g_utf8_make_valid (sqlite3_errmsg (db), -1);
  int code = sqlite3_extended_errcode (db);

  if (code == SQLITE_CONSTRAINT_FOREIGNKEY)
    g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                 _("%s: something else of the dataset still refers to it"), what);
  else if (code == SQLITE_READONLY || (code & 0xff) == SQLITE_READONLY)
    g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                 _("%s: the dataset is read-only"), what);
  else
    g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                 "%s: %s", what, message);
  return FALSE;
}

/* Images */

static gboolean
bind_scope_id (sqlite3_stmt *stmt,
               const char   *id)
{
  if (sqlite3_bind_parameter_count (stmt) >= 1)
    return sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT) == SQLITE_OK;
  return TRUE;
}

static gboolean
capture (ChronoDocument  *self,
         GPtrArray       *scopes,
         GPtrArray      **out_images,
         GError         **error)
{
  sqlite3 *db = chrono_store_get_db (self->store);
  g_autoptr (GPtrArray) images = g_ptr_array_new_with_free_func (table_image_free);

  for (guint s = 0; s < scopes->len; s++)
    {
      Scope *scope = g_ptr_array_index (scopes, s);

      for (guint p = 0; p < scope->kind->n_parts; p++)
        {
          const ScopePart *part = &scope->kind->parts[p];
          g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s WHERE %s", part->table, part->where);
          sqlite3_stmt *stmt = NULL;
          TableImage *image;
          int rc;

          if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK || !bind_scope_id (stmt, scope->id))
            {
              sqlite3_finalize (stmt);
              return fail_sqlite (self, _("Could not read the dataset"), error);
            }

          image = g_new0 (TableImage, 1);
          image->table = part->table;
          image->n_columns = (guint) sqlite3_column_count (stmt);
          image->columns = g_new0 (char *, image->n_columns + 1);
          for (guint c = 0; c < image->n_columns; c++)
            image->columns[c] = g_strdup (sqlite3_column_name (stmt, (int) c));
          image->values = g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_value_free);
          g_ptr_array_add (images, image);

          while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
            for (guint c = 0; c < image->n_columns; c++)
              g_ptr_array_add (image->values, sqlite3_value_dup (sqlite3_column_value (stmt, (int) c)));
          sqlite3_finalize (stmt);
          if (rc != SQLITE_DONE)
            return fail_sqlite (self, _("Could not read the dataset"), error);
        }
    }

  *out_images = g_steal_pointer (&images);
  return TRUE;
}

/* Makes the scopes' rows those of @images: deletes them, children first,
 * and writes the image's, parents first. */
static gboolean
restore (ChronoDocument  *self,
         GPtrArray       *scopes,
         GPtrArray       *images,
         GError         **error)
{
  sqlite3 *db = chrono_store_get_db (self->store);
  guint n = 0;

  for (guint s = scopes->len; s-- > 0;)
    {
      Scope *scope = g_ptr_array_index (scopes, s);

      for (guint p = scope->kind->n_parts; p-- > 0;)
        {
          const ScopePart *part = &scope->kind->parts[p];
          g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE %s", part->table, part->where);
          sqlite3_stmt *stmt = NULL;
          int rc;

          if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK || !bind_scope_id (stmt, scope->id))
            {
              sqlite3_finalize (stmt);
              return fail_sqlite (self, _("Could not change the dataset"), error);
            }
          rc = sqlite3_step (stmt);
          sqlite3_finalize (stmt);
          if (rc != SQLITE_DONE)
            return fail_sqlite (self, _("Could not change the dataset"), error);
        }
    }

  for (guint s = 0; s < scopes->len; s++)
    {
      Scope *scope = g_ptr_array_index (scopes, s);

      for (guint p = 0; p < scope->kind->n_parts; p++, n++)
        {
          TableImage *image = g_ptr_array_index (images, n);
          g_autoptr (GString) sql = g_string_new (NULL);
          sqlite3_stmt *stmt = NULL;

          if (image->values->len == 0)
            continue;

          /* The same rows may be in two scopes (the tour in two events') */
          g_string_printf (sql, "INSERT OR REPLACE INTO %s (", image->table);
          for (guint c = 0; c < image->n_columns; c++)
            g_string_append_printf (sql, "%s\"%s\"", c > 0 ? ", " : "", image->columns[c]);
          g_string_append (sql, ") VALUES (");
          for (guint c = 0; c < image->n_columns; c++)
            g_string_append (sql, c > 0 ? ", ?" : "?");
          g_string_append (sql, ")");

          if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
            return fail_sqlite (self, _("Could not change the dataset"), error);

          for (guint row = 0; row < image->values->len / image->n_columns; row++)
            {
              int rc;

              sqlite3_reset (stmt);
              for (guint c = 0; c < image->n_columns; c++)
                sqlite3_bind_value (stmt, (int) c + 1, g_ptr_array_index (image->values, row * image->n_columns + c));
              rc = sqlite3_step (stmt);
              if (rc != SQLITE_DONE)
                {
                  gboolean ok = fail_sqlite (self, _("Could not change the dataset"), error);

                  sqlite3_finalize (stmt);
                  return ok;
                }
            }
          sqlite3_finalize (stmt);
        }
    }

  return TRUE;
}

static int
column_of (TableImage *image,
           const char *name)
{
  for (guint c = 0; c < image->n_columns; c++)
    if (g_str_equal (image->columns[c], name))
      return (int) c;
  return -1;
}

/* The values of column @name in the images of @table, as a set */
static void
collect (GPtrArray  *images,
         const char *table,
         const char *name,
         GHashTable *set)
{
  for (guint i = 0; i < images->len; i++)
    {
      TableImage *image = g_ptr_array_index (images, i);
      int column;

      if (!g_str_equal (image->table, table) || (column = column_of (image, name)) < 0)
        continue;

      for (guint row = 0; row < image->values->len / image->n_columns; row++)
        {
          sqlite3_value *value = g_ptr_array_index (image->values, row * image->n_columns + (guint) column);
          const char *text = (const char *) sqlite3_value_text (value);

          if (text != NULL)
            g_hash_table_add (set, g_strdup (text));
        }
    }
}

static gboolean
tables_differ (GPtrArray  *a,
               GPtrArray  *b,
               const char *table)
{
  for (guint i = 0; i < a->len && i < b->len; i++)
    {
      TableImage *x = g_ptr_array_index (a, i);
      TableImage *y = g_ptr_array_index (b, i);

      if (!g_str_equal (x->table, table))
        continue;
      if (x->values->len != y->values->len)
        return TRUE;
      for (guint v = 0; v < x->values->len; v++)
        {
          sqlite3_value *p = g_ptr_array_index (x->values, v);
          sqlite3_value *q = g_ptr_array_index (y->values, v);
          int pt = sqlite3_value_type (p), qt = sqlite3_value_type (q);

          if (pt != qt)
            return TRUE;
          if (pt == SQLITE_NULL)
            continue;
          if (pt == SQLITE_INTEGER ? sqlite3_value_int64 (p) != sqlite3_value_int64 (q)
              : pt == SQLITE_FLOAT ? sqlite3_value_double (p) != sqlite3_value_double (q)
              : (sqlite3_value_bytes (p) != sqlite3_value_bytes (q) ||
                 memcmp (sqlite3_value_blob (p), sqlite3_value_blob (q), (size_t) sqlite3_value_bytes (p)) != 0))
            return TRUE;
        }
    }
  return FALSE;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
add_sorted (GPtrArray  *to,
            GHashTable *set)
{
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (set, NULL);
  guint n = g_hash_table_size (set);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (to, g_strdup (keys[i]));
  g_ptr_array_sort (to, compare_ids);
}

/* What going from @before to @after changed */
static ChronoDocumentChange *
describe_change (GPtrArray *before,
                 GPtrArray *after)
{
  ChronoDocumentChange *change = change_new ();
  g_autoptr (GHashTable) events_before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) events_after = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) places_before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) places_after = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) places_touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) set = NULL;
  GHashTableIter iter;
  gpointer key;

  collect (before, "event", "id", events_before);
  collect (after, "event", "id", events_after);
  /* An event is changed when any row of it is in a scope that changed: the
   * rows of both images, since a row may be in one only */
  if (tables_differ (before, after, "event") || tables_differ (before, after, "event_text") ||
      tables_differ (before, after, "event_place") || tables_differ (before, after, "excerpt") ||
      tables_differ (before, after, "claim"))
    {
      const char *child_tables[] = { "event_text", "event_place", "excerpt", "claim" };

      collect (before, "event", "id", touched);
      collect (after, "event", "id", touched);
      for (guint t = 0; t < G_N_ELEMENTS (child_tables); t++)
        {
          collect (before, child_tables[t], "event_id", touched);
          collect (after, child_tables[t], "event_id", touched);
        }
    }

  collect (before, "place", "id", places_before);
  collect (after, "place", "id", places_after);
  if (tables_differ (before, after, "place") || tables_differ (before, after, "place_name"))
    {
      collect (before, "place", "id", places_touched);
      collect (after, "place", "id", places_touched);
      collect (before, "place_name", "place_id", places_touched);
      collect (after, "place_name", "place_id", places_touched);
      /* The events at a place show its position and names */
      collect (before, "event_place", "event_id", touched);
      collect (after, "event_place", "event_id", touched);
    }

  set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, touched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gboolean was = g_hash_table_contains (events_before, key);
      gboolean is = g_hash_table_contains (events_after, key);

      if (!was && is)
        g_ptr_array_add (change->events_added, g_strdup (key));
      else if (was && !is)
        g_ptr_array_add (change->events_removed, g_strdup (key));
      else
        g_hash_table_add (set, g_strdup (key));
    }
  add_sorted (change->events_changed, set);
  g_ptr_array_sort (change->events_added, compare_ids);
  g_ptr_array_sort (change->events_removed, compare_ids);

  g_hash_table_remove_all (set);
  g_hash_table_iter_init (&iter, places_touched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gboolean was = g_hash_table_contains (places_before, key);
      gboolean is = g_hash_table_contains (places_after, key);

      if (!was && is)
        g_ptr_array_add (change->places_added, g_strdup (key));
      else if (was && !is)
        g_ptr_array_add (change->places_removed, g_strdup (key));
      else
        g_hash_table_add (set, g_strdup (key));
    }
  add_sorted (change->places_changed, set);

  if (change->events_added->len + change->events_removed->len + change->events_changed->len > 0)
    change->what |= CHRONO_CHANGE_EVENTS;
  if (change->places_added->len + change->places_removed->len + change->places_changed->len > 0)
    change->what |= CHRONO_CHANGE_PLACES;
  if (tables_differ (before, after, "source") || tables_differ (before, after, "excerpt"))
    change->what |= CHRONO_CHANGE_SOURCES;
  if (tables_differ (before, after, "tour_step") || tables_differ (before, after, "tour_text"))
    change->what |= CHRONO_CHANGE_TOUR;
  if (tables_differ (before, after, "meta"))
    change->what |= CHRONO_CHANGE_META;

  return change;
}

/* The model in memory */

static void
reload_places (ChronoDocument *self)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *places = chrono_event_source_get_places (get_source (self), self->lang, &error);

  if (places == NULL)
    {
      g_warning ("Could not read the places: %s", error->message);
      places = g_ptr_array_new_with_free_func (g_object_unref);
    }
  g_clear_pointer (&self->places, g_ptr_array_unref);
  self->places = places;
}

static void
reload_sources (ChronoDocument *self)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *sources = chrono_event_source_get_sources (get_source (self), &error);

  if (sources == NULL)
    {
      g_warning ("Could not read the sources: %s", error->message);
      sources = g_ptr_array_new_with_free_func (g_object_unref);
    }
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  self->sources = sources;
}

static void
reload_tour (ChronoDocument *self)
{
  GPtrArray *tour = chrono_event_source_get_tour (get_source (self), self->lang, NULL);

  g_clear_pointer (&self->tour, g_ptr_array_unref);
  self->tour = tour != NULL ? tour : g_ptr_array_new_with_free_func (g_object_unref);
}

static void
rebuild_index (ChronoDocument *self)
{
  g_clear_pointer (&self->index, chrono_time_index_unref);
  self->index = chrono_event_table_build_index (self->table, 0);
}

static gboolean
load (ChronoDocument  *self,
      GError         **error)
{
  self->table = chrono_event_source_load_table (get_source (self), error);
  if (self->table == NULL)
    return FALSE;
  rebuild_index (self);

  reload_places (self);
  reload_sources (self);
  reload_tour (self);

  /* The scans above filled sqlite's page cache with every page of the
   * events: given back, as nothing reads them all again. Then a window
   * reads a few rows at a time, and searches: a cache of 32 KB per
   * thousand events, between 8 and 32 MB, which the search index of a
   * million events uses (ranking 225,000 matches from the system's file
   * cache took 27 ms instead of 15), and which keeps a window of 100,000
   * events within 150 MB */
  {
    g_autofree char *pragma = g_strdup_printf ("PRAGMA cache_size = -%u",
                                               CLAMP (chrono_event_table_get_n_rows (self->table) / 1000 * 32,
                                                      8192, 32768));

    sqlite3_db_release_memory (chrono_store_get_db (self->store));
    sqlite3_exec (chrono_store_get_db (self->store), pragma, NULL, NULL, NULL);
  }
  return TRUE;
}

/* The rowids of the event rows in @images */
static void
collect_event_rowids (GPtrArray *images,
                      GArray    *rowids)
{
  for (guint i = 0; i < images->len; i++)
    {
      TableImage *image = g_ptr_array_index (images, i);
      int column;

      if (!g_str_equal (image->table, "event") || (column = column_of (image, "rowid")) < 0)
        continue;
      for (guint row = 0; row < image->values->len / image->n_columns; row++)
        {
          gint64 rowid = sqlite3_value_int64 (g_ptr_array_index (image->values, row * image->n_columns + (guint) column));

          g_array_append_val (rowids, rowid);
        }
    }
}

/* Brings the model in memory up to @change, already in the store; @from
 * and @to are the images of the command's rows before and after. Only the
 * rows of the events it touched are read again. */
static void
update_model (ChronoDocument       *self,
              ChronoDocumentChange *change,
              GPtrArray            *from,
              GPtrArray            *to)
{
  if (change->what & CHRONO_CHANGE_PLACES)
    reload_places (self);
  if (change->what & CHRONO_CHANGE_SOURCES)
    reload_sources (self);
  if (change->what & (CHRONO_CHANGE_TOUR | CHRONO_CHANGE_EVENTS))
    reload_tour (self);

  /* Events read before may show old texts, places or sources */
  g_hash_table_remove_all (self->event_cache);
  g_clear_pointer (&self->all_events, g_ptr_array_unref);

  if (change->what & CHRONO_CHANGE_EVENTS)
    {
      g_autoptr (GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
      GPtrArray *lists[] = { change->events_changed, change->events_added };

      /* A new table: views and snapshots that hold the old one keep it as it was */
      ChronoEventTable *table = chrono_event_table_copy (self->table);

      chrono_event_table_unref (self->table);
      self->table = table;
      collect_event_rowids (from, rowids);
      collect_event_rowids (to, rowids);
      for (guint i = 0; i < rowids->len; i++)
        chrono_event_table_remove (self->table, g_array_index (rowids, gint64, i));
      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        for (guint i = 0; i < lists[l]->len; i++)
          {
            g_autoptr (GError) error = NULL;

            if (!chrono_event_table_read_event (self->table, self->store, g_ptr_array_index (lists[l], i), &error))
              g_warning ("%s", error->message);
          }
      rebuild_index (self);
    }
}

static void
notify_history (ChronoDocument *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNDO_LABEL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REDO_LABEL]);
}

/* Commands */

typedef gboolean (*Mutation) (ChronoDocument  *self,
                              gpointer         data,
                              GError         **error);

static Scope *
scope_new (const ScopeKind *kind,
           const char      *id)
{
  Scope *scope = g_new0 (Scope, 1);

  scope->kind = kind;
  scope->id = g_strdup (id != NULL ? id : "");
  return scope;
}

static gboolean
check_writable (ChronoDocument  *self,
                GError         **error)
{
  if (!self->read_only)
    return TRUE;

  g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED, "%s",
               self->read_only_reason != NULL ? self->read_only_reason : _("This dataset is read-only"));
  return FALSE;
}

/* Runs @mutation in a transaction between two images of @scopes, and keeps
 * the command for undo. Takes @scopes. */
static gboolean
run_command (ChronoDocument  *self,
             const char      *label,
             GPtrArray       *scopes,
             Mutation         mutation,
             gpointer         data,
             GError         **error)
{
  g_autoptr (GPtrArray) owned_scopes = scopes;
  g_autoptr (ChronoDocumentChange) change = NULL;
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  Command *command;

  if (!check_writable (self, error))
    return FALSE;

  if (!chrono_store_begin (self->store, error))
    return FALSE;

  if (!capture (self, scopes, &before, error) ||
      !mutation (self, data, error) ||
      !capture (self, scopes, &after, error))
    {
      chrono_store_rollback (self->store);
      return FALSE;
    }

  change = describe_change (before, after);
  if (change->what & (CHRONO_CHANGE_EVENTS | CHRONO_CHANGE_PLACES | CHRONO_CHANGE_SOURCES))
    chrono_store_mark_search_dirty (self->store);
  if (!chrono_store_commit (self->store, error))
    return FALSE;

  command = g_new0 (Command, 1);
  command->label = g_strdup (label);
  command->scopes = g_steal_pointer (&owned_scopes);
  command->before = g_steal_pointer (&before);
  command->after = g_steal_pointer (&after);
  g_ptr_array_add (self->undo_stack, command);
  g_ptr_array_set_size (self->redo_stack, 0);

  update_model (self, change, command->before, command->after);
  notify_history (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, change);
  return TRUE;
}

static gboolean
replay (ChronoDocument  *self,
        Command         *command,
        gboolean         undo,
        GError         **error)
{
  g_autoptr (ChronoDocumentChange) change = NULL;
  GPtrArray *from = undo ? command->after : command->before;
  GPtrArray *to = undo ? command->before : command->after;

  if (!check_writable (self, error) || !chrono_store_begin (self->store, error))
    return FALSE;

  if (!restore (self, command->scopes, to, error))
    {
      chrono_store_rollback (self->store);
      return FALSE;
    }

  change = describe_change (from, to);
  if (change->what & (CHRONO_CHANGE_EVENTS | CHRONO_CHANGE_PLACES | CHRONO_CHANGE_SOURCES))
    chrono_store_mark_search_dirty (self->store);
  if (!chrono_store_commit (self->store, error))
    return FALSE;

  update_model (self, change, from, to);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, change);
  return TRUE;
}

gboolean
chrono_document_undo (ChronoDocument  *self,
                      GError         **error)
{
  Command *command;

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);

  if (self->undo_stack->len == 0)
    return TRUE;

  command = g_ptr_array_index (self->undo_stack, self->undo_stack->len - 1);
  if (!replay (self, command, TRUE, error))
    return FALSE;

  g_ptr_array_add (self->redo_stack, g_ptr_array_steal_index (self->undo_stack, self->undo_stack->len - 1));
  notify_history (self);
  return TRUE;
}

gboolean
chrono_document_redo (ChronoDocument  *self,
                      GError         **error)
{
  Command *command;

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);

  if (self->redo_stack->len == 0)
    return TRUE;

  command = g_ptr_array_index (self->redo_stack, self->redo_stack->len - 1);
  if (!replay (self, command, FALSE, error))
    return FALSE;

  g_ptr_array_add (self->undo_stack, g_ptr_array_steal_index (self->redo_stack, self->redo_stack->len - 1));
  notify_history (self);
  return TRUE;
}

gboolean
chrono_document_can_undo (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);
  return self->undo_stack->len > 0;
}

gboolean
chrono_document_can_redo (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);
  return self->redo_stack->len > 0;
}

const char *
chrono_document_get_undo_label (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);

  if (self->undo_stack->len == 0)
    return NULL;
  return ((Command *) g_ptr_array_index (self->undo_stack, self->undo_stack->len - 1))->label;
}

const char *
chrono_document_get_redo_label (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);

  if (self->redo_stack->len == 0)
    return NULL;
  return ((Command *) g_ptr_array_index (self->redo_stack, self->redo_stack->len - 1))->label;
}

/* Statements of the mutations. @types says what follows: t text (NULL
 * gives NULL), d double, i gint64. */
static gboolean
exec_args (ChronoDocument  *self,
           GError         **error,
           const char      *sql,
           const char      *types,
           ...)
{
  sqlite3 *db = chrono_store_get_db (self->store);
  sqlite3_stmt *stmt = NULL;
  va_list args;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return fail_sqlite (self, _("Could not change the dataset"), error);

  va_start (args, types);
  for (int i = 0; types[i] != '\0'; i++)
    {
      switch (types[i])
        {
        case 't':
          {
            const char *text = va_arg (args, const char *);

            if (text != NULL)
              sqlite3_bind_text (stmt, i + 1, text, -1, SQLITE_TRANSIENT);
            else
              sqlite3_bind_null (stmt, i + 1);
          }
          break;
        case 'd':
          sqlite3_bind_double (stmt, i + 1, va_arg (args, double));
          break;
        case 'i':
          sqlite3_bind_int64 (stmt, i + 1, va_arg (args, gint64));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  va_end (args);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      gboolean ok = fail_sqlite (self, _("Could not change the dataset"), error);

      sqlite3_finalize (stmt);
      return ok;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

static gint64
query_int (ChronoDocument *self,
           const char     *sql,
           const char     *text)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (chrono_store_get_db (self->store), sql, -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* An id no row of @table has: "@prefix-N" */
static char *
new_id (ChronoDocument *self,
        const char     *table,
        const char     *prefix)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE id = ?1", table);

  for (;;)
    {
      g_autofree char *id = g_strdup_printf ("%s-%u", prefix, ++self->serial);

      if (query_int (self, sql, id) == 0)
        return g_steal_pointer (&id);
    }
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

/* Dates */

typedef struct
{
  ChronoDay start_lo, start_hi, end_lo, end_hi;
} Extent;

static gboolean
read_extent (const char  *start,
             const char  *end,
             Extent      *extent,
             GError     **error)
{
  g_autoptr (ChronoEdtf) start_date = NULL;
  g_autoptr (GError) date_error = NULL;

  if (start == NULL || *start == '\0')
    {
      g_set_error (error, CHRONO_DATE_ERROR, CHRONO_DATE_ERROR_INVALID_DATE, _("An event needs a start date"));
      return FALSE;
    }

  start_date = chrono_edtf_parse (start, &date_error);
  if (start_date == NULL)
    {
      g_set_error (error, CHRONO_DATE_ERROR, CHRONO_DATE_ERROR_INVALID_DATE,
                   _("Start: %s"), date_error->message);
      return FALSE;
    }
  extent->start_lo = chrono_edtf_get_earliest (start_date);
  extent->start_hi = chrono_edtf_get_latest (start_date);

  if (end != NULL && g_str_equal (end, ".."))
    {
      /* An open end, as in the dataset format */
      extent->end_lo = extent->start_hi;
      extent->end_hi = CHRONO_DAY_POSITIVE_INFINITY;
    }
  else if (end != NULL && *end != '\0')
    {
      g_autoptr (ChronoEdtf) end_date = chrono_edtf_parse (end, &date_error);

      if (end_date == NULL)
        {
          g_set_error (error, CHRONO_DATE_ERROR, CHRONO_DATE_ERROR_INVALID_DATE,
                       _("End: %s"), date_error->message);
          return FALSE;
        }
      extent->end_lo = chrono_edtf_get_earliest (end_date);
      extent->end_hi = chrono_edtf_get_latest (end_date);
      if (extent->end_hi < extent->start_lo)
        {
          g_set_error (error, CHRONO_DATE_ERROR, CHRONO_DATE_ERROR_INVALID_DATE,
                       _("The end '%s' is before the start '%s'"), end, start);
          return FALSE;
        }
    }
  else
    {
      extent->end_lo = extent->start_lo;
      extent->end_hi = extent->start_hi;
    }

  return TRUE;
}

/**
 * chrono_document_describe_date:
 * @text: an EDTF date as a person types it
 *
 * Returns: (transfer full): how the date reads ("9 or 10 November 2020"),
 *   or NULL with @error saying what is wrong
 */
char *
chrono_document_describe_date (const char  *text,
                               GError     **error)
{
  g_autoptr (ChronoEdtf) date = NULL;

  if (text != NULL && g_str_equal (text, ".."))
    return g_strdup (_("open: still going on"));

  date = chrono_edtf_parse (text != NULL ? text : "", error);
  if (date == NULL)
    return NULL;
  return chrono_edtf_format (date);
}

/* Events */

typedef struct
{
  const char              *id;
  const ChronoEventFields *fields;
  Extent                   extent;
  gboolean                 is_new;
} EventEdit;

static gboolean
write_event (ChronoDocument  *self,
             gpointer         data,
             GError         **error)
{
  EventEdit *edit = data;
  const ChronoEventFields *fields = edit->fields;
  int importance = fields->importance > 0 ? fields->importance : 2;

  if (edit->is_new)
    {
      if (!exec_args (self, error,
                      "INSERT INTO event (id, start, \"end\", start_lo, start_hi, end_lo, end_hi, category, importance, note)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "tttiiiitit",
                      edit->id, fields->start, fields->end, edit->extent.start_lo, edit->extent.start_hi,
                      edit->extent.end_lo, edit->extent.end_hi, fields->category, (gint64) importance, fields->note))
        return FALSE;
    }
  else if (!exec_args (self, error,
                       "UPDATE event SET start = ?, \"end\" = ?, start_lo = ?, start_hi = ?, end_lo = ?, end_hi = ?,"
                       " category = ?, importance = ?, note = ? WHERE id = ?", "ttiiiititt",
                       fields->start, fields->end, edit->extent.start_lo, edit->extent.start_hi,
                       edit->extent.end_lo, edit->extent.end_hi, fields->category, (gint64) importance,
                       fields->note, edit->id))
    return FALSE;

  if (!exec_args (self, error, "DELETE FROM event_text WHERE event_id = ?", "t", edit->id) ||
      !exec_args (self, error, "DELETE FROM event_place WHERE event_id = ?", "t", edit->id))
    return FALSE;

  for (guint i = 0; i < fields->n_texts; i++)
    if (!exec_args (self, error, "INSERT OR REPLACE INTO event_text (event_id, lang, title, summary) VALUES (?, ?, ?, ?)",
                    "tttt", edit->id, fields->text_langs[i], fields->titles[i],
                    fields->summaries != NULL && fields->summaries[i] != NULL && *fields->summaries[i] != '\0'
                      ? fields->summaries[i] : NULL))
      return FALSE;

  for (guint i = 0; i < fields->n_places; i++)
    if (!exec_args (self, error, "INSERT INTO event_place (event_id, place_id, role, position) VALUES (?, ?, ?, ?)",
                    "ttti", edit->id, fields->place_ids[i],
                    fields->place_roles != NULL && fields->place_roles[i] != NULL ? fields->place_roles[i] : "location",
                    (gint64) i))
      return FALSE;

  return TRUE;
}

static gboolean
check_event_fields (ChronoDocument          *self,
                    const ChronoEventFields *fields,
                    Extent                  *extent,
                    GError                 **error)
{
  if (!read_extent (fields->start, fields->end, extent, error))
    return FALSE;

  if (fields->n_texts == 0)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED, _("An event needs a title"));
      return FALSE;
    }
  for (guint i = 0; i < fields->n_texts; i++)
    if (is_blank (fields->titles[i]))
      {
        g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                     _("The title in %s is empty"), chrono_language_get_name (fields->text_langs[i]));
        return FALSE;
      }
  for (guint i = 0; i < fields->n_places; i++)
    if (chrono_document_find_place (self, fields->place_ids[i]) == NULL)
      {
        g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND,
                     _("There is no place '%s'"), fields->place_ids[i]);
        return FALSE;
      }
  if (fields->importance < 0 || fields->importance > 3)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                   _("Importance %d is out of range (1 to 3)"), fields->importance);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
scopes_of (const ScopeKind *kind,
           const char      *id)
{
  GPtrArray *scopes = g_ptr_array_new_with_free_func (scope_free);

  g_ptr_array_add (scopes, scope_new (kind, id));
  return scopes;
}

char *
chrono_document_add_event (ChronoDocument          *self,
                           const ChronoEventFields *fields,
                           GError                 **error)
{
  g_autofree char *id = NULL;
  EventEdit edit = { .fields = fields, .is_new = TRUE };

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  if (!check_writable (self, error) || !check_event_fields (self, fields, &edit.extent, error))
    return NULL;

  id = new_id (self, "event", "event");
  edit.id = id;
  if (!run_command (self, _("Add Event"), scopes_of (&scope_event, id), write_event, &edit, error))
    return NULL;
  return g_steal_pointer (&id);
}

gboolean
chrono_document_set_event (ChronoDocument          *self,
                           const char              *id,
                           const ChronoEventFields *fields,
                           GError                 **error)
{
  EventEdit edit = { .id = id, .fields = fields };

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (id != NULL && fields != NULL, FALSE);

  if (chrono_document_find_event (self, id) == NULL)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND, _("There is no event '%s'"), id);
      return FALSE;
    }
  if (!check_writable (self, error) || !check_event_fields (self, fields, &edit.extent, error))
    return FALSE;

  return run_command (self, _("Edit Event"), scopes_of (&scope_event, id), write_event, &edit, error);
}

static gboolean
delete_rows (ChronoDocument  *self,
             gpointer         data,
             GError         **error)
{
  const char * const *sql_and_id = data;

  return exec_args (self, error, sql_and_id[0], "t", sql_and_id[1]);
}

static gboolean close_up_steps (ChronoDocument  *self,
                                GError         **error);

/* An event's steps of the tour go with it, and the tour closes up */
static gboolean
write_event_delete (ChronoDocument  *self,
                    gpointer         data,
                    GError         **error)
{
  return exec_args (self, error, "DELETE FROM event WHERE id = ?", "t", data) &&
         close_up_steps (self, error);
}

gboolean
chrono_document_delete_event (ChronoDocument  *self,
                              const char      *id,
                              GError         **error)
{

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (chrono_document_find_event (self, id) == NULL)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND, _("There is no event '%s'"), id);
      return FALSE;
    }
  return run_command (self, _("Delete Event"), scopes_of (&scope_event, id), write_event_delete, (gpointer) id, error);
}

/* Places */

typedef struct
{
  const char              *id;
  const ChronoPlaceFields *fields;
  gboolean                 is_new;
} PlaceEdit;

static gboolean
write_place (ChronoDocument  *self,
             gpointer         data,
             GError         **error)
{
  PlaceEdit *edit = data;
  const ChronoPlaceFields *fields = edit->fields;
  const char *kind = fields->kind != NULL ? fields->kind : "point";

  if (edit->is_new)
    {
      if (!exec_args (self, error, "INSERT INTO place (id, lat, lon, kind, geometry, note) VALUES (?, ?, ?, ?, ?, ?)",
                      "tddttt", edit->id, fields->lat, fields->lon, kind, fields->geometry, fields->note))
        return FALSE;
    }
  else if (!exec_args (self, error, "UPDATE place SET lat = ?, lon = ?, kind = ?, geometry = ?, note = ? WHERE id = ?",
                       "ddtttt", fields->lat, fields->lon, kind, fields->geometry, fields->note, edit->id))
    return FALSE;

  if (!exec_args (self, error, "DELETE FROM place_name WHERE place_id = ?", "t", edit->id))
    return FALSE;

  for (guint i = 0; i < fields->n_names; i++)
    {
      const char *when = fields->name_whens != NULL ? fields->name_whens[i] : NULL;
      g_autoptr (ChronoPlaceName) name = chrono_place_name_new_full (fields->name_langs[i], fields->names[i],
                                                                     NULL, when);

      const char *usage = fields->name_usages != NULL ? fields->name_usages[i] : NULL;

      if (name->when == NULL
          ? !exec_args (self, error,
                        "INSERT INTO place_name (place_id, lang, name, usage, position) VALUES (?, ?, ?, ?, ?)",
                        "tttti", edit->id, fields->name_langs[i], fields->names[i], usage, (gint64) i)
          : !exec_args (self, error,
                        "INSERT INTO place_name (place_id, lang, name, usage, position, \"when\", when_lo, when_hi) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        "ttttitii", edit->id, fields->name_langs[i], fields->names[i], usage, (gint64) i,
                        name->when, (gint64) name->earliest, (gint64) name->latest))
        return FALSE;
    }

  return TRUE;
}

static gboolean
check_place_fields (const ChronoPlaceFields  *fields,
                    GError                  **error)
{
  if (!(fields->lat >= -90 && fields->lat <= 90) || !(fields->lon >= -180 && fields->lon <= 180))
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                   _("%.5f, %.5f is not a position on Earth"), fields->lat, fields->lon);
      return FALSE;
    }
  if (fields->n_names == 0)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED, _("A place needs a name"));
      return FALSE;
    }
  for (guint i = 0; i < fields->n_names; i++)
    if (is_blank (fields->names[i]) ||
        fields->name_langs[i] == NULL || *fields->name_langs[i] == '\0')
      {
        g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                     _("Name %u is empty or has no language"), i + 1);
        return FALSE;
      }
  for (guint i = 0; fields->name_whens != NULL && i < fields->n_names; i++)
    {
      g_autoptr (GError) date_error = NULL;
      g_autoptr (ChronoEdtf) when = NULL;

      if (fields->name_whens[i] == NULL || fields->name_whens[i][0] == '\0')
        continue;
      when = chrono_edtf_parse (fields->name_whens[i], &date_error);
      if (when == NULL)
        {
          g_set_error (error, CHRONO_DATE_ERROR, CHRONO_DATE_ERROR_INVALID_DATE,
                       _("Name %u, valid: %s"), i + 1, date_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

char *
chrono_document_add_place (ChronoDocument          *self,
                           const ChronoPlaceFields *fields,
                           GError                 **error)
{
  g_autofree char *id = NULL;
  PlaceEdit edit = { .fields = fields, .is_new = TRUE };

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  if (!check_writable (self, error) || !check_place_fields (fields, error))
    return NULL;

  id = new_id (self, "place", "place");
  edit.id = id;
  if (!run_command (self, _("Add Place"), scopes_of (&scope_place, id), write_place, &edit, error))
    return NULL;
  return g_steal_pointer (&id);
}

gboolean
chrono_document_set_place (ChronoDocument          *self,
                           const char              *id,
                           const ChronoPlaceFields *fields,
                           GError                 **error)
{
  PlaceEdit edit = { .id = id, .fields = fields };

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (id != NULL && fields != NULL, FALSE);

  if (chrono_document_find_place (self, id) == NULL)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND, _("There is no place '%s'"), id);
      return FALSE;
    }
  if (!check_writable (self, error) || !check_place_fields (fields, error))
    return FALSE;

  return run_command (self, _("Edit Place"), scopes_of (&scope_place, id), write_place, &edit, error);
}

typedef struct
{
  const char *id;
  double      lat, lon;
} Move;

static gboolean
write_move (ChronoDocument  *self,
            gpointer         data,
            GError         **error)
{
  Move *move = data;

  /* A line or an area keeps its shape: moved with its point */
  return exec_args (self, error, "UPDATE place SET lat = ?, lon = ? WHERE id = ?", "ddt",
                    move->lat, move->lon, move->id);
}

gboolean
chrono_document_move_place (ChronoDocument  *self,
                            const char      *id,
                            double           lat,
                            double           lon,
                            GError         **error)
{
  Move move = { id, lat, lon };

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (chrono_document_find_place (self, id) == NULL)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND, _("There is no place '%s'"), id);
      return FALSE;
    }
  if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180))
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                   _("%.5f, %.5f is not a position on Earth"), lat, lon);
      return FALSE;
    }
  return run_command (self, _("Move Place"), scopes_of (&scope_place, id), write_move, &move, error);
}

static gboolean
write_place_delete (ChronoDocument  *self,
                    gpointer         data,
                    GError         **error)
{
  const char *id = data;

  return exec_args (self, error, "DELETE FROM event_place WHERE place_id = ?", "t", id) &&
         exec_args (self, error, "DELETE FROM place_name WHERE place_id = ?", "t", id) &&
         exec_args (self, error, "DELETE FROM place WHERE id = ?", "t", id);
}

gboolean
chrono_document_delete_place (ChronoDocument  *self,
                              const char      *id,
                              GError         **error)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (chrono_document_find_place (self, id) == NULL)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND, _("There is no place '%s'"), id);
      return FALSE;
    }
  return run_command (self, _("Delete Place"), scopes_of (&scope_place, id), write_place_delete, (gpointer) id, error);
}

/* Sources, excerpts and claims */

typedef struct
{
  const char               *id;
  const ChronoSourceFields *fields;
  gboolean                  is_new;
} SourceEdit;

static gboolean
write_source (ChronoDocument  *self,
              gpointer         data,
              GError         **error)
{
  SourceEdit *edit = data;
  const ChronoSourceFields *f = edit->fields;

  if (edit->is_new)
    return exec_args (self, error,
                      "INSERT INTO source (id, title, outlet, author, published, language, url, note)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "tttttttt",
                      edit->id, f->title, f->outlet, f->author, f->published, f->language, f->url, f->note);

  return exec_args (self, error,
                    "UPDATE source SET title = ?, outlet = ?, author = ?, published = ?, language = ?, url = ?, note = ?"
                    " WHERE id = ?", "tttttttt",
                    f->title, f->outlet, f->author, f->published, f->language, f->url, f->note, edit->id);
}

static gboolean
check_source_fields (const ChronoSourceFields  *fields,
                     GError                   **error)
{
  if (is_blank (fields->title))
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED, _("A source needs a title"));
      return FALSE;
    }
  if (fields->published != NULL && *fields->published != '\0')
    {
      g_autoptr (GError) date_error = NULL;
      g_autoptr (ChronoEdtf) date = chrono_edtf_parse (fields->published, &date_error);

      if (date == NULL)
        {
          g_set_error (error, CHRONO_DATE_ERROR, CHRONO_DATE_ERROR_INVALID_DATE,
                       _("Published: %s"), date_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

char *
chrono_document_add_source (ChronoDocument           *self,
                            const ChronoSourceFields *fields,
                            GError                  **error)
{
  g_autofree char *id = NULL;
  SourceEdit edit = { .fields = fields, .is_new = TRUE };

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  if (!check_writable (self, error) || !check_source_fields (fields, error))
    return NULL;

  id = new_id (self, "source", "source");
  edit.id = id;
  if (!run_command (self, _("Add Source"), scopes_of (&scope_source, id), write_source, &edit, error))
    return NULL;
  return g_steal_pointer (&id);
}

gboolean
chrono_document_set_source (ChronoDocument           *self,
                            const char               *id,
                            const ChronoSourceFields *fields,
                            GError                  **error)
{
  SourceEdit edit = { .id = id, .fields = fields };

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (id != NULL && fields != NULL, FALSE);

  if (chrono_document_find_source (self, id) == NULL)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND, _("There is no source '%s'"), id);
      return FALSE;
    }
  if (!check_writable (self, error) || !check_source_fields (fields, error))
    return FALSE;

  return run_command (self, _("Edit Source"), scopes_of (&scope_source, id), write_source, &edit, error);
}

static gboolean
write_source_delete (ChronoDocument  *self,
                     gpointer         data,
                     GError         **error)
{
  const char *id = data;

  return exec_args (self, error, "DELETE FROM claim WHERE excerpt_id IN (SELECT id FROM excerpt WHERE source_id = ?)",
                    "t", id) &&
         exec_args (self, error, "DELETE FROM excerpt WHERE source_id = ?", "t", id) &&
         exec_args (self, error, "DELETE FROM source WHERE id = ?", "t", id);
}

gboolean
chrono_document_delete_source (ChronoDocument  *self,
                               const char      *id,
                               GError         **error)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (chrono_document_find_source (self, id) == NULL)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND, _("There is no source '%s'"), id);
      return FALSE;
    }
  return run_command (self, _("Delete Source"), scopes_of (&scope_source, id), write_source_delete, (gpointer) id, error);
}

typedef struct
{
  const char *id;
  const char *event_id;
  const char *a, *b, *c;
} RowEdit;

static gboolean
write_excerpt (ChronoDocument  *self,
               gpointer         data,
               GError         **error)
{
  RowEdit *edit = data;
  gint64 position = query_int (self, "SELECT count(*) FROM excerpt WHERE event_id = ?1", edit->event_id);

  return exec_args (self, error,
                    "INSERT INTO excerpt (id, event_id, source_id, lang, quote, position) VALUES (?, ?, ?, ?, ?, ?)",
                    "ttttti", edit->id, edit->event_id, edit->a, edit->b, edit->c, position);
}

char *
chrono_document_add_excerpt (ChronoDocument  *self,
                             const char      *event_id,
                             const char      *source_id,
                             const char      *lang,
                             const char      *quote,
                             GError         **error)
{
  g_autofree char *id = NULL;
  RowEdit edit = { .event_id = event_id, .a = source_id, .b = lang, .c = quote };

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (event_id != NULL && source_id != NULL, NULL);

  if (!check_writable (self, error))
    return NULL;
  if (chrono_document_find_event (self, event_id) == NULL || chrono_document_find_source (self, source_id) == NULL)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND,
                   _("An excerpt needs an event and a source of the dataset"));
      return NULL;
    }
  if (is_blank (quote))
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED, _("The quote is empty"));
      return NULL;
    }

  id = new_id (self, "excerpt", "excerpt");
  edit.id = id;
  if (!run_command (self, _("Add Excerpt"), scopes_of (&scope_event, event_id), write_excerpt, &edit, error))
    return NULL;
  return g_steal_pointer (&id);
}

static char *
dup_owner (ChronoDocument *self,
           const char     *sql,
           const char     *id)
{
  sqlite3_stmt *stmt = NULL;
  char *owner = NULL;

  if (sqlite3_prepare_v2 (chrono_store_get_db (self->store), sql, -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    owner = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return owner;
}

static gboolean
write_excerpt_delete (ChronoDocument  *self,
                      gpointer         data,
                      GError         **error)
{
  const char *id = data;

  /* Its claims say what it states: without it, they stand unsourced */
  return exec_args (self, error, "UPDATE claim SET excerpt_id = NULL WHERE excerpt_id = ?", "t", id) &&
         exec_args (self, error, "DELETE FROM excerpt WHERE id = ?", "t", id);
}

gboolean
chrono_document_delete_excerpt (ChronoDocument  *self,
                                const char      *excerpt_id,
                                GError         **error)
{
  g_autofree char *event_id = NULL;

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (excerpt_id != NULL, FALSE);

  event_id = dup_owner (self, "SELECT event_id FROM excerpt WHERE id = ?1", excerpt_id);
  if (event_id == NULL)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND, _("There is no excerpt '%s'"), excerpt_id);
      return FALSE;
    }
  if (query_int (self, "SELECT count(*) FROM claim c JOIN excerpt x ON x.id = c.excerpt_id"
                       " WHERE c.excerpt_id = ?1 AND c.event_id <> x.event_id", excerpt_id) > 0)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                   _("A claim of another event quotes this excerpt"));
      return FALSE;
    }
  return run_command (self, _("Delete Excerpt"), scopes_of (&scope_event, event_id),
                      write_excerpt_delete, (gpointer) excerpt_id, error);
}

static gboolean
write_claim (ChronoDocument  *self,
             gpointer         data,
             GError         **error)
{
  RowEdit *edit = data;
  gint64 position = query_int (self, "SELECT count(*) FROM claim WHERE event_id = ?1", edit->event_id);

  return exec_args (self, error,
                    "INSERT INTO claim (id, event_id, excerpt_id, key, value, position) VALUES (?, ?, ?, ?, ?, ?)",
                    "ttttti", edit->id, edit->event_id, edit->a, edit->b, edit->c, position);
}

char *
chrono_document_add_claim (ChronoDocument  *self,
                           const char      *event_id,
                           const char      *excerpt_id,
                           const char      *key,
                           const char      *value,
                           GError         **error)
{
  g_autofree char *id = NULL;
  RowEdit edit = { .event_id = event_id, .a = excerpt_id, .b = key, .c = value };

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (event_id != NULL, NULL);

  if (!check_writable (self, error))
    return NULL;
  if (chrono_document_find_event (self, event_id) == NULL)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND, _("There is no event '%s'"), event_id);
      return NULL;
    }
  if (key == NULL || *key == '\0' || value == NULL || *value == '\0')
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED, _("A claim needs a key and a value"));
      return NULL;
    }
  if (excerpt_id != NULL)
    {
      g_autofree char *owner = dup_owner (self, "SELECT event_id FROM excerpt WHERE id = ?1", excerpt_id);

      if (g_strcmp0 (owner, event_id) != 0)
        {
          g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND,
                       _("The excerpt '%s' is not one of this event's"), excerpt_id);
          return NULL;
        }
    }

  id = new_id (self, "claim", "claim");
  edit.id = id;
  if (!run_command (self, _("Add Claim"), scopes_of (&scope_event, event_id), write_claim, &edit, error))
    return NULL;
  return g_steal_pointer (&id);
}

gboolean
chrono_document_delete_claim (ChronoDocument  *self,
                              const char      *claim_id,
                              GError         **error)
{
  g_autofree char *event_id = NULL;
  const char *data[] = { "DELETE FROM claim WHERE id = ?", claim_id };

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (claim_id != NULL, FALSE);

  event_id = dup_owner (self, "SELECT event_id FROM claim WHERE id = ?1", claim_id);
  if (event_id == NULL)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND, _("There is no claim '%s'"), claim_id);
      return FALSE;
    }
  return run_command (self, _("Delete Claim"), scopes_of (&scope_event, event_id), delete_rows, data, error);
}

/* The tour. Positions are kept 0, 1, 2…: a change shifts the steps after it,
 * and their texts with them (tour_text.position refers to tour_step's key),
 * through negative positions, since position is the key. A step being moved
 * waits at PARKED meanwhile, which the shifts leave alone. The foreign key is
 * checked at commit, when steps and texts agree again. */

#define PARKED -1000000

static gboolean
shift_steps (ChronoDocument  *self,
             gint64           from,
             gint64           by,
             GError         **error)
{
  static const char * const tables[] = { "tour_step", "tour_text" };

  if (!exec_args (self, error, "PRAGMA defer_foreign_keys = ON", ""))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *open_up = g_strdup_printf ("UPDATE %s SET position = -1 - (position + ?) WHERE position >= ?",
                                                  tables[i]);
      g_autofree char *close_up = g_strdup_printf ("UPDATE %s SET position = -1 - position "
                                                   "WHERE position < 0 AND position <> %d",
                                                   tables[i], PARKED);

      if (!exec_args (self, error, open_up, "ii", by, from) || !exec_args (self, error, close_up, ""))
        return FALSE;
    }
  return TRUE;
}

static gboolean
park_step (ChronoDocument  *self,
           gint64           from,
           gint64           to,
           GError         **error)
{
  return exec_args (self, error, "PRAGMA defer_foreign_keys = ON", "") &&
         exec_args (self, error, "UPDATE tour_step SET position = ? WHERE position = ?", "ii", to, from) &&
         exec_args (self, error, "UPDATE tour_text SET position = ? WHERE position = ?", "ii", to, from);
}

/* Positions 0, 1, 2… again after steps went with their event */
static gboolean
close_up_steps (ChronoDocument  *self,
                GError         **error)
{
  sqlite3 *db = chrono_store_get_db (self->store);
  g_autoptr (GArray) positions = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT position FROM tour_step ORDER BY position", -1, &stmt, NULL) != SQLITE_OK)
    return fail_sqlite (self, _("Could not change the dataset"), error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 position = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (positions, position);
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < positions->len; i++)
    {
      gint64 position = g_array_index (positions, gint64, i);

      if (position != (gint64) i && !park_step (self, position, -1 - (gint64) i, error))
        return FALSE;
    }
  return exec_args (self, error, "UPDATE tour_step SET position = -1 - position WHERE position < 0", "") &&
         exec_args (self, error, "UPDATE tour_text SET position = -1 - position WHERE position < 0", "");
}

typedef struct
{
  const char *event_id;
  gint64      from, to;
  const char *lang, *title, *note;
  const char * const *excerpts;
} TourEdit;

static gboolean
write_tour_add (ChronoDocument  *self,
                gpointer         data,
                GError         **error)
{
  TourEdit *edit = data;
  ChronoEvent *event = chrono_document_find_event (self, edit->event_id);

  return shift_steps (self, edit->to, 1, error) &&
         exec_args (self, error, "INSERT INTO tour_step (position, event_id, date, day) VALUES (?, ?, ?, ?)", "itti",
                    edit->to, edit->event_id, chrono_event_get_start (event), chrono_event_get_start_lo (event));
}

gboolean
chrono_document_add_tour_step (ChronoDocument  *self,
                               const char      *event_id,
                               int              position,
                               GError         **error)
{
  TourEdit edit = { .event_id = event_id };
  guint n;

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);

  if (chrono_document_find_event (self, event_id) == NULL)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND, _("There is no event '%s'"), event_id);
      return FALSE;
    }
  n = self->tour->len;
  edit.to = position < 0 || (guint) position > n ? n : (guint) position;
  return run_command (self, _("Add to Tour"), scopes_of (&scope_tour, NULL), write_tour_add, &edit, error);
}

static gboolean
write_tour_remove (ChronoDocument  *self,
                   gpointer         data,
                   GError         **error)
{
  TourEdit *edit = data;

  return exec_args (self, error, "DELETE FROM tour_step WHERE position = ?", "i", edit->from) &&
         shift_steps (self, edit->from + 1, -1, error);
}

gboolean
chrono_document_remove_tour_step (ChronoDocument  *self,
                                  guint            position,
                                  GError         **error)
{
  TourEdit edit = { .from = position };

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);

  if (position >= self->tour->len)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND, _("The tour has no step %u"), position + 1);
      return FALSE;
    }
  return run_command (self, _("Remove from Tour"), scopes_of (&scope_tour, NULL), write_tour_remove, &edit, error);
}

static gboolean
write_tour_move (ChronoDocument  *self,
                 gpointer         data,
                 GError         **error)
{
  TourEdit *edit = data;

  /* The step waits at PARKED while the others close up and open again */
  return park_step (self, edit->from, PARKED, error) &&
         shift_steps (self, edit->from + 1, -1, error) &&
         shift_steps (self, edit->to, 1, error) &&
         park_step (self, PARKED, edit->to, error);
}

gboolean
chrono_document_move_tour_step (ChronoDocument  *self,
                                guint            from,
                                guint            to,
                                GError         **error)
{
  TourEdit edit = { .from = from, .to = to };

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);

  if (from >= self->tour->len || to >= self->tour->len)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND, _("The tour has no step %u"),
                   MAX (from, to) + 1);
      return FALSE;
    }
  if (from == to)
    return TRUE;
  return run_command (self, _("Move Tour Step"), scopes_of (&scope_tour, NULL), write_tour_move, &edit, error);
}

static gboolean
write_tour_text (ChronoDocument  *self,
                 gpointer         data,
                 GError         **error)
{
  TourEdit *edit = data;

  if (edit->excerpts != NULL)
    {
      g_autofree char *joined = g_strjoinv (" ", (char **) edit->excerpts);

      if (!exec_args (self, error, "UPDATE tour_step SET excerpts = ? WHERE position = ?", "ti",
                      *joined != '\0' ? joined : NULL, edit->from))
        return FALSE;
    }

  if (edit->title == NULL || *edit->title == '\0')
    return exec_args (self, error, "DELETE FROM tour_text WHERE position = ? AND lang = ?", "it", edit->from, edit->lang);

  return exec_args (self, error, "INSERT OR REPLACE INTO tour_text (position, lang, title, note) VALUES (?, ?, ?, ?)",
                    "ittt", edit->from, edit->lang, edit->title,
                    edit->note != NULL && *edit->note != '\0' ? edit->note : NULL);
}

gboolean
chrono_document_set_tour_step (ChronoDocument      *self,
                               guint                position,
                               const char          *lang,
                               const char          *title,
                               const char          *note,
                               const char * const  *excerpt_ids,
                               GError             **error)
{
  TourEdit edit = { .from = position, .lang = lang, .title = title, .note = note, .excerpts = excerpt_ids };

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (lang != NULL, FALSE);

  if (position >= self->tour->len)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND, _("The tour has no step %u"), position + 1);
      return FALSE;
    }
  return run_command (self, _("Edit Tour Step"), scopes_of (&scope_tour, NULL), write_tour_text, &edit, error);
}

static gboolean
write_title (ChronoDocument  *self,
             gpointer         data,
             GError         **error)
{
  const char * const *key_and_title = data;

  return exec_args (self, error, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", "tt",
                    key_and_title[0], key_and_title[1]);
}

gboolean
chrono_document_set_title (ChronoDocument  *self,
                           const char      *lang,
                           const char      *title,
                           GError         **error)
{
  g_autofree char *key = NULL;
  const char *data[2];

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (lang != NULL, FALSE);

  if (is_blank (title))
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED, _("A dataset needs a title"));
      return FALSE;
    }
  key = g_strconcat ("title:", lang, NULL);
  data[0] = key;
  data[1] = title;
  return run_command (self, _("Rename Dataset"), scopes_of (&scope_meta, NULL), write_title, data, error);
}

/* Reading */

/**
 * chrono_document_get_source:
 *
 * Where the views read the dataset from: its store, seen only through the
 * questions any backend answers (#ChronoEventSource).
 *
 * Returns: (transfer none): the source of the document's events
 */
ChronoEventSource *
chrono_document_get_source (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);
  return get_source (self);
}

ChronoStore *
chrono_document_get_store (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);
  return self->store;
}

const char *
chrono_document_get_path (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);
  return chrono_store_get_path (self->store);
}

const char *
chrono_document_get_lang (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);
  return self->lang;
}

gboolean
chrono_document_get_read_only (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), TRUE);
  return self->read_only;
}

const char *
chrono_document_get_read_only_reason (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);
  return self->read_only_reason;
}

/* Says why a read-only document cannot be changed ("The bundled dataset…");
 * a writable one stays writable. */
void
chrono_document_set_read_only_reason (ChronoDocument *self,
                                      const char     *reason)
{
  g_return_if_fail (CHRONO_IS_DOCUMENT (self));

  if (!self->read_only || reason == NULL)
    return;
  g_free (self->read_only_reason);
  self->read_only_reason = g_strdup (reason);
}

char **
chrono_document_dup_languages (ChronoDocument *self)
{
  g_autofree char *languages = NULL;

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);

  languages = chrono_store_dup_meta (self->store, "languages");
  if (languages == NULL || *g_strstrip (languages) == '\0')
    {
      const char *one[] = { self->lang, NULL };

      return g_strdupv ((char **) one);
    }
  return g_strsplit_set (languages, " ", -1);
}

char *
chrono_document_dup_title (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);
  return chrono_event_source_dup_meta (get_source (self), "title", self->lang);
}

GStrv
chrono_document_dup_categories (ChronoDocument *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);

  if (sqlite3_prepare_v2 (chrono_store_get_db (self->store),
                          "SELECT DISTINCT category FROM event WHERE category IS NOT NULL ORDER BY category",
                          -1, &stmt, NULL) == SQLITE_OK)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return g_strv_builder_end (builder);
}

/**
 * chrono_document_get_events:
 *
 * Every event, read with its texts, places and excerpts: for small datasets
 * and tests. Views ask chrono_document_get_table() and read the events they
 * show with chrono_document_lookup_event().
 *
 * Returns: (transfer none) (element-type ChronoEvent): the events, by rowid;
 *   valid until the next change
 */
GPtrArray *
chrono_document_get_events (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);

  if (self->all_events == NULL)
    {
      g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      const ChronoEventRow *rows = chrono_event_table_get_rows (self->table);
      g_autoptr (GError) error = NULL;

      for (guint i = 0; i < chrono_event_table_get_n_rows (self->table); i++)
        g_array_append_val (ids, rows[i].rowid);
      self->all_events = chrono_event_source_get_events (get_source (self), (const gint64 *) (gpointer) ids->data,
                                                         ids->len, self->lang, &error);
      if (self->all_events == NULL)
        {
          g_warning ("Could not read the events: %s", error->message);
          self->all_events = g_ptr_array_new_with_free_func (g_object_unref);
        }
    }
  return self->all_events;
}

/* Returns: (transfer none): every event's extent, category and places */
ChronoEventTable *
chrono_document_get_table (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);
  return self->table;
}

guint
chrono_document_get_n_events (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), 0);
  return chrono_event_table_get_n_rows (self->table);
}

/* Forgets the events read on demand when they are many; those still
 * referenced elsewhere live on. A caller's borrowed event (from
 * chrono_document_lookup_event()) may go: call it where none is held. */
void
chrono_document_trim_cache (ChronoDocument *self,
                            guint           keep)
{
  g_return_if_fail (CHRONO_IS_DOCUMENT (self));
  if (g_hash_table_size (self->event_cache) > keep)
    g_hash_table_remove_all (self->event_cache);
}

ChronoTimeIndex *
chrono_document_get_time_index (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);
  return self->index;
}

GPtrArray *
chrono_document_get_places (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);
  return self->places;
}

GPtrArray *
chrono_document_get_sources (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);
  return self->sources;
}

GPtrArray *
chrono_document_get_tour (ChronoDocument *self)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);
  return self->tour;
}

/**
 * chrono_document_lookup_event:
 *
 * The event of @rowid with its texts, places and excerpts, read from the
 * store the first time it is asked for.
 *
 * Returns: (transfer none) (nullable): the event; valid until the next
 *   change or chrono_document_trim_cache()
 */
ChronoEvent *
chrono_document_lookup_event (ChronoDocument *self,
                              gint64          rowid)
{
  ChronoEvent *event;
  gint64 *key;

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);

  event = g_hash_table_lookup (self->event_cache, &rowid);
  if (event != NULL)
    return event;
  if (chrono_event_table_lookup (self->table, rowid) == NULL)
    return NULL;

  event = chrono_event_source_get_event (get_source (self), rowid, self->lang, NULL);
  if (event == NULL)
    return NULL;
  key = g_new (gint64, 1);
  *key = rowid;
  g_hash_table_insert (self->event_cache, key, event);
  return event;
}

/* Returns: (transfer none) (nullable): the event whose dataset id is @id */
ChronoEvent *
chrono_document_find_event (ChronoDocument *self,
                            const char     *id)
{
  gint64 rowid;

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);

  if (id == NULL)
    return NULL;
  /* Its rowid only: the event itself is read once, by the cache */
  rowid = query_int (self, "SELECT rowid FROM event WHERE id = ?1", id);
  return rowid > 0 ? chrono_document_lookup_event (self, rowid) : NULL;
}

ChronoPlace *
chrono_document_find_place (ChronoDocument *self,
                            const char     *id)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);

  for (guint i = 0; id != NULL && i < self->places->len; i++)
    if (g_str_equal (chrono_place_get_id (g_ptr_array_index (self->places, i)), id))
      return g_ptr_array_index (self->places, i);
  return NULL;
}

ChronoSource *
chrono_document_find_source (ChronoDocument *self,
                             const char     *id)
{
  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), NULL);

  for (guint i = 0; id != NULL && i < self->sources->len; i++)
    if (g_str_equal (chrono_source_get_id (g_ptr_array_index (self->sources, i)), id))
      return g_ptr_array_index (self->sources, i);
  return NULL;
}

/* Opening */

static void
chrono_document_finalize (GObject *object)
{
  ChronoDocument *self = CHRONO_DOCUMENT (object);

  g_clear_object (&self->store);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_free (self->lang);
  g_free (self->read_only_reason);
  g_clear_pointer (&self->table, chrono_event_table_unref);
  g_hash_table_unref (self->event_cache);
  g_clear_pointer (&self->all_events, g_ptr_array_unref);
  g_clear_pointer (&self->index, chrono_time_index_unref);
  g_clear_pointer (&self->places, g_ptr_array_unref);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->tour, g_ptr_array_unref);
  g_ptr_array_unref (self->undo_stack);
  g_ptr_array_unref (self->redo_stack);

  G_OBJECT_CLASS (chrono_document_parent_class)->finalize (object);
}

static void
chrono_document_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ChronoDocument *self = CHRONO_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, chrono_document_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, chrono_document_can_redo (self));
      break;
    case PROP_UNDO_LABEL:
      g_value_set_string (value, chrono_document_get_undo_label (self));
      break;
    case PROP_REDO_LABEL:
      g_value_set_string (value, chrono_document_get_redo_label (self));
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_document_class_init (ChronoDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = chrono_document_finalize;
  object_class->get_property = chrono_document_get_property;

  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNDO_LABEL] = g_param_spec_string ("undo-label", NULL, NULL, NULL,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REDO_LABEL] = g_param_spec_string ("redo-label", NULL, NULL, NULL,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, NULL, TRUE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ChronoDocument::changed:
   * @change: (type gpointer): a ChronoDocumentChange, valid during the emission
   *
   * After every command, undo and redo, once the model in memory is current.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
chrono_document_init (ChronoDocument *self)
{
  self->lock_fd = -1;
  self->event_cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->undo_stack = g_ptr_array_new_with_free_func (command_free);
  self->redo_stack = g_ptr_array_new_with_free_func (command_free);
}

/**
 * chrono_document_new:
 * @store: a dataset
 * @lang: the language texts are read in
 * @read_only: whether edits are refused (the bundled dataset, a file opened
 *   elsewhere); a store opened read-only is always
 *
 * Returns: (transfer full): the document, or NULL with @error set when
 *   @store cannot be read
 */
ChronoDocument *
chrono_document_new (ChronoStore  *store,
                     const char   *lang,
                     gboolean      read_only,
                     GError      **error)
{
  g_autoptr (ChronoDocument) self = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (store), NULL);
  g_return_val_if_fail (lang != NULL, NULL);

  self = g_object_new (CHRONO_TYPE_DOCUMENT, NULL);
  self->store = g_object_ref (store);
  self->lang = g_strdup (lang);
  self->read_only = read_only || chrono_store_is_read_only (store);
  if (self->read_only)
    self->read_only_reason = g_strdup (_("This dataset is read-only"));

  if (!load (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * chrono_document_open:
 * @path: a .chronotope file
 *
 * Opens @path to be edited. A dataset edited elsewhere (another window or
 * program holds it) or a file that cannot be written is opened read-only,
 * chrono_document_get_read_only_reason() saying why: two writers would
 * each lose the other's edits.
 */
ChronoDocument *
chrono_document_open (const char  *path,
                      const char  *lang,
                      GError     **error)
{
  g_autoptr (ChronoStore) store = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *name = NULL;
  ChronoDocument *self;
  int fd = -1;

  g_return_val_if_fail (path != NULL, NULL);

  name = g_filename_display_basename (path);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, _("'%s': no such file"), name);
      return NULL;
    }

  fd = g_open (path, O_RDWR | O_CLOEXEC, 0);
  if (fd < 0)
    reason = g_strdup_printf (_("%s cannot be written to: %s"), name, g_strerror (errno));
  else if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      reason = g_strdup_printf (_("%s is being edited in another window"), name);
      close (fd);
      fd = -1;
    }

  if (fd >= 0)
    {
      g_autoptr (GError) write_error = NULL;

      /* A file that can be written to in a folder that cannot (sqlite's
       * journal goes beside it) or on read-only media is read as it is */
      store = chrono_store_open (path, &write_error);
      if (store == NULL)
        {
          g_debug ("%s: opened read-only: %s", name, write_error->message);
          reason = g_strdup_printf (_("%s cannot be written to: %s"), name, write_error->message);
          close (fd);
          fd = -1;
        }
    }
  if (store == NULL)
    store = chrono_store_open_readonly (path, error);
  if (store == NULL)
    {
      if (fd >= 0)
        close (fd);
      return NULL;
    }

  self = chrono_document_new (store, lang, fd < 0, error);
  if (self == NULL)
    {
      if (fd >= 0)
        close (fd);
      return NULL;
    }
  self->lock_fd = fd;
  if (reason != NULL)
    {
      g_free (self->read_only_reason);
      self->read_only_reason = g_steal_pointer (&reason);
    }
  return self;
}

/**
 * chrono_document_create:
 * @path: where the new dataset goes; no file may be there
 * @title: its title, in @langs' first language
 * @langs: its languages
 *
 * A new, empty dataset, open for editing.
 */
ChronoDocument *
chrono_document_create (const char          *path,
                        const char          *title,
                        const char * const  *langs,
                        const char          *lang,
                        GError             **error)
{
  g_autoptr (ChronoStore) store = NULL;
  g_autofree char *languages = NULL;
  g_autofree char *title_key = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL && title != NULL, NULL);
  g_return_val_if_fail (langs != NULL && langs[0] != NULL, NULL);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *name = g_filename_display_basename (path);

      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST, _("%s already exists"), name);
      return NULL;
    }

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not make the folder %s: %s"), dir, g_strerror (saved));
      return NULL;
    }

  /* Built beside it and renamed into place: all of it or nothing */
  tmp = g_strconcat (path, ".new", NULL);
  g_unlink (tmp);
  store = chrono_store_open (tmp, error);
  if (store == NULL)
    return NULL;

  languages = g_strjoinv (" ", (char **) langs);
  title_key = g_strconcat ("title:", langs[0], NULL);
  if (!chrono_store_begin (store, error) ||
      !chrono_store_set_meta (store, "format-version", "1", error) ||
      !chrono_store_set_meta (store, "languages", languages, error) ||
      !chrono_store_set_meta (store, title_key, title, error) ||
      !chrono_store_commit (store, error))
    {
      g_clear_object (&store);
      g_unlink (tmp);
      return NULL;
    }
  g_clear_object (&store);

  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not write %s: %s"), path, g_strerror (saved));
      return NULL;
    }

  return chrono_document_open (path, lang, error);
}

/**
 * chrono_document_save_copy:
 * @path: where the copy goes (replaced if there is a file there)
 *
 * Writes the dataset as it is now to @path (sqlite's backup), through a
 * file beside it renamed into place: a failure leaves @path as it was.
 */
gboolean
chrono_document_save_copy (ChronoDocument  *self,
                           const char      *path,
                           GError         **error)
{
  g_autofree char *tmp = NULL;
  sqlite3 *target = NULL;
  sqlite3_backup *backup;
  int rc;

  g_return_val_if_fail (CHRONO_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (g_strcmp0 (path, chrono_document_get_path (self)) == 0)
    return TRUE;

  tmp = g_strconcat (path, ".new", NULL);
  g_unlink (tmp);
  rc = sqlite3_open_v2 (tmp, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc == SQLITE_OK)
    {
      backup = sqlite3_backup_init (target, "main", chrono_store_get_db (self->store), "main");
      if (backup != NULL)
        {
          sqlite3_backup_step (backup, -1);
          sqlite3_backup_finish (backup);
        }
      rc = sqlite3_errcode (target);
      /* A copy that stands alone: no journal left beside it */
      if (rc == SQLITE_OK)
        rc = sqlite3_exec (target, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    }
  if (rc != SQLITE_OK)
    {
      g_autofree char *message = g_utf8_make_valid (target != NULL ? sqlite3_errmsg (target) : sqlite3_errstr (rc), -1);
      g_autofree char *name = g_filename_display_basename (path);

      sqlite3_close (target);
      g_unlink (tmp);
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                   _("Could not write %s: %s"), name, message);
      return FALSE;
    }
  sqlite3_close (target);

  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not write %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
