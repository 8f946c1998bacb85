/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-time-index"

#include "config.h"

#include <string.h>

#include "chrono-time-index.h"

/*
 * How "what is in effect on day D" is answered in O(log n + k), already in
 * (lo, id) order:
 *
 * Spans are sorted by (lo, id); a span's position in that order is its rank.
 * The spans with lo <= D are the ranks [0, p), p found by binary search.
 * Among those we want the ones with hi >= D, in rank order: a three-sided
 * range query. Over the ranks sits a Cartesian tree on hi: in-order is rank
 * order, and no node has a smaller hi than a descendant (on equal hi the
 * lower rank is the ancestor). A node with hi < D can be skipped with its
 * whole subtree, so an in-order walk of the nodes with hi >= D touches O(k)
 * nodes.
 *
 * The walk must stay inside [0, p) without visiting the nodes beyond it.
 * Restricted to [0, p) the tree is a chain of ranks j1 < j2 < ... < js
 * (those whose hi beats everything after them up to p), each carrying its
 * own left subtree from the full tree. js is the last rank before p with
 * hi >= D, found in O(log n) with a small max tree over blocks of ranks;
 * the rest of the chain follows from "previous greater" links.
 *
 * Counting needs no walk: every span with hi < D also has lo <= D, so
 * count(D) = #(lo <= D) - #(hi < D), two binary searches over the lo array
 * and a sorted copy of the hi values. The same two arrays give the event
 * boundaries and the histogram.
 */

#define NONE G_MAXUINT32

/* Ranks per leaf of the max tree: small enough that scanning one block is
 * cheap, big enough that the tree costs well under a byte per span. */
#define BLOCK_SHIFT 5
#define BLOCK_SIZE  (1u << BLOCK_SHIFT)

/* Everything the walk reads about a rank, in one place for the cache. */
typedef struct
{
  ChronoDay hi;
  gint64    id;
  guint32   left;   /* Cartesian tree children, or NONE */
  guint32   right;
} Node;

struct _ChronoTimeIndex
{
  gsize      n;
  ChronoDay *lo;          /* by rank, ascending */
  Node      *nodes;       /* by rank */
  guint32   *up;          /* by rank: the previous rank with hi >= this one's, or NONE */
  ChronoDay *his;         /* every hi, ascending */
  ChronoDay *block_max;   /* max of hi per block of ranks at [tree_size, 2 * tree_size),
                           * max of both children above; index 1 is the root */
  gsize      tree_size;
};

G_DEFINE_BOXED_TYPE (ChronoTimeIndex, chrono_time_index, chrono_time_index_ref, chrono_time_index_unref)

static inline gboolean
day_is_finite (ChronoDay day)
{
  return day != CHRONO_DAY_NEGATIVE_INFINITY && day != CHRONO_DAY_POSITIVE_INFINITY;
}

/* How many of the ascending @days are <= @day. Branch-free: the compares
 * of a binary search over random days are unpredictable. */
static inline gsize
count_at_most (const ChronoDay *days,
               gsize            n,
               ChronoDay        day)
{
  const ChronoDay *base = days;
  gsize len = n;

  if (n == 0)
    return 0;

  while (len > 1)
    {
      gsize half = len / 2;

      base = base[half - 1] <= day ? base + half : base;
      len -= half;
    }

  return (gsize) (base - days) + (*base <= day);
}

/* How many of the ascending @days are < @day. */
static inline gsize
count_less (const ChronoDay *days,
            gsize            n,
            ChronoDay        day)
{
  if (day == G_MININT64)
    return 0;

  return count_at_most (days, n, day - 1);
}

/* The smallest and largest finite values of the ascending @days. */
static gboolean
get_finite_range (const ChronoDay *days,
                  gsize            n,
                  ChronoDay       *out_first,
                  ChronoDay       *out_last)
{
  gsize first = count_at_most (days, n, G_MININT64);
  gsize end = count_less (days, n, G_MAXINT64);

  if (first >= end)
    return FALSE;

  *out_first = days[first];
  *out_last = days[end - 1];

  return TRUE;
}

