/* k8s-json.c: the API server's answers parsed straight into JsonNodes
 *
 * json-glib's JsonParser costs about 250 instructions per byte of a small
 * object (its scanner, then sealing every node), a third of what a GET
 * cost in the plugin once the HTTP client was its own. This is a plain
 * recursive descent over RFC 8259 that builds the same tree; the input
 * is checked as UTF-8 once, strings without escapes are copied in one go.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-K8s"

#include <errno.h>
#include <string.h>

#include <hero-virt.h>

#include "k8s-json.h"

/* As hero_virt_json_parse_untrusted's default. */
#define MAX_BYTES (64 * 1024 * 1024)

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  GError    **error;
} Parser;

static void
fail (Parser *ps, const char *what)
{
  if (ps->error != NULL && *ps->error != NULL)
    return;
  g_set_error (ps->error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
               "Invalid JSON at byte %" G_GSIZE_FORMAT ": %s", (gsize)(ps->p - ps->start), what);
}

static void
skip_ws (Parser *ps)
{
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
    ps->p++;
}

static gboolean
literal (Parser *ps, const char *word)
{
  gsize len = strlen (word);

  if ((gsize)(ps->end - ps->p) < len || memcmp (ps->p, word, len) != 0)
    {
      fail (ps, "unexpected character");
      return FALSE;
    }
  ps->p += len;
  return TRUE;
}

static gboolean
hex4 (Parser *ps, gunichar *out)
{
  gunichar u = 0;

  if (ps->end - ps->p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (ps->p[i]);

      if (d < 0)
        return FALSE;
      u = u * 16 + d;
    }
  ps->p += 4;
  *out = u;
  return TRUE;
}

/* At the opening quote. */
static char *
parse_string (Parser *ps)
{
  const char *s = ++ps->p;
  GString    *out;

  /* no escapes: one copy */
  while (ps->p < ps->end)
    {
      guchar c = *ps->p;

      if (c == '"')
        {
          char *str = g_strndup (s, ps->p - s);

          ps->p++;
          return str;
        }
      if (c == '\\')
        break;
      if (c < 0x20)
        {
          fail (ps, "a control character in a string");
          return NULL;
        }
      ps->p++;
    }
  out = g_string_new_len (s, ps->p - s);
  while (ps->p < ps->end)
    {
      guchar   c = *ps->p++;
      gunichar u;

      if (c == '"')
        return g_string_free (out, FALSE);
      if (c < 0x20)
        {
          fail (ps, "a control character in a string");
          break;
        }
      if (c != '\\')
        {
          g_string_append_c (out, c);
          continue;
        }
      if (ps->p >= ps->end)
        break;
      switch (*ps->p++)
        {
        case '"':
          g_string_append_c (out, '"');
          continue;
        case '\\':
          g_string_append_c (out, '\\');
          continue;
        case '/':
          g_string_append_c (out, '/');
          continue;
        case 'b':
          g_string_append_c (out, '\b');
          continue;
        case 'f':
          g_string_append_c (out, '\f');
          continue;
        case 'n':
          g_string_append_c (out, '\n');
          continue;
        case 'r':
          g_string_append_c (out, '\r');
          continue;
        case 't':
          g_string_append_c (out, '\t');
          continue;
        case 'u':
          if (!hex4 (ps, &u))
            {
              fail (ps, "a \\u escape without four hex digits");
              break;
            }
          if (u >= 0xD800 && u <= 0xDBFF)
            {
              gunichar low;

              if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
                {
                  fail (ps, "a lone surrogate in a \\u escape");
                  break;
                }
              ps->p += 2;
              if (!hex4 (ps, &low) || low < 0xDC00 || low > 0xDFFF)
                {
                  fail (ps, "a lone surrogate in a \\u escape");
                  break;
                }
              u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
            }
          else if (u >= 0xDC00 && u <= 0xDFFF)
            {
              fail (ps, "a lone surrogate in a \\u escape");
              break;
            }
          if (u == 0)
            {
              /* a C string cannot hold it */
              fail (ps, "\\u0000 in a string");
              break;
            }
          g_string_append_unichar (out, u);
          continue;
        default:
          fail (ps, "an unknown escape in a string");
          break;
        }
      break;
    }
  fail (ps, "an unterminated string");
  g_string_free (out, TRUE);
  return NULL;
}

static JsonNode *
parse_number (Parser *ps)
{
  const char      *s = ps->p;
  gboolean         is_double = FALSE;
  char             small[64];
  g_autofree char *big = NULL;
  char            *text, *end;
  JsonNode        *node;

  if (ps->p < ps->end && *ps->p == '-')
    ps->p++;
  if (ps->p < ps->end && *ps->p == '0')
    ps->p++;
  else if (ps->p < ps->end && *ps->p >= '1' && *ps->p <= '9')
    while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
      ps->p++;
  else
    {
      fail (ps, "unexpected character");
      return NULL;
    }
  if (ps->p < ps->end && *ps->p == '.')
    {
      is_double = TRUE;
      ps->p++;
      if (ps->p >= ps->end || !g_ascii_isdigit (*ps->p))
        {
          fail (ps, "a number without digits after its point");
          return NULL;
        }
      while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
        ps->p++;
    }
  if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E'))
    {
      is_double = TRUE;
      ps->p++;
      if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
        ps->p++;
      if (ps->p >= ps->end || !g_ascii_isdigit (*ps->p))
        {
          fail (ps, "a number without digits in its exponent");
          return NULL;
        }
      while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
        ps->p++;
    }
  /* NUL-terminated for strtoll/strtod */
  if ((gsize)(ps->p - s) < sizeof small)
    {
      memcpy (small, s, ps->p - s);
      small[ps->p - s] = '\0';
      text = small;
    }
  else
    text = big = g_strndup (s, ps->p - s);
  node = json_node_alloc ();
  if (!is_double)
    {
      gint64 v;

      errno = 0;
      v = g_ascii_strtoll (text, &end, 10);
      if (errno != ERANGE)
        return json_node_init_int (node, v);
    }
  return json_node_init_double (node, g_ascii_strtod (text, &end));
}

