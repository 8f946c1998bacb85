/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>

static void
test_pending (void)
{
  g_test_skip ("not written yet");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/export/pending", test_pending);
  return g_test_run ();
}
