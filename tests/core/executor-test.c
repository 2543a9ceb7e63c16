/* executor-test.c: HeroVirtLocalExecutor against real processes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "testlib.h"

static HeroVirtCommandResult *
run_ok (HeroVirtExecutor *executor, HeroVirtCommand *command)
{
  g_autoptr (GError) error = NULL;
  HeroVirtCommandResult *result = hero_virt_executor_run (executor, command, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
test_exit_status_and_output (void)
{
  HeroVirtExecutor *executor = hero_virt_executor_get_default ();
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("sh");
  g_autoptr (HeroVirtCommandResult) result = NULL;

  hero_virt_command_add_args (cmd, "-c", "echo out; echo err >&2; exit 3", NULL);
  result = run_ok (executor, cmd);

  g_assert_cmpint (hero_virt_command_result_get_exit_status (result), ==, 3);
  g_assert_false (hero_virt_command_result_get_success (result));
  g_assert_cmpstr (hero_virt_command_result_get_stdout_text (result), ==, "out\n");
  g_assert_cmpstr (hero_virt_command_result_get_stderr_text (result), ==, "err\n");
  g_assert_cmpint (hero_virt_command_result_get_duration (result), >, 0);
}

static void
test_check_message (void)
{
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("sh");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) error = NULL;

  hero_virt_command_add_args (cmd, "-c", "echo line1 >&2; echo 'the real reason' >&2; exit 7",
                              NULL);
  result = hero_virt_executor_run_checked (hero_virt_executor_get_default (), cmd, NULL, &error);

  g_assert_null (result);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_COMMAND_FAILED);
  g_assert_nonnull (strstr (error->message, "sh exited with status 7"));
  g_assert_nonnull (strstr (error->message, "the real reason"));
}

static void
test_stdin_env_cwd (void)
{
  g_autoptr (HeroVirtLocalExecutor) executor = hero_virt_local_executor_new ();
  g_autofree char *dir = ht_tmpdir_new ("executor-cwd");
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("sh");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autofree char *expected = NULL;

  hero_virt_executor_setenv (HERO_VIRT_EXECUTOR (executor), "HV_BASE", "from-executor");
  hero_virt_command_add_args (cmd, "-c", "read line; echo \"$line|$HV_BASE|$HV_CMD|$(pwd)\"", NULL);
  hero_virt_command_set_stdin_text (cmd, "hello from stdin\n");
  hero_virt_command_setenv (cmd, "HV_CMD", "from-command");
  hero_virt_command_set_cwd (cmd, dir);

  result = run_ok (HERO_VIRT_EXECUTOR (executor), cmd);
  expected = g_strdup_printf ("hello from stdin|from-executor|from-command|%s\n", dir);
  g_assert_cmpstr (hero_virt_command_result_get_stdout_text (result), ==, expected);
  g_assert_true (hero_virt_command_result_get_success (result));

  ht_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_large_stdin (void)
{
  /* More than a pipe buffer in both directions at once. */
  gsize            len = 4 * 1024 * 1024;
  g_autofree char *data = g_malloc (len);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("cat");
  g_autoptr (HeroVirtCommandResult) result = NULL;

  for (gsize i = 0; i < len; i++)
    data[i] = (char)('a' + i % 26);
  bytes = g_bytes_new (data, len);
  hero_virt_command_set_stdin (cmd, bytes);
  result = run_ok (hero_virt_executor_get_default (), cmd);
  g_assert_true (g_bytes_equal (bytes, hero_virt_command_result_get_stdout (result)));
}

static void
test_missing_program (void)
{
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("hero-virt-no-such-tool");
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;

  result = hero_virt_executor_run (hero_virt_executor_get_default (), cmd, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "hero-virt-no-such-tool"));
}

static gboolean
pid_alive (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char      *paren;

  if (kill (pid, 0) != 0)
    return FALSE;
  if (g_file_get_contents (path, &stat, NULL, NULL) && (paren = strrchr (stat, ')')) != NULL
      && paren[1] == ' ' && paren[2] == 'Z')
    return FALSE;
  return TRUE;
}

static GPid
read_pid_file (const char *path)
{
  g_autofree char *text = NULL;

  g_assert_true (ht_wait_for_file (path, 5000));
  /* The file may exist before the pid is written. */
  for (int i = 0; i < 500; i++)
    {
      g_clear_pointer (&text, g_free);
      if (g_file_get_contents (path, &text, NULL, NULL) && strchr (text, '\n') != NULL)
        break;
      g_usleep (10000);
    }
  return (GPid)atoi (text);
}

