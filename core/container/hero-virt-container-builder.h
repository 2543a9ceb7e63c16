/* hero-virt-container-builder.h: a fluent description of a container
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"
#include "hero-virt-executor.h"
#include "hero-virt-health-check.h"
#include "hero-virt-container-spec.h"

G_BEGIN_DECLS

typedef struct _HeroVirtContainer HeroVirtContainer;

#define HERO_VIRT_TYPE_CONTAINER_BUILDER (hero_virt_container_builder_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtContainerBuilder,
                      hero_virt_container_builder,
                      HERO_VIRT,
                      CONTAINER_BUILDER,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *hero_virt_container_builder_new (const char *name, const char *image);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *hero_virt_container_builder_set_name (HeroVirtContainerBuilder *self,
                                                                const char               *name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *hero_virt_container_builder_set_image (HeroVirtContainerBuilder *self,
                                                                 const char               *image);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *hero_virt_container_builder_add_port (HeroVirtContainerBuilder *self,
                                                                guint                     host_port,
                                                                guint container_port);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *hero_virt_container_builder_add_port_full (HeroVirtContainerBuilder *self,
                                                                     const char *host_ip,
                                                                     guint       host_port,
                                                                     guint       container_port,
                                                                     const char *protocol);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *hero_virt_container_builder_add_volume (HeroVirtContainerBuilder *self,
                                                                  const char               *source,
                                                                  const char               *target,
                                                                  gboolean read_only);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *hero_virt_container_builder_add_env (HeroVirtContainerBuilder *self,
                                                               const char               *key,
                                                               const char               *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *hero_virt_container_builder_set_network (HeroVirtContainerBuilder *self,
                                                                   const char *network);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *
hero_virt_container_builder_add_network_alias (HeroVirtContainerBuilder *self, const char *alias);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *hero_virt_container_builder_set_cpu_limit (HeroVirtContainerBuilder *self,
                                                                     double cpu_limit);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *
hero_virt_container_builder_set_memory_limit (HeroVirtContainerBuilder *self,
                                              const char               *memory_limit);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *
hero_virt_container_builder_set_memory_swap_limit (HeroVirtContainerBuilder *self,
                                                   const char               *memory_swap_limit);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *
hero_virt_container_builder_set_cpu_shares (HeroVirtContainerBuilder *self, guint cpu_shares);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *
hero_virt_container_builder_set_restart_policy (HeroVirtContainerBuilder *self,
                                                const char               *restart_policy);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *
hero_virt_container_builder_set_health_check (HeroVirtContainerBuilder *self,
                                              HeroVirtHealthCheck      *health_check);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *hero_virt_container_builder_set_detach (HeroVirtContainerBuilder *self,
                                                                  gboolean                  detach);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *
hero_virt_container_builder_set_snapshotter (HeroVirtContainerBuilder *self,
                                             const char               *snapshotter);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *hero_virt_container_builder_set_runtime (HeroVirtContainerBuilder *self,
                                                                   const char *runtime);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *
hero_virt_container_builder_add_annotation (HeroVirtContainerBuilder *self,
                                            const char               *key,
                                            const char               *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *hero_virt_container_builder_add_label (HeroVirtContainerBuilder *self,
                                                                 const char               *key,
                                                                 const char               *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *
hero_virt_container_builder_set_privileged (HeroVirtContainerBuilder *self, gboolean privileged);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *hero_virt_container_builder_add_device (HeroVirtContainerBuilder *self,
                                                                  const char               *device);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *
hero_virt_container_builder_set_entrypoint (HeroVirtContainerBuilder *self,
                                            const char *const        *entrypoint);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *hero_virt_container_builder_set_command (HeroVirtContainerBuilder *self,
                                                                   const char *const *command);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *hero_virt_container_builder_set_executor (HeroVirtContainerBuilder *self,
                                                                    HeroVirtExecutor *executor);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerBuilder *
hero_virt_container_builder_set_provider_name (HeroVirtContainerBuilder *self,
                                               const char               *provider_name);

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_builder_get_name (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_builder_get_image (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_builder_get_ports (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_builder_get_volumes (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_builder_get_env (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_builder_get_network (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_builder_get_network_aliases (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
double hero_virt_container_builder_get_cpu_limit (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_builder_get_memory_limit (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_builder_get_memory_swap_limit (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_container_builder_get_cpu_shares (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_builder_get_restart_policy (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtHealthCheck *hero_virt_container_builder_get_health_check (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_builder_get_detach (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_builder_get_snapshotter (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_builder_get_runtime (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_builder_get_annotations (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_builder_get_labels (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_builder_get_privileged (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_builder_get_devices (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_builder_get_entrypoint (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_builder_get_command (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtExecutor *hero_virt_container_builder_get_executor (HeroVirtContainerBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_builder_get_provider_name (HeroVirtContainerBuilder *self);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_builder_validate (HeroVirtContainerBuilder *self, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainerSpec *hero_virt_container_builder_build_spec (HeroVirtContainerBuilder *self,
                                                               GError                  **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainer *hero_virt_container_builder_build (HeroVirtContainerBuilder *self,
                                                      GCancellable             *cancellable,
                                                      GError                  **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_builder_build_async (HeroVirtContainerBuilder *self,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtContainer *hero_virt_container_builder_build_finish (HeroVirtContainerBuilder *self,
                                                             GAsyncResult             *result,
                                                             GError                  **error);

G_END_DECLS
