/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import-csv"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "chrono-import-csv.h"
#include "chrono-import-formats.h"

/*
 * CSV and TSV tables (RFC 4180, and what spreadsheets write besides): the
 * delimiter among , ; tab | found from the first lines, UTF-8 with or
 * without a BOM, UTF-16 with a BOM, or Windows-1252; any line ends. The
 * header says what each column means, in many spellings, and three layouts
 * are known by their headers: the TimelineJS Google sheet, ACLED and UCDP
 * GED. The file is read twice: a first pass over the date columns finds the
 * order of day and month and the century of two-digit years; the second
 * hands each row to the import.
 */

/* Columns the reader knows beyond the public roles */
enum
{
  COL_END_YEAR = CHRONO_COLUMN_N_ROLES,
  COL_END_MONTH,
  COL_END_DAY,
  COL_TIME,       /* times of day: not read */
  COL_END_TIME,
  COL_ID,
  COL_EXCERPT,
  COL_TYPE,       /* TimelineJS: "title" and "era" rows */
  COL_PRECISION,  /* ACLED time_precision, UCDP date_prec */
  COL_ACTOR1,     /* ACLED */
  COL_ACTOR2,
  COL_DEATHS,     /* ACLED fatalities, UCDP best */
  N_COLS
};

typedef enum
{
  LAYOUT_GENERIC,
  LAYOUT_TIMELINEJS,
  LAYOUT_ACLED,
  LAYOUT_UCDP,
} Layout;

static const char * const layout_names[] = {
  [LAYOUT_GENERIC] = NULL,
  [LAYOUT_TIMELINEJS] = "TimelineJS sheet",
  [LAYOUT_ACLED] = "ACLED",
  [LAYOUT_UCDP] = "UCDP GED",
};

typedef struct
{
  Layout      layout;
  int         col;
  const char *key;  /* the header, lower case, without spaces, '_', '-' or '.' */
} LayoutColumn;

/* The first entries of each layout are the headers that tell it. */
static const LayoutColumn layout_columns[] = {
  /* The TimelineJS Google-sheet template */
  { LAYOUT_TIMELINEJS, CHRONO_COLUMN_YEAR, "year" },
  { LAYOUT_TIMELINEJS, CHRONO_COLUMN_TITLE, "headline" },
  { LAYOUT_TIMELINEJS, CHRONO_COLUMN_DESCRIPTION, "text" },
  { LAYOUT_TIMELINEJS, CHRONO_COLUMN_MONTH, "month" },
  { LAYOUT_TIMELINEJS, CHRONO_COLUMN_DAY, "day" },
  { LAYOUT_TIMELINEJS, COL_TIME, "time" },
  { LAYOUT_TIMELINEJS, COL_END_YEAR, "endyear" },
  { LAYOUT_TIMELINEJS, COL_END_MONTH, "endmonth" },
  { LAYOUT_TIMELINEJS, COL_END_DAY, "endday" },
  { LAYOUT_TIMELINEJS, COL_END_TIME, "endtime" },
  { LAYOUT_TIMELINEJS, COL_TYPE, "type" },
  { LAYOUT_TIMELINEJS, CHRONO_COLUMN_CATEGORY, "group" },
  /* ACLED exports (acleddata.com) */
  { LAYOUT_ACLED, CHRONO_COLUMN_DATE, "eventdate" },
  { LAYOUT_ACLED, CHRONO_COLUMN_TITLE, "subeventtype" },
  { LAYOUT_ACLED, COL_ACTOR1, "actor1" },
  { LAYOUT_ACLED, CHRONO_COLUMN_LAT, "latitude" },
  { LAYOUT_ACLED, CHRONO_COLUMN_LON, "longitude" },
  { LAYOUT_ACLED, COL_ACTOR2, "actor2" },
  { LAYOUT_ACLED, COL_ID, "eventidcnty" },
  { LAYOUT_ACLED, COL_PRECISION, "timeprecision" },
  { LAYOUT_ACLED, CHRONO_COLUMN_CATEGORY, "eventtype" },
  { LAYOUT_ACLED, CHRONO_COLUMN_PLACE, "location" },
  { LAYOUT_ACLED, CHRONO_COLUMN_SOURCE, "source" },
  { LAYOUT_ACLED, CHRONO_COLUMN_DESCRIPTION, "notes" },
  { LAYOUT_ACLED, COL_DEATHS, "fatalities" },
  /* UCDP Georeferenced Event Dataset (ucdp.uu.se) */
  { LAYOUT_UCDP, CHRONO_COLUMN_START, "datestart" },
  { LAYOUT_UCDP, CHRONO_COLUMN_END, "dateend" },
  { LAYOUT_UCDP, COL_PRECISION, "dateprec" },
  { LAYOUT_UCDP, CHRONO_COLUMN_LAT, "latitude" },
  { LAYOUT_UCDP, CHRONO_COLUMN_LON, "longitude" },
  { LAYOUT_UCDP, CHRONO_COLUMN_TITLE, "dyadname" },
  { LAYOUT_UCDP, COL_ID, "id" },
  { LAYOUT_UCDP, CHRONO_COLUMN_CATEGORY, "typeofviolence" },
  { LAYOUT_UCDP, CHRONO_COLUMN_PLACE, "wherecoordinates" },
  { LAYOUT_UCDP, CHRONO_COLUMN_SOURCE, "sourcearticle" },
  { LAYOUT_UCDP, CHRONO_COLUMN_DESCRIPTION, "sourceheadline" },
  { LAYOUT_UCDP, COL_DEATHS, "best" },
};

/* How many of a layout's first headers must be there */
static const guint layout_required[] = {
  [LAYOUT_GENERIC] = 0,
  [LAYOUT_TIMELINEJS] = 3,
  [LAYOUT_ACLED] = 5,
  [LAYOUT_UCDP] = 5,
};

typedef struct
{
  int         col;
  const char *key;
  guint       flags;
} Alias;

enum
{
  ALIAS_WEAK = 1 << 0,          /* a date column only when nothing else dates the rows */
  ALIAS_CHECK_VALUES = 1 << 1,  /* a point column only when its values are points */
  ALIAS_LON_FIRST = 1 << 2,     /* "lon lat" rather than "lat lon" */
  ALIAS_PAIRED = 1 << 3,        /* x and y: only the two together */
};

