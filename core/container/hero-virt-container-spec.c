/* hero-virt-container-spec.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>

#include "hero-virt-container-private.h"

/**
 * HeroVirtContainerSpec:
 *
 * What a [iface@HeroVirt.ContainerProvider] is asked to create: the image,
 * name, published ports, volumes, environment, network, resource limits,
 * restart policy, health check, runtime settings, entrypoint and command.
 *
 * A spec is immutable and always valid: only
 * [method@HeroVirt.ContainerBuilder.build_spec] (and
 * [method@HeroVirt.ContainerBuilder.build], which hands one to the provider)
 * make one, after checking every value, so a provider can turn it into
 * flags or an API request without checking again. Later changes to the
 * builder do not reach a spec already made.
 *
 * [method@HeroVirt.ContainerSpec.to_json] describes it as a JSON object
 * whose members are its property names, handy for a provider written in
 * Python or for logging what was asked for.
 *
 * Since: 0.1
 */
struct _HeroVirtContainerSpec
{
  GObject parent_instance;

  GValue values[CONTAINER_SPEC_N_PROPS];
};

static GParamSpec *properties[CONTAINER_SPEC_N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtContainerSpec, hero_virt_container_spec, G_TYPE_OBJECT)

static void
hero_virt_container_spec_finalize (GObject *object)
{
  HeroVirtContainerSpec *self = HERO_VIRT_CONTAINER_SPEC (object);

  for (guint i = 1; i < CONTAINER_SPEC_N_PROPS; i++)
    g_value_unset (&self->values[i]);

  G_OBJECT_CLASS (hero_virt_container_spec_parent_class)->finalize (object);
}

void
_hero_virt_container_spec_get_prop (HeroVirtContainerSpec *self, guint prop_id, GValue *value)
{
  g_value_copy (&self->values[prop_id], value);
}

gboolean
_hero_virt_container_spec_set_prop (HeroVirtContainerSpec *self, guint prop_id, const GValue *value)
{
  if (g_param_values_cmp (properties[prop_id], &self->values[prop_id], value) == 0
      && !G_VALUE_HOLDS (value, G_TYPE_STRV))
    return FALSE;
  g_value_copy (value, g_value_reset (&self->values[prop_id]));
  return TRUE;
}

void
_hero_virt_container_spec_add_item (HeroVirtContainerSpec *self, guint prop_id, char *item)
{
  char **old = g_value_get_boxed (&self->values[prop_id]);
  guint  n = old ? g_strv_length (old) : 0;
  char **items = g_new0 (char *, n + 2);

  for (guint i = 0; i < n; i++)
    items[i] = g_strdup (old[i]);
  items[n] = item;
  g_value_take_boxed (&self->values[prop_id], items);
}

static void
hero_virt_container_spec_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  _hero_virt_container_spec_get_prop (HERO_VIRT_CONTAINER_SPEC (object), prop_id, value);
}

