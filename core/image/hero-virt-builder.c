/* hero-virt-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

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
 * Steps run one at a time; every step has an `_async`/`_finish` form.
 *
 * Since: 0.1
 */
struct _HeroVirtBuilder
{
  GObject parent_instance;

  GMutex lock;      /* guards the fields below */
  GMutex step_lock; /* one step at a time */

  char                         *name;
  char                         *base_image;
  HeroVirtExecutor             *executor;
  HeroVirtImageProvider        *provider;
  char                         *container;
  char                         *image_id;
  char                         *image;
  char                         *isolation;
  char                         *runtime;
  char                         *format;
  gboolean                      squash;
  char                         *context_dir;
  HeroVirtImageRegistryOptions *registry_options;
  HeroVirtProgress             *progress;
  HeroVirtImageConfig          *pending;
};

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
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->step_lock);

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
  g_mutex_init (&self->step_lock);
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

/* ---- steps ---- */

typedef enum
{
  STEP_OPEN,
  STEP_RUN,
  STEP_RUN_ARGV,
  STEP_COPY,
  STEP_ADD,
  STEP_WRITE,
  STEP_READ,
  STEP_CONFIG,
  STEP_COMMIT,
  STEP_PUSH,
  STEP_REMOVE,
  STEP_RESET,
} StepKind;

typedef struct
{
  StepKind kind;
  char    *a;
  char    *b;
  char   **argv;
  GBytes  *bytes;
  int      mode;
} Step;

static void
step_free (gpointer p)
{
  Step *step = p;

  g_free (step->a);
  g_free (step->b);
  g_strfreev (step->argv);
  g_clear_pointer (&step->bytes, g_bytes_unref);
  g_free (step);
}

static Step *
step_new (StepKind kind, const char *a, const char *b)
{
  Step *step = g_new0 (Step, 1);

  step->kind = kind;
  step->a = g_strdup (a);
  step->b = g_strdup (b);
  return step;
}

/* What the error message calls the step. */
static char *
step_describe (Step *step)
{
  static const char *const names[] = {
    "open", "run",    "run",    "copy", "add",    "write",
    "read", "config", "commit", "push", "remove", "reset",
  };
  g_autofree char *what = NULL;

  if (step->kind == STEP_RUN_ARGV && step->argv != NULL)
    what = g_strjoinv (" ", step->argv);
  else if (step->kind == STEP_COPY || step->kind == STEP_ADD)
    what = g_strdup_printf ("%s → %s", step->a, step->b);
  else if (step->a != NULL)
    what = g_strdup (step->a);

  if (what == NULL)
    return g_strdup (names[step->kind]);
  if (g_utf8_strlen (what, -1) > 60)
    {
      char *cut = g_utf8_substring (what, 0, 57);
      g_free (what);
      what = g_strconcat (cut, "…", NULL);
      g_free (cut);
    }
  return g_strdup_printf ("%s “%s”", names[step->kind], what);
}

/* A snapshot of the settings a step uses, taken under the lock. */
typedef struct
{
  HeroVirtImageProvider        *provider;
  HeroVirtExecutor             *executor;
  char                         *isolation;
  char                         *runtime;
  char                         *format;
  gboolean                      squash;
  char                         *context_dir;
  HeroVirtImageRegistryOptions *registry_options;
  HeroVirtProgress             *progress;
} Settings;

static void
settings_clear (Settings *s)
{
  g_clear_object (&s->provider);
  g_clear_object (&s->executor);
  g_free (s->isolation);
  g_free (s->runtime);
  g_free (s->format);
  g_free (s->context_dir);
  g_clear_object (&s->registry_options);
  g_clear_object (&s->progress);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Settings, settings_clear)

static gboolean
load_settings (HeroVirtBuilder *self, Settings *s, GCancellable *cancellable, GError **error)
{
  g_mutex_lock (&self->lock);
  if (self->provider == NULL)
    {
      GObject *provider;

      g_mutex_unlock (&self->lock);
      provider = hero_virt_registry_get_default_provider (
          hero_virt_registry_get_default (), HERO_VIRT_PROVIDER_KIND_IMAGE, cancellable, error);
      if (provider == NULL)
        return FALSE;
      g_mutex_lock (&self->lock);
      if (self->provider == NULL)
        self->provider = HERO_VIRT_IMAGE_PROVIDER (provider);
      else
        g_object_unref (provider);
    }
  s->provider = g_object_ref (self->provider);
  s->executor = g_object_ref (self->executor ? self->executor : hero_virt_executor_get_default ());
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
  return TRUE;
}

