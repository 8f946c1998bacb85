/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import-kml"

#include "config.h"

#include <math.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "chrono-import-formats.h"

/*
 * KML (Google Earth) and KMZ (KML in a zip).
 *
 * Every Placemark, GroundOverlay and PhotoOverlay is a feature. A feature
 * with a time (its own TimeStamp or TimeSpan, a gx:Track's span, or the
 * time of the nearest Folder or Document that has one) becomes an event; a
 * feature with a geometry becomes that event's place, or a place on its own
 * when it has no time. Times inside LookAt and Camera are the view's, not
 * the feature's, and are not read.
 *
 * Hostile files: the parser never loads a DTD, never substitutes entities
 * and never touches the network; a document that declares an entity is
 * refused as soon as the declaration is read (so "billion laughs" and
 * external entities go nowhere). libxml2's limits without XML_PARSE_HUGE
 * (256 levels, 10 MB text nodes) turn deep or huge files into errors.
 */

#define KML_NS_OGC "http://www.opengis.net/kml/"
#define KML_NS_GOOGLE "http://earth.google.com/kml/"
#define GX_NS "http://www.google.com/kml/ext/2.2"

/* A KMZ's KML may be this large, and at most KMZ_MAX_RATIO times the zip
 * (but always KMZ_MIN_LIMIT): no real KML compresses better than that, and
 * a zip bomb stops early. */
#define KMZ_MAX_KML (256 * 1024 * 1024)
#define KMZ_MIN_LIMIT (32 * 1024 * 1024)
#define KMZ_MAX_RATIO 200
#define KMZ_MAX_ENTRIES 10000

/* Geometries of one MultiGeometry split into places named by ExtendedData */
#define MAX_SPLIT_PLACES 64

typedef struct archive Archive;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Archive, archive_read_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlParserCtxt, xmlFreeParserCtxt)

typedef struct
{
  ChronoImport *import;
  const char   *path;        /* the KML's name inside a KMZ, or NULL */
  gsize         n_features;
  gsize         done;
  gboolean      entity_declared;
} Reader;

/* A time as EDTF; end NULL: as start, "..": open. */
typedef struct
{
  char     *start;
  char     *end;
  gboolean  only_end;   /* a TimeSpan with only <end>: start = end */
} KmlTime;

/* What a feature's geometry elements hold, flattened. */
typedef struct
{
  guint      n_points;
  double     lon;           /* the first point */
  double     lat;
  GPtrArray *lines;         /* GArray of double lon, lat pairs */
  GPtrArray *polygons;      /* GPtrArray of rings (GArray as above) */
  char      *problem;       /* why a coordinate could not be read */
  guint      problem_line;
  gboolean   antimeridian;  /* a LatLonBox across 180°: kept as its centre */

  /* gx:Track's <when>s */
  char      *track_start;
  char      *track_end;
  ChronoDay  track_lo;
  ChronoDay  track_hi;
  guint      n_bad_whens;
} Shape;

typedef struct
{
  char *name;
  char *value;
} KmlData;

static void
kml_time_clear (KmlTime *time)
{
  g_clear_pointer (&time->start, g_free);
  g_clear_pointer (&time->end, g_free);
  time->only_end = FALSE;
}

static void
kml_data_free (KmlData *data)
{
  g_free (data->name);
  g_free (data->value);
  g_free (data);
}

static void
shape_init (Shape *shape)
{
  memset (shape, 0, sizeof *shape);
  shape->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  shape->polygons = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  shape->track_lo = CHRONO_DAY_POSITIVE_INFINITY;
  shape->track_hi = CHRONO_DAY_NEGATIVE_INFINITY;
}

static void
shape_clear (Shape *shape)
{
  g_clear_pointer (&shape->lines, g_ptr_array_unref);
  g_clear_pointer (&shape->polygons, g_ptr_array_unref);
  g_clear_pointer (&shape->problem, g_free);
  g_clear_pointer (&shape->track_start, g_free);
  g_clear_pointer (&shape->track_end, g_free);
}

static gboolean
shape_is_empty (const Shape *shape)
{
  return shape->n_points == 0 && shape->lines->len == 0 && shape->polygons->len == 0;
}

/* XML helpers */

static gboolean
is_kml_ns (const xmlNs *ns)
{
  const char *href;

  if (ns == NULL || ns->href == NULL)
    return TRUE;

  href = (const char *) ns->href;
  return g_str_has_prefix (href, KML_NS_OGC) ||
         g_str_has_prefix (href, KML_NS_GOOGLE) ||
         g_str_equal (href, GX_NS);
}

/* Whether @node is the KML (or gx) element @name; gx:TimeSpan is TimeSpan. */
static gboolean
is_element (const xmlNode *node,
            const char    *name)
{
  return node != NULL &&
         node->type == XML_ELEMENT_NODE &&
         strcmp ((const char *) node->name, name) == 0 &&
         is_kml_ns (node->ns);
}

static xmlNode *
find_child (const xmlNode *parent,
            const char    *name)
{
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (is_element (child, name))
      return child;

  return NULL;
}

static guint
line_of (const xmlNode *node)
{
  long line = xmlGetLineNo (node);

  return line > 0 ? (guint) MIN (line, G_MAXUINT) : 0;
}

/* The text of @node and its descendants: text and CDATA only. Entity
 * references are never followed. */
static void
append_text (GString       *out,
             const xmlNode *node)
{
  for (const xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
        {
          if (child->content != NULL)
            g_string_append (out, (const char *) child->content);
        }
      else if (child->type == XML_ELEMENT_NODE)
        append_text (out, child);
    }
}

/* Returns: (nullable): the stripped text of @node, NULL when empty */
static char *
dup_text (const xmlNode *node)
{
  g_autoptr (GString) text = NULL;

  if (node == NULL)
    return NULL;

  text = g_string_new (NULL);
  append_text (text, node);
  g_strstrip (text->str);
  if (text->str[0] == '\0')
    return NULL;

  return g_strdup (text->str);
}

static char *
dup_child_text (const xmlNode *parent,
                const char    *name)
{
  return dup_text (find_child (parent, name));
}

static void
skip_feature (Reader        *reader,
              const xmlNode *node,
              const char    *format,
              ...) G_GNUC_PRINTF (3, 4);

static void
skip_feature (Reader        *reader,
              const xmlNode *node,
              const char    *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  chrono_import_skip (reader->import, line_of (node), 0, reader->path, "%s", message);
}

/* Times */

/* Reads one KML time (dateTime with a zone, date, gYearMonth, gYear) as EDTF. */
static char *
read_when (const char  *text,
           GError     **error)
{
  ChronoDateHints hints = { CHRONO_DATE_ORDER_UNKNOWN, 0, FALSE };

  return chrono_import_date_from_text (text, &hints, error);
}

