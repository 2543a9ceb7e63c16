/* hero-virt-plugin-private.h: a plugin's internals, for the registry
 * (never installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib/gstdio.h>

#include "hero-virt.h"

G_BEGIN_DECLS

/* One hero_virt_plugin_add_provider() call, kept by the plugin while its
 * register function runs; the registry checks and adds them afterwards. */
typedef struct
{
  HeroVirtProviderKind kind;
  char                *name;
  GType                type;
  int                  priority;
} HeroVirtProviderAnnouncement;

HeroVirtPlugin         *
_hero_virt_plugin_new (GModule *module, const HeroVirtPluginDesc *desc, const char *path);
GError *_hero_virt_plugin_take_error (HeroVirtPlugin *self);
/* (element-type HeroVirtProviderAnnouncement) (transfer none) */
GArray *_hero_virt_plugin_get_announcements (HeroVirtPlugin *self);

/* The registry (hero-virt-registry.c). */
HeroVirtRegistry   *_hero_virt_registry_new_empty (void);
void                _hero_virt_registry_set_scanner_mode (void);
HeroVirtPluginInfo *_hero_virt_registry_load_file (HeroVirtRegistry *self, const char *path);

/* The out-of-process scan and its cache (hero-virt-plugin-scan.c). */
typedef struct _HeroVirtScanResult HeroVirtScanResult;
typedef struct _HeroVirtScanCache  HeroVirtScanCache;

gboolean            _hero_virt_running_setuid (void);
const char         *_hero_virt_secure_getenv (const char *name);
gboolean            _hero_virt_plugin_path_is_safe (const char *path, char **reason);
HeroVirtScanResult *_hero_virt_plugin_scan_out_of_process (const char *path);
void                _hero_virt_scan_result_free (HeroVirtScanResult *result);
gboolean            _hero_virt_scan_result_loaded (const HeroVirtScanResult *result);
gboolean            _hero_virt_scan_result_is_cacheable (const HeroVirtScanResult *result);
void _hero_virt_scan_result_fill_info (const HeroVirtScanResult *result, HeroVirtPluginInfo *info);
HeroVirtScanCache *_hero_virt_scan_cache_open (void);
HeroVirtScanResult      *
_hero_virt_scan_cache_lookup (HeroVirtScanCache *cache, const char *path, GStatBuf *st);
void _hero_virt_scan_cache_store (HeroVirtScanCache        *cache,
                                  const char               *path,
                                  GStatBuf                 *st,
                                  const HeroVirtScanResult *result);
void _hero_virt_scan_cache_close (HeroVirtScanCache *cache);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeroVirtScanResult, _hero_virt_scan_result_free)

/* The whole of hero-virt-plugin-scanner (tools/plugin-scanner): exported
 * for it, never in the GIR or an installed header. */
_HERO_VIRT_EXTERN int _hero_virt_plugin_scanner_main (int argc, char **argv);
JsonNode             *_hero_virt_plugin_info_to_scan_json (HeroVirtPluginInfo *info);

G_END_DECLS
