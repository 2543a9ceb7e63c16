/* k8s-http.c: the REST requests' own HTTP/1.1 client: kept-alive TLS
 * connections in a small pool, one write per request, the answer read
 * straight into its buffer; an answer that comes before a large body is
 * all sent (a 413, say) is read and returned, not a broken pipe
 *
 * libsoup costs about 270,000 instructions of its own per request (the
 * message object and its signals, the queue, the sync-over-async I/O, a
 * splice into a memory stream) and two syscalls' worth of main-context
 * wake-ups; a request here costs the TLS records and little else. The
 * provider uses it only when nothing of libsoup's is needed: HTTPS, no
 * proxy, and a certificate check that is the provider's own anyway (the
 * kubeconfig's CA, or insecure-skip-tls-verify). Watches and every other
 * case stay on libsoup.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "HeroVirt-K8s"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>

#include <libsoup/soup.h>

#include "k8s-http.h"

/* The most an answer's head (status line and headers) may be. */
#define HEAD_MAX (64 * 1024)
/* The most a body may be: more is an error, not a 2 GiB allocation. */
#define BODY_MAX ((gsize)1 << 30)
/* Bodies up to this size go out in the same write (TLS record) as the head. */
#define INLINE_BODY_MAX (64 * 1024)
/* Idle connections kept, and for how long: under the usual server idle
 * timeouts, so that a kept connection is rarely one the server closed. */
#define IDLE_MAX 8
#define IDLE_USEC (50 * G_USEC_PER_SEC)

typedef struct
{
  GSocketConnection *tcp;
  GIOStream         *tls;
  gint64             idle_since;
  /* The request was not all sent: no close_notify, which could wait on
   * a server that no longer reads. */
  gboolean abandon;
} Conn;

struct _K8sHttp
{
  guint               timeout_s;
  GSocketConnectable *address;
  GSocketConnectable *identity;
  GTlsCertificate    *client_cert;
  char               *host_header;
  K8sHttpAcceptFunc   accept;
  gpointer            accept_data;

  GMutex lock;
  GQueue idle; /* Conn, most recently used first */
};

static void
conn_free (Conn *c)
{
  if (c == NULL)
    return;
  if (c->abandon && c->tcp != NULL)
    g_socket_close (g_socket_connection_get_socket (c->tcp), NULL);
  if (c->tls != NULL)
    g_io_stream_close (c->tls, NULL, NULL);
  g_clear_object (&c->tls);
  g_clear_object (&c->tcp);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Conn, conn_free)

K8sHttp *
k8s_http_new (const char         *host,
              guint16             port,
              GSocketConnectable *identity,
              GTlsCertificate    *client_cert,
              guint               timeout_s,
              K8sHttpAcceptFunc   accept,
              gpointer            accept_data)
{
  K8sHttp *http = g_new0 (K8sHttp, 1);

  http->timeout_s = timeout_s;
  http->address = g_network_address_new (host, port);
  http->identity = g_object_ref (identity);
  http->client_cert = client_cert ? g_object_ref (client_cert) : NULL;
  http->host_header = g_strdup_printf (strchr (host, ':') ? "[%s]:%u" : "%s:%u", host, port);
  http->accept = accept;
  http->accept_data = accept_data;
  g_mutex_init (&http->lock);
  g_queue_init (&http->idle);
  return http;
}

void
k8s_http_free (K8sHttp *http)
{
  if (http == NULL)
    return;
  g_queue_clear_full (&http->idle, (GDestroyNotify)conn_free);
  g_mutex_clear (&http->lock);
  g_clear_object (&http->address);
  g_clear_object (&http->identity);
  g_clear_object (&http->client_cert);
  g_free (http->host_header);
  g_free (http);
}

GTlsCertificate *
k8s_http_get_client_certificate (K8sHttp *http)
{
  return http->client_cert;
}

/* ---- connections ------------------------------------------------------ */

static gboolean
conn_accept_certificate (GTlsConnection      *tls,
                         GTlsCertificate     *cert,
                         GTlsCertificateFlags errors,
                         gpointer             user_data)
{
  K8sHttp *http = user_data;

  return http->accept (cert, errors, http->accept_data);
}