/* Reads the TimeStamp or TimeSpan that is a child of @feature (never one
 * inside its LookAt or Camera).
 *
 * Returns: 1 if there is one, 0 if none, -1 if it could not be read (and
 *   @out_problem says why) */
static int
read_feature_time (const xmlNode  *feature,
                   KmlTime        *out,
                   char          **out_problem)
{
  g_autoptr (GError) error = NULL;

  for (xmlNode *child = feature->children; child != NULL; child = child->next)
    {
      if (is_element (child, "TimeStamp"))
        {
          g_autofree char *when = dup_child_text (child, "when");

          if (when == NULL)
            continue;
          out->start = read_when (when, &error);
          if (out->start == NULL)
            {
              *out_problem = g_strdup_printf (_("the time “%s” cannot be read: %s"), when, error->message);
              return -1;
            }
          return 1;
        }

      if (is_element (child, "TimeSpan"))
        {
          g_autofree char *begin = dup_child_text (child, "begin");
          g_autofree char *end = dup_child_text (child, "end");
          g_autofree char *start_edtf = NULL;
          g_autofree char *end_edtf = NULL;

          if (begin == NULL && end == NULL)
            continue;

          if (begin != NULL && (start_edtf = read_when (begin, &error)) == NULL)
            {
              *out_problem = g_strdup_printf (_("the time “%s” cannot be read: %s"), begin, error->message);
              return -1;
            }
          if (end != NULL && (end_edtf = read_when (end, &error)) == NULL)
            {
              *out_problem = g_strdup_printf (_("the time “%s” cannot be read: %s"), end, error->message);
              return -1;
            }

          if (start_edtf == NULL)
            {
              /* Open at the start: an event reaching back to the beginning
               * of time would stretch every timeline; it is shown at the
               * one time the file gives, its end, and a note says so. */
              out->start = g_steal_pointer (&end_edtf);
              out->only_end = TRUE;
            }
          else
            {
              out->start = g_steal_pointer (&start_edtf);
              if (end_edtf == NULL)
                out->end = g_strdup ("..");
              else if (!g_str_equal (end_edtf, out->start))
                out->end = g_steal_pointer (&end_edtf);
            }
          return 1;
        }
    }

  return 0;
}

static void
track_add_when (Shape      *shape,
                const char *text)
{
  g_autoptr (ChronoEdtf) edtf = NULL;
  g_autofree char *when = read_when (text, NULL);

  if (when == NULL || (edtf = chrono_edtf_parse (when, NULL)) == NULL)
    {
      shape->n_bad_whens++;
      return;
    }

  if (chrono_edtf_get_earliest (edtf) < shape->track_lo)
    {
      shape->track_lo = chrono_edtf_get_earliest (edtf);
      g_free (shape->track_start);
      shape->track_start = g_strdup (when);
    }
  if (chrono_edtf_get_latest (edtf) > shape->track_hi)
    {
      shape->track_hi = chrono_edtf_get_latest (edtf);
      g_free (shape->track_end);
      shape->track_end = g_strdup (when);
    }
}

/* Coordinates */

static gboolean
read_number (const char **p,
             double      *out)
{
  char *end = NULL;

  *out = g_ascii_strtod (*p, &end);
  if (end == *p)
    return FALSE;
  *p = end;
  return TRUE;
}

static void
skip_space (const char **p)
{
  while (g_ascii_isspace (**p))
    (*p)++;
}

static gboolean
check_point (Shape         *shape,
             const xmlNode *node,
             double         lon,
             double         lat)
{
  if (isfinite (lon) && isfinite (lat) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)
    return TRUE;

  if (shape->problem == NULL)
    {
      shape->problem = g_strdup_printf (_("the point (%g, %g) is not a longitude and latitude on Earth"),
                                        lon, lat);
      shape->problem_line = line_of (node);
    }
  return FALSE;
}

/* Reads "lon,lat[,alt]" tuples separated by any white space (blanks around
 * the commas are forgiven) into @out.
 *
 * Returns: FALSE when a tuple cannot be read (shape->problem says why) */
static gboolean
read_coordinates (Shape         *shape,
                  const xmlNode *node,
                  GArray        *out)
{
  g_autofree char *text = dup_text (node);
  const char *p = text;

  if (text == NULL)
    return TRUE;

  while (TRUE)
    {
      double lon, lat, alt;

      skip_space (&p);
      if (*p == '\0')
        break;

      if (!read_number (&p, &lon))
        goto bad;
      skip_space (&p);
      if (*p != ',')
        goto bad;
      p++;
      skip_space (&p);
      if (!read_number (&p, &lat))
        goto bad;
      skip_space (&p);
      if (*p == ',')
        {
          p++;
          skip_space (&p);
          if (!read_number (&p, &alt))
            goto bad;
        }
      if (*p != '\0' && !g_ascii_isspace (*p) && !g_ascii_isspace (p[-1]))
        goto bad;

      if (!check_point (shape, node, lon, lat))
        return FALSE;
      g_array_append_val (out, lon);
      g_array_append_val (out, lat);
    }

  return TRUE;

bad:
  if (shape->problem == NULL)
    {
      g_autofree char *rest = g_utf8_make_valid (p, MIN (strlen (p), 40));

      shape->problem = g_strdup_printf (_("the coordinates cannot be read near “%s”"), g_strstrip (rest));
      shape->problem_line = line_of (node);
    }
  return FALSE;
}

/* gx:coord: "lon lat alt" */
static gboolean
read_gx_coord (Shape         *shape,
               const xmlNode *node,
               GArray        *out)
{
  g_autofree char *text = dup_text (node);
  const char *p = text;
  double lon, lat;

  if (text == NULL)
    return TRUE;

  if (!read_number (&p, &lon) || (skip_space (&p), !read_number (&p, &lat)))
    {
      if (shape->problem == NULL)
        {
          shape->problem = g_strdup_printf (_("the coordinate “%s” cannot be read"), text);
          shape->problem_line = line_of (node);
        }
      return FALSE;
    }

  if (!check_point (shape, node, lon, lat))
    return FALSE;
  g_array_append_val (out, lon);
  g_array_append_val (out, lat);
  return TRUE;
}

static GArray *
new_coords (void)
{
  return g_array_new (FALSE, FALSE, sizeof (double));
}

static void
shape_add_point (Shape  *shape,
                 double  lon,
                 double  lat)
{
  if (shape->n_points++ == 0)
    {
      shape->lon = lon;
      shape->lat = lat;
    }
}

