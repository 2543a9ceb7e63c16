/* k8s-http-unit.c: the answer parser of the k8s plugin's own HTTP/1.1
 * client, on its own (no server): lengths, chunks, the end of the
 * connection, 1xx answers, and answers a hostile server could send; the
 * client against a small TLS server of its own that answers a large body
 * before reading it (and closes, or keeps the connection open, or closes
 * without an answer); and its JSON parser against json-glib's
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include <hero-virt.h>

#include "k8s-http.h"
#include "k8s-json.h"
#include "ks-tls.h"

static GBytes *
parse (const char *text,
       gboolean    head,
       guint      *status,
       char      **retry_after,
       gboolean   *keep_alive,
       GError    **error)
{
  return k8s_http_parse_response (text, strlen (text), head, status, retry_after, keep_alive,
                                  error);
}

static void
assert_body (GBytes *b, const char *want)
{
  g_assert_nonnull (b);
  g_assert_cmpmem (g_bytes_get_data (b, NULL), g_bytes_get_size (b), want, strlen (want));
}

static void
test_content_length (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *retry_after = NULL;
  guint            status = 0;
  gboolean         keep_alive = FALSE;
  g_autoptr (GBytes) b = parse ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                "Content-Length: 7\r\n\r\n{\"a\":1}",
                                FALSE, &status, &retry_after, &keep_alive, &error);

  g_assert_no_error (error);
  assert_body (b, "{\"a\":1}");
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (keep_alive);
  g_assert_null (retry_after);
}

static void
test_chunked (void)
{
  g_autoptr (GError) error = NULL;
  guint    status = 0;
  gboolean keep_alive = FALSE;
  g_autoptr (GBytes) b
      = parse ("HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n"
               "4\r\n{\"a\"\r\na;ext=1\r\n:[1,2,3]}\n\r\n0\r\nX-Trailer: t\r\n\r\n",
               FALSE, &status, NULL, &keep_alive, &error);

  g_assert_no_error (error);
  assert_body (b, "{\"a\":[1,2,3]}\n");
  g_assert_cmpuint (status, ==, 201);
  g_assert_true (keep_alive);
}

static void
test_status_and_headers (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *retry_after = NULL;
  guint            status = 0;
  gboolean         keep_alive = TRUE;
  g_autoptr (GBytes) b
      = parse ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 429 Too Many Requests\r\nRetry-After:  2\r\n"
               "Connection: close\r\nContent-Length: 2\r\n\r\n{}",
               FALSE, &status, &retry_after, &keep_alive, &error);

  g_assert_no_error (error);
  assert_body (b, "{}");
  g_assert_cmpuint (status, ==, 429);
  g_assert_cmpstr (retry_after, ==, "2");
  g_assert_false (keep_alive);
}

static void
test_no_body (void)
{
  g_autoptr (GError) error = NULL;
  guint    status = 0;
  gboolean keep_alive = FALSE;
  g_autoptr (GBytes) b204
      = parse ("HTTP/1.1 204 No Content\r\n\r\n", FALSE, &status, NULL, &keep_alive, &error);
  g_autoptr (GBytes) head = NULL;
  g_autoptr (GBytes) to_end = NULL;

  g_assert_no_error (error);
  assert_body (b204, "");
  g_assert_true (keep_alive);
  /* HEAD: the length is what a GET would have had */
  head = parse ("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", TRUE, &status, NULL, &keep_alive,
                &error);
  g_assert_no_error (error);
  assert_body (head, "");
  /* neither length nor chunks: up to the end of the connection */
  to_end = parse ("HTTP/1.0 200 OK\r\n\r\nall of it", FALSE, &status, NULL, &keep_alive, &error);
  g_assert_no_error (error);
  assert_body (to_end, "all of it");
  g_assert_false (keep_alive);
}

