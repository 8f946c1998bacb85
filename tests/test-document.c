/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-document"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "chrono-dataset.h"
#include "chrono-date.h"
#include "chrono-document.h"
#include "test-run.h"
#include "chrono-store-private.h"
#include "chrono-tour-step.h"

/*
 * The document's commands on real sqlite files. The oracle of undo and redo
 * is the database itself: every row of every table, read with plain SQL,
 * before and after.
 */

static const char * const tables[] = {
  "meta", "source", "place", "place_name", "event", "event_text", "event_place",
  "excerpt", "claim", "tour_step", "tour_text",
};

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every row of the dataset, sorted, as text */
static char *
dump (ChronoDocument *document)
{
  sqlite3 *db = chrono_store_get_db (chrono_document_get_store (document));
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s", tables[t]);
      g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          GString *row = g_string_new (tables[t]);

          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const char *value = (const char *) sqlite3_column_text (stmt, c);

              g_string_append_printf (row, "|%s", value != NULL ? value : "<null>");
            }
          g_ptr_array_add (rows, g_string_free (row, FALSE));
        }
      sqlite3_finalize (stmt);
      g_ptr_array_sort (rows, compare_strings);
      for (guint r = 0; r < rows->len; r++)
        g_string_append_printf (text, "%s\n", (char *) g_ptr_array_index (rows, r));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
temp_path (const char *name)
{
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  return g_build_filename (g_get_user_cache_dir (), name, NULL);
}

/* The bundled dataset, copied to a file that can be edited */
static ChronoDocument *
open_bundled_copy (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_dataset_open_bundled (&error);
  g_autoptr (ChronoDocument) bundled = NULL;
  g_autofree char *path = temp_path (name);
  ChronoDocument *document;

  g_assert_no_error (error);
  bundled = chrono_document_new (store, "en", TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (chrono_document_save_copy (bundled, path, &error));
  g_assert_no_error (error);

  document = chrono_document_open (path, "en", &error);
  g_assert_no_error (error);
  g_assert_false (chrono_document_get_read_only (document));
  return document;
}

static guint
count_rows (ChronoDocument *document,
            const char     *sql)
{
  sqlite3 *db = chrono_store_get_db (chrono_document_get_store (document));
  sqlite3_stmt *stmt = NULL;
  guint n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* The model in memory is the store's: a new document read from the same
 * store has the same events in effect on @days */
static void
assert_model_current (ChronoDocument *document)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoDocument) fresh = chrono_document_new (chrono_document_get_store (document), "en", TRUE, &error);
  static const ChronoDay days[] = { 0, 18577, 18600, 18941, 19000, 19300, 19600, 19700, 20000 };

  g_assert_no_error (error);
  g_assert_cmpuint (chrono_document_get_events (document)->len, ==, count_rows (document, "SELECT count(*) FROM event"));
  g_assert_cmpuint (chrono_document_get_places (document)->len, ==, count_rows (document, "SELECT count(*) FROM place"));
  g_assert_cmpuint (chrono_document_get_sources (document)->len, ==, count_rows (document, "SELECT count(*) FROM source"));
  g_assert_cmpuint (chrono_document_get_tour (document)->len, ==, count_rows (document, "SELECT count(*) FROM tour_step"));
  /* The table patched by every change is the table of the events read anew */
  {
    g_autoptr (ChronoEventTable) oracle = chrono_event_table_new_from_events (chrono_document_get_events (fresh));

    assert_tables_equal (chrono_document_get_table (document), oracle);
    assert_tables_equal (chrono_document_get_table (fresh), oracle);
  }

  for (guint d = 0; d < G_N_ELEMENTS (days); d++)
    {
      g_autoptr (GArray) a = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr (GArray) b = g_array_new (FALSE, FALSE, sizeof (gint64));

      chrono_time_index_query (chrono_document_get_time_index (document), days[d], a);
      chrono_time_index_query (chrono_document_get_time_index (fresh), days[d], b);
      g_assert_cmpuint (a->len, ==, b->len);
      for (guint i = 0; i < a->len; i++)
        {
          ChronoEvent *x = chrono_document_lookup_event (document, g_array_index (a, gint64, i));
          ChronoEvent *y = chrono_document_lookup_event (fresh, g_array_index (a, gint64, i));

          g_assert_nonnull (x);
          g_assert_nonnull (y);
          g_assert_cmpstr (chrono_event_get_id (x), ==, chrono_event_get_id (y));
          g_assert_cmpstr (chrono_event_get_title (x), ==, chrono_event_get_title (y));
          g_assert_cmpuint (chrono_event_get_places (x)->len, ==, chrono_event_get_places (y)->len);
          g_assert_cmpuint (chrono_event_get_excerpts (x)->len, ==, chrono_event_get_excerpts (y)->len);
        }
    }
}

