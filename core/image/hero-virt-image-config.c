/* hero-virt-image-config.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtImageConfig:
 *
 * Settings for an image's configuration, what a Containerfile's
 * `ENTRYPOINT`, `CMD`, `ENV`, `LABEL`, `EXPOSE`, `VOLUME`, `WORKDIR`,
 * `USER`, `HEALTHCHECK` and `STOPSIGNAL` set, plus author and annotations.
 * Only what is set here is applied; the rest of the image's configuration
 * is left alone. Entrypoint and cmd are in exec form (an argument vector).
 *
 * The setters only record; [method@HeroVirt.ImageConfig.validate] checks
 * everything before a provider applies it.
 *
 * Since: 0.1
 */
struct _HeroVirtImageConfig
{
  GObject parent_instance;

  char     **entrypoint;
  char     **cmd;
  GPtrArray *env; /* NAME=VALUE, NULL-terminated */
  GPtrArray *labels;
  GPtrArray *annotations;
  GPtrArray *ports;
  GPtrArray *volumes;
  char      *working_dir;
  char      *user;
  char      *author;
  char      *stop_signal;
  char      *healthcheck;
  guint      hc_interval;
  guint      hc_timeout;
  guint      hc_start_period;
  guint      hc_retries;
};

enum
{
  PROP_0,
  PROP_ENTRYPOINT,
  PROP_CMD,
  PROP_WORKING_DIR,
  PROP_USER,
  PROP_AUTHOR,
  PROP_STOP_SIGNAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtImageConfig, hero_virt_image_config, G_TYPE_OBJECT)

static GPtrArray *
strv_array_new (void)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (array, NULL);
  return array;
}

static void
strv_array_append (GPtrArray *array, char *item)
{
  g_ptr_array_insert (array, array->len - 1, item);
}

/* Replaces an existing KEY=… entry so the last setting wins, as in a
 * Containerfile. */
static void
strv_array_set_pair (GPtrArray *array, const char *key, const char *value)
{
  gsize len = strlen (key);

  for (guint i = 0; i + 1 < array->len; i++)
    {
      const char *item = g_ptr_array_index (array, i);
      if (strncmp (item, key, len) == 0 && item[len] == '=')
        {
          g_ptr_array_remove_index (array, i);
          break;
        }
    }
  strv_array_append (array, g_strconcat (key, "=", value, NULL));
}

static void
hero_virt_image_config_finalize (GObject *object)
{
  HeroVirtImageConfig *self = HERO_VIRT_IMAGE_CONFIG (object);

  g_strfreev (self->entrypoint);
  g_strfreev (self->cmd);
  g_ptr_array_unref (self->env);
  g_ptr_array_unref (self->labels);
  g_ptr_array_unref (self->annotations);
  g_ptr_array_unref (self->ports);
  g_ptr_array_unref (self->volumes);
  g_free (self->working_dir);
  g_free (self->user);
  g_free (self->author);
  g_free (self->stop_signal);
  g_free (self->healthcheck);

  G_OBJECT_CLASS (hero_virt_image_config_parent_class)->finalize (object);
}

