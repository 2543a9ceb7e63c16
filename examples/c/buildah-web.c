/* buildah-web.c: the nginx-style example, with busybox httpd.
 *
 * Builds an image that serves a page, pushes it to a local registry, pulls
 * it back, runs it with podman and fetches the page over HTTP.
 *
 * Everything it needs it starts and stops itself, in a private directory:
 * a busybox base image made from /bin/busybox (no internet needed), private
 * container storage, a docker-registry on 127.0.0.1 and one podman
 * container. Needs buildah, runc, podman, docker-registry and
 * busybox-static, and root (podman's port mapping).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <string.h>

#include <hero-virt.h>

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

/* A plain HTTP/1.0 GET; NULL until the server answers. */
static char *
http_get (guint16 port, const char *path)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn
      = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  g_autofree char *request = NULL;
  g_autoptr (GByteArray) reply = g_byte_array_new ();
  char   buf[4096];
  gssize n;

  if (conn == NULL)
    return NULL;
  request = g_strdup_printf ("GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", path);
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request,
                                  strlen (request), NULL, NULL, NULL))
    return NULL;
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf,
                                   sizeof buf, NULL, NULL))
         > 0)
    g_byte_array_append (reply, (guint8 *)buf, n);
  g_byte_array_append (reply, (guint8 *)"", 1);
  return reply->len > 1 ? g_strdup ((char *)reply->data) : NULL;
}

static gboolean
wait_for (guint16 port, const char *path, const char *expect, char **out)
{
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *reply = http_get (port, path);
      if (reply != NULL && strstr (reply, expect) != NULL)
        {
          if (out)
            *out = g_steal_pointer (&reply);
          return TRUE;
        }
      g_usleep (100000);
    }
  return FALSE;
}

static void
write_text (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, text, -1, NULL);
}

/* Private storage and a containers.conf this machine kind needs (runc,
 * ulimits it allows); the process environment carries it to buildah and
 * podman. */
static void
private_storage (const char *dir)
{
  g_autofree char *storage = g_strdup_printf ("[storage]\ndriver = \"overlay\"\n"
                                              "graphroot = \"%s/root\"\nrunroot = \"%s/run\"\n",
                                              dir, dir);
  g_autofree char *conf = g_build_filename (dir, "containers.conf", NULL);
  g_autofree char *storage_conf = g_build_filename (dir, "storage.conf", NULL);

  write_text (
      dir, "containers.conf",
      "[containers]\ndefault_ulimits = [\"nofile=4096:4096\", \"nproc=4096:4096\"]\n"
      "[engine]\nruntime = \"runc\"\nevents_logger = \"file\"\ncgroup_manager = \"cgroupfs\"\n");
  write_text (dir, "storage.conf", storage);
  g_setenv ("CONTAINERS_CONF", conf, TRUE);
  g_setenv ("CONTAINERS_STORAGE_CONF", storage_conf, TRUE);
}

static gboolean
build_base (GError **error)
{
  g_autoptr (HeroVirtBuilder) b = hero_virt_builder_new ("example-base", "scratch");

  hero_virt_builder_set_isolation (b, "chroot");
  return hero_virt_builder_copy (b, "/bin/busybox", "/bin/busybox", NULL, error)
         && hero_virt_builder_run_argv (
             b, (const char *const[]){ "/bin/busybox", "mkdir", "-p", "/tmp", "/www", NULL }, NULL,
             error)
         && hero_virt_builder_run_argv (
             b, (const char *const[]){ "/bin/busybox", "--install", "-s", "/bin", NULL }, NULL,
             error)
         && hero_virt_builder_set_env (b, "PATH", "/bin")
         && hero_virt_builder_commit (b, "localhost/example/busybox:latest", NULL, error)
         && hero_virt_builder_remove (b, NULL, error);
}

static gboolean
build_web (GError **error)
{
  g_autoptr (HeroVirtBuilder) b
      = hero_virt_builder_new ("example-web", "localhost/example/busybox:latest");

  /* The seed's nginx example, step for step, with busybox httpd. */
  if (!hero_virt_builder_run (b, "mkdir -p /www", NULL, error)
      || !hero_virt_builder_write (b, "<h1>Hello from HeroVirt</h1>\n", "/www/index.html", NULL,
                                   error))
    return FALSE;
  hero_virt_builder_set_entrypoint (
      b, (const char *const[]){ "/bin/httpd", "-f", "-v", "-p", "8080", "-h", "/www", NULL });
  hero_virt_builder_add_port (b, "8080/tcp");
  hero_virt_builder_set_label (b, "org.example.app", "web");
  return hero_virt_builder_commit (b, "localhost/example/web:1", NULL, error)
         && hero_virt_builder_remove (b, NULL, error);
}

