/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import-storymapjs"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "chrono-import-formats.h"

/*
 * StoryMapJS files (https://storymap.knightlab.com):
 *
 *   { "storymap": { "map_type": …, "map_as_image": false,
 *                   "slides": [ { "type": "overview", "text": {…} },
 *                               { "location": {lat, lon, name, zoom, line},
 *                                 "text": {headline, text}, "date": "1790",
 *                                 "media": {…} }, … ] } }
 *
 * (the top level may also be the storymap object itself). A story map is
 * places in an order, not dates: "date" is free text, often a year, a
 * range ("1790-2010"), a day without a year ("Aug 23") or nothing. So a
 * slide with a location is always a place; it is also an event at that
 * place when its date has a year. A date without one is never completed:
 * the slide stays an undated place with its text in the place's note.
 * The overview slide is the dataset's title and description. A story map
 * drawn on an image (map_as_image, zoomify) has no geographic coordinates
 * and is refused.
 */

#define MAX_NOTE_PART 2000

static const char * const storymapjs_patterns[] = { "*.json", NULL };
static const char * const storymapjs_mime_types[] = { "application/json", NULL };

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

/* The text of a string or number node, valid UTF-8, trimmed; NULL if empty or another type. */
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

/* An HTML headline on one line ("US Westward Expansion <small>…</small>"). */
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

static gboolean
node_is_true (JsonNode *node)
{
  g_autofree char *text = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);

  text = dup_node_text (node, 16);
  return text != NULL && (g_ascii_strcasecmp (text, "true") == 0 || g_str_equal (text, "1"));
}

/* Dates */

/* "1790-2010", "1790 – 2010", "-500-300": two years, the second not before the first. */
static gboolean
read_year_range (const char  *text,
                 char       **out_start,
                 char       **out_end)
{
  const char *p = text;
  gint64 years[2];

  for (guint i = 0; i < 2; i++)
    {
      gboolean negative = FALSE;
      gint64 year = 0;
      guint digits = 0;

      while (*p == ' ')
        p++;
      if (*p == '-')
        {
          negative = TRUE;
          p++;
        }
      while (g_ascii_isdigit (*p) && digits < 5)
        {
          year = year * 10 + (*p - '0');
          p++;
          digits++;
        }
      /* Four-digit years, or three (eras.json-like 602): never two */
      if (digits < 3 || digits > 4)
        return FALSE;
      years[i] = negative ? -year : year;

      while (*p == ' ')
        p++;
      if (i == 0)
        {
          if (*p == '-' || *p == '/')
            p++;
          else if (g_str_has_prefix (p, "–") || g_str_has_prefix (p, "—"))
            p += strlen ("–");
          else
            return FALSE;
        }
    }

  if (*p != '\0' || years[1] < years[0])
    return FALSE;

  *out_start = chrono_import_date_from_parts (years[0], 0, 0);
  *out_end = chrono_import_date_from_parts (years[1], 0, 0);
  return *out_start != NULL && *out_end != NULL;
}

/*
 * A slide's free-text date as EDTF start and end, or FALSE with *@out_why
 * when it names no year that can be read.
 */
static gboolean
read_slide_date (const char  *text,
                 char       **out_start,
                 char       **out_end,
                 char       **out_why)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *edtf = NULL;
  ChronoDateHints hints = { CHRONO_DATE_ORDER_UNKNOWN, 0, FALSE };
  const char *slash;

  *out_start = *out_end = NULL;

  if (read_year_range (text, out_start, out_end))
    return TRUE;
  g_clear_pointer (out_start, g_free);
  g_clear_pointer (out_end, g_free);

  edtf = chrono_import_date_from_text (text, &hints, &error);
  if (edtf == NULL)
    {
      *out_why = g_strdup (error->message);
      return FALSE;
    }
  if (hints.two_digit_year)
    {
      /* "Aug 23" is a day of August, not August 2023 */
      *out_why = g_strdup_printf (_("“%s” has no year of four digits"), text);
      return FALSE;
    }

  /* An EDTF interval "1790/2010" is a start and an end. */
  slash = edtf[0] != '[' ? strchr (edtf, '/') : NULL;
  if (slash != NULL)
    {
      *out_start = g_strndup (edtf, slash - edtf);
      *out_end = g_strdup (slash + 1);
      if ((*out_start)[0] == '\0' || g_str_equal (*out_start, ".."))
        {
          g_clear_pointer (out_start, g_free);
          g_clear_pointer (out_end, g_free);
          *out_why = g_strdup_printf (_("“%s” has no start"), text);
          return FALSE;
        }
      if ((*out_end)[0] == '\0')
        g_clear_pointer (out_end, g_free);
      return TRUE;
    }

  *out_start = g_steal_pointer (&edtf);
  return TRUE;
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

    /* Translators: the picture, video or link a StoryMapJS slide shows */
    append_note_line (note, _("Media: %s"), limited);
  }
}

