/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

#include "chrono-basemap-style.h"

G_BEGIN_DECLS

#define CHRONO_BASEMAP_MIN_ZOOM 0
#define CHRONO_BASEMAP_MAX_ZOOM 12
#define CHRONO_BASEMAP_MIN_LABEL_SCALE 0.5
#define CHRONO_BASEMAP_MAX_LABEL_SCALE 4.0

#define CHRONO_BASEMAP_ERROR (chrono_basemap_error_quark ())

typedef enum
{
  CHRONO_BASEMAP_ERROR_OUT_OF_RANGE,
  CHRONO_BASEMAP_ERROR_DATA,
} ChronoBasemapError;

GQuark chrono_basemap_error_quark (void);

#define CHRONO_TYPE_BASEMAP_SOURCE (chrono_basemap_source_get_type ())

G_DECLARE_FINAL_TYPE (ChronoBasemapSource, chrono_basemap_source, CHRONO, BASEMAP_SOURCE, ShumateDataSource)

ChronoBasemapSource *chrono_basemap_source_new            (ChronoBasemapStyle   style,
                                                           guint                tile_size,
                                                           const char          *language);
ShumateMapSource    *chrono_basemap_source_new_map_source (ChronoBasemapStyle   style,
                                                           guint                tile_size,
                                                           const char          *language);
ShumateMapSource    *chrono_basemap_source_new_map_source_full (ChronoBasemapStyle   style,
                                                                guint                tile_size,
                                                                const char          *language,
                                                                GPtrArray           *dataset_places);
void                 chrono_basemap_source_set_dataset_places  (ChronoBasemapSource *self,
                                                                GPtrArray           *places);
ShumateMapSource    *chrono_basemap_source_dup_map_source      (ChronoBasemapSource *self);
ChronoBasemapStyle   chrono_basemap_source_get_style      (ChronoBasemapSource *self);
void                 chrono_basemap_source_set_style      (ChronoBasemapSource *self,
                                                           ChronoBasemapStyle   style);
guint                chrono_basemap_source_get_tile_size  (ChronoBasemapSource *self);
void                 chrono_basemap_source_set_tile_size  (ChronoBasemapSource *self,
                                                           guint                tile_size);
const char          *chrono_basemap_source_get_language   (ChronoBasemapSource *self);
void                 chrono_basemap_source_set_language   (ChronoBasemapSource *self,
                                                           const char          *language);
double               chrono_basemap_source_get_label_scale (ChronoBasemapSource *self);
void                 chrono_basemap_source_set_label_scale (ChronoBasemapSource *self,
                                                            double               label_scale);
guint                chrono_basemap_source_get_pending    (ChronoBasemapSource *self);
char                *chrono_basemap_source_dup_id         (ChronoBasemapSource *self);
GBytes              *chrono_basemap_source_render_tile    (ChronoBasemapSource *self,
                                                           int                  x,
                                                           int                  y,
                                                           int                  zoom,
                                                           GCancellable        *cancellable,
                                                           GError             **error);
void                 chrono_basemap_source_render_async   (ChronoBasemapSource *self,
                                                           int                  x,
                                                           int                  y,
                                                           int                  zoom,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
cairo_surface_t     *chrono_basemap_source_render_finish  (ChronoBasemapSource *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
GArray              *chrono_basemap_source_dup_label_boxes (ChronoBasemapSource *self,
                                                            int                  zoom,
                                                            double               x0,
                                                            double               y0,
                                                            double               x1,
                                                            double               y1);
void                 chrono_basemap_get_background_color  (ChronoBasemapStyle   style,
                                                           GdkRGBA             *color);
void                 chrono_basemap_source_preload        (void);
const char          *chrono_basemap_get_attribution       (void);
const char          *chrono_basemap_get_attribution_full  (void);

G_END_DECLS
