/* hero-virt-image.h: the image functions (generated: hero-virt-image-object.h;
 * their validators are in hero-virt-validate.h)
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

/* The image functions, generated from image-object.json. */
#include "hero-virt-image-object.h"
