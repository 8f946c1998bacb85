/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-export-lpf"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "chrono-export.h"
#include "chrono-import.h"

/*
 * The open dataset as Linked Places (LPF v1.2, JSON-LD), which the World
 * Historical Gazetteer takes and Chronotope's LPF reader reads back.
 *
 * Linked Places is about places, so the file is one feature per place:
 *
 * - "@id" is "#" and the place's id, an id relative to the file;
 * - properties.title is the place's name in the export's language, and
 *   "ccodes" is empty (the dataset has no country codes);
 * - names[] holds every name with its language, citing the dataset (the
 *   format wants a citation for at least one name), and its time of
 *   validity as the name's when.timespans[0] when it has one;
 * - types[] gives the place's kind as a source label (Chronotope's own
 *   vocabulary, not a Getty AAT concept);
 * - the geometry is the Point, or a GeometryCollection of the Point and the
 *   stored line or area;
 * - descriptions[] holds the place's note;
 * - when.timespans[] has one timespan per event at the place, with the
 *   event's title as "label" and "@id" "#event/ID", so that an event at
 *   several places is one node (and one event when read back). A start or
 *   end written as plain ISO 8601 ("2020-11-10", "-0320", "1832~") goes as
 *   "in"; any other EDTF as "earliest" and "latest" days, which hold the
 *   same span; ".." for an open end.
 *
 * Events without a place cannot be written: a Linked Places timespan
 * belongs to a place. They are left out (the count goes to the debug log).
 * Event summaries, excerpts and claims have no place in the format either.
 */

#define LPF_CONTEXT "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"

/* JSON text */

static void
append_string (GString    *out,
               const char *text)
{
  g_autofree char *valid = NULL;

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

/* The shortest decimal that reads back as the same double: 39.8153, not 39.815300000000001 */
static void
append_double (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
}

/*
 * A stored GeoJSON geometry's coordinates: nested arrays of numbers, at
 * most @depth deep. FALSE when they are anything else, so that a damaged
 * geometry is left out rather than written as broken JSON.
 */
static gboolean
append_coordinates (GString  *out,
                    JsonNode *node,
                    guint     depth)
{
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      (json_node_get_value_type (node) == G_TYPE_DOUBLE || json_node_get_value_type (node) == G_TYPE_INT64))
    {
      append_double (out, json_node_get_double (node));
      return TRUE;
    }

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) || depth == 0)
    return FALSE;

  g_string_append_c (out, '[');
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      if (!append_coordinates (out, json_array_get_element (json_node_get_array (node), i), depth - 1))
        return FALSE;
    }
  g_string_append_c (out, ']');
  return TRUE;
}

/* The place's stored line or area, as one GeoJSON geometry; FALSE if it cannot be read */
static gboolean
append_stored_geometry (GString    *out,
                        const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GString) geometry = g_string_new (NULL);
  JsonObject *object;
  const char *type;

  /* Stored by an import, which checked its depth; still, a store is a file */
  if (!chrono_import_check_json (text, strlen (text), 16, "geometry", NULL) ||
      !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;

  object = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (object, "type") ||
      !JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "type")) ||
      json_node_get_value_type (json_object_get_member (object, "type")) != G_TYPE_STRING)
    return FALSE;
  type = json_object_get_string_member (object, "type");

  g_string_append (geometry, "{\"type\": ");
  append_string (geometry, type);
  g_string_append (geometry, ", \"coordinates\": ");
  if (!append_coordinates (geometry, json_object_get_member (object, "coordinates"), 5))
    return FALSE;
  g_string_append_c (geometry, '}');

  g_string_append_len (out, geometry->str, geometry->len);
  return TRUE;
}

/* Dates */

/* Whether @text is a date that ISO 8601 and Linked Places read as EDTF does */
static gboolean
is_plain_iso (const char *text)
{
  const char *p = text;
  guint digits = 0;

  if (*p == '-')
    p++;
  while (g_ascii_isdigit (*p))
    p++, digits++;
  if (digits != 4)
    return FALSE;
  for (guint part = 0; part < 2 && *p == '-'; part++)
    {
      if (!g_ascii_isdigit (p[1]) || !g_ascii_isdigit (p[2]))
        return FALSE;
      p += 3;
    }
  /* Linked Places takes the ISO 8601-2 marks at the end, as EDTF does */
  if (*p == '~' || *p == '?' || *p == '%')
    p++;

  return *p == '\0';
}

static gboolean
day_is_iso (ChronoDay day)
{
  gint64 year;
  int month, dom;

  if (day == CHRONO_DAY_NEGATIVE_INFINITY || day == CHRONO_DAY_POSITIVE_INFINITY)
    return TRUE;
  chrono_day_to_ymd (day, &year, &month, &dom);
  return year >= -9999 && year <= 9999;
}

