/* hero-virt-container-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>

#include <string.h>

#include "hero-virt-private.h"

/**
 * HeroVirtContainerBuilder:
 *
 * Describes a container the way `podman run` / `nerdctl run` flags do, and
 * creates and starts it with [method@HeroVirt.ContainerBuilder.build]:
 * name, image, published ports (with host IP and protocol), volumes
 * (read-only too), environment, network and aliases, CPU and memory (and
 * swap) limits, CPU shares, restart policy, health check, detach,
 * snapshotter, runtime, annotations, labels, privileged mode, devices,
 * entrypoint and command.
 *
 * Every setter returns the builder, so calls chain; every setting is also a
 * property, so `HeroVirt.ContainerBuilder(name="web", image="localhost/web:1")`
 * works from Python. Everything is checked by
 * [method@HeroVirt.ContainerBuilder.validate] before any command runs: a
 * name such as `--privileged` or `x; rm -rf /` is refused, never passed on.
 *
 * ```c
 * g_autoptr(HeroVirtContainerBuilder) b = hero_virt_container_builder_new ("web",
 * "localhost/web:1"); hero_virt_container_builder_add_port (b, 8080, 80);
 * hero_virt_container_builder_set_memory_limit (b, "64m");
 * g_autoptr(HeroVirtContainer) web = hero_virt_container_builder_build (b, NULL, &error);
 * ```
 *
 * Since: 0.1
 */
struct _HeroVirtContainerBuilder
{
  GObject parent_instance;

  char                *name;
  char                *image;
  GPtrArray           *ports;
  GPtrArray           *volumes;
  GPtrArray           *env;
  char                *network;
  GPtrArray           *network_aliases;
  double               cpu_limit;
  char                *memory_limit;
  char                *memory_swap_limit;
  guint                cpu_shares;
  char                *restart_policy;
  HeroVirtHealthCheck *health_check;
  gboolean             detach;
  char                *snapshotter;
  char                *runtime;
  GPtrArray           *annotations;
  GPtrArray           *labels;
  gboolean             privileged;
  GPtrArray           *devices;
  GPtrArray           *entrypoint;
  GPtrArray           *command;
  HeroVirtExecutor    *executor;
  char                *provider_name;
};

enum
{
  PROP_0,
  PROP_NAME,
  PROP_IMAGE,
  PROP_PORTS,
  PROP_VOLUMES,
  PROP_ENV,
  PROP_NETWORK,
  PROP_NETWORK_ALIASES,
  PROP_CPU_LIMIT,
  PROP_MEMORY_LIMIT,
  PROP_MEMORY_SWAP_LIMIT,
  PROP_CPU_SHARES,
  PROP_RESTART_POLICY,
  PROP_HEALTH_CHECK,
  PROP_DETACH,
  PROP_SNAPSHOTTER,
  PROP_RUNTIME,
  PROP_ANNOTATIONS,
  PROP_LABELS,
  PROP_PRIVILEGED,
  PROP_DEVICES,
  PROP_ENTRYPOINT,
  PROP_COMMAND,
  PROP_EXECUTOR,
  PROP_PROVIDER_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtContainerBuilder, hero_virt_container_builder, G_TYPE_OBJECT)

static GPtrArray *
strv_array_new (void)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (array, NULL);
  return array;
}

static void
strv_array_set (GPtrArray **array, const char *const *strv)
{
  g_clear_pointer (array, g_ptr_array_unref);
  if (strv == NULL)
    return;
  *array = strv_array_new ();
  for (guint i = 0; strv[i] != NULL; i++)
    g_ptr_array_insert (*array, (*array)->len - 1, g_strdup (strv[i]));
}

static void
strv_array_add (GPtrArray **array, char *item)
{
  if (*array == NULL)
    *array = strv_array_new ();
  g_ptr_array_insert (*array, (*array)->len - 1, item);
}

static const char *const *
strv_array_get (GPtrArray *array)
{
  return array ? (const char *const *)array->pdata : NULL;
}

static void
hero_virt_container_builder_finalize (GObject *object)
{
  HeroVirtContainerBuilder *self = HERO_VIRT_CONTAINER_BUILDER (object);

  g_free (self->name);
  g_free (self->image);
  g_clear_pointer (&self->ports, g_ptr_array_unref);
  g_clear_pointer (&self->volumes, g_ptr_array_unref);
  g_clear_pointer (&self->env, g_ptr_array_unref);
  g_free (self->network);
  g_clear_pointer (&self->network_aliases, g_ptr_array_unref);
  g_free (self->memory_limit);
  g_free (self->memory_swap_limit);
  g_free (self->restart_policy);
  g_clear_object (&self->health_check);
  g_free (self->snapshotter);
  g_free (self->runtime);
  g_clear_pointer (&self->annotations, g_ptr_array_unref);
  g_clear_pointer (&self->labels, g_ptr_array_unref);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_clear_pointer (&self->entrypoint, g_ptr_array_unref);
  g_clear_pointer (&self->command, g_ptr_array_unref);
  g_clear_object (&self->executor);
  g_free (self->provider_name);

  G_OBJECT_CLASS (hero_virt_container_builder_parent_class)->finalize (object);
}

