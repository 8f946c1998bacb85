/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import-timelinejs"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "chrono-import-formats.h"

/*
 * TimelineJS files (https://timeline.knightlab.com), version 3:
 *
 *   { "title": SLIDE, "events": [SLIDE, …], "eras": [SLIDE, …] }
 *
 * where a slide has "start_date" and "end_date" objects whose parts (year,
 * month, day, hour, …) are numbers or strings, "" meaning absent; "text"
 * {headline, text} in HTML; "group", "unique_id", "media", "display_date",
 * and in the variant with a map a "location" {lat, lon, name, zoom, line}.
 *
 * What becomes what: a slide is an event (an era is an event of category
 * "era"); its headline the title, its text the summary and an excerpt
 * quoted from the file itself (a media credit is the credit of a picture,
 * not of the text, so it goes to the note with the caption and link); its
 * group the category; its unique_id the event's local id; a location a
 * place. Times of day are noted, and the day is kept as written: TimelineJS
 * has no time zone. An "overview" slide is the timeline's introduction, not
 * an event.
 *
 * Version 2 files ({"timeline": {"headline", "text", "date": [{"startDate":
 * "2011,12,10", …}], "era": […]}}) are read too.
 */

/* A text kept in a note: media captions and credits are short in real files. */
#define MAX_NOTE_PART 2000

static const char * const timelinejs_patterns[] = { "*.json", NULL };
static const char * const timelinejs_mime_types[] = { "application/json", NULL };

typedef struct
{
  ChronoImport *import;
  gboolean      has_title;
  gboolean      has_description;
  gsize         done;
  gsize         total;
} Reader;

/* Helpers */

static const char *
describe_node (JsonNode *node)
{
  if (node == NULL)
    return _("nothing");

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return _("an object");
    case JSON_NODE_ARRAY:
      return _("an array");
    case JSON_NODE_NULL:
      return _("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return _("a text");
    case G_TYPE_BOOLEAN:
      return _("true or false");
    default:
      return _("a number");
    }
}

static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  return object != NULL ? json_object_get_member (object, name) : NULL;
}

static JsonObject *
get_object (JsonObject *object,
            const char *name)
{
  JsonNode *node = get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/*
 * The text of a string or number node: valid UTF-8, at most @max bytes,
 * trimmed; NULL for anything else or an empty text.
 */
static char *
dup_node_text (JsonNode *node,
               gsize     max)
{
  g_autofree char *text = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      text = chrono_import_text_limit (json_node_get_string (node), max);
      break;
    case G_TYPE_INT64:
      text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        text = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", json_node_get_double (node)));
        break;
      }
    default:
      return NULL;
    }

  g_strstrip (text);
  if (text[0] == '\0')
    return NULL;

  return g_steal_pointer (&text);
}

static char *
dup_text (JsonObject *object,
          const char *name,
          gsize       max)
{
  return dup_node_text (get_member (object, name), max);
}

/* Plain text of an HTML member; NULL when empty. */
static char *
dup_html (JsonObject *object,
          const char *name,
          gsize       max)
{
  g_autofree char *html = dup_text (object, name, max);
  g_autofree char *text = NULL;

  if (html == NULL)
    return NULL;

  text = chrono_import_text_from_html (html);
  if (g_strstrip (text)[0] == '\0')
    return NULL;

  return g_steal_pointer (&text);
}

/* An HTML headline on one line ("Whitney Houston<br/> 1963 - 2012"). */
static char *
dup_html_line (JsonObject *object,
               const char *name)
{
  char *text = dup_html (object, name, 4000);

  if (text != NULL)
    for (char *p = text; *p != '\0'; p++)
      if (*p == '\n')
        *p = ' ';

  return text;
}

