/* hero-virt-kube-sim: a Kubernetes API server simulator for tests.
 *
 * Serves the Kubernetes API over TLS on 127.0.0.1 with a CA it generates,
 * writes a kubeconfig, prints one machine-readable line when ready and runs
 * until SIGTERM or SIGINT. */
#include "kube-sim.h"
#include "ks-node-agent.h"
#include "ks-tls.h"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static KsUser *
user_new (const char *name, const char *token, gboolean readonly)
{
  KsUser *user = g_new0 (KsUser, 1);

  user->name = g_strdup (name);
  user->token = g_strdup (token);
  user->readonly = readonly;
  return user;
}

/* Static token file lines, as kube-apiserver's --token-auth-file:
 * token,user,uid[,"group1,group2"]; '#' starts a comment. */
static gboolean
read_tokens_file (KsSim *sim, const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = NULL;
      char *line = g_strstrip (lines[i]);
      if (*line == '\0' || *line == '#')
        continue;
      fields = g_strsplit (line, ",", 3);
      if (g_strv_length (fields) < 2 || *fields[0] == '\0' || *fields[1] == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%u: expected token,user",
                       path, i + 1);
          return FALSE;
        }
      g_ptr_array_add (sim->users,
                       user_new (g_strstrip (fields[1]), g_strstrip (fields[0]), FALSE));
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autofree char *kubeconfig = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *tokens_file = NULL;
  g_autofree char *readonly_token = NULL;
  g_autofree char *fail_429 = NULL, *fail_500 = NULL, *fail_drop = NULL;
  g_autofree char *fault_methods = NULL;
  g_autofree char *node_agent = NULL;
  g_autofree char *podman_root = NULL;
  g_auto (GStrv) tokens = NULL;
  g_auto (GStrv) basic = NULL;
  g_auto (GStrv) client_certs = NULL;
  gint     port = 0;
  gint     latency = 0;
  gint     retry_after = 1;
  gint64   max_body = 3 * 1024 * 1024;
  gint     history = 1000;
  gint     ready_ms = 500;
  gint     bookmark_ms = 1000;
  gboolean no_traefik = FALSE;
  gboolean verbose = FALSE;
  gboolean show_version = FALSE;
  gboolean allow_plain = FALSE;
  KsSim   *sim;
  KsPki   *pki;
  g_autoptr (SoupServer) server = NULL;
  g_autoptr (GTlsCertificate) cert = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *url = NULL;
  GSList          *uris;
  guint            actual_port = 0;
  GOptionEntry     entries[] = {
        { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: pick a free one)", "PORT" },
        { "kubeconfig", 'k', 0, G_OPTION_ARG_FILENAME, &kubeconfig, "Write a kubeconfig here", "FILE" },
        { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &state_dir,
          "Write ca.crt, admin.crt/key and server.crt/key here (default: the kubeconfig's directory)",
          "DIR" },
        { "token", 't', 0, G_OPTION_ARG_STRING_ARRAY, &tokens, "Accept a bearer token for a user",
          "USER=TOKEN" },
        { "basic-auth", 0, 0, G_OPTION_ARG_STRING_ARRAY, &basic,
          "Accept HTTP basic authentication for a user (for clients that still use it)",
          "USER=PASSWORD" },
        { "client-cert", 0, 0, G_OPTION_ARG_STRING_ARRAY, &client_certs,
          "Also write USER.crt and USER.key, a client certificate for USER (groups after a colon, "
              "comma separated), into --dir",
          "USER[:GROUPS]" },
        { "tokens-file", 0, 0, G_OPTION_ARG_FILENAME, &tokens_file,
          "Static tokens, one token,user[,uid] a line", "FILE" },
        { "readonly-token", 0, 0, G_OPTION_ARG_STRING, &readonly_token,
          "A token for user \"readonly\", Forbidden for secrets", "TOKEN" },
        { "latency", 0, 0, G_OPTION_ARG_INT, &latency, "Delay every request by MS milliseconds", "MS" },
        { "fail-429", 0, 0, G_OPTION_ARG_STRING, &fail_429,
          "Answer 429 with Retry-After: a rate (0.1 or 10%) or the first N requests", "RATE|N" },
        { "fail-500", 0, 0, G_OPTION_ARG_STRING, &fail_500,
          "Answer 500: a rate or the first N requests", "RATE|N" },
        { "fail-drop", 0, 0, G_OPTION_ARG_STRING, &fail_drop,
          "Close the connection without answering: a rate or the first N requests", "RATE|N" },
        { "fault-methods", 0, 0, G_OPTION_ARG_STRING, &fault_methods,
          "Faults only for these methods (comma separated, e.g. POST,PUT)", "LIST" },
        { "retry-after", 0, 0, G_OPTION_ARG_INT, &retry_after, "Retry-After seconds of a 429 (1)",
          "SECONDS" },
        { "max-body", 0, 0, G_OPTION_ARG_INT64, &max_body,
          "Largest request body accepted, in bytes (3 MiB)", "BYTES" },
        { "watch-history", 0, 0, G_OPTION_ARG_INT, &history,
          "Events kept for watch resumption (older ones answer 410 Gone)", "N" },
        { "pod-ready-delay", 0, 0, G_OPTION_ARG_INT, &ready_ms,
          "Milliseconds from scheduling to Running and Ready (500)", "MS" },
        { "bookmark-interval", 0, 0, G_OPTION_ARG_INT, &bookmark_ms,
          "Milliseconds between watch bookmarks (1000; 0: none)", "MS" },
        { "node-agent", 0, 0, G_OPTION_ARG_STRING, &node_agent,
          "What runs pods: \"fake\" (the default: phases move on timers, nothing runs) or "
              "\"podman\" (every pod is a podman pod on a private podman service)",
          "NAME" },
        { "podman-root", 0, 0, G_OPTION_ARG_FILENAME, &podman_root,
          "With --node-agent podman: keep podman's storage, config and socket here (default: a "
              "temporary directory removed at exit)",
          "DIR" },
        { "no-traefik", 0, 0, G_OPTION_ARG_NONE, &no_traefik, "Do not install Traefik's CRDs", NULL },
        { "insecure-http", 0, 0, G_OPTION_ARG_NONE, &allow_plain,
          "Serve plain HTTP instead of TLS (tokens only)", NULL },
        { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Log every request to stderr", NULL },
        { "version", 0, 0, G_OPTION_ARG_NONE, &show_version, "Print the version and exit", NULL },
        { NULL }
  };

  context = g_option_context_new ("- Kubernetes API server simulator");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "When ready it prints one line on stdout:\n"
                                    "  KUBE_SIM_READY port=PORT url=URL kubeconfig=FILE pid=PID\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("hero-virt-kube-sim: %s\n", error->message);
      return 2;
    }
  if (show_version)
    {
      printf ("hero-virt-kube-sim %s (serves the Kubernetes v1.32.4 API)\n", KS_VERSION);
      return 0;
    }
  if (node_agent != NULL && strcmp (node_agent, "fake") != 0 && strcmp (node_agent, "podman") != 0)
    {
      g_printerr ("hero-virt-kube-sim: unknown node agent \"%s\" (available: fake, podman)\n",
                  node_agent);
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("hero-virt-kube-sim: --port must be 0..65535\n");
      return 2;
    }

  sim = g_new0 (KsSim, 1);
  sim->resources = g_ptr_array_new ();
  sim->by_gvr = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sim->history = g_queue_new ();
  sim->history_max = MAX (history, 1);
  sim->users = g_ptr_array_new ();
  sim->next_service_ip = (96u << 16) | 2; /* 10.96.0.2 on; .1 is the kubernetes service */
  sim->next_node_port = 30000;
  sim->next_pod_ip = 2;
  sim->pod_ready_ms = ready_ms;
  sim->bookmark_ms = bookmark_ms;
  sim->verbose = verbose;
  sim->openapi_cache
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
  sim->faults.latency_ms = MAX (latency, 0);
  sim->faults.retry_after = MAX (retry_after, 0);
  sim->faults.max_body = max_body > 0 ? (gsize)max_body : 0;
  if (!ks_faults_parse_rate (fail_429, &sim->faults.rate_429, &sim->faults.count_429)
      || !ks_faults_parse_rate (fail_500, &sim->faults.rate_500, &sim->faults.count_500)
      || !ks_faults_parse_rate (fail_drop, &sim->faults.rate_drop, &sim->faults.count_drop))
    {
      g_printerr ("hero-virt-kube-sim: a fault is a rate (0.25 or 25%%) or a count (3)\n");
      return 2;
    }
  if (fault_methods != NULL)
    sim->faults.fault_methods = g_strsplit (fault_methods, ",", -1);
  for (guint i = 0; tokens != NULL && tokens[i] != NULL; i++)
    {
      const char      *eq = strchr (tokens[i], '=');
      g_autofree char *name = NULL;
      if (eq == NULL || eq == tokens[i] || eq[1] == '\0')
        {
          g_printerr ("hero-virt-kube-sim: --token wants USER=TOKEN\n");
          return 2;
        }
      name = g_strndup (tokens[i], eq - tokens[i]);
      g_ptr_array_add (sim->users, user_new (name, eq + 1, FALSE));
    }
  for (guint i = 0; basic != NULL && basic[i] != NULL; i++)
    {
      const char      *eq = strchr (basic[i], '=');
      g_autofree char *name = NULL;
      KsUser          *user;
      if (eq == NULL || eq == basic[i])
        {
          g_printerr ("hero-virt-kube-sim: --basic-auth wants USER=PASSWORD\n");
          return 2;
        }
      name = g_strndup (basic[i], eq - basic[i]);
      user = user_new (name, NULL, FALSE);
      user->password = g_strdup (eq + 1);
      g_ptr_array_add (sim->users, user);
    }
  if (readonly_token != NULL)
    g_ptr_array_add (sim->users, user_new ("readonly", readonly_token, TRUE));
  if (tokens_file != NULL && !read_tokens_file (sim, tokens_file, &error))
    {
      g_printerr ("hero-virt-kube-sim: %s\n", error->message);
      return 2;
    }

  pki = ks_pki_generate (&error);
  if (pki == NULL)
    {
      g_printerr ("hero-virt-kube-sim: cannot make certificates: %s\n", error->message);
      return 1;
    }
  sim->ca_pem = g_strdup (pki->ca_cert_pem);
  if (state_dir == NULL && kubeconfig != NULL)
    state_dir = g_path_get_dirname (kubeconfig);
  if (state_dir != NULL && !ks_pki_write_files (pki, state_dir, &error))
    {
      g_printerr ("hero-virt-kube-sim: %s\n", error->message);
      return 1;
    }

  for (guint i = 0; client_certs != NULL && client_certs[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (client_certs[i], ":", 2);
      g_autofree char *key = NULL;
      g_autofree char *cert_pem = NULL;
      g_autofree char *cert_name = NULL;
      g_autofree char *key_name = NULL;
      g_autofree char *cert_path = NULL;
      g_autofree char *key_path = NULL;
      if (state_dir == NULL || parts[0] == NULL || *parts[0] == '\0' || strchr (parts[0], '/'))
        {
          g_printerr ("hero-virt-kube-sim: --client-cert wants USER[:GROUPS] and --dir or "
                      "--kubeconfig\n");
          return 2;
        }
      cert_pem = ks_pki_issue_client (pki, parts[0], parts[1], &key, &error);
      if (cert_pem == NULL)
        {
          g_printerr ("hero-virt-kube-sim: %s\n", error->message);
          return 1;
        }
      cert_name = g_strconcat (parts[0], ".crt", NULL);
      key_name = g_strconcat (parts[0], ".key", NULL);
      cert_path = g_build_filename (state_dir, cert_name, NULL);
      key_path = g_build_filename (state_dir, key_name, NULL);
      if (!g_file_set_contents_full (cert_path, cert_pem, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                     &error)
          || !g_file_set_contents_full (key_path, key, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                        &error))
        {
          g_printerr ("hero-virt-kube-sim: %s\n", error->message);
          return 1;
        }
    }

  server = soup_server_new ("server-header", "kube-sim", NULL);
  if (!allow_plain)
    {
      pem = g_strconcat (pki->server_cert_pem, pki->server_key_pem, NULL);
      cert = g_tls_certificate_new_from_pem (pem, -1, &error);
      if (cert == NULL)
        {
          g_printerr ("hero-virt-kube-sim: %s\n", error->message);
          return 1;
        }
      soup_server_set_tls_certificate (server, cert);
      /* Client certificates are asked for and checked against our CA per request. */
      sim->ca_certificate = g_tls_certificate_new_from_pem (pki->ca_cert_pem, -1, &error);
      if (sim->ca_certificate == NULL)
        {
          g_printerr ("hero-virt-kube-sim: %s\n", error->message);
          return 1;
        }
      soup_server_set_tls_auth_mode (server, G_TLS_AUTHENTICATION_REQUESTED);
    }
  ks_server_start (sim, server, NULL);
  {
    g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (lo, port);
    if (!soup_server_listen (server, addr, allow_plain ? 0 : SOUP_SERVER_LISTEN_HTTPS, &error))
      {
        g_printerr ("hero-virt-kube-sim: cannot listen on 127.0.0.1:%d: %s\n", port,
                    error->message);
        return 1;
      }
  }
  uris = soup_server_get_uris (server);
  if (uris != NULL)
    actual_port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  url = g_strdup_printf ("%s://127.0.0.1:%u", allow_plain ? "http" : "https", actual_port);
  sim->server_url = g_strdup (url);

  ks_resources_init (sim);
  ks_workloads_init (sim);
  ks_metrics_init (sim);
  if (!no_traefik)
    ks_install_traefik_crds (sim);
  if (g_strcmp0 (node_agent, "podman") == 0)
    {
      sim->agent = ks_podman_agent_new (sim, "kube-sim-node", podman_root, &error);
      if (sim->agent == NULL)
        {
          g_printerr ("hero-virt-kube-sim: podman node agent: %s\n", error->message);
          return 1;
        }
    }
  else
    sim->agent = ks_fake_agent_new (sim, "kube-sim-node", ready_ms);
  ks_controllers_init (sim);

  if (kubeconfig != NULL)
    {
      g_autofree KsKubeconfigUser *users = g_new0 (KsKubeconfigUser, sim->users->len + 1);
      for (guint i = 0; i < sim->users->len; i++)
        {
          KsUser *user = g_ptr_array_index (sim->users, i);
          users[i].name = user->name;
          users[i].token = user->token;
          users[i].password = user->password;
        }
      if (!ks_kubeconfig_write (kubeconfig, url, pki, users, sim->users->len, &error))
        {
          g_printerr ("hero-virt-kube-sim: %s\n", error->message);
          return 1;
        }
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  printf ("KUBE_SIM_READY port=%u url=%s kubeconfig=%s pid=%d\n", actual_port, url,
          kubeconfig ? kubeconfig : "", (int)getpid ());
  fflush (stdout);
  g_main_loop_run (loop);

  soup_server_disconnect (server);
  if (sim->agent != NULL)
    sim->agent->vtable->free (sim->agent);
  ks_pki_free (pki);
  return 0;
}