/* Headers of each role, the best first. */
static const Alias aliases[] = {
  { COL_ID, "id", 0 }, { COL_ID, "eventid", 0 }, { COL_ID, "uid", 0 }, { COL_ID, "uniqueid", 0 },
  { COL_ID, "identifier", 0 },

  { CHRONO_COLUMN_START, "start", 0 }, { CHRONO_COLUMN_START, "startdate", 0 },
  { CHRONO_COLUMN_START, "datestart", 0 }, { CHRONO_COLUMN_START, "begin", 0 },
  { CHRONO_COLUMN_START, "begindate", 0 }, { CHRONO_COLUMN_START, "datebegin", 0 },
  { CHRONO_COLUMN_START, "from", 0 }, { CHRONO_COLUMN_START, "datefrom", 0 },
  { CHRONO_COLUMN_START, "fromdate", 0 }, { CHRONO_COLUMN_START, "startdatetime", 0 },

  { CHRONO_COLUMN_END, "end", 0 }, { CHRONO_COLUMN_END, "enddate", 0 }, { CHRONO_COLUMN_END, "dateend", 0 },
  { CHRONO_COLUMN_END, "to", 0 }, { CHRONO_COLUMN_END, "dateto", 0 }, { CHRONO_COLUMN_END, "todate", 0 },
  { CHRONO_COLUMN_END, "until", 0 }, { CHRONO_COLUMN_END, "finish", 0 },
  { CHRONO_COLUMN_END, "enddatetime", 0 },

  { CHRONO_COLUMN_DATE, "date", 0 }, { CHRONO_COLUMN_DATE, "eventdate", 0 },
  { CHRONO_COLUMN_DATE, "datetime", 0 }, { CHRONO_COLUMN_DATE, "dateofevent", 0 },
  { CHRONO_COLUMN_DATE, "when", 0 }, { CHRONO_COLUMN_DATE, "occurred", 0 },
  { CHRONO_COLUMN_DATE, "timestamp", ALIAS_WEAK }, { CHRONO_COLUMN_DATE, "time", ALIAS_WEAK },

  { CHRONO_COLUMN_YEAR, "year", 0 }, { CHRONO_COLUMN_YEAR, "startyear", 0 },
  { CHRONO_COLUMN_YEAR, "yearstart", 0 }, { CHRONO_COLUMN_YEAR, "yearfrom", 0 },
  { CHRONO_COLUMN_MONTH, "month", 0 }, { CHRONO_COLUMN_MONTH, "startmonth", 0 },
  { CHRONO_COLUMN_MONTH, "monthstart", 0 },
  { CHRONO_COLUMN_DAY, "day", 0 }, { CHRONO_COLUMN_DAY, "startday", 0 }, { CHRONO_COLUMN_DAY, "daystart", 0 },
  { COL_END_YEAR, "endyear", 0 }, { COL_END_YEAR, "yearend", 0 }, { COL_END_YEAR, "yearto", 0 },
  { COL_END_MONTH, "endmonth", 0 }, { COL_END_MONTH, "monthend", 0 },
  { COL_END_DAY, "endday", 0 }, { COL_END_DAY, "dayend", 0 },
  { COL_TIME, "time", 0 }, { COL_TIME, "starttime", 0 },
  { COL_END_TIME, "endtime", 0 },

  { CHRONO_COLUMN_LAT, "lat", 0 }, { CHRONO_COLUMN_LAT, "latitude", 0 },
  { CHRONO_COLUMN_LAT, "decimallatitude", 0 }, { CHRONO_COLUMN_LAT, "latdd", 0 },
  { CHRONO_COLUMN_LAT, "y", ALIAS_PAIRED },
  { CHRONO_COLUMN_LON, "lon", 0 }, { CHRONO_COLUMN_LON, "lng", 0 }, { CHRONO_COLUMN_LON, "long", 0 },
  { CHRONO_COLUMN_LON, "longitude", 0 }, { CHRONO_COLUMN_LON, "decimallongitude", 0 },
  { CHRONO_COLUMN_LON, "londd", 0 }, { CHRONO_COLUMN_LON, "x", ALIAS_PAIRED },

  { CHRONO_COLUMN_POINT, "wkt", 0 }, { CHRONO_COLUMN_POINT, "geowkt", 0 },
  { CHRONO_COLUMN_POINT, "geomwkt", 0 }, { CHRONO_COLUMN_POINT, "geometry", 0 },
  { CHRONO_COLUMN_POINT, "geom", 0 }, { CHRONO_COLUMN_POINT, "thegeom", 0 },
  { CHRONO_COLUMN_POINT, "point", 0 },
  { CHRONO_COLUMN_POINT, "coordinates", ALIAS_CHECK_VALUES }, { CHRONO_COLUMN_POINT, "coords", ALIAS_CHECK_VALUES },
  { CHRONO_COLUMN_POINT, "latlon", ALIAS_CHECK_VALUES }, { CHRONO_COLUMN_POINT, "latlong", ALIAS_CHECK_VALUES },
  { CHRONO_COLUMN_POINT, "latlng", ALIAS_CHECK_VALUES }, { CHRONO_COLUMN_POINT, "lat/lon", ALIAS_CHECK_VALUES },
  { CHRONO_COLUMN_POINT, "lat/long", ALIAS_CHECK_VALUES }, { CHRONO_COLUMN_POINT, "lat,lon", ALIAS_CHECK_VALUES },
  { CHRONO_COLUMN_POINT, "lonlat", ALIAS_CHECK_VALUES | ALIAS_LON_FIRST },
  { CHRONO_COLUMN_POINT, "lnglat", ALIAS_CHECK_VALUES | ALIAS_LON_FIRST },
  { CHRONO_COLUMN_POINT, "position", ALIAS_CHECK_VALUES }, { CHRONO_COLUMN_POINT, "geo", ALIAS_CHECK_VALUES },
  { CHRONO_COLUMN_POINT, "location", ALIAS_CHECK_VALUES },

  { CHRONO_COLUMN_TITLE, "title", 0 }, { CHRONO_COLUMN_TITLE, "headline", 0 },
  { CHRONO_COLUMN_TITLE, "name", 0 }, { CHRONO_COLUMN_TITLE, "event", 0 },
  { CHRONO_COLUMN_TITLE, "eventname", 0 }, { CHRONO_COLUMN_TITLE, "eventtitle", 0 },
  { CHRONO_COLUMN_TITLE, "label", 0 }, { CHRONO_COLUMN_TITLE, "subject", 0 },
  { CHRONO_COLUMN_TITLE, "what", 0 }, { CHRONO_COLUMN_TITLE, "eventtype", 0 },

  { CHRONO_COLUMN_DESCRIPTION, "description", 0 }, { CHRONO_COLUMN_DESCRIPTION, "notes", 0 },
  { CHRONO_COLUMN_DESCRIPTION, "note", 0 }, { CHRONO_COLUMN_DESCRIPTION, "text", 0 },
  { CHRONO_COLUMN_DESCRIPTION, "summary", 0 }, { CHRONO_COLUMN_DESCRIPTION, "details", 0 },
  { CHRONO_COLUMN_DESCRIPTION, "desc", 0 }, { CHRONO_COLUMN_DESCRIPTION, "body", 0 },
  { CHRONO_COLUMN_DESCRIPTION, "comment", 0 }, { CHRONO_COLUMN_DESCRIPTION, "comments", 0 },

  { COL_EXCERPT, "excerpt", 0 }, { COL_EXCERPT, "quote", 0 }, { COL_EXCERPT, "quotation", 0 },

  { CHRONO_COLUMN_URL, "url", 0 }, { CHRONO_COLUMN_URL, "link", 0 }, { CHRONO_COLUMN_URL, "sourceurl", 0 },
  { CHRONO_COLUMN_URL, "sourcelink", 0 }, { CHRONO_COLUMN_URL, "href", 0 }, { CHRONO_COLUMN_URL, "uri", 0 },
  { CHRONO_COLUMN_URL, "website", 0 },

  { CHRONO_COLUMN_SOURCE, "source", 0 }, { CHRONO_COLUMN_SOURCE, "sources", 0 },
  { CHRONO_COLUMN_SOURCE, "sourceoriginal", 0 }, { CHRONO_COLUMN_SOURCE, "sourcearticle", 0 },
  { CHRONO_COLUMN_SOURCE, "sourcename", 0 }, { CHRONO_COLUMN_SOURCE, "citation", 0 },
  { CHRONO_COLUMN_SOURCE, "reference", 0 }, { CHRONO_COLUMN_SOURCE, "references", 0 },

  { CHRONO_COLUMN_PLACE, "place", 0 }, { CHRONO_COLUMN_PLACE, "placename", 0 },
  { CHRONO_COLUMN_PLACE, "location", 0 }, { CHRONO_COLUMN_PLACE, "locationname", 0 },
  { CHRONO_COLUMN_PLACE, "site", 0 }, { CHRONO_COLUMN_PLACE, "city", 0 }, { CHRONO_COLUMN_PLACE, "town", 0 },
  { CHRONO_COLUMN_PLACE, "village", 0 }, { CHRONO_COLUMN_PLACE, "locality", 0 },
  { CHRONO_COLUMN_PLACE, "where", 0 }, { CHRONO_COLUMN_PLACE, "address", 0 },
  { CHRONO_COLUMN_PLACE, "admin3", 0 }, { CHRONO_COLUMN_PLACE, "admin2", 0 },
  { CHRONO_COLUMN_PLACE, "admin1", 0 },

  { CHRONO_COLUMN_CATEGORY, "category", 0 }, { CHRONO_COLUMN_CATEGORY, "type", 0 },
  { CHRONO_COLUMN_CATEGORY, "group", 0 }, { CHRONO_COLUMN_CATEGORY, "eventtype", 0 },
  { CHRONO_COLUMN_CATEGORY, "kind", 0 }, { CHRONO_COLUMN_CATEGORY, "theme", 0 },
  { CHRONO_COLUMN_CATEGORY, "class", 0 }, { CHRONO_COLUMN_CATEGORY, "categories", 0 },
};

/* The order roles take their columns in: each column has one meaning. */
static const int assign_order[] = {
  COL_ID, CHRONO_COLUMN_START, CHRONO_COLUMN_END, CHRONO_COLUMN_DATE, CHRONO_COLUMN_YEAR,
  CHRONO_COLUMN_MONTH, CHRONO_COLUMN_DAY, COL_END_YEAR, COL_END_MONTH, COL_END_DAY, COL_TIME,
  COL_END_TIME, CHRONO_COLUMN_LAT, CHRONO_COLUMN_LON, CHRONO_COLUMN_POINT, CHRONO_COLUMN_TITLE,
  CHRONO_COLUMN_DESCRIPTION, COL_EXCERPT, CHRONO_COLUMN_URL, CHRONO_COLUMN_SOURCE, CHRONO_COLUMN_PLACE,
  CHRONO_COLUMN_CATEGORY,
};

#define MAX_SAMPLES 64
#define DELIMITER_LINES 20

/* The record reader */

typedef struct
{
  const char *data;
  gsize       len;
  gsize       pos;
  guint       line;          /* physical line at pos, from 1 */
  char        delimiter;
  GString    *buf;           /* the fields of the record, each ended by a NUL */
  GArray     *offsets;       /* gsize: where each field begins in buf */
  gsize       record_pos;
  guint       record_line;   /* the line the record begins on */
  gboolean    unterminated;  /* a quoted field ran to the end of the file */
  gboolean    stop[256];     /* the bytes that end an unquoted field */
} CsvReader;

static void
csv_reader_init (CsvReader  *r,
                 const char *data,
                 gsize       len,
                 char        delimiter)
{
  memset (r, 0, sizeof *r);
  r->data = data;
  r->len = len;
  r->line = 1;
  r->delimiter = delimiter;
  r->buf = g_string_sized_new (4096);
  r->offsets = g_array_sized_new (FALSE, FALSE, sizeof (gsize), 64);
  r->stop[(guchar) delimiter] = TRUE;
  r->stop['\n'] = TRUE;
  r->stop['\r'] = TRUE;
}

static void
csv_reader_clear (CsvReader *r)
{
  g_string_free (r->buf, TRUE);
  g_array_unref (r->offsets);
}

static void
csv_reader_skip_line_end (CsvReader *r)
{
  if (r->pos < r->len && r->data[r->pos] == '\r')
    {
      r->pos++;
      if (r->pos < r->len && r->data[r->pos] == '\n')
        r->pos++;
      r->line++;
    }
  else if (r->pos < r->len && r->data[r->pos] == '\n')
    {
      r->pos++;
      r->line++;
    }
}

