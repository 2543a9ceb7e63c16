/* podman-rest.c: the podman provider's REST transport
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * When the podman service socket is there, every operation is one or two
 * HTTP requests over the unix socket (libsoup 3, a SoupSession whose
 * remote-connectable is the socket) instead of a podman process per call.
 * The libpod endpoints return the same JSON shapes as the CLI, so the
 * podman dialect's parsers serve both. Copying files uses the podman CLI
 * in remote mode against the same socket (the API wants tar archives).
 */
#define G_LOG_DOMAIN "HeroVirt-Podman"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixsocketaddress.h>
#include <libsoup/soup.h>

#include "podman-dialect.h"
#include "podman-rest-parse.h"
#include "podman-rest.h"

#define API "http://d/v4.0.0/libpod"

/* No lock is held across a request: each request takes an idle session
 * from the pool (or makes one) and gives it back afterwards, so a blocking
 * call (a container's wait, a long pull) stalls nobody else. The lock only
 * guards the pool. */
struct _PodmanRest
{
  char  *path;
  GMutex lock;
  GQueue idle; /* SoupSession, each used by one request at a time */
};

#define POOL_KEEP 4

static SoupSession *
session_new (const char *path)
{
  g_autoptr (GSocketAddress) address = g_unix_socket_address_new (path);

  return soup_session_new_with_options ("remote-connectable", address, "timeout", 0, "idle-timeout",
                                        60, NULL);
}

PodmanRest *
podman_rest_new (const char *socket_path)
{
  PodmanRest *rest = g_new0 (PodmanRest, 1);

  rest->path = g_strdup (socket_path);
  g_mutex_init (&rest->lock);
  g_queue_init (&rest->idle);
  return rest;
}

void
podman_rest_free (PodmanRest *rest)
{
  g_free (rest->path);
  g_queue_clear_full (&rest->idle, g_object_unref);
  g_mutex_clear (&rest->lock);
  g_free (rest);
}

const char *
podman_rest_get_path (PodmanRest *rest)
{
  return rest->path;
}

static SoupSession *
session_take (PodmanRest *rest)
{
  SoupSession *session;

  g_mutex_lock (&rest->lock);
  session = g_queue_pop_head (&rest->idle);
  g_mutex_unlock (&rest->lock);
  return session ? session : session_new (rest->path);
}

static void
session_give_back (PodmanRest *rest, SoupSession *session)
{
  g_mutex_lock (&rest->lock);
  if (g_queue_get_length (&rest->idle) < POOL_KEEP)
    {
      g_queue_push_head (&rest->idle, session);
      session = NULL;
    }
  g_mutex_unlock (&rest->lock);
  g_clear_object (&session);
}

/* The socket named must be a socket, owned by us or by root. */
static gboolean
usable_socket (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 && S_ISSOCK (st.st_mode)
         && (st.st_uid == geteuid () || st.st_uid == 0);
}

char *
podman_rest_find_socket (HeroVirtExecutor *executor)
{
  g_auto (GStrv) env = NULL;
  const char *host = NULL;

  if (!hero_virt_executor_is_local (executor))
    return NULL;
  env = hero_virt_executor_dup_environ (executor);
  host = g_environ_getenv (env, "CONTAINER_HOST");
  if (host == NULL)
    host = g_getenv ("CONTAINER_HOST");
  if (host != NULL)
    {
      if (!g_str_has_prefix (host, "unix://"))
        return NULL;
      host += strlen ("unix://");
      if (!usable_socket (host))
        {
          g_debug ("CONTAINER_HOST %s is not a socket of ours: using the podman CLI", host);
          return NULL;
        }
      return g_strdup (host);
    }
  /* No fallback to the rootful /run/podman/podman.sock: the caller asks
   * for a service with CONTAINER_HOST. */
  return NULL;
}

/* ---- requests ---- */

static char *
esc (const char *s)
{
  return g_uri_escape_string (s, NULL, FALSE);
}

