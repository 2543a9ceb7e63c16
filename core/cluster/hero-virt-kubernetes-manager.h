/* hero-virt-kubernetes-manager.h: a namespace of a Kubernetes cluster
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "hero-virt-types.h"
#include "hero-virt-cluster-provider.h"
#include "hero-virt-kubernetes-config.h"
#include "hero-virt-port-forward.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_KUBERNETES_MANAGER (hero_virt_kubernetes_manager_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtKubernetesManager,
                      hero_virt_kubernetes_manager,
                      HERO_VIRT,
                      KUBERNETES_MANAGER,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubernetesManager *hero_virt_kubernetes_manager_new (const char *namespace, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubernetesManager *hero_virt_kubernetes_manager_new_full (const char *namespace,
                                                                  const char *kubeconfig,
                                                                  const char *context,
                                                                  HeroVirtKubernetesConfig *config,
                                                                  GError                  **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubernetesManager *
hero_virt_kubernetes_manager_new_for_provider (const char *namespace,
                                               HeroVirtClusterProvider *provider);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_kubernetes_manager_get_namespace (HeroVirtKubernetesManager *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubernetesConfig *hero_virt_kubernetes_manager_get_config (HeroVirtKubernetesManager *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterProvider *
hero_virt_kubernetes_manager_get_provider (HeroVirtKubernetesManager *self);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kubernetes_manager_namespace_exists (HeroVirtKubernetesManager *self,
                                                        const char                *name,
                                                        GCancellable              *cancellable,
                                                        GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_kubernetes_manager_namespace_exists_async (HeroVirtKubernetesManager *self,
                                                          const char                *name,
                                                          GCancellable              *cancellable,
                                                          GAsyncReadyCallback        callback,
                                                          gpointer                   user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kubernetes_manager_namespace_exists_finish (HeroVirtKubernetesManager *self,
                                                               GAsyncResult              *result,
                                                               GError                   **error);

HERO_VIRT_AVAILABLE_IN_ALL
GHashTable *hero_virt_kubernetes_manager_resource_counts (HeroVirtKubernetesManager *self,
                                                          GCancellable              *cancellable,
                                                          GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
char **hero_virt_kubernetes_manager_delete (HeroVirtKubernetesManager *self,
                                            const char                *pattern,
                                            gboolean                   dry_run,
                                            GCancellable              *cancellable,
                                            GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_kubernetes_manager_delete_async (HeroVirtKubernetesManager *self,
                                                const char                *pattern,
                                                gboolean                   dry_run,
                                                GCancellable              *cancellable,
                                                GAsyncReadyCallback        callback,
                                                gpointer                   user_data);
HERO_VIRT_AVAILABLE_IN_ALL
char **hero_virt_kubernetes_manager_delete_finish (HeroVirtKubernetesManager *self,
                                                   GAsyncResult              *result,
                                                   GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kubernetes_manager_deploy_application (HeroVirtKubernetesManager *self,
                                                          const char                *name,
                                                          const char                *image,
                                                          int                        replicas,
                                                          int                        port,
                                                          const char *const         *labels,
                                                          const char *const         *env,
                                                          GCancellable              *cancellable,
                                                          GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
JsonNode *hero_virt_kubernetes_manager_wait_for (HeroVirtKubernetesManager *self,
                                                 HeroVirtClusterKind       *kind,
                                                 const char                *name,
                                                 const char                *condition,
                                                 guint                      timeout_ms,
                                                 GCancellable              *cancellable,
                                                 GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_kubernetes_manager_apply_yaml (HeroVirtKubernetesManager *self,
                                                    const char                *yaml,
                                                    gboolean                   force,
                                                    GCancellable              *cancellable,
                                                    GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_kubernetes_manager_resource_counts_async (HeroVirtKubernetesManager *self,
                                                         GCancellable              *cancellable,
                                                         GAsyncReadyCallback        callback,
                                                         gpointer                   user_data);
HERO_VIRT_AVAILABLE_IN_ALL
GHashTable *hero_virt_kubernetes_manager_resource_counts_finish (HeroVirtKubernetesManager *self,
                                                                 GAsyncResult              *result,
                                                                 GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_kubernetes_manager_deploy_application_async (HeroVirtKubernetesManager *self,
                                                            const char                *name,
                                                            const char                *image,
                                                            int                        replicas,
                                                            int                        port,
                                                            const char *const         *labels,
                                                            const char *const         *env,
                                                            GCancellable              *cancellable,
                                                            GAsyncReadyCallback        callback,
                                                            gpointer                   user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kubernetes_manager_deploy_application_finish (HeroVirtKubernetesManager *self,
                                                                 GAsyncResult              *result,
                                                                 GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_kubernetes_manager_wait_for_async (HeroVirtKubernetesManager *self,
                                                  HeroVirtClusterKind       *kind,
                                                  const char                *name,
                                                  const char                *condition,
                                                  guint                      timeout_ms,
                                                  GCancellable              *cancellable,
                                                  GAsyncReadyCallback        callback,
                                                  gpointer                   user_data);
HERO_VIRT_AVAILABLE_IN_ALL
JsonNode *hero_virt_kubernetes_manager_wait_for_finish (HeroVirtKubernetesManager *self,
                                                        GAsyncResult              *result,
                                                        GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_kubernetes_manager_apply_yaml_async (HeroVirtKubernetesManager *self,
                                                    const char                *yaml,
                                                    gboolean                   force,
                                                    GCancellable              *cancellable,
                                                    GAsyncReadyCallback        callback,
                                                    gpointer                   user_data);
HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_kubernetes_manager_apply_yaml_finish (HeroVirtKubernetesManager *self,
                                                           GAsyncResult              *result,
                                                           GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterWatch *
hero_virt_kubernetes_manager_watch_resumable (HeroVirtKubernetesManager  *self,
                                              HeroVirtClusterKind        *kind,
                                              HeroVirtClusterListOptions *options,
                                              GError                    **error);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kubernetes_manager_cp_from (HeroVirtKubernetesManager *self,
                                               const char                *pod,
                                               const char                *container,
                                               const char                *remote_path,
                                               const char                *local_path,
                                               GCancellable              *cancellable,
                                               GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_kubernetes_manager_cp_from_async (HeroVirtKubernetesManager *self,
                                                 const char                *pod,
                                                 const char                *container,
                                                 const char                *remote_path,
                                                 const char                *local_path,
                                                 GCancellable              *cancellable,
                                                 GAsyncReadyCallback        callback,
                                                 gpointer                   user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kubernetes_manager_cp_from_finish (HeroVirtKubernetesManager *self,
                                                      GAsyncResult              *result,
                                                      GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kubernetes_manager_cp_to (HeroVirtKubernetesManager *self,
                                             const char                *local_path,
                                             const char                *pod,
                                             const char                *container,
                                             const char                *remote_path,
                                             GCancellable              *cancellable,
                                             GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_kubernetes_manager_cp_to_async (HeroVirtKubernetesManager *self,
                                               const char                *local_path,
                                               const char                *pod,
                                               const char                *container,
                                               const char                *remote_path,
                                               GCancellable              *cancellable,
                                               GAsyncReadyCallback        callback,
                                               gpointer                   user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kubernetes_manager_cp_to_finish (HeroVirtKubernetesManager *self,
                                                    GAsyncResult              *result,
                                                    GError                   **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtPortForward *hero_virt_kubernetes_manager_port_forward (HeroVirtKubernetesManager *self,
                                                                const char                *pod,
                                                                guint    local_port,
                                                                guint    remote_port,
                                                                GError **error);

G_END_DECLS

#include "hero-virt-kubernetes-manager-object.h"
