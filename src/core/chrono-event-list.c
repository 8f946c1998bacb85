/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "chrono-event-list.h"

struct _ChronoEventList
{
  GObject              parent_instance;

  ChronoEventLoadFunc  load;
  gpointer             user_data;
  ChronoEventTable    *table;
  GArray              *ids;      /* gint64 */
  /* The item last asked for: a list view asks for one row several times */
  gint64               last_rowid;
  ChronoEvent         *last_event;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ChronoEventList, chrono_event_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return CHRONO_TYPE_EVENT;
}

static guint
get_n_items (GListModel *model)
{
  return CHRONO_EVENT_LIST (model)->ids->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  ChronoEventList *self = CHRONO_EVENT_LIST (model);
  gint64 rowid;

  if (position >= self->ids->len)
    return NULL;
  rowid = g_array_index (self->ids, gint64, position);
  if (self->last_event == NULL || self->last_rowid != rowid)
    {
      g_clear_object (&self->last_event);
      self->last_event = self->load (rowid, self->user_data);
      self->last_rowid = rowid;
    }
  return self->last_event != NULL ? g_object_ref (self->last_event) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
chrono_event_list_finalize (GObject *object)
{
  ChronoEventList *self = CHRONO_EVENT_LIST (object);

  g_clear_object (&self->last_event);
  g_clear_pointer (&self->table, chrono_event_table_unref);
  g_array_unref (self->ids);
  G_OBJECT_CLASS (chrono_event_list_parent_class)->finalize (object);
}

static void
chrono_event_list_class_init (ChronoEventListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = chrono_event_list_finalize;
}

static void
chrono_event_list_init (ChronoEventList *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/**
 * chrono_event_list_new:
 * @load: reads an event by its rowid
 *
 * Returns: (transfer full): an empty list
 */
ChronoEventList *
chrono_event_list_new (ChronoEventLoadFunc load,
                       gpointer            user_data)
{
  ChronoEventList *self = g_object_new (CHRONO_TYPE_EVENT_LIST, NULL);

  self->load = load;
  self->user_data = user_data;
  return self;
}

/* The table of the events whose ids the list holds */
void
chrono_event_list_set_table (ChronoEventList  *self,
                             ChronoEventTable *table)
{
  g_return_if_fail (CHRONO_IS_EVENT_LIST (self));

  if (table != NULL)
    chrono_event_table_ref (table);
  g_clear_pointer (&self->table, chrono_event_table_unref);
  self->table = table;
}

/* Returns: (nullable) (transfer none) */
ChronoEventTable *
chrono_event_list_get_table (ChronoEventList *self)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_LIST (self), NULL);
  return self->table;
}

static void
replace (ChronoEventList *self,
         guint            position,
         guint            n_removed,
         const gint64    *added,
         guint            n_added)
{
  g_array_remove_range (self->ids, position, n_removed);
  g_array_insert_vals (self->ids, position, added, n_added);
  g_list_model_items_changed (G_LIST_MODEL (self), position, n_removed, n_added);
}

/**
 * chrono_event_list_set_ids:
 * @ids: (array length=n_ids): the rowids the list should hold, in order
 *
 * Makes the list hold @ids with as few changes as it can: the ids that stay
 * keep their items (and a list view its rows and its selection); those that
 * leave or come are removed or inserted a run at a time. The old and the new
 * ids should be in one same order (as the time index gives them for every
 * day); should they not be, the rest of the list is replaced, which is still
 * correct.
 */
void
chrono_event_list_set_ids (ChronoEventList *self,
                           const gint64    *ids,
                           guint            n_ids)
{
  g_autoptr (GHashTable) in_old = NULL;
  g_autoptr (GHashTable) in_new = NULL;
  g_autoptr (GArray) old = NULL;
  g_autoptr (GArray) added = NULL;
  guint head = 0, tail = 0, i, j, position;

  g_return_if_fail (CHRONO_IS_EVENT_LIST (self));
  g_return_if_fail (ids != NULL || n_ids == 0);

  /* What stays at both ends needs no set of ids */
  while (head < self->ids->len && head < n_ids && g_array_index (self->ids, gint64, head) == ids[head])
    head++;
  while (tail < self->ids->len - head && tail < n_ids - head &&
         g_array_index (self->ids, gint64, self->ids->len - 1 - tail) == ids[n_ids - 1 - tail])
    tail++;
  if (head == self->ids->len && head == n_ids)
    return;

  old = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->ids->len - head - tail);
  g_array_append_vals (old, &g_array_index (self->ids, gint64, head), self->ids->len - head - tail);
  in_old = g_hash_table_new (g_int64_hash, g_int64_equal);
  in_new = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint k = 0; k < old->len; k++)
    g_hash_table_add (in_old, &g_array_index (old, gint64, k));
  for (guint k = head; k < n_ids - tail; k++)
    g_hash_table_add (in_new, (gpointer) &ids[k]);

  added = g_array_new (FALSE, FALSE, sizeof (gint64));
  i = 0;
  j = head;
  position = head;
  while (i < old->len || j < n_ids - tail)
    {
      guint n_removed = 0;

      if (i < old->len && j < n_ids - tail && g_array_index (old, gint64, i) == ids[j])
        {
          i++, j++, position++;
          continue;
        }
      g_array_set_size (added, 0);
      for (;;)
        {
          if (i < old->len && !g_hash_table_contains (in_new, &g_array_index (old, gint64, i)))
            n_removed++, i++;
          else if (j < n_ids - tail && !g_hash_table_contains (in_old, &ids[j]))
            g_array_append_val (added, ids[j++]);
          else
            break;
        }
      if (n_removed == 0 && added->len == 0)
        {
          /* Both hold both ids, in another order: not one order */
          n_removed = old->len - i;
          g_array_append_vals (added, &ids[j], n_ids - tail - j);
          i = old->len;
          j = n_ids - tail;
        }
      replace (self, position, n_removed, (const gint64 *) (gpointer) added->data, added->len);
      position += added->len;
    }
}

/* Makes the list hold @ids as new items: every item is read again */
void
chrono_event_list_reset (ChronoEventList *self,
                         const gint64    *ids,
                         guint            n_ids)
{
  guint n_old;

  g_return_if_fail (CHRONO_IS_EVENT_LIST (self));

  g_clear_object (&self->last_event);
  n_old = self->ids->len;
  g_array_set_size (self->ids, 0);
  if (n_ids > 0)
    g_array_append_vals (self->ids, ids, n_ids);
  if (n_old > 0 || n_ids > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, n_ids);
}

/* Returns: (array length=n_ids) (transfer none): the ids, in order */
const gint64 *
chrono_event_list_get_ids (ChronoEventList *self,
                           guint           *n_ids)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_LIST (self), NULL);
  if (n_ids != NULL)
    *n_ids = self->ids->len;
  return (const gint64 *) (gpointer) self->ids->data;
}

/* Returns: the position of @rowid, or GTK's invalid position (G_MAXUINT) */
guint
chrono_event_list_find (ChronoEventList *self,
                        gint64           rowid)
{
  g_return_val_if_fail (CHRONO_IS_EVENT_LIST (self), G_MAXUINT);
  for (guint i = 0; i < self->ids->len; i++)
    if (g_array_index (self->ids, gint64, i) == rowid)
      return i;
  return G_MAXUINT;
}
