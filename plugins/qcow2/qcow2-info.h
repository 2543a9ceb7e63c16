/* qcow2-info.h: a parsed qcow2 header as `qemu-img info --output=json`
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "qcow2-format.h"

G_BEGIN_DECLS

JsonNode *qcow2_info_to_json (const Qcow2Image *image, const char *filename, gint64 actual_size);
char     *qcow2_full_backing_filename (const char *image_filename, const char *backing_file);

G_END_DECLS
