/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-event"

#include "config.h"

#include "chrono-event.h"

/*
 * Something that happened, as the store loads it for one reading language:
 * its texts in that language (or a fallback, see "lang"), its dates both as
 * written (EDTF) and as day numbers, its places with their roles, the
 * excerpts that report it and the claims they make. Immutable.
 *
 * The event is in effect on day D when start-lo <= D <= end-hi; the days
 * between start-lo and start-hi, and between end-lo and end-hi, are the
 * uncertainty of each end.
 */

struct _ChronoEvent
{
  GObject parent_instance;

  char *id;
  gint64 rowid;
  char *title;
  char *summary;
  char *lang;
  char *start;
  char *end;
  gint64 start_lo;
  gint64 start_hi;
  gint64 end_lo;
  gint64 end_hi;
  char *category;
  int importance;
  char *note;
  GPtrArray *places;
  GStrv place_roles;
  GPtrArray *excerpts;
  GPtrArray *claims;
};

G_DEFINE_FINAL_TYPE (ChronoEvent, chrono_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ROWID,
  PROP_TITLE,
  PROP_SUMMARY,
  PROP_LANG,
  PROP_START,
  PROP_END,
  PROP_START_LO,
  PROP_START_HI,
  PROP_END_LO,
  PROP_END_HI,
  PROP_CATEGORY,
  PROP_IMPORTANCE,
  PROP_NOTE,
  PROP_PLACES,
  PROP_PLACE_ROLES,
  PROP_EXCERPTS,
  PROP_CLAIMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
replace_array (GPtrArray    **field,
               const GValue  *value)
{
  GPtrArray *array = g_value_get_boxed (value);

  if (array == NULL)
    return;

  g_clear_pointer (field, g_ptr_array_unref);
  *field = g_ptr_array_ref (array);
}

static void
chrono_event_dispose (GObject *object)
{
  ChronoEvent *self = (ChronoEvent *)object;

  /* The arrays own references to places, excerpts and claims. */
  g_clear_pointer (&self->places, g_ptr_array_unref);
  g_clear_pointer (&self->excerpts, g_ptr_array_unref);
  g_clear_pointer (&self->claims, g_ptr_array_unref);

  G_OBJECT_CLASS (chrono_event_parent_class)->dispose (object);
}

static void
chrono_event_finalize (GObject *object)
{
  ChronoEvent *self = (ChronoEvent *)object;

  g_free (self->id);
  g_free (self->title);
  g_free (self->summary);
  g_free (self->lang);
  g_free (self->start);
  g_free (self->end);
  g_free (self->category);
  g_free (self->note);
  g_strfreev (self->place_roles);

  G_OBJECT_CLASS (chrono_event_parent_class)->finalize (object);
}

static void
chrono_event_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ChronoEvent *self = CHRONO_EVENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_ROWID:
      g_value_set_int64 (value, self->rowid);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    case PROP_LANG:
      g_value_set_string (value, self->lang);
      break;
    case PROP_START:
      g_value_set_string (value, self->start);
      break;
    case PROP_END:
      g_value_set_string (value, self->end);
      break;
    case PROP_START_LO:
      g_value_set_int64 (value, self->start_lo);
      break;
    case PROP_START_HI:
      g_value_set_int64 (value, self->start_hi);
      break;
    case PROP_END_LO:
      g_value_set_int64 (value, self->end_lo);
      break;
    case PROP_END_HI:
      g_value_set_int64 (value, self->end_hi);
      break;
    case PROP_CATEGORY:
      g_value_set_string (value, self->category);
      break;
    case PROP_IMPORTANCE:
      g_value_set_int (value, self->importance);
      break;
    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;
    case PROP_PLACES:
      g_value_set_boxed (value, self->places);
      break;
    case PROP_PLACE_ROLES:
      g_value_set_boxed (value, self->place_roles);
      break;
    case PROP_EXCERPTS:
      g_value_set_boxed (value, self->excerpts);
      break;
    case PROP_CLAIMS:
      g_value_set_boxed (value, self->claims);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_event_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ChronoEvent *self = CHRONO_EVENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_ROWID:
      self->rowid = g_value_get_int64 (value);
      break;
    case PROP_TITLE:
      self->title = g_value_dup_string (value);
      break;
    case PROP_SUMMARY:
      self->summary = g_value_dup_string (value);
      break;
    case PROP_LANG:
      self->lang = g_value_dup_string (value);
      break;
    case PROP_START:
      self->start = g_value_dup_string (value);
      break;
    case PROP_END:
      self->end = g_value_dup_string (value);
      break;
    case PROP_START_LO:
      self->start_lo = g_value_get_int64 (value);
      break;
    case PROP_START_HI:
      self->start_hi = g_value_get_int64 (value);
      break;
    case PROP_END_LO:
      self->end_lo = g_value_get_int64 (value);
      break;
    case PROP_END_HI:
      self->end_hi = g_value_get_int64 (value);
      break;
    case PROP_CATEGORY:
      self->category = g_value_dup_string (value);
      break;
    case PROP_IMPORTANCE:
      self->importance = g_value_get_int (value);
      break;
    case PROP_NOTE:
      self->note = g_value_dup_string (value);
      break;
    case PROP_PLACES:
      replace_array (&self->places, value);
      break;
    case PROP_PLACE_ROLES:
      g_strfreev (self->place_roles);
      self->place_roles = g_value_dup_boxed (value);
      break;
    case PROP_EXCERPTS:
      replace_array (&self->excerpts, value);
      break;
    case PROP_CLAIMS:
      replace_array (&self->claims, value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_event_class_init (ChronoEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                             G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  object_class->dispose = chrono_event_dispose;
  object_class->finalize = chrono_event_finalize;
  object_class->get_property = chrono_event_get_property;
  object_class->set_property = chrono_event_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  /* The store's integer id, the one the time index uses. */
  properties[PROP_ROWID] = g_param_spec_int64 ("rowid", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, flags);
  /* The language of title and summary: the one asked for, or a fallback. */
  properties[PROP_LANG] = g_param_spec_string ("lang", NULL, NULL, NULL, flags);
  /* EDTF text as written in the dataset; "end" NULL means "same as start",
   * ".." an open end. */
  properties[PROP_START] = g_param_spec_string ("start", NULL, NULL, NULL, flags);
  properties[PROP_END] = g_param_spec_string ("end", NULL, NULL, NULL, flags);
  properties[PROP_START_LO] = g_param_spec_int64 ("start-lo", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_START_HI] = g_param_spec_int64 ("start-hi", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_END_LO] = g_param_spec_int64 ("end-lo", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_END_HI] = g_param_spec_int64 ("end-hi", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_CATEGORY] = g_param_spec_string ("category", NULL, NULL, NULL, flags);
  properties[PROP_IMPORTANCE] = g_param_spec_int ("importance", NULL, NULL, 0, 3, 1, flags);
  properties[PROP_NOTE] = g_param_spec_string ("note", NULL, NULL, NULL, flags);
  /* GPtrArray of ChronoPlace, with the matching roles in "place-roles". */
  properties[PROP_PLACES] = g_param_spec_boxed ("places", NULL, NULL, G_TYPE_PTR_ARRAY, flags);
  properties[PROP_PLACE_ROLES] = g_param_spec_boxed ("place-roles", NULL, NULL, G_TYPE_STRV, flags);
  /* GPtrArray of ChronoExcerpt. */
  properties[PROP_EXCERPTS] = g_param_spec_boxed ("excerpts", NULL, NULL, G_TYPE_PTR_ARRAY, flags);
  /* GPtrArray of ChronoClaim. */
  properties[PROP_CLAIMS] = g_param_spec_boxed ("claims", NULL, NULL, G_TYPE_PTR_ARRAY, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
chrono_event_init (ChronoEvent *self)
{
  self->importance = 1;
  self->places = g_ptr_array_new_with_free_func (g_object_unref);
  self->excerpts = g_ptr_array_new_with_free_func (g_object_unref);
  self->claims = g_ptr_array_new_with_free_func (g_object_unref);
}

const char *
chrono_event_get_id (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), NULL);
  return self->id;
}

gint64
chrono_event_get_rowid (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), 0);
  return self->rowid;
}

