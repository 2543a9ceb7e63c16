/* threads-test.c: what worker threads share with their callers: output
 * lines of async runs delivered in the caller's context, and an executor
 * used by several threads at once while another sets its variables
 *
 * No backend is needed: the executors and the cluster provider here are
 * fakes that answer from memory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "testlib.h"

#define N_LINES 500

/* ---- an executor that implements only run() ------------------------- */

/* Its run() emits the lines itself, as the SSH executor does, so its
 * run_async is the interface's: run() in a worker thread. It answers
 * `sh -c 'command -v …'` with /usr/bin/runc (after a rendezvous of the
 * threads asking, so they ask at the same time) and everything else with
 * an empty success. */
#define TEST_TYPE_FAKE_EXECUTOR (test_fake_executor_get_type ())
G_DECLARE_FINAL_TYPE (TestFakeExecutor, test_fake_executor, TEST, FAKE_EXECUTOR, GObject)

struct _TestFakeExecutor
{
  GObject parent_instance;

  GMutex lock;
  GCond  cond;
  guint  lookups;  /* `command -v` runs that arrived */
  guint  expected; /* how many to wait for at the rendezvous */
  gint   with_runtime;
  gint   runs;
};

static HeroVirtCommandResult *
empty_result (HeroVirtCommand *command, const char *out)
{
  g_autoptr (GBytes) o = g_bytes_new (out, strlen (out));
  g_autoptr (GBytes) e = g_bytes_new (NULL, 0);
  g_autofree char *display = hero_virt_command_to_string (command);

  return hero_virt_command_result_new (display, 0, 0, o, e, 0);
}

static HeroVirtCommandResult *
fake_run (HeroVirtExecutor *executor,
          HeroVirtCommand  *command,
          GCancellable     *cancellable,
          GError          **error)
{
  TestFakeExecutor  *self = TEST_FAKE_EXECUTOR (executor);
  const char *const *argv = hero_virt_command_get_argv (command);

  if (g_strcmp0 (argv[0], "sh") == 0)
    {
      /* A rendezvous, not a timing assertion: a thread that comes late
       * (the answer already cached) must not hold the others for long. */
      gint64 until = g_get_monotonic_time () + 20 * G_TIME_SPAN_MILLISECOND;

      g_mutex_lock (&self->lock);
      self->lookups++;
      g_cond_broadcast (&self->cond);
      while (self->lookups % self->expected != 0)
        if (!g_cond_wait_until (&self->cond, &self->lock, until))
          break;
      g_mutex_unlock (&self->lock);
      return empty_result (command, "/usr/bin/runc\n");
    }
  if (g_strcmp0 (argv[0], "echo-lines") == 0)
    {
      for (guint i = 0; i < N_LINES; i++)
        {
          g_autofree char *line = g_strdup_printf ("line %u", i);

          hero_virt_command_emit_line (command, HERO_VIRT_OUTPUT_STREAM_STDOUT, line);
        }
      return empty_result (command, "");
    }
  for (guint i = 0; argv[i] != NULL && argv[i + 1] != NULL; i++)
    if (strcmp (argv[i], "--runtime") == 0 && strcmp (argv[i + 1], "/usr/bin/runc") == 0)
      g_atomic_int_inc (&self->with_runtime);
  g_atomic_int_inc (&self->runs);
  return empty_result (command, "");
}

static void
fake_iface_init (HeroVirtExecutorInterface *iface)
{
  iface->run = fake_run;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestFakeExecutor,
                               test_fake_executor,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HERO_VIRT_TYPE_EXECUTOR, fake_iface_init))

static void
test_fake_executor_finalize (GObject *object)
{
  TestFakeExecutor *self = TEST_FAKE_EXECUTOR (object);

  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (test_fake_executor_parent_class)->finalize (object);
}

static void
test_fake_executor_class_init (TestFakeExecutorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_fake_executor_finalize;
}

static void
test_fake_executor_init (TestFakeExecutor *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->expected = 1;
}

/* ---- a cluster provider that implements only exec_command ----------- */

#define TEST_TYPE_FAKE_CLUSTER (test_fake_cluster_get_type ())
G_DECLARE_FINAL_TYPE (TestFakeCluster, test_fake_cluster, TEST, FAKE_CLUSTER, GObject)

struct _TestFakeCluster
{
  GObject parent_instance;
};

static HeroVirtCommandResult *
fake_exec_command (HeroVirtClusterProvider *provider,
                   HeroVirtExecutor        *executor,
                   const char *namespace,
                   const char        *pod,
                   const char        *container,
                   HeroVirtCommand   *command,
                   const char *const *variables,
                   guint64            max_output,
                   GCancellable      *cancellable,
                   GError           **error)
{
  for (guint i = 0; i < N_LINES; i++)
    {
      g_autofree char *line = g_strdup_printf ("line %u", i);

      hero_virt_command_emit_line (command, HERO_VIRT_OUTPUT_STREAM_STDOUT, line);
    }
  return empty_result (command, "");
}

