"""Long calls release the GIL (another Python thread runs meanwhile) and stop on Ctrl-C."""
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import waddington as w


def test_other_threads_run_during_a_call():
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    try:
        start = time.perf_counter()
        w.fold_curves(map_cells=[60, 30], seed_T_values=3)  # long-ish, no Python callback
        end = time.perf_counter()
    finally:
        stop.set()
        t.join()
    inside = [x for x in ticks if start < x < end]
    # The thread ticks about every millisecond while the library computes.
    assert end - start > 0.05 and len(inside) > 0.3 * (end - start) / 0.0012


def test_ctrl_c_stops_a_training_run():
    code = textwrap.dedent("""
        import sys, waddington as w
        print("started", flush=True)
        try:
            w.train(synthetic=True, epochs=100000, memories=50)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(130)
    """)
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=dict(os.environ))
    assert p.stdout.readline().strip() == "started"
    time.sleep(1.0)
    sent = time.perf_counter()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 130, err
    assert "interrupted" in out
    assert time.perf_counter() - sent < 5