static Conn *
conn_open (K8sHttp *http, GCancellable *cancellable, GError **error)
{
  g_autoptr (Conn) c = g_new0 (Conn, 1);
  /* one per connection: requests come from any thread */
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  GSocket *socket;

  g_socket_client_set_enable_proxy (client, FALSE);
  /* also the socket's I/O timeout */
  g_socket_client_set_timeout (client, http->timeout_s);
  c->tcp = g_socket_client_connect (client, http->address, cancellable, error);
  if (c->tcp == NULL)
    return NULL;
  socket = g_socket_connection_get_socket (c->tcp);
  if (g_socket_get_family (socket) != G_SOCKET_FAMILY_UNIX)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  /* "database" NULL at construction: no trust store is loaded, every
   * certificate goes to the provider's check. */
  c->tls = g_initable_new (g_tls_backend_get_client_connection_type (g_tls_backend_get_default ()),
                           cancellable, error, "base-io-stream", c->tcp, "server-identity",
                           http->identity, "database", NULL, "require-close-notify", FALSE, NULL);
  if (c->tls == NULL)
    return NULL;
  if (http->client_cert != NULL)
    g_tls_connection_set_certificate (G_TLS_CONNECTION (c->tls), http->client_cert);
  g_signal_connect (c->tls, "accept-certificate", G_CALLBACK (conn_accept_certificate), http);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (c->tls), cancellable, error))
    return NULL;
  return g_steal_pointer (&c);
}

/* An idle connection that still looks usable, or NULL. */
static Conn *
conn_take_idle (K8sHttp *http)
{
  gint64 now = g_get_monotonic_time ();
  Conn  *c;

  g_mutex_lock (&http->lock);
  while ((c = g_queue_pop_head (&http->idle)) != NULL)
    {
      GSocket *socket = g_socket_connection_get_socket (c->tcp);

      /* Readable while idle: the server closed it (or sent what nobody
       * asked for). Too old: the server may be closing it right now. */
      if (now - c->idle_since < IDLE_USEC
          && g_socket_condition_check (socket, G_IO_IN | G_IO_HUP | G_IO_ERR) == 0)
        break;
      g_mutex_unlock (&http->lock);
      conn_free (c);
      g_mutex_lock (&http->lock);
    }
  g_mutex_unlock (&http->lock);
  return c;
}

static void
conn_put_idle (K8sHttp *http, Conn *c)
{
  Conn *drop = NULL;

  c->idle_since = g_get_monotonic_time ();
  g_mutex_lock (&http->lock);
  g_queue_push_head (&http->idle, c);
  if (http->idle.length > IDLE_MAX)
    drop = g_queue_pop_tail (&http->idle);
  g_mutex_unlock (&http->lock);
  conn_free (drop);
}

/* ---- reading an answer ------------------------------------------------ */

typedef struct
{
  GInputStream *in; /* NULL: only what is in buf */
  GCancellable *cancellable;
  char         *buf;
  gsize         len; /* bytes in buf */
  gsize         pos; /* bytes of buf consumed */
  gsize         alloc;
  gsize         received; /* bytes read in all */
  gboolean      eof;      /* the end came while the request was sent */
} Reader;

static void
reader_clear (Reader *r)
{
  g_free (r->buf);
  r->buf = NULL;
}

/* Reads more into the buffer, without waiting when @nonblocking (then a
 * G_IO_ERROR_WOULD_BLOCK when there is nothing). Returns the bytes read,
 * 0 at end of stream. */
static gssize
reader_fill_full (Reader *r, gboolean nonblocking, GError **error)
{
  gssize n;

  if (r->in == NULL || r->eof)
    return 0;
  if (r->pos > 0)
    {
      memmove (r->buf, r->buf + r->pos, r->len - r->pos);
      r->len -= r->pos;
      r->pos = 0;
    }
  if (r->alloc - r->len < 4096)
    {
      r->alloc = MAX (r->alloc * 2, 16384);
      r->buf = g_realloc (r->buf, r->alloc);
    }
  if (nonblocking)
    n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (r->in), r->buf + r->len,
                                                  r->alloc - r->len, r->cancellable, error);
  else
    n = g_input_stream_read (r->in, r->buf + r->len, r->alloc - r->len, r->cancellable, error);
  if (n > 0)
    {
      r->len += n;
      r->received += n;
    }
  return n;
}

static gssize
reader_fill (Reader *r, GError **error)
{
  return reader_fill_full (r, FALSE, error);
}

static gboolean
truncated (GError **error, const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
               "The connection closed in the middle of the answer's %s", what);
  return FALSE;
}

