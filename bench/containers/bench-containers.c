/* bench-containers.c: the container lifecycle (create, start, inspect,
 * stop, remove) N times, side by side in one run:
 *
 *   1. HeroVirt, podman provider, REST path (libpod API over the socket)
 *   2. HeroVirt, podman provider, CLI path (a podman process per step)
 *   3. a shell loop over the podman CLI (what a script would do)
 *
 * Private storage and a podman service on a private socket, both set up
 * and removed here; the image is busybox made from /bin/busybox. Every
 * container uses --network=none, so the numbers compare the control path
 * rather than network setup.
 *
 *   build/bench/containers/bench-containers [N]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <hero-virt.h>

#define IMAGE "localhost/bench/busybox:latest"

static char  *dir;
static char **conf_env;

static void
run_or_die (HeroVirtExecutor *executor, const char *const *argv)
{
  g_autoptr (HeroVirtCommand) command = hero_virt_command_new_argv (argv);
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtCommandResult) result
      = hero_virt_executor_run_checked (executor, command, NULL, &error);

  if (result == NULL)
    g_error ("%s", error->message);
}

static HeroVirtExecutor *
setup (void)
{
  HeroVirtLocalExecutor *executor = hero_virt_local_executor_new ();
  g_autofree char       *conf = g_build_filename (dir, "containers.conf", NULL);
  g_autofree char       *storage = g_build_filename (dir, "storage.conf", NULL);
  g_autofree char       *storage_text
      = g_strdup_printf ("[storage]\ndriver = \"overlay\"\ngraphroot = \"%s/root\"\n"
                         "runroot = \"%s/run\"\n",
                         dir, dir);
  g_autofree char *rootfs = g_build_filename (dir, "rootfs", NULL);
  g_autofree char *bin = g_build_filename (rootfs, "bin", NULL);
  g_autofree char *busybox = g_build_filename (bin, "busybox", NULL);
  g_autofree char *tarball = g_build_filename (dir, "rootfs.tar", NULL);
  const char      *cp[] = { "cp", "/bin/busybox", busybox, NULL };
  const char *install[] = { "chroot", rootfs, "/bin/busybox", "--install", "-s", "/bin", NULL };
  const char *tar[] = { "tar", "-C", rootfs, "-cf", tarball, ".", NULL };
  const char *import[] = { "podman", "import", "--quiet", "--change", "ENTRYPOINT [\"/bin/sh\"]",
                           "--",     tarball,  IMAGE,     NULL };

  g_file_set_contents (
      conf,
      "[containers]\ndefault_ulimits = [\"nofile=4096:4096\", \"nproc=4096:4096\"]\n"
      "[engine]\nruntime = \"runc\"\ncgroup_manager = \"cgroupfs\"\nevents_logger = \"file\"\n",
      -1, NULL);
  g_file_set_contents (storage, storage_text, -1, NULL);
  conf_env = g_new0 (char *, 3);
  conf_env[0] = g_strconcat ("CONTAINERS_CONF=", conf, NULL);
  conf_env[1] = g_strconcat ("CONTAINERS_STORAGE_CONF=", storage, NULL);
  hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (executor), "CONTAINERS_CONF", conf);
  hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (executor), "CONTAINERS_STORAGE_CONF", storage);
  g_mkdir_with_parents (bin, 0755);
  run_or_die (HERO_VIRT_EXECUTOR (executor), cp);
  run_or_die (HERO_VIRT_EXECUTOR (executor), install);
  run_or_die (HERO_VIRT_EXECUTOR (executor), tar);
  run_or_die (HERO_VIRT_EXECUTOR (executor), import);
  return HERO_VIRT_EXECUTOR (executor);
}

/* One lifecycle through the public API. */
static void
lifecycle (HeroVirtExecutor *executor, const char *name)
{
  g_autoptr (HeroVirtContainerBuilder) b = hero_virt_container_builder_new (name, IMAGE);
  g_autoptr (HeroVirtContainer) c = NULL;
  g_autoptr (HeroVirtContainerStatus) st = NULL;
  g_autoptr (GError) error = NULL;
  const char *command[] = { "-c", "sleep 300", NULL };

  hero_virt_container_builder_set_executor (b, executor);
  hero_virt_container_builder_set_provider_name (b, "podman");
  hero_virt_container_builder_set_network (b, "none");
  hero_virt_container_builder_set_command (b, command);
  c = hero_virt_container_builder_build (b, NULL, &error);
  if (c == NULL)
    g_error ("build: %s", error->message);
  st = hero_virt_container_inspect (c, NULL, &error);
  if (st == NULL || !hero_virt_container_status_get_running (st))
    g_error ("status: %s", error ? error->message : "not running");
  if (!hero_virt_container_stop (c, 0, NULL, &error)
      || !hero_virt_container_remove (c, FALSE, NULL, &error))
    g_error ("teardown: %s", error->message);
}