/* Reads the next record; FALSE at the end of the text. */
static gboolean
csv_reader_next (CsvReader *r)
{
  const char *d = r->data;
  gsize n = r->len;

  if (r->pos >= n)
    return FALSE;

  g_string_truncate (r->buf, 0);
  g_array_set_size (r->offsets, 0);
  r->record_pos = r->pos;
  r->record_line = r->line;
  r->unterminated = FALSE;

  for (;;)
    {
      gsize field_start = r->buf->len;
      gsize from;

      g_array_append_val (r->offsets, field_start);

      if (r->pos < n && d[r->pos] == '"')
        {
          r->pos++;
          for (;;)
            {
              const char *q;
              gsize to;

              from = r->pos;
              q = memchr (d + from, '"', n - from);
              to = q != NULL ? (gsize) (q - d) : n;
              if (memchr (d + from, '\r', to - from) == NULL)
                {
                  for (gsize i = from; i < to; i++)
                    if (d[i] == '\n')
                      r->line++;
                  g_string_append_len (r->buf, d + from, to - from);
                }
              else
                {
                  /* Line ends inside a field become '\n', whatever the file's */
                  for (gsize i = from; i < to; i++)
                    {
                      if (d[i] == '\r' && i + 1 < to && d[i + 1] == '\n')
                        continue;
                      if (d[i] == '\n' || d[i] == '\r')
                        {
                          r->line++;
                          g_string_append_c (r->buf, '\n');
                        }
                      else
                        g_string_append_c (r->buf, d[i]);
                    }
                }

              if (q == NULL)
                {
                  r->pos = n;
                  r->unterminated = TRUE;
                  break;
                }
              if (to + 1 < n && d[to + 1] == '"')
                {
                  g_string_append_c (r->buf, '"');
                  r->pos = to + 2;
                  continue;
                }
              r->pos = to + 1;
              break;
            }
        }

      /* An unquoted field, or what a sloppy file has after a closing quote */
      from = r->pos;
      while (r->pos < n && !r->stop[(guchar) d[r->pos]])
        r->pos++;
      g_string_append_len (r->buf, d + from, r->pos - from);

      /* Blanks around a field mean nothing: trimmed here, once */
      while (r->buf->len > field_start && g_ascii_isspace (r->buf->str[r->buf->len - 1]))
        r->buf->len--;
      while (field_start < r->buf->len && g_ascii_isspace (r->buf->str[field_start]))
        field_start++;
      g_array_index (r->offsets, gsize, r->offsets->len - 1) = field_start;
      g_string_append_c (r->buf, '\0');

      if (r->pos < n && d[r->pos] == r->delimiter)
        {
          r->pos++;
          continue;
        }

      csv_reader_skip_line_end (r);
      return TRUE;
    }
}

/* After a quote that is never closed: on from the line after the record's first. */
static void
csv_reader_recover (CsvReader *r)
{
  r->pos = r->record_pos;
  r->line = r->record_line;
  while (r->pos < r->len && r->data[r->pos] != '\n' && r->data[r->pos] != '\r')
    r->pos++;
  csv_reader_skip_line_end (r);
}

static guint
csv_reader_n_fields (CsvReader *r)
{
  return r->offsets->len;
}

static const char *
csv_reader_field (CsvReader *r,
                  int        i)
{
  if (i < 0 || (guint) i >= r->offsets->len)
    return "";
  return r->buf->str + g_array_index (r->offsets, gsize, i);
}

static gboolean
csv_reader_is_blank (CsvReader *r)
{
  /* Every field empty: only the NULs that end them */
  return r->buf->len == r->offsets->len;
}

/* The table */

typedef struct
{
  char            *display_name;
  char            *converted;        /* the text, when the file was not UTF-8 */
  const char      *text;
  gsize            len;
  const char      *encoding;
  char             delimiter;

  GPtrArray       *headers;          /* char *, as written, trimmed */
  GPtrArray       *keys;             /* char *, normalized */
  gsize            body_pos;         /* where the first data row begins */
  guint            body_line;
  GPtrArray       *samples;          /* GStrv: the first data rows */

  Layout           layout;
  int              col[N_COLS];
  gboolean         point_lon_first;
  gboolean         timestamp_date;   /* the date column holds Unix times */

  /* From the first pass over the dates */
  ChronoDateOrder  order;
  gboolean         ambiguous;
  gboolean         conflicting;
  int              ambiguous_col;
  guint            ambiguous_line;
  char            *ambiguous_example;
  gint64           century;
} Table;

static void
table_free (Table *t)
{
  if (t == NULL)
    return;

  g_free (t->display_name);
  g_free (t->converted);
  g_clear_pointer (&t->headers, g_ptr_array_unref);
  g_clear_pointer (&t->keys, g_ptr_array_unref);
  g_clear_pointer (&t->samples, g_ptr_array_unref);
  g_free (t->ambiguous_example);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Table, table_free)

static char *
normalize_header (const char *text)
{
  GString *key = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '_' || *p == '-' || *p == '.' || *p == '\t')
        continue;
      g_string_append_c (key, g_ascii_tolower (*p));
    }

  return g_string_free (key, FALSE);
}

static char *
dup_trimmed (const char *text)
{
  return g_strstrip (g_strdup (text));
}

/* Counts each candidate delimiter on the first lines outside quotes and
 * takes the one whose count in the header is the count of most lines. */
static char
detect_delimiter (const char *text,
                  gsize       len,
                  const char *display_name,
                  guint      *out_lines,
                  guint      *out_agreeing)
{
  char candidates[] = { ',', ';', '\t', '|' };
  guint counts[DELIMITER_LINES][G_N_ELEMENTS (candidates)];
  guint current[G_N_ELEMENTS (candidates)] = { 0 };
  guint n_lines = 0;
  gboolean quoted = FALSE, blank = TRUE;
  gsize limit = MIN (len, 64 * 1024);
  char best = ',';
  guint best_agreeing = 0, best_count = 0;

  /* A .tsv file is tab-separated when tabs tell as much as anything else */
  if (display_name != NULL &&
      (g_str_has_suffix (display_name, ".tsv") || g_str_has_suffix (display_name, ".TSV") ||
       g_str_has_suffix (display_name, ".tab")))
    {
      candidates[0] = '\t';
      candidates[2] = ',';
    }

  for (gsize i = 0; i < limit && n_lines < DELIMITER_LINES; i++)
    {
      char c = text[i];

      if (c == '"')
        {
          quoted = !quoted;
          blank = FALSE;
          continue;
        }
      if (quoted)
        continue;
      if (c == '\n' || c == '\r')
        {
          if (!blank)
            memcpy (counts[n_lines++], current, sizeof current);
          memset (current, 0, sizeof current);
          blank = TRUE;
          continue;
        }
      blank = FALSE;
      for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
        if (c == candidates[k])
          current[k]++;
    }
  /* The last line, or the only one of a file without line ends */
  if (!blank && !quoted && n_lines < DELIMITER_LINES && (limit == len || n_lines == 0))
    memcpy (counts[n_lines++], current, sizeof current);

  for (guint k = 0; k < G_N_ELEMENTS (candidates) && n_lines > 0; k++)
    {
      guint header = counts[0][k];
      guint agreeing = 0;

      if (header == 0)
        continue;
      for (guint j = 0; j < n_lines; j++)
        if (counts[j][k] == header)
          agreeing++;
      if (agreeing > best_agreeing || (agreeing == best_agreeing && header > best_count && agreeing < n_lines))
        {
          best = candidates[k];
          best_agreeing = agreeing;
          best_count = header;
        }
    }

  if (out_lines != NULL)
    *out_lines = n_lines;
  if (out_agreeing != NULL)
    *out_agreeing = best_agreeing;
  return best;
}

static gboolean
table_decode (Table       *t,
              GBytes      *bytes,
              GError     **error)
{
  const guchar *data;
  gsize size;

  data = g_bytes_get_data (bytes, &size);
  if (data == NULL || size == 0)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: the file is empty"), t->display_name);
      return FALSE;
    }

  if (size >= 2 && ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff)))
    {
      g_autoptr (GError) local_error = NULL;
      gsize out_len = 0;

      t->converted = g_convert ((const char *) data, size, "UTF-8", "UTF-16", NULL, &out_len, &local_error);
      if (t->converted == NULL)
        {
          g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                       _("%s: not a UTF-16 text: %s"), t->display_name, local_error->message);
          return FALSE;
        }
      t->text = t->converted;
      t->len = out_len;
      if (t->len >= 3 && memcmp (t->text, "\xef\xbb\xbf", 3) == 0)
        {
          t->text += 3;
          t->len -= 3;
        }
      t->encoding = "UTF-16";
    }
  else if (size >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      t->text = (const char *) data + 3;
      t->len = size - 3;
      t->encoding = "UTF-8 with BOM";
    }
  else
    {
      t->text = (const char *) data;
      t->len = size;
      t->encoding = "UTF-8";
    }

  if (memchr (t->text, '\0', t->len) != NULL)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: not a text file (it has NUL bytes)"), t->display_name);
      return FALSE;
    }

  if (!g_utf8_validate_len (t->text, t->len, NULL))
    {
      char *text;
      gsize out_len = 0;

      if (t->converted != NULL || g_str_equal (t->encoding, "UTF-8 with BOM"))
        {
          /* The file says it is Unicode: keep it so, with what is broken marked */
          text = g_utf8_make_valid (t->text, t->len);
          out_len = strlen (text);
        }
      else
        {
          text = g_convert (t->text, t->len, "UTF-8", "WINDOWS-1252", NULL, &out_len, NULL);
          t->encoding = "Windows-1252";
          if (text == NULL)
            {
              /* Bytes Windows-1252 leaves undefined (0x81, 0x8d…): Latin-1 takes any */
              text = g_convert (t->text, t->len, "UTF-8", "ISO-8859-1", NULL, &out_len, NULL);
              t->encoding = "ISO-8859-1";
            }
          if (text == NULL)
            {
              g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                           _("%s: the text is neither UTF-8 nor Windows-1252"), t->display_name);
              return FALSE;
            }
        }
      g_free (t->converted);
      t->converted = text;
      t->text = text;
      t->len = out_len;
    }

  if (t->len == 0)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: the file is empty"), t->display_name);
      return FALSE;
    }

  return TRUE;
}

static GStrv
row_to_strv (CsvReader *r,
             guint      n)
{
  GStrv row = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    row[i] = g_strdup (csv_reader_field (r, i));

  return row;
}

