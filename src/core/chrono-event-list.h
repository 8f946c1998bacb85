/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "chrono-event.h"
#include "chrono-event-table.h"

G_BEGIN_DECLS

/*
 * ChronoEventList: a list model of events given by their rowids. An item is
 * read (ChronoEvent, with its texts) only when asked for: a list view asks for
 * the rows it shows. The table beside the ids answers what views need of all
 * of them (places, categories, dates) without reading any.
 */

/* Returns: (transfer full) (nullable): the event of @rowid */
typedef ChronoEvent *(*ChronoEventLoadFunc) (gint64   rowid,
                                             gpointer user_data);

#define CHRONO_TYPE_EVENT_LIST (chrono_event_list_get_type ())

G_DECLARE_FINAL_TYPE (ChronoEventList, chrono_event_list, CHRONO, EVENT_LIST, GObject)

ChronoEventList  *chrono_event_list_new        (ChronoEventLoadFunc  load,
                                                gpointer             user_data);
void              chrono_event_list_set_table  (ChronoEventList     *self,
                                                ChronoEventTable    *table);
ChronoEventTable *chrono_event_list_get_table  (ChronoEventList     *self);
void              chrono_event_list_set_ids    (ChronoEventList     *self,
                                                const gint64        *ids,
                                                guint                n_ids);
void              chrono_event_list_reset      (ChronoEventList     *self,
                                                const gint64        *ids,
                                                guint                n_ids);
const gint64     *chrono_event_list_get_ids    (ChronoEventList     *self,
                                                guint               *n_ids);
guint             chrono_event_list_find       (ChronoEventList     *self,
                                                gint64               rowid);

G_END_DECLS
