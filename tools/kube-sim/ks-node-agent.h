/* ks-node-agent.h: what runs pods. The simulator schedules every pod to one
 * node and tells the agent; the agent reports back through ks_pod_set_status()
 * and ks_pod_remove().
 *
 * Two agents exist: the fake one (ks-fake-agent.c) moves phases on timers and
 * runs exec'd commands on the host in a scratch directory per pod (for
 * protocol tests only; attach reaches a made-up main process that echoes
 * its stdin into the pod's log), and the podman one (ks-podman-agent.c) runs every pod
 * as a podman pod with one container per pod container.
 *
 * The stream entry points (logs, exec, attach, port connect) are asynchronous:
 * the API server runs on one GMainContext and must never block on an agent.
 * The server checks the pod exists and names the container before it calls
 * them; errors from the agent use G_IO_ERROR codes, which the server maps to
 * a Status: G_IO_ERROR_NOT_FOUND -> 404 NotFound, G_IO_ERROR_NOT_SUPPORTED ->
 * 400 BadRequest, G_IO_ERROR_CONNECTION_REFUSED (port connect) -> an error on
 * that port's error stream only, anything else -> 500 InternalError. An exec
 * or attach error other than NOT_FOUND/NOT_SUPPORTED is reported after the
 * upgrade, on the error channel (as kubelet reports a command that cannot
 * start).
 *
 * How the server (ks-stream.c) uses a KsProcess: it reads stdout_stream and
 * stderr_stream with g_input_stream_read_bytes_async on the main context
 * until end of stream, writes stdin_stream with g_output_stream_write_all_async
 * and closes it (g_output_stream_close_async) when the client closes stdin;
 * it sends the exit status once wait_async completed AND both output streams
 * ended. It calls abort when the client goes away before the process exited
 * (wait_async is then cancelled), and free exactly once at the end. */
#pragma once

#include "kube-sim.h"

#include <gio/gio.h>

G_BEGIN_DECLS

/* What a pods/log request asks for. */
typedef struct
{
  const char *container;     /* never NULL: the server resolves the default */
  gboolean    follow;        /* keep the stream open until the container exits */
  gboolean    timestamps;    /* RFC 3339 nano prefix on each line */
  gboolean    previous;      /* the previous instance (after a restart) */
  gint64      tail_lines;    /* -1 for all */
  gint64      since_seconds; /* 0 for all */
  gint64      limit_bytes;   /* 0 for no limit */
} KsLogOptions;

typedef enum
{
  KS_EXEC_STDIN = 1 << 0,
  KS_EXEC_STDOUT = 1 << 1,
  KS_EXEC_STDERR = 1 << 2,
  KS_EXEC_TTY = 1 << 3, /* one raw stream: stderr_stream is NULL */
} KsExecFlags;

typedef struct _KsProcess KsProcess;

typedef struct
{
  /* A terminal resize (channel 4 of exec/attach); may be NULL. */
  void (*resize) (KsProcess *proc, guint16 width, guint16 height);
  /* Completes when the process exited; wait_finish gives its exit code. */
  void (*wait_async) (KsProcess          *proc,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data);
  gboolean (*wait_finish) (KsProcess *proc, GAsyncResult *result, int *exit_code, GError **error);
  /* The client went away: end the process (exec) or detach (attach). */
  void (*abort) (KsProcess *proc);
  void (*free) (KsProcess *proc);
} KsProcessVTable;

/* A running exec or attach session. The streams are owned by the process;
 * a stream is NULL when its flag was not asked for. Closing stdin_stream
 * delivers EOF to the process. */
struct _KsProcess
{
  const KsProcessVTable *vtable;
  GOutputStream         *stdin_stream;
  GInputStream          *stdout_stream;
  GInputStream          *stderr_stream;
};

typedef struct
{
  const char *name;
  /* A pod was bound to the node (spec.nodeName set). */
  void (*pod_scheduled) (KsNodeAgent *agent, JsonObject *pod);
  /* The pod got a deletionTimestamp: stop it, then call ks_pod_remove(). */
  void (*pod_terminating) (KsNodeAgent *agent, JsonObject *pod);
  /* The pod object is gone (forced deletion or after ks_pod_remove()). */
  void (*pod_removed) (KsNodeAgent *agent, JsonObject *pod);

  /* pods/log: a stream of the container's log as options ask (transfer
   * full). With follow it ends when the container exits or on cancel. */
  void (*logs_open_async) (KsNodeAgent        *agent,
                           JsonObject         *pod,
                           const KsLogOptions *options,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data);
  GInputStream *(*logs_open_finish) (KsNodeAgent *agent, GAsyncResult *result, GError **error);

  /* pods/exec: starts @argv in @container (transfer full process). */
  void (*exec_async) (KsNodeAgent        *agent,
                      JsonObject         *pod,
                      const char         *container,
                      const char *const  *argv,
                      KsExecFlags         flags,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data);
  KsProcess *(*exec_finish) (KsNodeAgent *agent, GAsyncResult *result, GError **error);

  /* pods/attach: attaches to the container's main process; may be NULL
   * (the server answers 400 BadRequest). */
  void (*attach_async) (KsNodeAgent        *agent,
                        JsonObject         *pod,
                        const char         *container,
                        KsExecFlags         flags,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data);
  KsProcess *(*attach_finish) (KsNodeAgent *agent, GAsyncResult *result, GError **error);

  /* pods/portforward: a connection to @port on the pod's own 127.0.0.1
   * (inside its network namespace), as kubelet does (transfer full). */
  void (*port_connect_async) (KsNodeAgent        *agent,
                              JsonObject         *pod,
                              guint16             port,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data);
  GIOStream *(*port_connect_finish) (KsNodeAgent *agent, GAsyncResult *result, GError **error);

  void (*free) (KsNodeAgent *agent);
} KsNodeAgentVTable;

struct _KsNodeAgent
{
  const KsNodeAgentVTable *vtable;
  KsSim                   *sim;
  char                    *node_name;
  /* The node's InternalIP, where its NodePort services are reached (a
   * static string); NULL for the fake agent's 10.0.0.10. */
  const char *node_address;
};

KsNodeAgent *ks_fake_agent_new (KsSim *sim, const char *node_name, guint ready_delay_ms);
/* Starts a private podman service with its storage under @root (a
 * temporary directory, removed at exit, when NULL). */
KsNodeAgent *
ks_podman_agent_new (KsSim *sim, const char *node_name, const char *root, GError **error);

G_END_DECLS
