/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import-lpf"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "chrono-import-formats.h"

/*
 * Linked Places, the World Historical Gazetteer's formats
 * (https://github.com/LinkedPasts/linked-places-format): LPF, a GeoJSON
 * FeatureCollection in JSON-LD whose features are places, and LP-TSV, its
 * tab-separated table of simple places.
 *
 * Linked Places describes places, with the time each one (or its name, or
 * its geometry) is attested; Chronotope shows events. What becomes what:
 *
 * - A feature is a place: "@id" its local id, every names[] entry a name
 *   (toponym, lang, and the EDTF of its own "when" in the name's `when`),
 *   the name equal to properties.title first with usage "common" (the title
 *   itself when no toponym matches it), types[] a kind when a label is one
 *   of Chronotope's kinds, descriptions[0] the note.
 * - Its point is the Point (the first one of a GeometryCollection or
 *   MultiPoint); a line or area is kept as the place's geometry, and gives
 *   the point (half-way along a line, the centroid of an area) when there
 *   is no Point. "geo_wkt" is read where coordinates are missing. A feature
 *   with no geometry is skipped: places need a point, and none is invented.
 * - Each timespan of the feature's "when" (or, when it has none, of its
 *   geometries' "when") is an event at the place, titled with the place's
 *   title and the when's label or first period name, with the description
 *   as summary. "in" is the date itself; "earliest"/"latest" make an EDTF
 *   set "[earliest..latest]": one day, not known which, in that range (not
 *   an interval, which would say the start lasted all that time). A
 *   timespan without an end lasts as its start, as the specification says.
 * - Timespans with an "@id" (Chronotope's LPF writer gives each event one,
 *   with the event's title as "label") are one event, at every place that
 *   lists them: an event at three places comes back as one.
 * - Citations of names become sources, listed with the dataset; they are
 *   not excerpts of the events, since they attest a name, not a date.
 *
 * Years are ISO 8601, so astronomical: "-0320" is year -320 (321 BCE), and
 * is kept as written. (The LP-TSV specification calls "-0320" "320 BCE";
 * the file's numbers are kept, not guessed at.)
 *
 * LP-TSV rows are places in the same way (title, variants "name@lang",
 * lon/lat or geowkt, description), with one event per row that has a start;
 * a start without end means "from then on", as its specification says.
 */

/* Far beyond real names and labels; keeps what is copied bounded. */
#define MAX_NAME 1000
#define MAX_TEXT CHRONO_IMPORT_MAX_TEXT

static const char * const place_kinds[] = {
  "city", "town", "village", "site", "region", "country", "route", "border", NULL
};

/* JSON helpers */

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

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* A string member's text, cut to @max bytes of valid UTF-8 and trimmed; NULL when absent or empty. */
static char *
dup_string (JsonObject *object,
            const char *name,
            gsize       max)
{
  JsonNode *node = get_member (object, name);
  g_autofree char *text = NULL;

  if (!node_is_string (node))
    return NULL;

  text = chrono_import_text_limit (json_node_get_string (node), max);
  g_strstrip (text);
  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

/* Dates */

static gboolean
is_integer_text (const char *text)
{
  const char *p = text;

  if (*p == '-' || *p == '+')
    p++;
  if (*p == '\0')
    return FALSE;
  for (; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/*
 * One ISO 8601 date as Linked Places writes it ("-0320", "1832-08-01",
 * "1600~", "-320", a time of day) as EDTF; NULL with @error.
 */
static char *
date_to_edtf (const char  *text,
              GError     **error)
{
  g_autofree char *copy = chrono_import_text_limit (text, 100);
  g_autoptr (ChronoEdtf) edtf = NULL;
  g_autoptr (GError) local_error = NULL;
  ChronoDateHints hints = { CHRONO_DATE_ORDER_UNKNOWN, 0, FALSE };
  char *result;

  g_strstrip (copy);
  if (copy[0] == '\0')
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID, _("an empty date"));
      return NULL;
    }
  if (g_str_equal (copy, ".."))
    return g_steal_pointer (&copy);

  /* Years of any number of digits, which EDTF wants as four ("-320", "79") */
  if (is_integer_text (copy))
    {
      gint64 year;

      if (g_ascii_string_to_signed (copy, 10, CHRONO_YEAR_MIN, CHRONO_YEAR_MAX, &year, NULL) &&
          (result = chrono_import_date_from_parts (year, 0, 0)) != NULL)
        return result;
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("the year “%s” is beyond what Chronotope can show"), copy);
      return NULL;
    }

  edtf = chrono_edtf_parse (copy, NULL);
  if (edtf != NULL && !chrono_edtf_is_interval (edtf) && !chrono_edtf_is_set (edtf))
    return g_steal_pointer (&copy);

  result = chrono_import_date_from_text (copy, &hints, &local_error);
  if (result == NULL || hints.two_digit_year)
    {
      g_free (result);
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("“%s” is not an ISO 8601 date"), copy);
      return NULL;
    }

  return result;
}

/*
 * A date known to lie between @earliest and @latest (either may be NULL: no
 * bound): the EDTF set of the days between, "[1600..1650]". A date such as
 * "-0299/-0200" (LP-TSV's range) is read the same way.
 */
static char *
range_to_edtf (const char  *earliest,
               const char  *latest,
               GError     **error)
{
  g_autofree char *lo = NULL;
  g_autofree char *hi = NULL;
  g_autofree char *set = NULL;
  g_autoptr (ChronoEdtf) edtf = NULL;
  g_autoptr (GError) local_error = NULL;

  if (earliest != NULL && (lo = date_to_edtf (earliest, error)) == NULL)
    return NULL;
  if (latest != NULL && (hi = date_to_edtf (latest, error)) == NULL)
    return NULL;
  if (lo != NULL && g_str_equal (lo, ".."))
    g_clear_pointer (&lo, g_free);
  if (hi != NULL && g_str_equal (hi, ".."))
    g_clear_pointer (&hi, g_free);

  if (lo == NULL && hi == NULL)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("neither the earliest nor the latest date is given"));
      return NULL;
    }
  if (lo != NULL && hi != NULL && g_str_equal (lo, hi))
    return g_steal_pointer (&lo);

  set = g_strdup_printf ("[%s..%s]", lo != NULL ? lo : "", hi != NULL ? hi : "");
  edtf = chrono_edtf_parse (set, &local_error);
  if (edtf == NULL)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("between “%s” and “%s”: %s"), lo != NULL ? lo : "..", hi != NULL ? hi : "..",
                   local_error->message);
      return NULL;
    }
  if (lo != NULL && hi != NULL && chrono_edtf_get_latest (edtf) < chrono_edtf_get_earliest (edtf))
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("the earliest date “%s” is after the latest “%s”"), lo, hi);
      return NULL;
    }

  return g_steal_pointer (&set);
}

/* A date or an LP-TSV range "A/B" */
static char *
date_or_range_to_edtf (const char  *text,
                       GError     **error)
{
  const char *slash = strchr (text, '/');
  g_autofree char *lo = NULL;

  if (slash == NULL)
    return date_to_edtf (text, error);

  lo = g_strndup (text, slash - text);
  g_strstrip (lo);
  return range_to_edtf (lo[0] != '\0' ? lo : NULL, slash[1] != '\0' ? slash + 1 : NULL, error);
}

