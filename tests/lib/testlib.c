/* testlib.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "testlib.h"

char *
ht_tmpdir_new (const char *name_prefix)
{
  g_autofree char *tmpl
      = g_strdup_printf ("%s-XXXXXX", name_prefix ? name_prefix : "hero-virt-test");
  g_autoptr (GError) error = NULL;
  char *path = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return path;
}

void
ht_tmpdir_free (char *path)
{
  if (path == NULL)
    return;
  if (g_str_has_prefix (path, g_get_tmp_dir ()) && strlen (path) > strlen (g_get_tmp_dir ()) + 4)
    {
      const char *argv[] = { "rm", "-rf", "--", path, NULL };
      g_spawn_sync (NULL, (char **)argv, NULL,
                    G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                    NULL, NULL, NULL, NULL, NULL, NULL);
    }
  g_free (path);
}

gboolean
ht_require_program (const char *program)
{
  g_autofree char *path = g_find_program_in_path (program);

  if (path != NULL)
    return TRUE;
  if (g_getenv ("CI") != NULL)
    g_error ("%s is required in CI but is not installed", program);
  g_test_skip_printf ("%s is not installed", program);
  return FALSE;
}

guint16
ht_free_port (void)
{
  struct sockaddr_in addr = { 0 };
  socklen_t          len = sizeof addr;
  int                fd = socket (AF_INET, SOCK_STREAM, 0);
  guint16            port;

  g_assert_cmpint (fd, >=, 0);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *)&addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *)&addr, &len), ==, 0);
  port = ntohs (addr.sin_port);
  close (fd);
  return port;
}

struct _HtDaemon
{
  GPid         pid;
  char        *name;
  GSubprocess *subprocess; /* its child watch reaps the PID */
};

HtDaemon *
ht_daemon_start (const char *const *argv,
                 const char *const *extra_env,
                 const char        *log_path,
                 GError           **error)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) sp = NULL;
  HtDaemon *daemon;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (extra_env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, kv[0], kv[1] ? kv[1] : "", TRUE);
    }
  g_subprocess_launcher_set_stdout_file_path (launcher, log_path ? log_path : "/dev/null");
  g_subprocess_launcher_take_stderr_fd (launcher, -1);
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDERR_MERGE);
  sp = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (sp == NULL)
    return NULL;

  daemon = g_new0 (HtDaemon, 1);
  daemon->pid = atoi (g_subprocess_get_identifier (sp));
  daemon->name = g_strdup (argv[0]);
  daemon->subprocess = g_steal_pointer (&sp);
  return daemon;
}

GPid
ht_daemon_get_pid (HtDaemon *daemon)
{
  return daemon->pid;
}

static gboolean
pid_alive (GPid pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *contents = NULL;
  const char      *close_paren;

  if (kill (pid, 0) != 0)
    return FALSE;
  /* A zombie is dead for our purposes. */
  if (g_file_get_contents (stat_path, &contents, NULL, NULL)
      && (close_paren = strrchr (contents, ')')) != NULL && close_paren[1] == ' '
      && close_paren[2] == 'Z')
    return FALSE;
  return TRUE;
}

gboolean
ht_daemon_is_running (HtDaemon *daemon)
{
  return pid_alive (daemon->pid);
}

