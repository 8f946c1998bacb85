/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-date"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "chrono-date.h"

/*
 * Calendar days and EDTF (Extended Date/Time Format, Library of Congress, 2019).
 *
 * Days are counted in the proleptic Gregorian calendar with astronomical years
 * (year 0 is 1 BCE), so that they work the same far before 1 CE and far into
 * deep time, where GDateTime (years 1 to 9999) cannot go.
 *
 * An EDTF expression is kept as written and, once parsed, as a range of days
 * [earliest, latest] and a wider fuzzy range that accounts for its ? ~ %
 * qualifiers. Levels 0, 1 and 2 of the specification are read, with two
 * choices of ours, both documented where they are made:
 *  - a time of day ("2004-01-01T10:10:10+05:00") is dropped and the day kept as
 *    written, whatever the offset: the core has no time zones (DESIGN.md);
 *  - winter (24, 28 and southern summer 30) runs from December into February
 *    of the next year.
 */

/* Days from 0000-01-01 to 1970-01-01. */
#define EPOCH_FROM_YEAR_0 G_GINT64_CONSTANT (719528)

/* python-edtf, whose test vectors we check against, puts an unknown ("")
 * interval end ten years away from the known one. We do the same so the
 * bounds agree; a store that wants another guess can look at the text. */
#define UNKNOWN_END_YEARS 10

/* Longest piece of the input quoted back in an error message. */
#define QUOTE_MAX_CHARS 64

typedef enum
{
  PART_DATE,
  PART_OPEN,    /* ".." */
  PART_UNKNOWN, /* an empty interval end */
} PartKind;

typedef enum
{
  COMPONENT_YEAR,
  COMPONENT_MONTH, /* also a season or another grouping of months */
  COMPONENT_DAY,
  N_COMPONENTS
} Component;

/* One date of an expression: a single date, an interval end, a set member. */
typedef struct
{
  PartKind        kind;

  /* As written, without sign: four digits or X for ordinary years, any number
   * of digits for long ("Y") years. Month and day are "" when absent. */
  char            year_digits[16];
  gboolean        negative;
  gboolean        long_year;
  gint64          year;        /* long years only */
  char            month[3];
  char            day[3];
  int             season;      /* 21-41, or 0 */
  int             significant; /* significant digits ("S"), or 0 */
  gboolean        uncertain[N_COMPONENTS];
  gboolean        approximate[N_COMPONENTS];

  /* Where the part starts in the text, for error messages. */
  const char     *start;

  ChronoDay       earliest;
  ChronoDay       latest;
  ChronoDay       earliest_fuzzy;
  ChronoDay       latest_fuzzy;
  ChronoPrecision precision;
} Part;

/* A single date (first), or a range first..last (an interval, or "a..b" in a set). */
typedef struct
{
  Part     first;
  Part     last;
  gboolean is_range;
} Member;

typedef enum
{
  EDTF_DATE,
  EDTF_INTERVAL,
  EDTF_ONE_OF,
  EDTF_ALL_OF,
} EdtfKind;

struct _ChronoEdtf
{
  char            *text;
  EdtfKind         kind;
  Member          *members;
  guint            n_members;

  ChronoDay        earliest;
  ChronoDay        latest;
  ChronoDay        earliest_fuzzy;
  ChronoDay        latest_fuzzy;
  ChronoPrecision  precision;
  gboolean         uncertain;
  gboolean         approximate;
};

typedef struct
{
  const char  *text;
  const char  *p;
  GError     **error;
} Parser;

typedef struct
{
  int first_month;
  int last_month;  /* in the next year when smaller than first_month */
  int length;      /* months, the unit a qualifier widens by */
} MonthGroup;

G_DEFINE_QUARK (chrono-date-error-quark, chrono_date_error)

G_DEFINE_BOXED_TYPE (ChronoEdtf, chrono_edtf, chrono_edtf_ref, chrono_edtf_unref)

/* Day arithmetic */

static inline gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  if (a % b != 0 && (a < 0) != (b < 0))
    q--;

  return q;
}

/* Days from 0000-01-01 to 1 January of @year: 365 a year, plus one for each
 * leap year in [0, year) (counted negatively before year 0). */
static gint64
days_before_year (gint64 year)
{
  return 365 * year
         + floor_div (year + 3, 4)
         - floor_div (year + 99, 100)
         + floor_div (year + 399, 400);
}

static int
days_before_month (gint64 year,
                   int    month)
{
  static const int before[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };

  return before[month - 1] + (month > 2 && chrono_year_is_leap (year) ? 1 : 0);
}

static ChronoDay
day_from_ymd_unchecked (gint64 year,
                        int    month,
                        int    day)
{
  return days_before_year (year) + days_before_month (year, month) + day - 1 - EPOCH_FROM_YEAR_0;
}

static ChronoDay
day_min (void)
{
  return day_from_ymd_unchecked (CHRONO_YEAR_MIN, 1, 1);
}

static ChronoDay
day_max (void)
{
  return day_from_ymd_unchecked (CHRONO_YEAR_MAX, 12, 31);
}

static gboolean
day_is_finite (ChronoDay day)
{
  return day >= day_min () && day <= day_max ();
}

/*
 * Moves @day by years, months and days, all in the direction of @sign: years
 * and months first, keeping the day of the month where it exists (31 May less
 * a month is 30 April), then days. Results beyond the supported years stop at
 * the first or last supported day.
 */
static ChronoDay
shift_day (ChronoDay day,
           int       sign,
           gint64    years,
           gint64    months,
           gint64    days)
{
  gint64 year, total;
  int month, dom;
  ChronoDay result;

  g_assert (sign == 1 || sign == -1);
  g_assert (day_is_finite (day));

  chrono_day_to_ymd (day, &year, &month, &dom);
  total = year * 12 + (month - 1) + sign * (years * 12 + months);
  year = floor_div (total, 12);
  month = (int) (total - year * 12) + 1;

  if (year < CHRONO_YEAR_MIN)
    return day_min ();
  if (year > CHRONO_YEAR_MAX)
    return day_max ();

  dom = MIN (dom, chrono_days_in_month (year, month));
  result = day_from_ymd_unchecked (year, month, dom) + sign * days;

  return CLAMP (result, day_min (), day_max ());
}

gboolean
chrono_year_is_leap (gint64 year)
{
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int
chrono_days_in_month (gint64 year,
                      int    month)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  g_return_val_if_fail (month >= 1 && month <= 12, 0);

  return days[month - 1] + (month == 2 && chrono_year_is_leap (year) ? 1 : 0);
}

gboolean
chrono_day_is_valid_ymd (gint64 year,
                         int    month,
                         int    day)
{
  return year >= CHRONO_YEAR_MIN && year <= CHRONO_YEAR_MAX &&
         month >= 1 && month <= 12 &&
         day >= 1 && day <= chrono_days_in_month (year, month);
}

/**
 * chrono_day_from_ymd:
 *
 * Returns: the day of @year (astronomical: 0 is 1 BCE), @month and @day,
 * which must be valid (see chrono_day_is_valid_ymd()).
 */
ChronoDay
chrono_day_from_ymd (gint64 year,
                     int    month,
                     int    day)
{
  g_return_val_if_fail (chrono_day_is_valid_ymd (year, month, day), 0);

  return day_from_ymd_unchecked (year, month, day);
}

void
chrono_day_to_ymd (ChronoDay  day,
                   gint64    *year,
                   int       *month,
                   int       *day_of_month)
{
  gint64 from_year_0, y, day_of_year;
  int m;

  if (year != NULL)
    *year = 0;
  if (month != NULL)
    *month = 1;
  if (day_of_month != NULL)
    *day_of_month = 1;

  g_return_if_fail (day_is_finite (day));

  from_year_0 = day + EPOCH_FROM_YEAR_0;

  /* 146097 days make 400 years: a first guess off by a year at most. */
  y = floor_div (from_year_0 * 400, 146097);
  while (days_before_year (y) > from_year_0)
    y--;
  while (days_before_year (y + 1) <= from_year_0)
    y++;

  day_of_year = from_year_0 - days_before_year (y);
  for (m = 12; m > 1 && days_before_month (y, m) > day_of_year; m--)
    ;

  if (year != NULL)
    *year = y;
  if (month != NULL)
    *month = m;
  if (day_of_month != NULL)
    *day_of_month = (int) (day_of_year - days_before_month (y, m)) + 1;
}

/**
 * chrono_day_to_iso:
 *
 * Writes @day as ISO 8601: "2020-11-10", "-0999-01-01". Years of more than
 * four digits take the expanded form with an explicit sign, "+12345-01-01",
 * "-13800000000-01-01" (ISO 8601 expanded years; EDTF has no such day form).
 * The open ends CHRONO_DAY_NEGATIVE_INFINITY and CHRONO_DAY_POSITIVE_INFINITY
 * are written "..", as in EDTF.
 *
 * Returns: (transfer full): the text
 */
char *
chrono_day_to_iso (ChronoDay day)
{
  gint64 year;
  int month, dom;

  if (day == CHRONO_DAY_NEGATIVE_INFINITY || day == CHRONO_DAY_POSITIVE_INFINITY)
    return g_strdup ("..");

  g_return_val_if_fail (day_is_finite (day), NULL);

  chrono_day_to_ymd (day, &year, &month, &dom);

  if (year >= 0 && year <= 9999)
    return g_strdup_printf ("%04" G_GINT64_FORMAT "-%02d-%02d", year, month, dom);
  if (year < 0 && year >= -9999)
    return g_strdup_printf ("-%04" G_GINT64_FORMAT "-%02d-%02d", -year, month, dom);

  return g_strdup_printf ("%c%" G_GINT64_FORMAT "-%02d-%02d",
                          year < 0 ? '-' : '+', ABS (year), month, dom);
}

/* Human formatting: the words */

