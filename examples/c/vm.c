/* vm.c: boot a guest from a qcow2 overlay disk, wait for its console,
 * stop it and delete it.
 *
 *   example-vm [KERNEL INITRD]
 *
 * Without arguments it takes $HERO_VIRT_GUEST_KERNEL and
 * $HERO_VIRT_GUEST_INITRD, or builds the test guest with
 * tests/vm/guest/build-guest.sh (from $HERO_VIRT_SOURCE_ROOT). The guest
 * prints HEROVIRT-GUEST-READY on its serial console when it is up.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <hero-virt.h>

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

static gboolean
find_guest (const char *tmp, char **kernel, char **initrd, GError **error)
{
  const char      *root = g_getenv ("HERO_VIRT_SOURCE_ROOT");
  g_autofree char *script = NULL;
  g_autofree char *outdir = NULL;
  g_autofree char *out = NULL;
  g_auto (GStrv) lines = NULL;
  int status;

  *kernel = g_strdup (g_getenv ("HERO_VIRT_GUEST_KERNEL"));
  *initrd = g_strdup (g_getenv ("HERO_VIRT_GUEST_INITRD"));
  if (*kernel != NULL && *initrd != NULL)
    return TRUE;
  if (root == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "give KERNEL INITRD, or set HERO_VIRT_SOURCE_ROOT to build the test guest");
      return FALSE;
    }
  script = g_build_filename (root, "tests", "vm", "guest", "build-guest.sh", NULL);
  outdir = g_build_filename (tmp, "guest", NULL);
  {
    const char *argv[] = { "bash", script, outdir, NULL };

    if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                       &status, error)
        || !g_spawn_check_wait_status (status, error))
      return FALSE;
  }
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "KERNEL="))
        {
          g_free (*kernel);
          *kernel = g_strdup (lines[i] + strlen ("KERNEL="));
        }
      else if (g_str_has_prefix (lines[i], "INITRD="))
        {
          g_free (*initrd);
          *initrd = g_strdup (lines[i] + strlen ("INITRD="));
        }
    }
  return *kernel != NULL && *initrd != NULL;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("hero-virt-example-vm-XXXXXX", NULL);
  g_autofree char *records = g_build_filename (tmp, "vms", NULL);
  g_autofree char *base = g_build_filename (tmp, "base.qcow2", NULL);
  g_autofree char *overlay = g_build_filename (tmp, "example.qcow2", NULL);
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  g_autofree char *line = NULL;
  g_autoptr (HeroVirtDisk) base_disk = NULL;
  g_autoptr (HeroVirtDisk) overlay_disk = NULL;
  g_autoptr (HeroVirtDiskCreateOptions) options = NULL;
  g_autoptr (HeroVirtVmBuilder) builder = NULL;
  g_autoptr (HeroVirtVmSpec) spec = NULL;
  g_autoptr (HeroVirtVm) vm = NULL;
  g_autoptr (HeroVirtVmInfo) info = NULL;
  gboolean created = FALSE;
  int      ret = 1;

  /* This example's VM records go in its temporary directory, not in
   * $XDG_DATA_HOME/hero-virt/vms. */
  g_setenv ("HERO_VIRT_VM_DIR", records, TRUE);

  if (argc == 3)
    {
      kernel = g_strdup (argv[1]);
      initrd = g_strdup (argv[2]);
    }
  else if (!find_guest (tmp, &kernel, &initrd, &error))
    goto out;

  /* A base image and a copy-on-write overlay on it for this VM. */
  base_disk = hero_virt_disk_new (base);
  if (!hero_virt_disk_create (base_disk, 64 << 20, NULL, &error))
    goto out;
  options = hero_virt_disk_create_options_new (64 << 20);
  hero_virt_disk_create_options_set_backing_file (options, base, "qcow2");
  overlay_disk = hero_virt_disk_new (overlay);
  if (!hero_virt_disk_create_with_options (overlay_disk, options, NULL, &error))
    goto out;

  builder = hero_virt_vm_builder_new ("example-c");
  hero_virt_vm_builder_set_kernel (builder, kernel);
  hero_virt_vm_builder_set_initramfs (builder, initrd);
  hero_virt_vm_builder_set_cmdline (builder, "console=ttyS0 quiet panic=-1");
  hero_virt_vm_builder_set_memory_mb (builder, 256);
  {
    g_autoptr (HeroVirtVmDisk) disk = hero_virt_vm_disk_new (overlay);

    hero_virt_vm_disk_set_format (disk, "qcow2");
    hero_virt_vm_builder_add_disk_device (builder, disk);
  }
  spec = hero_virt_vm_builder_build (builder, &error);
  if (spec == NULL)
    goto out;

  vm = hero_virt_vm_new (spec);
  if (!hero_virt_vm_create (vm, NULL, &error))
    goto out;
  created = TRUE;
  if (!hero_virt_vm_start (vm, NULL, &error))
    goto out;
  line = hero_virt_vm_wait_for_console (vm, "HEROVIRT-GUEST-READY", 120, NULL, &error);
  if (line == NULL)
    goto out;
  printf ("console: %s\n", line);
  info = hero_virt_vm_get_info (vm, NULL, &error);
  if (info == NULL)
    goto out;
  printf ("state:   running, pid %" G_GINT64_FORMAT "\n", hero_virt_vm_info_get_pid (info));

  /* The power button; the guest powers off. */
  if (!hero_virt_vm_stop (vm, TRUE, 60, NULL, &error))
    goto out;
  printf ("stopped\n");
  ret = 0;

out:
  if (error != NULL)
    fprintf (stderr, "example-vm: %s\n", error->message);
  if (created)
    {
      g_autoptr (GError) delete_error = NULL;

      /* Deletes the record and the overlay (the spec's disk), not the base. */
      if (!hero_virt_vm_delete (vm, TRUE, NULL, &delete_error))
        {
          fprintf (stderr, "example-vm: delete: %s\n", delete_error->message);
          ret = 1;
        }
      else
        printf ("deleted\n");
    }
  g_remove (overlay);
  g_remove (base);
  g_rmdir (records);
  /* build-guest.sh's output, if it ran. */
  {
    g_autofree char *guest = g_build_filename (tmp, "guest", NULL);
    g_autoptr (GDir) dir = g_dir_open (guest, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (guest, name, NULL);
        g_remove (path);
      }
    g_rmdir (guest);
  }
  g_rmdir (tmp);
  return ret;
}
