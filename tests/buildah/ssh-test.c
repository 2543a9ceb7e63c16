/* ssh-test.c: HeroVirtSshExecutor against a real sshd on 127.0.0.1, and a
 * remote build through it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib/gstdio.h>
#include <unistd.h>

#include "fixture.h"

static HtSshd *sshd;
static char   *dir;

static HeroVirtSshExecutor *
connect_ok (void)
{
  return ht_sshd_executor (sshd, NULL);
}

static void
test_hostile_argv (void)
{
  g_autoptr (HeroVirtSshExecutor) ssh = connect_ok ();
  const char *hostile[] = { "printf",
                            "%s|",
                            "a b",
                            "'",
                            "\"",
                            "$(touch /tmp/hv-pwned)",
                            "`id`",
                            ";rm -rf /tmp/hv-x",
                            "line\nbreak",
                            "--flag",
                            "*",
                            "a'b\"c",
                            "",
                            "\\",
                            "$HOME",
                            "&& echo owned",
                            "|cat",
                            NULL };
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *quoted = NULL;

  for (guint i = 2; hostile[i] != NULL; i++)
    g_string_append_printf (expected, "%s|", hostile[i]);
  result = hero_virt_executor_run_argv (HERO_VIRT_EXECUTOR (ssh), hostile, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hero_virt_command_result_get_exit_status (result), ==, 0);
  g_assert_cmpstr (hero_virt_command_result_get_stdout_text (result), ==, expected->str);
  g_assert_false (g_file_test ("/tmp/hv-pwned", G_FILE_TEST_EXISTS));

  quoted = hero_virt_ssh_quote_argv ((const char *const[]){ "it's", "$x", NULL });
  g_assert_cmpstr (quoted, ==, "'it'\\''s' '$x'");
}

static void
test_stdin_status_stderr (void)
{
  g_autoptr (HeroVirtSshExecutor) ssh = connect_ok ();
  g_autoptr (HeroVirtCommand) command = hero_virt_command_new_argv (
      (const char *const[]){ "sh", "-c", "wc -c; echo to-stderr >&2; exit 5", NULL });
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *big = g_strnfill (300000, 'x');
  g_autofree char *desc = NULL;

  hero_virt_command_set_stdin_text (command, big);
  hero_virt_command_setenv (command, "HV_VAR", "it's set");
  result = hero_virt_executor_run (HERO_VIRT_EXECUTOR (ssh), command, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hero_virt_command_result_get_exit_status (result), ==, 5);
  g_assert_cmpstr (g_strstrip ((char *)hero_virt_command_result_get_stdout_text (result)), ==,
                   "300000");
  g_assert_cmpstr (hero_virt_command_result_get_stderr_text (result), ==, "to-stderr\n");
  g_assert_false (hero_virt_command_result_check (result, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_COMMAND_FAILED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Per-command environment and working directory. */
  g_clear_object (&command);
  command = hero_virt_command_new_argv (
      (const char *const[]){ "sh", "-c", "echo \"$HV_VAR\"; pwd", NULL });
  hero_virt_command_setenv (command, "HV_VAR", "it's set");
  hero_virt_command_set_cwd (command, "/tmp");
  result = hero_virt_executor_run (HERO_VIRT_EXECUTOR (ssh), command, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_command_result_get_stdout_text (result), ==, "it's set\n/tmp\n");

  desc = hero_virt_executor_get_description (HERO_VIRT_EXECUTOR (ssh));
  g_assert_true (g_str_has_prefix (desc, "ssh://"));
  g_assert_false (hero_virt_executor_is_local (HERO_VIRT_EXECUTOR (ssh)));
}

static void
test_host_key_checking (void)
{
  g_autoptr (HeroVirtSshExecutor) wrong = ht_sshd_executor (sshd, sshd->wrong_known_hosts);
  g_autoptr (HeroVirtSshExecutor) unknown = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *empty = g_build_filename (dir, "empty_known_hosts", NULL);

  result = hero_virt_executor_run_argv (HERO_VIRT_EXECUTOR (wrong),
                                        (const char *const[]){ "touch", "/tmp/hv-ran", NULL }, NULL,
                                        &error);
  g_assert_null (result);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_HOST_KEY);
  g_assert_nonnull (strstr (error->message, "does not match"));
  g_clear_error (&error);
  g_assert_false (g_file_test ("/tmp/hv-ran", G_FILE_TEST_EXISTS));

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  unknown = ht_sshd_executor (sshd, empty);
  g_assert_false (hero_virt_ssh_executor_connect (unknown, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_HOST_KEY);
  g_assert_nonnull (strstr (error->message, "unknown"));
  g_clear_error (&error);

  /* Only an explicit opt-out accepts an unverified key. */
  hero_virt_ssh_executor_set_verify_host_key (unknown, FALSE);
  g_assert_true (hero_virt_ssh_executor_connect (unknown, NULL, &error));
  g_assert_no_error (error);
}

