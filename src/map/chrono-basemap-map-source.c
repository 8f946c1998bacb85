/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The offline basemap as a map source that shows the tiles' pixels as they
 * are drawn, rather than through shumate's raster renderer, which wants
 * encoded images: no PNG is written on the worker thread and read back on
 * the main thread.
 *
 * Each tile is a ChronoTilePaintable. Under GTK's cairo renderer it draws
 * its cairo surface in a cairo node: GTK 4.8's cairo renderer converts the
 * pixels of every texture node on every frame, whether or not the node is
 * in the area redrawn, which made the map's tiles about a tenth of a frame
 * while the date moved. Under other renderers it is a texture.
 *
 * Which renderer draws is known only once the map's window is realized:
 * asking for OpenGL (GSK_RENDERER=gl, or GTK's own choice) does not mean
 * getting it, since GTK falls back to cairo when GL cannot start (a virtual
 * machine, a remote X session, a broken driver). The tiles follow the
 * renderer the map's window realized (chrono_basemap_map_source_follow_renderer()).
 */
#include "config.h"

#include "chrono-basemap-map-source.h"

/* Tiles ------------------------------------------------------------------ */

/* How a map source's tiles draw, shared by the source and its tiles, so
 * that tiles drawn already (and kept in shumate's caches) follow a change
 * of renderer */
typedef struct
{
  gatomicrefcount ref;
  gboolean        with_cairo;
} TileMode;

static TileMode *
tile_mode_new (void)
{
  TileMode *mode = g_new0 (TileMode, 1);

  g_atomic_ref_count_init (&mode->ref);
  return mode;
}

static TileMode *
tile_mode_ref (TileMode *mode)
{
  g_atomic_ref_count_inc (&mode->ref);
  return mode;
}

static void
tile_mode_unref (TileMode *mode)
{
  if (g_atomic_ref_count_dec (&mode->ref))
    g_free (mode);
}


#define CHRONO_TYPE_TILE_PAINTABLE (chrono_tile_paintable_get_type ())

G_DECLARE_FINAL_TYPE (ChronoTilePaintable, chrono_tile_paintable, CHRONO, TILE_PAINTABLE, GObject)

struct _ChronoTilePaintable
{
  GObject          parent_instance;

  cairo_surface_t *surface;     /* ARGB32, opaque */
  GdkTexture      *texture;     /* made on first use */
  TileMode        *mode;
};

static void chrono_tile_paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ChronoTilePaintable, chrono_tile_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE, chrono_tile_paintable_iface_init))

static GdkTexture *
ensure_texture (ChronoTilePaintable *self)
{
  if (self->texture == NULL)
    {
      int width = cairo_image_surface_get_width (self->surface);
      int height = cairo_image_surface_get_height (self->surface);
      int stride = cairo_image_surface_get_stride (self->surface);
      g_autoptr (GBytes) bytes = g_bytes_new (cairo_image_surface_get_data (self->surface),
                                              (gsize) stride * height);

      /* The tile is opaque, so its premultiplied pixels are also straight
       * ones; GTK 4.8 converts straight ones to what cairo draws quickly,
       * and premultiplied ones slowly, through floats. */
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
      self->texture = gdk_memory_texture_new (width, height, GDK_MEMORY_B8G8R8A8, bytes, stride);
#else
      self->texture = gdk_memory_texture_new (width, height, GDK_MEMORY_A8R8G8B8, bytes, stride);
#endif
    }

  return self->texture;
}

static void
chrono_tile_paintable_snapshot (GdkPaintable *paintable,
                                GdkSnapshot  *snapshot,
                                double        width,
                                double        height)
{
  ChronoTilePaintable *self = CHRONO_TILE_PAINTABLE (paintable);
  cairo_pattern_t *pattern;
  cairo_t *cr;

  if (!self->mode->with_cairo)
    {
      gdk_paintable_snapshot (GDK_PAINTABLE (ensure_texture (self)), snapshot, width, height);
      return;
    }

  cr = gtk_snapshot_append_cairo (GTK_SNAPSHOT (snapshot), &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_scale (cr, width / cairo_image_surface_get_width (self->surface),
               height / cairo_image_surface_get_height (self->surface));
  cairo_set_source_surface (cr, self->surface, 0, 0);
  /* Scaled tiles (between zoom levels) meet without seams */
  pattern = cairo_get_source (cr);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_destroy (cr);
}

static int
chrono_tile_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  return cairo_image_surface_get_width (CHRONO_TILE_PAINTABLE (paintable)->surface);
}

static int
chrono_tile_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  return cairo_image_surface_get_height (CHRONO_TILE_PAINTABLE (paintable)->surface);
}

