/* bench-kube-sim-load: how many simple requests per second hero-virt-kube-sim
 * answers from 16 concurrent clients, and with how many errors. Starts its
 * own simulator on port 0 in a temp dir.
 *
 *   bench-kube-sim-load PATH-TO-hero-virt-kube-sim [SECONDS] [CLIENTS]
 *
 * Each client is a thread with one TLS session (GnuTLS) kept alive for the
 * whole run, sending one GET of a config map at a time with a bearer token
 * and reading the whole response: the client costs as little as a client
 * can, so that the simulator is what is measured (both share the machine).
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct
{
  int                              port;
  gnutls_certificate_credentials_t creds;
  gint64                           deadline;
  const char                      *request;
  gint                             done;
  gint                             errors;
  gint                             failed_clients;
} Bench;

static gboolean
read_response (gnutls_session_t session, GByteArray *buf, guint *status)
{
  char   chunk[16384];
  gsize  header_end = 0;
  gint64 length = -1;

  g_byte_array_set_size (buf, 0);
  for (;;)
    {
      ssize_t n;

      if (header_end > 0 && length >= 0 && buf->len >= header_end + (gsize)length)
        return TRUE;
      n = gnutls_record_recv (session, chunk, sizeof chunk);
      if (n == GNUTLS_E_INTERRUPTED || n == GNUTLS_E_AGAIN)
        continue;
      if (n <= 0)
        return FALSE;
      g_byte_array_append (buf, (guint8 *)chunk, n);
      if (header_end == 0)
        {
          const char *end = g_strstr_len ((const char *)buf->data, buf->len, "\r\n\r\n");
          const char *cl;

          if (end == NULL)
            continue;
          header_end = end + 4 - (const char *)buf->data;
          if (sscanf ((const char *)buf->data, "HTTP/1.1 %u", status) != 1)
            return FALSE;
          cl = g_strstr_len ((const char *)buf->data, header_end, "Content-Length:");
          if (cl == NULL)
            cl = g_strstr_len ((const char *)buf->data, header_end, "content-length:");
          if (cl == NULL)
            return FALSE; /* the simulator always sends a length */
          length = g_ascii_strtoll (cl + 15, NULL, 10);
        }
    }
}

static gpointer
client_thread (gpointer data)
{
  Bench             *b = data;
  struct sockaddr_in addr = { 0 };
  gnutls_session_t   session = NULL;
  g_autoptr (GByteArray) buf = g_byte_array_sized_new (32768);
  int   fd = socket (AF_INET, SOCK_STREAM, 0), one = 1, ret;
  gsize request_len = strlen (b->request);
  gint  done = 0, errors = 0;

  addr.sin_family = AF_INET;
  addr.sin_port = htons (b->port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || connect (fd, (struct sockaddr *)&addr, sizeof addr) != 0)
    goto failed;
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  gnutls_init (&session, GNUTLS_CLIENT);
  gnutls_set_default_priority (session);
  gnutls_credentials_set (session, GNUTLS_CRD_CERTIFICATE, b->creds);
  gnutls_session_set_verify_cert (session, NULL, 0);
  gnutls_transport_set_int (session, fd);
  do
    ret = gnutls_handshake (session);
  while (ret < 0 && gnutls_error_is_fatal (ret) == 0);
  if (ret < 0)
    goto failed;

  while (g_get_monotonic_time () < b->deadline)
    {
      guint status = 0;

      if (gnutls_record_send (session, b->request, request_len) != (ssize_t)request_len
          || !read_response (session, buf, &status))
        {
          errors++;
          break; /* the connection is gone */
        }
      if (status == 200)
        done++;
      else
        errors++;
    }
  g_atomic_int_add (&b->done, done);
  g_atomic_int_add (&b->errors, errors);
  gnutls_bye (session, GNUTLS_SHUT_WR);
  gnutls_deinit (session);
  close (fd);
  return NULL;

failed:
  g_printerr ("bench: a client could not connect\n");
  g_atomic_int_inc (&b->failed_clients);
  if (session)
    gnutls_deinit (session);
  if (fd >= 0)
    close (fd);
  return NULL;
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
  g_autoptr (GPtrArray) threads = g_ptr_array_new ();
  guint  seconds = argc > 2 ? atoi (argv[2]) : 5;
  guint  clients = argc > 3 ? atoi (argv[3]) : 16;
  Bench  b = { 0 };
  char  *port;
  gint64 start;
  double rate;

  if (argc < 2 || dir == NULL || seconds == 0 || clients == 0)
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
  b.port = atoi (port + 5);
  b.request = "GET /api/v1/namespaces/default/configmaps/kube-root-ca.crt HTTP/1.1\r\n"
              "Host: 127.0.0.1\r\n"
              "Authorization: Bearer bench-token\r\n"
              "Accept: application/json\r\n"
              "User-Agent: bench-kube-sim-load\r\n\r\n";
  ca = g_build_filename (dir, "ca.crt", NULL);
  gnutls_global_init ();
  gnutls_certificate_allocate_credentials (&b.creds);
  if (gnutls_certificate_set_x509_trust_file (b.creds, ca, GNUTLS_X509_FMT_PEM) <= 0)
    {
      g_printerr ("bench: cannot read %s\n", ca);
      return 1;
    }
  if (g_getenv ("BENCH_PRINT_PID"))
    g_print ("simulator pid %s\n", g_subprocess_get_identifier (sim));

  start = g_get_monotonic_time ();
  b.deadline = start + (gint64)seconds * G_USEC_PER_SEC;
  for (guint i = 0; i < clients; i++)
    g_ptr_array_add (threads, g_thread_new ("client", client_thread, &b));
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  rate = b.done / ((g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC);
  g_print ("kube-sim: %u clients (keep-alive TLS), %d requests in %us: %.0f requests/s, "
           "%d errors%s (target: >= 5000/s, 0 errors)\n",
           clients, b.done, seconds, rate, b.errors,
           b.failed_clients ? ", some clients could not connect" : "");

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
  gnutls_certificate_free_credentials (b.creds);
  gnutls_global_deinit ();
  return b.errors == 0 && b.failed_clients == 0 ? 0 : 1;
}