static char *
date_node_to_edtf (JsonNode  *node,
                   GError   **error)
{
  if (node_is_string (node))
    return date_or_range_to_edtf (json_node_get_string (node), error);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      char *edtf = chrono_import_date_from_parts (json_node_get_int (node), 0, 0);

      if (edtf == NULL)
        g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                     _("the year %lld is beyond what Chronotope can show"),
                     (long long) json_node_get_int (node));
      return edtf;
    }

  g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
               _("expected a date, found %s"), describe_node (node));
  return NULL;
}

/* The text of a date member that may be a text or a whole number */
static char *
dup_date_member (JsonObject *object,
                 const char *name)
{
  JsonNode *node = get_member (object, name);

  if (node_is_string (node))
    return chrono_import_text_limit (json_node_get_string (node), 100);
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

/*
 * One end of a timespan: {"in": DATE}, {"earliest": DATE, "latest": DATE},
 * or a bare date (as some of the specification's own examples write it).
 */
static char *
timespan_end_to_edtf (JsonNode    *node,
                      const char  *name,
                      GError     **error)
{
  JsonObject *object;
  g_autofree char *earliest = NULL;
  g_autofree char *latest = NULL;
  g_autoptr (GError) local_error = NULL;
  char *edtf;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      edtf = date_node_to_edtf (node, &local_error);
      if (edtf == NULL)
        g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                     "%s: %s", name, local_error->message);
      return edtf;
    }

  object = json_node_get_object (node);
  if (json_object_has_member (object, "in"))
    edtf = date_node_to_edtf (json_object_get_member (object, "in"), &local_error);
  else
    {
      earliest = dup_date_member (object, "earliest");
      latest = dup_date_member (object, "latest");
      if (earliest == NULL && latest == NULL)
        {
          g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                       _("%s: no “in”, “earliest” or “latest” date"), name);
          return NULL;
        }
      edtf = range_to_edtf (earliest, latest, &local_error);
    }

  if (edtf == NULL)
    g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                 "%s: %s", name, local_error->message);
  return edtf;
}

/* A timespan's start and end as EDTF (*@out_end NULL: as the start) */
static gboolean
read_timespan (JsonNode  *node,
               char     **out_start,
               char     **out_end,
               GError   **error)
{
  JsonObject *object;
  JsonNode *end;
  g_autofree char *start = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("expected a timespan object, found %s"), describe_node (node));
      return FALSE;
    }

  object = json_node_get_object (node);
  if (!json_object_has_member (object, "start"))
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID, _("a timespan without a start"));
      return FALSE;
    }
  if ((start = timespan_end_to_edtf (json_object_get_member (object, "start"), "start", error)) == NULL)
    return FALSE;
  if (g_str_equal (start, ".."))
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID, _("start: an open start"));
      return FALSE;
    }

  end = json_object_get_member (object, "end");
  *out_end = NULL;
  if (end != NULL && !JSON_NODE_HOLDS_NULL (end) &&
      (*out_end = timespan_end_to_edtf (end, "end", error)) == NULL)
    return FALSE;

  *out_start = g_steal_pointer (&start);
  return TRUE;
}

/* One date of a timespan end for an interval: "in", else the earliest (or latest) bound */
static char *
timespan_end_point (JsonObject *timespan,
                    const char *name,
                    gboolean    prefer_latest)
{
  JsonNode *node = get_member (timespan, name);
  JsonObject *object;
  g_autofree char *text = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return date_node_to_edtf (node, NULL);

  object = json_node_get_object (node);
  text = dup_date_member (object, "in");
  if (text == NULL)
    text = dup_date_member (object, prefer_latest ? "latest" : "earliest");
  if (text == NULL)
    text = dup_date_member (object, prefer_latest ? "earliest" : "latest");
  return text != NULL ? date_to_edtf (text, NULL) : NULL;
}

/*
 * When a name was in use, from its first timespan, as one EDTF date or
 * interval ("1600", "1600/1699", "1832/.."); NULL when not said or unreadable.
 */
static char *
when_to_validity (JsonNode *when)
{
  JsonNode *timespans;
  JsonObject *timespan;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *text = NULL;
  g_autoptr (ChronoEdtf) edtf = NULL;

  if (when == NULL || !JSON_NODE_HOLDS_OBJECT (when))
    return NULL;
  timespans = json_object_get_member (json_node_get_object (when), "timespans");
  if (timespans == NULL || !JSON_NODE_HOLDS_ARRAY (timespans) ||
      json_array_get_length (json_node_get_array (timespans)) == 0 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (timespans), 0)))
    return NULL;
  timespan = json_array_get_object_element (json_node_get_array (timespans), 0);

  start = timespan_end_point (timespan, "start", FALSE);
  end = timespan_end_point (timespan, "end", TRUE);
  if (start == NULL)
    return NULL;
  text = end != NULL && !g_str_equal (end, start) ? g_strconcat (start, "/", end, NULL) : g_strdup (start);

  edtf = chrono_edtf_parse (text, NULL);
  return edtf != NULL ? g_steal_pointer (&text) : NULL;
}

/* Languages */