/* One end of a timespan: {"in": …} or {"earliest": …, "latest": …} */
static void
append_timespan_end (GString    *out,
                     const char *edtf,
                     ChronoDay   lo,
                     ChronoDay   hi)
{
  g_string_append (out, "{");
  if (is_plain_iso (edtf) || g_str_equal (edtf, "..") || !day_is_iso (lo) || !day_is_iso (hi))
    {
      /* Beyond four-digit years ISO has no day form: the EDTF is the best there is */
      g_string_append (out, "\"in\": ");
      append_string (out, edtf);
    }
  else
    {
      gboolean first = TRUE;

      if (lo != CHRONO_DAY_NEGATIVE_INFINITY)
        {
          g_autofree char *iso = chrono_day_to_iso (lo);

          g_string_append (out, "\"earliest\": ");
          append_string (out, iso);
          first = FALSE;
        }
      if (hi != CHRONO_DAY_POSITIVE_INFINITY)
        {
          g_autofree char *iso = chrono_day_to_iso (hi);

          g_string_append_printf (out, "%s\"latest\": ", first ? "" : ", ");
          append_string (out, iso);
        }
    }
  g_string_append (out, "}");
}

static void
append_timespan (GString     *out,
                 ChronoEvent *event)
{
  const char *end = chrono_event_get_end (event);
  g_autofree char *id = g_strconcat ("#event/", chrono_event_get_id (event), NULL);

  g_string_append (out, "\n        { \"@id\": ");
  append_string (out, id);
  g_string_append (out, ",\n          \"label\": ");
  append_string (out, chrono_event_get_title (event) != NULL ? chrono_event_get_title (event) : "");
  g_string_append (out, ",\n          \"start\": ");
  append_timespan_end (out, chrono_event_get_start (event),
                       chrono_event_get_start_lo (event), chrono_event_get_start_hi (event));
  /* No end: the timespan is the start's, as Linked Places reads it */
  if (end != NULL)
    {
      g_string_append (out, ",\n          \"end\": ");
      append_timespan_end (out, end, chrono_event_get_end_lo (event), chrono_event_get_end_hi (event));
    }
  g_string_append (out, " }");
}

/* One end of a name's "when", as written ("1923", "..", "1991-11~") */
static void
append_when_end (GString    *out,
                 const char *text)
{
  g_autoptr (ChronoEdtf) edtf = NULL;

  /* An unknown end ("/1922") is open as far as a reader can tell */
  if (text[0] == '\0' || g_str_equal (text, ".."))
    {
      append_timespan_end (out, "..", CHRONO_DAY_NEGATIVE_INFINITY, CHRONO_DAY_POSITIVE_INFINITY);
      return;
    }

  edtf = chrono_edtf_parse (text, NULL);
  if (edtf != NULL)
    append_timespan_end (out, text, chrono_edtf_get_earliest (edtf), chrono_edtf_get_latest (edtf));
  else
    append_timespan_end (out, text, CHRONO_DAY_NEGATIVE_INFINITY, CHRONO_DAY_POSITIVE_INFINITY);
}

/* A name's time of validity as the name's own when.timespans: an interval's
 * two ends as start and end; one date as the start, and as the end too when
 * it goes as earliest and latest days, so that the span is read back whole. */
static void
append_name_when (GString               *out,
                  const ChronoPlaceName *name)
{
  g_autoptr (ChronoEdtf) edtf = chrono_edtf_parse (name->when, NULL);
  const char *slash;

  if (edtf == NULL)
    return;

  g_string_append (out, ", \"when\": {\"timespans\": [{\"start\": ");
  slash = chrono_edtf_is_interval (edtf) ? strchr (name->when, '/') : NULL;
  if (slash != NULL)
    {
      g_autofree char *start = g_strndup (name->when, slash - name->when);

      append_when_end (out, start);
      g_string_append (out, ", \"end\": ");
      append_when_end (out, slash + 1);
    }
  else
    {
      append_when_end (out, name->when);
      if (!is_plain_iso (name->when))
        {
          g_string_append (out, ", \"end\": ");
          append_when_end (out, name->when);
        }
    }
  g_string_append (out, "}]}");
}

/* One place */

