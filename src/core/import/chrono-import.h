/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "chrono-date.h"
#include "chrono-store.h"

G_BEGIN_DECLS

/*
 * Importing: one reader per file format behind one interface.
 *
 * A reader is a function that reads a whole file (as bytes) and hands what
 * it finds to a ChronoImport: sources, places, events with their excerpts.
 * ChronoImport checks each item (dates, coordinates, ids), writes it into
 * the target store inside the import's one transaction, and keeps the list
 * of problems: every row or feature the reader or the checks had to skip,
 * with where it is in the file. A reader never touches the store itself.
 *
 * A new format is one new file with its ChronoImportFormat and one line in
 * the table of chrono-import.c.
 */

#define CHRONO_IMPORT_ERROR (chrono_import_error_quark ())

typedef enum
{
  CHRONO_IMPORT_ERROR_UNKNOWN_FORMAT,   /* no reader takes the file */
  CHRONO_IMPORT_ERROR_INVALID,          /* the file cannot be read as its format */
  CHRONO_IMPORT_ERROR_NOTHING,          /* read, but no event could be imported */
  CHRONO_IMPORT_ERROR_AMBIGUOUS_DATES,  /* day/month order cannot be told: give it */
  CHRONO_IMPORT_ERROR_UNSUPPORTED,      /* a file of the format that has no map (StoryMapJS on an image) */
  CHRONO_IMPORT_ERROR_TOO_LARGE,        /* past a limit that keeps memory bounded */
  CHRONO_IMPORT_ERROR_CANCELLED,
} ChronoImportError;

GQuark chrono_import_error_quark (void);

/* Which of day/month comes first in dates such as 03/04/2020. */
typedef enum
{
  CHRONO_DATE_ORDER_UNKNOWN,
  CHRONO_DATE_ORDER_DMY,
  CHRONO_DATE_ORDER_MDY,
} ChronoDateOrder;

/* What a column of a table means; also the ROLE of `--columns=ROLE=HEADER`. */
typedef enum
{
  CHRONO_COLUMN_TITLE,
  CHRONO_COLUMN_START,
  CHRONO_COLUMN_END,
  CHRONO_COLUMN_DATE,
  CHRONO_COLUMN_YEAR,
  CHRONO_COLUMN_MONTH,
  CHRONO_COLUMN_DAY,
  CHRONO_COLUMN_LAT,
  CHRONO_COLUMN_LON,
  CHRONO_COLUMN_POINT,
  CHRONO_COLUMN_PLACE,
  CHRONO_COLUMN_DESCRIPTION,
  CHRONO_COLUMN_CATEGORY,
  CHRONO_COLUMN_SOURCE,
  CHRONO_COLUMN_URL,
  CHRONO_COLUMN_N_ROLES,
} ChronoColumnRole;

const char *chrono_column_role_to_string   (ChronoColumnRole  role);
gboolean    chrono_column_role_from_string (const char       *text,
                                            ChronoColumnRole *out_role);

typedef struct
{
  char            *format;                          /* a format's name, or NULL to detect */
  ChronoDateOrder  date_order;
  char            *columns[CHRONO_COLUMN_N_ROLES];  /* headers given by hand, or NULL */
  char            *lang;                            /* language of the texts; NULL: "und" */
} ChronoImportOptions;

ChronoImportOptions *chrono_import_options_new   (void);
ChronoImportOptions *chrono_import_options_copy  (const ChronoImportOptions *self);
void                 chrono_import_options_free  (ChronoImportOptions       *self);
gboolean             chrono_import_options_parse_columns (ChronoImportOptions *self,
                                                          const char          *spec,
                                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChronoImportOptions, chrono_import_options_free)

/* One skipped row or feature, or one thing the person should know. */
typedef struct
{
  guint  line;      /* 1-based; 0 when the format has no lines that mean anything */
  guint  column;    /* 1-based; 0 when not known */
  char  *path;      /* e.g. "features[12]" or "events[3].start_date"; NULL */
  char  *message;
} ChronoImportProblem;

