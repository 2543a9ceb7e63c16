/* hero-virt-kube-workload-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-kube-builders-private.h"

/**
 * HeroVirtKubeWorkloadBuilder:
 *
 * What [class@HeroVirt.PodBuilder] and [class@HeroVirt.DeploymentBuilder]
 * share: the pod's containers (image, command, arguments, environment,
 * plain or from a config map or secret key, ports, resource requests and
 * limits, probes, mounts, privileged mode), its volumes (config map,
 * secret, emptyDir, hostPath, persistent volume claim), node selector,
 * restart policy and service account.
 *
 * The pod starts with one container named after the object; container
 * settings go to the current container, and
 * [method@HeroVirt.KubeWorkloadBuilder.container] adds another (a
 * sidecar) and makes it current. A `volume_*()` call adds a pod volume
 * and mounts it in the current container; `mount()` mounts an existing
 * volume in the current container too.
 *
 * Everything is checked when the object is built, with the field named:
 * `spec.containers[1].image`, `spec.template.spec.volumes[0].secret`.
 *
 * Since: 0.1
 */

typedef enum
{
  ENV_VALUE,
  ENV_CONFIG_MAP,
  ENV_SECRET,
} EnvSource;

typedef struct
{
  char     *name;
  EnvSource source;
  char     *value; /* or the config map's / secret's name */
  char     *key;
} Env;

typedef struct
{
  char *name;
  int   port;
  char *protocol;
} Port;

typedef struct
{
  char    *volume;
  char    *path;
  gboolean read_only;
} Mount;

typedef struct
{
  char              *name; /* NULL: the object's */
  char              *image;
  char              *pull_policy;
  char             **command;
  char             **args;
  char              *working_dir;
  GPtrArray         *env;
  GPtrArray         *ports;
  GPtrArray         *mounts;
  char              *requests[2], *limits[2]; /* cpu, memory */
  HeroVirtKubeProbe *readiness, *liveness, *startup;
  int                privileged; /* -1: unset */
} Container;

typedef enum
{
  VOLUME_CONFIG_MAP,
  VOLUME_SECRET,
  VOLUME_EMPTY_DIR,
  VOLUME_HOST_PATH,
  VOLUME_PVC,
} VolumeType;

typedef struct
{
  char      *name;
  VolumeType type;
  char      *source;
} Volume;

typedef struct
{
  GPtrArray  *containers;
  Container  *current;
  GPtrArray  *volumes;
  JsonObject *node_selector;
  char       *restart_policy;
  char       *service_account;
} HeroVirtKubeWorkloadBuilderPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (HeroVirtKubeWorkloadBuilder,
                                     hero_virt_kube_workload_builder,
                                     HERO_VIRT_TYPE_KUBE_RESOURCE_BUILDER)

#define PRIV(self)                                                                                 \
  ((HeroVirtKubeWorkloadBuilderPrivate *)hero_virt_kube_workload_builder_get_instance_private (    \
      HERO_VIRT_KUBE_WORKLOAD_BUILDER (self)))

static void
env_free (Env *e)
{
  g_free (e->name);
  g_free (e->value);
  g_free (e->key);
  g_free (e);
}

static void
port_free (Port *p)
{
  g_free (p->name);
  g_free (p->protocol);
  g_free (p);
}

static void
mount_free (Mount *m)
{
  g_free (m->volume);
  g_free (m->path);
  g_free (m);
}

static void
volume_free (Volume *v)
{
  g_free (v->name);
  g_free (v->source);
  g_free (v);
}

static void
container_free (Container *c)
{
  g_free (c->name);
  g_free (c->image);
  g_free (c->pull_policy);
  g_strfreev (c->command);
  g_strfreev (c->args);
  g_free (c->working_dir);
  g_ptr_array_unref (c->env);
  g_ptr_array_unref (c->ports);
  g_ptr_array_unref (c->mounts);
  for (guint i = 0; i < 2; i++)
    {
      g_free (c->requests[i]);
      g_free (c->limits[i]);
    }
  g_clear_object (&c->readiness);
  g_clear_object (&c->liveness);
  g_clear_object (&c->startup);
  g_free (c);
}

