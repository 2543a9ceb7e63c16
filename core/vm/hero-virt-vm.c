/* hero-virt-vm.c: the Vm object: construction, the hooks of its generated
 * methods (vm-object.json), and the console (log, follow, wait)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hero-virt-vm-object-private.h"

/**
 * HeroVirtVm:
 *
 * A virtual machine: create it from a [class@HeroVirt.VmSpec], start,
 * stop, reboot, pause and resume it, read its info, snapshot, restore and
 * resize it, read and follow its serial console, delete it.
 *
 * ```python
 * spec = (HeroVirt.VmBuilder.new("web")
 *         .set_kernel("/boot/vmlinuz").set_initramfs("/boot/initrd.img")
 *         .set_cmdline("console=ttyS0").set_memory_mb(256)
 *         .add_disk("/var/lib/vms/web.qcow2", False)
 *         .build())
 * vm = HeroVirt.Vm.new(spec)
 * vm.create(None)
 * vm.start(None)
 * vm.wait_for_console("login:", 60, None)
 * vm.stop(True, 30, None)
 * vm.delete(False, None)
 * ```
 *
 * The work is done by a [iface@HeroVirt.HypervisorProvider]: the one named
 * at construction, else the one `HERO_VIRT_HYPERVISOR` names (`qemu`,
 * `cloudhv`), else the first available by priority, for the VM's
 * [iface@HeroVirt.Executor] (this machine unless another is given). VMs
 * are kept in records the provider writes, so a Vm made with
 * [ctor@HeroVirt.Vm.new_for_id] in another process, or
 * [func@HeroVirt.Vm.list], finds them again. Every I/O method has an
 * `_async`/`_finish` form taking the same arguments; they are generated
 * from `vm-object.json` and forward to the provider's async operations.
 *
 * Since: 0.1
 */

enum
{
  PROP_0,
  PROP_ID,
  PROP_SPEC,
  PROP_EXECUTOR,
  PROP_PROVIDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtVm, hero_virt_vm, G_TYPE_OBJECT)

static void
hero_virt_vm_finalize (GObject *object)
{
  HeroVirtVm *self = HERO_VIRT_VM (object);

  g_free (self->id);
  g_clear_object (&self->spec);
  g_clear_object (&self->executor);
  g_clear_object (&self->provider);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (hero_virt_vm_parent_class)->finalize (object);
}

