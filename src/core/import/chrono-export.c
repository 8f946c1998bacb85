/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-export"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "chrono-export.h"
#include "chrono-time-index.h"

G_DEFINE_QUARK (chrono-export-error-quark, chrono_export_error)

static const ChronoExportFormat * const formats[] = {
  &chrono_export_format_json,
  &chrono_export_format_csv,
  &chrono_export_format_geojson,
  &chrono_export_format_kml,
  &chrono_export_format_lpf,
  NULL
};

const ChronoExportFormat * const *
chrono_export_get_formats (void)
{
  return formats;
}

const ChronoExportFormat *
chrono_export_find_format (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; formats[i] != NULL; i++)
    if (g_ascii_strcasecmp (formats[i]->name, name) == 0)
      return formats[i];

  return NULL;
}

/* Returns: (nullable): the format whose extension @path has ("x.kml": KML) */
const ChronoExportFormat *
chrono_export_format_for_path (const char *path)
{
  const char *dot;

  g_return_val_if_fail (path != NULL, NULL);

  dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return NULL;

  for (guint i = 0; formats[i] != NULL; i++)
    if (g_ascii_strcasecmp (formats[i]->extension, dot + 1) == 0)
      return formats[i];

  /* Linked Places files are JSON-LD, often named .jsonld */
  if (g_ascii_strcasecmp (dot + 1, "jsonld") == 0)
    return &chrono_export_format_lpf;

  return NULL;
}

gboolean
chrono_export_write (GOutputStream  *out,
                     const char     *text,
                     gsize           len,
                     GError        **error)
{
  if (len == (gsize) -1)
    len = strlen (text);

  return g_output_stream_write_all (out, text, len, NULL, NULL, error);
}

/**
 * chrono_export_get_events:
 *
 * Returns: (transfer full) (element-type ChronoEvent): every event, by start
 */
GPtrArray *
chrono_export_get_events (ChronoStore  *store,
                          const char   *lang,
                          GError      **error)
{
  g_autoptr (GArray) spans = NULL;
  g_autoptr (GArray) ids = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (store), NULL);

  spans = chrono_store_get_spans (store, error);
  if (spans == NULL)
    return NULL;

  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), spans->len);
  for (guint i = 0; i < spans->len; i++)
    g_array_append_val (ids, g_array_index (spans, ChronoSpan, i).id);

  return chrono_store_get_events (store, (const gint64 *) (gpointer) ids->data, ids->len, lang, error);
}

/**
 * chrono_export_to_file:
 * @lang: the language of texts to write where the format has one per item
 *
 * Writes the dataset in @store to @path as @format: to a temporary file in
 * the same folder first, renamed into place once complete. On error nothing
 * is left at @path that was not there before.
 */
gboolean
chrono_export_to_file (ChronoStore               *store,
                       const ChronoExportFormat  *format,
                       const char                *path,
                       const char                *lang,
                       GCancellable              *cancellable,
                       GError                   **error)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFile) parent = NULL;
  g_autoptr (GFileOutputStream) stream = NULL;
  g_autoptr (GOutputStream) buffered = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *display = NULL;

  g_return_val_if_fail (CHRONO_IS_STORE (store), FALSE);
  g_return_val_if_fail (format != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  file = g_file_new_for_path (path);
  display = g_filename_display_name (path);
  parent = g_file_get_parent (file);
  if (parent != NULL && !g_file_query_exists (parent, NULL))
    {
      g_autofree char *dir = g_file_get_parse_name (parent);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Cannot write “%s”: the folder “%s” does not exist"), display, dir);
      return FALSE;
    }

  /* g_file_replace writes a temporary file and renames it on close. */
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Cannot write “%s”: %s"), display, local_error->message);
      return FALSE;
    }

  buffered = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (stream), 256 * 1024);
  if (!format->write (store, lang != NULL ? lang : "en", buffered, cancellable, &local_error) ||
      !g_output_stream_flush (buffered, cancellable, &local_error))
    {
      g_autoptr (GCancellable) abort = g_cancellable_new ();

      /* Closing a cancelled replace stream leaves the old file as it was. */
      g_cancellable_cancel (abort);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abort, NULL);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), _("Cannot write “%s”: "), display);
      return FALSE;
    }

  if (!g_output_stream_close (buffered, cancellable, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), _("Cannot write “%s”: "), display);
      return FALSE;
    }

  return TRUE;
}
