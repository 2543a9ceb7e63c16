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

/* ---- the hooks of the generated methods (container-object.json) ---- */

/* The name operations use: the ID when known, else the name. */
const char *
_hero_virt_container_ref (HeroVirtContainer *self)
{
  return self->id ? self->id : self->name;
}

gboolean
_hero_virt_container_check_ref (HeroVirtContainer *self, GError **error)
{
  return hero_virt_validate_container_name (_hero_virt_container_ref (self), error);
}

gboolean
_hero_virt_container_check_argv (const char *const *argv, GError **error)
{
  return (argv[0] != NULL && *argv[0] != '\0')
         || hero_virt_set_invalid_argument (error, "command", argv[0],
                                            "exec needs a program to run");
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
  GSource           *idle;    /* attached to emit them, or NULL */
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
  g_clear_pointer (&f->idle, g_source_unref);
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
  g_clear_pointer (&f->idle, g_source_unref);
  g_mutex_unlock (&f->lock);
  follow_drain (f);
  return G_SOURCE_REMOVE;
}

/* The operation completed: the provider calls on_line no more. Emits what
 * is left here and now, so nothing waits for a main loop that may never
 * run (a synchronous caller need not have one). */
static void
follow_finish (Follow *f)
{
  g_autoptr (GSource) idle = NULL;

  g_mutex_lock (&f->lock);
  idle = g_steal_pointer (&f->idle);
  g_mutex_unlock (&f->lock);
  if (idle != NULL)
    g_source_destroy (idle);
  follow_drain (f);
}

static void
on_line (HeroVirtOutputStream stream, const char *line, gpointer data)
{
  Follow  *f = data;
  gboolean here = f->thread ? g_thread_self () == f->thread : g_main_context_is_owner (f->context);
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
  /* An idle source rather than g_main_context_invoke(), which would run
   * the emission here when no thread happens to own the context yet. */
  if (f->idle == NULL)
    {
      f->idle = g_idle_source_new ();
      g_source_set_priority (f->idle, G_PRIORITY_DEFAULT);
      g_source_set_callback (f->idle, follow_drain_idle, follow_ref (f), follow_unref);
      g_source_attach (f->idle, f->context);
    }
  g_mutex_unlock (&f->lock);
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

  if (!_hero_virt_validate_since (since, error) || !_hero_virt_container_check_ref (self, error)
      || (provider = hero_virt_container_get_provider (self, cancellable, error)) == NULL)
    return FALSE;
  ref = _hero_virt_container_ref (self);
  f = follow_new (self, g_thread_self ());
  ok = hero_virt_container_provider_follow_logs (provider, self->executor, ref, tail, since,
                                                 on_line, f, cancellable, error);
  follow_finish (f);
  follow_unref (f);
  return ok;
}

static void
follow_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  follow_finish (g_task_get_task_data (task));
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
  if (!_hero_virt_validate_since (since, &error) || !_hero_virt_container_check_ref (self, &error)
      || (provider = hero_virt_container_get_provider (self, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ref = _hero_virt_container_ref (self);
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

/* ---- waiting until healthy: polls inspect and run_health_check ---- */

static const char *
shown_name (HeroVirtContainer *self)
{
  return self->name ? self->name : self->id;
}

/* Whether the polling is over: TRUE with *healthy set, or FALSE with an
 * error when the container cannot become healthy. */
static gboolean
judge_status (HeroVirtContainer       *self,
              HeroVirtContainerStatus *status,
              gboolean                *healthy,
              GError                 **error)
{
  if (!hero_virt_container_status_get_running (status))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED,
                   "Container “%s” is %s (exit code %d), so it cannot become healthy",
                   shown_name (self), hero_virt_container_status_get_state (status),
                   hero_virt_container_status_get_exit_code (status));
      return FALSE;
    }
  if (hero_virt_container_status_get_health_status (status) == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                   "Container “%s” has no health check", shown_name (self));
      return FALSE;
    }
  *healthy = g_strcmp0 (hero_virt_container_status_get_health_status (status), "healthy") == 0;
  return TRUE;
}

static void
set_timeout_error (HeroVirtContainer *self,
                   guint              timeout_ms,
                   const char        *health,
                   const char        *last,
                   GError           **error)
{
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT,
               "Container “%s” did not become healthy within %u ms (health: %s%s%s)",
               shown_name (self), timeout_ms, health, last ? "; last output: " : "",
               last ? last : "");
}

