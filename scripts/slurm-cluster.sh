#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine from Debian's packages, so
# that examples/slurm/ can be submitted as real jobs (scripts/slurm-test.sh,
# run by .ci/run). Needs root. Safe to run again: it installs what is
# missing, rewrites the configuration only when it changed, restarts only
# daemons that are not running (or all of them after a change), and waits
# until the node takes jobs.
#
#   scripts/slurm-cluster.sh          # install, configure, start, wait
#   scripts/slurm-cluster.sh --stop   # stop the daemons this script started
#
# Settings (environment):
#   SLURM_CLUSTER_TIMEOUT   seconds to wait for the node to be idle (60)
#
# The cluster: one node named after the host (`hostname -s`), with the CPUs
# and memory `slurmd -C` finds, reached on 127.0.0.1 (no name resolution
# needed); one partition `brink` holding it; select/cons_tres with cores and
# memory as consumable resources; processes tracked without cgroups
# (proctrack/linuxproc, task/none), so it also works in a container; no
# accounting database. The daemons run without systemd and log to
# /var/log/slurm/ and /var/log/munge/.
set -euo pipefail

TIMEOUT="${SLURM_CLUSTER_TIMEOUT:-60}"
CONF=/etc/slurm/slurm.conf
CTLD_PID=/run/slurmctld.pid
SLURMD_PID=/run/slurmd.pid
MUNGE_PID=/run/munge/munged.pid
CTLD_LOG=/var/log/slurm/slurmctld.log
SLURMD_LOG=/var/log/slurm/slurmd.log
MUNGE_LOG=/var/log/munge/munged.log

say() { echo "slurm-cluster: $*"; }

die() {
    echo "slurm-cluster: FAILED: $*" >&2
    for log in "$MUNGE_LOG" "$CTLD_LOG" "$SLURMD_LOG"; do
        if [[ -f "$log" ]]; then
            echo "----- last lines of $log -----" >&2
            tail -n 40 "$log" >&2
        fi
    done
    if command -v sinfo >/dev/null 2>&1; then
        echo "----- sinfo -----" >&2
        sinfo -N -l >&2 || true
    fi
    exit 1
}

