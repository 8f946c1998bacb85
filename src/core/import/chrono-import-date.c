/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "chrono-import.h"

/*
 * Dates as people write them in spreadsheets and free text, turned into
 * EDTF: "2020-11-10T23:30:00-02:00" (the UTC day), "1920BC", "141 or 142AD",
 * "c. 1500", "2020.11.10", "5-Nov-20", "November 5, 2020", "5 novembre 2020",
 * "05/11/2020" with the file's day/month order. What is not a date is an
 * error that says so; nothing is guessed silently.
 */

static const struct
{
  const char *name;
  int         month;
} month_names[] = {
  { "january", 1 }, { "february", 2 }, { "march", 3 }, { "april", 4 }, { "may", 5 }, { "june", 6 },
  { "july", 7 }, { "august", 8 }, { "september", 9 }, { "october", 10 }, { "november", 11 },
  { "december", 12 },
  { "jan", 1 }, { "feb", 2 }, { "mar", 3 }, { "apr", 4 }, { "jun", 6 }, { "jul", 7 }, { "aug", 8 },
  { "sept", 9 }, { "sep", 9 }, { "oct", 10 }, { "nov", 11 }, { "dec", 12 },
  /* French, for the datasets this project began with */
  { "janvier", 1 }, { "février", 2 }, { "fevrier", 2 }, { "mars", 3 }, { "avril", 4 }, { "mai", 5 },
  { "juin", 6 }, { "juillet", 7 }, { "août", 8 }, { "aout", 8 }, { "septembre", 9 }, { "octobre", 10 },
  { "novembre", 11 }, { "décembre", 12 }, { "decembre", 12 },
  { "janv", 1 }, { "févr", 2 }, { "fevr", 2 }, { "avr", 4 }, { "juil", 7 }, { "déc", 12 },
};

/* The EDTF text of a year: four digits with a sign, "Y" beyond. */
static void
append_year (GString *out,
             gint64   year)
{
  if (year > 9999 || year < -9999)
    g_string_append_printf (out, "Y%" G_GINT64_FORMAT, year);
  else if (year < 0)
    g_string_append_printf (out, "-%04" G_GINT64_FORMAT, -year);
  else
    g_string_append_printf (out, "%04" G_GINT64_FORMAT, year);
}

/**
 * chrono_import_date_from_parts:
 * @year: astronomical year (0 is 1 BCE)
 * @month: 1-12, or 0 when unknown
 * @day: 1-31, or 0 when unknown
 *
 * Returns: (nullable): the EDTF of the year, month or day, or NULL when the
 *   parts make no date (13th month, 30 February)
 */
char *
chrono_import_date_from_parts (gint64 year,
                               int    month,
                               int    day)
{
  GString *out;

  if (year < CHRONO_YEAR_MIN || year > CHRONO_YEAR_MAX)
    return NULL;
  if (month < 0 || month > 12 || day < 0 || (month == 0 && day > 0))
    return NULL;
  if (day > 0 && (year > 9999 || year < -9999 || !chrono_day_is_valid_ymd (year, month, day)))
    return NULL;
  if (month > 0 && (year > 9999 || year < -9999))
    return NULL;

  out = g_string_new (NULL);
  append_year (out, year);
  if (month > 0)
    g_string_append_printf (out, "-%02d", month);
  if (day > 0)
    g_string_append_printf (out, "-%02d", day);

  return g_string_free (out, FALSE);
}

/* Returns: the EDTF day of a Unix time, in UTC */
char *
chrono_import_date_from_unix (gint64 seconds)
{
  gint64 days = seconds / 86400;
  gint64 year;
  int month, day;

  if (seconds % 86400 < 0)
    days--;

  chrono_day_to_ymd (days, &year, &month, &day);
  return chrono_import_date_from_parts (year, month, day);
}

static int
find_month (const char *word,
            gsize       len)
{
  g_autofree char *lower = NULL;

  if (len < 3)
    return 0;

  lower = g_utf8_strdown (word, len);
  if (g_str_has_suffix (lower, "."))
    lower[strlen (lower) - 1] = '\0';

  for (guint i = 0; i < G_N_ELEMENTS (month_names); i++)
    if (strcmp (lower, month_names[i].name) == 0)
      return month_names[i].month;

  return 0;
}