static void
hero_virt_image_config_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  HeroVirtImageConfig *self = HERO_VIRT_IMAGE_CONFIG (object);

  switch (prop_id)
    {
    case PROP_ENTRYPOINT:
      g_value_set_boxed (value, self->entrypoint);
      break;
    case PROP_CMD:
      g_value_set_boxed (value, self->cmd);
      break;
    case PROP_WORKING_DIR:
      g_value_set_string (value, self->working_dir);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_AUTHOR:
      g_value_set_string (value, self->author);
      break;
    case PROP_STOP_SIGNAL:
      g_value_set_string (value, self->stop_signal);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_image_config_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  HeroVirtImageConfig *self = HERO_VIRT_IMAGE_CONFIG (object);

  switch (prop_id)
    {
    case PROP_ENTRYPOINT:
      hero_virt_image_config_set_entrypoint (self, g_value_get_boxed (value));
      break;
    case PROP_CMD:
      hero_virt_image_config_set_cmd (self, g_value_get_boxed (value));
      break;
    case PROP_WORKING_DIR:
      hero_virt_image_config_set_working_dir (self, g_value_get_string (value));
      break;
    case PROP_USER:
      hero_virt_image_config_set_user (self, g_value_get_string (value));
      break;
    case PROP_AUTHOR:
      hero_virt_image_config_set_author (self, g_value_get_string (value));
      break;
    case PROP_STOP_SIGNAL:
      hero_virt_image_config_set_stop_signal (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define FLAGS (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static void
hero_virt_image_config_class_init (HeroVirtImageConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_image_config_finalize;
  object_class->get_property = hero_virt_image_config_get_property;
  object_class->set_property = hero_virt_image_config_set_property;

  /**
   * HeroVirtImageConfig:entrypoint:
   *
   * The entrypoint in exec form; an empty vector clears it; %NULL leaves
   * it unchanged.
   *
   * Since: 0.1
   */
  properties[PROP_ENTRYPOINT] = g_param_spec_boxed ("entrypoint", NULL, NULL, G_TYPE_STRV, FLAGS);
  /**
   * HeroVirtImageConfig:cmd:
   *
   * The default command in exec form; an empty vector clears it; %NULL
   * leaves it unchanged.
   *
   * Since: 0.1
   */
  properties[PROP_CMD] = g_param_spec_boxed ("cmd", NULL, NULL, G_TYPE_STRV, FLAGS);
  /**
   * HeroVirtImageConfig:working-dir:
   *
   * The working directory (absolute).
   *
   * Since: 0.1
   */
  properties[PROP_WORKING_DIR] = g_param_spec_string ("working-dir", NULL, NULL, NULL, FLAGS);
  /**
   * HeroVirtImageConfig:user:
   *
   * The user (`name`, `uid` or `user:group`) processes run as.
   *
   * Since: 0.1
   */
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, FLAGS);
  /**
   * HeroVirtImageConfig:author:
   *
   * The image's author.
   *
   * Since: 0.1
   */
  properties[PROP_AUTHOR] = g_param_spec_string ("author", NULL, NULL, NULL, FLAGS);
  /**
   * HeroVirtImageConfig:stop-signal:
   *
   * The signal that stops containers of the image (`SIGTERM`, `SIGINT`,
   * `9`).
   *
   * Since: 0.1
   */
  properties[PROP_STOP_SIGNAL] = g_param_spec_string ("stop-signal", NULL, NULL, NULL, FLAGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_image_config_init (HeroVirtImageConfig *self)
{
  self->env = strv_array_new ();
  self->labels = strv_array_new ();
  self->annotations = strv_array_new ();
  self->ports = strv_array_new ();
  self->volumes = strv_array_new ();
}

/**
 * hero_virt_image_config_new:
 *
 * Returns: (transfer full): an empty #HeroVirtImageConfig
 *
 * Since: 0.1
 */
HeroVirtImageConfig *
hero_virt_image_config_new (void)
{
  return g_object_new (HERO_VIRT_TYPE_IMAGE_CONFIG, NULL);
}

static void
replace_strv (HeroVirtImageConfig *self, char ***field, const char *const *argv, guint prop)
{
  g_strfreev (*field);
  *field = g_strdupv ((char **)argv);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
replace_string (HeroVirtImageConfig *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/**
 * hero_virt_image_config_set_entrypoint:
 * @self: a #HeroVirtImageConfig
 * @argv: (nullable) (array zero-terminated=1): the entrypoint in exec form
 *
 * Sets the entrypoint.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtImageConfig *
hero_virt_image_config_set_entrypoint (HeroVirtImageConfig *self, const char *const *argv)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  replace_strv (self, &self->entrypoint, argv, PROP_ENTRYPOINT);
  return self;
}

/**
 * hero_virt_image_config_set_cmd:
 * @self: a #HeroVirtImageConfig
 * @argv: (nullable) (array zero-terminated=1): the command in exec form
 *
 * Sets the default command.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtImageConfig *
hero_virt_image_config_set_cmd (HeroVirtImageConfig *self, const char *const *argv)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  replace_strv (self, &self->cmd, argv, PROP_CMD);
  return self;
}

/**
 * hero_virt_image_config_add_env:
 * @self: a #HeroVirtImageConfig
 * @name: the variable's name
 * @value: its value
 *
 * Sets an environment variable (a later setting of the same name wins).
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtImageConfig *
hero_virt_image_config_add_env (HeroVirtImageConfig *self, const char *name, const char *value)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  g_return_val_if_fail (name != NULL && value != NULL, self);
  strv_array_set_pair (self->env, name, value);
  return self;
}

/**
 * hero_virt_image_config_add_label:
 * @self: a #HeroVirtImageConfig
 * @key: the label's key
 * @value: its value
 *
 * Sets a label.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtImageConfig *
hero_virt_image_config_add_label (HeroVirtImageConfig *self, const char *key, const char *value)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  g_return_val_if_fail (key != NULL && value != NULL, self);
  strv_array_set_pair (self->labels, key, value);
  return self;
}

/**
 * hero_virt_image_config_add_annotation:
 * @self: a #HeroVirtImageConfig
 * @key: the annotation's key
 * @value: its value
 *
 * Sets an annotation on the image manifest.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtImageConfig *
hero_virt_image_config_add_annotation (HeroVirtImageConfig *self,
                                       const char          *key,
                                       const char          *value)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  g_return_val_if_fail (key != NULL && value != NULL, self);
  strv_array_set_pair (self->annotations, key, value);
  return self;
}

/**
 * hero_virt_image_config_add_port:
 * @self: a #HeroVirtImageConfig
 * @port: a port to expose, `8080` or `8080/tcp` or `53/udp`
 *
 * Exposes a port.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtImageConfig *
hero_virt_image_config_add_port (HeroVirtImageConfig *self, const char *port)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  g_return_val_if_fail (port != NULL, self);
  strv_array_append (self->ports, g_strdup (port));
  return self;
}

/**
 * hero_virt_image_config_add_volume:
 * @self: a #HeroVirtImageConfig
 * @path: an absolute path inside the container
 *
 * Declares a volume.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtImageConfig *
hero_virt_image_config_add_volume (HeroVirtImageConfig *self, const char *path)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  g_return_val_if_fail (path != NULL, self);
  strv_array_append (self->volumes, g_strdup (path));
  return self;
}

/**
 * hero_virt_image_config_set_working_dir:
 * @self: a #HeroVirtImageConfig
 * @dir: (nullable): an absolute path inside the container
 *
 * Sets the working directory.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtImageConfig *
hero_virt_image_config_set_working_dir (HeroVirtImageConfig *self, const char *dir)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  replace_string (self, &self->working_dir, dir, PROP_WORKING_DIR);
  return self;
}

/**
 * hero_virt_image_config_set_user:
 * @self: a #HeroVirtImageConfig
 * @user: (nullable): `name`, `uid`, `name:group` or `uid:gid`
 *
 * Sets the user processes run as.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtImageConfig *
hero_virt_image_config_set_user (HeroVirtImageConfig *self, const char *user)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  replace_string (self, &self->user, user, PROP_USER);
  return self;
}

/**
 * hero_virt_image_config_set_author:
 * @self: a #HeroVirtImageConfig
 * @author: (nullable): the author
 *
 * Sets the author.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtImageConfig *
hero_virt_image_config_set_author (HeroVirtImageConfig *self, const char *author)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  replace_string (self, &self->author, author, PROP_AUTHOR);
  return self;
}

/**
 * hero_virt_image_config_set_stop_signal:
 * @self: a #HeroVirtImageConfig
 * @signal_name: (nullable): `SIGTERM`, `SIGINT`, a number …
 *
 * Sets the stop signal.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtImageConfig *
hero_virt_image_config_set_stop_signal (HeroVirtImageConfig *self, const char *signal_name)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  replace_string (self, &self->stop_signal, signal_name, PROP_STOP_SIGNAL);
  return self;
}

/**
 * hero_virt_image_config_set_healthcheck:
 * @self: a #HeroVirtImageConfig
 * @command: (nullable): a shell command run inside the container
 *   (`CMD-SHELL` form); its exit status 0 means healthy
 * @interval_s: seconds between checks, 0 for the default
 * @timeout_s: seconds a check may take, 0 for the default
 * @start_period_s: seconds of grace after start, 0 for the default
 * @retries: failures before unhealthy, 0 for the default
 *
 * Sets the health check. It is stored in Docker-format images only (OCI
 * has no field for it), so commit with format `docker` to keep it.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtImageConfig *
hero_virt_image_config_set_healthcheck (HeroVirtImageConfig *self,
                                        const char          *command,
                                        guint                interval_s,
                                        guint                timeout_s,
                                        guint                start_period_s,
                                        guint                retries)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  g_free (self->healthcheck);
  self->healthcheck = g_strdup (command);
  self->hc_interval = interval_s;
  self->hc_timeout = timeout_s;
  self->hc_start_period = start_period_s;
  self->hc_retries = retries;
  return self;
}

/**
 * hero_virt_image_config_get_entrypoint:
 * @self: a #HeroVirtImageConfig
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the
 *   entrypoint, or %NULL if unset
 *
 * Since: 0.1
 */
const char *const *
hero_virt_image_config_get_entrypoint (HeroVirtImageConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  return (const char *const *)self->entrypoint;
}

/**
 * hero_virt_image_config_get_cmd:
 * @self: a #HeroVirtImageConfig
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the
 *   command, or %NULL if unset
 *
 * Since: 0.1
 */
const char *const *
hero_virt_image_config_get_cmd (HeroVirtImageConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  return (const char *const *)self->cmd;
}

/**
 * hero_virt_image_config_get_env:
 * @self: a #HeroVirtImageConfig
 *
 * Returns: (array zero-terminated=1) (transfer none): `NAME=VALUE` pairs
 *
 * Since: 0.1
 */
const char *const *
hero_virt_image_config_get_env (HeroVirtImageConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  return (const char *const *)self->env->pdata;
}

/**
 * hero_virt_image_config_get_labels:
 * @self: a #HeroVirtImageConfig
 *
 * Returns: (array zero-terminated=1) (transfer none): `KEY=VALUE` pairs
 *
 * Since: 0.1
 */
const char *const *
hero_virt_image_config_get_labels (HeroVirtImageConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  return (const char *const *)self->labels->pdata;
}

/**
 * hero_virt_image_config_get_annotations:
 * @self: a #HeroVirtImageConfig
 *
 * Returns: (array zero-terminated=1) (transfer none): `KEY=VALUE` pairs
 *
 * Since: 0.1
 */
const char *const *
hero_virt_image_config_get_annotations (HeroVirtImageConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  return (const char *const *)self->annotations->pdata;
}

/**
 * hero_virt_image_config_get_ports:
 * @self: a #HeroVirtImageConfig
 *
 * Returns: (array zero-terminated=1) (transfer none): exposed ports
 *
 * Since: 0.1
 */
const char *const *
hero_virt_image_config_get_ports (HeroVirtImageConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  return (const char *const *)self->ports->pdata;
}

/**
 * hero_virt_image_config_get_volumes:
 * @self: a #HeroVirtImageConfig
 *
 * Returns: (array zero-terminated=1) (transfer none): volumes
 *
 * Since: 0.1
 */
const char *const *
hero_virt_image_config_get_volumes (HeroVirtImageConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  return (const char *const *)self->volumes->pdata;
}

/**
 * hero_virt_image_config_get_working_dir:
 * @self: a #HeroVirtImageConfig
 *
 * Returns: (nullable): the working directory
 *
 * Since: 0.1
 */
const char *
hero_virt_image_config_get_working_dir (HeroVirtImageConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  return self->working_dir;
}

/**
 * hero_virt_image_config_get_user:
 * @self: a #HeroVirtImageConfig
 *
 * Returns: (nullable): the user
 *
 * Since: 0.1
 */
const char *
hero_virt_image_config_get_user (HeroVirtImageConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  return self->user;
}

/**
 * hero_virt_image_config_get_author:
 * @self: a #HeroVirtImageConfig
 *
 * Returns: (nullable): the author
 *
 * Since: 0.1
 */
const char *
hero_virt_image_config_get_author (HeroVirtImageConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  return self->author;
}

/**
 * hero_virt_image_config_get_stop_signal:
 * @self: a #HeroVirtImageConfig
 *
 * Returns: (nullable): the stop signal
 *
 * Since: 0.1
 */
const char *
hero_virt_image_config_get_stop_signal (HeroVirtImageConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  return self->stop_signal;
}

/**
 * hero_virt_image_config_get_healthcheck:
 * @self: a #HeroVirtImageConfig
 * @interval_s: (out) (optional): seconds between checks
 * @timeout_s: (out) (optional): seconds a check may take
 * @start_period_s: (out) (optional): seconds of grace after start
 * @retries: (out) (optional): failures before unhealthy
 *
 * Returns: (nullable): the health check command, or %NULL if unset
 *
 * Since: 0.1
 */
const char *
hero_virt_image_config_get_healthcheck (HeroVirtImageConfig *self,
                                        guint               *interval_s,
                                        guint               *timeout_s,
                                        guint               *start_period_s,
                                        guint               *retries)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), NULL);
  if (interval_s)
    *interval_s = self->hc_interval;
  if (timeout_s)
    *timeout_s = self->hc_timeout;
  if (start_period_s)
    *start_period_s = self->hc_start_period;
  if (retries)
    *retries = self->hc_retries;
  return self->healthcheck;
}

/**
 * hero_virt_image_config_is_empty:
 * @self: a #HeroVirtImageConfig
 *
 * Returns: %TRUE if nothing is set
 *
 * Since: 0.1
 */
gboolean
hero_virt_image_config_is_empty (HeroVirtImageConfig *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), TRUE);
  return self->entrypoint == NULL && self->cmd == NULL && self->env->len == 1
         && self->labels->len == 1 && self->annotations->len == 1 && self->ports->len == 1
         && self->volumes->len == 1 && self->working_dir == NULL && self->user == NULL
         && self->author == NULL && self->stop_signal == NULL && self->healthcheck == NULL;
}

static gboolean
has_control (const char *s)
{
  for (; *s; s++)
    if ((guchar)*s < 0x20 || *s == 0x7f)
      return TRUE;
  return FALSE;
}

static gboolean
check_text (const char *what, const char *value, GError **error)
{
  if (value != NULL && (has_control (value) || !g_utf8_validate (value, -1, NULL)))
    return hero_virt_set_invalid_argument (error, what, value,
                                           "control characters and invalid UTF-8 are not allowed");
  return TRUE;
}

static gboolean
check_pairs (const char *what, GPtrArray *pairs, gboolean env_name, GError **error)
{
  for (guint i = 0; i + 1 < pairs->len; i++)
    {
      const char      *item = g_ptr_array_index (pairs, i);
      const char      *eq = strchr (item, '=');
      g_autofree char *name = eq ? g_strndup (item, eq - item) : g_strdup (item);

      /* Only the name is ever in a message: the value may be a secret. */
      if (!check_text (what, item, NULL))
        return hero_virt_set_invalid_argument (
            error, what, name, "control characters and invalid UTF-8 are not allowed");
      if (eq == item)
        return hero_virt_set_invalid_argument (error, what, "", "the name is empty");
      if (env_name && !hero_virt_validate_env_name (name, NULL))
        return hero_virt_set_invalid_argument (
            error, what, name, "names are letters, digits and “_”, not starting with a digit");
    }
  return TRUE;
}

static gboolean
check_port (const char *port, GError **error)
{
  g_autoptr (GRegex) re
      = g_regex_new ("^[0-9]{1,5}(/(tcp|udp|sctp))?$", G_REGEX_DOLLAR_ENDONLY, 0, NULL);

  if (!g_regex_match (re, port, 0, NULL) || g_ascii_strtoull (port, NULL, 10) > 65535)
    return hero_virt_set_invalid_argument (error, "port", port,
                                           "use PORT or PORT/tcp, PORT/udp, PORT/sctp");
  return TRUE;
}

static gboolean
check_absolute (const char *what, const char *path, GError **error)
{
  if (path == NULL)
    return TRUE;
  if (!check_text (what, path, error))
    return FALSE;
  if (path[0] != '/')
    return hero_virt_set_invalid_argument (error, what, path, "must be an absolute path");
  return TRUE;
}

static gboolean
check_argv (const char *what, const char *const *argv, GError **error)
{
  for (guint i = 0; argv != NULL && argv[i] != NULL; i++)
    if (!g_utf8_validate (argv[i], -1, NULL) || strchr (argv[i], '\n') || strchr (argv[i], '\r'))
      return hero_virt_set_invalid_argument (error, what, argv[i],
                                             "newlines and invalid UTF-8 are not allowed");
  return TRUE;
}

/**
 * hero_virt_image_config_validate:
 * @self: a #HeroVirtImageConfig
 * @error: return location for a #GError
 *
 * Checks every setting: environment names, ports, absolute paths for the
 * working directory and volumes, a plain user and stop signal, no control
 * characters anywhere.
 *
 * Returns: %TRUE if all settings are acceptable, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_image_config_validate (HeroVirtImageConfig *self, GError **error)
{
  g_autoptr (GRegex) user_re
      = g_regex_new ("^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$",
                     G_REGEX_DOLLAR_ENDONLY, 0, NULL);
  g_autoptr (GRegex) sig_re
      = g_regex_new ("^([0-9]{1,2}|(SIG)?[A-Z][A-Z0-9+-]*)$", G_REGEX_DOLLAR_ENDONLY, 0, NULL);

  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONFIG (self), FALSE);

  if (!check_argv ("entrypoint", (const char *const *)self->entrypoint, error)
      || !check_argv ("cmd", (const char *const *)self->cmd, error)
      || !check_pairs ("environment variable", self->env, TRUE, error)
      || !check_pairs ("label", self->labels, FALSE, error)
      || !check_pairs ("annotation", self->annotations, FALSE, error)
      || !check_absolute ("working directory", self->working_dir, error)
      || !check_text ("author", self->author, error)
      || !check_text ("health check", self->healthcheck, error))
    return FALSE;
  for (guint i = 0; i + 1 < self->ports->len; i++)
    if (!check_port (g_ptr_array_index (self->ports, i), error))
      return FALSE;
  for (guint i = 0; i + 1 < self->volumes->len; i++)
    if (!check_absolute ("volume", g_ptr_array_index (self->volumes, i), error))
      return FALSE;
  if (self->user != NULL && !g_regex_match (user_re, self->user, 0, NULL))
    return hero_virt_set_invalid_argument (error, "user", self->user,
                                           "use name, uid, name:group or uid:gid");
  if (self->stop_signal != NULL && !g_regex_match (sig_re, self->stop_signal, 0, NULL))
    return hero_virt_set_invalid_argument (error, "stop signal", self->stop_signal,
                                           "use a signal name such as SIGTERM or a number");
  return TRUE;
}
