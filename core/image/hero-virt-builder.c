/* hero-virt-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-builder-private.h"

/**
 * HeroVirtBuilder:
 *
 * Builds an OCI image step by step, the way a Containerfile does, with a
 * fluent API: every step returns the builder, or %NULL with an error that
 * names the failed step, so a Python chain raises `GLib.Error` where it
 * broke:
 *
 * ```python
 * b = HeroVirt.Builder.new("web", "localhost/busybox:latest")
 * b.run("mkdir -p /www").write("<h1>hi</h1>", "/www/index.html") \
 *  .set_entrypoint(["/bin/httpd", "-f", "-p", "8080", "-h", "/www"]) \
 *  .commit("localhost/web:1")
 * b.remove()
 * ```
 *
 * The working container is created on the first step (`buildah from
 * --name NAME BASE`), or reused when a working container of that name
 * already exists. [method@HeroVirt.Builder.run] runs a command string with
 * `/bin/sh -c` *inside* the container, like `RUN`;
 * [method@HeroVirt.Builder.run_argv] runs an exact argument vector.
 *
 * Configuration setters (entrypoint, cmd, env, labels, ports …) only
 * record; what they set is applied in one go before the next step that
 * depends on it (run, copy, write, read, commit), so `set_working_dir`
 * affects a later `run` as `WORKDIR` does.
 *
 * Commands run through the builder's [iface@HeroVirt.Executor]: set a
 * [class@HeroVirt.SshExecutor] and the same chain builds on a remote host;
 * files written with [method@HeroVirt.Builder.write] travel there first.
 * Relative host paths given to [method@HeroVirt.Builder.copy] are taken
 * from [property@HeroVirt.Builder:context-dir] and may not leave it.
 *
 * Steps run one at a time, in the order they were started; every step has
 * an `_async`/`_finish` form taking the same arguments, which forwards to
 * the provider's own asynchronous operations (the steps with a provider
 * call of their own are generated from `builder-object.json`). Do not
 * start a synchronous step while an asynchronous one of the same builder
 * is running in the same thread: it would wait for a step that needs that
 * thread's main context to finish.
 *
 * Since: 0.1
 */

enum
{
  PROP_0,
  PROP_NAME,
  PROP_BASE_IMAGE,
  PROP_EXECUTOR,
  PROP_PROVIDER,
  PROP_CONTAINER,
  PROP_IMAGE_ID,
  PROP_ISOLATION,
  PROP_RUNTIME,
  PROP_FORMAT,
  PROP_SQUASH,
  PROP_CONTEXT_DIR,
  PROP_REGISTRY_OPTIONS,
  PROP_PROGRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtBuilder, hero_virt_builder, G_TYPE_OBJECT)

static void step_clear (HeroVirtBuilderStep *s);

static void
hero_virt_builder_finalize (GObject *object)
{
  HeroVirtBuilder *self = HERO_VIRT_BUILDER (object);

  g_free (self->name);
  g_free (self->base_image);
  g_clear_object (&self->executor);
  g_clear_object (&self->provider);
  g_free (self->container);
  g_free (self->image_id);
  g_free (self->image);
  g_free (self->isolation);
  g_free (self->runtime);
  g_free (self->format);
  g_free (self->context_dir);
  g_clear_object (&self->registry_options);
  g_clear_object (&self->progress);
  g_clear_object (&self->pending);
  step_clear (&self->cur);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->turn_cond);

  G_OBJECT_CLASS (hero_virt_builder_parent_class)->finalize (object);
}

static void
hero_virt_builder_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HeroVirtBuilder *self = HERO_VIRT_BUILDER (object);

  g_mutex_lock (&self->lock);
  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_BASE_IMAGE:
      g_value_set_string (value, self->base_image);
      break;
    case PROP_EXECUTOR:
      g_value_set_object (value, self->executor);
      break;
    case PROP_PROVIDER:
      g_value_set_object (value, self->provider);
      break;
    case PROP_CONTAINER:
      g_value_set_string (value, self->container);
      break;
    case PROP_IMAGE_ID:
      g_value_set_string (value, self->image_id);
      break;
    case PROP_ISOLATION:
      g_value_set_string (value, self->isolation);
      break;
    case PROP_RUNTIME:
      g_value_set_string (value, self->runtime);
      break;
    case PROP_FORMAT:
      g_value_set_string (value, self->format);
      break;
    case PROP_SQUASH:
      g_value_set_boolean (value, self->squash);
      break;
    case PROP_CONTEXT_DIR:
      g_value_set_string (value, self->context_dir);
      break;
    case PROP_REGISTRY_OPTIONS:
      g_value_set_object (value, self->registry_options);
      break;
    case PROP_PROGRESS:
      g_value_set_object (value, self->progress);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  g_mutex_unlock (&self->lock);
}