static void
test_http10_keep_alive (void)
{
  g_autoptr (GError) error = NULL;
  guint    status = 0;
  gboolean keep_alive = FALSE;
  g_autoptr (GBytes) b
      = parse ("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", FALSE,
               &status, NULL, &keep_alive, &error);

  g_assert_no_error (error);
  g_assert_true (keep_alive);
}

static void
test_leftover_closes (void)
{
  g_autoptr (GError) error = NULL;
  guint    status = 0;
  gboolean keep_alive = TRUE;
  g_autoptr (GBytes) b = parse ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}junk", FALSE,
                                &status, NULL, &keep_alive, &error);

  g_assert_no_error (error);
  assert_body (b, "{}");
  /* bytes nobody asked for: the connection is not used again */
  g_assert_false (keep_alive);
}

static void
test_truncated (void)
{
  static const char *const cases[] = {
    "",
    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{}",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      guint    status = 0;
      gboolean keep_alive = FALSE;
      g_autoptr (GBytes) b = parse (cases[i], FALSE, &status, NULL, &keep_alive, &error);

      g_assert_null (b);
      g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
                     || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED));
    }
}

static void
test_hostile (void)
{
  g_autoptr (GString) long_head = g_string_new ("HTTP/1.1 200 OK\r\n");
  const char *const cases[] = {
    "SSH-2.0-OpenSSH_9.2\r\n\r\n",
    "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n",
    "HTTP/1.1 99 Odd\r\nContent-Length: 0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 0\r\n\r\n",
    "HTTP/1.1 101 Switching Protocols\r\n\r\n",
    NULL, /* the long head, below */
  };

  while (long_head->len < 70 * 1024)
    g_string_append (long_head, "X-Filler: 0123456789012345678901234567890123456789\r\n");
  g_string_append (long_head, "\r\n");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      guint    status = 0;
      gboolean keep_alive = FALSE;
      int      want;
      g_autoptr (GBytes) b
          = parse (cases[i] ? cases[i] : long_head->str, FALSE, &status, NULL, &keep_alive, &error);

      g_assert_null (b);
      want = strstr (cases[i] ? cases[i] : "", "ncoding: gzip") ? SOUP_SESSION_ERROR_ENCODING
                                                                : SOUP_SESSION_ERROR_PARSING;
      g_assert_error (error, SOUP_SESSION_ERROR, want);
    }
}

/* ---- JSON ---------------------------------------------------------------- */

static void
test_json_same_as_json_glib (void)
{
  static const char *const docs[] = {
    "{}",
    "[]",
    " \t\r\n{ \"a\" : 1 , \"b\":[ true,false ,null ] }\n",
    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"zz\","
    "\"namespace\":\"default\",\"managedFields\":[{\"manager\":\"unknown\",\"fieldsV1\":"
    "{\"f:data\":{\"f:key\":{}}}}],\"resourceVersion\":\"2619\"},\"data\":{\"key\":\"value\"}}",
    "\"just a string\"",
    "\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u20ac \\ud83d\\ude00 end\"",
    "\"utf-8 as is: \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
    "[0, -0, 1, -1, 42, 9007199254740993, -9223372036854775808, 9223372036854775807]",
    "[1.5, -0.25, 1e3, 1E-3, 2.5e+10, 0.0, 1.0]",
    "{\"dup\":1,\"dup\":2}",
    "[[[[[[[[[[{\"deep\":[[]]}]]]]]]]]]]",
    "{\"\":\"empty name\",\"x\":\"\"}",
    "true",
    "null",
    "-12.5e-1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (JsonNode) ours = k8s_json_parse (docs[i], strlen (docs[i]), &error);
      g_autofree char *ours_text = NULL, *theirs_text = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (ours);
      g_assert_true (json_parser_load_from_data (parser, docs[i], -1, NULL));
      ours_text = json_to_string (ours, FALSE);
      theirs_text = json_to_string (json_parser_get_root (parser), FALSE);
      g_assert_cmpstr (ours_text, ==, theirs_text);
      g_assert_true (json_node_equal (ours, json_parser_get_root (parser)));
    }
}

