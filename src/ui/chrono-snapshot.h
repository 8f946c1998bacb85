/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <shumate/shumate.h>

#include "chrono-basemap-style.h"
#include "chrono-date.h"
#include "chrono-event-source.h"
#include "chrono-event-table.h"
#include "chrono-store.h"

G_BEGIN_DECLS

#define CHRONO_SNAPSHOT_ERROR (chrono_snapshot_error_quark ())

typedef enum
{
  CHRONO_SNAPSHOT_ERROR_INVALID,    /* bad size, scale, or a date outside any calendar */
  CHRONO_SNAPSHOT_ERROR_NO_EVENT,   /* the event asked for is not in the dataset */
  CHRONO_SNAPSHOT_ERROR_WRITE,      /* the file or folder cannot be written */
  CHRONO_SNAPSHOT_ERROR_NOTHING,    /* a handout with no image in it */
} ChronoSnapshotError;

/* The parts drawn over the map. The basemap attribution is always drawn. */
typedef enum
{
  CHRONO_SNAPSHOT_INCLUDE_NONE     = 0,
  CHRONO_SNAPSHOT_INCLUDE_TIMELINE = 1 << 0, /* strip with density and the date marked */
  CHRONO_SNAPSHOT_INCLUDE_TITLE    = 1 << 1, /* the dataset's (or the given) title */
  CHRONO_SNAPSHOT_INCLUDE_DATE     = 1 << 2, /* the day written out in the UI language */
  CHRONO_SNAPSHOT_INCLUDE_LEGEND   = 1 << 3, /* categories and their colours */
  CHRONO_SNAPSHOT_INCLUDE_EVENTS   = 1 << 4, /* event card: title, dates, excerpt, citation */
  CHRONO_SNAPSHOT_INCLUDE_MARKERS  = 1 << 5, /* places and events drawn by the event layer */
  CHRONO_SNAPSHOT_INCLUDE_ALL      = 0x3f,
} ChronoSnapshotInclude;

/* Common output sizes, in pixels at scale 1. */
typedef enum
{
  CHRONO_SNAPSHOT_PRESET_1080P,         /* 1920x1080 */
  CHRONO_SNAPSHOT_PRESET_720P,          /* 1280x720 */
  CHRONO_SNAPSHOT_PRESET_2160P,         /* 3840x2160 */
  CHRONO_SNAPSHOT_PRESET_A4_PORTRAIT,   /* 2480x3508, A4 at 300 dpi */
  CHRONO_SNAPSHOT_PRESET_A4_LANDSCAPE,  /* 3508x2480 */
  CHRONO_SNAPSHOT_N_PRESETS,
} ChronoSnapshotPreset;

void        chrono_snapshot_preset_get_size  (ChronoSnapshotPreset preset,
                                              int                 *width,
                                              int                 *height);
/* Translated label for a size menu, e.g. "Full HD (1920×1080)". */
const char *chrono_snapshot_preset_get_label (ChronoSnapshotPreset preset);

/*
 * What to draw. Plain fields: set them directly. Strings and the map source
 * are owned by the options (freed by chrono_snapshot_options_free()).
 */
typedef struct
{
  int                    width;        /* output pixels at scale 1 */
  int                    height;
  int                    scale;        /* 1 or 2: a 2x image is twice as wide and high */
  ChronoBasemapStyle     style;
  ChronoDay              day;          /* the date shown */
  char                  *event_id;     /* the dataset id of the event to show, or NULL */
  gint64                 event_rowid;  /* or its rowid (> 0); else: the events in effect */
  char                  *title;        /* NULL: the dataset's title in the UI language */
  gboolean               has_view;     /* FALSE: fit the places of the events shown */
  double                 latitude;     /* map centre and zoom when has_view */
  double                 longitude;
  double                 zoom;
  ChronoSnapshotInclude  include;
  ShumateMapSource      *map_source;   /* NULL: the offline basemap in @style */
} ChronoSnapshotOptions;

#define CHRONO_TYPE_SNAPSHOT_OPTIONS (chrono_snapshot_options_get_type ())

GType                  chrono_snapshot_options_get_type       (void) G_GNUC_CONST;
ChronoSnapshotOptions *chrono_snapshot_options_new            (void);
ChronoSnapshotOptions *chrono_snapshot_options_copy           (const ChronoSnapshotOptions *self);
void                   chrono_snapshot_options_free           (ChronoSnapshotOptions       *self);
void                   chrono_snapshot_options_set_title      (ChronoSnapshotOptions       *self,
                                                               const char                  *title);
void                   chrono_snapshot_options_set_event_id   (ChronoSnapshotOptions       *self,
                                                               const char                  *event_id);
void                   chrono_snapshot_options_set_map_source (ChronoSnapshotOptions       *self,
                                                               ShumateMapSource            *map_source);
void                   chrono_snapshot_options_set_preset     (ChronoSnapshotOptions       *self,
                                                               ChronoSnapshotPreset         preset);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChronoSnapshotOptions, chrono_snapshot_options_free)

