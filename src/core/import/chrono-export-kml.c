/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-export-kml"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "chrono-date.h"
#include "chrono-event.h"
#include "chrono-export.h"

/*
 * KML 2.2 for Google Earth's time slider.
 *
 * One Placemark per event, in a folder "Events": its TimeSpan runs from
 * the event's earliest day to its latest (a year or a month is written as
 * such when the EDTF date is just that; an open end has no <end>), or a
 * TimeStamp for one exact day. An event at one place has that place's
 * geometry; an event at several has a MultiGeometry with one member per
 * place, in order. A place with a line or an area is a MultiGeometry of its
 * point and its shape. ExtendedData keeps what KML cannot say: the id, the
 * EDTF start and end, category, importance, note and the name of each
 * place ("place", one per member), which the KML reader takes back.
 * Places no event uses follow in a folder "Places", without time.
 */

typedef struct
{
  ChronoStore   *store;
  const char    *lang;
  GOutputStream *out;
  GString       *buffer;
} Writer;

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append (out, escaped);
}

static void
append_element (GString    *out,
                const char *indent,
                const char *name,
                const char *text)
{
  if (text == NULL || text[0] == '\0')
    return;

  g_string_append_printf (out, "%s<%s>", indent, name);
  append_escaped (out, text);
  g_string_append_printf (out, "</%s>\n", name);
}

static void
append_data (GString    *out,
             const char *name,
             const char *value)
{
  if (value == NULL || value[0] == '\0')
    return;

  g_string_append_printf (out, "        <Data name=\"%s\"><value>", name);
  append_escaped (out, value);
  g_string_append (out, "</value></Data>\n");
}

/* Text as HTML (Google Earth shows descriptions as HTML): escaped, with
 * line breaks kept. */
static void
append_html_text (GString    *html,
                  const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (html, "<br>");
      append_escaped (html, lines[i]);
    }
}

/* "YYYY" and "YYYY-MM" are written as they are (gYear, gYearMonth). */
static gboolean
is_year_or_month (const char *edtf)
{
  gsize len = strlen (edtf);

  if (len != 4 && len != 7)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    if (!g_ascii_isdigit (edtf[i]))
      return FALSE;
  if (len == 4)
    return TRUE;

  return edtf[4] == '-' && g_ascii_isdigit (edtf[5]) && g_ascii_isdigit (edtf[6]) &&
         ((edtf[5] == '0' && edtf[6] >= '1') || (edtf[5] == '1' && edtf[6] <= '2'));
}

static gboolean
is_exact_day (const char *edtf)
{
  g_autoptr (ChronoEdtf) parsed = chrono_edtf_parse (edtf, NULL);

  return parsed != NULL &&
         !chrono_edtf_is_interval (parsed) && !chrono_edtf_is_set (parsed) &&
         chrono_edtf_get_precision (parsed) == CHRONO_PRECISION_DAY &&
         chrono_edtf_get_earliest (parsed) == chrono_edtf_get_latest (parsed);
}

static void
append_time (GString     *out,
             ChronoEvent *event)
{
  const char *start = chrono_event_get_start (event);
  const char *end = chrono_event_get_end (event);
  const char *last = end != NULL ? end : start;
  ChronoDay lo = chrono_event_get_start_lo (event);
  ChronoDay hi = chrono_event_get_end_hi (event);

  if (end == NULL && lo == hi && is_exact_day (start))
    {
      g_autofree char *day = chrono_day_to_iso (lo);

      g_string_append_printf (out, "      <TimeStamp><when>%s</when></TimeStamp>\n", day);
      return;
    }

  g_string_append (out, "      <TimeSpan>");
  if (lo != CHRONO_DAY_NEGATIVE_INFINITY)
    {
      g_autofree char *day = is_year_or_month (start) ? g_strdup (start) : chrono_day_to_iso (lo);

      g_string_append_printf (out, "<begin>%s</begin>", day);
    }
  if (hi != CHRONO_DAY_POSITIVE_INFINITY)
    {
      g_autofree char *day = is_year_or_month (last) ? g_strdup (last) : chrono_day_to_iso (hi);

      g_string_append_printf (out, "<end>%s</end>", day);
    }
  g_string_append (out, "</TimeSpan>\n");
}

static void
append_position (GString *out,
                 double   lon,
                 double   lat)
{
  char x[G_ASCII_DTOSTR_BUF_SIZE];
  char y[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, "%s,%s",
                          g_ascii_formatd (x, sizeof x, "%.12g", lon),
                          g_ascii_formatd (y, sizeof y, "%.12g", lat));
}

/* Appends a GeoJSON position array ([[lon, lat], …]) as KML coordinates;
 * FALSE if it is not one. */
