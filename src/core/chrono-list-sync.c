/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Bringing a list store of events up to date with as few changes as possible.
 *
 * When the date moves by a day, most events in effect stay in effect. Replacing
 * the whole store would make every list view over it throw away its rows and
 * build new ones; here the events that stay keep their place, and only those
 * that leave or arrive are removed or inserted, a run at a time.
 */
#include "config.h"

#include "chrono-list-sync.h"

static GHashTable *
id_set (GArray *ids)
{
  GHashTable *set = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < ids->len; i++)
    g_hash_table_add (set, &g_array_index (ids, gint64, i));
  return set;
}

/**
 * chrono_list_store_sync:
 * @store: the store to change
 * @ids: (element-type gint64): the ids of the items now in @store, in order;
 *   replaced by the ids of @new_ids that are found in @items_by_id
 * @new_ids: (element-type gint64): the ids the store should hold, in order
 * @items_by_id: (element-type gint64 GObject): the item for every id
 *
 * Makes @store hold the items of @new_ids. The old and the new ids must be in
 * one same order (as the time index returns them, for every day), so that an
 * item kept is never moved. Should that not hold, the rest of the store is
 * replaced in one go, which is still correct. Ids without an item are left
 * out.
 */
void
chrono_list_store_sync (GListStore *store,
                        GArray     *ids,
                        GArray     *new_ids,
                        GHashTable *items_by_id)
{
  g_autoptr (GArray) wanted = g_array_sized_new (FALSE, FALSE, sizeof (gint64), new_ids->len);
  g_autoptr (GPtrArray) added = g_ptr_array_new ();
  g_autoptr (GHashTable) in_old = NULL;
  g_autoptr (GHashTable) in_new = NULL;
  guint i = 0, j = 0, position = 0;

  g_return_if_fail (G_IS_LIST_STORE (store));
  g_return_if_fail (g_list_model_get_n_items (G_LIST_MODEL (store)) == ids->len);

  for (guint k = 0; k < new_ids->len; k++)
    if (g_hash_table_contains (items_by_id, &g_array_index (new_ids, gint64, k)))
      g_array_append_val (wanted, g_array_index (new_ids, gint64, k));

  in_old = id_set (ids);
  in_new = id_set (wanted);

  while (i < ids->len || j < wanted->len)
    {
      guint n_removed = 0;

      if (i < ids->len && j < wanted->len &&
          g_array_index (ids, gint64, i) == g_array_index (wanted, gint64, j))
        {
          i++, j++, position++;
          continue;
        }

      g_ptr_array_set_size (added, 0);
      for (;;)
        {
          if (i < ids->len && !g_hash_table_contains (in_new, &g_array_index (ids, gint64, i)))
            n_removed++, i++;
          else if (j < wanted->len && !g_hash_table_contains (in_old, &g_array_index (wanted, gint64, j)))
            g_ptr_array_add (added, g_hash_table_lookup (items_by_id, &g_array_index (wanted, gint64, j++)));
          else
            break;
        }

      if (n_removed == 0 && added->len == 0)
        {
          /* Both lists hold both ids, in another order: not one order */
          n_removed = ids->len - i;
          for (; j < wanted->len; j++)
            g_ptr_array_add (added, g_hash_table_lookup (items_by_id, &g_array_index (wanted, gint64, j)));
          i = ids->len;
        }

      g_list_store_splice (store, position, n_removed, added->pdata, added->len);
      position += added->len;
    }

  g_array_set_size (ids, 0);
  g_array_append_vals (ids, wanted->data, wanted->len);
}
