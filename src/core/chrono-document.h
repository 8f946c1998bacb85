/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "chrono-event.h"
#include "chrono-event-source.h"
#include "chrono-event-table.h"
#include "chrono-place.h"
#include "chrono-source.h"
#include "chrono-store.h"
#include "chrono-time-index.h"

G_BEGIN_DECLS

/* What a change touched */
typedef enum
{
  CHRONO_CHANGE_EVENTS  = 1 << 0,
  CHRONO_CHANGE_PLACES  = 1 << 1,
  CHRONO_CHANGE_SOURCES = 1 << 2,
  CHRONO_CHANGE_TOUR    = 1 << 3,
  CHRONO_CHANGE_META    = 1 << 4,
  CHRONO_CHANGE_ALL     = 0x1f,
} ChronoChangeFlags;

/* The argument of ChronoDocument::changed. Ids are of events (by their
 * dataset id), places and sources. An event whose place moved or was renamed
 * is "changed" too. */
typedef struct
{
  ChronoChangeFlags what;
  GPtrArray *events_added;     /* of char *, never NULL */
  GPtrArray *events_removed;
  GPtrArray *events_changed;
  GPtrArray *places_added;
  GPtrArray *places_removed;
  GPtrArray *places_changed;
} ChronoDocumentChange;

/* The fields of an event, as an editor fills them. The texts and places
 * replace all the event's texts and places. */
typedef struct
{
  const char *start;      /* EDTF; required */
  const char *end;        /* EDTF, ".." for an open end, NULL for the start's day(s) */
  const char *category;   /* NULL: none */
  int         importance; /* 1 to 3; 0 means 2 */
  const char *note;
  /* Parallel arrays of n_texts: language, title (required), summary (or NULL) */
  guint               n_texts;
  const char * const *text_langs;
  const char * const *titles;
  const char * const *summaries;
  /* Parallel arrays of n_places: place id, role ("location" if NULL) */
  guint               n_places;
  const char * const *place_ids;
  const char * const *place_roles;
} ChronoEventFields;

/* The fields of a place. Names replace all the place's names. */
typedef struct
{
  double      lat;
  double      lon;
  const char *kind;      /* "town", "line", "area"…; "point" if NULL */
  const char *geometry;  /* GeoJSON geometry text of a line or area, or NULL */
  const char *note;
  guint               n_names;
  const char * const *name_langs;
  const char * const *names;
  const char * const *name_usages;  /* each may be NULL */
  const char * const *name_whens;   /* EDTF validity of each, may be NULL */
} ChronoPlaceFields;

typedef struct
{
  const char *title;     /* required */
  const char *outlet;
  const char *author;
  const char *published; /* EDTF or NULL */
  const char *language;
  const char *url;
  const char *note;
} ChronoSourceFields;

#define CHRONO_TYPE_DOCUMENT (chrono_document_get_type ())

G_DECLARE_FINAL_TYPE (ChronoDocument, chrono_document, CHRONO, DOCUMENT, GObject)

ChronoDocument *chrono_document_new               (ChronoStore        *store,
                                                   const char         *lang,
                                                   gboolean            read_only,
                                                   GError            **error);
ChronoDocument *chrono_document_open              (const char         *path,
                                                   const char         *lang,
                                                   GError            **error);
ChronoDocument *chrono_document_create            (const char         *path,
                                                   const char         *title,
                                                   const char * const *langs,
                                                   const char         *lang,
                                                   GError            **error);
gboolean        chrono_document_save_copy         (ChronoDocument     *self,
                                                   const char         *path,
                                                   GError            **error);

ChronoStore     *chrono_document_get_store        (ChronoDocument     *self);
ChronoEventSource *chrono_document_get_source    (ChronoDocument     *self);
const char      *chrono_document_get_path         (ChronoDocument     *self);
const char      *chrono_document_get_lang         (ChronoDocument     *self);
gboolean         chrono_document_get_read_only    (ChronoDocument     *self);
const char      *chrono_document_get_read_only_reason (ChronoDocument *self);
void             chrono_document_set_read_only_reason (ChronoDocument *self,
                                                       const char     *reason);
char           **chrono_document_dup_languages    (ChronoDocument     *self);
char            *chrono_document_dup_title        (ChronoDocument     *self);
GStrv            chrono_document_dup_categories   (ChronoDocument     *self);

/* The in-memory model the views share, current after every change */
GPtrArray       *chrono_document_get_events       (ChronoDocument     *self);
ChronoEventTable *chrono_document_get_table       (ChronoDocument     *self);
guint            chrono_document_get_n_events     (ChronoDocument     *self);
void             chrono_document_trim_cache       (ChronoDocument     *self,
                                                   guint               keep);
