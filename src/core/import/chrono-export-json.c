/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-export-json"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "chrono-export.h"
#include "chrono-import.h"
#include "chrono-tour-step.h"

/*
 * The open dataset as Chronotope's own dataset JSON (data/datasets/README.md),
 * which chrono_dataset_import_bytes() reads back: the header from the
 * dataset's meta values, then sources, places with all their names, events
 * with their texts in every language, places, excerpts and claims, and the
 * tour. Everything is written as the store holds it; nothing is made up to
 * please the loader, but for a title made of the id when the dataset has
 * none (imports always give one).
 *
 * The JSON is written by hand rather than through JsonGenerator, which
 * writes 39.8153 as 39.815300000000001; each source, place and event goes
 * to the stream as soon as it is written, so memory stays that of one item.
 */

typedef struct
{
  GString  *out;
  guint     level;
  gboolean  first;  /* nothing written yet in the current object or array */
} Writer;

static void
newline (Writer *w)
{
  g_string_append_c (w->out, '\n');
  for (guint i = 0; i < w->level; i++)
    g_string_append (w->out, "  ");
}

/* Before each value of an array or member of an object */
static void
item (Writer *w)
{
  if (w->level == 0)
    return;
  if (!w->first)
    g_string_append_c (w->out, ',');
  newline (w);
  w->first = FALSE;
}

static void
begin (Writer *w,
       char    bracket)
{
  g_string_append_c (w->out, bracket);
  w->level++;
  w->first = TRUE;
}

static void
end (Writer *w,
     char    bracket)
{
  w->level--;
  if (!w->first)
    newline (w);
  g_string_append_c (w->out, bracket);
  w->first = FALSE;
}

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

      switch (c)
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
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
          break;
        }
    }
  g_string_append_c (out, '"');
}

static void
key (Writer     *w,
     const char *name)
{
  item (w);
  append_string (w->out, name);
  g_string_append (w->out, ": ");
}

static void
value_string (Writer     *w,
              const char *text)
{
  if (text != NULL)
    append_string (w->out, text);
  else
    g_string_append (w->out, "null");
}

static void
member_string (Writer     *w,
               const char *name,
               const char *text)
{
  key (w, name);
  value_string (w, text);
}

/* Only when there is a value */
static void
member_string_opt (Writer     *w,
                   const char *name,
                   const char *text)
{
  if (text != NULL)
    member_string (w, name, text);
}

static void
member_int (Writer     *w,
            const char *name,
            gint64      value)
{
  key (w, name);
  g_string_append_printf (w->out, "%" G_GINT64_FORMAT, value);
}

/* The shortest decimal that reads back as the same double: 39.8153, not 39.815300000000001. */
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

static void
member_double (Writer     *w,
               const char *name,
               double      value)
{
  key (w, name);
  append_double (w->out, value);
}

/* A parsed JSON value on one line (a GeoJSON geometry), with short numbers. */
static void
append_node (GString  *out,
             JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          {
            if (!first)
              g_string_append (out, ", ");
            first = FALSE;
            append_string (out, name);
            g_string_append (out, ": ");
            append_node (out, member);
          }
        g_string_append_c (out, '}');
        break;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append (out, ", ");
            append_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
        break;
      }

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        default:
          append_double (out, json_node_get_double (node));
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

static gboolean
flush (Writer         *w,
       GOutputStream  *out,
       GCancellable   *cancellable,
       GError        **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (!chrono_export_write (out, w->out->str, w->out->len, error))
    return FALSE;

  g_string_truncate (w->out, 0);
  return TRUE;
}

static void
add_lang (GPtrArray  *langs,
          const char *lang)
{
  if (lang == NULL || lang[0] == '\0')
    return;

  for (guint i = 0; i < langs->len; i++)
    if (g_str_equal (g_ptr_array_index (langs, i), lang))
      return;

  g_ptr_array_add (langs, g_strdup (lang));
}

/* A member "title": { LANG: meta "@prefix:LANG", … } for every language
 * that has one; @prefix is the member's name unless given. */
static gboolean
member_meta_texts (Writer      *w,
                   ChronoStore *store,
                   const char  *name,
                   const char  *prefix,
                   GPtrArray   *langs)
{
  gboolean any = FALSE;

  for (guint i = 0; i < langs->len; i++)
    {
      const char *lang = g_ptr_array_index (langs, i);
      g_autofree char *meta_key = g_strconcat (prefix != NULL ? prefix : name, ":", lang, NULL);
      g_autofree char *text = chrono_store_dup_meta (store, meta_key);

      if (text == NULL)
        continue;
      if (!any)
        {
          key (w, name);
          begin (w, '{');
          any = TRUE;
        }
      member_string (w, lang, text);
    }

  if (any)
    end (w, '}');

  return any;
}

