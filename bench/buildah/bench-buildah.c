/* bench-buildah.c: a 10-step image build through HeroVirtBuilder against a
 * shell script running the same buildah commands, in one run.
 *
 *   build/bench/buildah/bench-buildah [ROUNDS]
 *
 * Private storage in a temp dir; the base image is made from /bin/busybox.
 * Rounds alternate which side goes first; medians are compared.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include <hero-virt.h>

#define BASE "localhost/bench/busybox:latest"

static void
check (gboolean ok, GError *error)
{
  if (!ok)
    {
      g_printerr ("bench-buildah: %s\n", error ? error->message : "failed");
      exit (1);
    }
}

static void
sh (const char *command)
{
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;

  if (!g_spawn_command_line_sync (command, &out, &err, &status, &error)
      || !g_spawn_check_wait_status (status, NULL))
    {
      g_printerr ("bench-buildah: %s failed: %s\n", command, error ? error->message : err);
      exit (1);
    }
}

static double
builder_round (const char *host_file)
{
  g_autoptr (HeroVirtBuilder) b = hero_virt_builder_new ("bench-hv", BASE);
  g_autoptr (GError) error = NULL;
  gint64   start = g_get_monotonic_time ();
  gboolean ok;

  ok = hero_virt_builder_open (b, NULL, &error) && /* from */
       hero_virt_builder_run (b, "mkdir -p /www", NULL, &error)
       && hero_virt_builder_run (b, "echo a > /a", NULL, &error)
       && hero_virt_builder_run (b, "echo b > /b", NULL, &error)
       && hero_virt_builder_copy (b, host_file, "/www/host.txt", NULL, &error)
       && hero_virt_builder_write (b, "<h1>bench</h1>", "/www/index.html", NULL, &error);
  check (ok, error);
  hero_virt_builder_set_entrypoint (
      b, (const char *const[]){ "/bin/httpd", "-f", "-p", "8080", "-h", "/www", NULL });
  hero_virt_builder_set_env (b, "A", "1");
  hero_virt_builder_set_label (b, "bench", "1");
  hero_virt_builder_add_port (b, "8080");
  ok = hero_virt_builder_run (b, "test -f /www/index.html", NULL, &error) && /* config + run */
       hero_virt_builder_commit (b, "localhost/bench/hv:1", NULL, &error)
       && hero_virt_builder_remove (b, NULL, &error);
  check (ok, error);
  return (g_get_monotonic_time () - start) / 1e6;
}

static double
script_round (const char *script, const char *host_file, const char *dir)
{
  g_autofree char *command
      = g_strdup_printf ("sh %s %s %s %s localhost/bench/sh:1", script, BASE, host_file, dir);
  gint64 start = g_get_monotonic_time ();

  sh (command);
  return (g_get_monotonic_time () - start) / 1e6;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double
median (double *values, int n)
{
  qsort (values, n, sizeof (double), cmp_double);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int
main (int argc, char **argv)
{
  int              rounds = argc > 1 ? MAX (1, atoi (argv[1])) : 5;
  g_autofree char *dir = g_dir_make_tmp ("hv-bench-buildah-XXXXXX", NULL);
  g_autofree char *conf = g_build_filename (dir, "containers.conf", NULL);
  g_autofree char *storage = g_build_filename (dir, "storage.conf", NULL);
  g_autofree char *storage_text
      = g_strdup_printf ("[storage]\ndriver = \"overlay\"\ngraphroot = \"%s/root\"\n"
                         "runroot = \"%s/run\"\n",
                         dir, dir);
  g_autofree char *host_file = g_build_filename (dir, "host.txt", NULL);
  g_autofree char *script = g_build_filename (SOURCE_DIR, "build.sh", NULL);
  g_autofree char *cmd = NULL;
  double          *hv = g_new0 (double, rounds), *shell = g_new0 (double, rounds);
  double           hv_med, sh_med;

  if (g_find_program_in_path ("buildah") == NULL
      || !g_file_test ("/bin/busybox", G_FILE_TEST_EXISTS))
    {
      g_print ("bench-buildah: needs buildah and /bin/busybox; skipped\n");
      return 77;
    }
  /* Both sides see the same configuration: runc, private storage. */
  g_file_set_contents (conf, "[engine]\nruntime = \"runc\"\n", -1, NULL);
  g_file_set_contents (storage, storage_text, -1, NULL);
  g_file_set_contents (host_file, "from the host\n", -1, NULL);
  g_setenv ("CONTAINERS_CONF", conf, TRUE);
  g_setenv ("CONTAINERS_STORAGE_CONF", storage, TRUE);

  sh ("buildah from --name bench-base scratch");
  sh ("buildah copy bench-base /bin/busybox /bin/busybox");
  sh ("buildah run --isolation chroot bench-base /bin/busybox --install -s /bin");
  sh ("buildah config --env PATH=/bin bench-base");
  sh ("buildah commit bench-base " BASE);
  sh ("buildah rm bench-base");
  /* One untimed round each, so caches are warm for both. */
  builder_round (host_file);
  script_round (script, host_file, dir);

  for (int i = 0; i < rounds; i++)
    {
      if (i % 2 == 0)
        {
          hv[i] = builder_round (host_file);
          shell[i] = script_round (script, host_file, dir);
        }
      else
        {
          shell[i] = script_round (script, host_file, dir);
          hv[i] = builder_round (host_file);
        }
      g_print ("round %d: HeroVirt.Builder %.3f s, shell script %.3f s\n", i + 1, hv[i], shell[i]);
    }
  hv_med = median (hv, rounds);
  sh_med = median (shell, rounds);
  g_print ("10-step build, median of %d: HeroVirt.Builder %.3f s, shell + buildah %.3f s, "
           "ratio %.3f (overhead %+.1f%%)\n",
           rounds, hv_med, sh_med, hv_med / sh_med, (hv_med / sh_med - 1) * 100);

  cmd = g_strdup_printf (
      "sh -c 'buildah rm --all >/dev/null; buildah rmi --all --force >/dev/null; rm -rf %s'", dir);
  sh (cmd);
  g_free (hv);
  g_free (shell);
  return 0;
}
