/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-document-kill"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "chrono-document.h"
#include "chrono-store-private.h"
#include "chrono-tour-step.h"

/*
 * kill -9 in the middle of edits. A child process (this binary, run with
 * --child) opens a dataset and edits it without end, saying after each
 * command that returned TRUE how many it has done; the test kills it at a
 * random moment and opens what is left on disk: sqlite finds it whole, and
 * it holds every edit the child said it had made, and at most the one it
 * was making.
 *
 * The oracle is a replay: the edits are drawn from a seeded GRand and from
 * the dataset as it is, so the same seed on a copy of the same file makes
 * the same edits. The file after the kill must be, row for row, the copy
 * after the N edits the child reported, or after N + 1 (the edit in flight
 * committed, and the child was killed before it could say so); never fewer.
 */

/* Enough rounds and edits that kills land in all the phases of a command
 * (its queries, its commit, the model's update, a checkpoint); under the
 * address sanitizer, which makes each edit many times slower (and the child
 * inherits its full unwinding), fewer edits per round take as long. */
#define ROUNDS 20
#ifdef __SANITIZE_ADDRESS__
#define MAX_EDITS_PER_ROUND 12
#else
#define MAX_EDITS_PER_ROUND 40
#endif

/* How long the child may go without a word before the test gives up on it:
 * far more than one edit takes, even instrumented */
#define CHILD_SILENCE_MS (60 * 1000)

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

/* Every row of the dataset, sorted, as text (as in test-document.c) */
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

/* The one text value of @sql, "" for NULL */
static char *
query_text (ChronoDocument *document,
            const char     *sql)
{
  sqlite3 *db = chrono_store_get_db (chrono_document_get_store (document));
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup (sqlite3_column_text (stmt, 0) != NULL ? (const char *) sqlite3_column_text (stmt, 0) : "");
  sqlite3_finalize (stmt);
  return value;
}

/* What sqlite says of the file: whole, its references kept, and a search
 * index (rebuilt inside each command's transaction) sound and of the same
 * events */
static void
assert_sound (ChronoDocument *document)
{
  sqlite3 *db = chrono_store_get_db (chrono_document_get_store (document));
  g_autofree char *integrity = query_text (document, "SELECT group_concat (integrity_check, '; ') "
                                                     "FROM pragma_integrity_check");
  g_autofree char *dangling = query_text (document, "SELECT group_concat (\"table\" || ' ' || "
                                                    "coalesce (rowid, '?') || ' -> ' || parent, '; ') "
                                                    "FROM pragma_foreign_key_check");
  g_autofree char *indexed = query_text (document, "SELECT group_concat (rowid) FROM "
                                                   "(SELECT rowid FROM search ORDER BY rowid)");
  g_autofree char *events = query_text (document, "SELECT group_concat (rowid) FROM "
                                                  "(SELECT rowid FROM event ORDER BY rowid)");

  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpstr (dangling, ==, "");
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO search (search) VALUES ('integrity-check')", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpstr (indexed, ==, events);
}

/* One edit, drawn from @rand and what @document holds, that is always
 * possible and always changes a row: a command that returns TRUE, committed.
 * @n goes into the texts it writes. */
