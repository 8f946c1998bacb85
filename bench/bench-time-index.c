/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Measures the time index at the scale it is designed for: a million
 * events over thirty years. See README.md in this directory.
 */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include <glib.h>

#include "chrono-time-index.h"

#define N_SPANS   1000000
#define N_YEARS   30
#define N_DAYS    10000
#define N_BUILDS  5
#define SEED      20201110u

static gint64
now_ns (void)
{
  struct timespec ts;

  /* g_get_monotonic_time () only has microseconds; queries take a few. */
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The value below which @fraction of the sorted @values lie. */
static gint64
percentile (const gint64 *sorted,
            guint         n,
            double        fraction)
{
  guint i = (guint) (fraction * (n - 1) + 0.5);

  return sorted[MIN (i, n - 1)];
}

/*
 * Events as a historical dataset has them: most last a day, or days to
 * weeks; some last months, a few years. About one in ten has a vague start
 * or end ("2023-09", "2023~"), which widens its span by up to a month or a
 * year. Starts are spread evenly over the thirty years from 2000-01-01.
 */
static ChronoSpan *
make_spans (GRand     *rand,
            ChronoDay  first,
            gint32     n_days)
{
  ChronoSpan *spans = g_new (ChronoSpan, N_SPANS);

  for (guint i = 0; i < N_SPANS; i++)
    {
      gint32 kind = g_rand_int_range (rand, 0, 100);
      ChronoDay start = first + g_rand_int_range (rand, 0, n_days);
      ChronoDay length;

      if (kind < 55)
        length = 0;
      else if (kind < 85)
        length = g_rand_int_range (rand, 1, 28);
      else if (kind < 98)
        length = g_rand_int_range (rand, 28, 183);
      else
        length = g_rand_int_range (rand, 365, 4 * 365);

      spans[i].lo = start;
      spans[i].hi = start + length;
      spans[i].id = i + 1;

      switch (g_rand_int_range (rand, 0, 20))
        {
        case 0:
          spans[i].lo -= g_rand_int_range (rand, 0, 31);
          break;
        case 1:
          spans[i].hi += g_rand_int_range (rand, 0, 366);
          break;
        default:
          break;
        }
    }

  return spans;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (SEED);
  const ChronoDay first = 10957;    /* 2000-01-01 */
  const gint32 n_days = N_YEARS * 365 + N_YEARS / 4;
  g_autofree ChronoSpan *spans = make_spans (rand, first, n_days);
  g_autofree gint64 *query_ns = g_new (gint64, N_DAYS);
  g_autofree gint64 *scrub_ns = g_new (gint64, N_DAYS);
  g_autofree gint64 *count_ns = g_new (gint64, N_DAYS);
  g_autofree gint64 *next_ns = g_new (gint64, N_DAYS);
  g_autofree ChronoDay *days = g_new (ChronoDay, N_DAYS);
  g_autoptr (GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 1 << 16);
  g_autoptr (ChronoTimeIndex) index = NULL;
  gint64 best_build = G_MAXINT64;
  gint64 first_build = 0;
  guint64 total_k = 0;
  guint64 checksum = 0;
  gsize bytes;

  for (guint b = 0; b < N_BUILDS; b++)
    {
      gint64 start = now_ns ();
      gint64 elapsed;

      g_clear_pointer (&index, chrono_time_index_unref);
      index = chrono_time_index_new (spans, N_SPANS);
      elapsed = now_ns () - start;

      /* The first build faults in fresh pages; later ones reuse them. */
      if (b == 0)
        first_build = elapsed;
      best_build = MIN (best_build, elapsed);
    }

  for (guint i = 0; i < N_DAYS; i++)
    days[i] = first + g_rand_int_range (rand, 0, n_days);

  for (guint i = 0; i < N_DAYS; i++)
    {
      gint64 start;
      guint k;

      g_array_set_size (ids, 0);
      start = now_ns ();
      k = chrono_time_index_query (index, days[i], ids);
      query_ns[i] = now_ns () - start;

      total_k += k;
      checksum += k > 0 ? (guint64) g_array_index (ids, gint64, k / 2) : 0;
    }

  /* Scrubbing: day after day, as the timeline asks while it is dragged. */
  for (guint i = 0; i < N_DAYS; i++)
    {
      gint64 start;

      g_array_set_size (ids, 0);
      start = now_ns ();
      chrono_time_index_query (index, first + (days[0] - first + i) % n_days, ids);
      scrub_ns[i] = now_ns () - start;
      checksum += ids->len;
    }

  for (guint i = 0; i < N_DAYS; i++)
    {
      gint64 start = now_ns ();
      guint count = chrono_time_index_count_at (index, days[i]);

      count_ns[i] = now_ns () - start;
      checksum += count;
    }

  for (guint i = 0; i < N_DAYS; i++)
    {
      ChronoDay boundary = 0;
      gint64 start = now_ns ();

      chrono_time_index_next_boundary (index, days[i], &boundary);
      next_ns[i] = now_ns () - start;
      checksum += (guint64) boundary;
    }

  qsort (query_ns, N_DAYS, sizeof (gint64), compare_gint64);
  qsort (scrub_ns, N_DAYS, sizeof (gint64), compare_gint64);
  qsort (count_ns, N_DAYS, sizeof (gint64), compare_gint64);
  qsort (next_ns, N_DAYS, sizeof (gint64), compare_gint64);
  bytes = chrono_time_index_get_memory_size (index);

  g_print ("spans:              %d over %d years\n", N_SPANS, N_YEARS);
  g_print ("build:              %.1f ms (best of %d; the first, into fresh memory: %.1f ms)\n",
           best_build / 1e6, N_BUILDS, first_build / 1e6);
  g_print ("memory:             %.1f MiB, %.1f bytes per span\n",
           bytes / (1024.0 * 1024.0), (double) bytes / N_SPANS);
  g_print ("query:              p50 %.2f us, p99 %.2f us, max %.2f us (%d random days)\n",
           percentile (query_ns, N_DAYS, 0.50) / 1e3,
           percentile (query_ns, N_DAYS, 0.99) / 1e3,
           query_ns[N_DAYS - 1] / 1e3, N_DAYS);
  g_print ("mean k:             %.1f ids per query\n", (double) total_k / N_DAYS);
  g_print ("per id (p50 / k):   %.1f ns\n",
           percentile (query_ns, N_DAYS, 0.50) / ((double) total_k / N_DAYS));
  g_print ("query, scrubbing:   p50 %.2f us, p99 %.2f us (%d days in a row)\n",
           percentile (scrub_ns, N_DAYS, 0.50) / 1e3,
           percentile (scrub_ns, N_DAYS, 0.99) / 1e3, N_DAYS);
  g_print ("count_at:           p50 %.3f us\n", percentile (count_ns, N_DAYS, 0.50) / 1e3);
  g_print ("next_boundary:      p50 %.3f us\n", percentile (next_ns, N_DAYS, 0.50) / 1e3);
  /* Printed so that the compiler cannot drop the work. */
  g_print ("checksum:           %" G_GUINT64_FORMAT "\n", checksum);

  return EXIT_SUCCESS;
}
