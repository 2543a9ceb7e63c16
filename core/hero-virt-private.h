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
/* In a func of _hero_virt_run_in_thread(): the main context its task
 * completes in (the async caller's); NULL in any other thread. */
GMainContext *_hero_virt_task_get_owner_context (void);

/* Sync-over-async: calls @start with a private thread-default main
 * context pushed and iterates it until the operation completes. */
typedef void (*HeroVirtAsyncStart) (gpointer            source_object,
                                    gpointer            data,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data);
GAsyncResult *_hero_virt_run_sync (gpointer source_object, HeroVirtAsyncStart start, gpointer data);
/* Runs @func in @context at default priority, always from its loop: an
 * idle source, not g_main_context_invoke(), which runs @func in the
 * calling thread when no thread owns @context at that moment. Any thread. */
void _hero_virt_queue_to_context (GMainContext  *context,
                                  GSourceFunc    func,
                                  gpointer       data,
                                  GDestroyNotify destroy,
                                  const char    *name);

/* For the executors (exec/hero-virt-executor.c). */
#define HERO_VIRT_DEFAULT_MAX_OUTPUT (64 * 1024 * 1024)
gsize _hero_virt_executor_output_cap (HeroVirtExecutor *self, HeroVirtCommand *command);
gboolean
_hero_virt_output_too_large (GError **error, const char *program, const char *stream, gsize cap);
void _hero_virt_executor_log_command (HeroVirtExecutor *self,
                                      HeroVirtCommand  *command,
                                      const char       *display,
                                      const char       *outcome,
                                      int               exit_status,
                                      int               term_signal,
                                      gint64            duration_us);
/* While a worker thread runs @command for an async caller, the lines it
 * emits in that thread are delivered in @context (the caller's), in order
 * and before the operation's completion; other commands are untouched.
 * A stack object, ended in the same thread. */
typedef struct _HeroVirtLineTarget HeroVirtLineTarget;
struct _HeroVirtLineTarget
{
  HeroVirtCommand    *command;
  GMainContext       *context;
  HeroVirtLineTarget *outer;
};
void _hero_virt_command_deliver_lines_begin (HeroVirtLineTarget *target,
                                             HeroVirtCommand    *command,
                                             GMainContext       *context);
void _hero_virt_command_deliver_lines_end (HeroVirtLineTarget *target);
/* Standard error as the result keeps it: with the command's secrets
 * masked, even when a tool echoes its arguments. */
GBytes *_hero_virt_command_redact_output (HeroVirtCommand *command, GByteArray *output);

/* The kinds of provider (plugin/hero-virt-provider-kind.c). */
void     _hero_virt_provider_kind_ensure_types (void);
gboolean _hero_virt_provider_kind_is_available (HeroVirtProviderKind kind,
                                                GObject             *provider,
                                                HeroVirtExecutor    *executor,
                                                GCancellable        *cancellable,
                                                GError             **error);

/* Internal validators (hero-virt-validate.c); each reports through
 * hero_virt_set_invalid_argument(). Lists are NULL-terminated string
 * arrays (a NULL list is empty). */
#define _HERO_VIRT_NAME_RE "^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,252}$"

/* g_regex_match_simple() anchored at the very end ($ never matches
 * before a final newline): every pattern check in core/ goes through it. */
gboolean _hero_virt_match (const char *pattern, const char *value);
gboolean _hero_virt_validate_port_mapping (const char *spec, GError **error);
gboolean _hero_virt_validate_volume (const char *spec, GError **error);
gboolean _hero_virt_validate_key_values (const char *const *items,
                                         const char        *what,
                                         const char        *key_pattern,
                                         GError           **error);
gboolean _hero_virt_validate_each (const char *const *items,
                                   const char        *what,
                                   const char        *pattern,
                                   const char        *why,
                                   GError           **error);
gboolean
_hero_virt_validate_copy_paths (const char *host_path, const char *container_path, GError **error);
gboolean _hero_virt_validate_since (const char *since, GError **error);
gboolean _hero_virt_validate_signal (const char *signal, GError **error);
gboolean _hero_virt_validate_duration (const char *what, const char *value, GError **error);

gboolean _hero_virt_validate_vm_name (const char *name, GError **error);
/* Absolute, non-empty, no newline or comma: commas separate options in
 * both `cloud-hypervisor --disk path=…,readonly=on` and qemu's `-drive`. */
gboolean _hero_virt_validate_vm_path (const char *what, const char *path, GError **error);
gboolean _hero_virt_validate_tap_name (const char *tap, GError **error);
gboolean _hero_virt_validate_mac_address (const char *mac, GError **error);

/* A plugin's or provider's name: `[a-z0-9_-]+`, at most 64. */
gboolean _hero_virt_validate_provider_name (const char *name, GError **error);

G_END_DECLS
