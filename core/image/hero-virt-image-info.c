/* hero-virt-image-info.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtImageInfo:
 *
 * What a local OCI image is: its ID, names, digest and creation time (from
 * [func@HeroVirt.image_list]) and, from [func@HeroVirt.image_inspect], its
 * configuration: entrypoint, cmd, environment, labels, working directory,
 * user and exposed ports.
 *
 * The object is immutable; providers fill it in through its construct-only
 * properties. Properties a listing does not know are %NULL.
 *
 * Since: 0.1
 */

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAMES,
  PROP_DIGEST,
  PROP_CREATED,
  PROP_SIZE,
  PROP_ARCHITECTURE,
  PROP_OS,
  PROP_AUTHOR,
  PROP_ENTRYPOINT,
  PROP_CMD,
  PROP_ENV,
  PROP_LABELS,
  PROP_WORKING_DIR,
  PROP_USER,
  PROP_EXPOSED_PORTS,
  PROP_JSON,
  N_PROPS
};

struct _HeroVirtImageInfo
{
  GObject parent_instance;

  /* Every property is construct-only, so one GValue each is all it takes. */
  GValue values[N_PROPS];
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtImageInfo, hero_virt_image_info, G_TYPE_OBJECT)

static void
hero_virt_image_info_finalize (GObject *object)
{
  HeroVirtImageInfo *self = HERO_VIRT_IMAGE_INFO (object);

  for (guint i = 1; i < N_PROPS; i++)
    g_value_unset (&self->values[i]);

  G_OBJECT_CLASS (hero_virt_image_info_parent_class)->finalize (object);
}

static void
hero_virt_image_info_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HeroVirtImageInfo *self = HERO_VIRT_IMAGE_INFO (object);

  if (prop_id == 0 || prop_id >= N_PROPS)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_value_copy (&self->values[prop_id], value);
}

static void
hero_virt_image_info_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  HeroVirtImageInfo *self = HERO_VIRT_IMAGE_INFO (object);

  if (prop_id == 0 || prop_id >= N_PROPS)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_value_copy (value, &self->values[prop_id]);
}

#define FLAGS (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS)

