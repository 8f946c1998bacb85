/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "chrono-date.h"
#include "chrono-event-source.h"
#include "chrono-store.h"
#include "import/chrono-import.h"

G_BEGIN_DECLS

char        *chrono_cli_get_data_language (void);
gboolean     chrono_cli_check_day         (const char   *text,
                                           ChronoDay    *out_day,
                                           GError      **error);
ChronoStore *chrono_cli_open_dataset      (const char   *path,
                                           GError      **error);
ChronoStore *chrono_cli_open_dataset_with (const char                 *path,
                                           const ChronoImportOptions  *options,
                                           GError                    **error);
gboolean     chrono_cli_import_file       (ChronoStore                *store,
                                           const char                 *path,
                                           const ChronoImportOptions  *options,
                                           GCancellable               *cancellable,
                                           ChronoImportProgressFunc    progress,
                                           gpointer                    progress_data,
                                           ChronoImport              **out_import,
                                           GError                    **error);
char        *chrono_cli_dup_datasets_dir  (void);
char        *chrono_cli_dup_import_path   (const char   *source_path);
void         chrono_cli_remove_stale_imports (const char *dir);
gboolean     chrono_cli_recover           (const char                 *damaged_path,
                                           const char                 *target_path,
                                           guint                      *out_n_events,
                                           GError                    **error);
gboolean     chrono_cli_import_to_new     (const char                 *source_path,
                                           const char                 *target_path,
                                           const ChronoImportOptions  *options,
                                           GCancellable               *cancellable,
                                           ChronoImportProgressFunc    progress,
                                           gpointer                    progress_data,
                                           ChronoImport              **out_import,
                                           GError                    **error);
int          chrono_cli_run_import        (const char   *file,
                                           const char   *format,
                                           const char   *into,
                                           const char   *columns,
                                           const char   *date_order);
int          chrono_cli_run_export        (const char   *file,
                                           const char   *format,
                                           const char   *dataset_path);
gboolean     chrono_cli_events_at         (ChronoEventSource *source,
                                           ChronoDay          day,
                                           gboolean           as_json,
                                           const char        *lang,
                                           GString           *out,
                                           GError           **error);
int          chrono_cli_run_events_at     (const char   *date,
                                           gboolean      as_json,
                                           const char   *dataset_path);

G_END_DECLS
