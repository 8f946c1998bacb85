/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "chrono-date.h"
#include "chrono-event.h"
#include "chrono-event-table.h"
#include "chrono-place.h"
#include "chrono-source.h"

G_BEGIN_DECLS

#define CHRONO_TYPE_EVENT_SOURCE (chrono_event_source_get_type ())

G_DECLARE_INTERFACE (ChronoEventSource, chrono_event_source, CHRONO, EVENT_SOURCE, GObject)

/**
 * ChronoEventSourceInterface:
 *
 * Where the views read a dataset from: every question they ask of it. The
 * .chronotope file (#ChronoStore) answers them from sqlite; another
 * backend (a read-only server database, a list of events in memory) is
 * another implementation of these functions, and the window, the map, the
 * timeline, snapshots and presentations work on it unchanged. Editing is
 * not here: only a #ChronoStore is edited.
 *
 * Rowids name events: positive, unique in the source, stable while it is
 * open. Functions that return rowids return them in the order each one
 * documents; every function may fail, with a #GError.
 */
struct _ChronoEventSourceInterface
{
  GTypeInterface parent_iface;

  /* What the views need of every event, in compact arrays */
  ChronoEventTable * (*load_table)          (ChronoEventSource  *self,
                                             GError            **error);
  /* One event, whole: texts in @lang (else the dataset's own), places,
   * excerpts and their claims */
  ChronoEvent      * (*get_event)           (ChronoEventSource  *self,
                                             gint64              rowid,
                                             const char         *lang,
                                             GError            **error);
  /* Events whole, in the order of @rowids; fails if one is missing */
  GPtrArray        * (*get_events)          (ChronoEventSource  *self,
                                             const gint64       *rowids,
                                             guint               n,
                                             const char         *lang,
                                             GError            **error);
  ChronoEvent      * (*get_event_by_id)     (ChronoEventSource  *self,
                                             const char         *id,
                                             const char         *lang,
                                             GError            **error);
  GPtrArray        * (*get_places)          (ChronoEventSource  *self,
                                             const char         *lang,
                                             GError            **error);
  GPtrArray        * (*get_sources)         (ChronoEventSource  *self,
                                             GError            **error);
  GPtrArray        * (*get_tour)            (ChronoEventSource  *self,
                                             const char         *lang,
                                             GError            **error);
  /* Every event's extent (#ChronoSpan), by earliest start then latest end */
  GArray           * (*get_spans)           (ChronoEventSource  *self,
                                             GError            **error);
  /* Rowids: in effect on @day, by start; at @place_id, by start; matching
   * @text, the most relevant first */
  GArray           * (*get_events_at)       (ChronoEventSource  *self,
                                             ChronoDay           day,
                                             GError            **error);
  GArray           * (*get_events_at_place) (ChronoEventSource  *self,
                                             const char         *place_id,
                                             GError            **error);
  GArray           * (*search)              (ChronoEventSource  *self,
                                             const char         *text,
                                             GError            **error);
  /* The dataset's own texts (title, description…) in @lang, else its own */
  char             * (*dup_meta)            (ChronoEventSource  *self,
                                             const char         *key,
                                             const char         *lang);
};

ChronoEventTable *chrono_event_source_load_table          (ChronoEventSource  *self,
                                                           GError            **error);
ChronoEvent      *chrono_event_source_get_event           (ChronoEventSource  *self,
                                                           gint64              rowid,
                                                           const char         *lang,
                                                           GError            **error);
GPtrArray        *chrono_event_source_get_events          (ChronoEventSource  *self,
                                                           const gint64       *rowids,
                                                           guint               n,
                                                           const char         *lang,
                                                           GError            **error);
ChronoEvent      *chrono_event_source_get_event_by_id     (ChronoEventSource  *self,
                                                           const char         *id,
                                                           const char         *lang,
                                                           GError            **error);
GPtrArray        *chrono_event_source_get_places          (ChronoEventSource  *self,
                                                           const char         *lang,
                                                           GError            **error);
GPtrArray        *chrono_event_source_get_sources         (ChronoEventSource  *self,
                                                           GError            **error);
GPtrArray        *chrono_event_source_get_tour            (ChronoEventSource  *self,
                                                           const char         *lang,
                                                           GError            **error);
GArray           *chrono_event_source_get_spans           (ChronoEventSource  *self,
                                                           GError            **error);
GArray           *chrono_event_source_get_events_at       (ChronoEventSource  *self,
                                                           ChronoDay           day,
                                                           GError            **error);
GArray           *chrono_event_source_get_events_at_place (ChronoEventSource  *self,
                                                           const char         *place_id,
                                                           GError            **error);
GArray           *chrono_event_source_search              (ChronoEventSource  *self,
                                                           const char         *text,
                                                           GError            **error);
char             *chrono_event_source_dup_meta            (ChronoEventSource  *self,
                                                           const char         *key,
                                                           const char         *lang);

G_END_DECLS
