/* cloudhv-config.c: a VmSpec as cloud-hypervisor's VmConfig
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The VM is described to cloud-hypervisor as JSON (vm.create), never as
 * `--disk path=…` options, so its comma-separated option syntax never sees
 * a path. Paths with commas are refused all the same: a spec must mean the
 * same thing to every backend, and qemu's -drive splits on them too.
 */
#define G_LOG_DOMAIN "HeroVirt-CloudHv"

#include <string.h>
#include <unistd.h>

#include "cloudhv-config.h"

static gboolean
invalid_path (GError **error, const char *what, const char *path, const char *why)
{
  g_autofree char *shown = path ? g_strescape (path, NULL) : g_strdup ("");

  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT, "Invalid %s “%s”: %s",
               what, shown, why);
  return FALSE;
}

gboolean
chv_config_check_cli_path (const char *what, const char *path, GError **error)
{
  if (path == NULL || !g_path_is_absolute (path))
    return invalid_path (error, what, path, "it must be an absolute path");
  if (strchr (path, ',') != NULL)
    return invalid_path (error, what, path,
                         "commas separate cloud-hypervisor's options (path=…,readonly=…); "
                         "rename the file");
  for (const char *c = path; *c; c++)
    if ((guchar)*c < 0x20 || *c == '"' || *c == 0x7f)
      return invalid_path (error, what, path, "control characters and quotes are not allowed");
  return TRUE;
}

static gboolean
check_optional (const char *what, const char *path, GError **error)
{
  return path == NULL || chv_config_check_cli_path (what, path, error);
}

gboolean
chv_config_check (HeroVirtVmSpec *spec, GError **error)
{
  GPtrArray           *disks = hero_virt_vm_spec_get_disks (spec);
  GPtrArray           *nets = hero_virt_vm_spec_get_nets (spec);
  HeroVirtVmSerialMode serial = hero_virt_vm_spec_get_serial_mode (spec);

  if (!check_optional ("kernel", hero_virt_vm_spec_get_kernel (spec), error)
      || !check_optional ("initramfs", hero_virt_vm_spec_get_initramfs (spec), error)
      || !check_optional ("firmware", hero_virt_vm_spec_get_firmware (spec), error))
    return FALSE;
  if (hero_virt_vm_spec_get_kernel (spec) == NULL && hero_virt_vm_spec_get_firmware (spec) == NULL)
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           "cloud-hypervisor needs a kernel or a firmware to boot");
      return FALSE;
    }
  if (hero_virt_vm_spec_get_kernel (spec) != NULL && hero_virt_vm_spec_get_firmware (spec) != NULL)
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           "cloud-hypervisor boots a kernel or a firmware, not both");
      return FALSE;
    }
  for (guint i = 0; disks && i < disks->len; i++)
    if (!chv_config_check_cli_path ("disk path", hero_virt_vm_disk_get_path (disks->pdata[i]),
                                    error))
      return FALSE;
  if ((serial == HERO_VIRT_VM_SERIAL_MODE_FILE || serial == HERO_VIRT_VM_SERIAL_MODE_SOCKET)
      && !chv_config_check_cli_path ("serial path", hero_virt_vm_spec_get_serial_path (spec),
                                     error))
    return FALSE;
  for (guint i = 0; nets && i < nets->len; i++)
    if (hero_virt_vm_net_get_mode (nets->pdata[i]) == HERO_VIRT_VM_NET_MODE_USER)
      {
        g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                             "cloud-hypervisor has no user-mode networking; use a tap device");
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_exists (const char *what, const char *path, GError **error)
{
  if (path == NULL || access (path, R_OK) == 0)
    return TRUE;
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND, "The %s %s does not exist", what,
               path);
  return FALSE;
}

gboolean
chv_config_check_files (HeroVirtVmSpec *spec, GError **error)
{
  GPtrArray *disks = hero_virt_vm_spec_get_disks (spec);

  if (!check_exists ("kernel", hero_virt_vm_spec_get_kernel (spec), error)
      || !check_exists ("initramfs", hero_virt_vm_spec_get_initramfs (spec), error)
      || !check_exists ("firmware", hero_virt_vm_spec_get_firmware (spec), error))
    return FALSE;
  for (guint i = 0; disks && i < disks->len; i++)
    if (!check_exists ("disk", hero_virt_vm_disk_get_path (disks->pdata[i]), error))
      return FALSE;
  return TRUE;
}

/* The spec's format name as DiskConfig's image_type; the format is stated,
 * never probed. */
static const char *
image_type (const char *format)
{
  if (format == NULL)
    return NULL;
  if (g_ascii_strcasecmp (format, "qcow2") == 0)
    return "Qcow2";
  if (g_ascii_strcasecmp (format, "raw") == 0)
    return "Raw";
  if (g_ascii_strcasecmp (format, "vhdx") == 0)
    return "Vhdx";
  if (g_ascii_strcasecmp (format, "vhd") == 0 || g_ascii_strcasecmp (format, "vpc") == 0)
    return "FixedVhd";
  return NULL;
}

