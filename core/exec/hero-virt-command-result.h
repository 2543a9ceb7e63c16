/* hero-virt-command-result.h: what a command did
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

#define HERO_VIRT_TYPE_COMMAND_RESULT (hero_virt_command_result_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtCommandResult,
                      hero_virt_command_result,
                      HERO_VIRT,
                      COMMAND_RESULT,
                      GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommandResult *hero_virt_command_result_new (const char *command_line,
                                                     int         exit_status,
                                                     int         term_signal,
                                                     GBytes     *stdout_bytes,
                                                     GBytes     *stderr_bytes,
                                                     gint64      duration_us);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_command_result_get_command_line (HeroVirtCommandResult *self);
HERO_VIRT_AVAILABLE_IN_ALL
int hero_virt_command_result_get_exit_status (HeroVirtCommandResult *self);
HERO_VIRT_AVAILABLE_IN_ALL
int hero_virt_command_result_get_term_signal (HeroVirtCommandResult *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_command_result_get_success (HeroVirtCommandResult *self);
HERO_VIRT_AVAILABLE_IN_ALL
GBytes *hero_virt_command_result_get_stdout (HeroVirtCommandResult *self);
HERO_VIRT_AVAILABLE_IN_ALL
GBytes *hero_virt_command_result_get_stderr (HeroVirtCommandResult *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_command_result_get_stdout_text (HeroVirtCommandResult *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_command_result_get_stderr_text (HeroVirtCommandResult *self);
HERO_VIRT_AVAILABLE_IN_ALL
gint64 hero_virt_command_result_get_duration (HeroVirtCommandResult *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_command_result_check (HeroVirtCommandResult *self, GError **error);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_command_result_get_stderr_tail (HeroVirtCommandResult *self, guint max_lines);

G_END_DECLS