static const char *
month_name (int month)
{
  switch (month)
    {
    /* Translators: a month in dates such as "10 January 2020" and "January 2020" */
    case 1: return C_("month name", "January");
    /* Translators: a month in dates such as "10 February 2020" and "February 2020" */
    case 2: return C_("month name", "February");
    /* Translators: a month in dates such as "10 March 2020" and "March 2020" */
    case 3: return C_("month name", "March");
    /* Translators: a month in dates such as "10 April 2020" and "April 2020" */
    case 4: return C_("month name", "April");
    /* Translators: a month in dates such as "10 May 2020" and "May 2020" */
    case 5: return C_("month name", "May");
    /* Translators: a month in dates such as "10 June 2020" and "June 2020" */
    case 6: return C_("month name", "June");
    /* Translators: a month in dates such as "10 July 2020" and "July 2020" */
    case 7: return C_("month name", "July");
    /* Translators: a month in dates such as "10 August 2020" and "August 2020" */
    case 8: return C_("month name", "August");
    /* Translators: a month in dates such as "10 September 2020" and "September 2020" */
    case 9: return C_("month name", "September");
    /* Translators: a month in dates such as "10 October 2020" and "October 2020" */
    case 10: return C_("month name", "October");
    /* Translators: a month in dates such as "10 November 2020" and "November 2020" */
    case 11: return C_("month name", "November");
    /* Translators: a month in dates such as "10 December 2020" and "December 2020" */
    case 12: return C_("month name", "December");
    default: g_assert_not_reached ();
    }
}

/* The number of a day in its month. French writes the first day as an
 * ordinal, "1er mars", and the others as numbers: gettext cannot choose by
 * number, so the first day has a message of its own. */
static char *
format_day_number (int day)
{
  if (day == 1)
    /* Translators: the first day of a month, as in "1 March 2021" or "1–3 March
     * 2021"; French writes "1er". Keep "1" if your language writes it like the
     * other days. */
    return g_strdup (C_("first day of month", "1"));

  return g_strdup_printf ("%d", day);
}

/*
 * A date reads alone, in a heading or a label ("19 September 2023"), or in a
 * sentence, after a preposition ("from 19 September 2023", "between … and …").
 * Some languages add an article in a sentence (French "le 19 septembre 2023",
 * "les années 1990"), so every part of a date that may stand in a sentence has
 * a second message, in a context ending "in a sentence", that English
 * translates as it reads alone. Prepositions then meet those articles; see
 * merge_words().
 */
static char *
format_day_month_year (const char *day,
                       const char *month,
                       const char *year,
                       gboolean    in_sentence)
{
  if (in_sentence)
    /* Translators: a date in a sentence, e.g. "10 November 2020" in "from
     * 10 November 2020"; add an article here if your language needs one
     * there (French "le %1$s %2$s %3$s"). The day may be a list. */
    return g_strdup_printf (C_("date in a sentence", "%1$s %2$s %3$s"), day, month, year);

  /* Translators: a date: day number, month name, year, e.g. "10 November 2020";
   * the day may be a list, "9 or 10 November 2020". Reorder with %1$s etc. */
  return g_strdup_printf (C_("date", "%1$s %2$s %3$s"), day, month, year);
}

static char *
format_month_year (const char *month,
                   const char *year,
                   gboolean    in_sentence)
{
  if (in_sentence)
    /* Translators: a month of a year in a sentence, e.g. "November 2020" in
     * "from November 2020"; the month may be a list. */
    return g_strdup_printf (C_("date in a sentence", "%1$s %2$s"), month, year);

  /* Translators: a month of a year, e.g. "November 2020"; the month may be a
   * list, "November or December 2020". */
  return g_strdup_printf (C_("date", "%1$s %2$s"), month, year);
}

/* Applies the translation's list of words that merge, "written=said" pairs
 * separated by "|", pair by pair, wherever a word of @text starts with the
 * written form: French makes "du" of "de le", "d’avril" of "de avril".
 * Takes @text and returns the text to use instead. */
static char *
merge_words (char *text)
{
  /* Translators: words that merge where a date meets the words around it in a
   * sentence, as "written=said" pairs separated by "|", applied in order to
   * what starts a word; e.g. French "de le =du |à le =au |de a=d’a".
   * Keep "-" if your language merges none. */
  const char *rules = C_("merged words", "-");
  g_auto (GStrv) pairs = NULL;

  if (strchr (rules, '=') == NULL)
    return text;

  pairs = g_strsplit (rules, "|", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *equals = strchr (pairs[i], '=');
      g_autofree char *written = NULL;
      GString *out;
      const char *p, *match;
      gsize length;

      if (equals == NULL || equals == pairs[i])
        continue;

      written = g_strndup (pairs[i], equals - pairs[i]);
      length = strlen (written);
      out = g_string_sized_new (strlen (text));
      for (p = text; (match = strstr (p, written)) != NULL; p = match + length)
        {
          gboolean starts_word = match == text ||
                                 !g_unichar_isalnum (g_utf8_get_char (g_utf8_find_prev_char (text, match)));

          g_string_append_len (out, p, match - p);
          g_string_append (out, starts_word ? equals + 1 : written);
        }
      g_string_append (out, p);

      g_free (text);
      text = g_string_free (out, FALSE);
    }

  return text;
}

/* Deep time reads as "years ago": at these sizes the two thousand years
 * between 1 BCE and today are far below the three digits shown. */
static char *
format_years_ago (gint64 years)
{
  double value = (double) years / 1e6;
  g_autofree char *number = NULL;

  if (value >= 999.5)
    {
      number = g_strdup_printf ("%.3g", value / 1000);
      /* Translators: deep time, e.g. "13.8 billion years ago". */
      return g_strdup_printf (C_("deep time", "%s billion years ago"), number);
    }

  number = g_strdup_printf ("%.3g", value);
  /* Translators: deep time, e.g. "170 million years ago". */
  return g_strdup_printf (C_("deep time", "%s million years ago"), number);
}

/* A year on its own or in a date: "2020", "500 BCE"; in deep time, when
 * @allow_ago, "13.8 billion years ago". */
static char *
format_year (gint64   year,
             gboolean allow_ago)
{
  g_autofree char *number = NULL;

  if (year >= 1)
    return g_strdup_printf ("%" G_GINT64_FORMAT, year);

  if (allow_ago && year <= -1000000)
    return format_years_ago (-year);

  number = g_strdup_printf ("%" G_GINT64_FORMAT, 1 - year);
  /* Translators: a year before the common era, e.g. "500 BCE". */
  return g_strdup_printf (C_("year", "%s BCE"), number);
}

static char *
format_year_range (gint64 first,
                   gint64 last)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  if (first >= 1)
    {
      a = format_year (first, FALSE);
      b = format_year (last, FALSE);
      /* Translators: a range of years, e.g. "1990–1999". */
      return g_strdup_printf (C_("years", "%1$s–%2$s"), a, b);
    }

  a = g_strdup_printf ("%" G_GINT64_FORMAT, 1 - first);
  if (last <= 0)
    {
      b = g_strdup_printf ("%" G_GINT64_FORMAT, 1 - last);
      /* Translators: a range of years before the common era, e.g. "200–191 BCE". */
      return g_strdup_printf (C_("years", "%1$s–%2$s BCE"), a, b);
    }

  b = g_strdup_printf ("%" G_GINT64_FORMAT, last);
  /* Translators: a range of years across the start of the common era, e.g. "1 BCE – 9 CE". */
  return g_strdup_printf (C_("years", "%1$s BCE – %2$s CE"), a, b);
}

typedef enum
{
  ORDINAL_ST,
  ORDINAL_ND,
  ORDINAL_RD,
  ORDINAL_TH,
} EnglishOrdinal;

/* English ordinals take a suffix that depends on the number, so each suffix
 * has its own messages; a language with one form repeats it in all four. */
static EnglishOrdinal
english_ordinal (gint64 number)
{
  if (number % 100 >= 11 && number % 100 <= 13)
    return ORDINAL_TH;

  switch (number % 10)
    {
    case 1: return ORDINAL_ST;
    case 2: return ORDINAL_ND;
    case 3: return ORDINAL_RD;
    default: return ORDINAL_TH;
    }
}

static char *
format_century (gint64   number,
                gboolean bce)
{
  g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, number);

  switch (english_ordinal (number))
    {
    case ORDINAL_ST:
      if (bce)
        /* Translators: %s is a number that takes "st" in English, e.g. "1st century BCE" */
        return g_strdup_printf (C_("century", "%sst century BCE"), n);
      /* Translators: %s is a number that takes "st" in English, e.g. "1st century" */
      return g_strdup_printf (C_("century", "%sst century"), n);
    case ORDINAL_ND:
      if (bce)
        /* Translators: %s is a number that takes "nd" in English, e.g. "2nd century BCE" */
        return g_strdup_printf (C_("century", "%snd century BCE"), n);
      /* Translators: %s is a number that takes "nd" in English, e.g. "2nd century" */
      return g_strdup_printf (C_("century", "%snd century"), n);
    case ORDINAL_RD:
      if (bce)
        /* Translators: %s is a number that takes "rd" in English, e.g. "3rd century BCE" */
        return g_strdup_printf (C_("century", "%srd century BCE"), n);
      /* Translators: %s is a number that takes "rd" in English, e.g. "3rd century" */
      return g_strdup_printf (C_("century", "%srd century"), n);
    case ORDINAL_TH:
      if (bce)
        /* Translators: %s is a number that takes "th" in English, e.g. "20th century BCE" */
        return g_strdup_printf (C_("century", "%sth century BCE"), n);
      /* Translators: %s is a number that takes "th" in English, e.g. "20th century" */
      return g_strdup_printf (C_("century", "%sth century"), n);
    default:
      g_assert_not_reached ();
    }
}

static char *
format_millennium (gint64   number,
                   gboolean bce)
{
  g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, number);

  switch (english_ordinal (number))
    {
    case ORDINAL_ST:
      if (bce)
        /* Translators: %s is a number that takes "st" in English, e.g. "1st millennium BCE" */
        return g_strdup_printf (C_("millennium", "%sst millennium BCE"), n);
      /* Translators: %s is a number that takes "st" in English, e.g. "1st millennium" */
      return g_strdup_printf (C_("millennium", "%sst millennium"), n);
    case ORDINAL_ND:
      if (bce)
        /* Translators: %s is a number that takes "nd" in English, e.g. "2nd millennium BCE" */
        return g_strdup_printf (C_("millennium", "%snd millennium BCE"), n);
      /* Translators: %s is a number that takes "nd" in English, e.g. "2nd millennium" */
      return g_strdup_printf (C_("millennium", "%snd millennium"), n);
    case ORDINAL_RD:
      if (bce)
        /* Translators: %s is a number that takes "rd" in English, e.g. "3rd millennium BCE" */
        return g_strdup_printf (C_("millennium", "%srd millennium BCE"), n);
      /* Translators: %s is a number that takes "rd" in English, e.g. "3rd millennium" */
      return g_strdup_printf (C_("millennium", "%srd millennium"), n);
    case ORDINAL_TH:
      if (bce)
        /* Translators: %s is a number that takes "th" in English, e.g. "20th millennium BCE" */
        return g_strdup_printf (C_("millennium", "%sth millennium BCE"), n);
      /* Translators: %s is a number that takes "th" in English, e.g. "20th millennium" */
      return g_strdup_printf (C_("millennium", "%sth millennium"), n);
    default:
      g_assert_not_reached ();
    }
}

