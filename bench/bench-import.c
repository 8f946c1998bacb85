/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Times `chronotope --import` on generated CSV and GeoJSON files of 10k,
 * 100k and 1M events, with its peak memory, beside GDAL's ogr2ogr writing
 * the same files to a GeoPackage. See README.md in this directory.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "bench-common.h"
#include "chrono-store.h"

#define SEED          20240611u
#define N_PLACES      2000
#define N_SOURCES     40
#define FIRST_YEAR    1995
#define N_YEARS       30

typedef enum
{
  TOOL_CHRONOTOPE,
  TOOL_OGR2OGR,
  N_TOOLS
} Tool;

static const char * const tool_names[N_TOOLS] = { "chronotope", "ogr2ogr" };

typedef enum
{
  FORMAT_CSV,
  FORMAT_GEOJSON,
  N_FORMATS
} Format;

static const char * const format_names[N_FORMATS] = { "csv", "geojson" };

typedef struct
{
  gboolean ok;
  double   seconds;
  double   rss_mb;
  double   out_mb;
} Measure;

typedef struct
{
  char   *name;
  double  lat;
  double  lon;
} Place;

/* Names made of two parts: 50 × 40 = 2,000 places, a few with accents or
 * spaces, as a gazetteer has them. */
static const char * const name_heads[] = {
  "Alder", "Ash", "Bel", "Black", "Bram", "Bryn", "Carr", "Clay", "Cold", "Crow",
  "Dun", "East", "Elm", "Fair", "Fern", "Glen", "Gold", "Hal", "Hart", "High",
  "Holm", "Kil", "King", "Lang", "Lea", "Long", "Marl", "Mill", "Moor", "New",
  "North", "Oak", "Old", "Pen", "Red", "Ros", "Rye", "Salt", "South", "Stan",
  "Stone", "Thorn", "Wal", "West", "White", "Wick", "Wood", "Øster", "Saint-Étienne ", "Val ",
};

static const char * const name_tails[] = {
  "bridge", "brook", "burn", "bury", "by", "caster", "combe", "cote", "dale", "den",
  "don", "field", "ford", "gate", "ham", "haven", "hill", "holme", "hurst", "ing",
  "kirk", "land", "leigh", "ley", "mere", "minster", "mouth", "ness", "port", "stead",
  "stoke", "stow", "thorpe", "ton", "vale", "wark", "well", "wick", "worth", "yard",
};

static const char * const categories[] = {
  "battle", "treaty", "election", "flood", "earthquake", "protest", "founding",
  "fire", "festival", "strike", "epidemic", "coronation",
};

static const char * const title_words[] = {
  "Great", "Second", "Minor", "Northern", "Winter", "Spring", "Last", "First", "Long", "Short",
};

static const char * const source_kinds[] = {
  "Gazette", "Chronicle", "Parish Register", "Town Archive", "Herald", "Courier", "Annals", "Yearbook",
};

static const char * const words[] = {
  "the", "council", "met", "after", "heavy", "rain", "crowds", "gathered", "near", "market",
  "square", "while", "officials", "reported", "damage", "to", "several", "houses", "and", "the",
  "old", "bridge", "witnesses", "described", "a", "long", "night", "of", "unrest", "in",
  "town", "records", "mention", "soldiers", "arriving", "from", "the", "north", "before", "dawn",
  "harvest", "was", "lost", "many", "families", "left", "for", "the", "coast", "that",
  "year", "church", "bells", "rang", "until", "noon", "merchants", "closed", "their", "shops",
};

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static const char *
pick (GRand              *rand,
      const char * const *list,
      guint               n)
{
  return list[g_rand_int_range (rand, 0, n)];
}

#define PICK(rand, list) pick ((rand), (list), G_N_ELEMENTS (list))

