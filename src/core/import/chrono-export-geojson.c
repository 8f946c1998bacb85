/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-export-geojson"

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <glib/gi18n-lib.h>

#include "chrono-date.h"
#include "chrono-export.h"

/*
 * GeoJSON (RFC 7946): a FeatureCollection written feature by feature, one
 * per line, so that a million events never make one tree in memory.
 *
 * An event is a Feature whose geometry is its first place's: the stored
 * line or area, else a Point [lon, lat]; null when it has no place. Its
 * other places are named in "places" and written (before the events) as
 * features without time, with the places no event uses, so that nothing is
 * lost and a reader meets each place before the events that name it. The
 * properties: id, title, summary, start and end (EDTF), earliest and latest
 * (ISO days, null when open), category, importance, place (with lat and
 * lon when its geometry is a line or an area: the point it is shown at), places,
 * excerpts [{quote, lang, source, url}], and a GeoJSON-T "when" for tools
 * that read time that way. "when" is in the properties, not beside the
 * geometry: a feature-level "when" is what marks Linked Places files.
 */

/* Shortest text that gives back the same double in practice (1e-15 relative) */
static void
append_number (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.15g", value));
}

/* A JSON string; NULL is null. The store's texts are valid UTF-8. */
static void
append_string (GString    *out,
               const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if ((guchar) *p < 0x20)
            g_string_append_printf (out, "\\u%04x", (guint) (guchar) *p);
          else
            g_string_append_c (out, *p);
          break;
        }
    }
  g_string_append_c (out, '"');
}

static void
append_member (GString    *out,
               const char *name,
               const char *text)
{
  g_string_append_c (out, ',');
  append_string (out, name);
  g_string_append_c (out, ':');
  append_string (out, text);
}

static void
append_day (GString    *out,
            const char *name,
            ChronoDay   day)
{
  g_autofree char *iso = NULL;

  g_string_append_c (out, ',');
  append_string (out, name);
  g_string_append_c (out, ':');
  if (day == CHRONO_DAY_NEGATIVE_INFINITY || day == CHRONO_DAY_POSITIVE_INFINITY)
    {
      g_string_append (out, "null");
      return;
    }
  iso = chrono_day_to_iso (day);
  append_string (out, iso);
}

static const char *
place_name (ChronoPlace *place,
            const char  *lang)
{
  const char *name = chrono_place_get_name_for (place, lang);

  return name != NULL ? name : chrono_place_get_name (place);
}

/* A line or area's own point, which a reader cannot work out from the shape */
static void
append_point_members (GString     *out,
                      ChronoPlace *place)
{
  const char *geometry = place != NULL ? chrono_place_get_geometry (place) : NULL;

  if (geometry == NULL || geometry[0] == '\0')
    return;
  g_string_append (out, ",\"lat\":");
  append_number (out, chrono_place_get_lat (place));
  g_string_append (out, ",\"lon\":");
  append_number (out, chrono_place_get_lon (place));
}