/* Where the time of one render went. */
typedef struct
{
  double tiles_seconds;    /* from the first tile request to the last tile's answer */
  double compose_seconds;  /* drawing the map, layer and text into the image */
  guint  n_tiles;          /* tiles requested */
  guint  n_failed_tiles;   /* tiles that failed, painted as the style's background */
} ChronoSnapshotTimings;

/*
 * ChronoSnapshot: what a render needs from a dataset, loaded once (events,
 * places, time index, title, categories), so a handout of many images does
 * not read the store again. Renders run on the main thread's loop.
 */
#define CHRONO_TYPE_SNAPSHOT (chrono_snapshot_get_type ())

G_DECLARE_FINAL_TYPE (ChronoSnapshot, chrono_snapshot, CHRONO, SNAPSHOT, GObject)

GQuark          chrono_snapshot_error_quark   (void);

ChronoSnapshot *chrono_snapshot_new           (ChronoEventSource            *source,
                                               const char                   *lang,
                                               GError                      **error);
ChronoSnapshot *chrono_snapshot_new_for_table (ChronoEventSource           *source,
                                               const char                  *lang,
                                               ChronoEventTable            *table,
                                               ChronoTimeIndex             *index,
                                               GError                     **error);
ChronoEventSource *chrono_snapshot_get_source (ChronoSnapshot              *self);
const char     *chrono_snapshot_get_title     (ChronoSnapshot               *self);
void            chrono_snapshot_set_place_names (ChronoSnapshot             *self,
                                                 const char                 *lang,
                                                 gboolean                    both_names);
gboolean        chrono_snapshot_get_extent    (ChronoSnapshot               *self,
                                               ChronoDay                    *out_first,
                                               ChronoDay                    *out_last);

void            chrono_snapshot_render_async  (ChronoSnapshot               *self,
                                               const ChronoSnapshotOptions  *options,
                                               GCancellable                 *cancellable,
                                               GAsyncReadyCallback           callback,
                                               gpointer                      user_data);
GdkTexture     *chrono_snapshot_render_finish (ChronoSnapshot               *self,
                                               GAsyncResult                 *result,
                                               ChronoSnapshotTimings        *out_timings,
                                               GError                      **error);

gboolean        chrono_snapshot_get_view      (ChronoSnapshot               *self,
                                               const ChronoSnapshotOptions  *options,
                                               double                       *latitude,
                                               double                       *longitude,
                                               double                       *zoom,
                                               GError                      **error);

gboolean        chrono_snapshot_save_png      (GdkTexture                   *texture,
                                               GFile                        *file,
                                               GError                      **error);
void            chrono_snapshot_save_png_async  (GdkTexture                 *texture,
                                                 GFile                      *file,
                                                 GCancellable               *cancellable,
                                                 GAsyncReadyCallback         callback,
                                                 gpointer                    user_data);
gboolean        chrono_snapshot_save_png_finish (GAsyncResult               *result,
                                                 GError                    **error);

/* Handouts: one image per event, or one every N days, weeks or months. */
typedef enum
{
  CHRONO_HANDOUT_PER_EVENT,
  CHRONO_HANDOUT_EVERY_DAYS,
  CHRONO_HANDOUT_EVERY_WEEKS,
  CHRONO_HANDOUT_EVERY_MONTHS,
  CHRONO_HANDOUT_TOUR,          /* one image per step of the dataset's tour */
} ChronoHandoutMode;

typedef void (*ChronoHandoutProgress) (guint    done,
                                       guint    total,
                                       gpointer user_data);

/* The days (and for PER_EVENT the event rowids, else 0) a handout would
 * show; @from/@to bound them (CHRONO_DAY_NEGATIVE/POSITIVE_INFINITY: the
 * dataset's extent). Returns the number of images. */
guint           chrono_snapshot_plan_handout         (ChronoSnapshot               *self,
                                                      ChronoHandoutMode             mode,
                                                      guint                         step,
                                                      ChronoDay                     from,
                                                      ChronoDay                     to,
                                                      GArray                      **out_days,
                                                      GArray                      **out_rowids);
/* Writes 001-2020-11-10.png … and index.csv and index.html into @file, a
 * folder (created if needed), or for a name ending in ".pdf" (see
 * chrono_snapshot_is_pdf_file()) one PDF of a page per image and the index.
 * On error or cancellation the files this run wrote are removed. Finish
 * returns the number of images written. */
void            chrono_snapshot_export_handout_async  (ChronoSnapshot               *self,
                                                       const ChronoSnapshotOptions  *options,
                                                       GFile                        *file,
                                                       ChronoHandoutMode             mode,
                                                       guint                         step,
                                                       ChronoDay                     from,
                                                       ChronoDay                     to,
                                                       GCancellable                 *cancellable,
                                                       ChronoHandoutProgress         progress,
                                                       gpointer                      progress_data,
                                                       GAsyncReadyCallback           callback,
                                                       gpointer                      user_data);
gboolean        chrono_snapshot_is_pdf_file           (GFile                        *file);
guint           chrono_snapshot_get_n_tour_steps      (ChronoSnapshot               *self);
guint           chrono_snapshot_export_handout_finish (ChronoSnapshot               *self,
                                                       GAsyncResult                 *result,
                                                       GError                      **error);

G_END_DECLS
