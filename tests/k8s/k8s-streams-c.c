/* k8s-streams-c.c: the k8s plugin's streams from C (run under
 * AddressSanitizer too), against hero-virt-kube-sim's fake node agent:
 * exec, PodExecutor, following logs, port-forward, cp
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <hero-virt.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include "testlib.h"

static HtKubeSim *sim;
static char      *kubeconfig; /* sim->kubeconfig */

static HeroVirtKubernetesManager *
manager (const char *ns)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtKubernetesConfig) config
      = hero_virt_kubernetes_config_with_retries (hero_virt_kubernetes_config_new (), 2, 20, 100);
  HeroVirtKubernetesManager *km;

  hero_virt_kubernetes_config_with_rate_limit (config, 0, 1);
  km = hero_virt_kubernetes_manager_new_full (ns, kubeconfig, NULL, config, &error);
  g_assert_no_error (error);
  return km;
}

static HeroVirtKubernetesManager *km;

static void
make_pod (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) pod = NULL;
  g_autoptr (JsonNode) ready = NULL;
  g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_lookup ("v1", "Pod");

  pod = hero_virt_kubernetes_manager_pod_create (km, name, "busybox:1.36", NULL, NULL, NULL,
                                                 &error);
  g_assert_no_error (error);
  ready = hero_virt_kubernetes_manager_wait_for (km, kind, name, "Ready", 20000, NULL, &error);
  g_assert_no_error (error);
}

static void
test_exec (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtCommandResult) r = NULL;
  g_autoptr (HeroVirtCommandResult) r2 = NULL;
  g_autoptr (GBytes) input = NULL;
  GString    *big = g_string_new (NULL);
  const char *argv[] = { "sh", "-c", "echo out; echo err >&2; exit 5", NULL };
  const char *cat[] = { "cat", NULL };

  r = hero_virt_kubernetes_manager_pod_exec (km, "box", NULL, argv, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hero_virt_command_result_get_exit_status (r), ==, 5);
  g_assert_cmpstr (hero_virt_command_result_get_stdout_text (r), ==, "out\n");
  g_assert_cmpstr (hero_virt_command_result_get_stderr_text (r), ==, "err\n");
  for (int i = 0; i < 20000; i++)
    g_string_append_printf (big, "line %d\n", i);
  input = g_string_free_to_bytes (big);
  r2 = hero_virt_kubernetes_manager_pod_exec (km, "box", NULL, cat, input, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (hero_virt_command_result_get_stdout (r2), input));
  g_clear_object (&r);
  r = hero_virt_kubernetes_manager_pod_exec (km, "box", "nope", cat, NULL, NULL, &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
}

static void
on_line (HeroVirtCommand *command, HeroVirtOutputStream stream, const char *line, gpointer data)
{
  g_ptr_array_add (data, g_strdup_printf ("%d:%s", stream, line));
}

static void
test_pod_executor (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtPodExecutor) ex = hero_virt_pod_executor_new (km, "box", NULL, &error);
  g_autoptr (HeroVirtCommand) cmd = NULL;
  g_autoptr (HeroVirtCommandResult) r = NULL;
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *desc = NULL;

  g_assert_no_error (error);
  desc = hero_virt_executor_get_description (HERO_VIRT_EXECUTOR (ex));
  g_assert_nonnull (strstr (desc, "box"));
  hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (ex), "A", "1");
  cmd = hero_virt_command_add_args (hero_virt_command_new ("sh"), "-c",
                                    "echo \"$A$B\" $(pwd); echo e >&2", NULL);
  hero_virt_command_setenv (cmd, "B", "2");
  hero_virt_command_set_cwd (cmd, "/");
  g_signal_connect (cmd, "output-line", G_CALLBACK (on_line), lines);
  r = hero_virt_executor_run (HERO_VIRT_EXECUTOR (ex), cmd, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_command_result_get_stdout_text (r), ==, "12 /\n");
  g_assert_cmpuint (lines->len, ==, 2);
  g_clear_object (&cmd);
  g_clear_object (&r);

  cmd = hero_virt_command_set_timeout (
      hero_virt_command_add_arg (hero_virt_command_new ("sleep"), "30"), 300);
  r = hero_virt_executor_run (HERO_VIRT_EXECUTOR (ex), cmd, NULL, &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT);
  g_clear_error (&error);
  g_clear_object (&cmd);

  cmd = hero_virt_command_set_max_output (
      hero_virt_command_add_args (hero_virt_command_new ("head"), "-c", "100000", "/dev/zero",
                                  NULL),
      100);
  r = hero_virt_executor_run (HERO_VIRT_EXECUTOR (ex), cmd, NULL, &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
  g_clear_error (&error);
}

