/* hero-virt-registry-deployer.h: a container registry in the cluster
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-kubernetes-manager.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_REGISTRY_DEPLOYER (hero_virt_registry_deployer_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtRegistryDeployer,
                      hero_virt_registry_deployer,
                      HERO_VIRT,
                      REGISTRY_DEPLOYER,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtRegistryDeployer *hero_virt_registry_deployer_new (HeroVirtKubernetesManager *manager,
                                                           const char                *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtRegistryDeployer *hero_virt_registry_deployer_namespace (HeroVirtRegistryDeployer *self,
                                                                 const char *namespace);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtRegistryDeployer *hero_virt_registry_deployer_image (HeroVirtRegistryDeployer *self,
                                                             const char               *image);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtRegistryDeployer *hero_virt_registry_deployer_node_port (HeroVirtRegistryDeployer *self,
                                                                 int                       port);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtRegistryDeployer *hero_virt_registry_deployer_cluster_ip (HeroVirtRegistryDeployer *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtRegistryDeployer *
hero_virt_registry_deployer_storage_empty_dir (HeroVirtRegistryDeployer *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtRegistryDeployer *hero_virt_registry_deployer_storage_pvc (HeroVirtRegistryDeployer *self,
                                                                   const char               *claim);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtRegistryDeployer *hero_virt_registry_deployer_auth (HeroVirtRegistryDeployer *self,
                                                            const char               *username,
                                                            const char               *password);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtRegistryDeployer *hero_virt_registry_deployer_tls_secret (HeroVirtRegistryDeployer *self,
                                                                  const char               *secret);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtRegistryDeployer *hero_virt_registry_deployer_endpoint_host (HeroVirtRegistryDeployer *self,
                                                                     const char *host);

HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_registry_deployer_build (HeroVirtRegistryDeployer *self,
                                              GCancellable             *cancellable,
                                              GError                  **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_registry_deployer_deploy (HeroVirtRegistryDeployer *self,
                                             guint                     timeout_ms,
                                             GCancellable             *cancellable,
                                             GError                  **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_registry_deployer_deploy_async (HeroVirtRegistryDeployer *self,
                                               guint                     timeout_ms,
                                               GCancellable             *cancellable,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_registry_deployer_deploy_finish (HeroVirtRegistryDeployer *self,
                                                    GAsyncResult             *result,
                                                    GError                  **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_registry_deployer_remove (HeroVirtRegistryDeployer *self,
                                             GCancellable             *cancellable,
                                             GError                  **error);

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_registry_deployer_get_name (HeroVirtRegistryDeployer *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_registry_deployer_get_endpoint (HeroVirtRegistryDeployer *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_registry_deployer_get_username (HeroVirtRegistryDeployer *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_registry_deployer_get_password (HeroVirtRegistryDeployer *self);

G_END_DECLS