static Table *
table_open (GBytes      *bytes,
            const char  *display_name,
            GError     **error)
{
  g_autoptr (Table) t = g_new0 (Table, 1);
  CsvReader r;
  gboolean found = FALSE;

  t->display_name = g_strdup (display_name);
  t->ambiguous_col = -1;
  for (guint i = 0; i < N_COLS; i++)
    t->col[i] = -1;

  if (!table_decode (t, bytes, error))
    return NULL;

  t->delimiter = detect_delimiter (t->text, t->len, display_name, NULL, NULL);

  csv_reader_init (&r, t->text, t->len, t->delimiter);
  while (csv_reader_next (&r))
    {
      if (r.unterminated)
        {
          g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                       _("%s:%u: the header row opens a quote that is never closed"),
                       t->display_name, r.record_line);
          csv_reader_clear (&r);
          return NULL;
        }
      if (csv_reader_is_blank (&r))
        continue;
      found = TRUE;
      break;
    }

  if (!found)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: the file has only blank lines"), t->display_name);
      csv_reader_clear (&r);
      return NULL;
    }

  t->headers = g_ptr_array_new_with_free_func (g_free);
  t->keys = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < csv_reader_n_fields (&r); i++)
    {
      char *header = g_strdup (csv_reader_field (&r, i));

      g_ptr_array_add (t->headers, header);
      g_ptr_array_add (t->keys, normalize_header (header));
    }
  t->body_pos = r.pos;
  t->body_line = r.line;

  /* The first rows: to check what a column holds, and for previews */
  t->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  while (t->samples->len < MAX_SAMPLES && csv_reader_next (&r))
    {
      if (r.unterminated)
        break;
      if (csv_reader_is_blank (&r))
        continue;
      g_ptr_array_add (t->samples, row_to_strv (&r, t->headers->len));
    }

  csv_reader_clear (&r);
  return g_steal_pointer (&t);
}

static int
find_column (Table          *t,
             const char     *key,
             const gboolean *claimed)
{
  for (guint i = 0; i < t->keys->len; i++)
    if ((claimed == NULL || !claimed[i]) && g_str_equal (t->keys->pdata[i], key))
      return i;
  return -1;
}

static gboolean
has_key (Table      *t,
         const char *key)
{
  return find_column (t, key, NULL) >= 0;
}

/* Numbers and points */

static gboolean
is_missing (const char *text)
{
  if (text[0] == '\0')
    return TRUE;
  if (text[0] != 'n' && text[0] != 'N')
    return FALSE;
  return g_ascii_strcasecmp (text, "NA") == 0 || g_ascii_strcasecmp (text, "N/A") == 0 ||
         g_ascii_strcasecmp (text, "NULL") == 0 || g_ascii_strcasecmp (text, "None") == 0;
}

/* A decimal number, with '.' or one ',' for the decimal mark: "48.85", "48,85", "-1e-3". */
static gboolean
parse_number (const char *text,
              gsize       len,
              double     *out)
{
  char buf[64];
  char *end = NULL;
  gboolean dot = FALSE;

  while (len > 0 && g_ascii_isspace (*text))
    text++, len--;
  while (len > 0 && g_ascii_isspace (text[len - 1]))
    len--;
  if (len == 0 || len >= sizeof buf)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == ',' && !dot)
        c = '.';
      else if (c == ',' || (c == '.' && dot))
        return FALSE;
      if (c == '.')
        dot = TRUE;
      /* No hexadecimal, "nan" or "inf": only what people write */
      if (!g_ascii_isdigit (c) && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E')
        return FALSE;
      buf[i] = c;
    }
  buf[len] = '\0';

  *out = g_ascii_strtod (buf, &end);
  return end == buf + len && isfinite (*out);
}

static gboolean
parse_integer (const char *text,
               gint64     *out)
{
  double value;
  gsize len = strlen (text);

  /* "1815" or "1815.0", as spreadsheet programs write whole numbers */
  if (!parse_number (text, len, &value) || value != floor (value) || fabs (value) > 1e12)
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}

