/* hero-virt-port-forward.c: a local listening port whose connections go
 * to a pod's port, each through its own port-forward stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "hero-virt-private.h"

/**
 * HeroVirtPortForward:
 *
 * Forwards a port on 127.0.0.1 to a port of a Kubernetes pod, as
 * `kubectl port-forward` does: every connection accepted on the local
 * port gets its own stream to the pod's port
 * ([method@HeroVirt.ClusterProvider.port_forward_connection]), and bytes
 * are copied both ways until either side closes. Many connections can be
 * open at once. A connection the pod's port refuses (nothing listens
 * there) is closed, and only that one; its error is kept
 * ([method@HeroVirt.PortForward.dup_last_error]).
 *
 * It needs no main loop: the listener and each connection run in threads
 * of their own. [method@HeroVirt.PortForward.stop] (or dropping the last
 * reference) closes the listening socket and every connection and waits
 * for their threads, so no port stays open.
 *
 * Since: 0.1
 */
struct _HeroVirtPortForward
{
  GObject parent_instance;

  HeroVirtClusterProvider *provider;
  char *namespace;
  char *pod;
  guint remote_port;

  GMutex           lock;
  GSocketListener *listener;
  guint            local_port;
  GCancellable    *cancellable;
  GThread         *accept_thread;
  GPtrArray       *connections; /* Conn */
  guint            active;
  guint64          total;
  GError          *last_error;
};

typedef struct
{
  HeroVirtPortForward *self; /* not a reference: stop() joins us first */
  GSocketConnection   *connection;
  GThread             *thread;
  gboolean             done;
} Conn;

G_DEFINE_FINAL_TYPE (HeroVirtPortForward, hero_virt_port_forward, G_TYPE_OBJECT)

static gpointer
conn_thread (gpointer data)
{
  Conn                *c = data;
  HeroVirtPortForward *self = c->self;
  g_autoptr (GError) error = NULL;

  if (!hero_virt_cluster_provider_port_forward_connection (
          self->provider, NULL, self->namespace, self->pod, self->remote_port,
          G_IO_STREAM (c->connection), self->cancellable, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("port-forward to %s:%u: %s", self->pod, self->remote_port, error->message);
      g_mutex_lock (&self->lock);
      g_clear_error (&self->last_error);
      self->last_error = g_steal_pointer (&error);
      g_mutex_unlock (&self->lock);
    }
  g_io_stream_close (G_IO_STREAM (c->connection), NULL, NULL);
  g_mutex_lock (&self->lock);
  self->active--;
  c->done = TRUE;
  g_mutex_unlock (&self->lock);
  return NULL;
}

static void
conn_free (Conn *c)
{
  if (c->thread)
    g_thread_join (c->thread);
  g_clear_object (&c->connection);
  g_free (c);
}

static gpointer
accept_thread (gpointer data)
{
  HeroVirtPortForward *self = data;

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      GSocketConnection *connection
          = g_socket_listener_accept (self->listener, NULL, self->cancellable, &error);
      Conn *c;

      if (connection == NULL)
        {
          if (g_cancellable_is_cancelled (self->cancellable))
            break;
          g_debug ("port-forward: accept: %s", error->message);
          g_usleep (10000);
          continue;
        }
      g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY, 1,
                           NULL);
      c = g_new0 (Conn, 1);
      c->self = self;
      c->connection = connection;
      g_mutex_lock (&self->lock);
      /* Finished connections are reaped here, so the list stays short. */
      for (guint i = self->connections->len; i > 0; i--)
        {
          Conn *old = self->connections->pdata[i - 1];
          if (old->done)
            g_ptr_array_remove_index_fast (self->connections, i - 1);
        }
      self->active++;
      self->total++;
      g_ptr_array_add (self->connections, c);
      c->thread = g_thread_new ("hero-virt-port-forward", conn_thread, c);
      g_mutex_unlock (&self->lock);
    }
  return NULL;
}

static void
hero_virt_port_forward_dispose (GObject *object)
{
  hero_virt_port_forward_stop (HERO_VIRT_PORT_FORWARD (object));
  G_OBJECT_CLASS (hero_virt_port_forward_parent_class)->dispose (object);
}