static void
test_auth_refused (void)
{
  g_autoptr (HeroVirtSshExecutor) ssh = connect_ok ();
  g_autofree char *other = g_build_filename (sshd->dir, "other_key", NULL);
  g_autoptr (GError) error = NULL;

  hero_virt_ssh_executor_set_private_key_file (ssh, other);
  g_assert_false (hero_virt_ssh_executor_connect (ssh, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_AUTH);
}

static void
test_timeout_and_cancel (void)
{
  g_autoptr (HeroVirtSshExecutor) ssh = connect_ok ();
  /* Durations unique to this process, so that another run of this test on
   * the same machine is not counted. */
  g_autofree char *script
      = g_strdup_printf ("sleep 41.%d & sleep 42.%d", (int)getpid (), (int)getpid ());
  g_autofree char *count
      = g_strdup_printf ("pgrep -x sleep -a | grep -c 'sleep 4[12]\\.%d$' || true", (int)getpid ());
  g_autoptr (HeroVirtCommand) command
      = hero_virt_command_new_argv ((const char *const[]){ "sh", "-c", script, NULL });
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) error = NULL;

  hero_virt_command_set_timeout (command, 500);
  g_assert_null (hero_virt_executor_run (HERO_VIRT_EXECUTOR (ssh), command, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT);
  g_clear_error (&error);

  /* The whole remote process group is gone. */
  result = hero_virt_executor_run_argv (
      HERO_VIRT_EXECUTOR (ssh), (const char *const[]){ "sh", "-c", count, NULL }, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_command_result_get_stdout_text (result), ==, "0\n");
  g_clear_object (&result);

  g_cancellable_cancel (cancellable);
  hero_virt_command_set_timeout (command, 0);
  g_assert_null (hero_virt_executor_run (HERO_VIRT_EXECUTOR (ssh), command, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Unique to this process, so that another run of this test on the same
 * machine is neither waited for nor counted. */
static char started_path[64];
static char sleep_seconds[32];

static void
cancel_later (GTask *task, gpointer source, gpointer data, GCancellable *unused)
{
  /* Waits until the remote command has started. */
  while (!g_file_test (started_path, G_FILE_TEST_EXISTS))
    g_usleep (20000);
  g_cancellable_cancel (data);
  g_task_return_boolean (task, TRUE);
}

static void
async_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static void
test_cancel_running (void)
{
  g_autoptr (HeroVirtSshExecutor) ssh = connect_ok ();
  g_autofree char *script = NULL;
  g_autofree char *count = NULL;
  g_autoptr (HeroVirtCommand) command = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GTask) canceller = g_task_new (NULL, NULL, NULL, NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (HeroVirtCommandResult) check = NULL;
  g_autoptr (GError) error = NULL;

  g_snprintf (started_path, sizeof started_path, "/tmp/hv-ssh-started-%d", (int)getpid ());
  g_snprintf (sleep_seconds, sizeof sleep_seconds, "43.%d", (int)getpid ());
  script = g_strdup_printf ("touch %s; sleep %s", started_path, sleep_seconds);
  count = g_strdup_printf ("pgrep -x sleep -a | grep -c 'sleep %s$' || true", sleep_seconds);
  command = hero_virt_command_new_argv ((const char *const[]){ "sh", "-c", script, NULL });
  g_unlink (started_path);
  g_task_set_task_data (canceller, g_object_ref (cancellable), g_object_unref);
  hero_virt_executor_run_async (HERO_VIRT_EXECUTOR (ssh), command, cancellable, async_done,
                                &result);
  g_task_run_in_thread (canceller, cancel_later);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (hero_virt_executor_run_finish (HERO_VIRT_EXECUTOR (ssh), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_unlink (started_path);

  check = hero_virt_executor_run_argv (
      HERO_VIRT_EXECUTOR (ssh), (const char *const[]){ "sh", "-c", count, NULL }, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_command_result_get_stdout_text (check), ==, "0\n");
}

static void
test_sftp (void)
{
  g_autoptr (HeroVirtSshExecutor) ssh = connect_ok ();
  HeroVirtExecutor *ex = HERO_VIRT_EXECUTOR (ssh);
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = hero_virt_executor_make_temp_dir (ex, NULL, &error);
  g_autofree char *file = NULL;
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GBytes) back = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  guint8  *raw = g_malloc (200000);
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_cmpint (g_stat (tmp, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  for (guint i = 0; i < 200000; i++)
    raw[i] = (guint8)(i * 7);
  data = g_bytes_new_take (raw, 200000);
  file = g_build_filename (tmp, "blob", NULL);
  g_assert_true (hero_virt_executor_write_file (ex, file, data, 0640, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  back = hero_virt_executor_read_file (ex, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (data, back));
  /* A tree with a link pointing outside it: removed over SFTP, the link's
   * target left alone. */
  {
    g_autofree char *sub = g_build_filename (tmp, "a", "b", NULL);
    g_autofree char *outside = g_build_filename (dir, "outside.txt", NULL);
    g_autofree char *link = g_build_filename (tmp, "a", "link", NULL);
    g_assert_cmpint (g_mkdir_with_parents (sub, 0755), ==, 0);
    g_assert_true (g_file_set_contents (outside, "keep me", -1, NULL));
    g_assert_cmpint (symlink (outside, link), ==, 0);
    g_assert_true (hero_virt_executor_remove_path (ex, tmp, NULL, &error));
    g_assert_no_error (error);
    g_assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (outside, G_FILE_TEST_EXISTS));
    /* Nothing there: not an error. */
    g_assert_true (hero_virt_executor_remove_path (ex, tmp, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_null (hero_virt_executor_read_file (ex, file, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND);
}

/* The same build as a local one, through sshd. */
static void
test_remote_build (void)
{
  HtBuildah *fx = ht_buildah_new ();
  g_autoptr (HeroVirtSshExecutor) ssh = NULL;
  g_autoptr (HeroVirtBuilder) b = NULL;
  g_autoptr (HeroVirtImageInfo) info = NULL;
  g_autoptr (GBytes) page = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *ctx = NULL;
  g_autofree char *src = NULL;

  if (fx == NULL)
    return;
  ht_buildah_build_base (fx);
  ssh = connect_ok ();
  for (guint i = 0; fx->env[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (fx->env[i], "=", 2);
      hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (ssh), kv[0], kv[1]);
    }
  /* The context directory is on the build host. */
  ctx = hero_virt_executor_make_temp_dir (HERO_VIRT_EXECUTOR (ssh), NULL, &error);
  g_assert_no_error (error);
  src = g_build_filename (ctx, "app.conf", NULL);
  {
    g_autoptr (GBytes) conf = g_bytes_new_static ("port=8080\n", 10);
    g_assert_true (
        hero_virt_executor_write_file (HERO_VIRT_EXECUTOR (ssh), src, conf, 0644, NULL, &error));
  }

  b = hero_virt_builder_new ("hv-remote", HT_BASE_IMAGE);
  hero_virt_builder_set_executor (b, HERO_VIRT_EXECUTOR (ssh));
  hero_virt_builder_set_context_dir (b, ctx);
  g_assert_nonnull (hero_virt_builder_run (b, "mkdir -p /www /etc/app", NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (
      hero_virt_builder_write (b, "<h1>remote</h1>", "/www/index.html", NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (hero_virt_builder_copy (b, "app.conf", "/etc/app/app.conf", NULL, &error));
  g_assert_no_error (error);
  hero_virt_builder_set_entrypoint (
      b, (const char *const[]){ "/bin/httpd", "-f", "-p", "8080", "-h", "/www", NULL });
  g_assert_nonnull (hero_virt_builder_commit (b, "localhost/hv-test/remote:1", NULL, &error));
  g_assert_no_error (error);
  page = hero_virt_builder_read (b, "/www/index.html", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (page, NULL), g_bytes_get_size (page), "<h1>remote</h1>", 15);
  g_assert_nonnull (hero_virt_builder_remove (b, NULL, &error));
  g_assert_no_error (error);

  /* What the remote host has is what a local look sees (same storage). */
  info = hero_virt_image_inspect ("localhost/hv-test/remote:1", HERO_VIRT_EXECUTOR (fx->executor),
                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_image_info_get_entrypoint (info)[0], ==, "/bin/httpd");

  /* With a wrong host key nothing runs remotely. */
  {
    g_autoptr (HeroVirtSshExecutor) wrong = ht_sshd_executor (sshd, sshd->wrong_known_hosts);
    g_autoptr (HeroVirtBuilder) evil = hero_virt_builder_new ("hv-remote-evil", HT_BASE_IMAGE);
    hero_virt_builder_set_executor (evil, HERO_VIRT_EXECUTOR (wrong));
    g_assert_null (hero_virt_builder_run (evil, "true", NULL, &error));
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_HOST_KEY);
    g_clear_error (&error);
  }
  hero_virt_executor_remove_path (HERO_VIRT_EXECUTOR (ssh), ctx, NULL, NULL);
  ht_buildah_free (fx);
}

/* Variables never reach the remote command line (sshd runs here, so its
 * shell's cmdline is in our /proc): a thread scans every cmdline while the
 * command runs. The values arrive byte for byte, whatever their quotes,
 * and the env file is gone afterwards. */
static void
test_env_off_command_line (void)
{
  g_autoptr (HeroVirtSshExecutor) ssh = connect_ok ();
  g_autoptr (HeroVirtCommand) command = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) error = NULL;
  const char  *secret = "hv-ssh-secret-7Qz";
  const char  *tricky = "it's \"$(touch /tmp/hv-env-pwned)\"\nline two `id` $HOME";
  HtProcWatch *watch;
  guint        seen, marker_seen = 0, scans = 0;
  g_autoptr (GDir) tmp = NULL;
  const char *name;
  guint       left = 0;

  hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (ssh), "HV_EXECUTOR_SECRET", secret);
  command = hero_virt_command_new ("sh");
  hero_virt_command_add_args (command, "-c",
                              "sleep 1; printf '%s|%s' \"$HV_EXECUTOR_SECRET\" \"$HV_TRICKY\"",
                              "hv-ssh-marker", NULL);
  hero_virt_command_setenv (command, "HV_TRICKY", tricky);
  watch = ht_proc_watch_start (secret, "hv-ssh-marker");
  result = hero_virt_executor_run (HERO_VIRT_EXECUTOR (ssh), command, NULL, &error);
  seen = ht_proc_watch_stop (watch, &marker_seen, &scans);
  g_assert_no_error (error);
  g_assert_cmpint (hero_virt_command_result_get_exit_status (result), ==, 0);
  {
    g_autofree char *expected = g_strconcat (secret, "|", tricky, NULL);
    g_assert_cmpstr (hero_virt_command_result_get_stdout_text (result), ==, expected);
  }
  g_assert_cmpuint (marker_seen, >, 0); /* the scan saw the command running */
  g_assert_cmpuint (seen, ==, 0);
  g_assert_false (g_file_test ("/tmp/hv-env-pwned", G_FILE_TEST_EXISTS));

  /* no env file is left behind in the remote temporary directory */
  tmp = g_dir_open ("/tmp", 0, NULL);
  while (tmp != NULL && (name = g_dir_read_name (tmp)) != NULL)
    if (g_str_has_prefix (name, "hero-virt."))
      {
        g_autofree char *env = g_build_filename ("/tmp", name, "env", NULL);
        if (g_file_test (env, G_FILE_TEST_EXISTS))
          left++;
      }
  g_assert_cmpuint (left, ==, 0);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  dir = ht_tmpdir_new ("hv-ssh");
  sshd = ht_sshd_start (dir);
  if (sshd != NULL)
    {
      g_test_add_func ("/ssh/hostile-argv", test_hostile_argv);
      g_test_add_func ("/ssh/env-off-command-line", test_env_off_command_line);
      g_test_add_func ("/ssh/stdin-status-stderr", test_stdin_status_stderr);
      g_test_add_func ("/ssh/host-key", test_host_key_checking);
      g_test_add_func ("/ssh/auth-refused", test_auth_refused);
      g_test_add_func ("/ssh/timeout-cancel", test_timeout_and_cancel);
      g_test_add_func ("/ssh/cancel-running", test_cancel_running);
      g_test_add_func ("/ssh/sftp", test_sftp);
      g_test_add_func ("/ssh/remote-build", test_remote_build);
    }
  ret = g_test_run ();
  ht_sshd_stop (sshd);
  ht_tmpdir_free (dir);
  return ret;
}
