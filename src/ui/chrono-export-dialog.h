/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "chrono-snapshot.h"

G_BEGIN_DECLS

/*
 * The dialogs of "Export Snapshot…" and "Export Handout…". The window gives
 * them the snapshot it would take now (its date, its selected event or the
 * events in effect, its map style and view); they emit "finished" with a
 * sentence for a toast once something is written.
 */

#define CHRONO_TYPE_EXPORT_DIALOG (chrono_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ChronoExportDialog, chrono_export_dialog, CHRONO, EXPORT_DIALOG, AdwWindow)

ChronoExportDialog    *chrono_export_dialog_new         (GtkWindow             *parent,
                                                         ChronoSnapshot        *snapshot,
                                                         ChronoSnapshotOptions *options);
ChronoSnapshotOptions *chrono_export_dialog_get_options (ChronoExportDialog    *self);
GdkTexture            *chrono_export_dialog_get_preview (ChronoExportDialog    *self);
void                   chrono_export_dialog_save        (ChronoExportDialog    *self,
                                                         GFile                 *file);
void                   chrono_export_dialog_select_size (ChronoExportDialog    *self,
                                                         ChronoSnapshotPreset   preset,
                                                         int                    scale);

#define CHRONO_TYPE_HANDOUT_DIALOG (chrono_handout_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ChronoHandoutDialog, chrono_handout_dialog, CHRONO, HANDOUT_DIALOG, AdwWindow)

ChronoHandoutDialog *chrono_handout_dialog_new    (GtkWindow             *parent,
                                                   ChronoSnapshot        *snapshot,
                                                   ChronoSnapshotOptions *options);
void                 chrono_handout_dialog_export (ChronoHandoutDialog   *self,
                                                   GFile                 *file);
AdwComboRow         *chrono_handout_dialog_get_mode_row (ChronoHandoutDialog *self);
void                 chrono_handout_dialog_select (ChronoHandoutDialog   *self,
                                                   ChronoHandoutMode      mode,
                                                   guint                  step,
                                                   gboolean               pdf);

G_END_DECLS