void
ht_daemon_stop (HtDaemon *daemon, guint grace_ms)
{
  gint64 deadline;

  if (daemon == NULL)
    return;

  kill (daemon->pid, SIGTERM);
  deadline = g_get_monotonic_time () + (gint64)grace_ms * 1000;
  while (pid_alive (daemon->pid) && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  if (pid_alive (daemon->pid))
    {
      kill (daemon->pid, SIGKILL);
      deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
      while (pid_alive (daemon->pid) && g_get_monotonic_time () < deadline)
        g_usleep (10 * 1000);
    }
  g_clear_object (&daemon->subprocess);
  g_free (daemon->name);
  g_free (daemon);
}

static void
die_with_parent (gpointer user_data)
{
  /* a failed assertion aborts the test: the simulator must not outlive it */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

HtKubeSim *
ht_kube_sim_start (const char *dir_prefix, const char *const *extra_args)
{
  const char *bin = g_getenv ("KUBE_SIM");
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *line = NULL;
  g_autofree char *log = NULL;
  const char      *port;
  HtKubeSim       *sim;

  if (bin == NULL || !g_file_test (bin, G_FILE_TEST_IS_EXECUTABLE))
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("hero-virt-kube-sim is missing (KUBE_SIM) and CI=true");
      g_test_skip ("hero-virt-kube-sim is not built");
      return NULL;
    }
  sim = g_new0 (HtKubeSim, 1);
  sim->dir = ht_tmpdir_new (dir_prefix);
  sim->kubeconfig = g_build_filename (sim->dir, "kubeconfig", NULL);
  log = g_build_filename (sim->dir, "sim.log", NULL);
  g_ptr_array_add (argv, g_strdup (bin));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup ("0"));
  g_ptr_array_add (argv, g_strdup ("--kubeconfig"));
  g_ptr_array_add (argv, g_strdup (sim->kubeconfig));
  g_ptr_array_add (argv, g_strdup ("--pod-ready-delay"));
  g_ptr_array_add (argv, g_strdup ("100"));
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  g_ptr_array_add (argv, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sim->process = g_subprocess_launcher_spawnv (launcher, (const char *const *)argv->pdata, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "KUBE_SIM_READY"));
  port = strstr (line, "port=");
  g_assert_nonnull (port);
  sim->port = (guint16)g_ascii_strtoull (port + 5, NULL, 10);
  return sim;
}

void
ht_kube_sim_stop (HtKubeSim *sim)
{
  if (sim == NULL)
    return;
  g_subprocess_send_signal (sim->process, SIGTERM);
  g_subprocess_wait (sim->process, NULL, NULL);
  g_clear_object (&sim->process);
  ht_tmpdir_free (g_steal_pointer (&sim->dir));
  g_free (sim->kubeconfig);
  g_free (sim);
}

gboolean
ht_wait_for_tcp (const char *host, guint16 port, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  do
    {
      g_autoptr (GSocketClient) client = g_socket_client_new ();
      g_autoptr (GSocketConnection) conn
          = g_socket_client_connect_to_host (client, host, port, NULL, NULL);
      if (conn != NULL)
        return TRUE;
      g_usleep (20 * 1000);
    }
  while (g_get_monotonic_time () < deadline);
  return FALSE;
}

gboolean
ht_wait_for_unix_socket (const char *path, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  do
    {
      g_autoptr (GSocketClient) client = g_socket_client_new ();
      g_autoptr (GSocketAddress) addr = g_unix_socket_address_new (path);
      g_autoptr (GSocketConnection) conn = NULL;

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        conn = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (addr), NULL, NULL);
      if (conn != NULL)
        return TRUE;
      g_usleep (20 * 1000);
    }
  while (g_get_monotonic_time () < deadline);
  return FALSE;
}

gboolean
ht_wait_for_file (const char *path, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  while (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      g_usleep (20 * 1000);
    }
  return TRUE;
}

char *
ht_run (const char *const *argv, gboolean may_fail)
{
  g_autoptr (GError) error = NULL;
  char            *out = NULL;
  g_autofree char *err = NULL;
  int              status = 0;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!may_fail && !g_spawn_check_wait_status (status, NULL))
    {
      g_autofree char *cmd = g_strjoinv (" ", (char **)argv);
      g_error ("setup command failed: %s\n%s", cmd, err);
    }
  return out;
}