static char *
format_season (int         season,
               const char *year)
{
  switch (season)
    {
    /* Translators: %s is a year: "spring 2023" */
    case 21: return g_strdup_printf (C_("season", "spring %s"), year);
    /* Translators: %s is a year: "summer 2023" */
    case 22: return g_strdup_printf (C_("season", "summer %s"), year);
    /* Translators: %s is a year: "autumn 2023" */
    case 23: return g_strdup_printf (C_("season", "autumn %s"), year);
    /* Translators: %s is a year: "winter 2023, from December into February" */
    case 24: return g_strdup_printf (C_("season", "winter %s"), year);
    /* Translators: %s is a year: "spring 2023 (Northern Hemisphere)" */
    case 25: return g_strdup_printf (C_("season", "spring %s (Northern Hemisphere)"), year);
    /* Translators: %s is a year: "summer 2023 (Northern Hemisphere)" */
    case 26: return g_strdup_printf (C_("season", "summer %s (Northern Hemisphere)"), year);
    /* Translators: %s is a year: "autumn 2023 (Northern Hemisphere)" */
    case 27: return g_strdup_printf (C_("season", "autumn %s (Northern Hemisphere)"), year);
    /* Translators: %s is a year: "winter 2023 (Northern Hemisphere)" */
    case 28: return g_strdup_printf (C_("season", "winter %s (Northern Hemisphere)"), year);
    /* Translators: %s is a year: "spring 2023 (Southern Hemisphere)" */
    case 29: return g_strdup_printf (C_("season", "spring %s (Southern Hemisphere)"), year);
    /* Translators: %s is a year: "summer 2023 (Southern Hemisphere)" */
    case 30: return g_strdup_printf (C_("season", "summer %s (Southern Hemisphere)"), year);
    /* Translators: %s is a year: "autumn 2023 (Southern Hemisphere)" */
    case 31: return g_strdup_printf (C_("season", "autumn %s (Southern Hemisphere)"), year);
    /* Translators: %s is a year: "winter 2023 (Southern Hemisphere)" */
    case 32: return g_strdup_printf (C_("season", "winter %s (Southern Hemisphere)"), year);
    /* Translators: %s is a year: "first quarter of 2023" */
    case 33: return g_strdup_printf (C_("season", "first quarter of %s"), year);
    /* Translators: %s is a year: "second quarter of 2023" */
    case 34: return g_strdup_printf (C_("season", "second quarter of %s"), year);
    /* Translators: %s is a year: "third quarter of 2023" */
    case 35: return g_strdup_printf (C_("season", "third quarter of %s"), year);
    /* Translators: %s is a year: "fourth quarter of 2023" */
    case 36: return g_strdup_printf (C_("season", "fourth quarter of %s"), year);
    /* Four-month periods have no everyday name: their months say it best. */
    /* Translators: %s is a year: "January–April 2023" */
    case 37: return g_strdup_printf (C_("season", "January–April %s"), year);
    /* Translators: %s is a year: "May–August 2023" */
    case 38: return g_strdup_printf (C_("season", "May–August %s"), year);
    /* Translators: %s is a year: "September–December 2023" */
    case 39: return g_strdup_printf (C_("season", "September–December %s"), year);
    /* Translators: %s is a year: "first half of 2023" */
    case 40: return g_strdup_printf (C_("season", "first half of %s"), year);
    /* Translators: %s is a year: "second half of 2023" */
    case 41: return g_strdup_printf (C_("season", "second half of %s"), year);
    default: g_assert_not_reached ();
    }
}

/* Parts */

static MonthGroup
month_group (int season)
{
  switch (season)
    {
    case 21: case 25: case 31: return (MonthGroup) { 3, 5, 3 };
    case 22: case 26: case 32: return (MonthGroup) { 6, 8, 3 };
    case 23: case 27: case 29: return (MonthGroup) { 9, 11, 3 };
    /* Winter runs into the next year. python-edtf keeps only December (so its
     * vector for 2010-24 differs from ours); a winter that loses January and
     * February would drop the events people most expect in it. */
    case 24: case 28: case 30: return (MonthGroup) { 12, 2, 3 };
    case 33: return (MonthGroup) { 1, 3, 3 };
    case 34: return (MonthGroup) { 4, 6, 3 };
    case 35: return (MonthGroup) { 7, 9, 3 };
    case 36: return (MonthGroup) { 10, 12, 3 };
    case 37: return (MonthGroup) { 1, 4, 4 };
    case 38: return (MonthGroup) { 5, 8, 4 };
    case 39: return (MonthGroup) { 9, 12, 4 };
    case 40: return (MonthGroup) { 1, 6, 6 };
    case 41: return (MonthGroup) { 7, 12, 6 };
    default: g_assert_not_reached ();
    }
}

static gboolean
has_x (const char *digits)
{
  return strchr (digits, 'X') != NULL;
}

static gboolean
all_x (const char *digits)
{
  return digits[0] != '\0' && strspn (digits, "X") == strlen (digits);
}

/* Whether the two-character pattern (digits and X) can be written as @value. */
static gboolean
pattern_matches (const char *pattern,
                 int         value)
{
  char digits[3] = { '0' + value / 10, '0' + value % 10, '\0' };

  for (guint i = 0; i < 2; i++)
    if (pattern[i] != 'X' && pattern[i] != digits[i])
      return FALSE;

  return TRUE;
}

static int
pattern_value (const char *pattern)
{
  return (pattern[0] - '0') * 10 + (pattern[1] - '0');
}

/* The number of year digits from the first X to the end: 1 for "199X", 2 for
 * "19XX"; the year's unit is ten to that power. 0 without X. */
static guint
year_x_width (const Part *self)
{
  const char *x = strchr (self->year_digits, 'X');

  return x != NULL ? (guint) strlen (x) : 0;
}

static gint64
power_of_ten (guint exponent)
{
  gint64 result = 1;

  while (exponent-- > 0)
    result *= 10;

  return result;
}

/* The year written with the unknown digits of @self->year_digits replaced, in
 * order, by the digits of @fill (which has one digit per X). */
static gint64
year_from_pattern (const Part *self,
                   guint       fill)
{
  guint n_x = 0;
  gint64 magnitude = 0;

  for (const char *c = self->year_digits; *c != '\0'; c++)
    if (*c == 'X')
      n_x++;

  for (const char *c = self->year_digits; *c != '\0'; c++)
    {
      int digit;

      if (*c == 'X')
        digit = (int) (fill / (guint) power_of_ten (--n_x) % 10);
      else
        digit = *c - '0';
      magnitude = magnitude * 10 + digit;
    }

  return self->negative ? -magnitude : magnitude;
}

/* The first (or last) day of one year that the month and day patterns allow. */
static gboolean
find_day_in_year (const Part *self,
                  gint64      year,
                  gboolean    last,
                  ChronoDay  *out)
{
  if (self->season != 0)
    {
      MonthGroup group = month_group (self->season);

      if (!last)
        *out = day_from_ymd_unchecked (year, group.first_month, 1);
      else
        {
          gint64 end_year = group.last_month < group.first_month ? year + 1 : year;

          if (end_year > CHRONO_YEAR_MAX)
            return FALSE;
          *out = day_from_ymd_unchecked (end_year, group.last_month,
                                         chrono_days_in_month (end_year, group.last_month));
        }
      return TRUE;
    }

  if (self->month[0] == '\0')
    {
      *out = last ? day_from_ymd_unchecked (year, 12, 31) : day_from_ymd_unchecked (year, 1, 1);
      return TRUE;
    }

  for (int i = 0; i < 12; i++)
    {
      int month = last ? 12 - i : 1 + i;
      int n_days = chrono_days_in_month (year, month);

      if (!pattern_matches (self->month, month))
        continue;

      if (self->day[0] == '\0')
        {
          *out = day_from_ymd_unchecked (year, month, last ? n_days : 1);
          return TRUE;
        }

      for (int j = 0; j < n_days; j++)
        {
          int day = last ? n_days - j : 1 + j;

          if (pattern_matches (self->day, day))
            {
              *out = day_from_ymd_unchecked (year, month, day);
              return TRUE;
            }
        }
    }

  return FALSE;
}

/*
 * The first (or last) day that the part can stand for. Unknown digits make a
 * set of candidate years (at most 10000: four X); they are tried from the
 * earliest (latest) on, and the first year that has a matching day wins.
 */
static gboolean
find_extreme_day (const Part *self,
                  gboolean    last,
                  ChronoDay  *out)
{
  guint n_x = 0;
  guint n_years;

  for (const char *c = self->year_digits; *c != '\0'; c++)
    if (*c == 'X')
      n_x++;
  n_years = (guint) power_of_ten (n_x);

  for (guint step = 0; step < n_years; step++)
    {
      /* Negative years grow earlier as their digits grow. */
      guint fill = (last != self->negative) ? n_years - 1 - step : step;

      if (find_day_in_year (self, year_from_pattern (self, fill), last, out))
        return TRUE;
    }

  return FALSE;
}

static int
multiplier (const Part *self,
            Component   component)
{
  if (self->uncertain[component] && self->approximate[component])
    return 2;
  if (self->uncertain[component] || self->approximate[component])
    return 1;
  return 0;
}

static gboolean
part_is_uncertain (const Part *self)
{
  return self->uncertain[COMPONENT_YEAR] || self->uncertain[COMPONENT_MONTH] || self->uncertain[COMPONENT_DAY];
}

static gboolean
part_is_approximate (const Part *self)
{
  return self->approximate[COMPONENT_YEAR] || self->approximate[COMPONENT_MONTH] || self->approximate[COMPONENT_DAY];
}

/* A date with nothing unknown or estimated about it. */
static gboolean
part_is_plain (const Part *self)
{
  return self->kind == PART_DATE &&
         !self->long_year &&
         self->significant == 0 &&
         !part_is_uncertain (self) &&
         !part_is_approximate (self) &&
         !has_x (self->year_digits) &&
         !has_x (self->month) &&
         !has_x (self->day);
}

