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

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/message", test_message);
  g_test_add_func ("/validate/text", test_text);
  g_test_add_func ("/validate/names", test_names);
  g_test_add_func ("/validate/kube", test_kube);

  return g_test_run ();
}
