/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The map's clustering, which looks for clusters in a grid, against the
 * greedy rule it implements, written here the slow way: each point, in
 * order, compared with every cluster made so far.
 */
#include "config.h"

#include <math.h>

#include "chrono-clusters.h"

#define MAX_RADIUS 30.0

static double
radius_for_events (guint n_events)
{
  return MIN (MAX_RADIUS, 6.0 + 3.0 * sqrt (n_events));
}

/* The rule, one cluster after another */
static void
brute_force (const ChronoClusterPoint *points,
             guint                     n_points,
             GArray                   *clusters,
             guint                    *cluster_of)
{
  g_array_set_size (clusters, 0);
  for (guint i = 0; i < n_points; i++)
    {
      guint found = G_MAXUINT;

      for (guint c = 0; c < clusters->len && found == G_MAXUINT; c++)
        {
          const ChronoCluster *cluster = &g_array_index (clusters, ChronoCluster, c);

          if (hypot (cluster->x - points[i].x, cluster->y - points[i].y) < cluster->radius + points[i].radius - 1)
            found = c;
        }

      if (found == G_MAXUINT)
        {
          ChronoCluster cluster = { i, points[i].x, points[i].y, points[i].radius, 1, points[i].n_events };

          cluster_of[i] = clusters->len;
          g_array_append_val (clusters, cluster);
        }
      else
        {
          ChronoCluster *cluster = &g_array_index (clusters, ChronoCluster, found);

          cluster->n_places++;
          cluster->n_events += points[i].n_events;
          cluster->radius = radius_for_events (cluster->n_events);
          cluster_of[i] = found;
        }
    }
}

static void
compare (const ChronoClusterPoint *points,
         guint                     n_points,
         guint                    *n_clusters,
         guint                    *largest)
{
  g_autoptr (GArray) fast = g_array_new (FALSE, FALSE, sizeof (ChronoCluster));
  g_autoptr (GArray) slow = g_array_new (FALSE, FALSE, sizeof (ChronoCluster));
  g_autofree guint *fast_of = g_new (guint, MAX (n_points, 1));
  g_autofree guint *slow_of = g_new (guint, MAX (n_points, 1));

  chrono_clusters_compute (points, n_points, MAX_RADIUS, radius_for_events, fast, fast_of);
  brute_force (points, n_points, slow, slow_of);

  g_assert_cmpuint (fast->len, ==, slow->len);
  for (guint i = 0; i < n_points; i++)
    g_assert_cmpuint (fast_of[i], ==, slow_of[i]);
  *largest = 0;
  for (guint c = 0; c < fast->len; c++)
    {
      const ChronoCluster *a = &g_array_index (fast, ChronoCluster, c);
      const ChronoCluster *b = &g_array_index (slow, ChronoCluster, c);

      g_assert_cmpuint (a->lead, ==, b->lead);
      g_assert_cmpfloat (a->x, ==, b->x);
      g_assert_cmpfloat (a->y, ==, b->y);
      g_assert_cmpfloat (a->radius, ==, b->radius);
      g_assert_cmpuint (a->n_places, ==, b->n_places);
      g_assert_cmpuint (a->n_events, ==, b->n_events);
      *largest = MAX (*largest, a->n_places);
    }
  *n_clusters = fast->len;
}

/* Random places on screens of several sizes and densities, lit by a few
 * events or many */
