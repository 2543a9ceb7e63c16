/* ks-fake-agent.c: a node agent that runs no containers. A scheduled pod
 * becomes Running and Ready after a delay; a terminating pod goes away
 * shortly after.
 *
 * For protocol tests it also serves the streams: exec runs argv ON THE HOST
 * (a GSubprocess in a scratch directory per pod, no isolation at all), logs
 * are lines it makes up (a start line, the pod's annotation
 * kube-sim.hero-virt.dev/log, and "tick N" lines every
 * kube-sim.hero-virt.dev/log-interval-ms), and a port connect reaches
 * 127.0.0.1:PORT on the host.
 *
 * Attach reaches each pod's fake main process, which writes those log
 * lines and, for a container with `stdin: true`, is `cat`: each line of
 * its standard input (from any attached client) becomes a log line, so
 * every attached client and log follower sees it. A client attached with
 * stdin to a container with `stdinOnce: true` that closes its stdin ends
 * that attach with exit code 0 (the pod itself stays Running: nothing
 * restarts). The pod's end ends every attach.
 *
 * The main process writes to its attached clients as containerd's attach
 * does (one writer group, a blocking write to each client): every client
 * gets every byte in order, and while one client's stream is full (the
 * server stopped reading it above its high-water mark) the process is
 * blocked in that write: it neither ticks nor reads its stdin until that
 * client takes the output or detaches. A slow client so holds up the
 * process (and its other clients and log) instead of making anything
 * queue without bound: what waits is at most one stdin read (64 KiB) per
 * client with stdin, on top of the kernel's and the server's buffers. */
#define _GNU_SOURCE /* posix_openpt, ptsname_r */
#include "ks-node-agent.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>

#define LOG_ANNOTATION "kube-sim.hero-virt.dev/log"
#define LOG_INTERVAL_ANNOTATION "kube-sim.hero-virt.dev/log-interval-ms"

typedef struct
{
  KsNodeAgent parent;
  guint       ready_delay_ms;
  GHashTable *timers; /* pod uid -> source id */
  GHashTable *logs;   /* pod uid -> PodLog */
  char       *scratch;
  GPtrArray  *procs; /* GSubprocess: exec'd processes, ended when the simulator exits */
} FakeAgent;

typedef struct
{
  gint64 time_us;
  char  *text; /* with its newline */
} LogLine;

typedef struct
{
  int      fd;
  gboolean timestamps;
  guint    watch; /* notices the reader closing its end */
} Follower;

typedef struct _FakeAttach FakeAttach;

typedef struct
{
  GPtrArray *lines;     /* LogLine */
  GArray    *followers; /* Follower */
  GPtrArray *attached;  /* FakeAttach: what the main process writes goes there too */
  guint      tick_id;
  guint      ticks;
  gboolean   ended;
} PodLog;

static void
log_line_free (LogLine *l)
{
  g_free (l->text);
  g_free (l);
}

static void     fake_attach_exit (FakeAttach *a);
static void     fake_attach_write (FakeAttach *a, const char *text);
static gboolean pod_log_blocked (PodLog *log);

static void
pod_log_end (PodLog *log)
{
  /* The main process exits: attached clients see its end (after what
   * they have not taken yet). */
  log->ended = TRUE;
  while (log->attached->len > 0)
    fake_attach_exit (g_ptr_array_index (log->attached, log->attached->len - 1));
  log->ended = TRUE;
  g_clear_handle_id (&log->tick_id, g_source_remove);
  for (guint i = 0; i < log->followers->len; i++)
    {
      Follower *f = &g_array_index (log->followers, Follower, i);
      g_source_remove (f->watch);
      close (f->fd);
    }
  g_array_set_size (log->followers, 0);
}

static void
pod_log_free (PodLog *log)
{
  pod_log_end (log);
  g_ptr_array_unref (log->lines);
  g_array_unref (log->followers);
  g_ptr_array_unref (log->attached);
  g_free (log);
}

static char *
format_line (LogLine *l, gboolean timestamps)
{
  g_autoptr (GDateTime) t = NULL;
  g_autofree char *stamp = NULL;

  if (!timestamps)
    return g_strdup (l->text);
  {
    g_autoptr (GDateTime) secs = g_date_time_new_from_unix_utc (l->time_us / G_USEC_PER_SEC);
    t = g_date_time_add (secs, l->time_us % G_USEC_PER_SEC);
  }
  stamp = g_date_time_format (t, "%Y-%m-%dT%H:%M:%S.%fZ");
  return g_strconcat (stamp, " ", l->text, NULL);
}

/* Writes without blocking; a follower that went away or cannot keep up is
 * dropped (its reader sees the end of the stream). */
static gboolean
follower_write (Follower *f, LogLine *l)
{
  g_autofree char *text = format_line (l, f->timestamps);
  gsize            len = strlen (text);

  return send (f->fd, text, len, MSG_NOSIGNAL | MSG_DONTWAIT) == (gssize)len;
}