static void
hero_virt_vm_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HeroVirtVm *self = HERO_VIRT_VM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_mutex_lock (&self->lock);
      g_value_set_string (value, self->id);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_SPEC:
      g_value_set_object (value, self->spec);
      break;
    case PROP_EXECUTOR:
      g_value_set_object (value, self->executor);
      break;
    case PROP_PROVIDER:
      g_mutex_lock (&self->lock);
      g_value_set_object (value, self->provider);
      g_mutex_unlock (&self->lock);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_vm_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  HeroVirtVm *self = HERO_VIRT_VM (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_SPEC:
      self->spec = g_value_dup_object (value);
      break;
    case PROP_EXECUTOR:
      self->executor = g_value_dup_object (value);
      break;
    case PROP_PROVIDER:
      self->provider = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hero_virt_vm_constructed (GObject *object)
{
  HeroVirtVm *self = HERO_VIRT_VM (object);

  G_OBJECT_CLASS (hero_virt_vm_parent_class)->constructed (object);

  if (self->executor == NULL)
    self->executor = g_object_ref (hero_virt_executor_get_default ());
  if (self->id == NULL && self->spec != NULL)
    self->id = g_strdup (hero_virt_vm_spec_get_name (self->spec));
}

static void
hero_virt_vm_class_init (HeroVirtVmClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_vm_finalize;
  object_class->get_property = hero_virt_vm_get_property;
  object_class->set_property = hero_virt_vm_set_property;
  object_class->constructed = hero_virt_vm_constructed;

  /**
   * HeroVirtVm:id:
   *
   * The VM's id: its spec's name.
   *
   * Since: 0.1
   */
  properties[PROP_ID] = g_param_spec_string (
      "id", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtVm:spec:
   *
   * The spec [method@HeroVirt.Vm.create] defines the VM from, or %NULL
   * for a VM found by id (its spec is then in [method@HeroVirt.Vm.get_info]).
   *
   * Since: 0.1
   */
  properties[PROP_SPEC]
      = g_param_spec_object ("spec", NULL, NULL, HERO_VIRT_TYPE_VM_SPEC,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtVm:executor:
   *
   * Where the VM's hypervisor runs; the local executor by default.
   *
   * Since: 0.1
   */
  properties[PROP_EXECUTOR]
      = g_param_spec_object ("executor", NULL, NULL, HERO_VIRT_TYPE_EXECUTOR,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * HeroVirtVm:provider:
   *
   * The hypervisor provider; when not given, the registry's default for
   * the executor (see `HERO_VIRT_HYPERVISOR`), chosen on first use.
   *
   * Since: 0.1
   */
  properties[PROP_PROVIDER]
      = g_param_spec_object ("provider", NULL, NULL, HERO_VIRT_TYPE_HYPERVISOR_PROVIDER,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hero_virt_vm_init (HeroVirtVm *self)
{
  g_mutex_init (&self->lock);
}

/**
 * hero_virt_vm_new:
 * @spec: what the VM is made of
 *
 * Creates an object for a VM to be defined from @spec on this machine with
 * the default hypervisor provider; its id is the spec's name. Nothing is
 * made until [method@HeroVirt.Vm.create].
 *
 * Returns: (transfer full): a new #HeroVirtVm
 *
 * Since: 0.1
 */
HeroVirtVm *
hero_virt_vm_new (HeroVirtVmSpec *spec)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_SPEC (spec), NULL);

  return g_object_new (HERO_VIRT_TYPE_VM, "spec", spec, NULL);
}

/**
 * hero_virt_vm_new_for_id:
 * @id: an existing VM's id
 *
 * Creates an object for the VM @id that exists already (made by this
 * process or another), on this machine with the default hypervisor
 * provider. The id is checked by the first method called.
 *
 * Returns: (transfer full): a new #HeroVirtVm
 *
 * Since: 0.1
 */
HeroVirtVm *
hero_virt_vm_new_for_id (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (HERO_VIRT_TYPE_VM, "id", id, NULL);
}

/**
 * hero_virt_vm_new_full:
 * @spec: (nullable): what the VM is made of, for [method@HeroVirt.Vm.create]
 * @id: (nullable): the VM's id; by default the spec's name
 * @provider_name: (nullable): the hypervisor provider (`qemu`, `cloudhv`),
 *   or %NULL for the default
 * @executor: (nullable): where the hypervisor runs, or %NULL for this
 *   machine
 * @error: return location for a #GError
 *
 * Creates an object for a VM with a chosen provider and executor. One of
 * @spec and @id is needed; when both are given, @id must be the spec's
 * name. An unknown provider is %HERO_VIRT_ERROR_NOT_FOUND.
 *
 * Returns: (transfer full): a new #HeroVirtVm, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtVm *
hero_virt_vm_new_full (HeroVirtVmSpec   *spec,
                       const char       *id,
                       const char       *provider_name,
                       HeroVirtExecutor *executor,
                       GError          **error)
{
  g_autoptr (GObject) provider = NULL;

  g_return_val_if_fail (spec == NULL || HERO_VIRT_IS_VM_SPEC (spec), NULL);
  g_return_val_if_fail (executor == NULL || HERO_VIRT_IS_EXECUTOR (executor), NULL);

  if (spec == NULL && id == NULL)
    {
      hero_virt_set_invalid_argument (error, "VM", NULL, "give a spec or an id");
      return NULL;
    }
  if (spec != NULL && id != NULL && g_strcmp0 (id, hero_virt_vm_spec_get_name (spec)) != 0)
    {
      hero_virt_set_invalid_argument (error, "VM id", id, "it must be the spec's name");
      return NULL;
    }
  if (provider_name != NULL)
    {
      provider = hero_virt_registry_get_provider (hero_virt_registry_get_default (),
                                                  HERO_VIRT_PROVIDER_KIND_HYPERVISOR, provider_name,
                                                  error);
      if (provider == NULL)
        return NULL;
    }
  return g_object_new (HERO_VIRT_TYPE_VM, "spec", spec, "id", id, "executor", executor, "provider",
                       provider, NULL);
}

/**
 * hero_virt_vm_get_id:
 * @self: a #HeroVirtVm
 *
 * Returns: the VM's id
 *
 * Since: 0.1
 */
const char *
hero_virt_vm_get_id (HeroVirtVm *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM (self), NULL);
  return self->id;
}

/**
 * hero_virt_vm_get_spec:
 * @self: a #HeroVirtVm
 *
 * Returns: (transfer none) (nullable): the spec the VM was made with, or
 *   %NULL for a VM found by id
 *
 * Since: 0.1
 */
HeroVirtVmSpec *
hero_virt_vm_get_spec (HeroVirtVm *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM (self), NULL);
  return self->spec;
}

/**
 * hero_virt_vm_get_executor:
 * @self: a #HeroVirtVm
 *
 * Returns: (transfer none): where the hypervisor runs
 *
 * Since: 0.1
 */
HeroVirtExecutor *
hero_virt_vm_get_executor (HeroVirtVm *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM (self), NULL);
  return self->executor;
}

/**
 * hero_virt_vm_get_provider:
 * @self: a #HeroVirtVm
 * @error: return location for a #GError
 *
 * Returns the provider: the one given at construction, or else the
 * registry's default hypervisor provider for the VM's executor, chosen on
 * first use.
 *
 * Returns: (transfer full): the provider, or %NULL when none is available
 *
 * Since: 0.1
 */
HeroVirtHypervisorProvider *
hero_virt_vm_get_provider (HeroVirtVm *self, GError **error)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM (self), NULL);

  return _hero_virt_vm_lookup_provider (self, NULL, error);
}