#define WAIT_HEALTHY_POLL_MS 200

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
      gboolean         healthy = FALSE;

      if (status == NULL || !judge_status (self, status, &healthy, error))
        return FALSE;
      if (healthy)
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
          set_timeout_error (self, timeout_ms, health, last, error);
          return FALSE;
        }
      if (!sleep_cancellable (WAIT_HEALTHY_POLL_MS, cancellable, error))
        return FALSE;
    }
}

typedef struct
{
  guint  timeout_ms;
  gint64 deadline;
  char  *last;
} WaitHealthy;

static void
wait_healthy_free (gpointer data)
{
  WaitHealthy *w = data;

  g_free (w->last);
  g_free (w);
}

static void wait_healthy_poll (GTask *task);

static gboolean
wait_healthy_tick (gpointer task)
{
  wait_healthy_poll (task);
  return G_SOURCE_REMOVE;
}

static void
wait_healthy_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask           *task = user_data;
  WaitHealthy     *w = g_task_get_task_data (task);
  GError          *error = NULL;
  g_autofree char *health
      = hero_virt_container_run_health_check_finish (HERO_VIRT_CONTAINER (source), result, &error);
  g_autoptr (GSource) timer = NULL;

  if (health == NULL)
    g_task_return_error (task, error);
  else if (g_str_equal (health, "healthy"))
    g_task_return_boolean (task, TRUE);
  else if (g_get_monotonic_time () >= w->deadline)
    {
      set_timeout_error (HERO_VIRT_CONTAINER (source), w->timeout_ms, health, w->last, &error);
      g_task_return_error (task, error);
    }
  else
    {
      timer = g_timeout_source_new (WAIT_HEALTHY_POLL_MS);
      g_source_set_callback (timer, wait_healthy_tick, g_object_ref (task), g_object_unref);
      g_source_attach (timer, g_task_get_context (task));
    }
  g_object_unref (task);
}

static void
wait_healthy_inspected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask             *task = user_data;
  WaitHealthy       *w = g_task_get_task_data (task);
  HeroVirtContainer *self = HERO_VIRT_CONTAINER (source);
  GError            *error = NULL;
  gboolean           healthy = FALSE;
  g_autoptr (HeroVirtContainerStatus) status
      = hero_virt_container_inspect_finish (self, result, &error);

  if (status == NULL || !judge_status (self, status, &healthy, &error))
    g_task_return_error (task, error);
  else if (healthy)
    g_task_return_boolean (task, TRUE);
  else
    {
      g_free (w->last);
      w->last = g_strdup (hero_virt_container_status_get_health_output (status));
      hero_virt_container_run_health_check_async (self, g_task_get_cancellable (task),
                                                  wait_healthy_checked, g_object_ref (task));
    }
  g_object_unref (task);
}

static void
wait_healthy_poll (GTask *task)
{
  if (g_task_return_error_if_cancelled (task))
    return;
  hero_virt_container_inspect_async (g_task_get_source_object (task), g_task_get_cancellable (task),
                                     wait_healthy_inspected, g_object_ref (task));
}

/**
 * hero_virt_container_wait_healthy_async:
 * @self: a #HeroVirtContainer
 * @timeout_ms: how long to wait, in milliseconds
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * The asynchronous form of [method@HeroVirt.Container.wait_healthy], on
 * top of [method@HeroVirt.Container.inspect_async] and
 * [method@HeroVirt.Container.run_health_check_async].
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
  g_autoptr (GTask) task = NULL;
  WaitHealthy *w;

  g_return_if_fail (HERO_VIRT_IS_CONTAINER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hero_virt_container_wait_healthy_async);
  w = g_new0 (WaitHealthy, 1);
  w->timeout_ms = timeout_ms;
  w->deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  g_task_set_task_data (task, w, wait_healthy_free);
  wait_healthy_poll (task);
}

/**
 * hero_virt_container_wait_healthy_finish:
 * @self: a #HeroVirtContainer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Container.wait_healthy_async].
 *
 * Returns: %TRUE once the container is healthy
 *
 * Since: 0.1
 */
gboolean
hero_virt_container_wait_healthy_finish (HeroVirtContainer *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