static void
pod_log_append (PodLog *log, const char *text)
{
  LogLine *l = g_new0 (LogLine, 1);

  l->time_us = g_get_real_time ();
  l->text = g_str_has_suffix (text, "\n") ? g_strdup (text) : g_strconcat (text, "\n", NULL);
  g_ptr_array_add (log->lines, l);
  for (guint i = 0; i < log->attached->len; i++)
    fake_attach_write (g_ptr_array_index (log->attached, i), l->text);
  for (guint i = log->followers->len; i > 0; i--)
    {
      Follower *f = &g_array_index (log->followers, Follower, i - 1);
      if (!follower_write (f, l))
        {
          g_source_remove (f->watch);
          close (f->fd);
          g_array_remove_index (log->followers, i - 1);
        }
    }
}

/* The server closed its end (the client went away). */
static gboolean
follower_gone (int fd, GIOCondition condition, gpointer data)
{
  PodLog *log = data;

  for (guint i = 0; i < log->followers->len; i++)
    if (g_array_index (log->followers, Follower, i).fd == fd)
      {
        close (fd);
        g_array_remove_index (log->followers, i);
        break;
      }
  return G_SOURCE_REMOVE;
}

static gboolean
log_tick (gpointer data)
{
  PodLog          *log = data;
  g_autofree char *line = NULL;

  /* Blocked writing to a client that does not read: no tick. */
  if (pod_log_blocked (log))
    return G_SOURCE_CONTINUE;
  line = g_strdup_printf ("tick %u", ++log->ticks);
  pod_log_append (log, line);
  return G_SOURCE_CONTINUE;
}

static PodLog *
pod_log_get (FakeAgent *agent, JsonObject *pod)
{
  PodLog     *log = g_hash_table_lookup (agent->logs, ks_meta_uid (pod));
  JsonObject *annotations;
  const char *text, *interval;

  if (log != NULL)
    return log;
  log = g_new0 (PodLog, 1);
  log->lines = g_ptr_array_new_with_free_func ((GDestroyNotify)log_line_free);
  log->followers = g_array_new (FALSE, FALSE, sizeof (Follower));
  log->attached = g_ptr_array_new ();
  g_hash_table_insert (agent->logs, g_strdup (ks_meta_uid (pod)), log);
  annotations = ks_json_get_object (ks_meta (pod), "annotations");
  text = ks_json_get_string (annotations, LOG_ANNOTATION);
  interval = ks_json_get_string (annotations, LOG_INTERVAL_ANNOTATION);
  {
    g_autofree char *start = g_strdup_printf ("kube-sim: pod %s/%s started (fake node agent)",
                                              ks_meta_namespace (pod), ks_meta_name (pod));
    pod_log_append (log, start);
  }
  if (text != NULL)
    {
      g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (lines[i + 1] != NULL || *lines[i] != '\0')
          pod_log_append (log, lines[i]);
    }
  if (interval != NULL && g_ascii_strtoull (interval, NULL, 10) > 0)
    log->tick_id = g_timeout_add (g_ascii_strtoull (interval, NULL, 10), log_tick, log);
  return log;
}

typedef struct
{
  FakeAgent *agent;
  char      *ns, *name, *uid;
  gboolean   terminating;
  gboolean   completing; /* a job's pod: it ends with exit code 0 */
} PodTimer;

static void
pod_timer_free (PodTimer *t)
{
  g_free (t->ns);
  g_free (t->name);
  g_free (t->uid);
  g_free (t);
}

static JsonObject *
condition (const char *type, gboolean value, const char *now)
{
  JsonObject *c = json_object_new ();

  json_object_set_string_member (c, "type", type);
  json_object_set_string_member (c, "status", value ? "True" : "False");
  json_object_set_null_member (c, "lastProbeTime");
  json_object_set_string_member (c, "lastTransitionTime", now);
  return c;
}

static JsonObject *
running_status (KsSim *sim, JsonObject *pod)
{
  JsonObject      *status = json_object_new ();
  JsonArray       *conditions = json_array_new ();
  JsonArray       *statuses = json_array_new ();
  JsonArray       *containers = ks_json_get_array (ks_json_get_object (pod, "spec"), "containers");
  g_autofree char *now = ks_now_rfc3339 ();
  const char      *old_ip = ks_json_get_string (ks_json_get_object (pod, "status"), "podIP");
  g_autofree char *ip = old_ip ? g_strdup (old_ip) : ks_allocate_pod_ip (sim);
  JsonArray       *ips = json_array_new ();
  JsonObject      *ip_obj = json_object_new ();

  json_object_set_string_member (status, "phase", "Running");
  json_array_add_object_element (conditions, condition ("PodReadyToStartContainers", TRUE, now));
  json_array_add_object_element (conditions, condition ("Initialized", TRUE, now));
  json_array_add_object_element (conditions, condition ("Ready", TRUE, now));
  json_array_add_object_element (conditions, condition ("ContainersReady", TRUE, now));
  json_array_add_object_element (conditions, condition ("PodScheduled", TRUE, now));
  json_object_set_array_member (status, "conditions", conditions);
  json_object_set_string_member (status, "hostIP", "10.0.0.10");
  {
    JsonArray  *hips = json_array_new ();
    JsonObject *h = json_object_new ();
    json_object_set_string_member (h, "ip", "10.0.0.10");
    json_array_add_object_element (hips, h);
    json_object_set_array_member (status, "hostIPs", hips);
  }
  json_object_set_string_member (status, "podIP", ip);
  json_object_set_string_member (ip_obj, "ip", ip);
  json_array_add_object_element (ips, ip_obj);
  json_object_set_array_member (status, "podIPs", ips);
  json_object_set_string_member (status, "startTime", now);
  for (guint i = 0; containers != NULL && i < json_array_get_length (containers); i++)
    {
      JsonObject      *c = json_array_get_object_element (containers, i);
      JsonObject      *cs = json_object_new ();
      JsonObject      *state = json_object_new ();
      JsonObject      *running = json_object_new ();
      const char      *image = ks_json_get_string (c, "image");
      g_autofree char *id
          = g_strdup_printf ("containerd://%08x%08x", g_random_int (), g_random_int ());
      json_object_set_string_member (cs, "name", ks_json_get_string (c, "name"));
      json_object_set_string_member (running, "startedAt", now);
      json_object_set_object_member (state, "running", running);
      json_object_set_object_member (cs, "state", state);
      json_object_set_object_member (cs, "lastState", json_object_new ());
      json_object_set_boolean_member (cs, "ready", TRUE);
      json_object_set_int_member (cs, "restartCount", 0);
      json_object_set_string_member (cs, "image", image ? image : "");
      json_object_set_string_member (cs, "imageID", image ? image : "");
      json_object_set_string_member (cs, "containerID", id);
      json_object_set_boolean_member (cs, "started", TRUE);
      json_array_add_object_element (statuses, cs);
    }
  json_object_set_array_member (status, "containerStatuses", statuses);
  json_object_set_string_member (status, "qosClass", "BestEffort");
  return status;
}