static void
hero_virt_port_forward_finalize (GObject *object)
{
  HeroVirtPortForward *self = HERO_VIRT_PORT_FORWARD (object);

  g_clear_object (&self->provider);
  g_free (self->namespace);
  g_free (self->pod);
  g_ptr_array_unref (self->connections);
  g_clear_error (&self->last_error);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (hero_virt_port_forward_parent_class)->finalize (object);
}

static void
hero_virt_port_forward_class_init (HeroVirtPortForwardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hero_virt_port_forward_dispose;
  object_class->finalize = hero_virt_port_forward_finalize;
}

static void
hero_virt_port_forward_init (HeroVirtPortForward *self)
{
  g_mutex_init (&self->lock);
  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify)conn_free);
}

/**
 * hero_virt_port_forward_new:
 * @provider: the cluster provider
 * @namespace: (nullable): the pod's namespace, or %NULL for the
 *   provider's default
 * @pod: the pod's name
 * @remote_port: the pod's port, 1 to 65535
 *
 * A port forward to @remote_port of @pod, not yet listening: call
 * [method@HeroVirt.PortForward.start].
 *
 * Returns: (transfer full): a new #HeroVirtPortForward
 *
 * Since: 0.1
 */
HeroVirtPortForward *
hero_virt_port_forward_new (HeroVirtClusterProvider *provider,
                            const char *namespace,
                            const char *pod,
                            guint       remote_port)
{
  HeroVirtPortForward *self;

  g_return_val_if_fail (HERO_VIRT_IS_CLUSTER_PROVIDER (provider), NULL);
  g_return_val_if_fail (pod != NULL, NULL);

  self = g_object_new (HERO_VIRT_TYPE_PORT_FORWARD, NULL);
  self->provider = g_object_ref (provider);
  self->namespace = g_strdup (namespace);
  self->pod = g_strdup (pod);
  self->remote_port = remote_port;
  return self;
}

/**
 * hero_virt_port_forward_start:
 * @self: a #HeroVirtPortForward
 * @local_port: the port to listen on at 127.0.0.1, or 0 for one the
 *   system picks ([method@HeroVirt.PortForward.get_local_port] tells it)
 * @error: return location for a #GError
 *
 * Starts listening and forwarding. A port in use is
 * %HERO_VIRT_ERROR_EXISTS; a bad port number or pod name
 * %HERO_VIRT_ERROR_INVALID_ARGUMENT. Whether the pod and its port exist is
 * only known per connection.
 *
 * Returns: %TRUE once it listens
 *
 * Since: 0.1
 */
gboolean
hero_virt_port_forward_start (HeroVirtPortForward *self, guint local_port, GError **error)
{
  g_autoptr (GInetAddress) loopback = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GSocketAddress) effective = NULL;
  g_autoptr (GSocketListener) listener = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (HERO_VIRT_IS_PORT_FORWARD (self), FALSE);

  if (self->remote_port == 0 || self->remote_port > 65535 || local_port > 65535)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "Not a port: %u (1 to 65535)",
                   local_port > 65535 ? local_port : self->remote_port);
      return FALSE;
    }
  if (!hero_virt_kube_validate_dns1123_subdomain (self->pod, error))
    return FALSE;
  if (self->listener != NULL)
    {
      g_set_error (error, HERO_VIRT_ERROR, HERO_VIRT_ERROR_INVALID_ARGUMENT,
                   "The port forward is already started");
      return FALSE;
    }
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, (guint16)local_port);
  listener = g_socket_listener_new ();
  if (!g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, &local_error))
    {
      g_set_error (error, HERO_VIRT_ERROR,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE)
                       ? HERO_VIRT_ERROR_EXISTS
                       : HERO_VIRT_ERROR_IO,
                   "Cannot listen on 127.0.0.1:%u: %s", local_port, local_error->message);
      return FALSE;
    }
  self->local_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  self->listener = g_steal_pointer (&listener);
  self->cancellable = g_cancellable_new ();
  self->accept_thread = g_thread_new ("hero-virt-port-forward-accept", accept_thread, self);
  g_debug ("port-forward 127.0.0.1:%u -> %s:%u", self->local_port, self->pod, self->remote_port);
  return TRUE;
}