/* Reads digits at *@p; returns how many (at most 12). */
static int
read_number (const char **p,
             gint64      *out)
{
  int n = 0;

  *out = 0;
  while (g_ascii_isdigit (**p) && n < 12)
    {
      *out = *out * 10 + (**p - '0');
      (*p)++;
      n++;
    }

  return n;
}

static void
skip_blanks (const char **p)
{
  while (**p == ' ' || **p == '\t' || **p == '\xc2' || **p == '\xa0')
    (*p)++;
}

static gint64
resolve_two_digit_year (gint64           yy,
                        ChronoDateHints *hints)
{
  if (hints != NULL)
    {
      hints->two_digit_year = TRUE;
      if (hints->century != 0)
        return hints->century + yy;
    }

  {
    g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
    gint64 this_year = g_date_time_get_year (now);
    gint64 year = (this_year / 100) * 100 + yy;

    if (year > this_year + 20)
      year -= 100;
    return year;
  }
}

/* Era words after or before a year: "BC", "B.C.", "BCE", "AD", "A.D.", "CE", "av. J.-C." */
typedef enum { ERA_NONE, ERA_BC, ERA_AD } Era;

static Era
read_era (const char **p)
{
  static const struct { const char *text; Era era; } eras[] = {
    { "b.c.e.", ERA_BC }, { "bce", ERA_BC }, { "b.c.", ERA_BC }, { "bc", ERA_BC },
    { "av. j.-c.", ERA_BC }, { "av. j.c.", ERA_BC }, { "av j-c", ERA_BC },
    { "a.d.", ERA_AD }, { "ad", ERA_AD }, { "c.e.", ERA_AD }, { "ce", ERA_AD },
    { "ap. j.-c.", ERA_AD },
  };
  const char *q = *p;

  skip_blanks (&q);
  for (guint i = 0; i < G_N_ELEMENTS (eras); i++)
    {
      gsize n = strlen (eras[i].text);

      if (g_ascii_strncasecmp (q, eras[i].text, n) == 0 && !g_ascii_isalpha (q[n]))
        {
          *p = q + n;
          return eras[i].era;
        }
    }

  return ERA_NONE;
}

static gint64
year_with_era (gint64 year,
               Era    era)
{
  /* 1 BC is year 0: astronomical numbering */
  return era == ERA_BC ? 1 - year : year;
}

static gboolean
fail (GError     **error,
      const char  *text,
      const char  *why)
{
  g_set_error (error, CHRONO_DATE_ERROR, CHRONO_DATE_ERROR_SYNTAX,
               /* Translators: e.g. “12 Foo 2020” is not a date: “Foo” is not a month */
               _("“%s” is not a date: %s"), text, why);
  return FALSE;
}

static char *
day_or_fail (gint64       year,
             int          month,
             int          day,
             const char  *text,
             GError     **error)
{
  char *edtf = chrono_import_date_from_parts (year, month, day);

  if (edtf == NULL)
    {
      if (month > 12 || month < 1)
        fail (error, text, _("the month is not between 1 and 12"));
      else
        fail (error, text, _("that month has no such day"));
    }

  return edtf;
}

