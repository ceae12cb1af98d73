# Runs one benchmarked command and reports its own resource accounting.
# usage: python3 rusage.py OUTFILE COMMAND
# Forks /bin/sh -c COMMAND, waits for it with wait4() and writes
# "user_seconds system_seconds maxrss_kib" to OUTFILE: the kernel's accounting of the child and of
# every descendant it waited for, not an estimate. Exits with the command's status (128+N for a signal).
import os
import signal
import sys

out, command = sys.argv[1], sys.argv[2]
pid = os.fork()
if pid == 0:
    os.execv("/bin/sh", ["/bin/sh", "-c", command])


def forward(signum, frame):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


signal.signal(signal.SIGTERM, forward)
signal.signal(signal.SIGINT, forward)
while True:
    try:
        _, status, usage = os.wait4(pid, 0)
        break
    except InterruptedError:
        continue
with open(out, "w") as f:
    f.write("%.6f %.6f %d\n" % (usage.ru_utime, usage.ru_stime, usage.ru_maxrss))
if os.WIFSIGNALED(status):
    sys.exit(128 + os.WTERMSIG(status))
sys.exit(os.WEXITSTATUS(status))