/**
 * hero_virt_port_forward_stop:
 * @self: a #HeroVirtPortForward
 *
 * Stops: closes the listening socket and every forwarded connection, and
 * waits until their threads are done. Stopping a stopped forward does
 * nothing.
 *
 * Since: 0.1
 */
void
hero_virt_port_forward_stop (HeroVirtPortForward *self)
{
  g_autoptr (GPtrArray) connections = NULL;

  g_return_if_fail (HERO_VIRT_IS_PORT_FORWARD (self));

  if (self->listener == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_thread_join (self->accept_thread);
  self->accept_thread = NULL;
  g_socket_listener_close (self->listener);
  g_clear_object (&self->listener);
  g_mutex_lock (&self->lock);
  connections = g_steal_pointer (&self->connections);
  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify)conn_free);
  g_mutex_unlock (&self->lock);
  /* Joins every connection's thread (cancelled above). */
  g_clear_pointer (&connections, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
}

/**
 * hero_virt_port_forward_get_local_port:
 * @self: a #HeroVirtPortForward
 *
 * Returns: the port it listens on at 127.0.0.1, or 0 before it started
 *
 * Since: 0.1
 */
guint
hero_virt_port_forward_get_local_port (HeroVirtPortForward *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PORT_FORWARD (self), 0);
  return self->local_port;
}

/**
 * hero_virt_port_forward_get_remote_port:
 * @self: a #HeroVirtPortForward
 *
 * Returns: the pod's port
 *
 * Since: 0.1
 */
guint
hero_virt_port_forward_get_remote_port (HeroVirtPortForward *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PORT_FORWARD (self), 0);
  return self->remote_port;
}

/**
 * hero_virt_port_forward_get_pod:
 * @self: a #HeroVirtPortForward
 *
 * Returns: the pod's name
 *
 * Since: 0.1
 */
const char *
hero_virt_port_forward_get_pod (HeroVirtPortForward *self)
{
  g_return_val_if_fail (HERO_VIRT_IS_PORT_FORWARD (self), NULL);
  return self->pod;
}

/**
 * hero_virt_port_forward_get_active_connections:
 * @self: a #HeroVirtPortForward
 *
 * Returns: how many connections are being forwarded now
 *
 * Since: 0.1
 */
guint
hero_virt_port_forward_get_active_connections (HeroVirtPortForward *self)
{
  guint n;

  g_return_val_if_fail (HERO_VIRT_IS_PORT_FORWARD (self), 0);
  g_mutex_lock (&self->lock);
  n = self->active;
  g_mutex_unlock (&self->lock);
  return n;
}

/**
 * hero_virt_port_forward_get_total_connections:
 * @self: a #HeroVirtPortForward
 *
 * Returns: how many connections it accepted since it started
 *
 * Since: 0.1
 */
guint64
hero_virt_port_forward_get_total_connections (HeroVirtPortForward *self)
{
  guint64 n;

  g_return_val_if_fail (HERO_VIRT_IS_PORT_FORWARD (self), 0);
  g_mutex_lock (&self->lock);
  n = self->total;
  g_mutex_unlock (&self->lock);
  return n;
}

/**
 * hero_virt_port_forward_dup_last_error:
 * @self: a #HeroVirtPortForward
 *
 * The error that ended the last connection that failed, such as a pod
 * port nothing listens on (%HERO_VIRT_ERROR_NETWORK).
 *
 * Returns: (transfer full) (nullable): a copy of the error, or %NULL
 *
 * Since: 0.1
 */
GError *
hero_virt_port_forward_dup_last_error (HeroVirtPortForward *self)
{
  GError *e;

  g_return_val_if_fail (HERO_VIRT_IS_PORT_FORWARD (self), NULL);
  g_mutex_lock (&self->lock);
  e = self->last_error ? g_error_copy (self->last_error) : NULL;
  g_mutex_unlock (&self->lock);
  return e;
}
