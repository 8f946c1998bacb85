/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-mbtiles-source"

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <sqlite3.h>

#include "chrono-mbtiles-source.h"

/*
 * ChronoMbtilesSource reads raster tiles (PNG or JPEG) from an MBTiles file:
 * an sqlite database with a `tiles` table or view (rows in TMS order, north
 * at the top row) and a `metadata` table. The file is checked when it is
 * opened, so a user who picks the wrong file learns it at once and why.
 *
 * Lookups run in worker threads on one read-only connection shared through a
 * refcounted handle that workers own a reference to (never the source object
 * itself); a mutex guards its one prepared statement.
 */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef struct
{
  sqlite3      *db;
  sqlite3_stmt *tile_stmt;
  GMutex        mutex;
  char         *display_name;
  guint         tile_size;   /* the first tile's; every tile served must match */
} Database;

typedef struct
{
  Database     *database;
  int           x;
  int           y;
  int           zoom;
  GCancellable *cancellable;
} TileJob;

struct _ChronoMbtilesSource
{
  ShumateDataSource  parent_instance;

  char              *path;
  char              *format;
  char              *name;
  char              *attribution;
  guint              min_zoom;
  guint              max_zoom;
  guint              tile_size;
  Database          *database;
};

G_DEFINE_FINAL_TYPE (ChronoMbtilesSource, chrono_mbtiles_source, SHUMATE_TYPE_DATA_SOURCE)

G_DEFINE_QUARK (chrono-mbtiles-error-quark, chrono_mbtiles_error)

enum {
  PROP_0,
  PROP_PATH,
  PROP_FORMAT,
  PROP_MIN_ZOOM,
  PROP_MAX_ZOOM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
database_clear (gpointer data)
{
  Database *database = data;

  g_clear_pointer (&database->tile_stmt, sqlite3_finalize);
  g_clear_pointer (&database->db, sqlite3_close);
  g_mutex_clear (&database->mutex);
  g_free (database->display_name);
}

static void
database_unref (Database *database)
{
  g_atomic_rc_box_release_full (database, database_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Database, database_unref)

static void
tile_job_free (gpointer data)
{
  TileJob *job = data;

  g_clear_pointer (&job->database, database_unref);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static gboolean
set_sqlite_error (GError     **error,
                  const char  *display_name,
                  sqlite3     *db,
                  int          rc)
{
  int code = rc & 0xff;
  /* sqlite quotes the file's own bytes, which need not be UTF-8 */
  g_autofree char *message = g_utf8_make_valid (sqlite3_errmsg (db), -1);

  if (code == SQLITE_NOTADB)
    g_set_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_NOT_MBTILES,
                 _("'%s' is not an MBTiles file: it is not an SQLite database"), display_name);
  else if (code == SQLITE_CORRUPT)
    g_set_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_CORRUPT,
                 _("'%s' is damaged and cannot be read (%s)"), display_name, message);
  else
    g_set_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_OPEN,
                 _("Cannot read '%s': %s"), display_name, message);

  return FALSE;
}

static const char *
sniff_format (const guint8 *data,
              gsize         size)
{
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "jpg";
  if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
    return "pbf";
  if (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "webp";

  return NULL;
}

/* The size a PNG or JPEG declares in its header, read without decoding it:
 * a small file can declare an image of gigabytes. */
static gboolean
image_size (GBytes *bytes,
            guint  *out_width,
            guint  *out_height)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  *out_width = *out_height = 0;

  /* PNG: the IHDR chunk comes first */
  if (size >= 24 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp (data + 12, "IHDR", 4) == 0)
    {
      *out_width = (guint) data[16] << 24 | (guint) data[17] << 16 | (guint) data[18] << 8 | data[19];
      *out_height = (guint) data[20] << 24 | (guint) data[21] << 16 | (guint) data[22] << 8 | data[23];
      return TRUE;
    }

  /* JPEG: the first start-of-frame marker */
  if (size >= 4 && data[0] == 0xff && data[1] == 0xd8)
    {
      gsize i = 2;

      while (i + 9 < size)
        {
          guint8 marker;
          gsize length;

          if (data[i] != 0xff)
            return FALSE;
          marker = data[i + 1];
          if (marker == 0xff)
            {
              i++;
              continue;
            }
          length = (gsize) data[i + 2] << 8 | data[i + 3];
          if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
            {
              *out_height = (guint) data[i + 5] << 8 | data[i + 6];
              *out_width = (guint) data[i + 7] << 8 | data[i + 8];
              return TRUE;
            }
          if (length < 2)
            return FALSE;
          i += 2 + length;
        }
    }

  return FALSE;
}