/* Sets a string field under the lock; notifies if it changed. */
static void
set_string_field (HeroVirtBuilder *self, char **field, const char *value, guint prop)
{
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = g_strcmp0 (*field, value) != 0;
  if (changed)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_object_field (HeroVirtBuilder *self, gpointer *field, gpointer value, guint prop)
{
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = g_set_object ((GObject **)field, value);
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
hero_virt_builder_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HeroVirtBuilder *self = HERO_VIRT_BUILDER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_BASE_IMAGE:
      self->base_image = g_value_dup_string (value);
      break;
    case PROP_EXECUTOR:
      hero_virt_builder_set_executor (self, g_value_get_object (value));
      break;
    case PROP_PROVIDER:
      self->provider = g_value_dup_object (value);
      break;
    case PROP_ISOLATION:
      hero_virt_builder_set_isolation (self, g_value_get_string (value));
      break;
    case PROP_RUNTIME:
      hero_virt_builder_set_runtime (self, g_value_get_string (value));
      break;
    case PROP_FORMAT:
      hero_virt_builder_set_format (self, g_value_get_string (value));
      break;
    case PROP_SQUASH:
      hero_virt_builder_set_squash (self, g_value_get_boolean (value));
      break;
    case PROP_CONTEXT_DIR:
      hero_virt_builder_set_context_dir (self, g_value_get_string (value));
      break;
    case PROP_REGISTRY_OPTIONS:
      hero_virt_builder_set_registry_options (self, g_value_get_object (value));
      break;
    case PROP_PROGRESS:
      hero_virt_builder_set_progress (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RW (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)
#define CO (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS)
#define RO (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)

static void
hero_virt_builder_class_init (HeroVirtBuilderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_builder_finalize;
  object_class->get_property = hero_virt_builder_get_property;
  object_class->set_property = hero_virt_builder_set_property;

  /**
   * HeroVirtBuilder:name:
   *
   * The working container's name; a container of that name is reused.
   *
   * Since: 0.1
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, CO);
  /**
   * HeroVirtBuilder:base-image:
   *
   * The image the working container starts from (`scratch` for an empty
   * one).
   *
   * Since: 0.1
   */
  properties[PROP_BASE_IMAGE] = g_param_spec_string ("base-image", NULL, NULL, "scratch", CO);
  /**
   * HeroVirtBuilder:executor:
   *
   * Where the build runs; this machine unless set.
   *
   * Since: 0.1
   */
  properties[PROP_EXECUTOR]
      = g_param_spec_object ("executor", NULL, NULL, HERO_VIRT_TYPE_EXECUTOR, RW);
  /**
   * HeroVirtBuilder:provider:
   *
   * The image provider doing the work; the registry's default when not
   * given.
   *
   * Since: 0.1
   */
  properties[PROP_PROVIDER]
      = g_param_spec_object ("provider", NULL, NULL, HERO_VIRT_TYPE_IMAGE_PROVIDER, CO);
  /**
   * HeroVirtBuilder:container:
   *
   * The working container, once a step has created or found it.
   *
   * Since: 0.1
   */
  properties[PROP_CONTAINER] = g_param_spec_string ("container", NULL, NULL, NULL, RO);
  /**
   * HeroVirtBuilder:image-id:
   *
   * The ID of the image the last commit wrote.
   *
   * Since: 0.1
   */
  properties[PROP_IMAGE_ID] = g_param_spec_string ("image-id", NULL, NULL, NULL, RO);
  /**
   * HeroVirtBuilder:isolation:
   *
   * How run steps are isolated: `oci`, `chroot` or `rootless`; %NULL for
   * the backend's default.
   *
   * Since: 0.1
   */
  properties[PROP_ISOLATION] = g_param_spec_string ("isolation", NULL, NULL, NULL, RW);
  /**
   * HeroVirtBuilder:runtime:
   *
   * The OCI runtime for run steps (`runc`); %NULL lets the provider
   * choose (the buildah plugin honours `CONTAINERS_CONF` and
   * `BUILDAH_RUNTIME`, else prefers runc).
   *
   * Since: 0.1
   */
  properties[PROP_RUNTIME] = g_param_spec_string ("runtime", NULL, NULL, NULL, RW);
  /**
   * HeroVirtBuilder:format:
   *
   * The image format commits write: `oci` (default) or `docker`.
   *
   * Since: 0.1
   */
  properties[PROP_FORMAT] = g_param_spec_string ("format", NULL, NULL, NULL, RW);
  /**
   * HeroVirtBuilder:squash:
   *
   * Whether commits squash all layers into one.
   *
   * Since: 0.1
   */
  properties[PROP_SQUASH] = g_param_spec_boolean ("squash", NULL, NULL, FALSE, RW);
  /**
   * HeroVirtBuilder:context-dir:
   *
   * The directory on the executor's host that relative copy and add
   * sources are taken from; they may not leave it. For a local executor it
   * defaults to the current directory.
   *
   * Since: 0.1
   */
  properties[PROP_CONTEXT_DIR] = g_param_spec_string ("context-dir", NULL, NULL, NULL, RW);
  /**
   * HeroVirtBuilder:registry-options:
   *
   * TLS and credentials for pulling the base image and for pushing.
   *
   * Since: 0.1
   */
  properties[PROP_REGISTRY_OPTIONS] = g_param_spec_object (
      "registry-options", NULL, NULL, HERO_VIRT_TYPE_IMAGE_REGISTRY_OPTIONS, RW);
  /**
   * HeroVirtBuilder:progress:
   *
   * Updated while commits and pushes run.
   *
   * Since: 0.1
   */
  properties[PROP_PROGRESS]
      = g_param_spec_object ("progress", NULL, NULL, HERO_VIRT_TYPE_PROGRESS, RW);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_builder_init (HeroVirtBuilder *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->turn_cond);
  g_queue_init (&self->waiters);
  self->pending = hero_virt_image_config_new ();
}

/**
 * hero_virt_builder_new:
 * @name: (nullable): the working container's name, or %NULL to let the
 *   backend pick one (no reuse then)
 * @base_image: (nullable): the base image reference, or %NULL for
 *   `scratch`
 *
 * Creates a builder. Nothing runs until the first step.
 *
 * Returns: (transfer full): a new #HeroVirtBuilder
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_new (const char *name, const char *base_image)
{
  return g_object_new (HERO_VIRT_TYPE_BUILDER, "name", name, "base-image",
                       base_image ? base_image : "scratch", NULL);
}

/**
 * hero_virt_builder_set_executor:
 * @self: a #HeroVirtBuilder
 * @executor: (nullable): where to run, or %NULL for this machine
 *
 * Sets where the build runs.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_executor (HeroVirtBuilder *self, HeroVirtExecutor *executor)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  /* A default provider was chosen for the old executor's host. */
  g_mutex_lock (&self->lock);
  if (self->provider_chosen && self->executor != executor)
    {
      g_clear_object (&self->provider);
      self->provider_chosen = FALSE;
    }
  g_mutex_unlock (&self->lock);
  set_object_field (self, (gpointer *)&self->executor, executor, PROP_EXECUTOR);
  return self;
}

/**
 * hero_virt_builder_set_isolation:
 * @self: a #HeroVirtBuilder
 * @isolation: (nullable): `oci`, `chroot`, `rootless`, or %NULL
 *
 * Sets how run steps are isolated.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_isolation (HeroVirtBuilder *self, const char *isolation)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  set_string_field (self, &self->isolation, isolation, PROP_ISOLATION);
  return self;
}

/**
 * hero_virt_builder_set_runtime:
 * @self: a #HeroVirtBuilder
 * @runtime: (nullable): an OCI runtime name or path, or %NULL
 *
 * Sets the OCI runtime of run steps.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_runtime (HeroVirtBuilder *self, const char *runtime)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  set_string_field (self, &self->runtime, runtime, PROP_RUNTIME);
  return self;
}

/**
 * hero_virt_builder_set_format:
 * @self: a #HeroVirtBuilder
 * @format: (nullable): `oci` or `docker`
 *
 * Sets the format commits write.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_format (HeroVirtBuilder *self, const char *format)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  set_string_field (self, &self->format, format, PROP_FORMAT);
  return self;
}

/**
 * hero_virt_builder_set_squash:
 * @self: a #HeroVirtBuilder
 * @squash: whether to squash layers on commit
 *
 * Sets whether commits squash all layers into one.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_squash (HeroVirtBuilder *self, gboolean squash)
{
  gboolean changed;

  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  g_mutex_lock (&self->lock);
  changed = self->squash != !!squash;
  self->squash = !!squash;
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SQUASH]);
  return self;
}

/**
 * hero_virt_builder_set_context_dir:
 * @self: a #HeroVirtBuilder
 * @context_dir: (nullable) (type filename): a directory on the executor's
 *   host
 *
 * Sets the directory relative copy sources are taken from.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_context_dir (HeroVirtBuilder *self, const char *context_dir)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  set_string_field (self, &self->context_dir, context_dir, PROP_CONTEXT_DIR);
  return self;
}

/**
 * hero_virt_builder_set_registry_options:
 * @self: a #HeroVirtBuilder
 * @options: (nullable): TLS and credentials
 *
 * Sets how to reach registries for the base image and for pushes.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_registry_options (HeroVirtBuilder              *self,
                                        HeroVirtImageRegistryOptions *options)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  set_object_field (self, (gpointer *)&self->registry_options, options, PROP_REGISTRY_OPTIONS);
  return self;
}

/**
 * hero_virt_builder_set_progress:
 * @self: a #HeroVirtBuilder
 * @progress: (nullable): a #HeroVirtProgress to update
 *
 * Sets the progress object commits and pushes update.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_progress (HeroVirtBuilder *self, HeroVirtProgress *progress)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  set_object_field (self, (gpointer *)&self->progress, progress, PROP_PROGRESS);
  return self;
}

/* ---- configuration setters: recorded in self->pending ---- */

#define WITH_PENDING(stmt)                                                                         \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);                                      \
    g_mutex_lock (&self->lock);                                                                    \
    stmt;                                                                                          \
    g_mutex_unlock (&self->lock);                                                                  \
    return self;                                                                                   \
  }                                                                                                \
  G_STMT_END

/**
 * hero_virt_builder_set_entrypoint:
 * @self: a #HeroVirtBuilder
 * @argv: (array zero-terminated=1): the entrypoint in exec form (empty to
 *   clear it)
 *
 * Sets the image's entrypoint, like `ENTRYPOINT ["…"]`.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_entrypoint (HeroVirtBuilder *self, const char *const *argv)
{
  static const char *const empty[] = { NULL };
  WITH_PENDING (hero_virt_image_config_set_entrypoint (self->pending, argv ? argv : empty));
}

/**
 * hero_virt_builder_set_cmd:
 * @self: a #HeroVirtBuilder
 * @argv: (array zero-terminated=1): the command in exec form (empty to
 *   clear it)
 *
 * Sets the image's default command, like `CMD ["…"]`.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_cmd (HeroVirtBuilder *self, const char *const *argv)
{
  static const char *const empty[] = { NULL };
  WITH_PENDING (hero_virt_image_config_set_cmd (self->pending, argv ? argv : empty));
}

/**
 * hero_virt_builder_set_env:
 * @self: a #HeroVirtBuilder
 * @name: the variable's name
 * @value: its value
 *
 * Sets an environment variable, like `ENV`.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_env (HeroVirtBuilder *self, const char *name, const char *value)
{
  WITH_PENDING (hero_virt_image_config_add_env (self->pending, name, value));
}

/**
 * hero_virt_builder_set_label:
 * @self: a #HeroVirtBuilder
 * @key: the label's key
 * @value: its value
 *
 * Sets a label, like `LABEL`.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_label (HeroVirtBuilder *self, const char *key, const char *value)
{
  WITH_PENDING (hero_virt_image_config_add_label (self->pending, key, value));
}

/**
 * hero_virt_builder_set_annotation:
 * @self: a #HeroVirtBuilder
 * @key: the annotation's key
 * @value: its value
 *
 * Sets a manifest annotation.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_annotation (HeroVirtBuilder *self, const char *key, const char *value)
{
  WITH_PENDING (hero_virt_image_config_add_annotation (self->pending, key, value));
}

/**
 * hero_virt_builder_set_working_dir:
 * @self: a #HeroVirtBuilder
 * @dir: an absolute path inside the container
 *
 * Sets the working directory, like `WORKDIR`; later run steps start there.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_working_dir (HeroVirtBuilder *self, const char *dir)
{
  WITH_PENDING (hero_virt_image_config_set_working_dir (self->pending, dir));
}

/**
 * hero_virt_builder_set_user:
 * @self: a #HeroVirtBuilder
 * @user: `name`, `uid`, `name:group` or `uid:gid`
 *
 * Sets the user, like `USER`; later run steps run as that user.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_user (HeroVirtBuilder *self, const char *user)
{
  WITH_PENDING (hero_virt_image_config_set_user (self->pending, user));
}

/**
 * hero_virt_builder_add_port:
 * @self: a #HeroVirtBuilder
 * @port: `8080`, `8080/tcp` or `53/udp`
 *
 * Exposes a port, like `EXPOSE`.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_add_port (HeroVirtBuilder *self, const char *port)
{
  WITH_PENDING (hero_virt_image_config_add_port (self->pending, port));
}

/**
 * hero_virt_builder_add_volume:
 * @self: a #HeroVirtBuilder
 * @path: an absolute path inside the container
 *
 * Declares a volume, like `VOLUME`.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_add_volume (HeroVirtBuilder *self, const char *path)
{
  WITH_PENDING (hero_virt_image_config_add_volume (self->pending, path));
}

/**
 * hero_virt_builder_set_author:
 * @self: a #HeroVirtBuilder
 * @author: the author
 *
 * Sets the image's author.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_author (HeroVirtBuilder *self, const char *author)
{
  WITH_PENDING (hero_virt_image_config_set_author (self->pending, author));
}

/**
 * hero_virt_builder_set_healthcheck:
 * @self: a #HeroVirtBuilder
 * @command: a shell command run in the container; exit 0 means healthy
 * @interval_s: seconds between checks, 0 for the default
 * @timeout_s: seconds a check may take, 0 for the default
 * @start_period_s: seconds of grace after start, 0 for the default
 * @retries: failures before unhealthy, 0 for the default
 *
 * Sets the health check, like `HEALTHCHECK CMD …`. Only Docker-format
 * images store it (see [method@HeroVirt.Builder.set_format]).
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_healthcheck (HeroVirtBuilder *self,
                                   const char      *command,
                                   guint            interval_s,
                                   guint            timeout_s,
                                   guint            start_period_s,
                                   guint            retries)
{
  WITH_PENDING (hero_virt_image_config_set_healthcheck (self->pending, command, interval_s,
                                                        timeout_s, start_period_s, retries));
}

/**
 * hero_virt_builder_set_stop_signal:
 * @self: a #HeroVirtBuilder
 * @signal_name: `SIGTERM`, `SIGINT`, a number …
 *
 * Sets the stop signal, like `STOPSIGNAL`.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_set_stop_signal (HeroVirtBuilder *self, const char *signal_name)
{
  WITH_PENDING (hero_virt_image_config_set_stop_signal (self->pending, signal_name));
}

/* ---- getters ---- */

/**
 * hero_virt_builder_get_name:
 * @self: a #HeroVirtBuilder
 *
 * Returns: (nullable): the working container's name
 *
 * Since: 0.1
 */
const char *
hero_virt_builder_get_name (HeroVirtBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  return self->name;
}

/**
 * hero_virt_builder_get_base_image:
 * @self: a #HeroVirtBuilder
 *
 * Returns: the base image reference
 *
 * Since: 0.1
 */
const char *
hero_virt_builder_get_base_image (HeroVirtBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  return self->base_image;
}

/**
 * hero_virt_builder_dup_container:
 * @self: a #HeroVirtBuilder
 *
 * Returns: (transfer full) (nullable): the working container's name, once
 *   a step created or found it
 *
 * Since: 0.1
 */
char *
hero_virt_builder_dup_container (HeroVirtBuilder *self)
{
  char *ret;

  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  g_mutex_lock (&self->lock);
  ret = g_strdup (self->container);
  g_mutex_unlock (&self->lock);
  return ret;
}

/**
 * hero_virt_builder_dup_image_id:
 * @self: a #HeroVirtBuilder
 *
 * Returns: (transfer full) (nullable): the ID of the last committed image
 *
 * Since: 0.1
 */
char *
hero_virt_builder_dup_image_id (HeroVirtBuilder *self)
{
  char *ret;

  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  g_mutex_lock (&self->lock);
  ret = g_strdup (self->image_id);
  g_mutex_unlock (&self->lock);
  return ret;
}

/**
 * hero_virt_builder_get_executor:
 * @self: a #HeroVirtBuilder
 *
 * Returns: (transfer none): where the build runs
 *
 * Since: 0.1
 */
HeroVirtExecutor *
hero_virt_builder_get_executor (HeroVirtBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  return self->executor ? self->executor : hero_virt_executor_get_default ();
}

/**
 * hero_virt_builder_get_isolation:
 * @self: a #HeroVirtBuilder
 *
 * Returns: (nullable): the isolation of run steps
 *
 * Since: 0.1
 */
const char *
hero_virt_builder_get_isolation (HeroVirtBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  return self->isolation;
}

/**
 * hero_virt_builder_get_format:
 * @self: a #HeroVirtBuilder
 *
 * Returns: (nullable): the commit format
 *
 * Since: 0.1
 */
const char *
hero_virt_builder_get_format (HeroVirtBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  return self->format;
}

/**
 * hero_virt_builder_get_squash:
 * @self: a #HeroVirtBuilder
 *
 * Returns: whether commits squash layers
 *
 * Since: 0.1
 */
gboolean
hero_virt_builder_get_squash (HeroVirtBuilder *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), FALSE);
  return self->squash;
}