HeroVirtHypervisorProvider *
_hero_virt_vm_lookup_provider (HeroVirtVm *self, GCancellable *cancellable, GError **error)
{
  HeroVirtHypervisorProvider *ret = NULL;

  g_mutex_lock (&self->lock);
  if (self->provider == NULL)
    {
      GObject *provider = hero_virt_registry_find_provider (
          hero_virt_registry_get_default (), HERO_VIRT_PROVIDER_KIND_HYPERVISOR, NULL,
          self->executor, cancellable, error);
      self->provider = provider ? HERO_VIRT_HYPERVISOR_PROVIDER (provider) : NULL;
    }
  if (self->provider != NULL)
    ret = g_object_ref (self->provider);
  g_mutex_unlock (&self->lock);
  return ret;
}

gboolean
_hero_virt_vm_check_id (HeroVirtVm *self, GError **error)
{
  return _hero_virt_validate_vm_name (self->id, error);
}

gboolean
_hero_virt_vm_check_spec (HeroVirtVm *self, GError **error)
{
  if (self->spec == NULL)
    return hero_virt_set_invalid_argument (error, "VM", self->id,
                                           "it was made without a spec, so it cannot be created");
  return hero_virt_vm_spec_validate (self->spec, error);
}

gboolean
_hero_virt_vm_created (HeroVirtVm *self, char *id)
{
  g_mutex_lock (&self->lock);
  if (g_strcmp0 (self->id, id) != 0)
    {
      g_free (self->id);
      self->id = g_steal_pointer (&id);
    }
  g_mutex_unlock (&self->lock);
  g_free (id);
  return TRUE;
}

/* ---- the console ---- */

static char *
console_path (HeroVirtVm *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (HeroVirtVmInfo) info = hero_virt_vm_get_info (self, cancellable, error);
  const char *path;

  if (info == NULL)
    return NULL;
  path = hero_virt_vm_info_get_console_path (info);
  if (path == NULL || *path == '\0')
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                   "VM “%s” has no console log (its serial port is off or not a file)", self->id);
      return NULL;
    }
  return g_strdup (path);
}

