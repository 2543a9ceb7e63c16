/* hero-virt-validate.c: input validators shared by every area
 *
 * Every check of a name, a reference, a path or a DNS label that an object
 * or a plugin runs on its input lives here, and every refusal is reported
 * through hero_virt_set_invalid_argument(), so all such messages read
 * `Invalid <what> “<value>”: <why>`.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-private.h"

/**
 * hero_virt_set_invalid_argument:
 * @error: return location for a #GError
 * @what: what was checked, such as `container name`
 * @value: (nullable): the value refused
 * @why: why it was refused
 *
 * Sets @error to %HERO_VIRT_ERROR_INVALID_ARGUMENT with the message
 * `Invalid <what> “<value>”: <why>`. @value is shown escaped (control
 * characters as `\n`), or as `(not UTF-8)`. Validators, objects and plugins
 * all report bad input through this one helper, so every such message reads
 * the same.
 *
 * Returns: %FALSE, so a validator can `return hero_virt_set_invalid_argument (…);`
 *
 * Since: 0.1
 */
gboolean
hero_virt_set_invalid_argument (GError    **error,
                                const char *what,
                                const char *value,
                                const char *why)
{
  g_autofree char *shown = NULL;

  if (value == NULL)
    value = "";
  if (g_utf8_validate (value, -1, NULL))
    shown = g_strescape (value, "\u201c\u201d");
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT, "Invalid %s “%s”: %s",
               what, shown ? shown : "(not UTF-8)", why);
  return FALSE;
}

/**
 * hero_virt_validate_text:
 * @what: what the value is, such as `label` (used in the message)
 * @value: (nullable): the value
 * @error: return location for a #GError
 *
 * Checks that @value is valid UTF-8 without control characters (no line
 * breaks, tabs or escapes): what may go into an argument, a file or a
 * request header as it is. %NULL passes.
 *
 * Returns: %TRUE if acceptable, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_validate_text (const char *what, const char *value, GError **error)
{
  if (value == NULL)
    return TRUE;
  if (!g_utf8_validate (value, -1, NULL))
    return hero_virt_set_invalid_argument (error, what, value, "it is not UTF-8");
  for (const char *p = value; *p; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f)
      return hero_virt_set_invalid_argument (error, what, value,
                                             "control characters are not allowed");
  return TRUE;
}

/**
 * hero_virt_validate_env_name:
 * @name: (nullable): an environment variable's name
 * @error: return location for a #GError
 *
 * Checks that @name matches `[A-Za-z_][A-Za-z0-9_]*`: what every shell
 * and `env` take as a variable name, and nothing that `env` or a tool
 * could read as an option or a command (`-S…`, `A=B`, a space).
 *
 * Returns: %TRUE if acceptable, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_validate_env_name (const char *name, GError **error)
{
  if (name == NULL || !(g_ascii_isalpha (name[0]) || name[0] == '_')
      || strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
             != strlen (name))
    return hero_virt_set_invalid_argument (error, "environment variable name", name,
                                           "use letters, digits and _, not starting with a digit");
  return TRUE;
}

/**
 * hero_virt_validate_size:
 * @what: what the size is, such as `memory limit` (used in the message)
 * @value: (nullable): a size such as `512m`, `1.5g` or `1048576`
 * @error: return location for a #GError
 *
 * Checks that @value is a number with an optional fraction and an
 * optional unit among `b k m g` (either case), and nothing else: no sign,
 * no space, no trailing newline. %NULL passes.
 *
 * Returns: %TRUE if acceptable, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_validate_size (const char *what, const char *value, GError **error)
{
  if (value != NULL && !_hero_virt_match ("^[0-9]{1,19}(\\.[0-9]{1,9})?[bkmgBKMG]?$", value))
    return hero_virt_set_invalid_argument (error, what, value, "use a size such as 512m or 1g");
  return TRUE;
}

/**
 * hero_virt_validate_single_line:
 * @what: what the value is, such as `health check command`
 * @value: (nullable): the value
 * @error: return location for a #GError
 *
 * Checks that @value is one non-empty line of UTF-8 text: no line break,
 * carriage return, NUL-free by construction, no other control character.
 * Health check commands and other shell snippets that a tool stores in
 * one line are checked with it. %NULL passes.
 *
 * Returns: %TRUE if acceptable, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_validate_single_line (const char *what, const char *value, GError **error)
{
  if (value == NULL)
    return TRUE;
  if (*value == '\0')
    return hero_virt_set_invalid_argument (error, what, value, "it is empty");
  if (strpbrk (value, "\n\r") != NULL)
    return hero_virt_set_invalid_argument (error, what, value, "it must be a single line");
  return hero_virt_validate_text (what, value, error);
}

static gboolean
is_normal_dev_path (const char *path, gsize len)
{
  g_autofree char *copy = g_strndup (path, len);
  g_auto (GStrv) parts = NULL;

  if (!g_str_has_prefix (copy, "/dev/") || len == 5)
    return FALSE;
  if (strspn (copy, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-") != len)
    return FALSE;
  parts = g_strsplit (copy + 1, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] == '\0' || g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
      return FALSE;
  return TRUE;
}

/**
 * hero_virt_validate_device:
 * @spec: (nullable): a device mapping, `/dev/host[:/dev/container[:rwm]]`
 * @error: return location for a #GError
 *
 * Checks a device mapping: each path is a normalized path under `/dev/`
 * (no `.` or `..` component, no empty one, so `/dev/../etc/shadow` and
 * `/dev//sda` are refused), then optional permissions made of `r`, `w`
 * and `m`.
 *
 * Returns: %TRUE if acceptable, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_validate_device (const char *spec, GError **error)
{
  g_auto (GStrv) parts = NULL;
  guint n;

  if (spec == NULL)
    return hero_virt_set_invalid_argument (error, "device", spec, "it is empty");
  parts = g_strsplit (spec, ":", -1);
  n = g_strv_length (parts);
  if (n < 1 || n > 3 || !is_normal_dev_path (parts[0], strlen (parts[0])))
    goto bad;
  if (n >= 2 && parts[1][0] == '/' && !is_normal_dev_path (parts[1], strlen (parts[1])))
    goto bad;
  if (n == 3 && parts[1][0] != '/')
    goto bad;
  {
    const char *perms = n == 3 ? parts[2] : n == 2 && parts[1][0] != '/' ? parts[1] : NULL;
    if (perms != NULL
        && (*perms == '\0' || strlen (perms) > 3 || strspn (perms, "rwm") != strlen (perms)))
      goto bad;
  }
  return TRUE;
bad:
  return hero_virt_set_invalid_argument (
      error, "device", spec,
      "use /dev/host[:/dev/container][:rwm] with normalized paths under /dev (no . or ..)");
}

/* ---- images and containers ---- */

