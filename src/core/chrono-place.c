/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-place"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "chrono-place.h"

/*
 * A place where things happen: a label point (lat, lon in WGS 84), an optional
 * GeoJSON geometry for lines and areas, and its names in every language
 * (Stepanakert / Xankəndi / Ստեփանակերտ). The "name" property is the name in
 * the language the place was loaded for, with a fallback to English, then to
 * any name.
 */

struct _ChronoPlace
{
  GObject parent_instance;

  char *id;
  char *kind;
  double lat;
  double lon;
  char *geometry;
  char *note;
  char *lang;
  GPtrArray *names;
  gboolean has_dated_names;
};

G_DEFINE_FINAL_TYPE (ChronoPlace, chrono_place, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (ChronoPlaceName, chrono_place_name, chrono_place_name_copy, chrono_place_name_free)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_LAT,
  PROP_LON,
  PROP_GEOMETRY,
  PROP_NOTE,
  PROP_LANG,
  PROP_NAMES,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The length of a language tag's primary subtag: "fr" in "fr-CA" or "fr_FR". */
static gsize
primary_subtag_len (const char *lang)
{
  return strcspn (lang, "-_.@");
}

static void
chrono_place_finalize (GObject *object)
{
  ChronoPlace *self = (ChronoPlace *)object;

  g_free (self->id);
  g_free (self->kind);
  g_free (self->geometry);
  g_free (self->note);
  g_free (self->lang);
  g_clear_pointer (&self->names, g_ptr_array_unref);

  G_OBJECT_CLASS (chrono_place_parent_class)->finalize (object);
}

static void
chrono_place_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ChronoPlace *self = CHRONO_PLACE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_LAT:
      g_value_set_double (value, self->lat);
      break;
    case PROP_LON:
      g_value_set_double (value, self->lon);
      break;
    case PROP_GEOMETRY:
      g_value_set_string (value, self->geometry);
      break;
    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;
    case PROP_LANG:
      g_value_set_string (value, self->lang);
      break;
    case PROP_NAMES:
      g_value_set_boxed (value, self->names);
      break;
    case PROP_NAME:
      g_value_set_string (value, chrono_place_get_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_place_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ChronoPlace *self = CHRONO_PLACE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_KIND:
      self->kind = g_value_dup_string (value);
      break;
    case PROP_LAT:
      self->lat = g_value_get_double (value);
      break;
    case PROP_LON:
      self->lon = g_value_get_double (value);
      break;
    case PROP_GEOMETRY:
      self->geometry = g_value_dup_string (value);
      break;
    case PROP_NOTE:
      self->note = g_value_dup_string (value);
      break;
    case PROP_LANG:
      self->lang = g_value_dup_string (value);
      break;
    case PROP_NAMES:
      if (g_value_get_boxed (value) != NULL)
        {
          g_clear_pointer (&self->names, g_ptr_array_unref);
          self->names = g_value_dup_boxed (value);
          self->has_dated_names = FALSE;
          for (guint i = 0; i < self->names->len; i++)
            self->has_dated_names |= ((ChronoPlaceName *) g_ptr_array_index (self->names, i))->when != NULL;
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_place_class_init (ChronoPlaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                             G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  object_class->finalize = chrono_place_finalize;
  object_class->get_property = chrono_place_get_property;
  object_class->set_property = chrono_place_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  /* city, town, village, site, region, country, route, border */
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_LAT] = g_param_spec_double ("lat", NULL, NULL, -90.0, 90.0, 0.0, flags);
  properties[PROP_LON] = g_param_spec_double ("lon", NULL, NULL, -180.0, 180.0, 0.0, flags);
  /* A GeoJSON geometry object as JSON text, NULL for a point. */
  properties[PROP_GEOMETRY] = g_param_spec_string ("geometry", NULL, NULL, NULL, flags);
  properties[PROP_NOTE] = g_param_spec_string ("note", NULL, NULL, NULL, flags);
  /* The language "name" is chosen for. */
  properties[PROP_LANG] = g_param_spec_string ("lang", NULL, NULL, NULL, flags);
  /* A GPtrArray of ChronoPlaceName, in the dataset's order. */
  properties[PROP_NAMES] = g_param_spec_boxed ("names", NULL, NULL, G_TYPE_PTR_ARRAY, flags);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
chrono_place_init (ChronoPlace *self)
{
  self->names = g_ptr_array_new_with_free_func ((GDestroyNotify) chrono_place_name_free);
}

ChronoPlaceName *
chrono_place_name_new (const char *lang,
                       const char *name,
                       const char *usage)
{
  return chrono_place_name_new_full (lang, name, usage, NULL);
}

/**
 * chrono_place_name_new_full:
 * @when: (nullable): the EDTF date or interval in which the name is valid,
 *   NULL or empty for always
 *
 * A @when that is not EDTF is dropped (the name is then always valid):
 * datasets and imports check it before, this only keeps a damaged file
 * from hiding a name.
 *
 * Returns: (transfer full): a new name
 */
ChronoPlaceName *
chrono_place_name_new_full (const char *lang,
                            const char *name,
                            const char *usage,
                            const char *when)
{
  ChronoPlaceName *self;

  g_return_val_if_fail (lang != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  self = g_new0 (ChronoPlaceName, 1);
  self->lang = g_strdup (lang);
  self->name = g_strdup (name);
  self->usage = g_strdup (usage);
  self->earliest = CHRONO_DAY_NEGATIVE_INFINITY;
  self->latest = CHRONO_DAY_POSITIVE_INFINITY;

  if (when != NULL && when[0] != '\0')
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (ChronoEdtf) edtf = chrono_edtf_parse (when, &error);

      if (edtf != NULL)
        {
          self->when = g_strdup (when);
          self->earliest = chrono_edtf_get_earliest (edtf);
          self->latest = chrono_edtf_get_latest (edtf);
        }
      else
        g_debug ("a name's when that is not EDTF is dropped: %s", error->message);
    }

  return self;
}

ChronoPlaceName *
chrono_place_name_copy (const ChronoPlaceName *self)
{
  ChronoPlaceName *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = chrono_place_name_new (self->lang, self->name, self->usage);
  copy->when = g_strdup (self->when);
  copy->earliest = self->earliest;
  copy->latest = self->latest;

  return copy;
}

/* Whether @self is valid at @day: always when it has no "when"; else when
 * @day is within its earliest and latest days, both included. */
gboolean
chrono_place_name_is_valid_at (const ChronoPlaceName *self,
                               ChronoDay              day)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->earliest <= day && day <= self->latest;
}

void
chrono_place_name_free (ChronoPlaceName *self)
{
  if (self == NULL)
    return;

  g_free (self->lang);
  g_free (self->name);
  g_free (self->usage);
  g_free (self->when);
  g_free (self);
}

const char *
chrono_place_get_id (ChronoPlace *self)
{
  g_return_val_if_fail (CHRONO_IS_PLACE (self), NULL);
  return self->id;
}

const char *
chrono_place_get_kind (ChronoPlace *self)
{
  g_return_val_if_fail (CHRONO_IS_PLACE (self), NULL);
  return self->kind;
}

double
chrono_place_get_lat (ChronoPlace *self)
{
  g_return_val_if_fail (CHRONO_IS_PLACE (self), 0.0);
  return self->lat;
}

double
chrono_place_get_lon (ChronoPlace *self)
{
  g_return_val_if_fail (CHRONO_IS_PLACE (self), 0.0);
  return self->lon;
}

/* The GeoJSON geometry (lon/lat order) of a line or area, or NULL for a point. */
const char *
chrono_place_get_geometry (ChronoPlace *self)
{
  g_return_val_if_fail (CHRONO_IS_PLACE (self), NULL);
  return self->geometry;
}

const char *
chrono_place_get_note (ChronoPlace *self)
{
  g_return_val_if_fail (CHRONO_IS_PLACE (self), NULL);
  return self->note;
}

const char *
chrono_place_get_lang (ChronoPlace *self)
{
  g_return_val_if_fail (CHRONO_IS_PLACE (self), NULL);
  return self->lang;
}

/* The name in the place's language ("lang"), with the fallbacks of
 * chrono_place_get_name_for(). */
const char *
chrono_place_get_name (ChronoPlace *self)
{
  g_return_val_if_fail (CHRONO_IS_PLACE (self), NULL);
  return chrono_place_get_name_for (self, self->lang);
}

/* All names, a GPtrArray of ChronoPlaceName (owned by the place). */
GPtrArray *
chrono_place_get_names (ChronoPlace *self)
{
  g_return_val_if_fail (CHRONO_IS_PLACE (self), NULL);
  return self->names;
}

/*
 * Whether names[@i] is one to choose from at @day: it is valid then, and,
 * when it has no "when", no dated name of the same language and usage is
 * valid then too (the dated one says what the name was at that time).
 */
static gboolean
name_is_current (ChronoPlace *self,
                 guint        i,
                 ChronoDay    day)
{
  const ChronoPlaceName *name = g_ptr_array_index (self->names, i);

  if (!chrono_place_name_is_valid_at (name, day))
    return FALSE;
  if (name->when != NULL)
    return TRUE;

  for (guint j = 0; j < self->names->len; j++)
    {
      const ChronoPlaceName *other = g_ptr_array_index (self->names, j);

      if (other->when != NULL &&
          g_ascii_strcasecmp (other->lang, name->lang) == 0 &&
          g_strcmp0 (other->usage, name->usage) == 0 &&
          chrono_place_name_is_valid_at (other, day))
        return FALSE;
    }

  return TRUE;
}

/* chrono_place_get_name_for () among the names current at @day, or among
 * all when @dated is FALSE; NULL when no name is current. */
static const char *
choose_name (ChronoPlace *self,
             const char  *lang,
             gboolean     dated,
             ChronoDay    day)
{
  const ChronoPlaceName *same_primary = NULL;
  const ChronoPlaceName *english = NULL;
  const ChronoPlaceName *first = NULL;
  gsize primary_len;

  if (lang == NULL || lang[0] == '\0')
    lang = "en";
  primary_len = primary_subtag_len (lang);

  for (guint i = 0; i < self->names->len; i++)
    {
      const ChronoPlaceName *name = g_ptr_array_index (self->names, i);

      if (dated && !name_is_current (self, i, day))
        continue;
      if (first == NULL)
        first = name;

      if (g_ascii_strcasecmp (name->lang, lang) == 0)
        return name->name;

      if (same_primary == NULL &&
          primary_subtag_len (name->lang) == primary_len &&
          g_ascii_strncasecmp (name->lang, lang, primary_len) == 0)
        same_primary = name;

      if (english == NULL && g_ascii_strcasecmp (name->lang, "en") == 0)
        english = name;
    }

  if (same_primary != NULL)
    return same_primary->name;
  if (english != NULL)
    return english->name;
  if (first != NULL)
    return first->name;

  return NULL;
}

/*
 * The first name given in @lang (the dataset lists a language's usual name
 * first); else one in the same language with another region ("fr" for
 * "fr-CA"); else the English name; else the first name; else the id.
 * @lang may be NULL (English). Every name counts, whatever its "when".
 */
const char *
chrono_place_get_name_for (ChronoPlace *self,
                           const char  *lang)
{
  const char *name;

  g_return_val_if_fail (CHRONO_IS_PLACE (self), NULL);

  name = choose_name (self, lang, FALSE, 0);
  return name != NULL ? name : self->id;
}

/* Whether a name of @self has a "when": its names can change with the date. */
gboolean
chrono_place_has_dated_names (ChronoPlace *self)
{
  g_return_val_if_fail (CHRONO_IS_PLACE (self), FALSE);

  return self->has_dated_names;
}

/**
 * chrono_place_get_name_at:
 * @lang: (nullable): the language wanted, NULL for English
 * @day: the date the name is for
 *
 * The name chrono_place_get_name_for () gives, chosen among the names valid
 * at @day (boundaries included); a dated name valid then wins over an
 * undated one of the same language and usage: "Xankəndi" before 1923 and
 * "Stepanakert" from 1923. When no name is valid at @day, the name
 * chrono_place_get_name_for () gives.
 *
 * Returns: the name, owned by @self
 */
const char *
chrono_place_get_name_at (ChronoPlace *self,
                          const char  *lang,
                          ChronoDay    day)
{
  const char *name = NULL;

  g_return_val_if_fail (CHRONO_IS_PLACE (self), NULL);

  if (self->has_dated_names)
    name = choose_name (self, lang, TRUE, day);
  return name != NULL ? name : chrono_place_get_name_for (self, lang);
}

/* The first official name valid at @day (as chrono_place_get_name_at ()
 * chooses), or NULL */
const char *
chrono_place_get_official_name_at (ChronoPlace *self,
                                   ChronoDay    day)
{
  g_return_val_if_fail (CHRONO_IS_PLACE (self), NULL);

  if (!self->has_dated_names)
    return chrono_place_get_official_name (self);

  for (guint i = 0; i < self->names->len; i++)
    {
      const ChronoPlaceName *name = g_ptr_array_index (self->names, i);

      if (g_strcmp0 (name->usage, "official") == 0 && name_is_current (self, i, day))
        return name->name;
    }

  return NULL;
}

/* The first name whose usage is "official", or NULL */
const char *
chrono_place_get_official_name (ChronoPlace *self)
{
  g_return_val_if_fail (CHRONO_IS_PLACE (self), NULL);

  for (guint i = 0; i < self->names->len; i++)
    {
      const ChronoPlaceName *name = g_ptr_array_index (self->names, i);

      if (g_strcmp0 (name->usage, "official") == 0)
        return name->name;
    }

  return NULL;
}

/**
 * chrono_language_get_name:
 * @lang: (nullable): a language tag, such as "hy" or "fr-CA"
 *
 * Returns: the name of the language in the UI language, for the languages
 *   the places and sources of the datasets are written in; else @lang
 */
const char *
chrono_language_get_name (const char *lang)
{
  static const struct { const char *code; const char *name; } names[] = {
    { "en", N_("English") },
    { "fr", N_("French") },
    { "ru", N_("Russian") },
    { "hy", N_("Armenian") },
    { "az", N_("Azerbaijani") },
    { "tr", N_("Turkish") },
    { "uk", N_("Ukrainian") },
    { "ka", N_("Georgian") },
    { "fa", N_("Persian") },
    { "de", N_("German") },
  };

  for (guint i = 0; lang != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (lang, names[i].code) ||
        (g_str_has_prefix (lang, names[i].code) && (lang[2] == '-' || lang[2] == '_')))
      return _(names[i].name);

  return lang;
}
