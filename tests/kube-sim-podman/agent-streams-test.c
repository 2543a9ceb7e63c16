/* agent-streams-test.c: the podman node agent's stream entry points (exec
 * with and without stdin and tty, logs with follow/tail/limit, port connect
 * inside the pod's network namespace) on a real podman pod, driven directly
 * through the agent vtable: the simulator's store is replaced by the few
 * functions the agent calls, so this runs without the API server's stream
 * protocols (tested with kubectl once both are merged).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ks-node-agent.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

/* ---- the simulator functions the agent uses ---- */

static KsResource  fake_resource;
static JsonObject *last_status;
static gboolean    removed;

KsResource *
ks_resource_find (KsSim *sim, const char *group, const char *version, const char *plural)
{
  return &fake_resource;
}

JsonObject *
ks_store_get (KsResource *res, const char *ns, const char *name)
{
  return NULL; /* no ConfigMaps, Secrets or pods for events */
}

void
ks_event_record (KsSim      *sim,
                 KsResource *res,
                 JsonObject *obj,
                 const char *type,
                 const char *reason,
                 const char *component,
                 const char *message)
{
}

void
ks_pod_set_status (KsSim      *sim,
                   const char *ns,
                   const char *name,
                   const char *uid,
                   JsonObject *status)
{
  g_clear_pointer (&last_status, json_object_unref);
  last_status = ks_json_object_deep_copy (status);
}

void
ks_pod_remove (KsSim *sim, const char *ns, const char *name, const char *uid)
{
  removed = TRUE;
}

/* Services (NodePorts) are not exercised here. */
void
ks_store_add_listener (KsSim *sim, KsStoreListener func, gpointer data)
{
}

void
ks_store_remove_listener (KsSim *sim, KsStoreListener func, gpointer data)
{
}

GPtrArray *
ks_store_list (KsResource *res, const char *ns)
{
  return g_ptr_array_new ();
}

KsSelector *
ks_label_selector_from_json (JsonObject *selector)
{
  return NULL;
}

gboolean
ks_label_selector_matches (KsSelector *sel, JsonObject *labels)
{
  return FALSE;
}

void
ks_selector_free (KsSelector *sel)
{
}

/* ---- helpers ---- */

static KsNodeAgent *agent;
static JsonObject  *pod;
static char        *root;

static void
spin_until (gboolean (*done) (void))
{
  gint64 deadline = g_get_monotonic_time () + 180 * G_USEC_PER_SEC;

  while (!done ())
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
all_ready (void)
{
  JsonArray *cs = last_status ? ks_json_get_array (last_status, "containerStatuses") : NULL;

  if (cs == NULL || g_strcmp0 (ks_json_get_string (last_status, "phase"), "Running") != 0)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (cs); i++)
    if (!ks_json_get_bool (json_array_get_object_element (cs, i), "ready", FALSE))
      return FALSE;
  return TRUE;
}

static gboolean
is_removed (void)
{
  return removed;
}

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
got_result (GObject *source, GAsyncResult *result, gpointer data)
{
  ((Wait *)data)->result = g_object_ref (result);
}