/* "2020-11-10T23:30:00-02:00" and "2020-11-10 23:30": the day in UTC. */
static char *
parse_iso_datetime (const char  *text,
                    const char  *p,
                    gint64       year,
                    int          month,
                    int          day,
                    GError     **error)
{
  gint64 hour = 0, minute = 0, second = 0, offset_h = 0, offset_m = 0;
  int sign = 0;
  ChronoDay days;
  gint64 minutes;

  p++; /* 'T' or ' ' */
  if (read_number (&p, &hour) != 2 || *p != ':')
    return fail (error, text, _("the time is not HH:MM")), NULL;
  p++;
  if (read_number (&p, &minute) != 2)
    return fail (error, text, _("the time is not HH:MM")), NULL;
  if (*p == ':')
    {
      p++;
      if (read_number (&p, &second) != 2)
        return fail (error, text, _("the seconds are not two digits")), NULL;
      if (*p == '.' || *p == ',')
        {
          gint64 fraction;

          p++;
          if (read_number (&p, &fraction) == 0)
            return fail (error, text, _("the fraction of a second has no digits")), NULL;
        }
    }
  skip_blanks (&p);
  if (*p == 'Z' || *p == 'z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      sign = *p == '-' ? -1 : 1;
      p++;
      if (read_number (&p, &offset_h) == 4)
        {
          offset_m = offset_h % 100;
          offset_h /= 100;
        }
      else if (*p == ':')
        {
          p++;
          read_number (&p, &offset_m);
        }
    }
  else if (g_ascii_strncasecmp (p, "UTC", 3) == 0 || g_ascii_strncasecmp (p, "GMT", 3) == 0)
    p += 3;
  skip_blanks (&p);
  if (*p != '\0')
    return fail (error, text, _("unexpected text after the time")), NULL;
  if (hour > 24 || minute > 59 || second > 60 || offset_h > 14 || offset_m > 59)
    return fail (error, text, _("the time is out of range")), NULL;

  if (!chrono_day_is_valid_ymd (year, month, day))
    return fail (error, text, _("that month has no such day")), NULL;

  /* Local time minus the offset is UTC. */
  days = chrono_day_from_ymd (year, month, day);
  minutes = hour * 60 + minute - sign * (offset_h * 60 + offset_m);
  if (minutes < 0)
    days--;
  else if (minutes >= 24 * 60)
    days++;

  {
    gint64 y;
    int m, d;

    chrono_day_to_ymd (days, &y, &m, &d);
    return chrono_import_date_from_parts (y, m, d);
  }
}

/* Three numbers separated by '/', '.' or '-' with the year last: "05/11/2020". */
static char *
parse_numeric_dmy (const char       *text,
                   gint64            a,
                   gint64            b,
                   gint64            year,
                   int               year_digits,
                   ChronoDateHints  *hints,
                   GError          **error)
{
  ChronoDateOrder order = hints != NULL ? hints->order : CHRONO_DATE_ORDER_UNKNOWN;
  int day, month;

  if (year_digits == 2)
    year = resolve_two_digit_year (year, hints);

  if (order == CHRONO_DATE_ORDER_UNKNOWN)
    {
      if (a > 12 && b <= 12)
        order = CHRONO_DATE_ORDER_DMY;
      else if (b > 12 && a <= 12)
        order = CHRONO_DATE_ORDER_MDY;
      else if (a == b)
        order = CHRONO_DATE_ORDER_DMY;
      else
        {
          g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_AMBIGUOUS_DATES,
                       _("“%s” could be day/month or month/day: say which the file uses"), text);
          return NULL;
        }
    }

  day = order == CHRONO_DATE_ORDER_DMY ? a : b;
  month = order == CHRONO_DATE_ORDER_DMY ? b : a;
  return day_or_fail (year, month, day, text, error);
}

/* Qualifiers around a whole date: "c. 1500", "circa 1500", "ca 1500", "~1500", "1500?" */
static const char *
strip_qualifiers (const char *text,
                  gboolean   *approximate,
                  gboolean   *uncertain,
                  char      **stripped)
{
  static const char * const circa[] = { "circa ", "circa", "ca. ", "ca.", "ca ", "c. ", "c.", "about ", "vers ", "env. " };
  g_autofree char *copy = g_strdup (text);
  char *p = copy;
  gsize len;

  *approximate = *uncertain = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (circa); i++)
    if (g_ascii_strncasecmp (p, circa[i], strlen (circa[i])) == 0 &&
        (g_ascii_isdigit (p[strlen (circa[i])]) || p[strlen (circa[i])] == ' '))
      {
        p += strlen (circa[i]);
        *approximate = TRUE;
        break;
      }
  if (*p == '~')
    {
      p++;
      *approximate = TRUE;
    }
  while (*p == ' ')
    p++;

  len = strlen (p);
  while (len > 0 && (p[len - 1] == '?' || p[len - 1] == '~'))
    {
      if (p[len - 1] == '?')
        *uncertain = TRUE;
      else
        *approximate = TRUE;
      p[--len] = '\0';
    }

  *stripped = g_strdup (p);
  return *stripped;
}