/* The grammar of distribution/reference (what buildah, podman and the
 * registry accept), anchored; a transport prefix (`docker://`) is not part
 * of a reference. */
#define DOMAIN_COMPONENT "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
#define DOMAIN DOMAIN_COMPONENT "(?:\\." DOMAIN_COMPONENT ")*(?::[0-9]{1,5})?"
#define PATH_COMPONENT "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
#define REF_NAME "(?:" DOMAIN "/)?" PATH_COMPONENT "(?:/" PATH_COMPONENT ")*"
#define TAG "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
#define DIGEST "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
#define REFERENCE "^(" REF_NAME ")(?::" TAG ")?(?:@" DIGEST ")?$"

static GRegex *
compile_once (GRegex **slot, const char *pattern)
{
  if (g_once_init_enter (slot))
    g_once_init_leave (slot,
                       g_regex_new (pattern, G_REGEX_OPTIMIZE | G_REGEX_DOLLAR_ENDONLY, 0, NULL));
  return *slot;
}

/**
 * hero_virt_validate_image_reference:
 * @reference: an image reference such as `localhost/web:1`,
 *   `127.0.0.1:5000/team/app@sha256:…` or an image ID
 * @error: return location for a #GError
 *
 * Checks @reference against the OCI distribution reference grammar:
 * an optional registry host (with port), lower-case path components, an
 * optional tag and digest; at most 255 bytes of name. A leading `-`, a
 * transport prefix, white space, control characters and `..` are refused.
 *
 * Returns: %TRUE if @reference is acceptable, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_validate_image_reference (const char *reference, GError **error)
{
  static GRegex *re;
  g_autoptr (GMatchInfo) match = NULL;
  g_autofree char *name = NULL;

  if (reference == NULL || *reference == '\0')
    {
      hero_virt_set_invalid_argument (error, "image reference", "", "it is empty");
      return FALSE;
    }
  if (reference[0] == '-')
    {
      hero_virt_set_invalid_argument (error, "image reference", reference,
                                      "it must not start with “-”");
      return FALSE;
    }
  if (!g_regex_match (compile_once (&re, REFERENCE), reference, 0, &match))
    {
      hero_virt_set_invalid_argument (
          error, "image reference", reference,
          "expected [registry[:port]/]name[:tag][@digest] with a lower-case name");
      return FALSE;
    }
  name = g_match_info_fetch (match, 1);
  if (strlen (name) > 255)
    {
      hero_virt_set_invalid_argument (error, "image reference", reference,
                                      "the name is longer than 255 characters");
      return FALSE;
    }
  return TRUE;
}

/**
 * hero_virt_validate_container_name:
 * @name: a container name or ID
 * @error: return location for a #GError
 *
 * Checks a container name: 1 to 253 characters from `[a-zA-Z0-9_.-]`,
 * starting with a letter or digit (what buildah and podman accept).
 *
 * Returns: %TRUE if @name is acceptable, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_validate_container_name (const char *name, GError **error)
{
  static GRegex *re;

  if (name == NULL || !g_regex_match (compile_once (&re, _HERO_VIRT_NAME_RE), name, 0, NULL))
    {
      hero_virt_set_invalid_argument (
          error, "container name", name ? name : "",
          "use 1 to 253 letters, digits, “_”, “.” and “-”, starting with a letter or digit");
      return FALSE;
    }
  return TRUE;
}

/**
 * hero_virt_resolve_host_path:
 * @root: (nullable) (type filename): the directory relative paths are
 *   taken from and must stay inside, or %NULL
 * @path: (type filename): a path on the executor's host
 * @error: return location for a #GError
 *
 * Resolves @path lexically (without touching the file system). A relative
 * @path is taken from @root and may not leave it through `..`; an absolute
 * @path is taken as is but may not contain `..` at all, nor may any path
 * contain control characters.
 *
 * Returns: (transfer full) (type filename): the resolved path, or %NULL
 *   with %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
char *
hero_virt_resolve_host_path (const char *root, const char *path, GError **error)
{
  g_auto (GStrv) parts = NULL;
  g_autoptr (GPtrArray) kept = NULL;
  g_autoptr (GString) out = NULL;
  gboolean absolute;

  if (path == NULL || *path == '\0')
    {
      hero_virt_set_invalid_argument (error, "path", "", "it is empty");
      return NULL;
    }
  for (const char *p = path; *p; p++)
    if ((guchar)*p < 0x20)
      {
        hero_virt_set_invalid_argument (error, "path", path, "control characters are not allowed");
        return NULL;
      }

  absolute = g_path_is_absolute (path);
  if (!absolute && root == NULL)
    {
      hero_virt_set_invalid_argument (error, "path", path,
                                      "a relative path needs a context directory");
      return NULL;
    }

  parts = g_strsplit (path, "/", -1);
  kept = g_ptr_array_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0' || strcmp (parts[i], ".") == 0)
        continue;
      if (strcmp (parts[i], "..") == 0)
        {
          if (absolute || kept->len == 0)
            {
              hero_virt_set_invalid_argument (error, "path", path,
                                              absolute ? "“..” is not allowed in an absolute path"
                                                       : "it leaves its directory through “..”");
              return NULL;
            }
          g_ptr_array_remove_index (kept, kept->len - 1);
          continue;
        }
      g_ptr_array_add (kept, parts[i]);
    }

  out = g_string_new (absolute ? "" : root);
  if (!absolute)
    while (out->len > 1 && out->str[out->len - 1] == '/')
      g_string_truncate (out, out->len - 1);
  for (guint i = 0; i < kept->len; i++)
    {
      if (out->len == 0 || out->str[out->len - 1] != '/')
        g_string_append_c (out, '/');
      g_string_append (out, g_ptr_array_index (kept, i));
    }
  if (out->len == 0)
    g_string_append_c (out, '/');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- disks ---- */

