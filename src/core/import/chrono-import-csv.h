/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "chrono-import.h"

G_BEGIN_DECLS

/*
 * What the CSV reader sees in a table before it imports it, for the import
 * dialog's column mapping and preview: the same detection the import uses
 * (encoding, delimiter, header, the role of each column, the known layouts
 * and the day/month order of the dates).
 */
typedef struct
{
  char             delimiter;        /* ',', ';', '\t' or '|' */
  const char      *encoding;         /* "UTF-8", "UTF-8 with BOM", "UTF-16", "Windows-1252" or "ISO-8859-1" */
  GStrv            headers;          /* the header row as written (trimmed) */
  int              roles[CHRONO_COLUMN_N_ROLES];  /* the index in @headers of each role's column, or -1 */
  const char      *layout;           /* "TimelineJS sheet", "ACLED", "UCDP GED", or NULL for any other table */
  gboolean         dates_ambiguous;  /* no date of the file tells day/month from month/day */
  ChronoDateOrder  date_order;       /* the order the dates show, or UNKNOWN (also when none needs one) */
  GPtrArray       *rows;             /* (element-type GStrv): the first data rows, as many fields as the header */
} ChronoCsvLayout;

ChronoCsvLayout *chrono_csv_sniff        (GBytes                    *bytes,
                                          const ChronoImportOptions *options,
                                          guint                      max_rows,
                                          GError                   **error);
void             chrono_csv_layout_free  (ChronoCsvLayout           *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChronoCsvLayout, chrono_csv_layout_free)

G_END_DECLS
