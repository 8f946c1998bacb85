/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import-geojson"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "chrono-import-formats.h"

/*
 * GeoJSON (RFC 7946): a FeatureCollection, a single Feature, a bare
 * geometry, or a list of features or geometries.
 *
 * Each feature is a place (its geometry) and, when its properties say when,
 * one or more events at that place. Time is read from, in this order:
 *
 *  - start/end properties (start, begin, start_date, date_start, from,
 *    start_time; end, end_date, date_end, to, end_time), else a single date
 *    (date, event_date, datetime, timestamp, time, when), else year with
 *    month and day; names are matched ignoring case, spaces, "_" and "-";
 *  - a GeoJSON-T / Linked Places "when" object, beside the geometry or in
 *    the properties: one event per timespan;
 *  - a Leaflet.TimeDimension "times" (or togeojson's "coordTimes") list:
 *    one event from the earliest to the latest, the track kept as a line.
 *
 * A number as a date is a year when it has at most five digits, else a Unix
 * time: milliseconds when its magnitude is above 1e11 (1e11 seconds is the
 * year 5138, 1e11 ms is March 1973: no real file means the former), else
 * seconds. USGS feeds give epoch milliseconds in "time".
 *
 * Lines and areas keep their whole geometry as compact GeoJSON text (2D: a
 * third coordinate is dropped); the place's point is then the middle vertex
 * of the (first) line, or the area-weighted centroid of the (largest) outer
 * ring, unless "lat" and "lon" properties give it. A GeometryCollection is merged into the Multi- form of its highest
 * dimension, which is what the rest of Chronotope draws.
 *
 * A feature with no time is a place without events; one with a time and a
 * null geometry an event without a place. Nothing is guessed: a value that
 * is not a date, a coordinate off the Earth or a wrong JSON type skips the
 * feature with its JSON path.
 */

/* Far beyond real features (a detailed country border has some 10⁵
 * points), and a bound on the work and the text for one. */
#define MAX_POSITIONS 250000
/* Timespans of one feature, excerpts of one feature, places named by one. */
#define MAX_SPANS 1000
#define MAX_EXCERPTS 1000
#define MAX_EXTRA_PLACES 100
/* GeometryCollections inside GeometryCollections */
#define MAX_COLLECTION_DEPTH 8

static const char * const geojson_patterns[] = { "*.geojson", "*.json", NULL };
static const char * const geojson_mime_types[] = { "application/geo+json", NULL };

typedef enum
{
  KEY_DATE,
  KEY_EVENTDATE,
  KEY_DATETIME,
  KEY_TIMESTAMP,
  KEY_TIME,
  KEY_WHEN,
  KEY_START,
  KEY_STARTDATE,
  KEY_DATESTART,
  KEY_BEGIN,
  KEY_BEGINDATE,
  KEY_STARTTIME,
  KEY_FROM,
  KEY_END,
  KEY_ENDDATE,
  KEY_DATEEND,
  KEY_ENDTIME,
  KEY_TO,
  KEY_YEAR,
  KEY_MONTH,
  KEY_DAY,
  KEY_TIMES,
  KEY_COORDTIMES,
  KEY_TITLE,
  KEY_NAME,
  KEY_HEADLINE,
  KEY_LABEL,
  KEY_PLACE,
  KEY_LOCATION,
  KEY_DESCRIPTION,
  KEY_DESC,
  KEY_NOTES,
  KEY_TEXT,
  KEY_SUMMARY,
  KEY_POPUPCONTENT,
  KEY_CATEGORY,
  KEY_TYPE,
  KEY_GROUP,
  KEY_CLASS,
  KEY_KIND,
  KEY_SOURCE,
  KEY_URL,
  KEY_LINK,
  KEY_ID,
  KEY_PLACES,
  KEY_EXCERPTS,
  KEY_IMPORTANCE,
  KEY_LAT,
  KEY_LATITUDE,
  KEY_LON,
  KEY_LNG,
  KEY_LONGITUDE,
  N_KEYS,
} Key;

/* Property names as matched: lower case, without spaces, "_" and "-". */
static const char * const key_names[N_KEYS] = {
  [KEY_DATE] = "date",
  [KEY_EVENTDATE] = "eventdate",
  [KEY_DATETIME] = "datetime",
  [KEY_TIMESTAMP] = "timestamp",
  [KEY_TIME] = "time",
  [KEY_WHEN] = "when",
  [KEY_START] = "start",
  [KEY_STARTDATE] = "startdate",
  [KEY_DATESTART] = "datestart",
  [KEY_BEGIN] = "begin",
  [KEY_BEGINDATE] = "begindate",
  [KEY_STARTTIME] = "starttime",
  [KEY_FROM] = "from",
  [KEY_END] = "end",
  [KEY_ENDDATE] = "enddate",
  [KEY_DATEEND] = "dateend",
  [KEY_ENDTIME] = "endtime",
  [KEY_TO] = "to",
  [KEY_YEAR] = "year",
  [KEY_MONTH] = "month",
  [KEY_DAY] = "day",
  [KEY_TIMES] = "times",
  [KEY_COORDTIMES] = "coordtimes",
  [KEY_TITLE] = "title",
  [KEY_NAME] = "name",
  [KEY_HEADLINE] = "headline",
  [KEY_LABEL] = "label",
  [KEY_PLACE] = "place",
  [KEY_LOCATION] = "location",
  [KEY_DESCRIPTION] = "description",
  [KEY_DESC] = "desc",
  [KEY_NOTES] = "notes",
  [KEY_TEXT] = "text",
  [KEY_SUMMARY] = "summary",
  [KEY_POPUPCONTENT] = "popupcontent",
  [KEY_CATEGORY] = "category",
  [KEY_TYPE] = "type",
  [KEY_GROUP] = "group",
  [KEY_CLASS] = "class",
  [KEY_KIND] = "kind",
  [KEY_SOURCE] = "source",
  [KEY_URL] = "url",
  [KEY_LINK] = "link",
  [KEY_ID] = "id",
  [KEY_PLACES] = "places",
  [KEY_EXCERPTS] = "excerpts",
  [KEY_IMPORTANCE] = "importance",
  [KEY_LAT] = "lat",
  [KEY_LATITUDE] = "latitude",
  [KEY_LON] = "lon",
  [KEY_LNG] = "lng",
  [KEY_LONGITUDE] = "longitude",
};

static const Key start_keys[] = {
  KEY_START, KEY_STARTDATE, KEY_DATESTART, KEY_BEGIN, KEY_BEGINDATE, KEY_STARTTIME, KEY_FROM,
};
static const Key end_keys[] = { KEY_END, KEY_ENDDATE, KEY_DATEEND, KEY_ENDTIME, KEY_TO };
static const Key date_keys[] = { KEY_DATE, KEY_EVENTDATE, KEY_DATETIME, KEY_TIMESTAMP, KEY_TIME, KEY_WHEN };
static const Key title_keys[] = { KEY_TITLE, KEY_NAME, KEY_HEADLINE, KEY_LABEL, KEY_PLACE };
static const Key description_keys[] = { KEY_DESCRIPTION, KEY_DESC, KEY_NOTES, KEY_TEXT, KEY_SUMMARY, KEY_POPUPCONTENT };
static const Key category_keys[] = { KEY_CATEGORY, KEY_TYPE, KEY_GROUP, KEY_CLASS, KEY_KIND };
static const Key place_name_keys[] = { KEY_NAME, KEY_PLACE, KEY_LOCATION, KEY_TITLE };
static const Key url_keys[] = { KEY_URL, KEY_LINK };
static const Key times_keys[] = { KEY_TIMES, KEY_COORDTIMES };
static const Key lat_keys[] = { KEY_LAT, KEY_LATITUDE };
static const Key lon_keys[] = { KEY_LON, KEY_LNG, KEY_LONGITUDE };