/* A line with one point is a point. */
static void
shape_add_line (Shape  *shape,
                GArray *coords)
{
  if (coords->len >= 4)
    g_ptr_array_add (shape->lines, g_array_ref (coords));
  else if (coords->len == 2)
    shape_add_point (shape, g_array_index (coords, double, 0), g_array_index (coords, double, 1));
}

/* Returns: (nullable): @coords as a closed ring, NULL if it has too few points */
static GArray *
close_ring (GArray *coords)
{
  GArray *ring;
  guint n = coords->len;

  if (n < 6)
    return NULL;

  ring = g_array_copy (coords);
  if (g_array_index (coords, double, 0) != g_array_index (coords, double, n - 2) ||
      g_array_index (coords, double, 1) != g_array_index (coords, double, n - 1))
    {
      g_array_append_val (ring, g_array_index (coords, double, 0));
      g_array_append_val (ring, g_array_index (coords, double, 1));
    }

  if (ring->len < 8)
    {
      g_array_unref (ring);
      return NULL;
    }
  return ring;
}

/* Adds a polygon from its rings, the first being the outer one. */
static void
shape_add_polygon (Shape     *shape,
                   GPtrArray *rings)
{
  GPtrArray *polygon = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  for (guint i = 0; i < rings->len; i++)
    {
      GArray *ring = close_ring (rings->pdata[i]);

      if (ring != NULL)
        g_ptr_array_add (polygon, ring);
      else if (i == 0)
        break;
    }

  if (polygon->len > 0)
    g_ptr_array_add (shape->polygons, polygon);
  else
    g_ptr_array_unref (polygon);
}

static gboolean
read_boundary (Shape         *shape,
               const xmlNode *boundary,
               GPtrArray     *rings)
{
  for (xmlNode *child = boundary->children; child != NULL; child = child->next)
    if (is_element (child, "LinearRing"))
      {
        g_autoptr (GArray) coords = new_coords ();
        xmlNode *node = find_child (child, "coordinates");

        if (node != NULL && !read_coordinates (shape, node, coords))
          return FALSE;
        g_ptr_array_add (rings, g_steal_pointer (&coords));
      }

  return TRUE;
}

static gboolean read_geometry (Shape         *shape,
                               const xmlNode *node);

static gboolean
read_track (Shape         *shape,
            const xmlNode *track)
{
  g_autoptr (GArray) coords = new_coords ();

  for (xmlNode *child = track->children; child != NULL; child = child->next)
    {
      if (is_element (child, "when"))
        {
          g_autofree char *when = dup_text (child);

          if (when != NULL)
            track_add_when (shape, when);
        }
      else if (is_element (child, "coord"))
        {
          if (!read_gx_coord (shape, child, coords))
            return FALSE;
        }
    }

  shape_add_line (shape, coords);
  return TRUE;
}

static gboolean
read_lat_lon_box (Shape         *shape,
                  const xmlNode *box)
{
  g_autofree char *north_text = dup_child_text (box, "north");
  g_autofree char *south_text = dup_child_text (box, "south");
  g_autofree char *east_text = dup_child_text (box, "east");
  g_autofree char *west_text = dup_child_text (box, "west");
  g_autoptr (GPtrArray) rings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  GArray *ring;
  double north, south, east, west;
  const char *p;

  if (north_text == NULL || south_text == NULL || east_text == NULL || west_text == NULL ||
      !read_number ((p = north_text, &p), &north) || *p != '\0' ||
      !read_number ((p = south_text, &p), &south) || *p != '\0' ||
      !read_number ((p = east_text, &p), &east) || *p != '\0' ||
      !read_number ((p = west_text, &p), &west) || *p != '\0')
    {
      if (shape->problem == NULL)
        {
          shape->problem = g_strdup (_("the LatLonBox needs a number for each of north, south, east and west"));
          shape->problem_line = line_of (box);
        }
      return FALSE;
    }

  if (!check_point (shape, box, west, north) || !check_point (shape, box, east, south))
    return FALSE;
  if (south > north)
    {
      if (shape->problem == NULL)
        {
          shape->problem = g_strdup_printf (_("the LatLonBox’s south (%g) is north of its north (%g)"), south, north);
          shape->problem_line = line_of (box);
        }
      return FALSE;
    }

  if (east < west)
    {
      /* Across the antimeridian: a GeoJSON ring would go round the other
       * way, so only its centre is kept. */
      double lon = (west + east + 360) / 2;

      shape_add_point (shape, lon > 180 ? lon - 360 : lon, (north + south) / 2);
      shape->antimeridian = TRUE;
      return TRUE;
    }

  ring = new_coords ();
  g_array_append_vals (ring, (double[]) { west, south, east, south, east, north, west, north, west, south }, 10);
  g_ptr_array_add (rings, ring);
  shape_add_polygon (shape, rings);
  return TRUE;
}

/* Reads one geometry element (and what it holds) into @shape.
 *
 * Returns: FALSE when a coordinate is wrong (shape->problem says which) */
static gboolean
read_geometry (Shape         *shape,
               const xmlNode *node)
{
  if (is_element (node, "Point"))
    {
      g_autoptr (GArray) coords = new_coords ();
      xmlNode *child = find_child (node, "coordinates");

      if (child != NULL && !read_coordinates (shape, child, coords))
        return FALSE;
      if (coords->len >= 2)
        shape_add_point (shape, g_array_index (coords, double, 0), g_array_index (coords, double, 1));
    }
  else if (is_element (node, "LineString"))
    {
      g_autoptr (GArray) coords = new_coords ();
      xmlNode *child = find_child (node, "coordinates");

      if (child != NULL && !read_coordinates (shape, child, coords))
        return FALSE;
      shape_add_line (shape, coords);
    }
  else if (is_element (node, "LinearRing"))
    {
      g_autoptr (GPtrArray) rings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
      GArray *coords = new_coords ();
      xmlNode *child = find_child (node, "coordinates");

      g_ptr_array_add (rings, coords);
      if (child != NULL && !read_coordinates (shape, child, coords))
        return FALSE;
      shape_add_polygon (shape, rings);
    }
  else if (is_element (node, "Polygon"))
    {
      g_autoptr (GPtrArray) rings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
      xmlNode *outer = find_child (node, "outerBoundaryIs");

      if (outer == NULL)
        return TRUE;
      if (!read_boundary (shape, outer, rings))
        return FALSE;
      if (rings->len == 0)
        return TRUE;
      /* Only the first ring is outer; the holes follow. */
      g_ptr_array_set_size (rings, 1);
      for (xmlNode *child = node->children; child != NULL; child = child->next)
        if (is_element (child, "innerBoundaryIs") && !read_boundary (shape, child, rings))
          return FALSE;
      shape_add_polygon (shape, rings);
    }
  else if (is_element (node, "MultiGeometry") || is_element (node, "MultiTrack"))
    {
      for (xmlNode *child = node->children; child != NULL; child = child->next)
        if (child->type == XML_ELEMENT_NODE && !read_geometry (shape, child))
          return FALSE;
    }
  else if (is_element (node, "Track"))
    return read_track (shape, node);
  else if (is_element (node, "Model"))
    {
      xmlNode *location = find_child (node, "Location");
      g_autofree char *lon_text = location != NULL ? dup_child_text (location, "longitude") : NULL;
      g_autofree char *lat_text = location != NULL ? dup_child_text (location, "latitude") : NULL;
      double lon, lat;
      const char *p;

      if (lon_text != NULL && lat_text != NULL &&
          read_number ((p = lon_text, &p), &lon) && read_number ((p = lat_text, &p), &lat))
        {
          if (!check_point (shape, location, lon, lat))
            return FALSE;
          shape_add_point (shape, lon, lat);
        }
    }
  else if (is_element (node, "LatLonBox"))
    return read_lat_lon_box (shape, node);
  else if (is_element (node, "LatLonQuad"))
    {
      g_autoptr (GPtrArray) rings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
      GArray *coords = new_coords ();
      xmlNode *child = find_child (node, "coordinates");

      g_ptr_array_add (rings, coords);
      if (child != NULL && !read_coordinates (shape, child, coords))
        return FALSE;
      shape_add_polygon (shape, rings);
    }

  return TRUE;
}