static GdkPaintableFlags
chrono_tile_paintable_get_flags (GdkPaintable *paintable)
{
  return GDK_PAINTABLE_STATIC_SIZE | GDK_PAINTABLE_STATIC_CONTENTS;
}

static void
chrono_tile_paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = chrono_tile_paintable_snapshot;
  iface->get_intrinsic_width = chrono_tile_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = chrono_tile_paintable_get_intrinsic_height;
  iface->get_flags = chrono_tile_paintable_get_flags;
}

static void
chrono_tile_paintable_finalize (GObject *object)
{
  ChronoTilePaintable *self = CHRONO_TILE_PAINTABLE (object);

  g_clear_pointer (&self->surface, cairo_surface_destroy);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->mode, tile_mode_unref);

  G_OBJECT_CLASS (chrono_tile_paintable_parent_class)->finalize (object);
}

static void
chrono_tile_paintable_class_init (ChronoTilePaintableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = chrono_tile_paintable_finalize;
}

static void
chrono_tile_paintable_init (ChronoTilePaintable *self)
{
}

static GdkPaintable *
chrono_tile_paintable_new (cairo_surface_t *surface,
                           TileMode        *mode)
{
  ChronoTilePaintable *self = g_object_new (CHRONO_TYPE_TILE_PAINTABLE, NULL);

  self->surface = cairo_surface_reference (surface);
  self->mode = tile_mode_ref (mode);
  return GDK_PAINTABLE (self);
}

/* The map source ---------------------------------------------------------- */

struct _ChronoBasemapMapSource
{
  ShumateMapSource     parent_instance;

  ChronoBasemapSource *basemap;
  TileMode            *mode;
};

G_DEFINE_FINAL_TYPE (ChronoBasemapMapSource, chrono_basemap_map_source, SHUMATE_TYPE_MAP_SOURCE)

enum {
  PROP_0,
  PROP_DATA_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_tile_drawn (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  ChronoBasemapMapSource *self = g_task_get_source_object (task);
  ShumateTile *tile = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkPaintable) paintable = NULL;
  cairo_surface_t *surface;

  surface = chrono_basemap_source_render_finish (CHRONO_BASEMAP_SOURCE (object), result, &error);
  if (surface == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  paintable = chrono_tile_paintable_new (surface, self->mode);
  cairo_surface_destroy (surface);
  shumate_tile_set_paintable (tile, paintable);
  shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
  g_task_return_boolean (task, TRUE);
}

static void
chrono_basemap_map_source_fill_tile_async (ShumateMapSource    *source,
                                           ShumateTile         *tile,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  ChronoBasemapMapSource *self = CHRONO_BASEMAP_MAP_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, chrono_basemap_map_source_fill_tile_async);
  g_task_set_task_data (task, g_object_ref (tile), g_object_unref);
  chrono_basemap_source_render_async (self->basemap,
                                      shumate_tile_get_x (tile),
                                      shumate_tile_get_y (tile),
                                      shumate_tile_get_zoom_level (tile),
                                      cancellable, on_tile_drawn, task);
}