static Place *
make_places (GRand *rand)
{
  Place *places = g_new (Place, N_PLACES);

  G_STATIC_ASSERT (G_N_ELEMENTS (name_heads) * G_N_ELEMENTS (name_tails) == N_PLACES);

  for (guint i = 0; i < N_PLACES; i++)
    {
      places[i].name = g_strconcat (name_heads[i / G_N_ELEMENTS (name_tails)],
                                    name_tails[i % G_N_ELEMENTS (name_tails)], NULL);
      /* Europe, roughly, with five decimals as a geocoder gives them */
      places[i].lat = g_rand_int_range (rand, 3500000, 6000000) / 100000.0;
      places[i].lon = g_rand_int_range (rand, -1000000, 3000000) / 100000.0;
    }

  return places;
}

/* A text of about 80 characters; some have a comma or a quoted phrase,
 * which the CSV has to quote. */
static void
append_description (GRand   *rand,
                    GString *out)
{
  gsize start = out->len;
  guint n = 0;

  g_string_append (out, "In ");
  while (out->len - start < 76)
    {
      if (n > 0)
        g_string_append (out, n == 5 && g_rand_int_range (rand, 0, 3) == 0 ? ", " : " ");
      if (n == 7 && g_rand_int_range (rand, 0, 20) == 0)
        g_string_append (out, "\"as the papers said\" ");
      g_string_append (out, PICK (rand, words));
      n++;
    }
  g_string_append_c (out, '.');
}

typedef struct
{
  char   *date;
  char   *title;
  char   *description;
  Place  *place;
  char   *category;
  char   *source;
} Row;

static void
make_row (GRand   *rand,
          Place   *places,
          GString *scratch,
          Row     *row)
{
  static const guint32 n_days = N_YEARS * 365 + N_YEARS / 4;
  g_autoptr (GDate) date = g_date_new_dmy (1, 1, FIRST_YEAR);
  const char *category = PICK (rand, categories);

  g_date_add_days (date, g_rand_int_range (rand, 0, n_days));
  row->date = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date),
                               g_date_get_month (date), g_date_get_day (date));
  row->place = &places[g_rand_int_range (rand, 0, N_PLACES)];
  row->category = g_strdup (category);
  /* "Great flood at Alderford", "Strike at Kilby, second day" */
  if (g_rand_int_range (rand, 0, 4) == 0)
    row->title = g_strdup_printf ("%s %s at %s", PICK (rand, title_words), category, row->place->name);
  else if (g_rand_int_range (rand, 0, 10) == 0)
    row->title = g_strdup_printf ("%c%s at %s, day %d", g_ascii_toupper (category[0]), category + 1,
                                  row->place->name, g_rand_int_range (rand, 2, 6));
  else
    row->title = g_strdup_printf ("%c%s at %s", g_ascii_toupper (category[0]), category + 1,
                                  row->place->name);
  g_string_truncate (scratch, 0);
  append_description (rand, scratch);
  row->description = g_strdup (scratch->str);
  row->source = g_strdup_printf ("%s %s", places[g_rand_int_range (rand, 0, N_SOURCES) * (N_PLACES / N_SOURCES)].name,
                                 PICK (rand, source_kinds));
}

static void
row_clear (Row *row)
{
  g_free (row->date);
  g_free (row->title);
  g_free (row->description);
  g_free (row->category);
  g_free (row->source);
}

