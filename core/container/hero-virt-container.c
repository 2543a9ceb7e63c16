/* hero-virt-container.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-container-private.h"

/**
 * HeroVirtContainer:
 *
 * A container of a container engine (podman, nerdctl): start, stop, kill,
 * restart and remove it, run commands in it, copy files in and out, read
 * and follow its log, read its status and health, sample its resource use
 * and wait for it to become healthy.
 *
 * ```python
 * web = (HeroVirt.ContainerBuilder(name="web", image="localhost/web:1")
 *        .add_port(8080, 80).set_memory_limit("64m")
 *        .set_health_check(HeroVirt.HealthCheck.new("wget -q -O- http://127.0.0.1/"))
 *        .build(None))
 * web.wait_healthy(30000, None)
 * print(web.inspect(None).props.health_status, web.stats(None).props.memory_usage)
 * web.stop(5, None)
 * web.remove(False, None)
 * ```
 *
 * The work is done by a [iface@HeroVirt.ContainerProvider] (the default one
 * unless another is named), with commands run through an
 * [iface@HeroVirt.Executor]. Every name is validated before anything runs.
 * Every I/O method has an `_async`/`_finish` form.
 *
 * Since: 0.1
 */
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

enum
{
  PROP_0,
  PROP_NAME,
  PROP_ID,
  PROP_PROVIDER_NAME,
  PROP_EXECUTOR,
  PROP_PROVIDER,
  N_PROPS
};

enum
{
  SIGNAL_LOG_LINE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HeroVirtContainer, hero_virt_container, G_TYPE_OBJECT)

static void
hero_virt_container_finalize (GObject *object)
{
  HeroVirtContainer *self = HERO_VIRT_CONTAINER (object);

  g_free (self->name);
  g_free (self->id);
  g_free (self->provider_name);
  g_clear_object (&self->executor);
  g_clear_object (&self->provider);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (hero_virt_container_parent_class)->finalize (object);
}

static void
hero_virt_container_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HeroVirtContainer *self = HERO_VIRT_CONTAINER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_PROVIDER_NAME:
      g_value_set_string (value, self->provider_name);
      break;
    case PROP_EXECUTOR:
      g_value_set_object (value, self->executor);
      break;
    case PROP_PROVIDER:
      g_mutex_lock (&self->lock);
      g_value_set_object (value, self->provider);
      g_mutex_unlock (&self->lock);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_container_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HeroVirtContainer *self = HERO_VIRT_CONTAINER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_PROVIDER_NAME:
      self->provider_name = g_value_dup_string (value);
      break;
    case PROP_EXECUTOR:
      self->executor = g_value_dup_object (value);
      break;
    case PROP_PROVIDER:
      self->provider = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_container_constructed (GObject *object)
{
  HeroVirtContainer *self = HERO_VIRT_CONTAINER (object);

  G_OBJECT_CLASS (hero_virt_container_parent_class)->constructed (object);

  if (self->executor == NULL)
    self->executor = g_object_ref (hero_virt_executor_get_default ());
}

static void
hero_virt_container_class_init (HeroVirtContainerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_container_finalize;
  object_class->get_property = hero_virt_container_get_property;
  object_class->set_property = hero_virt_container_set_property;
  object_class->constructed = hero_virt_container_constructed;

  /**
   * HeroVirtContainer:name:
   *
   * The container's name (or its ID when it has no name).
   *
   * Since: 0.1
   */
  properties[PROP_NAME]
      = g_param_spec_string ("name", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainer:id:
   *
   * The container's full ID when known (a container made by
   * [method@HeroVirt.ContainerBuilder.build] knows it); operations use it
   * in preference to the name.
   *
   * Since: 0.1
   */
  properties[PROP_ID] = g_param_spec_string (
      "id", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainer:provider-name:
   *
   * The container provider to use (`podman`, `nerdctl`, …); %NULL for the
   * registry's default.
   *
   * Since: 0.1
   */
  properties[PROP_PROVIDER_NAME]
      = g_param_spec_string ("provider-name", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainer:executor:
   *
   * Where the provider runs its commands; the local executor by default.
   *
   * Since: 0.1
   */
  properties[PROP_EXECUTOR]
      = g_param_spec_object ("executor", NULL, NULL, HERO_VIRT_TYPE_EXECUTOR,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainer:provider:
   *
   * The provider doing the work, once resolved (or as given).
   *
   * Since: 0.1
   */
  properties[PROP_PROVIDER]
      = g_param_spec_object ("provider", NULL, NULL, HERO_VIRT_TYPE_CONTAINER_PROVIDER,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HeroVirtContainer::log-line:
   * @self: the container
   * @stream: whether the line went to standard output or standard error
   * @line: the line, without its terminator
   *
   * Emitted for each log line while [method@HeroVirt.Container.follow_logs]
   * runs: in the calling thread for the synchronous form, in the caller's
   * thread-default main context for the asynchronous one.
   *
   * Since: 0.1
   */
  signals[SIGNAL_LOG_LINE]
      = g_signal_new ("log-line", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, HERO_VIRT_TYPE_OUTPUT_STREAM, G_TYPE_STRING);
}

static void
hero_virt_container_init (HeroVirtContainer *self)
{
  g_mutex_init (&self->lock);
}

/* ---- construction ---- */

/**
 * hero_virt_container_new:
 * @name: the container's name or ID
 *
 * Creates an object for an existing container on this machine, handled by
 * the default container provider. Nothing runs until a method is called;
 * the name is checked then.
 *
 * Returns: (transfer full): a new #HeroVirtContainer
 *
 * Since: 0.1
 */
HeroVirtContainer *
hero_virt_container_new (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (HERO_VIRT_TYPE_CONTAINER, "name", name, NULL);
}

/**
 * hero_virt_container_new_for_provider:
 * @name: the container's name or ID
 * @provider_name: (nullable): the container provider, or %NULL for the
 *   default
 * @executor: (nullable): where to run commands, or %NULL for this machine
 * @error: return location for a #GError
 *
 * Creates an object for an existing container handled by the named
 * provider through @executor.
 *
 * Returns: (transfer full): a new #HeroVirtContainer, or %NULL if @name is
 *   invalid
 *
 * Since: 0.1
 */
HeroVirtContainer *
hero_virt_container_new_for_provider (const char       *name,
                                      const char       *provider_name,
                                      HeroVirtExecutor *executor,
                                      GError          **error)
{
  g_return_val_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor), NULL);

  if (!hero_virt_validate_container_name (name, error))
    return NULL;
  return g_object_new (HERO_VIRT_TYPE_CONTAINER, "name", name, "provider-name", provider_name,
                       "executor", executor, NULL);
}

/**
 * hero_virt_container_get_name:
 * @self: a #HeroVirtContainer
 *
 * Returns: (transfer none) (nullable): the container's name
 *
 * Since: 0.1
 */
const char *
hero_virt_container_get_name (HeroVirtContainer *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), NULL);
  return self->name;
}

/**
 * hero_virt_container_get_id:
 * @self: a #HeroVirtContainer
 *
 * Returns: (transfer none) (nullable): the container's full ID, if known
 *
 * Since: 0.1
 */
const char *
hero_virt_container_get_id (HeroVirtContainer *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), NULL);
  return self->id;
}

