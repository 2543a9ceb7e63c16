/* ch-sim-main.c: hero-virt-ch-sim, a cloud-hypervisor stand-in
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs as cloud-hypervisor would: binds the API socket at start, creates
 * and boots a VM given on the command line, serves the REST API, and exits
 * 0 (removing the socket) on vmm.shutdown, on a guest power-off, or on
 * SIGTERM/SIGINT; 1 when it cannot start.
 */

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib-unix.h>

#include "ch-sim.h"

static FILE    *log_stream;
static gboolean log_enabled;

void
ch_sim_log_open (const ChSimOptions *options)
{
  if (options->log_file != NULL)
    log_stream = fopen (options->log_file, "ae");
  if (log_stream == NULL && options->verbosity > 0)
    log_stream = stderr;
  log_enabled = log_stream != NULL;
}

void
ch_sim_log (const char *format, ...)
{
  va_list          ap;
  g_autofree char *line = NULL;

  if (!log_enabled)
    return;
  va_start (ap, format);
  line = g_strdup_vprintf (format, ap);
  va_end (ap);
  fprintf (log_stream, "cloud-hypervisor: %.6fs: <hero-virt-ch-sim> %s\n",
           g_get_monotonic_time () / 1e6, line);
  fflush (log_stream);
}

typedef struct
{
  GMainLoop *loop;
  int        exit_code;
} Main;

static void
vmm_exit_cb (ChSimExitReason reason, gpointer data)
{
  Main *m = data;

  ch_sim_log ("exiting: %s",
              reason == CH_SIM_EXIT_VMM_SHUTDOWN ? "vmm.shutdown" : "guest shutdown");
  g_main_loop_quit (m->loop);
}

static gboolean
api_exit_cb (gpointer data)
{
  Main *m = data;

  ch_sim_log ("exiting: vmm.shutdown");
  g_main_loop_quit (m->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
signal_cb (gpointer data)
{
  Main *m = data;

  ch_sim_log ("exiting: signal");
  g_main_loop_quit (m->loop);
  return G_SOURCE_CONTINUE;
}

static void
print_chain (ChSimError *error)
{
  g_printerr ("Error: Cloud Hypervisor exited with the following chain of errors:\n");
  for (guint i = 1; i < error->chain->len; i++)
    g_printerr ("  %u: %s\n", i - 1, (const char *)error->chain->pdata[i]);
}

static void
write_record (const ChSimOptions *options)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "argv");
  json_builder_begin_array (b);
  for (guint i = 0; options->argv[i]; i++)
    json_builder_add_string_value (b, options->argv[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "api_socket");
  if (options->api_socket_path)
    json_builder_add_string_value (b, options->api_socket_path);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "api_version");
  json_builder_add_int_value (b, options->api_version);
  json_builder_set_member_name (b, "config");
  if (options->cli_config)
    {
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (node, options->cli_config);
      json_builder_add_value (b, node);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, TRUE);
  if (!g_file_set_contents (options->record_path, text, -1, NULL))
    g_printerr ("hero-virt-ch-sim: cannot write %s\n", options->record_path);
}

int
main (int argc, char **argv)
{
  ChSimOptions options;
  ChSimVmm    *vmm = NULL;
  ChSimApi    *api = NULL;
  g_autoptr (GError) error = NULL;
  Main m = { NULL, 0 };
  int  exit_code = 0;

  setlocale (LC_ALL, "");
  /* cloud-hypervisor makes every file it creates private */
  umask (0077);
  if (!ch_sim_options_parse (&options, argc, argv, &exit_code))
    {
      ch_sim_options_clear (&options);
      return exit_code;
    }
  ch_sim_log_open (&options);
  if (options.record_path != NULL)
    write_record (&options);

  m.loop = g_main_loop_new (NULL, FALSE);
  /* Before the API socket exists: a client that sees the socket may send
   * SIGTERM at once, and must get the clean exit. */
  g_unix_signal_add (SIGTERM, signal_cb, &m);
  g_unix_signal_add (SIGINT, signal_cb, &m);
  vmm = ch_sim_vmm_new (&options, vmm_exit_cb, &m);
  if (options.api_socket_path != NULL || options.api_socket_fd >= 0)
    {
      api = ch_sim_api_new (vmm, &options, &error);
      if (api == NULL)
        {
          g_printerr ("Error: Cloud Hypervisor exited with the following chain of errors:\n"
                      "  0: Failed to start the VMM thread\n  1: %s\n",
                      error->message);
          m.exit_code = 1;
          goto out;
        }
      ch_sim_api_set_exit_callback (api, api_exit_cb, &m);
    }
  ch_sim_log ("hero-virt-ch-sim %s, API v%d, pid %d", PACKAGE_VERSION, (int)options.api_version,
              (int)getpid ());

  /* With --kernel (or --firmware) on the command line the VM is created
   * and booted at once. */
  if (options.cli_config != NULL && json_object_has_member (options.cli_config, "payload")
      && json_object_get_size (json_object_get_object_member (options.cli_config, "payload")) > 0)
    {
      g_autoptr (ChSimError) e = ch_sim_vm_create (vmm, options.cli_config);
      if (e == NULL)
        e = ch_sim_vm_boot (vmm);
      if (e != NULL)
        {
          print_chain (e);
          m.exit_code = 1;
          goto out;
        }
    }
  if (options.cli_restore != NULL)
    {
      g_autoptr (ChSimError) e = ch_sim_vm_restore (vmm, options.cli_restore);
      if (e != NULL)
        {
          print_chain (e);
          m.exit_code = 1;
          goto out;
        }
    }

  g_main_loop_run (m.loop);

out:
  ch_sim_api_free (api, m.exit_code == 0);
  ch_sim_vmm_free (vmm);
  g_main_loop_unref (m.loop);
  ch_sim_options_clear (&options);
  return m.exit_code;
}
