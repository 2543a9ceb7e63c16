/* hero-virt-builder-private.h: the Builder's state and the hooks its
 * generated steps (builder-object.json) call; never installed
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "hero-virt-private.h"

G_BEGIN_DECLS

/* What the running step works with: the settings as they were when it
 * started, and the working container. Owned by the step that holds the
 * turn, so it is read without the lock. */
typedef struct
{
  HeroVirtImageProvider        *provider;
  HeroVirtExecutor             *executor;
  char                         *container;
  char                         *isolation;
  char                         *runtime;
  char                         *format;
  gboolean                      squash;
  char                         *context_dir;
  HeroVirtImageRegistryOptions *registry_options;
  HeroVirtProgress             *progress;
} HeroVirtBuilderStep;

struct _HeroVirtBuilder
{
  GObject parent_instance;

  GMutex lock; /* guards the fields below, up to cur */

  char                         *name;
  char                         *base_image;
  HeroVirtExecutor             *executor;
  HeroVirtImageProvider        *provider;
  gboolean                      provider_chosen; /* the default, not given */
  char                         *container;
  char                         *image_id;
  char                         *image;
  char                         *isolation;
  char                         *runtime;
  char                         *format;
  gboolean                      squash;
  char                         *context_dir;
  HeroVirtImageRegistryOptions *registry_options;
  HeroVirtProgress             *progress;
  HeroVirtImageConfig          *pending;

  /* One step at a time: the turn, and the steps (GTasks) waiting for it. */
  gboolean busy;
  GCond    turn_cond;
  GQueue   waiters;

  HeroVirtBuilderStep cur;
};

HeroVirtImageProvider *_hero_virt_builder_lookup_provider (HeroVirtBuilder *self,
                                                           GCancellable    *cancellable,
                                                           GError         **error);

/* Take the turn and the settings (begin); also ensure the working
 * container and apply the recorded configuration (prepare). On failure
 * the turn is given back; on success _hero_virt_builder_end() does. */
gboolean _hero_virt_builder_begin (HeroVirtBuilder       *self,
                                   HeroVirtImageProvider *provider,
                                   GCancellable          *cancellable,
                                   GError               **error);
void     _hero_virt_builder_begin_async (HeroVirtBuilder       *self,
                                         HeroVirtImageProvider *provider,
                                         GCancellable          *cancellable,
                                         GAsyncReadyCallback    callback,
                                         gpointer               user_data);
gboolean
_hero_virt_builder_begin_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error);
gboolean _hero_virt_builder_prepare (HeroVirtBuilder       *self,
                                     HeroVirtImageProvider *provider,
                                     GCancellable          *cancellable,
                                     GError               **error);
void     _hero_virt_builder_prepare_async (HeroVirtBuilder       *self,
                                           HeroVirtImageProvider *provider,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data);
gboolean
_hero_virt_builder_prepare_finish (HeroVirtBuilder *self, GAsyncResult *result, GError **error);
void _hero_virt_builder_end (HeroVirtBuilder *self);

/* Names the failed step in *error ("Builder “web”, step run “ls” failed: …"). */
void _hero_virt_builder_failed (HeroVirtBuilder *self,
                                const char      *step,
                                const char      *what,
                                GError         **error);
void _hero_virt_builder_failed_pair (HeroVirtBuilder *self,
                                     const char      *step,
                                     const char      *from,
                                     const char      *to,
                                     GError         **error);
void
_hero_virt_builder_failed_argv (HeroVirtBuilder *self, const char *const *argv, GError **error);

/* Argument checks, before anything runs. */
gboolean _hero_virt_builder_check_command (const char *command, GError **error);
gboolean _hero_virt_builder_check_argv (const char *const *argv, GError **error);
gboolean _hero_virt_builder_check_path (const char *path, GError **error);
gboolean _hero_virt_builder_check_dest (const char *path, GError **error);
gboolean _hero_virt_builder_check_source (HeroVirtBuilder *self,
                                          const char      *source,
                                          gboolean         allow_url,
                                          GError         **error);
gboolean _hero_virt_builder_check_destination (const char *destination, GError **error);

/* Provider arguments computed once the step runs. */
char  **_hero_virt_builder_shell_argv (const char *command);
char  **_hero_virt_builder_sources (HeroVirtBuilder *self,
                                    const char      *source,
                                    gboolean         allow_url,
                                    GError         **error);
char   *_hero_virt_builder_dup_committed (HeroVirtBuilder *self, GError **error);
GBytes *_hero_virt_builder_text (const char *content);

/* Post-processing: what a step's result becomes. */
HeroVirtBuilder *_hero_virt_builder_ran (HeroVirtBuilder *self, GBytes *output);
HeroVirtBuilder *
_hero_virt_builder_committed (HeroVirtBuilder *self, const char *image, char *image_id);

G_END_DECLS