/* Reads a tile on the calling thread; the statement is shared, hence the lock. */
static GBytes *
database_read_tile (Database  *database,
                    int        x,
                    int        y,
                    int        zoom,
                    GError   **error)
{
  /* (clang counts a cleanup-only variable as unused) */
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&database->mutex);
  sqlite3_stmt *stmt = database->tile_stmt;
  GBytes *bytes = NULL;
  int rc;

  if (zoom < 0 || zoom > 30 || x < 0 || y < 0 || x >= (1 << zoom) || y >= (1 << zoom))
    {
      g_set_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_NO_TILE,
                   "'%s' has no tile %d/%d/%d", database->display_name, zoom, x, y);
      return NULL;
    }

  sqlite3_reset (stmt);
  sqlite3_bind_int (stmt, 1, zoom);
  sqlite3_bind_int (stmt, 2, x);
  /* MBTiles rows count from the south (TMS). */
  sqlite3_bind_int (stmt, 3, (1 << zoom) - 1 - y);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const void *blob = sqlite3_column_blob (stmt, 0);
      int size = sqlite3_column_bytes (stmt, 0);

      if (blob != NULL && size > 0)
        bytes = g_bytes_new (blob, size);
    }
  else if (rc != SQLITE_DONE)
    set_sqlite_error (error, database->display_name, database->db, rc);

  if (bytes == NULL && (error == NULL || *error == NULL))
    g_set_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_NO_TILE,
                 "'%s' has no tile %d/%d/%d", database->display_name, zoom, x, y);

  sqlite3_reset (stmt);

  /* Measured from its header before anything decodes it: a tile of another
   * size (a small file can declare an image of gigabytes) is not served */
  if (bytes != NULL && database->tile_size > 0)
    {
      guint width, height;

      if (!image_size (bytes, &width, &height) || width != database->tile_size || height != database->tile_size)
        {
          g_set_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_NO_TILE,
                       "'%s': tile %d/%d/%d is %u×%u pixels, not %u×%u as the file's first",
                       database->display_name, zoom, x, y, width, height,
                       database->tile_size, database->tile_size);
          g_clear_pointer (&bytes, g_bytes_unref);
        }
    }

  return bytes;
}

static void
read_tile_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  TileJob *job = task_data;
  GError *error = NULL;
  GBytes *bytes = NULL;

  if (!g_cancellable_set_error_if_cancelled (job->cancellable, &error))
    bytes = database_read_tile (job->database, job->x, job->y, job->zoom, &error);

  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

/* Main thread: shumate decodes the pixels in its received-data handler. */
static void
on_tile_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TileJob *job = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = g_task_propagate_pointer (G_TASK (result), &error);

  if (bytes == NULL || g_cancellable_set_error_if_cancelled (job->cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_signal_emit_by_name (object, "received-data", job->x, job->y, job->zoom, bytes);
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

static void
chrono_mbtiles_source_get_tile_data_async (ShumateDataSource   *source,
                                           int                  x,
                                           int                  y,
                                           int                  zoom,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  ChronoMbtilesSource *self = CHRONO_MBTILES_SOURCE (source);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  TileJob *job;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, chrono_mbtiles_source_get_tile_data_async);

  job = g_new0 (TileJob, 1);
  job->database = g_atomic_rc_box_acquire (self->database);
  job->x = x;
  job->y = y;
  job->zoom = zoom;
  job->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, job, tile_job_free);

  worker = g_task_new (self, NULL, on_tile_read, g_object_ref (task));
  g_task_set_source_tag (worker, read_tile_thread);
  g_task_set_task_data (worker, job, NULL);
  g_task_run_in_thread (worker, read_tile_thread);
}

