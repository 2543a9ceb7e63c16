/* hero-virt-cloud-init.h: a cloud-init NoCloud seed
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"
#include "hero-virt-executor.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_CLOUD_INIT (hero_virt_cloud_init_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtCloudInit, hero_virt_cloud_init, HERO_VIRT, CLOUD_INIT, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCloudInit *hero_virt_cloud_init_new (const char *hostname);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCloudInit *hero_virt_cloud_init_set_instance_id (HeroVirtCloudInit *self,
                                                         const char        *instance_id);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCloudInit *hero_virt_cloud_init_set_user (HeroVirtCloudInit *self, const char *user);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCloudInit *hero_virt_cloud_init_add_ssh_key (HeroVirtCloudInit *self, const char *key);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCloudInit *hero_virt_cloud_init_add_package (HeroVirtCloudInit *self, const char *package);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCloudInit *hero_virt_cloud_init_add_runcmd (HeroVirtCloudInit *self, const char *command);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCloudInit *hero_virt_cloud_init_set_network_config (HeroVirtCloudInit *self,
                                                            const char        *yaml);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_cloud_init_validate (HeroVirtCloudInit *self, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_cloud_init_get_user_data (HeroVirtCloudInit *self);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_cloud_init_get_meta_data (HeroVirtCloudInit *self);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_cloud_init_get_network_config (HeroVirtCloudInit *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_cloud_init_write_seed (HeroVirtCloudInit *self,
                                          HeroVirtExecutor  *executor,
                                          const char        *path,
                                          GCancellable      *cancellable,
                                          GError           **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_cloud_init_write_seed_async (HeroVirtCloudInit  *self,
                                            HeroVirtExecutor   *executor,
                                            const char         *path,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_cloud_init_write_seed_finish (HeroVirtCloudInit *self,
                                                 GAsyncResult      *result,
                                                 GError           **error);

G_END_DECLS
