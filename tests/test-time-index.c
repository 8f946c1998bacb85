/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib-object.h>

#include "chrono-time-index.h"

#define NEG_INF CHRONO_DAY_NEGATIVE_INFINITY
#define POS_INF CHRONO_DAY_POSITIVE_INFINITY

/* Fixed so that a failure can be replayed; CHRONO_TEST_SEED picks another. */
#define DEFAULT_SEED 20201110u

static guint32 test_seed = DEFAULT_SEED;

/* Every test draws from its own generator, so that each one sees the same
 * data whether it runs alone (-p) or after the others. */
static GRand *
new_test_rand (void)
{
  g_test_message ("data seed: %u (CHRONO_TEST_SEED=N picks another)", test_seed);
  return g_rand_new_with_seed (test_seed);
}

static gboolean
is_finite (ChronoDay day)
{
  return day != NEG_INF && day != POS_INF;
}

static GArray *
new_id_array (void)
{
  return g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* Oracle ------------------------------------------------------------------ */

static int
compare_lo_id (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const ChronoSpan *x = a;
  const ChronoSpan *y = b;

  if (x->lo != y->lo)
    return x->lo < y->lo ? -1 : 1;
  if (x->id != y->id)
    return x->id < y->id ? -1 : 1;
  return 0;
}

static int
compare_days (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  ChronoDay x = *(const ChronoDay *) a;
  ChronoDay y = *(const ChronoDay *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* The spans by (lo, id): a brute-force answer is then a plain scan. */
static ChronoSpan *
oracle_sort (const ChronoSpan *spans,
             guint             n)
{
  ChronoSpan *sorted = g_memdup2 (spans, n * sizeof (ChronoSpan));

  g_qsort_with_data (sorted, n, sizeof (ChronoSpan), compare_lo_id, NULL);
  return sorted;
}

static void
oracle_query (const ChronoSpan *sorted,
              guint             n,
              ChronoDay         day,
              GArray           *ids)
{
  for (guint i = 0; i < n && sorted[i].lo <= day; i++)
    if (day <= sorted[i].hi)
      g_array_append_val (ids, sorted[i].id);
}

/* Every finite lo and every finite hi + 1, ascending, without repeats. */
static GArray *
oracle_boundaries (const ChronoSpan *spans,
                   guint             n)
{
  GArray *all = g_array_new (FALSE, FALSE, sizeof (ChronoDay));
  guint kept = 0;

  for (guint i = 0; i < n; i++)
    {
      if (is_finite (spans[i].lo))
        g_array_append_val (all, spans[i].lo);
      if (is_finite (spans[i].hi))
        {
          ChronoDay after = spans[i].hi + 1;

          g_array_append_val (all, after);
        }
    }

  g_qsort_with_data (all->data, all->len, sizeof (ChronoDay), compare_days, NULL);
  for (guint i = 0; i < all->len; i++)
    if (kept == 0 || g_array_index (all, ChronoDay, i) != g_array_index (all, ChronoDay, kept - 1))
      g_array_index (all, ChronoDay, kept++) = g_array_index (all, ChronoDay, i);
  g_array_set_size (all, kept);

  return all;
}

/* The index of the first boundary > day (bounds->len when none). */
static guint
oracle_first_after (GArray    *bounds,
                    ChronoDay  day)
{
  guint lo = 0, hi = bounds->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (bounds, ChronoDay, mid) > day)
        hi = mid;
      else
        lo = mid + 1;
    }

  return lo;
}

/* Data ------------------------------------------------------------------- */

/* How wide the band of an uncertain end is: exact to the day most of the
 * time, else as vague as a month ("2023-09"), a season ("2023-21") or a
 * year ("2020-XX"). */
static ChronoDay
random_band (GRand *rand)
{
  switch (g_rand_int_range (rand, 0, 8))
    {
    case 5:
      return 30;
    case 6:
      return 91;
    case 7:
      return 365;
    default:
      return 0;
    }
}

static ChronoDay
random_duration (GRand *rand)
{
  gint32 r = g_rand_int_range (rand, 0, 100);

  if (r < 30)
    return 0;
  if (r < 60)
    return g_rand_int_range (rand, 1, 15);
  if (r < 85)
    return g_rand_int_range (rand, 15, 121);
  if (r < 97)
    return g_rand_int_range (rand, 121, 1001);
  return g_rand_int_range (rand, 1001, 8001);
}

/*
 * Spans as a dataset of EDTF dates gives them: a start day, widened by the
 * band of an uncertain start, a duration, an uncertain end; some open at
 * either end; many on a few popular days; many copying another span's
 * (lo, hi), and a few repeated outright, id and all. Ids are distinct
 * otherwise, unordered and partly negative.
 */
static ChronoSpan *
make_random_spans (GRand *rand,
                   guint  n)
{
  ChronoSpan *spans = g_new (ChronoSpan, n);
  ChronoDay popular[40];
  const ChronoDay base = 18000;    /* 2019-04-14 */
  const gint32 range = 20 * 365;

  for (guint i = 0; i < G_N_ELEMENTS (popular); i++)
    popular[i] = base + g_rand_int_range (rand, 0, range);

  for (guint i = 0; i < n; i++)
    {
      ChronoSpan *s = &spans[i];
      gint32 kind = g_rand_int_range (rand, 0, 1000);

      s->id = (gint64) (((guint64) i * 2654435761u) % (G_GUINT64_CONSTANT (1) << 40))
              - (G_GINT64_CONSTANT (1) << 39);

      if (i > 0 && kind < 5)
        {
          *s = spans[g_rand_int_range (rand, 0, i)];
        }
      else if (i > 0 && kind < 105)
        {
          const ChronoSpan *other = &spans[g_rand_int_range (rand, 0, i)];

          s->lo = other->lo;
          s->hi = other->hi;
        }
      else
        {
          ChronoDay start, end;
          gint32 open = g_rand_int_range (rand, 0, 100);

          if (g_rand_int_range (rand, 0, 5) == 0)
            start = popular[g_rand_int_range (rand, 0, G_N_ELEMENTS (popular))];
          else
            start = base + g_rand_int_range (rand, 0, range);
          end = start + random_duration (rand);

          s->lo = start - g_rand_int_range (rand, 0, random_band (rand) + 1);
          s->hi = end + g_rand_int_range (rand, 0, random_band (rand) + 1);

          if (open < 3 || open == 6)
            s->lo = NEG_INF;
          if ((open >= 3 && open < 6) || open == 6)
            s->hi = POS_INF;
        }
    }

  return spans;
}

/* Days to ask about: inside the data, before and after all of it, right on
 * boundaries and next to them, and the extremes. */
static ChronoDay
random_day (GRand            *rand,
            const ChronoSpan *spans,
            guint             n,
            ChronoDay         first,
            ChronoDay         last)
{
  static const ChronoDay extremes[] = {
    NEG_INF, NEG_INF + 1, NEG_INF + 2, -1, 0, 1, POS_INF - 2, POS_INF - 1, POS_INF,
  };
  gint32 r = g_rand_int_range (rand, 0, 20);

  if (r == 0)
    return first - g_rand_int_range (rand, 1, 5000);
  if (r == 1)
    return last + g_rand_int_range (rand, 1, 5000);
  if (r == 2)
    return extremes[g_rand_int_range (rand, 0, G_N_ELEMENTS (extremes))];
  if (r < 9 && n > 0)
    {
      const ChronoSpan *s = &spans[g_rand_int_range (rand, 0, n)];

      /* lo - 1 and hi + 1 of an open end would overflow. */
      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          return s->lo;
        case 1:
          return s->hi;
        case 2:
          return is_finite (s->lo) ? s->lo - 1 : s->hi;
        default:
          return is_finite (s->hi) ? s->hi + 1 : s->lo;
        }
    }

  return first - 10 + g_rand_int_range (rand, 0, (gint32) (last - first + 21));
}

