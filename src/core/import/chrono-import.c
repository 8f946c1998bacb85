/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "chrono-import.h"
#include "chrono-import-formats.h"
#include "chrono-source.h"

/*
 * The import driver: detects the format, runs its reader inside one store
 * transaction, and checks and writes what the reader hands over. Readers
 * never see the store; a failure, a cancel or a crash before the commit
 * leaves the store as it was.
 */

G_DEFINE_QUARK (chrono-import-error-quark, chrono_import_error)

/* Past this, problems are counted but not kept: a broken million-row file
 * must not keep a million messages. */
#define MAX_KEPT_PROBLEMS 10000

static const ChronoImportFormat * const formats[] = {
  &chrono_import_format_native,
  &chrono_import_format_timelinejs,
  &chrono_import_format_storymapjs,
  &chrono_import_format_lpf,
  &chrono_import_format_geojson,
  &chrono_import_format_kml,
  &chrono_import_format_kmz,
  &chrono_import_format_lptsv,
  &chrono_import_format_csv,
  NULL
};

static const char * const role_names[CHRONO_COLUMN_N_ROLES] = {
  [CHRONO_COLUMN_TITLE] = "title",
  [CHRONO_COLUMN_START] = "start",
  [CHRONO_COLUMN_END] = "end",
  [CHRONO_COLUMN_DATE] = "date",
  [CHRONO_COLUMN_YEAR] = "year",
  [CHRONO_COLUMN_MONTH] = "month",
  [CHRONO_COLUMN_DAY] = "day",
  [CHRONO_COLUMN_LAT] = "lat",
  [CHRONO_COLUMN_LON] = "lon",
  [CHRONO_COLUMN_POINT] = "point",
  [CHRONO_COLUMN_PLACE] = "place",
  [CHRONO_COLUMN_DESCRIPTION] = "description",
  [CHRONO_COLUMN_CATEGORY] = "category",
  [CHRONO_COLUMN_SOURCE] = "source",
  [CHRONO_COLUMN_URL] = "url",
};

struct _ChronoImport
{
  ChronoStore               *store;
  char                      *display_name;
  ChronoImportOptions       *options;
  const char                *lang;
  const ChronoImportFormat  *format;

  GCancellable              *cancellable;
  ChronoImportProgressFunc   progress_func;
  gpointer                   progress_data;
  guint                      progress_calls;

  char                      *prefix;          /* of every id this import makes */
  char                      *file_source_id;
  char                      *title;
  char                      *description;

  GHashTable                *sources;         /* local id or "title\x1furl" → store id */
  GHashTable                *places;          /* local id → store id */
  GHashTable                *place_keys;      /* "name\x1flat\x1flon" → store id */
  GHashTable                *place_names;     /* folded name → store id */
  GHashTable                *place_titles;    /* store id → first name */
  GHashTable                *place_search;    /* store id → every name, for the search index */
  GString                   *quotes;          /* scratch: an event's quotes for the search index */
  GString                   *place_text;      /* scratch: its places' names */
  GHashTable                *strings;         /* store ids handed to readers, kept here */
  GHashTable                *taken;           /* ids made from local ids, in an empty store */
  GHashTable                *suffixes;        /* id base → the next number to try after it */
  gboolean                   was_empty;       /* the store had nothing: only this import's ids exist */
  guint                      max_numbered[CHRONO_STORE_ID_EXCERPT + 1];  /* highest "prefix-N" made, per kind */

  guint                      n_events;
  guint                      n_places;
  guint                      n_sources;
  guint                      n_skipped;
  GPtrArray                 *problems;
};

/* Options */

ChronoImportOptions *
chrono_import_options_new (void)
{
  return g_new0 (ChronoImportOptions, 1);
}

ChronoImportOptions *
chrono_import_options_copy (const ChronoImportOptions *self)
{
  ChronoImportOptions *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (ChronoImportOptions, 1);
  copy->format = g_strdup (self->format);
  copy->date_order = self->date_order;
  copy->lang = g_strdup (self->lang);
  for (guint i = 0; i < CHRONO_COLUMN_N_ROLES; i++)
    copy->columns[i] = g_strdup (self->columns[i]);

  return copy;
}

void
chrono_import_options_free (ChronoImportOptions *self)
{
  if (self == NULL)
    return;

  g_free (self->format);
  g_free (self->lang);
  for (guint i = 0; i < CHRONO_COLUMN_N_ROLES; i++)
    g_free (self->columns[i]);
  g_free (self);
}

const char *
chrono_column_role_to_string (ChronoColumnRole role)
{
  g_return_val_if_fail (role < CHRONO_COLUMN_N_ROLES, NULL);

  return role_names[role];
}