/* A BCP 47 tag ("en", "hy", "zh-Hans-CN"), or NULL for anything else */
static char *
dup_lang (const char *text)
{
  gsize first = 0;

  if (text == NULL)
    return NULL;

  while (g_ascii_isalpha (text[first]))
    first++;
  if (first < 2 || first > 8 || strlen (text) > 35)
    return NULL;
  for (const char *p = text + first; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return NULL;

  return g_strdelimit (g_strdup (text), "_", '-');
}

/* One of Chronotope's kinds, from a place type's label */
static const char *
find_kind (const char *label)
{
  if (label == NULL)
    return NULL;

  for (guint i = 0; place_kinds[i] != NULL; i++)
    if (g_ascii_strcasecmp (label, place_kinds[i]) == 0)
      return place_kinds[i];

  return NULL;
}

/* Geometry */

typedef struct
{
  gboolean  has_point;
  double    lat;
  double    lon;
  gboolean  has_shape_point;  /* the representative point of @geometry */
  double    shape_lat;
  double    shape_lon;
  GString  *geometry;         /* GeoJSON text of the first line or area, or NULL */
  char     *error;            /* the first thing wrong, or NULL */
  char     *error_path;       /* where it is */
} Geo;

static void
geo_clear (Geo *geo)
{
  if (geo->geometry != NULL)
    g_string_free (geo->geometry, TRUE);
  g_free (geo->error);
  g_free (geo->error_path);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Geo, geo_clear)

static void
geo_fail (Geo        *geo,
          const char *path,
          const char *format,
          ...) G_GNUC_PRINTF (3, 4);

static void
geo_fail (Geo        *geo,
          const char *path,
          const char *format,
          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (geo->error != NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  geo->error = g_steal_pointer (&message);
  geo->error_path = g_strdup (path);
}

/* A position [lon, lat, …] on Earth */
static gboolean
read_position (JsonNode *node,
               double   *out_lon,
               double   *out_lat)
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  if (json_array_get_length (array) < 2 ||
      !node_is_number (json_array_get_element (array, 0)) ||
      !node_is_number (json_array_get_element (array, 1)))
    return FALSE;

  *out_lon = json_array_get_double_element (array, 0);
  *out_lat = json_array_get_double_element (array, 1);
  return isfinite (*out_lon) && isfinite (*out_lat) &&
         *out_lat >= -90 && *out_lat <= 90 && *out_lon >= -180 && *out_lon <= 180;
}

/* The shortest decimal that reads back as the same double */
static void
append_double (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

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
 * Checks that @node is an array nested @depth deep whose innermost arrays
 * are positions on Earth (depth 1: one position), and writes it to @out.
 */
static gboolean
write_coordinates (JsonNode *node,
                   guint     depth,
                   GString  *out)
{
  JsonArray *array;
  guint n;

  if (depth == 1)
    {
      double lon, lat;

      if (!read_position (node, &lon, &lat))
        return FALSE;
      g_string_append_c (out, '[');
      append_double (out, lon);
      g_string_append_c (out, ',');
      append_double (out, lat);
      g_string_append_c (out, ']');
      return TRUE;
    }

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    return FALSE;

  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      if (!write_coordinates (json_array_get_element (array, i), depth - 1, out))
        return FALSE;
    }
  g_string_append_c (out, ']');
  return TRUE;
}

/* The point half-way along a line of checked positions */
static void
line_midpoint (JsonArray *line,
               double    *out_lon,
               double    *out_lat)
{
  guint n = json_array_get_length (line);
  double total = 0, walked = 0;
  double lon0, lat0, lon1, lat1;

  read_position (json_array_get_element (line, 0), out_lon, out_lat);
  for (guint i = 1; i < n; i++)
    {
      read_position (json_array_get_element (line, i - 1), &lon0, &lat0);
      read_position (json_array_get_element (line, i), &lon1, &lat1);
      total += hypot (lon1 - lon0, lat1 - lat0);
    }
  if (total <= 0)
    return;

  for (guint i = 1; i < n; i++)
    {
      double step;

      read_position (json_array_get_element (line, i - 1), &lon0, &lat0);
      read_position (json_array_get_element (line, i), &lon1, &lat1);
      step = hypot (lon1 - lon0, lat1 - lat0);
      if (walked + step >= total / 2 && step > 0)
        {
          double t = (total / 2 - walked) / step;

          *out_lon = lon0 + t * (lon1 - lon0);
          *out_lat = lat0 + t * (lat1 - lat0);
          return;
        }
      walked += step;
    }
}

/* The centroid of a ring of checked positions (its vertices' mean when it has no area) */
static void
ring_centroid (JsonArray *ring,
               double    *out_lon,
               double    *out_lat)
{
  guint n = json_array_get_length (ring);
  double area = 0, cx = 0, cy = 0, sx = 0, sy = 0;

  for (guint i = 0; i < n; i++)
    {
      double x0, y0, x1, y1, cross;

      read_position (json_array_get_element (ring, i), &x0, &y0);
      read_position (json_array_get_element (ring, (i + 1) % n), &x1, &y1);
      cross = x0 * y1 - x1 * y0;
      area += cross;
      cx += (x0 + x1) * cross;
      cy += (y0 + y1) * cross;
      sx += x0;
      sy += y0;
    }

  if (fabs (area) > 1e-12)
    {
      *out_lon = cx / (3 * area);
      *out_lat = cy / (3 * area);
    }
  else
    {
      *out_lon = sx / n;
      *out_lat = sy / n;
    }
}

/* A line or area: kept as text (the first one only), and its representative point */
static void
read_shape (Geo        *geo,
            const char *type,
            JsonNode   *coordinates,
            guint       depth,
            const char *path)
{
  g_autoptr (GString) text = g_string_new (NULL);
  JsonNode *part = coordinates;
  double lon, lat;

  g_string_append_printf (text, "{\"type\":\"%s\",\"coordinates\":", type);
  if (!write_coordinates (coordinates, depth, text))
    {
      geo_fail (geo, path, _("the coordinates of a %s are not positions on Earth"), type);
      return;
    }
  g_string_append_c (text, '}');

  /* The first line, or the outer ring of the first polygon */
  for (guint d = depth; d > 2; d--)
    part = json_array_get_element (json_node_get_array (part), 0);
  if (g_str_has_suffix (type, "LineString"))
    line_midpoint (json_node_get_array (part), &lon, &lat);
  else
    ring_centroid (json_node_get_array (part), &lon, &lat);

  if (geo->geometry == NULL)
    {
      geo->geometry = g_steal_pointer (&text);
      geo->has_shape_point = TRUE;
      geo->shape_lon = lon;
      geo->shape_lat = lat;
    }
}

/* WKT */

typedef struct
{
  const char *p;
  guint       depth;
} Wkt;

static void
wkt_skip_space (Wkt *wkt)
{
  while (g_ascii_isspace (*wkt->p))
    wkt->p++;
}

/* "(x y, x y)" or "((…), (…))" as nested JSON arrays; NULL when not WKT */
static JsonNode *
wkt_read_group (Wkt *wkt)
{
  g_autoptr (JsonArray) array = json_array_new ();
  JsonNode *node;

  wkt_skip_space (wkt);
  if (*wkt->p != '(' || ++wkt->depth > 4)
    return NULL;
  wkt->p++;

  for (;;)
    {
      wkt_skip_space (wkt);
      if (*wkt->p == '(')
        {
          JsonNode *child = wkt_read_group (wkt);

          if (child == NULL)
            return NULL;
          json_array_add_element (array, child);
        }
      else
        {
          JsonArray *position = json_array_new ();

          /* x y [z [m]] */
          for (guint i = 0; i < 4; i++)
            {
              char *end;
              double value;

              wkt_skip_space (wkt);
              value = g_ascii_strtod (wkt->p, &end);
              if (end == wkt->p)
                break;
              wkt->p = end;
              if (i < 2)
                json_array_add_double_element (position, value);
            }
          if (json_array_get_length (position) < 2)
            {
              json_array_unref (position);
              return NULL;
            }
          json_array_add_array_element (array, position);
        }

      wkt_skip_space (wkt);
      if (*wkt->p == ',')
        wkt->p++;
      else if (*wkt->p == ')')
        break;
      else
        return NULL;
    }
  wkt->p++;
  wkt->depth--;

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, g_steal_pointer (&array));
  return node;
}

/*
 * A WKT geometry ("POINT (-1.28 51.67)", "POLYGON ((…))", with or without
 * "SRID=4326;") as a GeoJSON type and coordinates; FALSE when not read.
 */