# Whether the process whose pid FILE holds is alive and is NAME: a stale
# pid file may name a pid that another process has taken since, and a
# daemon that was killed stays a zombie until its parent reaps it.
alive() {
    local pid stat
    [[ -f "$1" ]] || return 1
    pid=$(cat "$1" 2>/dev/null) || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    [[ "$stat" == "$pid ($2) "* ]] || return 1
    stat=${stat##*) }
    [[ "${stat:0:1}" != [ZX] ]]
}

stop_daemon() {
    local name=$1 pidfile=$2 pid i
    if alive "$pidfile" "$name"; then
        pid=$(cat "$pidfile")
        say "stopping $name (pid $pid)"
        kill "$pid" || true
        for ((i = 0; i < 50; i++)); do
            alive "$pidfile" "$name" || break
            sleep 0.2
        done
        if alive "$pidfile" "$name"; then
            kill -9 "$pid" || true
        fi
    fi
    rm -f "$pidfile"
}

if [[ "$(id -u)" != 0 ]]; then
    echo "slurm-cluster: needs root (it installs packages and starts daemons)" >&2
    exit 1
fi

if [[ "${1:-}" == "--stop" ]]; then
    stop_daemon slurmd "$SLURMD_PID"
    stop_daemon slurmctld "$CTLD_PID"
    stop_daemon munged "$MUNGE_PID"
    exit 0
fi

# --- packages -----------------------------------------------------------
if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 \
    || ! command -v sbatch >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
    say "installing slurm-wlm and munge"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge
fi
say "$(slurmctld -V)"

# --- munge --------------------------------------------------------------
install -d -o munge -g munge -m 0700 /etc/munge /var/log/munge
install -d -o munge -g munge -m 0711 /var/lib/munge
install -d -o munge -g munge -m 0755 /run/munge
if [[ ! -s /etc/munge/munge.key ]]; then
    say "creating /etc/munge/munge.key"
    if command -v mungekey >/dev/null 2>&1; then
        mungekey --create --keyfile=/etc/munge/munge.key --force
    else
        dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    fi
fi
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
# The log must belong to munge, or munged refuses to start.
touch "$MUNGE_LOG"
chown munge:munge "$MUNGE_LOG"
chmod 0640 "$MUNGE_LOG"

if munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    say "munged is running"
else
    stop_daemon munged "$MUNGE_PID"
    say "starting munged"
    runuser -u munge -- /usr/sbin/munged </dev/null >>"$MUNGE_LOG" 2>&1 \
        || die "munged did not start"
    for ((i = 0; i < 50; i++)); do
        munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break
        sleep 0.2
    done
    munge -n </dev/null | unmunge >/dev/null || die "munge credentials do not work"
fi

# --- configuration ------------------------------------------------------
# `slurmd -C` prints this machine's node line: NodeName=<short host name>
# CPUs=... Boards=... SocketsPerBoard=... CoresPerSocket=...
# ThreadsPerCore=... RealMemory=... slurmd finds its node in slurm.conf by
# that same name (`hostname -s`).
node=$(slurmd -C | grep '^NodeName=' | head -n 1) || true
[[ -n "$node" ]] || die "slurmd -C printed no node line"
host=${node%% *}
host=${host#NodeName=}
[[ -n "$host" ]] || die "slurmd -C printed no node name"

conf=$(mktemp)
trap 'rm -f "$conf"' EXIT
cat >"$conf" <<EOF
# One-node cluster written by brink's scripts/slurm-cluster.sh.
ClusterName=brink
SlurmctldHost=$host(127.0.0.1)
SlurmUser=slurm
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
# A job whose dependency can never be met (afterok on a failed job) is
# cancelled instead of waiting forever.
DependencyParameters=kill_invalid_depend
# Finished jobs stay visible to scontrol for an hour (there is no sacct).
MinJobAge=3600
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$CTLD_LOG
SlurmdLogFile=$SLURMD_LOG
SlurmctldPort=6817
SlurmdPort=6818
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=brink Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

changed=0
if ! cmp -s "$conf" "$CONF"; then
    say "writing $CONF"
    install -d -m 0755 /etc/slurm
    install -m 0644 "$conf" "$CONF"
    changed=1
fi
install -d -o slurm -g slurm -m 0755 /var/spool/slurmctld /var/log/slurm
install -d -o root -g root -m 0755 /var/spool/slurmd
touch "$CTLD_LOG" "$SLURMD_LOG"
chown slurm:slurm "$CTLD_LOG"

# --- daemons ------------------------------------------------------------
if ((changed)); then
    # Daemons running with another configuration start again.
    stop_daemon slurmd "$SLURMD_PID"
    stop_daemon slurmctld "$CTLD_PID"
fi
if alive "$CTLD_PID" slurmctld; then
    say "slurmctld is running"
else
    say "starting slurmctld"
    slurmctld </dev/null >>"$CTLD_LOG" 2>&1 || die "slurmctld did not start"
fi
if alive "$SLURMD_PID" slurmd; then
    say "slurmd is running"
else
    say "starting slurmd"
    slurmd </dev/null >>"$SLURMD_LOG" 2>&1 || die "slurmd did not start"
fi

# --- wait for the node --------------------------------------------------
start=$SECONDS
resumed=0
while :; do
    state=$(sinfo -h -n "$host" -o '%T' 2>/dev/null | head -n 1) || state=""
    case "$state" in
        idle | mixed | allocated | completing) break ;;
        down* | drain* | fail*)
            # A node that was down when slurmctld last saw it (a restart)
            # is put back once; ReturnToService=2 usually does it alone.
            if ((!resumed)) && (( SECONDS - start > 5 )); then
                say "node $host is $state: resuming it"
                scontrol update NodeName="$host" State=RESUME || true
                resumed=1
            fi
            ;;
    esac
    if (( SECONDS - start > TIMEOUT )); then
        die "node $host is not idle after ${TIMEOUT}s (state '${state:-no answer}')"
    fi
    sleep 1
done
alive "$CTLD_PID" slurmctld || die "slurmctld is not running"
alive "$SLURMD_PID" slurmd || die "slurmd is not running"
say "node $host is $state ($(( SECONDS - start ))s): $node"