/* Resizes the terminal when the first size is printed. */
static void
on_tty_line (HeroVirtCommand *command, HeroVirtOutputStream stream, const char *line, gpointer data)
{
  g_ptr_array_add (data, g_strdup (line));
  if (g_str_equal (line, "24 80"))
    hero_virt_command_resize (command, 100, 30);
}

static void
test_tty (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtPodExecutor) ex = hero_virt_pod_executor_new (km, "box", NULL, &error);
  g_autoptr (HeroVirtCommand) cmd = NULL;
  g_autoptr (HeroVirtCommandResult) r = NULL;
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  const char *merged[] = { "sh", "-c",
                           "read x; test -t 0 && test -t 1 && echo tty; stty size; "
                           "echo err >&2; exit 5",
                           NULL };
  const char *winch[] = { "sh", "-c",
                          "read x; trap 'stty size; exit 0' WINCH; stty size; "
                          "while :; do sleep 0.05; done",
                          NULL };
  guint       columns = 1, rows = 1;

  g_assert_no_error (error);
  cmd = hero_virt_command_set_tty (hero_virt_command_new_argv (merged), TRUE);
  g_assert_true (hero_virt_command_get_tty (cmd));
  g_assert_false (hero_virt_command_get_terminal_size (cmd, &columns, &rows));
  g_assert_cmpuint (columns, ==, 0);
  hero_virt_command_set_stdin_text (cmd, "go\n");
  hero_virt_command_resize (cmd, 77, 33);
  g_assert_true (hero_virt_command_get_terminal_size (cmd, &columns, NULL));
  g_assert_cmpuint (columns, ==, 77);
  r = hero_virt_executor_run (HERO_VIRT_EXECUTOR (ex), cmd, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hero_virt_command_result_get_exit_status (r), ==, 5);
  g_assert_cmpstr (hero_virt_command_result_get_stdout_text (r), ==,
                   "go\r\ntty\r\n33 77\r\nerr\r\n");
  g_assert_cmpstr (hero_virt_command_result_get_stderr_text (r), ==, "");
  g_clear_object (&cmd);
  g_clear_object (&r);

  /* resized while it runs: the shell's WINCH trap prints the new size */
  cmd = hero_virt_command_set_tty (hero_virt_command_new_argv (winch), TRUE);
  hero_virt_command_set_timeout (hero_virt_command_set_stdin_text (cmd, "go\n"), 60000);
  hero_virt_command_resize (cmd, 80, 24);
  g_signal_connect (cmd, "output-line", G_CALLBACK (on_tty_line), lines);
  r = hero_virt_executor_run (HERO_VIRT_EXECUTOR (ex), cmd, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hero_virt_command_result_get_exit_status (r), ==, 0);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "24 80");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "30 100");
  g_clear_object (&cmd);
  g_clear_object (&r);

  /* the local executor gives no terminal */
  {
    g_autoptr (HeroVirtLocalExecutor) local = hero_virt_local_executor_new ();
    const char *t[] = { "true", NULL };

    cmd = hero_virt_command_set_tty (hero_virt_command_new_argv (t), TRUE);
    r = hero_virt_executor_run (HERO_VIRT_EXECUTOR (local), cmd, NULL, &error);
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
    g_assert_null (r);
  }
}

static void
test_logs_follow (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  char   buf[256];
  gssize n;

  stream = hero_virt_kubernetes_manager_pod_logs_follow (km, "box", NULL, -1, 0, FALSE, FALSE, NULL,
                                                         &error);
  g_assert_no_error (error);
  n = g_input_stream_read (stream, buf, sizeof buf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);
  /* nothing more comes (no ticks): a cancelled read ends it */
  g_cancellable_cancel (cancel);
  n = g_input_stream_read (stream, buf, sizeof buf, cancel, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_input_stream_close (stream, NULL, NULL);
}

static gpointer
echo_thread (gpointer data)
{
  GSocketListener *listener = data;

  for (int i = 0; i < 4; i++)
    {
      g_autoptr (GSocketConnection) c = g_socket_listener_accept (listener, NULL, NULL, NULL);
      char   buf[65536];
      gssize n;

      if (c == NULL)
        break;
      while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (c)), buf,
                                       sizeof buf, NULL, NULL))
             > 0)
        g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (c)), buf, n, NULL,
                                   NULL, NULL);
    }
  return NULL;
}