static ChronoPrecision
part_precision (const Part *self)
{
  if (self->long_year)
    return CHRONO_PRECISION_DEEP;

  switch (year_x_width (self))
    {
    case 0: break;
    case 1: return CHRONO_PRECISION_DECADE;
    case 2: return CHRONO_PRECISION_CENTURY;
    case 3: return CHRONO_PRECISION_MILLENNIUM;
    default: return CHRONO_PRECISION_DEEP;
    }

  if (self->season >= 37)
    return self->season >= 40 ? CHRONO_PRECISION_HALF_YEAR : CHRONO_PRECISION_QUADRIMESTER;
  if (self->season >= 33)
    return CHRONO_PRECISION_QUARTER;
  if (self->season != 0)
    return CHRONO_PRECISION_SEASON;
  if (self->month[0] == '\0' || has_x (self->month))
    return CHRONO_PRECISION_YEAR;
  if (self->day[0] == '\0' || has_x (self->day))
    return CHRONO_PRECISION_MONTH;
  return CHRONO_PRECISION_DAY;
}

/* The years whose leading @significant digits, of @n_digits written, are
 * those of @year: 1950S2 stands for 1900 to 1999. */
static void
significant_years (gint64  year,
                   guint   n_digits,
                   int     significant,
                   gint64 *first,
                   gint64 *last)
{
  gint64 magnitude = ABS (year);
  gint64 unit = power_of_ten (n_digits - (guint) significant);
  gint64 low = magnitude / unit * unit;
  gint64 high = MIN (low + unit - 1, CHRONO_YEAR_MAX);

  *first = year < 0 ? -high : low;
  *last = year < 0 ? -low : high;
}

/* Fills the bounds of a parsed date part; FALSE if no day matches it. */
static gboolean
part_compute (Part *self)
{
  gint64 years, months, days;

  g_assert (self->kind == PART_DATE);

  self->precision = part_precision (self);

  if (self->long_year)
    {
      self->earliest = day_from_ymd_unchecked (self->year, 1, 1);
      self->latest = day_from_ymd_unchecked (self->year, 12, 31);
    }
  else if (!find_extreme_day (self, FALSE, &self->earliest) ||
           !find_extreme_day (self, TRUE, &self->latest))
    return FALSE;

  if (self->significant != 0)
    {
      gint64 first, last;

      significant_years (self->long_year ? self->year : year_from_pattern (self, 0),
                         (guint) strlen (self->year_digits), self->significant, &first, &last);
      self->earliest_fuzzy = day_from_ymd_unchecked (first, 1, 1);
      self->latest_fuzzy = day_from_ymd_unchecked (last, 12, 31);
      return TRUE;
    }

  /* ? and ~ widen each qualified component by one of its units, % by two;
   * a year with unknown digits has the unit they span (16XX~: a century). */
  years = multiplier (self, COMPONENT_YEAR) * power_of_ten (year_x_width (self));
  months = multiplier (self, COMPONENT_MONTH) * (self->season != 0 ? month_group (self->season).length : 1);
  days = multiplier (self, COMPONENT_DAY);

  self->earliest_fuzzy = shift_day (self->earliest, -1, years, months, days);
  self->latest_fuzzy = shift_day (self->latest, 1, years, months, days);

  return TRUE;
}

/* Parsing */

/* The input as it can be shown in a message: control characters escaped, and
 * cut short when long. */
static char *
quote_for_message (const char *text)
{
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *c = text; *c != '\0'; c = g_utf8_next_char (c), n++)
    {
      gunichar ch = g_utf8_get_char (c);

      if (n == QUOTE_MAX_CHARS)
        {
          g_string_append (out, "…");
          break;
        }
      if (g_unichar_iscntrl (ch))
        g_string_append_printf (out, "\\x%02x", ch);
      else
        g_string_append_unichar (out, ch);
    }

  return g_string_free (out, FALSE);
}

static gboolean parser_fail (Parser          *parser,
                             const char      *at,
                             ChronoDateError  code,
                             const char      *format,
                             ...) G_GNUC_PRINTF (4, 5);

/* Sets the error: which text, at which character (counted from 1), and why. */
static gboolean
parser_fail (Parser          *parser,
             const char      *at,
             ChronoDateError  code,
             const char      *format,
             ...)
{
  g_autofree char *reason = NULL;
  g_autofree char *shown = quote_for_message (parser->text);
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (parser->error, CHRONO_DATE_ERROR, code,
               /* Translators: an error in a date someone typed or imported: the
                * text, the position of the faulty character, what is wrong. */
               C_("date error", "“%1$s”, character %2$ld: %3$s"),
               shown, g_utf8_pointer_to_offset (parser->text, at) + 1, reason);

  return FALSE;
}

/* The character at @at, for messages; "the end" when there is none. */
static char *
describe_char (const char *at)
{
  gunichar ch = g_utf8_get_char (at);

  if (ch == 0)
    /* Translators: found at the end of a date, as in "expected a month but found the end of the text" */
    return g_strdup (C_("date error", "the end of the text"));
  /* Messages stay on one line. */
  if (g_unichar_iscntrl (ch))
    return g_strdup_printf ("“\\x%02x”", ch);

  return g_strdup_printf ("“%.*s”", (int) (g_utf8_next_char (at) - at), at);
}

static gboolean
fail_unexpected (Parser     *parser,
                 const char *expected)
{
  g_autofree char *found = describe_char (parser->p);

  return parser_fail (parser, parser->p, CHRONO_DATE_ERROR_SYNTAX,
                      /* Translators: what a date needs at a place (%1$s, one of the
                       * messages in context "date error: expected …") and what is
                       * there: "expected a month (01–12) or a season (21–41) but found “x”" */
                      C_("date error", "expected %1$s but found %2$s"), expected, found);
}

static gboolean
fail_parentheses (Parser *parser)
{
  return parser_fail (parser, parser->p, CHRONO_DATE_ERROR_SYNTAX, "%s",
                      /* xgettext:no-c-format */
                      C_("date error", "parentheses are not part of EDTF since 2019: put ?, ~ or % "
                                       "before the part it qualifies, as in “2004-?06-11”"));
}

static gboolean
is_qualifier (char c)
{
  return c == '?' || c == '~' || c == '%';
}

static void
qualify (Part      *self,
         char       qualifier,
         Component  first,
         Component  last)
{
  for (int c = first; c <= (int) last; c++)
    {
      if (qualifier == '?' || qualifier == '%')
        self->uncertain[c] = TRUE;
      if (qualifier == '~' || qualifier == '%')
        self->approximate[c] = TRUE;
    }
}

/* Reads an optional ?, ~ or %; *qualifier is 0 when there is none. */
static gboolean
parse_qualifier (Parser *parser,
                 char   *qualifier)
{
  *qualifier = 0;
  if (!is_qualifier (*parser->p))
    return TRUE;

  if (is_qualifier (parser->p[1]))
    return parser_fail (parser, parser->p + 1, CHRONO_DATE_ERROR_SYNTAX, "%s",
                        /* xgettext:no-c-format */
                        C_("date error", "write one qualifier: “%” stands for uncertain (?) and approximate (~) at once"));

  *qualifier = *parser->p++;
  return TRUE;
}

/* Reads exactly two digits or X into @out, for a month or a day. */
static gboolean
parse_two (Parser     *parser,
           char        out[3],
           const char *expected)
{
  const char *p = parser->p;

  if (*p == '(')
    return fail_parentheses (parser);

  for (int i = 0; i < 2; i++)
    if (!g_ascii_isdigit (p[i]) && p[i] != 'X')
      {
        parser->p = p + i;
        return fail_unexpected (parser, expected);
      }

  if (g_ascii_isdigit (p[2]) || p[2] == 'X')
    {
      parser->p = p + 2;
      return fail_unexpected (parser, expected);
    }

  out[0] = p[0];
  out[1] = p[1];
  out[2] = '\0';
  parser->p = p + 2;
  return TRUE;
}

/* "Y170000002", "Y-17E7", "Y171010000S3": years beyond four digits. */
static gboolean
parse_long_year (Parser *parser,
                 Part   *part)
{
  const char *digits, *at;
  gint64 magnitude = 0;
  guint n_digits;

  parser->p++; /* Y */
  if (*parser->p == '-')
    {
      part->negative = TRUE;
      parser->p++;
    }

  digits = parser->p;
  n_digits = (guint) strspn (digits, "0123456789");
  if (n_digits == 0)
    return fail_unexpected (parser, C_("date error: expected …", "the digits of a year after “Y”, as in “Y170000002”"));

  /* Twelve digits reach the largest supported year; more cannot fit. */
  if (n_digits > 12)
    return parser_fail (parser, digits, CHRONO_DATE_ERROR_UNSUPPORTED, "%s",
                        C_("date error", "years beyond a hundred billion are not supported"));

  for (guint i = 0; i < n_digits; i++)
    magnitude = magnitude * 10 + (digits[i] - '0');
  parser->p += n_digits;

  if (*parser->p == 'E')
    {
      guint exponent;

      at = ++parser->p;
      exponent = (guint) strspn (at, "0123456789");
      if (exponent == 0)
        return fail_unexpected (parser, C_("date error: expected …", "the digits of an exponent, as in “Y17E7”"));
      parser->p += exponent;

      /* Any exponent past 11 overflows the supported years (or is 0E…). */
      exponent = exponent > 2 ? 99 : (guint) g_ascii_strtoull (at, NULL, 10);
      for (; exponent > 0 && magnitude != 0; exponent--)
        {
          if (magnitude > CHRONO_YEAR_MAX / 10)
            return parser_fail (parser, digits, CHRONO_DATE_ERROR_UNSUPPORTED, "%s",
                                C_("date error", "years beyond a hundred billion are not supported"));
          magnitude *= 10;
        }
    }

  if (magnitude > CHRONO_YEAR_MAX)
    return parser_fail (parser, digits, CHRONO_DATE_ERROR_UNSUPPORTED, "%s",
                        C_("date error", "years beyond a hundred billion are not supported"));

  if (magnitude <= 9999)
    {
      g_autofree char *plain = g_strdup_printf ("%s%04" G_GINT64_FORMAT,
                                                part->negative && magnitude != 0 ? "-" : "", magnitude);

      return parser_fail (parser, part->start, CHRONO_DATE_ERROR_SYNTAX,
                          C_("date error", "“Y” is for years of more than four digits: write “%s”"), plain);
    }

  part->long_year = TRUE;
  part->year = part->negative ? -magnitude : magnitude;
  g_snprintf (part->year_digits, sizeof part->year_digits, "%" G_GINT64_FORMAT, magnitude);

  if (*parser->p == 'S')
    {
      guint n = (guint) strlen (part->year_digits);

      at = ++parser->p;
      if (!g_ascii_isdigit (*at))
        return fail_unexpected (parser, C_("date error: expected …", "a number of significant digits, as in “1950S2”"));
      part->significant = (int) g_ascii_strtoull (at, (char **) &parser->p, 10);
      if (part->significant < 1 || (guint) part->significant > n)
        return parser_fail (parser, at, CHRONO_DATE_ERROR_INVALID_DATE,
                            C_("date error", "this year has %u digits, so 1 to %u of them can be significant"), n, n);
    }

  if (*parser->p == '-')
    return parser_fail (parser, parser->p, CHRONO_DATE_ERROR_SYNTAX, "%s",
                        C_("date error", "a year written with “Y” has no month or day"));
  if (is_qualifier (*parser->p))
    return parser_fail (parser, parser->p, CHRONO_DATE_ERROR_SYNTAX, "%s",
                        /* xgettext:no-c-format */
                        C_("date error", "a year written with “Y” cannot be qualified with ?, ~ or %"));

  return TRUE;
}

