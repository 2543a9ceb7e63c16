/* k8s-stream.h: the framing of the Kubernetes streaming subresources over
 * WebSocket (channel.k8s.io): pure functions, tested on their own
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Channels of exec and attach. */
enum
{
  K8S_CHANNEL_STDIN = 0,
  K8S_CHANNEL_STDOUT = 1,
  K8S_CHANNEL_STDERR = 2,
  K8S_CHANNEL_ERROR = 3,
  K8S_CHANNEL_RESIZE = 4,
  K8S_CHANNEL_CLOSE = 255, /* v5.channel.k8s.io: [255, channel] closes it */
};

/* One message: @channel then @len bytes of @data. */
GBytes *k8s_frame (guint8 channel, const void *data, gsize len);

/* The v5 CLOSE signal for @channel. */
GBytes *k8s_frame_close (guint8 channel);

/* Splits a received message into its channel and payload (pointing into
 * @message). FALSE for an empty message. */
gboolean k8s_frame_parse (GBytes *message, guint8 *channel, const guint8 **data, gsize *len);

typedef enum
{
  K8S_EXEC_STATUS_SUCCESS,   /* exit 0 */
  K8S_EXEC_STATUS_EXIT_CODE, /* NonZeroExitCode: *exit_code set */
  K8S_EXEC_STATUS_FAILURE,   /* another failure: *message set */
  K8S_EXEC_STATUS_INVALID,   /* not a Status */
} K8sExecStatus;

/* Reads the error channel's Status ({"status":"Success"} or a Failure
 * with reason NonZeroExitCode and an ExitCode cause). */
K8sExecStatus k8s_exec_status_parse (const char *text, gsize len, int *exit_code, char **message);

/* Port-forward (v4.channel.k8s.io, ?ports=P): channel 2i carries the data
 * of the i-th port, 2i+1 its errors; the first message the server sends on
 * each channel starts with the port, 2 bytes little-endian. Strips the
 * prefix of a first message: FALSE if it is missing or names another
 * port. */
gboolean k8s_port_prefix_strip (const guint8 **data, gsize *len, guint16 port);

/* The resize channel's message: {"Width":@columns,"Height":@rows}. */
char *k8s_resize_message (guint columns, guint rows);

/* The exec query: command=…&command=…&container=…&stdin=…&stdout=true&
 * stderr=…&tty=… (escaped). */
char *k8s_exec_query (const char *const *argv,
                      const char        *container,
                      gboolean           want_stdin,
                      gboolean           want_stderr,
                      gboolean           tty);

G_END_DECLS
