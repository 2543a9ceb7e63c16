/* cli-kube-stream.c: hero-virt kube logs|exec|attach|port-forward|cp, the
 * streaming pod commands (tools/cli-kube.c has get/apply/delete/…; it
 * lists the hv_cli_kube_stream_commands table after its own)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "cli-common.h"
#include "cli-kube.h"

/* -n, --kubeconfig and --context, shared by these commands. */
static char *opt_namespace;
static char *opt_kubeconfig;
static char *opt_context;

#define KUBE_OPTIONS                                                                               \
  { "namespace",                                                                                   \
    'n',                                                                                           \
    0,                                                                                             \
    G_OPTION_ARG_STRING,                                                                           \
    &opt_namespace,                                                                                \
    "The namespace (default: the kubeconfig context's)",                                           \
    "NS" },                                                                                        \
      { "kubeconfig",                                                                              \
        0,                                                                                         \
        0,                                                                                         \
        G_OPTION_ARG_FILENAME,                                                                     \
        &opt_kubeconfig,                                                                           \
        "The kubeconfig (default: $KUBECONFIG, ~/.kube/config)",                                   \
        "FILE" },                                                                                  \
  {                                                                                                \
    "context", 0, 0, G_OPTION_ARG_STRING, &opt_context, "The kubeconfig context", "NAME"           \
  }

static HeroVirtKubernetesManager *
open_manager (GError **error)
{
  return hero_virt_kubernetes_manager_new_full (opt_namespace, opt_kubeconfig, opt_context, NULL,
                                                error);
}

static gboolean
write_all (int fd, const void *data, gsize len)
{
  const char *p = data;

  while (len > 0)
    {
      gssize n = write (fd, p, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      len -= (gsize)n;
    }
  return TRUE;
}

/* ---- logs ---------------------------------------------------------------- */

static int
cmd_logs (int argc, char **argv)
{
  gboolean           follow = FALSE, timestamps = FALSE, previous = FALSE;
  char              *container = NULL;
  gint64             tail = -1, since = 0;
  const GOptionEntry entries[]
      = { KUBE_OPTIONS,
          { "follow", 'f', 0, G_OPTION_ARG_NONE, &follow, "Keep printing new lines", NULL },
          { "container", 'c', 0, G_OPTION_ARG_STRING, &container, "The container", "NAME" },
          { "tail", 0, 0, G_OPTION_ARG_INT64, &tail, "Only the last N lines", "N" },
          { "since", 0, 0, G_OPTION_ARG_INT64, &since, "Only lines of the last S seconds", "S" },
          { "timestamps", 0, 0, G_OPTION_ARG_NONE, &timestamps, "Prefix each line with its time",
            NULL },
          { "previous", 'p', 0, G_OPTION_ARG_NONE, &previous, "The previous instance", NULL },
          { NULL } };
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *container_owned = NULL;
  int              status;

  if (!hv_cli_parse_args ("kube logs", "POD", "Prints a pod container's log.", entries, &argc,
                          &argv, 1, 1, &status))
    return status;
  container_owned = container;
  if ((km = open_manager (&error)) == NULL)
    return hv_cli_report_error (error);
  if (!follow)
    {
      g_autofree char *text
          = hero_virt_kubernetes_manager_pod_logs (km, argv[1], container, tail, since, timestamps,
                                                   previous, hv_cli_get_cancellable (), &error);
      if (text == NULL)
        return hv_cli_report_error (error);
      fputs (text, stdout);
      return HV_CLI_EXIT_OK;
    }
  {
    g_autoptr (GInputStream) stream = hero_virt_kubernetes_manager_pod_logs_follow (
        km, argv[1], container, tail, since, timestamps, previous, hv_cli_get_cancellable (),
        &error);
    char buf[65536];

    if (stream == NULL)
      return hv_cli_report_error (error);
    for (;;)
      {
        gssize n = g_input_stream_read (stream, buf, sizeof buf, hv_cli_get_cancellable (), &error);
        if (n < 0)
          {
            g_input_stream_close (stream, NULL, NULL);
            /* SIGINT or SIGTERM: the way to end -f, as for port-forward */
            if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
              break;
            return hv_cli_report_error (error);
          }
        if (n == 0)
          break;
        if (!write_all (STDOUT_FILENO, buf, (gsize)n))
          break;
      }
    g_input_stream_close (stream, NULL, NULL);
  }
  return HV_CLI_EXIT_OK;
}

/* ---- exec ---------------------------------------------------------------- */

static GBytes *
read_stdin (GError **error)
{
  g_autoptr (GByteArray) all = g_byte_array_new ();
  guint8 buf[65536];

  for (;;)
    {
      gssize n = read (STDIN_FILENO, buf, sizeof buf);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int e = errno;
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Reading standard input: %s",
                       g_strerror (e));
          return NULL;
        }
      if (n == 0)
        break;
      g_byte_array_append (all, buf, (guint)n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&all));
}