/* The dataset's id: its own, or one made from its title. */
static char *
dup_dataset_id (ChronoStore *store,
                GPtrArray   *langs)
{
  g_autofree char *id = chrono_store_dup_meta (store, "dataset-id");

  if (id != NULL && id[0] != '\0')
    return g_steal_pointer (&id);

  for (guint i = 0; i < langs->len; i++)
    {
      g_autofree char *meta_key = g_strconcat ("title:", (char *) g_ptr_array_index (langs, i), NULL);
      g_autofree char *title = chrono_store_dup_meta (store, meta_key);
      g_autofree char *slug = NULL;

      if (title == NULL)
        continue;
      slug = chrono_import_slug (title);
      if (slug[0] != '\0')
        return g_steal_pointer (&slug);
    }

  return g_strdup ("dataset");
}

static void
write_source (Writer       *w,
              ChronoStore  *store,
              GPtrArray    *langs,
              ChronoSource *source)
{
  g_autofree char *citation_key = g_strconcat ("citation:", chrono_source_get_id (source), NULL);

  item (w);
  begin (w, '{');
  member_string (w, "id", chrono_source_get_id (source));
  member_string (w, "title", chrono_source_get_title (source));
  member_string (w, "outlet", chrono_source_get_outlet (source));
  member_string (w, "author", chrono_source_get_author (source));
  member_string (w, "published", chrono_source_get_published (source));
  member_string (w, "language", chrono_source_get_language (source));
  member_string (w, "url", chrono_source_get_url (source));
  member_string (w, "retrieved", chrono_source_get_retrieved (source));
  member_string (w, "document", chrono_source_get_document (source));
  member_string (w, "note", chrono_source_get_note (source));
  member_meta_texts (w, store, "citation", citation_key, langs);
  end (w, '}');
}

/* A JSON text (a GeoJSON geometry) as it is, or null. */
static void
value_json (Writer     *w,
            const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();

  /* The store's geometries were checked when they came in: no depth to fear. */
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      json_parser_get_root (parser) == NULL)
    {
      g_string_append (w->out, "null");
      return;
    }

  append_node (w->out, json_parser_get_root (parser));
}

static void
write_place (Writer      *w,
             ChronoPlace *place)
{
  GPtrArray *names = chrono_place_get_names (place);

  item (w);
  begin (w, '{');
  member_string (w, "id", chrono_place_get_id (place));
  member_string (w, "kind", chrono_place_get_kind (place));
  member_double (w, "lat", chrono_place_get_lat (place));
  member_double (w, "lon", chrono_place_get_lon (place));
  key (w, "names");
  begin (w, '[');
  for (guint i = 0; names != NULL && i < names->len; i++)
    {
      ChronoPlaceName *name = g_ptr_array_index (names, i);

      item (w);
      begin (w, '{');
      member_string (w, "lang", name->lang);
      member_string (w, "name", name->name);
      member_string_opt (w, "usage", name->usage);
      member_string_opt (w, "when", name->when);
      end (w, '}');
    }
  end (w, ']');
  key (w, "geometry");
  value_json (w, chrono_place_get_geometry (place));
  member_string (w, "note", chrono_place_get_note (place));
  end (w, '}');
}