static void
set_api_error (guint status, GBytes *body, const char *what, GError **error)
{
  g_autofree char *message = NULL;
  int              code = HERO_VIRT_ERROR_FAILED;

  if (body != NULL)
    message = podman_rest_error_message (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  if (status == 404)
    code = HERO_VIRT_ERROR_NOT_FOUND;
  else if (status == 409
           || (message
               && (strstr (message, "already in use") || strstr (message, "already exists"))))
    code = HERO_VIRT_ERROR_EXISTS;
  g_set_error (error, HERO_VIRT_ERROR, code, "podman API %s failed (HTTP %u): %s", what, status,
               message ? message : "no message");
}

/* Reads all of @in, up to @max bytes: more is HERO_VIRT_ERROR_TOO_LARGE. */
static GBytes *
read_bounded (GInputStream *in, gsize max, GCancellable *cancellable, GError **error)
{
  g_autoptr (GByteArray) data = g_byte_array_new ();
  guint8 buf[16384];

  for (;;)
    {
      gssize n = g_input_stream_read (in, buf, sizeof buf, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if ((gsize)n > max - data->len)
        {
          g_set_error (
              error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE,
              "podman API: a response is longer than the limit of %" G_GSIZE_FORMAT " bytes", max);
          return NULL;
        }
      g_byte_array_append (data, buf, n);
    }
  g_input_stream_close (in, NULL, NULL);
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

/* Sends one request; the body is JSON when @json is set. Returns the
 * response body on a 2xx/304 status, and the status in @out_status. */
static GBytes *
request (PodmanRest   *rest,
         const char   *method,
         const char   *path,
         const char   *json,
         guint        *out_status,
         GCancellable *cancellable,
         GError      **error)
{
  g_autofree char *uri = g_strconcat (API, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr (GBytes) body = NULL;
  guint status;

  if (msg == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT, "Bad API path %s",
                   path);
      return NULL;
    }
  g_debug ("REST %s %s", method, path);
  if (json != NULL)
    {
      g_autoptr (GBytes) payload = g_bytes_new (json, strlen (json));
      soup_message_set_request_body_from_bytes (msg, "application/json", payload);
    }
  {
    SoupSession *session = session_take (rest);
    g_autoptr (GInputStream) in = soup_session_send (session, msg, cancellable, error);

    if (in != NULL)
      body = read_bounded (in, PODMAN_REST_MAX_BODY, cancellable, error);
    if (in != NULL && body == NULL)
      {
        /* Half a response: the connection is dropped with its session. */
        g_object_unref (session);
        session = NULL;
      }
    if (session != NULL)
      session_give_back (rest, session);
  }
  if (body == NULL)
    {
      if (error != NULL && *error != NULL && (*error)->domain != HERO_VIRT_ERROR
          && !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GError *e = *error;
          *error = g_error_new (HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE,
                                "podman API at %s: %s", rest->path, e->message);
          g_error_free (e);
        }
      return NULL;
    }
  status = soup_message_get_status (msg);
  if (out_status != NULL)
    *out_status = status;
  if ((status < 200 || status >= 300) && status != 304)
    {
      g_autofree char *what = g_strdup_printf ("%s %s", method, path);
      set_api_error (status, body, what, error);
      return NULL;
    }
  return g_steal_pointer (&body);
}

static gboolean
request_ok (PodmanRest   *rest,
            const char   *method,
            const char   *path,
            const char   *json,
            GCancellable *cancellable,
            GError      **error)
{
  g_autoptr (GBytes) body = request (rest, method, path, json, NULL, cancellable, error);

  return body != NULL;
}

static JsonNode *
request_json (PodmanRest   *rest,
              const char   *method,
              const char   *path,
              const char   *json,
              GCancellable *cancellable,
              GError      **error)
{
  g_autoptr (GBytes) body = request (rest, method, path, json, NULL, cancellable, error);
  g_autoptr (GError) local_error = NULL;
  JsonNode *node;

  if (body == NULL)
    return NULL;
  node = podman_rest_parse_json (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                 &local_error);
  if (node == NULL)
    g_set_error (error, HERO_VIRT_ERROR, local_error->code, "podman API %s %s: %s", method, path,
                 local_error->message);
  return node;
}

/* ---- the provider's REST state ---- */

typedef struct
{
  GMutex      lock;
  GHashTable *rests; /* socket path -> PodmanRest */
} RestCache;

static RestCache cache = { { 0 }, NULL };

static PodmanRest *
rest_for (HeroVirtExecutor *executor)
{
  g_autofree char *path = podman_rest_find_socket (executor);
  PodmanRest      *rest;

  if (path == NULL)
    return NULL;
  g_mutex_lock (&cache.lock);
  if (cache.rests == NULL)
    cache.rests
        = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)podman_rest_free);
  rest = g_hash_table_lookup (cache.rests, path);
  if (rest == NULL)
    {
      rest = podman_rest_new (path);
      g_hash_table_insert (cache.rests, rest->path, rest);
    }
  g_mutex_unlock (&cache.lock);
  return rest;
}

static HeroVirtContainerProviderInterface cli;

/* ---- create ---- */

static gint64
parse_memory (const char *text)
{
  char  *end = NULL;
  double value;

  if (text == NULL)
    return 0;
  if (g_str_equal (text, "-1"))
    return -1;
  value = g_ascii_strtod (text, &end);
  switch (g_ascii_tolower (*end))
    {
    case 'k':
      return (gint64)(value * 1024);
    case 'm':
      return (gint64)(value * 1024 * 1024);
    case 'g':
      return (gint64)(value * 1024 * 1024 * 1024);
    default:
      return (gint64)value;
    }
}

static gint64
parse_duration_ns (const char *text, gint64 fallback)
{
  g_autoptr (GRegex) re = NULL;
  g_autoptr (GMatchInfo) match = NULL;
  gint64 total = 0;

  if (text == NULL)
    return fallback;
  re = g_regex_new ("([0-9.]+)(ns|us|ms|s|m|h)", 0, 0, NULL);
  g_regex_match (re, text, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *num = g_match_info_fetch (match, 1);
      g_autofree char *unit = g_match_info_fetch (match, 2);
      double           v = g_ascii_strtod (num, NULL);
      double           f = g_str_equal (unit, "ns")   ? 1
                           : g_str_equal (unit, "us") ? 1e3
                           : g_str_equal (unit, "ms") ? 1e6
                           : g_str_equal (unit, "s")  ? 1e9
                           : g_str_equal (unit, "m")  ? 60e9
                                                      : 3600e9;
      total += (gint64)(v * f);
      g_match_info_next (match, NULL);
    }
  return total;
}

static void
add_string_map (JsonBuilder *b, const char *member, const char *const *items)
{
  if (items == NULL)
    return;
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char      *eq = strchr (items[i], '=');
      g_autofree char *key = g_strndup (items[i], eq - items[i]);
      json_builder_set_member_name (b, key);
      json_builder_add_string_value (b, eq + 1);
    }
  json_builder_end_object (b);
}

static void
add_string_array (JsonBuilder *b, const char *member, const char *const *items)
{
  if (items == NULL)
    return;
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; items[i] != NULL; i++)
    json_builder_add_string_value (b, items[i]);
  json_builder_end_array (b);
}

