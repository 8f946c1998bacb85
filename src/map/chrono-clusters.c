/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Greedy screen-space clustering of the map's lit places.
 *
 * Points are taken in order; a point whose disc overlaps a cluster's disc
 * joins the first such cluster (the oldest), which then grows with its
 * events; else it starts a cluster of its own. A cluster keeps its lead's
 * position, and no disc is wider than @max_radius, so a point can only
 * overlap clusters whose lead lies within 2 × @max_radius of it: the leads
 * are kept in a grid of cells that wide, and a point looks at the nine
 * cells around it instead of at every cluster. The answer is the same as
 * that of comparing each point with every cluster (the test checks it), in
 * time linear in the points rather than quadratic when lit places are many.
 */
#include "config.h"

#include "chrono-clusters.h"

#include <math.h>

typedef struct
{
  guint cluster;
  guint next;      /* the next lead in the same cell + 1, or 0 */
} Lead;

/**
 * chrono_clusters_compute:
 * @points: (array length=n_points): the points, in the order they join
 * @n_points: their number
 * @max_radius: no point's or cluster's disc is wider than this
 * @radius_for_events: a cluster's radius for its number of events
 * @clusters: (element-type ChronoCluster): emptied, then the clusters
 * @cluster_of: (array length=n_points) (out caller-allocates): for each
 *   point, the index of its cluster in @clusters
 *
 * Clusters @points greedily: a point joins the first cluster whose disc its
 * own overlaps (by more than a pixel), or else starts one.
 */
void
chrono_clusters_compute (const ChronoClusterPoint *points,
                         guint                     n_points,
                         double                    max_radius,
                         ChronoClusterRadiusFunc   radius_for_events,
                         GArray                   *clusters,
                         guint                    *cluster_of)
{
  g_autofree guint *heads = NULL;   /* per cell: its newest lead + 1, or 0 */
  g_autofree Lead *leads = NULL;
  double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, max_y = -G_MAXDOUBLE;
  double cell_size;
  gsize n_columns, n_rows, n_cells;
  guint n_leads = 0;

  g_return_if_fail (max_radius > 0);
  g_return_if_fail (clusters != NULL);
  g_return_if_fail (n_points == 0 || (points != NULL && cluster_of != NULL));

  g_array_set_size (clusters, 0);
  if (n_points == 0)
    return;

  for (guint i = 0; i < n_points; i++)
    {
      if (!isfinite (points[i].x) || !isfinite (points[i].y))
        continue;
      min_x = MIN (min_x, points[i].x);
      min_y = MIN (min_y, points[i].y);
      max_x = MAX (max_x, points[i].x);
      max_y = MAX (max_y, points[i].y);
    }

  if (min_x > max_x)
    min_x = max_x = min_y = max_y = 0;

  /* Cells at least as wide as two discs; wider when the points are spread
   * so far that there would be many more cells than points, or more than
   * 2,048 in a row. */
  cell_size = MAX (2 * max_radius, sqrt ((max_x - min_x) * (max_y - min_y) / (4.0 * n_points + 1024)));
  cell_size = MAX (cell_size, MAX (max_x - min_x, max_y - min_y) / 2048);
  n_columns = (gsize) ((max_x - min_x) / cell_size) + 1;
  n_rows = (gsize) ((max_y - min_y) / cell_size) + 1;
  n_cells = n_columns * n_rows;
  heads = g_new0 (guint, n_cells);
  leads = g_new (Lead, n_points);

  for (guint i = 0; i < n_points; i++)
    {
      const ChronoClusterPoint *point = &points[i];
      gboolean finite = isfinite (point->x) && isfinite (point->y);
      gsize column = finite ? MIN ((gsize) ((point->x - min_x) / cell_size), n_columns - 1) : 0;
      gsize row = finite ? MIN ((gsize) ((point->y - min_y) / cell_size), n_rows - 1) : 0;
      guint found = G_MAXUINT;

      /* A point nowhere on the plane overlaps nothing, and nothing it */
      if (!finite)
        {
          ChronoCluster cluster = { i, point->x, point->y, point->radius, 1, point->n_events };

          cluster_of[i] = clusters->len;
          g_array_append_val (clusters, cluster);
          continue;
        }

      for (gsize r = row > 0 ? row - 1 : 0; r <= row + 1 && r < n_rows; r++)
        for (gsize c = column > 0 ? column - 1 : 0; c <= column + 1 && c < n_columns; c++)
          for (guint l = heads[r * n_columns + c]; l != 0; l = leads[l - 1].next)
            {
              const ChronoCluster *cluster;
              double reach, dx, dy;

              if (leads[l - 1].cluster >= found)
                continue;
              cluster = &g_array_index (clusters, ChronoCluster, leads[l - 1].cluster);
              reach = cluster->radius + point->radius - 1;
              dx = cluster->x - point->x;
              dy = cluster->y - point->y;
              if (reach > 0 && dx * dx + dy * dy < reach * reach)
                found = leads[l - 1].cluster;
            }

      if (found != G_MAXUINT)
        {
          ChronoCluster *cluster = &g_array_index (clusters, ChronoCluster, found);

          cluster->n_places++;
          cluster->n_events += point->n_events;
          cluster->radius = radius_for_events (cluster->n_events);
          cluster_of[i] = found;
        }
      else
        {
          ChronoCluster cluster = { i, point->x, point->y, point->radius, 1, point->n_events };
          guint *head = &heads[row * n_columns + column];

          leads[n_leads] = (Lead) { clusters->len, *head };
          *head = ++n_leads;
          cluster_of[i] = clusters->len;
          g_array_append_val (clusters, cluster);
        }
    }
}