static void
assert_same_ids (GArray    *got,
                 GArray    *expected,
                 ChronoDay  day)
{
  if (got->len != expected->len)
    g_error ("day %" G_GINT64_FORMAT ": %u ids, expected %u", day, got->len, expected->len);

  for (guint i = 0; i < got->len; i++)
    {
      gint64 a = g_array_index (got, gint64, i);
      gint64 b = g_array_index (expected, gint64, i);

      if (a != b)
        g_error ("day %" G_GINT64_FORMAT ": id #%u is %" G_GINT64_FORMAT
                 ", expected %" G_GINT64_FORMAT, day, i, a, b);
    }
}

/* Queries @index on @n_days days against the brute-force answer; returns
 * how many ids came back in all. */
static guint64
check_queries (ChronoTimeIndex  *index,
               const ChronoSpan *spans,
               guint             n,
               GRand            *rand,
               guint             n_days)
{
  g_autofree ChronoSpan *sorted = oracle_sort (spans, n);
  g_autoptr (GArray) got = new_id_array ();
  g_autoptr (GArray) expected = new_id_array ();
  ChronoDay first = 0, last = 0;
  guint64 total = 0;

  chrono_time_index_get_extent (index, &first, &last);

  for (guint i = 0; i < n_days; i++)
    {
      ChronoDay day = random_day (rand, spans, n, first, last);
      guint count;

      g_array_set_size (got, 0);
      g_array_set_size (expected, 0);
      oracle_query (sorted, n, day, expected);

      count = chrono_time_index_query (index, day, got);
      g_assert_cmpuint (count, ==, expected->len);
      assert_same_ids (got, expected, day);
      g_assert_cmpuint (chrono_time_index_count_at (index, day), ==, expected->len);
      total += count;
    }

  return total;
}

