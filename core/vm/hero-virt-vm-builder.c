/* hero-virt-vm-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-vm-private.h"

/**
 * HeroVirtVmBuilder:
 *
 * Builds a [class@HeroVirt.VmSpec] step by step. Every setter returns the
 * builder, so calls chain; [method@HeroVirt.VmBuilder.build] validates
 * and hands out an immutable spec, leaving the builder free to make more.
 *
 * ```python
 * spec = (HeroVirt.VmBuilder.new("web")
 *         .set_kernel("/boot/vmlinux").set_cmdline("console=ttyS0 root=/dev/vda")
 *         .set_vcpus(2).set_memory_mb(1024)
 *         .add_disk("/var/lib/vms/web.qcow2", False)
 *         .add_tap_net("tap0")
 *         .build())
 * ```
 *
 * The builder's properties mirror the spec's, so
 * `HeroVirt.VmBuilder(name="web", vcpus=2)` works too.
 *
 * Since: 0.1
 */
struct _HeroVirtVmBuilder
{
  GObject parent_instance;

  HeroVirtVmSpec *spec;     /* edited in place; copied by build() */
  GPtrArray      *forwards; /* of HeroVirtVmPortForward, for the first user net */
};

static GParamSpec *properties[VM_SPEC_N_PROPS];

G_DEFINE_FINAL_TYPE (HeroVirtVmBuilder, hero_virt_vm_builder, G_TYPE_OBJECT)

static void
hero_virt_vm_builder_finalize (GObject *object)
{
  HeroVirtVmBuilder *self = HERO_VIRT_VM_BUILDER (object);

  g_clear_object (&self->spec);

  g_ptr_array_unref (self->forwards);

  G_OBJECT_CLASS (hero_virt_vm_builder_parent_class)->finalize (object);
}

static void
hero_virt_vm_builder_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  _hero_virt_vm_spec_get_prop (HERO_VIRT_VM_BUILDER (object)->spec, prop_id, value);
}

/* The one place a property changes, for the setters and set_property
 * alike: the spec stores the value, the builder notifies by pspec. */
