/* hero-virt-pod-executor.c: runs commands in a pod's container through
 * the cluster provider's exec
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-kubernetes-manager-private.h"

/**
 * HeroVirtPodExecutor:
 *
 * Runs commands in a container of a Kubernetes pod, through the API
 * server's `pods/exec` ([method@HeroVirt.ClusterProvider.exec_command]),
 * so a plugin that drives a command line tool (buildah, …) runs it inside
 * the pod exactly as it does locally or over SSH.
 *
 * The semantics are the other executors': an argument vector and never a
 * shell string; the command's standard input is sent and then closed; a
 * non-zero exit is in the result; the command's timeout
 * (%HERO_VIRT_ERROR_TIMEOUT) and cancellation close the stream, which ends
 * the command in the pod; output past the command's or the executor's
 * max-output is %HERO_VIRT_ERROR_TOO_LARGE; #HeroVirtCommand::output-line
 * is emitted. Variables from [method@HeroVirt.Executor.setenv] and the
 * command's own are set with `env` in the container, a working directory
 * with `cd` in a fixed `sh -c` script (both need a shell and `env` in the
 * image only when used). The file operations are the executor defaults
 * (`cat`, `mktemp -d`, `rm -rf --`, which never follows a symbolic link
 * out of the removed tree).
 *
 * A command with [property@HeroVirt.Command:tty] runs on a terminal in
 * the container (`tty=true`, as `kubectl exec -t`): the container's
 * runtime merges its standard error into its standard output, and
 * [method@HeroVirt.Command.resize] resizes the terminal while it runs.
 *
 * A stream that breaks (the API server went away) is
 * %HERO_VIRT_ERROR_NETWORK; the command may then still be running in the
 * pod, as with kubectl.
 *
 * Since: 0.1
 */
struct _HeroVirtPodExecutor
{
  GObject parent_instance;

  HeroVirtClusterProvider *provider;
  char *namespace;
  char *pod;
  char *container;
};

enum
{
  PROP_0,
  PROP_PROVIDER,
  PROP_NAMESPACE,
  PROP_POD,
  PROP_CONTAINER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void executor_iface_init (HeroVirtExecutorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HeroVirtPodExecutor,
                               hero_virt_pod_executor,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HERO_VIRT_TYPE_EXECUTOR, executor_iface_init))

static HeroVirtCommandResult *
pod_run (HeroVirtExecutor *executor,
         HeroVirtCommand  *command,
         GCancellable     *cancellable,
         GError          **error)
{
  HeroVirtPodExecutor *self = HERO_VIRT_POD_EXECUTOR (executor);
  g_auto (GStrv) variables = hero_virt_executor_dup_environ (executor);
  gsize cap = _hero_virt_executor_output_cap (executor, command);

  return hero_virt_cluster_provider_exec_command (
      self->provider, NULL, self->namespace, self->pod, self->container, command,
      (const char *const *)variables, cap, cancellable, error);
}

static void
pod_run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError                *error = NULL;
  HeroVirtCommandResult *ret;

  ret = hero_virt_cluster_provider_exec_command_finish (HERO_VIRT_CLUSTER_PROVIDER (source), result,
                                                        &error);
  if (ret == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ret, g_object_unref);
}

static void
pod_run_async (HeroVirtExecutor   *executor,
               HeroVirtCommand    *command,
               GCancellable       *cancellable,
               GAsyncReadyCallback callback,
               gpointer            user_data)
{
  HeroVirtPodExecutor *self = HERO_VIRT_POD_EXECUTOR (executor);
  g_auto (GStrv) variables = hero_virt_executor_dup_environ (executor);
  gsize  cap = _hero_virt_executor_output_cap (executor, command);
  GTask *task;

  /* The caller's result has the executor as its source object, as
   * GAsyncResult promises, not the provider that does the work. */
  task = g_task_new (executor, cancellable, callback, user_data);
  g_task_set_source_tag (task, pod_run_async);
  hero_virt_cluster_provider_exec_command_async (
      self->provider, NULL, self->namespace, self->pod, self->container, command,
      (const char *const *)variables, cap, cancellable, pod_run_done, task);
}

static HeroVirtCommandResult *
pod_run_finish (HeroVirtExecutor *executor, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, executor), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
pod_get_description (HeroVirtExecutor *executor)
{
  HeroVirtPodExecutor *self = HERO_VIRT_POD_EXECUTOR (executor);

  return g_strdup_printf ("pod://%s/%s%s%s", self->namespace ? self->namespace : "-", self->pod,
                          self->container ? "/" : "", self->container ? self->container : "");
}

static gboolean
pod_is_local (HeroVirtExecutor *executor)
{
  return FALSE;
}

static gboolean
pod_supports_tty (HeroVirtExecutor *executor)
{
  return TRUE;
}

static void
executor_iface_init (HeroVirtExecutorInterface *iface)
{
  iface->run = pod_run;
  iface->run_async = pod_run_async;
  iface->run_finish = pod_run_finish;
  iface->get_description = pod_get_description;
  iface->is_local = pod_is_local;
  iface->supports_tty = pod_supports_tty;
}

static void
hero_virt_pod_executor_finalize (GObject *object)
{
  HeroVirtPodExecutor *self = HERO_VIRT_POD_EXECUTOR (object);

  g_clear_object (&self->provider);
  g_free (self->namespace);
  g_free (self->pod);
  g_free (self->container);
  G_OBJECT_CLASS (hero_virt_pod_executor_parent_class)->finalize (object);
}

