/* hero-virt-local-executor.h: run commands on this machine
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-executor.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_LOCAL_EXECUTOR (hero_virt_local_executor_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtLocalExecutor,
                      hero_virt_local_executor,
                      HERO_VIRT,
                      LOCAL_EXECUTOR,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtLocalExecutor *hero_virt_local_executor_new (void);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtExecutor *hero_virt_executor_get_default (void);

G_END_DECLS
