/* ks-server.c: the SoupServer, authentication, fault injection and routing
 * of API paths to discovery, OpenAPI and the resource handlers. */
#include "ks-server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

void
ks_respond (SoupServerMessage *msg, guint code, JsonObject *body)
{
  GString *out = g_string_sized_new (512);
  gsize    len;

  ks_json_write_object (out, body, NULL);
  g_string_append_c (out, '\n');
  len = out->len;
  soup_server_message_set_status (msg, code, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (out, FALSE), len);
}

void
ks_respond_status (SoupServerMessage *msg, JsonObject *status)
{
  ks_respond (msg, ks_status_code (status), status);
  json_object_unref (status);
}

static void
respond_bytes (SoupServerMessage *msg, const char *content_type, GBytes *bytes)
{
  gsize         size;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, size);
}

static void
respond_text (SoupServerMessage *msg, guint code, const char *text)
{
  soup_server_message_set_status (msg, code, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY, text,
                                    strlen (text));
}

const char *
ks_query (KsRequest *req, const char *key)
{
  return req->query ? g_hash_table_lookup (req->query, key) : NULL;
}

gboolean
ks_query_bool (KsRequest *req, const char *key)
{
  const char *v = ks_query (req, key);

  return v != NULL && (strcmp (v, "1") == 0 || g_ascii_strcasecmp (v, "true") == 0);
}

/* ---- authentication ---- */

static KsUser *
find_user_by_token (KsSim *sim, const char *token)
{
  for (guint i = 0; i < sim->users->len; i++)
    {
      KsUser *user = g_ptr_array_index (sim->users, i);
      if (user->token != NULL && strcmp (user->token, token) == 0)
        return user;
    }
  return NULL;
}

static void
user_free (KsUser *user)
{
  g_free (user->name);
  g_strfreev (user->groups);
  g_free (user);
}

/* The peer certificate is on the first message of a connection only: the
 * identity it proves is kept on the socket for the requests after it. */
static KsUser *
user_from_certificate (KsSim *sim, SoupServerMessage *msg)
{
  GTlsCertificate *peer = soup_server_message_get_tls_peer_certificate (msg);
  GSocket         *socket = soup_server_message_get_socket (msg);
  g_autofree char *subject = NULL;
  g_auto (GStrv) parts = NULL;
  KsUser       *user;
  GStrvBuilder *groups;

  if (peer == NULL)
    return socket ? g_object_get_data (G_OBJECT (socket), "ks-cert-user") : NULL;
  if (sim->ca_certificate == NULL
      || g_tls_certificate_verify (peer, NULL, sim->ca_certificate) != 0)
    return NULL;
  subject = g_tls_certificate_get_subject_name (peer);
  if (subject == NULL)
    return NULL;
  user = g_new0 (KsUser, 1);
  parts = g_strsplit (subject, ",", -1);
  groups = g_strv_builder_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);
      if (g_str_has_prefix (part, "CN=") && user->name == NULL)
        user->name = g_strdup (part + 3);
      else if (g_str_has_prefix (part, "O="))
        g_strv_builder_add (groups, part + 2);
    }
  user->groups = g_strv_builder_end (groups);
  g_strv_builder_unref (groups);
  if (user->name == NULL)
    {
      user_free (user);
      return NULL;
    }
  if (socket != NULL)
    g_object_set_data_full (G_OBJECT (socket), "ks-cert-user", user, (GDestroyNotify)user_free);
  else
    g_object_set_data_full (G_OBJECT (msg), "ks-cert-user", user, (GDestroyNotify)user_free);
  return user;
}

static KsUser *
authenticate (KsSim *sim, SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char         *auth = soup_message_headers_get_one (headers, "Authorization");

  if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    {
      const char *token = auth + 7;
      while (*token == ' ')
        token++;
      return find_user_by_token (sim, token);
    }
  if (auth != NULL && g_ascii_strncasecmp (auth, "Basic ", 6) == 0)
    {
      gsize            len = 0;
      g_autofree char *raw = (char *)g_base64_decode (auth + 6, &len);
      g_autofree char *pair = raw ? g_strndup (raw, len) : NULL;
      char            *colon = pair ? strchr (pair, ':') : NULL;
      if (colon == NULL)
        return NULL;
      *colon = '\0';
      for (guint i = 0; i < sim->users->len; i++)
        {
          KsUser *user = g_ptr_array_index (sim->users, i);
          if (user->password != NULL && strcmp (user->name, pair) == 0
              && strcmp (user->password, colon + 1) == 0)
            return user;
        }
      return NULL;
    }
  if (auth != NULL)
    return NULL;
  return user_from_certificate (sim, msg);
}

