/* hero-virt-container-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-container-private.h"

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
 * The provider receives the settings as an immutable
 * [class@HeroVirt.ContainerSpec] ([method@HeroVirt.ContainerBuilder.build_spec]),
 * never the builder, so the builder can be changed and reused meanwhile.
 *
 * ```c
 * g_autoptr (HeroVirtContainerBuilder) b = hero_virt_container_builder_new ("web", IMAGE);
 *
 * hero_virt_container_builder_add_port (b, 8080, 80);
 * hero_virt_container_builder_set_memory_limit (b, "64m");
 * g_autoptr (HeroVirtContainer) web = hero_virt_container_builder_build (b, NULL, &error);
 * ```
 *
 * Since: 0.1
 */
struct _HeroVirtContainerBuilder
{
  GObject parent_instance;

  HeroVirtContainerSpec *draft; /* edited in place; copied by build_spec() */
  HeroVirtHealthCheck   *health_check;
  HeroVirtExecutor      *executor;
  char                  *provider_name;
};

/* Properties 1 .. CONTAINER_SPEC_N_SHARED - 1 are the spec's. */
enum
{
  PROP_HEALTH_CHECK = CONTAINER_SPEC_N_SHARED,
  PROP_EXECUTOR,
  PROP_PROVIDER_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtContainerBuilder, hero_virt_container_builder, G_TYPE_OBJECT)

static void
hero_virt_container_builder_finalize (GObject *object)
{
  HeroVirtContainerBuilder *self = HERO_VIRT_CONTAINER_BUILDER (object);

  g_clear_object (&self->draft);
  g_clear_object (&self->health_check);
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
    case PROP_HEALTH_CHECK:
      g_value_set_object (value, self->health_check);
      break;
    case PROP_EXECUTOR:
      g_value_set_object (value, self->executor);
      break;
    case PROP_PROVIDER_NAME:
      g_value_set_string (value, self->provider_name);
      break;
    default:
      _hero_virt_container_spec_get_prop (self->draft, prop_id, value);
    }
}