static GBytes *
read_log (HeroVirtVm *self, const char *path, GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  GBytes *bytes = hero_virt_executor_read_file (self->executor, path, cancellable, &local_error);

  if (bytes == NULL && g_error_matches (local_error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND))
    return g_bytes_new (NULL, 0); /* not written yet: nothing to show */
  if (bytes == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return bytes;
}

/**
 * hero_virt_vm_get_console_log:
 * @self: a #HeroVirtVm
 * @tail_lines: how many lines from the end, or 0 for the whole log
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads what the guest wrote on its serial console so far (the log file
 * its provider reports as [property@HeroVirt.VmInfo:console-path]), read
 * through the VM's executor. Bytes that are not UTF-8 are replaced. A VM
 * whose serial port is not a log file is %HERO_VIRT_ERROR_NOT_SUPPORTED.
 *
 * Returns: (transfer full): the log, or its last @tail_lines lines, or
 *   %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_vm_get_console_log (HeroVirtVm   *self,
                              guint         tail_lines,
                              GCancellable *cancellable,
                              GError      **error)
{
  g_autofree char *path = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  const char      *data;
  gsize            len;
  const char      *start;

  g_return_val_if_fail (HERO_VIRT_IS_VM (self), NULL);

  if (!_hero_virt_vm_check_id (self, error) || !(path = console_path (self, cancellable, error))
      || !(bytes = read_log (self, path, cancellable, error)))
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  text = g_utf8_make_valid (data != NULL ? data : "", (gssize)len);
  if (tail_lines == 0)
    return g_steal_pointer (&text);
  len = strlen (text);
  start = text + len;
  /* A final line break does not start another line. */
  if (start > text && start[-1] == '\n')
    start--;
  for (guint n = 0; start > text; start--)
    if (start[-1] == '\n' && ++n == tail_lines)
      break;
  return g_strdup (start);
}

/* A GInputStream over a growing file: reads block until there is more (or
 * the file is deleted: end of stream), or the cancellable fires. */
#define HERO_VIRT_TYPE_CONSOLE_STREAM (hero_virt_console_stream_get_type ())
G_DECLARE_FINAL_TYPE (HeroVirtConsoleStream,
                      hero_virt_console_stream,
                      HERO_VIRT,
                      CONSOLE_STREAM,
                      GInputStream)

struct _HeroVirtConsoleStream
{
  GInputStream parent_instance;
  int          fd;
};

G_DEFINE_FINAL_TYPE (HeroVirtConsoleStream, hero_virt_console_stream, G_TYPE_INPUT_STREAM)

static gssize
console_stream_read (GInputStream *stream,
                     void         *buffer,
                     gsize         count,
                     GCancellable *cancellable,
                     GError      **error)
{
  HeroVirtConsoleStream *self = HERO_VIRT_CONSOLE_STREAM (stream);
  GPollFD                cancel_fd = { -1, G_IO_IN, 0 };
  gboolean               have_cancel_fd = g_cancellable_make_pollfd (cancellable, &cancel_fd);

  for (;;)
    {
      gssize      n;
      struct stat st;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      n = read (self->fd, buffer, count);
      if (n > 0)
        {
          if (have_cancel_fd)
            g_cancellable_release_fd (cancellable);
          return n;
        }
      if (n < 0 && errno != EINTR)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Cannot read the console log: %s", g_strerror (saved));
          break;
        }
      if (n == 0 && fstat (self->fd, &st) == 0 && st.st_nlink == 0)
        {
          if (have_cancel_fd)
            g_cancellable_release_fd (cancellable);
          return 0; /* the VM was deleted: end of stream */
        }
      if (n == 0)
        {
          if (have_cancel_fd)
            g_poll (&cancel_fd, 1, 50);
          else
            g_usleep (50000);
        }
    }
  if (have_cancel_fd)
    g_cancellable_release_fd (cancellable);
  return -1;
}