static gboolean
is_on_earth (double lat,
             double lon)
{
  return isfinite (lat) && isfinite (lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
}

typedef enum
{
  POINT_NONE,
  POINT_OK,
  POINT_BAD,        /* says it is a point, but is not one on Earth */
  POINT_NOT_POINT,  /* a line or an area */
} PointResult;

/* "48.85, 2.35", "48.85 2.35", "(48.85; 2.35)", "48,85 2,35" */
static gboolean
parse_pair (const char *text,
            double     *a,
            double     *b)
{
  g_autofree char *copy = dup_trimmed (text);
  gsize len = strlen (copy);
  char *s = copy;
  char *split;

  if (len >= 2 && ((s[0] == '(' && s[len - 1] == ')') || (s[0] == '[' && s[len - 1] == ']')))
    {
      s[len - 1] = '\0';
      s++;
    }

  /* Separated by ',' or ';' with '.' decimals */
  split = strpbrk (s, ",;");
  if (split != NULL && strpbrk (split + 1, ",;") == NULL &&
      parse_number (s, split - s, a) && parse_number (split + 1, strlen (split + 1), b))
    return TRUE;

  /* Separated by blanks, maybe with decimal commas */
  g_strstrip (s);
  split = strpbrk (s, " \t");
  if (split != NULL)
    {
      char *second = split;

      while (*second == ' ' || *second == '\t')
        second++;
      if (strpbrk (second, " \t") == NULL &&
          parse_number (s, split - s, a) && parse_number (second, strlen (second), b))
        return TRUE;
    }

  return FALSE;
}

/* WKT "POINT (lon lat)", "SRID=4326;POINT Z (lon lat z)", or GeoJSON {"type": "Point", …} */
static PointResult
parse_geometry (const char *text,
                double     *lat,
                double     *lon)
{
  const char *p = text;
  const char *semicolon;

  while (g_ascii_isspace (*p))
    p++;

  if (*p == '{')
    {
      const char *coords = strstr (p, "\"coordinates\"");
      const char *open, *close;
      g_autofree char *inner = NULL;
      double x, y;

      if (strstr (p, "\"Point\"") == NULL)
        return POINT_NOT_POINT;
      if (coords == NULL || (open = strchr (coords, '[')) == NULL || (close = strchr (open, ']')) == NULL)
        return POINT_BAD;
      inner = g_strndup (open + 1, close - open - 1);
      /* lon, lat and maybe an altitude: the first two */
      {
        char *comma = strchr (inner, ',');
        char *second = comma != NULL ? strchr (comma + 1, ',') : NULL;

        if (second != NULL)
          *second = '\0';
      }
      if (!parse_pair (inner, &x, &y))
        return POINT_BAD;
      *lon = x;
      *lat = y;
      return POINT_OK;
    }

  if (g_ascii_strncasecmp (p, "SRID=", 5) == 0 && (semicolon = strchr (p, ';')) != NULL)
    p = semicolon + 1;

  if (g_ascii_strncasecmp (p, "POINT", 5) == 0)
    {
      const char *open, *close;
      g_autofree char *inner = NULL;
      g_auto (GStrv) parts = NULL;
      guint n = 0;

      p += 5;
      while (g_ascii_isspace (*p))
        p++;
      if (g_ascii_strncasecmp (p, "EMPTY", 5) == 0)
        return POINT_NONE;
      if (g_ascii_strncasecmp (p, "ZM", 2) == 0)
        p += 2;
      else if (*p == 'Z' || *p == 'z' || *p == 'M' || *p == 'm')
        p++;
      while (g_ascii_isspace (*p))
        p++;
      open = p;
      close = strchr (p, ')');
      if (*open != '(' || close == NULL)
        return POINT_BAD;
      inner = g_strndup (open + 1, close - open - 1);
      parts = g_strsplit_set (g_strstrip (inner), " \t", -1);
      {
        double values[2];

        for (guint i = 0; parts[i] != NULL; i++)
          {
            if (parts[i][0] == '\0')
              continue;
            if (n < 2 && !parse_number (parts[i], strlen (parts[i]), &values[n]))
              return POINT_BAD;
            n++;
          }
        if (n < 2 || n > 4)
          return POINT_BAD;
        *lon = values[0];
        *lat = values[1];
      }
      return POINT_OK;
    }

  {
    static const char * const others[] = {
      "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION",
    };

    for (guint i = 0; i < G_N_ELEMENTS (others); i++)
      if (g_ascii_strncasecmp (p, others[i], strlen (others[i])) == 0)
        return POINT_NOT_POINT;
  }

  return POINT_BAD;
}

static PointResult
parse_point_field (const char *text,
                   gboolean    lon_first,
                   double     *lat,
                   double     *lon)
{
  double a, b;

  if (is_missing (text))
    return POINT_NONE;

  if (parse_pair (text, &a, &b))
    {
      *lat = lon_first ? b : a;
      *lon = lon_first ? a : b;
      return POINT_OK;
    }

  return parse_geometry (text, lat, lon);
}

/* Columns */

static void
claim (Table    *t,
       gboolean *claimed,
       int       col,
       int       index)
{
  t->col[col] = index;
  claimed[index] = TRUE;
}

static void
unclaim (Table    *t,
         gboolean *claimed,
         int       col)
{
  if (t->col[col] >= 0)
    claimed[t->col[col]] = FALSE;
  t->col[col] = -1;
}

/* Whether the samples of a column are points ("48.85 2.35", "POINT (…)") */
static gboolean
samples_are_points (Table    *t,
                    int       index,
                    gboolean  lon_first)
{
  guint points = 0, others = 0;

  for (guint i = 0; i < t->samples->len; i++)
    {
      GStrv row = t->samples->pdata[i];
      const char *text = row[index];
      double lat, lon;

      if (is_missing (text))
        continue;
      if (parse_point_field (text, lon_first, &lat, &lon) == POINT_OK)
        points++;
      else
        others++;
    }

  return points > 0 && others == 0;
}

static Layout
detect_layout (Table *t)
{
  for (Layout layout = LAYOUT_TIMELINEJS; layout <= LAYOUT_UCDP; layout++)
    {
      guint n = 0, found = 0;

      for (guint i = 0; i < G_N_ELEMENTS (layout_columns); i++)
        if (layout_columns[i].layout == layout && n++ < layout_required[layout])
          found += has_key (t, layout_columns[i].key);
      if (found == layout_required[layout])
        return layout;
    }

  return LAYOUT_GENERIC;
}

static void
assign_generic (Table    *t,
                gboolean *claimed)
{
  for (guint o = 0; o < G_N_ELEMENTS (assign_order); o++)
    {
      int col = assign_order[o];

      if (t->col[col] >= 0)
        continue;

      /* One way of dating the rows: start/end, else one date, else year/month/day */
      if (col == CHRONO_COLUMN_DATE && t->col[CHRONO_COLUMN_START] >= 0)
        continue;
      if ((col == CHRONO_COLUMN_YEAR || col == CHRONO_COLUMN_MONTH || col == CHRONO_COLUMN_DAY) &&
          (t->col[CHRONO_COLUMN_START] >= 0 || t->col[CHRONO_COLUMN_DATE] >= 0))
        continue;
      if ((col == CHRONO_COLUMN_MONTH || col == CHRONO_COLUMN_DAY || col == COL_END_YEAR ||
           col == COL_END_MONTH || col == COL_END_DAY) && t->col[CHRONO_COLUMN_YEAR] < 0)
        continue;
      if (col == CHRONO_COLUMN_POINT && t->col[CHRONO_COLUMN_LAT] >= 0)
        continue;

      for (guint i = 0; i < G_N_ELEMENTS (aliases) && t->col[col] < 0; i++)
        {
          int index;

          if (aliases[i].col != col)
            continue;
          /* "time" and "timestamp" date the rows only when nothing else does */
          if ((aliases[i].flags & ALIAS_WEAK) &&
              (has_key (t, "year") || has_key (t, "startyear") || t->col[CHRONO_COLUMN_YEAR] >= 0))
            continue;
          index = find_column (t, aliases[i].key, claimed);
          if (index < 0)
            continue;
          if ((aliases[i].flags & ALIAS_CHECK_VALUES) &&
              !samples_are_points (t, index, (aliases[i].flags & ALIAS_LON_FIRST) != 0))
            continue;
          if (aliases[i].flags & ALIAS_PAIRED)
            {
              const char *other = col == CHRONO_COLUMN_LAT ? "x" : "y";

              if (!has_key (t, other))
                continue;
            }
          claim (t, claimed, col, index);
          if (col == CHRONO_COLUMN_POINT)
            t->point_lon_first = (aliases[i].flags & ALIAS_LON_FIRST) != 0;
        }

      /* A latitude is nothing without its longitude */
      if (col == CHRONO_COLUMN_LON && (t->col[CHRONO_COLUMN_LAT] < 0 || t->col[CHRONO_COLUMN_LON] < 0))
        {
          unclaim (t, claimed, CHRONO_COLUMN_LAT);
          unclaim (t, claimed, CHRONO_COLUMN_LON);
        }
    }
}

static gboolean
table_assign (Table                      *t,
              const ChronoImportOptions  *options,
              GError                    **error)
{
  g_autofree gboolean *claimed = g_new0 (gboolean, MAX (t->keys->len, 1));
  gboolean given[CHRONO_COLUMN_N_ROLES] = { FALSE };

  t->layout = detect_layout (t);
  if (t->layout != LAYOUT_GENERIC)
    for (guint i = 0; i < G_N_ELEMENTS (layout_columns); i++)
      if (layout_columns[i].layout == t->layout && t->col[layout_columns[i].col] < 0)
        {
          int index = find_column (t, layout_columns[i].key, claimed);

          if (index >= 0)
            claim (t, claimed, layout_columns[i].col, index);
        }

  assign_generic (t, claimed);

  /* Columns given by hand win over what was found */
  for (int role = 0; options != NULL && role < CHRONO_COLUMN_N_ROLES; role++)
    {
      g_autofree char *key = NULL;
      int index;

      if (options->columns[role] == NULL)
        continue;

      key = normalize_header (options->columns[role]);
      index = find_column (t, key, NULL);
      if (index < 0)
        {
          g_autoptr (GString) names = g_string_new (NULL);

          for (guint i = 0; i < t->headers->len; i++)
            g_string_append_printf (names, "%s“%s”", i > 0 ? ", " : "", (char *) t->headers->pdata[i]);
          g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                       /* Translators: the second %s is a column, then the list of the file's columns */
                       _("%s: no column “%s” for the %s (the columns are %s)"),
                       t->display_name, options->columns[role], chrono_column_role_to_string (role),
                       names->str);
          return FALSE;
        }

      /* The column means this now, and nothing else */
      for (int other = 0; other < N_COLS; other++)
        if (t->col[other] == index)
          t->col[other] = -1;
      t->col[role] = index;
      given[role] = TRUE;
    }

  /* A way of dating given by hand replaces the one found */
  if (given[CHRONO_COLUMN_DATE] || given[CHRONO_COLUMN_START])
    {
      static const int parts[] = {
        CHRONO_COLUMN_YEAR, CHRONO_COLUMN_MONTH, CHRONO_COLUMN_DAY, COL_END_YEAR, COL_END_MONTH, COL_END_DAY,
      };

      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        if (parts[i] >= CHRONO_COLUMN_N_ROLES || !given[parts[i]])
          t->col[parts[i]] = -1;
      if (!given[CHRONO_COLUMN_START])
        t->col[CHRONO_COLUMN_START] = -1;
    }
  else if (given[CHRONO_COLUMN_YEAR])
    {
      t->col[CHRONO_COLUMN_START] = -1;
      t->col[CHRONO_COLUMN_DATE] = -1;
      if (!given[CHRONO_COLUMN_END])
        t->col[CHRONO_COLUMN_END] = -1;
    }
  if ((given[CHRONO_COLUMN_LAT] || given[CHRONO_COLUMN_LON]) && !given[CHRONO_COLUMN_POINT])
    t->col[CHRONO_COLUMN_POINT] = -1;
  if (given[CHRONO_COLUMN_POINT] && !given[CHRONO_COLUMN_LAT] && !given[CHRONO_COLUMN_LON])
    t->col[CHRONO_COLUMN_LAT] = t->col[CHRONO_COLUMN_LON] = -1;
  if (given[CHRONO_COLUMN_POINT])
    t->point_lon_first = FALSE;

  /* A date column of Unix times */
  {
    int date = t->col[CHRONO_COLUMN_START] >= 0 ? t->col[CHRONO_COLUMN_START] : t->col[CHRONO_COLUMN_DATE];

    if (date >= 0)
      {
        const char *key = t->keys->pdata[date];

        t->timestamp_date = g_str_equal (key, "timestamp") || g_str_equal (key, "unixtime") ||
                            g_str_equal (key, "epoch") || g_str_equal (key, "unixtimestamp");
      }
  }

  return TRUE;
}

/* Dates */

/* The columns of dates as text: the start (or date) and the end */
static guint
date_text_columns (Table *t,
                   int    out[2])
{
  guint n = 0;

  if (t->col[CHRONO_COLUMN_START] >= 0)
    out[n++] = t->col[CHRONO_COLUMN_START];
  else if (t->col[CHRONO_COLUMN_DATE] >= 0)
    out[n++] = t->col[CHRONO_COLUMN_DATE];
  if (t->col[CHRONO_COLUMN_END] >= 0 && (n == 0 || t->col[CHRONO_COLUMN_END] != out[0]))
    out[n++] = t->col[CHRONO_COLUMN_END];

  return n;
}

/* Counts the four-digit years of @text by century. */
static void
count_centuries (const char *text,
                 guint      *centuries)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;

      if (!g_ascii_isdigit (*p))
        {
          p++;
          continue;
        }
      start = p;
      while (g_ascii_isdigit (*p))
        p++;
      if (p - start == 4)
        centuries[(start[0] - '0') * 10 + (start[1] - '0')]++;
    }
}

/* The first pass: reads the date columns of every row for the order of day
 * and month and the century of two-digit years. */
static gboolean
table_scan_dates (Table         *t,
                  ChronoImport  *import,
                  GError       **error)
{
  int cols[2];
  guint n_cols = date_text_columns (t, cols);
  gboolean day_first = FALSE, month_first = FALSE;
  guint centuries[100] = { 0 };
  guint best = 0;
  CsvReader r;

  t->order = CHRONO_DATE_ORDER_UNKNOWN;
  t->century = 0;
  if (n_cols == 0)
    return TRUE;

  csv_reader_init (&r, t->text, t->len, t->delimiter);
  r.pos = t->body_pos;
  r.line = t->body_line;
  while (csv_reader_next (&r))
    {
      if (import != NULL && !chrono_import_progress (import, r.pos / 10, t->len + t->len / 10, error))
        {
          csv_reader_clear (&r);
          return FALSE;
        }
      if (r.unterminated)
        {
          csv_reader_recover (&r);
          continue;
        }

      for (guint c = 0; c < n_cols; c++)
        {
          const char *text = csv_reader_field (&r, cols[c]);
          gboolean ambiguous = FALSE;
          ChronoDateOrder order;

          while (*text == ' ')
            text++;
          if (*text == '\0')
            continue;
          count_centuries (text, centuries);
          order = chrono_import_guess_date_order (&text, 1, &ambiguous);
          if (order == CHRONO_DATE_ORDER_DMY)
            day_first = TRUE;
          else if (order == CHRONO_DATE_ORDER_MDY)
            month_first = TRUE;
          else if (ambiguous && t->ambiguous_col < 0)
            {
              t->ambiguous_col = cols[c];
              t->ambiguous_line = r.record_line;
              t->ambiguous_example = g_utf8_make_valid (text, MIN (strlen (text), 40));
            }
        }
    }
  csv_reader_clear (&r);

  if (day_first && !month_first)
    t->order = CHRONO_DATE_ORDER_DMY;
  else if (month_first && !day_first)
    t->order = CHRONO_DATE_ORDER_MDY;
  t->conflicting = day_first && month_first;
  t->ambiguous = t->conflicting || (!day_first && !month_first && t->ambiguous_col >= 0);

  for (guint i = 0; i < G_N_ELEMENTS (centuries); i++)
    if (centuries[i] > best || (centuries[i] == best && best > 0))
      {
        best = centuries[i];
        t->century = (gint64) i * 100;
      }

  return TRUE;
}

