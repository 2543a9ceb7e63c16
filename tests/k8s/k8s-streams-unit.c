/* k8s-streams-unit.c: the channel.k8s.io framing of the k8s plugin and the
 * tar reader and writer of cp, on their own (no server)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hero-virt-error.h"
#include "hero-virt-kube-tar.h"
#include "k8s-stream.h"

/* ---- framing ----------------------------------------------------------- */

static void
test_frames (void)
{
  g_autoptr (GBytes) f = k8s_frame (K8S_CHANNEL_STDIN, "abc", 3);
  g_autoptr (GBytes) c = k8s_frame_close (K8S_CHANNEL_STDIN);
  g_autoptr (GBytes) empty = g_bytes_new (NULL, 0);
  const guint8 *data;
  gsize         len;
  guint8        ch;

  g_assert_cmpmem (g_bytes_get_data (f, NULL), g_bytes_get_size (f), "\0abc", 4);
  g_assert_cmpmem (g_bytes_get_data (c, NULL), g_bytes_get_size (c), "\xff\0", 2);
  g_assert_true (k8s_frame_parse (f, &ch, &data, &len));
  g_assert_cmpuint (ch, ==, 0);
  g_assert_cmpmem (data, len, "abc", 3);
  g_assert_false (k8s_frame_parse (empty, &ch, &data, &len));
}

static void
test_status (void)
{
  int         code = -1;
  char       *msg = NULL;
  const char *nonzero
      = "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with "
        "non-zero exit code\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":"
        "[{\"reason\":\"ExitCode\",\"message\":\"42\"}]}}";
  const char *failure = "{\"status\":\"Failure\",\"reason\":\"InternalError\",\"message\":\"exec: "
                        "\\\"nope\\\": executable file not found in $PATH\"}";

  g_assert_cmpint (k8s_exec_status_parse ("{\"status\":\"Success\"}", 20, &code, &msg), ==,
                   K8S_EXEC_STATUS_SUCCESS);
  g_assert_cmpint (code, ==, 0);
  g_assert_cmpint (k8s_exec_status_parse (nonzero, strlen (nonzero), &code, &msg), ==,
                   K8S_EXEC_STATUS_EXIT_CODE);
  g_assert_cmpint (code, ==, 42);
  g_assert_null (msg);
  g_assert_cmpint (k8s_exec_status_parse (failure, strlen (failure), &code, &msg), ==,
                   K8S_EXEC_STATUS_FAILURE);
  g_assert_nonnull (strstr (msg, "not found"));
  g_free (msg);
  /* an exit code that is not a number or out of range is no exit code */
  {
    const char *bad
        = "{\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":"
          "[{\"reason\":\"ExitCode\",\"message\":\"4x\"},{\"reason\":\"ExitCode\","
          "\"message\":\"300\"}]}}";
    g_assert_cmpint (k8s_exec_status_parse (bad, strlen (bad), &code, &msg), ==,
                     K8S_EXEC_STATUS_FAILURE);
    g_free (msg);
  }
  g_assert_cmpint (k8s_exec_status_parse ("not json", 8, &code, &msg), ==, K8S_EXEC_STATUS_INVALID);
  g_assert_cmpint (k8s_exec_status_parse ("[1]", 3, &code, &msg), ==, K8S_EXEC_STATUS_INVALID);
  g_assert_cmpint (k8s_exec_status_parse ("{}", 2, &code, &msg), ==, K8S_EXEC_STATUS_INVALID);
}

static void
test_port_prefix (void)
{
  const guint8  msg[] = { 0x50, 0x1f, 'h', 'i' }; /* 8016 */
  const guint8 *p = msg;
  gsize         len = sizeof msg;

  g_assert_false (k8s_port_prefix_strip (&p, &len, 8080));
  g_assert_true (k8s_port_prefix_strip (&p, &len, 8016));
  g_assert_cmpmem (p, len, "hi", 2);
  p = msg;
  len = 1;
  g_assert_false (k8s_port_prefix_strip (&p, &len, 8016));
}

static void
test_query (void)
{
  const char      *argv[] = { "sh", "-c", "echo a&b=c d", NULL };
  g_autofree char *q = k8s_exec_query (argv, "main", TRUE, TRUE, FALSE);

  g_assert_cmpstr (q, ==,
                   "command=sh&command=-c&command=echo%20a%26b%3Dc%20d&container=main&stdin=true&"
                   "stdout=true&stderr=true&tty=false");
}