/**
 * hero_virt_validate_snapshot_name:
 * @name: a snapshot name
 * @error: return location for a #GError
 *
 * Checks a snapshot name: 1 to 255 bytes of printable UTF-8, not starting
 * with `-`.
 *
 * Returns: %TRUE if @name is acceptable, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_validate_snapshot_name (const char *name, GError **error)
{
  if (name == NULL || *name == '\0' || strlen (name) > 255 || name[0] == '-'
      || !g_utf8_validate (name, -1, NULL))
    goto bad;
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isprint (g_utf8_get_char (p)))
      goto bad;
  return TRUE;

bad:
  return hero_virt_set_invalid_argument (
      error, "snapshot name", name, "use 1 to 255 printable characters, not starting with “-”");
}

/* ---- Kubernetes names ---- */

/* The validators follow k8s.io/apimachinery/pkg/util/validation and keep
 * its messages, so users see what kubectl would tell them. */

#define DNS1123_LABEL_RE "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
#define DNS1123_SUBDOMAIN_RE DNS1123_LABEL_RE "(\\." DNS1123_LABEL_RE ")*"
#define DNS1035_LABEL_RE "[a-z]([-a-z0-9]*[a-z0-9])?"

static gboolean
is_dns_label (const char *s, size_t len, gboolean alpha_first)
{
  if (len == 0)
    return FALSE;
  if (alpha_first ? !g_ascii_islower (s[0]) : !(g_ascii_islower (s[0]) || g_ascii_isdigit (s[0])))
    return FALSE;
  if (!(g_ascii_islower (s[len - 1]) || g_ascii_isdigit (s[len - 1])))
    return FALSE;
  for (size_t i = 0; i < len; i++)
    if (!(g_ascii_islower (s[i]) || g_ascii_isdigit (s[i]) || s[i] == '-'))
      return FALSE;
  return TRUE;
}

