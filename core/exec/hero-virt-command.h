/* hero-virt-command.h: an argv to run, with stdin, environment and secrets
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(HERO_VIRT_INSIDE) && !defined(HERO_VIRT_COMPILATION)
#error "Only <hero-virt.h> can be included directly."
#endif

#include "hero-virt-types.h"

G_BEGIN_DECLS

/**
 * HeroVirtOutputStream:
 * @HERO_VIRT_OUTPUT_STREAM_STDOUT: the command's standard output
 * @HERO_VIRT_OUTPUT_STREAM_STDERR: the command's standard error
 *
 * Which output stream a line given to #HeroVirtCommand::output-line came
 * from.
 *
 * Since: 0.1
 */
typedef enum
{
  HERO_VIRT_OUTPUT_STREAM_STDOUT,
  HERO_VIRT_OUTPUT_STREAM_STDERR,
} HeroVirtOutputStream;

#define HERO_VIRT_TYPE_COMMAND (hero_virt_command_get_type ())
HERO_VIRT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HeroVirtCommand, hero_virt_command, HERO_VIRT, COMMAND, GObject)

HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommand *hero_virt_command_new (const char *program);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommand *hero_virt_command_new_argv (const char *const *argv);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommand *hero_virt_command_add_arg (HeroVirtCommand *self, const char *arg);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommand *hero_virt_command_add_args (HeroVirtCommand *self,
                                             const char      *first_arg,
                                             ...) G_GNUC_NULL_TERMINATED;
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommand *hero_virt_command_add_argv (HeroVirtCommand *self, const char *const *args);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommand *hero_virt_command_add_arg_printf (HeroVirtCommand *self, const char *format, ...)
    G_GNUC_PRINTF (2, 3);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommand *hero_virt_command_add_secret_arg (HeroVirtCommand *self, const char *arg);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommand *hero_virt_command_set_stdin (HeroVirtCommand *self, GBytes *stdin_bytes);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommand *hero_virt_command_set_stdin_text (HeroVirtCommand *self, const char *text);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommand *
hero_virt_command_setenv (HeroVirtCommand *self, const char *variable, const char *value);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommand *hero_virt_command_set_cwd (HeroVirtCommand *self, const char *cwd);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommand *hero_virt_command_set_timeout (HeroVirtCommand *self, guint timeout_ms);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommand *hero_virt_command_set_max_output (HeroVirtCommand *self, guint64 max_bytes);
HERO_VIRT_AVAILABLE_IN_ALL
guint64 hero_virt_command_get_max_output (HeroVirtCommand *self);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommand *hero_virt_command_set_merge_stderr (HeroVirtCommand *self, gboolean merge);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommand *hero_virt_command_set_log_domain (HeroVirtCommand *self, const char *log_domain);
HERO_VIRT_AVAILABLE_IN_ALL
HeroVirtCommand *hero_virt_command_set_tty (HeroVirtCommand *self, gboolean tty);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_command_get_tty (HeroVirtCommand *self);
HERO_VIRT_AVAILABLE_IN_ALL
void hero_virt_command_resize (HeroVirtCommand *self, guint columns, guint rows);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_command_get_terminal_size (HeroVirtCommand *self, guint *columns, guint *rows);

/**
 * HERO_VIRT_COMMAND_NEW:
 * @program: the program to run
 *
 * Creates a command like hero_virt_command_new() whose debug line is
 * written under the caller's `G_LOG_DOMAIN` (see
 * [method@HeroVirt.Command.set_log_domain]). Plugins create their
 * commands with it.
 *
 * Returns: (transfer full): a new #HeroVirtCommand
 *
 * Since: 0.1
 */
#define HERO_VIRT_COMMAND_NEW(program)                                                             \
  hero_virt_command_set_log_domain (hero_virt_command_new (program), G_LOG_DOMAIN)

HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_command_get_program (HeroVirtCommand *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_command_get_argv (HeroVirtCommand *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_command_arg_is_secret (HeroVirtCommand *self, guint index);
HERO_VIRT_AVAILABLE_IN_ALL
GBytes *hero_virt_command_get_stdin (HeroVirtCommand *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *const *hero_virt_command_get_environ (HeroVirtCommand *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_command_getenv (HeroVirtCommand *self, const char *variable);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_command_get_cwd (HeroVirtCommand *self);
HERO_VIRT_AVAILABLE_IN_ALL
guint hero_virt_command_get_timeout (HeroVirtCommand *self);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_command_get_merge_stderr (HeroVirtCommand *self);
HERO_VIRT_AVAILABLE_IN_ALL
const char *hero_virt_command_get_log_domain (HeroVirtCommand *self);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_command_to_string (HeroVirtCommand *self);
HERO_VIRT_AVAILABLE_IN_ALL
char *hero_virt_command_redact (HeroVirtCommand *self, const char *text);
HERO_VIRT_AVAILABLE_IN_ALL
gboolean hero_virt_command_wants_lines (HeroVirtCommand *self);
HERO_VIRT_AVAILABLE_IN_ALL
void
hero_virt_command_emit_line (HeroVirtCommand *self, HeroVirtOutputStream stream, const char *line);

G_END_DECLS