static char *
get_container (HeroVirtBuilder *self)
{
  return hero_virt_builder_dup_container (self);
}

static void
set_container (HeroVirtBuilder *self, const char *container)
{
  g_mutex_lock (&self->lock);
  g_free (self->container);
  self->container = g_strdup (container);
  g_mutex_unlock (&self->lock);
}

/* The working container of this name, if one exists. */
static gboolean
find_existing (HeroVirtBuilder *self,
               Settings        *s,
               char           **out_name,
               GCancellable    *cancellable,
               GError         **error)
{
  g_autoptr (GPtrArray) containers = NULL;

  *out_name = NULL;
  if (self->name == NULL)
    return TRUE;
  containers
      = hero_virt_image_provider_list_containers (s->provider, s->executor, cancellable, error);
  if (containers == NULL)
    return FALSE;
  for (guint i = 0; i < containers->len; i++)
    {
      HeroVirtImageContainerInfo *info = g_ptr_array_index (containers, i);
      if (g_strcmp0 (hero_virt_image_container_info_get_name (info), self->name) == 0)
        {
          *out_name = g_strdup (self->name);
          break;
        }
    }
  return TRUE;
}

static gboolean
ensure_container (HeroVirtBuilder *self, Settings *s, GCancellable *cancellable, GError **error)
{
  g_autofree char *container = get_container (self);
  g_autoptr (GError) local_error = NULL;

  if (container != NULL)
    return TRUE;
  if ((self->name != NULL && !hero_virt_validate_container_name (self->name, error))
      || !hero_virt_validate_image_reference (self->base_image, error))
    return FALSE;
  /* Create first and reuse on a name clash: a new build (the common case)
   * then costs no extra listing. */
  container = hero_virt_image_provider_create_container (s->provider, s->executor, self->name,
                                                         self->base_image, s->registry_options,
                                                         cancellable, &local_error);
  if (container == NULL)
    {
      if (self->name == NULL
          || !g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("reusing working container %s", self->name);
      container = g_strdup (self->name);
    }
  set_container (self, container);
  return TRUE;
}

/* Applies the recorded configuration, if any. */
static gboolean
flush_config (HeroVirtBuilder *self,
              Settings        *s,
              const char      *container,
              GCancellable    *cancellable,
              GError         **error)
{
  g_autoptr (HeroVirtImageConfig) pending = NULL;

  g_mutex_lock (&self->lock);
  if (!hero_virt_image_config_is_empty (self->pending))
    {
      pending = self->pending;
      self->pending = hero_virt_image_config_new ();
    }
  g_mutex_unlock (&self->lock);

  if (pending == NULL)
    return TRUE;
  if (!hero_virt_image_config_validate (pending, error)
      || !hero_virt_image_provider_config (s->provider, s->executor, container, pending,
                                           cancellable, error))
    {
      g_prefix_error (error, "config: ");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_container_path (const char *path, gboolean absolute, GError **error)
{
  if (path == NULL || *path == '\0' || (absolute && path[0] != '/') || path[0] == '-')
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Invalid path in the container “%s”: %s", path ? path : "",
                   absolute ? "it must be absolute" : "it must not be empty or start with “-”");
      return FALSE;
    }
  for (const char *p = path; *p; p++)
    if ((guchar)*p < 0x20)
      {
        g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                     "Invalid path in the container: control characters are not allowed");
        return FALSE;
      }
  return TRUE;
}

