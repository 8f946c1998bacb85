/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-fuzz"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "chrono-date.h"
#include "chrono-time-index.h"
#include "chrono-tour-step.h"
#include "fuzz-store.h"

/*
 * What every fuzz target shares: a quiet, strict GLib, and reading a whole
 * store back the way the window does, checking what the store promises.
 * A failed check aborts, which libFuzzer reports as a crash with the input.
 */

static void
on_log (const char     *log_domain,
        GLogLevelFlags  log_level,
        const char     *message,
        gpointer        user_data)
{
  /* A critical or an error aborts here, so that libFuzzer keeps the input
   * (GLib's own way out is a breakpoint trap, which libFuzzer does not
   * catch); other messages about a bad input are expected by the million. */
  if (log_level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR))
    {
      fprintf (stderr, "%s: %s\n", log_domain != NULL ? log_domain : "", message);
      abort ();
    }
  if (g_getenv ("CHRONO_FUZZ_VERBOSE") != NULL)
    g_log_default_handler (log_domain, log_level, message, user_data);
}

void
fuzz_init (void)
{
  /* A critical is a broken precondition inside our code: a bug. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR | G_LOG_FATAL_MASK);
  g_log_set_default_handler (on_log, NULL);
}

/* Text a person is shown (a title, an error message) must be UTF-8. */
void
fuzz_check_utf8_for (const char *what,
                     const char *text)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      g_autofree char *escaped = g_strescape (text, NULL);

      fprintf (stderr, "invalid UTF-8 in %s: \"%s\"\n", what, escaped);
      abort ();
    }
}

static void
check_date (const char *text,
            gboolean    required)
{
  g_autoptr(ChronoEdtf) edtf = NULL;
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    {
      g_assert_false (required);
      return;
    }
  fuzz_check_utf8 (text);
  if (g_str_equal (text, "..") || *text == '\0')
    return;

  edtf = chrono_edtf_parse (text, &error);
  if (edtf == NULL)
    {
      g_printerr ("the store holds a date that does not parse: '%s': %s\n", text, error->message);
      abort ();
    }
}

static void
check_place (ChronoPlace *place)
{
  double lat = chrono_place_get_lat (place);
  double lon = chrono_place_get_lon (place);
  GPtrArray *names = chrono_place_get_names (place);

  g_assert_nonnull (chrono_place_get_id (place));
  fuzz_check_utf8 (chrono_place_get_id (place));
  fuzz_check_utf8 (chrono_place_get_kind (place));
  fuzz_check_utf8 (chrono_place_get_geometry (place));
  fuzz_check_utf8 (chrono_place_get_note (place));
  fuzz_check_utf8 (chrono_place_get_name (place));
  fuzz_check_utf8 (chrono_place_get_official_name (place));
  g_assert_true (isfinite (lat) && lat >= -90 && lat <= 90);
  g_assert_true (isfinite (lon) && lon >= -180 && lon <= 180);

  for (guint i = 0; names != NULL && i < names->len; i++)
    {
      ChronoPlaceName *name = g_ptr_array_index (names, i);

      fuzz_check_utf8 (name->name);
    }
}

static void
check_source (ChronoSource *source)
{
  g_assert_nonnull (chrono_source_get_id (source));
  fuzz_check_utf8 (chrono_source_get_id (source));
  fuzz_check_utf8 (chrono_source_get_title (source));
  fuzz_check_utf8 (chrono_source_get_outlet (source));
  fuzz_check_utf8 (chrono_source_get_author (source));
  fuzz_check_utf8 (chrono_source_get_published (source));
  fuzz_check_utf8 (chrono_source_get_url (source));
  fuzz_check_utf8 (chrono_source_get_note (source));
}

static void
check_event (ChronoEvent *event)
{
  GPtrArray *places = chrono_event_get_places (event);
  GPtrArray *excerpts = chrono_event_get_excerpts (event);
  GPtrArray *claims = chrono_event_get_claims (event);

  g_assert_nonnull (chrono_event_get_id (event));
  fuzz_check_utf8 (chrono_event_get_id (event));
  fuzz_check_utf8 (chrono_event_get_title (event));
  fuzz_check_utf8 (chrono_event_get_summary (event));
  fuzz_check_utf8 (chrono_event_get_category (event));
  fuzz_check_utf8 (chrono_event_get_note (event));
  check_date (chrono_event_get_start (event), TRUE);
  check_date (chrono_event_get_end (event), FALSE);
  g_assert_cmpint (chrono_event_get_start_lo (event), <=, chrono_event_get_start_hi (event));
  g_assert_cmpint (chrono_event_get_end_lo (event), <=, chrono_event_get_end_hi (event));

  for (guint i = 0; places != NULL && i < places->len; i++)
    {
      check_place (g_ptr_array_index (places, i));
      fuzz_check_utf8 (chrono_event_get_place_role (event, i));
    }
  for (guint i = 0; excerpts != NULL && i < excerpts->len; i++)
    {
      ChronoExcerpt *excerpt = g_ptr_array_index (excerpts, i);

      fuzz_check_utf8 (chrono_excerpt_get_quote (excerpt));
      if (chrono_excerpt_get_source (excerpt) != NULL)
        check_source (chrono_excerpt_get_source (excerpt));
    }
  for (guint i = 0; claims != NULL && i < claims->len; i++)
    {
      ChronoClaim *claim = g_ptr_array_index (claims, i);

      fuzz_check_utf8 (chrono_claim_get_key (claim));
      fuzz_check_utf8 (chrono_claim_get_value (claim));
    }
}

/* Reads everything back; each getter must succeed on what an import let in. */
void
fuzz_read_back (ChronoStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) places = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GPtrArray) tour = NULL;

  spans = chrono_store_get_spans (store, &error);
  g_assert_no_error (error);
  rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), spans->len);
  for (guint i = 0; i < spans->len; i++)
    {
      const ChronoSpan *span = &g_array_index (spans, ChronoSpan, i);

      g_assert_cmpint (span->lo, <=, span->hi);
      g_array_append_val (rowids, span->id);
    }

  events = chrono_store_get_events (store, (const gint64 *) (gpointer) rowids->data, rowids->len, "en", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, spans->len);
  for (guint i = 0; i < events->len; i++)
    check_event (g_ptr_array_index (events, i));

  places = chrono_store_get_places (store, "en", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < places->len; i++)
    check_place (g_ptr_array_index (places, i));

  sources = chrono_store_get_sources (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < sources->len; i++)
    check_source (g_ptr_array_index (sources, i));

  tour = chrono_store_get_tour (store, "en", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tour->len; i++)
    {
      ChronoTourStep *step = g_ptr_array_index (tour, i);

      fuzz_check_utf8 (chrono_tour_step_get_title (step));
      fuzz_check_utf8 (chrono_tour_step_get_note (step));
      fuzz_check_utf8 (chrono_tour_step_get_date (step));
    }
}
