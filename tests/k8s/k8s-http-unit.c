/* k8s-http-unit.c: the answer parser of the k8s plugin's own HTTP/1.1
 * client, on its own (no server): lengths, chunks, the end of the
 * connection, 1xx answers, and answers a hostile server could send
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "k8s-http.h"

static GBytes *
parse (const char *text,
       gboolean    head,
       guint      *status,
       char      **retry_after,
       gboolean   *keep_alive,
       GError    **error)
{
  return k8s_http_parse_response (text, strlen (text), head, status, retry_after, keep_alive,
                                  error);
}

static void
assert_body (GBytes *b, const char *want)
{
  g_assert_nonnull (b);
  g_assert_cmpmem (g_bytes_get_data (b, NULL), g_bytes_get_size (b), want, strlen (want));
}

static void
test_content_length (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *retry_after = NULL;
  guint            status = 0;
  gboolean         keep_alive = FALSE;
  g_autoptr (GBytes) b = parse ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                "Content-Length: 7\r\n\r\n{\"a\":1}",
                                FALSE, &status, &retry_after, &keep_alive, &error);

  g_assert_no_error (error);
  assert_body (b, "{\"a\":1}");
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (keep_alive);
  g_assert_null (retry_after);
}

static void
test_chunked (void)
{
  g_autoptr (GError) error = NULL;
  guint    status = 0;
  gboolean keep_alive = FALSE;
  g_autoptr (GBytes) b
      = parse ("HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n"
               "4\r\n{\"a\"\r\na;ext=1\r\n:[1,2,3]}\n\r\n0\r\nX-Trailer: t\r\n\r\n",
               FALSE, &status, NULL, &keep_alive, &error);

  g_assert_no_error (error);
  assert_body (b, "{\"a\":[1,2,3]}\n");
  g_assert_cmpuint (status, ==, 201);
  g_assert_true (keep_alive);
}

static void
test_status_and_headers (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *retry_after = NULL;
  guint            status = 0;
  gboolean         keep_alive = TRUE;
  g_autoptr (GBytes) b
      = parse ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 429 Too Many Requests\r\nRetry-After:  2\r\n"
               "Connection: close\r\nContent-Length: 2\r\n\r\n{}",
               FALSE, &status, &retry_after, &keep_alive, &error);

  g_assert_no_error (error);
  assert_body (b, "{}");
  g_assert_cmpuint (status, ==, 429);
  g_assert_cmpstr (retry_after, ==, "2");
  g_assert_false (keep_alive);
}

static void
test_no_body (void)
{
  g_autoptr (GError) error = NULL;
  guint    status = 0;
  gboolean keep_alive = FALSE;
  g_autoptr (GBytes) b204
      = parse ("HTTP/1.1 204 No Content\r\n\r\n", FALSE, &status, NULL, &keep_alive, &error);
  g_autoptr (GBytes) head = NULL;
  g_autoptr (GBytes) to_end = NULL;

  g_assert_no_error (error);
  assert_body (b204, "");
  g_assert_true (keep_alive);
  /* HEAD: the length is what a GET would have had */
  head = parse ("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", TRUE, &status, NULL, &keep_alive,
                &error);
  g_assert_no_error (error);
  assert_body (head, "");
  /* neither length nor chunks: up to the end of the connection */
  to_end = parse ("HTTP/1.0 200 OK\r\n\r\nall of it", FALSE, &status, NULL, &keep_alive, &error);
  g_assert_no_error (error);
  assert_body (to_end, "all of it");
  g_assert_false (keep_alive);
}

static void
test_http10_keep_alive (void)
{
  g_autoptr (GError) error = NULL;
  guint    status = 0;
  gboolean keep_alive = FALSE;
  g_autoptr (GBytes) b
      = parse ("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", FALSE,
               &status, NULL, &keep_alive, &error);

  g_assert_no_error (error);
  g_assert_true (keep_alive);
}

static void
test_leftover_closes (void)
{
  g_autoptr (GError) error = NULL;
  guint    status = 0;
  gboolean keep_alive = TRUE;
  g_autoptr (GBytes) b = parse ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}junk", FALSE,
                                &status, NULL, &keep_alive, &error);

  g_assert_no_error (error);
  assert_body (b, "{}");
  /* bytes nobody asked for: the connection is not used again */
  g_assert_false (keep_alive);
}

static void
test_truncated (void)
{
  static const char *const cases[] = {
    "",
    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{}",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      guint    status = 0;
      gboolean keep_alive = FALSE;
      g_autoptr (GBytes) b = parse (cases[i], FALSE, &status, NULL, &keep_alive, &error);

      g_assert_null (b);
      g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
                     || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED));
    }
}

static void
test_hostile (void)
{
  g_autoptr (GString) long_head = g_string_new ("HTTP/1.1 200 OK\r\n");
  const char *const cases[] = {
    "SSH-2.0-OpenSSH_9.2\r\n\r\n",
    "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n",
    "HTTP/1.1 99 Odd\r\nContent-Length: 0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 0\r\n\r\n",
    "HTTP/1.1 101 Switching Protocols\r\n\r\n",
    NULL, /* the long head, below */
  };

  while (long_head->len < 70 * 1024)
    g_string_append (long_head, "X-Filler: 0123456789012345678901234567890123456789\r\n");
  g_string_append (long_head, "\r\n");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      guint    status = 0;
      gboolean keep_alive = FALSE;
      int      want;
      g_autoptr (GBytes) b
          = parse (cases[i] ? cases[i] : long_head->str, FALSE, &status, NULL, &keep_alive, &error);

      g_assert_null (b);
      want = strstr (cases[i] ? cases[i] : "", "ncoding: gzip") ? SOUP_SESSION_ERROR_ENCODING
                                                                : SOUP_SESSION_ERROR_PARSING;
      g_assert_error (error, SOUP_SESSION_ERROR, want);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/k8s-http/content-length", test_content_length);
  g_test_add_func ("/k8s-http/chunked", test_chunked);
  g_test_add_func ("/k8s-http/status-and-headers", test_status_and_headers);
  g_test_add_func ("/k8s-http/no-body", test_no_body);
  g_test_add_func ("/k8s-http/http10-keep-alive", test_http10_keep_alive);
  g_test_add_func ("/k8s-http/leftover-closes", test_leftover_closes);
  g_test_add_func ("/k8s-http/truncated", test_truncated);
  g_test_add_func ("/k8s-http/hostile", test_hostile);
  return g_test_run ();
}