char **
ht_containers_env_new (const char *dir)
{
  g_autofree char *conf = g_build_filename (dir, "containers.conf", NULL);
  g_autofree char *storage = g_build_filename (dir, "storage.conf", NULL);
  g_autofree char *registries = g_build_filename (dir, "registries.conf", NULL);
  g_autofree char *auth = g_build_filename (dir, "auth.json", NULL);
  g_autofree char *graph = g_build_filename (dir, "storage", "root", NULL);
  g_autofree char *run = g_build_filename (dir, "storage", "run", NULL);
  g_autofree char *conf_text = NULL;
  g_autofree char *storage_text = NULL;
  GPtrArray       *env = g_ptr_array_new ();

  conf_text = g_strdup ("[containers]\n"
                        "default_ulimits = [\"nofile=4096:4096\", \"nproc=4096:4096\"]\n"
                        "\n[engine]\n"
                        "runtime = \"runc\"\n"
                        "events_logger = \"file\"\n"
                        "cgroup_manager = \"cgroupfs\"\n");
  storage_text = g_strdup_printf ("[storage]\n"
                                  "driver = \"overlay\"\n"
                                  "graphroot = \"%s\"\n"
                                  "runroot = \"%s\"\n",
                                  graph, run);
  g_assert_true (g_file_set_contents (conf, conf_text, -1, NULL));
  g_assert_true (g_file_set_contents (storage, storage_text, -1, NULL));
  g_assert_true (g_file_set_contents (registries, "", -1, NULL));
  g_assert_true (
      g_file_set_contents_full (auth, "{\"auths\":{}}", -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));

  g_ptr_array_add (env, g_strconcat ("CONTAINERS_CONF=", conf, NULL));
  g_ptr_array_add (env, g_strconcat ("CONTAINERS_STORAGE_CONF=", storage, NULL));
  g_ptr_array_add (env, g_strconcat ("CONTAINERS_REGISTRIES_CONF=", registries, NULL));
  g_ptr_array_add (env, g_strconcat ("REGISTRY_AUTH_FILE=", auth, NULL));
  g_ptr_array_add (env, NULL);
  return (char **)g_ptr_array_free (env, FALSE);
}

/* ---- /proc watching ---- */

struct _HtProcWatch
{
  char    *secret;
  char    *marker;
  GThread *thread;
  gint     stop;
  guint    seen;
  guint    marker_seen;
  guint    scans;
};

static gboolean
bytes_contain (const char *data, gsize len, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n > 0 && i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static gpointer
proc_watch_thread (gpointer data)
{
  HtProcWatch *watch = data;

  while (!g_atomic_int_get (&watch->stop))
    {
      g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
      const char *name;

      while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
        {
          g_autofree char *path = NULL;
          g_autofree char *cmdline = NULL;
          gsize            len = 0;

          if (!g_ascii_isdigit (name[0]))
            continue;
          path = g_strconcat ("/proc/", name, "/cmdline", NULL);
          if (!g_file_get_contents (path, &cmdline, &len, NULL))
            continue;
          if (bytes_contain (cmdline, len, watch->secret))
            watch->seen++;
          if (watch->marker != NULL && bytes_contain (cmdline, len, watch->marker))
            watch->marker_seen++;
        }
      watch->scans++;
    }
  return NULL;
}

HtProcWatch *
ht_proc_watch_start (const char *secret, const char *marker)
{
  HtProcWatch *watch = g_new0 (HtProcWatch, 1);

  watch->secret = g_strdup (secret);
  watch->marker = g_strdup (marker);
  watch->thread = g_thread_new ("proc-watch", proc_watch_thread, watch);
  return watch;
}

guint
ht_proc_watch_stop (HtProcWatch *watch, guint *out_marker_seen, guint *out_scans)
{
  guint seen;

  g_atomic_int_set (&watch->stop, 1);
  g_thread_join (watch->thread);
  seen = watch->seen;
  if (out_marker_seen != NULL)
    *out_marker_seen = watch->marker_seen;
  if (out_scans != NULL)
    *out_scans = watch->scans;
  g_free (watch->secret);
  g_free (watch->marker);
  g_free (watch);
  return seen;
}
