/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A dataset in memory behind ChronoEventSource, every answer found by
 * looking at every event: the oracle the store's indexes are checked
 * against, and a second implementation the views are drawn from.
 */
#include "config.h"

#include "chrono-excerpt.h"
#include "chrono-store.h"
#include "chrono-tour-step.h"
#include "test-memory-source.h"

struct _TestMemorySource
{
  GObject     parent_instance;

  char       *lang;
  GPtrArray  *events;      /* ChronoEvent, in the order of their rowids */
  GHashTable *by_rowid;    /* gint64 * → ChronoEvent */
  GHashTable *by_id;       /* id → ChronoEvent */
  GPtrArray  *places;
  GPtrArray  *sources;
  GPtrArray  *tour;
  GHashTable *meta;        /* key → value, in lang */
};

static void test_memory_source_iface_init (ChronoEventSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestMemorySource, test_memory_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CHRONO_TYPE_EVENT_SOURCE, test_memory_source_iface_init))

/* The keys the views ask for */
static const char * const meta_keys[] = { "title", "tour-title", "description" };

static GPtrArray *
copy_objects (GPtrArray *array)
{
  GPtrArray *copy = g_ptr_array_new_full (array->len, g_object_unref);

  for (guint i = 0; i < array->len; i++)
    g_ptr_array_add (copy, g_object_ref (g_ptr_array_index (array, i)));
  return copy;
}

static gboolean
not_found (GError    **error,
           const char *what)
{
  g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_NOT_FOUND, "no event %s", what);
  return FALSE;
}

static ChronoEventTable *
memory_load_table (ChronoEventSource  *source,
                   GError            **error)
{
  return chrono_event_table_new_from_events (TEST_MEMORY_SOURCE (source)->events);
}

static ChronoEvent *
memory_get_event (ChronoEventSource  *source,
                  gint64              rowid,
                  const char         *lang,
                  GError            **error)
{
  ChronoEvent *event = g_hash_table_lookup (TEST_MEMORY_SOURCE (source)->by_rowid, &rowid);

  if (event == NULL)
    {
      g_autofree char *what = g_strdup_printf ("%" G_GINT64_FORMAT, rowid);

      not_found (error, what);
      return NULL;
    }
  return g_object_ref (event);
}

static GPtrArray *
memory_get_events (ChronoEventSource  *source,
                   const gint64       *rowids,
                   guint               n,
                   const char         *lang,
                   GError            **error)
{
  g_autoptr (GPtrArray) events = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      ChronoEvent *event = memory_get_event (source, rowids[i], lang, error);

      if (event == NULL)
        return NULL;
      g_ptr_array_add (events, event);
    }
  return g_steal_pointer (&events);
}

static ChronoEvent *
memory_get_event_by_id (ChronoEventSource  *source,
                        const char         *id,
                        const char         *lang,
                        GError            **error)
{
  ChronoEvent *event = g_hash_table_lookup (TEST_MEMORY_SOURCE (source)->by_id, id);

  if (event == NULL)
    {
      not_found (error, id);
      return NULL;
    }
  return g_object_ref (event);
}

static GPtrArray *
memory_get_places (ChronoEventSource  *source,
                   const char         *lang,
                   GError            **error)
{
  return copy_objects (TEST_MEMORY_SOURCE (source)->places);
}

static GPtrArray *
memory_get_sources (ChronoEventSource  *source,
                    GError            **error)
{
  return copy_objects (TEST_MEMORY_SOURCE (source)->sources);
}

static GPtrArray *
memory_get_tour (ChronoEventSource  *source,
                 const char         *lang,
                 GError            **error)
{
  return copy_objects (TEST_MEMORY_SOURCE (source)->tour);
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const ChronoSpan *x = a, *y = b;

  if (x->lo != y->lo)
    return x->lo < y->lo ? -1 : 1;
  if (x->hi != y->hi)
    return x->hi < y->hi ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

static GArray *
memory_get_spans (ChronoEventSource  *source,
                  GError            **error)
{
  TestMemorySource *self = TEST_MEMORY_SOURCE (source);
  GArray *spans = g_array_sized_new (FALSE, FALSE, sizeof (ChronoSpan), self->events->len);

  for (guint i = 0; i < self->events->len; i++)
    {
      ChronoEvent *event = g_ptr_array_index (self->events, i);
      ChronoSpan span = { chrono_event_get_start_lo (event), chrono_event_get_end_hi (event),
                          chrono_event_get_rowid (event) };

      g_array_append_val (spans, span);
    }
  g_array_sort (spans, compare_spans);
  return spans;
}

/* Rowids of the spans that pass, in the spans' order */
static GArray *
ids_of (GArray *spans)
{
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), spans->len);

  for (guint i = 0; i < spans->len; i++)
    g_array_append_val (ids, g_array_index (spans, ChronoSpan, i).id);
  return ids;
}

