/* hero-virt-kube-workload-builder.h: what pod and deployment builders
 * share: containers, volumes, scheduling
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-kube-resource-builder.h"
#include "hero-virt-kube-probe.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_KUBE_WORKLOAD_BUILDER (hero_virt_kube_workload_builder_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (HeroVirtKubeWorkloadBuilder,
                          hero_virt_kube_workload_builder,
                          HERO_VIRT,
                          KUBE_WORKLOAD_BUILDER,
                          HeroVirtKubeResourceBuilder)

/**
 * HeroVirtKubeWorkloadBuilderClass:
 * @parent_class: the parent class
 *
 * The class of the pod and deployment builders.
 *
 * Since: 0.1
 */
struct _HeroVirtKubeWorkloadBuilderClass
{
  HeroVirtKubeResourceBuilderClass parent_class;

  /*< private >*/
  gpointer padding[8];
};

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_container (HeroVirtKubeWorkloadBuilder *self, const char *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_image (HeroVirtKubeWorkloadBuilder *self, const char *image);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_image_pull_policy (HeroVirtKubeWorkloadBuilder *self,
                                                   const char                  *policy);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_command (HeroVirtKubeWorkloadBuilder *self,
                                         const char *const           *command);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_args (HeroVirtKubeWorkloadBuilder *self, const char *const *args);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_working_dir (HeroVirtKubeWorkloadBuilder *self, const char *dir);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *hero_virt_kube_workload_builder_env (HeroVirtKubeWorkloadBuilder *self,
                                                                  const char                  *name,
                                                                  const char *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_env_from_config_map (HeroVirtKubeWorkloadBuilder *self,
                                                     const char                  *name,
                                                     const char                  *config_map,
                                                     const char                  *key);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_env_from_secret (HeroVirtKubeWorkloadBuilder *self,
                                                 const char                  *name,
                                                 const char                  *secret,
                                                 const char                  *key);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_port (HeroVirtKubeWorkloadBuilder *self, int port);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_port_full (HeroVirtKubeWorkloadBuilder *self,
                                           const char                  *name,
                                           int                          port,
                                           const char                  *protocol);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_requests (HeroVirtKubeWorkloadBuilder *self,
                                          const char                  *cpu,
                                          const char                  *memory);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_limits (HeroVirtKubeWorkloadBuilder *self,
                                        const char                  *cpu,
                                        const char                  *memory);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_readiness_probe (HeroVirtKubeWorkloadBuilder *self,
                                                 HeroVirtKubeProbe           *probe);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_liveness_probe (HeroVirtKubeWorkloadBuilder *self,
                                                HeroVirtKubeProbe           *probe);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_startup_probe (HeroVirtKubeWorkloadBuilder *self,
                                               HeroVirtKubeProbe           *probe);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_privileged (HeroVirtKubeWorkloadBuilder *self, gboolean privileged);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_volume_config_map (HeroVirtKubeWorkloadBuilder *self,
                                                   const char                  *volume,
                                                   const char                  *config_map,
                                                   const char                  *mount_path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_volume_secret (HeroVirtKubeWorkloadBuilder *self,
                                               const char                  *volume,
                                               const char                  *secret,
                                               const char                  *mount_path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_volume_empty_dir (HeroVirtKubeWorkloadBuilder *self,
                                                  const char                  *volume,
                                                  const char                  *mount_path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_volume_host_path (HeroVirtKubeWorkloadBuilder *self,
                                                  const char                  *volume,
                                                  const char                  *host_path,
                                                  const char                  *mount_path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_volume_pvc (HeroVirtKubeWorkloadBuilder *self,
                                            const char                  *volume,
                                            const char                  *claim,
                                            const char                  *mount_path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_mount (HeroVirtKubeWorkloadBuilder *self,
                                       const char                  *volume,
                                       const char                  *mount_path,
                                       gboolean                     read_only);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_node_selector (HeroVirtKubeWorkloadBuilder *self,
                                               const char                  *key,
                                               const char                  *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_restart_policy (HeroVirtKubeWorkloadBuilder *self,
                                                const char                  *policy);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_service_account (HeroVirtKubeWorkloadBuilder *self,
                                                 const char                  *name);

G_END_DECLS
