/* hero-virt-progress.h: progress of a long operation
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_PROGRESS (hero_virt_progress_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtProgress, hero_virt_progress, HERO_VIRT, PROGRESS, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtProgress *hero_virt_progress_new (void);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_progress_update (HeroVirtProgress *self,
                                const char       *stage,
                                guint64           current,
                                guint64           total,
                                const char       *message);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_progress_get_stage (HeroVirtProgress *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_progress_get_message (HeroVirtProgress *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_progress_get_current (HeroVirtProgress *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_progress_get_total (HeroVirtProgress *self);
HERO_VIRT_AVAILABLE_IN_ALL
double hero_virt_progress_get_fraction (HeroVirtProgress *self);

G_END_DECLS