/* Tests ------------------------------------------------------------------ */

static void
test_empty (void)
{
  g_autoptr (ChronoTimeIndex) index = chrono_time_index_new (NULL, 0);
  g_autoptr (GArray) ids = new_id_array ();
  gint64 sentinel = 42;
  ChronoDay day = 7, first = 7, last = 7;
  guint counts[3] = { 9, 9, 9 };

  g_assert_nonnull (index);
  g_assert_cmpuint (chrono_time_index_get_size (index), ==, 0);

  g_array_append_val (ids, sentinel);
  g_assert_cmpuint (chrono_time_index_query (index, 0, ids), ==, 0);
  g_assert_cmpuint (chrono_time_index_query (index, NEG_INF, ids), ==, 0);
  g_assert_cmpuint (chrono_time_index_query (index, POS_INF, ids), ==, 0);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 42);
  g_assert_cmpuint (chrono_time_index_count_at (index, 0), ==, 0);

  g_assert_false (chrono_time_index_next_boundary (index, 0, &day));
  g_assert_false (chrono_time_index_previous_boundary (index, 0, &day));
  g_assert_false (chrono_time_index_next_boundary (index, NEG_INF, &day));
  g_assert_false (chrono_time_index_previous_boundary (index, POS_INF, &day));
  g_assert_cmpint (day, ==, 7);
  g_assert_false (chrono_time_index_get_extent (index, &first, &last));
  g_assert_cmpint (first, ==, 7);
  g_assert_cmpint (last, ==, 7);

  chrono_time_index_histogram (index, -5, 5, G_N_ELEMENTS (counts), counts);
  g_assert_cmpuint (counts[0], ==, 0);
  g_assert_cmpuint (counts[1], ==, 0);
  g_assert_cmpuint (counts[2], ==, 0);
}