/**
 * hero_virt_container_get_executor:
 * @self: a #HeroVirtContainer
 *
 * Returns: (transfer none): where the container's commands run
 *
 * Since: 0.1
 */
HeroVirtExecutor *
hero_virt_container_get_executor (HeroVirtContainer *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), NULL);
  return self->executor;
}

HeroVirtContainerProvider *
_hero_virt_container_find_provider (const char       *name,
                                    HeroVirtExecutor *executor,
                                    GCancellable     *cancellable,
                                    GError          **error)
{
  return HERO_VIRT_CONTAINER_PROVIDER (hero_virt_registry_find_provider (
      hero_virt_registry_get_default (), HERO_VIRT_PROVIDER_KIND_CONTAINER, name, executor,
      cancellable, error));
}

/**
 * hero_virt_container_get_provider:
 * @self: a #HeroVirtContainer
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Resolves the provider that handles the container, loading plugins as
 * needed.
 *
 * Returns: (transfer full): the provider, or %NULL if none is available
 *
 * Since: 0.1
 */
HeroVirtContainerProvider *
hero_virt_container_get_provider (HeroVirtContainer *self,
                                  GCancellable      *cancellable,
                                  GError           **error)
{
  HeroVirtContainerProvider *provider;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), NULL);

  g_mutex_lock (&self->lock);
  provider = self->provider ? g_object_ref (self->provider) : NULL;
  g_mutex_unlock (&self->lock);
  if (provider != NULL)
    return provider;

  provider = _hero_virt_container_find_provider (self->provider_name, self->executor, cancellable,
                                                 error);
  if (provider == NULL)
    return NULL;
  g_mutex_lock (&self->lock);
  if (self->provider == NULL)
    self->provider = g_object_ref (provider);
  g_mutex_unlock (&self->lock);
  return provider;
}

/* The name operations use: the ID when known, else the name; checked. */
static const char *
get_ref (HeroVirtContainer *self, GError **error)
{
  const char *ref = self->id ? self->id : self->name;

  if (!hero_virt_validate_container_name (ref, error))
    return NULL;
  return ref;
}

/* ---- asynchronous forms: each runs the synchronous one in a thread ---- */

typedef enum
{
  OP_START,
  OP_STOP,
  OP_KILL,
  OP_RESTART,
  OP_REMOVE,
  OP_COPY_IN,
  OP_COPY_OUT,
  OP_WAIT_HEALTHY,
  OP_EXEC,
  OP_LOGS,
  OP_INSPECT,
  OP_STATS,
  OP_HEALTH,
  OP_COMMIT,
  OP_LIST,
  OP_IMAGE_LIST,
  OP_IMAGE_PULL,
  OP_IMAGE_PUSH,
  OP_IMAGE_TAG,
  OP_IMAGE_REMOVE,
} Op;

typedef struct
{
  Op                op;
  int               i;
  guint             u;
  gboolean          b;
  char             *s1;
  char             *s2;
  char            **argv;
  GBytes           *bytes;
  HeroVirtExecutor *executor;
} Call;

static void
call_free (gpointer p)
{
  Call *call = p;

  g_free (call->s1);
  g_free (call->s2);
  g_strfreev (call->argv);
  g_clear_pointer (&call->bytes, g_bytes_unref);
  g_clear_object (&call->executor);
  g_free (call);
}

static Call *
call_new (Op op)
{
  Call *call = g_new0 (Call, 1);

  call->op = op;
  return call;
}

#define BOOL_RESULT(expr) ((expr) ? GINT_TO_POINTER (TRUE) : NULL)

static gpointer
call_thread (gpointer source, gpointer data, GCancellable *cancellable, GError **error)
{
  HeroVirtContainer *self = source;
  Call              *c = data;

  switch (c->op)
    {
    case OP_START:
      return BOOL_RESULT (hero_virt_container_start (self, cancellable, error));
    case OP_STOP:
      return BOOL_RESULT (hero_virt_container_stop (self, c->i, cancellable, error));
    case OP_KILL:
      return BOOL_RESULT (hero_virt_container_kill (self, c->s1, cancellable, error));
    case OP_RESTART:
      return BOOL_RESULT (hero_virt_container_restart (self, c->i, cancellable, error));
    case OP_REMOVE:
      return BOOL_RESULT (hero_virt_container_remove (self, c->b, cancellable, error));
    case OP_COPY_IN:
      return BOOL_RESULT (hero_virt_container_copy_in (self, c->s1, c->s2, cancellable, error));
    case OP_COPY_OUT:
      return BOOL_RESULT (hero_virt_container_copy_out (self, c->s1, c->s2, cancellable, error));
    case OP_WAIT_HEALTHY:
      return BOOL_RESULT (hero_virt_container_wait_healthy (self, c->u, cancellable, error));
    case OP_EXEC:
      return hero_virt_container_exec (self, (const char *const *)c->argv, c->bytes, cancellable,
                                       error);
    case OP_LOGS:
      return hero_virt_container_logs (self, c->i, c->s1, cancellable, error);
    case OP_INSPECT:
      return hero_virt_container_inspect (self, cancellable, error);
    case OP_STATS:
      return hero_virt_container_stats (self, cancellable, error);
    case OP_HEALTH:
      return hero_virt_container_run_health_check (self, cancellable, error);
    case OP_COMMIT:
      return hero_virt_container_commit (self, c->s1, cancellable, error);
    case OP_LIST:
      return hero_virt_container_list (c->s2, c->executor, c->b, cancellable, error);
    case OP_IMAGE_LIST:
      return hero_virt_container_image_list (c->s2, c->executor, cancellable, error);
    case OP_IMAGE_PULL:
      return hero_virt_container_image_pull (c->s2, c->executor, c->s1, c->b, cancellable, error);
    case OP_IMAGE_PUSH:
      return BOOL_RESULT (hero_virt_container_image_push (
          c->s2, c->executor, c->s1, c->argv ? c->argv[0] : NULL, c->b, cancellable, error));
    case OP_IMAGE_TAG:
      return BOOL_RESULT (hero_virt_container_image_tag (c->s2, c->executor, c->s1, c->argv[0],
                                                         cancellable, error));
    case OP_IMAGE_REMOVE:
      return BOOL_RESULT (
          hero_virt_container_image_remove (c->s2, c->executor, c->s1, c->b, cancellable, error));
    default:
      g_assert_not_reached ();
    }
}

static void
call_start (gpointer            source,
            gpointer            tag,
            Call               *call,
            GDestroyNotify      result_free,
            GCancellable       *cancellable,
            GAsyncReadyCallback callback,
            gpointer            user_data)
{
  _hero_virt_run_in_thread (source, tag, call_thread, call, call_free, result_free, cancellable,
                            callback, user_data);
}

static gboolean
call_finish_bool (gpointer source, GAsyncResult *result, gpointer tag, GError **error)
{
  return _hero_virt_task_finish (source, result, tag, error) != NULL;
}

/* ---- lifecycle ---- */

/**
 * hero_virt_container_start:
 * @self: a #HeroVirtContainer
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Starts the container. A container that is already running is fine.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_start (HeroVirtContainer *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  const char *ref;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), FALSE);

  if ((ref = get_ref (self, error)) == NULL
      || (provider = hero_virt_container_get_provider (self, cancellable, error)) == NULL)
    return FALSE;
  return hero_virt_container_provider_start (provider, self->executor, ref, cancellable, error);
}

/**
 * hero_virt_container_start_async:
 * @self: a #HeroVirtContainer
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.Container.start].
 *
 * Since: 0.1
 */
