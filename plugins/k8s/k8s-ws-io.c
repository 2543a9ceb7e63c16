/* k8s-ws-io.c: the streams under the WebSockets the k8s plugin opens on
 * its own connections: reading that can be paused and buffers, writing
 * that counts
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "k8s-ws-io.h"

/* -- a WebSocket whose reading can be paused --
 *
 * SoupWebsocketConnection reads its socket until it would block and emits
 * every message as it comes, whatever the receiver can take; it has no
 * way to stop. Under the connections opened here its input is this stream:
 * paused, it would block (and its source waits for the resume), so the
 * WebSocket stops reading and the API server's side of the TCP connection
 * fills up.
 *
 * It also buffers: above TLS, libsoup asks for 1 KiB per read and gets it
 * from one TLS record read at once; under TLS, GnuTLS reads a record's
 * header and its body apart, two receive calls per 16 KiB, and gets them
 * from one receive of up to K8S_TCP_BUFFER. */

#define K8S_TYPE_PAUSE_INPUT (k8s_pause_input_get_type ())
G_DECLARE_FINAL_TYPE (K8sPauseInput, k8s_pause_input, K8S, PAUSE_INPUT, GInputStream)

struct _K8sPauseInput
{
  GInputStream parent_instance;

  GIOStream    *base_io; /* closed when this stream is */
  GInputStream *base;    /* pollable */
  GCancellable *resume;  /* while paused; cancelled to resume */
  guint8       *buf;
  gsize         size, pos, len;
};

static void k8s_pause_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (K8sPauseInput,
                                k8s_pause_input,
                                G_TYPE_INPUT_STREAM,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (G_TYPE_POLLABLE_INPUT_STREAM,
                                                               k8s_pause_input_pollable_init))

static gssize
k8s_pause_input_take (K8sPauseInput *self, void *buffer, gsize count)
{
  gsize n = MIN (count, self->len - self->pos);

  memcpy (buffer, self->buf + self->pos, n);
  self->pos += n;
  return n;
}

static gssize
k8s_pause_input_read (GInputStream *stream,
                      void         *buffer,
                      gsize         count,
                      GCancellable *cancellable,
                      GError      **error)
{
  K8sPauseInput *self = K8S_PAUSE_INPUT (stream);
  gssize         n;

  if (self->pos < self->len)
    return k8s_pause_input_take (self, buffer, count);
  if (count >= self->size)
    return g_input_stream_read (self->base, buffer, count, cancellable, error);
  /* A socket's read gives what there is: a bigger one does not wait longer. */
  n = g_input_stream_read (self->base, self->buf, self->size, cancellable, error);
  if (n <= 0)
    return n;
  self->pos = 0;
  self->len = n;
  return k8s_pause_input_take (self, buffer, count);
}

static gboolean
k8s_pause_input_close (GInputStream *stream, GCancellable *cancellable, GError **error)
{
  return g_io_stream_close (K8S_PAUSE_INPUT (stream)->base_io, cancellable, error);
}

static gboolean
k8s_pause_input_can_poll (GPollableInputStream *stream)
{
  return g_pollable_input_stream_can_poll (
      G_POLLABLE_INPUT_STREAM (K8S_PAUSE_INPUT (stream)->base));
}

static gboolean
k8s_pause_input_is_readable (GPollableInputStream *stream)
{
  K8sPauseInput *self = K8S_PAUSE_INPUT (stream);

  return self->resume == NULL
         && (self->pos < self->len
             || g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base)));
}

static GSource *
k8s_pause_input_create_source (GPollableInputStream *stream, GCancellable *cancellable)
{
  K8sPauseInput *self = K8S_PAUSE_INPUT (stream);
  g_autoptr (GSource) child = NULL;

  if (self->resume != NULL)
    child = g_cancellable_source_new (self->resume);
  else if (self->pos < self->len)
    child = g_timeout_source_new (0);
  else
    child = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base), NULL);
  return g_pollable_source_new_full (stream, child, cancellable);
}