static void
test_single (void)
{
  const ChronoSpan span = { .lo = 100, .hi = 104, .id = -3 };
  g_autoptr (ChronoTimeIndex) index = chrono_time_index_new (&span, 1);
  g_autoptr (GArray) ids = new_id_array ();
  ChronoDay day, first, last;
  guint counts[4];

  g_assert_cmpuint (chrono_time_index_get_size (index), ==, 1);

  for (ChronoDay d = 95; d <= 110; d++)
    {
      gboolean inside = d >= 100 && d <= 104;

      g_array_set_size (ids, 0);
      g_assert_cmpuint (chrono_time_index_query (index, d, ids), ==, inside ? 1 : 0);
      g_assert_cmpuint (ids->len, ==, inside ? 1 : 0);
      if (inside)
        g_assert_cmpint (g_array_index (ids, gint64, 0), ==, -3);
      g_assert_cmpuint (chrono_time_index_count_at (index, d), ==, inside ? 1 : 0);
    }
  g_assert_cmpuint (chrono_time_index_count_at (index, NEG_INF), ==, 0);
  g_assert_cmpuint (chrono_time_index_count_at (index, POS_INF), ==, 0);

  /* Appends, leaving what was there. */
  g_array_set_size (ids, 0);
  g_assert_cmpuint (chrono_time_index_query (index, 100, ids), ==, 1);
  g_assert_cmpuint (chrono_time_index_query (index, 104, ids), ==, 1);
  g_assert_cmpuint (ids->len, ==, 2);

  /* Boundaries: 100 and 105. */
  g_assert_true (chrono_time_index_next_boundary (index, NEG_INF, &day));
  g_assert_cmpint (day, ==, 100);
  g_assert_true (chrono_time_index_next_boundary (index, 99, &day));
  g_assert_cmpint (day, ==, 100);
  g_assert_true (chrono_time_index_next_boundary (index, 100, &day));
  g_assert_cmpint (day, ==, 105);
  g_assert_true (chrono_time_index_next_boundary (index, 104, &day));
  g_assert_cmpint (day, ==, 105);
  g_assert_false (chrono_time_index_next_boundary (index, 105, &day));
  g_assert_true (chrono_time_index_previous_boundary (index, POS_INF, &day));
  g_assert_cmpint (day, ==, 105);
  g_assert_true (chrono_time_index_previous_boundary (index, 105, &day));
  g_assert_cmpint (day, ==, 100);
  g_assert_true (chrono_time_index_previous_boundary (index, 101, &day));
  g_assert_cmpint (day, ==, 100);
  g_assert_false (chrono_time_index_previous_boundary (index, 100, &day));
  g_assert_false (chrono_time_index_previous_boundary (index, NEG_INF, NULL));

  g_assert_true (chrono_time_index_get_extent (index, &first, &last));
  g_assert_cmpint (first, ==, 100);
  g_assert_cmpint (last, ==, 104);

  /* Days 98..105 over 4 bins of two days each. */
  chrono_time_index_histogram (index, 98, 106, 4, counts);
  g_assert_cmpuint (counts[0], ==, 0);
  g_assert_cmpuint (counts[1], ==, 1);
  g_assert_cmpuint (counts[2], ==, 1);
  g_assert_cmpuint (counts[3], ==, 1);
}

/* The main test: 100,000 spans, 10,000 days. */
static void
test_query_random (void)
{
  g_autoptr (GRand) rand = new_test_rand ();
  const guint n = 100000;
  g_autofree ChronoSpan *spans = make_random_spans (rand, n);
  g_autoptr (ChronoTimeIndex) index = chrono_time_index_new (spans, n);

  guint64 total;

  g_assert_cmpuint (chrono_time_index_get_size (index), ==, n);
  total = check_queries (index, spans, n, rand, 10000);
  g_test_message ("10000 days, %.1f ids per day", total / 10000.0);
}

/* Small sets, many of them: odd sizes around the index's block size. */
static void
test_query_small (void)
{
  g_autoptr (GRand) rand = new_test_rand ();

  for (guint round = 0; round < 300; round++)
    {
      guint n = g_rand_int_range (rand, 1, 200);
      g_autofree ChronoSpan *spans = make_random_spans (rand, n);
      g_autoptr (ChronoTimeIndex) index = NULL;

      /* Squeeze the days together so that spans overlap a lot. */
      for (guint i = 0; i < n; i++)
        {
          if (is_finite (spans[i].lo))
            spans[i].lo = 18000 + (spans[i].lo - 18000) % 50;
          if (is_finite (spans[i].hi))
            spans[i].hi = MAX (spans[i].lo, 18000 + (spans[i].hi - 18000) % 60);
        }

      index = chrono_time_index_new (spans, n);
      check_queries (index, spans, n, rand, 200);
    }
}

/* Shapes that strain the index: nested spans (each later one ends earlier),
 * a staircase (each later one ends later), many copies of one span or of
 * open ones, a burst of starts on one day with ends spread out, such bursts
 * again and again, and one long span among many single days. Whatever the
 * shape, the answers match and the index stays linear in size: the
 * checkpoint lists hold fewer than 5 ranks per span. */