static gboolean
append_positions (GString   *out,
                  JsonArray *positions)
{
  guint n = json_array_get_length (positions);

  g_string_append (out, "<coordinates>");
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (positions, i);
      JsonArray *position;

      if (!JSON_NODE_HOLDS_ARRAY (node) ||
          json_array_get_length (position = json_node_get_array (node)) < 2)
        return FALSE;
      if (i > 0)
        g_string_append_c (out, ' ');
      append_position (out, json_array_get_double_element (position, 0),
                       json_array_get_double_element (position, 1));
    }
  g_string_append (out, "</coordinates>");
  return TRUE;
}

static gboolean
append_line (GString   *out,
             JsonArray *positions)
{
  g_string_append (out, "<LineString><tessellate>1</tessellate>");
  if (!append_positions (out, positions))
    return FALSE;
  g_string_append (out, "</LineString>");
  return TRUE;
}

static gboolean
append_polygon (GString   *out,
                JsonArray *rings)
{
  g_string_append (out, "<Polygon><tessellate>1</tessellate>");
  for (guint i = 0; i < json_array_get_length (rings); i++)
    {
      JsonNode *ring = json_array_get_element (rings, i);

      if (!JSON_NODE_HOLDS_ARRAY (ring))
        return FALSE;
      g_string_append (out, i == 0 ? "<outerBoundaryIs><LinearRing>" : "<innerBoundaryIs><LinearRing>");
      if (!append_positions (out, json_node_get_array (ring)))
        return FALSE;
      g_string_append (out, i == 0 ? "</LinearRing></outerBoundaryIs>" : "</LinearRing></innerBoundaryIs>");
    }
  g_string_append (out, "</Polygon>");
  return TRUE;
}

/* Appends the KML of a GeoJSON line or area (Multi- forms as several);
 * FALSE, with nothing useful written, when it is not one. */
static gboolean
append_shape (GString    *out,
              const char *geometry)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonArray *coordinates;
  const char *type;
  guint n;

  if (!json_parser_load_from_data (parser, geometry, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;

  object = json_node_get_object (json_parser_get_root (parser));
  type = json_object_get_string_member_with_default (object, "type", "");
  if (!json_object_has_member (object, "coordinates") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "coordinates")))
    return FALSE;
  coordinates = json_object_get_array_member (object, "coordinates");
  n = json_array_get_length (coordinates);

  if (g_str_equal (type, "LineString"))
    return append_line (out, coordinates);
  if (g_str_equal (type, "Polygon"))
    return append_polygon (out, coordinates);
  if (g_str_equal (type, "MultiLineString") || g_str_equal (type, "MultiPolygon"))
    {
      for (guint i = 0; i < n; i++)
        {
          JsonNode *part = json_array_get_element (coordinates, i);

          if (!JSON_NODE_HOLDS_ARRAY (part) ||
              !(type[5] == 'L' ? append_line (out, json_node_get_array (part))
                               : append_polygon (out, json_node_get_array (part))))
            return FALSE;
        }
      return TRUE;
    }

  return FALSE;
}

/* A place's geometry: its point, with its line or area when it has one. */
static void
append_place_geometry (GString     *out,
                       ChronoPlace *place)
{
  const char *geometry = chrono_place_get_geometry (place);
  g_autoptr (GString) shape = g_string_new (NULL);

  if (geometry != NULL && append_shape (shape, geometry))
    g_string_append (out, "<MultiGeometry>");
  else
    g_string_truncate (shape, 0);

  g_string_append (out, "<Point><coordinates>");
  append_position (out, chrono_place_get_lon (place), chrono_place_get_lat (place));
  g_string_append (out, "</coordinates></Point>");

  if (shape->len > 0)
    {
      g_string_append_len (out, shape->str, shape->len);
      g_string_append (out, "</MultiGeometry>");
    }
}

static const char *
place_name (ChronoPlace *place,
            const char  *lang)
{
  const char *name = chrono_place_get_name_for (place, lang);

  return name != NULL ? name : chrono_place_get_name (place);
}

static gboolean
flush (Writer  *writer,
       GError **error)
{
  gboolean ok = chrono_export_write (writer->out, writer->buffer->str, writer->buffer->len, error);

  g_string_truncate (writer->buffer, 0);
  return ok;
}