typedef struct
{
  ChronoImport    *import;
  ChronoDateHints  hints;
  GHashTable      *keys;         /* key name → Key + 1 */
  GHashTable      *places;       /* name, point and geometry → place id (the import's) */
  GHashTable      *place_names;  /* names given to a place already */
  guint            n_places;
  gsize            done;
  gsize            total;
} Reader;

/* The properties of one feature that Chronotope reads */
typedef struct
{
  const char *names[N_KEYS];  /* as written, for paths */
  JsonNode   *nodes[N_KEYS];
} Props;

typedef struct
{
  double lon;
  double lat;
} Position;

/* A geometry as read: points, lines and polygons (lists of rings). */
typedef struct
{
  GArray    *points;    /* Position */
  GPtrArray *lines;     /* GArray of Position */
  GPtrArray *polygons;  /* GPtrArray of rings, GArrays of Position */
  guint      n_positions;
  gboolean   dropped;   /* lower-dimension members of a collection left out */
} Shape;

typedef struct
{
  char *start;
  char *end;
} Span;

/* Helpers */

static void
clear_span (Span *span)
{
  g_free (span->start);
  g_free (span->end);
}

static void
shape_clear (Shape *shape)
{
  g_clear_pointer (&shape->points, g_array_unref);
  g_clear_pointer (&shape->lines, g_ptr_array_unref);
  g_clear_pointer (&shape->polygons, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Shape, shape_clear)

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
      return _("a list");
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

/* "features[3]" + "geometry" → "features[3].geometry"; "" + "[2]" → "[2]" */
static char *
join_path (const char *base,
           const char *part)
{
  if (base == NULL || base[0] == '\0')
    return g_strdup (part);
  if (part[0] == '[')
    return g_strconcat (base, part, NULL);
  return g_strconcat (base, ".", part, NULL);
}

static const char *
nonempty_or_null (const char *path)
{
  return path != NULL && path[0] != '\0' ? path : NULL;
}

/* The text of a string or number node, valid UTF-8, cut at @max bytes,
 * trimmed; NULL for other nodes or an empty text. */
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

        if (!isfinite (json_node_get_double (node)))
          return NULL;
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

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
is_geometry_type (const char *type)
{
  static const char * const types[] = {
    "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
    "GeometryCollection",
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (strcmp (type, types[i]) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
fail (GError     **error,
      const char  *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError     **error,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID, message);
  return FALSE;
}

/* Properties */

static Key
find_key (Reader     *reader,
          const char *name)
{
  char folded[24];
  gsize n = 0;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '_' || *p == '-')
        continue;
      if (n + 1 >= sizeof folded)
        return N_KEYS;
      folded[n++] = g_ascii_tolower (*p);
    }
  folded[n] = '\0';

  return GPOINTER_TO_UINT (g_hash_table_lookup (reader->keys, folded)) - 1;
}

static void
read_props (Reader     *reader,
            JsonObject *properties,
            Props      *props)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  memset (props, 0, sizeof *props);
  if (properties == NULL)
    return;

  json_object_iter_init_ordered (&iter, properties);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      Key key = find_key (reader, name);

      /* The first of "Date" and "date" wins; null is no value. */
      if (key < N_KEYS && props->nodes[key] == NULL && !JSON_NODE_HOLDS_NULL (node))
        {
          props->nodes[key] = node;
          props->names[key] = name;
        }
    }
}

/* The first of @keys the feature has */
static Key
first_key (const Props *props,
           const Key   *keys,
           guint        n)
{
  for (guint i = 0; i < n; i++)
    if (props->nodes[keys[i]] != NULL)
      return keys[i];

  return N_KEYS;
}

static char *
dup_first_text (const Props *props,
                const Key   *keys,
                guint        n,
                gsize        max)
{
  for (guint i = 0; i < n; i++)
    {
      char *text = dup_node_text (props->nodes[keys[i]], max);

      if (text != NULL)
        return text;
    }

  return NULL;
}

/* Dates */

static gboolean
is_epoch_text (const char *text)
{
  const char *p = text;
  gsize digits = 0;

  if (*p == '-')
    p++;
  for (; g_ascii_isdigit (*p); p++)
    digits++;

  /* Nine digits and more: a Unix time, not a year anyone writes. */
  return *p == '\0' && digits >= 9 && digits <= 16;
}

/* A number as a date: see the comment at the top. */
static char *
date_from_number (double    value,
                  gboolean  is_year,
                  GError  **error)
{
  char *edtf;

  if (!isfinite (value) || fabs (value) > 1e15)
    return fail (error, _("the number %g is not a date"), value), NULL;

  if (is_year || (fabs (value) < 100000 && value == floor (value)))
    {
      if (value != floor (value))
        return fail (error, _("the year %g is not a whole number"), value), NULL;
      edtf = chrono_import_date_from_parts ((gint64) value, 0, 0);
    }
  else if (fabs (value) > 1e11)
    edtf = chrono_import_date_from_unix ((gint64) floor (value / 1000));
  else
    edtf = chrono_import_date_from_unix ((gint64) floor (value));

  if (edtf == NULL)
    return fail (error, _("the number %g is not a date Chronotope can show"), value), NULL;

  return edtf;
}

/* Returns: (nullable): the EDTF of a date value; NULL with @error unset
 * when the value is empty. */
static char *
date_from_node (Reader    *reader,
                JsonNode  *node,
                gboolean   is_year,
                GError   **error)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return fail (error, _("expected a date, found %s"), describe_node (node)), NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return date_from_number ((double) json_node_get_int (node), is_year, error);
    case G_TYPE_DOUBLE:
      return date_from_number (json_node_get_double (node), is_year, error);
    case G_TYPE_STRING:
      {
        g_autofree char *text = chrono_import_text_limit (json_node_get_string (node), 256);
        g_autoptr (GError) local_error = NULL;
        char *edtf;

        g_strstrip (text);
        if (text[0] == '\0')
          return NULL;
        if (g_str_equal (text, ".."))
          return g_strdup ("..");
        if (!is_year && is_epoch_text (text))
          return date_from_number (g_ascii_strtod (text, NULL), FALSE, error);

        reader->hints.two_digit_year = FALSE;
        edtf = chrono_import_date_from_text (text, &reader->hints, &local_error);
        if (edtf == NULL)
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return NULL;
          }
        return edtf;
      }
    default:
      return fail (error, _("expected a date, found %s"), describe_node (node)), NULL;
    }
}

/* A month or day as a number, or a number in a text */
static gboolean
read_part (JsonNode *node,
           int       max,
           int      *out)
{
  gint64 value;

  *out = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      value = json_node_get_int (node);
      break;
    case G_TYPE_DOUBLE:
      if (json_node_get_double (node) != floor (json_node_get_double (node)) ||
          fabs (json_node_get_double (node)) > max)
        return FALSE;
      value = (gint64) json_node_get_double (node);
      break;
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);

        while (*text == ' ')
          text++;
        if (*text == '\0')
          return TRUE;
        if (!g_ascii_string_to_signed (text, 10, 1, max, &value, NULL))
          return FALSE;
        break;
      }
    default:
      return FALSE;
    }

  if (value < 1 || value > max)
    return FALSE;

  *out = (int) value;
  return TRUE;
}

/* A bound of a GeoJSON-T timespan: {"in": D}, {"earliest": D, "latest": D}
 * or one of them, or a bare date. An earliest and latest pair is a date
 * known to lie between them: the EDTF set "[E..L]" (one of the days from E
 * to L) says exactly that. A lone earliest or latest is the only date the
 * file gives for that bound, and is taken as the bound. */