/* Checks a step's own arguments before anything runs. */
static gboolean
validate_step (HeroVirtBuilder *self, Step *step, Settings *s, GError **error)
{
  switch (step->kind)
    {
    case STEP_RUN:
      if (step->a == NULL || *step->a == '\0')
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "The command is empty");
          return FALSE;
        }
      return TRUE;
    case STEP_RUN_ARGV:
      if (step->argv == NULL || step->argv[0] == NULL || *step->argv[0] == '\0')
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "The argument vector is empty");
          return FALSE;
        }
      return TRUE;
    case STEP_COPY:
    case STEP_ADD:
      {
        char *resolved;
        if (step->kind == STEP_ADD
            && (g_str_has_prefix (step->a, "https://") || g_str_has_prefix (step->a, "http://")))
          resolved = g_strdup (step->a);
        else
          resolved = hero_virt_resolve_host_path (s->context_dir, step->a, error);
        if (resolved == NULL)
          return FALSE;
        g_free (step->a);
        step->a = resolved;
        return check_container_path (step->b, FALSE, error);
      }
    case STEP_WRITE:
    case STEP_READ:
      return check_container_path (step->a, TRUE, error);
    case STEP_COMMIT:
      return hero_virt_validate_image_reference (step->a, error);
    case STEP_PUSH:
      if (step->a != NULL && g_str_has_prefix (step->a, "docker://"))
        return hero_virt_validate_image_reference (step->a + strlen ("docker://"), error);
      return step->a == NULL || hero_virt_validate_image_reference (step->a, error);
    case STEP_OPEN:
    case STEP_CONFIG:
    case STEP_REMOVE:
    case STEP_RESET:
    default:
      return TRUE;
    }
}

static gboolean
remove_container (HeroVirtBuilder *self, Settings *s, GCancellable *cancellable, GError **error)
{
  g_autofree char *container = get_container (self);

  if (container == NULL && !find_existing (self, s, &container, cancellable, error))
    return FALSE;
  if (container != NULL)
    {
      g_autoptr (GError) local_error = NULL;

      /* Gone already (removed by another builder of the same name): the
       * goal is met. */
      if (!hero_virt_image_provider_remove_container (s->provider, s->executor, container,
                                                      cancellable, &local_error)
          && !g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  set_container (self, NULL);
  return TRUE;
}

/* Runs one step; returns GBytes for a read, a non-NULL token otherwise. */
static gpointer
do_step_locked (HeroVirtBuilder *self,
                Step            *step,
                Settings        *s,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autofree char *container = NULL;
  const char      *sources[] = { NULL, NULL };

  if (!validate_step (self, step, s, error))
    return NULL;
  /* validate_step() resolved any host path in step->a. */
  sources[0] = step->a;

  if (step->kind == STEP_REMOVE)
    return remove_container (self, s, cancellable, error) ? self : NULL;
  if (step->kind == STEP_RESET)
    {
      g_mutex_lock (&self->lock);
      g_set_object (&self->pending, NULL);
      self->pending = hero_virt_image_config_new ();
      g_mutex_unlock (&self->lock);
      if (!remove_container (self, s, cancellable, error))
        return NULL;
    }
  if (step->kind == STEP_PUSH)
    {
      g_autofree char *image = NULL;

      g_mutex_lock (&self->lock);
      image = g_strdup (self->image);
      g_mutex_unlock (&self->lock);
      if (image == NULL)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                       "Nothing to push: commit an image first");
          return NULL;
        }
      return hero_virt_image_provider_push (s->provider, s->executor, image, step->a,
                                            s->registry_options, s->progress, cancellable, error)
                 ? self
                 : NULL;
    }

  if (!ensure_container (self, s, cancellable, error))
    return NULL;
  container = get_container (self);
  if (step->kind == STEP_OPEN || step->kind == STEP_RESET)
    return self;
  if (!flush_config (self, s, container, cancellable, error))
    return NULL;

  switch (step->kind)
    {
    case STEP_RUN:
      {
        const char *argv[] = { "/bin/sh", "-c", step->a, NULL };
        g_autoptr (GBytes) out
            = hero_virt_image_provider_run (s->provider, s->executor, container, argv, s->isolation,
                                            s->runtime, cancellable, error);
        return out ? self : NULL;
      }
    case STEP_RUN_ARGV:
      {
        g_autoptr (GBytes) out = hero_virt_image_provider_run (
            s->provider, s->executor, container, (const char *const *)step->argv, s->isolation,
            s->runtime, cancellable, error);
        return out ? self : NULL;
      }
    case STEP_COPY:
      return hero_virt_image_provider_copy (s->provider, s->executor, container, sources, step->b,
                                            NULL, NULL, cancellable, error)
                 ? self
                 : NULL;
    case STEP_ADD:
      return hero_virt_image_provider_add (s->provider, s->executor, container, sources, step->b,
                                           NULL, NULL, cancellable, error)
                 ? self
                 : NULL;
    case STEP_WRITE:
      return hero_virt_image_provider_write_content (s->provider, s->executor, container,
                                                     step->bytes, step->a, step->mode, cancellable,
                                                     error)
                 ? self
                 : NULL;
    case STEP_READ:
      return hero_virt_image_provider_read_content (s->provider, s->executor, container, step->a,
                                                    s->isolation, s->runtime, cancellable, error);
    case STEP_CONFIG:
      return self;
    case STEP_COMMIT:
      {
        char *id = hero_virt_image_provider_commit (s->provider, s->executor, container, step->a,
                                                    s->format, s->squash, FALSE, s->progress,
                                                    cancellable, error);
        if (id == NULL)
          return NULL;
        g_mutex_lock (&self->lock);
        g_free (self->image_id);
        self->image_id = id;
        g_free (self->image);
        self->image = g_strdup (step->a);
        g_mutex_unlock (&self->lock);
        return self;
      }
    case STEP_OPEN:
    case STEP_PUSH:
    case STEP_REMOVE:
    case STEP_RESET:
    default:
      g_assert_not_reached ();
    }
}

