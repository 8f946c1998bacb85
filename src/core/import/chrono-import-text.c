/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "chrono-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "chrono-import.h"
#include "chrono-import-formats.h"

/*
 * Text helpers every reader shares: HTML to plain text, length limits, ids
 * made from names, and JSON parsed safely.
 */

/**
 * chrono_import_text_limit:
 * @max_bytes: the most bytes to keep
 *
 * A copy of @text as valid UTF-8 (invalid bytes become U+FFFD), cut at a
 * character boundary after at most @max_bytes, with "…" when cut.
 */
char *
chrono_import_text_limit (const char *text,
                          gsize       max_bytes)
{
  g_autofree char *valid = NULL;
  const char *end;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);

  len = strlen (text);
  if (!g_utf8_validate_len (text, MIN (len, max_bytes + 8), NULL))
    {
      valid = g_utf8_make_valid (text, MIN (len, max_bytes + 8));
      text = valid;
      len = strlen (text);
    }

  if (len <= max_bytes)
    return g_strdup (text);

  end = g_utf8_find_prev_char (text, text + max_bytes + 1);
  if (end == NULL)
    end = text;

  {
    GString *cut = g_string_new_len (text, end - text);

    g_string_append (cut, "…");
    return g_string_free (cut, FALSE);
  }
}

