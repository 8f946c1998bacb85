/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "import/chrono-import.h"

G_BEGIN_DECLS

#define CHRONO_TYPE_IMPORT_DIALOG (chrono_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ChronoImportDialog, chrono_import_dialog, CHRONO, IMPORT_DIALOG, AdwWindow)

ChronoImportDialog *chrono_import_dialog_new (GtkWindow  *parent,
                                              GFile      *file,
                                              const char *dataset_path);
gboolean            chrono_import_dialog_is_ready   (ChronoImportDialog *self);
const char         *chrono_import_dialog_get_counts (ChronoImportDialog *self);
const char         *chrono_import_dialog_get_error  (ChronoImportDialog *self);
void                chrono_import_dialog_import     (ChronoImportDialog *self);
void                chrono_import_dialog_set_date_order (ChronoImportDialog *self,
                                                         ChronoDateOrder     order);
void                chrono_import_dialog_set_column (ChronoImportDialog *self,
                                                     ChronoColumnRole    role,
                                                     const char         *header);

G_END_DECLS