void
_hero_virt_container_spec_make_pspecs (GParamSpec **pspecs, guint n, GParamFlags flags)
{
  GParamSpec *all[CONTAINER_SPEC_N_PROPS] = { NULL };

  flags |= G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
#define STRING(ID, name)                                                                           \
  all[CONTAINER_SPEC_PROP_##ID] = g_param_spec_string (name, NULL, NULL, NULL, flags)
#define STRV(ID, name)                                                                             \
  all[CONTAINER_SPEC_PROP_##ID] = g_param_spec_boxed (name, NULL, NULL, G_TYPE_STRV, flags)
  STRING (NAME, "name");
  STRING (IMAGE, "image");
  STRV (PORTS, "ports");
  STRV (VOLUMES, "volumes");
  STRV (ENV, "env");
  STRING (NETWORK, "network");
  STRV (NETWORK_ALIASES, "network-aliases");
  all[CONTAINER_SPEC_PROP_CPU_LIMIT]
      = g_param_spec_double ("cpu-limit", NULL, NULL, 0.0, 1024.0, 0.0, flags);
  STRING (MEMORY_LIMIT, "memory-limit");
  STRING (MEMORY_SWAP_LIMIT, "memory-swap-limit");
  all[CONTAINER_SPEC_PROP_CPU_SHARES]
      = g_param_spec_uint ("cpu-shares", NULL, NULL, 0, 262144, 0, flags);
  STRING (RESTART_POLICY, "restart-policy");
  all[CONTAINER_SPEC_PROP_DETACH] = g_param_spec_boolean ("detach", NULL, NULL, TRUE, flags);
  STRING (SNAPSHOTTER, "snapshotter");
  STRING (RUNTIME, "runtime");
  STRV (ANNOTATIONS, "annotations");
  STRV (LABELS, "labels");
  all[CONTAINER_SPEC_PROP_PRIVILEGED]
      = g_param_spec_boolean ("privileged", NULL, NULL, FALSE, flags);
  STRV (DEVICES, "devices");
  STRV (ENTRYPOINT, "entrypoint");
  STRV (COMMAND, "command");
  STRING (HEALTH_CMD, "health-cmd");
  STRING (HEALTH_INTERVAL, "health-interval");
  STRING (HEALTH_TIMEOUT, "health-timeout");
  all[CONTAINER_SPEC_PROP_HEALTH_RETRIES]
      = g_param_spec_uint ("health-retries", NULL, NULL, 0, G_MAXUINT, 0, flags);
  STRING (HEALTH_START_PERIOD, "health-start-period");
#undef STRING
#undef STRV
  for (guint i = 1; i < CONTAINER_SPEC_N_PROPS; i++)
    if (i < n)
      pspecs[i] = all[i];
    else
      g_param_spec_unref (g_param_spec_ref_sink (all[i]));
}

static void
hero_virt_container_spec_class_init (HeroVirtContainerSpecClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_container_spec_finalize;
  object_class->get_property = hero_virt_container_spec_get_property;

  /**
   * HeroVirtContainerSpec:name:
   *
   * The container's name; %NULL lets the engine pick one.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:image:
   *
   * The image to run, such as `localhost/web:1`; never %NULL.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:ports:
   *
   * Published ports as `[host-ip:]host-port:container-port/protocol`
   * strings (an IPv6 host address in brackets); %NULL for none.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:volumes:
   *
   * Bind mounts (`/host/path:/container/path[:ro]`) and named volumes
   * (`name:/container/path[:ro]`); %NULL for none.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:env:
   *
   * Environment variables as `KEY=value` strings; %NULL for none.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:network:
   *
   * The network to join (`bridge`, `host`, `none` or a network's name);
   * %NULL for the engine's default.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:network-aliases:
   *
   * Extra DNS names for the container on its network; %NULL for none.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:cpu-limit:
   *
   * How many CPUs the container may use, such as 0.5; 0 for no limit.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:memory-limit:
   *
   * The memory limit, such as `64m` or `1g`; %NULL for none.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:memory-swap-limit:
   *
   * Memory plus swap limit, such as `128m`, or `-1` for unlimited swap;
   * %NULL for the engine's default.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:cpu-shares:
   *
   * Relative CPU weight (1024 is the default weight); 0 leaves it unset.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:restart-policy:
   *
   * `no`, `always`, `unless-stopped` or `on-failure[:N]`; %NULL for `no`.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:detach:
   *
   * Run in the background; when %FALSE, creating and starting waits for
   * the container to exit.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:snapshotter:
   *
   * The containerd snapshotter (nerdctl only), such as `overlayfs`.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:runtime:
   *
   * The OCI runtime, such as `runc` or `kata-runtime`, or an absolute path.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:annotations:
   *
   * OCI annotations as `key=value` strings; %NULL for none.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:labels:
   *
   * Container labels as `key=value` strings; %NULL for none.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:privileged:
   *
   * Give the container extended privileges.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:devices:
   *
   * Host devices to add, as `/dev/host[:/dev/container[:rwm]]`; %NULL for
   * none.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:entrypoint:
   *
   * Overrides the image's entrypoint; %NULL keeps it, an empty array
   * clears it.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:command:
   *
   * Overrides the image's command (the arguments after the image); %NULL
   * keeps it.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:health-cmd:
   *
   * The health check's command, run by the container's shell; %NULL for
   * the image's own health check. The other `health-` settings only mean
   * something when it is set.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:health-interval:
   *
   * How often the check runs, such as `30s`; %NULL for the provider's
   * default (which may be no timer at all, where there is no systemd).
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:health-timeout:
   *
   * How long one check may take; %NULL for the engine's default.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:health-retries:
   *
   * Consecutive failures that make the container unhealthy; 0 for the
   * engine's default.
   *
   * Since: 0.1
   */
  /**
   * HeroVirtContainerSpec:health-start-period:
   *
   * A grace period after start during which failures do not count; %NULL
   * for none.
   *
   * Since: 0.1
   */
  _hero_virt_container_spec_make_pspecs (properties, CONTAINER_SPEC_N_PROPS, G_PARAM_READABLE);
  g_object_class_install_properties (object_class, CONTAINER_SPEC_N_PROPS, properties);
}

static void
hero_virt_container_spec_init (HeroVirtContainerSpec *self)
{
  for (guint i = 1; i < CONTAINER_SPEC_N_PROPS; i++)
    {
      g_value_init (&self->values[i], G_PARAM_SPEC_VALUE_TYPE (properties[i]));
      g_param_value_set_default (properties[i], &self->values[i]);
    }
}

HeroVirtContainerSpec *
_hero_virt_container_spec_new_draft (void)
{
  return g_object_new (HERO_VIRT_TYPE_CONTAINER_SPEC, NULL);
}

#define STRING(self, ID) g_value_get_string (&(self)->values[CONTAINER_SPEC_PROP_##ID])
#define STRV(self, ID)                                                                             \
  ((const char *const *)g_value_get_boxed (&(self)->values[CONTAINER_SPEC_PROP_##ID]))

/* ---- validation ---- */

static gboolean
check_optional (const char *value,
                const char *what,
                const char *re,
                const char *why,
                GError    **error)
{
  return value == NULL || _hero_virt_match (re, value)
         || hero_virt_set_invalid_argument (error, what, value, why);
}

static gboolean
validate_devices (const char *const *devices, GError **error)
{
  for (guint i = 0; devices != NULL && devices[i] != NULL; i++)
    if (!hero_virt_validate_device (devices[i], error))
      return FALSE;
  return TRUE;
}

gboolean
_hero_virt_container_spec_validate (HeroVirtContainerSpec *self, GError **error)
{
  const char *const *ports = STRV (self, PORTS);
  const char *const *volumes = STRV (self, VOLUMES);
  double             cpus = g_value_get_double (&self->values[CONTAINER_SPEC_PROP_CPU_LIMIT]);

  if (STRING (self, NAME) != NULL
      && !hero_virt_validate_container_name (STRING (self, NAME), error))
    return FALSE;
  if (STRING (self, IMAGE) == NULL)
    return hero_virt_set_invalid_argument (error, "image reference", "",
                                           "a container needs an image");
  if (!hero_virt_validate_image_reference (STRING (self, IMAGE), error))
    return FALSE;
  for (guint i = 0; ports != NULL && ports[i] != NULL; i++)
    if (!_hero_virt_validate_port_mapping (ports[i], error))
      return FALSE;
  for (guint i = 0; volumes != NULL && volumes[i] != NULL; i++)
    if (!_hero_virt_validate_volume (volumes[i], error))
      return FALSE;
  if (!isfinite (cpus) || cpus < 0)
    return hero_virt_set_invalid_argument (error, "CPU limit", "", "use a positive number of CPUs");
  return _hero_virt_validate_key_values (STRV (self, ENV), "environment variable",
                                         "^[A-Za-z_][A-Za-z0-9_]*$", error)
         && _hero_virt_validate_key_values (STRV (self, LABELS), "label",
                                            "^[A-Za-z0-9][A-Za-z0-9._/-]*$", error)
         && _hero_virt_validate_key_values (STRV (self, ANNOTATIONS), "annotation",
                                            "^[A-Za-z0-9][A-Za-z0-9._/-]*$", error)
         && check_optional (STRING (self, NETWORK), "network", _HERO_VIRT_NAME_RE,
                            "use a network name of letters, digits, _ . -", error)
         && _hero_virt_validate_each (STRV (self, NETWORK_ALIASES), "network alias",
                                      _HERO_VIRT_NAME_RE, "use letters, digits, _ . -", error)
         && validate_devices (STRV (self, DEVICES), error)
         && hero_virt_validate_size ("memory limit", STRING (self, MEMORY_LIMIT), error)
         && check_optional (STRING (self, MEMORY_SWAP_LIMIT), "memory+swap limit",
                            "^(-1|[0-9]+(\\.[0-9]+)?[bkmgBKMG]?)$", "use a size such as 1g, or -1",
                            error)
         && check_optional (STRING (self, RESTART_POLICY), "restart policy",
                            "^(no|always|unless-stopped|on-failure(:[0-9]{1,4})?)$",
                            "use no, always, unless-stopped or on-failure[:N]", error)
         && check_optional (STRING (self, SNAPSHOTTER), "snapshotter", _HERO_VIRT_NAME_RE,
                            "use a snapshotter name such as overlayfs", error)
         && check_optional (STRING (self, RUNTIME), "runtime",
                            "^([a-zA-Z0-9][a-zA-Z0-9_.-]*|/[A-Za-z0-9_./-]+)$",
                            "use a runtime name such as runc, or an absolute path", error);
}

HeroVirtContainerSpec *
_hero_virt_container_spec_snapshot (HeroVirtContainerSpec *draft,
                                    HeroVirtHealthCheck   *health_check,
                                    GError               **error)
{
  g_autoptr (HeroVirtContainerSpec) self = NULL;

  if (!_hero_virt_container_spec_validate (draft, error)
      || (health_check != NULL && !hero_virt_health_check_validate (health_check, error)))
    return NULL;

  self = _hero_virt_container_spec_new_draft ();
  for (guint i = 1; i < CONTAINER_SPEC_N_SHARED; i++)
    g_value_copy (&draft->values[i], g_value_reset (&self->values[i]));
  if (health_check != NULL)
    {
      g_value_set_string (&self->values[CONTAINER_SPEC_PROP_HEALTH_CMD],
                          hero_virt_health_check_get_cmd (health_check));
      g_value_set_string (&self->values[CONTAINER_SPEC_PROP_HEALTH_INTERVAL],
                          hero_virt_health_check_get_interval (health_check));
      g_value_set_string (&self->values[CONTAINER_SPEC_PROP_HEALTH_TIMEOUT],
                          hero_virt_health_check_get_timeout (health_check));
      g_value_set_uint (&self->values[CONTAINER_SPEC_PROP_HEALTH_RETRIES],
                        hero_virt_health_check_get_retries (health_check));
      g_value_set_string (&self->values[CONTAINER_SPEC_PROP_HEALTH_START_PERIOD],
                          hero_virt_health_check_get_start_period (health_check));
    }
  return g_steal_pointer (&self);
}

/* ---- JSON ---- */

/**
 * hero_virt_container_spec_to_json_node:
 * @self: a #HeroVirtContainerSpec
 *
 * Describes the spec as a JSON object whose members are the names of its
 * properties that differ from their defaults (`{"name": "web", "image":
 * "localhost/web:1", "ports": ["8080:80/tcp"], …}`), as
 * json_gobject_serialize() writes it.
 *
 * Returns: (transfer full): a new JSON object node
 *
 * Since: 0.1
 */
JsonNode *
hero_virt_container_spec_to_json_node (HeroVirtContainerSpec *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_SPEC (self), NULL);

  return json_gobject_serialize (G_OBJECT (self));
}

/**
 * hero_virt_container_spec_to_json:
 * @self: a #HeroVirtContainerSpec
 * @pretty: whether to indent the output
 *
 * Returns: (transfer full): the spec as the JSON text described at
 *   [method@HeroVirt.ContainerSpec.to_json_node]
 *
 * Since: 0.1
 */
char *
hero_virt_container_spec_to_json (HeroVirtContainerSpec *self, gboolean pretty)
{
  g_autoptr (JsonNode) node = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_SPEC (self), NULL);

  node = hero_virt_container_spec_to_json_node (self);
  return json_to_string (node, pretty);
}

/* ---- getters ---- */

#define DEFINE_GETTER(type, name, ID, get, fail)                                                   \
  type hero_virt_container_spec_get_##name (HeroVirtContainerSpec *self)                           \
  {                                                                                                \
    g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_SPEC (self), fail);                               \
    return (type)get (&self->values[CONTAINER_SPEC_PROP_##ID]);                                    \
  }
#define STRING_GETTER(name, ID) DEFINE_GETTER (const char *, name, ID, g_value_get_string, NULL)
#define STRV_GETTER(name, ID) DEFINE_GETTER (const char *const *, name, ID, g_value_get_boxed, NULL)

/**
 * hero_virt_container_spec_get_name:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable): the value of [property@HeroVirt.ContainerSpec:name]
 *
 * Since: 0.1
 */
STRING_GETTER (name, NAME)

/**
 * hero_virt_container_spec_get_image:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: the value of [property@HeroVirt.ContainerSpec:image]
 *
 * Since: 0.1
 */
STRING_GETTER (image, IMAGE)

/**
 * hero_virt_container_spec_get_ports:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable) (array zero-terminated=1): the value of
 *   [property@HeroVirt.ContainerSpec:ports]
 *
 * Since: 0.1
 */
STRV_GETTER (ports, PORTS)

/**
 * hero_virt_container_spec_get_volumes:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable) (array zero-terminated=1): the value of
 *   [property@HeroVirt.ContainerSpec:volumes]
 *
 * Since: 0.1
 */
STRV_GETTER (volumes, VOLUMES)

/**
 * hero_virt_container_spec_get_env:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable) (array zero-terminated=1): the value of
 *   [property@HeroVirt.ContainerSpec:env]
 *
 * Since: 0.1
 */
STRV_GETTER (env, ENV)

/**
 * hero_virt_container_spec_get_network:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable): the value of [property@HeroVirt.ContainerSpec:network]
 *
 * Since: 0.1
 */
STRING_GETTER (network, NETWORK)

/**
 * hero_virt_container_spec_get_network_aliases:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable) (array zero-terminated=1): the value of
 *   [property@HeroVirt.ContainerSpec:network-aliases]
 *
 * Since: 0.1
 */
STRV_GETTER (network_aliases, NETWORK_ALIASES)

/**
 * hero_virt_container_spec_get_cpu_limit:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: the value of [property@HeroVirt.ContainerSpec:cpu-limit]
 *
 * Since: 0.1
 */
DEFINE_GETTER (double, cpu_limit, CPU_LIMIT, g_value_get_double, 0)

/**
 * hero_virt_container_spec_get_memory_limit:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable): the value of [property@HeroVirt.ContainerSpec:memory-limit]
 *
 * Since: 0.1
 */
STRING_GETTER (memory_limit, MEMORY_LIMIT)

/**
 * hero_virt_container_spec_get_memory_swap_limit:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable): the value of [property@HeroVirt.ContainerSpec:memory-swap-limit]
 *
 * Since: 0.1
 */
STRING_GETTER (memory_swap_limit, MEMORY_SWAP_LIMIT)

/**
 * hero_virt_container_spec_get_cpu_shares:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: the value of [property@HeroVirt.ContainerSpec:cpu-shares]
 *
 * Since: 0.1
 */
DEFINE_GETTER (guint, cpu_shares, CPU_SHARES, g_value_get_uint, 0)

/**
 * hero_virt_container_spec_get_restart_policy:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable): the value of [property@HeroVirt.ContainerSpec:restart-policy]
 *
 * Since: 0.1
 */
STRING_GETTER (restart_policy, RESTART_POLICY)

/**
 * hero_virt_container_spec_get_detach:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: the value of [property@HeroVirt.ContainerSpec:detach]
 *
 * Since: 0.1
 */
DEFINE_GETTER (gboolean, detach, DETACH, g_value_get_boolean, FALSE)

/**
 * hero_virt_container_spec_get_snapshotter:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable): the value of [property@HeroVirt.ContainerSpec:snapshotter]
 *
 * Since: 0.1
 */
STRING_GETTER (snapshotter, SNAPSHOTTER)

/**
 * hero_virt_container_spec_get_runtime:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable): the value of [property@HeroVirt.ContainerSpec:runtime]
 *
 * Since: 0.1
 */
STRING_GETTER (runtime, RUNTIME)

/**
 * hero_virt_container_spec_get_annotations:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable) (array zero-terminated=1): the value of
 *   [property@HeroVirt.ContainerSpec:annotations]
 *
 * Since: 0.1
 */
STRV_GETTER (annotations, ANNOTATIONS)

/**
 * hero_virt_container_spec_get_labels:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable) (array zero-terminated=1): the value of
 *   [property@HeroVirt.ContainerSpec:labels]
 *
 * Since: 0.1
 */
STRV_GETTER (labels, LABELS)

/**
 * hero_virt_container_spec_get_privileged:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: the value of [property@HeroVirt.ContainerSpec:privileged]
 *
 * Since: 0.1
 */
DEFINE_GETTER (gboolean, privileged, PRIVILEGED, g_value_get_boolean, FALSE)

/**
 * hero_virt_container_spec_get_devices:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable) (array zero-terminated=1): the value of
 *   [property@HeroVirt.ContainerSpec:devices]
 *
 * Since: 0.1
 */
STRV_GETTER (devices, DEVICES)

/**
 * hero_virt_container_spec_get_entrypoint:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable) (array zero-terminated=1): the value of
 *   [property@HeroVirt.ContainerSpec:entrypoint]
 *
 * Since: 0.1
 */
STRV_GETTER (entrypoint, ENTRYPOINT)

/**
 * hero_virt_container_spec_get_command:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable) (array zero-terminated=1): the value of
 *   [property@HeroVirt.ContainerSpec:command]
 *
 * Since: 0.1
 */
STRV_GETTER (command, COMMAND)

/**
 * hero_virt_container_spec_get_health_cmd:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable): the value of [property@HeroVirt.ContainerSpec:health-cmd]
 *
 * Since: 0.1
 */
STRING_GETTER (health_cmd, HEALTH_CMD)

/**
 * hero_virt_container_spec_get_health_interval:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable): the value of [property@HeroVirt.ContainerSpec:health-interval]
 *
 * Since: 0.1
 */
STRING_GETTER (health_interval, HEALTH_INTERVAL)

/**
 * hero_virt_container_spec_get_health_timeout:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable): the value of [property@HeroVirt.ContainerSpec:health-timeout]
 *
 * Since: 0.1
 */
STRING_GETTER (health_timeout, HEALTH_TIMEOUT)

/**
 * hero_virt_container_spec_get_health_retries:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: the value of [property@HeroVirt.ContainerSpec:health-retries]
 *
 * Since: 0.1
 */
DEFINE_GETTER (guint, health_retries, HEALTH_RETRIES, g_value_get_uint, 0)

/**
 * hero_virt_container_spec_get_health_start_period:
 * @self: a #HeroVirtContainerSpec
 *
 * Returns: (nullable): the value of [property@HeroVirt.ContainerSpec:health-start-period]
 *
 * Since: 0.1
 */
STRING_GETTER (health_start_period, HEALTH_START_PERIOD)