static void
write_event (Writer      *w,
             ChronoEvent *event,
             GPtrArray   *texts)
{
  GPtrArray *places = chrono_event_get_places (event);
  GPtrArray *excerpts = chrono_event_get_excerpts (event);
  GPtrArray *claims = chrono_event_get_claims (event);

  item (w);
  begin (w, '{');
  member_string (w, "id", chrono_event_get_id (event));
  member_string (w, "start", chrono_event_get_start (event));
  member_string (w, "end", chrono_event_get_end (event));
  member_string (w, "category", chrono_event_get_category (event));
  member_int (w, "importance", chrono_event_get_importance (event));

  key (w, "text");
  begin (w, '{');
  for (guint i = 0; i < texts->len; i++)
    {
      ChronoEventText *text = g_ptr_array_index (texts, i);

      key (w, text->lang);
      begin (w, '{');
      member_string (w, "title", text->title);
      member_string_opt (w, "summary", text->summary);
      end (w, '}');
    }
  end (w, '}');

  key (w, "places");
  begin (w, '[');
  for (guint i = 0; places != NULL && i < places->len; i++)
    {
      item (w);
      begin (w, '{');
      member_string (w, "place", chrono_place_get_id (g_ptr_array_index (places, i)));
      member_string (w, "role", chrono_event_get_place_role (event, i));
      end (w, '}');
    }
  end (w, ']');

  key (w, "excerpts");
  begin (w, '[');
  for (guint i = 0; excerpts != NULL && i < excerpts->len; i++)
    {
      ChronoExcerpt *excerpt = g_ptr_array_index (excerpts, i);
      ChronoSource *source = chrono_excerpt_get_source (excerpt);

      item (w);
      begin (w, '{');
      member_string (w, "id", chrono_excerpt_get_id (excerpt));
      member_string (w, "source", source != NULL ? chrono_source_get_id (source) : NULL);
      member_string (w, "lang", chrono_excerpt_get_lang (excerpt));
      member_string (w, "quote", chrono_excerpt_get_quote (excerpt));
      if (chrono_excerpt_get_offset (excerpt) >= 0)
        member_int (w, "offset", chrono_excerpt_get_offset (excerpt));
      if (chrono_excerpt_get_length (excerpt) >= 0)
        member_int (w, "length", chrono_excerpt_get_length (excerpt));
      end (w, '}');
    }
  end (w, ']');

  key (w, "claims");
  begin (w, '[');
  for (guint i = 0; claims != NULL && i < claims->len; i++)
    {
      ChronoClaim *claim = g_ptr_array_index (claims, i);
      ChronoExcerpt *excerpt = chrono_claim_get_excerpt (claim);

      item (w);
      begin (w, '{');
      member_string (w, "id", chrono_claim_get_id (claim));
      member_string (w, "key", chrono_claim_get_key (claim));
      member_string (w, "value", chrono_claim_get_value (claim));
      member_string (w, "excerpt", excerpt != NULL ? chrono_excerpt_get_id (excerpt) : NULL);
      end (w, '}');
    }
  end (w, ']');

  member_string (w, "note", chrono_event_get_note (event));
  end (w, '}');
}

/*
 * The tour: one step per row, with the title and note of each language
 * that has its own (chrono_store_get_tour() falls back to other languages:
 * those are left out here).
 */
static gboolean
write_tour (Writer       *w,
            ChronoStore  *store,
            GPtrArray    *langs,
            GError      **error)
{
  g_autoptr (GPtrArray) per_lang = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *steps;

  for (guint i = 0; i < langs->len; i++)
    {
      GPtrArray *tour = chrono_store_get_tour (store, g_ptr_array_index (langs, i), error);

      if (tour == NULL)
        return FALSE;
      g_ptr_array_add (per_lang, tour);
    }

  if (per_lang->len == 0)
    return TRUE;
  steps = g_ptr_array_index (per_lang, 0);
  if (steps->len == 0)
    return TRUE;

  member_meta_texts (w, store, "tour-title", NULL, langs);

  key (w, "tour");
  begin (w, '[');
  for (guint s = 0; s < steps->len; s++)
    {
      ChronoTourStep *step = g_ptr_array_index (steps, s);
      const char * const *excerpts = chrono_tour_step_get_excerpts (step);
      gboolean any_note = FALSE;

      item (w);
      begin (w, '{');
      member_string (w, "event", chrono_tour_step_get_event_id (step));

      key (w, "title");
      begin (w, '{');
      for (guint i = 0; i < langs->len; i++)
        {
          ChronoTourStep *in_lang = g_ptr_array_index ((GPtrArray *) g_ptr_array_index (per_lang, i), s);

          if (g_strcmp0 (chrono_tour_step_get_lang (in_lang), g_ptr_array_index (langs, i)) == 0 &&
              chrono_tour_step_get_title (in_lang) != NULL)
            member_string (w, g_ptr_array_index (langs, i), chrono_tour_step_get_title (in_lang));
          any_note |= chrono_tour_step_get_note (in_lang) != NULL;
        }
      end (w, '}');

      if (any_note)
        {
          key (w, "note");
          begin (w, '{');
          for (guint i = 0; i < langs->len; i++)
            {
              ChronoTourStep *in_lang = g_ptr_array_index ((GPtrArray *) g_ptr_array_index (per_lang, i), s);

              if (g_strcmp0 (chrono_tour_step_get_lang (in_lang), g_ptr_array_index (langs, i)) == 0 &&
                  chrono_tour_step_get_note (in_lang) != NULL)
                member_string (w, g_ptr_array_index (langs, i), chrono_tour_step_get_note (in_lang));
            }
          end (w, '}');
        }

      member_string_opt (w, "date", chrono_tour_step_get_date (step));
      if (excerpts != NULL && excerpts[0] != NULL)
        {
          key (w, "excerpts");
          begin (w, '[');
          for (guint i = 0; excerpts[i] != NULL; i++)
            {
              item (w);
              value_string (w, excerpts[i]);
            }
          end (w, ']');
        }
      end (w, '}');
    }
  end (w, ']');

  return TRUE;
}