static void
append_csv_field (GString    *out,
                  const char *text)
{
  if (strpbrk (text, ",\"\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static gboolean
flush (GString  *buf,
       FILE     *file,
       gboolean  force)
{
  if (!force && buf->len < 1 << 16)
    return TRUE;
  if (fwrite (buf->str, 1, buf->len, file) != buf->len)
    return FALSE;
  g_string_truncate (buf, 0);
  return TRUE;
}

/*
 * Writes the same @n_events rows as a CSV table and as a GeoJSON
 * FeatureCollection, a buffer at a time: the benchmark must stay small, as
 * its children start with its memory.
 */
static gboolean
generate (const char *csv_path,
          const char *geojson_path,
          guint       n_events)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (SEED);
  g_autoptr (GString) csv = g_string_sized_new (1 << 17);
  g_autoptr (GString) json = g_string_sized_new (1 << 17);
  g_autoptr (GString) scratch = g_string_new (NULL);
  Place *places = make_places (rand);
  FILE *csv_file = g_fopen (csv_path, "wb");
  FILE *json_file = g_fopen (geojson_path, "wb");
  gboolean ok = csv_file != NULL && json_file != NULL;

  g_string_append (csv, "event_date,title,description,place,latitude,longitude,category,source\n");
  g_string_append (json, "{\"type\":\"FeatureCollection\",\"features\":[\n");

  for (guint i = 0; ok && i < n_events; i++)
    {
      char lat[G_ASCII_DTOSTR_BUF_SIZE], lon[G_ASCII_DTOSTR_BUF_SIZE];
      Row row;

      make_row (rand, places, scratch, &row);
      g_ascii_formatd (lat, sizeof lat, "%.5f", row.place->lat);
      g_ascii_formatd (lon, sizeof lon, "%.5f", row.place->lon);

      g_string_append_printf (csv, "%s,", row.date);
      append_csv_field (csv, row.title);
      g_string_append_c (csv, ',');
      append_csv_field (csv, row.description);
      g_string_append_c (csv, ',');
      append_csv_field (csv, row.place->name);
      g_string_append_printf (csv, ",%s,%s,%s,", lat, lon, row.category);
      append_csv_field (csv, row.source);
      g_string_append_c (csv, '\n');

      g_string_append_printf (json, "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[%s,%s]},"
                              "\"properties\":{\"event_date\":\"%s\",\"title\":", lon, lat, row.date);
      append_json_string (json, row.title);
      g_string_append (json, ",\"description\":");
      append_json_string (json, row.description);
      g_string_append (json, ",\"place\":");
      append_json_string (json, row.place->name);
      g_string_append_printf (json, ",\"category\":\"%s\",\"source\":", row.category);
      append_json_string (json, row.source);
      g_string_append (json, i + 1 < n_events ? "}},\n" : "}}\n");

      row_clear (&row);
      ok = flush (csv, csv_file, FALSE) && flush (json, json_file, FALSE);
    }

  g_string_append (json, "]}\n");
  ok = ok && flush (csv, csv_file, TRUE) && flush (json, json_file, TRUE);
  if (csv_file != NULL)
    ok = fclose (csv_file) == 0 && ok;
  if (json_file != NULL)
    ok = fclose (json_file) == 0 && ok;

  for (guint i = 0; i < N_PLACES; i++)
    g_free (places[i].name);
  g_free (places);

  return ok;
}

static double
file_mb (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size / (1024.0 * 1024.0) : 0;
}

static void
remove_outputs (const char *dir)
{
  static const char * const names[] = {
    "out.chronotope", "out.chronotope-wal", "out.chronotope-shm", "out.chronotope-journal",
    "out.gpkg", "out.gpkg-wal", "out.gpkg-shm", "out.gpkg-journal", "stdout.txt", "stderr.txt",
  };
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_unlink (path);
    }

  /* What an interrupted import leaves: out.chronotope.XXXXXX */
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "out.chronotope."))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_unlink (path);
      }
}

/*
 * Runs @argv in a child, its output into files in @dir, and measures its
 * wall time and peak resident memory (the child's own, from wait4: the
 * benchmark is small when it forks, so it adds little).
 */
