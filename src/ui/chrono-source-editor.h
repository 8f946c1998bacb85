/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "chrono-document.h"

G_BEGIN_DECLS

#define CHRONO_TYPE_SOURCE_EDITOR (chrono_source_editor_get_type ())

G_DECLARE_FINAL_TYPE (ChronoSourceEditor, chrono_source_editor, CHRONO, SOURCE_EDITOR, AdwWindow)

GtkWidget   *chrono_source_editor_new          (GtkWindow          *parent,
                                                ChronoDocument     *document,
                                                const char         *source_id);
const char  *chrono_source_editor_get_source_id (ChronoSourceEditor *self);
gboolean     chrono_source_editor_save         (ChronoSourceEditor *self);

/* Test hooks */
AdwEntryRow *chrono_source_editor_get_title_row     (ChronoSourceEditor *self);
AdwEntryRow *chrono_source_editor_get_published_row (ChronoSourceEditor *self);
GtkLabel    *chrono_source_editor_get_published_reading (ChronoSourceEditor *self);
GtkWidget   *chrono_source_editor_get_save_button   (ChronoSourceEditor *self);

/* What the editors share */
char       **chrono_editor_dup_languages (ChronoDocument *document);
char        *chrono_editor_dup_text      (AdwEntryRow    *row);
char        *chrono_editor_dup_date      (AdwEntryRow    *row);
void         chrono_editor_activate_on_enter (AdwEntryRow *row,
                                              const char  *action);
gboolean     chrono_editor_check_date    (AdwEntryRow    *row,
                                          GtkLabel       *reading,
                                          gboolean        required);
void         chrono_editor_add_save_shortcut (GtkWidget *window);
void         chrono_editor_show_read_only (GtkLabel       *label,
                                           ChronoDocument *document);
void         chrono_editor_set_error     (GtkWidget      *widget,
                                          gboolean        error);

G_END_DECLS
