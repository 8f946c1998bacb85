/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

#include "chrono-basemap-source.h"

G_BEGIN_DECLS

#define CHRONO_TYPE_BASEMAP_MAP_SOURCE (chrono_basemap_map_source_get_type ())

G_DECLARE_FINAL_TYPE (ChronoBasemapMapSource, chrono_basemap_map_source, CHRONO, BASEMAP_MAP_SOURCE, ShumateMapSource)

ShumateMapSource    *chrono_basemap_map_source_new             (ChronoBasemapSource    *basemap,
                                                                const char             *id,
                                                                const char             *name,
                                                                const char             *license,
                                                                guint                   tile_size);
ChronoBasemapSource *chrono_basemap_map_source_get_data_source (ChronoBasemapMapSource *self);
void                 chrono_basemap_map_source_set_renderer    (ChronoBasemapMapSource *self,
                                                                GskRenderer            *renderer);
gboolean             chrono_basemap_map_source_get_draws_with_cairo (ChronoBasemapMapSource *self);
void                 chrono_basemap_map_source_follow_renderer (ShumateSimpleMap       *map);

G_END_DECLS