static gboolean
is_geometry (const xmlNode *node)
{
  static const char * const names[] = {
    "Point", "LineString", "LinearRing", "Polygon", "MultiGeometry", "Model",
    "Track", "MultiTrack", "LatLonBox", "LatLonQuad",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (is_element (node, names[i]))
      return TRUE;

  return FALSE;
}

/* GeoJSON */

static void
append_position (GString *out,
                 double   lon,
                 double   lat)
{
  char x[G_ASCII_DTOSTR_BUF_SIZE];
  char y[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, "[%s,%s]",
                          g_ascii_formatd (x, sizeof x, "%.12g", lon),
                          g_ascii_formatd (y, sizeof y, "%.12g", lat));
}

static void
append_positions (GString      *out,
                  const GArray *coords)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i + 1 < coords->len; i += 2)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_position (out, g_array_index (coords, double, i), g_array_index (coords, double, i + 1));
    }
  g_string_append_c (out, ']');
}

static void
append_polygon (GString         *out,
                const GPtrArray *rings)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < rings->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_positions (out, rings->pdata[i]);
    }
  g_string_append_c (out, ']');
}

/* Areas win over lines: a MultiGeometry of both keeps its areas. */
static char *
shape_to_geojson (const Shape *shape)
{
  GString *out;

  if (shape->polygons->len == 1)
    {
      out = g_string_new ("{\"type\":\"Polygon\",\"coordinates\":");
      append_polygon (out, shape->polygons->pdata[0]);
    }
  else if (shape->polygons->len > 1)
    {
      out = g_string_new ("{\"type\":\"MultiPolygon\",\"coordinates\":[");
      for (guint i = 0; i < shape->polygons->len; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_polygon (out, shape->polygons->pdata[i]);
        }
      g_string_append_c (out, ']');
    }
  else if (shape->lines->len == 1)
    {
      out = g_string_new ("{\"type\":\"LineString\",\"coordinates\":");
      append_positions (out, shape->lines->pdata[0]);
    }
  else if (shape->lines->len > 1)
    {
      out = g_string_new ("{\"type\":\"MultiLineString\",\"coordinates\":[");
      for (guint i = 0; i < shape->lines->len; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_positions (out, shape->lines->pdata[i]);
        }
      g_string_append_c (out, ']');
    }
  else
    return NULL;

  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* The place's point: its first Point, else the middle of what it covers. */
static void
shape_get_point (const Shape *shape,
                 double      *out_lon,
                 double      *out_lat)
{
  double west = G_MAXDOUBLE, east = -G_MAXDOUBLE, south = G_MAXDOUBLE, north = -G_MAXDOUBLE;
  const GPtrArray *parts = shape->polygons->len > 0 ? shape->polygons : shape->lines;

  if (shape->n_points > 0)
    {
      *out_lon = shape->lon;
      *out_lat = shape->lat;
      return;
    }

  for (guint i = 0; i < parts->len; i++)
    {
      /* For polygons, the outer ring says it all. */
      const GArray *coords = shape->polygons->len > 0
        ? ((GPtrArray *) parts->pdata[i])->pdata[0] : parts->pdata[i];

      for (guint j = 0; j + 1 < coords->len; j += 2)
        {
          west = MIN (west, g_array_index (coords, double, j));
          east = MAX (east, g_array_index (coords, double, j));
          south = MIN (south, g_array_index (coords, double, j + 1));
          north = MAX (north, g_array_index (coords, double, j + 1));
        }
    }

  *out_lon = (west + east) / 2;
  *out_lat = (south + north) / 2;
}

/* Features */

/* Data name/value and SchemaData/SimpleData, in order. */
static GPtrArray *
read_extended_data (const xmlNode *feature)
{
  GPtrArray *data = g_ptr_array_new_with_free_func ((GDestroyNotify) kml_data_free);
  xmlNode *extended = find_child (feature, "ExtendedData");

  if (extended == NULL)
    return data;

  for (xmlNode *child = extended->children; child != NULL; child = child->next)
    {
      if (is_element (child, "Data"))
        {
          g_autofree char *name = (char *) xmlGetProp (child, (const xmlChar *) "name");
          KmlData *item;

          if (name == NULL)
            continue;
          item = g_new0 (KmlData, 1);
          item->name = g_strdup (name);
          item->value = dup_child_text (child, "value");
          g_ptr_array_add (data, item);
        }
      else if (is_element (child, "SchemaData"))
        {
          for (xmlNode *simple = child->children; simple != NULL; simple = simple->next)
            {
              g_autofree char *name = NULL;
              KmlData *item;

              if (!is_element (simple, "SimpleData") ||
                  (name = (char *) xmlGetProp (simple, (const xmlChar *) "name")) == NULL)
                continue;
              item = g_new0 (KmlData, 1);
              item->name = g_strdup (name);
              item->value = dup_text (simple);
              g_ptr_array_add (data, item);
            }
        }
    }

  return data;
}

static gboolean
is_valid_edtf (const char *text)
{
  g_autoptr (ChronoEdtf) edtf = NULL;

  if (text == NULL)
    return FALSE;
  if (g_str_equal (text, ".."))
    return TRUE;
  edtf = chrono_edtf_parse (text, NULL);
  return edtf != NULL;
}

/* Adds one place from @shape; NULL when it has none or was skipped. */
static const char *
add_shape_place (Reader        *reader,
                 const xmlNode *feature,
                 const Shape   *shape,
                 const char    *name,
                 const char    *note)
{
  g_autofree char *geometry = shape_to_geojson (shape);
  ChronoImportName names[1] = { { .name = name } };
  ChronoImportPlace place = {
    .geometry = geometry,
    .note = note,
    .names = names,
    .n_names = name != NULL ? 1 : 0,
  };

  if (shape_is_empty (shape))
    return NULL;

  shape_get_point (shape, &place.lon, &place.lat);
  return chrono_import_add_place (reader->import, &place, line_of (feature), reader->path);
}

static void
note_shape (Reader        *reader,
            const xmlNode *feature,
            const Shape   *shape)
{
  if (shape->antimeridian)
    chrono_import_note (reader->import, line_of (feature), 0, reader->path,
                        _("the overlay crosses the 180° meridian: only its centre is kept"));
  if (shape->n_points > 1 && shape->lines->len == 0 && shape->polygons->len == 0)
    chrono_import_note (reader->import, line_of (feature), 0, reader->path,
                        _("%u points: only the first is kept"), shape->n_points);
  if (shape->polygons->len > 0 && shape->lines->len > 0)
    chrono_import_note (reader->import, line_of (feature), 0, reader->path,
                        _("areas and lines together: only the areas are kept"));
  if (shape->n_bad_whens > 0)
    chrono_import_note (reader->import, line_of (feature), 0, reader->path,
                        _("%u times of the track cannot be read and are left out"), shape->n_bad_whens);
}

static gboolean
read_feature (Reader        *reader,
              const xmlNode *feature,
              const KmlTime *inherited,
              const char    *container_name,
              GError       **error)
{
  g_autoptr (GPtrArray) data = read_extended_data (feature);
  g_autoptr (GPtrArray) place_names = g_ptr_array_new ();
  g_autoptr (GPtrArray) place_ids = g_ptr_array_new ();
  g_autoptr (GString) note = g_string_new (NULL);
  g_autofree char *name = dup_child_text (feature, "name");
  g_autofree char *description = dup_child_text (feature, "description");
  g_autofree char *summary = NULL;
  g_autofree char *xml_id = (char *) xmlGetProp (feature, (const xmlChar *) "id");
  g_autofree char *time_problem = NULL;
  const char *local_id = NULL, *category = NULL, *edtf_start = NULL, *edtf_end = NULL;
  const char *loose_start = NULL, *loose_end = NULL;
  xmlNode *geometry = NULL;
  guint n_geometries = 0;
  int importance = 0;
  KmlTime own = { 0 };
  KmlTime time = { 0 };
  Shape shape;
  gboolean ok = TRUE;
  int has_time;

  if (!chrono_import_progress (reader->import, ++reader->done, reader->n_features, error))
    return FALSE;

  if (description != NULL)
    summary = chrono_import_text_from_html (description);
  if (summary != NULL && strlen (summary) > CHRONO_IMPORT_MAX_TEXT)
    chrono_import_note (reader->import, line_of (feature), 0, reader->path,
                        _("the description is longer than %d MB: it is cut"),
                        CHRONO_IMPORT_MAX_TEXT / (1024 * 1024));

  for (guint i = 0; i < data->len; i++)
    {
      KmlData *item = data->pdata[i];
      const char *key = item->name;

      if (item->value == NULL)
        continue;
      if (g_ascii_strcasecmp (key, "edtf_start") == 0)
        edtf_start = item->value;
      else if (g_ascii_strcasecmp (key, "edtf_end") == 0)
        edtf_end = item->value;
      else if (g_ascii_strcasecmp (key, "id") == 0)
        local_id = item->value;
      else if (g_ascii_strcasecmp (key, "category") == 0)
        category = item->value;
      else if (g_ascii_strcasecmp (key, "place") == 0)
        g_ptr_array_add (place_names, item->value);
      else if (g_ascii_strcasecmp (key, "importance") == 0 &&
               strlen (item->value) == 1 && item->value[0] >= '1' && item->value[0] <= '3')
        importance = item->value[0] - '0';
      else if (g_ascii_strcasecmp (key, "note") == 0)
        g_string_append_printf (note, "%s%s", note->len > 0 ? "\n" : "", item->value);
      else
        {
          if (g_ascii_strcasecmp (key, "date") == 0 || g_ascii_strcasecmp (key, "start") == 0 ||
              g_ascii_strcasecmp (key, "begin") == 0)
            loose_start = item->value;
          else if (g_ascii_strcasecmp (key, "end") == 0)
            loose_end = item->value;
          g_string_append_printf (note, "%s%s: %s", note->len > 0 ? "\n" : "", key, item->value);
        }
    }
  if (local_id == NULL)
    local_id = xml_id;

  /* The time: Chronotope's own EDTF, the feature's TimeStamp or TimeSpan,
   * its track's span, a date in its data, or its container's. */
  has_time = read_feature_time (feature, &own, &time_problem);
  if (edtf_start != NULL && is_valid_edtf (edtf_start) && (edtf_end == NULL || is_valid_edtf (edtf_end)))
    {
      time.start = g_strdup (edtf_start);
      time.end = g_strdup (edtf_end);
    }
  else
    {
      if (edtf_start != NULL)
        chrono_import_note (reader->import, line_of (feature), 0, reader->path,
                            _("edtf_start “%s” or edtf_end “%s” is not EDTF: the KML time is used"),
                            edtf_start, edtf_end != NULL ? edtf_end : "");
      if (has_time < 0)
        {
          skip_feature (reader, feature, "%s", time_problem);
          kml_time_clear (&own);
          return TRUE;
        }
      if (has_time > 0)
        {
          time = own;
          own = (KmlTime) { 0 };
        }
    }
  kml_time_clear (&own);

  for (xmlNode *child = feature->children; child != NULL; child = child->next)
    if (is_geometry (child))
      {
        if (n_geometries++ == 0)
          geometry = child;
      }

  shape_init (&shape);
  for (xmlNode *child = feature->children; child != NULL && ok; child = child->next)
    if (is_geometry (child))
      ok = read_geometry (&shape, child);
  if (!ok)
    {
      skip_feature (reader, feature, "%s", shape.problem);
      shape_clear (&shape);
      kml_time_clear (&time);
      return TRUE;
    }

  if (time.start == NULL && shape.track_start != NULL)
    {
      time.start = g_strdup (shape.track_start);
      if (!g_str_equal (shape.track_start, shape.track_end))
        time.end = g_strdup (shape.track_end);
    }

  if (time.start == NULL && loose_start != NULL)
    {
      g_autoptr (GError) local_error = NULL;
      ChronoDateHints hints = { chrono_import_get_options (reader->import)->date_order, 0, FALSE };
      g_autofree char *start = chrono_import_date_from_text (loose_start, &hints, &local_error);
      g_autofree char *end = NULL;

      if (start != NULL && loose_end != NULL)
        end = chrono_import_date_from_text (loose_end, &hints, &local_error);
      if (start != NULL && (loose_end == NULL || end != NULL))
        {
          time.start = g_steal_pointer (&start);
          time.end = g_steal_pointer (&end);
        }
      else
        chrono_import_note (reader->import, line_of (feature), 0, reader->path,
                            _("the date in the data cannot be read: %s"), local_error->message);
    }

  if (time.start == NULL && inherited != NULL && inherited->start != NULL)
    {
      time.start = g_strdup (inherited->start);
      time.end = g_strdup (inherited->end);
      time.only_end = inherited->only_end;
    }

  if (time.only_end)
    {
      chrono_import_note (reader->import, line_of (feature), 0, reader->path,
                          _("the time span has only an end (%s): the event is shown at its end"),
                          time.start);
      g_string_append_printf (note, "%s%s", note->len > 0 ? "\n" : "",
                              _("The file gives only the end of this time span."));
    }

  if (time.start == NULL && shape_is_empty (&shape))
    {
      skip_feature (reader, feature, _("“%s” has neither a place nor a time"),
                    name != NULL ? name : (const char *) feature->name);
      shape_clear (&shape);
      return TRUE;
    }


  /* One place per member of a MultiGeometry when the data names each, as
   * Chronotope writes events at several places; else one place. */
  if (n_geometries == 1 && is_element (geometry, "MultiGeometry") &&
      place_names->len >= 2 && place_names->len <= MAX_SPLIT_PLACES)
    {
      g_autoptr (GPtrArray) members = g_ptr_array_new ();

      for (xmlNode *child = geometry->children; child != NULL; child = child->next)
        if (is_geometry (child))
          g_ptr_array_add (members, child);

      if (members->len == place_names->len)
        {
          for (guint i = 0; i < members->len; i++)
            {
              Shape part;
              const char *id;

              shape_init (&part);
              /* Coordinates were checked when the whole was read */
              read_geometry (&part, members->pdata[i]);
              note_shape (reader, feature, &part);
              id = add_shape_place (reader, feature, &part, place_names->pdata[i],
                                    time.start == NULL && note->len > 0 ? note->str : NULL);
              if (id != NULL)
                g_ptr_array_add (place_ids, (gpointer) id);
              shape_clear (&part);
            }
        }
    }

  if (place_ids->len == 0 && !shape_is_empty (&shape))
    {
      note_shape (reader, feature, &shape);
      const char *place_name = place_names->len == 1 ? place_names->pdata[0] : name;
      const char *id = add_shape_place (reader, feature, &shape, place_name,
                                        time.start == NULL && note->len > 0 ? note->str : NULL);

      if (id != NULL)
        g_ptr_array_add (place_ids, (gpointer) id);
    }
  shape_clear (&shape);

  if (time.start != NULL)
    {
      ChronoImportExcerpt excerpt = { .quote = summary };
      ChronoImportEvent event = {
        .local_id = local_id,
        .start = time.start,
        .end = time.end,
        .title = name != NULL ? name : container_name,
        .summary = summary,
        .category = category,
        .importance = importance,
        .note = note->len > 0 ? note->str : NULL,
        .place_ids = (const char * const *) place_ids->pdata,
        .n_places = place_ids->len,
        .excerpts = &excerpt,
        .n_excerpts = summary != NULL ? 1 : 0,
      };

      chrono_import_add_event (reader->import, &event, line_of (feature), reader->path);
    }

  kml_time_clear (&time);
  return TRUE;
}

static gboolean
is_feature (const xmlNode *node)
{
  return is_element (node, "Placemark") || is_element (node, "GroundOverlay") ||
         is_element (node, "PhotoOverlay");
}

static gboolean
is_container (const xmlNode *node)
{
  return is_element (node, "Document") || is_element (node, "Folder");
}

static gsize
count_features (const xmlNode *node)
{
  gsize n = 0;

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    if (is_feature (child))
      n++;
    else if (is_container (child))
      n += count_features (child);

  return n;
}

/* Reads the features of @container, which inherit @inherited unless the
 * container has a time of its own. */
static gboolean
read_container (Reader        *reader,
                const xmlNode *container,
                const KmlTime *inherited,
                const char    *inherited_name,
                GError       **error)
{
  g_autofree char *name = dup_child_text (container, "name");
  g_autofree char *problem = NULL;
  KmlTime own = { 0 };
  const KmlTime *time = inherited;
  gboolean ok = TRUE;

  switch (read_feature_time (container, &own, &problem))
    {
    case 1:
      time = &own;
      break;
    case -1:
      chrono_import_note (reader->import, line_of (container), 0, reader->path,
                          _("the time of “%s” is left out: %s"),
                          name != NULL ? name : (const char *) container->name, problem);
      break;
    default:
      break;
    }

  for (xmlNode *child = container->children; child != NULL && ok; child = child->next)
    {
      if (is_feature (child))
        ok = read_feature (reader, child, time, name != NULL ? name : inherited_name, error);
      else if (is_container (child))
        ok = read_container (reader, child, time, name != NULL ? name : inherited_name, error);
      else if (is_element (child, "NetworkLink"))
        {
          xmlNode *link = find_child (child, "Link");
          g_autofree char *href = NULL;

          if (link == NULL)
            link = find_child (child, "Url");
          href = link != NULL ? dup_child_text (link, "href") : NULL;
          chrono_import_note (reader->import, line_of (child), 0, reader->path,
                              _("the network link to “%s” is not followed"), href != NULL ? href : "");
        }
    }

  kml_time_clear (&own);
  return ok;
}

/* Parsing */

/* Called for every <!ENTITY> declaration: stops the parse at once, so no
 * entity is ever expanded or fetched. */
static void
on_entity_declared (void          *ctx,
                    const xmlChar *name,
                    int            type,
                    const xmlChar *public_id,
                    const xmlChar *system_id,
                    xmlChar       *content)
{
  xmlParserCtxt *ctxt = ctx;
  Reader *reader = ctxt->_private;

  reader->entity_declared = TRUE;
  xmlStopParser (ctxt);
}

static xmlDoc *
parse_kml (Reader      *reader,
           const char  *data,
           gsize        size,
           GError     **error)
{
  const char *display_name = chrono_import_get_display_name (reader->import);
  g_autoptr (xmlParserCtxt) ctxt = NULL;
  g_autoptr (xmlDoc) doc = NULL;
  const xmlError *xml_error;

  if (size > G_MAXINT)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_TOO_LARGE,
                   _("%s: the KML is larger than 2 GB"), display_name);
      return NULL;
    }

  xmlInitParser ();
  ctxt = xmlCreateMemoryParserCtxt (data, (int) size);
  if (ctxt == NULL)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: the XML parser could not be started"), display_name);
      return NULL;
    }

  /* No NOENT (no substitution), no DTDLOAD or DTDATTR (no external DTD),
   * no HUGE (libxml2's depth and size limits stay); errors are read from
   * the context, not printed. */
  xmlCtxtUseOptions (ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                           XML_PARSE_BIG_LINES | XML_PARSE_COMPACT);
  ctxt->_private = reader;
  ctxt->sax->entityDecl = on_entity_declared;
  xmlParseDocument (ctxt);
  doc = g_steal_pointer (&ctxt->myDoc);

  if (reader->entity_declared)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED,
                   _("%s:%d: the file declares XML entities, which KML does not use; it is not read, for safety"),
                   display_name, ctxt->input != NULL ? ctxt->input->line : 0);
      return NULL;
    }

  xml_error = xmlCtxtGetLastError (ctxt);
  if (doc == NULL || !ctxt->wellFormed)
    {
      g_autofree char *message = NULL;

      if (xml_error == NULL || xml_error->message == NULL)
        {
          g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                       _("%s: not a readable XML file"), display_name);
          return NULL;
        }

      message = g_strstrip (g_strdup (xml_error->message));
      if (strstr (message, "Excessive depth") != NULL)
        g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_TOO_LARGE,
                     _("%s:%d:%d: elements are nested more than 256 deep"),
                     display_name, xml_error->line, xml_error->int2);
      else
        g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                     _("%s:%d:%d: not valid XML: %s"),
                     display_name, xml_error->line, xml_error->int2, message);
      return NULL;
    }

  return g_steal_pointer (&doc);
}

