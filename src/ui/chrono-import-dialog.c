/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "chrono-cli.h"
#include "chrono-date.h"
#include "chrono-import-dialog.h"
#include "chrono-time-index.h"
#include "import/chrono-import-csv.h"

/*
 * The import dialog: what was detected in a file (its format; for a table
 * the delimiter, encoding and what each column holds, which can be
 * changed), a preview of the first events as they will be read with the
 * counts and every row skipped, and where to import: a new dataset or the
 * open one. The preview is a whole import into memory on a worker thread;
 * the import itself runs on a worker thread too, with progress and Cancel.
 * Cancelling or a failure leaves every file as it was.
 */

#define PREVIEW_EVENTS 20
#define MAX_PROBLEM_ROWS 200

struct _ChronoImportDialog
{
  AdwWindow             parent_instance;

  AdwWindowTitle       *window_title;
  GtkButton            *cancel_button;
  GtkButton            *import_button;
  GtkRevealer          *progress_revealer;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkLabel             *error_label;
  AdwActionRow         *format_row;
  AdwActionRow         *table_row;
  AdwPreferencesGroup  *columns_group;
  AdwPreferencesGroup  *destination_group;
  AdwActionRow         *new_row;
  AdwActionRow         *add_row;
  GtkCheckButton       *new_check;
  GtkCheckButton       *add_check;
  AdwPreferencesGroup  *preview_group;
  GtkListBox           *preview_list;
  AdwPreferencesGroup  *problems_group;
  GtkListBox           *problems_list;

  GFile                *file;
  char                 *path;
  char                 *dataset_path;   /* the open dataset, when it can take an import */
  char                 *target_path;    /* where a new dataset goes */
  ChronoImportOptions  *options;

  GtkWidget            *column_rows[CHRONO_COLUMN_N_ROLES];
  AdwComboRow          *date_order_row;
  char                **headers;
  gboolean              filling_columns;

  GCancellable         *preview_cancellable;
  GCancellable         *import_cancellable;
  gboolean              previewed;
  gboolean              importing;
};