static gboolean
wkt_parse (const char  *text,
           const char **out_type,
           JsonNode   **out_coordinates)
{
  static const struct { const char *wkt; const char *geojson; } types[] = {
    { "MULTIPOLYGON", "MultiPolygon" },
    { "MULTILINESTRING", "MultiLineString" },
    { "MULTIPOINT", "MultiPoint" },
    { "POLYGON", "Polygon" },
    { "LINESTRING", "LineString" },
    { "POINT", "Point" },
  };
  g_autoptr (JsonNode) coordinates = NULL;
  Wkt wkt = { text, 0 };
  const char *semicolon = strchr (text, ';');

  if (g_ascii_strncasecmp (text, "SRID=", 5) == 0 && semicolon != NULL)
    wkt.p = semicolon + 1;
  wkt_skip_space (&wkt);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      gsize len = strlen (types[i].wkt);

      if (g_ascii_strncasecmp (wkt.p, types[i].wkt, len) != 0)
        continue;
      wkt.p += len;
      wkt_skip_space (&wkt);
      /* "POINT Z (…)": the third dimension is dropped */
      while (g_ascii_isalpha (*wkt.p))
        wkt.p++;

      coordinates = wkt_read_group (&wkt);
      if (coordinates == NULL)
        return FALSE;
      wkt_skip_space (&wkt);
      if (*wkt.p != '\0')
        return FALSE;

      /* POINT (x y) is one position; MULTIPOINT ((x y), (x y)) a list of them */
      if (g_str_equal (types[i].geojson, "Point"))
        {
          JsonArray *array = json_node_get_array (coordinates);
          JsonNode *position;

          if (json_array_get_length (array) != 1)
            return FALSE;
          position = json_node_copy (json_array_get_element (array, 0));
          json_node_unref (coordinates);
          coordinates = position;
        }
      else if (g_str_equal (types[i].geojson, "MultiPoint"))
        {
          JsonArray *array = json_node_get_array (coordinates);
          g_autoptr (JsonArray) flat = json_array_new ();

          for (guint j = 0; j < json_array_get_length (array); j++)
            {
              JsonNode *item = json_array_get_element (array, j);
              JsonArray *items = json_node_get_array (item);

              if (json_array_get_length (items) == 1 && JSON_NODE_HOLDS_ARRAY (json_array_get_element (items, 0)))
                item = json_array_get_element (items, 0);
              json_array_add_element (flat, json_node_copy (item));
            }
          json_node_set_array (coordinates, flat);
        }

      *out_type = types[i].geojson;
      *out_coordinates = g_steal_pointer (&coordinates);
      return TRUE;
    }

  return FALSE;
}

static void read_geometry (Geo        *geo,
                           JsonNode   *node,
                           const char *path,
                           guint       depth);

static void
read_typed_geometry (Geo        *geo,
                     const char *type,
                     JsonNode   *coordinates,
                     const char *path)
{
  double lon, lat;

  if (g_strcmp0 (type, "Point") == 0)
    {
      if (!read_position (coordinates, &lon, &lat))
        {
          geo_fail (geo, path, _("the coordinates of a Point are not a longitude and latitude on Earth"));
          return;
        }
      if (!geo->has_point)
        {
          geo->has_point = TRUE;
          geo->lon = lon;
          geo->lat = lat;
        }
    }
  else if (g_strcmp0 (type, "MultiPoint") == 0)
    {
      JsonNode *first = coordinates != NULL && JSON_NODE_HOLDS_ARRAY (coordinates) &&
                        json_array_get_length (json_node_get_array (coordinates)) > 0
        ? json_array_get_element (json_node_get_array (coordinates), 0) : NULL;

      if (!read_position (first, &lon, &lat))
        {
          geo_fail (geo, path, _("the coordinates of a MultiPoint are not positions on Earth"));
          return;
        }
      if (!geo->has_point)
        {
          geo->has_point = TRUE;
          geo->lon = lon;
          geo->lat = lat;
        }
    }
  else if (g_strcmp0 (type, "LineString") == 0)
    read_shape (geo, type, coordinates, 2, path);
  else if (g_strcmp0 (type, "MultiLineString") == 0 || g_strcmp0 (type, "Polygon") == 0)
    read_shape (geo, type, coordinates, 3, path);
  else if (g_strcmp0 (type, "MultiPolygon") == 0)
    read_shape (geo, type, coordinates, 4, path);
  else
    geo_fail (geo, path, _("“%s” is not a GeoJSON geometry type"), type != NULL ? type : "");
}

/* A GeoJSON geometry, a GeometryCollection of them, or one given as "geo_wkt" */
static void
read_geometry (Geo        *geo,
               JsonNode   *node,
               const char *path,
               guint       depth)
{
  JsonObject *object;
  JsonNode *type_node;
  JsonNode *coordinates;
  const char *type;

  /* The specification's "geometries": ["null"] for an unknown location */
  if (node == NULL || JSON_NODE_HOLDS_NULL (node) ||
      (node_is_string (node) && g_str_equal (json_node_get_string (node), "null")))
    return;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      geo_fail (geo, path, _("expected a geometry object, found %s"), describe_node (node));
      return;
    }
  object = json_node_get_object (node);
  type_node = json_object_get_member (object, "type");
  type = node_is_string (type_node) ? json_node_get_string (type_node) : NULL;
  coordinates = json_object_get_member (object, "coordinates");

  if (g_strcmp0 (type, "GeometryCollection") == 0)
    {
      JsonNode *geometries = json_object_get_member (object, "geometries");
      JsonArray *array;

      if (depth > 4)
        {
          geo_fail (geo, path, _("geometry collections nested too deep"));
          return;
        }
      if (geometries == NULL || !JSON_NODE_HOLDS_ARRAY (geometries))
        {
          geo_fail (geo, path, _("“geometries”: expected an array, found %s"), describe_node (geometries));
          return;
        }
      array = json_node_get_array (geometries);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *child_path = g_strdup_printf ("%s.geometries[%u]", path, i);

          read_geometry (geo, json_array_get_element (array, i), child_path, depth + 1);
        }
      return;
    }

  if ((coordinates == NULL || JSON_NODE_HOLDS_NULL (coordinates)) &&
      node_is_string (json_object_get_member (object, "geo_wkt")))
    {
      const char *wkt = json_object_get_string_member (object, "geo_wkt");
      g_autoptr (JsonNode) parsed = NULL;
      const char *wkt_type;

      if (!wkt_parse (wkt, &wkt_type, &parsed))
        {
          geo_fail (geo, path, _("“geo_wkt” is not a WKT point, line or polygon"));
          return;
        }
      read_typed_geometry (geo, wkt_type, parsed, path);
      return;
    }

  if (type == NULL)
    {
      geo_fail (geo, path, _("a geometry without a type"));
      return;
    }
  read_typed_geometry (geo, type, coordinates, path);
}

/* Events waiting for the end of the file, when all their places are known */

typedef struct
{
  char      *key;        /* the timespan's "@id", or NULL */
  char      *start;
  char      *end;
  char      *title;
  char      *summary;
  char      *path;
  GPtrArray *place_ids;  /* borrowed: the import keeps them */
} Pending;

static void
pending_free (Pending *self)
{
  g_free (self->key);
  g_free (self->start);
  g_free (self->end);
  g_free (self->title);
  g_free (self->summary);
  g_free (self->path);
  g_ptr_array_unref (self->place_ids);
  g_free (self);
}

typedef struct
{
  ChronoImport *import;
  GPtrArray    *events;   /* of Pending, in the order of the file */
  GHashTable   *by_key;   /* "@id" → Pending */
} LpfReader;