/* ---- the turn: one step at a time ---- */

static void
step_clear (HeroVirtBuilderStep *s)
{
  g_clear_object (&s->provider);
  g_clear_object (&s->executor);
  g_clear_pointer (&s->container, g_free);
  g_clear_pointer (&s->isolation, g_free);
  g_clear_pointer (&s->runtime, g_free);
  g_clear_pointer (&s->format, g_free);
  g_clear_pointer (&s->context_dir, g_free);
  g_clear_object (&s->registry_options);
  g_clear_object (&s->progress);
}

/* Called with the turn: snapshots the settings into self->cur. */
static void
load_step (HeroVirtBuilder *self, HeroVirtImageProvider *provider)
{
  HeroVirtBuilderStep *s = &self->cur;

  step_clear (s);
  g_mutex_lock (&self->lock);
  s->provider = g_object_ref (provider);
  s->executor = g_object_ref (self->executor ? self->executor : hero_virt_executor_get_default ());
  s->container = g_strdup (self->container);
  s->isolation = g_strdup (self->isolation);
  s->runtime = g_strdup (self->runtime);
  s->format = g_strdup (self->format);
  s->squash = self->squash;
  s->context_dir = g_strdup (self->context_dir);
  s->registry_options = self->registry_options ? g_object_ref (self->registry_options) : NULL;
  s->progress = self->progress ? g_object_ref (self->progress) : NULL;
  g_mutex_unlock (&self->lock);

  if (s->context_dir == NULL && hero_virt_executor_is_local (s->executor))
    s->context_dir = g_get_current_dir ();
}

