/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "chrono-list-sync.h"

/* Items are GObjects with their id as data; the store is compared with the
 * wanted ids, and the changes it announced are counted. */

typedef struct
{
  guint removed;
  guint added;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->removed += removed;
  changes->added += added;
}

static GHashTable *
make_items (guint n)
{
  GHashTable *items = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      gint64 *key = g_new (gint64, 1);
      GObject *item = g_object_new (G_TYPE_OBJECT, NULL);

      *key = 1000 + i;
      g_object_set_data (item, "id", GINT_TO_POINTER (1000 + i));
      g_hash_table_insert (items, key, item);
    }
  return items;
}

static void
assert_store_holds (GListStore *store,
                    GArray     *ids)
{
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_assert_cmpint (GPOINTER_TO_INT (g_object_get_data (item, "id")), ==, g_array_index (ids, gint64, i));
    }
}

/* Random subsets of one order, one after the other: the store always holds
 * the wanted items, an item that stays is the same object at every step,
 * and the store announces exactly the items that left and that came. */
static void
test_random_subsets (void)
{
  g_autoptr (GHashTable) items = make_items (300);
  g_autoptr (GListStore) store = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GRand *rand = g_rand_new_with_seed (17);
  Changes changes = { 0 };

  g_signal_connect (store, "items-changed", G_CALLBACK (on_items_changed), &changes);

  for (guint round = 0; round < 500; round++)
    {
      g_autoptr (GArray) wanted = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr (GHashTable) before = g_hash_table_new (g_int64_hash, g_int64_equal);
      g_autoptr (GPtrArray) kept = g_ptr_array_new ();
      guint density = g_rand_int_range (rand, 0, 101);
      guint left = 0, came = 0;

      for (guint i = 0; i < ids->len; i++)
        g_hash_table_add (before, &g_array_index (ids, gint64, i));
      for (gint64 id = 1000; id < 1300; id++)
        if ((guint) g_rand_int_range (rand, 0, 100) < density)
          g_array_append_val (wanted, id);

      for (guint i = 0; i < wanted->len; i++)
        {
          if (g_hash_table_contains (before, &g_array_index (wanted, gint64, i)))
            g_ptr_array_add (kept, g_hash_table_lookup (items, &g_array_index (wanted, gint64, i)));
          else
            came++;
        }
      left = ids->len - kept->len;

      changes = (Changes) { 0 };
      chrono_list_store_sync (store, ids, wanted, items);

      assert_store_holds (store, wanted);
      g_assert_cmpuint (ids->len, ==, wanted->len);
      g_assert_cmpuint (changes.removed, ==, left);
      g_assert_cmpuint (changes.added, ==, came);
      for (guint i = 0, k = 0; i < wanted->len; i++)
        {
          g_autoptr (GObject) item = g_list_model_get_item (G_LIST_MODEL (store), i);

          if (k < kept->len && item == g_ptr_array_index (kept, k))
            k++;
          if (i == wanted->len - 1)
            g_assert_cmpuint (k, ==, kept->len);
        }
    }

  g_rand_free (rand);
}

/* Ids without an item are left out, and the ids kept say so. */
static void
test_missing_items (void)
{
  g_autoptr (GHashTable) items = make_items (5);
  g_autoptr (GListStore) store = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) wanted = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 values[] = { 1000, 42, 1003, 1004, 7 };
  gint64 expected_values[] = { 1000, 1003, 1004 };
  g_autoptr (GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_array_append_vals (wanted, values, G_N_ELEMENTS (values));
  g_array_append_vals (expected, expected_values, G_N_ELEMENTS (expected_values));
  chrono_list_store_sync (store, ids, wanted, items);
  assert_store_holds (store, expected);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 1003);
}

/* Two lists in different orders still end with the wanted items, in the
 * wanted order. */
static void
test_other_order (void)
{
  g_autoptr (GHashTable) items = make_items (6);
  g_autoptr (GListStore) store = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) first = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) second = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 a[] = { 1000, 1001, 1002, 1003 };
  gint64 b[] = { 1003, 1005, 1001, 1000 };

  g_array_append_vals (first, a, G_N_ELEMENTS (a));
  g_array_append_vals (second, b, G_N_ELEMENTS (b));
  chrono_list_store_sync (store, ids, first, items);
  chrono_list_store_sync (store, ids, second, items);
  assert_store_holds (store, second);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/list-sync/random-subsets", test_random_subsets);
  g_test_add_func ("/list-sync/missing-items", test_missing_items);
  g_test_add_func ("/list-sync/other-order", test_other_order);
  return g_test_run ();
}
