/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdarg.h>

#include <glib.h>

#include "chrono-event-table.h"

G_BEGIN_DECLS

/* What a run of the real `chronotope` binary gave. */
typedef struct
{
  int    status;
  char  *out;
  char  *err;
} Run;

void      run_clear      (Run                *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

char     *small_dataset  (void);
void      run_binary     (Run                *run,
                          gboolean            with_display,
                          const char         *lang,
                          const char * const *args);
void      run_binary_valist (Run             *run,
                             gboolean         with_display,
                             const char      *lang,
                             const char      *first_arg,
                             va_list          ap);
gboolean  run_succeeded  (Run                *run);

/* Iterates the main loop until @done says so, for at most two minutes */
void      wait_for       (gboolean          (*done) (gpointer data),
                          gpointer            data);

/* The same events in both: rowids, extents, categories, importance, places */
void      assert_tables_equal (ChronoEventTable *table,
                               ChronoEventTable *oracle);

G_END_DECLS
