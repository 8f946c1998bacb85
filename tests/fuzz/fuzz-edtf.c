/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-fuzz-edtf"

#include "config.h"

#include <stdint.h>

#include "chrono-date.h"
#include "fuzz-store.h"

/*
 * chrono_edtf_parse() on any text; what it accepts must hold together:
 * its bounds are ordered, and it can be formatted.
 */

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_day (ChronoDay day)
{
  g_autofree char *iso = NULL;
  gint64 year;
  int month, day_of_month;

  if (day == CHRONO_DAY_NEGATIVE_INFINITY || day == CHRONO_DAY_POSITIVE_INFINITY)
    return;

  chrono_day_to_ymd (day, &year, &month, &day_of_month);
  g_assert_true (chrono_day_is_valid_ymd (year, month, day_of_month));
  g_assert_cmpint (chrono_day_from_ymd (year, month, day_of_month), ==, day);
  iso = chrono_day_to_iso (day);
  fuzz_check_utf8 (iso);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(ChronoEdtf) edtf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *formatted = NULL;
  g_autofree char *span = NULL;
  g_autofree char *dates = NULL;

  edtf = chrono_edtf_parse (text, &error);
  if (edtf == NULL)
    {
      g_assert_nonnull (error);
      fuzz_check_utf8 (error->message);
      return 0;
    }
  g_assert_no_error (error);

  g_assert_cmpint (chrono_edtf_get_earliest (edtf), <=, chrono_edtf_get_latest (edtf));
  g_assert_cmpint (chrono_edtf_get_earliest_fuzzy (edtf), <=, chrono_edtf_get_earliest (edtf));
  g_assert_cmpint (chrono_edtf_get_latest (edtf), <=, chrono_edtf_get_latest_fuzzy (edtf));
  check_day (chrono_edtf_get_earliest (edtf));
  check_day (chrono_edtf_get_latest (edtf));
  check_day (chrono_edtf_get_earliest_fuzzy (edtf));
  check_day (chrono_edtf_get_latest_fuzzy (edtf));

  (void) chrono_edtf_is_interval (edtf);
  (void) chrono_edtf_is_set (edtf);
  (void) chrono_edtf_is_uncertain (edtf);
  (void) chrono_edtf_is_approximate (edtf);
  g_assert_cmpint (chrono_edtf_get_precision (edtf), <=, CHRONO_PRECISION_DEEP);

  g_assert_nonnull (chrono_edtf_get_text (edtf));
  formatted = chrono_edtf_format (edtf);
  fuzz_check_utf8 (formatted);
  span = chrono_edtf_format_span (edtf, edtf);
  fuzz_check_utf8 (span);
  dates = chrono_format_dates (text, NULL);
  fuzz_check_utf8 (dates);

  return 0;
}
