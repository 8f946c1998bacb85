/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-excerpt"

#include "config.h"

#include "chrono-excerpt.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "chrono-place.h"

/*
 * A verbatim quote from a source that reports an event. Offset and length
 * locate the quote in the source's document when they are known (-1 when not).
 */

struct _ChronoExcerpt
{
  GObject parent_instance;

  char *id;
  char *quote;
  char *lang;
  ChronoSource *source;
  gint64 offset;
  gint64 length;
};

G_DEFINE_FINAL_TYPE (ChronoExcerpt, chrono_excerpt, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_QUOTE,
  PROP_LANG,
  PROP_SOURCE,
  PROP_OFFSET,
  PROP_LENGTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
chrono_excerpt_dispose (GObject *object)
{
  ChronoExcerpt *self = (ChronoExcerpt *)object;

  g_clear_object (&self->source);

  G_OBJECT_CLASS (chrono_excerpt_parent_class)->dispose (object);
}

static void
chrono_excerpt_finalize (GObject *object)
{
  ChronoExcerpt *self = (ChronoExcerpt *)object;

  g_free (self->id);
  g_free (self->quote);
  g_free (self->lang);

  G_OBJECT_CLASS (chrono_excerpt_parent_class)->finalize (object);
}

static void
chrono_excerpt_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ChronoExcerpt *self = CHRONO_EXCERPT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_QUOTE:
      g_value_set_string (value, self->quote);
      break;
    case PROP_LANG:
      g_value_set_string (value, self->lang);
      break;
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    case PROP_OFFSET:
      g_value_set_int64 (value, self->offset);
      break;
    case PROP_LENGTH:
      g_value_set_int64 (value, self->length);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_excerpt_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ChronoExcerpt *self = CHRONO_EXCERPT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_QUOTE:
      self->quote = g_value_dup_string (value);
      break;
    case PROP_LANG:
      self->lang = g_value_dup_string (value);
      break;
    case PROP_SOURCE:
      self->source = g_value_dup_object (value);
      break;
    case PROP_OFFSET:
      self->offset = g_value_get_int64 (value);
      break;
    case PROP_LENGTH:
      self->length = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_excerpt_class_init (ChronoExcerptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                             G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  object_class->dispose = chrono_excerpt_dispose;
  object_class->finalize = chrono_excerpt_finalize;
  object_class->get_property = chrono_excerpt_get_property;
  object_class->set_property = chrono_excerpt_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_QUOTE] = g_param_spec_string ("quote", NULL, NULL, NULL, flags);
  properties[PROP_LANG] = g_param_spec_string ("lang", NULL, NULL, NULL, flags);
  properties[PROP_SOURCE] = g_param_spec_object ("source", NULL, NULL, CHRONO_TYPE_SOURCE, flags);
  properties[PROP_OFFSET] = g_param_spec_int64 ("offset", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_LENGTH] = g_param_spec_int64 ("length", NULL, NULL, -1, G_MAXINT64, -1, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
chrono_excerpt_init (ChronoExcerpt *self)
{
  self->offset = -1;
  self->length = -1;
}

const char *
chrono_excerpt_get_id (ChronoExcerpt *self)
{
  g_return_val_if_fail (CHRONO_IS_EXCERPT (self), NULL);
  return self->id;
}

const char *
chrono_excerpt_get_quote (ChronoExcerpt *self)
{
  g_return_val_if_fail (CHRONO_IS_EXCERPT (self), NULL);
  return self->quote;
}

/* The language of the quote: the document's, not the reader's. */
const char *
chrono_excerpt_get_lang (ChronoExcerpt *self)
{
  g_return_val_if_fail (CHRONO_IS_EXCERPT (self), NULL);
  return self->lang;
}

ChronoSource *
chrono_excerpt_get_source (ChronoExcerpt *self)
{
  g_return_val_if_fail (CHRONO_IS_EXCERPT (self), NULL);
  return self->source;
}

/* The quote's character offset in the source's document, or -1 if unknown. */
gint64
chrono_excerpt_get_offset (ChronoExcerpt *self)
{
  g_return_val_if_fail (CHRONO_IS_EXCERPT (self), -1);
  return self->offset;
}

/* The quote's length in characters in the source's document, or -1 if unknown. */
gint64
chrono_excerpt_get_length (ChronoExcerpt *self)
{
  g_return_val_if_fail (CHRONO_IS_EXCERPT (self), -1);
  return self->length;
}

/**
 * chrono_excerpt_dup_quoted:
 *
 * The quote in the marks of its own language (« … » with no-break spaces
 * in French, «…» in Russian, Armenian and Azerbaijani, „…“ in German, “…”
 * otherwise), with an ellipsis where it starts or ends mid-sentence: the one
 * way the side panel, snapshots, handouts and presentation quote.
 *
 * Returns: (transfer full): the quotation
 */
char *
chrono_excerpt_dup_quoted (ChronoExcerpt *self)
{
  const char *quote, *lang, *open, *close, *last_char;
  gboolean cut_start, cut_end;

  g_return_val_if_fail (CHRONO_IS_EXCERPT (self), NULL);

  quote = self->quote != NULL ? self->quote : "";
  lang = self->lang != NULL ? self->lang : "";
  if (g_str_has_prefix (lang, "fr"))
    open = "«\u00a0", close = "\u00a0»";
  else if (g_str_has_prefix (lang, "ru") || g_str_has_prefix (lang, "hy") || g_str_has_prefix (lang, "az"))
    open = "«", close = "»";
  else if (g_str_has_prefix (lang, "de"))
    open = "„", close = "“";
  else
    open = "“", close = "”";

  last_char = quote[0] != '\0' ? g_utf8_find_prev_char (quote, quote + strlen (quote)) : NULL;

  /* A quote that is itself a quotation, marks and all, is not marked twice */
  if (last_char != NULL && last_char != quote &&
      strchr ("\"", quote[0]) == NULL && strchr ("\"", *last_char) == NULL &&
      g_utf8_strchr ("«“„", -1, g_utf8_get_char (quote)) != NULL &&
      g_utf8_strchr ("»”“", -1, g_utf8_get_char (last_char)) != NULL)
    return g_strdup (quote);

  cut_start = g_unichar_islower (g_utf8_get_char (quote));
  cut_end = last_char != NULL && !g_unichar_ispunct (g_utf8_get_char (last_char));

  return g_strdup_printf ("%s%s%s%s%s", open, cut_start ? "…" : "", quote, cut_end ? "…" : "", close);
}

/**
 * chrono_excerpt_dup_citation:
 *
 * What follows a quotation: its source as chrono_source_dup_citation()
 * cites it, and the language the quote is in ("— Encyclopedia article,
 * April 2024 · French").
 *
 * Returns: (transfer full): the citation
 */
char *
chrono_excerpt_dup_citation (ChronoExcerpt *self)
{
  g_autofree char *source = NULL;
  const char *language;

  g_return_val_if_fail (CHRONO_IS_EXCERPT (self), NULL);

  source = self->source != NULL ? chrono_source_dup_citation (self->source) : g_strdup (_("unknown source"));
  language = chrono_language_get_name (self->lang);
  if (language != NULL)
    /* Translators: under a quotation: its source, then the language it is in */
    return g_strdup_printf (_("— %s · %s"), source, language);
  /* Translators: under a quotation: its source */
  return g_strdup_printf (_("— %s"), source);
}
