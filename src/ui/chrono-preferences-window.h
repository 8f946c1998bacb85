/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "chrono-window.h"

G_BEGIN_DECLS

#define CHRONO_TYPE_PREFERENCES_WINDOW (chrono_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (ChronoPreferencesWindow, chrono_preferences_window, CHRONO, PREFERENCES_WINDOW, AdwPreferencesWindow)

ChronoPreferencesWindow *chrono_preferences_window_new       (ChronoWindow            *window);
gboolean                 chrono_preferences_window_use_mbtiles (ChronoPreferencesWindow *self,
                                                               const char              *path,
                                                               GError                 **error);

G_END_DECLS
