/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A calendar day: the number of days since 1970-01-01 in the proleptic
 * Gregorian calendar, with astronomical year numbering (year 0 is 1 BCE).
 * 64 bits hold TimelineJS's deep time (13.8 billion years is about 5e12 days).
 */
typedef gint64 ChronoDay;

/* Open interval ends ("..") map to these. */
#define CHRONO_DAY_NEGATIVE_INFINITY G_MININT64
#define CHRONO_DAY_POSITIVE_INFINITY G_MAXINT64

G_END_DECLS