static inline guint64
sort_key (const guint8 *record,
          gsize         key_offset)
{
  gint64 value;

  memcpy (&value, record + key_offset, sizeof value);

  /* Flipping the sign bit orders signed values as unsigned ones. */
  return (guint64) value ^ G_GUINT64_CONSTANT (0x8000000000000000);
}

#define DIGIT_BITS 11
#define N_DIGITS   6   /* 6 * 11 >= 64 */
#define N_BUCKETS  (1u << DIGIT_BITS)

/*
 * Sorts @n records of @stride bytes by the gint64 at @key_offset, stably,
 * using @scratch (as big as @data). A least-significant-digit radix sort:
 * linear, and the passes over digits that every key shares (the high bits
 * of day numbers, mostly) are skipped, which leaves two or three passes for
 * real data. This is what keeps building a million spans far below a second.
 */
static void
sort_records (guint8 *data,
              guint8 *scratch,
              gsize   n,
              gsize   stride,
              gsize   key_offset)
{
  g_autofree guint32 *counts = NULL;
  guint8 *src = data;
  guint8 *dst = scratch;

  if (n < 2)
    return;

  counts = g_new0 (guint32, N_DIGITS * N_BUCKETS);

  for (gsize i = 0; i < n; i++)
    {
      guint64 key = sort_key (data + i * stride, key_offset);

      for (guint d = 0; d < N_DIGITS; d++)
        counts[d * N_BUCKETS + ((key >> (d * DIGIT_BITS)) & (N_BUCKETS - 1))]++;
    }

  for (guint d = 0; d < N_DIGITS; d++)
    {
      guint32 *bucket = counts + d * N_BUCKETS;
      guint shift = d * DIGIT_BITS;
      guint32 offset = 0;
      guint8 *tmp;

      if (bucket[(sort_key (src, key_offset) >> shift) & (N_BUCKETS - 1)] == n)
        continue;

      for (guint b = 0; b < N_BUCKETS; b++)
        {
          guint32 c = bucket[b];

          bucket[b] = offset;
          offset += c;
        }

      for (gsize i = 0; i < n; i++)
        {
          const guint8 *record = src + i * stride;
          guint b = (sort_key (record, key_offset) >> shift) & (N_BUCKETS - 1);

          memcpy (dst + (gsize) bucket[b]++ * stride, record, stride);
        }

      tmp = src;
      src = dst;
      dst = tmp;
    }

  if (src != data)
    memcpy (data, src, n * stride);
}

/* The Cartesian tree on hi, built left to right with the usual stack of
 * the right spine; the "up" links double as that stack. */
static void
build_tree (ChronoTimeIndex *self)
{
  Node *nodes = self->nodes;
  guint32 *up = self->up;

  for (guint32 i = 0; i < self->n; i++)
    {
      guint32 last = NONE;
      guint32 c = i > 0 ? i - 1 : NONE;

      while (c != NONE && nodes[c].hi < nodes[i].hi)
        {
          last = c;
          c = up[c];
        }

      up[i] = c;
      nodes[i].left = last;
      nodes[i].right = NONE;
      if (c != NONE)
        nodes[c].right = i;
    }
}

static void
build_block_max (ChronoTimeIndex *self)
{
  gsize n_blocks = (self->n + BLOCK_SIZE - 1) / BLOCK_SIZE;
  ChronoDay *tree;

  /* One spare leaf, so that the search may start just past the last block. */
  self->tree_size = 1;
  while (self->tree_size < n_blocks + 1)
    self->tree_size *= 2;

  tree = self->block_max = g_new (ChronoDay, 2 * self->tree_size);
  for (gsize i = 0; i < 2 * self->tree_size; i++)
    tree[i] = G_MININT64;

  for (gsize r = 0; r < self->n; r++)
    {
      ChronoDay *leaf = &tree[self->tree_size + (r >> BLOCK_SHIFT)];

      *leaf = MAX (*leaf, self->nodes[r].hi);
    }

  for (gsize i = self->tree_size - 1; i >= 1; i--)
    tree[i] = MAX (tree[2 * i], tree[2 * i + 1]);
}

