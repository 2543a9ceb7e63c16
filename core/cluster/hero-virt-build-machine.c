/* hero-virt-build-machine.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-kube-app-private.h"

/**
 * HeroVirtBuildMachine:
 *
 * A privileged pod that builds container images inside the cluster: a
 * buildah image running `sleep infinity`, a [class@HeroVirt.PodExecutor]
 * on it, and [class@HeroVirt.Builder]s whose every buildah call runs in
 * the pod with `--storage-driver vfs` (overlay does not work over the
 * container's overlay root) and `--isolation chroot`.
 *
 * [method@HeroVirt.BuildMachine.push] pushes an image from the pod's
 * storage to a registry the pod reaches (a registry pod's IP, or the host
 * through the pod network's gateway); with
 * [method@HeroVirt.BuildMachine.tls_verify] off it may be plain HTTP.
 * [method@HeroVirt.BuildMachine.stop] deletes the pod; so does a failed or
 * cancelled start, and disposing a machine that is still running.
 *
 * ```python
 * bm = HeroVirt.BuildMachine.new(km, "bm").image("localhost/buildah:1") \
 *          .registry("10.88.0.5:5000").tls_verify(False)
 * bm.start(120000, None)
 * b = bm.new_builder("web", "10.88.0.5:5000/busybox:1")
 * b.open(None).run("echo hi > /hi", None).commit("localhost/web:1", None)
 * bm.push("localhost/web:1", "web:1", None)
 * bm.stop(None)
 * ```
 *
 * Since: 0.1
 */

struct _HeroVirtBuildMachine
{
  GObject parent_instance;

  HeroVirtKubeApp app; /* name, manager (in the machine's namespace), bad input */
  char           *image;
  char *namespace;
  char                *registry;
  gboolean             tls_verify;
  HeroVirtPodExecutor *executor;
  gboolean             created;
};

G_DEFINE_FINAL_TYPE (HeroVirtBuildMachine, hero_virt_build_machine, G_TYPE_OBJECT)

#define CONTAINER "buildah"
#define LABEL "hero-virt.org/build-machine"

static gboolean delete_pod (HeroVirtBuildMachine *self, GCancellable *cancellable, GError **error);

static void
hero_virt_build_machine_dispose (GObject *object)
{
  HeroVirtBuildMachine *self = HERO_VIRT_BUILD_MACHINE (object);

  if (self->created)
    {
      g_autoptr (GError) error = NULL;

      if (!delete_pod (self, NULL, &error))
        g_warning ("Build machine “%s”: could not delete its pod: %s", self->app.name,
                   error->message);
    }
  g_clear_object (&self->executor);
  G_OBJECT_CLASS (hero_virt_build_machine_parent_class)->dispose (object);
}

static void
hero_virt_build_machine_finalize (GObject *object)
{
  HeroVirtBuildMachine *self = HERO_VIRT_BUILD_MACHINE (object);

  _hero_virt_kube_app_clear (&self->app);
  g_free (self->image);
  g_free (self->namespace);
  g_free (self->registry);
  G_OBJECT_CLASS (hero_virt_build_machine_parent_class)->finalize (object);
}

static void
hero_virt_build_machine_class_init (HeroVirtBuildMachineClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hero_virt_build_machine_dispose;
  G_OBJECT_CLASS (klass)->finalize = hero_virt_build_machine_finalize;
}

static void
hero_virt_build_machine_init (HeroVirtBuildMachine *self)
{
  self->image = g_strdup ("localhost/hero-virt/buildah:latest");
  self->tls_verify = TRUE;
}

/**
 * hero_virt_build_machine_new:
 * @manager: the cluster to run the pod in
 * @name: the pod's name (a DNS-1035 label)
 *
 * Creates a build machine. Nothing runs until
 * [method@HeroVirt.BuildMachine.start].
 *
 * Returns: (transfer full): a new #HeroVirtBuildMachine
 *
 * Since: 0.1
 */