typedef enum
{
  LOCATION_NONE,
  LOCATION_OK,
  LOCATION_BAD,
} LocationResult;

static LocationResult
read_location (JsonObject  *slide,
               double      *out_lat,
               double      *out_lon,
               char       **out_why)
{
  JsonNode *node = get_member (slide, "location");
  JsonObject *location;
  JsonNode *lat_node, *lon_node;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return LOCATION_NONE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *out_why = g_strdup_printf (_("location: expected an object, found %s"), describe_node (node));
      return LOCATION_BAD;
    }

  location = json_node_get_object (node);
  lat_node = get_member (location, "lat");
  lon_node = get_member (location, "lon");
  if ((lat_node == NULL || JSON_NODE_HOLDS_NULL (lat_node)) &&
      (lon_node == NULL || JSON_NODE_HOLDS_NULL (lon_node)))
    return LOCATION_NONE;

  if (!read_coordinate (lat_node, out_lat) || !read_coordinate (lon_node, out_lon))
    {
      *out_why = g_strdup (_("location: lat and lon are not both numbers"));
      return LOCATION_BAD;
    }
  if (!isfinite (*out_lat) || !isfinite (*out_lon) ||
      *out_lat < -90 || *out_lat > 90 || *out_lon < -180 || *out_lon > 180)
    {
      *out_why = g_strdup_printf (_("location: (%g, %g) is not a latitude and longitude on Earth"),
                                  *out_lat, *out_lon);
      return LOCATION_BAD;
    }

  return LOCATION_OK;
}

static void
read_overview (ChronoImport *import,
               JsonObject   *slide,
               const char   *path,
               gboolean     *has_title)
{
  JsonObject *text = get_object (slide, "text");
  g_autofree char *headline = dup_html_line (text, "headline");
  g_autofree char *description = dup_html (text, "text", 100000);
  g_autofree char *date = dup_text (slide, "date", 200);

  if (*has_title)
    {
      chrono_import_skip (import, 0, 0, path, _("a second overview slide is not a place"));
      return;
    }

  *has_title = TRUE;
  if (headline != NULL)
    chrono_import_set_title (import, headline);
  if (description != NULL)
    chrono_import_set_description (import, description);
  if (date != NULL)
    chrono_import_note (import, 0, 0, path,
                        _("the overview’s date “%s” is not kept: the overview is the dataset’s "
                          "title and description"), date);
}

static void
read_slide (ChronoImport *import,
            JsonObject   *slide,
            const char   *path)
{
  JsonObject *text = get_object (slide, "text");
  g_autofree char *headline = dup_html_line (text, "headline");
  g_autofree char *summary = dup_html (text, "text", CHRONO_IMPORT_MAX_TEXT + 8);
  g_autofree char *name = dup_html_line (get_object (slide, "location"), "name");
  g_autofree char *date = dup_text (slide, "date", 200);
  g_autofree char *start = NULL, *end = NULL;
  g_autofree char *why = NULL;
  g_autofree char *place_note = NULL;
  g_autoptr (GString) note = g_string_new (NULL);
  ChronoImportName names[1] = { { 0 } };
  ChronoImportPlace place = { 0 };
  ChronoImportExcerpt excerpt = { 0 };
  ChronoImportEvent event = { 0 };
  const char *place_id;
  gboolean dated = FALSE;

  switch (read_location (slide, &place.lat, &place.lon, &why))
    {
    case LOCATION_OK:
      break;
    case LOCATION_NONE:
      chrono_import_skip (import, 0, 0, path, _("a slide without a location is not a place on the map"));
      return;
    case LOCATION_BAD:
    default:
      chrono_import_skip (import, 0, 0, path, "%s", why);
      return;
    }

  if (date != NULL)
    {
      dated = read_slide_date (date, &start, &end, &why);
      if (!dated)
        chrono_import_note (import, 0, 0, path, _("%s: the slide is a place without an event"), why);
    }
  else
    chrono_import_note (import, 0, 0, path, _("no date: the slide is a place without an event"));

  /* An undated slide keeps its text on its place. */
  if (!dated)
    {
      g_autoptr (GString) text_note = g_string_new (NULL);

      /* The date as written, the headline unless it names the place, the text. */
      if (date != NULL)
        g_string_append (text_note, date);
      if (headline != NULL && name != NULL && !g_str_equal (headline, name))
        g_string_append_printf (text_note, "%s%s", text_note->len > 0 ? "\n\n" : "", headline);
      if (summary != NULL)
        g_string_append_printf (text_note, "%s%s", text_note->len > 0 ? "\n\n" : "", summary);
      if (text_note->len > 0)
        place_note = g_string_free (g_steal_pointer (&text_note), FALSE);
    }

  names[0].name = name != NULL ? name : headline;
  place.names = names;
  place.n_names = names[0].name != NULL ? 1 : 0;
  place.note = place_note;
  place_id = chrono_import_add_place (import, &place, 0, path);
  if (place_id == NULL || !dated)
    return;

  if (g_strcmp0 (date, start) != 0)
    append_note_line (note, _("Date as written: %s"), date);
  append_media (note, get_object (slide, "media"));

  excerpt.quote = summary != NULL ? summary : headline;

  event.start = start;
  event.end = end;
  event.title = headline;
  event.summary = summary;
  event.note = note->len > 0 ? note->str : NULL;
  event.place_ids = &place_id;
  event.n_places = 1;
  event.excerpts = &excerpt;
  event.n_excerpts = excerpt.quote != NULL ? 1 : 0;

  chrono_import_add_event (import, &event, 0, path);
}