static gboolean
console_stream_close (GInputStream *stream, GCancellable *cancellable, GError **error)
{
  HeroVirtConsoleStream *self = HERO_VIRT_CONSOLE_STREAM (stream);

  if (self->fd >= 0)
    g_close (self->fd, NULL);
  self->fd = -1;
  return TRUE;
}

static void
hero_virt_console_stream_finalize (GObject *object)
{
  HeroVirtConsoleStream *self = HERO_VIRT_CONSOLE_STREAM (object);

  if (self->fd >= 0)
    g_close (self->fd, NULL);
  G_OBJECT_CLASS (hero_virt_console_stream_parent_class)->finalize (object);
}

static void
hero_virt_console_stream_class_init (HeroVirtConsoleStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hero_virt_console_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = console_stream_read;
  G_INPUT_STREAM_CLASS (klass)->close_fn = console_stream_close;
}

static void
hero_virt_console_stream_init (HeroVirtConsoleStream *self)
{
  self->fd = -1;
}

/**
 * hero_virt_vm_follow_console:
 * @self: a #HeroVirtVm
 * @from_start: read the log from its beginning; else only what comes next
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Opens the VM's console log for following, like `tail -f`: reads from the
 * returned stream block until the guest writes more. Cancel the
 * #GCancellable passed to a read (or close the stream) to stop; the
 * stream ends when the VM is deleted. Reading it calls no provider, so it
 * can run in any thread (a #GDataInputStream on top gives lines). Only for
 * VMs on this machine: another executor is %HERO_VIRT_ERROR_NOT_SUPPORTED.
 *
 * Returns: (transfer full): the stream, or %NULL on error
 *
 * Since: 0.1
 */
GInputStream *
hero_virt_vm_follow_console (HeroVirtVm   *self,
                             gboolean      from_start,
                             GCancellable *cancellable,
                             GError      **error)
{
  g_autofree char       *path = NULL;
  HeroVirtConsoleStream *stream;
  int                    fd;

  g_return_val_if_fail (HERO_VIRT_IS_VM (self), NULL);

  if (!hero_virt_executor_is_local (self->executor))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                   "Following the console of VM “%s” works on this machine only; use "
                   "hero_virt_vm_get_console_log() through another executor",
                   self->id);
      return NULL;
    }
  if (!_hero_virt_vm_check_id (self, error) || !(path = console_path (self, cancellable, error)))
    return NULL;
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_CREAT, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_IO, "Cannot open the console log %s: %s",
                   path, g_strerror (saved));
      return NULL;
    }
  if (!from_start)
    lseek (fd, 0, SEEK_END);
  stream = g_object_new (HERO_VIRT_TYPE_CONSOLE_STREAM, NULL);
  stream->fd = fd;
  return G_INPUT_STREAM (stream);
}

static char *
match_line (GRegex *regex, const char *line, gsize len)
{
  g_autofree char *text = g_utf8_make_valid (line, (gssize)len);

  if (g_regex_match (regex, text, 0, NULL))
    return g_steal_pointer (&text);
  return NULL;
}