static Table *
table_prepare (GBytes                     *bytes,
               const char                 *display_name,
               const ChronoImportOptions  *options,
               ChronoImport               *import,
               GError                    **error)
{
  g_autoptr (Table) t = table_open (bytes, display_name, error);

  if (t == NULL || !table_assign (t, options, error) || !table_scan_dates (t, import, error))
    return NULL;

  return g_steal_pointer (&t);
}

/* Reading rows */

typedef struct
{
  ChronoImport    *import;
  Table           *table;
  ChronoDateHints  hints;
  gboolean         has_sources;
  guint            two_digit_line;
  guint            time_line;
  guint            ragged_rows;
  guint            ragged_line;
  guint            ragged_fields;
  guint            not_point_rows;
} ReadContext;

static gboolean
looks_like_html (const char *text)
{
  return strchr (text, '<') != NULL &&
         (strstr (text, "</") != NULL || strstr (text, "<br") != NULL || strstr (text, "<p>") != NULL ||
          strstr (text, "/>") != NULL);
}

static char *
plain_text (ReadContext *ctx,
            const char  *text)
{
  if (text[0] == '\0')
    return NULL;
  if (ctx->table->layout == LAYOUT_TIMELINEJS || looks_like_html (text))
    return chrono_import_text_from_html (text);
  return g_strdup (text);
}

static gboolean
is_open_end (const char *text)
{
  return g_str_equal (text, "..") || g_ascii_strcasecmp (text, "present") == 0 ||
         g_ascii_strcasecmp (text, "ongoing") == 0;
}

static gboolean
digits (const char *text,
        guint       n)
{
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

/* "YYYY-MM-DD", "YYYY-MM" or "YYYY": EDTF already, and what most tables
 * hold, so read without the general parser; NULL for anything else. */
static char *
read_iso_date (const char *text)
{
  gsize len = strlen (text);

  if (len == 10 && digits (text, 4) && text[4] == '-' && digits (text + 5, 2) && text[7] == '-' &&
      digits (text + 8, 2) &&
      chrono_day_is_valid_ymd (g_ascii_strtoll (text, NULL, 10), (text[5] - '0') * 10 + text[6] - '0',
                               (text[8] - '0') * 10 + text[9] - '0'))
    return g_strndup (text, len);
  if (len == 7 && digits (text, 4) && text[4] == '-' && digits (text + 5, 2) &&
      text[5] <= '1' && (text[5] == '1' ? text[6] <= '2' : text[6] >= '1'))
    return g_strndup (text, len);
  if (len == 4 && digits (text, 4))
    return g_strndup (text, len);

  return NULL;
}

/* A date as text, with a range such as "1914-1918" or "1914 – 1918" in one field */
static char *
read_date_text (ReadContext  *ctx,
                const char   *text,
                gboolean      timestamps,
                char        **out_end,
                GError      **error)
{
  static const char * const dashes[] = { " – ", "–", " — ", "—", " - ", " to " };
  gint64 seconds;
  char *edtf;

  if (timestamps && parse_integer (text, &seconds) && strlen (text) >= 9)
    return chrono_import_date_from_unix (strlen (text) >= 13 ? seconds / 1000 : seconds);

  edtf = read_iso_date (text);
  if (edtf != NULL)
    return edtf;

  if (out_end != NULL)
    {
      /* 1914-1918 */
      if (strlen (text) == 9 && text[4] == '-' && g_ascii_isdigit (text[0]) && g_ascii_isdigit (text[3]) &&
          g_ascii_isdigit (text[5]) && g_ascii_isdigit (text[8]))
        {
          g_autofree char *first = g_strndup (text, 4);
          char *a = chrono_import_date_from_text (first, &ctx->hints, NULL);

          if (a != NULL)
            {
              *out_end = chrono_import_date_from_text (text + 5, &ctx->hints, NULL);
              if (*out_end != NULL)
                return a;
              g_free (a);
            }
        }

      for (guint i = 0; i < G_N_ELEMENTS (dashes); i++)
        {
          const char *dash = strstr (text, dashes[i]);
          g_autofree char *first = NULL;
          char *a;

          if (dash == NULL || dash == text)
            continue;
          first = g_strndup (text, dash - text);
          a = chrono_import_date_from_text (first, &ctx->hints, NULL);
          if (a == NULL)
            continue;
          *out_end = chrono_import_date_from_text (dash + strlen (dashes[i]), &ctx->hints, NULL);
          if (*out_end != NULL)
            return a;
          g_free (a);
        }
    }

  edtf = chrono_import_date_from_text (text, &ctx->hints, error);

  /* An EDTF interval "1914/1918" in one date column: its start and end */
  if (edtf != NULL && out_end != NULL && edtf[0] != '[' && edtf[0] != '{')
    {
      char *slash = strchr (edtf, '/');

      if (slash != NULL && slash != edtf && !g_str_has_prefix (edtf, "../"))
        {
          *out_end = g_strdup (slash[1] != '\0' ? slash + 1 : "..");
          *slash = '\0';
        }
    }

  return edtf;
}

/* Month or day as a number: 0 when unknown (empty, 0 or -1) */
static gboolean
read_part (const char *text,
           int        *out)
{
  gint64 value;

  if (is_missing (text))
    {
      *out = 0;
      return TRUE;
    }
  if (!parse_integer (text, &value) || value < -1 || value > 99)
    return FALSE;
  *out = value < 0 ? 0 : (int) value;
  return TRUE;
}

/* A date from year, month and day columns; NULL with @why set when they make none. */
static char *
read_date_parts (ReadContext  *ctx,
                 const char   *year_text,
                 const char   *month_text,
                 const char   *day_text,
                 char        **why)
{
  gint64 year;
  int month = 0, day = 0;
  char *edtf;

  if (!parse_integer (year_text, &year))
    {
      g_autoptr (GError) error = NULL;

      /* "500 BC" or "c. 1500" in a year column, when nothing finer is given */
      if (read_part (month_text, &month) && month == 0 &&
          (edtf = chrono_import_date_from_text (year_text, &ctx->hints, &error)) != NULL)
        return edtf;
      *why = g_strdup_printf (_("the year “%s” is not a number"), year_text);
      return NULL;
    }

  if (!read_part (month_text, &month))
    {
      /* A month by its name: "December" */
      g_autofree char *probe = g_strdup_printf ("%s 2000", month_text);
      g_autofree char *parsed = chrono_import_date_from_text (probe, NULL, NULL);

      if (parsed == NULL || strlen (parsed) != 7)
        {
          *why = g_strdup_printf (_("the month “%s” is not a month"), month_text);
          return NULL;
        }
      month = (parsed[5] - '0') * 10 + (parsed[6] - '0');
    }
  if (!read_part (day_text, &day))
    {
      *why = g_strdup_printf (_("the day “%s” is not a number"), day_text);
      return NULL;
    }
  if (month > 12)
    {
      *why = g_strdup_printf (_("the month %d is not between 1 and 12"), month);
      return NULL;
    }
  /* A day without its month says nothing */
  if (month == 0)
    day = 0;

  /* TimelineJS shows a negative year -Y as "Y BCE", so that is what its
   * sheets mean: -500 is 500 BCE, astronomical year -499 (deep time apart,
   * shown as "years ago") */
  if (ctx->table->layout == LAYOUT_TIMELINEJS && year < 0 && year >= -9999)
    year += 1;

  edtf = chrono_import_date_from_parts (year, month, day);
  if (edtf == NULL)
    *why = g_strdup_printf (_("%lld-%02d-%02d is not a day of the calendar"), (long long) year, month, day);

  return edtf;
}

/* A plain day "YYYY-MM-DD" */
static gboolean
is_plain_day (const char *edtf)
{
  return edtf != NULL && strlen (edtf) == 10 && g_ascii_isdigit (edtf[0]) && edtf[4] == '-' && edtf[7] == '-';
}

static char *
approximate (char *edtf)
{
  char *result;

  if (!is_plain_day (edtf))
    return edtf;
  result = g_strconcat (edtf, "~", NULL);
  g_free (edtf);
  return result;
}

/* ACLED time_precision and UCDP date_prec as EDTF */
static void
apply_precision (ReadContext  *ctx,
                 CsvReader    *r,
                 char        **start,
                 char        **end)
{
  gint64 precision;

  if (!parse_integer (csv_reader_field (r, ctx->table->col[COL_PRECISION]), &precision))
    return;

  if (ctx->table->layout == LAYOUT_ACLED)
    {
      /* 1: the day; 2: within a week or so; 3: only the month */
      if (precision == 2)
        *start = approximate (*start);
      else if (precision == 3 && is_plain_day (*start))
        (*start)[7] = '\0';
    }
  else if (ctx->table->layout == LAYOUT_UCDP)
    {
      gboolean same = *end == NULL || g_strcmp0 (*start, *end) == 0;

      /* 1: the day; 2-3: within days or a week; 4: the month; 5: the range given */
      if (same)
        g_clear_pointer (end, g_free);
      if (precision == 2 || precision == 3)
        {
          *start = approximate (*start);
          if (*end != NULL)
            *end = approximate (*end);
        }
      else if (precision == 4 && is_plain_day (*start) &&
               (*end == NULL || (is_plain_day (*end) && strncmp (*start, *end, 7) == 0)))
        {
          (*start)[7] = '\0';
          g_clear_pointer (end, g_free);
        }
    }
}

/* The dates of a row; FALSE when it is skipped (and the problem told). */
static gboolean
read_row_dates (ReadContext  *ctx,
                CsvReader    *r,
                char        **out_start,
                char        **out_end)
{
  Table *t = ctx->table;
  guint line = r->record_line;
  g_autoptr (GError) error = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  ctx->hints.two_digit_year = FALSE;

  if (t->col[CHRONO_COLUMN_START] >= 0 || t->col[CHRONO_COLUMN_DATE] >= 0)
    {
      gboolean is_start = t->col[CHRONO_COLUMN_START] >= 0;
      const char *s = csv_reader_field (r, t->col[is_start ? CHRONO_COLUMN_START : CHRONO_COLUMN_DATE]);
      const char *e = csv_reader_field (r, t->col[CHRONO_COLUMN_END]);

      if (s[0] == '\0')
        {
          if (e[0] != '\0')
            chrono_import_skip (ctx->import, line, 0, NULL, _("no start date (only the end “%s”)"), e);
          else
            chrono_import_skip (ctx->import, line, 0, NULL, _("no date"));
          return FALSE;
        }

      start = read_date_text (ctx, s, t->timestamp_date, is_start || e[0] != '\0' ? NULL : &end, &error);
      if (start == NULL)
        {
          chrono_import_skip (ctx->import, line, 0, NULL, "%s", error->message);
          return FALSE;
        }

      if (e[0] != '\0')
        {
          if (is_open_end (e))
            end = g_strdup ("..");
          else if ((end = read_date_text (ctx, e, FALSE, NULL, &error)) == NULL)
            {
              chrono_import_skip (ctx->import, line, 0, NULL, _("end: %s"), error->message);
              return FALSE;
            }
        }
    }
  else if (t->col[CHRONO_COLUMN_YEAR] >= 0)
    {
      const char *y = csv_reader_field (r, t->col[CHRONO_COLUMN_YEAR]);
      const char *m = csv_reader_field (r, t->col[CHRONO_COLUMN_MONTH]);
      const char *d = csv_reader_field (r, t->col[CHRONO_COLUMN_DAY]);
      const char *ey = csv_reader_field (r, t->col[COL_END_YEAR]);
      g_autofree char *why = NULL;

      if (is_missing (y))
        {
          chrono_import_skip (ctx->import, line, 0, NULL, _("no date"));
          return FALSE;
        }
      start = read_date_parts (ctx, y, m, d, &why);
      if (start == NULL)
        {
          chrono_import_skip (ctx->import, line, 0, NULL, "%s", why);
          return FALSE;
        }

      if (!is_missing (ey))
        {
          const char *em = csv_reader_field (r, t->col[COL_END_MONTH]);
          const char *ed = csv_reader_field (r, t->col[COL_END_DAY]);

          end = read_date_parts (ctx, ey, em, ed, &why);
          if (end == NULL)
            {
              chrono_import_skip (ctx->import, line, 0, NULL, _("end: %s"), why);
              return FALSE;
            }
        }
    }
  else
    {
      chrono_import_skip (ctx->import, line, 0, NULL, _("no date"));
      return FALSE;
    }

  if (t->col[COL_PRECISION] >= 0)
    apply_precision (ctx, r, &start, &end);

  if (ctx->hints.two_digit_year && ctx->two_digit_line == 0)
    ctx->two_digit_line = line;

  *out_start = g_steal_pointer (&start);
  *out_end = g_steal_pointer (&end);
  return TRUE;
}

/* The point of a row; POINT_BAD with @why when it is not one on Earth. */
static PointResult
read_row_point (ReadContext  *ctx,
                CsvReader    *r,
                double       *lat,
                double       *lon,
                char        **why)
{
  Table *t = ctx->table;

  if (t->col[CHRONO_COLUMN_LAT] >= 0 && t->col[CHRONO_COLUMN_LON] >= 0)
    {
      const char *lat_text = csv_reader_field (r, t->col[CHRONO_COLUMN_LAT]);
      const char *lon_text = csv_reader_field (r, t->col[CHRONO_COLUMN_LON]);

      if (is_missing (lat_text) && is_missing (lon_text))
        return POINT_NONE;
      if (is_missing (lat_text) || is_missing (lon_text))
        {
          *why = g_strdup_printf (is_missing (lat_text) ? _("a longitude (%s) without a latitude")
                                                        : _("a latitude (%s) without a longitude"),
                                  is_missing (lat_text) ? lon_text : lat_text);
          return POINT_BAD;
        }
      if (!parse_number (lat_text, strlen (lat_text), lat))
        {
          *why = g_strdup_printf (_("the latitude “%s” is not a number"), lat_text);
          return POINT_BAD;
        }
      if (!parse_number (lon_text, strlen (lon_text), lon))
        {
          *why = g_strdup_printf (_("the longitude “%s” is not a number"), lon_text);
          return POINT_BAD;
        }
      if (!is_on_earth (*lat, *lon))
        {
          *why = g_strdup_printf (_("the point (%s, %s) is not a latitude and longitude on Earth"),
                                  lat_text, lon_text);
          return POINT_BAD;
        }
      return POINT_OK;
    }

  if (t->col[CHRONO_COLUMN_POINT] >= 0)
    {
      const char *text = csv_reader_field (r, t->col[CHRONO_COLUMN_POINT]);
      PointResult result = parse_point_field (text, t->point_lon_first, lat, lon);

      if (result == POINT_OK && !is_on_earth (*lat, *lon))
        result = POINT_BAD;
      if (result == POINT_BAD)
        {
          g_autofree char *shown = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, 200), 60));

          *why = g_strdup_printf (_("“%s” is not a point on Earth"), shown);
        }
      return result;
    }

  return POINT_NONE;
}