void
hero_virt_container_start_async (HeroVirtContainer  *self,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_return_if_fail (HERO_VIRT_IS_CONTAINER (self));
  call_start (self, hero_virt_container_start_async, call_new (OP_START), NULL, cancellable,
              callback, user_data);
}

/**
 * hero_virt_container_start_finish:
 * @self: a #HeroVirtContainer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Container.start_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_start_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error)
{
  return call_finish_bool (self, result, hero_virt_container_start_async, error);
}

static gboolean
check_paths (const char *host_path, const char *container_path, GError **error)
{
  if (host_path == NULL || *host_path == '\0' || *host_path == '-'
      || strchr (host_path, ':') != NULL)
    return hero_virt_set_invalid_argument (
        error, "host path", host_path ? host_path : "",
        "give a path that does not start with “-” and has no “:”");
  if (container_path == NULL || container_path[0] != '/' || strchr (container_path, ':') != NULL)
    return hero_virt_set_invalid_argument (error, "container path",
                                           container_path ? container_path : "",
                                           "give an absolute path without “:”");
  return TRUE;
}

static gboolean
check_since (const char *since, GError **error)
{
  if (since != NULL && !g_regex_match_simple ("^[0-9][0-9A-Za-z:.+-]*$", since, 0, 0))
    return hero_virt_set_invalid_argument (
        error, "time", since, "use an RFC 3339 time, a Unix time or a duration such as 10m");
  return TRUE;
}

/**
 * hero_virt_container_stop:
 * @self: a #HeroVirtContainer
 * @timeout: seconds to wait after the stop signal before SIGKILL, or -1 for the engine's default
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stops the container: its stop signal, then SIGKILL after @timeout seconds.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_stop (HeroVirtContainer *self,
                          int                timeout,
                          GCancellable      *cancellable,
                          GError           **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  const char *ref;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), FALSE);

  if ((ref = get_ref (self, error)) == NULL
      || (provider = hero_virt_container_get_provider (self, cancellable, error)) == NULL)
    return FALSE;
  return hero_virt_container_provider_stop (provider, self->executor, ref, timeout, cancellable,
                                            error);
}

/**
 * hero_virt_container_stop_async:
 * @self: a #HeroVirtContainer
 * @timeout: seconds to wait after the stop signal before SIGKILL, or -1 for the engine's default
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.Container.stop].
 *
 * Since: 0.1
 */
void
hero_virt_container_stop_async (HeroVirtContainer  *self,
                                int                 timeout,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  Call *call;

  g_return_if_fail (HERO_VIRT_IS_CONTAINER (self));

  call = call_new (OP_STOP);
  call->i = timeout;
  call_start (self, hero_virt_container_stop_async, call, NULL, cancellable, callback, user_data);
}

/**
 * hero_virt_container_stop_finish:
 * @self: a #HeroVirtContainer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Container.stop_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_stop_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error)
{
  return call_finish_bool (self, result, hero_virt_container_stop_async, error);
}

/**
 * hero_virt_container_kill:
 * @self: a #HeroVirtContainer
 * @signal: (nullable): a signal name (`SIGTERM`, `TERM`) or number, or %NULL for SIGKILL
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends @signal to the container's main process.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_kill (HeroVirtContainer *self,
                          const char        *signal,
                          GCancellable      *cancellable,
                          GError           **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  const char *ref;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), FALSE);

  if (signal != NULL
      && !g_regex_match_simple ("^(SIG)?[A-Z0-9+-]{1,12}$|^[0-9]{1,2}$", signal, 0, 0))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT, "Invalid signal “%s”",
                   signal);
      return FALSE;
    }
  if ((ref = get_ref (self, error)) == NULL
      || (provider = hero_virt_container_get_provider (self, cancellable, error)) == NULL)
    return FALSE;
  return hero_virt_container_provider_kill (provider, self->executor, ref, signal, cancellable,
                                            error);
}

/**
 * hero_virt_container_kill_async:
 * @self: a #HeroVirtContainer
 * @signal: (nullable): a signal name (`SIGTERM`, `TERM`) or number, or %NULL for SIGKILL
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.Container.kill].
 *
 * Since: 0.1
 */
void
hero_virt_container_kill_async (HeroVirtContainer  *self,
                                const char         *signal,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  Call *call;

  g_return_if_fail (HERO_VIRT_IS_CONTAINER (self));

  call = call_new (OP_KILL);
  call->s1 = g_strdup (signal);
  call_start (self, hero_virt_container_kill_async, call, NULL, cancellable, callback, user_data);
}

/**
 * hero_virt_container_kill_finish:
 * @self: a #HeroVirtContainer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Container.kill_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_kill_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error)
{
  return call_finish_bool (self, result, hero_virt_container_kill_async, error);
}

/**
 * hero_virt_container_restart:
 * @self: a #HeroVirtContainer
 * @timeout: seconds to wait before SIGKILL when stopping, or -1 for the engine's default
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Restarts the container.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_restart (HeroVirtContainer *self,
                             int                timeout,
                             GCancellable      *cancellable,
                             GError           **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  const char *ref;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), FALSE);

  if ((ref = get_ref (self, error)) == NULL
      || (provider = hero_virt_container_get_provider (self, cancellable, error)) == NULL)
    return FALSE;
  return hero_virt_container_provider_restart (provider, self->executor, ref, timeout, cancellable,
                                               error);
}

/**
 * hero_virt_container_restart_async:
 * @self: a #HeroVirtContainer
 * @timeout: seconds to wait before SIGKILL when stopping, or -1 for the engine's default
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.Container.restart].
 *
 * Since: 0.1
 */
void
hero_virt_container_restart_async (HeroVirtContainer  *self,
                                   int                 timeout,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  Call *call;

  g_return_if_fail (HERO_VIRT_IS_CONTAINER (self));

  call = call_new (OP_RESTART);
  call->i = timeout;
  call_start (self, hero_virt_container_restart_async, call, NULL, cancellable, callback,
              user_data);
}

/**
 * hero_virt_container_restart_finish:
 * @self: a #HeroVirtContainer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Container.restart_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_restart_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error)
{
  return call_finish_bool (self, result, hero_virt_container_restart_async, error);
}

/**
 * hero_virt_container_remove:
 * @self: a #HeroVirtContainer
 * @force: kill the container first if it is running
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Removes the container (and its anonymous volumes' claim on it).
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_remove (HeroVirtContainer *self,
                            gboolean           force,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  const char *ref;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), FALSE);

  if ((ref = get_ref (self, error)) == NULL
      || (provider = hero_virt_container_get_provider (self, cancellable, error)) == NULL)
    return FALSE;
  return hero_virt_container_provider_remove (provider, self->executor, ref, force, cancellable,
                                              error);
}

/**
 * hero_virt_container_remove_async:
 * @self: a #HeroVirtContainer
 * @force: kill the container first if it is running
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.Container.remove].
 *
 * Since: 0.1
 */