static char *
read_bound (Reader      *reader,
            JsonNode    *node,
            const char  *path,
            char       **out_where,
            GError     **error)
{
  static const char * const parts[] = { "in", "earliest", "latest" };
  char *values[G_N_ELEMENTS (parts)] = { NULL, NULL, NULL };
  g_autofree char *in = NULL;
  g_autofree char *earliest = NULL;
  g_autofree char *latest = NULL;
  JsonObject *object;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      char *edtf = date_from_node (reader, node, FALSE, error);

      if (*error != NULL)
        *out_where = g_strdup (path);
      return edtf;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *out_where = g_strdup (path);
      return fail (error, _("expected an object with “in”, “earliest” or “latest”, found %s"),
                   describe_node (node)), NULL;
    }

  object = json_node_get_object (node);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      values[i] = date_from_node (reader, json_object_get_member (object, parts[i]), FALSE, error);
      if (*error != NULL)
        {
          *out_where = join_path (path, parts[i]);
          for (guint j = 0; j < i; j++)
            g_free (values[j]);
          return NULL;
        }
    }
  in = values[0];
  earliest = values[1];
  latest = values[2];

  if (in != NULL)
    return g_steal_pointer (&in);
  if (earliest != NULL && latest != NULL)
    {
      g_autofree char *set = NULL;
      g_autoptr (ChronoEdtf) edtf = NULL;

      if (g_str_equal (earliest, latest))
        return g_steal_pointer (&earliest);
      set = g_strdup_printf ("[%s..%s]", earliest, latest);
      edtf = chrono_edtf_parse (set, NULL);
      if (edtf == NULL)
        {
          *out_where = g_strdup (path);
          return fail (error, _("“%s” to “%s” is not a range of dates"), earliest, latest), NULL;
        }
      return g_steal_pointer (&set);
    }
  if (earliest != NULL)
    return g_steal_pointer (&earliest);
  return g_steal_pointer (&latest);
}

/* Shapes */

static gboolean
read_position (JsonNode  *node,
               Position  *out,
               GError   **error)
{
  JsonArray *array;
  double values[2];

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, _("expected a position [longitude, latitude], found %s"), describe_node (node));

  array = json_node_get_array (node);
  if (json_array_get_length (array) < 2)
    return fail (error, _("a position needs a longitude and a latitude"));

  /* A third value (altitude) and beyond are left out. */
  for (guint i = 0; i < 2; i++)
    {
      JsonNode *value = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (value) ||
          (json_node_get_value_type (value) != G_TYPE_DOUBLE && json_node_get_value_type (value) != G_TYPE_INT64))
        return fail (error, _("expected a number, found %s"), describe_node (value));
      values[i] = json_node_get_double (value);
      if (!isfinite (values[i]))
        return fail (error, _("a coordinate is not a finite number"));
    }

  if (values[0] < -180 || values[0] > 180)
    return fail (error, _("the longitude %g is not between -180 and 180"), values[0]);
  if (values[1] < -90 || values[1] > 90)
    return fail (error, _("the latitude %g is not between -90 and 90"), values[1]);

  out->lon = values[0];
  out->lat = values[1];
  return TRUE;
}

/* Reads a list of positions; on error, @where gets the place in it. */
static GArray *
read_positions (Shape     *shape,
                JsonNode  *node,
                guint      min,
                GString   *where,
                GError   **error)
{
  g_autoptr (GArray) positions = NULL;
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, _("expected a list of positions, found %s"), describe_node (node)), NULL;

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    return fail (error, _("no coordinates")), NULL;
  if (n < min)
    return fail (error, _("%u positions where at least %u are needed"), n, min), NULL;
  if (n > MAX_POSITIONS - shape->n_positions)
    return fail (error, _("more than %u positions"), MAX_POSITIONS), NULL;

  positions = g_array_sized_new (FALSE, FALSE, sizeof (Position), n);
  g_array_set_size (positions, n);
  for (guint i = 0; i < n; i++)
    if (!read_position (json_array_get_element (array, i), &g_array_index (positions, Position, i), error))
      {
        char index[16];

        g_snprintf (index, sizeof index, "[%u]", i);
        g_string_prepend (where, index);
        return NULL;
      }

  shape->n_positions += n;
  return g_steal_pointer (&positions);
}

static GPtrArray *
read_rings (Shape     *shape,
            JsonNode  *node,
            GString   *where,
            GError   **error)
{
  g_autoptr (GPtrArray) rings = NULL;
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, _("expected a list of rings, found %s"), describe_node (node)), NULL;

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    return fail (error, _("no coordinates")), NULL;
  if (n > MAX_POSITIONS)
    return fail (error, _("more than %u positions"), MAX_POSITIONS), NULL;

  rings = g_ptr_array_new_full (n, (GDestroyNotify) g_array_unref);
  for (guint i = 0; i < n; i++)
    {
      /* Rings should be closed (four positions at least); open ones are
       * common and drawn the same. */
      GArray *ring = read_positions (shape, json_array_get_element (array, i), 3, where, error);

      if (ring == NULL)
        {
          char index[16];

          g_snprintf (index, sizeof index, "[%u]", i);
          g_string_prepend (where, index);
          return NULL;
        }
      g_ptr_array_add (rings, ring);
    }

  return g_steal_pointer (&rings);
}

/* Reads @node's elements with @read_one, each into @out */
static gboolean
read_each (Shape      *shape,
           JsonNode   *node,
           guint       min,
           gboolean    polygons,
           GPtrArray  *out,
           GString    *where,
           GError    **error)
{
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, _("expected a list, found %s"), describe_node (node));

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    return fail (error, _("no coordinates"));
  if (n > MAX_POSITIONS)
    return fail (error, _("more than %u positions"), MAX_POSITIONS);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gpointer part = polygons
        ? (gpointer) read_rings (shape, element, where, error)
        : (gpointer) read_positions (shape, element, min, where, error);

      if (part == NULL)
        {
          char index[16];

          g_snprintf (index, sizeof index, "[%u]", i);
          g_string_prepend (where, index);
          return FALSE;
        }
      g_ptr_array_add (out, part);
    }

  return TRUE;
}

static void
ensure_parts (Shape *shape)
{
  if (shape->points == NULL)
    {
      shape->points = g_array_new (FALSE, FALSE, sizeof (Position));
      shape->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
      shape->polygons = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
    }
}

/* Reads a geometry object into @shape; @where says where an error is,
 * relative to @node. */
