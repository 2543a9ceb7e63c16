/* container-test.c: containers through the public API against the real
 * podman, with real containers. Run twice by meson: once through the
 * podman CLI and once (--rest) through the libpod REST API of a
 * `podman system service` this test starts on a private socket.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib/gstdio.h>
#include <hero-virt.h>

#include "testlib.h"

#define IMAGE "localhost/hv-test/busybox:latest"

static struct
{
  gboolean               rest;
  char                  *dir;
  char                  *www;
  HeroVirtLocalExecutor *executor;
  HtDaemon              *service;
  gboolean               ready;
} env;

static HeroVirtExecutor *
executor (void)
{
  return HERO_VIRT_EXECUTOR (env.executor);
}

/* Runs podman with the private storage; asserts success; returns stdout. */
static char *
podman (const char *first, ...)
{
  g_autoptr (HeroVirtCommand) command = hero_virt_command_new ("podman");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) error = NULL;
  va_list args;

  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    hero_virt_command_add_arg (command, a);
  va_end (args);
  result = hero_virt_executor_run_checked (executor (), command, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (hero_virt_command_result_get_stdout_text (result));
}

static guint
count_containers (void)
{
  g_autofree char *out = podman ("ps", "--all", "--quiet", NULL);
  g_auto (GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);

  return *out ? g_strv_length (lines) : 0;
}

/* A busybox image built here, offline: a rootfs tarball imported. */
static void
import_busybox (void)
{
  g_autofree char *rootfs = g_build_filename (env.dir, "rootfs", NULL);
  g_autofree char *bin = g_build_filename (rootfs, "bin", NULL);
  g_autofree char *busybox = g_build_filename (bin, "busybox", NULL);
  g_autofree char *tarball = g_build_filename (env.dir, "rootfs.tar", NULL);
  g_autofree char *tmp = g_build_filename (rootfs, "tmp", NULL);
  const char      *cp[] = { "cp", "/bin/busybox", busybox, NULL };
  const char *install[] = { "chroot", rootfs, "/bin/busybox", "--install", "-s", "/bin", NULL };
  const char *tar[] = { "tar", "-C", rootfs, "-cf", tarball, ".", NULL };
  g_autofree char *o1 = NULL, *o2 = NULL, *o3 = NULL, *o4 = NULL;

  g_assert_cmpint (g_mkdir_with_parents (bin, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (tmp, 01777), ==, 0);
  o1 = ht_run (cp, FALSE);
  o2 = ht_run (install, FALSE);
  o3 = ht_run (tar, FALSE);
  o4 = podman ("import", "--change", "ENTRYPOINT [\"/bin/sh\"]", "--change", "ENV PATH=/bin", "--",
               tarball, IMAGE, NULL);
}

static gboolean
setup (void)
{
  g_auto (GStrv) conf = NULL;
  g_autofree char *index = NULL;

  if (env.ready)
    return TRUE;
  if (!ht_require_program ("podman"))
    return FALSE;

  env.dir = ht_tmpdir_new ("containers-test");
  conf = ht_containers_env_new (env.dir);
  env.executor = hero_virt_local_executor_new ();
  for (guint i = 0; conf[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (conf[i], "=", 2);
      hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (env.executor), kv[0], kv[1]);
    }
  env.www = g_build_filename (env.dir, "www", NULL);
  index = g_build_filename (env.www, "index.html", NULL);
  g_assert_cmpint (g_mkdir_with_parents (env.www, 0755), ==, 0);
  g_assert_true (g_file_set_contents (index, "hello from herovirt\n", -1, NULL));
  import_busybox ();

  if (env.rest)
    {
      g_autofree char *sock = g_build_filename (env.dir, "podman.sock", NULL);
      g_autofree char *url = g_strconcat ("unix://", sock, NULL);
      g_autofree char *log = g_build_filename (env.dir, "service.log", NULL);
      const char      *argv[] = { "podman", "system", "service", "--time=0", url, NULL };
      g_autoptr (GError) error = NULL;

      env.service = ht_daemon_start (argv, (const char *const *)conf, log, &error);
      g_assert_no_error (error);
      g_assert_true (ht_wait_for_unix_socket (sock, 20000));
      hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (env.executor), "CONTAINER_HOST", url);
    }
  env.ready = TRUE;
  return TRUE;
}