/* Stores @value in the draft and notifies if it changed. */
static HeroVirtContainerBuilder *
set_value (HeroVirtContainerBuilder *self, guint prop_id, const GValue *value)
{
  if (_hero_virt_container_spec_set_prop (self->draft, prop_id, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  return self;
}

#define DEFINE_SET(suffix, ctype, gtype, set)                                                      \
  static HeroVirtContainerBuilder *set_##suffix (HeroVirtContainerBuilder *self, guint prop_id,    \
                                                 ctype v)                                          \
  {                                                                                                \
    g_auto (GValue) value = G_VALUE_INIT;                                                          \
                                                                                                   \
    set (g_value_init (&value, gtype), v);                                                         \
    return set_value (self, prop_id, &value);                                                      \
  }
DEFINE_SET (string, const char *, G_TYPE_STRING, g_value_set_string)
DEFINE_SET (strv, const char *const *, G_TYPE_STRV, g_value_set_boxed)
DEFINE_SET (double, double, G_TYPE_DOUBLE, g_value_set_double)
DEFINE_SET (uint, guint, G_TYPE_UINT, g_value_set_uint)
DEFINE_SET (boolean, gboolean, G_TYPE_BOOLEAN, g_value_set_boolean)
#undef DEFINE_SET

/* The libsoup way round: a property is set through its public setter,
 * which stores the value and notifies. */
static void
hero_virt_container_builder_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  HeroVirtContainerBuilder *self = HERO_VIRT_CONTAINER_BUILDER (object);

  switch (prop_id)
    {
    case CONTAINER_SPEC_PROP_NAME:
      hero_virt_container_builder_set_name (self, g_value_get_string (value));
      break;
    case CONTAINER_SPEC_PROP_IMAGE:
      hero_virt_container_builder_set_image (self, g_value_get_string (value));
      break;
    case CONTAINER_SPEC_PROP_NETWORK:
      hero_virt_container_builder_set_network (self, g_value_get_string (value));
      break;
    case CONTAINER_SPEC_PROP_CPU_LIMIT:
      hero_virt_container_builder_set_cpu_limit (self, g_value_get_double (value));
      break;
    case CONTAINER_SPEC_PROP_MEMORY_LIMIT:
      hero_virt_container_builder_set_memory_limit (self, g_value_get_string (value));
      break;
    case CONTAINER_SPEC_PROP_MEMORY_SWAP_LIMIT:
      hero_virt_container_builder_set_memory_swap_limit (self, g_value_get_string (value));
      break;
    case CONTAINER_SPEC_PROP_CPU_SHARES:
      hero_virt_container_builder_set_cpu_shares (self, g_value_get_uint (value));
      break;
    case CONTAINER_SPEC_PROP_RESTART_POLICY:
      hero_virt_container_builder_set_restart_policy (self, g_value_get_string (value));
      break;
    case CONTAINER_SPEC_PROP_DETACH:
      hero_virt_container_builder_set_detach (self, g_value_get_boolean (value));
      break;
    case CONTAINER_SPEC_PROP_SNAPSHOTTER:
      hero_virt_container_builder_set_snapshotter (self, g_value_get_string (value));
      break;
    case CONTAINER_SPEC_PROP_RUNTIME:
      hero_virt_container_builder_set_runtime (self, g_value_get_string (value));
      break;
    case CONTAINER_SPEC_PROP_PRIVILEGED:
      hero_virt_container_builder_set_privileged (self, g_value_get_boolean (value));
      break;
    case CONTAINER_SPEC_PROP_ENTRYPOINT:
      hero_virt_container_builder_set_entrypoint (self, g_value_get_boxed (value));
      break;
    case CONTAINER_SPEC_PROP_COMMAND:
      hero_virt_container_builder_set_command (self, g_value_get_boxed (value));
      break;
    case PROP_HEALTH_CHECK:
      hero_virt_container_builder_set_health_check (self, g_value_get_object (value));
      break;
    case PROP_EXECUTOR:
      hero_virt_container_builder_set_executor (self, g_value_get_object (value));
      break;
    case PROP_PROVIDER_NAME:
      hero_virt_container_builder_set_provider_name (self, g_value_get_string (value));
      break;
    default:
      /* The lists, which have add_ functions rather than setters. */
      set_value (self, prop_id, value);
    }
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
  /**
   * HeroVirtContainerBuilder:image:
   *
   * The image to run, such as `localhost/web:1`.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:ports:
   *
   * Published ports as `[host-ip:]host-port:container-port/protocol` strings; see
   * [method@HeroVirt.ContainerBuilder.add_port_full].
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:volumes:
   *
   * Bind mounts and named volumes as `source:target[:ro]` strings; see
   * [method@HeroVirt.ContainerBuilder.add_volume].
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:env:
   *
   * Environment variables as `KEY=value` strings.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:network:
   *
   * The network to join (`bridge`, `host`, `none` or a network's name); %NULL for the engine's
   * default.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:network-aliases:
   *
   * Extra DNS names for the container on its network.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:cpu-limit:
   *
   * How many CPUs the container may use, such as 0.5; 0 for no limit.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:memory-limit:
   *
   * The memory limit, such as `64m` or `1g`; %NULL for none.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:memory-swap-limit:
   *
   * Memory plus swap limit, such as `128m`, or `-1` for unlimited swap; %NULL for the engine's
   * default.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:cpu-shares:
   *
   * Relative CPU weight (1024 is the default weight); 0 leaves it unset.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:restart-policy:
   *
   * The restart policy: `no`, `always`, `unless-stopped` or `on-failure[:N]`; %NULL for `no`.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:health-check:
   *
   * The health check, or %NULL for the image's own.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:detach:
   *
   * Run in the background (the default). A builder with detach off waits for the container to exit
   * in build().
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:snapshotter:
   *
   * The containerd snapshotter (nerdctl only), such as `overlayfs` or `native`.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:runtime:
   *
   * The OCI runtime, such as `runc`, `crun` or `kata-runtime` (or an absolute path, for podman).
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:annotations:
   *
   * OCI annotations as `key=value` strings.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:labels:
   *
   * Container labels as `key=value` strings.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:privileged:
   *
   * Give the container extended privileges.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:devices:
   *
   * Host devices to add, as `/dev/host[:/dev/container[:rwm]]`.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:entrypoint:
   *
   * Overrides the image's entrypoint; %NULL keeps it, an empty array clears it.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:command:
   *
   * Overrides the image's command (the arguments after the image).
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:executor:
   *
   * Where to run the engine's commands; %NULL for this machine.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerBuilder:provider-name:
   *
   * The container provider (`podman`, `nerdctl`); %NULL for the default.
   *
   * Since: 0.1
   */
  _hero_virt_container_spec_make_pspecs (properties, CONTAINER_SPEC_N_SHARED, G_PARAM_READWRITE);
  properties[PROP_HEALTH_CHECK]
      = g_param_spec_object ("health-check", NULL, NULL, HERO_VIRT_TYPE_HEALTH_CHECK,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXECUTOR]
      = g_param_spec_object ("executor", NULL, NULL, HERO_VIRT_TYPE_EXECUTOR,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROVIDER_NAME]
      = g_param_spec_string ("provider-name", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_container_builder_init (HeroVirtContainerBuilder *self)
{
  self->draft = _hero_virt_container_spec_new_draft ();
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

  return set_string (self, CONTAINER_SPEC_PROP_NAME, name);
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
  return hero_virt_container_spec_get_name (self->draft);
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

  return set_string (self, CONTAINER_SPEC_PROP_IMAGE, image);
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
  return hero_virt_container_spec_get_image (self->draft);
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
  return hero_virt_container_spec_get_ports (self->draft);
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
  return hero_virt_container_spec_get_volumes (self->draft);
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
  return hero_virt_container_spec_get_env (self->draft);
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

  return set_string (self, CONTAINER_SPEC_PROP_NETWORK, network);
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
  return hero_virt_container_spec_get_network (self->draft);
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
  return hero_virt_container_spec_get_network_aliases (self->draft);
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

  return set_double (self, CONTAINER_SPEC_PROP_CPU_LIMIT, cpu_limit);
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
  return hero_virt_container_spec_get_cpu_limit (self->draft);
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

  return set_string (self, CONTAINER_SPEC_PROP_MEMORY_LIMIT, memory_limit);
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
  return hero_virt_container_spec_get_memory_limit (self->draft);
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

  return set_string (self, CONTAINER_SPEC_PROP_MEMORY_SWAP_LIMIT, memory_swap_limit);
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
  return hero_virt_container_spec_get_memory_swap_limit (self->draft);
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

  return set_uint (self, CONTAINER_SPEC_PROP_CPU_SHARES, cpu_shares);
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
  return hero_virt_container_spec_get_cpu_shares (self->draft);
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

  return set_string (self, CONTAINER_SPEC_PROP_RESTART_POLICY, restart_policy);
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
  return hero_virt_container_spec_get_restart_policy (self->draft);
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

  g_return_val_if_fail (health_check == NULL || HERO_VIRT_IS_HEALTH_CHECK (health_check), NULL);

  if (g_set_object (&self->health_check, health_check))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEALTH_CHECK]);
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

  return set_boolean (self, CONTAINER_SPEC_PROP_DETACH, detach);
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
  return hero_virt_container_spec_get_detach (self->draft);
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

  return set_string (self, CONTAINER_SPEC_PROP_SNAPSHOTTER, snapshotter);
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
  return hero_virt_container_spec_get_snapshotter (self->draft);
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

  return set_string (self, CONTAINER_SPEC_PROP_RUNTIME, runtime);
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
  return hero_virt_container_spec_get_runtime (self->draft);
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
  return hero_virt_container_spec_get_annotations (self->draft);
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
  return hero_virt_container_spec_get_labels (self->draft);
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

  return set_boolean (self, CONTAINER_SPEC_PROP_PRIVILEGED, privileged);
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
  return hero_virt_container_spec_get_privileged (self->draft);
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
  return hero_virt_container_spec_get_devices (self->draft);
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

  return set_strv (self, CONTAINER_SPEC_PROP_ENTRYPOINT, entrypoint);
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
  return hero_virt_container_spec_get_entrypoint (self->draft);
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

  return set_strv (self, CONTAINER_SPEC_PROP_COMMAND, command);
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
  return hero_virt_container_spec_get_command (self->draft);
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

  g_return_val_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor), NULL);

  if (g_set_object (&self->executor, executor))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXECUTOR]);
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

  if (g_strcmp0 (self->provider_name, provider_name) != 0)
    {
      g_free (self->provider_name);
      self->provider_name = g_strdup (provider_name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER_NAME]);
    }
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
add_item (HeroVirtContainerBuilder *self, guint prop_id, char *item)
{
  _hero_virt_container_spec_add_item (self->draft, prop_id, item);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
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
  return add_item (self, CONTAINER_SPEC_PROP_PORTS,
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

  return add_item (self, CONTAINER_SPEC_PROP_VOLUMES,
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

  return add_item (self, CONTAINER_SPEC_PROP_ENV, g_strconcat (key, "=", value, NULL));
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

  return add_item (self, CONTAINER_SPEC_PROP_NETWORK_ALIASES, g_strdup (alias));
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

  return add_item (self, CONTAINER_SPEC_PROP_ANNOTATIONS, g_strconcat (key, "=", value, NULL));
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

  return add_item (self, CONTAINER_SPEC_PROP_LABELS, g_strconcat (key, "=", value, NULL));
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

  return add_item (self, CONTAINER_SPEC_PROP_DEVICES, g_strdup (device));
}

/* ---- validation and build ---- */

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
  g_autoptr (HeroVirtContainerSpec) spec = hero_virt_container_builder_build_spec (self, error);

  return spec != NULL;
}

/**
 * hero_virt_container_builder_build_spec:
 * @self: a #HeroVirtContainerBuilder
 * @error: return location for a #GError
 *
 * Validates the settings (see [method@HeroVirt.ContainerBuilder.validate])
 * and returns them as an immutable spec, the form a container provider
 * receives. Nothing runs; the builder is left as it was.
 *
 * Returns: (transfer full): a new spec, or %NULL with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
HeroVirtContainerSpec *
hero_virt_container_builder_build_spec (HeroVirtContainerBuilder *self, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  if (self->provider_name != NULL
      && !_hero_virt_validate_provider_name (self->provider_name, error))
    return NULL;
  return _hero_virt_container_spec_snapshot (self->draft, self->health_check, error);
}

static HeroVirtContainer *
new_container (HeroVirtContainerBuilder  *self,
               HeroVirtContainerSpec     *spec,
               HeroVirtContainerProvider *provider,
               const char                *id)
{
  const char *name = hero_virt_container_spec_get_name (spec);

  return g_object_new (HERO_VIRT_TYPE_CONTAINER, "name", name ? name : id, "id", id,
                       "provider-name", self->provider_name, "provider", provider, "executor",
                       self->executor, NULL);
}

/**
 * hero_virt_container_builder_build:
 * @self: a #HeroVirtContainerBuilder
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Validates the settings, then has the provider create and start the
 * container from [method@HeroVirt.ContainerBuilder.build_spec].
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
  g_autoptr (HeroVirtContainerSpec) spec = NULL;
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self), NULL);

  if ((spec = hero_virt_container_builder_build_spec (self, error)) == NULL
      || (provider = _hero_virt_container_find_provider (self->provider_name, self->executor,
                                                         cancellable, error))
             == NULL
      || (id = hero_virt_container_provider_create (provider, self->executor, spec, TRUE,
                                                    cancellable, error))
             == NULL)
    return NULL;
  return new_container (self, spec, provider, id);
}

static void
build_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  HeroVirtContainerProvider *provider = HERO_VIRT_CONTAINER_PROVIDER (source);
  GError                    *error = NULL;
  g_autofree char *id = hero_virt_container_provider_create_finish (provider, result, &error);

  if (id == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (
        task,
        new_container (g_task_get_source_object (task), g_task_get_task_data (task), provider, id),
        g_object_unref);
}

/**
 * hero_virt_container_builder_build_async:
 * @self: a #HeroVirtContainerBuilder
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.ContainerBuilder.build]. The
 * settings are taken when it is called; later changes to the builder do
 * not affect it.
 *
 * Since: 0.1
 */
void
hero_virt_container_builder_build_async (HeroVirtContainerBuilder *self,
                                         GCancellable             *cancellable,
                                         GAsyncReadyCallback       callback,
                                         gpointer                  user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  HeroVirtContainerSpec *spec;
  GError                *error = NULL;

  g_return_if_fail (HERO_VIRT_IS_CONTAINER_BUILDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hero_virt_container_builder_build_async);
  if ((spec = hero_virt_container_builder_build_spec (self, &error)) == NULL
      || (provider = _hero_virt_container_find_provider (self->provider_name, self->executor,
                                                         cancellable, &error))
             == NULL)
    {
      g_clear_object (&spec);
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, spec, g_object_unref);
  hero_virt_container_provider_create_async (provider, self->executor, spec, TRUE, cancellable,
                                             build_done, g_steal_pointer (&task));
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
