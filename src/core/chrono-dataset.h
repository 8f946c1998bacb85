/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "chrono-store.h"

G_BEGIN_DECLS

#define CHRONO_DATASET_ERROR (chrono_dataset_error_quark ())

typedef enum
{
  CHRONO_DATASET_ERROR_SYNTAX,         /* not JSON: the message gives line and column */
  CHRONO_DATASET_ERROR_INVALID,        /* JSON, but not a valid dataset: the message gives the field */
  CHRONO_DATASET_ERROR_NEWER_VERSION,  /* a format version newer than this build reads */
} ChronoDatasetError;

/* The newest dataset JSON format version this build reads. */
#define CHRONO_DATASET_FORMAT_VERSION 1

#define CHRONO_DATASET_BUNDLED_RESOURCE \
  "/io/github/chronotope/Chronotope/core/datasets/karabakh-peacekeeping.json"

/*
 * What an import records in the store's meta table:
 *   "format-version", "dataset-id", "title:LANG", "description:LANG",
 *   "license", "languages" (space-separated), "checksum" (SHA-256 of the
 *   JSON, hex) and "imported-from" (the file's display name).
 */

GQuark       chrono_dataset_error_quark       (void);

gboolean     chrono_dataset_import_file       (ChronoStore  *store,
                                               GFile        *file,
                                               GError      **error);
gboolean     chrono_dataset_import_bytes      (ChronoStore  *store,
                                               GBytes       *json,
                                               const char   *display_name,
                                               GError      **error);
gboolean     chrono_dataset_import_in_transaction (ChronoStore  *store,
                                                   GBytes       *json,
                                                   const char   *display_name,
                                                   GError      **error);
ChronoStore *chrono_dataset_open_cached       (GBytes       *json,
                                               const char   *display_name,
                                               const char   *path,
                                               GError      **error);
char        *chrono_dataset_dup_bundled_path  (void);
ChronoStore *chrono_dataset_open_bundled      (GError      **error);

G_END_DECLS
