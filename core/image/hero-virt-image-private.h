/* hero-virt-image-private.h: the hooks the generated image functions
 * (image-object.json) call; never installed
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "hero-virt-private.h"

G_BEGIN_DECLS

char      **_hero_virt_image_one_name (const char *name);
const char *_hero_virt_image_strip_transport (const char *destination);
gboolean    _hero_virt_image_check_build (const char        *context_dir,
                                          const char        *containerfile,
                                          const char *const *build_args,
                                          GError           **error);

G_END_DECLS