static void
take_turn (HeroVirtBuilder *self)
{
  g_mutex_lock (&self->lock);
  while (self->busy)
    g_cond_wait (&self->turn_cond, &self->lock);
  self->busy = TRUE;
  g_mutex_unlock (&self->lock);
}

/* Completes @task (a boolean) once the turn is ours. */
static void
take_turn_async (HeroVirtBuilder *self, GTask *task)
{
  g_mutex_lock (&self->lock);
  if (self->busy)
    {
      g_queue_push_tail (&self->waiters, task);
      g_mutex_unlock (&self->lock);
      return;
    }
  self->busy = TRUE;
  g_mutex_unlock (&self->lock);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

void
_hero_virt_builder_end (HeroVirtBuilder *self)
{
  GTask *next;

  step_clear (&self->cur);
  g_mutex_lock (&self->lock);
  next = g_queue_pop_head (&self->waiters);
  if (next == NULL)
    {
      self->busy = FALSE;
      g_cond_signal (&self->turn_cond);
    }
  g_mutex_unlock (&self->lock);
  /* The turn passes straight to the next waiting async step. */
  if (next != NULL)
    {
      g_task_return_boolean (next, TRUE);
      g_object_unref (next);
    }
}

HeroVirtImageProvider *
_hero_virt_builder_lookup_provider (HeroVirtBuilder *self,
                                    GCancellable    *cancellable,
                                    GError         **error)
{
  g_autoptr (HeroVirtExecutor) executor = NULL;
  HeroVirtImageProvider *ret = NULL;
  GObject               *found;

  g_mutex_lock (&self->lock);
  if (self->provider != NULL)
    ret = g_object_ref (self->provider);
  else
    executor = self->executor ? g_object_ref (self->executor) : NULL;
  g_mutex_unlock (&self->lock);
  if (ret != NULL)
    return ret;

  /* The default is judged by what the executor's host has. */
  found = hero_virt_registry_find_provider (hero_virt_registry_get_default (),
                                            HERO_VIRT_PROVIDER_KIND_IMAGE, NULL, executor,
                                            cancellable, error);
  if (found == NULL)
    return NULL;
  g_mutex_lock (&self->lock);
  if (self->provider == NULL)
    {
      self->provider = g_object_ref (HERO_VIRT_IMAGE_PROVIDER (found));
      self->provider_chosen = TRUE;
    }
  g_mutex_unlock (&self->lock);
  return HERO_VIRT_IMAGE_PROVIDER (found);
}

/* ---- error messages ---- */

static char *
shorten (const char *what)
{
  g_autofree char *cut = NULL;

  if (g_utf8_strlen (what, -1) <= 60)
    return g_strdup (what);
  cut = g_utf8_substring (what, 0, 57);
  return g_strconcat (cut, "…", NULL);
}

void
_hero_virt_builder_failed (HeroVirtBuilder *self,
                           const char      *step,
                           const char      *what,
                           GError         **error)
{
  g_autofree char *shown = NULL;

  if (error == NULL)
    return;
  if (*error == NULL)
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED, "The step failed");
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (what != NULL)
    {
      g_autofree char *cut = shorten (what);
      shown = g_strdup_printf ("%s “%s”", step, cut);
    }
  g_prefix_error (error, "Builder %s%s%sstep %s failed: ", self->name ? "“" : "",
                  self->name ? self->name : "", self->name ? "”, " : "", shown ? shown : step);
}

