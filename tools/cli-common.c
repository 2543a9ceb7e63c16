/* cli-common.c: sizes, errors, JSON, progress bars and subcommand plumbing
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "cli-common.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib-unix.h>

/* --- subcommands --- */

static void
print_command_list (FILE *out, const char *family, const HvCliCommand *commands)
{
  fprintf (out, "Usage:\n  hero-virt %s COMMAND [OPTION…]\n\nCommands:\n", family);
  for (const HvCliCommand *c = commands; c->name != NULL; c++)
    {
      g_autofree char *synopsis = g_strdup_printf ("%s %s", c->name, c->args ? c->args : "");
      fprintf (out, "  %-46s %s\n", synopsis, c->summary);
    }
  fprintf (out, "\nRun 'hero-virt %s COMMAND --help' for a command's options.\n", family);
}

/* argv[0] is the family ("disk"), argv[1] the command. */
int
hv_cli_dispatch (const char *family, const HvCliCommand *commands, int argc, char **argv)
{
  if (argc < 2)
    {
      print_command_list (stderr, family, commands);
      return HV_CLI_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      print_command_list (stdout, family, commands);
      return HV_CLI_EXIT_OK;
    }
  for (const HvCliCommand *c = commands; c->name != NULL; c++)
    if (g_str_equal (argv[1], c->name))
      return c->run (argc - 1, argv + 1);

  g_printerr ("hero-virt %s: unknown command '%s'\n", family, argv[1]);
  g_printerr ("Run 'hero-virt %s --help' for the list.\n", family);
  return HV_CLI_EXIT_USAGE;
}

int
hv_cli_usage_error (const char *command_path, const char *format, ...)
{
  va_list          args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("hero-virt %s: %s\n", command_path, message);
  g_printerr ("Try 'hero-virt %s --help'.\n", command_path);
  return HV_CLI_EXIT_USAGE;
}

/* Parses options in place; on success argv[1..argc-1] are the positional
 * arguments. Returns FALSE with *out_status set when the caller should
 * return at once (a usage error). --help prints and exits 0 (GOption). */
gboolean
hv_cli_parse_args (const char         *command_path,
                   const char         *parameter_string,
                   const char         *summary,
                   const GOptionEntry *entries,
                   int                *argc,
                   char             ***argv,
                   int                 min_positional,
                   int                 max_positional,
                   int                *out_status)
{
  g_autoptr (GOptionContext) context = g_option_context_new (parameter_string);
  g_autoptr (GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("hero-virt %s", command_path);
  int              positional;

  g_set_prgname (prgname);
  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *out_status = hv_cli_usage_error (command_path, "%s", error->message);
      return FALSE;
    }

  /* GOption keeps a "--" separator; it is not an operand. */
  for (int i = 1; i < *argc; i++)
    if (g_str_equal ((*argv)[i], "--"))
      {
        memmove (&(*argv)[i], &(*argv)[i + 1], sizeof (char *) * (*argc - i));
        (*argc)--;
        break;
      }

  positional = *argc - 1;
  if (positional < min_positional || (max_positional >= 0 && positional > max_positional))
    {
      if (positional < min_positional)
        *out_status
            = hv_cli_usage_error (command_path, "missing argument (expected %s)", parameter_string);
      else
        *out_status = hv_cli_usage_error (command_path, "unexpected argument '%s'",
                                          (*argv)[max_positional + 1]);
      return FALSE;
    }
  *out_status = HV_CLI_EXIT_OK;
  return TRUE;
}

/* --- sizes --- */

static const char size_units[] = "KMGTPE";

/* Binary multiples like qemu-img: 10G = 10 GiB. Accepted: "1073741824",
 * "512M", "1.5T", "10GiB", "10GB", "64k". Rejected: anything else, and
 * fractions that do not come to a whole number of bytes. Integer
 * arithmetic only, so "1.1T" is exact. */