static gboolean
read_geometry (Shape     *shape,
               JsonNode  *node,
               guint      depth,
               GString   *where,
               GError   **error)
{
  JsonObject *object;
  JsonNode *coordinates;
  const char *type;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, _("expected a geometry object, found %s"), describe_node (node));

  object = json_node_get_object (node);
  type = get_string_member (object, "type");
  if (type == NULL)
    return fail (error, _("the geometry has no “type”"));

  ensure_parts (shape);

  if (strcmp (type, "GeometryCollection") == 0)
    {
      JsonNode *geometries = json_object_get_member (object, "geometries");
      JsonArray *array;

      if (depth >= MAX_COLLECTION_DEPTH)
        return fail (error, _("collections nested more than %u deep"), MAX_COLLECTION_DEPTH);
      if (geometries == NULL || !JSON_NODE_HOLDS_ARRAY (geometries))
        {
          g_string_prepend (where, ".geometries");
          return fail (error, _("expected a list of geometries, found %s"), describe_node (geometries));
        }

      array = json_node_get_array (geometries);
      if (json_array_get_length (array) == 0)
        {
          g_string_prepend (where, ".geometries");
          return fail (error, _("no geometries"));
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!read_geometry (shape, json_array_get_element (array, i), depth + 1, where, error))
          {
            char index[32];

            g_snprintf (index, sizeof index, ".geometries[%u]", i);
            g_string_prepend (where, index);
            return FALSE;
          }
      return TRUE;
    }

  coordinates = json_object_get_member (object, "coordinates");
  if (strcmp (type, "Point") == 0)
    {
      Position position;

      if (shape->n_positions >= MAX_POSITIONS)
        return fail (error, _("more than %u positions"), MAX_POSITIONS);
      if (!read_position (coordinates, &position, error))
        {
          g_string_prepend (where, ".coordinates");
          return FALSE;
        }
      g_array_append_val (shape->points, position);
      shape->n_positions++;
      return TRUE;
    }
  if (strcmp (type, "MultiPoint") == 0)
    {
      g_autoptr (GArray) points = read_positions (shape, coordinates, 1, where, error);

      if (points == NULL)
        {
          g_string_prepend (where, ".coordinates");
          return FALSE;
        }
      g_array_append_vals (shape->points, points->data, points->len);
      return TRUE;
    }
  if (strcmp (type, "LineString") == 0)
    {
      GArray *line = read_positions (shape, coordinates, 2, where, error);

      if (line == NULL)
        {
          g_string_prepend (where, ".coordinates");
          return FALSE;
        }
      g_ptr_array_add (shape->lines, line);
      return TRUE;
    }
  if (strcmp (type, "MultiLineString") == 0)
    {
      if (!read_each (shape, coordinates, 2, FALSE, shape->lines, where, error))
        {
          g_string_prepend (where, ".coordinates");
          return FALSE;
        }
      return TRUE;
    }
  if (strcmp (type, "Polygon") == 0)
    {
      GPtrArray *rings = read_rings (shape, coordinates, where, error);

      if (rings == NULL)
        {
          g_string_prepend (where, ".coordinates");
          return FALSE;
        }
      g_ptr_array_add (shape->polygons, rings);
      return TRUE;
    }
  if (strcmp (type, "MultiPolygon") == 0)
    {
      if (!read_each (shape, coordinates, 0, TRUE, shape->polygons, where, error))
        {
          g_string_prepend (where, ".coordinates");
          return FALSE;
        }
      return TRUE;
    }

  g_string_prepend (where, ".type");
  return fail (error, _("“%s” is not a GeoJSON geometry type"), type);
}

static void
append_position (GString        *text,
                 const Position *position)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (text, '[');
  g_string_append (text, g_ascii_formatd (buffer, sizeof buffer, "%.15g", position->lon));
  g_string_append_c (text, ',');
  g_string_append (text, g_ascii_formatd (buffer, sizeof buffer, "%.15g", position->lat));
  g_string_append_c (text, ']');
}

static void
append_positions (GString *text,
                  GArray  *positions)
{
  g_string_append_c (text, '[');
  for (guint i = 0; i < positions->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, ',');
      append_position (text, &g_array_index (positions, Position, i));
    }
  g_string_append_c (text, ']');
}

static void
append_rings (GString   *text,
              GPtrArray *rings)
{
  g_string_append_c (text, '[');
  for (guint i = 0; i < rings->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, ',');
      append_positions (text, rings->pdata[i]);
    }
  g_string_append_c (text, ']');
}

/* Twice the signed area of a ring, and its centroid; relative to the first
 * position, which keeps the sums precise. */
static double
ring_centroid (GArray   *ring,
               Position *out)
{
  const Position *origin = &g_array_index (ring, Position, 0);
  double area2 = 0, cx = 0, cy = 0;
  double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, max_y = -G_MAXDOUBLE;

  for (guint i = 0; i < ring->len; i++)
    {
      const Position *a = &g_array_index (ring, Position, i);
      const Position *b = &g_array_index (ring, Position, (i + 1) % ring->len);
      double ax = a->lon - origin->lon, ay = a->lat - origin->lat;
      double bx = b->lon - origin->lon, by = b->lat - origin->lat;
      double cross = ax * by - bx * ay;

      area2 += cross;
      cx += (ax + bx) * cross;
      cy += (ay + by) * cross;
      min_x = MIN (min_x, a->lon);
      max_x = MAX (max_x, a->lon);
      min_y = MIN (min_y, a->lat);
      max_y = MAX (max_y, a->lat);
    }

  if (fabs (area2) < 1e-12)
    {
      /* No area (all on a line): the middle of its box */
      out->lon = (min_x + max_x) / 2;
      out->lat = (min_y + max_y) / 2;
      return 0;
    }

  out->lon = origin->lon + cx / (3 * area2);
  out->lat = origin->lat + cy / (3 * area2);
  return fabs (area2);
}

/*
 * The place of a shape: its point, and for lines and areas the geometry
 * text and the kind. Lower dimensions in a collection with higher ones are
 * left out (shape->dropped says so).
 */
static void
shape_to_place (Shape     *shape,
                gboolean   points_as_line,
                Position  *out_point,
                char     **out_geometry,
                const char **out_kind)
{
  g_autoptr (GString) text = g_string_new (NULL);

  *out_geometry = NULL;
  *out_kind = NULL;

  if (shape->polygons->len > 0)
    {
      double best = -1;

      shape->dropped = shape->points->len > 0 || shape->lines->len > 0;
      for (guint i = 0; i < shape->polygons->len; i++)
        {
          GPtrArray *rings = shape->polygons->pdata[i];
          Position centre;
          double area = ring_centroid (rings->pdata[0], &centre);

          if (area > best)
            {
              best = area;
              *out_point = centre;
            }
        }

      if (shape->polygons->len == 1)
        {
          g_string_append (text, "{\"type\":\"Polygon\",\"coordinates\":");
          append_rings (text, shape->polygons->pdata[0]);
        }
      else
        {
          g_string_append (text, "{\"type\":\"MultiPolygon\",\"coordinates\":[");
          for (guint i = 0; i < shape->polygons->len; i++)
            {
              if (i > 0)
                g_string_append_c (text, ',');
              append_rings (text, shape->polygons->pdata[i]);
            }
          g_string_append_c (text, ']');
        }
      *out_kind = "region";
    }
  else if (shape->lines->len > 0)
    {
      GArray *first = shape->lines->pdata[0];

      shape->dropped = shape->points->len > 0;
      *out_point = g_array_index (first, Position, first->len / 2);
      if (shape->lines->len == 1)
        {
          g_string_append (text, "{\"type\":\"LineString\",\"coordinates\":");
          append_positions (text, first);
        }
      else
        {
          g_string_append (text, "{\"type\":\"MultiLineString\",\"coordinates\":");
          append_rings (text, shape->lines);
        }
      *out_kind = "route";
    }
  else if (shape->points->len > 1 && points_as_line)
    {
      /* A track of timed points (Leaflet.TimeDimension) */
      *out_point = g_array_index (shape->points, Position, shape->points->len / 2);
      g_string_append (text, "{\"type\":\"LineString\",\"coordinates\":");
      append_positions (text, shape->points);
      *out_kind = "route";
    }
  else if (shape->points->len > 1)
    {
      *out_point = g_array_index (shape->points, Position, 0);
      g_string_append (text, "{\"type\":\"MultiPoint\",\"coordinates\":");
      append_positions (text, shape->points);
      *out_kind = "site";
    }
  else
    {
      *out_point = g_array_index (shape->points, Position, 0);
      return;
    }

  g_string_append_c (text, '}');
  *out_geometry = g_string_free (g_steal_pointer (&text), FALSE);
}

/* Places */

