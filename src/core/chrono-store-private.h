/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "chrono-store.h"

G_BEGIN_DECLS

/* For the core's own users of the connection (chrono-document.c) */
sqlite3  *chrono_store_get_db            (ChronoStore *self);
gboolean  chrono_store_is_read_only      (ChronoStore *self);
void      chrono_store_mark_search_dirty (ChronoStore *self);

G_END_DECLS