gboolean
hv_cli_parse_size (const char *text, guint64 *out_bytes, GError **error)
{
  const char *p = text;
  guint64     whole = 0, frac = 0, frac_scale = 1, mult = 1;
  guint       frac_digits = 0;

  if (text == NULL || !g_ascii_isdigit (*p))
    goto invalid;

  for (; g_ascii_isdigit (*p); p++)
    {
      if (whole > (G_MAXUINT64 - 9) / 10)
        goto too_big;
      whole = whole * 10 + (guint64)(*p - '0');
    }
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        goto invalid;
      for (; g_ascii_isdigit (*p); p++)
        {
          if (frac_digits == 18)
            goto invalid;
          frac = frac * 10 + (guint64)(*p - '0');
          frac_scale *= 10;
          frac_digits++;
        }
    }

  if (*p != '\0')
    {
      const char *unit = strchr (size_units, g_ascii_toupper (*p));

      if (unit == NULL)
        goto invalid;
      for (const char *u = size_units; u <= unit; u++)
        mult *= 1024;
      p++;
      if (g_str_equal (p, "iB") || g_str_equal (p, "B") || g_str_equal (p, "b"))
        p += strlen (p);
      if (*p != '\0')
        goto invalid;
    }

  if (whole > G_MAXUINT64 / mult)
    goto too_big;
  /* frac < frac_scale <= 10^18 and mult <= 2^60: use 128 bits. */
  {
    unsigned __int128 part = (unsigned __int128)frac * mult;

    if (part % frac_scale != 0)
      {
        g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                     "Invalid size '%s': not a whole number of bytes", text);
        return FALSE;
      }
    part /= frac_scale;
    if ((unsigned __int128)whole * mult + part > G_MAXUINT64)
      goto too_big;
    *out_bytes = whole * mult + (guint64)part;
  }
  return TRUE;

invalid:
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
               "Invalid size '%s': expected a number of bytes or a number with "
               "a K, M, G, T, P or E suffix (e.g. 10G, 512M, 1.5T)",
               text ? text : "");
  return FALSE;

too_big:
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
               "Invalid size '%s': too large", text);
  return FALSE;
}