/* The last rank before @p whose hi is >= @day, or NONE. */
static guint32
find_last_at_least (const ChronoTimeIndex *self,
                    gsize                  p,
                    ChronoDay              day)
{
  const ChronoDay *tree = self->block_max;
  gsize block_start = p & ~(gsize) (BLOCK_SIZE - 1);
  gsize i;

  for (gsize r = p; r > block_start; r--)
    if (self->nodes[r - 1].hi >= day)
      return r - 1;

  /* Climb from the leaf of p's block; every left sibling met on the way
   * covers the blocks just before what has been ruled out so far. */
  for (i = self->tree_size + (p >> BLOCK_SHIFT); i > 1; i >>= 1)
    {
      if ((i & 1) != 0 && tree[i - 1] >= day)
        {
          i--;
          break;
        }
    }

  if (i <= 1)
    return NONE;

  /* Down to the rightmost block whose max qualifies. */
  while (i < self->tree_size)
    {
      i = 2 * i + 1;
      if (tree[i] < day)
        i--;
    }

  block_start = (i - self->tree_size) << BLOCK_SHIFT;
  for (gsize r = MIN (block_start + BLOCK_SIZE, self->n); r > block_start; r--)
    if (self->nodes[r - 1].hi >= day)
      return r - 1;

  g_assert_not_reached ();
}

static void
chrono_time_index_clear (ChronoTimeIndex *self)
{
  g_free (self->lo);
  g_free (self->nodes);
  g_free (self->up);
  g_free (self->his);
  g_free (self->block_max);
}

/**
 * chrono_time_index_new:
 * @spans: (array length=n_spans): the spans to index
 * @n_spans: the number of spans
 *
 * Builds an index over @spans; @spans is not referenced afterwards.
 * Spans with lo > hi are a programming error: they are left out with a
 * critical warning.
 *
 * Returns: (transfer full): a new index
 */
ChronoTimeIndex *
chrono_time_index_new (const ChronoSpan *spans,
                       gsize             n_spans)
{
  g_autofree ChronoSpan *sorted = NULL;
  g_autofree ChronoSpan *scratch = NULL;
  ChronoTimeIndex *self;
  gsize n = 0;

  g_return_val_if_fail (spans != NULL || n_spans == 0, NULL);
  /* Ranks are 32-bit to halve the tree links; NONE is reserved. */
  g_return_val_if_fail (n_spans < G_MAXUINT32, NULL);

  sorted = g_new (ChronoSpan, n_spans);
  for (gsize i = 0; i < n_spans; i++)
    {
      if (G_UNLIKELY (spans[i].lo > spans[i].hi))
        {
          g_critical ("%s: span %" G_GINT64_FORMAT " has lo > hi; left out",
                      G_STRFUNC, spans[i].id);
          continue;
        }
      sorted[n++] = spans[i];
    }

  scratch = g_new (ChronoSpan, n);
  /* Stable passes, least significant key first: (lo, id) order. */
  sort_records ((guint8 *) sorted, (guint8 *) scratch, n, sizeof (ChronoSpan),
                G_STRUCT_OFFSET (ChronoSpan, id));
  sort_records ((guint8 *) sorted, (guint8 *) scratch, n, sizeof (ChronoSpan),
                G_STRUCT_OFFSET (ChronoSpan, lo));

  self = g_atomic_rc_box_new0 (ChronoTimeIndex);
  self->n = n;
  self->lo = g_new (ChronoDay, n);
  self->nodes = g_new (Node, n);
  self->up = g_new (guint32, n);
  self->his = g_new (ChronoDay, n);

  for (gsize r = 0; r < n; r++)
    {
      self->lo[r] = sorted[r].lo;
      self->nodes[r].hi = sorted[r].hi;
      self->nodes[r].id = sorted[r].id;
      self->his[r] = sorted[r].hi;
    }

  sort_records ((guint8 *) self->his, (guint8 *) scratch, n, sizeof (ChronoDay), 0);

  build_tree (self);
  build_block_max (self);

  return self;
}

ChronoTimeIndex *
chrono_time_index_ref (ChronoTimeIndex *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
chrono_time_index_unref (ChronoTimeIndex *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) chrono_time_index_clear);
}

/* The number of spans indexed. */
gsize
chrono_time_index_get_size (const ChronoTimeIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n;
}

