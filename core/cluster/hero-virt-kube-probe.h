/* hero-virt-kube-probe.h: a container probe (readiness, liveness, startup)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_KUBE_PROBE (hero_virt_kube_probe_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtKubeProbe, hero_virt_kube_probe, HERO_VIRT, KUBE_PROBE, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeProbe *hero_virt_kube_probe_new_exec (const char *const *command);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeProbe *hero_virt_kube_probe_new_http_get (const char *path, int port);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeProbe *hero_virt_kube_probe_new_tcp_socket (int port);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeProbe *hero_virt_kube_probe_initial_delay (HeroVirtKubeProbe *self, int seconds);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeProbe *hero_virt_kube_probe_period (HeroVirtKubeProbe *self, int seconds);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeProbe *hero_virt_kube_probe_timeout (HeroVirtKubeProbe *self, int seconds);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeProbe *hero_virt_kube_probe_success_threshold (HeroVirtKubeProbe *self, int count);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeProbe *hero_virt_kube_probe_failure_threshold (HeroVirtKubeProbe *self, int count);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeProbe *hero_virt_kube_probe_http_scheme (HeroVirtKubeProbe *self, const char *scheme);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtKubeProbe *
hero_virt_kube_probe_http_header (HeroVirtKubeProbe *self, const char *name, const char *value);

G_END_DECLS
