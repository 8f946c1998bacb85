/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "chrono-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (ChronoApplication) app = NULL;
  /* The catalogues of a build tree, for its tests and for running it uninstalled */
  const char *localedir = g_getenv ("CHRONO_LOCALEDIR");

  chrono_application_choose_renderer ();

  /* Before anything is translated: the option descriptions are, at start */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && localedir[0] != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = chrono_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