static JsonNode *parse_value (Parser *ps, guint depth);

static gboolean
too_deep (Parser *ps, guint depth)
{
  if (depth < K8S_JSON_MAX_DEPTH)
    return FALSE;
  g_set_error (ps->error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE,
               "JSON nested deeper than %u levels (at byte %" G_GSIZE_FORMAT ")",
               K8S_JSON_MAX_DEPTH, (gsize)(ps->p - ps->start));
  return TRUE;
}

/* At the '{'. */
static JsonNode *
parse_object (Parser *ps, guint depth)
{
  g_autoptr (JsonObject) obj = json_object_new ();

  if (too_deep (ps, depth))
    return NULL;
  ps->p++;
  skip_ws (ps);
  if (ps->p < ps->end && *ps->p == '}')
    ps->p++;
  else
    for (;;)
      {
        g_autofree char *key = NULL;
        JsonNode        *member;

        skip_ws (ps);
        if (ps->p >= ps->end || *ps->p != '"')
          {
            fail (ps, "an object member without a name");
            return NULL;
          }
        if ((key = parse_string (ps)) == NULL)
          return NULL;
        skip_ws (ps);
        if (ps->p >= ps->end || *ps->p != ':')
          {
            fail (ps, "no ':' after an object member's name");
            return NULL;
          }
        ps->p++;
        if ((member = parse_value (ps, depth + 1)) == NULL)
          return NULL;
        json_object_set_member (obj, key, member);
        skip_ws (ps);
        if (ps->p < ps->end && *ps->p == ',')
          {
            ps->p++;
            continue;
          }
        if (ps->p < ps->end && *ps->p == '}')
          {
            ps->p++;
            break;
          }
        fail (ps, "neither ',' nor '}' after an object member");
        return NULL;
      }
  return json_node_init_object (json_node_alloc (), obj);
}

/* At the '['. */
static JsonNode *
parse_array (Parser *ps, guint depth)
{
  g_autoptr (JsonArray) array = json_array_new ();

  if (too_deep (ps, depth))
    return NULL;
  ps->p++;
  skip_ws (ps);
  if (ps->p < ps->end && *ps->p == ']')
    ps->p++;
  else
    for (;;)
      {
        JsonNode *element = parse_value (ps, depth + 1);

        if (element == NULL)
          return NULL;
        json_array_add_element (array, element);
        skip_ws (ps);
        if (ps->p < ps->end && *ps->p == ',')
          {
            ps->p++;
            continue;
          }
        if (ps->p < ps->end && *ps->p == ']')
          {
            ps->p++;
            break;
          }
        fail (ps, "neither ',' nor ']' after an array element");
        return NULL;
      }
  return json_node_init_array (json_node_alloc (), array);
}

static JsonNode *
parse_value (Parser *ps, guint depth)
{
  skip_ws (ps);
  if (ps->p >= ps->end)
    {
      fail (ps, "the text ends where a value should be");
      return NULL;
    }
  switch (*ps->p)
    {
    case '{':
      return parse_object (ps, depth);
    case '[':
      return parse_array (ps, depth);
    case '"':
      {
        char     *s = parse_string (ps);
        JsonNode *node;

        if (s == NULL)
          return NULL;
        node = json_node_init_string (json_node_alloc (), s);
        g_free (s);
        return node;
      }
    case 't':
      return literal (ps, "true") ? json_node_init_boolean (json_node_alloc (), TRUE) : NULL;
    case 'f':
      return literal (ps, "false") ? json_node_init_boolean (json_node_alloc (), FALSE) : NULL;
    case 'n':
      return literal (ps, "null") ? json_node_init_null (json_node_alloc ()) : NULL;
    default:
      return parse_number (ps);
    }
}

JsonNode *
k8s_json_parse (const char *data, gsize len, GError **error)
{
  Parser ps = { data, data, data + len, error };
  g_autoptr (JsonNode) root = NULL;

  if (len > MAX_BYTES)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE,
                   "JSON of %" G_GSIZE_FORMAT " bytes is longer than the limit of %d bytes", len,
                   MAX_BYTES);
      return NULL;
    }
  /* also refuses NUL bytes */
  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                           "Invalid JSON: not UTF-8 text");
      return NULL;
    }
  if ((root = parse_value (&ps, 0)) == NULL)
    return NULL;
  skip_ws (&ps);
  if (ps.p != ps.end)
    {
      fail (&ps, "more after the value");
      return NULL;
    }
  return g_steal_pointer (&root);
}
