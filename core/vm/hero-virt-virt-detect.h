/* hero-virt-virt-detect.h: which hypervisor, if any, this machine runs on
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_detect_virtualization (void);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_detect_virtualization_at (const char *root);

G_END_DECLS