static gboolean
read_kml_data (ChronoImport  *import,
               const char    *data,
               gsize          size,
               const char    *path,
               GError       **error)
{
  const char *display_name = chrono_import_get_display_name (import);
  Reader reader = { .import = import, .path = path };
  g_autoptr (xmlDoc) doc = NULL;
  xmlNode *root;
  gboolean ok;

  doc = parse_kml (&reader, data, size, error);
  if (doc == NULL)
    return FALSE;

  root = xmlDocGetRootElement (doc);
  if (root == NULL ||
      !(is_element (root, "kml") || is_container (root) || is_feature (root)))
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: not KML: the document is <%s>, not <kml>"),
                   display_name, root != NULL ? (const char *) root->name : "");
      return FALSE;
    }

  /* The dataset's title and description: the outermost Document's (or
   * Folder's, when that is the root) */
  {
    xmlNode *top = is_element (root, "kml") ? NULL : root;

    for (xmlNode *child = root->children; top == NULL && child != NULL; child = child->next)
      if (is_container (child))
        top = child;

    if (top != NULL && is_container (top))
      {
        g_autofree char *title = dup_child_text (top, "name");
        g_autofree char *description = dup_child_text (top, "description");

        if (title != NULL)
          chrono_import_set_title (import, title);
        if (description != NULL)
          {
            g_autofree char *text = chrono_import_text_from_html (description);

            chrono_import_set_description (import, text);
          }
      }
  }

  if (is_feature (root))
    {
      reader.n_features = 1;
      return read_feature (&reader, root, NULL, NULL, error);
    }

  reader.n_features = count_features (root);
  ok = read_container (&reader, root, NULL, NULL, error);
  if (ok && reader.n_features == 0)
    chrono_import_note (import, 0, 0, path, _("the file has no Placemark or GroundOverlay"));
  return ok;
}