static void
test_query_shapes (void)
{
  g_autoptr (GRand) rand = new_test_rand ();
  const guint n = 5000;
  g_autofree ChronoSpan *spans = g_new (ChronoSpan, n);

  for (guint shape = 0; shape < 7; shape++)
    {
      g_autoptr (ChronoTimeIndex) index = NULL;
      gsize bytes;

      for (guint i = 0; i < n; i++)
        {
          spans[i].id = shape == 3 ? (gint64) (i % 7) : (gint64) n - i;
          switch (shape)
            {
            case 0: /* nested */
              spans[i].lo = i;
              spans[i].hi = 2 * (ChronoDay) n - i;
              break;
            case 1: /* staircase */
              spans[i].lo = i;
              spans[i].hi = i + 100;
              break;
            case 2: /* identical */
              spans[i].lo = 10;
              spans[i].hi = 20;
              break;
            case 3: /* identical, open, few distinct ids */
              spans[i].lo = i % 2 ? NEG_INF : 5;
              spans[i].hi = i % 3 ? POS_INF : 5;
              break;
            case 4: /* one burst */
              spans[i].lo = 100;
              spans[i].hi = 100 + i;
              break;
            case 5: /* bursts */
              spans[i].lo = (i / 500) * 1000;
              spans[i].hi = spans[i].lo + (i % 500) * 3;
              break;
            default: /* a long one now and then */
              spans[i].lo = i;
              spans[i].hi = i % 100 == 0 ? i + 100000 : i;
              break;
            }
        }

      index = chrono_time_index_new (spans, n);
      check_queries (index, spans, n, rand, 2000);

      /* 32 bytes of span data, < 5 * 4 of lists, 24 per checkpoint of
       * which there are fewer than 2n / 33, a few more for the struct. */
      bytes = chrono_time_index_get_memory_size (index);
      g_test_message ("shape %u: %.1f bytes per span", shape, (double) bytes / n);
      g_assert_cmpuint (bytes, <, 54 * n + 256);
    }
}

static void
check_boundaries_at (ChronoTimeIndex *index,
                     GArray          *bounds,
                     ChronoDay        day)
{
  guint after = oracle_first_after (bounds, day);
  guint before;
  ChronoDay got = 0;
  gboolean found;

  found = chrono_time_index_next_boundary (index, day, &got);
  if (after < bounds->len)
    {
      g_assert_true (found);
      g_assert_cmpint (got, ==, g_array_index (bounds, ChronoDay, after));
    }
  else
    {
      g_assert_false (found);
    }

  /* The last boundary < day: one before the first boundary >= day. */
  before = day == NEG_INF ? 0 : oracle_first_after (bounds, day - 1);
  found = chrono_time_index_previous_boundary (index, day, &got);
  if (before > 0)
    {
      g_assert_true (found);
      g_assert_cmpint (got, ==, g_array_index (bounds, ChronoDay, before - 1));
    }
  else
    {
      g_assert_false (found);
    }
}

static void
test_boundaries_random (void)
{
  g_autoptr (GRand) rand = new_test_rand ();
  const guint n = 100000;
  g_autofree ChronoSpan *spans = make_random_spans (rand, n);
  g_autoptr (ChronoTimeIndex) index = chrono_time_index_new (spans, n);
  g_autoptr (GArray) bounds = oracle_boundaries (spans, n);
  ChronoDay first, last, day;
  guint steps;

  g_assert_true (chrono_time_index_get_extent (index, &first, &last));

  for (guint i = 0; i < 10000; i++)
    check_boundaries_at (index, bounds, random_day (rand, spans, n, first, last));

  /* Stepping from boundary to boundary visits each one, in both directions. */
  steps = 0;
  for (gboolean more = chrono_time_index_next_boundary (index, NEG_INF, &day); more;
       more = chrono_time_index_next_boundary (index, day, &day))
    {
      g_assert_cmpuint (steps, <, bounds->len);
      g_assert_cmpint (day, ==, g_array_index (bounds, ChronoDay, steps));
      steps++;
    }
  g_assert_cmpuint (steps, ==, bounds->len);

  for (gboolean more = chrono_time_index_previous_boundary (index, POS_INF, &day); more;
       more = chrono_time_index_previous_boundary (index, day, &day))
    {
      g_assert_cmpuint (steps, >, 0);
      steps--;
      g_assert_cmpint (day, ==, g_array_index (bounds, ChronoDay, steps));
    }
  g_assert_cmpuint (steps, ==, 0);
}

