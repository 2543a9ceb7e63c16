/* hero-virt-container-image.h: a container engine's local image
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

#define HERO_VIRT_TYPE_CONTAINER_IMAGE (hero_virt_container_image_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtContainerImage,
                      hero_virt_container_image,
                      HERO_VIRT,
                      CONTAINER_IMAGE,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_image_get_id (HeroVirtContainerImage *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_image_get_repository (HeroVirtContainerImage *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_image_get_tag (HeroVirtContainerImage *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_container_image_get_names (HeroVirtContainerImage *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_image_get_digest (HeroVirtContainerImage *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_container_image_get_size (HeroVirtContainerImage *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_container_image_get_created (HeroVirtContainerImage *self);

HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_container_image_list (const char       *provider_name,
                                           HeroVirtExecutor *executor,
                                           GCancellable     *cancellable,
                                           GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_image_list_async (const char         *provider_name,
                                           HeroVirtExecutor   *executor,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_container_image_list_finish (GAsyncResult *result, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_container_image_pull (const char       *provider_name,
                                      HeroVirtExecutor *executor,
                                      const char       *reference,
                                      gboolean          tls_verify,
                                      GCancellable     *cancellable,
                                      GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_image_pull_async (const char         *provider_name,
                                           HeroVirtExecutor   *executor,
                                           const char         *reference,
                                           gboolean            tls_verify,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_container_image_pull_finish (GAsyncResult *result, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_image_push (const char       *provider_name,
                                         HeroVirtExecutor *executor,
                                         const char       *reference,
                                         const char       *destination,
                                         gboolean          tls_verify,
                                         GCancellable     *cancellable,
                                         GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_image_push_async (const char         *provider_name,
                                           HeroVirtExecutor   *executor,
                                           const char         *reference,
                                           const char         *destination,
                                           gboolean            tls_verify,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_image_push_finish (GAsyncResult *result, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_image_tag (const char       *provider_name,
                                        HeroVirtExecutor *executor,
                                        const char       *reference,
                                        const char       *new_reference,
                                        GCancellable     *cancellable,
                                        GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_image_tag_async (const char         *provider_name,
                                          HeroVirtExecutor   *executor,
                                          const char         *reference,
                                          const char         *new_reference,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_image_tag_finish (GAsyncResult *result, GError **error);

HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_image_remove (const char       *provider_name,
                                           HeroVirtExecutor *executor,
                                           const char       *reference,
                                           gboolean          force,
                                           GCancellable     *cancellable,
                                           GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_container_image_remove_async (const char         *provider_name,
                                             HeroVirtExecutor   *executor,
                                             const char         *reference,
                                             gboolean            force,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_container_image_remove_finish (GAsyncResult *result, GError **error);

G_END_DECLS