static void
add_ports (JsonBuilder *b, const char *const *ports)
{
  g_autoptr (GRegex) re
      = g_regex_new ("^(?:\\[?([0-9a-fA-F:.]+?)\\]?:)?([0-9]+):([0-9]+)/([a-z]+)$", 0, 0, NULL);

  json_builder_set_member_name (b, "portmappings");
  json_builder_begin_array (b);
  for (guint i = 0; ports[i] != NULL; i++)
    {
      g_autoptr (GMatchInfo) m = NULL;
      g_autofree char *ip = NULL, *host = NULL, *ctr = NULL, *proto = NULL;

      if (!g_regex_match (re, ports[i], 0, &m))
        continue;
      ip = g_match_info_fetch (m, 1);
      host = g_match_info_fetch (m, 2);
      ctr = g_match_info_fetch (m, 3);
      proto = g_match_info_fetch (m, 4);
      json_builder_begin_object (b);
      if (ip != NULL && *ip != '\0')
        {
          json_builder_set_member_name (b, "host_ip");
          json_builder_add_string_value (b, ip);
        }
      json_builder_set_member_name (b, "host_port");
      json_builder_add_int_value (b, g_ascii_strtoll (host, NULL, 10));
      json_builder_set_member_name (b, "container_port");
      json_builder_add_int_value (b, g_ascii_strtoll (ctr, NULL, 10));
      json_builder_set_member_name (b, "protocol");
      json_builder_add_string_value (b, proto);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_volumes (JsonBuilder *b, const char *const *volumes)
{
  json_builder_set_member_name (b, "mounts");
  json_builder_begin_array (b);
  for (guint i = 0; volumes[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (volumes[i], ":", 3);
      if (parts[0][0] != '/')
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "Type");
      json_builder_add_string_value (b, "bind");
      json_builder_set_member_name (b, "Source");
      json_builder_add_string_value (b, parts[0]);
      json_builder_set_member_name (b, "Destination");
      json_builder_add_string_value (b, parts[1]);
      json_builder_set_member_name (b, "Options");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, "rbind");
      if (parts[2] != NULL)
        json_builder_add_string_value (b, "ro");
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "volumes");
  json_builder_begin_array (b);
  for (guint i = 0; volumes[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (volumes[i], ":", 3);
      if (parts[0][0] == '/')
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "Name");
      json_builder_add_string_value (b, parts[0]);
      json_builder_set_member_name (b, "Dest");
      json_builder_add_string_value (b, parts[1]);
      json_builder_set_member_name (b, "Options");
      json_builder_begin_array (b);
      if (parts[2] != NULL)
        json_builder_add_string_value (b, "ro");
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_network (JsonBuilder *b, HeroVirtContainerSpec *spec)
{
  const char        *network = hero_virt_container_spec_get_network (spec);
  const char *const *aliases = hero_virt_container_spec_get_network_aliases (spec);

  if (network != NULL
      && (g_str_equal (network, "host") || g_str_equal (network, "none")
          || g_str_equal (network, "slirp4netns")))
    {
      json_builder_set_member_name (b, "netns");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "nsmode");
      json_builder_add_string_value (b, network);
      json_builder_end_object (b);
      return;
    }
  if (network == NULL && aliases == NULL)
    return;
  json_builder_set_member_name (b, "Networks");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, network == NULL || g_str_equal (network, "bridge") ? "podman"
                                                                                      : network);
  json_builder_begin_object (b);
  add_string_array (b, "aliases", aliases);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static char *
spec_to_json (HeroVirtContainerSpec *spec)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  const char *health_cmd = hero_virt_container_spec_get_health_cmd (spec);
  guint       retries = hero_virt_container_spec_get_health_retries (spec);
  const char *restart = hero_virt_container_spec_get_restart_policy (spec);
  double      cpus = hero_virt_container_spec_get_cpu_limit (spec);
  guint       shares = hero_virt_container_spec_get_cpu_shares (spec);
  const char *memory = hero_virt_container_spec_get_memory_limit (spec);
  const char *swap = hero_virt_container_spec_get_memory_swap_limit (spec);

  json_builder_begin_object (b);
#define SET_STRING(member, value)                                                                  \
  G_STMT_START                                                                                     \
  {                                                                                                \
    const char *v_ = (value);                                                                      \
    if (v_ != NULL)                                                                                \
      {                                                                                            \
        json_builder_set_member_name (b, member);                                                  \
        json_builder_add_string_value (b, v_);                                                     \
      }                                                                                            \
  }                                                                                                \
  G_STMT_END
  SET_STRING ("name", hero_virt_container_spec_get_name (spec));
  SET_STRING ("image", hero_virt_container_spec_get_image (spec));
  SET_STRING ("oci_runtime", hero_virt_container_spec_get_runtime (spec));
  add_string_array (b, "entrypoint", hero_virt_container_spec_get_entrypoint (spec));
  add_string_array (b, "command", hero_virt_container_spec_get_command (spec));
  add_string_map (b, "env", hero_virt_container_spec_get_env (spec));
  add_string_map (b, "labels", hero_virt_container_spec_get_labels (spec));
  add_string_map (b, "annotations", hero_virt_container_spec_get_annotations (spec));
  if (hero_virt_container_spec_get_ports (spec) != NULL)
    add_ports (b, hero_virt_container_spec_get_ports (spec));
  if (hero_virt_container_spec_get_volumes (spec) != NULL)
    add_volumes (b, hero_virt_container_spec_get_volumes (spec));
  add_network (b, spec);
  if (hero_virt_container_spec_get_privileged (spec))
    {
      json_builder_set_member_name (b, "privileged");
      json_builder_add_boolean_value (b, TRUE);
    }
  if (hero_virt_container_spec_get_devices (spec) != NULL)
    {
      const char *const *devices = hero_virt_container_spec_get_devices (spec);
      json_builder_set_member_name (b, "devices");
      json_builder_begin_array (b);
      for (guint i = 0; devices[i] != NULL; i++)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "path");
          json_builder_add_string_value (b, devices[i]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  if (restart != NULL)
    {
      const char      *colon = strchr (restart, ':');
      g_autofree char *policy = colon ? g_strndup (restart, colon - restart) : g_strdup (restart);
      json_builder_set_member_name (b, "restart_policy");
      json_builder_add_string_value (b, policy);
      if (colon != NULL)
        {
          json_builder_set_member_name (b, "restart_tries");
          json_builder_add_int_value (b, g_ascii_strtoll (colon + 1, NULL, 10));
        }
    }
  if (memory != NULL || swap != NULL || cpus > 0 || shares > 0)
    {
      json_builder_set_member_name (b, "resource_limits");
      json_builder_begin_object (b);
      if (memory != NULL || swap != NULL)
        {
          json_builder_set_member_name (b, "memory");
          json_builder_begin_object (b);
          if (memory != NULL)
            {
              json_builder_set_member_name (b, "limit");
              json_builder_add_int_value (b, parse_memory (memory));
            }
          if (swap != NULL)
            {
              json_builder_set_member_name (b, "swap");
              json_builder_add_int_value (b, parse_memory (swap));
            }
          json_builder_end_object (b);
        }
      if (cpus > 0 || shares > 0)
        {
          json_builder_set_member_name (b, "cpu");
          json_builder_begin_object (b);
          if (cpus > 0)
            {
              json_builder_set_member_name (b, "quota");
              json_builder_add_int_value (b, (gint64)(cpus * 100000));
              json_builder_set_member_name (b, "period");
              json_builder_add_int_value (b, 100000);
            }
          if (shares > 0)
            {
              json_builder_set_member_name (b, "shares");
              json_builder_add_int_value (b, shares);
            }
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  if (health_cmd != NULL)
    {
      json_builder_set_member_name (b, "healthconfig");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "Test");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, "CMD-SHELL");
      json_builder_add_string_value (b, health_cmd);
      json_builder_end_array (b);
      /* The CLI's defaults; interval 0: no timer (no systemd here). */
      json_builder_set_member_name (b, "Interval");
      json_builder_add_int_value (
          b, parse_duration_ns (hero_virt_container_spec_get_health_interval (spec), 0));
      json_builder_set_member_name (b, "Timeout");
      json_builder_add_int_value (
          b, parse_duration_ns (hero_virt_container_spec_get_health_timeout (spec),
                                30 * G_GINT64_CONSTANT (1000000000)));
      json_builder_set_member_name (b, "Retries");
      json_builder_add_int_value (b, retries ? retries : 3);
      json_builder_set_member_name (b, "StartPeriod");
      json_builder_add_int_value (
          b, parse_duration_ns (hero_virt_container_spec_get_health_start_period (spec), 0));
      json_builder_end_object (b);
    }
#undef SET_STRING
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static char *
rest_create (HeroVirtContainerProvider *self,
             HeroVirtExecutor          *executor,
             HeroVirtContainerSpec     *spec,
             gboolean                   start,
             GCancellable              *cancellable,
             GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *json = NULL;
  g_autoptr (JsonNode) reply = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;

  if (rest == NULL)
    return cli.create (self, executor, spec, start, cancellable, error);
  json = spec_to_json (spec);
  reply = request_json (rest, "POST", "/containers/create", json, cancellable, error);
  if (reply == NULL)
    return NULL;
  id = g_strdup (JSON_NODE_HOLDS_OBJECT (reply)
                     ? docker_cli_get_string (json_node_get_object (reply), "Id")
                     : NULL);
  if (id == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "podman API create returned no Id");
      return NULL;
    }
  if (!start)
    return g_steal_pointer (&id);
  path = g_strdup_printf ("/containers/%s/start", id);
  if (!request_ok (rest, "POST", path, NULL, cancellable, error))
    return NULL;
  if (!hero_virt_container_spec_get_detach (spec))
    {
      g_autofree char *wait = g_strdup_printf ("/containers/%s/wait", id);
      if (!request_ok (rest, "POST", wait, NULL, cancellable, error))
        return NULL;
    }
  return g_steal_pointer (&id);
}

/* ---- lifecycle ---- */

static gboolean
post_action (PodmanRest   *rest,
             const char   *name,
             const char   *action,
             const char   *query,
             GCancellable *cancellable,
             GError      **error)
{
  g_autofree char *n = esc (name);
  g_autofree char *path
      = g_strdup_printf ("/containers/%s/%s%s%s", n, action, query ? "?" : "", query ? query : "");

  return request_ok (rest, "POST", path, NULL, cancellable, error);
}

static gboolean
rest_start (HeroVirtContainerProvider *self,
            HeroVirtExecutor          *executor,
            const char                *name,
            GCancellable              *cancellable,
            GError                   **error)
{
  PodmanRest *rest = rest_for (executor);

  if (rest == NULL)
    return cli.start (self, executor, name, cancellable, error);
  return post_action (rest, name, "start", NULL, cancellable, error);
}

static gboolean
rest_stop (HeroVirtContainerProvider *self,
           HeroVirtExecutor          *executor,
           const char                *name,
           int                        timeout,
           GCancellable              *cancellable,
           GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *query = timeout >= 0 ? g_strdup_printf ("timeout=%d", timeout) : NULL;

  if (rest == NULL)
    return cli.stop (self, executor, name, timeout, cancellable, error);
  return post_action (rest, name, "stop", query, cancellable, error);
}

static gboolean
rest_restart (HeroVirtContainerProvider *self,
              HeroVirtExecutor          *executor,
              const char                *name,
              int                        timeout,
              GCancellable              *cancellable,
              GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *query = timeout >= 0 ? g_strdup_printf ("t=%d", timeout) : NULL;

  if (rest == NULL)
    return cli.restart (self, executor, name, timeout, cancellable, error);
  return post_action (rest, name, "restart", query, cancellable, error);
}

static gboolean
rest_kill (HeroVirtContainerProvider *self,
           HeroVirtExecutor          *executor,
           const char                *name,
           const char                *signal,
           GCancellable              *cancellable,
           GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *sig = esc (signal ? signal : "SIGKILL");
  g_autofree char *query = g_strdup_printf ("signal=%s", sig);

  if (rest == NULL)
    return cli.kill (self, executor, name, signal, cancellable, error);
  return post_action (rest, name, "kill", query, cancellable, error);
}

static gboolean
rest_remove (HeroVirtContainerProvider *self,
             HeroVirtExecutor          *executor,
             const char                *name,
             gboolean                   force,
             GCancellable              *cancellable,
             GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *n = esc (name);
  g_autofree char *path = g_strdup_printf ("/containers/%s?force=%s", n, force ? "true" : "false");

  if (rest == NULL)
    return cli.remove (self, executor, name, force, cancellable, error);
  return request_ok (rest, "DELETE", path, NULL, cancellable, error);
}

/* ---- exec, copy ---- */

static HeroVirtCommandResult *
rest_exec (HeroVirtContainerProvider *self,
           HeroVirtExecutor          *executor,
           const char                *name,
           const char *const         *argv,
           GBytes                    *stdin_bytes,
           GCancellable              *cancellable,
           GError                   **error)
{
  PodmanRest *rest = rest_for (executor);
  g_autoptr (JsonBuilder) b = NULL;
  g_autoptr (JsonNode) body = NULL;
  g_autoptr (JsonNode) reply = NULL;
  g_autoptr (JsonNode) info = NULL;
  g_autoptr (GBytes) stream = NULL;
  g_autofree char *json = NULL;
  g_autofree char *n = esc (name);
  g_autofree char *path = NULL;
  g_autofree char *exec_id = NULL;
  g_autofree char *line = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GString) err = g_string_new (NULL);
  g_autoptr (GBytes) stdout_bytes = NULL;
  g_autoptr (GBytes) stderr_bytes = NULL;
  gint64 started = g_get_monotonic_time ();

  /* Feeding stdin needs a hijacked connection: leave that to the CLI. */
  if (rest == NULL || stdin_bytes != NULL)
    return cli.exec (self, executor, name, argv, stdin_bytes, cancellable, error);

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "AttachStdout");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "AttachStderr");
  json_builder_add_boolean_value (b, TRUE);
  add_string_array (b, "Cmd", argv);
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  json = json_to_string (body, FALSE);
  path = g_strdup_printf ("/containers/%s/exec", n);
  reply = request_json (rest, "POST", path, json, cancellable, error);
  if (reply == NULL)
    return NULL;
  exec_id = g_strdup (JSON_NODE_HOLDS_OBJECT (reply)
                          ? docker_cli_get_string (json_node_get_object (reply), "Id")
                          : NULL);
  if (exec_id == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "podman API exec returned no Id");
      return NULL;
    }
  g_free (path);
  path = g_strdup_printf ("/exec/%s/start", exec_id);
  stream = request (rest, "POST", path, "{\"Detach\":false}", NULL, cancellable, error);
  if (stream == NULL)
    return NULL;
  /* stdout and stderr stay apart, as the CLI keeps them. */
  if (!podman_rest_demux (g_bytes_get_data (stream, NULL), g_bytes_get_size (stream), out, err,
                          error))
    return NULL;
  g_free (path);
  path = g_strdup_printf ("/exec/%s/json", exec_id);
  info = request_json (rest, "GET", path, NULL, cancellable, error);
  if (info == NULL)
    return NULL;
  line = g_strjoinv (" ", (char **)argv);
  if (!JSON_NODE_HOLDS_OBJECT (info))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "podman API exec inspect: not an object");
      return NULL;
    }
  stdout_bytes = g_string_free_to_bytes (g_steal_pointer (&out));
  stderr_bytes = g_string_free_to_bytes (g_steal_pointer (&err));
  return hero_virt_command_result_new (
      line, (int)docker_cli_get_int (json_node_get_object (info), "ExitCode"), 0, stdout_bytes,
      stderr_bytes, g_get_monotonic_time () - started);
}

