/* cloudhv-config.h: a VmSpec as cloud-hypervisor's VmConfig
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <hero-virt.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What cloud-hypervisor cannot do with @spec, or a path it would misread:
 * %HERO_VIRT_ERROR_NOT_SUPPORTED for user-mode networking, and
 * %HERO_VIRT_ERROR_INVALID_ARGUMENT for a path with a comma (its option
 * syntax splits on them: `a.qcow2,readonly=off` would become options). */
gboolean chv_config_check (HeroVirtVmSpec *spec, GError **error);

/* A path for cloud-hypervisor's command line (`--api-socket path=…`):
 * absolute, no comma, no newline, no quote. */
gboolean chv_config_check_cli_path (const char *what, const char *path, GError **error);

/* Every file the VM needs must exist before anything starts:
 * %HERO_VIRT_ERROR_NOT_FOUND naming the first missing one. */
gboolean chv_config_check_files (HeroVirtVmSpec *spec, GError **error);

/* The vm.create body. @console_path is the serial log when the spec
 * leaves the serial port to the backend. */
JsonNode *chv_config_build (HeroVirtVmSpec *spec, const char *console_path);

G_END_DECLS
