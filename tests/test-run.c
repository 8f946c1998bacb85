/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Running the real `chronotope` binary from a test, the way a script would.
 */
#include "config.h"

#include "test-run.h"

void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* The hand-written dataset of tests/data/cli. */
char *
small_dataset (void)
{
  return g_build_filename (TEST_DATA_DIR, "cli", "small.json", NULL);
}

/**
 * run_binary:
 * @run: where the exit status and the output go
 * @with_display: FALSE: batch work, which must not need a display, runs
 *   with none
 * @lang: (nullable): the locale for the UI language (LANGUAGE=fr with it),
 *   NULL for C.UTF-8
 * @args: the arguments, NULL-terminated
 */
void
run_binary (Run                *run,
            gboolean            with_display,
            const char         *lang,
            const char * const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) envp = g_get_environ ();
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (argv, g_build_filename (g_getenv ("CHRONO_BUILD_ROOT"), "src", "chronotope", NULL));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  if (!with_display)
    {
      envp = g_environ_unsetenv (envp, "DISPLAY");
      envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
      envp = g_environ_setenv (envp, "GDK_BACKEND", "none-such", TRUE);
    }
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  /* GLib isolates the user dirs of this process only: hand them down. */
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  if (lang != NULL)
    {
      envp = g_environ_setenv (envp, "LC_ALL", lang, TRUE);
      envp = g_environ_setenv (envp, "LANGUAGE", "fr", TRUE);
    }
  else
    envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);

  run_clear (run);
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &run->status, &error);
  g_assert_no_error (error);
}

/* run_binary() with the arguments from @first_arg to a NULL in @ap */
void
run_binary_valist (Run        *run,
                   gboolean    with_display,
                   const char *lang,
                   const char *first_arg,
                   va_list     ap)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();

  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  g_ptr_array_add (args, NULL);

  run_binary (run, with_display, lang, (const char * const *) args->pdata);
}

gboolean
run_succeeded (Run *run)
{
  return g_spawn_check_wait_status (run->status, NULL);
}

void
assert_tables_equal (ChronoEventTable *table,
                     ChronoEventTable *oracle)
{
  const ChronoEventRow *a = chrono_event_table_get_rows (table);
  const ChronoEventRow *b = chrono_event_table_get_rows (oracle);

  g_assert_cmpuint (chrono_event_table_get_n_rows (table), ==, chrono_event_table_get_n_rows (oracle));
  for (guint i = 0; i < chrono_event_table_get_n_rows (table); i++)
    {
      g_assert_cmpint (a[i].rowid, ==, b[i].rowid);
      g_assert_cmpint (a[i].start_lo, ==, b[i].start_lo);
      g_assert_cmpint (a[i].start_hi, ==, b[i].start_hi);
      g_assert_cmpint (a[i].end_lo, ==, b[i].end_lo);
      g_assert_cmpint (a[i].end_hi, ==, b[i].end_hi);
      g_assert_cmpint (a[i].importance, ==, b[i].importance);
      g_assert_cmpstr (chrono_event_table_get_category_name (table, a[i].category), ==,
                       chrono_event_table_get_category_name (oracle, b[i].category));
      g_assert_cmpuint (a[i].n_places, ==, b[i].n_places);
      for (guint p = 0; p < a[i].n_places; p++)
        g_assert_cmpstr (chrono_event_table_get_place_id (table, chrono_event_table_get_place (table, &a[i], p)), ==,
                         chrono_event_table_get_place_id (oracle, chrono_event_table_get_place (oracle, &b[i], p)));
      g_assert_true (chrono_event_table_lookup (table, a[i].rowid) == &a[i]);
    }
}

static gboolean
on_wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main loop until @done says so, for at most two minutes (the
 * sanitizers make some work slow); a timer wakes the loop so that the time
 * is checked even when nothing happens. */
void
wait_for (gboolean (*done) (gpointer data),
          gpointer   data)
{
  gint64 until = g_get_monotonic_time () + 120 * G_TIME_SPAN_SECOND;
  guint wake = g_timeout_add (50, on_wake, NULL);

  while (!done (data) && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  g_assert_true (done (data));
}