static gboolean
remote_cp (HeroVirtExecutor *executor,
           PodmanRest       *rest,
           const char       *src,
           const char       *dest,
           GCancellable     *cancellable,
           GError          **error)
{
  g_autoptr (HeroVirtCommand) command = HERO_VIRT_COMMAND_NEW ("podman");
  g_autoptr (HeroVirtCommandResult) result = NULL;

  hero_virt_command_add_arg (command, "--remote");
  hero_virt_command_add_arg_printf (command, "--url=unix://%s", podman_rest_get_path (rest));
  hero_virt_command_add_args (command, "cp", "--", src, dest, NULL);
  result = hero_virt_executor_run (executor, command, cancellable, error);
  return result != NULL && docker_cli_check (result, error);
}

static gboolean
rest_copy_in (HeroVirtContainerProvider *self,
              HeroVirtExecutor          *executor,
              const char                *name,
              const char                *host_path,
              const char                *container_path,
              GCancellable              *cancellable,
              GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *dest = g_strconcat (name, ":", container_path, NULL);

  if (rest == NULL)
    return cli.copy_in (self, executor, name, host_path, container_path, cancellable, error);
  return remote_cp (executor, rest, host_path, dest, cancellable, error);
}

static gboolean
rest_copy_out (HeroVirtContainerProvider *self,
               HeroVirtExecutor          *executor,
               const char                *name,
               const char                *container_path,
               const char                *host_path,
               GCancellable              *cancellable,
               GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *src = g_strconcat (name, ":", container_path, NULL);

  if (rest == NULL)
    return cli.copy_out (self, executor, name, container_path, host_path, cancellable, error);
  return remote_cp (executor, rest, src, host_path, cancellable, error);
}

