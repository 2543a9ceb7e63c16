/* hero-virt-vm-from-base-image.c: a VM from a base image in one call
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hero-virt-private.h"
#include "hero-virt-vm-private.h"
#include "hero-virt-vm-from-base-image.h"

typedef struct
{
  HeroVirtBaseImageBuilder *base_image;
  HeroVirtVmBuilder        *builder;
  HeroVirtCloudInit        *cloud_init;
  char                     *disk_dir;
} FromBase;

static void
from_base_free (FromBase *f)
{
  g_clear_object (&f->base_image);
  g_clear_object (&f->builder);
  g_clear_object (&f->cloud_init);
  g_free (f->disk_dir);
  g_free (f);
}

static gpointer
from_base_thread (gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable,
                  GError      **error)
{
  FromBase *f = task_data;
  g_autoptr (HeroVirtVmSpec) spec = NULL;
  g_autoptr (HeroVirtBaseImageResult) base = NULL;
  g_autoptr (HeroVirtDiskCreateOptions) options = NULL;
  g_autoptr (HeroVirtDisk) overlay_disk = NULL;
  g_autoptr (HeroVirtDisk) overlay_check = NULL;
  g_autoptr (HeroVirtDiskInfo) overlay_info = NULL;
  g_autoptr (HeroVirtVmDisk) vm_disk = NULL;
  g_autoptr (HeroVirtVm) vm = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *overlay = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *overlay_name = NULL;
  g_autofree char *seed_name = NULL;
  const char      *name;
  gboolean         made_overlay = FALSE, made_seed = FALSE;

  /* The VM's own settings first: nothing is downloaded for a bad spec. */
  spec = hero_virt_vm_builder_build (f->builder, error);
  if (spec == NULL)
    return NULL;
  if (f->cloud_init != NULL && !hero_virt_cloud_init_validate (f->cloud_init, error))
    return NULL;
  /* The name becomes the overlay's and the seed's file names. */
  name = hero_virt_vm_spec_get_name (spec);
  if (!_hero_virt_validate_vm_name (name, error))
    return NULL;

  base = hero_virt_base_image_builder_build (f->base_image, NULL, cancellable, error);
  if (base == NULL)
    return NULL;

  dir = f->disk_dir ? g_canonicalize_filename (f->disk_dir, NULL)
                    : g_path_get_dirname (hero_virt_base_image_result_get_path (base));
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Could not create “%s”: %s", dir,
                   g_strerror (errno));
      return NULL;
    }
  overlay_name = g_strdup_printf ("%s.qcow2", name);
  overlay = g_build_filename (dir, overlay_name, NULL);
  seed_name = g_strdup_printf ("%s-seed.iso", name);
  seed = g_build_filename (dir, seed_name, NULL);

  /* The per-VM overlay: its backing file is the base image, its format
   * recorded (qcow2), so it is never probed. An existing disk of that name
   * is another VM's: EXISTS, never reused or replaced. */
  options = hero_virt_disk_create_options_new (0);
  hero_virt_disk_create_options_set_backing_file (
      options, hero_virt_base_image_result_get_path (base), "qcow2");
  overlay_disk = hero_virt_disk_new_with_format (overlay, "qcow2", HERO_VIRT_DISK_OPEN_NONE);
  if (!hero_virt_disk_create_with_options (overlay_disk, options, cancellable, error))
    return NULL;
  made_overlay = TRUE;
  /* Read back with the backing file allowed explicitly: the whole chain is
   * checked (plain names, recorded formats, no data files). */
  overlay_check
      = hero_virt_disk_new_with_format (overlay, "qcow2", HERO_VIRT_DISK_OPEN_ALLOW_BACKING_FILE);
  overlay_info = hero_virt_disk_info (overlay_check, cancellable, error);
  if (overlay_info == NULL)
    goto fail;

  if (f->cloud_init != NULL)
    {
      if (g_file_test (seed, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS, "“%s” already exists", seed);
          goto fail;
        }
      if (!hero_virt_cloud_init_write_seed (f->cloud_init, NULL, seed, cancellable, error))
        goto fail;
      made_seed = TRUE;
    }

  vm_disk = hero_virt_vm_disk_new (overlay);
  hero_virt_vm_disk_set_format (vm_disk, "qcow2");
  _hero_virt_vm_spec_add_disk (spec, vm_disk);
  if (made_seed)
    {
      g_autoptr (HeroVirtVmDisk) seed_disk = hero_virt_vm_disk_new (seed);

      hero_virt_vm_disk_set_format (seed_disk, "raw");
      hero_virt_vm_disk_set_readonly (seed_disk, TRUE);
      _hero_virt_vm_spec_add_disk (spec, seed_disk);
    }
  if (!hero_virt_vm_spec_validate (spec, error))
    goto fail;

  vm = hero_virt_vm_new (spec);
  if (!hero_virt_vm_create (vm, cancellable, error))
    goto fail;
  return g_steal_pointer (&vm);