static GArray *
memory_get_events_at (ChronoEventSource  *source,
                      ChronoDay           day,
                      GError            **error)
{
  g_autoptr (GArray) spans = memory_get_spans (source, error);

  for (guint i = spans->len; i > 0; i--)
    {
      const ChronoSpan *span = &g_array_index (spans, ChronoSpan, i - 1);

      if (!(span->lo <= day && day <= span->hi))
        g_array_remove_index (spans, i - 1);
    }
  return ids_of (spans);
}

static gboolean
event_is_at (ChronoEvent *event,
             const char  *place_id)
{
  GPtrArray *places = chrono_event_get_places (event);

  for (guint i = 0; places != NULL && i < places->len; i++)
    if (g_strcmp0 (chrono_place_get_id (g_ptr_array_index (places, i)), place_id) == 0)
      return TRUE;
  return FALSE;
}

/* By start, then rowid */
static GArray *
memory_get_events_at_place (ChronoEventSource  *source,
                            const char         *place_id,
                            GError            **error)
{
  TestMemorySource *self = TEST_MEMORY_SOURCE (source);
  g_autoptr (GArray) spans = g_array_new (FALSE, FALSE, sizeof (ChronoSpan));

  for (guint i = 0; i < self->events->len; i++)
    {
      ChronoEvent *event = g_ptr_array_index (self->events, i);
      /* sorted by start, then rowid: the end plays no part */
      ChronoSpan span = { chrono_event_get_start_lo (event), 0, chrono_event_get_rowid (event) };

      if (event_is_at (event, place_id))
        g_array_append_val (spans, span);
    }
  g_array_sort (spans, compare_spans);
  return ids_of (spans);
}

static gboolean
place_matches (const char  *word,
               ChronoPlace *place)
{
  GPtrArray *names = chrono_place_get_names (place);

  if (chrono_search_text_matches (word, chrono_place_get_name (place)))
    return TRUE;
  for (guint i = 0; names != NULL && i < names->len; i++)
    if (chrono_search_text_matches (word, ((ChronoPlaceName *) g_ptr_array_index (names, i))->name))
      return TRUE;
  return FALSE;
}

/* Every word of @text begins a word of the title, the summary, a quote or a
 * place's name */
