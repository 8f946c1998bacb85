/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

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

/* The years a day can fall in: a hundred billion years either way, far more
 * than deep time needs, and small enough that no day arithmetic can overflow. */
#define CHRONO_YEAR_MIN G_GINT64_CONSTANT (-100000000000)
#define CHRONO_YEAR_MAX G_GINT64_CONSTANT (100000000000)

#define CHRONO_DATE_ERROR (chrono_date_error_quark ())

typedef enum
{
  CHRONO_DATE_ERROR_SYNTAX,
  CHRONO_DATE_ERROR_INVALID_DATE,
  CHRONO_DATE_ERROR_UNSUPPORTED,
} ChronoDateError;

GQuark     chrono_date_error_quark (void);

/* From the finest to the coarsest: a coarser precision compares greater. */
typedef enum
{
  CHRONO_PRECISION_DAY,
  CHRONO_PRECISION_MONTH,
  CHRONO_PRECISION_SEASON,       /* EDTF 21-32: seasons, either hemisphere */
  CHRONO_PRECISION_QUARTER,      /* EDTF 33-36 */
  CHRONO_PRECISION_QUADRIMESTER, /* EDTF 37-39: four months */
  CHRONO_PRECISION_HALF_YEAR,    /* EDTF 40-41 */
  CHRONO_PRECISION_YEAR,
  CHRONO_PRECISION_DECADE,
  CHRONO_PRECISION_CENTURY,
  CHRONO_PRECISION_MILLENNIUM,
  CHRONO_PRECISION_DEEP,         /* years beyond four digits, or a wholly unknown year */
} ChronoPrecision;

gboolean   chrono_day_is_valid_ymd (gint64 year,
                                    int    month,
                                    int    day);
ChronoDay  chrono_day_from_ymd     (gint64 year,
                                    int    month,
                                    int    day);
void       chrono_day_to_ymd       (ChronoDay  day,
                                    gint64    *year,
                                    int       *month,
                                    int       *day_of_month);
int        chrono_days_in_month    (gint64 year,
                                    int    month);
gboolean   chrono_year_is_leap     (gint64 year);
char      *chrono_day_to_iso       (ChronoDay day);
char      *chrono_day_format       (ChronoDay day);

typedef struct _ChronoEdtf ChronoEdtf;

#define CHRONO_TYPE_EDTF (chrono_edtf_get_type ())

GType            chrono_edtf_get_type           (void) G_GNUC_CONST;
ChronoEdtf      *chrono_edtf_parse              (const char        *text,
                                                 GError           **error);
ChronoEdtf      *chrono_edtf_ref                (ChronoEdtf        *self);
void             chrono_edtf_unref              (ChronoEdtf        *self);
const char      *chrono_edtf_get_text           (const ChronoEdtf  *self);
ChronoDay        chrono_edtf_get_earliest       (const ChronoEdtf  *self);
ChronoDay        chrono_edtf_get_latest         (const ChronoEdtf  *self);
ChronoDay        chrono_edtf_get_earliest_fuzzy (const ChronoEdtf  *self);
ChronoDay        chrono_edtf_get_latest_fuzzy   (const ChronoEdtf  *self);
gboolean         chrono_edtf_is_interval        (const ChronoEdtf  *self);
gboolean         chrono_edtf_is_set             (const ChronoEdtf  *self);
gboolean         chrono_edtf_is_uncertain       (const ChronoEdtf  *self);
gboolean         chrono_edtf_is_approximate     (const ChronoEdtf  *self);
ChronoPrecision  chrono_edtf_get_precision      (const ChronoEdtf  *self);
char            *chrono_edtf_format             (const ChronoEdtf  *self);
char            *chrono_edtf_format_span        (const ChronoEdtf  *start,
                                                 const ChronoEdtf  *end);

char       *chrono_format_dates (const char *start,
                                 const char *end);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChronoEdtf, chrono_edtf_unref)

G_END_DECLS