HeroVirtBuildMachine *
hero_virt_build_machine_new (HeroVirtKubernetesManager *manager, const char *name)
{
  HeroVirtBuildMachine *self;

  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (manager), NULL);
  self = g_object_new (HERO_VIRT_TYPE_BUILD_MACHINE, NULL);
  _hero_virt_kube_app_init (&self->app, "Build machine", manager, name ? name : "");
  return self;
}

/**
 * hero_virt_build_machine_image:
 * @self: a #HeroVirtBuildMachine
 * @image: an image with `buildah` and `sleep` (the default is
 *   `localhost/hero-virt/buildah:latest`)
 *
 * Sets the pod's image. A bad reference fails the start.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuildMachine *
hero_virt_build_machine_image (HeroVirtBuildMachine *self, const char *image)
{
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_BUILD_MACHINE (self), NULL);
  if (!hero_virt_validate_image_reference (image, &error))
    _hero_virt_kube_app_invalid (&self->app, "image", image, error->message);
  else
    {
      g_free (self->image);
      self->image = g_strdup (image);
    }
  return self;
}

/**
 * hero_virt_build_machine_namespace:
 * @self: a #HeroVirtBuildMachine
 * @namespace: (nullable): the namespace of the pod, %NULL for the manager's
 *
 * Sets the namespace the pod runs in.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuildMachine *
hero_virt_build_machine_namespace (HeroVirtBuildMachine *self, const char *namespace)
{
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_BUILD_MACHINE (self), NULL);
  if (namespace != NULL && !hero_virt_kube_validate_dns1123_label (namespace, &error))
    _hero_virt_kube_app_invalid (&self->app, "namespace", namespace, error->message);
  else
    {
      g_free (self->namespace);
      self->namespace = g_strdup (namespace);
    }
  return self;
}

/**
 * hero_virt_build_machine_registry:
 * @self: a #HeroVirtBuildMachine
 * @registry: (nullable): `HOST[:PORT]` of the registry
 *   [method@HeroVirt.BuildMachine.push] pushes to, as the pod reaches it
 *
 * Sets the registry a push destination is relative to.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuildMachine *
hero_virt_build_machine_registry (HeroVirtBuildMachine *self, const char *registry)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILD_MACHINE (self), NULL);
  if (registry != NULL
      && (*registry == '\0'
          || strspn (registry,
                     "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
                 != strlen (registry)
          || registry[0] == '-'))
    _hero_virt_kube_app_invalid (&self->app, "registry", registry, "use HOST or HOST:PORT");
  else
    {
      g_free (self->registry);
      self->registry = g_strdup (registry);
    }
  return self;
}

/**
 * hero_virt_build_machine_tls_verify:
 * @self: a #HeroVirtBuildMachine
 * @verify: %FALSE to push to and pull from plain-HTTP or self-signed
 *   registries (buildah's `--tls-verify=false`); the default is %TRUE
 *
 * Sets whether registries must present a valid certificate.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuildMachine *
hero_virt_build_machine_tls_verify (HeroVirtBuildMachine *self, gboolean verify)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILD_MACHINE (self), NULL);
  self->tls_verify = verify;
  return self;
}

/* The manager of the machine's namespace. */
static HeroVirtKubernetesManager *
manager (HeroVirtBuildMachine *self)
{
  return _hero_virt_kube_app_use_namespace (&self->app, self->namespace);
}

/**
 * hero_virt_build_machine_build:
 * @self: a #HeroVirtBuildMachine
 * @error: return location for a #GError
 *
 * Builds the pod without creating it: container `buildah` running
 * `sleep infinity`, privileged, restart policy `Never`, a termination
 * grace period of 1 s.
 *
 * Returns: (transfer full): the Pod, or %NULL with @error set
 *
 * Since: 0.1
 */
