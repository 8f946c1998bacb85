/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The map draws for the renderer GTK really realized, not the one asked
 * for: run with an argument saying what is asked for,
 *
 *   gl-disabled  GSK_RENDERER=gl where OpenGL cannot start (GDK_DEBUG=gl-disable):
 *                GTK falls back to cairo, and so must the map;
 *   gl           GSK_RENDERER=gl: OpenGL if it starts here, else cairo;
 *   cairo        GSK_RENDERER=cairo.
 *
 * The tiles and the event layer's marks are cairo nodes under the cairo
 * renderer and textures under any other: the test counts them in the nodes
 * the layers give.
 */
#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <shumate/shumate.h>

#include "chrono-basemap-map-source.h"
#include "chrono-basemap-source.h"
#include "chrono-event-layer.h"
#include "chrono-window.h"
#include "test-run.h"

static const char *asked;

typedef struct
{
  guint cairo;
  guint textures;
} Nodes;

static void
count_nodes (GskRenderNode *node,
             Nodes         *nodes)
{
  if (node == NULL)
    return;

  switch ((int) gsk_render_node_get_node_type (node))
    {
    case GSK_CAIRO_NODE:
      nodes->cairo++;
      break;
    case GSK_TEXTURE_NODE:
      nodes->textures++;
      break;
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        count_nodes (gsk_container_node_get_child (node, i), nodes);
      break;
    case GSK_TRANSFORM_NODE:
      count_nodes (gsk_transform_node_get_child (node), nodes);
      break;
    case GSK_CLIP_NODE:
      count_nodes (gsk_clip_node_get_child (node), nodes);
      break;
    case GSK_ROUNDED_CLIP_NODE:
      count_nodes (gsk_rounded_clip_node_get_child (node), nodes);
      break;
    case GSK_OPACITY_NODE:
      count_nodes (gsk_opacity_node_get_child (node), nodes);
      break;
    case GSK_COLOR_MATRIX_NODE:
      count_nodes (gsk_color_matrix_node_get_child (node), nodes);
      break;
    case GSK_SHADOW_NODE:
      count_nodes (gsk_shadow_node_get_child (node), nodes);
      break;
    case GSK_DEBUG_NODE:
      count_nodes (gsk_debug_node_get_child (node), nodes);
      break;
    case GSK_BLUR_NODE:
      count_nodes (gsk_blur_node_get_child (node), nodes);
      break;
    case GSK_REPEAT_NODE:
      count_nodes (gsk_repeat_node_get_child (node), nodes);
      break;
    case GSK_BLEND_NODE:
      count_nodes (gsk_blend_node_get_bottom_child (node), nodes);
      count_nodes (gsk_blend_node_get_top_child (node), nodes);
      break;
    case GSK_CROSS_FADE_NODE:
      count_nodes (gsk_cross_fade_node_get_start_child (node), nodes);
      count_nodes (gsk_cross_fade_node_get_end_child (node), nodes);
      break;
    default:
      break;
    }
}

/* What a widget draws itself, as its class draws it for a frame */
static Nodes
widget_nodes (GtkWidget *widget)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  Nodes nodes = { 0 };

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  count_nodes (node, &nodes);
  return nodes;
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Tiles on screen: at least a window's width of them */
static gboolean
tiles_shown (gpointer data)
{
  GtkWidget *tiles = find_widget (GTK_WIDGET (chrono_window_get_map (data)), SHUMATE_TYPE_MAP_LAYER);
  Nodes nodes;

  if (tiles == NULL || !gtk_widget_get_mapped (tiles))
    return FALSE;
  nodes = widget_nodes (tiles);
  return nodes.cairo + nodes.textures >= 4;
}

static gboolean
marks_shown (gpointer data)
{
  return chrono_event_layer_get_n_marks (chrono_window_get_event_layer (data)) > 0;
}

static gboolean
is_realized (gpointer data)
{
  return gtk_widget_get_realized (data);
}

static gboolean
draws_with_cairo (ChronoWindow *window)
{
  ShumateMapSource *source = shumate_simple_map_get_map_source (chrono_window_get_map (window));

  g_assert_true (CHRONO_IS_BASEMAP_MAP_SOURCE (source));
  return chrono_basemap_map_source_get_draws_with_cairo (CHRONO_BASEMAP_MAP_SOURCE (source));
}

