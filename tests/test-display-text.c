/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-display-text"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "chrono-event.h"

/*
 * chrono_text_for_display(): a dataset's text cut for laying out, at a
 * character boundary that splits no grapheme, with "…" at the end.
 */

static void
test_short_texts_are_whole (void)
{
  g_autofree char *plain = chrono_text_for_display ("Stepanakert", 300);
  g_autofree char *exact = chrono_text_for_display ("abcde", 5);
  g_autofree char *empty = chrono_text_for_display ("", 5);

  g_assert_null (chrono_text_for_display (NULL, 10));
  g_assert_cmpstr (plain, ==, "Stepanakert");
  g_assert_cmpstr (exact, ==, "abcde");
  g_assert_cmpstr (empty, ==, "");
}

static void
test_cut_with_ellipsis (void)
{
  g_autofree char *ascii = chrono_text_for_display ("abcdefgh", 5);
  /* Ստեփանակերտ: two bytes a letter; the cut falls between letters */
  g_autofree char *armenian = chrono_text_for_display ("Ստեփանակերտ", 4);
  /* No space left before the ellipsis */
  g_autofree char *spaced = chrono_text_for_display ("ab   cdefgh", 6);

  g_assert_cmpstr (ascii, ==, "abcd…");
  g_assert_cmpstr (armenian, ==, "Ստե…");
  g_assert_cmpstr (spaced, ==, "ab…");
  g_assert_cmpint (g_utf8_strlen (ascii, -1), ==, 5);
}

static void
test_graphemes_stay_whole (void)
{
  /* e + combining acute accent, twice: never a lone accent at the end */
  g_autofree char *accent = chrono_text_for_display ("ae\xcc\x81" "e\xcc\x81" "x", 3);
  /* man ZWJ woman ZWJ girl: the family emoji goes whole or not at all */
  g_autofree char *family = chrono_text_for_display ("a\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9"
                                                     "\xe2\x80\x8d\xf0\x9f\x91\xa7" "bcd", 5);
  /* Two flags, each a pair of regional indicators (FR, AM) */
  g_autofree char *flags = chrono_text_for_display ("\xf0\x9f\x87\xab\xf0\x9f\x87\xb7"
                                                    "\xf0\x9f\x87\xa6\xf0\x9f\x87\xb2" "z", 4);

  g_assert_cmpstr (accent, ==, "a…");
  g_assert_cmpstr (family, ==, "a…");
  g_assert_cmpstr (flags, ==, "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7…");
}

static void
test_invalid_utf8_is_replaced (void)
{
  g_autofree char *whole = chrono_text_for_display ("ab\xff" "c", 10);
  g_autofree char *cut = chrono_text_for_display ("ab\xff" "cdefgh", 5);

  g_assert_true (g_utf8_validate (whole, -1, NULL));
  g_assert_true (g_utf8_validate (cut, -1, NULL));
  g_assert_true (g_str_has_suffix (cut, "…"));
}

/* A 10 MB text costs what a short one does: only the start is read */
static void
test_huge_text_is_cheap (void)
{
  gsize size = 10 * 1024 * 1024;
  g_autofree char *huge = g_malloc (size + 1);
  gint64 start;
  double seconds;

  for (gsize i = 0; i < size; i++)
    huge[i] = "Ararat "[i % 7];
  huge[size] = '\0';

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *display = chrono_text_for_display (huge, CHRONO_DISPLAY_NAME_CHARS);

      g_assert_cmpint (g_utf8_strlen (display, -1), <=, CHRONO_DISPLAY_NAME_CHARS);
      g_assert_true (g_str_has_suffix (display, "…"));
    }
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("1000 cuts of a 10 MB text: %.3f s", seconds);
  /* Reading the whole text a thousand times would take many seconds */
  g_assert_cmpfloat (seconds, <, 2);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/display-text/short-texts-are-whole", test_short_texts_are_whole);
  g_test_add_func ("/display-text/cut-with-ellipsis", test_cut_with_ellipsis);
  g_test_add_func ("/display-text/graphemes-stay-whole", test_graphemes_stay_whole);
  g_test_add_func ("/display-text/invalid-utf8-is-replaced", test_invalid_utf8_is_replaced);
  g_test_add_func ("/display-text/huge-text-is-cheap", test_huge_text_is_cheap);

  return g_test_run ();
}