static Container *
container_new (const char *name)
{
  Container *c = g_new0 (Container, 1);

  c->name = g_strdup (name);
  c->env = g_ptr_array_new_with_free_func ((GDestroyNotify)env_free);
  c->ports = g_ptr_array_new_with_free_func ((GDestroyNotify)port_free);
  c->mounts = g_ptr_array_new_with_free_func ((GDestroyNotify)mount_free);
  c->privileged = -1;
  return c;
}

static void
hero_virt_kube_workload_builder_finalize (GObject *object)
{
  HeroVirtKubeWorkloadBuilderPrivate *priv = PRIV (object);

  g_ptr_array_unref (priv->containers);
  g_ptr_array_unref (priv->volumes);
  json_object_unref (priv->node_selector);
  g_free (priv->restart_policy);
  g_free (priv->service_account);
  G_OBJECT_CLASS (hero_virt_kube_workload_builder_parent_class)->finalize (object);
}

static void
hero_virt_kube_workload_builder_class_init (HeroVirtKubeWorkloadBuilderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hero_virt_kube_workload_builder_finalize;
}

static void
hero_virt_kube_workload_builder_init (HeroVirtKubeWorkloadBuilder *self)
{
  HeroVirtKubeWorkloadBuilderPrivate *priv = PRIV (self);

  priv->containers = g_ptr_array_new_with_free_func ((GDestroyNotify)container_free);
  priv->current = container_new (NULL);
  g_ptr_array_add (priv->containers, priv->current);
  priv->volumes = g_ptr_array_new_with_free_func ((GDestroyNotify)volume_free);
  priv->node_selector = json_object_new ();
}

#define CURRENT(self) (PRIV (self)->current)