const char *
chrono_event_get_title (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), NULL);
  return self->title;
}

const char *
chrono_event_get_summary (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), NULL);
  return self->summary;
}

/* The language title and summary are in (may differ from the one asked for). */
const char *
chrono_event_get_lang (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), NULL);
  return self->lang;
}

/* EDTF, e.g. "2020-11-10" or "[2020-11-09,2020-11-10]". */
const char *
chrono_event_get_start (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), NULL);
  return self->start;
}

/* EDTF, or NULL when the event ends as it starts, or ".." for an open end
 * (no known end: end-hi is CHRONO_DAY_POSITIVE_INFINITY). */
const char *
chrono_event_get_end (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), NULL);
  return self->end;
}

/* The earliest day the event can have started (a ChronoDay). */
gint64
chrono_event_get_start_lo (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), 0);
  return self->start_lo;
}

/* The latest day the event can have started. */
gint64
chrono_event_get_start_hi (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), 0);
  return self->start_hi;
}

/* The earliest day the event can have ended. */
gint64
chrono_event_get_end_lo (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), 0);
  return self->end_lo;
}

/* The latest day the event can have ended. */
gint64
chrono_event_get_end_hi (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), 0);
  return self->end_hi;
}

const char *
chrono_event_get_category (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), NULL);
  return self->category;
}