static void
fake_cluster_iface_init (HeroVirtClusterProviderInterface *iface)
{
  iface->exec_command = fake_exec_command;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestFakeCluster,
                               test_fake_cluster,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HERO_VIRT_TYPE_CLUSTER_PROVIDER,
                                                      fake_cluster_iface_init))

static void
test_fake_cluster_class_init (TestFakeClusterClass *klass)
{
}

static void
test_fake_cluster_init (TestFakeCluster *self)
{
}

/* ---- output-line of an async run ------------------------------------ */

typedef struct
{
  HeroVirtExecutor      *executor;
  GThread               *owner;
  guint                  lines;
  guint                  in_other_threads;
  gboolean               in_order;
  guint                  lines_at_completion;
  HeroVirtCommandResult *result;
  GError                *error;
  gboolean               done;
} LineWatch;

static void
on_line (HeroVirtCommand *command, HeroVirtOutputStream stream, const char *line, LineWatch *w)
{
  g_autofree char *expected = g_strdup_printf ("line %u", w->lines);

  if (g_thread_self () != w->owner)
    g_atomic_int_inc (&w->in_other_threads);
  if (g_strcmp0 (line, expected) != 0)
    w->in_order = FALSE;
  w->lines++;
}

static void
on_run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LineWatch *w = user_data;

  /* (a pod executor's source object is its cluster provider) */
  w->result = hero_virt_executor_run_finish (w->executor, result, &w->error);
  w->lines_at_completion = w->lines;
  w->done = TRUE;
}

static void
check_async_lines (HeroVirtExecutor *executor)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (HeroVirtCommand) command
      = hero_virt_command_new_argv ((const char *const[]){ "echo-lines", NULL });
  LineWatch w = { executor, g_thread_self (), 0, 0, TRUE, 0, NULL, NULL, FALSE };

  g_main_context_push_thread_default (context);
  g_signal_connect (command, "output-line", G_CALLBACK (on_line), &w);
  hero_virt_executor_run_async (executor, command, NULL, on_run_done, &w);
  while (!w.done)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  g_assert_no_error (w.error);
  g_assert_nonnull (w.result);
  /* Every line in the caller's thread, in order, before the completion. */
  g_assert_cmpuint (g_atomic_int_get (&w.in_other_threads), ==, 0);
  g_assert_true (w.in_order);
  g_assert_cmpuint (w.lines_at_completion, ==, N_LINES);
  g_assert_cmpuint (w.lines, ==, N_LINES);
  g_clear_object (&w.result);
}

static void
test_output_line_default_async (void)
{
  g_autoptr (HeroVirtExecutor) executor = g_object_new (TEST_TYPE_FAKE_EXECUTOR, NULL);

  check_async_lines (executor);
}