static void
hero_virt_container_builder_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  HeroVirtContainerBuilder *self = HERO_VIRT_CONTAINER_BUILDER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_IMAGE:
      g_value_set_string (value, self->image);
      break;
    case PROP_PORTS:
      g_value_set_boxed (value, strv_array_get (self->ports));
      break;
    case PROP_VOLUMES:
      g_value_set_boxed (value, strv_array_get (self->volumes));
      break;
    case PROP_ENV:
      g_value_set_boxed (value, strv_array_get (self->env));
      break;
    case PROP_NETWORK:
      g_value_set_string (value, self->network);
      break;
    case PROP_NETWORK_ALIASES:
      g_value_set_boxed (value, strv_array_get (self->network_aliases));
      break;
    case PROP_CPU_LIMIT:
      g_value_set_double (value, self->cpu_limit);
      break;
    case PROP_MEMORY_LIMIT:
      g_value_set_string (value, self->memory_limit);
      break;
    case PROP_MEMORY_SWAP_LIMIT:
      g_value_set_string (value, self->memory_swap_limit);
      break;
    case PROP_CPU_SHARES:
      g_value_set_uint (value, self->cpu_shares);
      break;
    case PROP_RESTART_POLICY:
      g_value_set_string (value, self->restart_policy);
      break;
    case PROP_HEALTH_CHECK:
      g_value_set_object (value, self->health_check);
      break;
    case PROP_DETACH:
      g_value_set_boolean (value, self->detach);
      break;
    case PROP_SNAPSHOTTER:
      g_value_set_string (value, self->snapshotter);
      break;
    case PROP_RUNTIME:
      g_value_set_string (value, self->runtime);
      break;
    case PROP_ANNOTATIONS:
      g_value_set_boxed (value, strv_array_get (self->annotations));
      break;
    case PROP_LABELS:
      g_value_set_boxed (value, strv_array_get (self->labels));
      break;
    case PROP_PRIVILEGED:
      g_value_set_boolean (value, self->privileged);
      break;
    case PROP_DEVICES:
      g_value_set_boxed (value, strv_array_get (self->devices));
      break;
    case PROP_ENTRYPOINT:
      g_value_set_boxed (value, strv_array_get (self->entrypoint));
      break;
    case PROP_COMMAND:
      g_value_set_boxed (value, strv_array_get (self->command));
      break;
    case PROP_EXECUTOR:
      g_value_set_object (value, self->executor);
      break;
    case PROP_PROVIDER_NAME:
      g_value_set_string (value, self->provider_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_container_builder_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  HeroVirtContainerBuilder *self = HERO_VIRT_CONTAINER_BUILDER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;
    case PROP_IMAGE:
      g_free (self->image);
      self->image = g_value_dup_string (value);
      break;
    case PROP_PORTS:
      strv_array_set (&self->ports, g_value_get_boxed (value));
      break;
    case PROP_VOLUMES:
      strv_array_set (&self->volumes, g_value_get_boxed (value));
      break;
    case PROP_ENV:
      strv_array_set (&self->env, g_value_get_boxed (value));
      break;
    case PROP_NETWORK:
      g_free (self->network);
      self->network = g_value_dup_string (value);
      break;
    case PROP_NETWORK_ALIASES:
      strv_array_set (&self->network_aliases, g_value_get_boxed (value));
      break;
    case PROP_CPU_LIMIT:
      self->cpu_limit = g_value_get_double (value);
      break;
    case PROP_MEMORY_LIMIT:
      g_free (self->memory_limit);
      self->memory_limit = g_value_dup_string (value);
      break;
    case PROP_MEMORY_SWAP_LIMIT:
      g_free (self->memory_swap_limit);
      self->memory_swap_limit = g_value_dup_string (value);
      break;
    case PROP_CPU_SHARES:
      self->cpu_shares = g_value_get_uint (value);
      break;
    case PROP_RESTART_POLICY:
      g_free (self->restart_policy);
      self->restart_policy = g_value_dup_string (value);
      break;
    case PROP_HEALTH_CHECK:
      g_set_object (&self->health_check, g_value_get_object (value));
      break;
    case PROP_DETACH:
      self->detach = g_value_get_boolean (value);
      break;
    case PROP_SNAPSHOTTER:
      g_free (self->snapshotter);
      self->snapshotter = g_value_dup_string (value);
      break;
    case PROP_RUNTIME:
      g_free (self->runtime);
      self->runtime = g_value_dup_string (value);
      break;
    case PROP_ANNOTATIONS:
      strv_array_set (&self->annotations, g_value_get_boxed (value));
      break;
    case PROP_LABELS:
      strv_array_set (&self->labels, g_value_get_boxed (value));
      break;
    case PROP_PRIVILEGED:
      self->privileged = g_value_get_boolean (value);
      break;
    case PROP_DEVICES:
      strv_array_set (&self->devices, g_value_get_boxed (value));
      break;
    case PROP_ENTRYPOINT:
      strv_array_set (&self->entrypoint, g_value_get_boxed (value));
      break;
    case PROP_COMMAND:
      strv_array_set (&self->command, g_value_get_boxed (value));
      break;
    case PROP_EXECUTOR:
      g_set_object (&self->executor, g_value_get_object (value));
      break;
    case PROP_PROVIDER_NAME:
      g_free (self->provider_name);
      self->provider_name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_object_notify_by_pspec (object, pspec);
}

