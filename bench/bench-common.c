/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Helpers the benchmarks share.
 */
#include "config.h"

#include "bench-common.h"

/* For qsort () and g_array_sort () of doubles */
int
bench_compare_doubles (gconstpointer a,
                       gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The @p quantile (0 to 1) of @values (doubles, in any order), the nearest
 * rank */
double
bench_percentile (GArray *values,
                  double  p)
{
  g_autoptr (GArray) sorted = NULL;
  guint i;

  if (values->len == 0)
    return 0;
  sorted = g_array_copy (values);
  g_array_sort (sorted, bench_compare_doubles);
  i = (guint) (p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, double, MIN (i, sorted->len - 1));
}

/* Sizes such as "10k,100k,1M" (1 to 100 million) appended to @sizes, guint;
 * FALSE for anything else */
gboolean
bench_parse_sizes (const char *text,
                   GArray     *sizes)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *end = NULL;
      const char *part = g_strstrip (parts[i]);
      guint64 n = g_ascii_strtoull (part, &end, 10);
      guint size;

      if (end == part)
        return FALSE;
      if (g_ascii_strcasecmp (end, "k") == 0)
        n *= 1000;
      else if (g_ascii_strcasecmp (end, "m") == 0)
        n *= 1000000;
      else if (*end != '\0')
        return FALSE;
      if (n == 0 || n > 100000000)
        return FALSE;
      size = (guint) n;
      g_array_append_val (sizes, size);
    }
  return sizes->len > 0;
}

/* A file of this build, @name relative to the build's root (the
 * benchmark's own folder's parent), such as "src/chronotope" */
char *
bench_find_build_file (const char *name)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bench_dir = NULL;
  g_autofree char *build_dir = NULL;

  if (self == NULL)
    return NULL;
  bench_dir = g_path_get_dirname (self);
  build_dir = g_path_get_dirname (bench_dir);
  return g_build_filename (build_dir, name, NULL);
}