static void
hero_virt_pod_executor_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  HeroVirtPodExecutor *self = HERO_VIRT_POD_EXECUTOR (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      self->provider = g_value_dup_object (value);
      break;
    case PROP_NAMESPACE:
      self->namespace = g_value_dup_string (value);
      break;
    case PROP_POD:
      self->pod = g_value_dup_string (value);
      break;
    case PROP_CONTAINER:
      self->container = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_pod_executor_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  HeroVirtPodExecutor *self = HERO_VIRT_POD_EXECUTOR (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_object (value, self->provider);
      break;
    case PROP_NAMESPACE:
      g_value_set_string (value, self->namespace);
      break;
    case PROP_POD:
      g_value_set_string (value, self->pod);
      break;
    case PROP_CONTAINER:
      g_value_set_string (value, self->container);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_pod_executor_class_init (HeroVirtPodExecutorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_pod_executor_finalize;
  object_class->set_property = hero_virt_pod_executor_set_property;
  object_class->get_property = hero_virt_pod_executor_get_property;

  /**
   * HeroVirtPodExecutor:provider:
   *
   * The cluster provider whose exec runs the commands.
   *
   * Since: 0.1
   */
  properties[PROP_PROVIDER]
      = g_param_spec_object ("provider", NULL, NULL, HERO_VIRT_TYPE_CLUSTER_PROVIDER,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtPodExecutor:namespace:
   *
   * The pod's namespace, or %NULL for the provider's default.
   *
   * Since: 0.1
   */
  properties[PROP_NAMESPACE]
      = g_param_spec_string ("namespace", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtPodExecutor:pod:
   *
   * The pod's name.
   *
   * Since: 0.1
   */
  properties[PROP_POD] = g_param_spec_string (
      "pod", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtPodExecutor:container:
   *
   * The container, or %NULL for the pod's only one.
   *
   * Since: 0.1
   */
  properties[PROP_CONTAINER]
      = g_param_spec_string ("container", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_pod_executor_init (HeroVirtPodExecutor *self)
{
}

/**
 * hero_virt_pod_executor_new_for_provider:
 * @provider: the cluster provider
 * @namespace: (nullable): the pod's namespace, or %NULL for the
 *   provider's default
 * @pod: the pod's name
 * @container: (nullable): the container, or %NULL for the pod's only one
 * @error: return location for a #GError
 *
 * An executor that runs commands in @container of @pod. Nothing is asked
 * of the cluster yet; a missing pod or container is an error of the first
 * run (%HERO_VIRT_ERROR_NOT_FOUND).
 *
 * Returns: (transfer full): a new #HeroVirtPodExecutor, or %NULL if a name
 *   is not valid (%HERO_VIRT_ERROR_INVALID_ARGUMENT)
 *
 * Since: 0.1
 */
HeroVirtPodExecutor *
hero_virt_pod_executor_new_for_provider (HeroVirtClusterProvider *provider,
                                         const char *namespace,
                                         const char *pod,
                                         const char *container,
                                         GError    **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_PROVIDER (provider), NULL);
  g_return_val_if_fail (pod != NULL, NULL);

  if ((namespace != NULL && !hero_virt_kube_validate_dns1123_label (namespace, error))
      || !hero_virt_kube_validate_dns1123_subdomain (pod, error)
      || (container != NULL && !hero_virt_kube_validate_dns1123_label (container, error)))
    return NULL;
  return g_object_new (HERO_VIRT_TYPE_POD_EXECUTOR, "provider", provider, "namespace", namespace,
                       "pod", pod, "container", container, NULL);
}

/**
 * hero_virt_pod_executor_new:
 * @manager: the manager of the pod's namespace
 * @pod: the pod's name
 * @container: (nullable): the container, or %NULL for the pod's only one
 * @error: return location for a #GError
 *
 * An executor that runs commands in @container of @pod in @manager's
 * namespace, through its provider.
 *
 * Returns: (transfer full): a new #HeroVirtPodExecutor, or %NULL if a name
 *   is not valid
 *
 * Since: 0.1
 */
HeroVirtPodExecutor *
hero_virt_pod_executor_new (HeroVirtKubernetesManager *manager,
                            const char                *pod,
                            const char                *container,
                            GError                   **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_KUBERNETES_MANAGER (manager), NULL);

  return hero_virt_pod_executor_new_for_provider (
      hero_virt_kubernetes_manager_get_provider (manager),
      hero_virt_kubernetes_manager_get_namespace (manager), pod, container, error);
}

/**
 * hero_virt_pod_executor_get_namespace:
 * @self: a #HeroVirtPodExecutor
 *
 * Returns: (nullable): the pod's namespace, or %NULL for the provider's
 *   default
 *
 * Since: 0.1
 */
const char *
hero_virt_pod_executor_get_namespace (HeroVirtPodExecutor *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_POD_EXECUTOR (self), NULL);
  return self->namespace;
}

/**
 * hero_virt_pod_executor_get_pod:
 * @self: a #HeroVirtPodExecutor
 *
 * Returns: the pod's name
 *
 * Since: 0.1
 */
const char *
hero_virt_pod_executor_get_pod (HeroVirtPodExecutor *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_POD_EXECUTOR (self), NULL);
  return self->pod;
}

/**
 * hero_virt_pod_executor_get_container:
 * @self: a #HeroVirtPodExecutor
 *
 * Returns: (nullable): the container, or %NULL for the pod's only one
 *
 * Since: 0.1
 */
const char *
hero_virt_pod_executor_get_container (HeroVirtPodExecutor *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_POD_EXECUTOR (self), NULL);
  return self->container;
}

/**
 * hero_virt_pod_executor_get_provider:
 * @self: a #HeroVirtPodExecutor
 *
 * Returns: (transfer none): the cluster provider that runs the commands
 *
 * Since: 0.1
 */
HeroVirtClusterProvider *
hero_virt_pod_executor_get_provider (HeroVirtPodExecutor *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_POD_EXECUTOR (self), NULL);
  return self->provider;
}