static void
test_random (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20201110);
  const struct { guint n; double width, height; } cases[] = {
    { 1, 800, 600 }, { 2, 40, 40 }, { 50, 800, 600 }, { 3000, 1600, 1000 },
    { 3000, 200, 150 }, { 20000, 1920, 1200 }, { 500, 100000, 80 }, { 800, 5, 5 },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree ChronoClusterPoint *points = g_new (ChronoClusterPoint, cases[k].n);
      guint n_clusters, largest;

      for (guint i = 0; i < cases[k].n; i++)
        {
          guint n_events = g_rand_int_range (rand, 0, 4) == 0 ? g_rand_int_range (rand, 1, 400)
                                                             : g_rand_int_range (rand, 1, 4);

          points[i].x = g_rand_double_range (rand, -MAX_RADIUS, cases[k].width + MAX_RADIUS);
          points[i].y = g_rand_double_range (rand, -MAX_RADIUS, cases[k].height + MAX_RADIUS);
          /* some on the same spot, as events at one town */
          if (i > 0 && g_rand_int_range (rand, 0, 10) == 0)
            {
              points[i].x = points[i - 1].x;
              points[i].y = points[i - 1].y;
            }
          points[i].n_events = n_events;
          points[i].radius = radius_for_events (n_events);
        }

      compare (points, cases[k].n, &n_clusters, &largest);
      g_test_message ("%u places on %.0f × %.0f: %u clusters, the largest of %u",
                      cases[k].n, cases[k].width, cases[k].height, n_clusters, largest);
      /* The cases are meant to cluster, except a single place */
      if (cases[k].n > 1)
        g_assert_cmpuint (n_clusters, <, cases[k].n);
      g_assert_cmpuint (n_clusters, >=, 1);
    }
}

/* Discs that just touch, on a grid of cells' edges: a point exactly as far
 * as the reach does not join, a hair nearer does */
static void
test_edges (void)
{
  ChronoClusterPoint points[] = {
    { 0, 0, 10, 1 },
    { 19, 0, 10, 1 },          /* 19 = 10 + 10 - 1: apart */
    { 60, 60, 30, 1 },
    { 60 + 58.999, 60, 30, 1 },/* nearer than 30 + 30 - 1: joins */
    { -120, -120, 30, 1 },
    { -120, -120 + 59, 30, 1 },/* as far as the reach: apart */
  };
  g_autoptr (GArray) clusters = g_array_new (FALSE, FALSE, sizeof (ChronoCluster));
  guint of[G_N_ELEMENTS (points)];
  guint n_clusters, largest;

  chrono_clusters_compute (points, G_N_ELEMENTS (points), MAX_RADIUS, radius_for_events, clusters, of);
  g_assert_cmpuint (clusters->len, ==, 5);
  g_assert_cmpuint (of[0], !=, of[1]);
  g_assert_cmpuint (of[2], ==, of[3]);
  g_assert_cmpuint (of[4], !=, of[5]);
  g_assert_cmpuint (g_array_index (clusters, ChronoCluster, of[3]).n_places, ==, 2);

  compare (points, G_N_ELEMENTS (points), &n_clusters, &largest);
  chrono_clusters_compute (NULL, 0, MAX_RADIUS, radius_for_events, clusters, NULL);
  g_assert_cmpuint (clusters->len, ==, 0);
}

/* A place nowhere (a broken coordinate) is a cluster of its own and does
 * not disturb the others */
static void
test_not_finite (void)
{
  ChronoClusterPoint points[] = {
    { 10, 10, 10, 1 },
    { NAN, 10, 10, 1 },
    { INFINITY, -INFINITY, 10, 1 },
    { 12, 10, 10, 1 },
  };
  g_autoptr (GArray) clusters = g_array_new (FALSE, FALSE, sizeof (ChronoCluster));
  guint of[G_N_ELEMENTS (points)];

  chrono_clusters_compute (points, G_N_ELEMENTS (points), MAX_RADIUS, radius_for_events, clusters, of);
  g_assert_cmpuint (clusters->len, ==, 3);
  g_assert_cmpuint (of[0], ==, of[3]);
  g_assert_cmpuint (of[1], ==, 1);
  g_assert_cmpuint (of[2], ==, 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clusters/random", test_random);
  g_test_add_func ("/clusters/edges", test_edges);
  g_test_add_func ("/clusters/not-finite", test_not_finite);

  return g_test_run ();
}