static gpointer
do_step (gpointer source_object, gpointer task_data, GCancellable *cancellable, GError **error)
{
  HeroVirtBuilder *self = source_object;
  Step            *step = task_data;
  g_auto (Settings) s = {
    0,
  };
  GError  *local_error = NULL;
  gpointer ret = NULL;

  g_mutex_lock (&self->step_lock);
  if (load_settings (self, &s, cancellable, &local_error))
    ret = do_step_locked (self, step, &s, cancellable, &local_error);
  g_mutex_unlock (&self->step_lock);

  if (ret == NULL)
    {
      if (local_error == NULL)
        g_set_error (&local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED, "The step failed");
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *what = step_describe (step);
          g_prefix_error (&local_error, "Builder %s%s%sstep %s failed: ", self->name ? "“" : "",
                          self->name ? self->name : "", self->name ? "”, " : "", what);
        }
      g_propagate_error (error, local_error);
    }
  return ret;
}

static HeroVirtBuilder *
run_step (HeroVirtBuilder *self, Step *step, GCancellable *cancellable, GError **error)
{
  gpointer ret = do_step (self, step, cancellable, error);

  step_free (step);
  return ret ? self : NULL;
}

static void
run_step_async (HeroVirtBuilder    *self,
                Step               *step,
                gpointer            source_tag,
                GCancellable       *cancellable,
                GAsyncReadyCallback callback,
                gpointer            user_data)
{
  _hero_virt_run_in_thread (self, source_tag, do_step, step, step_free,
                            step->kind == STEP_READ ? (GDestroyNotify)g_bytes_unref : NULL,
                            cancellable, callback, user_data);
}

static gboolean
finish_step (HeroVirtBuilder *self, GAsyncResult *result, gpointer source_tag, GError **error)
{
  return _hero_virt_task_finish (self, result, source_tag, error) != NULL;
}

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
  return run_step (self, step_new (STEP_OPEN, NULL, NULL), cancellable, error);
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
  run_step_async (self, step_new (STEP_OPEN, NULL, NULL), hero_virt_builder_open_async, cancellable,
                  callback, user_data);
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
 * hero_virt_builder_run:
 * @self: a #HeroVirtBuilder
 * @command: a shell command, run as `/bin/sh -c COMMAND` inside the
 *   container
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs a command inside the working container, like a Containerfile
 * `RUN`. A non-zero exit status fails the step. The command string is
 * interpreted by the container's shell only, never by a shell on the
 * host.
 *
 * Returns: (transfer none) (nullable): @self, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_run (HeroVirtBuilder *self,
                       const char      *command,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  return run_step (self, step_new (STEP_RUN, command, NULL), cancellable, error);
}

/**
 * hero_virt_builder_run_async:
 * @self: a #HeroVirtBuilder
 * @command: a shell command
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Builder.run].
 *
 * Since: 0.1
 */
