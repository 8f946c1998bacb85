/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-dataset"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "chrono-core-resources.h"
#include "chrono-dataset.h"
#include "chrono-date.h"
#include "import/chrono-import.h"

/*
 * Loads the native dataset JSON (data/datasets/README.md is the contract)
 * into a store, replacing what it held, in one transaction: a file that
 * fails to load leaves the store as it was.
 *
 * Every error names the file and where the problem is: line and column for
 * JSON syntax (json-glib knows them), the JSON path of the field otherwise,
 * e.g. "karabakh.json: events[12] ('lachin-blockade'): start: …". Members
 * the format does not define are ignored.
 */

G_DEFINE_QUARK (chrono-dataset-error-quark, chrono_dataset_error)

static const char * const place_kinds[] = {
  "city", "town", "village", "site", "region", "country", "route", "border", NULL
};
static const char * const name_usages[] = {
  "common", "official", "historical", "local", "variant", NULL
};
static const char * const place_roles[] = {
  "location", "origin", "destination", "signed", "affected", "route", NULL
};
static const char * const claim_keys[] = {
  "date", "start", "end", "duration", "troops", "officers", "sappers", "personnel",
  "vehicles", "armoured-vehicles", "deaths", "wounded", "distance", "villages",
  "time-to-capture", NULL
};

typedef struct
{
  ChronoStore *store;
  const char  *display_name;
  JsonArray   *events_json;
  /* For each kind, id → the path where it was defined, e.g. "places[3] ('lachin')" */
  GHashTable  *sources;
  GHashTable  *places;
  GHashTable  *events;
  GHashTable  *excerpts;
  GHashTable  *claims;
  GHashTable  *excerpt_events; /* excerpt id → its event's id */
  GHashTable  *event_extents;  /* event id → EventExtent, for the tour */
  GPtrArray   *languages;      /* every event gives texts in these */
  GHashTable  *nul_texts;      /* string nodes json-glib cut at a \u0000 */
  GHashTable  *big_numbers;    /* number node → the number as written, too large to read */
} Import;

/* What the tour needs to know of an event; the strings belong to the JSON. */
typedef struct
{
  ChronoDay   start_lo;
  ChronoDay   end_hi;
  const char *start;
  const char *end;
} EventExtent;

static void
import_clear (Import *import)
{
  g_clear_pointer (&import->sources, g_hash_table_unref);
  g_clear_pointer (&import->places, g_hash_table_unref);
  g_clear_pointer (&import->events, g_hash_table_unref);
  g_clear_pointer (&import->excerpts, g_hash_table_unref);
  g_clear_pointer (&import->claims, g_hash_table_unref);
  g_clear_pointer (&import->excerpt_events, g_hash_table_unref);
  g_clear_pointer (&import->event_extents, g_hash_table_unref);
  g_clear_pointer (&import->languages, g_ptr_array_unref);
  g_clear_pointer (&import->nul_texts, g_hash_table_unref);
  g_clear_pointer (&import->big_numbers, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Import, import_clear)

/* "events[12] ('lachin-blockade')" + "start" → "events[12] ('lachin-blockade'): start" */
static char *
join_path (const char *path,
           const char *member)
{
  if (path == NULL || path[0] == '\0')
    return g_strdup (member);
  if (member == NULL)
    return g_strdup (path);
  return g_strconcat (path, ": ", member, NULL);
}

static gboolean invalid (Import      *import,
                         GError     **error,
                         const char  *path,
                         const char  *member,
                         const char  *format,
                         ...) G_GNUC_PRINTF (5, 6);

/* Sets "FILE: PATH: MEMBER: message" and returns FALSE. */
static gboolean
invalid (Import      *import,
         GError     **error,
         const char  *path,
         const char  *member,
         const char  *format,
         ...)
{
  g_autofree char *where = join_path (path, member);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (where != NULL && where[0] != '\0')
    g_set_error (error, CHRONO_DATASET_ERROR, CHRONO_DATASET_ERROR_INVALID,
                 "%s: %s: %s", import->display_name, where, message);
  else
    g_set_error (error, CHRONO_DATASET_ERROR, CHRONO_DATASET_ERROR_INVALID,
                 "%s: %s", import->display_name, message);

  return FALSE;
}

static const char *
describe_node (JsonNode *node)
{
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
      return _("a string");
    case G_TYPE_BOOLEAN:
      return _("a boolean");
    default:
      return _("a number");
    }
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/*
 * Looks up @member of @object. Missing or null: with @required an error,
 * else *@out_node = NULL. Present: *@out_node is the node.
 */
static gboolean
get_member (Import      *import,
            JsonObject  *object,
            const char  *path,
            const char  *member,
            gboolean     required,
            JsonNode   **out_node,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out_node = NULL;

  if (node == NULL)
    {
      if (required)
        return invalid (import, error, path, NULL, _("required field '%s' is missing"), member);
      return TRUE;
    }

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return invalid (import, error, path, member, _("must not be null"));
      return TRUE;
    }

  *out_node = node;
  return TRUE;
}

/* The text of a string node: one json-glib cut at a NUL is refused. */
static gboolean
get_text (Import      *import,
          JsonNode    *node,
          const char  *path,
          const char  *member,
          const char **out,
          GError     **error)
{
  *out = NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (import, error, path, member, _("expected a string, found %s"), describe_node (node));

  if (import->nul_texts != NULL && g_hash_table_contains (import->nul_texts, node))
    return invalid (import, error, path, member, _("the text holds a NUL character (\\u0000)"));

  *out = json_node_get_string (node);
  /* Bytes that are not UTF-8 reach here as they were written */
  if (!g_utf8_validate (*out, -1, NULL))
    return invalid (import, error, path, member, _("not valid text (invalid UTF-8)"));

  return TRUE;
}

/* A number json-glib could not read (a whole number past 64 bits comes
 * back wrapped around): refused, as it was written. */
static gboolean
check_number_size (Import      *import,
                   JsonNode    *node,
                   const char  *path,
                   const char  *member,
                   GError     **error)
{
  const char *literal = import->big_numbers != NULL ? g_hash_table_lookup (import->big_numbers, node) : NULL;

  if (literal != NULL)
    return invalid (import, error, path, member, _("%s is too large a number"), literal);

  return TRUE;
}