static gboolean
owned_by_job (JsonObject *pod)
{
  JsonArray *refs = ks_json_get_array (ks_meta (pod), "ownerReferences");

  for (guint i = 0; refs != NULL && i < json_array_get_length (refs); i++)
    if (g_strcmp0 (ks_json_get_string (json_array_get_object_element (refs, i), "kind"), "Job")
        == 0)
      return TRUE;
  return FALSE;
}

static JsonObject *
completed_status (JsonObject *pod)
{
  JsonObject      *status = ks_json_object_deep_copy (ks_json_get_object (pod, "status"));
  JsonArray       *conditions = ks_json_get_array (status, "conditions");
  JsonArray       *statuses = ks_json_get_array (status, "containerStatuses");
  g_autofree char *now = ks_now_rfc3339 ();

  json_object_set_string_member (status, "phase", "Succeeded");
  for (guint i = 0; conditions != NULL && i < json_array_get_length (conditions); i++)
    {
      JsonObject *c = json_array_get_object_element (conditions, i);
      const char *type = ks_json_get_string (c, "type");
      if (g_strcmp0 (type, "Ready") == 0 || g_strcmp0 (type, "ContainersReady") == 0)
        {
          json_object_set_string_member (c, "status", "False");
          json_object_set_string_member (c, "reason", "PodCompleted");
          json_object_set_string_member (c, "lastTransitionTime", now);
        }
    }
  for (guint i = 0; statuses != NULL && i < json_array_get_length (statuses); i++)
    {
      JsonObject *cs = json_array_get_object_element (statuses, i);
      JsonObject *state = json_object_new ();
      JsonObject *done = json_object_new ();
      const char *started = ks_json_get_string (
          ks_json_get_object (ks_json_get_object (cs, "state"), "running"), "startedAt");
      json_object_set_int_member (done, "exitCode", 0);
      json_object_set_string_member (done, "reason", "Completed");
      json_object_set_string_member (done, "startedAt", started ? started : now);
      json_object_set_string_member (done, "finishedAt", now);
      if (ks_json_get_string (cs, "containerID"))
        json_object_set_string_member (done, "containerID", ks_json_get_string (cs, "containerID"));
      json_object_set_object_member (state, "terminated", done);
      json_object_set_object_member (cs, "state", state);
      json_object_set_boolean_member (cs, "ready", FALSE);
      json_object_set_boolean_member (cs, "started", FALSE);
    }
  return status;
}

static void schedule (FakeAgent  *agent,
                      JsonObject *pod,
                      guint       delay,
                      gboolean    terminating,
                      gboolean    completing);