static const struct
{
  const char *name;
  const char *text;
} entities[] = {
  { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
  { "nbsp", "\u00a0" }, { "ndash", "–" }, { "mdash", "—" }, { "hellip", "…" },
  { "lsquo", "‘" }, { "rsquo", "’" }, { "ldquo", "“" }, { "rdquo", "”" },
  { "laquo", "«" }, { "raquo", "»" }, { "copy", "©" }, { "deg", "°" },
  { "eacute", "é" }, { "egrave", "è" }, { "agrave", "à" }, { "ccedil", "ç" },
  { "uuml", "ü" }, { "ouml", "ö" }, { "auml", "ä" }, { "szlig", "ß" },
};

/* Reads "&…;" at @p into @out; returns the bytes used, 0 if not an entity. */
static gsize
decode_entity (const char *p,
               GString    *out)
{
  const char *semi = p + 1;

  while (*semi != '\0' && *semi != ';' && semi - p < 12)
    semi++;
  if (*semi != ';')
    return 0;

  if (p[1] == '#')
    {
      gunichar c;
      char *end;

      if (p[2] == 'x' || p[2] == 'X')
        c = g_ascii_strtoull (p + 3, &end, 16);
      else
        c = g_ascii_strtoull (p + 2, &end, 10);
      if (end != semi || !g_unichar_validate (c) || c == 0)
        return 0;
      g_string_append_unichar (out, c);
      return semi - p + 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if ((gsize) (semi - p - 1) == strlen (entities[i].name) &&
        strncmp (p + 1, entities[i].name, semi - p - 1) == 0)
      {
        g_string_append (out, entities[i].text);
        return semi - p + 1;
      }

  return 0;
}

static gboolean
tag_is (const char *tag,
        gsize       len,
        const char *name)
{
  gsize n = strlen (name);

  return len >= n && g_ascii_strncasecmp (tag, name, n) == 0 &&
         (len == n || !g_ascii_isalnum (tag[n]));
}

/**
 * chrono_import_text_from_html:
 *
 * Plain text from the HTML that TimelineJS, StoryMapJS and KML descriptions
 * carry: tags removed, paragraphs and line breaks as newlines, list items
 * as lines, entities decoded, runs of blanks made one, scripts and styles
 * dropped. Text that is not HTML comes back as it was (trimmed).
 */
char *
chrono_import_text_from_html (const char *html)
{
  g_autoptr (GString) out = NULL;
  const char *p;

  g_return_val_if_fail (html != NULL, NULL);

  out = g_string_sized_new (strlen (html));
  p = html;
  while (*p != '\0')
    {
      if (*p == '<')
        {
          const char *name = p + 1;
          const char *close = strchr (p, '>');
          gboolean closing = FALSE;
          gsize len;

          if (close == NULL)
            {
              g_string_append (out, p);
              break;
            }

          if (g_str_has_prefix (p, "<!--"))
            {
              const char *end = strstr (p + 4, "-->");

              p = end != NULL ? end + 3 : p + strlen (p);
              continue;
            }

          if (*name == '/')
            {
              closing = TRUE;
              name++;
            }
          len = close - name;

          if (!closing && (tag_is (name, len, "script") || tag_is (name, len, "style")))
            {
              const char *end = strstr (close, tag_is (name, len, "script") ? "</script" : "</style");

              if (end == NULL)
                end = strstr (close, tag_is (name, len, "script") ? "</SCRIPT" : "</STYLE");
              p = end != NULL ? strchr (end, '>') : NULL;
              p = p != NULL ? p + 1 : close + 1;
              continue;
            }

          /* Paragraphs are set apart by an empty line (a newline where they
           * open and one where they close); rows and line breaks by a newline */
          if (tag_is (name, len, "p") || tag_is (name, len, "div") || tag_is (name, len, "h1") ||
              tag_is (name, len, "h2") || tag_is (name, len, "h3") || tag_is (name, len, "h4") ||
              tag_is (name, len, "blockquote"))
            g_string_append_c (out, '\n');
          else if (tag_is (name, len, "br") ||
                   (!closing && (tag_is (name, len, "tr") || tag_is (name, len, "ul") ||
                                 tag_is (name, len, "ol") || tag_is (name, len, "table"))))
            g_string_append_c (out, '\n');
          else if (!closing && tag_is (name, len, "li"))
            g_string_append (out, "\n• ");
          else if (tag_is (name, len, "td") || tag_is (name, len, "th"))
            g_string_append_c (out, ' ');

          p = close + 1;
          continue;
        }

      if (*p == '&')
        {
          gsize used = decode_entity (p, out);

          if (used > 0)
            {
              p += used;
              continue;
            }
        }

      g_string_append_c (out, *p);
      p++;
    }

  /* Blanks: one space inside lines, at most one empty line between paragraphs. */
  {
    g_autoptr (GString) clean = g_string_sized_new (out->len);
    guint newlines = 0;
    gboolean space = FALSE;

    for (const char *q = out->str; *q != '\0'; q = g_utf8_next_char (q))
      {
        gunichar c = g_utf8_get_char (q);

        if (c == '\n' || c == '\r')
          {
            if (c == '\n')
              newlines++;
            space = FALSE;
            continue;
          }
        if (c == ' ' || c == '\t' || c == 0xa0)
          {
            space = TRUE;
            continue;
          }

        if (clean->len > 0 && newlines > 0)
          g_string_append (clean, newlines > 1 ? "\n\n" : "\n");
        else if (clean->len > 0 && space)
          g_string_append_c (clean, ' ');
        newlines = 0;
        space = FALSE;
        g_string_append_unichar (clean, c);
      }

    return g_string_free (g_steal_pointer (&clean), FALSE);
  }
}

/**
 * chrono_import_slug:
 *
 * An id made from @text: lower-case ASCII letters and digits, accents
 * removed, other characters as single dashes ("Lachin Corridor" →
 * "lachin-corridor"). May be empty.
 */
char *
chrono_import_slug (const char *text)
{
  g_autofree char *ascii = NULL;
  GString *slug;
  gboolean dash = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  {
    g_autofree char *valid = g_utf8_make_valid (text, MIN (strlen (text), 200));

    ascii = g_str_to_ascii (valid, "C");
  }

  slug = g_string_new (NULL);
  for (const char *p = ascii; *p != '\0' && slug->len < 60; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (dash && slug->len > 0)
            g_string_append_c (slug, '-');
          g_string_append_c (slug, g_ascii_tolower (*p));
          dash = FALSE;
        }
      else
        dash = TRUE;
    }

  return g_string_free (slug, FALSE);
}

static int
hex4 (const char *data,
      gsize       len,
      gsize       at)
{
  int value = 0;

  if (at + 4 > len)
    return -1;
  for (gsize i = at; i < at + 4; i++)
    {
      int digit = g_ascii_xdigit_value (data[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }

  return value;
}

/* Checks the \u escape at @data[@at] (the 'u'); returns the index of its last
 * byte, or 0 with @error set. json-glib 1.6 loses memory on a broken
 * surrogate pair and reads a short escape past the string's end. */
static gsize
check_unicode_escape (const char  *data,
                      gsize        len,
                      gsize        at,
                      const char  *display_name,
                      guint        line,
                      GError     **error)
{
  int unit = hex4 (data, len, at + 1);
  int low;

  if (unit < 0)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s:%u: a \\u escape needs four hexadecimal digits"),
                   display_name, line);
      return 0;
    }
  if (unit < 0xd800 || unit > 0xdfff)
    return at + 4;

  if (unit <= 0xdbff && at + 6 < len && data[at + 5] == '\\' && data[at + 6] == 'u')
    {
      low = hex4 (data, len, at + 7);
      if (low >= 0xdc00 && low <= 0xdfff)
        return at + 10;
    }

  g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
               _("%s:%u: \\u%.4s is half of a UTF-16 surrogate pair, not a character"),
               display_name, line, data + at + 1);
  return 0;
}