/* The tiles and the marks, as cairo nodes or as textures */
static void
assert_paths (ChronoWindow *window,
              gboolean      with_cairo)
{
  GtkWidget *tiles = find_widget (GTK_WIDGET (chrono_window_get_map (window)), SHUMATE_TYPE_MAP_LAYER);
  Nodes nodes = widget_nodes (tiles);

  g_test_message ("tiles: %u cairo nodes, %u textures", nodes.cairo, nodes.textures);
  if (with_cairo)
    {
      g_assert_cmpuint (nodes.cairo, >=, 4);
      g_assert_cmpuint (nodes.textures, ==, 0);
    }
  else
    {
      g_assert_cmpuint (nodes.textures, >=, 4);
      g_assert_cmpuint (nodes.cairo, ==, 0);
    }

  nodes = widget_nodes (GTK_WIDGET (chrono_window_get_event_layer (window)));
  g_test_message ("event layer: %u cairo nodes, %u textures", nodes.cairo, nodes.textures);
  if (with_cairo)
    {
      g_assert_cmpuint (nodes.cairo, >=, 1);
      g_assert_cmpuint (nodes.textures, ==, 0);
    }
  else
    g_assert_cmpuint (nodes.textures, >=, 1);
}

static void
test_paths (void)
{
  ChronoWindow *window = chrono_window_new (NULL);
  ShumateSimpleMap *map = chrono_window_get_map (window);
  g_autoptr (ShumateMapSource) other = NULL;
  GskRenderer *renderer;
  gboolean with_cairo;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (tiles_shown, window);
  wait_for (marks_shown, window);

  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  with_cairo = GSK_IS_CAIRO_RENDERER (renderer);
  g_test_message ("asked for %s, GTK realized %s", asked, G_OBJECT_TYPE_NAME (renderer));
  /* OpenGL cannot start: GTK falls back to cairo */
  if (g_str_equal (asked, "gl-disabled") || g_str_equal (asked, "cairo"))
    g_assert_true (with_cairo);

  g_assert_true (draws_with_cairo (window) == with_cairo);
  assert_paths (window, with_cairo);

  /* Realized again (as when a window moves to another surface), the map
   * looks at the renderer anew */
  chrono_basemap_map_source_set_renderer (CHRONO_BASEMAP_MAP_SOURCE (shumate_simple_map_get_map_source (map)),
                                          NULL);
  g_assert_false (draws_with_cairo (window));
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  gtk_widget_unrealize (GTK_WIDGET (window));
  g_assert_false (gtk_widget_get_realized (GTK_WIDGET (map)));
  gtk_window_present (GTK_WINDOW (window));
  wait_for (is_realized, map);
  g_assert_true (draws_with_cairo (window) == GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (window))));
  wait_for (tiles_shown, window);
  assert_paths (window, draws_with_cairo (window));

  /* Another basemap (another style, a new map source) draws the same way */
  other = chrono_basemap_source_new_map_source (CHRONO_BASEMAP_STYLE_DARK, 256, "en");
  g_assert_false (chrono_basemap_map_source_get_draws_with_cairo (CHRONO_BASEMAP_MAP_SOURCE (other)));
  shumate_simple_map_set_map_source (map, other);
  g_assert_true (chrono_basemap_map_source_get_draws_with_cairo (CHRONO_BASEMAP_MAP_SOURCE (other)) == with_cairo);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("chrono-test-renderer-XXXXXX", NULL);

  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  asked = argc > 1 ? argv[argc - 1] : "gl-disabled";
  if (g_str_equal (asked, "gl-disabled"))
    {
      g_setenv ("GSK_RENDERER", "gl", TRUE);
      g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
    }
  else if (g_str_equal (asked, "gl") || g_str_equal (asked, "cairo"))
    g_setenv ("GSK_RENDERER", asked, TRUE);
  else
    g_error ("test-renderer: gl-disabled, gl or cairo, not %s", asked);

  gtk_init ();
  adw_init ();

  g_test_add_func ("/renderer/paths", test_paths);

  return g_test_run ();
}