static gboolean
timer_fired (gpointer data)
{
  PodTimer   *t = data;
  FakeAgent  *agent = t->agent;
  KsSim      *sim = agent->parent.sim;
  KsResource *pods = ks_resource_find (sim, "", "v1", "pods");
  JsonObject *pod = ks_store_get (pods, t->ns, t->name);

  g_hash_table_remove (agent->timers, t->uid);
  if (pod == NULL || g_strcmp0 (ks_meta_uid (pod), t->uid) != 0)
    return G_SOURCE_REMOVE;
  if (t->terminating)
    ks_pod_remove (sim, t->ns, t->name, t->uid);
  else if (t->completing)
    {
      g_autoptr (JsonObject) status = completed_status (pod);
      ks_pod_set_status (sim, t->ns, t->name, t->uid, status);
    }
  else if (!json_object_has_member (ks_meta (pod), "deletionTimestamp"))
    {
      g_autoptr (JsonObject) status = running_status (sim, pod);
      JsonArray *containers = ks_json_get_array (ks_json_get_object (pod, "spec"), "containers");
      json_object_ref (pod);
      for (guint i = 0; containers != NULL && i < json_array_get_length (containers); i++)
        {
          JsonObject      *c = json_array_get_object_element (containers, i);
          g_autofree char *pulled = g_strdup_printf ("Container image \"%s\" already present on "
                                                     "machine",
                                                     ks_json_get_string (c, "image"));
          g_autofree char *created
              = g_strdup_printf ("Created container: %s", ks_json_get_string (c, "name"));
          g_autofree char *started
              = g_strdup_printf ("Started container %s", ks_json_get_string (c, "name"));
          ks_event_record (sim, pods, pod, "Normal", "Pulled", "kubelet", pulled);
          ks_event_record (sim, pods, pod, "Normal", "Created", "kubelet", created);
          ks_event_record (sim, pods, pod, "Normal", "Started", "kubelet", started);
        }
      ks_pod_set_status (sim, t->ns, t->name, t->uid, status);
      if (owned_by_job (pod))
        schedule (agent, pod, agent->ready_delay_ms, FALSE, TRUE);
      json_object_unref (pod);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule (FakeAgent *agent, JsonObject *pod, guint delay, gboolean terminating, gboolean completing)
{
  PodTimer *t = g_new0 (PodTimer, 1);
  guint     id;

  t->agent = agent;
  t->ns = g_strdup (ks_meta_namespace (pod));
  t->name = g_strdup (ks_meta_name (pod));
  t->uid = g_strdup (ks_meta_uid (pod));
  t->terminating = terminating;
  t->completing = completing;
  id = g_timeout_add_full (G_PRIORITY_DEFAULT, delay, timer_fired, t,
                           (GDestroyNotify)pod_timer_free);
  g_hash_table_replace (agent->timers, g_strdup (t->uid), GUINT_TO_POINTER (id));
}

static void
fake_pod_scheduled (KsNodeAgent *base, JsonObject *pod)
{
  pod_log_get ((FakeAgent *)base, pod);
  schedule ((FakeAgent *)base, pod, ((FakeAgent *)base)->ready_delay_ms, FALSE, FALSE);
}

static void
fake_pod_terminating (KsNodeAgent *base, JsonObject *pod)
{
  FakeAgent *agent = (FakeAgent *)base;
  gpointer   id;

  if (g_hash_table_lookup_extended (agent->timers, ks_meta_uid (pod), NULL, &id))
    {
      g_source_remove (GPOINTER_TO_UINT (id));
      g_hash_table_remove (agent->timers, ks_meta_uid (pod));
    }
  /* The containers exit: followed logs end. */
  pod_log_end (pod_log_get (agent, pod));
  /* Containers "stop" quickly; the grace period is an upper bound. */
  schedule (agent, pod, MIN (agent->ready_delay_ms, 200), TRUE, FALSE);
}

static void
fake_pod_removed (KsNodeAgent *base, JsonObject *pod)
{
  FakeAgent *agent = (FakeAgent *)base;
  gpointer   id;

  if (g_hash_table_lookup_extended (agent->timers, ks_meta_uid (pod), NULL, &id))
    {
      g_source_remove (GPOINTER_TO_UINT (id));
      g_hash_table_remove (agent->timers, ks_meta_uid (pod));
    }
  g_hash_table_remove (agent->logs, ks_meta_uid (pod));
}

/* ---- logs ---- */

static void
fake_logs_open_async (KsNodeAgent        *base,
                      JsonObject         *pod,
                      const KsLogOptions *options,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  FakeAgent *agent = (FakeAgent *)base;
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  PodLog  *log;
  int      fds[2];
  guint    first = 0;
  gint64   since_us = 0;
  GString *out;

  if (options->previous)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "previous terminated container \"%s\" in pod \"%s\" not found",
                               options->container, ks_meta_name (pod));
      return;
    }
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int errsv = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (errsv), "socketpair: %s",
                               g_strerror (errsv));
      return;
    }
  log = pod_log_get (agent, pod);
  if (options->since_seconds > 0)
    since_us = g_get_real_time () - options->since_seconds * G_USEC_PER_SEC;
  if (options->tail_lines >= 0 && (guint64)options->tail_lines < log->lines->len)
    first = log->lines->len - options->tail_lines;
  out = g_string_new (NULL);
  for (guint i = first; i < log->lines->len; i++)
    {
      LogLine *l = g_ptr_array_index (log->lines, i);
      if (l->time_us >= since_us)
        {
          g_autofree char *text = format_line (l, options->timestamps);
          g_string_append (out, text);
        }
    }
  if (out->len > 0 && send (fds[1], out->str, out->len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
    g_warning ("kube-sim: fake log: %s", g_strerror (errno));
  g_string_free (out, TRUE);
  if (options->follow && !log->ended)
    {
      Follower f = { fds[1], options->timestamps, 0 };
      f.watch = g_unix_fd_add (fds[1], G_IO_IN | G_IO_HUP | G_IO_ERR, follower_gone, log);
      g_array_append_val (log->followers, f);
    }
  else
    close (fds[1]);
  g_task_return_pointer (task, g_unix_input_stream_new (fds[0], TRUE), g_object_unref);
}

static GInputStream *
fake_logs_open_finish (KsNodeAgent *base, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- exec: a host process (protocol tests only) ---- */

typedef struct
{
  KsProcess    parent;
  FakeAgent   *agent;
  GSubprocess *proc;
  int          pty; /* the terminal's master side with tty, else -1 */
} FakeProcess;

static void
fake_process_resize (KsProcess *base, guint16 width, guint16 height)
{
  FakeProcess   *fp = (FakeProcess *)base;
  struct winsize ws = { .ws_row = height, .ws_col = width };

  if (fp->pty >= 0)
    ioctl (fp->pty, TIOCSWINSZ, &ws);
}

/* In the child: it dies with the simulator, even a SIGKILLed one. */
static void
setup_child (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* In the child: also, the terminal becomes its controlling terminal. */
static void
setup_terminal (gpointer data)
{
  setup_child (data);
  setsid ();
  ioctl (0, TIOCSCTTY, 0);
}

static void
fake_process_wait_async (KsProcess          *base,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_subprocess_wait_async (((FakeProcess *)base)->proc, cancellable, callback, user_data);
}

static gboolean
fake_process_wait_finish (KsProcess *base, GAsyncResult *result, int *exit_code, GError **error)
{
  GSubprocess *proc = ((FakeProcess *)base)->proc;

  if (!g_subprocess_wait_finish (proc, result, error))
    return FALSE;
  if (g_subprocess_get_if_exited (proc))
    *exit_code = g_subprocess_get_exit_status (proc);
  else
    *exit_code = 128 + g_subprocess_get_term_sig (proc);
  return TRUE;
}

static void
fake_process_abort (KsProcess *base)
{
  g_subprocess_force_exit (((FakeProcess *)base)->proc);
}

static void
fake_process_free (KsProcess *base)
{
  FakeProcess *fp = (FakeProcess *)base;

  /* Done with: its pipes close now, not when the simulator exits. */
  g_ptr_array_remove_fast (fp->agent->procs, fp->proc);
  g_object_unref (fp->proc);
  if (fp->pty >= 0)
    {
      /* The streams are ours with a terminal. */
      g_clear_object (&base->stdin_stream);
      g_clear_object (&base->stdout_stream);
      close (fp->pty);
    }
  g_free (base);
}

static const KsProcessVTable fake_process_vtable = {
  .resize = fake_process_resize,
  .wait_async = fake_process_wait_async,
  .wait_finish = fake_process_wait_finish,
  .abort = fake_process_abort,
  .free = fake_process_free,
};

static void
fake_exec_async (KsNodeAgent        *base,
                 JsonObject         *pod,
                 const char         *container,
                 const char *const  *argv,
                 KsExecFlags         flags,
                 GCancellable       *cancellable,
                 GAsyncReadyCallback callback,
                 gpointer            user_data)
{
  FakeAgent *agent = (FakeAgent *)base;
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_strdup_printf ("%s/%s", agent->scratch, ks_meta_uid (pod));
  g_autofree char *pod_ref = g_strdup_printf ("%s/%s", ks_meta_namespace (pod), ks_meta_name (pod));
  GSubprocessFlags sflags = G_SUBPROCESS_FLAGS_NONE;
  GSubprocess     *proc;
  FakeProcess     *fp;
  int              master = -1;

  if (flags & KS_EXEC_TTY)
    {
      char name[128];
      int  slave = -1;
      master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
      if (master < 0 || grantpt (master) != 0 || unlockpt (master) != 0
          || ptsname_r (master, name, sizeof name) != 0
          || (slave = open (name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
        {
          int errsv = errno;
          if (master >= 0)
            close (master);
          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (errsv),
                                   "cannot allocate a terminal: %s", g_strerror (errsv));
          return;
        }
      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
      g_subprocess_launcher_take_stdin_fd (launcher, slave);
      g_subprocess_launcher_take_stdout_fd (launcher, dup (slave));
      g_subprocess_launcher_take_stderr_fd (launcher, dup (slave));
      g_subprocess_launcher_set_child_setup (launcher, setup_terminal, NULL, NULL);
      g_subprocess_launcher_setenv (launcher, "TERM", "xterm", TRUE);
    }
  else if (flags & KS_EXEC_STDIN)
    sflags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  sflags |= (flags & KS_EXEC_STDOUT) ? G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                     : G_SUBPROCESS_FLAGS_STDOUT_SILENCE;
  sflags |= (flags & KS_EXEC_STDERR) ? G_SUBPROCESS_FLAGS_STDERR_PIPE
                                     : G_SUBPROCESS_FLAGS_STDERR_SILENCE;
  g_mkdir_with_parents (dir, 0700);
  if (launcher == NULL)
    {
      launcher = g_subprocess_launcher_new (sflags);
      g_subprocess_launcher_set_child_setup (launcher, setup_child, NULL, NULL);
    }
  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_setenv (launcher, "KUBE_SIM_POD", pod_ref, TRUE);
  g_subprocess_launcher_setenv (launcher, "KUBE_SIM_CONTAINER", container, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (proc == NULL)
    {
      if (master >= 0)
        close (master);
      /* What runc says when the binary is missing. */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "OCI runtime exec failed: exec failed: unable to start container "
                               "process: exec: \"%s\": %s: unknown",
                               argv[0], error->message);
      return;
    }
  g_ptr_array_add (agent->procs, g_object_ref (proc));
  fp = g_new0 (FakeProcess, 1);
  fp->agent = agent;
  fp->parent.vtable = &fake_process_vtable;
  fp->proc = proc;
  fp->pty = master;
  if (master >= 0)
    {
      /* One raw stream both ways, as a terminal is. */
      if (flags & KS_EXEC_STDIN)
        fp->parent.stdin_stream = g_unix_output_stream_new (dup (master), TRUE);
      fp->parent.stdout_stream = g_unix_input_stream_new (master, FALSE);
    }
  else
    {
      fp->parent.stdin_stream = g_subprocess_get_stdin_pipe (proc);
      fp->parent.stdout_stream = g_subprocess_get_stdout_pipe (proc);
      fp->parent.stderr_stream = g_subprocess_get_stderr_pipe (proc);
    }
  g_task_return_pointer (task, fp, (GDestroyNotify)fake_process_free);
}

static KsProcess *
fake_exec_finish (KsNodeAgent *base, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- attach: the pod's fake main process (see the top) ---- */

struct _FakeAttach
{
  KsProcess     parent;
  FakeAgent    *agent;
  char         *uid;    /* the pod's, to find its log (which may go first) */
  PodLog       *log;    /* NULL once exited or detached */
  int           out_fd; /* the write end of stdout_stream, or -1 */
  int           err_fd; /* of stderr_stream, or -1 */
  gboolean      tty;    /* lines end in \r\n, as a terminal's */
  gboolean      stdin_once;
  GInputStream *input;   /* the read end of stdin_stream, or NULL */
  GString      *partial; /* input not yet ended by a newline */
  GCancellable *cancel;  /* the input reads */
  GTask        *wait;    /* a pending wait_async */
  GSource      *wait_cancel;
  GString      *unsent;    /* output the stream did not take yet: the process waits */
  guint         out_watch; /* until out_fd takes more */
  gboolean      closing;   /* exited: close the outputs once unsent is written */
  gboolean      read_held; /* the stdin read waits while the process is blocked */
  gboolean      exited;
};

static void fake_attach_read_next (FakeAttach *a);

static void
fake_attach_close_outputs (FakeAttach *a)
{
  g_clear_handle_id (&a->out_watch, g_source_remove);
  g_string_truncate (a->unsent, 0);
  a->closing = FALSE;
  if (a->out_fd >= 0)
    close (a->out_fd);
  if (a->err_fd >= 0)
    close (a->err_fd);
  a->out_fd = a->err_fd = -1;
}

/* The process is blocked in a write to a client that did not take it. */
static gboolean
pod_log_blocked (PodLog *log)
{
  for (guint i = 0; i < log->attached->len; i++)
    if (((FakeAttach *)g_ptr_array_index (log->attached, i))->unsent->len > 0)
      return TRUE;
  return FALSE;
}

/* The write returned: the process reads its stdin again. */
static void
pod_log_unblocked (PodLog *log)
{
  if (log == NULL || log->ended || pod_log_blocked (log))
    return;
  for (guint i = 0; i < log->attached->len; i++)
    {
      FakeAttach *a = g_ptr_array_index (log->attached, i);
      if (a->read_held)
        {
          a->read_held = FALSE;
          fake_attach_read_next (a);
        }
    }
}

/* Leaves the main process, which goes on without this client. */
static void
fake_attach_leave (FakeAttach *a)
{
  PodLog *log = a->log;

  if (log == NULL)
    return;
  g_ptr_array_remove (log->attached, a);
  a->log = NULL;
  pod_log_unblocked (log);
}

/* Detaches at once: no more output, what was not taken is dropped, the
 * output streams end. */
static void
fake_attach_detach (FakeAttach *a)
{
  fake_attach_close_outputs (a);
  fake_attach_leave (a);
}

static gboolean fake_attach_writable (int fd, GIOCondition condition, gpointer data);

/* Writes what it can of unsent without blocking; the rest waits for the
 * stream to take it. */
static void
fake_attach_flush (FakeAttach *a)
{
  gboolean was_blocked = a->unsent->len > 0;

  while (a->unsent->len > 0 && a->out_fd >= 0)
    {
      gssize n = send (a->out_fd, a->unsent->str, a->unsent->len, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0)
        g_string_erase (a->unsent, 0, n);
      else if (n < 0 && errno == EINTR)
        continue;
      else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
          if (a->out_watch == 0)
            a->out_watch = g_unix_fd_add (a->out_fd, G_IO_OUT, fake_attach_writable, a);
          return;
        }
      else
        {
          /* The server closed its end: nobody reads this any more. */
          g_string_truncate (a->unsent, 0);
          break;
        }
    }
  g_clear_handle_id (&a->out_watch, g_source_remove);
  if (a->closing)
    fake_attach_close_outputs (a);
  if (was_blocked)
    pod_log_unblocked (a->log);
}

static gboolean
fake_attach_writable (int fd, GIOCondition condition, gpointer data)
{
  FakeAttach *a = data;

  a->out_watch = 0;
  fake_attach_flush (a);
  /* (flush added a new watch if the stream is still full) */
  return G_SOURCE_REMOVE;
}

static void
fake_attach_write (FakeAttach *a, const char *text)
{
  if (a->out_fd < 0 || a->closing)
    return;
  if (a->tty && g_str_has_suffix (text, "\n"))
    {
      g_string_append_len (a->unsent, text, strlen (text) - 1);
      g_string_append (a->unsent, "\r\n");
    }
  else
    g_string_append (a->unsent, text);
  if (a->out_watch == 0)
    fake_attach_flush (a);
}

static void
fake_attach_return_wait (FakeAttach *a, GError *error)
{
  GTask *task = g_steal_pointer (&a->wait);

  if (a->wait_cancel != NULL)
    {
      g_source_destroy (a->wait_cancel);
      g_clear_pointer (&a->wait_cancel, g_source_unref);
    }
  if (task == NULL)
    return;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, 0);
  g_object_unref (task);
}

/* The main process (for this client) ended with exit code 0: the client
 * still gets what it has not taken yet, then the end of its streams. */
static void
fake_attach_exit (FakeAttach *a)
{
  if (a->unsent->len > 0 && a->out_fd >= 0)
    a->closing = TRUE;
  else
    fake_attach_close_outputs (a);
  fake_attach_leave (a);
  a->exited = TRUE;
  fake_attach_return_wait (a, NULL);
}

static void
fake_attach_read_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes
      = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  FakeAttach *a = data;
  gsize       len;
  const char *p;
  char       *nl;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* freed: a is gone */
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      /* End of input: what is left is a last line; stdinOnce ends it. */
      if (a->partial->len > 0 && a->log != NULL)
        pod_log_append (a->log, a->partial->str);
      g_string_truncate (a->partial, 0);
      if (a->stdin_once && !a->exited)
        fake_attach_exit (a);
      return;
    }
  p = g_bytes_get_data (bytes, &len);
  g_string_append_len (a->partial, p, len);
  /* A terminal sends \r for Enter. */
  if (a->tty)
    g_strdelimit (a->partial->str, "\r", '\n');
  while ((nl = memchr (a->partial->str, '\n', a->partial->len)) != NULL)
    {
      gsize            n = nl - a->partial->str;
      g_autofree char *line = g_strndup (a->partial->str, n);

      g_string_erase (a->partial, 0, n + 1);
      if (a->log != NULL)
        pod_log_append (a->log, line);
    }
  /* Blocked in a write to a slow client: no more reading meanwhile. */
  if (a->log != NULL && pod_log_blocked (a->log))
    {
      a->read_held = TRUE;
      return;
    }
  fake_attach_read_next (a);
}

static void
fake_attach_read_next (FakeAttach *a)
{
  g_input_stream_read_bytes_async (a->input, 65536, G_PRIORITY_DEFAULT, a->cancel,
                                   fake_attach_read_cb, a);
}

static gboolean
fake_attach_wait_cancelled (GCancellable *cancellable, gpointer data)
{
  FakeAttach *a = data;

  fake_attach_return_wait (
      a, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled"));
  return G_SOURCE_REMOVE;
}

static void
fake_attach_wait_async (KsProcess          *base,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  FakeAttach *a = (FakeAttach *)base;
  GTask      *task = g_task_new (NULL, cancellable, callback, user_data);

  if (a->exited)
    {
      g_task_return_int (task, 0);
      g_object_unref (task);
      return;
    }
  g_return_if_fail (a->wait == NULL);
  a->wait = task;
  if (cancellable != NULL)
    {
      a->wait_cancel = g_cancellable_source_new (cancellable);
      g_source_set_callback (a->wait_cancel,
                             (GSourceFunc)(void (*) (void))fake_attach_wait_cancelled, a, NULL);
      g_source_attach (a->wait_cancel, g_task_get_context (task));
    }
}

static gboolean
fake_attach_wait_finish (KsProcess *base, GAsyncResult *result, int *exit_code, GError **error)
{
  gssize code = g_task_propagate_int (G_TASK (result), error);

  if (code < 0)
    return FALSE;
  *exit_code = (int)code;
  return TRUE;
}

/* The client went away: detach, the main process goes on. */
static void
fake_attach_abort (KsProcess *base)
{
  fake_attach_detach ((FakeAttach *)base);
}

static void
fake_attach_free (KsProcess *base)
{
  FakeAttach *a = (FakeAttach *)base;

  fake_attach_detach (a);
  fake_attach_return_wait (
      a, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled"));
  g_cancellable_cancel (a->cancel);
  g_clear_object (&a->cancel);
  g_clear_object (&a->input);
  g_clear_object (&base->stdin_stream);
  g_clear_object (&base->stdout_stream);
  g_clear_object (&base->stderr_stream);
  g_string_free (a->partial, TRUE);
  g_string_free (a->unsent, TRUE);
  g_free (a->uid);
  g_free (a);
}

static const KsProcessVTable fake_attach_vtable = {
  .resize = NULL,
  .wait_async = fake_attach_wait_async,
  .wait_finish = fake_attach_wait_finish,
  .abort = fake_attach_abort,
  .free = fake_attach_free,
};

static JsonObject *
container_spec (JsonObject *pod, const char *name)
{
  JsonArray *list = ks_json_get_array (ks_json_get_object (pod, "spec"), "containers");

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *c = json_array_get_object_element (list, i);
      if (g_strcmp0 (ks_json_get_string (c, "name"), name) == 0)
        return c;
    }
  return NULL;
}

/* A socket pair: the server reads *reader, the agent writes *fd. */
static gboolean
output_pair (GInputStream **reader, int *fd, GError **error)
{
  int sv[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "socketpair: %s",
                   g_strerror (errsv));
      return FALSE;
    }
  *reader = g_unix_input_stream_new (sv[0], TRUE);
  *fd = sv[1];
  return TRUE;
}

static void
fake_attach_async (KsNodeAgent        *base,
                   JsonObject         *pod,
                   const char         *container,
                   KsExecFlags         flags,
                   GCancellable       *cancellable,
                   GAsyncReadyCallback callback,
                   gpointer            user_data)
{
  FakeAgent *agent = (FakeAgent *)base;
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  JsonObject *spec = container_spec (pod, container);
  PodLog     *log = g_hash_table_lookup (agent->logs, ks_meta_uid (pod));
  FakeAttach *a;

  if (log == NULL || log->ended)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "cannot attach to a container that is not running (container "
                               "\"%s\" in pod \"%s\")",
                               container, ks_meta_name (pod));
      return;
    }
  /* The container's own terminal decides the framing, as kubelet does. */
  flags = ks_json_get_bool (spec, "tty", FALSE) ? flags | KS_EXEC_TTY : flags & ~KS_EXEC_TTY;
  if (flags & KS_EXEC_TTY)
    flags &= ~KS_EXEC_STDERR;
  if (!ks_json_get_bool (spec, "stdin", FALSE))
    flags &= ~KS_EXEC_STDIN;
  a = g_new0 (FakeAttach, 1);
  a->parent.vtable = &fake_attach_vtable;
  a->agent = agent;
  a->uid = g_strdup (ks_meta_uid (pod));
  a->out_fd = a->err_fd = -1;
  a->tty = (flags & KS_EXEC_TTY) != 0;
  a->stdin_once = ks_json_get_bool (spec, "stdinOnce", FALSE);
  a->partial = g_string_new (NULL);
  a->unsent = g_string_new (NULL);
  a->cancel = g_cancellable_new ();
  if (((flags & KS_EXEC_STDOUT) && !output_pair (&a->parent.stdout_stream, &a->out_fd, &error))
      || ((flags & KS_EXEC_STDERR) && !output_pair (&a->parent.stderr_stream, &a->err_fd, &error)))
    {
      fake_attach_free (&a->parent);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (flags & KS_EXEC_STDIN)
    {
      int fds[2];
      if (!g_unix_open_pipe (fds, FD_CLOEXEC, &error))
        {
          fake_attach_free (&a->parent);
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "pipe: %s", error->message);
          return;
        }
      /* The writer is this process's main loop too: a blocking write of
       * more than the pipe holds would never see its reader. */
      g_unix_set_fd_nonblocking (fds[1], TRUE, NULL);
      a->input = g_unix_input_stream_new (fds[0], TRUE);
      a->parent.stdin_stream = g_unix_output_stream_new (fds[1], TRUE);
      fake_attach_read_next (a);
    }
  a->log = log;
  g_ptr_array_add (log->attached, a);
  g_task_return_pointer (task, a, (GDestroyNotify)fake_attach_free);
}