/* "T09:30:01", with an optional fraction and "Z" or "+05:00": read, checked,
 * and dropped; the day stays as written. */
static gboolean
parse_time (Parser *parser)
{
  const char *p = parser->p + 1;
  const char *expected = C_("date error: expected …", "a time of day such as “T09:30:00”, “T09:30:00Z” or “T09:30:00+05:00”");
  int limits[] = { 23, 59, 60 }; /* 60: a leap second */

  for (int i = 0; i < 3; i++)
    {
      if (i > 0)
        {
          if (*p != ':')
            goto bad;
          p++;
        }
      if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]))
        goto bad;
      if (pattern_value (p) > limits[i])
        return parser_fail (parser, p, CHRONO_DATE_ERROR_INVALID_DATE,
                            C_("date error", "“%.2s” is out of range in a time of day"), p);
      p += 2;
    }

  if (*p == '.' || *p == ',')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        goto bad;
      while (g_ascii_isdigit (*p))
        p++;
    }

  if (*p == 'Z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      p++;
      if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]))
        goto bad;
      if (pattern_value (p) > 23)
        return parser_fail (parser, p, CHRONO_DATE_ERROR_INVALID_DATE,
                            C_("date error", "“%.2s” is out of range in a time zone offset"), p);
      p += 2;
      if (*p == ':')
        {
          p++;
          if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]))
            goto bad;
          if (pattern_value (p) > 59)
            return parser_fail (parser, p, CHRONO_DATE_ERROR_INVALID_DATE,
                                C_("date error", "“%.2s” is out of range in a time zone offset"), p);
          p += 2;
        }
    }

  parser->p = p;
  return TRUE;

bad:
  parser->p = p;
  return fail_unexpected (parser, expected);
}

static gboolean
starts_date (char c)
{
  return g_ascii_isdigit (c) || c == 'X' || c == '-' || c == 'Y' || is_qualifier (c) || c == '(';
}

/* Checks a fully written month and day, to say exactly what is wrong. */
static gboolean
check_written_day (Parser     *parser,
                   const Part *part,
                   const char *day_at)
{
  gint64 year;
  int month, day, n_days;

  if (has_x (part->year_digits) || part->month[0] == '\0' || has_x (part->month) ||
      part->day[0] == '\0' || has_x (part->day))
    return TRUE;

  year = year_from_pattern (part, 0);
  month = pattern_value (part->month);
  day = pattern_value (part->day);
  n_days = chrono_days_in_month (year, month);

  if (day == 0)
    return parser_fail (parser, day_at, CHRONO_DATE_ERROR_INVALID_DATE, "%s",
                        C_("date error", "days are numbered from 01"));

  if (day > n_days)
    {
      g_autofree char *year_text = format_year (year, FALSE);
      g_autofree char *month_text = format_month_year (month_name (month), year_text, FALSE);

      return parser_fail (parser, day_at, CHRONO_DATE_ERROR_INVALID_DATE,
                          /* Translators: a month and its length: "February 2023 has 28 days" */
                          g_dngettext (GETTEXT_PACKAGE, "%s has %d day", "%s has %d days", n_days),
                          month_text, n_days);
    }

  return TRUE;
}

/* One date: "2020-11-10", "?2004-%06", "156X-12-25", "2001-21", "1950S2",
 * "Y-17E7", "2004-01-01T10:10:10Z". */
static gboolean
parse_date (Parser *parser,
            Part   *part)
{
  const char *year_at, *month_at = NULL, *day_at = NULL;
  char qualifier;
  guint n;

  memset (part, 0, sizeof *part);
  part->kind = PART_DATE;
  part->start = parser->p;

  if (*parser->p == 'Y')
    return parse_long_year (parser, part) && part_compute (part);

  if (*parser->p == '(')
    return fail_parentheses (parser);

  /* A qualifier to the left of a component applies to it alone; one to its
   * right applies to it and to every component before it (EDTF level 2). */
  if (!parse_qualifier (parser, &qualifier))
    return FALSE;
  qualify (part, qualifier, COMPONENT_YEAR, COMPONENT_YEAR);

  if (*parser->p == '(')
    return fail_parentheses (parser);

  year_at = parser->p;
  if (*parser->p == '-')
    {
      part->negative = TRUE;
      parser->p++;
    }

  n = (guint) strspn (parser->p, "0123456789X");
  if (n < 4)
    {
      if (n == 0)
        return fail_unexpected (parser, C_("date error: expected …", "a year of four digits, as in “2020” or “-0500”"));
      return parser_fail (parser, year_at, CHRONO_DATE_ERROR_SYNTAX, "%s",
                          C_("date error", "a year has four digits, as in “0476” or “2020”"));
    }
  if (n > 4)
    return parser_fail (parser, parser->p + 4, CHRONO_DATE_ERROR_SYNTAX, "%s",
                        C_("date error", "a year has four digits; write longer years with “Y”, as in “Y12345”"));

  memcpy (part->year_digits, parser->p, 4);
  parser->p += 4;

  if (part->negative && strcmp (part->year_digits, "0000") == 0)
    return parser_fail (parser, year_at, CHRONO_DATE_ERROR_INVALID_DATE, "%s",
                        C_("date error", "year 0 has no sign: write “0000”"));

  if (!parse_qualifier (parser, &qualifier))
    return FALSE;
  qualify (part, qualifier, COMPONENT_YEAR, COMPONENT_YEAR);

  if (*parser->p == 'S')
    {
      const char *at = ++parser->p;

      if (has_x (part->year_digits) || part_is_uncertain (part) || part_is_approximate (part))
        return parser_fail (parser, at - 1, CHRONO_DATE_ERROR_SYNTAX, "%s",
                            /* xgettext:no-c-format */
                            C_("date error", "significant digits need a year written in full, without ?, ~, % or X"));
      if (!g_ascii_isdigit (*at))
        return fail_unexpected (parser, C_("date error: expected …", "a number of significant digits, as in “1950S2”"));
      part->significant = (int) g_ascii_strtoull (at, (char **) &parser->p, 10);
      if (part->significant < 1 || part->significant > 4)
        return parser_fail (parser, at, CHRONO_DATE_ERROR_INVALID_DATE, "%s",
                            C_("date error", "a year of four digits has 1 to 4 significant digits"));
      if (*parser->p == '-')
        return parser_fail (parser, parser->p, CHRONO_DATE_ERROR_SYNTAX, "%s",
                            C_("date error", "a year with significant digits has no month or day"));
      return part_compute (part);
    }

  if (*parser->p == '-')
    {
      parser->p++;
      if (!parse_qualifier (parser, &qualifier))
        return FALSE;
      qualify (part, qualifier, COMPONENT_MONTH, COMPONENT_MONTH);

      month_at = parser->p;
      if (!parse_two (parser, part->month, C_("date error: expected …", "a month (01–12) or a season (21–41)")))
        return FALSE;

      if (!has_x (part->month))
        {
          int value = pattern_value (part->month);

          if (value >= 21 && value <= 41)
            {
              part->season = value;
              part->month[0] = '\0';
            }
          else if (value < 1 || value > 12)
            return parser_fail (parser, month_at, CHRONO_DATE_ERROR_INVALID_DATE,
                                C_("date error", "there is no month %.2s: months run from 01 to 12, seasons from 21 to 41"),
                                month_at);
        }
      else
        {
          int value;

          for (value = 1; value <= 12 && !pattern_matches (part->month, value); value++)
            ;
          if (value > 12)
            return parser_fail (parser, month_at, CHRONO_DATE_ERROR_INVALID_DATE,
                                C_("date error", "no month from 01 to 12 matches “%s”"), part->month);
        }

      if (!parse_qualifier (parser, &qualifier))
        return FALSE;
      qualify (part, qualifier, COMPONENT_YEAR, COMPONENT_MONTH);

      if (*parser->p == '-')
        {
          parser->p++;
          if (part->season != 0)
            return parser_fail (parser, parser->p - 1, CHRONO_DATE_ERROR_SYNTAX, "%s",
                                C_("date error", "a season has no day"));

          if (!parse_qualifier (parser, &qualifier))
            return FALSE;
          qualify (part, qualifier, COMPONENT_DAY, COMPONENT_DAY);

          day_at = parser->p;
          if (!parse_two (parser, part->day, C_("date error: expected …", "a day of two digits, 01–31")))
            return FALSE;

          if (!parse_qualifier (parser, &qualifier))
            return FALSE;
          qualify (part, qualifier, COMPONENT_YEAR, COMPONENT_DAY);

          if (!check_written_day (parser, part, day_at))
            return FALSE;
        }
      else if (*parser->p == '(')
        return fail_parentheses (parser);
    }

  if (*parser->p == 'T')
    {
      if (part->day[0] == '\0' || has_x (part->year_digits) || has_x (part->month) ||
          has_x (part->day) || part_is_uncertain (part) || part_is_approximate (part))
        return parser_fail (parser, parser->p, CHRONO_DATE_ERROR_SYNTAX, "%s",
                            /* xgettext:no-c-format */
                            C_("date error", "a time of day needs a complete date before it, without ?, ~, % or X"));
      if (!parse_time (parser))
        return FALSE;
    }

  if (*parser->p == '(')
    return fail_parentheses (parser);

  if (!part_compute (part))
    {
      g_autofree char *written = g_strndup (part->start, parser->p - part->start);

      return parser_fail (parser, day_at ? day_at : month_at ? month_at : year_at,
                          CHRONO_DATE_ERROR_INVALID_DATE,
                          C_("date error", "no day of the calendar matches “%s”"), written);
    }

  return TRUE;
}

