/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "chrono-event-list.h"
#include "chrono-event-table.h"
#include "chrono-time-index.h"

G_BEGIN_DECLS

/* How far playing moves the cursor in one second. */
typedef enum
{
  CHRONO_TIMELINE_SPEED_DAYS,
  CHRONO_TIMELINE_SPEED_WEEKS,
  CHRONO_TIMELINE_SPEED_MONTHS,
} ChronoTimelineSpeed;

#define CHRONO_TYPE_TIMELINE_SPEED (chrono_timeline_speed_get_type ())

GType chrono_timeline_speed_get_type (void) G_GNUC_CONST;

/* An event's title as the timeline drew it: where, in widget coordinates. */
typedef struct
{
  gint64          rowid;
  graphene_rect_t bounds;
} ChronoTimelineTitle;

#define CHRONO_TYPE_TIMELINE (chrono_timeline_get_type ())

G_DECLARE_FINAL_TYPE (ChronoTimeline, chrono_timeline, CHRONO, TIMELINE, GtkWidget)

GtkWidget           *chrono_timeline_new                (void);
void                 chrono_timeline_set_events         (ChronoTimeline      *self,
                                                         GPtrArray           *events,
                                                         ChronoTimeIndex     *index);
void                 chrono_timeline_set_table          (ChronoTimeline      *self,
                                                         ChronoEventTable    *table,
                                                         ChronoTimeIndex     *index,
                                                         ChronoEventLoadFunc  load_event,
                                                         gpointer             user_data);
ChronoDay            chrono_timeline_get_day            (ChronoTimeline      *self);
void                 chrono_timeline_set_day            (ChronoTimeline      *self,
                                                         ChronoDay            day);
gboolean             chrono_timeline_get_main_period    (ChronoTimeline      *self,
                                                         ChronoDay           *out_first,
                                                         ChronoDay           *out_last);
ChronoDay            chrono_timeline_get_visible_start  (ChronoTimeline      *self);
ChronoDay            chrono_timeline_get_visible_end    (ChronoTimeline      *self);
void                 chrono_timeline_set_visible_range  (ChronoTimeline      *self,
                                                         ChronoDay            start,
                                                         ChronoDay            end);
gint64               chrono_timeline_get_selected_event (ChronoTimeline      *self);
gint64               chrono_timeline_event_at           (ChronoTimeline      *self,
                                                         double               x,
                                                         double               y);
void                 chrono_timeline_set_selected_event (ChronoTimeline      *self,
                                                         gint64               rowid);
gboolean             chrono_timeline_get_playing        (ChronoTimeline      *self);
void                 chrono_timeline_set_playing        (ChronoTimeline      *self,
                                                         gboolean             playing);
ChronoTimelineSpeed  chrono_timeline_get_play_speed     (ChronoTimeline      *self);
void                 chrono_timeline_set_play_speed     (ChronoTimeline      *self,
                                                         ChronoTimelineSpeed  speed);
int                  chrono_timeline_get_afterglow_days (ChronoTimeline      *self);
void                 chrono_timeline_set_afterglow_days (ChronoTimeline      *self,
                                                         int                  days);
int                  chrono_timeline_get_event_lane     (ChronoTimeline      *self,
                                                         gint64               rowid);
guint                chrono_timeline_get_n_lanes        (ChronoTimeline      *self);
gboolean             chrono_timeline_handle_key         (ChronoTimeline      *self,
                                                         guint                keyval,
                                                         GdkModifierType      state);
float                chrono_timeline_get_lane_height    (ChronoTimeline      *self);
const ChronoTimelineTitle *
                     chrono_timeline_get_titles         (ChronoTimeline      *self,
                                                         guint               *n_titles);
double               chrono_timeline_get_event_strength (ChronoTimeline      *self,
                                                         gint64               rowid);

G_END_DECLS