/* A latitude or longitude: a number, or a number written as a text. */
static gboolean
read_coordinate (JsonNode *node,
                 double   *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      *out = json_node_get_double (node);
      return TRUE;
    case G_TYPE_STRING:
      {
        g_autofree char *text = chrono_import_text_limit (json_node_get_string (node), 64);
        char *end;

        g_strstrip (text);
        if (text[0] == '\0')
          return FALSE;
        *out = g_ascii_strtod (text, &end);
        return *end == '\0';
      }
    default:
      return FALSE;
    }
}

/* Dates */

typedef enum
{
  PART_ABSENT,
  PART_OK,
  PART_BAD,
} PartResult;

/* A date part: a whole number, or one written as a text; "" is absent. */
static PartResult
read_part (JsonObject  *date,
           const char  *name,
           gint64      *out,
           char       **out_why)
{
  JsonNode *node = get_member (date, name);

  *out = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return PART_ABSENT;

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          *out = json_node_get_int (node);
          return PART_OK;

        case G_TYPE_DOUBLE:
          {
            double value = json_node_get_double (node);

            if (isfinite (value) && value == floor (value) && fabs (value) < 1e15)
              {
                *out = (gint64) value;
                return PART_OK;
              }
            *out_why = g_strdup_printf (_("%s: %g is not a whole number"), name, value);
            return PART_BAD;
          }

        case G_TYPE_STRING:
          {
            g_autofree char *text = chrono_import_text_limit (json_node_get_string (node), 40);
            g_autoptr (GError) error = NULL;

            g_strstrip (text);
            if (text[0] == '\0')
              return PART_ABSENT;
            /* "+1963" and "1963.0" are not what TimelineJS writes; "08" is. */
            if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, out, &error))
              {
                *out_why = g_strdup_printf (_("%s: “%s” is not a whole number"), name, text);
                return PART_BAD;
              }
            return PART_OK;
          }

        default:
          break;
        }
    }

  *out_why = g_strdup_printf (_("%s: expected a number or a text, found %s"), name, describe_node (node));
  return PART_BAD;
}

typedef enum
{
  DATE_OK,
  DATE_EMPTY,    /* no object, or one with no part given */
  DATE_BAD,
} DateResult;

/*
 * A date written as a text or a number where TimelineJS wants an object
 * ("1871-03-18", 1789), as people write them by hand: read as a loose
 * date, but never with a two-digit year, whose century is unknown.
 */
static DateResult
read_date_text (JsonNode  *node,
                char     **out_edtf,
                char     **out_why)
{
  g_autofree char *text = dup_node_text (node, 200);
  g_autoptr (GError) error = NULL;
  ChronoDateHints hints = { CHRONO_DATE_ORDER_UNKNOWN, 0, FALSE };

  if (text == NULL)
    return DATE_EMPTY;

  *out_edtf = chrono_import_date_from_text (text, &hints, &error);
  if (*out_edtf == NULL)
    {
      *out_why = g_strdup (error->message);
      return DATE_BAD;
    }
  if (hints.two_digit_year)
    {
      g_clear_pointer (out_edtf, g_free);
      *out_why = g_strdup_printf (_("“%s” has a two-digit year: its century is not known"), text);
      return DATE_BAD;
    }

  return DATE_OK;
}

/*
 * A TimelineJS 3 date object as EDTF. *@out_time is the time of day when
 * one is given, for the note; *@out_coarse is set when the month and day of
 * a year beyond four digits had to be left out (EDTF has no such dates).
 */
