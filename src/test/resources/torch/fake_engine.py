#!/usr/bin/env python3
"""A stand-in for engine.py, for the supervisor's tests: --mode crash|hang|error misbehave; env answers every job
with an error naming its process and the GPU it may see."""
import json
import os
import sys
import time

mode = sys.argv[sys.argv.index("--mode") + 1]
print(json.dumps({"type": "ready", "engine": "fake", "mode": mode}), flush=True)
for line in sys.stdin:
    msg = json.loads(line)
    if msg["type"] == "shutdown":
        break
    if mode == "crash":
        print(json.dumps({"type": "boundary", "job_id": msg["job_id"], "phase": "encode", "step": 0, "steps": 0}), flush=True)
        sys.stdin.readline()
        os._exit(3)
    if mode == "hang":
        time.sleep(600)
    if mode == "error":
        print(json.dumps({"type": "error", "job_id": msg["job_id"], "message": "CUDA out of memory (simulated)"}), flush=True)
    if mode == "env":
        seen = f"pid={os.getpid()} visible={os.environ.get('CUDA_VISIBLE_DEVICES')} order={os.environ.get('CUDA_DEVICE_ORDER')}"
        print(json.dumps({"type": "error", "job_id": msg["job_id"], "message": seen}), flush=True)
