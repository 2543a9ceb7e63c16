/* ks-stream.c: the streaming pod subresources.
 *
 * pods/log is a chunked response fed from the agent's stream. pods/exec,
 * pods/attach and pods/portforward upgrade the HTTP/1.1 connection: to a
 * WebSocket (RFC 6455) speaking the Kubernetes channel protocols
 * (v5.channel.k8s.io, v4.channel.k8s.io, v4.base64.channel.k8s.io: one
 * leading byte names the channel: 0 stdin, 1 stdout, 2 stderr, 3 error, 4
 * resize; port-forward uses two channels per port), to a WebSocket that
 * carries SPDY/3.1 bytes (SPDY/3.1+portforward.k8s.io, kubectl's default),
 * or to raw SPDY/3.1 (Upgrade: SPDY/3.1). The handshake is answered with a
 * 101 and the connection is stolen from libsoup; framing is done here. */
#include "ks-node-agent.h"
#include "ks-server.h"
#include "ks-stream-io.h"

#include <string.h>

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define WS_MAX_MESSAGE (32 * 1024 * 1024)
#define SPDY_TUNNEL_PREFIX "SPDY/3.1+"

enum
{
  CH_STDIN = 0,
  CH_STDOUT = 1,
  CH_STDERR = 2,
  CH_ERROR = 3,
  CH_RESIZE = 4,
  CH_CLOSE = 255,
};

typedef enum
{
  KIND_EXEC,
  KIND_ATTACH,
  KIND_PORTFORWARD,
} Kind;

typedef enum
{
  PROTO_V4,
  PROTO_V5,
  PROTO_V4_BASE64,
  PROTO_SPDY, /* raw or tunneled: see Session.ws */
} Proto;

typedef struct _Session    Session;
typedef struct _FwdConnect FwdConnect;
typedef struct _Linger     Linger;

typedef struct
{
  Session    *s;
  guint16     port;
  int         data_ch, error_ch; /* WebSocket channels */
  guint32     data_id, error_id; /* SPDY streams */
  char       *request_id;        /* SPDY */
  GIOStream  *conn;
  KsReader   *r;
  KsSink     *w;
  GByteArray *early;   /* client bytes before the connection exists */
  FwdConnect *pending; /* while connecting */
  guint       serial;
  gboolean    connecting, client_fin, pod_eof, done;
} Fwd;

struct _Session
{
  int                refs;
  KsSim             *sim;
  Kind               kind;
  Proto              proto;
  gboolean           ws; /* WebSocket framing on the wire */
  char              *ns, *pod, *uid, *container, *protocol;
  SoupServerMessage *msg; /* until the upgrade */
  gulong             finished_id;
  gboolean           msg_gone;
  GIOStream         *io;
  KsReader          *wire_in;
  KsSink            *wire_out;
  GByteArray        *inbuf;
  gsize              inpos;
  GByteArray        *frag;
  guint8             frag_opcode;
  gboolean           in_frag, close_sent, finishing, ended;
  GCancellable      *cancel;
  /* exec and attach */
  KsExecFlags flags;
  char      **argv;
  KsProcess  *proc;
  KsSink     *stdin_sink;
  KsReader   *out_r, *err_r;
  gboolean    out_eof, err_eof, exited;
  int         exit_code;
  GError     *exit_error;
  /* port forward */
  guint32    sid[5]; /* SPDY exec: the stream of each channel */
  gboolean   spdy_started;
  GPtrArray *fwds;
  guint      next_serial;
  KsSpdy    *spdy;
};

struct _FwdConnect
{
  Session *s;
  guint    serial;
  Linger  *linger; /* the client left while connecting: the connection goes there */
};

static void session_end (Session *s);
static void session_finish (Session *s);

static Session *
session_ref (Session *s)
{
  s->refs++;
  return s;
}

static void
fwd_free (Fwd *f)
{
  ks_reader_detach (f->r);
  ks_sink_detach (f->w);
  if (f->conn != NULL)
    g_io_stream_close_async (f->conn, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&f->conn);
  g_clear_pointer (&f->early, g_byte_array_unref);
  g_free (f->request_id);
  g_free (f);
}

static void
session_unref (Session *s)
{
  if (--s->refs > 0)
    return;
  if (s->proc != NULL)
    s->proc->vtable->free (s->proc);
  g_clear_error (&s->exit_error);
  g_clear_pointer (&s->fwds, g_ptr_array_unref);
  g_clear_pointer (&s->spdy, ks_spdy_free);
  g_clear_object (&s->io);
  g_clear_object (&s->msg);
  g_clear_object (&s->cancel);
  g_clear_pointer (&s->inbuf, g_byte_array_unref);
  g_clear_pointer (&s->frag, g_byte_array_unref);
  g_strfreev (s->argv);
  g_free (s->ns);
  g_free (s->pod);
  g_free (s->uid);
  g_free (s->container);
  g_free (s->protocol);
  g_free (s);
}

/* ---- query helpers ---- */

/* Every value of a repeated query parameter (GHashTable keeps the last). */
static GPtrArray *
query_values (SoupServerMessage *msg, const char *key)
{
  GPtrArray  *out = g_ptr_array_new_with_free_func (g_free);
  GUri       *uri = soup_server_message_get_uri (msg);
  const char *query = uri ? g_uri_get_query (uri) : NULL;
  g_auto (GStrv) pairs = NULL;

  if (query == NULL)
    return out;
  pairs = g_strsplit (query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char            *eq = strchr (pairs[i], '=');
      g_autofree char *name = NULL;
      if (eq == NULL)
        continue;
      *eq = '\0';
      g_strdelimit (pairs[i], "+", ' ');
      g_strdelimit (eq + 1, "+", ' ');
      name = g_uri_unescape_string (pairs[i], NULL);
      if (name != NULL && strcmp (name, key) == 0)
        {
          char *value = g_uri_unescape_string (eq + 1, NULL);
          if (value != NULL)
            g_ptr_array_add (out, value);
        }
    }
  return out;
}

static JsonObject *
map_agent_error (GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return ks_status_new (404, "NotFound", error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    return ks_status_new (400, "BadRequest", error->message);
  {
    g_autofree char *message = g_strdup_printf ("Internal error occurred: %s", error->message);
    return ks_status_new (500, "InternalError", message);
  }
}

static gboolean
has_container (JsonObject *spec, const char *name)
{
  static const char *const lists[] = { "containers", "initContainers", "ephemeralContainers" };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      JsonArray *a = ks_json_get_array (spec, lists[l]);
      for (guint i = 0; a != NULL && i < json_array_get_length (a); i++)
        if (g_strcmp0 (ks_json_get_string (json_array_get_object_element (a, i), "name"), name)
            == 0)
          return TRUE;
    }
  return FALSE;
}

static char *
container_names (JsonArray *a)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; a != NULL && i < json_array_get_length (a); i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, ks_json_get_string (json_array_get_object_element (a, i), "name"));
    }
  return g_string_free (out, FALSE);
}

/* The container a log, exec or attach request means, as the real API
 * server resolves it; NULL after answering 400. */
static char *
resolve_container (KsRequest *req, JsonObject *pod)
{
  JsonObject *spec = ks_json_get_object (pod, "spec");
  JsonArray  *containers = ks_json_get_array (spec, "containers");
  const char *asked = ks_query (req, "container");
  guint       n = containers ? json_array_get_length (containers) : 0;

  if (asked != NULL && *asked != '\0')
    {
      if (!has_container (spec, asked))
        {
          g_autofree char *message
              = g_strdup_printf ("container %s is not valid for pod %s", asked, req->name);
          ks_respond_status (req->msg, ks_status_bad_request (message));
          return NULL;
        }
      return g_strdup (asked);
    }
  if (n == 1)
    return g_strdup (ks_json_get_string (json_array_get_object_element (containers, 0), "name"));
  if (n == 0)
    {
      g_autofree char *message = g_strdup_printf ("pod %s does not have a container", req->name);
      ks_respond_status (req->msg, ks_status_bad_request (message));
      return NULL;
    }
  {
    g_autofree char *names = container_names (containers);
    JsonArray       *init = ks_json_get_array (spec, "initContainers");
    GString         *message = g_string_new (NULL);
    g_string_printf (message, "a container name must be specified for pod %s, choose one of: [%s]",
                     req->name, names);
    if (init != NULL && json_array_get_length (init) > 0)
      {
        g_autofree char *inames = container_names (init);
        g_string_append_printf (message, " or one of the init containers: [%s]", inames);
      }
    ks_respond_status (req->msg, ks_status_bad_request (message->str));
    g_string_free (message, TRUE);
    return NULL;
  }
}