gboolean
chrono_column_role_from_string (const char       *text,
                                ChronoColumnRole *out_role)
{
  for (guint i = 0; i < CHRONO_COLUMN_N_ROLES; i++)
    if (g_ascii_strcasecmp (text, role_names[i]) == 0)
      {
        *out_role = i;
        return TRUE;
      }

  return FALSE;
}

/**
 * chrono_import_options_parse_columns:
 * @spec: "ROLE=HEADER,ROLE=HEADER…", as `--columns` takes it
 *
 * Sets the columns given by hand. Errors name the part that is wrong.
 */
gboolean
chrono_import_options_parse_columns (ChronoImportOptions  *self,
                                     const char           *spec,
                                     GError              **error)
{
  g_auto (GStrv) parts = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  parts = g_strsplit (spec, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *eq = strchr (parts[i], '=');
      g_autofree char *role_text = NULL;
      g_autofree char *header = NULL;
      ChronoColumnRole role;

      if (eq == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” is not ROLE=HEADER"), parts[i]);
          return FALSE;
        }

      role_text = g_strstrip (g_strndup (parts[i], eq - parts[i]));
      header = g_strstrip (g_strdup (eq + 1));
      if (!chrono_column_role_from_string (role_text, &role))
        {
          g_autofree char *roles = g_strjoinv (", ", (char **) role_names);

          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” is not a column role (one of %s)"), role_text, roles);
          return FALSE;
        }
      if (header[0] == '\0')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s”: no column header after “=”"), parts[i]);
          return FALSE;
        }

      g_free (self->columns[role]);
      self->columns[role] = g_steal_pointer (&header);
    }

  return TRUE;
}

/* Problems */

void
chrono_import_problem_free (ChronoImportProblem *self)
{
  if (self == NULL)
    return;

  g_free (self->path);
  g_free (self->message);
  g_free (self);
}

char *
chrono_import_problem_to_string (const ChronoImportProblem *self,
                                 const char                *display_name)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->line > 0 && self->column > 0)
    return g_strdup_printf ("%s:%u:%u: %s", display_name, self->line, self->column, self->message);
  if (self->line > 0 && self->path != NULL)
    return g_strdup_printf ("%s:%u: %s: %s", display_name, self->line, self->path, self->message);
  if (self->line > 0)
    return g_strdup_printf ("%s:%u: %s", display_name, self->line, self->message);
  if (self->path != NULL)
    return g_strdup_printf ("%s: %s: %s", display_name, self->path, self->message);
  return g_strdup_printf ("%s: %s", display_name, self->message);
}

static void
add_problem (ChronoImport *self,
             guint         line,
             guint         column,
             const char   *path,
             char         *message)
{
  ChronoImportProblem *problem;

  if (self->problems->len >= MAX_KEPT_PROBLEMS)
    {
      g_free (message);
      return;
    }

  /* Messages quote the file, which may not be valid UTF-8 */
  if (!g_utf8_validate (message, -1, NULL))
    {
      char *valid = g_utf8_make_valid (message, -1);

      g_free (message);
      message = valid;
    }

  problem = g_new0 (ChronoImportProblem, 1);
  problem->line = line;
  problem->column = column;
  problem->path = g_strdup (path);
  problem->message = message;
  g_ptr_array_add (self->problems, problem);
}

/**
 * chrono_import_skip:
 *
 * Records that the row or feature at @line (or @path) was left out, and why.
 */
void
chrono_import_skip (ChronoImport *self,
                    guint         line,
                    guint         column,
                    const char   *path,
                    const char   *format,
                    ...)
{
  va_list args;

  g_return_if_fail (self != NULL);

  va_start (args, format);
  add_problem (self, line, column, path, g_strdup_vprintf (format, args));
  va_end (args);
  self->n_skipped++;
}

/**
 * chrono_import_note:
 *
 * Records something the person should know that did not cost a row: a
 * two-digit year read as 1998, a text cut short, a field ignored.
 */
void
chrono_import_note (ChronoImport *self,
                    guint         line,
                    guint         column,
                    const char   *path,
                    const char   *format,
                    ...)
{
  va_list args;

  g_return_if_fail (self != NULL);

  va_start (args, format);
  add_problem (self, line, column, path, g_strdup_vprintf (format, args));
  va_end (args);
}

/* Formats */

const ChronoImportFormat * const *
chrono_import_get_formats (void)
{
  return formats;
}

const ChronoImportFormat *
chrono_import_find_format (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; formats[i] != NULL; i++)
    if (g_ascii_strcasecmp (formats[i]->name, name) == 0)
      return formats[i];

  return NULL;
}

/**
 * chrono_import_detect:
 * @basename: (nullable): the file's name, for its extension
 *
 * Finds the format of @bytes by their content first, then by the name.
 *
 * Returns: (nullable): the format, or NULL when no reader takes the file
 */