static gboolean
bad_answer (GError **error, const char *what)
{
  g_set_error (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING,
               "Could not parse the answer: %s", what);
  return FALSE;
}

/* One CRLF-terminated line of at most @max bytes, copied out. */
static char *
reader_line (Reader *r, gsize max, const char *what, GError **error)
{
  for (;;)
    {
      const char *start = r->buf + r->pos;
      const char *nl = r->len > r->pos ? memchr (start, '\n', r->len - r->pos) : NULL;
      gssize      n;

      if (nl != NULL)
        {
          gsize len = nl - start;
          char *line;

          if (len > max)
            break;
          r->pos += len + 1;
          if (len > 0 && start[len - 1] == '\r')
            len--;
          line = g_strndup (start, len);
          return line;
        }
      if (r->len - r->pos > max)
        break;
      n = reader_fill (r, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        {
          truncated (error, what);
          return NULL;
        }
    }
  bad_answer (error, "a line is too long");
  return NULL;
}

/* Appends exactly @n bytes of the stream to @out. */
static gboolean
reader_copy (Reader *r, GByteArray *out, gsize n, GError **error)
{
  gsize have = MIN (n, r->len - r->pos);
  gsize start = out->len;

  if (n == 0)
    return TRUE;
  if (out->len + n > BODY_MAX)
    return bad_answer (error, "the body is too large");
  g_byte_array_set_size (out, out->len + n);
  if (have > 0)
    memcpy (out->data + start, r->buf + r->pos, have);
  r->pos += have;
  if (have < n)
    {
      gsize got = 0;

      if (r->in == NULL)
        return truncated (error, "body");
      /* Straight into the body, not through the buffer. */
      if (!g_input_stream_read_all (r->in, out->data + start + have, n - have, &got, r->cancellable,
                                    error))
        return FALSE;
      r->received += got;
      if (got < n - have)
        return truncated (error, "body");
    }
  return TRUE;
}

static gboolean
read_chunked (Reader *r, GByteArray *out, GError **error)
{
  for (;;)
    {
      g_autofree char *line = reader_line (r, 1024, "chunk size", error);
      guint64          size;
      char            *end;

      if (line == NULL)
        return FALSE;
      if (!g_ascii_isxdigit (line[0]))
        return bad_answer (error, "a chunk size is not a number");
      size = g_ascii_strtoull (line, &end, 16);
      if (*end != '\0' && *end != ';' && *end != ' ' && *end != '\t')
        return bad_answer (error, "a chunk size is not a number");
      if (size > BODY_MAX)
        return bad_answer (error, "the body is too large");
      if (size == 0)
        {
          /* trailers, up to the empty line */
          for (;;)
            {
              g_autofree char *trailer = reader_line (r, 8192, "trailers", error);

              if (trailer == NULL)
                return FALSE;
              if (*trailer == '\0')
                return TRUE;
            }
        }
      if (!reader_copy (r, out, size, error))
        return FALSE;
      {
        g_autofree char *crlf = reader_line (r, 2, "chunk", error);

        if (crlf == NULL)
          return FALSE;
        if (*crlf != '\0')
          return bad_answer (error, "a chunk does not end where its size says");
      }
    }
}

static gboolean
read_to_end (Reader *r, GByteArray *out, GError **error)
{
  for (;;)
    {
      gssize n;

      if (r->len > r->pos)
        g_byte_array_append (out, (const guint8 *)r->buf + r->pos, r->len - r->pos);
      r->pos = r->len;
      if (out->len > BODY_MAX)
        return bad_answer (error, "the body is too large");
      n = reader_fill (r, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        return TRUE;
    }
}

/* The value of the header @name (lower case) in @lines, or NULL. */
static const char *
header_value (char **lines, const char *name)
{
  gsize len = strlen (name);

  for (guint i = 1; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], name, len) == 0 && lines[i][len] == ':')
      {
        const char *v = lines[i] + len + 1;

        while (*v == ' ' || *v == '\t')
          v++;
        return v;
      }
  return NULL;
}

static gboolean
header_has_token (const char *value, const char *token)
{
  g_auto (GStrv) parts = NULL;

  if (value == NULL)
    return FALSE;
  parts = g_strsplit (value, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_ascii_strcasecmp (g_strstrip (parts[i]), token) == 0)
      return TRUE;
  return FALSE;
}

