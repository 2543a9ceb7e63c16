/* hero-virt-vm-private.h: VM data types' internals (never installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "hero-virt-private.h"

G_BEGIN_DECLS

JsonObject            *_hero_virt_vm_disk_to_json (HeroVirtVmDisk *self);
HeroVirtVmDisk        *_hero_virt_vm_disk_from_json (JsonObject *object, GError **error);
gboolean               _hero_virt_is_ipv4_address (const char *text);
gboolean               _hero_virt_vm_port_forward_same_host_side (HeroVirtVmPortForward *a,
                                                                  HeroVirtVmPortForward *b);
HeroVirtVmPortForward *_hero_virt_vm_port_forward_from_hostfwd (const char *arg);
JsonObject            *_hero_virt_vm_net_to_json (HeroVirtVmNet *self);
HeroVirtVmNet         *_hero_virt_vm_net_from_json (JsonObject *object, GError **error);

/* The builder edits a spec in place through these; the property ids are
 * shared, so the builder's properties mirror the spec's. */
enum
{
  VM_SPEC_PROP_0,
  VM_SPEC_PROP_NAME,
  VM_SPEC_PROP_KERNEL,
  VM_SPEC_PROP_INITRAMFS,
  VM_SPEC_PROP_CMDLINE,
  VM_SPEC_PROP_FIRMWARE,
  VM_SPEC_PROP_VCPUS,
  VM_SPEC_PROP_MEMORY_MB,
  VM_SPEC_PROP_SERIAL_MODE,
  VM_SPEC_PROP_SERIAL_PATH,
  VM_SPEC_PROP_EXTRA_ARGS,
  VM_SPEC_N_PROPS
};

void     _hero_virt_vm_spec_make_pspecs (GParamSpec **pspecs, GParamFlags flags);
void     _hero_virt_vm_spec_get_prop (HeroVirtVmSpec *self, guint prop_id, GValue *value);
gboolean _hero_virt_vm_spec_set_prop (HeroVirtVmSpec *self, guint prop_id, const GValue *value);
void     _hero_virt_vm_spec_add_disk (HeroVirtVmSpec *self, HeroVirtVmDisk *disk);
void     _hero_virt_vm_spec_add_net (HeroVirtVmSpec *self, HeroVirtVmNet *net);
void     _hero_virt_vm_spec_add_extra_arg (HeroVirtVmSpec *self, const char *arg);

G_END_DECLS
