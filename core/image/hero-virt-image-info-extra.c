/* hero-virt-image-info-extra.c: what the generated ImageInfo does not write
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

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
  const char *const *labels;
  gsize              len;

  g_return_val_if_fail (HERO_VIRT_IS_IMAGE_INFO (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  labels = hero_virt_image_info_get_labels (self);
  len = strlen (key);
  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    if (strncmp (labels[i], key, len) == 0 && labels[i][len] == '=')
      return labels[i] + len + 1;
  return NULL;
}
