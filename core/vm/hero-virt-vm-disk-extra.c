/* hero-virt-vm-disk-extra.c: what the generated VmDisk does not write:
 * validation, and the JSON form as VmSpec's `disks` array holds it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-vm-private.h"

/**
 * hero_virt_vm_disk_validate:
 * @self: a #HeroVirtVmDisk
 * @error: return location for a #GError
 *
 * Checks the disk before anything runs: an absolute path without commas
 * or line breaks, and a format that is %NULL, `qcow2` or `raw`.
 *
 * Returns: %TRUE if the disk is valid, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_vm_disk_validate (HeroVirtVmDisk *self, GError **error)
{
  const char *format;

  g_return_val_if_fail (HERO_VIRT_IS_VM_DISK (self), FALSE);

  format = hero_virt_vm_disk_get_format (self);
  if (!_hero_virt_validate_vm_path ("disk", hero_virt_vm_disk_get_path (self), error))
    return FALSE;
  if (format != NULL && strcmp (format, "qcow2") != 0 && strcmp (format, "raw") != 0)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Unsupported VM disk format “%s” (qcow2 or raw)", format);
      return FALSE;
    }
  return TRUE;
}

JsonObject *
_hero_virt_vm_disk_to_json (HeroVirtVmDisk *self)
{
  g_autoptr (JsonNode) node = hero_virt_vm_disk_to_json_node (self);

  return json_object_ref (json_node_get_object (node));
}

HeroVirtVmDisk *
_hero_virt_vm_disk_from_json (JsonObject *object, GError **error)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return hero_virt_vm_disk_new_from_json_node (node, error);
}
