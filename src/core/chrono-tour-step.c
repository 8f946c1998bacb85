/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-tour-step"

#include "config.h"

#include "chrono-tour-step.h"

/*
 * One step of a dataset's tour, in one reading language: the event it shows,
 * the day the map shows it on, and the tour's own title and note for it.
 * "excerpts" are the ids of the event's excerpts the tour prefers, best
 * first (empty: let the presenter choose).
 */

struct _ChronoTourStep
{
  GObject parent_instance;

  char *event_id;
  gint64 event_rowid;
  gint64 day;
  char *date;
  char *title;
  char *note;
  char *lang;
  GStrv excerpts;
};

G_DEFINE_FINAL_TYPE (ChronoTourStep, chrono_tour_step, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_EVENT_ID,
  PROP_EVENT_ROWID,
  PROP_DAY,
  PROP_DATE,
  PROP_TITLE,
  PROP_NOTE,
  PROP_LANG,
  PROP_EXCERPTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
chrono_tour_step_finalize (GObject *object)
{
  ChronoTourStep *self = (ChronoTourStep *)object;

  g_free (self->event_id);
  g_free (self->date);
  g_free (self->title);
  g_free (self->note);
  g_free (self->lang);
  g_strfreev (self->excerpts);

  G_OBJECT_CLASS (chrono_tour_step_parent_class)->finalize (object);
}

static void
chrono_tour_step_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ChronoTourStep *self = CHRONO_TOUR_STEP (object);

  switch (prop_id)
    {
    case PROP_EVENT_ID:
      g_value_set_string (value, self->event_id);
      break;
    case PROP_EVENT_ROWID:
      g_value_set_int64 (value, self->event_rowid);
      break;
    case PROP_DAY:
      g_value_set_int64 (value, self->day);
      break;
    case PROP_DATE:
      g_value_set_string (value, self->date);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;
    case PROP_LANG:
      g_value_set_string (value, self->lang);
      break;
    case PROP_EXCERPTS:
      g_value_set_boxed (value, self->excerpts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_tour_step_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ChronoTourStep *self = CHRONO_TOUR_STEP (object);

  switch (prop_id)
    {
    case PROP_EVENT_ID:
      self->event_id = g_value_dup_string (value);
      break;
    case PROP_EVENT_ROWID:
      self->event_rowid = g_value_get_int64 (value);
      break;
    case PROP_DAY:
      self->day = g_value_get_int64 (value);
      break;
    case PROP_DATE:
      self->date = g_value_dup_string (value);
      break;
    case PROP_TITLE:
      self->title = g_value_dup_string (value);
      break;
    case PROP_NOTE:
      self->note = g_value_dup_string (value);
      break;
    case PROP_LANG:
      self->lang = g_value_dup_string (value);
      break;
    case PROP_EXCERPTS:
      g_strfreev (self->excerpts);
      self->excerpts = g_value_dup_boxed (value);
      if (self->excerpts == NULL)
        self->excerpts = g_new0 (char *, 1);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_tour_step_class_init (ChronoTourStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                             G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  object_class->finalize = chrono_tour_step_finalize;
  object_class->get_property = chrono_tour_step_get_property;
  object_class->set_property = chrono_tour_step_set_property;

  properties[PROP_EVENT_ID] = g_param_spec_string ("event-id", NULL, NULL, NULL, flags);
  properties[PROP_EVENT_ROWID] = g_param_spec_int64 ("event-rowid", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* A ChronoDay */
  properties[PROP_DAY] = g_param_spec_int64 ("day", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_DATE] = g_param_spec_string ("date", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_NOTE] = g_param_spec_string ("note", NULL, NULL, NULL, flags);
  properties[PROP_LANG] = g_param_spec_string ("lang", NULL, NULL, NULL, flags);
  properties[PROP_EXCERPTS] = g_param_spec_boxed ("excerpts", NULL, NULL, G_TYPE_STRV, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
chrono_tour_step_init (ChronoTourStep *self)
{
  self->excerpts = g_new0 (char *, 1);
}

const char *
chrono_tour_step_get_event_id (ChronoTourStep *self)
{
  g_return_val_if_fail (CHRONO_IS_TOUR_STEP (self), NULL);
  return self->event_id;
}

/* The event's rowid, for chrono_store_get_event(). */
gint64
chrono_tour_step_get_event_rowid (ChronoTourStep *self)
{
  g_return_val_if_fail (CHRONO_IS_TOUR_STEP (self), 0);
  return self->event_rowid;
}

/* The day the map shows: the step's "date", else the latest possible start
 * of its event (a ChronoDay). */
gint64
chrono_tour_step_get_day (ChronoTourStep *self)
{
  g_return_val_if_fail (CHRONO_IS_TOUR_STEP (self), 0);
  return self->day;
}

/* The step's "date" as written, or NULL when the step gives none. */
const char *
chrono_tour_step_get_date (ChronoTourStep *self)
{
  g_return_val_if_fail (CHRONO_IS_TOUR_STEP (self), NULL);
  return self->date;
}

const char *
chrono_tour_step_get_title (ChronoTourStep *self)
{
  g_return_val_if_fail (CHRONO_IS_TOUR_STEP (self), NULL);
  return self->title;
}

/* The tour's note for this step, in the step's language, or NULL. */
const char *
chrono_tour_step_get_note (ChronoTourStep *self)
{
  g_return_val_if_fail (CHRONO_IS_TOUR_STEP (self), NULL);
  return self->note;
}

/* The language the title and note are in (after fallback). */
const char *
chrono_tour_step_get_lang (ChronoTourStep *self)
{
  g_return_val_if_fail (CHRONO_IS_TOUR_STEP (self), NULL);
  return self->lang;
}

/* Returns: (transfer none): the ids of the excerpts the tour prefers, best
 * first; empty, never NULL */
const char * const *
chrono_tour_step_get_excerpts (ChronoTourStep *self)
{
  g_return_val_if_fail (CHRONO_IS_TOUR_STEP (self), NULL);
  return (const char * const *) self->excerpts;
}
