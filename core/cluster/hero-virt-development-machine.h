/* hero-virt-development-machine.h: an SSH-reachable pod
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-kubernetes-manager.h"
#include "hero-virt-ssh-executor.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_DEVELOPMENT_MACHINE (hero_virt_development_machine_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtDevelopmentMachine,
                      hero_virt_development_machine,
                      HERO_VIRT,
                      DEVELOPMENT_MACHINE,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDevelopmentMachine *hero_virt_development_machine_new (HeroVirtKubernetesManager *manager,
                                                               const char                *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDevelopmentMachine *hero_virt_development_machine_image (HeroVirtDevelopmentMachine *self,
                                                                 const char                 *image);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDevelopmentMachine *hero_virt_development_machine_user (HeroVirtDevelopmentMachine *self,
                                                                const char                 *user);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDevelopmentMachine *
hero_virt_development_machine_authorized_key (HeroVirtDevelopmentMachine *self, const char *key);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDevelopmentMachine *
hero_virt_development_machine_identity_file (HeroVirtDevelopmentMachine *self, const char *path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDevelopmentMachine *
hero_virt_development_machine_node_port (HeroVirtDevelopmentMachine *self, int port);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDevelopmentMachine *
hero_virt_development_machine_port_forward (HeroVirtDevelopmentMachine *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtDevelopmentMachine *
hero_virt_development_machine_endpoint_host (HeroVirtDevelopmentMachine *self, const char *host);

HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_development_machine_build (HeroVirtDevelopmentMachine *self,
                                                GCancellable               *cancellable,
                                                GError                    **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_development_machine_create (HeroVirtDevelopmentMachine *self,
                                               guint                       timeout_ms,
                                               GCancellable               *cancellable,
                                               GError                    **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_development_machine_create_async (HeroVirtDevelopmentMachine *self,
                                                 guint                       timeout_ms,
                                                 GCancellable               *cancellable,
                                                 GAsyncReadyCallback         callback,
                                                 gpointer                    user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_development_machine_create_finish (HeroVirtDevelopmentMachine *self,
                                                      GAsyncResult               *result,
                                                      GError                    **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_development_machine_remove (HeroVirtDevelopmentMachine *self,
                                               GCancellable               *cancellable,
                                               GError                    **error);

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_development_machine_get_name (HeroVirtDevelopmentMachine *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtSshExecutor *hero_virt_development_machine_get_executor (HeroVirtDevelopmentMachine *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_development_machine_get_host (HeroVirtDevelopmentMachine *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_development_machine_get_port (HeroVirtDevelopmentMachine *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_development_machine_get_host_public_key (HeroVirtDevelopmentMachine *self);

G_END_DECLS
