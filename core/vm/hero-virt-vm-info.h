/* hero-virt-vm-info.h: what a virtual machine is doing
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "hero-virt-types.h"
#include "hero-virt-vm-spec.h"

G_BEGIN_DECLS

/**
 * HeroVirtVmState:
 * @HERO_VIRT_VM_STATE_UNKNOWN: the backend could not tell
 * @HERO_VIRT_VM_STATE_CREATED: defined but not running (never started,
 *   or stopped); cloud-hypervisor reports `Created` after a shutdown too
 * @HERO_VIRT_VM_STATE_RUNNING: running
 * @HERO_VIRT_VM_STATE_PAUSED: paused; resume continues it
 * @HERO_VIRT_VM_STATE_STOPPED: its hypervisor process has exited
 *   (shut down, powered off, killed or crashed); start boots it again
 *
 * The life-cycle state of a virtual machine.
 *
 * Since: 0.1
 */
typedef enum
{
  HERO_VIRT_VM_STATE_UNKNOWN,
  HERO_VIRT_VM_STATE_CREATED,
  HERO_VIRT_VM_STATE_RUNNING,
  HERO_VIRT_VM_STATE_PAUSED,
  HERO_VIRT_VM_STATE_STOPPED,
} HeroVirtVmState;

#define HERO_VIRT_TYPE_VM_INFO (hero_virt_vm_info_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtVmInfo, hero_virt_vm_info, HERO_VIRT, VM_INFO, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmInfo *hero_virt_vm_info_new (const char *id, HeroVirtVmState state);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmInfo *hero_virt_vm_info_new_from_json (const char *json, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmInfo *hero_virt_vm_info_new_from_json_node (JsonNode *node, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_vm_info_to_json (HeroVirtVmInfo *self, gboolean pretty);
HERO_VIRT_AVAILABLE_IN_ALL
JsonNode *hero_virt_vm_info_to_json_node (HeroVirtVmInfo *self);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmInfo *hero_virt_vm_info_set_state (HeroVirtVmInfo *self, HeroVirtVmState state);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmInfo *hero_virt_vm_info_set_pid (HeroVirtVmInfo *self, gint64 pid);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmInfo *hero_virt_vm_info_set_spec (HeroVirtVmInfo *self, HeroVirtVmSpec *spec);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmInfo *hero_virt_vm_info_set_directory (HeroVirtVmInfo *self, const char *directory);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmInfo *hero_virt_vm_info_set_console_path (HeroVirtVmInfo *self, const char *console_path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmInfo *hero_virt_vm_info_set_log_path (HeroVirtVmInfo *self, const char *log_path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmInfo *hero_virt_vm_info_set_api_socket (HeroVirtVmInfo *self, const char *api_socket);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmInfo *hero_virt_vm_info_set_details (HeroVirtVmInfo *self, JsonNode *details);

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_vm_info_get_id (HeroVirtVmInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmState hero_virt_vm_info_get_state (HeroVirtVmInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
gint64 hero_virt_vm_info_get_pid (HeroVirtVmInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmSpec *hero_virt_vm_info_get_spec (HeroVirtVmInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_vm_info_get_directory (HeroVirtVmInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_vm_info_get_console_path (HeroVirtVmInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_vm_info_get_log_path (HeroVirtVmInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_vm_info_get_api_socket (HeroVirtVmInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
JsonNode *hero_virt_vm_info_get_details (HeroVirtVmInfo *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_vm_info_is_running (HeroVirtVmInfo *self);

G_END_DECLS