static char *
qualify (char     *edtf,
         gboolean  approximate,
         gboolean  uncertain)
{
  char *qualified;

  if (edtf == NULL || (!approximate && !uncertain))
    return edtf;
  /* Sets and years in Y notation take no qualifier. */
  if (edtf[0] == '[' || edtf[0] == 'Y')
    return edtf;

  qualified = g_strconcat (edtf, approximate && uncertain ? "%" : approximate ? "~" : "?", NULL);
  g_free (edtf);
  return qualified;
}

static char *
parse_loose (const char       *text,
             const char       *s,
             ChronoDateHints  *hints,
             GError          **error)
{
  const char *p = s;
  gint64 n1, n2, n3;
  int d1, d2, d3;
  int month;
  Era era;

  /* An era before the year: "AD 500", "BC 44" */
  era = read_era (&p);
  if (era != ERA_NONE)
    {
      skip_blanks (&p);
      if (read_number (&p, &n1) == 0)
        return fail (error, text, _("no year after the era")), NULL;
      skip_blanks (&p);
      if (*p != '\0')
        return fail (error, text, _("unexpected text after the year")), NULL;
      return chrono_import_date_from_parts (year_with_era (n1, era), 0, 0);
    }

  /* A signed year: "-500", "-13800000000" */
  if (*p == '-' && g_ascii_isdigit (p[1]))
    {
      p++;
      d1 = read_number (&p, &n1);
      if (*p == '\0')
        return chrono_import_date_from_parts (-n1, 0, 0);
      if (*p == '-' && d1 == 4)
        {
          /* -0044-03-15 */
          p++;
          if (read_number (&p, &n2) != 2)
            return fail (error, text, _("the month is not two digits")), NULL;
          if (*p == '\0')
            return day_or_fail (-n1, n2, 0, text, error);
          if (*p == '-' && (p++, read_number (&p, &n3) == 2) && *p == '\0')
            return day_or_fail (-n1, n2, n3, text, error);
        }
      return fail (error, text, _("unexpected text after the year")), NULL;
    }

  /* A month name first: "November 5, 2020", "Nov 2020", "Nov-20" */
  if (g_unichar_isalpha (g_utf8_get_char (p)))
    {
      const char *word = p;

      while (*p != '\0' && (g_unichar_isalpha (g_utf8_get_char (p)) || *p == '.'))
        p = g_utf8_next_char (p);
      month = find_month (word, p - word);
      if (month == 0)
        {
          g_autofree char *w = g_strndup (word, p - word);
          g_autofree char *why = g_strdup_printf (_("“%s” is not a month"), w);

          return fail (error, text, why), NULL;
        }
      while (*p == ' ' || *p == '-' || *p == '/')
        p++;
      d1 = read_number (&p, &n1);
      if (d1 == 0)
        return fail (error, text, _("no year after the month")), NULL;
      if (d1 <= 2 &&
          (g_ascii_strncasecmp (p, "st", 2) == 0 || g_ascii_strncasecmp (p, "nd", 2) == 0 ||
           g_ascii_strncasecmp (p, "rd", 2) == 0 || g_ascii_strncasecmp (p, "th", 2) == 0))
        p += 2;
      if (*p == ',' || (*p == ' ' && d1 <= 2))
        {
          /* Month D, YYYY */
          while (*p == ',' || *p == ' ')
            p++;
          d2 = read_number (&p, &n2);
          era = read_era (&p);
          skip_blanks (&p);
          if (d2 == 0 || *p != '\0')
            return fail (error, text, _("expected “Month D, YYYY”")), NULL;
          if (d2 == 2 && era == ERA_NONE)
            n2 = resolve_two_digit_year (n2, hints);
          return day_or_fail (year_with_era (n2, era), month, n1, text, error);
        }
      era = read_era (&p);
      skip_blanks (&p);
      if (*p != '\0')
        return fail (error, text, _("unexpected text after the year")), NULL;
      if (d1 == 2 && era == ERA_NONE)
        n1 = resolve_two_digit_year (n1, hints);
      return day_or_fail (year_with_era (n1, era), month, 0, text, error);
    }

  d1 = read_number (&p, &n1);
  if (d1 == 0)
    return fail (error, text, _("it does not begin with a number or a month")), NULL;

  /* A year alone, maybe with an era: "1920", "1920BC", "500 BCE", "AD" after */
  {
    const char *q = p;

    era = read_era (&q);
    skip_blanks (&q);
    if (*q == '\0')
      return chrono_import_date_from_parts (year_with_era (n1, era), 0, 0);
  }

  /* "141 or 142AD": one of the years */
  {
    const char *q = p;

    skip_blanks (&q);
    if (g_ascii_strncasecmp (q, "or ", 3) == 0 || g_ascii_strncasecmp (q, "ou ", 3) == 0)
      {
        q += 3;
        skip_blanks (&q);
        if (read_number (&q, &n2) > 0)
          {
            GString *set;

            era = read_era (&q);
            skip_blanks (&q);
            if (*q != '\0')
              return fail (error, text, _("unexpected text after the second year")), NULL;
            set = g_string_new ("[");
            append_year (set, year_with_era (n1, era));
            g_string_append_c (set, ',');
            append_year (set, year_with_era (n2, era));
            g_string_append_c (set, ']');
            return g_string_free (set, FALSE);
          }
      }
  }

  /* YYYY-M-D, YYYY/MM/DD, YYYY.MM.DD, and the ISO date-time forms */
  if (d1 >= 3 && (*p == '-' || *p == '/' || *p == '.'))
    {
      char sep = *p++;

      d2 = read_number (&p, &n2);
      if (d2 == 0 || d2 > 2)
        return fail (error, text, _("the month is not a number from 1 to 12")), NULL;
      if (*p == '\0')
        return day_or_fail (n1, n2, 0, text, error);
      if (*p != sep)
        return fail (error, text, _("the parts are not separated alike")), NULL;
      p++;
      d3 = read_number (&p, &n3);
      if (d3 == 0 || d3 > 2)
        return fail (error, text, _("the day is not a number from 1 to 31")), NULL;
      if (*p == 'T' || *p == 't' || (*p == ' ' && g_ascii_isdigit (p[1])))
        return parse_iso_datetime (text, p, n1, n2, n3, error);
      skip_blanks (&p);
      if (*p != '\0')
        return fail (error, text, _("unexpected text after the day")), NULL;
      return day_or_fail (n1, n2, n3, text, error);
    }

  /* D-Mon-YY, D Month YYYY, 5 novembre 2020, 1er mars 2021, 5th November 2020 */
  {
    const char *q = p;

    if (g_ascii_strncasecmp (q, "er", 2) == 0 || g_ascii_strncasecmp (q, "st", 2) == 0 ||
        g_ascii_strncasecmp (q, "nd", 2) == 0 || g_ascii_strncasecmp (q, "rd", 2) == 0 ||
        g_ascii_strncasecmp (q, "th", 2) == 0)
      q += 2;
    while (*q == ' ' || *q == '-' || *q == '/' || *q == '.')
      q++;
    if (d1 <= 2 && g_unichar_isalpha (g_utf8_get_char (q)))
      {
        const char *word = q;

        while (*q != '\0' && (g_unichar_isalpha (g_utf8_get_char (q)) || *q == '.'))
          q = g_utf8_next_char (q);
        month = find_month (word, q - word);
        if (month == 0)
          {
            g_autofree char *w = g_strndup (word, q - word);
            g_autofree char *why = g_strdup_printf (_("“%s” is not a month"), w);

            return fail (error, text, why), NULL;
          }
        while (*q == ' ' || *q == '-' || *q == '/' || *q == ',')
          q++;
        d2 = read_number (&q, &n2);
        if (d2 == 0)
          return fail (error, text, _("no year after the month")), NULL;
        era = read_era (&q);
        skip_blanks (&q);
        if (*q != '\0')
          return fail (error, text, _("unexpected text after the year")), NULL;
        if (d2 == 2 && era == ERA_NONE)
          n2 = resolve_two_digit_year (n2, hints);
        return day_or_fail (year_with_era (n2, era), month, n1, text, error);
      }
  }

  /* dd/mm/yyyy or mm/dd/yyyy (also with '.' or '-'), the order from the hints */
  if (d1 <= 2 && (*p == '/' || *p == '.' || *p == '-'))
    {
      char sep = *p++;

      d2 = read_number (&p, &n2);
      if (d2 == 0 || d2 > 2 || *p != sep)
        {
          /* MM/YYYY */
          if (d2 == 4 && *p == '\0')
            return day_or_fail (n2, n1, 0, text, error);
          return fail (error, text, _("expected day, month and year")), NULL;
        }
      p++;
      d3 = read_number (&p, &n3);
      if (d3 != 2 && d3 != 4)
        return fail (error, text, _("the year is not two or four digits")), NULL;
      if (*p == 'T' || (*p == ' ' && g_ascii_isdigit (p[1])))
        {
          /* A time after a day-first date: the day is what counts here; the
           * time zone is unknown, so the day is kept as written. */
          while (*p != '\0' && (*p == ' ' || *p == 'T' || g_ascii_isdigit (*p) || *p == ':' || *p == '.'))
            p++;
          skip_blanks (&p);
          if (g_ascii_strncasecmp (p, "am", 2) == 0 || g_ascii_strncasecmp (p, "pm", 2) == 0)
            p += 2;
        }
      skip_blanks (&p);
      if (*p != '\0')
        return fail (error, text, _("unexpected text after the year")), NULL;
      return parse_numeric_dmy (text, n1, n2, n3, d3, hints, error);
    }

  return fail (error, text, _("not a form of date Chronotope knows")), NULL;
}