/**
 * hero_virt_kube_validate_dns1123_label:
 * @name: a name, such as a namespace's
 * @error: return location for a #GError
 *
 * Checks that @name is an RFC 1123 label as Kubernetes requires for
 * namespaces: at most 63 characters of `[a-z0-9-]`, starting and ending
 * with a letter or digit.
 *
 * Returns: %TRUE if valid, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT and the API server's message
 *
 * Since: 0.1
 */
gboolean
hero_virt_kube_validate_dns1123_label (const char *name, GError **error)
{
  g_return_val_if_fail (name != NULL, FALSE);

  if (strlen (name) > 63)
    return hero_virt_set_invalid_argument (error, "RFC 1123 label", name,
                                           "must be no more than 63 characters");
  if (strchr (name, '.') != NULL)
    return hero_virt_set_invalid_argument (error, "RFC 1123 label", name, "must not contain dots");
  if (!is_dns_label (name, strlen (name), FALSE))
    return hero_virt_set_invalid_argument (
        error, "RFC 1123 label", name,
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
        "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
        "regex used for validation is '" DNS1123_LABEL_RE "')");
  return TRUE;
}

/**
 * hero_virt_kube_validate_dns1123_subdomain:
 * @name: a name, such as a pod's, deployment's or config map's
 * @error: return location for a #GError
 *
 * Checks that @name is an RFC 1123 subdomain as Kubernetes requires for
 * most object names: at most 253 characters, dot-separated labels of
 * `[a-z0-9-]` that start and end with a letter or digit.
 *
 * Returns: %TRUE if valid, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT and the API server's message
 *
 * Since: 0.1
 */
gboolean
hero_virt_kube_validate_dns1123_subdomain (const char *name, GError **error)
{
  const char *p;

  g_return_val_if_fail (name != NULL, FALSE);

  if (strlen (name) > 253)
    return hero_virt_set_invalid_argument (error, "RFC 1123 subdomain", name,
                                           "must be no more than 253 characters");
  for (p = name;;)
    {
      const char *dot = strchr (p, '.');
      size_t      len = dot ? (size_t)(dot - p) : strlen (p);

      if (!is_dns_label (p, len, FALSE))
        return hero_virt_set_invalid_argument (
            error, "RFC 1123 subdomain", name,
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
            "'-' or '.', and must start and end with an alphanumeric character (e.g. "
            "'example.com', regex used for validation is '" DNS1123_SUBDOMAIN_RE "')");
      if (dot == NULL)
        return TRUE;
      p = dot + 1;
    }
}

/**
 * hero_virt_kube_validate_dns1035_label:
 * @name: a name, such as a service's
 * @error: return location for a #GError
 *
 * Checks that @name is an RFC 1035 label as Kubernetes requires for
 * services: at most 63 characters of `[a-z0-9-]`, starting with a letter
 * and ending with a letter or digit.
 *
 * Returns: %TRUE if valid, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT and the API server's message
 *
 * Since: 0.1
 */
gboolean
hero_virt_kube_validate_dns1035_label (const char *name, GError **error)
{
  g_return_val_if_fail (name != NULL, FALSE);

  if (strlen (name) > 63)
    return hero_virt_set_invalid_argument (error, "RFC 1035 label", name,
                                           "must be no more than 63 characters");
  if (!is_dns_label (name, strlen (name), TRUE))
    return hero_virt_set_invalid_argument (
        error, "RFC 1035 label", name,
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
        "an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
        "'abc-123', regex used for validation is '" DNS1035_LABEL_RE "')");
  return TRUE;
}