static gboolean
chrono_basemap_map_source_fill_tile_finish (ShumateMapSource  *source,
                                            GAsyncResult      *result,
                                            GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
chrono_basemap_map_source_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  ChronoBasemapMapSource *self = CHRONO_BASEMAP_MAP_SOURCE (object);

  switch (prop_id)
    {
    case PROP_DATA_SOURCE:
      g_value_set_object (value, self->basemap);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_basemap_map_source_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  ChronoBasemapMapSource *self = CHRONO_BASEMAP_MAP_SOURCE (object);

  switch (prop_id)
    {
    case PROP_DATA_SOURCE:
      g_set_object (&self->basemap, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
chrono_basemap_map_source_finalize (GObject *object)
{
  ChronoBasemapMapSource *self = CHRONO_BASEMAP_MAP_SOURCE (object);

  g_clear_object (&self->basemap);
  g_clear_pointer (&self->mode, tile_mode_unref);

  G_OBJECT_CLASS (chrono_basemap_map_source_parent_class)->finalize (object);
}

static void
chrono_basemap_map_source_class_init (ChronoBasemapMapSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateMapSourceClass *source_class = SHUMATE_MAP_SOURCE_CLASS (klass);

  object_class->get_property = chrono_basemap_map_source_get_property;
  object_class->set_property = chrono_basemap_map_source_set_property;
  object_class->finalize = chrono_basemap_map_source_finalize;
  source_class->fill_tile_async = chrono_basemap_map_source_fill_tile_async;
  source_class->fill_tile_finish = chrono_basemap_map_source_fill_tile_finish;

  /**
   * ChronoBasemapMapSource:data-source:
   *
   * The basemap that draws the tiles, named as #ShumateRasterRenderer names
   * its own.
   */
  properties[PROP_DATA_SOURCE] =
    g_param_spec_object ("data-source", NULL, NULL,
                         CHRONO_TYPE_BASEMAP_SOURCE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
chrono_basemap_map_source_init (ChronoBasemapMapSource *self)
{
  /* Textures, which any renderer draws, until a renderer is known */
  self->mode = tile_mode_new ();
}

/**
 * chrono_basemap_map_source_new:
 * @basemap: what draws the tiles
 * @id: an id for shumate's caches (chrono_basemap_source_dup_id())
 * @name: the name shown to people
 * @license: the attribution of the data
 * @tile_size: the tiles' size in pixels, as @basemap draws them
 *
 * Returns: (transfer full): a map source over @basemap's zoom levels
 */
ShumateMapSource *
chrono_basemap_map_source_new (ChronoBasemapSource *basemap,
                               const char          *id,
                               const char          *name,
                               const char          *license,
                               guint                tile_size)
{
  g_return_val_if_fail (CHRONO_IS_BASEMAP_SOURCE (basemap), NULL);

  return g_object_new (CHRONO_TYPE_BASEMAP_MAP_SOURCE,
                       "data-source", basemap,
                       "id", id,
                       "name", name,
                       "license", license,
                       "min-zoom-level", CHRONO_BASEMAP_MIN_ZOOM,
                       "max-zoom-level", CHRONO_BASEMAP_MAX_ZOOM,
                       "tile-size", tile_size,
                       "projection", SHUMATE_MAP_PROJECTION_MERCATOR,
                       NULL);
}

ChronoBasemapSource *
chrono_basemap_map_source_get_data_source (ChronoBasemapMapSource *self)
{
  g_return_val_if_fail (CHRONO_IS_BASEMAP_MAP_SOURCE (self), NULL);

  return self->basemap;
}

/**
 * chrono_basemap_map_source_set_renderer:
 * @renderer: (nullable): the renderer that draws the map, or %NULL when
 *   not known
 *
 * Draws the tiles as cairo nodes for GTK's cairo renderer, as textures for
 * any other (and when @renderer is %NULL). Tiles drawn already follow.
 */
void
chrono_basemap_map_source_set_renderer (ChronoBasemapMapSource *self,
                                        GskRenderer            *renderer)
{
  g_return_if_fail (CHRONO_IS_BASEMAP_MAP_SOURCE (self));
  g_return_if_fail (renderer == NULL || GSK_IS_RENDERER (renderer));

  self->mode->with_cairo = renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer);
}

/**
 * chrono_basemap_map_source_get_draws_with_cairo:
 *
 * Returns: whether the tiles are drawn as cairo nodes rather than textures
 */
gboolean
chrono_basemap_map_source_get_draws_with_cairo (ChronoBasemapMapSource *self)
{
  g_return_val_if_fail (CHRONO_IS_BASEMAP_MAP_SOURCE (self), FALSE);

  return self->mode->with_cairo;
}

static void
update_map_renderer (ShumateSimpleMap *map)
{
  ShumateMapSource *source = shumate_simple_map_get_map_source (map);
  GtkNative *native;

  if (!CHRONO_IS_BASEMAP_MAP_SOURCE (source) || !gtk_widget_get_realized (GTK_WIDGET (map)))
    return;

  native = gtk_widget_get_native (GTK_WIDGET (map));
  chrono_basemap_map_source_set_renderer (CHRONO_BASEMAP_MAP_SOURCE (source),
                                          native != NULL ? gtk_native_get_renderer (native) : NULL);
}

static void
on_map_realize (GtkWidget *map,
                gpointer   user_data)
{
  update_map_renderer (SHUMATE_SIMPLE_MAP (map));
}

static void
on_map_source_changed (GObject    *map,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  update_map_renderer (SHUMATE_SIMPLE_MAP (map));
}

/**
 * chrono_basemap_map_source_follow_renderer:
 * @map: a map
 *
 * Keeps @map's offline basemap, whichever it is given, drawing for the
 * renderer its window realized: known once the window is realized, and
 * anew whenever the map is realized again (its window moved to another
 * surface, perhaps with another renderer).
 */
void
chrono_basemap_map_source_follow_renderer (ShumateSimpleMap *map)
{
  g_return_if_fail (SHUMATE_IS_SIMPLE_MAP (map));

  g_signal_connect (map, "realize", G_CALLBACK (on_map_realize), NULL);
  g_signal_connect (map, "notify::map-source", G_CALLBACK (on_map_source_changed), NULL);
  update_map_renderer (map);
}
