/* ch-sim-api.c: cloud-hypervisor's REST API on its unix socket
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The HTTP behaviour copied here is cloud-hypervisor's
 * vmm/src/api/http/{mod,http_endpoint}.rs on top of micro_http:
 *
 * - Routes are exact paths under /api/v1; anything else is 404
 *   `["Not Found"]`.
 * - micro_http parses only GET, PUT, PATCH and DELETE; any other method,
 *   a body over the size limit, or a chunked body is a parse error that
 *   micro_http answers itself: 400 with `Server: Firecracker API` and a
 *   `{ "error": "…" }` body (not the error array).
 * - PATCH and DELETE reach the endpoint: the generic action endpoints
 *   answer an empty 400, the special ones (vm.create, vm.info, vmm.ping,
 *   vmm.shutdown) `["Bad Request"]`. GET on a PUT action, or PUT on a GET
 *   action, is `["Bad Request"]`.
 * - A body is "present" when Content-Length > 0. Body-less actions given a
 *   body are `["Bad Request"]`; body endpoints without one likewise, except
 *   vm.create, which answers an empty 400.
 * - Every response carries `Server: Cloud Hypervisor API` and
 *   `Content-Type: application/json`, 204s included.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <libsoup/soup.h>

#include "ch-sim.h"

#define SERVER_HEADER "Cloud Hypervisor API"

struct _ChSimApi
{
  ChSimVmm   *vmm;
  SoupServer *server;
  GSocket    *socket;
  char       *socket_path;
  int         lock_fd;
  gsize       max_body;
  GSourceFunc exit_func;
  gpointer    exit_data;
};

typedef enum
{
  EP_ACTION,      /* VmActionHandler: PUT without body */
  EP_ACTION_GET,  /* VmActionHandler with a GET handler (vm.counters) */
  EP_ACTION_BODY, /* VmActionHandler: PUT with a body */
  EP_CREATE,      /* VmCreate */
  EP_INFO,        /* VmInfo */
  EP_PING,        /* VmmPing */
  EP_SHUTDOWN,    /* VmmShutdown */
} EndpointKind;

typedef struct
{
  const char  *name;
  EndpointKind kind;
  const char  *required[3]; /* members serde requires in the body */
} Endpoint;

static const Endpoint endpoints[] = {
  { "vm.add-device", EP_ACTION_BODY, { NULL } },
  { "vm.add-user-device", EP_ACTION_BODY, { "socket", NULL } },
  { "vm.add-disk", EP_ACTION_BODY, { NULL } },
  { "vm.add-fs", EP_ACTION_BODY, { "tag", "socket", NULL } },
  { "vm.add-generic-vhost-user", EP_ACTION_BODY, { "socket", NULL } },
  { "vm.add-net", EP_ACTION_BODY, { NULL } },
  { "vm.add-pmem", EP_ACTION_BODY, { "file", NULL } },
  { "vm.add-vdpa", EP_ACTION_BODY, { "path", NULL } },
  { "vm.add-vsock", EP_ACTION_BODY, { "cid", "socket", NULL } },
  { "vm.boot", EP_ACTION, { NULL } },
  { "vm.counters", EP_ACTION_GET, { NULL } },
  { "vm.create", EP_CREATE, { NULL } },
  { "vm.delete", EP_ACTION, { NULL } },
  { "vm.info", EP_INFO, { NULL } },
  { "vm.pause", EP_ACTION, { NULL } },
  { "vm.power-button", EP_ACTION, { NULL } },
  { "vm.reboot", EP_ACTION, { NULL } },
  { "vm.receive-migration", EP_ACTION_BODY, { "receiver_url", NULL } },
  { "vm.remove-device", EP_ACTION_BODY, { "id", NULL } },
  { "vm.resize", EP_ACTION_BODY, { NULL } },
  { "vm.resize-disk", EP_ACTION_BODY, { "id", "desired_size", NULL } },
  { "vm.resize-zone", EP_ACTION_BODY, { "id", "desired_ram", NULL } },
  { "vm.restore", EP_ACTION_BODY, { "source_url", NULL } },
  { "vm.resume", EP_ACTION, { NULL } },
  { "vm.send-migration", EP_ACTION_BODY, { "destination_url", NULL } },
  { "vm.shutdown", EP_ACTION, { NULL } },
  { "vm.snapshot", EP_ACTION_BODY, { "destination_url", NULL } },
  { "vmm.ping", EP_PING, { NULL } },
  { "vmm.shutdown", EP_SHUTDOWN, { NULL } },
  { "vm.nmi", EP_ACTION, { NULL } },
};

