/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-source"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "chrono-date.h"
#include "chrono-source.h"

/*
 * A document that reports events: an article, a statement, an encyclopedia
 * page. Immutable: the store builds it with construct-only properties.
 * Unknown fields stay NULL (the dataset never guesses an outlet or an author).
 */

struct _ChronoSource
{
  GObject parent_instance;

  char *id;
  char *title;
  char *outlet;
  char *author;
  char *published;
  char *language;
  char *url;
  char *retrieved;
  char *note;
  char *document;
  char *citation_name;
};

G_DEFINE_FINAL_TYPE (ChronoSource, chrono_source, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_OUTLET,
  PROP_AUTHOR,
  PROP_PUBLISHED,
  PROP_LANGUAGE,
  PROP_URL,
  PROP_RETRIEVED,
  PROP_NOTE,
  PROP_DOCUMENT,
  PROP_CITATION_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The string fields in property order, so get/set need no long switch. */
static char **
field_for_prop (ChronoSource *self,
                guint         prop_id)
{
  switch (prop_id)
    {
    case PROP_ID:        return &self->id;
    case PROP_TITLE:     return &self->title;
    case PROP_OUTLET:    return &self->outlet;
    case PROP_AUTHOR:    return &self->author;
    case PROP_PUBLISHED: return &self->published;
    case PROP_LANGUAGE:  return &self->language;
    case PROP_URL:       return &self->url;
    case PROP_RETRIEVED: return &self->retrieved;
    case PROP_NOTE:      return &self->note;
    case PROP_DOCUMENT:  return &self->document;
    case PROP_CITATION_NAME: return &self->citation_name;
    default:             return NULL;
    }
}

static void
chrono_source_finalize (GObject *object)
{
  ChronoSource *self = (ChronoSource *)object;

  for (guint i = PROP_ID; i < N_PROPS; i++)
    g_free (*field_for_prop (self, i));

  G_OBJECT_CLASS (chrono_source_parent_class)->finalize (object);
}

static void
chrono_source_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ChronoSource *self = CHRONO_SOURCE (object);
  char **field = field_for_prop (self, prop_id);

  if (field != NULL)
    g_value_set_string (value, *field);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
chrono_source_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ChronoSource *self = CHRONO_SOURCE (object);
  char **field = field_for_prop (self, prop_id);

  /* Construct-only: set once, never notified. */
  if (field != NULL)
    {
      g_free (*field);
      *field = g_value_dup_string (value);
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
chrono_source_class_init (ChronoSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                             G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  object_class->finalize = chrono_source_finalize;
  object_class->get_property = chrono_source_get_property;
  object_class->set_property = chrono_source_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_OUTLET] = g_param_spec_string ("outlet", NULL, NULL, NULL, flags);
  properties[PROP_AUTHOR] = g_param_spec_string ("author", NULL, NULL, NULL, flags);
  /* EDTF text, e.g. "2024-04-17" or "2023-09-19/2023-09-20". */
  properties[PROP_PUBLISHED] = g_param_spec_string ("published", NULL, NULL, NULL, flags);
  properties[PROP_LANGUAGE] = g_param_spec_string ("language", NULL, NULL, NULL, flags);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, flags);
  properties[PROP_RETRIEVED] = g_param_spec_string ("retrieved", NULL, NULL, NULL, flags);
  properties[PROP_NOTE] = g_param_spec_string ("note", NULL, NULL, NULL, flags);
  /* The file name of the document the quotes come from. */
  properties[PROP_DOCUMENT] = g_param_spec_string ("document", NULL, NULL, NULL, flags);
  /* A short name to cite it by, in the reading language ("Encyclopedia
   * article"), where the dataset gives one. */
  properties[PROP_CITATION_NAME] = g_param_spec_string ("citation-name", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
chrono_source_init (ChronoSource *self)
{
}

const char *
chrono_source_get_id (ChronoSource *self)
{
  g_return_val_if_fail (CHRONO_IS_SOURCE (self), NULL);
  return self->id;
}

const char *
chrono_source_get_title (ChronoSource *self)
{
  g_return_val_if_fail (CHRONO_IS_SOURCE (self), NULL);
  return self->title;
}

const char *
chrono_source_get_outlet (ChronoSource *self)
{
  g_return_val_if_fail (CHRONO_IS_SOURCE (self), NULL);
  return self->outlet;
}

const char *
chrono_source_get_author (ChronoSource *self)
{
  g_return_val_if_fail (CHRONO_IS_SOURCE (self), NULL);
  return self->author;
}

const char *
chrono_source_get_published (ChronoSource *self)
{
  g_return_val_if_fail (CHRONO_IS_SOURCE (self), NULL);
  return self->published;
}

const char *
chrono_source_get_language (ChronoSource *self)
{
  g_return_val_if_fail (CHRONO_IS_SOURCE (self), NULL);
  return self->language;
}

const char *
chrono_source_get_url (ChronoSource *self)
{
  g_return_val_if_fail (CHRONO_IS_SOURCE (self), NULL);
  return self->url;
}

const char *
chrono_source_get_retrieved (ChronoSource *self)
{
  g_return_val_if_fail (CHRONO_IS_SOURCE (self), NULL);
  return self->retrieved;
}

const char *
chrono_source_get_note (ChronoSource *self)
{
  g_return_val_if_fail (CHRONO_IS_SOURCE (self), NULL);
  return self->note;
}

const char *
chrono_source_get_document (ChronoSource *self)
{
  g_return_val_if_fail (CHRONO_IS_SOURCE (self), NULL);
  return self->document;
}

/**
 * chrono_source_get_citation_name:
 *
 * Returns: (nullable): the short name the dataset gives to cite @self by,
 *   in the language it was read in
 */
const char *
chrono_source_get_citation_name (ChronoSource *self)
{
  g_return_val_if_fail (CHRONO_IS_SOURCE (self), NULL);

  return self->citation_name;
}

/**
 * chrono_source_dup_citation:
 * @self: a source
 *
 * The one way Chronotope cites a source, under an excerpt in the side
 * panel, snapshots, handouts and presentation alike.
 *
 * Returns: its citation name (else its outlet, else its title) and its
 *   publication date as people write it, e.g. "Le Monde, 17 April 2024";
 *   a date known only to be from some month on reads as that month
 */
char *
chrono_source_dup_citation (ChronoSource *self)
{
  g_autofree char *published = NULL;
  const char *outlet;

  g_return_val_if_fail (CHRONO_IS_SOURCE (self), NULL);

  outlet = self->citation_name != NULL ? self->citation_name
         : self->outlet != NULL ? self->outlet
         : self->title;
  if (self->published != NULL && g_str_has_suffix (self->published, "/..") && strlen (self->published) > 3)
    {
      g_autofree char *from = g_strndup (self->published, strlen (self->published) - 3);

      published = chrono_format_dates (from, NULL);
    }
  else if (self->published != NULL)
    published = chrono_format_dates (self->published, NULL);

  if (published == NULL)
    return g_strdup (outlet);

  /* Translators: a citation: an outlet, then the date it published the text */
  return g_strdup_printf (C_("citation", "%s, %s"), outlet, published);
}