/* The bytes the index holds, for measuring its cost per span. */
gsize
chrono_time_index_get_memory_size (const ChronoTimeIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return sizeof *self
         + self->n * (sizeof *self->lo + sizeof *self->nodes + sizeof *self->up + sizeof *self->his)
         + 2 * self->tree_size * sizeof *self->block_max;
}

/**
 * chrono_time_index_query:
 * @self: an index
 * @day: the day
 * @ids: (element-type gint64): where to append
 *
 * Appends to @ids the id of every span with lo <= @day <= hi, ordered by
 * (lo, id), in O(log n + k).
 *
 * Returns: the number of ids appended
 */
guint
chrono_time_index_query (const ChronoTimeIndex *self,
                         ChronoDay              day,
                         GArray                *ids)
{
  const Node *nodes;
  gint64 *out;
  gsize p, k, top, chain_floor, w;
  guint32 cur;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (ids != NULL, 0);
  g_return_val_if_fail (g_array_get_element_size (ids) == sizeof (gint64), 0);

  p = count_at_most (self->lo, self->n, day);
  k = p - count_less (self->his, self->n, day);
  if (k == 0)
    return 0;

  nodes = self->nodes;
  g_array_set_size (ids, ids->len + k);
  out = &g_array_index (ids, gint64, ids->len - k);

  /*
   * The walk's stack of pending ranks lives at the end of the k slots it
   * fills from the front: a pending rank is one not yet written, so the
   * two never meet, and a query needs no allocation of its own. The chain
   * j1..js goes in first, j1 on top; [chain_floor, k) is what is left of it.
   */
  top = k;
  for (guint32 r = find_last_at_least (self, p, day); r != NONE; r = self->up[r])
    {
      g_assert (top > 0);
      out[--top] = r;
    }
  chain_floor = top;
  cur = nodes[out[top]].left;
  w = 0;

  for (;;)
    {
      guint32 r;

      while (cur != NONE && nodes[cur].hi >= day)
        {
          g_assert (top > w);
          out[--top] = cur;
          cur = nodes[cur].left;
        }

      if (top == k)
        break;

      r = (guint32) out[top++];
      out[w++] = nodes[r].id;

      if (top > chain_floor)
        {
          /* r was on the chain: its right subtree reaches past p. The next
           * chain rank's left subtree comes next instead. */
          chain_floor = top;
          cur = top < k ? nodes[out[top]].left : NONE;
        }
      else
        {
          cur = nodes[r].right;
        }
    }

  g_assert (w == k);

  return (guint) k;
}

/* The number of spans with lo <= @day <= hi, in O(log n). */
guint
chrono_time_index_count_at (const ChronoTimeIndex *self,
                            ChronoDay              day)
{
  g_return_val_if_fail (self != NULL, 0);

  return (guint) (count_at_most (self->lo, self->n, day) - count_less (self->his, self->n, day));
}

/*
 * Event boundaries are the days on which the set in effect changes: every
 * finite lo, and the day after every finite hi.
 */
gboolean
chrono_time_index_next_boundary (const ChronoTimeIndex *self,
                                 ChronoDay              day,
                                 ChronoDay             *out_boundary)
{
  gboolean found = FALSE;
  ChronoDay best = 0;
  gsize i;

  g_return_val_if_fail (self != NULL, FALSE);

  /* The first lo > day; only +inf can follow a +inf. */
  i = count_at_most (self->lo, self->n, day);
  if (i < self->n && day_is_finite (self->lo[i]))
    {
      best = self->lo[i];
      found = TRUE;
    }

  /* hi + 1 > day means hi >= day; -inf is no boundary, so look past it. */
  i = count_less (self->his, self->n, MAX (day, G_MININT64 + 1));
  if (i < self->n && day_is_finite (self->his[i]))
    {
      if (!found || self->his[i] + 1 < best)
        best = self->his[i] + 1;
      found = TRUE;
    }

  if (found && out_boundary != NULL)
    *out_boundary = best;

  return found;
}