static gboolean
run_child (const char * const *argv,
           const char         *dir,
           double             *out_seconds,
           double             *out_rss_mb)
{
  g_autofree char *out_path = g_build_filename (dir, "stdout.txt", NULL);
  g_autofree char *err_path = g_build_filename (dir, "stderr.txt", NULL);
  struct rusage usage;
  gint64 start;
  int status;
  pid_t pid;

  fflush (stdout);
  fflush (stderr);
  start = now_ns ();
  pid = fork ();
  if (pid < 0)
    {
      g_printerr ("bench-import: fork: %s\n", g_strerror (errno));
      return FALSE;
    }

  if (pid == 0)
    {
      int out_fd = open (out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      int err_fd = open (err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

      if (out_fd < 0 || err_fd < 0 || dup2 (out_fd, 1) < 0 || dup2 (err_fd, 2) < 0)
        _exit (127);
      close (out_fd);
      close (err_fd);
      /* The summary line is read in English; no settings are written. */
      setenv ("LC_ALL", "C.UTF-8", TRUE);
      unsetenv ("LANGUAGE");
      setenv ("GSETTINGS_BACKEND", "memory", TRUE);
      execv (argv[0], (char * const *) argv);
      _exit (127);
    }

  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      {
        g_printerr ("bench-import: wait4: %s\n", g_strerror (errno));
        return FALSE;
      }

  *out_seconds = (now_ns () - start) / 1e9;
  /* Linux gives ru_maxrss in KiB */
  *out_rss_mb = usage.ru_maxrss / 1024.0;

  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_autofree char *err = NULL;

      g_file_get_contents (err_path, &err, NULL, NULL);
      g_printerr ("bench-import: %s failed (%s %d):\n%s\n", argv[0],
                  WIFEXITED (status) ? "status" : "signal",
                  WIFEXITED (status) ? WEXITSTATUS (status) : WTERMSIG (status),
                  err != NULL ? err : "");
      return FALSE;
    }

  return TRUE;
}

/* The number N in the child's "Imported N events, …" line, or -1. */
static gint64
read_imported_count (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "stdout.txt", NULL);
  g_autofree char *text = NULL;
  const char *line;
  guint n;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;

  line = strstr (text, "Imported ");
  if (line == NULL || sscanf (line, "Imported %u events", &n) != 1)
    return -1;

  return n;
}

/* Opens the dataset in a child (so that the benchmark stays small) and
 * checks that it holds @n_events events. */
static gboolean
check_dataset (const char *path,
               guint       n_events)
{
  int status;
  pid_t pid = fork ();

  if (pid < 0)
    return FALSE;

  if (pid == 0)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (ChronoStore) store = chrono_store_open (path, &error);
      ChronoStoreCounts counts = { 0 };

      if (store == NULL || !chrono_store_get_counts (store, &counts, &error))
        {
          g_printerr ("bench-import: %s: %s\n", path, error->message);
          _exit (1);
        }
      if (counts.events != n_events)
        {
          g_printerr ("bench-import: %s holds %u events, not %u\n", path, counts.events, n_events);
          _exit (1);
        }
      _exit (0);
    }

  return waitpid (pid, &status, 0) == pid && WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

/* The "Feature Count" that ogrinfo gives for the layer of @path, or -1. */
static gint64
read_feature_count (const char *ogrinfo,
                    const char *path)
{
  const char *argv[] = { ogrinfo, "-ro", "-so", "-al", path, NULL };
  g_autofree char *out = NULL;
  const char *line;
  int status;
  guint n;

  if (ogrinfo == NULL ||
      !g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return -1;

  line = strstr (out, "Feature Count: ");
  if (line == NULL || sscanf (line, "Feature Count: %u", &n) != 1)
    return -1;

  return n;
}

typedef struct
{
  const char *chronotope;
  const char *ogr2ogr;
  const char *ogrinfo;
  const char *dir;
} Setup;

static Measure
measure (const Setup *setup,
         Tool         tool,
         Format       format,
         const char  *input,
         guint        n_events)
{
  g_autofree char *target = g_build_filename (setup->dir, tool == TOOL_CHRONOTOPE ? "out.chronotope" : "out.gpkg", NULL);
  g_autofree char *import_arg = g_strconcat ("--import=", input, NULL);
  g_autofree char *into_arg = g_strconcat ("--into=", target, NULL);
  Measure m = { FALSE, 0, 0, 0 };

  /* Each run builds its output from nothing */
  remove_outputs (setup->dir);

  if (tool == TOOL_CHRONOTOPE)
    {
      const char *argv[] = { setup->chronotope, import_arg, into_arg, NULL };
      gint64 n;

      if (!run_child (argv, setup->dir, &m.seconds, &m.rss_mb))
        return m;
      n = read_imported_count (setup->dir);
      if (n != n_events)
        {
          g_printerr ("bench-import: chronotope imported %" G_GINT64_FORMAT " events of %u\n", n, n_events);
          return m;
        }
      if (!check_dataset (target, n_events))
        return m;
    }
  else
    {
      const char *csv_argv[] = {
        setup->ogr2ogr, "-f", "GPKG", target, input,
        "-oo", "X_POSSIBLE_NAMES=longitude", "-oo", "Y_POSSIBLE_NAMES=latitude", NULL
      };
      const char *geojson_argv[] = { setup->ogr2ogr, "-f", "GPKG", target, input, NULL };
      gint64 n;

      if (!run_child (format == FORMAT_CSV ? csv_argv : geojson_argv, setup->dir, &m.seconds, &m.rss_mb))
        return m;
      n = read_feature_count (setup->ogrinfo, target);
      if (setup->ogrinfo != NULL && n != n_events)
        {
          g_printerr ("bench-import: ogr2ogr wrote %" G_GINT64_FORMAT " features of %u\n", n, n_events);
          return m;
        }
    }

  m.out_mb = file_mb (target);
  m.ok = TRUE;
  return m;
}

static gboolean
parse_formats (const char *text,
               gboolean    wanted[N_FORMATS])
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);

  for (guint f = 0; f < N_FORMATS; f++)
    wanted[f] = FALSE;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint f = 0; f < N_FORMATS; f++)
        if (g_ascii_strcasecmp (g_strstrip (parts[i]), format_names[f]) == 0)
          wanted[f] = found = TRUE;
      if (!found)
        return FALSE;
    }

  return TRUE;
}