G_DEFINE_FINAL_TYPE (ChronoImportDialog, chrono_import_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_preview (ChronoImportDialog *self);

/* Worker-thread work */

typedef struct
{
  char                *path;
  char                *dataset_path;  /* add into it, or NULL */
  char                *target_path;   /* a new dataset, or NULL for a preview in memory */
  ChronoImportOptions *options;
  ChronoImportDialog  *dialog;        /* for progress only: a reference, touched on the main thread */
  ChronoStore         *store;         /* result of a preview */
  ChronoImport        *import;        /* result */
} Job;

static void
job_free (Job *job)
{
  g_free (job->path);
  g_free (job->dataset_path);
  g_free (job->target_path);
  chrono_import_options_free (job->options);
  g_clear_object (&job->dialog);
  g_clear_object (&job->store);
  g_clear_pointer (&job->import, chrono_import_free);
  g_free (job);
}

typedef struct
{
  ChronoImportDialog *dialog;
  double              fraction;
} Progress;

static gboolean
show_progress (gpointer data)
{
  Progress *progress = data;

  gtk_progress_bar_set_fraction (progress->dialog->progress_bar, progress->fraction);
  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer data)
{
  Progress *progress = data;

  g_object_unref (progress->dialog);
  g_free (progress);
}

/* Called on the worker thread: the bar moves on the main thread. */
static void
on_import_progress (double   fraction,
                    gpointer data)
{
  Job *job = data;
  Progress *progress = g_new (Progress, 1);

  progress->dialog = g_object_ref (job->dialog);
  progress->fraction = fraction;
  g_idle_add_full (G_PRIORITY_DEFAULT, show_progress, progress, progress_free);
}

static void
run_job (GTask        *task,
         gpointer      source_object,
         gpointer      task_data,
         GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  gboolean ok;

  if (job->target_path != NULL)
    ok = chrono_cli_import_to_new (job->path, job->target_path, job->options, cancellable,
                                   on_import_progress, job, &job->import, &error);
  else if (job->dataset_path != NULL)
    {
      g_autoptr (ChronoStore) store = chrono_store_open (job->dataset_path, &error);

      ok = store != NULL &&
           chrono_cli_import_file (store, job->path, job->options, cancellable,
                                   on_import_progress, job, &job->import, &error);
    }
  else
    {
      job->store = chrono_store_new_in_memory (&error);
      ok = job->store != NULL &&
           chrono_cli_import_file (job->store, job->path, job->options, cancellable,
                                   on_import_progress, job, &job->import, &error);
    }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Showing results */

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
show_error (ChronoImportDialog *self,
            const char         *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static int
compare_rowids (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The first events in the order of the file: the lowest rowids. */
static void
fill_preview (ChronoImportDialog *self,
              ChronoStore        *store)
{
  g_autoptr (GArray) spans = chrono_store_get_spans (store, NULL);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) events = NULL;
  g_autofree char *lang = chrono_cli_get_data_language ();

  clear_list (self->preview_list);
  if (spans == NULL)
    return;

  for (guint i = 0; i < spans->len; i++)
    g_array_append_val (ids, g_array_index (spans, ChronoSpan, i).id);
  g_array_sort (ids, compare_rowids);
  g_array_set_size (ids, MIN (ids->len, PREVIEW_EVENTS));

  events = chrono_store_get_events (store, (const gint64 *) (gpointer) ids->data, ids->len, lang, NULL);
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      ChronoEvent *event = g_ptr_array_index (events, i);
      GPtrArray *places = chrono_event_get_places (event);
      g_autofree char *dates = chrono_format_dates (chrono_event_get_start (event), chrono_event_get_end (event));
      g_autoptr (GString) subtitle = g_string_new (dates);
      GtkWidget *row = adw_action_row_new ();

      if (places->len > 0)
        {
          ChronoPlace *place = g_ptr_array_index (places, 0);

          /* Translators: a place and its latitude, longitude in a preview row */
          g_string_append_printf (subtitle, _(" · %s (%.4f, %.4f)"), chrono_place_get_name (place),
                                  chrono_place_get_lat (place), chrono_place_get_lon (place));
        }
      else
        g_string_append (subtitle, _(" · no place"));

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), chrono_event_get_title (event));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      gtk_list_box_append (self->preview_list, row);
    }
}

static void
fill_problems (ChronoImportDialog *self,
               ChronoImport       *import)
{
  GPtrArray *problems = chrono_import_get_problems (import);
  const char *display_name = chrono_import_get_display_name (import);

  clear_list (self->problems_list);
  for (guint i = 0; i < problems->len && i < MAX_PROBLEM_ROWS; i++)
    {
      g_autofree char *text = chrono_import_problem_to_string (problems->pdata[i], display_name);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_list_box_append (self->problems_list, label);
    }

  if (problems->len > MAX_PROBLEM_ROWS)
    {
      g_autofree char *more = g_strdup_printf (ngettext ("and %u more", "and %u more",
                                                         problems->len - MAX_PROBLEM_ROWS),
                                               problems->len - MAX_PROBLEM_ROWS);
      GtkWidget *label = gtk_label_new (more);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_list_box_append (self->problems_list, label);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->problems_group), problems->len > 0);
}

static char *
format_count (guint n)
{
  /* "1,848" in English, "1 848" in French: the locale's grouping */
  return g_strdup_printf ("%'u", n);
}

static void
set_busy (ChronoImportDialog *self,
          const char         *what)
{
  gtk_revealer_set_reveal_child (self->progress_revealer, what != NULL);
  if (what != NULL)
    {
      gtk_label_set_text (self->progress_label, what);
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
    }
}

static void
update_import_button (ChronoImportDialog *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), self->previewed && !self->importing);
}