static char *
acled_title (CsvReader *r,
             Table     *t)
{
  const char *kind = csv_reader_field (r, t->col[CHRONO_COLUMN_TITLE]);
  const char *actor1 = csv_reader_field (r, t->col[COL_ACTOR1]);
  const char *actor2 = csv_reader_field (r, t->col[COL_ACTOR2]);
  GString *title = g_string_new (kind);

  if (title->len == 0)
    g_string_append (title, csv_reader_field (r, t->col[CHRONO_COLUMN_CATEGORY]));
  if (actor1[0] != '\0')
    g_string_append_printf (title, "%s%s", title->len > 0 ? ": " : "", actor1);
  if (actor2[0] != '\0')
    g_string_append_printf (title, "%s%s", title->len > 0 ? " – " : "", actor2);

  return g_string_free (title, title->len == 0);
}

static const char *
ucdp_category (const char *text)
{
  /* UCDP's type_of_violence */
  if (g_str_equal (text, "1"))
    return "state-based conflict";
  if (g_str_equal (text, "2"))
    return "non-state conflict";
  if (g_str_equal (text, "3"))
    return "one-sided violence";
  return text;
}

static gboolean
looks_like_url (const char *text)
{
  return strstr (text, "://") != NULL || g_str_has_prefix (text, "www.");
}

static void
read_row (ReadContext *ctx,
          CsvReader   *r)
{
  Table *t = ctx->table;
  ChronoImport *import = ctx->import;
  guint line = r->record_line;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *title = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *category = NULL;
  g_autofree char *quote = NULL;
  const char *place_name;
  g_autofree char *note = NULL;
  const char *local_id;
  g_autofree char *why = NULL;
  const char *place_id = NULL;
  const char *source_id = NULL;
  ChronoImportExcerpt excerpt = { 0 };
  ChronoImportEvent event = { 0 };
  double lat = 0, lon = 0;
  PointResult point;

  if (csv_reader_n_fields (r) != t->headers->len)
    {
      if (ctx->ragged_rows++ == 0)
        {
          ctx->ragged_line = line;
          ctx->ragged_fields = csv_reader_n_fields (r);
        }
    }

  if (t->layout == LAYOUT_TIMELINEJS)
    {
      const char *type = csv_reader_field (r, t->col[COL_TYPE]);

      if (g_ascii_strcasecmp (type, "title") == 0)
        {
          g_autofree char *headline = plain_text (ctx, csv_reader_field (r, t->col[CHRONO_COLUMN_TITLE]));
          g_autofree char *text = plain_text (ctx, csv_reader_field (r, t->col[CHRONO_COLUMN_DESCRIPTION]));

          chrono_import_set_title (import, headline);
          chrono_import_set_description (import, text);
          return;
        }
      if (g_ascii_strcasecmp (type, "era") == 0)
        category = g_strdup ("era");
    }

  if (ctx->time_line == 0 &&
      (csv_reader_field (r, t->col[COL_TIME])[0] != '\0' || csv_reader_field (r, t->col[COL_END_TIME])[0] != '\0'))
    ctx->time_line = line;

  if (!read_row_dates (ctx, r, &start, &end))
    return;

  point = read_row_point (ctx, r, &lat, &lon, &why);
  if (point == POINT_BAD)
    {
      chrono_import_skip (import, line, 0, NULL, "%s", why);
      return;
    }
  if (point == POINT_NOT_POINT && ctx->not_point_rows++ == 0)
    chrono_import_note (import, line, 0, NULL,
                        _("the geometry is not a point: the event is placed by its place name, if at all"));

  place_name = csv_reader_field (r, t->col[CHRONO_COLUMN_PLACE]);
  if (point == POINT_OK)
    {
      ChronoImportName name = { .name = place_name };
      ChronoImportPlace place = {
        .lat = lat,
        .lon = lon,
        .names = &name,
        .n_names = place_name[0] != '\0' ? 1 : 0,
      };

      place_id = chrono_import_add_place (import, &place, line, NULL);
      if (place_id == NULL)
        return;
    }
  else if (place_name[0] != '\0')
    place_id = chrono_import_find_place_by_name (import, place_name);

  if (t->layout == LAYOUT_ACLED)
    title = acled_title (r, t);
  else
    title = plain_text (ctx, csv_reader_field (r, t->col[CHRONO_COLUMN_TITLE]));
  summary = plain_text (ctx, csv_reader_field (r, t->col[CHRONO_COLUMN_DESCRIPTION]));
  if (category == NULL)
    {
      const char *text = csv_reader_field (r, t->col[CHRONO_COLUMN_CATEGORY]);

      category = g_strdup (t->layout == LAYOUT_UCDP ? ucdp_category (text) : text);
    }

  if (ctx->has_sources)
    {
      const char *source_title = csv_reader_field (r, t->col[CHRONO_COLUMN_SOURCE]);
      const char *url = csv_reader_field (r, t->col[CHRONO_COLUMN_URL]);
      ChronoImportSource source = {
        .title = source_title[0] != '\0' ? source_title : NULL,
        .url = looks_like_url (url) ? url : NULL,
      };

      if (source.title != NULL || source.url != NULL)
        source_id = chrono_import_add_source (import, &source);
    }

  quote = t->col[COL_EXCERPT] >= 0 ? plain_text (ctx, csv_reader_field (r, t->col[COL_EXCERPT]))
                                   : g_strdup (summary);
  excerpt.quote = quote;
  excerpt.source_id = source_id;

  if (t->col[COL_DEATHS] >= 0)
    {
      const char *deaths = csv_reader_field (r, t->col[COL_DEATHS]);

      if (deaths[0] != '\0')
        note = t->layout == LAYOUT_UCDP ? g_strdup_printf (_("Deaths (best estimate): %s"), deaths)
                                        : g_strdup_printf (_("Fatalities: %s"), deaths);
    }

  local_id = csv_reader_field (r, t->col[COL_ID]);

  event.local_id = local_id[0] != '\0' ? local_id : NULL;
  event.start = start;
  event.end = end;
  event.title = title;
  event.summary = summary;
  event.category = category != NULL && category[0] != '\0' ? category : NULL;
  event.note = note;
  event.place_ids = &place_id;
  event.n_places = place_id != NULL ? 1 : 0;
  event.excerpts = &excerpt;
  event.n_excerpts = quote != NULL && quote[0] != '\0' ? 1 : 0;

  chrono_import_add_event (import, &event, line, NULL);
}

