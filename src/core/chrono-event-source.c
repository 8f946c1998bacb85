/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ChronoEventSource: the questions the views ask of a dataset, so that a
 * second backend is a second implementation of them (see the header).
 */
#include "config.h"

#include "chrono-event-source.h"

G_DEFINE_INTERFACE (ChronoEventSource, chrono_event_source, G_TYPE_OBJECT)

static void
chrono_event_source_default_init (ChronoEventSourceInterface *iface)
{
}

ChronoEventTable *
chrono_event_source_load_table (ChronoEventSource  *self,
                                GError            **error)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_SOURCE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return CHRONO_EVENT_SOURCE_GET_IFACE (self)->load_table (self, error);
}

ChronoEvent *
chrono_event_source_get_event (ChronoEventSource  *self,
                               gint64              rowid,
                               const char         *lang,
                               GError            **error)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_SOURCE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return CHRONO_EVENT_SOURCE_GET_IFACE (self)->get_event (self, rowid, lang, error);
}

GPtrArray *
chrono_event_source_get_events (ChronoEventSource  *self,
                                const gint64       *rowids,
                                guint               n,
                                const char         *lang,
                                GError            **error)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_SOURCE (self), NULL);
  g_return_val_if_fail (rowids != NULL || n == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return CHRONO_EVENT_SOURCE_GET_IFACE (self)->get_events (self, rowids, n, lang, error);
}

ChronoEvent *
chrono_event_source_get_event_by_id (ChronoEventSource  *self,
                                     const char         *id,
                                     const char         *lang,
                                     GError            **error)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_SOURCE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return CHRONO_EVENT_SOURCE_GET_IFACE (self)->get_event_by_id (self, id, lang, error);
}

GPtrArray *
chrono_event_source_get_places (ChronoEventSource  *self,
                                const char         *lang,
                                GError            **error)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_SOURCE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return CHRONO_EVENT_SOURCE_GET_IFACE (self)->get_places (self, lang, error);
}

GPtrArray *
chrono_event_source_get_sources (ChronoEventSource  *self,
                                 GError            **error)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_SOURCE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return CHRONO_EVENT_SOURCE_GET_IFACE (self)->get_sources (self, error);
}

GPtrArray *
chrono_event_source_get_tour (ChronoEventSource  *self,
                              const char         *lang,
                              GError            **error)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_SOURCE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return CHRONO_EVENT_SOURCE_GET_IFACE (self)->get_tour (self, lang, error);
}

GArray *
chrono_event_source_get_spans (ChronoEventSource  *self,
                               GError            **error)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_SOURCE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return CHRONO_EVENT_SOURCE_GET_IFACE (self)->get_spans (self, error);
}

GArray *
chrono_event_source_get_events_at (ChronoEventSource  *self,
                                   ChronoDay           day,
                                   GError            **error)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_SOURCE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return CHRONO_EVENT_SOURCE_GET_IFACE (self)->get_events_at (self, day, error);
}

GArray *
chrono_event_source_get_events_at_place (ChronoEventSource  *self,
                                         const char         *place_id,
                                         GError            **error)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_SOURCE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return CHRONO_EVENT_SOURCE_GET_IFACE (self)->get_events_at_place (self, place_id, error);
}

GArray *
chrono_event_source_search (ChronoEventSource  *self,
                            const char         *text,
                            GError            **error)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_SOURCE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return CHRONO_EVENT_SOURCE_GET_IFACE (self)->search (self, text, error);
}

char *
chrono_event_source_dup_meta (ChronoEventSource  *self,
                              const char         *key,
                              const char         *lang)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_SOURCE (self), NULL);
  return CHRONO_EVENT_SOURCE_GET_IFACE (self)->dup_meta (self, key, lang);
}