/* Adds the place of a feature, or finds the same one added before. */
static const char *
add_place (Reader         *reader,
           const Position *point,
           const char     *geometry,
           const char     *kind,
           const char     *name,
           const char     *path)
{
  g_autofree char *key = NULL;
  g_autofree char *local_id = NULL;
  ChronoImportName names[1] = { { .name = name } };
  ChronoImportPlace place = {
    .lat = point->lat,
    .lon = point->lon,
    .kind = kind,
    .geometry = geometry,
    .names = names,
    .n_names = name != NULL ? 1 : 0,
  };
  const char *id;

  key = g_strdup_printf ("%s\x1f%.7f\x1f%.7f\x1f%u\x1f%zu", name != NULL ? name : "",
                         point->lat, point->lon,
                         geometry != NULL ? g_str_hash (geometry) : 0,
                         geometry != NULL ? strlen (geometry) : 0);
  id = g_hash_table_lookup (reader->places, key);
  if (id != NULL)
    return id;

  /* Ids are made from local ids (else names); ones that all slug alike
   * would each search for a free id past the others. */
  reader->n_places++;
  if (name != NULL && strlen (name) <= 40 && !g_hash_table_contains (reader->place_names, name))
    {
      local_id = g_strdup (name);
      g_hash_table_add (reader->place_names, g_strdup (name));
    }
  else if (name != NULL || geometry != NULL)
    local_id = g_strdup_printf ("%.30s\x1f%u", name != NULL ? name : "", reader->n_places);
  place.local_id = local_id;

  id = chrono_import_add_place (reader->import, &place, 0, path);
  if (id != NULL)
    g_hash_table_insert (reader->places, g_steal_pointer (&key), (gpointer) id);

  return id;
}

/* Time */

/* Start and end of a feature from its properties; FALSE with @error and
 * *@out_where (the value's path) when a value is not a date. */
static gboolean
read_property_dates (Reader      *reader,
                     const Props *props,
                     const char  *base,
                     GArray      *spans,
                     char       **out_where,
                     GError     **error)
{
  Span span = { NULL, NULL };
  Key start_key = first_key (props, start_keys, G_N_ELEMENTS (start_keys));
  Key end_key = first_key (props, end_keys, G_N_ELEMENTS (end_keys));
  Key date_key = N_KEYS;
  Key failed = N_KEYS;

  /* "from" and "to" often name places ("from": "Paris"): not dates
   * unless they have a digit. */
  for (guint i = 0; i < 2; i++)
    {
      Key *key = i == 0 ? &start_key : &end_key;

      if ((*key == KEY_FROM || *key == KEY_TO) &&
          JSON_NODE_HOLDS_VALUE (props->nodes[*key]) &&
          json_node_get_value_type (props->nodes[*key]) == G_TYPE_STRING &&
          strpbrk (json_node_get_string (props->nodes[*key]), "0123456789") == NULL)
        *key = N_KEYS;
    }

  for (guint i = 0; i < G_N_ELEMENTS (date_keys); i++)
    {
      JsonNode *node = props->nodes[date_keys[i]];

      /* "when" as an object is GeoJSON-T's */
      if (node != NULL && !(date_keys[i] == KEY_WHEN && JSON_NODE_HOLDS_OBJECT (node)))
        {
          date_key = date_keys[i];
          break;
        }
    }

  if (start_key != N_KEYS)
    {
      span.start = date_from_node (reader, props->nodes[start_key], FALSE, error);
      failed = start_key;
    }
  if (span.start == NULL && *error == NULL && date_key != N_KEYS)
    {
      span.start = date_from_node (reader, props->nodes[date_key], FALSE, error);
      failed = date_key;
    }
  if (span.start == NULL && *error == NULL && props->nodes[KEY_YEAR] != NULL)
    {
      int month, day;

      failed = KEY_YEAR;
      if (props->nodes[KEY_MONTH] == NULL && props->nodes[KEY_DAY] == NULL)
        span.start = date_from_node (reader, props->nodes[KEY_YEAR], TRUE, error);
      else if (!read_part (props->nodes[KEY_MONTH], 12, &month))
        {
          failed = KEY_MONTH;
          fail (error, _("expected a month from 1 to 12, found %s"), describe_node (props->nodes[KEY_MONTH]));
        }
      else if (!read_part (props->nodes[KEY_DAY], 31, &day))
        {
          failed = KEY_DAY;
          fail (error, _("expected a day from 1 to 31, found %s"), describe_node (props->nodes[KEY_DAY]));
        }
      else
        {
          g_autofree char *year_text = dup_node_text (props->nodes[KEY_YEAR], 32);
          gint64 year;

          if (year_text == NULL ||
              !g_ascii_string_to_signed (year_text, 10, CHRONO_YEAR_MIN, CHRONO_YEAR_MAX, &year, NULL))
            fail (error, _("expected a year, found %s"), describe_node (props->nodes[KEY_YEAR]));
          else if ((span.start = chrono_import_date_from_parts (year, month, day)) == NULL)
            fail (error, _("%s-%d-%d is not a day of the calendar"), year_text, month, day);
        }
    }

  if (*error != NULL)
    {
      *out_where = join_path (base, props->names[failed]);
      g_free (span.start);
      return FALSE;
    }

  if (end_key != N_KEYS)
    {
      span.end = date_from_node (reader, props->nodes[end_key], FALSE, error);
      if (*error != NULL)
        {
          *out_where = join_path (base, props->names[end_key]);
          g_free (span.start);
          return FALSE;
        }
    }

  if (span.start == NULL && span.end != NULL)
    {
      *out_where = join_path (base, props->names[end_key]);
      g_free (span.end);
      return fail (error, _("an end date but no start"));
    }

  if (span.start != NULL)
    g_array_append_val (spans, span);
  return TRUE;
}

/* GeoJSON-T / Linked Places "when": one span per timespan. */
static gboolean
read_when (Reader      *reader,
           JsonNode    *when,
           const char  *path,
           GArray      *spans,
           char       **out_note,
           char       **out_where,
           GError     **error)
{
  JsonObject *object;
  JsonNode *timespans;
  JsonArray *array;
  guint n;

  if (!JSON_NODE_HOLDS_OBJECT (when))
    {
      *out_where = g_strdup (path);
      return fail (error, _("expected an object with “timespans”, found %s"), describe_node (when));
    }

  object = json_node_get_object (when);
  *out_note = dup_node_text (json_object_get_member (object, "label"), 2000);
  timespans = json_object_get_member (object, "timespans");
  if (timespans == NULL || JSON_NODE_HOLDS_NULL (timespans))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (timespans))
    {
      *out_where = join_path (path, "timespans");
      return fail (error, _("expected a list of timespans, found %s"), describe_node (timespans));
    }

  array = json_node_get_array (timespans);
  n = json_array_get_length (array);
  if (n > MAX_SPANS)
    {
      *out_where = join_path (path, "timespans");
      return fail (error, _("more than %u timespans"), MAX_SPANS);
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *index = g_strdup_printf ("timespans[%u]", i);
      g_autofree char *span_path = join_path (path, index);
      Span span = { NULL, NULL };

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *timespan = json_node_get_object (node);
          g_autofree char *start_path = join_path (span_path, "start");
          g_autofree char *end_path = join_path (span_path, "end");

          span.start = read_bound (reader, json_object_get_member (timespan, "start"), start_path, out_where, error);
          if (span.start == NULL && *error != NULL)
            return FALSE;
          span.end = read_bound (reader, json_object_get_member (timespan, "end"), end_path, out_where, error);
          if (span.end == NULL && *error != NULL)
            {
              g_free (span.start);
              return FALSE;
            }
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          /* The first drafts of GeoJSON-T: [start, latest start, earliest end, end] */
          JsonArray *parts = json_node_get_array (node);
          char *values[4] = { NULL, NULL, NULL, NULL };

          for (guint j = 0; j < 4 && j < json_array_get_length (parts); j++)
            {
              values[j] = date_from_node (reader, json_array_get_element (parts, j), FALSE, error);
              if (values[j] == NULL && *error != NULL)
                {
                  *out_where = g_strdup_printf ("%s[%u]", span_path, j);
                  for (guint k = 0; k < 4; k++)
                    g_free (values[k]);
                  return FALSE;
                }
            }
          span.start = values[0] != NULL && values[1] != NULL ? g_strdup_printf ("[%s..%s]", values[0], values[1])
                                                              : g_strdup (values[0] != NULL ? values[0] : values[1]);
          span.end = values[2] != NULL && values[3] != NULL ? g_strdup_printf ("[%s..%s]", values[2], values[3])
                                                            : g_strdup (values[3] != NULL ? values[3] : values[2]);
          for (guint k = 0; k < 4; k++)
            g_free (values[k]);
        }
      else
        {
          *out_where = g_steal_pointer (&span_path);
          return fail (error, _("expected a timespan object, found %s"), describe_node (node));
        }

      if (span.start == NULL && span.end != NULL)
        {
          clear_span (&span);
          *out_where = g_steal_pointer (&span_path);
          return fail (error, _("an end date but no start"));
        }
      if (span.start != NULL)
        g_array_append_val (spans, span);
    }

  return TRUE;
}