void
hero_virt_builder_run_async (HeroVirtBuilder    *self,
                             const char         *command,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_return_if_fail (HERO_VIRT_IS_BUILDER (self));
  run_step_async (self, step_new (STEP_RUN, command, NULL), hero_virt_builder_run_async,
                  cancellable, callback, user_data);
}

/**
 * hero_virt_builder_run_finish:
 * @self: a #HeroVirtBuilder
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Builder.run_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_builder_run_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error)
{
  return finish_step (self, result, hero_virt_builder_run_async, error);
}

static Step *
argv_step (const char *const *argv)
{
  Step *step = step_new (STEP_RUN_ARGV, NULL, NULL);

  step->argv = g_strdupv ((char **)argv);
  return step;
}

/**
 * hero_virt_builder_run_argv:
 * @self: a #HeroVirtBuilder
 * @argv: (array zero-terminated=1): the program and its arguments
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs an exact argument vector inside the working container (no shell),
 * like `RUN ["…"]`.
 *
 * Returns: (transfer none) (nullable): @self, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_run_argv (HeroVirtBuilder   *self,
                            const char *const *argv,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  return run_step (self, argv_step (argv), cancellable, error);
}

/**
 * hero_virt_builder_run_argv_async:
 * @self: a #HeroVirtBuilder
 * @argv: (array zero-terminated=1): the program and its arguments
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Builder.run_argv].
 *
 * Since: 0.1
 */
void
hero_virt_builder_run_argv_async (HeroVirtBuilder    *self,
                                  const char *const  *argv,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  g_return_if_fail (HERO_VIRT_IS_BUILDER (self));
  run_step_async (self, argv_step (argv), hero_virt_builder_run_argv_async, cancellable, callback,
                  user_data);
}

/**
 * hero_virt_builder_run_argv_finish:
 * @self: a #HeroVirtBuilder
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Builder.run_argv_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_builder_run_argv_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error)
{
  return finish_step (self, result, hero_virt_builder_run_argv_async, error);
}

/**
 * hero_virt_builder_copy:
 * @self: a #HeroVirtBuilder
 * @source: (type filename): a file or directory on the executor's host;
 *   a relative path is taken from [property@HeroVirt.Builder:context-dir]
 *   and may not leave it
 * @dest: the destination inside the container
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Copies into the working container, like `COPY`.
 *
 * Returns: (transfer none) (nullable): @self, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_copy (HeroVirtBuilder *self,
                        const char      *source,
                        const char      *dest,
                        GCancellable    *cancellable,
                        GError         **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  return run_step (self, step_new (STEP_COPY, source, dest), cancellable, error);
}

/**
 * hero_virt_builder_copy_async:
 * @self: a #HeroVirtBuilder
 * @source: (type filename): a path on the executor's host
 * @dest: the destination inside the container
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Builder.copy].
 *
 * Since: 0.1
 */
void
hero_virt_builder_copy_async (HeroVirtBuilder    *self,
                              const char         *source,
                              const char         *dest,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_return_if_fail (HERO_VIRT_IS_BUILDER (self));
  run_step_async (self, step_new (STEP_COPY, source, dest), hero_virt_builder_copy_async,
                  cancellable, callback, user_data);
}

/**
 * hero_virt_builder_copy_finish:
 * @self: a #HeroVirtBuilder
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Builder.copy_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_builder_copy_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error)
{
  return finish_step (self, result, hero_virt_builder_copy_async, error);
}

/**
 * hero_virt_builder_add:
 * @self: a #HeroVirtBuilder
 * @source: (type filename): a path on the executor's host (archives are
 *   unpacked) or an `http(s)://` URL
 * @dest: the destination inside the container
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Adds to the working container, like `ADD`.
 *
 * Returns: (transfer none) (nullable): @self, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_add (HeroVirtBuilder *self,
                       const char      *source,
                       const char      *dest,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  return run_step (self, step_new (STEP_ADD, source, dest), cancellable, error);
}

/**
 * hero_virt_builder_add_async:
 * @self: a #HeroVirtBuilder
 * @source: (type filename): a path on the executor's host, or a URL
 * @dest: the destination inside the container
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Builder.add].
 *
 * Since: 0.1
 */
