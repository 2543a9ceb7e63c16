/* ks-stream-io.c: a write queue and a read loop with watermarks. Every
 * pending operation holds a reference; detaching cancels and clears the
 * owner, so no callback reaches a freed owner. */
#include "ks-stream-io.h"

static KsSink *
sink_ref (KsSink *sink)
{
  sink->refs++;
  return sink;
}

static void
sink_unref (KsSink *sink)
{
  if (--sink->refs > 0)
    return;
  g_queue_clear_full (&sink->queue, (GDestroyNotify)g_bytes_unref);
  g_clear_pointer (&sink->current, g_bytes_unref);
  g_clear_object (&sink->out);
  g_clear_object (&sink->cancel);
  g_free (sink);
}

KsSink *
ks_sink_new (GOutputStream *out, const KsSinkFuncs *funcs, gpointer owner)
{
  KsSink *sink = g_new0 (KsSink, 1);

  sink->refs = 1;
  sink->out = g_object_ref (out);
  sink->cancel = g_cancellable_new ();
  sink->funcs = funcs;
  sink->owner = owner;
  g_queue_init (&sink->queue);
  return sink;
}

static void sink_kick (KsSink *sink);

static void
sink_closed_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KsSink *sink = data;

  g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, NULL);
  sink_unref (sink);
}

static void
sink_written (GObject *source, GAsyncResult *result, gpointer data)
{
  KsSink *sink = data;
  g_autoptr (GError) error = NULL;
  gsize len = g_bytes_get_size (sink->current);

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error);
  sink->busy = FALSE;
  g_clear_pointer (&sink->current, g_bytes_unref);
  sink->queued -= len;
  if (sink->owner == NULL)
    {
      sink_unref (sink);
      return;
    }
  if (error != NULL)
    {
      sink->failed = TRUE;
      if (sink->funcs->failed)
        sink->funcs->failed (sink->owner, sink, error);
    }
  else
    {
      if (sink->queued < KS_HIGH_WATER && sink->funcs->drained)
        sink->funcs->drained (sink->owner, sink);
      if (sink->owner != NULL)
        sink_kick (sink);
    }
  sink_unref (sink);
}

static void
sink_kick (KsSink *sink)
{
  if (sink->busy || sink->failed || sink->closed)
    return;
  if (g_queue_is_empty (&sink->queue))
    {
      if (sink->closing)
        {
          sink->closed = TRUE;
          if (sink->funcs->closed)
            sink->funcs->closed (sink->owner, sink);
          else
            g_output_stream_close_async (sink->out, G_PRIORITY_DEFAULT, NULL, sink_closed_cb,
                                         sink_ref (sink));
        }
      return;
    }
  sink->current = g_queue_pop_head (&sink->queue);
  /* Small frames queued behind each other go out in one write (one TLS
   * record, one syscall). */
  if (!g_queue_is_empty (&sink->queue) && g_bytes_get_size (sink->current) < KS_COALESCE)
    {
      GByteArray *merged = g_byte_array_sized_new (KS_COALESCE);
      g_byte_array_append (merged, g_bytes_get_data (sink->current, NULL),
                           g_bytes_get_size (sink->current));
      g_bytes_unref (sink->current);
      while (!g_queue_is_empty (&sink->queue)
             && merged->len + g_bytes_get_size (g_queue_peek_head (&sink->queue)) <= KS_COALESCE)
        {
          GBytes *next = g_queue_pop_head (&sink->queue);
          g_byte_array_append (merged, g_bytes_get_data (next, NULL), g_bytes_get_size (next));
          g_bytes_unref (next);
        }
      sink->current = g_byte_array_free_to_bytes (merged);
    }
  sink->busy = TRUE;
  g_output_stream_write_all_async (sink->out, g_bytes_get_data (sink->current, NULL),
                                   g_bytes_get_size (sink->current), G_PRIORITY_DEFAULT,
                                   sink->cancel, sink_written, sink_ref (sink));
}

void
ks_sink_write (KsSink *sink, GBytes *bytes)
{
  if (sink->failed || sink->closing || g_bytes_get_size (bytes) == 0)
    return;
  g_queue_push_tail (&sink->queue, g_bytes_ref (bytes));
  sink->queued += g_bytes_get_size (bytes);
  sink_kick (sink);
}

void
ks_sink_write_data (KsSink *sink, const void *data, gsize len)
{
  g_autoptr (GBytes) bytes = g_bytes_new (data, len);

  ks_sink_write (sink, bytes);
}

void
ks_sink_close (KsSink *sink)
{
  if (sink->closing)
    return;
  sink->closing = TRUE;
  sink_kick (sink);
}

void
ks_sink_detach (KsSink *sink)
{
  if (sink == NULL)
    return;
  sink->owner = NULL;
  sink->failed = TRUE;
  g_cancellable_cancel (sink->cancel);
  sink_unref (sink);
}

void
ks_sink_set_owner (KsSink *sink, const KsSinkFuncs *funcs, gpointer owner)
{
  g_return_if_fail (sink->owner != NULL);
  sink->funcs = funcs;
  sink->owner = owner;
}

/* ---- reader ---- */

static void
reader_unref (KsReader *reader)
{
  if (--reader->refs > 0)
    return;
  g_clear_object (&reader->in);
  g_clear_object (&reader->cancel);
  g_free (reader);
}

static void reader_next (KsReader *reader);

static void
reader_read (GObject *source, GAsyncResult *result, gpointer data)
{
  KsReader *reader = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes
      = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  reader->busy = FALSE;
  if (reader->owner != NULL)
    {
      if (bytes == NULL)
        {
          reader->eof = TRUE;
          reader->funcs->failed (reader->owner, reader, error);
        }
      else if (g_bytes_get_size (bytes) == 0)
        {
          reader->eof = TRUE;
          reader->funcs->data (reader->owner, reader, NULL);
        }
      else
        {
          reader->funcs->data (reader->owner, reader, bytes);
          reader_next (reader);
        }
    }
  reader_unref (reader);
}

static void
reader_next (KsReader *reader)
{
  if (reader->busy || reader->eof || reader->paused || reader->owner == NULL)
    return;
  reader->busy = TRUE;
  reader->refs++;
  g_input_stream_read_bytes_async (reader->in, 65536, G_PRIORITY_DEFAULT, reader->cancel,
                                   reader_read, reader);
}

KsReader *
ks_reader_new (GInputStream *in, const KsReaderFuncs *funcs, gpointer owner)
{
  KsReader *reader = g_new0 (KsReader, 1);

  reader->refs = 1;
  reader->in = g_object_ref (in);
  reader->cancel = g_cancellable_new ();
  reader->funcs = funcs;
  reader->owner = owner;
  reader_next (reader);
  return reader;
}

void
ks_reader_pause (KsReader *reader)
{
  if (reader != NULL)
    reader->paused = TRUE;
}

void
ks_reader_resume (KsReader *reader)
{
  if (reader == NULL || !reader->paused)
    return;
  reader->paused = FALSE;
  reader_next (reader);
}

void
ks_reader_detach (KsReader *reader)
{
  if (reader == NULL)
    return;
  reader->owner = NULL;
  g_cancellable_cancel (reader->cancel);
  reader_unref (reader);
}

void
ks_reader_set_owner (KsReader *reader, const KsReaderFuncs *funcs, gpointer owner)
{
  g_return_if_fail (reader->owner != NULL);
  reader->funcs = funcs;
  reader->owner = owner;
}