/* ---- port connect: 127.0.0.1 on the host ---- */

static void
port_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  GError            *error = NULL;
  GSocketConnection *conn
      = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);

  if (conn == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, conn, g_object_unref);
}

static void
fake_port_connect_async (KsNodeAgent        *base,
                         JsonObject         *pod,
                         guint16             port,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_socket_client_connect_to_host_async (client, "127.0.0.1", port, cancellable, port_connected,
                                         task);
}

static GIOStream *
fake_port_connect_finish (KsNodeAgent *base, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fake_free (KsNodeAgent *base)
{
  FakeAgent     *agent = (FakeAgent *)base;
  GHashTableIter iter;
  gpointer       id;

  g_hash_table_iter_init (&iter, agent->timers);
  while (g_hash_table_iter_next (&iter, NULL, &id))
    g_source_remove (GPOINTER_TO_UINT (id));
  g_hash_table_unref (agent->timers);
  g_hash_table_unref (agent->logs);
  for (guint i = 0; i < agent->procs->len; i++)
    if (g_subprocess_get_identifier (g_ptr_array_index (agent->procs, i)) != NULL)
      g_subprocess_force_exit (g_ptr_array_index (agent->procs, i));
  g_ptr_array_unref (agent->procs);
  if (agent->scratch != NULL)
    remove_tree (agent->scratch);
  g_free (agent->scratch);
  g_free (base->node_name);
  g_free (agent);
}

static const KsNodeAgentVTable fake_vtable = {
  .name = "fake",
  .pod_scheduled = fake_pod_scheduled,
  .pod_terminating = fake_pod_terminating,
  .pod_removed = fake_pod_removed,
  .logs_open_async = fake_logs_open_async,
  .logs_open_finish = fake_logs_open_finish,
  .exec_async = fake_exec_async,
  .exec_finish = fake_exec_finish,
  .attach_async = fake_attach_async,
  .attach_finish = fake_exec_finish,
  .port_connect_async = fake_port_connect_async,
  .port_connect_finish = fake_port_connect_finish,
  .free = fake_free,
};

KsNodeAgent *
ks_fake_agent_new (KsSim *sim, const char *node_name, guint ready_delay_ms)
{
  FakeAgent *agent = g_new0 (FakeAgent, 1);

  agent->parent.vtable = &fake_vtable;
  agent->parent.sim = sim;
  agent->parent.node_name = g_strdup (node_name);
  agent->ready_delay_ms = ready_delay_ms;
  agent->timers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  agent->logs
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)pod_log_free);
  agent->procs = g_ptr_array_new_with_free_func (g_object_unref);
  agent->scratch = g_dir_make_tmp ("kube-sim-fake-node-XXXXXX", NULL);
  return &agent->parent;
}
