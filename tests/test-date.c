/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include <json-glib/json-glib.h>

#include "chrono-date.h"

/*
 * Calendar days against a calendar walked one day at a time, and EDTF against
 * python-edtf's test vectors (tests/data/edtf, see PROVENANCE.md there) and
 * our own cases. Tests run in the C locale, so human text is English.
 */

/* Where we knowingly give other bounds than python-edtf, and why. */
static const struct {
  const char *text;
  const char *earliest;
  const char *latest;
  const char *reason;
} deviations[] = {
  { "2010-24", "2010-12-01", "2011-02-28",
    "winter runs from December into February of the next year; python-edtf keeps only December" },
};

/* A leap-year rule written independently of the one under test. */
static gboolean
oracle_is_leap (gint64 year)
{
  if (year % 400 == 0)
    return TRUE;
  if (year % 100 == 0)
    return FALSE;
  return year % 4 == 0;
}

static int
oracle_month_length (gint64 year,
                     int    month)
{
  switch (month)
    {
    case 2:
      return oracle_is_leap (year) ? 29 : 28;
    case 4: case 6: case 9: case 11:
      return 30;
    default:
      return 31;
    }
}

/* "2001-02-03", "-0999-01-01", "170000002-01-01", "-inf", "inf" */
static ChronoDay
day_from_text (const char *text)
{
  const char *p = text;
  gboolean negative = FALSE;
  char *end = NULL;
  gint64 year;
  int month, day;

  if (g_str_equal (text, "-inf"))
    return CHRONO_DAY_NEGATIVE_INFINITY;
  if (g_str_equal (text, "inf"))
    return CHRONO_DAY_POSITIVE_INFINITY;

  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  year = g_ascii_strtoll (p, &end, 10);
  g_assert_true (end[0] == '-' && strlen (end) == 6 && end[3] == '-');
  month = (int) g_ascii_strtoll (end + 1, NULL, 10);
  day = (int) g_ascii_strtoll (end + 4, NULL, 10);

  return chrono_day_from_ymd (negative ? -year : year, month, day);
}

static char *
day_to_text (ChronoDay day)
{
  return chrono_day_to_iso (day);
}

static JsonParser *
load_vectors (void)
{
  g_autofree char *path = g_build_filename (TEST_DATA_DIR, "edtf", "tests_extracted.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&parser);
}

static JsonArray *
vectors_table (JsonParser *parser,
               const char *name)
{
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));

  g_assert_true (json_object_has_member (root, name));
  return json_object_get_array_member (root, name);
}

static ChronoEdtf *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  ChronoEdtf *edtf = chrono_edtf_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (edtf);
  g_assert_cmpstr (chrono_edtf_get_text (edtf), ==, text);

  return edtf;
}

static void
check_bound (const char *text,
             const char *what,
             ChronoDay   got,
             ChronoDay   expected,
             guint      *n_failed)
{
  g_autofree char *got_text = NULL;
  g_autofree char *expected_text = NULL;

  if (got == expected)
    return;

  got_text = day_to_text (got);
  expected_text = day_to_text (expected);
  g_test_fail_printf ("%s: %s is %s, expected %s", text, what, got_text, expected_text);
  (*n_failed)++;
}

/* Calendar days */

static void
test_day_known (void)
{
  gint64 year;
  int month, day;

  g_assert_cmpint (chrono_day_from_ymd (1970, 1, 1), ==, 0);
  g_assert_cmpint (chrono_day_from_ymd (1970, 1, 2), ==, 1);
  g_assert_cmpint (chrono_day_from_ymd (1969, 12, 31), ==, -1);
  g_assert_cmpint (chrono_day_from_ymd (2000, 1, 1), ==, 10957);
  g_assert_cmpint (chrono_day_from_ymd (2000, 3, 1), ==, 11017);
  g_assert_cmpint (chrono_day_from_ymd (2020, 11, 10), ==, 18576);
  /* Year 0 is a leap year: 31 + 29 days before 1 March. */
  g_assert_cmpint (chrono_day_from_ymd (0, 1, 1), ==, -719528);
  g_assert_cmpint (chrono_day_from_ymd (0, 3, 1), ==, -719468);
  g_assert_cmpint (chrono_day_from_ymd (-1, 12, 31), ==, -719529);
  g_assert_cmpint (chrono_day_from_ymd (-1, 1, 1), ==, -719528 - 365);
  g_assert_cmpint (chrono_day_from_ymd (-4, 1, 1), ==, -719528 - 365 * 4 - 1);

  chrono_day_to_ymd (-719529, &year, &month, &day);
  g_assert_cmpint (year, ==, -1);
  g_assert_cmpint (month, ==, 12);
  g_assert_cmpint (day, ==, 31);

  chrono_day_to_ymd (11016, &year, &month, &day);
  g_assert_cmpint (year, ==, 2000);
  g_assert_cmpint (month, ==, 2);
  g_assert_cmpint (day, ==, 29);

  g_assert_cmpint (chrono_days_in_month (2024, 2), ==, 29);
  g_assert_cmpint (chrono_days_in_month (2023, 2), ==, 28);
  g_assert_cmpint (chrono_days_in_month (1900, 2), ==, 28);
  g_assert_cmpint (chrono_days_in_month (2000, 2), ==, 29);
  g_assert_cmpint (chrono_days_in_month (0, 2), ==, 29);
  g_assert_cmpint (chrono_days_in_month (-1, 2), ==, 28);
  g_assert_cmpint (chrono_days_in_month (-4, 2), ==, 29);
  g_assert_cmpint (chrono_days_in_month (-100, 2), ==, 28);
  g_assert_cmpint (chrono_days_in_month (-400, 2), ==, 29);
  g_assert_cmpint (chrono_days_in_month (2023, 4), ==, 30);
  g_assert_cmpint (chrono_days_in_month (2023, 12), ==, 31);

  g_assert_true (chrono_day_is_valid_ymd (2024, 2, 29));
  g_assert_false (chrono_day_is_valid_ymd (2023, 2, 29));
  g_assert_false (chrono_day_is_valid_ymd (2023, 13, 1));
  g_assert_false (chrono_day_is_valid_ymd (2023, 0, 1));
  g_assert_false (chrono_day_is_valid_ymd (2023, 1, 0));
  g_assert_false (chrono_day_is_valid_ymd (2023, 1, 32));
  g_assert_true (chrono_day_is_valid_ymd (CHRONO_YEAR_MIN, 1, 1));
  g_assert_true (chrono_day_is_valid_ymd (CHRONO_YEAR_MAX, 12, 31));
  g_assert_false (chrono_day_is_valid_ymd (CHRONO_YEAR_MIN - 1, 12, 31));
  g_assert_false (chrono_day_is_valid_ymd (CHRONO_YEAR_MAX + 1, 1, 1));
  g_assert_false (chrono_day_is_valid_ymd (G_MININT64, 1, 1));
  g_assert_false (chrono_day_is_valid_ymd (G_MAXINT64, 1, 1));
}