/* Leaflet.TimeDimension "times": one span from the earliest to the latest. */
static gboolean
read_times (Reader      *reader,
            JsonNode    *times,
            const char  *path,
            GArray      *spans,
            char       **out_where,
            GError     **error)
{
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  ChronoDay lo = CHRONO_DAY_POSITIVE_INFINITY, hi = CHRONO_DAY_NEGATIVE_INFINITY;
  JsonArray *array;
  guint n;
  Span span;

  if (!JSON_NODE_HOLDS_ARRAY (times))
    {
      *out_where = g_strdup (path);
      return fail (error, _("expected a list of times, found %s"), describe_node (times));
    }

  array = json_node_get_array (times);
  n = json_array_get_length (array);
  if (n > MAX_POSITIONS)
    {
      *out_where = g_strdup (path);
      return fail (error, _("more than %u times"), MAX_POSITIONS);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *edtf = date_from_node (reader, json_array_get_element (array, i), FALSE, error);
      g_autoptr (ChronoEdtf) parsed = NULL;

      if (edtf == NULL && *error != NULL)
        {
          *out_where = g_strdup_printf ("%s[%u]", path, i);
          return FALSE;
        }
      if (edtf == NULL || g_str_equal (edtf, ".."))
        continue;

      parsed = chrono_edtf_parse (edtf, NULL);
      if (parsed == NULL)
        continue;
      if (chrono_edtf_get_earliest (parsed) < lo)
        {
          lo = chrono_edtf_get_earliest (parsed);
          g_free (first);
          first = g_strdup (edtf);
        }
      if (chrono_edtf_get_latest (parsed) > hi)
        {
          hi = chrono_edtf_get_latest (parsed);
          g_free (last);
          last = g_steal_pointer (&edtf);
        }
    }

  if (first == NULL)
    return TRUE;

  span.start = g_steal_pointer (&first);
  span.end = g_steal_pointer (&last);
  g_array_append_val (spans, span);
  return TRUE;
}

/* Features */

static const char *
add_source (Reader     *reader,
            const char *title,
            const char *url)
{
  ChronoImportSource source = { .title = title, .url = url };

  if (title == NULL && url == NULL)
    return NULL;

  return chrono_import_add_source (reader->import, &source);
}

/* Chronotope's own "excerpts": [{"quote", "lang", "source", "url"}] */
static GArray *
read_excerpts (Reader    *reader,
               JsonNode  *node,
               GPtrArray *strings)
{
  GArray *excerpts;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  array = json_node_get_array (node);
  excerpts = g_array_new (FALSE, TRUE, sizeof (ChronoImportExcerpt));
  for (guint i = 0; i < json_array_get_length (array) && i < MAX_EXCERPTS; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      ChronoImportExcerpt excerpt = { NULL, NULL, NULL };
      char *quote, *lang, *source, *url;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      object = json_node_get_object (element);
      quote = dup_node_text (json_object_get_member (object, "quote"), CHRONO_IMPORT_MAX_TEXT);
      if (quote == NULL)
        continue;
      lang = dup_node_text (json_object_get_member (object, "lang"), 64);
      source = dup_node_text (json_object_get_member (object, "source"), 2000);
      url = dup_node_text (json_object_get_member (object, "url"), 4000);
      g_ptr_array_add (strings, quote);
      g_ptr_array_add (strings, lang);
      g_ptr_array_add (strings, source);
      g_ptr_array_add (strings, url);

      excerpt.quote = quote;
      excerpt.lang = lang;
      excerpt.source_id = add_source (reader, source, url);
      g_array_append_val (excerpts, excerpt);
    }

  return excerpts;
}

static gboolean
read_number (JsonNode *node,
             double   *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE && json_node_get_value_type (node) != G_TYPE_INT64))
    return FALSE;

  *out = json_node_get_double (node);
  return isfinite (*out);
}

/* A line or area's own point, when the properties give one (lat and lon
 * beside the geometry, as Chronotope writes them): better than one worked
 * out from the shape. */
static void
read_point_property (const Props *props,
                     Position    *point)
{
  Key lat_key = first_key (props, lat_keys, G_N_ELEMENTS (lat_keys));
  Key lon_key = first_key (props, lon_keys, G_N_ELEMENTS (lon_keys));
  double lat, lon;

  if (lat_key != N_KEYS && lon_key != N_KEYS &&
      read_number (props->nodes[lat_key], &lat) && read_number (props->nodes[lon_key], &lon) &&
      lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)
    {
      point->lat = lat;
      point->lon = lon;
    }
}