static const char *
random_event (ChronoDocument *document,
              GRand          *rand)
{
  GPtrArray *events = chrono_document_get_events (document);

  if (events->len == 0)
    return NULL;
  return chrono_event_get_id (g_ptr_array_index (events, g_rand_int_range (rand, 0, (gint32) events->len)));
}

static const char *
random_place (ChronoDocument *document,
              GRand          *rand)
{
  GPtrArray *places = chrono_document_get_places (document);

  if (places->len == 0)
    return NULL;
  return chrono_place_get_id (g_ptr_array_index (places, g_rand_int_range (rand, 0, (gint32) places->len)));
}

static const char *
random_source (ChronoDocument *document,
               GRand          *rand)
{
  GPtrArray *sources = chrono_document_get_sources (document);

  if (sources->len == 0)
    return NULL;
  return chrono_source_get_id (g_ptr_array_index (sources, g_rand_int_range (rand, 0, (gint32) sources->len)));
}

/* One random command that can be done; FALSE if the one drawn cannot */
static gboolean
random_command (ChronoDocument *document,
                GRand          *rand,
                guint           step)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *new_id = NULL;
  g_autofree char *title = g_strdup_printf ("Edit %u", step);
  g_autofree char *start = g_strdup_printf ("%d-%02d-%02d", g_rand_int_range (rand, 2020, 2024),
                                            g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
  const char *event = random_event (document, rand);
  const char *place = random_place (document, rand);
  const char *source = random_source (document, rand);
  gboolean done = FALSE;

  switch (g_rand_int_range (rand, 0, 16))
    {
    case 0:
    case 1:
      {
        const char *langs[] = { "en", "fr" };
        const char *titles[] = { title, "Titre" };
        const char *summaries[] = { "A summary", NULL };
        const char *place_ids[] = { place };
        ChronoEventFields fields = {
          .start = start, .end = g_rand_boolean (rand) ? ".." : NULL, .category = "edited",
          .n_texts = 2, .text_langs = langs, .titles = titles, .summaries = summaries,
          .n_places = place != NULL ? 1 : 0, .place_ids = place_ids,
        };

        new_id = chrono_document_add_event (document, &fields, &error);
        done = new_id != NULL;
      }
      break;
    case 2:
      if (event != NULL)
        {
          const char *langs[] = { "en" };
          const char *titles[] = { title };
          ChronoEventFields fields = { .start = start, .end = "2024-09", .n_texts = 1, .text_langs = langs,
                                       .titles = titles, .importance = 3 };

          done = chrono_document_set_event (document, event, &fields, &error);
        }
      break;
    case 3:
      if (event != NULL)
        done = chrono_document_delete_event (document, event, &error);
      break;
    case 4:
      {
        const char *langs[] = { "en", "hy" };
        const char *names[] = { title, "Անուն" };
        const char *usages[] = { "common", "local" };
        const char *whens[] = { "1923/..", g_rand_boolean (rand) ? "../1922" : NULL };
        ChronoPlaceFields fields = { .lat = g_rand_double_range (rand, 39, 41), .lon = g_rand_double_range (rand, 45, 48),
                                     .kind = "town", .n_names = 2, .name_langs = langs, .names = names,
                                     .name_usages = usages, .name_whens = whens };

        new_id = chrono_document_add_place (document, &fields, &error);
        done = new_id != NULL;
      }
      break;
    case 5:
    case 6:
      if (place != NULL)
        done = chrono_document_move_place (document, place, g_rand_double_range (rand, 39, 41),
                                           g_rand_double_range (rand, 45, 48), &error);
      break;
    case 7:
      if (place != NULL)
        done = chrono_document_delete_place (document, place, &error);
      break;
    case 8:
      {
        ChronoSourceFields fields = { .title = title, .outlet = "Outlet", .published = "2021-03", .language = "en" };

        new_id = chrono_document_add_source (document, &fields, &error);
        done = new_id != NULL;
      }
      break;
    case 9:
      if (source != NULL && g_rand_int_range (rand, 0, 3) == 0)
        done = chrono_document_delete_source (document, source, &error);
      break;
    case 10:
      if (event != NULL && source != NULL)
        {
          new_id = chrono_document_add_excerpt (document, event, source, "en", "“A quote”", &error);
          done = new_id != NULL;
        }
      break;
    case 11:
      if (event != NULL)
        {
          ChronoEvent *e = chrono_document_find_event (document, event);
          GPtrArray *excerpts = chrono_event_get_excerpts (e);
          const char *excerpt = excerpts->len > 0 ? chrono_excerpt_get_id (g_ptr_array_index (excerpts, 0)) : NULL;

          if (excerpt != NULL && g_rand_boolean (rand))
            done = chrono_document_delete_excerpt (document, excerpt, NULL);
          else
            {
              new_id = chrono_document_add_claim (document, event, excerpt, "troops", "1960", &error);
              done = new_id != NULL;
            }
        }
      break;
    case 12:
      if (event != NULL)
        done = chrono_document_add_tour_step (document, event, g_rand_int_range (rand, -1, 4), &error);
      break;
    case 13:
      {
        guint n = chrono_document_get_tour (document)->len;

        guint from = (guint) g_rand_int_range (rand, 0, (gint32) MAX (n, 1));
        guint to = (guint) g_rand_int_range (rand, 0, (gint32) MAX (n, 1));

        /* Moves and removals of steps with texts are always possible */
        if (n >= 2 && from != to)
          {
            done = chrono_document_move_tour_step (document, from, to, &error);
            g_assert_no_error (error);
          }
        else if (n >= 1)
          {
            done = chrono_document_remove_tour_step (document, from, &error);
            g_assert_no_error (error);
          }
      }
      break;
    case 14:
      {
        guint n = chrono_document_get_tour (document)->len;

        if (n > 0)
          done = chrono_document_set_tour_step (document, (guint) g_rand_int_range (rand, 0, (gint32) n),
                                                "en", title, "A note", NULL, &error);
      }
      break;
    case 15:
      done = chrono_document_set_title (document, "en", title, &error);
      break;
    }

  /* A refused command (a place still in use…) says why */
  if (!done && error != NULL)
    g_assert_cmpstr (error->message, !=, "");
  return done;
}