/**
 * chrono_import_date_from_text:
 * @hints: (nullable): the file's day/month order and century for two-digit
 *   years; says back whether a two-digit year was read
 *
 * Returns: (transfer full) (nullable): the EDTF of @text, or NULL with
 *   @error set (%CHRONO_IMPORT_ERROR_AMBIGUOUS_DATES when only the order of
 *   day and month is missing)
 */
char *
chrono_import_date_from_text (const char       *text,
                              ChronoDateHints  *hints,
                              GError          **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *stripped = NULL;
  gboolean approximate, uncertain;
  ChronoEdtf *edtf;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL) || strlen (text) > 200)
    return fail (error, "…", _("it is not a short text")), NULL;

  trimmed = g_strstrip (g_strdup (text));
  if (trimmed[0] == '\0')
    return fail (error, text, _("it is empty")), NULL;

  /* Already EDTF, as Chronotope and careful files write it; a time of day
   * is read below, for the day it falls on in UTC. */
  if (strpbrk (trimmed, "T:") == NULL &&
      (edtf = chrono_edtf_parse (trimmed, NULL)) != NULL)
    {
      chrono_edtf_unref (edtf);
      return g_steal_pointer (&trimmed);
    }

  strip_qualifiers (trimmed, &approximate, &uncertain, &stripped);
  {
    g_autoptr (GError) local_error = NULL;
    char *date = parse_loose (text, stripped, hints, &local_error);

    /* Every way of not reading it says why */
    if (date == NULL && local_error == NULL)
      fail (&local_error, text, _("Chronotope does not read this way of writing a date"));
    if (date == NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }
    return qualify (date, approximate, uncertain);
  }
}

