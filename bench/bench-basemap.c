/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-basemap"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-common.h"
#include "chrono-basemap-source.h"

/*
 * Time to draw and encode offline basemap tiles on one thread, per tile,
 * at zoom 4, 8 and 11 in 256 and 512 pixels: a square of tiles around
 * Stepanakert, in the light style (the one with the most to draw).
 */

#define SIDE 5

static void
bench (guint tile_size,
       int   zoom)
{
  g_autoptr(ChronoBasemapSource) source = chrono_basemap_source_new (CHRONO_BASEMAP_STYLE_LIGHT, tile_size, "en");
  double n = (double) (1 << zoom);
  double lat = 39.8153 * G_PI / 180.0, lon = 46.7517;
  int cx = (int) floor ((lon + 180.0) / 360.0 * n);
  int cy = (int) floor ((1.0 - asinh (tan (lat)) / G_PI) / 2.0 * n);
  double times[SIDE * SIDE];
  gsize bytes = 0;
  guint count = 0;

  for (int dy = -SIDE / 2; dy <= SIDE / 2; dy++)
    for (int dx = -SIDE / 2; dx <= SIDE / 2; dx++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GBytes) png = NULL;
        gint64 start = g_get_monotonic_time ();

        png = chrono_basemap_source_render_tile (source, cx + dx, cy + dy, zoom, NULL, &error);
        if (png == NULL)
          {
            fprintf (stderr, "tile %d/%d/%d: %s\n", zoom, cx + dx, cy + dy, error->message);
            exit (EXIT_FAILURE);
          }
        times[count++] = (g_get_monotonic_time () - start) / 1000.0;
        bytes += g_bytes_get_size (png);
      }

  qsort (times, count, sizeof times[0], bench_compare_doubles);
  printf ("zoom %2d  %3u px  %2u tiles  p50 %6.2f ms  p95 %6.2f ms  max %6.2f ms  %6.1f KiB/tile\n",
          zoom, tile_size, count,
          times[count / 2], times[MIN (count - 1, (guint) ceil (count * 0.95) - 1)], times[count - 1],
          bytes / 1024.0 / count);
}

int
main (int   argc,
      char *argv[])
{
  const int zooms[] = { 4, 8, 11 };
  const guint sizes[] = { 256, 512 };
  g_autoptr(ChronoBasemapSource) warm = chrono_basemap_source_new (CHRONO_BASEMAP_STYLE_LIGHT, 256, "en");
  g_autoptr(GBytes) first = NULL;
  gint64 start = g_get_monotonic_time ();

  /* The first tile parses the layers; timed apart. */
  first = chrono_basemap_source_render_tile (warm, 0, 0, 0, NULL, NULL);
  printf ("first tile (parses every layer): %.1f ms\n", (g_get_monotonic_time () - start) / 1000.0);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
      bench (sizes[s], zooms[z]);

  return EXIT_SUCCESS;
}