/* ---- faults ---- */

static gboolean
fault_hit (double rate, gint *count)
{
  if (*count > 0)
    {
      (*count)--;
      return TRUE;
    }
  return rate > 0 && g_random_double () < rate;
}

/* TRUE when a fault answered the request. */
static gboolean
inject_fault (KsSim *sim, SoupServerMessage *msg, const char **fault)
{
  KsFaults *f = &sim->faults;

  if (f->fault_methods != NULL
      && !g_strv_contains ((const char *const *)f->fault_methods,
                           soup_server_message_get_method (msg)))
    return FALSE;
  if (fault_hit (f->rate_drop, &f->count_drop))
    {
      *fault = "drop";
      GIOStream *stream = soup_server_message_steal_connection (msg);
      if (stream != NULL)
        {
          g_io_stream_close (stream, NULL, NULL);
          g_object_unref (stream);
        }
      return TRUE;
    }
  if (fault_hit (f->rate_429, &f->count_429))
    {
      *fault = "429";
      g_autofree char *after = g_strdup_printf ("%u", f->retry_after);
      JsonObject      *status
          = ks_status_new (429, "TooManyRequests", "Too many requests, please try again later.");
      JsonObject *details = json_object_new ();
      json_object_set_int_member (details, "retryAfterSeconds", f->retry_after);
      json_object_set_object_member (status, "details", details);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                    after);
      ks_respond_status (msg, status);
      return TRUE;
    }
  if (fault_hit (f->rate_500, &f->count_500))
    {
      *fault = "500";
      JsonObject *status
          = ks_status_new (500, "InternalError", "Internal error occurred: injected by kube-sim");
      JsonObject *details = json_object_new ();
      JsonArray  *causes = json_array_new ();
      JsonObject *cause = json_object_new ();
      json_object_set_string_member (cause, "message", "injected by kube-sim");
      json_array_add_object_element (causes, cause);
      json_object_set_array_member (details, "causes", causes);
      json_object_set_object_member (status, "details", details);
      ks_respond_status (msg, status);
      return TRUE;
    }
  return FALSE;
}

/* ---- routing ---- */

static JsonObject *
version_info (void)
{
  JsonObject *v = json_object_new ();

  json_object_set_string_member (v, "major", "1");
  json_object_set_string_member (v, "minor", "32");
  json_object_set_string_member (v, "gitVersion", "v1.32.4");
  json_object_set_string_member (v, "gitCommit", "0000000000000000000000000000000000000000");
  json_object_set_string_member (v, "gitTreeState", "clean");
  json_object_set_string_member (v, "buildDate", "2026-01-01T00:00:00Z");
  json_object_set_string_member (v, "goVersion", "go1.23.6");
  json_object_set_string_member (v, "compiler", "gc");
  json_object_set_string_member (v, "platform", "linux/amd64");
  return v;
}

static gboolean
wants_table (SoupServerMessage *msg)
{
  const char *accept
      = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Accept");

  return accept != NULL && strstr (accept, "as=Table") != NULL;
}

static void
respond_owned (SoupServerMessage *msg, guint code, JsonObject *body)
{
  if (body == NULL)
    {
      respond_text (msg, 404, "404 page not found\n");
      return;
    }
  ks_respond (msg, code, body);
  json_object_unref (body);
}

static void
add_warnings (KsSim *sim, SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  for (guint i = 0; i < sim->warnings->len; i++)
    {
      g_autoptr (GString) value = g_string_new ("299 - \"");
      for (const char *p = g_ptr_array_index (sim->warnings, i); *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (value, '\\');
          g_string_append_c (value, *p);
        }
      g_string_append_c (value, '"');
      soup_message_headers_append (headers, "Warning", value->str);
    }
  g_ptr_array_set_size (sim->warnings, 0);
}

