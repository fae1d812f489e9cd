"""Writes data/vllm/<instance>/*.json: vLLM benchmark_serving.py results (--save-detailed) for
Llama-3.1-8B-Instruct on two instance types over a sweep of request rates, and
data/harness/inf2-xlarge.csv, a per-request log in bench-report's own CSV format.

The traffic is simulated (fixed seed), but every file has exactly the shape vLLM writes
(formats/vllm.md §2-§4: key order, compact separators, arrays in seconds) and its summary is
computed the way vLLM's calculate_metrics does, with numpy. Run from the repository root:

    python3 data/tools/generate_vllm.py
"""
import json
import os

import numpy as np

MODEL = "meta-llama/Llama-3.1-8B-Instruct"
N = 60
INSTANCES = {
    # name: (ttft base s, per-token gap s, saturation req/s)
    "g5.2xlarge": (0.045, 0.028, 3.0),
    "g6e.xlarge": (0.030, 0.017, 6.0),
}
RATES = [1.0, 2.0, 4.0, 8.0, "inf"]


def simulate(rng, base_ttft, gap, sat, rate):
    r = np.inf if rate == "inf" else rate
    starts = np.zeros(N) if r == np.inf else np.cumsum(rng.exponential(1.0 / r, N))
    load = min(r / sat, 3.0) if r != np.inf else 3.0
    input_lens = rng.integers(200, 800, N)
    output_lens = rng.integers(64, 257, N)
    ttfts, itls, errors = [], [], []
    for i in range(N):
        fail = load >= 2.5 and rng.random() < 0.05
        if fail:
            ttfts.append(0.0)
            itls.append([])
            errors.append("Timeout: the server did not answer within 60 s")
            continue
        t = base_ttft * (1 + 0.002 * input_lens[i]) * (1 + load ** 2) * rng.lognormal(0, 0.15)
        g = gap * (1 + 0.35 * load) * rng.lognormal(0, 0.25, output_lens[i] - 1)
        ttfts.append(float(t))
        itls.append([float(x) for x in g])
        errors.append("")
    return starts, input_lens, output_lens, ttfts, itls, errors


def summary(starts, input_lens, output_lens, ttfts, itls, errors):
    ok = [e == "" for e in errors]
    lat = [ttfts[i] + sum(itls[i]) for i in range(N)]
    duration = max(starts[i] + lat[i] for i in range(N) if ok[i]) - min(starts)
    completed = sum(ok)
    total_input = int(sum(int(input_lens[i]) for i in range(N) if ok[i]))
    outs = [int(output_lens[i]) if ok[i] else 0 for i in range(N)]
    tt = [ttfts[i] for i in range(N) if ok[i]]
    e2 = [lat[i] for i in range(N) if ok[i]]
    tp = [(lat[i] - ttfts[i]) / (outs[i] - 1) for i in range(N) if ok[i] and outs[i] > 1]
    it = [g for i in range(N) if ok[i] for g in itls[i]]
    res = {
        "duration": float(duration), "completed": completed,
        "total_input_tokens": total_input, "total_output_tokens": sum(outs),
        "request_throughput": completed / duration, "request_goodput:": None,
        "output_throughput": sum(outs) / duration, "total_token_throughput": (total_input + sum(outs)) / duration,
        "input_lens": [int(x) for x in input_lens], "output_lens": outs,
        "ttfts": ttfts, "itls": itls, "generated_texts": ["" for _ in range(N)], "errors": errors,
    }
    for name, xs in [("ttft", tt), ("tpot", tp), ("itl", it), ("e2el", e2)]:
        a = np.array(xs or [0.0])
        res[f"mean_{name}_ms"] = float(np.mean(a) * 1000)
        res[f"median_{name}_ms"] = float(np.median(a) * 1000)
        res[f"std_{name}_ms"] = float(np.std(a) * 1000)
        res[f"p99_{name}_ms"] = float(np.percentile(a, 99) * 1000)
    return res, ok, starts, lat


def main():
    rng = np.random.default_rng(20250612)
    for inst, (b, g, sat) in INSTANCES.items():
        folder = os.path.join("data", "vllm", inst)
        os.makedirs(folder, exist_ok=True)
        for k, rate in enumerate(RATES):
            sim = simulate(rng, b, g, sat, rate)
            res, _, _, _ = summary(*sim)
            date = f"20250612-1{k}0000"
            head = {
                "date": date, "backend": "vllm", "model_id": MODEL, "tokenizer_id": MODEL, "num_prompts": N,
                "instance_type": inst, "dataset": "sharegpt",
                "request_rate": rate if rate == "inf" else float(rate), "burstiness": 1.0, "max_concurrency": None,
            }
            head.update(res)
            tag = "inf" if rate == "inf" else f"{rate}"
            name = f"vllm-{tag}qps-Llama-3.1-8B-Instruct-{date}.json"
            with open(os.path.join(folder, name), "w") as f:
                f.write(json.dumps(head))
    # A harness log in bench-report's own CSV: inf2.xlarge, two concurrency levels.
    os.makedirs(os.path.join("data", "harness"), exist_ok=True)
    rows = ["model,instance_type,engine,dataset,concurrency,start_s,ttft_ms,e2e_ms,input_tokens,output_tokens,ok,error"]
    for conc, (t0, gap) in [(4, (0.080, 0.030)), (16, (0.140, 0.045))]:
        clock = [0.0] * conc
        for i in range(100):
            slot = i % conc
            start = clock[slot]
            inp = int(rng.integers(200, 800))
            out = int(rng.integers(64, 257))
            if rng.random() < (0.01 if conc == 4 else 0.06):
                rows.append(f"{MODEL},inf2.xlarge,neuronx-tgi,sharegpt,{conc},{start:.6f},,,{inp},0,false,HTTP 503: model overloaded")
                clock[slot] = start + 0.5
                continue
            ttft = t0 * rng.lognormal(0, 0.2) * 1000
            e2e = ttft + (out - 1) * gap * rng.lognormal(0, 0.1) * 1000
            rows.append(f"{MODEL},inf2.xlarge,neuronx-tgi,sharegpt,{conc},{start:.6f},{ttft:.3f},{e2e:.3f},{inp},{out},true,")
            clock[slot] = start + e2e / 1000
    with open(os.path.join("data", "harness", "inf2-xlarge.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
