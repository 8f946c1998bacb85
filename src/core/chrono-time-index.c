/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-time-index"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "chrono-time-index.h"

/*
 * How "what is in effect on day D" is answered in O(log n + k), already in
 * (lo, id) order:
 *
 * Spans are sorted by (lo, id); a span's position in that order is its rank,
 * and the answer is the ranks r < p(D) = #(lo <= D) with hi >= D, in order.
 *
 * Along the time axis sit checkpoints, each with the list of ranks in effect
 * on its day c (a sweep whose state is saved now and then). For D >= c, every
 * span in effect on D either was in effect on c, or started in (c, D]: so the
 * answer is the checkpoint's list, keeping those with hi >= D, followed by
 * the ranks [p(c), p(D)), keeping those with hi >= D. Both are sequential,
 * branch-free scans, and the result comes out in rank order with no merge.
 *
 * A query must not scan much more than it returns. With a spans in effect on
 * checkpoint c, the next checkpoint is the first day D by which more than
 * a / 2 + F spans have started (c < lo <= D) or ended (c <= hi < D). A query
 * before D scans at most 3a / 2 + F entries, and at most a / 2 + F of the a
 * have ended, so it returns k >= a / 2 - F of them: O(k + F) work after
 * three binary searches. Each list is shorter than twice the starts and ends
 * that close its interval, and those are counted once each, so all the lists
 * together hold fewer than 5n ranks; for data as dense at one time as at
 * another, about 2n.
 *
 * Counting needs no scan: every span with hi < D also has lo <= D, so
 * count(D) = #(lo <= D) - #(hi < D), two binary searches over the lo array
 * and a sorted copy of the hi values. The same two arrays give the event
 * boundaries and the histogram.
 */

/* The slack F above: keeps checkpoints apart where few spans are in effect. */
#define CHECKPOINT_SLACK 32

/* How many list entries ahead a query asks for the spans it will read. */
#define PREFETCH_AHEAD 16

#if defined(__GNUC__) || defined(__clang__)
#define prefetch(address) __builtin_prefetch (address)
#else
#define prefetch(address) ((void) (address))
#endif

/* What a scan reads about a rank, side by side. */
typedef struct
{
  ChronoDay hi;
  gint64    id;
} Entry;

struct _ChronoTimeIndex
{
  gsize      n;
  ChronoDay *lo;                   /* by rank, ascending */
  Entry     *entries;              /* by rank */
  ChronoDay *his;                  /* every hi, ascending */