const ChronoImportFormat *
chrono_import_detect (const char *basename,
                      GBytes     *bytes)
{
  const ChronoImportFormat *best = NULL;
  int best_score = CHRONO_DETECT_NO;
  const guint8 *data;
  gsize size;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  /* The first 64 KiB say enough, and keep detection cheap on a huge file. */
  size = MIN (size, 64 * 1024);

  for (guint i = 0; formats[i] != NULL; i++)
    {
      int score = formats[i]->detect (basename, data != NULL ? data : (const guint8 *) "", size);

      if (score > best_score)
        {
          best = formats[i];
          best_score = score;
        }
    }

  return best;
}

/* The import */

ChronoImport *
chrono_import_new (ChronoStore               *store,
                   const char                *display_name,
                   const ChronoImportOptions *options)
{
  ChronoImport *self;

  g_return_val_if_fail (CHRONO_IS_STORE (store), NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  self = g_new0 (ChronoImport, 1);
  self->store = g_object_ref (store);
  self->display_name = g_strdup (display_name);
  self->options = options != NULL ? chrono_import_options_copy (options) : chrono_import_options_new ();
  self->lang = self->options->lang != NULL ? self->options->lang : "und";
  self->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->place_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->place_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->place_titles = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->place_search = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->quotes = g_string_new (NULL);
  self->place_text = g_string_new (NULL);
  self->strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->suffixes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) chrono_import_problem_free);

  return self;
}

void
chrono_import_free (ChronoImport *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_free (self->display_name);
  chrono_import_options_free (self->options);
  g_free (self->prefix);
  g_free (self->file_source_id);
  g_free (self->title);
  g_free (self->description);
  g_hash_table_unref (self->sources);
  g_hash_table_unref (self->places);
  g_hash_table_unref (self->place_keys);
  g_hash_table_unref (self->place_names);
  g_hash_table_unref (self->place_titles);
  g_hash_table_unref (self->place_search);
  g_string_free (self->quotes, TRUE);
  g_string_free (self->place_text, TRUE);
  g_hash_table_unref (self->strings);
  g_hash_table_unref (self->taken);
  g_hash_table_unref (self->suffixes);
  g_ptr_array_unref (self->problems);
  g_free (self);
}

void
chrono_import_set_cancellable (ChronoImport *self,
                               GCancellable *cancellable)
{
  g_return_if_fail (self != NULL);

  g_set_object (&self->cancellable, cancellable);
}

/* @func is called from the thread the import runs in. */
void
chrono_import_set_progress_func (ChronoImport             *self,
                                 ChronoImportProgressFunc  func,
                                 gpointer                  data)
{
  g_return_if_fail (self != NULL);

  self->progress_func = func;
  self->progress_data = data;
}

const ChronoImportOptions *
chrono_import_get_options (ChronoImport *self)
{
  return self->options;
}

const char *
chrono_import_get_display_name (ChronoImport *self)
{
  return self->display_name;
}

const char *
chrono_import_get_lang (ChronoImport *self)
{
  return self->lang;
}

const ChronoImportFormat *
chrono_import_get_format (ChronoImport *self)
{
  return self->format;
}

guint
chrono_import_get_n_events (ChronoImport *self)
{
  return self->n_events;
}

guint
chrono_import_get_n_places (ChronoImport *self)
{
  return self->n_places;
}

guint
chrono_import_get_n_sources (ChronoImport *self)
{
  return self->n_sources;
}

guint
chrono_import_get_n_skipped (ChronoImport *self)
{
  return self->n_skipped;
}

/* Returns: (transfer none) (element-type ChronoImportProblem): what was skipped, and notes */
GPtrArray *
chrono_import_get_problems (ChronoImport *self)
{
  return self->problems;
}

/* Returns: (transfer full): "Imported N events, M places, S sources; K skipped" */
char *
chrono_import_dup_summary (ChronoImport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  /* Translators: the summary of an import, e.g. "Imported 1848 events, 312 places, 1 sources; 4 skipped" */
  return g_strdup_printf (_("Imported %u events, %u places, %u sources; %u skipped"),
                          self->n_events, self->n_places, self->n_sources, self->n_skipped);
}

void
chrono_import_set_title (ChronoImport *self,
                         const char   *title)
{
  g_return_if_fail (self != NULL);

  g_free (self->title);
  self->title = title != NULL && title[0] != '\0' ? chrono_import_text_limit (title, 1000) : NULL;
}

void
chrono_import_set_description (ChronoImport *self,
                               const char   *description)
{
  g_return_if_fail (self != NULL);

  g_free (self->description);
  self->description = description != NULL && description[0] != '\0'
    ? chrono_import_text_limit (description, 100000) : NULL;
}