static gboolean
write_json (ChronoStore    *store,
            const char     *lang,
            GOutputStream  *out,
            GCancellable   *cancellable,
            GError        **error)
{
  g_autoptr (GString) buffer = g_string_sized_new (64 * 1024);
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GPtrArray) places = NULL;
  g_autoptr (GPtrArray) sources = NULL;
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GPtrArray) dataset_langs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) langs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *languages = chrono_store_dup_meta (store, "languages");
  g_autofree char *license = chrono_store_dup_meta (store, "license");
  g_autofree char *id = NULL;
  Writer w = { buffer, 0, TRUE };

  g_return_val_if_fail (CHRONO_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  if (!(events = chrono_export_get_events (store, lang, error)) ||
      !(places = chrono_store_get_places (store, lang, error)) ||
      !(sources = chrono_store_get_sources (store, error)))
    return FALSE;

  /* Every language the dataset has a text in: its own list first, then English. */
  if (languages != NULL)
    {
      g_auto (GStrv) listed = g_strsplit (languages, " ", -1);

      for (guint i = 0; listed[i] != NULL; i++)
        {
          add_lang (dataset_langs, listed[i]);
          add_lang (langs, listed[i]);
        }
    }
  add_lang (langs, "en");
  if (lang != NULL)
    add_lang (langs, lang);

  for (guint i = 0; i < events->len; i++)
    {
      GPtrArray *event_texts = chrono_store_get_event_texts (store, chrono_event_get_id (g_ptr_array_index (events, i)), error);

      if (event_texts == NULL)
        return FALSE;
      for (guint j = 0; j < event_texts->len; j++)
        add_lang (langs, ((ChronoEventText *) g_ptr_array_index (event_texts, j))->lang);
      g_ptr_array_add (texts, event_texts);
    }
  for (guint i = 0; i < places->len; i++)
    {
      GPtrArray *names = chrono_place_get_names (g_ptr_array_index (places, i));

      for (guint j = 0; names != NULL && j < names->len; j++)
        add_lang (langs, ((ChronoPlaceName *) g_ptr_array_index (names, j))->lang);
    }

  id = dup_dataset_id (store, langs);

  begin (&w, '{');
  member_string (&w, "format", "chronotope-dataset");
  member_int (&w, "version", 1);
  member_string (&w, "id", id);
  if (!member_meta_texts (&w, store, "title", NULL, langs))
    {
      /* The loader needs a title: the id is the only one there is. */
      key (&w, "title");
      begin (&w, '{');
      member_string (&w, "en", id);
      end (&w, '}');
    }
  member_meta_texts (&w, store, "description", NULL, langs);
  member_string_opt (&w, "license", license);
  key (&w, "languages");
  begin (&w, '[');
  for (guint i = 0; i < dataset_langs->len; i++)
    {
      item (&w);
      value_string (&w, g_ptr_array_index (dataset_langs, i));
    }
  end (&w, ']');

  key (&w, "sources");
  begin (&w, '[');
  for (guint i = 0; i < sources->len; i++)
    write_source (&w, store, langs, g_ptr_array_index (sources, i));
  end (&w, ']');
  if (!flush (&w, out, cancellable, error))
    return FALSE;

  key (&w, "places");
  begin (&w, '[');
  for (guint i = 0; i < places->len; i++)
    {
      write_place (&w, g_ptr_array_index (places, i));
      if (w.out->len > 256 * 1024 && !flush (&w, out, cancellable, error))
        return FALSE;
    }
  end (&w, ']');

  key (&w, "events");
  begin (&w, '[');
  for (guint i = 0; i < events->len; i++)
    {
      write_event (&w, g_ptr_array_index (events, i), g_ptr_array_index (texts, i));
      if (w.out->len > 256 * 1024 && !flush (&w, out, cancellable, error))
        return FALSE;
    }
  end (&w, ']');

  if (!write_tour (&w, store, langs, error))
    return FALSE;

  end (&w, '}');
  g_string_append_c (w.out, '\n');

  return flush (&w, out, cancellable, error);
}

const ChronoExportFormat chrono_export_format_json = {
  .name = "json",
  .label = N_("Chronotope dataset (JSON)"),
  .extension = "json",
  .mime_type = "application/json",
  .write = write_json,
};
