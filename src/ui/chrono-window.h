/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "chrono-application.h"
#include "chrono-document.h"
#include "chrono-event-layer.h"
#include "chrono-snapshot.h"
#include "chrono-timeline.h"

G_BEGIN_DECLS

/* The nicks of the place-name-policy setting, in order. */
typedef enum
{
  CHRONO_PLACE_NAME_POLICY_UI_LANGUAGE,
  CHRONO_PLACE_NAME_POLICY_LOCAL_OFFICIAL,
  CHRONO_PLACE_NAME_POLICY_BOTH,
} ChronoPlaceNamePolicy;

#define CHRONO_TYPE_WINDOW (chrono_window_get_type ())

G_DECLARE_FINAL_TYPE (ChronoWindow, chrono_window, CHRONO, WINDOW, AdwApplicationWindow)

ChronoWindow     *chrono_window_new                  (ChronoApplication *application);
GListModel       *chrono_window_get_events_in_effect (ChronoWindow      *self);
GListModel       *chrono_window_get_list_model       (ChronoWindow      *self);
ChronoTimeline   *chrono_window_get_timeline         (ChronoWindow      *self);
ChronoEventLayer *chrono_window_get_event_layer      (ChronoWindow      *self);
void              chrono_window_set_afterglow_days   (ChronoWindow      *self,
                                                      int                days);
void              chrono_window_search               (ChronoWindow      *self,
                                                      const char        *text);
void              chrono_window_set_place_filter     (ChronoWindow      *self,
                                                      const char        *place_id);
const char       *chrono_window_get_place_filter     (ChronoWindow      *self);
GtkWidget        *chrono_window_get_place_popover    (ChronoWindow      *self);
void              chrono_window_set_timeline_height  (ChronoWindow      *self,
                                                      int                height);
char             *chrono_window_dup_match_description (ChronoWindow     *self,
                                                       ChronoEvent      *event);
ShumateMapSource *chrono_window_get_map_source       (ChronoWindow      *self);
GSettings        *chrono_window_get_settings         (ChronoWindow      *self);
ChronoStore      *chrono_window_get_store            (ChronoWindow      *self);
char             *chrono_window_format_place_name    (ChronoPlace           *place,
                                                      ChronoPlaceNamePolicy  policy,
                                                      const char            *lang,
                                                      ChronoDay              day);

gboolean              chrono_window_open_dataset         (ChronoWindow       *self,
                                                          GFile              *file,
                                                          GError            **error);

GListModel           *chrono_window_get_shown_model      (ChronoWindow       *self);
GtkWidget            *chrono_window_get_scrub_rows       (ChronoWindow       *self);
ShumateSimpleMap     *chrono_window_get_map              (ChronoWindow       *self);

void                  chrono_window_open_file            (ChronoWindow       *self,
                                                          GFile              *file);
ChronoSnapshotOptions *chrono_window_dup_snapshot_options (ChronoWindow      *self);
GtkEventController    *chrono_window_get_key_controller   (ChronoWindow      *self);

/* Editing */
ChronoDocument   *chrono_window_get_document         (ChronoWindow          *self);
char             *chrono_window_new_dataset          (ChronoWindow          *self,
                                                      const char            *title,
                                                      const char * const    *langs,
                                                      GError               **error);
char             *chrono_window_make_copy_to_edit    (ChronoWindow          *self,
                                                      GError               **error);
GtkWidget        *chrono_window_edit_event           (ChronoWindow          *self,
                                                      const char            *event_id);
GtkWidget        *chrono_window_edit_place           (ChronoWindow          *self,
                                                      const char            *place_id,
                                                      double                 lat,
                                                      double                 lon);
void              chrono_window_start_drawing        (ChronoWindow          *self,
                                                      const char            *kind);
void              chrono_window_add_drawn_point      (ChronoWindow          *self,
                                                      double                 lat,
                                                      double                 lon);
GtkWidget        *chrono_window_finish_drawing       (ChronoWindow          *self);
GMenuModel       *chrono_window_dup_event_menu       (ChronoWindow          *self,
                                                      ChronoEvent           *event);
GMenuModel       *chrono_window_dup_map_menu         (ChronoWindow          *self,
                                                      const char            *place_id,
                                                      double                 lat,
                                                      double                 lon);

G_END_DECLS
