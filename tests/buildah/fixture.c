/* fixture.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fixture.h"

#include <string.h>

HtBuildah *
ht_buildah_new (void)
{
  HtBuildah *fixture;

  if (!ht_require_program ("buildah") || !ht_require_program ("runc"))
    return NULL;
  fixture = g_new0 (HtBuildah, 1);
  fixture->dir = ht_tmpdir_new ("hv-buildah");
  fixture->env = ht_containers_env_new (fixture->dir);
  fixture->executor = hero_virt_local_executor_new ();
  for (guint i = 0; fixture->env[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (fixture->env[i], "=", 2);
      hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (fixture->executor), kv[0], kv[1]);
    }
  return fixture;
}

/* Builds the base image through the API itself: from scratch, copy the
 * static busybox, install its applets (chroot isolation: no runtime). */
void
ht_buildah_build_base (HtBuildah *fixture)
{
  g_autoptr (HeroVirtBuilder) builder = hero_virt_builder_new ("hv-base", "scratch");
  g_autoptr (GError) error = NULL;
  const char *install[] = { "/bin/busybox", "--install", "-s", "/bin", NULL };
  const char *dirs[] = { "/bin/busybox", "mkdir", "-p", "/tmp", "/etc", "/www", "/root", NULL };

  g_assert_true (g_file_test ("/bin/busybox", G_FILE_TEST_EXISTS));
  hero_virt_builder_set_executor (builder, HERO_VIRT_EXECUTOR (fixture->executor));
  hero_virt_builder_set_isolation (builder, "chroot");
  g_assert_nonnull (hero_virt_builder_copy (builder, "/bin/busybox", "/bin/busybox", NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (hero_virt_builder_run_argv (builder, dirs, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (hero_virt_builder_run_argv (builder, install, NULL, &error));
  g_assert_no_error (error);
  hero_virt_builder_set_env (builder, "PATH", "/bin");
  hero_virt_builder_set_cmd (builder, (const char *const[]){ "/bin/sh", NULL });
  g_assert_nonnull (hero_virt_builder_commit (builder, HT_BASE_IMAGE, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (hero_virt_builder_remove (builder, NULL, &error));
  g_assert_no_error (error);
}

void
ht_buildah_free (HtBuildah *fixture)
{
  if (fixture == NULL)
    return;
  /* Leave no working containers or layers behind in the private store. */
  {
    g_autoptr (HeroVirtCommand) rm
        = hero_virt_command_new_argv ((const char *const[]){ "buildah", "rm", "--all", NULL });
    g_autoptr (HeroVirtCommand) rmi = hero_virt_command_new_argv (
        (const char *const[]){ "buildah", "rmi", "--all", "--force", NULL });
    g_autoptr (HeroVirtCommandResult) r1
        = hero_virt_executor_run (HERO_VIRT_EXECUTOR (fixture->executor), rm, NULL, NULL);
    g_autoptr (HeroVirtCommandResult) r2
        = hero_virt_executor_run (HERO_VIRT_EXECUTOR (fixture->executor), rmi, NULL, NULL);
  }
  g_clear_object (&fixture->executor);
  g_strfreev (fixture->env);
  ht_tmpdir_free (fixture->dir);
  g_free (fixture);
}

static void
write_file (const char *path, const char *text)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
make_certs (const char *dir)
{
  g_autofree char *ca_key = g_build_filename (dir, "ca.key", NULL);
  g_autofree char *ca_crt = g_build_filename (dir, "ca", "ca.crt", NULL);
  g_autofree char *ca_dir = g_build_filename (dir, "ca", NULL);
  g_autofree char *key = g_build_filename (dir, "server.key", NULL);
  g_autofree char *csr = g_build_filename (dir, "server.csr", NULL);
  g_autofree char *crt = g_build_filename (dir, "server.crt", NULL);
  g_autofree char *ext = g_build_filename (dir, "ext.cnf", NULL);
  g_autofree char *serial = g_build_filename (dir, "ca.srl", NULL);

  g_mkdir_with_parents (ca_dir, 0700);
  write_file (ext, "subjectAltName=IP:127.0.0.1\n");
  g_free (ht_run ((const char *const[]){ "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                         "-keyout", ca_key, "-out", ca_crt, "-days", "2", "-subj",
                                         "/CN=HeroVirt test CA", NULL },
                  FALSE));
  g_free (
      ht_run ((const char *const[]){ "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout",
                                     key, "-out", csr, "-subj", "/CN=127.0.0.1", NULL },
              FALSE));
  g_free (ht_run ((const char *const[]){ "openssl", "x509", "-req", "-in", csr, "-CA", ca_crt,
                                         "-CAkey", ca_key, "-CAserial", serial, "-CAcreateserial",
                                         "-out", crt, "-days", "2", "-extfile", ext, NULL },
                  FALSE));
}

HtRegistry *
ht_registry_start (const char *parent_dir, HtRegistryKind kind)
{
  HtRegistry *registry;
  g_autoptr (GString) config = g_string_new (NULL);
  g_autofree char *config_path = NULL;
  g_autofree char *log = NULL;
  g_autoptr (GError) error = NULL;
  guint16 port;

  if (!ht_require_program ("docker-registry")
      || (kind != HT_REGISTRY_HTTP && !ht_require_program ("openssl"))
      || (kind == HT_REGISTRY_TLS_AUTH && !ht_require_program ("htpasswd")))
    return NULL;

  registry = g_new0 (HtRegistry, 1);
  registry->dir = g_build_filename (parent_dir,
                                    kind == HT_REGISTRY_HTTP  ? "reg-http"
                                    : kind == HT_REGISTRY_TLS ? "reg-tls"
                                                              : "reg-auth",
                                    NULL);
  g_mkdir_with_parents (registry->dir, 0700);
  port = ht_free_port ();
  registry->address = g_strdup_printf ("127.0.0.1:%u", port);

  g_string_append_printf (config,
                          "version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n"
                          "    rootdirectory: %s/data\n  delete:\n    enabled: true\n"
                          "http:\n  addr: %s\n",
                          registry->dir, registry->address);
  if (kind != HT_REGISTRY_HTTP)
    {
      make_certs (registry->dir);
      registry->cert_dir = g_build_filename (registry->dir, "ca", NULL);
      g_string_append_printf (config,
                              "  tls:\n    certificate: %s/server.crt\n    key: %s/server.key\n",
                              registry->dir, registry->dir);
    }
  if (kind == HT_REGISTRY_TLS_AUTH)
    {
      g_autofree char *htpasswd_path = g_build_filename (registry->dir, "htpasswd", NULL);
      g_autofree char *line = ht_run (
          (const char *const[]){ "htpasswd", "-Bbn", HT_REGISTRY_USER, HT_REGISTRY_PASSWORD, NULL },
          FALSE);
      write_file (htpasswd_path, line);
      g_string_append_printf (
          config, "auth:\n  htpasswd:\n    realm: hero-virt-test\n    path: %s\n", htpasswd_path);
    }
  config_path = g_build_filename (registry->dir, "config.yml", NULL);
  write_file (config_path, config->str);
  log = g_build_filename (registry->dir, "registry.log", NULL);
  registry->daemon = ht_daemon_start (
      (const char *const[]){ "docker-registry", "serve", config_path, NULL }, NULL, log, &error);
  g_assert_no_error (error);
  g_assert_true (ht_wait_for_tcp ("127.0.0.1", port, 10000));
  return registry;
}

void
ht_registry_stop (HtRegistry *registry)
{
  if (registry == NULL)
    return;
  ht_daemon_stop (registry->daemon, 2000);
  g_free (registry->dir);
  g_free (registry->cert_dir);
  g_free (registry->address);
  g_free (registry);
}

static char *
key_line (const char *pub_path, guint16 port)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) parts = NULL;

  g_assert_true (g_file_get_contents (pub_path, &text, NULL, NULL));
  parts = g_strsplit (g_strstrip (text), " ", 3);
  return g_strdup_printf ("[127.0.0.1]:%u %s %s\n", port, parts[0], parts[1]);
}

HtSshd *
ht_sshd_start (const char *parent_dir)
{
  HtSshd          *sshd;
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *host_key = NULL;
  g_autofree char *other_key = NULL;
  g_autofree char *authorized = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *log = NULL;
  g_autoptr (GError) error = NULL;
  char *line;

  if (!ht_require_program ("/usr/sbin/sshd") || !ht_require_program ("ssh-keygen"))
    return NULL;

  sshd = g_new0 (HtSshd, 1);
  sshd->dir = g_build_filename (parent_dir, "sshd", NULL);
  g_mkdir_with_parents (sshd->dir, 0700);
  /* sshd refuses to start without its privilege separation directory. */
  g_mkdir_with_parents ("/run/sshd", 0755);
  sshd->port = ht_free_port ();
  host_key = g_build_filename (sshd->dir, "host_key", NULL);
  other_key = g_build_filename (sshd->dir, "other_key", NULL);
  sshd->user_key = g_build_filename (sshd->dir, "user_key", NULL);
  for (guint i = 0; i < 3; i++)
    {
      const char *path = i == 0 ? host_key : i == 1 ? other_key : sshd->user_key;
      g_free (ht_run (
          (const char *const[]){ "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path, NULL },
          FALSE));
    }
  authorized = g_build_filename (sshd->dir, "authorized_keys", NULL);
  pub = g_strconcat (sshd->user_key, ".pub", NULL);
  {
    g_autofree char *text = NULL;
    g_assert_true (g_file_get_contents (pub, &text, NULL, NULL));
    write_file (authorized, text);
  }
  sshd->known_hosts = g_build_filename (sshd->dir, "known_hosts", NULL);
  sshd->wrong_known_hosts = g_build_filename (sshd->dir, "wrong_known_hosts", NULL);
  {
    g_autofree char *host_pub = g_strconcat (host_key, ".pub", NULL);
    g_autofree char *other_pub = g_strconcat (other_key, ".pub", NULL);
    line = key_line (host_pub, sshd->port);
    write_file (sshd->known_hosts, line);
    g_free (line);
    line = key_line (other_pub, sshd->port);
    write_file (sshd->wrong_known_hosts, line);
    g_free (line);
  }
  config = g_strdup_printf ("ListenAddress 127.0.0.1\nPort %u\nHostKey %s\nPidFile %s/sshd.pid\n"
                            "AuthorizedKeysFile %s\nPermitRootLogin prohibit-password\n"
                            "PubkeyAuthentication yes\nPasswordAuthentication no\n"
                            "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
                            "Subsystem sftp /usr/lib/openssh/sftp-server\n",
                            sshd->port, host_key, sshd->dir, authorized);
  config_path = g_build_filename (sshd->dir, "sshd_config", NULL);
  write_file (config_path, config);
  log = g_build_filename (sshd->dir, "sshd.log", NULL);
  sshd->daemon = ht_daemon_start (
      (const char *const[]){ "/usr/sbin/sshd", "-D", "-e", "-f", config_path, NULL }, NULL, log,
      &error);
  g_assert_no_error (error);
  g_assert_true (ht_wait_for_tcp ("127.0.0.1", sshd->port, 10000));
  return sshd;
}

HeroVirtSshExecutor *
ht_sshd_executor (HtSshd *sshd, const char *known_hosts)
{
  HeroVirtSshExecutor *ssh
      = hero_virt_ssh_executor_new ("127.0.0.1", sshd->port, g_get_user_name ());

  hero_virt_ssh_executor_set_private_key_file (ssh, sshd->user_key);
  hero_virt_ssh_executor_set_known_hosts_file (ssh, known_hosts ? known_hosts : sshd->known_hosts);
  return ssh;
}

void
ht_sshd_stop (HtSshd *sshd)
{
  if (sshd == NULL)
    return;
  ht_daemon_stop (sshd->daemon, 2000);
  g_free (sshd->dir);
  g_free (sshd->user_key);
  g_free (sshd->known_hosts);
  g_free (sshd->wrong_known_hosts);
  g_free (sshd);
}