static void
check_walk (gint64 year,
            int    month,
            int    day,
            gint64 count)
{
  gint64 y;
  int m, d;

  if (chrono_day_from_ymd (year, month, day) != count)
    g_error ("%" G_GINT64_FORMAT "-%02d-%02d is day %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
             year, month, day, chrono_day_from_ymd (year, month, day), count);

  chrono_day_to_ymd (count, &y, &m, &d);
  if (y != year || m != month || d != day)
    g_error ("day %" G_GINT64_FORMAT " is %" G_GINT64_FORMAT "-%02d-%02d, expected %" G_GINT64_FORMAT "-%02d-%02d",
             count, y, m, d, year, month, day);
}

/* Every day of years -10000 to 10000, walked one day at a time from 1970-01-01. */
static void
test_day_walk (void)
{
  gint64 year = 1970, count = 0;
  int month = 1, day = 1;

  while (year <= 10000)
    {
      check_walk (year, month, day, count);
      count++;
      if (++day > oracle_month_length (year, month))
        {
          day = 1;
          if (++month > 12)
            {
              month = 1;
              year++;
            }
        }
    }

  year = 1969, month = 12, day = 31, count = -1;
  while (year >= -10000)
    {
      check_walk (year, month, day, count);
      count--;
      if (--day < 1)
        {
          if (--month < 1)
            {
              month = 12;
              year--;
            }
          day = oracle_month_length (year, month);
        }
    }
}

static gint64
random_year (void)
{
  return (gint64) g_test_rand_double_range ((double) CHRONO_YEAR_MIN, (double) CHRONO_YEAR_MAX);
}

/* Far years: round trips, and year lengths summed year by year. */
static void
test_day_deep (void)
{
  for (guint i = 0; i < 20000; i++)
    {
      gint64 year = random_year ();
      int month = g_test_rand_int_range (1, 13);
      int day = g_test_rand_int_range (1, oracle_month_length (year, month) + 1);
      ChronoDay d = chrono_day_from_ymd (year, month, day);
      gint64 y;
      int m, dd;

      chrono_day_to_ymd (d, &y, &m, &dd);
      g_assert_cmpint (y, ==, year);
      g_assert_cmpint (m, ==, month);
      g_assert_cmpint (dd, ==, day);

      if (year + 400 <= CHRONO_YEAR_MAX)
        g_assert_cmpint (chrono_day_from_ymd (year + 400, month, day) - d, ==, 146097);
    }

  for (guint i = 0; i < 300; i++)
    {
      gint64 year = random_year ();
      gint64 span = g_test_rand_int_range (1, 2000);
      gint64 days = 0;

      if (year + span > CHRONO_YEAR_MAX)
        year = CHRONO_YEAR_MAX - span;
      for (gint64 y = year; y < year + span; y++)
        days += oracle_is_leap (y) ? 366 : 365;

      g_assert_cmpint (chrono_day_from_ymd (year + span, 1, 1) - chrono_day_from_ymd (year, 1, 1), ==, days);
    }

  /* The extremes, where overflow would show first. */
  {
    ChronoDay first = chrono_day_from_ymd (CHRONO_YEAR_MIN, 1, 1);
    ChronoDay last = chrono_day_from_ymd (CHRONO_YEAR_MAX, 12, 31);
    gint64 y;
    int m, d;

    chrono_day_to_ymd (first, &y, &m, &d);
    g_assert_cmpint (y, ==, CHRONO_YEAR_MIN);
    g_assert_cmpint (m, ==, 1);
    g_assert_cmpint (d, ==, 1);
    chrono_day_to_ymd (last, &y, &m, &d);
    g_assert_cmpint (y, ==, CHRONO_YEAR_MAX);
    g_assert_cmpint (m, ==, 12);
    g_assert_cmpint (d, ==, 31);
    g_assert_cmpint (last - first + 1, ==, (CHRONO_YEAR_MAX - CHRONO_YEAR_MIN + 1) / 400 * 146097
                                           + 366 /* the odd year is year 100000000000, a leap year */);
  }
}