/* The when's label, or its first period's name: what the time is called */
static char *
dup_when_label (JsonObject *when)
{
  JsonNode *periods;
  char *label = dup_string (when, "label", MAX_NAME);

  if (label != NULL)
    return label;

  periods = json_object_get_member (when, "periods");
  if (periods != NULL && JSON_NODE_HOLDS_ARRAY (periods) &&
      json_array_get_length (json_node_get_array (periods)) > 0)
    {
      JsonNode *first = json_array_get_element (json_node_get_array (periods), 0);

      if (JSON_NODE_HOLDS_OBJECT (first))
        return dup_string (json_node_get_object (first), "name", MAX_NAME);
    }

  return NULL;
}

/* Each timespan of @when_node: an event at @place_id, now or at the end */
static void
read_when (LpfReader  *reader,
           JsonNode   *when_node,
           const char *when_path,
           const char *place_id,
           const char *place_title,
           const char *description)
{
  JsonObject *when;
  JsonNode *timespans;
  JsonArray *array;
  g_autofree char *when_label = NULL;

  if (when_node == NULL || JSON_NODE_HOLDS_NULL (when_node))
    return;
  if (!JSON_NODE_HOLDS_OBJECT (when_node))
    {
      chrono_import_skip (reader->import, 0, 0, when_path,
                          _("expected an object, found %s"), describe_node (when_node));
      return;
    }
  when = json_node_get_object (when_node);
  timespans = json_object_get_member (when, "timespans");
  if (timespans == NULL || JSON_NODE_HOLDS_NULL (timespans))
    {
      if (json_object_has_member (when, "periods"))
        chrono_import_note (reader->import, 0, 0, when_path,
                            _("named periods without timespans give no dates: no event"));
      return;
    }
  if (!JSON_NODE_HOLDS_ARRAY (timespans))
    {
      g_autofree char *path = g_strconcat (when_path, ".timespans", NULL);

      chrono_import_skip (reader->import, 0, 0, path,
                          _("expected an array, found %s"), describe_node (timespans));
      return;
    }

  when_label = dup_when_label (when);
  array = json_node_get_array (timespans);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("%s.timespans[%u]", when_path, i);
      g_autoptr (GError) error = NULL;
      g_autofree char *start = NULL;
      g_autofree char *end = NULL;
      g_autofree char *key = NULL;
      g_autofree char *label = NULL;
      Pending *pending;

      if (!read_timespan (node, &start, &end, &error))
        {
          chrono_import_skip (reader->import, 0, 0, path, "%s", error->message);
          continue;
        }

      key = dup_string (json_node_get_object (node), "@id", MAX_NAME);
      if (key != NULL && (pending = g_hash_table_lookup (reader->by_key, key)) != NULL)
        {
          if (!g_ptr_array_find (pending->place_ids, place_id, NULL))
            g_ptr_array_add (pending->place_ids, (gpointer) place_id);
          continue;
        }

      pending = g_new0 (Pending, 1);
      pending->start = g_steal_pointer (&start);
      pending->end = g_steal_pointer (&end);
      pending->path = g_steal_pointer (&path);
      pending->place_ids = g_ptr_array_new ();
      g_ptr_array_add (pending->place_ids, (gpointer) place_id);

      label = dup_string (json_node_get_object (node), "label", MAX_NAME);
      if (label != NULL)
        /* A timespan of its own: an event, not the place's lifetime */
        pending->title = g_steal_pointer (&label);
      else
        {
          pending->title = when_label != NULL
            ? g_strdup_printf ("%s (%s)", place_title, when_label)
            : g_strdup (place_title);
          pending->summary = g_strdup (description);
        }

      g_ptr_array_add (reader->events, pending);
      if (key != NULL)
        {
          pending->key = g_strdup (key);
          g_hash_table_insert (reader->by_key, pending->key, pending);
        }
    }
}

/* Citations: sources of the dataset */
static void
read_citations (LpfReader  *reader,
                JsonNode   *citations,
                const char *path)
{
  JsonArray *array;

  if (citations == NULL || JSON_NODE_HOLDS_NULL (citations))
    return;
  if (!JSON_NODE_HOLDS_ARRAY (citations))
    {
      chrono_import_note (reader->import, 0, 0, path,
                          _("expected an array of citations, found %s"), describe_node (citations));
      return;
    }

  array = json_node_get_array (citations);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *citation;
      g_autofree char *label = NULL;
      g_autofree char *url = NULL;
      g_autofree char *year = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);

          chrono_import_note (reader->import, 0, 0, item_path,
                              _("expected a citation object, found %s"), describe_node (node));
          continue;
        }
      citation = json_node_get_object (node);
      label = dup_string (citation, "label", 2000);
      url = dup_string (citation, "@id", 2000);
      if (url == NULL)
        url = dup_string (citation, "id", 2000);
      year = dup_date_member (citation, "year");

      if (label != NULL || url != NULL)
        {
          ChronoImportSource source = {
            .title = label != NULL ? label : url,
            .url = url,
            .published = year,
          };

          chrono_import_add_source (reader->import, &source);
        }
    }
}

static void
name_clear (ChronoImportName *name)
{
  g_free ((char *) name->lang);
  g_free ((char *) name->name);
  g_free ((char *) name->when);
}

