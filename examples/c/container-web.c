/* container-web.c: run a configured web container and tear it down.
 *
 * busybox httpd with a published port, an environment variable, a memory
 * limit and a health check; waits until it is healthy, fetches the page
 * from the host, prints its status, resource use and log, then stops and
 * removes it.
 *
 * It sets up everything itself in a private directory: container storage
 * (so nothing touches the machine's images) and a busybox image made from
 * /bin/busybox (no internet needed). With CONTAINER_HOST=unix://… set, the
 * podman provider talks to that podman service's REST API instead of
 * running the podman CLI. Needs podman, runc, busybox-static; run as root.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib/gstdio.h>
#include <hero-virt.h>

#define IMAGE "localhost/example/busybox:latest"

static guint16
free_port (void)
{
  g_autoptr (GSocket) socket
      = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_socket_bind (socket, any, TRUE, NULL);
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* GET / on 127.0.0.1:port, retried until the server listens. */
static char *
fetch (guint16 port)
{
  for (int attempt = 0; attempt < 200; attempt++)
    {
      g_autoptr (GSocketClient) client = g_socket_client_new ();
      g_autoptr (GSocketConnection) conn
          = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
      const char *request = "GET /index.html HTTP/1.0\r\n\r\n";
      g_autoptr (GByteArray) reply = g_byte_array_new ();
      char   buf[4096];
      gssize n;

      if (conn == NULL)
        {
          g_usleep (50 * 1000);
          continue;
        }
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request,
                                 strlen (request), NULL, NULL, NULL);
      while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf,
                                       sizeof buf, NULL, NULL))
             > 0)
        g_byte_array_append (reply, (guint8 *)buf, n);
      g_byte_array_append (reply, (guint8 *)"", 1);
      if (strstr ((char *)reply->data, "\r\n\r\n") != NULL)
        return g_strdup (strstr ((char *)reply->data, "\r\n\r\n") + 4);
    }
  return NULL;
}

/* Private storage and an offline busybox image. */
static HeroVirtExecutor *
setup (const char *dir)
{
  HeroVirtLocalExecutor *executor = hero_virt_local_executor_new ();
  g_autofree char       *conf = g_build_filename (dir, "containers.conf", NULL);
  g_autofree char       *storage = g_build_filename (dir, "storage.conf", NULL);
  g_autofree char       *storage_text
      = g_strdup_printf ("[storage]\ndriver = \"overlay\"\ngraphroot = \"%s/root\"\n"
                         "runroot = \"%s/run\"\n",
                         dir, dir);
  g_autofree char *rootfs = g_build_filename (dir, "rootfs", NULL);
  g_autofree char *tarball = g_build_filename (dir, "rootfs.tar", NULL);
  g_autofree char *www = g_build_filename (rootfs, "www", NULL);
  g_autofree char *bin = g_build_filename (rootfs, "bin", NULL);
  g_autofree char *index = g_build_filename (www, "index.html", NULL);
  g_autofree char *busybox = g_build_filename (bin, "busybox", NULL);
  const char      *cp[] = { "cp", "/bin/busybox", busybox, NULL };
  const char *install[] = { "chroot", rootfs, "/bin/busybox", "--install", "-s", "/bin", NULL };
  const char *tar[] = { "tar", "-C", rootfs, "-cf", tarball, ".", NULL };
  const char *import[]
      = { "podman", "import", "--change", "ENTRYPOINT [\"/bin/sh\"]", "--", tarball, IMAGE, NULL };
  g_autoptr (GError) error = NULL;

  g_file_set_contents (
      conf,
      "[containers]\ndefault_ulimits = [\"nofile=4096:4096\", \"nproc=4096:4096\"]\n"
      "[engine]\nruntime = \"runc\"\ncgroup_manager = \"cgroupfs\"\nevents_logger = \"file\"\n",
      -1, NULL);
  g_file_set_contents (storage, storage_text, -1, NULL);
  hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (executor), "CONTAINERS_CONF", conf);
  hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (executor), "CONTAINERS_STORAGE_CONF", storage);
  g_mkdir_with_parents (www, 0755);
  g_mkdir_with_parents (bin, 0755);
  g_file_set_contents (index, "hello from a HeroVirt container\n", -1, NULL);
  const char *const *steps[] = { cp, install, tar, import };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr (HeroVirtCommand) command = hero_virt_command_new_argv (steps[i]);
      g_autoptr (HeroVirtCommandResult) r
          = hero_virt_executor_run_checked (HERO_VIRT_EXECUTOR (executor), command, NULL, &error);
      if (r == NULL)
        g_error ("setup failed: %s", error->message);
    }
  return HERO_VIRT_EXECUTOR (executor);
}