void
hero_virt_container_remove_async (HeroVirtContainer  *self,
                                  gboolean            force,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  Call *call;

  g_return_if_fail (HERO_VIRT_IS_CONTAINER (self));

  call = call_new (OP_REMOVE);
  call->b = force;
  call_start (self, hero_virt_container_remove_async, call, NULL, cancellable, callback, user_data);
}

/**
 * hero_virt_container_remove_finish:
 * @self: a #HeroVirtContainer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Container.remove_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_remove_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error)
{
  return call_finish_bool (self, result, hero_virt_container_remove_async, error);
}

/**
 * hero_virt_container_copy_in:
 * @self: a #HeroVirtContainer
 * @host_path: (type filename): the file or directory on the executor's host
 * @container_path: where to put it in the container (absolute)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Copies @host_path into the container at @container_path.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_copy_in (HeroVirtContainer *self,
                             const char        *host_path,
                             const char        *container_path,
                             GCancellable      *cancellable,
                             GError           **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  const char *ref;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), FALSE);

  if (!check_paths (host_path, container_path, error))
    return FALSE;
  if ((ref = get_ref (self, error)) == NULL
      || (provider = hero_virt_container_get_provider (self, cancellable, error)) == NULL)
    return FALSE;
  return hero_virt_container_provider_copy_in (provider, self->executor, ref, host_path,
                                               container_path, cancellable, error);
}

/**
 * hero_virt_container_copy_in_async:
 * @self: a #HeroVirtContainer
 * @host_path: (type filename): the file or directory on the executor's host
 * @container_path: where to put it in the container (absolute)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.Container.copy_in].
 *
 * Since: 0.1
 */
void
hero_virt_container_copy_in_async (HeroVirtContainer  *self,
                                   const char         *host_path,
                                   const char         *container_path,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  Call *call;

  g_return_if_fail (HERO_VIRT_IS_CONTAINER (self));

  call = call_new (OP_COPY_IN);
  call->s1 = g_strdup (host_path);
  call->s2 = g_strdup (container_path);
  call_start (self, hero_virt_container_copy_in_async, call, NULL, cancellable, callback,
              user_data);
}

/**
 * hero_virt_container_copy_in_finish:
 * @self: a #HeroVirtContainer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Container.copy_in_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_copy_in_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error)
{
  return call_finish_bool (self, result, hero_virt_container_copy_in_async, error);
}

/**
 * hero_virt_container_copy_out:
 * @self: a #HeroVirtContainer
 * @container_path: the file or directory in the container (absolute)
 * @host_path: (type filename): where to put it on the executor's host
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Copies @container_path out of the container to @host_path.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_copy_out (HeroVirtContainer *self,
                              const char        *container_path,
                              const char        *host_path,
                              GCancellable      *cancellable,
                              GError           **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  const char *ref;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), FALSE);

  if (!check_paths (host_path, container_path, error))
    return FALSE;
  if ((ref = get_ref (self, error)) == NULL
      || (provider = hero_virt_container_get_provider (self, cancellable, error)) == NULL)
    return FALSE;
  return hero_virt_container_provider_copy_out (provider, self->executor, ref, container_path,
                                                host_path, cancellable, error);
}

/**
 * hero_virt_container_copy_out_async:
 * @self: a #HeroVirtContainer
 * @container_path: the file or directory in the container (absolute)
 * @host_path: (type filename): where to put it on the executor's host
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.Container.copy_out].
 *
 * Since: 0.1
 */
void
hero_virt_container_copy_out_async (HeroVirtContainer  *self,
                                    const char         *container_path,
                                    const char         *host_path,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  Call *call;

  g_return_if_fail (HERO_VIRT_IS_CONTAINER (self));

  call = call_new (OP_COPY_OUT);
  call->s1 = g_strdup (container_path);
  call->s2 = g_strdup (host_path);
  call_start (self, hero_virt_container_copy_out_async, call, NULL, cancellable, callback,
              user_data);
}

/**
 * hero_virt_container_copy_out_finish:
 * @self: a #HeroVirtContainer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Container.copy_out_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_copy_out_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error)
{
  return call_finish_bool (self, result, hero_virt_container_copy_out_async, error);
}

/* ---- following the log ----
 *
 * The provider hands each line to on_line, from whatever thread it reads
 * them in. The container emits them as ::log-line, in order and all before
 * the call completes: in the calling thread for the synchronous form, in
 * the caller's thread-default main context for the asynchronous one. */

typedef struct
{
  HeroVirtOutputStream stream;
  char                 line[];
} LogLine;

typedef struct
{
  gatomicrefcount    ref;
  HeroVirtContainer *self;
  GMainContext      *context;
  GThread           *thread; /* the synchronous caller's, else NULL */
  GMutex             lock;
  GQueue             pending; /* LogLine, not yet emitted */
  gboolean           scheduled;
} Follow;

static Follow *
follow_new (HeroVirtContainer *self, GThread *thread)
{
  Follow *f = g_new0 (Follow, 1);

  g_atomic_ref_count_init (&f->ref);
  f->self = g_object_ref (self);
  f->context = g_main_context_ref_thread_default ();
  f->thread = thread;
  g_mutex_init (&f->lock);
  return f;
}

static Follow *
follow_ref (Follow *f)
{
  g_atomic_ref_count_inc (&f->ref);
  return f;
}

static void
follow_unref (gpointer data)
{
  Follow *f = data;

  if (!g_atomic_ref_count_dec (&f->ref))
    return;
  g_queue_clear_full (&f->pending, g_free);
  g_mutex_clear (&f->lock);
  g_main_context_unref (f->context);
  g_object_unref (f->self);
  g_free (f);
}

static void
follow_drain (Follow *f)
{
  LogLine *l;

  for (;;)
    {
      g_mutex_lock (&f->lock);
      l = g_queue_pop_head (&f->pending);
      g_mutex_unlock (&f->lock);
      if (l == NULL)
        return;
      g_signal_emit (f->self, signals[SIGNAL_LOG_LINE], 0, l->stream, l->line);
      g_free (l);
    }
}

static gboolean
follow_drain_idle (gpointer data)
{
  Follow *f = data;

  g_mutex_lock (&f->lock);
  f->scheduled = FALSE;
  g_mutex_unlock (&f->lock);
  follow_drain (f);
  return G_SOURCE_REMOVE;
}

static void
on_line (HeroVirtOutputStream stream, const char *line, gpointer data)
{
  Follow  *f = data;
  gboolean here = f->thread ? g_thread_self () == f->thread : g_main_context_is_owner (f->context);
  gboolean schedule;
  LogLine *l;

  g_mutex_lock (&f->lock);
  if (here && g_queue_is_empty (&f->pending))
    {
      g_mutex_unlock (&f->lock);
      g_signal_emit (f->self, signals[SIGNAL_LOG_LINE], 0, stream, line);
      return;
    }
  l = g_malloc (sizeof (LogLine) + strlen (line) + 1);
  l->stream = stream;
  strcpy (l->line, line);
  g_queue_push_tail (&f->pending, l);
  schedule = !f->scheduled;
  f->scheduled = TRUE;
  g_mutex_unlock (&f->lock);
  /* An idle source rather than g_main_context_invoke(), which would run
   * the emission here when no thread happens to own the context yet. */
  if (schedule)
    {
      g_autoptr (GSource) idle = g_idle_source_new ();

      g_source_set_priority (idle, G_PRIORITY_DEFAULT);
      g_source_set_callback (idle, follow_drain_idle, follow_ref (f), follow_unref);
      g_source_attach (idle, f->context);
    }
}