fail:
  if (made_overlay)
    g_unlink (overlay);
  if (made_seed)
    g_unlink (seed);
  return NULL;
}

static FromBase *
from_base_new (HeroVirtBaseImageBuilder *base_image,
               HeroVirtVmBuilder        *builder,
               HeroVirtCloudInit        *cloud_init,
               const char               *disk_dir)
{
  FromBase *f = g_new0 (FromBase, 1);

  f->base_image = g_object_ref (base_image);
  f->builder = g_object_ref (builder);
  f->cloud_init = cloud_init ? g_object_ref (cloud_init) : NULL;
  f->disk_dir = g_strdup (disk_dir);
  return f;
}

/**
 * hero_virt_vm_new_from_base_image:
 * @base_image: the base image to build (or reuse, when its verified
 *   download is already there)
 * @builder: the VM's settings (name, kernel or firmware, memory, network, …);
 *   it is not changed
 * @cloud_init: (nullable): the cloud-init settings to write a NoCloud seed
 *   from, or %NULL for none
 * @disk_dir: (type filename) (nullable): where the VM's overlay and seed go,
 *   or %NULL for the base image's directory
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Makes a VM from a base image in one call: builds the base image with
 * [method@HeroVirt.BaseImageBuilder.build] (downloads are verified as that
 * builder says), creates `<disk_dir>/<name>.qcow2`, a qcow2 overlay whose
 * backing file is the base image (its format recorded, the backing file
 * allowed explicitly for this disk only), writes `<disk_dir>/<name>-seed.iso`
 * from @cloud_init, and creates the VM with the overlay and the seed
 * attached (formats stated). The VM is created, not started.
 *
 * ```python
 * base = HeroVirt.BaseImageBuilder(dest_dir="/var/lib/vms/images")
 * vm = HeroVirt.Vm.new_from_base_image(
 *     base, HeroVirt.VmBuilder.new("web-1").set_memory_mb(2048).add_user_net(),
 *     HeroVirt.CloudInit.new("web-1").add_ssh_key(key), None, None)
 * vm.start(None)
 * ```
 *
 * An existing overlay or seed of that name is an error
 * (%HERO_VIRT_ERROR_EXISTS); on any failure the overlay and seed made by
 * this call are removed.
 *
 * Returns: (transfer full): the created VM, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtVm *
hero_virt_vm_new_from_base_image (HeroVirtBaseImageBuilder *base_image,
                                  HeroVirtVmBuilder        *builder,
                                  HeroVirtCloudInit        *cloud_init,
                                  const char               *disk_dir,
                                  GCancellable             *cancellable,
                                  GError                  **error)
{
  FromBase   *f;
  HeroVirtVm *vm;

  g_return_val_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (base_image), NULL);
  g_return_val_if_fail (HERO_VIRT_IS_VM_BUILDER (builder), NULL);
  g_return_val_if_fail (cloud_init == NULL || HERO_VIRT_IS_CLOUD_INIT (cloud_init), NULL);

  f = from_base_new (base_image, builder, cloud_init, disk_dir);
  vm = from_base_thread (NULL, f, cancellable, error);
  from_base_free (f);
  return vm;
}

/**
 * hero_virt_vm_new_from_base_image_async:
 * @base_image: the base image to build or reuse
 * @builder: the VM's settings
 * @cloud_init: (nullable): the cloud-init settings, or %NULL
 * @disk_dir: (type filename) (nullable): where the overlay and seed go, or
 *   %NULL for the base image's directory
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [ctor@HeroVirt.Vm.new_from_base_image] in a worker thread.
 *
 * Since: 0.1
 */
void
hero_virt_vm_new_from_base_image_async (HeroVirtBaseImageBuilder *base_image,
                                        HeroVirtVmBuilder        *builder,
                                        HeroVirtCloudInit        *cloud_init,
                                        const char               *disk_dir,
                                        GCancellable             *cancellable,
                                        GAsyncReadyCallback       callback,
                                        gpointer                  user_data)
{
  g_return_if_fail (HERO_VIRT_IS_BASE_IMAGE_BUILDER (base_image));
  g_return_if_fail (HERO_VIRT_IS_VM_BUILDER (builder));
  g_return_if_fail (cloud_init == NULL || HERO_VIRT_IS_CLOUD_INIT (cloud_init));

  _hero_virt_run_in_thread (NULL, hero_virt_vm_new_from_base_image_async, from_base_thread,
                            from_base_new (base_image, builder, cloud_init, disk_dir),
                            (GDestroyNotify)from_base_free, g_object_unref, cancellable, callback,
                            user_data);
}

/**
 * hero_virt_vm_new_from_base_image_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [func@HeroVirt.Vm.new_from_base_image_async].
 *
 * Returns: (transfer full): the created VM, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtVm *
hero_virt_vm_new_from_base_image_finish (GAsyncResult *result, GError **error)
{
  return _hero_virt_task_finish (NULL, result, hero_virt_vm_new_from_base_image_async, error);
}