static DateResult
read_date (JsonNode  *node,
           char     **out_edtf,
           char     **out_time,
           gboolean  *out_coarse,
           char     **out_why)
{
  static const char * const time_parts[] = { "hour", "minute", "second", "millisecond" };
  JsonObject *date;
  gint64 year, month, day, time[G_N_ELEMENTS (time_parts)];
  PartResult year_result, month_result, day_result;
  gboolean any_time = FALSE;

  *out_edtf = NULL;
  *out_time = NULL;
  *out_coarse = FALSE;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return DATE_EMPTY;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return read_date_text (node, out_edtf, out_why);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *out_why = g_strdup_printf (_("expected an object, found %s"), describe_node (node));
      return DATE_BAD;
    }
  date = json_node_get_object (node);

  if ((year_result = read_part (date, "year", &year, out_why)) == PART_BAD ||
      (month_result = read_part (date, "month", &month, out_why)) == PART_BAD ||
      (day_result = read_part (date, "day", &day, out_why)) == PART_BAD)
    return DATE_BAD;

  for (guint i = 0; i < G_N_ELEMENTS (time_parts); i++)
    {
      PartResult result = read_part (date, time_parts[i], &time[i], out_why);

      if (result == PART_BAD)
        return DATE_BAD;
      any_time |= result == PART_OK;
    }

  if (year_result == PART_ABSENT)
    {
      if (month_result == PART_ABSENT && day_result == PART_ABSENT && !any_time)
        return DATE_EMPTY;
      *out_why = g_strdup (_("no year"));
      return DATE_BAD;
    }

  if (year < CHRONO_YEAR_MIN || year > CHRONO_YEAR_MAX)
    {
      *out_why = g_strdup_printf (_("year %lld is beyond the hundred billion years "
                                    "Chronotope can show"), (long long) year);
      return DATE_BAD;
    }
  if (month < 0 || month > 12)
    {
      *out_why = g_strdup_printf (_("month: %lld is not a month from 1 to 12"), (long long) month);
      return DATE_BAD;
    }
  if (day != 0 && month == 0)
    {
      *out_why = g_strdup_printf (_("day %lld without a month"), (long long) day);
      return DATE_BAD;
    }
  if (day < 0 || day > 31)
    {
      *out_why = g_strdup_printf (_("day: %lld is not a day from 1 to 31"), (long long) day);
      return DATE_BAD;
    }

  if ((year > 9999 || year < -9999) && month > 0)
    {
      *out_coarse = TRUE;
      month = day = 0;
    }

  /* TimelineJS shows a negative year -Y as "Y BCE" (its era labels), so that
   * is what the author meant: 1 BCE is year 0 in the astronomical numbering
   * EDTF uses, and -3500 is 3500 BCE, year -3499. Deep time is shown as
   * "years ago", where one year does not count. */
  if (year < 0 && year >= -9999)
    year += 1;

  *out_edtf = chrono_import_date_from_parts (year, (int) month, (int) day);
  if (*out_edtf == NULL)
    {
      *out_why = g_strdup_printf (_("%04lld-%02d has no day %d"), (long long) year, (int) month, (int) day);
      return DATE_BAD;
    }

  if (any_time)
    *out_time = g_strdup_printf ("%02d:%02d:%02d", (int) CLAMP (time[0], 0, 99),
                                 (int) CLAMP (time[1], 0, 99), (int) CLAMP (time[2], 0, 99));

  return DATE_OK;
}

/*
 * A TimelineJS 2 date: "2011,12,10", "2011,12,10,07,02,10", "2011" or
 * "-500"; anything else as a loose date, but never a two-digit year.
 */
