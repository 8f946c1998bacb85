/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the benchmarks share: numbers, sizes, the build they belong to */

int     bench_compare_doubles (gconstpointer a,
                               gconstpointer b);
double  bench_percentile      (GArray       *values,
                               double        p);
gboolean bench_parse_sizes    (const char   *text,
                               GArray       *sizes);
char   *bench_find_build_file (const char   *name);

G_END_DECLS