/* 1 (minor) to 3 (major). */
int
chrono_event_get_importance (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), 0);
  return self->importance;
}

const char *
chrono_event_get_note (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), NULL);
  return self->note;
}

/* The event's places, a GPtrArray of ChronoPlace owned by the event. */
GPtrArray *
chrono_event_get_places (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), NULL);
  return self->places;
}

/* The role of place @i ("location", "route", …), or NULL if not given. */
const char *
chrono_event_get_place_role (ChronoEvent *self,
                             guint        i)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), NULL);
  g_return_val_if_fail (i < self->places->len, NULL);

  if (self->place_roles == NULL || i >= g_strv_length (self->place_roles))
    return NULL;

  return self->place_roles[i];
}

/* The excerpts that report the event, a GPtrArray of ChronoExcerpt owned by the event. */
GPtrArray *
chrono_event_get_excerpts (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), NULL);
  return self->excerpts;
}

/* The claims about the event, a GPtrArray of ChronoClaim owned by the event. */
GPtrArray *
chrono_event_get_claims (ChronoEvent *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT (self), NULL);
  return self->claims;
}

/*
 * The claims where sources disagree: one group per key whose claims do not
 * all have the same value, in the order the keys first appear; each group
 * holds all the claims of that key in their order.
 *
 * Returns: (transfer full): a GPtrArray of GPtrArray of ChronoClaim, empty when
 * the sources agree.
 */
GPtrArray *
chrono_event_get_disagreements (ChronoEvent *self)
{
  g_autoptr (GPtrArray) groups = NULL;
  g_autoptr (GHashTable) seen = NULL;

  g_return_val_if_fail (CHRONO_IS_EVENT (self), NULL);

  groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->claims->len; i++)
    {
      ChronoClaim *claim = g_ptr_array_index (self->claims, i);
      const char *key = chrono_claim_get_key (claim);
      g_autoptr (GPtrArray) group = NULL;
      gboolean differ = FALSE;

      if (!g_hash_table_add (seen, (gpointer) key))
        continue;

      group = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (group, g_object_ref (claim));

      for (guint j = i + 1; j < self->claims->len; j++)
        {
          ChronoClaim *other = g_ptr_array_index (self->claims, j);

          if (g_strcmp0 (chrono_claim_get_key (other), key) != 0)
            continue;

          g_ptr_array_add (group, g_object_ref (other));
          if (g_strcmp0 (chrono_claim_get_value (other), chrono_claim_get_value (claim)) != 0)
            differ = TRUE;
        }

      if (differ)
        g_ptr_array_add (groups, g_steal_pointer (&group));
    }

  return g_steal_pointer (&groups);
}

