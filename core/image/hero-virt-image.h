/* hero-virt-image.h: image functions
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"
#include "hero-virt-executor.h"
#include "hero-virt-progress.h"
#include "hero-virt-image-info.h"
#include "hero-virt-image-container-info.h"
#include "hero-virt-image-registry-options.h"

G_BEGIN_DECLS

HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *
hero_virt_image_list (HeroVirtExecutor *executor, GCancellable *cancellable, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
GPtrArray *hero_virt_image_list_containers (HeroVirtExecutor *executor,
                                            GCancellable     *cancellable,
                                            GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtImageInfo *hero_virt_image_inspect (const char       *reference,
                                            HeroVirtExecutor *executor,
                                            GCancellable     *cancellable,
                                            GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_image_remove (const char       *reference,
                                 gboolean          force,
                                 HeroVirtExecutor *executor,
                                 GCancellable     *cancellable,
                                 GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_image_tag (const char       *reference,
                              const char       *new_name,
                              HeroVirtExecutor *executor,
                              GCancellable     *cancellable,
                              GError          **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_image_pull (const char                   *reference,
                            HeroVirtImageRegistryOptions *options,
                            HeroVirtProgress             *progress,
                            HeroVirtExecutor             *executor,
                            GCancellable                 *cancellable,
                            GError                      **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_image_pull_async (const char                   *reference,
                                 HeroVirtImageRegistryOptions *options,
                                 HeroVirtProgress             *progress,
                                 HeroVirtExecutor             *executor,
                                 GCancellable                 *cancellable,
                                 GAsyncReadyCallback           callback,
                                 gpointer                      user_data);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_image_pull_finish (GAsyncResult *result, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_image_push (const char                   *reference,
                               const char                   *destination,
                               HeroVirtImageRegistryOptions *options,
                               HeroVirtProgress             *progress,
                               HeroVirtExecutor             *executor,
                               GCancellable                 *cancellable,
                               GError                      **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_image_push_async (const char                   *reference,
                                 const char                   *destination,
                                 HeroVirtImageRegistryOptions *options,
                                 HeroVirtProgress             *progress,
                                 HeroVirtExecutor             *executor,
                                 GCancellable                 *cancellable,
                                 GAsyncReadyCallback           callback,
                                 gpointer                      user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_image_push_finish (GAsyncResult *result, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_image_build (const char                   *context_dir,
                             const char                   *containerfile,
                             const char                   *tag,
                             const char *const            *build_args,
                             HeroVirtImageRegistryOptions *options,
                             HeroVirtProgress             *progress,
                             HeroVirtExecutor             *executor,
                             GCancellable                 *cancellable,
                             GError                      **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_image_build_async (const char                   *context_dir,
                                  const char                   *containerfile,
                                  const char                   *tag,
                                  const char *const            *build_args,
                                  HeroVirtImageRegistryOptions *options,
                                  HeroVirtProgress             *progress,
                                  HeroVirtExecutor             *executor,
                                  GCancellable                 *cancellable,
                                  GAsyncReadyCallback           callback,
                                  gpointer                      user_data);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_image_build_finish (GAsyncResult *result, GError **error);

G_END_DECLS
