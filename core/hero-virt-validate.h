/* hero-virt-validate.h: input validators shared by every area
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
gboolean hero_virt_set_invalid_argument (GError    **error,
                                         const char *what,
                                         const char *value,
                                         const char *why);

G_END_DECLS
