"""A pytest plugin for nbval runs in a subprocess (``-p nbval_ipc``): nbval's kernels over Unix sockets.

nbval starts its kernels with jupyter_client's TCP ports, which a kernel started at the same moment by another
test process can take (jupyter_client issue 487; see ``optgrade.local_kernel``): the run then waits on the
wrong kernel. nbval has no option for the transport, so its kernel manager is replaced by one that uses
``ipc://`` sockets named by a new id, as the workbook's own runs do.
"""

import nbval.kernel
from jupyter_client.manager import KernelManager

from optgrade.local_kernel import ipc_prefix


class IpcKernelManager(KernelManager):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport, self.ip = "ipc", ipc_prefix()


nbval.kernel.KernelManager = IpcKernelManager