/**
 * chrono_import_check_json:
 *
 * Refuses, before json-glib sees it, JSON that its parser mishandles: nesting
 * deeper than @max_depth (its recursion would overflow the stack) and \u
 * escapes that are not four hexadecimal digits or not a whole surrogate pair,
 * and a second value after the first (json-glib 1.6 takes `{…}{…}` and leaks
 * the first). One pass over the bytes; the error names the line.
 */
gboolean
chrono_import_check_json (const char  *data,
                          gsize        len,
                          guint        max_depth,
                          const char  *display_name,
                          GError     **error)
{
  guint depth = 0;
  guint line = 1;
  gboolean in_string = FALSE;
  gboolean in_scalar = FALSE;   /* a number or a word at the top */
  gboolean have_value = FALSE;  /* the top-level value has begun */

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (c == '\n')
        line++;

      if (in_string)
        {
          if (c == '\\' && i + 1 < len && data[i + 1] == 'u')
            {
              i = check_unicode_escape (data, len, i + 1, display_name, line, error);
              if (i == 0)
                return FALSE;
            }
          else if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (depth == 0)
        {
          gboolean scalar = g_ascii_isalnum (c) || c == '-' || c == '+' || c == '.';

          if (scalar && in_scalar)
            continue;
          in_scalar = FALSE;
          if (scalar || c == '"' || c == '[' || c == '{')
            {
              if (have_value)
                {
                  g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                               _("%s:%u: more JSON after the end of the document"),
                               display_name, line);
                  return FALSE;
                }
              have_value = TRUE;
              in_scalar = scalar;
            }
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_TOO_LARGE,
                           _("%s:%u: the JSON is nested more than %u levels deep"),
                           display_name, line, max_depth);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

/**
 * chrono_import_parse_json:
 *
 * Parses @bytes as JSON after the depth check; syntax errors name the file,
 * line and column.
 *
 * Returns: (transfer full): the parser holding the document
 */
JsonParser *
chrono_import_parse_json (ChronoImport  *self,
                          GBytes        *bytes,
                          GError       **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) parse_error = NULL;
  const char *display_name = chrono_import_get_display_name (self);
  const char *data;
  gsize size;

  data = g_bytes_get_data (bytes, &size);
  if (data == NULL)
    data = "";
  /* A UTF-8 byte order mark is not JSON, but editors write it. */
  if (size >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      size -= 3;
    }

  if (!chrono_import_check_json (data, size, CHRONO_IMPORT_MAX_JSON_DEPTH, display_name, error))
    return NULL;

  if (!json_parser_load_from_data (parser, data, MIN (size, G_MAXSSIZE), &parse_error))
    {
      const char *message = parse_error->message;

      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");
      else if (g_str_has_prefix (message, "<data>"))
        message += strlen ("<data>");
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   "%s:%s%s", display_name, g_ascii_isdigit (message[0]) ? "" : " ", message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, CHRONO_IMPORT_ERROR, CHRONO_IMPORT_ERROR_INVALID,
                   _("%s: the file is empty"), display_name);
      return NULL;
    }

  return g_steal_pointer (&parser);
}