/* ---- logs ---- */

static char *
logs_path (const char *name, int tail, const char *since, gboolean timestamps, gboolean follow)
{
  g_autofree char *n = esc (name);
  g_autofree char *s = since ? esc (since) : NULL;
  GString         *path = g_string_new (NULL);

  g_string_printf (path, "/containers/%s/logs?stdout=true&stderr=true", n);
  if (tail >= 0)
    g_string_append_printf (path, "&tail=%d", tail);
  if (s != NULL)
    g_string_append_printf (path, "&since=%s", s);
  if (timestamps)
    g_string_append (path, "&timestamps=true");
  if (follow)
    g_string_append (path, "&follow=true");
  return g_string_free (path, FALSE);
}

static char *
rest_logs (HeroVirtContainerProvider *self,
           HeroVirtExecutor          *executor,
           const char                *name,
           int                        tail,
           const char                *since,
           gboolean                   timestamps,
           GCancellable              *cancellable,
           GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *path = NULL;
  g_autoptr (GBytes) body = NULL;
  GString *out;

  if (rest == NULL)
    return cli.logs (self, executor, name, tail, since, timestamps, cancellable, error);
  path = logs_path (name, tail, since, timestamps, FALSE);
  body = request (rest, "GET", path, NULL, NULL, cancellable, error);
  if (body == NULL)
    return NULL;
  out = g_string_new (NULL);
  if (!podman_rest_demux (g_bytes_get_data (body, NULL), g_bytes_get_size (body), out, NULL, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* Splits a frame's payload into lines; a partial last line waits in
 * @pending for the next frame of the same stream. */
static void
split_lines (HeroVirtLogLineFunc  on_line,
             gpointer             on_line_data,
             HeroVirtOutputStream stream,
             GString             *pending,
             const char          *data,
             gsize                len)
{
  g_string_append_len (pending, data, len);
  for (;;)
    {
      char *nl = memchr (pending->str, '\n', pending->len);
      if (nl == NULL)
        break;
      *nl = '\0';
      on_line (stream, pending->str, on_line_data);
      g_string_erase (pending, 0, nl - pending->str + 1);
    }
}

static gboolean
rest_follow_logs (HeroVirtContainerProvider *self,
                  HeroVirtExecutor          *executor,
                  const char                *name,
                  int                        tail,
                  const char                *since,
                  HeroVirtLogLineFunc        on_line,
                  gpointer                   on_line_data,
                  GCancellable              *cancellable,
                  GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  g_autoptr (SoupSession) session = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GInputStream) in = NULL;
  g_autoptr (GString) pending_out = g_string_new (NULL);
  g_autoptr (GString) pending_err = g_string_new (NULL);

  if (rest == NULL)
    return cli.follow_logs (self, executor, name, tail, since, on_line, on_line_data, cancellable,
                            error);

  /* A stream of its own, so other calls go on meanwhile. */
  session = session_new (podman_rest_get_path (rest));
  path = logs_path (name, tail, since, FALSE, TRUE);
  uri = g_strconcat (API, path, NULL);
  msg = soup_message_new ("GET", uri);
  in = soup_session_send (session, msg, cancellable, error);
  if (in == NULL)
    return FALSE;
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_autoptr (GBytes) body = read_bounded (in, 65536, NULL, NULL);
      set_api_error (soup_message_get_status (msg), body, "logs", error);
      return FALSE;
    }
  for (;;)
    {
      guint8           header[8];
      gsize            got = 0;
      guint            stream;
      guint32          size;
      g_autofree char *payload = NULL;

      if (!g_input_stream_read_all (in, header, sizeof header, &got, cancellable, error))
        return FALSE;
      if (got == 0)
        break; /* the container stopped: the stream ends */
      if (got < sizeof header)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                       "podman API logs: the stream ends inside a frame header");
          return FALSE;
        }
      /* A size over the cap (0xFFFFFFFF, say) is an error, never a huge
       * allocation. */
      if (!podman_rest_frame_header (header, PODMAN_REST_MAX_FRAME, &stream, &size, error))
        return FALSE;
      payload = g_malloc ((gsize)size + 1);
      if (!g_input_stream_read_all (in, payload, size, &got, cancellable, error))
        return FALSE;
      if (stream == 2)
        split_lines (on_line, on_line_data, HERO_VIRT_OUTPUT_STREAM_STDERR, pending_err, payload,
                     got);
      else
        split_lines (on_line, on_line_data, HERO_VIRT_OUTPUT_STREAM_STDOUT, pending_out, payload,
                     got);
      if (got < size)
        break;
    }
  if (pending_out->len > 0)
    on_line (HERO_VIRT_OUTPUT_STREAM_STDOUT, pending_out->str, on_line_data);
  if (pending_err->len > 0)
    on_line (HERO_VIRT_OUTPUT_STREAM_STDERR, pending_err->str, on_line_data);
  return g_input_stream_close (in, NULL, NULL) || TRUE;
}