void
_hero_virt_builder_failed_pair (HeroVirtBuilder *self,
                                const char      *step,
                                const char      *from,
                                const char      *to,
                                GError         **error)
{
  g_autofree char *what = g_strdup_printf ("%s → %s", from, to);

  _hero_virt_builder_failed (self, step, what, error);
}

void
_hero_virt_builder_failed_argv (HeroVirtBuilder *self, const char *const *argv, GError **error)
{
  g_autofree char *what = argv ? g_strjoinv (" ", (char **)argv) : NULL;

  _hero_virt_builder_failed (self, "run", what, error);
}

/* ---- argument checks ---- */

gboolean
_hero_virt_builder_check_command (const char *command, GError **error)
{
  if (command == NULL || *command == '\0')
    return hero_virt_set_invalid_argument (error, "command", command, "it is empty");
  return TRUE;
}

gboolean
_hero_virt_builder_check_argv (const char *const *argv, GError **error)
{
  if (argv == NULL || argv[0] == NULL || *argv[0] == '\0')
    return hero_virt_set_invalid_argument (error, "argument vector", NULL,
                                           "it is empty or starts with an empty program");
  return TRUE;
}

static gboolean
check_container_path (const char *path, gboolean absolute, GError **error)
{
  if (path == NULL || *path == '\0' || (absolute && path[0] != '/') || path[0] == '-')
    return hero_virt_set_invalid_argument (error, "path in the container", path,
                                           absolute ? "it must be absolute"
                                                    : "it must not be empty or start with “-”");
  for (const char *p = path; *p; p++)
    if ((guchar)*p < 0x20)
      return hero_virt_set_invalid_argument (error, "path in the container", path,
                                             "control characters are not allowed");
  return TRUE;
}

gboolean
_hero_virt_builder_check_path (const char *path, GError **error)
{
  return check_container_path (path, TRUE, error);
}

gboolean
_hero_virt_builder_check_dest (const char *path, GError **error)
{
  return check_container_path (path, FALSE, error);
}

static char *
resolve_source (const char *context_dir, const char *source, gboolean allow_url, GError **error)
{
  if (allow_url && (g_str_has_prefix (source, "https://") || g_str_has_prefix (source, "http://")))
    return g_strdup (source);
  return hero_virt_resolve_host_path (context_dir, source, error);
}

gboolean
_hero_virt_builder_check_source (HeroVirtBuilder *self,
                                 const char      *source,
                                 gboolean         allow_url,
                                 GError         **error)
{
  g_autofree char *context_dir = NULL;
  g_autofree char *resolved = NULL;
  gboolean         local;

  g_mutex_lock (&self->lock);
  context_dir = g_strdup (self->context_dir);
  local = self->executor == NULL || hero_virt_executor_is_local (self->executor);
  g_mutex_unlock (&self->lock);
  if (context_dir == NULL && local)
    context_dir = g_get_current_dir ();

  resolved = resolve_source (context_dir, source, allow_url, error);
  return resolved != NULL;
}

gboolean
_hero_virt_builder_check_destination (const char *destination, GError **error)
{
  if (g_str_has_prefix (destination, "docker://"))
    destination += strlen ("docker://");
  return hero_virt_validate_image_reference (destination, error);
}

/* ---- provider arguments ---- */

char **
_hero_virt_builder_shell_argv (const char *command)
{
  const char *const argv[] = { "/bin/sh", "-c", command, NULL };

  return g_strdupv ((char **)argv);
}

char **
_hero_virt_builder_sources (HeroVirtBuilder *self,
                            const char      *source,
                            gboolean         allow_url,
                            GError         **error)
{
  char **sources;
  char  *resolved = resolve_source (self->cur.context_dir, source, allow_url, error);

  if (resolved == NULL)
    return NULL;
  sources = g_new0 (char *, 2);
  sources[0] = resolved;
  return sources;
}