static void
test_json_big_integer (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = k8s_json_parse ("[99999999999999999999]", 22, &error);
  JsonNode *v;

  /* json-glib wraps it around (to -1); a double is nearer */
  g_assert_no_error (error);
  v = json_array_get_element (json_node_get_array (node), 0);
  g_assert_cmpint (json_node_get_value_type (v), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (v), ==, 1e20);
}

static void
test_json_invalid (void)
{
  static const char *const docs[] = {
    "",
    "   ",
    "{",
    "}",
    "[1,]",
    "[1 2]",
    "{\"a\"}",
    "{\"a\":}",
    "{\"a\":1,}",
    "{a:1}",
    "{\"a\":1} x",
    "[01]",
    "[1.]",
    "[.5]",
    "[1e]",
    "[-]",
    "[+1]",
    "[tru]",
    "[nul]",
    "[\"unterminated]",
    "[\"bad \\x escape\"]",
    "[\"\\u12\"]",
    "[\"\\ud800\"]",
    "[\"\\udc00\"]",
    "[\"\\ud800\\u0041\"]",
    "[\"\\u0000\"]",
    "[\"tab\tinside\"]",
    "[\"\xff not utf-8\"]",
    "[NaN]",
    "// comment\n{}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) node = k8s_json_parse (docs[i], strlen (docs[i]), &error);

      if (node != NULL)
        g_error ("parsed what is not JSON: %s", docs[i]);
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
    }
  {
    /* a NUL byte inside */
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonNode) node = k8s_json_parse ("[\"a\0b\"]", 7, &error);

    g_assert_null (node);
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
  }
}

static void
test_json_depth (void)
{
  g_autoptr (GString) ok = g_string_new (NULL);
  g_autoptr (GString) deep = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) too_deep = NULL;

  for (guint i = 0; i < K8S_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, '[');
  for (guint i = 0; i < K8S_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, ']');
  node = k8s_json_parse (ok->str, ok->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  /* far deeper than the stack would take */
  for (guint i = 0; i < 200000; i++)
    g_string_append (deep, "{\"a\":[");
  too_deep = k8s_json_parse (deep->str, deep->len, &error);
  g_assert_null (too_deep);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
}

/* ---- the client against a server that answers before the body --------- */

/* Bodies up to this are read and answered 200 with the connection kept. */
#define SMALL_MAX 4096

typedef enum
{
  EARLY_CLOSE,     /* a large body: 413 at its head, then the socket closed (a reset) */
  EARLY_KEEP_OPEN, /* 413 at the head, then nothing read until released */
  EARLY_NOTHING,   /* the socket closed at the head, no answer */
  INTERIM,         /* 100 Continue at the head, the whole body read, then 201 */
} Mode;

typedef struct
{
  GSocketListener *listener;
  guint16          port;
  GTlsCertificate *cert;
  GThread         *thread;
  GCancellable    *stop;
  Mode             mode;
  GMutex           lock;
  GCond            cond;
  gboolean         released;
  gint             connections;
  gint             small_requests;
  gint             big_requests;
  guint64          big_body_read; /* INTERIM: the last large body's bytes read */
} Server;

static const char status_413[]
    = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
      "\"message\":\"Request entity too large: limit is 3145728\","
      "\"reason\":\"RequestEntityTooLarge\",\"code\":413}\n";

static gboolean
server_write (Server *s, GOutputStream *out, const char *text)
{
  return g_output_stream_write_all (out, text, strlen (text), NULL, s->stop, NULL);
}

/* Reads up to the end of a request's head, which it takes out of @buf
 * (the rest stays); FALSE at the end of the stream. */