/* Open ends take no part in boundaries and reach the extreme days. */
static void
test_open_ends (void)
{
  const ChronoSpan spans[] = {
    { .lo = NEG_INF, .hi = -10, .id = 1 },
    { .lo = 0, .hi = 0, .id = 2 },
    { .lo = 5, .hi = POS_INF, .id = 3 },
    { .lo = NEG_INF, .hi = POS_INF, .id = 4 },
  };
  g_autoptr (ChronoTimeIndex) index = chrono_time_index_new (spans, G_N_ELEMENTS (spans));
  g_autoptr (GArray) ids = new_id_array ();
  ChronoDay day, first, last;
  guint counts[2];

  chrono_time_index_query (index, NEG_INF, ids);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 4);

  g_array_set_size (ids, 0);
  chrono_time_index_query (index, POS_INF, ids);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 4);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 3);

  g_assert_cmpuint (chrono_time_index_count_at (index, -10), ==, 2);
  g_assert_cmpuint (chrono_time_index_count_at (index, -9), ==, 1);
  g_assert_cmpuint (chrono_time_index_count_at (index, 0), ==, 2);

  /* Boundaries: -9, 0, 1, 5. */
  g_assert_true (chrono_time_index_next_boundary (index, NEG_INF, &day));
  g_assert_cmpint (day, ==, -9);
  g_assert_true (chrono_time_index_next_boundary (index, 1, &day));
  g_assert_cmpint (day, ==, 5);
  g_assert_false (chrono_time_index_next_boundary (index, 5, &day));
  g_assert_true (chrono_time_index_previous_boundary (index, POS_INF, &day));
  g_assert_cmpint (day, ==, 5);
  g_assert_false (chrono_time_index_previous_boundary (index, -9, &day));

  /* The finite side of an open span counts for the extent. */
  g_assert_true (chrono_time_index_get_extent (index, &first, &last));
  g_assert_cmpint (first, ==, -10);
  g_assert_cmpint (last, ==, 5);

  /* All of time in two bins: days [NEG_INF, -1] and [-1, POS_INF - 1]. */
  chrono_time_index_histogram (index, NEG_INF, POS_INF, 2, counts);
  g_assert_cmpuint (counts[0], ==, 2);
  g_assert_cmpuint (counts[1], ==, 3);
}

static void
test_extent (void)
{
  g_autoptr (GRand) rand = new_test_rand ();
  const ChronoSpan all_open = { .lo = NEG_INF, .hi = POS_INF, .id = 1 };
  const ChronoSpan open_start = { .lo = NEG_INF, .hi = 30, .id = 1 };
  g_autoptr (ChronoTimeIndex) index = NULL;
  ChronoDay first, last;

  index = chrono_time_index_new (&all_open, 1);
  g_assert_false (chrono_time_index_get_extent (index, &first, &last));
  g_clear_pointer (&index, chrono_time_index_unref);

  index = chrono_time_index_new (&open_start, 1);
  g_assert_true (chrono_time_index_get_extent (index, &first, &last));
  g_assert_cmpint (first, ==, 30);
  g_assert_cmpint (last, ==, 30);
  g_clear_pointer (&index, chrono_time_index_unref);

  for (guint round = 0; round < 50; round++)
    {
      guint n = g_rand_int_range (rand, 1, 3000);
      g_autofree ChronoSpan *spans = make_random_spans (rand, n);
      ChronoDay expected_first = POS_INF, expected_last = NEG_INF;

      for (guint i = 0; i < n; i++)
        {
          ChronoDay ends[] = { spans[i].lo, spans[i].hi };

          for (guint e = 0; e < 2; e++)
            if (is_finite (ends[e]))
              {
                expected_first = MIN (expected_first, ends[e]);
                expected_last = MAX (expected_last, ends[e]);
              }
        }

      index = chrono_time_index_new (spans, n);
      g_assert_true (chrono_time_index_get_extent (index, &first, &last));
      g_assert_cmpint (first, ==, expected_first);
      g_assert_cmpint (last, ==, expected_last);
      g_assert_true (chrono_time_index_get_extent (index, NULL, NULL));
      g_clear_pointer (&index, chrono_time_index_unref);
    }
}

/* Bin i holds the days that meet [from + i * w / n, from + (i + 1) * w / n). */
static void
check_histogram (ChronoTimeIndex  *index,
                 const ChronoSpan *spans,
                 guint             n,
                 ChronoDay         from,
                 ChronoDay         to,
                 guint             n_bins)
{
  g_autofree guint *counts = g_new (guint, n_bins);
  gint64 w = to - from;

  /* Keeps the oracle's arithmetic simple. */
  g_assert_cmpint (w, <, G_MAXINT64 / n_bins / 2);

  chrono_time_index_histogram (index, from, to, n_bins, counts);

  for (guint b = 0; b < n_bins; b++)
    {
      ChronoDay first = from + (gint64) b * w / n_bins;
      ChronoDay last = from + (((gint64) b + 1) * w + n_bins - 1) / n_bins - 1;
      guint expected = 0;

      for (guint i = 0; i < n; i++)
        if (spans[i].lo <= last && spans[i].hi >= first)
          expected++;

      if (counts[b] != expected)
        g_error ("histogram [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ") / %u: bin %u is %u, expected %u",
                 from, to, n_bins, b, counts[b], expected);
    }
}