static gssize
k8s_pause_input_read_nonblocking (GPollableInputStream *stream,
                                  void                 *buffer,
                                  gsize                 count,
                                  GError              **error)
{
  K8sPauseInput *self = K8S_PAUSE_INPUT (stream);
  gssize         n;

  if (self->resume != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "Paused");
      return -1;
    }
  if (self->pos < self->len)
    return k8s_pause_input_take (self, buffer, count);
  if (count >= self->size)
    return g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base), buffer,
                                                     count, NULL, error);
  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base), self->buf,
                                                self->size, NULL, error);
  if (n <= 0)
    return n;
  self->pos = 0;
  self->len = n;
  return k8s_pause_input_take (self, buffer, count);
}

static void
k8s_pause_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = k8s_pause_input_can_poll;
  iface->is_readable = k8s_pause_input_is_readable;
  iface->create_source = k8s_pause_input_create_source;
  iface->read_nonblocking = k8s_pause_input_read_nonblocking;
}

static void
k8s_pause_input_finalize (GObject *object)
{
  K8sPauseInput *self = K8S_PAUSE_INPUT (object);

  if (self->resume != NULL)
    g_cancellable_cancel (self->resume);
  g_clear_object (&self->resume);
  g_clear_object (&self->base_io);
  g_free (self->buf);
  G_OBJECT_CLASS (k8s_pause_input_parent_class)->finalize (object);
}

static void
k8s_pause_input_class_init (K8sPauseInputClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = k8s_pause_input_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = k8s_pause_input_read;
  G_INPUT_STREAM_CLASS (klass)->close_fn = k8s_pause_input_close;
}

static void
k8s_pause_input_class_finalize (K8sPauseInputClass *klass)
{
}

static void
k8s_pause_input_init (K8sPauseInput *self)
{
}

/* The output side: counts what the WebSocket has written, so that what it
 * still queues is known (libsoup does not say), and tells @progress. */

#define K8S_TYPE_COUNT_OUTPUT (k8s_count_output_get_type ())
G_DECLARE_FINAL_TYPE (K8sCountOutput, k8s_count_output, K8S, COUNT_OUTPUT, GOutputStream)

struct _K8sCountOutput
{
  GOutputStream parent_instance;

  GOutputStream *base; /* pollable; closed with the base GIOStream */
  guint64        written;
  void (*progress) (gpointer data);
  gpointer progress_data;
};

static void k8s_count_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (K8sCountOutput,
                                k8s_count_output,
                                G_TYPE_OUTPUT_STREAM,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                               k8s_count_output_pollable_init))

static gssize
k8s_count_output_wrote (K8sCountOutput *self, gssize n)
{
  if (n > 0)
    {
      self->written += n;
      if (self->progress != NULL)
        self->progress (self->progress_data);
    }
  return n;
}

static gssize
k8s_count_output_write (GOutputStream *stream,
                        const void    *buffer,
                        gsize          count,
                        GCancellable  *cancellable,
                        GError       **error)
{
  K8sCountOutput *self = K8S_COUNT_OUTPUT (stream);

  return k8s_count_output_wrote (
      self, g_output_stream_write (self->base, buffer, count, cancellable, error));
}

static gboolean
k8s_count_output_flush (GOutputStream *stream, GCancellable *cancellable, GError **error)
{
  return g_output_stream_flush (K8S_COUNT_OUTPUT (stream)->base, cancellable, error);
}

static gboolean
k8s_count_output_close (GOutputStream *stream, GCancellable *cancellable, GError **error)
{
  return TRUE; /* the input's close closes the base */
}

static gboolean
k8s_count_output_can_poll (GPollableOutputStream *stream)
{
  return g_pollable_output_stream_can_poll (
      G_POLLABLE_OUTPUT_STREAM (K8S_COUNT_OUTPUT (stream)->base));
}

static gboolean
k8s_count_output_is_writable (GPollableOutputStream *stream)
{
  return g_pollable_output_stream_is_writable (
      G_POLLABLE_OUTPUT_STREAM (K8S_COUNT_OUTPUT (stream)->base));
}

static GSource *
k8s_count_output_create_source (GPollableOutputStream *stream, GCancellable *cancellable)
{
  g_autoptr (GSource) child = g_pollable_output_stream_create_source (
      G_POLLABLE_OUTPUT_STREAM (K8S_COUNT_OUTPUT (stream)->base), NULL);

  return g_pollable_source_new_full (stream, child, cancellable);
}