static void
hero_virt_image_info_class_init (HeroVirtImageInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_image_info_finalize;
  object_class->get_property = hero_virt_image_info_get_property;
  object_class->set_property = hero_virt_image_info_set_property;

  /**
   * HeroVirtImageInfo:id:
   *
   * The image ID (a 64-digit hex SHA-256).
   *
   * Since: 0.1
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, FLAGS);
  /**
   * HeroVirtImageInfo:names:
   *
   * The references naming the image, such as `localhost/web:1`.
   *
   * Since: 0.1
   */
  properties[PROP_NAMES] = g_param_spec_boxed ("names", NULL, NULL, G_TYPE_STRV, FLAGS);
  /**
   * HeroVirtImageInfo:digest:
   *
   * The manifest digest (`sha256:…`), if known.
   *
   * Since: 0.1
   */
  properties[PROP_DIGEST] = g_param_spec_string ("digest", NULL, NULL, NULL, FLAGS);
  /**
   * HeroVirtImageInfo:created:
   *
   * When the image was created, in seconds since the Unix epoch; 0 if
   * unknown.
   *
   * Since: 0.1
   */
  properties[PROP_CREATED] = g_param_spec_int64 ("created", NULL, NULL, 0, G_MAXINT64, 0, FLAGS);
  /**
   * HeroVirtImageInfo:size:
   *
   * The image's size as the backend reports it (`2.13 MB`).
   *
   * Since: 0.1
   */
  properties[PROP_SIZE] = g_param_spec_string ("size", NULL, NULL, NULL, FLAGS);
  /**
   * HeroVirtImageInfo:architecture:
   *
   * The CPU architecture (`amd64`).
   *
   * Since: 0.1
   */
  properties[PROP_ARCHITECTURE] = g_param_spec_string ("architecture", NULL, NULL, NULL, FLAGS);
  /**
   * HeroVirtImageInfo:os:
   *
   * The operating system (`linux`).
   *
   * Since: 0.1
   */
  properties[PROP_OS] = g_param_spec_string ("os", NULL, NULL, NULL, FLAGS);
  /**
   * HeroVirtImageInfo:author:
   *
   * The image's author.
   *
   * Since: 0.1
   */
  properties[PROP_AUTHOR] = g_param_spec_string ("author", NULL, NULL, NULL, FLAGS);
  /**
   * HeroVirtImageInfo:entrypoint:
   *
   * The entrypoint in exec form.
   *
   * Since: 0.1
   */
  properties[PROP_ENTRYPOINT] = g_param_spec_boxed ("entrypoint", NULL, NULL, G_TYPE_STRV, FLAGS);
  /**
   * HeroVirtImageInfo:cmd:
   *
   * The default command in exec form.
   *
   * Since: 0.1
   */
  properties[PROP_CMD] = g_param_spec_boxed ("cmd", NULL, NULL, G_TYPE_STRV, FLAGS);
  /**
   * HeroVirtImageInfo:env:
   *
   * The environment, as `NAME=VALUE` strings.
   *
   * Since: 0.1
   */
  properties[PROP_ENV] = g_param_spec_boxed ("env", NULL, NULL, G_TYPE_STRV, FLAGS);
  /**
   * HeroVirtImageInfo:labels:
   *
   * The labels, as `KEY=VALUE` strings.
   *
   * Since: 0.1
   */
  properties[PROP_LABELS] = g_param_spec_boxed ("labels", NULL, NULL, G_TYPE_STRV, FLAGS);
  /**
   * HeroVirtImageInfo:working-dir:
   *
   * The working directory of processes started from the image.
   *
   * Since: 0.1
   */
  properties[PROP_WORKING_DIR] = g_param_spec_string ("working-dir", NULL, NULL, NULL, FLAGS);
  /**
   * HeroVirtImageInfo:user:
   *
   * The user processes run as.
   *
   * Since: 0.1
   */
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, FLAGS);
  /**
   * HeroVirtImageInfo:exposed-ports:
   *
   * The exposed ports, such as `8080/tcp`.
   *
   * Since: 0.1
   */
  properties[PROP_EXPOSED_PORTS]
      = g_param_spec_boxed ("exposed-ports", NULL, NULL, G_TYPE_STRV, FLAGS);
  /**
   * HeroVirtImageInfo:json:
   *
   * The backend's whole description of the image, as JSON, for anything
   * the other properties do not cover.
   *
   * Since: 0.1
   */
  properties[PROP_JSON] = g_param_spec_string ("json", NULL, NULL, NULL, FLAGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_image_info_init (HeroVirtImageInfo *self)
{
  for (guint i = 1; i < N_PROPS; i++)
    g_value_init (&self->values[i], properties[i]->value_type);
}

static const char *
get_string (HeroVirtImageInfo *self, guint prop)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_INFO (self), NULL);
  return g_value_get_string (&self->values[prop]);
}

static const char *const *
get_strv (HeroVirtImageInfo *self, guint prop)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_INFO (self), NULL);
  return g_value_get_boxed (&self->values[prop]);
}

/**
 * hero_virt_image_info_get_id:
 * @self: a #HeroVirtImageInfo
 *
 * Returns: (nullable): the image ID
 *
 * Since: 0.1
 */
const char *
hero_virt_image_info_get_id (HeroVirtImageInfo *self)
{
  return get_string (self, PROP_ID);
}

/**
 * hero_virt_image_info_get_names:
 * @self: a #HeroVirtImageInfo
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the
 *   references naming the image
 *
 * Since: 0.1
 */
const char *const *
hero_virt_image_info_get_names (HeroVirtImageInfo *self)
{
  return get_strv (self, PROP_NAMES);
}

/**
 * hero_virt_image_info_get_digest:
 * @self: a #HeroVirtImageInfo
 *
 * Returns: (nullable): the manifest digest
 *
 * Since: 0.1
 */
const char *
hero_virt_image_info_get_digest (HeroVirtImageInfo *self)
{
  return get_string (self, PROP_DIGEST);
}

/**
 * hero_virt_image_info_get_created:
 * @self: a #HeroVirtImageInfo
 *
 * Returns: the creation time in seconds since the epoch, or 0
 *
 * Since: 0.1
 */
gint64
hero_virt_image_info_get_created (HeroVirtImageInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_INFO (self), 0);
  return g_value_get_int64 (&self->values[PROP_CREATED]);
}

/**
 * hero_virt_image_info_get_size:
 * @self: a #HeroVirtImageInfo
 *
 * Returns: (nullable): the size as the backend reports it
 *
 * Since: 0.1
 */
const char *
hero_virt_image_info_get_size (HeroVirtImageInfo *self)
{
  return get_string (self, PROP_SIZE);
}

