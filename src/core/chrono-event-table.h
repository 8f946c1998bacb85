/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "chrono-date.h"
#include "chrono-store.h"
#include "chrono-time-index.h"

G_BEGIN_DECLS

/*
 * ChronoEventTable: what the views need of every event, in compact arrays:
 * its extent, category, importance and places, never its texts. A million
 * events take about 60 MB and are read in two scans of the store (the
 * events, their places), each in the order the rows lie in the file; the
 * texts of the few events on screen are read when shown (ChronoEvent).
 */

/* One event. Rows are sorted by rowid. */
typedef struct
{
  gint64    rowid;
  ChronoDay start_lo;
  ChronoDay start_hi;
  ChronoDay end_lo;
  ChronoDay end_hi;
  guint32   places;      /* the first of its n_places in the table's place references */
  guint16   n_places;
  guint16   category;    /* 0: none, else chrono_event_table_get_category_name () */
  guint8    importance;
} ChronoEventRow;

typedef struct _ChronoEventTable ChronoEventTable;

#define CHRONO_TYPE_EVENT_TABLE (chrono_event_table_get_type ())

GType             chrono_event_table_get_type          (void) G_GNUC_CONST;

ChronoEventTable *chrono_event_table_new               (void);
ChronoEventTable *chrono_event_table_load              (ChronoStore            *store,
                                                        GError                **error);
ChronoEventTable *chrono_event_table_new_from_events   (GPtrArray              *events);
ChronoEventTable *chrono_event_table_copy              (ChronoEventTable       *self);
ChronoEventTable *chrono_event_table_ref               (ChronoEventTable       *self);
void              chrono_event_table_unref             (ChronoEventTable       *self);

guint             chrono_event_table_get_n_rows        (ChronoEventTable       *self);
const ChronoEventRow *
                  chrono_event_table_get_rows          (ChronoEventTable       *self);
const ChronoEventRow *
                  chrono_event_table_lookup            (ChronoEventTable       *self,
                                                        gint64                  rowid);
const char       *chrono_event_table_get_category_name (ChronoEventTable       *self,
                                                        guint16                 category);
guint16           chrono_event_table_find_category     (ChronoEventTable       *self,
                                                        const char             *name);
guint             chrono_event_table_get_n_categories  (ChronoEventTable       *self);
guint32           chrono_event_table_get_place         (ChronoEventTable       *self,
                                                        const ChronoEventRow   *row,
                                                        guint                   i);
const char       *chrono_event_table_get_place_id      (ChronoEventTable       *self,
                                                        guint32                 place);
guint32           chrono_event_table_find_place        (ChronoEventTable       *self,
                                                        const char             *place_id);
guint             chrono_event_table_get_n_place_ids   (ChronoEventTable       *self);
gboolean          chrono_event_table_row_is_at         (ChronoEventTable       *self,
                                                        const ChronoEventRow   *row,
                                                        guint32                 place);
GArray           *chrono_event_table_dup_spans         (ChronoEventTable       *self,
                                                        int                     afterglow_days);
ChronoTimeIndex  *chrono_event_table_build_index       (ChronoEventTable       *self,
                                                        int                     afterglow_days);

/* Keeping the table current after an edit */
void              chrono_event_table_remove            (ChronoEventTable       *self,
                                                        gint64                  rowid);
gboolean          chrono_event_table_read_event        (ChronoEventTable       *self,
                                                        ChronoStore            *store,
                                                        const char             *event_id,
                                                        GError                **error);

#define CHRONO_EVENT_TABLE_NO_PLACE G_MAXUINT32

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChronoEventTable, chrono_event_table_unref)

G_END_DECLS