/* Keeps @id for the life of the import and returns the kept copy. */
static const char *
intern (ChronoImport *self,
        char         *id)
{
  const char *kept = g_hash_table_lookup (self->strings, id);

  if (kept != NULL)
    {
      g_free (id);
      return kept;
    }

  g_hash_table_add (self->strings, id);
  return id;
}

static gboolean
id_is_taken (ChronoImport      *self,
             ChronoStoreIdKind  kind,
             const char        *id)
{
  /* In a store that was empty, the only ids are this import's */
  if (self->was_empty)
    return g_hash_table_contains (self->taken, id);

  return g_hash_table_contains (self->taken, id) || chrono_store_has_id (self->store, kind, id);
}

static gboolean
is_number (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return text[0] != '\0';
}

/*
 * "<prefix>-<slug of @local>", or "<prefix>-<n>", made free in the store:
 * a taken id gets the next number after it that is free. Ids made from
 * local ids are remembered; numbered ones need not be (a million of them
 * would cost memory), since their numbers only grow: a local id that is a
 * number at most the highest numbered one so far is taken for that reason.
 */
static char *
make_id (ChronoImport      *self,
         ChronoStoreIdKind  kind,
         const char        *local,
         guint              n)
{
  g_autofree char *slug = local != NULL ? chrono_import_slug (local) : NULL;
  g_autofree char *base = NULL;
  gboolean numbered = slug == NULL || slug[0] == '\0';
  gboolean taken;
  char *id;

  if (!numbered)
    base = g_strdup_printf ("%s-%s", self->prefix, slug);
  else
    base = g_strdup_printf ("%s-%u", self->prefix, n);

  taken = id_is_taken (self, kind, base);
  if (!taken && !numbered && is_number (slug))
    {
      guint64 value = g_ascii_strtoull (slug, NULL, 10);

      taken = value > 0 && value <= self->max_numbered[kind];
    }

  if (!taken)
    id = g_steal_pointer (&base);
  else
    {
      guint next = GPOINTER_TO_UINT (g_hash_table_lookup (self->suffixes, base));

      id = NULL;
      for (guint i = MAX (next, 2); id == NULL; i++)
        {
          char *candidate = g_strdup_printf ("%s-%u", base, i);

          if (!id_is_taken (self, kind, candidate))
            {
              id = candidate;
              g_hash_table_insert (self->suffixes, g_strdup (base), GUINT_TO_POINTER (i + 1));
            }
          else
            g_free (candidate);
        }
    }

  if (numbered)
    self->max_numbered[kind] = MAX (self->max_numbered[kind], n);
  if (!numbered || taken)
    g_hash_table_add (self->taken, g_strdup (id));

  return id;
}

/* Returns: the file's own source, which excerpts without a source of their own quote */
const char *
chrono_import_get_file_source (ChronoImport *self)
{
  return self->file_source_id;
}

static char *
dup_clean (const char *text,
           gsize       max)
{
  g_autofree char *copy = NULL;

  if (text == NULL)
    return NULL;

  copy = chrono_import_text_limit (text, max);
  g_strstrip (copy);
  if (copy[0] == '\0')
    return NULL;

  return g_steal_pointer (&copy);
}

/**
 * chrono_import_add_source:
 *
 * Adds a source, or finds the one already added with the same local id (or
 * title and URL).
 *
 * Returns: (nullable): its id, valid for the whole import; NULL when the
 *   store refused it (the import then fails at its end)
 */
const char *
chrono_import_add_source (ChronoImport             *self,
                          const ChronoImportSource *source)
{
  g_autoptr (ChronoSource) object = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *title = NULL;
  const char *found;
  char *id;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  title = dup_clean (source->title != NULL ? source->title : source->url, 2000);
  if (title == NULL)
    return self->file_source_id;

  key = source->local_id != NULL
    ? g_strconcat ("\x1f", source->local_id, NULL)
    : g_strconcat (title, "\x1f", source->url != NULL ? source->url : "", NULL);
  found = g_hash_table_lookup (self->sources, key);
  if (found != NULL)
    return found;

  id = make_id (self, CHRONO_STORE_ID_SOURCE, source->local_id != NULL ? source->local_id : title,
                self->n_sources + 1);
  object = g_object_new (CHRONO_TYPE_SOURCE,
                         "id", id,
                         "title", title,
                         "outlet", source->outlet,
                         "author", source->author,
                         "published", source->published,
                         "language", source->language,
                         "url", source->url,
                         "note", source->note,
                         NULL);
  if (!chrono_store_add_source (self->store, object, &error))
    {
      chrono_import_note (self, 0, 0, NULL, "%s", error->message);
      g_free (id);
      return NULL;
    }

  self->n_sources++;
  /* The table owns @id; it lives as long as the import. */
  g_hash_table_insert (self->sources, g_steal_pointer (&key), id);
  return id;
}