void  chrono_import_problem_free      (ChronoImportProblem       *self);
/* "FILE:LINE: message", "FILE:LINE:COLUMN: message" or "FILE: PATH: message" */
char *chrono_import_problem_to_string (const ChronoImportProblem *self,
                                       const char                *display_name);

/* What a reader hands over. Strings are borrowed for the call. */

typedef struct
{
  const char *local_id;   /* the file's own id, to refer to it; NULL */
  const char *title;      /* required */
  const char *outlet;
  const char *author;
  const char *published;  /* EDTF or free text as given */
  const char *language;
  const char *url;
  const char *note;
} ChronoImportSource;

typedef struct
{
  const char *lang;   /* BCP 47; NULL: the import's language */
  const char *name;
  const char *usage;  /* "common", "official", "historical", "local", "variant" or NULL */
  const char *when;   /* EDTF validity of the name, or NULL for always */
} ChronoImportName;

typedef struct
{
  const char             *local_id;  /* NULL: places with the same name and point are one */
  double                  lat;
  double                  lon;
  const char             *kind;      /* NULL: "site" for a point, "route" for a line, "region" for an area */
  const char             *geometry;  /* GeoJSON geometry text for lines and areas, or NULL */
  const char             *note;
  const ChronoImportName *names;
  guint                   n_names;
} ChronoImportPlace;

typedef struct
{
  const char *quote;
  const char *lang;       /* NULL: the event's language */
  const char *source_id;  /* as chrono_import_add_source() returned it; NULL: the file */
} ChronoImportExcerpt;

typedef struct
{
  const char                *local_id;   /* NULL: numbered */
  const char                *start;      /* EDTF, required */
  const char                *end;        /* EDTF, ".." for an open end, or NULL: as start */
  const char                *lang;       /* NULL: the import's language */
  const char                *title;      /* NULL: made from the summary or the place */
  const char                *summary;
  const char                *category;
  int                        importance; /* 1 to 3; 0: 2 */
  const char                *note;
  const char * const        *place_ids;  /* as chrono_import_add_place() returned them */
  guint                      n_places;
  const ChronoImportExcerpt *excerpts;
  guint                      n_excerpts;
} ChronoImportEvent;

typedef struct _ChronoImport ChronoImport;

/* Called from the thread the import runs in, with 0 to 1. */
typedef void (*ChronoImportProgressFunc) (double   fraction,
                                          gpointer data);

typedef gboolean (*ChronoImportReadFunc) (ChronoImport  *import,
                                          GBytes        *bytes,
                                          GError       **error);

/* How sure a detector is that the bytes are its format. */
typedef enum
{
  CHRONO_DETECT_NO = 0,
  CHRONO_DETECT_EXTENSION = 10,  /* only the name says so */
  CHRONO_DETECT_MAYBE = 50,      /* the content could be */
  CHRONO_DETECT_YES = 100,       /* the content says so */
} ChronoDetect;

typedef int (*ChronoImportDetectFunc) (const char   *basename,
                                       const guint8 *head,
                                       gsize         head_len);

typedef struct
{
  const char              *name;          /* "csv", as --format= takes it */
  const char              *label;         /* N_("CSV or TSV table") */
  const char * const      *patterns;      /* "*.csv", …, for file choosers */
  const char * const      *mime_types;
  ChronoImportDetectFunc   detect;
  ChronoImportReadFunc     read;
} ChronoImportFormat;

const ChronoImportFormat * const *chrono_import_get_formats (void);
const ChronoImportFormat         *chrono_import_find_format (const char   *name);
const ChronoImportFormat         *chrono_import_detect      (const char   *basename,
                                                             GBytes       *bytes);

/* The import itself: into @store, inside one transaction. */

ChronoImport *chrono_import_new              (ChronoStore               *store,
                                              const char                *display_name,
                                              const ChronoImportOptions *options);
void          chrono_import_free             (ChronoImport              *self);
void          chrono_import_set_cancellable  (ChronoImport              *self,
                                              GCancellable              *cancellable);
void          chrono_import_set_progress_func (ChronoImport             *self,
                                              ChronoImportProgressFunc   func,
                                              gpointer                   data);
gboolean      chrono_import_run              (ChronoImport              *self,
                                              GBytes                    *bytes,
                                              GError                   **error);