static int
cmd_exec (int argc, char **argv)
{
  gboolean           interactive = FALSE, tty = FALSE;
  char              *container = NULL;
  int                timeout_s = 0;
  const GOptionEntry entries[]
      = { KUBE_OPTIONS,
          { "container", 'c', 0, G_OPTION_ARG_STRING, &container, "The container", "NAME" },
          { "stdin", 'i', 0, G_OPTION_ARG_NONE, &interactive,
            "Send this program's standard input (read to its end first)", NULL },
          { "tty", 't', 0, G_OPTION_ARG_NONE, &tty,
            "Run it on a terminal (of this program's terminal's size; standard error is merged "
            "into standard output)",
            NULL },
          { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, "Give up after S seconds", "S" },
          { NULL } };
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (HeroVirtPodExecutor) executor = NULL;
  g_autoptr (HeroVirtCommand) command = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *container_owned = NULL;
  char           **cmd_argv = NULL;
  int              sep = -1, status;
  gsize            len;
  const char      *data;

  /* Everything after "--" is the command, never options of ours. */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--"))
      {
        sep = i;
        break;
      }
  if (sep < 0 || sep + 1 >= argc)
    return hv_cli_usage_error ("kube exec", "the command goes after --: exec POD -- CMD [ARG…]");
  cmd_argv = argv + sep + 1;
  argv[sep] = NULL;
  argc = sep;
  if (!hv_cli_parse_args ("kube exec", "POD -- CMD [ARG…]",
                          "Runs a command in a pod's container; exits with its exit status.",
                          entries, &argc, &argv, 1, 1, &status))
    return status;
  container_owned = container;
  if ((km = open_manager (&error)) == NULL
      || (executor = hero_virt_pod_executor_new (km, argv[1], container, &error)) == NULL)
    return hv_cli_report_error (error);
  command = hero_virt_command_new_argv ((const char *const *)cmd_argv);
  if (timeout_s > 0)
    hero_virt_command_set_timeout (command, (guint)timeout_s * 1000);
  if (tty)
    {
      struct winsize ws = { 0 };

      hero_virt_command_set_tty (command, TRUE);
      if ((ioctl (STDOUT_FILENO, TIOCGWINSZ, &ws) == 0
           || ioctl (STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
          && ws.ws_col > 0 && ws.ws_row > 0)
        hero_virt_command_resize (command, ws.ws_col, ws.ws_row);
    }
  if (interactive)
    {
      g_autoptr (GBytes) input = read_stdin (&error);
      if (input == NULL)
        return hv_cli_report_error (error);
      hero_virt_command_set_stdin (command, input);
    }
  result = hero_virt_executor_run (HERO_VIRT_EXECUTOR (executor), command,
                                   hv_cli_get_cancellable (), &error);
  if (result == NULL)
    return hv_cli_report_error (error);
  data = g_bytes_get_data (hero_virt_command_result_get_stdout (result), &len);
  write_all (STDOUT_FILENO, data, len);
  data = g_bytes_get_data (hero_virt_command_result_get_stderr (result), &len);
  write_all (STDERR_FILENO, data, len);
  return hero_virt_command_result_get_exit_status (result);
}

/* ---- attach -------------------------------------------------------------- */

/* Copies this program's standard input to the attached process; its end
 * closes the process's standard input. */
static gpointer
attach_feed (gpointer data)
{
  GSocketConnection *conn = data;
  GOutputStream     *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  guint8             buf[65536];

  for (;;)
    {
      gssize n = read (STDIN_FILENO, buf, sizeof buf);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0 || !g_output_stream_write_all (out, buf, (gsize)n, NULL, NULL, NULL))
        break;
    }
  g_socket_shutdown (g_socket_connection_get_socket (conn), FALSE, TRUE, NULL);
  g_object_unref (conn);
  return NULL;
}

static int
cmd_attach (int argc, char **argv)
{
  gboolean           interactive = FALSE, tty = FALSE;
  char              *container = NULL;
  const GOptionEntry entries[]
      = { KUBE_OPTIONS,
          { "container", 'c', 0, G_OPTION_ARG_STRING, &container, "The container", "NAME" },
          { "stdin", 'i', 0, G_OPTION_ARG_NONE, &interactive,
            "Pass this program's standard input on (the container needs stdin: true)", NULL },
          { "tty", 't', 0, G_OPTION_ARG_NONE, &tty, "The container's terminal (it needs tty: true)",
            NULL },
          { NULL } };
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (GIOStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *container_owned = NULL;
  char             buf[65536];
  int              status;

  if (!hv_cli_parse_args ("kube attach", "POD",
                          "Attaches to the main process of a pod's container: prints what it "
                          "writes from now on until it exits. Interrupt to detach (the process "
                          "goes on).",
                          entries, &argc, &argv, 1, 1, &status))
    return status;
  container_owned = container;
  if ((km = open_manager (&error)) == NULL)
    return hv_cli_report_error (error);
  stream = hero_virt_kubernetes_manager_pod_attach (km, argv[1], container, interactive, tty,
                                                    hv_cli_get_cancellable (), &error);
  if (stream == NULL)
    return hv_cli_report_error (error);
  if (interactive)
    g_thread_unref (g_thread_new ("attach-stdin", attach_feed, g_object_ref (stream)));
  for (;;)
    {
      gssize n = g_input_stream_read (g_io_stream_get_input_stream (stream), buf, sizeof buf,
                                      hv_cli_get_cancellable (), &error);
      if (n < 0)
        {
          g_io_stream_close (stream, NULL, NULL);
          /* SIGINT or SIGTERM detaches */
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            break;
          return hv_cli_report_error (error);
        }
      if (n == 0 || !write_all (STDOUT_FILENO, buf, (gsize)n))
        break;
    }
  g_io_stream_close (stream, NULL, NULL);
  return HV_CLI_EXIT_OK;
}

/* ---- port-forward -------------------------------------------------------- */

static gboolean
parse_port (const char *text, gboolean zero_ok, guint *port)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (text, 10, zero_ok ? 0 : 1, 65535, &v, NULL))
    return FALSE;
  *port = (guint)v;
  return TRUE;
}

