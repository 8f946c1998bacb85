/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

#include "chrono-basemap-style.h"
#include "chrono-event-source.h"
#include "chrono-place.h"
#include "chrono-store.h"

G_BEGIN_DECLS

#define CHRONO_TYPE_EVENT_LAYER (chrono_event_layer_get_type ())

G_DECLARE_FINAL_TYPE (ChronoEventLayer, chrono_event_layer, CHRONO, EVENT_LAYER, ShumateLayer)

ChronoEventLayer *chrono_event_layer_new                    (ShumateViewport  *viewport);

void              chrono_event_layer_set_places             (ChronoEventLayer *self,
                                                             GPtrArray        *places);
void              chrono_event_layer_set_events_in_effect   (ChronoEventLayer *self,
                                                             GListModel       *model);
GListModel       *chrono_event_layer_get_events_in_effect   (ChronoEventLayer *self);

gint64            chrono_event_layer_get_day                (ChronoEventLayer *self);
void              chrono_event_layer_set_day                (ChronoEventLayer *self,
                                                             gint64            day);
guint             chrono_event_layer_get_afterglow_days     (ChronoEventLayer *self);
void              chrono_event_layer_set_afterglow_days     (ChronoEventLayer *self,
                                                             guint             days);
const char       *chrono_event_layer_get_selected_place     (ChronoEventLayer *self);
void              chrono_event_layer_set_selected_place     (ChronoEventLayer *self,
                                                             const char       *place_id);
const char       *chrono_event_layer_get_language           (ChronoEventLayer *self);
void              chrono_event_layer_set_language           (ChronoEventLayer *self,
                                                             const char       *language);
gboolean          chrono_event_layer_get_show_labels        (ChronoEventLayer *self);
void              chrono_event_layer_set_show_labels        (ChronoEventLayer *self,
                                                             gboolean          show_labels);
ChronoBasemapStyle chrono_event_layer_get_basemap_style    (ChronoEventLayer *self);
void              chrono_event_layer_set_basemap_style      (ChronoEventLayer   *self,
                                                             ChronoBasemapStyle  style);
gboolean          chrono_event_layer_get_both_names         (ChronoEventLayer *self);
void              chrono_event_layer_set_both_names         (ChronoEventLayer *self,
                                                             gboolean          both_names);
double            chrono_event_layer_get_label_scale        (ChronoEventLayer *self);
void              chrono_event_layer_set_label_scale        (ChronoEventLayer *self,
                                                             double            label_scale);

/* Draws the layer as on screen into @snapshot for a map of @width x @height
 * (logical pixels) around the layer's viewport, rasterizing cached marks for
 * @scale_factor. Works on a layer that is in no window (chrono_event_layer_new
 * returns a floating widget: g_object_ref_sink it); label size follows the
 * "label-scale" property (1.0: the widget's font), colours the
 * "basemap-style" property. */
void              chrono_event_layer_draw                   (ChronoEventLayer *self,
                                                             GtkSnapshot      *snapshot,
                                                             double            width,
                                                             double            height,
                                                             int               scale_factor);

void              chrono_event_layer_set_paint_out_names    (ChronoEventLayer      *self,
                                                             gboolean               paint_out);
gboolean          chrono_event_layer_get_paint_out_names    (ChronoEventLayer      *self);
void              chrono_event_layer_set_keep_out           (ChronoEventLayer      *self,
                                                             const graphene_rect_t *rects,
                                                             guint                  n_rects);

guint             chrono_event_layer_get_n_labels           (ChronoEventLayer *self);
const char       *chrono_event_layer_get_label              (ChronoEventLayer *self,
                                                             guint             i,
                                                             graphene_rect_t  *rect);
const char       *chrono_event_layer_get_label_text         (ChronoEventLayer *self,
                                                             guint             i);
guint             chrono_event_layer_get_n_marks            (ChronoEventLayer *self);
void              chrono_event_layer_get_mark               (ChronoEventLayer *self,
                                                             guint             i,
                                                             double           *x,
                                                             double           *y,
                                                             double           *radius);
gboolean          chrono_event_layer_is_area                (ChronoEventLayer *self,
                                                             const char       *place_id);

const char       *chrono_event_layer_place_at               (ChronoEventLayer *self,
                                                             double            x,
                                                             double            y);
ChronoPlace      *chrono_event_layer_get_place              (ChronoEventLayer *self,
                                                             const char       *place_id);
guint             chrono_event_layer_get_n_events_at        (ChronoEventLayer *self,
                                                             const char       *place_id);
void              chrono_event_layer_attach_controllers     (ChronoEventLayer *self,
                                                             GtkWidget        *map);

const GdkRGBA    *chrono_event_layer_get_category_color     (const char       *category);
GtkWidget        *chrono_event_layer_build_place_popover    (ChronoEventSource *source,
                                                             ChronoPlace       *place,
                                                             const char        *lang);

G_END_DECLS