/* Whether a character goes with the one before it: a combining mark, a
 * joiner, a variation selector, a skin tone or an emoji tag. Cutting before
 * it would leave a lone accent or half an emoji. */
static gboolean
extends_grapheme (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
      return TRUE;
    default:
      break;
    }

  return c == 0x200C || c == 0x200D ||
         (c >= 0xFE00 && c <= 0xFE0F) ||
         (c >= 0xE0100 && c <= 0xE01EF) ||
         (c >= 0x1F3FB && c <= 0x1F3FF) ||
         (c >= 0xE0020 && c <= 0xE007F);
}

static gboolean
is_regional_indicator (gunichar c)
{
  return c >= 0x1F1E6 && c <= 0x1F1FF;
}

/**
 * chrono_text_for_display:
 * @text: (nullable): a text of the dataset
 * @max_chars: how many characters to keep at most, ellipsis included
 *
 * @text as it is laid out for a person to read: at most @max_chars
 * characters, cut at the start of a character (never inside a character,
 * between a letter and its accents, or inside a joined emoji) with "…" at
 * the end. Only the first @max_chars characters of @text are read, so a
 * text of any length costs the same. Invalid UTF-8 is replaced.
 *
 * Returns: (transfer full) (nullable): the text to display, %NULL for %NULL
 */
char *
chrono_text_for_display (const char *text,
                         gsize       max_chars)
{
  const char *p, *cut, *prev;
  gsize n = 0;
  GString *out;

  if (text == NULL)
    return NULL;

  max_chars = MAX (max_chars, 1);

  /* Walk at most max_chars characters; stop early at the end */
  p = text;
  cut = NULL;
  while (*p != '\0' && n < max_chars)
    {
      if (n == max_chars - 1)
        cut = p;
      p = g_utf8_find_next_char (p, NULL);
      if (p == NULL)
        break;
      n++;
    }

  if (p == NULL || *p == '\0')
    {
      /* The whole text fits */
      if (g_utf8_validate (text, -1, NULL))
        return g_strdup (text);
      return g_utf8_make_valid (text, -1);
    }

  /* Too long: keep max_chars - 1 characters and the ellipsis, moving the
   * cut back to the start of a grapheme */
  g_assert (cut != NULL || max_chars == 1);
  if (cut == NULL)
    cut = text;
  while (cut > text && extends_grapheme (g_utf8_get_char_validated (cut, -1)))
    cut = g_utf8_find_prev_char (text, cut);
  /* After a zero-width joiner, the next emoji belongs to the same cluster */
  while (cut > text && (prev = g_utf8_find_prev_char (text, cut)) != NULL &&
         (g_utf8_get_char_validated (prev, -1) == 0x200D ||
          extends_grapheme (g_utf8_get_char_validated (cut, -1))))
    cut = prev;
  /* A flag is a pair of regional indicators: cut between pairs */
  if (is_regional_indicator (g_utf8_get_char_validated (cut, -1)))
    {
      gsize before = 0;

      for (const char *q = cut; q > text && (prev = g_utf8_find_prev_char (text, q)) != NULL &&
                                is_regional_indicator (g_utf8_get_char_validated (prev, -1)); q = prev)
        before++;
      if (before % 2 == 1)
        cut = g_utf8_find_prev_char (text, cut);
    }
  /* No trailing space before the ellipsis */
  while (cut > text && (prev = g_utf8_find_prev_char (text, cut)) != NULL &&
         g_unichar_isspace (g_utf8_get_char_validated (prev, -1)))
    cut = prev;

  out = g_string_sized_new ((gsize) (cut - text) + 4);
  if (g_utf8_validate_len (text, (gsize) (cut - text), NULL))
    g_string_append_len (out, text, cut - text);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (text, cut - text);
      g_string_append (out, valid);
    }
  g_string_append (out, "…");
  return g_string_free (out, FALSE);
}
