/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "chrono-claim.h"
#include "chrono-excerpt.h"
#include "chrono-place.h"

G_BEGIN_DECLS

#define CHRONO_TYPE_EVENT (chrono_event_get_type ())

G_DECLARE_FINAL_TYPE (ChronoEvent, chrono_event, CHRONO, EVENT, GObject)

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

G_END_DECLS
