/* k8s-stream.c: channel.k8s.io framing
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include <hero-virt.h>

#include "k8s-stream.h"

GBytes *
k8s_frame (guint8 channel, const void *data, gsize len)
{
  guint8 *buf = g_malloc (len + 1);

  buf[0] = channel;
  if (len > 0)
    memcpy (buf + 1, data, len);
  return g_bytes_new_take (buf, len + 1);
}

GBytes *
k8s_frame_close (guint8 channel)
{
  guint8 b[2] = { K8S_CHANNEL_CLOSE, channel };

  return g_bytes_new (b, 2);
}

gboolean
k8s_frame_parse (GBytes *message, guint8 *channel, const guint8 **data, gsize *len)
{
  gsize         n = 0;
  const guint8 *p = g_bytes_get_data (message, &n);

  if (p == NULL || n == 0)
    return FALSE;
  *channel = p[0];
  *data = p + 1;
  *len = n - 1;
  return TRUE;
}

K8sExecStatus
k8s_exec_status_parse (const char *text, gsize len, int *exit_code, char **message)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o, *details;
  const char *status, *reason, *msg;

  *exit_code = 0;
  *message = NULL;
  root = hero_virt_json_parse_untrusted ((const guint8 *)text, len, 0, 1024 * 1024, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return K8S_EXEC_STATUS_INVALID;
  o = json_node_get_object (root);
  status = json_object_get_string_member_with_default (o, "status", NULL);
  if (g_strcmp0 (status, "Success") == 0)
    return K8S_EXEC_STATUS_SUCCESS;
  if (g_strcmp0 (status, "Failure") != 0)
    return K8S_EXEC_STATUS_INVALID;
  reason = json_object_get_string_member_with_default (o, "reason", NULL);
  msg = json_object_get_string_member_with_default (o, "message", NULL);
  details = json_object_has_member (o, "details")
                    && JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "details"))
                ? json_object_get_object_member (o, "details")
                : NULL;
  if (g_strcmp0 (reason, "NonZeroExitCode") == 0 && details != NULL
      && json_object_has_member (details, "causes")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (details, "causes")))
    {
      JsonArray *causes = json_object_get_array_member (details, "causes");

      for (guint i = 0; i < json_array_get_length (causes); i++)
        {
          JsonNode   *c = json_array_get_element (causes, i);
          JsonObject *co;
          const char *v;
          gint64      code;
          char       *end = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (c))
            continue;
          co = json_node_get_object (c);
          if (g_strcmp0 (json_object_get_string_member_with_default (co, "reason", NULL),
                         "ExitCode")
              != 0)
            continue;
          v = json_object_get_string_member_with_default (co, "message", NULL);
          if (v == NULL)
            continue;
          code = g_ascii_strtoll (v, &end, 10);
          if (end == v || *end != '\0' || code < 0 || code > 255)
            continue;
          *exit_code = (int)code;
          return K8S_EXEC_STATUS_EXIT_CODE;
        }
    }
  *message = g_strdup (msg ? msg : reason ? reason : "the command failed");
  return K8S_EXEC_STATUS_FAILURE;
}

gboolean
k8s_port_prefix_strip (const guint8 **data, gsize *len, guint16 port)
{
  if (*len < 2)
    return FALSE;
  if ((guint16)((*data)[0] | ((*data)[1] << 8)) != port)
    return FALSE;
  *data += 2;
  *len -= 2;
  return TRUE;
}

char *
k8s_resize_message (guint columns, guint rows)
{
  return g_strdup_printf ("{\"Width\":%u,\"Height\":%u}", columns, rows);
}

static void
add (GString *q, const char *key, const char *value)
{
  g_autofree char *e = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (q, "%s%s=%s", q->len ? "&" : "", key, e);
}

char *
k8s_exec_query (const char *const *argv,
                const char        *container,
                gboolean           want_stdin,
                gboolean           want_stderr,
                gboolean           tty)
{
  GString *q = g_string_new (NULL);

  for (guint i = 0; argv[i] != NULL; i++)
    add (q, "command", argv[i]);
  if (container != NULL)
    add (q, "container", container);
  add (q, "stdin", want_stdin ? "true" : "false");
  add (q, "stdout", "true");
  add (q, "stderr", want_stderr && !tty ? "true" : "false");
  add (q, "tty", tty ? "true" : "false");
  return g_string_free (q, FALSE);
}
