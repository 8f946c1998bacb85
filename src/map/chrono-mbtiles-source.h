/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

#define CHRONO_MBTILES_ERROR (chrono_mbtiles_error_quark ())

typedef enum
{
  CHRONO_MBTILES_ERROR_OPEN,
  CHRONO_MBTILES_ERROR_NOT_MBTILES,
  CHRONO_MBTILES_ERROR_CORRUPT,
  CHRONO_MBTILES_ERROR_EMPTY,
  CHRONO_MBTILES_ERROR_VECTOR,
  CHRONO_MBTILES_ERROR_UNSUPPORTED_FORMAT,
  CHRONO_MBTILES_ERROR_NO_TILE,
} ChronoMbtilesError;

GQuark chrono_mbtiles_error_quark (void);

#define CHRONO_TYPE_MBTILES_SOURCE (chrono_mbtiles_source_get_type ())

G_DECLARE_FINAL_TYPE (ChronoMbtilesSource, chrono_mbtiles_source, CHRONO, MBTILES_SOURCE, ShumateDataSource)

ChronoMbtilesSource *chrono_mbtiles_source_new            (const char           *path,
                                                           GError              **error);
ShumateMapSource    *chrono_mbtiles_source_new_map_source (const char           *path,
                                                           GError              **error);
const char          *chrono_mbtiles_source_get_path        (ChronoMbtilesSource  *self);
const char          *chrono_mbtiles_source_get_format      (ChronoMbtilesSource  *self);
const char          *chrono_mbtiles_source_get_name        (ChronoMbtilesSource  *self);
const char          *chrono_mbtiles_source_get_attribution (ChronoMbtilesSource  *self);
guint                chrono_mbtiles_source_get_min_zoom    (ChronoMbtilesSource  *self);
guint                chrono_mbtiles_source_get_max_zoom    (ChronoMbtilesSource  *self);
guint                chrono_mbtiles_source_get_tile_size   (ChronoMbtilesSource  *self);
GBytes              *chrono_mbtiles_source_read_tile       (ChronoMbtilesSource  *self,
                                                           int                   x,
                                                           int                   y,
                                                           int                   zoom,
                                                           GError              **error);

G_END_DECLS