static void
test_query_tty (void)
{
  const char      *argv[] = { "sh", NULL };
  g_autofree char *q = k8s_exec_query (argv, NULL, FALSE, TRUE, TRUE);
  g_autofree char *resize = k8s_resize_message (132, 43);

  /* with a terminal the runtime merges stderr: it is never asked for */
  g_assert_cmpstr (q, ==, "command=sh&stdin=false&stdout=true&stderr=false&tty=true");
  g_assert_cmpstr (resize, ==, "{\"Width\":132,\"Height\":43}");
}

/* ---- tar --------------------------------------------------------------- */

/* One ustar header and its data, by hand. */
static void
add_member (GByteArray *out,
            const char *name,
            char        type,
            const char *link,
            const char *data,
            guint       mode)
{
  guint8 h[512] = { 0 };
  gsize  len = data ? strlen (data) : 0;
  guint  sum = 0;

  strncpy ((char *)h, name, 100);
  g_snprintf ((char *)h + 100, 8, "%07o", mode);
  g_snprintf ((char *)h + 108, 8, "%07o", 0);
  g_snprintf ((char *)h + 116, 8, "%07o", 0);
  g_snprintf ((char *)h + 124, 12, "%011o", (guint)len);
  g_snprintf ((char *)h + 136, 12, "%011o", 1700000000u);
  h[156] = (guint8)type;
  if (link)
    strncpy ((char *)h + 157, link, 100);
  memcpy (h + 257,
          "ustar\0"
          "00",
          8);
  memset (h + 148, ' ', 8);
  for (int i = 0; i < 512; i++)
    sum += h[i];
  g_snprintf ((char *)h + 148, 8, "%06o", sum);
  g_byte_array_append (out, h, 512);
  if (len)
    {
      static const guint8 zero[512];
      g_byte_array_append (out, (const guint8 *)data, len);
      g_byte_array_append (out, zero, (512 - len % 512) % 512);
    }
}

static GBytes *
finish (GByteArray *out)
{
  static const guint8 zero[1024];

  g_byte_array_append (out, zero, sizeof zero);
  return g_byte_array_free_to_bytes (out);
}

static gboolean
dir_is_empty (const char *path)
{
  g_autoptr (GDir) d = g_dir_open (path, 0, NULL);

  return d != NULL && g_dir_read_name (d) == NULL;
}

