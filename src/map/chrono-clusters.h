/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A lit place's mark on screen, in the order the greedy clustering takes
 * them (strongest first). */
typedef struct
{
  double x, y;      /* centre, in pixels */
  double radius;    /* its own disc */
  guint  n_events;
} ChronoClusterPoint;

typedef struct
{
  guint  lead;      /* the point it started from */
  double x, y;      /* the lead's position */
  double radius;
  guint  n_places;
  guint  n_events;
} ChronoCluster;

typedef double (*ChronoClusterRadiusFunc) (guint n_events);

void chrono_clusters_compute (const ChronoClusterPoint *points,
                              guint                     n_points,
                              double                    max_radius,
                              ChronoClusterRadiusFunc   radius_for_events,
                              GArray                   *clusters,
                              guint                    *cluster_of);

G_END_DECLS