/* Reads the head up to its blank line: the lines, without their CRLF. */
static char **
read_head (Reader *r, GError **error)
{
  for (;;)
    {
      const char *start = r->buf + r->pos;
      gsize       avail = r->len - r->pos;
      const char *end = avail >= 4 ? g_strstr_len (start, avail, "\r\n\r\n") : NULL;
      gssize      n;

      if (end != NULL)
        {
          g_autofree char *head = NULL;

          if ((gsize)(end - start) > HEAD_MAX)
            {
              bad_answer (error, "the head is too long");
              return NULL;
            }
          head = g_strndup (start, end - start);
          r->pos += end - start + 4;
          if (strlen (head) != (gsize)(end - start))
            {
              bad_answer (error, "a NUL byte in the head");
              return NULL;
            }
          return g_strsplit (head, "\r\n", -1);
        }
      if (avail > HEAD_MAX)
        {
          bad_answer (error, "the head is too long");
          return NULL;
        }
      n = reader_fill (r, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        {
          if (r->received == 0)
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                 "The server closed the connection before answering");
          else
            truncated (error, "head");
          return NULL;
        }
    }
}

static GBytes *
read_response (Reader   *r,
               gboolean  head_request,
               guint    *status_out,
               char    **retry_after_out,
               gboolean *keep_alive_out,
               GError  **error)
{
  g_autoptr (GByteArray) body = g_byte_array_new ();
  g_auto (GStrv) lines = NULL;
  const char *te, *cl, *connection, *ce, *retry_after;
  guint       status = 0;
  int         minor = 0;
  char        reason_start;
  gboolean    keep_alive;

  /* 1xx answers (100 Continue, 103 Early Hints) come before the real one. */
  for (;;)
    {
      g_clear_pointer (&lines, g_strfreev);
      if ((lines = read_head (r, error)) == NULL)
        return NULL;
      reason_start = ' ';
      if (sscanf (lines[0], "HTTP/1.%d %3u%c", &minor, &status, &reason_start) < 2
          || (reason_start != ' ' && lines[0][12] != '\0') || status < 100 || status > 999)
        {
          bad_answer (error, "not an HTTP/1.x status line");
          return NULL;
        }
      if (status >= 200 || status == 101)
        break;
    }
  if (status == 101)
    {
      bad_answer (error, "an unasked-for protocol switch");
      return NULL;
    }

  connection = header_value (lines, "connection");
  keep_alive = minor >= 1 ? !header_has_token (connection, "close")
                          : header_has_token (connection, "keep-alive");
  ce = header_value (lines, "content-encoding");
  if (ce != NULL && *ce != '\0' && g_ascii_strcasecmp (ce, "identity") != 0)
    {
      /* Nothing else was offered (no Accept-Encoding). */
      g_set_error (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_ENCODING,
                   "The answer has a Content-Encoding that was not asked for: %s", ce);
      return NULL;
    }
  te = header_value (lines, "transfer-encoding");
  cl = header_value (lines, "content-length");
  if (head_request || status == 204 || status == 304)
    ;
  else if (te != NULL && g_ascii_strcasecmp (te, "identity") != 0)
    {
      g_autofree char *lower = g_ascii_strdown (te, -1);

      /* Only "chunked" is ever applied without being asked for. */
      if (!g_str_has_suffix (g_strstrip (lower), "chunked") || strchr (lower, ',') != NULL)
        {
          g_set_error (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_ENCODING,
                       "The answer has a Transfer-Encoding that was not asked for: %s", te);
          return NULL;
        }
      if (!read_chunked (r, body, error))
        return NULL;
    }
  else if (cl != NULL)
    {
      char   *end;
      guint64 length;

      if (!g_ascii_isdigit (*cl))
        {
          bad_answer (error, "Content-Length is not a number");
          return NULL;
        }
      length = g_ascii_strtoull (cl, &end, 10);
      while (*end == ' ' || *end == '\t')
        end++;
      if (*end != '\0')
        {
          bad_answer (error, "Content-Length is not a number");
          return NULL;
        }
      if (length > BODY_MAX)
        {
          bad_answer (error, "the body is too large");
          return NULL;
        }
      if (!reader_copy (r, body, length, error))
        return NULL;
    }
  else
    {
      /* Neither: the body ends with the connection. */
      keep_alive = FALSE;
      if (!read_to_end (r, body, error))
        return NULL;
    }

  retry_after = header_value (lines, "retry-after");
  *status_out = status;
  if (retry_after_out)
    *retry_after_out = retry_after ? g_strdup (retry_after) : NULL;
  /* Anything after the answer is nothing the connection should carry. */
  *keep_alive_out = keep_alive && r->pos == r->len;
  return g_byte_array_free_to_bytes (g_steal_pointer (&body));
}

