/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "chrono-event.h"
#include "chrono-place.h"
#include "chrono-source.h"

G_BEGIN_DECLS

#define CHRONO_STORE_ERROR (chrono_store_error_quark ())

typedef enum
{
  CHRONO_STORE_ERROR_NOT_A_DATASET,  /* not sqlite, or another program's database */
  CHRONO_STORE_ERROR_NEWER_SCHEMA,   /* written by a newer Chronotope */
  CHRONO_STORE_ERROR_NOT_FOUND,      /* no event with that id */
  CHRONO_STORE_ERROR_FAILED,         /* sqlite said no: I/O, disk full, constraint, … */
  CHRONO_STORE_ERROR_DAMAGED,        /* the file is damaged: pages, or texts that are not UTF-8 */
} ChronoStoreError;

/* `PRAGMA application_id` of every .chronotope file: "CHRO". */
#define CHRONO_STORE_APPLICATION_ID 0x4348524F

/* The newest schema this build reads and writes (`PRAGMA user_version`). */
#define CHRONO_STORE_SCHEMA_VERSION 4

/* chrono_store_search() ranks up to this many matches by relevance; more
 * come in the dataset's order */
#define CHRONO_STORE_MAX_RANKED 5000

typedef struct
{
  guint sources;
  guint places;
  guint events;
  guint excerpts;
  guint claims;
} ChronoStoreCounts;

typedef enum
{
  CHRONO_STORE_ID_SOURCE,
  CHRONO_STORE_ID_PLACE,
  CHRONO_STORE_ID_EVENT,
  CHRONO_STORE_ID_EXCERPT,
} ChronoStoreIdKind;

/* One language's text of an event. */
typedef struct
{
  char *lang;
  char *title;
  char *summary;
} ChronoEventText;

void chrono_event_text_free (ChronoEventText *self);

#define CHRONO_TYPE_STORE (chrono_store_get_type ())

G_DECLARE_FINAL_TYPE (ChronoStore, chrono_store, CHRONO, STORE, GObject)

GQuark       chrono_store_error_quark          (void);

ChronoStore *chrono_store_open                 (const char         *path,
                                                GError            **error);
ChronoStore *chrono_store_open_readonly        (const char         *path,
                                                GError            **error);
ChronoStore *chrono_store_open_for_recovery    (const char         *path,
                                                GError            **error);
ChronoStore *chrono_store_new_in_memory        (GError            **error);
const char  *chrono_store_get_path             (ChronoStore        *self);

/* Reading */
GArray      *chrono_store_get_spans            (ChronoStore        *self,
                                                GError            **error);
ChronoEvent *chrono_store_get_event            (ChronoStore        *self,
                                                gint64              rowid,
                                                const char         *lang,
                                                GError            **error);
ChronoEvent *chrono_store_get_event_by_id      (ChronoStore        *self,
                                                const char         *id,
                                                const char         *lang,
                                                GError            **error);
GPtrArray   *chrono_store_get_events           (ChronoStore        *self,
                                                const gint64       *rowids,
                                                guint               n,
                                                const char         *lang,
                                                GError            **error);
GPtrArray   *chrono_store_get_places           (ChronoStore        *self,
                                                const char         *lang,
                                                GError            **error);
GPtrArray   *chrono_store_get_sources          (ChronoStore        *self,
                                                GError            **error);
GArray      *chrono_store_get_events_at_place  (ChronoStore        *self,
                                                const char         *place_id,
                                                GError            **error);
GArray      *chrono_store_get_events_at        (ChronoStore        *self,
                                                ChronoDay           day,
                                                GError            **error);
GArray      *chrono_store_search               (ChronoStore        *self,
                                                const char         *text,
                                                GError            **error);
gboolean     chrono_search_text_matches        (const char         *query,
                                                const char         *text);
char        *chrono_store_dup_meta             (ChronoStore        *self,
                                                const char         *key);
char        *chrono_store_dup_meta_for_lang    (ChronoStore        *self,
                                                const char         *key,
                                                const char         *lang);
gboolean     chrono_store_get_counts           (ChronoStore        *self,
                                                ChronoStoreCounts  *counts,
                                                GError            **error);
GPtrArray   *chrono_store_get_tour             (ChronoStore        *self,
                                                const char         *lang,
                                                GError            **error);
GPtrArray   *chrono_store_get_event_texts      (ChronoStore        *self,
                                                const char         *event_id,
                                                GError            **error);
gboolean     chrono_store_has_id               (ChronoStore        *self,
                                                ChronoStoreIdKind   kind,
                                                const char         *id);
gboolean     chrono_store_index_event          (ChronoStore        *self,
                                                gint64              rowid,
                                                const char         *title,
                                                const char         *summary,
                                                const char         *quotes,
                                                const char         *places,
                                                GError            **error);
void         chrono_store_set_search_current   (ChronoStore        *self);
gboolean     chrono_store_set_bulk             (ChronoStore        *self,
                                                gboolean            bulk,
                                                GError            **error);

/* Writing: importers call these between begin and commit */
gboolean     chrono_store_begin                (ChronoStore        *self,
                                                GError            **error);
gboolean     chrono_store_commit               (ChronoStore        *self,
                                                GError            **error);
void         chrono_store_rollback             (ChronoStore        *self);
gboolean     chrono_store_clear                (ChronoStore        *self,
                                                GError            **error);
gboolean     chrono_store_set_meta             (ChronoStore        *self,
                                                const char         *key,
                                                const char         *value,
                                                GError            **error);
gboolean     chrono_store_add_source           (ChronoStore        *self,
                                                ChronoSource       *source,
                                                GError            **error);
gboolean     chrono_store_add_place            (ChronoStore        *self,
                                                ChronoPlace        *place,
                                                GError            **error);
gboolean     chrono_store_add_event            (ChronoStore        *self,
                                                const char         *id,
                                                const char         *start,
                                                const char         *end,
                                                gint64              start_lo,
                                                gint64              start_hi,
                                                gint64              end_lo,
                                                gint64              end_hi,
                                                const char         *category,
                                                int                 importance,
                                                const char         *note,
                                                gint64             *out_rowid,
                                                GError            **error);
gboolean     chrono_store_add_event_text       (ChronoStore        *self,
                                                const char         *event_id,
                                                const char         *lang,
                                                const char         *title,
                                                const char         *summary,
                                                GError            **error);
gboolean     chrono_store_add_event_place      (ChronoStore        *self,
                                                const char         *event_id,
                                                const char         *place_id,
                                                const char         *role,
                                                guint               position,
                                                GError            **error);
gboolean     chrono_store_add_excerpt          (ChronoStore        *self,
                                                const char         *id,
                                                const char         *event_id,
                                                const char         *source_id,
                                                const char         *lang,
                                                const char         *quote,
                                                gint64              offset,
                                                gint64              length,
                                                guint               position,
                                                GError            **error);
gboolean     chrono_store_add_claim            (ChronoStore        *self,
                                                const char         *id,
                                                const char         *event_id,
                                                const char         *excerpt_id,
                                                const char         *key,
                                                const char         *value,
                                                guint               position,
                                                GError            **error);
gboolean     chrono_store_add_tour_step        (ChronoStore        *self,
                                                guint               position,
                                                const char         *event_id,
                                                const char         *date,
                                                gint64              day,
                                                const char * const *excerpts,
                                                GError            **error);
gboolean     chrono_store_add_tour_text        (ChronoStore        *self,
                                                guint               position,
                                                const char         *lang,
                                                const char         *title,
                                                const char         *note,
                                                GError            **error);

G_END_DECLS