static void
edit (ChronoDocument *document,
      GRand          *rand,
      guint           n)
{
  g_autofree char *title = g_strdup_printf ("Edit %u", n);

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *new_id = NULL;
      g_autofree char *start = g_strdup_printf ("%d-%02d-%02d", g_rand_int_range (rand, 1900, 2024),
                                                g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
      GPtrArray *events = chrono_document_get_events (document);
      GPtrArray *places = chrono_document_get_places (document);
      GPtrArray *sources = chrono_document_get_sources (document);
      guint steps = chrono_document_get_tour (document)->len;
      const char *event = events->len > 0
        ? chrono_event_get_id (g_ptr_array_index (events, g_rand_int_range (rand, 0, (gint32) events->len)))
        : NULL;
      const char *place = places->len > 0
        ? chrono_place_get_id (g_ptr_array_index (places, g_rand_int_range (rand, 0, (gint32) places->len)))
        : NULL;
      const char *source = sources->len > 0
        ? chrono_source_get_id (g_ptr_array_index (sources, g_rand_int_range (rand, 0, (gint32) sources->len)))
        : NULL;
      gboolean done = FALSE;
      gboolean tried = TRUE;
      int kind = g_rand_int_range (rand, 0, 15);

      switch (kind)
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
          if (event == NULL)
            tried = FALSE;
          else
            {
              const char *langs[] = { "en" };
              const char *titles[] = { title };
              const char *place_ids[] = { place };
              ChronoEventFields fields = { .start = start, .end = "2024-09", .importance = 3,
                                           .n_texts = 1, .text_langs = langs, .titles = titles,
                                           .n_places = place != NULL ? 1 : 0, .place_ids = place_ids };

              done = chrono_document_set_event (document, event, &fields, &error);
            }
          break;
        case 3:
          /* Not so often that the dataset runs dry; an event in the tour
           * takes its step with it, and the tour closes up */
          if (events->len <= 4)
            tried = FALSE;
          else
            done = chrono_document_delete_event (document, event, &error);
          break;
        case 4:
          {
            const char *langs[] = { "en", "fr" };
            const char *names[] = { title, "Nom" };
            const char *whens[] = { "1923/..", NULL };
            ChronoPlaceFields fields = { .lat = g_rand_double_range (rand, 39, 41),
                                         .lon = g_rand_double_range (rand, 45, 48),
                                         .kind = "town", .n_names = 2, .name_langs = langs, .names = names,
                                         .name_whens = whens };

            new_id = chrono_document_add_place (document, &fields, &error);
            done = new_id != NULL;
          }
          break;
        case 5:
        case 6:
          if (place == NULL)
            tried = FALSE;
          else
            done = chrono_document_move_place (document, place, g_rand_double_range (rand, 39, 41),
                                               g_rand_double_range (rand, 45, 48), &error);
          break;
        case 7:
          if (place == NULL)
            tried = FALSE;
          else
            {
              const char *langs[] = { "en" };
              const char *names[] = { title };
              ChronoPlaceFields fields = { .lat = g_rand_double_range (rand, 39, 41),
                                           .lon = g_rand_double_range (rand, 45, 48),
                                           .n_names = 1, .name_langs = langs, .names = names };

              done = chrono_document_set_place (document, place, &fields, &error);
            }
          break;
        case 8:
          done = chrono_document_set_title (document, "en", title, &error);
          break;
        case 9:
          if (event == NULL)
            tried = FALSE;
          else
            done = chrono_document_add_tour_step (document, event, g_rand_int_range (rand, -1, (gint32) steps + 1),
                                                  &error);
          break;
        case 10:
          /* A move to where the step is changes nothing: never drawn */
          if (steps < 2)
            tried = FALSE;
          else
            {
              guint from = (guint) g_rand_int_range (rand, 0, (gint32) steps);
              guint to = (from + (guint) g_rand_int_range (rand, 1, (gint32) steps)) % steps;

              done = chrono_document_move_tour_step (document, from, to, &error);
            }
          break;
        case 11:
          if (steps == 0)
            tried = FALSE;
          else
            done = chrono_document_remove_tour_step (document, (guint) g_rand_int_range (rand, 0, (gint32) steps),
                                                     &error);
          break;
        case 12:
          if (steps == 0)
            tried = FALSE;
          else
            done = chrono_document_set_tour_step (document, (guint) g_rand_int_range (rand, 0, (gint32) steps),
                                                  "en", title, "A note", NULL, &error);
          break;
        case 13:
          {
            ChronoSourceFields fields = { .title = title, .outlet = "Outlet", .published = "2021-03",
                                          .language = "en" };

            new_id = chrono_document_add_source (document, &fields, &error);
            done = new_id != NULL;
          }
          break;
        case 14:
          if (event == NULL || source == NULL)
            tried = FALSE;
          else
            {
              new_id = chrono_document_add_excerpt (document, event, source, "en", title, &error);
              done = new_id != NULL;
            }
          break;
        default:
          g_assert_not_reached ();
        }

      if (tried)
        {
          if (error != NULL)
            g_error ("Edit %u (of kind %d) failed: %s", n, kind, error->message);
          g_assert_true (done);
          return;
        }
    }
}

