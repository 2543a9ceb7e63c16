/* hero-virt-vm-port-forward-extra.c: what the generated VmPortForward does
 * not write: its constructor (with the 127.0.0.1 default), validation and
 * the hypervisor-neutral text form
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "hero-virt-vm-private.h"

/**
 * hero_virt_vm_port_forward_new:
 * @protocol: `tcp` or `udp`
 * @host_address: (nullable): the host IPv4 address to listen on, or %NULL
 *   for 127.0.0.1
 * @host_port: the host port (1 to 65535)
 * @guest_port: the guest's port (1 to 65535)
 *
 * Creates a port forward. Nothing is checked here:
 * [method@HeroVirt.VmPortForward.validate] does it (and
 * [method@HeroVirt.VmSpec.validate] for every forward of a spec).
 *
 * Returns: (transfer full): a new #HeroVirtVmPortForward
 *
 * Since: 0.1
 */
HeroVirtVmPortForward *
hero_virt_vm_port_forward_new (const char *protocol,
                               const char *host_address,
                               guint       host_port,
                               guint       guest_port)
{
  g_return_val_if_fail (protocol != NULL, NULL);

  return g_object_new (HERO_VIRT_TYPE_VM_PORT_FORWARD, "protocol", protocol, "host-address",
                       host_address != NULL ? host_address : "127.0.0.1", "host-port", host_port,
                       "guest-port", guest_port, NULL);
}

gboolean
_hero_virt_is_ipv4_address (const char *text)
{
  g_auto (GStrv) parts = NULL;

  if (text == NULL || *text == '\0' || strspn (text, "0123456789.") != strlen (text))
    return FALSE;
  parts = g_strsplit (text, ".", -1);
  if (g_strv_length (parts) != 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    if (!g_ascii_string_to_unsigned (parts[i], 10, 0, 255, NULL, NULL))
      return FALSE;
  return TRUE;
}

/**
 * hero_virt_vm_port_forward_validate:
 * @self: a #HeroVirtVmPortForward
 * @error: return location for a #GError
 *
 * Checks the forward before anything runs: the protocol is `tcp` or
 * `udp`, the host address a dotted IPv4 address (so no commas or other
 * option syntax can reach the hypervisor's command line) and both ports
 * are 1 to 65535.
 *
 * Returns: %TRUE if the forward is valid, else %FALSE with
 *   %HERO_VIRT_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hero_virt_vm_port_forward_validate (HeroVirtVmPortForward *self, GError **error)
{
  const char *protocol;
  const char *address;
  guint       host_port, guest_port;

  g_return_val_if_fail (HERO_VIRT_IS_VM_PORT_FORWARD (self), FALSE);

  protocol = hero_virt_vm_port_forward_get_protocol (self);
  address = hero_virt_vm_port_forward_get_host_address (self);
  host_port = hero_virt_vm_port_forward_get_host_port (self);
  guest_port = hero_virt_vm_port_forward_get_guest_port (self);
  if (g_strcmp0 (protocol, "tcp") != 0 && g_strcmp0 (protocol, "udp") != 0)
    return hero_virt_set_invalid_argument (error, "port forward protocol", protocol,
                                           "use tcp or udp");
  if (!_hero_virt_is_ipv4_address (address))
    return hero_virt_set_invalid_argument (error, "port forward host address", address,
                                           "use a dotted IPv4 address such as 127.0.0.1");
  if (host_port < 1 || host_port > 65535 || guest_port < 1 || guest_port > 65535)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Invalid port forward %u -> %u: ports are 1 to 65535", host_port, guest_port);
      return FALSE;
    }
  return TRUE;
}

/**
 * hero_virt_vm_port_forward_to_string:
 * @self: a #HeroVirtVmPortForward
 *
 * Returns the forward as `PROTO:HOSTADDR:HOSTPORT-:GUESTPORT`, the form
 * of qemu's `hostfwd=` (and of `hero-virt vm info`).
 *
 * Returns: (transfer full): the forward as text
 *
 * Since: 0.1
 */
char *
hero_virt_vm_port_forward_to_string (HeroVirtVmPortForward *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_VM_PORT_FORWARD (self), NULL);

  return g_strdup_printf ("%s:%s:%u-:%u", hero_virt_vm_port_forward_get_protocol (self),
                          hero_virt_vm_port_forward_get_host_address (self),
                          hero_virt_vm_port_forward_get_host_port (self),
                          hero_virt_vm_port_forward_get_guest_port (self));
}
