/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-export-csv"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "chrono-date.h"
#include "chrono-event.h"
#include "chrono-export.h"

/*
 * One row per event, in order of start, as RFC 4180 has it: UTF-8, CRLF at
 * the end of each row, fields quoted when they hold a comma, a quote, a CR
 * or a LF (a line end inside a quoted field is kept as the text has it).
 * start and end are the EDTF as stored; earliest and latest the first and
 * last possible day, empty when open. Only the first place and the first
 * excerpt of an event fit in a row. The CSV reader reads it back.
 */

static const char * const columns[] = {
  "id", "title", "summary", "start", "end", "earliest", "latest", "category",
  "place", "lat", "lon", "source", "url", "excerpt",
};

static void
append_field (GString    *row,
              const char *text,
              gboolean    first)
{
  if (!first)
    g_string_append_c (row, ',');
  if (text == NULL)
    return;

  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (row, text);
      return;
    }

  g_string_append_c (row, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (row, '"');
      g_string_append_c (row, *p);
    }
  g_string_append_c (row, '"');
}

/* An ISO day, or for deep time the EDTF year ("Y-13800000000"); NULL when open */
static char *
day_text (ChronoDay day)
{
  gint64 year;
  int month, dom;

  if (day == CHRONO_DAY_NEGATIVE_INFINITY || day == CHRONO_DAY_POSITIVE_INFINITY)
    return NULL;

  chrono_day_to_ymd (day, &year, &month, &dom);
  if (year < -9999 || year > 9999)
    return g_strdup_printf ("Y%" G_GINT64_FORMAT, year);

  return chrono_day_to_iso (day);
}

/* The shortest text that reads back as the same number */
static char *
coordinate_text (double value)
{
  static const char * const formats[] = { "%.7g", "%.9g", "%.11g", "%.13g", "%.15g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  return g_strdup (buf);
}

static gboolean
write_csv (ChronoStore    *store,
           const char     *lang,
           GOutputStream  *out,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GString) row = g_string_sized_new (1024);

  events = chrono_export_get_events (store, lang, error);
  if (events == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    append_field (row, columns[i], i == 0);
  g_string_append (row, "\r\n");

  for (guint i = 0; i < events->len; i++)
    {
      ChronoEvent *event = events->pdata[i];
      GPtrArray *places = chrono_event_get_places (event);
      GPtrArray *excerpts = chrono_event_get_excerpts (event);
      ChronoPlace *place = places != NULL && places->len > 0 ? places->pdata[0] : NULL;
      ChronoExcerpt *excerpt = excerpts != NULL && excerpts->len > 0 ? excerpts->pdata[0] : NULL;
      ChronoSource *source = excerpt != NULL ? chrono_excerpt_get_source (excerpt) : NULL;
      g_autofree char *earliest = day_text (chrono_event_get_start_lo (event));
      g_autofree char *latest = day_text (chrono_event_get_end_hi (event));
      g_autofree char *lat = place != NULL ? coordinate_text (chrono_place_get_lat (place)) : NULL;
      g_autofree char *lon = place != NULL ? coordinate_text (chrono_place_get_lon (place)) : NULL;
      g_autofree char *citation = source != NULL ? chrono_source_dup_citation (source) : NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      append_field (row, chrono_event_get_id (event), TRUE);
      append_field (row, chrono_event_get_title (event), FALSE);
      append_field (row, chrono_event_get_summary (event), FALSE);
      append_field (row, chrono_event_get_start (event), FALSE);
      append_field (row, chrono_event_get_end (event), FALSE);
      append_field (row, earliest, FALSE);
      append_field (row, latest, FALSE);
      append_field (row, chrono_event_get_category (event), FALSE);
      append_field (row, place != NULL ? chrono_place_get_name (place) : NULL, FALSE);
      append_field (row, lat, FALSE);
      append_field (row, lon, FALSE);
      append_field (row, citation != NULL ? citation : source != NULL ? chrono_source_get_title (source) : NULL, FALSE);
      append_field (row, source != NULL ? chrono_source_get_url (source) : NULL, FALSE);
      append_field (row, excerpt != NULL ? chrono_excerpt_get_quote (excerpt) : NULL, FALSE);
      g_string_append (row, "\r\n");

      /* Written in pieces of about 64 KiB */
      if (row->len >= 64 * 1024)
        {
          if (!chrono_export_write (out, row->str, row->len, error))
            return FALSE;
          g_string_truncate (row, 0);
        }
    }

  return chrono_export_write (out, row->str, row->len, error);
}

const ChronoExportFormat chrono_export_format_csv = {
  .name = "csv",
  .label = N_("CSV table"),
  .extension = "csv",
  .mime_type = "text/csv",
  .write = write_csv,
};