/* ---- inspect, stats, health, list ---- */

static HeroVirtContainerStatus *
rest_inspect (HeroVirtContainerProvider *self,
              HeroVirtExecutor          *executor,
              const char                *name,
              GCancellable              *cancellable,
              GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *n = esc (name);
  g_autofree char *path = g_strdup_printf ("/containers/%s/json", n);
  g_autoptr (JsonNode) reply = NULL;

  if (rest == NULL)
    return cli.inspect (self, executor, name, cancellable, error);
  reply = request_json (rest, "GET", path, NULL, cancellable, error);
  if (reply == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (reply))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "podman API inspect: not an object");
      return NULL;
    }
  return docker_cli_status_from_inspect (json_node_get_object (reply));
}

static HeroVirtContainerStats *
rest_stats (HeroVirtContainerProvider *self,
            HeroVirtExecutor          *executor,
            const char                *name,
            GCancellable              *cancellable,
            GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *n = esc (name);
  g_autofree char *path = g_strdup_printf ("/containers/stats?containers=%s&stream=false", n);
  g_autoptr (JsonNode) reply = NULL;
  JsonNode *stats;

  if (rest == NULL)
    return cli.stats (self, executor, name, cancellable, error);
  reply = request_json (rest, "GET", path, NULL, cancellable, error);
  if (reply == NULL)
    return NULL;
  stats = JSON_NODE_HOLDS_OBJECT (reply)
              ? json_object_get_member (json_node_get_object (reply), "Stats")
              : NULL;
  if (stats == NULL || !JSON_NODE_HOLDS_ARRAY (stats)
      || json_array_get_length (json_node_get_array (stats)) == 0)
    {
      const char *err = JSON_NODE_HOLDS_OBJECT (reply)
                            ? docker_cli_get_string (json_node_get_object (reply), "Error")
                            : NULL;
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED, "podman API stats: %s",
                   err ? err : "no sample");
      return NULL;
    }
  if (docker_cli_array_object (json_node_get_array (stats), 0) == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "podman API stats: not an array of objects");
      return NULL;
    }
  return podman_stats_from_row (docker_cli_array_object (json_node_get_array (stats), 0));
}

