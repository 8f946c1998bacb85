/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-window"

#include "config.h"

#include <glib/gi18n.h>

#include "chrono-dataset.h"
#include "chrono-store.h"
#include "chrono-window.h"

struct _ChronoWindow
{
  AdwApplicationWindow  parent_instance;

  AdwWindowTitle       *window_title;
  AdwStatusPage        *status_page;

  ChronoStore          *store;
};

G_DEFINE_FINAL_TYPE (ChronoWindow, chrono_window, ADW_TYPE_APPLICATION_WINDOW)

static void
load_bundled_dataset (ChronoWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) spans = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  self->store = chrono_dataset_open_bundled (&error);
  if (self->store == NULL)
    {
      adw_status_page_set_title (self->status_page, _("The dataset could not be opened"));
      adw_status_page_set_description (self->status_page, error->message);
      return;
    }

  spans = chrono_store_get_spans (self->store, &error);
  title = chrono_store_dup_meta (self->store, "title:en");
  if (title != NULL)
    adw_window_title_set_subtitle (self->window_title, title);

  if (spans != NULL)
    description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%u event. The map and the timeline come next.",
                                                "%u events. The map and the timeline come next.",
                                                spans->len),
                                   spans->len);
  adw_status_page_set_description (self->status_page, description);
}

static void
chrono_window_dispose (GObject *object)
{
  ChronoWindow *self = CHRONO_WINDOW (object);

  g_clear_object (&self->store);

  gtk_widget_dispose_template (GTK_WIDGET (self), CHRONO_TYPE_WINDOW);

  G_OBJECT_CLASS (chrono_window_parent_class)->dispose (object);
}

static void
chrono_window_class_init (ChronoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = chrono_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/chrono-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ChronoWindow, status_page);
}

static void
chrono_window_init (ChronoWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  load_bundled_dataset (self);
}

ChronoWindow *
chrono_window_new (ChronoApplication *application)
{
  return g_object_new (CHRONO_TYPE_WINDOW, "application", application, NULL);
}
