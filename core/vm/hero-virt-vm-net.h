/* hero-virt-vm-net.h: a network device of a virtual machine
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"
#include "hero-virt-vm-port-forward.h"

G_BEGIN_DECLS

/**
 * HeroVirtVmNetMode:
 * @HERO_VIRT_VM_NET_MODE_USER: user-mode networking (NAT done by the
 *   hypervisor process, no privileges needed; qemu's `-netdev user`).
 *   A backend without it fails with %HERO_VIRT_ERROR_NOT_SUPPORTED.
 * @HERO_VIRT_VM_NET_MODE_TAP: a host tap interface, by name; without a
 *   name the backend creates one (which usually needs CAP_NET_ADMIN)
 *
 * How a VM's network device reaches the host. A VM with no
 * #HeroVirtVmNet has no network at all.
 *
 * Since: 0.1
 */
typedef enum
{
  HERO_VIRT_VM_NET_MODE_USER,
  HERO_VIRT_VM_NET_MODE_TAP,
} HeroVirtVmNetMode;

#define HERO_VIRT_TYPE_VM_NET (hero_virt_vm_net_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtVmNet, hero_virt_vm_net, HERO_VIRT, VM_NET, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmNet *hero_virt_vm_net_new_user (void);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmNet *hero_virt_vm_net_new_for_tap (const char *tap);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmNet *hero_virt_vm_net_set_mac (HeroVirtVmNet *self, const char *mac);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmNetMode hero_virt_vm_net_get_mode (HeroVirtVmNet *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_vm_net_get_tap (HeroVirtVmNet *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_vm_net_get_mac (HeroVirtVmNet *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmNet *hero_virt_vm_net_add_port_forward (HeroVirtVmNet         *self,
                                                  HeroVirtVmPortForward *forward);
HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_vm_net_get_port_forwards (HeroVirtVmNet *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_vm_net_validate (HeroVirtVmNet *self, GError **error);

G_END_DECLS
