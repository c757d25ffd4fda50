// Reference runner: executes a TensorFlow.js graph model with the official TF.js runtime (CPU
// backend, pure JavaScript) and writes the requested tensors as raw little-endian float32 files.
// Usage: node run.js REQUEST.json   where REQUEST = {model, inputs: {name: {shape, file}}, outputs: [..], outDir}
// Prints {name: shape} for every output written.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfconv = require('@tensorflow/tfjs-converter');

async function main() {
  const req = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  await tf.setBackend('cpu');
  const json = JSON.parse(fs.readFileSync(req.model, 'utf8'));
  const dir = path.dirname(req.model);
  const specs = [];
  const buffers = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
    specs.push(...group.weights);
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const model = await tfconv.loadGraphModel({
    load: async () => ({
      modelTopology: json.modelTopology, weightSpecs: specs, weightData,
      format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy,
      signature: json.signature, userDefinedMetadata: json.userDefinedMetadata,
    }),
  });
  const feeds = {};
  for (const [name, spec] of Object.entries(req.inputs)) {
    const b = fs.readFileSync(spec.file);
    const data = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    feeds[name] = tf.tensor(data, spec.shape, 'float32');
  }
  let outs = await model.executeAsync(feeds, req.outputs);
  if (!Array.isArray(outs)) outs = [outs];
  const shapes = {};
  for (let i = 0; i < req.outputs.length; i++) {
    const data = await outs[i].data();
    const f = Float32Array.from(data);
    fs.writeFileSync(path.join(req.outDir, i + '.bin'), Buffer.from(f.buffer));
    shapes[req.outputs[i]] = outs[i].shape;
  }
  process.stdout.write(JSON.stringify(shapes) + '\n');
}

main().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });
