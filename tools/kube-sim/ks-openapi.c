/* ks-openapi.c: placeholder, replaced below */
#include "kube-sim.h"
GBytes *
ks_openapi_v2 (KsSim *sim)
{
  return g_bytes_new ("\x0a\x03"
                      "2.0",
                      5);
}
GBytes *
ks_openapi_v3_root (KsSim *sim)
{
  return g_bytes_new_static ("{\"paths\":{}}", 12);
}
GBytes *
ks_openapi_v3_group (KsSim *sim, const char *gv)
{
  return NULL;
}
void
ks_openapi_invalidate (KsSim *sim)
{
  if (sim->openapi_cache)
    g_hash_table_remove_all (sim->openapi_cache);
}