JsonNode *
hero_virt_build_machine_build (HeroVirtBuildMachine *self, GError **error)
{
  g_autoptr (HeroVirtPodBuilder) pod = NULL;
  HeroVirtKubeWorkloadBuilder *w;
  const char                  *argv[] = { "sleep", "infinity", NULL };
  JsonNode                    *node;
  JsonObject                  *spec;

  g_return_val_if_fail (HERO_VIRT_IS_BUILD_MACHINE (self), NULL);
  if (!_hero_virt_kube_app_check (&self->app, error))
    return NULL;
  pod = hero_virt_pod_builder_new (manager (self), self->app.name);
  w = HERO_VIRT_KUBE_WORKLOAD_BUILDER (pod);
  hero_virt_kube_workload_builder_container (w, CONTAINER);
  hero_virt_kube_workload_builder_image (w, self->image);
  hero_virt_kube_workload_builder_command (w, argv);
  hero_virt_kube_workload_builder_privileged (w, TRUE);
  hero_virt_kube_workload_builder_restart_policy (w, "Never");
  _hero_virt_kube_app_label (&self->app, HERO_VIRT_KUBE_RESOURCE_BUILDER (pod), LABEL,
                             "build-machine");
  node = hero_virt_kube_resource_builder_build (HERO_VIRT_KUBE_RESOURCE_BUILDER (pod), error);
  spec = node ? json_object_get_object_member (json_node_get_object (node), "spec") : NULL;
  /* `sleep infinity` as PID 1 ignores SIGTERM and nothing in the pod
   * needs time to shut down: stop() takes a second, not the default 30 */
  if (spec != NULL)
    json_object_set_int_member (spec, "terminationGracePeriodSeconds", 1);
  return node;
}

static gboolean
delete_pod (HeroVirtBuildMachine *self, GCancellable *cancellable, GError **error)
{
  const HeroVirtKubeAppObject objects[] = { { "v1", "Pod", self->app.name } };

  g_clear_object (&self->executor);
  if (!_hero_virt_kube_app_remove (&self->app, objects, G_N_ELEMENTS (objects), cancellable, error))
    return FALSE;
  self->created = FALSE;
  return TRUE;
}

/**
 * hero_virt_build_machine_start:
 * @self: a #HeroVirtBuildMachine
 * @timeout_ms: how long the pod may take to run
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Creates the pod and waits until it runs. On a timeout the error names
 * the pod and its last condition; on any failure or cancellation the pod
 * is deleted again.
 *
 * Returns: %TRUE once the pod runs
 *
 * Since: 0.1
 */
gboolean
hero_virt_build_machine_start (HeroVirtBuildMachine *self,
                               guint                 timeout_ms,
                               GCancellable         *cancellable,
                               GError              **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  g_autoptr (GPtrArray) objects = NULL;
  g_autoptr (JsonNode) applied = NULL;
  JsonNode            *pod;
  HeroVirtPodExecutor *executor;

  g_return_val_if_fail (HERO_VIRT_IS_BUILD_MACHINE (self), FALSE);
  if (self->executor != NULL)
    return TRUE;
  if ((pod = hero_virt_build_machine_build (self, error)) == NULL)
    return FALSE;
  objects = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
  g_ptr_array_add (objects, pod);
  self->created = TRUE;
  if ((applied = _hero_virt_kube_app_apply (&self->app, objects, cancellable, error)) == NULL
      || !_hero_virt_kube_app_wait_ready (&self->app, LABEL, deadline, timeout_ms, cancellable,
                                          error)
      || (executor
          = hero_virt_pod_executor_new (self->app.manager, self->app.name, CONTAINER, error))
             == NULL)
    {
      g_autoptr (GError) cleanup_error = NULL;

      if (!delete_pod (self, NULL, &cleanup_error))
        g_warning ("Build machine “%s”: could not delete its pod: %s", self->app.name,
                   cleanup_error->message);
      return FALSE;
    }
  /* for buildah run by hand through get_executor(); the builders' buildah
   * provider passes --storage-driver vfs on every call (see vfs_provider) */
  hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (executor), "STORAGE_DRIVER", "vfs");
  hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (executor), "BUILDAH_ISOLATION", "chroot");
  self->executor = executor;
  return TRUE;
}

