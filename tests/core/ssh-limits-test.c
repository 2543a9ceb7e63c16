/* ssh-limits-test.c: the SSH executor's hard limits against a real sshd on
 * 127.0.0.1: a chatty command (yes) times out and is cancelled, output and
 * SFTP reads are capped, a connection dropped mid-command is an error
 * within the timeout.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "fixture.h"

static HtSshd *sshd;
static char   *dir;

static GPid
read_pid (const char *path)
{
  g_autofree char *text = NULL;

  /* Up to 60 s: root's login shell sources ~/.bashrc under sshd, which
   * takes seconds on a loaded machine. */
  for (int i = 0; i < 3000 && !g_file_get_contents (path, &text, NULL, NULL); i++)
    g_usleep (20000);
  g_assert_nonnull (text);
  return atoi (text);
}

static void
assert_gone (GPid pid)
{
  for (int i = 0; i < 250 && kill (pid, 0) == 0; i++)
    g_usleep (20000);
  g_assert_cmpint (kill (pid, 0), !=, 0);
}

static void
count_line (HeroVirtCommand *cmd, HeroVirtOutputStream stream, const char *line, gpointer data)
{
  (*(guint64 *)data)++;
}

/* yes never lets a read come back empty: the deadline still holds. */
static void
test_chatty_timeout (void)
{
  g_autoptr (HeroVirtSshExecutor) ssh = ht_sshd_executor (sshd, NULL);
  g_autofree char *pidfile = g_build_filename (dir, "yes.pid", NULL);
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new_argv (
      (const char *const[]){ "sh", "-c", "echo $$ > \"$1\"; exec yes", "sh", pidfile, NULL });
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtCommandResult) warmup = NULL;
  guint64 lines = 0;
  gint64  start;
  guint   startup_ms;

  /* Connect first: the limit is about the command. */
  g_assert_true (hero_virt_ssh_executor_connect (ssh, NULL, &error));
  g_assert_no_error (error);
  /* The remote shell's start-up (root's ~/.bashrc, seconds under load)
   * counts against the timeout: measure it and allow for it, so yes runs
   * about 1.5 s whatever the load. */
  start = g_get_monotonic_time ();
  g_clear_object (&warmup);
  warmup = hero_virt_executor_run_argv (HERO_VIRT_EXECUTOR (ssh),
                                        (const char *const[]){ "true", NULL }, NULL, &error);
  g_assert_no_error (error);
  startup_ms = (guint)((g_get_monotonic_time () - start) / 1000);
  g_signal_connect (cmd, "output-line", G_CALLBACK (count_line), &lines);
  hero_virt_command_set_timeout (cmd, 2 * startup_ms + 1500);
  start = g_get_monotonic_time ();
  g_assert_null (hero_virt_executor_run (HERO_VIRT_EXECUTOR (ssh), cmd, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, (gint64)(2 * startup_ms + 15000) * 1000);
  g_assert_cmpuint (lines, >, 1000);
  g_clear_error (&error);

  /* The remote yes was killed. */
  assert_gone (read_pid (pidfile));
}

typedef struct
{
  GCancellable *cancellable;
  const char   *pidfile;
  gint64        cancelled_at;
} CancelRun;

/* Cancels 1 s after the remote command has started (its pidfile is
 * there): the remote shell's start-up takes seconds on a loaded machine. */
static gpointer
cancel_after (gpointer data)
{
  CancelRun *run = data;

  for (int i = 0; i < 3000 && !g_file_test (run->pidfile, G_FILE_TEST_EXISTS); i++)
    g_usleep (20000);
  g_usleep (1000 * 1000);
  run->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (run->cancellable);
  return NULL;
}