/* ---- pods/log ---- */

typedef struct
{
  int                refs;
  SoupServerMessage *msg;
  GCancellable      *cancel;
  KsReader          *reader;
  gint64             limit, sent;
  gboolean           done, started;
  GSource           *hangup; /* follow: notices a client that went away */
} LogCtx;

static void
log_unref (LogCtx *c)
{
  if (--c->refs > 0)
    return;
  ks_reader_detach (c->reader);
  if (c->hangup != NULL)
    {
      g_source_destroy (c->hangup);
      g_source_unref (c->hangup);
    }
  g_object_unref (c->msg);
  g_object_unref (c->cancel);
  g_free (c);
}

static void
log_end (LogCtx *c)
{
  if (c->done)
    return;
  c->done = TRUE;
  soup_message_body_complete (soup_server_message_get_response_body (c->msg));
  soup_server_message_unpause (c->msg);
}

static void
log_data (gpointer owner, KsReader *reader, GBytes *bytes)
{
  LogCtx *c = owner;
  gsize   size;

  if (c->done)
    return;
  if (bytes == NULL)
    {
      log_end (c);
      return;
    }
  size = g_bytes_get_size (bytes);
  if (c->limit > 0 && c->sent + (gint64)size >= c->limit)
    {
      g_autoptr (GBytes) part = g_bytes_new_from_bytes (bytes, 0, c->limit - c->sent);
      soup_message_body_append_bytes (soup_server_message_get_response_body (c->msg), part);
      c->sent = c->limit;
      log_end (c);
      return;
    }
  c->sent += size;
  soup_message_body_append_bytes (soup_server_message_get_response_body (c->msg), bytes);
  /* Read on only once libsoup wrote this chunk (wrote-chunk). */
  ks_reader_pause (reader);
  soup_server_message_unpause (c->msg);
}

static void
log_failed (gpointer owner, KsReader *reader, GError *error)
{
  log_end (owner);
}

static const KsReaderFuncs log_reader_funcs = { log_data, log_failed };

static void
log_wrote_chunk (SoupServerMessage *msg, gpointer data)
{
  LogCtx *c = data;

  ks_reader_resume (c->reader);
}

static void
log_finished (SoupServerMessage *msg, gpointer data)
{
  LogCtx *c = data;

  if (c->hangup != NULL)
    g_source_destroy (c->hangup);
  c->done = TRUE;
  g_cancellable_cancel (c->cancel);
  g_signal_handlers_disconnect_by_data (msg, c);
  log_unref (c);
}

static void
log_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  LogCtx      *c = data;
  KsNodeAgent *agent = (KsNodeAgent *)g_object_get_data (G_OBJECT (c->msg), "ks-agent");
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) in = agent->vtable->logs_open_finish (agent, result, &error);

  if (c->done)
    {
      log_unref (c);
      return;
    }
  if (in == NULL)
    {
      g_autoptr (JsonObject) status = map_agent_error (error);
      c->done = TRUE;
      soup_message_headers_set_encoding (soup_server_message_get_response_headers (c->msg),
                                         SOUP_ENCODING_CONTENT_LENGTH);
      ks_respond (c->msg, ks_status_code (status), status);
      soup_server_message_unpause (c->msg);
      log_unref (c);
      return;
    }
  soup_server_message_set_status (c->msg, 200, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (c->msg),
                                         "text/plain", NULL);
  c->reader = ks_reader_new (in, &log_reader_funcs, c);
  soup_server_message_unpause (c->msg);
  log_unref (c);
}

/* A GET client sends nothing while it follows a log: the connection
 * turning readable means it closed (or is closing). End the response so
 * libsoup's write fails and the message finishes, instead of waiting for
 * the next log line. */
static gboolean
log_hangup (GSocket *socket, GIOCondition condition, gpointer data)
{
  LogCtx *c = data;

  if (!c->done && c->reader == NULL)
    soup_server_message_set_status (c->msg, 200, NULL);
  if (!c->done)
    log_end (c);
  return G_SOURCE_REMOVE;
}

static void
log_watch_hangup (LogCtx *c)
{
  GSocket *socket = soup_server_message_get_socket (c->msg);

  if (socket == NULL)
    return;
  c->hangup = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (c->hangup, G_SOURCE_FUNC (log_hangup), c, NULL);
  g_source_attach (c->hangup, NULL);
}

static gboolean
parse_int_param (KsRequest *req, const char *key, gint64 min, gint64 *out)
{
  const char *v = ks_query (req, key);
  char       *end = NULL;
  gint64      n;

  if (v == NULL || *v == '\0')
    return TRUE;
  n = g_ascii_strtoll (v, &end, 10);
  if (*end != '\0' || n < min)
    {
      g_autofree char *message = NULL;
      if (*end != '\0')
        message = g_strdup_printf ("PodLogOptions \"%s\" is invalid: %s: Invalid value: \"%s\": "
                                   "must be an integer",
                                   req->name, key, v);
      else
        message = g_strdup_printf ("PodLogOptions \"%s\" is invalid: %s: Invalid value: %s: must "
                                   "be greater than or equal to %" G_GINT64_FORMAT,
                                   req->name, key, v, min);
      ks_respond_status (req->msg,
                         ks_status_new (*end != '\0' ? 400 : 422,
                                        *end != '\0' ? "BadRequest" : "Invalid", message));
      return FALSE;
    }
  *out = n;
  return TRUE;
}