static char *
fold_name (const char *name)
{
  g_autofree char *normal = g_utf8_normalize (name, -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normal != NULL ? normal : name, -1);
}

/**
 * chrono_import_add_place:
 * @line, @path: where the place is, for messages
 *
 * Adds a place after checking its point. A place without a local id is the
 * same as an earlier one with the same first name and point.
 *
 * Returns: (nullable): its id, valid for the whole import, or NULL when it
 *   was skipped (and a problem recorded)
 */
const char *
chrono_import_add_place (ChronoImport            *self,
                         const ChronoImportPlace *place,
                         guint                    line,
                         const char              *path)
{
  g_autoptr (GPtrArray) names = NULL;
  g_autoptr (ChronoPlace) object = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *key = NULL;
  const char *kind;
  const char *found;
  char *id;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (place != NULL, NULL);

  if (!isfinite (place->lat) || !isfinite (place->lon) ||
      place->lat < -90 || place->lat > 90 || place->lon < -180 || place->lon > 180)
    {
      chrono_import_skip (self, line, 0, path,
                          _("the point (%g, %g) is not a latitude and longitude on Earth"),
                          place->lat, place->lon);
      return NULL;
    }

  names = g_ptr_array_new_with_free_func ((GDestroyNotify) chrono_place_name_free);
  for (guint i = 0; i < place->n_names; i++)
    {
      g_autofree char *name = dup_clean (place->names[i].name, 1000);

      if (name == NULL)
        continue;
      g_ptr_array_add (names, chrono_place_name_new_full (place->names[i].lang != NULL ? place->names[i].lang : self->lang,
                                                          name, place->names[i].usage, place->names[i].when));
    }

  if (place->local_id != NULL)
    {
      found = g_hash_table_lookup (self->places, place->local_id);
      if (found != NULL)
        return found;
    }
  else
    {
      key = g_strdup_printf ("%s\x1f%.6f\x1f%.6f", names->len > 0 ? ((ChronoPlaceName *) names->pdata[0])->name : "",
                             place->lat, place->lon);
      found = g_hash_table_lookup (self->place_keys, key);
      if (found != NULL)
        return found;
    }

  if (names->len == 0)
    {
      /* Every place needs a name to be shown by: its point will do. */
      g_autofree char *point = g_strdup_printf ("%.4f, %.4f", place->lat, place->lon);

      g_ptr_array_add (names, chrono_place_name_new (self->lang, point, NULL));
    }

  kind = place->kind;
  if (kind == NULL && place->geometry != NULL)
    kind = strstr (place->geometry, "Polygon") != NULL ? "region" : "route";
  if (kind == NULL)
    kind = "site";

  id = make_id (self, CHRONO_STORE_ID_PLACE,
                place->local_id != NULL ? place->local_id : ((ChronoPlaceName *) names->pdata[0])->name,
                self->n_places + 1);
  object = g_object_new (CHRONO_TYPE_PLACE,
                         "id", id,
                         "kind", kind,
                         "lat", place->lat,
                         "lon", place->lon,
                         "geometry", place->geometry,
                         "note", place->note,
                         "names", names,
                         NULL);
  if (!chrono_store_add_place (self->store, object, &error))
    {
      chrono_import_skip (self, line, 0, path, "%s", error->message);
      g_free (id);
      return NULL;
    }

  self->n_places++;
  id = (char *) intern (self, id);
  if (place->local_id != NULL)
    g_hash_table_insert (self->places, g_strdup (place->local_id), g_strdup (id));
  else
    g_hash_table_insert (self->place_keys, g_steal_pointer (&key), (gpointer) id);

  for (guint i = 0; i < names->len; i++)
    {
      char *folded = fold_name (((ChronoPlaceName *) names->pdata[i])->name);

      if (!g_hash_table_contains (self->place_names, folded))
        g_hash_table_insert (self->place_names, folded, (gpointer) id);
      else
        g_free (folded);
    }

  g_hash_table_insert (self->place_titles, (gpointer) id,
                       g_strdup (((ChronoPlaceName *) names->pdata[0])->name));
  {
    GString *all = g_string_new (NULL);

    for (guint i = 0; i < names->len; i++)
      g_string_append_printf (all, "%s%s", i > 0 ? " " : "", ((ChronoPlaceName *) names->pdata[i])->name);
    g_hash_table_insert (self->place_search, (gpointer) id, g_string_free (all, FALSE));
  }
  return id;
}

/* Returns: (nullable): the id of the place added with @local_id */
const char *
chrono_import_find_place (ChronoImport *self,
                          const char   *local_id)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (local_id != NULL, NULL);

  return g_hash_table_lookup (self->places, local_id);
}

/* Returns: (nullable): the id of a place added with @name (any case, any form) */
const char *
chrono_import_find_place_by_name (ChronoImport *self,
                                  const char   *name)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  folded = fold_name (name);
  return g_hash_table_lookup (self->place_names, folded);
}