/**
 * chrono_import_guess_date_order:
 * @texts: a column's values
 * @out_ambiguous: (out): set when some dates could be read either way and
 *   nothing in the column tells
 *
 * Reads dates such as 03/04/2020 across a whole column: a first number
 * above 12 means day first, a second above 12 month first.
 */
ChronoDateOrder
chrono_import_guess_date_order (const char * const *texts,
                                guint               n,
                                gboolean           *out_ambiguous)
{
  gboolean day_first = FALSE, month_first = FALSE, any = FALSE;

  for (guint i = 0; i < n; i++)
    {
      const char *p = texts[i];
      gint64 a, b;
      char sep;

      if (p == NULL)
        continue;
      while (*p == ' ')
        p++;
      if (read_number (&p, &a) == 0 || (*p != '/' && *p != '.' && *p != '-'))
        continue;
      sep = *p++;
      if (read_number (&p, &b) == 0 || *p != sep || a > 31 || b > 31)
        continue;

      any = TRUE;
      if (a > 12)
        day_first = TRUE;
      if (b > 12)
        month_first = TRUE;
    }

  if (out_ambiguous != NULL)
    *out_ambiguous = any && day_first == month_first;

  if (day_first && !month_first)
    return CHRONO_DATE_ORDER_DMY;
  if (month_first && !day_first)
    return CHRONO_DATE_ORDER_MDY;
  return CHRONO_DATE_ORDER_UNKNOWN;
}
