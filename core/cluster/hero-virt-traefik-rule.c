/* hero-virt-traefik-rule.c
 *
 * Traefik parses router rules with Go's text/scanner (through
 * vulcand/predicate): a string is either raw, between backticks, with no
 * escapes at all (so it cannot hold a backtick), or interpreted, between
 * double quotes, with Go's escapes. Values are quoted raw when they can
 * be, else interpreted with `\\` and `\"` escaped; control characters are
 * refused rather than escaped, as no host, path or header needs them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "hero-virt-private.h"

/**
 * hero_virt_traefik_quote:
 * @value: a matcher's argument
 * @error: return location for a #GError
 *
 * Quotes @value for a Traefik rule: `` `value` `` (a raw string), or, when
 * @value holds a backtick, `"value"` with `\` and `"` escaped, which is
 * how Traefik's rule parser reads strings.
 *
 * Returns: (transfer full): the quoted value, or %NULL with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT if it is not UTF-8 or holds
 *   control characters
 *
 * Since: 0.1
 */
char *
hero_virt_traefik_quote (const char *value, GError **error)
{
  GString *out;

  g_return_val_if_fail (value != NULL, NULL);

  if (!hero_virt_validate_text ("Traefik rule value", value, error))
    return NULL;
  if (strchr (value, '`') == NULL)
    return g_strdup_printf ("`%s`", value);
  out = g_string_new ("\"");
  for (const char *p = value; *p; p++)
    {
      if (*p == '\\' || *p == '"')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

static char *
matcher (const char *name, const char *a, const char *b, GError **error)
{
  g_autofree char *qa = hero_virt_traefik_quote (a, error);
  g_autofree char *qb = NULL;

  if (qa == NULL)
    return NULL;
  if (b == NULL)
    return g_strdup_printf ("%s(%s)", name, qa);
  if ((qb = hero_virt_traefik_quote (b, error)) == NULL)
    return NULL;
  return g_strdup_printf ("%s(%s, %s)", name, qa, qb);
}

/**
 * hero_virt_traefik_host:
 * @domain: a host name, such as `app.example.com`
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the matcher `` Host(`app.example.com`) ``, or
 *   %NULL with %HERO_VIRT_ERROR_INVALID_ARGUMENT if @domain is not a host
 *   name (letters, digits, `-`, `_` and dots between labels)
 *
 * Since: 0.1
 */
char *
hero_virt_traefik_host (const char *domain, GError **error)
{
  g_auto (GStrv) labels = NULL;

  g_return_val_if_fail (domain != NULL, NULL);

  labels = g_strsplit (domain, ".", -1);
  if (*domain == '\0' || strlen (domain) > 253)
    return hero_virt_set_invalid_argument (error, "host", domain,
                                           "a host name is 1 to 253 characters"),
           NULL;
  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize len = strlen (labels[i]);

      if (len == 0 || len > 63
          || strspn (labels[i], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
                 != len
          || labels[i][0] == '-' || labels[i][len - 1] == '-')
        {
          hero_virt_set_invalid_argument (
              error, "host", domain,
              "a host name is dot-separated labels of letters, digits, '-' and '_'");
          return NULL;
        }
    }
  return matcher ("Host", domain, NULL, error);
}

static gboolean
check_path (const char *what, const char *path, GError **error)
{
  if (path == NULL || path[0] != '/')
    return hero_virt_set_invalid_argument (error, what, path, "a path starts with /");
  return TRUE;
}

/**
 * hero_virt_traefik_path_prefix:
 * @prefix: a path prefix, such as `/api`
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the matcher `` PathPrefix(`/api`) ``, or %NULL
 *   with %HERO_VIRT_ERROR_INVALID_ARGUMENT if @prefix does not start
 *   with `/`
 *
 * Since: 0.1
 */
char *
hero_virt_traefik_path_prefix (const char *prefix, GError **error)
{
  g_return_val_if_fail (prefix != NULL, NULL);
  if (!check_path ("path prefix", prefix, error))
    return NULL;
  return matcher ("PathPrefix", prefix, NULL, error);
}

/**
 * hero_virt_traefik_path:
 * @path: an exact path, such as `/healthz`
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the matcher `` Path(`/healthz`) ``, or %NULL
 *   with %HERO_VIRT_ERROR_INVALID_ARGUMENT if @path does not start with
 *   `/`
 *
 * Since: 0.1
 */
char *
hero_virt_traefik_path (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  if (!check_path ("path", path, error))
    return NULL;
  return matcher ("Path", path, NULL, error);
}

static gboolean
check_header_name (const char *name, GError **error)
{
  if (*name == '\0'
      || strspn (name,
                 "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
             != strlen (name))
    return hero_virt_set_invalid_argument (error, "header name", name,
                                           "a header name is an HTTP token");
  return TRUE;
}

/**
 * hero_virt_traefik_header:
 * @name: a request header's name
 * @value: the value it must have
 * @error: return location for a #GError
 *
 * Returns: (transfer full): Traefik v3's matcher
 *   `` Header(`name`, `value`) ``, or %NULL with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
char *
hero_virt_traefik_header (const char *name, const char *value, GError **error)
{
  g_return_val_if_fail (name != NULL && value != NULL, NULL);
  if (!check_header_name (name, error))
    return NULL;
  return matcher ("Header", name, value, error);
}

/**
 * hero_virt_traefik_headers:
 * @name: a request header's name
 * @value: the value it must have
 * @error: return location for a #GError
 *
 * Returns: (transfer full): Traefik v2's matcher
 *   `` Headers(`name`, `value`) `` (for a route with `syntax: v2`, or
 *   Traefik 2), or %NULL with %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
char *
hero_virt_traefik_headers (const char *name, const char *value, GError **error)
{
  g_return_val_if_fail (name != NULL && value != NULL, NULL);
  if (!check_header_name (name, error))
    return NULL;
  return matcher ("Headers", name, value, error);
}

/* Where a rule has || outside parentheses and strings it must be
 * parenthesized to be and-ed. */
static gboolean
has_top_level_or (const char *rule)
{
  int  depth = 0;
  char quote = 0;

  for (const char *p = rule; *p; p++)
    {
      if (quote)
        {
          if (quote == '"' && *p == '\\' && p[1])
            p++;
          else if (*p == quote)
            quote = 0;
        }
      else if (*p == '`' || *p == '"')
        quote = *p;
      else if (*p == '(')
        depth++;
      else if (*p == ')')
        depth--;
      else if (depth == 0 && p[0] == '|' && p[1] == '|')
        return TRUE;
    }
  return FALSE;
}

static char *
combine (const char *const *rules, const char *op, gboolean wrap_or, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);

  if (rules == NULL || rules[0] == NULL)
    return hero_virt_set_invalid_argument (error, "rule", NULL, "no rules to combine"), NULL;
  for (guint i = 0; rules[i] != NULL; i++)
    {
      if (!hero_virt_traefik_validate_rule (rules[i], error))
        return NULL;
      if (i > 0)
        g_string_append (out, op);
      if (rules[1] != NULL && (wrap_or ? has_top_level_or (rules[i]) : FALSE))
        g_string_append_printf (out, "(%s)", rules[i]);
      else
        g_string_append (out, rules[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * hero_virt_traefik_and:
 * @rules: (array zero-terminated=1): rules or matchers
 * @error: return location for a #GError
 *
 * Joins @rules with `&&`, parenthesizing those that hold a top-level
 * `||`, after checking each with [func@HeroVirt.traefik_validate_rule].
 *
 * Returns: (transfer full): the rule, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_traefik_and (const char *const *rules, GError **error)
{
  return combine (rules, " && ", TRUE, error);
}

/**
 * hero_virt_traefik_or:
 * @rules: (array zero-terminated=1): rules or matchers
 * @error: return location for a #GError
 *
 * Joins @rules with `||` (which binds less tightly than `&&`), after
 * checking each with [func@HeroVirt.traefik_validate_rule].
 *
 * Returns: (transfer full): the rule, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_traefik_or (const char *const *rules, GError **error)
{
  return combine (rules, " || ", FALSE, error);
}

static const char *const matchers[] = {
  /* v3 */
  "Host", "HostRegexp", "Path", "PathPrefix", "PathRegexp", "Method", "Header", "HeaderRegexp",
  "Query", "QueryRegexp", "ClientIP",
  /* v2 */
  "Headers", "HeadersRegexp", NULL
};

/**
 * hero_virt_traefik_validate_rule:
 * @rule: a router rule, such as `` Host(`a.example`) && PathPrefix(`/api`) ``
 * @error: return location for a #GError
 *
 * Checks the shape of a rule as Traefik's parser reads it: one line,
 * matchers Traefik knows (`Host`, `HostRegexp`, `Path`, `PathPrefix`,
 * `PathRegexp`, `Method`, `Header`, `HeaderRegexp`, `Query`,
 * `QueryRegexp`, `ClientIP`, and v2's `Headers`, `HeadersRegexp`), each
 * called with quoted arguments, strings closed, parentheses balanced,
 * operators `&&`, `||` and `!` between them.
 *
 * Returns: %TRUE if it is well formed, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT saying what is wrong
 *
 * Since: 0.1
 */
gboolean
hero_virt_traefik_validate_rule (const char *rule, GError **error)
{
  int         depth = 0;
  gboolean    any = FALSE;
  gboolean    expect_operand = TRUE; /* a matcher, '(' or '!' */
  const char *p;

  if (rule == NULL || *rule == '\0')
    return hero_virt_set_invalid_argument (error, "Traefik rule", rule, "the rule is empty");
  if (!hero_virt_validate_text ("Traefik rule", rule, error))
    return FALSE;
  for (p = rule; *p;)
    {
      if (*p == ' ' || *p == '\t')
        p++;
      else if (expect_operand && *p == '!')
        p++;
      else if (expect_operand && *p == '(')
        depth++, p++;
      else if (!expect_operand && *p == ')')
        {
          if (--depth < 0)
            return hero_virt_set_invalid_argument (error, "Traefik rule", rule,
                                                   "a ')' has no matching '('");
          p++;
        }
      else if (!expect_operand && (g_str_has_prefix (p, "&&") || g_str_has_prefix (p, "||")))
        expect_operand = TRUE, p += 2;
      else if (expect_operand && g_ascii_isalpha (*p))
        {
          const char      *start = p;
          g_autofree char *name = NULL;
          gboolean         arg_next = TRUE;

          while (g_ascii_isalnum (*p))
            p++;
          name = g_strndup (start, p - start);
          if (!g_strv_contains (matchers, name))
            {
              g_autofree char *why = g_strdup_printf ("%s is not a Traefik matcher", name);
              return hero_virt_set_invalid_argument (error, "Traefik rule", rule, why);
            }
          if (*p != '(')
            return hero_virt_set_invalid_argument (error, "Traefik rule", rule,
                                                   "a matcher is followed by its arguments");
          p++;
          for (;;)
            {
              while (*p == ' ')
                p++;
              if (arg_next && (*p == '`' || *p == '"'))
                {
                  char q = *p++;

                  while (*p && *p != q)
                    p += (q == '"' && *p == '\\' && p[1]) ? 2 : 1;
                  if (*p != q)
                    return hero_virt_set_invalid_argument (error, "Traefik rule", rule,
                                                           "a string is not closed");
                  p++;
                  arg_next = FALSE;
                }
              else if (!arg_next && *p == ',')
                arg_next = TRUE, p++;
              else if (!arg_next && *p == ')')
                {
                  p++;
                  break;
                }
              else
                return hero_virt_set_invalid_argument (
                    error, "Traefik rule", rule,
                    "a matcher's arguments are quoted strings (`…`) separated by commas");
            }
          any = TRUE;
          expect_operand = FALSE;
        }
      else
        return hero_virt_set_invalid_argument (error, "Traefik rule", rule,
                                               expect_operand ? "a matcher is expected here"
                                                              : "&& or || is expected here");
    }
  if (depth != 0)
    return hero_virt_set_invalid_argument (error, "Traefik rule", rule, "a '(' is not closed");
  if (!any || expect_operand)
    return hero_virt_set_invalid_argument (error, "Traefik rule", rule, "the rule is incomplete");
  return TRUE;
}