static gboolean
read_storymapjs (ChronoImport  *import,
                 GBytes        *bytes,
                 GError       **error)
{
  g_autoptr (JsonParser) parser = NULL;
  const char *display_name = chrono_import_get_display_name (import);
  const char *prefix = "storymap.";
  g_autofree char *map_type = NULL;
  JsonNode *root;
  JsonObject *storymap;
  JsonNode *slides_node;
  JsonArray *slides;
  gboolean has_title = FALSE;
  guint n;

  parser = chrono_import_parse_json (import, bytes, error);
  if (parser == NULL)
    return FALSE;

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: not a StoryMapJS file: expected an object at the top level, found %s"),
                   display_name, describe_node (root));
      return FALSE;
    }

  storymap = get_object (json_node_get_object (root), "storymap");
  if (storymap == NULL)
    {
      storymap = json_node_get_object (root);
      prefix = "";
    }

  map_type = dup_text (storymap, "map_type", 200);
  if (node_is_true (get_member (storymap, "map_as_image")) ||
      (map_type != NULL && (g_ascii_strncasecmp (map_type, "zoomify", 7) == 0 ||
                            g_ascii_strcasecmp (map_type, "image") == 0)))
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED,
                   _("%s: this StoryMapJS story is told on an image (a picture or a Gigapixel "
                     "scan), not on a map: its points have no geographic coordinates, so Chronotope "
                     "cannot place them"), display_name);
      return FALSE;
    }

  slides_node = get_member (storymap, "slides");
  if (slides_node == NULL || !JSON_NODE_HOLDS_ARRAY (slides_node))
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: not a StoryMapJS file: %sslides: expected an array, found %s"),
                   display_name, prefix, describe_node (slides_node));
      return FALSE;
    }

  slides = json_node_get_array (slides_node);
  n = json_array_get_length (slides);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (slides, i);
      g_autofree char *path = g_strdup_printf ("%sslides[%u]", prefix, i);
      g_autofree char *type = NULL;
      JsonObject *slide;
      JsonNode *location;

      if (!chrono_import_progress (import, i + 1, n, error))
        return FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          chrono_import_skip (import, 0, 0, path, _("expected an object, found %s"), describe_node (node));
          continue;
        }
      slide = json_node_get_object (node);

      /* The first slide is the overview, marked so or not, when it has no place. */
      type = dup_text (slide, "type", 100);
      location = get_member (slide, "location");
      if ((type != NULL && g_ascii_strcasecmp (type, "overview") == 0) ||
          (i == 0 && type == NULL && (location == NULL || !JSON_NODE_HOLDS_OBJECT (location))))
        {
          read_overview (import, slide, path, &has_title);
          continue;
        }

      read_slide (import, slide, path);
    }

  return TRUE;
}

/* Detection */

static int
storymapjs_detect (const char   *basename,
                   const guint8 *head,
                   gsize         len)
{
  const char *text = (const char *) head;

  if (g_strstr_len (text, len, "\"chronotope-dataset\"") != NULL)
    return CHRONO_DETECT_NO;
  if (g_strstr_len (text, len, "\"storymap\"") != NULL && g_strstr_len (text, len, "\"slides\"") != NULL)
    return CHRONO_DETECT_YES;
  if (g_strstr_len (text, len, "\"slides\"") != NULL && g_strstr_len (text, len, "\"location\"") != NULL)
    return CHRONO_DETECT_MAYBE;

  return CHRONO_DETECT_NO;
}

const ChronoImportFormat chrono_import_format_storymapjs = {
  .name = "storymapjs",
  .label = N_("StoryMapJS (JSON)"),
  .patterns = storymapjs_patterns,
  .mime_types = storymapjs_mime_types,
  .detect = storymapjs_detect,
  .read = read_storymapjs,
};