static char *
read_v2_date (JsonNode  *node,
              char     **out_time,
              char     **out_why)
{
  g_autofree char *text = dup_node_text (node, 200);
  g_auto (GStrv) parts = NULL;
  gint64 numbers[3] = { 0, 0, 0 };
  guint n;

  *out_time = NULL;
  if (text == NULL)
    {
      *out_why = g_strdup (_("no date"));
      return NULL;
    }

  parts = g_strsplit (text, ",", -1);
  n = g_strv_length (parts);
  if (n > 1 || g_ascii_isdigit (text[0]) || (text[0] == '-' && g_ascii_isdigit (text[1])))
    {
      gboolean all_numbers = TRUE;

      for (guint i = 0; i < n && i < 3; i++)
        {
          g_strstrip (parts[i]);
          if (parts[i][0] != '\0' &&
              !g_ascii_string_to_signed (parts[i], 10, G_MININT64, G_MAXINT64, &numbers[i], NULL))
            all_numbers = FALSE;
        }

      if (all_numbers && parts[0][0] != '\0')
        {
          char *edtf;

          /* As in version 3: "-500" is shown as 500 BCE, year -499 */
          if (numbers[0] < 0 && numbers[0] >= -9999)
            numbers[0] += 1;
          if (numbers[1] < 0 || numbers[1] > 12 || numbers[2] < 0 || numbers[2] > 31 ||
              (edtf = chrono_import_date_from_parts (numbers[0], (int) numbers[1], (int) numbers[2])) == NULL)
            {
              *out_why = g_strdup_printf (_("“%s” is not a date"), text);
              return NULL;
            }
          if (n > 3)
            {
              g_autofree char *rest = g_strjoinv (":", parts + 3);

              *out_time = g_strdup (g_strstrip (rest));
            }
          return edtf;
        }
    }

  {
    g_autoptr (GError) error = NULL;
    ChronoDateHints hints = { CHRONO_DATE_ORDER_UNKNOWN, 0, FALSE };
    g_autofree char *edtf = chrono_import_date_from_text (text, &hints, &error);

    if (edtf == NULL)
      {
        *out_why = g_strdup (error->message);
        return NULL;
      }
    if (hints.two_digit_year)
      {
        *out_why = g_strdup_printf (_("“%s” has a two-digit year: its century is not known"), text);
        return NULL;
      }
    return g_steal_pointer (&edtf);
  }
}

/* Slides */

static void
append_note_line (GString    *note,
                  const char *format,
                  ...) G_GNUC_PRINTF (2, 3);

static void
append_note_line (GString    *note,
                  const char *format,
                  ...)
{
  va_list args;

  if (note->len > 0)
    g_string_append_c (note, '\n');
  va_start (args, format);
  g_string_append_vprintf (note, format, args);
  va_end (args);
}

/* The media of a slide, for its note: caption, credit and link. */
static void
append_media (GString    *note,
              JsonObject *media)
{
  g_autofree char *caption = NULL;
  g_autofree char *credit = NULL;
  g_autofree char *url = NULL;
  g_autoptr (GString) line = NULL;

  if (media == NULL)
    return;

  caption = dup_html_line (media, "caption");
  credit = dup_html_line (media, "credit");
  url = dup_text (media, "url", MAX_NOTE_PART);
  if (url == NULL)
    url = dup_text (media, "media", MAX_NOTE_PART);  /* TimelineJS 2's asset */
  if (caption == NULL && credit == NULL && url == NULL)
    return;

  line = g_string_new (NULL);
  if (caption != NULL)
    g_string_append (line, caption);
  if (credit != NULL)
    g_string_append_printf (line, "%s(%s)", line->len > 0 ? " " : "", credit);
  if (url != NULL)
    g_string_append_printf (line, "%s%s", line->len > 0 ? ": " : "", url);

  {
    g_autofree char *limited = chrono_import_text_limit (line->str, MAX_NOTE_PART);

    /* Translators: the picture, video or link a TimelineJS slide shows */
    append_note_line (note, _("Media: %s"), limited);
  }
}