static void
test_day_iso (void)
{
  struct {
    gint64 year;
    int month, day;
    const char *iso;
  } cases[] = {
    { 1970, 1, 1, "1970-01-01" },
    { 2020, 11, 10, "2020-11-10" },
    { 0, 3, 1, "0000-03-01" },
    { -1, 12, 31, "-0001-12-31" },
    { -999, 1, 1, "-0999-01-01" },
    { 9999, 12, 31, "9999-12-31" },
    { -9999, 1, 1, "-9999-01-01" },
    { 12345, 1, 1, "+12345-01-01" },
    { -13800000000, 1, 1, "-13800000000-01-01" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *iso = chrono_day_to_iso (chrono_day_from_ymd (cases[i].year, cases[i].month, cases[i].day));

      g_assert_cmpstr (iso, ==, cases[i].iso);
    }

  {
    g_autofree char *neg = chrono_day_to_iso (CHRONO_DAY_NEGATIVE_INFINITY);
    g_autofree char *pos = chrono_day_to_iso (CHRONO_DAY_POSITIVE_INFINITY);

    g_assert_cmpstr (neg, ==, "..");
    g_assert_cmpstr (pos, ==, "..");
  }
}

/* EDTF against python-edtf's vectors */

static void
test_edtf_vectors (void)
{
  g_autoptr (JsonParser) parser = load_vectors ();
  JsonArray *examples = vectors_table (parser, "EXAMPLES");
  guint n_checked = 0, n_deviations = 0, n_failed = 0;
  gboolean deviation_seen[G_N_ELEMENTS (deviations)] = { FALSE };

  for (guint i = 0; i < json_array_get_length (examples); i++)
    {
      JsonArray *entry = json_array_get_array_element (examples, i);
      const char *text = json_array_get_string_element (entry, 0);
      JsonArray *expected = json_array_get_array_element (entry, 1);
      guint n = json_array_get_length (expected);
      g_autoptr (ChronoEdtf) edtf = parse_ok (text);
      ChronoDay earliest, latest, earliest_fuzzy, latest_fuzzy;
      gboolean deviates = FALSE;

      switch (n)
        {
        case 1:
          earliest = latest = earliest_fuzzy = latest_fuzzy =
            day_from_text (json_array_get_string_element (expected, 0));
          break;
        case 2:
          earliest = earliest_fuzzy = day_from_text (json_array_get_string_element (expected, 0));
          latest = latest_fuzzy = day_from_text (json_array_get_string_element (expected, 1));
          break;
        case 3:
          earliest = latest = day_from_text (json_array_get_string_element (expected, 0));
          earliest_fuzzy = day_from_text (json_array_get_string_element (expected, 1));
          latest_fuzzy = day_from_text (json_array_get_string_element (expected, 2));
          break;
        case 4:
          earliest = day_from_text (json_array_get_string_element (expected, 0));
          latest = day_from_text (json_array_get_string_element (expected, 1));
          earliest_fuzzy = day_from_text (json_array_get_string_element (expected, 2));
          latest_fuzzy = day_from_text (json_array_get_string_element (expected, 3));
          break;
        default:
          g_assert_not_reached ();
        }

      for (guint j = 0; j < G_N_ELEMENTS (deviations); j++)
        if (g_str_equal (text, deviations[j].text))
          {
            g_test_message ("%s: deviating from python-edtf: %s", text, deviations[j].reason);
            earliest = earliest_fuzzy = day_from_text (deviations[j].earliest);
            latest = latest_fuzzy = day_from_text (deviations[j].latest);
            deviation_seen[j] = TRUE;
            deviates = TRUE;
          }

      check_bound (text, "earliest", chrono_edtf_get_earliest (edtf), earliest, &n_failed);
      check_bound (text, "latest", chrono_edtf_get_latest (edtf), latest, &n_failed);
      check_bound (text, "earliest fuzzy", chrono_edtf_get_earliest_fuzzy (edtf), earliest_fuzzy, &n_failed);
      check_bound (text, "latest fuzzy", chrono_edtf_get_latest_fuzzy (edtf), latest_fuzzy, &n_failed);

      /* Whatever the qualifiers, the fuzzy range holds the strict one. */
      g_assert_cmpint (chrono_edtf_get_earliest_fuzzy (edtf), <=, chrono_edtf_get_earliest (edtf));
      g_assert_cmpint (chrono_edtf_get_latest_fuzzy (edtf), >=, chrono_edtf_get_latest (edtf));
      g_assert_cmpint (chrono_edtf_get_earliest (edtf), <=, chrono_edtf_get_latest (edtf));

      n_checked++;
      n_deviations += deviates;
    }

  /* The deviations list names only expressions that are among the vectors. */
  for (guint j = 0; j < G_N_ELEMENTS (deviations); j++)
    g_assert_true (deviation_seen[j]);

  g_test_message ("%u EDTF vectors checked, %u of them with documented deviations, %u bounds wrong",
                  n_checked, n_deviations, n_failed);
  g_assert_cmpuint (n_checked, ==, json_array_get_length (examples));
  g_assert_cmpuint (n_checked, ==, 90);
}

static void
test_edtf_benchmark_vectors (void)
{
  g_autoptr (JsonParser) parser = load_vectors ();
  JsonArray *examples = vectors_table (parser, "BENCHMARK_EXAMPLES");

  for (guint i = 0; i < json_array_get_length (examples); i++)
    {
      g_autoptr (ChronoEdtf) edtf = parse_ok (json_array_get_string_element (examples, i));

      g_assert_cmpint (chrono_edtf_get_earliest (edtf), <=, chrono_edtf_get_latest (edtf));
    }
  g_assert_cmpuint (json_array_get_length (examples), ==, 11);
}

static void
test_edtf_qualifier_vectors (void)
{
  g_autoptr (JsonParser) parser = load_vectors ();
  JsonArray *examples = vectors_table (parser, "APPROXIMATE_UNCERTAIN_EXAMPLES");

  for (guint i = 0; i < json_array_get_length (examples); i++)
    {
      JsonArray *entry = json_array_get_array_element (examples, i);
      const char *text = json_array_get_string_element (entry, 0);
      JsonArray *flags = json_array_get_array_element (entry, 1);
      gboolean uncertain = json_array_get_boolean_element (flags, 0);
      gboolean approximate = json_array_get_boolean_element (flags, 1);
      gboolean both = json_array_get_boolean_element (flags, 2);
      g_autoptr (ChronoEdtf) edtf = parse_ok (text);

      /* python-edtf keeps % apart; for us it is both ? and ~. */
      g_test_message ("%s", text);
      g_assert_cmpint (chrono_edtf_is_uncertain (edtf), ==, uncertain || both);
      g_assert_cmpint (chrono_edtf_is_approximate (edtf), ==, approximate || both);
    }
  g_assert_cmpuint (json_array_get_length (examples), ==, 26);
}

static void
test_edtf_bad_vectors (void)
{
  /* Where each bad example goes wrong, counted from 1. */
  static const struct {
    const char *text;
    int position;
  } positions[] = {
    { "", 1 },
    { "not a edtf string", 1 },
    { "Y17E7-12-26", 6 },
    { "2016-13-08", 6 },
    { "2016-02-39", 9 },
    { "-0000-01-01", 1 },
    { "2004-(06)?-11", 6 },
    { "2004-06-(11)~", 9 },
    { "2004-(06)%", 6 },
    { "2004-(06-11)?", 6 },
    { "2004?-06-(11)~", 10 },
    { "(2004-(06)~)?", 1 },
    { "(2004)?-06-04~", 1 },
    { "(2011)-06-04~", 1 },
    { "2011-(06-04)~", 6 },
    { "2004-06-(01)~/2004-06-(20)~", 9 },
  };
  g_autoptr (JsonParser) parser = load_vectors ();
  JsonArray *examples = vectors_table (parser, "BAD_EXAMPLES");
  guint n_checked = 0;

  for (guint i = 0; i < json_array_get_length (examples); i++)
    {
      JsonNode *node = json_array_get_element (examples, i);
      g_autoptr (GError) error = NULL;
      g_autoptr (ChronoEdtf) edtf = NULL;
      g_autofree char *quoted = NULL;
      g_autofree char *where = NULL;
      const char *text;
      gboolean found = FALSE;

      /* Python's None: a NULL string is a programming error here, not input. */
      if (JSON_NODE_HOLDS_NULL (node))
        continue;

      text = json_node_get_string (node);
      edtf = chrono_edtf_parse (text, &error);
      g_assert_null (edtf);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_true (error->domain == CHRONO_DATE_ERROR);

      quoted = g_strdup_printf ("“%s”", text);
      g_assert_true (g_str_has_prefix (error->message, quoted));

      for (guint j = 0; j < G_N_ELEMENTS (positions); j++)
        if (g_str_equal (positions[j].text, text))
          {
            where = g_strdup_printf (", character %d: ", positions[j].position);
            found = TRUE;
          }
      g_assert_true (found);
      g_assert_nonnull (strstr (error->message, where));
      n_checked++;
    }

  g_assert_cmpuint (n_checked, ==, G_N_ELEMENTS (positions));
}

/* EDTF: our own cases */

static void
assert_parse_error (const char      *text,
                    ChronoDateError  code,
                    const char      *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ChronoEdtf) edtf = chrono_edtf_parse (text, &error);

  g_assert_null (edtf);
  g_assert_error (error, CHRONO_DATE_ERROR, (int) code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
  else
    g_test_message ("%s", error->message);
}

static void
test_edtf_impossible_days (void)
{
  g_autoptr (ChronoEdtf) leap = parse_ok ("2024-02-29");

  assert_parse_error ("2023-02-30", CHRONO_DATE_ERROR_INVALID_DATE,
                      "“2023-02-30”, character 9: February 2023 has 28 days");
  assert_parse_error ("2021-02-29", CHRONO_DATE_ERROR_INVALID_DATE,
                      "“2021-02-29”, character 9: February 2021 has 28 days");
  assert_parse_error ("2023-04-31", CHRONO_DATE_ERROR_INVALID_DATE,
                      "“2023-04-31”, character 9: April 2023 has 30 days");
  assert_parse_error ("2023-13-01", CHRONO_DATE_ERROR_INVALID_DATE,
                      "“2023-13-01”, character 6: there is no month 13: months run from 01 to 12, seasons from 21 to 41");
  assert_parse_error ("2023-00", CHRONO_DATE_ERROR_INVALID_DATE,
                      "“2023-00”, character 6: there is no month 00: months run from 01 to 12, seasons from 21 to 41");
  assert_parse_error ("2023-01-00", CHRONO_DATE_ERROR_INVALID_DATE,
                      "“2023-01-00”, character 9: days are numbered from 01");
  assert_parse_error ("1900-02-29", CHRONO_DATE_ERROR_INVALID_DATE,
                      "“1900-02-29”, character 9: February 1900 has 28 days");
  assert_parse_error ("-0001-02-29", CHRONO_DATE_ERROR_INVALID_DATE,
                      "“-0001-02-29”, character 10: February 2 BCE has 28 days");
  assert_parse_error ("2023-02-3X", CHRONO_DATE_ERROR_INVALID_DATE,
                      "“2023-02-3X”, character 9: no day of the calendar matches “2023-02-3X”");
  assert_parse_error ("2023-2X", CHRONO_DATE_ERROR_INVALID_DATE,
                      "“2023-2X”, character 6: no month from 01 to 12 matches “2X”");
  assert_parse_error ("2023-02-30/2023-03-01", CHRONO_DATE_ERROR_INVALID_DATE, NULL);

  g_assert_cmpint (chrono_edtf_get_earliest (leap), ==, chrono_day_from_ymd (2024, 2, 29));
  g_assert_cmpint (chrono_edtf_get_latest (leap), ==, chrono_day_from_ymd (2024, 2, 29));
  g_assert_cmpint (chrono_edtf_get_precision (leap), ==, CHRONO_PRECISION_DAY);

  /* 29 February in a year of unknown digits: the leap years that fit. */
  {
    g_autoptr (ChronoEdtf) edtf = parse_ok ("190X-02-29");

    g_assert_cmpint (chrono_edtf_get_earliest (edtf), ==, chrono_day_from_ymd (1904, 2, 29));
    g_assert_cmpint (chrono_edtf_get_latest (edtf), ==, chrono_day_from_ymd (1908, 2, 29));
  }
}

static void
test_edtf_syntax_errors (void)
{
  assert_parse_error ("2020-1", CHRONO_DATE_ERROR_SYNTAX,
                      "“2020-1”, character 7: expected a month (01–12) or a season (21–41) but found the end of the text");
  assert_parse_error ("20", CHRONO_DATE_ERROR_SYNTAX,
                      "“20”, character 1: a year has four digits, as in “0476” or “2020”");
  assert_parse_error ("20201", CHRONO_DATE_ERROR_SYNTAX,
                      "“20201”, character 5: a year has four digits; write longer years with “Y”, as in “Y12345”");
  assert_parse_error ("Y2020", CHRONO_DATE_ERROR_SYNTAX,
                      "“Y2020”, character 1: “Y” is for years of more than four digits: write “2020”");
  assert_parse_error ("2020-11-10 ", CHRONO_DATE_ERROR_SYNTAX,
                      "“2020-11-10 ”, character 11: expected “/” or the end of the date but found “ ”");
  assert_parse_error ("2020?~", CHRONO_DATE_ERROR_SYNTAX, NULL);
  assert_parse_error ("2020-21-05", CHRONO_DATE_ERROR_SYNTAX,
                      "“2020-21-05”, character 8: a season has no day");
  assert_parse_error ("2008/1964", CHRONO_DATE_ERROR_INVALID_DATE,
                      "“2008/1964”, character 6: this end comes before the start");
  assert_parse_error ("[1672..1670]", CHRONO_DATE_ERROR_INVALID_DATE, NULL);
  assert_parse_error ("/", CHRONO_DATE_ERROR_SYNTAX, NULL);
  assert_parse_error ("../..", CHRONO_DATE_ERROR_SYNTAX, NULL);
  assert_parse_error ("..", CHRONO_DATE_ERROR_SYNTAX, NULL);
  assert_parse_error ("[]", CHRONO_DATE_ERROR_SYNTAX, NULL);
  assert_parse_error ("[2020", CHRONO_DATE_ERROR_SYNTAX, NULL);
  assert_parse_error ("[2020..,2021]", CHRONO_DATE_ERROR_SYNTAX, NULL);
  assert_parse_error ("[2020, ..2021]", CHRONO_DATE_ERROR_SYNTAX, NULL);
  assert_parse_error ("2020-11-10T25:00:00", CHRONO_DATE_ERROR_INVALID_DATE, NULL);
  assert_parse_error ("2020-11-10T10:00", CHRONO_DATE_ERROR_SYNTAX, NULL);
  assert_parse_error ("2020-11T10:00:00", CHRONO_DATE_ERROR_SYNTAX, NULL);
  assert_parse_error ("2020~-11-10T10:00:00", CHRONO_DATE_ERROR_SYNTAX, NULL);
  assert_parse_error ("1950S5", CHRONO_DATE_ERROR_INVALID_DATE, NULL);
  assert_parse_error ("195XS2", CHRONO_DATE_ERROR_SYNTAX, NULL);
  assert_parse_error ("Y12345?", CHRONO_DATE_ERROR_SYNTAX, NULL);
  assert_parse_error ("yesterday", CHRONO_DATE_ERROR_SYNTAX,
                      "“yesterday”, character 1: expected a date, as in “2020-11-10” but found “y”");
  /* Characters, not bytes, and control characters shown escaped. */
  assert_parse_error ("é2020", CHRONO_DATE_ERROR_SYNTAX,
                      "“é2020”, character 1: expected a date, as in “2020-11-10” but found “é”");
  assert_parse_error ("2020-é", CHRONO_DATE_ERROR_SYNTAX,
                      "“2020-é”, character 6: expected a month (01–12) or a season (21–41) but found “é”");
  assert_parse_error ("2020\n", CHRONO_DATE_ERROR_SYNTAX,
                      "“2020\\x0a”, character 5: expected “/” or the end of the date but found “\\x0a”");
  assert_parse_error ("20\xff", CHRONO_DATE_ERROR_SYNTAX, "A date is not valid UTF-8 text (byte 3)");
}

static void
test_edtf_deep_time (void)
{
  g_autoptr (ChronoEdtf) universe = parse_ok ("Y-13800000000");
  g_autoptr (ChronoEdtf) largest = parse_ok ("Y100000000000");
  g_autoptr (ChronoEdtf) estimate = parse_ok ("Y-99999999999S2");

  g_assert_cmpint (chrono_edtf_get_earliest (universe), ==, chrono_day_from_ymd (-13800000000, 1, 1));
  g_assert_cmpint (chrono_edtf_get_latest (universe), ==, chrono_day_from_ymd (-13800000000, 12, 31));
  g_assert_cmpint (chrono_edtf_get_precision (universe), ==, CHRONO_PRECISION_DEEP);
  g_assert_cmpint (chrono_edtf_get_latest (largest), ==, chrono_day_from_ymd (CHRONO_YEAR_MAX, 12, 31));
  g_assert_cmpint (chrono_edtf_get_earliest_fuzzy (estimate), ==, chrono_day_from_ymd (-99999999999, 1, 1));
  g_assert_cmpint (chrono_edtf_get_latest_fuzzy (estimate), ==, chrono_day_from_ymd (-99000000000, 12, 31));

  assert_parse_error ("Y-100000000001", CHRONO_DATE_ERROR_UNSUPPORTED,
                      "“Y-100000000001”, character 3: years beyond a hundred billion are not supported");
  assert_parse_error ("Y1E12", CHRONO_DATE_ERROR_UNSUPPORTED, NULL);
  assert_parse_error ("Y17E999", CHRONO_DATE_ERROR_UNSUPPORTED, NULL);
  assert_parse_error ("Y1234567890123456789012", CHRONO_DATE_ERROR_UNSUPPORTED, NULL);

  /* Widening near the ends of supported time stops there instead of overflowing. */
  {
    g_autoptr (ChronoEdtf) wide = parse_ok ("XXXX%");

    g_assert_cmpint (chrono_edtf_get_earliest_fuzzy (wide), ==, chrono_day_from_ymd (-20000, 1, 1));
    g_assert_cmpint (chrono_edtf_get_latest_fuzzy (wide), ==, chrono_day_from_ymd (29999, 12, 31));
  }
}

static void
test_edtf_shapes (void)
{
  g_autoptr (ChronoEdtf) interval = parse_ok ("2022-12-12/2023-09-19");
  g_autoptr (ChronoEdtf) one_of = parse_ok ("[2020-11-09,2020-11-10]");
  g_autoptr (ChronoEdtf) all_of = parse_ok ("{1960, 1961-12}");
  g_autoptr (ChronoEdtf) season = parse_ok ("2001-21~");
  g_autoptr (ChronoEdtf) copy = NULL;

  g_assert_true (chrono_edtf_is_interval (interval));
  g_assert_false (chrono_edtf_is_set (interval));
  g_assert_false (chrono_edtf_is_interval (one_of));
  g_assert_true (chrono_edtf_is_set (one_of));
  g_assert_true (chrono_edtf_is_set (all_of));
  g_assert_cmpint (chrono_edtf_get_earliest (one_of), ==, chrono_day_from_ymd (2020, 11, 9));
  g_assert_cmpint (chrono_edtf_get_latest (one_of), ==, chrono_day_from_ymd (2020, 11, 10));
  g_assert_false (chrono_edtf_is_uncertain (interval));
  g_assert_false (chrono_edtf_is_approximate (interval));

  /* A season widens by a season's length, the year by a year. */
  g_assert_cmpint (chrono_edtf_get_earliest_fuzzy (season), ==, chrono_day_from_ymd (1999, 12, 1));
  g_assert_cmpint (chrono_edtf_get_latest_fuzzy (season), ==, chrono_day_from_ymd (2002, 8, 31));

  /* A boxed type whose copy is a reference. */
  copy = g_boxed_copy (CHRONO_TYPE_EDTF, interval);
  g_assert_true (copy == interval);
  g_assert_true (G_TYPE_IS_BOXED (CHRONO_TYPE_EDTF));
}

static void
test_edtf_groupings (void)
{
  static const struct {
    const char *text;
    const char *earliest;
    const char *latest;
    ChronoPrecision precision;
  } cases[] = {
    { "2023-21", "2023-03-01", "2023-05-31", CHRONO_PRECISION_SEASON },
    { "2023-22", "2023-06-01", "2023-08-31", CHRONO_PRECISION_SEASON },
    { "2023-23", "2023-09-01", "2023-11-30", CHRONO_PRECISION_SEASON },
    { "2023-24", "2023-12-01", "2024-02-29", CHRONO_PRECISION_SEASON },
    { "2023-25", "2023-03-01", "2023-05-31", CHRONO_PRECISION_SEASON },
    { "2023-28", "2023-12-01", "2024-02-29", CHRONO_PRECISION_SEASON },
    { "2023-29", "2023-09-01", "2023-11-30", CHRONO_PRECISION_SEASON },
    { "2023-30", "2023-12-01", "2024-02-29", CHRONO_PRECISION_SEASON },
    { "2023-31", "2023-03-01", "2023-05-31", CHRONO_PRECISION_SEASON },
    { "2023-32", "2023-06-01", "2023-08-31", CHRONO_PRECISION_SEASON },
    { "2023-33", "2023-01-01", "2023-03-31", CHRONO_PRECISION_QUARTER },
    { "2023-36", "2023-10-01", "2023-12-31", CHRONO_PRECISION_QUARTER },
    { "2023-37", "2023-01-01", "2023-04-30", CHRONO_PRECISION_QUADRIMESTER },
    { "2023-38", "2023-05-01", "2023-08-31", CHRONO_PRECISION_QUADRIMESTER },
    { "2023-39", "2023-09-01", "2023-12-31", CHRONO_PRECISION_QUADRIMESTER },
    { "2023-40", "2023-01-01", "2023-06-30", CHRONO_PRECISION_HALF_YEAR },
    { "2023-41", "2023-07-01", "2023-12-31", CHRONO_PRECISION_HALF_YEAR },
    { "2020-11-10", "2020-11-10", "2020-11-10", CHRONO_PRECISION_DAY },
    { "2020-11", "2020-11-01", "2020-11-30", CHRONO_PRECISION_MONTH },
    { "2020", "2020-01-01", "2020-12-31", CHRONO_PRECISION_YEAR },
    { "2023-XX", "2023-01-01", "2023-12-31", CHRONO_PRECISION_YEAR },
    { "1999-01-XX", "1999-01-01", "1999-01-31", CHRONO_PRECISION_MONTH },
    { "2004-1X", "2004-10-01", "2004-12-31", CHRONO_PRECISION_YEAR },
    { "199X", "1990-01-01", "1999-12-31", CHRONO_PRECISION_DECADE },
    { "19XX", "1900-01-01", "1999-12-31", CHRONO_PRECISION_CENTURY },
    { "1XXX", "1000-01-01", "1999-12-31", CHRONO_PRECISION_MILLENNIUM },
    { "Y-17E7", "-170000000-01-01", "-170000000-12-31", CHRONO_PRECISION_DEEP },
    { "2022-12-12/2023-21", "2022-12-12", "2023-05-31", CHRONO_PRECISION_SEASON },
    { "../2006", "-inf", "2006-12-31", CHRONO_PRECISION_YEAR },
    { "[1667, 1760-12]", "1667-01-01", "1760-12-31", CHRONO_PRECISION_YEAR },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ChronoEdtf) edtf = parse_ok (cases[i].text);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (chrono_edtf_get_earliest (edtf), ==, day_from_text (cases[i].earliest));
      g_assert_cmpint (chrono_edtf_get_latest (edtf), ==, day_from_text (cases[i].latest));
      g_assert_cmpint (chrono_edtf_get_precision (edtf), ==, cases[i].precision);
    }
}