void
ks_stream_log (KsRequest *req, JsonObject *pod)
{
  KsNodeAgent     *agent = req->sim->agent;
  KsLogOptions     opts = { 0 };
  g_autofree char *container = NULL;
  const char      *since_time = ks_query (req, "sinceTime");
  LogCtx          *c;

  opts.tail_lines = -1;
  if (!parse_int_param (req, "tailLines", 0, &opts.tail_lines)
      || !parse_int_param (req, "sinceSeconds", 1, &opts.since_seconds)
      || !parse_int_param (req, "limitBytes", 1, &opts.limit_bytes))
    return;
  if (since_time != NULL && *since_time != '\0')
    {
      g_autoptr (GDateTime) t = g_date_time_new_from_iso8601 (since_time, NULL);
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      if (t == NULL)
        {
          g_autofree char *message
              = g_strdup_printf ("parsing time \"%s\" as RFC 3339 failed", since_time);
          ks_respond_status (req->msg, ks_status_bad_request (message));
          return;
        }
      if (opts.since_seconds > 0)
        {
          g_autofree char *message = g_strdup_printf (
              "PodLogOptions \"%s\" is invalid: : Forbidden: at most one of `sinceTime` or "
              "`sinceSeconds` may be specified",
              req->name);
          ks_respond_status (req->msg, ks_status_new (422, "Invalid", message));
          return;
        }
      opts.since_seconds
          = MAX (1, (g_date_time_difference (now, t) + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
    }
  container = resolve_container (req, pod);
  if (container == NULL)
    return;
  opts.container = container;
  opts.follow = ks_query_bool (req, "follow");
  opts.timestamps = ks_query_bool (req, "timestamps");
  opts.previous = ks_query_bool (req, "previous");

  if (agent == NULL || agent->vtable->logs_open_async == NULL)
    {
      soup_server_message_set_status (req->msg, 200, NULL);
      soup_server_message_set_response (req->msg, "text/plain", SOUP_MEMORY_STATIC, "", 0);
      return;
    }
  c = g_new0 (LogCtx, 1);
  c->refs = 2; /* the request (until finished) and log_opened */
  c->msg = g_object_ref (req->msg);
  c->cancel = g_cancellable_new ();
  c->limit = opts.limit_bytes;
  g_object_set_data (G_OBJECT (req->msg), "ks-agent", agent);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (req->msg),
                                     SOUP_ENCODING_CHUNKED);
  g_signal_connect (req->msg, "wrote-chunk", G_CALLBACK (log_wrote_chunk), c);
  g_signal_connect (req->msg, "finished", G_CALLBACK (log_finished), c);
  soup_server_message_pause (req->msg);
  if (opts.follow)
    log_watch_hangup (c);
  agent->vtable->logs_open_async (agent, pod, &opts, c->cancel, log_opened, c);
}

/* ---- the wire: WebSocket framing or raw bytes ---- */

static void
ws_send (Session *s, guint8 opcode, const guint8 *prefix, gsize plen, const void *data, gsize len)
{
  gsize       total = plen + len;
  GByteArray *f = g_byte_array_sized_new (total + 10);
  guint8      hdr[10];
  gsize       h = 0;

  if (s->wire_out == NULL || s->close_sent)
    {
      g_byte_array_unref (f);
      return;
    }
  hdr[h++] = 0x80 | opcode;
  if (total < 126)
    hdr[h++] = total;
  else if (total < 65536)
    {
      hdr[h++] = 126;
      hdr[h++] = total >> 8;
      hdr[h++] = total & 0xff;
    }
  else
    {
      hdr[h++] = 127;
      for (int i = 7; i >= 0; i--)
        hdr[h++] = ((guint64)total >> (8 * i)) & 0xff;
    }
  g_byte_array_append (f, hdr, h);
  if (plen > 0)
    g_byte_array_append (f, prefix, plen);
  if (len > 0)
    g_byte_array_append (f, data, len);
  if (opcode == 0x8)
    s->close_sent = TRUE;
  {
    g_autoptr (GBytes) bytes = g_byte_array_free_to_bytes (f);
    ks_sink_write (s->wire_out, bytes);
  }
}

static void
ws_close (Session *s, guint16 code, const char *reason)
{
  guint8 c[2] = { code >> 8, code & 0xff };

  ws_send (s, 0x8, c, 2, reason, reason ? strlen (reason) : 0);
}

static void
chan_send (Session *s, guint8 ch, const void *data, gsize len)
{
  if (s->spdy != NULL)
    {
      if (ch < G_N_ELEMENTS (s->sid) && s->sid[ch] != 0 && len > 0)
        ks_spdy_send_data (s->spdy, s->sid[ch], data, len, FALSE);
      return;
    }
  if (s->proto == PROTO_V4_BASE64)
    {
      guint8           p = '0' + ch;
      g_autofree char *b64 = g_base64_encode (data, len);
      ws_send (s, 0x1, &p, 1, b64, strlen (b64));
    }
  else
    ws_send (s, 0x2, &ch, 1, data, len);
}

/* Whatever feeds the wire waits while the client is slow. */
static void
pause_producers (Session *s, gboolean pause)
{
  void (*op) (KsReader *) = pause ? ks_reader_pause : ks_reader_resume;

  op (s->out_r);
  op (s->err_r);
  for (guint i = 0; s->fwds != NULL && i < s->fwds->len; i++)
    op (((Fwd *)g_ptr_array_index (s->fwds, i))->r);
}

static void
throttle (Session *s)
{
  if (s->wire_out != NULL && s->wire_out->queued >= KS_HIGH_WATER)
    pause_producers (s, TRUE);
}

/* The client's data waits while the process or the pod port is slow. */
static gboolean
consumers_full (Session *s)
{
  if (s->stdin_sink != NULL && s->stdin_sink->queued >= KS_HIGH_WATER)
    return TRUE;
  for (guint i = 0; s->fwds != NULL && i < s->fwds->len; i++)
    {
      Fwd *f = g_ptr_array_index (s->fwds, i);
      if ((f->w != NULL && f->w->queued >= KS_HIGH_WATER)
          || (f->early != NULL && f->early->len >= KS_HIGH_WATER))
        return TRUE;
    }
  return FALSE;
}

static void
consumer_drained (gpointer owner, KsSink *sink)
{
  Session *s = owner;

  if (!consumers_full (s))
    ks_reader_resume (s->wire_in);
}

static void
wire_drained (gpointer owner, KsSink *sink)
{
  pause_producers (owner, FALSE);
}

static void
wire_failed (gpointer owner, KsSink *sink, GError *error)
{
  session_end (owner);
}

static void
wire_closed (gpointer owner, KsSink *sink)
{
  session_end (owner);
}

static const KsSinkFuncs wire_sink_funcs = { wire_drained, wire_failed, wire_closed };

/* ---- exec and attach ---- */

static void
stdin_failed (gpointer owner, KsSink *sink, GError *error)
{
  /* The process closed its stdin: drop further input. */
}

static const KsSinkFuncs stdin_sink_funcs = { consumer_drained, stdin_failed, NULL };

static void
send_exit_status (Session *s)
{
  g_autoptr (JsonObject) st = json_object_new ();
  GString *out = g_string_new (NULL);

  json_object_set_object_member (st, "metadata", json_object_new ());
  if (s->exit_error != NULL)
    {
      g_autofree char *message
          = g_strdup_printf ("Internal error occurred: %s", s->exit_error->message);
      JsonObject *details = json_object_new ();
      JsonArray  *causes = json_array_new ();
      JsonObject *cause = json_object_new ();
      json_object_set_string_member (st, "status", "Failure");
      json_object_set_string_member (st, "message", message);
      json_object_set_string_member (st, "reason", "InternalError");
      json_object_set_string_member (cause, "message", s->exit_error->message);
      json_array_add_object_element (causes, cause);
      json_object_set_array_member (details, "causes", causes);
      json_object_set_object_member (st, "details", details);
      json_object_set_int_member (st, "code", 500);
    }
  else if (s->exit_code == 0)
    json_object_set_string_member (st, "status", "Success");
  else
    {
      g_autofree char *cmd = NULL;
      g_autofree char *message = NULL;
      g_autofree char *code = g_strdup_printf ("%d", s->exit_code);
      JsonObject      *details = json_object_new ();
      JsonArray       *causes = json_array_new ();
      JsonObject      *cause = json_object_new ();
      if (s->argv != NULL)
        {
          g_autofree char *joined = g_strjoinv (" ", s->argv);
          cmd = g_strdup_printf ("[%s]", joined);
        }
      message = g_strdup_printf ("command terminated with non-zero exit code: error executing "
                                 "command %s, exit code %d",
                                 cmd ? cmd : "[]", s->exit_code);
      json_object_set_string_member (st, "status", "Failure");
      json_object_set_string_member (st, "message", message);
      json_object_set_string_member (st, "reason", "NonZeroExitCode");
      json_object_set_string_member (cause, "reason", "ExitCode");
      json_object_set_string_member (cause, "message", code);
      json_array_add_object_element (causes, cause);
      json_object_set_array_member (details, "causes", causes);
      json_object_set_object_member (st, "details", details);
    }
  ks_json_write_object (out, st, NULL);
  chan_send (s, CH_ERROR, out->str, out->len);
  g_string_free (out, TRUE);
}

static void
exec_maybe_done (Session *s)
{
  if (s->ended || s->finishing || !s->exited)
    return;
  if ((s->out_r != NULL && !s->out_eof) || (s->err_r != NULL && !s->err_eof))
    return;
  send_exit_status (s);
  if (s->spdy != NULL && s->sid[CH_ERROR] != 0)
    ks_spdy_send_data (s->spdy, s->sid[CH_ERROR], NULL, 0, TRUE);
  session_finish (s);
}

static void
proc_data (gpointer owner, KsReader *reader, GBytes *bytes)
{
  Session *s = owner;

  if (bytes == NULL)
    {
      guint8 ch = reader == s->out_r ? CH_STDOUT : CH_STDERR;
      if (reader == s->out_r)
        s->out_eof = TRUE;
      else
        s->err_eof = TRUE;
      if (s->spdy != NULL && s->sid[ch] != 0)
        ks_spdy_send_data (s->spdy, s->sid[ch], NULL, 0, TRUE);
      exec_maybe_done (s);
      return;
    }
  chan_send (s, reader == s->out_r ? CH_STDOUT : CH_STDERR, g_bytes_get_data (bytes, NULL),
             g_bytes_get_size (bytes));
  throttle (s);
}

static void
proc_failed (gpointer owner, KsReader *reader, GError *error)
{
  proc_data (owner, reader, NULL);
}

static const KsReaderFuncs proc_reader_funcs = { proc_data, proc_failed };

static void
proc_waited (GObject *source, GAsyncResult *result, gpointer data)
{
  Session *s = data;
  int      code = 0;
  GError  *error = NULL;

  if (!s->proc->vtable->wait_finish (s->proc, result, &code, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || s->ended)
        g_clear_error (&error);
      else
        s->exit_error = error;
    }
  if (!s->ended)
    {
      s->exited = TRUE;
      s->exit_code = code;
      exec_maybe_done (s);
    }
  session_unref (s);
}

static void
exec_message (Session *s, guint8 ch, const guint8 *data, gsize len)
{
  switch (ch)
    {
    case CH_STDIN:
      if (s->stdin_sink != NULL && len > 0)
        {
          ks_sink_write_data (s->stdin_sink, data, len);
          if (consumers_full (s))
            ks_reader_pause (s->wire_in);
        }
      break;
    case CH_RESIZE:
      if (s->proc != NULL && s->proc->vtable->resize != NULL && len > 0)
        {
          g_autoptr (JsonParser) parser = json_parser_new ();
          if (json_parser_load_from_data (parser, (const char *)data, len, NULL)
              && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
            {
              JsonObject *o = json_node_get_object (json_parser_get_root (parser));
              s->proc->vtable->resize (s->proc, ks_json_get_int (o, "Width", 0),
                                       ks_json_get_int (o, "Height", 0));
            }
        }
      break;
    case CH_CLOSE:
      if (s->proto == PROTO_V5 && len >= 1 && data[0] == CH_STDIN && s->stdin_sink != NULL)
        ks_sink_close (s->stdin_sink);
      break;
    default:
      break;
    }
}

static void
exec_start_streams (Session *s)
{
  KsProcess *p = s->proc;

  if (p->stdin_stream != NULL)
    s->stdin_sink = ks_sink_new (p->stdin_stream, &stdin_sink_funcs, s);
  if (p->stdout_stream != NULL)
    s->out_r = ks_reader_new (p->stdout_stream, &proc_reader_funcs, s);
  if (p->stderr_stream != NULL)
    s->err_r = ks_reader_new (p->stderr_stream, &proc_reader_funcs, s);
  /* As kubelet does: an empty message on the lowest writable channel says
   * the streams are up. */
  if (!s->spdy)
    chan_send (s, s->out_r ? CH_STDOUT : s->err_r ? CH_STDERR : CH_ERROR, NULL, 0);
  p->vtable->wait_async (p, s->cancel, proc_waited, session_ref (s));
}

/* ---- port forward after the client left ----
 *
 * What kubelet's runtime (containerd's port forward) does when the client's
 * stream ends: its copy of what the client sent runs to the end, so that
 * reaches the pod port; then the pod side's write half is shut down, what
 * the pod sends has no reader and is read and dropped, and the connection
 * is closed when the pod closes it or LINGER_GRACE_MS later (containerd's
 * one second). A pod port that takes nothing for LINGER_STALL_S seconds
 * loses the rest. A Linger holds no Session. */

#define LINGER_GRACE_MS 1000
#define LINGER_STALL_S 30

struct _Linger
{
  GIOStream  *conn;
  KsSink     *w;
  KsReader   *r;
  GByteArray *early; /* until connected */
  guint       timer;
  gsize       last_queued;
  gboolean    flushed;
};

static void
conn_shutdown_write (GIOStream *conn)
{
  if (G_IS_SOCKET_CONNECTION (conn))
    g_socket_shutdown (g_socket_connection_get_socket (G_SOCKET_CONNECTION (conn)), FALSE, TRUE,
                       NULL);
  else
    g_output_stream_close_async (g_io_stream_get_output_stream (conn), G_PRIORITY_DEFAULT, NULL,
                                 NULL, NULL);
}

static void
linger_free (Linger *l)
{
  g_clear_handle_id (&l->timer, g_source_remove);
  g_clear_pointer (&l->r, ks_reader_detach);
  g_clear_pointer (&l->w, ks_sink_detach);
  if (l->conn != NULL)
    g_io_stream_close_async (l->conn, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&l->conn);
  g_clear_pointer (&l->early, g_byte_array_unref);
  g_free (l);
}

static gboolean
linger_grace_over (gpointer data)
{
  Linger *l = data;

  l->timer = 0;
  linger_free (l);
  return G_SOURCE_REMOVE;
}

/* Gives up on a pod port that took nothing for LINGER_STALL_S. */
static gboolean
linger_check_stall (gpointer data)
{
  Linger *l = data;

  if (l->w != NULL && l->w->queued < l->last_queued)
    {
      l->last_queued = l->w->queued;
      return G_SOURCE_CONTINUE;
    }
  l->timer = 0;
  linger_free (l);
  return G_SOURCE_REMOVE;
}

static void
linger_write_failed (gpointer owner, KsSink *sink, GError *error)
{
  linger_free (owner);
}

/* Everything the client sent was written. */
static void
linger_write_closed (gpointer owner, KsSink *sink)
{
  Linger *l = owner;

  l->flushed = TRUE;
  conn_shutdown_write (l->conn);
  g_clear_handle_id (&l->timer, g_source_remove);
  if (l->r == NULL || l->r->eof)
    {
      linger_free (l);
      return;
    }
  l->timer = g_timeout_add (LINGER_GRACE_MS, linger_grace_over, l);
}

static const KsSinkFuncs linger_sink_funcs = { NULL, linger_write_failed, linger_write_closed };

static void
linger_pod_data (gpointer owner, KsReader *reader, GBytes *bytes)
{
  Linger *l = owner;

  /* Nobody reads it: dropped. At the pod's end, done once flushed. */
  if (bytes == NULL && l->flushed)
    linger_free (l);
}

static void
linger_pod_failed (gpointer owner, KsReader *reader, GError *error)
{
  linger_pod_data (owner, reader, NULL);
}

static const KsReaderFuncs linger_reader_funcs = { linger_pod_data, linger_pod_failed };

/* Takes over @w (and @r, @conn): what @w queues is written, then the
 * write half is shut down. */
static void
linger_run (Linger *l, GIOStream *conn, KsSink *w, KsReader *r)
{
  l->conn = conn;
  l->w = w;
  l->r = r;
  ks_sink_set_owner (w, &linger_sink_funcs, l);
  ks_reader_set_owner (r, &linger_reader_funcs, l);
  ks_reader_resume (r);
  l->last_queued = G_MAXSIZE;
  l->timer = g_timeout_add_seconds (LINGER_STALL_S, linger_check_stall, l);
  /* May call linger_write_closed (and free l) at once. */
  ks_sink_close (w);
}

/* The connection the client asked for came after it left: it still gets
 * what the client sent. */
static void
linger_connected (Linger *l, GIOStream *conn)
{
  KsSink   *w = ks_sink_new (g_io_stream_get_output_stream (conn), &linger_sink_funcs, l);
  KsReader *r = ks_reader_new (g_io_stream_get_input_stream (conn), &linger_reader_funcs, l);

  ks_sink_write_data (w, l->early->data, l->early->len);
  g_clear_pointer (&l->early, g_byte_array_unref);
  linger_run (l, conn, w, r);
}

/* The session ends (the client closed or went away): a port connection
 * with client data still on its way is handed to a Linger. */
static void
fwd_linger (Fwd *f)
{
  if (f->w != NULL && !f->w->failed && !f->w->closed && f->conn != NULL && f->r != NULL)
    {
      Linger    *l = g_new0 (Linger, 1);
      GIOStream *conn = g_steal_pointer (&f->conn);
      KsSink    *w = g_steal_pointer (&f->w);
      KsReader  *r = g_steal_pointer (&f->r);
      linger_run (l, conn, w, r);
    }
  else if (f->pending != NULL && f->early != NULL && f->early->len > 0)
    {
      Linger *l = g_new0 (Linger, 1);
      l->early = g_steal_pointer (&f->early);
      f->pending->linger = l;
      f->pending = NULL;
    }
}

/* ---- port forward ---- */

static void fwd_check_done (Fwd *f);

static void
fwd_send (Fwd *f, gboolean error_stream, const void *data, gsize len)
{
  Session *s = f->s;

  if (s->spdy != NULL)
    {
      guint32 id = error_stream ? f->error_id : f->data_id;
      if (id != 0)
        ks_spdy_send_data (s->spdy, id, data, len, FALSE);
    }
  else
    chan_send (s, error_stream ? f->error_ch : f->data_ch, data, len);
  throttle (s);
}

static void
fwd_data (gpointer owner, KsReader *reader, GBytes *bytes)
{
  Fwd *f = owner;

  if (bytes == NULL)
    {
      f->pod_eof = TRUE;
      if (f->s->spdy != NULL && f->data_id != 0)
        ks_spdy_send_data (f->s->spdy, f->data_id, NULL, 0, TRUE);
      fwd_check_done (f);
      return;
    }
  fwd_send (f, FALSE, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
fwd_read_failed (gpointer owner, KsReader *reader, GError *error)
{
  fwd_data (owner, reader, NULL);
}

static const KsReaderFuncs fwd_reader_funcs = { fwd_data, fwd_read_failed };

static void
fwd_write_failed (gpointer owner, KsSink *sink, GError *error)
{
}

static void
fwd_write_closed (gpointer owner, KsSink *sink)
{
  Session *s = owner;

  for (guint i = 0; i < s->fwds->len; i++)
    {
      Fwd *f = g_ptr_array_index (s->fwds, i);
      if (f->w == sink && f->conn != NULL)
        conn_shutdown_write (f->conn);
    }
}

static const KsSinkFuncs fwd_sink_funcs = { consumer_drained, fwd_write_failed, fwd_write_closed };

static void
fwd_fail (Fwd *f, const char *why)
{
  Session         *s = f->s;
  g_autofree char *message = g_strdup_printf ("error forwarding port %u to pod %s, uid %s: %s",
                                              f->port, s->pod, s->uid ? s->uid : "", why);

  fwd_send (f, TRUE, message, strlen (message));
  f->pod_eof = TRUE;
  f->client_fin = TRUE;
  if (s->spdy != NULL && f->data_id != 0)
    ks_spdy_send_data (s->spdy, f->data_id, NULL, 0, TRUE);
  fwd_check_done (f);
}

static void
fwd_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  FwdConnect  *fc = data;
  Session     *s = fc->s;
  KsNodeAgent *agent = s->sim->agent;
  g_autoptr (GError) error = NULL;
  g_autoptr (GIOStream) conn = agent->vtable->port_connect_finish (agent, result, &error);
  Fwd *f = NULL;

  if (fc->linger != NULL)
    {
      if (conn != NULL)
        linger_connected (fc->linger, g_steal_pointer (&conn));
      else
        linger_free (fc->linger);
      g_free (fc);
      session_unref (s);
      return;
    }
  for (guint i = 0; i < s->fwds->len && !s->ended; i++)
    if (((Fwd *)g_ptr_array_index (s->fwds, i))->serial == fc->serial)
      f = g_ptr_array_index (s->fwds, i);
  g_free (fc);
  if (f != NULL)
    {
      f->connecting = FALSE;
      f->pending = NULL;
    }
  if (f == NULL || f->done)
    {
      if (conn != NULL)
        g_io_stream_close_async (conn, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      session_unref (s);
      return;
    }
  if (conn == NULL)
    {
      g_clear_pointer (&f->early, g_byte_array_unref);
      fwd_fail (f, error->message);
      if (!s->ended && !consumers_full (s))
        ks_reader_resume (s->wire_in);
      session_unref (s);
      return;
    }
  f->conn = g_steal_pointer (&conn);
  f->w = ks_sink_new (g_io_stream_get_output_stream (f->conn), &fwd_sink_funcs, s);
  f->r = ks_reader_new (g_io_stream_get_input_stream (f->conn), &fwd_reader_funcs, f);
  if (f->early != NULL && f->early->len > 0)
    ks_sink_write_data (f->w, f->early->data, f->early->len);
  g_clear_pointer (&f->early, g_byte_array_unref);
  if (f->client_fin)
    ks_sink_close (f->w);
  if (!consumers_full (s))
    ks_reader_resume (s->wire_in);
  if (s->wire_out != NULL && s->wire_out->queued >= KS_HIGH_WATER)
    ks_reader_pause (f->r);
  session_unref (s);
}

static Fwd *
fwd_new (Session *s, guint16 port)
{
  Fwd *f = g_new0 (Fwd, 1);

  f->s = s;
  f->port = port;
  f->data_ch = f->error_ch = -1;
  f->serial = ++s->next_serial;
  g_ptr_array_add (s->fwds, f);
  return f;
}

static void
fwd_connect (Fwd *f)
{
  Session     *s = f->s;
  KsNodeAgent *agent = s->sim->agent;
  JsonObject  *pod = ks_store_get (ks_resource_find (s->sim, "", "v1", "pods"), s->ns, s->pod);
  FwdConnect  *fc;

  if (pod == NULL)
    {
      fwd_fail (f, "pod not found");
      return;
    }
  if (agent == NULL || agent->vtable->port_connect_async == NULL)
    {
      fwd_fail (f, "the node agent cannot forward ports");
      return;
    }
  f->connecting = TRUE;
  fc = g_new0 (FwdConnect, 1);
  fc->s = session_ref (s);
  fc->serial = f->serial;
  f->pending = fc;
  agent->vtable->port_connect_async (agent, pod, f->port, s->cancel, fwd_connected, fc);
}

static void
fwd_client_data (Fwd *f, const guint8 *data, gsize len)
{
  if (f->done || f->client_fin || len == 0)
    return;
  if (f->w != NULL)
    {
      ks_sink_write_data (f->w, data, len);
      if (consumers_full (f->s))
        ks_reader_pause (f->s->wire_in);
    }
  else if (f->connecting || f->conn == NULL)
    {
      if (f->early == NULL)
        f->early = g_byte_array_new ();
      g_byte_array_append (f->early, data, len);
    }
}

static void
fwd_client_fin (Fwd *f)
{
  f->client_fin = TRUE;
  if (f->w != NULL)
    ks_sink_close (f->w);
  fwd_check_done (f);
}

static void
fwd_check_done (Fwd *f)
{
  Session *s = f->s;
  gboolean all = TRUE;

  if (f->done || !f->pod_eof)
    return;
  if (s->spdy != NULL)
    {
      /* Kubelet closes both streams once the pod side is done. */
      f->done = TRUE;
      if (f->error_id != 0)
        ks_spdy_send_data (s->spdy, f->error_id, NULL, 0, TRUE);
      return;
    }
  f->done = TRUE;
  for (guint i = 0; i < s->fwds->len; i++)
    if (!((Fwd *)g_ptr_array_index (s->fwds, i))->done)
      all = FALSE;
  /* Over WebSocket channels the connection ends with the last port. */
  if (all)
    session_finish (s);
}

/* ---- SPDY streams (port forward) ---- */

static Fwd *
fwd_by_request (Session *s, const char *request_id)
{
  for (guint i = 0; i < s->fwds->len; i++)
    {
      Fwd *f = g_ptr_array_index (s->fwds, i);
      if (g_strcmp0 (f->request_id, request_id) == 0)
        return f;
    }
  return NULL;
}

static Fwd *
fwd_by_stream (Session *s, guint32 id, gboolean *is_error)
{
  for (guint i = 0; i < s->fwds->len; i++)
    {
      Fwd *f = g_ptr_array_index (s->fwds, i);
      if (f->data_id == id || f->error_id == id)
        {
          if (is_error)
            *is_error = f->error_id == id;
          return f;
        }
    }
  return NULL;
}

static void
spdy_send (gpointer owner, GBytes *bytes)
{
  Session *s = owner;

  if (s->ws)
    ws_send (s, 0x2, NULL, 0, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  else if (s->wire_out != NULL)
    ks_sink_write (s->wire_out, bytes);
}

static void
spdy_stream_opened (gpointer owner, guint32 id, GHashTable *headers)
{
  Session         *s = owner;
  const char      *type = g_hash_table_lookup (headers, "streamtype");
  const char      *port_s = g_hash_table_lookup (headers, "port");
  const char      *request = g_hash_table_lookup (headers, "requestid");
  g_autofree char *key = NULL;
  guint64          port = 0;
  Fwd             *f;

  ks_spdy_reply (s->spdy, id);
  if (s->kind != KIND_PORTFORWARD)
    {
      static const char *const names[] = { "stdin", "stdout", "stderr", "error", "resize" };
      gboolean                 ready;
      for (guint ch = 0; type != NULL && ch < G_N_ELEMENTS (names); ch++)
        if (strcmp (type, names[ch]) == 0)
          s->sid[ch] = id;
      /* Start once every stream the request asked for exists. */
      ready
          = s->sid[CH_ERROR] != 0 && (!(s->flags & KS_EXEC_STDIN) || s->sid[CH_STDIN] != 0)
            && (!(s->flags & KS_EXEC_STDOUT) || s->sid[CH_STDOUT] != 0)
            && (!(s->flags & KS_EXEC_STDERR) || (s->flags & KS_EXEC_TTY) || s->sid[CH_STDERR] != 0)
            && (!(s->flags & KS_EXEC_TTY) || s->sid[CH_RESIZE] != 0);
      if (ready && !s->spdy_started)
        {
          s->spdy_started = TRUE;
          if (s->proc != NULL)
            exec_start_streams (s);
          else
            {
              s->exited = TRUE;
              exec_maybe_done (s);
            }
        }
      return;
    }
  if (type == NULL || port_s == NULL
      || !g_ascii_string_to_unsigned (port_s, 10, 1, 65535, &port, NULL))
    {
      ks_spdy_reset (s->spdy, id, 1 /* PROTOCOL_ERROR */);
      return;
    }
  /* Old clients send no requestID: kubelet pairs the error stream with the
   * data stream that follows it (stream ids go up by 2). */
  if (request != NULL)
    key = g_strdup (request);
  else
    key = g_strdup_printf ("stream-%u", strcmp (type, "error") == 0 ? id : id - 2);
  f = fwd_by_request (s, key);
  if (f == NULL)
    {
      f = fwd_new (s, port);
      f->request_id = g_steal_pointer (&key);
    }
  if (strcmp (type, "error") == 0)
    f->error_id = id;
  else if (strcmp (type, "data") == 0)
    {
      f->data_id = id;
      fwd_connect (f);
    }
  else
    ks_spdy_reset (s->spdy, id, 1);
}

static void
spdy_stream_data (gpointer owner, guint32 id, const guint8 *data, gsize len)
{
  Session *s = owner;
  gboolean is_error = FALSE;
  Fwd     *f;

  if (s->kind != KIND_PORTFORWARD)
    {
      for (guint ch = 0; ch < G_N_ELEMENTS (s->sid); ch++)
        if (s->sid[ch] == id && (ch == CH_STDIN || ch == CH_RESIZE))
          exec_message (s, ch, data, len);
      return;
    }
  f = fwd_by_stream (s, id, &is_error);
  if (f != NULL && !is_error)
    fwd_client_data (f, data, len);
}

static void
spdy_stream_fin (gpointer owner, guint32 id)
{
  Session *s = owner;
  gboolean is_error = FALSE;
  Fwd     *f;

  if (s->kind != KIND_PORTFORWARD)
    {
      if (id == s->sid[CH_STDIN] && s->stdin_sink != NULL)
        ks_sink_close (s->stdin_sink);
      return;
    }
  f = fwd_by_stream (s, id, &is_error);
  if (f != NULL && !is_error)
    fwd_client_fin (f);
}

static void
spdy_stream_reset (gpointer owner, guint32 id)
{
  Session *s = owner;
  gboolean is_error = FALSE;
  Fwd     *f = s->kind == KIND_PORTFORWARD ? fwd_by_stream (s, id, &is_error) : NULL;

  if (f == NULL)
    return;
  if (is_error)
    f->error_id = 0;
  else
    f->data_id = 0;
  if (f->data_id == 0 && f->error_id == 0)
    {
      f->done = TRUE;
      g_ptr_array_remove (s->fwds, f);
    }
}

static void
spdy_gone (gpointer owner, const char *why)
{
  Session *s = owner;

  if (s->sim->verbose && why != NULL)
    g_printerr ("kube-sim: port-forward to %s/%s: %s\n", s->ns, s->pod, why);
  session_end (s);
}

static const KsSpdyFuncs spdy_funcs = {
  spdy_send, spdy_stream_opened, spdy_stream_data, spdy_stream_fin, spdy_stream_reset, spdy_gone,
};

/* ---- WebSocket input ---- */

static void
ws_message (Session *s, guint8 opcode, guint8 *data, gsize len)
{
  guint8             ch;
  g_autofree guint8 *decoded = NULL;

  if (s->spdy != NULL)
    {
      ks_spdy_feed (s->spdy, data, len);
      return;
    }
  if (len == 0)
    return;
  if (s->proto == PROTO_V4_BASE64)
    {
      gsize n = 0;
      ch = data[0] - '0';
      if (len > 1)
        {
          g_autofree char *text = g_strndup ((const char *)data + 1, len - 1);
          decoded = g_base64_decode (text, &n);
        }
      data = decoded;
      len = n;
    }
  else
    {
      ch = data[0];
      data++;
      len--;
    }
  if (s->kind == KIND_PORTFORWARD)
    {
      for (guint i = 0; i < s->fwds->len; i++)
        {
          Fwd *f = g_ptr_array_index (s->fwds, i);
          if (f->data_ch == ch)
            fwd_client_data (f, data, len);
        }
    }
  else
    exec_message (s, ch, data, len);
}

static void
ws_frame (Session *s, gboolean fin, guint8 opcode, guint8 *data, gsize len)
{
  switch (opcode)
    {
    case 0x8: /* close */
      if (!s->close_sent)
        {
          guint16 code = len >= 2 ? (data[0] << 8 | data[1]) : 1000;
          ws_close (s, code, NULL);
        }
      session_finish (s);
      return;
    case 0x9: /* ping */
      ws_send (s, 0xA, NULL, 0, data, len);
      return;
    case 0xA:
      return;
    case 0x0:
      if (!s->in_frag)
        return;
      g_byte_array_append (s->frag, data, len);
      if (s->frag->len > WS_MAX_MESSAGE)
        {
          ws_close (s, 1009, "message too big");
          session_finish (s);
          return;
        }
      if (fin)
        {
          s->in_frag = FALSE;
          ws_message (s, s->frag_opcode, s->frag->data, s->frag->len);
          g_byte_array_set_size (s->frag, 0);
        }
      return;
    case 0x1:
    case 0x2:
      if (fin)
        ws_message (s, opcode, data, len);
      else
        {
          s->in_frag = TRUE;
          s->frag_opcode = opcode;
          g_byte_array_set_size (s->frag, 0);
          g_byte_array_append (s->frag, data, len);
        }
      return;
    default:
      ws_close (s, 1002, "unknown opcode");
      session_finish (s);
      return;
    }
}

static void
ws_parse (Session *s)
{
  while (!s->ended && !s->finishing)
    {
      guint8  *p = s->inbuf->data + s->inpos;
      gsize    n = s->inbuf->len - s->inpos;
      guint64  len;
      gsize    h = 2;
      guint8   mask[4] = { 0 };
      gboolean masked;

      if (n < 2)
        break;
      masked = (p[1] & 0x80) != 0;
      len = p[1] & 0x7f;
      if (len == 126)
        {
          if (n < 4)
            break;
          len = p[2] << 8 | p[3];
          h = 4;
        }
      else if (len == 127)
        {
          if (n < 10)
            break;
          len = 0;
          for (int i = 0; i < 8; i++)
            len = len << 8 | p[2 + i];
          h = 10;
        }
      if (len > WS_MAX_MESSAGE)
        {
          ws_close (s, 1009, "message too big");
          session_finish (s);
          return;
        }
      if (masked)
        {
          if (n < h + 4)
            break;
          memcpy (mask, p + h, 4);
          h += 4;
        }
      if (n < h + len)
        break;
      if (masked)
        for (gsize i = 0; i < len; i++)
          p[h + i] ^= mask[i & 3];
      s->inpos += h + len;
      ws_frame (s, (p[0] & 0x80) != 0, p[0] & 0x0f, p + h, len);
    }
  if (s->inbuf != NULL && s->inpos > 0)
    {
      g_byte_array_remove_range (s->inbuf, 0, s->inpos);
      s->inpos = 0;
    }
}

static void
wire_data (gpointer owner, KsReader *reader, GBytes *bytes)
{
  Session *s = owner;

  if (bytes == NULL)
    {
      /* The client went away. */
      session_end (s);
      return;
    }
  session_ref (s);
  if (!s->ws)
    ks_spdy_feed (s->spdy, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  else
    {
      g_byte_array_append (s->inbuf, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      ws_parse (s);
    }
  session_unref (s);
}

static void
wire_read_failed (gpointer owner, KsReader *reader, GError *error)
{
  session_end (owner);
}

static const KsReaderFuncs wire_reader_funcs = { wire_data, wire_read_failed };

/* ---- session lifetime ---- */

/* Everything sent: close the WebSocket, flush, then end. */
static void
session_finish (Session *s)
{
  if (s->ended || s->finishing)
    return;
  s->finishing = TRUE;
  if (s->ws && !s->close_sent)
    ws_close (s, 1000, NULL);
  if (s->spdy != NULL && !s->ws)
    ks_spdy_goaway (s->spdy);
  if (s->wire_out != NULL)
    ks_sink_close (s->wire_out);
  else
    session_end (s);
}

static void
io_closed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  g_object_unref (source);
}

static void
session_end (Session *s)
{
  if (s->ended)
    return;
  s->ended = TRUE;
  g_cancellable_cancel (s->cancel);
  if (s->proc != NULL && !s->exited)
    s->proc->vtable->abort (s->proc);
  g_clear_pointer (&s->out_r, ks_reader_detach);
  g_clear_pointer (&s->err_r, ks_reader_detach);
  g_clear_pointer (&s->stdin_sink, ks_sink_detach);
  for (guint i = 0; i < s->fwds->len; i++)
    fwd_linger (g_ptr_array_index (s->fwds, i));
  g_ptr_array_set_size (s->fwds, 0);
  g_clear_pointer (&s->wire_in, ks_reader_detach);
  g_clear_pointer (&s->wire_out, ks_sink_detach);
  if (s->io != NULL)
    g_io_stream_close_async (s->io, G_PRIORITY_DEFAULT, NULL, io_closed, g_object_ref (s->io));
  session_unref (s); /* the connection's reference */
}

/* ---- the upgrade ---- */

static void
upgraded (SoupServerMessage *msg, gpointer data)
{
  Session *s = data;

  g_signal_handlers_disconnect_by_data (msg, s);
  s->io = soup_server_message_steal_connection (msg);
  g_clear_object (&s->msg);
  s->wire_out = ks_sink_new (g_io_stream_get_output_stream (s->io), &wire_sink_funcs, s);
  s->wire_in = ks_reader_new (g_io_stream_get_input_stream (s->io), &wire_reader_funcs, s);
  if (s->proto == PROTO_SPDY)
    s->spdy = ks_spdy_new (&spdy_funcs, s);
  if (s->kind == KIND_PORTFORWARD)
    {
      if (s->spdy == NULL)
        for (guint i = 0; i < s->fwds->len; i++)
          {
            Fwd   *f = g_ptr_array_index (s->fwds, i);
            guint8 port[2] = { f->port & 0xff, f->port >> 8 };
            chan_send (s, f->data_ch, port, 2);
            chan_send (s, f->error_ch, port, 2);
          }
      for (guint i = 0; s->spdy == NULL && i < s->fwds->len; i++)
        fwd_connect (g_ptr_array_index (s->fwds, i));
    }
  else if (s->spdy != NULL)
    ; /* exec over SPDY starts when the client's streams exist */
  else if (s->proc != NULL)
    exec_start_streams (s);
  else
    {
      s->exited = TRUE;
      send_exit_status (s);
      session_finish (s);
    }
}

static void
msg_finished (SoupServerMessage *msg, gpointer data)
{
  Session *s = data;

  /* The request ended before the upgrade (client gone, or an error
   * answered): the session holds no connection. */
  s->msg_gone = TRUE;
  g_signal_handlers_disconnect_by_data (msg, s);
  if (s->proc != NULL && !s->exited)
    s->proc->vtable->abort (s->proc);
  g_cancellable_cancel (s->cancel);
  session_unref (s);
}

static void
answer_upgrade (Session *s, const char *ws_key)
{
  SoupMessageHeaders *rh = soup_server_message_get_response_headers (s->msg);

  soup_server_message_set_status (s->msg, SOUP_STATUS_SWITCHING_PROTOCOLS, NULL);
  soup_message_headers_replace (rh, "Connection", "Upgrade");
  if (s->ws)
    {
      g_autofree char *k = g_strconcat (ws_key, WS_GUID, NULL);
      guint8           digest[20];
      gsize            dlen = sizeof digest;
      g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA1);
      g_autofree char *accept = NULL;
      g_checksum_update (sum, (const guchar *)k, strlen (k));
      g_checksum_get_digest (sum, digest, &dlen);
      accept = g_base64_encode (digest, dlen);
      soup_message_headers_replace (rh, "Upgrade", "websocket");
      soup_message_headers_replace (rh, "Sec-WebSocket-Accept", accept);
      if (s->protocol != NULL)
        soup_message_headers_replace (rh, "Sec-WebSocket-Protocol", s->protocol);
    }
  else
    {
      soup_message_headers_replace (rh, "Upgrade", "SPDY/3.1");
      soup_message_headers_replace (rh, "X-Stream-Protocol-Version", s->protocol);
    }
  g_signal_connect (s->msg, "wrote-informational", G_CALLBACK (upgraded), s);
}

static void
exec_started (GObject *source, GAsyncResult *result, gpointer data)
{
  Session     *s = data;
  KsNodeAgent *agent = s->sim->agent;
  g_autoptr (GError) error = NULL;
  KsProcess *proc = s->kind == KIND_ATTACH ? agent->vtable->attach_finish (agent, result, &error)
                                           : agent->vtable->exec_finish (agent, result, &error);

  if (s->msg_gone)
    {
      if (proc != NULL)
        {
          proc->vtable->abort (proc);
          proc->vtable->free (proc);
        }
      session_unref (s);
      return;
    }
  if (proc == NULL
      && (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED)))
    {
      g_autoptr (JsonObject) status = map_agent_error (error);
      ks_respond (s->msg, ks_status_code (status), status);
      soup_server_message_unpause (s->msg);
      session_unref (s);
      return;
    }
  /* Any other failure (the command cannot start) is reported after the
   * upgrade, on the error channel, as kubelet does. */
  if (proc == NULL)
    s->exit_error = g_steal_pointer (&error);
  s->proc = proc;
  answer_upgrade (s, g_object_get_data (G_OBJECT (s->msg), "ks-ws-key"));
  soup_server_message_unpause (s->msg);
  session_unref (s);
}

/* Picks the first protocol the client offers that the server speaks. */
static char *
choose_ws_protocol (KsSim *sim, SoupMessageHeaders *rh, Kind kind, Proto *proto)
{
  const char *list = soup_message_headers_get_list (rh, "Sec-WebSocket-Protocol");
  g_auto (GStrv) offered = NULL;

  if (list == NULL)
    return NULL;
  offered = g_strsplit (list, ",", -1);
  for (guint i = 0; offered[i] != NULL; i++)
    {
      const char *p = g_strstrip (offered[i]);
      if (sim->faults.refuse_protocols != NULL
          && g_strv_contains ((const char *const *)sim->faults.refuse_protocols, p))
        continue;
      if (strcmp (p, "v5.channel.k8s.io") == 0 && kind != KIND_PORTFORWARD)
        *proto = PROTO_V5;
      else if (strcmp (p, "v4.channel.k8s.io") == 0)
        *proto = PROTO_V4;
      else if (strcmp (p, "v4.base64.channel.k8s.io") == 0)
        *proto = PROTO_V4_BASE64;
      /* SPDY in WebSocket: SPDY/3.1+portforward.k8s.io (kubectl 1.31 on), and
       * v2.portforward.k8s.io as the first (alpha) tunneling clients named it. */
      else if (kind == KIND_PORTFORWARD
               && (strcmp (p, SPDY_TUNNEL_PREFIX "portforward.k8s.io") == 0
                   || strcmp (p, "v2.portforward.k8s.io") == 0))
        *proto = PROTO_SPDY;
      else
        continue;
      return g_strdup (p);
    }
  return NULL;
}

static gboolean
parse_ports (KsRequest *req, Session *s)
{
  g_autoptr (GPtrArray) values = query_values (req->msg, "ports");

  if (values->len == 0)
    {
      g_autoptr (GPtrArray) more = query_values (req->msg, "port");
      g_ptr_array_extend_and_steal (values, g_steal_pointer (&more));
    }
  for (guint i = 0; i < values->len; i++)
    {
      g_auto (GStrv) parts = g_strsplit (g_ptr_array_index (values, i), ",", -1);
      for (guint j = 0; parts[j] != NULL; j++)
        {
          guint64 port;
          Fwd    *f;
          if (!g_ascii_string_to_unsigned (g_strstrip (parts[j]), 10, 1, 65535, &port, NULL))
            {
              g_autofree char *message
                  = g_strdup_printf ("unable to parse \"%s\" as a port: invalid port", parts[j]);
              ks_respond_status (req->msg, ks_status_bad_request (message));
              return FALSE;
            }
          f = fwd_new (s, port);
          f->data_ch = 2 * (s->fwds->len - 1);
          f->error_ch = f->data_ch + 1;
        }
    }
  if (s->fwds->len == 0)
    {
      ks_respond_status (req->msg, ks_status_bad_request ("query parameter \"port\" is required"));
      return FALSE;
    }
  return TRUE;
}

/* The container, streams and command of an exec or attach, checked as the
 * API server does before any upgrade; FALSE after answering 400. */
static gboolean
exec_options (KsRequest *req, JsonObject *pod, char **container, KsExecFlags *flags, char ***argv)
{
  *flags = 0;
  *container = resolve_container (req, pod);
  if (*container == NULL)
    return FALSE;
  if (ks_query_bool (req, "stdin"))
    *flags |= KS_EXEC_STDIN;
  if (ks_query_bool (req, "stdout"))
    *flags |= KS_EXEC_STDOUT;
  if (ks_query_bool (req, "stderr"))
    *flags |= KS_EXEC_STDERR;
  if (ks_query_bool (req, "tty"))
    *flags |= KS_EXEC_TTY;
  if ((*flags & KS_EXEC_TTY) && (*flags & KS_EXEC_STDERR))
    {
      ks_respond_status (req->msg,
                         ks_status_bad_request ("stdout and stderr cannot both be set with tty"));
      return FALSE;
    }
  if ((*flags & (KS_EXEC_STDIN | KS_EXEC_STDOUT | KS_EXEC_STDERR)) == 0)
    {
      ks_respond_status (req->msg,
                         ks_status_bad_request ("you must specify at least 1 of stdin, stdout, "
                                                "stderr"));
      return FALSE;
    }
  if (strcmp (req->sub, "exec") == 0)
    {
      g_autoptr (GPtrArray) command = query_values (req->msg, "command");
      if (command->len == 0)
        {
          ks_respond_status (req->msg,
                             ks_status_bad_request ("you must specify at least 1 command"));
          return FALSE;
        }
      g_ptr_array_add (command, NULL);
      *argv = (char **)g_ptr_array_steal (command, NULL);
    }
  return TRUE;
}

void
ks_stream_upgrade (KsRequest *req, JsonObject *pod)
{
  SoupMessageHeaders *rh = soup_server_message_get_request_headers (req->msg);
  const char         *upgrade = soup_message_headers_get_one (rh, "Upgrade");
  const char         *sub = req->sub;
  KsNodeAgent        *agent = req->sim->agent;
  Session            *s;
  Proto               proto = PROTO_V4;
  g_autofree char    *protocol = NULL;
  g_autofree char    *container = NULL;
  g_auto (GStrv) argv = NULL;
  KsExecFlags flags = 0;
  gboolean    ws;

  if (strcmp (sub, "portforward") != 0 && !exec_options (req, pod, &container, &flags, &argv))
    return;
  if (upgrade == NULL || !soup_message_headers_header_contains (rh, "Connection", "Upgrade"))
    {
      ks_respond_status (req->msg, ks_status_bad_request ("Upgrade request required"));
      return;
    }
  ws = g_ascii_strcasecmp (upgrade, "websocket") == 0;
  if (!ws && g_ascii_strncasecmp (upgrade, "SPDY/3.1", 8) != 0)
    {
      g_autofree char *message = g_strdup_printf ("unsupported upgrade: %s", upgrade);
      ks_respond_status (req->msg, ks_status_bad_request (message));
      return;
    }
  if (ws)
    {
      if (soup_message_headers_get_one (rh, "Sec-WebSocket-Key") == NULL)
        {
          ks_respond_status (req->msg, ks_status_bad_request ("missing Sec-WebSocket-Key"));
          return;
        }
      protocol = choose_ws_protocol (
          req->sim, rh, strcmp (sub, "portforward") == 0 ? KIND_PORTFORWARD : KIND_EXEC, &proto);
      if (protocol == NULL)
        {
          ks_respond_status (req->msg,
                             ks_status_bad_request ("requested protocol(s) are not supported"));
          return;
        }
    }
  else
    {
      const char *versions = soup_message_headers_get_list (rh, "X-Stream-Protocol-Version");
      const char *want
          = strcmp (sub, "portforward") == 0 ? "portforward.k8s.io" : "v4.channel.k8s.io";
      proto = PROTO_SPDY;
      if (versions == NULL || strstr (versions, want) == NULL)
        {
          g_autofree char *message
              = g_strdup_printf ("unable to upgrade: unable to negotiate protocol: client "
                                 "supports [%s], server accepts [%s]",
                                 versions ? versions : "", want);
          ks_respond_status (req->msg, ks_status_new (403, "Forbidden", message));
          return;
        }
      protocol = g_strdup (want);
    }

  s = g_new0 (Session, 1);
  s->refs = 1;
  s->sim = req->sim;
  s->ns = g_strdup (req->ns);
  s->pod = g_strdup (req->name);
  s->uid = g_strdup (ks_meta_uid (pod));
  s->ws = ws;
  s->proto = proto;
  s->protocol = g_steal_pointer (&protocol);
  s->cancel = g_cancellable_new ();
  s->inbuf = g_byte_array_new ();
  s->frag = g_byte_array_new ();
  s->fwds = g_ptr_array_new_with_free_func ((GDestroyNotify)fwd_free);
  s->msg = g_object_ref (req->msg);
  if (strcmp (sub, "portforward") == 0)
    {
      s->kind = KIND_PORTFORWARD;
      if (proto != PROTO_SPDY && !parse_ports (req, s))
        {
          session_unref (s);
          return;
        }
      s->finished_id = g_signal_connect (req->msg, "finished", G_CALLBACK (msg_finished), s);
      answer_upgrade (s, soup_message_headers_get_one (rh, "Sec-WebSocket-Key"));
      return;
    }

  s->kind = strcmp (sub, "attach") == 0 ? KIND_ATTACH : KIND_EXEC;
  s->container = g_steal_pointer (&container);
  s->flags = flags;
  s->argv = g_steal_pointer (&argv);
  if (agent == NULL || (s->kind == KIND_EXEC && agent->vtable->exec_async == NULL)
      || (s->kind == KIND_ATTACH && agent->vtable->attach_async == NULL))
    {
      ks_respond_status (req->msg, ks_status_bad_request (s->kind == KIND_ATTACH
                                                              ? "the node agent cannot attach"
                                                              : "the node agent cannot exec"));
      session_unref (s);
      return;
    }
  g_object_set_data_full (G_OBJECT (req->msg), "ks-ws-key",
                          g_strdup (soup_message_headers_get_one (rh, "Sec-WebSocket-Key")),
                          g_free);
  s->finished_id
      = g_signal_connect (req->msg, "finished", G_CALLBACK (msg_finished), session_ref (s));
  soup_server_message_pause (req->msg);
  if (s->kind == KIND_ATTACH)
    agent->vtable->attach_async (agent, pod, s->container, s->flags, s->cancel, exec_started, s);
  else
    agent->vtable->exec_async (agent, pod, s->container, (const char *const *)s->argv, s->flags,
                               s->cancel, exec_started, s);
}
