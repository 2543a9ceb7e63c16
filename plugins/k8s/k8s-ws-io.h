/* k8s-ws-io.h: the streams under the WebSockets the k8s plugin opens on
 * its own connections (k8s-ws-io.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Read sizes: above TLS (what libsoup's WebSocket reads from) and under
 * it (what GnuTLS reads from). */
#define K8S_WS_BUFFER (64 * 1024)
#define K8S_TCP_BUFFER (256 * 1024)

/* Registers the stream types with the plugin's module. */
void k8s_ws_io_register_types (GTypeModule *module);

/* @base_io as a stream whose input is read @size bytes at a time and can
 * be paused, and whose output (with @count) counts what was written;
 * closing it closes @base_io. */
GIOStream *k8s_pause_io_new (GIOStream *base_io, gsize size, gboolean count);

/* What @ws has written (frames and all) if it counts, else -1. */
gint64 k8s_ws_written (SoupWebsocketConnection *ws);

/* Calls @progress (@data) whenever @ws has written more (NULL: no more);
 * FALSE when @ws does not count. @progress runs inside libsoup's write:
 * it must not send. */
gboolean
k8s_ws_on_progress (SoupWebsocketConnection *ws, void (*progress) (gpointer), gpointer data);

/* Pauses or resumes reading @ws; FALSE when it cannot (libsoup's session
 * opened it). */
gboolean k8s_ws_set_paused (SoupWebsocketConnection *ws, gboolean paused);

G_END_DECLS