/* The place of a slide's "location", or NULL (with a note when it is unusable). */
static const char *
add_location (Reader     *reader,
              JsonObject *slide,
              const char *path,
              const char *headline)
{
  JsonNode *node = get_member (slide, "location");
  g_autofree char *location_path = g_strdup_printf ("%s: location", path);
  g_autofree char *name = NULL;
  JsonObject *location;
  JsonNode *lat_node, *lon_node;
  ChronoImportName names[1] = { { 0 } };
  ChronoImportPlace place = { 0 };
  double lat, lon;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      chrono_import_note (reader->import, 0, 0, location_path,
                          _("expected an object, found %s: the event has no place"), describe_node (node));
      return NULL;
    }

  location = json_node_get_object (node);
  lat_node = get_member (location, "lat");
  lon_node = get_member (location, "lon");
  if ((lat_node == NULL || JSON_NODE_HOLDS_NULL (lat_node)) &&
      (lon_node == NULL || JSON_NODE_HOLDS_NULL (lon_node)))
    return NULL;

  if (!read_coordinate (lat_node, &lat) || !read_coordinate (lon_node, &lon))
    {
      chrono_import_note (reader->import, 0, 0, location_path,
                          _("lat and lon are not both numbers: the event has no place"));
      return NULL;
    }
  if (!isfinite (lat) || !isfinite (lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180)
    {
      chrono_import_note (reader->import, 0, 0, location_path,
                          _("(%g, %g) is not a latitude and longitude on Earth: the event has no place"),
                          lat, lon);
      return NULL;
    }

  name = dup_html_line (location, "name");
  names[0].name = name != NULL ? name : headline;
  place.lat = lat;
  place.lon = lon;
  place.names = names;
  place.n_names = names[0].name != NULL ? 1 : 0;

  return chrono_import_add_place (reader->import, &place, 0, location_path);
}

/* A TimelineJS 3 slide of "events" or "eras": an event. */
static void
read_slide (Reader     *reader,
            JsonObject *slide,
            const char *path,
            gboolean    is_era)
{
  g_autofree char *start = NULL, *end = NULL;
  g_autofree char *start_time = NULL, *end_time = NULL;
  g_autofree char *why = NULL;
  g_autofree char *title = NULL, *summary = NULL, *category = NULL, *local_id = NULL;
  g_autofree char *display_date = NULL, *end_display_date = NULL;
  g_autoptr (GString) note = g_string_new (NULL);
  JsonObject *text = get_object (slide, "text");
  JsonObject *end_object = get_object (slide, "end_date");
  const char *place_id;
  gboolean coarse_start, coarse_end;
  ChronoImportExcerpt excerpt = { 0 };
  ChronoImportEvent event = { 0 };

  switch (read_date (get_member (slide, "start_date"), &start, &start_time, &coarse_start, &why))
    {
    case DATE_OK:
      break;
    case DATE_EMPTY:
      {
        g_autofree char *date_path = g_strdup_printf ("%s: start_date", path);

        chrono_import_skip (reader->import, 0, 0, date_path, _("no year"));
        return;
      }
    case DATE_BAD:
    default:
      {
        g_autofree char *date_path = g_strdup_printf ("%s: start_date", path);

        chrono_import_skip (reader->import, 0, 0, date_path, "%s", why);
        return;
      }
    }

  if (read_date (get_member (slide, "end_date"), &end, &end_time, &coarse_end, &why) == DATE_BAD)
    {
      g_autofree char *date_path = g_strdup_printf ("%s: end_date", path);

      chrono_import_skip (reader->import, 0, 0, date_path, "%s", why);
      return;
    }

  if (coarse_start || coarse_end)
    chrono_import_note (reader->import, 0, 0, path,
                        _("the month and day of a year beyond four digits are left out: "
                          "such dates are read to the year"));

  title = dup_html_line (text, "headline");
  summary = dup_html (text, "text", CHRONO_IMPORT_MAX_TEXT + 8);
  category = is_era ? g_strdup ("era") : dup_html_line (slide, "group");
  local_id = dup_text (slide, "unique_id", 200);

  display_date = dup_html_line (slide, "display_date");
  if (display_date == NULL)
    display_date = dup_html_line (get_object (slide, "start_date"), "display_date");
  end_display_date = dup_html_line (end_object, "display_date");
  if (display_date != NULL)
    append_note_line (note, _("Date as shown: %s"), display_date);
  if (end_display_date != NULL)
    append_note_line (note, _("End as shown: %s"), end_display_date);
  if (start_time != NULL)
    append_note_line (note, _("Time as written: %s (no time zone; the day is kept as written)"), start_time);
  if (end_time != NULL)
    append_note_line (note, _("End time as written: %s"), end_time);
  append_media (note, get_object (slide, "media"));

  place_id = add_location (reader, slide, path, title);

  /* The file's own words, quoted from the file. */
  excerpt.quote = summary != NULL ? summary : title;

  event.local_id = local_id;
  event.start = start;
  event.end = end;
  event.title = title;
  event.summary = summary;
  event.category = category;
  event.note = note->len > 0 ? note->str : NULL;
  event.place_ids = &place_id;
  event.n_places = place_id != NULL ? 1 : 0;
  event.excerpts = &excerpt;
  event.n_excerpts = excerpt.quote != NULL ? 1 : 0;

  chrono_import_add_event (reader->import, &event, 0, path);
}