/**
 * hero_virt_container_follow_logs:
 * @self: a #HeroVirtContainer
 * @tail: start with the last @tail lines, or -1 for the whole log
 * @since: (nullable): only lines since this time (RFC 3339 or a duration such as `10m`), or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Follows the container's log: each line is emitted as [signal@HeroVirt.Container::log-line] until
 * the container stops (then %TRUE is returned) or @cancellable is cancelled
 * (%G_IO_ERROR_CANCELLED).
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_follow_logs (HeroVirtContainer *self,
                                 int                tail,
                                 const char        *since,
                                 GCancellable      *cancellable,
                                 GError           **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  const char *ref;
  Follow     *f;
  gboolean    ok;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), FALSE);

  if (!check_since (since, error) || (ref = get_ref (self, error)) == NULL
      || (provider = hero_virt_container_get_provider (self, cancellable, error)) == NULL)
    return FALSE;
  f = follow_new (self, g_thread_self ());
  ok = hero_virt_container_provider_follow_logs (provider, self->executor, ref, tail, since,
                                                 on_line, f, cancellable, error);
  follow_drain (f);
  follow_unref (f);
  return ok;
}

static void
follow_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  follow_drain (g_task_get_task_data (task));
  if (hero_virt_container_provider_follow_logs_finish (HERO_VIRT_CONTAINER_PROVIDER (source),
                                                       result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * hero_virt_container_follow_logs_async:
 * @self: a #HeroVirtContainer
 * @tail: start with the last @tail lines, or -1 for the whole log
 * @since: (nullable): only lines since this time (RFC 3339 or a duration such as `10m`), or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.Container.follow_logs]. The
 * lines are emitted in the thread-default main context of the caller.
 *
 * Since: 0.1
 */
void
hero_virt_container_follow_logs_async (HeroVirtContainer  *self,
                                       int                 tail,
                                       const char         *since,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  GError     *error = NULL;
  const char *ref;
  Follow     *f;

  g_return_if_fail (HERO_VIRT_IS_CONTAINER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hero_virt_container_follow_logs_async);
  if (!check_since (since, &error) || (ref = get_ref (self, &error)) == NULL
      || (provider = hero_virt_container_get_provider (self, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  f = follow_new (self, NULL);
  g_task_set_task_data (task, follow_ref (f), follow_unref);
  hero_virt_container_provider_follow_logs_async (provider, self->executor, ref, tail, since,
                                                  on_line, f, follow_unref, cancellable,
                                                  follow_done, g_steal_pointer (&task));
}

/**
 * hero_virt_container_follow_logs_finish:
 * @self: a #HeroVirtContainer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Container.follow_logs_async].
 *
 * Returns: %TRUE once the container stopped
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_follow_logs_finish (HeroVirtContainer *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * hero_virt_container_exec:
 * @self: a #HeroVirtContainer
 * @argv: (array zero-terminated=1): the program and its arguments
 * @stdin_bytes: (nullable): what to write to its standard input, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs @argv in the running container and waits for it. A non-zero exit status is not an error;
 * read it from the result.
 *
 * Returns: (transfer full): the command's exit status and output, or %NULL if it could not be run
 *
 * Since: 0.1
 */
HeroVirtCommandResult *
hero_virt_container_exec (HeroVirtContainer *self,
                          const char *const *argv,
                          GBytes            *stdin_bytes,
                          GCancellable      *cancellable,
                          GError           **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  const char *ref;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), NULL);

  if (argv == NULL || argv[0] == NULL || *argv[0] == '\0')
    {
      g_set_error_literal (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                           "exec needs a program to run");
      return NULL;
    }
  if ((ref = get_ref (self, error)) == NULL
      || (provider = hero_virt_container_get_provider (self, cancellable, error)) == NULL)
    return NULL;
  return hero_virt_container_provider_exec (provider, self->executor, ref, argv, stdin_bytes,
                                            cancellable, error);
}

/**
 * hero_virt_container_exec_async:
 * @self: a #HeroVirtContainer
 * @argv: (array zero-terminated=1): the program and its arguments
 * @stdin_bytes: (nullable): what to write to its standard input, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.Container.exec].
 *
 * Since: 0.1
 */
void
hero_virt_container_exec_async (HeroVirtContainer  *self,
                                const char *const  *argv,
                                GBytes             *stdin_bytes,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  Call *call;

  g_return_if_fail (HERO_VIRT_IS_CONTAINER (self));

  call = call_new (OP_EXEC);
  call->argv = g_strdupv ((char **)argv);
  call->bytes = stdin_bytes ? g_bytes_ref (stdin_bytes) : NULL;
  call_start (self, hero_virt_container_exec_async, call, g_object_unref, cancellable, callback,
              user_data);
}

/**
 * hero_virt_container_exec_finish:
 * @self: a #HeroVirtContainer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Container.exec_async].
 *
 * Returns: (transfer full): the command's exit status and output, or %NULL if it could not be run
 *
 * Since: 0.1
 */
HeroVirtCommandResult *
hero_virt_container_exec_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_container_exec_async, error);
}

/**
 * hero_virt_container_logs:
 * @self: a #HeroVirtContainer
 * @tail: only the last @tail lines, or -1 for the whole log
 * @since: (nullable): only lines since this time (RFC 3339 or a duration such as `10m`), or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the container's log: standard output and standard error, interleaved.
 *
 * Returns: (transfer full): the log text, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_container_logs (HeroVirtContainer *self,
                          int                tail,
                          const char        *since,
                          GCancellable      *cancellable,
                          GError           **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  const char *ref;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), NULL);

  if (!check_since (since, error))
    return NULL;
  if ((ref = get_ref (self, error)) == NULL
      || (provider = hero_virt_container_get_provider (self, cancellable, error)) == NULL)
    return NULL;
  return hero_virt_container_provider_logs (provider, self->executor, ref, tail, since, FALSE,
                                            cancellable, error);
}

/**
 * hero_virt_container_logs_async:
 * @self: a #HeroVirtContainer
 * @tail: only the last @tail lines, or -1 for the whole log
 * @since: (nullable): only lines since this time (RFC 3339 or a duration such as `10m`), or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.Container.logs].
 *
 * Since: 0.1
 */
void
hero_virt_container_logs_async (HeroVirtContainer  *self,
                                int                 tail,
                                const char         *since,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  Call *call;

  g_return_if_fail (HERO_VIRT_IS_CONTAINER (self));

  call = call_new (OP_LOGS);
  call->i = tail;
  call->s1 = g_strdup (since);
  call_start (self, hero_virt_container_logs_async, call, g_free, cancellable, callback, user_data);
}

/**
 * hero_virt_container_logs_finish:
 * @self: a #HeroVirtContainer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Container.logs_async].
 *
 * Returns: (transfer full): the log text, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_container_logs_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_container_logs_async, error);
}

/**
 * hero_virt_container_inspect:
 * @self: a #HeroVirtContainer
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the container's state: running or not, exit code, times, health status and the last health
 * check's output.
 *
 * Returns: (transfer full): the status, or %NULL on error (%HERO_VIRT_ERROR_NOT_FOUND when there is
 * no such container)
 *
 * Since: 0.1
 */
