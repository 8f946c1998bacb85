/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "chrono-document.h"

G_BEGIN_DECLS

#define CHRONO_TYPE_EVENT_EDITOR (chrono_event_editor_get_type ())

G_DECLARE_FINAL_TYPE (ChronoEventEditor, chrono_event_editor, CHRONO, EVENT_EDITOR, AdwWindow)

GtkWidget     *chrono_event_editor_new          (GtkWindow         *parent,
                                                 ChronoDocument    *document,
                                                 const char        *event_id,
                                                 gint64             day);
const char    *chrono_event_editor_get_event_id (ChronoEventEditor *self);
gboolean       chrono_event_editor_save         (ChronoEventEditor *self);

/* Test hooks */
AdwEntryRow   *chrono_event_editor_get_title_row      (ChronoEventEditor *self,
                                                       const char        *lang);
GtkTextBuffer *chrono_event_editor_get_summary_buffer (ChronoEventEditor *self,
                                                       const char        *lang);
AdwEntryRow   *chrono_event_editor_get_start_row      (ChronoEventEditor *self);
AdwEntryRow   *chrono_event_editor_get_end_row        (ChronoEventEditor *self);
GtkLabel      *chrono_event_editor_get_start_reading  (ChronoEventEditor *self);
GtkLabel      *chrono_event_editor_get_end_reading    (ChronoEventEditor *self);
AdwComboRow   *chrono_event_editor_get_category_row   (ChronoEventEditor *self);
AdwEntryRow   *chrono_event_editor_get_new_category_row (ChronoEventEditor *self);
AdwComboRow   *chrono_event_editor_get_importance_row (ChronoEventEditor *self);
gboolean       chrono_event_editor_add_place          (ChronoEventEditor *self,
                                                       const char        *place_id,
                                                       const char        *role);
guint          chrono_event_editor_get_n_places       (ChronoEventEditor *self);
GtkWidget     *chrono_event_editor_get_save_button    (ChronoEventEditor *self);
AdwComboRow   *chrono_event_editor_get_excerpt_source_row (ChronoEventEditor *self);
AdwEntryRow   *chrono_event_editor_get_quote_row      (ChronoEventEditor *self);
GtkListBox    *chrono_event_editor_get_excerpts_list  (ChronoEventEditor *self);
AdwViewStack  *chrono_event_editor_get_stack          (ChronoEventEditor *self);
AdwEntryRow   *chrono_event_editor_get_claim_key_row  (ChronoEventEditor *self);
AdwEntryRow   *chrono_event_editor_get_claim_value_row (ChronoEventEditor *self);
AdwComboRow   *chrono_event_editor_get_claim_excerpt_row (ChronoEventEditor *self);
GtkListBox    *chrono_event_editor_get_claims_list    (ChronoEventEditor *self);

G_END_DECLS