/* The title slide, or an "overview" one: the timeline's title and description. */
static void
read_title_slide (Reader     *reader,
                  JsonObject *slide)
{
  JsonObject *text = get_object (slide, "text");
  g_autofree char *headline = dup_html_line (text, "headline");
  g_autofree char *description = dup_html (text, "text", 100000);

  if (!reader->has_title && headline != NULL)
    {
      chrono_import_set_title (reader->import, headline);
      reader->has_title = TRUE;
    }
  if (!reader->has_description && description != NULL)
    {
      chrono_import_set_description (reader->import, description);
      reader->has_description = TRUE;
    }
}

static gboolean
step (Reader  *reader,
      GError **error)
{
  return chrono_import_progress (reader->import, ++reader->done, reader->total, error);
}

static gboolean
read_v3 (Reader      *reader,
         JsonObject  *root,
         GError     **error)
{
  const char *display_name = chrono_import_get_display_name (reader->import);
  JsonNode *events_node = get_member (root, "events");
  JsonNode *eras_node = get_member (root, "eras");
  JsonNode *title_node = get_member (root, "title");
  JsonArray *events = NULL;
  JsonArray *eras = NULL;

  if (events_node != NULL && !JSON_NODE_HOLDS_NULL (events_node))
    {
      if (!JSON_NODE_HOLDS_ARRAY (events_node))
        {
          g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                       _("%s: events: expected an array, found %s"), display_name, describe_node (events_node));
          return FALSE;
        }
      events = json_node_get_array (events_node);
    }

  if (eras_node != NULL && !JSON_NODE_HOLDS_NULL (eras_node))
    {
      if (JSON_NODE_HOLDS_ARRAY (eras_node))
        eras = json_node_get_array (eras_node);
      else
        chrono_import_note (reader->import, 0, 0, "eras",
                            _("expected an array, found %s"), describe_node (eras_node));
    }

  if (events == NULL && eras == NULL)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: not a TimelineJS file: it has no “events”"), display_name);
      return FALSE;
    }

  if (title_node != NULL && JSON_NODE_HOLDS_OBJECT (title_node))
    read_title_slide (reader, json_node_get_object (title_node));
  else if (title_node != NULL && JSON_NODE_HOLDS_VALUE (title_node) &&
           json_node_get_value_type (title_node) == G_TYPE_STRING)
    {
      /* "title": "…" where a slide was meant */
      g_autofree char *html = dup_node_text (title_node, 4000);
      g_autofree char *title = html != NULL ? chrono_import_text_from_html (html) : NULL;

      if (title != NULL && g_strstrip (title)[0] != '\0')
        {
          chrono_import_set_title (reader->import, title);
          reader->has_title = TRUE;
        }
    }
  else if (title_node != NULL && !JSON_NODE_HOLDS_NULL (title_node))
    chrono_import_note (reader->import, 0, 0, "title",
                        _("expected an object, found %s"), describe_node (title_node));

  reader->total = (events != NULL ? json_array_get_length (events) : 0) +
                  (eras != NULL ? json_array_get_length (eras) : 0);

  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonNode *node = json_array_get_element (events, i);
      g_autofree char *path = g_strdup_printf ("events[%u]", i);
      g_autofree char *type = NULL;
      JsonObject *slide;

      if (!step (reader, error))
        return FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          chrono_import_skip (reader->import, 0, 0, path, _("expected an object, found %s"), describe_node (node));
          continue;
        }
      slide = json_node_get_object (node);

      type = dup_text (slide, "type", 100);
      if (type != NULL && g_ascii_strcasecmp (type, "overview") == 0)
        {
          gboolean used = !reader->has_description;

          read_title_slide (reader, slide);
          if (used && reader->has_description)
            chrono_import_skip (reader->import, 0, 0, path,
                                _("an overview slide is not an event: its text is the dataset’s description"));
          else
            chrono_import_skip (reader->import, 0, 0, path, _("an overview slide is not an event"));
          continue;
        }

      read_slide (reader, slide, path, FALSE);
    }

  for (guint i = 0; eras != NULL && i < json_array_get_length (eras); i++)
    {
      JsonNode *node = json_array_get_element (eras, i);
      g_autofree char *path = g_strdup_printf ("eras[%u]", i);

      if (!step (reader, error))
        return FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          chrono_import_skip (reader->import, 0, 0, path, _("expected an object, found %s"), describe_node (node));
          continue;
        }

      read_slide (reader, json_node_get_object (node), path, TRUE);
    }

  return TRUE;
}