static void
hero_virt_container_builder_class_init (HeroVirtContainerBuilderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_container_builder_finalize;
  object_class->get_property = hero_virt_container_builder_get_property;
  object_class->set_property = hero_virt_container_builder_set_property;

  /**
   * HeroVirtContainerBuilder:name:
   *
   * The container's name; %NULL lets the engine pick one.
   *
   * Since: 0.1
   */
  properties[PROP_NAME]
      = g_param_spec_string ("name", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:image:
   *
   * The image to run, such as `localhost/web:1`.
   *
   * Since: 0.1
   */
  properties[PROP_IMAGE]
      = g_param_spec_string ("image", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:ports:
   *
   * Published ports as `[host-ip:]host-port:container-port/protocol` strings; see
   * [method@HeroVirt.ContainerBuilder.add_port_full].
   *
   * Since: 0.1
   */
  properties[PROP_PORTS]
      = g_param_spec_boxed ("ports", NULL, NULL, G_TYPE_STRV,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:volumes:
   *
   * Bind mounts and named volumes as `source:target[:ro]` strings; see
   * [method@HeroVirt.ContainerBuilder.add_volume].
   *
   * Since: 0.1
   */
  properties[PROP_VOLUMES]
      = g_param_spec_boxed ("volumes", NULL, NULL, G_TYPE_STRV,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:env:
   *
   * Environment variables as `KEY=value` strings.
   *
   * Since: 0.1
   */
  properties[PROP_ENV]
      = g_param_spec_boxed ("env", NULL, NULL, G_TYPE_STRV,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:network:
   *
   * The network to join (`bridge`, `host`, `none` or a network's name); %NULL for the engine's
   * default.
   *
   * Since: 0.1
   */
  properties[PROP_NETWORK]
      = g_param_spec_string ("network", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:network-aliases:
   *
   * Extra DNS names for the container on its network.
   *
   * Since: 0.1
   */
  properties[PROP_NETWORK_ALIASES]
      = g_param_spec_boxed ("network-aliases", NULL, NULL, G_TYPE_STRV,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:cpu-limit:
   *
   * How many CPUs the container may use, such as 0.5; 0 for no limit.
   *
   * Since: 0.1
   */
  properties[PROP_CPU_LIMIT]
      = g_param_spec_double ("cpu-limit", NULL, NULL, 0.0, 1024.0, 0.0,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:memory-limit:
   *
   * The memory limit, such as `64m` or `1g`; %NULL for none.
   *
   * Since: 0.1
   */
  properties[PROP_MEMORY_LIMIT]
      = g_param_spec_string ("memory-limit", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:memory-swap-limit:
   *
   * Memory plus swap limit, such as `128m`, or `-1` for unlimited swap; %NULL for the engine's
   * default.
   *
   * Since: 0.1
   */
  properties[PROP_MEMORY_SWAP_LIMIT]
      = g_param_spec_string ("memory-swap-limit", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:cpu-shares:
   *
   * Relative CPU weight (1024 is the default weight); 0 leaves it unset.
   *
   * Since: 0.1
   */
  properties[PROP_CPU_SHARES]
      = g_param_spec_uint ("cpu-shares", NULL, NULL, 0, 262144, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:restart-policy:
   *
   * The restart policy: `no`, `always`, `unless-stopped` or `on-failure[:N]`; %NULL for `no`.
   *
   * Since: 0.1
   */
  properties[PROP_RESTART_POLICY]
      = g_param_spec_string ("restart-policy", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:health-check:
   *
   * The health check, or %NULL for the image's own.
   *
   * Since: 0.1
   */
  properties[PROP_HEALTH_CHECK]
      = g_param_spec_object ("health-check", NULL, NULL, HERO_VIRT_TYPE_HEALTH_CHECK,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:detach:
   *
   * Run in the background (the default). A builder with detach off waits for the container to exit
   * in build().
   *
   * Since: 0.1
   */
  properties[PROP_DETACH]
      = g_param_spec_boolean ("detach", NULL, NULL, TRUE,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:snapshotter:
   *
   * The containerd snapshotter (nerdctl only), such as `overlayfs` or `native`.
   *
   * Since: 0.1
   */
  properties[PROP_SNAPSHOTTER]
      = g_param_spec_string ("snapshotter", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:runtime:
   *
   * The OCI runtime, such as `runc`, `crun` or `kata-runtime` (or an absolute path, for podman).
   *
   * Since: 0.1
   */
  properties[PROP_RUNTIME]
      = g_param_spec_string ("runtime", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:annotations:
   *
   * OCI annotations as `key=value` strings.
   *
   * Since: 0.1
   */
  properties[PROP_ANNOTATIONS]
      = g_param_spec_boxed ("annotations", NULL, NULL, G_TYPE_STRV,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:labels:
   *
   * Container labels as `key=value` strings.
   *
   * Since: 0.1
   */
  properties[PROP_LABELS]
      = g_param_spec_boxed ("labels", NULL, NULL, G_TYPE_STRV,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:privileged:
   *
   * Give the container extended privileges.
   *
   * Since: 0.1
   */
  properties[PROP_PRIVILEGED]
      = g_param_spec_boolean ("privileged", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:devices:
   *
   * Host devices to add, as `/dev/host[:/dev/container[:rwm]]`.
   *
   * Since: 0.1
   */
  properties[PROP_DEVICES]
      = g_param_spec_boxed ("devices", NULL, NULL, G_TYPE_STRV,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:entrypoint:
   *
   * Overrides the image's entrypoint; %NULL keeps it, an empty array clears it.
   *
   * Since: 0.1
   */
  properties[PROP_ENTRYPOINT]
      = g_param_spec_boxed ("entrypoint", NULL, NULL, G_TYPE_STRV,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:command:
   *
   * Overrides the image's command (the arguments after the image).
   *
   * Since: 0.1
   */
  properties[PROP_COMMAND]
      = g_param_spec_boxed ("command", NULL, NULL, G_TYPE_STRV,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:executor:
   *
   * Where to run the engine's commands; %NULL for this machine.
   *
   * Since: 0.1
   */
  properties[PROP_EXECUTOR]
      = g_param_spec_object ("executor", NULL, NULL, HERO_VIRT_TYPE_EXECUTOR,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerBuilder:provider-name:
   *
   * The container provider (`podman`, `nerdctl`); %NULL for the default.
   *
   * Since: 0.1
   */
  properties[PROP_PROVIDER_NAME]
      = g_param_spec_string ("provider-name", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_container_builder_init (HeroVirtContainerBuilder *self)
{
  self->detach = TRUE;
}

/**
 * hero_virt_container_builder_new:
 * @name: (nullable): the container's name
 * @image: (nullable): the image to run
 *
 * Returns: (transfer full): a new builder for a detached container
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_new (const char *name, const char *image)
{
  return g_object_new (HERO_VIRT_TYPE_CONTAINER_BUILDER, "name", name, "image", image, NULL);
}

/**
 * hero_virt_container_builder_set_name:
 * @self: a #HeroVirtContainerBuilder
 * @name: (nullable): the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:name].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_name (HeroVirtContainerBuilder *self, const char *name)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "name", name, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_name:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:name].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_builder_get_name (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return self->name;
}

/**
 * hero_virt_container_builder_set_image:
 * @self: a #HeroVirtContainerBuilder
 * @image: (nullable): the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:image].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_image (HeroVirtContainerBuilder *self, const char *image)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "image", image, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_image:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:image].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_builder_get_image (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return self->image;
}

/**
 * hero_virt_container_builder_get_ports:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:ports].
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the value
 *
 * Since: 0.1
 */
const char *const *
hero_virt_container_builder_get_ports (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return strv_array_get (self->ports);
}

/**
 * hero_virt_container_builder_get_volumes:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:volumes].
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the value
 *
 * Since: 0.1
 */
const char *const *
hero_virt_container_builder_get_volumes (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return strv_array_get (self->volumes);
}

/**
 * hero_virt_container_builder_get_env:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:env].
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the value
 *
 * Since: 0.1
 */
const char *const *
hero_virt_container_builder_get_env (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return strv_array_get (self->env);
}

/**
 * hero_virt_container_builder_set_network:
 * @self: a #HeroVirtContainerBuilder
 * @network: (nullable): the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:network].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_network (HeroVirtContainerBuilder *self, const char *network)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "network", network, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_network:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:network].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_builder_get_network (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return self->network;
}

/**
 * hero_virt_container_builder_get_network_aliases:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:network-aliases].
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the value
 *
 * Since: 0.1
 */
const char *const *
hero_virt_container_builder_get_network_aliases (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return strv_array_get (self->network_aliases);
}

/**
 * hero_virt_container_builder_set_cpu_limit:
 * @self: a #HeroVirtContainerBuilder
 * @cpu_limit: the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:cpu-limit].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_cpu_limit (HeroVirtContainerBuilder *self, double cpu_limit)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "cpu-limit", cpu_limit, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_cpu_limit:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:cpu-limit].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
double
hero_virt_container_builder_get_cpu_limit (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), 0);
  return self->cpu_limit;
}

/**
 * hero_virt_container_builder_set_memory_limit:
 * @self: a #HeroVirtContainerBuilder
 * @memory_limit: (nullable): the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:memory-limit].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_memory_limit (HeroVirtContainerBuilder *self,
                                              const char               *memory_limit)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "memory-limit", memory_limit, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_memory_limit:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:memory-limit].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_builder_get_memory_limit (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return self->memory_limit;
}

/**
 * hero_virt_container_builder_set_memory_swap_limit:
 * @self: a #HeroVirtContainerBuilder
 * @memory_swap_limit: (nullable): the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:memory-swap-limit].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_memory_swap_limit (HeroVirtContainerBuilder *self,
                                                   const char               *memory_swap_limit)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "memory-swap-limit", memory_swap_limit, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_memory_swap_limit:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:memory-swap-limit].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_builder_get_memory_swap_limit (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return self->memory_swap_limit;
}

/**
 * hero_virt_container_builder_set_cpu_shares:
 * @self: a #HeroVirtContainerBuilder
 * @cpu_shares: the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:cpu-shares].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_cpu_shares (HeroVirtContainerBuilder *self, guint cpu_shares)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "cpu-shares", cpu_shares, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_cpu_shares:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:cpu-shares].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
guint
hero_virt_container_builder_get_cpu_shares (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), 0);
  return self->cpu_shares;
}

/**
 * hero_virt_container_builder_set_restart_policy:
 * @self: a #HeroVirtContainerBuilder
 * @restart_policy: (nullable): the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:restart-policy].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_restart_policy (HeroVirtContainerBuilder *self,
                                                const char               *restart_policy)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "restart-policy", restart_policy, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_restart_policy:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:restart-policy].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_builder_get_restart_policy (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return self->restart_policy;
}

/**
 * hero_virt_container_builder_set_health_check:
 * @self: a #HeroVirtContainerBuilder
 * @health_check: (nullable): the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:health-check].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_health_check (HeroVirtContainerBuilder *self,
                                              HeroVirtHealthCheck      *health_check)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "health-check", health_check, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_health_check:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:health-check].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
HeroVirtHealthCheck *
hero_virt_container_builder_get_health_check (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return self->health_check;
}

/**
 * hero_virt_container_builder_set_detach:
 * @self: a #HeroVirtContainerBuilder
 * @detach: the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:detach].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_detach (HeroVirtContainerBuilder *self, gboolean detach)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "detach", detach, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_detach:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:detach].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_builder_get_detach (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), FALSE);
  return self->detach;
}

/**
 * hero_virt_container_builder_set_snapshotter:
 * @self: a #HeroVirtContainerBuilder
 * @snapshotter: (nullable): the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:snapshotter].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_snapshotter (HeroVirtContainerBuilder *self,
                                             const char               *snapshotter)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "snapshotter", snapshotter, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_snapshotter:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:snapshotter].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_builder_get_snapshotter (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return self->snapshotter;
}

/**
 * hero_virt_container_builder_set_runtime:
 * @self: a #HeroVirtContainerBuilder
 * @runtime: (nullable): the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:runtime].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_runtime (HeroVirtContainerBuilder *self, const char *runtime)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "runtime", runtime, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_runtime:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:runtime].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_builder_get_runtime (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return self->runtime;
}

/**
 * hero_virt_container_builder_get_annotations:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:annotations].
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the value
 *
 * Since: 0.1
 */
const char *const *
hero_virt_container_builder_get_annotations (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return strv_array_get (self->annotations);
}

/**
 * hero_virt_container_builder_get_labels:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:labels].
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the value
 *
 * Since: 0.1
 */
const char *const *
hero_virt_container_builder_get_labels (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return strv_array_get (self->labels);
}

/**
 * hero_virt_container_builder_set_privileged:
 * @self: a #HeroVirtContainerBuilder
 * @privileged: the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:privileged].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_privileged (HeroVirtContainerBuilder *self, gboolean privileged)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "privileged", privileged, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_privileged:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:privileged].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_builder_get_privileged (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), FALSE);
  return self->privileged;
}

/**
 * hero_virt_container_builder_get_devices:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:devices].
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the value
 *
 * Since: 0.1
 */
const char *const *
hero_virt_container_builder_get_devices (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return strv_array_get (self->devices);
}

/**
 * hero_virt_container_builder_set_entrypoint:
 * @self: a #HeroVirtContainerBuilder
 * @entrypoint: (array zero-terminated=1) (nullable): the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:entrypoint].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_entrypoint (HeroVirtContainerBuilder *self,
                                            const char *const        *entrypoint)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "entrypoint", (gpointer)entrypoint, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_entrypoint:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:entrypoint].
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the value
 *
 * Since: 0.1
 */
const char *const *
hero_virt_container_builder_get_entrypoint (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return strv_array_get (self->entrypoint);
}

/**
 * hero_virt_container_builder_set_command:
 * @self: a #HeroVirtContainerBuilder
 * @command: (array zero-terminated=1) (nullable): the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:command].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_command (HeroVirtContainerBuilder *self, const char *const *command)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "command", (gpointer)command, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_command:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:command].
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the value
 *
 * Since: 0.1
 */
const char *const *
hero_virt_container_builder_get_command (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return strv_array_get (self->command);
}

/**
 * hero_virt_container_builder_set_executor:
 * @self: a #HeroVirtContainerBuilder
 * @executor: (nullable): the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:executor].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_executor (HeroVirtContainerBuilder *self,
                                          HeroVirtExecutor         *executor)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "executor", executor, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_executor:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:executor].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
HeroVirtExecutor *
hero_virt_container_builder_get_executor (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return self->executor;
}

/**
 * hero_virt_container_builder_set_provider_name:
 * @self: a #HeroVirtContainerBuilder
 * @provider_name: (nullable): the new value
 *
 * Sets [property@HeroVirt.ContainerBuilder:provider-name].
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_set_provider_name (HeroVirtContainerBuilder *self,
                                               const char               *provider_name)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  g_object_set (self, "provider-name", provider_name, NULL);
  return self;
}

/**
 * hero_virt_container_builder_get_provider_name:
 * @self: a #HeroVirtContainerBuilder
 *
 * Gets [property@HeroVirt.ContainerBuilder:provider-name].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_builder_get_provider_name (HeroVirtContainerBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  return self->provider_name;
}

static HeroVirtContainerBuilder *
add_item (HeroVirtContainerBuilder *self, GPtrArray **array, guint prop, char *item)
{
  strv_array_add (array, item);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return self;
}

/**
 * hero_virt_container_builder_add_port:
 * @self: a #HeroVirtContainerBuilder
 * @host_port: the port on the host (0 lets the engine pick one)
 * @container_port: the port in the container
 *
 * Publishes TCP @container_port on all the host's addresses at @host_port.
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_add_port (HeroVirtContainerBuilder *self,
                                      guint                     host_port,
                                      guint                     container_port)
{
  return hero_virt_container_builder_add_port_full (self, NULL, host_port, container_port, NULL);
}

/**
 * hero_virt_container_builder_add_port_full:
 * @self: a #HeroVirtContainerBuilder
 * @host_ip: (nullable): the host address to listen on, or %NULL for all
 * @host_port: the port on the host (0 lets the engine pick one)
 * @container_port: the port in the container
 * @protocol: (nullable): `tcp` (the default), `udp` or `sctp`
 *
 * Publishes @container_port at @host_ip:@host_port.
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_add_port_full (HeroVirtContainerBuilder *self,
                                           const char               *host_ip,
                                           guint                     host_port,
                                           guint                     container_port,
                                           const char               *protocol)
{
  g_autofree char *ip = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  /* IPv6 addresses are bracketed so the colons stay unambiguous. */
  if (host_ip != NULL && strchr (host_ip, ':') != NULL)
    ip = g_strdup_printf ("[%s]:", host_ip);
  else if (host_ip != NULL)
    ip = g_strdup_printf ("%s:", host_ip);
  return add_item (self, &self->ports, PROP_PORTS,
                   g_strdup_printf ("%s%u:%u/%s", ip ? ip : "", host_port, container_port,
                                    protocol ? protocol : "tcp"));
}

/**
 * hero_virt_container_builder_add_volume:
 * @self: a #HeroVirtContainerBuilder
 * @source: an absolute host path, or a named volume
 * @target: the absolute path in the container
 * @read_only: mount it read-only
 *
 * Mounts @source at @target.
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_add_volume (HeroVirtContainerBuilder *self,
                                        const char               *source,
                                        const char               *target,
                                        gboolean                  read_only)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  g_return_val_if_fail (source != NULL && target != NULL, self);

  return add_item (self, &self->volumes, PROP_VOLUMES,
                   g_strdup_printf ("%s:%s%s", source, target, read_only ? ":ro" : ""));
}

/**
 * hero_virt_container_builder_add_env:
 * @self: a #HeroVirtContainerBuilder
 * @key: the variable's name
 * @value: its value
 *
 * Sets an environment variable in the container.
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_add_env (HeroVirtContainerBuilder *self,
                                     const char               *key,
                                     const char               *value)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  g_return_val_if_fail (key != NULL && value != NULL, self);

  return add_item (self, &self->env, PROP_ENV, g_strconcat (key, "=", value, NULL));
}

/**
 * hero_virt_container_builder_add_network_alias:
 * @self: a #HeroVirtContainerBuilder
 * @alias: an extra DNS name on the container's network
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_add_network_alias (HeroVirtContainerBuilder *self, const char *alias)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  g_return_val_if_fail (alias != NULL, self);

  return add_item (self, &self->network_aliases, PROP_NETWORK_ALIASES, g_strdup (alias));
}

/**
 * hero_virt_container_builder_add_annotation:
 * @self: a #HeroVirtContainerBuilder
 * @key: the annotation's key
 * @value: its value
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_add_annotation (HeroVirtContainerBuilder *self,
                                            const char               *key,
                                            const char               *value)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  g_return_val_if_fail (key != NULL && value != NULL, self);

  return add_item (self, &self->annotations, PROP_ANNOTATIONS, g_strconcat (key, "=", value, NULL));
}

/**
 * hero_virt_container_builder_add_label:
 * @self: a #HeroVirtContainerBuilder
 * @key: the label's key
 * @value: its value
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_add_label (HeroVirtContainerBuilder *self,
                                       const char               *key,
                                       const char               *value)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  g_return_val_if_fail (key != NULL && value != NULL, self);

  return add_item (self, &self->labels, PROP_LABELS, g_strconcat (key, "=", value, NULL));
}

/**
 * hero_virt_container_builder_add_device:
 * @self: a #HeroVirtContainerBuilder
 * @device: `/dev/host[:/dev/container[:rwm]]`
 *
 * Returns: (transfer none): @self, for chaining
 *
 * Since: 0.1
 */
HeroVirtContainerBuilder *
hero_virt_container_builder_add_device (HeroVirtContainerBuilder *self, const char *device)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);
  g_return_val_if_fail (device != NULL, self);

  return add_item (self, &self->devices, PROP_DEVICES, g_strdup (device));
}

/* ---- validation ---- */

static gboolean
matches (const char *pattern, const char *value)
{
  return value != NULL && g_regex_match_simple (pattern, value, 0, 0);
}

/**
 * hero_virt_container_builder_validate:
 * @self: a #HeroVirtContainerBuilder
 * @error: return location for a #GError
 *
 * Checks every setting: the name and image reference, ports, volumes,
 * environment names, network and aliases, limits, restart policy, health
 * check, runtime, snapshotter, annotations, labels and devices. Nothing
 * that looks like a command-line option or carries shell syntax passes.
 * [method@HeroVirt.ContainerBuilder.build] calls it first.
 *
 * Returns: %TRUE if the builder can be used, otherwise %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_builder_validate (HeroVirtContainerBuilder *self, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), FALSE);

  if (self->name != NULL && !hero_virt_validate_container_name (self->name, error))
    return FALSE;
  if (self->image == NULL)
    return hero_virt_set_invalid_argument (error, "image reference", "",
                                           "a container needs an image");
  if (!hero_virt_validate_image_reference (self->image, error))
    return FALSE;
  for (guint i = 0; self->ports != NULL && i + 1 < self->ports->len; i++)
    if (!_hero_virt_validate_port_mapping (g_ptr_array_index (self->ports, i), error))
      return FALSE;
  for (guint i = 0; self->volumes != NULL && i + 1 < self->volumes->len; i++)
    if (!_hero_virt_validate_volume (g_ptr_array_index (self->volumes, i), error))
      return FALSE;
  if (!_hero_virt_validate_key_values (self->env, "environment variable",
                                       "^[A-Za-z_][A-Za-z0-9_]*$", error)
      || !_hero_virt_validate_key_values (self->labels, "label", "^[A-Za-z0-9][A-Za-z0-9._/-]*$",
                                          error)
      || !_hero_virt_validate_key_values (self->annotations, "annotation",
                                          "^[A-Za-z0-9][A-Za-z0-9._/-]*$", error))
    return FALSE;
  if (self->network != NULL && !matches (_HERO_VIRT_NAME_RE, self->network))
    return hero_virt_set_invalid_argument (error, "network", self->network,
                                           "use a network name of letters, digits, _ . -");
  if (!_hero_virt_validate_each (self->network_aliases, "network alias", _HERO_VIRT_NAME_RE,
                                 "use letters, digits, _ . -", error)
      || !_hero_virt_validate_each (
          self->devices, "device", "^/dev/[A-Za-z0-9_./-]+(:/dev/[A-Za-z0-9_./-]+)?(:[rwm]{1,3})?$",
          "use /dev/host[:/dev/container[:rwm]]", error))
    return FALSE;
  if (self->memory_limit != NULL
      && !matches ("^[0-9]+(\\.[0-9]+)?[bkmgBKMG]?$", self->memory_limit))
    return hero_virt_set_invalid_argument (error, "memory limit", self->memory_limit,
                                           "use a size such as 512m or 1g");
  if (self->memory_swap_limit != NULL
      && !matches ("^(-1|[0-9]+(\\.[0-9]+)?[bkmgBKMG]?)$", self->memory_swap_limit))
    return hero_virt_set_invalid_argument (error, "memory+swap limit", self->memory_swap_limit,
                                           "use a size such as 1g, or -1");
  if (!isfinite (self->cpu_limit) || self->cpu_limit < 0)
    return hero_virt_set_invalid_argument (error, "CPU limit", "", "use a positive number of CPUs");
  if (self->restart_policy != NULL
      && !matches ("^(no|always|unless-stopped|on-failure(:[0-9]{1,4})?)$", self->restart_policy))
    return hero_virt_set_invalid_argument (error, "restart policy", self->restart_policy,
                                           "use no, always, unless-stopped or on-failure[:N]");
  if (self->health_check != NULL && !hero_virt_health_check_validate (self->health_check, error))
    return FALSE;
  if (self->snapshotter != NULL && !matches (_HERO_VIRT_NAME_RE, self->snapshotter))
    return hero_virt_set_invalid_argument (error, "snapshotter", self->snapshotter,
                                           "use a snapshotter name such as overlayfs");
  if (self->runtime != NULL
      && !matches ("^([a-zA-Z0-9][a-zA-Z0-9_.-]*|/[A-Za-z0-9_./-]+)$", self->runtime))
    return hero_virt_set_invalid_argument (error, "runtime", self->runtime,
                                           "use a runtime name such as runc, or an absolute path");
  if (self->provider_name != NULL && !matches (_HERO_VIRT_NAME_RE, self->provider_name))
    return hero_virt_set_invalid_argument (error, "provider name", self->provider_name,
                                           "use a provider name such as podman");
  return TRUE;
}

/* ---- build ---- */

/**
 * hero_virt_container_builder_build:
 * @self: a #HeroVirtContainerBuilder
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Validates the settings, then creates and starts the container.
 *
 * Returns: (transfer full): the running container, or %NULL on error
 *   (nothing is created when validation fails)
 *
 * Since: 0.1
 */
HeroVirtContainer *
hero_virt_container_builder_build (HeroVirtContainerBuilder *self,
                                   GCancellable             *cancellable,
                                   GError                  **error)
{
  g_autoptr (HeroVirtContainer) container = NULL;
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  if (!hero_virt_container_builder_validate (self, error))
    return NULL;

  /* A throw-away container object resolves the provider the same way
   * every later call does. */
  container = g_object_new (HERO_VIRT_TYPE_CONTAINER, "name", self->name, "provider-name",
                            self->provider_name, "executor", self->executor, NULL);
  provider = hero_virt_container_get_provider (container, cancellable, error);
  if (provider == NULL)
    return NULL;
  id = hero_virt_container_provider_create (provider, hero_virt_container_get_executor (container),
                                            self, TRUE, cancellable, error);
  if (id == NULL)
    return NULL;
  return g_object_new (HERO_VIRT_TYPE_CONTAINER, "name", self->name ? self->name : id, "id", id,
                       "provider-name", self->provider_name, "provider", provider, "executor",
                       hero_virt_container_get_executor (container), NULL);
}

static gpointer
build_thread (gpointer source, gpointer data, GCancellable *cancellable, GError **error)
{
  return hero_virt_container_builder_build (source, cancellable, error);
}

/**
 * hero_virt_container_builder_build_async:
 * @self: a #HeroVirtContainerBuilder
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.ContainerBuilder.build]. Do
 * not change the builder until it completes.
 *
 * Since: 0.1
 */
void
hero_virt_container_builder_build_async (HeroVirtContainerBuilder *self,
                                         GCancellable             *cancellable,
                                         GAsyncReadyCallback       callback,
                                         gpointer                  user_data)
{
  g_return_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self));

  _hero_virt_run_in_thread (self, hero_virt_container_builder_build_async, build_thread, NULL, NULL,
                            g_object_unref, cancellable, callback, user_data);
}

/**
 * hero_virt_container_builder_build_finish:
 * @self: a #HeroVirtContainerBuilder
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.ContainerBuilder.build_async].
 *
 * Returns: (transfer full): the running container, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtContainer *
hero_virt_container_builder_build_finish (HeroVirtContainerBuilder *self,
                                          GAsyncResult             *result,
                                          GError                  **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_container_builder_build_async, error);
}