static void
assert_dies (GPid pid)
{
  for (int i = 0; i < 500 && pid_alive (pid); i++)
    g_usleep (10000);
  g_assert_false (pid_alive (pid));
}

static void
test_timeout_kills_tree (void)
{
  g_autofree char *dir = ht_tmpdir_new ("executor-timeout");
  g_autofree char *pidfile = g_build_filename (dir, "grandchild.pid", NULL);
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("sh");
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;

  /* The grandchild must die too: no orphans. */
  hero_virt_command_add_args (cmd, "-c", "sleep 300 & echo $! > \"$1\"; wait", "sh", pidfile, NULL);
  hero_virt_command_set_timeout (cmd, 300);
  result = hero_virt_executor_run (hero_virt_executor_get_default (), cmd, NULL, &error);

  g_assert_null (result);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT);
  assert_dies (read_pid_file (pidfile));
  ht_tmpdir_free (g_steal_pointer (&dir));
}

typedef struct
{
  GMainLoop             *loop;
  HeroVirtCommandResult *result;
  GError                *error;
} AsyncData;

static void
run_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  AsyncData *data = user_data;

  data->result = hero_virt_executor_run_finish (HERO_VIRT_EXECUTOR (source), res, &data->error);
  g_main_loop_quit (data->loop);
}

