"""Proportional set size of a server's processes, for benchmarks/worker_memory.sh (standard library only).

  pss.py sample FILE APP SERVER ROLE:PID...   appends one row per process to FILE (tab-separated, KiB)
  pss.py report FILE [BEFORE]                  prints the per-process detail, the table and the ratios;
                                               BEFORE: samples of the same processes before the requests

Read from /proc/<pid>/smaps_rollup: Pss (the process's share of every page it maps: a page shared
by n processes counts 1/n in each, so the PSS of a set of processes adds up to the memory they use
together), split into Pss_Anon (heap, the interpreter's objects) and Pss_File (the interpreter, the
shared libraries, mapped files); and Private_Clean + Private_Dirty (pages no other process maps).
A role "worker" counts in "PSS per worker"; any other role (gunicorn's arbiter, the starter's fork
server) counts in the total only; the role "jvm" is shown apart and never in the total, which is of Python processes.
"""

import collections
import statistics
import sys

FIELDS = ("Pss", "Pss_Anon", "Pss_File", "Private_Clean", "Private_Dirty", "Rss")


def smaps_rollup(pid):
    values = dict.fromkeys(FIELDS, 0)
    with open("/proc/%d/smaps_rollup" % pid) as rollup:
        for line in rollup:
            name, _, rest = line.partition(":")
            if name in values:
                values[name] = int(rest.split()[0])
    return values


def sample(path, app, server, processes):
    with open(path, "a") as out:
        for process in processes:
            role, _, pid = process.partition(":")
            values = smaps_rollup(int(pid))
            private = values["Private_Clean"] + values["Private_Dirty"]
            out.write("\t".join(map(str, (app, server, role, pid, values["Pss"], values["Pss_Anon"],
                                          values["Pss_File"], private, values["Rss"]))) + "\n")


def mib(kib):
    return kib / 1024


Row = collections.namedtuple("Row", "app server role pid pss anon file private rss")


def read(path):
    rows = []
    with open(path) as source:
        for line in source:
            app, server, role, *numbers = line.rstrip("\n").split("\t")
            rows.append(Row(app, server, role, *map(int, numbers)))
    return rows


def report(path, before_path=None):
    rows = read(path)
    before = collections.defaultdict(list)
    for row in read(before_path) if before_path else []:
        before[row.app, row.server].append(row)
    print("per process (MiB): PSS = PSS of anonymous pages + PSS of file pages; private: pages no other process maps")
    print("%-8s %-31s %-10s %8s %8s %8s %8s %8s %8s" % ("app", "server", "role", "pid", "PSS", "anon", "file",
                                                      "private", "RSS"))
    for row in rows:
        print("%-8s %-31s %-10s %8d %8.1f %8.1f %8.1f %8.1f %8.1f" % (
            row.app, row.server, row.role, row.pid, mib(row.pss), mib(row.anon), mib(row.file),
            mib(row.private), mib(row.rss)))
    print()
    groups = collections.OrderedDict()
    for row in rows:
        groups.setdefault((row.app, row.server), []).append(row)
    totals = {}
    print("Python processes of each server (MiB; a worker's figures are the mean over its workers)")
    print("%-8s %-31s %5s %10s %11s %14s %12s %12s %15s   %s" % (
        "app", "server", "procs", "total PSS", "PSS/worker", "worker PSS", "worker anon", "worker file",
        "worker private", "before requests: total PSS, worker private"))
    for (app, server), members in groups.items():
        python = [row for row in members if row.role != "jvm"]
        workers = [row for row in python if row.role == "worker"]
        total = sum(row.pss for row in python)
        totals[app, server] = total
        earlier = [row for row in before[app, server] if row.role != "jvm"]
        earlier_workers = [row for row in earlier if row.role == "worker"]
        print("%-8s %-31s %5d %10.1f %11.1f %14s %12.1f %12.1f %15.1f   %s" % (
            app, server, len(python), mib(total), mib(total / len(workers)),
            "%.1f (%.1f-%.1f)" % (mib(statistics.mean(row.pss for row in workers)),
                                  mib(min(row.pss for row in workers)), mib(max(row.pss for row in workers))),
            mib(statistics.mean(row.anon for row in workers)), mib(statistics.mean(row.file for row in workers)),
            mib(statistics.mean(row.private for row in workers)),
            "%.1f, %.1f" % (mib(sum(row.pss for row in earlier)), mib(statistics.mean(row.private for row in earlier_workers)))
            if earlier_workers else "-"))
    for row in rows:
        if row.role == "jvm":
            print("%-8s %-31s the JVM (not in the total): PSS %.1f MiB, RSS %.1f MiB" % (
                row.app, row.server, mib(row.pss), mib(row.rss)))
    print()
    for app in dict.fromkeys(app for app, _ in groups):
        starters = [server for a, server in groups if a == app and server.startswith("starter")]
        for starter in starters:
            for peer in ("gunicorn", "gunicorn --preload", "gunicorn --preload, gc.freeze()"):
                if (app, peer) in totals:
                    print("%-8s %-20s / %-31s total PSS %.2fx" % (
                        app, starter, peer, totals[app, starter] / totals[app, peer]))


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "sample":
        sample(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif len(sys.argv) in (3, 4) and sys.argv[1] == "report":
        report(*sys.argv[2:])
    else:
        sys.exit(__doc__)
