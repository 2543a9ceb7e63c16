/* bench-qcow2.c: native qcow2 info/create against qemu-img, in one run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * For each image, times N calls of HeroVirtDisk.info() (the native reader,
 * through the public API, JSON and objects included) and N runs of
 * `qemu-img info --output=json` spawned the way a user (or a script) would;
 * then N native creates against N `qemu-img create`. Prints medians and the
 * ratios.
 *
 *   build/bench/qcow2/bench-qcow2 [ITERATIONS]
 */
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <hero-virt.h>

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *samples)
{
  g_array_sort (samples, compare_doubles);
  return g_array_index (samples, double, samples->len / 2);
}

static void
spawn_or_die (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  int              status = 0;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s", argv[0], error->message);
}

static double
time_native_info (const char *path)
{
  g_autoptr (HeroVirtDisk) disk = hero_virt_disk_new (path);
  g_autoptr (HeroVirtDiskInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  info = hero_virt_disk_info (disk, NULL, &error);
  if (info == NULL)
    g_error ("info %s: %s", path, error->message);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
time_qemu_info (const char *path)
{
  const char *argv[] = { "qemu-img", "info", "--output=json", path, NULL };
  gint64      start = g_get_monotonic_time ();

  spawn_or_die (argv);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
time_native_create (const char *path)
{
  g_autoptr (HeroVirtDisk) disk = hero_virt_disk_new (path);
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  if (!hero_virt_disk_create (disk, G_GUINT64_CONSTANT (10) << 30, NULL, &error))
    g_error ("create %s: %s", path, error->message);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
time_qemu_create (const char *path)
{
  const char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", path, "10G", NULL };
  gint64      start = g_get_monotonic_time ();

  spawn_or_die (argv);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
row (const char *what, double native, double qemu)
{
  g_print ("%-28s %10.3f ms %12.3f ms %9.1fx\n", what, native, qemu, qemu / native);
}

int
main (int argc, char *argv[])
{
  guint n = argc > 1 ? (guint)atoi (argv[1]) : 30;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-qcow2-XXXXXX", &error);
  const char      *names[] = { "plain.qcow2", "snapshots.qcow2", "overlay.qcow2" };
  g_autofree char *plain = NULL;
  double           worst_info_ratio = G_MAXDOUBLE;

  if (n == 0)
    n = 30;
  if (dir == NULL)
    g_error ("%s", error->message);
  /* Run straight from the build tree: use this build's plugin. */
  if (g_getenv ("HERO_VIRT_PLUGIN_PATH") == NULL)
    g_setenv ("HERO_VIRT_PLUGIN_PATH", QCOW2_PLUGIN_DIR, TRUE);

  plain = g_build_filename (dir, "plain.qcow2", NULL);
  {
    g_autofree char *snaps = g_build_filename (dir, "snapshots.qcow2", NULL);
    g_autofree char *overlay = g_build_filename (dir, "overlay.qcow2", NULL);
    const char      *c1[] = { "qemu-img", "create", "-q", "-f", "qcow2", plain, "10G", NULL };
    const char      *c2[] = { "qemu-img", "create", "-q", "-f", "qcow2", snaps, "10G", NULL };
    const char      *c3[]
        = { "qemu-img", "create", "-q", "-f", "qcow2", "-b", plain, "-F", "qcow2", overlay, NULL };

    spawn_or_die (c1);
    spawn_or_die (c2);
    spawn_or_die (c3);
    for (guint i = 0; i < 10; i++)
      {
        g_autofree char *tag = g_strdup_printf ("snap-%u", i);
        const char      *s[] = { "qemu-img", "snapshot", "-c", tag, snaps, NULL };
        spawn_or_die (s);
      }
  }

  g_print ("qcow2 benchmark, %u iterations each, medians (lower is better)\n\n", n);
  g_print ("%-28s %13s %15s %10s\n", "operation", "HeroVirt", "qemu-img", "speed-up");
  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autofree char *path = g_build_filename (dir, names[k], NULL);
      g_autoptr (GArray) native = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr (GArray) qemu = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *label = g_strdup_printf ("info %s", names[k]);
      double           ratio;

      time_native_info (path); /* loads the plugin once */
      for (guint i = 0; i < n; i++)
        {
          double a = time_native_info (path);
          double b = time_qemu_info (path);
          g_array_append_val (native, a);
          g_array_append_val (qemu, b);
        }
      ratio = median (qemu) / median (native);
      worst_info_ratio = MIN (worst_info_ratio, ratio);
      row (label, median (native), median (qemu));
    }

  {
    g_autoptr (GArray) native = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr (GArray) qemu = g_array_new (FALSE, FALSE, sizeof (double));

    for (guint i = 0; i < n; i++)
      {
        g_autofree char *a_path = g_strdup_printf ("%s/native-%u.qcow2", dir, i);
        g_autofree char *b_path = g_strdup_printf ("%s/qemu-%u.qcow2", dir, i);
        double           a = time_native_create (a_path);
        double           b = time_qemu_create (b_path);

        g_array_append_val (native, a);
        g_array_append_val (qemu, b);
        g_unlink (a_path);
        g_unlink (b_path);
      }
    row ("create 10G qcow2", median (native), median (qemu));
  }

  g_print ("\nnative info is at least %.1fx faster than qemu-img info (target: 20x): %s\n",
           worst_info_ratio, worst_info_ratio >= 20 ? "met" : "NOT met");

  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autofree char *path = g_build_filename (dir, names[k], NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
  return 0;
}