static gboolean
check_order (Parser     *parser,
             const Part *first,
             const Part *last)
{
  if (first->kind != PART_DATE || last->kind != PART_DATE || first->earliest <= last->latest)
    return TRUE;

  return parser_fail (parser, last->start, CHRONO_DATE_ERROR_INVALID_DATE, "%s",
                      C_("date error", "this end comes before the start"));
}

static void
skip_spaces (Parser *parser)
{
  while (*parser->p == ' ')
    parser->p++;
}

/* "[1667, 1668, 1670..1672]", "[..1760-12-03]", "{1960, 1961-12}" */
static gboolean
parse_set (Parser     *parser,
           ChronoEdtf *self)
{
  char close = *parser->p == '[' ? ']' : '}';
  g_autoptr (GArray) members = g_array_new (FALSE, TRUE, sizeof (Member));
  gboolean open_last = FALSE;
  gsize n_members;

  self->kind = close == ']' ? EDTF_ONE_OF : EDTF_ALL_OF;
  parser->p++;

  for (;;)
    {
      Member member = { 0 };

      skip_spaces (parser);

      if (open_last)
        return parser_fail (parser, parser->p, CHRONO_DATE_ERROR_SYNTAX, "%s",
                            C_("date error", "“..” after a date can only end the last member of a set"));

      if (parser->p[0] == '.' && parser->p[1] == '.')
        {
          if (members->len > 0)
            return parser_fail (parser, parser->p, CHRONO_DATE_ERROR_SYNTAX, "%s",
                                C_("date error", "“..” before a date can only open the first member of a set"));
          member.first.kind = PART_OPEN;
          member.first.start = parser->p;
          member.is_range = TRUE;
          parser->p += 2;
          if (!parse_date (parser, &member.last))
            return FALSE;
        }
      else
        {
          if (*parser->p == close && members->len == 0)
            return parser_fail (parser, parser->p, CHRONO_DATE_ERROR_SYNTAX, "%s",
                                C_("date error", "a set needs at least one date"));
          if (!starts_date (*parser->p))
            return fail_unexpected (parser, C_("date error: expected …", "a date, as in “2020-11-10”"));
          if (!parse_date (parser, &member.first))
            return FALSE;

          if (parser->p[0] == '.' && parser->p[1] == '.')
            {
              parser->p += 2;
              member.is_range = TRUE;
              if (starts_date (*parser->p))
                {
                  if (!parse_date (parser, &member.last))
                    return FALSE;
                  if (!check_order (parser, &member.first, &member.last))
                    return FALSE;
                }
              else
                {
                  member.last.kind = PART_OPEN;
                  member.last.start = parser->p;
                  open_last = TRUE;
                }
            }
        }

      g_array_append_val (members, member);

      skip_spaces (parser);
      if (*parser->p == ',')
        {
          parser->p++;
          continue;
        }
      if (*parser->p == close)
        {
          parser->p++;
          break;
        }

      if (close == ']')
        return fail_unexpected (parser, C_("date error: expected …", "“,” or “]”"));
      return fail_unexpected (parser, C_("date error: expected …", "“,” or “}”"));
    }

  self->members = g_array_steal (members, &n_members);
  self->n_members = (guint) n_members;
  return TRUE;
}

/* "1964/2008", "../2006", "2004-06-01/", or a single date. */
static gboolean
parse_interval_or_date (Parser     *parser,
                        ChronoEdtf *self)
{
  Member member = { 0 };

  if (parser->p[0] == '.' && parser->p[1] == '.')
    {
      member.first.kind = PART_OPEN;
      member.first.start = parser->p;
      parser->p += 2;
      if (*parser->p != '/')
        return parser_fail (parser, member.first.start, CHRONO_DATE_ERROR_SYNTAX, "%s",
                            C_("date error", "“..” stands for an open end of an interval, as in “../2006”, or of a set"));
    }
  else if (*parser->p == '/')
    {
      member.first.kind = PART_UNKNOWN;
      member.first.start = parser->p;
    }
  else if (!parse_date (parser, &member.first))
    return FALSE;

  if (*parser->p == '/')
    {
      member.is_range = TRUE;
      parser->p++;
      member.last.start = parser->p;

      if (*parser->p == '\0')
        member.last.kind = PART_UNKNOWN;
      else if (parser->p[0] == '.' && parser->p[1] == '.')
        {
          member.last.kind = PART_OPEN;
          parser->p += 2;
        }
      else if (!parse_date (parser, &member.last))
        return FALSE;

      if (member.first.kind != PART_DATE && member.last.kind != PART_DATE)
        return parser_fail (parser, member.last.start, CHRONO_DATE_ERROR_SYNTAX, "%s",
                            C_("date error", "an interval needs a date at one end at least"));
      if (!check_order (parser, &member.first, &member.last))
        return FALSE;
    }

  self->kind = member.is_range ? EDTF_INTERVAL : EDTF_DATE;
  self->n_members = 1;
  self->members = g_memdup2 (&member, sizeof member);
  return TRUE;
}

/* The bounds and flags of the whole expression, from its parts. */
static void
edtf_compute (ChronoEdtf *self)
{
  gboolean first = TRUE;

  self->earliest = self->earliest_fuzzy = CHRONO_DAY_POSITIVE_INFINITY;
  self->latest = self->latest_fuzzy = CHRONO_DAY_NEGATIVE_INFINITY;
  self->precision = CHRONO_PRECISION_DAY;

  for (guint i = 0; i < self->n_members; i++)
    {
      const Member *member = &self->members[i];
      const Part *lo = &member->first;
      const Part *hi = member->is_range ? &member->last : &member->first;
      ChronoDay earliest, latest, earliest_fuzzy, latest_fuzzy;
      const Part *parts[] = { lo, hi };

      switch (lo->kind)
        {
        case PART_OPEN:
          earliest = earliest_fuzzy = CHRONO_DAY_NEGATIVE_INFINITY;
          break;
        case PART_UNKNOWN:
          earliest = earliest_fuzzy = shift_day (hi->latest, -1, UNKNOWN_END_YEARS, 0, 0);
          break;
        case PART_DATE:
        default:
          earliest = lo->earliest;
          earliest_fuzzy = lo->earliest_fuzzy;
          break;
        }

      switch (hi->kind)
        {
        case PART_OPEN:
          latest = latest_fuzzy = CHRONO_DAY_POSITIVE_INFINITY;
          break;
        case PART_UNKNOWN:
          latest = latest_fuzzy = shift_day (lo->earliest, 1, UNKNOWN_END_YEARS, 0, 0);
          break;
        case PART_DATE:
        default:
          latest = hi->latest;
          latest_fuzzy = hi->latest_fuzzy;
          break;
        }

      self->earliest = MIN (self->earliest, earliest);
      self->latest = MAX (self->latest, latest);
      self->earliest_fuzzy = MIN (self->earliest_fuzzy, earliest_fuzzy);
      self->latest_fuzzy = MAX (self->latest_fuzzy, latest_fuzzy);

      for (guint j = 0; j < G_N_ELEMENTS (parts); j++)
        {
          if (parts[j]->kind != PART_DATE)
            continue;
          self->uncertain |= part_is_uncertain (parts[j]);
          self->approximate |= part_is_approximate (parts[j]);
          self->precision = first ? parts[j]->precision : MAX (self->precision, parts[j]->precision);
          first = FALSE;
        }
    }
}

static void
edtf_clear (ChronoEdtf *self)
{
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->members, g_free);
}

/* Formatting parts */

/* "2020", "1990s", "20th century", "2nd century BCE", "13.8 billion years ago" */
static char *
format_part_year (const Part *self,
                  gboolean    in_sentence)
{
  g_autofree char *ordinal = NULL;
  guint width;
  gint64 base, number;

  if (self->long_year)
    return format_year (self->year, TRUE);

  width = year_x_width (self);
  base = year_from_pattern (self, 0);
  if (width == 0)
    return format_year (base, TRUE);

  /* Only trailing X make a decade, century or millennium. */
  if (strspn (self->year_digits + 4 - width, "X") != width)
    return g_strdup_printf ("%s%s", self->negative ? "-" : "", self->year_digits);

  number = ABS (base) / power_of_ten (width) + 1;
  switch (width)
    {
    case 1:
      if (base >= 1)
        {
          g_autofree char *year = format_year (base, FALSE);

          if (in_sentence)
            /* Translators: a decade in a sentence, e.g. "the 1990s" in "from
             * the 1990s" (French "les années %s"). */
            return g_strdup_printf (C_("decade in a sentence", "the %ss"), year);

          /* Translators: a decade, e.g. "the 1990s", as a heading or a label. */
          return g_strdup_printf (C_("decade", "the %ss"), year);
        }
      /* Astronomical decades do not fall on BCE decades: give the years. */
      return format_year_range (year_from_pattern (self, self->negative ? 9 : 0),
                                year_from_pattern (self, self->negative ? 0 : 9));
    case 2:
    case 3:
      /* 19XX is the 20th century, -01XX (200 to 101 BCE) the 2nd century BCE. */
      ordinal = width == 2 ? format_century (number, self->negative)
                           : format_millennium (number, self->negative);
      if (in_sentence)
        /* Translators: a century or millennium in a sentence, e.g. "20th
         * century" in "from 20th century" (French "le %s"). */
        return g_strdup_printf (C_("century in a sentence", "%s"), ordinal);
      return g_steal_pointer (&ordinal);
    default:
      /* Translators: the year of "XXXX", whose every digit is unknown */
      return g_strdup (C_("year", "an unknown year"));
    }
}