static gboolean
event_matches (ChronoEvent *event,
               char       **words)
{
  for (guint w = 0; words[w] != NULL; w++)
    {
      GPtrArray *places = chrono_event_get_places (event);
      GPtrArray *excerpts = chrono_event_get_excerpts (event);
      gboolean found;

      if (words[w][0] == '\0')
        continue;
      found = chrono_search_text_matches (words[w], chrono_event_get_title (event)) ||
              chrono_search_text_matches (words[w], chrono_event_get_summary (event));
      for (guint i = 0; !found && excerpts != NULL && i < excerpts->len; i++)
        found = chrono_search_text_matches (words[w], chrono_excerpt_get_quote (g_ptr_array_index (excerpts, i)));
      for (guint i = 0; !found && places != NULL && i < places->len; i++)
        found = place_matches (words[w], g_ptr_array_index (places, i));
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/* In the order of rowids: nothing here ranks them */
static GArray *
memory_search (ChronoEventSource  *source,
               const char         *text,
               GError            **error)
{
  TestMemorySource *self = TEST_MEMORY_SOURCE (source);
  g_auto (GStrv) words = g_strsplit (text, " ", -1);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean any = FALSE;

  for (guint w = 0; words[w] != NULL; w++)
    any = any || words[w][0] != '\0';
  if (!any)
    return ids;
  for (guint i = 0; i < self->events->len; i++)
    if (event_matches (g_ptr_array_index (self->events, i), words))
      {
        gint64 rowid = chrono_event_get_rowid (g_ptr_array_index (self->events, i));

        g_array_append_val (ids, rowid);
      }
  return ids;
}

static char *
memory_dup_meta (ChronoEventSource *source,
                 const char        *key,
                 const char        *lang)
{
  return g_strdup (g_hash_table_lookup (TEST_MEMORY_SOURCE (source)->meta, key));
}

static void
test_memory_source_iface_init (ChronoEventSourceInterface *iface)
{
  iface->load_table = memory_load_table;
  iface->get_event = memory_get_event;
  iface->get_events = memory_get_events;
  iface->get_event_by_id = memory_get_event_by_id;
  iface->get_places = memory_get_places;
  iface->get_sources = memory_get_sources;
  iface->get_tour = memory_get_tour;
  iface->get_spans = memory_get_spans;
  iface->get_events_at = memory_get_events_at;
  iface->get_events_at_place = memory_get_events_at_place;
  iface->search = memory_search;
  iface->dup_meta = memory_dup_meta;
}

static void
test_memory_source_finalize (GObject *object)
{
  TestMemorySource *self = TEST_MEMORY_SOURCE (object);

  g_free (self->lang);
  g_clear_pointer (&self->by_rowid, g_hash_table_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_pointer (&self->places, g_ptr_array_unref);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->tour, g_ptr_array_unref);
  g_clear_pointer (&self->meta, g_hash_table_unref);

  G_OBJECT_CLASS (test_memory_source_parent_class)->finalize (object);
}

static void
test_memory_source_class_init (TestMemorySourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_memory_source_finalize;
}

static void
test_memory_source_init (TestMemorySource *self)
{
}

static int
compare_rowids (gconstpointer a,
                gconstpointer b)
{
  gint64 x = chrono_event_get_rowid (*(ChronoEvent * const *) a);
  gint64 y = chrono_event_get_rowid (*(ChronoEvent * const *) b);

  return x < y ? -1 : x > y;
}

/**
 * test_memory_source_new_copy:
 * @from: a dataset
 * @lang: the language of its texts to keep
 *
 * Reads everything of @from, each event whole, into memory.
 */
TestMemorySource *
test_memory_source_new_copy (ChronoEventSource  *from,
                             const char         *lang,
                             GError            **error)
{
  g_autoptr (TestMemorySource) self = g_object_new (TEST_TYPE_MEMORY_SOURCE, NULL);
  g_autoptr (GArray) spans = NULL;
  g_autoptr (GArray) ids = NULL;

  self->lang = g_strdup (lang);
  if (!(spans = chrono_event_source_get_spans (from, error)))
    return NULL;
  ids = ids_of (spans);
  if (!(self->events = chrono_event_source_get_events (from, (const gint64 *) (gpointer) ids->data, ids->len,
                                                       lang, error)))
    return NULL;
  g_ptr_array_sort (self->events, compare_rowids);

  self->by_rowid = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->events->len; i++)
    {
      ChronoEvent *event = g_ptr_array_index (self->events, i);

      gint64 rowid = chrono_event_get_rowid (event);

      g_hash_table_insert (self->by_rowid, g_memdup2 (&rowid, sizeof rowid), event);
      g_hash_table_insert (self->by_id, (gpointer) chrono_event_get_id (event), event);
    }

  if (!(self->places = chrono_event_source_get_places (from, lang, error)) ||
      !(self->sources = chrono_event_source_get_sources (from, error)) ||
      !(self->tour = chrono_event_source_get_tour (from, lang, error)))
    return NULL;

  self->meta = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (meta_keys); i++)
    {
      char *value = chrono_event_source_dup_meta (from, meta_keys[i], lang);

      if (value != NULL)
        g_hash_table_insert (self->meta, (gpointer) meta_keys[i], value);
    }

  return g_steal_pointer (&self);
}

/* Returns: (transfer none): every event, whole, by rowid */
GPtrArray *
test_memory_source_get_events (TestMemorySource *self)
{
  g_return_val_if_fail (TEST_IS_MEMORY_SOURCE (self), NULL);

  return self->events;
}