static gboolean
open_database (ChronoMbtilesSource  *self,
               GError              **error)
{
  g_autoptr(Database) database = g_atomic_rc_box_new0 (Database);
  g_autoptr(GHashTable) metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) first_tile = NULL;
  const char *display_name;
  const char *format;
  const char *value;
  gboolean has_tiles = FALSE;
  gboolean has_metadata = FALSE;
  int rc;

  g_mutex_init (&database->mutex);
  database->display_name = g_filename_display_basename (self->path);
  display_name = database->display_name;

  if (!g_file_test (self->path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_OPEN,
                   _("Cannot open '%s': there is no such file"), display_name);
      return FALSE;
    }

  rc = sqlite3_open_v2 (self->path, &database->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (error, display_name, database->db, rc);

  rc = sqlite3_prepare_v2 (database->db,
                           "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (error, display_name, database->db, rc);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      has_tiles |= g_strcmp0 (name, "tiles") == 0;
      has_metadata |= g_strcmp0 (name, "metadata") == 0;
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, display_name, database->db, rc);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!has_tiles || !has_metadata)
    {
      g_set_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_NOT_MBTILES,
                   _("'%s' is not an MBTiles file: it has no %s table"),
                   display_name, has_tiles ? "metadata" : "tiles");
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (database->db, "SELECT name, value FROM metadata", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (error, display_name, database->db, rc);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *text = (const char *) sqlite3_column_text (stmt, 1);

      if (name != NULL && text != NULL)
        g_hash_table_replace (metadata, g_strdup (name), g_strdup (text));
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, display_name, database->db, rc);
  g_clear_pointer (&stmt, sqlite3_finalize);

  format = g_hash_table_lookup (metadata, "format");
  if (format != NULL && (g_ascii_strcasecmp (format, "pbf") == 0 || g_ascii_strcasecmp (format, "mvt") == 0))
    goto vector;

  rc = sqlite3_prepare_v2 (database->db, "SELECT tile_data FROM tiles LIMIT 1", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (error, display_name, database->db, rc);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) > 0)
    first_tile = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (error, display_name, database->db, rc);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (first_tile == NULL)
    {
      g_set_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_EMPTY,
                   _("'%s' holds no tiles"), display_name);
      return FALSE;
    }

  /* The bytes decide; the metadata's format is often missing or wrong. */
  format = sniff_format (g_bytes_get_data (first_tile, NULL), g_bytes_get_size (first_tile));
  if (g_strcmp0 (format, "pbf") == 0)
    goto vector;
  if (format == NULL || g_str_equal (format, "webp"))
    {
      g_set_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_UNSUPPORTED_FORMAT,
                   _("The tiles in '%s' are not PNG or JPEG images; choose a raster (PNG or JPEG) MBTiles file"),
                   display_name);
      return FALSE;
    }
  self->format = g_strdup (format);
  {
    guint width, height;

    if (!image_size (first_tile, &width, &height))
      {
        g_set_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_UNSUPPORTED_FORMAT,
                     _("The first tile of '%s' is not a readable PNG or JPEG image"), display_name);
        return FALSE;
      }
    /* Square tiles of 64 to 1024 pixels, a power of two, as map tiles are */
    if (width != height || width < 64 || width > 1024 || (width & (width - 1)) != 0)
      {
        g_set_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_UNSUPPORTED_FORMAT,
                     _("The tiles of '%s' are %u×%u pixels; map tiles are square, of 64 to 1024 pixels"),
                     display_name, width, height);
        return FALSE;
      }
    self->tile_size = width;
    database->tile_size = width;
  }

  {
    gint64 min_zoom = -1, max_zoom = -1;

    value = g_hash_table_lookup (metadata, "minzoom");
    if (value != NULL && g_ascii_isdigit (*value))
      min_zoom = g_ascii_strtoll (value, NULL, 10);
    value = g_hash_table_lookup (metadata, "maxzoom");
    if (value != NULL && g_ascii_isdigit (*value))
      max_zoom = g_ascii_strtoll (value, NULL, 10);
    /* Metadata that makes no sense gives way to the tiles themselves */
    if (min_zoom > 30 || max_zoom > 30 || (max_zoom >= 0 && min_zoom > max_zoom))
      min_zoom = max_zoom = -1;
    if (min_zoom < 0 || max_zoom < 0)
      {
        rc = sqlite3_prepare_v2 (database->db, "SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles", -1, &stmt, NULL);
        if (rc != SQLITE_OK)
          return set_sqlite_error (error, display_name, database->db, rc);
        rc = sqlite3_step (stmt);
        if (rc != SQLITE_ROW)
          return set_sqlite_error (error, display_name, database->db, rc);
        if (min_zoom < 0)
          min_zoom = sqlite3_column_int64 (stmt, 0);
        if (max_zoom < 0)
          max_zoom = sqlite3_column_int64 (stmt, 1);
        g_clear_pointer (&stmt, sqlite3_finalize);
      }

    /* Zoom levels run from 0 to 30; others are not map tiles */
    if (max_zoom < 0 || min_zoom > 30)
      {
        g_set_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_EMPTY,
                     _("'%s' has no tiles at zoom levels 0 to 30"), display_name);
        return FALSE;
      }
    self->min_zoom = (guint) CLAMP (min_zoom, 0, 30);
    self->max_zoom = (guint) CLAMP (max_zoom, self->min_zoom, 30);
  }

  self->name = g_strdup (g_hash_table_lookup (metadata, "name"));
  if (self->name == NULL || *self->name == '\0')
    {
      g_free (self->name);
      self->name = g_strdup (display_name);
    }
  self->attribution = g_strdup (g_hash_table_lookup (metadata, "attribution"));

  rc = sqlite3_prepare_v3 (database->db,
                           "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                           -1, SQLITE_PREPARE_PERSISTENT, &database->tile_stmt, NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (error, display_name, database->db, rc);

  self->database = g_steal_pointer (&database);

  return TRUE;

vector:
  g_set_error (error, CHRONO_MBTILES_ERROR, CHRONO_MBTILES_ERROR_VECTOR,
               _("'%s' holds vector tiles, which Chronotope cannot draw; choose a raster (PNG or JPEG) MBTiles file"),
               display_name);
  return FALSE;
}

