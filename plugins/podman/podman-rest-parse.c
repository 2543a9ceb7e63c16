/* podman-rest-parse.c: what the podman REST transport reads off the socket
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-Podman"

#include <string.h>

#include "podman-rest-parse.h"

gboolean
podman_rest_frame_header (const guint8 *header,
                          gsize         max_size,
                          guint        *out_stream,
                          guint32      *out_size,
                          GError      **error)
{
  guint32 size;

  if (header[0] > 2 || header[1] != 0 || header[2] != 0 || header[3] != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "podman API: a stream frame has a malformed header");
      return FALSE;
    }
  size = (guint32)header[4] << 24 | (guint32)header[5] << 16 | (guint32)header[6] << 8 | header[7];
  if (size > max_size)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE,
                   "podman API: a stream frame of %u bytes is over the limit of %" G_GSIZE_FORMAT
                   " bytes",
                   size, max_size);
      return FALSE;
    }
  *out_stream = header[0];
  *out_size = size;
  return TRUE;
}

gboolean
podman_rest_demux (const guint8 *data, gsize len, GString *out, GString *err, GError **error)
{
  guint   stream;
  guint32 size;

  /* Not multiplexed (a tty container): take it raw. */
  if (len < 8 || !podman_rest_frame_header (data, G_MAXUINT32, &stream, &size, NULL))
    {
      g_string_append_len (out, (const char *)data, len);
      return TRUE;
    }
  while (len > 0)
    {
      if (len < 8)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                       "podman API: the stream ends inside a frame header");
          return FALSE;
        }
      if (!podman_rest_frame_header (data, PODMAN_REST_MAX_FRAME, &stream, &size, error))
        return FALSE;
      if (size > len - 8)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                       "podman API: the stream ends inside a frame of %u bytes", size);
          return FALSE;
        }
      g_string_append_len (stream == 2 && err != NULL ? err : out, (const char *)data + 8, size);
      data += 8 + size;
      len -= 8 + size;
    }
  return TRUE;
}

JsonNode *
podman_rest_parse_json (const guint8 *data, gsize len, GError **error)
{
  return hero_virt_json_parse_untrusted (data, len, 0, PODMAN_REST_MAX_BODY, error);
}

char *
podman_rest_error_message (const guint8 *data, gsize len)
{
  g_autoptr (JsonNode) root = NULL;
  const char *message;

  if (data == NULL || len == 0)
    return NULL;
  root = podman_rest_parse_json (data, len, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  message = docker_cli_get_string (json_node_get_object (root), "message");
  return g_strdup (message);
}

char *
podman_rest_stream_result (const guint8 *data, gsize len, const char *what, GError **error)
{
  g_autofree char *id = NULL;
  gsize            start = 0;
  gsize            depth = 0;
  gboolean         in_string = FALSE, escaped = FALSE;

  /* Objects are concatenated, not always newline-separated: split by
   * depth (of objects and arrays alike, so a stray ] cannot unbalance
   * the split). */
  for (gsize i = 0; i < len; i++)
    {
      guint8 c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (depth++ == 0)
            start = i;
        }
      else if ((c == '}' || c == ']') && depth > 0 && --depth == 0)
        {
          g_autoptr (JsonNode) node = podman_rest_parse_json (data + start, i - start + 1, NULL);
          JsonObject *object;
          const char *err, *value;

          if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
            continue;
          object = json_node_get_object (node);
          err = docker_cli_get_string (object, "error");
          if (err != NULL && *err != '\0')
            {
              g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_COMMAND_FAILED,
                           "podman API %s: %s", what, err);
              return NULL;
            }
          if ((value = docker_cli_get_string (object, "id")) != NULL && *value != '\0')
            {
              g_free (id);
              id = g_strdup (value);
            }
        }
    }
  return id ? g_steal_pointer (&id) : g_strdup ("");
}