static void
on_preview_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ChronoImportDialog *self = CHRONO_IMPORT_DIALOG (source);
  GTask *task = G_TASK (result);
  Job *job = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (task, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_CANCELLED))
        return;

      set_busy (self, NULL);
      self->previewed = FALSE;
      update_import_button (self);
      clear_list (self->preview_list);
      gtk_widget_set_visible (GTK_WIDGET (self->problems_group), FALSE);
      adw_preferences_group_set_description (self->preview_group, NULL);
      show_error (self, error->message);
      if (g_error_matches (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_AMBIGUOUS_DATES) &&
          self->date_order_row != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (self->date_order_row));
      return;
    }

  set_busy (self, NULL);
  show_error (self, NULL);

  {
    g_autofree char *events = format_count (chrono_import_get_n_events (job->import));
    g_autofree char *places = format_count (chrono_import_get_n_places (job->import));
    g_autofree char *skipped = format_count (chrono_import_get_n_skipped (job->import));
    /* Translators: the counts of an import's preview, e.g. "1,848 events, 312 places, 4 rows skipped" */
    g_autofree char *counts = g_strdup_printf (_("%s events, %s places, %s skipped"), events, places, skipped);
    const ChronoImportFormat *format = chrono_import_get_format (job->import);

    adw_preferences_group_set_description (self->preview_group, counts);
    adw_action_row_set_subtitle (self->format_row, format != NULL ? _(format->label) : "");
  }

  fill_preview (self, job->store);
  fill_problems (self, job->import);
  self->previewed = TRUE;
  update_import_button (self);
}

static void
start_preview (ChronoImportDialog *self)
{
  g_autoptr (GTask) task = NULL;
  Job *job;

  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  self->preview_cancellable = g_cancellable_new ();
  self->previewed = FALSE;
  update_import_button (self);
  set_busy (self, _("Reading the file…"));

  job = g_new0 (Job, 1);
  job->path = g_strdup (self->path);
  job->options = chrono_import_options_copy (self->options);
  job->dialog = g_object_ref (self);

  task = g_task_new (self, self->preview_cancellable, on_preview_done, NULL);
  g_task_set_source_tag (task, start_preview);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, run_job);
}

/* Columns of a table */

/* A column chosen by hand for one role; "Not used" leaves the role to detection. */
static void
on_column_selected (AdwComboRow        *row,
                    GParamSpec         *pspec,
                    ChronoImportDialog *self)
{
  guint role = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "role"));
  guint selected = adw_combo_row_get_selected (row);

  if (self->filling_columns || role >= CHRONO_COLUMN_N_ROLES)
    return;

  g_clear_pointer (&self->options->columns[role], g_free);
  /* Item 0 is "Not used". */
  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && self->headers != NULL &&
      selected - 1 < g_strv_length (self->headers))
    self->options->columns[role] = g_strdup (self->headers[selected - 1]);

  start_preview (self);
}

static void
on_date_order_selected (ChronoImportDialog *self)
{
  static const ChronoDateOrder orders[] = {
    CHRONO_DATE_ORDER_UNKNOWN, CHRONO_DATE_ORDER_DMY, CHRONO_DATE_ORDER_MDY,
  };
  guint selected = adw_combo_row_get_selected (self->date_order_row);

  if (self->filling_columns || selected >= G_N_ELEMENTS (orders))
    return;

  self->options->date_order = orders[selected];
  start_preview (self);
}

