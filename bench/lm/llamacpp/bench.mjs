// llama.cpp's speed on the same GGUF file as optlm-bench-lm, for the reference column of
// docs/benchmarks.md. llama.cpp is not packaged in Debian 12; node-llama-cpp's prebuilt CPU
// binaries come from the npm registry (package.json here pins them), so nothing is built:
//   npm install --ignore-scripts     (NODE_LLAMA_CPP_SKIP_DOWNLOAD=true keeps it off GitHub)
//   node bench.mjs MODEL.gguf [threadsList=1,2] [reps=3] [flashAttention=false]
// Prompt: 64 tokens (ids 100..163) evaluated as one batch, timed alone.
// Generation: 16 single-token decodes, greedy (temperature 0), timed alone
// (like llama-bench tg16: 16 decode calls of 1 token each).
import {getLlama, LlamaLogLevel} from "node-llama-cpp";

const modelPath = process.argv[2];
if (!modelPath) {
    console.error("usage: node bench.mjs MODEL.gguf [threads=1,2] [reps=3] [flashAttention=false]");
    process.exit(2);
}
const threadsList = (process.argv[3] ?? "1,2").split(",").map(Number);
const reps = Number(process.argv[4] ?? 3);
const flashAttention = (process.argv[5] ?? "false") === "true";
const N_PROMPT = 64, N_GEN = 16, N_CTX = 4096;

const interesting = /backend|CPU|cpu|AVX|system_info|n_threads|flash|n_batch|n_ubatch|type_k|build|version|llama_context|print_info: (file|model|arch|n_vocab)/;
const llama = await getLlama({
    gpu: false,
    build: "never",
    usePrebuiltBinaries: true,
    skipDownload: true,
    maxThreads: 0,                 // 0 => context `threads` value is used exactly
    logLevel: LlamaLogLevel.debug,
    logger(level, message) {
        const m = message.trimEnd();
        if (interesting.test(m)) console.error(`[llama ${level}] ${m}`);
    }
});
console.log("node-llama-cpp build:", JSON.stringify(llama.llamaCppRelease), "buildType:", llama.buildType, "gpu:", llama.gpu);
console.log("systemInfo:", llama.systemInfo);
console.log("cpuMathCores:", llama.cpuMathCores);

let t = performance.now();
const model = await llama.loadModel({modelPath, gpuLayers: 0, useMmap: true});
console.log(`model loaded in ${((performance.now() - t) / 1000).toFixed(1)} s; vocab tokens: ${model.tokens?.eosToken ?? ""}`);

// Optional gate: with GO_FILE set, print READY after loading and wait until that file exists,
// so the (slow, repacking) model load happens outside the quiet window.
if (process.env.GO_FILE) {
    const {existsSync} = await import("node:fs");
    console.log("READY");
    while (!existsSync(process.env.GO_FILE)) await new Promise(r => setTimeout(r, 100));
    console.log("GO at", new Date().toISOString());
}

const prompt = Array.from({length: N_PROMPT}, (_, i) => 100 + i);
const results = [];

for (const threads of threadsList) {
    const context = await model.createContext({
        contextSize: N_CTX,
        batchSize: 512,
        sequences: 1,
        threads: {ideal: threads, min: threads},
        flashAttention
    });
    console.log(`context: size=${context.contextSize} batchSize=${context.batchSize} threads=${context.currentThreads} flashAttention=${context.flashAttention}`);
    const seq = context.getSequence();

    for (let rep = 0; rep <= reps; rep++) {   // rep 0 = warmup (not reported)
        await seq.clearHistory();

        // --- prompt: one batch of 64 tokens; last one samples the first new token
        const input = prompt.map((tok, i) => i === N_PROMPT - 1
            ? [tok, {generateNext: {token: true, options: {temperature: 0}}}]
            : tok);
        let t0 = performance.now();
        const out = await seq.controlledEvaluate(input);
        const promptMs = performance.now() - t0;
        const first = out[N_PROMPT - 1]?.next?.token;
        if (first == null) throw new Error("no token generated after prompt");

        // --- generation: 16 decodes of 1 token each, greedy
        const gen = [];
        t0 = performance.now();
        const it = seq.evaluate([first], {temperature: 0});
        for (let i = 0; i < N_GEN; i++) {
            const r = await it.next();
            if (r.done) throw new Error("generation stopped early");
            gen.push(r.value);
        }
        const genMs = performance.now() - t0;
        await it.return();

        const pp = N_PROMPT / (promptMs / 1000), tg = N_GEN / (genMs / 1000);
        console.log(`threads=${threads} rep=${rep === 0 ? "warmup" : rep} prompt ${promptMs.toFixed(0)} ms = ${pp.toFixed(2)} tok/s | gen ${genMs.toFixed(0)} ms = ${tg.toFixed(2)} tok/s | seqLen=${seq.nextTokenIndex} tokens=${[first, ...gen].slice(0, 6).join(",")}...`);
        if (rep > 0) results.push({threads, rep, pp, tg});
    }
    await context.dispose();
}

console.log("DONE at", new Date().toISOString());
console.log("\nSUMMARY (tok/s)");
for (const threads of threadsList) {
    const r = results.filter(x => x.threads === threads);
    const fmt = (k) => {
        const v = r.map(x => x[k]);
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        return `${v.map(x => x.toFixed(2)).join(" / ")} (mean ${mean.toFixed(2)}, min ${Math.min(...v).toFixed(2)}, max ${Math.max(...v).toFixed(2)}, spread ${(100 * (Math.max(...v) - Math.min(...v)) / mean).toFixed(1)}%)`;
    };
    console.log(`t=${threads} pp${N_PROMPT}: ${fmt("pp")}`);
    console.log(`t=${threads} tg${N_GEN}: ${fmt("tg")}`);
}
await model.dispose();
await llama.dispose();