/**
 * hero_virt_image_info_get_architecture:
 * @self: a #HeroVirtImageInfo
 *
 * Returns: (nullable): the CPU architecture
 *
 * Since: 0.1
 */
const char *
hero_virt_image_info_get_architecture (HeroVirtImageInfo *self)
{
  return get_string (self, PROP_ARCHITECTURE);
}

/**
 * hero_virt_image_info_get_os:
 * @self: a #HeroVirtImageInfo
 *
 * Returns: (nullable): the operating system
 *
 * Since: 0.1
 */
const char *
hero_virt_image_info_get_os (HeroVirtImageInfo *self)
{
  return get_string (self, PROP_OS);
}

/**
 * hero_virt_image_info_get_author:
 * @self: a #HeroVirtImageInfo
 *
 * Returns: (nullable): the author
 *
 * Since: 0.1
 */
const char *
hero_virt_image_info_get_author (HeroVirtImageInfo *self)
{
  return get_string (self, PROP_AUTHOR);
}

/**
 * hero_virt_image_info_get_entrypoint:
 * @self: a #HeroVirtImageInfo
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the
 *   entrypoint in exec form
 *
 * Since: 0.1
 */
const char *const *
hero_virt_image_info_get_entrypoint (HeroVirtImageInfo *self)
{
  return get_strv (self, PROP_ENTRYPOINT);
}

/**
 * hero_virt_image_info_get_cmd:
 * @self: a #HeroVirtImageInfo
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the
 *   default command in exec form
 *
 * Since: 0.1
 */
const char *const *
hero_virt_image_info_get_cmd (HeroVirtImageInfo *self)
{
  return get_strv (self, PROP_CMD);
}

/**
 * hero_virt_image_info_get_env:
 * @self: a #HeroVirtImageInfo
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the
 *   environment as `NAME=VALUE` strings
 *
 * Since: 0.1
 */
const char *const *
hero_virt_image_info_get_env (HeroVirtImageInfo *self)
{
  return get_strv (self, PROP_ENV);
}

/**
 * hero_virt_image_info_get_labels:
 * @self: a #HeroVirtImageInfo
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the
 *   labels as `KEY=VALUE` strings
 *
 * Since: 0.1
 */
const char *const *
hero_virt_image_info_get_labels (HeroVirtImageInfo *self)
{
  return get_strv (self, PROP_LABELS);
}

/**
 * hero_virt_image_info_get_label:
 * @self: a #HeroVirtImageInfo
 * @key: a label key
 *
 * Returns: (nullable): the label's value, or %NULL if the image has no such
 *   label
 *
 * Since: 0.1
 */
const char *
hero_virt_image_info_get_label (HeroVirtImageInfo *self, const char *key)
{
  const char *const *labels = get_strv (self, PROP_LABELS);
  gsize              len;

  g_return_val_if_fail (key != NULL, NULL);

  len = strlen (key);
  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    if (strncmp (labels[i], key, len) == 0 && labels[i][len] == '=')
      return labels[i] + len + 1;
  return NULL;
}

/**
 * hero_virt_image_info_get_working_dir:
 * @self: a #HeroVirtImageInfo
 *
 * Returns: (nullable): the working directory
 *
 * Since: 0.1
 */
const char *
hero_virt_image_info_get_working_dir (HeroVirtImageInfo *self)
{
  return get_string (self, PROP_WORKING_DIR);
}

/**
 * hero_virt_image_info_get_user:
 * @self: a #HeroVirtImageInfo
 *
 * Returns: (nullable): the user
 *
 * Since: 0.1
 */
const char *
hero_virt_image_info_get_user (HeroVirtImageInfo *self)
{
  return get_string (self, PROP_USER);
}

/**
 * hero_virt_image_info_get_exposed_ports:
 * @self: a #HeroVirtImageInfo
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the
 *   exposed ports
 *
 * Since: 0.1
 */
const char *const *
hero_virt_image_info_get_exposed_ports (HeroVirtImageInfo *self)
{
  return get_strv (self, PROP_EXPOSED_PORTS);
}

/**
 * hero_virt_image_info_get_json:
 * @self: a #HeroVirtImageInfo
 *
 * Returns: (nullable): the backend's description of the image as JSON
 *
 * Since: 0.1
 */
const char *
hero_virt_image_info_get_json (HeroVirtImageInfo *self)
{
  return get_string (self, PROP_JSON);
}
