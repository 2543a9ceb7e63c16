/* base-image-test.c: HeroVirtBaseImageBuilder against a local HTTP server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An in-process SoupServer on 127.0.0.1 (in its own thread, over HTTPS with
 * a self-signed certificate made by openssl, given to the builder as its
 * CA) serves a small
 * qcow2 image made by qemu-img and SHA256SUMS files: right, wrong, in both
 * line forms, and a transfer that the server cuts short.
 */
#include <string.h>

#include <glib/gstdio.h>
#include <hero-virt.h>
#include <libsoup/soup.h>

#include "testlib.h"

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  GBytes       *image;
  char         *sha256;
  guint16       port;
  gint          image_hits;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
} Server;

static Server server;
static char  *work_dir;
static char  *ca_file;

static void
serve (SoupServer        *soup_server,
       SoupServerMessage *msg,
       const char        *path,
       GHashTable        *query,
       gpointer           user_data)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  const char *dir = g_strv_length (parts) == 3 ? parts[1] : "";
  const char *file = g_strv_length (parts) == 3 ? parts[2] : "";

  if (strcmp (file, "SHA256SUMS") == 0)
    {
      g_autofree char *body = NULL;

      if (strcmp (dir, "bad") == 0)
        body = g_strdup_printf ("%s *other.img\n%064d *test.img\n", server.sha256, 0);
      else if (strcmp (dir, "twospace") == 0)
        body = g_strdup_printf ("%s  test.img\n", server.sha256);
      else if (strcmp (dir, "unlisted") == 0)
        body = g_strdup_printf ("%s *other.img\n", server.sha256);
      else
        body = g_strdup_printf ("%064d *noble.img\n%s *test.img\n", 1, server.sha256);
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, body, strlen (body));
      return;
    }
  if (strcmp (file, "test.img") != 0)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  g_atomic_int_inc (&server.image_hits);
  if (strcmp (dir, "cut") == 0)
    {
      /* Promise the whole image, send half, hang up. */
      g_autoptr (GIOStream) stream = soup_server_message_steal_connection (msg);
      GOutputStream   *out = g_io_stream_get_output_stream (stream);
      g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: %" G_GSIZE_FORMAT
                                               "\r\nConnection: close\r\n\r\n",
                                               g_bytes_get_size (server.image));

      g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
      g_output_stream_write_all (out, g_bytes_get_data (server.image, NULL),
                                 g_bytes_get_size (server.image) / 2, NULL, NULL, NULL);
      g_io_stream_close (stream, NULL, NULL);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (server.image, NULL),
                                    g_bytes_get_size (server.image));
}

static gpointer
server_thread (gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSList) uris = NULL;

  g_main_context_push_thread_default (server.context);
  {
    g_autofree char *key = g_build_filename (work_dir, "key.pem", NULL);
    g_autoptr (GTlsCertificate) cert = g_tls_certificate_new_from_files (ca_file, key, &error);

    g_assert_no_error (error);
    server.server = soup_server_new ("tls-certificate", cert, NULL);
  }
  soup_server_add_handler (server.server, NULL, serve, NULL, NULL);
  soup_server_listen_local (server.server, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server.server);
  server.port = g_uri_get_port (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify)g_uri_unref);

  g_mutex_lock (&server.lock);
  server.ready = TRUE;
  g_cond_signal (&server.cond);
  g_mutex_unlock (&server.lock);

  g_main_loop_run (server.loop);
  soup_server_disconnect (server.server);
  g_clear_object (&server.server);
  g_main_context_pop_thread_default (server.context);
  return NULL;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (server.loop);
  return G_SOURCE_REMOVE;
}