static gssize
k8s_count_output_write_nonblocking (GPollableOutputStream *stream,
                                    const void            *buffer,
                                    gsize                  count,
                                    GError               **error)
{
  K8sCountOutput *self = K8S_COUNT_OUTPUT (stream);

  return k8s_count_output_wrote (
      self, g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (self->base),
                                                        buffer, count, NULL, error));
}

static void
k8s_count_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = k8s_count_output_can_poll;
  iface->is_writable = k8s_count_output_is_writable;
  iface->create_source = k8s_count_output_create_source;
  iface->write_nonblocking = k8s_count_output_write_nonblocking;
}

static void
k8s_count_output_finalize (GObject *object)
{
  g_clear_object (&K8S_COUNT_OUTPUT (object)->base);
  G_OBJECT_CLASS (k8s_count_output_parent_class)->finalize (object);
}

static void
k8s_count_output_class_init (K8sCountOutputClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = k8s_count_output_finalize;
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = k8s_count_output_write;
  G_OUTPUT_STREAM_CLASS (klass)->flush = k8s_count_output_flush;
  G_OUTPUT_STREAM_CLASS (klass)->close_fn = k8s_count_output_close;
}

static void
k8s_count_output_class_finalize (K8sCountOutputClass *klass)
{
}

static void
k8s_count_output_init (K8sCountOutput *self)
{
}

/* @base_io as a stream whose input is read @size bytes at a time and can
 * be paused, and whose output (with @count) counts what was written;
 * closing it closes @base_io. */
GIOStream *
k8s_pause_io_new (GIOStream *base_io, gsize size, gboolean count)
{
  K8sPauseInput *in = g_object_new (K8S_TYPE_PAUSE_INPUT, NULL);
  g_autoptr (GOutputStream) out = NULL;
  GIOStream *io;

  in->base_io = g_object_ref (base_io);
  in->base = g_io_stream_get_input_stream (base_io);
  in->size = size;
  in->buf = g_malloc (size);
  if (count)
    {
      out = g_object_new (K8S_TYPE_COUNT_OUTPUT, NULL);
      K8S_COUNT_OUTPUT (out)->base = g_object_ref (g_io_stream_get_output_stream (base_io));
    }
  else
    out = g_object_ref (g_io_stream_get_output_stream (base_io));
  io = g_simple_io_stream_new (G_INPUT_STREAM (in), out);
  g_object_unref (in);
  return io;
}

/* What @ws has written (frames and all) if it counts, else -1. */
gint64
k8s_ws_written (SoupWebsocketConnection *ws)
{
  GOutputStream *out = g_io_stream_get_output_stream (soup_websocket_connection_get_io_stream (ws));

  return K8S_IS_COUNT_OUTPUT (out) ? (gint64)K8S_COUNT_OUTPUT (out)->written : -1;
}

/* Calls @progress (@data) whenever @ws has written more (NULL: no more);
 * FALSE when @ws does not count. @progress runs inside libsoup's write:
 * it must not send. */
gboolean
k8s_ws_on_progress (SoupWebsocketConnection *ws, void (*progress) (gpointer), gpointer data)
{
  GOutputStream *out = g_io_stream_get_output_stream (soup_websocket_connection_get_io_stream (ws));

  if (!K8S_IS_COUNT_OUTPUT (out))
    return FALSE;
  K8S_COUNT_OUTPUT (out)->progress = progress;
  K8S_COUNT_OUTPUT (out)->progress_data = data;
  return TRUE;
}

/* Pauses or resumes reading @ws; FALSE when it cannot (libsoup's session
 * opened it). */
gboolean
k8s_ws_set_paused (SoupWebsocketConnection *ws, gboolean paused)
{
  GInputStream  *in = g_io_stream_get_input_stream (soup_websocket_connection_get_io_stream (ws));
  K8sPauseInput *self;

  if (!K8S_IS_PAUSE_INPUT (in))
    return FALSE;
  self = K8S_PAUSE_INPUT (in);
  if (paused && self->resume == NULL)
    self->resume = g_cancellable_new ();
  else if (!paused && self->resume != NULL)
    {
      g_autoptr (GCancellable) resume = g_steal_pointer (&self->resume);

      /* Its source (the WebSocket's, if it waits) fires. */
      g_cancellable_cancel (resume);
    }
  return TRUE;
}

void
k8s_ws_io_register_types (GTypeModule *module)
{
  k8s_pause_input_register_type (module);
  k8s_count_output_register_type (module);
}