char *
_hero_virt_builder_dup_committed (HeroVirtBuilder *self, GError **error)
{
  char *image;

  g_mutex_lock (&self->lock);
  image = g_strdup (self->image);
  g_mutex_unlock (&self->lock);
  if (image == NULL)
    g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                 "Nothing to push: commit an image first");
  return image;
}

GBytes *
_hero_virt_builder_text (const char *content)
{
  return g_bytes_new (content, strlen (content));
}

HeroVirtBuilder *
_hero_virt_builder_ran (HeroVirtBuilder *self, GBytes *output)
{
  g_bytes_unref (output);
  return self;
}

HeroVirtBuilder *
_hero_virt_builder_committed (HeroVirtBuilder *self, const char *image, char *image_id)
{
  g_mutex_lock (&self->lock);
  g_free (self->image_id);
  self->image_id = image_id;
  g_free (self->image);
  self->image = g_strdup (image);
  g_mutex_unlock (&self->lock);
  return self;
}

/* ---- the hand-written parts of a step: container, configuration ---- */

static void
set_container (HeroVirtBuilder *self, const char *container)
{
  g_free (self->cur.container);
  self->cur.container = g_strdup (container);
  g_mutex_lock (&self->lock);
  g_free (self->container);
  self->container = g_strdup (container);
  g_mutex_unlock (&self->lock);
}

static gboolean
check_container_source (HeroVirtBuilder *self, GError **error)
{
  return (self->name == NULL || hero_virt_validate_container_name (self->name, error))
         && hero_virt_validate_image_reference (self->base_image, error);
}

/* Create first and reuse on a name clash: a new build (the common case)
 * then costs no extra listing. */
static gboolean
created_container (HeroVirtBuilder *self, char *container, GError *local_error, GError **error)
{
  if (container == NULL)
    {
      if (self->name == NULL
          || !g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS))
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      g_clear_error (&local_error);
      g_debug ("reusing working container %s", self->name);
      container = g_strdup (self->name);
    }
  set_container (self, container);
  g_free (container);
  return TRUE;
}

static gboolean
ensure_container (HeroVirtBuilder *self, GCancellable *cancellable, GError **error)
{
  HeroVirtBuilderStep *s = &self->cur;
  GError              *local_error = NULL;
  char                *container;

  if (s->container != NULL)
    return TRUE;
  if (!check_container_source (self, error))
    return FALSE;
  container = hero_virt_image_provider_create_container (s->provider, s->executor, self->name,
                                                         self->base_image, s->registry_options,
                                                         cancellable, &local_error);
  return created_container (self, container, local_error, error);
}

/* The recorded configuration, if there is any, checked; NULL when there
 * is nothing to apply or it is invalid (then with @error set). */
static HeroVirtImageConfig *
take_pending (HeroVirtBuilder *self, GError **error)
{
  g_autoptr (HeroVirtImageConfig) pending = NULL;

  g_mutex_lock (&self->lock);
  if (!hero_virt_image_config_is_empty (self->pending))
    {
      pending = self->pending;
      self->pending = hero_virt_image_config_new ();
    }
  g_mutex_unlock (&self->lock);

  if (pending != NULL && !hero_virt_image_config_validate (pending, error))
    {
      g_prefix_error (error, "config: ");
      return NULL;
    }
  return g_steal_pointer (&pending);
}