HeroVirtContainerStatus *
hero_virt_container_inspect (HeroVirtContainer *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  const char *ref;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), NULL);

  if ((ref = get_ref (self, error)) == NULL
      || (provider = hero_virt_container_get_provider (self, cancellable, error)) == NULL)
    return NULL;
  return hero_virt_container_provider_inspect (provider, self->executor, ref, cancellable, error);
}

/**
 * hero_virt_container_inspect_async:
 * @self: a #HeroVirtContainer
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.Container.inspect].
 *
 * Since: 0.1
 */
void
hero_virt_container_inspect_async (HeroVirtContainer  *self,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  Call *call;

  g_return_if_fail (HERO_VIRT_IS_CONTAINER (self));

  call = call_new (OP_INSPECT);

  call_start (self, hero_virt_container_inspect_async, call, g_object_unref, cancellable, callback,
              user_data);
}

/**
 * hero_virt_container_inspect_finish:
 * @self: a #HeroVirtContainer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Container.status_async].
 *
 * Returns: (transfer full): the status, or %NULL on error (%HERO_VIRT_ERROR_NOT_FOUND when there is
 * no such container)
 *
 * Since: 0.1
 */
HeroVirtContainerStatus *
hero_virt_container_inspect_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_container_inspect_async, error);
}

/**
 * hero_virt_container_stats:
 * @self: a #HeroVirtContainer
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Samples the running container's resource use once.
 *
 * Returns: (transfer full): the sample, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtContainerStats *
hero_virt_container_stats (HeroVirtContainer *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  const char *ref;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), NULL);

  if ((ref = get_ref (self, error)) == NULL
      || (provider = hero_virt_container_get_provider (self, cancellable, error)) == NULL)
    return NULL;
  return hero_virt_container_provider_stats (provider, self->executor, ref, cancellable, error);
}

/**
 * hero_virt_container_stats_async:
 * @self: a #HeroVirtContainer
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.Container.stats].
 *
 * Since: 0.1
 */
void
hero_virt_container_stats_async (HeroVirtContainer  *self,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  Call *call;

  g_return_if_fail (HERO_VIRT_IS_CONTAINER (self));

  call = call_new (OP_STATS);

  call_start (self, hero_virt_container_stats_async, call, g_object_unref, cancellable, callback,
              user_data);
}

/**
 * hero_virt_container_stats_finish:
 * @self: a #HeroVirtContainer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Container.stats_async].
 *
 * Returns: (transfer full): the sample, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtContainerStats *
hero_virt_container_stats_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_container_stats_async, error);
}

/**
 * hero_virt_container_run_health_check:
 * @self: a #HeroVirtContainer
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs the container's health check now and returns the resulting health status. Useful where no
 * timer runs the checks (no systemd).
 *
 * Returns: (transfer full): `healthy`, `unhealthy` or `starting`, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_container_run_health_check (HeroVirtContainer *self,
                                      GCancellable      *cancellable,
                                      GError           **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  const char *ref;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), NULL);

  if ((ref = get_ref (self, error)) == NULL
      || (provider = hero_virt_container_get_provider (self, cancellable, error)) == NULL)
    return NULL;
  return hero_virt_container_provider_run_health_check (provider, self->executor, ref, cancellable,
                                                        error);
}

/**
 * hero_virt_container_run_health_check_async:
 * @self: a #HeroVirtContainer
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.Container.run_health_check].
 *
 * Since: 0.1
 */
void
hero_virt_container_run_health_check_async (HeroVirtContainer  *self,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data)
{
  Call *call;

  g_return_if_fail (HERO_VIRT_IS_CONTAINER (self));

  call = call_new (OP_HEALTH);

  call_start (self, hero_virt_container_run_health_check_async, call, g_free, cancellable, callback,
              user_data);
}

/**
 * hero_virt_container_run_health_check_finish:
 * @self: a #HeroVirtContainer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Container.run_health_check_async].
 *
 * Returns: (transfer full): `healthy`, `unhealthy` or `starting`, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_container_run_health_check_finish (HeroVirtContainer *self,
                                             GAsyncResult      *result,
                                             GError           **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_container_run_health_check_async, error);
}

/**
 * hero_virt_container_commit:
 * @self: a #HeroVirtContainer
 * @reference: the new image's name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Makes a new image @reference from the container's current file system.
 *
 * Returns: (transfer full): the new image's ID, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_container_commit (HeroVirtContainer *self,
                            const char        *reference,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;
  const char *ref;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), NULL);

  if (!hero_virt_validate_image_reference (reference, error))
    return NULL;
  if ((ref = get_ref (self, error)) == NULL
      || (provider = hero_virt_container_get_provider (self, cancellable, error)) == NULL)
    return NULL;
  return hero_virt_container_provider_image_commit (provider, self->executor, ref, reference,
                                                    cancellable, error);
}

/**
 * hero_virt_container_commit_async:
 * @self: a #HeroVirtContainer
 * @reference: the new image's name
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.Container.commit].
 *
 * Since: 0.1
 */
void
hero_virt_container_commit_async (HeroVirtContainer  *self,
                                  const char         *reference,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  Call *call;

  g_return_if_fail (HERO_VIRT_IS_CONTAINER (self));

  call = call_new (OP_COMMIT);
  call->s1 = g_strdup (reference);
  call_start (self, hero_virt_container_commit_async, call, g_free, cancellable, callback,
              user_data);
}

/**
 * hero_virt_container_commit_finish:
 * @self: a #HeroVirtContainer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Container.commit_async].
 *
 * Returns: (transfer full): the new image's ID, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_container_commit_finish (HeroVirtContainer *self, GAsyncResult *result, GError **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_container_commit_async, error);
}

/**
 * hero_virt_container_wait_healthy_async:
 * @self: a #HeroVirtContainer
 * @timeout_ms: how long to wait, in milliseconds
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.Container.wait_healthy].
 *
 * Since: 0.1
 */
void
hero_virt_container_wait_healthy_async (HeroVirtContainer  *self,
                                        guint               timeout_ms,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data)
{
  Call *call;

  g_return_if_fail (HERO_VIRT_IS_CONTAINER (self));

  call = call_new (OP_WAIT_HEALTHY);
  call->u = timeout_ms;
  call_start (self, hero_virt_container_wait_healthy_async, call, NULL, cancellable, callback,
              user_data);
}