static const Endpoint *
find_endpoint (const char *path)
{
  if (!g_str_has_prefix (path, "/api/v1/"))
    return NULL;
  path += strlen ("/api/v1/");
  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    if (strcmp (endpoints[i].name, path) == 0)
      return &endpoints[i];
  return NULL;
}

/* ---- responses ---- */

static void
respond (SoupServerMessage *msg, guint status, const char *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    body ? strlen (body) : 0);
  soup_message_headers_replace (headers, "Content-Type", "application/json");
  soup_message_headers_replace (headers, "Server", SERVER_HEADER);
}

static void
respond_error (ChSimApi *api, SoupServerMessage *msg, ChSimError *error)
{
  g_autofree char *body = ch_sim_error_to_json (error);

  respond (msg, ch_sim_error_status (error, ch_sim_vmm_get_api_version (api->vmm)), body);
}

static void
respond_bad_request (SoupServerMessage *msg)
{
  respond (msg, 400, "[\"Bad Request\"]");
}

/* micro_http's own answer to a request it cannot parse; the connection's
 * earlier requests are dropped, so the simulator closes it. */
static void
respond_parse_error (SoupServerMessage *msg, const char *reason)
{
  g_autofree char *body = g_strdup_printf (
      "{ \"error\": \"%s\nAll previous unanswered requests will be dropped.\" }", reason);

  respond (msg, 400, body);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Server",
                                "Firecracker API");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
}

/* ---- bodies ---- */

/* serde's "at line L column C" for the end of the body. */
static char *
serde_position (const char *data, gsize len)
{
  guint line = 1, column = 0;

  while (len > 0 && g_ascii_isspace (data[len - 1]))
    len--;
  for (gsize i = 0; i < len; i++)
    if (data[i] == '\n')
      line++, column = 0;
    else
      column++;
  return g_strdup_printf ("at line %u column %u", line, column);
}

static ChSimError *
deserialize_error (const char *message)
{
  return ch_sim_error_new (CH_SIM_ERROR_DESERIALIZE, "Failed to deserialize JSON", message, NULL);
}

/* Parses the request body as serde would for a struct with @required
 * members. */
static ChSimError *
parse_object (GBytes *body, const char *type_name, const char *const *required, JsonObject **out)
{
  gsize       len = 0;
  const char *data = g_bytes_get_data (body, &len);
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) error = NULL;
  g_autofree char *where = serde_position (data, len);
  JsonNode        *root;

  if (!json_parser_load_from_data (parser, data, (gssize)len, &error))
    {
      g_autofree char *m = g_strdup_printf ("%s %s", error->message, where);
      return deserialize_error (m);
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      const char      *what = root == NULL                   ? "EOF while parsing a value"
                              : JSON_NODE_HOLDS_ARRAY (root) ? "invalid type: sequence"
                              : JSON_NODE_HOLDS_NULL (root)  ? "invalid type: null"
                                                             : "invalid type: scalar";
      g_autofree char *m
          = root == NULL ? g_strdup_printf ("%s %s", what, where)
                         : g_strdup_printf ("%s, expected struct %s %s", what, type_name, where);
      return deserialize_error (m);
    }
  for (guint i = 0; required && required[i]; i++)
    if (!json_object_has_member (json_node_get_object (root), required[i]))
      {
        g_autofree char *m = g_strdup_printf ("missing field `%s` %s", required[i], where);
        return deserialize_error (m);
      }
  /* The structs' integer members must be integers. */
  {
    const char *ints[]
        = { "desired_vcpus", "desired_ram", "desired_balloon", "desired_size", "cid" };
    JsonObject *o = json_node_get_object (root);

    for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
      {
        JsonNode *n = json_object_get_member (o, ints[i]);
        if (n != NULL && !JSON_NODE_HOLDS_NULL (n)
            && (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64
                || json_node_get_int (n) < 0))
          {
            g_autofree char *m = g_strdup_printf (
                "invalid type: %s, expected u64 %s",
                JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
                    ? "string"
                    : "value",
                where);
            return deserialize_error (m);
          }
      }
  }
  *out = json_node_dup_object (root);
  return NULL;
}