static HeroVirtCommandResult *
sh (const char *const *argv)
{
  return hero_virt_executor_run_argv (hero_virt_executor_get_default (), argv, NULL, NULL);
}

int
main (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *reg_conf = NULL;
  g_autofree char *page = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *image_id = NULL;
  g_autoptr (GSubprocess) registry = NULL;
  g_autoptr (HeroVirtImageRegistryOptions) plain_http = NULL;
  g_autoptr (HeroVirtCommandResult) run = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *publish = NULL;
  guint16          reg_port, web_port;
  int              status = 1;

  for (guint i = 0; i < 5; i++)
    {
      const char      *tools[] = { "buildah", "podman", "runc", "docker-registry", "/bin/busybox" };
      g_autofree char *found = g_find_program_in_path (tools[i]);

      if (found == NULL)
        {
          g_printerr ("This example needs %s; skipping.\n", tools[i]);
          return 77;
        }
    }

  dir = g_dir_make_tmp ("hero-virt-web-XXXXXX", NULL);
  private_storage (dir);

  /* 1. build */
  if (!build_base (&error) || !build_web (&error))
    goto out;
  g_print ("built localhost/example/web:1\n");

  /* 2. a local registry, plain HTTP, so TLS verification is turned off
   *    explicitly for it */
  reg_port = free_port ();
  {
    g_autofree char *cfg
        = g_strdup_printf ("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s/registry\n"
                           "http:\n  addr: 127.0.0.1:%u\n",
                           dir, reg_port);
    write_text (dir, "registry.yml", cfg);
  }
  reg_conf = g_build_filename (dir, "registry.yml", NULL);
  registry
      = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                          &error, "docker-registry", "serve", reg_conf, NULL);
  if (registry == NULL || !wait_for (reg_port, "/v2/", "{}", NULL))
    goto out;

  remote = g_strdup_printf ("127.0.0.1:%u/example/web:1", reg_port);
  plain_http = hero_virt_image_registry_options_new ();
  hero_virt_image_registry_options_set_tls_verify (plain_http, FALSE);
  if (!hero_virt_image_push ("localhost/example/web:1", remote, plain_http, NULL, NULL, NULL,
                             &error))
    goto out;
  g_print ("pushed %s\n", remote);

  /* 3. pull it back into clean storage */
  if (!hero_virt_image_remove ("localhost/example/web:1", TRUE, NULL, NULL, &error)
      || (image_id = hero_virt_image_pull (remote, plain_http, NULL, NULL, NULL, &error)) == NULL)
    goto out;
  g_print ("pulled %.12s\n", image_id);

  /* 4. run it with podman and fetch the page from the host */
  web_port = free_port ();
  publish = g_strdup_printf ("127.0.0.1:%u:8080", web_port);
  run = sh ((const char *const[]){ "podman", "run", "-d", "--name", "hero-virt-example-web", "-p",
                                   publish, "--", remote, NULL });
  if (run == NULL || !hero_virt_command_result_check (run, &error))
    goto out;
  if (!wait_for (web_port, "/index.html", "Hello from HeroVirt", &page))
    {
      g_printerr ("the page never came\n");
      goto out;
    }
  g_print ("fetched http://%s/index.html:\n%s\n", publish, strstr (page, "\r\n\r\n") + 4);
  status = 0;

out:
  if (error != NULL)
    g_printerr ("error: %s\n", error->message);
  g_clear_object (&run);
  run = sh (
      (const char *const[]){ "podman", "rm", "-f", "-t", "0", "hero-virt-example-web", NULL });
  if (registry != NULL)
    {
      g_subprocess_send_signal (registry, SIGTERM);
      g_subprocess_wait (registry, NULL, NULL);
    }
  g_clear_object (&run);
  run = sh ((const char *const[]){ "buildah", "rm", "--all", NULL });
  g_clear_object (&run);
  run = sh ((const char *const[]){ "podman", "rmi", "--all", "--force", NULL });
  g_clear_object (&run);
  run = sh ((const char *const[]){ "rm", "-rf", "--", dir, NULL });
  return status;
}