/* Random edits, then undo all: the dataset is as it was, and redo all: as it
 * was after the edits, state by state */
static void
test_undo_redo_oracle (void)
{
  g_autoptr (ChronoDocument) document = open_bundled_copy ("oracle.chronotope");
  g_autoptr (GPtrArray) states = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GRand) rand = g_rand_new_with_seed (20201110);
  g_autoptr (GError) error = NULL;
  guint done = 0;

  g_ptr_array_add (states, dump (document));
  for (guint step = 0; done < 80 && step < 1000; step++)
    if (random_command (document, rand, step))
      {
        g_autofree char *now = dump (document);

        g_assert_cmpstr (now, !=, g_ptr_array_index (states, states->len - 1));
        g_ptr_array_add (states, g_steal_pointer (&now));
        g_assert_true (chrono_document_can_undo (document));
        done++;
        if (done % 10 == 0)
          assert_model_current (document);
      }
  g_assert_cmpuint (done, ==, 80);

  for (guint i = done; i > 0; i--)
    {
      g_autofree char *now = NULL;

      g_assert_true (chrono_document_undo (document, &error));
      g_assert_no_error (error);
      now = dump (document);
      g_assert_cmpstr (now, ==, g_ptr_array_index (states, i - 1));
    }
  g_assert_false (chrono_document_can_undo (document));
  assert_model_current (document);

  for (guint i = 1; i <= done; i++)
    {
      g_autofree char *now = NULL;

      g_assert_true (chrono_document_redo (document, &error));
      g_assert_no_error (error);
      now = dump (document);
      g_assert_cmpstr (now, ==, g_ptr_array_index (states, i));
    }
  g_assert_false (chrono_document_can_redo (document));
  assert_model_current (document);

  /* What is on disk is what the document shows */
  {
    g_autofree char *path = g_strdup (chrono_document_get_path (document));
    g_autofree char *before = dump (document);
    g_autofree char *after = NULL;

    g_clear_object (&document);
    document = chrono_document_open (path, "en", &error);
    g_assert_no_error (error);
    after = dump (document);
    g_assert_cmpstr (after, ==, before);
    g_assert_cmpuint (count_rows (document, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"), ==, 0);
  }
}

static void
on_changed (ChronoDocument       *document,
            ChronoDocumentChange *change,
            gpointer              user_data)
{
  GString *log = user_data;

  g_string_append_printf (log, "what=%d", change->what);
  for (guint i = 0; i < change->events_added->len; i++)
    g_string_append_printf (log, " +e:%s", (char *) g_ptr_array_index (change->events_added, i));
  for (guint i = 0; i < change->events_removed->len; i++)
    g_string_append_printf (log, " -e:%s", (char *) g_ptr_array_index (change->events_removed, i));
  for (guint i = 0; i < change->events_changed->len; i++)
    g_string_append_printf (log, " ~e:%s", (char *) g_ptr_array_index (change->events_changed, i));
  for (guint i = 0; i < change->places_added->len; i++)
    g_string_append_printf (log, " +p:%s", (char *) g_ptr_array_index (change->places_added, i));
  for (guint i = 0; i < change->places_removed->len; i++)
    g_string_append_printf (log, " -p:%s", (char *) g_ptr_array_index (change->places_removed, i));
  for (guint i = 0; i < change->places_changed->len; i++)
    g_string_append_printf (log, " ~p:%s", (char *) g_ptr_array_index (change->places_changed, i));
  g_string_append_c (log, ';');
}

/* A new dataset from nothing; what each change says; undo labels; search */
static void
test_new_dataset_and_changes (void)
{
  g_autofree char *path = temp_path ("lesson.chronotope");
  g_autofree char *copy = temp_path ("lesson-copy.chronotope");
  const char *langs[] = { "en", "fr", NULL };
  g_autoptr (GString) log = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoDocument) document = chrono_document_create (path, "A lesson", langs, "en", &error);
  g_autofree char *place = NULL;
  g_autofree char *event = NULL;
  g_autofree char *source = NULL;
  g_autofree char *excerpt = NULL;
  g_autofree char *title = NULL;
  g_auto (GStrv) languages = NULL;
  g_autoptr (GArray) found = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_no_error (error);
  title = chrono_document_dup_title (document);
  g_assert_cmpstr (title, ==, "A lesson");
  languages = chrono_document_dup_languages (document);
  g_assert_cmpstrv (languages, langs);
  g_assert_cmpuint (chrono_document_get_events (document)->len, ==, 0);
  g_signal_connect (document, "changed", G_CALLBACK (on_changed), log);

  {
    const char *name_langs[] = { "en", "fr" };
    const char *names[] = { "Constantinople", "Constantinople" };
    ChronoPlaceFields fields = { .lat = 41.0136, .lon = 28.955, .kind = "town", .n_names = 2,
                                 .name_langs = name_langs, .names = names };

    place = chrono_document_add_place (document, &fields, &error);
    g_assert_no_error (error);
  }
  {
    const char *text_langs[] = { "en" };
    const char *titles[] = { "The city falls" };
    const char *place_ids[] = { place };
    ChronoEventFields fields = { .start = "1453-05-29", .n_texts = 1, .text_langs = text_langs,
                                 .titles = titles, .n_places = 1, .place_ids = place_ids };

    event = chrono_document_add_event (document, &fields, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpstr (chrono_document_get_undo_label (document), ==, "Add Event");
  g_assert_true (chrono_document_move_place (document, place, 41.0, 29.0, &error));
  g_assert_cmpstr (chrono_document_get_undo_label (document), ==, "Move Place");

  {
    g_autofree char *expected = g_strdup_printf ("what=%d +p:%s;what=%d +e:%s;what=%d ~e:%s ~p:%s;",
                                                 CHRONO_CHANGE_PLACES, place,
                                                 CHRONO_CHANGE_EVENTS, event,
                                                 CHRONO_CHANGE_EVENTS | CHRONO_CHANGE_PLACES, event, place);

    g_assert_cmpstr (log->str, ==, expected);
  }
  g_assert_cmpfloat (chrono_place_get_lon (chrono_document_find_place (document, place)), ==, 29.0);
  /* The event shows where its place is now */
  g_assert_cmpfloat (chrono_place_get_lon (g_ptr_array_index (chrono_event_get_places (chrono_document_find_event (document, event)), 0)), ==, 29.0);

  /* The time index knows the new event: in effect on its day only */
  chrono_time_index_query (chrono_document_get_time_index (document), chrono_day_from_ymd (1453, 5, 29), ids);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (chrono_event_get_id (chrono_document_lookup_event (document, g_array_index (ids, gint64, 0))), ==, event);
  g_array_set_size (ids, 0);
  chrono_time_index_query (chrono_document_get_time_index (document), chrono_day_from_ymd (1453, 5, 30), ids);
  g_assert_cmpuint (ids->len, ==, 0);

  /* Search finds what was just written */
  found = chrono_store_search (chrono_document_get_store (document), "falls", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);

  {
    ChronoSourceFields fields = { .title = "Chronicle", .author = "Doukas", .published = "1462" };

    source = chrono_document_add_source (document, &fields, &error);
    g_assert_no_error (error);
  }
  excerpt = chrono_document_add_excerpt (document, event, source, "en", "the City was taken", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chrono_event_get_excerpts (chrono_document_find_event (document, event))->len, ==, 1);
  g_assert_true (chrono_document_add_tour_step (document, event, -1, &error));
  g_assert_cmpuint (chrono_document_get_tour (document)->len, ==, 1);
  g_assert_cmpstr (chrono_tour_step_get_event_id (g_ptr_array_index (chrono_document_get_tour (document), 0)), ==, event);

  /* Deleting the event takes its excerpt and its step with it; undo brings all back */
  g_string_truncate (log, 0);
  g_assert_true (chrono_document_delete_event (document, event, &error));
  g_assert_cmpuint (chrono_document_get_tour (document)->len, ==, 0);
  g_assert_null (chrono_document_find_event (document, event));
  g_assert_true (chrono_document_undo (document, &error));
  g_assert_nonnull (chrono_document_find_event (document, event));
  g_assert_cmpuint (chrono_document_get_tour (document)->len, ==, 1);
  g_assert_cmpuint (chrono_event_get_excerpts (chrono_document_find_event (document, event))->len, ==, 1);
  {
    g_autofree char *expected = g_strdup_printf ("what=%d -e:%s;what=%d +e:%s;",
                                                 CHRONO_CHANGE_EVENTS | CHRONO_CHANGE_SOURCES | CHRONO_CHANGE_TOUR, event,
                                                 CHRONO_CHANGE_EVENTS | CHRONO_CHANGE_SOURCES | CHRONO_CHANGE_TOUR, event);

    g_assert_cmpstr (log->str, ==, expected);
  }
  g_assert_cmpstr (chrono_document_get_redo_label (document), ==, "Delete Event");

  /* A copy elsewhere has all of it */
  g_assert_true (chrono_document_save_copy (document, copy, &error));
  {
    g_autoptr (ChronoDocument) other = chrono_document_open (copy, "en", &error);
    g_autofree char *a = dump (document);
    g_autofree char *b = NULL;

    g_assert_no_error (error);
    b = dump (other);
    g_assert_cmpstr (a, ==, b);
  }

  /* A new dataset does not replace a file */
  g_clear_object (&document);
  document = chrono_document_create (path, "Again", langs, "en", &error);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST);
  g_assert_null (document);
}

/* Steps keep their own titles and notes when the tour is reordered; a
 * place's names carry their time of validity */
static void
test_tour_texts_and_names (void)
{
  g_autofree char *path = temp_path ("tour.chronotope");
  const char *langs[] = { "en", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoDocument) document = NULL;
  g_autofree char *place = NULL;
  g_autofree char *before = NULL;
  char *ids[4] = { NULL };
  GPtrArray *tour;

  g_unlink (path);
  document = chrono_document_create (path, "Tour", langs, "en", &error);
  g_assert_no_error (error);

  {
    const char *name_langs[] = { "en", "en", "tr" };
    const char *names[] = { "Constantinople", "Istanbul", "İstanbul" };
    const char *usages[] = { "historical", "common", "official" };
    const char *whens[] = { "../1930-03-27", "1930-03-28/..", NULL };
    ChronoPlaceFields fields = { .lat = 41.0136, .lon = 28.955, .kind = "town", .n_names = 3,
                                 .name_langs = name_langs, .names = names, .name_usages = usages,
                                 .name_whens = whens };
    const char *bad_whens[] = { "the twenties", NULL, NULL };

    place = chrono_document_add_place (document, &fields, &error);
    g_assert_no_error (error);

    /* A validity that is not EDTF is refused, with the name's number */
    fields.name_whens = bad_whens;
    g_assert_false (chrono_document_set_place (document, place, &fields, &error));
    g_assert_error (error, CHRONO_DATE_ERROR, CHRONO_DATE_ERROR_INVALID_DATE);
    g_assert_nonnull (strstr (error->message, "Name 1"));
    g_clear_error (&error);
  }
  {
    ChronoPlace *p = chrono_document_find_place (document, place);

    g_assert_cmpstr (chrono_place_get_name_at (p, "en", chrono_day_from_ymd (1453, 5, 29)), ==, "Constantinople");
    g_assert_cmpstr (chrono_place_get_name_at (p, "en", chrono_day_from_ymd (1930, 3, 27)), ==, "Constantinople");
    g_assert_cmpstr (chrono_place_get_name_at (p, "en", chrono_day_from_ymd (1930, 3, 28)), ==, "Istanbul");
  }
  /* … and keep it in the file */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM place_name WHERE \"when\" = '1930-03-28/..' "
                                            "AND when_lo = %" G_GINT64_FORMAT,
                                            (gint64) chrono_day_from_ymd (1930, 3, 28));

    g_assert_cmpuint (count_rows (document, sql), ==, 1);
  }
  g_assert_cmpuint (count_rows (document, "SELECT count(*) FROM place_name WHERE \"when\" IS NULL "
                                          "AND when_lo IS NULL"), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *title = g_strdup_printf ("Event %u", i);
      g_autofree char *start = g_strdup_printf ("1453-05-%02u", 20 + i);
      const char *text_langs[] = { "en" };
      const char *titles[] = { title };
      const char *place_ids[] = { place };
      ChronoEventFields fields = { .start = start, .n_texts = 1, .text_langs = text_langs,
                                   .titles = titles, .n_places = 1, .place_ids = place_ids };
      g_autofree char *step_title = g_strdup_printf ("Step %u", i);

      ids[i] = chrono_document_add_event (document, &fields, &error);
      g_assert_no_error (error);
      g_assert_true (chrono_document_add_tour_step (document, ids[i], -1, &error));
      g_assert_true (chrono_document_set_tour_step (document, i, "en", step_title, title, NULL, &error));
      g_assert_no_error (error);
    }

  /* The last step first, then the first step last: each keeps its texts */
  before = dump (document);
  g_assert_true (chrono_document_move_tour_step (document, 3, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (chrono_document_get_undo_label (document), ==, "Move Tour Step");
  g_assert_true (chrono_document_move_tour_step (document, 1, 3, &error));
  g_assert_no_error (error);
  tour = chrono_document_get_tour (document);
  {
    static const guint order[] = { 3, 1, 2, 0 };

    g_assert_cmpuint (tour->len, ==, 4);
    for (guint i = 0; i < 4; i++)
      {
        ChronoTourStep *step = g_ptr_array_index (tour, i);
        g_autofree char *step_title = g_strdup_printf ("Step %u", order[i]);
        g_autofree char *note = g_strdup_printf ("Event %u", order[i]);

        g_assert_cmpstr (chrono_tour_step_get_event_id (step), ==, ids[order[i]]);
        g_assert_cmpstr (chrono_tour_step_get_title (step), ==, step_title);
        g_assert_cmpstr (chrono_tour_step_get_note (step), ==, note);
      }
  }
  g_assert_cmpuint (count_rows (document, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);

  /* Removing a step in the middle closes up the tour, texts and all */
  g_assert_true (chrono_document_remove_tour_step (document, 1, &error));
  g_assert_no_error (error);
  tour = chrono_document_get_tour (document);
  g_assert_cmpuint (tour->len, ==, 3);
  g_assert_cmpstr (chrono_tour_step_get_title (g_ptr_array_index (tour, 1)), ==, "Step 2");
  g_assert_cmpuint (count_rows (document, "SELECT count(*) FROM tour_text"), ==, 3);
  g_assert_cmpuint (count_rows (document, "SELECT max(position) FROM tour_text"), ==, 2);

  g_assert_true (chrono_document_undo (document, &error));
  g_assert_true (chrono_document_undo (document, &error));
  g_assert_true (chrono_document_undo (document, &error));
  g_assert_no_error (error);
  {
    g_autofree char *now = dump (document);

    g_assert_cmpstr (now, ==, before);
  }

  /* Deleting an event in the middle of the tour closes the tour up */
  g_assert_true (chrono_document_delete_event (document, ids[1], &error));
  g_assert_no_error (error);
  tour = chrono_document_get_tour (document);
  g_assert_cmpuint (tour->len, ==, 3);
  g_assert_cmpuint (count_rows (document, "SELECT max(position) FROM tour_step"), ==, 2);
  g_assert_cmpstr (chrono_tour_step_get_title (g_ptr_array_index (tour, 1)), ==, "Step 2");
  g_assert_true (chrono_document_set_tour_step (document, 2, "en", "Last", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (chrono_document_undo (document, &error));
  g_assert_true (chrono_document_undo (document, &error));
  {
    g_autofree char *now = dump (document);

    g_assert_cmpstr (now, ==, before);
  }

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (ids[i]);
}

/* Refused edits change nothing, and say what is wrong */
static void
test_refused (void)
{
  g_autoptr (ChronoDocument) document = open_bundled_copy ("refused.chronotope");
  g_autofree char *before = dump (document);
  g_autofree char *after = NULL;
  g_autoptr (GError) error = NULL;
  const char *langs[] = { "en" };
  const char *titles[] = { "Backwards" };
  const char *empty[] = { "  " };
  const char *no_place[] = { "nowhere" };
  ChronoEventFields backwards = { .start = "2021-05-01", .end = "2021-04-01", .n_texts = 1, .text_langs = langs, .titles = titles };
  ChronoEventFields bad_date = { .start = "2021-13-01", .n_texts = 1, .text_langs = langs, .titles = titles };
  ChronoEventFields untitled = { .start = "2021", .n_texts = 1, .text_langs = langs, .titles = empty };
  ChronoEventFields unknown_place = { .start = "2021", .n_texts = 1, .text_langs = langs, .titles = titles,
                                      .n_places = 1, .place_ids = no_place };
  guint undo_depth = chrono_document_can_undo (document);

  g_assert_null (chrono_document_add_event (document, &backwards, &error));
  g_assert_nonnull (strstr (error->message, "before the start"));
  g_clear_error (&error);
  g_assert_null (chrono_document_add_event (document, &bad_date, &error));
  g_assert_nonnull (strstr (error->message, "Start"));
  g_clear_error (&error);
  g_assert_null (chrono_document_add_event (document, &untitled, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (chrono_document_add_event (document, &unknown_place, &error));
  g_assert_nonnull (strstr (error->message, "nowhere"));
  g_clear_error (&error);
  g_assert_false (chrono_document_move_place (document, chrono_place_get_id (g_ptr_array_index (chrono_document_get_places (document), 0)),
                                              95, 0, &error));
  g_clear_error (&error);

  after = dump (document);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (chrono_document_can_undo (document), ==, undo_depth);

  /* Dates as they are typed */
  {
    g_autofree char *reading = chrono_document_describe_date ("2020-11-09/2020-11-10", &error);

    g_assert_no_error (error);
    g_assert_nonnull (reading);
    g_assert_nonnull (strstr (reading, "2020"));
    g_assert_null (chrono_document_describe_date ("2020-02-30", &error));
    g_assert_nonnull (error);
  }
}

/* The bundled dataset and a dataset edited elsewhere are read-only */
static void
test_read_only (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoStore) store = chrono_dataset_open_bundled (&error);
  g_autoptr (ChronoDocument) bundled = NULL;
  g_autoptr (ChronoDocument) first = NULL;
  g_autoptr (ChronoDocument) second = NULL;
  g_autoptr (ChronoDocument) third = NULL;
  const char *langs[] = { "en" };
  const char *titles[] = { "New" };
  ChronoEventFields fields = { .start = "2021", .n_texts = 1, .text_langs = langs, .titles = titles };
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  bundled = chrono_document_new (store, "en", TRUE, &error);
  g_assert_true (chrono_document_get_read_only (bundled));
  g_assert_null (chrono_document_add_event (bundled, &fields, &error));
  g_assert_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED);
  g_clear_error (&error);

  first = open_bundled_copy ("twice.chronotope");
  path = g_strdup (chrono_document_get_path (first));
  second = chrono_document_open (path, "en", &error);
  g_assert_no_error (error);
  g_assert_true (chrono_document_get_read_only (second));
  g_assert_nonnull (strstr (chrono_document_get_read_only_reason (second), "another window"));
  g_assert_null (chrono_document_add_event (second, &fields, &error));
  g_assert_nonnull (strstr (error->message, "another window"));
  g_clear_error (&error);

  /* Once the first lets go, the file can be edited again */
  g_clear_object (&first);
  third = chrono_document_open (path, "en", &error);
  g_assert_no_error (error);
  g_assert_false (chrono_document_get_read_only (third));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/document/undo-redo-oracle", test_undo_redo_oracle);
  g_test_add_func ("/document/new-dataset-and-changes", test_new_dataset_and_changes);
  g_test_add_func ("/document/tour-texts-and-names", test_tour_texts_and_names);
  g_test_add_func ("/document/refused", test_refused);
  g_test_add_func ("/document/read-only", test_read_only);

  return g_test_run ();
}