GBytes *
k8s_http_parse_response (const char *data,
                         gsize       len,
                         gboolean    head_request,
                         guint      *status_out,
                         char      **retry_after_out,
                         gboolean   *keep_alive_out,
                         GError    **error)
{
  Reader  r = { NULL, NULL, g_memdup2 (data, len), len, 0, len, len };
  GBytes *b;

  b = read_response (&r, head_request, status_out, retry_after_out, keep_alive_out, error);

  reader_clear (&r);
  return b;
}

/* ---- requests --------------------------------------------------------- */

/* What the server sent while the request was still going out, past any
 * complete interim (1xx) answers, which are dropped: TRUE when that is
 * the start of the answer (or of something that is none), so that
 * sending should stop; FALSE while it may still be an interim answer. */
static gboolean
reader_answer_started (Reader *r)
{
  for (;;)
    {
      const char *start = r->buf + r->pos;
      gsize       avail = r->len - r->pos;
      const char *end;

      if (avail == 0)
        return FALSE;
      if (memcmp (start, "HTTP/1.", MIN (avail, 7)) != 0)
        return TRUE;
      if (avail < 12)
        return FALSE;
      /* "HTTP/1.1 1xx": interim, unless 101, which the parser refuses */
      if (start[9] != '1' || (start[10] == '0' && start[11] == '1'))
        return TRUE;
      end = g_strstr_len (start, MIN (avail, HEAD_MAX), "\r\n\r\n");
      if (end == NULL)
        return avail >= HEAD_MAX;
      r->pos += end - start + 4;
    }
}

typedef struct
{
  const char *data;
  gsize       len;
} Piece;

/* Sends @pieces. While a write would block, whatever the server sends
 * is read into @r: a server may answer before it has read all of the
 * body (kube-apiserver's 413 for a body over its limit, or a 401, 403 or
 * 429 that comes before it is read), and then read no more of it, Go's
 * net/http for half a second before it closes the connection, others
 * for as long as they keep it open. The start of an answer (or the end
 * of the stream) stops the sending: TRUE with *@cut_short set. */