/* KML */

static const char * const kml_patterns[] = { "*.kml", NULL };
static const char * const kml_mime_types[] = { "application/vnd.google-earth.kml+xml", NULL };

static gboolean
has_extension (const char *basename,
               const char *extension)
{
  gsize len, ext_len = strlen (extension);

  if (basename == NULL)
    return FALSE;
  len = strlen (basename);
  return len > ext_len && g_ascii_strcasecmp (basename + len - ext_len, extension) == 0;
}

static const guint8 *
skip_past (const guint8 *p,
           const guint8 *end,
           const char   *marker)
{
  gsize len = strlen (marker);

  for (; p + len <= end; p++)
    if (memcmp (p, marker, len) == 0)
      return p + len;

  return NULL;
}

static int
kml_detect (const char   *basename,
            const guint8 *head,
            gsize         len)
{
  const guint8 *p = head, *end = head + len;
  int by_name = has_extension (basename, ".kml") ? CHRONO_DETECT_EXTENSION : CHRONO_DETECT_NO;

  if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  /* Past the XML declaration, comments and a doctype, the first element */
  while (p != NULL && p < end)
    {
      while (p < end && g_ascii_isspace (*p))
        p++;
      if (end - p >= 2 && memcmp (p, "<?", 2) == 0)
        p = skip_past (p, end, "?>");
      else if (end - p >= 4 && memcmp (p, "<!--", 4) == 0)
        p = skip_past (p, end, "-->");
      else if (end - p >= 2 && memcmp (p, "<!", 2) == 0)
        p = skip_past (p, end, ">");
      else
        break;
    }

  if (p == NULL || p >= end || *p != '<')
    return by_name;

  p++;
  /* <kml …>, or a prefixed <k:kml …> */
  for (const guint8 *q = p; q < end && q - p < 32 && (g_ascii_isalnum (*q) || *q == '_' || *q == '-' || *q == '.'); q++)
    if (q[1] == ':')
      {
        p = q + 2;
        break;
      }
  if (end - p >= 4 && memcmp (p, "kml", 3) == 0 &&
      (g_ascii_isspace (p[3]) || p[3] == '>' || p[3] == '/'))
    return CHRONO_DETECT_YES;

  return by_name;
}

