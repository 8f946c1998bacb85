/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "chrono-document.h"

G_BEGIN_DECLS

#define CHRONO_TYPE_PLACE_EDITOR (chrono_place_editor_get_type ())

G_DECLARE_FINAL_TYPE (ChronoPlaceEditor, chrono_place_editor, CHRONO, PLACE_EDITOR, AdwWindow)

GtkWidget   *chrono_place_editor_new          (GtkWindow         *parent,
                                               ChronoDocument    *document,
                                               const char        *place_id,
                                               double             lat,
                                               double             lon);
const char  *chrono_place_editor_get_place_id (ChronoPlaceEditor *self);
gboolean     chrono_place_editor_save         (ChronoPlaceEditor *self);
void         chrono_place_editor_set_shape    (ChronoPlaceEditor *self,
                                               const char        *kind,
                                               const char        *geometry);

/* Test hooks */
AdwEntryRow *chrono_place_editor_add_name     (ChronoPlaceEditor *self,
                                               const char        *lang,
                                               const char        *name,
                                               const char        *usage);
AdwEntryRow *chrono_place_editor_add_name_full (ChronoPlaceEditor *self,
                                                const char        *lang,
                                                const char        *name,
                                                const char        *usage,
                                                const char        *when);
guint        chrono_place_editor_get_n_names  (ChronoPlaceEditor *self);
AdwComboRow *chrono_place_editor_get_kind_row (ChronoPlaceEditor *self);
GtkWidget   *chrono_place_editor_get_save_button (ChronoPlaceEditor *self);

G_END_DECLS