int
main (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hero-virt-container-example-XXXXXX", NULL);
  g_autoptr (HeroVirtExecutor) executor = setup (dir);
  g_autoptr (HeroVirtContainerBuilder) b = hero_virt_container_builder_new ("example-web", IMAGE);
  g_autoptr (HeroVirtHealthCheck) health
      = hero_virt_health_check_new ("wget -q -O- http://127.0.0.1:8080/ || exit 1");
  g_autoptr (HeroVirtContainer) web = NULL;
  g_autoptr (HeroVirtContainerStatus) status = NULL;
  g_autoptr (HeroVirtContainerStats) stats = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *page = NULL, *logs = NULL;
  const char      *entrypoint[] = { "/bin/httpd", NULL };
  const char      *command[] = { "-f", "-v", "-p", "8080", "-h", "/www", NULL };
  g_autofree char *overlay = g_build_filename (dir, "root", "overlay", NULL);
  const char      *umount[] = { "umount", "--", overlay, NULL };
  const char      *rm[] = { "rm", "-rf", "--one-file-system", "--", dir, NULL };
  guint16          port = free_port ();

  hero_virt_health_check_set_retries (health, 3);
  hero_virt_container_builder_set_executor (b, executor);
  hero_virt_container_builder_add_port_full (b, "127.0.0.1", port, 8080, "tcp");
  hero_virt_container_builder_add_env (b, "GREETING", "hello");
  hero_virt_container_builder_set_memory_limit (b, "64m");
  hero_virt_container_builder_set_health_check (b, health);
  hero_virt_container_builder_set_entrypoint (b, entrypoint);
  hero_virt_container_builder_set_command (b, command);

  web = hero_virt_container_builder_build (b, NULL, &error);
  if (web == NULL)
    g_error ("build: %s", error->message);
  page = fetch (port);
  g_print ("page: %s", page ? page : "(no answer)\n");
  if (!hero_virt_container_wait_healthy (web, 30000, NULL, &error))
    g_error ("health: %s", error->message);

  status = hero_virt_container_inspect (web, NULL, &error);
  stats = hero_virt_container_stats (web, NULL, &error);
  logs = hero_virt_container_logs (web, 5, NULL, NULL, &error);
  if (status == NULL || stats == NULL || logs == NULL)
    g_error ("%s", error->message);
  g_print ("state %s, health %s (last check said: %s)\n",
           hero_virt_container_status_get_state (status),
           hero_virt_container_status_get_health_status (status),
           hero_virt_container_status_get_health_output (status));
  g_print ("memory %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " bytes, %" G_GUINT64_FORMAT
           " processes\n",
           hero_virt_container_stats_get_memory_usage (stats),
           hero_virt_container_stats_get_memory_limit (stats),
           hero_virt_container_stats_get_pids (stats));
  g_print ("log:\n%s", logs);

  if (!hero_virt_container_stop (web, 1, NULL, &error)
      || !hero_virt_container_remove (web, FALSE, NULL, &error))
    g_error ("teardown: %s", error->message);
  g_print ("stopped and removed\n");
  /* containers/storage leaves its overlay directory bind-mounted on itself */
  g_spawn_sync (NULL, (char **)umount, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                NULL, NULL, NULL, NULL, NULL);
  g_spawn_sync (NULL, (char **)rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  return page != NULL && strstr (page, "hello from") != NULL ? 0 : 1;
}
