/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "chrono-claim.h"
#include "chrono-excerpt.h"
#include "chrono-place.h"

G_BEGIN_DECLS

#define CHRONO_TYPE_EVENT (chrono_event_get_type ())

G_DECLARE_FINAL_TYPE (ChronoEvent, chrono_event, CHRONO, EVENT, GObject)

/* An event that lasts at most this many days, from its earliest start to its
 * latest end ("9 or 10 November 2020" included), keeps an afterglow after it
 * ends: scrubbing past it does not skip it. */
#define CHRONO_EVENT_SHORT_DAYS 3

static inline gboolean
chrono_span_is_short (gint64 start_lo,
                      gint64 end_hi)
{
  /* Open ends are the extremes of gint64: no signed subtraction */
  return end_hi < start_lo || (guint64) end_hi - (guint64) start_lo < CHRONO_EVENT_SHORT_DAYS;
}

const char *chrono_event_get_id             (ChronoEvent *self);
gint64      chrono_event_get_rowid          (ChronoEvent *self);
const char *chrono_event_get_title          (ChronoEvent *self);
const char *chrono_event_get_summary        (ChronoEvent *self);
const char *chrono_event_get_lang           (ChronoEvent *self);
const char *chrono_event_get_start          (ChronoEvent *self);
const char *chrono_event_get_end            (ChronoEvent *self);
gint64      chrono_event_get_start_lo       (ChronoEvent *self);
gint64      chrono_event_get_start_hi       (ChronoEvent *self);
gint64      chrono_event_get_end_lo         (ChronoEvent *self);
gint64      chrono_event_get_end_hi         (ChronoEvent *self);
const char *chrono_event_get_category       (ChronoEvent *self);
int         chrono_event_get_importance     (ChronoEvent *self);
const char *chrono_event_get_note           (ChronoEvent *self);
GPtrArray  *chrono_event_get_places         (ChronoEvent *self);
const char *chrono_event_get_place_role     (ChronoEvent *self,
                                             guint        i);
GPtrArray  *chrono_event_get_excerpts       (ChronoEvent *self);
GPtrArray  *chrono_event_get_claims         (ChronoEvent *self);
GPtrArray  *chrono_event_get_disagreements  (ChronoEvent *self);

/* How many characters of a dataset's text are laid out on screen, in exports
 * and on cards: a title or a name, and a summary or an excerpt. The data
 * keeps its texts whole; only what is drawn is cut. */
#define CHRONO_DISPLAY_NAME_CHARS 300
#define CHRONO_DISPLAY_TEXT_CHARS 2000

char       *chrono_text_for_display         (const char  *text,
                                             gsize        max_chars);

G_END_DECLS