/**
 * hero_virt_vm_wait_for_console:
 * @self: a #HeroVirtVm
 * @pattern: a Perl-compatible regular expression (#GRegex syntax)
 * @timeout_seconds: how long to wait
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Waits until a line of the VM's console log matches @pattern, searching
 * the log from its beginning, so a line written before the call counts.
 * Not finding it in time is %HERO_VIRT_ERROR_TIMEOUT; a VM that stops
 * while waiting is %HERO_VIRT_ERROR_FAILED; a bad pattern is
 * %HERO_VIRT_ERROR_INVALID_ARGUMENT. The log is read through the VM's
 * executor, every 100 ms.
 *
 * Returns: (transfer full): the first matching line (without its line
 *   break), or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_vm_wait_for_console (HeroVirtVm   *self,
                               const char   *pattern,
                               guint         timeout_seconds,
                               GCancellable *cancellable,
                               GError      **error)
{
  g_autoptr (GRegex) regex = NULL;
  g_autoptr (GError) regex_error = NULL;
  g_autofree char *path = NULL;
  gint64           deadline;
  gint64           next_state_check;
  gsize            scanned = 0;

  g_return_val_if_fail (HERO_VIRT_IS_VM (self), NULL);
  g_return_val_if_fail (pattern != NULL, NULL);

  regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, &regex_error);
  if (regex == NULL)
    {
      hero_virt_set_invalid_argument (error, "console pattern", pattern, regex_error->message);
      return NULL;
    }
  if (!_hero_virt_vm_check_id (self, error) || !(path = console_path (self, cancellable, error)))
    return NULL;
  deadline = g_get_monotonic_time () + (gint64)timeout_seconds * G_USEC_PER_SEC;
  next_state_check = g_get_monotonic_time () + G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr (GBytes) bytes = read_log (self, path, cancellable, error);
      const char *data;
      gsize       len;
      gsize       line_start;

      if (bytes == NULL)
        return NULL;
      data = g_bytes_get_data (bytes, &len);
      if (len < scanned)
        scanned = 0; /* the log started again (a new boot) */
      line_start = scanned;
      for (gsize i = scanned; i < len; i++)
        if (data[i] == '\n')
          {
            gsize end = (i > line_start && data[i - 1] == '\r') ? i - 1 : i;
            char *hit = match_line (regex, data + line_start, end - line_start);

            if (hit != NULL)
              return hit;
            line_start = i + 1;
          }
      scanned = line_start;
      /* The line being written counts too (a prompt has no line break). */
      if (len > line_start)
        {
          char *hit = match_line (regex, data + line_start, len - line_start);

          if (hit != NULL)
            return hit;
        }
      if (g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_TIMEOUT,
                       "VM “%s” wrote no console line matching “%s” within %u s", self->id, pattern,
                       timeout_seconds);
          return NULL;
        }
      if (g_get_monotonic_time () >= next_state_check)
        {
          g_autoptr (HeroVirtVmInfo) info = hero_virt_vm_get_info (self, cancellable, error);

          if (info == NULL)
            return NULL;
          if (hero_virt_vm_info_get_state (info) == HERO_VIRT_VM_STATE_STOPPED
              || hero_virt_vm_info_get_state (info) == HERO_VIRT_VM_STATE_CREATED)
            {
              g_autoptr (GBytes) last = read_log (self, path, cancellable, NULL);

              /* Unless it came just before it stopped. */
              if (last != NULL && g_bytes_get_size (last) > len)
                continue;
              g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_FAILED,
                           "VM “%s” is not running; its console has no line matching “%s”",
                           self->id, pattern);
              return NULL;
            }
          next_state_check = g_get_monotonic_time () + G_USEC_PER_SEC;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      g_usleep (100000);
    }
}

typedef struct
{
  char *pattern;
  guint timeout_seconds;
} WaitData;

static void
wait_data_free (gpointer p)
{
  WaitData *d = p;

  g_free (d->pattern);
  g_free (d);
}

static void
wait_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  WaitData *d = task_data;
  GError   *error = NULL;
  char *line = hero_virt_vm_wait_for_console (HERO_VIRT_VM (source), d->pattern, d->timeout_seconds,
                                              cancellable, &error);

  if (line != NULL)
    g_task_return_pointer (task, line, g_free);
  else
    g_task_return_error (task, error);
}

/**
 * hero_virt_vm_wait_for_console_async:
 * @self: a #HeroVirtVm
 * @pattern: a Perl-compatible regular expression (#GRegex syntax)
 * @timeout_seconds: how long to wait
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation completes
 * @user_data: data for @callback
 *
 * Starts [method@HeroVirt.Vm.wait_for_console] (in a worker thread: it
 * polls a file); finish it with [method@HeroVirt.Vm.wait_for_console_finish].
 *
 * Since: 0.1
 */