/* An event's title when the file gives none: the first line of its text, or its place. */
static char *
make_title (ChronoImport            *self,
            const ChronoImportEvent *event)
{
  if (event->summary != NULL)
    {
      g_autofree char *line = g_strndup (event->summary, strcspn (event->summary, "\n"));

      g_strstrip (line);
      if (line[0] != '\0')
        {
          if (g_utf8_strlen (line, -1) > 80)
            {
              g_autofree char *cut = g_utf8_substring (line, 0, 79);

              return g_strconcat (g_strchomp (cut), "…", NULL);
            }
          return g_steal_pointer (&line);
        }
    }

  if (event->n_places > 0 && event->place_ids[0] != NULL)
    return g_strdup (g_hash_table_lookup (self->place_titles, event->place_ids[0]));

  return NULL;
}

static gboolean
parse_span (const char  *text,
            ChronoDay   *out_lo,
            ChronoDay   *out_hi,
            GError     **error)
{
  g_autoptr (ChronoEdtf) edtf = chrono_edtf_parse (text, error);

  if (edtf == NULL)
    return FALSE;

  *out_lo = chrono_edtf_get_earliest (edtf);
  *out_hi = chrono_edtf_get_latest (edtf);
  return TRUE;
}

/**
 * chrono_import_add_event:
 * @line, @path: where the event is, for messages
 *
 * Checks the event's dates and adds it with its text, places and excerpts.
 *
 * Returns: whether it was added; if not, a problem says why
 */
gboolean
chrono_import_add_event (ChronoImport            *self,
                         const ChronoImportEvent *event,
                         guint                    line,
                         const char              *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *id = NULL;
  const char *lang;
  ChronoDay start_lo, start_hi, end_lo, end_hi;
  gint64 rowid = 0;
  int importance;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (event->start == NULL || event->start[0] == '\0')
    {
      chrono_import_skip (self, line, 0, path, _("no date"));
      return FALSE;
    }

  if (!parse_span (event->start, &start_lo, &start_hi, &error))
    {
      chrono_import_skip (self, line, 0, path, _("start: %s"), error->message);
      return FALSE;
    }

  if (event->end != NULL && g_str_equal (event->end, ".."))
    {
      end_lo = start_hi;
      end_hi = CHRONO_DAY_POSITIVE_INFINITY;
    }
  else if (event->end != NULL && !g_str_equal (event->end, event->start))
    {
      if (!parse_span (event->end, &end_lo, &end_hi, &error))
        {
          chrono_import_skip (self, line, 0, path, _("end: %s"), error->message);
          return FALSE;
        }
      if (end_hi < start_lo)
        {
          chrono_import_skip (self, line, 0, path, _("the end “%s” is before the start “%s”"),
                              event->end, event->start);
          return FALSE;
        }
    }
  else
    {
      end_lo = start_lo;
      end_hi = start_hi;
    }

  if (start_lo == CHRONO_DAY_NEGATIVE_INFINITY && end_hi == CHRONO_DAY_POSITIVE_INFINITY)
    {
      chrono_import_skip (self, line, 0, path, _("the dates are open at both ends"));
      return FALSE;
    }

  lang = event->lang != NULL ? event->lang : self->lang;
  title = dup_clean (event->title, 2000);
  summary = dup_clean (event->summary, CHRONO_IMPORT_MAX_TEXT);
  if (title == NULL)
    {
      ChronoImportEvent with_summary = *event;

      with_summary.summary = summary;
      title = make_title (self, &with_summary);
    }
  if (title == NULL)
    title = g_strdup (_("Untitled event"));

  importance = event->importance >= 1 && event->importance <= 3 ? event->importance : 2;
  id = make_id (self, CHRONO_STORE_ID_EVENT, event->local_id, self->n_events + 1);

  if (!chrono_store_add_event (self->store, id, event->start,
                               event->end != NULL && !g_str_equal (event->end, event->start) ? event->end : NULL,
                               start_lo, start_hi, end_lo, end_hi,
                               event->category, importance, event->note, &rowid, &error) ||
      !chrono_store_add_event_text (self->store, id, lang, title, summary, &error))
    {
      chrono_import_skip (self, line, 0, path, "%s", error->message);
      return FALSE;
    }

  g_string_truncate (self->place_text, 0);
  for (guint i = 0; i < event->n_places; i++)
    {
      const char *names;

      if (event->place_ids[i] == NULL)
        continue;
      if (!chrono_store_add_event_place (self->store, id, event->place_ids[i], "location", i, &error))
        {
          chrono_import_skip (self, line, 0, path, "%s", error->message);
          return FALSE;
        }
      names = g_hash_table_lookup (self->place_search, event->place_ids[i]);
      if (names != NULL)
        g_string_append_printf (self->place_text, "%s%s", self->place_text->len > 0 ? " " : "", names);
    }

  g_string_truncate (self->quotes, 0);

  for (guint i = 0; i < event->n_excerpts; i++)
    {
      const ChronoImportExcerpt *excerpt = &event->excerpts[i];
      g_autofree char *quote = dup_clean (excerpt->quote, CHRONO_IMPORT_MAX_TEXT);
      g_autofree char *excerpt_id = NULL;
      const char *source_id = excerpt->source_id != NULL ? excerpt->source_id : self->file_source_id;

      if (quote == NULL || source_id == NULL)
        continue;

      excerpt_id = g_strdup_printf ("%s-x%u", id, i);
      if (!chrono_store_add_excerpt (self->store, excerpt_id, id, source_id,
                                     excerpt->lang != NULL ? excerpt->lang : lang,
                                     quote, -1, -1, i, &error))
        {
          chrono_import_skip (self, line, 0, path, "%s", error->message);
          return FALSE;
        }
      /* A description given as both the summary and the quote is searched once */
      if (g_strcmp0 (quote, summary) != 0)
        g_string_append_printf (self->quotes, "%s%s", self->quotes->len > 0 ? " " : "", quote);
    }

  /* The search index learns of the event now, not by reading it all back */
  if (!chrono_store_index_event (self->store, rowid, title, summary,
                                 self->quotes->len > 0 ? self->quotes->str : NULL,
                                 self->place_text->len > 0 ? self->place_text->str : NULL, &error))
    {
      chrono_import_skip (self, line, 0, path, "%s", error->message);
      return FALSE;
    }

  self->n_events++;
  return TRUE;
}