static void
chrono_mbtiles_source_finalize (GObject *object)
{
  ChronoMbtilesSource *self = CHRONO_MBTILES_SOURCE (object);

  g_clear_pointer (&self->database, database_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->format, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->attribution, g_free);

  G_OBJECT_CLASS (chrono_mbtiles_source_parent_class)->finalize (object);
}

static void
chrono_mbtiles_source_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  ChronoMbtilesSource *self = CHRONO_MBTILES_SOURCE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_FORMAT:
      g_value_set_string (value, self->format);
      break;
    case PROP_MIN_ZOOM:
      g_value_set_uint (value, self->min_zoom);
      break;
    case PROP_MAX_ZOOM:
      g_value_set_uint (value, self->max_zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_mbtiles_source_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  ChronoMbtilesSource *self = CHRONO_MBTILES_SOURCE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_mbtiles_source_class_init (ChronoMbtilesSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->finalize = chrono_mbtiles_source_finalize;
  object_class->get_property = chrono_mbtiles_source_get_property;
  object_class->set_property = chrono_mbtiles_source_set_property;

  source_class->get_tile_data_async = chrono_mbtiles_source_get_tile_data_async;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_FORMAT] =
    g_param_spec_string ("format", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_MIN_ZOOM] =
    g_param_spec_uint ("min-zoom", NULL, NULL,
                       0, 30, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_MAX_ZOOM] =
    g_param_spec_uint ("max-zoom", NULL, NULL,
                       0, 30, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
chrono_mbtiles_source_init (ChronoMbtilesSource *self)
{
  self->tile_size = 256;
}

/**
 * chrono_mbtiles_source_new:
 * @path: an MBTiles file
 * @error: return location for an error
 *
 * Opens @path read-only and checks that it holds raster (PNG or JPEG)
 * tiles; the error message names the file and says what is wrong.
 *
 * Returns: (transfer full): a new source, or %NULL with @error set
 */
ChronoMbtilesSource *
chrono_mbtiles_source_new (const char  *path,
                           GError     **error)
{
  g_autoptr(ChronoMbtilesSource) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (CHRONO_TYPE_MBTILES_SOURCE, "path", path, NULL);
  if (!open_database (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * chrono_mbtiles_source_new_map_source:
 * @path: an MBTiles file
 * @error: return location for an error
 *
 * A map source for shumate_simple_map_set_map_source() over
 * chrono_mbtiles_source_new(), with the file's zoom range, tile size and
 * attribution, and an id derived from the path for shumate's tile cache.
 *
 * Returns: (transfer full): a new map source, or %NULL with @error set
 */
ShumateMapSource *
chrono_mbtiles_source_new_map_source (const char  *path,
                                      GError     **error)
{
  g_autoptr(ChronoMbtilesSource) source = chrono_mbtiles_source_new (path, error);
  g_autofree char *checksum = NULL;
  g_autofree char *id = NULL;

  if (source == NULL)
    return NULL;

  checksum = g_compute_checksum_for_string (G_CHECKSUM_SHA1, path, -1);
  id = g_strdup_printf ("chronotope-mbtiles-%s", checksum);

  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (id,
                                                               source->name,
                                                               source->attribution,
                                                               NULL,
                                                               source->min_zoom,
                                                               source->max_zoom,
                                                               source->tile_size,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (source)));
}

const char *
chrono_mbtiles_source_get_path (ChronoMbtilesSource *self)
{
  g_return_val_if_fail (CHRONO_IS_MBTILES_SOURCE (self), NULL);

  return self->path;
}

/* "png" or "jpg", from the bytes of the first tile. */
const char *
chrono_mbtiles_source_get_format (ChronoMbtilesSource *self)
{
  g_return_val_if_fail (CHRONO_IS_MBTILES_SOURCE (self), NULL);

  return self->format;
}

const char *
chrono_mbtiles_source_get_name (ChronoMbtilesSource *self)
{
  g_return_val_if_fail (CHRONO_IS_MBTILES_SOURCE (self), NULL);

  return self->name;
}

/* The metadata's attribution, or %NULL when the file has none. */
const char *
chrono_mbtiles_source_get_attribution (ChronoMbtilesSource *self)
{
  g_return_val_if_fail (CHRONO_IS_MBTILES_SOURCE (self), NULL);

  return self->attribution;
}

guint
chrono_mbtiles_source_get_min_zoom (ChronoMbtilesSource *self)
{
  g_return_val_if_fail (CHRONO_IS_MBTILES_SOURCE (self), 0);

  return self->min_zoom;
}

guint
chrono_mbtiles_source_get_max_zoom (ChronoMbtilesSource *self)
{
  g_return_val_if_fail (CHRONO_IS_MBTILES_SOURCE (self), 0);

  return self->max_zoom;
}

guint
chrono_mbtiles_source_get_tile_size (ChronoMbtilesSource *self)
{
  g_return_val_if_fail (CHRONO_IS_MBTILES_SOURCE (self), 256);

  return self->tile_size;
}

/**
 * chrono_mbtiles_source_read_tile:
 * @self: a #ChronoMbtilesSource
 * @x: tile column
 * @y: tile row, XYZ (north at 0); the TMS flip is done here
 * @zoom: zoom level
 * @error: return location for an error
 *
 * Reads one tile on the calling thread, without emitting any signal.
 *
 * Returns: (transfer full): the tile's image bytes, or %NULL with @error set
 */
GBytes *
chrono_mbtiles_source_read_tile (ChronoMbtilesSource  *self,
                                 int                   x,
                                 int                   y,
                                 int                   zoom,
                                 GError              **error)
{
  g_return_val_if_fail (CHRONO_IS_MBTILES_SOURCE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return database_read_tile (self->database, x, y, zoom, error);
}