/* The place's stored geometry when it reads as a GeoJSON geometry, else its point. */
static void
append_geometry (GString     *out,
                 JsonParser  *parser,
                 ChronoPlace *place)
{
  const char *geometry = place != NULL ? chrono_place_get_geometry (place) : NULL;

  if (place == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  if (geometry != NULL && geometry[0] != '\0' &&
      json_parser_load_from_data (parser, geometry, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) &&
      json_object_has_member (json_node_get_object (json_parser_get_root (parser)), "type"))
    {
      g_string_append (out, geometry);
      return;
    }

  g_string_append (out, "{\"type\":\"Point\",\"coordinates\":[");
  append_number (out, chrono_place_get_lon (place));
  g_string_append_c (out, ',');
  append_number (out, chrono_place_get_lat (place));
  g_string_append (out, "]}");
}

static void
append_place_feature (GString     *out,
                      JsonParser  *parser,
                      ChronoPlace *place,
                      const char  *lang)
{
  g_string_append (out, "{\"type\":\"Feature\",\"id\":");
  append_string (out, chrono_place_get_id (place));
  g_string_append (out, ",\"geometry\":");
  append_geometry (out, parser, place);
  g_string_append (out, ",\"properties\":{\"id\":");
  append_string (out, chrono_place_get_id (place));
  append_member (out, "name", place_name (place, lang));
  append_member (out, "kind", chrono_place_get_kind (place));
  append_member (out, "note", chrono_place_get_note (place));
  append_point_members (out, place);
  g_string_append (out, "}}");
}

static void
append_event_feature (GString     *out,
                      JsonParser  *parser,
                      ChronoEvent *event,
                      const char  *lang)
{
  GPtrArray *places = chrono_event_get_places (event);
  GPtrArray *excerpts = chrono_event_get_excerpts (event);
  ChronoPlace *first = places != NULL && places->len > 0 ? places->pdata[0] : NULL;
  const char *end = chrono_event_get_end (event);

  g_string_append (out, "{\"type\":\"Feature\",\"id\":");
  append_string (out, chrono_event_get_id (event));
  g_string_append (out, ",\"geometry\":");
  append_geometry (out, parser, first);

  g_string_append (out, ",\"properties\":{\"id\":");
  append_string (out, chrono_event_get_id (event));
  append_member (out, "title", chrono_event_get_title (event));
  append_member (out, "summary", chrono_event_get_summary (event));
  append_member (out, "start", chrono_event_get_start (event));
  append_member (out, "end", end);
  append_day (out, "earliest", chrono_event_get_start_lo (event));
  append_day (out, "latest", chrono_event_get_end_hi (event));
  append_member (out, "category", chrono_event_get_category (event));
  g_string_append_printf (out, ",\"importance\":%d", chrono_event_get_importance (event));
  append_member (out, "place", first != NULL ? place_name (first, lang) : NULL);
  append_point_members (out, first);

  g_string_append (out, ",\"places\":[");
  for (guint i = 0; places != NULL && i < places->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_string (out, place_name (places->pdata[i], lang));
    }
  g_string_append_c (out, ']');

  g_string_append (out, ",\"excerpts\":[");
  for (guint i = 0; excerpts != NULL && i < excerpts->len; i++)
    {
      ChronoExcerpt *excerpt = excerpts->pdata[i];
      ChronoSource *source = chrono_excerpt_get_source (excerpt);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"quote\":");
      append_string (out, chrono_excerpt_get_quote (excerpt));
      append_member (out, "lang", chrono_excerpt_get_lang (excerpt));
      append_member (out, "source", source != NULL ? chrono_source_get_title (source) : NULL);
      append_member (out, "url", source != NULL ? chrono_source_get_url (source) : NULL);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');

  /* GeoJSON-T: an open end is left out */
  g_string_append (out, ",\"when\":{\"timespans\":[{\"start\":{\"in\":");
  append_string (out, chrono_event_get_start (event));
  g_string_append_c (out, '}');
  if (end == NULL || !g_str_equal (end, ".."))
    {
      g_string_append (out, ",\"end\":{\"in\":");
      append_string (out, end != NULL ? end : chrono_event_get_start (event));
      g_string_append_c (out, '}');
    }
  g_string_append (out, "}]}}}");
}

static gboolean
flush_line (GOutputStream  *out,
            GString        *line,
            gboolean       *first,
            GError        **error)
{
  gboolean ok = chrono_export_write (out, *first ? "\n" : ",\n", -1, error) &&
                chrono_export_write (out, line->str, line->len, error);

  *first = FALSE;
  g_string_truncate (line, 0);
  return ok;
}

static gboolean
write_geojson (ChronoStore    *store,
               const char     *lang,
               GOutputStream  *out,
               GCancellable   *cancellable,
               GError        **error)
{
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GHashTable) firsts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) others = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GString) line = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  gboolean first = TRUE;

  events = chrono_export_get_events (store, lang, error);
  if (events == NULL)
    return FALSE;
  places = chrono_store_get_places (store, lang, error);
  if (places == NULL)
    return FALSE;

  for (guint i = 0; i < events->len; i++)
    {
      GPtrArray *event_places = chrono_event_get_places (events->pdata[i]);

      for (guint j = 0; event_places != NULL && j < event_places->len; j++)
        g_hash_table_add (j == 0 ? firsts : others,
                          (gpointer) chrono_place_get_id (event_places->pdata[j]));
    }

  title = chrono_store_dup_meta_for_lang (store, "title", lang);
  description = chrono_store_dup_meta_for_lang (store, "description", lang);
  g_string_append (line, "{\"type\":\"FeatureCollection\",\"title\":");
  append_string (line, title);
  g_string_append (line, ",\"description\":");
  append_string (line, description);
  g_string_append (line, ",\"features\":[");
  if (!chrono_export_write (out, line->str, line->len, error))
    return FALSE;
  g_string_truncate (line, 0);

  /* Places without an event of their own first, for readers that link
   * an event's other places by name. */
  for (guint i = 0; i < places->len; i++)
    {
      ChronoPlace *place = places->pdata[i];
      const char *id = chrono_place_get_id (place);

      if (g_hash_table_contains (firsts, id) && !g_hash_table_contains (others, id))
        continue;
      append_place_feature (line, parser, place, lang);
      if (!flush_line (out, line, &first, error))
        return FALSE;
    }

  for (guint i = 0; i < events->len; i++)
    {
      if (i % 256 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      append_event_feature (line, parser, events->pdata[i], lang);
      if (!flush_line (out, line, &first, error))
        return FALSE;
    }

  return chrono_export_write (out, "\n]}\n", -1, error);
}

const ChronoExportFormat chrono_export_format_geojson = {
  .name = "geojson",
  .label = N_("GeoJSON"),
  .extension = "geojson",
  .mime_type = "application/geo+json",
  .write = write_geojson,
};
