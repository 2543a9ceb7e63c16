/* hero-virt-image.h: the validators for names and references; the image
 * functions themselves are generated (hero-virt-image-object.h)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"
#include "hero-virt-executor.h"
#include "hero-virt-progress.h"
#include "hero-virt-image-info.h"
#include "hero-virt-image-container-info.h"
#include "hero-virt-image-registry-options.h"

G_BEGIN_DECLS

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_validate_image_reference (const char *reference, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_validate_container_name (const char *name, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_resolve_host_path (const char *root, const char *path, GError **error);

G_END_DECLS

/* The image functions, generated from image-object.json. */
#include "hero-virt-image-object.h"