static void
test_port_forward (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (HeroVirtPortForward) pf = NULL;
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  GThread *echo;
  guint16  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  echo = g_thread_new ("echo", echo_thread, listener);
  pf = hero_virt_kubernetes_manager_port_forward (km, "box", 0, port, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 4; i++)
    {
      g_autoptr (GSocketConnection) c = g_socket_client_connect_to_host (
          client, "127.0.0.1", hero_virt_port_forward_get_local_port (pf), NULL, &error);
      char  out[5000], in[5000];
      gsize got = 0;

      g_assert_no_error (error);
      memset (out, 'a' + i, sizeof out);
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (c)), out, sizeof out,
                                 NULL, NULL, &error);
      g_assert_no_error (error);
      g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (c)), in, sizeof in, &got,
                               NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (in, got, out, sizeof out);
      g_io_stream_close (G_IO_STREAM (c), NULL, NULL);
    }
  hero_virt_port_forward_stop (pf);
  g_socket_listener_close (listener);
  g_thread_join (echo);
}

static void
test_cp (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = ht_tmpdir_new ("k8s-cp-");
  g_autofree char *src = g_build_filename (dir, "f", NULL);
  g_autofree char *back = g_build_filename (dir, "g", NULL);
  g_autofree char *contents = NULL;
  const char      *pwd[] = { "pwd", NULL };
  g_autoptr (HeroVirtCommandResult) r = NULL;
  g_autofree char *remote = NULL;

  r = hero_virt_kubernetes_manager_pod_exec (km, "box", NULL, pwd, NULL, NULL, &error);
  g_assert_no_error (error);
  remote = g_strconcat (g_strstrip ((char *)hero_virt_command_result_get_stdout_text (r)), "/cf",
                        NULL);
  g_assert_true (g_file_set_contents (src, "cp data", -1, NULL));
  g_assert_true (hero_virt_kubernetes_manager_cp_to (km, src, "box", NULL, remote, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (
      hero_virt_kubernetes_manager_cp_from (km, "box", NULL, remote, back, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (back, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "cp data");
  ht_tmpdir_free (g_steal_pointer (&dir));
}

/* Attach: stdin to the fake main process (cat), its echo back, the end of
 * stdin ending the attach (stdinOnce); the attach's thread frees all. */
static void
test_attach (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtClusterKind) kind = hero_virt_cluster_kind_lookup ("v1", "Pod");
  g_autoptr (JsonNode) pod = NULL;
  g_autoptr (JsonNode) created = NULL;
  g_autoptr (JsonNode) ready = NULL;
  g_autoptr (GIOStream) stream = NULL;
  g_autoptr (GString) got = g_string_new (NULL);
  const char data[] = "one\ntwo\n";
  char       buf[4096];
  gssize     n;

  pod = json_from_string ("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": "
                          "\"att\"}, \"spec\": {\"containers\": [{\"name\": \"main\", \"image\": "
                          "\"busybox:1.36\", \"stdin\": true, \"stdinOnce\": true}]}}",
                          &error);
  g_assert_no_error (error);
  created = hero_virt_kubernetes_manager_create (km, kind, pod, NULL, &error);
  g_assert_no_error (error);
  ready = hero_virt_kubernetes_manager_wait_for (km, kind, "att", "Ready", 20000, NULL, &error);
  g_assert_no_error (error);

  stream = hero_virt_kubernetes_manager_pod_attach (km, "att", NULL, TRUE, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (G_IS_SOCKET_CONNECTION (stream));
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (stream), data,
                                            strlen (data), NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_socket_shutdown (g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)),
                                    FALSE, TRUE, &error));
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (stream), buf, sizeof buf, NULL,
                                   &error))
         > 0)
    g_string_append_len (got, buf, n);
  g_assert_no_error (error);
  g_assert_cmpstr (got->str, ==, data);
  g_io_stream_close (stream, NULL, NULL);

  g_clear_object (&stream);
  stream = hero_virt_kubernetes_manager_pod_attach (km, "att", "nope", FALSE, FALSE, NULL, &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_assert_null (stream);
  g_clear_error (&error);
  g_assert_true (hero_virt_kubernetes_manager_delete_object (
      km, kind, "att", HERO_VIRT_CLUSTER_PROPAGATION_BACKGROUND, 0, NULL, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  if ((sim = ht_kube_sim_start ("k8s-test-", NULL)) == NULL)
    return 0;
  kubeconfig = sim->kubeconfig;
  km = manager ("default");
  make_pod ("box");
  g_test_add_func ("/k8s-streams/exec", test_exec);
  g_test_add_func ("/k8s-streams/pod-executor", test_pod_executor);
  g_test_add_func ("/k8s-streams/tty", test_tty);
  g_test_add_func ("/k8s-streams/logs-follow", test_logs_follow);
  g_test_add_func ("/k8s-streams/attach", test_attach);
  g_test_add_func ("/k8s-streams/port-forward", test_port_forward);
  g_test_add_func ("/k8s-streams/cp", test_cp);
  rc = g_test_run ();
  g_clear_object (&km);
  ht_kube_sim_stop (g_steal_pointer (&sim));
  return rc;
}