static const char *
role_label (ChronoColumnRole role)
{
  switch (role)
    {
    case CHRONO_COLUMN_TITLE: return _("Title");
    case CHRONO_COLUMN_START: return _("Start");
    case CHRONO_COLUMN_END: return _("End");
    case CHRONO_COLUMN_DATE: return _("Date");
    case CHRONO_COLUMN_YEAR: return _("Year");
    case CHRONO_COLUMN_MONTH: return _("Month");
    case CHRONO_COLUMN_DAY: return _("Day");
    case CHRONO_COLUMN_LAT: return _("Latitude");
    case CHRONO_COLUMN_LON: return _("Longitude");
    case CHRONO_COLUMN_POINT: return _("Point (WKT or “lat lon”)");
    case CHRONO_COLUMN_PLACE: return _("Place Name");
    case CHRONO_COLUMN_DESCRIPTION: return _("Description");
    case CHRONO_COLUMN_CATEGORY: return _("Category");
    case CHRONO_COLUMN_SOURCE: return _("Source");
    case CHRONO_COLUMN_URL: return _("Link");
    case CHRONO_COLUMN_N_ROLES:
    default:
      g_assert_not_reached ();
    }
}

/* For a table: the delimiter and encoding found, and one drop-down per role. */
static void
fill_columns (ChronoImportDialog *self,
              GBytes             *bytes)
{
  g_autoptr (ChronoCsvLayout) layout = NULL;
  g_autoptr (GtkStringList) choices = NULL;
  g_autoptr (GError) error = NULL;

  layout = chrono_csv_sniff (bytes, self->options, 0, &error);
  if (layout == NULL)
    return;

  self->headers = g_strdupv (layout->headers);
  {
    g_autofree char *delimiter = layout->delimiter == '\t' ? g_strdup (_("tab"))
                                 : g_strdup_printf ("“%c”", layout->delimiter);
    g_autofree char *table = layout->layout != NULL
      /* Translators: e.g. "ACLED layout · delimiter “,” · UTF-8" */
      ? g_strdup_printf (_("%s layout · delimiter %s · %s"), layout->layout, delimiter, layout->encoding)
      /* Translators: e.g. "delimiter “;” · Windows-1252" */
      : g_strdup_printf (_("delimiter %s · %s"), delimiter, layout->encoding);

    adw_action_row_set_subtitle (self->table_row, table);
    gtk_widget_set_visible (GTK_WIDGET (self->table_row), TRUE);
  }

  choices = gtk_string_list_new (NULL);
  gtk_string_list_append (choices, _("Not used"));
  for (guint i = 0; self->headers[i] != NULL; i++)
    gtk_string_list_append (choices, self->headers[i]);

  self->filling_columns = TRUE;
  for (guint role = 0; role < CHRONO_COLUMN_N_ROLES; role++)
    {
      AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());
      int column = layout->roles[role];

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), role_label (role));
      adw_combo_row_set_model (row, G_LIST_MODEL (choices));
      adw_combo_row_set_selected (row, column >= 0 ? (guint) column + 1 : 0);
      g_object_set_data (G_OBJECT (row), "role", GUINT_TO_POINTER (role));
      g_signal_connect (row, "notify::selected", G_CALLBACK (on_column_selected), self);
      adw_preferences_group_add (self->columns_group, GTK_WIDGET (row));
      self->column_rows[role] = GTK_WIDGET (row);
    }

  {
    const char * const orders[] = { _("Detect"), _("Day First (31/12/2020)"), _("Month First (12/31/2020)"), NULL };

    self->date_order_row = ADW_COMBO_ROW (adw_combo_row_new ());
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->date_order_row), _("Dates Such as 03/04/2020"));
    adw_combo_row_set_model (self->date_order_row, G_LIST_MODEL (gtk_string_list_new (orders)));
    g_signal_connect_swapped (self->date_order_row, "notify::selected", G_CALLBACK (on_date_order_selected), self);
    adw_preferences_group_add (self->columns_group, GTK_WIDGET (self->date_order_row));
  }
  self->filling_columns = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self->columns_group), TRUE);
}

/* Importing */