/* VmConfig: the members serde insists on when their parent is given. */
static ChSimError *
check_vm_config (JsonObject *config, GBytes *body)
{
  g_autofree char *where = serde_position (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  const char *nested[][3] = { { "cpus", "boot_vcpus", "max_vcpus" }, { "memory", "size", NULL } };

  for (guint i = 0; i < G_N_ELEMENTS (nested); i++)
    {
      JsonNode *n = json_object_get_member (config, nested[i][0]);

      if (n == NULL || JSON_NODE_HOLDS_NULL (n))
        continue;
      if (!JSON_NODE_HOLDS_OBJECT (n))
        {
          g_autofree char *m = g_strdup_printf ("invalid type: value, expected struct %s %s",
                                                i == 0 ? "CpusConfig" : "MemoryConfig", where);
          return deserialize_error (m);
        }
      for (guint j = 1; j < 3 && nested[i][j]; j++)
        {
          JsonNode *v = json_object_get_member (json_node_get_object (n), nested[i][j]);
          if (v == NULL)
            {
              g_autofree char *m = g_strdup_printf ("missing field `%s` %s", nested[i][j], where);
              return deserialize_error (m);
            }
          if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_INT64
              || json_node_get_int (v) < 0)
            {
              g_autofree char *m = g_strdup_printf ("invalid type: value, expected u%d %s",
                                                    i == 0 ? 32 : 64, where);
              return deserialize_error (m);
            }
        }
    }
  {
    const char *lists[] = { "disks", "net", "fs", "pmem", "devices", "vdpa" };
    for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
      {
        JsonNode *n = json_object_get_member (config, lists[i]);
        if (n != NULL && !JSON_NODE_HOLDS_NULL (n) && !JSON_NODE_HOLDS_ARRAY (n))
          {
            g_autofree char *m
                = g_strdup_printf ("invalid type: value, expected a sequence %s", where);
            return deserialize_error (m);
          }
        if (n != NULL && JSON_NODE_HOLDS_ARRAY (n))
          for (guint j = 0; j < json_array_get_length (json_node_get_array (n)); j++)
            if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (n), j)))
              {
                g_autofree char *m
                    = g_strdup_printf ("invalid type: value, expected a struct %s", where);
                return deserialize_error (m);
              }
      }
  }
  return NULL;
}

/* ---- dispatch ---- */

static void
shutdown_finished_cb (SoupServerMessage *msg, gpointer data)
{
  ChSimApi *api = data;

  if (api->exit_func != NULL)
    g_idle_add (api->exit_func, api->exit_data);
}

static ChSimError *
run_body_action (ChSimApi *api, const char *name, JsonObject *request, char **out)
{
  if (g_str_has_prefix (name, "vm.add-"))
    return ch_sim_vm_add_device (api->vmm, name + strlen ("vm.add-"), request, out);
  if (strcmp (name, "vm.remove-device") == 0)
    return ch_sim_vm_remove_device (api->vmm, request);
  if (strcmp (name, "vm.resize") == 0)
    return ch_sim_vm_resize (api->vmm, request);
  if (strcmp (name, "vm.resize-disk") == 0)
    return ch_sim_vm_resize_disk (api->vmm, request);
  if (strcmp (name, "vm.resize-zone") == 0)
    return ch_sim_vm_resize_zone (api->vmm, request);
  if (strcmp (name, "vm.snapshot") == 0)
    return ch_sim_vm_snapshot (api->vmm, request);
  if (strcmp (name, "vm.restore") == 0)
    return ch_sim_vm_restore (api->vmm, request);
  if (strcmp (name, "vm.send-migration") == 0)
    return ch_sim_vm_migration (api->vmm, "send");
  return ch_sim_vm_migration (api->vmm, "receive");
}

