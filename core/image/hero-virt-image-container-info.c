/* hero-virt-image-container-info.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * HeroVirtImageContainerInfo:
 *
 * One working container of an image builder, as listed by
 * [func@HeroVirt.image_list_containers]: the container a
 * [class@HeroVirt.Builder] runs steps in until it commits.
 *
 * Since: 0.1
 */

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_IMAGE_NAME,
  PROP_IMAGE_ID,
  PROP_BUILDER,
  N_PROPS
};

struct _HeroVirtImageContainerInfo
{
  GObject parent_instance;

  GValue values[N_PROPS];
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtImageContainerInfo, hero_virt_image_container_info, G_TYPE_OBJECT)

static void
hero_virt_image_container_info_finalize (GObject *object)
{
  HeroVirtImageContainerInfo *self = HERO_VIRT_IMAGE_CONTAINER_INFO (object);

  for (guint i = 1; i < N_PROPS; i++)
    g_value_unset (&self->values[i]);

  G_OBJECT_CLASS (hero_virt_image_container_info_parent_class)->finalize (object);
}

static void
hero_virt_image_container_info_get_property (GObject    *object,
                                             guint       prop_id,
                                             GValue     *value,
                                             GParamSpec *pspec)
{
  HeroVirtImageContainerInfo *self = HERO_VIRT_IMAGE_CONTAINER_INFO (object);

  if (prop_id == 0 || prop_id >= N_PROPS)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_value_copy (&self->values[prop_id], value);
}

static void
hero_virt_image_container_info_set_property (GObject      *object,
                                             guint         prop_id,
                                             const GValue *value,
                                             GParamSpec   *pspec)
{
  HeroVirtImageContainerInfo *self = HERO_VIRT_IMAGE_CONTAINER_INFO (object);

  if (prop_id == 0 || prop_id >= N_PROPS)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_value_copy (value, &self->values[prop_id]);
}

#define FLAGS (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS)

static void
hero_virt_image_container_info_class_init (HeroVirtImageContainerInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_image_container_info_finalize;
  object_class->get_property = hero_virt_image_container_info_get_property;
  object_class->set_property = hero_virt_image_container_info_set_property;

  /**
   * HeroVirtImageContainerInfo:id:
   *
   * The container's ID.
   *
   * Since: 0.1
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, FLAGS);
  /**
   * HeroVirtImageContainerInfo:name:
   *
   * The container's name.
   *
   * Since: 0.1
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, FLAGS);
  /**
   * HeroVirtImageContainerInfo:image-name:
   *
   * The image the container was created from (`scratch` for none).
   *
   * Since: 0.1
   */
  properties[PROP_IMAGE_NAME] = g_param_spec_string ("image-name", NULL, NULL, NULL, FLAGS);
  /**
   * HeroVirtImageContainerInfo:image-id:
   *
   * The ID of the image the container was created from; empty for
   * `scratch`.
   *
   * Since: 0.1
   */
  properties[PROP_IMAGE_ID] = g_param_spec_string ("image-id", NULL, NULL, NULL, FLAGS);
  /**
   * HeroVirtImageContainerInfo:builder:
   *
   * Whether the image builder created the container (%FALSE for a
   * container of another tool sharing the same storage).
   *
   * Since: 0.1
   */
  properties[PROP_BUILDER] = g_param_spec_boolean ("builder", NULL, NULL, TRUE, FLAGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_image_container_info_init (HeroVirtImageContainerInfo *self)
{
  for (guint i = 1; i < N_PROPS; i++)
    g_value_init (&self->values[i], properties[i]->value_type);
}

/**
 * hero_virt_image_container_info_get_id:
 * @self: a #HeroVirtImageContainerInfo
 *
 * Returns: (nullable): the container's ID
 *
 * Since: 0.1
 */
const char *
hero_virt_image_container_info_get_id (HeroVirtImageContainerInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONTAINER_INFO (self), NULL);
  return g_value_get_string (&self->values[PROP_ID]);
}

/**
 * hero_virt_image_container_info_get_name:
 * @self: a #HeroVirtImageContainerInfo
 *
 * Returns: (nullable): the container's name
 *
 * Since: 0.1
 */
const char *
hero_virt_image_container_info_get_name (HeroVirtImageContainerInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONTAINER_INFO (self), NULL);
  return g_value_get_string (&self->values[PROP_NAME]);
}

/**
 * hero_virt_image_container_info_get_image_name:
 * @self: a #HeroVirtImageContainerInfo
 *
 * Returns: (nullable): the base image's name
 *
 * Since: 0.1
 */
const char *
hero_virt_image_container_info_get_image_name (HeroVirtImageContainerInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONTAINER_INFO (self), NULL);
  return g_value_get_string (&self->values[PROP_IMAGE_NAME]);
}

/**
 * hero_virt_image_container_info_get_image_id:
 * @self: a #HeroVirtImageContainerInfo
 *
 * Returns: (nullable): the base image's ID
 *
 * Since: 0.1
 */
const char *
hero_virt_image_container_info_get_image_id (HeroVirtImageContainerInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONTAINER_INFO (self), NULL);
  return g_value_get_string (&self->values[PROP_IMAGE_ID]);
}

/**
 * hero_virt_image_container_info_get_builder:
 * @self: a #HeroVirtImageContainerInfo
 *
 * Returns: whether the image builder owns the container
 *
 * Since: 0.1
 */
gboolean
hero_virt_image_container_info_get_builder (HeroVirtImageContainerInfo *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_CONTAINER_INFO (self), FALSE);
  return g_value_get_boolean (&self->values[PROP_BUILDER]);
}