void
hero_virt_builder_add_async (HeroVirtBuilder    *self,
                             const char         *source,
                             const char         *dest,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_return_if_fail (HERO_VIRT_IS_BUILDER (self));
  run_step_async (self, step_new (STEP_ADD, source, dest), hero_virt_builder_add_async, cancellable,
                  callback, user_data);
}

/**
 * hero_virt_builder_add_finish:
 * @self: a #HeroVirtBuilder
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Builder.add_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_builder_add_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error)
{
  return finish_step (self, result, hero_virt_builder_add_async, error);
}

static Step *
write_step (GBytes *content, const char *path, int mode)
{
  Step *step = step_new (STEP_WRITE, path, NULL);

  step->bytes = g_bytes_ref (content);
  step->mode = mode;
  return step;
}

/**
 * hero_virt_builder_write:
 * @self: a #HeroVirtBuilder
 * @content: the text to write
 * @path: an absolute path inside the container
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes @content to a file in the working container with mode 0644.
 *
 * Returns: (transfer none) (nullable): @self, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_write (HeroVirtBuilder *self,
                         const char      *content,
                         const char      *path,
                         GCancellable    *cancellable,
                         GError         **error)
{
  return hero_virt_builder_write_with_mode (self, content, path, 0644, cancellable, error);
}

/**
 * hero_virt_builder_write_with_mode:
 * @self: a #HeroVirtBuilder
 * @content: the text to write
 * @path: an absolute path inside the container
 * @mode: the file's permission bits, such as 0755
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes @content to a file in the working container with @mode.
 *
 * Returns: (transfer none) (nullable): @self, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_write_with_mode (HeroVirtBuilder *self,
                                   const char      *content,
                                   const char      *path,
                                   int              mode,
                                   GCancellable    *cancellable,
                                   GError         **error)
{
  g_autoptr (GBytes) bytes = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  g_return_val_if_fail (content != NULL, NULL);

  bytes = g_bytes_new (content, strlen (content));
  return hero_virt_builder_write_bytes (self, bytes, path, mode, cancellable, error);
}

/**
 * hero_virt_builder_write_bytes:
 * @self: a #HeroVirtBuilder
 * @content: the bytes to write
 * @path: an absolute path inside the container
 * @mode: the file's permission bits
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes binary @content to a file in the working container.
 *
 * Returns: (transfer none) (nullable): @self, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_write_bytes (HeroVirtBuilder *self,
                               GBytes          *content,
                               const char      *path,
                               int              mode,
                               GCancellable    *cancellable,
                               GError         **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  g_return_val_if_fail (content != NULL, NULL);
  return run_step (self, write_step (content, path, mode), cancellable, error);
}

/**
 * hero_virt_builder_write_async:
 * @self: a #HeroVirtBuilder
 * @content: the bytes to write
 * @path: an absolute path inside the container
 * @mode: the file's permission bits
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Builder.write_bytes].
 *
 * Since: 0.1
 */
void
hero_virt_builder_write_async (HeroVirtBuilder    *self,
                               GBytes             *content,
                               const char         *path,
                               int                 mode,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_return_if_fail (HERO_VIRT_IS_BUILDER (self));
  g_return_if_fail (content != NULL);
  run_step_async (self, write_step (content, path, mode), hero_virt_builder_write_async,
                  cancellable, callback, user_data);
}

/**
 * hero_virt_builder_write_finish:
 * @self: a #HeroVirtBuilder
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Builder.write_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_builder_write_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error)
{
  return finish_step (self, result, hero_virt_builder_write_async, error);
}

/**
 * hero_virt_builder_read:
 * @self: a #HeroVirtBuilder
 * @path: an absolute path inside the container
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads a file from the working container (with `cat` run inside it, so
 * symbolic links resolve within the container).
 *
 * Returns: (transfer full) (nullable): the file's contents, or %NULL on
 *   error
 *
 * Since: 0.1
 */
GBytes *
hero_virt_builder_read (HeroVirtBuilder *self,
                        const char      *path,
                        GCancellable    *cancellable,
                        GError         **error)
{
  Step   *step;
  GBytes *ret;

  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  step = step_new (STEP_READ, path, NULL);
  ret = do_step (self, step, cancellable, error);
  step_free (step);
  return ret;
}

/**
 * hero_virt_builder_read_async:
 * @self: a #HeroVirtBuilder
 * @path: an absolute path inside the container
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Builder.read].
 *
 * Since: 0.1
 */
