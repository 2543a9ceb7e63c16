/* hero-virt-cluster-watch.h: a stream of changes to cluster objects
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"
#include "hero-virt-cluster-watch-event.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_CLUSTER_WATCH (hero_virt_cluster_watch_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtClusterWatch,
                      hero_virt_cluster_watch,
                      HERO_VIRT,
                      CLUSTER_WATCH,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterWatch *hero_virt_cluster_watch_new (void);
HERO_VIRT_AVAILABLE_IN_ALL
GCancellable *hero_virt_cluster_watch_get_cancellable (HeroVirtClusterWatch *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_cluster_watch_push (HeroVirtClusterWatch      *self,
                                       HeroVirtClusterWatchEvent *event);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_cluster_watch_close (HeroVirtClusterWatch *self);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_cluster_watch_fail (HeroVirtClusterWatch *self, const GError *error);

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterWatchEvent *hero_virt_cluster_watch_next (HeroVirtClusterWatch *self,
                                                         GCancellable         *cancellable,
                                                         GError              **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_cluster_watch_next_async (HeroVirtClusterWatch *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtClusterWatchEvent *hero_virt_cluster_watch_next_finish (HeroVirtClusterWatch *self,
                                                                GAsyncResult         *result,
                                                                GError              **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_cluster_watch_stop (HeroVirtClusterWatch *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_cluster_watch_is_closed (HeroVirtClusterWatch *self);

G_END_DECLS