/**
 * hero_virt_build_machine_start_async:
 * @self: a #HeroVirtBuildMachine
 * @timeout_ms: how long the pod may take to run
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts the machine in a worker thread; see
 * [method@HeroVirt.BuildMachine.start].
 *
 * Since: 0.1
 */
void
hero_virt_build_machine_start_async (HeroVirtBuildMachine *self,
                                     guint                 timeout_ms,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_return_if_fail (HERO_VIRT_IS_BUILD_MACHINE (self));
  _hero_virt_kube_app_run_timed_async (self, hero_virt_build_machine_start_async,
                                       (HeroVirtKubeAppTimedFunc)hero_virt_build_machine_start,
                                       timeout_ms, cancellable, callback, user_data);
}

/**
 * hero_virt_build_machine_start_finish:
 * @self: a #HeroVirtBuildMachine
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.BuildMachine.start_async].
 *
 * Returns: %TRUE once the pod runs
 *
 * Since: 0.1
 */
gboolean
hero_virt_build_machine_start_finish (HeroVirtBuildMachine *self,
                                      GAsyncResult         *result,
                                      GError              **error)
{
  return _hero_virt_kube_app_run_finish (self, result, hero_virt_build_machine_start_async, error);
}

static gboolean
check_running (HeroVirtBuildMachine *self, GError **error)
{
  if (self->executor != NULL)
    return TRUE;
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED,
               "Build machine “%s” is not running: start it first", self->app.name);
  return FALSE;
}

/* A buildah provider of our own with storage-driver vfs (buildah honours
 * STORAGE_DRIVER only on some subcommands), or NULL when the buildah
 * plugin is missing or has no such property: the builder then looks its
 * provider up as usual. */
static HeroVirtImageProvider *
vfs_provider (void)
{
  g_autoptr (GObject) shared = hero_virt_registry_get_provider (
      hero_virt_registry_get_default (), HERO_VIRT_PROVIDER_KIND_IMAGE, "buildah", NULL);

  if (shared == NULL
      || g_object_class_find_property (G_OBJECT_GET_CLASS (shared), "storage-driver") == NULL)
    return NULL;
  return HERO_VIRT_IMAGE_PROVIDER (
      g_object_new (G_OBJECT_TYPE (shared), "storage-driver", "vfs", NULL));
}

/**
 * hero_virt_build_machine_new_builder:
 * @self: a started #HeroVirtBuildMachine
 * @name: the working container's name
 * @base_image: the image to start from (`scratch` for none), as the pod
 *   reaches its registry
 * @error: return location for a #GError
 *
 * Gives a builder that runs every step in the pod, with chroot isolation
 * and vfs storage (its provider is a buildah provider of its own with
 * `HeroVirtBuildahProvider:storage-driver` `vfs`), and (with
 * [method@HeroVirt.BuildMachine.tls_verify] off) plain-HTTP pulls.
 *
 * Returns: (transfer full): a new #HeroVirtBuilder, or %NULL if the
 *   machine is not running
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_build_machine_new_builder (HeroVirtBuildMachine *self,
                                     const char           *name,
                                     const char           *base_image,
                                     GError              **error)
{
  g_autoptr (HeroVirtImageProvider) provider = NULL;
  HeroVirtBuilder *builder;

  g_return_val_if_fail (HERO_VIRT_IS_BUILD_MACHINE (self), NULL);
  if (!check_running (self, error))
    return NULL;
  provider = vfs_provider ();
  builder = g_object_new (HERO_VIRT_TYPE_BUILDER, "name", name, "base-image",
                          base_image ? base_image : "scratch", "provider", provider, NULL);
  hero_virt_builder_set_executor (builder, HERO_VIRT_EXECUTOR (self->executor));
  hero_virt_builder_set_isolation (builder, "chroot");
  if (!self->tls_verify)
    {
      g_autoptr (HeroVirtImageRegistryOptions) options = hero_virt_image_registry_options_new ();

      hero_virt_image_registry_options_set_tls_verify (options, FALSE);
      hero_virt_builder_set_registry_options (builder, options);
    }
  return builder;
}

/**
 * hero_virt_build_machine_push:
 * @self: a started #HeroVirtBuildMachine
 * @image: an image in the pod's storage (such as one a builder committed)
 * @dest: where to push it: `REPOSITORY[:TAG]` under
 *   [method@HeroVirt.BuildMachine.registry], or a full reference when no
 *   registry is set
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Pushes @image from inside the pod (`buildah push`), so the registry must
 * be reachable from the pod.
 *
 * Returns: (transfer full): the reference pushed to, or %NULL with @error set
 *
 * Since: 0.1
 */
