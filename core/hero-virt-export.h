/* hero-virt-export.h: symbol visibility
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#ifndef _HERO_VIRT_EXTERN
#define _HERO_VIRT_EXTERN __attribute__ ((visibility ("default"))) extern
#endif

#define HERO_VIRT_AVAILABLE_IN_ALL _HERO_VIRT_EXTERN