static gboolean
cancel_when_started (gpointer user_data)
{
  GCancellable *cancellable = user_data;

  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_kills_tree (void)
{
  g_autofree char *dir = ht_tmpdir_new ("executor-cancel");
  g_autofree char *pidfile = g_build_filename (dir, "grandchild.pid", NULL);
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("sh");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  AsyncData data = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  GPid      grandchild;

  hero_virt_command_add_args (cmd, "-c", "sleep 300 & echo $! > \"$1\"; wait", "sh", pidfile, NULL);
  hero_virt_executor_run_async (hero_virt_executor_get_default (), cmd, cancellable, run_done,
                                &data);

  grandchild = read_pid_file (pidfile);
  g_assert_true (pid_alive (grandchild));
  g_idle_add (cancel_when_started, cancellable);
  g_main_loop_run (data.loop);

  g_assert_null (data.result);
  g_assert_error (data.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_dies (grandchild);

  g_clear_error (&data.error);
  g_main_loop_unref (data.loop);
  ht_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_secret_masked (void)
{
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("sh");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autofree char *printed = NULL;
  g_autoptr (GError) error = NULL;

  hero_virt_command_add_args (cmd, "-c", "echo \"bad password $1\" >&2; exit 1", "sh", NULL);
  hero_virt_command_add_secret_arg (cmd, "hunter2-s3cret");

  printed = hero_virt_command_to_string (cmd);
  g_assert_null (strstr (printed, "hunter2"));
  g_assert_nonnull (strstr (printed, "***"));

  result = hero_virt_executor_run (hero_virt_executor_get_default (), cmd, NULL, &error);
  g_assert_no_error (error);
  /* The program got the real value ... */
  g_assert_cmpint (hero_virt_command_result_get_exit_status (result), ==, 1);
  /* ... but neither the result nor the error quotes it. */
  g_assert_null (strstr (hero_virt_command_result_get_stderr_text (result), "hunter2"));
  g_assert_null (strstr (hero_virt_command_result_get_command_line (result), "hunter2"));
  g_assert_false (hero_virt_command_result_check (result, &error));
  g_assert_null (strstr (error->message, "hunter2"));
  g_assert_nonnull (strstr (error->message, "bad password ***"));
}

/* One debug line per command, written by the executor under the command's
 * log domain, secrets masked; nothing under other domains. */
static void
test_log_line (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("sh");
      g_autoptr (HeroVirtCommand) other = hero_virt_command_new ("true");
      g_autoptr (HeroVirtCommandResult) result = NULL;
      g_autoptr (GError) error = NULL;

      hero_virt_command_add_args (cmd, "-c", "exit 3", "sh", NULL);
      hero_virt_command_add_secret_arg (cmd, "hunter2-s3cret");
      hero_virt_command_set_log_domain (cmd, "HeroVirt-Test");
      g_assert_cmpstr (hero_virt_command_get_log_domain (cmd), ==, "HeroVirt-Test");
      result = hero_virt_executor_run (hero_virt_executor_get_default (), cmd, NULL, &error);
      g_assert_no_error (error);
      g_clear_object (&result);
      hero_virt_command_set_log_domain (other, "HeroVirt-Other");
      result = hero_virt_executor_run (hero_virt_executor_get_default (), other, NULL, &error);
      g_assert_no_error (error);
      return;
    }
  g_setenv ("G_MESSAGES_DEBUG", "HeroVirt-Test", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("G_MESSAGES_DEBUG");
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*HeroVirt-Test-DEBUG*local: sh -c 'exit 3' sh *** (exit 3, *");
  g_test_trap_assert_stdout_unmatched ("*hunter2*");
  g_test_trap_assert_stdout_unmatched ("*HeroVirt-Test-DEBUG*HeroVirt-Test-DEBUG*");
  g_test_trap_assert_stdout_unmatched ("*true*");
}

static void
test_argv_is_data (void)
{
  /* Shell metacharacters and flag-like strings are passed through as one
   * argument each: nothing is interpreted. */
  const char *hostile[] = { "; rm -rf /", "$(id)", "`id`", "--privileged", "a\nb", "'\"", NULL };
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("printf");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GString) expected = g_string_new (NULL);

  hero_virt_command_add_args (cmd, "%s\\0", NULL);
  hero_virt_command_add_argv (cmd, hostile);
  for (guint i = 0; hostile[i]; i++)
    g_string_append_len (expected, hostile[i], strlen (hostile[i]) + 1);

  result = run_ok (hero_virt_executor_get_default (), cmd);
  g_assert_cmpmem (g_bytes_get_data (hero_virt_command_result_get_stdout (result), NULL),
                   g_bytes_get_size (hero_virt_command_result_get_stdout (result)), expected->str,
                   expected->len);
}

static void
on_line (HeroVirtCommand *cmd, HeroVirtOutputStream stream, const char *line, gpointer user_data)
{
  GPtrArray *lines = user_data;

  g_ptr_array_add (
      lines,
      g_strdup_printf ("%s:%s", stream == HERO_VIRT_OUTPUT_STREAM_STDOUT ? "out" : "err", line));
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

static void
test_output_lines (void)
{
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("sh");
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  hero_virt_command_add_args (
      cmd, "-c", "echo one; printf '10%%\\r20%%\\r'; echo; echo oops >&2; printf last", NULL);
  g_signal_connect (cmd, "output-line", G_CALLBACK (on_line), lines);
  result = run_ok (hero_virt_executor_get_default (), cmd);

  g_ptr_array_sort (lines, compare_strings);
  g_ptr_array_add (lines, NULL);
  {
    g_autofree char *joined = g_strjoinv ("|", (char **)lines->pdata);
    /* sorted: progress redraws arrive as their own lines */
    g_assert_cmpstr (joined, ==, "err:oops|out:10%|out:20%|out:last|out:one");
  }
  g_assert_cmpstr (hero_virt_command_result_get_stdout_text (result), ==, "one\n10%\r20%\r\nlast");
}

static void
test_files (void)
{
  HeroVirtExecutor *executor = hero_virt_executor_get_default ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = hero_virt_executor_make_temp_dir (executor, NULL, &error);
  g_autofree char *file = NULL;
  g_autoptr (GBytes) contents = g_bytes_new_static ("payload\0with nul", 16);
  g_autoptr (GBytes) back = NULL;
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  file = g_build_filename (dir, "sub-file", NULL);

  g_assert_true (hero_virt_executor_write_file (executor, file, contents, 0640, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  back = hero_virt_executor_read_file (executor, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, contents));

  g_assert_false (
      hero_virt_executor_write_file (executor, "relative/path", contents, 0600, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (hero_virt_executor_remove_path (executor, "/", NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (hero_virt_executor_remove_path (executor, dir, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  /* Removing what is gone is fine. */
  g_assert_true (hero_virt_executor_remove_path (executor, dir, NULL, &error));
  g_assert_no_error (error);
}

/* A descendant that left the process group (setsid) and holds our pipes
 * must not stretch a 1 s timeout to its own 30 s lifetime. */
static void
test_timeout_setsid_holder (void)
{
  g_autofree char *dir = ht_tmpdir_new ("executor-setsid");
  g_autofree char *pidfile = g_build_filename (dir, "holder.pid", NULL);
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("sh");
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  gint64 start = g_get_monotonic_time ();
  GPid   holder;

  hero_virt_command_add_args (cmd, "-c",
                              "setsid sh -c 'echo $$ > \"$1\"; exec sleep 30' sh \"$1\" & wait",
                              "sh", pidfile, NULL);
  hero_virt_command_set_timeout (cmd, 1000);
  result = hero_virt_executor_run (hero_virt_executor_get_default (), cmd, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);

  holder = read_pid_file (pidfile);
  g_assert_cmpint (holder, >, 1);
  kill (holder, SIGKILL);
  assert_dies (holder);
  ht_tmpdir_free (g_steal_pointer (&dir));
}

static gboolean
cancel_soon (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* The same holder, cancelled instead of timed out. */
static void
test_cancel_setsid_holder (void)
{
  g_autofree char *dir = ht_tmpdir_new ("executor-setsid-cancel");
  g_autofree char *pidfile = g_build_filename (dir, "holder.pid", NULL);
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("sh");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncData data = { loop, NULL, NULL };
  gint64    start = g_get_monotonic_time ();
  GPid      holder;

  hero_virt_command_add_args (cmd, "-c",
                              "setsid sh -c 'echo $$ > \"$1\"; exec sleep 30' sh \"$1\" & wait",
                              "sh", pidfile, NULL);
  hero_virt_executor_run_async (hero_virt_executor_get_default (), cmd, cancellable, run_done,
                                &data);
  g_timeout_add (500, cancel_soon, cancellable);
  g_main_loop_run (loop);
  g_assert_null (data.result);
  g_assert_error (data.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&data.error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);

  holder = read_pid_file (pidfile);
  kill (holder, SIGKILL);
  assert_dies (holder);
  ht_tmpdir_free (g_steal_pointer (&dir));
}

/* Output past the cap is a clear error, on the command or the executor;
 * line handlers still get every line. */
static void
on_count_line (HeroVirtCommand *cmd, HeroVirtOutputStream stream, const char *line, gpointer data)
{
  (*(guint *)data)++;
}

static void
test_output_cap (void)
{
  g_autoptr (HeroVirtLocalExecutor) local = hero_virt_local_executor_new ();
  HeroVirtExecutor *executor = HERO_VIRT_EXECUTOR (local);
  g_autoptr (HeroVirtCommand) cmd = NULL;
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) error = NULL;
  guint lines = 0;

  g_assert_cmpuint (hero_virt_executor_get_max_output (executor), ==, 64 * 1024 * 1024);

  /* A never-ending writer, capped on the command. */
  cmd = hero_virt_command_new_argv ((const char *const[]){ "yes", NULL });
  hero_virt_command_set_max_output (cmd, 100000);
  hero_virt_command_set_timeout (cmd, 20000);
  g_assert_null (hero_virt_executor_run (executor, cmd, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "standard output"));
  g_assert_nonnull (strstr (error->message, "100000 bytes"));
  g_clear_error (&error);
  g_clear_object (&cmd);

  /* Standard error, capped on the executor. */
  hero_virt_executor_set_max_output (executor, 5000);
  cmd = hero_virt_command_new_argv (
      (const char *const[]){ "sh", "-c", "head -c 6000 /dev/zero >&2", NULL });
  g_assert_null (hero_virt_executor_run (executor, cmd, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "standard error"));
  g_clear_error (&error);
  g_clear_object (&cmd);

  /* Under the cap: fine. */
  cmd = hero_virt_command_new_argv (
      (const char *const[]){ "sh", "-c", "head -c 4000 /dev/zero", NULL });
  result = hero_virt_executor_run (executor, cmd, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (hero_virt_command_result_get_stdout (result)), ==, 4000);
  g_clear_object (&result);
  g_clear_object (&cmd);

  /* Streaming lines: all of them arrive, the run succeeds, the kept copy
   * stops at the cap. */
  cmd = hero_virt_command_new_argv ((const char *const[]){ "seq", "1", "20000", NULL });
  g_signal_connect (cmd, "output-line", G_CALLBACK (on_count_line), &lines);
  result = hero_virt_executor_run (executor, cmd, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines, ==, 20000);
  g_assert_cmpuint (g_bytes_get_size (hero_virt_command_result_get_stdout (result)), ==, 5000);
  g_clear_object (&result);
  g_clear_object (&cmd);

  /* A file read past the cap. */
  {
    g_autofree char *dir = ht_tmpdir_new ("executor-cap");
    g_autofree char *big = g_build_filename (dir, "big", NULL);
    g_autofree char *data = g_strnfill (6000, 'x');
    g_autoptr (GBytes) back = NULL;

    g_assert_true (g_file_set_contents (big, data, -1, NULL));
    back = hero_virt_executor_read_file (executor, big, NULL, &error);
    g_assert_null (back);
    g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
    g_clear_error (&error);
    ht_tmpdir_free (g_steal_pointer (&dir));
  }
}

/* remove_path removes a symbolic link, never what it points to. */
static void
test_remove_symlink (void)
{
  HeroVirtExecutor *executor = hero_virt_executor_get_default ();
  g_autofree char  *root = ht_tmpdir_new ("executor-symlink");
  g_autofree char  *victim = g_build_filename (root, "victim", NULL);
  g_autofree char  *precious = g_build_filename (victim, "precious", NULL);
  g_autofree char  *tmp = g_build_filename (root, "tmp", NULL);
  g_autofree char  *link = g_build_filename (tmp, "link", NULL);
  g_autofree char  *inner = g_build_filename (tmp, "inner", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir (victim, 0755), ==, 0);
  g_assert_true (g_file_set_contents (precious, "keep me", -1, NULL));
  g_assert_cmpint (g_mkdir (tmp, 0755), ==, 0);
  g_assert_cmpint (symlink ("../victim", link), ==, 0);
  g_assert_cmpint (symlink (victim, inner), ==, 0);

  /* The link itself, */
  g_assert_true (hero_virt_executor_remove_path (executor, link, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (link, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_test (precious, G_FILE_TEST_IS_REGULAR));
  /* and a directory holding one. */
  g_assert_true (hero_virt_executor_remove_path (executor, tmp, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (precious, G_FILE_TEST_IS_REGULAR));
  ht_tmpdir_free (g_steal_pointer (&root));
}

static void
test_env_names (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("true");
      /* A name env would read as an option that runs another command. */
      hero_virt_command_setenv (cmd, "-Secho INJECTED #", "x");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*hero_virt_validate_env_name*");
}

static void
test_find_program (void)
{
  HeroVirtExecutor *executor = hero_virt_executor_get_default ();
  g_autoptr (GError) error = NULL;
  g_autofree char *sh = hero_virt_executor_find_program (executor, "sh", NULL, &error);
  g_autofree char *none = NULL;

  g_assert_no_error (error);
  g_assert_true (g_path_is_absolute (sh));
  none = hero_virt_executor_find_program (executor, "hero-virt-no-such-tool", NULL, &error);
  g_assert_null (none);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_UNAVAILABLE);
}

static gpointer
thread_run (gpointer data)
{
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new ("true");
  return hero_virt_executor_run (hero_virt_executor_get_default (), cmd, NULL, NULL);
}

static void
test_threads (void)
{
  GThread *threads[8];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("runner", thread_run, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autoptr (HeroVirtCommandResult) result = g_thread_join (threads[i]);
      g_assert_nonnull (result);
      g_assert_true (hero_virt_command_result_get_success (result));
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/executor/exit-status-and-output", test_exit_status_and_output);
  g_test_add_func ("/executor/check-message", test_check_message);
  g_test_add_func ("/executor/stdin-env-cwd", test_stdin_env_cwd);
  g_test_add_func ("/executor/large-stdin", test_large_stdin);
  g_test_add_func ("/executor/missing-program", test_missing_program);
  g_test_add_func ("/executor/timeout-kills-tree", test_timeout_kills_tree);
  g_test_add_func ("/executor/cancel-kills-tree", test_cancel_kills_tree);
  g_test_add_func ("/executor/secret-masked", test_secret_masked);
  g_test_add_func ("/executor/log-line", test_log_line);
  g_test_add_func ("/executor/argv-is-data", test_argv_is_data);
  g_test_add_func ("/executor/output-lines", test_output_lines);
  g_test_add_func ("/executor/files", test_files);
  g_test_add_func ("/executor/find-program", test_find_program);
  g_test_add_func ("/executor/threads", test_threads);
  g_test_add_func ("/executor/timeout-setsid-holder", test_timeout_setsid_holder);
  g_test_add_func ("/executor/cancel-setsid-holder", test_cancel_setsid_holder);
  g_test_add_func ("/executor/output-cap", test_output_cap);
  g_test_add_func ("/executor/remove-symlink", test_remove_symlink);
  g_test_add_func ("/executor/env-names", test_env_names);

  return g_test_run ();
}