/* The child: edits @path until it is killed, and after each edit writes
 * its count, a line on its standard output. Anything else it prints goes
 * to its standard error, so that the lines are only its counts. */
static int
child_main (const char *path,
            guint32     seed)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoDocument) document = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  int report = dup (STDOUT_FILENO);

  g_assert_cmpint (report, >=, 0);
  g_assert_cmpint (dup2 (STDERR_FILENO, STDOUT_FILENO), ==, STDOUT_FILENO);

  document = chrono_document_open (path, "en", &error);
  g_assert_no_error (error);
  if (chrono_document_get_read_only (document))
    {
      g_autofree char *line = g_strdup_printf ("read-only: %s\n", chrono_document_get_read_only_reason (document));

      g_assert_cmpint (write (report, line, strlen (line)), ==, (gssize) strlen (line));
      return 1;
    }
  g_assert_cmpint (write (report, "writable\n", 9), ==, 9);

  for (guint n = 1; ; n++)
    {
      g_autofree char *line = NULL;
      gsize len;

      edit (document, rand, n);
      /* Committed: say so. (A line this short is written whole, or not.) */
      line = g_strdup_printf ("%u\n", n);
      len = strlen (line);
      g_assert_cmpint (write (report, line, len), ==, (gssize) len);
    }
}

typedef struct
{
  GPid     pid;
  int      fd;
  GString *pending;
} Child;

static void
child_spawn (Child      *child,
             const char *path,
             guint32     seed)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", &error);
  g_autofree char *seed_arg = g_strdup_printf ("%" G_GUINT32_FORMAT, seed);
  const char *argv[] = { NULL, "--child", path, seed_arg, NULL };

  g_assert_no_error (error);
  argv[0] = self_exe;
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_CLOEXEC_PIPES,
                                           NULL, NULL, &child->pid, NULL, &child->fd, NULL, &error));
  g_assert_no_error (error);
  child->pending = g_string_new (NULL);
}

/* The child's next line, waiting for it as long as an edit could take;
 * NULL once its output has ended */
