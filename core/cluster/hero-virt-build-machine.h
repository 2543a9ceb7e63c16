/* hero-virt-build-machine.h: a privileged pod that builds images with buildah
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-kubernetes-manager.h"
#include "hero-virt-pod-executor.h"
#include "hero-virt-builder.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_BUILD_MACHINE (hero_virt_build_machine_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtBuildMachine,
                      hero_virt_build_machine,
                      HERO_VIRT,
                      BUILD_MACHINE,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuildMachine *hero_virt_build_machine_new (HeroVirtKubernetesManager *manager,
                                                   const char                *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuildMachine *hero_virt_build_machine_image (HeroVirtBuildMachine *self, const char *image);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuildMachine *hero_virt_build_machine_namespace (HeroVirtBuildMachine *self,
                                                         const char *namespace);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuildMachine *hero_virt_build_machine_registry (HeroVirtBuildMachine *self,
                                                        const char           *registry);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuildMachine *hero_virt_build_machine_tls_verify (HeroVirtBuildMachine *self,
                                                          gboolean              verify);

HERO_VIRT_AVAILABLE_IN_ALL
JsonNode *hero_virt_build_machine_build (HeroVirtBuildMachine *self, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_build_machine_start (HeroVirtBuildMachine *self,
                                        guint                 timeout_ms,
                                        GCancellable         *cancellable,
                                        GError              **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_build_machine_start_async (HeroVirtBuildMachine *self,
                                          guint                 timeout_ms,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_build_machine_start_finish (HeroVirtBuildMachine *self,
                                               GAsyncResult         *result,
                                               GError              **error);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_build_machine_new_builder (HeroVirtBuildMachine *self,
                                                      const char           *name,
                                                      const char           *base_image,
                                                      GError              **error);

HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_build_machine_push (HeroVirtBuildMachine *self,
                                    const char           *image,
                                    const char           *dest,
                                    GCancellable         *cancellable,
                                    GError              **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_build_machine_push_async (HeroVirtBuildMachine *self,
                                         const char           *image,
                                         const char           *dest,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_build_machine_push_finish (HeroVirtBuildMachine *self,
                                           GAsyncResult         *result,
                                           GError              **error);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_build_machine_stop (HeroVirtBuildMachine *self,
                                       GCancellable         *cancellable,
                                       GError              **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_build_machine_stop_async (HeroVirtBuildMachine *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_build_machine_stop_finish (HeroVirtBuildMachine *self,
                                              GAsyncResult         *result,
                                              GError              **error);

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_build_machine_get_name (HeroVirtBuildMachine *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_build_machine_get_namespace (HeroVirtBuildMachine *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtPodExecutor *hero_virt_build_machine_get_executor (HeroVirtBuildMachine *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_build_machine_is_running (HeroVirtBuildMachine *self);

G_END_DECLS