static gboolean
flush_config (HeroVirtBuilder *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (HeroVirtImageConfig) pending = NULL;
  GError *local_error = NULL;

  pending = take_pending (self, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (pending == NULL)
    return TRUE;
  if (!hero_virt_image_provider_config (self->cur.provider, self->cur.executor, self->cur.container,
                                        pending, cancellable, error))
    {
      g_prefix_error (error, "config: ");
      return FALSE;
    }
  return TRUE;
}

static void
clear_pending (HeroVirtBuilder *self)
{
  g_mutex_lock (&self->lock);
  g_set_object (&self->pending, NULL);
  self->pending = hero_virt_image_config_new ();
  g_mutex_unlock (&self->lock);
}

/* The working container of the builder's name, if there is one. */
static char *
find_existing (HeroVirtBuilder *self, GPtrArray *containers)
{
  for (guint i = 0; self->name != NULL && i < containers->len; i++)
    {
      HeroVirtImageContainerInfo *info = g_ptr_array_index (containers, i);
      if (g_strcmp0 (hero_virt_image_container_info_get_name (info), self->name) == 0)
        return g_strdup (self->name);
    }
  return NULL;
}

/* Gone already (removed by another builder of the same name): the goal is
 * met. */
static gboolean
removed_container (HeroVirtBuilder *self, gboolean ok, GError *local_error, GError **error)
{
  if (!ok && !g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  g_clear_error (&local_error);
  set_container (self, NULL);
  return TRUE;
}

static gboolean
remove_container (HeroVirtBuilder *self, GCancellable *cancellable, GError **error)
{
  HeroVirtBuilderStep *s = &self->cur;
  GError              *local_error = NULL;
  gboolean             ok;

  if (s->container == NULL && self->name != NULL)
    {
      g_autoptr (GPtrArray) containers
          = hero_virt_image_provider_list_containers (s->provider, s->executor, cancellable, error);
      if (containers == NULL)
        return FALSE;
      s->container = find_existing (self, containers);
    }
  if (s->container == NULL)
    return removed_container (self, TRUE, NULL, error);
  ok = hero_virt_image_provider_remove_container (s->provider, s->executor, s->container,
                                                  cancellable, &local_error);
  return removed_container (self, ok, local_error, error);
}

/* ---- jobs: the hand-written sequences, sync and async ---- */

typedef enum
{
  JOB_CLEAR_PENDING = 1 << 0,
  JOB_REMOVE = 1 << 1,
  JOB_ENSURE = 1 << 2,
  JOB_FLUSH = 1 << 3,
  JOB_END = 1 << 4, /* a whole step: give the turn back, name errors */
} JobFlags;

typedef struct
{
  guint                  todo;
  const char            *step;
  HeroVirtImageProvider *provider;
  HeroVirtImageConfig   *pending;
} Job;

static void
job_free (gpointer p)
{
  Job *job = p;

  g_clear_object (&job->provider);
  g_clear_object (&job->pending);
  g_free (job);
}

/* Runs the stages of @flags with the turn already taken. */
static gboolean
run_stages (HeroVirtBuilder *self, guint flags, GCancellable *cancellable, GError **error)
{
  if (flags & JOB_CLEAR_PENDING)
    clear_pending (self);
  return (!(flags & JOB_REMOVE) || remove_container (self, cancellable, error))
         && (!(flags & JOB_ENSURE) || ensure_container (self, cancellable, error))
         && (!(flags & JOB_FLUSH) || flush_config (self, cancellable, error));
}

static gboolean
run_job (HeroVirtBuilder       *self,
         HeroVirtImageProvider *provider,
         guint                  flags,
         GCancellable          *cancellable,
         GError               **error)
{
  take_turn (self);
  load_step (self, provider);
  if (!run_stages (self, flags, cancellable, error))
    {
      _hero_virt_builder_end (self);
      return FALSE;
    }
  if (flags & JOB_END)
    _hero_virt_builder_end (self);
  return TRUE;
}

gboolean
_hero_virt_builder_begin (HeroVirtBuilder       *self,
                          HeroVirtImageProvider *provider,
                          GCancellable          *cancellable,
                          GError               **error)
{
  return run_job (self, provider, 0, cancellable, error);
}

gboolean
_hero_virt_builder_prepare (HeroVirtBuilder       *self,
                            HeroVirtImageProvider *provider,
                            GCancellable          *cancellable,
                            GError               **error)
{
  return run_job (self, provider, JOB_ENSURE | JOB_FLUSH, cancellable, error);
}

/* A whole hand-written step, sync. */
static HeroVirtBuilder *
run_step (HeroVirtBuilder *self,
          guint            flags,
          const char      *step,
          GCancellable    *cancellable,
          GError         **error)
{
  g_autoptr (HeroVirtImageProvider) provider = NULL;
  GError *local_error = NULL;

  provider = _hero_virt_builder_lookup_provider (self, cancellable, &local_error);
  if (provider != NULL && run_job (self, provider, flags | JOB_END, cancellable, &local_error))
    return self;
  _hero_virt_builder_failed (self, step, NULL, &local_error);
  g_propagate_error (error, local_error);
  return NULL;
}

static void job_next (GTask *task);

static void
job_fail (GTask *task, GError *error)
{
  HeroVirtBuilder *self = g_task_get_source_object (task);
  Job             *job = g_task_get_task_data (task);

  _hero_virt_builder_end (self);
  if (job->todo & JOB_END)
    _hero_virt_builder_failed (self, job->step, NULL, &error);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
job_got_turn (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Job   *job = g_task_get_task_data (task);

  load_step (HERO_VIRT_BUILDER (source), job->provider);
  job_next (task);
}

static void
job_removed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask           *task = user_data;
  HeroVirtBuilder *self = g_task_get_source_object (task);
  GError          *local_error = NULL;
  GError          *error = NULL;
  gboolean         ok;

  ok = hero_virt_image_provider_remove_container_finish (HERO_VIRT_IMAGE_PROVIDER (source), result,
                                                         &local_error);
  if (!removed_container (self, ok, local_error, &error))
    job_fail (task, error);
  else
    job_next (task);
}

static void
job_remove (GTask *task)
{
  HeroVirtBuilder     *self = g_task_get_source_object (task);
  HeroVirtBuilderStep *s = &self->cur;

  if (s->container == NULL)
    {
      set_container (self, NULL);
      job_next (task);
      return;
    }
  hero_virt_image_provider_remove_container_async (
      s->provider, s->executor, s->container, g_task_get_cancellable (task), job_removed, task);
}

static void
job_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask           *task = user_data;
  HeroVirtBuilder *self = g_task_get_source_object (task);
  GError          *error = NULL;
  g_autoptr (GPtrArray) containers = NULL;

  containers = hero_virt_image_provider_list_containers_finish (HERO_VIRT_IMAGE_PROVIDER (source),
                                                                result, &error);
  if (containers == NULL)
    {
      job_fail (task, error);
      return;
    }
  self->cur.container = find_existing (self, containers);
  job_remove (task);
}

static void
job_created (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask           *task = user_data;
  HeroVirtBuilder *self = g_task_get_source_object (task);
  GError          *local_error = NULL;
  GError          *error = NULL;
  char            *container;

  container = hero_virt_image_provider_create_container_finish (HERO_VIRT_IMAGE_PROVIDER (source),
                                                                result, &local_error);
  if (!created_container (self, container, local_error, &error))
    job_fail (task, error);
  else
    job_next (task);
}

static void
job_configured (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask  *task = user_data;
  GError *error = NULL;

  if (!hero_virt_image_provider_config_finish (HERO_VIRT_IMAGE_PROVIDER (source), result, &error))
    {
      g_prefix_error (&error, "config: ");
      job_fail (task, error);
      return;
    }
  job_next (task);
}

/* Runs the next stage left in job->todo, or completes the job. */
static void
job_next (GTask *task)
{
  HeroVirtBuilder     *self = g_task_get_source_object (task);
  HeroVirtBuilderStep *s = &self->cur;
  Job                 *job = g_task_get_task_data (task);
  GCancellable        *cancellable = g_task_get_cancellable (task);
  GError              *error = NULL;

  if (job->todo & JOB_CLEAR_PENDING)
    {
      job->todo &= ~JOB_CLEAR_PENDING;
      clear_pending (self);
    }
  if (job->todo & JOB_REMOVE)
    {
      job->todo &= ~JOB_REMOVE;
      if (s->container == NULL && self->name != NULL)
        hero_virt_image_provider_list_containers_async (s->provider, s->executor, cancellable,
                                                        job_listed, task);
      else
        job_remove (task);
      return;
    }
  if (job->todo & JOB_ENSURE)
    {
      job->todo &= ~JOB_ENSURE;
      if (s->container == NULL)
        {
          if (!check_container_source (self, &error))
            job_fail (task, error);
          else
            hero_virt_image_provider_create_container_async (s->provider, s->executor, self->name,
                                                             self->base_image, s->registry_options,
                                                             cancellable, job_created, task);
          return;
        }
    }
  if (job->todo & JOB_FLUSH)
    {
      job->todo &= ~JOB_FLUSH;
      job->pending = take_pending (self, &error);
      if (error != NULL)
        {
          job_fail (task, error);
          return;
        }
      if (job->pending != NULL)
        {
          hero_virt_image_provider_config_async (s->provider, s->executor, s->container,
                                                 job->pending, cancellable, job_configured, task);
          return;
        }
    }
  if (job->todo & JOB_END)
    _hero_virt_builder_end (self);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
run_job_async (HeroVirtBuilder       *self,
               HeroVirtImageProvider *provider,
               guint                  flags,
               const char            *step,
               gpointer               source_tag,
               GCancellable          *cancellable,
               GAsyncReadyCallback    callback,
               gpointer               user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Job   *job = g_new0 (Job, 1);

  g_task_set_source_tag (task, source_tag);
  job->todo = flags;
  job->step = step;
  g_task_set_task_data (task, job, job_free);

  if (provider == NULL)
    {
      GError *error = NULL;

      job->provider = _hero_virt_builder_lookup_provider (self, cancellable, &error);
      if (job->provider == NULL)
        {
          _hero_virt_builder_failed (self, step, NULL, &error);
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
    }
  else
    job->provider = g_object_ref (provider);
  take_turn_async (self, g_task_new (self, NULL, job_got_turn, task));
}

void
_hero_virt_builder_begin_async (HeroVirtBuilder       *self,
                                HeroVirtImageProvider *provider,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  run_job_async (self, provider, 0, NULL, _hero_virt_builder_begin_async, cancellable, callback,
                 user_data);
}

gboolean
_hero_virt_builder_begin_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_hero_virt_builder_prepare_async (HeroVirtBuilder       *self,
                                  HeroVirtImageProvider *provider,
                                  GCancellable          *cancellable,
                                  GAsyncReadyCallback    callback,
                                  gpointer               user_data)
{
  run_job_async (self, provider, JOB_ENSURE | JOB_FLUSH, NULL, _hero_virt_builder_prepare_async,
                 cancellable, callback, user_data);
}

gboolean
_hero_virt_builder_prepare_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
finish_step (HeroVirtBuilder *self, GAsyncResult *result, gpointer source_tag, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, source_tag), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The steps with a provider call of their own (run, copy, write, read,
 * commit, push …) are generated from builder-object.json; these four are
 * sequences of the parts above. */

/**
 * hero_virt_builder_open:
 * @self: a #HeroVirtBuilder
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Creates the working container from the base image now, or finds the
 * existing one of the builder's name. Other steps do this on their own;
 * call it to fail early.
 *
 * Returns: (transfer none) (nullable): @self, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_open (HeroVirtBuilder *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  return run_step (self, JOB_ENSURE, "open", cancellable, error);
}

/**
 * hero_virt_builder_open_async:
 * @self: a #HeroVirtBuilder
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Builder.open].
 *
 * Since: 0.1
 */
void
hero_virt_builder_open_async (HeroVirtBuilder    *self,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_return_if_fail (HERO_VIRT_IS_BUILDER (self));
  run_job_async (self, NULL, JOB_ENSURE | JOB_END, "open", hero_virt_builder_open_async,
                 cancellable, callback, user_data);
}

/**
 * hero_virt_builder_open_finish:
 * @self: a #HeroVirtBuilder
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Builder.open_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_builder_open_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error)
{
  return finish_step (self, result, hero_virt_builder_open_async, error);
}

/**
 * hero_virt_builder_apply_config:
 * @self: a #HeroVirtBuilder
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Applies the recorded configuration to the working container now
 * (commits and run steps do this on their own).
 *
 * Returns: (transfer none) (nullable): @self, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_apply_config (HeroVirtBuilder *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  return run_step (self, JOB_ENSURE | JOB_FLUSH, "config", cancellable, error);
}

/**
 * hero_virt_builder_apply_config_async:
 * @self: a #HeroVirtBuilder
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Builder.apply_config].
 *
 * Since: 0.1
 */
void
hero_virt_builder_apply_config_async (HeroVirtBuilder    *self,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  g_return_if_fail (HERO_VIRT_IS_BUILDER (self));
  run_job_async (self, NULL, JOB_ENSURE | JOB_FLUSH | JOB_END, "config",
                 hero_virt_builder_apply_config_async, cancellable, callback, user_data);
}

/**
 * hero_virt_builder_apply_config_finish:
 * @self: a #HeroVirtBuilder
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Builder.apply_config_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_builder_apply_config_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error)
{
  return finish_step (self, result, hero_virt_builder_apply_config_async, error);
}

/**
 * hero_virt_builder_remove:
 * @self: a #HeroVirtBuilder
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Removes the working container (committed images stay). A builder whose
 * container does not exist has nothing to remove; that is not an error.
 *
 * Returns: (transfer none) (nullable): @self, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_remove (HeroVirtBuilder *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  return run_step (self, JOB_REMOVE, "remove", cancellable, error);
}

/**
 * hero_virt_builder_remove_async:
 * @self: a #HeroVirtBuilder
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Builder.remove].
 *
 * Since: 0.1
 */
void
hero_virt_builder_remove_async (HeroVirtBuilder    *self,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_return_if_fail (HERO_VIRT_IS_BUILDER (self));
  run_job_async (self, NULL, JOB_REMOVE | JOB_END, "remove", hero_virt_builder_remove_async,
                 cancellable, callback, user_data);
}

/**
 * hero_virt_builder_remove_finish:
 * @self: a #HeroVirtBuilder
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Builder.remove_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_builder_remove_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error)
{
  return finish_step (self, result, hero_virt_builder_remove_async, error);
}

/**
 * hero_virt_builder_reset:
 * @self: a #HeroVirtBuilder
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Removes the working container, drops any recorded configuration and
 * starts again from the base image.
 *
 * Returns: (transfer none) (nullable): @self, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_reset (HeroVirtBuilder *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  return run_step (self, JOB_CLEAR_PENDING | JOB_REMOVE | JOB_ENSURE, "reset", cancellable, error);
}

/**
 * hero_virt_builder_reset_async:
 * @self: a #HeroVirtBuilder
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Builder.reset].
 *
 * Since: 0.1
 */
void
hero_virt_builder_reset_async (HeroVirtBuilder    *self,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_return_if_fail (HERO_VIRT_IS_BUILDER (self));
  run_job_async (self, NULL, JOB_CLEAR_PENDING | JOB_REMOVE | JOB_ENSURE | JOB_END, "reset",
                 hero_virt_builder_reset_async, cancellable, callback, user_data);
}

/**
 * hero_virt_builder_reset_finish:
 * @self: a #HeroVirtBuilder
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Builder.reset_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_builder_reset_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error)
{
  return finish_step (self, result, hero_virt_builder_reset_async, error);
}