/**
 * chrono_import_progress:
 * @done: how much of @total is read
 *
 * Readers call this as they go (every row is fine: it is cheap). Says how
 * far the import is, and returns FALSE with @error set once it is cancelled.
 */
gboolean
chrono_import_progress (ChronoImport  *self,
                        gsize          done,
                        gsize          total,
                        GError       **error)
{
  if (++self->progress_calls % 1024 != 0)
    return TRUE;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_CANCELLED,
                   _("The import was cancelled"));
      return FALSE;
    }

  if (self->progress_func != NULL && total > 0)
    self->progress_func (MIN (1.0, (double) done / total), self->progress_data);

  return TRUE;
}

/* The import's id prefix: the file's name made an id, free among the sources. */
static char *
choose_prefix (ChronoImport *self)
{
  g_autofree char *stem = g_strdup (self->display_name);
  g_autofree char *slug = NULL;
  char *dot = strrchr (stem, '.');
  char *prefix;

  if (dot != NULL && dot != stem)
    *dot = '\0';
  slug = chrono_import_slug (stem);
  if (slug[0] == '\0')
    {
      g_free (slug);
      slug = g_strdup ("import");
    }
  /* Ids stay short enough to read. */
  if (strlen (slug) > 40)
    slug[40] = '\0';

  prefix = g_strdup (slug);
  for (guint i = 2; chrono_store_has_id (self->store, CHRONO_STORE_ID_SOURCE, prefix); i++)
    {
      g_free (prefix);
      prefix = g_strdup_printf ("%s-%u", slug, i);
    }

  return prefix;
}

static gboolean
store_is_empty (ChronoStore *store)
{
  ChronoStoreCounts counts = { 0 };

  return chrono_store_get_counts (store, &counts, NULL) &&
         counts.events == 0 && counts.places == 0 && counts.sources == 0;
}

static gboolean
write_meta (ChronoImport  *self,
            gboolean       was_empty,
            GError       **error)
{
  g_autofree char *existing = chrono_store_dup_meta (self->store, "languages");

  if (was_empty)
    {
      g_autofree char *title_key = g_strconcat ("title:", self->lang, NULL);
      g_autofree char *stem = g_strdup (self->display_name);
      char *dot = strrchr (stem, '.');

      if (dot != NULL && dot != stem)
        *dot = '\0';
      if (!chrono_store_set_meta (self->store, title_key, self->title != NULL ? self->title : stem, error) ||
          !chrono_store_set_meta (self->store, "imported-from", self->display_name, error))
        return FALSE;

      if (self->description != NULL)
        {
          g_autofree char *key = g_strconcat ("description:", self->lang, NULL);

          if (!chrono_store_set_meta (self->store, key, self->description, error))
            return FALSE;
        }
    }

  if (existing == NULL)
    return chrono_store_set_meta (self->store, "languages", self->lang, error);

  {
    g_auto (GStrv) langs = g_strsplit (existing, " ", -1);

    if (!g_strv_contains ((const char * const *) langs, self->lang))
      {
        g_autofree char *more = g_strconcat (existing, " ", self->lang, NULL);

        return chrono_store_set_meta (self->store, "languages", more, error);
      }
  }

  return TRUE;
}