/* "10 GiB", "1.5 GiB", "512 B": exact when whole, else one decimal. */
char *
hv_cli_format_size (guint64 bytes)
{
  static const char *const names[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
  guint                    i = 0;
  guint64                  unit = 1;

  while (i + 1 < G_N_ELEMENTS (names) && bytes / unit >= 1024)
    {
      unit *= 1024;
      i++;
    }
  if (bytes % unit == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " %s", bytes / unit, names[i]);
  return g_strdup_printf ("%.1f %s", (double)bytes / (double)unit, names[i]);
}

/* --- errors --- */

const char *
hv_cli_error_nick (const GError *error)
{
  if (error->domain == HERO_VIRT_ERROR)
    {
      g_autoptr (GEnumClass) klass = g_type_class_ref (HERO_VIRT_TYPE_ERROR);
      GEnumValue *value = g_enum_get_value (klass, error->code);

      /* Enum classes of a linked library are never finalized, so the
       * nick outlives this reference. */
      return value != NULL ? value->value_nick : "failed";
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return "cancelled";
  if (error->domain == G_IO_ERROR)
    return "io";
  return g_quark_to_string (error->domain);
}

int
hv_cli_report_error (const GError *error)
{
  g_printerr ("hero-virt: error [%s]: %s\n", hv_cli_error_nick (error), error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return HV_CLI_EXIT_CANCELLED;
  if (g_error_matches (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT))
    return HV_CLI_EXIT_USAGE;
  return HV_CLI_EXIT_FAILURE;
}

/* --- JSON --- */

void
hv_cli_print_json (JsonNode *node)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

/* --- cancellation on SIGINT/SIGTERM --- */

/* Synchronous calls block the main thread, so the signal sources run in
 * a thread of their own and just cancel the shared cancellable. */
static GCancellable *cli_cancellable;

static gboolean
on_signal (gpointer user_data)
{
  /* A second Ctrl-C does not wait for the operation to notice the first. */
  if (g_cancellable_is_cancelled (cli_cancellable))
    _exit (HV_CLI_EXIT_CANCELLED);
  g_cancellable_cancel (cli_cancellable);
  return G_SOURCE_CONTINUE;
}

static gpointer
signal_thread (gpointer user_data)
{
  GMainContext *context = user_data;

  for (;;)
    g_main_context_iteration (context, TRUE);
  return NULL;
}

GCancellable *
hv_cli_get_cancellable (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      GMainContext *context = g_main_context_new ();
      int           signals[] = { SIGINT, SIGTERM };

      cli_cancellable = g_cancellable_new ();
      /* The handlers are in place when this returns, before any work starts. */
      for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
        {
          GSource *source = g_unix_signal_source_new (signals[i]);

          g_source_set_callback (source, on_signal, NULL, NULL);
          g_source_attach (source, context);
          g_source_unref (source);
        }
      g_thread_unref (g_thread_new ("hv-signals", signal_thread, context));
      g_once_init_leave (&once, 1);
    }
  return cli_cancellable;
}

/* --- progress --- */

struct _HvCliProgressBar
{
  HeroVirtProgress *progress;
  gulong            handler;
  gboolean          tty;
  gboolean          drawn; /* a bar line is on screen, unterminated */
  char             *last_stage;
  int               last_step; /* last printed tenth, for plain output */
};

static void
draw_bar (HvCliProgressBar *bar, HeroVirtProgress *progress)
{
  const char      *stage = hero_virt_progress_get_stage (progress);
  guint64          current = hero_virt_progress_get_current (progress);
  guint64          total = hero_virt_progress_get_total (progress);
  g_autofree char *cur = hv_cli_format_size (current);
  char             cells[31];

  if (total > 0)
    {
      double           fraction = MIN (1.0, hero_virt_progress_get_fraction (progress));
      g_autofree char *tot = hv_cli_format_size (total);
      int              filled = (int)(fraction * 30);

      memset (cells, '#', filled);
      memset (cells + filled, '-', 30 - filled);
      cells[30] = '\0';
      printf ("\r\033[K%-12s [%s] %3d%%  %s / %s", stage ? stage : "", cells, (int)(fraction * 100),
              cur, tot);
    }
  else
    {
      const char *message = hero_virt_progress_get_message (progress);

      printf ("\r\033[K%-12s %s%s%s", stage ? stage : "", current > 0 ? cur : "",
              current > 0 ? "  " : "", message ? message : "");
    }
  fflush (stdout);
  bar->drawn = TRUE;
}

/* Without a terminal: one line per stage, and one per 10% of a known total. */
static void
print_plain (HvCliProgressBar *bar, HeroVirtProgress *progress)
{
  const char *stage = hero_virt_progress_get_stage (progress);
  const char *message = hero_virt_progress_get_message (progress);
  guint64     total = hero_virt_progress_get_total (progress);
  int step = total > 0 ? (int)(MIN (1.0, hero_virt_progress_get_fraction (progress)) * 10) : -1;

  if (g_strcmp0 (stage, bar->last_stage) == 0 && step == bar->last_step)
    return;
  if (g_strcmp0 (stage, bar->last_stage) != 0)
    {
      g_free (bar->last_stage);
      bar->last_stage = g_strdup (stage);
    }
  else if (step <= bar->last_step)
    return;
  bar->last_step = step;

  if (step >= 0)
    printf ("%s: %d%%%s%s\n", stage ? stage : "", step * 10, message ? " " : "",
            message ? message : "");
  else
    printf ("%s%s%s\n", stage ? stage : "", message ? ": " : "", message ? message : "");
  fflush (stdout);
}

static void
on_progress_changed (HeroVirtProgress *progress, HvCliProgressBar *bar)
{
  if (bar->tty)
    {
      /* A new stage keeps the finished bar of the previous one visible. */
      if (bar->drawn && g_strcmp0 (bar->last_stage, hero_virt_progress_get_stage (progress)) != 0)
        fputc ('\n', stdout);
      g_free (bar->last_stage);
      bar->last_stage = g_strdup (hero_virt_progress_get_stage (progress));
      draw_bar (bar, progress);
    }
  else
    print_plain (bar, progress);
}

HvCliProgressBar *
hv_cli_progress_bar_new (HeroVirtProgress *progress)
{
  HvCliProgressBar *bar = g_new0 (HvCliProgressBar, 1);

  bar->progress = g_object_ref (progress);
  bar->tty = isatty (STDOUT_FILENO);
  bar->last_step = -2;
  bar->handler = g_signal_connect (progress, "changed", G_CALLBACK (on_progress_changed), bar);
  return bar;
}

void
hv_cli_progress_bar_free (HvCliProgressBar *bar)
{
  if (bar == NULL)
    return;
  if (bar->drawn)
    {
      fputc ('\n', stdout);
      fflush (stdout);
    }
  g_signal_handler_disconnect (bar->progress, bar->handler);
  g_object_unref (bar->progress);
  g_free (bar->last_stage);
  g_free (bar);
}
