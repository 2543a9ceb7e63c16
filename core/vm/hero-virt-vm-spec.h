/* hero-virt-vm-spec.h: what a virtual machine is made of
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "hero-virt-types.h"
#include "hero-virt-vm-disk.h"
#include "hero-virt-vm-net.h"

G_BEGIN_DECLS

/**
 * HeroVirtVmSerialMode:
 * @HERO_VIRT_VM_SERIAL_MODE_DEFAULT: the backend's choice: a log file in
 *   the VM's directory, reported as [property@HeroVirt.VmInfo:console-path]
 * @HERO_VIRT_VM_SERIAL_MODE_OFF: no serial port
 * @HERO_VIRT_VM_SERIAL_MODE_FILE: the guest's serial output goes to the
 *   file [property@HeroVirt.VmSpec:serial-path]
 * @HERO_VIRT_VM_SERIAL_MODE_PTY: a pseudo terminal; its path is reported
 *   as [property@HeroVirt.VmInfo:console-path]
 * @HERO_VIRT_VM_SERIAL_MODE_SOCKET: a unix socket at
 *   [property@HeroVirt.VmSpec:serial-path] to attach to
 *
 * Where the guest's serial console goes. A VM runs in the background, so
 * it never uses the caller's terminal.
 *
 * Since: 0.1
 */
typedef enum
{
  HERO_VIRT_VM_SERIAL_MODE_DEFAULT,
  HERO_VIRT_VM_SERIAL_MODE_OFF,
  HERO_VIRT_VM_SERIAL_MODE_FILE,
  HERO_VIRT_VM_SERIAL_MODE_PTY,
  HERO_VIRT_VM_SERIAL_MODE_SOCKET,
} HeroVirtVmSerialMode;

#define HERO_VIRT_TYPE_VM_SPEC (hero_virt_vm_spec_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtVmSpec, hero_virt_vm_spec, HERO_VIRT, VM_SPEC, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmSpec *hero_virt_vm_spec_new_from_json (const char *json, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmSpec *hero_virt_vm_spec_new_from_json_node (JsonNode *node, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_vm_spec_to_json (HeroVirtVmSpec *self, gboolean pretty);
HERO_VIRT_AVAILABLE_IN_ALL
JsonNode *hero_virt_vm_spec_to_json_node (HeroVirtVmSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_vm_spec_validate (HeroVirtVmSpec *self, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_vm_spec_get_name (HeroVirtVmSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_vm_spec_get_kernel (HeroVirtVmSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_vm_spec_get_initramfs (HeroVirtVmSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_vm_spec_get_cmdline (HeroVirtVmSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_vm_spec_get_firmware (HeroVirtVmSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_vm_spec_get_vcpus (HeroVirtVmSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_vm_spec_get_memory_mb (HeroVirtVmSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmSerialMode hero_virt_vm_spec_get_serial_mode (HeroVirtVmSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_vm_spec_get_serial_path (HeroVirtVmSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_vm_spec_get_extra_args (HeroVirtVmSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_vm_spec_list_port_forwards (HeroVirtVmSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_vm_spec_get_disks (HeroVirtVmSpec *self);
HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_vm_spec_get_nets (HeroVirtVmSpec *self);

G_END_DECLS
