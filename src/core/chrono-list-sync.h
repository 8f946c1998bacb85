/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void chrono_list_store_sync (GListStore *store,
                             GArray     *ids,
                             GArray     *new_ids,
                             GHashTable *items_by_id);

G_END_DECLS