static void
replace (char **slot, const char *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

/**
 * hero_virt_kube_workload_builder_container:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @name: the new container's name (a DNS-1123 label)
 *
 * Adds a container to the pod and makes it the current one: the
 * container settings that follow are its own. The first container is
 * there from the start, named after the object; called before anything
 * was set on it (no image yet), this names that first container instead.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_container (HeroVirtKubeWorkloadBuilder *self, const char *name)
{
  HeroVirtKubeWorkloadBuilderPrivate *priv;

  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  priv = PRIV (self);
  if (priv->containers->len == 1 && priv->current->name == NULL && priv->current->image == NULL)
    {
      replace (&priv->current->name, name ? name : "");
      return self;
    }
  priv->current = container_new (name ? name : "");
  g_ptr_array_add (priv->containers, priv->current);
  return self;
}

/**
 * hero_virt_kube_workload_builder_image:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @image: the current container's image reference, such as
 *   `docker.io/library/nginx:1.27`
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_image (HeroVirtKubeWorkloadBuilder *self, const char *image)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  replace (&CURRENT (self)->image, image);
  return self;
}

/**
 * hero_virt_kube_workload_builder_image_pull_policy:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @policy: `Always`, `IfNotPresent` or `Never`
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_image_pull_policy (HeroVirtKubeWorkloadBuilder *self,
                                                   const char                  *policy)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  replace (&CURRENT (self)->pull_policy, policy);
  return self;
}

/**
 * hero_virt_kube_workload_builder_command:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @command: (array zero-terminated=1) (nullable): the current
 *   container's entrypoint (`command`, replacing the image's), or %NULL
 *   for the image's
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_command (HeroVirtKubeWorkloadBuilder *self,
                                         const char *const           *command)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  g_strfreev (CURRENT (self)->command);
  CURRENT (self)->command = g_strdupv ((char **)command);
  return self;
}

/**
 * hero_virt_kube_workload_builder_args:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @args: (array zero-terminated=1) (nullable): the current container's
 *   arguments (`args`, the image's `CMD` replaced), or %NULL for the
 *   image's
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_args (HeroVirtKubeWorkloadBuilder *self, const char *const *args)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  g_strfreev (CURRENT (self)->args);
  CURRENT (self)->args = g_strdupv ((char **)args);
  return self;
}

/**
 * hero_virt_kube_workload_builder_working_dir:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @dir: (nullable): the current container's working directory (absolute)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_working_dir (HeroVirtKubeWorkloadBuilder *self, const char *dir)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  replace (&CURRENT (self)->working_dir, dir);
  return self;
}

static HeroVirtKubeWorkloadBuilder *
add_env (HeroVirtKubeWorkloadBuilder *self,
         const char                  *name,
         EnvSource                    source,
         const char                  *value,
         const char                  *key)
{
  Env *e = g_new0 (Env, 1);

  e->name = g_strdup (name);
  e->source = source;
  e->value = g_strdup (value);
  e->key = g_strdup (key);
  g_ptr_array_add (CURRENT (self)->env, e);
  return self;
}

/**
 * hero_virt_kube_workload_builder_env:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @name: the variable's name
 * @value: its value
 *
 * Sets an environment variable of the current container.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_env (HeroVirtKubeWorkloadBuilder *self,
                                     const char                  *name,
                                     const char                  *value)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  return add_env (self, name, ENV_VALUE, value ? value : "", NULL);
}

/**
 * hero_virt_kube_workload_builder_env_from_config_map:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @name: the variable's name
 * @config_map: the config map's name
 * @key: the key whose value the variable takes
 *
 * Sets an environment variable of the current container from a config
 * map's key (`valueFrom.configMapKeyRef`).
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_env_from_config_map (HeroVirtKubeWorkloadBuilder *self,
                                                     const char                  *name,
                                                     const char                  *config_map,
                                                     const char                  *key)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  return add_env (self, name, ENV_CONFIG_MAP, config_map, key);
}

/**
 * hero_virt_kube_workload_builder_env_from_secret:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @name: the variable's name
 * @secret: the secret's name
 * @key: the key whose value the variable takes
 *
 * Sets an environment variable of the current container from a secret's
 * key (`valueFrom.secretKeyRef`): the value never appears in the object.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_env_from_secret (HeroVirtKubeWorkloadBuilder *self,
                                                 const char                  *name,
                                                 const char                  *secret,
                                                 const char                  *key)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  return add_env (self, name, ENV_SECRET, secret, key);
}

/**
 * hero_virt_kube_workload_builder_port:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @port: a TCP port the current container listens on
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_port (HeroVirtKubeWorkloadBuilder *self, int port)
{
  return hero_virt_kube_workload_builder_port_full (self, NULL, port, NULL);
}

/**
 * hero_virt_kube_workload_builder_port_full:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @name: (nullable): the port's name (an IANA service name: at most 15
 *   characters, lower case, digits and `-`), for services to refer to
 * @port: the port the current container listens on
 * @protocol: (nullable): `TCP` (the default), `UDP` or `SCTP`
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_port_full (HeroVirtKubeWorkloadBuilder *self,
                                           const char                  *name,
                                           int                          port,
                                           const char                  *protocol)
{
  Port *p;

  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  p = g_new0 (Port, 1);
  p->name = g_strdup (name);
  p->port = port;
  p->protocol = g_strdup (protocol);
  g_ptr_array_add (CURRENT (self)->ports, p);
  return self;
}

/**
 * hero_virt_kube_workload_builder_requests:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @cpu: (nullable): the CPU the current container is guaranteed, such as
 *   `250m`, or %NULL to leave it
 * @memory: (nullable): the memory, such as `64Mi`, or %NULL to leave it
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_requests (HeroVirtKubeWorkloadBuilder *self,
                                          const char                  *cpu,
                                          const char                  *memory)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  if (cpu != NULL)
    replace (&CURRENT (self)->requests[0], cpu);
  if (memory != NULL)
    replace (&CURRENT (self)->requests[1], memory);
  return self;
}

/**
 * hero_virt_kube_workload_builder_limits:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @cpu: (nullable): the most CPU the current container may use, such as
 *   `1`, or %NULL to leave it
 * @memory: (nullable): the most memory, such as `128Mi`, or %NULL
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_limits (HeroVirtKubeWorkloadBuilder *self,
                                        const char                  *cpu,
                                        const char                  *memory)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  if (cpu != NULL)
    replace (&CURRENT (self)->limits[0], cpu);
  if (memory != NULL)
    replace (&CURRENT (self)->limits[1], memory);
  return self;
}

static void
set_probe (HeroVirtKubeProbe **slot, HeroVirtKubeProbe *probe)
{
  g_set_object (slot, probe);
}

/**
 * hero_virt_kube_workload_builder_readiness_probe:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @probe: (nullable): when the current container is ready for traffic,
 *   or %NULL for none
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_readiness_probe (HeroVirtKubeWorkloadBuilder *self,
                                                 HeroVirtKubeProbe           *probe)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  set_probe (&CURRENT (self)->readiness, probe);
  return self;
}

/**
 * hero_virt_kube_workload_builder_liveness_probe:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @probe: (nullable): when the current container must be restarted, or
 *   %NULL for none
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_liveness_probe (HeroVirtKubeWorkloadBuilder *self,
                                                HeroVirtKubeProbe           *probe)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  set_probe (&CURRENT (self)->liveness, probe);
  return self;
}

/**
 * hero_virt_kube_workload_builder_startup_probe:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @probe: (nullable): when the current container has started (the other
 *   probes wait for it), or %NULL for none
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_startup_probe (HeroVirtKubeWorkloadBuilder *self,
                                               HeroVirtKubeProbe           *probe)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  set_probe (&CURRENT (self)->startup, probe);
  return self;
}

/**
 * hero_virt_kube_workload_builder_privileged:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @privileged: run the current container privileged
 *   (`securityContext.privileged`)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_privileged (HeroVirtKubeWorkloadBuilder *self, gboolean privileged)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  CURRENT (self)->privileged = privileged ? 1 : 0;
  return self;
}

static HeroVirtKubeWorkloadBuilder *
add_volume (HeroVirtKubeWorkloadBuilder *self,
            const char                  *volume,
            VolumeType                   type,
            const char                  *source,
            const char                  *mount_path,
            gboolean                     read_only)
{
  Volume *v = g_new0 (Volume, 1);

  v->name = g_strdup (volume);
  v->type = type;
  v->source = g_strdup (source);
  g_ptr_array_add (PRIV (self)->volumes, v);
  if (mount_path != NULL)
    hero_virt_kube_workload_builder_mount (self, volume, mount_path, read_only);
  return self;
}

/**
 * hero_virt_kube_workload_builder_volume_config_map:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @volume: the volume's name (a DNS-1123 label)
 * @config_map: the config map whose keys become files
 * @mount_path: (nullable): where the current container sees it
 *   (read-only), or %NULL to only add the volume
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_volume_config_map (HeroVirtKubeWorkloadBuilder *self,
                                                   const char                  *volume,
                                                   const char                  *config_map,
                                                   const char                  *mount_path)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  return add_volume (self, volume, VOLUME_CONFIG_MAP, config_map, mount_path, TRUE);
}

/**
 * hero_virt_kube_workload_builder_volume_secret:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @volume: the volume's name (a DNS-1123 label)
 * @secret: the secret whose keys become files
 * @mount_path: (nullable): where the current container sees it
 *   (read-only), or %NULL to only add the volume
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_volume_secret (HeroVirtKubeWorkloadBuilder *self,
                                               const char                  *volume,
                                               const char                  *secret,
                                               const char                  *mount_path)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  return add_volume (self, volume, VOLUME_SECRET, secret, mount_path, TRUE);
}

/**
 * hero_virt_kube_workload_builder_volume_empty_dir:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @volume: the volume's name (a DNS-1123 label)
 * @mount_path: (nullable): where the current container sees it, or
 *   %NULL to only add the volume
 *
 * Adds an empty scratch directory that lives as long as the pod.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_volume_empty_dir (HeroVirtKubeWorkloadBuilder *self,
                                                  const char                  *volume,
                                                  const char                  *mount_path)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  return add_volume (self, volume, VOLUME_EMPTY_DIR, NULL, mount_path, FALSE);
}

/**
 * hero_virt_kube_workload_builder_volume_host_path:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @volume: the volume's name (a DNS-1123 label)
 * @host_path: an absolute path on the node
 * @mount_path: (nullable): where the current container sees it, or
 *   %NULL to only add the volume
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_volume_host_path (HeroVirtKubeWorkloadBuilder *self,
                                                  const char                  *volume,
                                                  const char                  *host_path,
                                                  const char                  *mount_path)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  return add_volume (self, volume, VOLUME_HOST_PATH, host_path, mount_path, FALSE);
}

/**
 * hero_virt_kube_workload_builder_volume_pvc:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @volume: the volume's name (a DNS-1123 label)
 * @claim: the persistent volume claim's name
 * @mount_path: (nullable): where the current container sees it, or
 *   %NULL to only add the volume
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_volume_pvc (HeroVirtKubeWorkloadBuilder *self,
                                            const char                  *volume,
                                            const char                  *claim,
                                            const char                  *mount_path)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  return add_volume (self, volume, VOLUME_PVC, claim, mount_path, FALSE);
}

/**
 * hero_virt_kube_workload_builder_mount:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @volume: a volume of the pod
 * @mount_path: where the current container sees it (absolute)
 * @read_only: mount it read-only
 *
 * Mounts a volume the pod has (added with a `volume_*()` call, before or
 * after) in the current container, say a sidecar sharing an emptyDir.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_mount (HeroVirtKubeWorkloadBuilder *self,
                                       const char                  *volume,
                                       const char                  *mount_path,
                                       gboolean                     read_only)
{
  Mount *m;

  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  m = g_new0 (Mount, 1);
  m->volume = g_strdup (volume);
  m->path = g_strdup (mount_path);
  m->read_only = read_only;
  g_ptr_array_add (CURRENT (self)->mounts, m);
  return self;
}

/**
 * hero_virt_kube_workload_builder_node_selector:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @key: a node label's key, such as `kubernetes.io/arch`
 * @value: the value the node must have
 *
 * Schedules the pod only on nodes with this label.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_node_selector (HeroVirtKubeWorkloadBuilder *self,
                                               const char                  *key,
                                               const char                  *value)
{
  GError *error = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  if (value == NULL)
    value = "";
  if ((key == NULL && !hero_virt_set_invalid_argument (&error, "label key", key, "it is missing"))
      || !hero_virt_kube_validate_label_key (key, &error)
      || !hero_virt_kube_validate_label_value (value, &error))
    _hero_virt_kube_builder_take (self, "nodeSelector", error);
  else
    json_object_set_string_member (PRIV (self)->node_selector, key, value);
  return self;
}

/**
 * hero_virt_kube_workload_builder_restart_policy:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @policy: `Always`, `OnFailure` or `Never` (deployments allow only
 *   `Always`)
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_restart_policy (HeroVirtKubeWorkloadBuilder *self,
                                                const char                  *policy)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  replace (&PRIV (self)->restart_policy, policy);
  return self;
}

/**
 * hero_virt_kube_workload_builder_service_account:
 * @self: a #HeroVirtKubeWorkloadBuilder
 * @name: (nullable): the service account the pod runs as, or %NULL for
 *   `default`
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtKubeWorkloadBuilder *
hero_virt_kube_workload_builder_service_account (HeroVirtKubeWorkloadBuilder *self,
                                                 const char                  *name)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBE_WORKLOAD_BUILDER (self), NULL);
  replace (&PRIV (self)->service_account, name);
  return self;
}

/* ---- building ----------------------------------------------------------- */

static gboolean
one_of (const char *value, const char *const *allowed)
{
  return value != NULL && g_strv_contains (allowed, value);
}

static gboolean
check_choice (const char *field, const char *value, const char *const *allowed, GError **error)
{
  g_autofree char *list = NULL;
  g_autofree char *why = NULL;

  if (one_of (value, allowed))
    return TRUE;
  list = g_strjoinv (", ", (char **)allowed);
  why = g_strdup_printf ("use one of %s", list);
  return hero_virt_set_invalid_argument (error, field, value, why);
}

static gboolean
check_argv (const char *field, char **argv, GError **error)
{
  for (guint i = 0; argv != NULL && argv[i] != NULL; i++)
    if (!g_utf8_validate (argv[i], -1, NULL))
      return hero_virt_set_invalid_argument (error, field, NULL, "an argument is not UTF-8");
  return TRUE;
}

static gboolean
is_port_name (const char *name)
{
  /* IANA_SVC_NAME: 1-15 of [a-z0-9-], a letter somewhere, no leading,
   * trailing or double '-' */
  gsize len = strlen (name);

  return len >= 1 && len <= 15 && strspn (name, "abcdefghijklmnopqrstuvwxyz0123456789-") == len
         && strpbrk (name, "abcdefghijklmnopqrstuvwxyz") != NULL && name[0] != '-'
         && name[len - 1] != '-' && strstr (name, "--") == NULL;
}

static gboolean
has_volume (HeroVirtKubeWorkloadBuilderPrivate *priv, const char *name)
{
  for (guint i = 0; i < priv->volumes->len; i++)
    if (g_strcmp0 (((Volume *)g_ptr_array_index (priv->volumes, i))->name, name) == 0)
      return TRUE;
  return FALSE;
}

static JsonObject *
env_json (Env *e, const char *field, GError **error)
{
  g_autoptr (JsonObject) o = json_object_new ();

  if (!hero_virt_validate_env_name (e->name, error))
    {
      g_prefix_error (error, "%s.name: ", field);
      return NULL;
    }
  json_object_set_string_member (o, "name", e->name);
  if (e->source == ENV_VALUE)
    {
      if (!g_utf8_validate (e->value, -1, NULL))
        {
          g_autofree char *what = g_strdup_printf ("%s.value", field);

          hero_virt_set_invalid_argument (error, what, NULL, "it is not UTF-8");
          return NULL;
        }
      json_object_set_string_member (o, "value", e->value);
    }
  else
    {
      gboolean         cm = e->source == ENV_CONFIG_MAP;
      const char      *ref = cm ? "configMapKeyRef" : "secretKeyRef";
      g_autofree char *what = g_strdup_printf ("%s.valueFrom.%s.name", field, ref);
      g_autofree char *key_what = g_strdup_printf ("%s.valueFrom.%s.key", field, ref);
      JsonObject      *from, *r;

      if (!_hero_virt_kube_check_name (what, e->value, hero_virt_kube_validate_dns1123_subdomain,
                                       error)
          || !_hero_virt_kube_check_key (key_what, e->key, error))
        return NULL;
      from = _hero_virt_json_object_member (o, "valueFrom");
      r = _hero_virt_json_object_member (from, ref);
      json_object_set_string_member (r, "name", e->value);
      json_object_set_string_member (r, "key", e->key);
    }
  return g_steal_pointer (&o);
}

static gboolean
resources_json (Container *c, JsonObject *co, const char *field, GError **error)
{
  const char *names[] = { "cpu", "memory" };
  char      **sets[] = { c->requests, c->limits };
  const char *members[] = { "requests", "limits" };

  for (guint s = 0; s < 2; s++)
    for (guint i = 0; i < 2; i++)
      {
        g_autofree char *what = NULL;
        JsonObject      *res;

        if (sets[s][i] == NULL)
          continue;
        what = g_strdup_printf ("%s.resources.%s.%s", field, members[s], names[i]);
        if (!_hero_virt_kube_check_quantity (what, sets[s][i], error))
          return FALSE;
        res = _hero_virt_json_object_member (co, "resources");
        json_object_set_string_member (_hero_virt_json_object_member (res, members[s]), names[i],
                                       sets[s][i]);
      }
  return TRUE;
}

static JsonObject *
container_json (HeroVirtKubeWorkloadBuilder *self, Container *c, const char *field, GError **error)
{
  static const char *const            pull_policies[] = { "Always", "IfNotPresent", "Never", NULL };
  static const char *const            protocols[] = { "TCP", "UDP", "SCTP", NULL };
  HeroVirtKubeWorkloadBuilderPrivate *priv = PRIV (self);
  g_autoptr (JsonObject) co = json_object_new ();
  const char *name
      = c->name ? c->name
                : hero_virt_kube_resource_builder_get_name (HERO_VIRT_KUBE_RESOURCE_BUILDER (self));
  g_autofree char *what = NULL;

#define FIELD(fmt, ...) (g_free (what), what = g_strdup_printf ("%s." fmt, field, ##__VA_ARGS__))
  if (!_hero_virt_kube_check_name (FIELD ("name"), name, hero_virt_kube_validate_dns1123_label,
                                   error))
    return NULL;
  json_object_set_string_member (co, "name", name);
  if (c->image == NULL)
    {
      hero_virt_set_invalid_argument (error, FIELD ("image"), NULL, "an image is required");
      return NULL;
    }
  if (!hero_virt_validate_image_reference (c->image, error))
    {
      g_prefix_error (error, "%s: ", FIELD ("image"));
      return NULL;
    }
  json_object_set_string_member (co, "image", c->image);
  if (c->pull_policy != NULL)
    {
      if (!check_choice (FIELD ("imagePullPolicy"), c->pull_policy, pull_policies, error))
        return NULL;
      json_object_set_string_member (co, "imagePullPolicy", c->pull_policy);
    }
  if (c->command != NULL)
    {
      if (!check_argv (FIELD ("command"), c->command, error))
        return NULL;
      json_object_set_array_member (co, "command",
                                    _hero_virt_json_strv_array ((const char *const *)c->command));
    }
  if (c->args != NULL)
    {
      if (!check_argv (FIELD ("args"), c->args, error))
        return NULL;
      json_object_set_array_member (co, "args",
                                    _hero_virt_json_strv_array ((const char *const *)c->args));
    }
  if (c->working_dir != NULL)
    {
      if (!_hero_virt_kube_check_absolute_path (FIELD ("workingDir"), c->working_dir, error))
        return NULL;
      json_object_set_string_member (co, "workingDir", c->working_dir);
    }
  for (guint i = 0; i < c->env->len; i++)
    {
      JsonObject *e = env_json (g_ptr_array_index (c->env, i), FIELD ("env[%u]", i), error);

      if (e == NULL)
        return NULL;
      json_array_add_object_element (_hero_virt_json_array_member (co, "env"), e);
    }
  for (guint i = 0; i < c->ports->len; i++)
    {
      Port       *p = g_ptr_array_index (c->ports, i);
      JsonObject *po;

      if (!_hero_virt_kube_check_port (FIELD ("ports[%u].containerPort", i), p->port, error))
        return NULL;
      if (p->name != NULL && !is_port_name (p->name))
        {
          hero_virt_set_invalid_argument (
              error, FIELD ("ports[%u].name", i), p->name,
              "a port name is 1 to 15 lower-case letters, digits and '-', with a letter");
          return NULL;
        }
      if (p->protocol != NULL
          && !check_choice (FIELD ("ports[%u].protocol", i), p->protocol, protocols, error))
        return NULL;
      po = json_object_new ();
      if (p->name != NULL)
        json_object_set_string_member (po, "name", p->name);
      json_object_set_int_member (po, "containerPort", p->port);
      json_object_set_string_member (po, "protocol", p->protocol ? p->protocol : "TCP");
      json_array_add_object_element (_hero_virt_json_array_member (co, "ports"), po);
    }
  if (!resources_json (c, co, field, error))
    return NULL;
  {
    HeroVirtKubeProbe *probes[] = { c->readiness, c->liveness, c->startup };
    const char        *members[] = { "readinessProbe", "livenessProbe", "startupProbe" };

    for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
      {
        JsonObject *po;

        if (probes[i] == NULL)
          continue;
        po = _hero_virt_kube_probe_to_json (probes[i], FIELD ("%s", members[i]), error);
        if (po == NULL)
          return NULL;
        json_object_set_object_member (co, members[i], po);
      }
  }
  for (guint i = 0; i < c->mounts->len; i++)
    {
      Mount      *m = g_ptr_array_index (c->mounts, i);
      JsonObject *mo;

      if (!_hero_virt_kube_check_name (FIELD ("volumeMounts[%u].name", i), m->volume,
                                       hero_virt_kube_validate_dns1123_label, error))
        return NULL;
      if (!has_volume (priv, m->volume))
        {
          hero_virt_set_invalid_argument (error, what, m->volume, "the pod has no such volume");
          return NULL;
        }
      if (!_hero_virt_kube_check_absolute_path (FIELD ("volumeMounts[%u].mountPath", i), m->path,
                                                error))
        return NULL;
      mo = json_object_new ();
      json_object_set_string_member (mo, "name", m->volume);
      json_object_set_string_member (mo, "mountPath", m->path);
      if (m->read_only)
        json_object_set_boolean_member (mo, "readOnly", TRUE);
      json_array_add_object_element (_hero_virt_json_array_member (co, "volumeMounts"), mo);
    }
  if (c->privileged >= 0)
    json_object_set_boolean_member (_hero_virt_json_object_member (co, "securityContext"),
                                    "privileged", c->privileged == 1);
#undef FIELD
  return g_steal_pointer (&co);
}

static JsonObject *
volume_json (Volume *v, const char *field, GError **error)
{
  g_autoptr (JsonObject) o = json_object_new ();
  g_autofree char *what = g_strdup_printf ("%s.name", field);
  const char      *member = NULL, *source_member = NULL;

  if (!_hero_virt_kube_check_name (what, v->name, hero_virt_kube_validate_dns1123_label, error))
    return NULL;
  json_object_set_string_member (o, "name", v->name);
  switch (v->type)
    {
    case VOLUME_CONFIG_MAP:
      member = "configMap", source_member = "name";
      break;
    case VOLUME_SECRET:
      member = "secret", source_member = "secretName";
      break;
    case VOLUME_PVC:
      member = "persistentVolumeClaim", source_member = "claimName";
      break;
    case VOLUME_EMPTY_DIR:
      json_object_set_object_member (o, "emptyDir", json_object_new ());
      return g_steal_pointer (&o);
    case VOLUME_HOST_PATH:
      g_free (what);
      what = g_strdup_printf ("%s.hostPath.path", field);
      if (!_hero_virt_kube_check_absolute_path (what, v->source, error))
        return NULL;
      json_object_set_string_member (_hero_virt_json_object_member (o, "hostPath"), "path",
                                     v->source);
      return g_steal_pointer (&o);
    }
  g_free (what);
  what = g_strdup_printf ("%s.%s.%s", field, member, source_member);
  if (!_hero_virt_kube_check_name (what, v->source, hero_virt_kube_validate_dns1123_subdomain,
                                   error))
    return NULL;
  json_object_set_string_member (_hero_virt_json_object_member (o, member), source_member,
                                 v->source);
  return g_steal_pointer (&o);
}

/* The pod spec, each field named under @field (`spec` or
 * `spec.template.spec`). */
JsonObject *
_hero_virt_kube_workload_builder_pod_spec (HeroVirtKubeWorkloadBuilder *self,
                                           const char                  *field,
                                           GError                     **error)
{
  static const char *const            restart_policies[] = { "Always", "OnFailure", "Never", NULL };
  HeroVirtKubeWorkloadBuilderPrivate *priv = PRIV (self);
  g_autoptr (JsonObject) spec = json_object_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < priv->containers->len; i++)
    {
      g_autofree char *what = g_strdup_printf ("%s.containers[%u]", field, i);
      JsonObject *c = container_json (self, g_ptr_array_index (priv->containers, i), what, error);
      const char *name;

      if (c == NULL)
        return NULL;
      name = json_object_get_string_member (c, "name");
      if (!g_hash_table_add (seen, (gpointer)name))
        {
          g_autofree char *nf = g_strdup_printf ("%s.name", what);

          json_object_unref (c);
          hero_virt_set_invalid_argument (error, nf, name, "two containers have this name");
          return NULL;
        }
      json_array_add_object_element (_hero_virt_json_array_member (spec, "containers"), c);
    }
  g_hash_table_remove_all (seen);
  for (guint i = 0; i < priv->volumes->len; i++)
    {
      g_autofree char *what = g_strdup_printf ("%s.volumes[%u]", field, i);
      Volume          *v = g_ptr_array_index (priv->volumes, i);
      JsonObject      *vo = volume_json (v, what, error);

      if (vo == NULL)
        return NULL;
      if (!g_hash_table_add (seen, v->name))
        {
          g_autofree char *nf = g_strdup_printf ("%s.name", what);

          json_object_unref (vo);
          hero_virt_set_invalid_argument (error, nf, v->name, "two volumes have this name");
          return NULL;
        }
      json_array_add_object_element (_hero_virt_json_array_member (spec, "volumes"), vo);
    }
  if (json_object_get_size (priv->node_selector) > 0)
    json_object_set_object_member (spec, "nodeSelector",
                                   _hero_virt_json_object_copy (priv->node_selector));
  if (priv->restart_policy != NULL)
    {
      g_autofree char *what = g_strdup_printf ("%s.restartPolicy", field);

      if (!check_choice (what, priv->restart_policy, restart_policies, error))
        return NULL;
      json_object_set_string_member (spec, "restartPolicy", priv->restart_policy);
    }
  if (priv->service_account != NULL)
    {
      g_autofree char *what = g_strdup_printf ("%s.serviceAccountName", field);

      if (!_hero_virt_kube_check_name (what, priv->service_account,
                                       hero_virt_kube_validate_dns1123_subdomain, error))
        return NULL;
      json_object_set_string_member (spec, "serviceAccountName", priv->service_account);
    }
  return g_steal_pointer (&spec);
}

const char *
_hero_virt_kube_workload_builder_get_restart_policy (HeroVirtKubeWorkloadBuilder *self)
{
  return PRIV (self)->restart_policy;
}