static void
test_chatty_cancel (void)
{
  g_autoptr (HeroVirtSshExecutor) ssh = ht_sshd_executor (sshd, NULL);
  g_autofree char *pidfile = g_build_filename (dir, "yes-cancel.pid", NULL);
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new_argv (
      (const char *const[]){ "sh", "-c", "echo $$ > \"$1\"; exec yes", "sh", pidfile, NULL });
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  CancelRun run = { cancellable, pidfile, 0 };
  GThread  *thread;
  guint64   lines = 0;

  g_assert_true (hero_virt_ssh_executor_connect (ssh, NULL, &error));
  g_signal_connect (cmd, "output-line", G_CALLBACK (count_line), &lines);
  thread = g_thread_new ("cancel", cancel_after, &run);
  g_assert_null (hero_virt_executor_run (HERO_VIRT_EXECUTOR (ssh), cmd, cancellable, &error));
  g_thread_join (thread);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - run.cancelled_at, <, 15 * G_USEC_PER_SEC);
  assert_gone (read_pid (pidfile));
}

static void
test_output_cap (void)
{
  g_autoptr (HeroVirtSshExecutor) ssh = ht_sshd_executor (sshd, NULL);
  g_autoptr (HeroVirtCommand) cmd
      = hero_virt_command_new_argv ((const char *const[]){ "yes", NULL });
  g_autoptr (GError) error = NULL;
  g_autofree char *remote = g_build_filename (dir, "sftp-big", NULL);
  g_autofree char *data = g_strnfill (5000, 'x');
  g_autoptr (GBytes) contents = g_bytes_new (data, 5000);
  g_autoptr (GBytes) back = NULL;

  hero_virt_command_set_max_output (cmd, 1 << 20);
  hero_virt_command_set_timeout (cmd, 30000);
  g_assert_null (hero_virt_executor_run (HERO_VIRT_EXECUTOR (ssh), cmd, NULL, &error));
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "standard output"));
  g_assert_nonnull (strstr (error->message, "1048576 bytes"));
  g_clear_error (&error);

  /* SFTP reads too. */
  g_assert_true (hero_virt_executor_write_file (HERO_VIRT_EXECUTOR (ssh), remote, contents, 0600,
                                                NULL, &error));
  g_assert_no_error (error);
  hero_virt_executor_set_max_output (HERO_VIRT_EXECUTOR (ssh), 4096);
  back = hero_virt_executor_read_file (HERO_VIRT_EXECUTOR (ssh), remote, NULL, &error);
  g_assert_null (back);
  g_assert_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE);
  g_clear_error (&error);
  hero_virt_executor_set_max_output (HERO_VIRT_EXECUTOR (ssh), 0);
  back = hero_virt_executor_read_file (HERO_VIRT_EXECUTOR (ssh), remote, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, contents));
}

/* The sshd processes serving connections: the descendants of the daemon
 * named sshd. */
static guint
kill_sshd_sessions (GPid daemon)
{
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_autoptr (GArray) parents = g_array_new (FALSE, FALSE, sizeof (GPid));
  g_autoptr (GArray) victims = g_array_new (FALSE, FALSE, sizeof (GPid));
  const char *name;
  gboolean    grew = TRUE;

  g_array_append_val (parents, daemon);
  /* A few passes pick up grandchildren (the privilege-separated child). */
  while (grew)
    {
      grew = FALSE;
      g_dir_rewind (proc);
      while ((name = g_dir_read_name (proc)) != NULL)
        {
          g_autofree char *path = g_strdup_printf ("/proc/%s/stat", name);
          g_autofree char *stat = NULL;
          const char      *paren;
          GPid             pid = atoi (name), ppid;
          gboolean         known = FALSE;

          if (pid <= 0 || !g_file_get_contents (path, &stat, NULL, NULL)
              || (paren = strrchr (stat, ')')) == NULL)
            continue;
          ppid = atoi (paren + 4); /* ") S ppid" */
          for (guint i = 0; i < parents->len; i++)
            known |= g_array_index (parents, GPid, i) == pid;
          if (known || strstr (stat, "(sshd)") == NULL)
            continue;
          for (guint i = 0; i < parents->len; i++)
            if (g_array_index (parents, GPid, i) == ppid)
              {
                g_array_append_val (parents, pid);
                g_array_append_val (victims, pid);
                grew = TRUE;
                break;
              }
        }
    }
  for (guint i = 0; i < victims->len; i++)
    kill (g_array_index (victims, GPid, i), SIGKILL);
  return victims->len;
}