void
hero_virt_vm_wait_for_console_async (HeroVirtVm         *self,
                                     const char         *pattern,
                                     guint               timeout_seconds,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  WaitData *d;

  g_return_if_fail (HERO_VIRT_IS_VM (self));
  g_return_if_fail (pattern != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hero_virt_vm_wait_for_console_async);
  d = g_new0 (WaitData, 1);
  d->pattern = g_strdup (pattern);
  d->timeout_seconds = timeout_seconds;
  g_task_set_task_data (task, d, wait_data_free);
  g_task_run_in_thread (task, wait_thread);
}

/**
 * hero_virt_vm_wait_for_console_finish:
 * @self: a #HeroVirtVm
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@HeroVirt.Vm.wait_for_console_async].
 *
 * Returns: (transfer full): the first matching line, or %NULL on error
 *
 * Since: 0.1
 */
char *
hero_virt_vm_wait_for_console_finish (HeroVirtVm *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, hero_virt_vm_wait_for_console_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- SSH into the guest ---- */

/**
 * hero_virt_vm_get_ssh_executor:
 * @self: a #HeroVirtVm
 * @user: the guest user to log in as
 * @guest_port: the guest's SSH port, or 0 for 22
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns an executor that runs commands inside the guest over SSH,
 * through the host port its user-mode network forwards to @guest_port
 * ([method@HeroVirt.VmBuilder.add_port_forward]). It is not connected yet;
 * set its key and known-hosts file as for any
 * [class@HeroVirt.SshExecutor]. A VM without such a forward is
 * %HERO_VIRT_ERROR_NOT_FOUND; a VM on another host's executor is
 * %HERO_VIRT_ERROR_NOT_SUPPORTED (its forward listens on that host).
 *
 * Returns: (transfer full): a new #HeroVirtSshExecutor, or %NULL on error
 *
 * Since: 0.1
 */
HeroVirtSshExecutor *
hero_virt_vm_get_ssh_executor (HeroVirtVm   *self,
                               const char   *user,
                               guint         guest_port,
                               GCancellable *cancellable,
                               GError      **error)
{
  g_autoptr (HeroVirtVmInfo) info = NULL;
  HeroVirtVmSpec *spec = self->spec;
  g_autoptr (GPtrArray) forwards = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_VM (self), NULL);
  g_return_val_if_fail (user != NULL, NULL);

  if (guest_port == 0)
    guest_port = 22;
  if (!hero_virt_executor_is_local (self->executor))
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_SUPPORTED,
                   "VM “%s” runs through another host's executor; its forwarded port listens there",
                   self->id);
      return NULL;
    }
  if (!_hero_virt_vm_check_id (self, error))
    return NULL;
  if (spec == NULL)
    {
      info = hero_virt_vm_get_info (self, cancellable, error);
      if (info == NULL)
        return NULL;
      spec = hero_virt_vm_info_get_spec (info);
    }
  forwards = spec != NULL ? hero_virt_vm_spec_list_port_forwards (spec) : NULL;
  for (guint i = 0; forwards != NULL && i < forwards->len; i++)
    {
      HeroVirtVmPortForward *forward = g_ptr_array_index (forwards, i);
      const char            *addr = hero_virt_vm_port_forward_get_host_address (forward);

      if (g_strcmp0 (hero_virt_vm_port_forward_get_protocol (forward), "tcp") == 0
          && hero_virt_vm_port_forward_get_guest_port (forward) == guest_port)
        /* A forward listening on every address is reached on loopback. */
        return hero_virt_ssh_executor_new (strcmp (addr, "0.0.0.0") == 0 ? "127.0.0.1" : addr,
                                           hero_virt_vm_port_forward_get_host_port (forward), user);
    }
  g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_NOT_FOUND,
               "VM “%s” forwards no host TCP port to its port %u; add one with "
               "hero_virt_vm_builder_add_port_forward()",
               self->id, guest_port);
  return NULL;
}
