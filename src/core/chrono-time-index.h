/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "chrono-date.h"

G_BEGIN_DECLS

/* One event's extent for the index: in effect on every day lo <= D <= hi. */
typedef struct
{
  ChronoDay lo;
  ChronoDay hi;
  gint64    id;
} ChronoSpan;

G_END_DECLS
