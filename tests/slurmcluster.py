"""A single-node SLURM cluster on localhost for tests: munged, slurmctld and slurmd in a temp dir.

Everything lives under one directory (config, state, spool, logs, munge key and socket);
clients find it through SLURM_CONF. The daemons run in the foreground as children of
this process and are stopped by process id.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

FAKE_GPUS = ("/dev/null", "/dev/zero")
SLURM_CONF = """\
ClusterName=invariance-test
SlurmctldHost={host}
SlurmctldPort={ctld_port}
SlurmdPort={d_port}
AuthType=auth/munge
AuthInfo=socket={root}/munge/munge.socket
CredType=cred/munge
SlurmUser={user}
SlurmdUser=root
StateSaveLocation={root}/state
SlurmdSpoolDir={root}/spool
SlurmctldPidFile={root}/slurmctld.pid
SlurmdPidFile={root}/slurmd.pid
SlurmctldLogFile={root}/slurmctld.log
SlurmdLogFile={root}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
# Finished jobs stay visible to `scontrol show job` for an hour: the tests read where each one ran.
MinJobAge=3600
KillWait=5
Waittime=0
GresTypes=gpu
# The node may claim more CPUs than the machine has: a packed submission asks for one per model.
SlurmdParameters=config_overrides
NodeName={host} CPUs={cpus} RealMemory={mem} Gres=gpu:{gpus} State=UNKNOWN
# The two partitions profiles/slurm/partitions.yaml names, on the one node.
PartitionName=cpu Nodes={host} Default=YES MaxTime=INFINITE State=UP
PartitionName=gpu Nodes={host} MaxTime=INFINITE State=UP
"""


# snakemake-executor-plugin-slurm-jobstep drops every SLURM_* variable, SLURM_CONF included,
# before its nested srun, so srun inside a job only finds the default config path.
SYSTEM_CONF = Path("/etc/slurm/slurm.conf")


def available() -> str | None:
    """None when a throwaway cluster can be started here, else why not."""
    missing = [b for b in ("munged", "slurmctld", "slurmd", "sbatch", "squeue") if shutil.which(b) is None]
    if missing:
        return f"SLURM is not installed ({', '.join(missing)} missing; `apt-get install slurm-wlm munge`)"
    if os.geteuid() != 0:
        return "slurmd must run as root to start jobs"
    if SYSTEM_CONF.exists():
        return f"{SYSTEM_CONF} exists: this machine has a real SLURM setup, which the test must not replace"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, root: Path, cpus: int = 8, mem_mb: int = 20000):
        self.root = root
        self.procs: list[subprocess.Popen] = []
        self.host = socket.gethostname()
        for d in ("munge", "state", "spool"):
            (root / d).mkdir(parents=True, exist_ok=True)
        os.chmod(root / "munge", 0o700)
        self.conf = root / "slurm.conf"
        self.conf.write_text(
            SLURM_CONF.format(
                host=self.host,
                ctld_port=_free_port(),
                d_port=_free_port(),
                root=root,
                user="root",
                cpus=cpus,
                mem=mem_mb,
                gpus=len(FAKE_GPUS),
            )
        )
        # Stand-in GPUs: device files that exist, so the profile's GPU requests are scheduled
        # (and CUDA_VISIBLE_DEVICES set) exactly as on a GPU node; torch sees no CUDA and uses the CPU.
        (root / "gres.conf").write_text("".join(f"Name=gpu File={f}\n" for f in FAKE_GPUS))
        self.env = {**os.environ, "SLURM_CONF": str(self.conf)}

    def start(self, timeout: float = 60) -> "Cluster":
        SYSTEM_CONF.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.conf, SYSTEM_CONF)
        shutil.copy(self.root / "gres.conf", SYSTEM_CONF.with_name("gres.conf"))
        key = self.root / "munge" / "munge.key"
        key.write_bytes(os.urandom(1024))
        os.chmod(key, 0o400)
        m = self.root / "munge"
        self._spawn(
            [
                "munged",
                "-F",
                "--force",
                f"--key-file={key}",
                f"--socket={m}/munge.socket",
                f"--pid-file={m}/munged.pid",
                f"--log-file={m}/munged.log",
                f"--seed-file={m}/munged.seed",
            ]
        )
        self._wait(lambda: (m / "munge.socket").exists(), timeout, "munged")
        self._spawn(["slurmctld", "-D", "-i", "-f", str(self.conf)])
        self._wait(lambda: self._ok(["scontrol", "ping"], "UP"), timeout, "slurmctld")
        self._spawn(["slurmd", "-D", "-f", str(self.conf), "-N", self.host])
        self._wait(lambda: self._ok(["sinfo", "-h", "-o", "%T"], "idle"), timeout, "slurmd")
        return self

    def _spawn(self, cmd):
        log = open(self.root / f"{cmd[0]}.stdout", "w")
        self.procs.append(subprocess.Popen(cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT))

    def _ok(self, cmd, word) -> bool:
        out = subprocess.run(cmd, env=self.env, capture_output=True, text=True)
        return word in out.stdout

    def _wait(self, ready, timeout, what):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if ready():
                return
            if any(p.poll() is not None for p in self.procs):
                break
            time.sleep(0.5)
        logs = "\n".join(f"--- {p.name}\n{p.read_text()[-2000:]}" for p in self.root.glob("*.log*") if p.is_file())
        self.stop()
        raise RuntimeError(f"{what} did not come up:\n{logs}")

    def stop(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        self.procs.clear()
        SYSTEM_CONF.unlink(missing_ok=True)
        SYSTEM_CONF.with_name("gres.conf").unlink(missing_ok=True)