static void
server_start (void)
{
  g_autofree char *img = g_build_filename (work_dir, "source.qcow2", NULL);
  const char      *create[] = { "qemu-img", "create", "-q", "-f", "qcow2", img, "64M", NULL };
  const char      *write[] = { "qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 1M 256k", img, NULL };
  char            *contents;
  gsize            len;

  g_autofree char *key = g_build_filename (work_dir, "key.pem", NULL);
  const char      *openssl[] = { "openssl",  "req",
                                 "-x509",    "-newkey",
                                 "rsa:2048", "-nodes",
                                 "-keyout",  key,
                                 "-out",     NULL,
                                 "-days",    "2",
                                 "-subj",    "/CN=127.0.0.1",
                                 "-addext",  "subjectAltName=IP:127.0.0.1",
                                 NULL };

  ca_file = g_build_filename (work_dir, "ca.pem", NULL);
  openssl[9] = ca_file;
  g_free (ht_run (openssl, FALSE));
  g_free (ht_run (create, FALSE));
  g_free (ht_run (write, FALSE));
  g_assert_true (g_file_get_contents (img, &contents, &len, NULL));
  server.image = g_bytes_new_take (contents, len);
  server.sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, server.image);

  g_mutex_init (&server.lock);
  g_cond_init (&server.cond);
  server.context = g_main_context_new ();
  server.loop = g_main_loop_new (server.context, FALSE);
  server.thread = g_thread_new ("http", server_thread, NULL);
  g_mutex_lock (&server.lock);
  while (!server.ready)
    g_cond_wait (&server.cond, &server.lock);
  g_mutex_unlock (&server.lock);
}

static void
server_stop (void)
{
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, quit_loop, NULL, NULL);
  g_source_attach (source, server.context);
  g_source_unref (source);
  g_thread_join (server.thread);
  g_main_loop_unref (server.loop);
  g_main_context_unref (server.context);
  g_bytes_unref (server.image);
  g_free (server.sha256);
  g_mutex_clear (&server.lock);
  g_cond_clear (&server.cond);
}

static char *
url_for (const char *dir)
{
  return g_strdup_printf ("https://127.0.0.1:%u/%s/test.img", server.port, dir);
}