/**
 * chrono_import_run:
 * @bytes: the whole file
 *
 * Imports @bytes into the store in one transaction: on error (a file that
 * cannot be read, nothing that could be imported, a cancel) the store is
 * left as it was. Rows and features that are skipped do not fail the
 * import; chrono_import_get_problems() lists them.
 */
gboolean
chrono_import_run (ChronoImport  *self,
                   GBytes        *bytes,
                   GError       **error)
{
  g_autofree char *file_source = NULL;
  gboolean was_empty;
  gint64 begin_time = g_get_monotonic_time ();

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (self->format == NULL, FALSE);

  if (self->options->format != NULL)
    {
      self->format = chrono_import_find_format (self->options->format);
      if (self->format == NULL)
        {
          g_autoptr (GString) names = g_string_new (NULL);

          for (guint i = 0; formats[i] != NULL; i++)
            g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", formats[i]->name);
          g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNKNOWN_FORMAT,
                       _("“%s” is not a format Chronotope reads (one of %s)"),
                       self->options->format, names->str);
          return FALSE;
        }
    }
  else
    {
      self->format = chrono_import_detect (self->display_name, bytes);
      if (self->format == NULL)
        {
          g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNKNOWN_FORMAT,
                       _("%s: not a format Chronotope reads (CSV, GeoJSON, KML, KMZ, TimelineJS, "
                         "StoryMapJS, Linked Places or a Chronotope dataset)"),
                       self->display_name);
          return FALSE;
        }
    }

  was_empty = store_is_empty (self->store);
  self->was_empty = was_empty;
  if (self->format == &chrono_import_format_native && !was_empty)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_UNSUPPORTED,
                   _("%s is a Chronotope dataset: open it instead of adding it to another"),
                   self->display_name);
      return FALSE;
    }

  if (!chrono_store_begin (self->store, error))
    return FALSE;

  self->prefix = choose_prefix (self);
  if (self->format != &chrono_import_format_native)
    {
      g_autofree char *note = g_strdup_printf (_("Imported from the file %s"), self->display_name);
      ChronoImportSource source = {
        .local_id = NULL,
        .title = self->display_name,
        .note = note,
      };
      g_autoptr (ChronoSource) object = g_object_new (CHRONO_TYPE_SOURCE,
                                                      "id", self->prefix,
                                                      "title", source.title,
                                                      "note", source.note,
                                                      NULL);

      if (!chrono_store_add_source (self->store, object, error))
        {
          chrono_store_rollback (self->store);
          return FALSE;
        }
      self->file_source_id = g_strdup (self->prefix);
      self->n_sources++;
    }

  if (!self->format->read (self, bytes, error))
    {
      chrono_store_rollback (self->store);
      /* A reader's message may quote bytes of the file that are not UTF-8 */
      if (error != NULL && *error != NULL && !g_utf8_validate ((*error)->message, -1, NULL))
        {
          char *valid = g_utf8_make_valid ((*error)->message, -1);

          g_free ((*error)->message);
          (*error)->message = valid;
        }
      return FALSE;
    }

  if (self->format != &chrono_import_format_native && self->n_events == 0 && self->n_places == 0)
    {
      chrono_store_rollback (self->store);
      if (self->problems->len > 0)
        {
          g_autofree char *first = chrono_import_problem_to_string (self->problems->pdata[0], self->display_name);

          g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_NOTHING,
                       _("%s: nothing could be imported (%u skipped; the first: %s)"),
                       self->display_name, self->n_skipped, first);
        }
      else
        g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_NOTHING,
                     _("%s: the file has no events or places"), self->display_name);
      return FALSE;
    }

  /* Every event of the import is in the search index already */
  if (self->format != &chrono_import_format_native)
    chrono_store_set_search_current (self->store);

  if ((self->format != &chrono_import_format_native && !write_meta (self, was_empty, error)) ||
      !chrono_store_commit (self->store, error))
    {
      chrono_store_rollback (self->store);
      return FALSE;
    }

  g_debug ("%s: %s import of %u events in %.1f ms", self->display_name, self->format->name,
           self->n_events, (g_get_monotonic_time () - begin_time) / 1000.0);
  return TRUE;
}

/* For the native reader, which counts for itself */
void
chrono_import_set_counts (ChronoImport *self,
                          guint         n_events,
                          guint         n_places,
                          guint         n_sources)
{
  self->n_events = n_events;
  self->n_places = n_places;
  self->n_sources = n_sources;
}

/* For the native reader, which loads through chrono-dataset.c */
ChronoStore *
chrono_import_get_store (ChronoImport *self)
{
  return self->store;
}
