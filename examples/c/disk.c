/* disk.c: create a disk image, snapshot it and print what it is
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   cc disk.c $(pkg-config --cflags --libs hero-virt-1) -o disk && ./disk
 */
#include <glib/gstdio.h>
#include <hero-virt.h>

static void
print_info (HeroVirtDiskInfo *info)
{
  g_autoptr (GPtrArray) snapshots = hero_virt_disk_info_get_snapshots (info);

  g_print ("format:       %s\n", hero_virt_disk_info_get_format (info));
  g_print ("virtual size: %" G_GUINT64_FORMAT " bytes\n",
           hero_virt_disk_info_get_virtual_size (info));
  g_print ("snapshots:   ");
  for (guint i = 0; i < snapshots->len; i++)
    g_print (" %s", hero_virt_disk_snapshot_get_name (snapshots->pdata[i]));
  g_print ("\n");
}

int
main (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hero-virt-example-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr (HeroVirtDisk) disk = NULL;
  g_autoptr (HeroVirtDiskInfo) info = NULL;
  int status = 1;

  if (dir == NULL)
    goto out;
  path = g_build_filename (dir, "example.qcow2", NULL);

  /* The default disk provider: the qcow2 plugin, unless HERO_VIRT_DISK says otherwise. */
  disk = hero_virt_disk_new (path);
  if (!hero_virt_disk_create (disk, 1 << 30, NULL, &error)
      || !hero_virt_disk_snapshot_create (disk, "clean", NULL, &error)
      || (info = hero_virt_disk_info (disk, NULL, &error)) == NULL)
    goto out;

  print_info (info);
  status = 0;

out:
  if (error != NULL)
    g_printerr ("error: %s\n", error->message);
  if (path != NULL)
    g_remove (path);
  if (dir != NULL)
    g_rmdir (dir);
  return status;
}
