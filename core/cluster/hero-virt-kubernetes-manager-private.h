/* hero-virt-kubernetes-manager-private.h: the manager's state and the
 * hooks its generated methods (kubernetes-manager-object.json) call;
 * never installed
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "hero-virt-private.h"

G_BEGIN_DECLS

struct _HeroVirtKubernetesManager
{
  GObject parent_instance;

  char *namespace; /* NULL: the kubeconfig context's */
  HeroVirtKubernetesConfig *config;
  HeroVirtClusterProvider  *provider;
};

HeroVirtClusterProvider             *
_hero_virt_kubernetes_manager_lookup_provider (HeroVirtKubernetesManager *self,
                                                           GCancellable              *cancellable,
                                                           GError                   **error);
const char *_hero_virt_kubernetes_manager_ns (HeroVirtKubernetesManager *self,
                                              HeroVirtClusterKind       *kind);

JsonNode *_hero_virt_kube_pod_new (const char        *name,
                                   const char        *image,
                                   const char *const *labels,
                                   const char *const *env,
                                   GError           **error);
JsonNode *_hero_virt_kube_service_new (const char        *name,
                                       const char *const *selector,
                                       int                port,
                                       int                target_port,
                                       GError           **error);
JsonNode *_hero_virt_kube_deployment_new (const char        *name,
                                          const char        *image,
                                          int                replicas,
                                          const char *const *labels,
                                          const char *const *env,
                                          GError           **error);
JsonNode *_hero_virt_kube_configmap_new (const char *name, const char *const *data, GError **error);
JsonNode *_hero_virt_kube_secret_new (const char        *name,
                                      const char *const *data,
                                      const char        *secret_type,
                                      GError           **error);

G_END_DECLS