/**
 * hero_virt_container_wait_healthy_finish:
 * @self: a #HeroVirtContainer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Container.wait_healthy_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_wait_healthy_finish (HeroVirtContainer *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  return call_finish_bool (self, result, hero_virt_container_wait_healthy_async, error);
}

/* Sleeps @ms in short steps, so a cancellation is noticed quickly. */
static gboolean
sleep_cancellable (guint ms, GCancellable *cancellable, GError **error)
{
  gint64 end = g_get_monotonic_time () + (gint64)ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (20 * 1000);
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/**
 * hero_virt_container_wait_healthy:
 * @self: a #HeroVirtContainer
 * @timeout_ms: how long to wait, in milliseconds
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Waits until the container is healthy, running its health check on
 * demand (so it works where no systemd timer runs the checks). Fails with
 * %HERO_VIRT_ERROR_TIMEOUT when @timeout_ms passes first, with
 * %HERO_VIRT_ERROR_FAILED if the container is not running, and with
 * %HERO_VIRT_ERROR_NOT_SUPPORTED if it has no health check.
 *
 * Returns: %TRUE once the container is healthy
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_wait_healthy (HeroVirtContainer *self,
                                  guint              timeout_ms,
                                  GCancellable      *cancellable,
                                  GError           **error)
{
  gint64           deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  g_autofree char *last = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER (self), FALSE);

  for (;;)
    {
      g_autoptr (HeroVirtContainerStatus) status
          = hero_virt_container_inspect (self, cancellable, error);
      g_autofree char *health = NULL;

      if (status == NULL)
        return FALSE;
      if (!hero_virt_container_status_get_running (status))
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED,
                       "Container “%s” is %s (exit code %d), so it cannot become healthy",
                       self->name ? self->name : self->id,
                       hero_virt_container_status_get_state (status),
                       hero_virt_container_status_get_exit_code (status));
          return FALSE;
        }
      if (hero_virt_container_status_get_health_status (status) == NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                       "Container “%s” has no health check", self->name ? self->name : self->id);
          return FALSE;
        }
      if (g_strcmp0 (hero_virt_container_status_get_health_status (status), "healthy") == 0)
        return TRUE;

      health = hero_virt_container_run_health_check (self, cancellable, error);
      if (health == NULL)
        return FALSE;
      if (g_str_equal (health, "healthy"))
        return TRUE;
      g_free (last);
      last = g_strdup (hero_virt_container_status_get_health_output (status));

      if (g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT,
                       "Container “%s” did not become healthy within %u ms (health: %s%s%s)",
                       self->name ? self->name : self->id, timeout_ms, health,
                       last ? "; last output: " : "", last ? last : "");
          return FALSE;
        }
      if (!sleep_cancellable (200, cancellable, error))
        return FALSE;
    }
}
/**
 * hero_virt_container_list:
 * @provider_name: (nullable): the container provider (`podman`, `nerdctl`), or
 *   %NULL for the default
 * @executor: (nullable): where to run commands, or %NULL for this machine
 * @all: include stopped and never-started containers
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the engine's containers: ID, name, image, state, status text and ports of each.
 *
 * Returns: (transfer container) (element-type HeroVirt.ContainerStatus): the containers, or %NULL
 * on error
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_container_list (const char       *provider_name,
                          HeroVirtExecutor *executor,
                          gboolean          all,
                          GCancellable     *cancellable,
                          GError          **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;

  g_return_val_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor), NULL);

  if (executor == NULL)
    executor = hero_virt_executor_get_default ();
  provider = _hero_virt_container_find_provider (provider_name, executor, cancellable, error);
  if (provider == NULL)
    return NULL;
  return hero_virt_container_provider_list (provider, executor, all, cancellable, error);
}

/**
 * hero_virt_container_list_async:
 * @provider_name: (nullable): the container provider (`podman`, `nerdctl`), or
 *   %NULL for the default
 * @executor: (nullable): where to run commands, or %NULL for this machine
 * @all: include stopped and never-started containers
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [func@HeroVirt.Container.list].
 *
 * Since: 0.1
 */
void
hero_virt_container_list_async (const char         *provider_name,
                                HeroVirtExecutor   *executor,
                                gboolean            all,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  Call *call = call_new (OP_LIST);

  call->s2 = g_strdup (provider_name);
  call->executor = executor ? g_object_ref (executor) : NULL;
  call->b = all;
  call_start (NULL, hero_virt_container_list_async, call, (GDestroyNotify)g_ptr_array_unref,
              cancellable, callback, user_data);
}

/**
 * hero_virt_container_list_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [func@HeroVirt.Container.list_async].
 *
 * Returns: (transfer container) (element-type HeroVirt.ContainerStatus): the containers, or %NULL
 * on error
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_container_list_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * hero_virt_container_image_list:
 * @provider_name: (nullable): the container provider (`podman`, `nerdctl`), or
 *   %NULL for the default
 * @executor: (nullable): where to run commands, or %NULL for this machine
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the engine's local images.
 *
 * Returns: (transfer container) (element-type HeroVirt.ContainerImage): the images, or %NULL on
 * error
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_container_image_list (const char       *provider_name,
                                HeroVirtExecutor *executor,
                                GCancellable     *cancellable,
                                GError          **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;

  g_return_val_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor), NULL);

  if (executor == NULL)
    executor = hero_virt_executor_get_default ();
  provider = _hero_virt_container_find_provider (provider_name, executor, cancellable, error);
  if (provider == NULL)
    return NULL;
  return hero_virt_container_provider_image_list (provider, executor, cancellable, error);
}

/**
 * hero_virt_container_image_list_async:
 * @provider_name: (nullable): the container provider (`podman`, `nerdctl`), or
 *   %NULL for the default
 * @executor: (nullable): where to run commands, or %NULL for this machine
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [func@HeroVirt.ContainerImage.list].
 *
 * Since: 0.1
 */
void
hero_virt_container_image_list_async (const char         *provider_name,
                                      HeroVirtExecutor   *executor,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  Call *call = call_new (OP_IMAGE_LIST);

  call->s2 = g_strdup (provider_name);
  call->executor = executor ? g_object_ref (executor) : NULL;

  call_start (NULL, hero_virt_container_image_list_async, call, (GDestroyNotify)g_ptr_array_unref,
              cancellable, callback, user_data);
}

/**
 * hero_virt_container_image_list_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [func@HeroVirt.ContainerImage.list_async].
 *
 * Returns: (transfer container) (element-type HeroVirt.ContainerImage): the images, or %NULL on
 * error
 *
 * Since: 0.1
 */
GPtrArray *
hero_virt_container_image_list_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * hero_virt_container_image_pull:
 * @provider_name: (nullable): the container provider (`podman`, `nerdctl`), or
 *   %NULL for the default
 * @executor: (nullable): where to run commands, or %NULL for this machine
 * @reference: the image to pull
 * @tls_verify: verify the registry's TLS certificate; turn off only for a local plain-HTTP registry
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Pulls @reference into the engine's local images.
 *
 * Returns: (transfer full): the image's ID, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_container_image_pull (const char       *provider_name,
                                HeroVirtExecutor *executor,
                                const char       *reference,
                                gboolean          tls_verify,
                                GCancellable     *cancellable,
                                GError          **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;

  g_return_val_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor), NULL);

  if (!hero_virt_validate_image_reference (reference, error))
    return NULL;
  if (executor == NULL)
    executor = hero_virt_executor_get_default ();
  provider = _hero_virt_container_find_provider (provider_name, executor, cancellable, error);
  if (provider == NULL)
    return NULL;
  return hero_virt_container_provider_image_pull (provider, executor, reference, tls_verify,
                                                  cancellable, error);
}

/**
 * hero_virt_container_image_pull_async:
 * @provider_name: (nullable): the container provider (`podman`, `nerdctl`), or
 *   %NULL for the default
 * @executor: (nullable): where to run commands, or %NULL for this machine
 * @reference: the image to pull
 * @tls_verify: verify the registry's TLS certificate; turn off only for a local plain-HTTP registry
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [func@HeroVirt.ContainerImage.pull].
 *
 * Since: 0.1
 */
