/* hero-virt-vm.h: a virtual machine
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include <gio/gio.h>

#include "hero-virt-types.h"
#include "hero-virt-executor.h"
#include "hero-virt-ssh-executor.h"
#include "hero-virt-hypervisor-provider.h"
#include "hero-virt-vm-spec.h"
#include "hero-virt-vm-info.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_VM (hero_virt_vm_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtVm, hero_virt_vm, HERO_VIRT, VM, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVm *hero_virt_vm_new (HeroVirtVmSpec *spec);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVm *hero_virt_vm_new_for_id (const char *id);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVm *hero_virt_vm_new_full (HeroVirtVmSpec   *spec,
                                   const char       *id,
                                   const char       *provider_name,
                                   HeroVirtExecutor *executor,
                                   GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_vm_get_id (HeroVirtVm *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtVmSpec *hero_virt_vm_get_spec (HeroVirtVm *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtExecutor *hero_virt_vm_get_executor (HeroVirtVm *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtHypervisorProvider *hero_virt_vm_get_provider (HeroVirtVm *self, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_vm_get_console_log (HeroVirtVm   *self,
                                    guint         tail_lines,
                                    GCancellable *cancellable,
                                    GError      **error);
HERO_VIRT_AVAILABLE_IN_ALL
GInputStream *hero_virt_vm_follow_console (HeroVirtVm   *self,
                                           gboolean      from_start,
                                           GCancellable *cancellable,
                                           GError      **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_vm_wait_for_console (HeroVirtVm   *self,
                                     const char   *pattern,
                                     guint         timeout_seconds,
                                     GCancellable *cancellable,
                                     GError      **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_vm_wait_for_console_async (HeroVirtVm         *self,
                                          const char         *pattern,
                                          guint               timeout_seconds,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_vm_wait_for_console_finish (HeroVirtVm *self, GAsyncResult *result, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtSshExecutor *hero_virt_vm_get_ssh_executor (HeroVirtVm   *self,
                                                    const char   *user,
                                                    guint         guest_port,
                                                    GCancellable *cancellable,
                                                    GError      **error);

G_END_DECLS

/* The I/O methods, generated from vm-object.json and vm-list-object.json. */
#include "hero-virt-vm-object.h"
#include "hero-virt-vm-list-object.h"