/* One feature: a place, and its timespans for the end */
static void
read_feature (LpfReader *reader,
              JsonNode  *node,
              guint      index)
{
  g_autofree char *path = g_strdup_printf ("features[%u]", index);
  g_autofree char *local_id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autoptr (GArray) names = NULL;
  g_autoptr (GPtrArray) citations = g_ptr_array_new ();
  g_autoptr (GPtrArray) citation_paths = g_ptr_array_new_with_free_func (g_free);
  g_auto (Geo) geo = { 0 };
  JsonObject *feature;
  JsonObject *properties = NULL;
  JsonNode *member;
  const char *kind = NULL;
  const char *place_id;
  ChronoImportPlace place = { 0 };
  guint title_index = G_MAXUINT;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      chrono_import_skip (reader->import, 0, 0, path, _("expected a feature object, found %s"), describe_node (node));
      return;
    }
  feature = json_node_get_object (node);

  local_id = dup_string (feature, "@id", MAX_NAME);
  if (local_id == NULL)
    local_id = dup_string (feature, "id", MAX_NAME);

  member = json_object_get_member (feature, "properties");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    properties = json_node_get_object (member);
  else if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_autofree char *member_path = g_strconcat (path, ".properties", NULL);

      chrono_import_note (reader->import, 0, 0, member_path,
                          _("expected an object, found %s"), describe_node (member));
    }
  title = dup_string (properties, "title", MAX_NAME);

  /* Names */
  names = g_array_new (FALSE, TRUE, sizeof (ChronoImportName));
  g_array_set_clear_func (names, (GDestroyNotify) name_clear);
  member = json_object_get_member (feature, "names");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *array = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          g_autofree char *item_path = g_strdup_printf ("%s.names[%u]", path, i);
          g_autofree char *lang_text = NULL;
          ChronoImportName name = { 0 };
          JsonObject *object;

          if (!JSON_NODE_HOLDS_OBJECT (item))
            {
              chrono_import_skip (reader->import, 0, 0, item_path,
                                  _("expected a name object, found %s"), describe_node (item));
              continue;
            }
          object = json_node_get_object (item);
          name.name = dup_string (object, "toponym", MAX_NAME);
          if (name.name == NULL)
            {
              chrono_import_skip (reader->import, 0, 0, item_path, _("a name without a “toponym” text"));
              continue;
            }

          lang_text = dup_string (object, "lang", 100);
          name.lang = dup_lang (lang_text);
          if (lang_text != NULL && name.lang == NULL)
            chrono_import_note (reader->import, 0, 0, item_path,
                                _("“%s” is not a language tag: the name is taken to be in %s"),
                                lang_text, chrono_import_get_lang (reader->import));
          name.when = when_to_validity (json_object_get_member (object, "when"));

          if (title_index == G_MAXUINT && title != NULL && g_utf8_collate (title, name.name) == 0)
            title_index = names->len;

          g_array_append_val (names, name);
          if (json_object_has_member (object, "citations"))
            {
              g_ptr_array_add (citations, json_object_get_member (object, "citations"));
              g_ptr_array_add (citation_paths, g_strconcat (item_path, ".citations", NULL));
            }
        }
    }
  else if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_autofree char *member_path = g_strconcat (path, ".names", NULL);

      chrono_import_skip (reader->import, 0, 0, member_path,
                          _("expected an array of names, found %s"), describe_node (member));
    }

  /* The title first: the place's preferred name */
  if (title_index != G_MAXUINT)
    {
      ChronoImportName first = g_array_index (names, ChronoImportName, title_index);

      memmove (&g_array_index (names, ChronoImportName, 1), &g_array_index (names, ChronoImportName, 0),
               title_index * sizeof (ChronoImportName));
      g_array_index (names, ChronoImportName, 0) = first;
    }
  else if (title != NULL)
    {
      ChronoImportName first = { .name = g_strdup (title) };

      g_array_prepend_val (names, first);
    }
  if (names->len > 0)
    g_array_index (names, ChronoImportName, 0).usage = "common";

  if (names->len == 0)
    {
      chrono_import_skip (reader->import, 0, 0, path, _("a place with neither title nor names"));
      return;
    }
  if (title == NULL)
    title = g_strdup (g_array_index (names, ChronoImportName, 0).name);

  /* Kind, from the first type that is one of Chronotope's */
  member = json_object_get_member (feature, "types");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *array = json_node_get_array (member);

      for (guint i = 0; kind == NULL && i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          JsonObject *type;
          g_autofree char *label = NULL;
          JsonNode *source_labels;

          if (!JSON_NODE_HOLDS_OBJECT (item))
            continue;
          type = json_node_get_object (item);
          label = dup_string (type, "label", 200);
          kind = find_kind (label);

          source_labels = json_object_get_member (type, "sourceLabels");
          if (source_labels != NULL && JSON_NODE_HOLDS_ARRAY (source_labels))
            for (guint j = 0; kind == NULL && j < json_array_get_length (json_node_get_array (source_labels)); j++)
              {
                JsonNode *source_label = json_array_get_element (json_node_get_array (source_labels), j);
                g_autofree char *text = NULL;

                if (JSON_NODE_HOLDS_OBJECT (source_label))
                  text = dup_string (json_node_get_object (source_label), "label", 200);
                kind = find_kind (text);
              }
        }
    }

  member = json_object_get_member (feature, "descriptions");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member) &&
      json_array_get_length (json_node_get_array (member)) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (member), 0)))
    description = dup_string (json_array_get_object_element (json_node_get_array (member), 0), "value", MAX_TEXT);

  /* Geometry */
  {
    g_autofree char *geometry_path = g_strconcat (path, ".geometry", NULL);

    read_geometry (&geo, json_object_get_member (feature, "geometry"), geometry_path, 0);
    if (!geo.has_point && !geo.has_shape_point)
      {
        if (geo.error != NULL)
          chrono_import_skip (reader->import, 0, 0, geo.error_path, "%s", geo.error);
        else
          chrono_import_skip (reader->import, 0, 0, path, _("no geometry: a place needs a point on the map"));
        return;
      }
    if (geo.error != NULL)
      chrono_import_note (reader->import, 0, 0, geo.error_path, _("this part of the geometry is left out: %s"), geo.error);
  }

  place.local_id = local_id;
  place.lat = geo.has_point ? geo.lat : geo.shape_lat;
  place.lon = geo.has_point ? geo.lon : geo.shape_lon;
  place.kind = kind;
  place.geometry = geo.geometry != NULL ? geo.geometry->str : NULL;
  place.note = description;
  place.names = (const ChronoImportName *) (gpointer) names->data;
  place.n_names = names->len;
  place_id = chrono_import_add_place (reader->import, &place, 0, path);
  if (place_id == NULL)
    return;

  /* The sources of a place that is in */
  for (guint i = 0; i < citations->len; i++)
    read_citations (reader, g_ptr_array_index (citations, i), g_ptr_array_index (citation_paths, i));

  /* The place's timespans; or, when it has none, those of its geometries */
  member = json_object_get_member (feature, "when");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_autofree char *when_path = g_strconcat (path, ".when", NULL);

      read_when (reader, member, when_path, place_id, title, description);
    }
  else
    {
      JsonNode *geometry = json_object_get_member (feature, "geometry");
      JsonNode *geometries = geometry != NULL && JSON_NODE_HOLDS_OBJECT (geometry)
        ? json_object_get_member (json_node_get_object (geometry), "geometries") : NULL;

      if (geometry != NULL && JSON_NODE_HOLDS_OBJECT (geometry) &&
          json_object_has_member (json_node_get_object (geometry), "when"))
        {
          g_autofree char *when_path = g_strconcat (path, ".geometry.when", NULL);

          read_when (reader, json_object_get_member (json_node_get_object (geometry), "when"),
                     when_path, place_id, title, description);
        }
      if (geometries != NULL && JSON_NODE_HOLDS_ARRAY (geometries))
        for (guint i = 0; i < json_array_get_length (json_node_get_array (geometries)); i++)
          {
            JsonNode *item = json_array_get_element (json_node_get_array (geometries), i);
            g_autofree char *when_path = g_strdup_printf ("%s.geometry.geometries[%u].when", path, i);

            if (JSON_NODE_HOLDS_OBJECT (item))
              read_when (reader, json_object_get_member (json_node_get_object (item), "when"),
                         when_path, place_id, title, description);
          }
    }
}


/* LPF */

static const char * const lpf_patterns[] = { "*.jsonld", "*.json", "*.geojson", NULL };
static const char * const lpf_mime_types[] = { "application/ld+json", NULL };

static gboolean
contains_ascii_nocase (const char *haystack,
                       gsize       len,
                       const char *needle)
{
  gsize needle_len = strlen (needle);

  for (gsize i = 0; i + needle_len <= len; i++)
    if (g_ascii_strncasecmp (haystack + i, needle, needle_len) == 0)
      return TRUE;

  return FALSE;
}

static int
lpf_detect (const char   *basename,
            const guint8 *head,
            gsize         len)
{
  const char *text = (const char *) head;
  gsize i = 0;

  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < len && g_ascii_isspace (text[i]))
    i++;

  if (i < len && text[i] == '{')
    {
      /* The Linked Places context, or GeoJSON features with Linked Places names */
      if (g_strstr_len (text, len, "\"@context\"") != NULL &&
          contains_ascii_nocase (text, len, "linkedplaces"))
        return CHRONO_DETECT_YES;
      if (g_strstr_len (text, len, "FeatureCollection") != NULL &&
          g_strstr_len (text, len, "\"names\"") != NULL &&
          g_strstr_len (text, len, "\"toponym\"") != NULL)
        return CHRONO_DETECT_YES;
    }

  if (basename != NULL && g_str_has_suffix (basename, ".jsonld"))
    return CHRONO_DETECT_EXTENSION;

  return CHRONO_DETECT_NO;
}