static gboolean
table_check_dates (Table                      *t,
                   const ChronoImportOptions  *options,
                   GError                    **error)
{
  if (options != NULL && options->date_order != CHRONO_DATE_ORDER_UNKNOWN)
    {
      t->order = options->date_order;
      return TRUE;
    }

  if (t->ambiguous)
    {
      int col = t->ambiguous_col >= 0 ? t->ambiguous_col : t->col[CHRONO_COLUMN_DATE];

      if (t->conflicting)
        g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_AMBIGUOUS_DATES,
                     _("%s: the dates of the file have the day first in some rows and the month first "
                       "in others; give --date-order=dmy or mdy for the order most of them have"),
                     t->display_name);
      else
        g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_AMBIGUOUS_DATES,
                     _("%s:%u: the dates of the column “%s” (such as “%s”) could be day/month or "
                       "month/day, and none of them tells: give --date-order=dmy or mdy"),
                     t->display_name, t->ambiguous_line,
                     col >= 0 ? (const char *) t->headers->pdata[col] : "",
                     t->ambiguous_example != NULL ? t->ambiguous_example : "");
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_csv (ChronoImport  *import,
          GBytes        *bytes,
          GError       **error)
{
  const ChronoImportOptions *options = chrono_import_get_options (import);
  g_autoptr (Table) t = NULL;
  ReadContext ctx = { 0 };
  CsvReader r;
  gboolean recovered = FALSE;
  guint n_rows = 0;

  t = table_prepare (bytes, chrono_import_get_display_name (import), options, import, error);
  if (t == NULL || !table_check_dates (t, options, error))
    return FALSE;

  ctx.import = import;
  ctx.table = t;
  ctx.hints.order = t->order;
  ctx.hints.century = t->century;
  ctx.has_sources = t->col[CHRONO_COLUMN_SOURCE] >= 0 || t->col[CHRONO_COLUMN_URL] >= 0;

  csv_reader_init (&r, t->text, t->len, t->delimiter);
  r.pos = t->body_pos;
  r.line = t->body_line;
  while (csv_reader_next (&r))
    {
      if (!chrono_import_progress (import, t->len / 10 + r.pos, t->len + t->len / 10, error))
        {
          csv_reader_clear (&r);
          return FALSE;
        }

      if (r.unterminated)
        {
          chrono_import_skip (import, r.record_line, 0, NULL,
                              _("a quote opened in this row is never closed: the row is left out"));
          /* Once: a second such quote would only be found by reading to the end again */
          if (recovered)
            break;
          recovered = TRUE;
          csv_reader_recover (&r);
          continue;
        }

      if (csv_reader_is_blank (&r))
        continue;

      n_rows++;
      read_row (&ctx, &r);
    }
  csv_reader_clear (&r);

  if (n_rows == 0 && !recovered)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_NOTHING,
                   _("%s: the table has a header but no rows"), t->display_name);
      return FALSE;
    }

  if (ctx.two_digit_line > 0)
    {
      if (t->century != 0)
        chrono_import_note (import, ctx.two_digit_line, 0, NULL,
                            _("two-digit years read as %02lldYY, from the file’s other dates"),
                            (long long) (t->century / 100));
      else
        chrono_import_note (import, ctx.two_digit_line, 0, NULL,
                            _("two-digit years read as the nearest to today (up to 80 years back or 20 "
                              "ahead): the file has no four-digit years to go by"));
    }
  if (ctx.time_line > 0)
    chrono_import_note (import, ctx.time_line, 0, NULL,
                        _("times of day are not read: events are dated by the day"));
  if (ctx.ragged_rows > 0)
    chrono_import_note (import, ctx.ragged_line, 0, NULL,
                        _("%u rows do not have as many fields as the header (%u); the first has %u: "
                          "missing fields are read as empty, extra ones are not read"),
                        ctx.ragged_rows, t->headers->len, ctx.ragged_fields);
  if (t->col[CHRONO_COLUMN_START] < 0 && t->col[CHRONO_COLUMN_DATE] < 0 && t->col[CHRONO_COLUMN_YEAR] < 0)
    {
      g_autoptr (GString) names = g_string_new (NULL);

      for (guint i = 0; i < t->headers->len; i++)
        g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", (char *) t->headers->pdata[i]);
      chrono_import_note (import, 0, 0, NULL,
                          _("no column of the table is a date (the columns are %s): name one with "
                            "--columns=date=HEADER"), names->str);
    }

  return TRUE;
}

static int
csv_detect (const char   *basename,
            const guint8 *head,
            gsize         len)
{
  g_autofree char *lower = basename != NULL ? g_ascii_strdown (basename, -1) : NULL;
  gboolean named = lower != NULL &&
                   (g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".tsv") ||
                    g_str_has_suffix (lower, ".tab"));
  gboolean tabular = FALSE;
  gsize i = 0;

  while (i < len && g_ascii_isspace (head[i]))
    i++;
  if (i < len && memchr (head, '\0', len) == NULL && head[i] != '{' && head[i] != '[' && head[i] != '<')
    {
      guint lines = 0, agreeing = 0;

      detect_delimiter ((const char *) head, len, basename, &lines, &agreeing);
      tabular = agreeing >= 2 && agreeing * 4 >= lines * 3;
    }

  if (named && tabular)
    return CHRONO_DETECT_MAYBE + 10;
  if (tabular)
    return CHRONO_DETECT_MAYBE - 10;
  if (named)
    return CHRONO_DETECT_EXTENSION;
  return CHRONO_DETECT_NO;
}

static const char * const csv_patterns[] = { "*.csv", "*.tsv", "*.tab", "*.txt", NULL };
static const char * const csv_mime_types[] = { "text/csv", "text/tab-separated-values", NULL };

const ChronoImportFormat chrono_import_format_csv = {
  .name = "csv",
  .label = N_("CSV or TSV table"),
  .patterns = csv_patterns,
  .mime_types = csv_mime_types,
  .detect = csv_detect,
  .read = read_csv,
};

/* Sniffing */

/**
 * chrono_csv_sniff:
 * @bytes: the whole file
 * @options: (nullable): columns given by hand, as the import takes them
 * @max_rows: how many data rows to give back for a preview (at most 64)
 *
 * Reads the table as the import would, without importing it: its encoding,
 * delimiter and header, the column found for each role, the layout, and
 * whether the order of day and month can be told from the dates (the
 * option's date order is not taken into account there: the dialog asks
 * when the file does not tell). Reads the whole file once for the dates.
 *
 * Returns: (transfer full) (nullable): the layout, or NULL with @error set
 *   (%CHRONO_IMPORT_ERROR_INVALID for a file that is no table, or a column
 *   given by hand that the header does not have)
 */
ChronoCsvLayout *
chrono_csv_sniff (GBytes                     *bytes,
                  const ChronoImportOptions  *options,
                  guint                       max_rows,
                  GError                    **error)
{
  g_autoptr (Table) t = NULL;
  ChronoCsvLayout *self;

  g_return_val_if_fail (bytes != NULL, NULL);

  t = table_prepare (bytes, _("table"), options, NULL, error);
  if (t == NULL)
    return NULL;

  self = g_new0 (ChronoCsvLayout, 1);
  self->delimiter = t->delimiter;
  self->encoding = t->encoding;
  self->headers = g_new0 (char *, t->headers->len + 1);
  for (guint i = 0; i < t->headers->len; i++)
    self->headers[i] = g_strdup (t->headers->pdata[i]);
  for (guint i = 0; i < CHRONO_COLUMN_N_ROLES; i++)
    self->roles[i] = t->col[i];
  self->layout = layout_names[t->layout];
  self->dates_ambiguous = t->ambiguous;
  self->date_order = t->order;
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < t->samples->len && i < max_rows; i++)
    g_ptr_array_add (self->rows, g_strdupv (t->samples->pdata[i]));

  return self;
}

void
chrono_csv_layout_free (ChronoCsvLayout *self)
{
  if (self == NULL)
    return;

  g_strfreev (self->headers);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_free (self);
}
