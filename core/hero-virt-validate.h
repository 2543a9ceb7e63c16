/* hero-virt-validate.h: input validators shared by every area
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "hero-virt-types.h"

G_BEGIN_DECLS

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_set_invalid_argument (GError    **error,
                                         const char *what,
                                         const char *value,
                                         const char *why);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_validate_text (const char *what, const char *value, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
JsonNode *hero_virt_json_parse_untrusted (const guint8 *data,
                                          gsize         len,
                                          guint         max_depth,
                                          gsize         max_bytes,
                                          GError      **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_validate_env_name (const char *name, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_validate_size (const char *what, const char *value, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_validate_single_line (const char *what, const char *value, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_validate_device (const char *spec, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_validate_image_reference (const char *reference, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_validate_container_name (const char *name, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_resolve_host_path (const char *root, const char *path, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_validate_snapshot_name (const char *name, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kube_validate_dns1123_label (const char *name, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kube_validate_dns1123_subdomain (const char *name, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kube_validate_dns1035_label (const char *name, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kube_validate_label_key (const char *key, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kube_validate_label_value (const char *value, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kube_validate_label_selector (const char *selector, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_kube_validate_field_selector (const char *selector, GError **error);

G_END_DECLS
