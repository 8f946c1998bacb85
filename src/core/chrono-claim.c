/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-claim"

#include "config.h"

#include "chrono-claim.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "chrono-date.h"

/*
 * One fact as one source states it ("troops" = "1960"), with the excerpt that
 * states it. Two claims of an event with the same key and different values
 * are a disagreement (see chrono_event_get_disagreements()).
 */

struct _ChronoClaim
{
  GObject parent_instance;

  char *id;
  char *key;
  char *value;
  ChronoExcerpt *excerpt;
};

G_DEFINE_FINAL_TYPE (ChronoClaim, chrono_claim, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KEY,
  PROP_VALUE,
  PROP_EXCERPT,
  PROP_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
chrono_claim_dispose (GObject *object)
{
  ChronoClaim *self = (ChronoClaim *)object;

  g_clear_object (&self->excerpt);

  G_OBJECT_CLASS (chrono_claim_parent_class)->dispose (object);
}

static void
chrono_claim_finalize (GObject *object)
{
  ChronoClaim *self = (ChronoClaim *)object;

  g_free (self->id);
  g_free (self->key);
  g_free (self->value);

  G_OBJECT_CLASS (chrono_claim_parent_class)->finalize (object);
}

static void
chrono_claim_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ChronoClaim *self = CHRONO_CLAIM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;
    case PROP_EXCERPT:
      g_value_set_object (value, self->excerpt);
      break;
    case PROP_SOURCE:
      g_value_set_object (value, chrono_claim_get_source (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_claim_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ChronoClaim *self = CHRONO_CLAIM (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_KEY:
      self->key = g_value_dup_string (value);
      break;
    case PROP_VALUE:
      self->value = g_value_dup_string (value);
      break;
    case PROP_EXCERPT:
      self->excerpt = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_claim_class_init (ChronoClaimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                             G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  object_class->dispose = chrono_claim_dispose;
  object_class->finalize = chrono_claim_finalize;
  object_class->get_property = chrono_claim_get_property;
  object_class->set_property = chrono_claim_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, flags);
  properties[PROP_VALUE] = g_param_spec_string ("value", NULL, NULL, NULL, flags);
  properties[PROP_EXCERPT] = g_param_spec_object ("excerpt", NULL, NULL, CHRONO_TYPE_EXCERPT, flags);
  /* The excerpt's source: who makes the claim. */
  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, CHRONO_TYPE_SOURCE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
chrono_claim_init (ChronoClaim *self)
{
}

const char *
chrono_claim_get_id (ChronoClaim *self)
{
  g_return_val_if_fail (CHRONO_IS_CLAIM (self), NULL);
  return self->id;
}

const char *
chrono_claim_get_key (ChronoClaim *self)
{
  g_return_val_if_fail (CHRONO_IS_CLAIM (self), NULL);
  return self->key;
}

/* The source's figure as written: "1960", "2020-11-09", "9 months". */
const char *
chrono_claim_get_value (ChronoClaim *self)
{
  g_return_val_if_fail (CHRONO_IS_CLAIM (self), NULL);
  return self->value;
}

/* The excerpt that states the claim, or NULL if the store has none for it. */
ChronoExcerpt *
chrono_claim_get_excerpt (ChronoClaim *self)
{
  g_return_val_if_fail (CHRONO_IS_CLAIM (self), NULL);
  return self->excerpt;
}

/* The source that makes the claim (its excerpt's), or NULL. */
ChronoSource *
chrono_claim_get_source (ChronoClaim *self)
{
  g_return_val_if_fail (CHRONO_IS_CLAIM (self), NULL);
  return self->excerpt != NULL ? chrono_excerpt_get_source (self->excerpt) : NULL;
}

/* How a count of something reads, by the claim's key: "1,960 troops". */
static char *
format_count (const char *key,
              const char *number,
              guint64     n)
{
  gulong count = (gulong) MIN (n, G_MAXULONG);
  const char *template;
  const char *at;

  /* Translators: in these, %s is a number written with its thousands separators */
  if (g_str_equal (key, "troops"))
    template = g_dngettext (GETTEXT_PACKAGE, "%s troop", "%s troops", count);
  else if (g_str_equal (key, "deaths"))
    template = g_dngettext (GETTEXT_PACKAGE, "%s death", "%s deaths", count);
  else if (g_str_equal (key, "wounded"))
    template = g_dngettext (GETTEXT_PACKAGE, "%s wounded", "%s wounded", count);
  else if (g_str_equal (key, "officers"))
    template = g_dngettext (GETTEXT_PACKAGE, "%s officer", "%s officers", count);
  else if (g_str_equal (key, "personnel"))
    template = g_dngettext (GETTEXT_PACKAGE, "%s person", "%s personnel", count);
  else if (g_str_equal (key, "sappers"))
    template = g_dngettext (GETTEXT_PACKAGE, "%s sapper", "%s sappers", count);
  else if (g_str_equal (key, "vehicles"))
    template = g_dngettext (GETTEXT_PACKAGE, "%s vehicle", "%s vehicles", count);
  else if (g_str_equal (key, "armoured-vehicles"))
    template = g_dngettext (GETTEXT_PACKAGE, "%s armoured vehicle", "%s armoured vehicles", count);
  else if (g_str_equal (key, "villages"))
    template = g_dngettext (GETTEXT_PACKAGE, "%s village", "%s villages", count);
  else
    return g_strdup (number);

  /* The number goes where the translation has its %s (a template chosen at
   * run time does not go through printf) */
  at = strstr (template, "%s");
  if (at == NULL)
    return g_strdup (number);
  return g_strdup_printf ("%.*s%s%s", (int) (at - template), template, number, at + 2);
}

/**
 * chrono_claim_format_value:
 * @key: what the claim is about ("troops", "date"…)
 * @value: (nullable): its value as the dataset has it
 *
 * A claimed value as people write it: a date as the interface writes dates
 * ("9 November 2020"), a figure with the locale's thousands separators and
 * its unit ("about 2,000 troops"); anything else as the dataset has it.
 *
 * Returns: (transfer full) (nullable): the text
 */
char *
chrono_claim_format_value (const char *key,
                           const char *value)
{
  const char *digits;
  gsize n_digits;
  guint64 number;

  if (value == NULL || value[0] == '\0')
    return g_strdup (value);

  if (g_strcmp0 (key, "date") == 0 || g_strcmp0 (key, "start") == 0 || g_strcmp0 (key, "end") == 0)
    {
      char *date = chrono_format_dates (value, NULL);

      return date != NULL ? date : g_strdup (value);
    }

  /* A whole number, after words such as "about" or "nearly" */
  digits = value;
  while (*digits != '\0' && !g_ascii_isdigit (*digits))
    digits++;
  n_digits = strspn (digits, "0123456789");
  if (n_digits == 0 || n_digits >= 10 || digits[n_digits] != '\0' ||
      (digits != value && digits[-1] != ' ') ||
      !g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT32, &number, NULL))
    return g_strdup (value);

  {
    g_autofree char *written = g_strdup_printf ("%'u", (guint) number);
    g_autofree char *count = key != NULL ? format_count (key, written, number) : g_strdup (written);

    return g_strdup_printf ("%.*s%s", (int) (digits - value), value, count);
  }
}