/* [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?, at most 63: a label key's
 * name part, and any non-empty label value. */
static gboolean
is_qualified_name_part (const char *s)
{
  size_t len = strlen (s);

  if (len == 0 || len > 63 || !g_ascii_isalnum (s[0]) || !g_ascii_isalnum (s[len - 1]))
    return FALSE;
  for (size_t i = 0; i < len; i++)
    if (!(g_ascii_isalnum (s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.'))
      return FALSE;
  return TRUE;
}

/**
 * hero_virt_kube_validate_label_key:
 * @key: a label or annotation key, such as `app` or `app.kubernetes.io/name`
 * @error: return location for a #GError
 *
 * Checks that @key is a Kubernetes qualified name: an optional DNS-1123
 * subdomain prefix and a slash, then a name of at most 63 characters of
 * `[A-Za-z0-9-_.]` that starts and ends with a letter or digit.
 *
 * Returns: %TRUE if valid, else %FALSE with %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_kube_validate_label_key (const char *key, GError **error)
{
  const char *slash;
  const char *name;

  g_return_val_if_fail (key != NULL, FALSE);

  slash = strchr (key, '/');
  name = slash ? slash + 1 : key;
  if (slash != NULL)
    {
      g_autofree char *prefix = g_strndup (key, slash - key);

      if (!hero_virt_kube_validate_dns1123_subdomain (prefix, NULL))
        return hero_virt_set_invalid_argument (
            error, "label key", key, "prefix part must be a lowercase RFC 1123 subdomain");
    }
  if (!is_qualified_name_part (name))
    return hero_virt_set_invalid_argument (
        error, "label key", key,
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start "
        "and end with an alphanumeric character (at most 63 characters)");
  return TRUE;
}

/**
 * hero_virt_kube_validate_label_value:
 * @value: a label value
 * @error: return location for a #GError
 *
 * Checks that @value is a valid label value: empty, or at most 63
 * characters of `[A-Za-z0-9-_.]` that start and end with a letter or
 * digit.
 *
 * Returns: %TRUE if valid, else %FALSE with %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_kube_validate_label_value (const char *value, GError **error)
{
  g_return_val_if_fail (value != NULL, FALSE);

  if (*value != '\0' && !is_qualified_name_part (value))
    return hero_virt_set_invalid_argument (
        error, "label value", value,
        "a valid label must be an empty string or consist of alphanumeric characters, '-', "
        "'_' or '.', and must start and end with an alphanumeric character (at most 63 "
        "characters)");
  return TRUE;
}

/* Kubernetes selectors */

static gboolean
selector_error (GError **error, const char *what, const char *requirement, const char *why)
{
  g_autofree char *kind = g_strdup_printf ("%s selector requirement", what);

  return hero_virt_set_invalid_argument (error, kind, requirement, why);
}

/* Splits on commas outside parentheses, so `k in (a,b)` stays whole. */
static GPtrArray *
split_requirements (const char *selector)
{
  GPtrArray  *parts = g_ptr_array_new_with_free_func (g_free);
  const char *start = selector;
  int         depth = 0;

  for (const char *p = selector;; p++)
    {
      if (*p == '(')
        depth++;
      else if (*p == ')')
        depth--;
      else if ((*p == ',' && depth == 0) || *p == '\0')
        {
          g_ptr_array_add (parts, g_strstrip (g_strndup (start, p - start)));
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
  return parts;
}

static gboolean
validate_set (const char *requirement, const char *values, GError **error)
{
  g_autofree char *inner = NULL;
  g_auto (GStrv) items = NULL;
  size_t len = strlen (values);

  if (len < 2 || values[0] != '(' || values[len - 1] != ')')
    return selector_error (error, "label", requirement, "expected a parenthesised list of values");
  inner = g_strndup (values + 1, len - 2);
  items = g_strsplit (inner, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    if (!hero_virt_kube_validate_label_value (g_strstrip (items[i]), NULL))
      return selector_error (error, "label", requirement, "invalid label value in the list");
  return TRUE;
}

static gboolean
validate_label_requirement (const char *req, GError **error)
{
  static const char *const set_ops[] = { " notin ", " in " };
  const char              *op;
  g_autofree char         *key = NULL;

  if (*req == '\0')
    return selector_error (error, "label", req, "empty requirement");
  if (*req == '!')
    return hero_virt_kube_validate_label_key (req + 1, NULL)
           || selector_error (error, "label", req, "invalid label key");
  for (guint i = 0; i < G_N_ELEMENTS (set_ops); i++)
    {
      op = strstr (req, set_ops[i]);
      if (op == NULL)
        continue;
      g_autofree char *values = g_strstrip (g_strdup (op + strlen (set_ops[i])));

      key = g_strstrip (g_strndup (req, op - req));
      if (!hero_virt_kube_validate_label_key (key, NULL))
        return selector_error (error, "label", req, "invalid label key");
      return validate_set (req, values, error);
    }
  op = strpbrk (req, "!=");
  key = g_strstrip (g_strndup (req, op ? (size_t)(op - req) : strlen (req)));
  if (!hero_virt_kube_validate_label_key (key, NULL))
    return selector_error (error, "label", req, "invalid label key");
  if (op == NULL)
    return TRUE;
  if (op[0] == '!' && op[1] != '=')
    return selector_error (error, "label", req, "expected “!=”");
  op += (op[0] == '!' || op[1] == '=') ? 2 : 1;
  while (*op == ' ')
    op++;
  if (!hero_virt_kube_validate_label_value (op, NULL))
    return selector_error (error, "label", req, "invalid label value");
  return TRUE;
}

static gboolean
validate_field_requirement (const char *req, GError **error)
{
  const char *op = strpbrk (req, "!=");
  size_t      key_len = op ? (size_t)(op - req) : 0;

  if (op == NULL || key_len == 0
      || strspn (req, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._")
             != key_len)
    return selector_error (error, "field", req,
                           "expected field=value, field==value or field!=value");
  if (op[0] == '!' && op[1] != '=')
    return selector_error (error, "field", req, "expected “!=”");
  return TRUE;
}

static gboolean
validate_selector (const char *selector,
                   gboolean (*validate_requirement) (const char *, GError **),
                   GError **error)
{
  g_autoptr (GPtrArray) reqs = NULL;

  if (*selector == '\0')
    return TRUE;
  reqs = split_requirements (selector);
  for (guint i = 0; i < reqs->len; i++)
    if (!validate_requirement (g_ptr_array_index (reqs, i), error))
      return FALSE;
  return TRUE;
}

/**
 * hero_virt_kube_validate_label_selector:
 * @selector: a label selector such as `app=web,tier in (front,back),!canary`
 * @error: return location for a #GError
 *
 * Checks a label selector's syntax as the API server parses it:
 * comma-separated requirements `key`, `!key`, `key=value`, `key==value`,
 * `key!=value`, `key in (v1,v2)` and `key notin (v1,v2)`, with valid
 * label keys and values. The empty selector selects everything.
 *
 * Returns: %TRUE if valid, else %FALSE with %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_kube_validate_label_selector (const char *selector, GError **error)
{
  g_return_val_if_fail (selector != NULL, FALSE);

  return validate_selector (selector, validate_label_requirement, error);
}

/**
 * hero_virt_kube_validate_field_selector:
 * @selector: a field selector such as `status.phase=Running,metadata.name!=web`
 * @error: return location for a #GError
 *
 * Checks a field selector's syntax: comma-separated `field=value`,
 * `field==value` or `field!=value` with a field path of letters, digits,
 * `.` and `_`. The empty selector selects everything.
 *
 * Returns: %TRUE if valid, else %FALSE with %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_kube_validate_field_selector (const char *selector, GError **error)
{
  g_return_val_if_fail (selector != NULL, FALSE);

  return validate_selector (selector, validate_field_requirement, error);
}

/* ---- container settings (internal: the container builder and container) ---- */

/* Anchored at the very end: with GRegex's default, `$` also matches
 * before a final newline, so "host\n" would pass "^[a-z]+$". */
gboolean
_hero_virt_match (const char *pattern, const char *value)
{
  return value != NULL && g_regex_match_simple (pattern, value, G_REGEX_DOLLAR_ENDONLY, 0);
}

gboolean
_hero_virt_validate_port_mapping (const char *spec, GError **error)
{
  g_autoptr (GMatchInfo) match = NULL;
  g_autoptr (GRegex) re = g_regex_new (
      "^(?:(\\[[0-9a-fA-F:.]+\\]|[0-9.]+):)?([0-9]{1,5}):([0-9]{1,5})/(tcp|udp|sctp)$",
      G_REGEX_DOLLAR_ENDONLY, 0, NULL);
  g_autofree char *ip = NULL;
  g_autofree char *host = NULL;
  g_autofree char *ctr = NULL;

  if (!g_regex_match (re, spec, 0, &match))
    return hero_virt_set_invalid_argument (error, "port", spec,
                                           "use [host-ip:]host-port:container-port/(tcp|udp|sctp)");
  ip = g_match_info_fetch (match, 1);
  host = g_match_info_fetch (match, 2);
  ctr = g_match_info_fetch (match, 3);
  if (ip != NULL && *ip != '\0')
    {
      g_autofree char *bare = ip[0] == '[' ? g_strndup (ip + 1, strlen (ip) - 2) : g_strdup (ip);
      g_autoptr (GInetAddress) address = g_inet_address_new_from_string (bare);

      if (address == NULL)
        return hero_virt_set_invalid_argument (error, "port host address", ip, "not an IP address");
    }
  if (atoi (host) > 65535 || atoi (ctr) < 1 || atoi (ctr) > 65535)
    return hero_virt_set_invalid_argument (
        error, "port", spec, "ports go from 1 to 65535 (0 on the host side picks one)");
  return TRUE;
}

gboolean
_hero_virt_validate_volume (const char *spec, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (spec, ":", -1);
  guint n = g_strv_length (parts);

  if (n < 2 || n > 3 || (n == 3 && !g_str_equal (parts[2], "ro"))
      || !(parts[0][0] == '/' || _hero_virt_match (_HERO_VIRT_NAME_RE, parts[0]))
      || parts[1][0] != '/' || strchr (spec, ',') != NULL)
    return hero_virt_set_invalid_argument (
        error, "volume", spec,
        "use /host/path:/container/path[:ro] or volume-name:/container/path[:ro], without “,”");
  return TRUE;
}

gboolean
_hero_virt_validate_key_values (const char *const *items,
                                const char        *what,
                                const char        *key_pattern,
                                GError           **error)
{
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      const char      *item = items[i];
      const char      *eq = strchr (item, '=');
      g_autofree char *key = eq ? g_strndup (item, eq - item) : g_strdup (item);

      /* Only the key is named: the value may be a secret. */
      if (eq == NULL || !_hero_virt_match (key_pattern, key))
        return hero_virt_set_invalid_argument (
            error, what, key, "use key=value with a key of letters, digits and _ . / -");
    }
  return TRUE;
}

gboolean
_hero_virt_validate_each (const char *const *items,
                          const char        *what,
                          const char        *pattern,
                          const char        *why,
                          GError           **error)
{
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    if (!_hero_virt_match (pattern, items[i]))
      return hero_virt_set_invalid_argument (error, what, items[i], why);
  return TRUE;
}

gboolean
_hero_virt_validate_copy_paths (const char *host_path, const char *container_path, GError **error)
{
  if (host_path == NULL || *host_path == '\0' || *host_path == '-'
      || strchr (host_path, ':') != NULL)
    return hero_virt_set_invalid_argument (
        error, "host path", host_path, "give a path that does not start with “-” and has no “:”");
  if (container_path == NULL || container_path[0] != '/' || strchr (container_path, ':') != NULL)
    return hero_virt_set_invalid_argument (error, "container path", container_path,
                                           "give an absolute path without “:”");
  return TRUE;
}

gboolean
_hero_virt_validate_since (const char *since, GError **error)
{
  if (since != NULL && !_hero_virt_match ("^[0-9][0-9A-Za-z:.+-]*$", since))
    return hero_virt_set_invalid_argument (
        error, "time", since, "use an RFC 3339 time, a Unix time or a duration such as 10m");
  return TRUE;
}

gboolean
_hero_virt_validate_signal (const char *signal, GError **error)
{
  if (signal != NULL && !_hero_virt_match ("^(SIG)?[A-Z0-9+-]{1,12}$|^[0-9]{1,2}$", signal))
    return hero_virt_set_invalid_argument (error, "signal", signal,
                                           "use a name such as TERM or SIGKILL, or a number");
  return TRUE;
}

gboolean
_hero_virt_validate_duration (const char *what, const char *value, GError **error)
{
  if (value != NULL && !_hero_virt_match ("^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$|^0$", value))
    return hero_virt_set_invalid_argument (error, what, value,
                                           "use a duration such as 30s, 1m30s or 500ms");
  return TRUE;
}

/* ---- VM settings (internal: the VM spec and its devices) ---- */

gboolean
_hero_virt_validate_vm_name (const char *name, GError **error)
{
  size_t len = name ? strlen (name) : 0;

  if (name == NULL || !g_ascii_isalnum (name[0]) || len > 64
      || strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != len)
    return hero_virt_set_invalid_argument (
        error, "VM name", name,
        "use 1 to 64 of A-Z a-z 0-9 . _ -, starting with a letter or digit");
  return TRUE;
}

gboolean
_hero_virt_validate_vm_path (const char *what, const char *path, GError **error)
{
  g_autofree char *name = g_strdup_printf ("%s path", what);

  if (path == NULL || *path == '\0')
    return hero_virt_set_invalid_argument (error, name, path, "it is empty");
  if (!g_path_is_absolute (path))
    return hero_virt_set_invalid_argument (error, name, path, "it is not absolute");
  if (strpbrk (path, ",\n\r") != NULL)
    return hero_virt_set_invalid_argument (error, name, path,
                                           "it must not contain a comma or a line break");
  return TRUE;
}

gboolean
_hero_virt_validate_tap_name (const char *tap, GError **error)
{
  if (*tap == '\0' || *tap == '-' || strlen (tap) > 15
      || strspn (tap, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
             != strlen (tap))
    return hero_virt_set_invalid_argument (error, "tap interface name", tap,
                                           "use 1 to 15 of A-Z a-z 0-9 _ . -, not starting with -");
  return TRUE;
}

gboolean
_hero_virt_validate_mac_address (const char *mac, GError **error)
{
  for (guint i = 0; i < 17; i++)
    if (i % 3 == 2 ? mac[i] != ':' : !g_ascii_isxdigit (mac[i]))
      goto bad;
  if (mac[17] == '\0')
    return TRUE;
bad:
  return hero_virt_set_invalid_argument (error, "MAC address", mac,
                                         "expected six hex pairs such as 52:54:00:12:34:56");
}

/* ---- plugins (internal: the registry) ---- */

gboolean
_hero_virt_validate_provider_name (const char *name, GError **error)
{
  size_t len = name ? strlen (name) : 0;

  if (name == NULL || !g_ascii_isalnum (name[0]) || len > 64
      || strspn (name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != len)
    return hero_virt_set_invalid_argument (
        error, "provider name", name,
        "use 1 to 64 of a-z 0-9 - _, starting with a letter or digit");
  return TRUE;
}

/* ---- untrusted JSON ---- */

/**
 * hero_virt_json_parse_untrusted:
 * @data: (array length=len) (element-type guint8): the JSON text
 * @len: its length in bytes
 * @max_depth: the deepest nesting of arrays and objects allowed, or 0 for
 *   128
 * @max_bytes: the longest text allowed, or 0 for 64 MiB
 * @error: return location for a #GError
 *
 * Parses JSON that came from outside (a tool's output, a REST body, a
 * Kubernetes object) with bounds checked first: a cheap scan over the
 * bytes refuses text longer than @max_bytes or nested deeper than
 * @max_depth with %HERO_VIRT_ERROR_TOO_LARGE before json-glib sees it
 * (json-glib recurses per level and runs out of stack on input some 100 000
 * levels deep).
 *
 * Returns: (transfer full): the root node, or %NULL with
 *   %HERO_VIRT_ERROR_TOO_LARGE or %HERO_VIRT_ERROR_PARSE
 *
 * Since: 0.1
 */
JsonNode *
hero_virt_json_parse_untrusted (const guint8 *data,
                                gsize         len,
                                guint         max_depth,
                                gsize         max_bytes,
                                GError      **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local_error = NULL;
  gboolean in_string = FALSE;
  guint    depth = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (max_depth == 0)
    max_depth = 128;
  if (max_bytes == 0)
    max_bytes = 64 * 1024 * 1024;
  if (len > max_bytes)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE,
                   "JSON of %" G_GSIZE_FORMAT " bytes is longer than the limit of %" G_GSIZE_FORMAT
                   " bytes",
                   len, max_bytes);
      return NULL;
    }
  for (gsize i = 0; i < len; i++)
    {
      guint8 c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            {
              g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TOO_LARGE,
                           "JSON nested deeper than %u levels (at byte %" G_GSIZE_FORMAT ")",
                           max_depth, i);
              return NULL;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *)data, len, &local_error))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "Invalid JSON: %s",
                   local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_PARSE, "Invalid JSON: it is empty");
      return NULL;
    }
  return json_parser_steal_root (parser);
}