static char *
rest_run_health_check (HeroVirtContainerProvider *self,
                       HeroVirtExecutor          *executor,
                       const char                *name,
                       GCancellable              *cancellable,
                       GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *n = esc (name);
  g_autofree char *path = g_strdup_printf ("/containers/%s/healthcheck", n);
  g_autoptr (JsonNode) reply = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *status;

  if (rest == NULL)
    return cli.run_health_check (self, executor, name, cancellable, error);
  reply = request_json (rest, "GET", path, NULL, cancellable, &local_error);
  if (reply == NULL)
    {
      if (strstr (local_error->message, "no defined healthcheck")
          || strstr (local_error->message, "has no healthcheck"))
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                       "Container “%s” has no health check", name);
          return NULL;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  status = JSON_NODE_HOLDS_OBJECT (reply)
               ? docker_cli_get_string (json_node_get_object (reply), "Status")
               : NULL;
  if (status == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE,
                   "podman API healthcheck: no Status");
      return NULL;
    }
  return g_strdup (status);
}

static GPtrArray *
rows_to_array (JsonNode *reply, gpointer (*parse) (JsonObject *), GError **error)
{
  GPtrArray *out;
  JsonArray *rows;

  if (!JSON_NODE_HOLDS_ARRAY (reply))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "podman API: expected an array");
      return NULL;
    }
  rows = json_node_get_array (reply);
  out = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    if (docker_cli_array_object (rows, i) != NULL)
      g_ptr_array_add (out, parse (docker_cli_array_object (rows, i)));
  return out;
}

static GPtrArray *
rest_list (HeroVirtContainerProvider *self,
           HeroVirtExecutor          *executor,
           gboolean                   all,
           GCancellable              *cancellable,
           GError                   **error)
{
  PodmanRest *rest = rest_for (executor);
  g_autoptr (JsonNode) reply = NULL;

  if (rest == NULL)
    return cli.list (self, executor, all, cancellable, error);
  reply = request_json (rest, "GET", all ? "/containers/json?all=true" : "/containers/json", NULL,
                        cancellable, error);
  if (reply == NULL)
    return NULL;
  return rows_to_array (reply, (gpointer (*) (JsonObject *))podman_status_from_ps_row, error);
}

/* ---- images ---- */

static GPtrArray *
rest_image_list (HeroVirtContainerProvider *self,
                 HeroVirtExecutor          *executor,
                 GCancellable              *cancellable,
                 GError                   **error)
{
  PodmanRest *rest = rest_for (executor);
  g_autoptr (JsonNode) reply = NULL;

  if (rest == NULL)
    return cli.image_list (self, executor, cancellable, error);
  reply = request_json (rest, "GET", "/images/json", NULL, cancellable, error);
  if (reply == NULL)
    return NULL;
  return rows_to_array (reply, (gpointer (*) (JsonObject *))podman_image_from_row, error);
}

/* pull and push stream JSON objects; an "error" member anywhere fails. */
static char *
stream_result (GBytes *body, const char *what, GError **error)
{
  return podman_rest_stream_result (g_bytes_get_data (body, NULL), g_bytes_get_size (body), what,
                                    error);
}