static void
route_resource (KsSim             *sim,
                SoupServerMessage *msg,
                GHashTable        *query,
                KsUser            *user,
                const char        *group,
                const char        *version,
                char             **rest)
{
  KsRequest req = { 0 };
  guint     n = g_strv_length (rest);

  req.sim = sim;
  req.msg = msg;
  req.method = soup_server_message_get_method (msg);
  req.query = query;
  req.user = user;
  req.table = wants_table (msg);

  if (n >= 3 && strcmp (rest[0], "namespaces") == 0)
    {
      KsResource *res = ks_resource_find (sim, group, version, rest[2]);
      if (res != NULL && res->namespaced)
        {
          req.res = res;
          req.ns = rest[1];
          req.name = n >= 4 ? rest[3] : NULL;
          req.sub = n >= 5 ? rest[4] : NULL;
          if (n > 5)
            req.res = NULL;
        }
    }
  if (req.res == NULL && n >= 1 && n <= 3)
    {
      KsResource *res = ks_resource_find (sim, group, version, rest[0]);
      if (res != NULL && (n == 1 || !res->namespaced))
        {
          req.res = res;
          req.name = n >= 2 ? rest[1] : NULL;
          req.sub = n >= 3 ? rest[2] : NULL;
        }
    }
  if (req.res == NULL)
    {
      JsonObject *status
          = ks_status_new (404, "NotFound", "the server could not find the requested resource");
      json_object_set_object_member (status, "details", json_object_new ());
      ks_respond_status (msg, status);
      return;
    }
  if (req.name != NULL && *req.name == '\0')
    req.name = NULL;
  if (sim->warnings == NULL)
    sim->warnings = g_ptr_array_new_with_free_func (g_free);
  sim->field_validation = query ? g_hash_table_lookup (query, "fieldValidation") : NULL;
  ks_api_handle (&req);
  sim->field_validation = NULL;
  add_warnings (sim, msg);
}

static gboolean
is_public_path (const char *path)
{
  return strcmp (path, "/healthz") == 0 || strcmp (path, "/readyz") == 0
         || strcmp (path, "/livez") == 0 || strcmp (path, "/version") == 0
         || g_str_has_prefix (path, "/healthz/") || g_str_has_prefix (path, "/readyz/")
         || g_str_has_prefix (path, "/livez/");
}

static void
serve (KsSim *sim, SoupServerMessage *msg, const char *path, GHashTable *query, KsUser *user);

/* libsoup writes a response's headers and its body separately: two TLS
 * records, and without a cork two TCP segments, each waking the client.
 * A real API server's buffered writer sends a small answer in one segment;
 * corked until the message is finished, so does the simulator. Streamed
 * answers (watches, logs, upgrades) are never corked. */
static void
uncork (SoupServerMessage *msg, gpointer data)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL && !g_socket_is_closed (socket))
    g_socket_set_option (socket, IPPROTO_TCP, TCP_CORK, 0, NULL);
}

static void
cork_response (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  GSocket            *socket = soup_server_message_get_socket (msg);

  if (socket == NULL || soup_server_message_get_status (msg) < 200
      || soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED
      || g_socket_get_family (socket) == G_SOCKET_FAMILY_UNIX)
    return;
  if (g_socket_set_option (socket, IPPROTO_TCP, TCP_CORK, 1, NULL))
    g_signal_connect (msg, "finished", G_CALLBACK (uncork), NULL);
}

static void
process (KsSim *sim, SoupServerMessage *msg, const char *path, GHashTable *query)
{
  KsUser     *user = authenticate (sim, msg);
  const char *fault = NULL;

  if (user != NULL && g_str_has_prefix (path, "/kube-sim/"))
    {
      ks_admin_handle (sim, msg, path);
      return;
    }
  if (user != NULL && (g_str_has_prefix (path, "/api/") || g_str_has_prefix (path, "/apis/"))
      && inject_fault (sim, msg, &fault))
    {
      if (strcmp (fault, "drop") != 0)
        cork_response (msg);
      ks_admin_record (sim, msg, path, user->name, fault);
      return;
    }
  serve (sim, msg, path, query, user);
  cork_response (msg);
  ks_admin_record (sim, msg, path, user ? user->name : NULL, NULL);
}

