/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "chrono-date.h"
#include "chrono-store.h"

G_BEGIN_DECLS

char        *chrono_cli_get_data_language (void);
gboolean     chrono_cli_check_day         (const char   *text,
                                           ChronoDay    *out_day,
                                           GError      **error);
ChronoStore *chrono_cli_open_dataset      (const char   *path,
                                           GError      **error);
gboolean     chrono_cli_events_at         (ChronoStore  *store,
                                           ChronoDay     day,
                                           gboolean      as_json,
                                           const char   *lang,
                                           GString      *out,
                                           GError      **error);
int          chrono_cli_run_events_at     (const char   *date,
                                           gboolean      as_json,
                                           const char   *dataset_path);

G_END_DECLS
