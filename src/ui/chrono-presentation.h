/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <shumate/shumate.h>

#include "chrono-event.h"
#include "chrono-event-source.h"
#include "chrono-store.h"

G_BEGIN_DECLS

#define CHRONO_PRESENTATION_DEFAULT_STEP_DURATION 8

#define CHRONO_TYPE_PRESENTATION (chrono_presentation_get_type ())

G_DECLARE_FINAL_TYPE (ChronoPresentation, chrono_presentation, CHRONO, PRESENTATION, AdwWindow)

ChronoPresentation *chrono_presentation_new                (GtkWindow          *parent,
                                                            ChronoEventSource  *source,
                                                            ShumateMapSource   *map_source,
                                                            const char         *lang);
void                chrono_presentation_present_fullscreen (ChronoPresentation *self);

guint               chrono_presentation_get_n_steps        (ChronoPresentation *self);
guint               chrono_presentation_get_step           (ChronoPresentation *self);
void                chrono_presentation_set_step           (ChronoPresentation *self,
                                                            guint               step);
ChronoEvent        *chrono_presentation_get_event          (ChronoPresentation *self);
const char         *chrono_presentation_get_step_title     (ChronoPresentation *self);
gint64              chrono_presentation_get_day            (ChronoPresentation *self);
gboolean            chrono_presentation_get_from_tour      (ChronoPresentation *self);

gboolean            chrono_presentation_get_blanked        (ChronoPresentation *self);
void                chrono_presentation_set_blanked        (ChronoPresentation *self,
                                                            gboolean            blanked);
gboolean            chrono_presentation_get_playing        (ChronoPresentation *self);
void                chrono_presentation_set_playing        (ChronoPresentation *self,
                                                            gboolean            playing);
guint               chrono_presentation_get_step_duration  (ChronoPresentation *self);
void                chrono_presentation_set_step_duration  (ChronoPresentation *self,
                                                            guint               seconds);

GtkEventController *chrono_presentation_get_key_controller (ChronoPresentation *self);
double              chrono_presentation_get_type_scale     (ChronoPresentation *self);

G_END_DECLS