static void
serve (KsSim *sim, SoupServerMessage *msg, const char *path, GHashTable *query, KsUser *user)
{
  const char *method = soup_server_message_get_method (msg);
  g_auto (GStrv) parts = NULL;
  guint n;

  if (sim->verbose)
    g_printerr (
        "kube-sim: %s %s%s%s (%s)\n", method, path,
        soup_server_message_get_uri (msg) && g_uri_get_query (soup_server_message_get_uri (msg))
            ? "?"
            : "",
        soup_server_message_get_uri (msg) && g_uri_get_query (soup_server_message_get_uri (msg))
            ? g_uri_get_query (soup_server_message_get_uri (msg))
            : "",
        user ? user->name : "anonymous");
  if (user == NULL && !is_public_path (path))
    {
      ks_respond_status (msg, ks_status_new (401, "Unauthorized", "Unauthorized"));
      return;
    }

  if (is_public_path (path))
    {
      if (strcmp (path, "/version") == 0)
        respond_owned (msg, 200, version_info ());
      else
        respond_text (msg, 200, "ok");
      return;
    }
  if (strcmp (path, "/openapi/v2") == 0)
    {
      g_autoptr (GBytes) doc = ks_openapi_v2 (sim);
      respond_bytes (msg, "application/com.github.proto-openapi.spec.v2.v1.0+protobuf", doc);
      return;
    }
  if (strcmp (path, "/openapi/v3") == 0 || strcmp (path, "/openapi/v3/") == 0)
    {
      g_autoptr (GBytes) doc = ks_openapi_v3_root (sim);
      respond_bytes (msg, "application/json", doc);
      return;
    }
  if (g_str_has_prefix (path, "/openapi/v3/"))
    {
      const char *gv = path + strlen ("/openapi/v3/");
      g_autoptr (GBytes) doc = NULL;
      if (g_str_has_prefix (gv, "api/"))
        doc = ks_openapi_v3_group (sim, gv + 4);
      else if (g_str_has_prefix (gv, "apis/"))
        doc = ks_openapi_v3_group (sim, gv + 5);
      if (doc == NULL)
        respond_text (msg, 404, "404 page not found\n");
      else
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Cache-Control", "public, immutable");
          respond_bytes (msg, "application/json", doc);
        }
      return;
    }

  parts = g_strsplit (path, "/", -1);
  n = g_strv_length (parts);
  /* parts[0] is "" (the leading slash) */
  if (n >= 2 && strcmp (parts[1], "api") == 0)
    {
      if (n == 2 || (n == 3 && *parts[2] == '\0'))
        respond_owned (msg, 200, ks_discovery_api_versions (sim));
      else if (strcmp (parts[2], "v1") != 0)
        respond_text (msg, 404, "404 page not found\n");
      else if (n == 3 || (n == 4 && *parts[3] == '\0'))
        respond_owned (msg, 200, ks_discovery_resource_list (sim, "", "v1"));
      else
        route_resource (sim, msg, query, user, "", "v1", parts + 3);
      return;
    }
  if (n >= 2 && strcmp (parts[1], "apis") == 0)
    {
      if (n == 2 || (n == 3 && *parts[2] == '\0'))
        respond_owned (msg, 200, ks_discovery_group_list (sim));
      else if (n == 3 || (n == 4 && *parts[3] == '\0'))
        respond_owned (msg, 200, ks_discovery_group (sim, parts[2]));
      else if (n == 4 || (n == 5 && *parts[4] == '\0'))
        respond_owned (msg, 200, ks_discovery_resource_list (sim, parts[2], parts[3]));
      else
        route_resource (sim, msg, query, user, parts[2], parts[3], parts + 4);
      return;
    }
  respond_text (msg, 404, "404 page not found\n");
}

typedef struct
{
  KsSim             *sim;
  SoupServerMessage *msg;
  char              *path;
  GHashTable        *query;
} Delayed;

static gboolean
delayed_process (gpointer data)
{
  Delayed *d = data;

  soup_server_message_unpause (d->msg);
  process (d->sim, d->msg, d->path, d->query);
  g_object_unref (d->msg);
  g_free (d->path);
  g_clear_pointer (&d->query, g_hash_table_unref);
  g_free (d);
  return G_SOURCE_REMOVE;
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           data)
{
  KsSim *sim = data;

  if (sim->faults.latency_ms > 0)
    {
      Delayed *d = g_new0 (Delayed, 1);
      d->sim = sim;
      d->msg = g_object_ref (msg);
      d->path = g_strdup (path);
      d->query = query ? g_hash_table_ref (query) : NULL;
      soup_server_message_pause (msg);
      g_timeout_add (sim->faults.latency_ms, delayed_process, d);
      return;
    }
  process (sim, msg, path, query);
}

/* kube-apiserver reads no more of a body than its limit and answers 413;
 * Go's net/http then reads up to 256 KiB of what is left, to keep the
 * connection, and otherwise answers, sends close_notify, shuts its side
 * down and closes the socket 500 ms later: a reset when the client is
 * still sending. */