/* containers/storage leaves its overlay directory bind-mounted on itself
 * (stacked when two podman processes raced to mount it); unmount every
 * layer so the directory can be removed. */
static void
unmount_storage (const char *dir, const char *relative)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  const char      *argv[] = { "umount", "--", path, NULL };

  for (int i = 0; i < 8; i++)
    {
      int status = 0;

      if (!g_spawn_sync (NULL, (char **)argv, NULL,
                         G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                         &status, NULL)
          || !g_spawn_check_wait_status (status, NULL))
        break;
    }
}

static void
teardown (void)
{
  if (!env.ready)
    return;
  g_free (podman ("rm", "--all", "--force", "--time=0", NULL));
  if (env.service != NULL)
    ht_daemon_stop (env.service, 5000);
  g_clear_object (&env.executor);
  unmount_storage (env.dir, "storage/root/overlay");
  ht_tmpdir_free (env.dir);
  g_free (env.www);
}

static HeroVirtContainerBuilder *
builder (const char *name)
{
  HeroVirtContainerBuilder *b = hero_virt_container_builder_new (name, IMAGE);

  hero_virt_container_builder_set_executor (b, executor ());
  hero_virt_container_builder_set_provider_name (b, "podman");
  return b;
}

/* GET http://127.0.0.1:port/path from the host; returns the body. */
static char *
http_get (guint16 port, const char *path)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", path);
  g_autoptr (GByteArray) reply = g_byte_array_new ();
  guint8      buf[4096];
  gssize      n;
  const char *body;

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request,
                             strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf,
                                   sizeof buf, NULL, &error))
         > 0)
    g_byte_array_append (reply, buf, n);
  g_assert_no_error (error);
  g_byte_array_append (reply, (guint8 *)"", 1);
  g_assert_true (g_str_has_prefix ((char *)reply->data, "HTTP/1.0 200")
                 || g_str_has_prefix ((char *)reply->data, "HTTP/1.1 200"));
  body = strstr ((char *)reply->data, "\r\n\r\n");
  g_assert_nonnull (body);
  return g_strdup (body + 4);
}

static gboolean
has_container (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = hero_virt_container_list ("podman", executor (), TRUE, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (hero_virt_container_status_get_name (g_ptr_array_index (list, i)), name) == 0)
      return TRUE;
  return FALSE;
}

static void
on_async_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* Iterates the main context until an _async call reports to @slot. */
static GAsyncResult *
await_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* The workflow: a web container with a port mapping, env, a
 * memory limit and a health check; page fetched from the host; healthy;
 * logs show the request; stats under the limit, the limit in the
 * container's cgroup; stop; remove. */
