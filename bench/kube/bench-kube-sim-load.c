/* bench-kube-sim-load: how many simple requests per second hero-virt-kube-sim
 * answers from 16 concurrent clients (keep-alive HTTPS, bearer token), and
 * with how many errors. Starts its own simulator on port 0 in a temp dir.
 *
 *   bench-kube-sim-load PATH-TO-hero-virt-kube-sim [SECONDS] [CLIENTS]
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  SoupSession *session;
  char        *url;
  gint64       deadline;
  guint        done;
  guint        errors;
  guint        running;
  GMainLoop   *loop;
} Bench;

static void send_one (Bench *b);

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Bench       *b = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  if (body != NULL && soup_message_get_status (msg) == 200)
    b->done++;
  else
    b->errors++;
  if (g_get_monotonic_time () < b->deadline)
    send_one (b);
  else if (--b->running == 0)
    g_main_loop_quit (b->loop);
}

static void
send_one (Bench *b)
{
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", b->url);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer bench-token");
  soup_session_send_and_read_async (b->session, msg, G_PRIORITY_DEFAULT, NULL, on_done, b);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kube-sim-bench-XXXXXX", &error);
  g_autofree char *kubeconfig = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *line = NULL;
  g_autoptr (GSubprocess) sim = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GTlsDatabase) db = NULL;
  guint  seconds = argc > 2 ? atoi (argv[2]) : 5;
  guint  clients = argc > 3 ? atoi (argv[3]) : 16;
  Bench  b = { 0 };
  char  *port;
  gint64 start;
  double rate;

  if (argc < 2 || dir == NULL)
    {
      g_printerr ("usage: bench-kube-sim-load PATH-TO-hero-virt-kube-sim [SECONDS] [CLIENTS]\n");
      return 2;
    }
  kubeconfig = g_build_filename (dir, "kubeconfig", NULL);
  sim = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, argv[1], "--port", "0",
                          "--kubeconfig", kubeconfig, "--token", "bench=bench-token", NULL);
  if (sim == NULL)
    {
      g_printerr ("bench: %s\n", error->message);
      return 1;
    }
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  port = line ? strstr (line, "port=") : NULL;
  if (port == NULL)
    {
      g_printerr ("bench: the simulator did not start\n");
      return 1;
    }
  b.url = g_strdup_printf ("https://127.0.0.1:%d/api/v1/namespaces/default/configmaps/"
                           "kube-root-ca.crt",
                           atoi (port + 5));
  ca = g_build_filename (dir, "ca.crt", NULL);
  db = g_tls_file_database_new (ca, &error);
  b.session = soup_session_new_with_options ("max-conns", clients, "max-conns-per-host", clients,
                                             "tls-database", db, NULL);
  b.loop = g_main_loop_new (NULL, FALSE);
  start = g_get_monotonic_time ();
  b.deadline = start + (gint64)seconds * G_USEC_PER_SEC;
  b.running = clients;
  for (guint i = 0; i < clients; i++)
    send_one (&b);
  g_main_loop_run (b.loop);
  rate = b.done / ((g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC);
  g_print ("kube-sim: %u clients, %u requests in %us: %.0f requests/s, %u errors (target: >= "
           "5000/s, 0 errors)\n",
           clients, b.done, seconds, rate, b.errors);

  g_subprocess_send_signal (sim, SIGTERM);
  g_subprocess_wait (sim, NULL, NULL);
  {
    static const char *const files[] = { "kubeconfig", "ca.crt",    "ca.key",    "server.crt",
                                         "server.key", "admin.crt", "admin.key", NULL };
    for (guint i = 0; files[i]; i++)
      {
        g_autofree char *path = g_build_filename (dir, files[i], NULL);
        g_unlink (path);
      }
    g_rmdir (dir);
  }
  g_object_unref (b.session);
  g_main_loop_unref (b.loop);
  g_free (b.url);
  return b.errors == 0 ? 0 : 1;
}
