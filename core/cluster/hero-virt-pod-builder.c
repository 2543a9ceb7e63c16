/* hero-virt-pod-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-kube-builders-private.h"

/**
 * HeroVirtPodBuilder:
 *
 * A `v1` Pod: the containers, volumes and scheduling of
 * [class@HeroVirt.KubeWorkloadBuilder], the labels and annotations of
 * [class@HeroVirt.KubeResourceBuilder]. A pod's spec is mostly immutable:
 * applying a changed container image works, most other changes are
 * refused by the API server (delete and apply again).
 *
 * ```python
 * pod = (HeroVirt.PodBuilder.new(km, "debug")
 *        .image("busybox:1.36").command(["sleep", "3600"])
 *        .restart_policy("Never"))
 * pod.apply(None)
 * ```
 *
 * Since: 0.1
 */
struct _HeroVirtPodBuilder
{
  HeroVirtKubeWorkloadBuilder parent_instance;
};

G_DEFINE_FINAL_TYPE (HeroVirtPodBuilder,
                     hero_virt_pod_builder,
                     HERO_VIRT_TYPE_KUBE_WORKLOAD_BUILDER)

static gboolean
hero_virt_pod_builder_build_into (HeroVirtKubeResourceBuilder *builder,
                                  JsonObject                  *object,
                                  GError                     **error)
{
  JsonObject *spec = _hero_virt_kube_workload_builder_pod_spec (
      HERO_VIRT_KUBE_WORKLOAD_BUILDER (builder), "spec", error);

  if (spec == NULL)
    return FALSE;
  json_object_set_object_member (object, "spec", spec);
  return TRUE;
}

static void
hero_virt_pod_builder_class_init (HeroVirtPodBuilderClass *klass)
{
  HERO_VIRT_KUBE_RESOURCE_BUILDER_CLASS (klass)->build_into = hero_virt_pod_builder_build_into;
}

static void
hero_virt_pod_builder_init (HeroVirtPodBuilder *self)
{
  _hero_virt_kube_resource_builder_set_kind (HERO_VIRT_KUBE_RESOURCE_BUILDER (self), "v1", "Pod");
}

/**
 * hero_virt_pod_builder_new:
 * @manager: (nullable): the manager to apply it through (its namespace
 *   is the pod's), or %NULL to only build
 * @name: the pod's name (a DNS-1123 subdomain; its first container is
 *   named after it, so a DNS-1123 label unless you name that one)
 *
 * Returns: (transfer full): a pod builder
 *
 * Since: 0.1
 */
HeroVirtPodBuilder *
hero_virt_pod_builder_new (HeroVirtKubernetesManager *manager, const char *name)
{
  g_return_val_if_fail (manager == NULL || HERO_VIRT_IS_KUBERNETES_MANAGER (manager), NULL);
  return g_object_new (HERO_VIRT_TYPE_POD_BUILDER, "manager", manager, "name", name, NULL);
}