/* The load average over the last minute: others share the machine. */
static double
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return -1;
  return g_ascii_strtod (text, NULL);
}

static char *
ogr2ogr_version (const char *ogr2ogr)
{
  const char *argv[] = { ogr2ogr, "--version", NULL };
  char *out = NULL;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, NULL, NULL))
    return g_strdup ("unknown version");
  return g_strchomp (out);
}

/* The peak that a child starts with: what fork copies of the benchmark. */
static double
baseline_rss (const char *dir)
{
  const char *argv[] = { "/bin/true", NULL };
  double seconds = 0, rss = 0;

  return run_child (argv, dir, &seconds, &rss) ? rss : 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *sizes_text = NULL;
  g_autofree char *formats_text = NULL;
  g_autofree char *chronotope = NULL;
  g_autofree char *ogr2ogr = NULL;
  g_autofree char *ogrinfo = NULL;
  g_autofree char *dir = NULL;
  gboolean wanted[N_FORMATS] = { TRUE, TRUE };
  gboolean keep = FALSE;
  gboolean failed = FALSE;
  int runs = 3;
  Setup setup;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs of each measurement; the best is kept (3)", "N" },
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes_text, "Numbers of events (10k,100k,1M)", "N,N…" },
    { "formats", 0, 0, G_OPTION_ARG_STRING, &formats_text, "Formats to import (csv,geojson)", "F,F…" },
    { "chronotope", 0, 0, G_OPTION_ARG_FILENAME, &chronotope,
      "The chronotope program (that of this build)", "PATH" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the generated files", NULL },
    { NULL }
  };

  context = g_option_context_new ("— time chronotope --import against ogr2ogr");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-import: %s\n", error->message);
      return 2;
    }
  if (runs < 1 ||
      !bench_parse_sizes (sizes_text != NULL ? sizes_text : "10k,100k,1M", sizes) ||
      (formats_text != NULL && !parse_formats (formats_text, wanted)))
    {
      g_printerr ("bench-import: bad --runs, --sizes or --formats\n");
      return 2;
    }

  if (chronotope == NULL)
    chronotope = bench_find_build_file ("src/chronotope");
  if (chronotope == NULL || !g_file_test (chronotope, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("bench-import: no chronotope program at %s: build it, or give --chronotope=PATH\n",
                  chronotope != NULL ? chronotope : "?");
      return 2;
    }

  ogr2ogr = g_find_program_in_path ("ogr2ogr");
  ogrinfo = g_find_program_in_path ("ogrinfo");
  dir = g_dir_make_tmp ("chronotope-bench-import-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("bench-import: %s\n", error->message);
      return 1;
    }

  setup = (Setup) { chronotope, ogr2ogr, ogrinfo, dir };
  g_print ("chronotope: %s\n", chronotope);
  if (ogr2ogr != NULL)
    {
      g_autofree char *version = ogr2ogr_version (ogr2ogr);

      g_print ("ogr2ogr: %s (%s)\n", ogr2ogr, version);
    }
  else
    g_print ("ogr2ogr: not installed (Debian: apt install gdal-bin); measuring chronotope alone\n");
  g_print ("data: %s\n", dir);
  g_print ("runs: %d of each, the best kept; a child starts at %.1f MB\n", runs, baseline_rss (dir));

  for (guint s = 0; s < sizes->len; s++)
    {
      guint n_events = g_array_index (sizes, guint, s);
      g_autofree char *csv_path = g_strdup_printf ("%s/events-%u.csv", dir, n_events);
      g_autofree char *geojson_path = g_strdup_printf ("%s/events-%u.geojson", dir, n_events);
      gint64 start = now_ns ();

      if (!generate (csv_path, geojson_path, n_events))
        {
          g_printerr ("bench-import: could not write the files in %s\n", dir);
          failed = TRUE;
          break;
        }
      g_print ("generate events=%u csv_mb=%.1f geojson_mb=%.1f s=%.2f\n", n_events,
               file_mb (csv_path), file_mb (geojson_path), (now_ns () - start) / 1e9);

      for (guint f = 0; f < N_FORMATS; f++)
        {
          const char *input = f == FORMAT_CSV ? csv_path : geojson_path;
          Measure best[N_TOOLS] = { { FALSE, G_MAXDOUBLE, 0, 0 }, { FALSE, G_MAXDOUBLE, 0, 0 } };
          guint n_tools = ogr2ogr != NULL ? N_TOOLS : 1;

          if (!wanted[f])
            continue;

          for (int r = 0; r < runs; r++)
            for (guint k = 0; k < n_tools; k++)
              {
                /* Alternating which goes first, so that neither always
                 * finds the caches warmed by the other */
                Tool tool = n_tools == 1 ? TOOL_CHRONOTOPE : (Tool) ((k + r) % N_TOOLS);
                Measure m = measure (&setup, tool, f, input, n_events);

                if (!m.ok)
                  {
                    failed = TRUE;
                    continue;
                  }
                g_print ("run format=%s events=%u run=%d tool=%s s=%.3f rss_mb=%.1f out_mb=%.1f load=%.2f\n",
                         format_names[f], n_events, r + 1, tool_names[tool], m.seconds, m.rss_mb, m.out_mb,
                         load_average ());
                /* The best time; memory barely moves, so the highest is kept */
                best[tool].ok = TRUE;
                best[tool].seconds = MIN (best[tool].seconds, m.seconds);
                best[tool].rss_mb = MAX (best[tool].rss_mb, m.rss_mb);
                best[tool].out_mb = m.out_mb;
              }
          remove_outputs (dir);

          if (!best[TOOL_CHRONOTOPE].ok)
            continue;
          g_print ("import format=%s events=%u chronotope_s=%.3f chronotope_rss_mb=%.1f",
                   format_names[f], n_events, best[TOOL_CHRONOTOPE].seconds, best[TOOL_CHRONOTOPE].rss_mb);
          if (best[TOOL_OGR2OGR].ok)
            g_print (" ogr2ogr_s=%.3f ogr2ogr_rss_mb=%.1f ratio=%.2f",
                     best[TOOL_OGR2OGR].seconds, best[TOOL_OGR2OGR].rss_mb,
                     best[TOOL_CHRONOTOPE].seconds / best[TOOL_OGR2OGR].seconds);
          g_print ("\n");
        }

      if (!keep)
        {
          g_unlink (csv_path);
          g_unlink (geojson_path);
        }
    }

  remove_outputs (dir);
  if (!keep)
    g_rmdir (dir);

  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