void
hero_virt_builder_read_async (HeroVirtBuilder    *self,
                              const char         *path,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_return_if_fail (HERO_VIRT_IS_BUILDER (self));
  run_step_async (self, step_new (STEP_READ, path, NULL), hero_virt_builder_read_async, cancellable,
                  callback, user_data);
}

/**
 * hero_virt_builder_read_finish:
 * @self: a #HeroVirtBuilder
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Builder.read_async].
 *
 * Returns: (transfer full) (nullable): the file's contents, or %NULL on
 *   error
 *
 * Since: 0.1
 */
GBytes *
hero_virt_builder_read_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error)
{
  return _hero_virt_task_finish (self, result, hero_virt_builder_read_async, error);
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
  return run_step (self, step_new (STEP_CONFIG, NULL, NULL), cancellable, error);
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
  run_step_async (self, step_new (STEP_CONFIG, NULL, NULL), hero_virt_builder_apply_config_async,
                  cancellable, callback, user_data);
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
 * hero_virt_builder_commit:
 * @self: a #HeroVirtBuilder
 * @image: the image reference to write, such as `localhost/web:1`
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Commits the working container to an image in the builder's format,
 * squashed if asked. The working container stays, so more steps and
 * commits can follow; the new image's ID is in
 * [property@HeroVirt.Builder:image-id].
 *
 * Returns: (transfer none) (nullable): @self, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_commit (HeroVirtBuilder *self,
                          const char      *image,
                          GCancellable    *cancellable,
                          GError         **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  return run_step (self, step_new (STEP_COMMIT, image, NULL), cancellable, error);
}

/**
 * hero_virt_builder_commit_async:
 * @self: a #HeroVirtBuilder
 * @image: the image reference to write
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Builder.commit].
 *
 * Since: 0.1
 */
void
hero_virt_builder_commit_async (HeroVirtBuilder    *self,
                                const char         *image,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_return_if_fail (HERO_VIRT_IS_BUILDER (self));
  run_step_async (self, step_new (STEP_COMMIT, image, NULL), hero_virt_builder_commit_async,
                  cancellable, callback, user_data);
}

/**
 * hero_virt_builder_commit_finish:
 * @self: a #HeroVirtBuilder
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Builder.commit_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_builder_commit_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error)
{
  return finish_step (self, result, hero_virt_builder_commit_async, error);
}

/**
 * hero_virt_builder_push:
 * @self: a #HeroVirtBuilder
 * @destination: (nullable): where to push (`registry:port/repo:tag`), or
 *   %NULL for the committed reference itself
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Pushes the last committed image with the builder's registry options.
 *
 * Returns: (transfer none) (nullable): @self, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtBuilder *
hero_virt_builder_push (HeroVirtBuilder *self,
                        const char      *destination,
                        GCancellable    *cancellable,
                        GError         **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_BUILDER (self), NULL);
  return run_step (self, step_new (STEP_PUSH, destination, NULL), cancellable, error);
}

/**
 * hero_virt_builder_push_async:
 * @self: a #HeroVirtBuilder
 * @destination: (nullable): where to push
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Builder.push].
 *
 * Since: 0.1
 */
void
hero_virt_builder_push_async (HeroVirtBuilder    *self,
                              const char         *destination,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_return_if_fail (HERO_VIRT_IS_BUILDER (self));
  run_step_async (self, step_new (STEP_PUSH, destination, NULL), hero_virt_builder_push_async,
                  cancellable, callback, user_data);
}

/**
 * hero_virt_builder_push_finish:
 * @self: a #HeroVirtBuilder
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Builder.push_async].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
hero_virt_builder_push_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error)
{
  return finish_step (self, result, hero_virt_builder_push_async, error);
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
  return run_step (self, step_new (STEP_REMOVE, NULL, NULL), cancellable, error);
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
  run_step_async (self, step_new (STEP_REMOVE, NULL, NULL), hero_virt_builder_remove_async,
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
  return run_step (self, step_new (STEP_RESET, NULL, NULL), cancellable, error);
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
  run_step_async (self, step_new (STEP_RESET, NULL, NULL), hero_virt_builder_reset_async,
                  cancellable, callback, user_data);
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
