/* hero-virt-vm-object-private.h: the Vm's state and the hooks its
 * generated methods (vm-object.json, vm-list-object.json) call; never
 * installed
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "hero-virt-private.h"

G_BEGIN_DECLS

struct _HeroVirtVm
{
  GObject parent_instance;

  char                       *id;
  HeroVirtVmSpec             *spec;
  HeroVirtExecutor           *executor;
  HeroVirtHypervisorProvider *provider;
  GMutex                      lock;
};

HeroVirtHypervisorProvider *
_hero_virt_vm_lookup_provider (HeroVirtVm *self, GCancellable *cancellable, GError **error);
gboolean _hero_virt_vm_check_id (HeroVirtVm *self, GError **error);
gboolean _hero_virt_vm_check_spec (HeroVirtVm *self, GError **error);
gboolean _hero_virt_vm_created (HeroVirtVm *self, char *id);

G_END_DECLS