static void
append_event (Writer      *writer,
              ChronoEvent *event)
{
  GString *out = writer->buffer;
  GPtrArray *places = chrono_event_get_places (event);
  GPtrArray *excerpts = chrono_event_get_excerpts (event);
  const char *summary = chrono_event_get_summary (event);
  g_autoptr (GString) html = g_string_new (NULL);
  char importance[2] = { '0' + CLAMP (chrono_event_get_importance (event), 1, 3), '\0' };

  g_string_append (out, "    <Placemark>\n");
  append_element (out, "      ", "name", chrono_event_get_title (event));

  if (summary != NULL)
    {
      g_string_append (html, "<p>");
      append_html_text (html, summary);
      g_string_append (html, "</p>");
    }
  for (guint i = 0; excerpts != NULL && i < excerpts->len; i++)
    {
      ChronoExcerpt *excerpt = excerpts->pdata[i];
      ChronoSource *source = chrono_excerpt_get_source (excerpt);
      g_autofree char *citation = source != NULL ? chrono_source_dup_citation (source) : NULL;

      g_string_append (html, "<blockquote>");
      append_html_text (html, chrono_excerpt_get_quote (excerpt));
      if (citation != NULL)
        {
          g_string_append (html, "<br>— ");
          append_escaped (html, citation);
          if (chrono_source_get_url (source) != NULL)
            {
              g_string_append (html, " <a href=\"");
              append_escaped (html, chrono_source_get_url (source));
              g_string_append (html, "\">");
              append_escaped (html, chrono_source_get_url (source));
              g_string_append (html, "</a>");
            }
        }
      g_string_append (html, "</blockquote>");
    }
  append_element (out, "      ", "description", html->str);

  append_time (out, event);

  g_string_append (out, "      <ExtendedData>\n");
  append_data (out, "id", chrono_event_get_id (event));
  append_data (out, "edtf_start", chrono_event_get_start (event));
  append_data (out, "edtf_end", chrono_event_get_end (event));
  append_data (out, "category", chrono_event_get_category (event));
  append_data (out, "importance", importance);
  append_data (out, "note", chrono_event_get_note (event));
  for (guint i = 0; places != NULL && i < places->len; i++)
    append_data (out, "place", place_name (places->pdata[i], writer->lang));
  g_string_append (out, "      </ExtendedData>\n");

  if (places != NULL && places->len > 0)
    {
      g_string_append (out, "      ");
      if (places->len > 1)
        g_string_append (out, "<MultiGeometry>");
      for (guint i = 0; i < places->len; i++)
        append_place_geometry (out, places->pdata[i]);
      if (places->len > 1)
        g_string_append (out, "</MultiGeometry>");
      g_string_append_c (out, '\n');
    }

  g_string_append (out, "    </Placemark>\n");
}

static void
append_place (Writer      *writer,
              ChronoPlace *place)
{
  GString *out = writer->buffer;

  g_string_append (out, "    <Placemark>\n");
  append_element (out, "      ", "name", place_name (place, writer->lang));
  append_element (out, "      ", "description", chrono_place_get_note (place));
  g_string_append (out, "      ");
  append_place_geometry (out, place);
  g_string_append (out, "\n    </Placemark>\n");
}

static gboolean
write_kml (ChronoStore    *store,
           const char     *lang,
           GOutputStream  *out,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GString) buffer = g_string_sized_new (64 * 1024);
  g_autofree char *title = chrono_store_dup_meta_for_lang (store, "title", lang);
  g_autofree char *description = chrono_store_dup_meta_for_lang (store, "description", lang);
  Writer writer = { store, lang, out, buffer };
  gboolean any_unused = FALSE;

  events = chrono_export_get_events (store, lang, error);
  if (events == NULL)
    return FALSE;
  places = chrono_store_get_places (store, lang, error);
  if (places == NULL)
    return FALSE;

  g_string_append (buffer,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<kml xmlns=\"http://www.opengis.net/kml/2.2\" xmlns:gx=\"http://www.google.com/kml/ext/2.2\">\n"
                   "<Document>\n");
  append_element (buffer, "  ", "name", title);
  append_element (buffer, "  ", "description", description);
  g_string_append (buffer, "  <Folder>\n");
  append_element (buffer, "    ", "name", _("Events"));

  for (guint i = 0; i < events->len; i++)
    {
      ChronoEvent *event = events->pdata[i];
      GPtrArray *event_places = chrono_event_get_places (event);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      for (guint j = 0; event_places != NULL && j < event_places->len; j++)
        g_hash_table_add (used, (gpointer) chrono_place_get_id (event_places->pdata[j]));

      append_event (&writer, event);
      if (buffer->len > 32 * 1024 && !flush (&writer, error))
        return FALSE;
    }
  g_string_append (buffer, "  </Folder>\n");

  for (guint i = 0; i < places->len; i++)
    {
      ChronoPlace *place = places->pdata[i];

      if (g_hash_table_contains (used, chrono_place_get_id (place)))
        continue;
      if (!any_unused)
        {
          g_string_append (buffer, "  <Folder>\n");
          append_element (buffer, "    ", "name", _("Places"));
          any_unused = TRUE;
        }
      append_place (&writer, place);
      if (buffer->len > 32 * 1024 && !flush (&writer, error))
        return FALSE;
    }
  if (any_unused)
    g_string_append (buffer, "  </Folder>\n");

  g_string_append (buffer, "</Document>\n</kml>\n");
  return flush (&writer, error);
}

const ChronoExportFormat chrono_export_format_kml = {
  .name = "kml",
  .label = N_("KML (Google Earth)"),
  .extension = "kml",
  .mime_type = "application/vnd.google-earth.kml+xml",
  .write = write_kml,
};