ChronoTimeIndex *chrono_document_get_time_index   (ChronoDocument     *self);
GPtrArray       *chrono_document_get_places       (ChronoDocument     *self);
ChronoEvent     *chrono_document_lookup_event     (ChronoDocument     *self,
                                                   gint64              rowid);
ChronoEvent     *chrono_document_find_event       (ChronoDocument     *self,
                                                   const char         *id);
ChronoPlace     *chrono_document_find_place       (ChronoDocument     *self,
                                                   const char         *id);
GPtrArray       *chrono_document_get_sources      (ChronoDocument     *self);
ChronoSource    *chrono_document_find_source      (ChronoDocument     *self,
                                                   const char         *id);
GPtrArray       *chrono_document_get_tour         (ChronoDocument     *self);

/* Commands: one transaction each, undoable. On error nothing changed. */
char            *chrono_document_add_event        (ChronoDocument          *self,
                                                   const ChronoEventFields *fields,
                                                   GError                 **error);
gboolean         chrono_document_set_event        (ChronoDocument          *self,
                                                   const char              *id,
                                                   const ChronoEventFields *fields,
                                                   GError                 **error);
gboolean         chrono_document_delete_event     (ChronoDocument          *self,
                                                   const char              *id,
                                                   GError                 **error);
char            *chrono_document_add_place        (ChronoDocument          *self,
                                                   const ChronoPlaceFields *fields,
                                                   GError                 **error);
gboolean         chrono_document_set_place        (ChronoDocument          *self,
                                                   const char              *id,
                                                   const ChronoPlaceFields *fields,
                                                   GError                 **error);
gboolean         chrono_document_move_place       (ChronoDocument          *self,
                                                   const char              *id,
                                                   double                   lat,
                                                   double                   lon,
                                                   GError                 **error);
gboolean         chrono_document_delete_place     (ChronoDocument          *self,
                                                   const char              *id,
                                                   GError                 **error);
char            *chrono_document_add_source       (ChronoDocument           *self,
                                                   const ChronoSourceFields *fields,
                                                   GError                  **error);
gboolean         chrono_document_set_source       (ChronoDocument           *self,
                                                   const char               *id,
                                                   const ChronoSourceFields *fields,
                                                   GError                  **error);
gboolean         chrono_document_delete_source    (ChronoDocument           *self,
                                                   const char               *id,
                                                   GError                  **error);
char            *chrono_document_add_excerpt      (ChronoDocument     *self,
                                                   const char         *event_id,
                                                   const char         *source_id,
                                                   const char         *lang,
                                                   const char         *quote,
                                                   GError            **error);
gboolean         chrono_document_delete_excerpt   (ChronoDocument     *self,
                                                   const char         *excerpt_id,
                                                   GError            **error);
char            *chrono_document_add_claim        (ChronoDocument     *self,
                                                   const char         *event_id,
                                                   const char         *excerpt_id,
                                                   const char         *key,
                                                   const char         *value,
                                                   GError            **error);
gboolean         chrono_document_delete_claim     (ChronoDocument     *self,
                                                   const char         *claim_id,
                                                   GError            **error);
/* The tour: positions count from 0 */
gboolean         chrono_document_add_tour_step    (ChronoDocument     *self,
                                                   const char         *event_id,
                                                   int                 position,
                                                   GError            **error);
gboolean         chrono_document_remove_tour_step (ChronoDocument     *self,
                                                   guint               position,
                                                   GError            **error);
gboolean         chrono_document_move_tour_step   (ChronoDocument     *self,
                                                   guint               from,
                                                   guint               to,
                                                   GError            **error);
gboolean         chrono_document_set_tour_step    (ChronoDocument     *self,
                                                   guint               position,
                                                   const char         *lang,
                                                   const char         *title,
                                                   const char         *note,
                                                   const char * const *excerpt_ids,
                                                   GError            **error);
gboolean         chrono_document_set_title        (ChronoDocument     *self,
                                                   const char         *lang,
                                                   const char         *title,
                                                   GError            **error);

/* Undo and redo, across the session */
gboolean         chrono_document_can_undo         (ChronoDocument     *self);
gboolean         chrono_document_can_redo         (ChronoDocument     *self);
const char      *chrono_document_get_undo_label   (ChronoDocument     *self);
const char      *chrono_document_get_redo_label   (ChronoDocument     *self);
gboolean         chrono_document_undo             (ChronoDocument     *self,
                                                   GError            **error);
gboolean         chrono_document_redo             (ChronoDocument     *self,
                                                   GError            **error);

/* Checks an EDTF date as typed: its human reading, or an error */
char            *chrono_document_describe_date    (const char         *text,
                                                   GError            **error);

G_END_DECLS
