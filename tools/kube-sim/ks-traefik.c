/* placeholder */
#include "kube-sim.h"
void
ks_install_traefik_crds (KsSim *sim)
{
}