void
hero_virt_container_image_pull_async (const char         *provider_name,
                                      HeroVirtExecutor   *executor,
                                      const char         *reference,
                                      gboolean            tls_verify,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  Call *call = call_new (OP_IMAGE_PULL);

  call->s2 = g_strdup (provider_name);
  call->executor = executor ? g_object_ref (executor) : NULL;
  call->s1 = g_strdup (reference);
  call->b = tls_verify;
  call_start (NULL, hero_virt_container_image_pull_async, call, g_free, cancellable, callback,
              user_data);
}

/**
 * hero_virt_container_image_pull_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [func@HeroVirt.ContainerImage.pull_async].
 *
 * Returns: (transfer full): the image's ID, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_container_image_pull_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * hero_virt_container_image_push:
 * @provider_name: (nullable): the container provider (`podman`, `nerdctl`), or
 *   %NULL for the default
 * @executor: (nullable): where to run commands, or %NULL for this machine
 * @reference: the local image
 * @destination: (nullable): where to push it, or %NULL for @reference
 * @tls_verify: verify the registry's TLS certificate
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Pushes the local image @reference to its registry, or to @destination.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_image_push (const char       *provider_name,
                                HeroVirtExecutor *executor,
                                const char       *reference,
                                const char       *destination,
                                gboolean          tls_verify,
                                GCancellable     *cancellable,
                                GError          **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;

  g_return_val_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor), FALSE);

  if (!hero_virt_validate_image_reference (reference, error)
      || (destination != NULL && !hero_virt_validate_image_reference (destination, error)))
    return FALSE;
  if (executor == NULL)
    executor = hero_virt_executor_get_default ();
  provider = _hero_virt_container_find_provider (provider_name, executor, cancellable, error);
  if (provider == NULL)
    return FALSE;
  return hero_virt_container_provider_image_push (provider, executor, reference, destination,
                                                  tls_verify, cancellable, error);
}

/**
 * hero_virt_container_image_push_async:
 * @provider_name: (nullable): the container provider (`podman`, `nerdctl`), or
 *   %NULL for the default
 * @executor: (nullable): where to run commands, or %NULL for this machine
 * @reference: the local image
 * @destination: (nullable): where to push it, or %NULL for @reference
 * @tls_verify: verify the registry's TLS certificate
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [func@HeroVirt.ContainerImage.push].
 *
 * Since: 0.1
 */
void
hero_virt_container_image_push_async (const char         *provider_name,
                                      HeroVirtExecutor   *executor,
                                      const char         *reference,
                                      const char         *destination,
                                      gboolean            tls_verify,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  Call *call = call_new (OP_IMAGE_PUSH);

  call->s2 = g_strdup (provider_name);
  call->executor = executor ? g_object_ref (executor) : NULL;
  call->s1 = g_strdup (reference);
  call->argv = g_new0 (char *, 2);
  call->argv[0] = g_strdup (destination);
  call->b = tls_verify;
  call_start (NULL, hero_virt_container_image_push_async, call, NULL, cancellable, callback,
              user_data);
}

/**
 * hero_virt_container_image_push_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [func@HeroVirt.ContainerImage.push_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_image_push_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

/**
 * hero_virt_container_image_tag:
 * @provider_name: (nullable): the container provider (`podman`, `nerdctl`), or
 *   %NULL for the default
 * @executor: (nullable): where to run commands, or %NULL for this machine
 * @reference: the local image
 * @new_reference: its additional name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gives the local image @reference the additional name @new_reference.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_image_tag (const char       *provider_name,
                               HeroVirtExecutor *executor,
                               const char       *reference,
                               const char       *new_reference,
                               GCancellable     *cancellable,
                               GError          **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;

  g_return_val_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor), FALSE);

  if (!hero_virt_validate_image_reference (reference, error)
      || !hero_virt_validate_image_reference (new_reference, error))
    return FALSE;
  if (executor == NULL)
    executor = hero_virt_executor_get_default ();
  provider = _hero_virt_container_find_provider (provider_name, executor, cancellable, error);
  if (provider == NULL)
    return FALSE;
  return hero_virt_container_provider_image_tag (provider, executor, reference, new_reference,
                                                 cancellable, error);
}

/**
 * hero_virt_container_image_tag_async:
 * @provider_name: (nullable): the container provider (`podman`, `nerdctl`), or
 *   %NULL for the default
 * @executor: (nullable): where to run commands, or %NULL for this machine
 * @reference: the local image
 * @new_reference: its additional name
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [func@HeroVirt.ContainerImage.tag].
 *
 * Since: 0.1
 */
void
hero_virt_container_image_tag_async (const char         *provider_name,
                                     HeroVirtExecutor   *executor,
                                     const char         *reference,
                                     const char         *new_reference,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  Call *call = call_new (OP_IMAGE_TAG);

  call->s2 = g_strdup (provider_name);
  call->executor = executor ? g_object_ref (executor) : NULL;
  call->s1 = g_strdup (reference);
  call->argv = g_new0 (char *, 2);
  call->argv[0] = g_strdup (new_reference);
  call_start (NULL, hero_virt_container_image_tag_async, call, NULL, cancellable, callback,
              user_data);
}

/**
 * hero_virt_container_image_tag_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [func@HeroVirt.ContainerImage.tag_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_image_tag_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

/**
 * hero_virt_container_image_remove:
 * @provider_name: (nullable): the container provider (`podman`, `nerdctl`), or
 *   %NULL for the default
 * @executor: (nullable): where to run commands, or %NULL for this machine
 * @reference: the local image
 * @force: remove it even if containers use it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Removes the local image @reference.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_image_remove (const char       *provider_name,
                                  HeroVirtExecutor *executor,
                                  const char       *reference,
                                  gboolean          force,
                                  GCancellable     *cancellable,
                                  GError          **error)
{
  g_autoptr (HeroVirtContainerProvider) provider = NULL;

  g_return_val_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor), FALSE);

  if (!hero_virt_validate_image_reference (reference, error))
    return FALSE;
  if (executor == NULL)
    executor = hero_virt_executor_get_default ();
  provider = _hero_virt_container_find_provider (provider_name, executor, cancellable, error);
  if (provider == NULL)
    return FALSE;
  return hero_virt_container_provider_image_remove (provider, executor, reference, force,
                                                    cancellable, error);
}

/**
 * hero_virt_container_image_remove_async:
 * @provider_name: (nullable): the container provider (`podman`, `nerdctl`), or
 *   %NULL for the default
 * @executor: (nullable): where to run commands, or %NULL for this machine
 * @reference: the local image
 * @force: remove it even if containers use it
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [func@HeroVirt.ContainerImage.remove].
 *
 * Since: 0.1
 */
void
hero_virt_container_image_remove_async (const char         *provider_name,
                                        HeroVirtExecutor   *executor,
                                        const char         *reference,
                                        gboolean            force,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data)
{
  Call *call = call_new (OP_IMAGE_REMOVE);

  call->s2 = g_strdup (provider_name);
  call->executor = executor ? g_object_ref (executor) : NULL;
  call->s1 = g_strdup (reference);
  call->b = force;
  call_start (NULL, hero_virt_container_image_remove_async, call, NULL, cancellable, callback,
              user_data);
}

/**
 * hero_virt_container_image_remove_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [func@HeroVirt.ContainerImage.remove_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_image_remove_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}