static void
test_output_line_pod_executor (void)
{
  g_autoptr (HeroVirtClusterProvider) provider = g_object_new (TEST_TYPE_FAKE_CLUSTER, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (HeroVirtPodExecutor) executor
      = hero_virt_pod_executor_new_for_provider (provider, "default", "web", NULL, &error);

  g_assert_no_error (error);
  check_async_lines (HERO_VIRT_EXECUTOR (executor));
}

/* A synchronous run still emits in the calling thread, whichever it is. */
static gpointer
sync_lines_thread (gpointer data)
{
  HeroVirtExecutor *executor = data;
  g_autoptr (HeroVirtCommand) command
      = hero_virt_command_new_argv ((const char *const[]){ "echo-lines", NULL });
  g_autoptr (HeroVirtCommandResult) result = NULL;
  g_autoptr (GError) error = NULL;
  LineWatch w = { executor, g_thread_self (), 0, 0, TRUE, 0, NULL, NULL, FALSE };

  g_signal_connect (command, "output-line", G_CALLBACK (on_line), &w);
  result = hero_virt_executor_run (executor, command, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (w.lines, ==, N_LINES);
  g_assert_cmpuint (g_atomic_int_get (&w.in_other_threads), ==, 0);
  g_assert_true (w.in_order);
  return NULL;
}

static void
test_output_line_sync_in_thread (void)
{
  g_autoptr (HeroVirtExecutor) executor = g_object_new (TEST_TYPE_FAKE_EXECUTOR, NULL);

  g_thread_join (g_thread_new ("sync-lines", sync_lines_thread, executor));
}

/* ---- progress bound to the global default context -------------------- */

/* The worker thread's own thread-default context is the global default
 * one too, which nobody owns between two iterations of the loop below:
 * the update must still wait for the owner thread. */
#define N_UPDATES 5000

typedef struct
{
  HeroVirtProgress *progress;
  GThread          *owner;
  gint              in_other_threads;
  guint             seen;
  gboolean          in_order;
  guint64           last;
} ProgressWatch;

static void
on_progress (HeroVirtProgress *progress, ProgressWatch *w)
{
  guint64 current = hero_virt_progress_get_current (progress);

  if (g_thread_self () != w->owner)
    g_atomic_int_inc (&w->in_other_threads);
  if (w->seen > 0 && current != w->last + 1)
    w->in_order = FALSE;
  w->last = current;
  w->seen++;
}

static gpointer
progress_worker (gpointer data)
{
  ProgressWatch *w = data;

  for (guint64 i = 0; i < N_UPDATES; i++)
    hero_virt_progress_update (w->progress, "step", i, N_UPDATES, NULL);
  return NULL;
}

static void
test_progress_default_context (void)
{
  ProgressWatch w = { NULL, g_thread_self (), 0, 0, TRUE, 0 };
  GThread      *thread;

  w.progress = hero_virt_progress_new ();
  g_signal_connect (w.progress, "changed", G_CALLBACK (on_progress), &w);
  thread = g_thread_new ("progress-worker", progress_worker, &w);
  while (g_atomic_int_get (&w.seen) < N_UPDATES)
    {
      /* The owner reads the progress between iterations, as a program
       * drawing its own bar would. */
      g_autofree char *stage = g_strdup (hero_virt_progress_get_stage (w.progress));

      g_main_context_iteration (NULL, FALSE);
      g_thread_yield ();
    }
  g_thread_join (thread);
  g_assert_cmpint (g_atomic_int_get (&w.in_other_threads), ==, 0);
  g_assert_true (w.in_order);
  g_object_unref (w.progress);
}

/* ---- one executor, several buildah runs at once ---------------------- */

#define N_RUNNERS 4
#define N_RUNS 10
#define N_ROUNDS 300

typedef struct
{
  HeroVirtImageProvider *provider;
  HeroVirtExecutor      *executor;
  gint                   stop;
  gint                   failures;
} Shared;

static gpointer
runner (gpointer data)
{
  Shared *s = data;

  for (guint i = 0; i < N_RUNS; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) out = hero_virt_image_provider_run (s->provider, s->executor, "work",
                                                             (const char *const[]){ "true", NULL },
                                                             NULL, NULL, NULL, &error);

      if (out == NULL)
        {
          g_printerr ("# run: %s\n", error->message);
          g_atomic_int_inc (&s->failures);
        }
    }
  return NULL;
}

/* Sets variables while the runs read them (a test pointing its executor
 * at another storage root, say). */
static gpointer
setter (gpointer data)
{
  Shared *s = data;

  for (guint i = 0; !g_atomic_int_get (&s->stop); i++)
    {
      g_autofree char *name = g_strdup_printf ("HV_THREADS_%u", i % 40);
      g_autofree char *value = g_strdup_printf ("value-%u", i);

      hero_virt_executor_setenv (s->executor, name, value);
    }
  return NULL;
}

static void
test_buildah_shared_executor (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GObject) provider = hero_virt_registry_get_provider (
      hero_virt_registry_get_default (), HERO_VIRT_PROVIDER_KIND_IMAGE, "buildah", &error);

  g_assert_no_error (error);
  for (guint round = 0; round < N_ROUNDS; round++)
    {
      g_autoptr (TestFakeExecutor) executor = g_object_new (TEST_TYPE_FAKE_EXECUTOR, NULL);
      Shared   s = { HERO_VIRT_IMAGE_PROVIDER (provider), HERO_VIRT_EXECUTOR (executor), 0, 0 };
      GThread *threads[N_RUNNERS];
      GThread *set;

      executor->expected = N_RUNNERS;
      set = g_thread_new ("setenv", setter, &s);
      for (guint i = 0; i < N_RUNNERS; i++)
        threads[i] = g_thread_new ("runner", runner, &s);
      for (guint i = 0; i < N_RUNNERS; i++)
        g_thread_join (threads[i]);
      g_atomic_int_set (&s.stop, 1);
      g_thread_join (set);

      g_assert_cmpint (s.failures, ==, 0);
      g_assert_cmpint (executor->runs, ==, N_RUNNERS * N_RUNS);
      /* Every run got the runtime that was found, whichever thread found it. */
      g_assert_cmpint (executor->with_runtime, ==, N_RUNNERS * N_RUNS);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/threads/output-line/default-async", test_output_line_default_async);
  g_test_add_func ("/threads/output-line/pod-executor", test_output_line_pod_executor);
  g_test_add_func ("/threads/output-line/sync-in-thread", test_output_line_sync_in_thread);
  g_test_add_func ("/threads/progress/default-context", test_progress_default_context);
  g_test_add_func ("/threads/buildah/shared-executor", test_buildah_shared_executor);
  return g_test_run ();
}