static gboolean
read_kml (ChronoImport  *import,
          GBytes        *bytes,
          GError       **error)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return read_kml_data (import, data != NULL ? data : "", size, NULL, error);
}

const ChronoImportFormat chrono_import_format_kml = {
  .name = "kml",
  .label = N_("KML (Google Earth)"),
  .patterns = kml_patterns,
  .mime_types = kml_mime_types,
  .detect = kml_detect,
  .read = read_kml,
};

/* KMZ */

static const char * const kmz_patterns[] = { "*.kmz", NULL };
static const char * const kmz_mime_types[] = { "application/vnd.google-earth.kmz", NULL };

static int
kmz_detect (const char   *basename,
            const guint8 *head,
            gsize         len)
{
  gboolean is_zip = len >= 4 && memcmp (head, "PK\x03\x04", 4) == 0;

  if (is_zip && has_extension (basename, ".kmz"))
    return CHRONO_DETECT_YES;
  /* A zip under another name: the first entry's name says whether it holds KML. */
  if (is_zip && len >= 30)
    {
      gsize name_len = head[26] | (head[27] << 8);

      if (30 + name_len <= len && name_len >= 4 &&
          g_ascii_strncasecmp ((const char *) head + 30 + name_len - 4, ".kml", 4) == 0)
        return CHRONO_DETECT_MAYBE;
    }
  if (has_extension (basename, ".kmz"))
    return CHRONO_DETECT_EXTENSION;

  return CHRONO_DETECT_NO;
}

