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
        # long-ish (a fine nullcline grid), and no Python callback at all: a
        # call that kept the GIL would let the other thread tick 0 times.
        w.phase_portrait(cells=2000, flow_lines=0)
        end = time.perf_counter()
    finally:
        stop.set()
        t.join()
    inside = [x for x in ticks if start < x < end]
    assert end - start > 0.05 and len(inside) >= 10, (end - start, len(inside))


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
