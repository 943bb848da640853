import os
import subprocess


def start_daemons():
    # One holds stdout open; one detaches into its own session and double-forks.
    subprocess.Popen(["sleep", "1000"])
    subprocess.Popen(["sh", "-c", "(while true; do echo tick; sleep 1; done) &"], start_new_session=True)
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if os.fork() == 0:
            import time
            while True:
                time.sleep(1)
        os._exit(0)
    os.waitpid(pid, 0)
    return 42