static char *
format_day (ChronoDay day,
            gboolean  in_sentence)
{
  g_autofree char *year_text = NULL;
  g_autofree char *day_text = NULL;
  gint64 year;
  int month, dom;

  if (day == CHRONO_DAY_NEGATIVE_INFINITY)
    /* Translators: stands for a date with no lower bound */
    return g_strdup (C_("date", "the distant past"));
  if (day == CHRONO_DAY_POSITIVE_INFINITY)
    /* Translators: stands for a date with no upper bound */
    return g_strdup (C_("date", "the distant future"));

  chrono_day_to_ymd (day, &year, &month, &dom);
  year_text = format_year (year, FALSE);
  day_text = format_day_number (dom);

  return format_day_month_year (day_text, month_name (month), year_text, in_sentence);
}

static char *
format_between (const Part *self)
{
  g_autofree char *first = format_day (self->earliest, TRUE);
  g_autofree char *last = format_day (self->latest, TRUE);

  /* Translators: a date known only to lie in a range, e.g.
   * "between 1 October 2004 and 31 December 2004" */
  return g_strdup_printf (C_("date", "between %1$s and %2$s"), first, last);
}

/* The date without its qualifiers. */
static char *
format_part_base (const Part *self,
                  gboolean    in_sentence)
{
  g_autofree char *year = NULL;
  g_autofree char *day = NULL;
  gboolean no_month, no_day;

  g_assert (self->kind == PART_DATE);

  year = format_part_year (self, in_sentence);
  if (self->season != 0)
    {
      g_autofree char *season = format_season (self->season, year);

      /* Four-month periods are named by their months, like a month. */
      if (!in_sentence || month_group (self->season).length == 4)
        return g_steal_pointer (&season);

      /* Translators: a season, quarter or half year in a sentence, e.g.
       * "spring 2023" in "from spring 2023" (French "le %s"). */
      return g_strdup_printf (C_("season in a sentence", "%s"), season);
    }

  no_month = self->month[0] == '\0' || all_x (self->month);
  no_day = self->day[0] == '\0' || all_x (self->day);

  if (no_month && no_day)
    return g_steal_pointer (&year);

  if ((has_x (self->month) && !no_month) || (has_x (self->day) && !no_day))
    return format_between (self);

  if (no_day)
    return format_month_year (month_name (pattern_value (self->month)), year, in_sentence);

  day = format_day_number (pattern_value (self->day));
  if (no_month)
    /* Translators: a day whose month is not known, e.g. "day 25 of an unknown month of 1560". */
    return g_strdup_printf (C_("date", "day %1$s of an unknown month of %2$s"), day, year);

  return format_day_month_year (day, month_name (pattern_value (self->month)), year, in_sentence);
}

static char *
format_part (const Part *self,
             gboolean    in_sentence)
{
  g_autofree char *base = NULL;
  gboolean uncertain, approximate;

  switch (self->kind)
    {
    case PART_OPEN:
      return g_strdup ("..");
    case PART_UNKNOWN:
      return g_strdup ("?");
    case PART_DATE:
    default:
      break;
    }

  base = format_part_base (self, in_sentence);
  uncertain = part_is_uncertain (self);
  /* A year given by its significant digits is an estimate. */
  approximate = part_is_approximate (self) || self->significant != 0;

  if (in_sentence && uncertain && approximate)
    /* Translators: a date both approximate and uncertain in a sentence, e.g.
     * "c. 1984?" in "from c. 1984?" (French "%s environ ?") */
    return g_strdup_printf (C_("date in a sentence", "c. %s?"), base);
  if (in_sentence && approximate)
    /* Translators: an approximate date in a sentence, e.g. "c. April 2024" in
     * "from c. April 2024" (French "%s environ") */
    return g_strdup_printf (C_("date in a sentence", "c. %s"), base);
  if (uncertain && approximate)
    /* Translators: a date both approximate ("c.", circa) and uncertain ("?"), e.g. "c. 1984?" */
    return g_strdup_printf (C_("date", "c. %s?"), base);
  if (approximate)
    /* Translators: an approximate date ("c.", circa), e.g. "c. April 2024" */
    return g_strdup_printf (C_("date", "c. %s"), base);
  if (uncertain)
    /* Translators: an uncertain date, e.g. "1984?" */
    return g_strdup_printf (C_("date", "%s?"), base);

  return g_steal_pointer (&base);
}

static gboolean
parts_equal (const Part *a,
             const Part *b)
{
  return a->kind == b->kind &&
         (a->kind != PART_DATE ||
          (a->earliest == b->earliest && a->latest == b->latest &&
           a->earliest_fuzzy == b->earliest_fuzzy && a->latest_fuzzy == b->latest_fuzzy &&
           a->precision == b->precision && a->season == b->season &&
           part_is_uncertain (a) == part_is_uncertain (b) &&
           part_is_approximate (a) == part_is_approximate (b)));
}

/* "12–19 December 2022", "November–December 2022", "2020–2023", "from 2004".
 * Both ends of an interval stand in a sentence ("from … to …" in French);
 * @in_sentence says where the whole stands, for an interval of one date. */
static char *
format_span_parts (const Part *a,
                   const Part *b,
                   gboolean    in_sentence)
{
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  if (a->kind == PART_OPEN && b->kind == PART_OPEN)
    /* Translators: an interval open at both ends */
    return g_strdup (C_("interval", "at any time"));

  if (a->kind == PART_OPEN)
    {
      last = format_part (b, TRUE);
      /* Translators: an interval with no start, e.g. "until 2006". */
      return g_strdup_printf (C_("interval", "until %s"), last);
    }

  if (b->kind == PART_OPEN)
    {
      first = format_part (a, TRUE);
      /* Translators: an interval with no end, e.g. "from 1 January 2004". */
      return g_strdup_printf (C_("interval", "from %s"), first);
    }

  if (parts_equal (a, b))
    return format_part (a, in_sentence);

  if (part_is_plain (a) && part_is_plain (b) && a->precision == b->precision)
    {
      gint64 year_a, year_b;
      int month_a, month_b, day_a, day_b;

      chrono_day_to_ymd (a->earliest, &year_a, &month_a, &day_a);
      chrono_day_to_ymd (b->earliest, &year_b, &month_b, &day_b);

      if (a->precision == CHRONO_PRECISION_DAY && year_a == year_b)
        {
          g_autofree char *year = format_year (year_a, FALSE);
          g_autofree char *d1 = format_day_number (day_a);
          g_autofree char *d2 = format_day_number (day_b);

          if (month_a == month_b)
            /* Translators: days in one month: first day, last day, month, year,
             * e.g. "12–19 December 2022". */
            return g_strdup_printf (C_("interval", "%1$s–%2$s %3$s %4$s"), d1, d2, month_name (month_a), year);

          /* Translators: days in one year: first day and month, last day and
           * month, year, e.g. "12 November – 19 December 2022". */
          return g_strdup_printf (C_("interval", "%1$s %2$s – %3$s %4$s %5$s"),
                                  d1, month_name (month_a), d2, month_name (month_b), year);
        }

      if (a->precision == CHRONO_PRECISION_MONTH && year_a == year_b)
        {
          g_autofree char *year = format_year (year_a, FALSE);

          /* Translators: months in one year, e.g. "November–December 2022". */
          return g_strdup_printf (C_("interval", "%1$s–%2$s %3$s"),
                                  month_name (month_a), month_name (month_b), year);
        }

      if (a->precision == CHRONO_PRECISION_YEAR)
        return format_year_range (year_a, year_b);
    }

  if (a->kind == PART_UNKNOWN || b->kind == PART_UNKNOWN)
    {
      first = a->kind == PART_UNKNOWN ? g_strdup ("?") : format_part (a, FALSE);
      last = b->kind == PART_UNKNOWN ? g_strdup ("?") : format_part (b, FALSE);

      /* Translators: an interval with an unknown end, written "?", e.g.
       * "12 December 2022 – ?"; the dates are as they read alone. */
      return g_strdup_printf (C_("interval with an unknown end", "%1$s – %2$s"), first, last);
    }

  first = format_part (a, TRUE);
  last = format_part (b, TRUE);

  /* Translators: an interval between two dates, e.g.
   * "12 December 2022 – 19 September 2023"; the dates are as they read in a
   * sentence (French "de %1$s à %2$s": "du 12 décembre 2022 au …"). */
  return g_strdup_printf (C_("interval", "%1$s – %2$s"), first, last);
}

static char *
join_list (GPtrArray *items,
           gboolean   one_of)
{
  g_autofree char *text = NULL;

  g_assert (items->len > 0);

  text = g_strdup (g_ptr_array_index (items, 0));
  for (guint i = 1; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);
      char *joined;

      if (i + 1 < items->len)
        /* Translators: joins items of a list but the last, e.g. "1667, 1668". */
        joined = g_strdup_printf (C_("list", "%1$s, %2$s"), text, item);
      else if (one_of)
        /* Translators: the last of a list of alternatives, e.g. "1667, 1668 or 1670". */
        joined = g_strdup_printf (C_("list", "%1$s or %2$s"), text, item);
      else
        /* Translators: the last of a list of dates that all hold, e.g. "1667, 1668 and 1670". */
        joined = g_strdup_printf (C_("list", "%1$s and %2$s"), text, item);

      g_free (text);
      text = joined;
    }

  return g_steal_pointer (&text);
}

/* "9 or 10 November 2020" rather than "9 November 2020 or 10 November 2020":
 * when every member is a plain day of one month, or a plain month of one year. */
static char *
format_set_compact (const ChronoEdtf *self,
                    gboolean          in_sentence)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *list = NULL;
  g_autofree char *year_text = NULL;
  ChronoPrecision precision = self->members[0].first.precision;
  gint64 year_0 = 0;
  int month_0 = 0;

  if (precision != CHRONO_PRECISION_DAY && precision != CHRONO_PRECISION_MONTH)
    return NULL;

  for (guint i = 0; i < self->n_members; i++)
    {
      const Part *part = &self->members[i].first;
      gint64 year;
      int month, day;

      if (self->members[i].is_range || !part_is_plain (part) || part->precision != precision)
        return NULL;

      chrono_day_to_ymd (part->earliest, &year, &month, &day);
      if (i == 0)
        {
          year_0 = year;
          month_0 = month;
        }
      else if (year != year_0 || (precision == CHRONO_PRECISION_DAY && month != month_0))
        return NULL;

      if (precision == CHRONO_PRECISION_DAY)
        g_ptr_array_add (items, format_day_number (day));
      else
        g_ptr_array_add (items, g_strdup (month_name (month)));
    }

  list = join_list (items, self->kind == EDTF_ONE_OF);
  year_text = format_year (year_0, FALSE);
  if (precision == CHRONO_PRECISION_DAY)
    return format_day_month_year (list, month_name (month_0), year_text, in_sentence);
  return format_month_year (list, year_text, in_sentence);
}

static char *
format_set (const ChronoEdtf *self,
            gboolean          in_sentence)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  gboolean one_of = self->kind == EDTF_ONE_OF;
  char *compact = format_set_compact (self, in_sentence);

  if (compact != NULL)
    return compact;

  for (guint i = 0; i < self->n_members; i++)
    {
      const Member *member = &self->members[i];
      g_autofree char *text = NULL;

      if (!member->is_range)
        g_ptr_array_add (items, format_part (&member->first, in_sentence));
      else if (member->first.kind == PART_OPEN)
        {
          text = format_part (&member->last, in_sentence);
          if (one_of)
            /* Translators: one of a set of dates, open towards the past: "3 December 1760 or earlier" */
            g_ptr_array_add (items, g_strdup_printf (C_("set", "%s or earlier"), text));
          else
            /* Translators: all of a set of dates, open towards the past: "1760 and earlier" */
            g_ptr_array_add (items, g_strdup_printf (C_("set", "%s and earlier"), text));
        }
      else if (member->last.kind == PART_OPEN)
        {
          text = format_part (&member->first, in_sentence);
          if (one_of)
            /* Translators: one of a set of dates, open towards the future: "December 1760 or later" */
            g_ptr_array_add (items, g_strdup_printf (C_("set", "%s or later"), text));
          else
            /* Translators: all of a set of dates, open towards the future: "1760 and later" */
            g_ptr_array_add (items, g_strdup_printf (C_("set", "%s and later"), text));
        }
      else if (one_of)
        {
          g_autofree char *first = format_part (&member->first, TRUE);
          g_autofree char *last = format_part (&member->last, TRUE);

          /* One day somewhere in the range, not the whole range. */
          g_ptr_array_add (items, g_strdup_printf (C_("date", "between %1$s and %2$s"), first, last));
        }
      else
        g_ptr_array_add (items, format_span_parts (&member->first, &member->last, in_sentence));
    }

  return join_list (items, one_of);
}

static char *
format_edtf (const ChronoEdtf *self,
             gboolean          in_sentence)
{
  switch (self->kind)
    {
    case EDTF_DATE:
      return format_part (&self->members[0].first, in_sentence);
    case EDTF_INTERVAL:
      return format_span_parts (&self->members[0].first, &self->members[0].last, in_sentence);
    case EDTF_ONE_OF:
    case EDTF_ALL_OF:
    default:
      return format_set (self, in_sentence);
    }
}

/* Public API */

/**
 * chrono_day_format:
 *
 * Writes @day for people in the UI language: "10 November 2020",
 * "15 March 44 BCE". The open ends read "the distant past" and "the distant
 * future".
 *
 * Returns: (transfer full): the text
 */
char *
chrono_day_format (ChronoDay day)
{
  g_return_val_if_fail (day == CHRONO_DAY_NEGATIVE_INFINITY ||
                        day == CHRONO_DAY_POSITIVE_INFINITY ||
                        day_is_finite (day), NULL);

  return format_day (day, FALSE);
}

/**
 * chrono_edtf_parse:
 * @text: an EDTF expression (levels 0 to 2 of the 2019 specification)
 *
 * Reads @text into its range of days. Errors in %CHRONO_DATE_ERROR say what
 * is wrong and at which character, in the UI language, ready for people.
 *
 * Returns: (transfer full) (nullable): the parsed date, or %NULL with @error set
 */
ChronoEdtf *
chrono_edtf_parse (const char  *text,
                   GError     **error)
{
  Parser parser = { text, text, error };
  ChronoEdtf *self;
  const char *invalid;
  gboolean ok;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (text, -1, &invalid))
    {
      g_set_error (error, CHRONO_DATE_ERROR, CHRONO_DATE_ERROR_SYNTAX,
                   C_("date error", "A date is not valid UTF-8 text (byte %ld)"),
                   (long) (invalid - text) + 1);
      return NULL;
    }

  if (*text == '\0')
    {
      parser_fail (&parser, text, CHRONO_DATE_ERROR_SYNTAX, "%s",
                   C_("date error", "the date is empty: write one such as “2020-11-10” or “2023-05”"));
      return NULL;
    }

  self = g_atomic_rc_box_new0 (ChronoEdtf);
  self->text = g_strdup (text);

  if (*text == '[' || *text == '{')
    ok = parse_set (&parser, self);
  else if (starts_date (*text) || *text == '/' || *text == '.')
    ok = parse_interval_or_date (&parser, self);
  else
    ok = fail_unexpected (&parser, C_("date error: expected …", "a date, as in “2020-11-10”"));

  if (ok && *parser.p != '\0')
    {
      if (*parser.p == '(' || *parser.p == ')')
        ok = fail_parentheses (&parser);
      else if (self->kind == EDTF_DATE)
        ok = fail_unexpected (&parser, C_("date error: expected …", "“/” or the end of the date"));
      else
        ok = fail_unexpected (&parser, C_("date error: expected …", "the end of the date"));
    }

  if (!ok)
    {
      chrono_edtf_unref (self);
      return NULL;
    }

  edtf_compute (self);
  return self;
}

ChronoEdtf *
chrono_edtf_ref (ChronoEdtf *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
chrono_edtf_unref (ChronoEdtf *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) edtf_clear);
}

const char *
chrono_edtf_get_text (const ChronoEdtf *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text;
}

ChronoDay
chrono_edtf_get_earliest (const ChronoEdtf *self)
{
  g_return_val_if_fail (self != NULL, CHRONO_DAY_NEGATIVE_INFINITY);

  return self->earliest;
}

ChronoDay
chrono_edtf_get_latest (const ChronoEdtf *self)
{
  g_return_val_if_fail (self != NULL, CHRONO_DAY_POSITIVE_INFINITY);

  return self->latest;
}

ChronoDay
chrono_edtf_get_earliest_fuzzy (const ChronoEdtf *self)
{
  g_return_val_if_fail (self != NULL, CHRONO_DAY_NEGATIVE_INFINITY);

  return self->earliest_fuzzy;
}

ChronoDay
chrono_edtf_get_latest_fuzzy (const ChronoEdtf *self)
{
  g_return_val_if_fail (self != NULL, CHRONO_DAY_POSITIVE_INFINITY);

  return self->latest_fuzzy;
}

/* "a/b", including open and unknown ends; sets are not intervals. */
gboolean
chrono_edtf_is_interval (const ChronoEdtf *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->kind == EDTF_INTERVAL;
}

/* "[a, b]" (one of) or "{a, b}" (all of). */
gboolean
chrono_edtf_is_set (const ChronoEdtf *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->kind == EDTF_ONE_OF || self->kind == EDTF_ALL_OF;
}

gboolean
chrono_edtf_is_uncertain (const ChronoEdtf *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->uncertain;
}

gboolean
chrono_edtf_is_approximate (const ChronoEdtf *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->approximate;
}

/* For intervals and sets, the coarsest precision of their dates. */
ChronoPrecision
chrono_edtf_get_precision (const ChronoEdtf *self)
{
  g_return_val_if_fail (self != NULL, CHRONO_PRECISION_DAY);

  return self->precision;
}

/**
 * chrono_edtf_format:
 *
 * Writes the date for people in the UI language: "10 November 2020",
 * "spring 2023", "c. April 2024", "9 or 10 November 2020", "2020s".
 *
 * Returns: (transfer full): the text
 */
char *
chrono_edtf_format (const ChronoEdtf *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return merge_words (format_edtf (self, FALSE));
}

/**
 * chrono_edtf_format_span:
 * @start: when something starts
 * @end: (nullable): when it ends; %NULL for the same as @start
 *
 * Writes the time from @start to @end for people, sharing what the two ends
 * share: "12–19 December 2022", "12 December 2022 – 19 September 2023". An
 * interval at either end contributes the end facing outwards.
 *
 * Returns: (transfer full): the text
 */
char *
chrono_edtf_format_span (const ChronoEdtf *start,
                         const ChronoEdtf *end)
{
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  g_return_val_if_fail (start != NULL, NULL);

  if (end == NULL || end == start || g_str_equal (start->text, end->text))
    return chrono_edtf_format (start);

  if ((start->kind == EDTF_DATE || start->kind == EDTF_INTERVAL) &&
      (end->kind == EDTF_DATE || end->kind == EDTF_INTERVAL))
    {
      const Part *a = &start->members[0].first;
      const Part *b = end->kind == EDTF_INTERVAL ? &end->members[0].last : &end->members[0].first;

      return merge_words (format_span_parts (a, b, FALSE));
    }

  first = format_edtf (start, TRUE);
  last = format_edtf (end, TRUE);

  /* Translators: from one date to another where either end is itself one of
   * several dates, e.g. "from 9 or 10 November 2020 to 12 June 2024",
   * "from between September 2022 and March 2023 to September 2023" */
  return merge_words (g_strdup_printf (C_("interval", "from %1$s to %2$s"), first, last));
}

/**
 * chrono_format_dates:
 * @start: an EDTF expression
 * @end: (nullable): an EDTF expression, ".." for an open end, or %NULL for
 *   the same as @start
 *
 * Writes an event's dates for people, like chrono_edtf_format_span(), from
 * their text as stored: "from 30 January 2021" for an open end.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if a date does not parse
 */
char *
chrono_format_dates (const char *start,
                     const char *end)
{
  g_autoptr (ChronoEdtf) start_edtf = NULL;
  g_autoptr (ChronoEdtf) end_edtf = NULL;
  g_autofree char *first = NULL;

  g_return_val_if_fail (start != NULL, NULL);

  start_edtf = chrono_edtf_parse (start, NULL);
  if (start_edtf == NULL)
    return NULL;

  if (end != NULL && g_str_equal (end, ".."))
    {
      first = format_edtf (start_edtf, TRUE);
      return merge_words (g_strdup_printf (C_("interval", "from %s"), first));
    }

  if (end != NULL)
    {
      end_edtf = chrono_edtf_parse (end, NULL);
      if (end_edtf == NULL)
        return NULL;
    }

  return chrono_edtf_format_span (start_edtf, end_edtf);
}