static gboolean
on_interrupted (GCancellable *cancellable, gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static int
cmd_port_forward (int argc, char **argv)
{
  const GOptionEntry entries[] = { KUBE_OPTIONS, { NULL } };
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (HeroVirtPortForward) forward = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) ports = NULL;
  g_autoptr (GSource) interrupted = NULL;
  guint local = 0, remote = 0;
  int   status;

  if (!hv_cli_parse_args ("kube port-forward", "POD [LOCAL:]REMOTE",
                          "Forwards 127.0.0.1:LOCAL to the pod's port REMOTE until interrupted "
                          "(LOCAL 0 or left out: any free port).",
                          entries, &argc, &argv, 2, 2, &status))
    return status;
  ports = g_strsplit (argv[2], ":", 2);
  if (ports[1] == NULL
          ? !parse_port (ports[0], FALSE, &remote)
          : (!parse_port (ports[0], TRUE, &local) || !parse_port (ports[1], FALSE, &remote)))
    return hv_cli_usage_error ("kube port-forward", "not a port mapping: %s", argv[2]);
  if (ports[1] == NULL)
    local = remote;
  if ((km = open_manager (&error)) == NULL
      || (forward = hero_virt_kubernetes_manager_port_forward (km, argv[1], local, remote, &error))
             == NULL)
    return hv_cli_report_error (error);
  g_print ("Forwarding from 127.0.0.1:%u -> %u\n", hero_virt_port_forward_get_local_port (forward),
           remote);
  fflush (stdout);
  /* SIGINT and SIGTERM cancel the CLI's cancellable. */
  loop = g_main_loop_new (NULL, FALSE);
  interrupted = g_cancellable_source_new (hv_cli_get_cancellable ());
  g_source_set_callback (interrupted, (GSourceFunc)(void (*) (void))on_interrupted, loop, NULL);
  g_source_attach (interrupted, NULL);
  g_main_loop_run (loop);
  g_source_destroy (interrupted);
  hero_virt_port_forward_stop (forward);
  return HV_CLI_EXIT_OK;
}

