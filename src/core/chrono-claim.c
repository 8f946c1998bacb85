/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-claim"

#include "config.h"

#include "chrono-claim.h"

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