char *
hero_virt_build_machine_push (HeroVirtBuildMachine *self,
                              const char           *image,
                              const char           *dest,
                              GCancellable         *cancellable,
                              GError              **error)
{
  g_autoptr (HeroVirtCommand) command = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *target = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_BUILD_MACHINE (self), NULL);
  if (!check_running (self, error) || !hero_virt_validate_image_reference (image, error))
    return NULL;
  if (dest == NULL || *dest == '\0' || *dest == '/')
    {
      hero_virt_set_invalid_argument (error, "destination", dest,
                                      "use REPOSITORY[:TAG] or a full image reference");
      return NULL;
    }
  reference = self->registry ? g_strdup_printf ("%s/%s", self->registry, dest) : g_strdup (dest);
  if (!hero_virt_validate_image_reference (reference, error))
    return NULL;
  target = g_strconcat ("docker://", reference, NULL);
  command = hero_virt_command_new ("buildah");
  hero_virt_command_add_args (command, "--storage-driver", "vfs", "push", "--quiet",
                              self->tls_verify ? "--tls-verify=true" : "--tls-verify=false", "--",
                              image, target, NULL);
  result
      = hero_virt_executor_run (HERO_VIRT_EXECUTOR (self->executor), command, cancellable, error);
  if (result == NULL || !hero_virt_command_result_check (result, error))
    {
      g_prefix_error (error, "Build machine “%s”: pushing %s to %s: ", self->app.name, image,
                      reference);
      return NULL;
    }
  return g_steal_pointer (&reference);
}

typedef struct
{
  char *image;
  char *dest;
} PushData;

static void
push_data_free (gpointer data)
{
  PushData *d = data;

  g_free (d->image);
  g_free (d->dest);
  g_free (d);
}

static gpointer
push_thread (gpointer source, gpointer data, GCancellable *cancellable, GError **error)
{
  PushData *d = data;

  return hero_virt_build_machine_push (source, d->image, d->dest, cancellable, error);
}

/**
 * hero_virt_build_machine_push_async:
 * @self: a started #HeroVirtBuildMachine
 * @image: an image in the pod's storage
 * @dest: where to push it, as for [method@HeroVirt.BuildMachine.push]
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Pushes in a worker thread; see [method@HeroVirt.BuildMachine.push].
 *
 * Since: 0.1
 */
void
hero_virt_build_machine_push_async (HeroVirtBuildMachine *self,
                                    const char           *image,
                                    const char           *dest,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  PushData *d;

  g_return_if_fail (HERO_VIRT_IS_BUILD_MACHINE (self));
  d = g_new0 (PushData, 1);
  d->image = g_strdup (image);
  d->dest = g_strdup (dest);
  _hero_virt_run_in_thread (self, hero_virt_build_machine_push_async, push_thread, d,
                            push_data_free, g_free, cancellable, callback, user_data);
}

/**
 * hero_virt_build_machine_push_finish:
 * @self: a #HeroVirtBuildMachine
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.BuildMachine.push_async].
 *
 * Returns: (transfer full): the reference pushed to, or %NULL with @error set
 *
 * Since: 0.1
 */
