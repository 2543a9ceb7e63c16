/* progress-test.c: HeroVirtProgress updated from worker threads while its
 * own context reads it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "testlib.h"

#define N_UPDATES 20000

typedef struct
{
  HeroVirtProgress *progress;
  guint             seen;
  guint64           last_current;
  gboolean          in_order;
  gboolean          consistent;
  gboolean          done;
} Watch;

static void
on_changed (HeroVirtProgress *progress, gpointer user_data)
{
  Watch           *watch = user_data;
  const char      *stage = hero_virt_progress_get_stage (progress);
  const char      *message = hero_virt_progress_get_message (progress);
  guint64          current = hero_virt_progress_get_current (progress);
  g_autofree char *expected = g_strdup_printf ("step %" G_GUINT64_FORMAT, current);
  g_autofree char *copy = NULL;

  /* The strings a handler reads are those of the update being delivered,
   * and stay valid while it runs, whatever the worker does meanwhile. */
  g_usleep (current % 97 == 0 ? 50 : 0);
  copy = g_strconcat (stage, ":", message, NULL);
  if (g_strcmp0 (message, expected) != 0 || g_strcmp0 (stage, current % 2 ? "odd" : "even") != 0)
    watch->consistent = FALSE;
  if (watch->seen > 0 && current != watch->last_current + 1)
    watch->in_order = FALSE;
  watch->last_current = current;
  watch->seen++;
  g_assert_nonnull (copy);
}

static gpointer
worker (gpointer data)
{
  Watch *watch = data;

  for (guint64 i = 0; i < N_UPDATES; i++)
    {
      g_autofree char *message = g_strdup_printf ("step %" G_GUINT64_FORMAT, i);

      hero_virt_progress_update (watch->progress, i % 2 ? "odd" : "even", i, N_UPDATES, message);
    }
  return NULL;
}

static void
test_threads (void)
{
  Watch    watch = { .in_order = TRUE, .consistent = TRUE };
  GThread *thread;

  watch.progress = hero_virt_progress_new ();
  g_signal_connect (watch.progress, "changed", G_CALLBACK (on_changed), &watch);
  thread = g_thread_new ("progress-worker", worker, &watch);
  while (watch.seen < N_UPDATES)
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);

  g_assert_cmpuint (watch.seen, ==, N_UPDATES);
  g_assert_true (watch.in_order);
  g_assert_true (watch.consistent);
  g_assert_cmpuint (hero_virt_progress_get_current (watch.progress), ==, N_UPDATES - 1);
  g_assert_cmpfloat (hero_virt_progress_get_fraction (watch.progress), <, 1.0);
  g_object_unref (watch.progress);
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_same_thread (void)
{
  g_autoptr (HeroVirtProgress) progress = hero_virt_progress_new ();
  guint count = 0;

  g_signal_connect (progress, "notify::message", G_CALLBACK (count_notify), &count);
  hero_virt_progress_update (progress, "fetch", 1, 4, "one");
  /* delivered at once, without a main loop */
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpstr (hero_virt_progress_get_stage (progress), ==, "fetch");
  g_assert_cmpstr (hero_virt_progress_get_message (progress), ==, "one");
  g_assert_cmpfloat (hero_virt_progress_get_fraction (progress), ==, 0.25);
  hero_virt_progress_update (progress, NULL, 8, 4, NULL);
  g_assert_cmpstr (hero_virt_progress_get_stage (progress), ==, "fetch");
  g_assert_null (hero_virt_progress_get_message (progress));
  g_assert_cmpfloat (hero_virt_progress_get_fraction (progress), ==, 1.0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/progress/threads", test_threads);
  g_test_add_func ("/progress/same-thread", test_same_thread);
  return g_test_run ();
}