static void
test_workflow (void)
{
  g_autoptr (HeroVirtContainerBuilder) b = NULL;
  g_autoptr (HeroVirtHealthCheck) health
      = hero_virt_health_check_new ("wget -q -O- http://127.0.0.1:8080/ || exit 1");
  g_autoptr (HeroVirtContainer) web = NULL;
  g_autoptr (HeroVirtContainerStatus) status = NULL;
  g_autoptr (HeroVirtContainerStats) stats = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *page = NULL;
  g_autofree char *logs = NULL;
  const char      *entrypoint[] = { "/bin/httpd", NULL };
  const char      *command[] = { "-f", "-v", "-p", "8080", "-h", "/www", NULL };
  const char      *env_cmd[] = { "sh", "-c", "echo $GREETING", NULL };
  const char      *cgroup_cmd[] = { "cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes", NULL };
  guint16          port = ht_free_port ();

  if (!setup ())
    return;

  b = builder ("web");
  hero_virt_container_builder_add_port_full (b, "127.0.0.1", port, 8080, "tcp");
  hero_virt_container_builder_add_volume (b, env.www, "/www", TRUE);
  hero_virt_container_builder_add_env (b, "GREETING", "hi there");
  hero_virt_container_builder_set_memory_limit (b, "64m");
  hero_virt_container_builder_set_cpu_limit (b, 0.5);
  hero_virt_container_builder_add_label (b, "org.herovirt.test", "workflow");
  hero_virt_container_builder_set_restart_policy (b, "no");
  hero_virt_health_check_set_retries (health, 3);
  hero_virt_container_builder_set_health_check (b, health);
  hero_virt_container_builder_set_entrypoint (b, entrypoint);
  hero_virt_container_builder_set_command (b, command);

  web = hero_virt_container_builder_build (b, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (hero_virt_container_get_id (web));
  g_assert_cmpuint (strlen (hero_virt_container_get_id (web)), ==, 64);

  g_assert_true (ht_wait_for_tcp ("127.0.0.1", port, 20000));
  page = http_get (port, "/index.html");
  g_assert_cmpstr (page, ==, "hello from herovirt\n");

  /* asynchronously: polls inspect_async and run_health_check_async */
  {
    g_autoptr (GAsyncResult) res = NULL;

    hero_virt_container_wait_healthy_async (web, 30000, NULL, on_async_done, &res);
    g_assert_true (hero_virt_container_wait_healthy_finish (web, await_result (&res), &error));
    g_assert_no_error (error);
    g_clear_object (&res);
    hero_virt_container_inspect_async (web, NULL, on_async_done, &res);
    status = hero_virt_container_inspect_finish (web, await_result (&res), &error);
    g_assert_no_error (error);
  }
  g_assert_cmpstr (hero_virt_container_status_get_state (status), ==, "running");
  g_assert_true (hero_virt_container_status_get_running (status));
  g_assert_cmpstr (hero_virt_container_status_get_health_status (status), ==, "healthy");
  g_assert_cmpstr (hero_virt_container_status_get_health_output (status), ==,
                   "hello from herovirt");
  g_assert_nonnull (hero_virt_container_status_get_started_at (status));
  g_assert_cmpstr (hero_virt_container_status_get_name (status), ==, "web");
  g_assert_true (g_strv_contains (hero_virt_container_status_get_labels (status),
                                  "org.herovirt.test=workflow"));

  logs = hero_virt_container_logs (web, -1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (logs, "response:200"));

  stats = hero_virt_container_stats (web, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hero_virt_container_stats_get_memory_limit (stats), ==, 64 * 1024 * 1024);
  g_assert_cmpuint (hero_virt_container_stats_get_memory_usage (stats), >, 0);
  g_assert_cmpuint (hero_virt_container_stats_get_memory_usage (stats), <, 64 * 1024 * 1024);
  g_assert_cmpuint (hero_virt_container_stats_get_pids (stats), >=, 1);

  result = hero_virt_container_exec (web, cgroup_cmd, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hero_virt_command_result_get_exit_status (result), ==, 0);
  g_assert_cmpstr (hero_virt_command_result_get_stdout_text (result), ==, "67108864\n");
  g_clear_object (&result);
  result = hero_virt_container_exec (web, env_cmd, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_command_result_get_stdout_text (result), ==, "hi there\n");

  g_assert_true (has_container ("web"));
  g_assert_true (hero_virt_container_stop (web, 1, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&status);
  status = hero_virt_container_inspect (web, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_container_status_get_state (status), ==, "exited");
  g_assert_false (hero_virt_container_status_get_running (status));

  g_assert_true (hero_virt_container_remove (web, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (has_container ("web"));
  g_clear_object (&status);
  status = hero_virt_container_inspect (web, NULL, &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_assert_null (status);
}

static HeroVirtContainer *
run_sleeper (const char *name, const char *script)
{
  g_autoptr (HeroVirtContainerBuilder) b = builder (name);
  g_autoptr (GError) error = NULL;
  const char        *command[] = { "-c", script, NULL };
  HeroVirtContainer *c;

  hero_virt_container_builder_set_command (b, command);
  c = hero_virt_container_builder_build (b, NULL, &error);
  g_assert_no_error (error);
  return c;
}

static void
test_exec_copy (void)
{
  g_autoptr (HeroVirtContainer) c = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *src = NULL, *dest = NULL, *back = NULL;
  const char      *fail[] = { "sh", "-c", "echo out; echo err >&2; exit 3", NULL };
  const char      *cat[] = { "cat", "/tmp/in.txt", NULL };

  if (!setup ())
    return;
  c = run_sleeper ("worker", "sleep 300");

  result = hero_virt_container_exec (c, fail, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hero_virt_command_result_get_exit_status (result), ==, 3);
  g_assert_nonnull (strstr (hero_virt_command_result_get_stdout_text (result), "out"));
  g_clear_object (&result);

  src = g_build_filename (env.dir, "in.txt", NULL);
  dest = g_build_filename (env.dir, "out.txt", NULL);
  g_assert_true (g_file_set_contents (src, "copied in\n", -1, NULL));
  g_assert_true (hero_virt_container_copy_in (c, src, "/tmp/in.txt", NULL, &error));
  g_assert_no_error (error);
  result = hero_virt_container_exec (c, cat, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_command_result_get_stdout_text (result), ==, "copied in\n");
  g_assert_true (hero_virt_container_copy_out (c, "/tmp/in.txt", dest, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (dest, &back, NULL, NULL));
  g_assert_cmpstr (back, ==, "copied in\n");

  /* start on a running container is fine; kill; start again; restart */
  g_assert_true (hero_virt_container_start (c, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hero_virt_container_kill (c, "SIGKILL", NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr (HeroVirtContainerStatus) st = hero_virt_container_inspect (c, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (hero_virt_container_status_get_state (st), ==, "exited");
    g_assert_cmpint (hero_virt_container_status_get_exit_code (st), ==, 137);
  }
  g_assert_true (hero_virt_container_start (c, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hero_virt_container_restart (c, 0, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr (HeroVirtContainerStatus) st = hero_virt_container_inspect (c, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (hero_virt_container_status_get_running (st));
    g_assert_null (hero_virt_container_status_get_health_status (st));
  }
  /* no health check: waiting for healthy says so */
  g_assert_false (hero_virt_container_wait_healthy (c, 1000, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  {
    g_autoptr (GAsyncResult) res = NULL;

    hero_virt_container_wait_healthy_async (c, 1000, NULL, on_async_done, &res);
    g_assert_false (hero_virt_container_wait_healthy_finish (c, await_result (&res), &error));
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED);
    g_clear_error (&error);
    g_clear_object (&res);
    /* bad input is reported through the task, and nothing runs */
    hero_virt_container_kill_async (c, "--all", NULL, on_async_done, &res);
    g_assert_false (hero_virt_container_kill_finish (c, await_result (&res), &error));
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }

  g_assert_true (hero_virt_container_remove (c, TRUE, NULL, &error));
  g_assert_no_error (error);
}

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  GPtrArray    *lines;
  GError       *error;
  gboolean      done;
} Follow;

static void
on_log_line (HeroVirtContainer *c, HeroVirtOutputStream stream, const char *line, Follow *f)
{
  g_ptr_array_add (f->lines, g_strdup (line));
  if (strstr (line, "tick 3") != NULL)
    g_cancellable_cancel (f->cancellable);
}

static void
on_follow_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Follow *f = user_data;

  hero_virt_container_follow_logs_finish (HERO_VIRT_CONTAINER (source), result, &f->error);
  f->done = TRUE;
  g_main_loop_quit (f->loop);
}

/* Follow is a stream: lines arrive while the container runs; cancelling
 * ends it with G_IO_ERROR_CANCELLED. */
static void
test_logs_follow (void)
{
  g_autoptr (HeroVirtContainer) c = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *tail = NULL;
  Follow           f = { 0 };

  if (!setup ())
    return;
  c = run_sleeper ("ticker", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done");

  f.loop = g_main_loop_new (NULL, FALSE);
  f.cancellable = g_cancellable_new ();
  f.lines = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (c, "log-line", G_CALLBACK (on_log_line), &f);
  hero_virt_container_follow_logs_async (c, -1, NULL, f.cancellable, on_follow_done, &f);
  g_main_loop_run (f.loop);
  g_assert_true (f.done);
  g_assert_error (f.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f.lines->len, >=, 3);
  g_assert_cmpstr (g_ptr_array_index (f.lines, 0), ==, "tick 1");

  tail = hero_virt_container_logs (c, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (tail, "tick "));
  /* --tail=1: exactly one line */
  g_assert_true (strchr (tail, '\n') == NULL || strchr (tail, '\n')[1] == '\0');

  g_assert_true (hero_virt_container_remove (c, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_clear_error (&f.error);
  g_ptr_array_unref (f.lines);
  g_object_unref (f.cancellable);
  g_main_loop_unref (f.loop);
}

static void
expect_invalid (HeroVirtContainerBuilder *b)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtContainer) c = hero_virt_container_builder_build (b, NULL, &error);

  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_assert_null (c);
  g_object_unref (b);
}

/* Names and arguments that look like flags or shell give a clear error
 * and run nothing. */
static void
test_hostile (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtContainer) c = NULL;
  g_autoptr (GPtrArray) images = NULL;
  g_autoptr (HeroVirtHealthCheck) bad_interval = hero_virt_health_check_new ("true");
  g_autoptr (HeroVirtHealthCheck) blank = hero_virt_health_check_new ("  ");
  g_autoptr (HeroVirtHealthCheck) two_lines = hero_virt_health_check_new ("true\nrm -rf /tmp/x");
  guint before;

  if (!setup ())
    return;
  before = count_containers ();

  expect_invalid (builder ("--privileged"));
  expect_invalid (builder ("x; rm -rf /"));
  expect_invalid (builder ("$(id)"));
  expect_invalid (hero_virt_container_builder_set_image (builder ("ok"), "--volume=/:/host"));
  expect_invalid (hero_virt_container_builder_set_image (builder ("ok"), "Upper/Case"));
  expect_invalid (hero_virt_container_builder_add_env (builder ("ok"), "A B", "x"));
  expect_invalid (hero_virt_container_builder_add_env (builder ("ok"), "--privileged", "x"));
  expect_invalid (
      hero_virt_container_builder_add_port_full (builder ("ok"), "not-an-ip", 80, 80, NULL));
  expect_invalid (hero_virt_container_builder_add_port_full (builder ("ok"), NULL, 80, 80, "icmp"));
  expect_invalid (hero_virt_container_builder_add_port (builder ("ok"), 80, 0));
  expect_invalid (
      hero_virt_container_builder_add_volume (builder ("ok"), "/etc", "relative", FALSE));
  expect_invalid (hero_virt_container_builder_add_volume (builder ("ok"), "-v", "/x", FALSE));
  expect_invalid (hero_virt_container_builder_add_volume (builder ("ok"), "/a,b", "/x", FALSE));
  expect_invalid (hero_virt_container_builder_set_network (builder ("ok"), "--net=host"));
  expect_invalid (hero_virt_container_builder_add_network_alias (builder ("ok"), "-x"));
  expect_invalid (hero_virt_container_builder_set_memory_limit (builder ("ok"), "lots"));
  /* Anchored at the very end: a trailing newline is not part of a valid value. */
  expect_invalid (hero_virt_container_builder_set_memory_limit (builder ("ok"), "512m\n"));
  expect_invalid (hero_virt_container_builder_set_network (builder ("ok"), "host\n"));
  expect_invalid (hero_virt_container_builder_add_device (builder ("ok"), "/dev/../etc/shadow"));
  expect_invalid (hero_virt_container_builder_set_health_check (builder ("ok"), two_lines));
  expect_invalid (hero_virt_container_builder_set_memory_swap_limit (builder ("ok"), "--x"));
  expect_invalid (hero_virt_container_builder_set_restart_policy (builder ("ok"), "sometimes"));
  expect_invalid (hero_virt_container_builder_set_runtime (builder ("ok"), "--runtime=x"));
  expect_invalid (hero_virt_container_builder_set_snapshotter (builder ("ok"), "-s"));
  expect_invalid (hero_virt_container_builder_add_label (builder ("ok"), "-l", "x"));
  expect_invalid (hero_virt_container_builder_add_annotation (builder ("ok"), "a b", "x"));
  expect_invalid (hero_virt_container_builder_add_device (builder ("ok"), "/etc/passwd"));
  expect_invalid (hero_virt_container_builder_set_health_check (
      builder ("ok"), hero_virt_health_check_set_interval (bad_interval, "every minute")));
  expect_invalid (hero_virt_container_builder_set_health_check (builder ("ok"), blank));

  g_assert_null (hero_virt_container_new_for_provider ("--rm", "podman", executor (), &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  c = g_object_new (HERO_VIRT_TYPE_CONTAINER, "name", "-f", "executor", executor (),
                    "provider-name", "podman", NULL);
  g_assert_false (hero_virt_container_stop (c, 0, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (hero_virt_container_remove (c, TRUE, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (
      hero_virt_container_image_remove ("podman", executor (), "--all", TRUE, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (hero_virt_container_image_tag ("podman", executor (), IMAGE, "-t", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* nothing ran: no container was created, the image is still there */
  g_assert_cmpuint (count_containers (), ==, before);
  images = hero_virt_container_image_list ("podman", executor (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (images->len, >=, 1);

  /* an unknown container is NOT_FOUND, not a generic failure */
  g_clear_object (&c);
  c = hero_virt_container_new_for_provider ("no-such-container", "podman", executor (), &error);
  g_assert_no_error (error);
  g_assert_false (hero_virt_container_start (c, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
}

/* Image functions: tag, list, commit, push to and pull from a local
 * registry, remove. */
static void
test_images (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtContainer) c = NULL;
  g_autoptr (GPtrArray) images = NULL;
  g_autofree char *id = NULL;
  g_autofree char *pulled = NULL;
  g_autofree char *registry_dir = NULL, *config = NULL, *config_text = NULL, *log = NULL;
  g_autofree char *remote = NULL;
  guint16          port;
  HtDaemon        *registry;
  const char      *argv[] = { "docker-registry", "serve", NULL, NULL };
  gboolean         found = FALSE;

  if (!setup () || !ht_require_program ("docker-registry"))
    return;

  g_assert_true (hero_virt_container_image_tag ("podman", executor (), IMAGE,
                                                "localhost/hv-test/tagged:v1", NULL, &error));
  g_assert_no_error (error);
  images = hero_virt_container_image_list ("podman", executor (), NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < images->len; i++)
    if (g_strv_contains (hero_virt_container_image_get_names (g_ptr_array_index (images, i)),
                         "localhost/hv-test/tagged:v1"))
      found = TRUE;
  g_assert_true (found);

  c = run_sleeper ("committer", "echo changed > /changed; sleep 300");
  id = hero_virt_container_commit (c, "localhost/hv-test/committed:1", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_true (hero_virt_container_remove (c, TRUE, NULL, &error));
  g_assert_no_error (error);

  port = ht_free_port ();
  registry_dir = g_build_filename (env.dir, "registry", NULL);
  config = g_build_filename (env.dir, "registry.yml", NULL);
  log = g_build_filename (env.dir, "registry.log", NULL);
  config_text = g_strdup_printf ("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\n"
                                 "  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:%u\n",
                                 registry_dir, port);
  g_assert_true (g_file_set_contents (config, config_text, -1, NULL));
  argv[2] = config;
  registry = ht_daemon_start (argv, NULL, log, &error);
  g_assert_no_error (error);
  g_assert_true (ht_wait_for_tcp ("127.0.0.1", port, 10000));

  remote = g_strdup_printf ("127.0.0.1:%u/hv-test/committed:1", port);
  g_assert_true (hero_virt_container_image_push (
      "podman", executor (), "localhost/hv-test/committed:1", remote, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hero_virt_container_image_remove (
      "podman", executor (), "localhost/hv-test/committed:1", FALSE, NULL, &error));
  g_assert_no_error (error);
  pulled = hero_virt_container_image_pull ("podman", executor (), remote, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pulled);
  g_assert_true (
      hero_virt_container_image_remove ("podman", executor (), remote, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hero_virt_container_image_remove (
      "podman", executor (), "localhost/hv-test/tagged:v1", FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (hero_virt_container_image_remove (
      "podman", executor (), "localhost/hv-test/tagged:v1", FALSE, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  ht_daemon_stop (registry, 2000);
}

int
main (int argc, char **argv)
{
  int rc;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--rest"))
      env.rest = TRUE;
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/containers/workflow", test_workflow);
  g_test_add_func ("/containers/exec-copy-lifecycle", test_exec_copy);
  g_test_add_func ("/containers/logs-follow", test_logs_follow);
  g_test_add_func ("/containers/hostile", test_hostile);
  g_test_add_func ("/containers/images", test_images);

  rc = g_test_run ();
  teardown ();
  return rc;
}
