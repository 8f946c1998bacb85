/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-basemap-style"

#include "config.h"

#include <string.h>

#include "chrono-basemap-style.h"

G_DEFINE_ENUM_TYPE (ChronoBasemapStyle, chrono_basemap_style,
  G_DEFINE_ENUM_VALUE (CHRONO_BASEMAP_STYLE_LIGHT, "light"),
  G_DEFINE_ENUM_VALUE (CHRONO_BASEMAP_STYLE_DARK, "dark"),
  G_DEFINE_ENUM_VALUE (CHRONO_BASEMAP_STYLE_NEUTRAL, "neutral"))

/* The nicks double as the names used in settings and tile-source ids. */
const char *
chrono_basemap_style_to_string (ChronoBasemapStyle style)
{
  switch (style)
    {
    case CHRONO_BASEMAP_STYLE_LIGHT:
      return "light";
    case CHRONO_BASEMAP_STYLE_DARK:
      return "dark";
    case CHRONO_BASEMAP_STYLE_NEUTRAL:
      return "neutral";
    default:
      g_return_val_if_reached ("light");
    }
}

gboolean
chrono_basemap_style_from_string (const char         *name,
                                  ChronoBasemapStyle *style)
{
  g_return_val_if_fail (style != NULL, FALSE);

  if (g_strcmp0 (name, "light") == 0)
    *style = CHRONO_BASEMAP_STYLE_LIGHT;
  else if (g_strcmp0 (name, "dark") == 0)
    *style = CHRONO_BASEMAP_STYLE_DARK;
  else if (g_strcmp0 (name, "neutral") == 0)
    *style = CHRONO_BASEMAP_STYLE_NEUTRAL;
  else
    return FALSE;

  return TRUE;
}
