/* hero-virt-kube.h: Kubernetes resources and errors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "hero-virt-types.h"
#include "hero-virt-cluster-kind.h"
#include "hero-virt-cluster-provider.h"

G_BEGIN_DECLS

HERO_VIRT_AVAILABLE_IN_ALL
JsonNode *
hero_virt_kube_resource_new (HeroVirtClusterKind *kind, const char *namespace, const char *name);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_kube_resource_get_api_version (JsonNode *resource);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_kube_resource_get_kind (JsonNode *resource);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_kube_resource_get_name (JsonNode *resource);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_kube_resource_get_namespace (JsonNode *resource);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_kube_resource_get_uid (JsonNode *resource);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_kube_resource_get_resource_version (JsonNode *resource);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_kube_resource_get_label (JsonNode *resource, const char *key);
HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_kube_list_get_items (JsonNode *list);

HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_kube_parse_yaml (const char *yaml, gssize length, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_kube_set_error_from_status (GError **error, guint http_status, JsonNode *status);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_cluster_provider_namespace_exists (HeroVirtClusterProvider *self,
                                                      HeroVirtExecutor        *executor,
                                                      const char              *name,
                                                      GCancellable            *cancellable,
                                                      GError                 **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_cluster_provider_namespace_exists_async (HeroVirtClusterProvider *self,
                                                        HeroVirtExecutor        *executor,
                                                        const char              *name,
                                                        GCancellable            *cancellable,
                                                        GAsyncReadyCallback      callback,
                                                        gpointer                 user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_cluster_provider_namespace_exists_finish (HeroVirtClusterProvider *self,
                                                             GAsyncResult            *result,
                                                             GError                 **error);

G_END_DECLS