static gboolean
send_pieces (Conn         *c,
             Reader       *r,
             const Piece  *pieces,
             guint         n_pieces,
             gboolean     *cut_short,
             GCancellable *cancellable,
             GError      **error)
{
  GPollableOutputStream *out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (c->tls));
  GPollableInputStream  *in = G_POLLABLE_INPUT_STREAM (r->in);
  GSocket               *socket = g_socket_connection_get_socket (c->tcp);

  *cut_short = FALSE;
  for (guint i = 0; i < n_pieces; i++)
    {
      gsize done = 0;

      while (done < pieces[i].len)
        {
          g_autoptr (GError) local_error = NULL;
          gssize n;

          /* The same bytes again after G_IO_ERROR_WOULD_BLOCK: TLS
           * wants the write it could not finish repeated as it was. */
          n = g_pollable_output_stream_write_nonblocking (
              out, pieces[i].data + done, pieces[i].len - done, cancellable, &local_error);
          if (n > 0)
            {
              done += n;
              continue;
            }
          if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_clear_error (&local_error);
          if (g_pollable_input_stream_is_readable (in))
            {
              n = reader_fill_full (r, TRUE, &local_error);
              if (n == 0)
                {
                  /* the server closed its side: nothing more is read */
                  r->eof = TRUE;
                  *cut_short = TRUE;
                  return TRUE;
                }
              if (n > 0 && reader_answer_started (r))
                {
                  *cut_short = TRUE;
                  return TRUE;
                }
              if (n < 0 && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
              if (n > 0)
                continue;
              g_clear_error (&local_error);
            }
          /* the socket's timeout applies */
          if (!g_socket_condition_timed_wait (socket, G_IO_IN | G_IO_OUT, -1, cancellable, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
write_request (K8sHttp      *http,
               Conn         *c,
               Reader       *r,
               const char   *method,
               const char   *target,
               const char   *authorization,
               const char   *content_type,
               GBytes       *body,
               gboolean     *cut_short,
               GCancellable *cancellable,
               GError      **error)
{
  g_autoptr (GString) req = g_string_sized_new (512);
  gsize    body_len = body ? g_bytes_get_size (body) : 0;
  gboolean has_body = body != NULL || strcmp (method, "POST") == 0 || strcmp (method, "PUT") == 0
                      || strcmp (method, "PATCH") == 0;
  Piece    pieces[2];
  gboolean ok;

  g_string_append_printf (req,
                          "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: hero-virt/%s\r\n"
                          "Accept: application/json\r\n",
                          method, target, http->host_header, PACKAGE_VERSION_K8S);
  if (authorization != NULL)
    g_string_append_printf (req, "Authorization: %s\r\n", authorization);
  if (has_body)
    g_string_append_printf (req, "Content-Type: %s\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n",
                            content_type ? content_type : "application/json", body_len);
  g_string_append (req, "\r\n");
  if (body_len > 0 && body_len <= INLINE_BODY_MAX)
    {
      g_string_append_len (req, g_bytes_get_data (body, NULL), body_len);
      body_len = 0;
    }
  pieces[0].data = req->str;
  pieces[0].len = req->len;
  pieces[1].data = body_len > 0 ? g_bytes_get_data (body, NULL) : NULL;
  pieces[1].len = body_len;
  ok = send_pieces (c, r, pieces, body_len > 0 ? 2 : 1, cut_short, cancellable, error);
  /* The head holds the credentials. */
  memset (req->str, 0, req->len);
  return ok;
}

/* Write errors after which an answer may still be waiting to be read:
 * the server closed or reset the connection (EPIPE, ECONNRESET). */
static gboolean
answer_may_wait (const GError *e)
{
  return g_error_matches (e, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE)
         || g_error_matches (e, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
         || g_error_matches (e, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
}

GBytes *
k8s_http_request (K8sHttp      *http,
                  const char   *method,
                  const char   *target,
                  const char   *authorization,
                  const char   *content_type,
                  GBytes       *body,
                  gboolean      idempotent,
                  guint        *status_out,
                  char        **retry_after_out,
                  GCancellable *cancellable,
                  GError      **error)
{
  gboolean head_request = strcmp (method, "HEAD") == 0;

  for (guint attempt = 0;; attempt++)
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (Conn) c = conn_take_idle (http);
      gboolean reused = c != NULL;
      Reader   r = { 0 };
      gboolean keep_alive = FALSE;
      gboolean cut_short = FALSE;
      GBytes  *answer = NULL;

      if (c == NULL && (c = conn_open (http, cancellable, error)) == NULL)
        return NULL;
      r.in = g_io_stream_get_input_stream (c->tls);
      r.cancellable = cancellable;
      if (write_request (http, c, &r, method, target, authorization, content_type, body, &cut_short,
                         cancellable, &local_error))
        answer = read_response (&r, head_request, status_out, retry_after_out, &keep_alive,
                                &local_error);
      else if (answer_may_wait (local_error))
        {
          /* The server may have answered before it closed: the answer,
           * when it is all there, says more than the broken pipe. */
          g_autoptr (GError) read_error = NULL;

          cut_short = TRUE;
          answer = read_response (&r, head_request, status_out, retry_after_out, &keep_alive,
                                  &read_error);
          if (answer != NULL)
            {
              g_debug ("%s %s: the answer was there after %s", method, target,
                       local_error->message);
              g_clear_error (&local_error);
            }
          else if (r.received > 0)
            {
              /* part of an answer: that it broke off is the news */
              g_clear_error (&local_error);
              local_error = g_steal_pointer (&read_error);
            }
          else
            g_debug ("%s %s: nothing to read after %s", method, target, local_error->message);
        }
      else
        cut_short = TRUE;
      reader_clear (&r);
      /* Not all of the request went out: the connection is out of step. */
      c->abandon = cut_short;
      if (answer != NULL)
        {
          if (keep_alive && !cut_short)
            conn_put_idle (http, g_steal_pointer (&c));
          else if (cut_short)
            g_debug ("%s %s: HTTP %u before the request was all sent", method, target, *status_out);
          return answer;
        }
      /* A kept-alive connection the server had closed: once more on a
       * new one, when sending again cannot do anything twice. */
      if (reused && idempotent && attempt == 0 && r.received == 0
          && !g_cancellable_is_cancelled (cancellable)
          && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          g_debug ("%s %s: %s on a kept-alive connection; again on a new one", method, target,
                   local_error->message);
          continue;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
}
