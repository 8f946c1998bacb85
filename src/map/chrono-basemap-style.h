/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * ChronoBasemapStyle:
 * @CHRONO_BASEMAP_STYLE_LIGHT: light palette with borders and labels
 * @CHRONO_BASEMAP_STYLE_DARK: dark palette for libadwaita's dark style
 * @CHRONO_BASEMAP_STYLE_NEUTRAL: no modern borders and no labels, for
 *   teaching contested borders
 */
typedef enum
{
  CHRONO_BASEMAP_STYLE_LIGHT,
  CHRONO_BASEMAP_STYLE_DARK,
  CHRONO_BASEMAP_STYLE_NEUTRAL,
} ChronoBasemapStyle;

#define CHRONO_TYPE_BASEMAP_STYLE (chrono_basemap_style_get_type ())

GType        chrono_basemap_style_get_type    (void) G_GNUC_CONST;
const char  *chrono_basemap_style_to_string   (ChronoBasemapStyle  style);
gboolean     chrono_basemap_style_from_string (const char         *name,
                                               ChronoBasemapStyle *style);

G_END_DECLS
