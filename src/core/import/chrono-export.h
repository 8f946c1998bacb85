/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "chrono-store.h"

G_BEGIN_DECLS

/*
 * Writers: the open dataset written as another format. Each writer is one
 * file (chrono-export-FORMAT.c) with its ChronoExportFormat, listed in the
 * table of chrono-export.c. A writer reads the store and writes to a stream;
 * chrono_export_to_file() writes a temporary file beside the target and
 * renames it into place, so a failure leaves no partial file.
 */

#define CHRONO_EXPORT_ERROR (chrono_export_error_quark ())

typedef enum
{
  CHRONO_EXPORT_ERROR_UNKNOWN_FORMAT,
  CHRONO_EXPORT_ERROR_FAILED,
} ChronoExportError;

GQuark chrono_export_error_quark (void);

typedef gboolean (*ChronoExportWriteFunc) (ChronoStore    *store,
                                           const char     *lang,
                                           GOutputStream  *out,
                                           GCancellable   *cancellable,
                                           GError        **error);

typedef struct
{
  const char            *name;       /* "geojson", as --format= takes it */
  const char            *label;      /* N_("GeoJSON") */
  const char            *extension;  /* "geojson", without the dot */
  const char            *mime_type;
  ChronoExportWriteFunc  write;
} ChronoExportFormat;

extern const ChronoExportFormat chrono_export_format_json;
extern const ChronoExportFormat chrono_export_format_csv;
extern const ChronoExportFormat chrono_export_format_geojson;
extern const ChronoExportFormat chrono_export_format_kml;
extern const ChronoExportFormat chrono_export_format_lpf;

const ChronoExportFormat * const *chrono_export_get_formats      (void);
const ChronoExportFormat         *chrono_export_find_format      (const char *name);
const ChronoExportFormat         *chrono_export_format_for_path  (const char *path);

gboolean   chrono_export_to_file    (ChronoStore               *store,
                                     const ChronoExportFormat  *format,
                                     const char                *path,
                                     const char                *lang,
                                     GCancellable              *cancellable,
                                     GError                   **error);

/* For writers: every event in order of start, with its places, excerpts and
 * claims, texts in @lang (or the nearest the event has). */
GPtrArray *chrono_export_get_events (ChronoStore  *store,
                                     const char   *lang,
                                     GError      **error);
/* Writes @text to @out; FALSE with @error on failure. */
gboolean   chrono_export_write      (GOutputStream  *out,
                                     const char     *text,
                                     gsize           len,
                                     GError        **error);

G_END_DECLS
