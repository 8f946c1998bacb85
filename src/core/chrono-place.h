/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "chrono-date.h"

G_BEGIN_DECLS

/* One name of a place in one language. usage: "common", "official",
 * "historical", "local" or "variant" (NULL if not given). when: the EDTF
 * date or interval the name is valid in ("1923/..", "../1922"), NULL for
 * always; earliest and latest are its days (the infinities when NULL). */
typedef struct
{
  char     *lang;
  char     *name;
  char     *usage;
  char     *when;
  ChronoDay earliest;
  ChronoDay latest;
} ChronoPlaceName;

#define CHRONO_TYPE_PLACE_NAME (chrono_place_name_get_type ())

GType            chrono_place_name_get_type (void) G_GNUC_CONST;
ChronoPlaceName *chrono_place_name_new      (const char            *lang,
                                             const char            *name,
                                             const char            *usage);
ChronoPlaceName *chrono_place_name_new_full (const char            *lang,
                                             const char            *name,
                                             const char            *usage,
                                             const char            *when);
ChronoPlaceName *chrono_place_name_copy     (const ChronoPlaceName *self);
gboolean         chrono_place_name_is_valid_at (const ChronoPlaceName *self,
                                                ChronoDay              day);
void             chrono_place_name_free     (ChronoPlaceName       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChronoPlaceName, chrono_place_name_free)

#define CHRONO_TYPE_PLACE (chrono_place_get_type ())

G_DECLARE_FINAL_TYPE (ChronoPlace, chrono_place, CHRONO, PLACE, GObject)

const char *chrono_place_get_id       (ChronoPlace *self);
const char *chrono_place_get_kind     (ChronoPlace *self);
double      chrono_place_get_lat      (ChronoPlace *self);
double      chrono_place_get_lon      (ChronoPlace *self);
const char *chrono_place_get_geometry (ChronoPlace *self);
const char *chrono_place_get_note     (ChronoPlace *self);
const char *chrono_place_get_lang     (ChronoPlace *self);
const char *chrono_place_get_name     (ChronoPlace *self);
GPtrArray  *chrono_place_get_names    (ChronoPlace *self);
const char *chrono_place_get_name_for (ChronoPlace *self,
                                       const char  *lang);
const char *chrono_place_get_official_name (ChronoPlace *self);
gboolean    chrono_place_has_dated_names   (ChronoPlace *self);
const char *chrono_place_get_name_at       (ChronoPlace *self,
                                            const char  *lang,
                                            ChronoDay    day);
const char *chrono_place_get_official_name_at (ChronoPlace *self,
                                               ChronoDay    day);

const char *chrono_language_get_name (const char *lang);

G_END_DECLS
