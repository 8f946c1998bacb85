/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "chrono-document.h"

G_BEGIN_DECLS

#define CHRONO_TYPE_TOUR_EDITOR (chrono_tour_editor_get_type ())

G_DECLARE_FINAL_TYPE (ChronoTourEditor, chrono_tour_editor, CHRONO, TOUR_EDITOR, AdwWindow)

GtkWidget *chrono_tour_editor_new     (GtkWindow        *parent,
                                       ChronoDocument   *document);

/* Test hooks */
guint      chrono_tour_editor_get_n_rows (ChronoTourEditor *self);
GtkWidget *chrono_tour_editor_get_row    (ChronoTourEditor *self,
                                          guint             position);
AdwEntryRow *chrono_tour_editor_get_title_row (ChronoTourEditor *self,
                                               guint             position);
AdwEntryRow *chrono_tour_editor_get_note_row  (ChronoTourEditor *self,
                                               guint             position);

G_END_DECLS