/* ---- cp ------------------------------------------------------------------ */

/* [NAMESPACE/]POD:PATH; a local path has no ':' before its first '/'. */
static gboolean
parse_remote (const char *spec, char **ns, char **pod, char **path)
{
  const char      *colon = strchr (spec, ':');
  const char      *slash = strchr (spec, '/');
  g_autofree char *who = NULL;
  char            *sep;

  if (colon == NULL || (slash != NULL && slash < colon && strchr (slash + 1, '/') < colon)
      || colon == spec)
    return FALSE;
  who = g_strndup (spec, colon - spec);
  if (strchr (who, '/') != NULL && strchr (who, '/') != strrchr (who, '/'))
    return FALSE;
  sep = strchr (who, '/');
  *ns = sep ? g_strndup (who, sep - who) : NULL;
  *pod = g_strdup (sep ? sep + 1 : who);
  *path = g_strdup (colon + 1);
  return TRUE;
}

static int
cmd_cp (int argc, char **argv)
{
  char              *container = NULL;
  const GOptionEntry entries[]
      = { KUBE_OPTIONS,
          { "container", 'c', 0, G_OPTION_ARG_STRING, &container, "The container", "NAME" },
          { NULL } };
  g_autoptr (HeroVirtKubernetesManager) km = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *container_owned = NULL;
  g_autofree char *sns = NULL, *spod = NULL, *spath = NULL;
  g_autofree char *dns = NULL, *dpod = NULL, *dpath = NULL;
  gboolean         from, to;
  int              status;

  if (!hv_cli_parse_args ("kube cp", "SRC DST",
                          "Copies files and directories into or out of a pod's container (tar "
                          "through exec); one of SRC and DST is [NAMESPACE/]POD:PATH.",
                          entries, &argc, &argv, 2, 2, &status))
    return status;
  container_owned = container;
  from = parse_remote (argv[1], &sns, &spod, &spath);
  to = parse_remote (argv[2], &dns, &dpod, &dpath);
  if (from == to)
    return hv_cli_usage_error ("kube cp", "exactly one of SRC and DST must be POD:PATH");
  if (from ? sns != NULL : dns != NULL)
    {
      g_free (opt_namespace);
      opt_namespace = g_strdup (from ? sns : dns);
    }
  if ((km = open_manager (&error)) == NULL)
    return hv_cli_report_error (error);
  if (from ? !hero_virt_kubernetes_manager_cp_from (km, spod, container, spath, argv[2],
                                                    hv_cli_get_cancellable (), &error)
           : !hero_virt_kubernetes_manager_cp_to (km, argv[1], dpod, container, dpath,
                                                  hv_cli_get_cancellable (), &error))
    return hv_cli_report_error (error);
  return HV_CLI_EXIT_OK;
}

/* Listed by tools/cli-kube.c after its own commands (see cli-kube.h). */
const HvCliCommand hv_cli_kube_stream_commands[]
    = { { "logs", "[-f] [-c C] [--tail N] POD", "Print (or follow) a pod's log", cmd_logs },
        { "exec", "POD [-c C] [-i] -- CMD…", "Run a command in a pod (its exit status is ours)",
          cmd_exec },
        { "attach", "POD [-c C] [-i] [-t]", "Attach to a pod's main process (interrupt to detach)",
          cmd_attach },
        { "port-forward", "POD [LOCAL:]REMOTE", "Forward a local port to a pod's port",
          cmd_port_forward },
        { "cp", "SRC DST", "Copy to or from a pod (POD:PATH)", cmd_cp },
        { NULL } };