static void
test_tar_roundtrip (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("tar-unit-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (tmp, "src", NULL);
  g_autofree char *sub = g_build_filename (src, "sub", NULL);
  g_autofree char *longname = g_strnfill (180, 'n');
  g_autofree char *p_exec = g_build_filename (src, "run.sh", NULL);
  g_autofree char *p_long = g_build_filename (sub, longname, NULL);
  g_autofree char *p_link = g_build_filename (src, "link", NULL);
  g_autofree char *dest = g_build_filename (tmp, "dest", NULL);
  g_autofree char *got_exec = g_build_filename (dest, "renamed", "run.sh", NULL);
  g_autofree char *got_long = g_build_filename (dest, "renamed", "sub", longname, NULL);
  g_autofree char *got_link = g_build_filename (dest, "renamed", "link", NULL);
  g_autofree char *got_sub = g_build_filename (dest, "renamed", "sub", NULL);
  g_autofree char *target = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GBytes) archive = NULL;
  g_autoptr (GError) error = NULL;
  GStatBuf st;

  g_assert_no_errno (g_mkdir_with_parents (sub, 0750));
  g_assert_no_errno (g_mkdir (dest, 0700));
  g_assert_true (g_file_set_contents (p_exec, "#!/bin/sh\n", -1, NULL));
  g_assert_no_errno (g_chmod (p_exec, 0751));
  g_assert_true (g_file_set_contents (p_long, "long", -1, NULL));
  g_assert_no_errno (g_chmod (p_long, 0600));
  g_assert_no_errno (symlink ("sub", p_link));
  g_assert_no_errno (g_chmod (sub, 0750));

  archive = _hero_virt_tar_create (src, "src", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (_hero_virt_tar_extract (archive, dest, "src", "renamed", &error));
  g_assert_no_error (error);
  g_assert_no_errno (g_stat (got_exec, &st));
  g_assert_cmpint (st.st_mode & 07777, ==, 0751);
  g_assert_no_errno (g_stat (got_long, &st));
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_true (g_file_get_contents (got_long, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "long");
  g_assert_no_errno (g_stat (got_sub, &st));
  g_assert_cmpint (st.st_mode & 07777, ==, 0750);
  target = g_file_read_link (got_link, NULL);
  g_assert_cmpstr (target, ==, "sub");

  /* again: what is there is replaced, a link is replaced, not followed */
  g_assert_true (_hero_virt_tar_extract (archive, dest, "src", "renamed", &error));
  g_assert_no_error (error);

  /* the member must be under the copied name */
  g_assert_false (_hero_virt_tar_extract (archive, dest, "other", "x", &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
    g_assert_cmpint (system (cmd), ==, 0);
  }
}

static void
test_tar_hostile (void)
{
  struct
  {
    const char *what;
    const char *name, *link, *data;
    char        type;
  } cases[] = {
    { "dotdot", "../x", NULL, "evil", '0' },
    { "nested dotdot", "ok/../../x", NULL, "evil", '0' },
    { "absolute", "/tmp/hero-virt-tar-abs", NULL, "evil", '0' },
    { "symlink out", "l", "../..", NULL, '2' },
    { "absolute symlink", "l", "/etc", NULL, '2' },
    { "empty symlink", "l", "", NULL, '2' },
    { "hardlink out", "h", "/etc/passwd", NULL, '1' },
    { "hardlink dotdot", "h", "../x", NULL, '1' },
    { "hardlink to nothing", "h", "missing", NULL, '1' },
    { "device", "dev", NULL, NULL, '3' },
    { "fifo", "fifo", NULL, NULL, '6' },
  };
  g_autofree char *tmp = g_dir_make_tmp ("tar-hostile-XXXXXX", NULL);
  g_autofree char *dest = g_build_filename (tmp, "dest", NULL);

  g_assert_no_errno (g_mkdir (dest, 0700));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GByteArray *out = g_byte_array_new ();
      g_autoptr (GBytes) archive = NULL;
      g_autoptr (GError) error = NULL;

      g_test_message ("%s", cases[i].what);
      /* a harmless member first: nothing at all may be written */
      add_member (out, "first", '0', NULL, "fine", 0644);
      add_member (out, cases[i].name, cases[i].type, cases[i].link, cases[i].data, 0644);
      archive = finish (out);
      g_assert_false (_hero_virt_tar_extract (archive, dest, NULL, NULL, &error));
      g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
      g_assert_true (dir_is_empty (dest));
    }
  g_assert_false (g_file_test ("/tmp/hero-virt-tar-abs", G_FILE_TEST_EXISTS));

  /* a link inside, then a file through it: the link is allowed, but the
   * file would go through a link, which is never followed */
  {
    GByteArray *out = g_byte_array_new ();
    g_autoptr (GBytes) archive = NULL;
    g_autoptr (GError) error = NULL;
    g_autofree char *outside = g_build_filename (tmp, "x", NULL);

    add_member (out, "d/", '5', NULL, NULL, 0755);
    add_member (out, "d/l", '2', "..", NULL, 0777);
    add_member (out, "d/l/x", '0', NULL, "evil", 0644);
    archive = finish (out);
    g_assert_false (_hero_virt_tar_extract (archive, dest, NULL, NULL, &error));
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
    g_assert_false (g_file_test (outside, G_FILE_TEST_EXISTS));
  }

  /* a damaged checksum */
  {
    GByteArray *out = g_byte_array_new ();
    g_autoptr (GBytes) archive = NULL;
    g_autoptr (GError) error = NULL;

    add_member (out, "first", '0', NULL, "fine", 0644);
    out->data[0] ^= 1;
    archive = finish (out);
    g_assert_false (_hero_virt_tar_extract (archive, tmp, NULL, NULL, &error));
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
  }
  /* cut short */
  {
    GByteArray *out = g_byte_array_new ();
    g_autoptr (GBytes) archive = NULL;
    g_autoptr (GError) error = NULL;

    add_member (out, "first", '0', NULL, "fine", 0644);
    g_byte_array_set_size (out, 600);
    archive = g_byte_array_free_to_bytes (out);
    g_assert_false (_hero_virt_tar_extract (archive, tmp, NULL, NULL, &error));
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
  }
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
    g_assert_cmpint (system (cmd), ==, 0);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/k8s-streams/frames", test_frames);
  g_test_add_func ("/k8s-streams/status", test_status);
  g_test_add_func ("/k8s-streams/port-prefix", test_port_prefix);
  g_test_add_func ("/k8s-streams/query", test_query);
  g_test_add_func ("/k8s-streams/query-tty", test_query_tty);
  g_test_add_func ("/k8s-streams/tar/roundtrip", test_tar_roundtrip);
  g_test_add_func ("/k8s-streams/tar/hostile", test_tar_hostile);
  return g_test_run ();
}
