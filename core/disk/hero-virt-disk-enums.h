/* hero-virt-disk-enums.h: the enumerations of the disk types
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

/**
 * HeroVirtDiskOpenFlags:
 * @HERO_VIRT_DISK_OPEN_NONE: the image must stand alone: a backing file or
 *   an external data file is refused
 * @HERO_VIRT_DISK_OPEN_ALLOW_BACKING_FILE: the image may have a backing file
 *   (an overlay); its format must be recorded in the image, and the backing
 *   file is checked like the image itself, down the chain
 * @HERO_VIRT_DISK_OPEN_ALLOW_DATA_FILE: the image may keep its data in an
 *   external data file (qcow2 `data-file`)
 *
 * What an existing image may refer to besides itself. Both are refused by
 * default: an image whose header names another file can make qemu-img read
 * (and `convert` copy out) any file the caller can read.
 *
 * Since: 0.1
 */
typedef enum /*< flags >*/
{
  HERO_VIRT_DISK_OPEN_NONE = 0,
  HERO_VIRT_DISK_OPEN_ALLOW_BACKING_FILE = 1 << 0,
  HERO_VIRT_DISK_OPEN_ALLOW_DATA_FILE = 1 << 1,
} HeroVirtDiskOpenFlags;

G_END_DECLS