static gboolean
read_lpf (ChronoImport  *import,
          GBytes        *bytes,
          GError       **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  g_autoptr (GHashTable) by_key = g_hash_table_new (g_str_hash, g_str_equal);
  LpfReader reader = { import, events, by_key };
  JsonNode *root;
  JsonNode *features;
  JsonArray *array;
  guint n;

  parser = chrono_import_parse_json (import, bytes, error);
  if (parser == NULL)
    return FALSE;

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: a Linked Places file is a GeoJSON FeatureCollection object, not %s"),
                   chrono_import_get_display_name (import), describe_node (root));
      return FALSE;
    }
  features = json_object_get_member (json_node_get_object (root), "features");
  if (features == NULL || !JSON_NODE_HOLDS_ARRAY (features))
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: “features”: expected an array of places, found %s"),
                   chrono_import_get_display_name (import), describe_node (features));
      return FALSE;
    }

  array = json_node_get_array (features);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      if (!chrono_import_progress (import, i, n * 2, error))
        return FALSE;
      read_feature (&reader, json_array_get_element (array, i), i);
    }

  for (guint i = 0; i < events->len; i++)
    {
      Pending *pending = g_ptr_array_index (events, i);
      ChronoImportEvent event = {
        .local_id = pending->key,
        .start = pending->start,
        .end = pending->end,
        .title = pending->title,
        .summary = pending->summary,
        .place_ids = (const char * const *) pending->place_ids->pdata,
        .n_places = pending->place_ids->len,
      };

      if (!chrono_import_progress (import, n + (gsize) i * n / MAX (events->len, 1), n * 2, error))
        return FALSE;
      chrono_import_add_event (import, &event, 0, pending->path);
    }

  return TRUE;
}

const ChronoImportFormat chrono_import_format_lpf = {
  .name = "lpf",
  .label = N_("Linked Places (JSON-LD)"),
  .patterns = lpf_patterns,
  .mime_types = lpf_mime_types,
  .detect = lpf_detect,
  .read = read_lpf,
};

/* LP-TSV */

static const char * const lptsv_patterns[] = { "*.tsv", NULL };
static const char * const lptsv_mime_types[] = { "text/tab-separated-values", NULL };

typedef enum
{
  COL_ID,
  COL_TITLE,
  COL_TITLE_SOURCE,
  COL_TITLE_URI,
  COL_VARIANTS,
  COL_TYPES,
  COL_LON,
  COL_LAT,
  COL_GEOWKT,
  COL_START,
  COL_END,
  COL_DESCRIPTION,
  N_COLS,
} LpTsvColumn;

static const char * const column_names[N_COLS] = {
  [COL_ID] = "id",
  [COL_TITLE] = "title",
  [COL_TITLE_SOURCE] = "title_source",
  [COL_TITLE_URI] = "title_uri",
  [COL_VARIANTS] = "variants",
  [COL_TYPES] = "types",
  [COL_LON] = "lon",
  [COL_LAT] = "lat",
  [COL_GEOWKT] = "geowkt",
  [COL_START] = "start",
  [COL_END] = "end",
  [COL_DESCRIPTION] = "description",
};

/* A field as the file has it, without the quotes a spreadsheet may add, trimmed */
static char *
dup_field (const char *field)
{
  gsize len = strlen (field);
  g_autofree char *text = NULL;

  if (len >= 2 && field[0] == '"' && field[len - 1] == '"')
    text = g_strndup (field + 1, len - 2);
  else
    text = g_strdup (field);

  return g_strstrip (g_steal_pointer (&text));
}

static GStrv
split_line (const char *line,
            gsize       len)
{
  g_autofree char *copy = g_strndup (line, len);

  if (len > 0 && copy[len - 1] == '\r')
    copy[len - 1] = '\0';
  return g_strsplit (copy, "\t", -1);
}

static int
lptsv_detect (const char   *basename,
              const guint8 *head,
              gsize         len)
{
  const char *text = (const char *) head;
  const char *newline;
  g_auto (GStrv) fields = NULL;
  gboolean has_id = FALSE, has_title = FALSE, has_start = FALSE;

  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      text += 3;
      len -= 3;
    }
  newline = memchr (text, '\n', len);
  if (newline == NULL && len == 64 * 1024)
    return CHRONO_DETECT_NO;
  if (memchr (text, '\t', newline != NULL ? (gsize) (newline - text) : len) == NULL)
    return CHRONO_DETECT_NO;

  fields = split_line (text, newline != NULL ? (gsize) (newline - text) : len);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree char *field = g_ascii_strdown (g_strstrip (fields[i]), -1);
      g_autofree char *name = dup_field (field);

      if (g_str_equal (name, "title_source"))
        return CHRONO_DETECT_YES;
      has_id |= g_str_equal (name, "id");
      has_title |= g_str_equal (name, "title");
      has_start |= g_str_equal (name, "start");
    }

  return has_id && has_title && has_start ? CHRONO_DETECT_YES : CHRONO_DETECT_NO;
}

/* "lat" or "lon" of a row: a number in range, or FALSE */
static gboolean
parse_coordinate (const char *text,
                  double      limit,
                  double     *out)
{
  char *end;

  if (text == NULL || text[0] == '\0')
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return *end == '\0' && isfinite (*out) && *out >= -limit && *out <= limit;
}

/* A row's fields, by column */
typedef struct
{
  char *values[N_COLS];
} Row;

static void
row_clear (Row *row)
{
  for (guint i = 0; i < N_COLS; i++)
    g_free (row->values[i]);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Row, row_clear)