static ChSimError *
run_action (ChSimApi *api, const char *name)
{
  static const struct
  {
    const char *name;
    ChSimError *(*func) (ChSimVmm *);
  } actions[] = {
    { "vm.boot", ch_sim_vm_boot },         { "vm.delete", ch_sim_vm_delete },
    { "vm.pause", ch_sim_vm_pause },       { "vm.power-button", ch_sim_vm_power_button },
    { "vm.reboot", ch_sim_vm_reboot },     { "vm.resume", ch_sim_vm_resume },
    { "vm.shutdown", ch_sim_vm_shutdown }, { "vm.nmi", ch_sim_vm_nmi },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (strcmp (actions[i].name, name) == 0)
      return actions[i].func (api->vmm);
  g_assert_not_reached ();
}

static void
finish (ChSimApi *api, SoupServerMessage *msg, ChSimError *error, char *body)
{
  if (error != NULL)
    respond_error (api, msg, error);
  else if (body != NULL)
    respond (msg, 200, body);
  else
    respond (msg, 204, NULL);
  ch_sim_error_free (error);
  g_free (body);
}

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           data)
{
  ChSimApi       *api = data;
  const char     *method = soup_server_message_get_method (msg);
  const Endpoint *ep = find_endpoint (path);
  g_autoptr (GBytes) body = NULL;
  gboolean    has_body;
  gboolean    get = strcmp (method, "GET") == 0;
  gboolean    put = strcmp (method, "PUT") == 0;
  char       *out = NULL;
  ChSimError *error = NULL;

  ch_sim_log ("%s %s", method, path);
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  has_body = g_bytes_get_size (body) > 0;
  if (ep == NULL)
    {
      respond (msg, 404, "[\"Not Found\"]");
      return;
    }
  switch (ep->kind)
    {
    case EP_PING:
    case EP_INFO:
      if (!get)
        return respond_bad_request (msg);
      error = ep->kind == EP_PING ? ch_sim_vmm_ping (api->vmm, &out)
                                  : ch_sim_vm_info (api->vmm, &out);
      return finish (api, msg, error, out);
    case EP_SHUTDOWN:
      if (!put)
        return respond_bad_request (msg);
      if ((error = ch_sim_vmm_shutdown (api->vmm)) != NULL)
        return finish (api, msg, error, NULL);
      /* 200 without a body, then the process exits */
      respond (msg, 200, NULL);
      g_signal_connect (msg, "finished", G_CALLBACK (shutdown_finished_cb), api);
      return;
    case EP_CREATE:
      if (!put)
        return respond_bad_request (msg);
      if (!has_body)
        return respond (msg, 400, NULL);
      {
        g_autoptr (JsonObject) config = NULL;
        error = parse_object (body, "VmConfig", NULL, &config);
        if (error == NULL)
          error = check_vm_config (config, body);
        if (error == NULL)
          error = ch_sim_vm_create (api->vmm, config);
        return finish (api, msg, error, NULL);
      }
    case EP_ACTION:
    case EP_ACTION_GET:
    case EP_ACTION_BODY:
      if (!get && !put)
        return respond (msg, 400, NULL); /* PATCH, DELETE */
      if (get != (ep->kind == EP_ACTION_GET))
        return respond_bad_request (msg);
      if (ep->kind == EP_ACTION_GET)
        {
          error = ch_sim_vm_counters (api->vmm, &out);
          return finish (api, msg, error, out);
        }
      if (ep->kind == EP_ACTION)
        {
          if (has_body)
            return respond_bad_request (msg);
          return finish (api, msg, run_action (api, ep->name), NULL);
        }
      if (!has_body)
        return respond_bad_request (msg);
      {
        g_autoptr (JsonObject) request = NULL;
        g_autofree char *type = g_strdup_printf ("%sData", ep->name + 3);

        error = parse_object (body, type, ep->required, &request);
        if (error == NULL)
          {
            error = run_body_action (api, ep->name, request, &out);
            /* vm.resize with a vCPU removal pending is 429 upstream; the
             * simulator never has one pending. */
          }
        return finish (api, msg, error, out);
      }
    }
}