static void
test_histogram (void)
{
  g_autoptr (GRand) rand = new_test_rand ();
  const guint n = 100000;
  g_autofree ChronoSpan *spans = make_random_spans (rand, n);
  g_autoptr (ChronoTimeIndex) index = chrono_time_index_new (spans, n);
  ChronoDay first, last;

  g_assert_true (chrono_time_index_get_extent (index, &first, &last));

  /* The whole extent, as a timeline's density strip would ask. */
  check_histogram (index, spans, n, first, last + 1, 200);
  check_histogram (index, spans, n, first, last + 1, 1);
  /* Bins narrower than a day. */
  check_histogram (index, spans, n, first + 1000, first + 1007, 50);
  /* Random windows and bin counts, including ones that do not divide. */
  for (guint round = 0; round < 8; round++)
    {
      ChronoDay from = first - 100 + g_rand_int_range (rand, 0, (gint32) (last - first));
      ChronoDay to = from + g_rand_int_range (rand, 1, 4000);

      check_histogram (index, spans, n, from, to, g_rand_int_range (rand, 1, 300));
    }
}

static void
test_invalid_span (void)
{
  const ChronoSpan spans[] = {
    { .lo = 10, .hi = 20, .id = 1 },
    { .lo = 30, .hi = 29, .id = 2 },
    { .lo = 15, .hi = 15, .id = 3 },
  };
  g_autoptr (ChronoTimeIndex) index = NULL;
  g_autoptr (GArray) ids = new_id_array ();

  g_test_expect_message ("chrono-time-index", G_LOG_LEVEL_CRITICAL, "*span 2 has lo > hi*");
  index = chrono_time_index_new (spans, G_N_ELEMENTS (spans));
  g_test_assert_expected_messages ();

  g_assert_cmpuint (chrono_time_index_get_size (index), ==, 2);
  g_assert_cmpuint (chrono_time_index_query (index, 29, ids), ==, 0);
  g_assert_cmpuint (chrono_time_index_query (index, 15, ids), ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 3);
}

static void
test_boxed (void)
{
  const ChronoSpan span = { .lo = 1, .hi = 2, .id = 3 };
  g_autoptr (ChronoTimeIndex) index = chrono_time_index_new (&span, 1);
  ChronoTimeIndex *copy;

  g_assert_true (G_TYPE_IS_BOXED (CHRONO_TYPE_TIME_INDEX));
  g_assert_cmpstr (g_type_name (CHRONO_TYPE_TIME_INDEX), ==, "ChronoTimeIndex");

  /* A copy is the same index, kept alive by its own reference. */
  copy = g_boxed_copy (CHRONO_TYPE_TIME_INDEX, index);
  g_assert_true (copy == index);
  g_clear_pointer (&index, chrono_time_index_unref);
  g_assert_cmpuint (chrono_time_index_count_at (copy, 1), ==, 1);
  g_boxed_free (CHRONO_TYPE_TIME_INDEX, copy);
}

typedef struct
{
  ChronoTimeIndex *index;
  const ChronoDay *days;
  guint            n_days;
  GArray          *expected;   /* all answers, one after the other */
} ThreadData;

static gpointer
query_in_thread (gpointer user_data)
{
  ThreadData *data = user_data;
  g_autoptr (GArray) got = new_id_array ();

  for (guint round = 0; round < 5; round++)
    {
      g_array_set_size (got, 0);
      for (guint i = 0; i < data->n_days; i++)
        chrono_time_index_query (data->index, data->days[i], got);

      if (got->len != data->expected->len
          || memcmp (got->data, data->expected->data, got->len * sizeof (gint64)) != 0)
        return GINT_TO_POINTER (FALSE);
    }

  return GINT_TO_POINTER (TRUE);
}

