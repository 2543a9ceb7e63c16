/* cloudhv-client.c: cloud-hypervisor's REST API over its unix socket
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libsoup with SoupSession:remote-connectable set to the socket's
 * GUnixSocketAddress, so every request goes to the socket whatever the
 * URI's host. Bodies are sent with a Content-Length (cloud-hypervisor's
 * micro_http takes no chunked bodies) and as application/json.
 */
#define G_LOG_DOMAIN "HeroVirt-CloudHv"

#include <string.h>

#include <gio/gunixsocketaddress.h>
#include <hero-virt.h>
#include <libsoup/soup.h>

#include "cloudhv-client.h"

struct _ChvClient
{
  SoupSession *session;
  char        *socket_path;
};

ChvClient *
chv_client_new (const char *socket_path, guint timeout_seconds)
{
  ChvClient *client = g_new0 (ChvClient, 1);
  g_autoptr (GSocketAddress) address = g_unix_socket_address_new (socket_path);

  client->socket_path = g_strdup (socket_path);
  client->session
      = soup_session_new_with_options ("remote-connectable", address, "timeout", timeout_seconds,
                                       "user-agent", "hero-virt-cloudhv", NULL);
  return client;
}

void
chv_client_free (ChvClient *client)
{
  if (client == NULL)
    return;
  g_clear_object (&client->session);
  g_free (client->socket_path);
  g_free (client);
}

char *
chv_client_error_message (const char *body, gsize len)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  JsonArray *array;

  if (body == NULL || len == 0)
    return g_strdup ("no error message");
  root = hero_virt_json_parse_untrusted ((const guint8 *)body, len, 0, 0, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      /* micro_http's own answers are `{ "error": "…" }` (often not even
       * valid JSON): show the text, on one line. */
      g_autofree char *text = g_utf8_make_valid (body, (gssize)len);
      g_strdelimit (text, "\r\n", ' ');
      return g_strdup (g_strstrip (text));
    }
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        continue;
      if (out->len > 0)
        g_string_append (out, ": ");
      g_string_append (out, json_node_get_string (e));
    }
  return out->len > 0 ? g_strdup (out->str) : g_strdup ("no error message");
}

gboolean
chv_client_call (ChvClient    *client,
                 const char   *method,
                 const char   *endpoint,
                 JsonNode     *body,
                 JsonNode    **response,
                 guint        *status_out,
                 GCancellable *cancellable,
                 GError      **error)
{
  g_autofree char *uri = g_strconcat ("http://localhost/api/v1/", endpoint, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *data;
  gsize       len = 0;
  guint       status;

  if (response)
    *response = NULL;
  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);
      gsize n = strlen (text);
      g_autoptr (GBytes) bytes = g_bytes_new_take (text, n);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (client->session, msg, cancellable, &local_error);
  if (answer == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NETWORK,
                   "cloud-hypervisor API at %s: %s: %s", client->socket_path, endpoint,
                   local_error->message);
      return FALSE;
    }
  status = soup_message_get_status (msg);
  if (status_out)
    *status_out = status;
  data = g_bytes_get_data (answer, &len);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *message = chv_client_error_message (data, len);
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_COMMAND_FAILED,
                   "cloud-hypervisor %s failed (HTTP %u): %s", endpoint, status, message);
      return FALSE;
    }
  if (response != NULL && len > 0)
    {
      g_autofree char *text = NULL;

      /* Bounded first, then parsed again mutable (callers add members). */
      *response = hero_virt_json_parse_untrusted ((const guint8 *)data, len, 0, 0, &local_error);
      if (*response != NULL)
        {
          g_clear_pointer (response, json_node_unref);
          text = g_strndup (data, len);
          *response = json_from_string (text, &local_error);
          if (*response == NULL && local_error == NULL)
            g_set_error (&local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "it is empty");
        }
      if (*response == NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR,
                       local_error->domain == HERO_VIRT_ERROR ? local_error->code
                                                              : HERO_VIRT_ERROR_PARSE,
                       "cloud-hypervisor %s answered something that is not JSON: %s", endpoint,
                       local_error->message);
          return FALSE;
        }
    }
  return TRUE;
}