  gsize      n_checkpoints;
  ChronoDay *checkpoint_days;      /* ascending; the first is G_MININT64 */
  gsize     *checkpoint_p;         /* #(lo <= day) at each checkpoint */
  gsize     *checkpoint_offsets;   /* n_checkpoints + 1 bounds into members */
  guint32   *members;              /* each checkpoint's ranks in effect, ascending */
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

/* The ranks of @members, then of [@start, @end), whose hi is >= @day, into
 * @out (room for all of them). Returns how many. */
static gsize
collect_ranks (const Entry   *entries,
               const guint32 *members,
               gsize          n_members,
               gsize          start,
               gsize          end,
               ChronoDay      day,
               guint32       *out)
{
  gsize w = 0;

  for (gsize i = 0; i < n_members; i++)
    {
      out[w] = members[i];
      w += entries[members[i]].hi >= day;
    }

  for (gsize r = start; r < end; r++)
    {
      out[w] = (guint32) r;
      w += entries[r].hi >= day;
    }

  return w;
}

/* The contents of @array, without the room a GArray keeps for growing. */
static gpointer
steal_tight (GArray *array)
{
  gsize len;
  gpointer data = g_array_steal (array, &len);

  return g_realloc (data, len * g_array_get_element_size (array));
}

/* Sweeps the time axis once, saving the ranks in effect at each checkpoint. */
static void
build_checkpoints (ChronoTimeIndex *self)
{
  g_autoptr (GArray) days = g_array_new (FALSE, FALSE, sizeof (ChronoDay));
  g_autoptr (GArray) ps = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr (GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr (GArray) members = g_array_new (FALSE, FALSE, sizeof (guint32));
  ChronoDay day = G_MININT64;
  gsize p = count_at_most (self->lo, self->n, day);
  gsize zero = 0;

  /* On the first day of all, the spans open at the start are in effect. */
  g_array_set_size (members, p);
  for (gsize r = 0; r < p; r++)
    g_array_index (members, guint32, r) = (guint32) r;
  g_array_append_val (offsets, zero);

  for (;;)
    {
      gsize offset = g_array_index (offsets, gsize, offsets->len - 1);
      gsize end = members->len;
      gsize a = end - offset;
      gsize threshold = a / 2 + CHECKPOINT_SLACK;
      gsize q = count_less (self->his, self->n, day);
      gboolean found = FALSE;
      ChronoDay next = 0;
      gsize next_p, kept;

      g_array_append_val (days, day);
      g_array_append_val (ps, p);
      g_array_append_val (offsets, end);

      /* The day the (threshold + 1)th span starts after this one... */
      if (p + threshold < self->n)
        {
          next = self->lo[p + threshold];
          found = TRUE;
        }

      /* ... or the day after the (threshold + 1)th span, in effect on or
       * after this day, ends; whichever comes first. */
      if (q + threshold < self->n && self->his[q + threshold] != G_MAXINT64)
        {
          ChronoDay after = self->his[q + threshold] + 1;

          next = found ? MIN (next, after) : after;
          found = TRUE;
        }

      if (!found)
        break;

      g_assert (next > day);
      next_p = count_at_most (self->lo, self->n, next);

      /* The next list is this one filtered, then the spans started since. */
      g_array_set_size (members, offset + a + a + (next_p - p));
      kept = collect_ranks (self->entries,
                            &g_array_index (members, guint32, offset), a,
                            p, next_p, next,
                            &g_array_index (members, guint32, offset + a));
      g_array_set_size (members, offset + a + kept);

      day = next;
      p = next_p;
    }

  self->n_checkpoints = days->len;
  self->checkpoint_days = steal_tight (days);
  self->checkpoint_p = steal_tight (ps);
  self->checkpoint_offsets = steal_tight (offsets);
  self->members = steal_tight (members);
}

static void
chrono_time_index_clear (ChronoTimeIndex *self)
{
  g_free (self->lo);
  g_free (self->entries);
  g_free (self->his);
  g_free (self->checkpoint_days);
  g_free (self->checkpoint_p);
  g_free (self->checkpoint_offsets);
  g_free (self->members);
}

/**
 * chrono_time_index_new:
 * @spans: (array length=n_spans): the spans to index
 * @n_spans: the number of spans
 *
 * Builds an index over @spans (at most %G_MAXUINT32 / 8 of them) in
 * O(n) time and space; @spans is not referenced afterwards. Spans with
 * lo > hi are a programming error: they are left out with a critical
 * warning.
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
  /* Ranks are 32-bit to halve the checkpoint lists, which may hold up to
   * 5 n of them in a GArray. */
  g_return_val_if_fail (n_spans <= G_MAXUINT32 / 8, NULL);

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
  self->entries = g_new (Entry, n);
  self->his = g_new (ChronoDay, n);

  for (gsize r = 0; r < n; r++)
    {
      self->lo[r] = sorted[r].lo;
      self->entries[r].hi = sorted[r].hi;
      self->entries[r].id = sorted[r].id;
      self->his[r] = sorted[r].hi;
    }

  sort_records ((guint8 *) self->his, (guint8 *) scratch, n, sizeof (ChronoDay), 0);

  build_checkpoints (self);

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
         + self->n * (sizeof *self->lo + sizeof *self->entries + sizeof *self->his)
         + self->n_checkpoints * (sizeof *self->checkpoint_days + sizeof *self->checkpoint_p)
         + (self->n_checkpoints + 1) * sizeof *self->checkpoint_offsets
         + self->checkpoint_offsets[self->n_checkpoints] * sizeof *self->members;
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
  const Entry *entries;
  const guint32 *members;
  gsize c, n_members, start, end, len, w = 0;
  gint64 *out;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (ids != NULL, 0);
  g_return_val_if_fail (g_array_get_element_size (ids) == sizeof (gint64), 0);

  /* The first checkpoint is on G_MININT64, so there is always one. */
  c = count_at_most (self->checkpoint_days, self->n_checkpoints, day) - 1;
  n_members = self->checkpoint_offsets[c + 1] - self->checkpoint_offsets[c];
  /* An index of nothing has no members array: no pointer arithmetic on NULL */
  members = n_members > 0 ? self->members + self->checkpoint_offsets[c] : NULL;
  start = self->checkpoint_p[c];
  end = count_at_most (self->lo, self->n, day);
  if (n_members == 0 && start == end)
    return 0;

  /* Room for everything scanned; what is not kept is cut off after. */
  len = ids->len;
  g_array_set_size (ids, len + n_members + (end - start));
  out = &g_array_index (ids, gint64, len);
  entries = self->entries;

  for (gsize i = 0; i < n_members; i++)
    {
      const Entry *e = &entries[members[i]];

      /* Long spans lie far apart in rank order, so these reads jump about;
       * the list says where to, well before they are needed. */
      if (i + PREFETCH_AHEAD < n_members)
        prefetch (&entries[members[i + PREFETCH_AHEAD]]);

      out[w] = e->id;
      w += e->hi >= day;
    }

  for (gsize r = start; r < end; r++)
    {
      out[w] = entries[r].id;
      w += entries[r].hi >= day;
    }

  g_array_set_size (ids, len + w);

  return (guint) w;
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

#define DAY_AT(base, i, size, offset) (*(const ChronoDay *) ((const guint8 *) (base) + (gsize) (i) * (size) + (offset)))

/**
 * chrono_sort_by_day:
 * @base: (array length=n): the elements
 * @n: their number
 * @size: the size of one
 * @day_offset: where in each a #ChronoDay is
 * @compare: orders two elements, first by that day
 *
 * Sorts @n elements as @compare orders them, when the first thing it
 * compares is the day at @day_offset (a start, say). Days are mostly within
 * a few thousand of each other: the elements are counted into a bucket per
 * day, keeping their order, and each bucket is sorted by @compare. At a
 * million events that is a fifth of the time of sorting them all by
 * comparison. Days spread wider than four per element, and few elements,
 * are sorted by comparison. Unbounded days (the infinities) have buckets
 * of their own at either end.
 */
void
chrono_sort_by_day (gpointer     base,
                    guint        n,
                    gsize        size,
                    gsize        day_offset,
                    GCompareFunc compare)
{
  ChronoDay lo = G_MAXINT64, hi = G_MININT64;
  g_autofree guint *starts = NULL;
  g_autofree guint *next = NULL;
  g_autofree guint8 *sorted = NULL;
  guint64 n_buckets;

  g_return_if_fail (base != NULL || n == 0);
  g_return_if_fail (day_offset + sizeof (ChronoDay) <= size);

  for (guint i = 0; i < n; i++)
    {
      ChronoDay day = DAY_AT (base, i, size, day_offset);

      if (day != CHRONO_DAY_NEGATIVE_INFINITY && day != CHRONO_DAY_POSITIVE_INFINITY)
        {
          lo = MIN (lo, day);
          hi = MAX (hi, day);
        }
    }

  if (n < 1024 || lo > hi || (guint64) hi - (guint64) lo > 4 * (guint64) n + 65536)
    {
      qsort (base, n, size, compare);
      return;
    }

  /* Bucket 0 for open starts, the last for days at positive infinity */
  n_buckets = (guint64) hi - (guint64) lo + 3;
  starts = g_new0 (guint, n_buckets + 1);
#define BUCKET(day) ((day) == CHRONO_DAY_NEGATIVE_INFINITY ? 0 \
                     : (day) == CHRONO_DAY_POSITIVE_INFINITY ? n_buckets - 1 \
                     : (guint64) (day) - (guint64) lo + 1)
  for (guint i = 0; i < n; i++)
    starts[BUCKET (DAY_AT (base, i, size, day_offset)) + 1]++;
  for (guint64 b = 1; b <= n_buckets; b++)
    starts[b] += starts[b - 1];

  sorted = g_malloc ((gsize) n * size);
  next = g_memdup2 (starts, sizeof (guint) * n_buckets);
  for (guint i = 0; i < n; i++)
    memcpy (sorted + (gsize) next[BUCKET (DAY_AT (base, i, size, day_offset))]++ * size,
            (const guint8 *) base + (gsize) i * size, size);
#undef BUCKET

  for (guint64 b = 0; b < n_buckets; b++)
    if (starts[b + 1] - starts[b] > 1)
      qsort (sorted + (gsize) starts[b] * size, starts[b + 1] - starts[b], size, compare);
  memcpy (base, sorted, (gsize) n * size);
}
