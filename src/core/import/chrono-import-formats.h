/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "chrono-import.h"

G_BEGIN_DECLS

/* The readers, one file each (chrono-import-FORMAT.c); chrono-import.c lists them. */
extern const ChronoImportFormat chrono_import_format_native;
extern const ChronoImportFormat chrono_import_format_csv;
extern const ChronoImportFormat chrono_import_format_geojson;
extern const ChronoImportFormat chrono_import_format_kml;
extern const ChronoImportFormat chrono_import_format_kmz;
extern const ChronoImportFormat chrono_import_format_timelinejs;
extern const ChronoImportFormat chrono_import_format_storymapjs;
extern const ChronoImportFormat chrono_import_format_lpf;
extern const ChronoImportFormat chrono_import_format_lptsv;

/* For the native reader, which writes the store through chrono-dataset.c */
void chrono_import_set_counts (ChronoImport *self,
                               guint         n_events,
                               guint         n_places,
                               guint         n_sources);
ChronoStore *chrono_import_get_store (ChronoImport *self);

G_END_DECLS