static void
on_import_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ChronoImportDialog *self = CHRONO_IMPORT_DIALOG (source);
  GTask *task = G_TASK (result);
  Job *job = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  self->importing = FALSE;
  set_busy (self, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->destination_group), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->columns_group), TRUE);
  update_import_button (self);

  if (!g_task_propagate_boolean (task, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_CANCELLED))
        show_error (self, _("The import was cancelled: nothing was changed."));
      else
        show_error (self, error->message);
      return;
    }

  {
    g_autofree char *summary = chrono_import_dup_summary (job->import);
    g_autoptr (GFile) dataset = g_file_new_for_path (job->target_path != NULL ? job->target_path : job->dataset_path);

    g_signal_emit (self, signals[SIGNAL_IMPORTED], 0, dataset, summary);
  }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_import_clicked (ChronoImportDialog *self)
{
  g_autoptr (GTask) task = NULL;
  Job *job;

  if (!self->previewed || self->importing)
    return;

  self->importing = TRUE;
  update_import_button (self);
  show_error (self, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->destination_group), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->columns_group), FALSE);
  set_busy (self, _("Importing…"));

  g_clear_object (&self->import_cancellable);
  self->import_cancellable = g_cancellable_new ();

  job = g_new0 (Job, 1);
  job->path = g_strdup (self->path);
  job->options = chrono_import_options_copy (self->options);
  job->dialog = g_object_ref (self);
  if (gtk_check_button_get_active (self->add_check) && self->dataset_path != NULL)
    job->dataset_path = g_strdup (self->dataset_path);
  else
    {
      g_free (self->target_path);
      self->target_path = chrono_cli_dup_import_path (self->path);
      job->target_path = g_strdup (self->target_path);
    }

  task = g_task_new (self, self->import_cancellable, on_import_done, NULL);
  g_task_set_source_tag (task, on_import_clicked);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, run_job);
}

static void
on_cancel_clicked (ChronoImportDialog *self)
{
  if (self->importing)
    {
      g_cancellable_cancel (self->import_cancellable);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
on_close_request (GtkWindow *window)
{
  ChronoImportDialog *self = CHRONO_IMPORT_DIALOG (window);

  /* Closing while importing cancels, and waits for the files to be cleaned up. */
  if (self->importing)
    {
      g_cancellable_cancel (self->import_cancellable);
      return TRUE;
    }

  return FALSE;
}

static void
chrono_import_dialog_dispose (GObject *object)
{
  ChronoImportDialog *self = CHRONO_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  g_clear_object (&self->import_cancellable);

  G_OBJECT_CLASS (chrono_import_dialog_parent_class)->dispose (object);
}

static void
chrono_import_dialog_finalize (GObject *object)
{
  ChronoImportDialog *self = CHRONO_IMPORT_DIALOG (object);

  g_clear_object (&self->file);
  g_free (self->path);
  g_free (self->dataset_path);
  g_free (self->target_path);
  g_strfreev (self->headers);
  chrono_import_options_free (self->options);

  G_OBJECT_CLASS (chrono_import_dialog_parent_class)->finalize (object);
}

static void
chrono_import_dialog_class_init (ChronoImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = chrono_import_dialog_dispose;
  object_class->finalize = chrono_import_dialog_finalize;
  window_class->close_request = on_close_request;

  /**
   * ChronoImportDialog::imported:
   * @dataset: the dataset the file went into
   * @summary: "Imported N events, M places, S sources; K skipped"
   */
  signals[SIGNAL_IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_FILE, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/chrono-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, table_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, destination_group);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, new_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, add_row);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, new_check);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, add_check);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, preview_group);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, preview_list);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, problems_group);
  gtk_widget_class_bind_template_child (widget_class, ChronoImportDialog, problems_list);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
chrono_import_dialog_init (ChronoImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->options = chrono_import_options_new ();
}

/**
 * chrono_import_dialog_new:
 * @parent: the window to import for
 * @file: the file to import
 * @dataset_path: (nullable): the open dataset, if an import may be added to it
 *
 * Returns: (transfer full): the dialog, which starts reading @file at once
 */