/* Formatting for people (English: tests run in the C locale) */

static void
test_format_day (void)
{
  struct {
    gint64 year;
    int month, day;
    const char *text;
  } cases[] = {
    { 2020, 11, 10, "10 November 2020" },
    { 2023, 1, 1, "1 January 2023" },
    { -43, 3, 15, "15 March 44 BCE" },
    { 0, 12, 31, "31 December 1 BCE" },
    { 1, 1, 1, "1 January 1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = chrono_day_format (chrono_day_from_ymd (cases[i].year, cases[i].month, cases[i].day));

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_format_edtf (void)
{
  static const struct {
    const char *edtf;
    const char *text;
  } cases[] = {
    { "2020-11-10", "10 November 2020" },
    { "2001-02-03T09:30:01", "3 February 2001" },
    { "2020-11", "November 2020" },
    { "2020", "2020" },
    { "-0499", "500 BCE" },
    { "0000", "1 BCE" },
    { "2023-21", "spring 2023" },
    { "2023-24", "winter 2023" },
    { "2023-29", "spring 2023 (Southern Hemisphere)" },
    { "2023-33", "first quarter of 2023" },
    { "2023-36", "fourth quarter of 2023" },
    { "2023-37", "January–April 2023" },
    { "2023-40", "first half of 2023" },
    { "2024-04~", "c. April 2024" },
    { "1984?", "1984?" },
    { "1984%", "c. 1984?" },
    { "2004-06-11?", "11 June 2004?" },
    { "2004?-06-~11", "c. 11 June 2004?" },
    { "2023-XX", "2023" },
    { "1999-01-XX", "January 1999" },
    { "1560-XX-25", "day 25 of an unknown month of 1560" },
    { "2004-1X", "between 1 October 2004 and 31 December 2004" },
    { "202X", "the 2020s" },
    { "-019X", "200–191 BCE" },
    { "19XX", "20th century" },
    { "20XX", "21st century" },
    { "11XX", "12th century" },
    { "-01XX", "2nd century BCE" },
    { "-00XX", "1st century BCE" },
    { "1XXX", "2nd millennium" },
    { "-0XXX", "1st millennium BCE" },
    { "XXXX", "an unknown year" },
    { "1950S2", "c. 1950" },
    { "Y-13800000000", "13.8 billion years ago" },
    { "Y-170000002", "170 million years ago" },
    { "Y170000002", "170000002" },
    { "Y-12345", "12346 BCE" },
    { "[2020-11-09,2020-11-10]", "9 or 10 November 2020" },
    { "[2020-11-09, 2020-11-10, 2020-11-12]", "9, 10 or 12 November 2020" },
    { "{2020-11-09,2020-11-10}", "9 and 10 November 2020" },
    { "[2020-11, 2020-12]", "November or December 2020" },
    { "[2020-11-30, 2020-12-01]", "30 November 2020 or 1 December 2020" },
    { "[1667, 1668, 1670..1672]", "1667, 1668 or between 1670 and 1672" },
    { "{1667,1668, 1670..1672}", "1667, 1668 and 1670–1672" },
    { "[..1760-12-03]", "3 December 1760 or earlier" },
    { "[1760-12..]", "December 1760 or later" },
    { "2022-12-12/2023-09-19", "12 December 2022 – 19 September 2023" },
    { "2022-12-12/2022-12-19", "12–19 December 2022" },
    { "2022-11-12/2022-12-19", "12 November – 19 December 2022" },
    { "2022-11/2022-12", "November–December 2022" },
    { "2020/2023", "2020–2023" },
    { "-0499/-0399", "500–400 BCE" },
    { "1984~/2004-06", "c. 1984 – June 2004" },
    { "../2006", "until 2006" },
    { "2004-01-01/..", "from 1 January 2004" },
    { "/2006", "? – 2006" },
    { "2004-06-01/", "1 June 2004 – ?" },
    /* English has no article to add in a sentence, nor a "1st" of the month. */
    { "2021-03-01/2021-03-03", "1–3 March 2021" },
    { "2023-04/2023-06", "April–June 2023" },
    { "2021-03-01~/..", "from c. 1 March 2021" },
    { "2023-21/..", "from spring 2023" },
    { "199X/..", "from the 1990s" },
    { "../2023-24", "until winter 2023" },
    { "[2023-08-01..2023-09-20]", "between 1 August 2023 and 20 September 2023" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ChronoEdtf) edtf = parse_ok (cases[i].edtf);
      g_autofree char *text = chrono_edtf_format (edtf);

      g_test_message ("%s → %s", cases[i].edtf, text);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_format_span (void)
{
  static const struct {
    const char *start;
    const char *end;
    const char *text;
  } cases[] = {
    { "2020-11-10", "2024-06-12", "10 November 2020 – 12 June 2024" },
    { "2022-12-12", "2023-21", "12 December 2022 – spring 2023" },
    { "2022-12-12", "2022-12-19", "12–19 December 2022" },
    { "2023-05-01", NULL, "1 May 2023" },
    { "2019", "2019", "2019" },
    { "2020", "2023", "2020–2023" },
    { "[2020-11-09,2020-11-10]", NULL, "9 or 10 November 2020" },
    { "2020-11-10", "2024-06~", "10 November 2020 – c. June 2024" },
    { "2022-12-12/2023-01-05", "2023-09-19", "12 December 2022 – 19 September 2023" },
    { "2020-11-10", "2023-05/2024-06-12", "10 November 2020 – 12 June 2024" },
    { "[2020-11-09,2020-11-10]", "2021", "from 9 or 10 November 2020 to 2021" },
    { "[2022-09..2023-03]", "2023-09", "from between September 2022 and March 2023 to September 2023" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ChronoEdtf) start = parse_ok (cases[i].start);
      g_autoptr (ChronoEdtf) end = cases[i].end ? parse_ok (cases[i].end) : NULL;
      g_autofree char *text = chrono_edtf_format_span (start, end);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* Event dates as stored: ".." is an open end. */
static void
test_format_dates (void)
{
  static const struct {
    const char *start;
    const char *end;
    const char *text;
  } cases[] = {
    { "2021-01-30", "..", "from 30 January 2021" },
    { "[2023-08-01..2023-09-20]", NULL, "between 1 August 2023 and 20 September 2023" },
    { "[2020-11-09,2020-11-10]", "2024-06-12", "from 9 or 10 November 2020 to 12 June 2024" },
    { "2023-09-19", "2023-09-20", "19–20 September 2023" },
    { "2023-02-30", NULL, NULL },
    { "2023-09-19", "tomorrow", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = chrono_format_dates (cases[i].start, cases[i].end);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* French, through the catalogue built from po/fr.po (CHRONO_LOCALEDIR is
 * <build>/po). Runs last and puts the C locale back for anything after it.
 *
 * A date alone, as in a heading or a label, has no article ("1er mars
 * 2021"); in a sentence, after a preposition, it takes one, which merges
 * with the preposition ("à partir du 1er mars 2021", "jusqu’aux années
 * 1990", "d’avril à juin 2023"). */
#define NBSP "\u00a0"

static void
test_format_french (void)
{
  static const struct {
    const char *edtf;
    const char *text;
  } cases[] = {
    /* Alone: no article; the first of a month is "1er". */
    { "2020-11-10", "10 novembre 2020" },
    { "2021-03-01", "1er mars 2021" },
    { "2021-03-01?", "1er mars 2021" NBSP "?" },
    { "2021-03-~01", "vers 1er mars 2021" },
    { "1560-XX-01", "le 1er d’un mois inconnu de 1560" },
    { "2023-21", "printemps 2023" },
    { "2023-22", "été 2023" },
    { "2024-04~", "vers avril 2024" },
    { "[2020-11-09,2020-11-10]", "9 ou 10 novembre 2020" },
    { "[2020-11-01,2020-11-02]", "1er ou 2 novembre 2020" },
    { "{2020-11-01,2020-11-10}", "1er et 10 novembre 2020" },
    { "[2020-10-31, 2020-11-01]", "31 octobre 2020 ou 1er novembre 2020" },
    { "[..2020-11-01]", "1er novembre 2020 ou plus tôt" },
    { "199X", "années 1990" },
    { "2023-33", "premier trimestre 2023" },
    { "1984?", "1984" NBSP "?" },
    { "-0499", "500" NBSP "av." NBSP "J.-C." },
    { "20XX", "21ᵉ" NBSP "siècle" },
    { "2023-37", "janvier–avril 2023" },
    /* "Between" puts its dates in a sentence. */
    { "2004-1X", "entre le 1er octobre 2004 et le 31 décembre 2004" },
    { "[2023-08-01..2023-09-20]", "entre le 1er août 2023 et le 20 septembre 2023" },
    { "[2023-04..2023-06]", "entre avril 2023 et juin 2023" },
    /* Ranges within a month or a year. */
    { "2021-03-01/2021-03-03", "du 1er au 3 mars 2021" },
    { "2022-12-12/2022-12-19", "du 12 au 19 décembre 2022" },
    { "2023-08-01/2023-09-20", "du 1er août au 20 septembre 2023" },
    { "2023-07-14/2023-08-01", "du 14 juillet au 1er août 2023" },
    { "2023-09/2023-12", "de septembre à décembre 2023" },
    { "2023-04/2023-06", "d’avril à juin 2023" },
    { "2020/2023", "2020–2023" },
    /* Other intervals: "du … au …", "de … à …". */
    { "2022-12-12/2023-09-19", "du 12 décembre 2022 au 19 septembre 2023" },
    { "2021-03-01/2022-01-01", "du 1er mars 2021 au 1er janvier 2022" },
    { "2023-09/2024-03-01", "de septembre 2023 au 1er mars 2024" },
    { "1984~/2004-06", "de 1984 environ à juin 2004" },
    { "199X/2003", "des années 1990 à 2003" },
    { "2022-21/2023-22", "du printemps 2022 à l’été 2023" },
    { "2004-06-01/", "1er juin 2004 – ?" },
    { "/2006", "? – 2006" },
    /* From and until. */
    { "2021-03-01/..", "à partir du 1er mars 2021" },
    { "2021-03-01~/..", "à partir du 1er mars 2021 environ" },
    { "2023-09/..", "à partir de septembre 2023" },
    { "2024-04/..", "à partir d’avril 2024" },
    { "2023-21/..", "à partir du printemps 2023" },
    { "2023-23/..", "à partir de l’automne 2023" },
    { "2023-33/..", "à partir du premier trimestre 2023" },
    { "2023-37/..", "à partir de janvier–avril 2023" },
    { "199X/..", "à partir des années 1990" },
    { "20XX/..", "à partir du 21ᵉ" NBSP "siècle" },
    { "Y-170000002/..", "à partir d’il y a 170" NBSP "millions d’années" },
    { "../2021-03-01", "jusqu’au 1er mars 2021" },
    { "../2006", "jusqu’à 2006" },
    { "../2023-24", "jusqu’à l’hiver 2023" },
    { "../199X", "jusqu’aux années 1990" },
  };
  static const struct {
    const char *start;
    const char *end;
    const char *text;
  } dates[] = {
    { "2023-09-19", NULL, "19 septembre 2023" },
    { "2021-03-01", NULL, "1er mars 2021" },
    { "2021-03-01", "2021-03-03", "du 1er au 3 mars 2021" },
    { "2023-08-01", "2023-09-20", "du 1er août au 20 septembre 2023" },
    { "2021-01-30", "..", "à partir du 30 janvier 2021" },
    { "2021-03-01", "..", "à partir du 1er mars 2021" },
    { "2023-04", "..", "à partir d’avril 2023" },
    { "[2020-11-09,2020-11-10]", NULL, "9 ou 10 novembre 2020" },
    { "[2020-11-09,2020-11-10]", "..", "à partir du 9 ou 10 novembre 2020" },
    { "[2020-11-09,2020-11-10]", "2024-06-12", "du 9 ou 10 novembre 2020 au 12 juin 2024" },
    { "[2020-11-01,2020-11-02]", "2021", "du 1er ou 2 novembre 2020 à 2021" },
    { "[199X,200X]", "2021-03-01", "des années 1990 ou les années 2000 au 1er mars 2021" },
    { "2022-12-12", "2023-21", "du 12 décembre 2022 au printemps 2023" },
  };
  const char *localedir = g_getenv ("CHRONO_LOCALEDIR");
  g_autofree char *old_locale = NULL;
  g_autofree char *mo = NULL;
  g_autoptr (ChronoEdtf) start = NULL;
  g_autoptr (ChronoEdtf) end = NULL;
  g_autoptr (ChronoEdtf) bad = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *span = NULL;
  g_autofree char *day = NULL;

  if (localedir == NULL)
    {
      g_test_skip ("CHRONO_LOCALEDIR is not set: run through meson test");
      return;
    }

  /* A catalogue missing from the build would turn every check below into a
   * comparison with English: say so rather than fail on the first date. */
  mo = g_build_filename (localedir, "fr", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_message ("%s is missing: build the project (meson compile) before testing", mo);
      g_test_fail ();
      return;
    }

  old_locale = g_strdup (setlocale (LC_ALL, NULL));
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  if (setlocale (LC_ALL, "fr_FR.UTF-8") == NULL)
    {
      g_test_skip ("the fr_FR.UTF-8 locale is not installed");
      return;
    }
  g_setenv ("LANGUAGE", "fr", TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ChronoEdtf) edtf = parse_ok (cases[i].edtf);
      g_autofree char *text = chrono_edtf_format (edtf);

      g_test_message ("%s → %s", cases[i].edtf, text);
      g_assert_cmpstr (text, ==, cases[i].text);
    }

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autofree char *text = chrono_format_dates (dates[i].start, dates[i].end);

      g_test_message ("%s, %s → %s", dates[i].start, dates[i].end, text);
      g_assert_cmpstr (text, ==, dates[i].text);
    }

  start = parse_ok ("2022-12-12");
  end = parse_ok ("2023-09-19");
  span = chrono_edtf_format_span (start, end);
  g_assert_cmpstr (span, ==, "du 12 décembre 2022 au 19 septembre 2023");

  day = chrono_day_format (chrono_day_from_ymd (2021, 3, 1));
  g_assert_cmpstr (day, ==, "1er mars 2021");

  bad = chrono_edtf_parse ("2023-02-30", &error);
  g_assert_null (bad);
  g_assert_error (error, CHRONO_DATE_ERROR, CHRONO_DATE_ERROR_INVALID_DATE);
  g_assert_cmpstr (error->message, ==,
                   "«" NBSP "2023-02-30" NBSP "», caractère 9" NBSP ": février 2023 n’a que 28" NBSP "jours");

  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, old_locale);
}

#undef NBSP

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/date/day/known", test_day_known);
  g_test_add_func ("/date/day/walk", test_day_walk);
  g_test_add_func ("/date/day/deep", test_day_deep);
  g_test_add_func ("/date/day/iso", test_day_iso);
  g_test_add_func ("/date/edtf/vectors", test_edtf_vectors);
  g_test_add_func ("/date/edtf/benchmark-vectors", test_edtf_benchmark_vectors);
  g_test_add_func ("/date/edtf/qualifier-vectors", test_edtf_qualifier_vectors);
  g_test_add_func ("/date/edtf/bad-vectors", test_edtf_bad_vectors);
  g_test_add_func ("/date/edtf/impossible-days", test_edtf_impossible_days);
  g_test_add_func ("/date/edtf/syntax-errors", test_edtf_syntax_errors);
  g_test_add_func ("/date/edtf/deep-time", test_edtf_deep_time);
  g_test_add_func ("/date/edtf/shapes", test_edtf_shapes);
  g_test_add_func ("/date/edtf/groupings", test_edtf_groupings);
  g_test_add_func ("/date/format/day", test_format_day);
  g_test_add_func ("/date/format/dates", test_format_dates);
  g_test_add_func ("/date/format/edtf", test_format_edtf);
  g_test_add_func ("/date/format/span", test_format_span);
  /* Last: it changes the locale for its own checks. */
  g_test_add_func ("/date/format/french", test_format_french);

  return g_test_run ();
}
