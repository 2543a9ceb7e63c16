/* cli-kube.h: what the `hero-virt kube` subcommand files share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * `hero-virt kube` is one family whose subcommands may live in several
 * files. cli-kube.c has get, apply, delete, wait, counts and ns; another
 * file adds its own by defining a table and nothing else:
 *
 *   // tools/cli-kube-stream.c
 *   #include "cli-kube.h"
 *
 *   static int
 *   cmd_logs (int argc, char **argv)        // argv[0] == "logs"
 *   {
 *     gboolean follow = FALSE;
 *     const GOptionEntry entries[] = {
 *       { "follow", 'f', 0, G_OPTION_ARG_NONE, &follow, "Follow", NULL }, { NULL } };
 *     g_autoptr (HeroVirtKubernetesManager) km = NULL;
 *     g_autoptr (GError) error = NULL;
 *     int status;
 *
 *     // adds --namespace/-n, --context, --kubeconfig and --json
 *     if (!hv_cli_kube_parse_args ("kube logs", "POD", "Prints a pod's logs.", entries,
 *                                  &argc, &argv, 1, 1, &status))
 *       return status;
 *     if ((km = hv_cli_kube_manager (&error)) == NULL)
 *       return hv_cli_report_error (error);
 *     ...
 *   }
 *
 *   const HvCliCommand hv_cli_kube_stream_commands[] = {
 *     { "logs", "POD [-f]", "Print a pod's logs", cmd_logs },
 *     { NULL }
 *   };
 *
 * tools/meson.build builds cli-kube-stream.c when it exists and defines
 * HAVE_CLI_KUBE_STREAM_C, which makes cli-kube.c list that table after
 * its own (hv_cli_kube_tables below). A further file follows the same
 * pattern: a table declared here, one #ifdef line in cli-kube.c's
 * table list and one name in tools/meson.build.
 *
 * Options the family shares may also come before the subcommand:
 * `hero-virt kube -n demo get pods` is `hero-virt kube get pods -n demo`.
 */
#pragma once

#include "cli-common.h"

G_BEGIN_DECLS

/* The subcommand tables, each ending with { NULL }. */
extern const HvCliCommand hv_cli_kube_commands[];        /* cli-kube.c */
extern const HvCliCommand hv_cli_kube_stream_commands[]; /* cli-kube-stream.c, if built */
extern const HvCliCommand hv_cli_kube_apps_commands[];   /* cli-kube-apps.c, if built */

/* Like hv_cli_parse_args(), with the family's --namespace/-n, --context,
 * --kubeconfig and --json added to @entries. */
gboolean hv_cli_kube_parse_args (const char         *command_path,
                                 const char         *parameter_string,
                                 const char         *summary,
                                 const GOptionEntry *entries,
                                 int                *argc,
                                 char             ***argv,
                                 int                 min_positional,
                                 int                 max_positional,
                                 int                *out_status);

/* A manager for the chosen namespace, context and kubeconfig. */
HeroVirtKubernetesManager *hv_cli_kube_manager (GError **error);

/* The options' values (NULL when not given). */
const char *hv_cli_kube_get_namespace (void);
gboolean    hv_cli_kube_get_json (void);

/* "pods", "po", "Pod", "deployments.apps", … (or any Kind with
 * @api_version) to a kind, through the cluster's discovery when needed. */
HeroVirtClusterKind *hv_cli_kube_resolve_kind (HeroVirtKubernetesManager *km,
                                               const char                *text,
                                               const char                *api_version,
                                               GError                   **error);

/* "30s", "2m", "1h", "500ms" or plain seconds, to milliseconds. */
gboolean hv_cli_kube_parse_duration (const char *text, guint *out_ms, GError **error);

G_END_DECLS
