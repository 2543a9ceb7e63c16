/* cli-common.h: what every hero-virt subcommand family shares
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * How to write a subcommand family (cli-image.c, cli-container.c, ...):
 *
 *   static int
 *   cmd_pull (int argc, char **argv)
 *   {
 *     gboolean json = FALSE;
 *     const GOptionEntry entries[] = {
 *       { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
 *       { NULL }
 *     };
 *     g_autoptr(GError) error = NULL;
 *     int status;
 *
 *     if (!hv_cli_parse_args ("image pull", "REFERENCE", "Pulls an image.",
 *                             entries, &argc, &argv, 1, 1, &status))
 *       return status;               // --help printed (0) or usage error (2)
 *     ... call the library with hv_cli_get_cancellable () ...
 *     if (failed)
 *       return hv_cli_report_error (error);
 *     return HV_CLI_EXIT_OK;
 *   }
 *
 *   static const HvCliCommand image_commands[] = {
 *     { "pull", "REFERENCE", "Pull an image", cmd_pull },
 *     { NULL }
 *   };
 *
 *   int
 *   hv_cli_image (int argc, char **argv)   // argv[0] == "image"
 *   {
 *     return hv_cli_dispatch ("image", image_commands, argc, argv);
 *   }
 *
 * After hv_cli_parse_args(), argv[1..argc-1] are the positional arguments.
 * Sizes go through hv_cli_parse_size() / hv_cli_format_size(); --json output
 * through hv_cli_print_json(); a HeroVirtProgress through
 * hv_cli_progress_bar_new(); errors through hv_cli_report_error(), which
 * prints the HeroVirtError code nick and returns the exit code.
 */
#pragma once

#include <hero-virt.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Exit codes, documented in `hero-virt --help`. */
typedef enum
{
  HV_CLI_EXIT_OK = 0,
  HV_CLI_EXIT_FAILURE = 1,     /* the operation failed */
  HV_CLI_EXIT_USAGE = 2,       /* bad command line or invalid argument */
  HV_CLI_EXIT_CHECK = 3,       /* disk check found problems */
  HV_CLI_EXIT_CANCELLED = 130, /* interrupted (SIGINT/SIGTERM) */
} HvCliExit;

typedef struct
{
  const char *name;
  const char *args; /* positional arguments, for the command list */
  const char *summary;
  int (*run) (int argc, char **argv); /* argv[0] is the command name */
} HvCliCommand;

int      hv_cli_dispatch (const char *family, const HvCliCommand *commands, int argc, char **argv);
gboolean hv_cli_parse_args (const char         *command_path,
                            const char         *parameter_string,
                            const char         *summary,
                            const GOptionEntry *entries,
                            int                *argc,
                            char             ***argv,
                            int                 min_positional,
                            int                 max_positional,
                            int                *out_status);
int hv_cli_usage_error (const char *command_path, const char *format, ...) G_GNUC_PRINTF (2, 3);

gboolean hv_cli_parse_size (const char *text, guint64 *out_bytes, GError **error);
char    *hv_cli_format_size (guint64 bytes);

const char *hv_cli_error_nick (const GError *error);
int         hv_cli_report_error (const GError *error);

void hv_cli_print_json (JsonNode *node);

GCancellable *hv_cli_get_cancellable (void);

typedef struct _HvCliProgressBar HvCliProgressBar;
HvCliProgressBar                *hv_cli_progress_bar_new (HeroVirtProgress *progress);
void                             hv_cli_progress_bar_free (HvCliProgressBar *bar);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HvCliProgressBar, hv_cli_progress_bar_free)

/* Subcommand families, each in its own file (see tools/meson.build). */
int hv_cli_disk (int argc, char **argv);
int hv_cli_image (int argc, char **argv);
int hv_cli_container (int argc, char **argv);
int hv_cli_vm (int argc, char **argv);
int hv_cli_kube (int argc, char **argv);

G_END_DECLS