static void
store (HeroVirtVmBuilder *self, guint prop_id, const GValue *value)
{
  if (_hero_virt_vm_spec_set_prop (self->spec, prop_id, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
hero_virt_vm_builder_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  store (HERO_VIRT_VM_BUILDER (object), prop_id, value);
}

static void
store_string (HeroVirtVmBuilder *self, guint prop_id, const char *string)
{
  g_auto (GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_static_string (&value, string);
  store (self, prop_id, &value);
}

static void
hero_virt_vm_builder_class_init (HeroVirtVmBuilderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hero_virt_vm_builder_finalize;
  object_class->get_property = hero_virt_vm_builder_get_property;
  object_class->set_property = hero_virt_vm_builder_set_property;

  /**
   * HeroVirtVmBuilder:name:
   *
   * See [property@HeroVirt.VmSpec:name].
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmBuilder:kernel:
   *
   * See [property@HeroVirt.VmSpec:kernel].
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmBuilder:initramfs:
   *
   * See [property@HeroVirt.VmSpec:initramfs].
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmBuilder:cmdline:
   *
   * See [property@HeroVirt.VmSpec:cmdline].
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmBuilder:firmware:
   *
   * See [property@HeroVirt.VmSpec:firmware].
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmBuilder:vcpus:
   *
   * See [property@HeroVirt.VmSpec:vcpus].
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmBuilder:memory-mb:
   *
   * See [property@HeroVirt.VmSpec:memory-mb].
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmBuilder:serial-mode:
   *
   * See [property@HeroVirt.VmSpec:serial-mode].
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmBuilder:serial-path:
   *
   * See [property@HeroVirt.VmSpec:serial-path].
   *
   * Since: 0.1
   */
  /**
   * HeroVirtVmBuilder:extra-args:
   *
   * See [property@HeroVirt.VmSpec:extra-args].
   *
   * Since: 0.1
   */
  _hero_virt_vm_spec_make_pspecs (properties, G_PARAM_READWRITE);
  g_object_class_install_properties (object_class, VM_SPEC_N_PROPS, properties);
}

static void
hero_virt_vm_builder_init (HeroVirtVmBuilder *self)
{
  self->forwards = g_ptr_array_new_with_free_func (g_object_unref);
  self->spec = g_object_new (HERO_VIRT_TYPE_VM_SPEC, NULL);
}

/**
 * hero_virt_vm_builder_new:
 * @name: (nullable): the VM's name
 *
 * Returns: (transfer full): a new builder for a VM with 1 vCPU, 512 MiB
 *   of memory, no disks and no network
 *
 * Since: 0.1
 */
HeroVirtVmBuilder *
hero_virt_vm_builder_new (const char *name)
{
  return g_object_new (HERO_VIRT_TYPE_VM_BUILDER, "name", name, NULL);
}

#define DEFINE_STRING_SETTER(field, PROP)                                                          \
  HeroVirtVmBuilder *hero_virt_vm_builder_set_##field (HeroVirtVmBuilder *self, const char *field) \
  {                                                                                                \
    g_return_val_if_fail (HERO_VIRT_IS_VM_BUILDER (self), NULL);                                   \
    store_string (self, VM_SPEC_PROP_##PROP, field);                                               \
    return self;                                                                                   \
  }

/**
 * hero_virt_vm_builder_set_name:
 * @self: a #HeroVirtVmBuilder
 * @name: (nullable): the new value
 *
 * Sets [property@HeroVirt.VmBuilder:name].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
DEFINE_STRING_SETTER (name, NAME)

/**
 * hero_virt_vm_builder_set_kernel:
 * @self: a #HeroVirtVmBuilder
 * @kernel: (type filename) (nullable): the new value
 *
 * Sets [property@HeroVirt.VmBuilder:kernel].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
DEFINE_STRING_SETTER (kernel, KERNEL)

/**
 * hero_virt_vm_builder_set_initramfs:
 * @self: a #HeroVirtVmBuilder
 * @initramfs: (type filename) (nullable): the new value
 *
 * Sets [property@HeroVirt.VmBuilder:initramfs].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
DEFINE_STRING_SETTER (initramfs, INITRAMFS)

/**
 * hero_virt_vm_builder_set_cmdline:
 * @self: a #HeroVirtVmBuilder
 * @cmdline: (nullable): the new value
 *
 * Sets [property@HeroVirt.VmBuilder:cmdline].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
DEFINE_STRING_SETTER (cmdline, CMDLINE)

/**
 * hero_virt_vm_builder_set_firmware:
 * @self: a #HeroVirtVmBuilder
 * @firmware: (type filename) (nullable): the new value
 *
 * Sets [property@HeroVirt.VmBuilder:firmware].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
DEFINE_STRING_SETTER (firmware, FIRMWARE)

/**
 * hero_virt_vm_builder_set_vcpus:
 * @self: a #HeroVirtVmBuilder
 * @vcpus: the new value
 *
 * Sets [property@HeroVirt.VmBuilder:vcpus].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmBuilder *
hero_virt_vm_builder_set_vcpus (HeroVirtVmBuilder *self, guint vcpus)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_BUILDER (self), NULL);

  {
    g_auto (GValue) value = G_VALUE_INIT;

    g_value_set_uint (g_value_init (&value, G_TYPE_UINT), vcpus);
    store (self, VM_SPEC_PROP_VCPUS, &value);
  }
  return self;
}

/**
 * hero_virt_vm_builder_set_memory_mb:
 * @self: a #HeroVirtVmBuilder
 * @memory_mb: the new value
 *
 * Sets [property@HeroVirt.VmBuilder:memory-mb].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmBuilder *
hero_virt_vm_builder_set_memory_mb (HeroVirtVmBuilder *self, guint64 memory_mb)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_BUILDER (self), NULL);

  {
    g_auto (GValue) value = G_VALUE_INIT;

    g_value_set_uint64 (g_value_init (&value, G_TYPE_UINT64), memory_mb);
    store (self, VM_SPEC_PROP_MEMORY_MB, &value);
  }
  return self;
}

/**
 * hero_virt_vm_builder_set_serial:
 * @self: a #HeroVirtVmBuilder
 * @mode: where the serial console goes
 * @path: (type filename) (nullable): the file or socket for the file and
 *   socket modes, or %NULL for one in the VM's directory
 *
 * Sets [property@HeroVirt.VmBuilder:serial-mode] and
 * [property@HeroVirt.VmBuilder:serial-path].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmBuilder *
hero_virt_vm_builder_set_serial (HeroVirtVmBuilder   *self,
                                 HeroVirtVmSerialMode mode,
                                 const char          *path)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_BUILDER (self), NULL);

  {
    g_auto (GValue) value = G_VALUE_INIT;

    g_value_set_enum (g_value_init (&value, HERO_VIRT_TYPE_VM_SERIAL_MODE), mode);
    g_object_freeze_notify (G_OBJECT (self));
    store (self, VM_SPEC_PROP_SERIAL_MODE, &value);
    store_string (self, VM_SPEC_PROP_SERIAL_PATH, path);
    g_object_thaw_notify (G_OBJECT (self));
  }
  return self;
}

/**
 * hero_virt_vm_builder_add_disk:
 * @self: a #HeroVirtVmBuilder
 * @path: (type filename): the image's absolute path
 * @readonly: whether the guest sees it read-only
 *
 * Attaches a disk whose format the backend probes. Use
 * [method@HeroVirt.VmBuilder.add_disk_device] to give the format.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmBuilder *
hero_virt_vm_builder_add_disk (HeroVirtVmBuilder *self, const char *path, gboolean readonly)
{
  g_autoptr (HeroVirtVmDisk) disk = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_VM_BUILDER (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  disk = hero_virt_vm_disk_set_readonly (hero_virt_vm_disk_new (path), readonly);
  _hero_virt_vm_spec_add_disk (self->spec, disk);
  return self;
}

/**
 * hero_virt_vm_builder_add_disk_device:
 * @self: a #HeroVirtVmBuilder
 * @disk: the disk; it is copied, so later changes to it do not count
 *
 * Attaches a disk.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmBuilder *
hero_virt_vm_builder_add_disk_device (HeroVirtVmBuilder *self, HeroVirtVmDisk *disk)
{
  g_autoptr (HeroVirtVmDisk) copy = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_VM_BUILDER (self), NULL);
  g_return_val_if_fail (HERO_VIRT_IS_VM_DISK (disk), NULL);

  copy = g_object_new (HERO_VIRT_TYPE_VM_DISK, "path", hero_virt_vm_disk_get_path (disk), "format",
                       hero_virt_vm_disk_get_format (disk), "readonly",
                       hero_virt_vm_disk_get_readonly (disk), NULL);
  _hero_virt_vm_spec_add_disk (self->spec, copy);
  return self;
}

/**
 * hero_virt_vm_builder_add_user_net:
 * @self: a #HeroVirtVmBuilder
 *
 * Adds a user-mode network device (see %HERO_VIRT_VM_NET_MODE_USER).
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmBuilder *
hero_virt_vm_builder_add_user_net (HeroVirtVmBuilder *self)
{
  g_autoptr (HeroVirtVmNet) net = hero_virt_vm_net_new_user ();

  g_return_val_if_fail (HERO_VIRT_IS_VM_BUILDER (self), NULL);

  _hero_virt_vm_spec_add_net (self->spec, net);
  return self;
}

/**
 * hero_virt_vm_builder_add_tap_net:
 * @self: a #HeroVirtVmBuilder
 * @tap: (nullable): the host tap interface, or %NULL to let the backend
 *   create one
 *
 * Adds a network device on a tap interface.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmBuilder *
hero_virt_vm_builder_add_tap_net (HeroVirtVmBuilder *self, const char *tap)
{
  g_autoptr (HeroVirtVmNet) net = hero_virt_vm_net_new_for_tap (tap);

  g_return_val_if_fail (HERO_VIRT_IS_VM_BUILDER (self), NULL);

  _hero_virt_vm_spec_add_net (self->spec, net);
  return self;
}

/**
 * hero_virt_vm_builder_add_net_device:
 * @self: a #HeroVirtVmBuilder
 * @net: the device; it is copied, so later changes to it do not count
 *
 * Adds a network device.
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmBuilder *
hero_virt_vm_builder_add_net_device (HeroVirtVmBuilder *self, HeroVirtVmNet *net)
{
  g_autoptr (HeroVirtVmNet) copy = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_VM_BUILDER (self), NULL);
  g_return_val_if_fail (HERO_VIRT_IS_VM_NET (net), NULL);

  copy = g_object_new (HERO_VIRT_TYPE_VM_NET, "mode", hero_virt_vm_net_get_mode (net), "tap",
                       hero_virt_vm_net_get_tap (net), "mac", hero_virt_vm_net_get_mac (net), NULL);
  /* Forwards are immutable: sharing them is copying them. */
  for (guint i = 0; i < hero_virt_vm_net_get_port_forwards (net)->len; i++)
    hero_virt_vm_net_add_port_forward (copy, hero_virt_vm_net_get_port_forwards (net)->pdata[i]);
  _hero_virt_vm_spec_add_net (self->spec, copy);
  return self;
}

/**
 * hero_virt_vm_builder_add_extra_arg:
 * @self: a #HeroVirtVmBuilder
 * @arg: one argument for the hypervisor's command line
 *
 * Appends to [property@HeroVirt.VmBuilder:extra-args].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmBuilder *
hero_virt_vm_builder_add_extra_arg (HeroVirtVmBuilder *self, const char *arg)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_BUILDER (self), NULL);
  g_return_val_if_fail (arg != NULL, NULL);

  _hero_virt_vm_spec_add_extra_arg (self->spec, arg);
  g_object_notify_by_pspec (G_OBJECT (self), properties[VM_SPEC_PROP_EXTRA_ARGS]);
  return self;
}

/**
 * hero_virt_vm_builder_build:
 * @self: a #HeroVirtVmBuilder
 * @error: return location for a #GError
 *
 * Validates what was set (see [method@HeroVirt.VmSpec.validate]) and
 * returns it as a new spec. The builder is left as it was.
 *
 * Returns: (transfer full): a new valid #HeroVirtVmSpec, or %NULL with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
HeroVirtVmSpec *
hero_virt_vm_builder_build (HeroVirtVmBuilder *self, GError **error)
{
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (HeroVirtVmSpec) spec = NULL;
  HeroVirtVmNet *user_net = NULL;
  GPtrArray     *nets;

  g_return_val_if_fail (HERO_VIRT_IS_VM_BUILDER (self), NULL);

  if (!hero_virt_vm_spec_validate (self->spec, error))
    return NULL;
  /* A deep copy through the record format, so the result shares nothing
   * with the builder. */
  node = hero_virt_vm_spec_to_json_node (self->spec);
  spec = hero_virt_vm_spec_new_from_json_node (node, error);
  if (spec == NULL || self->forwards->len == 0)
    return g_steal_pointer (&spec);

  /* The builder's port forwards go to the copy's first user-mode device,
   * so a device the caller passed in is never changed. */
  nets = hero_virt_vm_spec_get_nets (spec);
  for (guint i = 0; i < nets->len && user_net == NULL; i++)
    if (hero_virt_vm_net_get_mode (nets->pdata[i]) == HERO_VIRT_VM_NET_MODE_USER)
      user_net = nets->pdata[i];
  if (user_net == NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "VM “%s” forwards ports but has no user-mode network; add one with "
                   "hero_virt_vm_builder_add_user_net()",
                   hero_virt_vm_spec_get_name (spec));
      return NULL;
    }
  for (guint i = 0; i < self->forwards->len; i++)
    hero_virt_vm_net_add_port_forward (user_net, self->forwards->pdata[i]);
  if (!hero_virt_vm_spec_validate (spec, error))
    return NULL;
  return g_steal_pointer (&spec);
}

/**
 * hero_virt_vm_builder_add_cloud_init_seed:
 * @self: a #HeroVirtVmBuilder
 * @path: (type filename): the seed image's absolute path, as
 *   [method@HeroVirt.CloudInit.write_seed] wrote it
 *
 * Attaches a cloud-init NoCloud seed: a read-only raw disk (its format is
 * stated, never probed).
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmBuilder *
hero_virt_vm_builder_add_cloud_init_seed (HeroVirtVmBuilder *self, const char *path)
{
  g_autoptr (HeroVirtVmDisk) disk = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_VM_BUILDER (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  disk = hero_virt_vm_disk_new (path);
  hero_virt_vm_disk_set_format (disk, "raw");
  hero_virt_vm_disk_set_readonly (disk, TRUE);
  _hero_virt_vm_spec_add_disk (self->spec, disk);
  return self;
}

/**
 * hero_virt_vm_builder_add_port_forward:
 * @self: a #HeroVirtVmBuilder
 * @protocol: `tcp` or `udp`
 * @host_address: (nullable): the host IPv4 address to listen on, or %NULL
 *   for 127.0.0.1 (the host's loopback: only local processes reach it)
 * @host_port: the host port (1 to 65535)
 * @guest_port: the guest's port (1 to 65535)
 *
 * Forwards @host_address:@host_port on the host to @guest_port in the
 * guest, through the VM's first user-mode network device (add one with
 * [method@HeroVirt.VmBuilder.add_user_net], before or after this call).
 * The built spec holds it as a [class@HeroVirt.VmPortForward] of that
 * device; the qemu plugin maps it to `hostfwd=`, the cloudhv plugin
 * refuses user-mode networking with %HERO_VIRT_ERROR_NOT_SUPPORTED.
 * Bad values (a protocol other than tcp and udp, a port out of range, a
 * host address that is not dotted IPv4, a host port forwarded twice) and
 * a VM without user-mode network are reported by
 * [method@HeroVirt.VmBuilder.build].
 *
 * Returns: (transfer none): @self
 *
 * Since: 0.1
 */
HeroVirtVmBuilder *
hero_virt_vm_builder_add_port_forward (HeroVirtVmBuilder *self,
                                       const char        *protocol,
                                       const char        *host_address,
                                       guint              host_port,
                                       guint              guest_port)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_BUILDER (self), NULL);
  g_return_val_if_fail (protocol != NULL, NULL);

  g_ptr_array_add (self->forwards,
                   hero_virt_vm_port_forward_new (protocol, host_address, host_port, guest_port));
  return self;
}
