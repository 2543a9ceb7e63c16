/* hero-virt-private.h: helpers shared inside libhero-virt (never installed)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "hero-virt.h"

G_BEGIN_DECLS

/* Runs in a worker thread; returns a pointer result (or
 * GINT_TO_POINTER (TRUE) for operations without one), NULL on error. */
typedef gpointer (*HeroVirtThreadFunc) (gpointer      source_object,
                                        gpointer      task_data,
                                        GCancellable *cancellable,
                                        GError      **error);

void     _hero_virt_run_in_thread (gpointer            source_object,
                                   gpointer            source_tag,
                                   HeroVirtThreadFunc  func,
                                   gpointer            task_data,
                                   GDestroyNotify      task_data_free,
                                   GDestroyNotify      result_free,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data);
gpointer _hero_virt_task_finish (gpointer      source_object,
                                 GAsyncResult *result,
                                 gpointer      source_tag,
                                 GError      **error);
gboolean _hero_virt_task_is (gpointer source_object, GAsyncResult *result, gpointer source_tag);

/* Sync-over-async: calls @start with a private thread-default main
 * context pushed and iterates it until the operation completes. */
typedef void (*HeroVirtAsyncStart) (gpointer            source_object,
                                    gpointer            data,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data);
GAsyncResult *_hero_virt_run_sync (gpointer source_object, HeroVirtAsyncStart start, gpointer data);

void _hero_virt_registry_ensure_types (void);

G_END_DECLS
