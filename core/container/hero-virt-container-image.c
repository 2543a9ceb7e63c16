/* hero-virt-container-image.c: a container engine's local image
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtContainerImage:
 *
 * A local image of a container engine (podman, nerdctl), as `images` lists
 * it.
 *
 * Since: 0.1
 */
struct _HeroVirtContainerImage
{
  GObject parent_instance;

  char   *id;
  char   *repository;
  char   *tag;
  char  **names;
  char   *digest;
  guint64 size;
  char   *created;
};

enum
{
  PROP_0,
  PROP_ID,
  PROP_REPOSITORY,
  PROP_TAG,
  PROP_NAMES,
  PROP_DIGEST,
  PROP_SIZE,
  PROP_CREATED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtContainerImage, hero_virt_container_image, G_TYPE_OBJECT)

static void
hero_virt_container_image_finalize (GObject *object)
{
  HeroVirtContainerImage *self = HERO_VIRT_CONTAINER_IMAGE (object);

  g_free (self->id);
  g_free (self->repository);
  g_free (self->tag);
  g_strfreev (self->names);
  g_free (self->digest);
  g_free (self->created);

  G_OBJECT_CLASS (hero_virt_container_image_parent_class)->finalize (object);
}

static void
hero_virt_container_image_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  HeroVirtContainerImage *self = HERO_VIRT_CONTAINER_IMAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_REPOSITORY:
      g_value_set_string (value, self->repository);
      break;
    case PROP_TAG:
      g_value_set_string (value, self->tag);
      break;
    case PROP_NAMES:
      g_value_set_boxed (value, self->names);
      break;
    case PROP_DIGEST:
      g_value_set_string (value, self->digest);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_CREATED:
      g_value_set_string (value, self->created);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_container_image_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  HeroVirtContainerImage *self = HERO_VIRT_CONTAINER_IMAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      break;
    case PROP_REPOSITORY:
      g_free (self->repository);
      self->repository = g_value_dup_string (value);
      break;
    case PROP_TAG:
      g_free (self->tag);
      self->tag = g_value_dup_string (value);
      break;
    case PROP_NAMES:
      g_strfreev (self->names);
      self->names = g_value_dup_boxed (value);
      break;
    case PROP_DIGEST:
      g_free (self->digest);
      self->digest = g_value_dup_string (value);
      break;
    case PROP_SIZE:
      self->size = g_value_get_uint64 (value);
      break;
    case PROP_CREATED:
      g_free (self->created);
      self->created = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_container_image_class_init (HeroVirtContainerImageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_container_image_finalize;
  object_class->get_property = hero_virt_container_image_get_property;
  object_class->set_property = hero_virt_container_image_set_property;

  /**
   * HeroVirtContainerImage:id:
   *
   * The image ID.
   *
   * Since: 0.1
   */
  properties[PROP_ID] = g_param_spec_string (
      "id", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerImage:repository:
   *
   * The repository of its first name, such as `localhost/web`; %NULL for an
   * untagged image.
   *
   * Since: 0.1
   */
  properties[PROP_REPOSITORY]
      = g_param_spec_string ("repository", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerImage:tag:
   *
   * The tag of its first name, such as `latest`; %NULL for an untagged
   * image.
   *
   * Since: 0.1
   */
  properties[PROP_TAG] = g_param_spec_string (
      "tag", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerImage:names:
   *
   * All its names (`repository:tag`).
   *
   * Since: 0.1
   */
  properties[PROP_NAMES]
      = g_param_spec_boxed ("names", NULL, NULL, G_TYPE_STRV,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerImage:digest:
   *
   * The manifest digest, or %NULL.
   *
   * Since: 0.1
   */
  properties[PROP_DIGEST]
      = g_param_spec_string ("digest", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerImage:size:
   *
   * Its size in bytes.
   *
   * Since: 0.1
   */
  properties[PROP_SIZE]
      = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtContainerImage:created:
   *
   * When it was created, as the engine says.
   *
   * Since: 0.1
   */
  properties[PROP_CREATED]
      = g_param_spec_string ("created", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_container_image_init (HeroVirtContainerImage *self)
{
}

/**
 * hero_virt_container_image_get_id:
 * @self: a #HeroVirtContainerImage
 *
 * Gets [property@HeroVirt.ContainerImage:id].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_image_get_id (HeroVirtContainerImage *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_IMAGE (self), NULL);

  return self->id;
}

/**
 * hero_virt_container_image_get_repository:
 * @self: a #HeroVirtContainerImage
 *
 * Gets [property@HeroVirt.ContainerImage:repository].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_image_get_repository (HeroVirtContainerImage *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_IMAGE (self), NULL);

  return self->repository;
}

/**
 * hero_virt_container_image_get_tag:
 * @self: a #HeroVirtContainerImage
 *
 * Gets [property@HeroVirt.ContainerImage:tag].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_image_get_tag (HeroVirtContainerImage *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_IMAGE (self), NULL);

  return self->tag;
}

/**
 * hero_virt_container_image_get_names:
 * @self: a #HeroVirtContainerImage
 *
 * Gets [property@HeroVirt.ContainerImage:names].
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the value
 *
 * Since: 0.1
 */
const char *const *
hero_virt_container_image_get_names (HeroVirtContainerImage *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_IMAGE (self), NULL);

  return (const char *const *)self->names;
}

/**
 * hero_virt_container_image_get_digest:
 * @self: a #HeroVirtContainerImage
 *
 * Gets [property@HeroVirt.ContainerImage:digest].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_image_get_digest (HeroVirtContainerImage *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_IMAGE (self), NULL);

  return self->digest;
}

/**
 * hero_virt_container_image_get_size:
 * @self: a #HeroVirtContainerImage
 *
 * Gets [property@HeroVirt.ContainerImage:size].
 *
 * Returns: the value
 *
 * Since: 0.1
 */
guint64
hero_virt_container_image_get_size (HeroVirtContainerImage *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_IMAGE (self), 0);

  return self->size;
}

/**
 * hero_virt_container_image_get_created:
 * @self: a #HeroVirtContainerImage
 *
 * Gets [property@HeroVirt.ContainerImage:created].
 *
 * Returns: (transfer none) (nullable): the value
 *
 * Since: 0.1
 */
const char *
hero_virt_container_image_get_created (HeroVirtContainerImage *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_CONTAINER_IMAGE (self), NULL);

  return self->created;
}