static const char *
entry_name (struct archive_entry *entry)
{
  const char *name = archive_entry_pathname_utf8 (entry);

  return name != NULL ? name : archive_entry_pathname (entry);
}

static Archive *
open_zip (GBytes  *bytes,
          GError **error,
          const char *display_name)
{
  g_autoptr (Archive) archive = archive_read_new ();
  gsize size;
  const void *data = g_bytes_get_data (bytes, &size);

  archive_read_support_format_zip (archive);
  if (archive_read_open_memory (archive, data, size) != ARCHIVE_OK)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: not a readable KMZ (zip) file: %s"), display_name,
                   archive_error_string (archive) != NULL ? archive_error_string (archive) : "");
      return NULL;
    }

  return g_steal_pointer (&archive);
}

/* Finds the KML in a KMZ as Google Earth does: doc.kml, or else the first
 * .kml at the root (or, failing that, anywhere).
 *
 * Returns: the index of the entry, or -1 with @error set */
static int
find_kml_entry (GBytes      *bytes,
                const char  *display_name,
                GError     **error)
{
  g_autoptr (Archive) archive = open_zip (bytes, error, display_name);
  struct archive_entry *entry;
  int root_first = -1, any_first = -1;
  int n = 0;
  int status;

  if (archive == NULL)
    return -1;

  while ((status = archive_read_next_header (archive, &entry)) == ARCHIVE_OK || status == ARCHIVE_WARN)
    {
      const char *name = entry_name (entry);
      int index = n++;

      if (n > KMZ_MAX_ENTRIES)
        {
          g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_TOO_LARGE,
                       _("%s: the KMZ has more than %d files"), display_name, KMZ_MAX_ENTRIES);
          return -1;
        }
      if (name == NULL || archive_entry_filetype (entry) != AE_IFREG || !has_extension (name, ".kml"))
        continue;

      if (g_ascii_strcasecmp (name, "doc.kml") == 0)
        return index;
      if (root_first < 0 && strchr (name, '/') == NULL)
        root_first = index;
      if (any_first < 0)
        any_first = index;
    }

  if (status != ARCHIVE_EOF)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: not a readable KMZ (zip) file: %s"), display_name,
                   archive_error_string (archive) != NULL ? archive_error_string (archive) : "");
      return -1;
    }

  if (root_first >= 0)
    return root_first;
  if (any_first >= 0)
    return any_first;

  g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
               _("%s: the KMZ holds no .kml file"), display_name);
  return -1;
}

static GBytes *
extract_entry (GBytes      *bytes,
               int          index,
               char       **out_name,
               const char  *display_name,
               GError     **error)
{
  g_autoptr (Archive) archive = open_zip (bytes, error, display_name);
  g_autoptr (GByteArray) out = NULL;
  struct archive_entry *entry = NULL;
  gsize limit = CLAMP ((gsize) KMZ_MAX_RATIO * g_bytes_get_size (bytes), KMZ_MIN_LIMIT, KMZ_MAX_KML);
  guint8 buffer[64 * 1024];
  la_ssize_t got;

  if (archive == NULL)
    return NULL;

  for (int i = 0; i <= index; i++)
    {
      int status = archive_read_next_header (archive, &entry);

      if (status != ARCHIVE_OK && status != ARCHIVE_WARN)
        {
          g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                       _("%s: not a readable KMZ (zip) file: %s"), display_name,
                       archive_error_string (archive) != NULL ? archive_error_string (archive) : "");
          return NULL;
        }
    }

  *out_name = g_strdup (entry_name (entry));
  if (archive_entry_is_encrypted (entry))
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED,
                   _("%s: %s is encrypted"), display_name, *out_name);
      return NULL;
    }

  if (archive_entry_size_is_set (entry) && (guint64) archive_entry_size (entry) > limit)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_TOO_LARGE,
                   _("%s: %s would unpack to %lld MB, more than the %llu MB read from a KMZ of this size"),
                   display_name, *out_name, (long long) (archive_entry_size (entry) / (1024 * 1024)),
                   (unsigned long long) (limit / (1024 * 1024)));
      return NULL;
    }

  out = g_byte_array_new ();
  while ((got = archive_read_data (archive, buffer, sizeof buffer)) > 0)
    {
      if (out->len + (gsize) got > limit)
        {
          g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_TOO_LARGE,
                       _("%s: %s unpacks to more than the %llu MB read from a KMZ of this size"),
                       display_name, *out_name, (unsigned long long) (limit / (1024 * 1024)));
          return NULL;
        }
      g_byte_array_append (out, buffer, got);
    }

  if (got < 0)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: %s cannot be unpacked: %s"), display_name, *out_name,
                   archive_error_string (archive) != NULL ? archive_error_string (archive) : "");
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
read_kmz (ChronoImport  *import,
          GBytes        *bytes,
          GError       **error)
{
  const char *display_name = chrono_import_get_display_name (import);
  g_autoptr (GBytes) kml = NULL;
  g_autofree char *name = NULL;
  int index;
  gsize size;
  const char *data;

  index = find_kml_entry (bytes, display_name, error);
  if (index < 0)
    return FALSE;

  kml = extract_entry (bytes, index, &name, display_name, error);
  if (kml == NULL)
    return FALSE;

  data = g_bytes_get_data (kml, &size);
  return read_kml_data (import, data != NULL ? data : "", size, name, error);
}

const ChronoImportFormat chrono_import_format_kmz = {
  .name = "kmz",
  .label = N_("KMZ (zipped KML)"),
  .patterns = kmz_patterns,
  .mime_types = kmz_mime_types,
  .detect = kmz_detect,
  .read = read_kmz,
};