static void
append_feature (GString     *out,
                ChronoPlace *place,
                const char  *lang,
                const char  *dataset_title,
                GPtrArray   *events)
{
  GPtrArray *names = chrono_place_get_names (place);
  const char *title = chrono_place_get_name_for (place, lang);
  const char *geometry = chrono_place_get_geometry (place);
  const char *note = chrono_place_get_note (place);
  g_autofree char *id = g_strconcat ("#", chrono_place_get_id (place), NULL);
  g_autoptr (GString) shape = g_string_new (NULL);

  g_string_append (out, "    {\n      \"@id\": ");
  append_string (out, id);
  g_string_append (out, ",\n      \"type\": \"Feature\",\n      \"properties\": {\"title\": ");
  append_string (out, title != NULL ? title : chrono_place_get_id (place));
  g_string_append (out, ", \"ccodes\": []},\n      \"names\": [");

  for (guint i = 0; i < names->len; i++)
    {
      const ChronoPlaceName *name = g_ptr_array_index (names, i);

      g_string_append (out, i > 0 ? ",\n        {" : "\n        {");
      g_string_append (out, "\"toponym\": ");
      append_string (out, name->name);
      if (name->lang != NULL && !g_str_equal (name->lang, "und"))
        {
          g_string_append (out, ", \"lang\": ");
          append_string (out, name->lang);
        }
      g_string_append (out, ", \"citations\": [{\"label\": ");
      append_string (out, dataset_title);
      g_string_append (out, "}]");
      if (name->when != NULL)
        append_name_when (out, name);
      g_string_append (out, "}");
    }
  g_string_append (out, "\n      ],\n");

  if (chrono_place_get_kind (place) != NULL)
    {
      g_string_append (out, "      \"types\": [{\"sourceLabels\": [{\"label\": ");
      append_string (out, chrono_place_get_kind (place));
      g_string_append (out, ", \"lang\": \"en\"}]}],\n");
    }

  /* The point; with the line or area when there is one */
  if (geometry != NULL && append_stored_geometry (shape, geometry))
    g_string_append (out, "      \"geometry\": {\"type\": \"GeometryCollection\", \"geometries\": [\n        ");
  else
    g_string_append (out, "      \"geometry\": ");
  g_string_append (out, "{\"type\": \"Point\", \"coordinates\": [");
  append_double (out, chrono_place_get_lon (place));
  g_string_append (out, ", ");
  append_double (out, chrono_place_get_lat (place));
  g_string_append (out, "]}");
  if (shape->len > 0)
    {
      g_string_append (out, ",\n        ");
      g_string_append_len (out, shape->str, shape->len);
      g_string_append (out, "]}");
    }

  if (note != NULL && note[0] != '\0')
    {
      g_string_append (out, ",\n      \"descriptions\": [{\"value\": ");
      append_string (out, note);
      g_string_append (out, ", \"lang\": ");
      append_string (out, chrono_place_get_lang (place) != NULL ? chrono_place_get_lang (place) : lang);
      g_string_append (out, "}]");
    }

  if (events != NULL && events->len > 0)
    {
      g_string_append (out, ",\n      \"when\": {\"timespans\": [");
      for (guint i = 0; i < events->len; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_timespan (out, g_ptr_array_index (events, i));
        }
      g_string_append (out, "\n      ]}");
    }

  g_string_append (out, "\n    }");
}

static gboolean
write_lpf (ChronoStore    *store,
           const char     *lang,
           GOutputStream  *out,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GHashTable) at_place = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *title = NULL;
  guint omitted = 0;

  places = chrono_store_get_places (store, lang, error);
  if (places == NULL)
    return FALSE;
  events = chrono_export_get_events (store, lang, error);
  if (events == NULL)
    return FALSE;

  /* place id → its events, in order of start */
  at_place = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < events->len; i++)
    {
      ChronoEvent *event = g_ptr_array_index (events, i);
      GPtrArray *event_places = chrono_event_get_places (event);

      if (event_places == NULL || event_places->len == 0)
        {
          omitted++;
          continue;
        }

      for (guint j = 0; j < event_places->len; j++)
        {
          const char *place_id = chrono_place_get_id (g_ptr_array_index (event_places, j));
          GPtrArray *list = g_hash_table_lookup (at_place, place_id);

          if (list == NULL)
            {
              list = g_ptr_array_new ();
              g_hash_table_insert (at_place, (gpointer) place_id, list);
            }
          if (!g_ptr_array_find (list, event, NULL))
            g_ptr_array_add (list, event);
        }
    }
  if (omitted > 0)
    g_debug ("%u events without a place are not written: Linked Places has no place for them", omitted);

  title = chrono_store_dup_meta_for_lang (store, "title", lang);
  if (title == NULL)
    title = chrono_store_dup_meta (store, "imported-from");
  if (title == NULL)
    title = g_strdup (_("Chronotope dataset"));

  g_string_append (text, "{\n  \"type\": \"FeatureCollection\",\n  \"@context\": \"" LPF_CONTEXT "\",\n");
  g_string_append (text, "  \"features\": [\n");
  for (guint i = 0; i < places->len; i++)
    {
      ChronoPlace *place = g_ptr_array_index (places, i);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (i > 0)
        g_string_append (text, ",\n");
      append_feature (text, place, lang, title, g_hash_table_lookup (at_place, chrono_place_get_id (place)));

      /* One place at a time to the stream: memory stays that of one feature */
      if (!chrono_export_write (out, text->str, text->len, error))
        return FALSE;
      g_string_truncate (text, 0);
    }
  g_string_append (text, "\n  ]\n}\n");

  return chrono_export_write (out, text->str, text->len, error);
}

const ChronoExportFormat chrono_export_format_lpf = {
  .name = "lpf",
  .label = N_("Linked Places (JSON-LD)"),
  .extension = "jsonld",
  .mime_type = "application/ld+json",
  .write = write_lpf,
};