static void
read_row (ChronoImport  *import,
          char         **fields,
          guint          n_fields,
          const int     *columns,
          guint          n_header,
          guint          line)
{
  g_auto (Row) row = { { NULL } };
  char **values = row.values;
  g_autoptr (GArray) names = g_array_new (FALSE, TRUE, sizeof (ChronoImportName));
  g_autoptr (GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  g_auto (Geo) geo = { 0 };
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autoptr (GError) error = NULL;
  ChronoImportPlace place = { 0 };
  const char *place_id;

  if (n_fields > n_header)
    chrono_import_note (import, line, 0, NULL,
                        _("%u fields where the header has %u: the last ones are left out"),
                        n_fields, n_header);

  for (guint i = 0; i < N_COLS; i++)
    if (columns[i] >= 0 && (guint) columns[i] < n_fields)
      {
        g_autofree char *limited = chrono_import_text_limit (fields[columns[i]], MAX_TEXT);

        values[i] = dup_field (limited);
        if (values[i][0] == '\0')
          g_clear_pointer (&values[i], g_free);
      }

  if (values[COL_TITLE] == NULL)
    {
      chrono_import_skip (import, line, 0, NULL, _("no title"));
      return;
    }

  /* Where: geowkt wins over lon and lat, as the specification says */
  if (values[COL_GEOWKT] != NULL)
    {
      g_autoptr (JsonNode) coordinates = NULL;
      const char *type;

      if (!wkt_parse (values[COL_GEOWKT], &type, &coordinates))
        {
          chrono_import_skip (import, line, 0, NULL, _("geowkt: “%.40s” is not a WKT point, line or polygon"),
                              values[COL_GEOWKT]);
          return;
        }
      read_typed_geometry (&geo, type, coordinates, "geowkt");
      if (geo.error != NULL)
        {
          chrono_import_skip (import, line, 0, NULL, "geowkt: %s", geo.error);
          return;
        }
    }
  else if (values[COL_LON] != NULL || values[COL_LAT] != NULL)
    {
      if (!parse_coordinate (values[COL_LAT], 90, &geo.lat))
        {
          chrono_import_skip (import, line, 0, NULL, _("lat: “%.40s” is not a latitude from -90 to 90"),
                              values[COL_LAT] != NULL ? values[COL_LAT] : "");
          return;
        }
      if (!parse_coordinate (values[COL_LON], 180, &geo.lon))
        {
          chrono_import_skip (import, line, 0, NULL, _("lon: “%.40s” is not a longitude from -180 to 180"),
                              values[COL_LON] != NULL ? values[COL_LON] : "");
          return;
        }
      geo.has_point = TRUE;
    }
  else
    {
      chrono_import_skip (import, line, 0, NULL, _("no lon and lat or geowkt: a place needs a point on the map"));
      return;
    }

  /* Dates before the place, so that a bad date skips the whole row */
  if (values[COL_START] != NULL &&
      (start = date_or_range_to_edtf (values[COL_START], &error)) == NULL)
    {
      chrono_import_skip (import, line, 0, NULL, _("start: %s"), error->message);
      return;
    }
  if (values[COL_END] != NULL)
    {
      if (start == NULL)
        chrono_import_note (import, line, 0, NULL, _("an end without a start: no event"));
      else if ((end = date_or_range_to_edtf (values[COL_END], &error)) == NULL)
        {
          chrono_import_skip (import, line, 0, NULL, _("end: %s"), error->message);
          return;
        }
    }

  /* Names: the title, then the variants "name@lang" */
  {
    ChronoImportName title = { .name = values[COL_TITLE], .usage = "common" };

    g_array_append_val (names, title);
  }
  if (values[COL_VARIANTS] != NULL)
    {
      g_auto (GStrv) variants = g_strsplit (values[COL_VARIANTS], ";", -1);

      for (guint i = 0; variants[i] != NULL; i++)
        {
          char *variant = g_strstrip (variants[i]);
          char *at = strrchr (variant, '@');
          ChronoImportName name = { 0 };

          if (at != NULL && (name.lang = dup_lang (at + 1)) != NULL)
            {
              *at = '\0';
              g_strchomp (variant);
              g_ptr_array_add (kept, (char *) name.lang);
            }
          else if (at != NULL)
            chrono_import_note (import, line, 0, NULL,
                                _("variants: “%s” is not a language tag: the name is taken to be in %s"),
                                at + 1, chrono_import_get_lang (import));
          if (variant[0] == '\0')
            continue;

          /* The split texts go with this block; the names outlive it */
          name.name = g_strdup (variant);
          g_ptr_array_add (kept, (char *) name.name);
          g_array_append_val (names, name);
        }
    }

  if (values[COL_TYPES] != NULL)
    {
      g_auto (GStrv) types = g_strsplit (values[COL_TYPES], ";", -1);

      for (guint i = 0; types[i] != NULL && place.kind == NULL; i++)
        place.kind = find_kind (g_strstrip (types[i]));
    }

  if (values[COL_TITLE_SOURCE] != NULL || values[COL_TITLE_URI] != NULL)
    {
      ChronoImportSource source = {
        .title = values[COL_TITLE_SOURCE] != NULL ? values[COL_TITLE_SOURCE] : values[COL_TITLE_URI],
        .url = values[COL_TITLE_URI],
      };

      chrono_import_add_source (import, &source);
    }

  place.local_id = values[COL_ID];
  place.lat = geo.has_point ? geo.lat : geo.shape_lat;
  place.lon = geo.has_point ? geo.lon : geo.shape_lon;
  place.geometry = geo.geometry != NULL ? geo.geometry->str : NULL;
  place.note = start == NULL ? values[COL_DESCRIPTION] : NULL;
  place.names = (const ChronoImportName *) (gpointer) names->data;
  place.n_names = names->len;
  place_id = chrono_import_add_place (import, &place, line, NULL);
  if (place_id == NULL || start == NULL)
    return;

  {
    ChronoImportEvent event = {
      .local_id = values[COL_ID],
      .start = start,
      /* A start alone means "from then on" in LP-TSV */
      .end = end != NULL ? end : "..",
      .title = values[COL_TITLE],
      .summary = values[COL_DESCRIPTION],
      .place_ids = &place_id,
      .n_places = 1,
    };

    chrono_import_add_event (import, &event, line, NULL);
  }
}

static gboolean
read_lptsv (ChronoImport  *import,
            GBytes        *bytes,
            GError       **error)
{
  const char *data;
  const char *p;
  const char *file_end;
  gsize size;
  g_auto (GStrv) header = NULL;
  int columns[N_COLS];
  guint n_header;
  guint line = 1;

  data = g_bytes_get_data (bytes, &size);
  if (data == NULL)
    data = "";
  if (size >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      size -= 3;
    }
  file_end = data + size;

  p = memchr (data, '\n', size);
  header = split_line (data, p != NULL ? (gsize) (p - data) : size);
  n_header = g_strv_length (header);
  for (guint i = 0; i < N_COLS; i++)
    columns[i] = -1;
  for (guint i = 0; i < n_header; i++)
    {
      g_autofree char *field = dup_field (header[i]);
      g_autofree char *name = g_ascii_strdown (field, -1);

      for (guint c = 0; c < N_COLS; c++)
        if (columns[c] < 0 && g_str_equal (name, column_names[c]))
          columns[c] = i;
    }
  if (columns[COL_TITLE] < 0)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: an LP-TSV file needs a “title” column"), chrono_import_get_display_name (import));
      return FALSE;
    }

  while (p != NULL && p < file_end)
    {
      const char *row = p + 1;
      const char *row_end;
      g_auto (GStrv) fields = NULL;
      guint n_fields;

      line++;
      p = memchr (row, '\n', file_end - row);
      row_end = p != NULL ? p : file_end;

      if (!chrono_import_progress (import, row - data, size, error))
        return FALSE;

      /* Blank lines, often at the end */
      {
        const char *q = row;

        while (q < row_end && (*q == '\r' || *q == ' ' || *q == '\t'))
          q++;
        if (q == row_end)
          continue;
      }

      fields = split_line (row, row_end - row);
      n_fields = g_strv_length (fields);
      read_row (import, fields, n_fields, columns, n_header, line);
    }

  return TRUE;
}

const ChronoImportFormat chrono_import_format_lptsv = {
  .name = "lptsv",
  .label = N_("Linked Places (LP-TSV)"),
  .patterns = lptsv_patterns,
  .mime_types = lptsv_mime_types,
  .detect = lptsv_detect,
  .read = read_lptsv,
};