typedef struct
{
  HeroVirtSshExecutor *ssh;
  const char          *pidfile;
  GError              *error;
  gint64               elapsed;
  gboolean             done;
} DropRun;

static gpointer
run_sleeper (gpointer data)
{
  DropRun *run = data;
  g_autoptr (HeroVirtCommand) cmd = hero_virt_command_new_argv ((const char *const[]){
      "sh", "-c", "echo $$ > \"$1\"; exec sleep 30", "sh", run->pidfile, NULL });
  g_autoptr (HeroVirtCommandResult) result = NULL;
  gint64 start = g_get_monotonic_time ();

  /* Generous: the remote shell starts in seconds under load; the drop must
   * be an error long before this. */
  hero_virt_command_set_timeout (cmd, 30000);
  result = hero_virt_executor_run (HERO_VIRT_EXECUTOR (run->ssh), cmd, NULL, &run->error);
  run->elapsed = g_get_monotonic_time () - start;
  g_atomic_int_set (&run->done, TRUE);
  return NULL;
}

/* Fault: the session's sshd is killed mid-command. */
static void
test_dropped_connection (void)
{
  g_autoptr (HeroVirtSshExecutor) ssh = ht_sshd_executor (sshd, NULL);
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *pidfile = g_build_filename (dir, "sleep.pid", NULL);
  DropRun          run = { ssh, pidfile, NULL, 0, FALSE };
  GPid             sleeper;
  GThread         *thread;

  g_assert_true (hero_virt_ssh_executor_connect (ssh, NULL, &error));
  g_assert_no_error (error);
  thread = g_thread_new ("sleeper", run_sleeper, &run);
  sleeper = read_pid (pidfile);
  g_usleep (200 * 1000);
  g_assert_false (g_atomic_int_get (&run.done));
  g_assert_cmpuint (kill_sshd_sessions (ht_daemon_get_pid (sshd->daemon)), >, 0);
  g_thread_join (thread);

  g_assert_nonnull (run.error);
  g_assert_true (run.error->domain == HERO_VIRT_ERROR);
  g_assert_true (run.error->code == HERO_VIRT_ERROR_NETWORK
                 || run.error->code == HERO_VIRT_ERROR_TIMEOUT);
  g_test_message ("dropped connection: %s after %.2f s", run.error->message, run.elapsed / 1e6);
  g_assert_cmpint (run.elapsed, <, 30 * G_USEC_PER_SEC);
  g_clear_error (&run.error);
  /* Our own remote sleeper, by its PID. */
  kill (sleeper, SIGKILL);
  assert_gone (sleeper);

  /* The executor reconnects for the next command. */
  result = hero_virt_executor_run_argv (
      HERO_VIRT_EXECUTOR (ssh), (const char *const[]){ "echo", "back", NULL }, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hero_virt_command_result_get_stdout_text (result), ==, "back\n");
}

int
main (int argc, char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  dir = ht_tmpdir_new ("hv-ssh-limits");
  sshd = ht_sshd_start (dir);
  if (sshd == NULL)
    {
      ht_tmpdir_free (dir);
      g_test_skip ("sshd is not installed");
      return 77;
    }

  g_test_add_func ("/ssh-limits/chatty-timeout", test_chatty_timeout);
  g_test_add_func ("/ssh-limits/chatty-cancel", test_chatty_cancel);
  g_test_add_func ("/ssh-limits/output-cap", test_output_cap);
  g_test_add_func ("/ssh-limits/dropped-connection", test_dropped_connection);

  ret = g_test_run ();
  ht_sshd_stop (sshd);
  ht_tmpdir_free (dir);
  return ret;
}