static gboolean
server_read_head (Server *s, GInputStream *in, GByteArray *buf, guint64 *length)
{
  for (;;)
    {
      const char *end
          = buf->len >= 4 ? g_strstr_len ((const char *)buf->data, buf->len, "\r\n\r\n") : NULL;
      guint8 chunk[4096];
      gssize n;

      if (end != NULL)
        {
          g_autofree char *head
              = g_strndup ((const char *)buf->data, end - (const char *)buf->data);
          const char *cl = strstr (head, "Content-Length: ");

          *length = cl ? g_ascii_strtoull (cl + strlen ("Content-Length: "), NULL, 10) : 0;
          g_byte_array_remove_range (buf, 0, end + 4 - (const char *)buf->data);
          return TRUE;
        }
      n = g_input_stream_read (in, chunk, sizeof chunk, s->stop, NULL);
      if (n <= 0)
        return FALSE;
      g_byte_array_append (buf, chunk, n);
    }
}

/* Reads and drops what is left of a body of @length; returns the bytes read. */
static guint64
server_skip_body (Server *s, GInputStream *in, GByteArray *buf, guint64 length)
{
  guint64 done = MIN (buf->len, length);
  guint8  chunk[65536];

  g_byte_array_remove_range (buf, 0, done);
  while (done < length)
    {
      gssize n = g_input_stream_read (in, chunk, MIN (sizeof chunk, length - done), s->stop, NULL);

      if (n <= 0)
        break;
      done += n;
    }
  return done;
}

static void
server_connection (Server *s, GSocketConnection *tcp)
{
  g_autoptr (GIOStream) tls = g_tls_server_connection_new (G_IO_STREAM (tcp), s->cert, NULL);
  g_autoptr (GByteArray) buf = g_byte_array_new ();
  GSocket       *socket = g_socket_connection_get_socket (tcp);
  GInputStream  *in;
  GOutputStream *out;
  guint64        length;

  g_atomic_int_inc (&s->connections);
  if (tls == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (tls), s->stop, NULL))
    return;
  in = g_io_stream_get_input_stream (tls);
  out = g_io_stream_get_output_stream (tls);
  while (server_read_head (s, in, buf, &length))
    {
      if (length <= SMALL_MAX)
        {
          g_atomic_int_inc (&s->small_requests);
          server_skip_body (s, in, buf, length);
          if (!server_write (s, out,
                             "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Content-Length: 2\r\n\r\n{}"))
            return;
          continue;
        }
      g_atomic_int_inc (&s->big_requests);
      switch (s->mode)
        {
        case EARLY_CLOSE:
        case EARLY_KEEP_OPEN:
          {
            g_autofree char *answer = g_strdup_printf (
                "HTTP/1.1 413 Request Entity Too Large\r\nContent-Type: application/json\r\n"
                "Connection: close\r\nContent-Length: %zu\r\n\r\n%s",
                strlen (status_413), status_413);

            if (!server_write (s, out, answer))
              return;
            if (s->mode == EARLY_KEEP_OPEN)
              {
                g_mutex_lock (&s->lock);
                while (!s->released)
                  g_cond_wait (&s->cond, &s->lock);
                g_mutex_unlock (&s->lock);
              }
            /* unread data: a reset, no close_notify */
            g_socket_close (socket, NULL);
            return;
          }
        case EARLY_NOTHING:
          g_socket_close (socket, NULL);
          return;
        case INTERIM:
          if (!server_write (s, out, "HTTP/1.1 100 Continue\r\n\r\n"))
            return;
          s->big_body_read = server_skip_body (s, in, buf, length);
          if (!server_write (s, out,
                             "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                             "Content-Length: 20\r\n\r\n{\"kind\":\"ConfigMap\"}"))
            return;
          break;
        }
    }
}

static gpointer
server_thread (gpointer data)
{
  Server *s = data;

  for (;;)
    {
      g_autoptr (GSocketConnection) tcp
          = g_socket_listener_accept (s->listener, NULL, s->stop, NULL);

      if (tcp == NULL)
        return NULL;
      server_connection (s, tcp);
    }
}