static char *
child_read_line (Child *child)
{
  for (;;)
    {
      const char *newline = strchr (child->pending->str, '\n');
      struct pollfd pfd = { .fd = child->fd, .events = POLLIN };
      char buffer[4096];
      gssize got;
      int ready;

      if (newline != NULL)
        {
          char *line = g_strndup (child->pending->str, (gsize) (newline - child->pending->str));

          g_string_erase (child->pending, 0, newline - child->pending->str + 1);
          return line;
        }

      ready = poll (&pfd, 1, CHILD_SILENCE_MS);
      if (ready < 0 && errno == EINTR)
        continue;
      if (ready == 0)
        {
          /* Not left behind to edit on its own (a child that writes after
           * the test has ended dies of SIGPIPE) */
          kill (child->pid, SIGKILL);
          g_error ("The child has said nothing for %d s", CHILD_SILENCE_MS / 1000);
        }
      g_assert_cmpint (ready, ==, 1);

      got = read (child->fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (got, >=, 0);
      if (got == 0)
        {
          /* A write is whole or not there: nothing is left half */
          g_assert_cmpstr (child->pending->str, ==, "");
          return NULL;
        }
      g_string_append_len (child->pending, buffer, got);
    }
}

/* Fails the test with how the child ended, when it ended of its own (its
 * messages went to the test's standard error) */
static void
child_ended (Child *child,
             guint  reported)
{
  int status = 0;

  g_assert_cmpint (waitpid (child->pid, &status, 0), ==, child->pid);
  g_error ("The child ended after %u edits, with wait status %d", reported, status);
}

/* Kills the child, reads what it had said to the end and reaps it.
 * Returns: the count of edits it said it had made, from @reported on */
static guint
child_kill (Child *child,
            guint  reported)
{
  char *line;
  int status = 0;

  g_assert_cmpint (kill (child->pid, SIGKILL), ==, 0);
  while ((line = child_read_line (child)) != NULL)
    {
      g_autofree char *owned = line;

      g_assert_cmpuint (g_ascii_strtoull (line, NULL, 10), ==, reported + 1);
      reported++;
    }
  g_assert_cmpint (waitpid (child->pid, &status, 0), ==, child->pid);
  /* Not dead of its own: an assertion in the child ends it otherwise */
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  g_spawn_close_pid (child->pid);
  close (child->fd);
  g_string_free (child->pending, TRUE);
  return reported;
}

/* @from, and its -wal when it has one, as the files of @to: what a killed
 * process leaves (its writes are in the page cache; there is no -shm, which
 * sqlite makes again from the -wal) */
static void
copy_dataset (const char *from,
              const char *to)
{
  static const char * const suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *source = g_strconcat (from, suffixes[i], NULL);
      g_autofree char *target = g_strconcat (to, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize length;
      g_autoptr (GError) error = NULL;

      g_unlink (target);
      if (i > 0 && !g_file_test (source, G_FILE_TEST_EXISTS))
        continue;
      g_assert_true (g_file_get_contents (source, &contents, &length, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_set_contents (target, contents, (gssize) length, &error));
      g_assert_no_error (error);
    }
}

static void
remove_dataset (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static ChronoDocument *
open_writable (const char *path)
{
  g_autoptr (GError) error = NULL;
  ChronoDocument *document = chrono_document_open (path, "en", &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  /* A killed process's lock went with it */
  g_assert_false (chrono_document_get_read_only (document));
  return document;
}

/* kill -9 at random moments of a loop of edits, 20 times over on the same
 * file: it is never corrupt, and has all the edits that were committed */
static void
test_kill_loop (void)
{
  g_autofree char *dir = g_dir_make_tmp ("chrono-document-kill-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "killed.chronotope", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *replica_path = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (20201110);
  g_autoptr (ChronoDocument) replica = NULL;
  const char *langs[] = { "en", "fr", NULL };
  gint64 started = g_get_monotonic_time ();
  gint64 edit_time = 0;
  guint edits_timed = 0;
  guint total = 0, in_flight = 0, stale_opens = 0;

  g_assert_nonnull (dir);

  /* Something to edit, made by the same edits */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (ChronoDocument) document = chrono_document_create (path, "Killed", langs, "en", &error);
    g_autoptr (GRand) first = g_rand_new_with_seed (1);

    g_assert_no_error (error);
    for (guint n = 1; n <= 20; n++)
      edit (document, first, n);
  }
  replica_path = g_build_filename (dir, "replica-start.chronotope", NULL);
  copy_dataset (path, replica_path);
  replica = open_writable (replica_path);

  for (guint round = 0; round < ROUNDS; round++)
    {
      guint32 seed = g_rand_int (rand);
      guint kill_after = (guint) g_rand_int_range (rand, 0, MAX_EDITS_PER_ROUND + 1);
      g_autofree char *first_line = NULL;
      g_autofree char *copy_path = g_strdup_printf ("%s/round-%u.chronotope", dir, round);
      g_autoptr (ChronoDocument) after = NULL;
      g_autoptr (GRand) replay = g_rand_new_with_seed (seed);
      g_autofree char *expected = NULL;
      g_autofree char *expected_in_flight = NULL;
      g_autofree char *found = NULL;
      Child child = { 0 };
      guint reported = 0;
      gint64 last_report = 0;
      double part_of_more = g_rand_double (rand);
      gint64 until;

      child_spawn (&child, path, seed);
      first_line = child_read_line (&child);
      if (first_line == NULL)
        child_ended (&child, 0);
      g_assert_cmpstr (first_line, ==, "writable");

      /* Until it has made a random number of edits… */
      while (reported < kill_after)
        {
          g_autofree char *line = child_read_line (&child);
          gint64 now = g_get_monotonic_time ();

          if (line == NULL)
            child_ended (&child, reported);
          g_assert_cmpuint (g_ascii_strtoull (line, NULL, 10), ==, reported + 1);
          reported++;
          if (reported > 1)
            {
              edit_time += now - last_report;
              edits_timed++;
            }
          last_report = now;
        }
      /* … and then some random part of up to two edits more, so that the
       * kill lands anywhere in an edit (busy: a sleep would wake late) */
      until = g_get_monotonic_time () +
              (edits_timed > 0 ? (gint64) (part_of_more * 2 * edit_time / edits_timed) : 0);
      while (g_get_monotonic_time () < until)
        ;
      reported = child_kill (&child, reported);
      total += reported;

      /* What it left is the file and its -wal, and the next open takes
       * them up; a copy of them is looked at first, leaving the file as
       * the kill left it */
      g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
      copy_dataset (path, copy_path);
      after = open_writable (copy_path);
      assert_sound (after);

      /* The same edits on the replica: the file is after all that were
       * reported, or after one more, never fewer */
      for (guint n = 1; n <= reported; n++)
        edit (replica, replay, n);
      expected = dump (replica);
      edit (replica, replay, reported + 1);
      expected_in_flight = dump (replica);
      g_assert_cmpstr (expected, !=, expected_in_flight);
      found = dump (after);
      g_test_message ("round %u: seed %" G_GUINT32_FORMAT ", killed after %u edits reported%s",
                      round, seed, reported,
                      g_strcmp0 (found, expected_in_flight) == 0 ? " and one more committed" : "");
      if (g_strcmp0 (found, expected_in_flight) == 0)
        in_flight++;
      else
        g_assert_cmpstr (found, ==, expected);

      /* Every other round the file itself is opened (as the application
       * would after a crash, and the open tidies it up); on the others the
       * next child takes it up as the kill left it, -wal, -shm and all */
      if (round % 2 == 0)
        {
          g_autoptr (ChronoDocument) document = open_writable (path);
          g_autofree char *again = NULL;

          assert_sound (document);
          again = dump (document);
          g_assert_cmpstr (again, ==, found);
        }
      else
        stale_opens++;

      /* The next round's replica is the file as it is now */
      g_clear_object (&replica);
      remove_dataset (replica_path);
      g_free (replica_path);
      replica_path = g_steal_pointer (&copy_path);
      replica = g_steal_pointer (&after);
    }

  g_test_message ("%u rounds, %u edits reported, %u kills after an edit committed but not reported, "
                  "%u opens of a killed file by the next child; an edit takes %.2f ms; %.2f s in all",
                  ROUNDS, total, in_flight, stale_opens,
                  edits_timed > 0 ? edit_time / 1e3 / edits_timed : 0.0,
                  (g_get_monotonic_time () - started) / 1e6);

  /* The last kill too is behind the last open: the file is whole */
  {
    g_autoptr (ChronoDocument) document = open_writable (path);
    g_autofree char *last = dump (document);
    g_autofree char *replayed = dump (replica);

    assert_sound (document);
    g_assert_cmpstr (last, ==, replayed);
  }

  g_clear_object (&replica);
  remove_dataset (replica_path);
  remove_dataset (path);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");

  if (argc == 4 && strcmp (argv[1], "--child") == 0)
    return child_main (argv[2], (guint32) g_ascii_strtoull (argv[3], NULL, 10));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/document/kill/edit-loop", test_kill_loop);

  return g_test_run ();
}