static GAsyncResult *
wait_result (Wait *w)
{
  while (w->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return w->result;
}

static char *
read_all (GInputStream *stream)
{
  GString *out = g_string_new (NULL);
  char     buf[4096];
  gssize   n;

  while ((n = g_input_stream_read (stream, buf, sizeof buf, NULL, NULL)) > 0)
    g_string_append_len (out, buf, n);
  g_assert_cmpint (n, ==, 0);
  return g_string_free (out, FALSE);
}

typedef struct
{
  GString *text;
  gboolean done;
  char     buf[256];
} Follow;

static void
follow_read (GObject *source, GAsyncResult *result, gpointer data)
{
  Follow *f = data;
  gssize  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    {
      f->done = TRUE;
      return;
    }
  g_string_append_len (f->text, f->buf, n);
  g_input_stream_read_async (G_INPUT_STREAM (source), f->buf, sizeof f->buf, G_PRIORITY_DEFAULT,
                             NULL, follow_read, f);
}

/* Log streams are fed from the main loop: read them from it too. */
static char *
read_all_async (GInputStream *stream)
{
  Follow f = { .text = g_string_new (NULL) };

  g_input_stream_read_async (stream, f.buf, sizeof f.buf, G_PRIORITY_DEFAULT, NULL, follow_read,
                             &f);
  while (!f.done)
    g_main_context_iteration (NULL, TRUE);
  return g_string_free (f.text, FALSE);
}

static KsProcess *
exec (const char *const *argv, KsExecFlags flags, GError **error)
{
  Wait       w = { 0 };
  KsProcess *proc;

  agent->vtable->exec_async (agent, pod, "web", argv, flags, NULL, got_result, &w);
  proc = agent->vtable->exec_finish (agent, wait_result (&w), error);
  g_object_unref (w.result);
  return proc;
}

static int
wait_exit (KsProcess *proc)
{
  Wait w = { 0 };
  int  code = -1;

  proc->vtable->wait_async (proc, NULL, got_result, &w);
  g_assert_true (proc->vtable->wait_finish (proc, wait_result (&w), &code, NULL));
  g_object_unref (w.result);
  return code;
}

/* ---- tests ---- */

static void
test_exec_streams (void)
{
  const char *argv[] = { "sh", "-c", "echo out1; echo err1 >&2; echo out2; exit 7", NULL };
  g_autoptr (GError) error = NULL;
  KsProcess       *proc = exec (argv, KS_EXEC_STDOUT | KS_EXEC_STDERR, &error);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_no_error (error);
  g_assert_null (proc->stdin_stream);
  out = read_all (proc->stdout_stream);
  err = read_all (proc->stderr_stream);
  g_assert_cmpstr (out, ==, "out1\nout2\n");
  g_assert_cmpstr (err, ==, "err1\n");
  g_assert_cmpint (wait_exit (proc), ==, 7);
  proc->vtable->free (proc);
}

static void
test_exec_stdin (void)
{
  const char *argv[] = { "tr", "a-z", "A-Z", NULL };
  g_autoptr (GError) error = NULL;
  KsProcess       *proc = exec (argv, KS_EXEC_STDIN | KS_EXEC_STDOUT | KS_EXEC_STDERR, &error);
  g_autofree char *out = NULL;
  gsize            written = 0;

  g_assert_no_error (error);
  g_assert_true (
      g_output_stream_write_all (proc->stdin_stream, "hello stdin\n", 12, &written, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (proc->stdin_stream, NULL, &error));
  out = read_all (proc->stdout_stream);
  g_assert_cmpstr (out, ==, "HELLO STDIN\n");
  g_assert_cmpint (wait_exit (proc), ==, 0);
  proc->vtable->free (proc);
}

static void
test_exec_tty (void)
{
  const char *argv[] = { "sh", "-c", "echo tty-out; echo tty-err >&2; exit 3", NULL };
  g_autoptr (GError) error = NULL;
  KsProcess       *proc = exec (argv, KS_EXEC_STDOUT | KS_EXEC_STDERR | KS_EXEC_TTY, &error);
  g_autofree char *out = NULL;

  g_assert_no_error (error);
  g_assert_null (proc->stderr_stream);
  proc->vtable->resize (proc, 100, 30);
  out = read_all (proc->stdout_stream);
  g_assert_cmpstr (out, ==, "tty-out\r\ntty-err\r\n");
  g_assert_cmpint (wait_exit (proc), ==, 3);
  proc->vtable->free (proc);
}

static void
test_exec_abort (void)
{
  const char *argv[] = { "sleep", "600", NULL };
  g_autoptr (GError) error = NULL;
  KsProcess *proc = exec (argv, KS_EXEC_STDOUT | KS_EXEC_STDERR, &error);

  g_assert_no_error (error);
  proc->vtable->abort (proc);
  g_assert_cmpint (wait_exit (proc), ==, 137);
  proc->vtable->free (proc);
}

static void
test_exec_missing_container (void)
{
  const char *argv[] = { "true", NULL };
  g_autoptr (GError) error = NULL;
  Wait       w = { 0 };
  KsProcess *proc;

  agent->vtable->exec_async (agent, pod, "nope", argv, KS_EXEC_STDOUT, NULL, got_result, &w);
  proc = agent->vtable->exec_finish (agent, wait_result (&w), &error);
  g_object_unref (w.result);
  g_assert_null (proc);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_attach (void)
{
  g_autoptr (GError) error = NULL;
  Wait       w = { 0 };
  KsProcess *proc;
  char       buf[16] = { 0 };
  gsize      got = 0;

  agent->vtable->attach_async (agent, pod, "cat", KS_EXEC_STDIN | KS_EXEC_STDOUT | KS_EXEC_STDERR,
                               NULL, got_result, &w);
  proc = agent->vtable->attach_finish (agent, wait_result (&w), &error);
  g_object_unref (w.result);
  g_assert_no_error (error);
  g_assert_nonnull (proc->stdin_stream);
  /* cat is the container's main process: what goes in comes back. */
  g_assert_true (g_output_stream_write_all (proc->stdin_stream, "ping\n", 5, NULL, NULL, &error));
  g_assert_true (g_input_stream_read_all (proc->stdout_stream, buf, 5, &got, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (buf, ==, "ping\n");
  proc->vtable->abort (proc); /* detaches; the container keeps running */
  proc->vtable->free (proc);
}

static GInputStream *
open_logs (KsLogOptions *options, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  Wait          w = { 0 };
  GInputStream *stream;

  agent->vtable->logs_open_async (agent, pod, options, cancellable, got_result, &w);
  stream = agent->vtable->logs_open_finish (agent, wait_result (&w), &error);
  g_object_unref (w.result);
  g_assert_no_error (error);
  return stream;
}

static void
test_logs (void)
{
  KsLogOptions all = { .container = "talker", .tail_lines = -1 };
  KsLogOptions tail = { .container = "talker", .tail_lines = 1 };
  KsLogOptions limit = { .container = "talker", .tail_lines = -1, .limit_bytes = 3 };
  KsLogOptions stamps = { .container = "talker", .tail_lines = -1, .timestamps = TRUE };
  KsLogOptions follow = { .container = "talker", .tail_lines = -1, .follow = TRUE };
  KsLogOptions previous = { .container = "talker", .tail_lines = -1, .previous = TRUE };
  g_autoptr (GInputStream) s1 = open_logs (&all, NULL);
  g_autoptr (GInputStream) s2 = open_logs (&tail, NULL);
  g_autoptr (GInputStream) s3 = open_logs (&limit, NULL);
  g_autoptr (GInputStream) s4 = open_logs (&stamps, NULL);
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_autoptr (GInputStream) s5 = open_logs (&follow, cancel);
  g_autofree char *text = read_all_async (s1);
  g_autofree char *last = read_all_async (s2);
  g_autofree char *cut = read_all_async (s3);
  g_autofree char *stamped = read_all_async (s4);
  g_autoptr (GError) error = NULL;
  Follow f = { .text = g_string_new (NULL) };
  Wait   w = { 0 };

  g_assert_cmpstr (text, ==, "line1\nline2\n");
  g_assert_cmpstr (last, ==, "line2\n");
  g_assert_cmpstr (cut, ==, "lin");
  g_assert_true (g_regex_match_simple ("^20[0-9-]+T[0-9:.]+Z line1\n", stamped, 0, 0));
  /* follow: the lines so far, then it stays open until cancelled. */
  g_input_stream_read_async (s5, f.buf, sizeof f.buf, G_PRIORITY_DEFAULT, NULL, follow_read, &f);
  while (f.text->len < 12)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (f.text->str, ==, "line1\nline2\n");
  g_assert_false (f.done);
  g_cancellable_cancel (cancel);
  while (!f.done)
    g_main_context_iteration (NULL, TRUE);
  g_string_free (f.text, TRUE);
  /* no previous instance */
  agent->vtable->logs_open_async (agent, pod, &previous, NULL, got_result, &w);
  g_assert_null (agent->vtable->logs_open_finish (agent, wait_result (&w), &error));
  g_object_unref (w.result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

static GIOStream *
connect_port (guint16 port, GError **error)
{
  Wait       w = { 0 };
  GIOStream *stream;

  agent->vtable->port_connect_async (agent, pod, port, NULL, got_result, &w);
  stream = agent->vtable->port_connect_finish (agent, wait_result (&w), error);
  g_object_unref (w.result);
  return stream;
}

static void
test_port_connect (void)
{
  g_autoptr (GError) error = NULL;
  /* httpd listens on the pod's 127.0.0.1 only: reachable from inside its
   * network namespace, not through the pod IP. */
  g_autoptr (GIOStream) conn = connect_port (8080, &error);
  const char      *request = "GET /index.html HTTP/1.0\r\n\r\n";
  g_autofree char *reply = NULL;

  g_assert_no_error (error);
  g_assert_true (G_IS_SOCKET_CONNECTION (conn));
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (conn), request,
                                            strlen (request), NULL, NULL, &error));
  reply = read_all (g_io_stream_get_input_stream (conn));
  g_assert_true (g_regex_match_simple ("^HTTP/1\\.[01] 200 ", reply, 0, 0));
  g_assert_nonnull (strstr (reply, "hero-virt test busybox"));
  g_clear_object (&conn);

  conn = connect_port (9, &error);
  g_assert_null (conn);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

static void
test_terminate (void)
{
  g_autoptr (JsonObject) dying = ks_json_object_deep_copy (pod);

  json_object_set_int_member (ks_meta (dying), "deletionGracePeriodSeconds", 0);
  agent->vtable->pod_terminating (agent, dying);
  spin_until (is_removed);
}

static gboolean
have (const char *program)
{
  g_autofree char *path = g_find_program_in_path (program);

  return path != NULL;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *image = g_strdup (g_getenv ("KS_TEST_IMAGE"));
  g_autofree char *pod_json = NULL;
  KsSim            sim = { 0 };
  int              status;

  g_test_init (&argc, &argv, NULL);
  if (image == NULL && g_getenv ("HERO_VIRT_SOURCE_ROOT") != NULL && have ("buildah"))
    {
      /* busybox ARCHIVE, from the cache after the first run */
      g_autofree char *script = g_build_filename (g_getenv ("HERO_VIRT_SOURCE_ROOT"), "scripts",
                                                  "build-test-images.sh", NULL);
      const char      *build[] = { script, NULL };
      g_autofree char *out = NULL;
      if (g_spawn_sync (NULL, (char **)build, NULL, 0, NULL, NULL, &out, NULL, &status, NULL)
          && g_spawn_check_wait_status (status, NULL) && g_str_has_prefix (out, "busybox "))
        image = g_strndup (out + 8, strcspn (out + 8, "\n"));
    }
  if (image == NULL || !have ("podman"))
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("podman or KS_TEST_IMAGE is missing and CI=true");
      g_test_skip ("podman or the test image (KS_TEST_IMAGE) is missing");
      return g_test_run ();
    }
  root = g_dir_make_tmp ("ks-agent-streams-XXXXXX", &error);
  g_assert_no_error (error);
  agent = ks_podman_agent_new (&sim, "test-node", root, &error);
  g_assert_no_error (error);
  {
    /* The busybox test image, from its OCI archive into the agent's storage. */
    g_autofree char *conf = g_build_filename (root, "containers.conf", NULL);
    g_autofree char *storage = g_build_filename (root, "storage.conf", NULL);
    g_auto (GStrv) envp = g_environ_setenv (g_get_environ (), "CONTAINERS_CONF", conf, TRUE);
    const char      *load[] = { "podman", "load", "-q", "-i", image, NULL };
    g_autofree char *load_out = NULL; /* "Loaded image: ...", not TAP */
    envp = g_environ_setenv (envp, "CONTAINERS_STORAGE_CONF", storage, TRUE);
    g_assert_true (g_spawn_sync (NULL, (char **)load, envp, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 &load_out, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  pod_json = g_strdup_printf (
      "{\"metadata\":{\"name\":\"streams\",\"namespace\":\"default\",\"uid\":\"5e1f-test\"},"
      "\"spec\":{\"terminationGracePeriodSeconds\":0,\"containers\":["
      "{\"name\":\"web\",\"image\":\"localhost/hero-virt-test/busybox:1\","
      "\"imagePullPolicy\":\"Never\",\"command\":[\"httpd\",\"-f\",\"-p\",\"127.0.0.1:8080\","
      "\"-h\",\"/www\"]},"
      "{\"name\":\"talker\",\"image\":\"localhost/hero-virt-test/busybox:1\","
      "\"imagePullPolicy\":\"Never\",\"command\":[\"sh\",\"-c\","
      "\"echo line1; sleep 0.2; echo line2 >&2; exec sleep 3600\"]},"
      "{\"name\":\"cat\",\"image\":\"localhost/hero-virt-test/busybox:1\","
      "\"imagePullPolicy\":\"Never\",\"stdin\":true,\"command\":[\"cat\"]}]}}");
  pod = ks_json_parse_object (pod_json, -1, &error);
  g_assert_no_error (error);
  agent->vtable->pod_scheduled (agent, pod);
  spin_until (all_ready);
  /* talker's second line is in the log */
  g_usleep (G_USEC_PER_SEC / 2);

  g_test_add_func ("/kube-sim/podman-agent/exec-streams", test_exec_streams);
  g_test_add_func ("/kube-sim/podman-agent/exec-stdin", test_exec_stdin);
  g_test_add_func ("/kube-sim/podman-agent/exec-tty", test_exec_tty);
  g_test_add_func ("/kube-sim/podman-agent/exec-abort", test_exec_abort);
  g_test_add_func ("/kube-sim/podman-agent/exec-missing-container", test_exec_missing_container);
  g_test_add_func ("/kube-sim/podman-agent/attach", test_attach);
  g_test_add_func ("/kube-sim/podman-agent/logs", test_logs);
  g_test_add_func ("/kube-sim/podman-agent/port-connect", test_port_connect);
  g_test_add_func ("/kube-sim/podman-agent/terminate", test_terminate);
  status = g_test_run ();

  agent->vtable->free (agent);
  g_clear_pointer (&last_status, json_object_unref);
  json_object_unref (pod);
  {
    const char *rm[] = { "rm", "-rf", "--one-file-system", root, NULL };
    g_spawn_sync (NULL, (char **)rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  g_free (root);
  return status;
}
