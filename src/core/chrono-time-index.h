/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "chrono-date.h"

G_BEGIN_DECLS

/* One event's extent for the index: in effect on every day lo <= D <= hi. */
typedef struct
{
  ChronoDay lo;
  ChronoDay hi;
  gint64    id;
} ChronoSpan;

#define CHRONO_TYPE_TIME_INDEX (chrono_time_index_get_type ())

/* Immutable once built, so one index can be queried from several threads. */
typedef struct _ChronoTimeIndex ChronoTimeIndex;

GType            chrono_time_index_get_type          (void) G_GNUC_CONST;
ChronoTimeIndex *chrono_time_index_new               (const ChronoSpan      *spans,
                                                      gsize                  n_spans);
ChronoTimeIndex *chrono_time_index_ref               (ChronoTimeIndex       *self);
void             chrono_time_index_unref             (ChronoTimeIndex       *self);
gsize            chrono_time_index_get_size          (const ChronoTimeIndex *self);
gsize            chrono_time_index_get_memory_size   (const ChronoTimeIndex *self);
guint            chrono_time_index_query             (const ChronoTimeIndex *self,
                                                      ChronoDay              day,
                                                      GArray                *ids);
guint            chrono_time_index_count_at          (const ChronoTimeIndex *self,
                                                      ChronoDay              day);
gboolean         chrono_time_index_next_boundary     (const ChronoTimeIndex *self,
                                                      ChronoDay              day,
                                                      ChronoDay             *out_boundary);
gboolean         chrono_time_index_previous_boundary (const ChronoTimeIndex *self,
                                                      ChronoDay              day,
                                                      ChronoDay             *out_boundary);
gboolean         chrono_time_index_get_extent        (const ChronoTimeIndex *self,
                                                      ChronoDay             *out_first,
                                                      ChronoDay             *out_last);
void             chrono_time_index_histogram         (const ChronoTimeIndex *self,
                                                      ChronoDay              from,
                                                      ChronoDay              to,
                                                      guint                  n_bins,
                                                      guint                 *counts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChronoTimeIndex, chrono_time_index_unref)

void             chrono_sort_by_day                  (gpointer               base,
                                                      guint                  n,
                                                      gsize                  size,
                                                      gsize                  day_offset,
                                                      GCompareFunc           compare);

G_END_DECLS