static Server *
server_new (Mode mode)
{
  Server *s = g_new0 (Server, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *pem = NULL;
  KsPki           *pki = ks_pki_generate (&error);

  g_assert_no_error (error);
  pem = g_strconcat (pki->server_cert_pem, pki->server_key_pem, NULL);
  s->cert = g_tls_certificate_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);
  ks_pki_free (pki);
  s->mode = mode;
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->stop = g_cancellable_new ();
  s->listener = g_socket_listener_new ();
  {
    g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr (GSocketAddress) bound = NULL;

    g_socket_listener_add_address (s->listener, address, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
    g_assert_no_error (error);
    s->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  }
  s->thread = g_thread_new ("k8s-http-test-server", server_thread, s);
  return s;
}

static void
server_release (Server *s)
{
  g_mutex_lock (&s->lock);
  s->released = TRUE;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

static void
server_free (Server *s)
{
  server_release (s);
  g_cancellable_cancel (s->stop);
  g_thread_join (s->thread);
  g_socket_listener_close (s->listener);
  g_object_unref (s->listener);
  g_object_unref (s->stop);
  g_object_unref (s->cert);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
  g_free (s);
}

static gboolean
accept_any (GTlsCertificate *cert, GTlsCertificateFlags errors, gpointer data)
{
  return TRUE;
}

static K8sHttp *
client_new (Server *s)
{
  g_autoptr (GSocketConnectable) identity = g_network_address_new ("127.0.0.1", s->port);

  /* A client that waits on a server that stopped reading fails after
   * this long instead of hanging. */
  return k8s_http_new ("127.0.0.1", s->port, identity, NULL, 20, accept_any, NULL);
}

static GBytes *
big_body (gsize size)
{
  char *data = g_malloc (size);

  memset (data, 'x', size);
  return g_bytes_new_take (data, size);
}

static GBytes *
send_request (K8sHttp    *http,
              const char *method,
              GBytes     *body,
              gboolean    idempotent,
              guint      *status,
              GError    **error)
{
  return k8s_http_request (http, method, "/api/v1/namespaces/default/configmaps", "Bearer t",
                           "application/json", body, idempotent, status, NULL, NULL, error);
}

static void
small_request (K8sHttp *http)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = g_bytes_new_static ("{}", 2);
  guint status = 0;
  g_autoptr (GBytes) answer = send_request (http, "POST", body, FALSE, &status, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  assert_body (answer, "{}");
}

static void
assert_413 (GBytes *answer, guint status, GError *error)
{
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) set = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 413);
  assert_body (answer, status_413);
  /* what the plugin makes of it */
  node = k8s_json_parse (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL);
  hero_virt_kube_set_error_from_status (&set, status, node);
  g_assert_error (set, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (set->message, "(RequestEntityTooLarge)"));
}