char *
hero_virt_build_machine_push_finish (HeroVirtBuildMachine *self,
                                     GAsyncResult         *result,
                                     GError              **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_build_machine_push_async, error);
}

/**
 * hero_virt_build_machine_stop:
 * @self: a #HeroVirtBuildMachine
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes the pod, with everything built in it. Stopping a machine that
 * does not run succeeds.
 *
 * Returns: %TRUE once the pod is deleted
 *
 * Since: 0.1
 */
gboolean
hero_virt_build_machine_stop (HeroVirtBuildMachine *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILD_MACHINE (self), FALSE);
  if (!_hero_virt_kube_app_check (&self->app, error))
    return FALSE;
  manager (self);
  if (!delete_pod (self, cancellable, error))
    {
      _hero_virt_kube_app_prefix_error (&self->app, error);
      return FALSE;
    }
  return TRUE;
}

static gpointer
stop_thread (gpointer source, gpointer data, GCancellable *cancellable, GError **error)
{
  return hero_virt_build_machine_stop (source, cancellable, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * hero_virt_build_machine_stop_async:
 * @self: a #HeroVirtBuildMachine
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Stops the machine in a worker thread; see
 * [method@HeroVirt.BuildMachine.stop].
 *
 * Since: 0.1
 */
void
hero_virt_build_machine_stop_async (HeroVirtBuildMachine *self,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_return_if_fail (HERO_VIRT_IS_BUILD_MACHINE (self));
  _hero_virt_run_in_thread (self, hero_virt_build_machine_stop_async, stop_thread, NULL, NULL, NULL,
                            cancellable, callback, user_data);
}

/**
 * hero_virt_build_machine_stop_finish:
 * @self: a #HeroVirtBuildMachine
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.BuildMachine.stop_async].
 *
 * Returns: %TRUE once the pod is deleted
 *
 * Since: 0.1
 */
gboolean
hero_virt_build_machine_stop_finish (HeroVirtBuildMachine *self,
                                     GAsyncResult         *result,
                                     GError              **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_build_machine_stop_async, error) != NULL;
}

/**
 * hero_virt_build_machine_get_name:
 * @self: a #HeroVirtBuildMachine
 *
 * Returns: the pod's name
 *
 * Since: 0.1
 */
const char *
hero_virt_build_machine_get_name (HeroVirtBuildMachine *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILD_MACHINE (self), NULL);
  return self->app.name;
}

/**
 * hero_virt_build_machine_get_namespace:
 * @self: a #HeroVirtBuildMachine
 *
 * Returns: the pod's namespace
 *
 * Since: 0.1
 */
const char *
hero_virt_build_machine_get_namespace (HeroVirtBuildMachine *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILD_MACHINE (self), NULL);
  return self->namespace ? self->namespace
                         : hero_virt_kubernetes_manager_get_namespace (self->app.manager);
}

/**
 * hero_virt_build_machine_get_executor:
 * @self: a #HeroVirtBuildMachine
 *
 * The executor on the pod's `buildah` container, with `STORAGE_DRIVER=vfs`
 * and `BUILDAH_ISOLATION=chroot` set.
 *
 * Returns: (transfer none) (nullable): the executor, %NULL unless running
 *
 * Since: 0.1
 */
HeroVirtPodExecutor *
hero_virt_build_machine_get_executor (HeroVirtBuildMachine *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILD_MACHINE (self), NULL);
  return self->executor;
}

/**
 * hero_virt_build_machine_is_running:
 * @self: a #HeroVirtBuildMachine
 *
 * Returns: whether [method@HeroVirt.BuildMachine.start] succeeded and the
 *   machine was not stopped since
 *
 * Since: 0.1
 */
gboolean
hero_virt_build_machine_is_running (HeroVirtBuildMachine *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILD_MACHINE (self), FALSE);
  return self->executor != NULL;
}