static gboolean
read_feature (Reader      *reader,
              JsonNode    *node,
              const char  *path,
              GError     **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  g_autoptr (GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) place_ids = g_ptr_array_new ();
  g_autoptr (GArray) excerpts = NULL;
  g_autofree char *where = NULL;
  g_autofree char *when_note = NULL;
  g_autofree char *geometry_text = NULL;
  g_autofree char *properties_path = NULL;
  g_autofree char *local_id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *place_name = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *category = NULL;
  g_autofree char *source_title = NULL;
  g_autofree char *url = NULL;
  g_auto (Shape) shape = { 0 };
  JsonObject *object, *properties = NULL;
  JsonNode *geometry, *properties_node, *when = NULL;
  const char *type, *kind = NULL, *place_id = NULL;
  Key times_key;
  Props props;
  Position point = { 0, 0 };
  gboolean has_geometry = FALSE;
  int importance = 0;

  g_array_set_clear_func (spans, (GDestroyNotify) clear_span);

  if (!chrono_import_progress (reader->import, ++reader->done, reader->total, error))
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      chrono_import_skip (reader->import, 0, 0, nonempty_or_null (path),
                          _("expected a Feature object, found %s"), describe_node (node));
      return TRUE;
    }

  object = json_node_get_object (node);
  type = get_string_member (object, "type");
  if (type != NULL && is_geometry_type (type))
    {
      /* A bare geometry: a place */
      geometry = node;
      properties_node = NULL;
    }
  else if (type == NULL || strcmp (type, "Feature") == 0)
    {
      if (type == NULL && !json_object_has_member (object, "geometry") &&
          !json_object_has_member (object, "properties"))
        {
          chrono_import_skip (reader->import, 0, 0, nonempty_or_null (path),
                              _("not a GeoJSON Feature: it has no “type”, “geometry” or “properties”"));
          return TRUE;
        }
      geometry = json_object_get_member (object, "geometry");
      properties_node = json_object_get_member (object, "properties");
      when = json_object_get_member (object, "when");
    }
  else
    {
      chrono_import_skip (reader->import, 0, 0, nonempty_or_null (path),
                          _("“%s” is not a GeoJSON Feature or geometry"), type);
      return TRUE;
    }

  properties_path = join_path (path, "properties");
  if (properties_node != NULL && JSON_NODE_HOLDS_OBJECT (properties_node))
    properties = json_node_get_object (properties_node);
  else if (properties_node != NULL && !JSON_NODE_HOLDS_NULL (properties_node))
    chrono_import_note (reader->import, 0, 0, properties_path,
                        _("expected an object, found %s: left out"), describe_node (properties_node));
  read_props (reader, properties, &props);
  times_key = first_key (&props, times_keys, G_N_ELEMENTS (times_keys));

  /* Where */
  if (geometry != NULL && !JSON_NODE_HOLDS_NULL (geometry))
    {
      g_autoptr (GString) geometry_where = g_string_new (NULL);

      if (!read_geometry (&shape, geometry, 0, geometry_where, &local_error))
        {
          g_autofree char *geometry_path = geometry == node ? g_strdup (path) : join_path (path, "geometry");
          g_autofree char *full = g_strconcat (geometry_path, geometry_where->str, NULL);

          chrono_import_skip (reader->import, 0, 0, nonempty_or_null (full[0] == '.' ? full + 1 : full),
                              "%s", local_error->message);
          return TRUE;
        }
      shape_to_place (&shape, times_key != N_KEYS, &point, &geometry_text, &kind);
      has_geometry = TRUE;
      if (geometry_text != NULL)
        read_point_property (&props, &point);
      if (shape.dropped)
        chrono_import_note (reader->import, 0, 0, nonempty_or_null (path),
                            _("the collection's points or lines beside its lines or areas are left out"));
    }

  /* When */
  if (!read_property_dates (reader, &props, properties_path, spans, &where, &local_error))
    goto skip;
  if (spans->len == 0)
    {
      JsonNode *inner_when = props.nodes[KEY_WHEN];

      if (inner_when != NULL && JSON_NODE_HOLDS_OBJECT (inner_when))
        {
          g_autofree char *when_path = join_path (properties_path, props.names[KEY_WHEN]);

          if (!read_when (reader, inner_when, when_path, spans, &when_note, &where, &local_error))
            goto skip;
        }
      else if (when != NULL && !JSON_NODE_HOLDS_NULL (when))
        {
          g_autofree char *when_path = join_path (path, "when");

          if (!read_when (reader, when, when_path, spans, &when_note, &where, &local_error))
            goto skip;
        }
    }
  if (spans->len == 0 && times_key != N_KEYS)
    {
      g_autofree char *times_path = join_path (properties_path, props.names[times_key]);

      if (!read_times (reader, props.nodes[times_key], times_path, spans, &where, &local_error))
        goto skip;
    }
  if (reader->hints.two_digit_year && spans->len > 0)
    chrono_import_note (reader->import, 0, 0, nonempty_or_null (path),
                        _("a two-digit year, read as %s"), g_array_index (spans, Span, 0).start);

  if (spans->len == 0 && !has_geometry)
    {
      chrono_import_skip (reader->import, 0, 0, nonempty_or_null (path), _("no geometry and no time"));
      return TRUE;
    }

  /* What */
  place_name = dup_first_text (&props, place_name_keys, G_N_ELEMENTS (place_name_keys), 1000);
  if (has_geometry)
    {
      place_id = add_place (reader, &point, geometry_text, kind, place_name, nonempty_or_null (path));
      if (place_id == NULL)
        return TRUE;
    }
  if (spans->len == 0)
    return TRUE;

  local_id = dup_node_text (json_object_get_member (object, "id"), 200);
  if (local_id == NULL)
    local_id = dup_node_text (props.nodes[KEY_ID], 200);
  title = dup_first_text (&props, title_keys, G_N_ELEMENTS (title_keys), 2000);
  category = dup_first_text (&props, category_keys, G_N_ELEMENTS (category_keys), 200);
  source_title = dup_node_text (props.nodes[KEY_SOURCE], 2000);
  url = dup_first_text (&props, url_keys, G_N_ELEMENTS (url_keys), 4000);
  for (guint i = 0; i < G_N_ELEMENTS (description_keys) && summary == NULL; i++)
    {
      g_autofree char *html = dup_node_text (props.nodes[description_keys[i]], CHRONO_IMPORT_MAX_TEXT);

      if (html != NULL)
        {
          summary = chrono_import_text_from_html (html);
          if (g_strstrip (summary)[0] == '\0')
            g_clear_pointer (&summary, g_free);
        }
    }
  if (props.nodes[KEY_IMPORTANCE] != NULL && JSON_NODE_HOLDS_VALUE (props.nodes[KEY_IMPORTANCE]) &&
      json_node_get_value_type (props.nodes[KEY_IMPORTANCE]) == G_TYPE_INT64)
    importance = CLAMP (json_node_get_int (props.nodes[KEY_IMPORTANCE]), 0, 3);

  if (place_id != NULL)
    g_ptr_array_add (place_ids, (gpointer) place_id);
  /* Chronotope's own "places": the other places, by name, read before */
  if (props.nodes[KEY_PLACES] != NULL && JSON_NODE_HOLDS_ARRAY (props.nodes[KEY_PLACES]))
    {
      JsonArray *names = json_node_get_array (props.nodes[KEY_PLACES]);

      for (guint i = 0; i < json_array_get_length (names) && place_ids->len < MAX_EXTRA_PLACES; i++)
        {
          const char *name = NULL;
          const char *other;
          JsonNode *element = json_array_get_element (names, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            name = json_node_get_string (element);
          if (name == NULL || (place_name != NULL && g_str_equal (name, place_name)))
            continue;
          other = chrono_import_find_place_by_name (reader->import, name);
          if (other != NULL && !g_ptr_array_find (place_ids, other, NULL))
            g_ptr_array_add (place_ids, (gpointer) other);
        }
    }

  excerpts = read_excerpts (reader, props.nodes[KEY_EXCERPTS], strings);
  if (excerpts == NULL)
    {
      ChronoImportExcerpt excerpt = { summary, NULL, NULL };

      /* The description is quoted from the feature's source, or the file */
      excerpts = g_array_new (FALSE, TRUE, sizeof (ChronoImportExcerpt));
      if (summary != NULL)
        {
          excerpt.source_id = add_source (reader, source_title, url);
          g_array_append_val (excerpts, excerpt);
        }
    }

  for (guint i = 0; i < spans->len; i++)
    {
      Span *span = &g_array_index (spans, Span, i);
      ChronoImportEvent event = {
        .local_id = local_id,
        .start = span->start,
        .end = span->end,
        .title = title,
        .summary = summary,
        .category = category,
        .importance = importance,
        .note = when_note,
        .place_ids = (const char * const *) place_ids->pdata,
        .n_places = place_ids->len,
        .excerpts = (const ChronoImportExcerpt *) (gpointer) excerpts->data,
        .n_excerpts = excerpts->len,
      };
      g_autofree char *span_path = spans->len > 1 ? g_strdup_printf ("%s (%u)", path, i + 1) : NULL;

      chrono_import_add_event (reader->import, &event, 0,
                               nonempty_or_null (span_path != NULL ? span_path : path));
    }

  return TRUE;

skip:
  chrono_import_skip (reader->import, 0, 0, nonempty_or_null (where), "%s", local_error->message);
  return TRUE;
}

/* Before reading: the day/month order of the file's dates, when the
 * options do not give it and some date shows it. */
