/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CHRONO_TYPE_TOUR_STEP (chrono_tour_step_get_type ())

G_DECLARE_FINAL_TYPE (ChronoTourStep, chrono_tour_step, CHRONO, TOUR_STEP, GObject)

const char         *chrono_tour_step_get_event_id    (ChronoTourStep *self);
gint64              chrono_tour_step_get_event_rowid (ChronoTourStep *self);
gint64              chrono_tour_step_get_day         (ChronoTourStep *self);
const char         *chrono_tour_step_get_date        (ChronoTourStep *self);
const char         *chrono_tour_step_get_title       (ChronoTourStep *self);
const char         *chrono_tour_step_get_note        (ChronoTourStep *self);
const char         *chrono_tour_step_get_lang        (ChronoTourStep *self);
const char * const *chrono_tour_step_get_excerpts    (ChronoTourStep *self);

G_END_DECLS