/* An index is shared by the threads that query it, and answers each alike. */
static void
test_threads (void)
{
  g_autoptr (GRand) rand = new_test_rand ();
  const guint n = 20000;
  g_autofree ChronoSpan *spans = make_random_spans (rand, n);
  g_autoptr (ChronoTimeIndex) index = chrono_time_index_new (spans, n);
  g_autoptr (GArray) expected = new_id_array ();
  ChronoDay days[500];
  ChronoDay first, last;
  ThreadData data;
  GThread *threads[3];

  chrono_time_index_get_extent (index, &first, &last);
  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      days[i] = random_day (rand, spans, n, first, last);
      chrono_time_index_query (index, days[i], expected);
    }
  g_assert_cmpuint (expected->len, >, 0);

  data = (ThreadData) { index, days, G_N_ELEMENTS (days), expected };
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    threads[t] = g_thread_new ("query", query_in_thread, &data);
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[t])));
}

typedef struct
{
  ChronoDay start;
  ChronoDay end;
  gint64    id;
  char      pad[8];
} Record;

static int
compare_records (gconstpointer a,
                 gconstpointer b)
{
  const Record *x = a, *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Sorting by a day with a bucket per day gives the order of sorting by
 * comparison: days close together (buckets), with open and infinite ones,
 * all on one day, spread wide (comparison), and few */
static void
test_sort_by_day (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (808);
  const struct { guint n; int spread; gboolean unbounded; } cases[] = {
    { 50000, 11000, FALSE }, { 50000, 11000, TRUE }, { 20000, 1, TRUE }, { 20000, 0, FALSE },
    { 5000, 50000000, TRUE }, { 900, 300, TRUE }, { 1024, 4096, TRUE }, { 0, 10, FALSE },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      guint n = cases[k].n;
      g_autofree Record *records = g_new0 (Record, MAX (n, 1));
      g_autofree Record *expected = NULL;
      guint n_same_start = 0;

      for (guint i = 0; i < n; i++)
        {
          ChronoDay start = 730000 + (cases[k].spread > 0 ? g_rand_int_range (rand, 0, cases[k].spread + 1) : 0);

          records[i].start = start;
          records[i].end = start + g_rand_int_range (rand, 0, 40);
          /* ids in order, as rowids come */
          records[i].id = i * 3 + 1;
          if (cases[k].unbounded)
            switch (g_rand_int_range (rand, 0, 40))
              {
              case 0:
                records[i].start = CHRONO_DAY_NEGATIVE_INFINITY;
                break;
              case 1:
                records[i].end = CHRONO_DAY_POSITIVE_INFINITY;
                break;
              case 2:
                records[i].start = records[i].end = CHRONO_DAY_POSITIVE_INFINITY;
                break;
              default:
                break;
              }
        }
      expected = g_memdup2 (records, sizeof (Record) * MAX (n, 1));
      qsort (expected, n, sizeof (Record), compare_records);

      chrono_sort_by_day (records, n, sizeof (Record), G_STRUCT_OFFSET (Record, start), compare_records);

      for (guint i = 0; i < n; i++)
        {
          g_assert_cmpint (records[i].id, ==, expected[i].id);
          g_assert_cmpint (records[i].start, ==, expected[i].start);
          g_assert_cmpint (records[i].end, ==, expected[i].end);
          n_same_start += i > 0 && records[i].start == records[i - 1].start;
        }
      g_test_message ("%u records over %d days: %u next to one with the same start", n, cases[k].spread, n_same_start);
      if (n > 0 && cases[k].spread < 20000)
        g_assert_cmpuint (n_same_start, >, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  const char *seed = g_getenv ("CHRONO_TEST_SEED");

  g_test_init (&argc, &argv, NULL);

  if (seed != NULL && *seed != '\0')
    test_seed = (guint32) g_ascii_strtoull (seed, NULL, 10);

  g_test_add_func ("/time-index/empty", test_empty);
  g_test_add_func ("/time-index/single", test_single);
  g_test_add_func ("/time-index/query-random", test_query_random);
  g_test_add_func ("/time-index/query-small", test_query_small);
  g_test_add_func ("/time-index/query-shapes", test_query_shapes);
  g_test_add_func ("/time-index/boundaries-random", test_boundaries_random);
  g_test_add_func ("/time-index/open-ends", test_open_ends);
  g_test_add_func ("/time-index/extent", test_extent);
  g_test_add_func ("/time-index/histogram", test_histogram);
  g_test_add_func ("/time-index/invalid-span", test_invalid_span);
  g_test_add_func ("/time-index/boxed", test_boxed);
  g_test_add_func ("/time-index/threads", test_threads);
  g_test_add_func ("/time-index/sort-by-day", test_sort_by_day);

  return g_test_run ();
}