/* What micro_http rejects before any endpoint sees the request. */
static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           data)
{
  ChSimApi           *api = data;
  const char         *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset             length = soup_message_headers_get_content_length (headers);

  if (!g_strv_contains ((const char *const[]){ "GET", "PUT", "PATCH", "DELETE", NULL }, method))
    return respond_parse_error (msg, "Invalid HTTP Method: Unsupported HTTP method.");
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    return respond_parse_error (msg, "Invalid request.");
  if (length > 0 && (gsize)length > api->max_body)
    {
      g_autofree char *reason
          = g_strdup_printf ("Request payload with size %" G_GOFFSET_FORMAT
                             " is larger than the limit of %" G_GSIZE_FORMAT " allowed by server.",
                             length, api->max_body);
      return respond_parse_error (msg, reason);
    }
}

/* ---- the socket ---- */

static gboolean
bind_socket (ChSimApi *api, const ChSimOptions *options, GError **error)
{
  g_autoptr (GSocketAddress) address = NULL;

  if (options->api_socket_fd >= 0)
    {
      api->socket = g_socket_new_from_fd (options->api_socket_fd, error);
      return api->socket != NULL;
    }
  if (options->api_version >= CH_SIM_API_53)
    {
      /* v53+: a lock file beside the socket; holding it, any socket at
       * the path is stale and removed. */
      g_autofree char *lock_path = g_strconcat (options->api_socket_path, ".lock", NULL);

      api->lock_fd = open (lock_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
      if (api->lock_fd < 0)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                       "Error creating API server's socket: %s", g_strerror (errno));
          return FALSE;
        }
      if (flock (api->lock_fd, LOCK_EX | LOCK_NB) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                       "API socket %s is in use by another instance", options->api_socket_path);
          return FALSE;
        }
      unlink (options->api_socket_path);
    }
  api->socket
      = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  if (api->socket == NULL)
    return FALSE;
  address = g_unix_socket_address_new (options->api_socket_path);
  if (!g_socket_bind (api->socket, address, FALSE, error))
    {
      g_prefix_error (error, "Error creating API server's socket: ");
      return FALSE;
    }
  api->socket_path = g_strdup (options->api_socket_path);
  return g_socket_listen (api->socket, error);
}

ChSimApi *
ch_sim_api_new (ChSimVmm *vmm, const ChSimOptions *options, GError **error)
{
  ChSimApi *api = g_new0 (ChSimApi, 1);

  api->vmm = vmm;
  api->lock_fd = -1;
  api->max_body = options->max_body;
  if (!bind_socket (api, options, error))
    {
      ch_sim_api_free (api, FALSE);
      return NULL;
    }
  api->server = soup_server_new ("server-header", SERVER_HEADER, NULL);
  soup_server_add_early_handler (api->server, NULL, early_cb, api, NULL);
  soup_server_add_handler (api->server, NULL, handle_cb, api, NULL);
  if (!soup_server_listen_socket (api->server, api->socket, 0, error))
    {
      ch_sim_api_free (api, FALSE);
      return NULL;
    }
  return api;
}

void
ch_sim_api_set_exit_callback (ChSimApi *api, GSourceFunc func, gpointer data)
{
  api->exit_func = func;
  api->exit_data = data;
}

void
ch_sim_api_free (ChSimApi *api, gboolean remove_socket)
{
  if (api == NULL)
    return;
  if (api->server != NULL)
    soup_server_disconnect (api->server);
  g_clear_object (&api->server);
  if (api->socket != NULL)
    g_socket_close (api->socket, NULL);
  g_clear_object (&api->socket);
  /* A clean exit removes the socket (cloud-hypervisor's main.rs). */
  if (remove_socket && api->socket_path != NULL)
    unlink (api->socket_path);
  if (api->lock_fd >= 0)
    close (api->lock_fd);
  g_free (api->socket_path);
  g_free (api);
}
