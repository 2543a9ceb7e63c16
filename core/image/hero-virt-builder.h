/* hero-virt-builder.h: build an OCI image step by step
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
#include "hero-virt-image-config.h"
#include "hero-virt-image-registry-options.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_BUILDER (hero_virt_builder_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtBuilder, hero_virt_builder, HERO_VIRT, BUILDER, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_new (const char *name, const char *base_image);

/* settings */
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_set_executor (HeroVirtBuilder *self, HeroVirtExecutor *executor);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_set_isolation (HeroVirtBuilder *self, const char *isolation);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_set_runtime (HeroVirtBuilder *self, const char *runtime);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_set_format (HeroVirtBuilder *self, const char *format);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_set_squash (HeroVirtBuilder *self, gboolean squash);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_set_context_dir (HeroVirtBuilder *self, const char *context_dir);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_set_registry_options (HeroVirtBuilder              *self,
                                                         HeroVirtImageRegistryOptions *options);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_set_progress (HeroVirtBuilder *self, HeroVirtProgress *progress);

/* image configuration, applied before the next step that needs it */
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_set_entrypoint (HeroVirtBuilder *self, const char *const *argv);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_set_cmd (HeroVirtBuilder *self, const char *const *argv);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *
hero_virt_builder_set_env (HeroVirtBuilder *self, const char *name, const char *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *
hero_virt_builder_set_label (HeroVirtBuilder *self, const char *key, const char *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *
hero_virt_builder_set_annotation (HeroVirtBuilder *self, const char *key, const char *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_set_working_dir (HeroVirtBuilder *self, const char *dir);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_set_user (HeroVirtBuilder *self, const char *user);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_add_port (HeroVirtBuilder *self, const char *port);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_add_volume (HeroVirtBuilder *self, const char *path);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_set_author (HeroVirtBuilder *self, const char *author);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_set_healthcheck (HeroVirtBuilder *self,
                                                    const char      *command,
                                                    guint            interval_s,
                                                    guint            timeout_s,
                                                    guint            start_period_s,
                                                    guint            retries);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *hero_virt_builder_set_stop_signal (HeroVirtBuilder *self, const char *signal_name);

/* getters */
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_builder_get_name (HeroVirtBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_builder_get_base_image (HeroVirtBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_builder_dup_container (HeroVirtBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_builder_dup_image_id (HeroVirtBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtExecutor *hero_virt_builder_get_executor (HeroVirtBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_builder_get_isolation (HeroVirtBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_builder_get_format (HeroVirtBuilder *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_builder_get_squash (HeroVirtBuilder *self);

/* actions: each returns @self, or %NULL with @error set */

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *
hero_virt_builder_open (HeroVirtBuilder *self, GCancellable *cancellable, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_builder_open_async (HeroVirtBuilder    *self,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean
hero_virt_builder_open_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *
hero_virt_builder_apply_config (HeroVirtBuilder *self, GCancellable *cancellable, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_builder_apply_config_async (HeroVirtBuilder    *self,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean
hero_virt_builder_apply_config_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *
hero_virt_builder_remove (HeroVirtBuilder *self, GCancellable *cancellable, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_builder_remove_async (HeroVirtBuilder    *self,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean
hero_virt_builder_remove_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtBuilder *
hero_virt_builder_reset (HeroVirtBuilder *self, GCancellable *cancellable, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_builder_reset_async (HeroVirtBuilder    *self,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean
hero_virt_builder_reset_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error);

G_END_DECLS

/* The steps with a provider call of their own (run, copy, add, write, read,
 * commit, push), generated from builder-object.json. */
#include "hero-virt-builder-object.h"
