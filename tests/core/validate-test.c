/* validate-test.c: the validators of hero-virt-validate.h and the one
 * message they all write
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "testlib.h"

static void
assert_invalid (GError **error, const char *message)
{
  g_assert_error (*error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  if (message != NULL)
    g_assert_cmpstr ((*error)->message, ==, message);
  g_clear_error (error);
}

static void
test_message (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (hero_virt_set_invalid_argument (&error, "port", "80\n", "use a number"));
  assert_invalid (&error, "Invalid port “80\\n”: use a number");
  g_assert_false (hero_virt_set_invalid_argument (&error, "name", "\xff", "bad"));
  assert_invalid (&error, "Invalid name “(not UTF-8)”: bad");
  g_assert_false (hero_virt_set_invalid_argument (&error, "name", NULL, "it is empty"));
  assert_invalid (&error, "Invalid name “”: it is empty");
}

static void
test_text (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (hero_virt_validate_text ("label", NULL, &error));
  g_assert_true (hero_virt_validate_text ("label", "grüße, world", &error));
  g_assert_no_error (error);
  g_assert_false (hero_virt_validate_text ("label", "a\tb", &error));
  assert_invalid (&error, "Invalid label “a\\tb”: control characters are not allowed");
  g_assert_false (hero_virt_validate_text ("label", "a\x7f", &error));
  assert_invalid (&error, NULL);
  g_assert_false (hero_virt_validate_text ("label", "\xc3", &error));
  assert_invalid (&error, "Invalid label “(not UTF-8)”: it is not UTF-8");
}

static void
test_names (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  g_assert_true (hero_virt_validate_image_reference ("127.0.0.1:5000/team/app:1", NULL));
  g_assert_false (hero_virt_validate_image_reference ("--privileged", &error));
  assert_invalid (&error, "Invalid image reference “--privileged”: it must not start with “-”");
  g_assert_true (hero_virt_validate_container_name ("web-1", NULL));
  g_assert_false (hero_virt_validate_container_name ("-web", &error));
  assert_invalid (&error, NULL);
  g_assert_true (hero_virt_validate_snapshot_name ("before upgrade", NULL));
  g_assert_false (hero_virt_validate_snapshot_name ("-x", &error));
  assert_invalid (&error, NULL);

  path = hero_virt_resolve_host_path ("/ctx", "a/./b/../c", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, "/ctx/a/c");
  g_assert_null (hero_virt_resolve_host_path ("/ctx", "../etc", &error));
  assert_invalid (&error, "Invalid path “../etc”: it leaves its directory through “..”");
}

static void
test_kube (void)
{
  static const char *const good_labels[] = { "",
                                             "app",
                                             "!canary",
                                             "app=web",
                                             "app==web",
                                             "app!=web",
                                             "tier in (front, back)",
                                             "tier notin (db)",
                                             "app.kubernetes.io/name=web,tier in (front)" };
  static const char *const bad_labels[]
      = { "app=we b", "=web", "tier in front", "app=web!", "Bad/x" };
  static const char *const good_fields[] = { "", "status.phase=Running", "metadata.name!=web" };
  static const char *const bad_fields[] = { "phase", "=x", "a!x" };
  g_autoptr (GError) error = NULL;

  g_assert_false (hero_virt_kube_validate_dns1123_label ("Web", &error));
  g_assert_true (g_str_has_prefix (error->message, "Invalid RFC 1123 label “Web”: "));
  g_clear_error (&error);
  for (guint i = 0; i < G_N_ELEMENTS (good_labels); i++)
    {
      hero_virt_kube_validate_label_selector (good_labels[i], &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_labels); i++)
    {
      g_assert_false (hero_virt_kube_validate_label_selector (bad_labels[i], &error));
      g_assert_true (g_str_has_prefix (error->message, "Invalid label selector requirement “"));
      assert_invalid (&error, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good_fields); i++)
    {
      hero_virt_kube_validate_field_selector (good_fields[i], &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_fields); i++)
    {
      g_assert_false (hero_virt_kube_validate_field_selector (bad_fields[i], &error));
      assert_invalid (&error, NULL);
    }
}

/* A trailing newline passes no validator ($ of GRegex matches before a
 * final newline unless told otherwise). */