gboolean
chrono_time_index_previous_boundary (const ChronoTimeIndex *self,
                                     ChronoDay              day,
                                     ChronoDay             *out_boundary)
{
  gboolean found = FALSE;
  ChronoDay best = 0;
  gsize i;

  g_return_val_if_fail (self != NULL, FALSE);

  /* The last lo < day; only -inf can precede a -inf. */
  i = count_less (self->lo, self->n, day);
  if (i > 0 && day_is_finite (self->lo[i - 1]))
    {
      best = self->lo[i - 1];
      found = TRUE;
    }

  /* hi + 1 < day means hi <= day - 2. */
  if (day > G_MININT64 + 1)
    {
      i = count_at_most (self->his, self->n, day - 2);
      if (i > 0 && day_is_finite (self->his[i - 1]))
        {
          if (!found || self->his[i - 1] + 1 > best)
            best = self->his[i - 1] + 1;
          found = TRUE;
        }
    }

  if (found && out_boundary != NULL)
    *out_boundary = best;

  return found;
}

/**
 * chrono_time_index_get_extent:
 * @self: an index
 * @out_first: (out) (optional): the first day
 * @out_last: (out) (optional): the last day
 *
 * The span of finite days the index covers: the smallest finite lo and the
 * largest finite hi. Open ends take part through their finite side, so
 * [.., 5] and [10, 20] give 5..20, and [10, ..] alone gives 10..10.
 *
 * Returns: %FALSE when no span has a finite end
 */
gboolean
chrono_time_index_get_extent (const ChronoTimeIndex *self,
                              ChronoDay             *out_first,
                              ChronoDay             *out_last)
{
  ChronoDay lo_first, lo_last, hi_first, hi_last;
  gboolean have_lo, have_hi;

  g_return_val_if_fail (self != NULL, FALSE);

  have_lo = get_finite_range (self->lo, self->n, &lo_first, &lo_last);
  have_hi = get_finite_range (self->his, self->n, &hi_first, &hi_last);

  if (!have_lo && !have_hi)
    return FALSE;

  if (out_first != NULL)
    *out_first = !have_hi ? lo_first : !have_lo ? hi_first : MIN (lo_first, hi_first);
  if (out_last != NULL)
    *out_last = !have_hi ? lo_last : !have_lo ? hi_last : MAX (lo_last, hi_last);

  return TRUE;
}

/* from + floor (a * width / n_bins) (or the ceiling), without overflow for
 * any width and a <= n_bins: the product is split at width / n_bins. */
static ChronoDay
bin_edge (ChronoDay from,
          guint64   width,
          guint     n_bins,
          guint64   a,
          gboolean  round_up)
{
  guint64 q = width / n_bins;
  guint64 rem = (width % n_bins) * a;
  guint64 offset = q * a + rem / n_bins;

  if (round_up && rem % n_bins != 0)
    offset++;

  return (ChronoDay) ((guint64) from + offset);
}

/**
 * chrono_time_index_histogram:
 * @self: an index
 * @from: the first day
 * @to: the day after the last
 * @n_bins: the number of bins
 * @counts: (array length=n_bins) (out caller-allocates): the counts
 *
 * Splits [@from, @to) into @n_bins equal bins and sets @counts[i] to the
 * number of spans that overlap bin i, in O(n_bins log n). A day counts as
 * the unit interval it covers, so bins may be narrower than a day and a day
 * cut by a bin edge belongs to both bins: no bin is ever empty of days.
 */
void
chrono_time_index_histogram (const ChronoTimeIndex *self,
                             ChronoDay              from,
                             ChronoDay              to,
                             guint                  n_bins,
                             guint                 *counts)
{
  guint64 width;

  g_return_if_fail (self != NULL);
  g_return_if_fail (from < to);
  g_return_if_fail (counts != NULL || n_bins == 0);

  width = (guint64) to - (guint64) from;

  for (guint i = 0; i < n_bins; i++)
    {
      /* Bin i is [from + i * width / n_bins, from + (i + 1) * width / n_bins)
       * on the real line; these are the days it touches. */
      ChronoDay first = bin_edge (from, width, n_bins, i, FALSE);
      ChronoDay last = bin_edge (from, width, n_bins, (guint64) i + 1, TRUE) - 1;

      counts[i] = (guint) (count_at_most (self->lo, self->n, last)
                           - count_less (self->his, self->n, first));
    }
}
