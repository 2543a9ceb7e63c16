/* hero-virt-port-forward.h: a local port forwarded to a pod's port
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"
#include "hero-virt-cluster-provider.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_PORT_FORWARD (hero_virt_port_forward_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtPortForward, hero_virt_port_forward, HERO_VIRT, PORT_FORWARD, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtPortForward *hero_virt_port_forward_new (HeroVirtClusterProvider *provider,
                                                 const char *namespace,
                                                 const char *pod,
                                                 guint       remote_port);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_port_forward_start (HeroVirtPortForward *self, guint local_port, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_port_forward_stop (HeroVirtPortForward *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_port_forward_get_local_port (HeroVirtPortForward *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_port_forward_get_remote_port (HeroVirtPortForward *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_port_forward_get_pod (HeroVirtPortForward *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_port_forward_get_active_connections (HeroVirtPortForward *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_port_forward_get_total_connections (HeroVirtPortForward *self);
HERO_VIRT_AVAILABLE_IN_ALL
GError *hero_virt_port_forward_dup_last_error (HeroVirtPortForward *self);

G_END_DECLS