static void
guess_date_order (Reader    *reader,
                  JsonArray *features)
{
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();
  ChronoDateOrder order;
  gboolean ambiguous;

  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      JsonNode *node = json_array_get_element (features, i);
      JsonNode *properties;
      Props props;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      properties = json_object_get_member (json_node_get_object (node), "properties");
      if (properties == NULL || !JSON_NODE_HOLDS_OBJECT (properties))
        continue;

      read_props (reader, json_node_get_object (properties), &props);
      for (guint k = 0; k < N_KEYS; k++)
        {
          JsonNode *value = props.nodes[k];

          if (k > KEY_TO || value == NULL || !JSON_NODE_HOLDS_VALUE (value) ||
              json_node_get_value_type (value) != G_TYPE_STRING)
            continue;
          if (strpbrk (json_node_get_string (value), "/.") != NULL)
            g_ptr_array_add (texts, (gpointer) json_node_get_string (value));
        }
    }

  order = chrono_import_guess_date_order ((const char * const *) texts->pdata, texts->len, &ambiguous);
  if (order != CHRONO_DATE_ORDER_UNKNOWN)
    {
      reader->hints.order = order;
      chrono_import_note (reader->import, 0, 0, NULL,
                          order == CHRONO_DATE_ORDER_DMY
                          ? _("dates such as 03/04/2020 are read day first, as other dates of the file show")
                          : _("dates such as 03/04/2020 are read month first, as other dates of the file show"));
    }
}

static gboolean
read_geojson (ChronoImport  *import,
              GBytes        *bytes,
              GError       **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) place_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const ChronoImportOptions *options = chrono_import_get_options (import);
  Reader reader = {
    .import = import,
    .hints = { options->date_order, 0, FALSE },
    .keys = keys,
    .places = places,
    .place_names = place_names,
  };
  JsonNode *root;
  JsonArray *features = NULL;

  for (guint i = 0; i < N_KEYS; i++)
    g_hash_table_insert (keys, (gpointer) key_names[i], GUINT_TO_POINTER (i + 1));

  parser = chrono_import_parse_json (import, bytes, error);
  if (parser == NULL)
    return FALSE;

  root = json_parser_get_root (parser);
  if (JSON_NODE_HOLDS_ARRAY (root))
    features = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      const char *type = get_string_member (object, "type");
      JsonNode *features_node = json_object_get_member (object, "features");

      if ((type != NULL && strcmp (type, "FeatureCollection") == 0) || (type == NULL && features_node != NULL))
        {
          g_autofree char *title = NULL;
          g_autofree char *description = NULL;

          if (features_node == NULL || !JSON_NODE_HOLDS_ARRAY (features_node))
            {
              g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                           _("%s: the FeatureCollection's “features” is %s, not a list of features"),
                           chrono_import_get_display_name (import), describe_node (features_node));
              return FALSE;
            }
          features = json_node_get_array (features_node);

          title = dup_node_text (json_object_get_member (object, "title"), 1000);
          if (title == NULL)
            title = dup_node_text (json_object_get_member (object, "name"), 1000);
          description = dup_node_text (json_object_get_member (object, "description"), 100000);
          if (title != NULL)
            chrono_import_set_title (import, title);
          if (description != NULL)
            {
              g_autofree char *text = chrono_import_text_from_html (description);

              chrono_import_set_description (import, text);
            }
        }
      else if (type != NULL && (strcmp (type, "Feature") == 0 || is_geometry_type (type)))
        {
          reader.total = 1;
          if (reader.hints.order == CHRONO_DATE_ORDER_UNKNOWN)
            {
              g_autoptr (JsonArray) one = json_array_new ();

              json_array_add_element (one, json_node_ref (root));
              guess_date_order (&reader, one);
            }
          return read_feature (&reader, root, "", error);
        }
      else
        {
          g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                       _("%s: not GeoJSON: the top level is not a FeatureCollection, a Feature or a geometry"),
                       chrono_import_get_display_name (import));
          return FALSE;
        }
    }
  else
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: not GeoJSON: the top level is %s"),
                   chrono_import_get_display_name (import), describe_node (root));
      return FALSE;
    }

  if (reader.hints.order == CHRONO_DATE_ORDER_UNKNOWN)
    guess_date_order (&reader, features);

  reader.total = json_array_get_length (features);
  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      char path[48];

      if (JSON_NODE_HOLDS_ARRAY (root))
        g_snprintf (path, sizeof path, "[%u]", i);
      else
        g_snprintf (path, sizeof path, "features[%u]", i);

      if (!read_feature (&reader, json_array_get_element (features, i), path, error))
        return FALSE;
    }

  return TRUE;
}

/* Detection */

static const guint8 *
skip_blanks (const guint8 *p,
             const guint8 *end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

static gboolean
head_has (const guint8 *head,
          gsize         len,
          const char   *needle)
{
  return g_strstr_len ((const char *) head, len, needle) != NULL;
}

/*
 * Looks through the head for the members of the top-level object (or of
 * the objects of a top-level list): its "type", and whether features carry
 * a "when" of their own (GeoJSON-T, Linked Places). Strings are skipped.
 */
static int
geojson_detect (const char   *basename,
                const guint8 *head,
                gsize         len)
{
  const guint8 *p = head, *end = head + len;
  gboolean root_is_array = FALSE, geojson = FALSE, lpf = FALSE;
  int depth = 0;
  gsize name_len = basename != NULL ? strlen (basename) : 0;
  int by_name = name_len > 8 && g_ascii_strcasecmp (basename + name_len - 8, ".geojson") == 0
                ? CHRONO_DETECT_EXTENSION : CHRONO_DETECT_NO;

  if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  p = skip_blanks (p, end);
  if (p >= end || (*p != '{' && *p != '['))
    return by_name;
  root_is_array = *p == '[';

  /* Chronotope's own datasets hold geometries too */
  if (head_has (head, len, "\"chronotope-dataset\""))
    return CHRONO_DETECT_NO;

  for (; p < end; p++)
    {
      switch (*p)
        {
        case '{':
        case '[':
          depth++;
          break;
        case '}':
        case ']':
          depth--;
          break;
        case '"':
          {
            const guint8 *start = ++p;
            const guint8 *value;

            while (p < end && *p != '"')
              p += *p == '\\' ? 2 : 1;
            if (p >= end)
              goto done;

            value = skip_blanks (p + 1, end);
            if (value >= end || *value != ':')
              break;
            value = skip_blanks (value + 1, end);

            /* A member of the top-level object, or of a feature in a top-level list */
            if (p - start == 4 && memcmp (start, "type", 4) == 0 &&
                (depth == 1 || (root_is_array && depth == 2)) &&
                value < end && *value == '"')
              {
                char type[24] = { 0 };
                gsize n = 0;

                for (const guint8 *q = value + 1; q < end && *q != '"' && n + 1 < sizeof type; q++)
                  type[n++] = *q;
                if (strcmp (type, "FeatureCollection") == 0 || strcmp (type, "Feature") == 0 ||
                    is_geometry_type (type))
                  geojson = TRUE;
              }
            /* A feature's own "when", beside its geometry */
            else if (p - start == 4 && memcmp (start, "when", 4) == 0 &&
                     (depth == 1 || depth == (root_is_array ? 2 : 3)))
              lpf = TRUE;
            break;
          }
        default:
          break;
        }
    }

done:
  if (geojson && (lpf || head_has (head, len, "linkedplaces")))
    return CHRONO_DETECT_MAYBE;
  if (geojson)
    return CHRONO_DETECT_YES;
  return by_name;
}

const ChronoImportFormat chrono_import_format_geojson = {
  .name = "geojson",
  .label = N_("GeoJSON"),
  .patterns = geojson_patterns,
  .mime_types = geojson_mime_types,
  .detect = geojson_detect,
  .read = read_geojson,
};