ChronoImportDialog *
chrono_import_dialog_new (GtkWindow  *parent,
                          GFile      *file,
                          const char *dataset_path)
{
  ChronoImportDialog *self;
  g_autofree char *basename = NULL;
  g_autofree char *target = NULL;
  g_autofree char *target_name = NULL;
  g_autoptr (GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (CHRONO_TYPE_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->file = g_object_ref (file);
  self->path = g_file_get_path (file);
  self->dataset_path = g_strdup (dataset_path);

  basename = g_file_get_basename (file);
  adw_window_title_set_subtitle (self->window_title, basename);

  target = chrono_cli_dup_import_path (self->path != NULL ? self->path : basename);
  target_name = g_path_get_basename (target);
  adw_action_row_set_subtitle (self->new_row, target_name);
  gtk_widget_set_visible (GTK_WIDGET (self->add_row), dataset_path != NULL);

  if (self->path == NULL)
    {
      show_error (self, _("Only local files can be imported"));
      return self;
    }

  /* What the table looks like; the rest of the file is read on a thread. */
  {
    g_autoptr (GMappedFile) mapped = g_mapped_file_new (self->path, FALSE, NULL);

    if (mapped != NULL)
      bytes = g_mapped_file_get_bytes (mapped);
  }
  if (bytes != NULL && chrono_import_detect (basename, bytes) == chrono_import_find_format ("csv"))
    fill_columns (self, bytes);

  start_preview (self);
  return self;
}

/* Whether the preview is ready and an import can start. */
gboolean
chrono_import_dialog_is_ready (ChronoImportDialog *self)
{
  g_return_val_if_fail (CHRONO_IS_IMPORT_DIALOG (self), FALSE);

  return self->previewed && !self->importing;
}

/* Returns: (nullable): the preview's counts, e.g. "16 events, 12 places, 1 skipped" */
const char *
chrono_import_dialog_get_counts (ChronoImportDialog *self)
{
  g_return_val_if_fail (CHRONO_IS_IMPORT_DIALOG (self), NULL);

  return self->previewed ? adw_preferences_group_get_description (self->preview_group) : NULL;
}

/* Returns: (nullable): what stops the import, as the dialog shows it */
const char *
chrono_import_dialog_get_error (ChronoImportDialog *self)
{
  g_return_val_if_fail (CHRONO_IS_IMPORT_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}

/* Starts the import, as the Import button does. */
void
chrono_import_dialog_import (ChronoImportDialog *self)
{
  g_return_if_fail (CHRONO_IS_IMPORT_DIALOG (self));

  on_import_clicked (self);
}

/* Chooses how dates such as 03/04/2020 read, as the drop-down does. */
void
chrono_import_dialog_set_date_order (ChronoImportDialog *self,
                                     ChronoDateOrder     order)
{
  g_return_if_fail (CHRONO_IS_IMPORT_DIALOG (self));
  g_return_if_fail (self->date_order_row != NULL);

  adw_combo_row_set_selected (self->date_order_row,
                              order == CHRONO_DATE_ORDER_DMY ? 1 : order == CHRONO_DATE_ORDER_MDY ? 2 : 0);
}

/* Chooses the column of @role by its header, as its drop-down does. */
void
chrono_import_dialog_set_column (ChronoImportDialog *self,
                                 ChronoColumnRole    role,
                                 const char         *header)
{
  g_return_if_fail (CHRONO_IS_IMPORT_DIALOG (self));
  g_return_if_fail (role < CHRONO_COLUMN_N_ROLES);
  g_return_if_fail (self->column_rows[role] != NULL);

  for (guint i = 0; self->headers[i] != NULL; i++)
    if (g_strcmp0 (self->headers[i], header) == 0)
      {
        adw_combo_row_set_selected (ADW_COMBO_ROW (self->column_rows[role]), i + 1);
        return;
      }

  g_return_if_reached ();
}