/* A TimelineJS 2 "date" or "era" entry. */
static void
read_v2_slide (Reader     *reader,
               JsonObject *slide,
               const char *path,
               gboolean    is_era)
{
  g_autofree char *start = NULL, *end = NULL;
  g_autofree char *start_time = NULL, *end_time = NULL;
  g_autofree char *why = NULL;
  g_autofree char *title = NULL, *summary = NULL, *category = NULL;
  g_autofree char *end_text = NULL;
  g_autoptr (GString) note = g_string_new (NULL);
  JsonNode *end_node;
  ChronoImportExcerpt excerpt = { 0 };
  ChronoImportEvent event = { 0 };

  start = read_v2_date (get_member (slide, "startDate"), &start_time, &why);
  if (start == NULL)
    {
      g_autofree char *date_path = g_strdup_printf ("%s: startDate", path);

      chrono_import_skip (reader->import, 0, 0, date_path, "%s", why);
      return;
    }

  /* A blank end is no end */
  end_node = get_member (slide, "endDate");
  end_text = dup_node_text (end_node, 200);
  if (end_text != NULL)
    {
      g_clear_pointer (&why, g_free);
      end = read_v2_date (end_node, &end_time, &why);
      if (end == NULL)
        {
          g_autofree char *date_path = g_strdup_printf ("%s: endDate", path);

          chrono_import_skip (reader->import, 0, 0, date_path, "%s", why);
          return;
        }
    }

  title = dup_html_line (slide, "headline");
  summary = dup_html (slide, "text", CHRONO_IMPORT_MAX_TEXT + 8);
  category = is_era ? g_strdup ("era") : dup_html_line (slide, "tag");
  if (start_time != NULL)
    append_note_line (note, _("Time as written: %s (no time zone; the day is kept as written)"), start_time);
  if (end_time != NULL)
    append_note_line (note, _("End time as written: %s"), end_time);
  append_media (note, get_object (slide, "asset"));

  excerpt.quote = summary != NULL ? summary : title;

  event.start = start;
  event.end = end;
  event.title = title;
  event.summary = summary;
  event.category = category;
  event.note = note->len > 0 ? note->str : NULL;
  event.excerpts = &excerpt;
  event.n_excerpts = excerpt.quote != NULL ? 1 : 0;

  chrono_import_add_event (reader->import, &event, 0, path);
}