/* After a run */
const ChronoImportFormat *chrono_import_get_format   (ChronoImport *self);
guint         chrono_import_get_n_events     (ChronoImport              *self);
guint         chrono_import_get_n_places     (ChronoImport              *self);
guint         chrono_import_get_n_sources    (ChronoImport              *self);
GPtrArray    *chrono_import_get_problems     (ChronoImport              *self);
guint         chrono_import_get_n_skipped    (ChronoImport              *self);
char         *chrono_import_dup_summary      (ChronoImport              *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChronoImport, chrono_import_free)

/* For readers */

const ChronoImportOptions *chrono_import_get_options      (ChronoImport *self);
const char   *chrono_import_get_display_name (ChronoImport              *self);
const char   *chrono_import_get_lang         (ChronoImport              *self);
void          chrono_import_set_title        (ChronoImport              *self,
                                              const char                *title);
void          chrono_import_set_description  (ChronoImport              *self,
                                              const char                *description);
const char   *chrono_import_get_file_source  (ChronoImport              *self);
const char   *chrono_import_add_source       (ChronoImport              *self,
                                              const ChronoImportSource  *source);
const char   *chrono_import_add_place        (ChronoImport              *self,
                                              const ChronoImportPlace   *place,
                                              guint                      line,
                                              const char                *path);
const char   *chrono_import_find_place       (ChronoImport              *self,
                                              const char                *local_id);
const char   *chrono_import_find_place_by_name (ChronoImport            *self,
                                              const char                *name);
gboolean      chrono_import_add_event        (ChronoImport              *self,
                                              const ChronoImportEvent   *event,
                                              guint                      line,
                                              const char                *path);
void          chrono_import_skip             (ChronoImport              *self,
                                              guint                      line,
                                              guint                      column,
                                              const char                *path,
                                              const char                *format,
                                              ...) G_GNUC_PRINTF (5, 6);
void          chrono_import_note             (ChronoImport              *self,
                                              guint                      line,
                                              guint                      column,
                                              const char                *path,
                                              const char                *format,
                                              ...) G_GNUC_PRINTF (5, 6);
gboolean      chrono_import_progress         (ChronoImport              *self,
                                              gsize                      done,
                                              gsize                      total,
                                              GError                   **error);

/* Shared by readers (chrono-import-text.c, chrono-import-date.c) */

char         *chrono_import_text_from_html   (const char                *html);
char         *chrono_import_text_limit       (const char                *text,
                                              gsize                      max_bytes);
gboolean      chrono_import_check_json       (const char                *data,
                                              gsize                      len,
                                              guint                      max_depth,
                                              const char                *display_name,
                                              GError                   **error);
JsonParser   *chrono_import_parse_json       (ChronoImport              *self,
                                              GBytes                    *bytes,
                                              GError                   **error);
char         *chrono_import_slug             (const char                *text);

/* How to read loose dates (chrono_import_date_from_text()). */
typedef struct
{
  ChronoDateOrder order;           /* for 03/04/2020; UNKNOWN: such a date is an error */
  gint64          century;         /* a two-digit year YY is century + YY (e.g. 1900);
                                    * 0: the nearest to today (a window 80 years back, 20 ahead) */
  gboolean        two_digit_year;  /* out: set when a two-digit year was read */
} ChronoDateHints;

char         *chrono_import_date_from_text   (const char                *text,
                                              ChronoDateHints           *hints,
                                              GError                   **error);
char         *chrono_import_date_from_parts  (gint64                     year,
                                              int                        month,
                                              int                        day);
char         *chrono_import_date_from_unix   (gint64                     seconds);
ChronoDateOrder chrono_import_guess_date_order (const char * const      *texts,
                                              guint                      n,
                                              gboolean                  *out_ambiguous);

/* The deepest JSON nesting any reader accepts: far beyond real files, far
 * short of what overflows json-glib's recursive parser. */
#define CHRONO_IMPORT_MAX_JSON_DEPTH 512
/* A text longer than this is cut (with an ellipsis) when imported. */
#define CHRONO_IMPORT_MAX_TEXT (1024 * 1024)

G_END_DECLS