static void
test_early_answer_close (void)
{
  Server *s = server_new (EARLY_CLOSE);
  g_autoptr (K8sHttp) http = client_new (s);
  /* just over what goes out with the head; as large as kube-apiserver's
   * limit; far more than the socket buffers hold */
  static const gsize sizes[] = { 64 * 1024 + 1, 1024 * 1024, 3 * 1024 * 1024, 16 * 1024 * 1024 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (guint idempotent = 0; idempotent < 2; idempotent++)
      {
        g_autoptr (GError) error = NULL;
        g_autoptr (GBytes) body = big_body (sizes[i]);
        g_autoptr (GBytes) answer = NULL;
        gint  connections, big = g_atomic_int_get (&s->big_requests);
        guint status = 0;

        /* on a kept-alive connection */
        small_request (http);
        connections = g_atomic_int_get (&s->connections);
        answer
            = send_request (http, idempotent ? "PUT" : "POST", body, idempotent, &status, &error);
        assert_413 (answer, status, error);
        /* sent once, idempotent or not */
        g_assert_cmpint (g_atomic_int_get (&s->big_requests), ==, big + 1);
        /* and that connection is not used again */
        small_request (http);
        g_assert_cmpint (g_atomic_int_get (&s->connections), ==, connections + 1);
      }
  g_clear_pointer (&http, k8s_http_free);
  server_free (s);
}

static void
test_early_answer_keep_open (void)
{
  Server *s = server_new (EARLY_KEEP_OPEN);
  g_autoptr (K8sHttp) http = client_new (s);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = big_body (16 * 1024 * 1024);
  g_autoptr (GBytes) answer = NULL;
  guint status = 0;

  /* The server reads no more and keeps the connection: a client that
   * only reads once the body is out waits for its timeout. */
  answer = send_request (http, "POST", body, FALSE, &status, &error);
  assert_413 (answer, status, error);
  g_assert_cmpint (g_atomic_int_get (&s->big_requests), ==, 1);
  server_release (s);
  small_request (http);
  g_assert_cmpint (g_atomic_int_get (&s->connections), ==, 2);
  g_clear_pointer (&http, k8s_http_free);
  server_free (s);
}

static void
test_early_close_no_answer (void)
{
  Server *s = server_new (EARLY_NOTHING);
  g_autoptr (K8sHttp) http = client_new (s);

  for (guint idempotent = 0; idempotent < 2; idempotent++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) body = big_body (16 * 1024 * 1024);
      g_autoptr (GBytes) answer = NULL;
      gint  big = g_atomic_int_get (&s->big_requests);
      guint status = 0;

      small_request (http);
      answer = send_request (http, idempotent ? "PUT" : "POST", body, idempotent, &status, &error);
      g_assert_null (answer);
      g_assert_nonnull (error);
      g_assert_true (error->domain == G_IO_ERROR || error->domain == G_TLS_ERROR);
      /* A POST is never sent again; a PUT is, once, when the kept-alive
       * connection broke before any answer came. */
      g_assert_cmpint (g_atomic_int_get (&s->big_requests), ==, big + 1 + idempotent);
    }
  g_clear_pointer (&http, k8s_http_free);
  server_free (s);
}

static void
test_interim_answer (void)
{
  Server *s = server_new (INTERIM);
  g_autoptr (K8sHttp) http = client_new (s);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = big_body (16 * 1024 * 1024);
  g_autoptr (GBytes) answer = NULL;
  guint status = 0;

  /* A 100 Continue nobody asked for, while the body goes out, does not
   * stop it. */
  answer = send_request (http, "POST", body, FALSE, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 201);
  assert_body (answer, "{\"kind\":\"ConfigMap\"}");
  g_assert_cmpuint (s->big_body_read, ==, 16 * 1024 * 1024);
  /* the connection is kept */
  small_request (http);
  g_assert_cmpint (g_atomic_int_get (&s->connections), ==, 1);
  g_clear_pointer (&http, k8s_http_free);
  server_free (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/k8s-http/content-length", test_content_length);
  g_test_add_func ("/k8s-http/chunked", test_chunked);
  g_test_add_func ("/k8s-http/status-and-headers", test_status_and_headers);
  g_test_add_func ("/k8s-http/no-body", test_no_body);
  g_test_add_func ("/k8s-http/http10-keep-alive", test_http10_keep_alive);
  g_test_add_func ("/k8s-http/leftover-closes", test_leftover_closes);
  g_test_add_func ("/k8s-http/truncated", test_truncated);
  g_test_add_func ("/k8s-http/hostile", test_hostile);
  g_test_add_func ("/k8s-http/early-answer-close", test_early_answer_close);
  g_test_add_func ("/k8s-http/early-answer-keep-open", test_early_answer_keep_open);
  g_test_add_func ("/k8s-http/early-close-no-answer", test_early_close_no_answer);
  g_test_add_func ("/k8s-http/interim-answer", test_interim_answer);
  g_test_add_func ("/k8s-json/same-as-json-glib", test_json_same_as_json_glib);
  g_test_add_func ("/k8s-json/big-integer", test_json_big_integer);
  g_test_add_func ("/k8s-json/invalid", test_json_invalid);
  g_test_add_func ("/k8s-json/depth", test_json_depth);
  return g_test_run ();
}
