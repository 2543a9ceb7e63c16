/* ks-stream-io.h: the asynchronous plumbing under the streaming
 * subresources: a write queue on an output stream (KsSink) and a read loop on
 * an input stream (KsReader), both with flow control by watermarks, and the
 * SPDY/3.1 session (ks-spdy.c). Everything runs on the main context. */
#pragma once

#include "kube-sim.h"

#include <gio/gio.h>

G_BEGIN_DECLS

#define KS_HIGH_WATER (1024 * 1024)
#define KS_COALESCE (256 * 1024)

typedef struct _KsSink   KsSink;
typedef struct _KsReader KsReader;

typedef struct
{
  /* The queue went below KS_HIGH_WATER after a write. */
  void (*drained) (gpointer owner, KsSink *sink);
  /* A write failed (the sink takes no more data). */
  void (*failed) (gpointer owner, KsSink *sink, GError *error);
  /* After sink_close: everything queued was written. NULL: close the
   * output stream. */
  void (*closed) (gpointer owner, KsSink *sink);
} KsSinkFuncs;

struct _KsSink
{
  int                refs;
  GOutputStream     *out;
  GQueue             queue; /* GBytes */
  GBytes            *current;
  gsize              queued;
  gboolean           busy, closing, closed, failed;
  GCancellable      *cancel;
  const KsSinkFuncs *funcs;
  gpointer           owner; /* NULL once detached */
};

KsSink *ks_sink_new (GOutputStream *out, const KsSinkFuncs *funcs, gpointer owner);
void    ks_sink_write (KsSink *sink, GBytes *bytes);
void    ks_sink_write_data (KsSink *sink, const void *data, gsize len);
void    ks_sink_close (KsSink *sink);
/* Stops callbacks and pending writes and drops the owner's reference. */
void ks_sink_detach (KsSink *sink);
/* Hands the sink (its queue, its pending write) to another owner. */
void ks_sink_set_owner (KsSink *sink, const KsSinkFuncs *funcs, gpointer owner);

typedef struct
{
  /* bytes is NULL at end of stream. */
  void (*data) (gpointer owner, KsReader *reader, GBytes *bytes);
  void (*failed) (gpointer owner, KsReader *reader, GError *error);
} KsReaderFuncs;

struct _KsReader
{
  int                  refs;
  GInputStream        *in;
  gboolean             busy, eof, paused;
  GCancellable        *cancel;
  const KsReaderFuncs *funcs;
  gpointer             owner;
};

KsReader *ks_reader_new (GInputStream *in, const KsReaderFuncs *funcs, gpointer owner);
void      ks_reader_pause (KsReader *reader);
void      ks_reader_resume (KsReader *reader);
void      ks_reader_detach (KsReader *reader);
/* Hands the reader (and its pending read) to another owner. */
void ks_reader_set_owner (KsReader *reader, const KsReaderFuncs *funcs, gpointer owner);

/* ---- SPDY/3.1 (ks-spdy.c) ---- */

typedef struct _KsSpdy KsSpdy;

typedef struct
{
  /* Bytes to send to the peer (framed SPDY). */
  void (*send) (gpointer owner, GBytes *bytes);
  /* A new stream from the peer, with its headers (lower-case names). */
  void (*stream_opened) (gpointer owner, guint32 id, GHashTable *headers);
  void (*stream_data) (gpointer owner, guint32 id, const guint8 *data, gsize len);
  /* The peer half-closed (FIN) or reset the stream. */
  void (*stream_fin) (gpointer owner, guint32 id);
  void (*stream_reset) (gpointer owner, guint32 id);
  /* GOAWAY or a protocol error: the session is over. */
  void (*gone) (gpointer owner, const char *why);
} KsSpdyFuncs;

KsSpdy *ks_spdy_new (const KsSpdyFuncs *funcs, gpointer owner);
void    ks_spdy_free (KsSpdy *spdy);
void    ks_spdy_feed (KsSpdy *spdy, const guint8 *data, gsize len);
void    ks_spdy_reply (KsSpdy *spdy, guint32 id);
void    ks_spdy_send_data (KsSpdy *spdy, guint32 id, const guint8 *data, gsize len, gboolean fin);
void    ks_spdy_reset (KsSpdy *spdy, guint32 id, guint32 status);
void    ks_spdy_goaway (KsSpdy *spdy);

G_END_DECLS
