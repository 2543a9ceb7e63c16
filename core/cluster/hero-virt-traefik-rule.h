/* hero-virt-traefik-rule.h: Traefik router rules, quoted and checked
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
char *hero_virt_traefik_quote (const char *value, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_traefik_host (const char *domain, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_traefik_path_prefix (const char *prefix, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_traefik_path (const char *path, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_traefik_header (const char *name, const char *value, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_traefik_headers (const char *name, const char *value, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_traefik_and (const char *const *rules, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_traefik_or (const char *const *rules, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_traefik_validate_rule (const char *rule, GError **error);

G_END_DECLS