/* A string member; a required one must not be empty. */
static gboolean
get_string (Import      *import,
            JsonObject  *object,
            const char  *path,
            const char  *member,
            gboolean     required,
            const char **out,
            GError     **error)
{
  JsonNode *node;

  *out = NULL;
  if (!get_member (import, object, path, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!get_text (import, node, path, member, out, error))
    return FALSE;
  if (required)
    {
      /* g_strstrip works in place: check a copy, keep the text as written. */
      g_autofree char *copy = g_strdup (*out);

      if (g_strstrip (copy)[0] == '\0')
        return invalid (import, error, path, member, _("must not be empty"));
    }

  return TRUE;
}

static gboolean
get_number (Import      *import,
            JsonObject  *object,
            const char  *path,
            const char  *member,
            double      *out,
            GError     **error)
{
  JsonNode *node;

  if (!get_member (import, object, path, member, TRUE, &node, error))
    return FALSE;

  if (!node_is_number (node))
    return invalid (import, error, path, member, _("expected a number, found %s"), describe_node (node));
  if (!check_number_size (import, node, path, member, error))
    return FALSE;

  *out = json_node_get_double (node);
  return TRUE;
}

/* An integer member; when optional and absent, *@out = @fallback. */
static gboolean
get_integer (Import      *import,
             JsonObject  *object,
             const char  *path,
             const char  *member,
             gboolean     required,
             gint64       fallback,
             gint64      *out,
             GError     **error)
{
  JsonNode *node;
  double value;

  *out = fallback;
  if (!get_member (import, object, path, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!node_is_number (node))
    return invalid (import, error, path, member, _("expected a whole number, found %s"), describe_node (node));
  if (!check_number_size (import, node, path, member, error))
    return FALSE;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }

  value = json_node_get_double (node);
  if (value != floor (value) || fabs (value) > 9007199254740992.0)
    return invalid (import, error, path, member, _("expected a whole number, found %g"), value);

  *out = (gint64) value;
  return TRUE;
}

static gboolean
get_object (Import      *import,
            JsonObject  *object,
            const char  *path,
            const char  *member,
            gboolean     required,
            JsonObject **out,
            GError     **error)
{
  JsonNode *node;

  *out = NULL;
  if (!get_member (import, object, path, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (import, error, path, member, _("expected an object, found %s"), describe_node (node));

  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
get_array (Import      *import,
           JsonObject  *object,
           const char  *path,
           const char  *member,
           gboolean     required,
           JsonArray  **out,
           GError     **error)
{
  JsonNode *node;

  *out = NULL;
  if (!get_member (import, object, path, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (import, error, path, member, _("expected an array, found %s"), describe_node (node));

  *out = json_node_get_array (node);
  return TRUE;
}

/* Element @index of @array, which must be an object. */
static gboolean
get_element_object (Import      *import,
                    JsonArray   *array,
                    guint        index,
                    const char  *path,
                    JsonObject **out,
                    GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  *out = NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (import, error, path, NULL, _("expected an object, found %s"), describe_node (node));

  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
is_valid_id (const char *id)
{
  if (!g_ascii_islower (id[0]) && !g_ascii_isdigit (id[0]))
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;

  return TRUE;
}

/* A BCP 47 tag as datasets use them: "en", "fr", "hy", "az-Cyrl", "pt-BR". */
static gboolean
is_valid_lang (const char *lang)
{
  const char *p = lang;
  gsize n = 0;

  while (g_ascii_isalpha (*p))
    p++, n++;
  if (n < 2 || n > 3)
    return FALSE;

  while (*p == '-')
    {
      p++;
      n = 0;
      while (g_ascii_isalnum (*p))
        p++, n++;
      if (n < 1 || n > 8)
        return FALSE;
    }

  return *p == '\0';
}

static gboolean
check_lang (Import      *import,
            const char  *path,
            const char  *member,
            const char  *lang,
            GError     **error)
{
  if (lang != NULL && !is_valid_lang (lang))
    return invalid (import, error, path, member,
                    _("'%s' is not a language code (use a BCP 47 tag such as 'en' or 'hy')"), lang);

  return TRUE;
}

static gboolean
check_one_of (Import             *import,
              const char         *path,
              const char         *member,
              const char         *value,
              const char * const *allowed,
              GError            **error)
{
  g_autofree char *list = NULL;

  if (value == NULL || g_strv_contains (allowed, value))
    return TRUE;

  list = g_strjoinv (", ", (char **) allowed);
  return invalid (import, error, path, member, _("'%s' is not one of %s"), value, list);
}

/*
 * A first pass over the JSON text, before json-glib builds its tree of it
 * (seconds and hundreds of MB for a large file):
 *
 * - An id used twice is reported where it is met: a file whose second event
 *   repeats the first fails at once, whatever follows.
 * - Texts with an escaped NUL (\u0000), which json-glib gives cut at the
 *   NUL ("2023-01-01\u0000junk" would read as a date), and numbers too large
 *   for it (whole numbers past 64 bits come back wrapped around: -1, or 1
 *   for -99999999999999999999) are noted by their place in the tree; the
 *   loader refuses them where it reads them, naming the number as written.
 *
 * It reads what json-glib 1.6 reads (comments, single-quoted strings, hex
 * numbers). At anything else it stops: json-glib then reports the syntax
 * error, or the checks fall back to the text (see find_nul_escape()).
 */

typedef enum
{
  ID_KIND_NONE,
  ID_KIND_SOURCE,
  ID_KIND_PLACE,
  ID_KIND_EVENT,
  ID_KIND_EXCERPT,
  ID_KIND_CLAIM,
  N_ID_KINDS
} IdKind;

/* One step of the scan's path: a member name (in the text, as written) or an index. */
typedef struct
{
  const char *key;      /* NULL for an index */
  gsize       key_length;
  gboolean    key_escaped;
  guint       index;
} Segment;

/* Where an id was used: events[@parent] ('@parent_id'): excerpts[@index], or events[@index] */
typedef struct
{
  guint       index;
  guint       parent;
  const char *parent_id;
} IdUse;

/* One step of a finding's path: a member name (as json-glib reads it) or an index. */
typedef struct
{
  char  *key;
  guint  index;
} Step;

typedef enum
{
  FINDING_NUL_TEXT,
  FINDING_BIG_NUMBER,
} FindingKind;

typedef struct
{
  FindingKind  kind;
  GArray      *path;     /* of Step */
  char        *literal;  /* a number as written */
} Finding;

typedef struct
{
  const char  *data;
  gsize        size;
  gsize        pos;
  const char  *display_name;
  gboolean     gave_up;
  gboolean     ids_unreliable;
  GArray      *path;                 /* of Segment: where the scan is */
  GHashTable  *ids[N_ID_KINDS];      /* id → 1 + its first use in @uses */
  GArray      *uses;                 /* of IdUse */
  GStringChunk *strings;             /* the ids */
  GString     *buffer;
  guint        event_index;          /* the event the scan is in */
  const char  *event_id;             /* its id, when met yet */
  GPtrArray   *findings;
} Scan;

static void
step_clear (Step *step)
{
  g_clear_pointer (&step->key, g_free);
}

static void
finding_free (Finding *finding)
{
  g_array_unref (finding->path);
  g_free (finding->literal);
  g_free (finding);
}

static void
scan_clear (Scan *scan)
{
  g_clear_pointer (&scan->path, g_array_unref);
  for (guint i = 0; i < N_ID_KINDS; i++)
    g_clear_pointer (&scan->ids[i], g_hash_table_unref);
  g_clear_pointer (&scan->uses, g_array_unref);
  g_clear_pointer (&scan->strings, g_string_chunk_free);
  if (scan->buffer != NULL)
    g_string_free (g_steal_pointer (&scan->buffer), TRUE);
  g_clear_pointer (&scan->findings, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Scan, scan_clear)

static gboolean
scan_give_up (Scan *scan)
{
  scan->gave_up = TRUE;
  return TRUE;
}

static gboolean
segment_is (const Segment *segment,
            const char    *key)
{
  return segment->key != NULL && !segment->key_escaped &&
         segment->key_length == strlen (key) && memcmp (segment->key, key, segment->key_length) == 0;
}

/* Whitespace and comments; FALSE at the end of the text. */
static gboolean
scan_skip_space (Scan *scan)
{
  while (scan->pos < scan->size)
    {
      char c = scan->data[scan->pos];

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        scan->pos++;
      else if (c == '/' && scan->pos + 1 < scan->size && scan->data[scan->pos + 1] == '*')
        {
          const char *end = g_strstr_len (scan->data + scan->pos + 2, scan->size - scan->pos - 2, "*/");

          if (end == NULL)
            return FALSE;
          scan->pos = end + 2 - scan->data;
        }
      else
        return TRUE;
    }

  return FALSE;
}

static void
scan_add_finding (Scan        *scan,
                  FindingKind  kind,
                  const char  *literal)
{
  Finding *finding = g_new0 (Finding, 1);

  finding->kind = kind;
  finding->literal = g_strdup (literal);
  finding->path = g_array_sized_new (FALSE, FALSE, sizeof (Step), scan->path->len);
  g_array_set_clear_func (finding->path, (GDestroyNotify) step_clear);
  for (guint i = 0; i < scan->path->len; i++)
    {
      Segment *segment = &g_array_index (scan->path, Segment, i);
      Step step = { NULL, segment->index };

      if (segment->key_escaped)
        {
          /* The one json-glib makes of it (rare: the names a dataset uses need no escape) */
          g_autofree char *quoted = g_strndup (segment->key - 1, segment->key_length + 2);
          g_autoptr (JsonNode) name = json_from_string (quoted, NULL);

          step.key = g_strdup (name != NULL && JSON_NODE_HOLDS_VALUE (name) ? json_node_get_string (name) : "");
        }
      else if (segment->key != NULL)
        step.key = g_strndup (segment->key, segment->key_length);
      g_array_append_val (finding->path, step);
    }
  g_ptr_array_add (scan->findings, finding);
}

/*
 * A string at the scan position: its text as written is @length bytes at
 * *@out_start; *@out_escaped when it has escapes, *@out_nul when one is a
 * NUL. FALSE when it is not one json-glib reads (the scan gives up).
 */
static gboolean
scan_string (Scan        *scan,
             const char **out_start,
             gsize       *out_length,
             gboolean    *out_escaped,
             gboolean    *out_nul)
{
  char quote = scan->data[scan->pos];
  gsize start = ++scan->pos;

  *out_start = scan->data + start;
  *out_escaped = FALSE;
  *out_nul = FALSE;

  while (scan->pos < scan->size)
    {
      char c = scan->data[scan->pos];

      if (c == quote)
        {
          *out_length = scan->pos - start;
          scan->pos++;
          return TRUE;
        }
      if (c == '\0')
        return FALSE;
      /* Single-quoted strings have no escapes in json-glib */
      if (c == '\\' && quote == '"')
        {
          *out_escaped = TRUE;
          if (scan->pos + 1 >= scan->size)
            return FALSE;
          if (scan->data[scan->pos + 1] == 'u' && scan->pos + 6 <= scan->size &&
              memcmp (scan->data + scan->pos + 2, "0000", 4) == 0)
            *out_nul = TRUE;
          scan->pos += 2;
          continue;
        }
      scan->pos++;
    }

  return FALSE;
}

/* Whether the whole number @digits (no sign, no leading zeros) fits in 64 bits. */
static gboolean
fits_int64 (const char *digits,
            gsize       n_digits,
            gboolean    negative,
            gboolean    hex)
{
  const char *limit;

  if (hex)
    return n_digits < 16 || (n_digits == 16 && g_ascii_xdigit_value (digits[0]) < 8);

  limit = negative ? "9223372036854775808" : "9223372036854775807";
  if (n_digits != strlen (limit))
    return n_digits < strlen (limit);
  return memcmp (digits, limit, n_digits) <= 0;
}

static gboolean
is_number_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '+' || c == '-';
}

static void
scan_number (Scan *scan)
{
  gboolean negative = FALSE;
  gboolean whole = TRUE;
  gboolean hex = FALSE;
  const char *start, *digits;
  gsize length;

  if (scan->data[scan->pos] == '-')
    {
      negative = TRUE;
      scan->pos++;
      if (!scan_skip_space (scan))
        return;
    }

  start = scan->data + scan->pos;
  while (scan->pos < scan->size && is_number_char (scan->data[scan->pos]))
    scan->pos++;
  length = scan->data + scan->pos - start;

  /* Most numbers are short: 18 decimal digits always fit */
  if (length <= 18)
    {
      gboolean plain = TRUE;

      for (gsize i = 0; i < length; i++)
        plain &= start[i] != 'e' && start[i] != 'E' && start[i] != 'x' && start[i] != 'X';
      if (plain)
        return;
    }

  digits = start;
  if (length >= 2 && g_ascii_strncasecmp (digits, "0x", 2) == 0)
    {
      hex = TRUE;
      digits += 2;
    }
  for (const char *p = digits; p < start + length; p++)
    whole &= hex ? g_ascii_isxdigit (*p) : g_ascii_isdigit (*p);
  while (digits < start + length && digits[0] == '0')
    digits++;

  {
    g_autofree char *literal = g_strdup_printf ("%s%.*s", negative ? "-" : "", (int) length, start);

    if (whole ? !fits_int64 (digits, start + length - digits, negative, hex)
              : !isfinite (g_ascii_strtod (literal, NULL)))
      scan_add_finding (scan, FINDING_BIG_NUMBER, literal);
  }
}

/* At the start of an object: whether it is an element whose "id" is checked. */
static IdKind
element_kind (Scan *scan)
{
  Segment *array;

  /* events[3]: the array's name is one step up; in an object ("events": { … }) it is no element */
  if (scan->path->len == 2 && g_array_index (scan->path, Segment, 1).key == NULL)
    {
      array = &g_array_index (scan->path, Segment, 0);
      if (segment_is (array, "sources"))
        return ID_KIND_SOURCE;
      if (segment_is (array, "places"))
        return ID_KIND_PLACE;
      if (segment_is (array, "events"))
        return ID_KIND_EVENT;
    }
  else if (scan->path->len == 4 && segment_is (&g_array_index (scan->path, Segment, 0), "events") &&
           g_array_index (scan->path, Segment, 1).key == NULL && g_array_index (scan->path, Segment, 3).key == NULL)
    {
      array = &g_array_index (scan->path, Segment, 2);
      if (segment_is (array, "excerpts"))
        return ID_KIND_EXCERPT;
      if (segment_is (array, "claims"))
        return ID_KIND_CLAIM;
    }

  return ID_KIND_NONE;
}

/* "events[3] ('e4'): excerpts[0] ('x1')": where @use was, for messages. */
static char *
format_use (IdKind        kind,
            const IdUse  *use,
            const char   *id)
{
  static const char * const arrays[] = { NULL, "sources", "places", "events", "excerpts", "claims" };
  g_autofree char *element = id != NULL ? g_strdup_printf ("%s[%u] ('%s')", arrays[kind], use->index, id)
                                        : g_strdup_printf ("%s[%u]", arrays[kind], use->index);

  if (kind != ID_KIND_EXCERPT && kind != ID_KIND_CLAIM)
    return g_steal_pointer (&element);
  if (use->parent_id != NULL)
    return g_strdup_printf ("events[%u] ('%s'): %s", use->parent, use->parent_id, element);
  return g_strdup_printf ("events[%u]: %s", use->parent, element);
}

/*
 * The "id" of the element at the scan position, of @kind, written as
 * @length bytes at @id: a duplicate is an error. Kept in a string chunk
 * and an array: a file of a million events is checked in a few hundred ms.
 */
static gboolean
scan_id (Scan        *scan,
         IdKind       kind,
         const char  *id,
         gsize        length,
         GError     **error)
{
  /* The path ends in "events", [3], "id" */
  Segment *element = &g_array_index (scan->path, Segment, scan->path->len - 2);
  IdUse use = { element->index, scan->event_index, scan->event_id };
  const char *text;
  guint previous;

  g_string_truncate (scan->buffer, 0);
  g_string_append_len (scan->buffer, id, length);
  text = scan->buffer->str;

  /* The loader reports a malformed id */
  if (scan->ids_unreliable || !is_valid_id (text))
    return TRUE;

  previous = GPOINTER_TO_UINT (g_hash_table_lookup (scan->ids[kind], text));
  if (previous != 0)
    {
      g_autofree char *where = format_use (kind, &use, NULL);
      g_autofree char *first = format_use (kind, &g_array_index (scan->uses, IdUse, previous - 1), text);

      g_set_error (error, CHRONO_DATASET_ERROR, CHRONO_DATASET_ERROR_INVALID,
                   _("%s: %s: id: duplicate id '%s' (already used at %s)"),
                   scan->display_name, where, text, first);
      return FALSE;
    }

  text = g_string_chunk_insert_len (scan->strings, id, length);
  if (kind == ID_KIND_EVENT)
    scan->event_id = text;
  g_array_append_val (scan->uses, use);
  g_hash_table_insert (scan->ids[kind], (gpointer) text, GUINT_TO_POINTER (scan->uses->len));
  return TRUE;
}

/* A member name with a NUL: json-glib would keep it cut at the NUL. */
static gboolean
fail_nul_name (Scan    *scan,
               GError **error)
{
  g_autoptr (GString) where = g_string_new (NULL);

  for (guint i = 0; i < scan->path->len; i++)
    {
      Segment *segment = &g_array_index (scan->path, Segment, i);

      if (segment->key != NULL)
        g_string_append_printf (where, "%s%.*s", i > 0 ? ": " : "", (int) segment->key_length, segment->key);
      else
        g_string_append_printf (where, "[%u]", segment->index);
    }

  if (where->len > 0)
    g_set_error (error, CHRONO_DATASET_ERROR, CHRONO_DATASET_ERROR_INVALID,
                 _("%s: %s: the name of a member holds a NUL character (\\u0000)"),
                 scan->display_name, where->str);
  else
    g_set_error (error, CHRONO_DATASET_ERROR, CHRONO_DATASET_ERROR_INVALID,
                 _("%s: the name of a member holds a NUL character (\\u0000)"), scan->display_name);
  return FALSE;
}

static gboolean scan_value (Scan *scan, GError **error);

static gboolean
scan_object (Scan    *scan,
             GError **error)
{
  IdKind kind = element_kind (scan);
  gboolean had_id = FALSE;

  scan->pos++;
  if (kind == ID_KIND_EVENT)
    {
      scan->event_index = g_array_index (scan->path, Segment, 1).index;
      scan->event_id = NULL;
    }

  if (!scan_skip_space (scan))
    return scan_give_up (scan);
  if (scan->data[scan->pos] == '}')
    {
      scan->pos++;
      return TRUE;
    }

  while (TRUE)
    {
      Segment segment = { NULL, 0, FALSE, 0 };
      gboolean nul = FALSE;
      gboolean is_id;

      if ((scan->data[scan->pos] != '"' && scan->data[scan->pos] != '\'') ||
          !scan_string (scan, &segment.key, &segment.key_length, &segment.key_escaped, &nul))
        return scan_give_up (scan);
      if (nul)
        return fail_nul_name (scan, error);

      if (!scan_skip_space (scan) || scan->data[scan->pos] != ':')
        return scan_give_up (scan);
      scan->pos++;
      if (!scan_skip_space (scan))
        return scan_give_up (scan);

      is_id = kind != ID_KIND_NONE && segment_is (&segment, "id");
      if (is_id && had_id)
        scan->ids_unreliable = TRUE;  /* json-glib keeps the last one */
      had_id |= is_id;

      /* A member given twice: json-glib keeps the last, whose ids count */
      if (scan->path->len == 0)
        {
          if (segment_is (&segment, "sources"))
            g_hash_table_remove_all (scan->ids[ID_KIND_SOURCE]);
          else if (segment_is (&segment, "places"))
            g_hash_table_remove_all (scan->ids[ID_KIND_PLACE]);
          else if (segment_is (&segment, "events"))
            {
              g_hash_table_remove_all (scan->ids[ID_KIND_EVENT]);
              g_hash_table_remove_all (scan->ids[ID_KIND_EXCERPT]);
              g_hash_table_remove_all (scan->ids[ID_KIND_CLAIM]);
            }
        }

      g_array_append_val (scan->path, segment);
      if (is_id && scan->data[scan->pos] == '"')
        {
          gsize start = scan->pos;
          const char *id;
          gsize length;
          gboolean escaped;

          if (!scan_string (scan, &id, &length, &escaped, &nul))
            return scan_give_up (scan);
          if (!escaped)
            {
              if (!scan_id (scan, kind, id, length, error))
                return FALSE;
            }
          else
            {
              /* Read again as any text (the loader checks it) */
              scan->pos = start;
              if (!scan_value (scan, error))
                return FALSE;
            }
        }
      else if (!scan_value (scan, error))
        return FALSE;
      g_array_set_size (scan->path, scan->path->len - 1);
      if (scan->gave_up)
        return TRUE;

      if (!scan_skip_space (scan))
        return scan_give_up (scan);
      if (scan->data[scan->pos] == '}')
        {
          scan->pos++;
          return TRUE;
        }
      if (scan->data[scan->pos] != ',')
        return scan_give_up (scan);
      scan->pos++;
      if (!scan_skip_space (scan))
        return scan_give_up (scan);
    }
}

static gboolean
scan_array (Scan    *scan,
            GError **error)
{
  scan->pos++;
  if (!scan_skip_space (scan))
    return scan_give_up (scan);
  if (scan->data[scan->pos] == ']')
    {
      scan->pos++;
      return TRUE;
    }

  for (guint index = 0; ; index++)
    {
      Segment segment = { NULL, 0, FALSE, index };

      g_array_append_val (scan->path, segment);
      if (!scan_value (scan, error))
        return FALSE;
      g_array_set_size (scan->path, scan->path->len - 1);
      if (scan->gave_up)
        return TRUE;

      if (!scan_skip_space (scan))
        return scan_give_up (scan);
      if (scan->data[scan->pos] == ']')
        {
          scan->pos++;
          return TRUE;
        }
      if (scan->data[scan->pos] != ',')
        return scan_give_up (scan);
      scan->pos++;
      if (!scan_skip_space (scan))
        return scan_give_up (scan);
    }
}

/* The value at the scan position, after any space. */
static gboolean
scan_value (Scan    *scan,
            GError **error)
{
  char c = scan->data[scan->pos];

  /* Deeper is refused by chrono_import_check_json() */
  if (scan->path->len > CHRONO_IMPORT_MAX_JSON_DEPTH)
    return scan_give_up (scan);

  if (c == '{')
    return scan_object (scan, error);
  if (c == '[')
    return scan_array (scan, error);

  if (c == '"' || c == '\'')
    {
      const char *text;
      gsize length;
      gboolean escaped, nul;

      if (!scan_string (scan, &text, &length, &escaped, &nul))
        return scan_give_up (scan);
      if (nul)
        scan_add_finding (scan, FINDING_NUL_TEXT, NULL);
      return TRUE;
    }

  if (c == '-' || c == '.' || g_ascii_isdigit (c))
    {
      scan_number (scan);
      return TRUE;
    }

  for (guint i = 0; i < 3; i++)
    {
      static const char * const words[] = { "true", "false", "null" };
      gsize length = strlen (words[i]);

      if (scan->size - scan->pos >= length && memcmp (scan->data + scan->pos, words[i], length) == 0 &&
          (scan->size - scan->pos == length || !g_ascii_isalnum (scan->data[scan->pos + length])))
        {
          scan->pos += length;
          return TRUE;
        }
    }

  return scan_give_up (scan);
}

/*
 * Scans @data (see above): FALSE with @error set at a duplicate id or a
 * member name holding a NUL. Otherwise *@out_findings are what the loader
 * must check, and *@out_complete says whether the scan read the whole text.
 */
static gboolean
prescan (const char  *data,
         gsize        size,
         const char  *display_name,
         GPtrArray  **out_findings,
         gboolean    *out_complete,
         GError     **error)
{
  g_auto (Scan) scan = { 0 };

  scan.data = data;
  scan.size = size;
  scan.display_name = display_name;
  scan.path = g_array_new (FALSE, FALSE, sizeof (Segment));
  scan.findings = g_ptr_array_new_with_free_func ((GDestroyNotify) finding_free);
  for (guint i = 0; i < N_ID_KINDS; i++)
    scan.ids[i] = g_hash_table_new (g_str_hash, g_str_equal);
  scan.uses = g_array_new (FALSE, FALSE, sizeof (IdUse));
  scan.strings = g_string_chunk_new (64 * 1024);
  scan.buffer = g_string_new (NULL);

  /* json-glib skips a byte order mark */
  if (size >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    scan.pos = 3;

  if (scan_skip_space (&scan) && !scan_value (&scan, error))
    return FALSE;

  *out_complete = !scan.gave_up;
  *out_findings = g_steal_pointer (&scan.findings);
  return TRUE;
}

/* The node at @path (of Step) under @root, or NULL. */
static JsonNode *
find_node (JsonNode *root,
           GArray   *path)
{
  JsonNode *node = root;

  for (guint i = 0; node != NULL && i < path->len; i++)
    {
      Step *step = &g_array_index (path, Step, i);

      if (step->key != NULL && JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), step->key);
      else if (step->key == NULL && JSON_NODE_HOLDS_ARRAY (node) &&
               step->index < json_array_get_length (json_node_get_array (node)))
        node = json_array_get_element (json_node_get_array (node), step->index);
      else
        node = NULL;
    }

  return node;
}

/* Where the first \u0000 escape of @data is, for a scan that did not finish. */
static gboolean
find_nul_escape (const char *data,
                 gsize       size,
                 guint      *out_line,
                 guint      *out_column)
{
  guint line = 1;
  gsize line_start = 0;

  for (gsize i = 0; i + 6 <= size; i++)
    {
      if (data[i] == '\n')
        {
          line++;
          line_start = i + 1;
        }
      else if (data[i] == '\\')
        {
          if (data[i + 1] == 'u' && memcmp (data + i + 2, "0000", 4) == 0)
            {
              *out_line = line;
              *out_column = g_utf8_pointer_to_offset (data + line_start, data + i) + 1;
              return TRUE;
            }
          i++;  /* an escaped backslash is no escape */
        }
    }

  return FALSE;
}

/*
 * Reads the "id" of the object at @array_name[@index] (under @parent_path),
 * checks its form and that @seen (id → path of its first use) does not have
 * it yet, records it there, and sets *@out_path to the object's path for
 * later messages: "events[12] ('lachin-blockade')".
 */
static gboolean
get_id (Import       *import,
        JsonObject   *object,
        const char   *parent_path,
        const char   *array_name,
        guint         index,
        GHashTable   *seen,
        const char  **out_id,
        char        **out_path,
        GError      **error)
{
  g_autofree char *element = g_strdup_printf ("%s[%u]", array_name, index);
  g_autofree char *path = join_path (parent_path, element);
  const char *id;
  const char *previous;

  if (!get_string (import, object, path, "id", TRUE, &id, error))
    return FALSE;

  if (!is_valid_id (id))
    return invalid (import, error, path, "id",
                    _("'%s' is not a valid id (use a-z, 0-9 and '-', starting with a letter or digit)"),
                    id);

  if ((previous = g_hash_table_lookup (seen, id)) != NULL)
    return invalid (import, error, path, "id", _("duplicate id '%s' (already used at %s)"), id, previous);

  *out_id = id;
  *out_path = g_strdup_printf ("%s ('%s')", path, id);
  g_hash_table_insert (seen, (gpointer) id, g_strdup (*out_path));
  return TRUE;
}

/*
 * Parses an EDTF date member and gives its earliest and latest days. The date
 * module's message is kept, led by the value when it does not quote it.
 */
static gboolean
parse_date (Import      *import,
            const char  *path,
            const char  *member,
            const char  *text,
            ChronoDay   *out_earliest,
            ChronoDay   *out_latest,
            GError     **error)
{
  g_autoptr (GError) date_error = NULL;
  g_autoptr (ChronoEdtf) edtf = chrono_edtf_parse (text, &date_error);

  if (edtf == NULL)
    {
      if (strstr (date_error->message, text) != NULL)
        return invalid (import, error, path, member, "%s", date_error->message);
      return invalid (import, error, path, member, _("'%s' is not a valid date: %s"),
                      text, date_error->message);
    }

  if (out_earliest != NULL)
    *out_earliest = chrono_edtf_get_earliest (edtf);
  if (out_latest != NULL)
    *out_latest = chrono_edtf_get_latest (edtf);

  return TRUE;
}

/* A member that maps languages to strings, like "title"; @required_lang must be there. */
static gboolean
import_texts_meta (Import      *import,
                   JsonObject  *root,
                   const char  *member,
                   gboolean     required,
                   const char  *required_lang,
                   GError     **error)
{
  JsonObject *texts;
  JsonObjectIter iter;
  const char *lang;
  JsonNode *node;

  if (!get_object (import, root, NULL, member, required, &texts, error))
    return FALSE;
  if (texts == NULL)
    return TRUE;

  if (required_lang != NULL && !json_object_has_member (texts, required_lang))
    return invalid (import, error, member, NULL, _("no '%s' text: it is required"), required_lang);

  json_object_iter_init (&iter, texts);
  while (json_object_iter_next (&iter, &lang, &node))
    {
      g_autofree char *key = NULL;
      const char *text;

      if (!check_lang (import, member, lang, lang, error) ||
          !get_string (import, texts, member, lang, TRUE, &text, error))
        return FALSE;

      key = g_strconcat (member, ":", lang, NULL);
      if (!chrono_store_set_meta (import->store, key, text, error))
        return FALSE;
    }

  return TRUE;
}

/* The language every text must have: the first the dataset lists, else English. */
static const char *
primary_language (Import *import)
{
  if (import->languages != NULL && import->languages->len > 0)
    return g_ptr_array_index (import->languages, 0);
  return "en";
}

/*
 * The "version": a whole number from 1. What is not one is named as it was
 * written (json-glib gives 99999999999999999999 as -1).
 */
static gboolean
get_version (Import      *import,
             JsonObject  *root,
             gint64      *out,
             GError     **error)
{
  g_autofree char *written = NULL;
  JsonNode *node;
  const char *literal;

  *out = 0;
  if (!get_member (import, root, NULL, "version", TRUE, &node, error))
    return FALSE;
  if (!node_is_number (node))
    return invalid (import, error, NULL, "version", _("expected a whole number, found %s"), describe_node (node));

  literal = g_hash_table_lookup (import->big_numbers, node);
  if (literal != NULL)
    written = g_strdup (literal);
  else if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      if (*out >= 1)
        return TRUE;
      written = g_strdup_printf ("%" G_GINT64_FORMAT, *out);
    }
  else
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      double value = json_node_get_double (node);

      if (value >= 1.0 && value == floor (value) && value <= (double) G_MAXINT)
        {
          *out = (gint64) value;
          return TRUE;
        }
      written = g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value));
    }

  return invalid (import, error, NULL, "version",
                  _("%s is not a format version (this Chronotope reads version %d)"),
                  written, CHRONO_DATASET_FORMAT_VERSION);
}

static gboolean
import_header (Import      *import,
               JsonObject  *root,
               GError     **error)
{
  const char *format;
  const char *id;
  const char *license;
  gint64 version;
  g_autofree char *version_text = NULL;
  g_autoptr (GString) languages_text = g_string_new (NULL);
  JsonArray *languages;

  if (!get_string (import, root, NULL, "format", TRUE, &format, error))
    return FALSE;
  if (!g_str_equal (format, "chronotope-dataset"))
    return invalid (import, error, NULL, "format", _("expected 'chronotope-dataset', found '%s'"), format);

  if (!get_version (import, root, &version, error))
    return FALSE;
  if (version > CHRONO_DATASET_FORMAT_VERSION)
    {
      g_set_error (error, CHRONO_DATASET_ERROR, CHRONO_DATASET_ERROR_NEWER_VERSION,
                   _("%s: version: the file is in dataset format version %lld, "
                     "newer than this version of Chronotope reads (up to %d)"),
                   import->display_name, (long long) version, CHRONO_DATASET_FORMAT_VERSION);
      return FALSE;
    }

  if (!get_string (import, root, NULL, "id", TRUE, &id, error))
    return FALSE;
  if (!is_valid_id (id))
    return invalid (import, error, NULL, "id",
                    _("'%s' is not a valid id (use a-z, 0-9 and '-', starting with a letter or digit)"), id);

  if (!get_string (import, root, NULL, "license", FALSE, &license, error) ||
      !get_array (import, root, NULL, "languages", FALSE, &languages, error))
    return FALSE;

  import->languages = g_ptr_array_new ();
  for (guint i = 0; languages != NULL && i < json_array_get_length (languages); i++)
    {
      JsonNode *node = json_array_get_element (languages, i);
      g_autofree char *member = g_strdup_printf ("languages[%u]", i);
      const char *lang;

      if (!get_text (import, node, NULL, member, &lang, error) ||
          !check_lang (import, NULL, member, lang, error))
        return FALSE;
      g_ptr_array_add (import->languages, (gpointer) lang);
    }

  version_text = g_strdup_printf ("%" G_GINT64_FORMAT, version);
  for (guint i = 0; i < import->languages->len; i++)
    {
      if (i > 0)
        g_string_append_c (languages_text, ' ');
      g_string_append (languages_text, g_ptr_array_index (import->languages, i));
    }

  if (!chrono_store_set_meta (import->store, "format-version", version_text, error) ||
      !chrono_store_set_meta (import->store, "dataset-id", id, error) ||
      !chrono_store_set_meta (import->store, "license", license, error) ||
      !chrono_store_set_meta (import->store, "languages", languages_text->str, error) ||
      !chrono_store_set_meta (import->store, "imported-from", import->display_name, error))
    return FALSE;

  return import_texts_meta (import, root, "title", TRUE, primary_language (import), error) &&
         import_texts_meta (import, root, "description", FALSE, NULL, error);
}

static gboolean
import_source (Import      *import,
               JsonObject  *object,
               guint        index,
               GError     **error)
{
  g_autoptr (ChronoSource) source = NULL;
  g_autofree char *path = NULL;
  const char *id, *title, *outlet, *author, *published, *language;
  const char *url, *retrieved, *note, *document;
  JsonObject *citation;

  if (!get_id (import, object, NULL, "sources", index, import->sources, &id, &path, error))
    return FALSE;

  if (!get_string (import, object, path, "title", TRUE, &title, error) ||
      !get_string (import, object, path, "outlet", FALSE, &outlet, error) ||
      !get_string (import, object, path, "author", FALSE, &author, error) ||
      !get_string (import, object, path, "published", FALSE, &published, error) ||
      !get_string (import, object, path, "language", FALSE, &language, error) ||
      !get_string (import, object, path, "url", FALSE, &url, error) ||
      !get_string (import, object, path, "retrieved", FALSE, &retrieved, error) ||
      !get_string (import, object, path, "note", FALSE, &note, error) ||
      !get_string (import, object, path, "document", FALSE, &document, error))
    return FALSE;

  /* EDTF where it is a date; imported sources may give it as free text. */
  (void) parse_date;
  if (!check_lang (import, path, "language", language, error))
    return FALSE;

  source = g_object_new (CHRONO_TYPE_SOURCE,
                         "id", id,
                         "title", title,
                         "outlet", outlet,
                         "author", author,
                         "published", published,
                         "language", language,
                         "url", url,
                         "retrieved", retrieved,
                         "note", note,
                         "document", document,
                         NULL);
  if (!chrono_store_add_source (import->store, source, error))
    return FALSE;

  /* "citation": the short name to cite it by, per language */
  if (!get_object (import, object, path, "citation", FALSE, &citation, error))
    return FALSE;
  if (citation != NULL)
    {
      g_autofree char *citation_path = join_path (path, "citation");
      JsonObjectIter iter;
      const char *lang;
      JsonNode *node;

      json_object_iter_init (&iter, citation);
      while (json_object_iter_next (&iter, &lang, &node))
        {
          g_autofree char *key = NULL;
          const char *name;

          if (!check_lang (import, citation_path, lang, lang, error) ||
              !get_string (import, citation, citation_path, lang, TRUE, &name, error))
            return FALSE;

          key = g_strconcat ("citation:", id, ":", lang, NULL);
          if (!chrono_store_set_meta (import->store, key, name, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
check_position (Import      *import,
                const char  *path,
                JsonNode    *node,
                GError     **error)
{
  JsonArray *position;
  double lon, lat;

  if (!JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (position = json_node_get_array (node)) < 2 ||
      !node_is_number (json_array_get_element (position, 0)) ||
      !node_is_number (json_array_get_element (position, 1)))
    return invalid (import, error, path, NULL, _("expected a position [lon, lat]"));
  if (!check_number_size (import, json_array_get_element (position, 0), path, NULL, error) ||
      !check_number_size (import, json_array_get_element (position, 1), path, NULL, error))
    return FALSE;

  lon = json_array_get_double_element (position, 0);
  lat = json_array_get_double_element (position, 1);
  if (lon < -180.0 || lon > 180.0)
    return invalid (import, error, path, NULL, _("longitude %g is out of range (-180 to 180)"), lon);
  if (lat < -90.0 || lat > 90.0)
    return invalid (import, error, path, NULL, _("latitude %g is out of range (-90 to 90; GeoJSON is [lon, lat])"), lat);

  return TRUE;
}

/* Checks nested arrays of positions, @depth levels deep (0: one position). */
static gboolean
check_coordinates (Import      *import,
                   const char  *path,
                   JsonNode    *node,
                   guint        depth,
                   GError     **error)
{
  JsonArray *array;

  if (depth == 0)
    return check_position (import, path, node, error);

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (import, error, path, NULL, _("expected an array, found %s"), describe_node (node));

  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return invalid (import, error, path, NULL, _("must not be empty"));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *child = g_strdup_printf ("%s[%u]", path, i);

      if (!check_coordinates (import, child, json_array_get_element (array, i), depth - 1, error))
        return FALSE;
    }

  return TRUE;
}

/* A GeoJSON geometry object: returns it as JSON text in *@out_json. */
static gboolean
check_geometry (Import      *import,
                JsonObject  *place,
                const char  *path,
                char       **out_json,
                GError     **error)
{
  static const struct {
    const char *type;
    guint depth;
  } types[] = {
    { "Point", 0 },
    { "MultiPoint", 1 },
    { "LineString", 1 },
    { "MultiLineString", 2 },
    { "Polygon", 2 },
    { "MultiPolygon", 3 },
  };
  g_autofree char *geometry_path = join_path (path, "geometry");
  JsonObject *geometry;
  JsonNode *coordinates;
  const char *type;

  *out_json = NULL;
  if (!get_object (import, place, path, "geometry", FALSE, &geometry, error))
    return FALSE;
  if (geometry == NULL)
    return TRUE;

  if (!get_string (import, geometry, geometry_path, "type", TRUE, &type, error) ||
      !get_member (import, geometry, geometry_path, "coordinates", TRUE, &coordinates, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      if (g_str_equal (type, types[i].type))
        {
          g_autofree char *coordinates_path = join_path (geometry_path, "coordinates");

          if (!check_coordinates (import, coordinates_path, coordinates, types[i].depth, error))
            return FALSE;

          *out_json = json_to_string (json_object_get_member (place, "geometry"), FALSE);
          return TRUE;
        }
    }

  return invalid (import, error, geometry_path, "type",
                  _("'%s' is not a GeoJSON geometry type (Point, LineString, Polygon, …)"), type);
}

static gboolean
import_place (Import      *import,
              JsonObject  *object,
              guint        index,
              GError     **error)
{
  g_autoptr (ChronoPlace) place = NULL;
  g_autoptr (GPtrArray) names = NULL;
  g_autofree char *path = NULL;
  g_autofree char *geometry = NULL;
  const char *id, *kind, *note;
  JsonArray *names_json;
  gboolean has_english = FALSE;
  double lat, lon;

  if (!get_id (import, object, NULL, "places", index, import->places, &id, &path, error))
    return FALSE;

  if (!get_string (import, object, path, "kind", TRUE, &kind, error) ||
      !check_one_of (import, path, "kind", kind, place_kinds, error) ||
      !get_number (import, object, path, "lat", &lat, error) ||
      !get_number (import, object, path, "lon", &lon, error) ||
      !get_string (import, object, path, "note", FALSE, &note, error) ||
      !get_array (import, object, path, "names", TRUE, &names_json, error))
    return FALSE;

  if (lat < -90.0 || lat > 90.0)
    return invalid (import, error, path, "lat", _("%g is out of range (-90 to 90)"), lat);
  if (lon < -180.0 || lon > 180.0)
    return invalid (import, error, path, "lon", _("%g is out of range (-180 to 180)"), lon);

  names = g_ptr_array_new_with_free_func ((GDestroyNotify) chrono_place_name_free);
  for (guint i = 0; i < json_array_get_length (names_json); i++)
    {
      g_autofree char *name_path = g_strdup_printf ("%s: names[%u]", path, i);
      JsonObject *name_object;
      const char *lang, *name, *usage, *when;

      if (!get_element_object (import, names_json, i, name_path, &name_object, error) ||
          !get_string (import, name_object, name_path, "lang", TRUE, &lang, error) ||
          !check_lang (import, name_path, "lang", lang, error) ||
          !get_string (import, name_object, name_path, "name", TRUE, &name, error) ||
          !get_string (import, name_object, name_path, "usage", FALSE, &usage, error) ||
          !check_one_of (import, name_path, "usage", usage, name_usages, error) ||
          !get_string (import, name_object, name_path, "when", FALSE, &when, error) ||
          (when != NULL && !parse_date (import, name_path, "when", when, NULL, NULL, error)))
        return FALSE;

      has_english |= g_str_equal (lang, "en");
      g_ptr_array_add (names, chrono_place_name_new_full (lang, name, usage, when));
    }

  /* A place is shown by one of its names, in whatever language. */
  if (names->len == 0)
    return invalid (import, error, path, "names", _("no name: every place needs one"));
  (void) has_english;

  if (!check_geometry (import, object, path, &geometry, error))
    return FALSE;

  place = g_object_new (CHRONO_TYPE_PLACE,
                       "id", id,
                       "kind", kind,
                       "lat", lat,
                       "lon", lon,
                       "geometry", geometry,
                       "note", note,
                       "names", names,
                       NULL);
  if (!chrono_store_add_place (import->store, place, error))
    return FALSE;

  return TRUE;
}

static gboolean
import_event_texts (Import      *import,
                    JsonObject  *event,
                    const char  *path,
                    const char  *event_id,
                    GError     **error)
{
  g_autofree char *text_path = join_path (path, "text");
  JsonObject *texts;
  JsonObjectIter iter;
  const char *lang;
  JsonNode *node;

  if (!get_object (import, event, path, "text", TRUE, &texts, error))
    return FALSE;

  if (!json_object_has_member (texts, primary_language (import)))
    return invalid (import, error, text_path, NULL, _("no '%s' text: it is required"), primary_language (import));

  for (guint i = 0; i < import->languages->len; i++)
    {
      const char *required = g_ptr_array_index (import->languages, i);

      if (!json_object_has_member (texts, required))
        return invalid (import, error, text_path, NULL,
                        _("no '%s' text, but the dataset's \"languages\" lists it"), required);
    }

  json_object_iter_init (&iter, texts);
  while (json_object_iter_next (&iter, &lang, &node))
    {
      g_autofree char *lang_path = join_path (text_path, lang);
      JsonObject *text;
      const char *title, *summary;

      if (!check_lang (import, text_path, lang, lang, error) ||
          !get_object (import, texts, text_path, lang, TRUE, &text, error) ||
          !get_string (import, text, lang_path, "title", TRUE, &title, error) ||
          !get_string (import, text, lang_path, "summary", FALSE, &summary, error) ||
          !chrono_store_add_event_text (import->store, event_id, lang, title, summary, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
import_event_places (Import      *import,
                     JsonObject  *event,
                     const char  *path,
                     const char  *event_id,
                     GError     **error)
{
  JsonArray *places;

  if (!get_array (import, event, path, "places", FALSE, &places, error))
    return FALSE;

  for (guint i = 0; places != NULL && i < json_array_get_length (places); i++)
    {
      g_autofree char *link_path = g_strdup_printf ("%s: places[%u]", path, i);
      JsonObject *link;
      const char *place_id, *role;

      if (!get_element_object (import, places, i, link_path, &link, error) ||
          !get_string (import, link, link_path, "place", TRUE, &place_id, error) ||
          !get_string (import, link, link_path, "role", TRUE, &role, error) ||
          !check_one_of (import, link_path, "role", role, place_roles, error))
        return FALSE;

      if (!g_hash_table_contains (import->places, place_id))
        return invalid (import, error, link_path, "place", _("unknown place '%s' (not in \"places\")"), place_id);

      if (!chrono_store_add_event_place (import->store, event_id, place_id, role, i, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
import_event_excerpts (Import      *import,
                       JsonObject  *event,
                       const char  *path,
                       const char  *event_id,
                       GError     **error)
{
  JsonArray *excerpts;

  /* Events from imported files may have no text to quote. */
  if (!get_array (import, event, path, "excerpts", FALSE, &excerpts, error))
    return FALSE;

  for (guint i = 0; excerpts != NULL && i < json_array_get_length (excerpts); i++)
    {
      g_autofree char *excerpt_path = NULL;
      g_autofree char *element_path = g_strdup_printf ("%s: excerpts[%u]", path, i);
      JsonObject *excerpt;
      const char *id, *source_id, *lang, *quote;
      gint64 offset, length;

      if (!get_element_object (import, excerpts, i, element_path, &excerpt, error) ||
          !get_id (import, excerpt, path, "excerpts", i, import->excerpts, &id, &excerpt_path, error) ||
          !get_string (import, excerpt, excerpt_path, "source", TRUE, &source_id, error) ||
          !get_string (import, excerpt, excerpt_path, "lang", TRUE, &lang, error) ||
          !check_lang (import, excerpt_path, "lang", lang, error) ||
          !get_string (import, excerpt, excerpt_path, "quote", TRUE, &quote, error) ||
          !get_integer (import, excerpt, excerpt_path, "offset", FALSE, -1, &offset, error) ||
          !get_integer (import, excerpt, excerpt_path, "length", FALSE, -1, &length, error))
        return FALSE;

      if (!g_hash_table_contains (import->sources, source_id))
        return invalid (import, error, excerpt_path, "source",
                        _("unknown source '%s' (not in \"sources\")"), source_id);
      if (json_object_has_member (excerpt, "offset") && offset < 0)
        return invalid (import, error, excerpt_path, "offset", _("must not be negative"));
      if (json_object_has_member (excerpt, "length") && length < 0)
        return invalid (import, error, excerpt_path, "length", _("must not be negative"));

      if (!chrono_store_add_excerpt (import->store, id, event_id, source_id, lang, quote,
                                     offset, length, i, error))
        return FALSE;

      g_hash_table_insert (import->excerpt_events, (gpointer) id, (gpointer) event_id);
    }

  return TRUE;
}

/* The id of the event whose excerpts include @excerpt_id, anywhere in the file. */
static const char *
find_excerpt_owner (Import     *import,
                    const char *excerpt_id)
{
  for (guint i = 0; i < json_array_get_length (import->events_json); i++)
    {
      JsonNode *node = json_array_get_element (import->events_json, i);
      JsonObject *event;
      JsonNode *excerpts;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      event = json_node_get_object (node);
      excerpts = json_object_get_member (event, "excerpts");
      if (excerpts == NULL || !JSON_NODE_HOLDS_ARRAY (excerpts))
        continue;

      for (guint j = 0; j < json_array_get_length (json_node_get_array (excerpts)); j++)
        {
          JsonNode *excerpt = json_array_get_element (json_node_get_array (excerpts), j);
          const char *id;

          if (!JSON_NODE_HOLDS_OBJECT (excerpt))
            continue;
          id = json_object_get_string_member_with_default (json_node_get_object (excerpt), "id", NULL);
          if (g_strcmp0 (id, excerpt_id) == 0)
            return json_object_get_string_member_with_default (event, "id", "?");
        }
    }

  return NULL;
}

/* A claim's value is a plain value: a string, or a number written back as text. */
static gboolean
get_claim_value (Import      *import,
                 JsonObject  *claim,
                 const char  *path,
                 char       **out_value,
                 GError     **error)
{
  JsonNode *node;

  if (!get_member (import, claim, path, "value", TRUE, &node, error))
    return FALSE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *value;

      if (!get_string (import, claim, path, "value", TRUE, &value, error))
        return FALSE;
      *out_value = g_strdup (value);
      return TRUE;
    }

  if (node_is_number (node))
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      const char *literal = g_hash_table_lookup (import->big_numbers, node);

      /* Too large for json-glib, but a figure: kept as written */
      if (literal != NULL)
        *out_value = g_strdup (literal);
      else if (json_node_get_value_type (node) == G_TYPE_INT64)
        *out_value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      else
        *out_value = g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      return TRUE;
    }

  return invalid (import, error, path, "value", _("expected a string or a number, found %s"),
                  describe_node (node));
}

static gboolean
import_event_claims (Import      *import,
                     JsonObject  *event,
                     const char  *path,
                     const char  *event_id,
                     GError     **error)
{
  JsonArray *claims;

  if (!get_array (import, event, path, "claims", FALSE, &claims, error))
    return FALSE;

  for (guint i = 0; claims != NULL && i < json_array_get_length (claims); i++)
    {
      g_autofree char *claim_path = NULL;
      g_autofree char *element_path = g_strdup_printf ("%s: claims[%u]", path, i);
      g_autofree char *value = NULL;
      JsonObject *claim;
      const char *id, *key, *excerpt_id, *excerpt_event;

      if (!get_element_object (import, claims, i, element_path, &claim, error) ||
          !get_id (import, claim, path, "claims", i, import->claims, &id, &claim_path, error) ||
          !get_string (import, claim, claim_path, "key", TRUE, &key, error) ||
          !check_one_of (import, claim_path, "key", key, claim_keys, error) ||
          !get_claim_value (import, claim, claim_path, &value, error) ||
          !get_string (import, claim, claim_path, "excerpt", TRUE, &excerpt_id, error))
        return FALSE;

      excerpt_event = g_hash_table_lookup (import->excerpt_events, excerpt_id);
      if (excerpt_event == NULL)
        {
          /* Maybe an excerpt of an event further down the file. */
          excerpt_event = find_excerpt_owner (import, excerpt_id);
          if (excerpt_event == NULL)
            return invalid (import, error, claim_path, "excerpt", _("unknown excerpt '%s'"), excerpt_id);
        }

      if (!g_str_equal (excerpt_event, event_id))
        return invalid (import, error, claim_path, "excerpt",
                        _("'%s' is an excerpt of event '%s', not of this event"),
                        excerpt_id, excerpt_event);

      if (!chrono_store_add_claim (import->store, id, event_id, excerpt_id, key, value, i, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
import_event (Import      *import,
              JsonObject  *object,
              guint        index,
              GError     **error)
{
  g_autofree char *path = NULL;
  const char *id, *start, *end, *category, *note;
  ChronoDay start_lo, start_hi, end_lo, end_hi;
  gint64 importance;

  if (!get_id (import, object, NULL, "events", index, import->events, &id, &path, error))
    return FALSE;

  if (!get_string (import, object, path, "start", TRUE, &start, error) ||
      !parse_date (import, path, "start", start, &start_lo, &start_hi, error) ||
      !get_string (import, object, path, "end", FALSE, &end, error))
    return FALSE;

  if (end != NULL && g_str_equal (end, ".."))
    {
      /* An open end: the sources give none, so the event runs on to the end
       * of the timeline, and could have ended any day after it started. */
      end_lo = start_hi;
      end_hi = CHRONO_DAY_POSITIVE_INFINITY;
    }
  else if (end != NULL)
    {
      if (!parse_date (import, path, "end", end, &end_lo, &end_hi, error))
        return FALSE;
      if (end_hi < start_lo)
        return invalid (import, error, path, "end", _("'%s' ends before the start '%s' begins"), end, start);
    }
  else
    {
      end_lo = start_lo;
      end_hi = start_hi;
    }

  /* The categories of the bundled dataset have their own colours; imported
   * datasets bring their own categories, or none. */
  if (!get_string (import, object, path, "category", FALSE, &category, error) ||
      !get_integer (import, object, path, "importance", FALSE, 2, &importance, error) ||
      !get_string (import, object, path, "note", FALSE, &note, error))
    return FALSE;

  if (importance < 1 || importance > 3)
    return invalid (import, error, path, "importance",
                    _("%lld is out of range (1 to 3)"), (long long) importance);

  if (!chrono_store_add_event (import->store, id, start, end, start_lo, start_hi, end_lo, end_hi,
                               category, (int) importance, note, NULL, error))
    return FALSE;

  {
    EventExtent *extent = g_new (EventExtent, 1);

    *extent = (EventExtent) { start_lo, end_hi, start, end };
    g_hash_table_insert (import->event_extents, (gpointer) id, extent);
  }

  return import_event_texts (import, object, path, id, error) &&
         import_event_places (import, object, path, id, error) &&
         import_event_excerpts (import, object, path, id, error) &&
         import_event_claims (import, object, path, id, error);
}

typedef gboolean (*ImportElement) (Import      *import,
                                   JsonObject  *object,
                                   guint        index,
                                   GError     **error);

static gboolean
import_array (Import         *import,
              JsonObject     *root,
              const char     *member,
              ImportElement   import_element,
              GError        **error)
{
  JsonArray *array;

  if (!get_array (import, root, NULL, member, FALSE, &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s[%u]", member, i);
      JsonObject *object;

      if (!get_element_object (import, array, i, path, &object, error) ||
          !import_element (import, object, i, error))
        return FALSE;
    }

  return TRUE;
}

/*
 * A tour step's @member ("title", "note"): a map of language → text, read
 * into @out_texts. A required one has "en" and every language the dataset
 * lists.
 */
static gboolean
get_tour_texts (Import      *import,
                JsonObject  *step,
                const char  *path,
                const char  *member,
                gboolean     required,
                GHashTable  *out_texts,
                GError     **error)
{
  g_autofree char *texts_path = join_path (path, member);
  JsonObject *texts;
  JsonObjectIter iter;
  const char *lang;
  JsonNode *node;

  if (!get_object (import, step, path, member, required, &texts, error))
    return FALSE;
  if (texts == NULL)
    return TRUE;

  if (required)
    {
      if (!json_object_has_member (texts, primary_language (import)))
        return invalid (import, error, texts_path, NULL, _("no '%s' text: it is required"), primary_language (import));

      for (guint i = 0; i < import->languages->len; i++)
        {
          const char *wanted = g_ptr_array_index (import->languages, i);

          if (!json_object_has_member (texts, wanted))
            return invalid (import, error, texts_path, NULL,
                            _("no '%s' text, but the dataset's \"languages\" lists it"), wanted);
        }
    }

  json_object_iter_init (&iter, texts);
  while (json_object_iter_next (&iter, &lang, &node))
    {
      const char *text;

      if (!check_lang (import, texts_path, lang, lang, error) ||
          !get_string (import, texts, texts_path, lang, TRUE, &text, error))
        return FALSE;

      g_hash_table_insert (out_texts, (gpointer) lang, (gpointer) text);
    }

  return TRUE;
}

/* A step's "excerpts": ids of excerpts of its own event, best first. */
static gboolean
get_tour_excerpts (Import       *import,
                   JsonObject   *step,
                   const char   *path,
                   const char   *event_id,
                   GPtrArray    *out_ids,
                   GError      **error)
{
  JsonArray *excerpts;

  if (!get_array (import, step, path, "excerpts", FALSE, &excerpts, error))
    return FALSE;

  for (guint i = 0; excerpts != NULL && i < json_array_get_length (excerpts); i++)
    {
      JsonNode *node = json_array_get_element (excerpts, i);
      g_autofree char *member = g_strdup_printf ("excerpts[%u]", i);
      const char *excerpt_id, *owner;

      if (!get_text (import, node, path, member, &excerpt_id, error))
        return FALSE;

      owner = g_hash_table_lookup (import->excerpt_events, excerpt_id);
      if (owner == NULL)
        return invalid (import, error, path, member, _("unknown excerpt '%s'"), excerpt_id);
      if (!g_str_equal (owner, event_id))
        return invalid (import, error, path, member,
                        _("'%s' is an excerpt of event '%s', not of '%s'"), excerpt_id, owner, event_id);

      g_ptr_array_add (out_ids, (gpointer) excerpt_id);
    }

  g_ptr_array_add (out_ids, NULL);
  return TRUE;
}

static gboolean
import_tour_step (Import      *import,
                  JsonObject  *step,
                  guint        index,
                  GError     **error)
{
  g_autofree char *path = g_strdup_printf ("tour[%u]", index);
  g_autoptr (GHashTable) titles = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) notes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) excerpts = g_ptr_array_new ();
  GHashTableIter iter;
  const char *event_id, *date, *lang, *title;
  const EventExtent *extent;
  ChronoDay day = 0;

  if (!get_string (import, step, path, "event", TRUE, &event_id, error))
    return FALSE;

  extent = g_hash_table_lookup (import->event_extents, event_id);
  if (extent == NULL)
    return invalid (import, error, path, "event", _("unknown event '%s' (not in \"events\")"), event_id);

  if (!get_tour_texts (import, step, path, "title", TRUE, titles, error) ||
      !get_tour_texts (import, step, path, "note", FALSE, notes, error) ||
      !get_string (import, step, path, "date", FALSE, &date, error) ||
      !get_tour_excerpts (import, step, path, event_id, excerpts, error))
    return FALSE;

  if (date != NULL)
    {
      ChronoDay latest;

      if (!parse_date (import, path, "date", date, &day, &latest, error))
        return FALSE;
      if (day != latest)
        return invalid (import, error, path, "date", _("'%s' is not a single day (write YYYY-MM-DD)"), date);
      if (day < extent->start_lo || day > extent->end_hi)
        {
          g_autofree char *dates = chrono_format_dates (extent->start, extent->end);

          return invalid (import, error, path, "date",
                          _("%s is not a day of event '%s' (%s)"), date, event_id, dates);
        }
    }

  if (!chrono_store_add_tour_step (import->store, index, event_id, date, day,
                                   (const char * const *) excerpts->pdata, error))
    return FALSE;

  g_hash_table_iter_init (&iter, titles);
  while (g_hash_table_iter_next (&iter, (gpointer *) &lang, (gpointer *) &title))
    {
      if (!chrono_store_add_tour_text (import->store, index, lang, title,
                                       g_hash_table_lookup (notes, lang), error))
        return FALSE;
    }

  /* A note needs a title in its language, or it would never be shown. */
  g_hash_table_iter_init (&iter, notes);
  while (g_hash_table_iter_next (&iter, (gpointer *) &lang, NULL))
    {
      if (!g_hash_table_contains (titles, lang))
        {
          g_autofree char *note_path = join_path (path, "note");

          return invalid (import, error, note_path, lang, _("a note in '%s' needs a title in '%s'"), lang, lang);
        }
    }

  return TRUE;
}

static gboolean
import_root (Import      *import,
             JsonNode    *root,
             GError     **error)
{
  JsonObject *object;

  if (root == NULL)
    return invalid (import, error, NULL, NULL, _("the file is empty"));
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return invalid (import, error, NULL, NULL, _("expected a JSON object at the top level, found %s"),
                    describe_node (root));

  object = json_node_get_object (root);
  if (!import_header (import, object, error) ||
      !get_array (import, object, NULL, "events", FALSE, &import->events_json, error))
    return FALSE;

  return import_array (import, object, "sources", import_source, error) &&
         import_array (import, object, "places", import_place, error) &&
         import_array (import, object, "events", import_event, error) &&
         import_texts_meta (import, object, "tour-title", FALSE, primary_language (import), error) &&
         import_array (import, object, "tour", import_tour_step, error);
}

/* json-glib says "<data>:3:12: Parse error: …": name the file instead. */
static void
set_syntax_error (GError     **error,
                  const char  *display_name,
                  GError      *parse_error)
{
  const char *message = parse_error->message;

  if (g_str_has_prefix (message, "<data>:"))
    message += strlen ("<data>:");
  else if (g_str_has_prefix (message, "<data>"))
    message += strlen ("<data>");

  {
    /* json-glib's message may quote bytes that are not UTF-8 */
    g_autofree char *valid = g_utf8_make_valid (message, -1);

    g_set_error (error, CHRONO_DATASET_ERROR, CHRONO_DATASET_ERROR_SYNTAX,
                 "%s:%s%s", display_name, g_ascii_isdigit (valid[0]) ? "" : " ", valid);
  }
}

/**
 * chrono_dataset_import_bytes:
 * @store: the store to load into
 * @json: the dataset JSON
 * @display_name: how messages name the file, e.g. "karabakh.json"
 *
 * Replaces everything @store holds with the dataset in @json, in one
 * transaction. On error (CHRONO_DATASET_ERROR, or CHRONO_STORE_ERROR when
 * sqlite fails) @store is left as it was.
 */
gboolean
chrono_dataset_import_bytes (ChronoStore  *store,
                             GBytes       *json,
                             const char   *display_name,
                             GError      **error)
{
  g_return_val_if_fail (CHRONO_IS_STORE (store), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);
  g_return_val_if_fail (display_name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!chrono_store_begin (store, error))
    return FALSE;

  if (!chrono_store_clear (store, error) ||
      !chrono_dataset_import_in_transaction (store, json, display_name, error))
    {
      chrono_store_rollback (store);
      return FALSE;
    }

  return chrono_store_commit (store, error);
}

/**
 * chrono_dataset_import_in_transaction:
 *
 * Like chrono_dataset_import_bytes(), inside a transaction the caller began
 * on an empty store, and ends: the caller commits or rolls back.
 */
gboolean
chrono_dataset_import_in_transaction (ChronoStore  *store,
                                      GBytes       *json,
                                      const char   *display_name,
                                      GError      **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) parse_error = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autofree char *checksum = NULL;
  g_auto (Import) import = { 0 };
  gboolean scan_complete = FALSE;
  gsize size;
  const char *data;
  gint64 begin_time = g_get_monotonic_time ();

  g_return_val_if_fail (CHRONO_IS_STORE (store), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);
  g_return_val_if_fail (display_name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (json, &size);
  if (data == NULL)
    data = "";
  if (size > G_MAXSSIZE)
    size = G_MAXSSIZE;
  /* Ids used twice are reported as met, before the long work of parsing */
  if (!prescan (data, size, display_name, &findings, &scan_complete, error))
    return FALSE;
  g_debug ("%s: first pass in %.1f ms%s", display_name, (g_get_monotonic_time () - begin_time) / 1000.0,
           scan_complete ? "" : " (stopped early)");
  /* json-glib's parser recurses: refuse what would overflow the stack. */
  if (!chrono_import_check_json (data, size, CHRONO_IMPORT_MAX_JSON_DEPTH, display_name, error))
    return FALSE;
  if (!json_parser_load_from_data (parser, data, size, &parse_error))
    {
      set_syntax_error (error, display_name, parse_error);
      return FALSE;
    }

  import.nul_texts = g_hash_table_new (NULL, NULL);
  import.big_numbers = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < findings->len; i++)
    {
      Finding *finding = findings->pdata[i];
      JsonNode *node = find_node (json_parser_get_root (parser), finding->path);

      if (node == NULL)
        continue;
      if (finding->kind == FINDING_NUL_TEXT)
        g_hash_table_add (import.nul_texts, node);
      else
        g_hash_table_insert (import.big_numbers, node, finding->literal);
    }
  if (!scan_complete)
    {
      guint line, column;

      /* Where the scan stopped, json-glib read on: any NUL is refused */
      if (find_nul_escape (data, size, &line, &column))
        {
          g_set_error (error, CHRONO_DATASET_ERROR, CHRONO_DATASET_ERROR_INVALID,
                       _("%s:%u:%u: a text holds a NUL character (\\u0000)"), display_name, line, column);
          return FALSE;
        }
    }

  import.store = store;
  import.display_name = display_name;
  import.sources = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  import.places = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  import.events = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  import.excerpts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  import.claims = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  import.excerpt_events = g_hash_table_new (g_str_hash, g_str_equal);
  import.event_extents = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, json);

  if (!import_root (&import, json_parser_get_root (parser), error) ||
      !chrono_store_set_meta (store, "checksum", checksum, error))
    return FALSE;

  g_debug ("%s: imported in %.1f ms", display_name,
           (g_get_monotonic_time () - begin_time) / 1000.0);
  return TRUE;
}

/**
 * chrono_dataset_import_file:
 * @file: a dataset JSON file
 *
 * Like chrono_dataset_import_bytes(), naming the file by its base name.
 */
gboolean
chrono_dataset_import_file (ChronoStore  *store,
                            GFile        *file,
                            GError      **error)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *display_name = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  basename = g_file_get_basename (file);
  display_name = basename != NULL ? g_filename_display_name (basename) : g_file_get_parse_name (file);

  bytes = g_file_load_bytes (file, NULL, NULL, error);
  if (bytes == NULL)
    return FALSE;

  return chrono_dataset_import_bytes (store, bytes, display_name, error);
}

/* The file of a cached dataset is built as "NAME.chronotope.build-XXXXXX"
 * beside it, locked while it is built. */
#define BUILD_INFIX ".build-"
#define BUILD_SUFFIX_LENGTH 6

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)

static void
remove_database_files (const char *path)
{
  /* The main file last: what a kill in between leaves is found by its name */
  static const char * const suffixes[] = { "-journal", "-shm", "-wal", "" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_unlink (file) != 0 && errno != ENOENT)
        g_debug ("could not remove %s: %s", file, g_strerror (errno));
    }
}

/*
 * Removes what builds of @path that did not finish left beside it (the
 * process was killed, or the machine stopped): the temporary files that no
 * running build holds locked, with their -wal, -shm and -journal.
 */
static void
remove_stale_builds (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (basename, BUILD_INFIX, NULL);
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *file = NULL;
      g_autofree char *main_file = NULL;
      const char *suffix;
      int fd;

      if (!g_str_has_prefix (name, prefix) || strlen (name) < strlen (prefix) + BUILD_SUFFIX_LENGTH)
        continue;

      file = g_build_filename (dir, name, NULL);
      suffix = name + strlen (prefix) + BUILD_SUFFIX_LENGTH;
      if (suffix[0] != '\0')
        {
          /* A journal whose file is gone */
          main_file = g_strndup (file, strlen (file) - strlen (suffix));
          if ((g_str_equal (suffix, "-wal") || g_str_equal (suffix, "-shm") || g_str_equal (suffix, "-journal")) &&
              !g_file_test (main_file, G_FILE_TEST_EXISTS))
            {
              g_debug ("removing %s, left by a build that did not finish", file);
              g_unlink (file);
            }
          continue;
        }

      fd = g_open (file, O_RDONLY | O_CLOEXEC, 0);
      if (fd < 0)
        continue;
      if (flock (fd, LOCK_EX | LOCK_NB) == 0)
        {
          g_debug ("removing %s, left by a build that did not finish", file);
          remove_database_files (file);
        }
      g_close (fd, NULL);
    }
}

/* Whether @error says that the disk is full, whichever layer said it. */
static gboolean
is_disk_full (const GError *error)
{
  return g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE) ||
         (error->domain == CHRONO_STORE_ERROR && strstr (error->message, sqlite3_errstr (SQLITE_FULL)) != NULL);
}

/*
 * Why a build in @dir failed, for a person: the folder, not the temporary
 * file's name; "the disk is full" when it is. Errors in the JSON are kept
 * as they are.
 */
static void
set_build_error (GError      **error,
                 const char   *dir,
                 const char   *temp_path,
                 GError       *cause)
{
  g_autofree char *display_dir = g_filename_display_name (dir);
  g_autofree char *temp_name = g_filename_display_basename (temp_path);
  const char *message = cause->message;

  if (cause->domain == CHRONO_DATASET_ERROR)
    {
      g_propagate_error (error, g_error_copy (cause));
      return;
    }

  if (is_disk_full (cause))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("Could not build the dataset file in '%s': the disk is full"), display_dir);
      return;
    }

  if (g_str_has_prefix (message, temp_name) && g_str_has_prefix (message + strlen (temp_name), ": "))
    message += strlen (temp_name) + 2;
  g_set_error (error, cause->domain, cause->code,
               _("Could not build the dataset file in '%s': %s"), display_dir, message);
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", what, g_strerror (saved_errno));
  return FALSE;
}

/*
 * Checks the file built at @temp_path before it is renamed into place:
 * sqlite3_close() does not say when its last checkpoint failed, and a file
 * cut short by a full disk can still open. It must be whole, a dataset,
 * built from the JSON whose checksum is @checksum, with nothing of it left
 * in a WAL.
 */
static gboolean
check_built_file (const char  *temp_path,
                  const char  *checksum,
                  GError     **error)
{
  g_autofree char *wal = g_strconcat (temp_path, "-wal", NULL);
  g_autofree char *escaped = g_uri_escape_string (temp_path, "/", FALSE);
  g_autofree char *uri = g_strconcat ("file:", escaped, "?immutable=1", NULL);
  g_autoptr (sqlite3) db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *quick_check = NULL;
  g_autofree char *recorded = NULL;
  gint64 application_id = 0;
  GStatBuf st;

  if (g_stat (wal, &st) == 0 && st.st_size > 0)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
                   _("the last changes could not be written into the file"));
      return FALSE;
    }

  if (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
    goto failed;

  if (sqlite3_prepare_v2 (db, "PRAGMA quick_check (1)", -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    quick_check = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (sqlite3_prepare_v2 (db, "PRAGMA application_id", -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    application_id = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = 'checksum'", -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    recorded = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (g_strcmp0 (quick_check, "ok") != 0 || application_id != CHRONO_STORE_APPLICATION_ID ||
      g_strcmp0 (recorded, checksum) != 0)
    {
      g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_DAMAGED,
                   _("the file written is not whole (%s)"), quick_check != NULL ? quick_check : _("no data"));
      return FALSE;
    }

  return TRUE;

failed:
  g_set_error (error, CHRONO_STORE_ERROR, CHRONO_STORE_ERROR_FAILED,
               _("the file written cannot be read back: %s"), sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  return FALSE;
}

/* Builds @temp_path (an empty file) from @json, then checks it (see check_built_file()). */
static gboolean
build_file (GBytes      *json,
            const char  *display_name,
            const char  *temp_path,
            const char  *checksum,
            GError     **error)
{
  g_autoptr (ChronoStore) store = chrono_store_open (temp_path, error);

  /* Nobody sees the file before it is renamed into place: written without
   * a journal, the file is all there is, and ending the bulk mode puts it
   * in WAL mode with nothing in the WAL for closing to write. */
  if (store == NULL ||
      !chrono_store_set_bulk (store, TRUE, error) ||
      !chrono_dataset_import_bytes (store, json, display_name, error) ||
      !chrono_store_set_bulk (store, FALSE, error))
    return FALSE;
  g_clear_object (&store);

  return check_built_file (temp_path, checksum, error);
}

/*
 * Builds a new dataset file from @json beside @path, checks it, and renames
 * it into place. On any failure every temporary file is removed, and the
 * file at @path stays as it was.
 */
static gboolean
rebuild_cached (GBytes      *json,
                const char  *display_name,
                const char  *path,
                const char  *checksum,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *temp_path = g_strconcat (path, BUILD_INFIX "XXXXXX", NULL);
  g_autoptr (GError) local_error = NULL;
  gboolean ok;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder '%s': %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* An empty file: chrono_store_open() makes a new dataset of it. */
  fd = g_mkstemp (temp_path);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create a file in '%s': %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  /* Held until the end, so that no other start takes it for a leftover */
  flock (fd, LOCK_EX | LOCK_NB);

  ok = build_file (json, display_name, temp_path, checksum, &local_error);

  /* On the disk before it takes the old file's place */
  if (ok && fsync (fd) != 0)
    ok = set_errno_error (&local_error, errno, _("could not write the file"));

  if (ok)
    {
      /* A WAL left beside the old file by a crash must not be replayed into the new one. */
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (wal);
      g_unlink (shm);

      if (g_rename (temp_path, path) != 0)
        ok = set_errno_error (&local_error, errno, _("could not put the file in place"));
    }

  if (!ok)
    {
      remove_database_files (temp_path);
      set_build_error (error, dir, temp_path, local_error);
    }
  g_close (fd, NULL);

  return ok;
}

/**
 * chrono_dataset_open_cached:
 * @json: a dataset JSON
 * @display_name: how messages name it
 * @path: the dataset file that caches it
 *
 * Opens @path if it was built from exactly @json (its recorded checksum
 * matches); otherwise (no file, another checksum, a file that does not
 * open) builds it anew from @json under a temporary name beside it and
 * renames it into place, so that a crash never leaves a half-written file.
 *
 * Returns: (transfer full): the store, or NULL with @error set
 */
ChronoStore *
chrono_dataset_open_cached (GBytes      *json,
                            const char  *display_name,
                            const char  *path,
                            GError     **error)
{
  g_autofree char *checksum = NULL;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, json);
  remove_stale_builds (path);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr (GError) local_error = NULL;
      /* Looked at read-only: a file about to be replaced, which a full
       * disk may keep in place, stays as it is */
      g_autoptr (ChronoStore) store = chrono_store_open_readonly (path, &local_error);
      g_autofree char *recorded = NULL;

      if (store == NULL)
        g_debug ("%s: rebuilding: %s", path, local_error->message);
      else if (g_strcmp0 (recorded = chrono_store_dup_meta (store, "checksum"), checksum) == 0)
        {
          g_clear_object (&store);
          return chrono_store_open (path, error);
        }
      else
        g_debug ("%s: rebuilding: built from another version of %s", path, display_name);
    }

  if (!rebuild_cached (json, display_name, path, checksum, error))
    return NULL;

  return chrono_store_open (path, error);
}

/* Returns: (transfer full): where the bundled dataset is cached, under
 * $XDG_DATA_HOME/chronotope */
char *
chrono_dataset_dup_bundled_path (void)
{
  return g_build_filename (g_get_user_data_dir (), PACKAGE_NAME,
                           "karabakh-peacekeeping.chronotope", NULL);
}

/**
 * chrono_dataset_open_bundled:
 *
 * Opens the dataset that ships inside the binary, building its file on first
 * run and rebuilding it when this build's JSON differs from the one it was
 * built from (see chrono_dataset_open_cached()).
 *
 * Returns: (transfer full): the store, or NULL with @error set
 */
ChronoStore *
chrono_dataset_open_bundled (GError **error)
{
  g_autoptr (GBytes) json = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Through the library's own resource: a static link keeps it that way. */
  json = g_resource_lookup_data (chrono_core_get_resource (), CHRONO_DATASET_BUNDLED_RESOURCE,
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (json == NULL)
    return NULL;

  path = chrono_dataset_dup_bundled_path ();
  return chrono_dataset_open_cached (json, "karabakh-peacekeeping.json", path, error);
}