static gboolean
read_v2_array (Reader      *reader,
               JsonObject  *timeline,
               const char  *member,
               gboolean     is_era,
               GError     **error)
{
  JsonNode *node = get_member (timeline, member);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *path = g_strdup_printf ("timeline.%s", member);

      chrono_import_skip (reader->import, 0, 0, path, _("expected an array, found %s"), describe_node (node));
      return TRUE;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("timeline.%s[%u]", member, i);

      if (!step (reader, error))
        return FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          chrono_import_skip (reader->import, 0, 0, path, _("expected an object, found %s"), describe_node (element));
          continue;
        }

      read_v2_slide (reader, json_node_get_object (element), path, is_era);
    }

  return TRUE;
}

static gboolean
read_v2 (Reader      *reader,
         JsonObject  *timeline,
         GError     **error)
{
  JsonNode *dates = get_member (timeline, "date");
  JsonNode *eras = get_member (timeline, "era");
  g_autofree char *headline = dup_html_line (timeline, "headline");
  g_autofree char *description = dup_html (timeline, "text", 100000);

  if (headline != NULL)
    chrono_import_set_title (reader->import, headline);
  if (description != NULL)
    chrono_import_set_description (reader->import, description);

  reader->total = (dates != NULL && JSON_NODE_HOLDS_ARRAY (dates) ? json_array_get_length (json_node_get_array (dates)) : 0) +
                  (eras != NULL && JSON_NODE_HOLDS_ARRAY (eras) ? json_array_get_length (json_node_get_array (eras)) : 0);

  return read_v2_array (reader, timeline, "date", FALSE, error) &&
         read_v2_array (reader, timeline, "era", TRUE, error);
}

static gboolean
read_timelinejs (ChronoImport  *import,
                 GBytes        *bytes,
                 GError       **error)
{
  g_autoptr (JsonParser) parser = NULL;
  const char *display_name = chrono_import_get_display_name (import);
  Reader reader = { import, FALSE, FALSE, 0, 0 };
  JsonNode *root;
  JsonObject *object;
  JsonObject *timeline;

  parser = chrono_import_parse_json (import, bytes, error);
  if (parser == NULL)
    return FALSE;

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: not a TimelineJS file: expected an object at the top level, found %s"),
                   display_name, describe_node (root));
      return FALSE;
    }
  object = json_node_get_object (root);

  timeline = get_object (object, "timeline");
  if (timeline != NULL && !json_object_has_member (object, "events"))
    return read_v2 (&reader, timeline, error);

  return read_v3 (&reader, object, error);
}

/* Detection */

static gboolean
head_has (const guint8 *head,
          gsize         len,
          const char   *needle)
{
  return g_strstr_len ((const char *) head, len, needle) != NULL;
}

static int
timelinejs_detect (const char   *basename,
                   const guint8 *head,
                   gsize         len)
{
  /* Chronotope's own datasets and story maps have readers of their own. */
  if (head_has (head, len, "\"chronotope-dataset\"") || head_has (head, len, "\"storymap\""))
    return CHRONO_DETECT_NO;

  if (head_has (head, len, "\"events\"") && head_has (head, len, "\"start_date\""))
    return CHRONO_DETECT_YES;
  if (head_has (head, len, "\"timeline\"") && head_has (head, len, "\"startDate\""))
    return CHRONO_DETECT_YES;
  /* A title slide longer than the head; "slides" are a story map's */
  if (head_has (head, len, "\"title\"") && head_has (head, len, "\"headline\"") &&
      !head_has (head, len, "\"slides\""))
    return CHRONO_DETECT_MAYBE;

  return CHRONO_DETECT_NO;
}

const ChronoImportFormat chrono_import_format_timelinejs = {
  .name = "timelinejs",
  .label = N_("TimelineJS (JSON)"),
  .patterns = timelinejs_patterns,
  .mime_types = timelinejs_mime_types,
  .detect = timelinejs_detect,
  .read = read_timelinejs,
};
