/* k8s-http-unit.c: the answer parser of the k8s plugin's own HTTP/1.1
 * client, on its own (no server): lengths, chunks, the end of the
 * connection, 1xx answers, and answers a hostile server could send; and
 * its JSON parser against json-glib's
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include <hero-virt.h>

#include "k8s-http.h"
#include "k8s-json.h"

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

/* ---- JSON ---------------------------------------------------------------- */

static void
test_json_same_as_json_glib (void)
{
  static const char *const docs[] = {
    "{}",
    "[]",
    " \t\r\n{ \"a\" : 1 , \"b\":[ true,false ,null ] }\n",
    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"zz\","
    "\"namespace\":\"default\",\"managedFields\":[{\"manager\":\"unknown\",\"fieldsV1\":"
    "{\"f:data\":{\"f:key\":{}}}}],\"resourceVersion\":\"2619\"},\"data\":{\"key\":\"value\"}}",
    "\"just a string\"",
    "\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u20ac \\ud83d\\ude00 end\"",
    "\"utf-8 as is: \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
    "[0, -0, 1, -1, 42, 9007199254740993, -9223372036854775808, 9223372036854775807]",
    "[1.5, -0.25, 1e3, 1E-3, 2.5e+10, 0.0, 1.0]",
    "{\"dup\":1,\"dup\":2}",
    "[[[[[[[[[[{\"deep\":[[]]}]]]]]]]]]]",
    "{\"\":\"empty name\",\"x\":\"\"}",
    "true",
    "null",
    "-12.5e-1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (JsonNode) ours = k8s_json_parse (docs[i], strlen (docs[i]), &error);
      g_autofree char *ours_text = NULL, *theirs_text = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (ours);
      g_assert_true (json_parser_load_from_data (parser, docs[i], -1, NULL));
      ours_text = json_to_string (ours, FALSE);
      theirs_text = json_to_string (json_parser_get_root (parser), FALSE);
      g_assert_cmpstr (ours_text, ==, theirs_text);
      g_assert_true (json_node_equal (ours, json_parser_get_root (parser)));
    }
}

static void
test_json_big_integer (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = k8s_json_parse ("[99999999999999999999]", 22, &error);
  JsonNode *v;

  /* json-glib wraps it around (to -1); a double is nearer */
  g_assert_no_error (error);
  v = json_array_get_element (json_node_get_array (node), 0);
  g_assert_cmpint (json_node_get_value_type (v), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (v), ==, 1e20);
}

static void
test_json_invalid (void)
{
  static const char *const docs[] = {
    "",
    "   ",
    "{",
    "}",
    "[1,]",
    "[1 2]",
    "{\"a\"}",
    "{\"a\":}",
    "{\"a\":1,}",
    "{a:1}",
    "{\"a\":1} x",
    "[01]",
    "[1.]",
    "[.5]",
    "[1e]",
    "[-]",
    "[+1]",
    "[tru]",
    "[nul]",
    "[\"unterminated]",
    "[\"bad \\x escape\"]",
    "[\"\\u12\"]",
    "[\"\\ud800\"]",
    "[\"\\udc00\"]",
    "[\"\\ud800\\u0041\"]",
    "[\"\\u0000\"]",
    "[\"tab\tinside\"]",
    "[\"\xff not utf-8\"]",
    "[NaN]",
    "// comment\n{}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) node = k8s_json_parse (docs[i], strlen (docs[i]), &error);

      if (node != NULL)
        g_error ("parsed what is not JSON: %s", docs[i]);
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
    }
  {
    /* a NUL byte inside */
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonNode) node = k8s_json_parse ("[\"a\0b\"]", 7, &error);

    g_assert_null (node);
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
  }
}

static void
test_json_depth (void)
{
  g_autoptr (GString) ok = g_string_new (NULL);
  g_autoptr (GString) deep = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) too_deep = NULL;

  for (guint i = 0; i < K8S_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, '[');
  for (guint i = 0; i < K8S_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, ']');
  node = k8s_json_parse (ok->str, ok->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  /* far deeper than the stack would take */
  for (guint i = 0; i < 200000; i++)
    g_string_append (deep, "{\"a\":[");
  too_deep = k8s_json_parse (deep->str, deep->len, &error);
  g_assert_null (too_deep);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
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
  g_test_add_func ("/k8s-json/same-as-json-glib", test_json_same_as_json_glib);
  g_test_add_func ("/k8s-json/big-integer", test_json_big_integer);
  g_test_add_func ("/k8s-json/invalid", test_json_invalid);
  g_test_add_func ("/k8s-json/depth", test_json_depth);
  return g_test_run ();
}