static void
test_trailing_newline (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (hero_virt_validate_size ("memory limit", "512m", NULL));
  g_assert_false (hero_virt_validate_size ("memory limit", "512m\n", &error));
  assert_invalid (&error, "Invalid memory limit “512m\\n”: use a size such as 512m or 1g");
  g_assert_false (hero_virt_validate_size ("memory limit", "-1", &error));
  assert_invalid (&error, NULL);
  g_assert_false (hero_virt_validate_size ("memory limit", " 1g", &error));
  assert_invalid (&error, NULL);

  g_assert_false (hero_virt_validate_container_name ("host\n", &error));
  assert_invalid (&error, NULL);
  g_assert_false (hero_virt_validate_image_reference ("localhost/web:1\n", &error));
  assert_invalid (&error, NULL);
  g_assert_false (hero_virt_validate_env_name ("PATH\n", &error));
  assert_invalid (&error, NULL);
}

static void
test_env_name (void)
{
  static const char *const good[] = { "A", "_", "PATH", "my_var2", "_X9" };
  static const char *const bad[]
      = { "", "9A", "-Secho INJECTED #", "A=B", "A B", "A-B", "Ä", "A;B", "A\tB" };
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (hero_virt_validate_env_name (good[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (hero_virt_validate_env_name (bad[i], &error));
      assert_invalid (&error, NULL);
    }
  g_assert_false (hero_virt_validate_env_name (NULL, &error));
  assert_invalid (&error, NULL);
}

static void
test_single_line (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (hero_virt_validate_single_line ("health check command",
                                                 "wget -q -O- http://127.0.0.1/ || exit 1", NULL));
  g_assert_false (
      hero_virt_validate_single_line ("health check command", "true\nrm -rf /", &error));
  assert_invalid (&error,
                  "Invalid health check command “true\\nrm -rf /”: it must be a single line");
  g_assert_false (hero_virt_validate_single_line ("health check command", "true\r", &error));
  assert_invalid (&error, NULL);
  g_assert_false (hero_virt_validate_single_line ("health check command", "", &error));
  assert_invalid (&error, NULL);
}

static void
test_device (void)
{
  static const char *const good[] = { "/dev/fuse", "/dev/net/tun", "/dev/sda:/dev/xvda",
                                      "/dev/sda:/dev/xvda:rw", "/dev/kvm:rwm" };
  static const char *const bad[] = { "/dev/../etc/shadow",
                                     "/dev/./sda",
                                     "/dev//sda",
                                     "/dev/",
                                     "/etc/shadow",
                                     "/dev/sda:/dev/../etc/passwd",
                                     "/dev/sda:rwx",
                                     "/dev/sda:/dev/xvda:",
                                     "/dev/sda\n",
                                     "dev/sda",
                                     "/dev/sda:/dev/sdb:rw:x" };
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      hero_virt_validate_device (good[i], &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (hero_virt_validate_device (bad[i], &error));
      assert_invalid (&error, NULL);
    }
}

static void
test_json_untrusted (void)
{
  gsize            n = 100000;
  g_autofree char *deep = g_malloc (2 * n + 1);
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) error = NULL;
  const char *ok = "{\"a\": [1, {\"b\": \"[[[[{{\\\"\"}], \"c\": null}";

  /* 100 000 levels: json-glib alone would overflow its stack. */
  memset (deep, '[', n);
  memset (deep + n, ']', n);
  deep[2 * n] = '\0';
  node = hero_virt_json_parse_untrusted ((const guint8 *)deep, 2 * n, 0, 0, &error);
  g_assert_null (node);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "deeper than 128 levels"));
  g_clear_error (&error);

  /* Brackets inside strings do not count; the depth limit is exact. */
  node = hero_virt_json_parse_untrusted ((const guint8 *)ok, strlen (ok), 3, 0, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_clear_pointer (&node, json_node_unref);
  node = hero_virt_json_parse_untrusted ((const guint8 *)ok, strlen (ok), 2, 0, &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* Size, then syntax. */
  node = hero_virt_json_parse_untrusted ((const guint8 *)ok, strlen (ok), 0, 10, &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
  g_clear_error (&error);
  node = hero_virt_json_parse_untrusted ((const guint8 *)"{\"a\":", 5, 0, 0, &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
  g_clear_error (&error);
  node = hero_virt_json_parse_untrusted ((const guint8 *)"", 0, 0, 0, &error);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE);
  g_clear_error (&error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/message", test_message);
  g_test_add_func ("/validate/text", test_text);
  g_test_add_func ("/validate/names", test_names);
  g_test_add_func ("/validate/kube", test_kube);
  g_test_add_func ("/validate/trailing-newline", test_trailing_newline);
  g_test_add_func ("/validate/env-name", test_env_name);
  g_test_add_func ("/validate/single-line", test_single_line);
  g_test_add_func ("/validate/device", test_device);
  g_test_add_func ("/validate/json-untrusted", test_json_untrusted);

  return g_test_run ();
}
