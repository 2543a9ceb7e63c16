/* hero-virt-container-private.h: the container spec's internals, the
 * Container's state and the hooks its generated methods call
 * (container-object.json, container-functions.json); never installed
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "hero-virt-private.h"

G_BEGIN_DECLS

/* A ContainerBuilder edits a draft spec that never leaves it and hands
 * out validated copies. The property ids are shared, so the builder's
 * properties mirror the spec's; the health check is the exception (the
 * builder holds a HeroVirtHealthCheck, the spec its flattened values). */
enum
{
  CONTAINER_SPEC_PROP_0,
  CONTAINER_SPEC_PROP_NAME,
  CONTAINER_SPEC_PROP_IMAGE,
  CONTAINER_SPEC_PROP_PORTS,
  CONTAINER_SPEC_PROP_VOLUMES,
  CONTAINER_SPEC_PROP_ENV,
  CONTAINER_SPEC_PROP_NETWORK,
  CONTAINER_SPEC_PROP_NETWORK_ALIASES,
  CONTAINER_SPEC_PROP_CPU_LIMIT,
  CONTAINER_SPEC_PROP_MEMORY_LIMIT,
  CONTAINER_SPEC_PROP_MEMORY_SWAP_LIMIT,
  CONTAINER_SPEC_PROP_CPU_SHARES,
  CONTAINER_SPEC_PROP_RESTART_POLICY,
  CONTAINER_SPEC_PROP_DETACH,
  CONTAINER_SPEC_PROP_SNAPSHOTTER,
  CONTAINER_SPEC_PROP_RUNTIME,
  CONTAINER_SPEC_PROP_ANNOTATIONS,
  CONTAINER_SPEC_PROP_LABELS,
  CONTAINER_SPEC_PROP_PRIVILEGED,
  CONTAINER_SPEC_PROP_DEVICES,
  CONTAINER_SPEC_PROP_ENTRYPOINT,
  CONTAINER_SPEC_PROP_COMMAND,
  CONTAINER_SPEC_N_SHARED,
  CONTAINER_SPEC_PROP_HEALTH_CMD = CONTAINER_SPEC_N_SHARED,
  CONTAINER_SPEC_PROP_HEALTH_INTERVAL,
  CONTAINER_SPEC_PROP_HEALTH_TIMEOUT,
  CONTAINER_SPEC_PROP_HEALTH_RETRIES,
  CONTAINER_SPEC_PROP_HEALTH_START_PERIOD,
  CONTAINER_SPEC_N_PROPS
};

/* Fills pspecs[1 .. n - 1] (n is CONTAINER_SPEC_N_SHARED or _N_PROPS). */
void _hero_virt_container_spec_make_pspecs (GParamSpec **pspecs, guint n, GParamFlags flags);

HeroVirtContainerSpec *_hero_virt_container_spec_new_draft (void);
void _hero_virt_container_spec_get_prop (HeroVirtContainerSpec *self, guint prop_id, GValue *value);
/* Returns whether the value changed, so the builder knows to notify. */
gboolean _hero_virt_container_spec_set_prop (HeroVirtContainerSpec *self,
                                             guint                  prop_id,
                                             const GValue          *value);
/* Appends @item (taken) to the list property @prop_id. */
void _hero_virt_container_spec_add_item (HeroVirtContainerSpec *self, guint prop_id, char *item);
gboolean _hero_virt_container_spec_validate (HeroVirtContainerSpec *self, GError **error);
/* A copy of @draft with @health_check's settings, validated; or NULL. */
HeroVirtContainerSpec *_hero_virt_container_spec_snapshot (HeroVirtContainerSpec *draft,
                                                           HeroVirtHealthCheck   *health_check,
                                                           GError               **error);

struct _HeroVirtContainer
{
  GObject parent_instance;

  char                      *name;
  char                      *id;
  char                      *provider_name;
  HeroVirtExecutor          *executor;
  HeroVirtContainerProvider *provider;
  GMutex                     lock;
};

/* The provider @name, or the default one for @executor. */
HeroVirtContainerProvider *_hero_virt_container_find_provider (const char       *name,
                                                               HeroVirtExecutor *executor,
                                                               GCancellable     *cancellable,
                                                               GError          **error);
/* What the provider is told: the container's ID when known, else its name. */
const char *_hero_virt_container_ref (HeroVirtContainer *self);
gboolean    _hero_virt_container_check_ref (HeroVirtContainer *self, GError **error);
gboolean    _hero_virt_container_check_argv (const char *const *argv, GError **error);

G_END_DECLS