static void
add_console (JsonBuilder *b,
             const char  *member,
             const char  *mode,
             const char  *key,
             const char  *path)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "mode");
  json_builder_add_string_value (b, mode);
  if (key != NULL && path != NULL)
    {
      json_builder_set_member_name (b, key);
      json_builder_add_string_value (b, path);
    }
  json_builder_end_object (b);
}

JsonNode *
chv_config_build (HeroVirtVmSpec *spec, const char *console_path)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  GPtrArray  *disks = hero_virt_vm_spec_get_disks (spec);
  GPtrArray  *nets = hero_virt_vm_spec_get_nets (spec);
  guint       vcpus = MAX (hero_virt_vm_spec_get_vcpus (spec), 1);
  guint64     memory = hero_virt_vm_spec_get_memory_mb (spec) << 20;
  const char *strings[][2] = { { "kernel", hero_virt_vm_spec_get_kernel (spec) },
                               { "initramfs", hero_virt_vm_spec_get_initramfs (spec) },
                               { "cmdline", hero_virt_vm_spec_get_cmdline (spec) },
                               { "firmware", hero_virt_vm_spec_get_firmware (spec) } };

  json_builder_begin_object (b);
  /* Room to hot-plug: vCPUs up to the host's count, memory up to twice
   * the boot size (resize). */
  json_builder_set_member_name (b, "cpus");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "boot_vcpus");
  json_builder_add_int_value (b, vcpus);
  json_builder_set_member_name (b, "max_vcpus");
  json_builder_add_int_value (b, MAX (vcpus, (guint)g_get_num_processors ()));
  json_builder_end_object (b);
  json_builder_set_member_name (b, "memory");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, (gint64)memory);
  json_builder_set_member_name (b, "hotplug_size");
  json_builder_add_int_value (b, (gint64)memory);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "payload");
  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if (strings[i][1] != NULL)
      {
        json_builder_set_member_name (b, strings[i][0]);
        json_builder_add_string_value (b, strings[i][1]);
      }
  json_builder_end_object (b);

  if (disks != NULL && disks->len > 0)
    {
      json_builder_set_member_name (b, "disks");
      json_builder_begin_array (b);
      for (guint i = 0; i < disks->len; i++)
        {
          HeroVirtVmDisk *disk = disks->pdata[i];
          const char     *type = image_type (hero_virt_vm_disk_get_format (disk));

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "path");
          json_builder_add_string_value (b, hero_virt_vm_disk_get_path (disk));
          json_builder_set_member_name (b, "readonly");
          json_builder_add_boolean_value (b, hero_virt_vm_disk_get_readonly (disk));
          if (type != NULL)
            {
              json_builder_set_member_name (b, "image_type");
              json_builder_add_string_value (b, type);
            }
          /* an overlay's backing file is allowed explicitly */
          if (g_strcmp0 (type, "Qcow2") == 0)
            {
              json_builder_set_member_name (b, "backing_files");
              json_builder_add_boolean_value (b, TRUE);
            }
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  if (nets != NULL && nets->len > 0)
    {
      json_builder_set_member_name (b, "net");
      json_builder_begin_array (b);
      for (guint i = 0; i < nets->len; i++)
        {
          HeroVirtVmNet *net = nets->pdata[i];

          json_builder_begin_object (b);
          if (hero_virt_vm_net_get_tap (net) != NULL)
            {
              json_builder_set_member_name (b, "tap");
              json_builder_add_string_value (b, hero_virt_vm_net_get_tap (net));
            }
          if (hero_virt_vm_net_get_mac (net) != NULL)
            {
              json_builder_set_member_name (b, "mac");
              json_builder_add_string_value (b, hero_virt_vm_net_get_mac (net));
            }
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }

  switch (hero_virt_vm_spec_get_serial_mode (spec))
    {
    case HERO_VIRT_VM_SERIAL_MODE_OFF:
      add_console (b, "serial", "Off", NULL, NULL);
      break;
    case HERO_VIRT_VM_SERIAL_MODE_FILE:
      add_console (b, "serial", "File", "file", hero_virt_vm_spec_get_serial_path (spec));
      break;
    case HERO_VIRT_VM_SERIAL_MODE_PTY:
      add_console (b, "serial", "Pty", NULL, NULL);
      break;
    case HERO_VIRT_VM_SERIAL_MODE_SOCKET:
      add_console (b, "serial", "Socket", "socket", hero_virt_vm_spec_get_serial_path (spec));
      break;
    case HERO_VIRT_VM_SERIAL_MODE_DEFAULT:
    default:
      add_console (b, "serial", "File", "file", console_path);
      break;
    }
  /* never the caller's terminal: the VM runs in the background */
  add_console (b, "console", "Off", NULL, NULL);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
