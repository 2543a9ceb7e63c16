/* hero-virt-image-config.h: settings for an image's configuration
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_IMAGE_CONFIG (hero_virt_image_config_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtImageConfig, hero_virt_image_config, HERO_VIRT, IMAGE_CONFIG, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageConfig *hero_virt_image_config_new (void);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageConfig *hero_virt_image_config_set_entrypoint (HeroVirtImageConfig *self,
                                                            const char *const   *argv);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageConfig *hero_virt_image_config_set_cmd (HeroVirtImageConfig *self,
                                                     const char *const   *argv);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageConfig *
hero_virt_image_config_add_env (HeroVirtImageConfig *self, const char *name, const char *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageConfig *
hero_virt_image_config_add_label (HeroVirtImageConfig *self, const char *key, const char *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageConfig *hero_virt_image_config_add_annotation (HeroVirtImageConfig *self,
                                                            const char          *key,
                                                            const char          *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageConfig *hero_virt_image_config_add_port (HeroVirtImageConfig *self, const char *port);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageConfig *hero_virt_image_config_add_volume (HeroVirtImageConfig *self,
                                                        const char          *path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageConfig *hero_virt_image_config_set_working_dir (HeroVirtImageConfig *self,
                                                             const char          *dir);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageConfig *hero_virt_image_config_set_user (HeroVirtImageConfig *self, const char *user);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageConfig *hero_virt_image_config_set_author (HeroVirtImageConfig *self,
                                                        const char          *author);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageConfig *hero_virt_image_config_set_stop_signal (HeroVirtImageConfig *self,
                                                             const char          *signal_name);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageConfig *hero_virt_image_config_set_healthcheck (HeroVirtImageConfig *self,
                                                             const char          *command,
                                                             guint                interval_s,
                                                             guint                timeout_s,
                                                             guint                start_period_s,
                                                             guint                retries);

HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_image_config_get_entrypoint (HeroVirtImageConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_image_config_get_cmd (HeroVirtImageConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_image_config_get_env (HeroVirtImageConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_image_config_get_labels (HeroVirtImageConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_image_config_get_annotations (HeroVirtImageConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_image_config_get_ports (HeroVirtImageConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_image_config_get_volumes (HeroVirtImageConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_config_get_working_dir (HeroVirtImageConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_config_get_user (HeroVirtImageConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_config_get_author (HeroVirtImageConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_config_get_stop_signal (HeroVirtImageConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_image_config_get_healthcheck (HeroVirtImageConfig *self,
                                                    guint               *interval_s,
                                                    guint               *timeout_s,
                                                    guint               *start_period_s,
                                                    guint               *retries);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_image_config_is_empty (HeroVirtImageConfig *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_image_config_validate (HeroVirtImageConfig *self, GError **error);

G_END_DECLS