static char *
fresh_dir (const char *name)
{
  char *dir = g_build_filename (work_dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  return dir;
}

static guint
count_entries (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  if (d == NULL)
    return 0;
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
on_progress (HeroVirtProgress *progress, gpointer user_data)
{
  GPtrArray  *stages = user_data;
  const char *stage = hero_virt_progress_get_stage (progress);

  if (stage
      && (stages->len == 0 || strcmp (g_ptr_array_index (stages, stages->len - 1), stage) != 0))
    g_ptr_array_add (stages, g_strdup (stage));
}

static HeroVirtBaseImageBuilder *
builder_for (const char *dir_name, const char *dest, guint64 size)
{
  g_autofree char *url = url_for (dir_name);

  return hero_virt_base_image_builder_set_tls_ca_file (
      hero_virt_base_image_builder_set_size (
          hero_virt_base_image_builder_set_dest_dir (
              hero_virt_base_image_builder_set_url (hero_virt_base_image_builder_new (), url),
              dest),
          size),
      ca_file);
}

static void
assert_base_image (HeroVirtBaseImageResult *result, guint64 size)
{
  g_autoptr (HeroVirtDisk) disk
      = hero_virt_disk_new (hero_virt_base_image_result_get_path (result));
  g_autoptr (HeroVirtDiskInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMappedFile) download = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *sum = NULL;

  info = hero_virt_disk_info (disk, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_disk_info_get_format (info), ==, "qcow2");
  g_assert_cmpuint (hero_virt_disk_info_get_virtual_size (info), ==, size);
  g_assert_nonnull (hero_virt_disk_info_find_snapshot (
      info, hero_virt_base_image_result_get_snapshot_name (result)));
  g_assert_cmpstr (hero_virt_base_image_result_get_path (result), !=,
                   hero_virt_base_image_result_get_download_path (result));

  /* The download is exactly what was published. */
  download
      = g_mapped_file_new (hero_virt_base_image_result_get_download_path (result), FALSE, &error);
  g_assert_no_error (error);
  bytes = g_mapped_file_get_bytes (download);
  sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_assert_cmpstr (sum, ==, server.sha256);
  g_assert_cmpstr (hero_virt_base_image_result_get_sha256 (result), ==, server.sha256);
}

static void
test_good_then_cached (void)
{
  g_autofree char *dest = fresh_dir ("good");
  g_autoptr (HeroVirtBaseImageBuilder) builder = builder_for ("good", dest, 128 << 20);
  g_autoptr (HeroVirtProgress) progress = hero_virt_progress_new ();
  g_autoptr (GPtrArray) stages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (HeroVirtBaseImageResult) result = NULL;
  g_autoptr (HeroVirtBaseImageResult) again = NULL;
  g_autoptr (GError) error = NULL;
  const char *expected[] = { "verify", "download", "verify", "copy", "resize", "snapshot", "done" };
  gint        hits;

  if (!ht_require_program ("qemu-img"))
    return;
  g_signal_connect (progress, "changed", G_CALLBACK (on_progress), stages);
  hits = g_atomic_int_get (&server.image_hits);
  result = hero_virt_base_image_builder_build (builder, progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hero_virt_base_image_result_get_downloaded (result));
  g_assert_cmpuint (hero_virt_base_image_result_get_resized_to (result), ==, 128 << 20);
  g_assert_cmpstr (hero_virt_base_image_result_get_snapshot_name (result), ==, "base");
  g_assert_cmpint (g_atomic_int_get (&server.image_hits), ==, hits + 1);
  assert_base_image (result, 128 << 20);
  g_assert_cmpuint (stages->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (stages, i), ==, expected[i]);
  g_assert_cmpuint (count_entries (dest), ==, 2); /* download + base image */

  /* Second run: verified download reused, base image rebuilt. */
  again = hero_virt_base_image_builder_build (builder, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (hero_virt_base_image_result_get_downloaded (again));
  g_assert_cmpint (g_atomic_int_get (&server.image_hits), ==, hits + 1);
  assert_base_image (again, 128 << 20);
  g_assert_cmpuint (count_entries (dest), ==, 2);
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Waiter;

static void
on_built (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Waiter *w = user_data;

  w->result = g_object_ref (res);
  g_main_loop_quit (w->loop);
}

static void
test_async (void)
{
  g_autofree char *dest = fresh_dir ("async");
  g_autoptr (HeroVirtBaseImageBuilder) builder = builder_for ("twospace", dest, 0);
  g_autoptr (HeroVirtBaseImageResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtProgress) progress = hero_virt_progress_new ();
  g_autoptr (GPtrArray) stages = g_ptr_array_new_with_free_func (g_free);
  Waiter w = { g_main_loop_new (NULL, FALSE), NULL };

  if (!ht_require_program ("qemu-img"))
    return;
  g_signal_connect (progress, "changed", G_CALLBACK (on_progress), stages);
  hero_virt_base_image_builder_set_snapshot_name (builder, "pristine");
  hero_virt_base_image_builder_build_async (builder, progress, NULL, on_built, &w);
  g_main_loop_run (w.loop);
  result = hero_virt_base_image_builder_build_finish (builder, w.result, &error);
  g_assert_no_error (error);
  g_assert_true (hero_virt_base_image_result_get_downloaded (result));
  g_assert_cmpuint (hero_virt_base_image_result_get_resized_to (result), ==, 0);
  assert_base_image (result, 64 << 20);
  g_assert_cmpstr (hero_virt_base_image_result_get_snapshot_name (result), ==, "pristine");

  /* Progress came to this thread's main context; let it drain. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (stages->len, >=, 4);
  g_assert_cmpstr (g_ptr_array_index (stages, stages->len - 1), ==, "done");

  g_object_unref (w.result);
  g_main_loop_unref (w.loop);
}

static void
assert_fails_leaving_nothing (const char *dir_name, int code)
{
  g_autofree char *dest = fresh_dir (dir_name);
  g_autoptr (HeroVirtBaseImageBuilder) builder = builder_for (dir_name, dest, 0);
  g_autoptr (HeroVirtBaseImageResult) result = NULL;
  g_autoptr (GError) error = NULL;

  if (!ht_require_program ("qemu-img"))
    return;
  result = hero_virt_base_image_builder_build (builder, NULL, NULL, &error);
  g_assert_error (error, HERO_VIRT_ERROR, code);
  g_assert_null (result);
  g_assert_cmpuint (count_entries (dest), ==, 0);
}

static void
test_wrong_checksum (void)
{
  assert_fails_leaving_nothing ("bad", HERO_VIRT_ERROR_CHECKSUM);
}

static void
test_unlisted (void)
{
  assert_fails_leaving_nothing ("unlisted", HERO_VIRT_ERROR_CHECKSUM);
}

static void
test_interrupted (void)
{
  assert_fails_leaving_nothing ("cut", HERO_VIRT_ERROR_NETWORK);
}

static void
test_not_found (void)
{
  g_autofree char *dest = fresh_dir ("nf");
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/nf/SHA256SUMS/x", server.port);
  g_autoptr (HeroVirtBaseImageBuilder) builder = hero_virt_base_image_builder_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtBaseImageResult) result = NULL;

  if (!ht_require_program ("qemu-img"))
    return;
  hero_virt_base_image_builder_set_dest_dir (hero_virt_base_image_builder_set_url (builder, url),
                                             dest);
  hero_virt_base_image_builder_set_tls_ca_file (builder, ca_file);
  result = hero_virt_base_image_builder_build (builder, NULL, NULL, &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
  g_assert_cmpuint (count_entries (dest), ==, 0);
}

static void
test_defaults_and_bad_input (void)
{
  g_autoptr (HeroVirtBaseImageBuilder) builder = hero_virt_base_image_builder_new ();
  g_autoptr (HeroVirtBaseImageResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dest = fresh_dir ("bad-input");

  g_assert_cmpstr (hero_virt_base_image_builder_get_url (builder), ==,
                   "https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img");
  g_assert_null (hero_virt_base_image_builder_get_checksums_url (builder));
  g_assert_cmpstr (hero_virt_base_image_builder_get_snapshot_name (builder), ==, "base");
  g_assert_cmpuint (hero_virt_base_image_builder_get_size (builder), ==, 0);
  g_assert_true (hero_virt_base_image_builder_get_tls_verify (builder));

  hero_virt_base_image_builder_set_dest_dir (builder, dest);
  hero_virt_base_image_builder_set_url (builder, "file:///etc/passwd");
  result = hero_virt_base_image_builder_build (builder, NULL, NULL, &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  hero_virt_base_image_builder_set_url (builder, "http://127.0.0.1:1/x.img");
  hero_virt_base_image_builder_set_snapshot_name (builder, "-evil");
  result = hero_virt_base_image_builder_build (builder, NULL, NULL, &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (count_entries (dest), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_autofree char *qemu_img = g_find_program_in_path ("qemu-img");
  int              ret;

  g_test_init (&argc, &argv, NULL);
  work_dir = ht_tmpdir_new ("base-image-test");
  if (qemu_img != NULL)
    server_start ();

  g_test_add_func ("/base-image/defaults-and-bad-input", test_defaults_and_bad_input);
  g_test_add_func ("/base-image/good-then-cached", test_good_then_cached);
  g_test_add_func ("/base-image/async-two-space-sums", test_async);
  g_test_add_func ("/base-image/wrong-checksum", test_wrong_checksum);
  g_test_add_func ("/base-image/not-listed", test_unlisted);
  g_test_add_func ("/base-image/interrupted", test_interrupted);
  g_test_add_func ("/base-image/not-found", test_not_found);
  ret = g_test_run ();

  if (server.thread != NULL)
    server_stop ();
  ht_tmpdir_free (work_dir);
  g_free (ca_file);
  return ret;
}