static char *
rest_image_pull (HeroVirtContainerProvider *self,
                 HeroVirtExecutor          *executor,
                 const char                *reference,
                 gboolean                   tls_verify,
                 GCancellable              *cancellable,
                 GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *r = esc (reference);
  g_autofree char *path = g_strdup_printf ("/images/pull?reference=%s&tlsVerify=%s&quiet=true", r,
                                           tls_verify ? "true" : "false");
  g_autoptr (GBytes) body = NULL;
  char *id;

  if (rest == NULL)
    return cli.image_pull (self, executor, reference, tls_verify, cancellable, error);
  body = request (rest, "POST", path, NULL, NULL, cancellable, error);
  if (body == NULL)
    return NULL;
  id = stream_result (body, "pull", error);
  if (id != NULL && *id == '\0')
    {
      g_free (id);
      id = g_strdup (reference);
    }
  return id;
}

static gboolean
rest_image_push (HeroVirtContainerProvider *self,
                 HeroVirtExecutor          *executor,
                 const char                *reference,
                 const char                *destination,
                 gboolean                   tls_verify,
                 GCancellable              *cancellable,
                 GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *r = esc (reference);
  g_autofree char *d = esc (destination ? destination : reference);
  g_autofree char *path = g_strdup_printf ("/images/%s/push?destination=%s&tlsVerify=%s", r, d,
                                           tls_verify ? "true" : "false");
  g_autoptr (GBytes) body = NULL;
  g_autofree char *id = NULL;

  if (rest == NULL)
    return cli.image_push (self, executor, reference, destination, tls_verify, cancellable, error);
  body = request (rest, "POST", path, NULL, NULL, cancellable, error);
  if (body == NULL)
    return FALSE;
  id = stream_result (body, "push", error);
  return id != NULL;
}

static gboolean
rest_image_tag (HeroVirtContainerProvider *self,
                HeroVirtExecutor          *executor,
                const char                *reference,
                const char                *new_reference,
                GCancellable              *cancellable,
                GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *r = esc (reference);
  const char      *slash = strrchr (new_reference, '/');
  const char      *colon = strrchr (slash ? slash : new_reference, ':');
  g_autofree char *repo
      = colon ? g_strndup (new_reference, colon - new_reference) : g_strdup (new_reference);
  g_autofree char *repo_e = esc (repo);
  g_autofree char *tag_e = esc (colon ? colon + 1 : "latest");
  g_autofree char *path = g_strdup_printf ("/images/%s/tag?repo=%s&tag=%s", r, repo_e, tag_e);

  if (rest == NULL)
    return cli.image_tag (self, executor, reference, new_reference, cancellable, error);
  return request_ok (rest, "POST", path, NULL, cancellable, error);
}

static gboolean
rest_image_remove (HeroVirtContainerProvider *self,
                   HeroVirtExecutor          *executor,
                   const char                *reference,
                   gboolean                   force,
                   GCancellable              *cancellable,
                   GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *r = esc (reference);
  g_autofree char *path = g_strdup_printf ("/images/%s?force=%s", r, force ? "true" : "false");

  if (rest == NULL)
    return cli.image_remove (self, executor, reference, force, cancellable, error);
  return request_ok (rest, "DELETE", path, NULL, cancellable, error);
}

static char *
rest_image_commit (HeroVirtContainerProvider *self,
                   HeroVirtExecutor          *executor,
                   const char                *name,
                   const char                *reference,
                   GCancellable              *cancellable,
                   GError                   **error)
{
  PodmanRest      *rest = rest_for (executor);
  g_autofree char *n = esc (name);
  const char      *slash = strrchr (reference, '/');
  const char      *colon = strrchr (slash ? slash : reference, ':');
  g_autofree char *repo = colon ? g_strndup (reference, colon - reference) : g_strdup (reference);
  g_autofree char *repo_e = esc (repo);
  g_autofree char *tag_e = esc (colon ? colon + 1 : "latest");
  g_autofree char *path = g_strdup_printf ("/commit?container=%s&repo=%s&tag=%s", n, repo_e, tag_e);
  g_autoptr (JsonNode) reply = NULL;
  const char *id;

  if (rest == NULL)
    return cli.image_commit (self, executor, name, reference, cancellable, error);
  reply = request_json (rest, "POST", path, NULL, cancellable, error);
  if (reply == NULL)
    return NULL;
  id = JSON_NODE_HOLDS_OBJECT (reply) ? docker_cli_get_string (json_node_get_object (reply), "Id")
                                      : NULL;
  return g_strdup (id ? id : reference);
}

/* Judged on the executor the call will use: the service socket there is
 * enough, else the CLI must be installed there. */
static gboolean
rest_is_available (HeroVirtContainerProvider *self,
                   HeroVirtExecutor          *executor,
                   GCancellable              *cancellable,
                   GError                   **error)
{
  g_autofree char *socket = podman_rest_find_socket (executor);

  return socket != NULL || cli.is_available (self, executor, cancellable, error);
}

void
podman_rest_iface_init (HeroVirtContainerProviderInterface *iface)
{
  /* Keep the CLI implementation to fall back on. */
  cli = *iface;

  iface->is_available = rest_is_available;
  iface->create = rest_create;
  iface->start = rest_start;
  iface->stop = rest_stop;
  iface->kill = rest_kill;
  iface->restart = rest_restart;
  iface->remove = rest_remove;
  iface->exec = rest_exec;
  iface->copy_in = rest_copy_in;
  iface->copy_out = rest_copy_out;
  iface->logs = rest_logs;
  iface->follow_logs = rest_follow_logs;
  iface->inspect = rest_inspect;
  iface->stats = rest_stats;
  iface->run_health_check = rest_run_health_check;
  iface->list = rest_list;
  iface->image_list = rest_image_list;
  iface->image_pull = rest_image_pull;
  iface->image_push = rest_image_push;
  iface->image_tag = rest_image_tag;
  iface->image_remove = rest_image_remove;
  iface->image_commit = rest_image_commit;
}
