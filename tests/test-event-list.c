/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "chrono-event-list.h"

/* The list is compared with the wanted ids, and the changes it announced
 * are counted. */

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

static void
assert_list_holds (ChronoEventList *list,
                   GArray          *ids)
{
  guint n;
  const gint64 *have = chrono_event_list_get_ids (list, &n);

  g_assert_cmpuint (n, ==, ids->len);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      g_assert_cmpint (have[i], ==, g_array_index (ids, gint64, i));
      g_assert_cmpuint (chrono_event_list_find (list, have[i]), ==, i);
    }
}

/* Random subsets of one order, one after the other: the list always holds
 * the wanted ids, and announces exactly the ids that left and that came, so
 * that an id that stays keeps its row and its selection. */
static void
test_random_subsets (void)
{
  g_autoptr (ChronoEventList) list = chrono_event_list_new (NULL, NULL);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GRand) rand = g_rand_new_with_seed (17);
  Changes changes = { 0 };

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);

  for (guint round = 0; round < 500; round++)
    {
      g_autoptr (GArray) wanted = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr (GHashTable) before = g_hash_table_new (g_int64_hash, g_int64_equal);
      guint density = g_rand_int_range (rand, 0, 101);
      guint kept = 0, came = 0;

      for (guint i = 0; i < ids->len; i++)
        g_hash_table_add (before, &g_array_index (ids, gint64, i));
      for (gint64 id = 1000; id < 1300; id++)
        if ((guint) g_rand_int_range (rand, 0, 100) < density)
          g_array_append_val (wanted, id);
      for (guint i = 0; i < wanted->len; i++)
        {
          if (g_hash_table_contains (before, &g_array_index (wanted, gint64, i)))
            kept++;
          else
            came++;
        }

      changes = (Changes) { 0 };
      chrono_event_list_set_ids (list, (const gint64 *) (gpointer) wanted->data, wanted->len);

      assert_list_holds (list, wanted);
      g_assert_cmpuint (changes.removed, ==, ids->len - kept);
      g_assert_cmpuint (changes.added, ==, came);
      g_array_set_size (ids, 0);
      g_array_append_vals (ids, wanted->data, wanted->len);
    }
}

/* Two lists in different orders still end with the wanted ids, in the
 * wanted order; a reset announces every item anew. */
static void
test_other_order (void)
{
  g_autoptr (ChronoEventList) list = chrono_event_list_new (NULL, NULL);
  g_autoptr (GArray) second = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 a[] = { 1000, 1001, 1002, 1003 };
  gint64 b[] = { 1003, 1005, 1001, 1000 };
  Changes changes = { 0 };

  g_array_append_vals (second, b, G_N_ELEMENTS (b));
  chrono_event_list_set_ids (list, a, G_N_ELEMENTS (a));
  chrono_event_list_set_ids (list, b, G_N_ELEMENTS (b));
  assert_list_holds (list, second);
  g_assert_cmpuint (chrono_event_list_find (list, 1002), ==, G_MAXUINT);

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);
  chrono_event_list_reset (list, b, G_N_ELEMENTS (b));
  g_assert_cmpuint (changes.removed, ==, 4);
  g_assert_cmpuint (changes.added, ==, 4);
  assert_list_holds (list, second);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/event-list/random-subsets", test_random_subsets);
  g_test_add_func ("/event-list/other-order", test_other_order);
  return g_test_run ();
}