static double
time_api (HeroVirtExecutor *executor, const char *prefix, int first, int n)
{
  gint64 start = g_get_monotonic_time ();

  for (int i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%d", prefix, first + i);
      lifecycle (executor, name);
    }
  return (g_get_monotonic_time () - start) / 1e6;
}

static double
time_shell (int first, int n)
{
  g_autofree char *script = g_strdup_printf (
      "for i in $(seq %d %d); do "
      "podman create --name=bench-sh-$i --network=none " IMAGE " -c 'sleep 300' >/dev/null && "
      "podman start bench-sh-$i >/dev/null && "
      "podman inspect bench-sh-$i >/dev/null && "
      "podman stop -t 0 bench-sh-$i >/dev/null && "
      "podman rm bench-sh-$i >/dev/null || exit 1; done",
      first + 1, first + n);
  const char *argv[] = { "sh", "-c", script, NULL };
  g_auto (GStrv) envp = g_get_environ ();
  gint64 start;
  int    status = 0;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; conf_env[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (conf_env[i], "=", 2);
      envp = g_environ_setenv (envp, kv[0], kv[1], TRUE);
    }
  start = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **)argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("shell loop: %s", error->message);
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int argc, char **argv)
{
  int n = argc > 1 ? atoi (argv[1]) : 20;
  g_autoptr (HeroVirtExecutor) cli = NULL;
  g_autoptr (HeroVirtLocalExecutor) rest = NULL;
  g_autofree char *sock = NULL, *url = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) service = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *overlay = NULL;
  const char      *umount[] = { "umount", "--", NULL, NULL };
  const char      *rm[] = { "rm", "-rf", "--one-file-system", "--", NULL, NULL };
  double           t_rest, t_cli, t_sh;

  if (n < 1)
    n = 1;
  dir = g_dir_make_tmp ("hero-virt-bench-containers-XXXXXX", NULL);
  cli = setup ();

  sock = g_build_filename (dir, "podman.sock", NULL);
  url = g_strconcat ("unix://", sock, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  for (guint i = 0; conf_env[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (conf_env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, kv[0], kv[1], TRUE);
    }
  service = g_subprocess_launcher_spawn (launcher, &error, "podman", "system", "service",
                                         "--time=0", url, NULL);
  if (service == NULL)
    g_error ("%s", error->message);
  while (!g_file_test (sock, G_FILE_TEST_EXISTS))
    g_usleep (10 * 1000);

  rest = hero_virt_local_executor_new ();
  for (guint i = 0; conf_env[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (conf_env[i], "=", 2);
      hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (rest), kv[0], kv[1]);
    }
  hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (rest), "CONTAINER_HOST", url);

  /* one warm-up lifecycle each, not timed */
  lifecycle (HERO_VIRT_EXECUTOR (rest), "bench-warm-rest");
  lifecycle (cli, "bench-warm-cli");

  /* Interleaved in rounds of 5, so a change in machine load hits all
   * three paths alike. */
  t_rest = t_cli = t_sh = 0;
  for (int round = 0; round * 5 < n; round++)
    {
      int k = MIN (5, n - round * 5);

      t_rest += time_api (HERO_VIRT_EXECUTOR (rest), "bench-rest", round * 5, k);
      t_cli += time_api (cli, "bench-cli", round * 5, k);
      t_sh += time_shell (round * 5, k);
    }

  printf ("container lifecycle (create, start, inspect, stop, remove) x %d\n", n);
  printf ("  %-34s %8.3f s  %7.1f ms/lifecycle\n", "HeroVirt podman, REST path", t_rest,
          1000 * t_rest / n);
  printf ("  %-34s %8.3f s  %7.1f ms/lifecycle\n", "HeroVirt podman, CLI path", t_cli,
          1000 * t_cli / n);
  printf ("  %-34s %8.3f s  %7.1f ms/lifecycle\n", "shell loop over the podman CLI", t_sh,
          1000 * t_sh / n);
  printf ("  ratio shell-loop / REST: %.2fx   shell-loop / HeroVirt-CLI: %.2fx   HeroVirt-CLI / "
          "REST: %.2fx\n",
          t_sh / t_rest, t_sh / t_cli, t_cli / t_rest);

  g_subprocess_send_signal (service, SIGTERM);
  g_subprocess_wait (service, NULL, NULL);
  /* containers/storage leaves its overlay directory bind-mounted on itself */
  overlay = g_build_filename (dir, "root", "overlay", NULL);
  umount[2] = overlay;
  g_spawn_sync (NULL, (char **)umount, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                NULL, NULL, NULL, NULL, NULL);
  rm[4] = dir;
  g_spawn_sync (NULL, (char **)rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  g_strfreev (conf_env);
  g_free (dir);
  return 0;
}