#define GO_POST_HANDLER_READ_MAX (256 * 1024)
#define GO_RST_AVOIDANCE_DELAY_MS 500

typedef struct
{
  SoupServerMessage *msg;
  GIOStream         *stream;
  GString           *answer;
} EarlyAnswer;

static void
early_answer_free (EarlyAnswer *e)
{
  g_clear_object (&e->msg);
  if (e->stream != NULL)
    g_io_stream_close (e->stream, NULL, NULL);
  g_clear_object (&e->stream);
  if (e->answer != NULL)
    g_string_free (e->answer, TRUE);
  g_free (e);
}

static gboolean
early_answer_close (gpointer data)
{
  early_answer_free (data);
  return G_SOURCE_REMOVE;
}

/* Out of libsoup's hands (it would read the whole body first): the answer
 * straight on the connection, then Go's way of closing it. */
static gboolean
early_answer_send (gpointer data)
{
  EarlyAnswer *e = data;
  GSocket     *socket;

  e->stream = soup_server_message_steal_connection (e->msg);
  g_clear_object (&e->msg);
  if (e->stream == NULL)
    {
      early_answer_free (e);
      return G_SOURCE_REMOVE;
    }
  socket = g_object_get_data (G_OBJECT (e->stream), "GSocket");
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (e->stream), e->answer->str,
                                  e->answer->len, NULL, NULL, NULL)
      || !g_output_stream_close (g_io_stream_get_output_stream (e->stream), NULL, NULL))
    {
      early_answer_free (e);
      return G_SOURCE_REMOVE;
    }
  if (socket != NULL)
    g_socket_shutdown (socket, FALSE, TRUE, NULL);
  g_timeout_add (GO_RST_AVOIDANCE_DELAY_MS, early_answer_close, e);
  return G_SOURCE_REMOVE;
}

static void
answer_before_body (KsSim *sim, SoupServerMessage *msg, const char *path, JsonObject *status)
{
  EarlyAnswer *e = g_new0 (EarlyAnswer, 1);
  GString     *body = g_string_sized_new (256);
  guint        code = ks_status_code (status);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);

  ks_json_write_object (body, status, NULL);
  g_string_append_c (body, '\n');
  e->answer = g_string_sized_new (body->len + 256);
  g_string_append_printf (e->answer,
                          "HTTP/1.1 %u %s\r\nCache-Control: no-cache, private\r\n"
                          "Content-Type: application/json\r\nDate: %s\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          code, soup_status_get_phrase (code), date, body->len);
  g_string_append_len (e->answer, body->str, body->len);
  g_string_free (body, TRUE);
  /* recorded as it is answered: no handler sees it */
  soup_server_message_set_status (msg, code, NULL);
  ks_admin_record (sim, msg, path, NULL, NULL);
  json_object_unref (status);
  e->msg = g_object_ref (msg);
  /* no more of the body is read; the connection is taken once libsoup
   * is out of its got-headers handlers */
  soup_server_message_pause (msg);
  g_idle_add (early_answer_send, e);
}

static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           data)
{
  KsSim              *sim = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset             length = soup_message_headers_get_content_length (headers);

  if (sim->faults.max_body > 0 && length > (goffset)sim->faults.max_body)
    {
      g_autofree char *message
          = g_strdup_printf ("Request entity too large: limit is %zu", sim->faults.max_body);
      JsonObject *status = ks_status_new (413, "RequestEntityTooLarge", message);

      /* With Expect: 100-continue libsoup's own answer below goes out
       * before the client sends the body. */
      if (length - (goffset)sim->faults.max_body > GO_POST_HANDLER_READ_MAX
          && !(soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE))
        {
          answer_before_body (sim, msg, path, status);
          return;
        }
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                    "close");
      ks_respond_status (msg, status);
    }
}

static gboolean
accept_any_certificate (SoupServerMessage   *msg,
                        GTlsCertificate     *certificate,
                        GTlsCertificateFlags errors,
                        gpointer             data)
{
  /* Checked against the CA when the request is authenticated. */
  return TRUE;
}

static void
request_started (SoupServer *server, SoupServerMessage *msg, gpointer data)
{
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate), data);
}

gboolean
ks_server_start (KsSim *sim, SoupServer *server, GError **error)
{
  g_signal_connect (server, "request-started", G_CALLBACK (request_started), sim);
  soup_server_add_early_handler (server, NULL, early_handler, sim, NULL);
  soup_server_add_handler (server, NULL, handler, sim, NULL);
  return TRUE;
}
