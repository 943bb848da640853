import os
import shutil


def make_files(n):
    root = "/work/code/many"
    os.makedirs(root, exist_ok=True)
    made = 0
    try:
        for i in range(n):
            with open(os.path.join(root, f"f{i}"), "w") as f:
                f.write("x")
            made += 1
        return made, None
    except OSError as e:
        return made, e.errno
    finally:
        shutil.rmtree(root, ignore_errors=True)
